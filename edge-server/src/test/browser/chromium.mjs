// Debian's chromium (REEL_CHROMIUM, else /usr/bin/chromium), headless, driven by playwright-core: never a downloaded
// browser. Every browser check of Reel starts it the same way.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.REEL_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
}

// Runs a check in a fresh page: `check(page, result)` fills `result`; whatever it throws becomes `result.error`. The
// browser is closed in every outcome and `result` printed as the one JSON line the Java side reads.
export async function reportFromPage(check) {
  const browser = await launchChromium();
  const result = { consoleErrors: [] };
  try {
    const page = await browser.newPage();
    page.on('console', (message) => { if (message.type() === 'error') { result.consoleErrors.push(message.text()); } });
    page.on('pageerror', (error) => result.consoleErrors.push(String(error)));
    await check(page, result);
  } catch (error) {
    result.error = String(error);
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(result));
}
