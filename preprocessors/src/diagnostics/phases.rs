//! `RESPONDER_DOCS_TIMINGS=1`: the wall time of each phase of a run on
//! stderr, to see where the time goes (`build`, `check` and stock mdBook).

use std::sync::OnceLock;
use std::time::Instant;

/// Whether timings are printed (read once: validators ask from many threads).
pub(crate) fn on() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("RESPONDER_DOCS_TIMINGS").is_some())
}

/// Phases run one after another: each `done` prints the time since the last.
pub(crate) struct Phases {
    last: Instant,
}

impl Phases {
    pub(crate) fn new() -> Self {
        Phases {
            last: Instant::now(),
        }
    }

    pub(crate) fn done(&mut self, phase: &str) {
        if on() {
            eprintln!("{phase}: {:.3} s", self.last.elapsed().as_secs_f64());
        }
        self.last = Instant::now();
    }
}

impl Default for Phases {
    fn default() -> Self {
        Phases::new()
    }
}

/// `f()`, its time printed under `phase` (for work that runs beside other work).
pub(crate) fn timed<R>(phase: &str, f: impl FnOnce() -> R) -> R {
    let start = Instant::now();
    let result = f();
    if on() {
        eprintln!("{phase}: {:.3} s", start.elapsed().as_secs_f64());
    }
    result
}
