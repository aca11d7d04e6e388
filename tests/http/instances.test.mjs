// Several `gids serve` instances on one PostgreSQL database, as behind a proxy (README: "GIDS
// voor veel gemeenten"). Needs PostgreSQL (GIDS_PG_HOST, see tests/pg/cluster.sh); skipped
// without it. Covered: answers saved through instance A reach the facilitator's live stream
// on instance B, in order and once, also after the connections that listen for them were
// cut; a coordinator logged in through A is logged in on B with the same cookie, and logged
// out on both; failed logins through A and B count together, per account and per address
// (X-Forwarded-For from a trusted proxy); the results page on B shows an answer and a
// practice example published through A; an instrument version uploaded through A can be used through B; instances started at
// the same moment on a new database take turns at setting it up; kill -9 of one instance
// while participants save through both loses no acknowledged answer. With nginx installed,
// the configuration in deploy/nginx in front of both instances: live events go through
// unbuffered, static files are compressed, the client cannot choose its own address, the
// body limit holds, GIDS's own error pages (a 404, and the 503 of /healthz without a
// database) come through unchanged, and with both instances stopped every request gets the
// Dutch page deploy/nginx/niet-bereikbaar.html with 503 and Retry-After.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer, freshPostgres, freePort, gids, runSql, postgresAdmin, Client, ROOT, GIDS, ADMIN, COORD_A, COORD_B } from './lib/server.mjs';
import { openStream, waitUntil, orderProblem, comparable, eventsAfter, lastEventId } from './lib/sse.mjs';

const INSTRUMENT = 'gesprekstool-armoede-gezondheid';
const THROTTLED = 'U heeft te vaak een verkeerd wachtwoord ingevuld.';
const skip = process.env.GIDS_PG_HOST ? false : 'needs PostgreSQL: start one with tests/pg/cluster.sh and set GIDS_PG_HOST';
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------
// Instances

// Two instances on one fresh database with one shared secret file; users only through the
// first. Both trust 127.0.0.1 as a proxy, as deploy/systemd/gids@.service does.
async function twoInstances() {
  const dir = mkdtempSync(join(tmpdir(), 'gids-instances-'));
  const secretFile = join(dir, 'secret.key');
  writeFileSync(secretFile, randomBytes(32), { mode: 0o600 });
  const dbUrl = freshPostgres();
  const extraArgs = ['--secret-file', secretFile, '--trusted-proxy', '127.0.0.1'];
  const a = await startServer({ dbUrl, users: true, extraArgs });
  const b = await startServer({ dbUrl, users: false, extraArgs });
  const t = gids(['token', 'create', '--db', dbUrl, '--email', COORD_A.email]);
  assert.equal(t.code, 0, `gids token create --email ${COORD_A.email}: ${t.stderr}`);
  return {
    a, b, dir, dbUrl, apiToken: t.stdout.trim(),
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// '' while the server runs; otherwise how it ended and its last log lines.
function serverDied(server, name) {
  const { exitCode, signalCode } = server.proc;
  if (exitCode === null && signalCode === null) return '';
  return `\ninstance ${name} has stopped (exit code ${exitCode}, signal ${signalCode}):\n${server.log().split('\n').slice(-15).join('\n')}`;
}

function psql(dbUrl, sql) {
  const r = spawnSync('psql', [dbUrl, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql -c "${sql}": ${r.stderr}`);
  return r.stdout.trim();
}

// A round of coordinator A through the JSON API of `server`: { id, participants: [{ id, label, token }] }.
async function createRound(server, apiToken, title, labels, { mode = 'meeting', instrument = INSTRUMENT } = {}) {
  const res = await fetch(`${server.url}/api/v1/assessments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ instrument, title, mode, participants: labels.map((label) => ({ label })) }),
  });
  const body = await res.text();
  assert.equal(res.status, 201, `POST ${server.url}/api/v1/assessments "${title}": ${body.slice(0, 300)}`);
  const round = JSON.parse(body);
  return { id: round.id, participants: round.invitations.map((i) => ({ id: i.participantId, label: i.label, token: i.token })) };
}

// Logs in with the login form, the request coming from `address` by way of a trusted proxy.
async function loginFrom(client, { email, password }, address) {
  const headers = address ? { 'x-forwarded-for': address } : {};
  const page = await client.get('/inloggen', { headers });
  return client.post('/inloggen', { csrf: Client.csrf(page.text_), email, password }, { headers });
}

// A coordinator logged in through `server`, with the CSRF token of their session.
async function coordinator(server, user = COORD_A) {
  const c = new Client(server.url);
  const res = await c.login(user);
  assert.equal(res.status, 303, `login as ${user.email} through ${server.url}`);
  const dash = await c.get('/dashboard');
  c.municipality = dash.headers.get('location').match(/^\/gemeenten\/(\d+)$/)[1];
  c.csrf = await c.csrfFrom(`/gemeenten/${c.municipality}`);
  return c;
}

// The same cookies, sent to another instance.
function sameCookies(client, server) {
  const other = new Client(server.url);
  other.cookies = new Map(client.cookies);
  other.csrf = client.csrf;
  other.municipality = client.municipality;
  return other;
}

// The facilitator's screen of a round, through the instance of `client`.
function screen(client, roundId) {
  const base = `/rondes/${roundId}/bijeenkomst`;
  return {
    async act(action, fields = {}) {
      const res = await client.post(`${base}/${action}`, { csrf: client.csrf, ...fields });
      assert.equal(res.status, 303, `POST ${client.base}${base}/${action} ${JSON.stringify(fields)}`);
    },
    eventsAfter: (after) => eventsAfter(client, roundId, after),
    lastEventId: () => lastEventId(client, roundId),
    stream(lastEventId) {
      return openStream(client.base, `${base}/stroom`, { cookie: client.cookieHeader(), lastEventId });
    },
  };
}

// A participant's live page (their phone), through the instance at `base`.
class Live {
  constructor(base, p) {
    this.label = p.label;
    this.path = `/i/${p.token}`;
    this.client = new Client(base);
  }
  async join() {
    const res = await this.client.get(`${this.path}/live`);
    assert.equal(res.status, 200, `GET ${this.client.base}${this.path}/live (${this.label})`);
  }
  async answer(item, value) {
    const csrf = this.client.cookies.get('gids_csrf');
    const res = await this.client.post(`${this.path}/live`, [['csrf', csrf], ['onderdeel', item], [`${item}.value`, String(value)]]);
    assert.equal(res.status, 303, `POST ${this.client.base}${this.path}/live ${item}=${value} (${this.label})`);
  }
}

// Waits until every stream has the events of `expected` (or more), then checks that each has
// exactly those, in order, once.
async function expectStreams(streams, expected, what) {
  await waitUntil(() => streams.every(([, s]) => s.events.length >= expected.length), 10_000,
    () => `${what}: not every stream received the ${expected.length} events: ${streams.map(([name, s]) => `${name} ${s.events.length}`).join(', ')}`);
  await sleep(200); // anything extra would show up now
  for (const [name, s] of streams) {
    assert.equal(orderProblem(s.events), null, `${what}: the stream on ${name} received the events out of order`);
    assert.deepEqual(comparable(s.events), comparable(expected), `${what}: the stream on ${name} has exactly the events the polling endpoint lists`);
  }
}

// ---------------------------------------------------------------------------------------

describe('two instances on one PostgreSQL database', { skip }, () => {
  let env;
  before(async () => { env = await twoInstances(); });
  after(async () => { await env?.stop(); });

  it('answers saved through A reach the facilitator\'s stream on B (and on A), in order and once', { timeout: 60_000 }, async () => {
    const { a, b } = env;
    const labels = ['Armoede', 'GGD', 'Wijkteam', 'Schuldhulp', 'Jeugd', 'Wonen'];
    const round = await createRound(a, env.apiToken, 'Twee instanties', labels);
    const onB = await coordinator(b);
    const onA = sameCookies(onB, a);
    const screenB = screen(onB, round.id);
    const screenA = screen(onA, round.id);
    await screenB.act('openen', { onderdeel: 'stelling-a' });
    const start = await screenB.lastEventId();
    const streams = [['B', await screenB.stream(start)], ['B (second screen)', await screenB.stream(start)], ['A', await screenA.stream(start)]];
    for (const [name, s] of streams) assert.equal(s.status, 200, `the stream on ${name}`);

    const people = round.participants.map((p) => new Live(a.url, p));
    for (const p of people) await p.join();
    // One answer, alone: it reaches B promptly.
    const t0 = performance.now();
    await people[0].answer('stelling-a', 4);
    await waitUntil(() => streams[0][1].events.some((e) => e.kind === 'antwoord'), 2000, 'the first answer through A reaches the stream on B within 2 s');
    const delay = streams[0][1].events.find((e) => e.kind === 'antwoord').at - t0;
    // Then bursts of answers through A, while the facilitator acts through A and B.
    const values = ['1', '2', '3', '4', '5', 'dont_know'];
    let answers = 1;
    for (let burst = 0; burst < 4; burst++) {
      await Promise.all(people.flatMap((p, i) => Array.from({ length: 5 }, (_, k) => p.answer('stelling-a', values[(i + k + burst) % 6]))));
      answers += people.length * 5;
      await (burst % 2 ? screenA : screenB).act('namen', { tonen: burst % 2 ? '0' : '1' });
    }
    const expected = await screenA.eventsAfter(start);
    assert.deepEqual([...new Set(expected.map((e) => e.kind))].sort(), ['aangemeld', 'antwoord', 'namen'], 'the kinds of events after the start');
    assert.equal(expected.filter((e) => e.kind === 'antwoord').length, answers, `one "antwoord" event per answer (${answers})`);
    assert.deepEqual(await screenB.eventsAfter(start), expected, 'the polling endpoint lists the same events on A and B');
    await expectStreams(streams, expected, `${answers} answers through A`);
    assert.ok(delay < 1000, `the first answer reached B after ${delay.toFixed(0)} ms`);
    for (const [, s] of streams) s.close();
  });

  it('the streams on B catch up after the connections that listen for events were cut', { timeout: 60_000 }, async () => {
    const { a, b } = env;
    const round = await createRound(a, env.apiToken, 'Verbinding kwijt', ['Armoede', 'GGD', 'Wijkteam']);
    const onB = await coordinator(b);
    const screenB = screen(onB, round.id);
    await screenB.act('openen', { onderdeel: 'stelling-b' });
    const people = round.participants.map((p) => new Live(a.url, p));
    for (const p of people) await p.join();
    const start = await screenB.lastEventId();
    const streams = [['B', await screenB.stream(start)], ['B (second screen)', await screenB.stream(start)]];
    await people[0].answer('stelling-b', 2);
    await waitUntil(() => streams.every(([, s]) => s.events.length === 1), 5000, 'the first answer reaches both streams on B');
    // Cut both instances' listening connections, three times, while answers keep coming
    // through A: the answers stored before a listener is back are found when it is.
    for (let cut = 0; cut < 3; cut++) {
      const ended = psql(env.dbUrl, "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gids-listener' AND datname = current_database()) t");
      assert.equal(ended, '2', 'one listening connection per instance was ended');
      await Promise.all(people.map((p, i) => p.answer('stelling-b', String(((i + cut) % 5) + 1))));
      await sleep(50);
    }
    await Promise.all(people.map((p) => p.answer('stelling-b', '5')));
    const expected = await screenB.eventsAfter(start);
    assert.equal(expected.length, 1 + 3 * 3 + 3, 'one event per answer');
    await expectStreams(streams, expected, 'answers while the listening connections were cut');
    assert.match(b.log(), /lost the connection that listens for meeting events/, 'instance B logged the lost connection');
    for (const [, s] of streams) s.close();
  });

  it('a coordinator logged in through A is logged in on B with the same cookie, and logged out on both', async () => {
    const { a, b } = env;
    const onA = await coordinator(a);
    const onB = sameCookies(onA, b);
    const dash = await onB.get('/dashboard');
    assert.equal(dash.status, 303, 'GET /dashboard on B with the session cookie of A');
    assert.equal(dash.headers.get('location'), `/gemeenten/${onA.municipality}`, 'B knows whose session it is');
    const page = await onB.get(`/gemeenten/${onA.municipality}`);
    assert.equal(page.status, 200, `GET /gemeenten/${onA.municipality} on B`);
    // A form of A's page, posted to B: the session's CSRF token is in the database too.
    const round = await createRound(a, env.apiToken, 'Sluiten via B', ['Armoede'], { mode: 'separate' });
    const close = await onB.post(`/rondes/${round.id}/sluiten`, { csrf: onA.csrf });
    assert.equal(close.status, 303, `POST /rondes/${round.id}/sluiten on B with the CSRF token of a page of A`);
    const closed = await onA.get(`/api/v1/assessments/${round.id}`, { headers: { authorization: `Bearer ${env.apiToken}` } });
    assert.equal(JSON.parse(closed.text_).status, 'gesloten', 'the round closed through B is closed on A');
    const out = await onB.post('/uitloggen', { csrf: onA.csrf });
    assert.equal(out.status, 303, 'POST /uitloggen on B');
    const again = await new Client(a.url).get('/dashboard', { headers: { cookie: onA.cookieHeader() } });
    assert.equal(again.status, 303, 'GET /dashboard on A after logging out on B');
    assert.match(again.headers.get('location'), /^\/inloggen/, 'after logging out on B, the cookie no longer works on A');
  });

  it('failed logins through A and B count together, per account and per address', async () => {
    const { a, b } = env;
    const instances = [a, b];
    // Per account: five wrong passwords for B's coordinator, alternately through A and B and
    // each from another address, so that only the account's count can stop the sixth.
    for (let i = 0; i < 5; i++) {
      const res = await loginFrom(new Client(instances[i % 2].url), { ...COORD_B, password: `fout-${i}` }, `198.51.100.${i + 1}`);
      assert.equal(res.status, 401, `wrong password ${i + 1} for ${COORD_B.email} through ${i % 2 ? 'B' : 'A'}`);
    }
    for (const [name, server] of [['A', a], ['B', b]]) {
      const res = await loginFrom(new Client(server.url), COORD_B, '198.51.100.77');
      assert.equal(res.status, 429, `the right password for ${COORD_B.email} through ${name} after five failures through A and B`);
      assert.ok(res.text_.includes(THROTTLED), `through ${name}: "${THROTTLED}"`);
    }
    // Per address: five failures from one address for five unknown accounts, alternately
    // through A and B; then even a right password from that address waits.
    for (let i = 0; i < 5; i++) {
      const res = await loginFrom(new Client(instances[i % 2].url), { email: `onbekend${i}@test.gids.nl`, password: 'wat-dan-ook-123' }, '203.0.113.9');
      assert.equal(res.status, 401, `failure ${i + 1} from 203.0.113.9 through ${i % 2 ? 'B' : 'A'}`);
    }
    for (const [name, server] of [['A', a], ['B', b]]) {
      const res = await loginFrom(new Client(server.url), ADMIN, '203.0.113.9');
      assert.equal(res.status, 429, `the right password for ${ADMIN.email} from 203.0.113.9 through ${name}`);
    }
    const other = await loginFrom(new Client(b.url), ADMIN, '203.0.113.10');
    assert.equal(other.status, 303, `the right password for ${ADMIN.email} from another address through B`);
  });

  it('the results page on B shows an answer saved through A at once', async () => {
    const { a, b } = env;
    const round = await createRound(a, env.apiToken, 'Resultaten op B', ['Armoede', 'GGD'], { mode: 'separate' });
    const onB = await coordinator(b);
    const path = `/rondes/${round.id}/resultaten?concepten=1`;
    const cell = async () => {
      const res = await onB.get(path);
      assert.equal(res.status, 200, `GET ${path} on B`);
      const table = res.text_.match(/<table class="utrecht-table results-table">[\s\S]*?<\/table>/);
      assert.ok(table, `GET ${path} on B: the table of statements`);
      const row = table[0].match(/<tr class="utrecht-table__row[^"]*">\s*<th[^>]*>\s*A\.[\s\S]*?<\/tr>/);
      assert.ok(row, `GET ${path} on B: a row for statement A`);
      return [...row[0].matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1].replace(/<[^>]+>/g, '').trim())[0];
    };
    const save = async (value) => {
      const res = await fetch(`${a.url}/api/v1/participation/answers/stelling-a`, {
        method: 'PUT',
        headers: { authorization: `Invitation ${round.participants[0].token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ value }),
      });
      assert.equal(res.status, 200, `PUT stelling-a = ${value} through A`);
    };
    assert.equal(await cell(), '–', 'nothing answered yet: B renders and keeps the page');
    assert.equal(await cell(), '–', 'the same page again from B');
    for (const value of [2, 5, 3]) {
      await save(value);
      assert.equal(await cell(), String(value), `after saving ${value} through A, the results page on B shows it`);
    }
    // The page suggests practice examples for the lowest theme: one published through A
    // shows on B, although the round itself did not change.
    const before = await onB.get(path);
    const theme = before.text_.match(/href="\/inspiratie\?thema=([A-F])"/)?.[1];
    assert.ok(theme, `GET ${path} on B suggests examples for a theme`);
    const title = `Proef met twee instanties, thema ${theme}`;
    assert.ok(!before.text_.includes(title), 'the example is not suggested before it is published');
    const onA = await coordinator(a);
    const sent = await onA.post('/inspiratie/nieuw', [['csrf', await onA.csrfFrom('/inspiratie/nieuw')], ['actie', 'insturen'], ['title', title],
      ['summary', 'Een voorbeeld dat door instantie A wordt gepubliceerd.'], ['themes', theme], ['target_groups', ''], ['organisations', '']]);
    assert.equal(sent.status, 303, `POST /inspiratie/nieuw through A: ${sent.text_.slice(0, 300)}`);
    const admin = new Client(a.url);
    assert.equal((await admin.login(ADMIN)).status, 303, 'admin login through A');
    const moderation = await admin.get('/beheer/voorbeelden');
    const card = moderation.text_.split('<li class="card" id="inzending-').slice(1).find((c) => c.includes(title));
    assert.ok(card, 'the submission waits on the moderation page of A');
    const published = await admin.post(`/beheer/voorbeelden/${card.match(/^(\d+)/)[1]}/publiceren`, { csrf: Client.csrf(moderation.text_) });
    assert.equal(published.status, 303, 'the admin publishes it through A');
    const after = await onB.get(path);
    assert.ok(after.text_.includes(title), `after publication through A, the results page on B suggests "${title}"`);
  });

  it('an instrument version uploaded through A can be used through B', async () => {
    const { a, b } = env;
    const yaml = readFileSync(join(ROOT, 'instruments/inclusief-opdrachtgeverschap.yaml'), 'utf8')
      .replace(/^version: 1$/m, 'version: 2')
      .replace(/^title: "Checklist inclusief opdrachtgeverschap"$/m, 'title: "Checklist inclusief opdrachtgeverschap (proef)"');
    assert.match(yaml, /^version: 2$/m, 'the test copy has version 2');
    const admin = new Client(a.url);
    assert.equal((await admin.login(ADMIN)).status, 303, 'admin login through A');
    const upload = await admin.post('/instrumenten', { csrf: await admin.csrfFrom('/instrumenten'), yaml });
    assert.equal(upload.status, 303, `POST /instrumenten with version 2 through A: ${upload.text_.slice(0, 200)}`);
    // Through B: the list shows it, a new round uses it, its pages work.
    const onB = await coordinator(b);
    const list = await onB.get('/instrumenten');
    assert.ok(list.text_.includes('Checklist inclusief opdrachtgeverschap (proef)'), 'GET /instrumenten on B lists version 2');
    const round = await createRound(b, env.apiToken, 'Nieuwe versie via B', ['Aanbieder'], { mode: 'separate', instrument: 'inclusief-opdrachtgeverschap' });
    const stored = await fetch(`${a.url}/api/v1/assessments/${round.id}`, { headers: { authorization: `Bearer ${env.apiToken}` } });
    assert.equal((await stored.json()).instrumentVersion, 2, 'a round started through B uses version 2');
    const onA = await coordinator(a);
    const other = await createRound(a, env.apiToken, 'Nieuwe versie via A', ['Aanbieder'], { mode: 'separate', instrument: 'inclusief-opdrachtgeverschap' });
    for (const [name, client, id] of [['B', onB, round.id], ['B', onB, other.id], ['A', onA, round.id]]) {
      const res = await client.get(`/rondes/${id}`);
      assert.equal(res.status, 200, `GET /rondes/${id} (version 2) on ${name}`);
    }
  });

  it('both instances stop cleanly on SIGTERM while streams are open and answers come in', { timeout: 60_000 }, async () => {
    const { a, b } = env;
    for (const [name, server] of [['A', a], ['B', b]]) assert.equal(serverDied(server, name), '', `instance ${name} still runs`);
    const round = await createRound(a, env.apiToken, 'Stoppen', ['Armoede', 'GGD']);
    const onB = await coordinator(b);
    const screenB = screen(onB, round.id);
    await screenB.act('openen', { onderdeel: 'stelling-d' });
    const streams = [await screenB.stream(0), await screen(sameCookies(onB, a), round.id).stream(0)];
    const people = round.participants.map((p) => new Live(a.url, p));
    for (const p of people) await p.join();
    let answering = true;
    const writers = people.map(async (p) => {
      for (let k = 0; answering; k++) {
        try {
          await p.answer('stelling-d', String((k % 5) + 1));
        } catch {
          return; // the instance has stopped
        }
      }
    });
    await waitUntil(() => streams.every((s) => s.events.length > 20), 10_000, 'both streams receive answers');
    const codes = await Promise.all([b.stop({ keep: true }), a.stop({ keep: true })]);
    answering = false;
    await Promise.all(writers);
    assert.deepEqual(codes, [0, 0], `exit codes of B and A after SIGTERM:\n${b.log().split('\n').slice(-8).join('\n')}\n${a.log().split('\n').slice(-8).join('\n')}`);
    for (const [name, server] of [['A', a], ['B', b]]) assert.doesNotMatch(server.log(), /Sanitizer|runtime error/, `instance ${name}: nothing from the sanitizers`);
    for (const s of streams) s.close();
  });
});

describe('instances that start at the same moment on a new database', { skip }, () => {
  it('take turns at setting it up: all three start', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gids-instances-'));
    const dbUrl = freshPostgres();
    const procs = [];
    try {
      const ports = [await freePort(), await freePort(), await freePort()];
      for (const port of ports) {
        const proc = spawn(GIDS, ['serve', '--db', dbUrl, '--listen', `127.0.0.1:${port}`, '--root', ROOT, '--secret-file', join(dir, 'secret.key')],
          { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
        proc.out = '';
        proc.stdout.on('data', (d) => { proc.out += d; });
        proc.stderr.on('data', (d) => { proc.out += d; });
        procs.push(proc);
      }
      await waitUntil(() => procs.every((p) => /luistert op/.test(p.out) || p.exitCode !== null), 30_000, 'all three instances start or stop');
      for (const [i, p] of procs.entries()) assert.equal(p.exitCode, null, `instance ${i + 1} runs:\n${p.out.slice(0, 600)}`);
      for (const port of ports) assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, `GET /healthz on port ${port}`);
      assert.equal(psql(dbUrl, 'SELECT count(*) FROM instruments'), String(readdirSync(join(ROOT, 'instruments')).filter((f) => f.endsWith('.yaml')).length), 'each built-in instrument stored once');
    } finally {
      for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : null)));
      rmSync(dir, { recursive: true, force: true });
    }
    for (const [i, p] of procs.entries()) assert.equal(p.exitCode, 0, `instance ${i + 1} stops cleanly on SIGTERM:\n${p.out.split('\n').slice(-10).join('\n')}`);
  });
});

describe('kill -9 of one instance while participants save through both', { skip }, () => {
  let env;
  before(async () => { env = await twoInstances(); });
  after(async () => { await env?.stop(); });

  it('every acknowledged save is there when read through the surviving instance', { timeout: 120_000 }, async (t) => {
    const { a, b } = env;
    const PARTICIPANTS = 8;
    const SAVES = 60; // per participant
    const ITEMS = ['wat-opvalt', 'opmerkingen-a', 'opmerkingen-b', 'opmerkingen-c'];
    const round = await createRound(a, env.apiToken, 'Eén valt om', Array.from({ length: PARTICIPANTS }, (_, i) => `Deelnemer ${i + 1}`), { mode: 'separate' });
    const acked = new Map(); // `${participant}/${item}` -> highest acknowledged save number
    const counts = { A: 0, B: 0, failed: 0, afterKill: 0 };
    let killed = false;
    // Each participant saves one answer after the other, alternately through A and B, each
    // save a new text in one of four items. Through A after the kill: the save fails.
    const writers = round.participants.map(async (p, i) => {
      for (let n = 1; n <= SAVES; n++) {
        const [name, server] = (n + i) % 2 ? ['A', a] : ['B', b];
        const item = ITEMS[n % ITEMS.length];
        try {
          const res = await fetch(`${server.url}/api/v1/participation/answers/${item}`, {
            method: 'PUT',
            headers: { authorization: `Invitation ${p.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ value: `${p.label}: opslag ${n}` }),
          });
          await res.arrayBuffer();
          if (res.status >= 200 && res.status < 300) {
            counts[name]++;
            if (killed) counts.afterKill++;
            acked.set(`${i}/${item}`, n);
          } else {
            counts.failed++;
          }
        } catch {
          counts.failed++;
        }
      }
    });
    // Kill A somewhere in the middle, without warning.
    await waitUntil(() => counts.A + counts.B >= (PARTICIPANTS * SAVES) / 3, 60_000, 'a third of the saves acknowledged');
    await sleep(Math.random() * 100);
    a.proc.kill('SIGKILL');
    killed = true;
    await Promise.all(writers);
    await new Promise((r) => (a.proc.signalCode ? r() : a.proc.once('exit', r)));
    assert.equal(a.proc.signalCode, 'SIGKILL', 'instance A was killed');
    assert.ok(counts.A >= 50, `saves acknowledged by A before the kill: ${counts.A}`);
    assert.ok(counts.afterKill >= 50, `saves acknowledged by B after the kill: ${counts.afterKill}`);
    assert.ok(counts.failed > 0, 'some saves through A failed after the kill');

    let lost = [];
    for (const [i, p] of round.participants.entries()) {
      const res = await fetch(`${b.url}/api/v1/participation`, { headers: { authorization: `Invitation ${p.token}` } });
      assert.equal(res.status, 200, `GET /api/v1/participation on B for ${p.label}`);
      const { answers } = await res.json();
      for (const item of ITEMS) {
        const want = acked.get(`${i}/${item}`);
        if (!want) continue;
        const got = Number((answers[item] ?? '').match(/: opslag (\d+)$/)?.[1] ?? 0);
        // A save sent to A just before the kill may have been stored without its answer
        // arriving: then a later number is there, never an earlier one.
        if (got < want) lost.push(`${p.label} ${item}: acknowledged save ${want}, stored ${got || 'nothing'}`);
      }
    }
    t.diagnostic(`saves acknowledged: ${counts.A} by A, ${counts.B} by B (${counts.afterKill} after the kill); ${counts.failed} failed`);
    assert.deepEqual(lost, [], `acknowledged saves missing after kill -9 of A (${counts.A} through A, ${counts.B} through B, ${counts.failed} failed)`);
    assert.equal(serverDied(b, 'B'), '', 'instance B still runs');
  });
});

// ---------------------------------------------------------------------------------------
// nginx from deploy/nginx in front of both instances

// The deployed configuration with the test's ports: plain HTTP on `port` instead of the
// HTTPS server and its redirect, the two instances as the upstream.
function testConfig(dir, port, a, b) {
  let conf = readFileSync(join(ROOT, 'deploy/nginx/gids.conf'), 'utf8');
  const substitute = (pattern, replacement, what) => {
    assert.match(conf, pattern, `deploy/nginx/gids.conf has ${what}`);
    conf = conf.replace(pattern, replacement);
  };
  substitute(/\nserver \{\n\s*listen 80;[\s\S]*?\n\}\n/, '\n', 'a server block that redirects port 80');
  substitute(/listen 443 ssl http2;/, `listen 127.0.0.1:${port};`, 'listen 443 ssl http2');
  substitute(/\n\s*listen \[::\]:443 ssl http2;/, '', 'listen [::]:443 ssl http2');
  substitute(/\n\s*ssl_[a-z_]+ [^\n]*;/g, '', 'ssl_ directives');
  substitute(/server 127\.0\.0\.1:8081 /, `server 127.0.0.1:${a.port} `, 'an upstream on port 8081');
  substitute(/server 127\.0\.0\.1:8082 /, `server 127.0.0.1:${b.port} `, 'an upstream on port 8082');
  substitute(/root \/opt\/gids\/deploy\/nginx;/, `root ${join(ROOT, 'deploy/nginx')};`, 'the page for when no instance answers, in /opt/gids/deploy/nginx');
  writeFileSync(join(dir, 'gids.conf'), conf);
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  writeFileSync(join(dir, 'nginx.conf'), `worker_processes 1;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  include ${dir}/gids.conf;
}
`);
}

describe('nginx with deploy/nginx/gids.conf in front of two instances', { skip: skip || (NGINX ? false : 'nginx is not installed (Debian package nginx-light)') }, () => {
  let env;
  let nginx;
  let nginxLog = '';
  let dir;
  let base;
  before(async () => {
    env = await twoInstances();
    dir = mkdtempSync(join(tmpdir(), 'gids-nginx-'));
    const port = await freePort();
    testConfig(dir, port, env.a, env.b);
    nginx = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${dir}/nginx.pid;`],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stdout.on('data', (d) => { nginxLog += d; });
    nginx.stderr.on('data', (d) => { nginxLog += d; });
    base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (nginx.exitCode !== null) assert.fail(`nginx stopped: ${nginxLog}${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch { /* not up yet */ }
      if (Date.now() > deadline) assert.fail(`nginx did not start: ${nginxLog}`);
      await sleep(50);
    }
  });
  after(async () => {
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGQUIT');
      await new Promise((r) => nginx.once('exit', r));
    }
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends requests to both instances', async () => {
    const marks = [env.a.log().length, env.b.log().length];
    for (let i = 0; i < 10; i++) assert.equal((await fetch(`${base}/healthz`)).status, 200, 'GET /healthz through nginx');
    assert.match(env.a.log().slice(marks[0]), /route=\/healthz/, 'instance A answered some');
    assert.match(env.b.log().slice(marks[1]), /route=\/healthz/, 'instance B answered some');
  });

  it('a live stream through nginx gets each answer at once, whichever instance stored it', { timeout: 60_000 }, async () => {
    const round = await createRound(env.a, env.apiToken, 'Achter nginx', ['Armoede', 'GGD', 'Wijkteam']);
    const facilitator = await coordinator({ url: base });
    const s = screen(facilitator, round.id);
    await s.act('openen', { onderdeel: 'stelling-c' });
    const people = round.participants.map((p) => new Live(base, p));
    for (const p of people) await p.join();
    const start = await s.lastEventId();
    const streams = [['nginx', await s.stream(start)], ['nginx (second screen)', await s.stream(start)]];
    for (const [name, stream] of streams) {
      assert.equal(stream.status, 200, `the stream through ${name}`);
      assert.match(stream.headers['content-type'], /^text\/event-stream/, `the stream through ${name}: content type`);
    }
    // One answer at a time (through nginx, so through A or B): each must arrive on its own,
    // not held back until a buffer fills.
    const delays = [];
    for (let k = 0; k < 12; k++) {
      const t0 = performance.now();
      await people[k % 3].answer('stelling-c', String((k % 5) + 1));
      await waitUntil(() => streams.every(([, stream]) => stream.events.length > k), 3000, `answer ${k + 1} reaches both streams through nginx within 3 s`);
      delays.push(Math.max(...streams.map(([, stream]) => stream.events[k].at)) - t0);
    }
    const expected = await s.eventsAfter(start);
    await expectStreams(streams, expected, '12 answers through nginx');
    delays.sort((x, y) => x - y);
    assert.ok(delays.at(-1) < 1000, `the slowest of 12 answers took ${delays.at(-1).toFixed(0)} ms from its response to both streams (median ${delays[6].toFixed(0)} ms)`);
    for (const [, stream] of streams) stream.close();
  });

  it('compresses style sheets and scripts, not pages', async () => {
    for (const path of ['/assets/gids.css', '/assets/gids.js']) {
      const res = await fetch(base + path, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(res.status, 200, `GET ${path} through nginx`);
      assert.equal(res.headers.get('content-encoding'), 'gzip', `GET ${path} through nginx: compressed`);
    }
    const page = await fetch(`${base}/inloggen`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(page.headers.get('content-encoding'), null, 'GET /inloggen through nginx: not compressed');
  });

  it('refuses a body larger than --body-limit with 413', async () => {
    const res = await fetch(`${base}/inloggen`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a'.repeat(8 * 1024 * 1024 + 1),
    });
    assert.equal(res.status, 413, 'POST /inloggen with 8 MiB + 1 byte through nginx');
  });

  it('GIDS\'s own error pages come through unchanged', async () => {
    for (const path of ['/bestaat-niet-123', `/i/${'Q'.repeat(22)}`]) {
      const direct = await fetch(env.a.url + path);
      const through = await fetch(base + path);
      assert.equal(direct.status, 404, `GET ${path} from instance A`);
      assert.equal(through.status, 404, `GET ${path} through nginx`);
      assert.equal(through.headers.get('content-type'), direct.headers.get('content-type'), `GET ${path} through nginx: content type`);
      assert.equal(through.headers.get('content-security-policy'), direct.headers.get('content-security-policy'), `GET ${path} through nginx: GIDS's Content-Security-Policy`);
      assert.equal(await through.text(), await direct.text(), `GET ${path} through nginx: the page GIDS made`);
    }
  });

  // Afterwards logins through this nginx wait 15 minutes: later tests here do not log in.
  it('counts failed logins by the address nginx sees, not by what the client says', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await loginFrom(new Client(base), { email: `niemand${i}@test.gids.nl`, password: 'wat-dan-ook-123' }, `192.0.2.${i + 1}`);
      assert.equal(res.status, 401, `failure ${i + 1} through nginx, claiming to come from 192.0.2.${i + 1}`);
    }
    const res = await loginFrom(new Client(base), ADMIN, '192.0.2.99');
    assert.equal(res.status, 429, 'the sixth login through nginx from the same client waits, whatever address it claims');
    assert.equal(nginx.exitCode, null, 'nginx still runs');
  });

  // The database of both instances goes away and comes back; the next test stops them.
  it('GIDS\'s own 503 from /healthz comes through when its database is down, not nginx\'s page', async () => {
    const { name, url } = postgresAdmin(env.dbUrl);
    try {
      runSql(url, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      runSql(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
      const direct = await fetch(`${env.a.url}/healthz`);
      const directBody = await direct.text();
      assert.equal(direct.status, 503, `GET /healthz from instance A without its database: ${directBody}`);
      const res = await fetch(`${base}/healthz`);
      const body = await res.text();
      assert.equal(res.status, 503, 'GET /healthz through nginx without the database');
      assert.equal(body, directBody, 'GET /healthz through nginx without the database: what GIDS answered, not the page of nginx');
      assert.equal(res.headers.get('retry-after'), null, 'GET /healthz through nginx without the database: no Retry-After from nginx');
    } finally {
      runSql(url, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
  });

  // Last in this group: stops both instances.
  it('with no instance running, every kind of request gets the Dutch page with 503 and Retry-After', async () => {
    await Promise.all([env.a.stop({ keep: true }), env.b.stop({ keep: true })]);
    const page = readFileSync(join(ROOT, 'deploy/nginx/niet-bereikbaar.html'), 'utf8');
    assert.match(page, /<html lang="nl">/, 'deploy/nginx/niet-bereikbaar.html is in Dutch');
    assert.doesNotMatch(page, /<script|<link|<img|\ssrc=|url\(|@import/i, 'deploy/nginx/niet-bereikbaar.html needs nothing from elsewhere and runs no script');
    const requests = [
      ['GET', '/inloggen', {}],
      ['GET', `/i/${'Q'.repeat(22)}`, {}],
      ['POST', '/inloggen', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.nl' }],
      ['GET', '/rondes/1/bijeenkomst/stroom', { headers: { accept: 'text/event-stream' } }],
      ['GET', '/assets/gids.css', { headers: { 'accept-encoding': 'gzip' } }],
      ['GET', '/healthz', {}],
    ];
    for (const [method, path, opts] of requests) {
      const what = `${method} ${path} through nginx with both instances stopped`;
      const res = await fetch(base + path, { method, ...opts });
      const body = await res.text();
      assert.equal(res.status, 503, `${what}: status (body: ${body.slice(0, 120)})`);
      assert.equal(res.headers.get('retry-after'), '120', `${what}: Retry-After`);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8', `${what}: content type`);
      assert.equal(res.headers.get('cache-control'), 'no-store', `${what}: not kept in a cache`);
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000', `${what}: HSTS as on every other answer`);
      assert.equal(body, page, `${what}: deploy/nginx/niet-bereikbaar.html`);
    }
    assert.match(page, /GIDS is even niet bereikbaar/, 'the page says GIDS cannot be reached');
    assert.equal(nginx.exitCode, null, 'nginx still runs');
  });
});
