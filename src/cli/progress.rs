//! The progress bar of `check` and `report` on a long run: an `indicatif` bar on stderr, only
//! when both stdout and stderr are terminals (a person is watching, and nothing is being piped
//! or parsed), only for the human format and the report page (never among JSON, SARIF or
//! GitHub output), not with `-v` (the log lines are the progress then), and only once the run
//! has taken more than [`DELAY`]: a quick check shows nothing at all. The bar is cleared before
//! the report is written.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a run goes before the bar appears.
pub const DELAY: Duration = Duration::from_millis(400);

/// The delay, unless the environment variable `VERBATIM_PROGRESS_DELAY_MS` sets another (the
/// tests set 0, so that whether the bar shows does not depend on how fast the machine is).
fn delay() -> Duration {
    std::env::var("VERBATIM_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(DELAY, Duration::from_millis)
}

/// Whether a run shows progress, from what the process is attached to.
pub fn wanted(stdout_tty: bool, stderr_tty: bool, machine_output: bool, verbose: u8) -> bool {
    stdout_tty && stderr_tty && !machine_output && verbose == 0
}

/// A progress display that may stay invisible. Cheap to update; does nothing when off.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Set when the run is over; the thread that reveals the bar checks it under the lock.
    done: Arc<Mutex<bool>>,
}

impl Progress {
    /// No progress at all.
    pub fn off() -> Progress {
        Progress {
            bar: None,
            done: Arc::new(Mutex::new(true)),
        }
    }

    /// A bar drawn on stderr once [`DELAY`] has passed, if the run is not over by then.
    pub fn on_stderr() -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let done = Arc::new(Mutex::new(false));
        let (reveal, finished, wait) = (bar.clone(), Arc::clone(&done), delay());
        std::thread::spawn(move || {
            std::thread::sleep(wait);
            let finished = finished.lock().unwrap_or_else(|e| e.into_inner());
            if !*finished {
                reveal.set_draw_target(ProgressDrawTarget::stderr());
                // Redraws the spinner while one long step (collation) runs on this thread's
                // neighbours.
                reveal.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress {
            bar: Some(bar),
            done,
        }
    }

    /// A step of known length: `message` with a bar of `len` units.
    pub fn counted(&self, message: &'static str, len: u64) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {msg:10} [{bar:30}] {pos}/{len} ({elapsed})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_length(len);
            bar.set_position(0);
            bar.set_message(message);
        }
    }

    /// A step of unknown length: a spinner with `message`.
    pub fn step(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(message);
        }
    }

    /// `n` units of the counted step done.
    pub fn advance(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Runs `f` (which writes to stderr) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar (if it was ever shown) before anything else is written.
    pub fn finish(&self) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done = true;
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_only_when_a_person_watches_human_output() {
        assert!(wanted(true, true, false, 0));
        assert!(!wanted(false, true, false, 0), "stdout piped");
        assert!(!wanted(true, false, false, 0), "stderr redirected");
        assert!(!wanted(true, true, true, 0), "JSON, SARIF or GitHub output");
        assert!(
            !wanted(true, true, false, 1),
            "-v: the logs are the progress"
        );
    }
}
