// Opens a Reel watch page in Debian's chromium (headless, driven by playwright-core; no browser download) and
// reports, as one JSON line on stdout, whether hls.js (or, on the DASH page, dash.js) really played: currentTime,
// loaded levels or representations, fatal errors.
// Usage: node play.mjs <watch page URL> <screenshot path> [seconds to play]
import { launchChromium } from './chromium.mjs';

const [url, screenshot, seconds = '3'] = process.argv.slice(2);
const browser = await launchChromium();
const result = { url, consoleErrors: [] };
try {
  const page = await browser.newPage();
  page.on('console', (message) => { if (message.type() === 'error') { result.consoleErrors.push(message.text()); } });
  page.on('pageerror', (error) => result.consoleErrors.push(String(error)));
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
  await page.waitForFunction((target) => {
    const video = document.getElementById('video');
    return (video && video.currentTime > target) || (window.reel && window.reel.fatalError);
  }, Number(seconds), { timeout: 90000, polling: 200 });
  await page.waitForFunction(() => document.getElementById('views').textContent !== '…', null, { timeout: 30000 });
  Object.assign(result, await page.evaluate(() => ({
    currentTime: document.getElementById('video').currentTime,
    fatalError: window.reel.fatalError,
    levelsLoaded: window.reel.levelsLoaded,
    levels: window.reel.hls ? window.reel.hls.levels.map((level) => level.height) : [],
    representations: window.reel.representations || [],
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
