//! Search: one more renderer over the site graph. For every language it writes an index
//! the browser reads a piece at a time (`index.rs`), built with that language's analyzer
//! (`analyze.rs`, with the stemmers of `stem.rs`); the browser's script analyses queries
//! with the same lists and algorithms.

pub mod analysed;
pub mod analyze;
pub mod index;
pub mod stem;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Site;
use crate::routes::{Route, Routes};
use crate::types::Lang;
use crate::view::{LangView, Views};

/// The browser's side of search: the analyzer, the query, the result list.
const SCRIPT: &str = include_str!("search.js");

/// Where the script is published, named by its content.
pub fn script_path() -> String {
    format!(
        "search/{}",
        index::hashed("search", SCRIPT.as_bytes(), "js")
    )
}

/// The files of the search index of each language (all, or `only` those), by
/// language; the script's under `None`. Paths are relative to the output root.
pub fn files(site: &Site, views: &Views, only: Option<&BTreeSet<Lang>>, sink: crate::SearchSink) {
    sink(None, vec![script_file(site, &views.routes)]);
    // One language after the other (each analyses its practices in parallel), each
    // language's files handed on before the next is made, so that memory holds one
    // language's postings and files at a time.
    for (lang, view) in &views.langs {
        if only.is_some_and(|o| !o.contains(lang)) {
            continue;
        }
        let files = index::build(site, view, lang)
            .files
            .into_iter()
            .map(|(name, bytes)| (views.routes.file(lang, Route::SearchFile(&name)), bytes))
            .collect();
        sink(Some(lang.clone()), files);
    }
}

/// The script's file: its path and bytes.
pub fn script_file(site: &Site, routes: &Routes) -> (String, Vec<u8>) {
    let lang = &site.config.default_language;
    (
        routes.file(lang, Route::Asset(&script_path())),
        SCRIPT.as_bytes().to_vec(),
    )
}

/// One language's index, as [`files`] gives it, built from `analysed` once the
/// practices `changed` (by index; all when `None`) are analysed again: what `limes
/// serve` does after an edit, analysing only what the edit changed.
pub fn lang_files(
    site: &Site,
    routes: &Routes,
    lang: &Lang,
    view: &LangView,
    analysed: &mut analysed::Analysed,
    changed: Option<&BTreeSet<usize>>,
) -> Vec<(String, Vec<u8>)> {
    analysed.update(site, view, lang, changed);
    analysed::build_from(site, view, lang, analysed)
        .files
        .into_iter()
        .map(|(name, bytes)| (routes.file(lang, Route::SearchFile(&name)), bytes))
        .collect()
}

/// The languages whose search index shows the text of the `file_lang` translation of
/// a practice with these translations (that language, and those that fall back to it
/// when they have none of their own).
pub fn languages_showing<T>(
    site: &Site,
    texts: &BTreeMap<Lang, T>,
    file_lang: &Lang,
) -> BTreeSet<Lang> {
    site.config
        .languages
        .iter()
        .filter(|l| {
            crate::model::pick(&site.config, texts, l).is_some_and(|(shown, _)| shown == file_lang)
        })
        .cloned()
        .collect()
}
