import { expect, test } from '@playwright/test';

// Screenshots the tests keep, for people to look at (end2end/screenshots/).
const shots = 'screenshots';

test('the home page lists diagrams and New diagram creates one that survives a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Diagrams', exact: true })).toBeVisible();
  // The list loads through the WASM client, so seeing it (even empty) proves hydration ran.
  await expect(page.getByText('Loading diagrams…')).toBeHidden();
  const rowsBefore = await page.locator('table.diagram-list tbody tr').count();
  await page.screenshot({ path: `${shots}/home.png`, fullPage: true });

  // A click handled by the WASM code: it calls the API and navigates to the new diagram.
  await page.getByRole('button', { name: 'New diagram' }).click();
  await expect(page).toHaveURL(/\/diagrams\/[0-9a-f-]{36}$/);
  await expect(page.getByLabel('Diagram name')).toHaveValue('Untitled diagram');
  const id = page.url().split('/').pop();
  await page.screenshot({ path: `${shots}/diagram.png`, fullPage: true });

  await page.goto('/');
  await page.reload();
  const link = page.locator(`a[href="/diagrams/${id}"]`);
  await expect(link).toHaveText('Untitled diagram');
  await expect(page.locator('table.diagram-list tbody tr')).toHaveCount(rowsBefore + 1);
  await page.screenshot({ path: `${shots}/home-with-diagram.png`, fullPage: true });

  // Following the link is client-side routing, also the WASM code's work.
  await link.click();
  await expect(page.getByLabel('Diagram name')).toHaveValue('Untitled diagram');
  expect(errors).toEqual([]);
});

test('an unknown diagram shows a clear message', async ({ page }) => {
  await page.goto('/diagrams/00000000-0000-4000-8000-000000000000');
  await expect(page.getByRole('alert')).toHaveText('no such diagram');
});
