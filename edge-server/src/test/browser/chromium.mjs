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
