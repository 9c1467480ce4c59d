// The browser's analyzer (src/search/search.js) against tests/search/golden.json, the
// file tests/search_golden.rs checks the Rust analyzer against: the same texts must give
// the same words, folded forms and keys on both sides.
//
//   node --test tests/search/golden.test.mjs
//
// The browser does not stem: it reads each folded word's stems from the index. Here the
// stems come from the golden file itself, as the index would give them, so this checks
// everything else: normalisation, case, word splitting, elisions, stopwords, folding, and
// how the keys of a word are put together.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import test from "node:test";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const { Analyzer } = await import(path.join(here, "../../src/search/search.js"));
const golden = JSON.parse(fs.readFileSync(path.join(here, "golden.json"), "utf8"));

for (const [lang, cases] of Object.entries(golden.cases)) {
  test(`analyzer ${lang}`, () => {
    const analyzer = new Analyzer(golden.settings[lang]);
    // Folded word → stems, as the shards list them.
    const stems = {};
    for (const c of cases) {
      for (const keys of c.keys) if (keys.length > 1) stems[keys[0]] = keys.slice(1);
    }
    for (const c of cases) {
      const words = analyzer.words(c.text);
      assert.deepEqual(words, c.words, `${lang} words of ${JSON.stringify(c.text)}`);
      const folded = words.map((w) => analyzer.fold(w));
      assert.deepEqual(folded, c.keys.map((k) => k[0]), `${lang} folded words of ${JSON.stringify(c.text)}`);
      assert.deepEqual(words.map((w) => analyzer.keys(w, stems)), c.keys, `${lang} keys of ${JSON.stringify(c.text)}`);
    }
  });
}

test("the golden file covers every language the example site speaks", () => {
  const config = fs.readFileSync(path.join(here, "../../observatory.toml"), "utf8");
  const languages = JSON.parse(config.match(/^languages\s*=\s*(\[.*\])/m)[1]);
  for (const l of languages) assert.ok(golden.cases[l], `no golden cases for ${l}`);
});
