// Drives the hunt UI in headless Debian chromium with playwright-core. Started by dev.vigil.hunt.ui.HuntUiIT:
//   node hunt-ui.test.cjs <base url> <token> <screenshot.png>
// Exit code 0 when every check passed; each failure is printed.
'use strict';
const { chromium } = require('playwright-core');

const [base, token, shot] = process.argv.slice(2);
const failures = [];
function check(cond, what) {
  console.log((cond ? 'ok   ' : 'FAIL ') + what);
  if (!cond) failures.push(what);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.setDefaultTimeout(15000);
  try {
    // 1. Without the token the UI is not served: the sign-in page is.
    const first = await page.goto(base + 'ui/');
    check(first.status() === 401, 'the UI answers 401 without a token (got ' + first.status() + ')');
    check(await page.locator('#token').count() === 1, 'the sign-in form is shown');
    check(!(await page.content()).includes('app.js'), 'no UI code is served before sign-in');

    // 2. A wrong token is refused.
    await page.fill('#token', 'wrong-token-wrong-token');
    await page.click('#login');
    check((await page.locator('#token').count()) === 1, 'a wrong token stays on the sign-in page');

    // 3. Sign in.
    await page.fill('#token', token);
    await Promise.all([page.waitForURL(base + 'ui/'), page.click('#login')]);
    consoleErrors.length = 0; // the 401s of the sign-in steps above are expected
    await page.waitForSelector('#alerts table tbody tr');
    check((await page.textContent('#alerts')).includes('Drop and execute new binary'), 'the alerts list shows the alert');
    check(/\d+ events/.test(await page.textContent('#stats')), 'the header shows event counts');
    check((await page.textContent('#workloads')).includes('web'), 'the workloads list shows the workload');

    // 4. IOC search: a domain finds the DNS request and the connection.
    await page.fill('#search', 'evil.example');
    await page.click('#search-go');
    await page.waitForFunction(() => document.querySelector('#result-title').textContent.startsWith('IOC sweep'));
    const ioc = await page.textContent('#results');
    check(ioc.includes('DNS: 2') && ioc.includes('cdn.evil.example'), 'IOC search finds the DNS messages');
    check(ioc.includes('Connections: 1') && ioc.includes('198.51.100.7'), 'IOC search finds the connection');

    // 5. SQL search.
    await page.fill('#search', 'SELECT proc_name, count(*) AS n FROM events GROUP BY 1 ORDER BY 1');
    await page.click('#search-go');
    await page.waitForFunction(() => document.querySelector('#result-title').textContent === 'SQL results');
    const sql = await page.textContent('#results');
    check(sql.includes('xmrig') && sql.includes('nginx'), 'SQL search shows the rows');

    // 6. A refused query shows the server's reason.
    await page.fill('#search', 'SELECT 1; DROP TABLE events');
    await page.click('#search-go');
    await page.waitForFunction(() => document.querySelector('#status').className === 'error');
    check((await page.textContent('#status')).includes('only one statement'), 'a refused query shows why');
    const expected400 = consoleErrors.findIndex((m) => m.includes('status of 400'));
    if (expected400 >= 0) consoleErrors.splice(expected400, 1);

    // 7. Clicking the alert shows the process tree and the workload timeline.
    await page.click('#alerts table tbody tr');
    await page.waitForSelector('#tree-root');
    const tree = await page.textContent('#tree');
    check((await page.textContent('#tree-root')).includes('xmrig'), 'the tree is rooted at the alert\'s process');
    check(tree.includes('sh -c run') || tree.includes('[1]'), 'the tree shows the ancestors');
    await page.waitForFunction(() => document.querySelector('#timeline-title').textContent.includes('web'));
    check((await page.locator('#timeline table tbody tr').count()) >= 10, 'the timeline lists the workload\'s events');

    // 8. Clicking a timeline event re-roots the tree on it.
    await page.locator('#timeline table tbody tr', { hasText: 'process.exec' }).filter({ hasText: 'bash' }).first().click();
    await page.waitForFunction(() => document.querySelector('#tree-root') && document.querySelector('#tree-root').textContent.includes('bash'));
    check((await page.textContent('#tree')).includes('curl'), 'the tree of bash shows its child curl');

    check(consoleErrors.length === 0, 'no console errors or CSP violations: ' + consoleErrors.join(' | '));
    if (shot) await page.screenshot({ path: shot, fullPage: true });
  } catch (e) {
    failures.push('exception: ' + e);
    console.log('FAIL exception: ' + (e.stack || e));
    if (shot) await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
  } finally {
    await browser.close();
  }
  console.log(failures.length === 0 ? 'all UI checks passed' : failures.length + ' UI check(s) failed');
  process.exit(failures.length === 0 ? 0 : 1);
})();
