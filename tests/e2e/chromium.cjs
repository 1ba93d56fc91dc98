// Headless Chromium as the end-to-end tests launch it (puppeteer-core): no sandbox (CI runs as
// root), no GPU, no background traffic, a throw-away profile.
'use strict';

const puppeteer = require('puppeteer-core');

/// Launches `executablePath` with a profile in `userDataDir` and a `width`×`height` viewport.
function launch({ executablePath, userDataDir, width, height, timeout }) {
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${userDataDir}`,
      `--window-size=${width},${height}`,
    ],
    defaultViewport: { width, height },
    protocolTimeout: timeout * 2,
  });
}

module.exports = { launch };
