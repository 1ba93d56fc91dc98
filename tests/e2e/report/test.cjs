#!/usr/bin/env node
// End-to-end test of `verbatim report` in headless Chromium (puppeteer-core), as an editor would
// use the page:
//
// - writes the page for examples/harbour-bridge and loads it from disk: no console error or
//   warning, no page error, no request but the page itself (it is self-contained);
// - the translation's planted misquote ("calculations predicted" for "models allowed for") is
//   highlighted in its alignment table: the marked cells are those words and they are painted;
// - the keyboard: the skip link is the first Tab stop and leads to the findings, "Fold all" and
//   "Unfold all" work with Enter, a folded quote opens from its summary with Enter;
// - print: printing unfolds every quote, the buttons are not printed, and a PDF comes out;
// - the page of every example story at once loads the same way, without a console error.
//
// Screenshots go to ARTIFACTS (report.png, report-print.png, report.pdf); with DOCS_SCREENSHOT
// set, the screenshot of the planted difference is written there too (docs/report.png).
//
// Environment (set by .ci/editors):
//   VERBATIM_BIN    the binary under test (required)
//   ARTIFACTS       default tests/e2e/artifacts
//   CHROMIUM        default /usr/bin/chromium
//   E2E_TIMEOUT_MS  the bound on each wait (default 60000)

'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { launch } = require('../chromium.cjs');

const repo = path.resolve(__dirname, '..', '..', '..');
const VERBATIM_BIN = path.resolve(process.env.VERBATIM_BIN || '');
const ARTIFACTS = path.resolve(process.env.ARTIFACTS || path.join(repo, 'tests', 'e2e', 'artifacts'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || '60000');

function log(msg) {
  process.stdout.write(`[report-e2e] ${msg}\n`);
}

function check(ok, what, detail) {
  if (!ok) throw new Error(`${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
  log(`ok: ${what}`);
}

async function main() {
  if (!fs.existsSync(VERBATIM_BIN)) throw new Error(`VERBATIM_BIN is not a file: ${VERBATIM_BIN}`);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verbatim-report-'));
  const html = path.join(ARTIFACTS, 'report.html');
  const run = spawnSync(VERBATIM_BIN, ['report', 'examples/harbour-bridge', '-o', html], {
    cwd: repo,
    encoding: 'utf8',
  });
  check(run.status === 0, 'verbatim report exits 0', { status: run.status, stderr: run.stderr });
  const url = pathToFileURL(html).href;

  const browser = await launch({
    executablePath: CHROMIUM,
    userDataDir: path.join(work, 'chromium'),
    width: 1280,
    height: 900,
    timeout: TIMEOUT,
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const problems = [];
    const requests = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`[${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`[pageerror] ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => problems.push(`[requestfailed] ${r.url()}`));

    await page.goto(url, { waitUntil: 'load' });
    check(requests.length === 1 && requests[0] === url, 'the page requests nothing but itself', requests);

    // The planted difference, highlighted.
    const planted = await page.evaluate(() => {
      const u = [...document.querySelectorAll('details.utterance')].find((d) =>
        d.querySelector('summary').textContent.includes('The main cables have lost more steel'));
      if (!u) return null;
      const row = [...u.querySelectorAll('table.align tr')].find((tr) => tr.querySelector('th').textContent === 'C');
      const marks = [...row.querySelectorAll('td.variant mark')];
      const box = row.getBoundingClientRect();
      return {
        open: u.open,
        words: marks.map((m) => m.textContent),
        backgrounds: marks.map((m) => getComputedStyle(m).backgroundColor),
        weights: marks.map((m) => getComputedStyle(m).fontWeight),
        plain: getComputedStyle(row.querySelector('td:not(.variant):not(.empty)')).backgroundColor,
        visible: box.width > 0 && box.height > 0,
      };
    });
    check(planted !== null, 'the quote-differs utterance is on the page');
    check(planted.open && planted.visible, 'it is open and its table is visible', planted);
    check(JSON.stringify(planted.words) === '["calculations","predicted"]',
      'the translation row marks "calculations predicted"', planted.words);
    check(planted.backgrounds.every((c) => c !== planted.plain && c !== 'rgba(0, 0, 0, 0)'),
      'the marked words are painted another colour than agreeing words', planted);
    check(planted.weights.every((w) => Number(w) >= 600), 'and set in bold (shows without colour)', planted.weights);

    // The screenshot of the planted difference (README).
    const utterance = await page.evaluateHandle(() => [...document.querySelectorAll('details.utterance')]
      .find((d) => d.querySelector('summary').textContent.includes('The main cables have lost more steel')));
    await utterance.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const shot = path.join(ARTIFACTS, 'report.png');
    await utterance.asElement().screenshot({ path: shot });
    if (process.env.DOCS_SCREENSHOT) fs.copyFileSync(shot, process.env.DOCS_SCREENSHOT);
    log(`screenshot ${shot}`);

    // Keyboard.
    await page.evaluate(() => { window.scrollTo(0, 0); document.activeElement && document.activeElement.blur(); });
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement.textContent);
    check(first === 'Skip to the findings', 'the first Tab stop is the skip link', first);
    await page.keyboard.press('Enter');
    check((await page.evaluate(() => location.hash)) === '#findings', 'Enter on it goes to the findings');
    await page.focus('button[data-action="collapse"]');
    await page.keyboard.press('Enter');
    const openAfterFold = await page.evaluate(() => document.querySelectorAll('details[open]').length);
    check(openAfterFold === 0, '"Fold all" with Enter folds every quote', openAfterFold);
    await page.focus('details.utterance summary');
    await page.keyboard.press('Enter');
    check(await page.evaluate(() => document.querySelector('details.utterance').open),
      'Enter on a folded quote\'s summary unfolds it');
    await page.focus('button[data-action="expand"]');
    await page.keyboard.press('Enter');
    const [openAll, total] = await page.evaluate(() =>
      [document.querySelectorAll('details[open]').length, document.querySelectorAll('details').length]);
    check(openAll === total && total > 0, '"Unfold all" with Enter unfolds every quote', { openAll, total });

    // Print: fold some, then print; everything is unfolded while printing and folded back after.
    await page.evaluate(() => {
      document.querySelectorAll('details').forEach((d) => { d.open = false; });
      window.__unfoldedWhilePrinting = null;
      window.addEventListener('beforeprint', () => {
        window.__unfoldedWhilePrinting = document.querySelectorAll('details:not([open])').length === 0;
      });
    });
    await page.pdf({ path: path.join(ARTIFACTS, 'report.pdf'), printBackground: true });
    const printed = await page.evaluate(() => ({
      unfolded: window.__unfoldedWhilePrinting,
      foldedAfter: document.querySelectorAll('details[open]').length === 0,
    }));
    check(printed.unfolded === true && printed.foldedAfter, 'printing unfolds every quote, then folds them back', printed);
    await page.emulateMediaType('print');
    const controls = await page.evaluate(() => getComputedStyle(document.querySelector('.controls')).display);
    check(controls === 'none', 'the buttons are not printed', controls);
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-print.png'), fullPage: true });
    await page.emulateMediaType(null);

    check(problems.length === 0, 'no console error or warning, no page error', problems);

    // Every example story on one page.
    const all = path.join(ARTIFACTS, 'report-examples.html');
    const runAll = spawnSync(VERBATIM_BIN, ['report', 'examples', '-o', all], { cwd: repo, encoding: 'utf8' });
    check(runAll.status === 0, 'verbatim report examples exits 0', { status: runAll.status, stderr: runAll.stderr });
    const stories = fs.readdirSync(path.join(repo, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory());
    requests.length = 0;
    await page.goto(pathToFileURL(all).href, { waitUntil: 'load' });
    const shown = await page.evaluate(() => ({
      stories: document.querySelectorAll('section.story').length,
      marked: document.querySelectorAll('table.align mark').length,
    }));
    check(shown.stories >= stories.length && shown.marked > 0,
      `the page of every example shows ${stories.length} stories or more, with marked words`, shown);
    check(requests.length === 1, 'it requests nothing but itself', requests);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-examples.png'), fullPage: true });
    check(problems.length === 0, 'no console error or warning on it either', problems);
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => log('PASS'),
  (e) => {
    log(`FAIL: ${e.stack || e.message}`);
    process.exitCode = 1;
  },
);
