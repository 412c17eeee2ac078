//! Output that changes while a cell runs: a progress bar and a loss curve that redraw in
//! place during training.
//!
//! Under the course kernel (`kernel/`), a [`Display`] is a Jupyter `display_data` with a
//! `display_id`, and every later [`Display::html`] call replaces it in place
//! (`update_display_data`). The kernel sets `GMCOURSE_KERNEL` for the code it runs; that
//! is how this module knows. Under any other evcxr kernel the same calls fall back to
//! printing one plain line now and then, and outside a kernel (tests, scripts) a
//! [`Progress`] prints nothing. `GMCOURSE_PROGRESS=live|lines|off` overrides the choice.
//!
//! ```
//! use gmcourse::live::Progress;
//! let mut bar = Progress::new("training", 100);
//! for step in 1..=100 {
//!     let loss = 1.0 / step as f64;
//!     bar.update(step, loss); // redraws at most every half second
//! }
//! bar.finish();
//! assert!(bar.line().contains("100/100"));
//! ```
//!
//! Every redraw is rate-limited: the interval between two redraws is at least 50 times
//! what the last one cost, so drawing never takes more than 2 % of a training loop
//! (`cargo bench --bench live_overhead` measures it).

use course_contract::display::{DisplayOp, KERNEL_ENV};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::plot::{self, ChartOptions};

/// How [`Progress`] and [`Display`] show themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The course kernel: one display that updates in place.
    Live,
    /// Another notebook kernel: a plain line now and then.
    Lines,
    /// Not in a notebook: nothing.
    Off,
}

/// The mode for this process: `GMCOURSE_PROGRESS` if set, else [`Mode::Live`] under the
/// course kernel, [`Mode::Lines`] under another evcxr kernel, [`Mode::Off`] elsewhere.
///
/// ```
/// // cargo test runs outside any kernel
/// if std::env::var_os("GMCOURSE_PROGRESS").is_none() {
///     assert_eq!(gmcourse::live::mode(), gmcourse::live::Mode::Off);
/// }
/// ```
pub fn mode() -> Mode {
    match std::env::var("GMCOURSE_PROGRESS").as_deref() {
        Ok("live") => return Mode::Live,
        Ok("lines") => return Mode::Lines,
        Ok("off") => return Mode::Off,
        _ => {}
    }
    if std::env::var_os(KERNEL_ENV).is_some() {
        Mode::Live
    } else if std::env::var_os("EVCXR_IS_RUNTIME").is_some() {
        Mode::Lines
    } else {
        Mode::Off
    }
}

/// One output area of the cell that can be replaced while the cell runs.
pub struct Display {
    id: String,
    shown: bool,
    mode: Mode,
    out: Box<dyn Write + Send>,
}

impl std::fmt::Debug for Display {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Display")
            .field("id", &self.id)
            .field("mode", &self.mode)
            .finish()
    }
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

impl Display {
    /// A new display area, shown at its first update.
    pub fn new() -> Self {
        Self::with_output(mode(), Box::new(std::io::stdout()))
    }

    /// A display writing to `out` in `mode` (for tests and benchmarks).
    pub fn with_output(mode: Mode, out: Box<dyn Write + Send>) -> Self {
        let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Display {
            id: format!("gmcourse-{}-{t:x}-{n}", std::process::id()),
            shown: false,
            mode,
            out,
        }
    }

    /// Shows `html` (with `plain` for text-only front ends), replacing what this display
    /// showed before. In [`Mode::Lines`] it prints `plain`; in [`Mode::Off`] nothing.
    pub fn html(&mut self, html: &str, plain: &str) {
        match self.mode {
            Mode::Live => {
                let id = self.id.clone();
                let data = BTreeMap::from([
                    ("text/html".to_string(), html.to_string()),
                    ("text/plain".to_string(), plain.to_string()),
                ]);
                let op = if self.shown {
                    DisplayOp::Update { id, data }
                } else {
                    DisplayOp::Display { id, data }
                };
                let line = op.line();
                // One write, so the kernel reads the whole message as one line.
                let _ = self.out.write_all(line.as_bytes());
                let _ = self.out.flush();
            }
            Mode::Lines => {
                let _ = writeln!(self.out, "{plain}");
            }
            Mode::Off => {}
        }
        self.shown = true;
    }

    /// Shows a figure (SVG inline in HTML), replacing what this display showed before.
    pub fn figure(&mut self, figure: &plot::Figure, plain: &str) {
        self.html(&figure.to_svg(), plain);
    }
}

impl Default for Display {
    fn default() -> Self {
        Self::new()
    }
}

/// Clears the cell's output under the course kernel (`wait`: only when new output
/// arrives, which avoids flicker). Elsewhere it does nothing.
pub fn clear_output(wait: bool) {
    if mode() == Mode::Live {
        print!("{}", DisplayOp::Clear { wait }.line());
    }
}

/// A progress bar for a loop of known length (or time budget): steps done, rate, time
/// left and the last loss, plus a live loss curve, redrawn in place.
pub struct Progress {
    label: String,
    total: usize,
    budget: Option<Duration>,
    curve: bool,
    start: Instant,
    last_draw: Option<Instant>,
    min_interval: Duration,
    next_line_fraction: f64,
    step: usize,
    losses: Vec<f64>,
    display: Display,
    finished: bool,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("label", &self.label)
            .field("step", &self.step)
            .finish()
    }
}

/// Smallest time between two redraws.
const MIN_INTERVAL: Duration = Duration::from_millis(500);
/// Redraws wait at least this many times the cost of the last one (so ≤ 2 % overhead).
const COST_FACTOR: u32 = 50;
/// Most points of the live loss curve (longer histories are averaged in buckets).
const CURVE_POINTS: usize = 300;

impl Progress {
    /// A progress bar for `total_steps` steps, with the loss curve on.
    pub fn new(label: impl Into<String>, total_steps: usize) -> Self {
        Self::with_display(label, total_steps, Display::new())
    }

    /// A progress bar drawing into `display` (for tests and benchmarks).
    pub fn with_display(label: impl Into<String>, total_steps: usize, display: Display) -> Self {
        Progress {
            label: label.into(),
            total: total_steps.max(1),
            budget: None,
            curve: true,
            start: Instant::now(),
            last_draw: None,
            min_interval: MIN_INTERVAL,
            next_line_fraction: 0.1,
            step: 0,
            losses: Vec::new(),
            display,
            finished: false,
        }
    }

    /// Also ends at this wall-clock budget: the bar shows whichever comes first.
    pub fn time_budget(mut self, budget: Option<Duration>) -> Self {
        self.budget = budget;
        self
    }

    /// Whether to draw the loss curve under the bar (default on).
    pub fn loss_curve(mut self, on: bool) -> Self {
        self.curve = on;
        self
    }

    /// Records that `step` steps are done and the last loss was `loss`; redraws if due.
    pub fn update(&mut self, step: usize, loss: f64) {
        self.step = step;
        self.losses.push(loss);
        match self.display.mode {
            Mode::Off => {}
            Mode::Lines => {
                if self.fraction() >= self.next_line_fraction {
                    while self.next_line_fraction <= self.fraction() {
                        self.next_line_fraction += 0.1;
                    }
                    let line = self.line();
                    self.display.html("", &line);
                }
            }
            Mode::Live => {
                if self
                    .last_draw
                    .is_none_or(|t| t.elapsed() >= self.min_interval)
                {
                    self.draw();
                }
            }
        }
    }

    /// Draws the final state (once).
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        match self.display.mode {
            Mode::Off => {}
            Mode::Lines => {
                let line = self.line();
                self.display.html("", &line);
            }
            Mode::Live => self.draw(),
        }
    }

    /// The one-line summary: `label  step/total  rate steps/s  ETA  loss`; when a time
    /// budget is what ends the loop, `label  step N  rate  elapsed/budget s`.
    ///
    /// ```
    /// use gmcourse::live::{Display, Mode, Progress};
    /// let mut bar = Progress::with_display("fit", 10, Display::with_output(Mode::Off, Box::new(std::io::sink())));
    /// bar.update(4, 0.25);
    /// assert!(bar.line().starts_with("fit  4/10  "));
    /// assert!(bar.line().ends_with("loss 0.2500"));
    /// ```
    pub fn line(&self) -> String {
        let elapsed = self.start.elapsed().as_secs_f64();
        let rate = self.step as f64 / elapsed.max(1e-9);
        let by_steps = self.step as f64 / self.total as f64;
        let mut s = match self.budget {
            Some(b) if elapsed / b.as_secs_f64().max(1e-9) >= by_steps => format!(
                "{}  step {}  {:.1} steps/s  {:.0}/{:.0} s",
                self.label,
                self.step,
                rate,
                elapsed.min(b.as_secs_f64()),
                b.as_secs_f64()
            ),
            _ => format!(
                "{}  {}/{}  {:.1} steps/s",
                self.label, self.step, self.total, rate
            ),
        };
        if self.finished {
            s.push_str(&format!("  done in {}", human(elapsed)));
        } else {
            s.push_str(&format!("  ETA {}", human(self.time_left(rate))));
        }
        if let Some(loss) = self.losses.last() {
            s.push_str(&format!("  loss {loss:.4}"));
        }
        s
    }

    /// Fraction done: of the steps or of the time budget, whichever is further.
    fn fraction(&self) -> f64 {
        let by_steps = self.step as f64 / self.total as f64;
        let by_time = self.budget.map_or(0.0, |b| {
            self.start.elapsed().as_secs_f64() / b.as_secs_f64().max(1e-9)
        });
        by_steps.max(by_time).min(1.0)
    }

    fn time_left(&self, rate: f64) -> f64 {
        let by_steps = (self.total - self.step.min(self.total)) as f64 / rate.max(1e-9);
        match self.budget {
            Some(b) => {
                by_steps.min((b.as_secs_f64() - self.start.elapsed().as_secs_f64()).max(0.0))
            }
            None => by_steps,
        }
    }

    fn draw(&mut self) {
        let t0 = Instant::now();
        let pct = if self.finished {
            100.0
        } else {
            100.0 * self.fraction()
        };
        let line = self.line();
        let mut html = format!(
            "<div style=\"font-family:monospace;font-size:13px;white-space:nowrap\">\
             <div style=\"width:240px;height:12px;border:1px solid #999;border-radius:3px;display:inline-block;vertical-align:middle\">\
             <div style=\"width:{pct:.1}%;height:100%;background:#4e79a7\"></div></div> {}</div>",
            course_contract::render::html_escape(&line)
        );
        if self.curve && self.losses.len() >= 2 {
            let bucket = self.losses.len().div_ceil(CURVE_POINTS);
            let means: Vec<f64> = self
                .losses
                .chunks(bucket)
                .map(|c| c.iter().sum::<f64>() / c.len() as f64)
                .collect();
            if let Ok(fig) = plot::training_curves()
                .series("loss", &means)
                .every(bucket)
                .title(format!("{}: loss", self.label))
                .size(560, 260)
                .build()
            {
                html.push_str(&fig.to_svg());
            }
        }
        self.display.html(&html, &line);
        let cost = t0.elapsed();
        self.min_interval = MIN_INTERVAL.max(cost * COST_FACTOR);
        self.last_draw = Some(Instant::now());
    }
}

/// A bar is what watches a training run in a notebook ([`crate::models::TrainConfig::observer`]).
impl crate::models::train::Observer for Progress {
    fn step(&mut self, done: usize, loss: f64) {
        self.update(done, loss);
    }
    fn finish(&mut self, _done: usize, _budget: Option<Duration>) {
        Progress::finish(self);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // A loop that ended early (an error, a time budget) still shows where it stopped.
        if self.step > 0 {
            self.finish();
        }
    }
}

fn human(secs: f64) -> String {
    if secs < 60.0 {
        format!("{secs:.0} s")
    } else {
        format!("{}:{:02} min", (secs / 60.0) as u64, (secs % 60.0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A writer the test can read back.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Sink {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    #[test]
    fn live_mode_displays_once_then_updates_the_same_id() {
        let sink = Sink::default();
        let mut d = Display::with_output(Mode::Live, Box::new(sink.clone()));
        d.html("<b>a \"quoted\"\nline</b>", "a");
        d.html("<b>b</b>", "b");
        let text = sink.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "one line per message: {text}");
        assert!(lines[0].starts_with("GMCOURSE_DISPLAY {\"op\":\"display\""));
        assert!(lines[1].starts_with("GMCOURSE_DISPLAY {\"op\":\"update\""));
        assert!(lines[0].contains(&format!("\"id\":\"{}\"", d.id)));
        assert!(lines[1].contains(&format!("\"id\":\"{}\"", d.id)));
        assert!(
            lines[0].contains(r#"a \"quoted\"\nline"#),
            "escaped: {}",
            lines[0]
        );
    }

    #[test]
    fn progress_in_live_mode_is_rate_limited_and_draws_the_end() {
        let sink = Sink::default();
        let mut p = Progress::with_display(
            "t",
            10_000,
            Display::with_output(Mode::Live, Box::new(sink.clone())),
        );
        for step in 1..=10_000 {
            p.update(step, 1.0 / step as f64);
        }
        p.finish();
        let text = sink.text();
        let n = text.lines().count();
        assert!(
            (2..=4).contains(&n),
            "a fast loop draws at its start and end only, drew {n}"
        );
        let last = text.lines().last().unwrap();
        assert!(
            last.contains("10000/10000") && last.contains("done in"),
            "{last}"
        );
        assert!(last.contains("<svg"), "the loss curve is drawn");
    }

    #[test]
    fn progress_in_lines_mode_prints_about_ten_lines() {
        let sink = Sink::default();
        let mut p = Progress::with_display(
            "fit",
            1000,
            Display::with_output(Mode::Lines, Box::new(sink.clone())),
        );
        for step in 1..=1000 {
            p.update(step, 0.5);
        }
        p.finish();
        let text = sink.text();
        let n = text.lines().count();
        assert!((10..=12).contains(&n), "{n} lines:\n{text}");
        assert!(
            text.lines()
                .all(|l| l.starts_with("fit  ") && l.contains("loss 0.5000")),
            "{text}"
        );
        assert!(!text.contains("GMCOURSE_DISPLAY"));
    }

    #[test]
    fn a_time_budget_shows_steps_and_seconds_instead_of_the_step_bound() {
        let mut p = Progress::with_display(
            "vae",
            100_000,
            Display::with_output(Mode::Off, Box::new(std::io::sink())),
        )
        .time_budget(Some(std::time::Duration::from_millis(1)));
        std::thread::sleep(std::time::Duration::from_millis(5));
        p.update(7, 1.0);
        p.finish();
        let line = p.line();
        assert!(
            line.starts_with("vae  step 7  ") && line.contains("/0 s"),
            "{line}"
        );
        assert!(!line.contains("100000"), "{line}");
    }

    #[test]
    fn progress_off_prints_nothing() {
        let sink = Sink::default();
        let mut p = Progress::with_display(
            "x",
            10,
            Display::with_output(Mode::Off, Box::new(sink.clone())),
        );
        for step in 1..=10 {
            p.update(step, 1.0);
        }
        p.finish();
        assert!(sink.text().is_empty());
    }

    #[test]
    fn a_dropped_progress_shows_where_it_stopped() {
        let sink = Sink::default();
        {
            let mut p = Progress::with_display(
                "early",
                100,
                Display::with_output(Mode::Lines, Box::new(sink.clone())),
            );
            p.update(3, 2.0);
        }
        assert!(
            sink.text().lines().last().unwrap().contains("3/100"),
            "{}",
            sink.text()
        );
    }
}
