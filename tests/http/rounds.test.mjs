// Rounds as a browser without JavaScript uses them: a coordinator starts a round, the
// participants fill it in through their personal links (form posts only), the coordinator
// reads the results, records agreed scores, manages the links, closes and reopens the round,
// keeps an action agenda and repeats the round. Also: validation messages in Dutch next to
// the field with what was typed kept, the friendly page for a dead link, and that neither a
// participant nor a coordinator of another municipality can reach a round's pages.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, COORD_A, COORD_B, runSql } from './lib/server.mjs';

const INSTRUMENT = 'gesprekstool-armoede-gezondheid';

// The answerable items of the instrument, in the order the review page lists them.
const STEP_ITEMS = {
  1: ['stelling-a', 'stelling-b', 'stelling-c', 'stelling-d', 'stelling-e', 'stelling-f', 'wat-opvalt'],
  2: ['vraag-1', 'opmerkingen-a', 'vraag-2', 'vraag-3', 'opmerkingen-b', 'vraag-4', 'vraag-5', 'vraag-6',
    'opmerkingen-c', 'vraag-7', 'opmerkingen-d', 'vraag-8', 'vraag-9', 'vraag-10', 'vraag-11',
    'opmerkingen-e', 'vraag-12', 'vraag-13', 'vraag-14', 'opmerkingen-f'],
  3: ['acties', 'toelichting'],
};
const ALL_ITEMS = [...STEP_ITEMS[1], ...STEP_ITEMS[2], ...STEP_ITEMS[3]];

const hasSqlite = spawnSync('sqlite3', ['-version']).status === 0;

// Yesterday as YYYY-MM-DD in local time, as the server counts days.
function yesterday() {
  const d = new Date(Date.now() - 24 * 3600 * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------
// Reading HTML

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'" };
function decode(s) {
  return s.replace(/&(amp|lt|gt|quot|apos|#39|#x27);/g, (_, e) => ENTITIES[e]);
}
// The visible text of an HTML fragment, whitespace collapsed; inline elements join their text.
function text(html) {
  return decode(html.replace(/<\/?(?:a|strong|em|b|i|span|abbr|code)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ').trim();
}
function mainOf(html) {
  const m = html.match(/<main\b[^>]*>([\s\S]*)<\/main>/);
  return m ? m[1] : '';
}
function h1(html) {
  const m = html.match(/<h1\b[^>]*>([\s\S]*?)<\/h1>/);
  return m ? text(m[1]) : null;
}
// The tag of the element with this id, or null.
function tagWithId(html, id) {
  const m = html.match(new RegExp(`<[a-z]+\\b[^>]*\\bid="${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`));
  return m ? m[0] : null;
}
// The text of the (non-nested) element with this id, or null.
function textOfId(html, id) {
  const m = html.match(new RegExp(`<([a-z]+)\\b[^>]*\\bid="${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</\\1>`));
  return m ? text(m[2]) : null;
}
function isChecked(html, id) {
  const tag = tagWithId(html, id);
  assert.ok(tag, `no element with id="${id}" on the page`);
  return /\schecked(\s|>|=)/.test(tag);
}
function valueOf(html, id) {
  const tag = tagWithId(html, id);
  assert.ok(tag, `no element with id="${id}" on the page`);
  const m = tag.match(/\svalue="([^"]*)"/);
  return m ? decode(m[1]) : null;
}
function textareaValue(html, id) {
  const m = html.match(new RegExp(`<textarea\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</textarea>`));
  assert.ok(m, `no textarea with id="${id}" on the page`);
  return decode(m[1]);
}
function selectedOption(html, id) {
  const m = html.match(new RegExp(`<select\\b[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</select>`));
  assert.ok(m, `no select with id="${id}" on the page`);
  const sel = m[1].match(/<option value="([^"]*)"\s+selected/);
  return sel ? decode(sel[1]) : null;
}
function flash(html) {
  const m = html.match(/<div class="utrecht-alert utrecht-alert--ok" role="status">([\s\S]*?)<\/div>/);
  return m ? text(m[1]) : null;
}
function count(haystack, needle) {
  return haystack.split(needle).length - 1;
}

// The participants table of a round page: [{ label, state, link, pid }].
function participantsOf(html) {
  const table = html.match(/<tbody class="utrecht-table__body">([\s\S]*?)<\/tbody>/);
  assert.ok(table, 'the round page has no participants table');
  return [...table[1].matchAll(/<tr class="utrecht-table__row">([\s\S]*?)<\/tr>/g)].map(([, row]) => {
    const cells = [...row.matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]);
    return {
      label: text(cells[0]),
      state: text(cells[1]),
      link: (cells[2].match(/value="([^"]+)"/) || [])[1] || null,
      pid: (row.match(/\/deelnemers\/(\d+)\/nieuwe-link/) || [])[1],
    };
  });
}

// The review page: item id -> the answer lines, or null for "Niet beantwoord".
function reviewOf(html) {
  const rows = [...html.matchAll(/<div class="review-list__row">\s*<dt>([\s\S]*?)<\/dt>\s*<dd>([\s\S]*?)<\/dd>/g)];
  assert.equal(rows.length, ALL_ITEMS.length, 'the review page lists every answerable item of the instrument');
  assert.match(text(rows[0][1]), /^A\. Onze gemeente heeft een duidelijke visie/, 'the review starts with statement A');
  assert.match(text(rows[STEP_ITEMS[1].length][1]), /^1\. Wat zijn voor onze gemeente redenen/, 'step 2 of the review starts with question 1');
  const out = {};
  rows.forEach(([, , dd], i) => {
    const lines = [...dd.matchAll(/<span class="review-list__line">([\s\S]*?)<\/span>/g)].map((l) => decode(l[1]));
    if (!lines.length) assert.match(dd, /Niet beantwoord/, `review of ${ALL_ITEMS[i]}: no lines, so "Niet beantwoord"`);
    out[ALL_ITEMS[i]] = lines.length ? lines : null;
  });
  return out;
}

// The statements table on the results page: { headers: [...], rows: { 'A.': [cells...] }, differs: {...} }.
function statementsOf(html) {
  const table = html.match(/<table class="utrecht-table results-table">([\s\S]*?)<\/table>/);
  assert.ok(table, 'the results page has a statements table');
  const head = table[1].match(/<thead[\s\S]*?<\/thead>/)[0];
  const headers = [...head.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((c) => text(c[1]));
  const rows = {};
  const differs = {};
  for (const [, cls, row] of table[1].matchAll(/<tr class="utrecht-table__row([^"]*)">([\s\S]*?)<\/tr>/g)) {
    const cells = [...row.matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1]));
    if (cells[0] === headers[0]) continue;
    const key = cells[0].split(' ')[0];
    rows[key] = cells;
    differs[key] = cls.includes('results-table__row--differs');
  }
  return { headers, rows, differs };
}

function observationsOf(html) {
  const section = html.match(/<h2 class="utrecht-heading-2" id="opvalt">[\s\S]*?<\/section>/);
  assert.ok(section, 'the results page has a "Wat opvalt" section');
  return [...section[0].matchAll(/<li class="utrecht-unordered-list__item">([\s\S]*?)<\/li>/g)].map((m) => text(m[1]));
}

// The action cards of an agenda page: [{ id, description, status, history: [...], overdue, carried, theme }].
function actionsOf(html) {
  return [...html.matchAll(/<form method="post" action="\/rondes\/\d+\/acties\/(\d+)" class="action-card([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)]
    .map(([, id, cls, body]) => ({
      id,
      overdue: cls.includes('action-card--overdue'),
      description: decode(body.match(/<textarea[^>]*name="description"[^>]*>([\s\S]*?)<\/textarea>/)[1]),
      statusLine: text(body.match(/<p class="utrecht-paragraph action-card__status">([\s\S]*?)<\/p>/)[1]),
      theme: selectedOption(body, `a${id}-theme`),
      status: selectedOption(body, `a${id}-status`),
      history: [...body.matchAll(/<li class="utrecht-unordered-list__item">([\s\S]*?)<\/li>/g)].map((m) => text(m[1])),
    }));
}

// ---------------------------------------------------------------------------------------
// Acting

let server;
const coord = {};
const ids = {};

async function loggedIn(user) {
  const c = new Client(server.url);
  const res = await c.login(user);
  assert.equal(res.status, 303, `login as ${user.email}`);
  return c;
}

async function createRound(client, municipalityId, fields) {
  const csrf = await client.csrfFrom(`/gemeenten/${municipalityId}/rondes/nieuw`);
  return client.post(`/gemeenten/${municipalityId}/rondes`, {
    csrf, instrument: INSTRUMENT, mode: 'meeting', closes_on: '', ...fields,
  });
}

// Starts a round as coordinator A; returns { id, participants: { label: { pid, link } } }.
async function newRound(title, labels = 'Armoede\nGezondheid\nGGD', extra = {}) {
  const res = await createRound(coord.a, ids.a, { title, labels, ...extra });
  assert.equal(res.status, 303, `POST /gemeenten/${ids.a}/rondes with title "${title}"`);
  const m = res.headers.get('location').match(/^\/rondes\/(\d+)$/);
  assert.ok(m, `POST /gemeenten/${ids.a}/rondes "${title}" redirects to the round: ${res.headers.get('location')}`);
  const page = await coord.a.get(res.headers.get('location'));
  const participants = {};
  for (const p of participantsOf(page.text_)) participants[p.label] = p;
  return { id: m[1], participants, page };
}

async function roundPage(id) {
  const res = await coord.a.get(`/rondes/${id}`);
  assert.equal(res.status, 200, `GET /rondes/${id} as coordinator A`);
  return res;
}

// Someone with an invitation link, in a browser of their own (no account, no session).
class Participant {
  constructor(label, link) {
    this.label = label;
    this.client = new Client(server.url);
    this.setLink(link);
  }
  setLink(link) {
    assert.ok(link && link.startsWith(`${server.url}/i/`), `the link of ${this.label} is ${server.url}/i/...: ${link}`);
    this.link = link;
    this.path = new URL(link).pathname;
  }
  get csrf() { return this.client.cookies.get('gids_csrf'); }
  // The introduction page; sets the cookie that the forms' CSRF token is paired with.
  async open(status = 200) {
    const res = await this.client.get(this.path);
    assert.equal(res.status, status, `GET ${this.path} (link of ${this.label})`);
    if (status === 200) assert.ok(this.csrf, `GET ${this.path} sets the gids_csrf cookie`);
    return res;
  }
  getStep(n) { return this.client.get(`${this.path}/stap/${n}`); }
  // `pairs`: [[name, value], ...] as a browser sends them (repeated names allowed).
  postStep(n, pairs, ga = 'volgende') {
    return this.client.post(`${this.path}/stap/${n}`, [['csrf', this.csrf], ...pairs, ['ga', ga]]);
  }
  async review() {
    const res = await this.client.get(`${this.path}/controle`);
    assert.equal(res.status, 200, `GET ${this.path}/controle (review of ${this.label})`);
    return res;
  }
  submit() { return this.client.post(`${this.path}/inleveren`, { csrf: this.csrf }); }
}

// The page for answers sent to a round that has closed: 409, says so, and its one link leads
// back to the participant's own page.
function assertRoundClosed(res, p, what) {
  assert.equal(res.status, 409, what);
  assert.equal(h1(res.text_), 'Deze ronde is gesloten', `${what}: heading`);
  assert.match(text(mainOf(res.text_)), /U kunt uw antwoorden nog bekijken, maar niet meer wijzigen\./, `${what}: what still can be done`);
  const links = [...mainOf(res.text_).matchAll(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map(([, href, label]) => [href, text(label)]);
  assert.deepEqual(links, [[p.path, '← Terug naar uw antwoorden']], `${what}: a link back to ${p.path}`);
}

const describeFields = (pairs) => pairs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');

async function expectRedirect(res, location, label) {
  assert.equal(res.status, 303, `${label}: status (body: ${text(mainOf(res.text_ || '')).slice(0, 200)})`);
  assert.equal(res.headers.get('location'), location, `${label}: redirect target`);
}

// Step answers of the two participants who fill in the whole round.
const ARMOEDE = {
  step1: [['stelling-a.value', '2'], ['stelling-b.value', '4'], ['stelling-c.value', '3'],
    ['stelling-d.value', 'dont_know'], ['stelling-e.value', '5'], ['stelling-f.value', '1'],
    ['wat-opvalt.value', 'Armoede ziet weinig van de wijken.']],
  step2: [['vraag-1.option', 'veel-inwoners'], ['vraag-1.option', 'anders'],
    ['vraag-1.other.anders', 'Het is een wettelijke taak'],
    ['opmerkingen-a.value', 'Opmerking van Armoede over thema A'],
    ['vraag-5.option', 'nee'], ['vraag-5.other.nee', 'Er is geen budget'],
    ['vraag-12.option', 'ja'], ['vraag-12.other.ja', 'Coalitieakkoord 2026']],
  step3: [['acties.rows[0].theme', 'A'], ['acties.rows[0].action', 'Visie op armoede en gezondheid opstellen'],
    ['acties.rows[0].who', 'Beleidsadviseur'], ['acties.rows[0].department', 'Sociaal domein'],
    ['acties.rows[0].due', '2027-06-30'],
    ['acties.rows[1].theme', 'D'], ['acties.rows[1].action', 'Vroegsignalering samen met de GGD'],
    ['acties.rows[1].who', ''], ['acties.rows[1].department', 'GGD'], ['acties.rows[1].due', ''],
    // A spare row the participant left empty, as the form sends it.
    ['acties.rows[2].theme', ''], ['acties.rows[2].action', ''], ['acties.rows[2].who', ''],
    ['acties.rows[2].department', ''], ['acties.rows[2].due', ''],
    ['toelichting.value', 'Graag in het MT bespreken.']],
};
const GEZONDHEID = {
  step1: [['stelling-a.value', '4'], ['stelling-b.value', '3'], ['stelling-c.value', '3'],
    ['stelling-d.value', '2'], ['stelling-e.value', '3'], ['stelling-f.value', '5'],
    ['wat-opvalt.value', 'Geheim-van-Gezondheid: de GGD-monitor laat veel zien.']],
  step2: [['vraag-1.option', 'betere-ondersteuning'],
    ['vraag-5.option', 'ja-groepen'], ['vraag-5.other.ja-groepen', 'Jongeren met schulden'],
    ['opmerkingen-c.value', 'Gezondheid vindt het beleid versnipperd.']],
  step3: [['acties.rows[0].theme', 'B'], ['acties.rows[0].action', 'Data van de wijkteams koppelen'],
    ['acties.rows[0].who', 'Data-analist'], ['acties.rows[0].department', 'Onderzoek'],
    ['acties.rows[0].due', '2027-03-31'],
    // The same proposal as Armoede's first: taken over once.
    ['acties.rows[1].theme', 'A'], ['acties.rows[1].action', 'Visie op armoede en gezondheid opstellen'],
    ['acties.rows[1].who', 'Wethouder'], ['acties.rows[1].department', ''], ['acties.rows[1].due', '']],
};

before(async () => {
  server = await startServer();
  coord.a = await loggedIn(COORD_A);
  coord.b = await loggedIn(COORD_B);
  for (const key of ['a', 'b']) {
    const dash = await coord[key].get('/dashboard');
    ids[key] = dash.headers.get('location').match(/^\/gemeenten\/(\d+)$/)[1];
  }
});
after(async () => { await server?.stop(); });

// ---------------------------------------------------------------------------------------

describe('starting a round', () => {
  it('the new-round form offers the instrument and default participants', async () => {
    const res = await coord.a.get(`/gemeenten/${ids.a}/rondes/nieuw`);
    assert.equal(res.status, 200, `GET /gemeenten/${ids.a}/rondes/nieuw`);
    assert.equal(h1(res.text_), 'Nieuwe ronde', `GET /gemeenten/${ids.a}/rondes/nieuw: heading`);
    assert.equal(selectedOption(res.text_, 'instrument'), INSTRUMENT, 'the instrument preselected on the new-round form');
    assert.equal(textareaValue(res.text_, 'labels'), 'Armoede\nGezondheid', 'default participants on the new-round form');
  });

  const valid = { title: 'Armoede en gezondheid 2027', labels: 'Armoede\nGezondheid\nGGD', closes_on: '' };
  const manyLabels = Array.from({ length: 201 }, (_, i) => `Deelnemer ${i + 1}`).join('\n');
  const bad = [
    ['an empty title', { title: '   ' }, 'title', 'Geef de ronde een naam, bijvoorbeeld ‘Armoede en gezondheid 2027’.'],
    ['no participants', { labels: '  \n\n \n' }, 'labels', 'Vul minstens één deelnemer in, bijvoorbeeld ‘Armoede’.'],
    ['201 participants', { labels: manyLabels }, 'labels', 'Een ronde kan hoogstens 200 deelnemers hebben.'],
    ['a closing date in the past', { closes_on: '2020-01-01' }, 'closes_on', 'Deze datum is al voorbij. Kies een datum vanaf vandaag.'],
    ['an unknown instrument', { instrument: 'bestaat-niet' }, 'instrument', 'Kies een instrument uit de lijst.'],
    ['closing date 31-12-2027', { closes_on: '31-12-2027' }, 'closes_on', 'Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2027-03-31.'],
  ];
  for (const [label, change, field, message] of bad) {
    it(`${label}: 422 with the Dutch message next to the field and the typed values kept`, async () => {
      const fields = { ...valid, ...change };
      const what = `POST /gemeenten/{A}/rondes with ${label} (${JSON.stringify(change).slice(0, 80)})`;
      const res = await createRound(coord.a, ids.a, fields);
      assert.equal(res.status, 422, what);
      const html = mainOf(res.text_);
      assert.match(html, /role="alert"[\s\S]*Niet alles is goed ingevuld/, `${what}: the summary alert`);
      assert.equal(textOfId(html, `${field}-error`), message, `${what}: the message of field ${field}`);
      const control = tagWithId(html, field);
      assert.match(control, /aria-invalid="true"/, `${what}: ${field} is marked invalid`);
      assert.match(control, new RegExp(`aria-describedby="[^"]*${field}-error`), `${what}: ${field} points to its message`);
      // Only this field is wrong.
      assert.equal(count(html, 'utrecht-form-field-error-message'), 1, `${what}: exactly one field message`);
      // What was typed comes back.
      if (field !== 'title') assert.equal(valueOf(html, 'title'), fields.title, `${what}: the typed title is kept`);
      if (field !== 'closes_on') assert.equal(valueOf(html, 'closes_on'), fields.closes_on, `${what}: the closing date is kept`);
      else assert.equal(valueOf(html, 'closes_on'), fields.closes_on, `${what}: the wrong closing date is kept to correct`);
      assert.equal(textareaValue(html, 'labels'), fields.labels, `${what}: the typed participants are kept`);
      assert.ok(isChecked(html, 'mode-meeting'), `${what}: mode "meeting" stays chosen`);
    });
  }

  it('nothing was created by the refused forms', async () => {
    const res = await coord.a.get(`/gemeenten/${ids.a}`);
    assert.match(text(mainOf(res.text_)), /Er zijn nog geen rondes/, `GET /gemeenten/${ids.a} after only refused forms`);
  });

  it('a valid form starts the round; its page lists every participant with a personal link', async () => {
    const res = await createRound(coord.a, ids.a, { ...valid, closes_on: '2099-12-31' });
    assert.equal(res.status, 303, `POST /gemeenten/${ids.a}/rondes with valid input`);
    const location = res.headers.get('location');
    assert.match(location, /^\/rondes\/\d+$/, `POST /gemeenten/${ids.a}/rondes redirects to the round`);
    const page = await coord.a.get(location);
    assert.equal(page.status, 200, `GET ${location}`);
    const html = mainOf(page.text_);
    assert.equal(flash(html), 'De ronde is gestart. Stuur de deelnemers hun link.', `GET ${location}: flash`);
    assert.equal(h1(html), valid.title, `GET ${location}: heading`);
    const facts = text(html.match(/<dl class="facts">[\s\S]*?<\/dl>/)[0]);
    assert.match(facts, /Samen in een bijeenkomst/, `GET ${location}: mode meeting`);
    assert.match(facts, /Open: deelnemers kunnen invullen/, `GET ${location}: open`);
    assert.match(facts, /2099-12-31/, `GET ${location}: closing date`);
    assert.match(facts, /Ingeleverd 0 van 3/, `GET ${location}: none submitted yet`);
    const ps = participantsOf(html);
    assert.deepEqual(ps.map((p) => p.label), ['Armoede', 'Gezondheid', 'GGD'], `GET ${location}: participants`);
    for (const p of ps) {
      assert.equal(p.state, 'Nog niet begonnen', `GET ${location}: state of ${p.label}`);
      assert.match(p.link || '', new RegExp(`^${server.url}/i/[A-Za-z0-9_-]{16,64}$`), `GET ${location}: link of ${p.label}`);
    }
    assert.equal(new Set(ps.map((p) => p.link)).size, 3, `GET ${location}: three different links`);
    const dash = await coord.a.get(`/gemeenten/${ids.a}`);
    assert.ok(dash.text_.includes(`href="${location}">${valid.title}</a>`), `GET /gemeenten/${ids.a} lists the new round`);
  });
});

describe('filling in through the links, and the results', () => {
  let round;
  let armoede;
  let gezondheid;
  before(async () => {
    round = await newRound('Ronde invullen');
    armoede = new Participant('Armoede', round.participants.Armoede.link);
    gezondheid = new Participant('Gezondheid', round.participants.Gezondheid.link);
  });

  it('the introduction tells who invited whom, without an account', async () => {
    const res = await armoede.open();
    const t = text(mainOf(res.text_));
    assert.match(t, /U bent uitgenodigd door Gemeente Alpha voor de ronde Ronde invullen\./, `GET ${armoede.path}: invitation`);
    assert.match(t, /U vult in als Armoede\./, `GET ${armoede.path}: label`);
    assert.match(t, /Het zijn 3 stappen\./, `GET ${armoede.path}: steps`);
    assert.ok(res.text_.includes(`href="${armoede.path}/stap/1">Beginnen</a>`), `GET ${armoede.path}: "Beginnen" leads to step 1`);
  });

  it('a post without the CSRF token is refused', async () => {
    const res = await armoede.client.post(`${armoede.path}/stap/1`, [['stelling-a.value', '3'], ['ga', 'volgende']]);
    assert.equal(res.status, 403, `POST ${armoede.path}/stap/1 without csrf`);
  });

  it('scale value 7: 422 with the message at the statement, the valid answers on the page are saved', async () => {
    const pairs = [['stelling-a.value', '7'], ['stelling-b.value', '4'], ['wat-opvalt.value', 'Eerste indruk van Armoede']];
    const res = await armoede.postStep(1, pairs);
    const what = `POST ${armoede.path}/stap/1 with ${describeFields(pairs)}`;
    assert.equal(res.status, 422, what);
    const html = mainOf(res.text_);
    assert.match(text(html), /Niet alles is goed ingevuld\. Wat wel goed was, is bewaard\./, `${what}: summary`);
    assert.equal(textOfId(html, 'stelling-a-error'), 'Kies een getal van 1 tot 5 of ‘weet niet’.', `${what}: message at statement A`);
    assert.match(html, /<fieldset class="question question--invalid" aria-describedby="stelling-a-error">/, `${what}: statement A's fieldset points to the message`);
    assert.equal(textOfId(html, 'stelling-b-error'), null, `${what}: no message at statement B`);
    assert.ok(isChecked(html, 'stelling-b-4'), `${what}: statement B stays checked at 4`);
    assert.equal(textareaValue(html, 'wat-opvalt-value'), 'Eerste indruk van Armoede', `${what}: the typed text comes back`);
    const review = reviewOf((await armoede.review()).text_);
    assert.equal(review['stelling-a'], null, `review after ${what}: A not saved`);
    assert.deepEqual(review['stelling-b'], ['4 (mee eens)'], `review after ${what}: B saved`);
    assert.deepEqual(review['wat-opvalt'], ['Eerste indruk van Armoede'], `review after ${what}: the text saved`);
  });

  it('step 1 with valid answers goes on to step 2', async () => {
    await expectRedirect(await armoede.postStep(1, ARMOEDE.step1), `${armoede.path}/stap/2`,
      `POST ${armoede.path}/stap/1 with ${describeFields(ARMOEDE.step1)}`);
  });

  it('"Nee, want" without its reason: 422 with the message next to it, the other answers saved', async () => {
    const pairs = [['vraag-1.option', 'veel-inwoners'], ['vraag-1.option', 'levensbrede-aanpak'],
      ['opmerkingen-a.value', 'Opmerking van Armoede over thema A'],
      ['vraag-5.option', 'nee'], ['vraag-5.other.nee', ''], ['vraag-5.other.ja-groepen', ''], ['vraag-5.other.ja-anders', '']];
    const what = `POST ${armoede.path}/stap/2 with ${describeFields(pairs)}`;
    const res = await armoede.postStep(2, pairs);
    assert.equal(res.status, 422, what);
    const html = mainOf(res.text_);
    const message = 'Vul in waarom u ‘Nee, want’ kiest.';
    assert.equal(textOfId(html, 'vraag-5-nee-other-error'), message, `${what}: the message next to the "Nee, want" field`);
    const input = tagWithId(html, 'vraag-5-nee-other');
    assert.match(input, /aria-invalid="true"/, `${what}: the reason field is marked invalid`);
    assert.match(input, /aria-describedby="vraag-5-nee-other-error"/, `${what}: the reason field points to its message`);
    assert.ok(isChecked(html, 'vraag-5-nee'), `${what}: "Nee, want" stays checked`);
    assert.ok(isChecked(html, 'vraag-1-veel-inwoners') && isChecked(html, 'vraag-1-levensbrede-aanpak'), `${what}: question 1 stays checked`);
    assert.equal(textOfId(html, 'vraag-1-error'), null, `${what}: no message at question 1`);
    const review = reviewOf((await armoede.review()).text_);
    assert.deepEqual(review['vraag-1'], [
      'Veel van onze inwoners kampen zowel met armoede als met gezondheidsproblemen.',
      'We bedienen onze inwoners beter met een (levens)brede aanpak van problemen.',
    ], `review after ${what}: question 1 saved`);
    assert.deepEqual(review['opmerkingen-a'], ['Opmerking van Armoede over thema A'], `review after ${what}: remarks A saved`);
    assert.equal(review['vraag-5'], null, `review after ${what}: question 5 not saved`);
  });

  it('"Wij zien geen reden." with another option: 422, and the earlier answer is not overwritten', async () => {
    const pairs = [['vraag-1.option', 'geen-reden'], ['vraag-1.option', 'veel-inwoners'],
      ['opmerkingen-a.value', 'Opmerking van Armoede over thema A'],
      ['vraag-5.option', 'nee'], ['vraag-5.other.nee', 'Er is geen budget']];
    const what = `POST ${armoede.path}/stap/2 with ${describeFields(pairs)}`;
    const res = await armoede.postStep(2, pairs);
    assert.equal(res.status, 422, what);
    const html = mainOf(res.text_);
    assert.equal(textOfId(html, 'vraag-1-error'), '‘Wij zien geen reden.’ kunt u niet combineren met andere antwoorden.',
      `${what}: the message at question 1`);
    assert.ok(isChecked(html, 'vraag-1-geen-reden') && isChecked(html, 'vraag-1-veel-inwoners'), `${what}: both choices come back checked`);
    assert.equal(textOfId(html, 'vraag-5-nee-other-error'), null, `${what}: question 5 is fine now`);
    const review = reviewOf((await armoede.review()).text_);
    assert.equal(review['vraag-1'].length, 2, `review after ${what}: question 1 keeps the earlier answer`);
    assert.deepEqual(review['vraag-5'], ['Nee, want Er is geen budget'], `review after ${what}: question 5 saved`);
  });

  it('step 2 and step 3 with valid answers lead to the review', async () => {
    await expectRedirect(await armoede.postStep(2, ARMOEDE.step2), `${armoede.path}/stap/3`,
      `POST ${armoede.path}/stap/2 with ${describeFields(ARMOEDE.step2)}`);
    await expectRedirect(await armoede.postStep(3, ARMOEDE.step3, 'controle'), `${armoede.path}/controle`,
      `POST ${armoede.path}/stap/3 with ${describeFields(ARMOEDE.step3)}`);
  });

  it('the review shows every answer, and what was left open', async () => {
    const res = await armoede.review();
    const review = reviewOf(res.text_);
    const what = `GET ${armoede.path}/controle`;
    assert.deepEqual(review['stelling-a'], ['2 (niet mee eens)'], `${what}: A`);
    assert.deepEqual(review['stelling-d'], ['weet niet'], `${what}: D`);
    assert.deepEqual(review['stelling-f'], ['1 (helemaal niet mee eens)'], `${what}: F`);
    assert.deepEqual(review['vraag-1'], [
      'Veel van onze inwoners kampen zowel met armoede als met gezondheidsproblemen.',
      'Anders, namelijk..... Het is een wettelijke taak',
    ], `${what}: question 1 with its free text`);
    assert.deepEqual(review['vraag-12'], ['Ja, namelijk Coalitieakkoord 2026'], `${what}: question 12`);
    assert.deepEqual(review.acties, [
      'A: Visie op armoede en gezondheid opstellen — Beleidsadviseur (Sociaal domein), 2027-06-30',
      'D: Vroegsignalering samen met de GGD (GGD)',
    ], `${what}: the actions of step 3, without the empty spare row`);
    assert.deepEqual(review.toelichting, ['Graag in het MT bespreken.'], `${what}: remarks of step 3`);
    assert.equal(review['vraag-2'], null, `${what}: question 2 left open`);
    const unanswered = ALL_ITEMS.filter((id) => review[id] === null).length;
    assert.match(text(res.text_), new RegExp(`U heeft ${unanswered} vragen niet beantwoord\\. Dat mag\\.`), `${what}: count of open questions`);
    assert.ok(res.text_.includes(`action="${armoede.path}/inleveren"`), `${what}: a submit form`);
  });

  it('submitting; the introduction then says so', async () => {
    await expectRedirect(await armoede.submit(), `${armoede.path}?ingeleverd=1`, `POST ${armoede.path}/inleveren`);
    const intro = await armoede.open();
    assert.match(text(mainOf(intro.text_)), /U heeft uw antwoorden ingeleverd op \d\d-\d\d-\d{4} \d\d:\d\d\. U kunt ze nog wijzigen tot de ronde sluit\./,
      `GET ${armoede.path} after submitting`);
    assert.ok(intro.text_.includes(`href="${armoede.path}/stap/1">Verder gaan</a>`), `GET ${armoede.path} after submitting: "Verder gaan"`);
  });

  it('coming back: the saved answers are checked, and can be changed', async () => {
    const step1 = await armoede.getStep(1);
    const what = `GET ${armoede.path}/stap/1 after submitting`;
    assert.equal(step1.status, 200, what);
    for (const [id, on] of [['stelling-a-2', true], ['stelling-a-4', false], ['stelling-b-4', true], ['stelling-d-dont_know', true],
      ['stelling-e-5', true], ['stelling-f-1', true], ['stelling-f-2', false]]) {
      assert.equal(isChecked(step1.text_, id), on, `${what}: #${id} ${on ? '' : 'not '}checked`);
    }
    assert.equal(textareaValue(step1.text_, 'wat-opvalt-value'), 'Armoede ziet weinig van de wijken.', `${what}: the text`);
    const step2 = await armoede.getStep(2);
    assert.ok(isChecked(step2.text_, 'vraag-1-anders'), `GET ${armoede.path}/stap/2: "Anders" checked`);
    assert.equal(valueOf(step2.text_, 'vraag-1-anders-other'), 'Het is een wettelijke taak', `GET ${armoede.path}/stap/2: its text`);
    assert.ok(isChecked(step2.text_, 'vraag-12-ja'), `GET ${armoede.path}/stap/2: question 12 "Ja"`);
    const step3 = await armoede.getStep(3);
    assert.equal(selectedOption(step3.text_, 'acties-0-theme'), 'A', `GET ${armoede.path}/stap/3: theme of action 1`);
    assert.equal(textareaValue(step3.text_, 'acties-1-action'), 'Vroegsignalering samen met de GGD', `GET ${armoede.path}/stap/3: action 2`);
    assert.equal(valueOf(step3.text_, 'acties-1-department'), 'GGD', `GET ${armoede.path}/stap/3: department of action 2`);
    assert.equal(textareaValue(step3.text_, 'acties-4-action'), '', `GET ${armoede.path}/stap/3: spare rows after the saved ones`);

    const changed = ARMOEDE.step1.map(([k, v]) => [k, k === 'stelling-f.value' ? '2' : v]);
    await expectRedirect(await armoede.postStep(1, changed, 'later'), `${armoede.path}?opgeslagen=1`,
      `POST ${armoede.path}/stap/1 with stelling-f.value=2, ga=later`);
    const review = reviewOf((await armoede.review()).text_);
    assert.deepEqual(review['stelling-f'], ['2 (niet mee eens)'], `review after changing F to 2`);
    assert.ok((await armoede.review()).text_.includes('Opnieuw inleveren'), 'the review offers to submit again');
    await expectRedirect(await armoede.submit(), `${armoede.path}?ingeleverd=1`, `POST ${armoede.path}/inleveren again`);
  });

  it('a second participant fills in and submits in a browser of their own', async () => {
    await gezondheid.open();
    await expectRedirect(await gezondheid.postStep(1, GEZONDHEID.step1), `${gezondheid.path}/stap/2`, `POST ${gezondheid.path}/stap/1`);
    await expectRedirect(await gezondheid.postStep(2, GEZONDHEID.step2), `${gezondheid.path}/stap/3`, `POST ${gezondheid.path}/stap/2`);
    await expectRedirect(await gezondheid.postStep(3, GEZONDHEID.step3, 'controle'), `${gezondheid.path}/controle`, `POST ${gezondheid.path}/stap/3`);
    await expectRedirect(await gezondheid.submit(), `${gezondheid.path}?ingeleverd=1`, `POST ${gezondheid.path}/inleveren`);
  });

  it('the round page shows who has submitted', async () => {
    const html = mainOf((await roundPage(round.id)).text_);
    const states = Object.fromEntries(participantsOf(html).map((p) => [p.label, p.state]));
    assert.match(states.Armoede, /^Ingeleverd op \d\d-\d\d-\d{4} \d\d:\d\d$/, `GET /rondes/${round.id}: Armoede`);
    assert.match(states.Gezondheid, /^Ingeleverd op /, `GET /rondes/${round.id}: Gezondheid`);
    assert.equal(states.GGD, 'Nog niet begonnen', `GET /rondes/${round.id}: GGD`);
    assert.match(text(html), /Ingeleverd 2 van 3/, `GET /rondes/${round.id}: count`);
  });

  it('the results show both side by side, the mean with a decimal comma, "Bespreken" and the observations', async () => {
    const res = await coord.a.get(`/rondes/${round.id}/resultaten`);
    const what = `GET /rondes/${round.id}/resultaten`;
    assert.equal(res.status, 200, what);
    const html = mainOf(res.text_);
    assert.match(text(html), /Hierin tellen 2 van 3 deelnemers mee\./, `${what}: counted`);
    const { headers, rows, differs } = statementsOf(html);
    assert.deepEqual(headers, ['Stelling', 'Armoede', 'Gezondheid', 'Gemiddeld', 'Verschil', 'Weet niet', 'Afgesproken score'],
      `${what}: the columns`);
    // [statement, Armoede, Gezondheid, mean, spread, don't know, agreed]
    const expected = {
      'A.': ['2', '4', '3,0', '2', '0'],
      'B.': ['4', '3', '3,5', '1', '0'],
      'C.': ['3', '3', '3,0', '0', '0'],
      'D.': ['weet niet', '2', '2,0', '0', '1'],
      'E.': ['5', '3', '4,0', '2', '0'],
      'F.': ['2', '5', '3,5', '3', '0'],
    };
    for (const [key, cells] of Object.entries(expected)) {
      assert.ok(rows[key], `${what}: a row for statement ${key}`);
      assert.deepEqual(rows[key].slice(1, 6), cells, `${what}: statement ${key}`);
      const shouldDiffer = Math.abs(Number(cells[0]) - Number(cells[1])) >= 2;
      assert.equal(differs[key], shouldDiffer, `${what}: statement ${key} ${shouldDiffer ? 'is' : 'is not'} marked`);
      assert.equal(rows[key][0].includes('Bespreken: scores lopen uiteen'), shouldDiffer,
        `${what}: "Bespreken" ${shouldDiffer ? '' : 'not '}at statement ${key}`);
    }
    const observations = observationsOf(html);
    for (const line of [
      'Bij stelling A lopen de scores uiteen: van 2 (Armoede) tot 4 (Gezondheid). Bespreek waar dat verschil vandaan komt.',
      'Bij stelling F lopen de scores uiteen: van 2 (Armoede) tot 5 (Gezondheid). Bespreek waar dat verschil vandaan komt.',
      'Het laagst scoort thema D (Focus: Signaleren, bereiken en ondersteunen): gemiddeld 2,0.',
      'Het hoogst scoort thema E (De rol van de gemeente): gemiddeld 4,0.',
    ]) assert.ok(observations.includes(line), `${what}: observation "${line}" in ${JSON.stringify(observations)}`);
    assert.ok(!observations.some((o) => o.startsWith('Bij stelling B lopen')), `${what}: no difference noted at B`);
    // Step 2 and 3: who chose what, their free texts, and the proposed actions.
    const t = text(html);
    assert.ok(t.includes('Armoede (Nee, want): Er is geen budget'), `${what}: the reason of "Nee, want"`);
    assert.ok(t.includes('Gezondheid (Ja, we kiezen voor de extra inzet voor bepaalde groepen, namelijk): Jongeren met schulden'),
      `${what}: the free text of Gezondheid at question 5`);
    assert.ok(t.includes('Armoede ziet weinig van de wijken.') && t.includes('Geheim-van-Gezondheid'), `${what}: both texts of "Wat opvalt"`);
    assert.ok(t.includes('Data van de wijkteams koppelen — Data-analist (Onderzoek), 2027-03-31 [Gezondheid]'), `${what}: an action of step 3`);
  });

  it('a round without a closing date does not show an empty "Sluitingsdatum"', async () => {
    const html = mainOf((await roundPage(round.id)).text_);
    const facts = html.match(/<dl class="facts">[\s\S]*?<\/dl>/)[0];
    assert.ok(!facts.includes('<dd></dd>'), `GET /rondes/${round.id} (created with closes_on=""): an empty fact in ${text(facts)}`);
    assert.ok(!facts.includes('Sluitingsdatum'), `GET /rondes/${round.id} (created with closes_on=""): "Sluitingsdatum" without a date`);
  });

  it('a proposed action without owner or date reads cleanly in the results', async () => {
    const res = await coord.a.get(`/rondes/${round.id}/resultaten`);
    const items = [...res.text_.matchAll(/<li class="utrecht-unordered-list__item">([\s\S]*?)<\/li>/g)].map((m) => text(m[1]));
    const line = items.find((i) => i.startsWith('Vroegsignalering samen met de GGD'));
    // Armoede proposed it with department "GGD" and left "who" and the date empty.
    assert.equal(line, 'Vroegsignalering samen met de GGD (GGD) [Armoede]',
      `GET /rondes/${round.id}/resultaten: the action with who="" and due="" (no dangling dash or comma)`);
  });

  it('agreed scores are saved and shown next to the statements', async () => {
    const page = await coord.a.get(`/rondes/${round.id}/resultaten`);
    const form = { csrf: Client.csrf(page.text_), 'agreed.stelling-a': '3', 'note.stelling-a': 'Samen op 3 gezet',
      'agreed.stelling-b': '', 'note.stelling-b': '', 'agreed.stelling-c': '9', 'note.stelling-c': '' };
    const what = `POST /rondes/${round.id}/afspraken with ${JSON.stringify(form).slice(60)}`;
    await expectRedirect(await coord.a.post(`/rondes/${round.id}/afspraken`, form), `/rondes/${round.id}/resultaten#afspraken`, what);
    const res = await coord.a.get(`/rondes/${round.id}/resultaten`);
    const { rows } = statementsOf(res.text_);
    assert.equal(rows['A.'][6], '3 Samen op 3 gezet', `results after ${what}: agreed A`);
    assert.equal(rows['B.'][6], '–', `results after ${what}: B has none`);
    assert.equal(rows['C.'][6], '–', `results after ${what}: 9 is no score on a 1-5 scale`);
    assert.equal(selectedOption(res.text_, 'agreed-stelling-a'), '3', `results after ${what}: the form shows 3 for A`);
    assert.equal(textareaValue(res.text_, 'note-stelling-a'), 'Samen op 3 gezet', `results after ${what}: the note of A`);
  });

  it('a participant cannot open the coordinator\'s pages, nor see others\' answers', async () => {
    for (const path of [`/rondes/${round.id}`, `/rondes/${round.id}/resultaten`, `/rondes/${round.id}/acties`, `/rondes/${round.id}/uitnodigingen`]) {
      const res = await armoede.client.get(path);
      assert.equal(res.status, 303, `GET ${path} with only a participant's cookies`);
      assert.match(res.headers.get('location'), /^\/inloggen(\?|$)/, `GET ${path} as participant goes to the login`);
      assert.ok(!res.text_.includes('Geheim-van-Gezondheid'), `GET ${path} as participant leaks answers`);
      // The link's token is no session either.
      const token = armoede.path.split('/').pop();
      const asSession = await fetch(`${server.url}${path}`, { redirect: 'manual', headers: { cookie: `gids_session=${token}` } });
      assert.equal(asSession.status, 303, `GET ${path} with the invitation token as session cookie`);
    }
    const post = await armoede.client.post(`/rondes/${round.id}/afspraken`, { csrf: armoede.csrf, 'agreed.stelling-a': '5' });
    assert.equal(post.status, 403, `POST /rondes/${round.id}/afspraken as participant`);
    for (const path of [armoede.path, `${armoede.path}/stap/1`, `${armoede.path}/stap/2`, `${armoede.path}/stap/3`, `${armoede.path}/controle`]) {
      const res = await armoede.client.get(path);
      assert.equal(res.status, 200, `GET ${path} as Armoede`);
      for (const secret of ['Geheim-van-Gezondheid', 'Jongeren met schulden', 'Data van de wijkteams']) {
        assert.ok(!res.text_.includes(secret), `GET ${path} as Armoede shows Gezondheid's answer "${secret}"`);
      }
    }
    assert.equal(statementsOf((await coord.a.get(`/rondes/${round.id}/resultaten`)).text_).rows['A.'][6], '3 Samen op 3 gezet',
      `POST /rondes/${round.id}/afspraken as participant did not change the agreed score`);
  });

  it('step numbers outside the instrument answer 404', async () => {
    for (const step of ['0', '4', 'x', '-1']) {
      const res = await armoede.getStep(step);
      assert.equal(res.status, 404, `GET ${armoede.path}/stap/${step}`);
    }
  });
});

describe('links: revoking, renewing, closing and reopening', () => {
  let round;
  let ggd;
  let gezondheid;
  before(async () => {
    round = await newRound('Ronde links', 'Armoede\nGezondheid\nGGD', { mode: 'separate' });
    ggd = new Participant('GGD', round.participants.GGD.link);
    gezondheid = new Participant('Gezondheid', round.participants.Gezondheid.link);
    await ggd.open();
    await expectRedirect(await ggd.postStep(1, [['stelling-a.value', '3']]), `${ggd.path}/stap/2`, `POST ${ggd.path}/stap/1 before revoking`);
    await gezondheid.open();
    await expectRedirect(await gezondheid.postStep(1, GEZONDHEID.step1, 'controle'), `${gezondheid.path}/controle`, `POST ${gezondheid.path}/stap/1`);
    await expectRedirect(await gezondheid.submit(), `${gezondheid.path}?ingeleverd=1`, `POST ${gezondheid.path}/inleveren`);
  });

  async function assertDead(p, path, label) {
    for (const [method, url] of [['GET', path], ['GET', `${path}/stap/1`], ['GET', `${path}/controle`]]) {
      const res = await p.client.request(method, url);
      assert.equal(res.status, 404, `${method} ${url} (${label})`);
      assert.equal(h1(res.text_), 'Deze link werkt niet', `${method} ${url} (${label}): friendly page`);
      assert.match(text(mainOf(res.text_)), /Vraag de persoon die u uitnodigde om een nieuwe link\./, `${method} ${url} (${label}): what to do`);
    }
    const post = await p.client.post(`${path}/stap/1`, [['csrf', p.csrf], ['stelling-a.value', '1'], ['ga', 'volgende']]);
    assert.equal(post.status, 404, `POST ${path}/stap/1 (${label})`);
    assert.equal(h1(post.text_), 'Deze link werkt niet', `POST ${path}/stap/1 (${label}): friendly page`);
    const submit = await p.client.post(`${path}/inleveren`, { csrf: p.csrf });
    assert.equal(submit.status, 404, `POST ${path}/inleveren (${label})`);
  }

  async function draftsOf(label) {
    const res = await coord.a.get(`/rondes/${round.id}/resultaten?concepten=1`);
    const { headers, rows } = statementsOf(res.text_);
    return rows['A.'][headers.indexOf(label)];
  }

  it('a revoked link gets the friendly "Deze link werkt niet" page and cannot post', async () => {
    const page = await roundPage(round.id);
    const pid = round.participants.GGD.pid;
    await expectRedirect(await coord.a.post(`/rondes/${round.id}/deelnemers/${pid}/intrekken`, { csrf: Client.csrf(page.text_) }),
      `/rondes/${round.id}#deelnemers`, `POST /rondes/${round.id}/deelnemers/${pid}/intrekken`);
    const after = mainOf((await roundPage(round.id)).text_);
    assert.equal(flash(after), 'De link is ingetrokken. Hij werkt niet meer.', 'flash after revoking');
    const row = participantsOf(after).find((p) => p.label === 'GGD');
    assert.equal(row.state, 'Link ingetrokken', 'GGD\'s state after revoking');
    assert.equal(row.link, null, 'the round page shows no link for GGD after revoking');
    await assertDead(ggd, ggd.path, 'revoked link of GGD');
    assert.equal(await draftsOf('GGD'), '3', 'the refused post did not change GGD\'s answer');
  });

  it('the invitation sheet leaves the revoked participant out', async () => {
    const res = await coord.a.get(`/rondes/${round.id}/uitnodigingen`);
    assert.equal(res.status, 200, `GET /rondes/${round.id}/uitnodigingen`);
    assert.equal(count(res.text_, '<svg'), 2, `GET /rondes/${round.id}/uitnodigingen: two QR codes`);
    assert.ok(!res.text_.includes('aria-label="Deelnemer GGD"'), `GET /rondes/${round.id}/uitnodigingen: no card for GGD`);
  });

  it('a new link for a revoked participant works; the revoked one stays dead', async () => {
    const pid = round.participants.GGD.pid;
    const page = await roundPage(round.id);
    await expectRedirect(await coord.a.post(`/rondes/${round.id}/deelnemers/${pid}/nieuwe-link`, { csrf: Client.csrf(page.text_) }),
      `/rondes/${round.id}#deelnemers`, `POST /rondes/${round.id}/deelnemers/${pid}/nieuwe-link`);
    const after = mainOf((await roundPage(round.id)).text_);
    assert.equal(flash(after), 'Er is een nieuwe link gemaakt. De oude link werkt niet meer.', 'flash after renewing');
    const row = participantsOf(after).find((p) => p.label === 'GGD');
    assert.notEqual(row.link, round.participants.GGD.link, 'GGD has a new link');
    const old = ggd.path;
    ggd.setLink(row.link);
    await ggd.open();
    await assertDead(ggd, old, 'the revoked link of GGD after renewing');
    // The answers given before belong to the participant, not to the link.
    const step1 = await ggd.getStep(1);
    assert.ok(isChecked(step1.text_, 'stelling-a-3'), `GET ${ggd.path}/stap/1 shows GGD's earlier answer`);
    await expectRedirect(await ggd.postStep(1, [['stelling-a.value', '4']]), `${ggd.path}/stap/2`, `POST ${ggd.path}/stap/1 with the new link`);
    assert.equal(await draftsOf('GGD'), '4', 'the new link saves');
  });

  it('renewing a working link kills the old one; the new one keeps the answers', async () => {
    const pid = round.participants.Gezondheid.pid;
    const page = await roundPage(round.id);
    await expectRedirect(await coord.a.post(`/rondes/${round.id}/deelnemers/${pid}/nieuwe-link`, { csrf: Client.csrf(page.text_) }),
      `/rondes/${round.id}#deelnemers`, `POST /rondes/${round.id}/deelnemers/${pid}/nieuwe-link`);
    const row = participantsOf(mainOf((await roundPage(round.id)).text_)).find((p) => p.label === 'Gezondheid');
    assert.notEqual(row.link, round.participants.Gezondheid.link, 'Gezondheid has a new link');
    assert.match(row.state, /^Ingeleverd op /, 'Gezondheid is still submitted');
    const old = gezondheid.path;
    gezondheid.setLink(row.link);
    await assertDead(gezondheid, old, 'the old link of Gezondheid');
    const intro = await gezondheid.open();
    assert.match(text(intro.text_), /U heeft uw antwoorden ingeleverd op/, `GET ${gezondheid.path}: still submitted`);
    const review = reviewOf((await gezondheid.review()).text_);
    assert.deepEqual(review['stelling-f'], ['5 (helemaal mee eens)'], `GET ${gezondheid.path}/controle: the answers kept`);
  });

  it('closing the round: participants see the closed message and a post is refused with 409', async () => {
    const page = await roundPage(round.id);
    await expectRedirect(await coord.a.post(`/rondes/${round.id}/sluiten`, { csrf: Client.csrf(page.text_) }),
      `/rondes/${round.id}`, `POST /rondes/${round.id}/sluiten`);
    const after = mainOf((await roundPage(round.id)).text_);
    assert.equal(flash(after), 'De ronde is gesloten.', 'flash after closing');
    assert.match(text(after.match(/<dl class="facts">[\s\S]*?<\/dl>/)[0]), /Status Gesloten/, 'the round page says closed');
    assert.ok(after.includes(`action="/rondes/${round.id}/heropenen"`), 'the round page offers to reopen');

    const intro = await gezondheid.open();
    const t = text(mainOf(intro.text_));
    assert.match(t, /Deze ronde is gesloten\. U kunt uw antwoorden nog bekijken, maar niet meer wijzigen\./, `GET ${gezondheid.path} when closed`);
    assert.ok(!intro.text_.includes(`${gezondheid.path}/stap/1`), `GET ${gezondheid.path} when closed: no way to the steps`);
    assert.ok(intro.text_.includes(`href="${gezondheid.path}/controle">Uw antwoorden bekijken</a>`), `GET ${gezondheid.path} when closed: view answers`);
    const step = await gezondheid.getStep(1);
    await expectRedirect(step, gezondheid.path, `GET ${gezondheid.path}/stap/1 when closed`);
    assert.ok(!t.includes('Terug naar uw antwoorden'), `GET ${gezondheid.path} when closed: no link to itself`);
    assertRoundClosed(await gezondheid.postStep(1, [['stelling-f.value', '1']]), gezondheid, `POST ${gezondheid.path}/stap/1 when closed`);
    assertRoundClosed(await gezondheid.submit(), gezondheid, `POST ${gezondheid.path}/inleveren when closed`);
    const review = await gezondheid.review();
    assert.equal(h1(review.text_), 'Uw antwoorden', `GET ${gezondheid.path}/controle when closed: heading`);
    assert.ok(!text(mainOf(review.text_)).includes('Lever dan in'), `GET ${gezondheid.path}/controle when closed: does not ask to hand in`);
    assert.deepEqual(reviewOf(review.text_)['stelling-f'], ['5 (helemaal mee eens)'], `GET ${gezondheid.path}/controle when closed: unchanged`);
    assert.ok(!review.text_.includes('/inleveren'), `GET ${gezondheid.path}/controle when closed: no submit form`);
    assert.ok(!review.text_.includes('>Wijzigen<'), `GET ${gezondheid.path}/controle when closed: no "Wijzigen" links`);
  });

  it('reopening lets participants change their answers again', async () => {
    const page = await roundPage(round.id);
    await expectRedirect(await coord.a.post(`/rondes/${round.id}/heropenen`, { csrf: Client.csrf(page.text_) }),
      `/rondes/${round.id}`, `POST /rondes/${round.id}/heropenen`);
    const after = mainOf((await roundPage(round.id)).text_);
    assert.equal(flash(after), 'De ronde is weer open.', 'flash after reopening');
    assert.match(text(after), /Open: deelnemers kunnen invullen/, 'the round page says open');
    const step = await gezondheid.getStep(1);
    assert.equal(step.status, 200, `GET ${gezondheid.path}/stap/1 after reopening`);
    const changed = GEZONDHEID.step1.map(([k, v]) => [k, k === 'stelling-f.value' ? '4' : v]);
    await expectRedirect(await gezondheid.postStep(1, changed), `${gezondheid.path}/stap/2`, `POST ${gezondheid.path}/stap/1 after reopening`);
    assert.deepEqual(reviewOf((await gezondheid.review()).text_)['stelling-f'], ['4 (mee eens)'], 'the change after reopening is saved');
  });

  it('once the closing date has passed, the round takes no more answers', { skip: !hasSqlite && !process.env.GIDS_PG_HOST && 'needs the sqlite3 command' }, async () => {
    const dated = await newRound('Ronde met sluitingsdatum', 'Armoede', { closes_on: '2099-12-31' });
    const p = new Participant('Armoede', dated.participants.Armoede.link);
    await p.open();
    await expectRedirect(await p.postStep(1, [['stelling-a.value', '3']]), `${p.path}/stap/2`, `POST ${p.path}/stap/1 before the closing date`);
    // Time passes: the closing date (2099-12-31) becomes yesterday. There is no clock to set,
    // so the date is moved in the database instead.
    runSql(server.db, `UPDATE assessments SET closes_on = '${yesterday()}' WHERE id = ${Number(dated.id)}`);
    const facts = text(mainOf((await roundPage(dated.id)).text_).match(/<dl class="facts">[\s\S]*?<\/dl>/)[0]);
    assert.ok(facts.includes(`Sluitingsdatum ${yesterday()}`), `GET /rondes/${dated.id} shows the moved closing date: ${facts}`);

    const what = `round ${dated.id} with closes_on=${yesterday()} (the form promises: "Daarna kan niemand meer iets wijzigen")`;
    assertRoundClosed(await p.postStep(1, [['stelling-a.value', '1']]), p, `POST ${p.path}/stap/1 of ${what}`);
    assertRoundClosed(await p.submit(), p, `POST ${p.path}/inleveren of ${what}`);
    const intro = await p.open();
    assert.ok(text(mainOf(intro.text_)).includes('Deze ronde is gesloten.'), `GET ${p.path} of ${what}: the closed message`);
    assert.deepEqual(reviewOf((await p.review()).text_)['stelling-a'], ['3 (neutraal)'], `GET ${p.path}/controle of ${what}: unchanged`);
  });

  it('an unknown token gets the friendly 404 page', async () => {
    const anon = new Participant('niemand', `${server.url}/i/${'Q'.repeat(22)}`);
    await anon.client.get('/inloggen'); // a gids_csrf cookie, so that posts pass the CSRF check
    const tokens = ['Q'.repeat(22), 'kort', 'x'.repeat(65), 'A'.repeat(64), encodeURIComponent('ééééééééééééééééé')];
    for (const token of tokens) {
      for (const path of [`/i/${token}`, `/i/${token}/stap/1`, `/i/${token}/controle`]) {
        const res = await anon.client.get(path);
        assert.equal(res.status, 404, `GET ${path}`);
        assert.equal(h1(res.text_), 'Deze link werkt niet', `GET ${path}: friendly page`);
      }
      const post = await anon.client.post(`/i/${token}/stap/1`, [['csrf', anon.csrf], ['stelling-a.value', '1']]);
      assert.equal(post.status, 404, `POST /i/${token}/stap/1`);
      assert.equal(h1(post.text_), 'Deze link werkt niet', `POST /i/${token}/stap/1: friendly page`);
      assert.ok(!post.text_.includes('Terug naar uw antwoorden'), `POST /i/${token}/stap/1: no link back to a page that does not exist`);
      const submit = await anon.client.post(`/i/${token}/inleveren`, { csrf: anon.csrf });
      assert.equal(submit.status, 404, `POST /i/${token}/inleveren`);
    }
  });
});

describe('action agenda and repeating a round', () => {
  let round;
  let actionIds = {};
  let repeatId;
  before(async () => {
    round = await newRound('Ronde acties');
    const armoede = new Participant('Armoede', round.participants.Armoede.link);
    const gezondheid = new Participant('Gezondheid', round.participants.Gezondheid.link);
    for (const [p, answers] of [[armoede, ARMOEDE], [gezondheid, GEZONDHEID]]) {
      await p.open();
      await expectRedirect(await p.postStep(3, answers.step3, 'controle'), `${p.path}/controle`, `POST ${p.path}/stap/3 (${p.label})`);
    }
  });

  const agenda = async () => {
    const res = await coord.a.get(`/rondes/${round.id}/acties`);
    assert.equal(res.status, 200, `GET /rondes/${round.id}/acties`);
    return res;
  };
  const addAction = async (fields) => {
    const page = await agenda();
    return coord.a.post(`/rondes/${round.id}/acties`, { csrf: Client.csrf(page.text_), theme: '', owner: '', department: '', due: '', ...fields });
  };
  const updateAction = async (id, fields) => {
    const page = await agenda();
    const current = actionsOf(page.text_).find((a) => a.id === id);
    return coord.a.post(`/rondes/${round.id}/acties/${id}`, {
      csrf: Client.csrf(page.text_), description: current.description, theme: current.theme || '', owner: '', department: '',
      due: '', status: current.status, ...fields,
    });
  };

  it('an empty agenda, and an action without a description: 422 with the Dutch message, typed values kept', async () => {
    const page = await agenda();
    assert.match(text(mainOf(page.text_)), /Er staan nog geen acties op de agenda\./, `GET /rondes/${round.id}/acties at first`);
    const fields = { description: '  ', theme: 'C', owner: 'Petra', department: 'Beleid', due: '2027-01-15' };
    const what = `POST /rondes/${round.id}/acties with ${JSON.stringify(fields)}`;
    const res = await addAction(fields);
    assert.equal(res.status, 422, what);
    const html = mainOf(res.text_);
    assert.equal(textOfId(html, 'new-description-error'), 'Beschrijf wat er gaat gebeuren.', `${what}: message`);
    assert.match(tagWithId(html, 'new-description'), /aria-invalid="true"/, `${what}: the description is marked`);
    assert.equal(selectedOption(html, 'new-theme'), 'C', `${what}: theme kept`);
    assert.equal(valueOf(html, 'new-owner'), 'Petra', `${what}: owner kept`);
    assert.equal(valueOf(html, 'new-department'), 'Beleid', `${what}: department kept`);
    assert.equal(valueOf(html, 'new-due'), '2027-01-15', `${what}: due date kept`);
    const bad = await addAction({ description: 'Iets doen', due: '15-01-2027' });
    assert.equal(bad.status, 422, `POST /rondes/${round.id}/acties with due=15-01-2027`);
    assert.equal(textOfId(mainOf(bad.text_), 'new-due-error'), 'Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2027-03-31.',
      `POST /rondes/${round.id}/acties with due=15-01-2027: message`);
    assert.equal(actionsOf((await agenda()).text_).length, 0, 'no action was added by the refused forms');
  });

  it('adding actions; a past due date is marked overdue', async () => {
    for (const [key, fields] of [
      ['overdue', { description: 'Wethouder informeren', theme: 'E', owner: 'Petra', department: 'Beleid', due: '2020-06-30' }],
      ['done', { description: 'Oude actie afronden', theme: 'F', owner: 'Karel', due: '2099-01-01' }],
    ]) {
      const res = await addAction(fields);
      const what = `POST /rondes/${round.id}/acties with ${JSON.stringify(fields)}`;
      assert.equal(res.status, 303, what);
      const m = res.headers.get('location').match(new RegExp(`^/rondes/${round.id}/acties#actie-(\\d+)$`));
      assert.ok(m, `${what}: redirects to the new action: ${res.headers.get('location')}`);
      actionIds[key] = m[1];
    }
    const page = await agenda();
    assert.equal(flash(mainOf(page.text_)), 'De actie is toegevoegd.', 'flash after adding an action');
    const actions = actionsOf(page.text_);
    const overdue = actions.find((a) => a.id === actionIds.overdue);
    assert.equal(overdue.description, 'Wethouder informeren', 'the added action');
    assert.equal(overdue.theme, 'E', 'the theme of the added action');
    assert.ok(overdue.overdue, 'the action due 2020-06-30 is marked overdue');
    assert.equal(overdue.statusLine, 'Open · Te laat', 'the status line of the overdue action');
    assert.ok(!actions.find((a) => a.id === actionIds.done).overdue, 'the action due 2099-01-01 is not overdue');
    assert.match(page.text_, /<h2 class="utrecht-heading-2">E\. De rol van de gemeente<\/h2>/, 'actions are grouped by theme');
  });

  it('changing the status to "bezig" adds a history line; an empty description is refused', async () => {
    const id = actionIds.overdue;
    const res = await updateAction(id, { status: 'bezig', owner: 'Petra', department: 'Beleid', due: '2020-06-30' });
    await expectRedirect(res, `/rondes/${round.id}/acties#actie-${id}`, `POST /rondes/${round.id}/acties/${id} with status=bezig`);
    const action = actionsOf((await agenda()).text_).find((a) => a.id === id);
    assert.equal(action.status, 'bezig', 'the status after the change');
    assert.equal(action.statusLine, 'Bezig · Te laat', 'the status line after the change');
    assert.ok(action.history.some((h) => /^\d\d-\d\d-\d{4} \d\d:\d\d \(petra@alpha\.gids\.nl\): Status: ‘open’ → ‘bezig’$/.test(h)),
      `a history line for the status change in ${JSON.stringify(action.history)}`);

    const done = await updateAction(actionIds.done, { status: 'gedaan', owner: 'Karel', due: '2099-01-01' });
    assert.equal(done.status, 303, `POST /rondes/${round.id}/acties/${actionIds.done} with status=gedaan`);

    const empty = await updateAction(id, { description: '', status: 'gedaan', owner: 'Iemand anders' });
    const what = `POST /rondes/${round.id}/acties/${id} with description=""`;
    assert.equal(empty.status, 422, what);
    assert.equal(textOfId(mainOf(empty.text_), `a${id}-description-error`), 'Beschrijf wat er gaat gebeuren.', `${what}: message at the action`);
    assert.equal(valueOf(empty.text_, `a${id}-owner`), 'Iemand anders', `${what}: the typed owner is kept`);
    assert.equal(selectedOption(empty.text_, `a${id}-status`), 'gedaan', `${what}: the chosen status is kept`);
    const unchanged = actionsOf((await agenda()).text_).find((a) => a.id === id);
    assert.equal(unchanged.description, 'Wethouder informeren', `${what}: nothing saved`);
    assert.equal(unchanged.status, 'bezig', `${what}: status not saved`);
  });

  it('the participants\' step-3 proposals are taken over, each once', async () => {
    const page = await agenda();
    await expectRedirect(await coord.a.post(`/rondes/${round.id}/acties-overnemen`, { csrf: Client.csrf(page.text_) }),
      `/rondes/${round.id}/acties`, `POST /rondes/${round.id}/acties-overnemen`);
    let html = (await agenda()).text_;
    assert.equal(flash(mainOf(html)), 'De voorstellen van de deelnemers staan nu op de agenda.', 'flash after taking over');
    let actions = actionsOf(html);
    const descriptions = actions.map((a) => a.description).sort();
    assert.deepEqual(descriptions, ['Data van de wijkteams koppelen', 'Oude actie afronden', 'Visie op armoede en gezondheid opstellen',
      'Vroegsignalering samen met de GGD', 'Wethouder informeren'], 'the agenda after taking over (the shared proposal once)');
    const visie = actions.find((a) => a.description === 'Visie op armoede en gezondheid opstellen');
    assert.equal(visie.theme, 'A', 'the theme of a proposal is taken over');
    assert.equal(valueOf(html, `a${visie.id}-owner`), 'Beleidsadviseur', 'the owner of a proposal is taken over');
    assert.equal(valueOf(html, `a${visie.id}-due`), '2027-06-30', 'the due date of a proposal is taken over');
    assert.equal(visie.status, 'open', 'a proposal starts open');

    await expectRedirect(await coord.a.post(`/rondes/${round.id}/acties-overnemen`, { csrf: Client.csrf(html) }),
      `/rondes/${round.id}/acties`, `POST /rondes/${round.id}/acties-overnemen a second time`);
    html = (await agenda()).text_;
    assert.equal(flash(mainOf(html)), 'Er waren geen nieuwe voorstellen om over te nemen.', 'flash after taking over again');
    actions = actionsOf(html);
    assert.equal(actions.length, 5, 'taking over twice adds nothing');
  });

  it('"Herhaal deze ronde" starts a new round with the same participants and the open actions', async () => {
    const page = await roundPage(round.id);
    const res = await coord.a.post(`/rondes/${round.id}/herhalen`, { csrf: Client.csrf(page.text_) });
    assert.equal(res.status, 303, `POST /rondes/${round.id}/herhalen`);
    const m = res.headers.get('location').match(/^\/rondes\/(\d+)$/);
    assert.ok(m && m[1] !== round.id, `POST /rondes/${round.id}/herhalen redirects to a new round: ${res.headers.get('location')}`);
    repeatId = m[1];
    const html = mainOf((await roundPage(repeatId)).text_);
    assert.equal(flash(html), 'De nieuwe ronde is gestart. Open acties zijn meegenomen.', 'flash after repeating');
    assert.match(h1(html), /^Ronde acties \(herhaling \d{4}-\d\d-\d\d\)$/, 'the title of the repeated round');
    assert.ok(html.includes(`Deze ronde herhaalt <a class="utrecht-link" href="/rondes/${round.id}">Ronde acties</a>.`), 'the repeat names the round it repeats');
    assert.match(text(html.match(/<dl class="facts">[\s\S]*?<\/dl>/)[0]), /Samen in een bijeenkomst/, 'the repeat keeps the mode');
    const ps = participantsOf(html);
    assert.deepEqual(ps.map((p) => p.label), ['Armoede', 'Gezondheid', 'GGD'], 'the repeat has the same participants');
    for (const p of ps) {
      assert.equal(p.state, 'Nog niet begonnen', `the repeat: ${p.label} has not started`);
      assert.notEqual(p.link, round.participants[p.label].link, `the repeat: ${p.label} has a new link`);
    }
    const actions = actionsOf((await coord.a.get(`/rondes/${repeatId}/acties`)).text_);
    assert.deepEqual(actions.map((a) => a.description).sort(), ['Data van de wijkteams koppelen', 'Visie op armoede en gezondheid opstellen',
      'Vroegsignalering samen met de GGD', 'Wethouder informeren'], 'the open actions came along, the finished one did not');
    for (const a of actions) assert.match(a.statusLine, /Meegenomen uit de vorige ronde/, `carried action "${a.description}" says so`);
    const carried = actions.find((a) => a.description === 'Wethouder informeren');
    assert.equal(carried.status, 'bezig', 'a carried action keeps its status');
    assert.ok(carried.overdue, 'a carried action keeps its due date');
  });

  it('the dashboard lists the open actions once each, overdue ones marked, linked to the latest round', async () => {
    const res = await coord.a.get(`/gemeenten/${ids.a}`);
    const section = res.text_.match(/<h2 class="utrecht-heading-2" id="actions-heading">[\s\S]*?<\/section>/)[0];
    const items = [...section.matchAll(/<li class="utrecht-unordered-list__item">([\s\S]*?)<\/li>/g)].map((m) => ({ html: m[1], text: text(m[1]) }));
    for (const description of ['Wethouder informeren', 'Visie op armoede en gezondheid opstellen', 'Vroegsignalering samen met de GGD', 'Data van de wijkteams koppelen']) {
      const found = items.filter((i) => i.text.includes(description));
      assert.equal(found.length, 1, `GET /gemeenten/${ids.a}: "${description}" listed once among ${JSON.stringify(items.map((i) => i.text))}`);
      assert.match(found[0].html, new RegExp(`href="/rondes/${repeatId}/acties#actie-\\d+"`), `GET /gemeenten/${ids.a}: "${description}" links to the repeated round`);
    }
    const overdue = items.find((i) => i.text.includes('Wethouder informeren'));
    assert.match(overdue.text, /^te laat: Wethouder informeren — Petra, 2020-06-30 \(Bezig\)$/, `GET /gemeenten/${ids.a}: the overdue action`);
    const visie = items.find((i) => i.text.includes('Visie op armoede'));
    assert.ok(!visie.text.startsWith('te laat'), `GET /gemeenten/${ids.a}: an action due 2027 is not overdue`);
    assert.ok(!items.some((i) => i.text.includes('Oude actie afronden')), `GET /gemeenten/${ids.a}: a finished action is not listed`);
  });

  it('an open action without owner or date reads cleanly on the dashboard', async () => {
    const res = await coord.a.get(`/gemeenten/${ids.a}`);
    const section = res.text_.match(/<h2 class="utrecht-heading-2" id="actions-heading">[\s\S]*?<\/section>/)[0];
    const line = [...section.matchAll(/<li class="utrecht-unordered-list__item">([\s\S]*?)<\/li>/g)].map((m) => text(m[1]))
      .find((i) => i.startsWith('Vroegsignalering samen met de GGD'));
    assert.equal(line, 'Vroegsignalering samen met de GGD (Open)',
      `GET /gemeenten/${ids.a}: the open action with owner="" and due="" (no dangling dash or comma)`);
  });

  it('the printable invitation sheet has an SVG QR code per participant', async () => {
    const res = await coord.a.get(`/rondes/${repeatId}/uitnodigingen`);
    assert.equal(res.status, 200, `GET /rondes/${repeatId}/uitnodigingen`);
    const cards = [...res.text_.matchAll(/<section class="sheet__card" aria-label="Deelnemer ([^"]+)">([\s\S]*?)<\/section>/g)];
    assert.deepEqual(cards.map((c) => c[1]), ['Armoede', 'Gezondheid', 'GGD'], `GET /rondes/${repeatId}/uitnodigingen: a card per participant`);
    const links = participantsOf((await roundPage(repeatId)).text_);
    for (const [, label, body] of cards) {
      assert.equal(count(body, '<svg'), 1, `GET /rondes/${repeatId}/uitnodigingen: one QR code for ${label}`);
      assert.match(body, new RegExp(`<svg [^>]*role="img" aria-label="QR-code met de link voor ${label}"`), `the QR code of ${label} is labelled`);
      assert.match(body, /<path d="M[^"]+"/, `the QR code of ${label} has modules`);
      const link = links.find((p) => p.label === label).link;
      assert.ok(body.includes(`<p class="utrecht-paragraph sheet__link">${link}</p>`), `the card of ${label} shows its link ${link}`);
    }
  });
});

describe('another municipality\'s coordinator', () => {
  let round;
  let actionId;
  let pid;
  let csrfB;
  before(async () => {
    round = await newRound('Ronde van Alpha, geheim');
    pid = round.participants.Armoede.pid;
    const page = await coord.a.get(`/rondes/${round.id}/acties`);
    const res = await coord.a.post(`/rondes/${round.id}/acties`, { csrf: Client.csrf(page.text_), description: 'Actie van Alpha', theme: '', owner: '', department: '', due: '' });
    actionId = res.headers.get('location').match(/actie-(\d+)$/)[1];
    csrfB = Client.csrf((await coord.b.get(`/gemeenten/${ids.b}`)).text_);
    assert.ok(csrfB, 'coordinator B has a CSRF token');
  });

  const assertNotFound = (res, label) => {
    assert.equal(res.status, 404, label);
    assert.equal(h1(res.text_), 'Pagina niet gevonden', `${label}: the ordinary 404 page`);
    for (const secret of ['Ronde van Alpha', 'Actie van Alpha', 'Gemeente Alpha', 'Armoede']) {
      assert.ok(!res.text_.includes(secret), `${label}: leaks "${secret}"`);
    }
  };

  it('gets 404 on every GET of A\'s round', async () => {
    for (const path of [`/rondes/${round.id}`, `/rondes/${round.id}/resultaten`, `/rondes/${round.id}/resultaten?concepten=1`,
      `/rondes/${round.id}/acties`, `/rondes/${round.id}/uitnodigingen`, `/gemeenten/${ids.a}/rondes/nieuw`]) {
      assertNotFound(await coord.b.get(path), `GET ${path} as coordinator B`);
    }
  });

  it('gets 404 on every POST to A\'s round, and nothing changes', async () => {
    const posts = [
      [`/rondes/${round.id}/acties`, { description: 'Inbraak' }],
      [`/rondes/${round.id}/acties/${actionId}`, { description: 'Inbraak', status: 'gedaan' }],
      [`/rondes/${round.id}/acties-overnemen`, {}],
      [`/rondes/${round.id}/afspraken`, { 'agreed.stelling-a': '1', 'note.stelling-a': 'Inbraak' }],
      [`/rondes/${round.id}/deelnemers/${pid}/intrekken`, {}],
      [`/rondes/${round.id}/deelnemers/${pid}/nieuwe-link`, {}],
      [`/rondes/${round.id}/sluiten`, {}],
      [`/rondes/${round.id}/heropenen`, {}],
      [`/rondes/${round.id}/herhalen`, {}],
      [`/gemeenten/${ids.a}/rondes`, { instrument: INSTRUMENT, title: 'Inbraak', mode: 'separate', labels: 'Inbraak', closes_on: '' }],
    ];
    for (const [path, fields] of posts) {
      assertNotFound(await coord.b.post(path, { csrf: csrfB, ...fields }), `POST ${path} as coordinator B`);
    }
    // A's round is as it was: open, the link works, the action and the agreed scores untouched.
    const page = mainOf((await roundPage(round.id)).text_);
    assert.match(text(page), /Open: deelnemers kunnen invullen/, 'A\'s round is still open');
    const armoede = participantsOf(page).find((p) => p.label === 'Armoede');
    assert.equal(armoede.link, round.participants.Armoede.link, 'A\'s link was not renewed');
    await new Participant('Armoede', armoede.link).open();
    const actions = actionsOf((await coord.a.get(`/rondes/${round.id}/acties`)).text_);
    assert.deepEqual(actions.map((a) => [a.description, a.status]), [['Actie van Alpha', 'open']], 'A\'s actions are unchanged');
    assert.equal(statementsOf((await coord.a.get(`/rondes/${round.id}/resultaten`)).text_).rows['A.'].at(-1), '–', 'no agreed score was set');
    const dashA = await coord.a.get(`/gemeenten/${ids.a}`);
    assert.ok(!dashA.text_.includes('Inbraak'), 'no round was created for A by B');
    const dashB = await coord.b.get(`/gemeenten/${ids.b}`);
    assert.match(text(mainOf(dashB.text_)), /Er zijn nog geen rondes/, 'B has no rounds either');
  });

  it('B\'s own round is fine, and A gets 404 on it in turn', async () => {
    const csrf = await coord.b.csrfFrom(`/gemeenten/${ids.b}/rondes/nieuw`);
    const res = await coord.b.post(`/gemeenten/${ids.b}/rondes`, { csrf, instrument: INSTRUMENT, title: 'Ronde van Beta', mode: 'separate', labels: 'Beta', closes_on: '' });
    assert.equal(res.status, 303, `POST /gemeenten/${ids.b}/rondes as B`);
    const path = res.headers.get('location');
    assert.equal((await coord.b.get(path)).status, 200, `GET ${path} as B`);
    assert.equal((await coord.a.get(path)).status, 404, `GET ${path} as A`);
    assert.equal((await coord.a.get(`${path}/resultaten`)).status, 404, `GET ${path}/resultaten as A`);
  });
});
