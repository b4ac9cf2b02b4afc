import { expect, test } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';

const shots = 'screenshots';

type Hit = { headers: IncomingHttpHeaders; body: string };

/** A receiver on loopback (the test server runs with --webhook-allow-private). */
async function receiver() {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('got it');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { hits, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => server.close() };
}

/** The Standard Webhooks check, as a receiver would make it. */
function verifies(secret: string, hit: Hit) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${hit.headers['webhook-id']}.${hit.headers['webhook-timestamp']}.${hit.body}`;
  const expected = createHmac('sha256', key).update(signed).digest('base64');
  return String(hit.headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

test('a webhook is added in the editor, tested, logged, and told of an edit with its migration', async ({ page }) => {
  const hook = await receiver();
  const created = await (await page.request.post('/api/diagrams', { data: { name: 'Hooked' } })).json();
  const id = created.diagram.id;
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/diagrams/${id}`);
  await page.getByRole('button', { name: 'File ▾' }).click();
  await page.getByRole('menuitem', { name: 'Webhooks…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Webhooks' });
  await expect(dialog).toContainText('No webhooks yet.');
  await dialog.getByLabel('URL').fill(hook.url);
  await dialog.getByRole('button', { name: 'Add webhook' }).click();
  const secret = (await dialog.locator('.webhook-secret code').textContent())!;
  expect(secret).toMatch(/^whsec_/);
  const row = dialog.getByRole('listitem', { name: `Webhook ${hook.url}` });
  await expect(row).toContainText('diagram.updated');

  await row.getByRole('button', { name: 'Send test' }).click();
  await expect.poll(() => hook.hits.length, { timeout: 10_000 }).toBe(1);
  expect(JSON.parse(hook.hits[0].body).type).toBe('webhook.test');
  expect(verifies(secret, hook.hits[0])).toBe(true);
  await row.getByRole('button', { name: 'Deliveries' }).click();
  const log = dialog.getByRole('region', { name: 'Deliveries' });
  await expect(async () => {
    await log.getByRole('button', { name: 'Refresh' }).click();
    await expect(log.locator('tbody tr').first()).toContainText('delivered', { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(log.locator('tbody tr').first()).toContainText('200');
  await expect(log.locator('tbody tr').first()).toContainText('got it');
  await page.screenshot({ path: `${shots}/webhooks-dialog.png` });

  // An edit in the editor reaches the receiver as diagram.updated, with the migration SQL.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Add table' }).click();
  await expect(page.getByLabel('Table name')).toBeFocused();
  await page.keyboard.type('invoice');
  await page.keyboard.press('Enter');
  await expect.poll(() => hook.hits.filter((h) => JSON.parse(h.body).type === 'diagram.updated').length, { timeout: 15_000 }).toBe(1);
  const update = hook.hits.find((h) => JSON.parse(h.body).type === 'diagram.updated')!;
  expect(verifies(secret, update)).toBe(true);
  const data = JSON.parse(update.body).data;
  expect(data.diagram.name).toBe('Hooked');
  expect(data.summary.join('; ')).toContain('invoice');
  expect(data.migration.sql).toContain('CREATE TABLE invoice');
  hook.close();
});

test("a team's webhook is added on the account page and hears of the team's diagrams", async ({ page }) => {
  const hook = await receiver();
  const team = await (await page.request.post('/api/teams', { data: { name: 'Platform' } })).json();
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/account');
  await page.getByRole('button', { name: 'Webhooks of team Platform' }).click();
  const dialog = page.getByRole('dialog', { name: 'Webhooks' });
  await expect(dialog).toContainText('every diagram of this team');
  await dialog.getByLabel('URL').fill(hook.url);
  await dialog.getByRole('button', { name: 'Add webhook' }).click();
  const secret = (await dialog.locator('.webhook-secret code').textContent())!;
  const row = dialog.getByRole('listitem', { name: `Webhook ${hook.url}` });
  await row.getByRole('button', { name: 'Send test' }).click();
  await expect.poll(() => hook.hits.length, { timeout: 10_000 }).toBe(1);
  const test = JSON.parse(hook.hits[0].body);
  expect(test.type).toBe('webhook.test');
  expect(test.data.team.id).toBe(team.id);

  // A diagram made in the team afterwards is told of, from its start.
  const made = await (await page.request.post('/api/diagrams', { data: { name: 'Payments', team_id: team.id } })).json();
  const table = { id: crypto.randomUUID(), name: 'payment', columns: [{ id: crypto.randomUUID(), name: 'id', data_type: 'bigint', primary_key: true, nullable: false }] };
  const saved = await page.request.post(`/api/diagrams/${made.diagram.id}/ops`, {
    data: { base_revision: made.revision, ops: [{ op: 'add_table', table }] },
  });
  expect(saved.status()).toBe(200);
  await expect.poll(() => hook.hits.length, { timeout: 15_000 }).toBe(2);
  expect(verifies(secret, hook.hits[1])).toBe(true);
  const data = JSON.parse(hook.hits[1].body).data;
  expect(data.diagram.name).toBe('Payments');
  expect(data.from_revision).toBe(0);
  expect(data.migration.sql).toContain('CREATE TABLE payment');
  hook.close();
});
