// Import benchmark: for the largest shared corpus files, the time from clicking "Import as new
// diagram" (after the preview) to every table card rendered in the editor, in headless Chromium.
// Run: node bench/import.mjs  (TABLEWRIGHT_BIN / TABLEWRIGHT_SITE_ROOT / TABLEWRIGHT_CORPUS as for the tests).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { signUp } from './account.mjs';

const here = new URL('.', import.meta.url).pathname;
const bin = process.env.TABLEWRIGHT_BIN ?? resolve(here, '../../target/release/tablewright');
const siteRoot = process.env.TABLEWRIGHT_SITE_ROOT ?? resolve(here, '../../target/site');
const corpus = process.env.TABLEWRIGHT_CORPUS ?? resolve(here, '../../../shared/corpus');
if (!existsSync(corpus)) { console.log(`corpus absent (${corpus}): nothing to measure`); process.exit(0); }
// The largest file by bytes, and the schema with the most tables.
const files = ['mssql/northwind_mssql.sql', 'mysql/prestashop_mysql.sql', 'postgresql/zabbix60_postgresql.sql'];

const port = await new Promise((ok) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
const base = `http://127.0.0.1:${port}`;
const server = spawn(bin, ['--bind', `127.0.0.1:${port}`, '--database-url', `sqlite://${mkdtempSync(join(tmpdir(), 'tw-import-'))}/b.db`, '--site-root', siteRoot], { stdio: 'ignore' });
for (let i = 0; i < 100; i++) { try { await fetch(`${base}/api/auth/me`); break; } catch { await new Promise((r) => setTimeout(r, 100)); } }
const account = await signUp(base);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const file of files) {
  const path = resolve(corpus, file);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.context().addCookies(account.cookies);
  await page.goto(base + '/');
  await page.getByRole('button', { name: 'Import SQL' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import SQL' });
  const t0 = Date.now();
  await dialog.locator('input[type=file]').setInputFiles(path);
  await page.waitForFunction(() => document.querySelector('textarea.sql-input')?.value.length > 0);
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const summary = await dialog.locator('.summary').textContent({ timeout: 60_000 });
  const previewed = Date.now() - t0;
  const tables = Number(summary.match(/(\d+) tables/)[1]);
  const t1 = Date.now();
  await dialog.getByRole('button', { name: 'Import as new diagram' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.table-card').length === n, tables, { timeout: 60_000, polling: 16 });
  const rendered = Date.now() - t1;
  console.log(`${file} (${(statSync(path).size / 1024).toFixed(0)} KB, ${tables} tables): file chosen → preview ${previewed} ms; import → all cards rendered ${rendered} ms; total ${previewed + rendered} ms`);
  await page.close();
}
await browser.close();
server.kill('SIGTERM');
