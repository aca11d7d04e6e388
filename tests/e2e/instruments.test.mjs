// The instrument library in a real browser: the preview of every built-in instrument, as
// participants will see it, passes axe (WCAG 2.1 A/AA) with no console or CSP problems and
// is screenshotted; an administrator's upload of a broken file shows the problem with its
// line, keeps the pasted text, and a valid new version appears beside the old one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, ADMIN, COORD_A, ROOT } from '../http/lib/server.mjs';
import { launch, newContext, visit, follow, checkPage, shot } from './lib/browser.mjs';

let server;
let browser;

before(async () => {
  const [s, b] = await Promise.allSettled([startServer(), launch()]);
  server = s.value;
  browser = b.value;
  if (s.status === 'rejected') throw s.reason;
  if (b.status === 'rejected') throw b.reason;
});
after(async () => { await browser?.close(); await server?.stop(); });

const builtins = readdirSync(join(ROOT, 'instruments')).filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));

async function loggedIn(who) {
  const context = await newContext(browser, server.url);
  const page = await context.newPage();
  await page.goto('/inloggen');
  await page.getByLabel('E-mailadres').fill(who.email);
  await page.getByLabel('Wachtwoord').fill(who.password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Inloggen' }).click()]);
  return { context, page };
}

test('the preview of every built-in instrument is accessible, on a laptop and on a phone', { timeout: 90_000 }, async () => {
  assert.ok(builtins.length >= 5, `built-in instruments: ${builtins.join(', ')}`);
  const { context, page } = await loggedIn(COORD_A);
  try {
    await visit(page, '/instrumenten', 'instruments-list');
    for (const id of builtins) {
      await visit(page, `/instrumenten/${id}/1`, `instrument-preview-${id}`);
      const headings = await page.getByRole('heading', { level: 2 }).count();
      assert.ok(headings >= 1, `${id}: the preview shows its steps`);
      const controls = await page.locator('input, textarea, select').count();
      assert.ok(controls > 0, `${id}: the preview shows form controls`);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await visit(page, '/instrumenten/gesprekstool-armoede-gezondheid/1', 'instrument-preview-phone');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling on a phone (content is ${width}px wide)`);
  } finally {
    await context.close();
  }
});

test('an administrator uploads a broken instrument, sees why, then a valid new version', { timeout: 60_000 }, async () => {
  const { context, page } = await loggedIn(ADMIN);
  try {
    await visit(page, '/instrumenten', 'instruments-admin');
    const broken = readFileSync(join(ROOT, 'tests/instruments/broken/unknown-item-type.yaml'), 'utf8');
    await page.getByLabel('Of plak de tekst van het bestand').fill(broken);
    await follow(page, page.getByRole('button', { name: 'Controleren en toevoegen' }), { status: 422, name: 'instruments-upload-refused' });
    const alert = await page.getByRole('alert').innerText();
    assert.match(alert, /:\d+:\d+: /, `the refusal names line and column: ${alert}`);
    assert.equal(await page.getByLabel('Of plak de tekst van het bestand').inputValue(), broken.replace(/\r\n/g, '\n'),
      'the pasted text is kept');

    const source = readFileSync(join(ROOT, 'instruments/vijf-sporen.yaml'), 'utf8').replace(/^version: 1$/m, 'version: 2');
    await page.getByLabel('Of plak de tekst van het bestand').fill(source);
    await follow(page, page.getByRole('button', { name: 'Controleren en toevoegen' }), { name: 'instruments-upload-version-2' });
    assert.match(page.url(), /\/instrumenten\/vijf-sporen\/2$/);
    await visit(page, '/instrumenten', 'instruments-with-version-2');
    const card = page.locator('.instrument-card').filter({ hasText: 'Vijf sporen' });
    await card.getByText(/Versies \(2\)/).click();
    await checkPage(page, 'instruments-versions-open');
    await shot(page, 'instruments-versions');
  } finally {
    await context.close();
  }
});
