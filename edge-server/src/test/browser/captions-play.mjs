// Opens a Reel watch page in Debian's chromium (headless, playwright-core), picks a text track in the page's subtitles
// menu, plays from the start and reports, as one JSON line on stdout, when the cue text was shown in the page:
// the video's currentTime when the page's caption line first and last read the expected text. Then, if asked, hovers the
// seek bar at a fraction of its width and reports the pointer's time (that fraction of the video's duration) beside the
// storyboard tile the page shows (its cue's time range, from the storyboard's WebVTT file).
// Usage: node captions-play.mjs <watch page URL> <language> <cue text> <seconds to play> <screenshot path> [<fraction>]
import { launchChromium } from './chromium.mjs';

const [url, language, cueText, seconds, screenshot, hoverFraction] = process.argv.slice(2);
const browser = await launchChromium();
const result = { url, consoleErrors: [] };
try {
  const page = await browser.newPage();
  page.on('console', (message) => { if (message.type() === 'error') { result.consoleErrors.push(message.text()); } });
  page.on('pageerror', (error) => result.consoleErrors.push(String(error)));
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
  await page.waitForFunction(() => document.querySelectorAll('#captions option').length > 1
    || (window.reel && window.reel.fatalError), null, { timeout: 60000, polling: 100 });
  result.menu = await page.evaluate(() => Array.from(document.querySelectorAll('#captions option'))
    .map((option) => ({ value: option.value, label: option.textContent, lang: option.lang })));
  const choice = result.menu.find((option) => option.lang === language);
  if (!choice) { throw new Error('no ' + language + ' track in the menu'); }
  await page.selectOption('#captions', choice.value);
  // from the start, sampling the page's caption line every 50 ms against the video's clock
  await page.evaluate((expected) => {
    const video = document.getElementById('video');
    window.captionSamples = { first: null, last: null, other: [] };
    video.currentTime = 0;
    video.play().catch(() => {});
    setInterval(() => {
      const shown = document.getElementById('caption').textContent.trim();
      const t = video.currentTime;
      if (shown === expected) {
        if (window.captionSamples.first === null) { window.captionSamples.first = t; }
        window.captionSamples.last = t;
      } else if (shown !== '' && window.captionSamples.other.length < 5) {
        window.captionSamples.other.push(shown);
      }
    }, 50);
  }, cueText);
  await page.waitForFunction((target) => document.getElementById('video').currentTime > target
    || (window.reel && window.reel.fatalError), Number(seconds), { timeout: 90000, polling: 100 });
  Object.assign(result, await page.evaluate(() => ({
    firstShownAt: window.captionSamples.first,
    lastShownAt: window.captionSamples.last,
    otherText: window.captionSamples.other,
    currentTime: document.getElementById('video').currentTime,
    fatalError: window.reel.fatalError,
    subtitleTrack: window.reel.hls ? window.reel.hls.subtitleTrack : null,
  })));
  if (hoverFraction) {
    await page.waitForFunction(() => window.reel.storyboard && window.reel.storyboard.cues > 0, null,
      { timeout: 30000, polling: 100 });
    const box = await page.locator('#seekbar').boundingBox();
    const x = box.x + Number(hoverFraction) * box.width;
    await page.mouse.move(x, box.y + box.height / 2);
    await page.waitForFunction(() => window.reel.storyboard.shown !== null, null, { timeout: 5000, polling: 50 });
    const duration = await page.evaluate(() => document.getElementById('video').duration);
    const preview = await page.locator('#storyboard').boundingBox();
    result.storyboard = await page.evaluate(() => ({
      cues: window.reel.storyboard.cues,
      shown: window.reel.storyboard.shown,
      image: document.getElementById('storyboard-tile').style.backgroundImage,
      visible: !document.getElementById('storyboard').hidden,
    }));
    Object.assign(result.storyboard, { duration, pointerTime: Number(hoverFraction) * duration, pointerX: x,
      previewCentre: preview ? preview.x + preview.width / 2 : null });
  }
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (error) {
  result.error = String(error);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
