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

  const lines = page.locator('.lines g.rel');
  await expect(lines).toHaveCount(2);
  await expect(page.locator('.lines g.rel.dashed')).toHaveCount(1);
  await expect(page.getByRole('status')).toHaveText('Saved');
  await page.screenshot({ path: `${shots}/relationships.png` });

  const doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  const byName = (n: string) => doc.tables.find((t: any) => t.name === n);
  const identifying = doc.relationships.find((r: any) => r.identifying);
  expect(identifying).toMatchObject({ child_table: byName('order_lines').id, parent_table: byName('orders').id, child_cardinality: 'one_or_many', on_delete: 'cascade' });
  expect(byName('order_lines').columns.find((c: any) => c.name === 'orders_id')).toMatchObject({ primary_key: true, nullable: false, data_type: 'integer' });

  // Select the dashed line and delete it together with its FK column.
  await page.locator('.lines g.rel.dashed path.hit').click({ force: true });
  await expect(page.getByRole('complementary', { name: 'Relationship editor' })).toContainText('orders → customers');
  await page.getByRole('button', { name: 'Delete with FK columns' }).click();
  await expect(lines).toHaveCount(1);
  await expect(card(page, 'orders')).not.toContainText('customers_id');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(lines).toHaveCount(2);
  await expect(card(page, 'orders')).toContainText('customers_id');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(lines).toHaveCount(1);
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
  await expect(page.locator('.lines g.rel')).toHaveCount(1);
  await expect(page.getByRole('status')).toHaveText('Saved');
});
