//! Reading the site folder: walks `content/`, classifies every file, reads the text
//! files in parallel, splits front matter and parses it as spanned TOML. No meaning is
//! given to fields here; that is `model`'s job.

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{CONFIG_FILE, Config, RawHtml};
use crate::diagnostics::{Diagnostic, Source};
use crate::i18n::Strings;
pub use crate::input::{Loaded, RecordFile, RecordKind, StaticFile};

mod classify;
mod theme;

pub(crate) use self::classify::slug_help;
use self::classify::{Class, classify};
use crate::static_check;
use crate::types::{Lang, Slug};

enum Job {
    Record {
        kind: RecordKind,
        slug: Slug,
        lang: Lang,
        path: PathBuf,
        rel: String,
    },
    Data {
        name: String,
        path: PathBuf,
        rel: String,
    },
    /// A static file a browser could run as a document: read to check it runs no
    /// script (see [`static_check`]); it is copied later like any other.
    StaticCheck { path: PathBuf, rel: String },
}

/// Relative path with `/` separators, for messages and output paths.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether `path` leads to a place inside the site folder, whose real path is
/// `canonical_root`, whatever links lead there.
fn inside_site(path: &Path, canonical_root: &Path) -> bool {
    path.canonicalize()
        .map(|t| t.starts_with(canonical_root))
        .unwrap_or(false)
}

/// The problem of a symbolic link (at `rel`) out of the site folder: nothing of a site
/// comes from outside it.
fn link_out(rel: String) -> Diagnostic {
    Diagnostic::file(rel, "symbolic link points outside the site folder")
        .help("copy the file into the site instead of linking to it")
}

/// Files nobody writes on purpose: hidden files and editor backups.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        // Emacs's autosave files: `#index.en.md#`.
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
}

/// Reads `observatory.toml` under `root` and checks it (see [`Config::parse`]).
pub fn read_config(root: &Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    if !root.is_dir() {
        return Err(vec![
            Diagnostic::file(root.to_string_lossy(), "the site folder does not exist")
                .help("pass the folder that holds observatory.toml with --root DIR"),
        ]);
    }
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).map_err(|e| {
        vec![
            Diagnostic::file(CONFIG_FILE, format!("cannot read the site settings: {e}"))
                .help("run limes in the site folder or pass --root DIR; the folder must hold observatory.toml"),
        ]
    })?;
    let has_theme = |name: &str| root.join("themes").join(name).join("templates").is_dir();
    Config::parse(Source::new(CONFIG_FILE, text), has_theme)
}

/// Reads every language's `i18n/<lang>.toml` and checks them (see [`Strings::parse`]).
pub fn read_strings(
    root: &Path,
    config: &Config,
    allow_missing: bool,
) -> (Strings, Vec<Diagnostic>) {
    let files = config
        .languages
        .iter()
        .map(|l| {
            let text = std::fs::read_to_string(root.join(format!("i18n/{l}.toml"))).ok();
            (l.clone(), text)
        })
        .collect();
    Strings::parse(config, files, allow_missing)
}

/// Walks `root/content`, reads and pre-parses every file.
pub fn load_content(root: &Path, config: &Config) -> (Loaded, Vec<Diagnostic>) {
    let (theme, mut diags) = theme::load_theme(root, config);
    let mut loaded = Loaded {
        theme,
        ..Loaded::default()
    };
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::file("content", "the site has no content/ folder")
                .help("create content/ with practices/, partners/, pages/ and diagnostics/"),
        );
        return (loaded, diags);
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut jobs = Vec::new();
    let mut walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .map(|p| rel_path(root, p))
                    .unwrap_or_else(|| "content".into());
                let msg = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.to_string()
                };
                diags.push(Diagnostic::file(rel, format!("cannot read: {msg}")));
                continue;
            }
        };
        let path = entry.path();
        let rel = rel_path(root, path);
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.depth() > 0 && is_ignored(&name) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() && !inside_site(path, &canonical_root) {
            diags.push(link_out(rel));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let parts: Vec<&str> = rel.split('/').skip(1).collect(); // after "content"
        let is_dir = entry.file_type().is_dir();
        match classify(&parts, is_dir, config) {
            Class::Descend => {}
            Class::Skip => {}
            Class::Record(kind, slug, lang) => jobs.push(Job::Record {
                kind,
                slug,
                lang,
                path: path.to_path_buf(),
                rel,
            }),
            Class::Data(name) => jobs.push(Job::Data {
                name,
                path: path.to_path_buf(),
                rel,
            }),
            Class::Static(to) => {
                if config.raw_html != RawHtml::Trust && static_check::is_checked(&to) {
                    jobs.push(Job::StaticCheck {
                        path: path.to_path_buf(),
                        rel: rel.clone(),
                    });
                }
                loaded.statics.push(StaticFile {
                    from: path.to_path_buf(),
                    rel,
                    to,
                });
            }
            Class::Bad(msg, help) => {
                diags.push(Diagnostic::file(rel, msg).help(help));
                if is_dir {
                    walker.skip_current_dir();
                }
            }
        }
    }

    let results: Vec<(Option<Loadable>, Vec<Diagnostic>)> =
        jobs.into_par_iter().map(read_job).collect();
    for (item, ds) in results {
        diags.extend(ds);
        match item {
            Some(Loadable::Record(r)) => loaded.records.push(r),
            Some(Loadable::Data(name, src)) => match name.as_str() {
                "vocabularies.toml" => loaded.vocabularies = Some(src),
                "territories.toml" => loaded.territories = Some(src),
                "indicators.toml" => loaded.indicators = Some(src),
                "borders.toml" => loaded.borders = Some(src),
                _ => loaded.observations.push(src),
            },
            None => {}
        }
    }
    // Two spellings of one record in one language (folder and single file).
    loaded.records.sort_by(|a, b| {
        (a.kind, &a.slug, &a.lang, &a.src.rel).cmp(&(b.kind, &b.slug, &b.lang, &b.src.rel))
    });
    for w in loaded.records.windows(2) {
        if w[0].kind == w[1].kind && w[0].slug == w[1].slug && w[0].lang == w[1].lang {
            diags.push(
                Diagnostic::file(
                    w[1].src.rel.clone(),
                    format!(
                        "this {} `{}` in `{}` is also written in {}",
                        kind_word(w[1].kind),
                        w[1].slug,
                        w[1].lang,
                        w[0].src.rel
                    ),
                )
                .help("keep one of the two files"),
            );
        }
    }
    (loaded, diags)
}

pub fn kind_word(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Practice => "practice",
        RecordKind::Partner => "partner",
        RecordKind::Page => "page",
    }
}

enum Loadable {
    Record(RecordFile),
    Data(String, Source),
}

fn read_source(path: &Path, rel: &str) -> Result<Source, Diagnostic> {
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::file(rel, format!("cannot read: {e}")))?;
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = Source::new(rel, String::from_utf8_lossy(e.as_bytes()).into_owned());
            return Err(lossy
                .error(at..at + 1, "the file is not UTF-8 text")
                .help("save the file as UTF-8 (in most editors: Save as… → Encoding: UTF-8)"));
        }
    };
    if text.starts_with('\u{feff}') {
        text.replace_range(..3, "   ");
    }
    Ok(Source::new(rel, text))
}

/// `file` read again from the disk when only its body changed: the same front matter,
/// byte for byte, so the same fields at the same places (they are not parsed again).
/// `None` when the file cannot be read as before or its front matter changed: the
/// whole site is then read again, which says what is wrong.
pub fn reread_body(root: &Path, file: &RecordFile) -> Option<RecordFile> {
    let src = read_source(&root.join(&file.src.rel), &file.src.rel).ok()?;
    let (_, body) = split_front_matter(&src).ok()?;
    if src.text[..body.start] != file.src.text[..file.body.start] {
        return None;
    }
    Some(RecordFile {
        kind: file.kind,
        slug: file.slug.clone(),
        lang: file.lang.clone(),
        front: file.front.clone(),
        body,
        src,
    })
}

fn read_job(job: Job) -> (Option<Loadable>, Vec<Diagnostic>) {
    match job {
        Job::StaticCheck { path, rel } => match std::fs::read(&path) {
            Ok(bytes) => (None, static_diagnostics(&rel, &bytes)),
            Err(e) => (
                None,
                vec![Diagnostic::file(rel, format!("cannot read: {e}"))],
            ),
        },
        Job::Data { name, path, rel } => match read_source(&path, &rel) {
            Ok(src) => (Some(Loadable::Data(name, src)), vec![]),
            Err(d) => (None, vec![d]),
        },
        Job::Record {
            kind,
            slug,
            lang,
            path,
            rel,
        } => {
            let src = match read_source(&path, &rel) {
                Ok(s) => s,
                Err(d) => return (None, vec![d]),
            };
            let (front, body) = match split_front_matter(&src) {
                Ok(x) => x,
                Err(d) => return (None, vec![d]),
            };
            match crate::spanned::parse(&src, &src.text[front.clone()], front.start) {
                Ok(mut table) => {
                    // A missing field is pointed at the opening `+++` line.
                    let open = src.text.find("+++").unwrap_or(0);
                    table.span = open..open + 3;
                    (
                        Some(Loadable::Record(RecordFile {
                            kind,
                            slug,
                            lang,
                            src,
                            front: table,
                            body,
                        })),
                        vec![],
                    )
                }
                Err(d) => (None, vec![d]),
            }
        }
    }
}

/// The reasons not to publish the static file `rel` (see [`static_check`]), as
/// diagnostics pointing into it.
fn static_diagnostics(rel: &str, bytes: &[u8]) -> Vec<Diagnostic> {
    let problems = static_check::check(rel, bytes);
    if problems.is_empty() {
        return Vec::new();
    }
    // Offsets are exact up to the first byte that is not UTF-8 (all of them for a
    // UTF-8 file); a problem past it is reported for the whole file.
    let (mut text, exact) = match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), bytes.len()),
        Err(e) => (String::from_utf8_lossy(bytes).into_owned(), e.valid_up_to()),
    };
    if text.starts_with('\u{feff}') {
        text.replace_range(..3, "   ");
    }
    let src = Source::new(rel, text);
    problems
        .into_iter()
        .map(|p| {
            let d = match p.span {
                Some(span) if span.start <= exact => {
                    let start = span.start.min(src.text.len());
                    let mut d = src.error(start..span.end.clamp(start, src.text.len()), p.message);
                    shorten_snippet(&mut d);
                    d
                }
                _ => Diagnostic::file(rel, p.message),
            };
            d.help(p.help)
        })
        .collect()
}

/// Cuts the quoted line of a diagnostic down to the part around what it underlines,
/// for files written on one long line (exported drawings often are).
fn shorten_snippet(d: &mut Diagnostic) {
    const WIDTH: usize = 100;
    const BEFORE: usize = 30;
    let Some(s) = d.snippet.as_deref_mut() else {
        return;
    };
    let chars: Vec<char> = s.text.chars().collect();
    if chars.len() <= WIDTH {
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

/// Finds the TOML between a first line `+++` and the next line `+++`. Returns the byte
/// ranges of the front matter and of the body.
pub fn split_front_matter(src: &Source) -> Result<(Range<usize>, Range<usize>), Diagnostic> {
    let text = &src.text;
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim() != "+++" {
        return Err(src
            .error_at_line(1, "the file does not start with front matter")
            .help("start the file with a line `+++`, then the fields (title = \"...\"), then another line `+++`"));
    }
    let start = (first_end + 1).min(text.len());
    let mut pos = start;
    while pos < text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        if text[pos..end].trim_end() == "+++" {
            let body = (end + 1).min(text.len());
            return Ok((start..pos, body..text.len()));
        }
        pos = end + 1;
    }
    Err(src
        .error_at_line(1, "the front matter is never closed")
        .help("end the fields with a line holding only `+++`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let src = Source::new("a.md", "+++\ntitle = \"x\"\n+++\nBody\n".to_string());
        let (f, b) = split_front_matter(&src).unwrap();
        assert_eq!(&src.text[f], "title = \"x\"\n");
        assert_eq!(&src.text[b], "Body\n");
    }

    #[test]
    fn static_problems_quote_only_the_part_of_a_long_line_around_them() {
        let mut text = String::from("<svg xmlns=\"http://www.w3.org/2000/svg\">");
        text.push_str(&"<rect width=\"1\" height=\"1\"/>".repeat(100));
        text.push_str("<rect onclick=\"x()\"/>");
        text.push_str(&"<rect width=\"1\" height=\"1\"/>".repeat(100));
        text.push_str("</svg>");
        let ds = static_diagnostics("content/static/a.svg", text.as_bytes());
        assert_eq!(ds.len(), 1, "{ds:?}");
        let d = &ds[0];
        assert_eq!((d.line, d.col), (1, text.find("onclick").unwrap() + 1));
        let s = d.snippet.as_deref().unwrap();
        assert!(s.text.chars().count() <= 102, "{}", s.text);
        let underlined: String = s.text.chars().skip(s.start).take(s.len).collect();
        assert_eq!(underlined, "onclick");
        assert!(d.help.is_some());
    }

    #[test]
    fn static_problems_of_files_not_in_utf8_point_at_the_first_bad_byte() {
        let ds = static_diagnostics("content/static/a.svg", b"<svg>\n<text>caf\xe9</text></svg>");
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert_eq!((ds[0].line, ds[0].col), (2, 10));
        assert_eq!(ds[0].message, "the file is not UTF-8 text");
        let ds = static_diagnostics("content/static/a.svgz", b"\x1f\x8b");
        assert_eq!((ds[0].line, ds[0].col), (0, 0));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let src = Source::new("a.md", "+++\ntitle = \"x\"\n".to_string());
        let d = split_front_matter(&src).unwrap_err();
        assert_eq!(d.message, "the front matter is never closed");
    }
}
