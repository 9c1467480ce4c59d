//! `limes check`: everything a build validates — settings, content, interface strings,
//! templates and the render itself, done in memory — without writing anything, and the
//! three ways of printing what it found (for people, for scripts, for GitHub Actions).

mod findings;

use serde::Serialize;

use crate::BuildOptions;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// How the problems are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// As `limes build` prints them, then a one-line summary
    Human,
    /// One JSON array of objects with a stable shape (see the README)
    Json,
    /// GitHub Actions workflow commands that annotate the pull request
    Github,
}

/// Every problem of the site under `opts.root`, errors and warnings, in a stable order:
/// what a build reports, and the warnings only a check gives (links to missing anchors,
/// partners no practice names, unused vocabulary terms, territories without data,
/// images without alt text; see `findings`), found once the site has loaded (anchors
/// only when it also rendered). Reads the site, renders it in memory and writes
/// nothing: the output folder is neither checked nor created (`opts.out` and
/// `opts.force` are not used).
pub fn check(opts: &BuildOptions) -> Diagnostics {
    check_with(opts, &crate::progress::Silent)
}

/// [`check`], telling `progress` of each phase (all of a build's but writing).
pub fn check_with(opts: &BuildOptions, progress: &dyn crate::progress::Progress) -> Diagnostics {
    let (site, env, mut diags) = match crate::load(opts, None, progress) {
        Ok(loaded) => loaded,
        Err(diags) => return diags,
    };
    let pages = match crate::render_with(&site, &env, progress) {
        Ok(pages) => Some(pages),
        Err(ds) => {
            diags.extend(ds.0);
            None
        }
    };
    diags.extend(findings::warnings(&site, pages.as_deref()));
    diags.sorted()
}

/// The problems printed in `format`. For [`Format::Human`] with no problem at all, only
/// the summary line.
pub fn format(diags: &Diagnostics, format: Format) -> String {
    match format {
        Format::Human => format!("{diags}{}\n", summary(diags)),
        Format::Json => json(diags),
        Format::Github => diags.0.iter().map(github).collect(),
    }
}

/// One line: how many errors and warnings were found.
pub fn summary(diags: &Diagnostics) -> String {
    let errors = diags.errors().count();
    let warnings = diags.warnings().count();
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    if errors > 0 {
        format!(
            "error: the check found {} and {}",
            count(errors, "error"),
            count(warnings, "warning")
        )
    } else if warnings > 0 {
        format!(
            "The check found no error and {}",
            count(warnings, "warning")
        )
    } else {
        "The check found no problem".to_string()
    }
}

/// One problem as `--format json` prints it. The field names and their meaning are
/// documented in the README: change them only with it.
#[derive(Serialize)]
struct JsonProblem<'a> {
    severity: &'static str,
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

fn severity(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn json(diags: &Diagnostics) -> String {
    let problems: Vec<JsonProblem> = diags
        .0
        .iter()
        .map(|d| JsonProblem {
            severity: severity(d),
            file: &d.file,
            line: d.line,
            column: d.col,
            message: &d.message,
            help: d.help.as_deref(),
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&problems).expect("problems serialize to JSON");
    out.push('\n');
    out
}

/// `::error file=…,line=…,col=…,title=limes::message%0Ahelp` (line and col left out
/// when the problem is about the whole file).
fn github(d: &Diagnostic) -> String {
    let mut props = vec![format!("file={}", escape_property(&d.file))];
    if d.line > 0 {
        props.push(format!("line={}", d.line));
        if d.col > 0 {
            props.push(format!("col={}", d.col));
        }
    }
    props.push("title=limes".to_string());
    let mut message = escape_data(&d.message);
    if let Some(help) = &d.help {
        message.push_str("%0A");
        message.push_str(&escape_data(&format!("help: {help}")));
    }
    format!("::{} {}::{message}\n", severity(d), props.join(","))
}

/// The message of a workflow command, escaped as GitHub's runner unescapes it.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a workflow command (`file=…`): also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(line: usize, col: usize, message: &str, help: Option<&str>) -> Diagnostic {
        let mut d = Diagnostic::file("content/a, b:c.md", message);
        d.line = line;
        d.col = col;
        d.help = help.map(str::to_string);
        d
    }

    #[test]
    fn github_escapes_messages_and_properties() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a,b:c%d"), "a%2Cb%3Ac%25d");
        let d = diag(
            3,
            7,
            "share 12% of 100, over: 2\nlines",
            Some("write 1,5: no"),
        );
        assert_eq!(
            github(&d),
            "::error file=content/a%2C b%3Ac.md,line=3,col=7,title=limes::share 12%25 of 100, over: 2%0Alines%0Ahelp: write 1,5: no\n"
        );
    }

    #[test]
    fn github_leaves_out_line_and_col_of_whole_file_problems() {
        let d = diag(0, 0, "missing", None).warning();
        assert_eq!(
            github(&d),
            "::warning file=content/a%2C b%3Ac.md,title=limes::missing\n"
        );
    }

    #[test]
    fn json_has_a_stable_shape() {
        let diags = Diagnostics(vec![
            diag(0, 0, "whole \"file\"", None).warning(),
            diag(2, 1, "here", Some("do this")),
        ]);
        let value: serde_json::Value = serde_json::from_str(&format(&diags, Format::Json)).unwrap();
        assert_eq!(
            value,
            serde_json::json!([
                {"severity": "warning", "file": "content/a, b:c.md", "line": 0, "column": 0,
                 "message": "whole \"file\"", "help": null},
                {"severity": "error", "file": "content/a, b:c.md", "line": 2, "column": 1,
                 "message": "here", "help": "do this"},
            ])
        );
        assert_eq!(format(&Diagnostics::default(), Format::Json), "[]\n");
    }

    #[test]
    fn summaries_count_errors_and_warnings() {
        let one_warning = Diagnostics(vec![diag(0, 0, "w", None).warning()]);
        assert_eq!(
            summary(&one_warning),
            "The check found no error and 1 warning"
        );
        assert_eq!(
            summary(&Diagnostics::default()),
            "The check found no problem"
        );
        let mixed = Diagnostics(vec![diag(1, 1, "e", None), diag(2, 1, "f", None)]);
        assert_eq!(
            summary(&mixed),
            "error: the check found 2 errors and 0 warnings"
        );
    }
}
