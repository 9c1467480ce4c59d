//! The search index files of a fixture, read back as the browser reads them: the
//! manifest of every language, the shards it names (keys in order, postings that point
//! at real documents, stems), the facets and the cards.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

fn json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every key of a language's index with its postings (document, score), decoded.
fn postings(dir: &Path, manifest: &Value) -> BTreeMap<String, Vec<(u64, u64)>> {
    let mut out = BTreeMap::new();
    let mut last_first = String::new();
    for shard in manifest["shards"].as_array().unwrap() {
        let (first, name) = (shard[0].as_str().unwrap(), shard[1].as_str().unwrap());
        assert!(
            first > last_first.as_str(),
            "shards out of order at {first}"
        );
        last_first = first.to_string();
        let data = json(&dir.join(name));
        let keys: Vec<&String> = data["p"].as_object().unwrap().keys().collect();
        assert_eq!(keys.first().map(|k| k.as_str()), Some(first), "{name}");
        for (key, list) in data["p"].as_object().unwrap() {
            let list = list.as_array().unwrap();
            let mut doc = 0;
            let mut decoded = Vec::new();
            for pair in list.chunks(2) {
                doc += pair[0].as_u64().unwrap();
                decoded.push((doc, pair[1].as_u64().unwrap()));
            }
            out.insert(key.clone(), decoded);
        }
    }
    out
}

#[test]
fn every_language_has_an_index_the_browser_can_read() {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    let out = tmp.path().join("public");
    let report = common::build(&root, &out).expect("the fixture builds");
    assert!(report.files > 0);
    for lang in ["en", "fr"] {
        let dir = out.join(lang).join("search");
        let manifest = json(&dir.join("index.json"));
        assert_eq!(manifest["lang"], lang);
        let docs = manifest["docs"].as_u64().unwrap();
        assert_eq!(docs, 1, "the fixture has one practice");
        let keys = postings(&dir, &manifest);
        for (key, list) in &keys {
            assert!(!list.is_empty(), "{lang}: `{key}` has no postings");
            for &(doc, score) in list {
                assert!(doc < docs, "{lang}: `{key}` points at document {doc}");
                assert!(score > 0, "{lang}: `{key}` scores 0");
            }
        }
        // Content-hashed names: every file but the manifest.
        for shard in manifest["shards"].as_array().unwrap() {
            let name = shard[1].as_str().unwrap();
            assert!(name.starts_with("s-") && name.len() > 20, "{name}");
        }
        let facets = json(&dir.join(manifest["facets"].as_str().unwrap()));
        assert_eq!(facets["status"]["completed"], serde_json::json!([0]));
        assert_eq!(facets["theme"]["employment"], serde_json::json!([0]));
        assert_eq!(facets["language"][lang], serde_json::json!([0]));
        let card = json(&dir.join(format!("{}/0.json", manifest["cards"].as_str().unwrap())));
        assert_eq!(card["u"], format!("/{lang}/practices/social-activation/"));
        assert!(card["l"].is_null(), "the practice exists in {lang}");
        let analyzer = &manifest["analyzer"];
        assert_eq!(
            analyzer["stemmer"],
            if lang == "en" { "english" } else { "french" }
        );
        assert_eq!(analyzer["prefix_all"], false);
        assert_eq!(analyzer["fold"]["đ"], "d");
    }

    // The English title "Social activation across the border": its words and stems are
    // keys, the stems listed beside the folded words; the title outweighs the body.
    let dir = out.join("en/search");
    let manifest = json(&dir.join("index.json"));
    let keys = postings(&dir, &manifest);
    for key in [
        "social",
        "activation",
        "activ",
        "border",
        "koper",
        "employment",
    ] {
        assert!(
            keys.contains_key(key),
            "no key `{key}` in {:?}",
            keys.keys().collect::<Vec<_>>()
        );
    }
    assert!(!keys.contains_key("the"), "stopwords are not indexed");
    let mut stems = BTreeMap::new();
    for shard in manifest["shards"].as_array().unwrap() {
        let data = json(&dir.join(shard[1].as_str().unwrap()));
        for (word, list) in data["s"].as_object().unwrap() {
            stems.insert(word.clone(), list.clone());
        }
    }
    assert_eq!(stems["activation"], serde_json::json!(["activ"]));
    assert!(
        keys["activation"][0].1 > keys["koper"][0].1,
        "a title word scores above a body word"
    );
}

#[test]
fn a_practice_missing_in_a_language_is_found_there_from_its_fallback() {
    let tmp = common::site_from_fixture("minimal");
    let root = common::site_root(&tmp);
    fs::remove_file(root.join("content/practices/social-activation/index.fr.md")).unwrap();
    let out = tmp.path().join("public");
    common::build(&root, &out).expect("the fixture builds");
    let dir = out.join("fr/search");
    let manifest = json(&dir.join("index.json"));
    let keys = postings(&dir, &manifest);
    // Analysed as English, the language it is shown in.
    assert!(
        keys.contains_key("activ"),
        "{:?}",
        keys.keys().collect::<Vec<_>>()
    );
    let card = json(&dir.join(format!("{}/0.json", manifest["cards"].as_str().unwrap())));
    assert_eq!(card["l"], "en");
    assert_eq!(card["u"], "/fr/practices/social-activation/");
    let facets = json(&dir.join(manifest["facets"].as_str().unwrap()));
    assert_eq!(facets["language"]["en"], serde_json::json!([0]));
}
