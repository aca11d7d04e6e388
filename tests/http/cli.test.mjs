import { readdirSync } from 'node:fs';
// The `gids` command line: help, usage errors, accounts, tokens, migrations, demo data and
// backups.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GIDS, ROOT, gids, addUser, startServer, Client, ADMIN, COORD_A, COORD_B } from './lib/server.mjs';

function run(args, input = '') {
  const r = spawnSync(GIDS, args, { input, encoding: 'utf8', cwd: ROOT, timeout: 20000 });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function sql(file, query) {
  const r = spawnSync('sqlite3', ['-batch', '-noheader', file, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 ${file} "${query}": ${r.stderr}`);
  return r.stdout.trim();
}

const lines = (text) => text.split('\n').filter((l) => l.trim() !== '');
const show = (r) => `exit ${r.code}${r.signal ? ` signal ${r.signal}` : ''}, stdout ${JSON.stringify(r.stdout)}, stderr ${JSON.stringify(r.stderr)}`;

let dir;
before(() => { dir = mkdtempSync(join(tmpdir(), 'gids-cli-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });
let n = 0;
const freshDb = () => {
  const file = join(dir, `db-${++n}.db`);
  const r = gids(['migrate', '--db', `sqlite:${file}`]);
  if (r.code !== 0) throw new Error(`migrate failed: ${r.stderr}`);
  return file;
};

describe('help', () => {
  const commands = [[], ['serve'], ['migrate'], ['user'], ['user', 'add'], ['token'], ['token', 'create'], ['demo'], ['backup']];
  for (const cmd of commands) {
    it(`gids ${[...cmd, '--help'].join(' ')} exits 0 with usage on stdout`, () => {
      const r = run([...cmd, '--help']);
      assert.equal(r.code, 0, `gids ${cmd.join(' ')} --help: ${show(r)}`);
      assert.match(r.stdout, new RegExp(`Usage: \\S*gids${cmd.length ? ` ${cmd.join(' ')}` : ''} `), `gids ${cmd.join(' ')} --help: usage line`);
      assert.equal(r.stderr, '', `gids ${cmd.join(' ')} --help: stderr`);
    });
  }

  it('gids --help lists every subcommand and serve --help every option', () => {
    const top = run(['--help']).stdout;
    for (const sub of ['serve', 'migrate', 'user', 'token', 'demo', 'backup']) {
      assert.match(top, new RegExp(`^\\s+${sub}\\s`, 'm'), `gids --help lists ${sub}`);
    }
    const serve = run(['serve', '--help']).stdout;
    for (const option of ['--listen', '--db', '--root', '--workers', '--body-limit', '--secure-cookies']) {
      assert.ok(serve.includes(option), `gids serve --help lists ${option}`);
    }
    const add = run(['user', 'add', '--help']).stdout;
    for (const option of ['--email', '--role', '--municipality', '--db']) {
      assert.ok(add.includes(option), `gids user add --help lists ${option}`);
    }
  });

  it('gids instrument check --help (documented in DESIGN.md)', () => {
    assert.match(run(['--help']).stdout, /^\s+instrument\s/m, 'gids --help lists instrument');
    const r = run(['instrument', 'check', '--help']);
    assert.equal(r.code, 0, `gids instrument check --help: ${show(r)}`);
    assert.match(r.stdout, /Usage: \S*gids instrument check/, 'gids instrument check --help: usage line');
  });

  it('gids instrument check passes every built-in and names file and line of a broken one', () => {
    const builtins = readdirSync(join(ROOT, 'instruments')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'instruments', f));
    assert.ok(builtins.length >= 5, 'five built-in instruments');
    const ok = run(['instrument', 'check', ...builtins]);
    assert.equal(ok.code, 0, `gids instrument check on the built-ins: ${show(ok)}`);
    const broken = join(ROOT, 'tests/instruments/broken/unknown-item-type.yaml');
    const bad = run(['instrument', 'check', builtins[0], broken]);
    assert.equal(bad.code, 1, `gids instrument check with a broken file: ${show(bad)}`);
    assert.match(bad.stderr, /unknown-item-type\.yaml:\d+:\d+: /, 'message names file, line and column');
  });
});

describe('usage errors', () => {
  const errors = () => [
    [['--bogus']],
    [['serve', '--bogus']],
    [['migrate', '--nope', 'x']],
    [['frobnicate']],
    [[]],
    [['user']],
    [['user', 'add']],
    [['user', 'add', '--db', `sqlite:${join(dir, 'never.db')}`, '--email', 'a@b.nl', '--role', 'koning']],
    [['serve', '--workers', '0']],
    [['serve', '--body-limit', '12']],
    [['serve', '--workers', 'veel']],
    [['backup', '--db', `sqlite:${join(dir, 'never.db')}`]],
  ];
  for (let i = 0; i < errors().length; i++) {
    it(`usage error #${i + 1} (gids ${errors()[i][0].join(' ')}) exits 2 with one line on stderr`, () => {
      const [args] = errors()[i];
      const r = run(args);
      assert.equal(r.code, 2, `gids ${args.join(' ')}: ${show(r)}`);
      assert.equal(lines(r.stderr).length, 1, `gids ${args.join(' ')}: one line on stderr, got ${JSON.stringify(r.stderr)}`);
      assert.match(r.stderr, /^gids: /, `gids ${args.join(' ')}: stderr starts with "gids: "`);
      assert.equal(r.stdout, '', `gids ${args.join(' ')}: nothing on stdout`);
      assert.ok(!existsSync(join(dir, 'never.db')), `gids ${args.join(' ')} created a database`);
    });
  }

  for (const listen of ['nonsense', '127.0.0.1', '127.0.0.1:', ':8080', '127.0.0.1:99999', '127.0.0.1:80a', '127.0.0.1:-1']) {
    it(`gids serve --listen ${JSON.stringify(listen)} exits 2 with one Dutch line`, () => {
      const file = join(dir, `listen-${listen.replace(/\W/g, '_')}.db`);
      const r = run(['serve', '--listen', listen, '--db', `sqlite:${file}`]);
      assert.equal(r.code, 2, `gids serve --listen ${listen}: ${show(r)}`);
      assert.equal(lines(r.stderr).length, 1, `gids serve --listen ${listen}: one line on stderr`);
      assert.match(r.stderr, /--listen verwacht HOST:PORT/, `gids serve --listen ${listen}: Dutch message`);
      assert.ok(!existsSync(file), `gids serve --listen ${listen} created the database before checking --listen`);
    });
  }
});

describe('gids user add', () => {
  const count = (file, table, where = '1=1') => Number(sql(file, `SELECT COUNT(*) FROM ${table} WHERE ${where}`));

  const refused = [
    ['a short password', 'kort\n', 'Kies een wachtwoord van minstens 12 tekens.'],
    ['an 11-character password', 'elf-tekens!\n', 'Kies een wachtwoord van minstens 12 tekens.'],
    ['a common password', 'wachtwoord123\n', 'Dit wachtwoord wordt veel gebruikt en is makkelijk te raden.'],
    ['the e-mail address as password', 'nieuw@gemeente.gids.nl\n', 'Gebruik niet uw e-mailadres als wachtwoord.'],
    ['an empty stdin', '', 'Kies een wachtwoord van minstens 12 tekens.'],
  ];
  for (const [label, stdin, message] of refused) {
    it(`with ${label} on stdin exits 2 with a Dutch message and creates nothing`, () => {
      const file = freshDb();
      const r = run(['user', 'add', '--db', `sqlite:${file}`, '--email', 'nieuw@gemeente.gids.nl', '--role', 'admin'], stdin);
      assert.equal(r.code, 2, `gids user add with ${label}: ${show(r)}`);
      assert.equal(lines(r.stderr).length, 1, `gids user add with ${label}: one line on stderr`);
      assert.ok(r.stderr.includes(message), `gids user add with ${label}: message "${message}" in ${JSON.stringify(r.stderr)}`);
      assert.equal(count(file, 'users'), 0, `gids user add with ${label}: users in the database`);
    });
  }

  it('with a short password and a new --municipality creates neither the account nor the municipality', () => {
    const file = freshDb();
    const r = run(['user', 'add', '--db', `sqlite:${file}`, '--email', 'nieuw@gemeente.gids.nl', '--role', 'coordinator', '--municipality', 'Gemeente Halfweg'], 'kort\n');
    assert.equal(r.code, 2, `gids user add --municipality "Gemeente Halfweg" with a short password: ${show(r)}`);
    assert.equal(count(file, 'users'), 0, 'users after the refused user add');
    assert.equal(count(file, 'municipalities', "name = 'Gemeente Halfweg'"), 0,
      'municipality "Gemeente Halfweg" was created although the account was refused');
  });

  const badArgs = [
    ['an invalid e-mail', ['--email', 'geen-email', '--role', 'admin'], 'Dit is geen geldig e-mailadres.'],
    ['a coordinator without municipality', ['--email', 'c@gemeente.gids.nl', '--role', 'coordinator'], 'Kies de gemeente van deze coördinator.'],
    ['a municipality name of 150 characters', ['--email', 'c@gemeente.gids.nl', '--role', 'coordinator', '--municipality', 'G'.repeat(150)], 'De naam mag hoogstens 100 tekens lang zijn.'],
  ];
  for (const [label, args, message] of badArgs) {
    it(`with ${label} exits 2 with a Dutch message`, () => {
      const file = freshDb();
      const r = run(['user', 'add', '--db', `sqlite:${file}`, ...args], 'een-goed-lang-wachtwoord\n');
      assert.equal(r.code, 2, `gids user add with ${label}: ${show(r)}`);
      assert.ok(r.stderr.includes(message), `gids user add with ${label}: message "${message}" in ${JSON.stringify(r.stderr)}`);
      assert.equal(count(file, 'users'), 0, `gids user add with ${label}: users in the database`);
    });
  }

  it('adds an account (and its new municipality) once; a second time fails with a Dutch message', () => {
    const file = freshDb();
    const args = ['user', 'add', '--db', `sqlite:${file}`, '--email', ' Nieuw@Gemeente.GIDS.nl ', '--role', 'coordinator', '--municipality', 'Gemeente Halfweg', '--name', 'Nieuwe Collega'];
    const r = run(args, 'een-goed-lang-wachtwoord\r\n');
    assert.equal(r.code, 0, `gids user add: ${show(r)}`);
    assert.match(r.stdout, /Account aangemaakt: nieuw@gemeente\.gids\.nl/, 'gids user add: confirmation with the normalised e-mail');
    assert.equal(sql(file, "SELECT email || '|' || role || '|' || name FROM users"), 'nieuw@gemeente.gids.nl|coordinator|Nieuwe Collega', 'stored account');
    assert.match(sql(file, 'SELECT password_hash FROM users'), /^\$argon2id\$/, 'password stored as argon2id');
    assert.equal(count(file, 'municipalities', "name = 'Gemeente Halfweg'"), 1, 'municipality created with the account');
    const again = run(args, 'een-ander-lang-wachtwoord\n');
    assert.notEqual(again.code, 0, `second gids user add for the same e-mail: ${show(again)}`);
    assert.ok(again.stderr.includes('Er is al een account met dit e-mailadres.'), `second gids user add: Dutch message in ${JSON.stringify(again.stderr)}`);
    assert.equal(count(file, 'users'), 1, 'users after the second user add');
    assert.equal(count(file, 'municipalities'), 1, 'municipalities after the second user add');
  });
});

describe('gids token create', () => {
  it('prints a personal API token, stored only as a hash', () => {
    const file = freshDb();
    addUser(`sqlite:${file}`, COORD_A, 'coordinator');
    const tokens = [];
    for (let i = 0; i < 2; i++) {
      const r = run(['token', 'create', '--db', `sqlite:${file}`, '--email', COORD_A.email]);
      assert.equal(r.code, 0, `gids token create #${i + 1}: ${show(r)}`);
      assert.equal(lines(r.stdout).length, 1, `gids token create #${i + 1}: one line`);
      assert.match(r.stdout.trim(), /^gids_[A-Za-z0-9_-]{30,}$/, `gids token create #${i + 1}: token format`);
      tokens.push(r.stdout.trim());
    }
    assert.notEqual(tokens[0], tokens[1], 'two tokens differ');
    assert.equal(sql(file, 'SELECT COUNT(*) FROM api_tokens'), '2', 'two tokens stored');
    const stored = sql(file, 'SELECT token_hash FROM api_tokens');
    for (const t of tokens) assert.ok(!stored.includes(t), 'token stored in plain text');
  });

  it('for an unknown e-mail exits non-zero with one Dutch line', () => {
    const file = freshDb();
    const r = run(['token', 'create', '--db', `sqlite:${file}`, '--email', 'niemand@nergens.nl']);
    assert.notEqual(r.code, 0, `gids token create for an unknown e-mail: ${show(r)}`);
    assert.equal(lines(r.stderr).length, 1, 'one line on stderr');
    assert.match(r.stderr, /geen account met e-mailadres niemand@nergens\.nl/, 'Dutch message');
    assert.equal(r.stdout, '', 'no token printed');
  });
});

describe('gids migrate', () => {
  it('twice is fine and changes nothing the second time', () => {
    const file = join(dir, 'migrate.db');
    const first = run(['migrate', '--db', `sqlite:${file}`]);
    assert.equal(first.code, 0, `first migrate: ${show(first)}`);
    const version = first.stdout.match(/versie (\d+)/)?.[1];
    assert.ok(version, `first migrate names the version: ${first.stdout}`);
    const schema = sql(file, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master ORDER BY name)");
    const second = run(['migrate', '--db', `sqlite:${file}`]);
    assert.equal(second.code, 0, `second migrate: ${show(second)}`);
    assert.equal(second.stdout.match(/versie (\d+)/)?.[1], version, 'second migrate: same version');
    assert.equal(sql(file, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master ORDER BY name)"), schema, 'schema unchanged by the second migrate');
    assert.equal(sql(file, 'SELECT COUNT(*) FROM schema_migrations'), sql(file, 'SELECT COUNT(DISTINCT version) FROM schema_migrations'), 'no duplicate migration rows');
  });

  it('with an unknown database URL exits non-zero with one Dutch line', () => {
    const r = run(['migrate', '--db', 'mysql://nee']);
    assert.notEqual(r.code, 0, `gids migrate --db mysql://nee: ${show(r)}`);
    assert.equal(lines(r.stderr).length, 1, 'one line on stderr');
    assert.match(r.stderr, /Onbekende database/, 'Dutch message');
  });
});

describe('gids demo', () => {
  let file;
  let server;
  after(async () => { await server?.stop(); });

  it('twice is idempotent', () => {
    file = freshDb();
    const tables = ['municipalities', 'users', 'audit_log', 'sessions', 'api_tokens'];
    const snapshot = () => Object.fromEntries(tables.map((t) => [t, sql(file, `SELECT COUNT(*) FROM ${t}`)]));
    const first = run(['demo', '--db', `sqlite:${file}`]);
    assert.equal(first.code, 0, `first gids demo: ${show(first)}`);
    const after1 = snapshot();
    assert.ok(Number(after1.municipalities) >= 1 && Number(after1.users) >= 1, `demo data after the first run: ${JSON.stringify(after1)}`);
    const users1 = sql(file, 'SELECT id, email, role, password_hash FROM users ORDER BY id');
    const second = run(['demo', '--db', `sqlite:${file}`]);
    assert.equal(second.code, 0, `second gids demo: ${show(second)}`);
    assert.deepEqual(snapshot(), after1, 'row counts after the second gids demo');
    assert.equal(sql(file, 'SELECT id, email, role, password_hash FROM users ORDER BY id'), users1, 'users unchanged by the second gids demo');
    assert.equal(second.stdout, first.stdout, 'both runs print the same logins');
  });

  it('prints logins that work on the web site', async () => {
    const out = run(['demo', '--db', `sqlite:${file}`]).stdout;
    const logins = [...out.matchAll(/(\S+@\S+) \/ (\S+)/g)].map((m) => ({ email: m[1], password: m[2] }));
    assert.ok(logins.length >= 2, `gids demo prints a coordinator and an admin login: ${out}`);
    server = await startServer({ users: false, dbUrl: `sqlite:${file}` });
    for (const login of logins) {
      const res = await new Client(server.url).login(login);
      assert.equal(res.status, 303, `login with the demo account ${login.email}`);
    }
  });
});

describe('the server secret', () => {
  // The database keeps a fingerprint of the key that invitation links are made with; a
  // server with another key would hand out links the others do not accept.
  it('a server with another secret file refuses to start, in Dutch, and leaves no new file behind', () => {
    const file = freshDb();
    const first = run(['demo', '--db', `sqlite:${file}`]);
    assert.equal(first.code, 0, `gids demo: ${show(first)}`);
    const other = join(dir, 'andere-sleutel.key');
    const r = run(['serve', '--db', `sqlite:${file}`, '--listen', '127.0.0.1:1', '--secret-file', other]);
    assert.equal(r.code, 1, `gids serve with another secret: ${show(r)}`);
    assert.match(r.stderr, /hoort niet bij deze database/, 'says the key does not belong to this database');
    assert.match(r.stderr, /--secret-file/, 'says which option to give');
    assert.match(r.stderr, /--new-secret/, 'names the way out when the old key is lost');
    assert.equal(existsSync(other), false, 'the key file it made for nothing is removed');
    const demo = run(['demo', '--db', `sqlite:${file}`, '--secret-file', other]);
    assert.equal(demo.code, 1, `gids demo with another secret: ${show(demo)}`);
  });

  it('--new-secret makes the new key the one of the database, and the old one is refused from then on', async () => {
    const file = freshDb();
    assert.equal(run(['demo', '--db', `sqlite:${file}`]).code, 0, 'gids demo');
    const other = join(dir, 'nieuwe-sleutel.key');
    const server = await startServer({ users: false, dbUrl: `sqlite:${file}`, extraArgs: ['--secret-file', other, '--new-secret'] });
    try {
      assert.match(server.log(), /Nieuwe geheime sleutel in gebruik/, 'the server says that old links stop working');
    } finally {
      await server.stop({ keep: true });
    }
    const old = run(['serve', '--db', `sqlite:${file}`, '--listen', '127.0.0.1:1']);
    assert.equal(old.code, 1, `gids serve with the old secret after --new-secret: ${show(old)}`);
    assert.match(old.stderr, /hoort niet bij deze database/);
  });
});

describe('gids backup', () => {
  let server;
  after(async () => { await server?.stop(); });

  const rowsOf = (file) => sql(file, 'SELECT id, email, role, municipality_id, password_hash, disabled FROM users ORDER BY id');

  it('--to FILE writes a database that sqlite3 opens, with the same users, also while the server runs', async () => {
    // SQLite also when the suites run on PostgreSQL: pg_copy.test.mjs tests backups there.
    server = await startServer({ dbUrl: `sqlite:${join(dir, 'served.db')}` });
    const source = server.db.slice('sqlite:'.length);
    // Some writes through the running server first, so that the WAL holds recent commits.
    const admin = new Client(server.url);
    await admin.login(ADMIN);
    const csrf = await admin.csrfFrom('/beheer/gemeenten');
    assert.equal((await admin.post('/beheer/gemeenten', { csrf, name: 'Gemeente Reservekopie', cbs_code: '', region: '' })).status, 303, 'create a municipality before the backup');
    const target = join(dir, 'backup.db');
    const r = run(['backup', '--db', server.db, '--to', target]);
    assert.equal(r.code, 0, `gids backup --to ${target}: ${show(r)}`);
    assert.ok(existsSync(target) && statSync(target).size > 0, 'backup file written');
    assert.equal(sql(target, 'PRAGMA integrity_check'), 'ok', 'sqlite3 integrity_check of the backup');
    assert.equal(rowsOf(target), rowsOf(source), 'users rows in the backup equal the source');
    assert.ok(rowsOf(target).includes(COORD_B.email), `backup holds ${COORD_B.email}`);
    assert.equal(sql(target, "SELECT COUNT(*) FROM municipalities WHERE name = 'Gemeente Reservekopie'"), '1', 'backup holds the municipality created just before');
    assert.equal(sql(target, 'SELECT MAX(version) FROM schema_migrations'), sql(source, 'SELECT MAX(version) FROM schema_migrations'), 'backup has the same schema version');
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'server still healthy after the backup');
  });

  it('a backup can be served and logged in to', async () => {
    const target = join(dir, 'backup.db');
    const copy = await startServer({ users: false, dbUrl: `sqlite:${target}` });
    try {
      assert.equal((await new Client(copy.url).login(COORD_B)).status, 303, `login as ${COORD_B.email} on a server started from the backup`);
    } finally {
      await copy.stop();
    }
  });

  it('to a directory that does not exist exits non-zero with one Dutch line', () => {
    const file = freshDb();
    const r = run(['backup', '--db', `sqlite:${file}`, '--to', join(dir, 'bestaat', 'niet', 'backup.db')]);
    assert.notEqual(r.code, 0, `gids backup to a missing directory: ${show(r)}`);
    assert.equal(lines(r.stderr).length, 1, 'one line on stderr');
    assert.match(r.stderr, /^gids: .*(back-up|Back-up)/i, `Dutch message: ${r.stderr}`);
  });
});
