//! The analyzer's golden file, `tests/search/golden.json`: texts in each language with
//! the words the analyzer keeps and the keys of each word, and each language's settings
//! as a manifest gives them to the browser. This test checks the Rust side against it;
//! `tests/search/golden.test.mjs` checks the browser's analyzer (search.js) against the
//! same file, so that the two cannot drift apart.
//!
//! `LIMES_BLESS=1 cargo test --test search_golden` rewrites the expected words, keys and
//! settings from the texts; read the changes before committing them.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use limes::search::analyze::Analyzer;
use limes::search::index::AnalyzerData;
use limes::types::Lang;
use serde_json::{Value, json};

fn golden_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/search/golden.json")
}

/// What the analyzer gives for one text: its words and, per word, its keys.
fn analyse(analyzer: &Analyzer, text: &str) -> Value {
    let words = analyzer.words(text);
    let keys: Vec<Vec<String>> = words.iter().map(|w| analyzer.keys(w)).collect();
    json!({ "text": text, "words": words, "keys": keys })
}

#[test]
fn the_analyzer_gives_the_golden_keys() {
    let bless = std::env::var("LIMES_BLESS").is_ok_and(|v| v == "1");
    let golden: Value =
        serde_json::from_str(&fs::read_to_string(golden_path()).expect("read golden.json"))
            .expect("golden.json is JSON");
    let cases = golden["cases"].as_object().expect("cases by language");
    let mut actual_cases = serde_json::Map::new();
    let mut settings = BTreeMap::new();
    let mut problems = Vec::new();
    for (lang, list) in cases {
        let analyzer = Analyzer::new(&Lang::parse(lang).expect("a language tag"));
        // The same data a manifest gives the browser.
        let data = serde_json::to_value(AnalyzerData::of(&analyzer)).expect("settings");
        settings.insert(lang.clone(), data);
        let mut out = Vec::new();
        for case in list.as_array().expect("a list of cases") {
            let text = case["text"].as_str().expect("a text");
            let got = analyse(&analyzer, text);
            if !bless
                && (case.get("words") != got.get("words") || case.get("keys") != got.get("keys"))
            {
                problems.push(format!(
                    "{lang}: {text:?}\n  expected {} {}\n  actual   {} {}",
                    case["words"], case["keys"], got["words"], got["keys"]
                ));
            }
            out.push(got);
        }
        actual_cases.insert(lang.clone(), Value::Array(out));
    }
    let expected_settings = golden.get("settings").cloned().unwrap_or(Value::Null);
    let actual_settings = serde_json::to_value(&settings).expect("settings");
    if bless {
        let doc = json!({ "cases": actual_cases, "settings": actual_settings });
        let mut text = serde_json::to_string_pretty(&doc).expect("JSON");
        text.push('\n');
        fs::write(golden_path(), text).expect("write golden.json");
        return;
    }
    if expected_settings != actual_settings {
        problems.push("the settings differ from src/search/languages.toml; bless again".into());
    }
    assert!(
        problems.is_empty(),
        "{} differences from tests/search/golden.json (LIMES_BLESS=1 rewrites it):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
