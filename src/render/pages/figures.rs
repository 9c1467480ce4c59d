//! The statistics as pages show them: an indicator's values as tables and charts for
//! a territory, the sides of a border compared, and an indicator's page with every
//! territory ranked. Numbers and years are formatted in the reader's language here;
//! the words around them are the templates', and the punctuation that puts names,
//! years and titles together the interface strings' (`list_separator`,
//! `part_separator`, `year_range`).

use super::*;
use crate::i18n::Locale;
use crate::model::figures::{Verdict, as_shown, difference, from_shown};
use crate::model::{Better, Indicator};
use crate::render::chart::{self, Bar, Series, Texts};
use crate::types::TerritoryId;

/// An indicator as every page names it.
pub(super) fn indicator_head(site: &Site, urls: &Routes, lang: &Lang, ind: &Indicator) -> Value {
    let (name, nlang) = label(site, &ind.name, lang);
    let source = site.config.pick(&ind.source, lang);
    let definition = site.config.pick(&ind.definition, lang);
    context! {
        id => &ind.id,
        name => name,
        lang => (nlang != lang).then(|| nlang.to_string()),
        url => urls.url(lang, Route::Indicator(&ind.id)),
        unit => &ind.unit,
        better => better_key(ind.better),
        source => source.map(|s| s.1),
        source_lang => source.and_then(|s| (s.0 != lang).then(|| s.0.to_string())),
        definition => definition.map(|d| d.1),
        definition_lang => definition.and_then(|d| (d.0 != lang).then(|| d.0.to_string())),
    }
}

fn better_key(b: Better) -> &'static str {
    match b {
        Better::Lower => "lower",
        Better::Higher => "higher",
        Better::Neutral => "neutral",
    }
}

/// A value with the indicator's decimals and unit: "12,1 %".
pub(super) fn with_unit(locale: &Locale, ind: &Indicator, v: f64) -> String {
    let n = locale.decimal(v, ind.decimals);
    match &ind.unit {
        Some(u) => format!("{n}\u{a0}{u}"),
        None => n,
    }
}

/// One cell of a table of values: the value as shown, or not available; its note.
fn cell(locale: &Locale, ind: &Indicator, o: Option<&Observation>) -> Value {
    let value = o.and_then(|o| o.value);
    context! {
        value => value.map(|v| with_unit(locale, ind, v)),
        note => o.and_then(|o| o.note.clone()),
    }
}

/// A difference as words read it: "3,2 points" for a percentage (the plural form of
/// the number as shown: "1,0 point", "3,2 postotna boda"), the value with its unit
/// otherwise.
fn amount(ls: &LangShared, locale: &Locale, ind: &Indicator, amount: f64) -> String {
    // "%", "% of GDP": a difference of percentages is in points.
    if !ind
        .unit
        .as_deref()
        .is_some_and(|u| u.trim_start().starts_with('%'))
    {
        return with_unit(locale, ind, amount);
    }
    let n = locale.decimal(amount, ind.decimals);
    let form =
        ls.t.get_attr("points")
            .and_then(|forms| forms.get_attr(locale.plural_decimal(amount, ind.decimals)))
            .ok()
            .and_then(|f| f.as_str().map(str::to_string));
    match form {
        Some(f) => f.replace("{n}", &n),
        None => n,
    }
}

/// The description of a chart: what, where, from which year to which.
fn chart_desc(ls: &LangShared, locale: &Locale, what: &str, years: &[i32]) -> String {
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return String::new();
    };
    let span = if first == last {
        locale.year(*first)
    } else {
        crate::view::range(
            &ls.strings,
            "year_range",
            &locale.year(*first),
            &locale.year(*last),
        )
    };
    ls.s("chart_description")
        .replace("{what}", what)
        .replace("{years}", &span)
}

/// A line chart and its legend for `columns` (territory, label) over `years`.
fn line_chart(
    site: &Site,
    ls: &LangShared,
    lang: &Lang,
    ind: &Indicator,
    columns: &[(&TerritoryId, String)],
    years: &[i32],
) -> Value {
    let locale = site.strings.locale(lang);
    let id = format!("chart-{}", ind.id);
    let title = label(site, &ind.name, lang).0;
    let series: Vec<Series> = columns
        .iter()
        .map(|(t, _)| Series {
            points: years
                .iter()
                .map(|&y| (y, site.observation(t, &ind.id, y).and_then(|o| o.value)))
                .collect(),
        })
        .collect();
    let names: Vec<&str> = columns.iter().map(|c| c.1.as_str()).collect();
    let what = format!(
        "{title}{}{}",
        ls.s("part_separator"),
        crate::view::list(&ls.strings, &names)
    );
    let desc = chart_desc(ls, locale, &what, years);
    let texts = Texts {
        id: &id,
        title: &what,
        desc: &desc,
    };
    let fmt = |v: f64| locale.number(v);
    let year = |y: i32| locale.year(y);
    // Nothing to draw: no chart (the table says "not available").
    let any = series
        .iter()
        .any(|s| s.points.iter().any(|p| p.1.is_some()));
    let svg =
        any.then(|| Value::from_safe_string(chart::line(&texts, years, &series, &fmt, &year)));
    let legend: Vec<Value> = columns
        .iter()
        .enumerate()
        .map(|(n, (_, label))| context! { label => label, key => Value::from_safe_string(chart::key(n)) })
        .collect();
    context! { svg => svg, legend => legend, unit => &ind.unit }
}

/// Every indicator of a territory, year by year, with its chart.
pub(super) fn territory_indicators(
    site: &Site,
    urls: &Routes,
    ls: &LangShared,
    lang: &Lang,
    t: &TerritoryId,
    name: &str,
) -> Vec<Value> {
    let locale = site.strings.locale(lang);
    site.indicators
        .iter()
        .filter(|ind| site.series(t, &ind.id).next().is_some())
        .map(|ind| {
            let head = indicator_head(site, urls, lang, ind);
            let years = site.years([t], &ind.id);
            let rows: Vec<Value> = site
                .series(t, &ind.id)
                .map(|o| context! { year => locale.year(o.year), ..cell(locale, ind, Some(o)) })
                .collect();
            let chart = line_chart(site, ls, lang, ind, &[(t, name.to_string())], &years);
            context! { head => head, rows => rows, chart => chart }
        })
        .collect()
}

/// Names a side of a border by its territories.
fn side_label(site: &Site, ls: &LangShared, lang: &Lang, side: &[TerritoryId]) -> String {
    let names: Vec<&str> = side
        .iter()
        .filter_map(|t| site.territory(t))
        .map(|t| label(site, &t.name, lang).0)
        .collect();
    crate::view::list(&ls.strings, &names)
}

/// A border's sides and, per indicator, its territories compared: in the latest year
/// every one of them has a value, with what is newer on some side; the difference in
/// numbers (two territories) or the lowest and highest (more); the years as a table
/// and a chart.
pub(super) fn border_ctx(
    site: &Site,
    shared: &Shared,
    ls: &LangShared,
    lang: &Lang,
    id: &str,
) -> Value {
    let urls = &shared.urls;
    let Some(b) = site.border(id) else {
        return Value::from(());
    };
    let labels: Vec<String> = b
        .sides
        .iter()
        .map(|side| side_label(site, ls, lang, side))
        .collect();
    let sides: Vec<Value> = b
        .sides
        .iter()
        .enumerate()
        .map(|(n, side)| {
            let territories: Vec<Link> = side
                .iter()
                .filter_map(|tid| territory_link(site, urls, lang, tid))
                .collect();
            context! { number => n + 1, label => &labels[n], territories => territories }
        })
        .collect();
    let map = super::maps::border_map(site, shared, ls, lang, b, &labels);
    // One column per territory, in side order; the name of a territory is its side's
    // when it is alone on it.
    let columns: Vec<(&TerritoryId, String, usize)> = b
        .sides
        .iter()
        .enumerate()
        .flat_map(|(n, side)| side.iter().map(move |t| (t, n)))
        .filter_map(|(t, n)| {
            site.territory(t)
                .map(|tt| (t, label(site, &tt.name, lang).0.to_string(), n + 1))
        })
        .collect();
    let indicators: Vec<Value> = site
        .indicators
        .iter()
        .filter(|ind| {
            columns
                .iter()
                .any(|c| site.series(c.0, &ind.id).next().is_some())
        })
        .map(|ind| border_indicator(site, shared, ls, lang, ind, &b.id, &columns))
        .collect();
    context! { id => &b.id, sides => sides, map => map, indicators => indicators }
}

/// One indicator on a border page. The table and chart have a column for each
/// territory with a row for it; the territories with a value in some year are compared
/// in the latest year they all have one, provided they lie on two sides or more; the
/// territories without any row are named as without data.
fn border_indicator(
    site: &Site,
    shared: &Shared,
    ls: &LangShared,
    lang: &Lang,
    ind: &Indicator,
    border: &str,
    columns: &[(&TerritoryId, String, usize)],
) -> Value {
    let urls = &shared.urls;
    let locale = site.strings.locale(lang);
    let has_rows = |t: &TerritoryId| site.series(t, &ind.id).next().is_some();
    let cols: Vec<&(&TerritoryId, String, usize)> =
        columns.iter().filter(|c| has_rows(c.0)).collect();
    let missing: Vec<Link> = columns
        .iter()
        .filter(|c| !has_rows(c.0))
        .filter_map(|c| territory_link(site, urls, lang, c.0))
        .collect();
    let headers: Vec<Value> = cols
        .iter()
        .enumerate()
        .map(|(n, c)| context! { link => territory_link(site, urls, lang, c.0), side => c.2, key => Value::from_safe_string(chart::key(n)) })
        .collect();
    // Who is compared: the columns with a value in some year, on two sides at least.
    let valued: Vec<usize> = (0..cols.len())
        .filter(|&i| site.latest_value(cols[i].0, &ind.id).is_some())
        .collect();
    let mut sides: Vec<usize> = valued.iter().map(|&i| cols[i].2).collect();
    sides.dedup();
    let year = if sides.len() > 1 {
        let ids: Vec<&TerritoryId> = valued.iter().map(|&i| cols[i].0).collect();
        site.common_year(&ids, &ind.id)
    } else {
        None
    };
    let value_of = |i: usize| {
        year.and_then(|y| site.observation(cols[i].0, &ind.id, y))
            .and_then(|o| o.value)
    };
    // Two territories: how the first differs from the second; the marks say which is
    // the better one.
    let mut marks = vec![Verdict::Neither; cols.len()];
    let pair = match (year, valued.as_slice()) {
        (Some(_), &[i, j]) => {
            let (a, b) = (
                value_of(i).unwrap_or_default(),
                value_of(j).unwrap_or_default(),
            );
            let (d, direction, verdict) = difference(a, b, ind.decimals, ind.better);
            marks[i] = verdict;
            marks[j] = difference(b, a, ind.decimals, ind.better).2;
            Some(context! {
                place => &cols[i].1, other => &cols[j].1,
                direction => direction.as_str(), verdict => verdict.as_str(),
                diff => amount(ls, locale, ind, d),
            })
        }
        _ => None,
    };
    // More: the lowest and the highest, and which end is the better one.
    let extremes = match year {
        Some(_) if valued.len() > 2 => {
            let shown: Vec<(usize, f64)> = valued
                .iter()
                .filter_map(|&i| value_of(i).map(|v| (i, as_shown(v, ind.decimals))))
                .collect();
            let lo = shown.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
            let hi = shown.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
            let names = |x: f64| -> String {
                let names: Vec<&str> = shown
                    .iter()
                    .filter(|s| s.1 == x)
                    .map(|s| cols[s.0].1.as_str())
                    .collect();
                crate::view::list(&ls.strings, &names)
            };
            (lo < hi).then(|| {
                let (lowest, highest) = (
                    difference(lo, hi, 0, ind.better).2,
                    difference(hi, lo, 0, ind.better).2,
                );
                for s in &shown {
                    if s.1 == lo {
                        marks[s.0] = lowest;
                    } else if s.1 == hi {
                        marks[s.0] = highest;
                    }
                }
                context! {
                    lowest => names(lo), highest => names(hi),
                    lowest_verdict => lowest.as_str(), highest_verdict => highest.as_str(),
                    diff => amount(ls, locale, ind, from_shown(hi - lo, ind.decimals)),
                }
            })
        }
        _ => None,
    };
    // What is newer than the compared year, territory by territory.
    let newer: Vec<Value> = valued
        .iter()
        .filter_map(|&i| {
            let o = site.latest_value(cols[i].0, &ind.id)?;
            (year.is_some_and(|y| o.year > y)).then(|| {
                context! { place => &cols[i].1, year => locale.year(o.year), ..cell(locale, ind, Some(o)) }
            })
        })
        .collect();
    let compared: Vec<Value> = valued
        .iter()
        .map(|&i| {
            let o = year.and_then(|y| site.observation(cols[i].0, &ind.id, y));
            context! { header => &headers[i], mark => marks[i].as_str(), ..cell(locale, ind, o) }
        })
        .collect();
    let ids: Vec<&TerritoryId> = cols.iter().map(|c| c.0).collect();
    let years = site.years(ids.iter().copied(), &ind.id);
    let rows: Vec<Value> = years
        .iter()
        .map(|&y| {
            let cells: Vec<Value> = ids
                .iter()
                .map(|t| cell(locale, ind, site.observation(t, &ind.id, y)))
                .collect();
            context! { year => locale.year(y), compared => Some(y) == year, cells => cells }
        })
        .collect();
    let chart_columns: Vec<(&TerritoryId, String)> =
        cols.iter().map(|c| (c.0, c.1.clone())).collect();
    // The compared year on a map of the border's territories (those without any
    // value hatched).
    let everyone: Vec<&TerritoryId> = columns.iter().map(|c| c.0).collect();
    let map = year.and_then(|y| {
        super::maps::choropleth(
            site,
            shared,
            ls,
            lang,
            ind,
            &everyone,
            y,
            &format!("{border}\0{}", ind.id),
            &format!("map-{}", ind.id),
        )
    });
    context! {
        map => map,
        head => indicator_head(site, urls, lang, ind),
        headers => headers, missing => missing,
        comparable => sides.len() > 1,
        year => year.map(|y| locale.year(y)),
        compared => compared, pair => pair, extremes => extremes, newer => newer,
        rows => rows, chart => line_chart(site, ls, lang, ind, &chart_columns, &years),
    }
}

/// The latest year any territory has a value for `ind`.
fn latest_year(site: &Site, ind: &Indicator) -> Option<i32> {
    site.observations
        .iter()
        .filter(|o| o.indicator == ind.id && o.value.is_some())
        .map(|o| o.year)
        .max()
}

/// `/<lang>/indicators/`: every indicator, its unit, source and latest year.
pub(super) fn indicators(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let locale = site.strings.locale(lang);
    let items: Vec<Value> = site
        .indicators
        .iter()
        .map(|ind| {
            let territories = site.index.series.values().filter(|by| by.contains_key(&ind.id)).count();
            context! { head => indicator_head(site, urls, lang, ind), year => latest_year(site, ind).map(|y| locale.year(y)), territories => territories }
        })
        .collect();
    interface_page(
        site,
        env,
        shared,
        lang,
        InterfacePage {
            route: Route::Indicators,
            kind: "indicators",
            title: ls.s("indicators"),
            trail: &[],
            extra: context! { items => items },
        },
    )
}

/// `/<lang>/indicators/<id>/`: what is measured and every territory ranked in the latest
/// year (the better end first; largest first when neither end is better), with a bar
/// chart; territories without a value that year are listed after, with their latest.
pub(super) fn indicator(
    site: &Site,
    env: &Environment<'static>,
    shared: &Shared,
    lang: &Lang,
    ind: &Indicator,
) -> Result<Vec<Rendered>, Error> {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let locale = site.strings.locale(lang);
    let year = latest_year(site, ind);
    let mut ranked: Vec<(&crate::model::Territory, f64, &Observation)> = Vec::new();
    let mut missing: Vec<Value> = Vec::new();
    for t in &site.territories {
        if site.series(&t.id, &ind.id).next().is_none() {
            continue;
        }
        match year.and_then(|y| site.observation(&t.id, &ind.id, y)) {
            Some(o) if o.value.is_some() => ranked.push((t, o.value.unwrap_or_default(), o)),
            o => {
                let latest = site.latest_value(&t.id, &ind.id);
                missing.push(context! {
                    link => territory_link(site, urls, lang, &t.id),
                    note => o.and_then(|o| o.note.clone()),
                    latest => latest.map(|l| context! { year => locale.year(l.year), ..cell(locale, ind, Some(l)) }),
                });
            }
        }
    }
    ranked.sort_by(|a, b| {
        let (x, y) = (as_shown(a.1, ind.decimals), as_shown(b.1, ind.decimals));
        let order = match ind.better {
            Better::Lower => x.total_cmp(&y),
            Better::Higher | Better::Neutral => y.total_cmp(&x),
        };
        order.then_with(|| {
            locale.compare(
                label(site, &a.0.name, lang).0,
                label(site, &b.0.name, lang).0,
            )
        })
    });
    // Equal values share a rank ("1, 2, 2, 4").
    let mut rows: Vec<Value> = Vec::new();
    let mut rank = 0;
    let mut last: Option<f64> = None;
    for (i, (t, v, o)) in ranked.iter().enumerate() {
        let shown = as_shown(*v, ind.decimals);
        if last != Some(shown) {
            rank = i + 1;
            last = Some(shown);
        }
        rows.push(context! { rank => locale.number(rank as f64), link => territory_link(site, urls, lang, &t.id), ..cell(locale, ind, Some(o)) });
    }
    let title = label(site, &ind.name, lang).0.to_string();
    let bars: Vec<Bar> = ranked
        .iter()
        .map(|(t, v, _)| Bar {
            label: label(site, &t.name, lang).0.to_string(),
            value: Some(*v),
            marked: false,
        })
        .collect();
    let what = match year {
        Some(y) => format!("{title}{}{}", ls.s("part_separator"), locale.year(y)),
        None => title.clone(),
    };
    let desc = ls.s("ranking_description").replace("{what}", &what);
    let fmt = |v: f64| with_unit(locale, ind, v);
    let chart = (!bars.is_empty()).then(|| {
        Value::from_safe_string(chart::bars(
            &Texts {
                id: "ranking-chart",
                title: &what,
                desc: &desc,
            },
            &bars,
            &fmt,
            &ls.s("not_available"),
        ))
    });
    let trail = [(ls.s("indicators"), urls.url(lang, Route::Indicators))];
    let trail: Vec<(&str, String)> = trail.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
    interface_page(
        site,
        env,
        shared,
        lang,
        InterfacePage {
            route: Route::Indicator(&ind.id),
            kind: "indicator",
            title,
            trail: &trail,
            extra: context! {
                indicator => indicator_head(site, urls, lang, ind),
                year => year.map(|y| locale.year(y)),
                rows => rows, missing => missing, chart => chart,
                map => year.and_then(|y| {
                    let all: Vec<&TerritoryId> = site.territories.iter().map(|t| &t.id).collect();
                    super::maps::choropleth(site, shared, ls, lang, ind, &all, y, &ind.id, "values-map")
                }),
                data => data_links(urls, lang, &[
                    ("data_values", if site.observations.iter().any(|o| o.indicator == ind.id) { vec![("CSV", urls.url(lang, Route::Data(&crate::open_data::indicator_observations(&ind.id))))] } else { vec![] }),
                    ("data_observations", vec![("CSV", urls.url(lang, Route::Data("observations.csv"))), ("JSON", urls.url(lang, Route::Data("observations.json")))]),
                ]),
            },
        },
    )
}
