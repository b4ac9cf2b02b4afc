import { expect, test as setup } from '@playwright/test';
import { ownerState } from '../playwright.config';

// Every browser test runs as this account (the server's first, so its administrator); the
// sharing tests sign up more people in contexts of their own.
export const owner = { email: 'owner@example.com', name: 'Olivia Owner', password: 'correct horse battery' };

setup('sign up the owner', async ({ request }) => {
  const answer = await request.post('/api/auth/signup', { data: owner });
  expect(answer.status()).toBe(201);
  await request.storageState({ path: ownerState });
});
