// Uploads a file through Reel's upload page in Debian's chromium (headless, playwright-core) the way a person would:
// API key, file picker, title, Upload; the link is throttled (Chrome DevTools network emulation) so the page can be
// reloaded mid-upload; the same file is chosen again and the upload must resume where the server has it. Then the
// page opens the watch page, which must play. Reports one JSON line.
// Usage: node upload-page.mjs <front door URL> <api key> <file> <upload bytes/s> <screenshot path>
import { launchChromium } from './chromium.mjs';

const [base, apiKey, file, bytesPerSecond, screenshot] = process.argv.slice(2);
const browser = await launchChromium();
const result = {};
try {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const throttle = (upload) => cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 10, downloadThroughput: -1, uploadThroughput: upload });
  await page.goto(base + '/upload', { waitUntil: 'domcontentloaded', timeout: 60000 });
  await throttle(Number(bytesPerSecond));
  await page.fill('#apiKey', apiKey);
  await page.setInputFiles('#file', file);
  await page.fill('#title', 'Uploaded from the browser');
  await page.selectOption('#visibility', 'public');
  await page.click('#start');
  const total = (await import('node:fs')).statSync(file).size;
  // past the first 4 MiB PATCH, so the server holds part of the file whatever happens to the PATCH the reload cuts
  await page.waitForFunction((size) => window.reelUpload.bytesSent > Math.max(size * 0.3, 4.5 * 1048576)
    || window.reelUpload.error, total,
    { timeout: 120000, polling: 100 });
  result.bytesSentBeforeReload = await page.evaluate(() => window.reelUpload.bytesSent);
  result.statusBeforeReload = await page.textContent('#status');

  await page.reload({ waitUntil: 'domcontentloaded' });
  await throttle(Number(bytesPerSecond));
  result.apiKeyKept = (await page.inputValue('#apiKey')) === apiKey;
  await page.setInputFiles('#file', file);
  await page.click('#start');
  await page.waitForFunction(() => window.reelUpload.resumedFromOffset !== null || window.reelUpload.error, null,
    { timeout: 60000, polling: 100 });
  result.resumedFromOffset = await page.evaluate(() => window.reelUpload.resumedFromOffset);
  await throttle(-1);
  await page.waitForURL('**/watch/**', { timeout: 180000 });
  result.watchUrl = page.url();
  result.processingShown = await page.isVisible('#processing');
  await page.waitForFunction(() => {
    const video = document.getElementById('video');
    return (video && video.currentTime > 3) || (window.reel && window.reel.fatalError);
  }, null, { timeout: 240000, polling: 250 });
  Object.assign(result, await page.evaluate(() => ({
    currentTime: document.getElementById('video').currentTime,
    fatalError: window.reel.fatalError,
  })));
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (error) {
  result.error = String(error);
} finally {
  await browser.close();
}
result.size = (await import('node:fs')).statSync(file).size;
console.log(JSON.stringify(result));
