#!/usr/bin/env node
// Real-browser checks for a site served by `limes serve`.
//
//   LIMES_BIN=target/debug/limes LIMES_ROOT=$PWD node tests/browser/run.mjs
//
// Checks, each tallied as passed or failed (see README.md):
//   * dead links  – breadth-first crawl of every same-origin URL with fetch();
//                   every URL must answer 200.
//   * walk        – real clicks in Debian's chromium:
//                   /?choose -> /en/ -> /en/practices/ -> a practice -> a partner,
//                   with no console error, page error, failed request,
//                   HTTP error or request to another host.
//   * chooser redirect – a browser asking for French (or another site
//                   language) is sent from / to /fr/ once: not again when it
//                   comes back to / from inside the site, after it chose a
//                   language, or with ?choose.
//   * axe <kind>  – axe-core WCAG 2.0/2.1 A+AA rules on one page of each kind,
//                   the search page showing results among them.
//   * search queries – words typed key by key into the search page of fr, ro,
//                   sl, hr, es and en find the example's practices (without
//                   diacritics, prefixes, other inflected forms, fallbacks);
//                   skipped when LIMES_ROOT is not this repository's site.
//   * search facets – a filter alone lists exactly its listing page's
//                   practices; two values of a facet are OR, two facets AND;
//                   the counts beside the filters follow the query.
//   * search url  – typing replaces ?q=, a filter pushes a history entry that
//                   Back undoes, an address with q and filters fills the form,
//                   lang=all marks other languages with a badge.
//   * search without javascript – the <noscript> text and links show, and
//                   the header's search box is a plain GET form.
//   * axe compare … – the same axe rules on /<lang>/compare/ with nothing
//                   chosen, comparing two practices, comparing two
//                   territories (once .compare-table shows), and on the
//                   practices listing with the tray shown (one practice chosen).
//   * compare practices – on the practices listing, the "Compare" toggles
//                   (aria-pressed, focus + Enter / Space, then the mouse) and
//                   the tray (its status, its link to ?practices=a,b); the
//                   comparison it leads to (both titles as columns, the
//                   address), reload, Remove (address, history, "one more"),
//                   Back; the practice page's toggle knows the choice; a fifth
//                   practice is refused (when the listing has five); the
//                   tray's "empty" button.
//   * compare from URL – every listed practice (four at a time) and
//                   territory can be compared, named as the listings name
//                   them; ?practices=a,b,no-such-practice names the unknown
//                   one and shows the two (rows that differ marked, in
//                   words); five in the address show four and name the
//                   fifth; ids in any case; ?territories=x,y shows a row per
//                   indicator with its year (the latest common one, else each
//                   latest value with its year, from /<lang>/compare/t/<id>.json);
//                   the picker adds a third (address, history), Remove takes
//                   the first out; the CSV download (a blob: fetched in the
//                   page) has a header row and one line per row as shown;
//                   nothing in #compare-root but the elements the script makes.
//   * compare without javascript – the <noscript> text and its link to the
//                   practices listing show; what needs the script does not.
//   * charts at 320 px – on a territory page, the border pages and an
//                   indicator page that have an svg.chart: each fits the
//                   viewport, has role=img and an accessible name from its own
//                   <title> (ids unique), a border chart's series match its
//                   legend; no horizontal scrolling, nothing wider than the
//                   viewport but inside .table-scroll.
//   * maps at 320 px – on the border pages, an indicator page, the partners
//                   listing and a practice page that have an svg.map: each fits
//                   the viewport, is named by its own <title> and <desc>, every
//                   territory and point has an accessible name (its <title> the
//                   same, for the mouse) and is drawn, every link takes the focus
//                   and leads to a page, the legend has a key and words per item;
//                   no horizontal scrolling; then axe-core on each of those pages.
//   * hostile markdown (escape|sanitize) – tests/fixtures/hostile, whose
//                   Markdown and front matter try every way to run a script,
//                   built with that raw_html mode and served as static files;
//                   every page is opened, its headings and links focused,
//                   hovered and clicked: no dialog may open, and no event
//                   handler attribute, autofocus, style, foreign script,
//                   javascript:/data: link or frame/form/base may be found
//                   (but those the templates write themselves).
//   * content security policy – the pages of the axe checks and a comparison
//                   of two practices, opened without bypassing their policy:
//                   exactly one Content-Security-Policy <meta> in <head>, no
//                   securitypolicyviolation event and no console error about
//                   the policy, and the scripts still work (search results,
//                   the comparison's table).
//   * search markup – on that fixture, a search for a title full of markup
//                   shows it as text, words in <mark> and nothing else.
//   * vnu         – the W3C Nu HTML Checker on every .html file of public/.
//
// The last line printed is always `browser: N passed, M failed`; the exit
// status is 1 when anything failed.
//
// Nothing here knows the slugs of the example content but `search queries`:
// every page is reached by following links. Only the URL *shape* of the
// sections (<lang>/practices/<slug>/, <lang>/partners/<slug>/, ...,
// <lang>/search/, <lang>/compare/) is assumed. The comparison and chart
// checks take their practices, territories, borders and indicators from the
// site's listings (else from the crawl) and are skipped, saying why, when
// there are fewer than two to compare or no chart to look at.

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

// playwright-core never downloads a browser, but make doubly sure nothing
// tries to (the variable must be set before the module is loaded).
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD ??= '1';
const { chromium } = await import('playwright-core');

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`run.mjs: environment variable ${name} is required`);
    console.log('browser: 0 passed, 1 failed');
    process.exit(1);
  }
  return value;
}

// A bare command name is looked up in PATH; anything with a slash is a path
// relative to the current directory.
const rawBin = requiredEnv('LIMES_BIN');
const LIMES_BIN = rawBin.includes('/') ? path.resolve(rawBin) : rawBin;
const LIMES_ROOT = path.resolve(requiredEnv('LIMES_ROOT'));
const PUBLIC_DIR = path.resolve(process.env.LIMES_PUBLIC ?? path.join(LIMES_ROOT, 'public'));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const JAVA = process.env.JAVA ?? 'java';

const SERVER_START_TIMEOUT_MS = 120_000;
const NAVIGATION_TIMEOUT_MS = 30_000;
const VNU_TIMEOUT_MS = 300_000;
// Hard stop for the whole run, so a hung browser or server cannot block CI.
const GLOBAL_TIMEOUT_MS = Number(process.env.LIMES_BROWSER_TIMEOUT_S ?? 1200) * 1000;
const CRAWL_CONCURRENCY = 8;
const CRAWL_MAX_URLS = 20_000;
const MAX_PRACTICES_TRIED = 25;
// Search: how long a search page must stay still (no change, no fetch in
// flight) before its results count as the answer; the longest wait for one;
// the pause between two keys typed.
const SEARCH_QUIET_MS = 80;
const SEARCH_TIMEOUT_MS = 10_000;
const SEARCH_TYPING_DELAY_MS = 5;
// Comparison: the longest wait for a comparison to show what its address
// asks; the pause after a click before the live regions are read; how many
// practices a comparison holds (README); the elements its script makes in
// #compare-root (anything else there came from content as HTML).
const COMPARE_TIMEOUT_MS = 10_000;
const COMPARE_QUIET_MS = 100;
const COMPARE_MAX = 4;
const COMPARE_TERRITORY_BATCH = 25;
const COMPARE_ELEMENTS = ['h2', 'p', 'a', 'div', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td',
  'span', 'br', 'button', 'ul', 'li', 'strong'];
// Charts: the narrowest screen they must fit, and how many border pages are
// looked at.
const CHART_VIEWPORT = { width: 320, height: 640 };
const MAX_CHART_PAGES = 5;

const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const VNU_JAR = String(require('vnu-jar'));

// The only host the site may talk to.
const ALLOWED_HOST = '127.0.0.1';

// The repository this file belongs to: the hostile-Markdown fixture and the
// theme and interface strings it is built with come from there, whatever
// site LIMES_ROOT is.
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOSTILE_FIXTURE = path.join(REPO_ROOT, 'tests', 'fixtures', 'hostile');
// The raw_html modes that must not let an editor run a script or inject markup.
const HOSTILE_MODES = ['escape', 'sanitize'];
const HOSTILE_CONCURRENCY = 3;
// How long a page may take to fire autofocus/onload/animation handlers.
const HOSTILE_SETTLE_MS = 150;

// Sections generated by limes (the names src/routes.rs reserves under
// /<lang>/); a "free page" is a page outside all of them.
const SECTIONS = ['practices', 'partners', 'territories', 'themes', 'target-groups', 'countries',
  'borders', 'indicators', 'status', 'search', 'compare', 'data'];

// ---------------------------------------------------------------------------
// Output and tallies
// ---------------------------------------------------------------------------

const results = []; // { name, ok }

const log = (...args) => console.log(...args);

// Runs one check. `fn` returns (or resolves to) a list of problems; the check
// passes when the list is empty. A thrown error is a problem too.
async function check(name, fn) {
  const started = Date.now();
  let problems;
  try {
    problems = (await fn()) ?? [];
  } catch (err) {
    problems = [`unexpected error: ${err?.stack ?? err}`];
  }
  const ok = problems.length === 0;
  results.push({ name, ok });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`${ok ? 'PASS' : 'FAIL'}  ${name}  (${seconds}s)`);
  for (const problem of problems) {
    log(`      - ${String(problem).replaceAll('\n', '\n        ')}`);
  }
  return ok;
}

// Records a check that could not even start (server or browser missing).
function failWithoutRunning(name, problem) {
  results.push({ name, ok: false });
  log(`FAIL  ${name}`);
  log(`      - ${String(problem).replaceAll('\n', '\n        ')}`);
}

function printSummaryAndExit() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  log('');
  log(`browser: ${passed} passed, ${failed} failed`);
  // Writes to files and pipes are synchronous on Linux, so exiting right
  // away loses no output.
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

// ---------------------------------------------------------------------------
// The limes server
// ---------------------------------------------------------------------------

// Asks the kernel for a free port by listening on port 0.
async function freePort() {
  const probe = net.createServer();
  probe.listen(0, ALLOWED_HOST);
  await once(probe, 'listening');
  const { port } = probe.address();
  probe.close();
  await once(probe, 'close');
  return port;
}

// Keeps the last `limit` characters written to a stream.
function tail(stream, limit = 64 * 1024) {
  const buffer = { text: '' };
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffer.text = (buffer.text + chunk).slice(-limit);
    if (process.env.LIMES_SERVER_LOG) process.stderr.write(chunk);
  });
  return buffer;
}

function startServer(port) {
  const args = ['serve', '--root', LIMES_ROOT, '--port', String(port), '--bind', ALLOWED_HOST];
  log(`starting: ${LIMES_BIN} ${args.join(' ')}`);
  // detached: the server gets its own process group, so that stopping it
  // also stops anything it started.
  const child = spawn(LIMES_BIN, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = {
    child,
    stdout: tail(child.stdout),
    stderr: tail(child.stderr),
    exit: null, // set once the process is gone: { code, signal } or { error }
  };
  child.on('error', (error) => { server.exit ??= { error }; });
  child.on('exit', (code, signal) => { server.exit ??= { code, signal }; });
  return server;
}

function describeExit(server) {
  const { exit } = server;
  const how = exit.error ? `failed to start: ${exit.error.message}`
    : exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const stderr = server.stderr.text.trim() || '(empty)';
  const stdout = server.stdout.text.trim();
  return `the server ${how}\nstderr:\n${stderr}${stdout ? `\nstdout:\n${stdout}` : ''}`;
}

// Polls the home page until the server answers anything over HTTP.
async function waitForServer(server, url) {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exit) throw new Error(describeExit(server));
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return;
    } catch {
      await sleep(250);
    }
  }
  throw new Error(`the server did not answer ${url} within ${SERVER_START_TIMEOUT_MS / 1000} s\n`
    + `stderr:\n${server.stderr.text.trim() || '(empty)'}`);
}

// Stops the server's whole process group: SIGTERM, then SIGKILL after 3 s.
async function stopServer(server) {
  if (!server || server.exit || !server.child.pid) return;
  const signalGroup = (signal) => {
    try { process.kill(-server.child.pid, signal); } catch { /* already gone */ }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + 3000;
  while (!server.exit && Date.now() < deadline) await sleep(50);
  if (!server.exit) signalGroup('SIGKILL');
}

// ---------------------------------------------------------------------------
// URL helpers
// ---------------------------------------------------------------------------

function stripHash(href) {
  const url = new URL(href);
  url.hash = '';
  return url.href;
}

// Path plus query, for readable messages.
function show(href) {
  try {
    const url = new URL(href);
    return url.pathname + url.search;
  } catch {
    return href;
  }
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A language root is a one-segment path such as /en/ or /pt-br/.
const isLanguageRoot = (pathname) => /^\/[^/]+\/$/.test(pathname);

// Matches <root><section>/<one segment>/, e.g. /en/practices/some-slug/.
const sectionItemPattern = (root, section) =>
  new RegExp(`^${escapeRegExp(root)}${escapeRegExp(section)}/[^/]+/$`);

// ---------------------------------------------------------------------------
// Dead-link crawl (Node's fetch, no browser)
// ---------------------------------------------------------------------------

// Elements and attributes that make the browser request something.
const LINK_ATTRIBUTES = { a: 'href', link: 'href', img: 'src', script: 'src', base: 'href' };

// An opening tag of interest; attribute values may contain '>' when quoted.
const TAG_PATTERN = /<(a|link|img|script|base)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTRIBUTE_PATTERN = /([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function decodeEntities(text) {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, entity) => {
    if (entity[0] === '#') {
      const code = entity[1] === 'x' || entity[1] === 'X'
        ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return named[entity.toLowerCase()] ?? whole;
  });
}

// Returns the raw URLs referenced by a[href], link[href], img[src] and
// script[src], in document order, and the <base href> if any. A small
// tokenizer is enough for HTML we generate ourselves; comments and the bodies
// of <script>/<style> elements are skipped.
function extractReferences(html) {
  const cleaned = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(<(script|style)\b(?:[^>"']|"[^"]*"|'[^']*')*>)[\s\S]*?<\/\2\s*>/gi, '$1');
  const references = [];
  let base = null;
  for (const [, rawTag, attributeText] of cleaned.matchAll(TAG_PATTERN)) {
    const tag = rawTag.toLowerCase();
    const wanted = LINK_ATTRIBUTES[tag];
    for (const match of attributeText.matchAll(ATTRIBUTE_PATTERN)) {
      if (match[1].toLowerCase() !== wanted) continue;
      const value = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
      if (tag === 'base') base ??= value;
      else references.push({ tag, value });
      break;
    }
  }
  return { base, references };
}

// Resolves one reference; returns null for what the crawl ignores (empty
// values, fragments, other schemes, other hosts), else { url } or { error }.
function resolveReference(value, baseUrl, origin) {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return null;
  let url;
  try {
    url = new URL(trimmed, baseUrl);
  } catch {
    return { error: `unparseable URL ${JSON.stringify(value)}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null; // mailto:, tel:, data:, ...
  if (url.origin !== origin) return null; // external site
  url.hash = '';
  return { url: url.href };
}

// Runs `worker` over `items` with at most `limit` in flight; keeps order.
async function mapPool(items, limit, worker) {
  const output = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      output[index] = await worker(items[index]);
    }
  });
  await Promise.all(lanes);
  return output;
}

async function fetchForCrawl(url, origin) {
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(NAVIGATION_TIMEOUT_MS),
    });
    const type = response.headers.get('content-type') ?? '';
    const isHtml = /^\s*(text\/html|application\/xhtml\+xml)/i.test(type);
    if (response.status !== 200 || !isHtml) {
      await response.arrayBuffer();
      const location = response.headers.get('location');
      return { status: response.status, location, links: [], errors: [] };
    }
    const { base, references } = extractReferences(await response.text());
    const baseUrl = base ? new URL(base, url).href : url;
    const links = [];
    const errors = [];
    for (const { value } of references) {
      const resolved = resolveReference(value, baseUrl, origin);
      if (resolved?.url) links.push(resolved.url);
      else if (resolved?.error) errors.push(resolved.error);
    }
    return { status: 200, html: true, links, errors };
  } catch (err) {
    return { status: 0, failure: err?.cause?.message ?? err?.message ?? String(err), links: [], errors: [] };
  }
}

// Breadth-first crawl from `startUrl`: every URL is fetched once, level by
// level, so discovery order is deterministic. Returns
//   order:     every URL in the order it was first linked,
//   results:   url -> fetch result,
//   referrers: url -> pages linking to it (in order),
//   pageLinks: html url -> its same-origin links (in document order).
async function crawl(startUrl) {
  const origin = new URL(startUrl).origin;
  const order = [startUrl];
  const referrers = new Map([[startUrl, []]]);
  const results = new Map();
  const pageLinks = new Map();
  const badReferences = []; // { page, error }
  let level = [startUrl];
  let truncated = false;
  while (level.length > 0) {
    const fetched = await mapPool(level, CRAWL_CONCURRENCY, (url) => fetchForCrawl(url, origin));
    const nextLevel = [];
    level.forEach((url, index) => {
      const result = fetched[index];
      results.set(url, result);
      if (!result.html) return;
      pageLinks.set(url, result.links);
      for (const error of result.errors) badReferences.push({ page: url, error });
      for (const link of result.links) {
        if (referrers.has(link)) {
          const list = referrers.get(link);
          if (list.at(-1) !== url) list.push(url);
          continue;
        }
        if (order.length >= CRAWL_MAX_URLS) { truncated = true; continue; }
        referrers.set(link, [url]);
        order.push(link);
        nextLevel.push(link);
      }
    });
    level = nextLevel;
  }
  return { order, results, referrers, pageLinks, badReferences, truncated };
}

function deadLinkProblems(site) {
  const problems = [];
  for (const url of site.order) {
    const result = site.results.get(url);
    if (result.status === 200) continue;
    const what = result.status === 0 ? `request failed (${result.failure})`
      : `HTTP ${result.status}${result.location ? ` -> ${result.location}` : ''}`;
    const from = site.referrers.get(url);
    const shown = from.slice(0, 5).map(show).join(', ');
    const more = from.length > 5 ? ` and ${from.length - 5} more` : '';
    problems.push(`${show(url)}: ${what}; linked from ${shown || '(start page)'}${more}`);
  }
  for (const { page, error } of site.badReferences) problems.push(`${show(page)}: ${error}`);
  if (site.truncated) problems.push(`crawl stopped after ${CRAWL_MAX_URLS} URLs`);
  return problems;
}

// ---------------------------------------------------------------------------
// Browser helpers
// ---------------------------------------------------------------------------

// Collects, for one page, everything that must not happen while it is shown.
// `problems` is swapped for a fresh list at each step of the walk.
function watchPage(page, externalRequests) {
  const watcher = { problems: [] };
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url, lineNumber } = message.location();
    // Chromium logs each blocked request to another host; those are
    // reported once, as such, by the 'request' handler below.
    if (url && isExternal(url) && message.text().includes('ERR_BLOCKED_BY_CLIENT')) return;
    const where = url ? ` (${show(url)}:${lineNumber + 1})` : '';
    watcher.problems.push(`console error: ${message.text()}${where}`);
  });
  page.on('pageerror', (error) => watcher.problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Requests to other hosts are blocked on purpose and reported separately.
    if (isExternal(request.url())) return;
    watcher.problems.push(`request failed: ${show(request.url())} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      watcher.problems.push(`HTTP ${response.status()}: ${show(response.url())}`);
    }
  });
  page.on('request', (request) => {
    if (!isExternal(request.url())) return;
    const message = `request to another host: ${request.url()}`;
    // Chromium may ask twice for the same resource (preload scanner, parser).
    if (watcher.problems.includes(message)) return;
    watcher.problems.push(message);
    externalRequests?.push(message);
  });
  return watcher;
}

function isExternal(href) {
  const url = new URL(href);
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return false; // data:, blob:, about: ... stay inside the page
  }
  return url.hostname !== ALLOWED_HOST;
}

// What every page must have: <html lang>, one <main>, one <h1>.
async function structureProblems(page) {
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    mains: document.querySelectorAll('main').length,
    h1s: document.querySelectorAll('h1').length,
  }));
  const problems = [];
  if (!facts.lang || !facts.lang.trim()) problems.push('<html> has no lang attribute');
  if (facts.mains !== 1) problems.push(`expected exactly one <main>, found ${facts.mains}`);
  if (facts.h1s !== 1) problems.push(`expected exactly one <h1>, found ${facts.h1s}`);
  return problems;
}

// All links of the current page, in document order, with where they sit.
async function pageAnchors(page) {
  return page.$$eval('a[href]:not(svg a)', (anchors) => anchors.map((a) => ({
    href: a.href.split('#')[0],
    pathname: a.pathname,
    origin: a.origin,
    inMain: Boolean(a.closest('main')),
    hreflang: a.getAttribute('hreflang') ?? a.getAttribute('lang'),
  })));
}

// Clicks a link to `target` (first visible one) and waits for the new page.
async function clickLinkTo(page, target) {
  const marked = await page.evaluate((wanted) => {
    for (const old of document.querySelectorAll('[data-limes-walk]')) old.removeAttribute('data-limes-walk');
    const candidates = [...document.querySelectorAll('a[href]:not(svg a)')].filter((a) => a.href.split('#')[0] === wanted);
    const isVisible = (a) => {
      const box = a.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(a).visibility !== 'hidden';
    };
    const chosen = candidates.find(isVisible) ?? candidates[0];
    if (!chosen) return false;
    chosen.setAttribute('data-limes-walk', '');
    return true;
  }, target);
  if (!marked) throw new Error(`no link to ${show(target)} on ${show(page.url())}`);
  await Promise.all([
    page.waitForURL((url) => stripHash(url.href) === target, { waitUntil: 'load' }),
    page.click('a[data-limes-walk]'),
  ]);
  await settle(page);
}

// Lets late requests (images, scripts) finish so that their errors are
// charged to the right page.
async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
}

const unique = (list) => [...new Set(list)];

// ---------------------------------------------------------------------------
// Walk: / -> language home -> practices -> a practice -> a partner
// ---------------------------------------------------------------------------

// Returns { problems, found } where `found` holds the URLs discovered on the
// way, reused by the accessibility checks.
async function walk(context, baseUrl) {
  const problems = [];
  const found = {};
  const page = await context.newPage();
  const externalRequests = [];
  const watcher = watchPage(page, externalRequests);

  // Verifies the page just reached and files its problems under its path.
  const visited = async (label) => {
    const pageProblems = [...watcher.problems, ...await structureProblems(page)];
    watcher.problems = [];
    log(`      walk: ${label} ${show(page.url())}${pageProblems.length ? ' (problems)' : ''}`);
    for (const problem of pageProblems) problems.push(`${show(page.url())}: ${problem}`);
  };

  try {
    // With JavaScript, / sends a browser on to its language; ?choose keeps
    // the chooser (see the chooser redirect check).
    const startUrl = `${baseUrl}/?choose`;
    const response = await page.goto(startUrl, { waitUntil: 'load' });
    await settle(page);
    if (response?.status() !== 200) problems.push(`/?choose: HTTP ${response?.status()}`);
    if (stripHash(page.url()) !== startUrl) problems.push(`/?choose went on to ${show(page.url())}`);
    await visited('language chooser');

    // Language roots offered by the chooser; prefer English.
    const origin = new URL(baseUrl).origin;
    const chooserLinks = (await pageAnchors(page)).filter((a) => a.origin === origin);
    const roots = unique(chooserLinks.filter((a) => isLanguageRoot(a.pathname)).map((a) => a.pathname));
    found.languageRoots = roots;
    if (roots.length === 0) throw new Error('the language chooser links to no language home (/xx/)');
    const root = roots.includes('/en/') ? '/en/' : roots[0];
    found.root = root;
    found.home = new URL(root, baseUrl).href;
    await clickLinkTo(page, found.home);
    await visited('language home');

    // The main navigation: the first <nav> that links to the practices
    // listing. Its first link outside the generated sections is a free page.
    found.freePage = await page.evaluate(({ root, sections, roots }) => {
      const navs = [...document.querySelectorAll('nav')];
      const main = navs.find((nav) => [...nav.querySelectorAll('a[href]')]
        .some((a) => a.origin === location.origin && a.pathname === `${root}practices/`));
      if (!main) return null;
      for (const a of main.querySelectorAll('a[href]')) {
        if (a.origin !== location.origin || a.hasAttribute('hreflang')) continue;
        const path = a.pathname;
        if (!path.startsWith(root) || path === root || roots.includes(path)) continue;
        const first = path.slice(root.length).split('/')[0];
        if (sections.includes(first)) continue;
        return a.href.split('#')[0];
      }
      return null;
    }, { root, sections: SECTIONS, roots });

    found.listing = new URL(`${root}practices/`, baseUrl).href;
    await clickLinkTo(page, found.listing);
    await visited('practices listing');

    // Practices linked from the listing, those inside <main> first.
    const practicePattern = sectionItemPattern(root, 'practices');
    const listingLinks = (await pageAnchors(page)).filter((a) => a.origin === origin && practicePattern.test(a.pathname));
    const practices = unique([...listingLinks.filter((a) => a.inMain), ...listingLinks].map((a) => a.href));
    found.practices = practices;
    if (practices.length === 0) throw new Error(`no link to ${root}practices/<slug>/ on the listing`);

    const partnerPattern = sectionItemPattern(root, 'partners');
    for (const [index, practice] of practices.slice(0, MAX_PRACTICES_TRIED).entries()) {
      if (index > 0) {
        // Back to the listing, the way a reader would.
        await Promise.all([
          page.waitForURL((url) => stripHash(url.href) === found.listing, { waitUntil: 'load' }),
          page.goBack(),
        ]);
        await settle(page);
        watcher.problems = [];
      }
      await clickLinkTo(page, practice);
      await visited(`practice #${index + 1}`);
      const anchors = (await pageAnchors(page)).filter((a) => a.origin === origin);
      if (index === 0) found.translatedPractice = await translatedLink(page, anchors, roots, root);
      const partnerLinks = anchors.filter((a) => partnerPattern.test(a.pathname));
      const partner = [...partnerLinks.filter((a) => a.inMain), ...partnerLinks][0];
      if (!partner) continue;
      found.partner = partner.href;
      await clickLinkTo(page, partner.href);
      await visited('partner');
      break;
    }
    if (!found.partner) {
      problems.push(`none of the first ${Math.min(practices.length, MAX_PRACTICES_TRIED)} practices links to ${root}partners/<slug>/`);
    }
  } catch (err) {
    problems.push(`walk stopped at ${show(page.url())}: ${err.message}`);
  } finally {
    await page.close().catch(() => {});
  }
  if (externalRequests.length === 0) log(`      walk: no request left ${ALLOWED_HOST}`);
  return { problems, found };
}

// The same page in another language, from the language switcher: links
// marked with hreflang/lang first, else any link into another language
// root (but not that language's home), else <link rel=alternate hreflang>.
async function translatedLink(page, anchors, roots, root) {
  const otherRoots = roots.filter((r) => r !== root);
  const inOtherLanguage = (a) => otherRoots.some((r) => a.pathname.startsWith(r) && a.pathname !== r);
  const candidates = anchors.filter(inOtherLanguage);
  const chosen = candidates.find((a) => a.hreflang) ?? candidates[0];
  if (chosen) return chosen.href;
  const alternates = await page.$$eval('link[rel~="alternate"][hreflang]', (links) =>
    links.map((l) => ({ href: l.href.split('#')[0], pathname: new URL(l.href).pathname })));
  const origin = new URL(page.url()).origin;
  return alternates.find((a) => new URL(a.href).origin === origin && inOtherLanguage(a))?.href ?? null;
}

// ---------------------------------------------------------------------------
// Chooser redirect: / -> the browser's language, once, without a loop
// ---------------------------------------------------------------------------

// The language roots the chooser links to, as { code, path }, read without
// JavaScript (so without being redirected).
async function chooserLanguages(baseUrl) {
  const html = await (await fetch(`${baseUrl}/`)).text();
  const languages = [];
  for (const { tag, value } of extractReferences(html).references) {
    if (tag !== 'a') continue;
    const path = new URL(value, `${baseUrl}/`).pathname;
    if (isLanguageRoot(path)) languages.push({ code: path.slice(1, -1), path });
  }
  return languages;
}

// Waits until a page has settled on one address (a redirect, if any, done).
async function settledUrl(page) {
  await page.waitForLoadState('load');
  await settle(page);
  await sleep(300);
  await page.waitForLoadState('load');
  return stripHash(page.url());
}

async function chooserRedirect(browser, baseUrl) {
  const languages = await chooserLanguages(baseUrl);
  if (languages.length < 2) return [`the chooser links to ${languages.length} language root(s); need two`];
  // French when the site has it (the common case), else the second language.
  const target = languages.find((l) => l.code === 'fr') ?? languages[1];
  const locale = target.code === 'fr' ? 'fr-FR' : target.code;
  const other = languages.find((l) => l !== target);
  const root = `${baseUrl}/`;
  const targetUrl = new URL(target.path, baseUrl).href;
  const problems = [];
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
  await context.route((url) => isExternal(url.href), (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  const watcher = watchPage(page);
  // `left`: the step leaves a page on purpose (the redirect, Back), and the
  // browser aborts what that page was still loading (a low-priority script):
  // such an abort is no failure.
  const step = (label, ok, detail, left = false) => {
    log(`      redirect: ${label}: ${ok ? 'ok' : 'NO'} (${show(page.url())})`);
    if (!ok) problems.push(`${label}: ${detail}`);
    const aborted = (p) => left && /^request failed: .* \(net::ERR_ABORTED\)$/.test(p);
    problems.push(...watcher.problems.filter((p) => !aborted(p)).map((p) => `${label}: ${p}`));
    watcher.problems = [];
  };
  try {
    // 1. A first visit to / (no referrer, no choice) goes to the browser's
    //    language, replacing / in the history.
    await page.goto(root, { waitUntil: 'load' });
    let url = await settledUrl(page);
    step(`${locale} browser opens /`, url === targetUrl, `expected ${show(targetUrl)}, stayed at ${show(url)}`, true);

    // 2. Back from there leaves the site: / was replaced, so Back cannot land
    //    on it and be sent on again.
    await page.goBack({ waitUntil: 'load' }).catch(() => null);
    url = await settledUrl(page);
    step('Back from the language home', !url.startsWith(root), `Back went to ${show(url)}`, true);
    await page.goto(targetUrl, { waitUntil: 'load' });

    // 3. Coming back to / from inside the site shows the chooser. The default
    //    theme's site title goes to /<lang>/, so when no link on the page leads
    //    to / one is added to the header, and clicked like a reader would.
    await page.evaluate((href) => {
      if ([...document.querySelectorAll('a[href]:not(svg a)')].some((a) => a.href === href)) return;
      const a = document.createElement('a');
      a.href = href;
      a.textContent = 'chooser';
      (document.querySelector('header') ?? document.body).prepend(a);
    }, root);
    await Promise.all([
      page.waitForURL((u) => u.href === root, { waitUntil: 'load' }),
      page.locator(`a[href="${new URL(root).pathname}"], a[href="${root}"]`).first().click(),
    ]);
    url = await settledUrl(page);
    step('a link to / from inside the site', url === root, `sent on to ${show(url)}`);

    // 4. Choosing a language on the chooser is remembered: a later visit to /
    //    (typed, no referrer) shows the chooser instead of the browser's language.
    const otherUrl = new URL(other.path, baseUrl).href;
    await Promise.all([
      page.waitForURL((u) => u.href === otherUrl, { waitUntil: 'load' }),
      page.locator(`a[hreflang="${other.code}"]`).first().click(),
    ]);
    const stored = await page.evaluate(() => localStorage.getItem('limes-language'));
    step(`choosing ${other.code} on the chooser`, stored === other.code, `localStorage holds ${stored}`);
    await page.goto(root, { waitUntil: 'load' });
    url = await settledUrl(page);
    step('/ after a choice', url === root, `sent on to ${show(url)}`);
  } catch (err) {
    problems.push(`stopped at ${show(page.url())}: ${err.message}`);
  }

  // 5. A fresh visitor with ?choose stays on the chooser.
  const fresh = await browser.newContext({ locale });
  await fresh.route((u) => isExternal(u.href), (route) => route.abort('blockedbyclient'));
  try {
    const p = await fresh.newPage();
    await p.goto(`${root}?choose`, { waitUntil: 'load' });
    const url = await settledUrl(p);
    if (url !== `${root}?choose`) problems.push(`/?choose: sent on to ${show(url)}`);
    log(`      redirect: /?choose stays: ${url === `${root}?choose` ? 'ok' : 'NO'}`);
  } catch (err) {
    problems.push(`/?choose: ${err.message}`);
  } finally {
    await fresh.close().catch(() => {});
    await context.close().catch(() => {});
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Accessibility (axe-core)
// ---------------------------------------------------------------------------

// `ready`, if given, is a selector the page must show before axe runs (the
// results of a search, a comparison's table); `prepare`, if given, is what a
// reader does first (e.g. press a "Compare" toggle), run once the page is
// ready: it returns problems, or throws.
async function axeProblems(context, url, ready, prepare) {
  const page = await context.newPage();
  const watcher = watchPage(page);
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    await settle(page);
    const problems = [];
    if (response?.status() !== 200) problems.push(`HTTP ${response?.status()} for ${show(url)}`);
    if (ready) {
      const shown = await page.waitForSelector(ready, { timeout: SEARCH_TIMEOUT_MS }).then(() => true, () => false);
      if (!shown) {
        const status = await page.locator('#search-status').textContent().catch(() => null);
        return [...problems, `${show(url)} shows no ${ready} within ${SEARCH_TIMEOUT_MS / 1000} s`
          + ` (#search-status: ${JSON.stringify(status?.trim() ?? null)})`, ...watcher.problems];
      }
      await settle(page);
    }
    if (prepare) {
      const prepared = await prepare(page);
      if (prepared?.length) return [...problems, ...prepared, ...watcher.problems];
      await settle(page);
    }
    await page.addScriptTag({ path: AXE_PATH });
    const violations = await page.evaluate(async (tags) => {
      const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        targets: v.nodes.map((node) => [node.target].flat(Infinity).join(' ')),
      }));
    }, AXE_TAGS);
    for (const v of violations) {
      const first = v.targets.slice(0, 3).join(' | ');
      const more = v.targets.length > 3 ? ` (+${v.targets.length - 3} more)` : '';
      problems.push(`${v.id} [${v.impact}]: ${v.help}\n  at ${first}${more}\n  see ${v.helpUrl}`);
    }
    // The site must never reach another host, whichever page is shown.
    problems.push(...watcher.problems.filter((p) => p.startsWith('request to another host')));
    return problems;
  } finally {
    await page.close().catch(() => {});
  }
}

// One page of each kind. Walk discoveries come first; the crawl (breadth
// first, so "first linked") fills the gaps.
function axeTargets(baseUrl, found, crawled, searchWord) {
  const site = crawled ?? { order: [], pageLinks: new Map() };
  const root = found.root ?? '/en/';
  const firstInCrawl = (section) => {
    const pattern = sectionItemPattern(root, section);
    return site.order.find((url) => pattern.test(new URL(url).pathname)) ?? null;
  };
  const firstFromPages = (pagePattern, section) => {
    const pattern = sectionItemPattern(root, section);
    for (const [page, links] of site.pageLinks) {
      if (!pagePattern.test(new URL(page).pathname)) continue;
      const hit = links.find((url) => pattern.test(new URL(url).pathname));
      if (hit) return hit;
    }
    return null;
  };
  const practices = sectionItemPattern(root, 'practices');
  return [
    { kind: 'language chooser', url: `${baseUrl}/?choose` },
    { kind: 'home', url: found.home ?? new URL(root, baseUrl).href },
    { kind: 'practices listing', url: found.listing ?? new URL(`${root}practices/`, baseUrl).href },
    { kind: 'practice', url: found.practices?.[0] ?? firstInCrawl('practices') },
    { kind: 'partner', url: found.partner ?? firstFromPages(practices, 'partners') ?? firstInCrawl('partners') },
    { kind: 'free page', url: found.freePage, missing: 'no free page linked from the main navigation' },
    { kind: 'territory', url: firstInCrawl('territories') },
    { kind: 'theme listing', url: firstInCrawl('themes') },
    { kind: 'border page', url: firstInCrawl('borders') },
    { kind: 'indicator', url: firstInCrawl('indicators') },
    { kind: 'indicators index', url: new URL(`${root}indicators/`, baseUrl).href },
    { kind: 'partners listing', url: new URL(`${root}partners/`, baseUrl).href },
    { kind: 'territories listing', url: new URL(`${root}territories/`, baseUrl).href },
    { kind: 'facet index', url: new URL(`${root}themes/`, baseUrl).href },
    { kind: 'not found', url: new URL('/404.html', baseUrl).href },
    { kind: 'practice (other language)', url: found.translatedPractice, missing: 'no link to the practice in another language in its language switcher' },
    {
      kind: 'search results',
      url: searchWord ? `${new URL(`${root}search/`, baseUrl).href}?q=${encodeURIComponent(searchWord)}` : null,
      missing: `no practice title on ${root}practices/ to search for`,
      ready: '#search-results .search-result mark',
    },
  ];
}

// ---------------------------------------------------------------------------
// Search: the search page (/<lang>/search/) and its script, as a reader uses
// them
// ---------------------------------------------------------------------------

// Installed in every page of a search context before its scripts: records
// when the address last changed (pushState, replaceState, popstate), when the
// live region #search-status was last written and when anything in the page
// last changed, and counts the fetches in flight. The results on screen
// answer the address shown once the status was written after the address
// changed, no fetch is in flight and nothing changed for a while.
function searchProbe() {
  const probe = { urlAt: -1, statusAt: -1, changedAt: 0, inflight: 0 };
  Object.defineProperty(window, '__limesSearchProbe', { value: probe });
  const now = () => performance.now();
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name];
    history[name] = function (...args) {
      probe.urlAt = now();
      return original.apply(this, args);
    };
  }
  addEventListener('popstate', () => { probe.urlAt = now(); }, true);
  const originalFetch = window.fetch;
  window.fetch = function (...args) {
    probe.inflight += 1;
    probe.changedAt = now();
    return originalFetch.apply(this, args).finally(() => {
      probe.inflight -= 1;
      probe.changedAt = now();
    });
  };
  new MutationObserver((records) => {
    probe.changedAt = now();
    for (const record of records) {
      const el = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      if (el?.closest('#search-status')) probe.statusAt = now();
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

// A browser context for the search checks: the probe in every page, and no
// request to another host.
async function searchContext(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
  await context.addInitScript(searchProbe);
  await context.route((url) => isExternal(url.href), (route) => route.abort('blockedbyclient'));
  return context;
}

// Waits until the results shown answer the address: `expect.q` is the q the
// address must hold ('' for none), `expect.search` its whole query string.
async function searchSettled(page, expect = {}) {
  try {
    await page.waitForFunction(({ q, search, quiet }) => {
      const probe = window.__limesSearchProbe;
      if (!probe || document.readyState === 'loading') return false;
      if (q !== undefined && (new URLSearchParams(location.search).get('q') ?? '') !== q) return false;
      if (search !== undefined && location.search !== search) return false;
      if (probe.statusAt < 0 || probe.statusAt < probe.urlAt || probe.inflight > 0) return false;
      return performance.now() - probe.changedAt >= quiet;
    }, { ...expect, quiet: SEARCH_QUIET_MS }, { polling: 25, timeout: SEARCH_TIMEOUT_MS });
  } catch {
    const state = await page.evaluate(() => ({
      url: location.pathname + location.search,
      status: document.getElementById('search-status')?.textContent.trim(),
    })).catch(() => ({}));
    const wanted = expect.search !== undefined ? ` (wanted ${expect.search || 'no query string'})`
      : expect.q !== undefined ? ` (wanted q=${JSON.stringify(expect.q)})` : '';
    throw new Error(`the search page did not settle within ${SEARCH_TIMEOUT_MS / 1000} s: `
      + `address ${state.url}${wanted}, status ${JSON.stringify(state.status ?? null)}`);
  }
}

// Everything a reader sees of the search page, read from the page.
function searchState(page) {
  return page.evaluate(() => {
    const form = document.getElementById('search-form');
    const config = JSON.parse(document.getElementById('search-config')?.textContent || 'null');
    const parseCount = (label) => {
      const text = label?.querySelector('[data-count]')?.textContent ?? /\(([^()]*)\)\s*$/.exec(label?.textContent ?? '')?.[1];
      const digits = text?.replace(/\D/g, '');
      return digits ? Number(digits) : null;
    };
    return {
      lang: document.documentElement.lang,
      config,
      url: location.pathname + location.search,
      historyLength: history.length,
      q: document.getElementById('search-q')?.value ?? null,
      all: document.getElementById('search-all')?.checked ?? null,
      status: document.getElementById('search-status')?.textContent.trim() ?? null,
      more: Boolean(document.getElementById('search-more') && !document.getElementById('search-more').hidden),
      results: [...document.querySelectorAll('#search-results > li')].map((li) => {
        const a = li.querySelector('h2 a[href]');
        const badge = li.querySelector('.lang-badge');
        return {
          isResult: li.classList.contains('search-result'),
          path: a ? a.pathname : null,
          title: a?.textContent ?? null,
          lang: a?.getAttribute('lang') ?? null,
          marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
          badge: badge ? { text: badge.textContent.trim(), lang: badge.getAttribute('lang') } : null,
        };
      }),
      filters: form ? [...form.querySelectorAll('input[type="checkbox"][data-filter]')].map((box) => ({
        name: box.name, value: box.value, checked: box.checked, count: parseCount(box.closest('label')),
      })) : [],
    };
  });
}

// The status a page in `lang` must show for `n` results, from the page's
// own strings (the count forms of the search configuration).
function expectedStatus(state, n) {
  const forms = state.config?.t?.count;
  if (!forms) return null;
  const form = typeof forms === 'string' ? forms
    : forms[new Intl.PluralRules(state.lang).select(n)] ?? forms.other;
  return form.replace('{n}', n.toLocaleString(state.lang));
}

// Clicks "more results" until every result is shown; returns the final state.
async function allResults(page) {
  let state = await searchState(page);
  for (let round = 0; state.more && round < 200; round += 1) {
    const before = state.results.length;
    await page.click('#search-more');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results > li').length > n,
      before, { timeout: SEARCH_TIMEOUT_MS });
    await searchSettled(page);
    state = await searchState(page);
  }
  return state;
}

// Problems of a settled state that every search must avoid: items that are
// not results, a status that does not count them.
function resultListProblems(state) {
  const problems = [];
  const notResults = state.results.filter((r) => !r.isResult || !r.path);
  if (notResults.length) problems.push(`${notResults.length} item(s) of ol#search-results are not li.search-result with an h2 > a link`);
  if (state.results.length > 0 && !state.more) {
    const wanted = expectedStatus(state, state.results.length);
    if (wanted !== null && state.status !== wanted) {
      problems.push(`#search-status says ${JSON.stringify(state.status)} for ${state.results.length} result(s); expected ${JSON.stringify(wanted)}`);
    }
  }
  return problems;
}

const pathsOf = (state) => new Set(state.results.map((r) => r.path));
const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
const listPaths = (set) => (set.size ? [...set].sort().join(', ') : '(none)');

// Opens a search page and waits for its first answer.
async function openSearch(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (response?.status() !== 200) throw new Error(`HTTP ${response?.status()} for ${show(url)}`);
  if (!(await page.locator('#search-q').count())) throw new Error(`${show(url)} has no #search-q`);
  await searchSettled(page);
}

// Types `text` into #search-q as a reader does, key by key over what it
// holds (selected first), and waits for the answer.
async function typeQuery(page, text) {
  await page.focus('#search-q');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text, { delay: SEARCH_TYPING_DELAY_MS });
  await searchSettled(page, { q: text });
}

// Checks or unchecks a filter with the mouse and waits for the answer.
async function setFilter(page, name, value, checked) {
  const box = page.locator(`#search-form input[type="checkbox"][data-filter][name="${name}"][value="${value}"]`);
  const urlBefore = page.url();
  if (checked) await box.check();
  else await box.uncheck();
  await page.waitForURL((url) => url.href !== urlBefore, { timeout: SEARCH_TIMEOUT_MS });
  await searchSettled(page);
}

// The practices a listing page lists in its <main> (following its
// .../page/N/ pages), as paths.
async function listingPractices(url, root) {
  const practice = sectionItemPattern(root, 'practices');
  const practices = new Set();
  const seen = new Set([url]);
  const queue = [url];
  while (queue.length) {
    const pageUrl = queue.shift();
    const response = await fetch(pageUrl, { redirect: 'manual' });
    if (response.status !== 200) throw new Error(`HTTP ${response.status} for the listing ${show(pageUrl)}`);
    const html = await response.text();
    const main = /<main\b[\s\S]*?<\/main>/i.exec(html)?.[0];
    if (!main) throw new Error(`${show(pageUrl)} has no <main>`);
    const pagination = new RegExp(`^${escapeRegExp(new URL(url).pathname)}page/\\d+/$`);
    for (const { tag, value } of extractReferences(main).references) {
      if (tag !== 'a') continue;
      const link = new URL(value, pageUrl);
      if (link.origin !== new URL(pageUrl).origin) continue;
      if (practice.test(link.pathname)) practices.add(link.pathname);
      else if (pagination.test(link.pathname) && !seen.has(link.href)) {
        seen.add(link.href);
        queue.push(link.href);
      }
    }
  }
  return practices;
}

// The titles of the practices a listing shows in its <main>, as text.
async function listingTitles(url, root) {
  const practice = sectionItemPattern(root, 'practices');
  const html = await (await fetch(url)).text();
  const main = /<main\b[\s\S]*?<\/main>/i.exec(html)?.[0] ?? '';
  const titles = [];
  for (const [, attributes, inner] of main.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi)) {
    const href = /\bhref="([^"]*)"/.exec(attributes)?.[1];
    if (!href || !practice.test(new URL(decodeEntities(href), url).pathname)) continue;
    const text = decodeEntities(inner.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
    if (text) titles.push(text);
  }
  return unique(titles);
}

// The longest word (letters only, four at least) of a title, in lower case:
// what a reader would type to find it.
function longestWord(title) {
  const words = title.normalize('NFC').match(/[\p{L}\p{M}]{4,}/gu) ?? [];
  return words.reduce((a, b) => (b.length > a.length ? b : a), '').toLowerCase() || null;
}

// The listing page of a filter value (theme -> /<lang>/themes/<id>/...).
const FACET_SECTIONS = { theme: 'themes', target_group: 'target-groups', country: 'countries', border: 'borders', status: 'status' };
function facetListingUrl(baseUrl, root, name, value) {
  const section = FACET_SECTIONS[name];
  return section ? new URL(`${root}${section}/${value.toLowerCase()}/`, baseUrl).href : null;
}

// The language the search checks use: French when the site has it (its
// practices mix French and fallbacks), else the walk's language.
function searchLanguageRoots(found) {
  const roots = found.languageRoots ?? [];
  const root = roots.includes('/fr/') ? '/fr/' : (found.root ?? '/en/');
  const other = found.root && found.root !== root ? found.root : roots.find((r) => r !== root) ?? null;
  return { root, other };
}

// A page watcher's problems, then forgets them.
function takeProblems(watcher, prefix) {
  const problems = watcher.problems.map((p) => `${prefix}: ${p}`);
  watcher.problems = [];
  return problems;
}

// --- search queries: the example site's own words -------------------------

// Queries a reader types on the example site, each with the practice it must
// find and the word of the example content that it stands for. `source` is
// the language of the text the word is in (the page's language unless the
// practice is shown in a fallback); `absent` a form that must not occur in
// that text (so that the query tests stemming, not an exact match); `marks`
// words of the result that must be shown in <mark>; `badge` the language
// badge the result must carry.
const EXAMPLE_QUERIES = [
  { lang: 'fr', typed: 'transfrontaliere', slug: 'prospectsaso-professional-networks', word: 'transfrontalière', marks: ['transfrontalière'], why: 'typed without its accent' },
  { lang: 'fr', typed: 'séminaire', slug: 'prospectsaso-professional-networks', word: 'séminaires', absent: 'séminaire', why: 'singular of a plural in the text (stem)' },
  { lang: 'fr', typed: 'coaching', slug: 'community-coaching-local-authorities', source: 'en', word: 'coaching', marks: ['coaching'], badge: 'en', why: 'a practice shown in its English fallback' },
  { lang: 'ro', typed: 'transnationale', slug: 'cries-social-economy-models', word: 'transnaționale', marks: ['transnaționale'], why: 'ț typed as t' },
  { lang: 'ro', typed: 'ancheta sociologica', slug: 'community-coaching-local-authorities', word: 'anchetă sociologică', why: 'two words, ă typed as a' },
  { lang: 'sl', typed: 'cezmej', slug: 'sokrog-social-activation', word: 'čezmejni', marks: ['čezmejni'], why: 'prefix, č typed as c (Slovenian has no stemmer)' },
  { lang: 'hr', typed: 'nezaposlenih', slug: 'sokrog-social-activation', word: 'nezaposlenost', absent: 'nezaposlenih', why: 'an inflected form the text does not have (stem)' },
  { lang: 'hr', typed: 'prekogranicna', slug: 'sokrog-social-activation', word: 'prekogranični', absent: 'prekogranična', marks: ['prekogranični'], why: 'another case of a title word, without its č' },
  { lang: 'hr', typed: 'siromastvo', slug: 'seenet-social-planning', source: 'sr-Latn', word: 'siromaštva', absent: 'siromaštvo', badge: 'sr-Latn', why: 'another case, without its š, in the Serbian fallback' },
  { lang: 'es', typed: 'protec', slug: 'prospectsaso-professional-networks', word: 'protección', why: 'prefix of the last word' },
  { lang: 'es', typed: 'redes transfronteriza', slug: 'prospectsaso-professional-networks', word: 'transfronteriza', marks: ['redes', 'transfronteriza'], why: 'two title words' },
  { lang: 'en', typed: 'unemployed', slug: 'sokrog-social-activation', word: 'unemployed', why: 'a word of the summary' },
  { lang: 'en', typed: 'coach', slug: 'community-coaching-local-authorities', word: 'coaching', marks: ['coaching'], why: 'prefix of the last word' },
  { lang: 'en', typed: 'solidarity economies', slug: 'cries-social-economy-models', word: 'economy', absent: 'economies', marks: ['solidarity', 'economy'], why: 'plural of a title word (stem)' },
];

// Whether LIMES_ROOT is this repository's own example site.
function isExampleSite() {
  try {
    return fs.realpathSync(LIMES_ROOT) === fs.realpathSync(REPO_ROOT);
  } catch {
    return false;
  }
}

// A whole word of `text`, compared in NFC and lower case.
function hasWord(text, word) {
  const pattern = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${escapeRegExp(word.normalize('NFC').toLowerCase())}(?![\\p{L}\\p{M}\\p{N}])`, 'u');
  return pattern.test(text.normalize('NFC').toLowerCase());
}

// What the example content must still hold for EXAMPLE_QUERIES to mean
// something: each query's page, file and word. A change of the example
// fails here, naming what is gone.
async function exampleQueryProblems(baseUrl) {
  const problems = [];
  for (const c of EXAMPLE_QUERIES) {
    const file = path.join('content', 'practices', c.slug, `index.${c.source ?? c.lang}.md`);
    const page = `/${c.lang}/practices/${c.slug}/`;
    const response = await fetch(new URL(page, baseUrl), { redirect: 'manual' }).catch(() => null);
    if (response?.status !== 200) {
      problems.push(`the example changed: ${page} answers ${response?.status ?? 'nothing'}; the search queries check looks for it (${JSON.stringify(c.typed)})`);
      continue;
    }
    await response.arrayBuffer();
    const full = path.join(REPO_ROOT, file);
    if (!fs.existsSync(full)) {
      problems.push(`the example changed: ${file} is gone; the search queries check needs it for ${JSON.stringify(c.typed)}`);
      continue;
    }
    const text = fs.readFileSync(full, 'utf8');
    if (!hasWord(text, c.word)) problems.push(`the example changed: ${file} no longer has the word ${JSON.stringify(c.word)} that ${JSON.stringify(c.typed)} stands for`);
    if (c.absent && hasWord(text, c.absent)) problems.push(`the example changed: ${file} now has ${JSON.stringify(c.absent)} itself, so ${JSON.stringify(c.typed)} no longer tests ${c.why}`);
  }
  return problems;
}

async function searchQueries(browser, baseUrl) {
  const problems = await exampleQueryProblems(baseUrl);
  const context = await searchContext(browser);
  try {
    const page = await context.newPage();
    const watcher = watchPage(page);
    for (const lang of unique(EXAMPLE_QUERIES.map((c) => c.lang))) {
      const url = new URL(`/${lang}/search/`, baseUrl).href;
      try {
        await openSearch(page, url);
      } catch (err) {
        problems.push(`${show(url)}: ${err.message}`);
        continue;
      }
      for (const c of EXAMPLE_QUERIES.filter((x) => x.lang === lang)) {
        const where = `${show(url)} typing ${JSON.stringify(c.typed)} (${c.why})`;
        try {
          await typeQuery(page, c.typed);
          const state = await allResults(page);
          const wanted = `/${lang}/practices/${c.slug}/`;
          const hit = state.results.find((r) => r.path === wanted);
          const found = listPaths(pathsOf(state));
          log(`      search: ${show(url)} ${JSON.stringify(c.typed)}: ${state.results.length} result(s)${hit ? '' : ` – no ${wanted}`}`);
          problems.push(...resultListProblems(state).map((p) => `${where}: ${p}`));
          if (!hit) {
            problems.push(`${where}: no result links to ${wanted} (the practice has ${JSON.stringify(c.word)}); results: ${found}; status ${JSON.stringify(state.status)}`);
            continue;
          }
          const marks = hit.marks.map((m) => m.normalize('NFC').toLowerCase());
          for (const mark of c.marks ?? []) {
            if (!marks.includes(mark.normalize('NFC').toLowerCase())) {
              problems.push(`${where}: the result ${wanted} does not show ${JSON.stringify(mark)} in <mark> (marked: ${JSON.stringify(hit.marks)})`);
            }
          }
          if (c.badge && hit.badge?.lang !== c.badge) {
            problems.push(`${where}: the result ${wanted}, shown in ${c.badge}, has ${hit.badge ? `a badge in ${hit.badge.lang}` : 'no .lang-badge'}`);
          }
          if (c.badge && hit.lang !== c.badge) problems.push(`${where}: the result's link has lang=${JSON.stringify(hit.lang)}, not ${c.badge}`);
        } catch (err) {
          problems.push(`${where}: ${err.message}`);
        }
        problems.push(...takeProblems(watcher, where));
      }
    }
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// --- search facets ----------------------------------------------------------

async function searchFacets(browser, baseUrl, found) {
  const { root } = searchLanguageRoots(found);
  const url = new URL(`${root}search/`, baseUrl).href;
  const problems = [];
  const context = await searchContext(browser);
  let page = null;
  try {
    page = await context.newPage();
    const watcher = watchPage(page);
    await openSearch(page, url);
    const initial = await searchState(page);
    if (initial.filters.length === 0) return [`${show(url)}: no filter (input[type=checkbox][data-filter] in #search-form)`];
    const key = (f) => `${f.name}=${f.value}`;

    // Every filter's practices, from its listing page; its count must match.
    const sets = new Map();
    const listed = await mapPool(initial.filters, CRAWL_CONCURRENCY, async (f) => {
      const listing = facetListingUrl(baseUrl, root, f.name, f.value);
      if (!listing) return { error: 'is of no known facet' };
      return listingPractices(listing, root).then((practices) => ({ practices }), (err) => ({ error: err.message }));
    });
    for (const [index, f] of initial.filters.entries()) {
      const listing = facetListingUrl(baseUrl, root, f.name, f.value);
      if (listed[index].error) {
        problems.push(`${show(url)}: filter ${key(f)}: ${listed[index].error}`);
        continue;
      }
      sets.set(key(f), listed[index].practices);
      if (f.count !== sets.get(key(f)).size) {
        problems.push(`${show(url)}: the count beside filter ${key(f)} is ${f.count}; its listing ${show(listing)} lists ${sets.get(key(f)).size}`);
      }
      if (f.checked) problems.push(`${show(url)}: filter ${key(f)} is checked on a page opened without filters`);
    }
    if (sets.size === 0) return problems;
    const totals = new Map(initial.filters.map((f) => [key(f), f.count]));
    const byName = (name) => initial.filters.filter((f) => f.name === name && sets.has(key(f)));
    const biggest = (name) => byName(name).sort((a, b) => sets.get(key(b)).size - sets.get(key(a)).size)[0];

    // 1. One filter, no query: exactly the practices of its listing. One
    //    value of each facet, the one with the most practices.
    for (const name of unique(initial.filters.map((f) => f.name))) {
      const f = biggest(name);
      if (!f) continue;
      const where = `${show(url)} with filter ${key(f)} alone`;
      await setFilter(page, f.name, f.value, true);
      const state = await allResults(page);
      const wanted = sets.get(key(f));
      log(`      search: ${where}: ${state.results.length} result(s), listing ${wanted.size}`);
      problems.push(...resultListProblems(state).map((p) => `${where}: ${p}`));
      if (!sameSet(pathsOf(state), wanted)) {
        problems.push(`${where}: results ${listPaths(pathsOf(state))}; its listing ${show(facetListingUrl(baseUrl, root, f.name, f.value))} lists ${listPaths(wanted)}`);
      }
      await setFilter(page, f.name, f.value, false);
      const cleared = await searchState(page);
      if (cleared.results.length) problems.push(`${show(url)}: ${cleared.results.length} result(s) still shown with no query and no filter`);
      problems.push(...takeProblems(watcher, where));
    }

    // 2. Two values of one facet are OR; two facets are AND. Values whose
    //    sets overlap only in part are preferred, so that OR and AND differ
    //    from either value.
    const themes = byName('theme').length >= 2 ? byName('theme')
      : byName(unique(initial.filters.map((f) => f.name)).find((n) => byName(n).length >= 2));
    const setOf = (f) => sets.get(key(f));
    const partial = (a, b) => [...a].some((x) => !b.has(x)) && [...b].some((x) => !a.has(x));
    let orPair = null;
    for (const a of themes ?? []) {
      for (const b of themes) {
        if (a !== b && setOf(a).size && setOf(b).size && (!orPair || partial(setOf(a), setOf(b)))) orPair = [a, b];
        if (orPair && partial(setOf(orPair[0]), setOf(orPair[1]))) break;
      }
      if (orPair && partial(setOf(orPair[0]), setOf(orPair[1]))) break;
    }
    if (!orPair) {
      problems.push(`${show(url)}: no facet has two values with practices; OR was not tried`);
    } else {
      const [a, b] = orPair;
      const where = `${show(url)} with filters ${key(a)} and ${key(b)}`;
      await setFilter(page, a.name, a.value, true);
      await setFilter(page, b.name, b.value, true);
      const state = await allResults(page);
      const union = new Set([...setOf(a), ...setOf(b)]);
      log(`      search: ${where} (OR): ${state.results.length} result(s), expected ${union.size}`);
      problems.push(...resultListProblems(state).map((p) => `${where}: ${p}`));
      if (!sameSet(pathsOf(state), union)) {
        problems.push(`${where}: two values of one facet must give either (OR): expected ${listPaths(union)}, got ${listPaths(pathsOf(state))}`);
      }
      await setFilter(page, b.name, b.value, false);
      // AND: a value of another facet that keeps some of a's practices.
      const others = initial.filters.filter((f) => f.name !== a.name && sets.has(key(f)));
      const meet = (f) => new Set([...setOf(a)].filter((x) => setOf(f).has(x)));
      const c = others.find((f) => meet(f).size > 0 && meet(f).size < setOf(a).size && meet(f).size < setOf(f).size)
        ?? others.find((f) => meet(f).size > 0) ?? others[0];
      if (!c) {
        problems.push(`${show(url)}: no second facet; AND was not tried`);
      } else {
        const whereAnd = `${show(url)} with filters ${key(a)} and ${key(c)}`;
        await setFilter(page, c.name, c.value, true);
        const both = await allResults(page);
        const wanted = meet(c);
        log(`      search: ${whereAnd} (AND): ${both.results.length} result(s), expected ${wanted.size}`);
        if (wanted.size) problems.push(...resultListProblems(both).map((p) => `${whereAnd}: ${p}`));
        if (!sameSet(pathsOf(both), wanted)) {
          problems.push(`${whereAnd}: two facets must give both (AND): expected ${listPaths(wanted)}, got ${listPaths(pathsOf(both))}`);
        }
        await setFilter(page, c.name, c.value, false);
      }
      await setFilter(page, a.name, a.value, false);
      problems.push(...takeProblems(watcher, where));
    }

    // 3. A query changes the counts beside the filters: each becomes the
    //    number of results of the query with that filter. The word is the
    //    longest of a practice title, the first that some practices lack.
    const titles = await listingTitles(new URL(`${root}practices/`, baseUrl).href, root);
    const allPractices = await listingPractices(new URL(`${root}practices/`, baseUrl).href, root);
    let query = null;
    let withQuery = null;
    for (const word of unique(titles.map(longestWord).filter(Boolean)).slice(0, 5)) {
      await typeQuery(page, word);
      const state = await allResults(page);
      if (state.results.length > 0 && state.results.length < allPractices.size) {
        query = word;
        withQuery = state;
        break;
      }
    }
    if (!query) {
      problems.push(`${show(url)}: no title word found some but not all practices; counts with a query were not checked`);
    } else {
      const where = `${show(url)} with q=${JSON.stringify(query)}`;
      const changed = withQuery.filters.filter((f) => f.count !== totals.get(key(f)));
      log(`      search: ${where}: ${withQuery.results.length} result(s), ${changed.length} of ${withQuery.filters.length} counts changed`);
      if (changed.length === 0) problems.push(`${where}: no count beside the filters changed (${withQuery.results.length} of ${allPractices.size} practices match)`);
      // Two filters to try: one whose count changed and one with results.
      const tried = unique([changed.find((f) => f.count > 0) ?? changed[0], withQuery.filters.find((f) => f.count > 0)].filter(Boolean));
      for (const f of tried) {
        await setFilter(page, f.name, f.value, true);
        const state = await allResults(page);
        if (state.results.length !== f.count) {
          problems.push(`${where}: the count beside ${key(f)} was ${f.count}, but checking it shows ${state.results.length} result(s)`);
        }
        await setFilter(page, f.name, f.value, false);
      }
      // Emptying the query brings the counts of all practices back.
      const input = page.locator('#search-q');
      await input.fill('');
      await searchSettled(page, { q: '' });
      const after = await searchState(page);
      const stale = after.filters.filter((f) => f.count !== totals.get(key(f)));
      if (stale.length) {
        problems.push(`${show(url)}: after emptying the query q=${JSON.stringify(query)}, ${stale.length} count(s) beside the filters still differ from those of all practices, e.g. `
          + stale.slice(0, 3).map((f) => `${key(f)} shows ${f.count}, not ${totals.get(key(f))}`).join('; '));
      }
      problems.push(...takeProblems(watcher, where));
    }
  } catch (err) {
    problems.push(`stopped at ${page ? show(page.url()) : 'the start'}: ${err.message}`);
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// --- search url ---------------------------------------------------------------

async function searchUrlState(browser, baseUrl, found) {
  const { root, other } = searchLanguageRoots(found);
  const url = new URL(`${root}search/`, baseUrl).href;
  const problems = [];
  const context = await searchContext(browser);
  let page = null;
  try {
    page = await context.newPage();
    const watcher = watchPage(page);
    const titles = await listingTitles(new URL(`${root}practices/`, baseUrl).href, root);
    const word = longestWord(titles[0] ?? '');
    if (!word) return [`${show(root)}practices/ lists no practice title to search for`];

    // 1. Typing replaces the address (?q=), without a history entry per key.
    await openSearch(page, url);
    const start = await searchState(page);
    await typeQuery(page, word);
    const typed = await allResults(page);
    const where = `${show(url)} typing ${JSON.stringify(word)}`;
    if (new URL(page.url()).searchParams.get('q') !== word) problems.push(`${where}: the address is ${show(page.url())}, not ?q=${word}`);
    if (typed.historyLength !== start.historyLength) {
      problems.push(`${where}: typing added ${typed.historyLength - start.historyLength} history entries (replaceState expected)`);
    }
    if (typed.results.length === 0) problems.push(`${where}: no result for a word of the title ${JSON.stringify(titles[0])}`);
    problems.push(...resultListProblems(typed).map((p) => `${where}: ${p}`));

    // 2. A filter is a new history entry; Back restores the query's results.
    //    The filter chosen is one that changes the results, if any does.
    const R1 = pathsOf(typed);
    const filter = typed.filters.find((f) => f.count > 0 && f.count < R1.size)
      ?? typed.filters.find((f) => f.count > 0) ?? typed.filters[0];
    if (!filter) return [...problems, `${show(url)}: no filter (input[type=checkbox][data-filter] in #search-form)`];
    await setFilter(page, filter.name, filter.value, true);
    const filtered = await allResults(page);
    const filterWhere = `${where}, then checking ${filter.name}=${filter.value}`;
    const params = new URL(page.url()).searchParams;
    if (params.get('q') !== word || !params.getAll(filter.name).includes(filter.value)) {
      problems.push(`${filterWhere}: the address is ${show(page.url())}`);
    }
    if (filtered.historyLength !== typed.historyLength + 1) {
      problems.push(`${filterWhere}: history grew by ${filtered.historyLength - typed.historyLength}, expected one entry (pushState)`);
    }
    const R2 = pathsOf(filtered);
    const typedUrl = typed.url;
    const backWhere = `${filterWhere}, then Back`;
    await page.goBack();
    if (new URL(page.url()).pathname !== new URL(url).pathname) {
      return [...problems, `${backWhere}: Back left the search page for ${page.url()}`];
    }
    await searchSettled(page, { search: new URL(typedUrl, baseUrl).search });
    const back = await allResults(page);
    if (back.url !== typedUrl) problems.push(`${backWhere}: the address is ${back.url}, expected ${typedUrl}`);
    if (back.q !== word) problems.push(`${backWhere}: the search box holds ${JSON.stringify(back.q)}, expected ${JSON.stringify(word)}`);
    if (back.filters.some((f) => f.checked)) problems.push(`${backWhere}: filters still checked: ${back.filters.filter((f) => f.checked).map((f) => `${f.name}=${f.value}`).join(', ')}`);
    if (!sameSet(pathsOf(back), R1)) problems.push(`${backWhere}: results ${listPaths(pathsOf(back))}, expected those before the filter: ${listPaths(R1)}`);
    problems.push(...takeProblems(watcher, where));

    // 3. An address with q and a filter, opened afresh, fills the form and
    //    shows the same results.
    const direct = new URL(url);
    direct.searchParams.set('q', word);
    direct.searchParams.append(filter.name, filter.value);
    const fresh = await context.newPage();
    const freshWatcher = watchPage(fresh);
    await openSearch(fresh, direct.href);
    const loaded = await allResults(fresh);
    const loadWhere = `opening ${show(direct.href)}`;
    if (loaded.q !== word) problems.push(`${loadWhere}: the search box holds ${JSON.stringify(loaded.q)}`);
    const checked = loaded.filters.filter((f) => f.checked).map((f) => `${f.name}=${f.value}`);
    if (checked.join() !== `${filter.name}=${filter.value}`) problems.push(`${loadWhere}: checked filters are ${checked.join(', ') || '(none)'}, expected ${filter.name}=${filter.value}`);
    if (!sameSet(pathsOf(loaded), R2)) problems.push(`${loadWhere}: results ${listPaths(pathsOf(loaded))}, expected those of the same search typed: ${listPaths(R2)}`);
    problems.push(...resultListProblems(loaded).map((p) => `${loadWhere}: ${p}`));
    problems.push(...takeProblems(freshWatcher, loadWhere));
    await fresh.close();

    // 4. lang=all: results in other languages carry a language badge, and
    //    their link and badge say which language. The word is from a title
    //    in another language of the site.
    if (!other) {
      log('      search: one language only; lang=all not tried');
    } else {
      const otherTitles = await listingTitles(new URL(`${other}practices/`, baseUrl).href, other);
      const otherWord = longestWord(otherTitles[0] ?? '');
      const everywhere = new URL(url);
      everywhere.searchParams.set('q', otherWord ?? '');
      everywhere.searchParams.set('lang', 'all');
      const allWhere = `opening ${show(everywhere.href)}`;
      await openSearch(page, everywhere.href);
      const all = await allResults(page);
      const lang = root.slice(1, -1);
      const badged = all.results.filter((r) => r.badge);
      log(`      search: ${allWhere}: ${all.results.length} result(s), ${badged.length} with a language badge`);
      if (!all.all) problems.push(`${allWhere}: the "all languages" box (#search-all) is not checked`);
      if (badged.length === 0) problems.push(`${allWhere}: no result has a .lang-badge (results: ${listPaths(pathsOf(all))})`);
      for (const r of all.results) {
        const shownIn = r.path.split('/')[1];
        if (shownIn === lang && !r.badge) continue;
        if (!r.badge) problems.push(`${allWhere}: ${r.path} is in ${shownIn} but has no .lang-badge`);
        else if (r.badge.lang !== shownIn || r.lang !== shownIn) problems.push(`${allWhere}: ${r.path}: badge lang=${r.badge.lang}, link lang=${r.lang}, expected ${shownIn}`);
        else if (all.config?.names?.[shownIn] && r.badge.text !== all.config.names[shownIn]) problems.push(`${allWhere}: ${r.path}: badge says ${JSON.stringify(r.badge.text)}, expected ${JSON.stringify(all.config.names[shownIn])}`);
      }
      problems.push(...takeProblems(watcher, allWhere));
    }
  } catch (err) {
    problems.push(`stopped at ${page ? show(page.url()) : 'the start'}: ${err.message}`);
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// --- search without javascript ----------------------------------------------

async function searchWithoutJavaScript(browser, baseUrl, found) {
  const { root } = searchLanguageRoots(found);
  const url = new URL(`${root}search/`, baseUrl).href;
  const problems = [];
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
  await context.route((u) => isExternal(u.href), (route) => route.abort('blockedbyclient'));
  let page = null;
  try {
    page = await context.newPage();
    const watcher = watchPage(page);
    await page.goto(url, { waitUntil: 'load' });
    // 1. The <noscript> text and its links to the listings are shown.
    const text = page.locator('main noscript p');
    if (!(await text.count())) problems.push(`${show(url)} without JavaScript: no <noscript> with a <p> in <main>`);
    else if (!(await text.first().isVisible()) || !(await text.first().innerText()).trim()) problems.push(`${show(url)} without JavaScript: the <noscript> text is not shown`);
    const links = page.locator('main noscript a[href]');
    const hrefs = [];
    for (let i = 0; i < await links.count(); i += 1) {
      const link = links.nth(i);
      const href = new URL(await link.getAttribute('href'), url).href;
      hrefs.push(href);
      if (!(await link.isVisible())) problems.push(`${show(url)} without JavaScript: the link to ${show(href)} is not shown`);
      const response = await fetch(href, { redirect: 'manual' });
      await response.arrayBuffer();
      if (response.status !== 200) problems.push(`${show(url)} without JavaScript: the link to ${show(href)} answers ${response.status}`);
    }
    const practices = new URL(`${root}practices/`, baseUrl).href;
    if (!hrefs.includes(practices)) problems.push(`${show(url)} without JavaScript: <noscript> does not link to the practices listing ${show(practices)} (links: ${hrefs.map(show).join(', ') || 'none'})`);
    const facetIndexes = Object.values(FACET_SECTIONS).map((s) => new URL(`${root}${s}/`, baseUrl).href);
    if (!hrefs.some((h) => facetIndexes.includes(h))) problems.push(`${show(url)} without JavaScript: <noscript> links to no facet index (${facetIndexes.map(show).join(', ')})`);
    log(`      search: ${show(url)} without JavaScript: <noscript> shows ${hrefs.length} link(s)`);
    problems.push(...takeProblems(watcher, `${show(url)} without JavaScript`));

    // 2. The search box of another page's header is a plain GET form that
    //    lands on the search page with ?q=.
    const titles = await listingTitles(practices, root);
    const word = longestWord(titles[0] ?? '') ?? 'test';
    await page.goto(practices, { waitUntil: 'load' });
    const box = page.locator('header form[role="search"] input[name="q"]');
    if (!(await box.count())) {
      problems.push(`${show(practices)}: no search box (form[role=search] with input[name=q]) in the header`);
    } else {
      await box.first().fill(word);
      await Promise.all([
        page.waitForURL((u) => u.pathname === new URL(url).pathname, { waitUntil: 'load' }),
        box.first().press('Enter'),
      ]);
      const landed = new URL(page.url());
      log(`      search: header box on ${show(practices)} without JavaScript -> ${show(page.url())}`);
      if (landed.searchParams.get('q') !== word) problems.push(`the header search box on ${show(practices)} led to ${show(page.url())}, expected ?q=${word}`);
      if (!(await page.locator('#search-q').count())) problems.push(`the header search box on ${show(practices)} led to ${show(page.url())}, which has no #search-q`);
    }
    problems.push(...takeProblems(watcher, `header search box on ${show(practices)} without JavaScript`));
  } catch (err) {
    problems.push(`stopped at ${page ? show(page.url()) : 'the start'}: ${err.message}`);
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// --- search markup: the hostile fixture's titles stay text -------------------

// A TOML basic string of a front matter's top level (before its first table).
function frontMatterString(text, key) {
  const front = /^\+\+\+\r?\n([\s\S]*?)\r?\n\+\+\+/.exec(text)?.[1] ?? '';
  const top = front.split(/^\s*\[/m)[0];
  const raw = new RegExp(`^\\s*${key}\\s*=\\s*("(?:[^"\\\\\\n]|\\\\.)*")\\s*$`, 'm').exec(top)?.[1];
  return raw === undefined ? null : JSON.parse(raw);
}

// In the page: the elements of #search-results that are neither the result
// list's own nor <mark> (nor the "Compare" toggle the comparison script adds
// to each result: a button.compare-toggle holding text only), and what a
// result's link and summary hold.
function resultMarkup(wanted) {
  const allowed = new Set(['li', 'h2', 'a', 'span', 'p', 'mark', 'button']);
  const li = [...document.querySelectorAll('#search-results > li')].find((x) => x.querySelector('h2 a')?.pathname === wanted);
  const outside = (el, ok) => [...el.querySelectorAll('*')].filter((x) => !ok(x)).map((x) => x.outerHTML.slice(0, 80));
  return {
    foreign: outside(document.getElementById('search-results'), (x) => allowed.has(x.localName)
      && (x.localName !== 'span' || x.classList.contains('lang-badge'))
      && (x.localName !== 'button' || (x.classList.contains('compare-toggle') && x.childElementCount === 0
        && x.parentElement?.localName === 'li'))),
    found: Boolean(li),
    title: li?.querySelector('h2 a')?.textContent ?? null,
    inTitle: li ? outside(li.querySelector('h2 a'), (x) => x.localName === 'mark') : [],
    marks: li ? [...li.querySelectorAll('h2 a mark')].map((m) => m.textContent) : [],
    h2: li ? [...li.querySelector('h2').children].map((x) => x.localName + (x.className ? `.${x.className}` : '')) : [],
    paragraphs: li ? [...li.querySelectorAll('p')].map((p) => ({ text: p.textContent, inside: outside(p, (x) => x.localName === 'mark') })) : [],
  };
}

function searchMarkup(browser) {
  return withHostileSite('escape', async ({ root, baseUrl }) => {
    const problems = [];
    // The fixture's practices and their raw titles and summaries.
    const records = [];
    const practicesDir = path.join(root, 'content', 'practices');
    for (const slug of fs.readdirSync(practicesDir)) {
      for (const file of fs.readdirSync(path.join(practicesDir, slug))) {
        const lang = /^index\.([^.]+)\.md$/.exec(file)?.[1];
        if (!lang) continue;
        const text = fs.readFileSync(path.join(practicesDir, slug, file), 'utf8');
        const title = frontMatterString(text, 'title');
        if (title) records.push({ slug, lang, file: `${slug}/${file}`, title, summary: frontMatterString(text, 'summary') });
      }
    }
    if (records.length === 0) return [`no practice with a title in ${practicesDir}`];
    const context = await searchContext(browser);
    try {
      const page = await context.newPage();
      const watcher = watchPage(page);
      let doing = '';
      page.on('dialog', (dialog) => {
        problems.push(`${dialog.type()}(${JSON.stringify(dialog.message())}) opened while ${doing}`);
        dialog.dismiss().catch(() => {});
      });
      const checkResult = async (record, where, expectBadge) => {
        const wanted = `/${record.lang}/practices/${record.slug}/`;
        const m = await page.evaluate(resultMarkup, wanted);
        for (const el of m.foreign) problems.push(`${where}: unexpected element in #search-results: ${el}`);
        if (!m.found) {
          problems.push(`${where}: no result links to ${wanted}`);
          return;
        }
        if (m.title !== record.title) problems.push(`${where}: the link reads ${JSON.stringify(m.title)}, expected the raw title ${JSON.stringify(record.title)}`);
        for (const el of m.inTitle) problems.push(`${where}: element other than <mark> in the result's link: ${el}`);
        if (m.marks.length === 0) problems.push(`${where}: no word of the title in <mark>`);
        if (record.summary && !m.paragraphs.some((p) => p.text === record.summary)) {
          problems.push(`${where}: no paragraph reads the raw summary ${JSON.stringify(record.summary)} (${JSON.stringify(m.paragraphs.map((p) => p.text))})`);
        }
        for (const p of m.paragraphs) for (const el of p.inside) problems.push(`${where}: element other than <mark> in a paragraph of the result: ${el}`);
        const h2 = m.h2.join(' ');
        if (h2 !== (expectBadge ? 'a span.lang-badge' : 'a')) problems.push(`${where}: the result's h2 holds ${h2}`);
      };
      const languages = unique(records.map((r) => r.lang));
      for (const record of records) {
        // Three words of the title, markup included (script, alert, img...).
        const words = unique((record.title.match(/\p{L}{3,}/gu) ?? []).map((w) => w.toLowerCase())).slice(0, 3);
        const url = `${baseUrl}/${record.lang}/search/`;
        const where = `hostile ${record.file}: ${show(url)} typing ${JSON.stringify(words.join(' '))}`;
        doing = where;
        try {
          await openSearch(page, url);
          await typeQuery(page, words.join(' '));
          await checkResult(record, where, false);
          // The same from another language's page, in every language.
          const other = languages.find((l) => l !== record.lang);
          if (other) {
            const everywhere = `${baseUrl}/${other}/search/?q=${encodeURIComponent(words.join(' '))}&lang=all`;
            doing = `hostile ${record.file}: opening ${show(everywhere)}`;
            await openSearch(page, everywhere);
            await checkResult(record, doing, true);
          }
        } catch (err) {
          problems.push(`${where}: ${err.message}`);
        }
        problems.push(...takeProblems(watcher, where));
      }
      log(`      search: hostile fixture: ${records.length} practice title(s) searched`);
    } finally {
      await context.close().catch(() => {});
    }
    return problems;
  });
}

// ---------------------------------------------------------------------------
// Comparison (/<lang>/compare/) and charts, on whatever the site holds
// ---------------------------------------------------------------------------

// The items of `section` that the <main> of `pageUrl` links to, in document
// order, each { url, path, id, title }: `id` is the last segment of the
// address (decoded), `title` the text of the first link to it that has text.
// An empty list when the page does not answer 200.
async function linkedItems(pageUrl, root, section) {
  const response = await fetch(pageUrl, { redirect: 'manual' });
  if (response.status !== 200) {
    await response.arrayBuffer();
    return [];
  }
  const html = await response.text();
  const main = /<main\b[\s\S]*?<\/main>/i.exec(html)?.[0] ?? '';
  const pattern = sectionItemPattern(root, section);
  const origin = new URL(pageUrl).origin;
  const items = new Map();
  for (const [, attributes, inner] of main.matchAll(/<a\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/a>/gi)) {
    const href = [...attributes.matchAll(ATTRIBUTE_PATTERN)].find((m) => m[1].toLowerCase() === 'href');
    if (!href) continue;
    let url;
    try {
      url = new URL(decodeEntities(href[2] ?? href[3] ?? href[4] ?? ''), pageUrl);
    } catch {
      continue;
    }
    if (url.origin !== origin || !pattern.test(url.pathname)) continue;
    const text = decodeEntities(inner.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
    const item = items.get(url.pathname)
      ?? { url: `${origin}${url.pathname}`, path: url.pathname, id: decodeURIComponent(url.pathname.split('/').at(-2)), title: '' };
    if (!item.title && text) item.title = text;
    items.set(url.pathname, item);
  }
  return [...items.values()];
}

// What the comparison and chart checks work on, found on the site itself:
// the practices of the first page of the practices listing (with their
// titles as the cards show them), the territories, borders and indicators of
// their listings (else of the crawl), and where the comparison page is.
async function compareDiscovery(baseUrl, found, crawled) {
  const root = found.root ?? '/en/';
  const at = (p) => new URL(`${root}${p}`, baseUrl).href;
  const fromCrawl = (section) => {
    const pattern = sectionItemPattern(root, section);
    return unique((crawled?.order ?? []).map((u) => new URL(u).pathname).filter((p) => pattern.test(p)))
      .map((p) => ({ url: new URL(p, baseUrl).href, path: p, id: decodeURIComponent(p.split('/').at(-2)), title: '' }));
  };
  const listed = async (section) => {
    const items = await linkedItems(at(`${section}/`), root, section);
    return items.length ? items : fromCrawl(section);
  };
  const [practices, territories, borders, indicators] = await Promise.all(
    ['practices', 'territories', 'borders', 'indicators'].map(listed));
  return {
    root,
    listing: at('practices/'),
    compare: at('compare/'),
    practices,
    territories,
    borders,
    indicators,
  };
}

// A browser context for the comparison checks: a fresh one each time (the
// choice lives in localStorage), nothing leaving 127.0.0.1.
async function compareContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
  await context.route((url) => isExternal(url.href), (route) => route.abort('blockedbyclient'));
  // The requests of each page still in flight, named when a comparison
  // never shows (a fetch that hangs).
  context.on('page', (page) => {
    const pending = new Set();
    IN_FLIGHT.set(page, pending);
    page.on('request', (r) => pending.add(r));
    page.on('requestfinished', (r) => pending.delete(r));
    page.on('requestfailed', (r) => pending.delete(r));
  });
  return context;
}
const IN_FLIGHT = new WeakMap();

// `{name}` placeholders filled, as the comparison script fills its strings.
const fillIn = (text, values) => String(text ?? '').replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
// Whitespace (no-break spaces included) collapsed, as text is compared here.
const squash = (text) => String(text ?? '').replace(/\s+/g, ' ').trim();
// The ids of a comparison address's parameter, in order.
const idsIn = (value) => (value ?? '').split(',').map((x) => x.trim()).filter(Boolean);
const sameIds = (a, b) => a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i].toLowerCase());
// A CSS attribute selector for data-practice="<slug>".
const practiceSelector = (slug) => `[data-practice=${JSON.stringify(slug)}]`;

// The interface strings the comparison script reads, from the page itself:
// `site` (every page: toggles, tray) and `page` (the comparison page).
function compareStrings(page) {
  return page.evaluate(() => {
    const read = (id) => {
      try {
        return JSON.parse(document.getElementById(id)?.textContent || 'null');
      } catch {
        return null;
      }
    };
    return { site: read('compare-config-site'), page: read('compare-config') };
  });
}

// In the page: the practice cards of <main> (elements with data-practice,
// not the toggles), each with its slug, its title (the text of its link to
// the practice) and its toggles.
function practiceCards() {
  const squash = (t) => (t ?? '').replace(/\s+/g, ' ').trim();
  return [...document.querySelectorAll('main [data-practice]:not(button)')].map((card) => {
    const slug = card.dataset.practice;
    const link = [...card.querySelectorAll('a[href]')].find((a) => decodeURIComponent(a.pathname).endsWith(`/practices/${slug}/`));
    const toggles = [...card.querySelectorAll('button.compare-toggle')];
    return {
      slug,
      title: squash(link?.textContent) || squash(card.dataset.title),
      toggles: toggles.map((b) => ({
        pressed: b.getAttribute('aria-pressed'),
        type: b.getAttribute('type'),
        tabIndex: b.tabIndex,
        practice: b.dataset.practice,
        name: squash(b.getAttribute('aria-label') || b.textContent),
      })),
    };
  });
}

// In the page: the tray at the foot of the page.
function trayState() {
  const tray = document.getElementById('compare-tray');
  const link = document.getElementById('compare-tray-link');
  const visible = (el) => Boolean(el && !el.closest('[hidden]') && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== 'hidden');
  let stored = null;
  try {
    stored = JSON.parse(localStorage.getItem('limes-compare') ?? 'null');
  } catch { /* shown as null */ }
  return {
    exists: Boolean(tray),
    visible: visible(tray),
    status: (document.getElementById('compare-tray-status')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    link: link ? { href: link.href, text: link.textContent.replace(/\s+/g, ' ').trim(), visible: visible(link) } : null,
    stored,
  };
}

// In the page: what the comparison shows.
function compareState() {
  const squash = (t) => (t ?? '').replace(/\s+/g, ' ').trim();
  const root = document.getElementById('compare-root');
  const table = root?.querySelector('table.compare-table');
  const headCells = table ? [...table.querySelectorAll('thead th')] : [];
  const params = new URLSearchParams(location.search);
  const download = root?.querySelector('.compare-download a[download]');
  return {
    url: location.pathname + location.search,
    path: location.pathname,
    practices: params.get('practices'),
    territories: params.get('territories'),
    history: history.length,
    status: squash(document.getElementById('compare-status')?.textContent),
    table: Boolean(table),
    firstHead: squash(headCells[0]?.textContent),
    heads: headCells.slice(1).map((th) => {
      const a = th.querySelector('a[href]');
      const button = th.querySelector('button.compare-remove');
      return {
        name: a ? squash(a.textContent) : null,
        raw: a ? a.textContent : null,
        path: a ? decodeURIComponent(a.pathname) : null,
        remove: button ? { label: squash(button.getAttribute('aria-label') || button.textContent), type: button.getAttribute('type') } : null,
      };
    }),
    rows: table ? [...table.tBodies].flatMap((body) => [...body.rows]).map((tr) => {
      const th = tr.querySelector('th');
      return {
        differs: tr.classList.contains('differs'),
        label: squash(th?.firstChild?.textContent),
        link: th?.querySelector('a[href]') ? decodeURIComponent(th.querySelector('a[href]').pathname) : null,
        note: squash(th?.querySelector('.meta')?.textContent),
        marked: squash(th?.querySelector('.differs')?.textContent),
        cells: [...tr.querySelectorAll('td')].map((td) => squash(td.textContent)),
      };
    }) : [],
    notices: [...(root?.querySelectorAll('p.notice') ?? [])].map((p) => squash(p.textContent)),
    paragraphs: [...(root?.querySelectorAll('p') ?? [])].map((p) => squash(p.textContent)),
    download: download ? { href: download.href, name: download.getAttribute('download') } : null,
  };
}

// Waits until the comparison shows `columns` columns and the address's
// `param` holds `ids` (compared without case). Throws, saying what is shown.
async function compareSettled(page, { columns, param, ids, timeout = COMPARE_TIMEOUT_MS }) {
  try {
    await page.waitForFunction(({ columns, param, ids }) => {
      const heads = document.querySelectorAll('#compare-root table.compare-table thead th').length - 1;
      if (heads !== columns) return false;
      if (!param) return true;
      const got = (new URLSearchParams(location.search).get(param) ?? '').split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
      return got.length === ids.length && got.every((x, i) => x === ids[i].toLowerCase());
    }, { columns, param, ids: ids ?? [] }, { polling: 50, timeout });
  } catch {
    const state = await page.evaluate(compareState).catch(() => null);
    const shown = state ? `address ${state.url}, ${state.table ? `${state.heads.length} column(s): ${state.heads.map((h) => JSON.stringify(h.name)).join(', ')}` : 'no table.compare-table'}`
      + `${state.notices.length ? `, notice ${JSON.stringify(state.notices.join(' '))}` : ''}, status ${JSON.stringify(state.status)}` : 'nothing readable';
    const wanted = `${columns} column(s)${param ? ` and ?${param}=${(ids ?? []).join(',')}` : ''}`;
    throw new Error(`the comparison did not show ${wanted} within ${timeout / 1000} s (${shown})`);
  }
  // The status is written just after the table.
  await sleep(COMPARE_QUIET_MS);
}

// Waits until a comparison page just opened has drawn what its address asks
// (a heading in #compare-root, table or not); returns compareState.
async function compareRendered(page) {
  const drawn = await page.waitForFunction(() => document.querySelector('#compare-root > *'), null,
    { polling: 50, timeout: COMPARE_TIMEOUT_MS }).then(() => true, () => false);
  if (!drawn) {
    const pending = [...(IN_FLIGHT.get(page) ?? [])].map((r) => show(r.url()));
    const script = await page.evaluate(() => ({
      js: !document.getElementById('compare-js')?.hidden,
      scripts: [...document.scripts].filter((x) => x.src).map((x) => new URL(x.src).pathname),
    })).catch(() => ({}));
    throw new Error(`${show(page.url())} drew nothing in #compare-root within ${COMPARE_TIMEOUT_MS / 1000} s`
      + ` (the script ${script.js ? 'ran' : 'did not unhide #compare-js'}; requests in flight: ${pending.join(', ') || 'none'})`);
  }
  await sleep(COMPARE_QUIET_MS);
  return page.evaluate(compareState);
}

// Clicks the Remove button of column `index` (0 = the first compared item).
function removeColumn(page, index) {
  return page.locator(`#compare-root table.compare-table thead th:nth-child(${index + 2}) button.compare-remove`).click();
}

// Problems of a comparison table shared by practices and territories: each
// column a link named `names[i]` with a Remove button naming it, and no
// element that the script does not make itself (content is text, never HTML).
async function compareTableProblems(page, where, names) {
  const problems = [];
  const state = await page.evaluate(compareState);
  const shown = state.heads.map((h) => h.name);
  if (shown.length !== names.length || shown.some((n, i) => n !== squash(names[i]))) {
    problems.push(`${where}: the columns are ${JSON.stringify(shown)}, expected ${JSON.stringify(names.map(squash))}`);
  }
  for (const head of state.heads) {
    if (!head.remove) problems.push(`${where}: the column ${JSON.stringify(head.name)} has no button.compare-remove`);
    else if (head.name && !head.remove.label.includes(head.name)) problems.push(`${where}: the Remove button of ${JSON.stringify(head.name)} is named ${JSON.stringify(head.remove.label)}, which does not say what it removes`);
    else if (head.remove.type !== 'button') problems.push(`${where}: the Remove button of ${JSON.stringify(head.name)} has type=${JSON.stringify(head.remove.type)}`);
  }
  // Raw titles (markup, quotes...) must be the links' text, character for character.
  for (const [i, head] of state.heads.entries()) {
    if (names[i] !== undefined && head.raw !== null && squash(head.raw) !== squash(names[i])) {
      problems.push(`${where}: column ${i + 1} reads ${JSON.stringify(head.raw)}, not the record's name ${JSON.stringify(names[i])}`);
    }
  }
  const foreign = await page.evaluate((allowed) => {
    const ok = new Set(allowed);
    const out = [];
    for (const el of document.getElementById('compare-root')?.querySelectorAll('*') ?? []) {
      const open = el.outerHTML.slice(0, el.outerHTML.indexOf('>') + 1).slice(0, 120);
      if (!ok.has(el.localName)) out.push(`element <${el.localName}> (${open})`);
      for (const { name } of el.attributes) {
        if (/^on/i.test(name) || name === 'style' || name === 'srcdoc') out.push(`attribute ${name} on ${open}`);
      }
      if (el.localName === 'a' && !['http:', 'https:', 'blob:'].includes(el.protocol)) out.push(`link to a ${el.protocol} URL: ${open}`);
      if (el.localName === 'button' && !el.classList.contains('compare-remove')) out.push(`a button that is not a Remove button: ${open}`);
    }
    return out;
  }, COMPARE_ELEMENTS);
  for (const f of foreign) problems.push(`${where}: in #compare-root, ${f} (not made by the comparison script: content inserted as HTML?)`);
  return problems;
}

// RFC 4180 CSV: records of fields (quotes doubled inside quoted fields).
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"' && field === '') { quoted = true; started = true; } else if (c === ',') { record.push(field); field = ''; started = true; } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      started = false;
    } else { field += c; started = true; }
  }
  if (started || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}

// The comparison's CSV download: a blob: link whose content (fetched inside
// the page) is a header row (the first column's heading, then the compared
// names) and one line per row of the table, each cell as the table shows it
// (a cell a spreadsheet would run as a formula prefixed with ').
async function compareCsvProblems(page, where) {
  const state = await page.evaluate(compareState);
  if (!state.download) return [`${where}: no download link (.compare-download a[download]) in #compare-root`];
  const problems = [];
  const { href, name } = state.download;
  if (!href.startsWith('blob:')) problems.push(`${where}: the download link is ${href}, not a blob: URL`);
  if (!/\.csv$/i.test(name ?? '')) problems.push(`${where}: the download is named ${JSON.stringify(name)}, not *.csv`);
  const got = await page.evaluate(async (url) => {
    try {
      const response = await fetch(url);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { type: response.headers.get('content-type'), bom: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch (err) {
      return { error: String(err) };
    }
  }, href);
  if (got.error) return [...problems, `${where}: fetching the download ${href} in the page failed: ${got.error}`];
  if (!/^text\/csv/i.test(got.type ?? '')) problems.push(`${where}: the download's type is ${JSON.stringify(got.type)}, not text/csv`);
  if (!got.bom) problems.push(`${where}: the CSV does not start with a UTF-8 byte order mark (README: "UTF-8 with a byte order mark")`);
  const records = parseCsv(got.text.replace(/^\ufeff/, ''));
  const header = [state.firstHead, ...state.heads.map((h) => h.name)];
  if (records.length !== state.rows.length + 1) {
    problems.push(`${where}: the CSV has ${records.length} record(s), expected a header and ${state.rows.length} row(s) like the table`);
  }
  const head = (records[0] ?? []).map(squash);
  if (head.length !== header.length || head.some((h, i) => h !== header[i])) {
    problems.push(`${where}: the CSV's header row is ${JSON.stringify(records[0] ?? [])}, expected ${JSON.stringify(header)}`);
  }
  const asCsv = (text) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
  let reported = 0;
  for (const [i, row] of state.rows.entries()) {
    const record = (records[i + 1] ?? []).map(squash);
    const wanted = [`${row.label}${row.note ? ` (${row.note})` : ''}`, ...row.cells.map(asCsv)];
    if ((record.length !== wanted.length || record.some((f, j) => f !== wanted[j])) && reported++ < 3) {
      problems.push(`${where}: CSV line ${i + 2} is ${JSON.stringify(records[i + 1] ?? null)}, expected the table's row ${JSON.stringify(wanted)}`);
    }
  }
  for (const [i, record] of records.entries()) {
    for (const f of record) {
      if (/^[=+\-@]/.test(f)) problems.push(`${where}: CSV line ${i + 1} has a cell a spreadsheet would run: ${JSON.stringify(f.slice(0, 60))}`);
    }
  }
  log(`      compare: ${where}: CSV ${JSON.stringify(name)} with ${records.length} record(s)`);
  return problems;
}

// A compare JSON file (/<lang>/compare/p/<slug>.json, .../t/<id>.json): 200,
// JSON, parsed; { error } otherwise.
async function compareRecord(baseUrl, disc, kind, id) {
  const url = new URL(`${disc.compare}${kind}/${encodeURIComponent(id.toLowerCase())}.json`, baseUrl).href;
  try {
    const response = await fetch(url, { redirect: 'manual' });
    const type = response.headers.get('content-type') ?? '';
    const text = await response.text();
    if (response.status !== 200) return { url, error: `${show(url)} answers ${response.status}` };
    if (!/json/i.test(type)) return { url, error: `${show(url)} is served as ${JSON.stringify(type)}` };
    return { url, record: JSON.parse(text) };
  } catch (err) {
    return { url, error: `${show(url)}: ${err.message}` };
  }
}

// --- compare practices: toggles, tray, comparison, Remove, Back, four at most ---

async function comparePractices(browser, disc) {
  const problems = [];
  const context = await compareContext(browser);
  let page = null;
  try {
    page = await context.newPage();
    const watcher = watchPage(page);
    const listing = disc.listing;
    const comparePath = new URL(disc.compare).pathname;
    await page.goto(listing, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelectorAll('main [data-practice]:not(button) button.compare-toggle').length >= 2,
      null, { timeout: COMPARE_TIMEOUT_MS }).catch(() => {});
    const strings = (await compareStrings(page)).site;
    if (!strings?.t) return [`${show(listing)}: no #compare-config-site with the comparison's strings`];
    if (strings.max !== COMPARE_MAX) problems.push(`${show(listing)}: a comparison holds ${strings.max} practices at most, expected ${COMPARE_MAX}`);
    const t = strings.t;
    const cards = await page.evaluate(practiceCards);
    log(`      compare: ${show(listing)}: ${cards.length} practice card(s), ${cards.filter((c) => c.toggles.length).length} with a toggle`);
    for (const card of cards) {
      if (card.toggles.length !== 1) problems.push(`${show(listing)}: the card of ${card.slug} has ${card.toggles.length} button.compare-toggle, expected one`);
      for (const toggle of card.toggles) {
        if (toggle.pressed !== 'false') problems.push(`${show(listing)}: the toggle of ${card.slug} has aria-pressed=${JSON.stringify(toggle.pressed)} before anything was chosen`);
        if (toggle.type !== 'button') problems.push(`${show(listing)}: the toggle of ${card.slug} has type=${JSON.stringify(toggle.type)}, not button`);
        if (toggle.tabIndex < 0) problems.push(`${show(listing)}: the toggle of ${card.slug} is not in the tab order`);
        if (toggle.practice !== card.slug) problems.push(`${show(listing)}: the toggle of ${card.slug} is for ${JSON.stringify(toggle.practice)}`);
      }
    }
    const usable = cards.filter((c) => c.toggles.length === 1 && c.title);
    if (usable.length < 2) return [...problems, `${show(listing)}: ${usable.length} practice card(s) with a titled "Compare" toggle; need two`];
    const [a, b] = usable;
    const toggle = (slug) => page.locator(`main ${practiceSelector(slug)}:not(button) button.compare-toggle`).first();
    const pressed = async (slug, want, where) => {
      const ok = await page.waitForFunction(({ sel, want }) => document.querySelector(sel)?.getAttribute('aria-pressed') === want,
        { sel: `main ${practiceSelector(slug)}:not(button) button.compare-toggle`, want }, { timeout: COMPARE_TIMEOUT_MS }).then(() => true, () => false);
      if (!ok) {
        const now = await toggle(slug).getAttribute('aria-pressed').catch(() => null);
        problems.push(`${where}: the toggle of ${slug} has aria-pressed=${JSON.stringify(now)}, expected ${JSON.stringify(want)}`);
      }
      return ok;
    };
    const trayIs = async (where, status, chosen) => {
      await sleep(COMPARE_QUIET_MS);
      const tray = await page.evaluate(trayState);
      if (!tray.exists) return problems.push(`${where}: no #compare-tray`);
      if (!tray.visible) problems.push(`${where}: #compare-tray is not shown`);
      if (status !== undefined && tray.status !== squash(status)) problems.push(`${where}: #compare-tray-status says ${JSON.stringify(tray.status)}, expected ${JSON.stringify(squash(status))}`);
      if (chosen) {
        const link = tray.link ? new URL(tray.link.href) : null;
        if (!link) problems.push(`${where}: no #compare-tray-link`);
        else {
          if (link.pathname !== comparePath || !sameIds(idsIn(link.searchParams.get('practices')), chosen)) {
            problems.push(`${where}: #compare-tray-link goes to ${show(tray.link.href)}, expected ${comparePath}?practices=${chosen.join(',')}`);
          }
          if (!tray.link.visible) problems.push(`${where}: #compare-tray-link is not shown`);
          const text = squash(fillIn(t.link, { n: chosen.length }));
          if (tray.link.text !== text) problems.push(`${where}: #compare-tray-link reads ${JSON.stringify(tray.link.text)}, expected ${JSON.stringify(text)}`);
        }
        if (!Array.isArray(tray.stored) || !sameIds(tray.stored, chosen)) problems.push(`${where}: localStorage limes-compare holds ${JSON.stringify(tray.stored)}, expected ${JSON.stringify(chosen)}`);
      }
      return tray;
    };

    // 1. The keyboard: focus and Enter on the first card, Space on the second
    //    (twice: on, off), then the mouse on the second.
    let where = `${show(listing)}: focus + Enter on the toggle of ${a.slug}`;
    await toggle(a.slug).focus();
    const focused = await page.evaluate(() => document.activeElement?.matches('button.compare-toggle') ? document.activeElement.dataset.practice : null);
    if (focused !== a.slug) problems.push(`${where}: the toggle does not take the focus (focused: ${JSON.stringify(focused)})`);
    await page.keyboard.press('Enter');
    await pressed(a.slug, 'true', where);
    await trayIs(where, t.one_more, [a.slug]);
    where = `${show(listing)}: focus + Space on the toggle of ${b.slug}`;
    await toggle(b.slug).focus();
    await page.keyboard.press('Space');
    await pressed(b.slug, 'true', where);
    await trayIs(where, fillIn(t.added, { n: 2 }), [a.slug, b.slug]);
    where = `${show(listing)}: Space again on the toggle of ${b.slug}`;
    await page.keyboard.press('Space');
    await pressed(b.slug, 'false', where);
    await trayIs(where, fillIn(t.removed, { n: 1 }), [a.slug]);
    where = `${show(listing)}: a click on the toggle of ${b.slug}`;
    await toggle(b.slug).click();
    await pressed(b.slug, 'true', where);
    await trayIs(where, fillIn(t.added, { n: 2 }), [a.slug, b.slug]);
    problems.push(...takeProblems(watcher, show(listing)));

    // 2. The tray's link leads to the comparison of both.
    where = `following #compare-tray-link from ${show(listing)}`;
    await Promise.all([
      page.waitForURL((u) => u.pathname === comparePath, { waitUntil: 'load' }),
      page.click('#compare-tray-link'),
    ]);
    await compareSettled(page, { columns: 2, param: 'practices', ids: [a.slug, b.slug] });
    problems.push(...await compareTableProblems(page, where, [a.title, b.title]));
    const compared = await page.evaluate(compareState);
    log(`      compare: ${where} -> ${compared.url}: ${compared.heads.length} column(s), ${compared.rows.length} row(s)`);
    const pageStrings = await compareStrings(page);
    const pt = { ...t, ...(pageStrings.page?.t ?? {}) };

    // 3. A reload shows the same comparison.
    where = `reloading ${compared.url}`;
    await page.reload({ waitUntil: 'load' });
    await compareSettled(page, { columns: 2, param: 'practices', ids: [a.slug, b.slug] });
    problems.push(...await compareTableProblems(page, where, [a.title, b.title]));

    // 4. Remove takes the second out: the address follows (a new history
    //    entry), and the page asks for one more.
    where = `${compared.url}: Remove on ${JSON.stringify(b.title)}`;
    const before = await page.evaluate(compareState);
    await removeColumn(page, 1);
    await compareSettled(page, { columns: 1, param: 'practices', ids: [a.slug] });
    const removed = await page.evaluate(compareState);
    if (removed.history !== before.history + 1) problems.push(`${where}: history grew by ${removed.history - before.history}, expected one entry (pushState)`);
    const removedStatus = squash(fillIn(pt.removed, { n: 1 }));
    if (removed.status !== removedStatus) problems.push(`${where}: #compare-status says ${JSON.stringify(removed.status)}, expected ${JSON.stringify(removedStatus)}`);
    if (!removed.paragraphs.includes(squash(pt.one_more))) problems.push(`${where}: no paragraph of #compare-root asks for one more (${JSON.stringify(squash(pt.one_more))}); paragraphs: ${JSON.stringify(removed.paragraphs)}`);
    problems.push(...await compareTableProblems(page, where, [a.title]));

    // 5. Back brings both back.
    where = `${removed.url}: Back`;
    await page.goBack();
    await compareSettled(page, { columns: 2, param: 'practices', ids: [a.slug, b.slug] });
    problems.push(...await compareTableProblems(page, where, [a.title, b.title]));
    problems.push(...takeProblems(watcher, 'the comparison'));

    // 6. The practice page's own toggle knows the choice.
    const practiceUrl = new URL(disc.practices.find((p) => p.id === a.slug)?.path ?? `${disc.root}practices/${a.slug}/`, disc.listing).href;
    where = `${show(practiceUrl)} after choosing ${a.slug}`;
    await page.goto(practiceUrl, { waitUntil: 'load' });
    const onPage = await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('aria-pressed') ?? false,
      `${practiceSelector(a.slug)} button.compare-toggle`, { timeout: COMPARE_TIMEOUT_MS }).then((h) => h.jsonValue(), () => null);
    if (onPage !== 'true') problems.push(`${where}: the page's own toggle for ${a.slug} has aria-pressed=${JSON.stringify(onPage)}, expected "true"`);
    await trayIs(where, undefined, [a.slug, b.slug]);
    problems.push(...takeProblems(watcher, where));

    // 7. Four at most: with four chosen, a fifth stays out and the tray says why.
    await page.goto(listing, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelectorAll('main [data-practice]:not(button) button.compare-toggle').length >= 2, null, { timeout: COMPARE_TIMEOUT_MS });
    if (usable.length <= COMPARE_MAX) {
      log(`      compare: ${show(listing)} shows ${usable.length} practice(s); a fifth beyond ${COMPARE_MAX} was not tried`);
    } else {
      const chosen = [a.slug, b.slug];
      for (const card of usable.slice(2, COMPARE_MAX)) {
        where = `${show(listing)}: a click on the toggle of ${card.slug}`;
        await toggle(card.slug).click();
        await pressed(card.slug, 'true', where);
        chosen.push(card.slug);
        await trayIs(where, fillIn(t.added, { n: chosen.length }), chosen);
      }
      const fifth = usable[COMPARE_MAX];
      where = `${show(listing)}: a click on the toggle of a fifth practice, ${fifth.slug}`;
      await toggle(fifth.slug).click();
      await sleep(COMPARE_QUIET_MS);
      const state = await toggle(fifth.slug).getAttribute('aria-pressed');
      if (state !== 'false') problems.push(`${where}: its toggle has aria-pressed=${JSON.stringify(state)}; a comparison holds ${COMPARE_MAX} at most`);
      await trayIs(where, fillIn(t.full, { n: COMPARE_MAX }), chosen);
      log(`      compare: ${show(listing)}: ${COMPARE_MAX} chosen, a fifth refused`);
    }
    // 8. Emptying the tray releases every toggle and hides it.
    where = `${show(listing)}: #compare-tray-clear`;
    if (await page.locator('#compare-tray-clear').count()) {
      await page.click('#compare-tray-clear');
      await sleep(COMPARE_QUIET_MS);
      const after = await page.evaluate(practiceCards);
      const still = after.filter((c) => c.toggles.some((x) => x.pressed !== 'false')).map((c) => c.slug);
      if (still.length) problems.push(`${where}: toggles still pressed: ${still.join(', ')}`);
      const tray = await page.evaluate(trayState);
      if (tray.visible) problems.push(`${where}: the tray is still shown`);
      if (tray.status !== squash(t.cleared)) problems.push(`${where}: #compare-tray-status says ${JSON.stringify(tray.status)}, expected ${JSON.stringify(squash(t.cleared))}`);
    }
    problems.push(...takeProblems(watcher, show(listing)));
  } catch (err) {
    problems.push(`stopped at ${page ? show(page.url()) : 'the start'}: ${err.message}`);
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// --- compare from URL: unknown ids, territories, the picker, Remove, CSV ---------

// The latest year in which every one of `records` has a value of
// `indicator`, or null; and each record's latest value.
function commonYear(records, indicator) {
  const series = records.map((r) => (r.indicators?.[indicator] ?? []).filter((o) => o.value !== null && o.value !== undefined));
  const years = series.map((s) => new Set(s.map((o) => o.year)));
  const common = [...(years[0] ?? [])].filter((y) => years.every((set) => set.has(y))).sort((x, y) => y - x)[0];
  return {
    at: common === undefined ? null : series.map((s) => s.find((o) => o.year === common)),
    latest: series.map((s) => [...s].sort((x, y) => y.year - x.year)[0] ?? null),
  };
}

async function compareFromUrl(browser, baseUrl, disc) {
  const problems = [];
  // bypassCSP: the CSV download (a blob:) is fetched inside the page, which the
  // pages' connect-src 'self' refuses; 'content security policy' checks the
  // comparison under the policy.
  const context = await compareContext(browser, { bypassCSP: true });
  let page = null;
  let watcher = null;
  try {
    page = await context.newPage();
    watcher = watchPage(page);
    // Asked for an id that does not exist, the script may meet a 404 for
    // the comparison data it would be in: expected there, and only there.
    const take = (where, unknownAsked = false) => takeProblems(watcher, where)
      .filter((p) => !(unknownAsked && /\b404\b.*\/compare\/[^\s]*\.json\b/.test(p)));

    // 0. Everything the site lists can be compared, whatever files the
    //    script reads (the crawl cannot see those): its practices four at a
    //    time, its territories many at a time. None may be "not found", and
    //    each column is named and linked as the listing names and links it.
    const everything = async (param, items, size) => {
      for (let i = 0; i < items.length; i += size) {
        const batch = items.slice(i, i + size);
        const url = `${disc.compare}?${param}=${batch.map((x) => encodeURIComponent(x.id)).join(',')}`;
        const where = `opening ${show(url)}`;
        await page.goto(url, { waitUntil: 'load' });
        const state = await compareRendered(page);
        if (state.notices.length) problems.push(`${where}: ${JSON.stringify(state.notices.join(' '))}, though every one is listed by the site`);
        const shown = state.heads.map((h) => h.path);
        const missing = batch.filter((x) => !shown.includes(decodeURIComponent(x.path)));
        if (missing.length) problems.push(`${where}: no column for ${missing.map((x) => x.id).join(', ')} (columns: ${JSON.stringify(state.heads.map((h) => h.name))})`);
        for (const [j, head] of state.heads.entries()) {
          const x = batch.find((y) => decodeURIComponent(y.path) === head.path);
          if (!x) problems.push(`${where}: column ${j + 1} links to ${head.path}, which was not asked for`);
          else if (x.title && head.name !== x.title) problems.push(`${where}: the column of ${x.id} is named ${JSON.stringify(head.name)}; the listing calls it ${JSON.stringify(x.title)}`);
        }
        problems.push(...take(where));
      }
      log(`      compare: every ${param === 'practices' ? 'practice' : 'territory'} listed (${items.length}) compared, ${size} at a time`);
    };
    await everything('practices', disc.practices, COMPARE_MAX);
    await everything('territories', disc.territories, COMPARE_TERRITORY_BATCH);
    const territoryRecords = await mapPool(disc.territories, CRAWL_CONCURRENCY, (x) => compareRecord(baseUrl, disc, 't', x.id));
    for (const [i, got] of territoryRecords.entries()) {
      if (got.error) problems.push(`the comparison data of territory ${disc.territories[i].id}: ${got.error}`);
    }

    // 1. Practices from the address, one of them unknown.
    if (disc.practices.length < 2) {
      log(`      compare: ${show(disc.listing)} lists ${disc.practices.length} practice(s); practices from the address not tried`);
    } else {
      const [a, b] = disc.practices;
      let unknown = 'no-such-practice';
      while (disc.practices.some((p) => p.id === unknown)) unknown += '-really';
      const url = `${disc.compare}?practices=${encodeURIComponent(a.id)},${encodeURIComponent(b.id)},${unknown}`;
      const where = `opening ${show(url)}`;
      await page.goto(url, { waitUntil: 'load' });
      await compareSettled(page, { columns: 2 });
      const state = await page.evaluate(compareState);
      const strings = await compareStrings(page);
      const t = { ...(strings.site?.t ?? {}), ...(strings.page?.t ?? {}) };
      log(`      compare: ${where}: ${state.heads.length} column(s), ${state.rows.length} row(s), ${state.rows.filter((r) => r.differs).length} marked as differing, notice ${JSON.stringify(state.notices.join(' '))}`);
      if (!state.notices.some((n) => n.includes(unknown))) problems.push(`${where}: no p.notice names ${unknown} (notices: ${JSON.stringify(state.notices)})`);
      for (const p of [a, b]) if (state.notices.some((n) => n.includes(p.id))) problems.push(`${where}: the notice names ${p.id}, which exists`);
      problems.push(...await compareTableProblems(page, where, [a.title, b.title]));
      if (!state.heads.every((h, i) => h.path === decodeURIComponent([a, b][i].path))) problems.push(`${where}: the columns link to ${state.heads.map((h) => h.path).join(', ')}, expected ${a.path}, ${b.path}`);
      const fields = strings.page?.fields ?? [];
      if (state.rows.length !== fields.length || state.rows.some((r, i) => r.label !== squash(fields[i].label))) {
        problems.push(`${where}: the rows are ${JSON.stringify(state.rows.map((r) => r.label))}, expected the fields ${JSON.stringify(fields.map((f) => f.label))}`);
      }
      for (const row of state.rows) {
        const differ = new Set(row.cells).size > 1;
        if (differ !== row.differs) problems.push(`${where}: the row ${JSON.stringify(row.label)} (${JSON.stringify(row.cells.map((c) => c.slice(0, 40)))}) ${row.differs ? 'is' : 'is not'} marked tr.differs`);
        const mark = String(t.aside).replace('{text}', t.differs);
        if (row.differs && row.marked !== squash(mark)) problems.push(`${where}: the row ${JSON.stringify(row.label)} is tr.differs but does not say ${JSON.stringify(mark)} (it says ${JSON.stringify(row.marked)})`);
      }
      problems.push(...await compareCsvProblems(page, `${where}, its CSV`));
      problems.push(...take(where, true));

      // More than a comparison holds: the first four shown, the others named.
      if (disc.practices.length > COMPARE_MAX) {
        const many = disc.practices.slice(0, COMPARE_MAX + 1);
        const over = `${disc.compare}?practices=${many.map((x) => encodeURIComponent(x.id)).join(',')}`;
        const whereOver = `opening ${show(over)}`;
        await page.goto(over, { waitUntil: 'load' });
        const shown = await compareRendered(page);
        const fifth = many[COMPARE_MAX];
        if (shown.heads.length !== COMPARE_MAX) problems.push(`${whereOver}: ${shown.heads.length} column(s), expected the first ${COMPARE_MAX}`);
        if (shown.heads.some((h) => h.path === decodeURIComponent(fifth.path))) problems.push(`${whereOver}: ${fifth.id}, the fifth, is shown; a comparison holds ${COMPARE_MAX}`);
        if (!shown.notices.some((n) => n.includes(fifth.id))) problems.push(`${whereOver}: no p.notice names ${fifth.id}, left out (notices: ${JSON.stringify(shown.notices)})`);
        problems.push(...take(whereOver));
      }

      // Ids in any case (README): the same practice in capitals.
      const shouted = `${disc.compare}?practices=${encodeURIComponent(a.id.toUpperCase())},${encodeURIComponent(b.id)}`;
      const whereShouted = `opening ${show(shouted)}`;
      await page.goto(shouted, { waitUntil: 'load' });
      const loud = await compareRendered(page);
      if (loud.notices.length || loud.heads.length !== 2) {
        problems.push(`${whereShouted}: ${loud.heads.length} column(s) ${JSON.stringify(loud.heads.map((h) => h.name))}${loud.notices.length ? `, notice ${JSON.stringify(loud.notices.join(' '))}` : ''}; ids are in any case, expected ${a.id} and ${b.id}`);
      }
      problems.push(...take(whereShouted));
    }

    // 2. Territories from the address (as their pages spell them: ids are
    //    in any case), the picker, Remove, CSV.
    if (disc.territories.length < 2) {
      log(`      compare: ${disc.territories.length} territory(ies) found; territories from the address not tried`);
      return problems;
    }
    const withData = disc.territories.map((x, i) => ({ ...x, record: territoryRecords[i].record }))
      .filter((x) => x.record);
    const valued = (x) => Object.values(x.record.indicators ?? {}).some((s) => s.some((o) => o.value !== null));
    const chosen = [...withData.filter(valued), ...withData.filter((x) => !valued(x))];
    if (chosen.length < 2) return [...problems, `fewer than two territories have their comparison data; territories from the address not tried`];
    const [x1, x2, x3] = chosen;
    const url = `${disc.compare}?territories=${encodeURIComponent(x1.id)},${encodeURIComponent(x2.id)}`;
    let where = `opening ${show(url)}`;
    await page.goto(url, { waitUntil: 'load' });
    await compareSettled(page, { columns: 2 });
    const strings = await compareStrings(page);
    const t = { ...(strings.site?.t ?? {}), ...(strings.page?.t ?? {}) };
    let state = await page.evaluate(compareState);
    const nameOf = (x) => x.title || x.record.name;
    problems.push(...await compareTableProblems(page, where, [nameOf(x1), nameOf(x2)]));
    // A row per indicator of the site, each with its year.
    const indicatorPaths = disc.indicators.map((i) => decodeURIComponent(i.path));
    const rowLinks = state.rows.map((r) => r.link);
    if (indicatorPaths.length && (rowLinks.length !== indicatorPaths.length || indicatorPaths.some((p) => !rowLinks.includes(p)))) {
      problems.push(`${where}: the rows link to ${JSON.stringify(rowLinks)}, expected one per indicator of ${show(new URL(`${disc.root}indicators/`, baseUrl).href)}: ${JSON.stringify(indicatorPaths)}`);
    }
    log(`      compare: ${where}: ${state.heads.length} column(s), ${state.rows.length} indicator row(s), notes ${JSON.stringify(unique(state.rows.map((r) => r.note)).slice(0, 3))}`);
    for (const row of state.rows) {
      const indicator = row.link ? row.link.split('/').at(-2) : null;
      const key = Object.keys(x1.record.indicators ?? {}).concat(Object.keys(x2.record.indicators ?? {}))
        .find((k) => k.toLowerCase() === indicator?.toLowerCase()) ?? indicator;
      const what = `${where}: the row ${JSON.stringify(row.label)}`;
      if (!row.note) problems.push(`${what} has no year note (th .meta)`);
      const { at, latest } = commonYear([x1.record, x2.record], key);
      if (at) {
        if (!row.note.includes(squash(at[0].label))) problems.push(`${what} says ${JSON.stringify(row.note)}; both have a value in ${at[0].label}, their latest common year`);
        at.forEach((o, i) => {
          if (!row.cells[i]?.includes(squash(o.text))) problems.push(`${what}, column ${i + 1}: ${JSON.stringify(row.cells[i])}, expected the value of ${at[0].label}, ${JSON.stringify(o.text)}`);
        });
      } else {
        latest.forEach((o, i) => {
          if (o && !(row.cells[i]?.includes(squash(o.text)) && row.cells[i]?.includes(squash(o.label)))) problems.push(`${what}, column ${i + 1}: ${JSON.stringify(row.cells[i])}, expected the latest value ${JSON.stringify(o.text)} with its year ${o.label} (no common year)`);
          if (!o && row.cells[i] !== squash(t.not_available)) problems.push(`${what}, column ${i + 1}: ${JSON.stringify(row.cells[i])}, expected ${JSON.stringify(t.not_available)} (no value)`);
        });
      }
    }
    problems.push(...await compareCsvProblems(page, `${where}, its CSV`));
    problems.push(...take(where));

    // The picker adds a third territory; the address follows.
    let ids = [x1.id, x2.id];
    let names = [nameOf(x1), nameOf(x2)];
    if (!x3) {
      log(`      compare: two territories only; the picker was not tried`);
    } else {
      where = `${state.url}: adding ${x3.record.name} with the picker`;
      const options = await page.$$eval('#compare-territory option', (list) => list.map((o) => ({ value: o.value, disabled: o.disabled })));
      const option = options.find((o) => o.value.toLowerCase() === String(x3.record.id ?? x3.id).toLowerCase());
      for (const x of [x1, x2]) {
        const o = options.find((y) => y.value.toLowerCase() === String(x.record.id ?? x.id).toLowerCase());
        if (o && !o.disabled) problems.push(`${where}: the picker still offers ${x.record.name}, which is compared`);
      }
      if (!option) {
        problems.push(`${where}: select#compare-territory has no option for ${x3.record.id ?? x3.id} (${options.length} options)`);
      } else {
        await page.selectOption('#compare-territory', option.value);
        await page.click('#compare-territory-form [type="submit"]');
        ids = [...ids, option.value];
        names = [...names, nameOf(x3)];
        await compareSettled(page, { columns: 3, param: 'territories', ids });
        const added = await page.evaluate(compareState);
        if (added.history !== state.history + 1) problems.push(`${where}: history grew by ${added.history - state.history}, expected one entry (pushState)`);
        const status = squash(fillIn(t.added_territory, { n: 3 }));
        if (added.status !== status) problems.push(`${where}: #compare-status says ${JSON.stringify(added.status)}, expected ${JSON.stringify(status)}`);
        problems.push(...await compareTableProblems(page, where, names));
        state = added;
      }
    }

    // Remove takes the first territory out; the address follows.
    where = `${state.url}: Remove on ${x1.record.name}`;
    const before = state;
    await removeColumn(page, 0);
    try {
      await compareSettled(page, { columns: ids.length - 1, param: 'territories', ids: ids.slice(1) });
      const after = await page.evaluate(compareState);
      if (after.history !== before.history + 1) problems.push(`${where}: history grew by ${after.history - before.history}, expected one entry (pushState)`);
      const status = squash(fillIn(t.removed_territory, { n: ids.length - 1 }));
      if (after.status !== status) problems.push(`${where}: #compare-status says ${JSON.stringify(after.status)}, expected ${JSON.stringify(status)}`);
      problems.push(...await compareTableProblems(page, where, names.slice(1)));
      log(`      compare: ${where} -> ${after.url}`);
    } catch (err) {
      const after = await page.evaluate(compareState);
      problems.push(`${where}: ${err.message}${after.history !== before.history ? `; history grew by ${after.history - before.history}` : ''}`);
    }
    problems.push(...await compareCsvProblems(page, `${where}, its CSV`));
    problems.push(...take(where));
  } catch (err) {
    problems.push(`stopped at ${page ? show(page.url()) : 'the start'}: ${err.message}`);
    if (watcher) problems.push(...takeProblems(watcher, 'before that'));
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// --- compare without javascript ------------------------------------------------

async function compareWithoutJavaScript(browser, disc) {
  const url = disc.compare;
  const problems = [];
  const context = await compareContext(browser, { javaScriptEnabled: false });
  let page = null;
  try {
    page = await context.newPage();
    const watcher = watchPage(page);
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response?.status() !== 200) problems.push(`${show(url)}: HTTP ${response?.status()}`);
    const where = `${show(url)} without JavaScript`;
    const text = page.locator('main noscript p');
    if (!(await text.count())) problems.push(`${where}: no <noscript> with a <p> in <main>`);
    else if (!(await text.first().isVisible()) || !(await text.first().innerText()).trim()) problems.push(`${where}: the <noscript> text is not shown`);
    const links = page.locator('main noscript a[href]');
    const hrefs = [];
    for (let i = 0; i < await links.count(); i += 1) {
      const link = links.nth(i);
      const href = new URL(await link.getAttribute('href'), url).href;
      hrefs.push(href);
      if (!(await link.isVisible())) problems.push(`${where}: the link to ${show(href)} is not shown`);
      const answer = await fetch(href, { redirect: 'manual' });
      await answer.arrayBuffer();
      if (answer.status !== 200) problems.push(`${where}: the link to ${show(href)} answers ${answer.status}`);
    }
    if (!hrefs.includes(disc.listing)) problems.push(`${where}: <noscript> does not link to the practices listing ${show(disc.listing)} (links: ${hrefs.map(show).join(', ') || 'none'})`);
    // What only works with the script stays out of sight.
    for (const selector of ['#compare-js', '#compare-territory-form', '#compare-tray']) {
      const el = page.locator(selector);
      if (await el.count() && await el.first().isVisible()) problems.push(`${where}: ${selector} is shown, though it needs JavaScript`);
    }
    log(`      compare: ${where}: <noscript> shows ${hrefs.length} link(s)`);
    problems.push(...takeProblems(watcher, where));
  } catch (err) {
    problems.push(`stopped at ${page ? show(page.url()) : 'the start'}: ${err.message}`);
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// --- charts at 320 px -------------------------------------------------------------

// In the page: charts that do not fit or have no accessible name, a page
// wider than the viewport, and elements wider than it outside .table-scroll.
function chartLayout() {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const describe = (el) => {
    const cls = typeof el.className === 'string' ? el.className : el.className?.baseVal ?? '';
    return `${el.localName}${el.id ? `#${el.id}` : ''}${cls ? `.${cls.trim().split(/\s+/).join('.')}` : ''}`;
  };
  const charts = [...document.querySelectorAll('svg.chart')];
  charts.forEach((svg, index) => {
    const label = `svg.chart #${index + 1}`;
    const box = svg.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) problems.push(`${label} is not drawn (${box.width}×${box.height})`);
    if (box.left < -0.5 || box.right > vw + 0.5) problems.push(`${label} spans ${Math.round(box.left)}..${Math.round(box.right)} px, outside the ${vw} px viewport`);
    if (svg.getAttribute('role') !== 'img') problems.push(`${label} has role=${JSON.stringify(svg.getAttribute('role'))}, not img`);
    const ids = (svg.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
    if (ids.length === 0) problems.push(`${label} has no aria-labelledby`);
    const parts = ids.map((id) => {
      const all = document.querySelectorAll(`[id="${CSS.escape(id)}"]`);
      if (all.length !== 1) problems.push(`${label}: aria-labelledby names ${JSON.stringify(id)}, which ${all.length ? `${all.length} elements have` : 'no element has'}`);
      const target = document.getElementById(id);
      if (target && !svg.contains(target)) problems.push(`${label}: aria-labelledby ${JSON.stringify(id)} is ${describe(target)} outside the chart (${JSON.stringify(target.textContent.trim().slice(0, 60))}), not its own <title>`);
      return target;
    });
    const first = parts[0];
    if (first && (first.localName !== 'title' || first.parentElement !== svg)) problems.push(`${label}: the first element aria-labelledby names is ${describe(first)}, not the chart's <title>`);
    const name = parts.map((p) => p?.textContent ?? '').join(' ').replace(/\s+/g, ' ').trim();
    if (!name) problems.push(`${label} has an empty accessible name`);
    // A border's chart: one series per territory, each in the legend.
    const figure = svg.closest('figure');
    const legend = figure?.querySelector('ul.legend');
    const series = svg.querySelectorAll('g.series').length;
    if (legend && legend.querySelectorAll(':scope > li').length !== series) problems.push(`${label}: ${series} g.series but ${legend.querySelectorAll(':scope > li').length} item(s) in its ul.legend`);
  });
  const scroll = document.documentElement.scrollWidth;
  if (scroll > vw + 0.5) problems.push(`the page is ${scroll} px wide in a ${vw} px viewport (horizontal scrolling)`);
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.parentElement?.closest('.table-scroll')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < -0.5 || box.right > vw + 0.5) wide.push(`${describe(el)} (${Math.round(box.left)}..${Math.round(box.right)} px)`);
  }
  if (wide.length) problems.push(`elements outside the ${vw} px viewport and not inside a .table-scroll: ${wide.slice(0, 6).join(', ')}${wide.length > 6 ? ` and ${wide.length - 6} more` : ''}`);
  return { charts: charts.length, series: charts.map((svg) => svg.querySelectorAll('g.series').length), problems };
}

// The pages of `items` whose HTML has an svg.chart, at most `limit`.
async function pagesWithCharts(items, limit) {
  const out = [];
  for (const item of items) {
    if (out.length >= limit) break;
    const response = await fetch(item.url, { redirect: 'manual' });
    const html = response.status === 200 ? await response.text() : (await response.arrayBuffer(), '');
    if (/<svg\b[^>]*\bclass="(?:[^"]*\s)?chart(?:\s[^"]*)?"/i.test(html)) out.push(item.url);
  }
  return out;
}

async function chartsNarrow(browser, targets) {
  const problems = [];
  const context = await compareContext(browser, { viewport: CHART_VIEWPORT });
  try {
    const page = await context.newPage();
    const watcher = watchPage(page);
    for (const { kind, url } of targets) {
      const where = `${kind} ${show(url)} at ${CHART_VIEWPORT.width} px`;
      try {
        const response = await page.goto(url, { waitUntil: 'load' });
        if (response?.status() !== 200) problems.push(`${where}: HTTP ${response?.status()}`);
        await settle(page);
        const layout = await page.evaluate(chartLayout);
        log(`      charts: ${where}: ${layout.charts} chart(s)${layout.series.some((n) => n > 1) ? `, series ${layout.series.join('/')}` : ''}${layout.problems.length ? ' (problems)' : ''}`);
        if (layout.charts === 0) problems.push(`${where}: no svg.chart`);
        problems.push(...layout.problems.map((p) => `${where}: ${p}`));
      } catch (err) {
        problems.push(`${where}: ${err.message}`);
      }
      problems.push(...takeProblems(watcher, where));
    }
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// --- maps at 320 px ---------------------------------------------------------------

// In the page: maps that do not fit, are not named by their own <title>, or hold a
// link or a shape without an accessible name; each map's legend; the addresses its
// links lead to.
function mapLayout() {
  const problems = [];
  const hrefs = [];
  const vw = document.documentElement.clientWidth;
  const maps = [...document.querySelectorAll('svg.map')];
  maps.forEach((svg, index) => {
    const label = `svg.map #${index + 1}`;
    const box = svg.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) problems.push(`${label} is not drawn (${box.width}×${box.height})`);
    if (box.left < -0.5 || box.right > vw + 0.5) problems.push(`${label} spans ${Math.round(box.left)}..${Math.round(box.right)} px, outside the ${vw} px viewport`);
    const ids = (svg.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
    if (ids.length === 0) problems.push(`${label} has no aria-labelledby`);
    for (const id of ids) {
      const all = document.querySelectorAll(`[id="${CSS.escape(id)}"]`);
      if (all.length !== 1) problems.push(`${label}: aria-labelledby names ${JSON.stringify(id)}, which ${all.length} element(s) have`);
      const target = document.getElementById(id);
      if (target && target.parentElement !== svg) problems.push(`${label}: aria-labelledby ${JSON.stringify(id)} is not the map's own <title> or <desc>`);
      if (target && !target.textContent.trim()) problems.push(`${label}: ${JSON.stringify(id)} is empty`);
    }
    const named = [...svg.querySelectorAll('a, g[role="img"]')];
    if (named.length === 0) problems.push(`${label} has no territory or point`);
    for (const el of named) {
      const name = (el.getAttribute('aria-label') ?? '').trim();
      const title = el.querySelector(':scope > title')?.textContent.trim() ?? '';
      if (!name) problems.push(`${label}: a ${el.localName}.${el.getAttribute('class')} without an accessible name`);
      if (name !== title) problems.push(`${label}: ${JSON.stringify(name)} is named ${JSON.stringify(title)} by its <title> (hover)`);
      if (el.localName === 'a') {
        const href = el.getAttribute('href') ?? '';
        if (!href) problems.push(`${label}: the link ${JSON.stringify(name)} has no href`);
        else hrefs.push(new URL(href, location.href).href);
      }
      const drawn = el.getBoundingClientRect();
      if (drawn.width <= 0 || drawn.height <= 0) problems.push(`${label}: ${JSON.stringify(name)} is not drawn`);
    }
    const legend = svg.closest('figure')?.querySelectorAll('ul.map-legend > li') ?? [];
    if (legend.length === 0) problems.push(`${label} has no legend (ul.map-legend in its figure)`);
    for (const li of legend) {
      if (!li.querySelector('svg.map-key')) problems.push(`${label}: the legend's ${JSON.stringify(li.textContent.trim())} has no key`);
      if (!li.textContent.trim()) problems.push(`${label}: a legend item without words`);
    }
  });
  return { maps: maps.length, hrefs, problems };
}

// The pages of `urls` whose HTML has an svg.map, at most `limit`.
async function pagesWithMaps(urls, limit) {
  const out = [];
  for (const url of urls) {
    if (out.length >= limit) break;
    const response = await fetch(url, { redirect: 'manual' });
    const html = response.status === 200 ? await response.text() : (await response.arrayBuffer(), '');
    if (/<svg\b[^>]*\bclass="map"/i.test(html)) out.push(url);
  }
  return out;
}

async function mapsNarrow(browser, targets) {
  const problems = [];
  const context = await compareContext(browser, { viewport: CHART_VIEWPORT });
  const followed = new Set();
  try {
    const page = await context.newPage();
    const watcher = watchPage(page);
    for (const { kind, url } of targets) {
      const where = `${kind} ${show(url)} at ${CHART_VIEWPORT.width} px`;
      try {
        const response = await page.goto(url, { waitUntil: 'load' });
        if (response?.status() !== 200) problems.push(`${where}: HTTP ${response?.status()}`);
        await settle(page);
        const layout = await page.evaluate(mapLayout);
        // The page as a whole: no horizontal scrolling (the chart check's measure).
        const whole = await page.evaluate(chartLayout);
        const overflow = whole.problems.filter((p) => !p.startsWith('svg.chart'));
        log(`      maps: ${where}: ${layout.maps} map(s), ${layout.hrefs.length} link(s)${layout.problems.length + overflow.length ? ' (problems)' : ''}`);
        if (layout.maps === 0) problems.push(`${where}: no svg.map`);
        problems.push(...layout.problems.map((p) => `${where}: ${p}`), ...overflow.map((p) => `${where}: ${p}`));
        // A map's link is reached by the keyboard and leads to a page.
        const first = page.locator('svg.map a').first();
        if (await first.count()) {
          await first.focus();
          const focused = await page.evaluate(() => document.activeElement?.closest('svg.map') !== null && document.activeElement?.localName === 'a');
          if (!focused) problems.push(`${where}: the map's first link cannot take the focus`);
        }
        for (const href of layout.hrefs) {
          if (followed.has(href)) continue;
          followed.add(href);
          const r = await fetch(href, { redirect: 'manual' });
          await r.arrayBuffer();
          if (r.status !== 200) problems.push(`${where}: a map links to ${show(href)}, HTTP ${r.status}`);
        }
      } catch (err) {
        problems.push(`${where}: ${err.message}`);
      }
      problems.push(...takeProblems(watcher, where));
    }
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// The comparison and chart checks, each skipped (with its reason) when the
// site has too little to compare or draw.
async function compareChecks(browser, baseUrl, disc) {
  const [a, b] = disc.practices;
  const [x1, x2] = disc.territories;
  const ids = (list) => list.map((x) => encodeURIComponent(x.id)).join(',');
  const fewPractices = `${show(disc.listing)} lists ${disc.practices.length} practice(s); comparing needs two`;
  const fewTerritories = `the site has ${disc.territories.length} territory page(s); comparing needs two`;
  const axe = [
    { kind: 'compare (nothing chosen)', url: disc.compare, ready: '#compare-territory-form' },
    { kind: 'compare practices', url: b ? `${disc.compare}?practices=${ids([a, b])}` : null, skip: !b && fewPractices, ready: '#compare-root .compare-table' },
    { kind: 'compare territories', url: x2 ? `${disc.compare}?territories=${ids([x1, x2])}` : null, skip: !x2 && fewTerritories, ready: '#compare-root .compare-table' },
    {
      kind: 'compare tray', url: disc.listing, skip: !a && `${show(disc.listing)} lists no practice`,
      ready: 'main [data-practice]:not(button) button.compare-toggle',
      // One practice chosen: the tray shows, asking for one more.
      prepare: async (page) => {
        await page.locator('main [data-practice]:not(button) button.compare-toggle').first().click();
        const shown = await page.waitForSelector('#compare-tray:not([hidden])', { state: 'visible', timeout: COMPARE_TIMEOUT_MS }).then(() => true, () => false);
        return shown ? [] : [`${show(disc.listing)}: #compare-tray is not shown after pressing a "Compare" toggle`];
      },
    },
  ];
  for (const { kind, url, ready, prepare, skip } of axe) {
    if (skip) {
      log(`SKIP  axe ${kind}: ${skip}`);
      continue;
    }
    await check(`axe ${kind} ${show(url)}`, async () => {
      // A fresh browser each time: the choice lives in localStorage.
      const context = await compareContext(browser, { bypassCSP: true });
      try {
        return await axeProblems(context, url, ready, prepare);
      } finally {
        await context.close().catch(() => {});
      }
    });
  }

  if (!b) log(`SKIP  compare practices: ${fewPractices}`);
  else await check('compare practices (toggles, tray, Remove, Back, four at most)', () => comparePractices(browser, disc));
  if (!b && !x2) log(`SKIP  compare from URL: ${fewPractices}, and ${fewTerritories}`);
  else await check('compare from URL (unknown ids, territories, picker, Remove, CSV, text)', () => compareFromUrl(browser, baseUrl, disc));
  await check('compare without javascript', () => compareWithoutJavaScript(browser, disc));

  // Charts: a territory page, the border pages and an indicator page that
  // have one.
  const [territories, borders, indicators] = await Promise.all([
    pagesWithCharts(disc.territories, 1), pagesWithCharts(disc.borders, MAX_CHART_PAGES), pagesWithCharts(disc.indicators, 1),
  ]);
  const targets = [
    ...territories.map((url) => ({ kind: 'territory', url })),
    ...borders.map((url) => ({ kind: 'border', url })),
    ...indicators.map((url) => ({ kind: 'indicator', url })),
  ];
  const none = [territories.length ? null : 'no territory page', borders.length ? null : 'no border page'].filter(Boolean);
  if (none.length === 2) {
    log(`SKIP  charts at ${CHART_VIEWPORT.width} px: ${none.join(' and ')} has an svg.chart (${disc.territories.length} territories, ${disc.borders.length} borders)`);
  } else {
    if (none.length) log(`      charts: ${none[0]} has an svg.chart; the others are checked`);
    await check(`charts at ${CHART_VIEWPORT.width} px (fit, accessible name, no overflow)`, () => chartsNarrow(browser, targets));
  }

  // Maps: the border pages, an indicator page, the partners listing and a practice
  // page that have one, at 320 px and under axe.
  const [mapBorders, mapIndicators, mapPartners, mapPractices] = await Promise.all([
    pagesWithMaps(disc.borders.map((b) => b.url), MAX_CHART_PAGES),
    pagesWithMaps(disc.indicators.map((i) => i.url), 1),
    pagesWithMaps([new URL(`${disc.root}partners/`, baseUrl).href], 1),
    pagesWithMaps(disc.practices.map((p) => p.url), 1),
  ]);
  const mapTargets = [
    ...mapBorders.map((url) => ({ kind: 'border', url })),
    ...mapIndicators.map((url) => ({ kind: 'indicator', url })),
    ...mapPartners.map((url) => ({ kind: 'partners listing', url })),
    ...mapPractices.map((url) => ({ kind: 'practice', url })),
  ];
  if (mapTargets.length === 0) {
    log(`SKIP  maps at ${CHART_VIEWPORT.width} px: no border, indicator, partners or practice page has an svg.map (the site has no shapes)`);
  } else {
    await check(`maps at ${CHART_VIEWPORT.width} px (fit, names, links, legend, no overflow)`, () => mapsNarrow(browser, mapTargets));
    for (const { kind, url } of mapTargets) {
      await check(`axe map on ${kind} ${show(url)}`, async () => {
        const context = await compareContext(browser, { bypassCSP: true });
        try {
          return await axeProblems(context, url);
        } finally {
          await context.close().catch(() => {});
        }
      });
    }
  }
}

// ---------------------------------------------------------------------------
// Content-Security-Policy: every page of the default theme carries one
// ---------------------------------------------------------------------------

// Installed in a page before any of its scripts: each violation of the page's
// policy, as the browser reports it (a refused script, style, image, request).
function cspProbe() {
  window.__limesCsp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    const where = e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : '';
    const sample = e.sample ? ` ${JSON.stringify(e.sample)}` : '';
    window.__limesCsp.push(`${e.effectiveDirective} refused ${e.blockedURI || '(inline)'}${sample}${where}`);
  });
}

// Opens `url` (waiting for `ready` when given) in a page of a context that keeps
// the pages' policy; the violations it reported, console errors about the
// policy, and a page without exactly one policy in its <head>.
async function cspPageProblems(page, url, ready) {
  const problems = [];
  const onConsole = (message) => {
    if (message.type() === 'error' && /content.security.policy/i.test(message.text())) {
      problems.push(`console error: ${message.text()}`);
    }
  };
  page.on('console', onConsole);
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response?.status() !== 200) problems.push(`HTTP ${response?.status()}`);
    if (ready) {
      const shown = await page.waitForSelector(ready, { timeout: SEARCH_TIMEOUT_MS }).then(() => true, () => false);
      if (!shown) problems.push(`no ${ready} within ${SEARCH_TIMEOUT_MS / 1000} s (did the policy stop a script?)`);
    }
    await settle(page);
    const { policies, violations } = await page.evaluate(() => ({
      policies: document.querySelectorAll('head > meta[http-equiv="Content-Security-Policy" i]').length,
      violations: window.__limesCsp ?? null,
    }));
    if (policies !== 1) problems.push(`${policies} Content-Security-Policy <meta> in <head>, expected 1`);
    if (violations === null) problems.push('the violation listener was not installed');
    for (const v of violations ?? []) problems.push(`violation: ${v}`);
  } catch (err) {
    problems.push(`stopped: ${err.message}`);
  } finally {
    page.off('console', onConsole);
  }
  return problems;
}

// The pages of the axe checks and a comparison of two practices, opened under
// their own policy (no bypassCSP): the theme's scripts run (the search shows
// results, the comparison its table) and nothing is refused.
async function contentSecurityPolicy(browser, baseUrl, found, site, searchWord) {
  const targets = axeTargets(baseUrl, found, site, searchWord).filter((t) => t.url);
  const root = found.root ?? '/en/';
  const slugs = (found.practices ?? []).slice(0, 2).map((u) => new URL(u).pathname.split('/').filter(Boolean).pop());
  if (slugs.length === 2) {
    targets.push({
      kind: 'comparison of two practices',
      url: `${new URL(`${root}compare/`, baseUrl).href}?practices=${slugs.join(',')}`,
      ready: '.compare-table',
    });
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
  await context.route((url) => isExternal(url.href), (route) => route.abort('blockedbyclient'));
  await context.addInitScript(cspProbe);
  const problems = [];
  try {
    const page = await context.newPage();
    for (const target of targets) {
      const found = await cspPageProblems(page, target.url, target.ready);
      problems.push(...found.map((p) => `${target.kind} ${show(target.url)}: ${p}`));
    }
    log(`      csp: ${targets.length} pages opened under their own policy`);
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Hostile Markdown: tests/fixtures/hostile in each safe raw_html mode
// ---------------------------------------------------------------------------

// Runs a command to its end; resolves to { code, signal, output } or { error }.
async function runCommand(bin, args) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ error, output }));
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

// Copies the fixture into `dir`/site with the repository's themes/ and i18n/
// (when the fixture has none) and sets markdown.raw_html to `mode`.
function hostileSite(dir, mode) {
  const root = path.join(dir, 'site');
  fs.cpSync(HOSTILE_FIXTURE, root, { recursive: true });
  for (const shared of ['themes', 'i18n']) {
    const target = path.join(root, shared);
    if (!fs.existsSync(target)) fs.cpSync(path.join(REPO_ROOT, shared), target, { recursive: true });
  }
  const configPath = path.join(root, 'observatory.toml');
  const config = fs.readFileSync(configPath, 'utf8');
  const pattern = /^(\s*raw_html\s*=\s*)"[^"]*"/m;
  if (!pattern.test(config)) throw new Error(`${configPath} sets no markdown.raw_html`);
  fs.writeFileSync(configPath, config.replace(pattern, `$1"${mode}"`));
  return root;
}

// Elements that never belong in Markdown output, inside <main>.
const FORBIDDEN_IN_MAIN = ['iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'base', 'form', 'meta', 'link', 'style', 'portal', 'noscript', 'template', 'svg', 'math'];

// A piece of template text as a pattern: its literal parts as they are, each
// {{ expression }}, {% tag %} or {# comment #} as anything.
function templatePattern(text) {
  const parts = text.split(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/);
  return `^${parts.map((part) => escapeRegExp(decodeEntities(part))).join('[\\s\\S]*')}$`;
}

// What the templates (the site's own templates/ and its theme's) write
// themselves: every <script> element, and every element that Markdown must
// never produce in <main> (the search page's <form> and <noscript>), as
// { tag, attributes: [[name, value pattern]], body: pattern or null }. A page
// element with the same tag, the same attribute names and values that fit is
// the template's, not an editor's. Tags whose attributes hold template logic
// outside quoted values are left out, so such elements are reported.
function templateShapes(root) {
  const config = fs.readFileSync(path.join(root, 'observatory.toml'), 'utf8');
  const theme = /^\s*theme\s*=\s*"([^"]*)"/m.exec(config)?.[1] ?? 'default';
  const tags = ['script', ...FORBIDDEN_IN_MAIN].join('|');
  const tagPattern = new RegExp(`<(${tags})\\b((?:[^>"']|"[^"]*"|'[^']*')*)>`, 'gi');
  const shapes = [];
  for (const templates of [path.join(root, 'templates'), path.join(root, 'themes', theme, 'templates')]) {
    if (!fs.existsSync(templates)) continue;
    for (const entry of fs.readdirSync(templates, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
      const text = fs.readFileSync(path.join(entry.parentPath ?? entry.path, entry.name), 'utf8');
      for (const match of text.matchAll(tagPattern)) {
        const tag = match[1].toLowerCase();
        const attributeText = match[2];
        if (/\{[{%#]/.test(attributeText.replace(/"[^"]*"|'[^']*'/g, ''))) continue;
        const attributes = [...attributeText.matchAll(ATTRIBUTE_PATTERN)].map((a) =>
          [a[1].toLowerCase(), templatePattern(a[2] ?? a[3] ?? a[4] ?? '')]);
        // An id written out in the template (no {{ }} in it), such as the
        // comparison page's form.
        const literalId = attributes.some(([name, pattern]) => name === 'id' && !pattern.includes('[\\s\\S]*') && pattern !== '^$');
        let body = null;
        if (tag === 'script') {
          const end = text.indexOf('</script>', match.index + match[0].length);
          if (end < 0) continue;
          body = templatePattern(text.slice(match.index + match[0].length, end).trim());
        }
        shapes.push({ tag, attributes, body, literalId });
      }
    }
  }
  return shapes;
}

// The address of every .html file of `dir`: index.html as its folder.
function htmlPaths(dir) {
  const paths = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const rel = path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)).split(path.sep).join('/');
    paths.push(`/${rel.replace(/(^|\/)index\.html$/, '$1')}`);
  }
  return paths.sort();
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8', '.woff2': 'font/woff2',
};

// A static file server over `dir`, as a plain web host would serve the
// output (no headers that could hide a problem). Resolves to its base URL.
async function serveStatic(dir) {
  const server = http.createServer((request, response) => {
    let file;
    try {
      file = path.join(dir, decodeURIComponent(new URL(request.url, 'http://x').pathname));
    } catch {
      response.writeHead(400).end();
      return;
    }
    if (file !== dir && !file.startsWith(dir + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, 'index.html');
    let status = 200;
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      status = 404;
      file = path.join(dir, '404.html');
    }
    const body = fs.existsSync(file) ? fs.readFileSync(file) : '';
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache' }).end(body);
  });
  server.listen(0, ALLOWED_HOST);
  await once(server, 'listening');
  return { server, baseUrl: `http://${ALLOWED_HOST}:${server.address().port}` };
}

// Everything found in the document that an editor must not be able to put
// there. Runs in the page; returns one line per problem. `shapes` are the
// elements the templates write (templateShapes); `forbidden` FORBIDDEN_IN_MAIN.
function hostileDomProblems({ shapes, forbidden }) {
  const problems = [];
  const describe = (el) => {
    const open = el.outerHTML.slice(0, el.outerHTML.indexOf('>') + 1) || `<${el.localName}>`;
    return open.length > 140 ? `${open.slice(0, 137)}...` : open;
  };
  // Attributes holding a URL, and the schemes that run or smuggle a document.
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data',
    'poster', 'background', 'cite', 'codebase', 'ping', 'manifest', 'lowsrc', 'dynsrc']);
  const scriptSchemes = /^(javascript|vbscript|livescript):/;
  const forbiddenInMain = new Set(forbidden);
  // Whether `el` is one the templates write: same tag, same attributes with
  // values that fit, and for a script the same text.
  const fromTemplate = (el, needsLiteralId = false) => shapes.some((shape) => shape.tag === el.localName
    && (!needsLiteralId || shape.literalId)
    && el.attributes.length === shape.attributes.length
    && shape.attributes.every(([name, pattern]) => el.hasAttribute(name) && new RegExp(pattern).test(el.getAttribute(name)))
    && (shape.body === null || new RegExp(shape.body).test(el.textContent.trim())));
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    const inMain = Boolean(el.closest('main'));
    for (const { name, value } of el.attributes) {
      const lower = name.toLowerCase();
      // URL parsers drop spaces and control characters, and so does this.
      const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
      if (lower.startsWith('on')) problems.push(`${describe(el)}: event handler attribute ${lower}`);
      else if (lower === 'autofocus') problems.push(`${describe(el)}: autofocus attribute`);
      else if (lower === 'srcdoc') problems.push(`${describe(el)}: srcdoc attribute`);
      else if (lower === 'style') {
        // Markdown's table alignment is a class: no style attribute at all (the
        // pages' Content-Security-Policy would refuse it anyway).
        problems.push(`${describe(el)}: style attribute`);
      } else if (urlAttributes.has(lower)) {
        const isImage = tag === 'img' && lower === 'src' && compact.startsWith('data:image/');
        if (scriptSchemes.test(compact) || (compact.startsWith('data:') && !isImage)) {
          problems.push(`${describe(el)}: ${lower} with a ${compact.split(':')[0]}: URL`);
        }
      }
    }
    if ((tag === 'a' || tag === 'area') && el.hasAttribute('href')
      && ['javascript:', 'vbscript:', 'data:'].includes(el.protocol)) {
      problems.push(`${describe(el)}: link to a ${el.protocol} URL`);
    }
    if (tag === 'script' && !fromTemplate(el)) {
      problems.push(`${describe(el)}: a script that is not the theme's: ${JSON.stringify(el.textContent.slice(0, 80))}`);
    }
    if (tag === 'base' || (tag === 'meta' && el.hasAttribute('http-equiv') && !(el.closest('head') && fromTemplate(el)))) {
      problems.push(`${describe(el)}: element that changes how the page loads`);
    } else if (inMain && forbiddenInMain.has(tag) && !el.parentElement.closest(':is(svg, math, template)')
      // limes's own charts (drawn at build time, src/render/chart.rs): an editor's
      // <svg> never gets through escape or sanitize.
      && !(tag === 'svg' && /^(chart|map)(-key)?$/.test(el.classList[0] ?? '') && !el.closest('.prose'))
      // A template's own element written straight into <main> (the search
      // form, its <noscript>); Markdown is always inside a wrapper. Deeper
      // inside <main>, only one with the template's own literal id (the
      // comparison page's territory picker, inside div#compare-js).
      && !(el.parentElement.localName === 'main' && fromTemplate(el))
      && !fromTemplate(el, true)) {
      problems.push(`${describe(el)}: <${tag}> element inside <main>`);
    }
  }
  return problems;
}

// A browser tab that reports, for the address it shows, every dialog and
// page error, with what was being done when it came.
async function hostileTab(context) {
  const page = await context.newPage();
  const tab = { page, doing: '', problems: [], interactions: 0 };
  page.on('dialog', (dialog) => {
    tab.problems.push(`${dialog.type()}(${JSON.stringify(dialog.message())}) opened while ${tab.doing}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => tab.problems.push(`page error while ${tab.doing}: ${error.message}`));
  return tab;
}

// Opens `url` in `tab`, lets its handlers fire, focuses, hovers and clicks
// every heading and link of <main>, then inspects the document.
async function hostilePageProblems(tab, url, shapes) {
  const { page } = tab;
  tab.problems = [];
  tab.doing = 'loading';
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response?.status() !== 200) tab.problems.push(`HTTP ${response?.status()}`);
    tab.doing = 'waiting after load (autofocus, onload, animations)';
    await sleep(HOSTILE_SETTLE_MS);
    // Clicks on ordinary links would leave the page: cancel those, and only
    // those, so that a javascript:/data: link still does what it would do.
    const targets = await page.evaluate(() => {
      window.addEventListener('click', (event) => {
        const a = event.target.closest?.('a[href], area[href]');
        if (a && ['http:', 'https:', 'mailto:'].includes(a.protocol)) event.preventDefault();
      }, true);
      const found = [...document.querySelectorAll('main :is(h1, h2, h3, h4, h5, h6, a[href])')];
      return found.map((el, index) => {
        const open = el.outerHTML.slice(0, el.outerHTML.indexOf('>') + 1);
        el.setAttribute('data-limes-hostile', String(index));
        return open.length > 100 ? `${open.slice(0, 97)}...` : open;
      });
    });
    for (const [index, label] of targets.entries()) {
      tab.doing = `focusing, hovering and clicking ${label}`;
      const point = await page.evaluate((i) => {
        const el = document.querySelector(`[data-limes-hostile="${i}"]`);
        if (!el) return null;
        el.scrollIntoView({ block: 'center' });
        el.focus({ preventScroll: true });
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : null;
      }, index);
      // A real mouse: it moves onto the element, then presses and releases.
      if (point) await page.mouse.click(point.x, point.y);
      tab.interactions += 1;
    }
    tab.doing = 'after the interactions';
    await sleep(50);
    if (stripHash(page.url()) !== stripHash(url)) {
      tab.problems.push(`the page went on to ${page.url()}`);
    } else {
      await page.evaluate(() => {
        for (const el of document.querySelectorAll('[data-limes-hostile]')) el.removeAttribute('data-limes-hostile');
      });
      tab.problems.push(...await page.evaluate(hostileDomProblems, { shapes, forbidden: FORBIDDEN_IN_MAIN }));
      const violations = await page.evaluate(() => window.__limesCsp ?? ['the violation listener was not installed']);
      tab.problems.push(...violations.map((v) => `Content-Security-Policy violation: ${v}`));
    }
  } catch (err) {
    tab.problems.push(`stopped while ${tab.doing}: ${err.message}`);
  }
  return unique(tab.problems);
}

// Builds tests/fixtures/hostile with raw_html = `mode` in a temporary
// folder, serves it, and runs `fn({ root, out, baseUrl })`, whose problems it
// returns; everything is removed afterwards.
async function withHostileSite(mode, fn) {
  if (!fs.existsSync(HOSTILE_FIXTURE)) return [`no fixture at ${HOSTILE_FIXTURE}`];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `limes-hostile-${mode}-`));
  let served = null;
  try {
    const root = hostileSite(dir, mode);
    const out = path.join(root, 'public');
    const build = await runCommand(LIMES_BIN, ['build', '--root', root, '--out', out]);
    if (build.error) return [`could not run ${LIMES_BIN}: ${build.error.message}`];
    if (build.code !== 0) return [`limes build exited with ${build.code ?? build.signal}:\n${build.output.trim()}`];
    served = await serveStatic(out);
    return await fn({ root, out, baseUrl: served.baseUrl });
  } finally {
    if (served) {
      served.server.closeAllConnections?.();
      served.server.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Builds tests/fixtures/hostile with raw_html = `mode` and checks every page.
function hostileMarkdown(browser, mode) {
  return withHostileSite(mode, async ({ root, out, baseUrl }) => {
    const pages = htmlPaths(out);
    if (pages.length === 0) return [`no .html file in ${out}`];
    const shapes = templateShapes(root);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      context.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
      await context.route((url) => isExternal(url.href), (route) => route.abort('blockedbyclient'));
      // The pages keep their Content-Security-Policy: a violation is reported
      // like a dialog (something an editor typed tried to run or load).
      await context.addInitScript(cspProbe);
      // The chooser sends a browser on to its language unless asked to stay.
      const urls = pages.map((p) => `${baseUrl}${p}${p === '/' ? '?choose' : ''}`);
      // A few tabs, each taking the next address when it is done with one.
      const perPage = new Array(urls.length);
      let next = 0;
      let interactions = 0;
      await Promise.all(Array.from({ length: Math.min(HOSTILE_CONCURRENCY, urls.length) }, async () => {
        const tab = await hostileTab(context);
        while (next < urls.length) {
          const index = next++;
          perPage[index] = await hostilePageProblems(tab, urls[index], shapes);
        }
        interactions += tab.interactions;
      }));
      log(`      hostile ${mode}: ${pages.length} pages opened, ${interactions} headings and links of <main> focused, hovered and clicked`);
      return urls.flatMap((url, index) => perPage[index].map((p) => `${show(url)}: ${p}`));
    } finally {
      await context.close().catch(() => {});
    }
  });
}

// ---------------------------------------------------------------------------
// HTML validation (W3C Nu HTML Checker)
// ---------------------------------------------------------------------------

function countHtmlFiles(dir) {
  let count = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) count += 1;
  }
  return count;
}

// Resolves to { files, problems } (never rejects).
async function validateHtml(dir) {
  if (!fs.existsSync(dir)) return { files: 0, problems: [`output folder ${dir} does not exist`] };
  const files = countHtmlFiles(dir);
  return { files, problems: files === 0 ? [`no .html file in ${dir}`] : await runVnu(dir) };
}

async function runVnu(dir) {
  const args = ['-jar', VNU_JAR, '--errors-only', '--format', 'gnu', '--skip-non-html', dir];
  const child = spawn(JAVA, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { output += chunk; });
  const timer = setTimeout(() => child.kill('SIGKILL'), VNU_TIMEOUT_MS);
  const outcome = await new Promise((resolve) => {
    child.on('error', (error) => resolve({ error }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  if (outcome.error) return [`could not run ${JAVA}: ${outcome.error.message}`];
  // Shorten "file:/abs/path/public/x.html" to "public/x.html".
  const prefix = `file:${dir}/`;
  const lines = output.split('\n').map((line) => line.replaceAll(prefix, `${path.basename(dir)}/`)).filter(Boolean);
  if (outcome.code === 0 && lines.length === 0) return [];
  const problems = lines.length ? lines : [`the checker failed (exit ${outcome.code ?? outcome.signal})`];
  const limit = 500;
  return problems.length > limit
    ? [...problems.slice(0, limit), `... and ${problems.length - limit} more`]
    : problems;
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

let server = null;
let browser = null;

async function cleanUp() {
  await browser?.close().catch(() => {});
  await stopServer(server);
}

// Whatever happens, never leave the server behind.
process.on('exit', () => {
  if (server && !server.exit && server.child.pid) {
    try { process.kill(-server.child.pid, 'SIGKILL'); } catch { /* gone */ }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    log(`interrupted by ${signal}`);
    await cleanUp();
    process.exit(130);
  });
}
setTimeout(async () => {
  failWithoutRunning('global timeout', `the browser checks took longer than ${GLOBAL_TIMEOUT_MS / 1000} s`);
  await cleanUp();
  printSummaryAndExit();
}, GLOBAL_TIMEOUT_MS).unref();

async function main() {
  // `limes serve` writes nothing: the HTML checker reads the files of a real build.
  if (!process.env.LIMES_PUBLIC) {
    const built = spawnSync(LIMES_BIN, ['build', '--root', LIMES_ROOT, '--out', PUBLIC_DIR], { encoding: 'utf8' });
    if (built.status !== 0) {
      failWithoutRunning('build', `limes build failed:\n${built.stderr}`);
      return;
    }
  }
  const port = await freePort();
  const baseUrl = `http://${ALLOWED_HOST}:${port}`;
  server = startServer(port);
  try {
    await waitForServer(server, `${baseUrl}/`);
  } catch (err) {
    failWithoutRunning('server start', err.message);
    return;
  }
  log(`server answers on ${baseUrl}/`);

  // 1. Dead links.
  let site = null;
  await check('dead links (crawl from /)', async () => {
    site = await crawl(`${baseUrl}/`);
    const pages = site.pageLinks.size;
    log(`      crawl: ${site.order.length} URLs, ${pages} HTML pages`);
    return deadLinkProblems(site);
  });

  // 2. HTML validation runs in the background while the browser works.
  const validation = validateHtml(PUBLIC_DIR);

  // 3. Browser checks.
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      timeout: 60_000,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync',
        // Containers often have a tiny /dev/shm; chromium then crashes.
        '--disable-dev-shm-usage',
      ],
    });
  } catch (err) {
    failWithoutRunning('chromium launch', err.message);
  }

  if (browser) {
    // These checks are about the published site: the preview's live-reload script,
    // which `limes serve` adds to every page and which keeps a connection open, is
    // left out (it has its own check, 'serve: live reload').
    const newContext = browser.newContext.bind(browser);
    browser.newContext = async (options) => {
      const context = await newContext(options);
      await context.route('**/__limes/live.js', (route) => route.fulfill({
        status: 200, contentType: 'text/javascript; charset=utf-8', body: '',
      }));
      return context;
    };
    // bypassCSP: axe-core is injected as an inline script.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(NAVIGATION_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    // Nothing may leave 127.0.0.1: block it at once (no waiting for DNS)
    // and let the page watchers report it.
    await context.route(
      (url) => isExternal(url.href),
      (route) => route.abort('blockedbyclient'),
    );

    let found = {};
    await check('walk / -> home -> practices -> practice -> partner', async () => {
      const outcome = await walk(context, baseUrl);
      found = outcome.found;
      return outcome.problems;
    });

    await check('chooser redirect: / -> browser language, once, no loop', () => chooserRedirect(browser, baseUrl));

    // A word of the first practice's title, for the search page's axe check.
    const root = found.root ?? '/en/';
    const searchWord = longestWord((await listingTitles(new URL(`${root}practices/`, baseUrl).href, root)
      .catch(() => []))[0] ?? '');
    for (const { kind, url, missing, ready } of axeTargets(baseUrl, found, site, searchWord)) {
      await check(`axe ${kind}${url ? ` ${show(url)}` : ''}`, async () => {
        if (!url) return [missing ?? `no ${kind} page found by following links`];
        return axeProblems(context, url, ready);
      });
    }
    await context.close().catch(() => {});

    // The comparison and the charts, on what the site holds: its practices,
    // territories, borders and indicators are read from its listings.
    let disc = null;
    try {
      disc = await compareDiscovery(baseUrl, found, site);
      log(`comparison: ${disc.practices.length} practice(s) on ${show(disc.listing)}, ${disc.territories.length} territories, `
        + `${disc.borders.length} border(s), ${disc.indicators.length} indicator(s)`);
    } catch (err) {
      failWithoutRunning('comparison: finding practices and territories', err?.stack ?? err);
    }
    if (disc) await compareChecks(browser, baseUrl, disc);
    await (await import('./narrow.mjs')).narrowChecks({ browser, baseUrl, check });
    await (await import('./notfound.mjs')).notFoundChecks({ browser, baseUrl, check, axeProblems });

    // Search, as a reader uses it. The queries are the example site's own.
    if (isExampleSite()) {
      await check('search queries (fr, ro, sl, hr, es, en)', () => searchQueries(browser, baseUrl));
    } else {
      log(`SKIP  search queries: LIMES_ROOT (${LIMES_ROOT}) is not this repository's example site (${path.resolve(REPO_ROOT)}); its queries know the example's words`);
    }
    await check('search facets', () => searchFacets(browser, baseUrl, found));
    await check('search url', () => searchUrlState(browser, baseUrl, found));
    await check('search without javascript', () => searchWithoutJavaScript(browser, baseUrl, found));
    await check('content security policy (no violation on the main pages)',
      () => contentSecurityPolicy(browser, baseUrl, found, site, searchWord));

    for (const mode of HOSTILE_MODES) {
      await check(`hostile markdown (${mode})`, () => hostileMarkdown(browser, mode));
    }
    await check('search markup (hostile titles stay text)', () => searchMarkup(browser));
  }

  await check('html validation (vnu)', async () => {
    const { files, problems } = await validation;
    log(`      vnu: ${files} HTML files checked in ${PUBLIC_DIR}`);
    return problems;
  });
}

try {
  await main();
} catch (err) {
  failWithoutRunning('harness', err?.stack ?? String(err));
} finally {
  await cleanUp();
}
printSummaryAndExit();
