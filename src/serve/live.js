// limes serve: the preview's side in the browser. Added by `limes serve` to every
// page it serves (never to a built site). Listens to the server's events: after each
// successful build it asks whether this page (or a stylesheet, script or image) changed
// since it was loaded and, if so, shows the new version where the reader was; while
// the site does not build it shows the build's errors over the page, in the page's
// language.
//
// A new version is shown by a reload, or, on the page of a record when only its
// <main> changed (the server gives such pages `data-frame`, a hash of everything
// around <main>), by putting the new <main> in place of the old: no reload, so the
// edit shows at once and nothing else of the page moves.
(() => {
  const script = document.currentScript;
  let loaded = Number(script?.dataset.generation ?? 0);
  const frame = script?.dataset.frame ?? '';
  const scrollKey = `limes-preview-scroll:${location.pathname}`;
  const OVERLAY = 'limes-preview-errors';

  // Where the reader is: the blocks of text in the window (their tag, text, which
  // of the blocks with that tag and text each is, and how far from the top of the
  // window), widest first so that the text being read comes before a column beside
  // it; and, when there is no such block, the deepest element across the top of the
  // window (its path of child positions from <body>) and the scroll position. Put
  // back by the text, so that the same text is at the same place after an edit above
  // it, or after a script adds something above it once the page is loaded.
  const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, pre, blockquote, tr, dt, dd, figure, td';
  function blocks() {
    const root = document.querySelector('main') ?? document.body;
    return [...root.querySelectorAll(BLOCKS)].filter((e) => !e.closest(`#${OVERLAY}`));
  }

  function position() {
    const all = blocks();
    const marks = [];
    for (const e of all) {
      const r = e.getBoundingClientRect();
      if (r.height === 0 || r.bottom <= 0 || r.top >= window.innerHeight) continue;
      const text = e.textContent;
      if (!text.trim()) continue;
      const nth = all.filter((o) => o.tagName === e.tagName && o.textContent === text).indexOf(e);
      marks.push({ tag: e.tagName, text, nth, top: r.top, width: r.width });
    }
    marks.sort((a, b) => b.width - a.width || Math.abs(a.top) - Math.abs(b.top));
    const path = [];
    let el = document.body;
    let top = 0;
    for (;;) {
      const children = [...el.children];
      const i = children.findIndex((c) => {
        const r = c.getBoundingClientRect();
        return r.height > 0 && r.bottom > 0 && c.id !== OVERLAY;
      });
      if (i < 0) break;
      path.push(i);
      el = children[i];
      top = el.getBoundingClientRect().top;
      if (top >= 0) break;
    }
    return JSON.stringify({ marks: marks.slice(0, 8), path, top, x: window.scrollX, y: window.scrollY });
  }

  function restore(saved) {
    let place;
    try { place = JSON.parse(saved); } catch { return; }
    // A reader at the top of the page stays there (and sees what was added there).
    if (place.y === 0) {
      window.scrollTo(place.x ?? 0, 0);
      return;
    }
    if (place.marks?.length) {
      const all = blocks();
      for (const m of place.marks) {
        const el = all.filter((e) => e.tagName === m.tag && e.textContent === m.text)[m.nth];
        if (el) {
          window.scrollBy(0, Math.round(el.getBoundingClientRect().top - m.top));
          return;
        }
      }
    }
    let el = document.body;
    for (const i of place.path ?? []) {
      el = el?.children[i];
    }
    if (el && el !== document.body) {
      window.scrollBy(0, Math.round(el.getBoundingClientRect().top - place.top));
    } else {
      window.scrollTo(place.x ?? 0, place.y ?? 0);
    }
  }

  // Puts the reader back at `saved`, and again while the page settles (scripts that
  // add to it once loaded): for a second, or until the reader scrolls.
  function settle(saved) {
    restore(saved);
    const keep = new ResizeObserver(() => restore(saved));
    keep.observe(document.body);
    const stop = () => keep.disconnect();
    setTimeout(stop, 1000);
    for (const event of ['wheel', 'keydown', 'touchstart', 'mousedown']) {
      window.addEventListener(event, stop, { once: true, passive: true });
    }
  }

  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    // limes puts the page back itself: the browser's own restoration would move it
    // again, later, by the old scroll position.
    history.scrollRestoration = 'manual';
    if (document.readyState === 'complete') settle(saved);
    else window.addEventListener('load', () => settle(saved), { once: true });
  }

  function reload() {
    sessionStorage.setItem(scrollKey, position());
    location.reload();
  }

  function labelsFor(labels) {
    const lang = document.documentElement.lang || 'en';
    return labels[lang] ?? labels[lang.split('-')[0]] ?? labels.en ?? Object.values(labels)[0];
  }

  function hide() {
    document.getElementById(OVERLAY)?.remove();
  }

  function el(tag, text, style) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (style) Object.assign(node.style, style);
    return node;
  }

  function show(status) {
    const words = labelsFor(status.labels);
    const box = el('section', undefined, {
      position: 'fixed', inset: '0 0 auto 0', maxHeight: '70vh', overflow: 'auto',
      zIndex: '2147483647', background: '#fff8f6', color: '#1a1a1a',
      borderBottom: '4px solid #b3261e', padding: '1rem 1.25rem',
      font: '15px/1.45 system-ui, sans-serif', boxShadow: '0 4px 16px rgb(0 0 0 / 25%)',
    });
    box.id = OVERLAY;
    box.setAttribute('role', 'alert');
    box.setAttribute('aria-labelledby', `${OVERLAY}-title`);
    const title = el('h2', words.title, { margin: '0 0 .25rem', fontSize: '1.1rem', color: '#8c1d18' });
    title.id = `${OVERLAY}-title`;
    box.append(title, el('p', words.note, { margin: '0 0 .75rem' }));
    const list = el('ol', undefined, { margin: '0', paddingLeft: '1.25rem' });
    for (const p of status.errors) {
      const item = el('li', undefined, { margin: '0 0 .6rem' });
      const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
      item.append(el('code', where, { fontWeight: '700', wordBreak: 'break-all' }));
      item.append(el('div', p.message));
      if (p.help) item.append(el('div', `${words.help}: ${p.help}`, { color: '#44474e' }));
      list.append(item);
    }
    box.append(list);
    const old = document.getElementById(OVERLAY);
    if (old) old.replaceWith(box);
    else document.body.prepend(box);
  }

  async function changedSinceLoaded(status) {
    if (status.generation <= loaded) return false;
    if (status.assets > loaded) return true;
    try {
      const answer = await fetch(`/__limes/page?path=${encodeURIComponent(location.pathname)}`, { cache: 'no-store' });
      if (!answer.ok) return true; // the page is gone: show what the server says now
      const page = await answer.json();
      return page.since > loaded;
    } catch {
      return false;
    }
  }

  // The new version of the page: its <main> in place of this one when nothing
  // around it changed and it holds no script (which would not run); else a reload.
  async function renew(status) {
    if (!frame || status.assets > loaded) return reload();
    let doc;
    try {
      const answer = await fetch(location.href, { cache: 'no-store' });
      if (!answer.ok) return reload();
      doc = new DOMParser().parseFromString(await answer.text(), 'text/html');
    } catch {
      return reload();
    }
    const next = doc.querySelector('script[data-frame]');
    const main = doc.querySelector('main');
    const current = document.querySelector('main');
    if (next?.dataset.frame !== frame || !main || !current || main.querySelector('script')) {
      return reload();
    }
    const place = position();
    current.replaceWith(document.adoptNode(main));
    loaded = Number(next.dataset.generation ?? loaded);
    settle(place);
  }

  // One build at a time, in order: a build that arrives while the page is being
  // renewed is looked at after.
  let queue = Promise.resolve();
  const events = new EventSource('/__limes/events');
  events.addEventListener('message', (event) => {
    const status = JSON.parse(event.data);
    queue = queue.then(async () => {
      if (status.errors.length > 0) {
        show(status);
        return;
      }
      hide();
      if (await changedSinceLoaded(status)) await renew(status);
    });
  });
})();
