// Shared by the browser scripts: Debian's headless Chromium with the flags this machine needs
// (no sandbox as root; no background networking, whose connections the closed network refuses),
// and the page hooks that collect script errors, console errors and failed requests.
import { chromium } from 'playwright-core';

/** Starts headless Chromium (`CHROMIUM` overrides /usr/bin/chromium). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens a page whose uncaught errors, console errors and failed requests go into `errors`. */
export async function watchedPage(browser, errors) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}`));
  return page;
}
