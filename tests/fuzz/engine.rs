//! The fuzzing engine of tests/fuzz.rs, on stable Rust: proptest generates the cases
//! (mutations of real files, or strings built to be awkward), runs them in batches until
//! a time budget is spent, and shrinks a failing case to a small one before reporting it.
//!
//! - `LIMES_FUZZ_SECONDS=N`: run each chosen target for N seconds (`scripts/fuzz`);
//!   without it, a few hundred cases from a fixed seed (the test suite: deterministic).
//! - `LIMES_FUZZ_SEED=S`: start from seed S; a failure prints the seed that replays it.
//! - `LIMES_FUZZ_CASES=N`: the cases of a run without a time budget.
//! - `LIMES_FUZZ_LOG=FILE`: append one line per target run (what `scripts/fuzz` reports).
//! - `LIMES_FUZZ_STATE=FILE`: the seed of the batch being run, for a crash that kills
//!   the process; replaying that seed with `LIMES_FUZZ_DUMP=FILE` writes each case
//!   into FILE before running it, so FILE holds the case that crashed.

use std::fmt::Debug;
use std::io::Write;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

/// A case that takes longer than this fails a timed run: the inputs are small (at most
/// [`MAX_INPUT`] bytes), so only something worse than linear can take so long.
const SLOW: Duration = Duration::from_secs(5);

/// The largest input a mutation may make.
pub const MAX_INPUT: usize = 256 * 1024;

fn env_num<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// Runs `test` on the cases `strategy` generates: `quick` cases in the test suite, or as
/// many as `LIMES_FUZZ_SECONDS` allows. Panics (the test fails) with the smallest
/// failing case proptest finds and the seed that replays it.
pub fn fuzz<S>(name: &str, quick: u32, strategy: S, test: impl Fn(&S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: Debug,
{
    let budget = env_num::<f64>("LIMES_FUZZ_SECONDS").map(Duration::from_secs_f64);
    let seed = env_num::<u64>("LIMES_FUZZ_SEED").unwrap_or_else(|| match budget {
        // A timed run explores: a new seed each time.
        Some(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
        // The suite is deterministic: the same cases every run.
        None => name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        }),
    });
    let quick = env_num::<u32>("LIMES_FUZZ_CASES").unwrap_or(quick);
    let started = Instant::now();
    let mut cases = 0u64;
    let slowest = std::cell::Cell::new(Duration::ZERO);
    for batch in 0u64.. {
        let batch_seed = seed.wrapping_add(batch);
        // Should a case crash the process (a stack overflow aborts it), this seed
        // replays its batch.
        if let Ok(path) = std::env::var("LIMES_FUZZ_STATE") {
            let _ = std::fs::write(path, format!("{batch_seed}\n"));
        }
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&batch_seed.to_le_bytes());
        let config = Config {
            cases: if budget.is_some() { 100 } else { quick },
            failure_persistence: None,
            max_shrink_iters: 4096,
            // Shrinking a slow case runs it again and again: a few minutes at most.
            max_shrink_time: 180_000,
            ..Config::default()
        };
        let n = config.cases;
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
        let dump = std::env::var("LIMES_FUZZ_DUMP").ok();
        let result = runner.run(&strategy, |value| {
            if let Some(path) = &dump {
                let _ = std::fs::write(path, format!("{value:#?}"));
            }
            let t = Instant::now();
            let outcome = test(&value);
            let mut took = t.elapsed();
            outcome.map_err(TestCaseError::fail)?;
            // Only when fuzzing for a while (a release build): the suite's debug
            // build on a busy machine could take that long for an honest case. And
            // only when it is slow again: a machine running many targets at once
            // can stall one for seconds.
            if budget.is_some() && took > SLOW {
                let again = Instant::now();
                let _ = test(&value);
                took = took.min(again.elapsed());
                if took > SLOW {
                    return Err(TestCaseError::fail(format!(
                        "the case took {took:?}, twice"
                    )));
                }
            }
            slowest.set(slowest.get().max(took));
            Ok(())
        });
        cases += u64::from(n);
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, value)) => {
                let report = format!(
                    "fuzz {name}: FAILED after {cases} cases: {why}\nsmallest failing case: {value:#?}\nreplay: LIMES_FUZZ_SEED={batch_seed} cargo test --release --test fuzz {name}"
                );
                log(&format!(
                    "{name}\tfailed\t{cases}\t{:.0}\t{seed}",
                    started.elapsed().as_secs_f64()
                ));
                eprintln!("{report}");
                panic!("{report}");
            }
            Err(TestError::Abort(why)) => panic!("fuzz {name}: aborted: {why}"),
        }
        if budget.is_none_or(|b| started.elapsed() >= b) {
            break;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let slowest = slowest.get();
    log(&format!(
        "{name}\tpassed\t{cases}\t{secs:.0}\t{seed}\t{:.0}",
        slowest.as_secs_f64() * 1000.0
    ));
    println!(
        "fuzz {name}: {cases} cases in {secs:.1} s (slowest {slowest:?}), seed {seed}: no failure"
    );
}

fn log(line: &str) {
    if let Ok(path) = std::env::var("LIMES_FUZZ_LOG")
        && let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
    {
        let _ = writeln!(f, "{line}");
    }
}

/// One change to a file's bytes. Positions are taken modulo the length, so that a
/// mutation applies to any file and shrinks towards the file's start.
#[derive(Clone, Debug)]
pub enum Edit {
    /// Overwrite the byte at a position.
    Set(usize, u8),
    /// Insert a token of the dictionary.
    Insert(usize, &'static str),
    /// Remove up to `len` bytes.
    Delete(usize, usize),
    /// Copy up to 64 bytes from one place to another.
    Copy { from: usize, len: usize, to: usize },
    /// Repeat up to 16 bytes many times (deep nesting, long lines, many rows).
    Repeat { at: usize, len: usize, times: usize },
}

/// What mutations insert: the syntax of every format an editor writes, and characters
/// that have broken parsers before.
pub const DICTIONARY: &[&str] = &[
    // front matter and TOML
    "+++",
    "+++\n",
    "\n+++\n",
    "---\n",
    " = ",
    "=",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    "#",
    "\\",
    "\\u0007",
    "\\u{0}",
    "\\U0010FFFF",
    "title = \"x\"\n",
    "date = 2024-02-30\n",
    "1979-05-27T07:32:00Z",
    "inf",
    "nan",
    "-0",
    "1e400",
    "99999999999999999999",
    "true",
    "draft = true\n",
    "countries = [\"SI\", \"HR\"]\n",
    "partners = [\"",
    "themes = [\"",
    "territories = [\"",
    "languages = [\"en\", \"fr\"]\n",
    "base_url = \"https://x.org/a b/\"\n",
    "raw_html = \"sanitize\"\n",
    "raw_html = \"trust\"\n",
    // CSV
    ",,",
    ",\"",
    "\"\"",
    "\r\n",
    "\r",
    "\n\n",
    "territory,indicator,year,value,note\n",
    "=cmd|' /C calc'!A0",
    "+1",
    "@SUM(1)",
    "-2147483649",
    "1,5",
    "12.5e3",
    // Markdown and links
    "\n# ",
    "## ",
    "\n- ",
    "\n1. ",
    "> ",
    "```",
    "~~~",
    "    ",
    "\t",
    "*",
    "_",
    "**",
    "`",
    "|",
    "|---|:-:|\n",
    "[^1]",
    "[^1]: x\n",
    "[x]",
    "[x]: ",
    "](",
    "](@/practices/",
    "(@/partners/",
    "(@/pages/",
    "(@/territories/",
    "(@/borders/",
    "@/",
    "#anchor",
    ")",
    "![",
    "](/img/a.png)",
    "](../../",
    "](//evil.example/)",
    "](javascript:alert(1))",
    " \"title &#7;\"",
    "&#7;",
    "&#x1B;",
    "&#0;",
    "&amp;",
    "&lt;",
    "&",
    "<",
    ">",
    "{#id}",
    "{.class}",
    "~~",
    "\\\n",
    "  \n",
    // HTML
    "<div>",
    "</div>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<style>",
    "<iframe>",
    "<p",
    "</",
    "<table><tr><td>",
    "<math>",
    "<template>",
    "{{ x }}",
    "{% if %}",
    "</script>",
    // Characters
    "\u{0}",
    "\u{7}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{ad}",
    "\u{200b}",
    "\u{200d}",
    "\u{200e}",
    "\u{202e}",
    "\u{2028}",
    "\u{2029}",
    "\u{fe0f}",
    "\u{feff}",
    "\u{fffd}",
    "\u{ffff}",
    "\u{1f600}",
    "\u{10ffff}",
    "e\u{301}",
    "\u{301}",
    "ǅ",
    "İ",
    "ı",
    "ß",
    "ﬁ",
    "ŉ",
    "ΐ",
    "Ω",
    "ǰ",
    "đ",
    "æ",
    "ł",
    "ø",
    "·",
    "l·l",
    "’",
    "ʼ",
    "d'",
    "l’",
    "Ђ",
    "ш",
    "ع",
    "ש",
    "中",
    "한",
    "ก",
    "९",
    "½",
    "²",
    "Ⅻ",
    // Paths
    "..",
    "../",
    "/",
    "%2e%2e%2f",
    "%2F",
    "%00",
    "%",
    "?",
    "C:\\",
    "\\\\?\\",
];

/// Up to `max` edits.
pub fn edits(max: usize) -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        3 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Set(p, b)),
        6 => (any::<usize>(), prop::sample::select(DICTIONARY)).prop_map(|(p, t)| Edit::Insert(p, t)),
        2 => (any::<usize>(), 1usize..64).prop_map(|(p, n)| Edit::Delete(p, n)),
        2 => (any::<usize>(), 1usize..64, any::<usize>())
            .prop_map(|(from, len, to)| Edit::Copy { from, len, to }),
        1 => (any::<usize>(), 1usize..16, 2usize..4000)
            .prop_map(|(at, len, times)| Edit::Repeat { at, len, times }),
    ];
    prop::collection::vec(edit, 0..=max)
}

/// `base` with `edits` applied in order, never longer than [`MAX_INPUT`].
pub fn apply(base: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = base.to_vec();
    for e in edits {
        let len = out.len();
        let at = |p: usize| p % (len + 1);
        match *e {
            Edit::Set(p, b) => {
                if len > 0 {
                    out[p % len] = b;
                }
            }
            Edit::Insert(p, t) => {
                let p = at(p);
                out.splice(p..p, t.bytes());
            }
            Edit::Delete(p, n) => {
                let p = at(p);
                out.drain(p..(p + n).min(len));
            }
            Edit::Copy { from, len: n, to } => {
                let from = at(from);
                let piece = out[from..(from + n).min(len)].to_vec();
                let to = at(to);
                out.splice(to..to, piece);
            }
            Edit::Repeat {
                at: p,
                len: n,
                times,
            } => {
                let p = at(p);
                let piece = out[p..(p + n).min(len)].to_vec();
                let room = MAX_INPUT.saturating_sub(len) / piece.len().max(1);
                let copies = piece.repeat(times.min(room));
                out.splice(p..p, copies);
            }
        }
        if out.len() > MAX_INPUT {
            out.truncate(MAX_INPUT);
        }
    }
    out
}

/// Strings made to be awkward: pieces of the dictionary, any characters, and runs of
/// one script, joined.
pub fn awkward_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(DICTIONARY).prop_map(str::to_string),
        2 => any::<String>(),
        2 => "[a-zA-Zàâçéèêëîïôûùüÿœæ' -]{1,20}",
        1 => "[\\p{Cyrillic}\\p{Greek} ]{1,12}",
        1 => "[\\p{Arabic}\\p{Hebrew}\\p{Thai}\\p{Han} ]{1,12}",
        1 => "[\\p{M}\\p{N}\\p{P}\\p{S}\\p{Z}]{1,8}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}
