// Plays a progressive download from a plain <video src> in Debian's chromium (headless, playwright-core), on a link
// throttled (Chrome DevTools network emulation) so that the whole file takes several seconds to arrive, and reports
// as one JSON line: when playback started, how much of the file was buffered then, and how far it played.
// Usage: node download-play.mjs <page URL of the same origin> <download path> <throttle bytes/s> <screenshot path>
import { launchChromium } from './chromium.mjs';

const [pageUrl, downloadPath, bytesPerSecond, screenshot] = process.argv.slice(2);
const browser = await launchChromium();
const result = { pageUrl, downloadPath };
try {
  const page = await browser.newPage();
  await page.goto(pageUrl, { waitUntil: 'domcontentloaded', timeout: 60000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 20, downloadThroughput: Number(bytesPerSecond), uploadThroughput: -1 });
  await page.evaluate((src) => {
    document.body.innerHTML = '<video id="video" muted autoplay playsinline controls></video>';
    const video = document.getElementById('video');
    window.download = { startedAt: performance.now(), playingAt: null, bufferedAtPlaying: null, durationAtPlaying: null,
      error: null };
    video.addEventListener('playing', () => {
      if (window.download.playingAt === null) {
        window.download.playingAt = performance.now() - window.download.startedAt;
        const b = video.buffered;
        window.download.bufferedAtPlaying = b.length ? b.end(b.length - 1) : 0;
        window.download.durationAtPlaying = video.duration;
      }
    });
    video.addEventListener('error', () => { window.download.error = video.error ? video.error.message || String(video.error.code) : 'error'; });
    video.src = src; // a plain <video src>: no player library
  }, downloadPath);
  await page.waitForFunction(() => (window.download.playingAt !== null && document.getElementById('video').currentTime > 2)
    || window.download.error, null, { timeout: 120000, polling: 100 });
  Object.assign(result, await page.evaluate(() => ({ ...window.download,
    currentTime: document.getElementById('video').currentTime, duration: document.getElementById('video').duration })));
  await page.screenshot({ path: screenshot });
} catch (error) {
  result.error = String(error);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
