// The administrator's pages: municipalities, coordinators, the audit log and logos.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, ADMIN, COORD_A, COORD_B } from './lib/server.mjs';
import { textOf, inputValue, fieldError, htmlEscape, multipart, png } from './lib/raw.mjs';

const NEW_COORD = { email: 'sanne@amstel.gids.nl', name: 'Sanne Jansen', password: 'sanne-haar-eigen-wachtwoord' };

// The id of a municipality from the admin list (by exact name), or null.
function municipalityId(html, name) {
  const m = html.match(new RegExp(`href="/beheer/gemeenten/(\\d+)">${htmlEscape(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</a>`));
  return m ? Number(m[1]) : null;
}

// The id of a user from the accounts page (by e-mail), or null.
function userId(html, email) {
  for (const row of html.split('<tr ')) {
    if (!row.includes(`>${email}<`)) continue;
    const m = row.match(/action="\/beheer\/gebruikers\/(\d+)\/status"/);
    if (m) return Number(m[1]);
  }
  return null;
}

function selectedOption(html, selectId) {
  const select = html.match(new RegExp(`<select[^>]*id="${selectId}"[^>]*>([\\s\\S]*?)</select>`));
  if (!select) return null;
  const opt = select[1].match(/<option value="([^"]*)"\s*selected/);
  return opt ? opt[1] : null;
}

async function postMultipart(client, path, fields, files) {
  const { body, contentType } = multipart(fields, files);
  return client.request('POST', path, { body, headers: { 'content-type': contentType } });
}

describe('administrator', () => {
  let server;
  let admin;
  let amstelId;
  before(async () => {
    server = await startServer();
    admin = new Client(server.url);
    assert.equal((await admin.login(ADMIN)).status, 303, 'admin login');
  });
  after(async () => { await server?.stop(); });

  const listPage = async () => (await admin.get('/beheer/gemeenten')).text_;

  it('creates a municipality with name, CBS code and region', async () => {
    const csrf = await admin.csrfFrom('/beheer/gemeenten');
    const res = await admin.post('/beheer/gemeenten', { csrf, name: 'Gemeente Amstel', cbs_code: 'GM0363', region: 'Amsterdam-Amstelland' });
    assert.equal(res.status, 303, 'POST /beheer/gemeenten Gemeente Amstel/GM0363');
    const location = res.headers.get('location');
    assert.match(location, /^\/beheer\/gemeenten\/\d+$/, 'redirect to the new municipality');
    amstelId = Number(location.split('/').pop());
    const page = await admin.get(location);
    assert.equal(page.status, 200, `GET ${location}`);
    assert.ok(textOf(page.text_).includes('De gemeente is toegevoegd.'), 'flash after creating');
    assert.equal(inputValue(page.text_, 'name'), 'Gemeente Amstel', 'stored name');
    assert.equal(inputValue(page.text_, 'cbs_code'), 'GM0363', 'stored CBS code');
    assert.equal(inputValue(page.text_, 'region'), 'Amsterdam-Amstelland', 'stored region');
    assert.equal(municipalityId(await listPage(), 'Gemeente Amstel'), amstelId, 'listed on /beheer/gemeenten');
  });

  it('stores a CBS code typed in lower case with spaces as GM0599', async () => {
    const csrf = await admin.csrfFrom('/beheer/gemeenten');
    const res = await admin.post('/beheer/gemeenten', { csrf, name: '  Gemeente Rijnmond  ', cbs_code: ' gm0599 ', region: '' });
    assert.equal(res.status, 303, 'POST /beheer/gemeenten with cbs_code " gm0599 "');
    const page = await admin.get(res.headers.get('location'));
    assert.equal(inputValue(page.text_, 'cbs_code'), 'GM0599', 'CBS code " gm0599 " stored as');
    assert.equal(inputValue(page.text_, 'name'), 'Gemeente Rijnmond', 'name "  Gemeente Rijnmond  " stored trimmed');
  });

  const badMunicipalities = [
    ['an empty name', { name: '', cbs_code: 'GM0001', region: 'Regio Een' }, 'name', 'Vul de naam van de gemeente in.'],
    ['a name of spaces', { name: '   ', cbs_code: 'GM0002', region: 'Regio Twee' }, 'name', 'Vul de naam van de gemeente in.'],
    ['CBS code "XX12"', { name: 'Gemeente Foutcode', cbs_code: 'XX12', region: 'Regio Drie' }, 'cbs_code', 'Een CBS-code is GM gevolgd door vier cijfers, bijvoorbeeld GM0363.'],
    ['CBS code "GM12345"', { name: 'Gemeente Langecode', cbs_code: 'GM12345', region: '' }, 'cbs_code', 'Een CBS-code is GM gevolgd door vier cijfers, bijvoorbeeld GM0363.'],
    ['a 300-character name', { name: `Gemeente ${'x'.repeat(291)}`, cbs_code: '', region: 'Regio Vier' }, 'name', 'De naam mag hoogstens 100 tekens lang zijn.'],
    ['a 150-character region', { name: 'Gemeente Langeregio', cbs_code: '', region: 'r'.repeat(150) }, 'region', 'De regio mag hoogstens 100 tekens lang zijn.'],
    ['a duplicate name', { name: COORD_A.municipality, cbs_code: 'GM0003', region: 'Regio Vijf' }, 'name', 'Er is al een gemeente met deze naam.'],
    ['markup in the name and a bad code', { name: 'Gemeente <b>"Vet"</b> & Co', cbs_code: 'nee', region: '<i>r</i>' }, 'cbs_code', 'Een CBS-code is GM gevolgd door vier cijfers, bijvoorbeeld GM0363.'],
  ];
  for (const [label, form, field, message] of badMunicipalities) {
    it(`refuses a municipality with ${label}: 422, Dutch message, typed values kept`, async () => {
      const before = await listPage();
      const csrf = Client.csrf(before);
      const res = await admin.post('/beheer/gemeenten', { csrf, ...form });
      assert.equal(res.status, 422, `POST /beheer/gemeenten with ${label}`);
      assert.equal(fieldError(res.text_, field), message, `POST /beheer/gemeenten with ${label}: message next to ${field}`);
      assert.match(res.text_, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), `POST /beheer/gemeenten with ${label}: ${field} marked invalid`);
      for (const [name, value] of Object.entries(form)) {
        assert.equal(inputValue(res.text_, name), htmlEscape(value), `POST /beheer/gemeenten with ${label}: ${name} kept (escaped)`);
      }
      assert.ok(!res.text_.includes('<b>"Vet"</b>') && !res.text_.includes('<i>r</i>'), `POST /beheer/gemeenten with ${label}: markup not escaped`);
      const after = await listPage();
      const count = (html) => (html.match(/href="\/beheer\/gemeenten\/\d+"/g) || []).length;
      assert.equal(count(after), count(before), `POST /beheer/gemeenten with ${label}: number of municipalities changed`);
    });
  }

  it('shows a stored name with markup escaped on every page', async () => {
    const name = 'Gemeente <img src=x onerror=alert(1)> & "Co"';
    const csrf = await admin.csrfFrom('/beheer/gemeenten');
    const res = await admin.post('/beheer/gemeenten', { csrf, name, cbs_code: '', region: '<b>Regio</b>' });
    assert.equal(res.status, 303, `POST /beheer/gemeenten with name ${JSON.stringify(name)}`);
    const id = res.headers.get('location').split('/').pop();
    for (const path of ['/beheer/gemeenten', `/beheer/gemeenten/${id}`, `/gemeenten/${id}`, '/beheer/logboek']) {
      const page = await admin.get(path);
      assert.equal(page.status, 200, `GET ${path}`);
      assert.ok(!page.text_.includes('<img src=x'), `GET ${path}: the stored name's markup is not escaped`);
      assert.ok(!page.text_.includes('<b>Regio</b>'), `GET ${path}: the stored region's markup is not escaped`);
      assert.ok(page.text_.includes('&lt;img src=x onerror=alert(1)&gt;'), `GET ${path}: the name is shown, escaped`);
    }
  });

  it('20 concurrent creations of the same municipality: exactly one succeeds, the rest get 422', async () => {
    const csrf = await admin.csrfFrom('/beheer/gemeenten');
    const results = await Promise.all(Array.from({ length: 20 }, () =>
      admin.post('/beheer/gemeenten', { csrf, name: 'Gemeente Gelijktijdig', cbs_code: '', region: '' }).then((r) => r.status)));
    assert.equal(results.filter((s) => s === 303).length, 1, `statuses of 20 concurrent creations: ${results}`);
    assert.equal(results.filter((s) => s === 422).length, 19, `statuses of 20 concurrent creations: ${results}`);
  });

  it('renames a municipality and refuses renaming to an existing name', async () => {
    const path = `/beheer/gemeenten/${amstelId}`;
    let csrf = await admin.csrfFrom(path);
    const res = await admin.post(path, { csrf, name: 'Gemeente Amstelveen', cbs_code: 'GM0362', region: 'Amstelland' });
    assert.equal(res.status, 303, `POST ${path} rename to Gemeente Amstelveen`);
    const page = await admin.get(path);
    assert.equal(inputValue(page.text_, 'name'), 'Gemeente Amstelveen', 'name after rename');
    assert.equal(inputValue(page.text_, 'cbs_code'), 'GM0362', 'CBS code after rename');
    assert.ok(textOf(page.text_).includes('De wijzigingen zijn opgeslagen.'), 'flash after rename');
    const list = await listPage();
    assert.equal(municipalityId(list, 'Gemeente Amstelveen'), amstelId, 'new name listed');
    assert.equal(municipalityId(list, 'Gemeente Amstel'), null, 'old name no longer listed');

    csrf = Client.csrf(page.text_);
    const dup = await admin.post(path, { csrf, name: COORD_B.municipality, cbs_code: 'GM0362', region: 'Amstelland' });
    assert.equal(dup.status, 422, `POST ${path} rename to the existing ${COORD_B.municipality}`);
    assert.equal(fieldError(dup.text_, 'name'), 'Er is al een gemeente met deze naam.', 'rename to a duplicate: message');
    assert.equal(inputValue(dup.text_, 'name'), COORD_B.municipality, 'rename to a duplicate: typed name kept');
    assert.equal(inputValue((await admin.get(path)).text_, 'name'), 'Gemeente Amstelveen', 'name unchanged after refused rename');

    const missing = await admin.post('/beheer/gemeenten/987654', { csrf, name: 'Gemeente Nergens' });
    assert.equal(missing.status, 404, 'POST /beheer/gemeenten/987654 (does not exist)');
    assert.equal((await admin.get('/beheer/gemeenten/987654')).status, 404, 'GET /beheer/gemeenten/987654');
    assert.equal((await admin.get('/beheer/gemeenten/abc')).status, 404, 'GET /beheer/gemeenten/abc');
  });

  it('creates a coordinator who can then log in to their municipality', async () => {
    const csrf = await admin.csrfFrom('/beheer/gebruikers');
    const res = await admin.post('/beheer/gebruikers', { csrf, email: NEW_COORD.email, name: NEW_COORD.name, municipality_id: String(amstelId), password: NEW_COORD.password });
    assert.equal(res.status, 303, `POST /beheer/gebruikers ${NEW_COORD.email}`);
    const users = await admin.get('/beheer/gebruikers');
    assert.ok(textOf(users.text_).includes('Het account is aangemaakt.'), 'flash after creating the account');
    assert.ok(userId(users.text_, NEW_COORD.email), `${NEW_COORD.email} listed on /beheer/gebruikers`);
    const coord = new Client(server.url);
    assert.equal((await coord.login(NEW_COORD)).status, 303, `login as the new coordinator ${NEW_COORD.email}`);
    const dash = await coord.get('/dashboard');
    assert.equal(dash.headers.get('location'), `/gemeenten/${amstelId}`, 'the new coordinator lands on their municipality');
    assert.equal((await coord.get(`/gemeenten/${amstelId}`)).status, 200, 'the new coordinator sees their municipality');
  });

  const badUsers = () => [
    ['an invalid e-mail "geen-email"', { email: 'geen-email', name: 'Iemand', municipality_id: String(amstelId), password: 'een-goed-lang-wachtwoord' }, 'email', 'Dit is geen geldig e-mailadres. Voorbeeld: naam@gemeente.nl.'],
    ['an e-mail with two @', { email: 'a@b@gemeente.nl', name: 'Iemand', municipality_id: String(amstelId), password: 'een-goed-lang-wachtwoord' }, 'email', 'Dit is geen geldig e-mailadres. Voorbeeld: naam@gemeente.nl.'],
    ['an empty e-mail', { email: '', name: 'Iemand', municipality_id: String(amstelId), password: 'een-goed-lang-wachtwoord' }, 'email', 'Vul een e-mailadres in.'],
    ['a short password', { email: 'kort@amstel.gids.nl', name: 'Kort', municipality_id: String(amstelId), password: 'kort' }, 'password', 'Kies een wachtwoord van minstens 12 tekens.'],
    ['a common password', { email: 'vaak@amstel.gids.nl', name: 'Vaak', municipality_id: String(amstelId), password: 'Welkom123456' }, 'password', 'Dit wachtwoord wordt veel gebruikt en is makkelijk te raden. Kies een ander wachtwoord.'],
    ['no municipality', { email: 'zonder@amstel.gids.nl', name: 'Zonder', municipality_id: '', password: 'een-goed-lang-wachtwoord' }, 'municipality_id', 'Kies de gemeente van deze coördinator.'],
    ['a municipality that does not exist', { email: 'nergens@amstel.gids.nl', name: 'Nergens', municipality_id: '987654', password: 'een-goed-lang-wachtwoord' }, 'municipality_id', 'Kies een gemeente uit de lijst.'],
    ['an e-mail that already has an account', { email: COORD_A.email, name: 'Dubbel', municipality_id: String(amstelId), password: 'een-goed-lang-wachtwoord' }, 'email', 'Er is al een account met dit e-mailadres.'],
  ];
  for (let i = 0; i < 8; i++) {
    it(`refuses coordinator #${i + 1} with bad input: 422, Dutch message, typed values kept`, async () => {
      const [label, form, field, message] = badUsers()[i];
      const before = await admin.get('/beheer/gebruikers');
      const count = (html) => (html.match(/<tr class="utrecht-table__row">/g) || []).length;
      const res = await admin.post('/beheer/gebruikers', { csrf: Client.csrf(before.text_), ...form });
      assert.equal(res.status, 422, `POST /beheer/gebruikers with ${label}`);
      assert.equal(fieldError(res.text_, field), message, `POST /beheer/gebruikers with ${label}: message next to ${field}`);
      assert.equal(inputValue(res.text_, 'email'), htmlEscape(form.email), `POST /beheer/gebruikers with ${label}: e-mail kept`);
      assert.equal(inputValue(res.text_, 'name'), htmlEscape(form.name), `POST /beheer/gebruikers with ${label}: name kept`);
      if (form.municipality_id === String(amstelId)) {
        assert.equal(selectedOption(res.text_, 'municipality_id'), String(amstelId), `POST /beheer/gebruikers with ${label}: municipality still selected`);
      }
      assert.equal(inputValue(res.text_, 'password'), null, `POST /beheer/gebruikers with ${label}: password not echoed`);
      const after = await admin.get('/beheer/gebruikers');
      assert.equal(count(after.text_), count(before.text_), `POST /beheer/gebruikers with ${label}: number of accounts changed`);
    });
  }

  it('disabling a coordinator ends their session and blocks their login', async () => {
    const coord = new Client(server.url);
    assert.equal((await coord.login(NEW_COORD)).status, 303, 'coordinator logs in before being disabled');
    assert.equal((await coord.get('/account/wachtwoord')).status, 200, 'coordinator session works');
    const users = await admin.get('/beheer/gebruikers');
    const id = userId(users.text_, NEW_COORD.email);
    assert.ok(id, `user id of ${NEW_COORD.email}`);
    const res = await admin.post(`/beheer/gebruikers/${id}/status`, { csrf: Client.csrf(users.text_), disabled: '1' });
    assert.equal(res.status, 303, `POST /beheer/gebruikers/${id}/status disabled=1`);
    assert.ok(textOf((await admin.get('/beheer/gebruikers')).text_).includes('Het account is uitgeschakeld.'), 'flash after disabling');
    const after = await coord.get('/account/wachtwoord');
    assert.equal(after.status, 303, 'GET /account/wachtwoord by the disabled coordinator');
    assert.match(after.headers.get('location'), /^\/inloggen/, 'the disabled coordinator goes to the login page');
    const login = await new Client(server.url).login(NEW_COORD);
    assert.equal(login.status, 401, 'login by the disabled coordinator with the right password');
    assert.ok(textOf(login.text_).includes('Het e-mailadres of het wachtwoord klopt niet.'), 'login by the disabled coordinator: message');
    const dash = await admin.get(`/gemeenten/${amstelId}`);
    const coordinators = dash.text_.split('id="coordinators-heading"')[1]?.split('</section>')[0] ?? '';
    assert.ok(coordinators, 'coordinators section on the municipality overview');
    assert.ok(!textOf(coordinators).includes(NEW_COORD.email), 'a disabled coordinator is not listed among the coordinators');
  });

  it('refuses to let the admin disable their own account', async () => {
    const users = await admin.get('/beheer/gebruikers');
    const other = new Client(server.url);
    await other.login(ADMIN);
    // The page offers no button for the own account; the admin was the first account made.
    assert.equal(userId(users.text_, ADMIN.email), null, 'no disable button on the own row');
    const own = 1;
    const res = await admin.post(`/beheer/gebruikers/${own}/status`, { csrf: Client.csrf(users.text_), disabled: '1' });
    assert.equal(res.status, 409, `POST /beheer/gebruikers/${own}/status on the own account`);
    assert.ok(textOf(res.text_).includes('U kunt uw eigen account niet uitschakelen.'), 'disabling oneself: Dutch message');
    assert.equal((await other.get('/beheer/gemeenten')).status, 200, 'admin still active after refused self-disable');
    const missing = await admin.post('/beheer/gebruikers/987654/status', { csrf: Client.csrf(users.text_), disabled: '1' });
    assert.equal(missing.status, 404, 'POST /beheer/gebruikers/987654/status (does not exist)');
  });

  it('the audit log lists these actions', async () => {
    const res = await admin.get('/beheer/logboek');
    assert.equal(res.status, 200, 'GET /beheer/logboek');
    const rows = res.text_.split('<tr class="utrecht-table__row">').slice(2).map(textOf);
    const expected = [
      ['Gemeente toegevoegd', 'Gemeente Amstel'],
      ['Gemeente toegevoegd', 'Gemeente Rijnmond'],
      ['Gemeente gewijzigd', 'Gemeente Amstel → Gemeente Amstelveen'],
      ['Account aangemaakt', NEW_COORD.email],
      ['Account uitgeschakeld', NEW_COORD.email],
      ['Ingelogd', ''],
    ];
    for (const [action, detail] of expected) {
      assert.ok(rows.some((r) => r.includes(action) && r.includes(detail) && r.includes(ADMIN.email)),
        `audit log row "${action}" with "${detail}" by ${ADMIN.email}`);
    }
    assert.ok(rows.some((r) => r.includes('Inloggen mislukt') && r.includes(NEW_COORD.email)), 'audit log row for the failed login of the disabled coordinator');
    const refused = rows.filter((r) => r.includes('Gemeente toegevoegd') && (r.includes('Foutcode') || r.includes('Langeregio')));
    assert.deepEqual(refused, [], 'refused municipalities must not be in the audit log');
  });
});

describe('coordinator on /beheer', () => {
  let server;
  let coord;
  let admin;
  before(async () => {
    server = await startServer();
    coord = new Client(server.url);
    admin = new Client(server.url);
    assert.equal((await coord.login(COORD_A)).status, 303, 'coordinator login');
    assert.equal((await admin.login(ADMIN)).status, 303, 'admin login');
  });
  after(async () => { await server?.stop(); });

  const gets = ['/beheer', '/beheer/gemeenten', '/beheer/gemeenten/1', '/beheer/gemeenten/2', '/beheer/gebruikers', '/beheer/logboek'];
  for (const path of gets) {
    it(`GET ${path} as coordinator → 403`, async () => {
      const res = await coord.get(path);
      assert.equal(res.status, 403, `GET ${path} as coordinator`);
      assert.ok(textOf(res.text_).includes('Dit mag niet'), `GET ${path} as coordinator: Dutch 403 page`);
    });
  }

  const posts = [
    ['/beheer/gemeenten', { name: 'Gemeente Coordinator', cbs_code: '', region: '' }],
    ['/beheer/gemeenten/2', { name: 'Gemeente Overgenomen', cbs_code: '', region: '' }],
    ['/beheer/gebruikers', { email: 'indringer@alpha.gids.nl', name: 'Indringer', municipality_id: '1', password: 'een-goed-lang-wachtwoord' }],
    ['/beheer/gebruikers/3/status', { disabled: '1' }],
  ];
  for (const [path, form] of posts) {
    it(`POST ${path} as coordinator with a valid CSRF token → 403, nothing changed`, async () => {
      const csrf = await coord.csrfFrom('/account/wachtwoord');
      const res = await coord.post(path, { csrf, ...form });
      assert.equal(res.status, 403, `POST ${path} as coordinator`);
      const municipalities = textOf((await admin.get('/beheer/gemeenten')).text_);
      assert.ok(!municipalities.includes('Gemeente Coordinator') && !municipalities.includes('Gemeente Overgenomen'), `POST ${path} as coordinator changed municipalities`);
      assert.ok(municipalities.includes(COORD_B.municipality), `POST ${path} as coordinator: ${COORD_B.municipality} still there`);
      assert.ok(!textOf((await admin.get('/beheer/gebruikers')).text_).includes('indringer@alpha.gids.nl'), `POST ${path} as coordinator created an account`);
      assert.equal((await new Client(server.url).login(COORD_B)).status, 303, `POST ${path} as coordinator: ${COORD_B.email} can still log in`);
    });
  }
});

describe('municipality logo upload', () => {
  let server;
  let admin;
  let id;
  const path = () => `/beheer/gemeenten/${id}`;
  const fields = (csrf, name = COORD_A.municipality) => ({ csrf, name, cbs_code: 'GM0100', region: 'Regio Alpha' });
  const goodPng = png();
  before(async () => {
    server = await startServer();
    admin = new Client(server.url);
    assert.equal((await admin.login(ADMIN)).status, 303, 'admin login');
    id = municipalityId((await admin.get('/beheer/gemeenten')).text_, COORD_A.municipality);
    assert.ok(id, `id of ${COORD_A.municipality}`);
  });
  after(async () => { await server?.stop(); });

  it('accepts a PNG (multipart) and serves it at /gemeenten/{id}/logo', async () => {
    const csrf = await admin.csrfFrom(path());
    const res = await postMultipart(admin, path(), fields(csrf), { logo: { filename: 'logo.png', type: 'image/png', data: goodPng } });
    assert.equal(res.status, 303, `multipart POST ${path()} with a PNG logo`);
    const logo = await fetch(`${server.url}/gemeenten/${id}/logo`, { headers: { cookie: admin.cookieHeader() } });
    assert.equal(logo.status, 200, `GET /gemeenten/${id}/logo`);
    assert.equal(logo.headers.get('content-type'), 'image/png', 'logo content type');
    assert.equal(logo.headers.get('x-content-type-options'), 'nosniff', 'logo nosniff');
    assert.deepEqual(Buffer.from(await logo.arrayBuffer()), goodPng, 'logo bytes served as uploaded');
    const page = await admin.get(path());
    assert.match(page.text_, new RegExp(`<img[^>]*src="/gemeenten/${id}/logo"`), 'the admin page shows the logo');
    assert.equal(inputValue(page.text_, 'cbs_code'), 'GM0100', 'other fields saved with the logo');
  });

  const refused = [
    ['a GIF', { filename: 'logo.gif', type: 'image/gif', data: Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;', 'latin1') },
      'Dit is geen PNG- of JPEG-bestand. Kies een ander bestand.'],
    ['an SVG', { filename: 'logo.svg', type: 'image/svg+xml', data: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' },
      'Dit is geen PNG- of JPEG-bestand. Kies een ander bestand.'],
    ['a text file', { filename: 'logo.txt', type: 'text/plain', data: 'Dit is geen plaatje.\n' },
      'Dit is geen PNG- of JPEG-bestand. Kies een ander bestand.'],
    ['a text file named logo.png and typed image/png', { filename: 'logo.png', type: 'image/png', data: 'Dit is ook geen plaatje.\n' },
      'Dit is geen PNG- of JPEG-bestand. Kies een ander bestand.'],
    ['a PNG over 512 kB', { filename: 'groot.png', type: 'image/png', data: png(512 * 1024 + 1) },
      'Dit bestand is te groot. Kies een logo van hoogstens 512 kB.'],
  ];
  for (const [label, file, message] of refused) {
    it(`refuses ${label} as logo: 422, Dutch message, nothing changed`, async () => {
      const csrf = await admin.csrfFrom(path());
      const res = await postMultipart(admin, path(), fields(csrf, 'Gemeente Alpha Nieuw'), { logo: file });
      assert.equal(res.status, 422, `multipart POST ${path()} with ${label}`);
      assert.equal(fieldError(res.text_, 'logo'), message, `multipart POST with ${label}: message next to the logo field`);
      assert.equal(inputValue(res.text_, 'name'), 'Gemeente Alpha Nieuw', `multipart POST with ${label}: typed name kept`);
      const page = await admin.get(path());
      assert.equal(inputValue(page.text_, 'name'), COORD_A.municipality, `multipart POST with ${label}: name not changed`);
      const logo = await fetch(`${server.url}/gemeenten/${id}/logo`, { headers: { cookie: admin.cookieHeader() } });
      assert.equal(logo.headers.get('content-type'), 'image/png', `logo after refusing ${label}: still the PNG`);
      assert.deepEqual(Buffer.from(await logo.arrayBuffer()), goodPng, `logo after refusing ${label}: bytes unchanged`);
    });
  }

  it('accepts a JPEG and a PNG of exactly 512 kB', async () => {
    for (const [label, file, type] of [
      ['a JPEG', { filename: 'logo.jpg', type: 'image/jpeg', data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 1)]) }, 'image/jpeg'],
      ['a PNG of exactly 512 kB', { filename: 'precies.png', type: 'image/png', data: png(512 * 1024) }, 'image/png'],
    ]) {
      const csrf = await admin.csrfFrom(path());
      const res = await postMultipart(admin, path(), fields(csrf), { logo: file });
      assert.equal(res.status, 303, `multipart POST ${path()} with ${label}`);
      const logo = await fetch(`${server.url}/gemeenten/${id}/logo`, { headers: { cookie: admin.cookieHeader() } });
      assert.equal(logo.headers.get('content-type'), type, `logo content type after uploading ${label}`);
      assert.deepEqual(Buffer.from(await logo.arrayBuffer()), file.data, `logo bytes after uploading ${label}`);
    }
  });

  it('keeps the logo when the form is saved without a new file', async () => {
    const before = Buffer.from(await (await fetch(`${server.url}/gemeenten/${id}/logo`, { headers: { cookie: admin.cookieHeader() } })).arrayBuffer());
    const csrf = await admin.csrfFrom(path());
    const res = await postMultipart(admin, path(), fields(csrf), { logo: { filename: '', type: 'application/octet-stream', data: '' } });
    assert.equal(res.status, 303, `multipart POST ${path()} with an empty file field`);
    const after = Buffer.from(await (await fetch(`${server.url}/gemeenten/${id}/logo`, { headers: { cookie: admin.cookieHeader() } })).arrayBuffer());
    assert.deepEqual(after, before, 'logo unchanged after saving without a file');
  });
});
