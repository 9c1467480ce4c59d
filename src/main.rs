//! The `limes` command line: parses arguments, calls the library, prints diagnostics
//! and maps the outcome to an exit code (0 success, 1 content errors, 2 usage errors).

mod terminal;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use limes::serve::state::Outcome;
use limes::{BuildOptions, BuildReport};

use terminal::{Shown, Ui, Verbosity, grouped, seconds};

#[derive(Parser)]
#[command(
    name = "limes",
    version,
    about = "Build multilingual cross-border good-practice observatories into static sites"
)]
#[command(
    after_help = "Exit codes: 0 success, 1 content errors (each printed as path:line:col), 2 usage errors."
)]
struct Cli {
    /// Print only errors and warnings: no progress, no summary
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print each phase of the build with its time and counts
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only when the build succeeds)
    #[command(
        after_help = "On a terminal a build shows its progress; in a pipe or on CI (the CI variable set) it prints plain lines only. It ends with one line: the pages per language, the other files, the time.\n\nExamples:\n  limes build\n  limes build --root sites/adriatic --out /var/www/observatory\n  limes build --base-url https://observatory.example.org/\n  limes build --base-url https://user.github.io/observatory/   # a site under a sub-path\n  limes build --verbose   # the time of each phase"
    )]
    Build {
        /// The site folder, holding observatory.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Overrides base_url of observatory.toml: the address the site is published
        /// at, which may have a path (https://example.org/observatory/); every link,
        /// script, feed and sitemap entry is made under it
        #[arg(long)]
        base_url: Option<String>,
        /// Report missing interface strings as warnings and fill them from the fallback chain
        #[arg(long)]
        allow_missing_strings: bool,
        /// Replace the output folder even when it is not empty and was not written by
        /// limes (never the site folder, a folder around it or a file)
        #[arg(long)]
        force: bool,
    },
    /// Preview the site: build it in memory, serve it, and rebuild
    /// and reload the open pages after every change; writes nothing
    #[command(
        after_help = "Watches observatory.toml, content/, themes/, templates/ and i18n/. After each burst of changes the site is built again; open pages whose content changed reload by themselves, keeping their scroll position. While the site does not build, the last good version stays served and every open page shows the errors.\n\nExamples:\n  limes serve\n  limes serve --root sites/adriatic --port 8080\n  limes serve --bind 0.0.0.0   # reachable from other machines: only on a trusted network"
    )]
    Serve {
        /// The site folder, holding observatory.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Report missing interface strings as warnings and fill them from the fallback chain
        #[arg(long)]
        allow_missing_strings: bool,
    },
    /// Check the site as a build would, rendering it in memory, and print every problem;
    /// writes nothing
    #[command(
        after_help = "Exits 1 when there is an error, 0 when there are only warnings or nothing. The output folder is neither checked nor created.\n\nExamples:\n  limes check\n  limes check --root sites/adriatic --format json | jq '.[] | select(.severity == \"error\")'\n  limes check --format github   # in a GitHub Actions step: annotates the pull request"
    )]
    Check {
        /// The site folder, holding observatory.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format: human (as `limes build` prints problems), json for scripts,
        /// github for GitHub Actions workflow commands
        #[arg(long, value_enum, default_value_t = limes::check::Format::Human)]
        format: limes::check::Format,
        /// Report missing interface strings as warnings (as `limes build --allow-missing-strings`)
        #[arg(long)]
        allow_missing_strings: bool,
    },
    /// Show per language which practices, partners and pages exist, are missing or are
    /// older than their source
    #[command(
        after_help = "The source of a record is its translation in the default language, else the first in the order of `languages`; a translation is outdated when its file changed before the source's. Dates come from git history when the site is in a git work tree (uncommitted files count as changed now), else from file modification times; the report says which.\n\nExamples:\n  limes status\n  limes status --root sites/adriatic\n  limes status --format json | jq '.kinds.practices.by_language.fr.missing'"
    )]
    Status {
        /// The site folder, holding observatory.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format: text for people, json for scripts
        #[arg(long, value_enum, default_value_t = limes::status::Format::Text)]
        format: limes::status::Format,
    },
    /// Start a practice, a partner, a page or a translation: a draft file with every
    /// field explained, which builds at once
    #[command(
        after_help = "The new file says draft = true: `limes serve` shows it, `limes build` does not publish it until that line is deleted. It prints the path of the file it wrote.\n\nExamples:\n  limes new practice cafe-social\n  limes new partner irts-perpignan --lang fr\n  limes new page about --root sites/adriatic\n  limes new translation practices/cafe-social --lang hr"
    )]
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Make a new observatory in a new or empty folder: settings, theme, interface
    /// strings, a vocabulary and an example practice
    #[command(
        after_help = "Examples:\n  limes init my-observatory\n  limes init adriatic --languages it,hr,sl,en"
    )]
    Init {
        /// The folder to create (or an empty one)
        dir: PathBuf,
        /// The site's languages, separated by commas, the default first
        #[arg(long, default_value = "en")]
        languages: String,
    },
}

#[derive(Subcommand)]
enum New {
    /// A good practice: content/practices/<slug>/index.<lang>.md
    Practice(NewRecord),
    /// A partner organisation: content/partners/<slug>/index.<lang>.md
    Partner(NewRecord),
    /// A free page: content/pages/<slug>/index.<lang>.md
    Page(NewRecord),
    /// A translation of an existing record, its text copied from the source translation
    /// (the default language's, else the first) to translate in place; the facts are
    /// left to the other translations
    Translation {
        /// The record: practices/<slug>, partners/<slug> or pages/<slug>
        record: String,
        /// The language to translate into
        #[arg(long)]
        lang: String,
        /// The site folder, holding observatory.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Args)]
struct NewRecord {
    /// The record's name in addresses and file names: lowercase ASCII letters, digits
    /// and single `-` between them
    slug: String,
    /// The language of the file [default: the site's default language]
    #[arg(long)]
    lang: Option<String>,
    /// The site folder, holding observatory.toml
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

fn main() -> ExitCode {
    ignore_file_size_signal();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    terminal::init(Ui::new(Verbosity::from_flags(cli.quiet, cli.verbose)));
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            allow_missing_strings,
            force,
        } => {
            let opts = BuildOptions {
                root,
                out,
                base_url,
                allow_missing_strings,
                force,
                drafts: false,
            };
            match run_build(&opts) {
                Some(_) => ExitCode::SUCCESS,
                None => ExitCode::from(1),
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            allow_missing_strings,
        } => serve(root, port, bind, allow_missing_strings),
        Command::Check {
            root,
            format,
            allow_missing_strings,
        } => {
            let shown = Shown::new(terminal::ui());
            let diags = limes::check::check_with(
                &BuildOptions {
                    root,
                    allow_missing_strings,
                    ..BuildOptions::default()
                },
                &shown,
            );
            shown.clear();
            let report = match format {
                // --quiet: the problems without the summary line.
                limes::check::Format::Human if terminal::ui().verbosity == Verbosity::Quiet => {
                    diags.to_string()
                }
                _ => limes::check::format(&diags, format),
            };
            // A closed pipe (`limes check | head`) is not an error worth a panic.
            let _ = std::io::Write::write_all(&mut std::io::stdout(), report.as_bytes());
            if diags.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Status { root, format } => match limes::status::run(&root, format) {
            Ok((report, warnings)) => {
                eprint!("{warnings}");
                // A closed pipe (`limes status | head`) is not an error worth a panic.
                let _ = std::io::Write::write_all(&mut std::io::stdout(), report.as_bytes());
                ExitCode::SUCCESS
            }
            Err(diags) => {
                eprint!("{diags}");
                let errors = diags.errors().count();
                eprintln!(
                    "error: the site has {errors} error{}; fix {} to see its translation status",
                    if errors == 1 { "" } else { "s" },
                    if errors == 1 { "it" } else { "them" }
                );
                ExitCode::from(1)
            }
        },
        Command::New { what } => {
            use limes::input::RecordKind;
            use limes::scaffold::new;
            report_created(match what {
                New::Practice(r) => {
                    new::record(&r.root, RecordKind::Practice, &r.slug, r.lang.as_deref())
                }
                New::Partner(r) => {
                    new::record(&r.root, RecordKind::Partner, &r.slug, r.lang.as_deref())
                }
                New::Page(r) => new::record(&r.root, RecordKind::Page, &r.slug, r.lang.as_deref()),
                New::Translation { record, lang, root } => new::translation(&root, &record, &lang),
            })
        }
        Command::Init { dir, languages } => {
            report_created(limes::scaffold::init::init(&dir, &languages))
        }
    }
}

/// Prints what `new` or `init` did (the path on stdout, the next steps on stderr), or
/// why it did nothing.
fn report_created(result: Result<limes::scaffold::Created, limes::scaffold::Failure>) -> ExitCode {
    match result {
        Ok(created) => {
            println!("{}", created.path.display());
            for note in &created.notes {
                eprintln!("{note}");
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprint!("{failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// `limes serve`: the preview, until Ctrl+C.
fn serve(root: PathBuf, port: u16, bind: String, allow_missing_strings: bool) -> ExitCode {
    if let Err(e) = limes::serve::address(&bind, port) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let bind_shown = bind.clone();
    let opts = limes::serve::Options {
        build: BuildOptions {
            root: root.clone(),
            // Links and feeds of the preview point at the preview: `serve::run` puts
            // its address (with the port it got) in `base_url`.
            allow_missing_strings,
            // The preview shows drafts; a build never publishes them.
            drafts: true,
            ..BuildOptions::default()
        },
        bind,
        port,
    };
    let quiet = terminal::ui().verbosity == Verbosity::Quiet;
    let verbose = terminal::ui().verbosity == Verbosity::Verbose;
    let report = move |outcome: &Outcome, millis: u128| match outcome {
        Outcome::Built {
            changed,
            warnings,
            scoped,
        } => {
            eprint!("{warnings}");
            if quiet {
                return;
            }
            let files = format!(
                "{changed} file{} changed",
                if *changed == 1 { "" } else { "s" }
            );
            match scoped {
                Some(records) if !records.is_empty() => eprintln!(
                    "Built in {millis} ms: {files} (only the text of {} changed)",
                    records.join(", ")
                ),
                _ => eprintln!("Built in {millis} ms: {files}"),
            }
        }
        Outcome::Search { changed } => {
            if verbose {
                eprintln!(
                    "Search index made again in {millis} ms: {changed} file{} changed",
                    if *changed == 1 { "" } else { "s" }
                );
            }
        }
        Outcome::Failed(diags) => {
            eprint!("{diags}");
            let errors = diags.errors().count();
            eprintln!(
                "error: the site does not build ({errors} error{}); still serving its last good version",
                if errors == 1 { "" } else { "s" }
            );
        }
    };
    let everywhere =
        limes::serve::address(&bind_shown, port).is_ok_and(|a| a.ip().is_unspecified());
    let result = limes::serve::run(opts, report, |addr| {
        eprintln!(
            "Serving a preview of {} at http://{addr}/ (Ctrl+C to stop)",
            root.display()
        );
        if everywhere {
            eprintln!(
                "  and to other machines at http://<this machine's name or address>:{}/ (the preview's own links name {addr})",
                addr.port()
            );
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("  = help: choose another port with --port, or check the site folder");
            ExitCode::from(2)
        }
    }
}

/// Builds and prints the outcome as `--quiet`/`--verbose` ask; the output folder on
/// success.
fn run_build(opts: &BuildOptions) -> Option<PathBuf> {
    let ui = terminal::ui();
    let shown = Shown::new(ui);
    let result = limes::build_with(opts, &shown);
    shown.clear();
    match result {
        Ok(report) => {
            eprint!("{}", report.warnings);
            if ui.verbosity != Verbosity::Quiet {
                for leftover in &report.cleaned {
                    eprintln!(
                        "Removed {}, left by an interrupted build",
                        leftover.display()
                    );
                }
                eprintln!("{}", summary(&report));
            }
            Some(report.out)
        }
        Err(failure) => {
            let diags = &failure.diagnostics;
            eprint!("{diags}");
            let errors = diags.errors().count();
            let warnings = diags.warnings().count();
            let mut summary = format!(
                "error: the build failed with {errors} error{}",
                if errors == 1 { "" } else { "s" }
            );
            if warnings > 0 {
                summary.push_str(&format!(
                    " and {warnings} warning{}",
                    if warnings == 1 { "" } else { "s" }
                ));
            }
            if failure.output_untouched {
                summary.push_str("; the output folder was left as it was");
            }
            eprintln!("{summary}");
            None
        }
    }
}

/// The last line of a build: `Built 1,236 pages (en 412, fr 411, hr 411, 2 site-wide)
/// and 1,066 other files into public in 1.8 s`.
fn summary(report: &BuildReport) -> String {
    let mut langs: Vec<String> = report
        .pages_by_language
        .iter()
        .map(|(lang, n)| format!("{lang} {}", grouped(*n as u64)))
        .collect();
    let site_wide = report
        .pages
        .saturating_sub(report.pages_by_language.iter().map(|(_, n)| n).sum());
    if site_wide > 0 {
        langs.push(format!("{} site-wide", grouped(site_wide as u64)));
    }
    let others = report.files.saturating_sub(report.pages);
    if report.unchanged {
        return format!(
            "Nothing changed since the last build: its {} page{} ({}) and {} other file{} in {} are up to date (checked in {})",
            grouped(report.pages as u64),
            if report.pages == 1 { "" } else { "s" },
            langs.join(", "),
            grouped(others as u64),
            if others == 1 { "" } else { "s" },
            report.out.display(),
            seconds(std::time::Duration::from_millis(
                u64::try_from(report.millis).unwrap_or(u64::MAX)
            ))
        );
    }
    format!(
        "Built {} page{} ({}) and {} other file{} into {} in {}",
        grouped(report.pages as u64),
        if report.pages == 1 { "" } else { "s" },
        langs.join(", "),
        grouped(others as u64),
        if others == 1 { "" } else { "s" },
        report.out.display(),
        seconds(std::time::Duration::from_millis(
            u64::try_from(report.millis).unwrap_or(u64::MAX)
        ))
    )
}

/// A write past the limit on file size (`ulimit -f`) sends SIGXFSZ, which ends the
/// process without a word; ignored, the write fails with EFBIG instead, and the build
/// reports it like any other error of writing, with the output left as it was.
#[cfg(unix)]
fn ignore_file_size_signal() {
    // SAFETY: sets the disposition of one signal to "ignore" before any thread is
    // started; no handler runs, so nothing can be unsafe in a signal context.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

#[cfg(not(unix))]
fn ignore_file_size_signal() {}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
