import { expect, test } from '@playwright/test';

test("the column grid shows MySQL's ON UPDATE CURRENT_TIMESTAMP as a flag of date-time columns, and the exports follow it", async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1400, height: 860 });
  const created = await page.request.post('/api/diagrams', { data: { name: 'Films' } });
  const id = (await created.json()).diagram.id;
  const imported = await page.request.post(`/api/ddl/import?dialect=mysql&diagram=${id}`, {
    data: 'CREATE TABLE `film` (`film_id` int NOT NULL, `title` varchar(128) NOT NULL, '
      + '`last_update` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, '
      + '`released` datetime(3) DEFAULT NULL, PRIMARY KEY (`film_id`)) ENGINE=InnoDB;',
    headers: { 'content-type': 'text/plain' },
  });
  expect(imported.status()).toBe(200);
  expect((await imported.json()).report.warnings).toEqual([]);
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('group', { name: 'Table film' }).dblclick();
  const rows = page.locator('.column-grid tbody tr');
  const flag = (row: number) => rows.nth(row).getByLabel('On update current timestamp');
  await expect(flag(2)).toBeChecked();
  await expect(flag(1)).toBeDisabled(); // a varchar cannot be stamped
  await expect(flag(3)).toBeEnabled();

  await flag(2).uncheck();
  await flag(3).check();
  await expect(page.getByRole('status')).toHaveText('Saved');
  await page.screenshot({ path: 'screenshots/on-update.png' });
  const mariadb = await (await page.request.get(`/api/diagrams/${id}/export?dialect=mariadb`)).text();
  expect(mariadb).toMatch(/released DATETIME\(3\)[^,]* ON UPDATE CURRENT_TIMESTAMP\(3\),/);
  expect(mariadb).toContain("last_update DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL,");
  expect(mariadb.match(/ON UPDATE/g)?.length).toBe(1);
  const doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  const stamped = doc.tables[0].columns.filter((c: any) => c.on_update_now).map((c: any) => c.name);
  expect(stamped).toEqual(['released']);
  expect(errors).toEqual([]);
});
