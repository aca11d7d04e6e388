// Durability: participants save answers while the server is killed with SIGKILL at a random
// moment, 20 times. After each restart every acknowledged answer must be there (the stored
// value is the acknowledged one or a later write) and PRAGMA integrity_check must say ok.
// Prints the number of acknowledged answers lost, which must be 0.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GIDS = process.env.GIDS_BIN || join(ROOT, 'build/release/gids');
const ROUNDS = Number(process.env.KILLS || 20);
const PARTICIPANTS = 20;
const dir = mkdtempSync(join(tmpdir(), 'gids-durability-'));
const dbPath = join(dir, 'gids.db');
const db = `sqlite:${dbPath}`;
const secret = join(dir, 'secret.key');
const port = 18000 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;

const run = (args) => spawnSync(GIDS, args, { encoding: 'utf8', cwd: ROOT });
run(['demo', '--db', db, '--secret-file', secret]);
const token = run(['token', 'create', '--db', db, '--email', 'coordinator@demo.gids.nl']).stdout.trim();

let server;
async function start() {
  server = spawn(GIDS, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--root', ROOT, '--secret-file', secret],
    { stdio: 'ignore' });
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('server did not start');
}

await start();
const labels = Array.from({ length: PARTICIPANTS }, (_, i) => ({ label: `Deelnemer ${i + 1}` }));
const created = await (await fetch(`${base}/api/v1/assessments`, {
  method: 'POST', headers: { Authorization: `Bearer ${token}` },
  body: JSON.stringify({ instrument: 'gesprekstool-armoede-gezondheid', title: 'Duurzaamheid', participants: labels }),
})).json();
const tokens = created.invitations.map((i) => i.token);
const acknowledged = new Map(); // participant index -> highest acknowledged counter
let counter = 0;
let acks = 0;

async function participant(index, stopAt) {
  while (Date.now() < stopAt) {
    const n = ++counter;
    try {
      const res = await fetch(`${base}/api/v1/participation/answers/wat-opvalt`, {
        method: 'PUT',
        headers: { Authorization: `Invitation ${tokens[index]}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ value: `schrijf-${n}` }),
      });
      if (res.ok) {
        await res.arrayBuffer();
        acks++;
        if ((acknowledged.get(index) || 0) < n) acknowledged.set(index, n);
      }
    } catch {
      return; // the server is gone
    }
  }
}

let lost = 0;
let integrity = 'ok';
for (let round = 1; round <= ROUNDS; round++) {
  const killAfter = 100 + Math.random() * 400;
  const stopAt = Date.now() + 2000;
  const writers = tokens.map((_, i) => participant(i, stopAt));
  await new Promise((r) => setTimeout(r, killAfter));
  server.kill('SIGKILL');
  await Promise.all(writers);
  await new Promise((r) => server.once('exit', r).unref?.() ?? setTimeout(r, 50));
  const check = spawnSync('sqlite3', [dbPath, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).stdout.trim();
  if (check !== 'ok') integrity = check;
  await start();
  for (const [index, n] of acknowledged) {
    const res = await fetch(`${base}/api/v1/participation`, { headers: { Authorization: `Invitation ${tokens[index]}` } });
    const stored = (await res.json()).answers['wat-opvalt'] || '';
    const storedN = Number(String(stored).replace('schrijf-', '')) || 0;
    if (storedN < n) lost++;
  }
}
server.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
console.log(`kills: ${ROUNDS}, acknowledged answers: ${acks}, acknowledged answers lost: ${lost}, integrity_check: ${integrity}`);
process.exit(lost === 0 && integrity === 'ok' ? 0 : 1);
