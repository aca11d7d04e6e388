// The foundation in a real browser: an administrator sets up a municipality and its
// coordinator, the coordinator logs in and sees their municipality. Every page is checked
// with axe (WCAG 2.1 A/AA), for console errors and CSP violations, and screenshotted to
// build/test-results/screenshots/. Also: a phone viewport, a form with errors, the skip link,
// the site without JavaScript and the English texts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, ADMIN, COORD_A } from '../http/lib/server.mjs';
import {
  launch, newContext, visit, follow, checkPage, checkA11y, takeProblems, shot, SCREENSHOTS, assertServerRunning as assertServerRunning_,
} from './lib/browser.mjs';

const ZUIDERHAVEN = { name: 'Gemeente Zuiderhaven', cbs: 'GM0999', region: 'Regio Zuid' };
const COORDINATOR = {
  email: 'sanne@zuiderhaven.gids.nl', name: 'Sanne de Vries', password: 'zuiderhaven-wachtwoord-1',
};
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let server;
let browser;

before(async () => {
  // Screenshots of failures are from the last run only.
  if (existsSync(SCREENSHOTS)) {
    for (const f of readdirSync(SCREENSHOTS)) if (f.startsWith('failed-')) rmSync(join(SCREENSHOTS, f));
  }
  // allSettled: when one fails to start, the other is still closed in after().
  const [s, b] = await Promise.allSettled([startServer(), launch()]);
  server = s.value;
  browser = b.value;
  if (s.status === 'rejected') throw s.reason;
  if (b.status === 'rejected') throw b.reason;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A fresh context (own cookies) for test `t`; closed after `fn`, whatever happens. When `fn`
// fails, the page as it was then is saved as screenshots/failed-<test>.png.
async function withPage(t, options, fn) {
  assertServerRunning();
  const context = await newContext(browser, server.url, options);
  let page;
  try {
    page = await context.newPage();
    return await fn(page);
  } catch (err) {
    await shot(page, `failed-${t.name}`).catch(() => {});
    assertServerRunning(err);
    throw err;
  } finally {
    await context.close();
  }
}

function assertServerRunning(cause) {
  assertServerRunning_(server, cause);
}

function pathOf(page) {
  return new URL(page.url()).pathname;
}

// Fills in and submits the login form on the current page; `name` checks the page landed on.
async function submitLogin(page, { email, password }, opts = {}) {
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  return follow(page, page.getByRole('button', { name: 'Inloggen' }), opts);
}

test('foundation journey: the administrator sets up a municipality and its coordinator logs in', { timeout: 60_000 }, async (t) => {
  let municipalityId;

  await withPage(t, {}, async (page) => {
    // The administrator logs in through the form and lands on the municipalities.
    await visit(page, '/', 'journey-01-login');
    assert.equal(pathOf(page), '/inloggen');
    await submitLogin(page, ADMIN, { name: 'journey-02-admin-landing' });
    assert.equal(pathOf(page), '/beheer/gemeenten');

    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await follow(page, nav.getByRole('link', { name: 'Gemeenten', exact: true }), { name: 'journey-03-gemeenten' });
    assert.equal(pathOf(page), '/beheer/gemeenten');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Gemeenten');

    // A new municipality.
    await page.getByLabel('Naam van de gemeente').fill(ZUIDERHAVEN.name);
    await page.getByLabel('CBS-code').fill(ZUIDERHAVEN.cbs);
    await page.getByLabel('Regio', { exact: true }).fill(ZUIDERHAVEN.region);
    await follow(page, page.getByRole('button', { name: 'Gemeente toevoegen' }), { name: 'journey-04-municipality-created' });
    const created = pathOf(page).match(/^\/beheer\/gemeenten\/(\d+)$/);
    assert.ok(created, `after creating, the browser is at ${page.url()}`);
    municipalityId = created[1];
    assert.equal(await page.getByRole('status').innerText(), 'De gemeente is toegevoegd.');

    // It is listed; open it from the list.
    await follow(page, page.getByRole('link', { name: 'Terug naar alle gemeenten' }), { name: 'journey-05-gemeenten-list' });
    const row = page.getByRole('row').filter({ hasText: ZUIDERHAVEN.name });
    assert.deepEqual(await row.getByRole('cell').allInnerTexts(), [ZUIDERHAVEN.name, ZUIDERHAVEN.cbs, ZUIDERHAVEN.region]);
    await follow(page, row.getByRole('link', { name: ZUIDERHAVEN.name }), { name: 'journey-06-municipality' });
    assert.equal(pathOf(page), `/beheer/gemeenten/${municipalityId}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), ZUIDERHAVEN.name);
    assert.equal(await page.getByLabel('CBS-code').inputValue(), ZUIDERHAVEN.cbs);
    assert.equal(await page.getByLabel('Regio', { exact: true }).inputValue(), ZUIDERHAVEN.region);
    await page.getByText('Deze gemeente heeft nog geen coördinator.').waitFor();

    // A coordinator for it, on the Accounts page.
    await follow(page, page.getByRole('link', { name: 'Coördinator toevoegen' }), { name: 'journey-07-accounts' });
    assert.equal(pathOf(page), '/beheer/gebruikers');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Accounts');
    await page.getByLabel('E-mailadres').fill(COORDINATOR.email);
    await page.getByLabel('Naam', { exact: true }).fill(COORDINATOR.name);
    await page.getByLabel('Gemeente', { exact: true }).selectOption({ label: ZUIDERHAVEN.name });
    await page.getByLabel('Eerste wachtwoord').fill(COORDINATOR.password);
    await follow(page, page.getByRole('button', { name: 'Account aanmaken' }), { name: 'journey-08-account-created' });
    assert.equal(pathOf(page), '/beheer/gebruikers');
    assert.equal(await page.getByRole('status').innerText(), 'Het account is aangemaakt.');
    const account = page.getByRole('row').filter({ hasText: COORDINATOR.email });
    const cells = await account.getByRole('cell').allInnerTexts();
    assert.deepEqual(cells.slice(0, 4), [COORDINATOR.email, COORDINATOR.name, 'Coördinator', ZUIDERHAVEN.name]);
    assert.match(cells[4], /Actief/);

    // The municipality now shows its coordinator.
    await visit(page, `/beheer/gemeenten/${municipalityId}`, 'journey-09-municipality-with-coordinator');
    await page.getByRole('listitem').filter({ hasText: `${COORDINATOR.email} (${COORDINATOR.name})` }).waitFor();
  });

  // The coordinator, in a browser of their own.
  await withPage(t, {}, async (page) => {
    await visit(page, '/inloggen', 'journey-10-coordinator-login');
    await submitLogin(page, COORDINATOR, { name: 'journey-11-coordinator-dashboard' });
    assert.equal(pathOf(page), `/gemeenten/${municipalityId}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), ZUIDERHAVEN.name);
    assert.equal(await page.locator('.site-brand__municipality').textContent(), ZUIDERHAVEN.name);
    const nav = page.getByRole('navigation', { name: 'Hoofdmenu' });
    assert.match(await nav.innerText(), new RegExp(`Ingelogd als ${COORDINATOR.name}`));
    // A coordinator's menu: their overview, none of the administrator's pages.
    const menu = await nav.getByRole('link').allInnerTexts();
    assert.ok(menu.includes('Overzicht') && menu.includes('Wachtwoord wijzigen'), `menu: ${menu.join(', ')}`);
    for (const adminOnly of ['Gemeenten', 'Accounts', 'Logboek']) assert.ok(!menu.includes(adminOnly), `menu: ${menu.join(', ')}`);
    await page.getByRole('listitem').filter({ hasText: `${COORDINATOR.name} — ${COORDINATOR.email} (uzelf)` }).waitFor();
    const facts = await page.locator('.facts').innerText();
    assert.match(facts, new RegExp(ZUIDERHAVEN.cbs));
    assert.match(facts, new RegExp(ZUIDERHAVEN.region));

    // Logging out ends the session.
    await follow(page, page.getByRole('button', { name: 'Uitloggen' }), { name: 'journey-12-logged-out' });
    assert.equal(pathOf(page), '/inloggen');
    assert.equal(await page.getByRole('status').innerText(), 'U bent uitgelogd.');
    await page.goto('/dashboard');
    assert.equal(pathOf(page), '/inloggen');
    assert.deepEqual(takeProblems(page), []);
  });
});

test('the login page on a phone: accessible and without horizontal scrolling', { timeout: 30_000 }, async (t) => {
  await withPage(t, PHONE, async (page) => {
    await visit(page, '/inloggen', 'phone-login');
    const size = await page.evaluate(() => ({
      scrollWidth: document.scrollingElement.scrollWidth,
      innerWidth: window.innerWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    // innerWidth alone is not enough: a mobile browser zooms out to fit content that is too
    // wide, and innerWidth then grows with it. The layout viewport must stay 390 px wide.
    assert.equal(size.clientWidth, 390, `layout viewport: ${JSON.stringify(size)}`);
    assert.ok(size.scrollWidth <= size.innerWidth && size.innerWidth <= 390,
      `the page scrolls sideways on a phone: ${JSON.stringify(size)}`);
  });
});

test('a form with mistakes: the error is next to the field and tied to it, and accessible', { timeout: 30_000 }, async (t) => {
  await withPage(t, {}, async (page) => {
    await page.goto('/inloggen');
    await submitLogin(page, ADMIN);
    await page.goto('/beheer/gemeenten');
    await page.getByLabel('Regio', { exact: true }).fill('Regio Zonder Naam');
    await follow(page, page.getByRole('button', { name: 'Gemeente toevoegen' }), { status: 422, name: 'municipality-form-errors' });
    assert.equal(pathOf(page), '/beheer/gemeenten');

    await page.getByRole('alert').filter({ hasText: 'Niet alles is goed ingevuld.' }).waitFor();
    const field = page.getByLabel('Naam van de gemeente');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    const describedBy = (await field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    assert.ok(describedBy.length > 0, 'the name field has no aria-describedby');
    const errorId = describedBy.find((id) => /error/.test(id));
    assert.ok(errorId, `aria-describedby="${describedBy.join(' ')}" names no error message`);
    const error = page.locator(`[id="${errorId}"]`);
    assert.equal(await error.count(), 1, `no single element with id "${errorId}"`);
    assert.ok(await error.isVisible(), 'the error message is not visible');
    assert.equal((await error.innerText()).trim(), 'Vul de naam van de gemeente in.');

    // Next to the field: in the same form field, and right above (or below) the input.
    const sameField = await field.evaluate((input, id) => input.closest('.utrecht-form-field')?.contains(document.getElementById(id)), errorId);
    assert.ok(sameField, 'the error message is not in the same form field as the input');
    const [e, f] = [await error.boundingBox(), await field.boundingBox()];
    const gap = e.y < f.y ? f.y - (e.y + e.height) : e.y - (f.y + f.height);
    assert.ok(gap >= 0 && gap < 24, `the error is ${gap}px away from its field`);

    // The other fields are not marked, and what was typed is kept.
    assert.equal(await page.getByLabel('CBS-code').getAttribute('aria-invalid'), null);
    assert.equal(await page.getByLabel('Regio', { exact: true }).inputValue(), 'Regio Zonder Naam');
    // Nothing was created.
    assert.equal(await page.getByRole('row').filter({ hasText: 'Regio Zonder Naam' }).count(), 0);
  });
});

test('keyboard: the first Tab reaches the skip link, which moves focus to the content', { timeout: 30_000 }, async (t) => {
  await withPage(t, {}, async (page) => {
    await page.goto('/inloggen');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const box = el.getBoundingClientRect();
      return { tag: el.tagName, cls: el.className, text: el.textContent.trim(), href: el.getAttribute('href'),
        top: box.top, bottom: box.bottom, height: box.height };
    });
    assert.equal(focused.tag, 'A', `the first Tab focused ${JSON.stringify(focused)}`);
    assert.equal(focused.cls, 'skip-link');
    assert.equal(focused.text, 'Direct naar de inhoud');
    assert.equal(focused.href, '#inhoud');
    // A focused skip link must be seen.
    assert.ok(focused.top >= 0 && focused.height > 0, `the focused skip link is off screen: ${JSON.stringify(focused)}`);
    await checkPage(page, 'keyboard-skip-link-focused');

    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'inhoud');
    assert.deepEqual(await page.evaluate(() => [document.activeElement.tagName, document.activeElement.id]), ['MAIN', 'inhoud']);
    assert.equal(new URL(page.url()).hash, '#inhoud');
    // The next Tab continues inside the content: the first field of the form.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'email');
    assert.deepEqual(takeProblems(page), []);
  });
});

test('without JavaScript: logging in and creating a municipality work', { timeout: 30_000 }, async (t) => {
  // axe needs JavaScript, so these pages are checked for errors and screenshotted only; the
  // same templates are checked with axe in the tests above (GIDS serves no scripts at all).
  await withPage(t, { javaScriptEnabled: false }, async (page) => {
    // First make sure that scripts really do not run in this browser.
    await page.setContent('<p id="ran">no</p><script>document.getElementById("ran").textContent = "yes"</script>');
    assert.equal(await page.locator('#ran').textContent(), 'no', 'scripts run although JavaScript is off');

    await visit(page, '/inloggen', 'nojs-01-login', { axe: false });
    await submitLogin(page, ADMIN, { name: 'nojs-02-gemeenten', axe: false });
    assert.equal(pathOf(page), '/beheer/gemeenten');
    await page.getByLabel('Naam van de gemeente').fill('Gemeente Zonder Script');
    await page.getByLabel('CBS-code').fill('gm0998');
    await page.getByLabel('Regio', { exact: true }).fill('Regio Noord');
    await follow(page, page.getByRole('button', { name: 'Gemeente toevoegen' }), { name: 'nojs-03-municipality-created', axe: false });
    assert.match(pathOf(page), /^\/beheer\/gemeenten\/\d+$/);
    assert.equal(await page.getByRole('status').innerText(), 'De gemeente is toegevoegd.');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Gemeente Zonder Script');
    assert.equal(await page.getByLabel('CBS-code').inputValue(), 'GM0998');
  });
});

test('the English switch shows the login page in English', { timeout: 30_000 }, async (t) => {
  await withPage(t, {}, async (page) => {
    await page.goto('/inloggen');
    const english = page.getByRole('link', { name: 'English' });
    assert.equal(await english.getAttribute('lang'), 'en');
    await follow(page, english, { name: 'login-english' });
    assert.equal(pathOf(page), '/inloggen');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.title(), 'Log in · GIDS');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Log in');
    await page.getByLabel('E-mail address').waitFor();
    await page.getByLabel('Password').waitFor();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.locator('.skip-link').textContent(), 'Skip to content');

    // And back to Dutch.
    const dutch = page.getByRole('link', { name: 'Nederlands' });
    assert.equal(await dutch.getAttribute('lang'), 'nl');
    await follow(page, dutch);
    assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Inloggen');

    // Switching keeps working: each switch brings the visitor back to the same page.
    for (let round = 1; round <= 3; round++) {
      await follow(page, page.getByRole('link', { name: 'English' }));
      assert.equal(pathOf(page), '/inloggen', `switch to English, round ${round}`);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await follow(page, page.getByRole('link', { name: 'Nederlands' }));
      assert.equal(pathOf(page), '/inloggen', `switch to Dutch, round ${round}`);
      assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
    }
    assert.deepEqual(takeProblems(page), []);
  });
});

test('after logging in, a coordinator is back on the page they asked for', { timeout: 30_000 }, async (t) => {
  await withPage(t, {}, async (page) => {
    await page.goto('/account/wachtwoord');
    assert.equal(pathOf(page), '/inloggen');
    assert.equal(new URL(page.url()).searchParams.get('terug'), '/account/wachtwoord');
    assert.equal(await page.locator('input[name="terug"]').inputValue(), '/account/wachtwoord');
    await submitLogin(page, COORD_A, { name: 'return-after-login' });
    assert.equal(pathOf(page), '/account/wachtwoord');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Wachtwoord wijzigen');
  });
});

// The checks above must be able to fail: a CSP violation and an axe violation are caught.
test('the page checks catch CSP violations and accessibility faults', { timeout: 30_000 }, async (t) => {
  await withPage(t, {}, async (page) => {
    await page.goto('/inloggen');
    assert.deepEqual(takeProblems(page), []);
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { color: red; }';
      document.head.append(style);
      const img = document.createElement('img');
      img.src = '/assets/favicon.svg';
      document.querySelector('main').append(img);
    });
    // The violation event is dispatched asynchronously.
    let problems = [];
    for (let i = 0; i < 50 && !problems.some((p) => p.includes('[csp-violation]')); i++) {
      await page.waitForTimeout(20);
      problems = problems.concat(takeProblems(page));
    }
    assert.ok(problems.some((p) => p.includes('[csp-violation] style-src')), `CSP violation not reported: ${problems.join('; ')}`);
    await assert.rejects(checkA11y(page, 'self-check'), (err) => {
      assert.match(err.message, /image-alt \[critical\]/);
      assert.match(err.message, /at img\n\s+<img src="\/assets\/favicon.svg">/);
      return true;
    });
  });
});
