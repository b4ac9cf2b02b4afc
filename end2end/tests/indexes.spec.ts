import { expect, test } from '@playwright/test';

const shots = 'screenshots';

test('the table panel edits indexes: key with DESC and an expression, a condition, unique; the export writes them', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1400, height: 860 });
  const created = await page.request.post('/api/diagrams', { data: { name: 'Accounts' } });
  expect(created.status()).toBe(201);
  const id = (await created.json()).diagram.id;
  const imported = await page.request.post(`/api/ddl/import?dialect=postgresql&diagram=${id}`, {
    data: 'CREATE TABLE account (id bigint PRIMARY KEY, tenant int NOT NULL, email text NOT NULL, created_at timestamp, deleted_at timestamp);',
    headers: { 'content-type': 'text/plain' },
  });
  expect(imported.status()).toBe(200);
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('group', { name: 'Table account' }).dblclick();
  const panel = page.getByRole('complementary', { name: 'Table editor' });
  const indexes = panel.getByRole('region', { name: 'Indexes' });

  await indexes.getByRole('button', { name: 'Add index' }).click();
  const key = indexes.getByLabel('Index key');
  await expect(key).toBeFocused();
  await expect(key).toHaveValue('tenant');
  await key.fill('tenant, created_at DESC, (lower(email))');
  await key.press('Enter');
  await indexes.getByLabel('Index name').fill('account_live_email');
  await indexes.getByLabel('Index name').press('Enter');
  await indexes.getByLabel('Index condition').fill('deleted_at IS NULL');
  await indexes.getByLabel('Index condition').press('Enter');
  await indexes.getByLabel('Unique').check();
  await expect(page.getByRole('status')).toHaveText('Saved');

  // A key naming a column the table lacks is refused, with the reason, and the field is put back.
  await key.fill('tenant, nope');
  await key.press('Enter');
  await expect(page.getByRole('alert')).toContainText('no column nope');
  await expect(key).toHaveValue('tenant, created_at DESC, (lower(email))');
  await page.screenshot({ path: `${shots}/index-editor.png` });

  const sql = await (await page.request.get(`/api/diagrams/${id}/export?dialect=postgresql`)).text();
  expect(sql).toContain('CREATE UNIQUE INDEX account_live_email ON account (tenant, created_at DESC, (lower(email))) WHERE deleted_at IS NULL;');
  // MariaDB has neither expressions nor conditions: a unique index without them would refuse
  // rows PostgreSQL takes, so it is left out, and the script says why.
  const mariadb = await (await page.request.get(`/api/diagrams/${id}/export?dialect=mariadb`)).text();
  expect(mariadb).not.toContain('CREATE UNIQUE INDEX');
  expect(mariadb).toContain('account_live_email of account is not written');

  // Undo takes the last change back; deleting the index removes it.
  // (Out of the field first: there Ctrl+Z is the field's own.)
  await page.evaluate(() => (document.activeElement as HTMLElement).blur());
  await page.keyboard.press('Control+z');
  await expect(indexes.getByLabel('Unique')).not.toBeChecked();
  await indexes.getByRole('button', { name: 'Delete index account_live_email' }).click();
  await expect(indexes.getByRole('listitem')).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText('Saved');
  const doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  expect(doc.tables[0].indexes ?? []).toEqual([]);
  expect(errors).toEqual([]);
});
