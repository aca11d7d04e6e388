// A round in a real browser: a coordinator starts one (also making a mistake first), two
// participants fill it in through their own links in browsers of their own, one of them on a
// phone, and the coordinator reads the results side by side and takes the proposed actions
// over onto the action agenda; a participant whose round closes while a step is open is led
// back to the answers. Every page is checked with axe (WCAG 2.1 A/AA), for console
// errors and CSP violations, and screenshotted to build/test-results/screenshots/rounds-*.png;
// the phone pages must not scroll sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, COORD_A } from '../http/lib/server.mjs';
import { browserSuite, visit, follow, checkPage, takeProblems, shot } from './lib/browser.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const TITLE = 'Armoede en gezondheid 2027';

const suite = browserSuite('rounds');
const { openPage, step, assertServerRunning } = suite;

function pathOf(page) {
  return new URL(page.url()).pathname;
}

async function assertNoSidewaysScrolling(page, name) {
  const size = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  // A mobile browser zooms out to fit content that is too wide (innerWidth then grows), so
  // the layout viewport must stay 390 px wide as well.
  assert.equal(size.clientWidth, 390, `"${name}" on a phone: layout viewport ${JSON.stringify(size)}`);
  assert.ok(size.scrollWidth <= size.innerWidth && size.innerWidth <= 390,
    `"${name}" on a phone scrolls sideways: ${JSON.stringify(size)}`);
}

// With JavaScript, assets/gids.js posts every answer to /i/{token}/antwoord as soon as it is
// given, and the server answers 422 while an answer is still incomplete (an "other" option
// ticked before its text is typed, an action row whose theme is chosen before its text).
// The browser logs those as failed requests. The journey below records them here instead of
// failing on them; the last test of this file is about them.
const AUTOSAVE_REFUSAL = [
  /^fetch http:\/\/[^ ]+\/i\/[^/ ]+\/antwoord answered 422$/,
  /^console error: Failed to load resource: the server responded with a status of 422 \(Unprocessable Entity\) \(http:\/\/[^ ]+\/i\/[^/ ]+\/antwoord\)$/,
];
const autosaveRefusals = [];

// Checks the page (axe, problems, screenshot) and, on a phone, that it fits the screen.
async function checkParticipantPage(page, name, phone) {
  const problems = takeProblems(page);
  const refused = problems.filter((p) => AUTOSAVE_REFUSAL.some((re) => re.test(p)));
  autosaveRefusals.push(...refused.map((p) => `before ${name}: ${p}`));
  const other = problems.filter((p) => !refused.includes(p));
  assert.deepEqual(other, [], `problems on the page before "${name}" (${page.url()})`);
  await checkPage(page, name);
  if (phone) await assertNoSidewaysScrolling(page, name);
}

// The fieldset of a question, by the start of its legend ("A.", "5." ...).
function question(page, number) {
  const escaped = number.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByRole('group', { name: new RegExp(`^${escaped} `) });
}

// A participant fills in the whole round through `link`.
async function fillIn(page, link, p) {
  const prefix = `rounds-${p.key}`;
  const phone = p.phone;

  await step(page, `${p.key}-intro`, async () => {
    await visit(page, link, `${prefix}-01-intro`);
    if (phone) await assertNoSidewaysScrolling(page, 'intro');
    await page.getByText(`U vult in als ${p.label}.`).waitFor();
    await follow(page, page.getByRole('link', { name: 'Beginnen' }));
    assert.match(pathOf(page), /\/stap\/1$/, `after "Beginnen" (${p.label})`);
    await checkParticipantPage(page, `${prefix}-02-step-1`, phone);
  });

  await step(page, `${p.key}-step-1`, async () => {
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Stap 1. De balans opmaken: waar staat onze gemeente?', `the heading of step 1 (${p.label})`);
    for (const [statement, label] of Object.entries(p.scores)) {
      await question(page, statement).getByLabel(label, { exact: true }).check();
    }
    await page.getByLabel('Wat opvalt ...').fill(p.opvalt);
    await follow(page, page.getByRole('button', { name: 'Opslaan en verder' }));
    assert.match(pathOf(page), /\/stap\/2$/, `after step 1 (${p.label})`);
    await checkParticipantPage(page, `${prefix}-03-step-2`, phone);
  });

  await step(page, `${p.key}-step-2`, async () => {
    const q1 = question(page, '1.');
    for (const option of p.q1) await q1.getByLabel(option, { exact: true }).check();
    const q5 = question(page, '5.');
    await q5.getByLabel('Nee, want', { exact: true }).check();
    if (p.forgetReason) {
      // "Nee, want" without saying why: the page comes back with the message next to it.
      await follow(page, page.getByRole('button', { name: 'Opslaan en verder' }), { status: 422 });
      await checkParticipantPage(page, `${prefix}-04-step-2-error`, phone);
      await page.getByRole('alert').filter({ hasText: 'Wat wel goed was, is bewaard.' }).waitFor();
      const reason = q5.getByLabel('Vul aan (Nee, want)');
      assert.equal(await reason.getAttribute('aria-invalid'), 'true', 'the reason field is marked invalid');
      const errorId = await reason.getAttribute('aria-describedby');
      const error = page.locator(`[id="${errorId}"]`);
      assert.equal((await error.innerText()).trim(), 'Vul in waarom u ‘Nee, want’ kiest.', 'the message next to the reason');
      assert.ok(await error.isVisible(), 'the message is visible');
      // What was chosen is still chosen.
      for (const option of p.q1) assert.ok(await q1.getByLabel(option, { exact: true }).isChecked(), `"${option}" still checked`);
      assert.ok(await q5.getByLabel('Nee, want', { exact: true }).isChecked(), '"Nee, want" still checked');
    }
    await q5.getByLabel('Vul aan (Nee, want)').fill(p.reason);
    await follow(page, page.getByRole('button', { name: 'Opslaan en verder' }));
    assert.match(pathOf(page), /\/stap\/3$/, `after step 2 (${p.label})`);
    await checkParticipantPage(page, `${prefix}-05-step-3`, phone);
  });

  await step(page, `${p.key}-step-3`, async () => {
    const row = page.getByRole('group', { name: 'Actie 1', exact: true });
    await row.getByLabel('Thema').selectOption(p.action.theme);
    await row.getByLabel('Wat gaan we doen?').fill(p.action.what);
    await row.getByLabel('Wie doet het?').fill(p.action.who);
    await row.getByLabel('Afdeling').fill(p.action.department);
    await row.getByLabel('Klaar op (datum)').fill(p.action.due);
    await follow(page, page.getByRole('button', { name: 'Alles nakijken en inleveren' }));
    assert.match(pathOf(page), /\/controle$/, `after step 3 (${p.label})`);
    await checkParticipantPage(page, `${prefix}-06-review`, phone);
  });

  await step(page, `${p.key}-review`, async () => {
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Nakijken en inleveren', `the heading of the review (${p.label})`);
    const review = await page.locator('main').innerText();
    assert.ok(review.includes(p.reason), `the review of ${p.label} shows the reason "${p.reason}"`);
    assert.ok(review.includes(p.action.what), `the review of ${p.label} shows the action "${p.action.what}"`);
    await follow(page, page.getByRole('button', { name: 'Inleveren' }));
    await checkParticipantPage(page, `${prefix}-07-submitted`, phone);
    await page.getByRole('status').filter({ hasText: 'U heeft uw antwoorden ingeleverd op' }).waitFor();
  });
}

test('a round from start to results: coordinator, two participants (one on a phone), results and agenda', { timeout: 55_000 }, async (t) => {
  const coord = await openPage();
  let roundPath;
  const links = {};

  await step(coord, 'coordinator-new-round', async () => {
    await visit(coord, '/inloggen', 'rounds-00-login');
    await coord.getByLabel('E-mailadres').fill(COORD_A.email);
    await coord.getByLabel('Wachtwoord').fill(COORD_A.password);
    await follow(coord, coord.getByRole('button', { name: 'Inloggen' }));
    await follow(coord, coord.getByRole('link', { name: 'Nieuwe ronde starten' }), { name: 'rounds-c01-new-round' });
    assert.match(pathOf(coord), /^\/gemeenten\/\d+\/rondes\/nieuw$/, 'the link "Nieuwe ronde starten" leads to the new-round form');

    // A mistake first: no title, a closing date in the past.
    await coord.getByLabel('Naam van de ronde').fill('');
    await coord.getByLabel('Samen in een bijeenkomst').check();
    await coord.getByLabel('Sluitingsdatum').fill('2020-01-01');
    await coord.getByLabel('Deelnemers').fill('Armoede\nGezondheid');
    await follow(coord, coord.getByRole('button', { name: 'Ronde starten' }), { status: 422, name: 'rounds-c02-new-round-errors' });
    await coord.getByRole('alert').filter({ hasText: 'Niet alles is goed ingevuld.' }).waitFor();
    const title = coord.getByLabel('Naam van de ronde');
    assert.equal(await title.getAttribute('aria-invalid'), 'true', 'the empty title is marked');
    assert.match(await title.getAttribute('aria-describedby'), /title-error/, 'the title points to its message');
    assert.equal((await coord.locator('#title-error').innerText()).trim(), 'Geef de ronde een naam, bijvoorbeeld ‘Armoede en gezondheid 2027’.', 'the message for an empty title');
    assert.equal((await coord.locator('#closes_on-error').innerText()).trim(), 'Deze datum is al voorbij. Kies een datum vanaf vandaag.', 'the message for closing date 2020-01-01');
    assert.equal(await coord.getByLabel('Deelnemers').inputValue(), 'Armoede\nGezondheid', 'the participants are kept');
    assert.ok(await coord.getByLabel('Samen in een bijeenkomst').isChecked(), 'the mode is kept');

    await title.fill(TITLE);
    await coord.getByLabel('Sluitingsdatum').fill('2099-12-31');
    await follow(coord, coord.getByRole('button', { name: 'Ronde starten' }), { name: 'rounds-c03-round' });
    roundPath = pathOf(coord);
    assert.match(roundPath, /^\/rondes\/\d+$/, `after starting the round with title "${TITLE}" the browser is at the round`);
    assert.equal(await coord.getByRole('heading', { level: 1 }).textContent(), TITLE, 'the heading of the new round');
    assert.equal(await coord.getByRole('status').innerText(), 'De ronde is gestart. Stuur de deelnemers hun link.', 'the flash after starting the round');
    for (const label of ['Armoede', 'Gezondheid']) {
      links[label] = await coord.getByLabel(`Link ${label}`, { exact: true }).inputValue();
      assert.ok(links[label].startsWith(`${suite.server.url}/i/`), `the link of ${label}: ${links[label]}`);
    }

    await follow(coord, coord.getByRole('link', { name: 'Uitnodigingen afdrukken (A4 met QR-codes)' }), { name: 'rounds-c04-invitation-sheet' });
    for (const label of ['Armoede', 'Gezondheid']) {
      const card = coord.getByRole('region', { name: `Deelnemer ${label}` });
      await card.getByRole('img', { name: `QR-code met de link voor ${label}` }).waitFor();
      assert.ok((await card.innerText()).includes(links[label]), `the card of ${label} shows the link`);
    }
  });

  // Two participants, each in a browser of their own; Gezondheid on a phone.
  const armoede = await openPage();
  await fillIn(armoede, links.Armoede, {
    key: 'armoede', label: 'Armoede', phone: false,
    scores: { 'A.': '2 niet mee eens', 'B.': '4 mee eens', 'C.': '3 neutraal', 'D.': 'weet niet', 'E.': '5 helemaal mee eens', 'F.': '2 niet mee eens' },
    opvalt: 'Armoede ziet weinig van de wijken.',
    q1: ['Veel van onze inwoners kampen zowel met armoede als met gezondheidsproblemen.'],
    reason: 'Er is geen budget',
    action: { theme: 'A', what: 'Visie op armoede en gezondheid opstellen', who: 'Beleidsadviseur', department: 'Sociaal domein', due: '2027-06-30' },
  });
  const gezondheid = await openPage(PHONE);
  await fillIn(gezondheid, links.Gezondheid, {
    key: 'gezondheid-phone', label: 'Gezondheid', phone: true, forgetReason: true,
    scores: { 'A.': '4 mee eens', 'B.': '3 neutraal', 'C.': '3 neutraal', 'D.': '2 niet mee eens', 'E.': '3 neutraal', 'F.': '5 helemaal mee eens' },
    opvalt: 'De GGD-monitor laat veel zien.',
    q1: ['We bedienen onze inwoners beter met een (levens)brede aanpak van problemen.'],
    reason: 'Het staat niet in de nota',
    action: { theme: 'D', what: 'Vroegsignalering samen met de GGD', who: 'Jeugdarts', department: 'GGD', due: '2027-09-01' },
  });

  await step(coord, 'coordinator-results', async () => {
    await visit(coord, roundPath, 'rounds-c05-round-submitted');
    assert.match(await coord.locator('.facts').innerText(), /Ingeleverd\s+2 van 2/, `${roundPath} after both submitted`);
    await follow(coord, coord.getByRole('link', { name: 'Resultaten bekijken' }), { name: 'rounds-c06-results' });
    const table = coord.locator('table.results-table');
    const headers = await table.locator('thead th').allInnerTexts();
    assert.deepEqual(headers.slice(0, 3), ['Stelling', 'Armoede', 'Gezondheid'], 'both participants side by side');
    const rowA = table.getByRole('row').filter({ hasText: 'A. Onze gemeente heeft een duidelijke visie' });
    assert.deepEqual((await rowA.getByRole('cell').allInnerTexts()).slice(0, 3), ['2', '4', '3,0'], 'statement A: both scores and the mean');
    assert.ok((await rowA.getByRole('rowheader').innerText()).includes('Bespreken: scores lopen uiteen'), 'statement A is marked for discussion');
    const rowB = table.getByRole('row').filter({ hasText: 'B. Onze gemeente heeft goed zicht' });
    assert.deepEqual((await rowB.getByRole('cell').allInnerTexts()).slice(0, 3), ['4', '3', '3,5'], 'statement B: the mean with a decimal comma');
    assert.ok(!(await rowB.getByRole('rowheader').innerText()).includes('Bespreken'), 'statement B is not marked');
    const observations = await coord.getByRole('region', { name: 'Wat opvalt' }).innerText();
    assert.ok(observations.includes('Bij stelling A lopen de scores uiteen: van 2 (Armoede) tot 4 (Gezondheid).'), `observations: ${observations}`);
  });

  await step(coord, 'coordinator-agenda', async () => {
    await visit(coord, roundPath, 'rounds-c07-round-again', { axe: false });
    await follow(coord, coord.getByRole('link', { name: 'Actieagenda' }), { name: 'rounds-c08-agenda-empty' });
    await follow(coord, coord.getByRole('button', { name: 'Voorstellen van deelnemers overnemen' }), { name: 'rounds-c09-agenda' });
    assert.equal(await coord.getByRole('status').innerText(), 'De voorstellen van de deelnemers staan nu op de agenda.', 'the flash after "Voorstellen van deelnemers overnemen"');
    const descriptions = await coord.locator('form.action-card textarea[name="description"]').evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(descriptions.sort(), ['Visie op armoede en gezondheid opstellen', 'Vroegsignalering samen met de GGD'], 'the proposals are on the agenda');
    // A status change leaves a line in the history.
    const visie = () => coord.locator('form.action-card')
      .filter({ has: coord.locator('textarea[name="description"]', { hasText: 'Visie op armoede en gezondheid opstellen' }) });
    const card = visie();
    await card.getByLabel('Status').selectOption('bezig');
    await follow(coord, card.getByRole('button', { name: 'Opslaan' }), { name: 'rounds-c10-agenda-after-change' });
    const changed = visie();
    await changed.getByText('Geschiedenis').click();
    await changed.getByText('Status: ‘open’ → ‘bezig’').waitFor();
    await checkPage(coord, 'rounds-c11-agenda-history-open');
  });

  for (const page of [coord, armoede, gezondheid]) {
    const left = takeProblems(page).filter((p) => !AUTOSAVE_REFUSAL.some((re) => re.test(p)));
    assert.deepEqual(left, [], `problems left on ${page.url()}`);
  }
  const refusals = autosaveRefusals.filter((p) => p.includes(': fetch '));
  if (refusals.length) t.diagnostic(`${refusals.length} autosave replies with 422 during the journey (see the last test)`);
});

test('a participant on a phone whose round closed while a step was open is led back to the answers', { timeout: 30_000 }, async () => {
  const coordinator = new Client(suite.server.url);
  assert.equal((await coordinator.login(COORD_A)).status, 303, 'login as coordinator A');
  const home = (await coordinator.get('/dashboard')).headers.get('location');
  const created = await coordinator.post(`${home}/rondes`, {
    csrf: await coordinator.csrfFrom(`${home}/rondes/nieuw`), instrument: 'gesprekstool-armoede-gezondheid', title: 'Ronde die sluit', mode: 'separate', labels: 'Wonen', closes_on: '',
  });
  assert.equal(created.status, 303, `POST ${home}/rondes`);
  const roundPath = created.headers.get('location');
  const link = (await coordinator.get(roundPath)).text_.match(/value="(http[^"]+\/i\/[^"]+)"/)[1];
  const own = new URL(link).pathname;

  const page = await openPage(PHONE);
  await step(page, 'closed', async () => {
    await page.goto(link);
    await follow(page, page.getByRole('link', { name: 'Beginnen' }));
    const closed = await coordinator.post(`${roundPath}/sluiten`, { csrf: await coordinator.csrfFrom(roundPath) });
    assert.equal(closed.status, 303, `POST ${roundPath}/sluiten`);

    await follow(page, page.getByRole('button', { name: 'Opslaan en verder' }), { status: 409 });
    await checkParticipantPage(page, 'rounds-closed-01-refused', true);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Deze ronde is gesloten', 'the heading after saving a step of a closed round');
    await follow(page, page.getByRole('link', { name: '← Terug naar uw antwoorden' }));
    assert.equal(pathOf(page), own, 'the link leads back to the participant\'s own page');
    await checkParticipantPage(page, 'rounds-closed-02-own-page', true);
    await follow(page, page.getByRole('link', { name: 'Uw antwoorden bekijken' }));
    await checkParticipantPage(page, 'rounds-closed-03-answers', true);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Uw antwoorden', 'the heading of the answers of a closed round');
  });
});

test('with JavaScript, answers are saved as they are given, and an answer still being typed is not refused', { timeout: 30_000 }, async () => {
  // A round of its own, started through the forms as a browser without JavaScript would.
  const coordinator = new Client(suite.server.url);
  assert.equal((await coordinator.login(COORD_A)).status, 303, 'login as coordinator A');
  const home = (await coordinator.get('/dashboard')).headers.get('location');
  const csrf = await coordinator.csrfFrom(`${home}/rondes/nieuw`);
  const created = await coordinator.post(`${home}/rondes`, {
    csrf, instrument: 'gesprekstool-armoede-gezondheid', title: 'Ronde automatisch bewaren', mode: 'separate', labels: 'Sport', closes_on: '',
  });
  assert.equal(created.status, 303, `POST ${home}/rondes`);
  const roundPage = await coordinator.get(created.headers.get('location'));
  const link = roundPage.text_.match(/value="(http[^"]+\/i\/[^"]+)"/)[1];

  const page = await openPage();
  const replies = [];
  page.on('response', (res) => {
    if (new URL(res.url()).pathname.endsWith('/antwoord')) replies.push({ status: res.status(), body: res.request().postData() });
  });
  const status = page.locator('#save-status');
  const savedAfter = async (what, n) => {
    for (let i = 0; replies.length < n && i < 100; i++) await page.waitForTimeout(50);
    assert.ok(replies.length >= n, `after ${what}: the script saved the answer`);
    await status.filter({ hasText: 'Uw antwoord is bewaard.' }).waitFor();
    assert.equal(await status.getAttribute('class'), 'save-status', `after ${what}: the status line is not an error`);
  };

  await step(page, 'autosave', async () => {
    await page.goto(link);
    await follow(page, page.getByRole('link', { name: 'Beginnen' }));
    await question(page, 'A.').getByLabel('4 mee eens', { exact: true }).check();
    await savedAfter('choosing 4 at statement A', 1);

    // To step 2 through the progress list: a plain link, so nothing is posted by the form.
    await follow(page, page.getByRole('navigation', { name: 'Voortgang' }).getByRole('link', { name: /^Stap 2\./ }));
    const q5 = question(page, '5.');
    // As a person does it: tick "Nee, want", then type why.
    await q5.getByLabel('Nee, want', { exact: true }).check();
    await q5.getByLabel('Vul aan (Nee, want)').pressSequentially('Geen geld', { delay: 20 });
    await page.waitForTimeout(1200); // the script waits 800 ms after the last key
    await status.filter({ hasText: 'Uw antwoord is bewaard.' }).waitFor();

    await follow(page, page.getByRole('navigation', { name: 'Voortgang' }).getByRole('link', { name: /^Stap 3\./ }));
    const row = page.getByRole('group', { name: 'Actie 1', exact: true });
    // The theme comes first in the row, then what will be done.
    await row.getByLabel('Thema').selectOption('F');
    await row.getByLabel('Wat gaan we doen?').pressSequentially('Draagvlak peilen', { delay: 20 });
    await page.waitForTimeout(1200);
    await status.filter({ hasText: 'Uw antwoord is bewaard.' }).waitFor();

    // Everything arrived without a single press on a button of the form.
    await page.goto(`${new URL(link).pathname}/controle`);
    const review = await page.locator('main').innerText();
    assert.ok(review.includes('4 (mee eens)'), 'the review shows statement A, saved by the script');
    assert.ok(review.includes('Nee, want Geen geld'), 'the review shows question 5 with its reason, saved by the script');
    assert.ok(review.includes('F: Draagvlak peilen'), 'the review shows the action, saved by the script');
  });

  // Ticking an option that asks for a reason, or choosing the theme of an action row, is the
  // first half of an answer, not a mistake: it should not be answered with an error (which
  // the browser logs as a failed request and the status line shows in red).
  const refused = replies.filter((r) => r.status !== 200).map((r) => `${r.status} for ${decodeURIComponent(r.body.replace(/csrf=[^&]+&/, ''))}`);
  assert.deepEqual(refused, [], 'autosave replies other than 200 while answering in the natural order');
  assert.deepEqual(takeProblems(page).filter((p) => !AUTOSAVE_REFUSAL.some((re) => re.test(p))), [], 'other problems on the page');
});
