// Fuzzing the URL state of the search and comparison pages: whatever address a reader
// opens, pastes or is sent, reading its state must not throw, must keep only what the
// page understands, and writing the state back must give an address that reads back as
// the same state (so that a shared link shows what its sender saw).
//
//   node --test tests/compare/                       2,000 addresses from a fixed seed
//   LIMES_FUZZ_SECONDS=3600 node --test tests/compare/url_state.test.mjs   (scripts/fuzz)
//   LIMES_FUZZ_SEED=N replays a run; a failure prints its seed and address.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import test from "node:test";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const { readState, stateUrl, PARAMS } = await import(path.join(here, "../../src/search/search.js"));
const { idsOf, addressOf } = await import(path.join(here, "../../src/render/compare.js"));

const seconds = Number(process.env.LIMES_FUZZ_SECONDS || 0);
const seed = Number(process.env.LIMES_FUZZ_SEED || (seconds ? Date.now() % 2 ** 31 : 20261203));

// mulberry32: a small seeded generator, so that a seed replays a run.
function generator(s) {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  "q=", "&", "=", "?", "#", "+", "%", "%2", "%zz", "%00", "%C3", "%C3%A9", "%E2%80%AE", "%EF%BF%BF",
  "%F0%9F%99%82", "%ED%A0%80", "%2C", "%26", "%3D", "%23", "%25", ",", " ", "  ", "lang=all", "lang=",
  "lang=ALL", ...PARAMS.map((p) => `${p}=`), "practices=", "territories=", "practices", "<script>",
  "\"", "'", "\0", "\u0007", "é", "e\u0301", "İ", "ß", "\uD800", "\uDC00", "🙂", "\u202E", "\u2028",
  "__proto__", "__proto__[x]=1", "constructor", "toString", "hasOwnProperty", "FR-ES", "fr-es", "a,b",
  ",,", " a , b ", "javascript:alert(1)", "../", "%2e%2e%2f", "\\",
];

function awkward(rand) {
  let s = "";
  const n = Math.floor(rand() * 12);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.6) s += PIECES[Math.floor(rand() * PIECES.length)];
    else if (r < 0.8) s += String.fromCharCode(32 + Math.floor(rand() * 95));
    else s += String.fromCodePoint(Math.floor(rand() * 0x110000));
  }
  return s;
}

// What a browser has in `location.search` for an address typed with `raw` after `?`.
function search(raw) {
  return new URL(`https://example.org/en/search/?${raw}`).search;
}

function checkSearch(raw) {
  const s = search(raw);
  const state = readState(s);
  assert.equal(typeof state.q, "string");
  assert.equal(typeof state.all, "boolean");
  assert.deepEqual(Object.keys(state.filters), PARAMS, "only the page's filters");
  for (const name of PARAMS) {
    for (const v of state.filters[name]) assert.ok(typeof v === "string" && v.length > 0, `${name}: ${v}`);
  }
  assert.equal({}.x, undefined, "nothing reaches Object.prototype");
  const url = stateUrl(state, "/en/search/");
  assert.ok(url.startsWith("/en/search/"), url);
  assert.match(url, /^[\x21-\x7e]*$/, "an address of printable ASCII");
  assert.ok(!/[#"<>\\]/.test(url), `nothing that ends or breaks the address: ${url}`);
  const again = readState(new URL(url, "https://example.org").search);
  assert.deepEqual(again, state, `the state of ${url} reads back`);
  assert.equal(stateUrl(again, "/en/search/"), url, "writing it again gives the same address");
}

function checkCompare(raw) {
  const params = new URLSearchParams(search(raw));
  for (const name of ["practices", "territories"]) {
    const ids = idsOf(params, name);
    assert.equal(new Set(ids).size, ids.length, "each id once");
    for (const id of ids) {
      assert.ok(id.length > 0 && !id.includes(","), `id ${JSON.stringify(id)}`);
      assert.equal(id, id.trim().toLowerCase(), `id ${JSON.stringify(id)} trimmed, lower case`);
    }
    const url = addressOf("/en/compare/", name, ids);
    assert.match(url, /^[\x21-\x7e]*$/, "an address of printable ASCII");
    assert.ok(!/[#"<>\\]/.test(url), `nothing that ends or breaks the address: ${url}`);
    const back = idsOf(new URLSearchParams(new URL(url, "https://example.org").search), name);
    assert.deepEqual(back, ids, `the ids of ${url} read back`);
  }
}

test(`URL state of the search and comparison pages (seed ${seed})`, () => {
  const rand = generator(seed);
  const started = Date.now();
  let cases = 0;
  const log = process.env.LIMES_FUZZ_LOG;
  do {
    for (let i = 0; i < 1000; i++) {
      const raw = awkward(rand);
      try {
        checkSearch(raw);
        checkCompare(raw);
      } catch (e) {
        if (log) fs.appendFileSync(log, `url_state\tfailed\t${cases}\t${Math.round((Date.now() - started) / 1000)}\t${seed}\n`);
        e.message = `address ?${JSON.stringify(raw)} (seed ${seed}, case ${cases}): ${e.message}`;
        throw e;
      }
      cases++;
    }
  } while (seconds ? Date.now() - started < seconds * 1000 : cases < 2000);
  const secs = Math.round((Date.now() - started) / 1000);
  if (log) fs.appendFileSync(log, `url_state\tpassed\t${cases}\t${secs}\t${seed}\n`);
  console.log(`fuzz url_state: ${cases} addresses in ${secs} s, seed ${seed}: no failure`);
});
