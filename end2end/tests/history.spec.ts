import { expect, test } from '@playwright/test';

// History as two people made it: entries with authors and what they did, a named version,
// a comparison marked on the canvas, an earlier version viewed and restored, and undo.
const shots = 'screenshots';
const nobody = { cookies: [], origins: [] };

test('History lists who did what, compares with marks, and restores an earlier version', async ({ page, browser }) => {
  const sql = `CREATE TABLE customer (id integer PRIMARY KEY, nm text);
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer REFERENCES customer (id));`;
  const imported = await (await page.request.post('/api/ddl/import?dialect=postgresql&name=Orders', {
    headers: { 'content-type': 'text/plain' }, data: sql,
  })).json();
  const id = imported.diagram_id;

  // Hana, an editor, renames a column from her own browser context.
  const hana = await browser.newContext({ storageState: nobody });
  const signup = await hana.request.post('/api/auth/signup', {
    data: { email: 'hana@example.com', name: 'Hana Kim', password: 'correct horse battery' },
  });
  expect(signup.status()).toBe(201);
  const shared = await page.request.post(`/api/diagrams/${id}/members`, { data: { email: 'hana@example.com', role: 'editor' } });
  expect(shared.status()).toBe(201);
  const state = await (await hana.request.get(`/api/diagrams/${id}`)).json();
  const customer = state.diagram.tables.find((t: { name: string }) => t.name === 'customer');
  const nm = customer.columns.find((c: { name: string }) => c.name === 'nm');
  const renamed = await hana.request.post(`/api/diagrams/${id}/ops`, {
    data: {
      base_revision: state.revision,
      ops: [{ op: 'update_column', table_id: customer.id, column_id: nm.id, patch: { name: 'name', data_type: 'varchar(100)' } }],
    },
  });
  expect(renamed.status()).toBe(200);
  await hana.close();

  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/diagrams/${id}`);
  const card = (name: string) => page.getByRole('group', { name: `Table ${name}` });
  await expect(card('customer')).toBeVisible();
  // The owner adds a table in the editor.
  await page.getByRole('button', { name: 'Add table' }).click();
  await page.getByLabel('Table name').fill('invoice');
  await page.getByLabel('Table name').press('Enter');
  await page.getByRole('button', { name: 'Close editor' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved', { timeout: 10_000 });

  await page.getByRole('button', { name: 'History' }).click();
  const panel = page.getByRole('complementary', { name: 'History' });
  const entries = panel.locator('.history-entry:not(.named)');
  await expect(entries.filter({ hasText: 'Hana Kim' })).toContainText('Renamed column customer.nm to name');
  await expect(entries.filter({ hasText: 'Hana Kim' })).toContainText('changed customer.name to varchar(100)');
  await expect(entries.first()).toContainText('Olivia Owner');
  await expect(entries.first()).toContainText('Added table invoice');
  await expect(entries.last()).toContainText('Created the diagram');

  // Name what is there now.
  await panel.getByLabel('Version name').fill('v1.2 deployed');
  await panel.getByRole('button', { name: 'Name', exact: true }).click();
  const named = panel.locator('.history-entry.named');
  await expect(named).toContainText('v1.2 deployed');
  await expect(named).toContainText('Olivia Owner');

  // Compare the import with now: marks on the canvas, a legend, the list of changes.
  await entries.last().getByRole('button', { name: 'Compare with now' }).click();
  const bar = page.getByRole('region', { name: 'Version shown' });
  await expect(bar).toContainText('Changes from r1 to');
  await expect(bar).toContainText('Added (1)');
  const shown = page.locator('.shown-version');
  await expect(shown.locator('.table-card.mark-changed')).toHaveAttribute('aria-label', 'Table customer');
  await expect(shown.locator('.table-card.mark-added')).toHaveAttribute('aria-label', 'Table invoice');
  await expect(shown.locator('.card-column.mark-changed')).toContainText('name');
  await expect(page.getByRole('complementary', { name: 'Changes' })).toContainText('renamed column customer.nm to name');
  await page.screenshot({ path: `${shots}/history-compare.png` });

  // View the import read-only, then restore it.
  await bar.getByRole('button', { name: 'Back to now' }).click();
  await expect(bar).toBeHidden();
  await entries.last().getByRole('button', { name: 'View' }).click();
  await expect(bar).toContainText('Viewing r1');
  await expect(shown.getByRole('group', { name: 'Table customer' })).toContainText('nm');
  await expect(shown.getByRole('group', { name: 'Table invoice' })).toHaveCount(0);
  await page.screenshot({ path: `${shots}/history-view.png` });
  await bar.getByRole('button', { name: 'Restore this version' }).click();
  await expect(bar).toBeHidden();
  await expect(card('invoice')).toHaveCount(0);
  await expect(card('customer')).toContainText('nm');
  await expect(page.getByRole('status')).toHaveText('Saved', { timeout: 10_000 });
  // The named revision stands alone; the restore is the newest entry, in words.
  await expect(entries.first()).toContainText('Removed table invoice; changed table customer');
  const revisions = await (await page.request.get(`/api/diagrams/${id}/revisions`)).json();
  const restored = await (await page.request.get(`/api/diagrams/${id}/revisions/${revisions.at(-1).revision}`)).json();
  const first = await (await page.request.get(`/api/diagrams/${id}/revisions/1`)).json();
  expect(restored.tables).toEqual(first.tables);
  expect(restored.relationships).toEqual(first.relationships);

  // One undo takes the restore back.
  await page.keyboard.press('Control+z');
  await expect(card('invoice')).toBeVisible();
  await expect(card('customer')).toContainText('name');
  await page.screenshot({ path: `${shots}/history-panel.png` });
});

test('a long history loads a page at a time', async ({ page }) => {
  const created = await (await page.request.post('/api/diagrams', { data: { name: 'Busy' } })).json();
  const id = created.diagram.id;
  let revision = created.revision;
  for (let i = 0; i < 201; i++) {
    const saved = await page.request.post(`/api/diagrams/${id}/ops`, {
      data: { base_revision: revision, ops: [{ op: 'rename_diagram', name: `Busy ${i}` }] },
    });
    revision = (await saved.json()).revision;
  }
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('button', { name: 'History' }).click();
  const panel = page.getByRole('complementary', { name: 'History' });
  // One person's edits close together are one entry: the newest 200 of them.
  await expect(panel.locator('.history-entry').first()).toContainText(`r3–r${revision}`);
  await expect(panel).not.toContainText('Created the diagram');
  await panel.getByRole('button', { name: 'Show older changes' }).click();
  await expect(panel.locator('.history-entry').first()).toContainText(`r2–r${revision}`);
  await expect(panel).toContainText('Created the diagram');
  await expect(panel.getByRole('button', { name: 'Show older changes' })).toHaveCount(0);
});
