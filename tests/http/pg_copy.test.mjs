// Moving to PostgreSQL: `gids migrate --from sqlite:PATH --db postgresql://...` copies a
// SQLite database into an empty PostgreSQL database and checks it, and `gids backup` on
// PostgreSQL goes through pg_dump. The cases that need a PostgreSQL server run only with
// GIDS_PG_HOST (tests/pg/cluster.sh); refusals that come before any connection always run.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GIDS, ROOT, freshPostgres, startServer, Client } from './lib/server.mjs';

const PG = Boolean(process.env.GIDS_PG_HOST);
const needsPg = !PG && 'needs PostgreSQL: set GIDS_PG_HOST (tests/pg/cluster.sh)';
const hasPgDump = spawnSync('pg_dump', ['--version']).status === 0;
// A PostgreSQL address that is never reached: for refusals that must come before connecting.
const NOWHERE = 'postgresql://gids@/nergens?host=/bestaat/niet&port=1';
const COORDINATOR = { email: 'coordinator@demo.gids.nl', password: 'demo-coordinator-2026' };
const ADMIN = { email: 'beheer@demo.gids.nl', password: 'demo-beheerder-2026' };

function run(args, env = {}) {
  const r = spawnSync(GIDS, args, { encoding: 'utf8', cwd: ROOT, timeout: 60000, env: { ...process.env, ...env } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
const show = (r) => `exit ${r.code}${r.signal ? ` signal ${r.signal}` : ''}, stdout ${JSON.stringify(r.stdout)}, stderr ${JSON.stringify(r.stderr)}`;
const lines = (text) => text.split('\n').filter((l) => l.trim() !== '');

function sqlite(file, query) {
  const r = spawnSync('sqlite3', ['-batch', '-noheader', file, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 ${file} "${query}": ${r.stderr}`);
  return r.stdout.trim();
}
function psql(url, query) {
  const r = spawnSync('psql', ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql "${query}": ${r.stderr}`);
  return r.stdout.trim();
}

// The tables `gids migrate --from` copies: all but SQLite's own, the full-text index and
// the migration bookkeeping.
const copiedTables = (file) => sqlite(file,
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' " +
  "AND name NOT LIKE 'examples_fts%' AND name <> 'schema_migrations' ORDER BY name").split('\n');

let dir;
let demo; // a SQLite file filled by `gids demo`, never changed by the tests
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gids-pg-copy-'));
  demo = join(dir, 'demo.db');
  const r = run(['demo', '--db', `sqlite:${demo}`]);
  if (r.code !== 0) throw new Error(`gids demo: ${show(r)}`);
});
after(() => { rmSync(dir, { recursive: true, force: true }); });

// A copy of the demo file, to change for one case.
let copies = 0;
function demoCopy() {
  const file = join(dir, `copy-${++copies}.db`);
  copyFileSync(demo, file);
  return file;
}

describe('gids migrate --from: refusals before PostgreSQL is touched', () => {
  const refused = () => [
    ['a source file that does not exist', () => join(dir, 'bestaat-niet.db'), /Het SQLite-bestand .*bestaat-niet\.db bestaat niet\./],
    ['a file that is not a database', () => {
      const file = join(dir, 'tekst.db');
      writeFileSync(file, 'dit is geen database\n'.repeat(100));
      return file;
    }, /is geen database van GIDS\./],
    ['an empty SQLite database', () => {
      const file = join(dir, 'leeg.db');
      sqlite(file, 'CREATE TABLE iets (id INTEGER)');
      return file;
    }, /is geen database van GIDS\./],
    ['a database at an older schema version', () => {
      const file = demoCopy();
      sqlite(file, 'DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)');
      return file;
    }, /databaseversie \d+, deze GIDS versie \d+\. Werk het bestand eerst bij met: gids migrate --db sqlite:\S+copy-\d+\.db/],
    ['a database at a newer schema version', () => {
      const file = demoCopy();
      sqlite(file, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'later', 0)");
      return file;
    }, /databaseversie 999, nieuwer dan deze GIDS/],
  ];
  for (const [label, make, message] of refused()) {
    it(`refuses ${label} with one Dutch line`, () => {
      const file = make();
      const existed = existsSync(file);
      const r = run(['migrate', '--from', `sqlite:${file}`, '--db', NOWHERE]);
      assert.equal(r.code, 1, `gids migrate --from ${label}: ${show(r)}`);
      assert.equal(lines(r.stderr).length, 1, `${label}: one line on stderr: ${r.stderr}`);
      assert.match(r.stderr, /^gids: /, `${label}: stderr starts with "gids: "`);
      assert.match(r.stderr, message, `${label}: message`);
      assert.equal(r.stdout, '', `${label}: nothing on stdout`);
      assert.equal(existsSync(file), existed, `${label}: the source file was created`);
    });
  }

  const usage = [
    ['--from without sqlite:', ['migrate', '--from', 'postgresql://gids@/x', '--db', NOWHERE], /--from verwacht sqlite:PAD/],
    ['--from sqlite: without a path', ['migrate', '--from', 'sqlite:', '--db', NOWHERE], /--from verwacht sqlite:PAD/],
    ['--from into SQLite', ['migrate', '--from', 'sqlite:x.db', '--db', 'sqlite:y.db'], /geef bij --db een adres postgresql:/],
    ['--from without --db', ['migrate', '--from', 'sqlite:x.db'], /geef bij --db een adres postgresql:/],
  ];
  for (const [label, args, message] of usage) {
    it(`${label} is a usage error (exit 2, one Dutch line)`, () => {
      const r = run(args);
      assert.equal(r.code, 2, `gids ${args.join(' ')}: ${show(r)}`);
      assert.equal(lines(r.stderr).length, 1, `${label}: one line on stderr`);
      assert.match(r.stderr, message, `${label}: message`);
      assert.ok(!existsSync(join(ROOT, 'x.db')) && !existsSync(join(ROOT, 'y.db')), `${label} created a database`);
    });
  }
});

describe('help', () => {
  it('gids migrate --help names --from and gids backup --help names pg_dump', () => {
    assert.match(run(['migrate', '--help']).stdout, /--from\b.*SQLite/s, 'gids migrate --help');
    assert.match(run(['backup', '--help']).stdout, /pg_dump/, 'gids backup --help');
  });
});

describe('gids backup on PostgreSQL: pg_dump missing or failing', { skip: !hasPgDump && 'needs pg_dump' }, () => {
  it('without pg_dump on the PATH says what to install and writes nothing', () => {
    const file = join(dir, 'zonder-pg-dump.dump');
    const r = run(['backup', '--db', NOWHERE, '--to', file], { PATH: join(dir, 'leeg') });
    assert.equal(r.code, 1, `gids backup without pg_dump: ${show(r)}`);
    assert.equal(lines(r.stderr).length, 1, 'one line on stderr');
    assert.match(r.stderr, /^gids: pg_dump is niet gevonden\. Installeer het Debian-pakket postgresql-client/, 'Dutch message');
    assert.ok(!existsSync(file), 'no backup file');
  });

  it('when pg_dump fails, says so in Dutch after its reason, leaves no file, and runs no shell', () => {
    // Quotes, $(...) and ; in the file name reach pg_dump as one argument, not a shell.
    const file = join(dir, 'a";touch pwned;$(touch pwned2)`touch pwned3`.dump');
    const r = run(['backup', '--db', `${NOWHERE}&sslmode=disable';touch pwned4;'`, '--to', file]);
    assert.equal(r.code, 1, `gids backup to an unreachable server: ${show(r)}`);
    const last = lines(r.stderr).at(-1);
    assert.match(last, /^gids: pg_dump is gestopt met code \d+ \(de reden staat hierboven\)\. Er is geen reservekopie gemaakt\.$/, `last line: ${r.stderr}`);
    assert.match(r.stderr, /pg_dump: /, 'pg_dump says why');
    assert.ok(!existsSync(file), 'no backup file left');
    for (const name of ['pwned', 'pwned2', 'pwned3', 'pwned4']) {
      assert.ok(!existsSync(join(dir, name)) && !existsSync(join(ROOT, name)), `a shell ran "touch ${name}"`);
    }
  });
});

describe('gids migrate --from into PostgreSQL', { skip: needsPg }, () => {
  let target;
  let first;
  before(() => {
    target = freshPostgres();
    first = run(['migrate', '--from', `sqlite:${demo}`, '--db', target]);
  });

  it('copies every table of the demo and reports each with its rows', () => {
    assert.equal(first.code, 0, `gids migrate --from: ${show(first)}`);
    for (const table of copiedTables(demo)) {
      const rows = Number(sqlite(demo, `SELECT COUNT(*) FROM ${table}`));
      const word = rows === 1 ? 'rij' : 'rijen';
      assert.match(first.stdout, new RegExp(`^${table}: ${rows} ${word} gekopieerd en gecontroleerd$`, 'm'),
        `summary line for ${table} (${rows} rows)`);
      assert.equal(Number(psql(target, `SELECT COUNT(*) FROM ${table}`)), rows, `rows of ${table} in PostgreSQL`);
    }
    assert.ok(Number(sqlite(demo, 'SELECT COUNT(*) FROM assessments')) >= 2, 'the demo has rounds');
    assert.doesNotMatch(first.stdout, /examples_fts|sqlite_|schema_migrations/, 'SQLite-only tables and the bookkeeping are not copied');
    assert.match(first.stdout, /Klaar: \d+ tabellen gekopieerd/, 'closing line');
    assert.match(first.stdout, /--secret-file \S*gids-secret\.key/, 'names the secret file to keep');
    assert.equal(psql(target, 'SELECT MAX(version) FROM schema_migrations'), sqlite(demo, 'SELECT MAX(version) FROM schema_migrations'), 'same schema version');
    assert.equal(psql(target, "SELECT string_agg(email || '|' || password_hash, ',' ORDER BY id) FROM users"),
      sqlite(demo, "SELECT group_concat(email || '|' || password_hash, ',') FROM (SELECT * FROM users ORDER BY id)"), 'users and their password hashes');
  });

  it('refuses a second copy into the same database and changes nothing', () => {
    const before = psql(target, 'SELECT (SELECT COUNT(*) FROM users) || \'/\' || (SELECT COUNT(*) FROM answers) || \'/\' || (SELECT COUNT(*) FROM audit_log)');
    const r = run(['migrate', '--from', `sqlite:${demo}`, '--db', target]);
    assert.equal(r.code, 1, `second gids migrate --from: ${show(r)}`);
    assert.equal(lines(r.stderr).length, 1, 'one line on stderr');
    assert.match(r.stderr, /^gids: De PostgreSQL-database is niet leeg: er staan al gegevens in .*users.*\. Kopieer alleen naar een nieuwe, lege database\./, 'Dutch message');
    assert.equal(r.stdout, '', 'no summary');
    assert.equal(psql(target, 'SELECT (SELECT COUNT(*) FROM users) || \'/\' || (SELECT COUNT(*) FROM answers) || \'/\' || (SELECT COUNT(*) FROM audit_log)'), before, 'rows after the refused copy');
  });

  it('a server on the copy shows the coordinator the same pages as on SQLite', async () => {
    const source = join(dir, 'served.db');
    copyFileSync(demo, source);
    const common = ['--secret-file', join(dir, 'gids-secret.key'), '--public-url', 'https://gids.example.nl'];
    const onSqlite = await startServer({ users: false, dbUrl: `sqlite:${source}`, extraArgs: common });
    const onPg = await startServer({ users: false, dbUrl: target, extraArgs: common });
    try {
      const pages = async (server) => {
        const c = new Client(server.url);
        const login = await c.login(COORDINATOR);
        assert.equal(login.status, 303, `login as the demo coordinator on ${server.db}`);
        const home = (await c.get('/dashboard')).headers.get('location');
        assert.match(home ?? '', /^\/gemeenten\/\d+$/, 'the dashboard leads to the municipality');
        const municipality = (await c.get(home)).text_;
        const rounds = [...new Set([...municipality.matchAll(/href="(\/rondes\/\d+)"/g)].map((m) => m[1]))];
        const out = { [home]: municipality };
        for (const round of rounds) {
          for (const path of [round, `${round}/resultaten`, `${round}/uitnodigingen`]) {
            const res = await c.get(path);
            assert.equal(res.status, 200, `GET ${path} on ${server.db}`);
            out[path] = res.text_;
          }
        }
        // Forms carry a token of this session; the rest must be the same.
        for (const path of Object.keys(out)) out[path] = out[path].replace(/name="csrf" value="[^"]*"/g, '');
        return out;
      };
      const expected = await pages(onSqlite);
      const actual = await pages(onPg);
      assert.deepEqual(Object.keys(actual), Object.keys(expected), 'the same pages are linked');
      assert.ok(Object.keys(expected).length >= 7, `a municipality page and three pages per round: ${Object.keys(expected)}`);
      for (const path of Object.keys(expected)) {
        assert.equal(actual[path], expected[path], `GET ${path} on PostgreSQL equals SQLite`);
      }
      // Figures a coordinator sees, stated once more so that a failure says what changed.
      const home = Object.keys(expected)[0];
      const openActions = (html) => html.split('Acties die openstaan')[1]?.split('</ul>')[0].match(/<li/g)?.length ?? 0;
      assert.ok(openActions(actual[home]) >= 3, 'open actions on the municipality page');
      assert.equal(openActions(actual[home]), openActions(expected[home]), 'the number of open actions');
      for (const title of ['Armoede en gezondheid 2026', 'Armoede en gezondheid 2027']) {
        assert.ok(actual[home].includes(title), `round "${title}" listed on PostgreSQL`);
      }

      // New rows get ids after the copied ones: the sequences were set.
      const admin = new Client(onPg.url);
      assert.equal((await admin.login(ADMIN)).status, 303, 'login as the demo administrator');
      const csrf = await admin.csrfFrom('/beheer/gemeenten');
      const created = await admin.post('/beheer/gemeenten', { csrf, name: 'Gemeente Na De Verhuizing', cbs_code: '', region: '' });
      assert.equal(created.status, 303, `a new municipality on PostgreSQL: ${created.status} ${created.text_.slice(0, 300)}`);
      assert.equal(psql(target, "SELECT id > (SELECT MIN(id) FROM municipalities) FROM municipalities WHERE name = 'Gemeente Na De Verhuizing'"), 't', 'new id after the copied ones');
    } finally {
      await onSqlite.stop();
      await onPg.stop();
    }
  });

  it('gids backup writes a pg_dump archive that pg_restore lists and restores', () => {
    const file = join(dir, 'gids.dump');
    const r = run(['backup', '--db', target, '--to', file]);
    assert.equal(r.code, 0, `gids backup on PostgreSQL: ${show(r)}`);
    assert.equal(r.stdout.trim(), `Reservekopie gemaakt met pg_dump: ${file} (terugzetten met pg_restore)`, 'message');
    assert.ok(statSync(file).size > 0, 'archive written');
    const list = spawnSync('pg_restore', ['--list', file], { encoding: 'utf8' });
    assert.equal(list.status, 0, `pg_restore --list: ${list.stderr}`);
    assert.match(list.stdout, /TABLE DATA \S+ assessments /, 'the archive holds the rounds');
    const restored = freshPostgres();
    const restore = spawnSync('pg_restore', ['--no-owner', '--dbname', restored, file], { encoding: 'utf8' });
    assert.equal(restore.status, 0, `pg_restore: ${restore.stderr}`);
    for (const table of ['users', 'assessments', 'answers', 'actions']) {
      assert.equal(psql(restored, `SELECT COUNT(*) FROM ${table}`), psql(target, `SELECT COUNT(*) FROM ${table}`), `rows of ${table} after pg_restore`);
    }
  });
});

describe('gids migrate --from: values and tables', { skip: needsPg }, () => {
  it('copies bytes, NULL and empty text of a table a later version might add, and sets its sequence', () => {
    const file = demoCopy();
    sqlite(file, `CREATE TABLE documents (id INTEGER PRIMARY KEY AUTOINCREMENT,
        municipality_id BIGINT REFERENCES municipalities(id), data BLOB, note TEXT);
      INSERT INTO documents (id, municipality_id, data, note) VALUES
        (3, 1, X'0089504E470D0A1A0AFF00', 'logo € ✓'), (5, NULL, NULL, NULL), (7, 1, X'', '');`);
    const target = freshPostgres();
    assert.equal(run(['migrate', '--db', target]).code, 0, 'migrate the target');
    psql(target, `CREATE TABLE documents (id BIGSERIAL PRIMARY KEY,
      municipality_id BIGINT REFERENCES municipalities(id), data BYTEA, note TEXT)`);
    const r = run(['migrate', '--from', `sqlite:${file}`, '--db', target]);
    assert.equal(r.code, 0, `gids migrate --from with an extra table: ${show(r)}`);
    assert.match(r.stdout, /^documents: 3 rijen gekopieerd en gecontroleerd$/m, 'summary line for the new table');
    const rows = (hex) => `SELECT id || '|' || CASE WHEN data IS NULL THEN 'NULL' ELSE lower(${hex}) END || '|' || COALESCE(note, 'NULL') FROM documents ORDER BY id`;
    assert.equal(psql(target, rows("encode(data, 'hex')")), sqlite(file, rows('hex(data)')), 'rows of documents');
    assert.equal(psql(target, "SELECT nextval(pg_get_serial_sequence('documents', 'id'))"), '8', 'next id after the highest copied');
  });

  it('a value PostgreSQL would store differently fails the check, naming the table, and nothing is copied', () => {
    const file = demoCopy();
    // Text with a zero byte in it: PostgreSQL text cannot hold it.
    sqlite(file, "UPDATE municipalities SET region = CAST(X'526567696F004F6F7374' AS TEXT)");
    const target = freshPostgres();
    const r = run(['migrate', '--from', `sqlite:${file}`, '--db', target]);
    assert.equal(r.code, 1, `gids migrate --from with a zero byte: ${show(r)}`);
    assert.equal(lines(r.stderr).length, 1, 'one line on stderr');
    assert.match(r.stderr, /^gids: Controle mislukt bij tabel municipalities: .* Er is niets gekopieerd\.$/m, 'Dutch message naming the table');
    assert.equal(r.stdout, '', 'no summary');
    for (const table of ['municipalities', 'users', 'assessments', 'answers']) {
      assert.equal(psql(target, `SELECT COUNT(*) FROM ${table}`), '0', `rows of ${table} after the failed copy`);
    }
    const again = run(['migrate', '--from', `sqlite:${demo}`, '--db', target]);
    assert.equal(again.code, 0, `the same target takes a good copy afterwards: ${show(again)}`);
  });

  it('a row whose parent is missing stops the copy with PostgreSQL\'s reason, and nothing is copied', () => {
    const file = demoCopy();
    sqlite(file, "PRAGMA foreign_keys = OFF; INSERT INTO answers (participant_id, item_id, value, updated_at) VALUES (9999, 'x', 'y', 0)");
    const target = freshPostgres();
    const r = run(['migrate', '--from', `sqlite:${file}`, '--db', target]);
    assert.equal(r.code, 1, `gids migrate --from with an orphaned answer: ${show(r)}`);
    assert.equal(lines(r.stderr).length, 1, `one line on stderr: ${r.stderr}`);
    assert.match(r.stderr, /^gids: Kopiëren van tabel answers mislukt\. PostgreSQL meldt: .*9999.* Er is niets gekopieerd\.$/m, 'message names the table and the row');
    assert.equal(psql(target, 'SELECT COUNT(*) FROM participants'), '0', 'rows of participants after the failed copy');
  });

  it('compares text keys in byte order, as SQLite does, also in a database with a Dutch collation', (t) => {
    const file = demoCopy();
    const reload = run(['content', 'reload', '--db', `sqlite:${file}`]);
    assert.equal(reload.code, 0, `gids content reload: ${show(reload)}`);
    // A database of its own, sorted as in Dutch ("a" before "B"), where the bytes say otherwise.
    const plain = freshPostgres();
    const name = `${plain.match(/\/(gids_\w+)\?/)[1]}_nl`;
    const created = spawnSync('psql', ['-X', '-q', '-d', plain, '-c',
      `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'nl-NL' LOCALE 'C.UTF-8'`], { encoding: 'utf8' });
    if (created.status !== 0) return t.skip(`no ICU collation: ${created.stderr.trim()}`);
    const target = plain.replace(/\/gids_\w+\?/, `/${name}?`);
    const r = run(['migrate', '--from', `sqlite:${file}`, '--db', target]);
    assert.equal(r.code, 0, `gids migrate --from into a Dutch-sorted database: ${show(r)}`);
    assert.match(r.stdout, /^example_tags: [1-9]\d* rijen gekopieerd en gecontroleerd$/m, 'the tags of the practice examples');
    const differs = psql(target, `SELECT COUNT(*) FROM (SELECT row_number() OVER (ORDER BY kind, value, example_id) AS dutch,
      row_number() OVER (ORDER BY kind COLLATE "C", value COLLATE "C", example_id) AS bytes FROM example_tags) o WHERE dutch <> bytes`);
    assert.ok(Number(differs) > 0, 'the Dutch order of the tags differs from their byte order, or this case proves nothing');
  });

  it('copies a source file while a server uses it', async () => {
    const file = demoCopy();
    const server = await startServer({ users: false, dbUrl: `sqlite:${file}` });
    try {
      const c = new Client(server.url);
      await c.login(COORDINATOR);
      const target = freshPostgres();
      const r = run(['migrate', '--from', `sqlite:${file}`, '--db', target]);
      assert.equal(r.code, 0, `gids migrate --from a file in use: ${show(r)}`);
      assert.match(r.stdout, /^sessions: 1 rij gekopieerd en gecontroleerd$/m, 'the session of the running server is copied');
      assert.match(r.stdout, /^examples: [1-9]\d* rijen gekopieerd en gecontroleerd$/m, 'practice examples the server loaded are copied');
    } finally {
      await server.stop();
    }
  });
});
