#!/usr/bin/env node
// What a one-word search costs a reader: limes's search page against Pagefind's default
// UI over the Hugo site of the same corpus, in headless Chromium.
//
//   node bench/search.mjs --limes OUT_LIMES --hugo OUT_HUGO --lang en \
//        --queries social,cooperation,health --runs 5 [--json FILE]
//
// OUT_HUGO is Hugo's output after `pagefind --site OUT_HUGO`; its /<lang>/search/ page
// loads /pagefind/pagefind-ui.js (Pagefind's default UI) and, when the address has
// ?q=<word>, calls the UI's triggerSearch(word).
//
// Both sites are served the same way: one small static server per site on 127.0.0.1,
// HTTP/1.1, the files' bytes as they are (so that no compression time enters the times),
// `Cache-Control: no-cache`. The server logs every request it answers; the bytes of a
// visit are the sizes of the files it served in the visit's window, counted three ways:
// raw, gzip (level 6) and brotli (quality 11), each file at the smaller of its raw and
// compressed size (a server does not compress what does not shrink, such as Pagefind's
// already gzipped index files). HTTP headers are not counted. kB = 1000 bytes.
//
// Two measures per query, each visit in a fresh browser context (cold cache), --runs
// visits, the median reported with min-max:
//   open:  opening /<lang>/search/?q=<word>: every request from navigation start to the
//          first result link shown, and that time (navigation start -> first result).
//   typed: opening /<lang>/search/, waiting until the page and its scripts are loaded and
//          the network is quiet (bytes "before typing"), then putting the word into the
//          search field at once (one input event, as a paste): the requests from then to
//          the first result link shown, and that time. Each UI waits its own debounce
//          before it searches (limes 200 ms, Pagefind's default UI 300 ms), included.
// A result is shown when `#search-results li a` (limes) or `.pagefind-ui__result-link`
// (Pagefind, which shows placeholders until a result's fragment has arrived) exists.

import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function args() {
  const a = { lang: 'en', runs: 5, queries: [], chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const k = v[i];
    const next = () => {
      if (i + 1 >= v.length) throw new Error(`${k} needs a value`);
      return v[++i];
    };
    if (k === '--limes') a.limes = path.resolve(next());
    else if (k === '--hugo') a.hugo = path.resolve(next());
    else if (k === '--lang') a.lang = next();
    else if (k === '--runs') a.runs = Math.max(1, Number(next()));
    else if (k === '--queries') a.queries = next().split(',').filter(Boolean);
    else if (k === '--json') a.json = path.resolve(next());
    else if (k === '--chromium') a.chromium = next();
    else throw new Error(`unknown argument ${k}`);
  }
  if (!a.limes || !a.hugo || !a.queries.length) throw new Error('usage: search.mjs --limes DIR --hugo DIR --queries a,b [--lang en] [--runs 5] [--json FILE]');
  if (!fs.existsSync(path.join(a.hugo, 'pagefind', 'pagefind-ui.js'))) throw new Error(`${a.hugo} has no pagefind/: run pagefind --site over it first`);
  return a;
}

// ---------------------------------------------------------------------------------------
// The server

const sizeCache = new Map();
function sizes(file) {
  let s = sizeCache.get(file);
  if (!s) {
    const bytes = fs.readFileSync(file);
    const gz = zlib.gzipSync(bytes, { level: 6 }).length;
    const br = zlib.brotliCompressSync(bytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length;
    s = { raw: bytes.length, gz: Math.min(bytes.length, gz), br: Math.min(bytes.length, br) };
    sizeCache.set(file, s);
  }
  return s;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml',
  '.svg': 'image/svg+xml', '.wasm': 'application/wasm', '.pagefind': 'application/octet-stream',
};

function fileOf(dir, pathname) {
  let file = path.join(dir, decodeURIComponent(pathname));
  if (file !== dir && !file.startsWith(dir + path.sep)) return null;
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, 'index.html');
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ? file : null;
}

async function serve(dir) {
  const log = [];
  const server = http.createServer((req, res) => {
    const at = Date.now();
    let file = null;
    try {
      file = fileOf(dir, new URL(req.url, 'http://x').pathname);
    } catch {
      file = null;
    }
    if (!file) {
      log.push({ at, path: req.url, status: 404, raw: 0, gz: 0, br: 0 });
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const body = fs.readFileSync(file);
    log.push({ at, path: req.url, status: 200, ...sizes(file) });
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      'Content-Length': body.length,
    }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, log, base: `http://127.0.0.1:${server.address().port}` };
}

function tally(log, from, to) {
  const t = { requests: 0, raw: 0, gz: 0, br: 0, missing: [] };
  for (const r of log) {
    if (r.at < from || r.at > to) continue;
    t.requests++;
    t.raw += r.raw;
    t.gz += r.gz;
    t.br += r.br;
    if (r.status !== 200 && !r.path.endsWith('/favicon.ico')) t.missing.push(r.path);
  }
  return t;
}

async function quiet(log, ms = 500, limit = 20_000) {
  const end = Date.now() + limit;
  for (;;) {
    const last = log.length ? log[log.length - 1].at : 0;
    if (Date.now() - last >= ms) return;
    if (Date.now() > end) throw new Error('the network did not settle');
    await sleep(25);
  }
}

// ---------------------------------------------------------------------------------------
// The browser

const SITES = {
  limes: { result: '#search-results li a', input: '#search-q' },
  pagefind: { result: '.pagefind-ui__result-link', input: '.pagefind-ui__search-input' },
};

// Runs in every page before its scripts: notes when the first result link appears.
function observe(selector) {
  window.__first = null;
  const check = () => {
    if (window.__first === null && document.querySelector(selector)) window.__first = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
}

async function visit(browser, site, srv, lang, word, mode) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(observe, SITES[site].result);
  try {
    if (mode === 'open') {
      const from = Date.now();
      await page.goto(`${srv.base}/${lang}/search/?q=${encodeURIComponent(word)}`, { waitUntil: 'commit' });
      await page.waitForFunction(() => window.__first !== null, null, { timeout: 30_000, polling: 10 });
      const { origin, first } = await page.evaluate(() => ({ origin: performance.timeOrigin, first: window.__first }));
      const to = origin + first;
      const bytes = tally(srv.log, from, to);
      await quiet(srv.log);
      return { ms: first, ...bytes, errors };
    }
    const from = Date.now();
    await page.goto(`${srv.base}/${lang}/search/`, { waitUntil: 'load' });
    await page.waitForSelector(SITES[site].input, { timeout: 30_000 });
    await quiet(srv.log);
    const load = tally(srv.log, from, Date.now());
    const t0 = await page.evaluate(([sel, w]) => {
      const input = document.querySelector(sel);
      input.focus();
      const t = performance.now();
      input.value = w;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      return performance.timeOrigin + t;
    }, [SITES[site].input, word]);
    await page.waitForFunction(() => window.__first !== null, null, { timeout: 30_000, polling: 10 });
    const { origin, first } = await page.evaluate(() => ({ origin: performance.timeOrigin, first: window.__first }));
    const to = origin + first;
    const bytes = tally(srv.log, t0 - 1, to);
    await quiet(srv.log);
    return { ms: to - t0, ...bytes, load, errors };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

async function main() {
  const a = args();
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD ??= '1';
  const { chromium } = await import(path.join(HERE, 'node_modules', 'playwright-core', 'index.mjs'));
  const servers = { limes: await serve(a.limes), pagefind: await serve(a.hugo) };
  const browser = await chromium.launch({
    executablePath: a.chromium,
    timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const out = { chromium: browser.version(), lang: a.lang, runs: a.runs, queries: {} };
  try {
    // A warm-up visit of each site, not counted: a new browser's first page is slower.
    for (const site of Object.keys(SITES)) await visit(browser, site, servers[site], a.lang, a.queries[0], 'open');
    for (const word of a.queries) {
      out.queries[word] = {};
      for (const site of Object.keys(SITES)) {
        const r = { open: [], typed: [] };
        for (let k = 0; k < a.runs; k++) {
          // Alternate the modes so that a slow moment of the machine falls on both.
          r.open.push(await visit(browser, site, servers[site], a.lang, word, 'open'));
          r.typed.push(await visit(browser, site, servers[site], a.lang, word, 'typed'));
        }
        const errors = [...new Set([...r.open, ...r.typed].flatMap((x) => [...x.errors, ...x.missing.map((m) => `not found: ${m}`)]))];
        out.queries[word][site] = {
          open: {
            ms: summary(r.open.map((x) => x.ms)), requests: median(r.open.map((x) => x.requests)),
            raw: summary(r.open.map((x) => x.raw)), gz: summary(r.open.map((x) => x.gz)), br: summary(r.open.map((x) => x.br)),
          },
          typed: {
            ms: summary(r.typed.map((x) => x.ms)), requests: median(r.typed.map((x) => x.requests)),
            raw: summary(r.typed.map((x) => x.raw)), gz: summary(r.typed.map((x) => x.gz)), br: summary(r.typed.map((x) => x.br)),
            load_raw: median(r.typed.map((x) => x.load.raw)), load_gz: median(r.typed.map((x) => x.load.gz)),
            load_br: median(r.typed.map((x) => x.load.br)), load_requests: median(r.typed.map((x) => x.load.requests)),
          },
          errors,
        };
      }
    }
  } finally {
    await browser.close();
    for (const s of Object.values(servers)) s.server.close();
  }

  const kb = (b) => (b / 1000).toFixed(1);
  const span = (s, f) => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
  console.log(`search, lang ${a.lang}, ${a.runs} visits per query and measure, Chromium ${out.chromium}; kB = 1000 B; median (min–max)`);
  console.log('| query | site | open: gzip kB | raw kB | br kB | req | ms to first result | typed: kB before typing (gzip) | gzip kB after typing | ms after typing |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [word, sites] of Object.entries(out.queries)) {
    for (const [site, r] of Object.entries(sites)) {
      console.log(`| ${word} | ${site} | ${span(r.open.gz, kb)} | ${kb(r.open.raw.median)} | ${kb(r.open.br.median)} | ${r.open.requests} | ${span(r.open.ms, (x) => x.toFixed(0))} | ${kb(r.typed.load_gz)} | ${span(r.typed.gz, kb)} | ${span(r.typed.ms, (x) => x.toFixed(0))} |`);
      for (const e of r.errors) console.log(`  ! ${site} ${word}: ${e}`);
    }
  }
  if (a.json) fs.writeFileSync(a.json, JSON.stringify(out, null, 1) + '\n');
  return Object.values(out.queries).some((s) => Object.values(s).some((r) => r.errors.length)) ? 1 : 0;
}

process.exitCode = await main().catch((e) => {
  console.error(e);
  return 2;
});
