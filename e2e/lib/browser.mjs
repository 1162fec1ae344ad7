// The system Chromium (Debian's /usr/bin/chromium) driven by playwright-core. Playwright never downloads
// a browser here: `playwright install` is not run and only playwright-core (no browsers) is installed.
//
// Every launch gets a fresh profile directory, removed again on close. Playwright refuses a
// `--user-data-dir` argument to `chromium.launch()`, so the profile is given the supported way, through
// `launchPersistentContext(dir, …)`; the browser then runs with exactly one context, which is returned.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.FAULTLINE_CHROMIUM || '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium with a fresh profile.
 * @param {import('playwright-core').BrowserContextOptions} [options] context options (viewport, colorScheme…)
 * @returns {Promise<{context: import('playwright-core').BrowserContext, close: () => Promise<void>}>}
 */
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'faultline-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      ...options,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}
