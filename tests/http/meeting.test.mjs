// Live meeting mode over plain HTTP: the facilitator's screen follows a round by Server-Sent
// Events (raw requests, the text/event-stream parsed in lib/sse.mjs) or by polling the JSON
// endpoint.
// Covered: 100 streams receive every answer in order and exactly what the polling endpoint
// lists; the stream cap (--max-streams) answers 204 and polling keeps working; reconnecting
// with Last-Event-ID (also while answers keep coming) misses nothing; a stalled client does
// not hold up the others; an answer whose connection drops is kept; facilitator actions by
// anyone else are refused and change nothing; only the open item can be answered; a live
// answer is the same stored answer as the normal form's; a phone left open when the round
// closes is refused with a way back to the answers; the join page from the projector.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { startServer, gids, Client, COORD_A, COORD_B } from './lib/server.mjs';
import { openStream, waitUntil, orderProblem, comparable, eventsAfter, lastEventId } from './lib/sse.mjs';

const INSTRUMENT = 'gesprekstool-armoede-gezondheid';
const NOT_OPEN = 'Deze vraag staat nu niet open. Kijk op het scherm welke vraag aan de beurt is.';
const CODE_UNKNOWN = 'Deze code hoort niet bij een bijeenkomst die nu loopt. Controleer de code op het scherm.';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------
// Reading HTML

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'" };
const decode = (s) => s.replace(/&(amp|lt|gt|quot|apos|#39|#x27);/g, (_, e) => ENTITIES[e]);
const text = (html) => decode(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
function mainOf(html) {
  const m = html.match(/<main\b[^>]*>([\s\S]*)<\/main>/);
  return m ? m[1] : '';
}
function isChecked(html, id) {
  const m = html.match(new RegExp(`<input\\b[^>]*\\bid="${id}"[^>]*>`));
  assert.ok(m, `no input with id="${id}" on the page`);
  return /\schecked(\s|>|=)/.test(m[0]);
}
// The review page (/i/{token}/controle): the answer text of the row whose question starts with `start`.
function reviewAnswer(html, start) {
  for (const [, dt, dd] of html.matchAll(/<div class="review-list__row">\s*<dt>([\s\S]*?)<\/dt>\s*<dd>([\s\S]*?)<\/dd>/g)) {
    if (text(dt).startsWith(start)) return text(dd);
  }
  assert.fail(`the review page has no row for "${start}"`);
}
// The statements table of the results page: { headers: [...], rows: { 'A.': [cells...] } }.
function statementsOf(html) {
  const table = html.match(/<table class="utrecht-table results-table">([\s\S]*?)<\/table>/);
  assert.ok(table, 'the results page has a statements table');
  const head = table[1].match(/<thead[\s\S]*?<\/thead>/)[0];
  const headers = [...head.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((c) => text(c[1]));
  const rows = {};
  for (const [, row] of table[1].matchAll(/<tr class="utrecht-table__row[^"]*">([\s\S]*?)<\/tr>/g)) {
    const cells = [...row.matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1]));
    if (cells[0] !== headers[0]) rows[cells[0].split(' ')[0]] = cells;
  }
  return { headers, rows };
}
// The statements table's cell of participant `label` on the row of `statement` ('A.').
function resultCell(html, statement, label) {
  const { headers, rows } = statementsOf(html);
  const col = headers.indexOf(label);
  assert.ok(col > 0, `the results table has a column for ${label}: ${JSON.stringify(headers)}`);
  assert.ok(rows[statement], `the results table has a row for ${statement}`);
  return rows[statement][col];
}

// ---------------------------------------------------------------------------------------
// The actors

// '' while the server runs; otherwise how it ended and its last log lines.
function serverDied(server) {
  const { exitCode, signalCode } = server.proc;
  if (exitCode === null && signalCode === null) return '';
  return `\nthe gids server has stopped (exit code ${exitCode}, signal ${signalCode}):\n${server.log().split('\n').slice(-15).join('\n')}`;
}

// A running server with coordinators A and B logged in and an API token for A.
async function setUp(options = {}) {
  const server = await startServer(options);
  const env = { server, coord: {} };
  for (const [key, user] of [['a', COORD_A], ['b', COORD_B]]) {
    const c = new Client(server.url);
    const res = await c.login(user);
    assert.equal(res.status, 303, `login as ${user.email}`);
    const dash = await c.get('/dashboard');
    c.municipality = dash.headers.get('location').match(/^\/gemeenten\/(\d+)$/)[1];
    c.csrf = await c.csrfFrom(`/gemeenten/${c.municipality}`);
    assert.ok(c.csrf, `a CSRF token for ${user.email} on /gemeenten/${c.municipality}`);
    env.coord[key] = c;
  }
  const t = gids(['token', 'create', '--db', server.db, '--email', COORD_A.email]);
  assert.equal(t.code, 0, `gids token create --email ${COORD_A.email}: ${t.stderr}`);
  env.apiToken = t.stdout.trim();
  return env;
}

// A meeting round of coordinator A through the JSON API: { id, participants: [{ id, label, token }] }.
async function meetingRound(env, title, labels, mode = 'meeting') {
  const res = await fetch(`${env.server.url}/api/v1/assessments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ instrument: INSTRUMENT, title, mode, participants: labels.map((label) => ({ label })) }),
  });
  const body = await res.text();
  assert.equal(res.status, 201, `POST /api/v1/assessments "${title}" (mode ${mode}): ${body.slice(0, 300)}`);
  const round = JSON.parse(body);
  return {
    id: round.id,
    title,
    participants: round.invitations.map((i) => ({ id: i.participantId, label: i.label, token: i.token })),
  };
}

// The facilitator (coordinator A): the screen's actions as form posts.
function facilitator(env, round) {
  const c = env.coord.a;
  const base = `/rondes/${round.id}/bijeenkomst`;
  const act = async (action, fields = {}) => {
    const res = await c.post(`${base}/${action}`, { csrf: c.csrf, ...fields });
    assert.equal(res.status, 303, `POST ${base}/${action} ${JSON.stringify(fields)} as coordinator A: ${text(mainOf(res.text_)).slice(0, 200)}`);
    assert.equal(res.headers.get('location'), base, `POST ${base}/${action}: back to the screen`);
    return res;
  };
  return {
    open: (onderdeel) => act('openen', { onderdeel }),
    next: () => act('volgende'),
    names: (show) => act('namen', { tonen: show ? '1' : '0' }),
    agree: (score, note) => act('afspraak', { score: String(score), note }),
    // Events after `after` from the JSON polling endpoint, page by page as a poller reads them.
    eventsAfter: (after) => eventsAfter(c, round.id, after),
    lastEventId: () => lastEventId(c, round.id),
    async stream(opts = {}) {
      try {
        return await openStream(env.server.url, `${base}/stroom${opts.query || ''}`, { cookie: c.cookieHeader(), ...opts });
      } catch (err) {
        await sleep(100);
        throw new Error(`GET ${base}/stroom${opts.query || ''} failed: ${err.message}${serverDied(env.server)}`, { cause: err });
      }
    },
    async stand() {
      const res = await c.get(`${base}/stand`);
      assert.equal(res.status, 200, `GET ${base}/stand`);
      return res.text_;
    },
  };
}

// A participant on their phone: the live page of their invitation.
class Live {
  constructor(env, p) {
    this.label = p.label;
    this.token = p.token;
    this.path = `/i/${p.token}`;
    this.client = new Client(env.server.url);
  }
  get csrf() { return this.client.cookies.get('gids_csrf'); }
  async page(status = 200) {
    const res = await this.client.get(`${this.path}/live`);
    assert.equal(res.status, status, `GET ${this.path}/live (${this.label})`);
    assert.ok(this.csrf, `GET ${this.path}/live sets the gids_csrf cookie (${this.label})`);
    return res;
  }
  // Posts an answer as the live form does: onderdeel names the item the page showed.
  post(onderdeel, pairs) {
    return this.client.post(`${this.path}/live`, [['csrf', this.csrf], ['onderdeel', onderdeel], ...pairs]);
  }
  async answer(item, value) {
    const res = await this.post(item, [[`${item}.value`, String(value)]]);
    assert.equal(res.status, 303, `POST ${this.path}/live onderdeel=${item} ${item}.value=${value} (${this.label}): ${text(mainOf(res.text_)).slice(0, 200)}`);
    assert.equal(res.headers.get('location'), `${this.path}/live`, `POST ${this.path}/live (${this.label}): back to the live page`);
    return res;
  }
  async current() {
    const res = await this.client.get(`${this.path}/live/stand`);
    assert.equal(res.status, 200, `GET ${this.path}/live/stand`);
    return JSON.parse(res.text_).current;
  }
  async review() {
    const res = await this.client.get(`${this.path}/controle`);
    assert.equal(res.status, 200, `GET ${this.path}/controle (${this.label})`);
    return res.text_;
  }
}

async function joinAll(env, round) {
  const people = round.participants.map((p) => new Live(env, p));
  for (const p of people) await p.page();
  return people;
}

// ---------------------------------------------------------------------------------------

// Each group has a server of its own, so that a crash is reported in the group that caused
// it rather than as failures of every later group.
function ownServer(options = {}) {
  const env = {};
  before(async () => {
    try {
      Object.assign(env, await setUp(options));
    } catch (err) {
      const args = options.extraArgs ? ` ${options.extraArgs.join(' ')}` : '';
      assert.fail(`gids serve${args} did not start: ${err.message.split('\n').filter(Boolean).slice(0, 4).join(' | ')}`);
    }
  });
  after(async () => { await env.server?.stop(); });
  afterEach(() => {
    const died = env.server ? serverDied(env.server) : '';
    if (died) assert.fail(died.trim());
  });
  return env;
}

describe('100 screens following one round', () => {
  const env = ownServer();
  it('every stream receives every answer, in order, exactly as the polling endpoint lists them', { timeout: 60_000 }, async () => {
    const labels = ['Armoede', 'Gezondheid', 'GGD', 'Wijkteam', 'Schuldhulp', 'Jeugd', 'Wonen', 'Werk', 'Sport', 'Cultuur'];
    const round = await meetingRound(env, 'Honderd schermen', labels);
    const f = facilitator(env, round);
    await f.open('stelling-a');
    const people = await joinAll(env, round);
    const start = await f.lastEventId();

    const streams = await Promise.all(Array.from({ length: 100 }, () => f.stream({ lastEventId: start })));
    streams.forEach((s, i) => {
      assert.equal(s.status, 200, `stream ${i}: GET ${s.path} with Last-Event-ID ${start}`);
      assert.match(s.headers['content-type'], /^text\/event-stream/, `stream ${i}: content type`);
    });
    await waitUntil(() => streams.every((s) => s.retry !== null), 10_000,
      () => `${streams.filter((s) => s.retry === null).length} of 100 streams got no "retry:" prelude`);
    assert.ok(streams.every((s) => s.events.length === 0), 'nothing happened after the Last-Event-ID, so no stream replays anything');

    // Ten participants answer at the same time and keep changing their minds: three bursts
    // of ten answers each, each burst all on its way at once.
    const values = ['1', '2', '3', '4', '5', 'dont_know'];
    for (let burst = 0; burst < 3; burst++) {
      await Promise.all(people.flatMap((p, i) => Array.from({ length: 10 }, (_, k) => p.answer('stelling-a', values[(i + k + burst) % 6]))));
    }
    const expected = await f.eventsAfter(start);
    assert.equal(expected.filter((e) => e.kind === 'antwoord').length, 300, `GET gebeurtenissen?na=${start}: one "antwoord" event per answer`);
    assert.equal(orderProblem(expected), null, `GET gebeurtenissen?na=${start}: ids increase`);
    for (const p of round.participants) {
      assert.equal(expected.filter((e) => e.kind === 'antwoord' && e.data.participant === p.id && e.data.item === 'stelling-a').length, 30,
        `GET gebeurtenissen?na=${start}: thirty answers of ${p.label} to stelling-a`);
    }

    await waitUntil(() => streams.every((s) => s.events.length >= expected.length), 10_000,
      () => `not every stream received the ${expected.length} events: counts ${[...new Set(streams.map((s) => s.events.length))].join(', ')}`);
    await sleep(100); // anything extra would show up now
    const disordered = streams.map((s, i) => [i, orderProblem(s.events)]).filter(([, problem]) => problem);
    assert.equal(disordered.length, 0, `${disordered.length} of 100 streams received events out of order, e.g. `
      + disordered.slice(0, 5).map(([i, problem]) => `stream ${i}: ${problem}`).join('; '));
    streams.forEach((s, i) => {
      assert.deepEqual(comparable(s.events), comparable(expected), `stream ${i}: the same events as GET gebeurtenissen?na=${start}`);
    });
    for (const s of streams) s.close();
  });
});

describe('the cap on streams (--max-streams 10)', () => {
  const capped = ownServer({ extraArgs: ['--max-streams', '10'] });

  it('the 11th stream gets 204, polling still works, and the ten streams still get every answer', { timeout: 30_000 }, async () => {
    const round = await meetingRound(capped, 'Tien schermen', ['Armoede', 'Gezondheid']);
    const f = facilitator(capped, round);
    await f.open('stelling-a');
    const start = await f.lastEventId();
    const streams = [];
    for (let i = 0; i < 10; i++) {
      const s = await f.stream({ lastEventId: start });
      assert.equal(s.status, 200, `stream ${i + 1} of 10 with --max-streams 10`);
      streams.push(s);
    }
    await waitUntil(() => streams.every((s) => s.retry !== null), 5000, 'the ten streams all get their prelude');
    for (const query of ['', `?na=${start}`]) {
      const extra = await f.stream({ query });
      await waitUntil(() => extra.closed, 5000, `stream 11 (GET stroom${query}) ends`);
      assert.equal(extra.status, 204, `stream 11 (GET stroom${query}) beyond --max-streams 10`);
      assert.equal(extra.body, '', 'the 204 has no body');
    }
    const [armoede] = await joinAll(capped, round);
    await armoede.answer('stelling-a', 4);
    const events = await f.eventsAfter(start);
    // Both participants joined (joinAll), then one answered.
    assert.deepEqual(events.map((e) => e.kind), ['aangemeld', 'aangemeld', 'antwoord'], `the polling endpoint with 10 streams open lists the joins and the answer`);
    await waitUntil(() => streams.every((s) => s.events.length === 3), 5000, 'each of the ten streams receives the joins and the answer');
    for (const s of streams) assert.deepEqual(comparable(s.events), comparable(events), 'a capped server still streams every event');

    // A screen that leaves frees its place.
    streams.pop().close();
    let again;
    const deadline = Date.now() + 5000;
    for (;;) {
      again = await f.stream({ lastEventId: start });
      if (again.status === 200 || Date.now() > deadline) break;
      await sleep(50);
    }
    assert.equal(again.status, 200, 'after one of the ten streams closed, a new stream is accepted');
    await waitUntil(() => again.events.length === 3, 5000, 'the new stream catches up from its Last-Event-ID');
    for (const s of [...streams, again]) s.close();
  });
});

describe('reconnecting with Last-Event-ID', () => {
  const env = ownServer();
  let round;
  let f;
  let people;
  before(async () => {
    round = await meetingRound(env, 'Opnieuw verbinden', ['Armoede', 'Gezondheid', 'GGD']);
    f = facilitator(env, round);
    await f.open('stelling-b');
    people = await joinAll(env, round);
  });

  it('a stream that was cut gets exactly the events it missed, by header and by ?na=', async () => {
    const s = await f.stream({ lastEventId: 0 });
    const all = await f.eventsAfter(0);
    await waitUntil(() => s.events.length === all.length, 5000, `the first stream replays the ${all.length} events so far`);
    const last = s.events.at(-1).id;
    s.close();
    await people[0].answer('stelling-b', 2);
    await people[1].answer('stelling-b', 5);
    await f.names(true);
    await people[2].answer('stelling-b', 'dont_know');
    const missed = await f.eventsAfter(last);
    assert.deepEqual(missed.map((e) => e.kind), ['antwoord', 'antwoord', 'namen', 'antwoord'], `events after ${last}`);
    for (const [how, opts] of [['Last-Event-ID header', { lastEventId: last }], ['?na=', { query: `?na=${last}` }]]) {
      const again = await f.stream(opts);
      assert.equal(again.status, 200, `reconnect with ${how} ${last}`);
      await waitUntil(() => again.events.length >= missed.length, 5000, `reconnect with ${how} ${last}: receives the ${missed.length} missed events`);
      await sleep(100);
      assert.deepEqual(comparable(again.events), comparable(missed), `reconnect with ${how} ${last}: exactly the missed events`);
      again.close();
    }
  });

  it('screens that connect while answers come in get everything after their Last-Event-ID, once', { timeout: 30_000 }, async () => {
    const start = await f.lastEventId();
    let writing = true;
    let writeError = null;
    let posted = 0;
    const writers = people.map(async (p, i) => {
      let k = 0;
      try {
        // At most 400 answers: a stream replays at most 1000 events when it connects.
        while (writing && posted < 400) {
          await p.answer('stelling-b', String(((i + k++) % 5) + 1));
          posted++;
          await sleep(2);
        }
      } catch (err) {
        writing = false;
        writeError ??= err;
      }
    });
    // 60 screens arrive one by one during the answering, all asking for everything after
    // the same id; none is closed until the end.
    const streams = [];
    for (let i = 0; i < 60 && !writeError; i++) {
      streams.push(await f.stream({ lastEventId: start }));
      await sleep(5 + Math.random() * 20);
    }
    writing = false;
    await Promise.all(writers);
    if (writeError) assert.fail(`an answer failed while screens connected: ${writeError.message}${serverDied(env.server)}`);
    const expected = await f.eventsAfter(start);
    const last = expected.at(-1).id;
    // A screen that lost an event finds out only from the next one: wait for the last event
    // a while, then say what each screen got.
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && !streams.every((s) => s.events.some((e) => e.id >= last))) await sleep(10);
    await sleep(100);
    const problems = [];
    for (const [i, s] of streams.entries()) {
      const ids = s.events.map((e) => e.id);
      const missing = expected.map((e) => e.id).filter((id) => !ids.includes(id));
      const twice = ids.filter((id, n) => ids.indexOf(id) !== n);
      const order = orderProblem(s.events);
      if (missing.length || twice.length || order) problems.push(`screen ${i}: missing ${JSON.stringify(missing)}, twice ${JSON.stringify(twice)}${order ? `, ${order}` : ''}`);
    }
    for (const s of streams) s.close();
    assert.equal(problems.length, 0, `${problems.length} of ${streams.length} screens that connected with Last-Event-ID ${start} `
      + `while ${expected.length} answers came in did not get every event once and in order:\n  ${problems.slice(0, 8).join('\n  ')}`);
  });

  it('screens that keep reconnecting while answers come in miss nothing and see nothing twice', { timeout: 30_000 }, async () => {
    const start = await f.lastEventId();
    let writing = true;
    let posted = 0;
    let writeError = null;
    const writers = people.map(async (p, i) => {
      let k = 0;
      try {
        while (writing) {
          await p.answer('stelling-b', String(((i + k++) % 5) + 1));
          posted++;
        }
      } catch (err) {
        writing = false;
        writeError ??= err;
      }
    });
    // Five screens, each cutting its stream after a short while and coming back with the
    // last id it saw.
    const screens = await Promise.all(Array.from({ length: 5 }, async () => {
      const seen = [];
      let last = start;
      const until = Date.now() + 2500;
      let connections = 0;
      while (Date.now() < until) {
        if (writeError) break;
        const s = await f.stream({ lastEventId: last });
        assert.equal(s.status, 200, `reconnect with Last-Event-ID ${last}`);
        connections++;
        await sleep(10 + Math.random() * 40);
        s.close();
        seen.push(...s.events);
        if (s.events.length) last = s.events.at(-1).id;
      }
      return { seen, last, connections };
    }));
    writing = false;
    await Promise.all(writers);
    if (writeError) {
      await sleep(200);
      assert.fail(`an answer failed while screens reconnected: ${writeError.message} (${writeError.cause?.message ?? ''})${serverDied(env.server)}`);
    }
    const expected = await f.eventsAfter(start);
    assert.equal(expected.length, posted, `one event per answer posted (${posted})`);
    for (const [i, screen] of screens.entries()) {
      // One last connection collects the rest.
      const s = await f.stream({ lastEventId: screen.last });
      await waitUntil(() => (s.events.at(-1)?.id ?? screen.last) >= expected.at(-1).id, 5000,
        `screen ${i}: the last connection (Last-Event-ID ${screen.last}) reaches event ${expected.at(-1).id}`);
      s.close();
      const got = [...screen.seen, ...s.events];
      const ids = got.map((e) => e.id);
      const missing = expected.map((e) => e.id).filter((id) => !ids.includes(id));
      const twice = ids.filter((id, n) => ids.indexOf(id) !== n);
      assert.deepEqual({ missing, twice }, { missing: [], twice: [] },
        `screen ${i} over ${screen.connections + 1} connections (Last-Event-ID each time): events missed or received twice`);
      assert.deepEqual(comparable(got), comparable(expected), `screen ${i}: the events in order, as the polling endpoint lists them`);
    }
  });
});

describe('slow and dropped connections', () => {
  const env = ownServer();
  let round;
  let f;
  let people;
  before(async () => {
    round = await meetingRound(env, 'Trage verbindingen', ['Armoede', 'Gezondheid', 'GGD', 'Wijkteam']);
    f = facilitator(env, round);
    await f.open('stelling-c');
    people = await joinAll(env, round);
  });

  it('clients that never read their stream do not hold up the others', { timeout: 60_000 }, async (t) => {
    // Enough events to fill the socket buffers of a client that reads nothing: a screen
    // that connects with ?na=0 gets up to 1000 of them at once.
    const before = await f.lastEventId();
    for (let k = 0; k < 40; k++) {
      await Promise.all(people.map((p, i) => p.answer('stelling-c', String(((i + k) % 5) + 1))));
    }
    await Promise.all(people.flatMap((p) => Array.from({ length: 5 }, (_, k) => p.answer('stelling-c', String(k + 1)))));
    // Two stalled screens: raw sockets that send the request and never read a byte.
    const stalled = [];
    for (const query of ['?na=0', `?na=${before}`]) {
      const sock = net.connect(env.server.port, '127.0.0.1');
      sock.pause();
      sock.on('error', () => {});
      await new Promise((r) => sock.once('connect', r));
      sock.write(`GET /rondes/${round.id}/bijeenkomst/stroom${query} HTTP/1.1\r\nHost: 127.0.0.1\r\n`
        + `Cookie: ${env.coord.a.cookieHeader()}\r\nAccept: text/event-stream\r\n\r\n`);
      stalled.push(sock);
    }
    const start = await f.lastEventId();
    const streams = await Promise.all(Array.from({ length: 20 }, () => f.stream({ lastEventId: start })));
    await waitUntil(() => streams.every((s) => s.retry !== null), 5000, 'the 20 reading streams are connected');
    // Bursts of answers; after each burst every reading stream must have all of them soon.
    const delays = [];
    let sent = 0;
    for (let burst = 0; burst < 60; burst++) {
      const t0 = performance.now();
      await Promise.all(people.flatMap((p, i) => Array.from({ length: 5 }, (_, k) => p.answer('stelling-c', String(((i + k + burst) % 5) + 1)))));
      sent += people.length * 5;
      await waitUntil(() => streams.every((s) => s.events.length >= sent), 2000,
        () => `burst ${burst + 1}: ${streams.filter((s) => s.events.length >= sent).length} of 20 reading streams had all ${sent} answers within 2 s while two clients read nothing`);
      delays.push(performance.now() - t0);
    }
    const health = await fetch(`${env.server.url}/healthz`);
    assert.equal(health.status, 200, 'GET /healthz with stalled streams open');
    delays.sort((a, b) => a - b);
    assert.ok(delays.at(-1) < 1500, `the slowest of 60 bursts of ${people.length * 5} answers took ${delays.at(-1).toFixed(0)} ms from posting to every reading stream (median ${delays[30].toFixed(0)} ms)`);
    const expected = await f.eventsAfter(start);
    assert.equal(expected.length, sent, `one event per answer after ${start}`);
    for (const [i, s] of streams.entries()) {
      assert.deepEqual(comparable(s.events).map((e) => e.id).sort((a, b) => a - b), expected.map((e) => e.id), `reading stream ${i}: every event`);
    }
    for (const s of streams) s.close();
    // What became of the stalled screens (reported, not asserted: the server may cut them off).
    for (const [i, sock] of stalled.entries()) {
      let bytes = 0;
      let ended = false;
      sock.on('data', (d) => { bytes += d.length; });
      sock.on('end', () => { ended = true; });
      sock.resume();
      await sleep(300);
      t.diagnostic(`stalled screen ${i + 1}: ${bytes} bytes waiting for it, ${ended ? 'then cut off by the server' : 'still connected'}`);
      sock.destroy();
    }
  });

  it('an answer whose connection drops right after sending is kept, and announced', async () => {
    const start = await f.lastEventId();
    const values = ['2', '5', 'dont_know', '1'];
    await Promise.all(people.map((p, i) => new Promise((resolve, reject) => {
      const body = new URLSearchParams([['csrf', p.csrf], ['onderdeel', 'stelling-c'], ['stelling-c.value', values[i]]]).toString();
      const sock = net.connect(env.server.port, '127.0.0.1', () => {
        sock.write(`POST ${p.path}/live HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: gids_csrf=${p.csrf}\r\n`
          + `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        () => { sock.destroy(); resolve(); });
      });
      sock.on('error', reject);
    })));
    let events = [];
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      events = (await f.eventsAfter(start)).filter((e) => e.kind === 'antwoord');
      if (events.length >= people.length) break;
      await sleep(50);
    }
    assert.deepEqual(events.map((e) => e.data.participant).sort(), round.participants.map((p) => p.id).sort(),
      'an "antwoord" event for each of the four answers whose connection was dropped');
    const shown = { 2: '2 (niet mee eens)', 5: '5 (helemaal mee eens)', dont_know: 'Weet niet', 1: '1 (helemaal niet mee eens)' };
    for (const [i, p] of people.entries()) {
      const answer = reviewAnswer(await p.review(), 'C.');
      assert.equal(answer.toLowerCase(), shown[values[i]].toLowerCase(), `GET ${p.path}/controle: statement C after the dropped post of ${values[i]} (${p.label})`);
    }
  });
});

describe('facilitator actions by anyone else', () => {
  const env = ownServer();
  let round;
  let f;
  let armoede;
  before(async () => {
    round = await meetingRound(env, 'Alleen de gespreksleider', ['Armoede', 'Gezondheid']);
    f = facilitator(env, round);
    await f.open('stelling-a');
    [armoede] = await joinAll(env, round);
    await armoede.answer('stelling-a', 3);
  });

  const actions = [
    ['openen', { onderdeel: 'stelling-d' }],
    ['openen', { onderdeel: 'stap:stap-2' }],
    ['volgende', {}],
    ['namen', { tonen: '1' }],
    ['afspraak', { score: '2', note: 'Door iemand anders gezet' }],
  ];

  async function stateOf() {
    const stand = await f.stand();
    const results = await env.coord.a.get(`/rondes/${round.id}/resultaten?concepten=1`);
    return {
      lastEvent: await f.lastEventId(),
      current: await armoede.current(),
      names: /class="meeting__who"/.test(stand),
      agreed: /class="meeting__agreed"/.test(stand),
      agreedInResults: statementsOf(results.text_).rows['A.'].at(-1),
    };
  }

  it('are refused for a participant, an anonymous visitor and a coordinator of another municipality, and change nothing', { timeout: 30_000 }, async () => {
    const before = await stateOf();
    assert.deepEqual(before, { lastEvent: before.lastEvent, current: 'stelling-a', names: false, agreed: false, agreedInResults: '–' }, 'the state before');
    const anonymous = new Client(env.server.url);
    const withCookie = new Client(env.server.url);
    const cookieCsrf = await withCookie.csrfFrom('/inloggen');
    const invitation = { authorization: `Invitation ${armoede.token}` };
    const actors = [
      // [who, client, csrf, status of a post, status of a page, extra headers]
      ['a participant with their own CSRF cookie and token', armoede.client, armoede.csrf, 403, 303, {}],
      ['a participant sending their invitation token', armoede.client, armoede.csrf, 403, 303, invitation],
      ['an anonymous visitor without a token', anonymous, '', 403, 303, {}],
      ['an anonymous visitor with a CSRF cookie and token', withCookie, cookieCsrf, 403, 303, {}],
      ['coordinator B of another municipality', env.coord.b, env.coord.b.csrf, 404, 404, {}],
    ];
    const base = `/rondes/${round.id}/bijeenkomst`;
    for (const [who, client, csrf, postStatus, getStatus, headers] of actors) {
      for (const [action, fields] of actions) {
        const res = await client.post(`${base}/${action}`, { csrf, ...fields }, { headers });
        assert.equal(res.status, postStatus, `POST ${base}/${action} ${JSON.stringify(fields)} by ${who}`);
      }
      for (const path of [base, `${base}/stand`, `${base}/gebeurtenissen?na=0`]) {
        const res = await client.get(path, { headers });
        assert.equal(res.status, getStatus, `GET ${path} by ${who}`);
        if (getStatus === 303) assert.match(res.headers.get('location'), /^\/inloggen\?terug=/, `GET ${path} by ${who}: to the login page`);
        assert.doesNotMatch(res.text_, /stelling-a|"events"/, `GET ${path} by ${who}: reveals nothing of the meeting`);
      }
      const s = await openStream(env.server.url, `${base}/stroom`, { cookie: client.cookieHeader(), headers });
      await waitUntil(() => s.closed || s.events.length > 0 || s.retry !== null, 3000, `GET ${base}/stroom by ${who} ends`);
      assert.equal(s.status, getStatus, `GET ${base}/stroom by ${who}`);
      assert.equal(s.events.length, 0, `GET ${base}/stroom by ${who}: no events`);
      s.close();
    }
    assert.deepEqual(await stateOf(), before, 'after the refused actions: no new event, the same open statement, names hidden, no agreed score');
  });

  it('coordinator A may (the same posts work for the facilitator)', async () => {
    await f.names(true);
    await f.agree(3, 'Samen op 3 gezet');
    const stand = await f.stand();
    assert.match(text(stand), /Armoede: 3/, 'the revealed names on the screen');
    assert.match(text(stand), /Samen op 3 gezet/, 'the agreed note on the screen');
    await f.next();
    assert.equal(await armoede.current(), 'stelling-b', '"volgende" opens statement B');
  });
});

describe('answering what is not open', () => {
  const env = ownServer();
  let round;
  let f;
  let p;
  before(async () => {
    round = await meetingRound(env, 'Alleen wat open staat', ['Armoede', 'Gezondheid']);
    f = facilitator(env, round);
    [p] = await joinAll(env, round);
  });

  async function expectRefused(onderdeel, pairs, what) {
    const start = await f.lastEventId();
    const res = await p.post(onderdeel, pairs);
    const label = `POST ${p.path}/live onderdeel=${onderdeel} ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')} ${what}`;
    assert.equal(res.status, 409, label);
    assert.ok(text(mainOf(res.text_)).includes(NOT_OPEN), `${label}: the Dutch message "${NOT_OPEN}" (got: ${text(mainOf(res.text_)).slice(0, 200)})`);
    assert.match(res.text_, /<html lang="nl"/, `${label}: a Dutch page`);
    assert.deepEqual(await f.eventsAfter(start), [], `${label}: no event`);
  }

  it('nothing open yet: refused, nothing stored', async () => {
    assert.equal(await p.current(), '', 'nothing is open');
    const live = await p.page();
    assert.doesNotMatch(live.text_, /name="onderdeel"/, 'the waiting page has no answer form');
    assert.match(live.text_, /<noscript><meta http-equiv="refresh" content="5"><\/noscript>/, 'the waiting page looks again every 5 s without JavaScript');
    await expectRefused('stelling-a', [['stelling-a.value', '3']], 'before anything is open');
    assert.equal(reviewAnswer(await p.review(), 'A.'), 'Niet beantwoord', 'statement A is not stored');
  });

  it('a page left open after the facilitator moved on: refused, nothing stored', async () => {
    await f.open('stelling-a');
    const live = await p.page();
    assert.match(live.text_, /name="onderdeel" value="stelling-a"/, 'the live page shows statement A');
    await f.next();
    assert.equal(await p.current(), 'stelling-b', 'the facilitator moved on to B');
    await expectRefused('stelling-a', [['stelling-a.value', '4']], 'after B was opened');
    assert.equal(reviewAnswer(await p.review(), 'A.'), 'Niet beantwoord', 'statement A is not stored');
  });

  it('another item than the open one: refused or ignored, never stored', async () => {
    await expectRefused('stelling-c', [['stelling-c.value', '2']], 'while B is open');
    const start = await f.lastEventId();
    // The open item named, but a value for another one.
    await p.post('stelling-b', [['stelling-c.value', '2']]);
    assert.equal(reviewAnswer(await p.review(), 'C.'), 'Niet beantwoord', 'statement C is not stored');
    assert.deepEqual((await f.eventsAfter(start)).filter((e) => e.kind === 'antwoord'), [], 'no "antwoord" event for C');
  });

  it('a whole step open: its items can be answered, another step\'s cannot', async () => {
    await f.open('stap:stap-2');
    await expectRefused('stelling-a', [['stelling-a.value', '2']], 'while step 2 is open');
    const res = await p.post('stap:stap-2', [['vraag-1.option', 'veel-inwoners'], ['stelling-a.value', '2']]);
    assert.equal(res.status, 303, `POST ${p.path}/live onderdeel=stap:stap-2 with an answer to question 1`);
    const review = await p.review();
    assert.match(reviewAnswer(review, '1.'), /^Veel van onze inwoners/, 'question 1 of step 2 is stored');
    assert.equal(reviewAnswer(review, 'A.'), 'Niet beantwoord', 'statement A (step 1) is not stored with it');
  });

  it('the open item is answered: 303 back to the live page and stored', async () => {
    await f.open('stelling-a');
    await p.answer('stelling-a', 2);
    assert.equal(reviewAnswer(await p.review(), 'A.'), '2 (niet mee eens)', 'statement A is stored');
  });
});

describe('a live answer is the stored answer', () => {
  const env = ownServer();
  let round;
  let f;
  let armoede;
  let gezondheid;
  before(async () => {
    round = await meetingRound(env, 'Een antwoord, een plek', ['Armoede', 'Gezondheid']);
    f = facilitator(env, round);
    await f.open('stelling-a');
    [armoede, gezondheid] = await joinAll(env, round);
  });

  it('shows on the review page, in the normal form and in the results', async () => {
    await armoede.answer('stelling-a', 4);
    await gezondheid.answer('stelling-a', 'dont_know');
    assert.equal(reviewAnswer(await armoede.review(), 'A.'), '4 (mee eens)', `GET ${armoede.path}/controle: statement A answered live`);
    const step = await armoede.client.get(`${armoede.path}/stap/1`);
    assert.equal(step.status, 200, `GET ${armoede.path}/stap/1`);
    assert.ok(isChecked(step.text_, 'stelling-a-4'), `GET ${armoede.path}/stap/1: the live answer 4 is checked in the normal form`);
    const results = await env.coord.a.get(`/rondes/${round.id}/resultaten?concepten=1`);
    assert.equal(results.status, 200, `GET /rondes/${round.id}/resultaten?concepten=1`);
    assert.equal(resultCell(results.text_, 'A.', 'Armoede'), '4', 'the results show Armoede\'s live answer to A');
    assert.match(text(await f.stand()), /Antwoorden: 2 van 2/, 'the screen counts both answers');
  });

  it('one copy: the normal form changes what the live page shows, and the other way round', async () => {
    const res = await armoede.client.post(`${armoede.path}/stap/1`, [['csrf', armoede.csrf], ['stelling-a.value', '2'], ['ga', 'volgende']]);
    assert.equal(res.status, 303, `POST ${armoede.path}/stap/1 stelling-a.value=2`);
    const live = await armoede.page();
    assert.ok(isChecked(live.text_, 'stelling-a-2'), `GET ${armoede.path}/live: the answer changed in the normal form (2) is checked`);
    assert.ok(!isChecked(live.text_, 'stelling-a-4'), `GET ${armoede.path}/live: the earlier live answer (4) is not`);
    await armoede.answer('stelling-a', 5);
    assert.equal(reviewAnswer(await armoede.review(), 'A.'), '5 (helemaal mee eens)', 'the review shows the latest live answer only');
    const step = await armoede.client.get(`${armoede.path}/stap/1`);
    assert.ok(isChecked(step.text_, 'stelling-a-5') && !isChecked(step.text_, 'stelling-a-2'), 'the normal form shows the latest live answer only');
  });

  it('once handed in, the live answer counts in the results', async () => {
    const res = await armoede.client.post(`${armoede.path}/inleveren`, { csrf: armoede.csrf });
    assert.equal(res.status, 303, `POST ${armoede.path}/inleveren`);
    const results = await env.coord.a.get(`/rondes/${round.id}/resultaten`);
    assert.equal(results.status, 200, `GET /rondes/${round.id}/resultaten`);
    assert.equal(resultCell(results.text_, 'A.', 'Armoede'), '5', 'the results show the live answer 5 of Armoede');
  });
});

describe('a phone left open when the round closes', () => {
  const env = ownServer();
  let round;
  let p;
  before(async () => {
    round = await meetingRound(env, 'Gesloten tijdens de bijeenkomst', ['Armoede', 'Gezondheid']);
    await facilitator(env, round).open('stelling-a');
    [p] = await joinAll(env, round);
    await p.answer('stelling-a', 4);
    const c = env.coord.a;
    const res = await c.post(`/rondes/${round.id}/sluiten`, { csrf: c.csrf });
    assert.equal(res.status, 303, `POST /rondes/${round.id}/sluiten as coordinator A`);
  });

  it('an answer sent from it is refused with a link back to the participant\'s own page', async () => {
    const res = await p.post('stelling-a', [['stelling-a.value', '1']]);
    const what = `POST ${p.path}/live after the round closed`;
    assert.equal(res.status, 409, what);
    assert.match(res.text_, /<html lang="nl"/, `${what}: a Dutch page`);
    const main = mainOf(res.text_);
    assert.match(main, /<h1 class="utrecht-heading-1">Deze ronde is gesloten<\/h1>/, `${what}: heading`);
    const links = [...main.matchAll(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map(([, href, label]) => [href, text(label)]);
    assert.deepEqual(links, [[p.path, '← Terug naar uw antwoorden']], `${what}: one link, back to ${p.path}`);
    assert.equal(reviewAnswer(await p.review(), 'A.'), '4 (mee eens)', `${what}: the earlier answer is kept`);
    const own = await p.client.get(p.path);
    assert.equal(own.status, 200, `GET ${p.path}, where the link leads`);
    assert.ok(own.text_.includes(`href="${p.path}/controle">Uw antwoorden bekijken</a>`), `GET ${p.path}: the way on to the answers`);
  });

  it('the live page says the round is closed and leads to the answers', async () => {
    const live = await p.page();
    const main = mainOf(live.text_);
    assert.match(main, /<h1 class="utrecht-heading-1">Deze ronde is gesloten<\/h1>/, `GET ${p.path}/live after the round closed: heading`);
    assert.doesNotMatch(main, /name="onderdeel"/, `GET ${p.path}/live after the round closed: no answer form`);
    assert.ok(main.includes(`href="${p.path}/controle">Uw antwoorden bekijken</a>`), `GET ${p.path}/live after the round closed: a link to the answers`);
    assert.doesNotMatch(live.text_, /http-equiv="refresh"/, `GET ${p.path}/live after the round closed: no reloading every few seconds`);
  });
});

describe('joining from the projector', () => {
  const env = ownServer();
  let round;
  let f;
  let code;
  before(async () => {
    round = await meetingRound(env, 'Meedoen via het scherm', ['Armoede', 'Gezondheid', 'GGD']);
    f = facilitator(env, round);
    await f.open('stelling-e');
    const screen = await env.coord.a.get(`/rondes/${round.id}/bijeenkomst`);
    assert.equal(screen.status, 200, `GET /rondes/${round.id}/bijeenkomst`);
    const m = screen.text_.match(/<strong>http:\/\/127\.0\.0\.1:\d+\/m\/([^<\s]+)<\/strong>/);
    assert.ok(m, 'the screen shows the join link');
    code = m[1];
    assert.match(code, new RegExp(`^${round.id}-[A-HJKMNP-Z2-9]{6}$`), 'the join code: the round number and six characters without look-alikes');
  });

  it('the join page lists the participants and leads to the chosen one\'s live page', async () => {
    const visitor = new Client(env.server.url);
    const page = await visitor.get(`/m/${code}`);
    assert.equal(page.status, 200, `GET /m/${code}`);
    const labels = [...page.text_.matchAll(/<label for="p(\d+)">([^<]*)<\/label>/g)].map((m) => ({ id: Number(m[1]), label: m[2] }));
    assert.deepEqual(labels, round.participants.map(({ id, label }) => ({ id, label })), `GET /m/${code}: every participant, in order`);
    assert.match(page.text_, /<h1 class="utrecht-heading-1">Meedoen via het scherm<\/h1>/, `GET /m/${code}: the round title`);
    const gezondheid = round.participants[1];
    const res = await visitor.post(`/m/${code}`, { csrf: Client.csrf(page.text_), deelnemer: String(gezondheid.id) });
    assert.equal(res.status, 303, `POST /m/${code} deelnemer=${gezondheid.id}`);
    assert.equal(res.headers.get('location'), `/i/${gezondheid.token}/live`, `POST /m/${code}: to Gezondheid's live page`);
    const live = await visitor.get(res.headers.get('location'));
    assert.equal(live.status, 200, `GET /i/${gezondheid.token}/live`);
    assert.match(text(mainOf(live.text_)), /Meedoen via het scherm · Gezondheid/, 'the live page says who answers');
    assert.match(live.text_, /name="onderdeel" value="stelling-e"/, 'the live page shows the open statement E');
    const again = await new Client(env.server.url).get(`/m/${code}`);
    assert.match(again.text_, /<label for="p\d+">Gezondheid \(al aangemeld\)<\/label>/, `GET /m/${code} after joining: Gezondheid has joined`);
    assert.match(await f.stand(), /meeting__person--joined">Gezondheid</, 'the screen shows Gezondheid as joined');
  });

  it('a wrong code gets the Dutch 404 page', async () => {
    const suffix = code.slice(code.indexOf('-') + 1);
    const other = await meetingRound(env, 'Een andere bijeenkomst', ['Iemand']);
    const wrong = [`${round.id}-AAAAAAAA`, `${round.id}-${suffix.slice(0, suffix.length - 1)}`, `${round.id}-${suffix}x`, `${other.id}-${suffix}`,
      `99999-${suffix}`, suffix, 'onzin', `${round.id}`, `${round.id}-`];
    for (const c of wrong) {
      const res = await new Client(env.server.url).get(`/m/${encodeURIComponent(c)}`);
      assert.equal(res.status, 404, `GET /m/${c}`);
      assert.ok(text(mainOf(res.text_)).includes(CODE_UNKNOWN), `GET /m/${c}: "${CODE_UNKNOWN}"`);
      assert.match(res.text_, /<html lang="nl"/, `GET /m/${c}: a Dutch page`);
    }
    const visitor = new Client(env.server.url);
    const csrf = await visitor.csrfFrom(`/m/${code}`);
    for (const [c, deelnemer, why] of [
      [`${round.id}-AAAAAAAA`, round.participants[0].id, 'a wrong code'],
      [code, other.participants[0].id, 'a participant of another round'],
      [code, 999999, 'an unknown participant'],
    ]) {
      const res = await visitor.post(`/m/${c}`, { csrf, deelnemer: String(deelnemer) });
      assert.equal(res.status, 404, `POST /m/${c} deelnemer=${deelnemer} (${why})`);
      assert.equal(res.headers.get('location'), null, `POST /m/${c} (${why}): no way to a live page`);
    }
  });

  it('a round where everyone fills in separately has no working join code', async () => {
    const form = await meetingRound(env, 'Gewone ronde', ['Iemand'], 'separate');
    const res = await env.coord.a.get(`/rondes/${form.id}/bijeenkomst`);
    // The screen of such a round may exist or not; if it shows a code, the code must not work.
    const m = res.text_.match(/\/m\/([^<\s"]+)/);
    if (m) {
      const join = await new Client(env.server.url).get(`/m/${m[1]}`);
      assert.equal(join.status, 404, `GET /m/${m[1]} for a round in mode "separate"`);
    }
  });
});

describe('answers through the JSON API in a meeting round', () => {
  const env = ownServer();

  it('reach the screen like answers from the live page', async () => {
    const round = await meetingRound(env, 'Antwoorden via de API', ['Armoede', 'Gezondheid']);
    const f = facilitator(env, round);
    await f.open('stelling-a');
    const start = await f.lastEventId();
    for (const [i, p] of round.participants.entries()) {
      const res = await fetch(`${env.server.url}/api/v1/participation/answers/stelling-a`, {
        method: 'PUT',
        headers: { authorization: `Invitation ${p.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ value: i + 2 }),
      });
      assert.equal(res.status, 200, `PUT /api/v1/participation/answers/stelling-a (${p.label}): ${await res.text()}`);
    }
    const answers = (await f.eventsAfter(start)).filter((e) => e.kind === 'antwoord');
    assert.deepEqual(answers.map((e) => [e.data.participant, e.data.item]),
      round.participants.map((p) => [p.id, 'stelling-a']), 'an "antwoord" event per answer sent through the API, in order');
  });
});
