//! What the command line shows while it works: the library reports a build's phases
//! through [`limes::progress::Progress`]; this maps them to a progress bar on a
//! terminal, to plain lines in a pipe or on CI (`--verbose`), or to nothing
//! (`--quiet`). Everything that knows about terminals lives here, in the binary.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use limes::progress::{Phase, Progress};

/// How much a command prints besides errors and warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verbosity {
    /// Errors and warnings only (`--quiet`).
    Quiet,
    /// Progress on a terminal and a summary line.
    Normal,
    /// Also each phase with its time and counts (`--verbose`).
    Verbose,
}

impl Verbosity {
    pub fn from_flags(quiet: bool, verbose: bool) -> Self {
        match (quiet, verbose) {
            (true, _) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        }
    }
}

/// How this run prints: the verbosity asked for, and whether progress bars may be drawn.
#[derive(Clone, Copy, Debug)]
pub struct Ui {
    pub verbosity: Verbosity,
    /// Standard error is a terminal, not a dumb one, and this is not a CI run.
    pub bars: bool,
}

impl Ui {
    pub fn new(verbosity: Verbosity) -> Self {
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        Ui {
            verbosity,
            bars: verbosity != Verbosity::Quiet
                && std::io::stderr().is_terminal()
                && !dumb
                && !on_ci(),
        }
    }
}

/// `CI` set to anything but nothing, `0` or `false`, as CI services do.
fn on_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !(v.is_empty() || v == "0" || v == "false"))
}

static UI: OnceLock<Ui> = OnceLock::new();

/// Sets how this run prints; called once, after the arguments are parsed.
pub fn init(ui: Ui) {
    let _ = UI.set(ui);
}

/// How this run prints (normal, without bars, when [`init`] was not called).
pub fn ui() -> &'static Ui {
    UI.get_or_init(|| Ui {
        verbosity: Verbosity::Normal,
        bars: false,
    })
}

/// A [`Progress`] that shows a build as `ui` asks: a bar (or a spinner where nothing
/// is counted) on a terminal, and with `--verbose` one line per phase. The build's
/// threads only add to an atomic counter; a thread of its own moves the bar from it
/// ten times a second, so that counting costs the build nothing measurable.
pub struct Shown {
    verbose: bool,
    bar: Option<Bar>,
}

struct Bar {
    bar: ProgressBar,
    done: std::sync::Arc<AtomicU64>,
    /// Held while a phase begins and while the bar is moved, so that a new phase never
    /// shows the count of the one before.
    phase: std::sync::Arc<Mutex<()>>,
    stop: Mutex<Option<(Sender<()>, JoinHandle<()>)>>,
}

const REDRAW: Duration = Duration::from_millis(100);

impl Shown {
    pub fn new(ui: &Ui) -> Self {
        let bar = ui.bars.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(spinner());
            let done = std::sync::Arc::new(AtomicU64::new(0));
            let phase = std::sync::Arc::new(Mutex::new(()));
            let (stop, stopped) = mpsc::channel::<()>();
            let (b, d, p) = (bar.clone(), done.clone(), phase.clone());
            let ticker = std::thread::spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(REDRAW) {
                    let _phase = p.lock();
                    b.set_position(d.load(Ordering::Relaxed));
                    b.tick();
                }
            });
            Bar {
                bar,
                done,
                phase,
                stop: Mutex::new(Some((stop, ticker))),
            }
        });
        Shown {
            verbose: ui.verbosity == Verbosity::Verbose,
            bar,
        }
    }

    /// Stops the bar and clears it from the terminal, before the outcome is printed.
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            let stop = bar.stop.lock().map(|mut s| s.take()).unwrap_or(None);
            if let Some((stop, ticker)) = stop {
                let _ = stop.send(());
                let _ = ticker.join();
            }
            bar.bar.finish_and_clear();
        }
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        self.clear();
    }
}

impl Progress for Shown {
    fn begin(&self, phase: Phase, total: Option<u64>) {
        let Some(bar) = &self.bar else { return };
        let _phase = bar.phase.lock();
        bar.done.store(0, Ordering::Relaxed);
        let b = &bar.bar;
        b.reset();
        match (total, phase.steps()) {
            (Some(total), Some(steps)) => {
                b.set_style(counting());
                b.set_length(total);
                b.set_message(steps);
            }
            _ => {
                b.set_style(spinner());
                b.unset_length();
                b.set_message("");
            }
        }
        b.set_prefix(phase.name());
        b.tick();
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.done.fetch_add(n, Ordering::Relaxed);
        }
    }

    fn waiting(&self, out: &std::path::Path, holder: Option<u32>) {
        let line = waiting_line(out, holder);
        match &self.bar {
            Some(bar) => bar.bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn end(&self, phase: Phase, elapsed: Duration, count: u64) {
        if !self.verbose {
            return;
        }
        let line = phase_line(phase, elapsed, count);
        match &self.bar {
            Some(bar) => bar.bar.println(line),
            None => eprintln!("{line}"),
        }
    }
}

/// What a build says when it waits for another one's lock: always, `--quiet` too, for
/// a build that waits says nothing else and would look stuck.
pub fn waiting_line(out: &std::path::Path, holder: Option<u32>) -> String {
    let who = match holder {
        Some(pid) => format!("another limes build (process {pid})"),
        None => "another limes build".to_string(),
    };
    format!(
        "Waiting: {who} is writing {}; this build goes on when it ends",
        out.display()
    )
}

fn spinner() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {prefix:12} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn counting() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {prefix:12} [{bar:32}] {human_pos}/{human_len} {msg}")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// One phase as `--verbose` prints it: `render        142 ms  1,292 files`.
pub fn phase_line(phase: Phase, elapsed: Duration, count: u64) -> String {
    format!(
        "{:<12} {:>8}  {} {}",
        phase.name(),
        seconds(elapsed),
        grouped(count),
        phase.unit()
    )
}

/// A duration for people: `420 ms` under a second, else `1.8 s`.
pub fn seconds(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// A count with its thousands grouped by commas: `12,345`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_times_for_people() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(seconds(Duration::from_millis(420)), "420 ms");
        assert_eq!(seconds(Duration::from_millis(1_840)), "1.8 s");
        assert_eq!(
            phase_line(Phase::Render, Duration::from_millis(142), 1292),
            "render         142 ms  1,292 files"
        );
    }

    #[test]
    fn quiet_wins_and_draws_no_bar() {
        assert_eq!(Verbosity::from_flags(true, true), Verbosity::Quiet);
        assert_eq!(Verbosity::from_flags(false, true), Verbosity::Verbose);
        assert!(!Ui::new(Verbosity::Quiet).bars);
    }
}
