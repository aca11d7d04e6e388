// Bad input of every kind: unknown routes, wrong methods, oversized bodies and headers,
// malformed requests, broken encodings, slow clients and many clients at once. The server
// answers each with the right status and a Dutch page, stores nothing, and never crashes.
import { describe, it, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN } from './lib/server.mjs';
import { rawRequest, openSlowConnection, textOf, multipart, crashReport, deathNote } from './lib/raw.mjs';

const BODY_LIMIT = 2048;
const TEXT = {
  400: 'Dit verzoek kunnen we niet lezen',
  404: 'Pagina niet gevonden',
  405: 'Dit kan hier niet',
  413: 'Te veel gegevens',
  415: 'Dit soort gegevens kennen we niet',
  431: 'Te veel gegevens',
  utf8: 'De tekst bevat tekens die we niet kunnen lezen.',
};

function assertDutchPage(res, status, label, text = TEXT[status]) {
  assert.equal(res.status, status, `${label}: status ${res.status}${res.error ? ` (${res.error})` : ''}`);
  // Either a fetch Response read by Client (text_) or a parsed raw response (body).
  const fromFetch = typeof res.text_ === 'string';
  const type = fromFetch ? res.headers.get('content-type') : res.headers?.['content-type'];
  assert.match(type ?? '', /^text\/html; charset=utf-8/, `${label}: an HTML page`);
  const body = fromFetch ? res.text_ : res.body;
  assert.ok(textOf(body).includes(text), `${label}: Dutch text "${text}"`);
  assert.match(body, /<html lang="nl">/, `${label}: page in Dutch`);
}

describe('bad input', () => {
  let server;
  let admin;
  let alphaId;
  before(async () => {
    server = await startServer({ extraArgs: ['--body-limit', String(BODY_LIMIT)] });
    admin = new Client(server.url);
    assert.equal((await admin.login(ADMIN)).status, 303, 'admin login');
    alphaId = Number((await admin.get('/beheer/gemeenten')).text_.match(/href="\/beheer\/gemeenten\/(\d+)">Gemeente Alpha</)[1]);
  });
  after(async () => { await server?.stop(); });

  const municipalityCount = async () => ((await admin.get('/beheer/gemeenten')).text_.match(/href="\/beheer\/gemeenten\/\d+"/g) || []).length;
  const municipalityNames = async () => textOf((await admin.get('/beheer/gemeenten')).text_);
  const rawPost = (path, body, { type = 'application/x-www-form-urlencoded', cookie = admin.cookieHeader(), extra = '' } = {}) => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
    return rawRequest(server.port, [Buffer.concat([
      Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nCookie: ${cookie}\r\n${extra}Content-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`),
      bytes,
    ])]);
  };

  const unknown = [
    ['GET', '/bestaat-niet'],
    ['GET', '/gemeenten/1/2/3'],
    ['GET', '/assets/bestaat-niet.css'],
    ['GET', '/beheer/gemeenten/1/extra'],
    ['POST', '/bestaat-niet'],
    ['GET', '/%2e%2e/%2e%2e/etc/passwd'],
  ];
  for (const [method, path] of unknown) {
    it(`${method} ${path} → 404 Dutch page`, async () => {
      const res = await admin.request(method, path);
      assertDutchPage(res, 404, `${method} ${path}`);
      assert.ok(!res.text_.includes('root:'), `${method} ${path} serves a file outside the site`);
    });
  }

  const wrongMethods = [
    ['DELETE', '/inloggen', ['GET', 'POST']],
    ['PUT', '/beheer/gemeenten', ['GET', 'POST']],
    ['PATCH', '/healthz', ['GET']],
    ['POST', '/healthz', ['GET']],
    ['DELETE', '/gemeenten/1', ['GET']],
    ['PUT', '/uitloggen', ['POST']],
    ['GET', '/uitloggen', ['POST']],
  ];
  for (const [method, path, allowed] of wrongMethods) {
    it(`${method} ${path} → 405 with Allow: ${allowed.join(', ')}`, async () => {
      const res = await admin.request(method, path);
      assertDutchPage(res, 405, `${method} ${path}`);
      const allow = (res.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean);
      for (const m of allowed) assert.ok(allow.includes(m), `${method} ${path}: Allow "${res.headers.get('allow')}" lacks ${m}`);
      assert.ok(!allow.includes(method), `${method} ${path}: Allow lists the refused method`);
    });
  }

  const tooLarge = [
    ['Content-Length 100000 to /inloggen', `POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n${'a'.repeat(3000)}`],
    [`Content-Length ${BODY_LIMIT + 1} to /beheer/gemeenten`, () => `POST /beheer/gemeenten HTTP/1.1\r\nHost: x\r\nCookie: ${admin.cookieHeader()}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${BODY_LIMIT + 1}\r\n\r\n${'n'.repeat(BODY_LIMIT + 1)}`],
    ['a chunked body of 4096 bytes', `POST /inloggen HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n${'a'.repeat(4096)}\r\n0\r\n\r\n`],
    ['many small chunks over the limit', `POST /inloggen HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${'10\r\n0123456789abcdef\r\n'.repeat(200)}0\r\n\r\n`],
    ['a 1 MB multipart upload', () => `POST /beheer/gemeenten/1 HTTP/1.1\r\nHost: x\r\nCookie: ${admin.cookieHeader()}\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 1048576\r\n\r\n--xyz\r\n`],
  ];
  for (const [label, request] of tooLarge) {
    it(`body over the limit (${label}) → 413`, async () => {
      const res = await rawRequest(server.port, typeof request === 'function' ? request() : request);
      assertDutchPage(res, 413, `body over the limit (${label})`);
    });
  }

  it(`a body of exactly ${BODY_LIMIT} bytes is not refused as too large`, async () => {
    const base = 'csrf=x&email=a%40b.nl&password=';
    const body = base + 'p'.repeat(BODY_LIMIT - base.length);
    const res = await rawPost('/inloggen', body, { cookie: 'x=y' });
    assert.equal(res.status, 403, `POST /inloggen with ${BODY_LIMIT} bytes (reaches the CSRF check)`);
  });

  const hugeHeaders = [
    ['one header of 40 kB', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Groot: ${'a'.repeat(40000)}\r\n\r\n`],
    ['2000 small headers', `GET /healthz HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 2000 }, (_, i) => `X-H${i}: ${'b'.repeat(20)}\r\n`).join('')}\r\n`],
    ['a cookie of 40 kB', `GET /inloggen HTTP/1.1\r\nHost: x\r\nCookie: gids_session=${'c'.repeat(40000)}\r\n\r\n`],
    ['a request line of 40 kB', `GET /${'p'.repeat(40000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
  ];
  for (const [label, request] of hugeHeaders) {
    it(`huge header (${label}) → 431`, async () => {
      const res = await rawRequest(server.port, request);
      assertDutchPage(res, 431, `huge header (${label})`);
    });
  }

  const malformed = [
    ['a request line without method and path', 'GARBAGE\r\n\r\n'],
    ['a method only', 'GET\r\nHost: x\r\n\r\n'],
    ['two spaces in the request line', 'GET /  HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an invalid method token', 'G@T / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['HTTP/9.9', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n'],
    ['an unknown protocol', 'GET / FOO/1.1\r\nHost: x\r\n\r\n'],
    ['an absolute-form target', 'GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['an asterisk target on GET', 'GET * HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a control character in the target', 'GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['invalid UTF-8 in the path', 'GET /%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['a header line without colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nKapotte regel\r\n\r\n'],
    ['a NUL byte in a header value', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n'],
    ['a negative Content-Length', 'POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'],
    ['two different Content-Lengths', 'POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd'],
    ['Content-Length with Transfer-Encoding', 'POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['a bad chunk size', 'POST /inloggen HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
    ['a TLS handshake on the plain port', Buffer.from('160301020001000101fc0303', 'hex')],
  ];
  for (const [label, request] of malformed) {
    it(`malformed request (${label}) → 400`, async () => {
      const res = await rawRequest(server.port, request);
      assertDutchPage(res, 400, `malformed request (${label})`);
    });
  }

  const badUtf8 = [
    ['%C3%28 in the name', 'name=Gemeente%C3%28'],
    ['a lone %FF in the name', 'name=Gemeente%FF'],
    ['an overlong "/" (%C0%AF)', 'name=Gemeente%C0%AF'],
    ['a UTF-16 surrogate (%ED%A0%80)', 'name=Gemeente%ED%A0%80'],
    ['a truncated sequence at the end (%E2%82)', 'name=Gemeente%E2%82'],
    ['%C3%28 in a field name', 'na%C3%28me=Gemeente+Veldnaam&name=Gemeente+Veldnaam'],
    ['%C3%28 in the region', 'name=Gemeente+Regiofout&region=%C3%28'],
  ];
  for (const [label, fields] of badUtf8) {
    it(`invalid UTF-8 in a form field (${label}) → 400 with Dutch text, nothing stored`, async () => {
      const before = await municipalityCount();
      const csrf = await admin.csrfFrom('/beheer/gemeenten');
      const res = await rawPost('/beheer/gemeenten', `csrf=${csrf}&${fields}&cbs_code=`);
      assertDutchPage(res, 400, `POST /beheer/gemeenten with ${label}`, TEXT.utf8);
      assert.equal(await municipalityCount(), before, `POST /beheer/gemeenten with ${label}: number of municipalities changed`);
    });
  }

  it('invalid UTF-8 in the login e-mail → 400 with Dutch text, no session', async () => {
    const anon = new Client(server.url);
    const csrf = await anon.csrfFrom('/inloggen');
    const res = await rawPost('/inloggen', `csrf=${csrf}&email=beheer%C3%28%40test.gids.nl&password=x`, { cookie: anon.cookieHeader() });
    assertDutchPage(res, 400, 'POST /inloggen with %C3%28 in the e-mail', TEXT.utf8);
    assert.ok(!(res.headers['set-cookie'] || '').includes('gids_session='), 'POST /inloggen with invalid UTF-8 starts a session');
  });

  it('valid UTF-8 (Frisian, emoji) is stored and shown as typed (control)', async () => {
    const csrf = await admin.csrfFrom('/beheer/gemeenten');
    const name = 'Gemeente Súdwest-Fryslân ✓';
    const res = await admin.post('/beheer/gemeenten', { csrf, name, cbs_code: '', region: 'Fryslân' });
    assert.equal(res.status, 303, `POST /beheer/gemeenten with "${name}"`);
    assert.ok((await municipalityNames()).includes(name), `"${name}" listed as typed`);
  });

  const badPercent = [
    ['%ZZ', 'name=Gemeente%ZZ'],
    ['a lone %', 'name=Gemeente%'],
    ['a truncated %4', 'name=Gemeente%4'],
    ['%G1 in a field name', 'na%G1me=Gemeente'],
  ];
  for (const [label, fields] of badPercent) {
    it(`invalid percent-encoding in the body (${label}) → 400, nothing stored`, async () => {
      const before = await municipalityCount();
      const csrf = await admin.csrfFrom('/beheer/gemeenten');
      const res = await rawPost('/beheer/gemeenten', `csrf=${csrf}&${fields}&cbs_code=`);
      assertDutchPage(res, 400, `POST /beheer/gemeenten with ${label}`);
      assert.equal(await municipalityCount(), before, `POST /beheer/gemeenten with ${label}: number of municipalities changed`);
    });
  }

  const unknownTypes = [
    ['application/json', '{"name":"Gemeente Json"}', '/beheer/gemeenten'],
    ['text/plain', 'name=Gemeente Tekst', '/beheer/gemeenten'],
    ['application/xml', '<name>Gemeente Xml</name>', '/beheer/gemeenten'],
    ['application/json', '{"email":"a@b.nl"}', '/inloggen'],
  ];
  for (const [type, body, path] of unknownTypes) {
    it(`unknown content type ${type} on POST ${path} → 415, nothing stored`, async () => {
      const before = await municipalityCount();
      const res = await rawPost(path, body, { type });
      assertDutchPage(res, 415, `POST ${path} as ${type}`);
      assert.equal(await municipalityCount(), before, `POST ${path} as ${type}: number of municipalities changed`);
    });
  }

  const brokenMultipart = () => {
    const csrfPart = (b) => `--${b}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nTOKEN\r\n`;
    const namePart = (b) => `--${b}\r\nContent-Disposition: form-data; name="name"\r\n\r\nGemeente Kapot\r\n`;
    return [
      ['a boundary that is not in the body', 'multipart/form-data; boundary=aaa', `${csrfPart('bbb')}${namePart('bbb')}--bbb--\r\n`],
      ['no boundary parameter', 'multipart/form-data', `${csrfPart('aaa')}${namePart('aaa')}--aaa--\r\n`],
      ['an empty boundary', 'multipart/form-data; boundary=', `${csrfPart('')}--\r\n`],
      ['a boundary of 300 characters', `multipart/form-data; boundary=${'b'.repeat(300)}`, `${csrfPart('b'.repeat(300))}--${'b'.repeat(300)}--\r\n`],
      ['no closing delimiter', 'multipart/form-data; boundary=aaa', `${csrfPart('aaa')}${namePart('aaa')}`],
      ['a part without a name', 'multipart/form-data; boundary=aaa', `${csrfPart('aaa')}--aaa\r\nContent-Disposition: form-data\r\n\r\nGemeente Kapot\r\n--aaa--\r\n`],
      ['a part header without colon', 'multipart/form-data; boundary=aaa', `${csrfPart('aaa')}--aaa\r\nContent-Disposition form-data; name="name"\r\n\r\nGemeente Kapot\r\n--aaa--\r\n`],
      ['a part without the blank line after its headers', 'multipart/form-data; boundary=aaa', `--aaa\r\nContent-Disposition: form-data; name="name"\r\nGemeente Kapot--aaa--`],
      ['an empty body', 'multipart/form-data; boundary=aaa', ''],
    ];
  };
  for (let i = 0; i < brokenMultipart().length; i++) {
    it(`multipart with a broken structure #${i + 1} → 400, nothing changed`, async () => {
      const [label, type, template] = brokenMultipart()[i];
      const path = `/beheer/gemeenten/${alphaId}`;
      const csrf = await admin.csrfFrom(path);
      const res = await rawPost(path, template.replaceAll('TOKEN', csrf), { type });
      assertDutchPage(res, 400, `multipart POST ${path} with ${label}`);
      assert.ok(!(await municipalityNames()).includes('Gemeente Kapot'), `multipart POST with ${label}: municipality renamed`);
    });
  }

  it('a well-formed multipart form is accepted (control)', async () => {
    const path = `/beheer/gemeenten/${alphaId}`;
    const csrf = await admin.csrfFrom(path);
    const { body, contentType } = multipart({ csrf, name: 'Gemeente Alpha', cbs_code: 'GM0010', region: 'Heel' });
    const res = await rawPost(path, body, { type: contentType });
    assert.equal(res.status, 303, `multipart POST ${path} well-formed`);
  });

  it('slow-loris clients that send half a request do not block others', async () => {
    const slow = [];
    try {
      for (let i = 0; i < 30; i++) {
        slow.push(await openSlowConnection(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Traag: '));
        slow.push(await openSlowConnection(server.port, 'POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ncsrf=abc'));
      }
      const started = Date.now();
      const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(3000) });
      assert.equal(health.status, 200, 'GET /healthz while 60 slow clients hold connections');
      const client = new Client(server.url);
      assert.equal((await client.login(ADMIN)).status, 303, 'login while 60 slow clients hold connections');
      const page = await client.get('/beheer/gemeenten');
      assert.equal(page.status, 200, 'admin page while 60 slow clients hold connections');
      assert.ok(Date.now() - started < 3000, `requests beside slow clients took ${Date.now() - started} ms`);
    } finally {
      for (const s of slow) s.destroy();
    }
  });

  it('a request sent a few bytes at a time is still answered', async () => {
    const request = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const chunks = [];
    for (let i = 0; i < request.length; i += 7) chunks.push(request.slice(i, i + 7), 20);
    const res = await rawRequest(server.port, chunks);
    assert.equal(res.status, 200, 'GET /healthz sent 7 bytes at a time');
    assert.equal(res.body.trim(), 'ok', 'GET /healthz sent 7 bytes at a time: body');
  });

  it('200 concurrent requests are all answered', async () => {
    const mix = [
      ['/healthz', 200], ['/inloggen', 303], ['/assets/gids.css', 200], ['/bestaat-niet', 404], ['/beheer/gemeenten', 200],
    ];
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
      const [path, status] = mix[i % mix.length];
      try {
        const res = await fetch(`${server.url}${path}`, { headers: { cookie: admin.cookieHeader() }, redirect: 'manual', signal: AbortSignal.timeout(20000) });
        const body = await res.text();
        return { i, path, expected: status, status: res.status, length: body.length };
      } catch (e) {
        return { i, path, expected: status, status: 0, error: `${e.message} ${e.cause?.code || ''}` };
      }
    }));
    const wrong = results.filter((r) => r.status !== r.expected);
    assert.deepEqual(wrong, [], `of 200 concurrent requests these were not answered as expected (in ${Date.now() - started} ms)`);
    assert.deepEqual(results.filter((r) => r.status !== 303 && !(r.length > 0)), [], 'every concurrent page has a body');
  });

  it('200 concurrent raw connections with a pipelined pair each are all answered', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => rawRequest(server.port,
      `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /bestaat-niet-${i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, { timeout: 20000 })));
    const wrong = results.map((r, i) => ({ i, status: r.status, error: r.error })).filter((r) => r.status !== 200);
    assert.deepEqual(wrong, [], '200 raw connections: first responses');
  });

  it('after all of this the server still answers /healthz and never crashed', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200, 'GET /healthz at the end');
    assert.equal(server.proc.exitCode, null, `server exited with ${server.proc.exitCode}`);
    assert.equal(server.proc.signalCode, null, `server killed by ${server.proc.signalCode}`);
    assert.equal(crashReport(server.log()), '', 'crash or sanitizer report in the server log');
  });
});

// Query strings get their own server: a query string once crashed the whole server (see the
// report at the end of the run), and that must not take the other cases down with it.
describe('query strings', () => {
  let server;
  let admin;
  // A fresh server when the previous case crashed it, so that each case gets its own verdict.
  beforeEach(async () => {
    if (server && server.proc.exitCode === null && server.proc.signalCode === null) return;
    await server?.stop();
    server = await startServer();
    admin = new Client(server.url);
    assert.equal((await admin.login(ADMIN)).status, 303, 'admin login');
  });
  after(async () => { await server?.stop(); });

  const cases = [
    ['/taal/en?terug=/inloggen', (res) => assert.equal(res.headers.location, '/inloggen', 'Location for /taal/en?terug=/inloggen')],
    ['/taal/nl?terug=/beheer/logboek', (res) => assert.equal(res.headers.location, '/beheer/logboek', 'Location for /taal/nl?terug=/beheer/logboek')],
    ['/taal/en?terug=%2Fbeheer%2Fgebruikers&x=1', (res) => assert.equal(res.headers.location, '/beheer/gebruikers', 'Location for an encoded terug')],
    // Logged in (every other request) the login page sends one on to the dashboard.
    ['/inloggen?terug=/beheer/logboek', (res) => (res.status === 303
      ? assert.equal(res.headers.location, '/dashboard', 'logged in: /inloggen goes to the dashboard')
      : assert.match(res.body, /name="terug" value="\/beheer\/logboek"/, 'hidden terug field for /inloggen?terug=/beheer/logboek'))],
    ['/healthz?x', (res) => assert.equal(res.status, 200, 'GET /healthz?x')],
  ];
  for (const [target, check] of cases) {
    it(`GET ${target} (50 times, separate connections) reads exactly the query that was sent`, async () => {
      for (let i = 0; i < 50; i++) {
        const res = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nCookie: ${i % 2 ? admin.cookieHeader() : 'a=b'}\r\nConnection: close\r\n\r\n`);
        assert.ok(res.status > 0, `GET ${target} #${i + 1}: no response (${res.error}); ${deathNote(server)}`);
        check(res);
      }
    });
  }

  it('invalid percent-encoding in the query → 400 with Dutch text', async () => {
    const res = await rawRequest(server.port, 'GET /healthz?a=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.ok(res.status > 0, `GET /healthz?a=%ZZ: no response (${res.error}); ${deathNote(server)}`);
    assert.equal(res.status, 400, 'GET /healthz?a=%ZZ');
    assert.ok(textOf(res.body).includes(TEXT[400]), 'GET /healthz?a=%ZZ: Dutch text');
  });

  it('invalid UTF-8 in a query parameter → 400 with Dutch text, as in a form body', async () => {
    const res = await rawRequest(server.port, 'GET /inloggen?terug=%C3%28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.ok(res.status > 0, `GET /inloggen?terug=%C3%28: no response (${res.error}); ${deathNote(server)}`);
    assert.equal(res.status, 400, `GET /inloggen?terug=%C3%28 answered ${res.status}; the page then holds invalid UTF-8: ${JSON.stringify(res.bodyBytes?.toString('latin1').match(/name="terug" value="[^"]*"/)?.[0])}`);
    assert.ok(textOf(res.body).includes(TEXT.utf8), 'GET /inloggen?terug=%C3%28: Dutch text');
  });

  it('the server survives 200 requests with query strings', async () => {
    const targets = ['/taal/en?terug=/inloggen', '/inloggen?terug=/dashboard', '/healthz?a=1&b=2', '/beheer/logboek?pagina=1', '/bestaat-niet?x=%20y'];
    for (let i = 0; i < 200; i++) {
      const target = targets[i % targets.length];
      const res = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nCookie: ${admin.cookieHeader()}\r\nConnection: close\r\n\r\n`);
      assert.ok(res.status > 0, `GET ${target} (#${i + 1} of 200): no response (${res.error}); ${deathNote(server)}`);
    }
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200, 'GET /healthz after the query strings');
    assert.equal(server.proc.exitCode ?? server.proc.signalCode, null, 'server still running');
    assert.equal(crashReport(server.log()), '', 'crash or sanitizer report in the server log');
  });
});
