//! What every template sees, per language, as template values made once per build from
//! the views ([`crate::view`]): `site` (title, navigation, addresses), `t` (the
//! interface strings, plural ones as tables) and `facets`. Built before the parallel
//! render so that pages only clone cheap values.

use std::collections::BTreeMap;
use std::ops::Deref;

use minijinja::Value;
use serde::Serialize;

use crate::i18n;
use crate::model::Site;
use crate::routes::{Route, Routes};
use crate::types::Lang;
use crate::view::{LangView, Link, Views};

/// Per language: the shared view and its template values.
pub struct LangShared {
    pub view: LangView,
    pub site: Value,
    /// What templates see as `t`: the plain strings and the plural ones.
    pub t: Value,
    pub facets: Value,
}

/// Pages read the view's fields through the template values' owner.
impl Deref for LangShared {
    type Target = LangView;
    fn deref(&self) -> &LangView {
        &self.view
    }
}

pub struct Shared {
    pub urls: Routes,
    pub langs: BTreeMap<Lang, LangShared>,
    /// The maps' drawings, made once for every language.
    pub maps: super::map::Cache,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    lang: &'a str,
    dir: &'static str,
    root_url: String,
    home_url: String,
    base_url: &'a str,
    stylesheet: String,
    search_url: String,
    nav: &'a [Link],
    default_language: &'a str,
    /// The comparison: its page, its script, what the script says on every page.
    compare_url: String,
    compare_script: String,
    compare: Value,
}

impl Shared {
    pub fn new(site: &Site, views: Views) -> Self {
        let urls = views.routes;
        let langs = views
            .langs
            .into_iter()
            .map(|(lang, view)| {
                let shared = Self::for_lang(site, &urls, &lang, view);
                (lang, shared)
            })
            .collect();
        Shared {
            urls,
            langs,
            maps: Default::default(),
        }
    }

    fn for_lang(site: &Site, urls: &Routes, lang: &Lang, view: LangView) -> LangShared {
        let site_ctx = SiteCtx {
            title: &view.title,
            description: &view.description,
            lang: lang.as_str(),
            dir: i18n::direction(lang),
            root_url: urls.url(lang, Route::Chooser),
            home_url: urls.url(lang, Route::Home),
            base_url: &site.config.base_url,
            stylesheet: urls.url(lang, Route::Asset("css/site.css")),
            search_url: urls.url(lang, Route::Search),
            nav: &view.nav,
            default_language: site.config.default_language.as_str(),
            compare_url: urls.url(lang, Route::Compare),
            compare_script: urls.url(lang, Route::Asset(&super::pages::compare_script_path())),
            compare: compare_site_config(urls, lang, &view),
        };
        let mut t: BTreeMap<String, Value> = view
            .strings
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        for (k, forms) in site.strings.plural_table(&site.config, lang) {
            t.insert(k, Value::from_serialize(&forms));
        }
        LangShared {
            site: Value::from_serialize(&site_ctx),
            t: Value::from_serialize(&t),
            facets: Value::from_serialize(&view.facets),
            view,
        }
    }
}

/// What the comparison script needs on every page (in a JSON script element).
fn compare_site_config(urls: &Routes, lang: &Lang, view: &LangView) -> Value {
    let s = |k: &str| view.strings.get(k).cloned().unwrap_or_default();
    minijinja::context! {
        url => urls.url(lang, Route::Compare),
        practices_url => urls.url(lang, Route::Practices),
        max => super::pages::MAX_PRACTICES,
        t => minijinja::context! {
            toggle => s("compare_toggle"), toggle_named => s("compare_toggle_named"),
            link => s("compare_link"), removed => s("compare_removed"), full => s("compare_full"),
            one_more => s("compare_one_more"), added => s("compare_added"), cleared => s("compare_cleared"),
        },
    }
}
