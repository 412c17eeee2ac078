//! The per-step record of a training run, one type for every model: named series of
//! numbers, one value per step.
//!
//! | model | series |
//! |---|---|
//! | NADE, autoencoder, classifier, PixelCNN, mixture network, cGAN | `loss` (what the optimiser minimised; the cGAN's is its generator's) |
//! | GAN | `discriminator`, `generator` |
//! | VAE | `reconstruction` `E_q[log p(x\|z)]`, `kl`, `elbo`, and `loss = −elbo` |
//!
//! A [`Checkpoints`](super::Checkpoints) file stores every series next to the weights.

use crate::{Error, Result};

/// Named per-step series of a training run.
///
/// ```
/// use gmcourse::models::train::History;
/// let mut h = History::new();
/// h.push("generator", 0.7);
/// h.push("generator", 0.6);
/// assert_eq!((h.len(), h.series("generator")?), (2, &[0.7, 0.6][..]));
/// assert!(h.series("discriminator").is_err());
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    series: Vec<(String, Vec<f64>)>,
}

impl History {
    /// The name of the series of what the optimiser minimised.
    pub const LOSS: &'static str = "loss";

    /// No series yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// One series, [`History::LOSS`].
    ///
    /// ```
    /// let h = gmcourse::models::train::History::from_losses(vec![2.0, 1.0]);
    /// assert_eq!(h.loss()?, &[2.0, 1.0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn from_losses(losses: Vec<f64>) -> Self {
        Self::new().with(Self::LOSS, losses)
    }

    /// This history with series `name` set to `values` (replaced if it exists).
    ///
    /// ```
    /// let h = gmcourse::models::train::History::new().with("kl", vec![3.0]);
    /// assert_eq!(h.series("kl")?, &[3.0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn with(mut self, name: &str, values: Vec<f64>) -> Self {
        match self.series.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = values,
            None => self.series.push((name.to_string(), values)),
        }
        self
    }

    /// Appends `value` to series `name`, which is created if new.
    pub fn push(&mut self, name: &str, value: f64) {
        match self.series.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => v.push(value),
            None => self.series.push((name.to_string(), vec![value])),
        }
    }

    /// Series `name`.
    ///
    /// # Errors
    /// If the run recorded no such series; the message lists those it has.
    pub fn series(&self, name: &str) -> Result<&[f64]> {
        self.series
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
            .ok_or_else(|| {
                Error::invalid(
                    "History::series",
                    format!("one of the recorded series {:?}", self.names()),
                    format!("{name:?}"),
                )
            })
    }

    /// The series [`History::LOSS`].
    ///
    /// # Errors
    /// As [`History::series`] (a GAN's history has `generator` and `discriminator`).
    pub fn loss(&self) -> Result<&[f64]> {
        self.series(Self::LOSS)
    }

    /// Series `name` with its sign flipped, e.g. the reconstruction term of the ELBO as a
    /// loss to plot.
    ///
    /// ```
    /// let h = gmcourse::models::train::History::new().with("reconstruction", vec![-90.0]);
    /// assert_eq!(h.negated("reconstruction")?, vec![90.0]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`History::series`].
    pub fn negated(&self, name: &str) -> Result<Vec<f64>> {
        Ok(self.series(name)?.iter().map(|v| -v).collect())
    }

    /// The mean of the last `n` values of series `name`: a less noisy summary of where
    /// training ended. All values if fewer than `n` were recorded; NaN if none.
    ///
    /// ```
    /// let h = gmcourse::models::train::History::new().with("kl", vec![1.0, 2.0, 3.0]);
    /// assert_eq!(h.last_mean("kl", 2)?, 2.5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`History::series`].
    pub fn last_mean(&self, name: &str, n: usize) -> Result<f64> {
        let v = self.series(name)?;
        let tail = &v[v.len().saturating_sub(n.max(1))..];
        // 0 / 0 = NaN when nothing was recorded
        Ok(tail.iter().sum::<f64>() / tail.len() as f64)
    }

    /// The names of the series, in the order they were first recorded.
    pub fn names(&self) -> Vec<&str> {
        self.series.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// Every series with its name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[f64])> {
        self.series.iter().map(|(n, v)| (n.as_str(), v.as_slice()))
    }

    /// The number of steps recorded (the length of the longest series).
    ///
    /// ```
    /// assert_eq!(gmcourse::models::train::History::from_losses(vec![1.0; 5]).len(), 5);
    /// ```
    pub fn len(&self) -> usize {
        self.series.iter().map(|(_, v)| v.len()).max().unwrap_or(0)
    }

    /// True before the first step.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_mean_of_an_empty_series_is_nan() {
        let h = History::new().with("elbo", vec![]);
        assert!(h.last_mean("elbo", 5).unwrap().is_nan());
    }

    #[test]
    fn a_missing_series_is_named_with_the_recorded_ones() {
        let msg = History::from_losses(vec![1.0])
            .series("generator")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("\"loss\"") && msg.contains("\"generator\""),
            "{msg}"
        );
    }
}
