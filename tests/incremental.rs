//! The preview's rebuilds are never stale: after each step of a long random series of
//! edits (bodies, front matter, templates, interface strings), additions, renames and
//! deletions, the site that `limes serve` holds — its first build updated by every
//! rebuild since — is byte for byte the site a full build makes of the same files, and
//! a broken step fails both the same way. The series is seeded
//! (`LIMES_INCREMENTAL_SEED`, `LIMES_INCREMENTAL_STEPS` make it longer or another).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{site_from_fixture, site_root};
use limes::BuildOptions;
use limes::incremental::{Rebuilder, Update};
use limes::output::{Body, OutputFile};

/// xorshift64*: enough randomness for a reproducible series.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

type Files = BTreeMap<String, Vec<u8>>;

fn bytes(body: Body) -> Vec<u8> {
    match body {
        Body::Bytes(b) => b,
        Body::Copy(p) => fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display())),
    }
}

fn to_map(files: Vec<OutputFile>) -> Files {
    files.into_iter().map(|f| (f.path, bytes(f.body))).collect()
}

/// What a full build of the site makes now: its files and warnings, or its problems
/// as printed.
fn full(opts: &BuildOptions) -> Result<(Files, String), String> {
    limes::render_site(opts)
        .map(|(_, files, warnings)| (to_map(files), warnings.to_string()))
        .map_err(|d| d.to_string())
}

/// The Markdown files of records under `root`, relative to it.
fn record_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for kind in ["practices", "partners", "pages"] {
        for entry in walkdir::WalkDir::new(root.join("content").join(kind)).sort_by_file_name() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && name.ends_with(".md") {
                out.push(rel(root, entry.path()));
            }
        }
    }
    out
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

const WORDS: &[&str] = &[
    "care",
    "border",
    "coaching",
    "night",
    "shelter",
    "youth",
    "social",
    "economy",
    "Karst",
    "Istria",
    "naknada",
    "aidants",
    "*emphasis*",
    "`code`",
    "<b>bold</b>",
    "&amp;",
    "ž",
];

/// A paragraph, a heading or a list of random words, and sometimes a link.
fn text(rng: &mut Rng, links: &[String]) -> String {
    let words: Vec<&str> = (0..1 + rng.below(12)).map(|_| *rng.pick(WORDS)).collect();
    let line = words.join(" ");
    match rng.below(6) {
        0 => format!("\n## {line}\n"),
        1 => format!("\n- {line}\n- {line}\n"),
        2 if !links.is_empty() => format!("\nSee [{line}]({}).\n", rng.pick(links)),
        _ => format!("\n{line}\n"),
    }
}

/// One random change to the site under `root`; the paths it touched (as the watcher
/// reports them: the files, and folders made or removed).
fn step(rng: &mut Rng, root: &Path, made: &mut Vec<String>, n: usize) -> BTreeSet<String> {
    let files = record_files(root);
    let links: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let rest = f.strip_prefix("content/")?;
            let (kind, tail) = rest.split_once('/')?;
            let slug = tail.split('/').next()?.split('.').next()?;
            Some(format!("@/{kind}/{slug}"))
        })
        .collect();
    let mut touched = BTreeSet::new();
    let write = |path: &str, text: &str, touched: &mut BTreeSet<String>| {
        let full = root.join(path);
        if let Some(parent) = full.parent()
            && !parent.exists()
        {
            fs::create_dir_all(parent).unwrap();
            touched.insert(rel(root, parent));
        }
        fs::write(&full, text).unwrap();
        touched.insert(path.to_string());
    };
    // A line that links a practice that is not there (a mistake made on purpose, or
    // a link to one of ours since renamed or removed).
    let dead = |line: &str| {
        line.split("(@/practices/").skip(1).any(|rest| {
            let slug = rest.split(')').next().unwrap_or("");
            !root.join("content/practices").join(slug).is_dir()
        })
    };
    let broken: Vec<&String> = files
        .iter()
        .filter(|f| {
            let text = fs::read_to_string(root.join(f)).unwrap();
            text.contains("no-such-") || text.lines().any(dead)
        })
        .collect();
    let choice = if !broken.is_empty() && rng.below(3) == 0 {
        19
    } else {
        rng.below(22)
    };
    match choice {
        // A comment added to the front matter: the record is as it was, its file not.
        20 => {
            let file = rng.pick(&files).clone();
            let old = fs::read_to_string(root.join(&file)).unwrap();
            let new = old.replacen("+++\n", &format!("+++\n# note {n}\n"), 1);
            write(&file, &new, &mut touched);
        }
        // A body edited by an editor that first writes a test file beside it and
        // removes it (the watcher reports both).
        21 => {
            let file = rng.pick(&files).clone();
            let test = format!("{}/4913", file.rsplit_once('/').unwrap().0);
            fs::write(root.join(&test), "").unwrap();
            fs::remove_file(root.join(&test)).unwrap();
            touched.insert(test);
            let old = fs::read_to_string(root.join(&file)).unwrap();
            write(&file, &format!("{old}{}", text(rng, &links)), &mut touched);
        }
        // Most edits are of a body: add, change or remove text below the front matter.
        0..=10 => {
            let file = rng.pick(&files).clone();
            let old = fs::read_to_string(root.join(&file)).unwrap();
            let (head, body) = split(&old);
            let body = match rng.below(3) {
                0 => format!("{body}{}", text(rng, &links)),
                1 => body
                    .replacen(" the ", " THE ", 1)
                    .replacen(" care ", " support ", 1),
                _ => match body.trim_end().rfind("\n\n") {
                    Some(at) => format!("{}\n", &body[..at]),
                    None => format!("{body}{}", text(rng, &links)),
                },
            };
            write(&file, &format!("{head}{body}"), &mut touched);
        }
        // A front matter field.
        11 | 12 => {
            let file = rng.pick(&files).clone();
            let old = fs::read_to_string(root.join(&file)).unwrap();
            let new = if old.contains("\ntitle = \"") {
                old.replacen(
                    "\ntitle = \"",
                    &format!("\ntitle = \"{} ", rng.pick(WORDS)),
                    1,
                )
            } else {
                old.replacen(
                    "\nname = \"",
                    &format!("\nname = \"{} ", rng.pick(WORDS)),
                    1,
                )
            };
            write(&file, &new, &mut touched);
        }
        // A new practice, a copy of one under a new slug (in one or two languages).
        13 | 14 => {
            let practices: Vec<&String> = files
                .iter()
                .filter(|f| f.starts_with("content/practices/"))
                .collect();
            let from = rng.pick(&practices).to_string();
            let lang = from.rsplit('.').nth(1).unwrap().to_string();
            let slug = format!("added-{n}");
            let to = format!("content/practices/{slug}/index.{lang}.md");
            let old = fs::read_to_string(root.join(&from)).unwrap();
            write(&to, &old, &mut touched);
            made.push(format!("content/practices/{slug}"));
        }
        // A practice of ours renamed, or removed.
        15 | 16 if !made.is_empty() => {
            let i = rng.below(made.len());
            let dir = made.remove(i);
            let inside: Vec<String> = fs::read_dir(root.join(&dir))
                .unwrap()
                .map(|e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
                .collect();
            touched.extend(inside);
            touched.insert(dir.clone());
            if rng.below(2) == 0 {
                let to = format!("content/practices/renamed-{n}");
                fs::rename(root.join(&dir), root.join(&to)).unwrap();
                for e in fs::read_dir(root.join(&to)).unwrap() {
                    touched.insert(format!("{to}/{}", e.unwrap().file_name().to_string_lossy()));
                }
                touched.insert(to.clone());
                made.push(to);
            } else {
                fs::remove_dir_all(root.join(&dir)).unwrap();
            }
        }
        // A template.
        17 => {
            let file = "themes/default/templates/base.html";
            let old = fs::read_to_string(root.join(file)).unwrap();
            let new = old.replacen("</body>", &format!("<!-- step {n} -->\n</body>"), 1);
            write(file, &new, &mut touched);
        }
        // An interface string.
        18 => {
            let file = "i18n/en.toml";
            let old = fs::read_to_string(root.join(file)).unwrap();
            let new = old.replacen(
                "\nhome = \"",
                &format!("\nhome = \"{} ", rng.pick(WORDS)),
                1,
            );
            write(file, &new, &mut touched);
        }
        // A mistake in a record (an unknown theme, a control character, a link to no
        // record), or, when there is one, its fix.
        _ => {
            if broken.is_empty() {
                let file = rng.pick(&files).clone();
                let old = fs::read_to_string(root.join(&file)).unwrap();
                let new = match rng.below(4) {
                    0 if old.contains("themes = [") => {
                        old.replacen("themes = [", "themes = [\"no-such-theme\", ", 1)
                    }
                    // A control character typed (a load error), or written as a
                    // reference (a check of the body).
                    1 => format!("{old}\nA no-such-bell \u{7} rings.\n"),
                    2 => format!("{old}\nA no-such-bell &#7; rings.\n"),
                    _ => format!("{old}\nSee [nothing](@/practices/no-such-practice).\n"),
                };
                write(&file, &new, &mut touched);
            } else {
                for file in broken {
                    let old = fs::read_to_string(root.join(file)).unwrap();
                    // Every line of the link goes, whatever edits came around it.
                    let new: String = old
                        .replace("\"no-such-theme\", ", "")
                        .split_inclusive('\n')
                        .filter(|line| !dead(line) && !line.contains("no-such-bell"))
                        .collect();
                    write(file, &new, &mut touched);
                }
            }
        }
    }
    touched
}

/// A record file's front matter (with its delimiters) and its body.
fn split(text: &str) -> (&str, &str) {
    let end = text[3..].find("+++\n").map(|i| i + 3 + 4).unwrap_or(0);
    text.split_at(end)
}

fn apply(site: &mut Files, update: Update) {
    match update {
        Update::Full(files) => *site = to_map(files),
        Update::Delta { files, removed, .. } => {
            for path in removed {
                site.remove(&path);
            }
            site.extend(to_map(files));
        }
    }
}

/// The files but those of the search indexes (`<lang>/search/*.json`).
fn without_search(files: &Files) -> Files {
    files
        .iter()
        .filter(|(path, _)| !(path.contains("search/") && path.ends_with(".json")))
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}

fn first_difference(a: &Files, b: &Files) -> String {
    for path in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
        match (a.get(path), b.get(path)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(_), Some(_)) => return format!("{path} differs"),
            (Some(_), None) => return format!("{path} is only in the preview"),
            (None, Some(_)) => return format!("{path} is only in the full build"),
            (None, None) => {}
        }
    }
    "no difference".into()
}

#[test]
fn a_long_random_series_of_changes_gives_the_full_builds_bytes() {
    series(false);
}

/// The same with the drafts shown, as `limes serve` shows them.
#[test]
fn the_same_with_drafts_as_the_preview_shows_them() {
    series(true);
}

fn series(drafts: bool) {
    let seed: u64 = std::env::var("LIMES_INCREMENTAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261202)
        + u64::from(drafts);
    let steps: usize = std::env::var("LIMES_INCREMENTAL_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(80);
    let tmp = site_from_fixture("rich");
    let root: PathBuf = site_root(&tmp);
    let opts = BuildOptions {
        root: root.clone(),
        drafts,
        ..BuildOptions::default()
    };
    let mut rng = Rng(seed.max(1));
    let mut rebuilder = Rebuilder::new(opts.clone());
    let mut site = Files::new();
    let (update, _) = rebuilder
        .rebuild(&BTreeSet::from(["*".to_string()]))
        .expect("the fixture builds");
    apply(&mut site, update);
    assert_eq!(Ok(&site), full(&opts).as_ref().map(|(files, _)| files));

    let mut made = Vec::new();
    let (mut quick, mut scoped, mut broken, mut whole, mut deferred) = (0, 0, 0, 0, 0);
    for n in 1..=steps {
        let touched = step(&mut rng, &root, &mut made, n);
        let expected = full(&opts);
        // As `limes serve` does when more changes wait: the pages now, the search
        // index later (then the search files are compared at a later step).
        let later = rng.below(3) == 0;
        let result = match later {
            true => rebuilder.rebuild_pages(&touched),
            false => rebuilder.rebuild(&touched),
        };
        match (result, expected) {
            (Ok((update, warnings)), Ok((expected, expected_warnings))) => {
                match &update {
                    Update::Delta { read: false, .. } => quick += 1,
                    Update::Delta { read: true, .. } => scoped += 1,
                    Update::Full(_) => whole += 1,
                }
                assert_eq!(
                    warnings.to_string(),
                    expected_warnings,
                    "seed {seed}, step {n}"
                );
                apply(&mut site, update);
                let (site, expected) = match later {
                    true => {
                        deferred += usize::from(!rebuilder.search_due().is_empty());
                        (without_search(&site), without_search(&expected))
                    }
                    false => (site.clone(), expected),
                };
                assert!(
                    site == expected,
                    "seed {seed}, step {n} (touched {touched:?}): {}",
                    first_difference(&site, &expected)
                );
            }
            (Err(got), Err(expected)) => {
                broken += 1;
                if std::env::var("LIMES_INCREMENTAL_DEBUG").is_ok() {
                    eprintln!("step {n}: {}", got.to_string().lines().next().unwrap_or(""));
                }
                assert_eq!(got.to_string(), expected, "seed {seed}, step {n}");
            }
            (Ok(_), Err(e)) => {
                panic!("seed {seed}, step {n}: the rebuild succeeded, the build failed:\n{e}")
            }
            (Err(e), Ok(_)) => {
                panic!("seed {seed}, step {n}: the rebuild failed, the build succeeded:\n{e}")
            }
        }
    }
    // What was left for later, made: the whole site as a full build makes it.
    let (files, removed) = rebuilder.finish_search();
    apply(
        &mut site,
        Update::Delta {
            files,
            removed,
            records: Vec::new(),
            read: false,
        },
    );
    if let Ok((expected, _)) = full(&opts) {
        assert!(
            site == expected,
            "seed {seed}, at the end: {}",
            first_difference(&site, &expected)
        );
    }
    eprintln!(
        "{steps} steps: {quick} of bodies alone, {scoped} scoped after reading all, {whole} full, {broken} broken; {deferred} left a search index to make later"
    );
    // The series must exercise every kind of rebuild and broken builds, or it proves
    // nothing about them.
    assert!(quick >= steps / 5, "only {quick} rebuilds of bodies alone");
    assert!(scoped >= 1, "no scoped rebuild after reading all");
    assert!(deferred >= 1, "no search index left to make later");
    assert!(whole >= steps / 10, "only {whole} full rebuilds");
    assert!(broken >= 1, "no broken build");
}
