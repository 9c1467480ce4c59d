#!/usr/bin/env node
// The editors' preview in a real browser: opens a practice under `limes serve`,
// edits its file and waits for the page to show the edit by itself (in place, or reloaded where the
// reader was), breaks the file and sees the error overlay (in the page's language),
// fixes it and sees the overlay go. Measures the time from saving the file to the
// reloaded page showing the edit.
//
// Environment:
//   LIMES_BIN        the limes binary (required)
//   LIMES_ROOT       the site to copy and edit (default: the repository); the copy is
//                    made in a temporary folder, the site itself is never touched
//   LIMES_LIVE_IN_PLACE=1  edit LIMES_ROOT itself (a generated site too large to
//                    copy); the edited file is put back at the end
//   LIMES_LIVE_PRACTICE    the practice to edit (default: the first, by folder name)
//   LIMES_LIVE_EDITS       how many timed edits (default 10)
//   CHROMIUM_PATH    default /usr/bin/chromium
//
// Prints one line per check and `live: N passed, M failed`; exits 1 on a failure.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD ??= '1';
const { chromium } = await import('playwright-core');

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.resolve(process.env.LIMES_BIN ?? '');
const SOURCE = path.resolve(process.env.LIMES_ROOT ?? REPO);
const IN_PLACE = process.env.LIMES_LIVE_IN_PLACE === '1';
const EDITS = Number(process.env.LIMES_LIVE_EDITS ?? 10);
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HOST = '127.0.0.1';
const WAIT_MS = 30_000;

let passed = 0;
let failed = 0;
function ok(name, detail = '') {
  passed += 1;
  console.log(`  ok   ${name}${detail ? ` — ${detail}` : ''}`);
}
function fail(name, detail) {
  failed += 1;
  console.log(`  FAIL ${name}\n       ${String(detail).split('\n').join('\n       ')}`);
}

if (!process.env.LIMES_BIN) {
  console.error('live.mjs: LIMES_BIN is required');
  console.log('live: 0 passed, 1 failed');
  process.exit(1);
}

function copySite(from) {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'limes-live-'));
  for (const part of ['observatory.toml', 'content', 'themes', 'i18n']) {
    fs.cpSync(path.join(from, part), path.join(to, part), { recursive: true });
  }
  return to;
}

async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, HOST, resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const root = IN_PLACE ? SOURCE : copySite(SOURCE);
const practices = fs.readdirSync(path.join(root, 'content', 'practices'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const slug = process.env.LIMES_LIVE_PRACTICE ?? practices[0];
const folder = path.join(root, 'content', 'practices', slug);
const config = fs.readFileSync(path.join(root, 'observatory.toml'), 'utf8');
const defaultLang = /^default_language\s*=\s*"([^"]+)"/m.exec(config)?.[1] ?? 'en';
const languages = (/^languages\s*=\s*\[([^\]]*)\]/m.exec(config)?.[1] ?? '')
  .split(',').map((s) => s.trim().replace(/"/g, '')).filter(Boolean);
const files = fs.readdirSync(folder).filter((f) => /^index\.[^.]+\.md$/.test(f));
const fileLang = files.map((f) => f.split('.')[1]).includes(defaultLang)
  ? defaultLang : files[0].split('.')[1];
const file = path.join(folder, `index.${fileLang}.md`);
const original = fs.readFileSync(file, 'utf8');
// Another language that shows this translation's title in its overlay test.
const otherLang = languages.find((l) => l !== fileLang) ?? fileLang;

const port = await freePort();
const server = spawn(BIN, ['serve', '--root', root, '--port', String(port), '--bind', HOST],
  { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
let serverLog = '';
server.stderr.setEncoding('utf8');
server.stderr.on('data', (chunk) => { serverLog = (serverLog + chunk).slice(-20000); });

let browser;
async function cleanUp() {
  if (IN_PLACE) fs.writeFileSync(file, original);
  await browser?.close().catch(() => {});
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ }
  if (!IN_PLACE) fs.rmSync(root, { recursive: true, force: true });
}

function median(list) {
  const s = [...list].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

try {
  const base = `http://${HOST}:${port}`;
  const started = Date.now();
  for (;;) {
    try {
      const r = await fetch(`${base}/${fileLang}/`);
      if (r.ok) break;
    } catch { /* not yet */ }
    if (Date.now() - started > 300_000) throw new Error(`the server did not start:\n${serverLog}`);
    await sleep(100);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1000, height: 500 } });
  const page = await context.newPage();
  const url = `${base}/${fileLang}/practices/${slug}/`;
  await page.goto(url, { waitUntil: 'load' });
  // Long enough to scroll: the edit adds text at the end of the body.
  const filler = Array.from({ length: 40 }, (_, i) => `Line ${i} of a long page.`).join('\n\n');

  // 1. An edit shows by itself, where the reader was.
  {
    const name = 'serve: an edit shows without reloading by hand, at the same scroll position';
    const times = [];
    try {
      fs.writeFileSync(file, `${original}\n\n${filler}\n`);
      await page.waitForFunction(() => document.body.innerText.includes('Line 39 of a long page.'), null, { timeout: WAIT_MS, polling: 'raf' });
      // Scroll once the reloaded page is complete (its own scroll restoration done).
      await page.waitForLoadState('load');
      await sleep(200);
      // The reader has "Line 20" at the top of the window, 10 px down.
      const line20 = () => {
        const p = [...document.querySelectorAll('p')].find((e) => e.textContent.trim() === 'Line 20 of a long page.');
        return p ? Math.round(p.getBoundingClientRect().top) : null;
      };
      await page.evaluate(() => {
        const p = [...document.querySelectorAll('p')].find((e) => e.textContent.trim() === 'Line 20 of a long page.');
        window.scrollBy(0, p.getBoundingClientRect().top - 10);
      });
      await sleep(100);
      let inPlace = 0;
      for (let i = 1; i <= EDITS; i += 1) {
        const marker = `Edited ${i} ${Date.now()}`;
        // When the page takes the new <main> without a reload, the time of the first
        // frame that shows the edit (noted by the page itself, after that frame).
        await page.evaluate((m) => {
          window.__limesShown = null;
          const seen = new MutationObserver(() => {
            if (document.querySelector('main')?.textContent.includes(m)) {
              seen.disconnect();
              requestAnimationFrame(() => setTimeout(() => {
                window.__limesShown = performance.timeOrigin + performance.now();
              }, 0));
            }
          });
          seen.observe(document.body, { childList: true, subtree: true, characterData: true });
        }, marker);
        const saved = Date.now();
        // Every other edit adds its text above the reader's place: the text being
        // read must stay where it was.
        const above = i % 2 === 0;
        fs.writeFileSync(file, above
          ? `${original}\n\n${marker}\n\n${'More text above the reader. '.repeat(i * 8)}\n\n${filler}\n`
          : `${original}\n\n${filler}\n\n${marker}\n`);
        await page.waitForFunction((m) => document.body.innerText.includes(m), marker, { timeout: WAIT_MS, polling: 'raf' });
        // From the save to the first paint of the page that shows it, on the machine's
        // clock (the page's time origin is in the same epoch milliseconds): the frame
        // noted above, or the reloaded page's first contentful paint.
        const painted = await page.evaluate(async () => {
          for (let i = 0; i < 100; i += 1) {
            if ('__limesShown' in window) {
              if (window.__limesShown !== null) return { at: window.__limesShown, inPlace: true };
            } else {
              const paint = performance.getEntriesByName('first-contentful-paint')[0];
              if (paint) return { at: performance.timeOrigin + paint.startTime, inPlace: false };
            }
            await new Promise((r) => setTimeout(r, 10));
          }
          return null;
        });
        if (painted === null) throw new Error('the page reported no paint of the edit');
        if (painted.inPlace) inPlace += 1;
        times.push(painted.at - saved);
        await page.waitForLoadState('load');
        await sleep(150);
        const at = await page.evaluate(line20);
        if (at === null || Math.abs(at - 10) > 2) {
          throw new Error(`after edit ${i} (text added ${above ? 'above' : 'below'} the reader) "Line 20" is at ${at} px from the top of the window, not 10`);
        }
      }
      const top = await page.evaluate(line20);
      if (top === null || Math.abs(top - 10) > 2) {
        throw new Error(`after ${EDITS} edits "Line 20" is at ${top} px from the top of the window, not 10`);
      }
      const sorted = [...times].sort((a, b) => a - b).map((t) => Math.round(t));
      if (inPlace === 0) throw new Error('no edit was shown in place: every one reloaded the page');
      ok(name, `save → first paint of the edit: median ${Math.round(median(times))} ms over ${times.length} edits, ${inPlace} shown in place (${sorted.join(', ')} ms)`);
    } catch (err) {
      fail(name, `${err.message}\nserver:\n${serverLog.slice(-3000)}`);
    }
  }

  // 2. A mistake: the overlay on every open page, in its language; the fix removes it.
  {
    const name = 'serve: a broken build shows an overlay with file, line and message; the fix removes it';
    try {
      const other = await context.newPage();
      await other.goto(`${base}/${otherLang}/practices/${slug}/`, { waitUntil: 'load' });
      const broken = original.replace(/^themes = \[/m, 'themes = ["no-such-theme", ');
      if (broken === original) throw new Error(`${file} has no themes line to break`);
      fs.writeFileSync(file, broken);
      for (const p of [page, other]) {
        await p.waitForSelector('#limes-preview-errors', { timeout: WAIT_MS });
      }
      const text = await page.locator('#limes-preview-errors').innerText();
      const rel = `content/practices/${slug}/index.${fileLang}.md`;
      for (const want of [rel, 'unknown theme `no-such-theme`']) {
        if (!text.includes(want)) throw new Error(`the overlay does not say ${JSON.stringify(want)}:\n${text}`);
      }
      if (!/:\d+:\d+/.test(text)) throw new Error(`the overlay gives no line and column:\n${text}`);
      const role = await page.locator('#limes-preview-errors').getAttribute('role');
      if (role !== 'alert') throw new Error(`the overlay's role is ${role}, not alert`);
      // The title is in each page's language (from its interface strings).
      const titles = await Promise.all([page, other].map((p) => p.locator('#limes-preview-errors h2').innerText()));
      const expected = [fileLang, otherLang].map((l) => {
        const toml = fs.readFileSync(path.join(root, 'i18n', `${l}.toml`), 'utf8');
        // A TOML basic string: its \uXXXX escapes (French no-break spaces) decoded.
        return /^preview_errors_title\s*=\s*"([^"]*)"/m
          .exec(toml)?.[1]
          ?.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
      });
      for (let i = 0; i < 2; i += 1) {
        if (expected[i] && titles[i] !== expected[i]) {
          throw new Error(`overlay title ${JSON.stringify(titles[i])}, expected ${JSON.stringify(expected[i])}`);
        }
      }
      // The last good page is still there under the overlay.
      if (!(await page.evaluate(() => document.body.innerText.includes('Line 39 of a long page.')))) {
        throw new Error('the last good version of the page is gone');
      }
      fs.writeFileSync(file, original);
      for (const p of [page, other]) {
        await p.waitForFunction(() => !document.getElementById('limes-preview-errors'), null, { timeout: WAIT_MS });
      }
      await page.waitForFunction(() => !document.body.innerText.includes('Line 39 of a long page.'), null, { timeout: WAIT_MS });
      ok(name, `overlay in ${fileLang} and ${otherLang}, gone after the fix`);
    } catch (err) {
      fail(name, `${err.message}\nserver:\n${serverLog.slice(-3000)}`);
    }
  }

  // 3. An edit of the title changes more than <main> (the window's title): the page
  // reloads and shows it; and the search index, made after the pages, finds a word
  // of the new text as soon as the page shows it.
  {
    const name = 'serve: a title edit reloads the page; the search finds the edit at once';
    try {
      const word = `zqxv${Date.now().toString(36)}`;
      const titled = original.replace(/^title = "/m, `title = "${word} `);
      if (titled === original) throw new Error(`${file} has no title line`);
      await page.evaluate(() => { window.__limesSamePage = true; });
      fs.writeFileSync(file, `${titled}\n\n${word}body\n`);
      await page.waitForFunction((w) => document.title.includes(w), word, { timeout: WAIT_MS, polling: 'raf' });
      if (await page.evaluate(() => window.__limesSamePage === true)) {
        throw new Error('the title changed without a reload: <main> was swapped although the page around it changed');
      }
      // A body edit: the page shows it in place, then the search finds it at once.
      fs.writeFileSync(file, `${titled}\n\n${word}later\n`);
      await page.waitForFunction((w) => document.body.innerText.includes(`${w}later`), word, { timeout: WAIT_MS, polling: 'raf' });
      const manifestUrl = `${base}/${fileLang}/search/index.json`;
      const manifest = await (await fetch(manifestUrl)).json();
      const key = `${word}later`;
      const shard = [...manifest.shards].reverse().find(([first]) => first <= key);
      if (!shard) throw new Error(`no shard for ${key}`);
      const data = await (await fetch(`${base}/${fileLang}/search/${shard[1]}`)).json();
      if (!data.p[key]) throw new Error(`the search index does not have ${key} yet`);
      ok(name, 'reloaded for the title; the new word in the index when the page showed it');
    } catch (err) {
      fail(name, `${err.message}\nserver:\n${serverLog.slice(-3000)}`);
    } finally {
      fs.writeFileSync(file, original);
    }
  }
} catch (err) {
  fail('serve: start', err.message);
} finally {
  await cleanUp();
}
console.log(`live: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
