// Health check and metrics: GET /healthz, GET /metrics in Prometheus text format.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, writeSync, closeSync, statSync, existsSync } from 'node:fs';
import { startServer, Client, ADMIN, runSql, postgresAdmin } from './lib/server.mjs';

// One sample line of the Prometheus text format: name{labels} value
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|NaN)$/;

function parseMetrics(text) {
  const samples = [];
  const types = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name, type);
      continue;
    }
    if (line.startsWith('# HELP ') || line.startsWith('#')) continue;
    const m = line.match(SAMPLE);
    if (!m) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    const labels = {};
    if (m[2]) for (const [, k, v] of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: Number(m[3]), line });
  }
  return { samples, types };
}

function find(samples, name, labels = {}) {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

describe('health and metrics', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  it('GET /healthz answers 200 "ok"', async () => {
    const res = await fetch(`${server.url}/healthz`);
    const body = await res.text();
    assert.equal(res.status, 200, 'GET /healthz status');
    assert.equal(body.trim(), 'ok', 'GET /healthz body');
    assert.match(res.headers.get('content-type'), /^text\/plain/, 'GET /healthz content type');
  });

  it('GET /metrics is Prometheus text with request counters per route, a latency histogram and the pool gauge', async () => {
    // Traffic first, so that several routes have been counted.
    const client = new Client(server.url);
    await client.login(ADMIN);
    const traffic = [
      ['/healthz', 200], ['/inloggen', 303], ['/bestaat-niet-123', 404],
      ['/gemeenten/1', 200], ['/gemeenten/987654', 404], ['/assets/gids.css', 200],
    ];
    for (const [path, status] of traffic) {
      const res = await client.get(path);
      assert.equal(res.status, status, `GET ${path} (traffic before /metrics)`);
    }
    const res = await fetch(`${server.url}/metrics`);
    const text = await res.text();
    assert.equal(res.status, 200, 'GET /metrics status');
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/, 'GET /metrics content type');
    const { samples, types } = parseMetrics(text);

    assert.equal(types.get('gids_http_requests_total'), 'counter', 'TYPE of gids_http_requests_total');
    assert.equal(types.get('gids_http_request_duration_seconds'), 'histogram', 'TYPE of gids_http_request_duration_seconds');
    assert.equal(types.get('gids_db_pool_in_use'), 'gauge', 'TYPE of gids_db_pool_in_use');

    const expected = [
      { route: '/healthz', method: 'GET', status: '200' },
      { route: '/inloggen', method: 'POST', status: '303' },
      { route: '/gemeenten/{id}', method: 'GET', status: '200' },
      { route: '/gemeenten/{id}', method: 'GET', status: '404' },
    ];
    for (const labels of expected) {
      const found = find(samples, 'gids_http_requests_total', labels);
      assert.equal(found.length, 1, `gids_http_requests_total${JSON.stringify(labels)} present once`);
      assert.ok(found[0].value >= 1, `gids_http_requests_total${JSON.stringify(labels)} counted`);
    }
    // Unknown paths and static files are counted too, under a fixed label of their own.
    assert.ok(samples.some((s) => s.name === 'gids_http_requests_total' && s.labels.status === '404' && !s.labels.route.startsWith('/gemeenten')),
      'gids_http_requests_total counts GET /bestaat-niet-123 (404)');
    assert.ok(samples.filter((s) => s.name === 'gids_http_requests_total' && s.labels.status === '200').length >= 4,
      'gids_http_requests_total counts GET /assets/gids.css under some route label');
    // Route labels are patterns, never raw paths (or every URL would make a new series).
    for (const raw of ['/bestaat-niet-123', '/gemeenten/1', '/gemeenten/987654', '/assets/gids.css']) {
      assert.equal(samples.filter((s) => s.labels.route === raw).length, 0, `raw path ${raw} used as a route label`);
    }

    for (const route of ['/healthz', '/gemeenten/{id}']) {
      const buckets = find(samples, 'gids_http_request_duration_seconds_bucket', { route });
      assert.ok(buckets.length >= 2, `histogram buckets for ${route}`);
      const inf = buckets.find((b) => b.labels.le === '+Inf');
      assert.ok(inf, `+Inf bucket for ${route}`);
      let previous = 0;
      for (const b of buckets) {
        assert.ok(b.value >= previous, `buckets of ${route} are cumulative at le=${b.labels.le}`);
        previous = b.value;
      }
      const [count] = find(samples, 'gids_http_request_duration_seconds_count', { route });
      const [sum] = find(samples, 'gids_http_request_duration_seconds_sum', { route });
      assert.ok(count && sum, `_count and _sum for ${route}`);
      assert.equal(inf.value, count.value, `+Inf bucket equals _count for ${route}`);
      assert.ok(sum.value >= 0, `_sum for ${route} is not negative`);
    }
    const [inUse] = find(samples, 'gids_db_pool_in_use');
    assert.ok(inUse, 'gids_db_pool_in_use sample');
    assert.ok(Number.isFinite(inUse.value) && inUse.value >= 0, `gids_db_pool_in_use value ${inUse.value}`);
  });

  it('the request counter goes up with each request', async () => {
    const count = async () => {
      const { samples } = parseMetrics(await (await fetch(`${server.url}/metrics`)).text());
      return find(samples, 'gids_http_requests_total', { route: '/healthz', method: 'GET', status: '200' })[0]?.value ?? 0;
    };
    const before = await count();
    for (let i = 0; i < 3; i++) await (await fetch(`${server.url}/healthz`)).text();
    assert.equal(await count(), before + 3, 'gids_http_requests_total{route="/healthz"} after 3 more GET /healthz');
  });
});

describe('health when the database is gone', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  // SQLite: deleting or replacing the file is invisible to a process that has it open (the
  // inode lives on), so the files are overwritten in place: afterwards every query fails
  // with "file is not a database". PostgreSQL: the database takes no more connections and
  // the server's are ended.
  it('GET /healthz answers 503 when the database cannot be read', async () => {
    const client = new Client(server.url);
    assert.equal((await client.login(ADMIN)).status, 303, 'login before breaking the database');
    if (server.db.startsWith('sqlite:')) {
      const path = server.db.slice('sqlite:'.length);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        if (!existsSync(file)) continue;
        const size = Math.max(statSync(file).size, 65536);
        const fd = openSync(file, 'r+');
        writeSync(fd, Buffer.alloc(size, 0x5a), 0, size, 0);
        closeSync(fd);
      }
    } else {
      const { name, url } = postgresAdmin(server.db);
      runSql(url, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      runSql(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    }
    // Precondition: the database is really unusable for pages that read it.
    const page = await client.get('/beheer/gemeenten');
    assert.equal(page.status, 500, 'GET /beheer/gemeenten after overwriting the database files');
    const res = await fetch(`${server.url}/healthz`);
    const body = await res.text();
    assert.equal(res.status, 503, `GET /healthz with an unreadable database answered ${res.status} ${JSON.stringify(body)}`);
    assert.match(body, /database/i, 'GET /healthz 503 body names the database');
    assert.equal(server.proc.exitCode, null, 'server still running with a broken database');
  });
});
