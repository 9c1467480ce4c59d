//! The `limes` binary as an editor runs it: exit codes, what it prints, and where the
//! site goes.

mod common;

use common::{limes, text};

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// `path:line:col: error: ` at the start of a line, with a non-empty path and numbers.
fn has_position(line: &str) -> bool {
    let Some((place, _)) = line.split_once(": error: ") else {
        return false;
    };
    let mut parts = place.rsplitn(3, ':');
    let (Some(col), Some(line_no), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !path.is_empty()
        && !path.starts_with(' ')
        && line_no.parse::<usize>().is_ok_and(|n| n > 0)
        && col.parse::<usize>().is_ok_and(|n| n > 0)
}

#[test]
fn build_of_a_valid_site_exits_0_and_writes_the_site() {
    let tmp = common::site_from_fixture("minimal");
    // A relative --root, and the default output folder <root>/public.
    let out = limes(tmp.path(), &["build", "--root", "site"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert!(stderr.contains("Built "), "stderr:\n{stderr}");
    assert!(!stderr.contains("error"), "stderr:\n{stderr}");
    let public = tmp.path().join("site/public");
    for page in [
        "index.html",
        "en/index.html",
        "fr/index.html",
        "en/practices/social-activation/index.html",
        "fr/practices/social-activation/index.html",
        "en/partners/csd-koper/index.html",
        "en/about/index.html",
        "fr/about/index.html",
    ] {
        assert!(public.join(page).is_file(), "no {page} in the output");
    }
    // Nothing left beside the output (no staging folder).
    let mut beside: Vec<String> = fs::read_dir(tmp.path().join("site"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        ["content", "i18n", "observatory.toml", "public", "themes"]
    );
}

#[test]
fn build_with_content_errors_exits_1_prints_every_error_and_keeps_the_output() {
    let case = "many-problems";
    let tmp = common::site_from_fixture(&format!("invalid/{case}"));
    let out_dir = tmp.path().join("public");
    let previous = common::previous_output(&out_dir);
    let out = limes(
        tmp.path(),
        &[
            "build",
            "--root",
            "site",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));

    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": error: ") && !l.starts_with(' '))
        .collect();
    assert!(errors.len() >= 2, "stderr:\n{stderr}");
    for line in &errors {
        assert!(has_position(line), "no path:line:col in {line:?}");
    }
    assert!(
        stderr.contains("  = help: "),
        "no help line in stderr:\n{stderr}"
    );
    let summary = format!(
        "error: the build failed with {} errors; the output folder was left as it was",
        errors.len()
    );
    assert_eq!(stderr.lines().last(), Some(summary.as_str()), "{stderr}");

    // Exactly what the library reports, then the summary.
    let expected = fs::read_to_string(common::fixture(&format!("invalid/{case}/expected.txt")))
        .expect("read expected.txt");
    assert_eq!(stderr, format!("{expected}{summary}\n"));

    assert_eq!(
        fs::read_to_string(out_dir.join("sentinel.html")).unwrap(),
        "previous good build"
    );
    assert_eq!(common::list_files(&out_dir), previous);
}

#[test]
fn build_without_a_site_exits_1_and_says_what_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = limes(tmp.path(), &["build", "--root", "no-such-site"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(
        stderr.starts_with("no-such-site: error: the site folder does not exist"),
        "stderr:\n{stderr}"
    );
    assert!(stderr.contains("--root"), "stderr:\n{stderr}");
    assert!(
        stderr.ends_with(
            "error: the build failed with 1 error; the output folder was left as it was\n"
        ),
        "stderr:\n{stderr}"
    );
    assert!(!tmp.path().join("no-such-site").exists());
}

#[test]
fn unknown_option_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = limes(tmp.path(), &["build", "--frobnicate"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(stderr.contains("--frobnicate"), "stderr:\n{stderr}");
    assert!(!tmp.path().join("public").exists());

    for args in [
        &["frobnicate"][..],
        &[][..],
        &["build", "--port", "8080"][..],
    ] {
        let out = limes(tmp.path(), args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "limes {args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn help_lists_the_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let out = limes(tmp.path(), &["--help"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for word in ["build", "serve", "Exit codes"] {
        assert!(stdout.contains(word), "no {word:?} in --help:\n{stdout}");
    }
}

#[test]
fn build_help_shows_options_and_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let out = limes(tmp.path(), &["build", "--help"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for word in [
        "--root",
        "--out",
        "--base-url",
        "--allow-missing-strings",
        "Examples:",
        "limes build --root",
    ] {
        assert!(
            stdout.contains(word),
            "no {word:?} in build --help:\n{stdout}"
        );
    }
}

#[test]
fn version_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    let out = limes(tmp.path(), &["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("limes "));
}

/// `limes ARGS` in `cwd` with its standard streams as pipes, outside CI unless `ci`.
fn limes_in_pipe(cwd: &Path, args: &[&str], ci: bool) -> Output {
    let mut cmd = Command::new(common::server::bin());
    cmd.args(args).current_dir(cwd).env_remove("CI");
    if ci {
        cmd.env("CI", "true");
    }
    cmd.output().expect("run the limes binary")
}

/// No carriage return (a redrawn line) and no escape sequence (colour, cursor moves).
#[track_caller]
fn assert_plain(what: &str, s: &str) {
    assert!(
        !s.contains('\r') && !s.contains('\u{1b}'),
        "{what} has control characters: {s:?}"
    );
}

/// `Built 44 pages (en 21, fr 21, 2 site-wide) and 50 other files into site/public in 36 ms`
fn is_summary(line: &str, out: &str) -> bool {
    let Some(rest) = line.strip_prefix("Built ") else {
        return false;
    };
    let Some((counts, time)) = rest.split_once(&format!(" other files into {out} in ")) else {
        return false;
    };
    let number = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == ',');
    let time_ok = time
        .strip_suffix(" ms")
        .or_else(|| time.strip_suffix(" s"))
        .is_some_and(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.'));
    let Some((pages, rest)) = counts.split_once(" pages (en ") else {
        return false;
    };
    let Some((en, rest)) = rest.split_once(", fr ") else {
        return false;
    };
    let Some((fr, rest)) = rest.split_once(", 2 site-wide) and ") else {
        return false;
    };
    number(pages) && number(en) && number(fr) && number(rest) && time_ok
}

#[test]
fn build_in_a_pipe_prints_exactly_one_plain_summary_line() {
    for ci in [false, true] {
        let tmp = common::site_from_fixture("minimal");
        let out = limes_in_pipe(tmp.path(), &["build", "--root", "site"], ci);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "CI={ci}: stderr:\n{stderr}");
        assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
        assert_plain("stderr", &stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "CI={ci}: one line, not:\n{stderr}");
        assert!(stderr.ends_with('\n'));
        assert!(
            is_summary(lines[0], "site/public"),
            "CI={ci}: not the summary: {}",
            lines[0]
        );
    }
}

#[test]
fn quiet_build_prints_nothing_on_success_but_still_every_error() {
    let tmp = common::site_from_fixture("minimal");
    for args in [
        &["build", "--root", "site", "--quiet"][..],
        &["-q", "build", "--root", "site"][..],
    ] {
        let out = limes_in_pipe(tmp.path(), args, false);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(text(&out.stderr), "", "limes {args:?}");
        assert!(out.stdout.is_empty());
        assert!(tmp.path().join("site/public/en/index.html").is_file());
    }

    let tmp = common::site_from_fixture("invalid/many-problems");
    let out = limes_in_pipe(tmp.path(), &["build", "--root", "site", "-q"], false);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let expected =
        fs::read_to_string(common::fixture("invalid/many-problems/expected.txt")).unwrap();
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(
        stderr
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("error: the build failed with ")),
        "{stderr}"
    );
}

#[test]
fn verbose_build_prints_each_phase_then_the_summary() {
    let tmp = common::site_from_fixture("minimal");
    let out = limes_in_pipe(tmp.path(), &["build", "--root", "site", "--verbose"], false);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    assert_plain("stderr", &stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let phases = [
        ("load", "files read"),
        ("resolve", "records"),
        ("views", "languages"),
        ("search index", "files"),
        ("open data", "files"),
        ("render", "files"),
        ("write", "files written"),
    ];
    assert_eq!(lines.len(), phases.len() + 1, "stderr:\n{stderr}");
    for (line, (phase, unit)) in lines.iter().zip(phases) {
        let rest = line
            .strip_prefix(phase)
            .unwrap_or_else(|| panic!("{line:?} is not the {phase} phase"));
        assert!(
            rest.ends_with(&format!(" {unit}")) && (rest.contains(" ms ") || rest.contains(" s ")),
            "{line:?}"
        );
    }
    // What the write phase counts is every file of the output.
    let written = lines[6]
        .split_whitespace()
        .rev()
        .nth(2)
        .unwrap()
        .replace(',', "");
    let files = common::list_files(&tmp.path().join("site/public"));
    // The marker is written besides the plan's files.
    assert_eq!(written.parse::<usize>().unwrap() + 1, files.len());
    assert!(is_summary(lines[7], "site/public"), "{}", lines[7]);
}

#[test]
fn quiet_and_verbose_cannot_be_given_together() {
    let tmp = tempfile::tempdir().unwrap();
    let out = limes_in_pipe(tmp.path(), &["build", "-q", "-v"], false);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(!tmp.path().join("public").exists());
}

#[test]
fn check_is_quiet_or_verbose_too() {
    let tmp = common::site_from_fixture("minimal");
    let out = limes_in_pipe(tmp.path(), &["check", "--root", "site", "--quiet"], false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "", "no summary line with --quiet");
    assert_eq!(text(&out.stderr), "");

    let out = limes_in_pipe(tmp.path(), &["check", "--root", "site", "-v"], false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "The check found no problem\n");
    let stderr = text(&out.stderr);
    assert_plain("stderr", &stderr);
    let phases: Vec<&str> = stderr
        .lines()
        .map(|l| l.split("  ").next().unwrap_or("").trim_end())
        .collect();
    assert_eq!(
        phases,
        [
            "load",
            "resolve",
            "views",
            "search index",
            "open data",
            "render"
        ],
        "{stderr}"
    );
    assert!(!tmp.path().join("site/public").exists());
}
