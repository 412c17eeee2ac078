//! Toy p_data with known structure, seeded: x⁽¹⁾ … x⁽ⁿ⁾ ~ p_data in 1-D and 2-D.
//!
//! | set | p_data | used for |
//! |---|---|---|
//! | [`two_modes`] | π N(μ₁, σ₁²) + (1 − π) N(μ₂, σ₂²) | KL asymmetry: D(p‖q) covers both modes, D(q‖p) picks one |
//! | [`ring`] | (1/8) Σₖ N(r (cos 2πk/8, sin 2πk/8), σ² I) | GAN mode collapse (Metz et al. 2017, *Unrolled GANs*: r = 2, σ = 0.02) |
//! | [`grid`] | (1/25) Σᵢⱼ N((2i, 2j), σ² I), i, j ∈ {−2 … 2} | mode collapse (Srivastava et al. 2017, *VEEGAN*: σ = 0.05) |
//! | [`two_moons`] | two interleaved half circles plus N(0, σ² I) noise | a non-convex 2-D shape (as scikit-learn's `make_moons`) |
//! | [`swiss_roll`] | the spiral (t cos t, t sin t), t ∈ [1.5π, 4.5π], plus noise | a curled 1-D manifold in 2-D (as scikit-learn's `make_swiss_roll`, 2-D) |
//!
//! Each set has a `Config: Default` whose [`sample`](RingConfig::sample) validates the
//! parameters, and a free function that samples the default configuration. A 2-D set
//! comes as [`Points`]; [`Points::to_tensor`] makes it the `(n, 2)` batch a model trains
//! on, [`Points::from_tensor`] reads a model's samples back, and [`mode_counts`] says
//! which modes of the ring or the grid a set of points covers. [`normal_1d`] draws the
//! 1-D batches of the GAN-paper lesson.

use std::ops::Deref;

use candle_core::{Device, Tensor};
use rand::{Rng, SeedableRng, rngs::StdRng};
use rand_distr::{Distribution, StandardNormal};

use crate::Result;
use crate::check;

fn normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    StandardNormal.sample(rng)
}

/// 2-D points `x⁽ⁱ⁾ = (x, y)`, as every 2-D sampler here returns them; a slice of
/// `[f64; 2]` to read.
///
/// ```
/// use gmcourse::data::Points;
/// let p = Points(vec![[0.0, 1.0], [2.0, 3.0]]);
/// assert_eq!((p.len(), p.xs(), p.ys()), (2, vec![0.0, 2.0], vec![1.0, 3.0]));
/// assert_eq!(Points::from_tensor(&p.to_tensor()?)?, p);
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Points(pub Vec<[f64; 2]>);

impl Deref for Points {
    type Target = [[f64; 2]];
    fn deref(&self) -> &[[f64; 2]] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a Points {
    type Item = &'a [f64; 2];
    type IntoIter = std::slice::Iter<'a, [f64; 2]>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Points {
    /// The points of an `(n, 2)` tensor, e.g. the samples of a 2-D generator.
    ///
    /// # Errors
    /// If `x` is not an `(n, 2)` f32 tensor with `n >= 1`.
    ///
    /// ```
    /// let x = candle_core::Tensor::new(&[[1f32, 2.0]], &candle_core::Device::Cpu)?;
    /// assert_eq!(gmcourse::data::Points::from_tensor(&x)?.0, vec![[1.0, 2.0]]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn from_tensor(x: &Tensor) -> Result<Points> {
        check::matrix(x, "points (an (n, 2) tensor)", 2)?;
        Ok(Points(
            x.to_vec2::<f32>()?
                .iter()
                .map(|p| [f64::from(p[0]), f64::from(p[1])])
                .collect(),
        ))
    }

    /// The points as an `(n, 2)` f32 tensor on the CPU, a batch to train on.
    ///
    /// ```
    /// let x = gmcourse::data::ring(5, 0).to_tensor()?;
    /// assert_eq!(x.dims(), &[5, 2]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn to_tensor(&self) -> Result<Tensor> {
        let v: Vec<f32> = self
            .0
            .iter()
            .flat_map(|p| [p[0] as f32, p[1] as f32])
            .collect();
        Ok(Tensor::from_vec(v, (self.0.len(), 2), &Device::Cpu)?)
    }

    /// The first coordinates, for a scatter plot.
    ///
    /// ```
    /// assert_eq!(gmcourse::data::Points(vec![[1.0, 2.0]]).xs(), vec![1.0]);
    /// ```
    pub fn xs(&self) -> Vec<f64> {
        self.0.iter().map(|p| p[0]).collect()
    }

    /// The second coordinates, for a scatter plot.
    ///
    /// ```
    /// assert_eq!(gmcourse::data::Points(vec![[1.0, 2.0]]).ys(), vec![2.0]);
    /// ```
    pub fn ys(&self) -> Vec<f64> {
        self.0.iter().map(|p| p[1]).collect()
    }

    /// The spread `sqrt((1/n) Σ_i ‖x⁽ⁱ⁾ − x̄‖²)`, the root-mean-square distance to the mean;
    /// NaN for no points.
    ///
    /// ```
    /// let p = gmcourse::data::Points(vec![[-1.0, 0.0], [1.0, 0.0]]);
    /// assert_eq!(p.spread(), 1.0);
    /// ```
    pub fn spread(&self) -> f64 {
        let n = self.0.len() as f64;
        let mean = [
            self.0.iter().map(|p| p[0]).sum::<f64>() / n,
            self.0.iter().map(|p| p[1]).sum::<f64>() / n,
        ];
        let sq: f64 = self
            .0
            .iter()
            .map(|p| (p[0] - mean[0]).powi(2) + (p[1] - mean[1]).powi(2))
            .sum();
        (sq / n).sqrt()
    }
}

/// `n` draws from `N(mean, std²)` as an `(n, 1)` f32 tensor, from the training loop's
/// `rng`: the 1-D p_data (and fixed generators) of the GAN-paper lesson.
///
/// ```
/// let mut rng = gmcourse::models::train::rng(0);
/// let x = gmcourse::data::synthetic::normal_1d(&mut rng, 3, 0.0, 1.0)?;
/// assert_eq!(x.dims(), &[3, 1]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn normal_1d<R: Rng + ?Sized>(rng: &mut R, n: usize, mean: f32, std: f32) -> Result<Tensor> {
    let v: Vec<f32> = (0..n)
        .map(|_| mean + std * rng.sample::<f32, _>(StandardNormal))
        .collect();
    Ok(Tensor::from_vec(v, (n, 1), &Device::Cpu)?)
}

/// Parameters of the 1-D two-mode Gaussian mixture
/// p_data(x) = π N(x; μ₁, σ₁²) + (1 − π) N(x; μ₂, σ₂²).
///
/// Default: π = 0.5, μ = (−2, 2), σ = (0.5, 0.5): two well-separated modes, so the
/// single Gaussian minimising D(p‖q) has mean 0 and variance 0.25 + 4 = 4.25.
///
/// ```
/// let cfg = gmcourse::data::TwoModesConfig::default();
/// assert_eq!(cfg.mu, [-2.0, 2.0]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TwoModesConfig {
    /// π, the weight of the first mode, in `[0, 1]`.
    pub pi: f64,
    /// Means μ₁, μ₂.
    pub mu: [f64; 2],
    /// Standard deviations σ₁, σ₂ (> 0).
    pub sigma: [f64; 2],
}

impl Default for TwoModesConfig {
    fn default() -> Self {
        TwoModesConfig {
            pi: 0.5,
            mu: [-2.0, 2.0],
            sigma: [0.5, 0.5],
        }
    }
}

impl TwoModesConfig {
    fn validate(&self) -> Result<()> {
        check::probability("pi", self.pi)?;
        for k in 0..2 {
            check::finite("mu", self.mu[k])?;
            check::positive("sigma", self.sigma[k])?;
        }
        Ok(())
    }

    /// Draws `n` samples x ~ p_data with generator seed `seed`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) if π ∉ [0, 1], a μ is not finite or a σ is not > 0.
    ///
    /// ```
    /// use gmcourse::data::TwoModesConfig;
    /// let x = TwoModesConfig { pi: 1.0, ..Default::default() }.sample(100, 0)?;
    /// assert!(x.iter().all(|&v| v < 0.5)); // all from the mode at -2
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, n: usize, seed: u64) -> Result<Vec<f64>> {
        self.validate()?;
        let mut rng = StdRng::seed_from_u64(seed);
        Ok((0..n)
            .map(|_| {
                let k = usize::from(rng.random::<f64>() >= self.pi);
                self.mu[k] + self.sigma[k] * normal(&mut rng)
            })
            .collect())
    }

    /// The density p_data(x), for plotting the truth next to a fit. A config that
    /// [`sample`](Self::sample) would reject gives NaN.
    ///
    /// ```
    /// let cfg = gmcourse::data::TwoModesConfig::default();
    /// // At a mode: 0.5 · 1/(0.5 √(2π)) plus a negligible tail of the other mode.
    /// gmcourse::testing::assert_close(cfg.p_data(-2.0), 0.5 / (0.5 * (2.0 * std::f64::consts::PI).sqrt()), 1e-6);
    /// ```
    pub fn p_data(&self, x: f64) -> f64 {
        if self.validate().is_err() {
            return f64::NAN;
        }
        let pdf = |mu: f64, sigma: f64| {
            let z = (x - mu) / sigma;
            (-0.5 * z * z).exp() / (sigma * (2.0 * std::f64::consts::PI).sqrt())
        };
        self.pi * pdf(self.mu[0], self.sigma[0]) + (1.0 - self.pi) * pdf(self.mu[1], self.sigma[1])
    }
}

/// `n` samples of the default two-mode mixture 0.5 N(−2, 0.5²) + 0.5 N(2, 0.5²).
///
/// ```
/// let x = gmcourse::data::two_modes(1000, 42);
/// assert_eq!(x.len(), 1000);
/// assert_eq!(x, gmcourse::data::two_modes(1000, 42)); // seeded
/// ```
pub fn two_modes(n: usize, seed: u64) -> Vec<f64> {
    TwoModesConfig::default()
        .sample(n, seed)
        .unwrap_or_default()
}

/// How many points lie near each mode: the mode-coverage score of a 2-D generator.
///
/// ```
/// let counts = gmcourse::data::synthetic::ModeCounts { counts: vec![30, 0, 20], n_points: 60 };
/// assert_eq!(counts.covered(20), 2); // two modes have 20 points or more
/// assert_eq!(counts.near(), 50.0 / 60.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ModeCounts {
    /// Points within the distance of each center (a point counts for its nearest center
    /// only).
    pub counts: Vec<usize>,
    /// All the points counted, near a mode or not.
    pub n_points: usize,
}

impl ModeCounts {
    /// How many modes have at least `min_count` points: the modes covered.
    ///
    /// ```
    /// let cfg = gmcourse::data::RingConfig::default();
    /// let counts = gmcourse::data::synthetic::mode_counts(&gmcourse::data::ring(800, 0), &cfg.centers(), 0.1);
    /// assert_eq!(counts.covered(50), 8);
    /// ```
    pub fn covered(&self, min_count: usize) -> usize {
        self.counts.iter().filter(|&&c| c >= min_count).count()
    }

    /// The fraction of the points that lie near some mode (NaN for no points).
    ///
    /// ```
    /// let counts = gmcourse::data::synthetic::ModeCounts { counts: vec![1, 2], n_points: 6 };
    /// assert_eq!(counts.near(), 0.5);
    /// ```
    pub fn near(&self) -> f64 {
        self.counts.iter().sum::<usize>() as f64 / self.n_points as f64
    }
}

/// Counts how many of `points` lie within `max_dist` of each center (a point counts
/// for its nearest center only).
///
/// ```
/// let cfg = gmcourse::data::RingConfig::default();
/// let counts = gmcourse::data::synthetic::mode_counts(&gmcourse::data::ring(800, 0), &cfg.centers(), 0.1);
/// assert!(counts.counts.iter().all(|&c| c > 50)); // all 8 modes present
/// ```
pub fn mode_counts(points: &[[f64; 2]], centers: &[[f64; 2]], max_dist: f64) -> ModeCounts {
    let mut counts = vec![0; centers.len()];
    for p in points {
        let nearest = centers
            .iter()
            .enumerate()
            .map(|(k, c)| (k, (p[0] - c[0]).hypot(p[1] - c[1])))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((k, d)) = nearest
            && d <= max_dist
        {
            counts[k] += 1;
        }
    }
    ModeCounts {
        counts,
        n_points: points.len(),
    }
}

/// Draws from the equal mixture of isotropic Gaussians N(center, σ² I): the points and
/// the mode each came from.
fn sample_modes<R: Rng + ?Sized>(
    rng: &mut R,
    centers: &[[f64; 2]],
    sigma: f64,
    n: usize,
) -> (Points, Vec<u32>) {
    if centers.is_empty() {
        return (Points::default(), Vec::new());
    }
    let (points, modes) = (0..n)
        .map(|_| {
            let k = rng.random_range(0..centers.len());
            let c = centers[k];
            (
                [c[0] + sigma * normal(rng), c[1] + sigma * normal(rng)],
                k as u32,
            )
        })
        .unzip();
    (Points(points), modes)
}

/// Parameters of the ring of Gaussians: `modes` equal-weight modes at angles 2πk/modes
/// on a circle of radius `radius`, each N(center, σ² I).
///
/// Default: 8 modes, radius 2, σ = 0.02 (Metz et al. 2017, *Unrolled GANs*).
///
/// ```
/// let cfg = gmcourse::data::RingConfig::default();
/// assert_eq!((cfg.modes, cfg.radius, cfg.sigma), (8, 2.0, 0.02));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RingConfig {
    /// Number of modes (≥ 1).
    pub modes: usize,
    /// Radius of the circle of centers.
    pub radius: f64,
    /// Standard deviation of each mode (≥ 0).
    pub sigma: f64,
}

impl Default for RingConfig {
    fn default() -> Self {
        RingConfig {
            modes: 8,
            radius: 2.0,
            sigma: 0.02,
        }
    }
}

impl RingConfig {
    /// The `modes` centers, the first at angle 0: (r cos 2πk/m, r sin 2πk/m).
    ///
    /// ```
    /// let c = gmcourse::data::RingConfig::default().centers();
    /// assert_eq!(c.len(), 8);
    /// gmcourse::testing::assert_close(c[2][1], 2.0, 1e-12); // k = 2 is at 90°
    /// ```
    pub fn centers(&self) -> Vec<[f64; 2]> {
        (0..self.modes)
            .map(|k| {
                let angle = 2.0 * std::f64::consts::PI * k as f64 / self.modes as f64;
                [self.radius * angle.cos(), self.radius * angle.sin()]
            })
            .collect()
    }

    /// Draws `n` points, each from a uniformly chosen mode, with generator seed `seed`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) if `modes` is 0, the radius is not finite or σ < 0.
    ///
    /// ```
    /// use gmcourse::data::RingConfig;
    /// let x = RingConfig { modes: 3, ..Default::default() }.sample(10, 1)?;
    /// assert_eq!(x.len(), 10);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, n: usize, seed: u64) -> Result<Points> {
        self.draw(&mut StdRng::seed_from_u64(seed), n)
    }

    /// Draws `n` points from `rng`, e.g. a training loop's: a batch of p_data for a GAN
    /// is `ring.draw(rng, n)?.to_tensor()`.
    ///
    /// # Errors
    /// As [`RingConfig::sample`].
    ///
    /// ```
    /// let mut rng = gmcourse::models::train::rng(0);
    /// let x = gmcourse::data::RingConfig::default().draw(&mut rng, 4)?.to_tensor()?;
    /// assert_eq!(x.dims(), &[4, 2]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R, n: usize) -> Result<Points> {
        Ok(self.draw_labelled(rng, n)?.0)
    }

    /// [`RingConfig::draw`], with the mode `k` of each point: labelled data for a
    /// conditional model.
    ///
    /// # Errors
    /// As [`RingConfig::sample`].
    ///
    /// ```
    /// let mut rng = gmcourse::models::train::rng(0);
    /// let (x, k) = gmcourse::data::RingConfig::default().draw_labelled(&mut rng, 5)?;
    /// assert_eq!((x.len(), k.len()), (5, 5));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn draw_labelled<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        n: usize,
    ) -> Result<(Points, Vec<u32>)> {
        check::at_least("modes", self.modes, 1)?;
        check::finite("radius", self.radius)?;
        check::std_dev("sigma", self.sigma)?;
        Ok(sample_modes(rng, &self.centers(), self.sigma, n))
    }
}

/// `n` points from the default 8-Gaussian ring (radius 2, σ = 0.02).
///
/// ```
/// let x = gmcourse::data::ring(500, 7);
/// let r = (x[0][0].powi(2) + x[0][1].powi(2)).sqrt();
/// assert!((r - 2.0).abs() < 0.1);
/// ```
pub fn ring(n: usize, seed: u64) -> Points {
    RingConfig::default().sample(n, seed).unwrap_or_default()
}

/// Parameters of the grid of Gaussians: `side × side` equal-weight modes at
/// spacing · (i − (side − 1)/2, j − (side − 1)/2), each N(center, σ² I).
///
/// Default: 5 × 5 modes at {−4, −2, 0, 2, 4}², σ = 0.05 (Srivastava et al. 2017, *VEEGAN*).
///
/// ```
/// let cfg = gmcourse::data::GridConfig::default();
/// assert_eq!(cfg.centers().len(), 25);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GridConfig {
    /// Modes per row and per column (≥ 1).
    pub side: usize,
    /// Distance between neighbouring centers.
    pub spacing: f64,
    /// Standard deviation of each mode (≥ 0).
    pub sigma: f64,
}

impl Default for GridConfig {
    fn default() -> Self {
        GridConfig {
            side: 5,
            spacing: 2.0,
            sigma: 0.05,
        }
    }
}

impl GridConfig {
    /// The `side²` centers, row by row, centred on the origin.
    ///
    /// ```
    /// let c = gmcourse::data::GridConfig::default().centers();
    /// assert_eq!((c[0], c[24]), ([-4.0, -4.0], [4.0, 4.0]));
    /// ```
    pub fn centers(&self) -> Vec<[f64; 2]> {
        let offset = (self.side as f64 - 1.0) / 2.0;
        let coord = |i: usize| self.spacing * (i as f64 - offset);
        (0..self.side)
            .flat_map(|i| (0..self.side).map(move |j| [coord(i), coord(j)]))
            .collect()
    }

    /// Draws `n` points, each from a uniformly chosen mode.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) if `side` is 0, the spacing is not finite or σ < 0.
    ///
    /// ```
    /// use gmcourse::data::GridConfig;
    /// let x = GridConfig { side: 3, ..Default::default() }.sample(10, 1)?;
    /// assert!(x.iter().all(|p| p[0].abs() < 3.0));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, n: usize, seed: u64) -> Result<Points> {
        check::at_least("side", self.side, 1)?;
        check::finite("spacing", self.spacing)?;
        check::std_dev("sigma", self.sigma)?;
        Ok(sample_modes(
            &mut StdRng::seed_from_u64(seed),
            &self.centers(),
            self.sigma,
            n,
        )
        .0)
    }
}

/// `n` points from the default 5 × 5 grid (spacing 2, σ = 0.05).
///
/// ```
/// let x = gmcourse::data::grid(100, 3);
/// assert!(x.iter().all(|p| p[0].abs() < 4.5 && p[1].abs() < 4.5));
/// ```
pub fn grid(n: usize, seed: u64) -> Points {
    GridConfig::default().sample(n, seed).unwrap_or_default()
}

/// Parameters of two moons: ⌊n/2⌋ points on the upper half circle (cos t, sin t) and the
/// rest on the lower one (1 − cos t, 0.5 − sin t), t ~ U[0, π], plus N(0, noise² I).
///
/// Default: noise = 0.1. The shape is scikit-learn's `make_moons`, with t drawn at
/// random instead of on a regular grid.
///
/// ```
/// assert_eq!(gmcourse::data::MoonsConfig::default().noise, 0.1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MoonsConfig {
    /// Standard deviation of the Gaussian noise added to each coordinate (≥ 0).
    pub noise: f64,
}

impl Default for MoonsConfig {
    fn default() -> Self {
        MoonsConfig { noise: 0.1 }
    }
}

impl MoonsConfig {
    /// Draws `n` points: the first ⌊n/2⌋ on the upper moon, the rest on the lower.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) if noise < 0 or not finite.
    ///
    /// ```
    /// let x = gmcourse::data::MoonsConfig { noise: 0.0 }.sample(4, 0)?;
    /// assert!(x[0][1] >= 0.0 && x[3][1] <= 0.5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, n: usize, seed: u64) -> Result<Points> {
        check::std_dev("noise", self.noise)?;
        let mut rng = StdRng::seed_from_u64(seed);
        Ok(Points(
            (0..n)
                .map(|i| {
                    let t = rng.random::<f64>() * std::f64::consts::PI;
                    let p = if i < n / 2 {
                        [t.cos(), t.sin()]
                    } else {
                        [1.0 - t.cos(), 0.5 - t.sin()]
                    };
                    [
                        p[0] + self.noise * normal(&mut rng),
                        p[1] + self.noise * normal(&mut rng),
                    ]
                })
                .collect(),
        ))
    }
}

/// `n` points of two moons with noise 0.1.
///
/// ```
/// let x = gmcourse::data::two_moons(200, 0);
/// assert_eq!(x.len(), 200);
/// ```
pub fn two_moons(n: usize, seed: u64) -> Points {
    MoonsConfig::default().sample(n, seed).unwrap_or_default()
}

/// Parameters of the 2-D swiss roll: t = 1.5π (1 + 2u), u ~ U[0, 1], the point
/// scale · ((t cos t, t sin t) + N(0, noise² I)).
///
/// Default: noise = 0.5, scale = 0.1, so points lie within about 1.5 of the origin
/// (the common diffusion-model toy: scikit-learn's `make_swiss_roll(noise=0.5)`,
/// coordinates x and z, divided by 10).
///
/// ```
/// let cfg = gmcourse::data::SwissRollConfig::default();
/// assert_eq!((cfg.noise, cfg.scale), (0.5, 0.1));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SwissRollConfig {
    /// Standard deviation of the noise before scaling (≥ 0).
    pub noise: f64,
    /// Factor applied to every coordinate at the end.
    pub scale: f64,
}

impl Default for SwissRollConfig {
    fn default() -> Self {
        SwissRollConfig {
            noise: 0.5,
            scale: 0.1,
        }
    }
}

impl SwissRollConfig {
    /// Draws `n` points of the roll.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) if noise < 0 or the scale is not finite.
    ///
    /// ```
    /// let x = gmcourse::data::SwissRollConfig { noise: 0.0, scale: 1.0 }.sample(50, 0)?;
    /// // Without noise the radius equals the angle t, between 1.5π and 4.5π.
    /// let r = (x[0][0].powi(2) + x[0][1].powi(2)).sqrt();
    /// assert!(r >= 1.5 * std::f64::consts::PI && r <= 4.5 * std::f64::consts::PI);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn sample(&self, n: usize, seed: u64) -> Result<Points> {
        check::std_dev("noise", self.noise)?;
        check::finite("scale", self.scale)?;
        let mut rng = StdRng::seed_from_u64(seed);
        Ok(Points(
            (0..n)
                .map(|_| {
                    let t = 1.5 * std::f64::consts::PI * (1.0 + 2.0 * rng.random::<f64>());
                    let x = t * t.cos() + self.noise * normal(&mut rng);
                    let y = t * t.sin() + self.noise * normal(&mut rng);
                    [self.scale * x, self.scale * y]
                })
                .collect(),
        ))
    }
}

/// `n` points of the default swiss roll (noise 0.5, scale 0.1).
///
/// ```
/// let x = gmcourse::data::swiss_roll(300, 0);
/// assert!(x.iter().all(|p| p[0].hypot(p[1]) < 1.8));
/// ```
pub fn swiss_roll(n: usize, seed: u64) -> Points {
    SwissRollConfig::default()
        .sample(n, seed)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_close;

    fn mean_var(x: &[f64]) -> (f64, f64) {
        let n = x.len() as f64;
        let mean = x.iter().sum::<f64>() / n;
        (mean, x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n)
    }

    #[test]
    fn two_modes_has_the_mixture_mean_and_variance() {
        let x = two_modes(100_000, 1);
        let (mean, var) = mean_var(&x);
        // Mixture moments: mean 0.5·(−2) + 0.5·2 = 0; variance σ² + E[μ²] − 0 = 0.25 + 4.
        // Standard errors: sqrt(4.25/1e5) ≈ 0.0065 for the mean, ≈ 0.02 for the variance.
        assert_close(mean, 0.0, 0.03);
        assert_close(var, 4.25, 0.08);
        let left = x.iter().filter(|&&v| v < 0.0).count() as f64 / x.len() as f64;
        assert_close(left, 0.5, 0.01);
    }

    #[test]
    fn two_modes_density_integrates_to_one() {
        let cfg = TwoModesConfig {
            pi: 0.3,
            mu: [-1.0, 3.0],
            sigma: [0.5, 1.5],
        };
        let h = 1e-3;
        let total: f64 = (-10_000..20_000)
            .map(|k| cfg.p_data(k as f64 * h) * h)
            .sum();
        assert_close(total, 1.0, 1e-6);
    }

    #[test]
    fn ring_points_lie_near_the_radius_and_cover_all_8_modes() {
        let cfg = RingConfig::default();
        let x = ring(4000, 5);
        for p in &x {
            let r = p[0].hypot(p[1]);
            // σ = 0.02: 6σ covers everything but a 1e-8 tail.
            assert!((r - 2.0).abs() < 0.12, "radius {r}");
        }
        let counts = mode_counts(&x, &cfg.centers(), 0.12).counts;
        assert_eq!(counts.iter().sum::<usize>(), 4000);
        // Each mode gets Binomial(4000, 1/8): mean 500, sd ≈ 21.
        assert!(
            counts.iter().all(|&c| (400..600).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn grid_covers_all_25_modes_with_their_spread() {
        let cfg = GridConfig::default();
        let x = grid(10_000, 9);
        let counts = mode_counts(&x, &cfg.centers(), 0.3).counts;
        assert_eq!(counts.iter().sum::<usize>(), 10_000);
        assert!(
            counts.iter().all(|&c| (300..500).contains(&c)),
            "{counts:?}"
        );
        // Mean over all points is the grid center (0, 0).
        let mx = x.iter().map(|p| p[0]).sum::<f64>() / x.len() as f64;
        assert_close(mx, 0.0, 0.1);
    }

    #[test]
    fn two_moons_has_the_moon_centroids() {
        let x = MoonsConfig { noise: 0.0 }.sample(20_000, 2).unwrap();
        let (upper, lower) = x.split_at(10_000);
        let centroid = |s: &[[f64; 2]]| {
            let n = s.len() as f64;
            [
                s.iter().map(|p| p[0]).sum::<f64>() / n,
                s.iter().map(|p| p[1]).sum::<f64>() / n,
            ]
        };
        // E[cos t] = 0 and E[sin t] = 2/π for t ~ U[0, π].
        let (u, l) = (centroid(upper), centroid(lower));
        assert_close(u[0], 0.0, 0.02);
        assert_close(u[1], 2.0 / std::f64::consts::PI, 0.02);
        assert_close(l[0], 1.0, 0.02);
        assert_close(l[1], 0.5 - 2.0 / std::f64::consts::PI, 0.02);
        for p in upper {
            assert_close(p[0].hypot(p[1]), 1.0, 1e-12);
        }
    }

    #[test]
    fn swiss_roll_radius_is_uniform_between_its_ends() {
        let x = SwissRollConfig {
            noise: 0.0,
            scale: 1.0,
        }
        .sample(20_000, 4)
        .unwrap();
        let r: Vec<f64> = x.iter().map(|p| p[0].hypot(p[1])).collect();
        let (mean, _) = mean_var(&r);
        // r = t ~ U[1.5π, 4.5π]: mean 3π.
        assert_close(mean, 3.0 * std::f64::consts::PI, 0.1);
    }

    #[test]
    fn same_seed_same_points_and_new_seed_new_points() {
        assert_eq!(ring(50, 1), ring(50, 1));
        assert_ne!(ring(50, 1), ring(50, 2));
        assert_eq!(grid(50, 1), grid(50, 1));
        assert_eq!(two_moons(50, 1), two_moons(50, 1));
        assert_ne!(swiss_roll(50, 1), swiss_roll(50, 2));
        assert_ne!(two_modes(50, 1), two_modes(50, 2));
    }

    #[test]
    fn bad_parameters_are_rejected() {
        assert!(
            TwoModesConfig {
                pi: 1.5,
                ..Default::default()
            }
            .sample(1, 0)
            .is_err()
        );
        assert!(
            TwoModesConfig {
                sigma: [0.0, 1.0],
                ..Default::default()
            }
            .sample(1, 0)
            .is_err()
        );
        assert!(
            RingConfig {
                modes: 0,
                ..Default::default()
            }
            .sample(1, 0)
            .is_err()
        );
        assert!(
            GridConfig {
                sigma: -1.0,
                ..Default::default()
            }
            .sample(1, 0)
            .is_err()
        );
        assert!(MoonsConfig { noise: f64::NAN }.sample(1, 0).is_err());
        let err = SwissRollConfig {
            noise: -0.1,
            scale: 1.0,
        }
        .sample(1, 0)
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "noise: expected a finite standard deviation >= 0, got -0.1"
        );
    }
}
