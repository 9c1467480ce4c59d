//! How a build tells whoever runs it how far it has got: the phases in order, with a
//! count of work done where there is one. The library only calls a [`Progress`]; what
//! is shown, and where (a progress bar on a terminal, plain lines in a log, nothing),
//! is the caller's business (`main.rs` maps it to a terminal).

use std::time::Duration;

/// A phase of a build, in the order they run. `limes check` runs the first five.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// observatory.toml, the interface strings and every file of `content/` read.
    Load,
    /// The records resolved into one site graph; templates compiled and checked.
    Resolve,
    /// What every renderer shares per language: cards, orders, labels, facets.
    Views,
    /// The search index of every language.
    Search,
    /// The open data tables and their package.
    OpenData,
    /// The pages of every language, the sitemap, feeds, robots.txt and static files.
    Render,
    /// The output written into the staging folder and swapped in.
    Write,
}

impl Phase {
    /// A short name for people, in lowercase (`open data`).
    pub fn name(self) -> &'static str {
        match self {
            Phase::Load => "load",
            Phase::Resolve => "resolve",
            Phase::Views => "views",
            Phase::Search => "search index",
            Phase::OpenData => "open data",
            Phase::Render => "render",
            Phase::Write => "write",
        }
    }

    /// What the count of the phase counts ([`Progress::end`]), in the plural.
    pub fn unit(self) -> &'static str {
        match self {
            Phase::Load => "files read",
            Phase::Resolve => "records",
            Phase::Views => "languages",
            Phase::Search | Phase::OpenData => "files",
            Phase::Render => "files",
            Phase::Write => "files written",
        }
    }

    /// What [`Progress::advance`] counts in the phase, when it counts something.
    pub fn steps(self) -> Option<&'static str> {
        match self {
            Phase::Render => Some("pages"),
            Phase::Write => Some("files"),
            _ => None,
        }
    }
}

/// Receives a build's progress. Every method has an empty default, so a sink implements
/// only what it shows. Called from the build's threads: [`Progress::advance`] from
/// many at once, so it must be cheap (an atomic add, say) and never block for long.
pub trait Progress: Sync {
    /// `phase` begins. `total` is how many steps [`Progress::advance`] will count in
    /// it, when that is known beforehand (the pages to render, the files to write).
    fn begin(&self, phase: Phase, total: Option<u64>) {
        let _ = (phase, total);
    }

    /// `n` more steps of the current phase are done.
    fn advance(&self, n: u64) {
        let _ = n;
    }

    /// `phase` ended after `elapsed`, having done `count` of its [`Phase::unit`].
    fn end(&self, phase: Phase, elapsed: Duration, count: u64) {
        let _ = (phase, elapsed, count);
    }

    /// The build waits for another process to finish writing the output folder `out`
    /// (it holds the folder's lock): `holder` is its process id, when the lock file
    /// says. Called once per wait, before waiting.
    fn waiting(&self, out: &std::path::Path, holder: Option<u32>) {
        let _ = (out, holder);
    }
}

/// A sink that shows nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Progress for Silent {}

/// Times a phase between [`Progress::begin`] and [`Progress::end`].
pub(crate) struct Timer<'a> {
    progress: &'a dyn Progress,
    phase: Phase,
    started: std::time::Instant,
}

impl<'a> Timer<'a> {
    pub(crate) fn start(progress: &'a dyn Progress, phase: Phase, total: Option<u64>) -> Self {
        progress.begin(phase, total);
        Timer {
            progress,
            phase,
            started: std::time::Instant::now(),
        }
    }

    /// Ends the phase with its count.
    pub(crate) fn end(self, count: usize) {
        self.progress
            .end(self.phase, self.started.elapsed(), count as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Log(Mutex<Vec<String>>);

    impl Progress for Log {
        fn begin(&self, phase: Phase, total: Option<u64>) {
            self.0
                .lock()
                .unwrap()
                .push(format!("begin {} {total:?}", phase.name()));
        }
        fn end(&self, phase: Phase, _: Duration, count: u64) {
            self.0
                .lock()
                .unwrap()
                .push(format!("end {} {count}", phase.name()));
        }
    }

    #[test]
    fn a_timer_begins_and_ends_its_phase() {
        let log = Log::default();
        Timer::start(&log, Phase::Render, Some(3)).end(3);
        Silent.advance(1);
        assert_eq!(
            *log.0.lock().unwrap(),
            ["begin render Some(3)", "end render 3"]
        );
    }
}
