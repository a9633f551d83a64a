// Opens a FitbitPS report in a real Chromium (Debian's, driven by playwright-core) and prints what the page did as JSON:
// console errors, every request it tried (file:// included: a report must need nothing but itself), the time to its
// "fitbitps-first-screen" and "fitbitps-rendered" marks, each chart's point counts, the values the charts hold on the chosen days, the comparison
// table's cells and the no-data sentences; and writes a full-page screenshot.
// Usage: node check-report.mjs <report.html> <screenshot.png> [yyyy-MM-dd ...]
// CHROMIUM=/path/to/chromium overrides /usr/bin/chromium.
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [reportPath, screenshotPath, ...days] = process.argv.slice(2);
if (!reportPath || !screenshotPath) {
  console.error('usage: node check-report.mjs <report.html> <screenshot.png> [yyyy-MM-dd ...]');
  process.exit(2);
}
const url = pathToFileURL(reportPath).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const result = { consoleErrors: [], requests: [], rendered: false };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') result.consoleErrors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', e => result.consoleErrors.push(`pageerror: ${e.message}`));
  page.on('request', r => { if (r.url() !== url) result.requests.push(r.url()); });
  const started = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.fitbitpsReport && window.fitbitpsReport.rendered === true, null, { timeout: 60000 });
  result.wallMs = Date.now() - started;
  Object.assign(result, await page.evaluate((chosen) => {
    const r = window.fitbitpsReport;
    const mark = performance.getEntriesByName('fitbitps-rendered')[0];
    const firstScreen = performance.getEntriesByName('fitbitps-first-screen')[0];
    const charts = {}, values = {};
    for (const [id, entry] of Object.entries(r.charts)) {
      charts[id] = { points: entry.points, drawn: entry.drawn, series: entry.series, drawnSeries: entry.drawnSeries,
                     attribute: Number(entry.chart.getDom().getAttribute('data-points')) };
      values[id] = {};
      for (const s of entry.chart.getOption().series) {
        values[id][s.name] = {};
        // The page's own lookup by day (the day by minute is not by day: its samples are read below).
        for (const day of chosen) {
          const value = id === 'day' ? undefined : r.valueAt(id, s.name, day);
          if (value !== undefined) values[id][s.name][day] = value;
        }
      }
    }
    const day = r.charts.day ? r.charts.day.chart.getOption().series.map(s => ({ name: s.name, count: s.data.length, first: s.data[0], middle: s.data[s.data.length >> 1], last: s.data[s.data.length - 1] })) : null;
    const compare = [...document.querySelectorAll('#compare tr[data-series] td[data-window]')].map(td => ({
      series: td.parentElement.getAttribute('data-series'), window: td.getAttribute('data-window'),
      value: td.hasAttribute('data-value') ? Number(td.getAttribute('data-value')) : null, days: Number(td.getAttribute('data-days')) }));
    const noData = [...document.querySelectorAll('[data-no-data]')].map(p => ({ id: p.getAttribute('data-no-data'), text: p.textContent }));
    return { rendered: r.rendered, renderMs: mark ? mark.startTime : null, firstScreenMs: firstScreen ? firstScreen.startTime : null, errors: r.errors, charts, values, day, compare, noData };
  }, days));
  await page.screenshot({ path: screenshotPath, fullPage: true });
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
