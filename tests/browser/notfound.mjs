// The 404 pages of every language (called from run.mjs; see README.md). The crawl
// from / never reaches /<lang>/404.html (no page links it: a server shows it at a
// missing address), so the axe list of run.mjs, which checks /404.html, would leave
// them out.
//
//   * 404 /404.html – links to the home page of every language the chooser offers,
//                   each with its hreflang.
//   * 404 /<lang>/404.html – for each language of the chooser: answers 200, is in that
//                   language (<html lang>), has one <main> and one <h1>; every
//                   same-origin link and resource it has answers 200 (as the dead-link
//                   crawl asks of the pages it reaches); an address missing under
//                   /<lang>/ answers 404 with this page; axe-core finds no violation
//                   (the tags of run.mjs).
//
// Nothing here knows the example's languages: they are read from the chooser's
// `.chooser a[hreflang]` links, as narrow.mjs does.

const TIMEOUT_MS = 15_000;

// The site's languages: { code, root } from the chooser's links.
async function languages(browser, baseUrl) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(new URL('/?choose', baseUrl).href, { waitUntil: 'load', timeout: TIMEOUT_MS });
    const links = await page.$$eval('.chooser a[hreflang]', (as) => as.map((a) => ({
      code: a.getAttribute('hreflang'), root: new URL(a.href).pathname,
    })));
    const seen = new Set();
    return links.filter((l) => !seen.has(l.root) && seen.add(l.root));
  } finally {
    await context.close().catch(() => {});
  }
}

// What a page shows of itself: its language, landmarks, heading and same-origin links.
function pageFacts() {
  const attr = { a: 'href', link: 'href', img: 'src', script: 'src' };
  const refs = [];
  for (const [tag, name] of Object.entries(attr)) {
    for (const el of document.querySelectorAll(`${tag}[${name}]`)) {
      const raw = el.getAttribute(name).trim();
      if (!raw || raw.startsWith('#')) continue;
      const url = new URL(raw, document.baseURI);
      if (url.origin !== location.origin) continue;
      url.hash = '';
      refs.push(url.href);
    }
  }
  return {
    lang: document.documentElement.lang,
    mains: document.querySelectorAll('main').length,
    h1s: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
    refs: [...new Set(refs)],
  };
}

// Every URL is fetched once for all languages (their navigation links are the same
// kinds of page).
function statusOf(cache, url) {
  if (!cache.has(url)) {
    cache.set(url, fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) })
      .then(async (r) => { await r.arrayBuffer(); return String(r.status); })
      .catch((err) => `request failed (${err?.cause?.message ?? err?.message ?? err})`));
  }
  return cache.get(url);
}

async function languagePage(context, baseUrl, { code, root }, axeProblems, cache) {
  const problems = [];
  const url = new URL(`${root}404.html`, baseUrl).href;
  const page = await context.newPage();
  let facts = null;
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
    if (response?.status() !== 200) problems.push(`${root}404.html: HTTP ${response?.status()}`);
    facts = await page.evaluate(pageFacts);
    if (facts.lang !== code) problems.push(`${root}404.html: <html lang="${facts.lang}">, not ${code}`);
    if (facts.mains !== 1) problems.push(`${root}404.html: ${facts.mains} <main> elements`);
    if (facts.h1s.length !== 1 || !facts.h1s[0]) problems.push(`${root}404.html: <h1> elements ${JSON.stringify(facts.h1s)}, not one with text`);
    const statuses = await Promise.all(facts.refs.map((u) => statusOf(cache, u)));
    facts.refs.forEach((u, i) => {
      if (statuses[i] !== '200') problems.push(`${root}404.html links ${new URL(u).pathname}${new URL(u).search}: ${/^\d+$/.test(statuses[i]) ? `HTTP ${statuses[i]}` : statuses[i]}`);
    });

    // A missing address under /<lang>/ shows this page, with the status 404.
    const missing = new URL(`${root}limes-no-such-page-${process.pid}/`, baseUrl).href;
    const got = await page.goto(missing, { waitUntil: 'load', timeout: TIMEOUT_MS });
    if (got?.status() !== 404) problems.push(`${new URL(missing).pathname}: HTTP ${got?.status()}, not 404`);
    const shown = await page.evaluate(pageFacts);
    if (shown.lang !== code || shown.h1s.join() !== facts.h1s.join()) {
      problems.push(`${new URL(missing).pathname} shows <html lang="${shown.lang}"> ${JSON.stringify(shown.h1s)}, not ${root}404.html (${code}, ${JSON.stringify(facts.h1s)})`);
    }
  } catch (err) {
    problems.push(`${root}404.html: ${err.message}`);
  } finally {
    await page.close().catch(() => {});
  }
  const axe = await axeProblems(context, url);
  problems.push(...axe.map((p) => `${root}404.html: ${p}`));
  return problems;
}

async function commonPage(context, baseUrl, langs) {
  const page = await context.newPage();
  try {
    const url = new URL('/404.html', baseUrl).href;
    const response = await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
    const problems = response?.status() === 200 ? [] : [`/404.html: HTTP ${response?.status()}`];
    const links = await page.$$eval('main a[hreflang]', (as) => as.map((a) => ({
      code: a.getAttribute('hreflang'), path: new URL(a.href).pathname,
    })));
    for (const { code, root } of langs) {
      if (!links.some((l) => l.code === code && l.path === root)) problems.push(`/404.html has no link to ${root} with hreflang="${code}" (its links: ${JSON.stringify(links)})`);
    }
    return problems;
  } finally {
    await page.close().catch(() => {});
  }
}

export async function notFoundChecks({ browser, baseUrl, check, axeProblems }) {
  const langs = await languages(browser, baseUrl);
  if (langs.length === 0) {
    await check('404 pages: languages', () => ['no language link on /?choose']);
    return;
  }
  // bypassCSP: axe-core is injected as an inline script. Nothing may leave the site.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  await context.route((url) => new URL(url.href).origin !== new URL(baseUrl).origin, (route) => route.abort('blockedbyclient'));
  const cache = new Map();
  try {
    await check('404 /404.html (a link to every language)', () => commonPage(context, baseUrl, langs));
    for (const lang of langs) {
      await check(`404 ${lang.root}404.html (lang, links, served at a missing address, axe)`, () => languagePage(context, baseUrl, lang, axeProblems, cache));
    }
  } finally {
    await context.close().catch(() => {});
  }
}
