// Viewer-experience sessions for the end-to-end suite, in Debian's chromium (headless, playwright-core), with the
// network throttled through the DevTools protocol (Network.emulateNetworkConditions). Prints one JSON line.
//   node qoe.mjs sessions <watch URL> <pages> <seconds> <kbit/s>  pages play side by side, throttled, for <seconds>;
//                                                                  then each is paused, measured (window.reel.qoe())
//                                                                  and closed (its page-hide beacon goes out)
//   node qoe.mjs exit <watch URL>                                   a page closed 1.5 s after it opened, before its
//                                                                  first frame (its media segments are blocked)
//   node qoe.mjs fail <watch URL> <seconds>                         plays until the player reports a fatal error
//   node qoe.mjs dashboard <dashboard URL> <plays> <screenshot>     the dashboard's tiles once it shows <plays> plays
import { chromium } from 'playwright-core';

const [mode, url, ...rest] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.REEL_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Closes a page as a viewer closing the tab does (page-hide handlers run, sendBeacon goes out), and waits until it is
 * closed and its beacon had time to leave: close() with runBeforeUnload returns before the page is gone.
 */
async function leave(page) {
  const closed = new Promise((resolve) => page.once('close', resolve));
  await page.close({ runBeforeUnload: true });
  await closed;
  await sleep(1000);
}

async function open(pageUrl, kbps) {
  const page = await browser.newPage();
  if (kbps > 0) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions',
      { offline: false, latency: 20, downloadThroughput: (kbps * 1000) / 8, uploadThroughput: -1 });
  }
  await page.goto(pageUrl, { waitUntil: 'domcontentloaded', timeout: 60000 });
  return page;
}

/** Pauses (which ends a stall going on and stops the watch clock), then reads the page's own measurement. */
async function measure(page) {
  return page.evaluate(async () => {
    document.getElementById('video').pause();
    await new Promise((resolve) => setTimeout(resolve, 200));
    return Object.assign(window.reel.qoe(), { fatal: window.reel.fatalError, beacons: window.reel.beaconsSent.length });
  });
}

let result;
try {
  if (mode === 'sessions') {
    const [count, seconds, kbps] = rest.map(Number);
    const pages = await Promise.all(Array.from({ length: count }, () => open(url, kbps)));
    await sleep(seconds * 1000);
    const sessions = [];
    for (const page of pages) {
      sessions.push(await measure(page));
      await leave(page);
    }
    result = { sessions };
  } else if (mode === 'exit') {
    // the media segments are blocked through the DevTools protocol (Network.setBlockedURLs), so no first frame can come;
    // not with page.route: a page that intercepts requests loses the beacon it sends while closing
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setBlockedURLs', { urls: ['*/seg-*.m4s*'] });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
    await page.waitForFunction(() => window.reel && window.reel.hls, null, { timeout: 60000, polling: 100 });
    await sleep(1500);
    const before = await page.evaluate(() => window.reel.qoe());
    await leave(page);
    result = { sessions: [before] };
  } else if (mode === 'fail') {
    const page = await open(url, 0);
    await page.waitForFunction(() => window.reel && window.reel.fatalError, null,
      { timeout: Number(rest[0]) * 1000, polling: 200 });
    const measured = await page.evaluate(() => Object.assign(window.reel.qoe(), { fatal: window.reel.fatalError }));
    await leave(page);
    result = { sessions: [measured] };
  } else if (mode === 'dashboard') {
    const [plays, screenshot] = rest;
    const page = await open(url, 0);
    await page.waitForFunction((wanted) => {
      const tile = document.getElementById('total-plays');
      return tile && Number(tile.dataset.value) >= wanted;
    }, Number(plays), { timeout: 60000, polling: 500 });
    result = await page.evaluate(() => {
      const tiles = {};
      document.querySelectorAll('.tile strong').forEach((tile) => {
        tiles[tile.id.replace('total-', '')] = tile.dataset.value === '' ? null : Number(tile.dataset.value);
      });
      return { tiles, heading: document.getElementById('heading').textContent,
        charts: document.querySelectorAll('.uplot').length };
    });
    await page.screenshot({ path: screenshot, fullPage: true });
  } else {
    result = { error: 'unknown mode ' + mode };
  }
} catch (error) {
  result = { error: String(error) };
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
