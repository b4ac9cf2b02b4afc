import { expect, test } from '@playwright/test';

const shots = 'screenshots';

test('enum types are added, renamed with their columns, given values, undone and deleted when unused', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  const created = await page.request.post('/api/diagrams', { data: { name: 'Shop' } });
  expect(created.status()).toBe(201);
  const id = (await created.json()).diagram.id;
  const imported = await page.request.post(`/api/ddl/import?dialect=postgresql&diagram=${id}`, {
    data: `CREATE TYPE order_state AS ENUM ('new', 'paid');
      CREATE TABLE orders (id bigint PRIMARY KEY, state order_state NOT NULL, history order_state[]);`,
    headers: { 'content-type': 'text/plain' },
  });
  expect(imported.status()).toBe(200);
  await page.goto(`/diagrams/${id}`);

  await page.getByRole('button', { name: 'Dictionary' }).click();
  const dictionary = page.getByRole('complementary', { name: 'Dictionary' });
  await dictionary.getByRole('tab', { name: /Enums/ }).click();
  await expect(dictionary.getByLabel('Enum name', { exact: true })).toHaveValue('order_state');
  await expect(dictionary.getByLabel('Enum values', { exact: true })).toHaveValue('new, paid');
  await expect(dictionary.getByLabel('Columns of this type').last()).toHaveText('2');
  // A type in use cannot be deleted.
  await expect(dictionary.getByRole('button', { name: 'Delete enum' })).toBeDisabled();

  // A new one; one with no values is refused.
  await dictionary.getByLabel("New enum's name").fill('size');
  await dictionary.getByLabel("New enum's name").press('Enter');
  await expect(page.getByText('An enum needs at least one value.')).toBeVisible();
  await dictionary.getByLabel("New enum's values").fill('S, M ,L');
  await dictionary.getByLabel("New enum's values").press('Enter');
  await expect(dictionary.getByLabel('Enum name', { exact: true })).toHaveCount(2);
  await expect(dictionary.getByLabel('Enum values', { exact: true }).nth(1)).toHaveValue('S, M, L');

  // A rename retypes the columns; new values are kept.
  const name = dictionary.getByLabel('Enum name', { exact: true }).first();
  await name.fill('status');
  await name.press('Enter');
  const values = dictionary.getByLabel('Enum values', { exact: true }).first();
  await values.fill('new, paid, shipped');
  await values.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: /^(Saved|Saving…|Unsaved changes)$/ })).toHaveText('Saved');
  let doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  expect(doc.enums.map((e: any) => [e.name, e.values])).toEqual([['status', ['new', 'paid', 'shipped']], ['size', ['S', 'M', 'L']]]);
  expect(doc.tables[0].columns.map((c: any) => c.data_type)).toEqual(['bigint', 'status', 'status[]']);
  const pg = await (await page.request.get(`/api/diagrams/${id}/export?dialect=postgresql`)).text();
  expect(pg).toContain("CREATE TYPE status AS ENUM ('new','paid','shipped');");
  expect(pg).toContain('history status[]');
  await page.screenshot({ path: `${shots}/enum-editor.png` });

  // Undo takes the values back, then the rename with its columns.
  await page.evaluate(() => (document.activeElement as HTMLElement).blur());
  await page.keyboard.press('Control+z');
  await expect(values).toHaveValue('new, paid');
  await page.keyboard.press('Control+z');
  await expect(name).toHaveValue('order_state');
  await page.getByRole('group', { name: 'Table orders' }).dblclick();
  const grid = page.getByRole('complementary', { name: 'Table editor' }).locator('tr[data-column-id]');
  await expect(grid.nth(1).locator('[data-field="data_type"]')).toHaveValue('order_state');

  // The unused one goes.
  await dictionary.getByRole('button', { name: 'Delete enum' }).nth(1).click();
  await expect(dictionary.getByLabel('Enum name', { exact: true })).toHaveCount(1);
  await expect(page.getByRole('status').filter({ hasText: /^(Saved|Saving…|Unsaved changes)$/ })).toHaveText('Saved');
  doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  expect(doc.enums.map((e: any) => e.name)).toEqual(['order_state']);
  expect(errors).toEqual([]);
});
