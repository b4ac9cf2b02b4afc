import { expect, Page, test } from '@playwright/test';

// Names and comments that would run script if any of them reached the page as markup: as element
// content, inside the serialized hydration data (`</script>`), or inside an attribute (quotes).
const hostile = [
  '<img src=x onerror=window.__pwned=1>',
  '</script><script>window.__pwned=2</script>',
  `q"'><svg onload=window.__pwned=3>`,
  '<iframe srcdoc="<script>parent.__pwned=4</script>">',
];

const card = (page: Page, name: string) => page.getByRole('group', { name: `Table ${name}` });

// Collects what must not happen: page errors, console errors (a CSP violation is one: it would
// mean the policy blocked the app's own code) and any sign that a payload ran.
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

async function expectInert(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // Markup in a name must be text, never elements.
  await expect(page.locator('img[src="x"], svg[onload], iframe[srcdoc]')).toHaveCount(0);
}

test('names, comments and notes holding markup and script show as text and nothing runs', async ({ page }) => {
  const problems = watch(page);
  const created = await page.request.post('/api/diagrams', { data: { name: hostile[0] } });
  expect(created.status()).toBe(201);
  const id = (await created.json()).diagram.id as string;
  const ops = hostile.map((name, i) => ({
    op: 'add_table',
    table: {
      id: crypto.randomUUID(),
      name,
      logical_name: hostile[(i + 1) % hostile.length],
      comment: hostile[(i + 2) % hostile.length],
      x: 40 + 300 * i,
      y: 60,
      columns: [
        {
          id: crypto.randomUUID(),
          name: `${name} col`,
          logical_name: name,
          data_type: 'varchar(20)',
          default: `'${name}'`,
          comment: name,
        },
      ],
    },
  }));
  ops.push(
    ...hostile.map((text, i) => ({
      op: 'add_note',
      note: { id: crypto.randomUUID(), text, x: 40 + 300 * i, y: 400 },
    })) as never[],
  );
  const saved = await page.request.post(`/api/diagrams/${id}/ops`, {
    data: { base_revision: 1, ops },
  });
  expect(saved.status()).toBe(200);

  // The home page lists the diagram by its name, as text.
  await page.goto('/');
  await expect(page.locator(`a[href="/diagrams/${id}"]`)).toHaveText(hostile[0]);
  await expectInert(page);

  // The editor: served with the document in its hydration data, then rendered by the WASM code.
  await page.goto(`/diagrams/${id}`);
  await expect(page.getByLabel('Diagram name')).toHaveValue(hostile[0]);
  for (const name of hostile) {
    await expect(card(page, name)).toBeVisible();
    await expect(card(page, name)).toContainText(name);
    await expect(card(page, name)).toContainText(`${name} col`);
  }
  await expectInert(page);

  // A name and a comment typed by a person take the same road through the save queue and back.
  const typed = '<img src=x onerror=window.__pwned=5>"typed';
  await page.getByRole('button', { name: 'Add table' }).click();
  await expect(page.getByLabel('Table name')).toBeFocused();
  await page.keyboard.type(typed);
  await page.keyboard.press('Enter');
  await expect(card(page, typed)).toBeVisible();
  await page.locator('#table-comment').fill(hostile[1]);
  await page.locator('#table-comment').press('Tab');
  await expect(page.getByRole('status')).toHaveText('Saved');
  const stored = await (await page.request.get(`/api/diagrams/${id}`)).json();
  const table = stored.diagram.tables.find((t: { name: string }) => t.name === typed);
  expect(table?.comment).toBe(hostile[1]);
  await page.reload();
  await expect(card(page, typed)).toContainText(typed);
  await expectInert(page);
  await page.screenshot({ path: 'screenshots/xss.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('exported DDL carries such names quoted, in every dialect', async ({ page }) => {
  const created = await page.request.post('/api/diagrams', { data: { name: 'quoting' } });
  const id = (await created.json()).diagram.id as string;
  const ops = hostile.map((name) => ({
    op: 'add_table',
    table: {
      id: crypto.randomUUID(),
      name,
      columns: [{ id: crypto.randomUUID(), name: 'id', data_type: 'integer' }],
    },
  }));
  expect((await page.request.post(`/api/diagrams/${id}/ops`, { data: { base_revision: 1, ops } })).status()).toBe(200);
  const quoting: Record<string, [string, string]> = {
    postgresql: ['"', '"'],
    sqlite: ['"', '"'],
    oracle: ['"', '"'],
    mysql: ['`', '`'],
    mariadb: ['`', '`'],
    mssql: ['[', ']'],
  };
  for (const [dialect, [open, close]] of Object.entries(quoting)) {
    const response = await page.request.get(`/api/diagrams/${id}/export?dialect=${dialect}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    const sql = await response.text();
    for (const name of hostile) {
      expect(sql, `${dialect}: ${name}`).toContain(`${open}${name.split(close).join(close + close)}${close}`);
    }
  }
});
