import { expect, test } from '@playwright/test';

const shots = 'screenshots';

test('the table panel shows imported checks, adds and edits one, follows a column rename, and the exports write them', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1400, height: 860 });
  const created = await page.request.post('/api/diagrams', { data: { name: 'Shop' } });
  expect(created.status()).toBe(201);
  const id = (await created.json()).diagram.id;
  // pg_dump's spelling of an IN list, and a check declared on its column.
  const imported = await page.request.post(`/api/ddl/import?dialect=postgresql&diagram=${id}`, {
    data: `CREATE TABLE product (id bigint PRIMARY KEY, price numeric(8,2) NOT NULL CHECK (price >= 0), rating varchar(5),
      CONSTRAINT product_rating CHECK (((rating)::text = ANY ((ARRAY['G'::character varying, 'PG'::character varying])::text[]))));`,
    headers: { 'content-type': 'text/plain' },
  });
  expect(imported.status()).toBe(200);
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('group', { name: 'Table product' }).dblclick();
  const panel = page.getByRole('complementary', { name: 'Table editor' });
  const checks = panel.getByRole('region', { name: 'Checks' });
  await expect(checks.getByLabel('Check name')).toHaveCount(2);
  await expect(checks.getByLabel('Check name').first()).toHaveValue('product_price_check');
  await expect(checks.getByRole('listitem').first()).toContainText('price'); // the column's badge

  // A new one, typed as a condition; a broken one is refused and stays in the field to mend.
  const fresh = checks.getByLabel('New check condition');
  await fresh.fill('price < (1000');
  await fresh.press('Enter');
  await expect(page.getByRole('alert')).toContainText('bracket');
  await expect(fresh).toHaveValue('price < (1000');
  await fresh.fill('price < 1000');
  await fresh.press('Enter');
  await expect(checks.getByLabel('Check name')).toHaveCount(3);
  await expect(checks.getByLabel('Check name').last()).toHaveValue('product_check');
  await expect(fresh).toHaveValue('');
  await checks.getByLabel('Check name').last().fill('product_price_cap');
  await checks.getByLabel('Check name').last().press('Enter');
  await checks.getByLabel('Check condition', { exact: true }).last().fill('price <= 999');
  await checks.getByLabel('Check condition', { exact: true }).last().press('Enter');

  // Renaming the column renames it in the conditions that name it.
  const price = panel.locator('.column-grid tbody tr').nth(1).getByLabel('Column name');
  await expect(price).toHaveValue('price');
  await price.fill('amount');
  await price.press('Enter');
  await expect(checks.getByLabel('Check condition', { exact: true }).first()).toHaveValue('amount >= 0');
  await expect(checks.getByLabel('Check condition', { exact: true }).last()).toHaveValue('amount <= 999');
  await expect(page.getByRole('status')).toHaveText('Saved');
  await page.screenshot({ path: `${shots}/check-editor.png` });

  const pg = await (await page.request.get(`/api/diagrams/${id}/export?dialect=postgresql`)).text();
  expect(pg).toContain('CONSTRAINT product_price_cap CHECK (amount <= 999)');
  const mariadb = await (await page.request.get(`/api/diagrams/${id}/export?dialect=mariadb`)).text();
  expect(mariadb).toContain('CONSTRAINT product_rating CHECK (');
  expect(mariadb).toContain("rating IN ('G', 'PG')");
  expect(mariadb).toContain('CONSTRAINT product_price_check CHECK (amount >= 0)');

  // Deleting one removes it; undo brings it back.
  await checks.getByRole('button', { name: 'Delete check product_price_cap' }).click();
  await expect(checks.getByLabel('Check name')).toHaveCount(2);
  await page.keyboard.press('Control+z');
  await expect(checks.getByLabel('Check name')).toHaveCount(3);
  await expect(page.getByRole('status')).toHaveText('Saved');
  const doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  expect(doc.tables[0].checks.map((c: any) => c.name)).toEqual(['product_price_check', 'product_rating', 'product_price_cap']);
  expect(errors).toEqual([]);
});
