import { type Browser, type BrowserContext, type Page, expect, test } from '@playwright/test';

// Two people in two browser contexts design one schema together: edits, selections, pointers
// and who is here arrive live; one goes offline and both converge when back.
const shots = 'screenshots';
const password = 'correct horse battery';
const nobody = { cookies: [], origins: [] };

async function person(browser: Browser, email: string, name: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ storageState: nobody, viewport: { width: 1100, height: 760 } });
  const signup = await context.request.post('/api/auth/signup', { data: { email, name, password } });
  expect(signup.status()).toBe(201);
  return { context, page: await context.newPage() };
}

const card = (page: Page, name: string) => page.getByRole('group', { name: `Table ${name}` });
const people = (page: Page) => page.getByRole('list', { name: 'People here' }).getByRole('listitem');

async function serverDoc(page: Page, id: string) {
  const response = await page.request.get(`/api/diagrams/${id}`);
  return (await response.json()).diagram;
}

async function addTable(page: Page, name: string) {
  await page.getByRole('button', { name: 'Add table' }).click();
  const nameInput = page.getByLabel('Table name');
  await expect(nameInput).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await expect(card(page, name)).toBeVisible();
}

/** Both windows side by side in one picture. */
async function sideBySide(browser: Browser, pages: Page[], path: string) {
  const images = await Promise.all(pages.map(async (p) => (await p.screenshot()).toString('base64')));
  const context = await browser.newContext({ viewport: { width: 2220, height: 780 } });
  const sheet = await context.newPage();
  await sheet.setContent(
    `<body style="margin:0;display:flex;gap:20px;background:#334155;padding:10px">${images
      .map((b) => `<img style="width:1090px" src="data:image/png;base64,${b}">`)
      .join('')}</body>`,
  );
  await sheet.screenshot({ path });
  await context.close();
}

test('two people design one schema together, live, and converge after one was offline', async ({ browser }) => {
  test.setTimeout(120_000);
  const ann = await person(browser, 'ann.live@example.com', 'Ann Lee');
  const bo = await person(browser, 'bo.live@example.com', 'Bo Kim');
  const errors: string[] = [];
  for (const { page } of [ann, bo]) page.on('pageerror', (e) => errors.push(e.message));

  const created = await ann.page.request.post('/api/diagrams', { data: { name: 'Together' } });
  const id = (await created.json()).diagram.id;
  const shared = await ann.page.request.post(`/api/diagrams/${id}/members`, { data: { email: 'bo.live@example.com', role: 'editor' } });
  expect(shared.status()).toBe(201);

  await ann.page.goto(`/diagrams/${id}`);
  await bo.page.goto(`/diagrams/${id}`);
  for (const { page } of [ann, bo]) {
    await expect(page.getByRole('img', { name: 'Connection: live' })).toBeVisible();
    await expect(people(page)).toHaveCount(2);
  }
  await expect(people(ann.page).first()).toHaveAccessibleName('Ann Lee (you)');
  await expect(people(ann.page).nth(1)).toHaveAccessibleName('Bo Kim');
  await expect(people(ann.page).nth(1)).toHaveText('BK');

  // Ann adds a table: Bo sees its card within a second, without reloading.
  await addTable(ann.page, 'users');
  await expect(card(bo.page, 'users')).toBeVisible({ timeout: 1_000 });

  // Bo adds a column in it and names it; Ann sees it.
  await card(bo.page, 'users').locator('.card-column').first().dblclick();
  await bo.page.getByRole('button', { name: 'Add column' }).click();
  await bo.page.keyboard.type('email');
  await bo.page.keyboard.press('Tab');
  await expect(card(ann.page, 'users')).toContainText('email', { timeout: 2_000 });

  // Ann opens the same table: she sees Bo's name on the row he is editing.
  await card(ann.page, 'users').locator('.card-column').first().dblclick();
  await bo.page.locator('.column-grid tbody tr').last().getByLabel('Column name').focus();
  await expect(ann.page.locator('.panel .editing-tag')).toHaveText('Bo Kim is editing');

  // Both rename the table at once: both end with the same name, the server's.
  await Promise.all([
    ann.page.getByLabel('Table name').fill('people'),
    bo.page.getByLabel('Table name').fill('members'),
  ]);
  await Promise.all([ann.page.getByLabel('Table name').press('Enter'), bo.page.getByLabel('Table name').press('Enter')]);
  await expect(async () => {
    const stored = (await serverDoc(ann.page, id)).tables[0].name;
    expect(['people', 'members']).toContain(stored);
    await expect(card(ann.page, stored)).toBeVisible({ timeout: 100 });
    await expect(card(bo.page, stored)).toBeVisible({ timeout: 100 });
  }).toPass({ timeout: 5_000 });
  const agreed = (await serverDoc(ann.page, id)).tables[0].name;

  // Ann's selection is outlined on Bo's canvas in her colour, with her name; her pointer moves there.
  await ann.page.getByRole('button', { name: 'Close editor' }).click();
  await bo.page.getByRole('button', { name: 'Close editor' }).click();
  await addTable(ann.page, 'orders');
  await card(ann.page, 'orders').locator('.card-head').click();
  await expect(card(bo.page, 'orders')).toHaveClass(/peer-selected/);
  await expect(card(bo.page, 'orders').locator('.peer-tag')).toHaveText('Ann Lee');
  await ann.page.getByRole('button', { name: 'Close editor' }).click();
  const box = await ann.page.locator('.canvas').boundingBox();
  await ann.page.mouse.move(box!.x + 500, box!.y + 420);
  await ann.page.mouse.move(box!.x + 520, box!.y + 440, { steps: 4 });
  await expect(bo.page.locator('.pointer .pointer-name')).toHaveText('Ann Lee');
  await sideBySide(browser, [ann.page, bo.page], `${shots}/live-two-people.png`);

  // Bo goes offline; both edit; Bo comes back and both converge.
  await bo.context.setOffline(true);
  await expect(bo.page.getByRole('img', { name: /Connection: (offline|reconnecting)/ })).toBeVisible();
  await addTable(ann.page, 'made_by_ann');
  await addTable(bo.page, 'made_by_bo');
  await expect(bo.page.getByRole('status')).toHaveText('Offline — changes kept');
  await expect(card(bo.page, 'made_by_ann')).toHaveCount(0);
  await sideBySide(browser, [ann.page, bo.page], `${shots}/live-offline.png`);
  await bo.context.setOffline(false);
  // Bo's reconnection is what brings the two together: his page first.
  for (const { page } of [bo, ann]) {
    await expect(page.getByRole('img', { name: 'Connection: live' })).toBeVisible({ timeout: 15_000 });
    await expect(card(page, 'made_by_ann')).toBeVisible({ timeout: 5_000 });
    await expect(card(page, 'made_by_bo')).toBeVisible({ timeout: 5_000 });
    await expect(page.getByRole('status')).toHaveText('Saved');
  }
  const names = (await serverDoc(ann.page, id)).tables.map((t: { name: string }) => t.name).sort();
  expect(names).toEqual([agreed, 'made_by_ann', 'made_by_bo', 'orders'].sort());
  for (const { page } of [ann, bo]) {
    const shown = await page.locator('.table-card').evaluateAll((cards) =>
      cards.map((c) => c.getAttribute('aria-label')!.replace('Table ', '')).sort(),
    );
    expect(shown).toEqual(names);
  }

  // Bo closes the tab: Ann's list drops him.
  await bo.page.close();
  await expect(people(ann.page)).toHaveCount(1);
  expect(errors).toEqual([]);
  await ann.context.close();
  await bo.context.close();
});

test('a viewer made an editor can edit at once, and one whose share is removed is told', async ({ browser }) => {
  const owner = await person(browser, 'olga.live@example.com', 'Olga');
  const viewer = await person(browser, 'vic.live@example.com', 'Vic');
  const created = await owner.page.request.post('/api/diagrams', { data: { name: 'Roles live' } });
  const id = (await created.json()).diagram.id;
  await owner.page.request.post(`/api/diagrams/${id}/members`, { data: { email: 'vic.live@example.com', role: 'viewer' } });
  const me = await (await viewer.page.request.get('/api/auth/me')).json();

  await viewer.page.goto(`/diagrams/${id}`);
  await expect(viewer.page.getByText('Read-only', { exact: true })).toBeVisible();
  await expect(viewer.page.getByRole('button', { name: 'Add table' })).toHaveCount(0);
  const changed = await owner.page.request.patch(`/api/diagrams/${id}/members/${me.user.id}`, { data: { role: 'editor' } });
  expect(changed.status()).toBe(200);
  await expect(viewer.page.getByRole('button', { name: 'Add table' })).toBeVisible({ timeout: 5_000 });
  await addTable(viewer.page, 'by_vic');
  await expect(viewer.page.getByRole('status')).toHaveText('Saved');

  const removed = await owner.page.request.delete(`/api/diagrams/${id}/members/${me.user.id}`);
  expect(removed.status()).toBe(204);
  await expect(viewer.page.getByRole('img', { name: 'Connection: disconnected' })).toBeVisible({ timeout: 5_000 });
  await expect(viewer.page.getByRole('alert')).toContainText('no longer open this diagram');
  await owner.context.close();
  await viewer.context.close();
});
