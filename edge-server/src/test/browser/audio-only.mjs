// Plays the audio-only variant of a video's master playlist on its own in Debian's chromium with hls.js, and reports
// as one JSON line what played. hls.js drops audio-only variants from a master that also has video variants (it cannot
// switch a MediaSource between audio+video and audio alone), so the variant is found in the master here and its media
// playlist given to hls.js directly: what a player that chose the variant would play.
// Usage: node audio-only.mjs <front door URL> <videoId> <screenshot path> [seconds to play]
import { reportFromPage } from './chromium.mjs';

const [base, videoId, screenshot, seconds = '3'] = process.argv.slice(2);
await reportFromPage(async (page, result) => {
  await page.goto(base + '/', { waitUntil: 'domcontentloaded', timeout: 60000 }); // a page of the edge's origin
  await page.addScriptTag({ url: '/assets/hls.min.js' });
  Object.assign(result, await page.evaluate(async (id) => {
    const masterUrl = new URL('/v/' + encodeURIComponent(id) + '/master.m3u8', location.href);
    const lines = (await (await fetch(masterUrl)).text()).split('\n');
    const at = lines.findIndex((line) => line.startsWith('#EXT-X-STREAM-INF:') && !line.includes('RESOLUTION=')
      && /CODECS="mp4a\.[^",]*"/.test(line));
    if (at < 0) {
      return { error: 'no audio-only variant in the master' };
    }
    const variant = new URL(lines[at + 1].trim(), masterUrl).href;
    const video = document.createElement('video');
    video.id = 'audio-only';
    video.muted = true; // decoded all the same; the autoplay policy of a page without a gesture wants it
    video.controls = true;
    document.body.prepend(video);
    const hls = new Hls({ startPosition: 0 });
    window.reelAudioOnly = { hls: hls, fatalError: null };
    hls.on(Hls.Events.ERROR, (event, data) => { if (data.fatal) { window.reelAudioOnly.fatalError = data.type + ': ' + data.details; } });
    hls.loadSource(variant);
    hls.attachMedia(video);
    video.play().catch(() => {});
    return { variantLine: lines[at], variant: variant, variantsInMaster: lines.filter((l) => l.startsWith('#EXT-X-STREAM-INF:')).length };
  }, videoId));
  if (!result.error) {
    await page.waitForFunction((target) => document.getElementById('audio-only').currentTime > target
      || window.reelAudioOnly.fatalError, Number(seconds), { timeout: 90000, polling: 200 });
    Object.assign(result, await page.evaluate(() => {
      const video = document.getElementById('audio-only');
      const hls = window.reelAudioOnly.hls;
      return {
        currentTime: video.currentTime,
        fatalError: window.reelAudioOnly.fatalError,
        audioDecodedBytes: video.webkitAudioDecodedByteCount,
        videoDecodedBytes: video.webkitVideoDecodedByteCount,
        videoWidth: video.videoWidth,
        levels: hls.levels.map((level) => ({ audioCodec: level.audioCodec || null, videoCodec: level.videoCodec || null })),
      };
    }));
    await page.screenshot({ path: screenshot, fullPage: true });
  }
});
