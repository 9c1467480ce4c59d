// The search page shows the first page of results without sorting them all: `best`
// must give exactly what a full sort would, ties included (score, then language, then
// document).
//
//   node --test tests/search/
import assert from "node:assert/strict";
import path from "node:path";
import test from "node:test";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const { best } = await import(path.join(here, "../../src/search/search.js"));

const byRank = (a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : a.doc - b.doc);

// A small deterministic generator: many equal scores, several languages.
function results(n, seed) {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push({ code: ["en", "fr", "hr"][Math.floor(next() * 3)], doc: Math.floor(next() * 50), score: Math.floor(next() * 8) / 2 });
  }
  return out;
}

test("best() is the start of a full sort", () => {
  for (const [n, k] of [[0, 10], [1, 10], [9, 10], [10, 10], [11, 10], [500, 10], [5000, 10], [300, 1], [300, 37]]) {
    for (const seed of [1, 2, 3]) {
      const all = results(n, seed);
      const want = [...all].sort(byRank).slice(0, k);
      assert.deepEqual(best(all, k), want, `n=${n} k=${k} seed=${seed}`);
    }
  }
});

test("best() leaves its input as it was", () => {
  const all = results(200, 7);
  const copy = all.map((r) => ({ ...r }));
  best(all, 10);
  assert.deepEqual(all, copy);
});
