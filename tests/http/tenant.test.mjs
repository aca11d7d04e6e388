// Tenant isolation: a coordinator sees only their own municipality; another municipality's
// pages answer 404 (not 403), so that its existence does not leak.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN, COORD_A, COORD_B } from './lib/server.mjs';
import { textOf, multipart, png } from './lib/raw.mjs';

describe('tenant isolation', () => {
  let server;
  const ids = {};
  const clients = {};
  const logos = {};
  before(async () => {
    server = await startServer();
    for (const [key, user] of [['admin', ADMIN], ['a', COORD_A], ['b', COORD_B]]) {
      clients[key] = new Client(server.url);
      assert.equal((await clients[key].login(user)).status, 303, `login ${user.email}`);
    }
    for (const key of ['a', 'b']) {
      const dash = await clients[key].get('/dashboard');
      ids[key] = Number(dash.headers.get('location').match(/^\/gemeenten\/(\d+)$/)[1]);
    }
    assert.notEqual(ids.a, ids.b, 'two different municipalities');
    // Both municipalities get a logo, so that a 404 for the other one's logo means "not yours".
    for (const [key, name, region] of [['a', COORD_A.municipality, 'Regio Alpha'], ['b', COORD_B.municipality, 'Regio Beta']]) {
      logos[key] = png(200 + ids[key]);
      const csrf = await clients.admin.csrfFrom(`/beheer/gemeenten/${ids[key]}`);
      const { body, contentType } = multipart({ csrf, name, cbs_code: '', region }, { logo: { filename: 'logo.png', type: 'image/png', data: logos[key] } });
      const res = await clients.admin.request('POST', `/beheer/gemeenten/${ids[key]}`, { body, headers: { 'content-type': contentType } });
      assert.equal(res.status, 303, `admin uploads the logo of ${name}`);
    }
  });
  after(async () => { await server?.stop(); });

  const logoOf = async (client, id) => {
    const res = await fetch(`${server.url}/gemeenten/${id}/logo`, { headers: { cookie: client.cookieHeader() }, redirect: 'manual' });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
  };

  it('coordinator A sees their own municipality and its logo', async () => {
    const res = await clients.a.get(`/gemeenten/${ids.a}`);
    assert.equal(res.status, 200, `GET /gemeenten/${ids.a} as coordinator A`);
    assert.ok(textOf(res.text_).includes(COORD_A.municipality), `GET /gemeenten/${ids.a} as A names ${COORD_A.municipality}`);
    assert.ok(textOf(res.text_).includes('Regio Alpha'), `GET /gemeenten/${ids.a} as A shows the region`);
    const logo = await logoOf(clients.a, ids.a);
    assert.equal(logo.status, 200, `GET /gemeenten/${ids.a}/logo as A`);
    assert.deepEqual(logo.body, logos.a, `GET /gemeenten/${ids.a}/logo as A: A's logo`);
  });

  const otherCases = [
    ['A asks for B', 'a', 'b', COORD_B],
    ['B asks for A', 'b', 'a', COORD_A],
  ];
  for (const [label, who, whose, owner] of otherCases) {
    it(`${label}: /gemeenten/{id} and its logo answer 404, not 403, and leak nothing`, async () => {
      const id = ids[whose];
      const res = await clients[who].get(`/gemeenten/${id}`);
      assert.equal(res.status, 404, `GET /gemeenten/${id} (${label})`);
      assert.ok(textOf(res.text_).includes('Pagina niet gevonden'), `GET /gemeenten/${id} (${label}): Dutch 404 page`);
      for (const secret of [owner.municipality, owner.email, whose === 'a' ? 'Regio Alpha' : 'Regio Beta']) {
        assert.ok(!res.text_.includes(secret), `GET /gemeenten/${id} (${label}) leaks "${secret}"`);
      }
      const logo = await logoOf(clients[who], id);
      assert.equal(logo.status, 404, `GET /gemeenten/${id}/logo (${label})`);
      assert.notDeepEqual(logo.body, logos[whose], `GET /gemeenten/${id}/logo (${label}) returns the logo`);
      // Indistinguishable from a municipality that does not exist.
      const missing = await clients[who].get('/gemeenten/987654');
      assert.equal(missing.status, 404, `GET /gemeenten/987654 (${label})`);
      const heading = (html) => html.match(/<h1[^>]*>([^<]*)<\/h1>/)?.[1];
      assert.equal(heading(res.text_), heading(missing.text_), `other tenant's page looks like a missing one (${label})`);
      assert.equal((await logoOf(clients[who], 987654)).status, 404, `GET /gemeenten/987654/logo (${label})`);
    });
  }

  it('the admin sees both municipalities and both logos', async () => {
    for (const key of ['a', 'b']) {
      const owner = key === 'a' ? COORD_A : COORD_B;
      const res = await clients.admin.get(`/gemeenten/${ids[key]}`);
      assert.equal(res.status, 200, `GET /gemeenten/${ids[key]} as admin`);
      assert.ok(textOf(res.text_).includes(owner.municipality), `GET /gemeenten/${ids[key]} as admin names ${owner.municipality}`);
      assert.ok(textOf(res.text_).includes(owner.email), `GET /gemeenten/${ids[key]} as admin lists ${owner.email}`);
      const logo = await logoOf(clients.admin, ids[key]);
      assert.equal(logo.status, 200, `GET /gemeenten/${ids[key]}/logo as admin`);
      assert.deepEqual(logo.body, logos[key], `GET /gemeenten/${ids[key]}/logo as admin: the right logo`);
    }
  });

  it('a coordinator\'s overview lists only their own colleagues', async () => {
    const res = await clients.a.get(`/gemeenten/${ids.a}`);
    assert.ok(res.text_.includes(COORD_A.email), `A's overview lists ${COORD_A.email}`);
    assert.ok(!res.text_.includes(COORD_B.email), `A's overview leaks ${COORD_B.email}`);
    assert.ok(!res.text_.includes(COORD_B.municipality), `A's overview leaks ${COORD_B.municipality}`);
  });

  it('non-numeric or odd ids answer 404', async () => {
    for (const id of ['abc', '-1', '0', '1e3', '99999999999999999999999']) {
      const res = await clients.a.get(`/gemeenten/${id}`);
      assert.equal(res.status, 404, `GET /gemeenten/${id} as A`);
    }
  });

  const protectedPages = () => [
    '/dashboard', `/gemeenten/${ids.a}`, `/gemeenten/${ids.b}`, `/gemeenten/${ids.a}/logo`, '/account/wachtwoord',
    '/beheer', '/beheer/gemeenten', `/beheer/gemeenten/${ids.a}`, '/beheer/gebruikers', '/beheer/logboek',
  ];
  it('anonymous GET of every protected page redirects to /inloggen', async () => {
    for (const path of protectedPages()) {
      for (const [label, cookie] of [['no cookie', undefined], ['a made-up session cookie', 'gids_session=verzonnen-sessie-0123456789'], ['an over-long session cookie', `gids_session=${'x'.repeat(300)}`]]) {
        const res = await fetch(`${server.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
        const body = await res.text();
        assert.equal(res.status, 303, `anonymous GET ${path} with ${label}`);
        assert.match(res.headers.get('location'), /^\/inloggen(\?|$)/, `anonymous GET ${path} with ${label} goes to /inloggen`);
        assert.ok(!body.includes('Gemeente'), `anonymous GET ${path} with ${label} leaks content`);
      }
    }
  });

  it('anonymous POST to protected forms is refused with 403 and changes nothing', async () => {
    for (const path of ['/beheer/gemeenten', `/beheer/gemeenten/${ids.a}`, '/beheer/gebruikers', '/account/wachtwoord', '/uitloggen']) {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name: 'Gemeente Anoniem', email: 'anoniem@x.nl', password: 'een-goed-lang-wachtwoord' }).toString(),
      });
      const body = await res.text();
      assert.equal(res.status, 403, `anonymous POST ${path}`);
      assert.ok(textOf(body).includes('U bent niet (meer) ingelogd.'), `anonymous POST ${path}: Dutch message`);
    }
    assert.ok(!textOf((await clients.admin.get('/beheer/gemeenten')).text_).includes('Gemeente Anoniem'), 'anonymous POST created a municipality');
  });
});
