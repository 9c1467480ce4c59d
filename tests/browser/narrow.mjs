// Small screens: every kind of page at 320×640 in Chromium, in every language of
// the site (called from run.mjs; see README.md).
//
//   * narrow <lang> – each page kind (home, the listings, each facet index and
//                   one of its term pages, a practice, a partner, a free page,
//                   territories, a territory, a border page, indicators, an
//                   indicator, compare with two practices chosen, search with
//                   results, the language chooser, 404): the document is no
//                   wider than the viewport; every table is inside a focusable,
//                   labelled scroll region (tabindex=0, role=region, a name) and
//                   the first cell of each of its rows is in view, with the
//                   region scrolled to its start and to its end; the header
//                   takes less than 35% of the first screen.
//   * narrow disclosures – on the home page of each language, the language list
//                   and the menu are closed <details> at 320 px that Tab reaches
//                   and Enter and Space open and close; open, nothing overflows
//                   and Tab goes into the list; at 1280 px their summaries are
//                   hidden and the links shown.
//
// Nothing here knows the example's slugs: pages are found by following links
// (only the URL shape of the sections, as in run.mjs, is assumed).

const VIEWPORT = { width: 320, height: 640 };
const WIDE = { width: 1280, height: 900 };
const HEADER_SHARE = 0.35;
const MORE_PRACTICES = 5;
const TIMEOUT_MS = 15_000;
const SECTIONS = ['practices', 'partners', 'territories', 'themes', 'target-groups', 'countries',
  'borders', 'indicators', 'status', 'search', 'compare', 'data'];
const FACETS = ['themes', 'target-groups', 'countries', 'borders'];

// In the page: what is wrong with its layout at this width.
function layoutProblems(maxHeader) {
  const problems = [];
  const vw = window.innerWidth;
  const sw = document.scrollingElement.scrollWidth;
  if (sw > vw) problems.push(`the document is ${sw} px wide in a ${vw} px viewport`);
  const header = document.querySelector('.site-header');
  if (header) {
    const h = header.getBoundingClientRect().height;
    if (h > maxHeader) problems.push(`the header is ${Math.round(h)} px high, more than ${Math.round(maxHeader)} px`);
  }
  const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
  const name = (el) => {
    const label = el.getAttribute('aria-label')?.trim();
    if (label) return label;
    return (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
  };
  document.querySelectorAll('table').forEach((table, index) => {
    const what = `table #${index + 1}${table.caption ? ` (${JSON.stringify(table.caption.textContent.trim().slice(0, 40))})` : ''}`;
    const box = table.closest('.table-scroll');
    if (!box) {
      problems.push(`${what} is not inside a .table-scroll`);
      return;
    }
    if (box.getAttribute('tabindex') !== '0') problems.push(`${what}: its scroll box has no tabindex="0"`);
    if (box.getAttribute('role') !== 'region') problems.push(`${what}: its scroll box has no role="region"`);
    if (!name(box)) problems.push(`${what}: its scroll box has no accessible name`);
    for (const end of [false, true]) {
      box.scrollLeft = end ? (rtl ? -box.scrollWidth : box.scrollWidth) : 0;
      const frame = box.getBoundingClientRect();
      const left = Math.max(0, frame.left);
      const right = Math.min(vw, frame.right);
      for (const row of table.rows) {
        const cell = row.cells[0];
        if (!cell) continue;
        const r = cell.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.left < left - 0.5 || r.right > right + 0.5) {
          problems.push(`${what}: the first cell of row ${row.rowIndex + 1} (${JSON.stringify(cell.textContent.trim().slice(0, 30))}) spans ${Math.round(r.left)}..${Math.round(r.right)} px, outside ${Math.round(left)}..${Math.round(right)}${end ? ' once the table is scrolled to its end' : ''}`);
          break;
        }
      }
    }
    box.scrollLeft = 0;
  });
  return problems;
}

const sectionItem = (root, section) => new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${section}/(?:[^/]+/)+$`);

// The addresses of the links in `main` (or `scope`) of the page open in `page`.
async function linksOf(page, scope = 'main') {
  return page.$$eval(`${scope} a[href]:not(svg a)`, (as) => as.map((a) => a.href));
}

async function open(page, url) {
  const response = await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
  return response?.status() ?? 0;
}

// Every page kind of one language, found from its root.
async function pagesOf(page, baseUrl, root) {
  const at = (p) => new URL(`${root}${p}`, baseUrl).href;
  const origin = new URL(baseUrl).origin;
  const path = (u) => (u.startsWith(origin) ? new URL(u).pathname : null);
  const first = (links, section) => links.find((u) => sectionItem(root, section).test(path(u) ?? '')) ?? null;
  const pages = [
    { kind: 'home', url: at('') },
    { kind: 'practices listing', url: at('practices/') },
    { kind: 'partners listing', url: at('partners/') },
    { kind: 'territories', url: at('territories/') },
    { kind: 'indicators', url: at('indicators/') },
    { kind: 'search (empty)', url: at('search/') },
    { kind: 'language chooser', url: new URL('/?choose', baseUrl).href },
    { kind: '404', url: new URL('/404.html', baseUrl).href },
  ];
  const missing = [];
  const found = async (kind, listUrl, section, scope) => {
    if ((await open(page, listUrl)) !== 200) return missing.push(`${kind}: ${listUrl} does not answer 200`);
    const hit = first(await linksOf(page, scope), section);
    if (hit) pages.push({ kind, url: hit });
    else missing.push(`${kind}: no link to one on ${listUrl}`);
    return hit;
  };
  await open(page, at(''));
  const nav = await linksOf(page, '.main-nav');
  const free = nav.find((u) => {
    const p = path(u);
    return p && p.startsWith(root) && p !== root && !SECTIONS.includes(p.slice(root.length).split('/')[0]);
  });
  if (free) pages.push({ kind: 'free page', url: free });
  for (const facet of FACETS) {
    pages.push({ kind: `${facet} index`, url: at(`${facet}/`) });
    await found(`${facet} term`, at(`${facet}/`), facet);
  }
  // A few practices (their bodies may hold tables), the first one always.
  const practice = await found('practice', at('practices/'), 'practices');
  const more = (await linksOf(page)).filter((u) => sectionItem(root, 'practices').test(path(u) ?? '') && u !== practice);
  for (const url of [...new Set(more)].slice(0, MORE_PRACTICES)) pages.push({ kind: 'practice', url });
  await found('partner', at('partners/'), 'partners');
  await found('territory', at('territories/'), 'territories');
  await found('indicator', at('indicators/'), 'indicators');
  // Two practices to compare, and a word of the first one's title to search for.
  if ((await open(page, at('practices/'))) === 200) {
    const cards = await page.$$eval('main [data-practice]', (els) => els.map((e) => ({
      slug: e.getAttribute('data-practice'), title: e.querySelector('a')?.textContent ?? '',
    })));
    const slugs = [...new Set(cards.map((c) => c.slug))];
    if (slugs.length >= 2) {
      pages.push({ kind: 'compare (two practices)', url: `${at('compare/')}?practices=${slugs.slice(0, 2).map(encodeURIComponent).join(',')}`, ready: '#compare-root .compare-table' });
    } else missing.push(`compare: ${at('practices/')} lists fewer than two practices`);
    const word = (cards[0]?.title ?? '').split(/[^\p{L}\p{N}]+/u).sort((a, b) => b.length - a.length)[0];
    if (word) pages.push({ kind: 'search (results)', url: `${at('search/')}?q=${encodeURIComponent(word)}`, ready: '#search-results .search-result' });
    else missing.push(`search: no practice title on ${at('practices/')}`);
  }
  if (!practice) missing.push('practice: none listed');
  return { pages, missing };
}

async function narrowLanguage(browser, baseUrl, root) {
  const problems = [];
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.route((url) => new URL(url.href).origin !== new URL(baseUrl).origin, (route) => route.abort('blockedbyclient'));
  try {
    const page = await context.newPage();
    // A site may have no page of a kind (no border, a single practice): it is said,
    // not counted as a failure; a listing that does not answer is.
    const { pages, missing } = await pagesOf(page, baseUrl, root);
    for (const m of missing) {
      if (m.includes('does not answer')) problems.push(m);
      else console.log(`      narrow ${root}: not checked, ${m}`);
    }
    for (const { kind, url, ready, status = 200 } of pages) {
      const where = `${kind} ${new URL(url).pathname}${new URL(url).search}`;
      try {
        const got = await open(page, url);
        if (got !== status) problems.push(`${where}: HTTP ${got}`);
        if (ready) {
          const shown = await page.waitForSelector(ready, { timeout: TIMEOUT_MS }).then(() => true, () => false);
          if (!shown) problems.push(`${where}: ${ready} is not shown`);
        }
        const found = await page.evaluate(layoutProblems, VIEWPORT.height * HEADER_SHARE);
        problems.push(...found.map((p) => `${where}: ${p}`));
      } catch (err) {
        problems.push(`${where}: ${err.message}`);
      }
    }
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// Tab from the top of the page until `selector` has the focus.
async function tabTo(page, selector, most = 25) {
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return true;
  }
  return false;
}

async function disclosures(browser, baseUrl, roots) {
  const problems = [];
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    for (const root of roots) {
      const url = new URL(root, baseUrl).href;
      await open(page, url);
      for (const [what, nav] of [['languages', '.languages'], ['menu', '.main-nav']]) {
        const where = `${root} ${what}`;
        const summary = `${nav} details > summary`;
        const state = () => page.evaluate((s) => {
          const details = document.querySelector(s)?.parentElement;
          const link = details?.querySelector('a');
          return { open: details?.open ?? null, shown: !!link && link.checkVisibility(), label: document.querySelector(s)?.textContent.trim() ?? '' };
        }, summary);
        let s = await state();
        if (s.open === null) { problems.push(`${where}: no ${summary}`); continue; }
        if (!s.label) problems.push(`${where}: the summary has no text`);
        if (s.open || s.shown) problems.push(`${where}: open or its links shown when the page opens`);
        if (!(await tabTo(page, summary))) { problems.push(`${where}: Tab does not reach the summary`); continue; }
        for (const key of ['Enter', 'Enter', 'Space', 'Space']) {
          const before = (await state()).open;
          await page.keyboard.press(key);
          s = await state();
          if (s.open === before || s.shown !== s.open) problems.push(`${where}: ${key} leaves it ${s.open ? 'open' : 'closed'} (links ${s.shown ? '' : 'not '}shown)`);
        }
        await page.keyboard.press('Enter');
        const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - innerWidth);
        if (overflow > 0) problems.push(`${where}: open, the document is ${overflow} px wider than the viewport`);
        await page.keyboard.press('Tab');
        const inside = await page.evaluate((s) => !!document.activeElement?.closest(s) && document.activeElement.localName === 'a', `${nav} details ul`);
        if (!inside) problems.push(`${where}: Tab after opening does not go into its list`);
        await open(page, url);
      }
    }
    await page.setViewportSize(WIDE);
    await open(page, new URL(roots[0], baseUrl).href);
    const wide = await page.evaluate(() => [...document.querySelectorAll('.site-header details')].map((d) => ({
      summary: d.querySelector('summary').checkVisibility() ? 1 : 0,
      links: [...d.querySelectorAll('a')].filter((a) => a.checkVisibility()).length,
      all: d.querySelectorAll('a').length,
    })));
    if (wide.length !== 2) problems.push(`at ${WIDE.width} px: ${wide.length} disclosures in the header, not 2`);
    for (const [i, w] of wide.entries()) {
      if (w.summary > 0) problems.push(`at ${WIDE.width} px: the summary of disclosure #${i + 1} is shown`);
      if (w.links !== w.all) problems.push(`at ${WIDE.width} px: ${w.links} of the ${w.all} links of disclosure #${i + 1} shown`);
    }
  } finally {
    await context.close().catch(() => {});
  }
  return problems;
}

// The site's language roots, from the chooser's links.
async function languageRoots(browser, baseUrl) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await open(page, new URL('/?choose', baseUrl).href);
    const links = await page.$$eval('.chooser a[hreflang]', (as) => as.map((a) => new URL(a.href).pathname));
    return [...new Set(links)];
  } finally {
    await context.close().catch(() => {});
  }
}

export async function narrowChecks({ browser, baseUrl, check }) {
  const roots = await languageRoots(browser, baseUrl);
  if (roots.length === 0) {
    await check(`narrow ${VIEWPORT.width} px: languages`, () => ['no language link on /?choose']);
    return;
  }
  for (const root of roots) {
    await check(`narrow ${VIEWPORT.width}×${VIEWPORT.height} ${root} (every page kind: no overflow, tables, header)`, () => narrowLanguage(browser, baseUrl, root));
  }
  await check(`narrow ${VIEWPORT.width} px: language and menu disclosures (Tab, Enter, Space; wide layout unchanged)`, () => disclosures(browser, baseUrl, roots));
}
