// The comparison script finds a practice's file by the same hash as the build
// (src/render/pages/compare.rs, whose unit test holds the same figures).
//
//   node --test tests/compare/
import assert from "node:assert/strict";
import path from "node:path";
import test from "node:test";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const { bucket } = await import(path.join(here, "../../src/render/compare.js"));

test("bucket() is FNV-1a of the slug's UTF-8 bytes, as in Rust", () => {
  assert.equal(bucket("a", 0xffffffff), 0xe40c292c % 0xffffffff);
  assert.equal(bucket("", 2 ** 31), 0x811c9dc5 % 2 ** 31);
  assert.equal(bucket("sokrog-social-activation", 1), 0);
  assert.equal(bucket("sokrog-social-activation", 625), 552);
  assert.equal(bucket("practice-00042", 1_000_003), 383_268);
  assert.equal(bucket("čšž-ünicode", 1_000_003), 576_483);
});
