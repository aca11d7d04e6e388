// Live meeting: 500 screens follow one meeting round, 400 by Server-Sent Events (the cap,
// --max-streams 400) and 100 by polling the JSON endpoint every 500 ms, while participants
// answer at a steady 20 answers/s for 20 s. Measures for each answer the time from sending
// it until every one of the 500 clients has it (p50, p99, max), the server's peak RSS
// (VmHWM) and the p99 of ordinary pages (/healthz and the logged-in dashboard) fetched during
// the load. Targets (issue 5): delivery p99 <= 1 s, RSS <= 128 MB, ordinary page p99 <= 50 ms.
// Only 127.0.0.1; about 40 s in all. Prints the figures; asserts nothing.
// BENCH_ENGINE=postgresql runs on a PostgreSQL cluster of its own (tests/pg/cluster.sh);
// BENCH_INSTANCES=2 starts two servers on that database: answers go to the first, the
// clients are spread over both (each with half the stream cap), so that what is measured
// includes the way from one instance to the other.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GIDS = process.env.GIDS_BIN || join(ROOT, 'build/release/gids');
const STREAMS = 400;
const POLLERS = 100;
const POLL_MS = 500;
const RATE = 20; // answers per second
const SECONDS = 20;
const PARTICIPANTS = 40; // each answers every PARTICIPANTS / RATE = 2 s
const PAGE_EVERY_MS = 100;
const COORDINATOR = { email: 'coordinator@demo.gids.nl', password: 'demo-coordinator-2026' };

const ENGINE = process.env.BENCH_ENGINE || 'sqlite';
const INSTANCES = Number(process.env.BENCH_INSTANCES) || 1;
const dir = mkdtempSync(join(tmpdir(), 'gids-bench-meeting-'));
const pgDir = ENGINE === 'postgresql' ? mkdtempSync(join(tmpdir(), 'gids-bench-meeting-pg-')) : null;
const secret = join(dir, 'secret.key');
const port = Number(process.env.BENCH_PORT) || 18000 + Math.floor(Math.random() * 1000);
const ports = Array.from({ length: INSTANCES }, (_, i) => port + i);
const HOST = '127.0.0.1';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
const servers = [];
let serverLog = '';
setTimeout(() => fail('still running after 110 s'), 110_000).unref();
const sockets = new Set(); // every stream request, to close at the end

function cleanup() {
  for (const req of sockets) req.destroy();
  for (const s of servers) if (s.exitCode === null && s.signalCode === null) s.kill('SIGTERM');
  if (pgDir) spawnSync(join(ROOT, 'tests/pg/cluster.sh'), ['stop', pgDir]);
  rmSync(dir, { recursive: true, force: true });
}

function fail(message) {
  console.error(`meeting benchmark: ${message}`);
  if (serverLog) console.error(serverLog.split('\n').filter((l) => !l.includes('] method=')).slice(-10).join('\n'));
  cleanup();
  process.exit(1);
}

// ---------------------------------------------------------------------------------------
// HTTP on dedicated agents: Node's global agent and fetch would queue requests behind a
// small socket pool and measure the queue instead of the server.

const pollAgent = new http.Agent({ keepAlive: true, maxSockets: POLLERS + 10 });
const answerAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const pageAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const setupAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function request(method, path, { headers = {}, body, agent = setupAgent, to = port } = {}) {
  return new Promise((res, rej) => {
    const h = { ...headers };
    if (body !== undefined) {
      h['content-length'] = Buffer.byteLength(body);
      h['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const req = http.request({ host: HOST, port: to, method, path, headers: h, agent }, (r) => {
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks).toString('utf8') }));
      r.on('error', rej);
    });
    req.on('error', rej);
    req.end(body);
  });
}

const cookieOf = (res, name) => {
  for (const c of res.headers['set-cookie'] || []) {
    const m = c.match(new RegExp(`^${name}=([^;]*)`));
    if (m) return m[1];
  }
  return null;
};
const csrfIn = (html) => (html.match(/name="csrf" value="([^"]+)"/) || [])[1];

// ---------------------------------------------------------------------------------------
// Setup: the demo data, the server, a meeting round with statement A open.

const run = (args) => spawnSync(GIDS, args, { encoding: 'utf8', cwd: ROOT });
let db = `sqlite:${join(dir, 'gids.db')}`;
if (pgDir) {
  const started = spawnSync(join(ROOT, 'tests/pg/cluster.sh'), ['start', pgDir], { encoding: 'utf8' });
  if (started.status !== 0) fail(`PostgreSQL did not start: ${started.stderr}`);
  const env = Object.fromEntries([...started.stdout.matchAll(/(GIDS_PG_\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  const made = spawnSync('psql', ['-h', env.GIDS_PG_HOST, '-p', env.GIDS_PG_PORT, '-U', 'gids', '-d', 'postgres', '-qc', 'CREATE DATABASE bench'], { encoding: 'utf8' });
  if (made.status !== 0) fail(`CREATE DATABASE failed: ${made.stderr}`);
  db = `postgresql://gids@/bench?host=${encodeURIComponent(env.GIDS_PG_HOST)}&port=${env.GIDS_PG_PORT}`;
}
let r = run(['demo', '--db', db, '--secret-file', secret]);
if (r.status !== 0) fail(`gids demo failed: ${r.stderr}`);
const apiToken = run(['token', 'create', '--db', db, '--email', COORDINATOR.email]).stdout.trim();

// The request log is read and dropped; only the last lines are kept for a failure report.
const keep = (d) => { serverLog = (serverLog + d).slice(-20000); };
for (const p of ports) {
  const s = spawn(GIDS, ['serve', '--db', db, '--listen', `${HOST}:${p}`, '--root', ROOT, '--secret-file', secret,
    '--max-streams', String(STREAMS / INSTANCES)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  servers.push(s);
  s.stdout.on('data', keep);
  s.stderr.on('data', keep);
  for (let i = 0; ; i++) {
    if (s.exitCode !== null) fail(`gids serve exited at start (code ${s.exitCode})`);
    try {
      if ((await request('GET', '/healthz', { to: p })).status === 200) break;
    } catch { /* starting */ }
    if (i > 200) fail('gids serve did not start within 10 s');
    await sleep(50);
  }
}
server = servers[0];
const pids = servers.map((s) => s.pid);

const labels = Array.from({ length: PARTICIPANTS }, (_, i) => ({ label: `Deelnemer ${i + 1}` }));
const created = await request('POST', '/api/v1/assessments', {
  headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
  body: JSON.stringify({ instrument: 'gesprekstool-armoede-gezondheid', title: 'Bijeenkomst benchmark', mode: 'meeting', participants: labels }),
});
if (created.status !== 201) fail(`POST /api/v1/assessments: ${created.status} ${created.body.slice(0, 200)}`);
const round = JSON.parse(created.body);
const base = `/rondes/${round.id}/bijeenkomst`;

// The coordinator logs in; the session cookie serves every screen.
const loginPage = await request('GET', '/inloggen');
const preCsrf = cookieOf(loginPage, 'gids_csrf');
const login = await request('POST', '/inloggen', {
  headers: { cookie: `gids_csrf=${preCsrf}` },
  body: new URLSearchParams({ csrf: csrfIn(loginPage.body), email: COORDINATOR.email, password: COORDINATOR.password }).toString(),
});
const session = cookieOf(login, 'gids_session');
if (!session) fail(`login as ${COORDINATOR.email} failed (${login.status})`);
const coordCookie = `gids_session=${session}`;
const dashboardPath = (await request('GET', '/dashboard', { headers: { cookie: coordCookie } })).headers.location;
const screen = await request('GET', base, { headers: { cookie: coordCookie } });
if (screen.status !== 200) fail(`GET ${base}: ${screen.status}`);
const opened = await request('POST', `${base}/openen`, {
  headers: { cookie: coordCookie }, body: new URLSearchParams({ csrf: csrfIn(screen.body), onderdeel: 'stelling-a' }).toString(),
});
if (opened.status !== 303) fail(`POST ${base}/openen: ${opened.status}`);

// Every participant opens their live page once (joins) and keeps its CSRF cookie.
const participants = [];
for (const inv of round.invitations) {
  const page = await request('GET', `/i/${inv.token}/live`);
  if (page.status !== 200) fail(`GET /i/{token}/live: ${page.status}`);
  participants.push({ id: inv.participantId, token: inv.token, csrf: cookieOf(page, 'gids_csrf'), posts: [] });
}

async function lastEventId() {
  const res = await request('GET', `${base}/gebeurtenissen?na=0`, { headers: { cookie: coordCookie } });
  const { events } = JSON.parse(res.body);
  return events.length ? events.at(-1).id : 0;
}
const startId = await lastEventId();

// ---------------------------------------------------------------------------------------
// The 500 clients. Each answer event's arrival is counted per client kind.

const CLIENTS = STREAMS + POLLERS;
const arrivals = new Map(); // event id -> { count, last, streamLast, pollLast }
function arrived(id, kind, at) {
  let a = arrivals.get(id);
  if (!a) arrivals.set(id, a = { count: 0, last: 0, streamLast: 0, pollLast: 0 });
  a.count++;
  if (at > a.last) a.last = at;
  if (kind === 'stream' && at > a.streamLast) a.streamLast = at;
  if (kind === 'poll' && at > a.pollLast) a.pollLast = at;
}

let streamsClosed = 0;
let outOfOrder = 0; // events a stream received after one with a higher id
// `counted`: whether its arrivals count (the stream beyond the cap should not exist at all).
function openStream(counted = true, to = port) {
  return new Promise((res, rej) => {
    const req = http.request({ host: HOST, port: to, path: `${base}/stroom`, agent: false,
      headers: { cookie: coordCookie, accept: 'text/event-stream', 'last-event-id': String(startId) } });
    sockets.add(req);
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', rej);
    req.on('response', (resp) => {
      if (resp.statusCode !== 200) { resp.resume(); res({ status: resp.statusCode }); return; }
      let buf = '';
      let ready = false;
      let lastId = 0;
      resp.setEncoding('utf8');
      resp.on('data', (chunk) => {
        const at = performance.now();
        buf += chunk;
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          if (block.startsWith('retry:') && !ready) { ready = true; res({ status: 200 }); continue; }
          const id = block.match(/^id: (\d+)$/m);
          if (id && counted) {
            if (Number(id[1]) < lastId) outOfOrder++;
            lastId = Math.max(lastId, Number(id[1]));
          }
          if (counted && id && /^event: antwoord$/m.test(block)) arrived(Number(id[1]), 'stream', at);
        }
      });
      resp.on('close', () => { streamsClosed++; });
      req.setTimeout(0);
      req.removeAllListeners('error');
      req.on('error', () => {});
    });
    req.end();
  });
}

const streamStatus = {};
for (let i = 0; i < STREAMS; i += 50) {
  const batch = await Promise.all(Array.from({ length: Math.min(50, STREAMS - i) }, (_, k) => openStream(true, ports[(i + k) % INSTANCES])))
    .catch((err) => fail(`opening the streams: ${err.message}`));
  for (const s of batch) streamStatus[s.status] = (streamStatus[s.status] || 0) + 1;
}
if (streamStatus[200] !== STREAMS) fail(`only ${streamStatus[200] || 0} of ${STREAMS} streams were accepted: ${JSON.stringify(streamStatus)}`);
const beyond = await openStream(false).catch((err) => ({ status: `error ${err.code}` }));

let running = true;
let pollRequests = 0;
let pollErrors = 0;
async function poller(n) {
  let last = startId;
  await sleep((n * POLL_MS) / POLLERS); // spread over the interval
  while (running) {
    const t = performance.now();
    try {
      const res = await request('GET', `${base}/gebeurtenissen?na=${last}`, { headers: { cookie: coordCookie }, agent: pollAgent, to: ports[n % INSTANCES] });
      const at = performance.now();
      pollRequests++;
      if (res.status !== 200) { pollErrors++; } else {
        for (const e of JSON.parse(res.body).events) {
          if (e.kind === 'antwoord') arrived(e.id, 'poll', at);
          last = e.id;
        }
      }
    } catch { pollErrors++; }
    await sleep(Math.max(0, POLL_MS - (performance.now() - t)));
  }
}
const pollers = Array.from({ length: POLLERS }, (_, n) => poller(n));

// Ordinary pages during the load.
const pageTimes = { '/healthz': [], dashboard: [] };
let pageErrors = 0;
async function pages() {
  while (running) {
    for (const [name, path, headers] of [['/healthz', '/healthz', {}], ['dashboard', dashboardPath, { cookie: coordCookie }]]) {
      const t = performance.now();
      try {
        const res = await request('GET', path, { headers, agent: pageAgent });
        if (res.status !== 200) pageErrors++;
        pageTimes[name].push(performance.now() - t);
      } catch { pageErrors++; }
    }
    await sleep(PAGE_EVERY_MS);
  }
}
const pageLoop = pages();

let peakSeen = 0;
const rssSampler = setInterval(() => {
  try {
    for (const pid of pids) {
      const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      if (m) peakSeen = Math.max(peakSeen, Number(m[1]));
    }
  } catch { /* gone */ }
}, 250);

// ---------------------------------------------------------------------------------------
// The answers: a steady pace, participants in turn, so that each has one answer at a time.

await sleep(POLL_MS); // every poller has started
const values = ['1', '2', '3', '4', '5', 'dont_know'];
const total = RATE * SECONDS;
const t0 = performance.now();
let answerErrors = 0;
const inFlight = [];
for (let i = 0; i < total; i++) {
  const due = t0 + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  const p = participants[i % PARTICIPANTS];
  const body = new URLSearchParams({ csrf: p.csrf, onderdeel: 'stelling-a', 'stelling-a.value': values[i % values.length] }).toString();
  const post = { sent: performance.now(), done: null };
  p.posts.push(post);
  inFlight.push(request('POST', `/i/${p.token}/live`, { headers: { cookie: `gids_csrf=${p.csrf}` }, body, agent: answerAgent })
    .then((res) => { post.done = performance.now(); if (res.status !== 303) answerErrors++; })
    .catch(() => { answerErrors++; }));
}
await Promise.all(inFlight);
const postingSeconds = (performance.now() - t0) / 1000;

// Wait until every client has every answer, or 5 s.
const settle = performance.now() + 5000;
while (performance.now() < settle) {
  if (arrivals.size >= total && [...arrivals.values()].every((a) => a.count >= CLIENTS)) break;
  await sleep(50);
}
running = false;
clearInterval(rssSampler);
await Promise.all(pollers);
await pageLoop;

// Which event belongs to which answer: a participant's answers are events in the order sent.
const events = [];
for (let after = startId; ;) {
  const res = await request('GET', `${base}/gebeurtenissen?na=${after}`, { headers: { cookie: coordCookie } });
  const batch = JSON.parse(res.body).events;
  if (!batch.length) break;
  events.push(...batch);
  after = batch.at(-1).id;
}
const byParticipant = new Map(participants.map((p) => [p.id, p]));
const next = new Map();
const delivery = { all: [], stream: [], poll: [] };
let missed = 0;
let unmatched = 0;
for (const e of events) {
  if (e.kind !== 'antwoord') continue;
  const p = byParticipant.get(e.data.participant);
  const k = next.get(p.id) || 0;
  next.set(p.id, k + 1);
  const post = p.posts[k];
  if (!post) { unmatched++; continue; }
  const a = arrivals.get(e.id);
  if (!a || a.count < CLIENTS) { missed++; continue; }
  delivery.all.push(a.last - post.sent);
  delivery.stream.push(a.streamLast - post.sent);
  delivery.poll.push(a.pollLast - post.sent);
}

const hwm = Math.max(...pids.map((pid) => Number((readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/) || [])[1] || 0)));
const alive = servers.every((s) => s.exitCode === null && s.signalCode === null);
const closedDuringRun = streamsClosed;
cleanup();

// ---------------------------------------------------------------------------------------

function pct(list, p) {
  if (!list.length) return NaN;
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
const ms = (v) => (Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(1) : v.toFixed(0));
const line = (list) => `p50 ${ms(pct(list, 50))} ms, p99 ${ms(pct(list, 99))} ms, max ${ms(Math.max(...list))} ms`;
const mb = (kb) => (kb / 1024).toFixed(1);

console.log([
  `${ENGINE === 'postgresql' ? 'PostgreSQL' : 'SQLite'}, ${INSTANCES} instance(s); `
    + `live meeting: ${STREAMS} streams + ${POLLERS} pollers (every ${POLL_MS} ms) = ${CLIENTS} clients; `
    + `${total} answers at ${RATE}/s over ${postingSeconds.toFixed(1)} s`,
  `  one stream more than --max-streams ${STREAMS / INSTANCES} per instance: HTTP ${beyond.status}`,
  `  answer -> all ${CLIENTS} clients: ${line(delivery.all)}   (target p99 <= 1000 ms)`,
  `    -> the ${STREAMS} streams:    ${line(delivery.stream)}`,
  `    -> the ${POLLERS} pollers:    ${line(delivery.poll)}`,
  `  answers not seen by every client: ${missed}; events out of order on a stream: ${outOfOrder}; `
    + `unmatched events: ${unmatched}; failed answer posts: ${answerErrors}; `
    + `streams closed during the run: ${closedDuringRun}; poll requests: ${pollRequests} (failed ${pollErrors})`,
  `  ordinary pages during the load: /healthz p99 ${ms(pct(pageTimes['/healthz'], 99))} ms, `
    + `dashboard p99 ${ms(pct(pageTimes.dashboard, 99))} ms (${pageTimes.dashboard.length} each, failed ${pageErrors})   (target p99 <= 50 ms)`,
  `  server peak RSS (VmHWM, the largest instance): ${mb(hwm)} MB (highest VmRSS sampled ${mb(peakSeen)} MB)   (target <= 128 MB)`,
  alive ? '' : '  the server had stopped before the end of the run',
].filter(Boolean).join('\n'));
process.exit(alive ? 0 : 1);
