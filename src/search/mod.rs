//! Search: one more renderer over the site graph. For every language it writes an index
//! the browser reads a piece at a time (`index.rs`), built with that language's analyzer
//! (`analyze.rs`, with the stemmers of `stem.rs`); the browser's script analyses queries
//! with the same lists and algorithms.

pub mod analyze;
pub mod index;
pub mod stem;

use rayon::prelude::*;

use crate::model::Site;
use crate::output::Plan;
use crate::routes::Route;
use crate::view::Views;

/// The browser's side of search: the analyzer, the query, the result list.
const SCRIPT: &str = include_str!("search.js");

/// Where the script is published, named by its content.
pub fn script_path() -> String {
    format!(
        "search/{}",
        index::hashed("search", SCRIPT.as_bytes(), "js")
    )
}

/// The search index of every language, under `/<lang>/search/`, and the script.
pub fn index(site: &Site, views: &Views, plan: &mut Plan) {
    let lang = &site.config.default_language;
    plan.add(
        views.routes.file(lang, Route::Asset(&script_path())),
        SCRIPT.as_bytes().to_vec(),
    );
    let built: Vec<_> = views
        .langs
        .par_iter()
        .map(|(lang, view)| (lang, index::build(site, view, lang)))
        .collect();
    for (lang, built) in built {
        for (name, bytes) in built.files {
            plan.add(views.routes.file(lang, Route::SearchFile(&name)), bytes);
        }
    }
}
