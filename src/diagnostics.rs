//! Diagnostics: every problem limes finds in a site, with the file, line and column it
//! points at, a message and an optional help line. Loaders and resolvers collect them;
//! only the binary decides how to print them and which exit code follows.

use std::fmt;
use std::ops::Range;

/// How serious a diagnostic is. Errors fail the build; warnings are printed only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, pointing at a place in a file relative to the site root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    pub message: String,
    pub help: Option<String>,
    /// The source line and the character range to underline in it.
    pub snippet: Option<Box<Snippet>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub start: usize,
    pub len: usize,
}

impl Diagnostic {
    /// A problem about a whole file (no position).
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            col: 0,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.file, self.line, self.col, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let (file, message) = (visible(&self.file), visible(&self.message));
        if self.line == 0 {
            writeln!(f, "{file}: {level}: {message}")?;
        } else {
            writeln!(f, "{file}:{}:{}: {level}: {message}", self.line, self.col)?;
        }
        let gutter = self.line.to_string().len();
        if let Some(snippet) = &self.snippet {
            let pad = " ".repeat(gutter);
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {}", self.line, visible(&snippet.text))?;
            writeln!(
                f,
                "{pad} | {}{}",
                " ".repeat(snippet.start),
                "^".repeat(snippet.len.max(1))
            )?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "{} = help: {}", " ".repeat(gutter), visible(help))?;
        }
        Ok(())
    }
}

/// `s` with every control character but tab and LF shown as a visible sign, one column
/// wide as the character was counted (`␇` for BEL, `␡` for DEL, `�` for a C1
/// control): a message quotes file names and lines of the site, which must not move
/// the terminal's cursor or change its colours.
fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c != '\t' && c != '\n' && c.is_control();
    if !s.contains(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            c if !hidden(c) => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            _ => '\u{fffd}',
        })
        .collect()
}

/// Every diagnostic of a build, in a stable order.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    /// Sorts by file, line and column and drops exact repeats, so that output does not
    /// depend on the order parallel loaders finished in.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup();
        self
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// A text file of the site, whose byte offsets can be turned into line and column for
/// diagnostics. The line starts are found the first time a position is asked for (most
/// files never need them: a site of 40,000 records would hold 150 MB of them).
#[derive(Clone, Debug)]
pub struct Source {
    pub rel: String,
    pub text: String,
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl Source {
    pub fn new(rel: impl Into<String>, text: String) -> Self {
        Source {
            rel: rel.into(),
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            // The files of the site are read with LF only (`text::decode`); a line may
            // also end with CRLF or CR in a text kept as it was (a static file).
            let bytes = self.text.as_bytes();
            let mut starts = vec![0];
            starts.extend(bytes.iter().enumerate().filter_map(|(i, &b)| {
                let ends = b == b'\n' || b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
                ends.then_some(i + 1)
            }));
            starts
        })
    }

    /// 1-based (line, column in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let col = self.text[start..floor_char(&self.text, offset)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// An error pointing at a byte range of this file.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, col) = self.position(span.start);
        let line_start = self.line_starts()[line - 1];
        let line_end = self.text[line_start..]
            .find(['\n', '\r'])
            .map(|i| line_start + i)
            .unwrap_or(self.text.len());
        let text = &self.text[line_start..line_end];
        let end = floor_char(&self.text, span.end.clamp(span.start, line_end));
        let len = self.text[floor_char(&self.text, span.start)..end]
            .chars()
            .count();
        let mut d = Diagnostic {
            severity: Severity::Error,
            file: self.rel.clone(),
            line,
            col,
            message: message.into(),
            help: None,
            snippet: Some(Box::new(Snippet {
                text: text.replace('\t', " "),
                start: col - 1,
                len,
            })),
        };
        shorten_snippet(&mut d);
        d
    }

    /// An error about a whole line (1-based), underlining nothing in particular.
    pub fn error_at_line(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        let offset = self
            .line_starts()
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let mut d = self.error(offset..offset, message);
        if let Some(s) = &mut d.snippet {
            s.len = s.text.chars().count();
        }
        d
    }
}

/// Cuts the quoted line of a diagnostic down to the part around what it underlines,
/// for files written on one long line (exported drawings often are, and a
/// mistake can repeat a character thousands of times on one line).
fn shorten_snippet(d: &mut Diagnostic) {
    // Lines up to LONG characters are quoted whole; longer ones, WIDTH of them.
    const LONG: usize = 160;
    const WIDTH: usize = 100;
    const BEFORE: usize = 30;
    let Some(s) = d.snippet.as_deref_mut() else {
        return;
    };
    let chars: Vec<char> = s.text.chars().collect();
    if chars.len() <= LONG {
        return;
    }
    let from = s.start.saturating_sub(BEFORE);
    let to = (from + WIDTH).min(chars.len());
    let lead = if from > 0 { "…" } else { "" };
    let tail = if to < chars.len() { "…" } else { "" };
    let mut text: String = lead.to_string();
    text.extend(&chars[from..to]);
    text.push_str(tail);
    let start = s.start - from + lead.chars().count();
    s.len = s.len.min(to.saturating_sub(s.start)).max(1);
    s.start = start;
    s.text = text;
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The candidate closest to `word` by edit distance (ignoring case), if it is close
/// enough to be a plausible typo: at most a third of the letters differ.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lowered = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = levenshtein(&lowered, &c.to_lowercase());
        if best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
    (d <= limit).then_some(c)
}

/// Up to `n` candidates nearest to `word` by edit distance (ignoring case), nearest
/// first; candidates at the same distance keep their order.
pub fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let lowered = word.to_lowercase();
    let mut ranked: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (levenshtein(&lowered, &c.to_lowercase()), c))
        .collect();
    ranked.sort_by_key(|&(d, _)| d);
    ranked.into_iter().take(n).map(|(_, c)| c).collect()
}

/// A listed language that `code` is another spelling of (`fr_FR`, `FR`, `fr-fr` for
/// `fr-FR`), or whose primary subtag it shares; never a merely similar code.
pub fn closest_lang<'a>(code: &str, langs: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let norm = |s: &str| s.replace('_', "-").to_lowercase();
    let primary = |s: &str| norm(s).split('-').next().unwrap_or("").to_string();
    let langs: Vec<&str> = langs.into_iter().collect();
    langs
        .iter()
        .find(|l| norm(l) == norm(code))
        .or_else(|| langs.iter().find(|l| primary(l) == primary(code)))
        .copied()
}

/// Edit distance where swapping two neighbouring letters counts as one edit
/// (optimal string alignment), since that is the commonest typo.
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let s = Source::new("a.md", "ab\nčđx = 1\n".to_string());
        assert_eq!(s.position(0), (1, 1));
        assert_eq!(s.position(3), (2, 1));
        // "čđ" is four bytes, two characters.
        assert_eq!(s.position(7), (2, 3));
    }

    #[test]
    fn lines_end_with_lf_crlf_or_cr() {
        let s = Source::new("a.svg", "a\r\nb\rcc\nd".to_string());
        assert_eq!(s.position(3), (2, 1));
        assert_eq!(s.position(6), (3, 2));
        assert_eq!(s.position(8), (4, 1));
        assert_eq!(s.error(6..7, "x").snippet.unwrap().text, "cc");
        assert_eq!(s.error(0..1, "x").snippet.unwrap().text, "a");
    }

    #[test]
    fn control_characters_are_printed_as_visible_signs() {
        let s = Source::new("a\u{1b}.md", "x\u{7}y\u{9b}\tz\n".to_string());
        let d = s.error(1..2, "control \u{7f}").help("h\u{0}");
        assert_eq!(
            d.to_string(),
            "a\u{241b}.md:1:2: error: control \u{2421}\n  |\n1 | x\u{2407}y\u{fffd} z\n  |  ^\n  = help: h\u{2400}\n"
        );
    }

    #[test]
    fn renders_like_rustc() {
        let s = Source::new("content/x.md", "+++\nstatus = \"done\"\n+++\n".to_string());
        let d = s
            .error(13..19, "unknown status `done`")
            .help("expected one of planned, ongoing, completed");
        assert_eq!(
            d.to_string(),
            "content/x.md:2:10: error: unknown status `done`\n  |\n2 | status = \"done\"\n  |          ^^^^^^\n  = help: expected one of planned, ongoing, completed\n"
        );
    }

    #[test]
    fn suggests_close_words_only() {
        let words = ["employment", "health", "social-activation"];
        assert_eq!(closest("employmnt", words), Some("employment"));
        assert_eq!(closest("xyzzy-qqq-www", words), None);
        assert_eq!(closest("NGO", ["ngo", "education"]), Some("ngo"));
        assert_eq!(closest("de", ["en", "fr"]), None);
    }

    #[test]
    fn ranks_the_nearest_words_first() {
        let ids = [
            "context",
            "approach",
            "results",
            "results-title",
            "transferability",
        ];
        assert_eq!(
            nearest("resluts", ids, 3),
            ["results", "context", "results-title"]
        );
        assert_eq!(nearest("x", ids, 10).len(), 5);
        assert!(nearest("x", [], 3).is_empty());
    }

    #[test]
    fn suggests_languages_by_spelling_only() {
        assert_eq!(closest_lang("fr_FR", ["en", "fr-FR"]), Some("fr-FR"));
        assert_eq!(closest_lang("fr-BE", ["en", "fr"]), Some("fr"));
        assert_eq!(closest_lang("de", ["en", "fr"]), None);
    }
}
