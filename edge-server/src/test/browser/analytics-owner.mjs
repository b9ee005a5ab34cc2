// The dashboard of a private video sends what the analytics API accepts for its owner, as headers and never in the
// URL (which the front door logs): the playback token its watch page left in the tab's session storage, and an API key
// the owner types in, which the page keeps in session storage. Reports one JSON line. Two ways:
//   node analytics-owner.mjs stub <base URL> <video id> <api key>
//       the analytics API is answered here (page.route: plays 3), so what the page sends can be read alone; a token is
//       put in session storage as the watch page does, then the key is typed in (edge-server's FrontDoorIT; the API's
//       own checks of both are in analytics-streams' AnalyticsClusterIT)
//   node analytics-owner.mjs platform <base URL> <video id> <api key> <playback token> <screenshot>
//       the real platform (the end-to-end suite): the watch page opened with the token plays to its first frame, its own
//       link opens the dashboard, which must come to show the video's figures; then a fresh browser context (no token,
//       no key) opens the same dashboard, gets the unknown id's answer, and the owner types the key in. Nothing is
//       routed here: a page that intercepts requests loses the beacon it sends while leaving.
// Each dashboard's `requests` are its analytics API requests (URL, both credential headers, status); `urls` every URL
// it asked for.
import { launchChromium } from './chromium.mjs';

const [mode, base, videoId, apiKey, token, screenshot] = process.argv.slice(2);
const DASHBOARD = '/analytics';

/** Records what the page asks for once it is on the dashboard (its own navigation included). */
function recordDashboard(page) {
  const seen = { requests: [], urls: [] };
  page.on('request', (request) => {
    let onDashboard;
    try {
      onDashboard = new URL(request.isNavigationRequest() ? request.url() : request.frame().url()).pathname === DASHBOARD;
    } catch (e) {
      onDashboard = false; // a worker's request: no frame
    }
    if (!onDashboard) {
      return;
    }
    seen.urls.push(request.url());
    if (new URL(request.url()).pathname.startsWith('/api/analytics/')) {
      const headers = request.headers();
      const entry = { url: request.url(), authorization: headers.authorization || null,
        token: headers['x-reel-playback-token'] || null, status: null };
      seen.requests.push(entry);
      request.response().then((response) => { entry.status = response ? response.status() : null; }, () => {});
    }
  });
  return seen;
}

/**
 * Polls `check` (a function run in the page) every 100 ms until it returns something truthy, at most `millis`. Polled
 * from here with page.evaluate rather than page.waitForFunction, whose predicate the page compiles with eval, which the
 * dashboard's Content-Security-Policy (script-src 'self') refused once after the key form's refresh; an evaluation that
 * fails while the page changes is tried again.
 */
async function until(page, check, millis) {
  const deadline = Date.now() + millis;
  let failure = null;
  for (;;) {
    try {
      const value = await page.evaluate(check);
      if (value) {
        return value;
      }
    } catch (e) {
      failure = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${millis} ms` + (failure ? ` (last failure: ${failure})` : ''));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Types the key into the owner's form and waits for the refresh it asks for. */
async function typeKey(page, done) {
  await page.fill('#api-key', apiKey);
  await page.click('#owner-key button[type=submit]');
  await until(page, done, 30000);
  return page.evaluate(() => sessionStorage.getItem('reel.apiKey'));
}

const playsShown = () => {
  const a = window.reelAnalytics;
  return Boolean(a && a.last && a.last.totals && a.last.totals.plays >= 1);
};

async function stub(browser, result) {
  const page = await browser.newPage();
  Object.assign(result, recordDashboard(page));
  await page.route('**/api/analytics/**', (route) => route.fulfill({ status: 200, contentType: 'application/json',
    body: JSON.stringify({ videoId, title: 'Owned', window: '15m', bucketSeconds: 60, totals: { plays: 3 }, series: [] }) }));
  // what the watch page of a private video does with its token, in the same tab
  await page.goto(base + '/', { waitUntil: 'domcontentloaded', timeout: 60000 });
  await page.evaluate((id) => sessionStorage.setItem('reel.playbackToken.' + id, 'token-of-' + id), videoId);
  await page.goto(base + DASHBOARD + '?video=' + encodeURIComponent(videoId) + '&window=15m',
    { waitUntil: 'domcontentloaded', timeout: 60000 });
  await until(page, () => window.reelAnalytics.refreshes >= 1, 30000);
  result.formShown = await page.isVisible('#owner-key');
  result.plays = await page.textContent('#total-plays');
  result.keptKey = await typeKey(page, () => window.reelAnalytics.refreshes >= 2);
}

async function platform(browser, result) {
  const owner = { consoleErrors: [] };
  result.owner = owner;
  const page = await browser.newPage();
  page.on('pageerror', (error) => owner.consoleErrors.push(String(error)));
  Object.assign(owner, recordDashboard(page));
  await page.goto(base + '/watch/' + encodeURIComponent(videoId) + '?token=' + encodeURIComponent(token),
    { waitUntil: 'domcontentloaded', timeout: 60000 });
  // the first frame: the player's session exists (its master playlist served, the play counted)
  await until(page, () => (window.reel && window.reel.fatalError)
    || document.getElementById('video').currentTime > 0, 90000);
  owner.fatalError = await page.evaluate(() => window.reel.fatalError);
  owner.link = await page.getAttribute('#analytics', 'href');
  const clickedAt = Date.now();
  await Promise.all([page.waitForURL((url) => url.pathname === DASHBOARD, { timeout: 30000 }), page.click('#analytics')]);
  owner.dashboardUrl = page.url();
  await until(page, playsShown, 60000);
  owner.figuresAfterMillis = Date.now() - clickedAt;
  owner.totals = await page.evaluate(() => window.reelAnalytics.last.totals);
  owner.plays = await page.getAttribute('#total-plays', 'data-value');
  owner.heading = await page.textContent('#heading');
  await page.screenshot({ path: screenshot, fullPage: true });

  // a browser that never saw the watch page: nothing in its session storage
  const stranger = {};
  result.stranger = stranger;
  const context = await browser.newContext();
  const other = await context.newPage();
  Object.assign(stranger, recordDashboard(other));
  await other.goto(new URL(owner.dashboardUrl).href, { waitUntil: 'domcontentloaded', timeout: 60000 });
  await until(other, () => !document.getElementById('error').hidden, 30000);
  stranger.error = await other.textContent('#error');
  stranger.tiles = await other.locator('#tiles .tile').count();
  stranger.answered = await other.evaluate(() => window.reelAnalytics.refreshes);
  stranger.keptKey = await typeKey(other, playsShown);
  stranger.plays = await other.getAttribute('#total-plays', 'data-value');
  await context.close();
}

const browser = await launchChromium();
const result = {};
try {
  await (mode === 'stub' ? stub : platform)(browser, result);
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}
