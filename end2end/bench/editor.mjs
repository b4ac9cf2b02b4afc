// Editor benchmark: builds diagrams of 100 and 1,000 tables × 10 columns (with FK relationships)
// through the API, opens each in headless Chromium, and prints load-to-rendered time, frame
// intervals while idle (the floor), dragging a table, panning and zooming (2 s each, a pointer
// event every 33 ms), and the JS heap. Each interval is printed twice: between the frames' own
// times (a frame not made in time shows as a longer one) and between the moments their rAF
// callbacks ran (which also counts a busy main thread running a frame late). Last, another
// client's edits arrive on the live channel at 20 batches a second while the page looks on.
// Run: node bench/editor.mjs  (TABLEWRIGHT_BIN / TABLEWRIGHT_SITE_ROOT as for the tests; the
// server is started on a free port with a temporary database). BENCH_SIZES picks the sizes
// (default 100,1000). To find what a slow frame spends its time on: BENCH_HIDE takes a CSS
// selector hidden after loading (e.g. canvas.lines), BENCH_CSS a style sheet added after loading,
// BENCH_TRACE=<prefix> writes Chromium traces of the drag, pan and zoom to <prefix>-drag.json and
// so on (BENCH_CATEGORIES: comma-separated trace categories instead of the default ones).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { signUp } from './account.mjs';

const here = new URL('.', import.meta.url).pathname;
const bin = process.env.TABLEWRIGHT_BIN ?? resolve(here, '../../target/release/tablewright');
const siteRoot = process.env.TABLEWRIGHT_SITE_ROOT ?? resolve(here, '../../target/site');
const sizes = (process.env.BENCH_SIZES ?? '100,1000').split(',').map(Number);

const port = await new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
});
const base = `http://127.0.0.1:${port}`;
const data = mkdtempSync(join(tmpdir(), 'tablewright-bench-'));
const server = spawn(bin, ['--bind', `127.0.0.1:${port}`, '--database-url', `sqlite://${data}/bench.db`,
  '--site-root', siteRoot, '--body-limit', String(64 << 20)], { stdio: ['ignore', 'ignore', 'inherit'] });
for (let i = 0; i < 100; i++) {
  try { await fetch(`${base}/api/auth/me`); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
}
const account = await signUp(base);

/** A diagram of n tables × 10 columns in a grid; every table after the first references one before it. */
function diagram(n) {
  const tables = [];
  const relationships = [];
  const cols = Math.ceil(Math.sqrt(n));
  for (let i = 0; i < n; i++) {
    const columns = [{ id: randomUUID(), name: 'id', data_type: 'bigint', primary_key: true, nullable: false, auto_increment: true }];
    for (let c = 1; c < 10; c++) columns.push({ id: randomUUID(), name: `field_${c}`, logical_name: `Field ${c}`, data_type: c % 3 ? 'varchar(255)' : 'integer' });
    tables.push({ id: randomUUID(), name: `table_${i}`, logical_name: `Table ${i}`, x: (i % cols) * 300, y: Math.floor(i / cols) * 320, columns });
    if (i > 0) {
      const parent = tables[Math.floor(i / 2)];
      relationships.push({ id: randomUUID(), child_table: tables[i].id, child_columns: [columns[1].id], parent_table: parent.id, parent_columns: [parent.columns[0].id] });
    }
  }
  return { id: randomUUID(), name: `Bench ${n}`, tables, relationships, notes: [] };
}

function stats(intervals) {
  const s = [...intervals].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { frames: s.length, median: at(0.5), p95: at(0.95), over50: s.filter((x) => x > 50).length };
}

async function frames(page, drive) {
  // One rAF chain per recording: a chain stops as soon as a newer recording (or the end) bumps
  // the generation, so chains never overlap and double-count frames. Each frame records the
  // frame's own time (the rAF argument: a frame the page did not make in time shows as a
  // longer interval) and when its callback ran (that also counts main-thread lateness within
  // a frame that was made in time).
  await page.evaluate(() => {
    window.__frames = [];
    const gen = (window.__gen = (window.__gen ?? 0) + 1);
    const tick = (at) => {
      if (window.__gen !== gen) return;
      window.__frames.push([at, performance.now()]);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await drive();
  const times = await page.evaluate(() => { window.__gen += 1; return window.__frames; });
  const intervals = (k) => times.slice(1).map((t, i) => t[k] - times[i][k]);
  return { frame: stats(intervals(0)), callback: stats(intervals(1)) };
}

/** frames(), traced into `${BENCH_TRACE}-${name}.json` when BENCH_TRACE is set. */
async function traced(page, name, drive) {
  const prefix = process.env.BENCH_TRACE;
  if (prefix) await browser.startTracing(page, { path: `${prefix}-${name}.json`, screenshots: false, ...(process.env.BENCH_CATEGORIES ? { categories: process.env.BENCH_CATEGORIES.split(',') } : {}) });
  const result = await frames(page, drive);
  if (prefix) await browser.stopTracing();
  return result;
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'] });
const rows = [];
for (const n of sizes) {
  const json = { 'content-type': 'application/json', cookie: account.header };
  const created = await (await fetch(`${base}/api/diagrams`, { method: 'POST', headers: json, body: '{}' })).json();
  const doc = diagram(n);
  const put = await fetch(`${base}/api/diagrams/${created.diagram.id}`, { method: 'PUT', headers: json, body: JSON.stringify({ base_revision: created.revision, diagram: doc }) });
  if (!put.ok) throw new Error(`PUT failed: ${put.status} ${await put.text()}`);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.context().addCookies(account.cookies);
  let received = 0;
  page.on('websocket', (ws) => ws.on('framereceived', (f) => { if (String(f.payload).startsWith('{"type":"batch"')) received += 1; }));
  const start = Date.now();
  await page.goto(`${base}/diagrams/${created.diagram.id}`);
  await page.waitForFunction((n) => document.querySelectorAll('.table-card').length === n, n, { timeout: 60_000, polling: 16 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const load = Date.now() - start;
  if (process.env.BENCH_HIDE) await page.addStyleTag({ content: `${process.env.BENCH_HIDE} { display: none !important; }` });
  if (process.env.BENCH_CSS) await page.addStyleTag({ content: process.env.BENCH_CSS });
  // Work at 100 % zoom, on the table header nearest the centre, as a person editing would.
  await page.getByRole('button', { name: 'Reset zoom' }).click();
  await page.waitForTimeout(300);
  const [sx, sy] = await page.evaluate(() => {
    const heads = [...document.querySelectorAll('.card-head')].map((h) => h.getBoundingClientRect());
    const d = (r) => Math.hypot(r.x + r.width / 2 - 700, r.y + r.height / 2 - 450);
    const r = heads.sort((a, b) => d(a) - d(b))[0];
    return [r.x + 40, r.y + 12];
  });
  const moves = 60;
  // The floor: frames of the open diagram while nothing happens, for the same 2 s.
  const idle = await frames(page, () => page.waitForTimeout(moves * 33));
  const drag = await traced(page, 'drag', async () => {
    await page.mouse.move(sx, sy); await page.mouse.down();
    for (let i = 1; i <= moves; i++) { await page.mouse.move(sx + i * 4, sy + i * 2); await page.waitForTimeout(33); }
    await page.mouse.up();
  });
  const pan = await traced(page, 'pan', async () => {
    // Start on the background: below the diagram's last row of cards is always empty.
    await page.keyboard.down(' ');
    await page.mouse.move(700, 500); await page.mouse.down();
    for (let i = 1; i <= moves; i++) { await page.mouse.move(700 - i * 5, 500 - i * 3); await page.waitForTimeout(33); }
    await page.mouse.up();
    await page.keyboard.up(' ');
  });
  const zoom = await traced(page, 'zoom', async () => {
    await page.mouse.move(700, 450);
    for (let i = 1; i <= moves; i++) { await page.mouse.wheel(0, i < moves / 2 ? -40 : 40); await page.waitForTimeout(33); }
  });
  // Someone else edits at 20 batches a second (moves a table, renames a column): the edits
  // arrive on the live channel while the person looks on.
  const remote = await traced(page, 'remote', async () => {
    for (let i = 0; i < moves; i++) {
      const t = doc.tables[(i * 37) % n];
      const ops = i % 2
        ? [{ op: 'move_tables', moves: [{ table_id: t.id, x: t.x + (i % 7) * 10, y: t.y }] }]
        : [{ op: 'update_column', table_id: t.id, column_id: t.columns[1].id, patch: { name: `field_1_${i}` } }];
      const sent = fetch(`${base}/api/diagrams/${created.diagram.id}/ops`, { method: 'POST', headers: json, body: JSON.stringify({ base_revision: 2, ops }) });
      await Promise.all([sent, page.waitForTimeout(50)]);
    }
    await page.waitForTimeout(200);
  });
  remote.received = received;
  remote.sent = moves;
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
  rows.push({ tables: n, load_ms: load, idle, drag, pan, zoom, remote, heap_mb: +(heap / 1048576).toFixed(1) });
  await page.close();
}
await browser.close();
server.kill('SIGTERM');

const fmt = ({ frame: f, callback: c }) =>
  `frames median ${f.median.toFixed(1)} / p95 ${f.p95.toFixed(1)} ms, ${f.over50} > 50 ms (${f.frames}); ` +
  `callbacks median ${c.median.toFixed(1)} / p95 ${c.p95.toFixed(1)} ms, ${c.over50} > 50 ms`;
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const r of rows) {
  console.log(`\n${r.tables} tables × 10 columns`);
  console.log(`  open to rendered: ${r.load_ms} ms`);
  console.log(`  idle: ${fmt(r.idle)}`);
  console.log(`  drag: ${fmt(r.drag)}`);
  console.log(`  pan:  ${fmt(r.pan)}`);
  console.log(`  zoom: ${fmt(r.zoom)}`);
  console.log(`  others' edits at 20/s (${r.remote.received} of ${r.remote.sent} batches seen by the page): ${fmt(r.remote)}`);
  console.log(`  JS heap: ${r.heap_mb} MB`);
}
