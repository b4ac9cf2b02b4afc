import { expect, Page, test } from '@playwright/test';

const shots = 'screenshots';
const card = (page: Page, name: string) => page.getByRole('group', { name: `Table ${name}` });

async function diagramWith(page: Page, tables: { name: string; x: number; y: number }[]) {
  const created = await (await page.request.post('/api/diagrams', { data: { name: 'Relationships' } })).json();
  const ops = tables.map((t) => ({
    op: 'add_table',
    table: {
      id: crypto.randomUUID(), name: t.name, x: t.x, y: t.y,
      columns: [{ id: crypto.randomUUID(), name: 'id', data_type: 'serial', primary_key: true, nullable: false, auto_increment: true }],
    },
  }));
  const response = await page.request.post(`/api/diagrams/${created.diagram.id}/ops`, { data: { base_revision: 1, ops } });
  expect(response.status()).toBe(200);
  return created.diagram.id as string;
}

/** Whether the line canvas has paint within 6 px across and 2 px up or down of a point of the
 * page (a dashed line has gaps). */
async function painted(page: Page, point: { x: number; y: number }) {
  return page.locator('canvas.lines').evaluate((canvas: HTMLCanvasElement, p) => {
    const r = canvas.getBoundingClientRect();
    const k = canvas.width / r.width;
    const ctx = canvas.getContext('2d')!;
    let opaque = 0; // the canvas is transparent where nothing is drawn
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -6; dx <= 6; dx++) {
        const alpha = ctx.getImageData(Math.round((p.x - r.x + dx) * k), Math.round((p.y - r.y + dy) * k), 1, 1).data[3];
        opaque = Math.max(opaque, alpha);
      }
    }
    return opaque > 128;
  }, point);
}

async function relate(page: Page, child: string, parent: string) {
  await page.getByRole('button', { name: 'Add relationship' }).click();
  await expect(page.getByText('click the child table')).toBeVisible();
  await card(page, child).locator('.card-head').click();
  await expect(page.getByText('Now click the parent table')).toBeVisible();
  await card(page, parent).locator('.card-head').click();
  await expect(page.getByRole('complementary', { name: 'Relationship editor' })).toBeVisible();
}

test('drawing identifying and non-identifying relationships adds FK columns, keys and lines; one is deleted', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 860 });
  const id = await diagramWith(page, [
    { name: 'customers', x: 0, y: 0 },
    { name: 'orders', x: 420, y: 0 },
    { name: 'order_lines', x: 420, y: 260 },
  ]);
  await page.goto(`/diagrams/${id}`);
  await expect(card(page, 'orders')).toBeVisible();

  // orders → customers, non-identifying: a dashed line, customers_id as a plain FK column.
  await relate(page, 'orders', 'customers');
  await expect(card(page, 'orders').locator('.card-column', { hasText: 'customers_id' })).toContainText('FK');
  await expect(card(page, 'orders').locator('.card-column', { hasText: 'customers_id' })).not.toContainText('PK');
  await expect(card(page, 'orders').locator('.card-column', { hasText: 'customers_id' })).toContainText('integer');
  await page.keyboard.press('Escape');

  // order_lines → orders, identifying: the FK column joins the child's primary key.
  await relate(page, 'order_lines', 'orders');
  await page.getByLabel('Identifying').check();
  const fk = card(page, 'order_lines').locator('.card-column', { hasText: 'orders_id' });
  await expect(fk).toContainText('PK');
  await expect(fk).toContainText('FK');
  await page.getByLabel('Child cardinality').selectOption({ label: 'one or many' });
  await page.getByLabel('On delete').selectOption({ label: 'CASCADE' });
  await page.keyboard.press('Escape');

  // Lines are drawn on one canvas, which reports how many (and how many dashed) it drew.
  const lines = page.locator('canvas.lines');
  await expect(lines).toHaveAttribute('data-lines', '2');
  await expect(lines).toHaveAttribute('data-dashed', '1');
  await expect(page.getByRole('status')).toHaveText('Saved');
  await page.screenshot({ path: `${shots}/relationships.png` });

  const doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  const byName = (n: string) => doc.tables.find((t: any) => t.name === n);
  const identifying = doc.relationships.find((r: any) => r.identifying);
  expect(identifying).toMatchObject({ child_table: byName('order_lines').id, parent_table: byName('orders').id, child_cardinality: 'one_or_many', on_delete: 'cascade' });
  expect(byName('order_lines').columns.find((c: any) => c.name === 'orders_id')).toMatchObject({ primary_key: true, nullable: false, data_type: 'integer' });

  // The dashed line leaves customers' id row to the right, level with it: a point on it, between
  // the cards, is painted in the line colour, and clicking there selects the line.
  const customers = (await card(page, 'customers').boundingBox())!;
  const idRow = (await card(page, 'customers').locator('.card-column', { hasText: 'id' }).first().boundingBox())!;
  const onLine = { x: customers.x + customers.width + 30, y: idRow.y + idRow.height / 2 };
  expect(await painted(page, onLine), 'the line is painted there').toBe(true);
  await page.mouse.move(onLine.x, onLine.y);
  await expect(page.locator('.canvas')).toHaveClass(/over-line/);
  // Select the dashed line and delete it together with its FK column.
  await page.mouse.click(onLine.x, onLine.y);
  await expect(page.getByRole('complementary', { name: 'Relationship editor' })).toContainText('orders → customers');
  await page.getByRole('button', { name: 'Delete with FK columns' }).click();
  await expect(lines).toHaveAttribute('data-lines', '1');
  await expect(card(page, 'orders')).not.toContainText('customers_id');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(lines).toHaveAttribute('data-lines', '2');
  await expect(card(page, 'orders')).toContainText('customers_id');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(lines).toHaveAttribute('data-lines', '1');
  await expect(page.getByRole('status')).toHaveText('Saved');
  const after = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  expect(after.relationships).toHaveLength(1);
  expect(after.tables.find((t: any) => t.name === 'orders').columns.map((c: any) => c.name)).toEqual(['id']);
});

test('dragging from a table\'s connector handle to another table relates them', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 860 });
  const id = await diagramWith(page, [
    { name: 'authors', x: 0, y: 0 },
    { name: 'books', x: 420, y: 160 },
  ]);
  await page.goto(`/diagrams/${id}`);
  const books = card(page, 'books');
  await books.hover();
  const handle = (await books.locator('.connector').boundingBox())!;
  const target = (await card(page, 'authors').locator('.card-head').boundingBox())!;
  await page.mouse.move(handle.x + 7, handle.y + 7);
  await page.mouse.down();
  await page.mouse.move(target.x + 60, target.y + 15, { steps: 10 });
  await expect(page.locator('path.link-preview')).toHaveCount(1);
  await page.mouse.up();
  await expect(page.locator('path.link-preview')).toHaveCount(0);
  await expect(books.locator('.card-column', { hasText: 'authors_id' })).toContainText('FK');
  await expect(page.locator('canvas.lines')).toHaveAttribute('data-lines', '1');
  await expect(page.getByRole('status')).toHaveText('Saved');

  // The line follows its table: drag authors down, and it leaves authors' id row where it is now.
  const idRow = async () => {
    const row = (await card(page, 'authors').locator('.card-column', { hasText: 'id' }).first().boundingBox())!;
    const box = (await card(page, 'authors').boundingBox())!;
    return { x: box.x + box.width + 30, y: row.y + row.height / 2 };
  };
  const before = await idRow();
  await expect.poll(() => painted(page, before)).toBe(true);
  const head = (await card(page, 'authors').locator('.card-head').boundingBox())!;
  await page.mouse.move(head.x + 60, head.y + 12);
  await page.mouse.down();
  await page.mouse.move(head.x + 60, head.y + 162, { steps: 8 });
  await page.mouse.up();
  const after = await idRow();
  expect(after.y - before.y).toBeGreaterThan(140);
  await expect.poll(() => painted(page, after)).toBe(true);
  await expect.poll(() => painted(page, before)).toBe(false);

  // Zoomed in and out, the line is still where the card's id row is.
  for (const button of ['Zoom in', 'Zoom in', 'Zoom out']) {
    await page.getByRole('button', { name: button }).click();
    await expect.poll(async () => painted(page, await idRow())).toBe(true);
  }
});
