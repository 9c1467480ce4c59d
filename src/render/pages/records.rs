//! The pages of records: practices, partners and free pages.

use super::*;
use crate::model::{Page, Partner, Practice, PracticeText};
use crate::types::Slug;

/// What the page of a record says about itself; [`record_page`] makes the rest, the
/// same for every kind of record.
struct RecordPage<'a> {
    /// The page kind (`page.kind`) and the name of its template (`<kind>.html`).
    kind: &'static str,
    /// What the template calls the record (`practice`, `partner`, `content`).
    key: &'static str,
    route: Route<'a>,
    /// The page of a record whose list of practices is split into pages, and how many
    /// there are (`(1, 1)` for most: later pages link back to the first in their
    /// breadcrumbs and add "Page n of m" to the title).
    page: (usize, usize),
    /// The listing the breadcrumbs pass through: its label's key and its route.
    parent: Option<(&'static str, Route<'a>)>,
    title: String,
    description: String,
    /// The languages the record exists in, and the one it is shown in.
    exists_in: Vec<&'a Lang>,
    shown: &'a Lang,
    content: Value,
}

/// A record's page: language links and alternates, a canonical link to the original
/// when the text comes from a fallback language (and then no sitemap entry),
/// breadcrumbs, and the record under its key.
fn record_page(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    r: RecordPage,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let place = Place {
        lang,
        route: r.route,
        page: r.page.0,
        exists_in: Some(r.exists_in),
        shown: (r.shown != lang).then_some(r.shown),
    };
    let mut trail: Vec<(String, String)> = r
        .parent
        .map(|(key, route)| (ls.s(key), urls.url(lang, route)))
        .into_iter()
        .collect();
    let title = nth_title(ls, &r.title, r.page.0, r.page.1);
    if r.page.0 > 1 {
        trail.push((r.title, urls.url(lang, r.route)));
    }
    let trail: Vec<(&str, String)> = trail.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    let page = page_ctx(
        site,
        urls,
        &place,
        r.kind,
        title,
        r.description,
        crumbs(ls, urls, lang, &trail),
    );
    let in_sitemap = place.shown.is_none();
    let record = Value::from_iter([(r.key, r.content)]);
    let ctx = context! { site => ls.site.clone(), t => ls.t.clone(), page => page, ..record };
    Ok(vec![page_file(
        urls,
        &urls.page(lang, r.route, r.page.0),
        html(env, &format!("{}.html", r.kind), ctx)?,
        in_sitemap.then_some(&page),
    )])
}

pub(super) fn practice(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    p: &Practice,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let (shown, text, practice) = practice_context(site, urls, ls, lang, p, true);
    let (exists_in, _) = translations(site, &p.texts, lang, |l| {
        urls.url(l, Route::Practice(&p.slug))
    });
    let page = RecordPage {
        kind: "practice",
        key: "practice",
        route: Route::Practice(&p.slug),
        page: (1, 1),
        parent: Some(("practices", Route::Practices)),
        title: text.title.clone(),
        description: text.summary.clone().unwrap_or_default(),
        exists_in,
        shown,
        content: context! { map => {
            let partners: Vec<&crate::model::Partner> = p.partners.iter().filter_map(|s| site.partner(s)).collect();
            let territories: Vec<&crate::types::TerritoryId> = p.territories.iter().collect();
            super::maps::partners_map(site, shared, ls, lang, &partners, &territories, &p.slug)
        }, data => data_links(urls, lang, &[
            ("data_practices", vec![("CSV", urls.url(lang, Route::Data("practices.csv"))), ("JSON", urls.url(lang, Route::Data("practices.json")))]),
        ]), ..practice.clone() },
    };
    let mut out = record_page(site, env, shared, lang, page)?;
    // What the comparison page reads of it: the same facts, as JSON (not the body).
    let compared: BTreeMap<&str, Value> = COMPARED
        .iter()
        .filter_map(|k| practice.get_attr(k).ok().map(|v| (*k, v)))
        .collect();
    out.push(practice_entry(
        site,
        urls,
        lang,
        &p.slug,
        &Value::from(compared),
    ));
    Ok(out)
}

/// The fields of a practice the comparison shows (and its address and title).
const COMPARED: &[&str] = &[
    "slug",
    "url",
    "lang",
    "title",
    "summary",
    "status_label",
    "period",
    "countries",
    "territories",
    "border",
    "themes",
    "target_groups",
    "partners",
    "programme",
    "budget",
    "results",
    "transferability_label",
];

/// A practice as a reader of `lang` sees it: the language shown, its text, and the
/// facts and texts of its page (with the rendered body when `body`).
pub(super) fn practice_context<'a>(
    site: &'a Site,
    urls: &Routes,
    ls: &LangShared,
    lang: &Lang,
    p: &'a Practice,
    body: bool,
) -> (&'a Lang, &'a PracticeText, Value) {
    let (shown, text) = pick(&site.config, &p.texts, lang).expect("a practice has a translation");
    let s = |k: &str| ls.s(k);
    let term_links = |facet: Facet, ids: &[&str]| -> Vec<Link> {
        ids.iter()
            .map(|id| {
                let (t, l) = term_label(site, &ls.strings, lang, facet, id);
                link_to(t, urls.url(lang, Route::Term(facet, id)), l)
            })
            .collect()
    };
    // Links to the partners, each named as `partner_name` says (an official name with
    // its translation as a gloss).
    let partners: Vec<Value> = p
        .partners
        .iter()
        .filter_map(|slug| {
            let partner = site.partner(slug)?;
            let n = partner_name(site, partner, lang);
            Some(context! {
                title => n.name, lang => n.lang, gloss => n.gloss,
                url => urls.url(lang, Route::Partner(slug)),
            })
        })
        .collect();
    let territories: Vec<Link> = p
        .territories
        .iter()
        .filter_map(|id| territory_link(site, urls, lang, id))
        .collect();
    // Text fields a translation may leave out come from the fallback chain.
    let labels = from_chain(site, &p.texts, lang, |t| {
        Some(t.result_labels.clone()).filter(|l| !l.is_empty())
    })
    .unwrap_or_default();
    let results: Vec<Value> = p
        .results
        .iter()
        .enumerate()
        .map(|(k, r)| context! { label => labels.get(k).cloned().unwrap_or_default(), value => site.strings.locale(lang).number(r.value), unit => r.unit.clone() })
        .collect();
    let contact = from_chain(site, &p.texts, lang, |t| t.contact.clone());
    let sources = from_chain(site, &p.texts, lang, |t| {
        Some(t.sources.clone()).filter(|s| !s.is_empty())
    })
    .unwrap_or_default();
    let (_, also) = translations(site, &p.texts, lang, |l| {
        urls.url(l, Route::Practice(&p.slug))
    });
    let practice = context! {
        slug => &p.slug,
        url => urls.url(lang, Route::Practice(&p.slug)),
        lang => (shown != lang).then(|| shown.to_string()),
        title => &text.title,
        summary => &text.summary,
        body => body.then(|| body_html(site, urls, lang, &text.body)),
        status => p.status.as_str(),
        status_label => status_label(&ls.strings, p.status),
        start => p.start.map(|d| d.to_string()),
        end => p.end.map(|d| d.to_string()),
        period => period(site.strings.locale(lang), &ls.strings, p),
        countries => term_links(Facet::Country, &strs(&p.countries)),
        territories => territories,
        border => p.border.as_ref().map(|b| term_links(Facet::Border, &[b]).remove(0)),
        themes => term_links(Facet::Theme, &strs(&p.themes)),
        target_groups => term_links(Facet::TargetGroup, &strs(&p.target_groups)),
        partners => partners,
        programme => from_chain(site, &p.texts, lang, |t| t.programme.clone()),
        website => from_chain(site, &p.texts, lang, |t| t.website.clone()),
        contact => contact,
        budget => p.budget.as_ref().map(|b| context! { amount => site.strings.locale(lang).number(b.amount), currency => &b.currency, text => site.strings.locale(lang).money(b.amount, &b.currency) }),
        transferability => p.transferability.map(|t| t.as_str()),
        transferability_label => p.transferability.map(|t| s(&format!("transferability_{}", t.as_str()))),
        results => results,
        sources => sources,
        also_available => also,
    };
    (shown, text, practice)
}

/// The strings of a list, borrowed.
fn strs<S: AsRef<str>>(list: &[S]) -> Vec<&str> {
    list.iter().map(AsRef::as_ref).collect()
}

pub(super) fn cards_for<'a>(site: &Site, ls: &'a LangShared, slugs: &[Slug]) -> Vec<&'a Card> {
    let mut idx: Vec<usize> = slugs
        .iter()
        .filter_map(|s| site.index.practice.get(s.as_str()).copied())
        .collect();
    idx.sort_by_key(|&i| ls.position[i]);
    idx.dedup();
    idx.iter().map(|&i| &ls.cards[i]).collect()
}

pub(super) fn partner(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    p: &Partner,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let (shown, text) = pick(&site.config, &p.texts, lang).expect("a partner has a translation");
    let practices = cards_for(
        site,
        ls,
        site.index
            .partner_practices
            .get(&p.slug)
            .map(Vec::as_slice)
            .unwrap_or(&[]),
    );
    let kind = site.vocab.partner_kinds.get(&p.kind).map(|m| {
        let (t, l) = label(site, m, lang);
        link_to(t, String::new(), (l != lang).then(|| l.to_string()))
    });
    let territory = p
        .territory
        .as_ref()
        .and_then(|id| territory_link(site, urls, lang, id));
    let (exists_in, also) = translations(site, &p.texts, lang, |l| {
        urls.url(l, Route::Partner(&p.slug))
    });
    let country_name = site
        .strings
        .country(&site.config, lang, &p.country)
        .unwrap_or(&p.country)
        .to_string();
    let naming = partner_name(site, p, lang);
    let route = Route::Partner(&p.slug);
    let (first, pages) = page_of(&practices, 1);
    let partner = context! {
        slug => &p.slug,
        name => &naming.name,
        name_lang => &naming.lang,
        gloss => &naming.gloss,

        short_name => &text.short_name,
        city => from_chain(site, &p.texts, lang, |t| t.city.clone()),
        website => from_chain(site, &p.texts, lang, |t| t.website.clone()),
        kind => kind,
        country => link_to(country_name, urls.url(lang, Route::Term(Facet::Country, &p.country)), None),
        territory => territory,
        body => body_html(site, urls, lang, &text.body),
        practices => first,
        practice_total => practices.len(),
        also_available => also,
    };
    let page = |n: usize, content: Value| RecordPage {
        kind: "partner",
        key: "partner",
        route,
        page: (n, pages),
        parent: Some(("partners", Route::Partners)),
        title: text.name.clone(),
        description: String::new(),
        exists_in: exists_in.clone(),
        shown,
        content: context! { pagination => pagination(urls, lang, route, n, pages), ..content },
    };
    let mut out = record_page(site, env, shared, lang, page(1, partner))?;
    // The practices past the first page, each later page with the partner's name.
    for n in 2..=pages {
        let (items, _) = page_of(&practices, n);
        let partner = context! {
            slug => &p.slug, name => &naming.name, name_lang => &naming.lang, gloss => &naming.gloss,
            practices => items, practice_total => practices.len(),
        };
        out.extend(record_page(site, env, shared, lang, page(n, partner))?);
    }
    Ok(out)
}

pub(super) fn free_page(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    p: &Page,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let (shown, text) = pick(&site.config, &p.texts, lang).expect("a page has a translation");
    let (exists_in, also) =
        translations(site, &p.texts, lang, |l| urls.url(l, Route::Page(&p.slug)));
    let content = context! {
        slug => &p.slug, title => &text.title, summary => &text.summary, updated => text.updated.map(|d| d.to_string()), updated_text => text.updated.map(|d| site.strings.locale(lang).date(d)),
        body => body_html(site, urls, lang, &text.body), also_available => also,
    };
    let page = RecordPage {
        kind: "page",
        key: "content",
        route: Route::Page(&p.slug),
        page: (1, 1),
        parent: None,
        title: text.title.clone(),
        description: text.summary.clone().unwrap_or_default(),
        exists_in,
        shown,
        content,
    };
    record_page(site, env, shared, lang, page)
}
