import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { NASTY, control, finding, sampleReport } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function hostileReport() {
  const report = sampleReport();
  // Drop low and info so the severity chart has exactly three bars: critical, high (the unknown), medium.
  report.findings = report.findings.filter((f) => f.severity !== 'low' && f.severity !== 'info');
  const c = control('CIPA-X-01', 'critical', { title: '<b>bold?</b>', remediation: '</pre><script>window.__pwned = "remediation"</script>' });
  report.controls.push(c);
  report.findings.push(
    finding(c, 'aws_s3_bucket.evil', { message: '<script>window.__pwned = "message"</script><img src="http://example.invalid/x.png" onerror="window.__pwned = \'img\'">' }),
  );
  return report;
}

describe('html (static)', () => {
  it('escapes everything from the report and loads nothing from anywhere', () => {
    const report = hostileReport();
    const c = control('CIPA-Y-01', 'high');
    report.findings.push(...NASTY.map((t, i) => finding(c, `aws_s3_bucket.n${i}`, { message: t, plan: t })));
    const html = renderHtml(report);
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold?</b>');
    expect(html).toContain('&lt;script&gt;window.__pwned = &quot;message&quot;&lt;/script&gt;');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none';/);
    // attribute names on real tags (attribute values, where escaped report text lives, blanked first)
    const tags = html.replace(/="[^"]*"/g, '=""').match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((t) => /\s(src|href|srcset|action|on\w+)=/i.test(t))).toEqual([]);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('draws one bar per severity with open findings and a framework chart', () => {
    const html = renderHtml(hostileReport());
    const severity = html.slice(html.indexOf('id="chart-severity"'), html.indexOf('id="chart-framework"'));
    expect([...severity.matchAll(/data-key="(\w+)" data-value="(\d+)"/g)].map((m) => `${m[1]}=${m[2]}`)).toEqual(['critical=3', 'high=1', 'medium=1']);
    const framework = html.slice(html.indexOf('id="chart-framework"'));
    expect(framework).toContain('data-key="cis-aws-1.4 2.1.5"');
    expect(framework).toContain('data-key="nist-800-53 AC-3"');
  });
});

describe('html in headless Chromium', () => {
  let dir: string;
  let context: BrowserContext;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) execFileSync('bash', [join(__dirname, '..', 'support', 'install-chromium.sh')], { stdio: 'inherit' });
    dir = await mkdtemp(join(tmpdir(), 'cipa-html-'));
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await context?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the summary, a bar per severity, filters rows, runs no injected script and fetches nothing', async () => {
    const report = hostileReport();
    const file = join(dir, 'report.html');
    await writeFile(file, renderHtml(report));
    const url = pathToFileURL(file).href;
    const attempted: string[] = [];
    await context.route('**/*', async (route) => {
      if (route.request().url() === url) return route.continue();
      attempted.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    page.on('request', (request) => {
      if (request.url() !== url) attempted.push(request.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);

    const card = (name: string) => page.locator(`[data-card="${name}"] .num`).innerText();
    expect(await card('failed')).toBe('4');
    expect(await card('unknown')).toBe('1');
    expect(await card('waived')).toBe('1');
    expect(await card('passed')).toBe('3');
    expect(await page.locator('#gate').innerText()).toBe('failed');

    const bars = page.locator('#chart-severity g.bar');
    expect(await bars.count()).toBe(3);
    const widths: number[] = [];
    for (let i = 0; i < 3; i++) {
      const box = await bars.nth(i).locator('rect').boundingBox();
      expect(box).not.toBeNull();
      widths.push(box!.width);
    }
    expect(widths[0]).toBeGreaterThan(widths[1]!);
    expect(await page.locator('#chart-framework g.bar').count()).toBeGreaterThan(0);

    const visibleRows = () => page.locator('#findings tbody tr.finding:visible').count();
    expect(await visibleRows()).toBe(6);
    await page.locator('#filter').click();
    await page.keyboard.type('cloudtrail');
    expect(await visibleRows()).toBe(1);
    expect(await page.locator('#shown').innerText()).toBe('1');
    expect(await page.locator('#findings tbody tr.finding:visible').innerText()).toContain('aws_cloudtrail.main');
    await page.locator('#filter').fill('');
    await page.locator('#status-filter').selectOption('waived');
    expect(await visibleRows()).toBe(1);
    await page.locator('#status-filter').selectOption('');
    await page.locator('#filter').fill('pwned');
    expect(await visibleRows()).toBe(1);
    const evil = page.locator('#findings tbody tr.finding:visible');
    expect(await evil.innerText()).toContain('<script>window.__pwned = "message"</script>');
    await page.locator('#filter').fill('');

    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    expect(attempted).toEqual([]);
    await page.screenshot({ path: '/tmp/cipa-html-report.png', fullPage: true });
    await page.close();
  });
});
