// The results of a round to take along: the Excel workbook (read back with openpyxl), the
// CSV of step 1, the print page for the alderman and the trend over a round and its repeat.
// Rounds are made and answered through the same forms people use.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, Client, COORD_A, COORD_B } from './lib/server.mjs';
import { textOf, assertNoInlineCode } from './lib/raw.mjs';

const INSTRUMENT = 'gesprekstool-armoede-gezondheid';
const STATEMENTS = ['a', 'b', 'c', 'd', 'e', 'f'];

// Debian's python3-openpyxl belongs to /usr/bin/python3, which need not be first on PATH.
const PYTHON = ['python3', '/usr/bin/python3'].find(
  (py) => spawnSync(py, ['-c', 'import openpyxl'], { encoding: 'utf8' }).status === 0);

// Everything a test needs to know about a workbook, as JSON.
const READ_XLSX = `
import io, json, sys, zipfile, openpyxl
data = sys.stdin.buffer.read()
wb = openpyxl.load_workbook(io.BytesIO(data))
out = {'sheets': wb.sheetnames, 'formulas': False, 'data': {}}
with zipfile.ZipFile(io.BytesIO(data)) as z:
    out['formulas'] = any('<f>' in z.read(n).decode() or '<f ' in z.read(n).decode()
                          for n in z.namelist() if n.startswith('xl/worksheets/'))
for ws in wb.worksheets:
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    out['data'][ws.title] = {
        'rows': rows,
        'types': [[c.data_type for c in row] for row in ws.iter_rows()],
        'formats': [[c.number_format for c in row] for row in ws.iter_rows()],
        'freeze': ws.freeze_panes,
        'header_bold': all(c.font.b for c in ws[1] if c.value is not None),
        'widths': {k: d.width for k, d in ws.column_dimensions.items()},
    }
print(json.dumps(out, default=str))
`;

function readXlsx(bytes) {
  const r = spawnSync(PYTHON, ['-c', READ_XLSX], { input: bytes, maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, `openpyxl reads the workbook: ${r.stderr}`);
  return JSON.parse(r.stdout.toString('utf8'));
}

async function download(client, path) {
  const res = await fetch(client.base + path, { headers: { cookie: client.cookieHeader() }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function createRound(client, municipality, { title, mode, labels }) {
  const csrf = await client.csrfFrom(`/gemeenten/${municipality}/rondes/nieuw`);
  const res = await client.post(`/gemeenten/${municipality}/rondes`, { csrf, instrument: INSTRUMENT, title, mode, labels });
  assert.equal(res.status, 303, `create round "${title}": ${textOf(res.text_).slice(0, 300)}`);
  return Number(res.headers.get('location').match(/^\/rondes\/(\d+)$/)[1]);
}

// The invitation paths of a round, in participant order, from the round page.
async function invitations(client, round) {
  const page = await client.get(`/rondes/${round}`);
  const links = [...page.text_.matchAll(/<input class="utrecht-textbox link-box"[^>]*value="([^"]+)"/g)];
  return links.map((m) => new URL(m[1]).pathname);
}

// Answers step 1 (scores by statement letter, 'dont_know' allowed), optionally more of the
// given steps, and hands in, as a participant without an account.
async function answer(base, path, scores, { step2 = null, submit = true } = {}) {
  const p = new Client(base);
  assert.equal((await p.get(path)).status, 200, `GET ${path}`);
  const csrf = await p.csrfFrom(`${path}/stap/1`);
  const fields = [['csrf', csrf], ['ga', 'volgende']];
  for (const [letter, value] of Object.entries(scores)) fields.push([`stelling-${letter}.value`, String(value)]);
  let res = await p.request('POST', `${path}/stap/1`, { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.status, 303, `POST ${path}/stap/1`);
  if (step2) {
    res = await p.request('POST', `${path}/stap/2`, { body: new URLSearchParams([['csrf', csrf], ['ga', 'volgende'], ...step2]).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.status, 303, `POST ${path}/stap/2: ${textOf(res.text_).slice(0, 300)}`);
  }
  if (submit) {
    res = await p.post(`${path}/inleveren`, { csrf });
    assert.equal(res.status, 303, `POST ${path}/inleveren`);
  }
}

// Splits the CSV (BOM removed) into rows of cells; quoted cells as RFC 4180 says.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

describe('exports of a round', () => {
  let server;
  const a = {}, b = {};
  let round, repeat, formula;
  before(async () => {
    assert.ok(PYTHON, 'python3 with openpyxl (Debian python3-openpyxl) is installed');
    server = await startServer();
    for (const [who, user] of [[a, COORD_A], [b, COORD_B]]) {
      who.client = new Client(server.url);
      assert.equal((await who.client.login(user)).status, 303, `login ${user.email}`);
      who.municipality = Number((await who.client.get('/dashboard')).headers.get('location').match(/(\d+)$/)[1]);
    }
    round = await createRound(a.client, a.municipality, { title: 'Armoede en gezondheid 2027', mode: 'meeting', labels: 'Armoede\nGGD' });
    const [armoede, ggd] = await invitations(a.client, round);
    await answer(server.url, armoede, { a: 4, b: 2, c: 3, d: 5, e: 'dont_know', f: 1 }, {
      step2: [['vraag-1.option', 'veel-inwoners'], ['vraag-1.option', 'anders'], ['vraag-1.other.anders', 'Via de huisartsen']],
    });
    await answer(server.url, ggd, { a: 2, b: 2, c: 4, d: 5, e: 3, f: 1 }, { step2: [['vraag-1.option', 'veel-inwoners']] });
    // In the meeting they agree on 3 for statement A, and add an action.
    let csrf = await a.client.csrfFrom(`/rondes/${round}/resultaten`);
    let res = await a.client.post(`/rondes/${round}/afspraken`, { csrf, 'agreed.stelling-a': '3', 'note.stelling-a': 'Samen besproken' });
    assert.equal(res.status, 303, 'agreed scores saved');
    csrf = await a.client.csrfFrom(`/rondes/${round}/acties`);
    res = await a.client.post(`/rondes/${round}/acties`, { csrf, theme: 'A', description: 'Visie schrijven met de GGD', owner: 'Petra', department: 'Sociaal domein', due: '2030-06-30', status: 'bezig' });
    assert.equal(res.status, 303, 'action added');
    // A round whose labels look like spreadsheet formulas.
    formula = await createRound(a.client, a.municipality, { title: 'Formules', mode: 'separate', labels: '=1+1\n+GGD\n@Wijk\n-Zorg\nNormaal' });
    const [first] = await invitations(a.client, formula);
    await answer(server.url, first, { a: 3, b: 3, c: 3, d: 3, e: 3, f: 3 });
  });
  after(async () => { await server?.stop(); });

  it('the Excel workbook holds every sheet with the scores as numbers', async () => {
    const res = await download(a.client, `/rondes/${round}/export.xlsx`);
    assert.equal(res.status, 200, 'GET export.xlsx');
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="resultaten-Armoede-en-gezondheid-2027.xlsx"');
    assert.equal(res.bytes.subarray(0, 2).toString('latin1'), 'PK', 'the workbook is a zip file');
    const book = readXlsx(res.bytes);
    assert.deepEqual(book.sheets, ['Stap 1', "Thema's", 'Wat opvalt', 'Stap 2', 'Acties', 'Deelnemers']);
    for (const name of book.sheets) {
      assert.equal(book.data[name].header_bold, true, `${name}: header row in bold`);
      assert.match(book.data[name].freeze, /^[A-Z]2$/, `${name}: header row frozen`);
      assert.ok(Object.keys(book.data[name].widths).length > 0, `${name}: column widths set`);
    }

    const step1 = book.data['Stap 1'];
    assert.deepEqual(step1.rows[0], ['Nummer', 'Stelling', 'Armoede', 'GGD', 'Gemiddeld', 'Verschil', 'Weet niet', 'Afgesproken score', 'Notitie']);
    assert.equal(step1.freeze, 'C2', 'Stap 1 keeps number and statement in view');
    const a1 = step1.rows[1];
    assert.equal(a1[0], 'A.');
    assert.match(a1[1], /duidelijke visie/);
    assert.deepEqual(a1.slice(2), [4, 2, 3, 2, 0, 3, 'Samen besproken'], 'statement A: scores, mean, spread, dont know, agreed, note');
    assert.equal(step1.types[1][2], 'n', 'a score is a number');
    assert.equal(step1.formats[1][4], '0.0', 'the mean has one decimal');
    const e = step1.rows[5];
    assert.deepEqual(e.slice(2, 7), ['weet niet', 3, 3, 0, 1], 'statement E: "weet niet" counts, not as a score');
    assert.equal(step1.rows[3][4], 3.5, 'statement C: mean 3.5');
    assert.equal(step1.rows.length, 7, 'six statements');

    const themes = book.data["Thema's"];
    assert.deepEqual(themes.rows[0], ['Thema', 'Gemiddeld', 'Verschil', 'Weet niet', 'Aantal scores']);
    assert.deepEqual(themes.rows[1], ['A. Visie op armoede, schulden en gezondheid', 3, 2, 0, 2]);
    assert.deepEqual(themes.rows[5], ['E. De rol van de gemeente', 3, 0, 1, 1]);
    assert.equal(themes.formats[1][1], '0.0');

    const observations = book.data['Wat opvalt'].rows.slice(1).map((r) => r[0]);
    assert.ok(observations.some((o) => /Armoede/.test(o) && /GGD/.test(o)), `an observation names who differ: ${observations.join(' | ')}`);

    const step2 = book.data['Stap 2'].rows;
    assert.deepEqual(step2[0], ['Vraag', 'Antwoord', 'Aantal keer', 'Gekozen door']);
    const many = step2.find((r) => r[1] === 'Veel van onze inwoners kampen zowel met armoede als met gezondheidsproblemen.');
    assert.ok(many, 'the chosen option of question 1 is listed');
    assert.match(many[0], /^1\. Wat zijn voor onze gemeente redenen/);
    assert.deepEqual(many.slice(2), [2, 'Armoede, GGD']);
    const freeHeader = step2.findIndex((r) => r[0] === 'Vraag' && r[1] === 'Ingevulde tekst');
    assert.ok(freeHeader > 0, 'a second part lists the free texts');
    assert.deepEqual(step2[freeHeader][2], 'Ingevuld door');
    assert.ok(step2.slice(freeHeader).some((r) => /Via de huisartsen/.test(r[1]) && r[2] === 'Armoede'), 'the "anders" text with who wrote it');

    const actions = book.data.Acties.rows;
    assert.deepEqual(actions[0], ['Thema', 'Actie', 'Wie', 'Afdeling', 'Klaar op', 'Status']);
    assert.equal(actions[1][0], 'A. Visie op armoede, schulden en gezondheid');
    assert.deepEqual(actions[1].slice(1, 4), ['Visie schrijven met de GGD', 'Petra', 'Sociaal domein']);
    assert.match(String(actions[1][4]), /^2030-06-30/, 'the due date is a date');
    assert.equal(book.data.Acties.types[1][4], 'd');
    assert.equal(actions[1][5], 'Bezig');

    const people = book.data.Deelnemers.rows;
    assert.deepEqual(people[0], ['Deelnemer', 'Status', 'Ingeleverd op']);
    assert.deepEqual(people.slice(1).map((r) => r.slice(0, 2)), [['Armoede', 'Ingeleverd'], ['GGD', 'Ingeleverd']]);
    assert.equal(book.data.Deelnemers.types[1][2], 'd', 'the moment of handing in is a date');
  });

  it('the CSV of step 1 opens in Dutch Excel', async () => {
    const res = await download(a.client, `/rondes/${round}/export.csv`);
    assert.equal(res.status, 200, 'GET export.csv');
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="resultaten-Armoede-en-gezondheid-2027.csv"');
    assert.deepEqual([...res.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 byte order mark');
    const text = res.bytes.subarray(3).toString('utf8');
    assert.ok(text.endsWith('\r\n'), 'lines end in CRLF');
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], ['Stelling', 'Armoede', 'GGD', 'Gemiddeld', 'Verschil', 'Weet niet']);
    assert.equal(rows.length, 7, 'a header and six statements');
    assert.match(rows[1][0], /^A\. Onze gemeente heeft een duidelijke visie/);
    assert.deepEqual(rows[1].slice(1), ['4', '2', '3,0', '2', '0']);
    assert.deepEqual(rows[3].slice(1), ['3', '4', '3,5', '1', '0'], 'the mean with a decimal comma');
    assert.deepEqual(rows[5].slice(1), ['weet niet', '3', '3,0', '0', '1']);
  });

  it('labels that look like formulas are neutralised in the CSV and stay text in Excel', async () => {
    const res = await download(a.client, `/rondes/${formula}/export.csv?concepten=1`);
    assert.equal(res.status, 200);
    const rows = parseCsv(res.bytes.subarray(3).toString('utf8'));
    assert.deepEqual(rows[0].slice(1, 6), ["'=1+1", "'+GGD", "'@Wijk", "'-Zorg", 'Normaal']);
    assert.deepEqual(rows[1].slice(1, 7), ['3', '', '', '', '', '3,0']);
    const book = readXlsx((await download(a.client, `/rondes/${formula}/export.xlsx?concepten=1`)).bytes);
    assert.equal(book.formulas, false, 'the workbook holds no formula');
    assert.deepEqual(book.data['Stap 1'].rows[0].slice(2, 7), ['=1+1', '+GGD', '@Wijk', '-Zorg', 'Normaal']);
    assert.equal(book.data['Stap 1'].types[0][2], 's', 'the label is a string');
  });

  it('the print page shows the whole round for the alderman', async () => {
    const res = await a.client.get(`/rondes/${round}/afdruk`);
    assert.equal(res.status, 200, 'GET afdruk');
    assertNoInlineCode(res.text_, 'print page');
    const text = textOf(res.text_);
    for (const expected of ['Armoede en gezondheid 2027', COORD_A.municipality, 'Wat opvalt', 'Scores per thema',
      'Armoede Ingeleverd', 'GGD Ingeleverd', 'Afgesproken score', 'Samen besproken', 'Visie schrijven met de GGD', 'Petra', 'Sociaal domein', '2030-06-30', 'Bezig']) {
      assert.ok(text.includes(expected), `print page shows "${expected}"`);
    }
    assert.match(res.text_, /<svg[^>]*class="chart chart--radar"/, 'the radar chart');
    assert.match(text, /A\. Visie op armoede, schulden en gezondheid 3,0 2 0/, 'theme A: mean, spread, dont know');
    assert.match(text, /C\. Onze gemeente legt[^]*? 3 4 3,5 1 0/, 'statement C: scores and mean');
    assert.ok(!text.includes('print_') && !text.includes('export_'), 'every text has its locale key');
  });

  it('the trend of a single round says it comes after repeating', async () => {
    const res = await a.client.get(`/rondes/${formula}/trend`);
    assert.equal(res.status, 200);
    assertNoInlineCode(res.text_, 'trend page, one round');
    assert.ok(textOf(res.text_).includes('Herhaal deze ronde'), 'points to "Herhaal deze ronde"');
    assert.ok(!res.text_.includes('<svg'), 'no chart for one round');
  });

  it('the trend shows every round of the chain, oldest first, from either round', async () => {
    const csrf = await a.client.csrfFrom(`/rondes/${round}`);
    const res = await a.client.post(`/rondes/${round}/herhalen`, { csrf });
    assert.equal(res.status, 303, 'repeat the round');
    repeat = Number(res.headers.get('location').match(/(\d+)$/)[1]);
    const [armoede, ggd] = await invitations(a.client, repeat);
    await answer(server.url, armoede, { a: 5, b: 2, c: 3, d: 5, e: 3, f: 2 });
    await answer(server.url, ggd, { a: 5, b: 2, c: 4, d: 5, e: 3, f: 1 });
    for (const id of [round, repeat]) {
      const page = await a.client.get(`/rondes/${id}/trend`);
      assert.equal(page.status, 200, `GET /rondes/${id}/trend`);
      assertNoInlineCode(page.text_, `trend of ${id}`);
      const text = textOf(page.text_);
      assert.match(text, /A\. Visie op armoede, schulden en gezondheid 3,0 5,0/, `trend of ${id}: theme A from 3,0 to 5,0`);
      assert.match(text, /F\. Draagvlak en randvoorwaarden 1,0 1,5/, `trend of ${id}: theme F`);
      assert.match(text, /gestegen van 3,0 naar 5,0/, `trend of ${id}: what rose`);
      assert.match(page.text_, /<svg[^>]*aria-hidden="true"/, `trend of ${id}: the chart is hidden from screen readers`);
      const head = textOf(page.text_.match(/<thead[^]*?<\/thead>/)[0]);
      assert.match(head, /^ ?Thema Armoede en gezondheid 2027 \d\d-\d\d-\d{4}.* Armoede en gezondheid 2027 \(herhaling/, `trend of ${id}: oldest first`);
    }
  });

  it('a round nobody answered yet exports too, under a plain file name', async () => {
    const empty = await createRound(a.client, a.municipality, { title: 'Één — ‘Zuidoost’ & co.', mode: 'separate', labels: 'Armoede' });
    for (const [path, name] of [['export.xlsx', 'resultaten-Een-Zuidoost-co.xlsx'], ['export.csv', 'resultaten-Een-Zuidoost-co.csv']]) {
      const res = await download(a.client, `/rondes/${empty}/${path}`);
      assert.equal(res.status, 200, `GET ${path} of a round without answers`);
      assert.equal(res.headers.get('content-disposition'), `attachment; filename="${name}"`, `${path}: ASCII file name`);
    }
    const book = readXlsx((await download(a.client, `/rondes/${empty}/export.xlsx`)).bytes);
    assert.equal(book.data['Stap 1'].rows.length, 7, 'the statements without scores');
    assert.deepEqual(book.data.Deelnemers.rows[1], ['Armoede', 'Nog niet begonnen', null]);
    for (const path of ['afdruk', 'trend']) {
      const res = await a.client.get(`/rondes/${empty}/${path}`);
      assert.equal(res.status, 200, `GET ${path} of a round without answers`);
    }
  });

  it('coordinator B gets 404 for all four', async () => {
    for (const path of ['export.xlsx', 'export.csv', 'afdruk', 'trend']) {
      for (const id of [round, formula]) {
        const res = await b.client.get(`/rondes/${id}/${path}`);
        assert.equal(res.status, 404, `B: GET /rondes/${id}/${path}`);
        assert.ok(!res.text_.includes('Armoede en gezondheid 2027') && !res.text_.includes('Formules'), `B: /rondes/${id}/${path} leaks the title`);
        assert.ok(!(res.headers.get('content-disposition') || '').includes('attachment'), `B: /rondes/${id}/${path} is no download`);
      }
    }
    const missing = await a.client.get('/rondes/987654/export.xlsx');
    assert.equal(missing.status, 404, 'a round that does not exist');
  });
});
