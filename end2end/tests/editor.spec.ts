import { expect, Page, test } from '@playwright/test';

const shots = 'screenshots';

async function newDiagram(page: Page, name: string): Promise<string> {
  const response = await page.request.post('/api/diagrams', { data: { name } });
  expect(response.status()).toBe(201);
  const state = await response.json();
  return state.diagram.id;
}

async function serverDoc(page: Page, id: string) {
  const response = await page.request.get(`/api/diagrams/${id}`);
  return (await response.json()).diagram;
}

const card = (page: Page, name: string) => page.getByRole('group', { name: `Table ${name}` });

async function addTable(page: Page, name: string) {
  await page.getByRole('button', { name: 'Add table' }).click();
  const nameInput = page.getByLabel('Table name');
  await expect(nameInput).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await expect(card(page, name)).toBeVisible();
}

async function saved(page: Page) {
  await expect(page.getByRole('status')).toHaveText('Saved');
}

test('a person designs two tables with the keyboard, drags, toggles logical names, undoes and redoes, and finds it all after a reload', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1400, height: 860 });
  const id = await newDiagram(page, 'Shop');
  await page.goto(`/diagrams/${id}`);
  await expect(page.getByLabel('Diagram name')).toHaveValue('Shop');

  await addTable(page, 'users');
  // Columns with the keyboard: Add column focuses the new name; Tab walks the cells; Enter in
  // the last row adds the next column.
  await page.getByRole('button', { name: 'Add column' }).click();
  await expect(page.locator('.column-grid tbody tr').last().getByLabel('Column name')).toBeFocused();
  await page.keyboard.type('email');
  await page.keyboard.press('Tab');
  await page.keyboard.type('E-mail address');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('varchar(320)');
  await page.keyboard.press('Tab'); // Primary key
  await page.keyboard.press('Tab'); // Not null
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter'); // last row: adds a column and focuses its name
  await page.keyboard.type('nickname');
  await page.keyboard.press('Enter');
  const rows = page.locator('.column-grid tbody tr');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(3).getByLabel('Column name')).toBeFocused();
  await rows.nth(3).getByLabel('Delete column').click();
  await expect(rows).toHaveCount(3);
  await page.getByLabel('Logical name').first().fill('Users');
  await page.getByLabel('Logical name').first().press('Enter');

  await addTable(page, 'orders');
  const orderRows = page.locator('.column-grid tbody tr');
  await page.getByRole('button', { name: 'Add column' }).click();
  await expect(orderRows.last().getByLabel('Column name')).toBeFocused();
  await page.keyboard.type('code');
  await orderRows.nth(1).getByLabel('Data type').fill('char(8)');
  await orderRows.nth(1).getByLabel('Data type').press('Tab');
  await orderRows.nth(1).getByLabel('Primary key').check();
  await expect(orderRows.nth(1).getByLabel('Not null')).toBeChecked();
  // Rename a table from its panel.
  await page.getByLabel('Table name').fill('purchases');
  await page.getByLabel('Table name').press('Enter');
  await expect(card(page, 'purchases')).toBeVisible();
  await page.getByRole('button', { name: 'Close editor' }).click();
  await saved(page);
  await page.screenshot({ path: `${shots}/editor-two-tables.png` });

  let doc = await serverDoc(page, id);
  const users = doc.tables.find((t: any) => t.name === 'users');
  expect(users.logical_name).toBe('Users');
  expect(users.columns.map((c: any) => [c.name, c.logical_name, c.data_type, c.nullable])).toEqual([
    ['id', '', 'bigint', false],
    ['email', 'E-mail address', 'varchar(320)', false],
    ['nickname', '', 'varchar(255)', true],
  ]);
  const purchases = doc.tables.find((t: any) => t.name === 'purchases');
  expect(purchases.columns[1]).toMatchObject({ name: 'code', data_type: 'char(8)', primary_key: true, nullable: false });

  // Drag the users table by its header.
  const head = card(page, 'users').locator('.card-head');
  const before = await card(page, 'users').boundingBox();
  const box = (await head.boundingBox())!;
  await page.mouse.move(box.x + 30, box.y + 10);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 30 + i * 20, box.y + 10 + i * 12);
  await page.mouse.up();
  const after = await card(page, 'users').boundingBox();
  expect(after!.x - before!.x).toBeGreaterThan(150);
  expect(after!.y - before!.y).toBeGreaterThan(90);
  await saved(page);
  const moved = (await serverDoc(page, id)).tables.find((t: any) => t.name === 'users');
  expect(moved.x - users.x).toBeGreaterThan(150);

  // Logical names on the cards.
  await page.getByRole('button', { name: 'View ▾' }).click();
  const logical = page.getByRole('menuitemradio', { name: 'Logical names' });
  await logical.click();
  await expect(logical).toHaveAttribute('aria-checked', 'true');
  await expect(card(page, 'users').locator('.card-head')).toHaveText('Users');
  await expect(card(page, 'users')).toContainText('E-mail address');
  await expect(card(page, 'purchases').locator('.card-head')).toHaveText('purchases');
  await page.screenshot({ path: `${shots}/editor-logical-names.png` });
  // Both names: the physical one, and the logical one beside it where there is one.
  await page.getByRole('menuitemradio', { name: 'Both names' }).click();
  await expect(logical).toHaveAttribute('aria-checked', 'false');
  await expect(card(page, 'users').locator('.card-head')).toHaveText('usersUsers');
  await expect(card(page, 'users').locator('.card-head .logical')).toHaveText('Users');
  await expect(card(page, 'users').locator('.col-name .logical')).toHaveText(['E-mail address']);
  await expect(card(page, 'purchases').locator('.card-head')).toHaveText('purchases');
  await page.screenshot({ path: `${shots}/editor-both-names.png` });
  await page.getByRole('menuitemradio', { name: 'Physical names' }).click();
  await page.keyboard.press('Escape');

  // Undo the move, then the rename; redo both.
  const undo = page.getByRole('button', { name: 'Undo' });
  const redo = page.getByRole('button', { name: 'Redo' });
  await undo.click();
  await expect.poll(async () => (await card(page, 'users').boundingBox())!.x).toBeCloseTo(before!.x, 0);
  await page.keyboard.press('Control+z'); // the rename
  await expect(card(page, 'orders')).toBeVisible();
  await redo.click();
  await expect(card(page, 'purchases')).toBeVisible();
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(async () => (await card(page, 'users').boundingBox())!.x).toBeCloseTo(after!.x, 0);
  await saved(page);

  await page.reload();
  await expect(card(page, 'users')).toBeVisible();
  await expect(card(page, 'purchases')).toContainText('code');
  await expect(card(page, 'users')).toContainText('varchar(320)');
  doc = await serverDoc(page, id);
  expect(doc.tables.map((t: any) => t.name)).toEqual(['users', 'purchases']);
  expect(errors).toEqual([]);
});

test('edits made while the server is unreachable are kept and saved when it is back', async ({ page }) => {
  const id = await newDiagram(page, 'Offline');
  await page.goto(`/diagrams/${id}`);
  await addTable(page, 'kept');
  await saved(page);

  // The network goes away, as on a train.
  await page.context().setOffline(true);
  await expect(page.getByRole('img', { name: /Connection: (offline|reconnecting)/ })).toBeVisible();
  await page.getByLabel('Table name').fill('kept_offline');
  await page.getByLabel('Table name').press('Enter');
  await expect(page.getByRole('status')).toHaveText('Offline — changes kept');
  const stash = await page.evaluate((key) => localStorage.getItem(key), `tablewright.pending.${id}`);
  expect(stash).toContain('kept_offline');
  await page.screenshot({ path: `${shots}/editor-offline.png` });
  // Nothing was sent meanwhile (the API request goes around the page's emulated network).
  expect((await serverDoc(page, id)).tables[0].name).toBe('kept');
  await page.context().setOffline(false);

  await saved(page);
  await expect(page.getByRole('img', { name: 'Connection: live' })).toBeVisible();
  expect((await serverDoc(page, id)).tables[0].name).toBe('kept_offline');
  expect(await page.evaluate((key) => localStorage.getItem(key), `tablewright.pending.${id}`)).toBeNull();
});

test('unsent edits survive a reload and are sent when the page opens again', async ({ page }) => {
  const id = await newDiagram(page, 'Reload');
  await page.goto(`/diagrams/${id}`);
  await addTable(page, 'first');
  await saved(page);
  // The live channel cannot be reached (a proxy without WebSocket, say): edits wait.
  let reachable = false;
  await page.routeWebSocket(/\/live/, (ws) => {
    if (reachable) ws.connectToServer();
    else ws.close({ code: 1011, reason: 'unreachable' });
  });
  await page.evaluate(() => window.dispatchEvent(new Event('offline')));
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await addTable(page, 'second');
  await expect(page.getByRole('status')).toHaveText('Offline — changes kept');
  page.on('dialog', (d) => d.accept()); // the unsaved-changes warning
  await page.reload();
  await expect(card(page, 'second')).toBeVisible();
  expect((await serverDoc(page, id)).tables.map((t: any) => t.name)).toEqual(['first']);
  reachable = true;
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await saved(page);
  expect((await serverDoc(page, id)).tables.map((t: any) => t.name)).toEqual(['first', 'second']);
});

test('an edit that no longer applies after someone else\'s change is dropped and the person is told', async ({ browser }) => {
  const one = await browser.newPage();
  const two = await browser.newPage();
  const id = await newDiagram(one, 'Shared');
  await one.goto(`/diagrams/${id}`);
  await addTable(one, 'shared');
  await saved(one);

  await two.goto(`/diagrams/${id}`);
  await expect(card(two, 'shared')).toBeVisible();
  // Page one loses its connection and renames the table; meanwhile page two deletes it.
  await one.context().setOffline(true);
  await expect(one.getByRole('img', { name: /Connection: (offline|reconnecting)/ })).toBeVisible();
  await one.getByLabel('Table name').fill('renamed');
  await one.getByLabel('Table name').press('Enter');
  await card(two, 'shared').locator('.card-head').click();
  await two.keyboard.press('Delete');
  await saved(two);

  await one.context().setOffline(false);
  await expect(one.getByRole('status')).toHaveText('Conflict — merged', { timeout: 15_000 });
  await expect(one.getByRole('alert').first()).toContainText('no longer applied');
  await expect(card(one, 'shared')).toHaveCount(0);
  await expect(card(one, 'renamed')).toHaveCount(0);
  await one.screenshot({ path: `${shots}/editor-conflict.png` });

  // Edits that still apply go through.
  await addTable(one, 'after_conflict');
  await expect(one.getByRole('status')).toHaveText('Saved');
  expect((await serverDoc(one, id)).tables.map((t: any) => t.name)).toEqual(['after_conflict']);
  await expect(card(two, 'after_conflict')).toBeVisible();
});

test('columns are reordered with Alt+Up/Down and by dragging a row, each one undoable step', async ({ page }) => {
  const id = await newDiagram(page, 'Reorder');
  const columns = ['id', 'a', 'b', 'c'].map((name) => ({ id: crypto.randomUUID(), name, data_type: 'int' }));
  const table = { id: crypto.randomUUID(), name: 'letters', x: 0, y: 0, columns };
  await page.request.post(`/api/diagrams/${id}/ops`, { data: { base_revision: 1, ops: [{ op: 'add_table', table }] } });
  await page.goto(`/diagrams/${id}`);
  await card(page, 'letters').dblclick();
  const names = () => page.locator('.column-grid tbody tr [data-field=name]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  await page.locator('.column-grid tbody tr').nth(3).getByLabel('Column name').focus();
  await page.keyboard.press('Alt+ArrowUp');
  await page.keyboard.press('Alt+ArrowUp');
  await expect.poll(names).toEqual(['id', 'c', 'a', 'b']);
  await expect(page.locator('.column-grid tbody tr').nth(1).getByLabel('Column name')).toBeFocused();
  await page.locator('.column-grid tbody tr').nth(3).locator('td.grip').dragTo(page.locator('.column-grid tbody tr').nth(0));
  await expect.poll(names).toEqual(['b', 'id', 'c', 'a']);
  await expect(card(page, 'letters').locator('.col-name').first()).toHaveText('b');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(names).toEqual(['id', 'c', 'a', 'b']);
  await expect(page.getByRole('status')).toHaveText('Saved');
  const doc = (await (await page.request.get(`/api/diagrams/${id}`)).json()).diagram;
  expect(doc.tables[0].columns.map((c: any) => c.name)).toEqual(['id', 'c', 'a', 'b']);
});

test('a 400-table diagram mounts only the cards near the view, and zooming out with the wheel fills the view with cards', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1400, height: 860 });
  const id = await newDiagram(page, 'Big');
  const tables = Array.from({ length: 400 }, (_, i) => ({
    id: crypto.randomUUID(), name: `t${i}`, x: (i % 20) * 300, y: Math.floor(i / 20) * 300,
    columns: Array.from({ length: 4 }, (_, c) => ({ id: crypto.randomUUID(), name: `c${c}`, data_type: 'text' })),
  }));
  const put = await page.request.put(`/api/diagrams/${id}`, {
    data: { base_revision: 1, diagram: { id, name: 'Big', tables, relationships: [], notes: [] } },
  });
  expect(put.status()).toBe(200);
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('button', { name: 'Reset zoom' }).click();

  // Every table whose box meets the canvas has its card; far fewer than 400 are mounted.
  const missing = () => page.evaluate((tables) => {
    const canvas = document.querySelector('.canvas')!.getBoundingClientRect();
    const m = /translate\((-?[\d.]+)px, (-?[\d.]+)px\) scale\(([\d.]+)\)/.exec((document.querySelector('.world') as HTMLElement).style.transform)!;
    const [tx, ty, z] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const mounted = new Set([...document.querySelectorAll('.table-card')].map((c) => c.getAttribute('data-table-id')));
    const absent = tables.filter((t) => {
      const [left, top] = [t.x * z + tx, t.y * z + ty];
      const inView = left < canvas.width && left + 240 * z > 0 && top < canvas.height && top + 100 * z > 0;
      return inView && !mounted.has(t.id);
    });
    return { absent: absent.length, mounted: mounted.size };
  }, tables.map((t) => ({ id: t.id, x: t.x, y: t.y })));
  await expect.poll(async () => (await missing()).absent).toBe(0);
  const before = (await missing()).mounted;
  expect(before).toBeLessThan(200);

  // While the wheel zooms out no card is mounted: the line canvas paints boxes for the tables
  // coming into view; once the zoom rests their cards are mounted and the boxes go.
  await page.evaluate(() => {
    const lines = document.querySelector('canvas.lines')!;
    (window as any).ghosts = [];
    new MutationObserver(() => (window as any).ghosts.push(Number(lines.getAttribute('data-ghosts'))))
      .observe(lines, { attributes: true, attributeFilter: ['data-ghosts'] });
  });
  await page.mouse.move(700, 430);
  for (let i = 0; i < 10; i++) {
    await page.mouse.wheel(0, 60);
    await page.waitForTimeout(30);
  }
  await expect.poll(async () => (await missing()).absent, { timeout: 10_000 }).toBe(0);
  expect((await missing()).mounted).toBeGreaterThan(before);
  await expect(page.locator('canvas.lines')).toHaveAttribute('data-ghosts', '0');
  const ghosts: number[] = await page.evaluate(() => (window as any).ghosts);
  expect(Math.max(...ghosts)).toBeGreaterThan(0);
  await page.screenshot({ path: `${shots}/editor-big-zoomed-out.png` });
  expect(errors).toEqual([]);
});
