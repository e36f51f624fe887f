// The dashboard flow an analyst follows, in headless Chromium (Debian's /usr/bin/chromium via
// playwright-core): type a name into the search box and submit, open the first result's entity
// page, go back to the overview and wait for the chart to be drawn; then open the XSS fixture's
// entity page and read its heading as text; then follow the nav to the Flows page (supplier
// shares and surge charts) and the Risk page (lines by level). Prints one JSON line:
//   {"errors": [...], "search_results": N, "entity_title": "...", "chart_rendered": bool,
//    "xss_heading": "...", "title_after_xss": "...", "flows_charts": N, "surge_first": "...",
//    "risk_chart": bool, "risk_lines": N, "screenshots": [...]}
// `errors` collects uncaught page errors, console errors (CSP violations included) and failed
// requests, so the test can assert that no script failed and nothing was fetched from outside.
//
// usage: node dashboard.mjs BASE_URL NAME XSS_ENTITY_ID SCREENSHOT_PREFIX
import { launch, watchedPage } from './launch.mjs';

const [base, name, xssId, shotPrefix] = process.argv.slice(2);
if (!base || !name || !xssId || !shotPrefix) {
  console.error('usage: node dashboard.mjs BASE_URL NAME XSS_ENTITY_ID SCREENSHOT_PREFIX');
  process.exit(2);
}

const browser = await launch();
const errors = [];
const screenshots = [];
const shot = async (page, label) => {
  const path = `${shotPrefix}-${label}.png`;
  await page.screenshot({ path, fullPage: true });
  screenshots.push(path);
};
try {
  const page = await watchedPage(browser, errors);
  page.on('request', (r) => { if (!r.url().startsWith(base)) errors.push(`external request: ${r.url()}`); });

  // 1. Search from the overview's search box.
  await page.goto(`${base}/`, { waitUntil: 'load', timeout: 30000 });
  await page.fill('#search input[name=q]', name);
  await Promise.all([page.waitForURL(/\/ui\/search\?/), page.click('#search button[type=submit]')]);
  const searchResults = await page.locator('table.hits tr.hit').count();
  await shot(page, 'search');

  // 2. Open the first result.
  await Promise.all([page.waitForURL(/\/ui\/entities\//), page.click('table.hits tr.hit a')]);
  const entityTitle = (await page.locator('h1.caption').textContent()) ?? '';
  await shot(page, 'entity');

  // 3. The overview's chart.
  await page.goto(`${base}/`, { waitUntil: 'load', timeout: 30000 });
  const chartRendered = await page
    .waitForSelector('canvas#chart-lists[data-rendered=true]', { timeout: 10000 })
    .then(() => true, () => false);
  await shot(page, 'chart');

  // 4. The XSS fixture renders as text.
  await page.goto(`${base}/ui/entities/${encodeURIComponent(xssId)}`, { waitUntil: 'load', timeout: 30000 });
  await page.waitForTimeout(300);
  const xssHeading = (await page.locator('h1.caption').textContent()) ?? '';
  const titleAfterXss = await page.title();
  await shot(page, 'xss');

  // 5. The Flows page from the nav: both charts drawn.
  await Promise.all([page.waitForURL(/\/ui\/flows/), page.click('header a[href="/ui/flows"]')]);
  const drawn = (selector) => page.waitForSelector(selector, { timeout: 10000 }).then(() => true, () => false);
  await drawn('canvas#chart-shares[data-rendered=true]');
  await drawn('canvas#chart-surge[data-rendered=true]');
  const flowsCharts = await page.locator('canvas[data-rendered=true]').count();
  const surgeFirst = (await page.locator('table.surge tbody tr td').nth(1).textContent({ timeout: 5000 }).catch(() => '')) ?? '';
  await shot(page, 'flows');

  // 6. The Risk page from the nav.
  await Promise.all([page.waitForURL(/\/ui\/risk/), page.click('header a[href="/ui/risk"]')]);
  const riskChart = await drawn('canvas#chart-levels[data-rendered=true]');
  const riskLines = await page.locator('#top-lines tr.line').count();
  await shot(page, 'risk');

  console.log(JSON.stringify({
    errors, search_results: searchResults, entity_title: entityTitle, chart_rendered: chartRendered,
    xss_heading: xssHeading, title_after_xss: titleAfterXss, flows_charts: flowsCharts,
    surge_first: surgeFirst, risk_chart: riskChart, risk_lines: riskLines, screenshots,
  }));
} finally {
  await browser.close();
}
