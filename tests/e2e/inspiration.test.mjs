// Inspiration in a real browser: a visitor searches and filters the practice examples, opens
// one and the reference pages; a coordinator previews and submits an example of their own
// (making a mistake first), an administrator refuses to reject it without a reason and then
// publishes it, after which a visitor finds it; a results page suggests examples for its
// lowest themes. Every page is checked with axe (WCAG 2.1 A/AA), for console errors and CSP
// violations, and screenshotted to build/test-results/screenshots/inspiration-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gids, ADMIN, COORD_A } from '../http/lib/server.mjs';
import { browserSuite, visit, follow, checkPage, takeProblems, shot } from './lib/browser.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const EXAMPLE = {
  title: 'Alpha: de schuldhulpmaatje aan de keukentafel',
  summary: 'Vrijwilligers gaan **thuis** langs bij gezinnen met geldzorgen.\n\n- samen de post openen\n- een plan maken',
};

const suite = browserSuite('inspiration');
const { openPage, step, assertServerRunning } = suite;

const pathOf = (page) => new URL(page.url()).pathname;
const hits = (page) => page.locator('#voorbeelden > li h3 a');

async function login(page, { email, password }) {
  await page.goto('/inloggen');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await follow(page, page.getByRole('button', { name: 'Inloggen' }));
}

test('a visitor searches, filters, opens an example and the reference pages', { timeout: 120_000 }, async () => {
  const page = await openPage();
  await step(page, 'search', async () => {
    await visit(page, '/inspiratie', 'inspiration-01-browse');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Inspiratie: praktijkvoorbeelden');

    await page.getByLabel('Zoek op woorden').fill('schulden');
    await follow(page, page.getByRole('button', { name: 'Zoeken' }), { name: 'inspiration-02-search' });
    assert.match(await page.locator('#resultaten').textContent(), /^\d+ voorbeelden gevonden met ‘schulden’$/);
    assert.equal(await hits(page).first().textContent(), 'Arnhem: proeftuin vroegsignalering risicovolle schulden');
    assert.ok(await page.locator('#voorbeelden mark').count() > 3, 'matched words are marked');
    const all = await hits(page).count();

    // The same search, narrowed to theme D and then to one municipality.
    await page.getByLabel('Thema').selectOption('D');
    await follow(page, page.getByRole('button', { name: 'Zoeken' }), { name: 'inspiration-03-filter-theme' });
    assert.equal(await page.getByLabel('Zoek op woorden').inputValue(), 'schulden', 'the words stay');
    assert.ok(await hits(page).count() <= all);
    await page.getByText('Past bij thema D.').first().waitFor();
    await page.getByLabel('Gemeente of regio').selectOption({ label: 'Arnhem (1)' });
    await follow(page, page.getByRole('button', { name: 'Zoeken' }), { name: 'inspiration-04-filter-municipality' });
    assert.deepEqual(await hits(page).allTextContents(), ['Arnhem: proeftuin vroegsignalering risicovolle schulden']);

    // Opening it shows the whole example with its themes linked.
    await follow(page, hits(page).first(), { name: 'inspiration-05-example' });
    assert.equal(pathOf(page), '/inspiratie/arnhem-proeftuin-vroegsignalering-schulden');
    await page.getByRole('link', { name: 'D. Focus: signaleren, bereiken en ondersteunen' }).first().waitFor();
    await follow(page, page.getByRole('link', { name: '(uitleg) D. Focus: signaleren, bereiken en ondersteunen' }), { name: 'inspiration-06-themes' });
    assert.equal(pathOf(page), '/inspiratie/themas');
  });

  await step(page, 'no-results', async () => {
    await page.goto('/inspiratie');
    await page.getByLabel('Zoek op woorden').fill('schulden fietsenmaker');
    await follow(page, page.getByRole('button', { name: 'Zoeken' }), { name: 'inspiration-07-no-results' });
    await page.getByText('Er zijn geen voorbeelden gevonden.').waitFor();
    await follow(page, page.getByRole('link', { name: 'Alleen ‘schulden’' }), { name: 'inspiration-08-broader' });
    assert.ok(await hits(page).count() > 0, 'the broader search finds examples');
  });

  await step(page, 'reference', async () => {
    const nav = page.getByRole('navigation', { name: 'Inspiratie' });
    for (const [link, path, name] of [
      ['Principes', '/inspiratie/principes', 'inspiration-09-principles'],
      ['Sporen', '/inspiratie/sporen', 'inspiration-10-tracks'],
      ['Lessen', '/inspiratie/lessen', 'inspiration-11-lessons'],
      ['Leerkringen', '/inspiratie/leerkringen', 'inspiration-12-circles'],
      ["Thema's", '/inspiratie/themas', 'inspiration-13-themes'],
    ]) {
      await follow(page, nav.getByRole('link', { name: link, exact: true }), { name });
      assert.equal(pathOf(page), path);
      assert.equal(await nav.getByRole('link', { name: link, exact: true }).getAttribute('aria-current'), 'page');
    }
  });
  assert.deepEqual(takeProblems(page), []);
});

test('the search on a phone does not scroll sideways', { timeout: 60_000 }, async () => {
  const page = await openPage(PHONE);
  await step(page, 'phone', async () => {
    await visit(page, '/inspiratie?q=gezinnen', 'inspiration-14-phone-search');
    const size = await page.evaluate(() => ({
      scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
    }));
    assert.ok(size.scrollWidth <= size.innerWidth, `the page scrolls sideways: ${JSON.stringify(size)}`);
  });
});

test('a coordinator submits an example and an administrator publishes it', { timeout: 120_000 }, async () => {
  const coordinator = await openPage();
  let address;
  await step(coordinator, 'submit', async () => {
    await login(coordinator, COORD_A);
    await follow(coordinator, coordinator.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Inspiratie' }), { name: 'inspiration-20-coordinator-search' });
    await follow(coordinator, coordinator.getByRole('link', { name: 'Voorbeeld insturen' }), { name: 'inspiration-21-submit-form' });
    assert.equal(pathOf(coordinator), '/inspiratie/nieuw');

    // A mistake first: no title and no theme.
    await coordinator.getByLabel('Beschrijving').fill(EXAMPLE.summary);
    await follow(coordinator, coordinator.getByRole('button', { name: 'Insturen' }), { status: 422, name: 'inspiration-22-submit-errors' });
    const title = coordinator.getByLabel('Titel');
    assert.equal(await title.getAttribute('aria-invalid'), 'true');
    await coordinator.getByText('Vul een titel in.').waitFor();
    await coordinator.getByText('Kies ten minste één thema.').waitFor();
    assert.equal(await coordinator.getByLabel('Beschrijving').inputValue(), EXAMPLE.summary, 'the text is kept');

    // Then the preview, then the real thing.
    await title.fill(EXAMPLE.title);
    await coordinator.getByLabel('D. Focus: signaleren, bereiken en ondersteunen').check();
    await coordinator.getByLabel('Participatie').check();
    await coordinator.getByLabel('Doelgroepen').fill('gezinnen met geldzorgen');
    await follow(coordinator, coordinator.getByRole('button', { name: 'Bekijk hoe het eruitziet' }), { name: 'inspiration-23-preview' });
    assert.equal(await coordinator.locator('#voorbeeld strong').first().textContent(), EXAMPLE.title);
    assert.equal(await coordinator.locator('#voorbeeld .prose strong').textContent(), 'thuis');
    assert.ok(await coordinator.getByLabel('D. Focus: signaleren, bereiken en ondersteunen').isChecked(), 'choices are kept');
    await follow(coordinator, coordinator.getByRole('button', { name: 'Insturen' }), { name: 'inspiration-24-submitted' });
    address = pathOf(coordinator);
    assert.match(address, /^\/inspiratie\/alpha-de-schuldhulpmaatje-aan-de-keukentafel/);
    assert.equal(await coordinator.getByRole('status').first().innerText(), 'Uw voorbeeld is ingestuurd. Een beheerder bekijkt het.');
  });

  const admin = await openPage();
  await step(admin, 'moderate', async () => {
    await login(admin, ADMIN);
    await visit(admin, '/inspiratie', 'inspiration-25-admin-search');
    await follow(admin, admin.getByRole('link', { name: 'Inzendingen beoordelen' }), { name: 'inspiration-26-moderation' });
    const card = admin.locator('li.card').filter({ hasText: EXAMPLE.title });
    // Rejecting without a reason is refused.
    await follow(admin, card.getByRole('button', { name: /^Afwijzen/ }), { status: 422, name: 'inspiration-27-reason-required' });
    await admin.getByText('Schrijf op waarom u het voorbeeld afwijst.').waitFor();
    await follow(admin, admin.locator('li.card').filter({ hasText: EXAMPLE.title }).getByRole('button', { name: /^Publiceren/ }), { name: 'inspiration-28-published' });
    assert.equal(await admin.getByRole('status').first().innerText(), 'Het voorbeeld is gepubliceerd. Iedereen kan het nu zien.');
  });

  const visitor = await openPage();
  await step(visitor, 'visitor', async () => {
    await visit(visitor, '/inspiratie?q=schuldhulpmaatje', 'inspiration-29-visitor-finds-it');
    assert.deepEqual(await hits(visitor).allTextContents(), [EXAMPLE.title]);
    await follow(visitor, hits(visitor).first(), { name: 'inspiration-30-visitor-reads-it' });
    assert.equal(pathOf(visitor), address);
    await visitor.getByText(/Ingezonden door Gemeente Alpha, gepubliceerd op \d\d-\d\d-\d{4}\./).waitFor();
  });
});

test('a results page of the conversation tool suggests examples for its lowest themes', { timeout: 90_000 }, async () => {
  const demo = gids(['demo', '--db', suite.server.db]);
  assert.equal(demo.code, 0, demo.stderr);
  const page = await openPage();
  await step(page, 'suggestions', async () => {
    await login(page, { email: 'coordinator@demo.gids.nl', password: 'demo-coordinator-2026' });
    const rounds = await page.locator('a[href^="/rondes/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    let found = false;
    for (const round of [...new Set(rounds)].filter((h) => /^\/rondes\/\d+$/.test(h))) {
      await page.goto(`${round}/resultaten`);
      if (await page.locator('#inspiratie').count()) { found = true; break; }
    }
    assert.ok(found, 'a results page with suggestions');
    await checkPage(page, 'inspiration-40-results-suggestions');
    const section = page.locator('section').filter({ has: page.locator('#inspiratie') });
    await section.getByText(/scoort het laagst in deze ronde/).waitFor();
    assert.equal(await section.locator('ul a').count(), 6);
    await follow(page, section.locator('ul a').first(), { name: 'inspiration-41-suggested-example' });
    assert.match(pathOf(page), /^\/inspiratie\/[a-z0-9-]+$/);
  });
});
