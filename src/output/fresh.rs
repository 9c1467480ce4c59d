//! Telling a rebuild with nothing changed: the marker of an output folder records a
//! print of what the build read (every file and folder of the site's inputs by name,
//! size and modification time, the limes program that built it, and the options that
//! change the output) and a print of what it wrote (every file by name and size). A
//! build whose inputs print the same, into a folder that still prints the same, has
//! nothing to do: it writes nothing and removes nothing.
//!
//! The inputs are printed before they are read, so that a file saved during a build
//! makes the next build differ; a file changed without its size or time changing
//! (which no editor or version control does) would go unnoticed.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::time::UNIX_EPOCH;

use crate::config::SITE_INPUTS;

/// A 128-bit print, written as 32 hexadecimal digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Print(u128);

impl std::fmt::Display for Print {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl Print {
    fn parse(s: &str) -> Option<Print> {
        (s.len() == 32)
            .then(|| u128::from_str_radix(s, 16).ok())
            .flatten()
            .map(Print)
    }
}

/// Two SipHash states keyed apart: 128 bits.
struct Printer([DefaultHasher; 2]);

impl Printer {
    fn new() -> Printer {
        let mut second = DefaultHasher::new();
        second.write_u8(1);
        Printer([DefaultHasher::new(), second])
    }

    fn add(&mut self, value: impl Hash) {
        for h in &mut self.0 {
            value.hash(h);
        }
    }

    fn finish(&self) -> Print {
        Print((u128::from(self.0[0].finish()) << 64) | u128::from(self.0[1].finish()))
    }
}

/// The print of what a build of the site at `root` reads, with `options` (whatever
/// else changes the output: the base address given, drafts...). `None` when some
/// input cannot be looked at: the build then does all its work.
pub fn inputs(root: &Path, options: &str) -> Option<Print> {
    let mut p = Printer::new();
    p.add(env!("CARGO_PKG_VERSION"));
    p.add(options);
    // The program itself: another build of limes may write other bytes.
    let exe = std::env::current_exe().ok()?;
    stamp(&mut p, &std::fs::metadata(exe).ok()?)?;
    for input in SITE_INPUTS {
        let path = root.join(input);
        p.add(input);
        if std::fs::symlink_metadata(&path).is_err() {
            p.add("absent");
            continue;
        }
        let walker = walkdir::WalkDir::new(&path)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker {
            let entry = entry.ok()?;
            let rel = entry.path().strip_prefix(root).ok()?;
            p.add(rel.as_os_str().as_encoded_bytes());
            stamp(&mut p, &entry.metadata().ok()?)?;
        }
    }
    Some(p.finish())
}

/// A file's kind, size and modification time.
fn stamp(p: &mut Printer, meta: &std::fs::Metadata) -> Option<()> {
    let time = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    p.add((meta.is_dir(), meta.len(), time.as_nanos()));
    Some(())
}

/// The print of the files in the output folder `dir` (by path and size, the marker
/// left out), or `None` if it cannot be read.
pub fn output(dir: &Path) -> Option<Print> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).ok()?.to_str()?;
        if rel == super::MARKER {
            continue;
        }
        let len = match entry.file_type().is_file() {
            true => entry.metadata().ok()?.len(),
            // Anything else (a link put there by hand) never matches a file written.
            false => u64::MAX,
        };
        found.push((rel.replace(std::path::MAIN_SEPARATOR, "/"), len));
    }
    found.sort_unstable();
    Some(files(&found))
}

/// The print of files given by path (relative, `/` separated) and size, sorted by
/// path: what a build wrote, or what [`output`] finds.
pub fn files(sorted: &[(String, u64)]) -> Print {
    let mut p = Printer::new();
    p.add(sorted.len());
    for (path, len) in sorted {
        p.add((path.as_str(), *len));
    }
    p.finish()
}

/// What a marker records of the build that wrote its folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub inputs: Print,
    pub output: Print,
    /// HTML pages, all languages together; and by language, as `(code, count)`.
    pub pages: usize,
    pub pages_by_language: Vec<(String, usize)>,
    pub files: usize,
}

impl Record {
    /// The lines the marker gets after its text.
    pub fn lines(&self) -> String {
        let langs: Vec<String> = self
            .pages_by_language
            .iter()
            .map(|(l, n)| format!("{l}={n}"))
            .collect();
        format!(
            "inputs {}\noutput {}\nfiles {}\npages {} {}\n",
            self.inputs,
            self.output,
            self.files,
            self.pages,
            langs.join(" ")
        )
    }

    /// The record in a marker's text, if it has a whole one.
    pub fn parse(text: &str) -> Option<Record> {
        let mut inputs = None;
        let mut output = None;
        let mut files = None;
        let mut pages = None;
        for line in text.lines() {
            let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "inputs" => inputs = Print::parse(rest),
                "output" => output = Print::parse(rest),
                "files" => files = rest.parse().ok(),
                "pages" => {
                    let mut parts = rest.split(' ').filter(|s| !s.is_empty());
                    let total = parts.next()?.parse().ok()?;
                    let by_lang = parts
                        .map(|p| {
                            let (l, n) = p.split_once('=')?;
                            Some((l.to_string(), n.parse().ok()?))
                        })
                        .collect::<Option<Vec<_>>>()?;
                    pages = Some((total, by_lang));
                }
                _ => {}
            }
        }
        let (pages, pages_by_language) = pages?;
        Some(Record {
            inputs: inputs?,
            output: output?,
            pages,
            pages_by_language,
            files: files?,
        })
    }

    /// The record of the output folder `dir`, if its marker has one.
    pub fn read(dir: &Path) -> Option<Record> {
        Record::parse(&std::fs::read_to_string(dir.join(super::MARKER)).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn a_record_reads_back() {
        let r = Record {
            inputs: Print(1),
            output: Print(u128::MAX),
            pages: 12,
            pages_by_language: vec![("en".into(), 5), ("sr-Latn".into(), 5)],
            files: 40,
        };
        let text = format!("Some words first.\n{}", r.lines());
        assert_eq!(Record::parse(&text), Some(r));
        assert_eq!(Record::parse("Some words first.\n"), None);
        assert_eq!(
            Record::parse("inputs 12\noutput 34\nfiles 1\npages 1\n"),
            None
        );
    }

    #[test]
    fn prints_follow_names_sizes_and_times() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content/practices")).unwrap();
        fs::write(root.join("content/practices/a.md"), "one").unwrap();
        fs::write(root.join("observatory.toml"), "x").unwrap();
        let first = inputs(root, "").unwrap();
        assert_eq!(inputs(root, "").unwrap(), first);
        assert_ne!(inputs(root, "--drafts").unwrap(), first);
        fs::write(root.join("content/practices/a.md"), "two!").unwrap();
        assert_ne!(inputs(root, "").unwrap(), first);
        let second = inputs(root, "").unwrap();
        fs::write(root.join("content/practices/b.md"), "").unwrap();
        assert_ne!(inputs(root, "").unwrap(), second);

        let out = root.join("out");
        fs::create_dir_all(out.join("en")).unwrap();
        fs::write(out.join("en/index.html"), "<p>").unwrap();
        let printed = output(&out).unwrap();
        fs::write(out.join(super::super::MARKER), "anything").unwrap();
        assert_eq!(output(&out).unwrap(), printed, "the marker is left out");
        fs::write(out.join("en/index.html"), "<p>.").unwrap();
        assert_ne!(output(&out).unwrap(), printed);
        fs::write(out.join("en/index.html"), "<p>").unwrap();
        assert_eq!(output(&out).unwrap(), printed);
        fs::write(out.join("en/extra.html"), "").unwrap();
        assert_ne!(output(&out).unwrap(), printed);
    }
}
