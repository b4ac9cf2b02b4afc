import { expect, Page, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Readable diagrams of imported schemas: cards apart, names legible at fit zoom, lines apart,
// and a table's lines standing out when it is hovered or selected.
const shots = 'screenshots';
const corpus = process.env.TABLEWRIGHT_CORPUS ?? resolve(__dirname, '../../../shared/corpus');
const required = process.env.CI === 'true' || process.env.TABLEWRIGHT_REQUIRE_CORPUS === '1';

function corpusFile(file: string): string | undefined {
  const path = resolve(corpus, file);
  if (existsSync(path)) return readFileSync(path, 'utf8');
  // Under CI a missing corpus fails instead of passing with nothing checked.
  expect(required, `the shared corpus is absent (${path})`).toBe(false);
  test.skip(true, `the shared corpus is absent (${path})`);
}

async function imported(page: Page, file: string, dialect: string, name: string) {
  const sql = corpusFile(file)!;
  const answer = await (await page.request.post(`/api/ddl/import?dialect=${dialect}&name=${name}`, {
    headers: { 'content-type': 'text/plain' }, data: sql,
  })).json();
  return answer.diagram_id as string;
}

type Box = { x: number; y: number; width: number; height: number };

async function cardBoxes(page: Page) {
  return page.locator('.table-card').evaluateAll((cards) =>
    cards.map((c) => {
      const r = c.getBoundingClientRect();
      return { name: c.getAttribute('aria-label')!, x: r.x, y: r.y, width: r.width, height: r.height };
    }));
}

function overlapping(boxes: Box[]) {
  const pairs = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) pairs.push([a, b]);
    }
  return pairs;
}

type Seg = [number, number, number, number];

/** The straight parts of the relationship lines in an exported SVG (paths of four corners). */
function lineSegments(svg: string): Seg[][] {
  return [...svg.matchAll(/<path d="M([-\d.]+) ([-\d.]+)L([-\d.]+) ([-\d.]+)L([-\d.]+) ([-\d.]+)L([-\d.]+) ([-\d.]+)"/g)]
    .map((m) => {
      const p = m.slice(1).map(Number);
      return [0, 2, 4].map((k) => [p[k], p[k + 1], p[k + 2], p[k + 3]] as Seg);
    });
}

/** How long two axis-parallel segments run within a pixel of each other. */
function sharedRun([ax, ay, bx, by]: Seg, [cx, cy, dx, dy]: Seg) {
  const overlap = (p0: number, p1: number, q0: number, q1: number) =>
    Math.max(0, Math.min(Math.max(p0, p1), Math.max(q0, q1)) - Math.max(Math.min(p0, p1), Math.min(q0, q1)));
  if (ay === by && cy === dy && Math.abs(ay - cy) < 1) return overlap(ax, bx, cx, dx);
  if (ax === bx && cx === dx && Math.abs(ax - cx) < 1) return overlap(ay, by, cy, dy);
  return 0;
}

async function exportSvg(page: Page) {
  await page.getByRole('button', { name: 'File ▾' }).click();
  await page.getByRole('menuitem', { name: 'Export image' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export image' });
  await dialog.getByLabel('SVG').check();
  const [file] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download image' }).click()]);
  return readFileSync(await file.path(), 'utf8');
}

test('an imported schema at fit zoom and below: no card overlaps, names are legible, no lines coincide', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const id = await imported(page, 'postgresql/sakila_postgresql.sql', 'postgresql', 'Sakila');
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('button', { name: 'Fit to screen' }).click();
  const lines = page.locator('canvas.lines');
  await expect(lines).toHaveAttribute('data-lines', /^[1-9]/);
  const zoom = async () => parseInt((await page.getByRole('button', { name: 'Reset zoom' }).innerText()), 10);
  await page.screenshot({ path: `${shots}/fit-sakila.png` });
  // Below 50 % cards show their names large instead of their rows; the zoom a larger schema needs.
  if ((await zoom()) >= 50) {
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await expect.poll(zoom).toBeLessThan(50);
  }
  await expect(page.locator('.table-card.far').first()).toBeVisible();

  const boxes = await cardBoxes(page);
  expect(boxes.length).toBe(21);
  expect(overlapping(boxes)).toEqual([]);
  // Every name is shown whole, at least 11 screen pixels high.
  const names = await page.locator('.far-name').evaluateAll((els) => els.map((e) => {
    const zoom = e.parentElement!.getBoundingClientRect().width / 240;
    const size = parseFloat(getComputedStyle(e).fontSize) * zoom;
    return { text: e.textContent!.replace(/\u200b/g, ''), size, cut: e.scrollHeight > e.clientHeight + 1 };
  }));
  expect(names.length).toBe(21);
  for (const n of names) {
    expect(n.size, n.text).toBeGreaterThanOrEqual(11);
    expect(n.cut, `${n.text} is cut`).toBe(false);
  }
  await page.screenshot({ path: `${shots}/far-sakila.png` });

  // The lines as drawn (the exported picture routes them the same way): none on another.
  const routes = lineSegments(await exportSvg(page));
  expect(routes.length).toBe(40);
  const coinciding = [];
  for (let i = 0; i < routes.length; i++)
    for (let j = i + 1; j < routes.length; j++)
      for (const s of routes[i]) for (const t of routes[j]) if (sharedRun(s, t) > 8) coinciding.push([s, t]);
  expect(coinciding).toEqual([]);
});

test('hovering or selecting a table highlights its lines and fades the rest', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const id = await imported(page, 'postgresql/sakila_postgresql.sql', 'postgresql', 'Sakila');
  const doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  const film = doc.tables.find((t: any) => t.name === 'film');
  const own = doc.relationships.filter((r: any) => r.child_table === film.id || r.parent_table === film.id).length;
  expect(own).toBeGreaterThan(3);
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('button', { name: 'Fit to screen' }).click();
  const lines = page.locator('canvas.lines');
  await expect(lines).toHaveAttribute('data-lines', '40');
  await expect(lines).toHaveAttribute('data-lit', '0');

  const card = page.getByRole('group', { name: 'Table film', exact: true });
  await card.hover();
  await expect(lines).toHaveAttribute('data-lit', String(own));
  await page.screenshot({ path: `${shots}/hover-film.png` });
  // Away from every card nothing stands out.
  const canvas = (await page.locator('.canvas').boundingBox())!;
  await page.mouse.move(canvas.x + 4, canvas.y + canvas.height - 4);
  await expect(lines).toHaveAttribute('data-lit', '0');
  // Selected alone, it stays highlighted with the pointer elsewhere; cleared with the selection.
  await card.click();
  await page.mouse.move(canvas.x + 4, canvas.y + canvas.height - 4);
  await expect(lines).toHaveAttribute('data-lit', String(own));
  await page.mouse.click(canvas.x + 4, canvas.y + canvas.height - 4);
  await expect(lines).toHaveAttribute('data-lit', '0');
});

const SHOP = `
CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id));
CREATE TABLE order_lines (order_id int REFERENCES orders (id), line int, PRIMARY KEY (order_id, line));
CREATE TABLE products (id serial PRIMARY KEY, name text);
CREATE TABLE stock (product_id int PRIMARY KEY REFERENCES products (id), amount int);
CREATE TABLE settings (key text PRIMARY KEY, value text);
`;

test('Auto layout of the selection, or of all but the tables placed by hand, one undoable step each', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const answer = await (await page.request.post('/api/ddl/import?dialect=postgresql&name=Shop', {
    headers: { 'content-type': 'text/plain' }, data: SHOP,
  })).json();
  const id = answer.diagram_id as string;
  const tables = async () => Object.fromEntries(
    (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram.tables
      .map((t: any) => [t.name, { x: t.x, y: t.y, placed: !!t.placed }]));
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('button', { name: 'Reset zoom' }).click();
  const menu = async (item: string) => {
    await page.getByRole('button', { name: 'Auto layout ▾' }).click();
    const entry = page.getByRole('menuitem', { name: item });
    // Shown to a person, not clipped by the scrolling tool group: the item is what lies there.
    const box = (await entry.boundingBox())!;
    const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.textContent, [box.x + box.width / 2, box.y + box.height / 2]);
    expect(hit).toBe(item);
    return entry;
  };
  // Nothing is placed by hand after an import, so that choice is off; so is a selection of none.
  await expect(await menu('All but tables placed by hand')).toBeDisabled();
  await expect(page.getByRole('menuitem', { name: 'Selected tables' })).toBeDisabled();
  await page.keyboard.press('Escape');

  // Drag settings away by its header: it is now placed by hand.
  const head = page.getByRole('group', { name: 'Table settings', exact: true }).locator('.card-head');
  const box = (await head.boundingBox())!;
  await page.mouse.move(box.x + 30, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 30 - 200, box.y + box.height / 2 + 300, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByRole('status')).toHaveText('Saved');
  const dragged = await tables();
  expect(dragged.settings.placed).toBe(true);
  expect(dragged.orders.placed).toBe(false);

  await (await menu('All but tables placed by hand')).click();
  await expect(page.getByRole('status')).toHaveText('Saved');
  const kept = await tables();
  expect(kept.settings).toEqual(dragged.settings);
  const moved = Object.keys(kept).filter((n) => kept[n].x !== dragged[n].x || kept[n].y !== dragged[n].y);
  expect(moved.length).toBeGreaterThan(0);
  expect(moved).not.toContain('settings');
  const cards = await page.locator('.table-card').evaluateAll((els) => els.map((c) => {
    const r = c.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }));
  expect(overlapping(cards)).toEqual([]);
  // One step: undo puts every table back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved');
  expect(await tables()).toEqual(dragged);

  // A selection of two (shift-click), arranged from its own top-left corner; the rest stay.
  await page.getByRole('button', { name: 'Fit to screen' }).click();
  await page.getByRole('group', { name: 'Table products', exact: true }).click();
  await page.getByRole('group', { name: 'Table stock', exact: true }).click({ modifiers: ['Shift'] });
  await (await menu('Selected tables')).click();
  await expect(page.getByRole('status')).toHaveText('Saved');
  const arranged = await tables();
  for (const name of ['customers', 'orders', 'order_lines', 'settings']) expect(arranged[name]).toEqual(dragged[name]);
  const [p, s] = [arranged.products, arranged.stock];
  expect(Math.min(p.x, s.x)).toBe(Math.min(dragged.products.x, dragged.stock.x));
  expect(Math.min(p.y, s.y)).toBe(Math.min(dragged.products.y, dragged.stock.y));
  // Parent above child.
  expect(p.y).toBeLessThan(s.y);
});
