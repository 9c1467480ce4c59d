//! TOML with a span on every key and value, and a reader that takes typed fields out of
//! a table while collecting every problem (wrong type, unknown key, missing key) instead
//! of stopping at the first, as serde would.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Source, closest};
use crate::types::Date;

#[derive(Clone, Debug)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(Option<Date>, String),
    Array(Vec<Node>),
    Table(Table),
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Date(..) => "a date",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }
}

/// A value with its byte range in the source file.
#[derive(Clone, Debug)]
pub struct Node {
    pub value: Value,
    pub span: Range<usize>,
}

/// A key with its byte range, and its value.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub node: Node,
}

#[derive(Clone, Debug, Default)]
pub struct Table {
    pub entries: Vec<Entry>,
    pub span: Range<usize>,
}

impl Table {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// Parses `text`, which starts at byte `offset` of `source`, into a spanned table.
/// A syntax error becomes one diagnostic pointing at the error (and `None`); a string
/// or key that holds a control character written as an escape (`"\u0007"`) is an
/// error at the escape (see [`crate::text::control_name`]), the table still given.
pub fn parse(
    source: &Source,
    text: &str,
    offset: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Table> {
    let brackets = match bracket_count(text) {
        Ok(n) => n,
        Err(at) => {
            diags.push(
                source
                    .error(offset + at..offset + at + 1, "more than 100,000 `[` and `{` in one file")
                    .help("no settings or front matter needs so many: check that this is the file you meant, or split it"),
            );
            return None;
        }
    };
    let (table, found) = on_deep_stack(brackets, || {
        let mut found = Vec::new();
        let table = parse_here(source, text, offset, &mut found);
        (table, found)
    });
    diags.extend(found);
    table
}

/// The most `[` and `{` one TOML text may hold (see [`on_deep_stack`]).
pub const MAX_BRACKETS: usize = 100_000;

/// The number of `[` and `{` in `text`, or the byte offset of the one past
/// [`MAX_BRACKETS`].
pub fn bracket_count(text: &str) -> Result<usize, usize> {
    let mut n = 0;
    for (i, b) in text.bytes().enumerate() {
        if matches!(b, b'[' | b'{') {
            n += 1;
            if n > MAX_BRACKETS {
                return Err(i);
            }
        }
    }
    Ok(n)
}

/// Runs `parse`, a parse of a TOML text holding `brackets` `[` and `{`, on a stack
/// deep enough for it. toml's parser goes one call deeper for each `[` and `{` it is
/// inside, and some mistakes take it past its own limit of 80: 20 kB of front matter
/// (`x = {a{[]a{[]a…`) overflowed a thread's stack and aborted limes. The depth can
/// never exceed the number of brackets, so a text with more than a few is parsed on a
/// thread whose stack has room for all of them (reserved, not used, unless needed).
pub fn on_deep_stack<T: Send>(brackets: usize, parse: impl FnOnce() -> T + Send) -> T {
    const SHALLOW: usize = 64;
    const PER_BRACKET: usize = 8 * 1024;
    if brackets <= SHALLOW {
        return parse();
    }
    let size = (1 << 20) + brackets * PER_BRACKET;
    let slot = std::sync::Mutex::new(Some(parse));
    let take = || {
        slot.lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("parsed once")
    };
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("limes-toml".into())
            .stack_size(size)
            .spawn_scoped(scope, || take()());
        match spawned {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            // No thread to be had: parse here, as before.
            Err(_) => take()(),
        }
    })
}

/// `toml::from_str` of a text of the site that only helps (`limes new` reading the
/// site's vocabularies, say): `None` when it does not parse, and never a crash on one
/// made to go deep (see [`on_deep_stack`]).
pub fn from_str_or_none<T: serde::de::DeserializeOwned + Send>(text: &str) -> Option<T> {
    let brackets = bracket_count(text).ok()?;
    on_deep_stack(brackets, || toml::from_str(text).ok())
}

fn parse_here(
    source: &Source,
    text: &str,
    offset: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Table> {
    match DeTable::parse(text) {
        Ok(t) => {
            let span = t.span();
            let table = convert_table(t.get_ref(), offset, span.start + offset..span.end + offset);
            control_escapes(source, &table, diags);
            Some(table)
        }
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().trim_end_matches('.').to_string();
            diags.push(source
                .error(
                    span.start + offset..span.end + offset,
                    format!("invalid TOML: {msg}"),
                )
                .help("check the TOML syntax here: text in double quotes, dates and numbers without quotes, lists in [ ]"));
            None
        }
    }
}

/// The control characters that the keys and strings of `table` hold through escapes:
/// the text as written has none (`text::decode` reported those).
fn control_escapes(source: &Source, table: &Table, diags: &mut Vec<Diagnostic>) {
    let has_control = crate::text::has_control;
    let mut report = |span: &Range<usize>| {
        let Some(literal) = source.text.get(span.clone()) else {
            return;
        };
        for (at, len, c) in crate::text::control_escapes(literal) {
            let at = span.start + at;
            diags.push(
                source
                    .error(
                        at..at + len,
                        format!(
                            "control character {} in the text, written `{}`",
                            crate::text::describe(c),
                            &source.text[at..at + len]
                        ),
                    )
                    .help("remove the escape: no page or feed may hold a control character"),
            );
        }
    };
    fn walk(node: &Node, has: &dyn Fn(&str) -> bool, report: &mut dyn FnMut(&Range<usize>)) {
        match &node.value {
            Value::Str(s) if has(s) => report(&node.span),
            Value::Array(items) => {
                for n in items {
                    walk(n, has, report);
                }
            }
            Value::Table(t) => {
                for e in &t.entries {
                    if has(&e.key) {
                        report(&e.key_span);
                    }
                    walk(&e.node, has, report);
                }
            }
            _ => {}
        }
    }
    for e in &table.entries {
        if has_control(&e.key) {
            report(&e.key_span);
        }
        walk(&e.node, &has_control, &mut report);
    }
}

fn convert_table(t: &DeTable<'_>, offset: usize, span: Range<usize>) -> Table {
    let entries = t
        .iter()
        .map(|(k, v)| {
            let ks = k.span();
            Entry {
                key: k.get_ref().to_string(),
                key_span: ks.start + offset..ks.end + offset,
                node: convert(v.get_ref(), offset, v.span()),
            }
        })
        .collect();
    Table { entries, span }
}

fn convert(v: &DeValue<'_>, offset: usize, span: Range<usize>) -> Node {
    let span = span.start + offset..span.end + offset;
    let value = match v {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Int(n),
            Err(_) => Value::Float(f64::INFINITY),
        },
        DeValue::Float(x) => Value::Float(x.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => {
            let date = match (&d.date, &d.time, &d.offset) {
                (Some(date), None, None) => Some(Date {
                    year: date.year as i32,
                    month: date.month,
                    day: date.day,
                }),
                _ => None,
            };
            Value::Date(date, d.to_string())
        }
        DeValue::Array(a) => Value::Array(
            a.iter()
                .map(|n| convert(n.get_ref(), offset, n.span()))
                .collect(),
        ),
        DeValue::Table(t) => Value::Table(convert_table(t, offset, span.clone())),
    };
    Node { value, span }
}

/// A value of type `T` with the span it came from.
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// Reads typed fields from one table of one file, collecting problems in `diags`.
/// Call [`Fields::finish`] at the end to report keys nobody asked for.
pub struct Fields<'a> {
    pub src: &'a Source,
    pub table: &'a Table,
    /// What the table is, for messages ("front matter", "territory").
    what: &'a str,
    used: Vec<String>,
}

impl<'a> Fields<'a> {
    pub fn new(src: &'a Source, table: &'a Table, what: &'a str) -> Self {
        Fields {
            src,
            table,
            what,
            used: Vec::new(),
        }
    }

    /// The raw entry of `key`, for values no typed reader fits; marks it as known.
    pub fn raw(&mut self, key: &str) -> Option<&'a Entry> {
        self.entry(key)
    }

    fn entry(&mut self, key: &str) -> Option<&'a Entry> {
        self.used.push(key.to_string());
        self.table.get(key)
    }

    fn type_error(&self, e: &Entry, expected: &str, example: &str, diags: &mut Vec<Diagnostic>) {
        diags.push(
            self.src
                .error(
                    e.node.span.clone(),
                    format!(
                        "`{}` must be {expected}, found {}",
                        e.key,
                        e.node.value.type_name()
                    ),
                )
                .help(format!("write it like: {} = {example}", e.key)),
        );
    }

    fn missing(&self, key: &str, example: &str, diags: &mut Vec<Diagnostic>) {
        let span = self.table.span.clone();
        diags.push(
            self.src
                .error(
                    span,
                    format!("{} is missing the required field `{key}`", self.what),
                )
                .help(format!("add a line like: {key} = {example}")),
        );
    }

    pub fn opt_str(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<String>> {
        let e = self.entry(key)?;
        match &e.node.value {
            Value::Str(s) => Some(Spanned {
                value: s.clone(),
                span: e.node.span.clone(),
            }),
            _ => {
                self.type_error(e, "a string", "\"...\"", diags);
                None
            }
        }
    }

    pub fn req_str(
        &mut self,
        key: &str,
        example: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Spanned<String>> {
        if self.table.get(key).is_none() {
            self.used.push(key.to_string());
            self.missing(key, example, diags);
            return None;
        }
        self.opt_str(key, diags)
    }

    /// A non-empty string after trimming; an empty one is reported.
    pub fn req_text(
        &mut self,
        key: &str,
        example: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Spanned<String>> {
        let s = self.req_str(key, example, diags)?;
        if s.value.trim().is_empty() {
            diags.push(
                self.src
                    .error(s.span.clone(), format!("`{key}` is empty"))
                    .help(format!("write it like: {key} = {example}")),
            );
            return None;
        }
        Some(s)
    }

    pub fn opt_int(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<i64>> {
        let e = self.entry(key)?;
        match &e.node.value {
            Value::Int(n) => Some(Spanned {
                value: *n,
                span: e.node.span.clone(),
            }),
            _ => {
                self.type_error(e, "a whole number", "10", diags);
                None
            }
        }
    }

    pub fn opt_bool(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<bool>> {
        let e = self.entry(key)?;
        match &e.node.value {
            Value::Bool(b) => Some(Spanned {
                value: *b,
                span: e.node.span.clone(),
            }),
            _ => {
                self.type_error(e, "true or false", "true", diags);
                None
            }
        }
    }

    /// A number, integer or float.
    pub fn opt_number(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<f64>> {
        let e = self.entry(key)?;
        match &e.node.value {
            Value::Int(n) => Some(Spanned {
                value: *n as f64,
                span: e.node.span.clone(),
            }),
            Value::Float(x) if x.is_finite() => Some(Spanned {
                value: *x,
                span: e.node.span.clone(),
            }),
            _ => {
                self.type_error(e, "a number", "160", diags);
                None
            }
        }
    }

    pub fn opt_date(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<Date>> {
        let e = self.entry(key)?;
        match &e.node.value {
            Value::Date(Some(d), _) => Some(Spanned {
                value: *d,
                span: e.node.span.clone(),
            }),
            Value::Date(None, text) => {
                diags.push(
                    self.src
                        .error(
                            e.node.span.clone(),
                            format!("`{key}` must be a date without time, found `{text}`"),
                        )
                        .help(format!("write it like: {key} = 2017-09-01")),
                );
                None
            }
            Value::Str(s) => {
                diags.push(
                    self.src
                        .error(
                            e.node.span.clone(),
                            format!("`{key}` must be a date, found the string \"{s}\""),
                        )
                        .help(format!(
                            "write TOML dates without quotes: {key} = 2017-09-01"
                        )),
                );
                None
            }
            _ => {
                self.type_error(e, "a date", "2017-09-01", diags);
                None
            }
        }
    }

    /// An array of strings; a single string is reported with the fix.
    pub fn opt_str_list(
        &mut self,
        key: &str,
        example: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Vec<Spanned<String>>> {
        let e = self.entry(key)?;
        match &e.node.value {
            Value::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match &item.value {
                        Value::Str(s) => out.push(Spanned {
                            value: s.clone(),
                            span: item.span.clone(),
                        }),
                        other => diags.push(
                            self.src
                                .error(
                                    item.span.clone(),
                                    format!(
                                        "`{key}` must list strings, found {}",
                                        other.type_name()
                                    ),
                                )
                                .help(format!("write it like: {key} = {example}")),
                        ),
                    }
                }
                Some(out)
            }
            _ => {
                self.type_error(e, "an array of strings", example, diags);
                None
            }
        }
    }

    pub fn opt_table(
        &mut self,
        key: &str,
        example: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<&'a Table> {
        let e = self.entry(key)?;
        match &e.node.value {
            Value::Table(t) => Some(t),
            _ => {
                self.type_error(e, "a table", example, diags);
                None
            }
        }
    }

    /// An array of tables (`[[results]]`).
    pub fn opt_tables(&mut self, key: &str, diags: &mut Vec<Diagnostic>) -> Vec<&'a Table> {
        let Some(e) = self.entry(key) else {
            return Vec::new();
        };
        match &e.node.value {
            Value::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match &item.value {
                        Value::Table(t) => out.push(t),
                        other => diags.push(
                            self.src
                                .error(
                                    item.span.clone(),
                                    format!(
                                        "`{key}` must hold tables, found {}",
                                        other.type_name()
                                    ),
                                )
                                .help(format!("write each entry as a [[{key}]] section")),
                        ),
                    }
                }
                out
            }
            _ => {
                self.type_error(e, "an array of tables", &format!("[[{key}]]"), diags);
                Vec::new()
            }
        }
    }

    /// A text per language: either a table `{ en = "...", fr = "..." }` or, for
    /// single-language sites, a plain string meaning the default language.
    pub fn opt_lang_map(
        &mut self,
        key: &str,
        default_lang: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<BTreeMap<String, Spanned<String>>> {
        let e = self.entry(key)?;
        let mut out = BTreeMap::new();
        match &e.node.value {
            Value::Str(s) => {
                out.insert(
                    default_lang.to_string(),
                    Spanned {
                        value: s.clone(),
                        span: e.node.span.clone(),
                    },
                );
            }
            Value::Table(t) => {
                for le in &t.entries {
                    match &le.node.value {
                        Value::Str(s) => {
                            out.insert(
                                le.key.clone(),
                                Spanned {
                                    value: s.clone(),
                                    span: le.key_span.clone(),
                                },
                            );
                        }
                        other => diags.push(
                            self.src
                                .error(
                                    le.node.span.clone(),
                                    format!(
                                        "`{key}.{}` must be a string, found {}",
                                        le.key,
                                        other.type_name()
                                    ),
                                )
                                .help(format!(
                                    "write it like: {key} = {{ en = \"...\", fr = \"...\" }}"
                                )),
                        ),
                    }
                }
            }
            _ => self.type_error(
                e,
                "a table of texts per language",
                "{ en = \"...\", fr = \"...\" }",
                diags,
            ),
        }
        Some(out)
    }

    /// Reports every key of the table that no reader asked for.
    pub fn finish(self, diags: &mut Vec<Diagnostic>) {
        for e in &self.table.entries {
            if !self.used.contains(&e.key) {
                let mut d = self.src.error(
                    e.key_span.clone(),
                    format!("unknown field `{}` in {}", e.key, self.what),
                );
                d = match closest(&e.key, self.used.iter().map(String::as_str)) {
                    Some(c) => d.help(format!("did you mean `{c}`?")),
                    None => {
                        let mut known: Vec<&str> = self.used.iter().map(String::as_str).collect();
                        known.sort();
                        known.dedup();
                        d.help(format!("the fields are: {}", known.join(", ")))
                    }
                };
                diags.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_offset_into_the_file() {
        let text = "+++\ntitle = \"x\"\nstart = 2020-01-02\n+++\n";
        let src = Source::new("f.md", text.to_string());
        let mut diags = Vec::new();
        let t = parse(&src, &text[4..35], 4, &mut diags).unwrap();
        let mut f = Fields::new(&src, &t, "front matter");
        let title = f.req_str("title", "\"...\"", &mut diags).unwrap();
        assert_eq!(&text[title.span.clone()], "\"x\"");
        let d = f.opt_date("start", &mut diags).unwrap();
        assert_eq!(
            d.value,
            Date {
                year: 2020,
                month: 1,
                day: 2
            }
        );
        f.finish(&mut diags);
        assert!(diags.is_empty());
    }

    #[test]
    fn reports_unknown_keys_with_suggestion() {
        let text = "titel = \"x\"\n";
        let src = Source::new("f.toml", text.to_string());
        let mut diags = Vec::new();
        let t = parse(&src, text, 0, &mut diags).unwrap();
        let mut f = Fields::new(&src, &t, "front matter");
        f.opt_str("title", &mut diags);
        f.finish(&mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].message, "unknown field `titel` in front matter");
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn control_characters_written_as_escapes_are_errors_at_the_escape() {
        let text = "title = \"a\\u0007b\"\nlist = [\"ok\", \"\\e[1m\"]\n[t]\n\"k\\b\" = 'C:\\b'\n";
        let src = Source::new("f.toml", text.to_string());
        let mut diags = Vec::new();
        let t = parse(&src, text, 0, &mut diags).unwrap();
        assert_eq!(t.entries.len(), 3);
        let mut found: Vec<(usize, usize, &str)> = diags
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                (
                    1,
                    11,
                    "control character U+0007 (BEL) in the text, written `\\u0007`"
                ),
                (
                    2,
                    16,
                    "control character U+001B (ESC) in the text, written `\\e`"
                ),
                (
                    4,
                    3,
                    "control character U+0008 (BS) in the text, written `\\b`"
                ),
            ]
        );
    }
}
