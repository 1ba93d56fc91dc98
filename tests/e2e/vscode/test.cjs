#!/usr/bin/env node
// End-to-end test of the Verbatim extension in real VS Code: code-server serves the workbench on
// 127.0.0.1, headless Chromium (puppeteer-core) drives it like a user would.
//
// Opens the ferry fixture's draft (Ctrl+P), waits for the squiggle under the quote that differs from the
// other versions, hovers it and checks the table of readings (screenshot saved), applies the quick fix
// "Use canonical wording" and checks that the text changed and the squiggle went away.
//
// Environment (set by .ci/editors):
//   VERBATIM_BIN   the server binary under test (required; written to verbatim.server.path)
//   CODE_SERVER    the code-server launcher (required)
//   VSIX           the packaged extension (required)
//   ARTIFACTS      where screenshots and logs go (default tests/e2e/artifacts)
//   CHROMIUM       default /usr/bin/chromium
//   E2E_TIMEOUT_MS the bound on each wait (default 60000)
//   DOCS_SCREENSHOT if set, a copy of the hover screenshot is written there too

'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { launch } = require('../chromium.cjs');

const repo = path.resolve(__dirname, '..', '..', '..');
const env = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined || v === '') {
    if (fallback === undefined) throw new Error(`${name} is not set`);
    return fallback;
  }
  return v;
};
const VERBATIM_BIN = path.resolve(env('VERBATIM_BIN'));
const CODE_SERVER = env('CODE_SERVER');
const VSIX = path.resolve(env('VSIX'));
const ARTIFACTS = path.resolve(env('ARTIFACTS', path.join(repo, 'tests', 'e2e', 'artifacts')));
const CHROMIUM = env('CHROMIUM', '/usr/bin/chromium');
const TIMEOUT = Number(env('E2E_TIMEOUT_MS', '60000'));

const BAD = 'We will not put one passenger on a boat we cannot trust';
const GOOD = 'We will not put a single passenger on a boat that we cannot trust';

function log(msg) {
  process.stdout.write(`[vscode-e2e] ${msg}\n`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(what, fn, timeout = TIMEOUT, interval = 250) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last instanceof Error ? ` (${last.message})` : ''}`);
}

async function waitForHttp(url, timeout) {
  await waitFor(`code-server at ${url}`, async () => {
    const res = await fetch(url, { redirect: 'manual' });
    return res.status > 0;
  }, timeout, 500);
}

/** The text of the editor's visible lines (Monaco renders spaces as U+00A0). */
async function editorText(page) {
  return page.$$eval('.editor-instance .view-lines .view-line', (lines) =>
    lines
      .map((l) => ({ top: parseFloat(l.style.top || '0'), text: l.textContent || '' }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text.replace(/\u00a0/g, ' '))
      .join('\n'),
  );
}

async function main() {
  for (const [name, p] of [['VERBATIM_BIN', VERBATIM_BIN], ['VSIX', VSIX], ['CHROMIUM', CHROMIUM]]) {
    if (!fs.existsSync(p)) throw new Error(`${name} does not exist: ${p}`);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'verbatim-vscode-e2e-'));
  const userData = path.join(work, 'user-data');
  const extensions = path.join(work, 'extensions');
  const corpus = path.join(work, 'ferry');
  fs.cpSync(path.join(repo, 'tests', 'e2e', 'fixtures', 'ferry'), corpus, { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'verbatim.server.path': VERBATIM_BIN,
        'verbatim.server.logLevel': 'debug',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'chat.disableAIFeatures': true,
        'files.autoSave': 'off',
        'editor.hover.delay': 200,
        'editor.minimap.enabled': false,
        'editor.wordWrap': 'on',
        'window.restoreWindows': 'none',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      null,
      2,
    ),
  );

  // The remote (machine) settings of code-server, read by its server side: the extension host sees them
  // from its first moment, while user settings arrive from the browser.
  fs.mkdirSync(path.join(userData, 'Machine'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'Machine', 'settings.json'),
    JSON.stringify({ 'verbatim.server.path': VERBATIM_BIN }, null, 2),
  );

  log(`installing ${path.basename(VSIX)} into ${extensions}`);
  const install = spawnSync(
    CODE_SERVER,
    ['--install-extension', VSIX, '--extensions-dir', extensions, '--user-data-dir', userData],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (install.status !== 0) {
    throw new Error(`code-server --install-extension failed (${install.status}): ${install.stdout}\n${install.stderr}`);
  }
  if (!fs.readdirSync(extensions).some((d) => d.startsWith('verbatim.verbatim-'))) {
    throw new Error(`the extension is not in ${extensions} after install: ${install.stdout}`);
  }

  const port = await freePort();
  const configFile = path.join(work, 'code-server.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const serverLog = fs.openSync(path.join(ARTIFACTS, 'code-server.log'), 'w');
  log(`starting code-server on 127.0.0.1:${port}`);
  const server = spawn(
    CODE_SERVER,
    [
      '--config', configFile,
      '--user-data-dir', userData,
      '--extensions-dir', extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      corpus,
    ],
    { stdio: ['ignore', serverLog, serverLog], detached: true },
  );
  let browser;
  const cleanup = async () => {
    if (browser) await browser.close().catch(() => {});
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {}
  };

  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, TIMEOUT);
    browser = await launch({
      executablePath: CHROMIUM,
      userDataDir: path.join(work, 'chromium'),
      width: 1400,
      height: 900,
      timeout: TIMEOUT,
    });
    const page = await browser.newPage();
    const consoleLog = [];
    page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLog.push(`[pageerror] ${e.message}`));
    const shot = (name) => page.screenshot({ path: path.join(ARTIFACTS, name) }).catch(() => {});

    try {
      // The first load compiles and serves the whole workbench; on a loaded 2-core machine it can be
      // slow, so it gets twice the usual bound and one more try.
      const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(corpus)}`;
      for (let attempt = 1; ; attempt++) {
        try {
          await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 2 * TIMEOUT });
          await page.waitForSelector('.monaco-workbench', { timeout: 2 * TIMEOUT });
          break;
        } catch (e) {
          if (attempt >= 2) throw e;
          log(`loading the workbench failed (${e.message}); trying once more`);
        }
      }
      log('workbench loaded');
      // The explorer shows the corpus folder once the workspace is open.
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: TIMEOUT });

      // Quick Open the draft.
      await waitFor('quick open', async () => {
        await page.keyboard.down('Control');
        await page.keyboard.press('KeyP');
        await page.keyboard.up('Control');
        return page.waitForSelector('.quick-input-widget input', { visible: true, timeout: 2000 }).then(() => true, () => false);
      });
      await page.type('.quick-input-widget input', 'draft.md', { delay: 20 });
      await waitFor('draft.md in quick open', () =>
        page.$$eval('.quick-input-list .monaco-list-row', (rows) => rows.some((r) => (r.textContent || '').includes('draft.md'))),
      );
      await page.keyboard.press('Enter');
      await waitFor('draft.md in the editor', async () => (await editorText(page)).includes('Gannet Rose'));
      log('draft.md open');

      // The squiggle appears on the differing quote.
      const squiggle = await waitFor(
        'a .squiggly-* decoration from Verbatim',
        async () => {
          // quote-differs is a warning; other findings on the same quote (info, hint) have other squiggles.
          return page.$('.editor-instance .squiggly-warning');
        },
        TIMEOUT,
        500,
      ).catch(async (e) => {
        await shot('vscode-no-squiggle.png');
        throw e;
      });
      const squiggleClass = await squiggle.evaluate((el) => el.className);
      log(`squiggle found: ${squiggleClass}`);
      const before = await editorText(page);
      if (!before.includes(BAD)) throw new Error(`the draft does not show the differing quote: ${before}`);

      // The squiggle sits on the line of the differing quote.
      const box = await squiggle.boundingBox();
      const lineBox = await page.$$eval(
        '.editor-instance .view-lines .view-line',
        (lines, bad) => {
          const l = lines.find((x) => (x.textContent || '').replace(/\u00a0/g, ' ').includes(bad));
          if (!l) return null;
          const r = l.getBoundingClientRect();
          return { y: r.y, height: r.height };
        },
        BAD,
      );
      if (!box || !lineBox) throw new Error('could not locate the squiggle or the quote line on screen');
      if (Math.abs(box.y + box.height / 2 - (lineBox.y + lineBox.height / 2)) > lineBox.height) {
        throw new Error(`the squiggle (y=${box.y}) is not on the quote's line (y=${lineBox.y})`);
      }

      // Hover: the table of readings.
      const hoverText = await waitFor('the hover with the versions table', async () => {
        await page.mouse.move(box.x + 5, box.y - 20);
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 4, { steps: 5 });
        const ok = await page
          .waitForFunction(
            () => {
              const hovers = [...document.querySelectorAll('.monaco-hover, .workbench-hover')];
              return hovers.some((h) => h.offsetParent !== null && h.querySelector('table'));
            },
            { timeout: 3000 },
          )
          .then(() => true, () => false);
        if (!ok) return null;
        return page.$$eval('.monaco-hover', (hs) => hs.map((h) => h.innerText).join('\n'));
      });
      log(`hover: ${hoverText.replace(/\s+/g, ' ').slice(0, 300)}`);
      // The hover lists the diagnostics first; scroll it (the mouse may rest on a hover) so the table of
      // readings is in view for the screenshot.
      const hoverBox = await page.$$eval('.monaco-hover', (hs) => {
        const h = hs.find((x) => x.offsetParent !== null && x.querySelector('table'));
        if (!h) return null;
        const r = h.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      });
      if (hoverBox) {
        // Move into the hover along a vertical path from the squiggle, so it stays open.
        await page.mouse.move(box.x + 30, hoverBox.y + hoverBox.height / 2, { steps: 8 });
        for (let i = 0; i < 6; i++) {
          await page.mouse.wheel({ deltaY: 200 });
          await new Promise((r) => setTimeout(r, 150));
        }
        await new Promise((r) => setTimeout(r, 300));
      }
      const tableInView = await page.$$eval('.monaco-hover', (hs) => {
        const h = hs.find((x) => x.offsetParent !== null && x.querySelector('table'));
        if (!h) return false;
        const hr = h.getBoundingClientRect();
        const tr = h.querySelector('table').getBoundingClientRect();
        return tr.top >= hr.top - 1 && tr.top < hr.bottom;
      });
      log(`versions table in view for the screenshot: ${tableInView}`);
      const hoverShot = path.join(ARTIFACTS, 'vscode-hover.png');
      await page.screenshot({ path: hoverShot });
      if (process.env.DOCS_SCREENSHOT) fs.copyFileSync(hoverShot, process.env.DOCS_SCREENSHOT);
      for (const words of ['a single passenger', 'one passenger']) {
        if (!hoverText.includes(words)) throw new Error(`the hover does not show the reading with "${words}": ${hoverText}`);
      }

      // The status bar item counts the corpus and the findings.
      const status = await waitFor('the Verbatim status bar item with counts', () =>
        page.$$eval('.statusbar-item', (items) =>
          items.map((i) => i.textContent || '').find((t) => /Verbatim: \d+ files? · [1-9]\d* findings?/.test(t)) || null,
        ),
      );
      log(`status bar: ${status.trim()}`);

      // "Show all versions of this quote" peeks at the quote in the other versions.
      await page.mouse.move(10, 10);
      await page.keyboard.press('Escape');
      await page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + box.height / 2 - 4);
      await page.keyboard.press('F1');
      await page.waitForSelector('.quick-input-widget input', { visible: true, timeout: TIMEOUT });
      await page.type('.quick-input-widget input', 'Verbatim: Show all versions', { delay: 10 });
      await waitFor('the Show all versions command in the palette', () =>
        page.$$eval('.quick-input-list .monaco-list-row', (rows) => rows.some((r) => /Show all versions/.test(r.textContent || ''))),
      );
      await page.keyboard.press('Enter');
      const peek = await waitFor('the peek view with the other versions', () =>
        page.$$eval('.peekview-widget', (ws) => {
          const t = ws.map((w) => w.textContent || '').join('\n');
          return t.includes('gazette.md') && t.includes('wire.md') ? t : null;
        }),
      );
      log(`versions peek lists gazette.md and wire.md (${peek.length} chars)`);
      await shot('vscode-versions.png');
      await page.keyboard.press('Escape');
      await waitFor('the peek view to close', async () => !(await page.$('.peekview-widget')));

      // Quick fix: cursor into the quote, Ctrl+., pick "Use canonical wording".
      await page.mouse.move(10, 10);
      await page.keyboard.press('Escape');
      await page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + box.height / 2 - 4);
      const fixTitle = await waitFor('the quick fix menu with "Use canonical wording"', async () => {
        await page.keyboard.down('Control');
        await page.keyboard.press('Period');
        await page.keyboard.up('Control');
        const found = await page
          .waitForFunction(
            () =>
              [...document.querySelectorAll('.action-widget .monaco-list-row, .context-view .action-item, .monaco-list-row.action')]
                .map((r) => r.textContent || '')
                .find((t) => /canonical wording/i.test(t)) || false,
            { timeout: 3000 },
          )
          .then((h) => h.jsonValue(), () => false);
        if (!found) await page.keyboard.press('Escape');
        return found;
      });
      log(`quick fix offered: ${fixTitle}`);
      await shot('vscode-quickfix.png');
      const clicked = await page.evaluate(() => {
        const rows = [...document.querySelectorAll('.action-widget .monaco-list-row, .context-view .action-item, .monaco-list-row.action')];
        const row = rows.find((r) => /canonical wording/i.test(r.textContent || ''));
        if (!row) return false;
        row.dispatchEvent(new MouseEvent('mousemove', { bubbles: true }));
        row.click();
        return true;
      });
      if (!clicked) throw new Error('the quick fix row disappeared before it could be chosen');

      const after = await waitFor('the canonical wording in the editor', async () => {
        const t = await editorText(page);
        return t.includes(GOOD) ? t : null;
      });
      if (after.includes(BAD)) throw new Error('the old wording is still in the editor after the quick fix');
      log('quick fix applied: the text now has the canonical wording');

      await waitFor('the warning squiggle to go away', async () => !(await page.$('.editor-instance .squiggly-warning')));
      log('squiggle gone after the fix');
      await shot('vscode-after-fix.png');

      // Settings reach the running server: undo the fix, then raise quote-differs to an error in the
      // settings file; the extension sends workspace/didChangeConfiguration and the squiggle turns red.
      await page.mouse.click(box.x + Math.min(20, box.width / 2), box.y + box.height / 2 - 4);
      await page.keyboard.down('Control');
      await page.keyboard.press('KeyZ');
      await page.keyboard.up('Control');
      await waitFor('the differing wording back after undo', async () => (await editorText(page)).includes(BAD));
      await page.waitForSelector('.editor-instance .squiggly-warning', { timeout: TIMEOUT });
      fs.writeFileSync(
        path.join(userData, 'Machine', 'settings.json'),
        JSON.stringify({ 'verbatim.server.path': VERBATIM_BIN, 'verbatim.severity': { 'quote-differs': 'error' } }, null, 2),
      );
      await waitFor('an error squiggle after verbatim.severity changed', async () =>
        (await page.$('.editor-instance .squiggly-error')) && !(await page.$('.editor-instance .squiggly-warning')),
      );
      log('verbatim.severity change applied without a restart: quote-differs is now an error');
    } catch (e) {
      await shot('vscode-failure.png');
      fs.writeFileSync(path.join(ARTIFACTS, 'vscode-console.log'), consoleLog.join('\n'));
      throw e;
    }
    fs.writeFileSync(path.join(ARTIFACTS, 'vscode-console.log'), consoleLog.join('\n'));
  } finally {
    await cleanup();
    // The extension's output channel (the server's log) lands in the user-data-dir's logs.
    try {
      const logs = path.join(userData, 'logs');
      const found = spawnSync('find', [logs, '-name', '*Verbatim*'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
      for (const f of found) fs.copyFileSync(f, path.join(ARTIFACTS, `vscode-${path.basename(f)}`));
    } catch {}
    fs.rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().then(
  () => {
    log('PASS');
    process.exit(0);
  },
  (e) => {
    log(`FAIL: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  },
);
