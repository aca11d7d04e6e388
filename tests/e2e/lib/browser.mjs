// Browser helpers for the e2e suite: launching Debian's Chromium through playwright-core,
// watching every page for console errors, uncaught exceptions, failed requests and
// Content-Security-Policy violations, checking pages with axe-core (WCAG 2.1 A and AA) and
// saving full-page screenshots to build/test-results/screenshots/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { before, after } from 'node:test';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { ROOT, startServer } from '../../http/lib/server.mjs';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'build/test-results/screenshots');

// We run as root (hence --no-sandbox) on a closed network: without the background-networking
// flags Chromium keeps trying to reach Google's update and sync services.
const LAUNCH_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// WCAG 2.0 and 2.1, levels A and AA: the level Dutch public bodies must meet (EN 301 549).
// No rule is disabled.
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Playwright's own time limits; kept well below the per-test limits so that a missing element
// fails with Playwright's explanation rather than a bare test timeout.
const ACTION_TIMEOUT = 10_000;

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

// Runs in every document before the page's own code (and regardless of the page's CSP, since
// Playwright injects it through the DevTools protocol). A CSP violation becomes a console error,
// which the page watcher below records. Chromium also logs its own "Refused to ..." error;
// the event makes the report name the directive and the blocked address.
function reportCspViolations() {
  document.addEventListener('securitypolicyviolation', (e) => {
    console.error(`[csp-violation] ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`
      + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
  }, true);
}

// A new browser context (its own cookies) for `baseURL`. Pages opened in it are watched.
// With `javaScriptEnabled: false` the init script cannot run, but Chromium's own console
// messages about CSP violations are still recorded.
export async function newContext(browser, baseURL, options = {}) {
  const context = await browser.newContext({ baseURL, locale: 'nl-NL', ...options });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT);
  await context.addInitScript(reportCspViolations);
  context.on('page', (page) => watch(page));
  return context;
}

// Problems seen on a page since its last check, per page.
const watched = new WeakMap();

// Starts recording problems on `page`. newContext() does this for every page it opens.
export function watch(page) {
  if (watched.has(page)) return watched.get(page);
  const state = { problems: [], documents: new Set() };
  watched.set(page, state);
  page.on('console', (msg) => {
    if (msg.type() !== 'error' && msg.type() !== 'assert') return;
    const text = msg.text();
    const where = msg.location()?.url || '';
    // A document answered with an error status (a form with mistakes gets 422, a wrong
    // password 401) makes Chromium log "Failed to load resource" for the document itself.
    // The status of documents is asserted by the tests; failing sub-resources are not
    // excused (they are also recorded by the response listener below).
    if (/^Failed to load resource: the server responded with a status of \d+/.test(text)
        && state.documents.has(where)) return;
    state.problems.push(`console ${msg.type()}: ${text}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (err) => state.problems.push(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    // ERR_ABORTED is the browser cancelling a request itself, typically the favicon of a page
    // that is left before it arrived; requests blocked by CSP or the server fail otherwise.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    state.problems.push(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
  });
  page.on('response', (res) => {
    const req = res.request();
    if (req.isNavigationRequest()) {
      state.documents.add(res.url());
      return;
    }
    if (res.status() >= 400) state.problems.push(`${req.resourceType()} ${req.url()} answered ${res.status()}`);
  });
  return state;
}

// Returns and forgets the problems recorded on `page` so far.
export function takeProblems(page) {
  const state = watch(page);
  const problems = state.problems;
  state.problems = [];
  return problems;
}

function safeName(name) {
  return name.replace(/[^a-zA-Z0-9_.-]+/g, '-').slice(0, 100);
}

// A full-page screenshot at build/test-results/screenshots/<name>.png; returns the path.
export async function shot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${safeName(name)}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

function describeViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) => {
      const html = n.html.length > 160 ? `${n.html.slice(0, 157)}...` : n.html;
      const why = (n.failureSummary || '').split('\n').slice(1).map((l) => l.trim()).filter(Boolean)[0];
      return `      at ${n.target.join(' >> ')}\n         ${html}${why ? `\n         ${why}` : ''}`;
    }).join('\n');
    return `  - ${v.id} [${v.impact}]: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
  }).join('\n');
}

// Runs axe-core on the page; returns the violations (empty when the page is clean).
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations;
}

// Fails with a readable list when axe finds WCAG 2.1 A/AA violations on the page.
export async function checkA11y(page, name) {
  const violations = await axeViolations(page);
  if (violations.length) {
    assert.fail(`axe found ${violations.length} accessibility violation(s) on "${name}" `
      + `(${page.url()}):\n${describeViolations(violations)}`);
  }
}

// Checks the page as it is now: no console errors, exceptions, failed requests or CSP
// violations since the previous check, no axe violations; and saves a screenshot.
// `axe: false` skips axe (it needs JavaScript: use it only in contexts without).
export async function checkPage(page, name, { axe = true } = {}) {
  await page.waitForLoadState('load');
  await shot(page, name);
  const messages = [];
  if (axe) {
    const violations = await axeViolations(page);
    if (violations.length) {
      messages.push(`axe found ${violations.length} accessibility violation(s):\n`
        + describeViolations(violations));
    }
  }
  const problems = takeProblems(page);
  if (problems.length) messages.push(`problems while loading:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  if (messages.length) assert.fail(`page "${name}" (${page.url()}):\n${messages.join('\n')}`);
}

// Navigates to `path`, expects the document's status (200 by default) and checks the page.
export async function visit(page, path, name, { status = 200, axe = true } = {}) {
  const res = await page.goto(path);
  assert.ok(res, `no response for ${path}`);
  assert.equal(res.status(), status, `${path} answered ${res.status()}, expected ${status}`);
  await checkPage(page, name, { axe });
  return res;
}

// Clicks `locator` (a submit button or link), waits for the resulting navigation (following
// redirects) and expects the final document's status; then checks the page when `name` is given.
export async function follow(page, locator, { status = 200, name, axe = true } = {}) {
  const [res] = await Promise.all([page.waitForNavigation(), locator.click()]);
  assert.ok(res, 'the click did not load a new document');
  assert.equal(res.status(), status, `${res.url()} answered ${res.status()}, expected ${status}`);
  if (name) await checkPage(page, name, { axe });
  return res;
}

// When the gids server of a suite has died (a crash, a sanitizer report), throws an error
// that says so, with its last words, rather than leaving only the browser's "connection
// refused". `cause` is the error that made the test look.
export function assertServerRunning(server, cause) {
  const { exitCode, signalCode } = server.proc;
  if (exitCode === null && signalCode === null) return;
  const log = server.log();
  const report = log.indexOf('ERROR: ');
  const lines = log.split('\n');
  const lastWords = (report >= 0 ? log.slice(report).split('\n').slice(0, 10) : lines.slice(-10))
    .map((line) => (line.length > 200 ? `${line.slice(0, 197)}...` : line)).join('\n');
  const err = new Error(`the gids server has stopped (exit code ${exitCode}, signal ${signalCode})`
    + `${cause ? ` after: ${cause.message.split('\n')[0]}` : ''}\n${lastWords}`);
  if (cause) err.cause = cause;
  throw err;
}

// The harness of a browser test file: one gids server and one Chromium, started together
// in before() and both stopped in after(), also when one of them failed to start (a
// browser left running would keep the test process alive). Screenshots whose names start
// with `clear` (those of the last run) are removed first. openPage() gives a page in a
// fresh context (own cookies), closed after the file; step() runs a part of a journey and,
// when it fails, saves the page as screenshots/<prefix>-failed-<name>.png.
export function browserSuite(prefix, { clear = `${prefix}-failed-` } = {}) {
  const contexts = [];
  const suite = {
    server: null,
    browser: null,
    assertServerRunning: (cause) => assertServerRunning(suite.server, cause),
    async openPage(options = {}) {
      suite.assertServerRunning();
      const context = await newContext(suite.browser, suite.server.url, options);
      contexts.push(context);
      return context.newPage();
    },
    async step(page, name, fn) {
      try {
        return await fn();
      } catch (err) {
        await shot(page, `${prefix}-failed-${name}`).catch(() => {});
        suite.assertServerRunning(err);
        throw err;
      }
    },
  };
  before(async () => {
    if (existsSync(SCREENSHOTS)) {
      for (const f of readdirSync(SCREENSHOTS)) if (f.startsWith(clear)) rmSync(join(SCREENSHOTS, f));
    }
    const [started, launched] = await Promise.allSettled([startServer(), launch()]);
    suite.server = started.value;
    suite.browser = launched.value;
    for (const r of [started, launched]) if (r.status === 'rejected') throw r.reason;
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
