import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';

const shots = 'screenshots';

async function addRow(grid: Locator, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) {
    await grid.getByLabel(label, { exact: true }).fill(value);
  }
  await grid.getByLabel(Object.keys(fields)[0], { exact: true }).press('Enter');
}

async function saved(page: Page) {
  await expect(page.getByRole('status').filter({ hasText: /^(Saved|Saving…|Unsaved changes)$/ })).toHaveText('Saved');
}

test('a small dictionary names tables and columns as their logical names are typed; checks find the rest', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1440, height: 900 });
  const created = await page.request.post('/api/diagrams', { data: { name: 'Orders' } });
  expect(created.status()).toBe(201);
  const id = (await created.json()).diagram.id;
  await page.goto(`/diagrams/${id}`);

  // The dictionary: a domain, words (one of them a forbidden synonym), a term.
  await page.getByRole('button', { name: 'Dictionary' }).click();
  const dictionary = page.getByRole('complementary', { name: 'Dictionary' });
  await dictionary.getByRole('tab', { name: /Domains/ }).click();
  await dictionary.getByLabel('New domain is not null').check();
  await addRow(dictionary, { 'New domain': 'Name', "New domain's data type": 'varchar(100)' });
  await expect(dictionary.getByLabel('Domain', { exact: true })).toHaveValue('Name');
  await dictionary.getByRole('tab', { name: /Words/ }).click();
  for (const [word, abbreviation] of [['고객', 'CUST'], ['이름', 'NM'], ['명', 'NM'], ['주문', 'ORD'], ['일', 'DAY'], ['일자', 'DT']]) {
    await addRow(dictionary, { 'New word': word, "New word's abbreviation": abbreviation });
    await expect(dictionary.getByLabel('New word', { exact: true })).toBeFocused();
  }
  await addRow(dictionary, { 'New word': '손님', 'New word: use instead': '고객' });
  await expect(dictionary.getByLabel('Logical word')).toHaveCount(7);
  await dictionary.getByRole('tab', { name: /Terms/ }).click();
  // The term's physical name is offered from the words as it is typed.
  await dictionary.getByLabel('New term', { exact: true }).fill('고객명');
  await expect(dictionary.getByLabel("New term's physical name")).toHaveValue('CUST_NM');
  await dictionary.getByLabel("New term's domain").selectOption({ label: 'Name · varchar(100)' });
  await dictionary.getByLabel('New term', { exact: true }).press('Enter');
  await expect(dictionary.getByLabel('Physical name', { exact: true })).toHaveValue('CUST_NM');
  await page.screenshot({ path: `${shots}/dictionary-terms.png` });

  // A table named from its logical name; columns named, typed and kept NOT NULL from the term.
  await page.getByRole('button', { name: 'Add table' }).click();
  const panel = page.getByRole('complementary', { name: 'Table editor' });
  await panel.locator('#table-logical').fill('고객');
  await expect(panel.locator('#table-name')).toHaveValue('CUST');
  await panel.locator('#table-logical').press('Tab');
  await expect(page.getByRole('group', { name: 'Table CUST' })).toBeVisible();

  await panel.getByRole('button', { name: 'Add column' }).click();
  const row = panel.locator('tr[data-column-id]').nth(1);
  await row.locator('[data-field="logical_name"]').fill('고객명');
  // Shown while typing, before it is committed.
  await expect(row.locator('[data-field="name"]')).toHaveValue('CUST_NM');
  await row.locator('[data-field="logical_name"]').press('Tab');
  await expect(row.locator('[data-field="data_type"]')).toHaveValue('varchar(100)');
  await expect(row.locator('[data-field="not_null"]')).toBeChecked();

  await panel.getByRole('button', { name: 'Add column' }).click();
  const second = panel.locator('tr[data-column-id]').nth(2);
  await second.locator('[data-field="logical_name"]').fill('주문일자');
  await second.locator('[data-field="logical_name"]').press('Tab');
  await expect(second.locator('[data-field="name"]')).toHaveValue('ORD_DT');

  // A forbidden synonym whose name is taken keeps its own name, and the checks say both.
  await panel.getByRole('button', { name: 'Add column' }).click();
  const third = panel.locator('tr[data-column-id]').nth(3);
  await third.locator('[data-field="logical_name"]').fill('손님이름');
  await third.locator('[data-field="logical_name"]').press('Tab');
  await expect(third.locator('[data-field="name"]')).toHaveValue('column');
  await saved(page);

  await dictionary.getByRole('tab', { name: /Checks/ }).click();
  const findings = dictionary.getByRole('list', { name: 'Checks' });
  await expect(findings).toContainText('use “고객”, not “손님”');
  await expect(findings).toContainText('the dictionary names it CUST_NM');
  await page.screenshot({ path: `${shots}/dictionary-checks.png` });
  // Choosing a finding goes to its column.
  await panel.getByRole('button', { name: 'Close editor' }).click();
  await findings.getByRole('button', { name: 'CUST.column', exact: true }).first().click();
  await expect(page.getByRole('complementary', { name: 'Table editor' }).locator('tr[data-column-id]').nth(3).locator('[data-field="name"]')).toBeFocused();

  // Changing the domain changes its column; one undo takes it back.
  await dictionary.getByRole('tab', { name: /Domains/ }).click();
  const type = dictionary.getByLabel('Data type', { exact: true });
  await type.fill('varchar(120)');
  await type.press('Enter');
  await type.press('Tab');
  const grid = page.getByRole('complementary', { name: 'Table editor' }).locator('tr[data-column-id]').nth(1);
  await expect(grid.locator('[data-field="data_type"]')).toHaveValue('varchar(120)');
  await page.evaluate(() => (document.activeElement as HTMLElement).blur());
  await page.keyboard.press('Control+z');
  await expect(grid.locator('[data-field="data_type"]')).toHaveValue('varchar(100)');
  await expect(type).toHaveValue('varchar(100)');
  await saved(page);

  // Out as CSV and back in: the file round-trips, and a new row merges in.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dictionary.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv).toContain('word,고객,CUST');
  expect(csv).toContain('term,고객명,CUST_NM,,Name');
  await dictionary.getByLabel('Import a dictionary').setInputFiles({
    name: 'team.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${csv}word,주소,ADDR,,,,,,,\nword,,,,,,,,,x\n`),
  });
  await expect(dictionary.getByRole('status').last()).toContainText('1 entry added or changed. Skipped 1: line');
  await saved(page);
  const doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  expect(doc.dictionary.words.map((w: { logical: string }) => w.logical)).toContain('주소');
  expect(doc.dictionary.terms[0].domain).toBe(doc.dictionary.domains[0].id);
  const cust = doc.tables.find((t: { name: string }) => t.name === 'CUST');
  expect(cust.logical_name).toBe('고객');
  expect(cust.columns.map((c: { name: string }) => c.name)).toEqual(['id', 'CUST_NM', 'ORD_DT', 'column']);
  expect(cust.columns[1].domain).toBe(doc.dictionary.domains[0].id);
  expect(errors).toEqual([]);
});
