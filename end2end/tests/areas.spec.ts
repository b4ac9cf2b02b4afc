import { expect, Page, test } from '@playwright/test';

const shots = 'screenshots';

const SHOP = `
CREATE TABLE customers (id bigint PRIMARY KEY, name text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));
CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id), product_id bigint);
CREATE TABLE products (id bigint PRIMARY KEY, name text);
CREATE TABLE stock (id bigint PRIMARY KEY, product_id bigint REFERENCES products (id));
`;

const card = (page: Page, name: string) => page.getByRole('group', { name: `Table ${name}` });

async function saved(page: Page) {
  await expect(page.getByRole('status').filter({ hasText: /^(Saved|Saving…|Unsaved changes)$/ })).toHaveText('Saved');
}

async function diagram(page: Page, id: string) {
  return (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
}

/// The boxes of the area frame and of the cards of the named tables, on the page.
async function boxes(page: Page, names: string[]) {
  return Promise.all(names.map(async (n) => (await card(page, n).boundingBox())!));
}

test('a subject area is made from the selection, framed, moved by its name, filtered and exported alone', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  const created = await page.request.post('/api/diagrams', { data: { name: 'Shop' } });
  const id = (await created.json()).diagram.id;
  const imported = await page.request.post(`/api/ddl/import?dialect=postgresql&diagram=${id}`, {
    data: SHOP,
    headers: { 'content-type': 'text/plain' },
  });
  expect(imported.status()).toBe(200);
  await page.goto(`/diagrams/${id}`);
  await expect(card(page, 'orders')).toBeVisible();

  // Select orders and order_lines, and make an area of them.
  await card(page, 'orders').click();
  await card(page, 'order_lines').click({ modifiers: ['Shift'] });
  await page.getByRole('button', { name: 'Areas', exact: true }).click();
  const panel = page.getByRole('complementary', { name: 'Subject areas' });
  await panel.getByRole('button', { name: 'New area from 2 selected' }).click();
  const name = panel.getByLabel('Area name');
  await expect(name).toHaveValue('Area 1');
  await name.fill('Sales');
  await name.press('Enter');
  await expect(panel.getByText('2 tables')).toBeVisible();
  const frame = page.locator('.area-frame');
  await expect(frame).toHaveCount(1);
  await expect(frame.locator('.area-label')).toHaveText('Sales');

  // The frame holds its tables and no other.
  const inside = async () => {
    const f = (await frame.boundingBox())!;
    const contains = (b: { x: number; y: number; width: number; height: number }) =>
      b.x >= f.x && b.y >= f.y && b.x + b.width <= f.x + f.width && b.y + b.height <= f.y + f.height;
    const [o, l, c] = await boxes(page, ['orders', 'order_lines', 'customers']);
    return [contains(o), contains(l), contains(c)];
  };
  await page.getByRole('button', { name: 'Close subject areas' }).click();
  await page.getByRole('button', { name: 'Fit to screen' }).click();
  // Auto layout keeps the area's tables together, apart from the others.
  await page.getByRole('button', { name: 'Auto layout ▾' }).click();
  await page.getByRole('menuitem', { name: 'All tables' }).click();
  await expect.poll(inside).toEqual([true, true, false]);
  await saved(page);
  await page.screenshot({ path: `${shots}/subject-area.png` });

  // Dragging the area's name moves both of its tables by the same amount, and nothing else.
  const [o0, l0, c0] = await boxes(page, ['orders', 'order_lines', 'customers']);
  const label = (await frame.locator('.area-label').boundingBox())!;
  await page.mouse.move(label.x + 10, label.y + label.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(label.x + 10 + i * 12, label.y + label.height / 2 + i * 9);
  await page.mouse.up();
  const [o1, l1, c1] = await boxes(page, ['orders', 'order_lines', 'customers']);
  expect(o1.x - o0.x).toBeGreaterThan(60);
  expect(Math.abs(o1.x - o0.x - (l1.x - l0.x))).toBeLessThan(2);
  expect(Math.abs(o1.y - o0.y - (l1.y - l0.y))).toBeLessThan(2);
  expect([c1.x, c1.y]).toEqual([c0.x, c0.y]);
  expect(await inside()).toEqual([true, true, false]);
  await saved(page);
  let doc = await diagram(page, id);
  const sales = doc.areas[0];
  expect(sales.name).toBe('Sales');
  const area = (n: string) => doc.tables.find((t: any) => t.name === n).area ?? null;
  expect(['orders', 'order_lines', 'customers'].map(area)).toEqual([sales.id, sales.id, null]);

  // One undo step puts the moved tables back.
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await card(page, 'orders').boundingBox())!.x).toBeCloseTo(o0.x, 0);

  // The table panel puts customers in the area too.
  await card(page, 'customers').dblclick();
  await page.getByRole('complementary', { name: 'Table editor' }).getByLabel('Area').selectOption({ label: 'Sales' });
  await page.getByRole('button', { name: 'Close editor' }).click();
  await expect.poll(inside).toEqual([true, true, true]);
  await saved(page);
  doc = await diagram(page, id);
  expect(area('customers')).toBe(sales.id);

  // Filtered to the area, the canvas shows its tables only.
  await page.getByRole('button', { name: 'Areas', exact: true }).click();
  await panel.getByLabel('Show only area Sales').check();
  await expect(panel.getByText('The canvas shows only the checked areas.')).toBeVisible();
  await expect(card(page, 'products')).toHaveCount(0);
  await expect(card(page, 'orders')).toBeVisible();
  await page.screenshot({ path: `${shots}/subject-area-filter.png` });
  await panel.getByRole('button', { name: 'Show all tables' }).click();
  await expect(card(page, 'products')).toBeVisible();

  // The SQL of the area alone: its tables and the keys between them.
  await page.getByRole('button', { name: 'File ▾' }).click();
  await page.getByRole('menuitem', { name: 'Export SQL' }).click();
  await page.getByLabel('Tables', { exact: true }).selectOption({ label: 'Area Sales' });
  const sql = page.getByLabel('DDL');
  await expect(sql).toContainText('CREATE TABLE order_lines');
  await expect(sql).not.toContainText('CREATE TABLE products');
  await expect(sql).toContainText('REFERENCES customers');
  await page.getByRole('button', { name: 'Close', exact: true }).click();

  // Deleting the area keeps its tables, in no area; undo brings both back.
  await panel.getByRole('button', { name: 'Delete area Sales' }).click();
  await expect(frame).toHaveCount(0);
  await expect(card(page, 'orders')).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(frame).toHaveCount(1);
  await expect(panel.getByText('3 tables')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a second browser on the diagram sees an area made in the first, and its move, live', async ({ page, browser }) => {
  const id = (await (await page.request.post('/api/diagrams', { data: { name: 'Two' } })).json()).diagram.id;
  await page.request.post(`/api/ddl/import?dialect=postgresql&diagram=${id}`, { data: 'CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));', headers: { 'content-type': 'text/plain' } });
  const other = await browser.newContext({ storageState: (await page.context().storageState()) });
  const second = await other.newPage();
  await page.goto(`/diagrams/${id}`);
  await second.goto(`/diagrams/${id}`);
  await expect(second.locator('.connection')).toContainText('Live');
  await page.getByRole('group', { name: 'Table a', exact: true }).click();
  await page.getByRole('button', { name: 'Areas', exact: true }).click();
  await page.getByRole('button', { name: 'New area from 1 selected' }).click();
  await expect(second.locator('.area-frame .area-label')).toHaveText('Area 1');
  const before = (await second.getByRole('group', { name: 'Table a', exact: true }).boundingBox())!;
  const label = (await page.locator('.area-label').boundingBox())!;
  await page.mouse.move(label.x + 5, label.y + 5); await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(label.x + 5 + i * 15, label.y + 5 + i * 10);
  await page.mouse.up();
  await expect.poll(async () => (await second.getByRole('group', { name: 'Table a', exact: true }).boundingBox())!.x).toBeGreaterThan(before.x + 60);
  await second.screenshot({ path: `${shots}/area-second-tab.png` });
});
