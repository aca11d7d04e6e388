// A live meeting in a real browser: a facilitator with the projector screen (1920x1080) and
// three participants in browser contexts of their own (one on a phone) go through two
// statements. They join through the short link on the screen; the facilitator opens
// statement A, the participants' pages follow by themselves, their answers appear on the
// screen without a reload, the facilitator reveals who said what, records the agreed score
// and goes on to statement B. Also: the screen without JavaScript refreshes itself, and a
// screen whose stream is refused (204, as beyond --max-streams) polls instead. Pages are
// checked with axe (WCAG 2.1 A/AA), for console errors and CSP violations; screenshots are
// kept in build/test-results/screenshots/meeting-*.png (the projector view at 1920x1080).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gids, Client, COORD_A } from '../http/lib/server.mjs';
import { browserSuite, visit, follow, checkPage, takeProblems, shot } from './lib/browser.mjs';

const PROJECTOR = { viewport: { width: 1920, height: 1080 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const TITLE = 'Bijeenkomst armoede en gezondheid';
const STATEMENT_A = 'A. Onze gemeente heeft een duidelijke visie op de verbinding tussen armoede en gezondheid.';
const STATEMENT_B = 'B. Onze gemeente heeft goed zicht op de lokale problematiek en kansen.';
// The participants' page polls every 2 s; the screen follows by Server-Sent Events.
const FOLLOW_TIMEOUT = 10_000;

const suite = browserSuite('meeting', { clear: 'meeting-' });
const { openPage, step, assertServerRunning } = suite;

const pathOf = (page) => new URL(page.url()).pathname;

// A meeting round of coordinator A, through the JSON API.
async function createRound(labels, srv = suite.server) {
  const t = gids(['token', 'create', '--db', srv.db, '--email', COORD_A.email]);
  assert.equal(t.code, 0, `gids token create --email ${COORD_A.email}: ${t.stderr}`);
  const res = await fetch(`${srv.url}/api/v1/assessments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.stdout.trim()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ instrument: 'gesprekstool-armoede-gezondheid', title: TITLE, mode: 'meeting', participants: labels.map((label) => ({ label })) }),
  });
  assert.equal(res.status, 201, `POST /api/v1/assessments (mode meeting): ${await res.clone().text()}`);
  return res.json();
}

// The facilitator's screen: marks the document, so that a reload (which would lose the
// mark) can be told apart from the live part being updated in place.
async function markDocument(page) {
  await page.evaluate(() => { window.__meetingMark = 'niet herladen'; });
}
async function assertNotReloaded(page, what) {
  assert.equal(await page.evaluate(() => window.__meetingMark), 'niet herladen', `the screen was not reloaded: ${what}`);
}

// The number of times each answer was given, from the screen's table: { '4 – mee eens': 2, ... }.
async function distribution(page) {
  const rows = await page.locator('table.meeting__table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  return Object.fromEntries(rows.map(([label, n]) => [label, Number(n)]));
}

// The bars drawn on the screen: the width of each bar, in order.
async function barWidths(page) {
  return page.locator('.meeting__bars svg rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
}

// Whether the checked radio button in `scope` looks different from an unchecked one: its
// border, fill or mark. A participant must see what they chose.
async function checkedLooksChecked(scope) {
  return scope.getByRole('radio').evaluateAll((radios) => {
    const look = (el) => {
      const cs = getComputedStyle(el);
      const mark = getComputedStyle(el, '::before');
      return [cs.backgroundColor, cs.backgroundImage, cs.borderColor, cs.borderWidth, cs.boxShadow, cs.color,
        mark.content, mark.backgroundColor, mark.width].join(' | ');
    };
    const checked = radios.find((r) => r.checked);
    const other = radios.find((r) => !r.checked);
    return !checked || !other || look(checked) !== look(other);
  });
}

async function waitForCount(page, answered, total, what) {
  await page.locator('.meeting__count').filter({ hasText: `Antwoorden: ${answered} van ${total}` })
    .waitFor({ timeout: FOLLOW_TIMEOUT })
    .catch(async (err) => {
      const now = await page.locator('.meeting__count').innerText().catch(() => '(none)');
      throw new Error(`${what}: the screen did not show "Antwoorden: ${answered} van ${total}" within ${FOLLOW_TIMEOUT} ms; it shows "${now}"`, { cause: err });
    });
}

test('a facilitator and three participants go through two statements', { timeout: 120_000 }, async () => {
  const round = await createRound(['Armoede', 'Gezondheid', 'GGD']);
  const screenPath = `/rondes/${round.id}/bijeenkomst`;
  const screen = await openPage(PROJECTOR);
  let joinPath;

  await step(screen, 'screen-start', async () => {
    await visit(screen, '/inloggen', 'meeting-00-login');
    await screen.getByLabel('E-mailadres').fill(COORD_A.email);
    await screen.getByLabel('Wachtwoord').fill(COORD_A.password);
    await follow(screen, screen.getByRole('button', { name: 'Inloggen' }));
    await visit(screen, screenPath, 'meeting-01-screen-nothing-open');
    assert.equal(await screen.getByRole('heading', { level: 1 }).innerText(), TITLE, `${screenPath}: the round title`);
    await screen.getByText('De gespreksleider opent zo de eerste stelling.').waitFor();
    await screen.getByRole('img', { name: 'QR-code om mee te doen' }).waitFor();
    const link = await screen.locator('.meeting__link strong').innerText();
    assert.match(link, new RegExp(`^${suite.server.url}/m/${round.id}-[A-HJKMNP-Z2-9]{6}$`), `${screenPath}: the short join link`);
    joinPath = new URL(link).pathname;
    assert.match(await screen.locator('.meeting__joined').innerText(), /Aangemeld: 0 van 3/, `${screenPath}: nobody has joined yet`);
    await markDocument(screen);
  });

  // The participants join through the link on the screen.
  // Chosen options that do not look chosen; reported at the end, so that the journey runs on.
  const invisible = [];
  const people = [
    { label: 'Armoede', options: {}, a: '4 mee eens', b: '2 niet mee eens' },
    { label: 'Gezondheid', options: PHONE, phone: true, a: '2 niet mee eens', b: '2 niet mee eens' },
    { label: 'GGD', options: {}, a: '4 mee eens', b: 'weet niet' },
  ];
  for (const [n, p] of people.entries()) {
    p.page = await openPage(p.options);
    p.key = `meeting-p-${p.label.toLowerCase()}${p.phone ? '-phone' : ''}`;
    await step(p.page, `${p.key}-join`, async () => {
      // axe on the join page and the waiting page once; every page is checked for problems.
      await visit(p.page, joinPath, `${p.key}-01-join`, { axe: n === 0 || p.phone });
      assert.equal(await p.page.getByRole('heading', { level: 1 }).innerText(), TITLE, `${joinPath}: the round title`);
      const choices = await p.page.getByRole('radio').evaluateAll((els) => els.map((e) => e.labels[0].textContent.trim()));
      assert.deepEqual(choices.map((c) => c.replace(/ \(al aangemeld\)$/, '')), ['Armoede', 'Gezondheid', 'GGD'], `${joinPath}: the participants to choose from`);
      await p.page.getByRole('radio', { name: p.label }).check();
      if (!(await checkedLooksChecked(p.page.locator('main')))) invisible.push(`${joinPath}: the chosen name "${p.label}"`);
      await follow(p.page, p.page.getByRole('button', { name: 'Meedoen' }), { name: `${p.key}-02-waiting`, axe: n === 0 || p.phone });
      assert.match(pathOf(p.page), /^\/i\/[A-Za-z0-9_-]+\/live$/, `after "Meedoen" as ${p.label}: the live page`);
      assert.ok((await p.page.locator('.participate__who').innerText()).endsWith(`· ${p.label}`), `the live page says it is ${p.label}'s`);
      await p.page.getByRole('heading', { name: 'Even wachten' }).waitFor();
    });
    await step(screen, `screen-joined-${n + 1}`, async () => {
      await screen.locator('.meeting__joined').filter({ hasText: `Aangemeld: ${n + 1} van 3` }).waitFor({ timeout: FOLLOW_TIMEOUT });
      await screen.locator('.meeting__person--joined', { hasText: p.label }).waitFor();
      await assertNotReloaded(screen, `after ${p.label} joined`);
    });
  }
  await shot(screen, 'meeting-02-screen-everyone-joined');

  const statements = [
    { key: 'a', title: STATEMENT_A, open: (s) => openFromList(s, 'stelling-a'), agreed: '3', note: 'Visie bestaat, verbinding nog niet uitgewerkt' },
    { key: 'b', title: STATEMENT_B, open: (s) => nextStatement(s), agreed: '2', note: 'Zicht op problematiek ontbreekt in de wijken' },
  ];
  async function openFromList(s, value) {
    await s.getByLabel('Open op het scherm').selectOption(value);
    await follow(s, s.getByRole('button', { name: 'Openen' }));
  }
  async function nextStatement(s) {
    await follow(s, s.getByRole('button', { name: 'Volgende stelling' }));
  }

  for (const st of statements) {
    const prefix = `meeting-${st.key}`;
    await step(screen, `${prefix}-open`, async () => {
      await st.open(screen);
      assert.equal(pathOf(screen), screenPath, 'the facilitator is back on the screen');
      await checkPage(screen, `${prefix}-01-screen-opened`);
      assert.equal(await screen.locator('.meeting__title').innerText(), st.title, 'the open statement on the screen');
      await waitForCount(screen, 0, 3, `after opening ${st.key.toUpperCase()}`);
      assert.ok((await barWidths(screen)).every((w) => w === 0), 'no bars yet');
      assert.equal(await screen.locator('.meeting__who').count(), 0, 'names are hidden');
      await markDocument(screen);
    });

    const expected = {};
    for (const [n, p] of people.entries()) {
      const statement = p.page.getByRole('group', { name: st.title });
      await step(p.page, `${p.key}-${st.key}`, async () => {
        // The participant's page follows the facilitator by itself.
        await statement.waitFor({ timeout: FOLLOW_TIMEOUT });
        const choice = st.key === 'a' ? p.a : p.b;
        await statement.getByRole('radio', { name: choice, exact: true }).check();
        await follow(p.page, p.page.getByRole('button', { name: 'Antwoord versturen' }));
        await p.page.getByRole('status').filter({ hasText: 'Uw antwoord is verstuurd.' }).waitFor();
        assert.ok(await statement.getByRole('radio', { name: choice, exact: true }).isChecked(), `${p.label}'s answer "${choice}" stays chosen`);
        if (!(await checkedLooksChecked(statement))) invisible.push(`${pathOf(p.page)}: ${p.label}'s answer "${choice}" to ${st.key.toUpperCase()}`);
        if (p.phone || n === 0) await checkPage(p.page, `${p.key}-${st.key}-answered`, { axe: st.key === 'a' });
        if (p.phone) {
          const size = await p.page.evaluate(() => ({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth }));
          assert.ok(size.scrollWidth <= size.innerWidth, `the live page on a phone does not scroll sideways: ${JSON.stringify(size)}`);
        }
        const row = choice === 'weet niet' ? 'weet niet' : choice.replace(/^(\d) /, '$1 – ');
        expected[row] = (expected[row] || 0) + 1;
      });
      await step(screen, `${prefix}-answer-${n + 1}`, async () => {
        await waitForCount(screen, n + 1, 3, `after ${p.label} answered ${st.key.toUpperCase()}`);
        const counts = await distribution(screen);
        for (const [row, count] of Object.entries(expected)) {
          assert.equal(counts[row], count, `the screen's table after ${n + 1} answers: "${row}" given ${count} time(s): ${JSON.stringify(counts)}`);
        }
        assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), n + 1, `the screen's table counts ${n + 1} answers`);
        assert.equal((await barWidths(screen)).filter((w) => w > 0).length, Object.keys(expected).length, 'a bar for each answer given');
        assert.equal(await screen.locator('.meeting__who').count(), 0, 'names stay hidden until revealed');
        await assertNotReloaded(screen, `after ${p.label} answered ${st.key.toUpperCase()}`);
      });
    }
    await shot(screen, `${prefix}-02-screen-answers`);

    await step(screen, `${prefix}-names`, async () => {
      await follow(screen, screen.getByRole('button', { name: 'Laat zien wie wat zei' }));
      await checkPage(screen, `${prefix}-03-screen-names`, { axe: st.key === 'a' });
      const who = await screen.locator('.meeting__who li').allInnerTexts();
      const said = people.map((p) => {
        const choice = st.key === 'a' ? p.a : p.b;
        return `${p.label}: ${choice === 'weet niet' ? 'weet niet' : choice.split(' ')[0]}`;
      });
      assert.deepEqual(who, said, 'who said what, once revealed');
      await screen.getByRole('button', { name: 'Namen weer verbergen' }).waitFor();
    });

    await step(screen, `${prefix}-agreed`, async () => {
      await screen.getByLabel('Afgesproken score').selectOption(st.agreed);
      await screen.getByLabel('Notitie').fill(st.note);
      await follow(screen, screen.getByRole('button', { name: 'Afspraak opslaan' }));
      await checkPage(screen, `${prefix}-04-screen-agreed`, { axe: st.key === 'a' });
      assert.equal(await screen.locator('.meeting__agreed').innerText(), `Afgesproken score: ${st.agreed} — ${st.note}`, 'the agreed score on the screen');
    });
  }

  await step(screen, 'results', async () => {
    await visit(screen, `/rondes/${round.id}/resultaten`, 'meeting-09-results', { axe: false });
    const table = screen.locator('table.results-table');
    for (const st of statements) {
      const row = table.getByRole('row').filter({ hasText: st.title.slice(0, 40) });
      assert.equal((await row.getByRole('cell').allInnerTexts()).at(-1), `${st.agreed}\n${st.note}`, `the results page shows the agreed score and note of ${st.key.toUpperCase()}`);
    }
  });

  for (const page of [screen, ...people.map((p) => p.page)]) {
    assert.deepEqual(takeProblems(page), [], `problems left on ${page.url()}`);
  }
  assert.deepEqual(invisible, [], 'a checked radio button looks the same as an unchecked one (same border, fill and mark), '
    + 'so a participant cannot see what they chose');
});

// A participant answering from a phone without a browser here: the live form as posted.
async function answerOverHttp(srv, token, item, value) {
  const c = new Client(srv.url);
  const page = await c.get(`/i/${token}/live`);
  assert.equal(page.status, 200, `GET /i/${token}/live`);
  const res = await c.post(`/i/${token}/live`, [['csrf', c.cookies.get('gids_csrf')], ['onderdeel', item], [`${item}.value`, value]]);
  assert.equal(res.status, 303, `POST /i/${token}/live onderdeel=${item} ${item}.value=${value}`);
}

async function loginScreen(page) {
  await page.goto('/inloggen');
  await page.getByLabel('E-mailadres').fill(COORD_A.email);
  await page.getByLabel('Wachtwoord').fill(COORD_A.password);
  await follow(page, page.getByRole('button', { name: 'Inloggen' }));
}

test('without JavaScript the screen refreshes itself and shows new answers', { timeout: 60_000 }, async () => {
  const round = await createRound(['Armoede', 'Gezondheid']);
  const screenPath = `/rondes/${round.id}/bijeenkomst`;
  const c = new Client(suite.server.url);
  assert.equal((await c.login(COORD_A)).status, 303, 'login as coordinator A');
  const csrf = Client.csrf((await c.get(screenPath)).text_);
  assert.equal((await c.post(`${screenPath}/openen`, { csrf, onderdeel: 'stelling-c' })).status, 303, `POST ${screenPath}/openen stelling-c`);

  const screen = await openPage({ ...PROJECTOR, javaScriptEnabled: false });
  await step(screen, 'nojs-screen', async () => {
    await loginScreen(screen);
    await visit(screen, screenPath, 'meeting-20-screen-no-javascript', { axe: false });
    await waitForCount(screen, 0, 2, 'the screen without JavaScript');
    await answerOverHttp(suite.server, round.invitations[0].token, 'stelling-c', '5');
    // The page refreshes every few seconds by itself.
    await screen.locator('.meeting__count').filter({ hasText: 'Antwoorden: 1 van 2' }).waitFor({ timeout: 12_000 });
    assert.deepEqual(await distribution(screen).then((d) => d['5 – helemaal mee eens']), 1, 'the answer 5 is counted on the refreshed screen');
    assert.deepEqual(takeProblems(screen), [], `problems on ${screenPath} without JavaScript`);
  });
});

// The server answers 204 to a stream beyond --max-streams (tests/http/meeting.test.mjs checks
// that); here the browser gets that 204 for every stream request and must fall back to polling.
test('when the stream is refused with 204 (as beyond the cap), the screen polls and still updates without reload', { timeout: 60_000 }, async () => {
  const round = await createRound(['Armoede', 'Gezondheid']);
  const screenPath = `/rondes/${round.id}/bijeenkomst`;
  const c = new Client(suite.server.url);
  assert.equal((await c.login(COORD_A)).status, 303, 'login as coordinator A');
  const csrf = Client.csrf((await c.get(screenPath)).text_);
  assert.equal((await c.post(`${screenPath}/openen`, { csrf, onderdeel: 'stelling-d' })).status, 303, `POST ${screenPath}/openen stelling-d`);

  const screen = await openPage(PROJECTOR);
  const refused = [];
  await screen.route('**/bijeenkomst/stroom*', (route) => {
    refused.push(route.request().resourceType());
    return route.fulfill({ status: 204, headers: { 'cache-control': 'no-store' }, body: '' });
  });
  await step(screen, 'refused-screen', async () => {
    await loginScreen(screen);
    await visit(screen, screenPath, 'meeting-21-screen-stream-refused');
    for (let i = 0; i < 20 && !refused.length; i++) await screen.waitForTimeout(100);
    assert.deepEqual(refused, ['eventsource'], 'the screen asked for the stream once and was refused');
    await markDocument(screen);
    await answerOverHttp(suite.server, round.invitations[1].token, 'stelling-d', '1');
    await waitForCount(screen, 1, 2, 'the screen that polls');
    await assertNotReloaded(screen, 'the screen polls instead of reloading');
    assert.deepEqual(refused, ['eventsource'], 'the refused stream is not asked for again and again');
    assert.deepEqual(takeProblems(screen), [], `problems on ${screenPath} with the stream refused`);
  });
});
