import { type Browser, type Page, expect, test } from '@playwright/test';

// Two people in two browser contexts, and a third with no account: sharing by email with roles,
// read-only viewing, and a viewer link until it is revoked.
const shots = 'screenshots';
const password = 'correct horse battery';
const nobody = { cookies: [], origins: [] };

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: nobody, viewport: { width: 1400, height: 900 } });
  return context.newPage();
}

const card = (page: Page, name: string) => page.getByRole('group', { name: `Table ${name}` });

test('a diagram shared as viewer is read-only, as editor editable, and its link works until revoked', async ({ browser }) => {
  test.setTimeout(90_000);
  const alice = await freshPage(browser);
  const errors: string[] = [];
  alice.on('pageerror', (e) => errors.push(e.message));

  // Signing up through the page; an anonymous visit to Home goes to sign-in first.
  await alice.goto('/');
  await expect(alice).toHaveURL(/\/signin\?next=\/$/);
  await expect(alice.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await alice.screenshot({ path: `${shots}/signin.png` });
  await alice.getByRole('link', { name: 'Create an account' }).click();
  await expect(alice).toHaveURL(/\/signup/);
  await alice.getByLabel('Email').fill('alice@example.com');
  await alice.getByLabel('Display name').fill('Alice');
  await alice.getByLabel('Password').fill('short');
  await alice.getByRole('button', { name: 'Create account' }).click();
  await expect(alice.getByRole('alert')).toContainText('10 characters');
  await alice.getByLabel('Password').fill(password);
  await alice.screenshot({ path: `${shots}/signup.png` });
  await alice.getByRole('button', { name: 'Create account' }).click();
  await expect(alice.getByRole('heading', { name: 'Diagrams', exact: true })).toBeVisible();
  await expect(alice.getByRole('button', { name: 'Account menu' })).toContainText('Alice');

  // Bob signs up too (through the API, in his own context).
  const bob = await freshPage(browser);
  const signup = await bob.request.post('/api/auth/signup', { data: { email: 'bob@example.com', name: 'Bob', password } });
  expect(signup.status()).toBe(201);

  // Alice makes a diagram with a table and shares it with Bob as viewer.
  await alice.getByRole('button', { name: 'New diagram' }).click();
  await expect(alice).toHaveURL(/\/diagrams\/[0-9a-f-]{36}$/);
  const url = new URL(alice.url()).pathname;
  await alice.getByLabel('Diagram name').fill('Shop');
  await alice.getByLabel('Diagram name').press('Enter');
  await alice.getByRole('button', { name: 'Add table' }).click();
  await alice.getByLabel('Table name').fill('orders');
  await alice.getByLabel('Table name').press('Enter');
  await expect(card(alice, 'orders')).toBeVisible();
  await expect(alice.getByRole('status')).toHaveText(/Saved/, { timeout: 10_000 });

  await alice.getByRole('button', { name: 'Share' }).click();
  const share = alice.getByRole('dialog', { name: 'Share' });
  await share.getByLabel('Email').fill('bob@example.com');
  await share.getByLabel('Role', { exact: true }).selectOption('viewer');
  await share.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(share.getByLabel('Role of Bob')).toHaveValue('viewer');
  await alice.screenshot({ path: `${shots}/share-dialog.png` });

  // Bob finds it under "Shared with me" and sees it read-only.
  await bob.goto('/');
  const shared = bob.getByRole('region', { name: 'Shared with me' });
  await expect(shared.getByRole('link', { name: 'Shop' })).toBeVisible();
  await expect(shared).toContainText('Alice');
  await bob.screenshot({ path: `${shots}/home-shared.png`, fullPage: true });
  await shared.getByRole('link', { name: 'Shop' }).click();
  await expect(card(bob, 'orders')).toBeVisible();
  await expect(bob.getByText('Read-only', { exact: true })).toBeVisible();
  await expect(bob.getByRole('button', { name: 'Add table' })).toHaveCount(0);
  await expect(bob.getByRole('button', { name: 'File ▾' })).toBeVisible();
  await bob.screenshot({ path: `${shots}/read-only.png` });
  // A key that would add a table does nothing, and nothing was sent.
  await bob.keyboard.press('t');
  await expect(bob.getByLabel('Table name')).toHaveCount(0);
  const history = await bob.request.get(`/api${url}/revisions`);
  const before = (await history.json()).length;

  // Alice makes him an editor; after a reload he edits.
  await share.getByLabel('Role of Bob').selectOption('editor');
  await expect(share.getByLabel('Role of Bob')).toHaveValue('editor');
  await bob.reload();
  await expect(card(bob, 'orders')).toBeVisible();
  await expect(bob.getByText('Read-only', { exact: true })).toHaveCount(0);
  await bob.getByRole('button', { name: 'Add table' }).click();
  await bob.getByLabel('Table name').fill('customers');
  await bob.getByLabel('Table name').press('Enter');
  await expect(bob.getByRole('status')).toHaveText(/Saved/, { timeout: 10_000 });
  const after = await (await bob.request.get(`/api${url}/revisions`)).json();
  expect(after.length).toBeGreaterThan(before);
  expect(after[after.length - 1].author).toMatchObject({ kind: 'person', name: 'Bob' });

  // A viewer link opens the diagram read-only in a context with no account.
  await share.getByLabel('Link role').selectOption('viewer');
  await share.getByRole('button', { name: 'Create link' }).click();
  const linkUrl = await share.getByLabel('Link URL').inputValue();
  expect(linkUrl).toMatch(/\/s\/tws_[A-Za-z0-9_-]{43}$/);
  const stranger = await freshPage(browser);
  await stranger.goto(linkUrl);
  await expect(card(stranger, 'customers')).toBeVisible();
  await expect(stranger.getByText('Read-only', { exact: true })).toBeVisible();
  await expect(stranger.getByRole('button', { name: 'Add table' })).toHaveCount(0);
  await expect(stranger.getByRole('button', { name: 'Share' })).toHaveCount(0);
  await stranger.getByRole('button', { name: 'File ▾' }).click();
  await stranger.getByRole('menuitem', { name: 'Export SQL' }).click();
  await expect(stranger.getByRole('dialog', { name: 'Export SQL' })).toContainText('CREATE TABLE');
  await stranger.screenshot({ path: `${shots}/link-read-only.png` });

  // An editor link asks a signed-in person to join, then opens the diagram for editing.
  await share.getByLabel('Link role').selectOption('editor');
  await share.getByRole('button', { name: 'Create link' }).click();
  const editorUrl = await share.getByLabel('Link URL').inputValue();
  expect(editorUrl).not.toEqual(linkUrl);
  const carol = await freshPage(browser);
  await carol.request.post('/api/auth/signup', { data: { email: 'carol.e@example.com', name: 'Carol', password } });
  await carol.goto(editorUrl);
  await expect(carol.getByRole('heading', { name: 'Shop' })).toBeVisible();
  await carol.screenshot({ path: `${shots}/join-editor-link.png` });
  await carol.getByRole('button', { name: 'Join as editor' }).click();
  await expect(carol).toHaveURL(new RegExp(`${url}$`));
  await expect(card(carol, 'customers')).toBeVisible();
  await expect(carol.getByRole('button', { name: 'Add table' })).toBeVisible();

  // Revoked, the link is not found.
  await share.getByRole('button', { name: /^Revoke link/ }).first().click();
  await expect(share.getByRole('button', { name: /^Revoke link/ })).toHaveCount(1);
  await stranger.goto(linkUrl);
  await expect(stranger.getByRole('alert')).toHaveText('This link was not found. It may have been revoked or have expired.');
  await expect(card(stranger, 'customers')).toHaveCount(0);

  // Alice's account page: a token made there is shown once.
  await alice.goto('/account');
  await alice.getByLabel('Token name').fill('ci');
  await alice.getByRole('button', { name: 'Create token' }).click();
  await expect(alice.getByLabel('New token')).toHaveValue(/^twp_/);
  await expect(alice.getByRole('button', { name: 'Revoke ci' })).toBeVisible();
  await alice.screenshot({ path: `${shots}/account.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('a diagram a person may not see looks like one that does not exist', async ({ browser, page }) => {
  const created = await (await page.request.post('/api/diagrams', { data: { name: 'Private' } })).json();
  const other = await freshPage(browser);
  await other.request.post('/api/auth/signup', { data: { email: 'carol@example.com', name: 'Carol', password } });
  const answer = await other.goto(`/diagrams/${created.diagram.id}`);
  expect(answer?.status()).toBe(404);
  await expect(other.getByRole('alert')).toHaveText('no such diagram');
  await expect(other.getByText('Private')).toHaveCount(0);
});
