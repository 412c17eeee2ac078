//! The course's MNIST classifier, `p(y|x) = softmax(f_θ(x))` with an MLP `f_θ`
//! (curriculum A5, H7): trained by minimising the cross-entropy `-log p(y|x)`. Its class
//! probabilities give the MNIST score and its penultimate activations the FID features
//! ([`crate::models::eval`]), the way Inception-v3 does for ImageNet (Salimans et al.
//! 2016; Heusel et al. 2017).

use candle_core::{Device, Tensor};
use candle_nn::{VarBuilder, VarMap};

use super::nn::{Activation, Mlp};
use super::train::{self, History, TrainConfig};
use super::{Model, nn};
use crate::check;
use crate::{Error, Result};

/// Sizes of a [`Classifier`].
///
/// ```
/// let cfg = gmcourse::models::ClassifierConfig::default();
/// assert_eq!((cfg.n_pixels, cfg.n_classes), (784, 10));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ClassifierConfig {
    /// Input size (784).
    pub n_pixels: usize,
    /// Hidden sizes; the last one is the FID feature size.
    pub hidden: Vec<usize>,
    /// Number of classes (10).
    pub n_classes: usize,
    /// Probability of zeroing a hidden unit in each training step (dropout; 0 = off).
    pub dropout: f64,
    /// Training-time augmentation: each training image is moved by up to this many
    /// pixels in x and y ([`crate::data::augment::shift`]; 0 = off). Needs square images.
    pub max_shift: usize,
}

impl Default for ClassifierConfig {
    fn default() -> Self {
        Self {
            n_pixels: 784,
            hidden: vec![512, 256],
            n_classes: 10,
            dropout: 0.5,
            max_shift: 0,
        }
    }
}

/// An MLP classifier, layers `net.fc0 …`.
#[derive(Debug, Clone)]
pub struct Classifier {
    net: Mlp,
    cfg: ClassifierConfig,
}

impl Model for Classifier {
    type Config = ClassifierConfig;

    /// Builds the layers under `vb`.
    fn new(vb: VarBuilder, cfg: &ClassifierConfig) -> Result<Self> {
        if cfg.hidden.is_empty() || cfg.n_classes < 2 || !(0.0..1.0).contains(&cfg.dropout) {
            return Err(Error::invalid(
                "ClassifierConfig",
                "at least one hidden layer, 2 classes and 0 <= dropout < 1",
                format!("{cfg:?}"),
            ));
        }
        if cfg.max_shift > 0 && image_side(cfg.n_pixels).is_none() {
            return Err(Error::invalid(
                "ClassifierConfig::max_shift",
                "max_shift = 0 unless n_pixels is a square (side × side images)",
                format!("max_shift {} with n_pixels {}", cfg.max_shift, cfg.n_pixels),
            ));
        }
        let sizes = Mlp::sizes(cfg.n_pixels, &cfg.hidden, cfg.n_classes);
        Ok(Self {
            net: Mlp::new(vb.pp("net"), &sizes, Activation::Relu)?,
            cfg: cfg.clone(),
        })
    }

    fn config(&self) -> &ClassifierConfig {
        &self.cfg
    }
}

impl Classifier {
    /// Class logits `(batch, n_classes)` of `x` `(batch, 784)`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (clf, _) = gmcourse::models::Classifier::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(clf.logits(&x)?.dims(), &[2, 10]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn logits(&self, x: &Tensor) -> Result<Tensor> {
        check::matrix(x, "x (classifier input)", self.cfg.n_pixels)?;
        self.net.forward(x)
    }

    /// `p(y|x)`, `(batch, n_classes)`, rows summing to one.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (clf, _) = gmcourse::models::Classifier::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((1, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// let p = clf.probs(&x)?.sum_all()?.to_scalar::<f32>()?;
    /// gmcourse::testing::assert_close(p as f64, 1.0, 1e-5);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn probs(&self, x: &Tensor) -> Result<Tensor> {
        Ok(candle_nn::ops::softmax_last_dim(&self.logits(x)?)?)
    }

    /// The penultimate activations `(batch, hidden.last())`: the FID features.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (clf, _) = gmcourse::models::Classifier::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(clf.features(&x)?.dims(), &[2, 256]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn features(&self, x: &Tensor) -> Result<Tensor> {
        check::matrix(x, "x (classifier input)", self.cfg.n_pixels)?;
        Ok(self.net.forward_with_features(x)?.1)
    }

    /// The fraction of rows of `x` whose most likely class is `labels`.
    ///
    /// ```
    /// use gmcourse::models::Model;
    /// let (clf, _) = gmcourse::models::Classifier::seeded(&Default::default(), 0)?;
    /// let x = candle_core::Tensor::zeros((2, 784), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// let acc = clf.accuracy(&x, &[0, 1])?;
    /// assert!((0.0..=1.0).contains(&acc));
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn accuracy(&self, x: &Tensor, labels: &[u32]) -> Result<f64> {
        let n = check::matrix(x, "x (classifier input)", self.cfg.n_pixels)?;
        check_labels(labels, n, self.cfg.n_classes)?;
        let pred = self.logits(x)?.argmax(1)?.to_vec1::<u32>()?;
        let hits = pred.iter().zip(labels).filter(|(p, y)| p == y).count();
        Ok(hits as f64 / n as f64)
    }
}

/// The side of a square image of `n_pixels` pixels, if there is one.
fn image_side(n_pixels: usize) -> Option<usize> {
    let side = (n_pixels as f64).sqrt().round() as usize;
    (side * side == n_pixels && side > 0).then_some(side)
}

/// Checks that there are `n` labels, each below `n_classes`.
pub(crate) fn check_labels(labels: &[u32], n: usize, n_classes: usize) -> Result<()> {
    if labels.len() != n {
        return Err(Error::shape(
            "labels",
            format!("{n} labels, one per image"),
            format!("{} labels", labels.len()),
        ));
    }
    if let Some((i, y)) = labels
        .iter()
        .enumerate()
        .find(|(_, y)| **y as usize >= n_classes)
    {
        return Err(Error::invalid(
            "labels",
            format!("class indices below {n_classes}"),
            format!("{y} at position {i}"),
        ));
    }
    Ok(())
}

/// Trains `clf` on `images` `(n, 784)` and `labels` (`n` class indices) with the
/// cross-entropy loss, the config's dropout and, if `max_shift > 0`, randomly shifted
/// training images; returns the per-step loss.
///
/// ```
/// use gmcourse::models::Model;
/// let cfg = gmcourse::models::ClassifierConfig { n_pixels: 2, hidden: vec![8], n_classes: 2, dropout: 0.0, max_shift: 0 };
/// let (clf, varmap) = gmcourse::models::Classifier::seeded(&cfg, 0)?;
/// let x = candle_core::Tensor::new(&[[1f32, 0.], [0., 1.]], &candle_core::Device::Cpu)?;
/// let tc = gmcourse::models::TrainConfig { steps: 50, batch_size: 2, lr: 0.05, log_every: 0, ..Default::default() };
/// gmcourse::models::classifier::train(&clf, &varmap, &x, &[0, 1], &tc)?;
/// assert_eq!(clf.accuracy(&x, &[0, 1])?, 1.0);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn train(
    clf: &Classifier,
    varmap: &VarMap,
    images: &Tensor,
    labels: &[u32],
    cfg: &TrainConfig,
) -> Result<History> {
    let n = check::matrix(images, "images (classifier training set)", clf.cfg.n_pixels)?;
    check_labels(labels, n, clf.cfg.n_classes)?;
    let mut opt = nn::adamw(varmap.all_vars(), cfg.lr)?;
    // the image side when training images are shifted (`Classifier::new` checked it exists)
    let shift_side = image_side(clf.cfg.n_pixels).filter(|_| clf.cfg.max_shift > 0);
    let losses = train::run(cfg, varmap, |step, rng| {
        let idx: Vec<u32> = (0..cfg.batch_size)
            .map(|_| rand::Rng::random_range(rng, 0..n as u32))
            .collect();
        let mut x = train::select_rows(images, &idx)?;
        if let Some(side) = shift_side {
            x = crate::data::augment::shift(&x, side, clf.cfg.max_shift, rng)?;
        }
        let y: Vec<u32> = idx.iter().map(|&i| labels[i as usize]).collect();
        let y = Tensor::from_vec(y, cfg.batch_size, &Device::Cpu)?;
        let logits = clf.net.forward_dropout(&x, clf.cfg.dropout, rng)?;
        let loss = candle_nn::loss::cross_entropy(&logits, &y)?;
        train::checked_step(&mut opt, &loss, step)
    })?;
    Ok(History::from_losses(losses))
}
