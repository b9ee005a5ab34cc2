// The dashboard of a private video sends what the analytics API accepts for its owner, as headers and never in the
// URL (which the front door logs): the playback token its watch page left in the tab's session storage, and an API key
// the owner types in, which the page keeps in session storage. The analytics API is answered here (page.route), so
// what the page sends can be read; the API's own checks of both are in analytics-streams' AnalyticsClusterIT.
// Reports one JSON line. Usage: node analytics-owner.mjs <edge URL> <video id> <api key>
import { launchChromium } from './chromium.mjs';

const [base, videoId, apiKey] = process.argv.slice(2);
const browser = await launchChromium();
const result = { requests: [] };
try {
  const page = await browser.newPage();
  await page.route('**/api/analytics/**', async (route) => {
    const headers = route.request().headers();
    result.requests.push({ url: route.request().url(), authorization: headers.authorization || null,
      token: headers['x-reel-playback-token'] || null });
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ videoId, title: 'Owned',
      window: '15m', bucketSeconds: 60, totals: { plays: 3 }, series: [] }) });
  });
  // what the watch page of a private video does with its token, in the same tab
  await page.goto(base + '/', { waitUntil: 'domcontentloaded', timeout: 60000 });
  await page.evaluate((id) => sessionStorage.setItem('reel.playbackToken.' + id, 'token-of-' + id), videoId);
  await page.goto(base + '/analytics?video=' + encodeURIComponent(videoId) + '&window=15m',
    { waitUntil: 'domcontentloaded', timeout: 60000 });
  await page.waitForFunction(() => window.reelAnalytics.refreshes >= 1, null, { timeout: 30000, polling: 100 });
  result.formShown = await page.isVisible('#owner-key');
  result.plays = await page.textContent('#total-plays');
  await page.fill('#api-key', apiKey);
  await page.click('#owner-key button[type=submit]');
  await page.waitForFunction(() => window.reelAnalytics.refreshes >= 2, null, { timeout: 30000, polling: 100 });
  result.keptKey = await page.evaluate(() => sessionStorage.getItem('reel.apiKey'));
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}
