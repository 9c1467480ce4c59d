// limes comparison. On every page: a "Compare" toggle on each practice (cards, the
// practice page, search results), the choice kept in this browser (localStorage), and a
// tray linking to the comparison. On /<lang>/compare/: practices or territories side by
// side, read from the address (?practices=a,b or ?territories=x,y), which the page keeps
// up to date as readers remove or add items. Text from content is always inserted as
// text, never as HTML.
"use strict";

const KEY = "limes-compare";

function readConfig(id) {
  const el = document.getElementById(id);
  if (!el) return null;
  try {
    return JSON.parse(el.textContent);
  } catch {
    return null;
  }
}

// The practices chosen in this browser (slugs), at most `max`.
function stored(max) {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(list) ? list.filter((s) => typeof s === "string" && s).slice(0, max) : [];
  } catch {
    return [];
  }
}

function store(list) {
  try {
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage refused (private mode): the choice lives in the page only.
  }
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function fill(s, values) {
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

// The ids of a query parameter: `a,b` or repeated (`?p=a&p=b`), in order, once each, in
// lower case (addresses spell territory ids so; slugs are lower case).
export function idsOf(params, name) {
  const out = [];
  for (const v of params.getAll(name)) {
    for (const id of v.split(",")) {
      const t = id.trim().toLowerCase();
      if (t && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

// The address of the comparison of `ids` (practices or territories), with the commas
// between them left as they are: `?practices=a,b` after the page's path.
export function addressOf(pathname, name, ids) {
  const params = new URLSearchParams();
  if (ids.length) params.set(name, ids.join(","));
  const q = params.toString().replace(/%2C/g, ",");
  return pathname + (q ? `?${q}` : "");
}

// ---------------------------------------------------------------------------
// Every page: the toggles and the tray
// ---------------------------------------------------------------------------

function picker(cfg) {
  let list = stored(cfg.max);
  const tray = document.getElementById("compare-tray");
  const status = document.getElementById("compare-tray-status");
  const link = document.getElementById("compare-tray-link");
  const clear = document.getElementById("compare-tray-clear");

  const update = (said) => {
    for (const b of document.querySelectorAll("button.compare-toggle")) {
      b.setAttribute("aria-pressed", list.includes(b.dataset.practice) ? "true" : "false");
    }
    if (!tray) return;
    tray.hidden = list.length === 0;
    if (link) {
      link.href = `${cfg.url}?practices=${list.map(encodeURIComponent).join(",")}`;
      // Only when it changes: the observer below would see every write.
      const text = fill(cfg.t.link, { n: list.length });
      if (link.textContent !== text) link.textContent = text;
    }
    if (status && said !== undefined) status.textContent = said;
  };

  // Adds a toggle to every practice under `root` that has none; says how many.
  const decorate = (root) => {
    const found = root.matches?.("[data-practice]") ? [root] : [];
    found.push(...(root.querySelectorAll?.("[data-practice]") ?? []));
    let added = 0;
    for (const item of found) {
      if (item.querySelector(":scope > .compare-toggle, :scope > * > .compare-toggle")) continue;
      const slug = item.dataset.practice;
      const button = el("button", { type: "button", class: "compare-toggle", "data-practice": slug, "aria-pressed": list.includes(slug) ? "true" : "false", text: cfg.t.toggle });
      const title = item.dataset.title || item.querySelector("h1, h2, h3, h4")?.textContent?.trim();
      if (title) button.setAttribute("aria-label", fill(cfg.t.toggle_named, { title }));
      const spot = item.querySelector("[data-compare-spot]") || item;
      spot.append(button);
      added++;
    }
    return added;
  };

  document.addEventListener("click", (e) => {
    const button = e.target.closest?.("button.compare-toggle");
    if (!button) return;
    const slug = button.dataset.practice;
    list = stored(cfg.max);
    let said;
    if (list.includes(slug)) {
      list = list.filter((s) => s !== slug);
      said = fill(cfg.t.removed, { n: list.length });
    } else if (list.length >= cfg.max) {
      said = fill(cfg.t.full, { n: cfg.max });
    } else {
      list.push(slug);
      said = list.length < 2 ? cfg.t.one_more : fill(cfg.t.added, { n: list.length });
    }
    store(list);
    update(said);
  });
  clear?.addEventListener("click", () => {
    list = [];
    store(list);
    update(cfg.t.cleared);
  });
  // Another tab changed the choice.
  window.addEventListener("storage", (e) => {
    if (e.key === KEY) {
      list = stored(cfg.max);
      update();
    }
  });

  decorate(document);
  // Cards added later (search results) get their toggle too.
  new MutationObserver((records) => {
    let added = 0;
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1 && !n.matches("button.compare-toggle")) added += decorate(n);
    if (added) update();
  }).observe(document.body, { childList: true, subtree: true });
  update();
  return {
    // The comparison page's practices become this browser's choice: what the reader
    // sees is what they have chosen (after a Remove, after Back, from a shared link).
    set(next) {
      list = next.slice(0, cfg.max);
      store(list);
      update();
    },
  };
}

// ---------------------------------------------------------------------------
// The comparison page
// ---------------------------------------------------------------------------

// The bucket file of a practice: FNV-1a (32 bits) of its slug's UTF-8 bytes, modulo
// the number of buckets (src/render/pages/compare.rs computes the same).
export function bucket(slug, buckets) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(slug)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % buckets;
}

// Each file once per page: practices that share a file ask for it once.
const fetched = new Map();
function getJSON(url) {
  if (!fetched.has(url)) {
    fetched.set(
      url,
      fetch(url)
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null),
    );
  }
  return fetched.get(url);
}

// A cell's content for a practice field: text, a list of links, results.
function practiceCell(record, field) {
  const v = record[field];
  if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) return null;
  if (field === "budget") return v.text;
  if (field === "results") {
    const ul = el("ul", { class: "plain" });
    for (const r of v) ul.append(el("li", {}, el("strong", { text: `${r.value}${r.unit ? `\u00a0${r.unit}` : ""}` }), ` ${r.label}`));
    return ul;
  }
  const links = Array.isArray(v) ? v : typeof v === "object" && v.url ? [v] : null;
  if (links) {
    const span = el("span");
    links.forEach((l, i) => {
      if (i) span.append(", ");
      span.append(el("a", { href: l.url, lang: l.lang, text: l.title }));
    });
    return span;
  }
  return String(v);
}

function textOf(node) {
  if (node === null) return "";
  return typeof node === "string" ? node : node.textContent.replace(/\s+/g, " ").trim();
}

function csvField(s) {
  // A cell a spreadsheet would run as a formula is kept as text.
  const t = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

function comparePage(cfg, pick) {
  const root = document.getElementById("compare-root");
  const status = document.getElementById("compare-status");
  const intro = document.getElementById("compare-intro");
  const form = document.getElementById("compare-territory-form");
  const select = document.getElementById("compare-territory");
  const t = cfg.t;

  const setAddress = (name, ids, push) => {
    const url = addressOf(location.pathname, name, ids);
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  };

  // A table of `columns` (each {head: node, id, remove}) and `rows` ({label, cells,
  // note}); rows whose cells differ are marked in words. Returns the table and the
  // rows as text, for the CSV.
  const table = (caption, columns, rows, firstHead, markDiffs) => {
    const thead = el("tr", {}, el("th", { scope: "col", text: firstHead }));
    for (const c of columns) {
      const th = el("th", { scope: "col" }, c.head);
      if (c.remove) {
        const b = el("button", { type: "button", class: "compare-remove", "aria-label": fill(t.remove, { name: c.name }), text: t.remove_short });
        b.addEventListener("click", c.remove);
        th.append(" ", b);
      }
      thead.append(th);
    }
    const tbody = el("tbody");
    const text = [[firstHead, ...columns.map((c) => c.name)]];
    for (const row of rows) {
      const values = row.cells.map(textOf);
      const differs = markDiffs && columns.length > 1 && new Set(values).size > 1;
      const th = el("th", { scope: "row" }, row.label);
      if (row.sub) th.append(el("br"), el("span", { class: "meta", text: row.sub }));
      if (row.source) th.append(el("br"), el("span", { class: "meta source", lang: row.source_lang, text: row.source }));
      if (differs) th.append(" ", el("span", { class: "differs", text: fill(t.aside, { text: t.differs }) }));
      const tr = el("tr", { class: differs ? "differs" : null }, th);
      for (const c of row.cells) {
        const td = el("td");
        if (c === null) td.append(el("span", { class: "na", text: t.not_available }));
        else td.append(c);
        tr.append(td);
      }
      tbody.append(tr);
      text.push([`${textOf(row.label)}${row.sub ? ` ${fill(t.aside, { text: row.sub })}` : ""}`, ...values.map((v, i) => (row.cells[i] === null ? t.not_available : v))]);
    }
    const tableEl = el("table", { class: "data compare-table" }, el("caption", { text: caption }), el("thead", {}, thead), tbody);
    const wrap = el("div", { class: "table-scroll", role: "region", "aria-label": caption, tabindex: "0" }, tableEl);
    return { wrap, text };
  };

  const download = (name, rows) => {
    const csv = "\ufeff" + rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
    const a = el("a", { class: "button", download: name, text: t.download });
    a.href = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    return el("p", { class: "compare-download" }, a);
  };

  const unknownNote = (ids) => (ids.length ? el("p", { class: "notice", role: "note", text: fill(t.unknown, { ids: ids.join(t.list_separator) }) }) : null);

  const practices = async (slugs) => {
    const shown = slugs.slice(0, cfg.max);
    const records = await Promise.all(
      shown.map(async (s) => {
        const file = await getJSON(`${cfg.practices}${bucket(s, cfg.buckets)}.json`);
        return file && Object.prototype.hasOwnProperty.call(file, s) ? file[s] : null;
      }),
    );
    const found = [];
    const unknown = [];
    shown.forEach((s, i) => (records[i] ? found.push(records[i]) : unknown.push(s)));
    // Beyond the limit: named, not silently dropped (and not called unknown).
    const extra = slugs.slice(cfg.max);
    pick?.set(found.map((r) => r.slug));
    const remove = (slug) => () => {
      const next = slugs.filter((s) => s !== slug);
      setAddress("practices", next, true);
      practices(next).then(() => (status.textContent = fill(t.removed, { n: next.length })));
    };
    const columns = found.map((r) => ({
      name: r.title,
      head: el("a", { href: r.url, lang: r.lang, text: r.title }),
      remove: remove(r.slug),
    }));
    const rows = cfg.fields.map((f) => ({ label: f.label, cells: found.map((r) => practiceCell(r, f.field)) }));
    root.replaceChildren();
    intro.hidden = found.length >= 2;
    // The territory picker belongs to a comparison of territories.
    if (form) form.hidden = found.length >= 1;
    root.append(el("h2", { text: t.practices_title }));
    const note = unknownNote(unknown);
    if (note) root.append(note);
    if (extra.length) root.append(el("p", { class: "notice", role: "note", text: fill(t.over, { n: cfg.max, ids: extra.join(t.list_separator) }) }));
    if (found.length < 2) {
      root.append(el("p", { text: t.one_more }), el("p", {}, el("a", { href: cfg.practices_url, text: t.to_listings })));
    }
    if (found.length) {
      const { wrap, text } = table(t.practices_title, columns, rows, t.field, true);
      root.append(wrap, download("practices.csv", text));
    }
  };

  const territories = async (ids) => {
    const records = await Promise.all(ids.map((id) => getJSON(`${cfg.territories_data}${encodeURIComponent(id.toLowerCase())}.json`)));
    const found = [];
    const unknown = [];
    ids.forEach((id, i) => (records[i] ? found.push(records[i]) : unknown.push(id)));
    const remove = (id) => () => {
      const next = ids.filter((x) => x !== id.toLowerCase());
      setAddress("territories", next, true);
      territories(next).then(() => (status.textContent = fill(t.removed_territory, { n: next.length })));
    };
    const columns = found.map((r) => ({
      name: r.name,
      head: el("a", { href: r.url, lang: r.lang, text: r.name }),
      remove: remove(r.id.toLowerCase()),
    }));
    // Per indicator: the latest year every chosen territory has a value for, else
    // each territory's latest value with its year.
    const rows = cfg.indicators.map((ind) => {
      const series = found.map((r) => (r.indicators && r.indicators[ind.id]) || []);
      const valued = series.map((s) => new Set(s.filter((o) => o.value !== null).map((o) => o.year)));
      const common = [...(valued[0] || [])].filter((y) => valued.every((v) => v.has(y))).sort((a, b) => b - a)[0];
      const label = el("a", { href: ind.url, lang: ind.lang, text: ind.name });
      const source = { source: ind.source, source_lang: ind.source_lang };
      if (common !== undefined) {
        const at = series.map((s) => s.find((o) => o.year === common));
        const yearLabel = at[0].label;
        return {
          label,
          ...source,
          sub: fill(t.common_year, { year: yearLabel }),
          cells: at.map((o) => el("span", {}, o.text, o.note ? el("span", { class: "note", text: ` (${o.note})` }) : null)),
        };
      }
      return {
        label,
        ...source,
        sub: t.no_common_year,
        cells: series.map((s) => {
          const o = [...s].reverse().find((x) => x.value !== null);
          return o ? el("span", {}, o.text, el("span", { class: "meta", text: ` (${o.label})` }), o.note ? el("span", { class: "note", text: ` (${o.note})` }) : null) : null;
        }),
      };
    });
    root.replaceChildren();
    intro.hidden = found.length >= 2;
    if (form) form.hidden = false;
    root.append(el("h2", { text: t.territories_title }));
    const note = unknownNote(unknown);
    if (note) root.append(note);
    if (found.length < 2) root.append(el("p", { text: t.choose_territories }));
    if (found.length) {
      const { wrap, text } = table(t.territories_title, columns, rows, t.indicator, false);
      root.append(wrap, download("territories.csv", text));
    }
    if (select) {
      for (const o of select.options) o.disabled = ids.includes(o.value.toLowerCase());
    }
  };

  const render = () => {
    const params = new URLSearchParams(location.search);
    const p = idsOf(params, "practices");
    const ter = idsOf(params, "territories");
    if (ter.length) return territories(ter);
    if (p.length) return practices(p);
    // Nothing chosen: the practices chosen in this browser, if any.
    const mine = stored(cfg.max);
    if (mine.length) {
      setAddress("practices", mine, false);
      return practices(mine);
    }
    root.replaceChildren();
    intro.hidden = false;
    if (form) form.hidden = false;
    return Promise.resolve();
  };

  form?.addEventListener("submit", (e) => {
    e.preventDefault();
    const id = select.value.toLowerCase();
    if (!id) return;
    const params = new URLSearchParams(location.search);
    const ids = idsOf(params, "territories");
    if (!ids.includes(id)) ids.push(id);
    setAddress("territories", ids, true);
    territories(ids).then(() => (status.textContent = fill(t.added_territory, { n: ids.length })));
  });
  window.addEventListener("popstate", render);
  document.getElementById("compare-js")?.removeAttribute("hidden");
  render();
}

// The toggles wait until the browser is idle: they must not slow what the page is
// busy with first (the search page's first results). The comparison page starts at once.
function start() {
  const common = readConfig("compare-config-site");
  if (!common) return;
  const page = readConfig("compare-config");
  if (page) {
    comparePage({ ...page, t: { ...common.t, ...page.t }, practices_url: common.practices_url }, picker(common));
  } else if ("requestIdleCallback" in window) {
    requestIdleCallback(() => picker(common), { timeout: 1000 });
  } else {
    setTimeout(() => picker(common), 200);
  }
}

if (typeof document !== "undefined") start();
