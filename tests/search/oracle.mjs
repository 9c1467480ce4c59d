// The browser's analyzer (src/search/search.js) answering tests/fuzz.rs line by line:
// first a line {"settings": {lang: manifest analyzer data}}, then lines {"lang", "text"},
// each answered with {"words", "folded"} as the search page would compute them.
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const { Analyzer } = await import(path.join(here, "../../src/search/search.js"));

const analyzers = {};
for await (const line of readline.createInterface({ input: process.stdin })) {
  const m = JSON.parse(line);
  if (m.settings) {
    for (const [lang, data] of Object.entries(m.settings)) analyzers[lang] = new Analyzer(data);
    continue;
  }
  const a = analyzers[m.lang];
  const words = a.words(m.text);
  process.stdout.write(`${JSON.stringify({ words, folded: words.map((w) => a.fold(w)) })}\n`);
}
