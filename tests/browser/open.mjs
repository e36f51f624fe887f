// Opens one page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// waits for it to settle, takes a screenshot and prints a JSON summary on stdout:
//   {"url", "title", "errors": [...], "selectors": {"<css>": count, ...}, "screenshot"}
// `errors` collects uncaught page errors, console errors and failed requests, so a test can assert
// that a report or dashboard page runs with no script errors and loads nothing from the network.
//
// usage: node open.mjs URL SCREENSHOT.png [CSS_SELECTOR...]
import { launch, watchedPage } from './launch.mjs';

const [url, screenshot, ...selectors] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node open.mjs URL SCREENSHOT.png [CSS_SELECTOR...]');
  process.exit(2);
}

const browser = await launch();
const errors = [];
try {
  const page = await watchedPage(browser, errors);
  await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  await page.waitForTimeout(500);
  const found = {};
  for (const s of selectors) found[s] = await page.locator(s).count();
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ url, title: await page.title(), errors, selectors: found, screenshot }));
} finally {
  await browser.close();
}
