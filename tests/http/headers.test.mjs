// Security headers on every response, a strict Content-Security-Policy that the pages
// really keep to, caching of static assets, and the language switch.
import { describe, it, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN, COORD_A } from './lib/server.mjs';
import { rawRequest, assertSecurityHeaders, assertNoInlineCode, multipart, png, crashReport, deathNote } from './lib/raw.mjs';

describe('security headers and strict CSP', () => {
  let server;
  const c = {};
  let alphaId;
  before(async () => {
    server = await startServer({ extraArgs: ['--body-limit', '4096'] });
    c.anon = new Client(server.url);
    c.admin = new Client(server.url);
    c.coord = new Client(server.url);
    assert.equal((await c.admin.login(ADMIN)).status, 303, 'admin login');
    assert.equal((await c.coord.login(COORD_A)).status, 303, 'coordinator login');
    alphaId = Number((await c.coord.get('/dashboard')).headers.get('location').split('/').pop());
    const csrf = await c.admin.csrfFrom(`/beheer/gemeenten/${alphaId}`);
    const { body, contentType } = multipart({ csrf, name: COORD_A.municipality, cbs_code: '', region: '' }, { logo: { filename: 'l.png', type: 'image/png', data: png() } });
    assert.equal((await c.admin.request('POST', `/beheer/gemeenten/${alphaId}`, { body, headers: { 'content-type': contentType } })).status, 303, 'logo upload');
  });
  after(async () => { await server?.stop(); });

  // [label, who, method, path, expected status, form]
  const pages = () => [
    ['login page', 'anon', 'GET', '/inloggen', 200],
    ['start page redirect', 'anon', 'GET', '/', 303],
    ['protected page redirect', 'anon', 'GET', '/dashboard', 303],
    ['login refused without CSRF token', 'anon', 'POST', '/inloggen', 403, { email: 'x@y.nl', password: 'nee' }],
    ['municipality dashboard', 'coord', 'GET', `/gemeenten/${alphaId}`, 200],
    ['password page', 'coord', 'GET', '/account/wachtwoord', 200],
    ['admin municipalities', 'admin', 'GET', '/beheer/gemeenten', 200],
    ['admin municipality', 'admin', 'GET', `/beheer/gemeenten/${alphaId}`, 200],
    ['admin accounts', 'admin', 'GET', '/beheer/gebruikers', 200],
    ['admin audit log', 'admin', 'GET', '/beheer/logboek', 200],
    ['admin municipality dashboard', 'admin', 'GET', `/gemeenten/${alphaId}`, 200],
    ['404 page', 'anon', 'GET', '/bestaat-niet', 404],
    ['404 page when logged in', 'coord', 'GET', '/gemeenten/987654', 404],
    ['403 page', 'coord', 'GET', '/beheer/gemeenten', 403],
    ['405 page', 'anon', 'DELETE', '/inloggen', 405],
    ['415 page', 'admin', 'POST', '/beheer/gemeenten', 415, null, { 'content-type': 'application/json' }],
    ['logo', 'coord', 'GET', `/gemeenten/${alphaId}/logo`, 200],
    ['static css', 'anon', 'GET', '/assets/gids.css', 200],
    ['vendor css', 'anon', 'GET', '/vendor/utrecht/components.css', 200],
    ['favicon', 'anon', 'GET', '/assets/favicon.svg', 200],
    ['health check', 'anon', 'GET', '/healthz', 200],
    ['metrics', 'anon', 'GET', '/metrics', 200],
  ];
  for (let i = 0; i < 22; i++) {
    it(`security headers on page #${i + 1} (${pages()[i][0]})`, async () => {
      const [label, who, method, path, status, form, headers] = pages()[i];
      const res = form ? await c[who].post(path, form) : await c[who].request(method, path, { headers, body: headers ? '{}' : undefined });
      const name = `${label}: ${method} ${path} as ${who}`;
      assert.equal(res.status, status, `${name}: status`);
      assertSecurityHeaders((h) => res.headers.get(h), name);
      if ((res.headers.get('content-type') || '').startsWith('text/html') && res.text_) {
        assertNoInlineCode(res.text_, name);
        assert.match(res.text_, /^<!doctype html>/i, `${name}: a full HTML page`);
      }
    });
  }

  const rawPages = [
    ['413 page', `POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n${'a'.repeat(5000)}`, 413],
    ['431 page', `GET /inloggen HTTP/1.1\r\nHost: x\r\nX-Groot: ${'g'.repeat(40000)}\r\n\r\n`, 431],
    ['400 page', 'KAPOT\r\n\r\n', 400],
    ['400 page for invalid UTF-8 in the path', 'GET /%FF HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ];
  for (const [label, request, status] of rawPages) {
    it(`security headers on the ${label}`, async () => {
      const res = await rawRequest(server.port, request);
      assert.equal(res.status, status, `${label}: status (${res.error || ''})`);
      assertSecurityHeaders((h) => res.headers[h], label);
      assertNoInlineCode(res.body, label);
    });
  }

  // The redirect of an anonymous visitor to the login page carries the requested path.
  const injections = [
    '/gemeenten/%0D%0ASet-Cookie:%20evil=1',
    '/gemeenten/%0D%0AX-Evil:%201',
    '/gemeenten/%0ASet-Cookie:%20evil=1',
    '/gemeenten/x%0D%0A%0D%0A%3Cimg%20src=x%20onerror=alert(1)%3E',
  ];
  for (const path of injections) {
    it(`anonymous GET ${path} cannot inject headers into the redirect`, async () => {
      const res = await rawRequest(server.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.ok(res.status > 0, `GET ${path}: no response (${res.error})`);
      const names = res.rawHeaders.map(([n]) => n);
      assert.ok(!names.includes('x-evil'), `GET ${path}: injected X-Evil header`);
      const cookies = res.rawHeaders.filter(([n]) => n === 'set-cookie').map(([, v]) => v);
      assert.deepEqual(cookies.filter((v) => !/^gids_/.test(v)), [], `GET ${path}: injected cookies`);
      const location = res.headers.location;
      if (location !== undefined) {
        assert.ok(!/[\r\n]/.test(location), `GET ${path}: line break in Location ${JSON.stringify(location)}`);
        assert.equal(new URL(location, server.url).origin, new URL(server.url).origin, `GET ${path}: Location ${JSON.stringify(location)} leaves the site`);
      }
      assert.ok(!res.text.includes('<img src=x onerror=alert(1)>'), `GET ${path}: markup injected into the response`);
    });
  }

  const assets = ['/assets/gids.css', '/vendor/utrecht/components.css', '/vendor/utrecht/design-tokens.css', '/assets/favicon.svg'];
  for (const path of assets) {
    it(`static asset ${path}: Cache-Control, ETag and 304 on If-None-Match`, async () => {
      const res = await fetch(`${server.url}${path}`);
      const body = await res.text();
      assert.equal(res.status, 200, `GET ${path}`);
      assert.ok(body.length > 0, `GET ${path}: body`);
      assert.match(res.headers.get('cache-control') || '', /max-age=\d+/, `GET ${path}: Cache-Control`);
      const etag = res.headers.get('etag');
      assert.match(etag || '', /^(W\/)?"[^"]+"$/, `GET ${path}: ETag`);
      const again = await fetch(`${server.url}${path}`, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304, `GET ${path} with If-None-Match ${etag}`);
      assert.equal(await again.text(), '', `GET ${path} 304: empty body`);
      assert.equal(again.headers.get('etag'), etag, `GET ${path} 304: same ETag`);
      assertSecurityHeaders((h) => again.headers.get(h), `GET ${path} 304`);
      const stale = await fetch(`${server.url}${path}`, { headers: { 'if-none-match': '"verouderd"' } });
      assert.equal(stale.status, 200, `GET ${path} with a stale If-None-Match`);
      assert.equal(await stale.text(), body, `GET ${path} with a stale If-None-Match: full body`);
    });
  }

  it('the CSS content types are right', async () => {
    for (const [path, type] of [['/assets/gids.css', /^text\/css/], ['/assets/favicon.svg', /^image\/svg\+xml/]]) {
      const res = await fetch(`${server.url}${path}`);
      await res.arrayBuffer();
      assert.match(res.headers.get('content-type') || '', type, `content type of ${path}`);
    }
  });

  it('pages are not cached (no-store) while assets are', async () => {
    for (const [who, path] of [['anon', '/inloggen'], ['admin', '/beheer/gemeenten'], ['coord', `/gemeenten/${alphaId}`]]) {
      const res = await c[who].get(path);
      assert.match(res.headers.get('cache-control') || '', /no-store/, `Cache-Control of ${path} as ${who}`);
    }
  });

  it('the server is still running, with no sanitizer report', async () => {
    assert.equal(server.proc.exitCode, null, 'server still running');
    assert.equal(crashReport(server.log()), '', 'crash or sanitizer report in the server log');
  });
});

describe('language switch', () => {
  let server;
  // A fresh server when the previous case crashed it, so that each case gets its own verdict.
  beforeEach(async () => {
    if (server && server.proc.exitCode === null && server.proc.signalCode === null) return;
    await server?.stop();
    server = await startServer({ users: false });
  });
  after(async () => { await server?.stop(); });

  const noResponse = (res, what) => `${what}: no response (${res.error}); ${deathNote(server)}`;

  it('/taal/en?terug=/inloggen sets the cookie and the login page is then in English', async () => {
    const res = await rawRequest(server.port, 'GET /taal/en?terug=/inloggen HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.ok(res.status > 0, noResponse(res, 'GET /taal/en?terug=/inloggen'));
    assert.equal(res.status, 303, 'GET /taal/en?terug=/inloggen');
    assert.equal(res.headers.location, '/inloggen', 'Location of /taal/en?terug=/inloggen');
    assertSecurityHeaders((h) => res.headers[h], 'GET /taal/en?terug=/inloggen');
    const cookie = res.rawHeaders.find(([n, v]) => n === 'set-cookie' && v.startsWith('gids_lang='))?.[1];
    assert.ok(cookie, 'GET /taal/en sets gids_lang');
    assert.match(cookie, /^gids_lang=en;/, `gids_lang value: ${cookie}`);
    assert.match(cookie, /Max-Age=\d{6,}/, `gids_lang lasts: ${cookie}`);
    assert.match(cookie, /SameSite=Lax/, `gids_lang SameSite: ${cookie}`);
    const en = await fetch(`${server.url}/inloggen`, { headers: { cookie: 'gids_lang=en' } });
    const html = await en.text();
    assert.match(html, /<html lang="en">/, 'login page with gids_lang=en: lang="en"');
    assert.ok(html.includes('Log in with the e-mail address and password'), 'login page with gids_lang=en: English text');
    assert.match(html, /href="\/taal\/nl\?terug=\/inloggen"/, 'login page in English links back to Dutch');
    assertNoInlineCode(html, 'English login page');
  });

  it('/taal/nl switches back to Dutch; an unknown language means Dutch', async () => {
    for (const [target, value] of [['/taal/nl?terug=/inloggen', 'nl'], ['/taal/fr?terug=/inloggen', 'nl']]) {
      const res = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nCookie: gids_lang=en\r\nConnection: close\r\n\r\n`);
      assert.ok(res.status > 0, noResponse(res, `GET ${target}`));
      assert.equal(res.status, 303, `GET ${target}`);
      const cookie = res.rawHeaders.find(([n, v]) => n === 'set-cookie' && v.startsWith('gids_lang='))?.[1] || '';
      assert.match(cookie, new RegExp(`^gids_lang=${value};`), `GET ${target} sets gids_lang=${value}`);
    }
    const nl = await fetch(`${server.url}/inloggen`, { headers: { cookie: 'gids_lang=nl' } });
    assert.match(await nl.text(), /<html lang="nl">/, 'login page with gids_lang=nl');
    const odd = await fetch(`${server.url}/inloggen`, { headers: { cookie: 'gids_lang=<script>' } });
    assert.match(await odd.text(), /<html lang="nl">/, 'login page with gids_lang=<script>');
  });

  // Each must end on this site; the brief's case (//evil.example) must go to "/".
  const attempts = [
    ['//evil.example', '/'],
    ['https://evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['\\\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['evil.example', '/'],
    ['%2F%2Fevil.example', null],
    ['/\t/evil.example', null],
    ['/\n/evil.example', null],
    ['/x\r\nSet-Cookie: evil=1', null],
    ['', '/'],
  ];
  for (const [terug, expected] of attempts) {
    it(`open redirect attempt /taal/en?terug=${JSON.stringify(terug)} stays on the site`, async () => {
      const target = `/taal/en?terug=${encodeURIComponent(terug)}`;
      const res = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.ok(res.status > 0, noResponse(res, `GET ${target}`));
      assert.equal(res.status, 303, `GET ${target}`);
      const location = res.headers.location;
      if (expected) assert.equal(location, expected, `Location for terug=${JSON.stringify(terug)}`);
      const resolved = new URL(location, server.url);
      assert.equal(resolved.origin, new URL(server.url).origin, `terug=${JSON.stringify(terug)} leads off the site: Location ${JSON.stringify(location)} resolves to ${resolved.href}`);
      const cookies = res.rawHeaders.filter(([n]) => n === 'set-cookie').map(([, v]) => v.split('=')[0]);
      assert.deepEqual(cookies, ['gids_lang'], `cookies set through terug=${JSON.stringify(terug)}`);
    });
  }
});
