// Graceful shutdown: on SIGTERM the server stops accepting, finishes the requests it has
// already read, and exits 0.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, Client, ADMIN } from './lib/server.mjs';
import { parseResponse, crashReport } from './lib/raw.mjs';

function waitForExit(proc, ms) {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ code: null, signal: null, timeout: true }), ms);
    proc.once('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal }); });
  });
}

function waitForLog(server, pattern, ms) {
  const deadline = Date.now() + ms;
  return new Promise((resolve) => {
    const poll = () => {
      const m = server.log().match(pattern);
      if (m || Date.now() > deadline) return resolve(m);
      setTimeout(poll, 5);
    };
    poll();
  });
}

// Opens a connection, writes `request` completely and collects the whole response. Resolves
// { written } as soon as the request is flushed and { response } when the answer is complete.
function sendComplete(port, request) {
  let markWritten;
  const written = new Promise((r) => { markWritten = r; });
  const response = new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (value) => { if (!done) { done = true; sock.destroy(); resolve(value); } };
    sock.on('connect', () => sock.write(request, () => markWritten(true)));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      try { const r = parseResponse(buf); if (r) finish(r); } catch (e) { finish({ status: 0, error: e.message }); }
    });
    sock.on('error', (e) => { markWritten(false); finish({ status: 0, error: e.code || e.message, partial: buf.length }); });
    sock.on('close', () => { markWritten(false); finish({ status: 0, error: 'closed without a complete response', partial: buf.length }); });
  });
  return { written, response };
}

let server;
afterEach(async () => { await server?.stop(); server = null; });

describe('SIGTERM', () => {
  it('requests in flight (slow logins) are all answered, then the server exits 0', async (t) => {
    server = await startServer({ extraArgs: ['--workers', '2'] });
    const anon = new Client(server.url);
    const csrf = await anon.csrfFrom('/inloggen');
    const body = new URLSearchParams({ csrf, email: ADMIN.email, password: ADMIN.password }).toString();
    const request = `POST /inloggen HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: gids_csrf=${anon.cookies.get('gids_csrf')}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    // Each login verifies an argon2id hash (tens of ms); 40 of them on 2 workers queue up for
    // the better part of a second, so many are still in flight when SIGTERM arrives.
    const N = 40;
    const calls = Array.from({ length: N }, () => sendComplete(server.port, request));
    let before = 0;
    for (const c of calls) c.response.then(() => { before += 1; });
    const written = await Promise.all(calls.map((c) => c.written));
    assert.ok(written.every(Boolean), 'every login request was sent completely');
    await Promise.race(calls.map((c) => c.response)); // the server is working on them
    await new Promise((r) => setTimeout(r, 50));
    const answeredBefore = before;
    server.proc.kill('SIGTERM');
    const stopping = await waitForLog(server, /stopping: finishing (\d+) requests in progress/, 5000);
    assert.ok(stopping, `server logged that it is stopping:\n${server.log().slice(-1000)}`);
    const inProgress = Number(stopping[1]);
    assert.ok(inProgress > 0, `requests still in progress at SIGTERM: ${inProgress} (the test needs at least one)`);

    // No new connections once stopping.
    const late = await new Promise((resolve) => {
      const s = net.connect(server.port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); resolve('connected'); });
      s.on('error', (e) => resolve(e.code));
    });
    assert.ok(late === 'ECONNREFUSED' || server.proc.exitCode !== null, `a new connection after SIGTERM: ${late}`);

    const responses = await Promise.all(calls.map((c) => c.response));
    const answered = responses.filter((r) => r.status !== 0);
    t.diagnostic(`${answeredBefore} of ${N} logins answered before SIGTERM, ${inProgress} in progress at SIGTERM, ${answered.length} answered in all`);
    // Every request the server had read (answered before, or in progress at SIGTERM) is answered.
    assert.ok(answered.length >= answeredBefore + inProgress,
      `${answered.length} logins answered, fewer than the ${answeredBefore} answered before SIGTERM plus the ${inProgress} in progress`);
    const wrong = answered.map((r) => ({ status: r.status })).filter((r) => r.status !== 303);
    assert.deepEqual(wrong, [], 'logins answered around SIGTERM with another status than 303');
    for (const r of answered) assert.match(r.headers['set-cookie'] || '', /gids_session=/, 'a login answered around SIGTERM got its session cookie');
    const truncated = responses.filter((r) => r.status === 0 && r.partial > 0);
    assert.deepEqual(truncated, [], 'responses cut off halfway during shutdown');
    const exit = await waitForExit(server.proc, 25000);
    assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM with logins in flight:\n${crashReport(server.log())}`);
  });

  it('SIGTERM during a burst of 200 requests: every answer that starts is complete, and the exit is 0', async (t) => {
    server = await startServer();
    const paths = ['/healthz', '/inloggen', '/assets/gids.css', '/bestaat-niet'];
    const expected = { '/healthz': 200, '/inloggen': 200, '/assets/gids.css': 200, '/bestaat-niet': 404 };
    const calls = Array.from({ length: 200 }, (_, i) => {
      const path = paths[i % paths.length];
      return { path, ...sendComplete(server.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`) };
    });
    // SIGTERM as soon as the first answers come back, while the rest are under way.
    await Promise.race(calls.map((c) => c.response));
    server.proc.kill('SIGTERM');
    const responses = await Promise.all(calls.map(async (c) => ({ path: c.path, ...(await c.response) })));
    const answered = responses.filter((r) => r.status !== 0);
    assert.ok(answered.length > 0, 'some requests were answered');
    const wrongStatus = answered.filter((r) => r.status !== expected[r.path]).map((r) => ({ path: r.path, status: r.status }));
    assert.deepEqual(wrongStatus, [], 'answers during shutdown have the right status');
    const truncated = responses.filter((r) => r.status === 0 && r.partial > 0).map((r) => ({ path: r.path, error: r.error, partial: r.partial }));
    assert.deepEqual(truncated, [], 'answers cut off halfway during shutdown');
    const exit = await waitForExit(server.proc, 25000);
    assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM during a burst (${answered.length} of 200 answered):\n${crashReport(server.log())}`);
    const stopping = server.log().match(/stopping: finishing (\d+) requests in progress/);
    assert.ok(stopping, 'server logged that it was stopping');
    t.diagnostic(`${answered.length} of 200 answered; ${stopping[1]} in progress at SIGTERM`);
  });

  it('an idle server exits 0 on SIGTERM and on SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT']) {
      server = await startServer({ users: false });
      const res = await fetch(`${server.url}/healthz`);
      assert.equal(res.status, 200, `GET /healthz before ${signal}`);
      const started = Date.now();
      server.proc.kill(signal);
      const exit = await waitForExit(server.proc, 10000);
      assert.deepEqual(exit, { code: 0, signal: null }, `idle server after ${signal}:\n${crashReport(server.log())}`);
      assert.ok(Date.now() - started < 5000, `idle server took ${Date.now() - started} ms to stop after ${signal}`);
      await server.stop();
      server = null;
    }
  });
});
