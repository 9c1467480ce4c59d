//! Charts as SVG, drawn at build time: no script, they print, and they scale with the
//! page (a `viewBox`, a width of 100 % in the stylesheet). Each chart has an accessible
//! name and description, and the page puts the same numbers in a table beside it.
//! Series are told apart by marker shape and line pattern as well as by colour; a
//! missing value is a gap in the line, never a zero.
//!
//! Every text comes in formatted (numbers and years in the reader's language) and is
//! escaped here for XML.

use std::fmt::Write;

use super::xml_escape as esc;

/// One line of a line chart: a value per year, `None` where there is none. The page's
/// legend names it (see [`key`]).
pub struct Series {
    pub points: Vec<(i32, Option<f64>)>,
}

/// A chart's texts: `id` makes the ids of its title and description unique in the
/// page; `title` is its accessible name, `desc` what it shows in a sentence.
pub struct Texts<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

/// Formats a value (with its unit) in the reader's language.
pub type Format<'a> = &'a dyn Fn(f64) -> String;

// The drawing area, in user units; the stylesheet scales the whole.
const WIDTH: f64 = 360.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 28.0;
const FONT: f64 = 12.0;

/// How many styles series can take before they repeat.
pub const STYLES: usize = 6;

/// Round numbers for an axis from `lo` to `hi`: about five steps of 1, 2 or 5 × 10ⁿ.
/// A range of values that are all positive starts at zero, so that bars and lines are
/// not exaggerated.
pub fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let lo = lo.min(0.0);
    // Equal ends (one value, or values too close for a float to tell apart) get a
    // range of their own size; nothing infinite is drawn.
    let hi = if hi - lo <= lo.abs() * 1e-9 {
        lo + lo.abs().max(1.0)
    } else {
        hi
    };
    let raw = (hi - lo) / 5.0;
    if !(lo.is_finite() && hi.is_finite() && raw.is_finite() && raw > 0.0) {
        return vec![0.0, 1.0];
    }
    let exponent = raw.log10().floor().clamp(-300.0, 300.0) as i32;
    let mag = 10f64.powi(exponent);
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    // Whole multiples of the step, divided once: 3 × 0.2 is 0.6, not 0.6000000000000001.
    let factor = 10f64.powi((1 - exponent).max(0));
    let unit = (step * factor).round();
    let first = (lo / step).floor() as i64;
    let mut out = Vec::new();
    for k in first..first.saturating_add(60) {
        let v = k as f64 * unit / factor;
        if !v.is_finite() {
            break;
        }
        out.push(if v == 0.0 { 0.0 } else { v });
        if v >= hi - step * 1e-9 {
            break;
        }
    }
    if out.is_empty() {
        out.push(lo);
    }
    out
}

fn open(texts: &Texts, height: f64, class: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart {class}" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        id = esc(texts.id),
        title = esc(texts.title),
        desc = esc(texts.desc),
    );
    s
}

/// The marker of series `n`, centred on (x, y).
pub fn marker(n: usize, x: f64, y: f64) -> String {
    let r = 4.0;
    match n % STYLES {
        0 => format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}"/>"#),
        1 => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="{}" height="{}"/>"#,
            x - r,
            y - r,
            2.0 * r,
            2.0 * r
        ),
        2 => format!(
            r#"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z"/>"#,
            y - r - 1.0,
            x + r + 1.0,
            y + r,
            x - r - 1.0,
            y + r
        ),
        3 => format!(
            r#"<path d="M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z"/>"#,
            y - r - 1.0,
            x + r + 1.0,
            y + r + 1.0,
            x - r - 1.0
        ),
        4 => format!(
            r#"<path d="M{:.1} {:.1}L{:.1} {:.1}M{:.1} {:.1}L{:.1} {:.1}" class="cross"/>"#,
            x - r,
            y - r,
            x + r,
            y + r,
            x - r,
            y + r,
            x + r,
            y - r
        ),
        _ => format!(
            r#"<path d="M{x:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z"/>"#,
            y + r + 1.0,
            x + r + 1.0,
            y - r,
            x - r - 1.0,
            y - r
        ),
    }
}

/// A small picture of series `n`'s line and marker, for a legend written in HTML.
pub fn key(n: usize) -> String {
    format!(
        r#"<svg class="chart-key s{n}" viewBox="0 0 28 12" width="28" height="12" aria-hidden="true" focusable="false"><path d="M0 6H28"/>{}</svg>"#,
        marker(n, 14.0, 6.0),
        n = n % STYLES
    )
}

/// A line chart of `series` over `years` (ascending, every year the axis shows). A
/// single year draws markers only.
pub fn line(
    texts: &Texts,
    years: &[i32],
    series: &[Series],
    fmt: Format,
    year: &dyn Fn(i32) -> String,
) -> String {
    let height = 240.0;
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|p| p.1))
        .collect();
    let mut s = open(texts, height, "line-chart");
    if years.is_empty() || values.is_empty() {
        s.push_str("</svg>");
        return s;
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ticks = ticks(lo, hi);
    let (y0, y1) = (ticks[0], *ticks.last().unwrap_or(&1.0));
    let plot_h = height - TOP - BOTTOM;
    let plot_w = WIDTH - LEFT - RIGHT;
    let y_of = |v: f64| TOP + plot_h * (1.0 - (v - y0) / (y1 - y0));
    let n = years.len();
    let x_of = |i: usize| {
        if n == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + 12.0 + (plot_w - 24.0) * i as f64 / (n - 1) as f64
        }
    };
    // Grid and value axis.
    s.push_str(r#"<g class="axis" aria-hidden="true">"#);
    for t in &ticks {
        let y = y_of(*t);
        let _ = write!(
            s,
            r#"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="{FONT}">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + FONT / 3.0,
            esc(&fmt(*t))
        );
    }
    // Years: all when they fit, else about six of them.
    let every = n.div_ceil(7).max(1);
    for (i, y) in years.iter().enumerate() {
        if i % every == 0 || i == n - 1 {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="{FONT}">{}</text>"#,
                x_of(i),
                height - 8.0,
                esc(&year(*y))
            );
        }
    }
    s.push_str("</g>");
    for (k, ser) in series.iter().enumerate() {
        let at = |y: i32| ser.points.iter().find(|p| p.0 == y).and_then(|p| p.1);
        let _ = write!(s, r#"<g class="series s{}">"#, k % STYLES);
        // The line, broken where a year has no value: one piece per run of two
        // years or more (a lone year is its marker only).
        let mut d = String::new();
        let mut run: Vec<(f64, f64)> = Vec::new();
        let flush = |run: &mut Vec<(f64, f64)>, d: &mut String| {
            if run.len() > 1 {
                for (j, (x, y)) in run.iter().enumerate() {
                    let _ = write!(d, "{}{x:.1} {y:.1}", if j == 0 { "M" } else { "L" });
                }
            }
            run.clear();
        };
        for (i, y) in years.iter().enumerate() {
            match at(*y) {
                Some(v) => run.push((x_of(i), y_of(v))),
                None => flush(&mut run, &mut d),
            }
        }
        flush(&mut run, &mut d);
        if !d.is_empty() {
            let _ = write!(s, r#"<path class="line" d="{d}"/>"#);
        }
        for (i, y) in years.iter().enumerate() {
            if let Some(v) = at(*y) {
                s.push_str(&marker(k, x_of(i), y_of(v)));
            }
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

/// One bar of a bar chart.
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    /// Drawn in the highlight style (the page's own territory, say).
    pub marked: bool,
}

/// Horizontal bars, one per item in the given order, each labelled above its bar with
/// its value at its end; an item without a value says so in `missing`.
pub fn bars(texts: &Texts, items: &[Bar], fmt: Format, missing: &str) -> String {
    let row = 34.0;
    let height = TOP + row * items.len() as f64 + 4.0;
    let mut s = open(texts, height, "bar-chart");
    let values: Vec<f64> = items.iter().filter_map(|b| b.value).collect();
    let lo = values.iter().copied().fold(0.0, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    let ticks = ticks(lo, hi);
    let (v0, v1) = (ticks[0], *ticks.last().unwrap_or(&1.0));
    let (x0, x1) = (8.0, WIDTH - 72.0);
    let x_of = |v: f64| x0 + (x1 - x0) * (v - v0) / (v1 - v0);
    let zero = x_of(0.0);
    for (i, b) in items.iter().enumerate() {
        let top = TOP + row * i as f64;
        let _ = write!(
            s,
            r#"<g class="bar{}"><text x="{x0}" y="{:.1}" font-size="{FONT}">{}</text>"#,
            if b.marked { " marked" } else { "" },
            top + FONT - 2.0,
            esc(&b.label)
        );
        match b.value {
            Some(v) => {
                let (a, z) = if v >= 0.0 {
                    (zero, x_of(v))
                } else {
                    (x_of(v), zero)
                };
                let _ = write!(
                    s,
                    r#"<rect x="{a:.1}" y="{:.1}" width="{:.1}" height="12"/><text x="{:.1}" y="{:.1}" font-size="{FONT}" class="value">{}</text>"#,
                    top + 15.0,
                    (z - a).max(1.0),
                    z.max(zero) + 4.0,
                    top + 25.0,
                    esc(&fmt(v))
                );
            }
            None => {
                let _ = write!(
                    s,
                    r#"<text x="{:.1}" y="{:.1}" font-size="{FONT}" class="missing">{}</text>"#,
                    zero,
                    top + 25.0,
                    esc(missing)
                );
            }
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: f64) -> String {
        format!("{v}")
    }

    #[test]
    fn ticks_survive_extreme_values() {
        for (lo, hi) in [
            (-1e300, 5.0),
            (-1e300, 1e300),
            (1e-300, 2e-300),
            (0.0, f64::MAX),
            (-f64::MAX, f64::MAX),
            (5e-324, 1e-323),
            (-1e300, -1e300),
            (7.0, 7.0),
        ] {
            let t = ticks(lo, hi);
            assert!(!t.is_empty() && t.len() <= 61, "{lo} {hi}: {t:?}");
            assert!(t.iter().all(|v| v.is_finite()), "{lo} {hi}: {t:?}");
        }
    }

    #[test]
    fn ticks_are_round_and_cover_the_values() {
        assert_eq!(ticks(10.4, 13.8), vec![0.0, 5.0, 10.0, 15.0]);
        assert_eq!(ticks(3.7, 12.3), vec![0.0, 2.5, 5.0, 7.5, 10.0, 12.5]);
        assert_eq!(ticks(0.0, 1.0), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(ticks(-3.0, 4.0), vec![-4.0, -2.0, 0.0, 2.0, 4.0]);
        assert_eq!(ticks(5.0, 5.0), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(ticks(0.0, 0.0), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }

    #[test]
    fn a_missing_value_is_a_gap_not_a_zero() {
        let texts = Texts {
            id: "c1",
            title: "Rate",
            desc: "Rate by year",
        };
        let series = [Series {
            points: vec![
                (2020, Some(10.0)),
                (2021, None),
                (2022, Some(12.0)),
                (2023, Some(11.0)),
            ],
        }];
        let svg = line(&texts, &[2020, 2021, 2022, 2023], &series, &fmt, &|y| {
            y.to_string()
        });
        // Two pieces of line: 2020 alone (a marker only) and 2022–2023.
        let paths: Vec<&str> = svg
            .match_indices("class=\"line\" d=\"")
            .map(|(i, _)| &svg[i..])
            .collect();
        assert_eq!(paths.len(), 1, "{svg}");
        let d = paths[0].split('"').nth(3).unwrap();
        assert_eq!(d.matches('M').count(), 1, "{d}");
        assert_eq!(d.matches('L').count(), 1, "{d}");
        assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
    }

    #[test]
    fn texts_are_escaped_and_named() {
        let texts = Texts {
            id: "c<2",
            title: "<script>alert(1)</script>",
            desc: "a & b",
        };
        let svg = line(
            &texts,
            &[2020],
            &[Series {
                points: vec![(2020, Some(1.0))],
            }],
            &fmt,
            &|y| y.to_string(),
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"c&lt;2-title c&lt;2-desc\""));
        assert!(
            svg.contains(
                "<title id=\"c&lt;2-title\">&lt;script&gt;alert(1)&lt;/script&gt;</title>"
            )
        );
        assert!(svg.contains("<desc id=\"c&lt;2-desc\">a &amp; b</desc>"));
        assert!(!svg.contains("<script"));
        let svg = bars(
            &texts,
            &[Bar {
                label: "<b>".into(),
                value: None,
                marked: false,
            }],
            &fmt,
            "n/a <none>",
        );
        assert!(svg.contains("&lt;b&gt;") && svg.contains("n/a &lt;none&gt;"));
    }

    #[test]
    fn bars_say_when_a_value_is_missing() {
        let texts = Texts {
            id: "b",
            title: "t",
            desc: "d",
        };
        let items = [
            Bar {
                label: "A".into(),
                value: Some(12.0),
                marked: true,
            },
            Bar {
                label: "B".into(),
                value: None,
                marked: false,
            },
        ];
        let svg = bars(&texts, &items, &fmt, "not available");
        assert_eq!(svg.matches("<rect").count(), 1);
        assert!(svg.contains(">not available<"));
        assert!(svg.contains("class=\"bar marked\""));
    }
}
