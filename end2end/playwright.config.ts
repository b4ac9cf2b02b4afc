// Browser tests drive the real server binary on a temporary SQLite file, in Debian's Chromium
// (no browser download). scripts/test.sh sets TABLEWRIGHT_BIN and TABLEWRIGHT_SITE_ROOT.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const port = Number(process.env.TABLEWRIGHT_E2E_PORT ?? 3917);
const bin = process.env.TABLEWRIGHT_BIN ?? resolve(__dirname, '../target/debug/tablewright');
const siteRoot = process.env.TABLEWRIGHT_SITE_ROOT ?? resolve(__dirname, '../target/site');
// Made once, by the runner; its workers load this file again and inherit the variable.
process.env.TABLEWRIGHT_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'tablewright-e2e-'));
const dataDir = process.env.TABLEWRIGHT_E2E_DATA;
// The session of the account the `setup` project signs up; every other test starts signed in.
export const ownerState = join(dataDir, 'owner.json');

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  timeout: 30_000,
  reporter: [['list']],
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    { name: 'chromium', dependencies: ['setup'], use: { storageState: ownerState } },
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `"${bin}" --bind 127.0.0.1:${port} --database-url "sqlite://${dataDir}/e2e.db" --site-root "${siteRoot}" --webhook-allow-private --webhook-window 1`,
    url: `http://127.0.0.1:${port}/signin`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
