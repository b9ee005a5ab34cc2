// Opens a Reel watch page in Debian's chromium (headless, driven by playwright-core; no browser download) and
// reports, as one JSON line on stdout, whether hls.js (or, on the DASH page, dash.js) really played: currentTime,
// loaded levels or representations, fatal errors, and the wall-clock times (epoch ms) the page was asked for, had
// loaded (DOMContentLoaded) and started playing.
// Usage: node play.mjs <watch page URL> <screenshot path> [seconds to play]
// With '-' as the URL the browser is started first and the URL read from stdin (one line), so a caller can measure from
// an instant of its own without the browser's start-up in it.
import { launchChromium } from './chromium.mjs';
import { createInterface } from 'node:readline';

const [urlArgument, screenshot, seconds = '3'] = process.argv.slice(2);
const browser = await launchChromium();
const page = await browser.newPage();
let url = urlArgument;
if (url === '-') {
  console.log(JSON.stringify({ browserReady: Date.now() }));
  url = (await createInterface({ input: process.stdin })[Symbol.asyncIterator]().next()).value.trim();
}
const result = { url, consoleErrors: [], navigatedAt: Date.now() };
try {
  page.on('console', (message) => { if (message.type() === 'error') { result.consoleErrors.push(message.text()); } });
  page.on('pageerror', (error) => result.consoleErrors.push(String(error)));
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
  result.loadedAt = Date.now();
  await page.waitForFunction((target) => {
    const video = document.getElementById('video');
    return (video && video.currentTime > target) || (window.reel && window.reel.fatalError);
  }, Number(seconds), { timeout: 90000, polling: 200 });
  await page.waitForFunction(() => document.getElementById('views').textContent !== '…', null, { timeout: 30000 });
  Object.assign(result, await page.evaluate(() => ({
    currentTime: document.getElementById('video').currentTime,
    playingAt: window.reel.playingAt,
    fatalError: window.reel.fatalError,
    levelsLoaded: window.reel.levelsLoaded,
    levels: window.reel.hls ? window.reel.hls.levels.map((level) => level.height) : [],
    representations: window.reel.representations || [],
    // dash.js's text tracks (the MPD's text AdaptationSets): language and label
    textTracks: window.reel.dash ? window.reel.dash.getTracksFor('text').map((track) => ({
      lang: track.lang, label: (track.labels || []).map((l) => l.text || l).join(' '), roles: (track.roles || []).map((r) => r.value || String(r)),
    })) : [],
    audioTracks: window.reel.hls ? window.reel.hls.audioTracks.length : 0,
    qualityMenu: Array.from(document.querySelectorAll('#quality option')).map((option) => option.textContent),
    title: document.getElementById('title').textContent,
    views: document.getElementById('views').textContent,
  })));
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (error) {
  result.error = String(error);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
