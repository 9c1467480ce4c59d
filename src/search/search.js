// limes search: the browser's side of the index that `limes build` writes under
// /<lang>/search/. It analyses the query as src/search/analyze.rs analyses the content
// (same lists, read from the manifest; same steps, kept in step by
// tests/search/golden.json). It does not stem: each shard lists the stems of the folded
// words it holds, computed by the build, so a word found in the content gets the same
// keys here as there. It fetches only the shards that hold the query's keys, adds up the
// scores computed at build time, and shows a card per result. Text from content is
// always inserted as text.
"use strict";

// ---------------------------------------------------------------------------
// The analyzer (a mirror of src/search/analyze.rs)
// ---------------------------------------------------------------------------

const MAX_WORD = 40;
const WORD = /[\p{L}\p{M}\p{N}]/u;
const APOSTROPHES = new Set(["'", "\u2019", "\u02BC"]);

function isWordChar(c) {
  return c !== undefined && !APOSTROPHES.has(c) && WORD.test(c);
}

export class Analyzer {
  // `data` is the manifest's `analyzer`.
  constructor(data) {
    this.data = data;
    this.fold = this.fold.bind(this);
    this.stopwords = new Set((data.stopwords || []).map(this.fold));
    this.before = new Set(data.elide_before || []);
    this.after = new Set(data.elide_after || []);
  }

  fold(word) {
    const table = this.data.fold || {};
    let out = "";
    for (const c of word.normalize("NFD").replace(/\p{M}/gu, "")) {
      out += Object.prototype.hasOwnProperty.call(table, c) ? table[c] : c;
    }
    return out;
  }

  // The words of a text as [word, start, end] (offsets in code points of the
  // normalised text), with whether an apostrophe joins them to their neighbours.
  split(text) {
    const chars = Array.from(text.normalize("NFC").toLowerCase());
    // A middle dot between two letters belongs to the word (Catalan `col·laboració`).
    const inWord = (i) =>
      isWordChar(chars[i]) || (chars[i] === "\u00B7" && i > 0 && isWordChar(chars[i - 1]) && isWordChar(chars[i + 1]));
    const out = [];
    let i = 0;
    while (i < chars.length) {
      if (!inWord(i)) {
        i++;
        continue;
      }
      const start = i;
      while (inWord(i)) i++;
      const before = start >= 2 && APOSTROPHES.has(chars[start - 1]) && inWord(start - 2);
      const after = APOSTROPHES.has(chars[i]) && inWord(i + 1);
      out.push({ word: chars.slice(start, i).join(""), start, end: i, before, after });
    }
    return out;
  }

  // Whether a word of split() is indexed.
  kept(w) {
    const elided = (w.after && this.before.has(w.word)) || (w.before && this.after.has(w.word));
    const folded = this.fold(w.word);
    return !elided && Array.from(w.word).length <= MAX_WORD && folded !== "" && !this.stopwords.has(folded);
  }

  words(text) {
    return this.split(text).filter((w) => this.kept(w)).map((w) => w.word);
  }

  // The keys of a word: its folded form, then its stems as `stems` (folded word →
  // stems, from the shards) gives them.
  keys(word, stems) {
    const folded = this.fold(word);
    const keys = [folded];
    for (const k of (stems && stems[folded]) || []) {
      if (!keys.includes(k)) keys.push(k);
    }
    return keys;
  }
}

// Keys are compared by code point, as Rust orders them (UTF-16 order differs).
function cmp(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d) return d;
  }
  return x.length - y.length;
}

// ---------------------------------------------------------------------------
// One language's index
// ---------------------------------------------------------------------------

const fetched = new Map();
function getJSON(url) {
  if (!fetched.has(url)) {
    fetched.set(url, fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${url}: ${r.status}`);
      return r.json();
    }));
  }
  return fetched.get(url);
}

export class Index {
  static async open(address) {
    const url = new URL(address, globalThis.location ? location.href : undefined).href;
    const manifest = await getJSON(url);
    return new Index(url, manifest, new Analyzer(manifest.analyzer));
  }

  constructor(url, manifest, analyzer) {
    this.url = url;
    this.manifest = manifest;
    this.analyzer = analyzer;
    this.firsts = manifest.shards.map((s) => s[0]);
  }

  file(name) {
    return new URL(name, this.url).href;
  }

  // The index of the shard that would hold `key`.
  shardOf(key) {
    let lo = 0;
    let hi = this.firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cmp(this.firsts[mid], key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async shard(i) {
    return getJSON(this.file(this.manifest.shards[i][1]));
  }

  // Documents → score for one word: the best of its keys. The shard of its folded form
  // gives its stems; a form the content does not have takes its longest start (down to
  // 4 letters) that is a key, or the stems of the folded words that share it. `prefix` also takes every
  // key that starts with the folded word (at most 4 shards are read for it).
  async word(word, prefix) {
    const folded = this.analyzer.fold(word);
    // The shards a prefix reads are known from the manifest: they are asked for with
    // the word's own shard, not after it.
    const shards = new Set([this.shardOf(folded)]);
    if (prefix) {
      let i = this.shardOf(folded);
      while (i + 1 < this.firsts.length && this.firsts[i + 1].startsWith(folded) && shards.size < 4) {
        shards.add(++i);
      }
    }
    for (const i of shards) this.shard(i).catch(() => {});
    const home = await this.shard(this.shardOf(folded));
    let keys = this.analyzer.keys(word, home.s);
    if (this.manifest.analyzer.stemmer && !(folded in home.p)) {
      const chars = Array.from(folded);
      for (let n = chars.length - 1; n >= 4 && keys.length === 1; n--) {
        const start = chars.slice(0, n).join("");
        const near = await this.shard(this.shardOf(start));
        // A key that is the start of the word (often a stem: "economi" for "economies").
        if (start in near.p && !keys.includes(start)) keys.push(start);
        for (const w of Object.keys(near.s)) {
          if (w.startsWith(start)) for (const k of near.s[w]) if (!keys.includes(k)) keys.push(k);
        }
      }
    }
    for (const k of keys) shards.add(this.shardOf(k));
    const wanted = new Set(keys);
    const scores = new Map();
    const matched = new Set();
    for (const data of await Promise.all([...shards].map((i) => this.shard(i)))) {
      for (const key of Object.keys(data.p)) {
        if (!wanted.has(key) && !(prefix && key.startsWith(folded))) continue;
        matched.add(key);
        const list = data.p[key];
        let doc = 0;
        for (let k = 0; k < list.length; k += 2) {
          doc += list[k];
          const s = list[k + 1];
          if (!(scores.get(doc) >= s)) scores.set(doc, s);
        }
      }
    }
    return { scores, matched };
  }

  // Every query word must match; scores add up.
  // The same query twice (the page starts it before it is ready) is answered once.
  query(text, prefixLast) {
    const key = `${prefixLast ? 1 : 0}${text}`;
    this.memo ??= new Map();
    if (!this.memo.has(key)) {
      if (this.memo.size > 50) this.memo.clear();
      this.memo.set(key, this.run(text, prefixLast));
    }
    return this.memo.get(key);
  }

  async run(text, prefixLast) {
    const words = this.analyzer.words(text);
    const prefixAll = this.manifest.analyzer.prefix_all;
    // A word of one or two letters is matched whole: as a prefix it would read shards
    // of half the alphabet.
    const results = await Promise.all(
      words.map((w, i) => {
        const prefix = prefixAll || (prefixLast && i === words.length - 1);
        return this.word(w, prefix && Array.from(w).length >= 3);
      }),
    );
    const matched = new Set();
    let total = null;
    for (const r of results) {
      r.matched.forEach((k) => matched.add(k));
      if (total === null) {
        total = new Map(r.scores);
        continue;
      }
      for (const [doc, s] of total) {
        if (r.scores.has(doc)) total.set(doc, s + r.scores.get(doc));
        else total.delete(doc);
      }
    }
    return { words, scores: total, matched };
  }

  async facets() {
    if (!this.facetSets) {
      const data = await getJSON(this.file(this.manifest.facets));
      this.facetSets = {};
      for (const [facet, values] of Object.entries(data)) {
        this.facetSets[facet] = {};
        for (const [value, deltas] of Object.entries(values)) {
          let doc = 0;
          this.facetSets[facet][value] = new Set(deltas.map((d) => (doc += d)));
        }
      }
    }
    return this.facetSets;
  }

  card(doc) {
    return getJSON(this.file(`${this.manifest.cards}/${doc}.json`));
  }
}

// ---------------------------------------------------------------------------
// The search page
// ---------------------------------------------------------------------------

export const PARAMS = ["theme", "target_group", "country", "border", "status"];
// Results shown at first, and added by each "more".
const PAGE = 10;

// Results in rank order: score, then language code, then document.
function byRank(a, b) {
  return b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : a.doc - b.doc);
}

// The first `n` of `results` in rank order, in one pass.
export function best(results, n) {
  const top = [];
  for (const r of results) {
    if (top.length === n && byRank(r, top[n - 1]) >= 0) continue;
    let i = top.length;
    while (i > 0 && byRank(r, top[i - 1]) < 0) i--;
    top.splice(i, 0, r);
    if (top.length > n) top.pop();
  }
  return top;
}

// Whether document `d` passes the filters of `state`, leaving out those of the facet
// `except` (null: all of them).
function passes(facets, state, d, except) {
  return PARAMS.every((n) => {
    const wanted = state.filters[n];
    return n === except || !wanted.length || wanted.some((v) => facets[n] && facets[n][v] && facets[n][v].has(d));
  });
}

// The state of the page in its address (`?q=...&lang=all&theme=...`): what the reader
// searched for and the filters chosen. Exported for tests/compare/url_state.test.mjs.
export function readState(search = location.search) {
  const p = new URLSearchParams(search);
  const state = { q: p.get("q") || "", all: p.get("lang") === "all", filters: {} };
  for (const name of PARAMS) state.filters[name] = p.getAll(name).filter(Boolean);
  return state;
}

export function stateUrl(state, pathname = location.pathname) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.all) p.set("lang", "all");
  for (const name of PARAMS) for (const v of state.filters[name]) p.append(name, v);
  const qs = p.toString();
  return pathname + (qs ? `?${qs}` : "");
}

// Whether the last word of a query is still being typed (it matches as a prefix).
function typing(q) {
  return q.length > 0 && /[\p{L}\p{M}\p{N}]$/u.test(q);
}

async function page() {
  const config = JSON.parse(document.getElementById("search-config").textContent);
  const indexes = new Map();
  const open = (code) => {
    if (!indexes.has(code)) {
      const entry = config.indexes.find((x) => x.code === code);
      indexes.set(code, Index.open(entry.manifest));
    }
    return indexes.get(code);
  };
  // The script runs as soon as it arrives: the index and the shards of the query in the
  // address start loading while the page is still being read.
  const first = readState();
  if (first.q && !first.all) {
    open(config.lang).then((index) => index.query(first.q, typing(first.q))).catch(() => {});
  }
  if (document.readyState === "loading") {
    await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
  }
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-q");
  const all = document.getElementById("search-all");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  // Number formats and plural rules are made when first needed (see `announce`).
  let numbers = null;
  let plural = null;
  const format = (n) => (numbers ??= new Intl.NumberFormat(config.lang)).format(n);
  const count = (n) => {
    plural ??= new Intl.PluralRules(config.lang);
    const forms = config.t.count;
    const form = typeof forms === "string" ? forms : forms[plural.select(n)] || forms.other;
    return form.replace("{n}", format(n));
  };
  const toForm = (state) => {
    input.value = state.q;
    all.checked = state.all;
    for (const box of form.querySelectorAll("input[type=checkbox][data-filter]")) {
      box.checked = state.filters[box.name].includes(box.value);
    }
  };
  const fromForm = () => {
    const state = { q: input.value, all: all.checked, filters: {} };
    for (const name of PARAMS) {
      state.filters[name] = [...form.querySelectorAll(`input[data-filter][name="${name}"]:checked`)].map((b) => b.value);
    }
    return state;
  };

  // The counts the page was built with (every practice): shown again when there is
  // neither a query nor a filter.
  const totals = [...form.querySelectorAll("[data-count]")].map((el) => [el, el.textContent]);

  // The results of the current query; sorted only once "more" asks past the first page
  // (which a selection finds without sorting thousands).
  let shown = [];
  let sorted = false;
  let run = 0;
  const search = async (state) => {
    const mine = ++run;
    const current = () => mine === run;
    const filtering = PARAMS.some((n) => state.filters[n].length);
    const codes = state.all ? config.indexes.map((x) => x.code) : [config.lang];
    const prefixLast = typing(state.q);
    const results = [];
    const keys = new Set();
    // The page language's documents of the query, before the filters: what the counts
    // beside the filters are made of.
    let counted = null;
    // The indexes load side by side (a search in every language opens them all).
    const opened = await Promise.all(codes.map(open));
    for (const [i, code] of codes.entries()) {
      const index = opened[i];
      const { words, scores, matched } = await index.query(state.q, prefixLast);
      if (!current()) return;
      matched.forEach((k) => keys.add(k));
      // Before the first results, the facets file is needed only to filter them.
      const facets = filtering || state.all ? await index.facets() : null;
      let docs;
      if (words.length) docs = [...scores.entries()];
      else if (filtering) docs = Array.from({ length: index.manifest.docs }, (_, d) => [d, 0]);
      else docs = [];
      if (state.all && facets.language) {
        const own = facets.language[code];
        docs = docs.filter(([d]) => own && own.has(d));
      }
      if (code === config.lang && (words.length || filtering)) {
        counted = { index, docs: docs.map(([d]) => d) };
      }
      if (filtering) docs = docs.filter(([d]) => passes(facets, state, d, null));
      for (const [doc, score] of docs) results.push({ code, doc, score, index });
    }
    if (!current()) return;
    shown = results;
    sorted = false;
    list.replaceChildren();
    if (!state.q.trim() && !filtering) {
      status.textContent = config.t.prompt;
      more.hidden = true;
      for (const [el, text] of totals) el.textContent = text;
      return;
    }
    // The count is written once the first result is on the page: the browser takes tens
    // of milliseconds to make its first number format.
    const announce = () => {
      status.textContent = results.length ? count(results.length) : config.t.none;
    };
    if (results.length) await showMore(keys, current, announce);
    else {
      announce();
      more.hidden = true;
    }
    // Then the counts beside the filters, once the first results are on the page.
    if (counted) {
      const facets = await counted.index.facets();
      if (current()) updateCounts(facets, counted.docs, state);
    } else {
      for (const [el, text] of totals) el.textContent = text;
    }
  };

  // A value's count is what checking it would add: the documents of the query that pass
  // the other facets' filters (values of one facet are OR, so its own are left out).
  const updateCounts = (facets, docs, state) => {
    const open = {};
    for (const name of PARAMS) open[name] = docs.filter((d) => passes(facets, state, d, name));
    for (const box of form.querySelectorAll("input[type=checkbox][data-filter]")) {
      const set = facets[box.name] && facets[box.name][box.value];
      const n = set ? open[box.name].filter((d) => set.has(d)).length : 0;
      const label = box.closest("label").querySelector("[data-count]");
      if (label) label.textContent = config.t.aside.replace("{text}", format(n));
    }
  };

  let highlightKeys = new Set();
  // Shows the next results; `current` says whether they still answer the query.
  const showMore = async (keys, current, first) => {
    if (keys) highlightKeys = keys;
    const from = list.children.length;
    let next;
    if (from === 0 && !sorted) next = best(shown, PAGE);
    else {
      if (!sorted) shown.sort(byRank);
      sorted = true;
      next = shown.slice(from, from + PAGE);
    }
    // All cards are asked for at once; each is shown as soon as those before it are.
    const cards = next.map((r) => r.index.card(r.doc));
    for (const [i, r] of next.entries()) {
      const card = await cards[i];
      if (current && !current()) return;
      list.append(item(r, card));
      // After the first result is painted, not in the same task.
      if (i === 0 && first) setTimeout(() => (!current || current()) && first(), 0);
    }
    more.hidden = list.children.length >= shown.length;
  };

  const item = (r, card) => {
    const analyzer = r.index.analyzer;
    const li = document.createElement("li");
    li.className = "search-result";
    // The practice's slug: the comparison script adds its "Compare" toggle.
    const slug = /\/practices\/([^/]+)\/$/.exec(new URL(card.u, location.href).pathname);
    if (slug) {
      li.dataset.practice = decodeURIComponent(slug[1]);
      li.dataset.title = card.t;
    }
    const h = document.createElement("h2");
    const a = document.createElement("a");
    a.href = card.u;
    highlight(a, card.t, analyzer);
    h.append(a);
    const lang = card.l || (r.code !== config.lang ? r.code : null);
    if (lang) {
      a.lang = lang;
      const badge = document.createElement("span");
      badge.className = "lang-badge";
      badge.lang = lang;
      badge.textContent = config.names[lang] || lang;
      h.append(" ", badge);
    }
    li.append(h);
    if (card.s) {
      const p = document.createElement("p");
      if (lang) p.lang = lang;
      highlight(p, card.s, analyzer);
      li.append(p);
    }
    const meta = [card.st, card.p].filter(Boolean).join(config.t.part_separator);
    if (meta) {
      const p = document.createElement("p");
      p.className = "meta";
      p.textContent = meta;
      li.append(p);
    }
    return li;
  };

  // Puts `text` into `el`, the words whose keys the query matched in <mark>.
  const highlight = (el, text, analyzer) => {
    const nfc = Array.from(text.normalize("NFC"));
    let at = 0;
    for (const w of analyzer.split(text)) {
      if (!analyzer.kept(w)) continue;
      const f = analyzer.fold(w.word);
      // A stem is (nearly always) the start of the words it stems.
      if (!highlightKeys.has(f) && ![...highlightKeys].some((k) => k.length >= 4 && f.startsWith(k))) continue;
      if (w.start > at) el.append(nfc.slice(at, w.start).join(""));
      const mark = document.createElement("mark");
      mark.textContent = nfc.slice(w.start, w.end).join("");
      el.append(mark);
      at = w.end;
    }
    if (at < nfc.length) el.append(nfc.slice(at).join(""));
  };

  let timer = null;
  const update = (push) => {
    const state = fromForm();
    const url = stateUrl(state);
    if (url !== location.pathname + location.search) {
      if (push) history.pushState(null, "", url);
      else history.replaceState(null, "", url);
    }
    search(state).catch((e) => {
      status.textContent = config.t.none;
      console.warn(e);
    });
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => update(false), 200);
  });
  form.addEventListener("change", (e) => {
    if (e.target !== input) update(true);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    update(true);
  });
  more.addEventListener("click", () => showMore());
  window.addEventListener("popstate", () => {
    const state = readState();
    toForm(state);
    search(state);
  });
  const state = readState();
  toForm(state);
  await search(state);
}

if (typeof document !== "undefined" && document.getElementById("search-config")) {
  page();
}
