import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';

const shots = 'screenshots';

test('Export migration asks before a destructive script, then shows ALTER TABLE up and down', async ({ page }) => {
  const sql = 'CREATE TABLE users (id integer PRIMARY KEY, email varchar(200) NOT NULL, nickname varchar(40));';
  const imported = await (await page.request.post('/api/ddl/import?dialect=postgresql&name=Accounts', {
    headers: { 'content-type': 'text/plain' }, data: sql,
  })).json();
  const id = imported.diagram_id;
  const state = await (await page.request.get(`/api/diagrams/${id}`)).json();
  const users = state.diagram.tables[0];
  const column = (name: string) => users.columns.find((c: { name: string }) => c.name === name).id;
  const saved = await page.request.post(`/api/diagrams/${id}/ops`, {
    data: {
      base_revision: state.revision,
      ops: [
        { op: 'update_column', table_id: users.id, column_id: column('email'), patch: { name: 'mail' } },
        { op: 'remove_column', table_id: users.id, column_id: column('nickname') },
      ],
    },
  });
  expect(saved.status()).toBe(200);
  // What is deployed is named: the dialog starts from it.
  const named = await page.request.post(`/api/diagrams/${id}/versions`, { data: { name: 'v1 deployed', revision: 1 } });
  expect(named.status()).toBe(201);

  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('button', { name: 'File ▾' }).click();
  await page.getByRole('menuitem', { name: 'Export migration' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export migration' });
  await expect(dialog.getByLabel('From')).toContainText('v1 deployed (r1)');
  await expect(dialog.getByLabel('From')).toHaveValue('1');
  // Dropping a column loses data: the dialog says so before showing the script.
  const warning = dialog.getByRole('alert');
  await expect(warning).toContainText('drops column users.nickname');
  await expect(dialog.getByRole('button', { name: 'Copy' })).toBeDisabled();
  await page.screenshot({ path: `${shots}/migration-warning.png` });
  await warning.getByRole('button', { name: 'Show the script' }).click();
  const script = dialog.getByLabel('Migration SQL');
  await expect(script).toContainText('ALTER TABLE users RENAME COLUMN email TO mail;');
  await expect(script).toContainText('ALTER TABLE users DROP COLUMN nickname;');
  await expect(script).not.toContainText('DROP COLUMN email');
  await page.screenshot({ path: `${shots}/migration-dialog.png` });

  await dialog.getByLabel('Direction').selectOption('down');
  await expect(script).toContainText('ALTER TABLE users RENAME COLUMN mail TO email;');
  await expect(script).toContainText('ADD COLUMN nickname VARCHAR(40)');
  await dialog.getByLabel('Dialect').selectOption({ label: 'SQLite' });
  await expect(script).toContainText('for SQLite');
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^Accounts\.r\d+-r1\.sqlite\.sql$/);
  expect(readFileSync(await download.path(), 'utf8')).toContain('RENAME COLUMN mail TO email');
});
