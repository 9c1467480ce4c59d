//! Reading the site folder: walks `content/`, classifies every file, reads the text
//! files in parallel, splits front matter and parses it as spanned TOML. No meaning is
//! given to fields here; that is `model`'s job.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
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
use crate::text;
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
    let bytes = std::fs::read(root.join(CONFIG_FILE)).map_err(|e| {
        vec![
            Diagnostic::file(CONFIG_FILE, format!("cannot read the site settings: {e}"))
                .help("run limes in the site folder or pass --root DIR; the folder must hold observatory.toml"),
        ]
    })?;
    let (src, problems) = text::decode(CONFIG_FILE, bytes).map_err(|d| vec![d])?;
    let has_theme = |name: &str| root.join("themes").join(name).join("templates").is_dir();
    match Config::parse(src, has_theme) {
        Ok((config, mut diags)) => {
            diags.extend(problems);
            Ok((config, diags))
        }
        Err(mut diags) => {
            diags.extend(problems);
            Err(diags)
        }
    }
}

/// Reads every language's `i18n/<lang>.toml` and checks them (see [`Strings::parse`]).
pub fn read_strings(
    root: &Path,
    config: &Config,
    allow_missing: bool,
) -> (Strings, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut refused = Vec::new();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let files = config
        .languages
        .iter()
        .map(|l| {
            let rel = format!("i18n/{l}.toml");
            let path = root.join(&rel);
            // Nothing of a site comes from outside it (as in content/ and themes/).
            if path.exists() && !inside_site(&path, &canonical_root) {
                refused.push(rel);
                return (l.clone(), None);
            }
            let text = std::fs::read(&path).ok().map(|bytes| {
                match text::decode(&rel, bytes.clone()) {
                    Ok((src, found)) => {
                        problems.extend(found);
                        src.text
                    }
                    // Read as well as it can be, for the other checks.
                    Err(d) => {
                        problems.push(d);
                        text::normalise_newlines(String::from_utf8_lossy(&bytes).into_owned())
                    }
                }
            });
            (l.clone(), text)
        })
        .collect();
    let (strings, mut diags) = Strings::parse(config, files, allow_missing);
    // A refused file is not also said to be missing.
    diags.retain(|d| !refused.contains(&d.file));
    diags.extend(refused.into_iter().map(link_out));
    diags.extend(problems);
    (strings, diags)
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
    let mut names = Names::default();
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
        let is_dir = entry.file_type().is_dir();
        if entry.depth() > 0 && is_ignored(&name) {
            if is_dir {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.depth() > 0
            && let Some(d) = names.check(root, path, entry.file_name(), &rel)
        {
            diags.push(d);
            if is_dir {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink()
            && let Some(d) = link_outside(root, &canonical_root, &content, path, &rel)
        {
            diags.push(d);
            if is_dir {
                walker.skip_current_dir();
            }
            continue;
        }
        // Names are published and compared in NFC, whatever form the disk keeps.
        let published = text::nfc(&rel);
        let parts: Vec<&str> = published.split('/').skip(1).collect(); // after "content"
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
                "background.geojson" => loaded.background = Some(src),
                n if n.ends_with(".geojson") => loaded.shapes.push(src),
                _ => loaded.observations.push(src),
            },
            None => {}
        }
    }
    // A file of content/static/ replaces the theme's of the same name; one whose name
    // differs from a theme file's only in letter case would be published beside it,
    // and many hosts keep only one of the two.
    let theme_names: HashMap<String, &StaticFile> = loaded
        .theme
        .statics
        .iter()
        .map(|t| (t.to.to_lowercase(), t))
        .collect();
    for s in &loaded.statics {
        if let Some(t) = theme_names.get(&s.to.to_lowercase())
            && t.to != s.to
        {
            diags.push(
                Diagnostic::file(
                    s.rel.clone(),
                    format!(
                        "`{}` and the theme's `{}` differ only in letter case",
                        s.rel, t.rel
                    ),
                )
                .help(format!(
                    "name it content/static/{} to replace the theme's file, or give it another name: Windows, macOS and many web hosts take the two names for one file",
                    t.to
                )),
            );
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

/// The names met in each folder, by the form in which Windows, macOS and many web
/// hosts compare them (letter case and Unicode form aside), to refuse a second name
/// that they would take for the first; and names that are not UTF-8 at all.
#[derive(Default)]
pub(crate) struct Names(HashMap<PathBuf, BTreeMap<String, String>>);

impl Names {
    /// The problem with the name of `path` (`rel` relative to the site at `root`), if
    /// any: not UTF-8, or the same as a name already met in its folder. Each folder's
    /// entries are met in name order.
    pub(crate) fn check(
        &mut self,
        root: &Path,
        path: &Path,
        name: &OsStr,
        rel: &str,
    ) -> Option<Diagnostic> {
        let Some(name) = name.to_str() else {
            return Some(
                Diagnostic::file(
                    rel,
                    format!("the name `{}` is not UTF-8 text", escape_bytes(name)),
                )
                .help("rename it: the name was written in another encoding (an older system's, such as Latin-1), which browsers, hosts and other systems read differently"),
            );
        };
        let parent = path.parent().unwrap_or(path);
        let folded = text::nfc(&text::nfc(name).to_lowercase()).into_owned();
        let seen = self.0.entry(parent.to_path_buf()).or_default();
        let Some(first) = seen.get(&folded) else {
            seen.insert(folded, name.to_string());
            return None;
        };
        let how = if text::nfc(first) == text::nfc(name) {
            "are one name written in two Unicode forms (accented letters composed, NFC, in one; decomposed, NFD, in the other)"
        } else if first.to_lowercase() == name.to_lowercase() {
            "differ only in letter case"
        } else {
            "differ only in letter case and Unicode form (accented letters composed or decomposed)"
        };
        let folder = rel_path(root, parent);
        Some(
            Diagnostic::file(rel, format!("`{first}` and `{name}` in {folder}/ {how}"))
                .help("rename or remove one of them: Windows, macOS and many web hosts take the two names for one file"),
        )
    }
}

/// `name` with every byte that is not part of UTF-8 text written `\xNN`.
fn escape_bytes(name: &OsStr) -> String {
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// The problem with the symbolic link `path` of `content/` (`rel`), if its target is
/// not where the link may point: the content folder itself may be a link to any place
/// inside the site; a link inside it may point only inside the same folder of
/// `content/` (`content/static/`, `content/practices/`...; `content/` itself for a link
/// right in it), so that no file of the site that is not content (the settings, the
/// interface strings, a draft's text...) is published at the link's address.
fn link_outside(
    root: &Path,
    canonical_root: &Path,
    content: &Path,
    path: &Path,
    rel: &str,
) -> Option<Diagnostic> {
    let written = std::fs::read_link(path)
        .map(|t| t.to_string_lossy().into_owned())
        .unwrap_or_default();
    let target = path.canonicalize().ok();
    let inside_site = target.as_ref().filter(|t| t.starts_with(canonical_root));
    let Some(target) = inside_site else {
        return Some(
            Diagnostic::file(
                rel,
                format!("symbolic link to `{written}`, outside the site folder"),
            )
            .help("copy the file into the site instead of linking to it"),
        );
    };
    let parts: Vec<&str> = rel.split('/').collect();
    let area_rel = match parts.len() {
        1 => return None,
        2 => "content".to_string(),
        _ => format!("content/{}", parts[1]),
    };
    let area = root
        .join(&area_rel)
        .canonicalize()
        .unwrap_or_else(|_| content.to_path_buf());
    if target.starts_with(&area) {
        return None;
    }
    let target_rel = rel_path(canonical_root, target);
    let help = if area_rel == "content/static" {
        "a link in content/static/ may point only to a file or folder inside content/static/ (what it points to is published at the link's address): copy the file there instead of linking to it".to_string()
    } else {
        format!(
            "a link in {area_rel}/ may point only to a file or folder inside {area_rel}/: copy the file there instead of linking to it"
        )
    };
    Some(
        Diagnostic::file(
            rel,
            format!("symbolic link to `{written}` ({target_rel}), outside {area_rel}/"),
        )
        .help(help),
    )
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

/// The text file `rel` as every later stage reads it (see [`text::decode`]): `Err`
/// when it cannot be read or is not UTF-8, else its text with the problems of its
/// characters.
fn read_source(path: &Path, rel: &str) -> Result<(Source, Vec<Diagnostic>), Diagnostic> {
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::file(rel, format!("cannot read: {e}")))?;
    text::decode(rel, bytes)
}

/// `file` read again from the disk when only its body changed: the same front matter,
/// byte for byte, so the same fields at the same places (they are not parsed again).
/// `None` when the file cannot be read as before or its front matter changed: the
/// whole site is then read again, which says what is wrong.
pub fn reread_body(root: &Path, file: &RecordFile) -> Option<RecordFile> {
    let (src, problems) = read_source(&root.join(&file.src.rel), &file.src.rel).ok()?;
    if !problems.is_empty() {
        return None;
    }
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
            Ok((src, diags)) => (Some(Loadable::Data(name, src)), diags),
            Err(d) => (None, vec![d]),
        },
        Job::Record {
            kind,
            slug,
            lang,
            path,
            rel,
        } => {
            let (src, mut diags) = match read_source(&path, &rel) {
                Ok(s) => s,
                Err(d) => return (None, vec![d]),
            };
            let (front, body) = match split_front_matter(&src) {
                Ok(x) => x,
                Err(d) => {
                    diags.push(d);
                    return (None, diags);
                }
            };
            match crate::spanned::parse(&src, &src.text[front.clone()], front.start, &mut diags) {
                Some(mut table) => {
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
                        diags,
                    )
                }
                None => (None, diags),
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
                    src.error(start..span.end.clamp(start, src.text.len()), p.message)
                }
                _ => Diagnostic::file(rel, p.message),
            };
            d.help(p.help)
        })
        .collect()
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
