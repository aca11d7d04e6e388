// Starts the real `gids` binary on a free port with a fresh database, for the http and
// e2e suites. Each call gets its own temporary directory; stop() ends the server and
// removes it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const GIDS = process.env.GIDS_BIN || join(ROOT, 'build/test/gids');

export const ADMIN = { email: 'beheer@test.gids.nl', password: 'beheerder-wachtwoord-1' };
export const COORD_A = { email: 'petra@alpha.gids.nl', password: 'petra-wachtwoord-alpha', municipality: 'Gemeente Alpha' };
export const COORD_B = { email: 'bram@beta.gids.nl', password: 'bram-wachtwoord-beta', municipality: 'Gemeente Beta' };

// With GIDS_PG_HOST (the socket directory of a PostgreSQL server started by
// tests/pg/run.sh) and GIDS_PG_PORT, every server gets a fresh PostgreSQL database instead
// of a SQLite file, so that the same suites test both engines.
export function freshPostgres() {
  const host = process.env.GIDS_PG_HOST;
  const port = process.env.GIDS_PG_PORT || '5432';
  const name = `gids_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const r = spawnSync('psql', ['-h', host, '-p', port, '-U', 'gids', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1',
    '-c', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`createdb failed: ${r.stderr}`);
  return `postgresql://gids@/${name}?host=${encodeURIComponent(host)}&port=${port}`;
}

// Runs one SQL statement on a server's database, SQLite or PostgreSQL, and gives its output
// (tab-separated rows): for tests that must change what no page can, such as the clock.
export function runSql(db, statement) {
  const r = db.startsWith('sqlite:')
    ? spawnSync('sqlite3', ['-batch', '-noheader', db.slice('sqlite:'.length), statement], { encoding: 'utf8' })
    : spawnSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-qAt', '-F', '\t', '-c', statement], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`SQL failed (${statement}): ${r.stderr}`);
  return r.stdout;
}

// The same server's PostgreSQL database as the administrator's database `postgres` sees it.
export function postgresAdmin(db) {
  // postgresql://gids@/NAME?host=...: no host name, which URL() does not take.
  const name = db.match(/^postgres(?:ql)?:\/\/[^/]*\/([^?]+)/)[1];
  return { name, url: db.replace(`/${name}?`, '/postgres?') };
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

export function gids(args, input = '') {
  const r = spawnSync(GIDS, args, { input, encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function addUser(dbUrl, { email, password, municipality }, role) {
  const args = ['user', 'add', '--db', dbUrl, '--email', email, '--role', role];
  if (municipality) args.push('--municipality', municipality);
  const r = gids(args, password + '\n');
  if (r.code !== 0) throw new Error(`user add failed: ${r.stderr}`);
}

// Options: { users: true } creates ADMIN, COORD_A and COORD_B; extraArgs go to `serve`.
export async function startServer({ users = true, extraArgs = [], env = {}, dbUrl } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gids-test-'));
  const db = dbUrl || (process.env.GIDS_PG_HOST ? freshPostgres() : `sqlite:${join(dir, 'gids.db')}`);
  let r = gids(['migrate', '--db', db]);
  if (r.code !== 0) throw new Error(`migrate failed: ${r.stderr}`);
  if (users) {
    addUser(db, ADMIN, 'admin');
    addUser(db, COORD_A, 'coordinator');
    addUser(db, COORD_B, 'coordinator');
  }
  // The port from freePort() is free only until someone else takes it (test files run in
  // parallel), so a server counts as started only once it has said that it listens on it,
  // and a lost race for the port is retried with another one.
  let port;
  let proc;
  let output;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    proc = spawn(GIDS, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--root', ROOT, ...extraArgs], {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { text: '' };
    output = out;
    proc.stdout.on('data', (d) => { out.text += d; });
    proc.stderr.on('data', (d) => { out.text += d; });
    const log = () => out.text;
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15000;
    let exited = false;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) { exited = true; break; }
      if (log().includes(`luistert op ${url}`)) {
        try {
          const res = await fetch(`${url}/healthz`);
          if (res.ok) break;
        } catch { /* not up yet */ }
      }
      if (Date.now() > deadline) throw new Error(`gids did not start:\n${log()}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    if (!exited) break;
    if (attempt >= 3 || !/Kan niet luisteren/.test(log())) throw new Error(`gids exited early:\n${log()}`);
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url, db, dir, proc, port,
    log: () => output.text,
    async stop({ keep = false } = {}) {
      // A server that died of a signal (a crash) has signalCode set and exitCode null.
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await new Promise((res) => proc.once('exit', res));
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
      return proc.exitCode;
    },
  };
}

// A tiny cookie-keeping client for form posts, as a browser without JavaScript would send them.
export class Client {
  constructor(base) { this.base = base; this.cookies = new Map(); }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  remember(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (attrs.some((a) => /max-age=0/i.test(a.trim())) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  async request(method, path, { form, headers = {}, body, redirect = 'manual' } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.cookie = this.cookieHeader();
    let payload = body;
    if (form) {
      payload = new URLSearchParams(form).toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect });
    this.remember(res);
    res.text_ = await res.text();
    return res;
  }
  get(path, opts) { return this.request('GET', path, opts); }
  post(path, form, opts = {}) { return this.request('POST', path, { ...opts, form }); }
  // The CSRF token of the first form on a page.
  static csrf(html) {
    const m = html.match(/name="csrf" value="([^"]+)"/);
    return m ? m[1] : '';
  }
  async login({ email, password }) {
    const page = await this.get('/inloggen');
    const res = await this.post('/inloggen', { csrf: Client.csrf(page.text_), email, password });
    return res;
  }
  async csrfFrom(path) {
    const page = await this.get(path);
    return Client.csrf(page.text_);
  }
}
