//! Figure 1 of Goodfellow et al. (2014), drawn from a recorded 1-D training run (lecture
//! note 004, curriculum H4): [`GanRecorder`] takes [`GanSnapshot`]s while the GAN trains,
//! [`paper_figure`] draws one: the data density `p_data` (black, dotted), the generator
//! density `p_g` (green, solid) and the discriminator `D(x)` (blue, dashed).
//!
//! The generator of a GAN has no density of its own ("implicit model"), so the green curve
//! is estimated from samples `x_i = G(z_i)` with a kernel of bandwidth `h`
//! ([`crate::prob::kde()`]).

use rand::rngs::StdRng;

use super::Gan;
use crate::models::train;
use crate::plot::{self, ChartOptions, Dash, LinePlot, Rgb};
use crate::prob::kde::density_on_grid;
use crate::{Error, Result};

/// One snapshot for the GAN-paper figure: `D(x)` on the grid and samples of `G`.
#[derive(Debug, Clone)]
pub struct GanSnapshot {
    /// Training step (0-based) after which it was taken.
    pub step: usize,
    /// `D(x)` at each grid point.
    pub d_on_grid: Vec<f32>,
    /// Samples of `G(z)` (histogram them for the green curve).
    pub samples: Vec<f32>,
}

/// Records [`GanSnapshot`]s of a 1-D GAN every `every` steps, with its own seeded noise.
#[derive(Debug, Clone)]
pub struct GanRecorder {
    /// Record after steps `0, every, 2·every, …`.
    pub every: usize,
    /// The x grid for `D(x)`.
    pub grid: Vec<f32>,
    /// Samples per snapshot.
    pub n_samples: usize,
    /// What was recorded so far.
    pub snapshots: Vec<GanSnapshot>,
    rng: StdRng,
}

impl GanRecorder {
    /// A recorder of `D` on `grid` and `n_samples` generator samples every `every` steps.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// use gmcourse::models::{gan, Gan, GanConfig, TrainConfig};
    /// let (g, varmap) = Gan::seeded(&GanConfig::toy_1d(), 0)?;
    /// let mut rec = gan::figure::GanRecorder::new(2, vec![-1.0, 0.0, 1.0], 50, 0);
    /// let cfg = TrainConfig { steps: 4, batch_size: 8, log_every: 0, ..Default::default() };
    /// gan::train(&g, &varmap, |rng, n| gmcourse::data::synthetic::normal_1d(rng, n, 0.0, 1.0), &cfg, |s, g| rec.record(s, g))?;
    /// assert_eq!(rec.snapshots.len(), 2);
    /// assert_eq!(rec.snapshots[1].samples.len(), 50);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(every: usize, grid: Vec<f32>, n_samples: usize, seed: u64) -> Self {
        Self {
            every: every.max(1),
            grid,
            n_samples,
            snapshots: Vec::new(),
            rng: train::rng(seed),
        }
    }

    /// Takes a snapshot if `step` is a multiple of `every`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (g, _) = gmcourse::models::Gan::seeded(&gmcourse::models::GanConfig::toy_1d(), 0)?;
    /// let mut rec = gmcourse::models::gan::figure::GanRecorder::new(10, vec![0.0], 5, 0);
    /// rec.record(3, &g)?;
    /// assert!(rec.snapshots.is_empty());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn record(&mut self, step: usize, gan: &Gan) -> Result<()> {
        if step % self.every != 0 {
            return Ok(());
        }
        let d_on_grid = gan.discriminator_on_grid(&self.grid)?;
        let samples = gan
            .sample(self.n_samples, &mut self.rng)?
            .flatten_all()?
            .to_vec1::<f32>()?;
        self.snapshots.push(GanSnapshot {
            step,
            d_on_grid,
            samples,
        });
        Ok(())
    }
}

/// The paper's figure for one snapshot: `p_data` on `grid` (black dotted), the kernel
/// density of the snapshot's generator samples with bandwidth `h` (green) and `D(x)` (blue
/// dashed), titled with the step.
///
/// ```
/// use gmcourse::models::gan::figure::{self, GanSnapshot};
/// use gmcourse::plot::ChartOptions;
/// let grid = [-1.0f32, 0.0, 1.0];
/// let snap = GanSnapshot { step: 7, d_on_grid: vec![0.4, 0.5, 0.6], samples: vec![0.0, 0.2] };
/// let fig = figure::paper_figure(&snap, &grid, &[0.2, 0.4, 0.2], 0.3)?.build()?;
/// assert!(fig.to_svg().contains("step 7"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
///
/// # Errors
/// As [`crate::prob::kde()`], or if `p_data` or the snapshot's `D` has not one value per grid
/// point.
pub fn paper_figure(
    snapshot: &GanSnapshot,
    grid: &[f32],
    p_data: &[f64],
    h: f64,
) -> Result<LinePlot> {
    if p_data.len() != grid.len() || snapshot.d_on_grid.len() != grid.len() {
        return Err(Error::shape(
            "p_data and D(x)",
            format!("one value per grid point ({})", grid.len()),
            format!("{} and {}", p_data.len(), snapshot.d_on_grid.len()),
        ));
    }
    let p_g = density_on_grid(&snapshot.samples, grid, h)?;
    Ok(plot::line(grid, p_data)
        .name("p_data (data)")
        .color(Rgb::BLACK)
        .dash(Dash::Dotted)
        .series("p_g (generator)", grid, &p_g)
        .color(Rgb::GREEN)
        .series("D(x) (discriminator)", grid, &snapshot.d_on_grid)
        .color(Rgb::BLUE)
        .dash(Dash::Dashed)
        .title(format!("step {}", snapshot.step))
        .x_label("x"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_figure_refuses_mismatched_lengths() {
        let snap = GanSnapshot {
            step: 0,
            d_on_grid: vec![0.5],
            samples: vec![0.0],
        };
        assert!(paper_figure(&snap, &[0.0, 1.0], &[0.1, 0.2], 0.3).is_err());
    }
}
