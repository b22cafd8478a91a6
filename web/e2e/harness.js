// The browser tests' harness: the real server (bin/assist serve --demo on a
// free port, in a temporary folder) and Debian's chromium driven by
// playwright-core. Nothing is downloaded by Playwright.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const bin = process.env.ASSIST_BIN || join(root, 'bin/assist');
export const shots = join(here, 'out');
export const langs = ['en', 'zh'];

// startServer runs `assist serve --demo` and resolves once it listens.
export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'assist-e2e-'));
  const db = join(dir, 'assist.db');
  const env = { ...process.env, ASSIST_LOG_LEVEL: process.env.ASSIST_LOG_LEVEL || 'warn' };
  const proc = spawn(bin, ['serve', '--demo', '--addr', '127.0.0.1:0', '--db', db], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', errs = '';
  proc.stderr.on('data', (b) => { errs += b; if (process.env.E2E_SERVER_LOG) process.stderr.write(b); });
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('server did not start in 120 s:\n' + out + errs)), 120000);
    proc.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); fail(new Error('server exited with ' + code + ':\n' + out + errs)); });
  });
  const creds = JSON.parse(readFileSync(join(dir, 'demo-credentials.json'), 'utf8'));
  const user = (role, n = 0) => creds.users.filter((u) => u.role === role)[n];
  return {
    url, dir, db, creds, user,
    // sign returns the query string of a signed-in customer of the demo shop.
    sign(ref) {
      const f = JSON.parse(execFileSync(bin, ['sign-customer', '--tenant', creds.tenant, '--ref', ref], { cwd: root, env: { ...env, ASSIST_STORE_PATH: db } }).toString());
      return new URLSearchParams({ customer_ref: f.customer_ref, customer_sig: f.customer_sig, customer_expires: String(f.customer_expires) }).toString();
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((ok) => { if (proc.exitCode !== null) ok(); else proc.on('exit', ok); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// launch starts headless chromium. Playwright gives every launch a fresh,
// temporary --user-data-dir of its own (it refuses one in args).
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// newPage opens a page in its own context (its own cookies and storage)
// whose browser language is lang. Page errors and CSP violations fail the
// test through the returned problems list.
export async function newPage(browser, lang, viewport = { width: 1280, height: 800 }) {
  const ctx = await browser.newContext({ locale: lang === 'zh' ? 'zh-CN' : 'en-US', viewport });
  const page = await ctx.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push('console: ' + m.text()); });
  page.on('dialog', (d) => { page.problems.push('dialog opened: ' + d.message()); d.dismiss(); });
  return page;
}

export async function shot(page, name) {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, name + '.png') });
}

// login signs a staff member in through the page's form.
export async function login(page, srv, user) {
  await page.getByLabel(/Shop|店铺/).fill(srv.creds.tenant);
  await page.getByLabel(/E-mail|邮箱/).fill(user.email);
  await page.getByLabel(/Password|密码/).fill(user.password);
  await page.getByRole('button', { name: /Sign in|登录/ }).click();
}

// apiLogin returns a bearer token for a staff member, for test setup done
// through the API rather than a page.
export async function apiLogin(srv, user) {
  const r = await fetch(srv.url + '/v1/auth/login', { method: 'POST', body: JSON.stringify({ tenant: srv.creds.tenant, email: user.email, password: user.password }) });
  if (!r.ok) throw new Error('login ' + user.email + ': ' + r.status + ' ' + await r.text());
  return (await r.json()).token;
}

export async function apiCall(srv, token, method, path, body) {
  const r = await fetch(srv.url + path, { method, headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(method + ' ' + path + ': ' + r.status + ' ' + text);
  return text ? JSON.parse(text) : null;
}

// chat opens the customer widget and waits until it is connected.
export async function openChat(browser, srv, lang, query = '') {
  const page = await newPage(browser, lang, { width: 480, height: 760 });
  await page.goto(`${srv.url}/chat?tenant=${srv.creds.tenant}${query ? '&' + query : ''}`);
  await page.locator('.conn[data-state=online]').waitFor();
  return page;
}

// say types into the widget's labelled textbox and presses Enter.
export async function say(page, text) {
  const box = page.getByRole('textbox', { name: /Your message|您的消息/ });
  await box.focus();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

// shotBoth saves the page in English and in Chinese, switching with the
// page's own language menu, and puts the language back.
export async function shotBoth(page, name) {
  const sel = page.locator('#lang');
  const was = await sel.inputValue();
  for (const l of langs) {
    await sel.selectOption(l);
    await shot(page, `${name}.${l}`);
  }
  await sel.selectOption(was);
}
