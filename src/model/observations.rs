//! The observations of `content/diagnostics/*.csv`: one value of one indicator for
//! one territory and year, a row each, checked against the territories and indicators.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Source, closest};

use super::Observation;
use super::data::unknown_territory;
use crate::types::{IndicatorId, TerritoryId};

const HEADER: [&str; 5] = ["territory", "indicator", "year", "value", "note"];

/// Reads every CSV of observations; a repeated (territory, indicator, year) across
/// files is reported with the first place it was seen.
pub(crate) fn observations(
    sources: &[Source],
    territory_ids: &BTreeMap<TerritoryId, usize>,
    indicator_ids: &BTreeMap<IndicatorId, usize>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Observation> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<(String, String, i32), String> = BTreeMap::new();
    for src in sources {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(src.text.as_bytes());
        let mut records = reader.records();
        match records.next() {
            Some(Ok(h)) if h.iter().map(str::trim).eq(HEADER) => {}
            Some(Ok(_)) | None => {
                diags.push(
                    src.error_at_line(
                        1,
                        "the first line of an observations file must be its header",
                    )
                    .help(format!("write it exactly: {}", HEADER.join(","))),
                );
                continue;
            }
            Some(Err(e)) => {
                diags.push(
                    src.error_at_line(1, format!("cannot read the CSV: {e}"))
                        .help("save the file as UTF-8, comma-separated"),
                );
                continue;
            }
        }
        // Where a row begins, from where the reader says it does: after the line
        // ending of the row before and any blank lines, which the reader counts as
        // part of the next row (a CRLF's LF, for one: the row's line would be the one
        // before).
        let row_start = |p: Option<&csv::Position>| {
            let bytes = src.text.as_bytes();
            let mut at = p.map_or(0, |p| p.byte() as usize).min(bytes.len());
            while matches!(bytes.get(at), Some(b'\r' | b'\n')) {
                at += 1;
            }
            at
        };
        for rec in records {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = src.position(row_start(e.position())).0;
                    diags.push(
                        src.error_at_line(line, format!("cannot read this CSV row: {e}"))
                            .help("save the file as UTF-8, comma-separated"),
                    );
                    continue;
                }
            };
            if rec.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line_start = row_start(rec.position());
            let line = src.position(line_start).0;
            // Byte range of field i, exact when the row has no quoted fields.
            let raw_line = src.text[line_start..]
                .split(['\n', '\r'])
                .next()
                .unwrap_or("");
            let field_span = |i: usize| {
                if raw_line.contains('"') {
                    return line_start..line_start + raw_line.len();
                }
                let mut start = line_start;
                for (j, part) in raw_line.split(',').enumerate() {
                    if j == i {
                        return start..start + part.len();
                    }
                    start += part.len() + 1;
                }
                line_start + raw_line.len()..line_start + raw_line.len()
            };
            if rec.len() != HEADER.len() {
                diags.push(
                    src.error_at_line(
                        line,
                        format!("this row has {} fields, the header has 5", rec.len()),
                    )
                    .help(format!(
                        "every row is: {} (leave `value` or `note` empty, but keep the commas; write decimals with a dot, like 6.1, or quote a note that holds a comma)",
                        HEADER.join(",")
                    )),
                );
                continue;
            }
            let get = |i: usize| rec.get(i).unwrap_or("").trim();
            let mut ok = true;
            let territory = get(0);
            let territory_id = territory_ids
                .get_key_value(territory)
                .map(|(k, _)| k.clone());
            if territory_id.is_none() {
                diags.push(unknown_territory(
                    src,
                    territory,
                    field_span(0),
                    territory_ids,
                ));
                ok = false;
            }
            let indicator = get(1);
            let indicator_id = indicator_ids
                .get_key_value(indicator)
                .map(|(k, _)| k.clone());
            if indicator_id.is_none() {
                let d = src.error(field_span(1), format!("unknown indicator `{indicator}`"));
                diags.push(match closest(indicator, indicator_ids.keys().map(|k| k.as_str())) {
                    Some(c) => d.help(format!("did you mean `{c}`? indicators are defined in content/diagnostics/indicators.toml")),
                    None => d.help("indicators are defined in content/diagnostics/indicators.toml"),
                });
                ok = false;
            }
            let year = match get(2).parse::<i32>() {
                Ok(y) => Some(y),
                Err(_) => {
                    diags.push(
                        src.error(
                            field_span(2),
                            format!("year `{}` is not a whole number", get(2)),
                        )
                        .help("write the year as four digits, like 2022"),
                    );
                    ok = false;
                    None
                }
            };
            let value_text = get(3);
            let value = if value_text.is_empty() {
                None
            } else {
                match value_text.parse::<f64>() {
                    Ok(v) if v.is_finite() => Some(v),
                    _ => {
                        let help = if value_text.contains(',')
                            || value_text.parse::<f64>().is_err()
                                && value_text.replace(',', ".").parse::<f64>().is_ok()
                        {
                            "use a dot as the decimal separator, like 12.1, and quote nothing"
                                .to_string()
                        } else {
                            "write a number like 12.1, or leave the value empty when it is not available".to_string()
                        };
                        diags.push(
                            src.error(
                                field_span(3),
                                format!("value `{value_text}` is not a number"),
                            )
                            .help(help),
                        );
                        ok = false;
                        None
                    }
                }
            };
            let (true, Some(territory_id), Some(indicator_id), Some(year)) =
                (ok, territory_id, indicator_id, year)
            else {
                continue;
            };
            let key = (territory.to_string(), indicator.to_string(), year);
            let place = format!("{}:{line}", src.rel);
            if let Some(first) = seen.get(&key) {
                diags.push(
                    src.error_at_line(line, format!("a second value for {territory}, {indicator}, {year} (the first is at {first})"))
                        .help("keep one row per territory, indicator and year"),
                );
                continue;
            }
            seen.insert(key, place);
            let note = Some(get(4).to_string()).filter(|n| !n.is_empty());
            out.push(Observation {
                territory: territory_id,
                indicator: indicator_id,
                year,
                value,
                note,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The errors of one file, each as (line, column, the row quoted).
    fn errors(text: &str) -> Vec<(usize, usize, String)> {
        let territories = BTreeMap::from([(TerritoryId::parse("SI042").unwrap(), 0)]);
        let indicators = BTreeMap::from([(IndicatorId::parse("rate").unwrap(), 0)]);
        let mut diags = Vec::new();
        let src = Source::new("content/diagnostics/o.csv", text.to_string());
        observations(&[src], &territories, &indicators, &mut diags);
        diags
            .iter()
            .map(|d| (d.line, d.col, d.snippet.as_ref().unwrap().text.clone()))
            .collect()
    }

    #[test]
    fn rows_are_found_whatever_the_line_endings_and_blank_lines() {
        let rows = [
            "territory,indicator,year,value,note",
            "SI042,rate,2022,1.5,",
            "",
            "SI042,rat,2023,1.5,",
            "SI042,rate,20x4,1.5,",
        ];
        let expected = vec![
            (4, 7, "SI042,rat,2023,1.5,".to_string()),
            (5, 12, "SI042,rate,20x4,1.5,".to_string()),
        ];
        // The loader makes every file LF; a text kept as it was is read as well.
        for ending in ["\n", "\r\n", "\r"] {
            let text = rows.join(ending) + ending;
            assert_eq!(errors(&text), expected, "{ending:?}");
        }
    }
}
