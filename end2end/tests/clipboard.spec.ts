import { expect, Page, test } from '@playwright/test';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const SHOP = `
CREATE TABLE customers (id bigint PRIMARY KEY, name text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), total numeric(10,2) CHECK (total >= 0));
CREATE INDEX orders_customer ON orders (customer_id);
`;

const card = (page: Page, name: string) => page.getByRole('group', { name: `Table ${name}`, exact: true });

async function saved(page: Page) {
  await expect(page.getByRole('status').filter({ hasText: /^(Saved|Saving…|Unsaved changes)$/ })).toHaveText('Saved');
}

async function diagram(page: Page, id: string) {
  return (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
}

async function newDiagram(page: Page, name: string, sql?: string) {
  const id = (await (await page.request.post('/api/diagrams', { data: { name } })).json()).diagram.id;
  if (sql) {
    const imported = await page.request.post(`/api/ddl/import?dialect=postgresql&diagram=${id}`, {
      data: sql,
      headers: { 'content-type': 'text/plain' },
    });
    expect(imported.status()).toBe(200);
  }
  return id;
}

test('tables are duplicated with or without their keys, copied to another diagram, and pasted from SQL', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  const shop = await newDiagram(page, 'Shop', SHOP);
  await page.goto(`/diagrams/${shop}`);

  // Ctrl+D: a copy to the right of the table, selected, with its key to customers, its index and check.
  await card(page, 'orders').click();
  await page.keyboard.press('Control+d');
  await expect(card(page, 'orders_copy')).toBeVisible();
  await expect(card(page, 'orders_copy')).toHaveClass(/selected/);
  await saved(page);
  let doc = await diagram(page, shop);
  const table = (n: string) => doc.tables.find((t: any) => t.name === n);
  const copy = table('orders_copy');
  expect(copy.x - table('orders').x).toBe(300);
  expect(copy.y).toBe(table('orders').y);
  expect(copy.indexes.length).toBe(1);
  expect(copy.checks.map((c: any) => c.sql)).toEqual(['total >= 0']);
  const keys = doc.relationships.filter((r: any) => r.child_table === copy.id);
  expect(keys.map((r: any) => r.parent_table)).toEqual([table('customers').id]);
  await page.screenshot({ path: 'screenshots/duplicate.png' });

  // One undo step takes it away; the panel's button duplicates without keys.
  await page.keyboard.press('Control+z');
  await expect(card(page, 'orders_copy')).toHaveCount(0);
  await card(page, 'orders').dblclick();
  await page.getByRole('button', { name: 'Duplicate without keys' }).click();
  await expect(page.getByRole('complementary', { name: 'Table editor' }).getByLabel('Table name')).toHaveValue('orders_copy');
  await saved(page);
  doc = await diagram(page, shop);
  expect(doc.relationships.filter((r: any) => r.child_table === table('orders_copy').id)).toEqual([]);
  await page.getByRole('button', { name: 'Close editor' }).click();

  // Copy customers and orders; paste them into another diagram, keys between them kept.
  await card(page, 'customers').click();
  await card(page, 'orders').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  const other = await newDiagram(page, 'Other');
  await page.goto(`/diagrams/${other}`);
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await page.locator('.canvas').click({ position: { x: 600, y: 400 } });
  await page.keyboard.press('Control+v');
  await expect(card(page, 'customers')).toBeVisible();
  await expect(card(page, 'orders')).toBeVisible();
  await saved(page);
  doc = await diagram(page, other);
  expect(doc.tables.map((t: any) => t.name)).toEqual(['customers', 'orders']);
  expect(doc.relationships.length).toBe(1);
  expect(doc.relationships[0].parent_table).toBe(table('customers').id);
  const first = await diagram(page, shop);
  expect(doc.tables.map((t: any) => t.id)).not.toContain(first.tables[0].id);

  // SQL on the clipboard is read as DDL and its tables pasted.
  await page.evaluate(() => navigator.clipboard.writeText('CREATE TABLE invoices (id int PRIMARY KEY, order_id int);'));
  await page.keyboard.press('Control+v');
  await expect(card(page, 'invoices')).toBeVisible();
  await saved(page);
  doc = await diagram(page, other);
  expect(doc.tables.map((t: any) => t.name)).toEqual(['customers', 'orders', 'invoices']);

  // Other text is refused with a message, and changes nothing.
  await page.evaluate(() => navigator.clipboard.writeText('just some words'));
  await page.keyboard.press('Control+v');
  await expect(page.getByRole('alert')).toContainText('neither copied tables nor CREATE TABLE');
  expect(errors).toEqual([]);
});
