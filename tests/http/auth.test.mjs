// Logging in and out, sessions, CSRF, the login rate limit and changing one's password.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN, COORD_A, COORD_B } from './lib/server.mjs';
import { rawRequest, textOf, inputValue, fieldError } from './lib/raw.mjs';

const LOGIN_FAILED = 'Het e-mailadres of het wachtwoord klopt niet. Probeer het opnieuw.';
const THROTTLED = 'U heeft te vaak een verkeerd wachtwoord ingevuld. Wacht 15 minuten en probeer het dan opnieuw.';
const CSRF_TEXT = 'Dit formulier is verlopen of kwam niet van deze site.';

function cookieAttrs(res, name) {
  const c = res.headers.getSetCookie().find((v) => v.startsWith(`${name}=`));
  if (!c) return null;
  const [pair, ...attrs] = c.split(';').map((s) => s.trim());
  return { value: pair.slice(name.length + 1), attrs: attrs.map((a) => a.toLowerCase()), raw: c };
}

function sameOrigin(location, base) {
  return new URL(location, base).origin === new URL(base).origin;
}

describe('logging in', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  for (const [who, user, landing] of [['admin', ADMIN, /^\/beheer\/gemeenten$/], ['coordinator A', COORD_A, /^\/gemeenten\/\d+$/]]) {
    it(`${who} logs in: 303 to /dashboard with an HttpOnly, SameSite=Lax session cookie`, async () => {
      const client = new Client(server.url);
      const page = await client.get('/inloggen');
      assert.equal(page.status, 200, 'GET /inloggen');
      const csrfCookie = cookieAttrs(page, 'gids_csrf');
      assert.ok(csrfCookie, 'GET /inloggen sets gids_csrf');
      assert.ok(csrfCookie.attrs.includes('httponly') && csrfCookie.attrs.includes('samesite=lax'), `gids_csrf attributes: ${csrfCookie.raw}`);
      const res = await client.post('/inloggen', { csrf: Client.csrf(page.text_), email: user.email, password: user.password });
      assert.equal(res.status, 303, `POST /inloggen as ${user.email}`);
      assert.equal(res.headers.get('location'), '/dashboard', `Location after login as ${user.email}`);
      const session = cookieAttrs(res, 'gids_session');
      assert.ok(session && session.value.length >= 32, `session cookie after login as ${user.email}: ${session?.raw}`);
      assert.ok(session.attrs.includes('httponly'), `session cookie HttpOnly: ${session.raw}`);
      assert.ok(session.attrs.includes('samesite=lax'), `session cookie SameSite=Lax: ${session.raw}`);
      assert.ok(session.attrs.includes('path=/'), `session cookie Path=/: ${session.raw}`);
      assert.ok(!session.attrs.includes('secure'), `no Secure without --secure-cookies: ${session.raw}`);
      const dash = await client.get('/dashboard');
      assert.equal(dash.status, 303, `GET /dashboard as ${user.email}`);
      assert.match(dash.headers.get('location'), landing, `GET /dashboard as ${user.email} lands`);
    });
  }

  it('every login gets a new session id', async () => {
    const ids = new Set();
    for (let i = 0; i < 3; i++) {
      const client = new Client(server.url);
      const res = await client.login(COORD_A);
      assert.equal(res.status, 303, `login #${i + 1} of ${COORD_A.email}`);
      const id = cookieAttrs(res, 'gids_session')?.value;
      assert.ok(id, `login #${i + 1} sets a session cookie`);
      assert.ok(!ids.has(id), `login #${i + 1} reuses an earlier session id ${id}`);
      ids.add(id);
    }
    // The same browser logging in again after logging out also gets a new id.
    const client = new Client(server.url);
    await client.login(COORD_A);
    const first = client.cookies.get('gids_session');
    const csrf = await client.csrfFrom('/account/wachtwoord');
    assert.equal((await client.post('/uitloggen', { csrf })).status, 303, 'logout between the two logins');
    const again = await client.login(COORD_A);
    assert.equal(again.status, 303, 'second login in the same browser');
    assert.notEqual(client.cookies.get('gids_session'), first, 'second login in the same browser gets a new session id');
  });

  it('a session id planted before login is replaced (no session fixation)', async () => {
    const client = new Client(server.url);
    client.cookies.set('gids_session', 'planted-by-an-attacker-0123456789abcdef');
    const res = await client.login(ADMIN);
    assert.equal(res.status, 303, 'login with a planted gids_session cookie');
    const id = cookieAttrs(res, 'gids_session')?.value;
    assert.ok(id && id !== 'planted-by-an-attacker-0123456789abcdef', `session id after login with planted cookie: ${id}`);
  });

  // After login the browser goes to ?terug=, but never off the site and never with injected headers.
  const targets = [
    ['/beheer/logboek', '/beheer/logboek'],
    ['', '/dashboard'],
    ['//evil.example/', null],
    ['https://evil.example/', null],
    ['/\\evil.example/', null],
    ['\\\\evil.example/', null],
    ['/\t/evil.example/', null],
    ['/\n/evil.example/', null],
    ['/x\r\nSet-Cookie: evil=1', null],
  ];
  for (const [terug, expected] of targets) {
    it(`login with terug=${JSON.stringify(terug)} stays on the site`, async () => {
      const client = new Client(server.url);
      // The form posts terug back as a hidden field; it is sent in the body here (a query
      // string is covered by bad_input.test.mjs).
      const page = await client.get('/inloggen');
      const csrf = Client.csrf(page.text_);
      const body = new URLSearchParams({ csrf, terug, email: ADMIN.email, password: ADMIN.password }).toString();
      const res = await rawRequest(server.port,
        `POST /inloggen HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Cookie: gids_csrf=${client.cookies.get('gids_csrf')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      assert.equal(res.status, 303, `POST /inloggen with terug=${JSON.stringify(terug)}: ${res.error || ''}`);
      const location = res.headers.location;
      if (expected) assert.equal(location, expected, `Location for terug=${JSON.stringify(terug)}`);
      assert.ok(sameOrigin(location, server.url), `terug=${JSON.stringify(terug)} leads off the site: Location ${JSON.stringify(location)} resolves to ${new URL(location, server.url).href}`);
      assert.ok(!/[\t\r\n]/.test(location), `Location for terug=${JSON.stringify(terug)} holds a tab or line break: ${JSON.stringify(location)}`);
      const names = res.rawHeaders.filter(([n]) => n === 'set-cookie').map(([, v]) => v.split('=')[0]);
      assert.deepEqual(names.filter((n) => !['gids_session', 'gids_csrf', 'gids_flash'].includes(n)), [],
        `cookies injected through terug=${JSON.stringify(terug)}: ${names}`);
    });
  }

  it('logout ends the session on the server: the old cookie no longer works', async () => {
    const client = new Client(server.url);
    await client.login(COORD_A);
    const old = client.cookies.get('gids_session');
    const csrf = await client.csrfFrom('/account/wachtwoord');
    const res = await client.post('/uitloggen', { csrf });
    assert.equal(res.status, 303, 'POST /uitloggen');
    assert.equal(res.headers.get('location'), '/inloggen', 'POST /uitloggen redirects to the login page');
    const cleared = cookieAttrs(res, 'gids_session');
    assert.ok(cleared && cleared.value === '' && cleared.attrs.includes('max-age=0'), `POST /uitloggen clears the cookie: ${cleared?.raw}`);
    const flash = await client.get('/inloggen');
    assert.ok(textOf(flash.text_).includes('U bent uitgelogd.'), 'login page after logout says "U bent uitgelogd."');
    for (const path of ['/dashboard', '/account/wachtwoord', '/beheer/gemeenten']) {
      const reuse = await fetch(`${server.url}${path}`, { headers: { cookie: `gids_session=${old}` }, redirect: 'manual' });
      assert.equal(reuse.status, 303, `GET ${path} with the cookie from before logout`);
      assert.match(reuse.headers.get('location'), /^\/inloggen/, `GET ${path} with the old cookie goes to the login page`);
    }
    const post = await fetch(`${server.url}/uitloggen`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: `gids_session=${old}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf }).toString(),
    });
    assert.equal(post.status, 403, 'POST /uitloggen with the old cookie and its old CSRF token');
  });

  it('logout without a CSRF token is refused and the session stays', async () => {
    const client = new Client(server.url);
    await client.login(COORD_B);
    const res = await client.post('/uitloggen', {});
    assert.equal(res.status, 403, 'POST /uitloggen without csrf');
    assert.ok(textOf(res.text_).includes(CSRF_TEXT), 'POST /uitloggen without csrf: Dutch CSRF text');
    assert.equal((await client.get('/account/wachtwoord')).status, 200, 'session still valid after refused logout');
  });
});

describe('CSRF', () => {
  let server;
  let admin;
  before(async () => {
    server = await startServer();
    admin = new Client(server.url);
    assert.equal((await admin.login(ADMIN)).status, 303, 'admin login');
  });
  after(async () => { await server?.stop(); });

  const listed = async (name) => textOf((await admin.get('/beheer/gemeenten')).text_).includes(name);

  const cases = [
    ['no csrf field', async () => undefined],
    ['an empty csrf field', async () => ''],
    ['a made-up token', async () => 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['the token of another session of the same admin', async () => {
      const other = new Client(server.url);
      await other.login(ADMIN);
      return other.csrfFrom('/beheer/gemeenten');
    }],
    ['the pre-login token of the login page', async () => {
      const anon = new Client(server.url);
      return anon.csrfFrom('/inloggen');
    }],
  ];
  cases.forEach(([label, token], i) => {
    it(`POST /beheer/gemeenten with ${label} → 403 and nothing created`, async () => {
      const name = `Gemeente Csrf ${i}`;
      const form = { name, cbs_code: '', region: '' };
      const csrf = await token();
      if (csrf !== undefined) form.csrf = csrf;
      const res = await admin.post('/beheer/gemeenten', form);
      assert.equal(res.status, 403, `POST /beheer/gemeenten with ${label}`);
      assert.ok(textOf(res.text_).includes(CSRF_TEXT), `POST /beheer/gemeenten with ${label}: Dutch CSRF text`);
      assert.equal(await listed(name), false, `municipality ${name} created despite ${label}`);
    });
  });

  it('POST /beheer/gemeenten with the right token works (control)', async () => {
    const csrf = await admin.csrfFrom('/beheer/gemeenten');
    const res = await admin.post('/beheer/gemeenten', { csrf, name: 'Gemeente Csrf Goed', cbs_code: '', region: '' });
    assert.equal(res.status, 303, 'POST /beheer/gemeenten with the right token');
    assert.equal(await listed('Gemeente Csrf Goed'), true, 'municipality created with the right token');
  });

  // Before login the token is paired with the gids_csrf cookie (double submit).
  const loginCases = [
    ['matching token and cookie', (a) => ({ token: a.token, cookie: a.cookie }), 303],
    ['token without cookie', (a) => ({ token: a.token, cookie: null }), 403],
    ['cookie without token', (a) => ({ token: undefined, cookie: a.cookie }), 403],
    ['token of one browser with the cookie of another', (a, b) => ({ token: a.token, cookie: b.cookie }), 403],
    ['empty token and empty cookie', () => ({ token: '', cookie: '' }), 403],
  ];
  for (const [label, pick, status] of loginCases) {
    it(`login form with ${label} → ${status}`, async () => {
      const browsers = [];
      for (let i = 0; i < 2; i++) {
        const c = new Client(server.url);
        const page = await c.get('/inloggen');
        browsers.push({ token: Client.csrf(page.text_), cookie: c.cookies.get('gids_csrf') });
        assert.equal(browsers[i].token, browsers[i].cookie, 'the login form carries the token of the gids_csrf cookie');
      }
      const { token, cookie } = pick(...browsers);
      const form = { email: COORD_B.email, password: COORD_B.password };
      if (token !== undefined) form.csrf = token;
      const headers = { 'content-type': 'application/x-www-form-urlencoded' };
      if (cookie !== null) headers.cookie = `gids_csrf=${cookie}`;
      const res = await fetch(`${server.url}/inloggen`, { method: 'POST', headers, body: new URLSearchParams(form).toString(), redirect: 'manual' });
      const text = await res.text();
      assert.equal(res.status, status, `POST /inloggen with ${label}`);
      if (status === 403) {
        assert.ok(textOf(text).includes(CSRF_TEXT), `POST /inloggen with ${label}: Dutch CSRF text`);
        assert.equal(cookieAttrs(res, 'gids_session'), null, `POST /inloggen with ${label} must not start a session`);
      }
    });
  }
});

describe('wrong password', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  const cases = [
    ['an existing account with a wrong password', COORD_A.email, 'niet-het-goede-wachtwoord'],
    ['an unknown account', 'niemand@nergens.gids.nl', 'niet-het-goede-wachtwoord'],
    ['an existing account with an empty password', COORD_B.email, ''],
  ];
  for (const [label, email, password] of cases) {
    it(`login with ${label} → 401, Dutch message, e-mail kept`, async () => {
      const client = new Client(server.url);
      const res = await client.login({ email, password });
      assert.equal(res.status, 401, `POST /inloggen with ${label}`);
      assert.ok(textOf(res.text_).includes(LOGIN_FAILED), `POST /inloggen with ${label}: Dutch message`);
      assert.equal(inputValue(res.text_, 'email'), email, `POST /inloggen with ${label}: e-mail kept in the field`);
      assert.equal(inputValue(res.text_, 'password'), null, `POST /inloggen with ${label}: password not echoed`);
      if (password) assert.ok(!res.text_.includes(password), `POST /inloggen with ${label}: password not in the page`);
      assert.equal(cookieAttrs(res, 'gids_session'), null, `POST /inloggen with ${label}: no session cookie`);
      assert.equal((await client.get('/dashboard')).status, 303, `GET /dashboard after ${label}`);
      assert.match((await client.get('/dashboard')).headers.get('location'), /^\/inloggen/, `still anonymous after ${label}`);
    });
  }
});

describe('login rate limit', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  it('5 failures for one account → the 6th attempt is 429 with a Dutch message, even with the right password', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await new Client(server.url).login({ email: COORD_A.email, password: `fout-wachtwoord-${i}` });
      assert.equal(res.status, 401, `failure #${i} for ${COORD_A.email}`);
    }
    for (const [label, password] of [['right password', COORD_A.password], ['wrong password', 'nog-een-fout-wachtwoord']]) {
      const client = new Client(server.url);
      const res = await client.login({ email: COORD_A.email, password });
      assert.equal(res.status, 429, `attempt after 5 failures with the ${label}`);
      assert.ok(textOf(res.text_).includes(THROTTLED), `attempt after 5 failures with the ${label}: Dutch message`);
      assert.equal(inputValue(res.text_, 'email'), COORD_A.email, `attempt after 5 failures with the ${label}: e-mail kept`);
      assert.equal(cookieAttrs(res, 'gids_session'), null, `attempt after 5 failures with the ${label}: no session`);
    }
  });
});

describe('changing one\'s password', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  const NEW_PASSWORD = 'een-nieuw-lang-wachtwoord-voor-petra';
  const bad = [
    ['a new password that is too short', { current: COORD_A.password, password: 'kort123', repeat: 'kort123' },
      'password', 'Kies een wachtwoord van minstens 12 tekens.'],
    ['a common password', { current: COORD_A.password, password: 'wachtwoord123', repeat: 'wachtwoord123' },
      'password', 'Dit wachtwoord wordt veel gebruikt en is makkelijk te raden. Kies een ander wachtwoord.'],
    ['a common password in other case', { current: COORD_A.password, password: 'WACHTWOORD1234', repeat: 'WACHTWOORD1234' },
      'password', 'Dit wachtwoord wordt veel gebruikt en is makkelijk te raden. Kies een ander wachtwoord.'],
    ['the e-mail address as password', { current: COORD_A.password, password: COORD_A.email, repeat: COORD_A.email },
      'password', 'Gebruik niet uw e-mailadres als wachtwoord.'],
    ['two different new passwords', { current: COORD_A.password, password: NEW_PASSWORD, repeat: `${NEW_PASSWORD}x` },
      'repeat', 'De twee nieuwe wachtwoorden zijn niet hetzelfde.'],
    ['a wrong current password', { current: 'niet-mijn-wachtwoord', password: NEW_PASSWORD, repeat: NEW_PASSWORD },
      'current', 'Dit is niet uw huidige wachtwoord.'],
  ];
  for (const [label, form, field, message] of bad) {
    it(`password change with ${label} → 422 with the message next to "${field}"`, async () => {
      const client = new Client(server.url);
      await client.login(COORD_A);
      const csrf = await client.csrfFrom('/account/wachtwoord');
      const res = await client.post('/account/wachtwoord', { csrf, ...form });
      assert.equal(res.status, 422, `POST /account/wachtwoord with ${label}`);
      assert.equal(fieldError(res.text_, field), message, `POST /account/wachtwoord with ${label}: message next to ${field}`);
      assert.match(res.text_, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), `POST /account/wachtwoord with ${label}: ${field} marked invalid`);
      assert.ok(textOf(res.text_).includes('Niet alles is goed ingevuld.'), `POST /account/wachtwoord with ${label}: summary`);
      for (const secret of [form.password, form.current]) {
        assert.ok(!res.text_.includes(`value="${secret}"`), `POST /account/wachtwoord with ${label}: password echoed`);
      }
    });
  }

  it('the password is unchanged after the refused attempts', async () => {
    assert.equal((await new Client(server.url).login(COORD_A)).status, 303, 'login with the original password');
  });

  it('a successful change: old password fails, new one works, other sessions end, this one continues', async () => {
    const me = new Client(server.url);
    const otherDevice = new Client(server.url);
    const colleague = new Client(server.url);
    await me.login(COORD_A);
    await otherDevice.login(COORD_A);
    await colleague.login(COORD_B);
    const before = me.cookies.get('gids_session');
    const csrf = await me.csrfFrom('/account/wachtwoord');
    const res = await me.post('/account/wachtwoord', { csrf, current: COORD_A.password, password: NEW_PASSWORD, repeat: NEW_PASSWORD });
    assert.equal(res.status, 303, 'POST /account/wachtwoord with a good new password');
    assert.equal(res.headers.get('location'), '/dashboard', 'redirect after password change');
    assert.notEqual(me.cookies.get('gids_session'), before, 'this browser gets a fresh session id after the change');
    const mine = await me.get('/account/wachtwoord');
    assert.equal(mine.status, 200, 'this browser is still logged in after the change');
    assert.ok(textOf(mine.text_).includes('Uw nieuwe wachtwoord is opgeslagen.'), 'flash after the change');
    const other = await otherDevice.get('/account/wachtwoord');
    assert.equal(other.status, 303, 'the other session of the same user ended');
    assert.match(other.headers.get('location'), /^\/inloggen/, 'the other session goes to the login page');
    assert.equal((await colleague.get('/account/wachtwoord')).status, 200, 'a session of another user is untouched');
    assert.equal((await new Client(server.url).login(COORD_A)).status, 401, 'login with the old password');
    assert.equal((await new Client(server.url).login({ email: COORD_A.email, password: NEW_PASSWORD })).status, 303, 'login with the new password');
  });
});

describe('--secure-cookies', () => {
  let server;
  before(async () => { server = await startServer({ extraArgs: ['--secure-cookies'] }); });
  after(async () => { await server?.stop(); });

  it('adds Secure to every cookie', async () => {
    const client = new Client(server.url);
    const page = await client.get('/inloggen');
    const csrf = cookieAttrs(page, 'gids_csrf');
    assert.ok(csrf?.attrs.includes('secure'), `gids_csrf with --secure-cookies: ${csrf?.raw}`);
    const login = await client.post('/inloggen', { csrf: Client.csrf(page.text_), email: ADMIN.email, password: ADMIN.password });
    assert.equal(login.status, 303, 'login with --secure-cookies');
    const session = cookieAttrs(login, 'gids_session');
    assert.ok(session?.attrs.includes('secure'), `gids_session with --secure-cookies: ${session?.raw}`);
    assert.ok(session.attrs.includes('httponly') && session.attrs.includes('samesite=lax'), `gids_session keeps HttpOnly and SameSite: ${session.raw}`);
    const lang = await client.get('/taal/en');
    const langCookie = cookieAttrs(lang, 'gids_lang');
    assert.ok(langCookie?.attrs.includes('secure'), `gids_lang with --secure-cookies: ${langCookie?.raw}`);
    const logout = await client.post('/uitloggen', { csrf: await client.csrfFrom('/account/wachtwoord') });
    const cleared = cookieAttrs(logout, 'gids_session');
    assert.ok(cleared?.attrs.includes('secure'), `clearing gids_session with --secure-cookies: ${cleared?.raw}`);
  });
});
