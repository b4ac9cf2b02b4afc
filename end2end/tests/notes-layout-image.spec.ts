import { expect, Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';

const shots = 'screenshots';

async function importedDiagram(page: Page, sql: string) {
  const answer = await (await page.request.post('/api/ddl/import?dialect=postgresql&name=Shop', {
    headers: { 'content-type': 'text/plain' }, data: sql,
  })).json();
  return answer.diagram_id as string;
}

const SHOP = `
CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id));
CREATE TABLE order_lines (order_id int REFERENCES orders (id), line int, PRIMARY KEY (order_id, line));
CREATE TABLE settings (key text PRIMARY KEY, value text);
`;

test('a sticky note is added, typed, moved, resized and recoloured, all saved and undoable', async ({ page }) => {
  const created = await (await page.request.post('/api/diagrams', { data: { name: 'Notes' } })).json();
  const id = created.diagram.id;
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('button', { name: 'Add note' }).click();
  const note = page.getByRole('note');
  await expect(note).toBeVisible();
  await expect(note.getByLabel('Note', { exact: true })).toBeFocused();
  await page.keyboard.type('Prices in cents.\nReview with finance.');
  await note.getByRole('button', { name: 'Note colour' }).click(); // commits the text too

  const box = (await note.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 8);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 160, box.y + 8 + 100, { steps: 8 });
  await page.mouse.up();
  const corner = (await note.locator('.note-resize').boundingBox())!;
  await page.mouse.move(corner.x + 5, corner.y + 5);
  await page.mouse.down();
  await page.mouse.move(corner.x + 125, corner.y + 65, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByRole('status')).toHaveText('Saved');
  await page.screenshot({ path: `${shots}/note.png` });

  let doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  expect(doc.notes).toHaveLength(1);
  const saved = doc.notes[0];
  expect(saved.text).toBe('Prices in cents.\nReview with finance.');
  expect(saved.color).toBe('#dcfce7');
  expect(saved.width).toBeGreaterThan(300);
  expect(saved.height).toBeGreaterThan(170);
  const moved = (await note.boundingBox())!;
  expect(moved.x - box.x).toBeGreaterThan(140);

  await page.getByRole('button', { name: 'Undo' }).click(); // the resize
  await page.getByRole('button', { name: 'Undo' }).click(); // the move
  await expect.poll(async () => Math.round((await note.boundingBox())!.x)).toBe(Math.round(box.x));
  await note.getByRole('button', { name: 'Delete note' }).click();
  await expect(page.getByRole('note')).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText('Saved');
  doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  expect(doc.notes).toHaveLength(0);
});

test('Auto layout puts parents above children in one undoable step', async ({ page }) => {
  const id = await importedDiagram(page, SHOP);
  // Scramble the positions first, as a person's dragging would.
  const state = await (await page.request.get(`/api/diagrams/${id}`)).json();
  const moves = state.diagram.tables.map((t: any, i: number) => ({ table_id: t.id, x: 900 - i * 280, y: 40 * ((i * 7) % 3) }));
  await page.request.post(`/api/diagrams/${id}/ops`, { data: { base_revision: state.revision, ops: [{ op: 'move_tables', moves }] } });
  await page.goto(`/diagrams/${id}`);
  const top = async (name: string) => (await page.getByRole('group', { name: `Table ${name}` }).boundingBox())!;
  await page.getByRole('button', { name: 'Auto layout ▾' }).click();
  await page.getByRole('menuitem', { name: 'All tables' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved');
  const [customers, orders, lines] = [await top('customers'), await top('orders'), await top('order_lines')];
  expect(customers.y + customers.height).toBeLessThan(orders.y);
  expect(orders.y + orders.height).toBeLessThan(lines.y);
  await page.screenshot({ path: `${shots}/auto-layout.png` });
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved');
  const after = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram.tables;
  expect(after.map((t: any) => [t.x, t.y])).toEqual(moves.map((m: any) => [m.x, m.y]));
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer) {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test('Export image downloads a PNG of the stated size (1× and 2×) and an SVG', async ({ page }) => {
  const id = await importedDiagram(page, SHOP);
  await page.goto(`/diagrams/${id}`);
  const open = async () => {
    await page.getByRole('button', { name: 'File ▾' }).click();
    await page.getByRole('menuitem', { name: 'Export image' }).click();
    return page.getByRole('dialog', { name: 'Export image' });
  };
  const download = async (dialog: any) => {
    const [file] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download image' }).click()]);
    return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
  };

  let dialog = await open();
  await dialog.getByLabel('PNG 1×').check();
  const stated = (await dialog.locator('.image-size').textContent())!.match(/(\d+) × (\d+)/)!.slice(1).map(Number);
  const one = await download(dialog);
  expect(one.name).toBe('Shop.png');
  expect(pngSize(one.bytes)).toEqual(stated);
  expect(one.bytes.length).toBeGreaterThan(5000);

  dialog = await open();
  await dialog.getByLabel('PNG 2×').check();
  const two = await download(dialog);
  expect(two.name).toBe('Shop@2x.png');
  expect(pngSize(two.bytes)).toEqual([stated[0] * 2, stated[1] * 2]);

  dialog = await open();
  await dialog.getByLabel('SVG').check();
  const svg = await download(dialog);
  expect(svg.name).toBe('Shop.svg');
  const text = svg.bytes.toString('utf8');
  expect(text.startsWith('<svg')).toBe(true);
  for (const t of ['customers', 'orders', 'order_lines', 'settings']) expect(text).toContain(`>${t}<`);

  // Only the selection: one table, so a smaller picture.
  await page.getByRole('group', { name: 'Table settings' }).locator('.card-head').click();
  dialog = await open();
  await dialog.getByLabel('Selection (1 tables)').check();
  await dialog.getByLabel('SVG').check();
  const part = (await download(dialog)).bytes.toString('utf8');
  expect(part).toContain('>settings<');
  expect(part).not.toContain('>orders<');
});
