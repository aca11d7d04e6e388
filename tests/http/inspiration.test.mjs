// Inspiration over HTTP: Dutch full-text search over the built-in practice examples (the
// example that must come first for twelve searches), filters, the page without results,
// hostile search input, reference pages, submissions with their form errors and preview,
// moderation rights, XSS in submitted examples, and the suggestions on a results page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, gids, ROOT, GIDS, ADMIN, COORD_A, COORD_B } from './lib/server.mjs';
import { textOf, assertNoInlineCode, fieldError, inputValue, deathNote } from './lib/raw.mjs';

// The slugs of the hits on a search page, in order.
const hitSlugs = (html) => [...html.matchAll(/<h3 class="utrecht-heading-3"><a class="utrecht-link" href="\/inspiratie\/([^"]+)"/g)].map((m) => m[1]);
const require_text = (file) => readFileSync(file, 'utf8');
const heading = (html) => html.match(/id="resultaten">([^<]*)</)?.[1] ?? '';
const count = (html) => Number(heading(html).match(/^(\d+)/)?.[1] ?? NaN);
const search = (params) => '/inspiratie?' + new URLSearchParams(params).toString();

// No active code on the page. Attribute values are emptied first: a hostile text shown,
// escaped, inside value="..." is not code, though assertNoInlineCode's patterns would see
// an "onerror=" in it. Links are checked on the real values.
function assertNoActiveCode(html, label) {
  assertNoInlineCode(html.replace(/="[^"]*"/g, '=""'), label);
  const link = html.match(/(?:href|src|action|formaction)\s*=\s*"\s*(?:javascript|data|vbscript):[^"]*"/i);
  assert.equal(link, null, `${label}: script link ${link && link[0]}`);
}

let server;
const anon = () => new Client(server.url);

before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

describe('search', () => {
  // Each search and the example that must come first; chosen from content/examples.
  const firsts = [
    ['schulden', 'arnhem-proeftuin-vroegsignalering-schulden'],
    ['gezinnen', 'goes-bezig'],
    ['statushouders', 'sleutelfiguren-statushouders'],
    ['welzijn op recept', 'welzijn-op-recept'],
    ['thematafels', 'breda-thematafels-aan-tafel'],
    ['kwartiermaker', 'utrecht-kwartiermaker-gezond-rondkomen'],
    ['life events', 'utrecht-life-events'],
    ['wethouder', 'lelystad-een-wethouder-zorg-wmo-armoede'],
    ['ervaringsdeskundige', 'ervaringsdeskundigen-als-brug'],
    ['drie wetten', 'veldhoven-drie-wetten-een-beeld'],
    ['Súdwest-Fryslân', 'sudwest-fryslan-jgz-signaleert-geldproblemen'],
    ['gemeentepolis', 'gemeentepolis-minimapolis'],
  ];
  for (const [q, slug] of firsts) {
    it(`"${q}" puts ${slug} first, with the words marked`, async () => {
      const res = await anon().get(search({ q }));
      assert.equal(res.status, 200, `GET ?q=${q}`);
      const slugs = hitSlugs(res.text_);
      assert.equal(slugs[0], slug, `?q=${q}: first hit (all: ${slugs.join(', ')})`);
      assert.match(res.text_, /<mark>[^<]+<\/mark>/, `?q=${q}: no <mark> in the hits`);
      assert.match(textOf(res.text_), /Waarom dit voorbeeld: Gevonden in/, `?q=${q}: why it matched`);
    });
  }

  it('finds other forms of a word: schulden/schuld and gezinnen/gezin', async () => {
    for (const [a, b] of [['schulden', 'schuld'], ['gezinnen', 'gezin'], ['huisartsen', 'huisarts']]) {
      const [ra, rb] = [await anon().get(search({ q: a })), await anon().get(search({ q: b }))];
      assert.ok(count(ra.text_) > 0, `?q=${a} finds something`);
      assert.equal(count(ra.text_), count(rb.text_), `?q=${a} and ?q=${b} find as many`);
      assert.deepEqual(hitSlugs(ra.text_).sort(), hitSlugs(rb.text_).sort(), `?q=${a} and ?q=${b}: same examples`);
    }
    // Vaals's text says "gezinnen"; searching the singular marks the plural.
    const res = await anon().get(search({ q: 'gezin photovoice' }));
    assert.deepEqual(hitSlugs(res.text_), ['vaals-photovoice']);
    assert.match(res.text_, /<mark>[Gg]ezinnen<\/mark>/);
  });

  it('works without JavaScript: a plain GET form with every filter', async () => {
    const res = await anon().get('/inspiratie');
    assert.equal(res.status, 200);
    assert.match(res.text_, /<form method="get" action="\/inspiratie"/);
    for (const name of ['q', 'thema', 'spoor', 'principe', 'gemeente', 'doelgroep']) {
      assert.match(res.text_, new RegExp(`name="${name}"`), `form field ${name}`);
    }
    assert.equal(count(res.text_), 44, 'all 44 built-in examples when browsing');
    assertNoInlineCode(res.text_, 'GET /inspiratie');
  });
});

describe('filters', () => {
  it('a theme keeps only its examples, also combined with words', async () => {
    const res = await anon().get(search({ thema: 'D' }));
    assert.equal(res.status, 200);
    const all = count(res.text_);
    assert.ok(all >= 10, `theme D has ${all} examples`);
    for (const card of res.text_.split('<li class="card">').slice(1)) {
      assert.match(card, /href="\/inspiratie\?thema=D"/, 'every hit is filed under theme D');
    }
    const combined = await anon().get(search({ q: 'schulden', thema: 'D' }));
    const words = await anon().get(search({ q: 'schulden' }));
    assert.ok(count(combined.text_) > 0 && count(combined.text_) < count(words.text_), 'theme D narrows "schulden"');
    assert.match(textOf(combined.text_), /Past bij thema D/);
  });

  it('a municipality, a track, a principle and a target group filter', async () => {
    const lelystad = await anon().get(search({ gemeente: 'Lelystad' }));
    assert.equal(count(lelystad.text_), 3);
    assert.ok(hitSlugs(lelystad.text_).every((s) => s.startsWith('lelystad-')), hitSlugs(lelystad.text_).join());
    const track = await anon().get(search({ spoor: 'fysieke-omgeving' }));
    assert.equal(track.status, 200);
    const principle = await anon().get(search({ principe: '9' }));
    assert.ok(count(principle.text_) >= 1, 'principle 9 has an example');
    const group = await anon().get(search({ doelgroep: 'statushouders' }));
    assert.deepEqual(hitSlugs(group.text_), ['sleutelfiguren-statushouders']);
    const selected = await anon().get(search({ thema: 'B', gemeente: 'Vaals' }));
    assert.deepEqual(hitSlugs(selected.text_), ['vaals-photovoice']);
    assert.match(selected.text_, /<option value="B" selected>/, 'the chosen theme stays selected');
  });

  it('pages through many results', async () => {
    const first = await anon().get('/inspiratie');
    const next = first.text_.match(/href="([^"]*pagina=2)"/)?.[1];
    assert.ok(next, 'a link to page 2');
    const second = await anon().get(next.replace(/&amp;/g, '&'));
    assert.equal(second.status, 200);
    assert.notDeepEqual(hitSlugs(second.text_), hitSlugs(first.text_));
  });
});

describe('no results', () => {
  it('says so and offers broader searches that do find something', async () => {
    const res = await anon().get(search({ q: 'schulden fietsenmaker', thema: 'B' }));
    assert.equal(res.status, 200);
    const text = textOf(res.text_);
    assert.match(text, /Er zijn geen voorbeelden gevonden\./);
    assert.match(text, /Met een ruimere zoekopdracht vindt u wel voorbeelden/);
    const promised = Number(text.match(/Alleen ‘schulden’ \(zonder filters\) \((\d+) voorbeelden\)/)?.[1]);
    assert.equal(promised, count((await anon().get(search({ q: 'schulden' }))).text_));
    assert.match(text, /Gebruik minder woorden/);
    const link = res.text_.match(/<a class="utrecht-link" href="([^"]+)">Alleen ‘schulden’ \(zonder filters\)/)?.[1];
    const broader = await anon().get(link.replace(/&amp;/g, '&'));
    assert.equal(count(broader.text_), promised, 'the suggested search finds what it promised');
  });

  it('a word that occurs nowhere still gets tips and a way back', async () => {
    const res = await anon().get(search({ q: 'fietsenmaker' }));
    assert.equal(res.status, 200);
    assert.match(textOf(res.text_), /Er zijn geen voorbeelden gevonden\. .*Bekijk alle voorbeelden/);
  });
});

describe('hostile search input never errors', () => {
  const hostile = [
    '"', '"schulden', 'schulden""', 'NEAR(schulden gezin, 2)', 'schulden*', 'AND OR NOT',
    '(((', ')', 'title:schulden', '^schulden', '🙂🙂🙂', "'; DROP TABLE examples; --",
    '-schulden', '+', '\\', '%', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
    'schulden '.repeat(1200), 'x'.repeat(10 * 1024), '('.repeat(8 * 1024), '🙂'.repeat(900) + ' schulden',
  ];
  for (const q of hostile) {
    it(`q=${JSON.stringify(q.slice(0, 30))}${q.length > 30 ? ` (${q.length} characters)` : ''}`, async () => {
      const res = await anon().get(search({ q }));
      assert.equal(res.status, 200, `status for ${JSON.stringify(q.slice(0, 30))}`);
      assertNoActiveCode(res.text_, `search ${q.slice(0, 30)}`);
      assert.ok(!res.text_.includes('<img src=x'), 'the query is escaped');
      const any = await anon().get(search({ q, woorden: 'een', thema: 'D', pagina: '3' }));
      assert.equal(any.status, 200);
    });
  }

  it('odd filters and page numbers are ignored, not errors', async () => {
    for (const params of [
      { thema: '<script>' }, { thema: 'G' }, { spoor: 'x'.repeat(5000) }, { principe: '0' },
      { principe: '99' }, { gemeente: 'x'.repeat(5000) }, { doelgroep: '"\'<>' }, { pagina: '-1' },
      { pagina: '99999999999999999999' }, { pagina: 'x' }, { woorden: 'alle' },
    ]) {
      const res = await anon().get(search(params));
      assert.equal(res.status, 200, JSON.stringify(params).slice(0, 60));
      assertNoActiveCode(res.text_, JSON.stringify(params).slice(0, 60));
    }
    assert.ok(!server.log().includes('AddressSanitizer'), deathNote(server));
  });

  it('the query stays in the search box, escaped', async () => {
    const res = await anon().get(search({ q: '"><b>schulden</b>' }));
    assert.equal(inputValue(res.text_, 'q'), '&quot;&gt;&lt;b&gt;schulden&lt;/b&gt;');
  });
});

describe('example and reference pages', () => {
  it('an example shows its Markdown, source and links to its themes, tracks and principles', async () => {
    const res = await anon().get('/inspiratie/vaals-photovoice');
    assert.equal(res.status, 200);
    const text = textOf(res.text_);
    assert.match(res.text_, /<h1 class="utrecht-heading-1">Gemeente Vaals: met Photovoice in gesprek met gezinnen in armoede<\/h1>/);
    assert.match(text, /Bron Succesvol combineren van armoede- en gezondheidsbeleid/);
    assert.match(res.text_, /href="\/inspiratie\?thema=C"/);
    assert.match(res.text_, /href="\/inspiratie\/themas#thema-C"/);
    assert.match(res.text_, /href="\/inspiratie\?spoor=participatie"/);
    assert.match(res.text_, /href="\/inspiratie\/principes#principe-4"/);
    assertNoInlineCode(res.text_, 'GET /inspiratie/vaals-photovoice');
    assert.equal((await anon().get('/inspiratie/bestaat-niet')).status, 404);
    assert.equal((await anon().get('/inspiratie/%3Cscript%3E')).status, 404);
  });

  for (const [path, needle, example] of [
    ['/inspiratie/themas', 'Focus: signaleren, bereiken en ondersteunen', 'amsterdam-vroeg-eropaf'],
    ['/inspiratie/principes', 'Werk samen met de mensen om wie het gaat', 'vaals-photovoice'],
    ['/inspiratie/sporen', 'Fysieke omgeving', null],
    ['/inspiratie/lessen', 'Opgavegericht contracteren', 'breda-thematafels-aan-tafel'],
    ['/inspiratie/leerkringen', 'Digitale ondersteuning', null],
  ]) {
    it(`${path} explains and links to its examples`, async () => {
      const res = await anon().get(path);
      assert.equal(res.status, 200, path);
      assert.ok(textOf(res.text_).includes(needle), `${path} shows "${needle}"`);
      const links = [...res.text_.matchAll(/href="\/inspiratie\/([a-z0-9-]+)"/g)].map((m) => m[1])
        .filter((s) => !['themas', 'principes', 'sporen', 'lessen', 'leerkringen', 'nieuw'].includes(s));
      assert.ok(links.length >= 3, `${path} links to examples`);
      if (example) assert.ok(links.includes(example), `${path} links to ${example}`);
      assertNoInlineCode(res.text_, path);
    });
  }
});

describe('submissions and moderation', () => {
  const clients = {};
  const form = (fields) => ({ title: '', summary: '', target_groups: '', organisations: '', ...fields });
  async function submit(client, fields) {
    const csrf = await client.csrfFrom('/inspiratie/nieuw');
    const body = new URLSearchParams({ csrf, ...form(fields) });
    for (const [k, vs] of Object.entries(fields)) if (Array.isArray(vs)) { body.delete(k); vs.forEach((v) => body.append(k, v)); }
    return client.request('POST', '/inspiratie/nieuw', { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  const idOf = (html, title) => {
    const cards = html.split('<li class="card" id="inzending-').slice(1);
    const card = cards.find((c) => c.includes(title));
    return card?.match(/^(\d+)/)?.[1];
  };

  before(async () => {
    for (const [key, user] of [['admin', ADMIN], ['a', COORD_A], ['b', COORD_B]]) {
      clients[key] = new Client(server.url);
      assert.equal((await clients[key].login(user)).status, 303, `login ${user.email}`);
    }
  });

  it('empty and over-long fields get Dutch messages and keep what was typed', async () => {
    let res = await submit(clients.a, { themes: [] });
    assert.equal(res.status, 422);
    assert.equal(fieldError(res.text_, 'title'), 'Vul een titel in.');
    assert.equal(fieldError(res.text_, 'summary'), 'Beschrijf het voorbeeld in een paar zinnen.');
    assert.equal(fieldError(res.text_, 'themes'), 'Kies ten minste één thema.');
    const long = 'Lang '.repeat(40);
    res = await submit(clients.a, { title: long, summary: 'x'.repeat(8001), themes: ['A'], target_groups: 'a\n'.repeat(11) });
    assert.equal(res.status, 422);
    assert.equal(fieldError(res.text_, 'title'), 'De titel mag hoogstens 150 tekens lang zijn (nu 199).');
    assert.equal(fieldError(res.text_, 'summary'), 'De beschrijving mag hoogstens 8000 tekens lang zijn (nu 8001).');
    assert.equal(fieldError(res.text_, 'target_groups'), 'Noem hoogstens 10 doelgroepen, één per regel.');
    assert.equal(inputValue(res.text_, 'title'), long, 'the title as typed');
    assert.match(res.text_, /id="themes-A" name="themes" value="A" checked/);
  });

  it('the preview button shows the rendered Markdown and saves nothing', async () => {
    const res = await submit(clients.a, { actie: 'voorbeeld', title: 'Voorbeeldtitel', summary: 'Een **vet** woord\n\n- punt', themes: ['C'] });
    assert.equal(res.status, 200);
    assert.match(res.text_, /Zo ziet uw voorbeeld eruit/);
    assert.match(res.text_, /<strong>vet<\/strong>/);
    assert.match(res.text_, /<li>punt<\/li>/);
    assert.equal(inputValue(res.text_, 'title'), 'Voorbeeldtitel');
    const mine = await clients.a.get('/inspiratie/nieuw');
    assert.ok(!mine.text_.includes('Voorbeeldtitel'), 'a preview is not a submission');
  });

  it('only a coordinator with a municipality can submit; only an admin can moderate', async () => {
    assert.equal((await clients.admin.get('/inspiratie/nieuw')).status, 403);
    assert.equal((await anon().get('/inspiratie/nieuw')).status, 303, 'anonymous: to the login page');
    const page = await clients.a.get('/beheer/voorbeelden');
    assert.equal(page.status, 403, 'coordinator GET /beheer/voorbeelden');
    const csrf = await clients.a.csrfFrom('/inspiratie/nieuw');
    for (const action of ['publiceren', 'afwijzen']) {
      const res = await clients.a.post(`/beheer/voorbeelden/1/${action}`, { csrf, reden: 'x' });
      assert.equal(res.status, 403, `coordinator POST ${action}`);
    }
  });

  it('A submits; B and visitors cannot see it; the admin publishes; then everyone can', async () => {
    const title = 'Alpha: schuldhulp aan de keukentafel';
    const res = await submit(clients.a, { actie: 'insturen', title, summary: 'Wij komen thuis bij inwoners met **geldzorgen**.', themes: ['D', 'B'], tracks: ['participatie'], principles: ['5'], target_groups: 'inwoners met geldzorgen' });
    assert.equal(res.status, 303);
    const path = res.headers.get('location');
    assert.match(path, /^\/inspiratie\/alpha-schuldhulp-aan-de-keukentafel/);
    const own = await clients.a.get(path);
    assert.equal(own.status, 200, 'A sees its own submission');
    assert.match(textOf(own.text_), /Dit voorbeeld is ingestuurd/);
    for (const [who, client] of [['B', clients.b], ['a visitor', anon()]]) {
      const other = await client.get(path);
      assert.equal(other.status, 404, `${who} GET ${path} before publication`);
      for (const secret of [title, 'geldzorgen']) assert.ok(!other.text_.includes(secret), `${who}: "${secret}" leaks`);
    }
    const hidden = await anon().get(search({ q: 'keukentafel' }));
    assert.equal(count(hidden.text_), 0, 'not searchable before publication');

    const mod = await clients.admin.get('/beheer/voorbeelden');
    assert.equal(mod.status, 200);
    const id = idOf(mod.text_, title);
    assert.ok(id, 'the submission is on the moderation page');
    const csrf = Client.csrf(mod.text_);
    const pub = await clients.admin.post(`/beheer/voorbeelden/${id}/publiceren`, { csrf });
    assert.equal(pub.status, 303);
    for (const [who, client] of [['B', clients.b], ['a visitor', anon()]]) {
      const page = await client.get(path);
      assert.equal(page.status, 200, `${who} GET ${path} after publication`);
      assert.match(textOf(page.text_), /Ingezonden door Gemeente Alpha, gepubliceerd op \d\d-\d\d-\d{4}/);
    }
    const found = await anon().get(search({ q: 'keukentafel' }));
    assert.deepEqual(hitSlugs(found.text_), [path.slice('/inspiratie/'.length)]);
    assert.match(textOf(found.text_), /Gemeente Alpha · ingezonden, gepubliceerd op/);
    const filtered = await anon().get(search({ gemeente: 'Gemeente Alpha' }));
    assert.equal(count(filtered.text_), 1, 'the filter list now has Gemeente Alpha');
  });

  it('rejecting needs a reason, which the coordinator then sees', async () => {
    const title = 'Alpha: nog niet klaar';
    assert.equal((await submit(clients.a, { actie: 'insturen', title, summary: 'Concept.', themes: ['A'] })).status, 303);
    const mod = await clients.admin.get('/beheer/voorbeelden');
    const id = idOf(mod.text_, title);
    const csrf = Client.csrf(mod.text_);
    let res = await clients.admin.post(`/beheer/voorbeelden/${id}/afwijzen`, { csrf, reden: '   ' });
    assert.equal(res.status, 422);
    assert.equal(fieldError(res.text_, `reden-${id}`), 'Schrijf op waarom u het voorbeeld afwijst.');
    res = await clients.admin.post(`/beheer/voorbeelden/${id}/afwijzen`, { csrf, reden: 'x'.repeat(1001) });
    assert.equal(res.status, 422);
    res = await clients.admin.post(`/beheer/voorbeelden/${id}/afwijzen`, { csrf, reden: 'Er staat nog geen resultaat in.' });
    assert.equal(res.status, 303);
    const mine = await clients.a.get('/inspiratie/nieuw');
    assert.match(textOf(mine.text_), /Alpha: nog niet klaar .* Afgewezen: Er staat nog geen resultaat in\./);
    assert.equal((await clients.admin.post('/beheer/voorbeelden/987654/publiceren', { csrf })).status, 404);
  });

  it('script, javascript: links, onerror and HTML in a title are neutralised everywhere', async () => {
    const title = '<script>alert(1)</script><img src=x onerror=alert(2)> Xyzzy';
    const summary = [
      '<script>alert(3)</script>', '<img src=x onerror="alert(4)">', '[klik](javascript:alert(5))',
      '<a href="javascript:alert(6)">link</a>', '<iframe src="https://evil.example"></iframe>',
      '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)', 'Xyzzy **schuld**',
    ].join('\n\n');
    const res = await submit(clients.a, { actie: 'insturen', title, summary, themes: ['E'], target_groups: '<b>doelgroep</b>', organisations: '" onmouseover="alert(8)' });
    assert.equal(res.status, 303);
    const path = res.headers.get('location');
    const mod = await clients.admin.get('/beheer/voorbeelden');
    const id = idOf(mod.text_, 'Xyzzy');
    assert.equal((await clients.admin.post(`/beheer/voorbeelden/${id}/publiceren`, { csrf: Client.csrf(mod.text_) })).status, 303);
    const pages = {
      detail: await anon().get(path),
      list: await anon().get(search({ q: 'xyzzy' })),
      browse: await anon().get(search({ thema: 'E' })),
      moderation: await clients.admin.get('/beheer/voorbeelden'),
      own: await clients.a.get('/inspiratie/nieuw'),
      preview: await submit(clients.a, { actie: 'voorbeeld', title, summary, themes: ['E'] }),
    };
    for (const [name, page] of Object.entries(pages)) {
      assert.equal(page.status, 200, name);
      assertNoActiveCode(page.text_, name);
      assert.ok(!/<script>alert/i.test(page.text_), `${name}: a script survived`);
      assert.ok(!/<img[^>]*onerror/i.test(page.text_), `${name}: an onerror survived`);
      assert.ok(!/<iframe/i.test(page.text_), `${name}: an iframe survived`);
      assert.ok(!/href="(javascript|data):/i.test(page.text_), `${name}: a javascript: or data: link survived`);
      assert.ok(!/onmouseover="alert/i.test(page.text_), `${name}: an attribute broke out`);
      assert.ok(page.text_.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), `${name}: the title is shown as text`);
    }
    assert.match(pages.list.text_, /&lt;img src=x onerror=alert\(2\)&gt; <mark>Xyzzy<\/mark>/, 'highlighting escapes the rest');
    assert.deepEqual(hitSlugs(pages.list.text_), [path.slice('/inspiratie/'.length)]);
  });
});

describe('suggestions on a results page', () => {
  it('three examples for each of the two lowest themes, with why', async () => {
    const demo = gids(['demo', '--db', server.db]);
    assert.equal(demo.code, 0, demo.stderr);
    const client = new Client(server.url);
    assert.equal((await client.login({ email: 'coordinator@demo.gids.nl', password: 'demo-coordinator-2026' })).status, 303);
    const dash = await client.get('/dashboard');
    const municipality = dash.headers.get('location');
    const rounds = [...(await client.get(municipality)).text_.matchAll(/href="\/rondes\/(\d+)"/g)].map((m) => m[1]);
    let found = null;
    for (const id of new Set(rounds)) {
      const res = await client.get(`/rondes/${id}/resultaten`);
      if (res.status === 200 && res.text_.includes('id="inspiratie"')) { found = res; break; }
    }
    assert.ok(found, 'a results page of the conversation tool suggests examples');
    const section = found.text_.slice(found.text_.indexOf('id="inspiratie"'), found.text_.indexOf('</section>', found.text_.indexOf('id="inspiratie"')));
    const why = [...textOf(section).matchAll(/Thema ([A-F]) scoort (het laagst|op één na het laagst) in deze ronde \((\d,\d)\)\./g)];
    assert.equal(why.length, 2, `two themes with why: ${textOf(section).slice(0, 300)}`);
    const links = [...section.matchAll(/href="\/inspiratie\/([a-z0-9-]+)"/g)].map((m) => m[1]);
    assert.equal(links.length, 6, 'three examples per theme');
    for (const slug of links.slice(0, 3)) {
      const page = await client.get(`/inspiratie/${slug}`);
      assert.match(page.text_, new RegExp(`href="/inspiratie\\?thema=${why[0][1]}"`), `${slug} is filed under theme ${why[0][1]}`);
    }
  });
});

describe('content files', () => {
  it('a broken example refuses start and reload, naming file, line and reason', () => {
    const root = mkdtempSync(join(tmpdir(), 'gids-content-'));
    try {
      for (const dir of ['templates', 'locales', 'assets', 'instruments', 'node_modules', 'docs']) symlinkSync(join(ROOT, dir), join(root, dir));
      cpSync(join(ROOT, 'content'), join(root, 'content'), { recursive: true });
      const db = `sqlite:${join(root, 'gids.db')}`;
      assert.equal(gids(['migrate', '--db', db]).code, 0);
      let r = gids(['content', 'reload', '--db', db, '--root', root]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Praktijkvoorbeelden: 44 nieuw, 0 bijgewerkt, 0 verwijderd, 0 ongewijzigd\./);

      const file = join(root, 'content', 'examples', 'kapot.md');
      writeFileSync(file, '---\ntitle: "Kapot"\nmunicipality: "X"\nsource: {document: D, section: S}\nthemes: [A, G]\n---\nTekst.\n');
      const expected = `${file}:5:13: Het thema ‘G’ bestaat niet; kies uit A, B, C, D, E en F.`;
      r = gids(['content', 'reload', '--db', db, '--root', root]);
      assert.equal(r.code, 1, 'reload refuses');
      assert.equal(r.stderr.trim(), `gids: ${expected}`);
      const serve = spawnSync(GIDS, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--root', root], { encoding: 'utf8', timeout: 15000 });
      assert.equal(serve.status, 1, 'serve refuses to start');
      assert.ok(serve.stderr.includes(expected), serve.stderr);

      // Fixed, and one example changed: the reload says what it did.
      rmSync(file);
      const goes = join(root, 'content', 'examples', 'goes-bezig.md');
      writeFileSync(goes, require_text(goes).replace('Goes Bezig:', 'Goes Bezig (bijgewerkt):'));
      rmSync(join(root, 'content', 'examples', 'vaals-photovoice.md'));
      r = gids(['content', 'reload', '--db', db, '--root', root]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /0 nieuw, 1 bijgewerkt, 1 verwijderd, 42 ongewijzigd/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
