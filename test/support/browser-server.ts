/**
 * What the browser tests share: Debian's Chromium with the flags this machine needs, and a real
 * `sprout serve` on a fresh data directory (holding the run's migrated cluster,
 * test/support/data-dir.ts) and a free port, with an API client that logs in as a demo role
 * (`<role>` / `<role>-demo`) and fails the test on any non-2xx answer.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../../src/system/free-port.js';
import { freshDataDir, removeDataDir } from './data-dir.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const SCREENSHOTS = 'docs/screenshots';

/** Debian's Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A running server. */
export interface ServedSprout {
  /** Settles when the demo book has filled and the logins exist (at once when `startSprout` waited for them). */
  readonly ready: Promise<void>;
  readonly base: string;
  /** Calls the API as a demo role; asserts a 2xx answer and returns its JSON. */
  api<T>(role: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts `sprout serve` with `serveArgs` on a fresh data directory and waits for the demo logins
 * it prints, or with `until` 'listening' only until the server answers (the demo still filling).
 *
 * @example
 * const sprout = await startSprout('sprout-portal-', ['--demo-enterprises', '0']);
 */
export async function startSprout(prefix: string, serveArgs: readonly string[], until: 'logins' | 'listening' = 'logins'): Promise<ServedSprout> {
  // The run's migrated cluster, unpacked: initialising and migrating an empty one cost each server
  // seconds of CPU before its demo began (as for the `sprout serve` tests, test/cli/cli.test.ts).
  const dataDir = freshDataDir(prefix);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['bin/sprout.js', 'serve', '--mode', 'demo', '--port', String(port), '--data-dir', dataDir, ...serveArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  // The demo logins are printed once the demo book has filled; the server answers before that.
  const ready = new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Demo logins')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  ready.catch(() => undefined);
  if (until === 'logins') await ready;
  else {
    await new Promise<void>((resolve, reject) => {
      const check = () => (output.includes('Web app') ? resolve() : server.exitCode !== null ? reject(new Error(`server exited: ${output}`)) : setTimeout(check, 50));
      check();
    });
  }
  const tokens = new Map<string, string>();
  return {
    base,
    ready,
    async api<T>(role: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
      let token = tokens.get(role);
      if (token === undefined) {
        const login = await fetch(`${base}/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: role, password: `${role}-demo` }) });
        token = ((await login.json()) as { token: string }).token;
        tokens.set(role, token);
      }
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as T;
      assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
    async stop() {
      server.kill('SIGTERM');
      await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once('exit', resolve)));
      removeDataDir(dataDir);
    },
  };
}

// Runs in the page: the root tsconfig has no DOM types, so it describes the little it touches.
interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { readonly data: ArrayLike<number> } } | null;
}

/** Non-transparent pixels on a chart's canvas: a chart with data draws thousands. */
export async function paintedPixels(page: Page, chart: string): Promise<number> {
  return page.$eval(`[data-chart="${chart}"] canvas`, (element) => {
    const canvas = element as unknown as CanvasLike;
    const context = canvas.getContext('2d');
    if (!context) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted;
  });
}

/**
 * A new Chinese page `width` px wide, logged in through the login form as the demo `role`; the
 * page's errors and its console errors (but those `ignore` matches: refusals a test expects) are
 * pushed to `errors` for the test to assert empty.
 */
export async function loginAs(browser: Browser, base: string, role: string, errors: string[], options: { readonly width?: number; readonly ignore?: RegExp } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1440, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`${role}: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && !(options.ignore?.test(message.text()) ?? false) && errors.push(`${role}: ${message.text()}`));
  await page.goto(`${base}/`);
  await page.waitForSelector('form.login-card');
  await page.fill('input[name=username]', role);
  await page.fill('input[name=password]', `${role}-demo`);
  await page.click('button[type=submit]');
  await page.waitForSelector('form.login-card', { state: 'detached' });
  return page;
}

/** Logs `page` in through the login form as the demo `role` and waits for the header's name (attached: a narrow header folds it away). */
export async function logInOnPage(page: Page, base: string, role: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('input[name=username]', role);
  await page.fill('input[name=password]', `${role}-demo`);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]', { state: 'attached' });
}

/** A full-page screenshot from the top (a scrolled page would put the sticky header mid-image) into docs/screenshots. */
export async function shotFromTop(page: Page, name: string): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true, timeout: 120_000 });
}
