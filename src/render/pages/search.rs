//! The search page of a language: the form (it works as a plain GET form), the facets
//! as filters, and what the search script needs to read the index.

use super::*;
use crate::routes::Facet;
use crate::search;

pub(super) fn search(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let facets: Vec<Value> = ls
        .view
        .facets
        .iter()
        .zip(Facet::ALL)
        .map(|(group, facet)| {
            context! { param => facet.param(), title => &group.title, url => &group.url, terms => &group.terms }
        })
        .collect();
    // Every language's index, for a search in all of them at once.
    let indexes: Vec<Value> = site
        .config
        .languages
        .iter()
        .map(|l| {
            context! {
                code => l.as_str(),
                name => site.strings.language_name(l),
                manifest => urls.url(l, Route::SearchFile(search::index::MANIFEST)),
            }
        })
        .collect();
    let names: BTreeMap<&str, &str> = site
        .config
        .languages
        .iter()
        .map(|l| (l.as_str(), site.strings.language_name(l)))
        .collect();
    let t = site.strings.plural_table(&site.config, lang);
    // What the script reads (as JSON, in a script element that is not run).
    let config = context! {
        lang => lang.as_str(),
        indexes => indexes,
        names => names,
        t => context! {
            count => t.get("practice_count"),
            none => ls.s("search_no_results"),
            prompt => ls.s("search_prompt"),
            aside => ls.s("aside"),
            part_separator => ls.s("part_separator"),
        },
    };
    let extra = context! {
        facets => ls.facets.clone(),
        search => context! {
            url => urls.url(lang, Route::Search),
            manifest => urls.url(lang, Route::SearchFile(search::index::MANIFEST)),
            script => urls.url(lang, Route::Asset(&search::script_path())),
            filters => facets,
            practices_url => urls.url(lang, Route::Practices),
            config => config,
        },
    };
    let page = InterfacePage {
        route: Route::Search,
        kind: "search",
        title: ls.s("search"),
        trail: &[],
        extra,
    };
    interface_page(site, env, shared, lang, page)
}
