import { expect, Page, test } from '@playwright/test';

const shots = 'screenshots';

/// A 1,000-table diagram laid out in a grid, each table with a few columns; one column of a
/// table far from the start has a logical name and a comment to find it by.
async function bigDiagram(page: Page): Promise<{ id: string; target: string; column: string }> {
  const created = await page.request.post('/api/diagrams', { data: { name: 'Big' } });
  expect(created.status()).toBe(201);
  const id = (await created.json()).diagram.id;
  const tables = Array.from({ length: 1000 }, (_, i) => ({
    id: crypto.randomUUID(), name: `t${i}`, x: (i % 40) * 300, y: Math.floor(i / 40) * 260,
    columns: Array.from({ length: 5 }, (_, c) => ({ id: crypto.randomUUID(), name: `c${c}`, data_type: 'text' })),
  }));
  const target = tables[987];
  target.name = 'customer_ledger';
  target.columns[3] = {
    ...target.columns[3], name: 'cust_nm', logical_name: '고객명', comment: 'the name printed on invoices',
  } as any;
  const put = await page.request.put(`/api/diagrams/${id}`, {
    data: { base_revision: 1, diagram: { id, name: 'Big', tables, relationships: [], notes: [] } },
  });
  expect(put.status()).toBe(200);
  return { id, target: target.id, column: target.columns[3].id };
}

test('Ctrl+K searches 1,000 tables by logical name and jumps to the column', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1400, height: 860 });
  const { id, target } = await bigDiagram(page);
  await page.goto(`/diagrams/${id}`);
  await expect(page.getByRole('status')).toHaveText('Saved');
  const field = page.getByRole('combobox', { name: 'Search tables and columns' });
  await expect(field).toBeEnabled();

  // At 100 %, the table far away is not on screen.
  await page.getByRole('button', { name: 'Reset zoom' }).click();
  await expect(page.locator(`.table-card[data-table-id="${target}"]`)).toHaveCount(0);
  await page.locator('.canvas').click({ position: { x: 600, y: 500 } });
  await page.keyboard.press('Control+k');
  await expect(field).toBeFocused();
  await page.keyboard.type('고객명');
  const results = page.getByRole('listbox', { name: 'Search results' });
  await expect(results.getByRole('option')).toHaveCount(1);
  await expect(results.getByRole('option').first()).toContainText('customer_ledger.cust_nm');
  await page.screenshot({ path: `${shots}/search-results.png` });
  await page.keyboard.press('Enter');

  // The table comes into view, selected, and opens at the column.
  const card = page.locator(`.table-card[data-table-id="${target}"]`);
  await expect(card).toBeVisible();
  await expect(card).toHaveClass(/selected/);
  await expect(page.getByLabel('Table name')).toHaveValue('customer_ledger');
  await expect(page.locator('.column-grid tbody tr').nth(3).getByLabel('Column name')).toBeFocused();
  const box = await card.boundingBox();
  expect(box!.x).toBeGreaterThan(0);
  expect(box!.x + box!.width).toBeLessThan(1400);
  await page.screenshot({ path: `${shots}/search-jumped.png` });

  // By comment and by physical name; arrows choose among several; Escape closes the list.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('printed on');
  await expect(results.getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(results).toHaveCount(0);
  await page.keyboard.type('t98');
  await expect(results.getByRole('option')).toHaveCount(10); // t98, t980–t989 but t987 (renamed)
  await page.keyboard.press('ArrowDown');
  await expect(results.getByRole('option').nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.locator('.table-card.selected')).toHaveCount(1);
  await page.keyboard.press('Control+k');
  await page.keyboard.type('no such thing');
  await expect(page.getByText('No table or column matches.')).toBeVisible();
  expect(errors).toEqual([]);
});
