import { expect, Page, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const shots = 'screenshots';
const corpus = process.env.TABLEWRIGHT_CORPUS ?? resolve(__dirname, '../../../shared/corpus');
const chinook: [string, string][] = [
  ['postgresql', 'postgresql/chinook_postgresql.ddl.sql'],
  ['mysql', 'mysql/chinook_mysql.ddl.sql'],
  ['sqlite', 'sqlite/chinook_sqlite.ddl.sql'],
  ['mssql', 'mssql/chinook_sqlserver.ddl.sql'],
  ['oracle', 'oracle/chinook_oracle.ddl.sql'],
];
const tables = ['album', 'artist', 'customer', 'employee', 'genre', 'invoice', 'invoiceline', 'mediatype', 'playlist', 'playlisttrack', 'track'];

function overlaps(boxes: { x: number; y: number; width: number; height: number }[]) {
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) return true;
    }
  return false;
}

async function cardNames(page: Page) {
  return (await page.locator('.table-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('aria-label')!.slice(6))))
    .map((n) => n.toLowerCase().replace(/_/g, ''))
    .sort();
}

for (const [dialect, file] of chinook) {
  test(`Chinook (${dialect}) imports from the home page with every table and FK, laid out without overlaps`, async ({ page }) => {
    const path = resolve(corpus, file);
    test.skip(!existsSync(path), `the shared corpus is absent (${path})`);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto('/');
    await page.getByRole('button', { name: 'Import SQL' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import SQL' });
    await dialog.locator('input[type=file]').setInputFiles(path);
    await expect(dialog.getByLabel('SQL', { exact: true })).toHaveValue(/CREATE TABLE/i);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await expect(dialog.locator('.summary')).toContainText('11 tables · 11 relationships');
    await expect(dialog.locator('.summary')).toContainText('0 errors');
    await dialog.getByRole('button', { name: 'Import as new diagram' }).click();

    await expect(page).toHaveURL(/\/diagrams\//);
    await expect(page.locator('.table-card')).toHaveCount(11);
    expect(await cardNames(page)).toEqual([...tables].sort());
    await expect(page.locator('canvas.lines')).toHaveAttribute('data-lines', '11');
    const boxes = await page.locator('.table-card').evaluateAll((cards) => cards.map((c) => {
      const r = c.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }));
    expect(overlaps(boxes)).toBe(false);
    await page.screenshot({ path: `${shots}/import-chinook-${dialect}.png` });
  });
}

test('the export dialog shows coloured DDL and downloads <name>.<dialect>.sql with every table', async ({ page }) => {
  const path = resolve(corpus, chinook[0][1]);
  test.skip(!existsSync(path), `the shared corpus is absent (${path})`);
  const imported = await (await page.request.post('/api/ddl/import?dialect=postgresql&name=Chinook', {
    headers: { 'content-type': 'text/plain' }, data: readFileSync(path, 'utf8'),
  })).json();
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/diagrams/${imported.diagram_id}`);
  await page.getByRole('button', { name: 'File ▾' }).click();
  await page.getByRole('menuitem', { name: 'Export SQL' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export SQL' });
  await expect(dialog.getByLabel('DDL')).toContainText('CREATE TABLE');
  await expect(dialog.locator('.sql-output .keyword').first()).toBeVisible();
  await page.screenshot({ path: `${shots}/export-dialog.png` });
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toBe('Chinook.postgresql.sql');
  const text = readFileSync(await download.path(), 'utf8');
  for (const t of tables) expect(text.toLowerCase().replace(/_/g, '')).toContain(`create table ${t}`);
  await dialog.getByLabel('Dialect').selectOption({ label: 'SQL Server' });
  await expect(dialog.getByLabel('DDL')).toContainText('for SQL Server');
  await expect(dialog.getByLabel('DDL')).toContainText('NVARCHAR(160)');
});

test('importing in place of the open diagram is one step that Undo takes back', async ({ page }) => {
  const created = await (await page.request.post('/api/diagrams', { data: { name: 'Replace me' } })).json();
  await page.goto(`/diagrams/${created.diagram.id}`);
  await page.getByRole('button', { name: 'Add table' }).click();
  await page.keyboard.type('before_import');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'File ▾' }).click();
  await page.getByRole('menuitem', { name: 'Import SQL…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import SQL' });
  await dialog.getByLabel('SQL', { exact: true }).fill('CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));\nCREATE TABLE broken (id int,, x);');
  await dialog.getByLabel('Dialect').selectOption({ label: 'PostgreSQL' });
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.locator('.summary')).toContainText('2 tables · 1 relationships');
  // An error names its line; clicking it selects that line in the text.
  await dialog.getByRole('button', { name: /^line 3:/ }).click();
  expect(await dialog.getByLabel('SQL', { exact: true }).evaluate((t: HTMLTextAreaElement) => t.value.slice(t.selectionStart, t.selectionEnd))).toBe('CREATE TABLE broken (id int,, x);');
  await dialog.getByRole('button', { name: 'Replace this diagram' }).click();
  await expect(page.locator('.table-card')).toHaveCount(2);
  await expect(page.getByRole('group', { name: 'Table before_import' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('group', { name: 'Table before_import' })).toBeVisible();
  await expect(page.locator('.table-card')).toHaveCount(1);
  await expect(page.getByRole('status')).toHaveText('Saved');
  const doc = (await (await page.request.get(`/api/diagrams/${created.diagram.id}`)).json()).diagram;
  expect(doc.tables.map((t: any) => t.name)).toEqual(['before_import']);
});
