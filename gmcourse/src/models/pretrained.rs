//! Checkpoints of the lessons' heavier models, made once by `./course train`.
//!
//! In class a notebook trains within a time budget of seconds. `./course train 05` (or
//! `07`, `09`, `10`, or no number for all) trains the same models, with the same
//! configurations, for minutes, and saves each to `build/checkpoints/<name>.safetensors`
//! together with its loss history. A notebook cell wraps its training call in
//! [`load_or_train`]: with a checkpoint for exactly this model it loads it (weights and
//! history), otherwise it trains as before, and either way it prints what it did.
//!
//! A checkpoint that does not fit the model (another architecture or config, a damaged
//! file) is never half-loaded: the cell says why and trains instead.

use std::path::PathBuf;
use std::time::Instant;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarMap;

use crate::models::gan::GanLosses;
use crate::models::train;
use crate::models::vae_history::ElboHistory;
use crate::{Error, Result};

const HISTORY: &str = "__history__.";
const SECONDS: &str = "__seconds__";

/// A loss history that can be stored next to a checkpoint's weights.
pub trait History: Sized {
    /// Named series of the history.
    fn to_series(&self) -> Vec<(String, Vec<f64>)>;
    /// The history back from its series (None if one is missing).
    fn from_series(series: &[(String, Vec<f64>)]) -> Option<Self>;
    /// Steps trained.
    fn steps(&self) -> usize;
}

impl History for Vec<f64> {
    fn to_series(&self) -> Vec<(String, Vec<f64>)> {
        vec![("loss".into(), self.clone())]
    }
    fn from_series(series: &[(String, Vec<f64>)]) -> Option<Self> {
        find(series, "loss")
    }
    fn steps(&self) -> usize {
        self.len()
    }
}

impl History for GanLosses {
    fn to_series(&self) -> Vec<(String, Vec<f64>)> {
        vec![
            ("discriminator".into(), self.discriminator.clone()),
            ("generator".into(), self.generator.clone()),
        ]
    }
    fn from_series(series: &[(String, Vec<f64>)]) -> Option<Self> {
        Some(GanLosses {
            discriminator: find(series, "discriminator")?,
            generator: find(series, "generator")?,
        })
    }
    fn steps(&self) -> usize {
        self.generator.len()
    }
}

impl History for ElboHistory {
    fn to_series(&self) -> Vec<(String, Vec<f64>)> {
        vec![
            ("reconstruction".into(), self.reconstruction.clone()),
            ("kl".into(), self.kl.clone()),
            ("elbo".into(), self.elbo.clone()),
        ]
    }
    fn from_series(series: &[(String, Vec<f64>)]) -> Option<Self> {
        Some(ElboHistory {
            reconstruction: find(series, "reconstruction")?,
            kl: find(series, "kl")?,
            elbo: find(series, "elbo")?,
        })
    }
    fn steps(&self) -> usize {
        self.len()
    }
}

fn find(series: &[(String, Vec<f64>)], name: &str) -> Option<Vec<f64>> {
    series
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// Where `./course train` keeps the checkpoint called `name`:
/// `build/checkpoints/<name>.safetensors` in the course folder.
///
/// ```
/// let p = gmcourse::models::pretrained::path("l05-nade");
/// assert!(p.ends_with("build/checkpoints/l05-nade.safetensors"));
/// ```
pub fn path(name: &str) -> PathBuf {
    crate::course::root()
        .join("build")
        .join("checkpoints")
        .join(format!("{name}.safetensors"))
}

/// Saves `varmap` and `history` (and the training time) as checkpoint `name`.
///
/// ```
/// use candle_nn::{VarBuilder, VarMap};
/// use gmcourse::models::pretrained;
/// let vm = VarMap::new();
/// let _ = candle_nn::linear(3, 2, VarBuilder::from_varmap(&vm, candle_core::DType::F32, &candle_core::Device::Cpu).pp("fc"))?;
/// let name = "doc-pretrained-save";
/// pretrained::save(name, &vm, &vec![3.0, 2.0, 1.0], 1.5)?;
/// let (history, seconds) = pretrained::load::<Vec<f64>>(name, &vm)?;
/// assert_eq!((history, seconds), (vec![3.0, 2.0, 1.0], 1.5));
/// # std::fs::remove_file(pretrained::path(name)).ok();
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn save<H: History>(name: &str, varmap: &VarMap, history: &H, seconds: f64) -> Result<PathBuf> {
    let path = path(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut tensors: Vec<(String, Tensor)> = train::sorted_vars(varmap)?
        .into_iter()
        .map(|(n, v)| (n, v.as_tensor().clone()))
        .collect();
    for (series, values) in history.to_series() {
        tensors.push((
            format!("{HISTORY}{series}"),
            Tensor::new(values.as_slice(), &Device::Cpu)?,
        ));
    }
    tensors.push((SECONDS.into(), Tensor::new(&[seconds], &Device::Cpu)?));
    // Written next to the target, then renamed: an interrupted save leaves the old file.
    let tmp = path.with_extension("safetensors.tmp");
    candle_core::safetensors::save(&tensors.into_iter().collect(), &tmp).map_err(|e| {
        Error::Checkpoint {
            path: tmp.clone(),
            problem: format!("cannot write: {e}"),
        }
    })?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// Loads checkpoint `name` into `varmap`; returns its history and training seconds. The
/// weights are only set when every tensor of the model is in the file with its shape.
///
/// # Errors
/// [`Error::Checkpoint`] naming the problem: no file, another architecture, no history.
pub fn load<H: History>(name: &str, varmap: &VarMap) -> Result<(H, f64)> {
    let path = path(name);
    let problem = |p: String| Error::Checkpoint {
        path: path.clone(),
        problem: p,
    };
    if !path.exists() {
        return Err(problem("no checkpoint yet".into()));
    }
    let file = candle_core::safetensors::load(&path, &Device::Cpu)
        .map_err(|e| problem(format!("not a safetensors file: {e}")))?;
    let mut series = Vec::new();
    for (key, t) in &file {
        if let Some(s) = key.strip_prefix(HISTORY) {
            series.push((s.to_string(), t.to_dtype(DType::F64)?.to_vec1::<f64>()?));
        }
    }
    let history = H::from_series(&series)
        .ok_or_else(|| problem("the file holds no loss history of this kind of model".into()))?;
    let seconds = file
        .get(SECONDS)
        .map(|t| t.to_dtype(DType::F64)?.to_vec1::<f64>())
        .transpose()?
        .and_then(|v| v.first().copied())
        .unwrap_or(0.0);
    let vars = train::sorted_vars(varmap)?;
    for (n, var) in &vars {
        match file.get(n) {
            None => {
                return Err(problem(format!(
                    "tensor `{n}` of the model is missing (a checkpoint of another model?)"
                )));
            }
            Some(t) if t.dims() != var.dims() => {
                return Err(problem(format!(
                    "tensor `{n}` has shape {:?} in the file but {:?} in the model (another configuration)",
                    t.dims(),
                    var.dims()
                )));
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = file
        .keys()
        .filter(|k| !k.starts_with("__") && !vars.iter().any(|(n, _)| n == *k))
        .min()
    {
        return Err(problem(format!(
            "tensor `{extra}` in the file is not part of the model (another architecture?)"
        )));
    }
    for (n, var) in &vars {
        var.set(&file[n].to_dtype(var.dtype())?)?;
    }
    Ok((history, seconds))
}

/// Loads checkpoint `name` (made by `./course train <lesson>`) into `varmap` if it fits,
/// else runs `train` (the cell's own training within its time budget). Prints one line
/// saying which happened.
///
/// ```
/// use candle_nn::{VarBuilder, VarMap};
/// use gmcourse::models::pretrained;
/// let vm = VarMap::new();
/// let _ = candle_nn::linear(2, 2, VarBuilder::from_varmap(&vm, candle_core::DType::F32, &candle_core::Device::Cpu).pp("fc"))?;
/// let name = "doc-pretrained-missing";
/// # std::fs::remove_file(pretrained::path(name)).ok();
/// let losses = pretrained::load_or_train(name, "05", &vm, || Ok(vec![1.0, 0.5]))?;
/// assert_eq!(losses, vec![1.0, 0.5]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn load_or_train<H: History>(
    name: &str,
    lesson: &str,
    varmap: &VarMap,
    train: impl FnOnce() -> Result<H>,
) -> Result<H> {
    match load::<H>(name, varmap) {
        Ok((history, seconds)) => {
            println!(
                "loaded checkpoint build/checkpoints/{name}.safetensors: {} steps, {} of training by `./course train {lesson}`",
                history.steps(),
                minutes(seconds)
            );
            Ok(history)
        }
        Err(e) => {
            let why = match &e {
                Error::Checkpoint { problem, .. } if problem == "no checkpoint yet" => {
                    format!("no checkpoint (`./course train {lesson}` makes one)")
                }
                Error::Checkpoint { problem, .. } => format!("checkpoint not used: {problem}"),
                other => format!("checkpoint not used: {other}"),
            };
            let start = Instant::now();
            let history = train()?;
            println!(
                "trained for {:.0} s, {} steps; {why}",
                start.elapsed().as_secs_f64(),
                history.steps()
            );
            Ok(history)
        }
    }
}

fn minutes(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else {
        format!("{:.1} min", seconds / 60.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_nn::VarBuilder;

    fn model(out: usize) -> VarMap {
        let vm = VarMap::new();
        let _ = candle_nn::linear(
            3,
            out,
            VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu).pp("fc"),
        )
        .unwrap();
        vm
    }

    #[test]
    fn a_saved_model_and_its_gan_history_come_back() {
        let name = "test-pretrained-roundtrip";
        let a = model(2);
        let h = GanLosses {
            discriminator: vec![1.3, 1.2],
            generator: vec![0.7, 0.9],
        };
        save(name, &a, &h, 120.0).unwrap();
        let b = model(2);
        let (back, secs) = load::<GanLosses>(name, &b).unwrap();
        assert_eq!(
            (back.discriminator, back.generator, secs),
            (h.discriminator, h.generator, 120.0)
        );
        let wa = a.data().lock().unwrap()["fc.weight"]
            .as_tensor()
            .to_vec2::<f32>()
            .unwrap();
        let wb = b.data().lock().unwrap()["fc.weight"]
            .as_tensor()
            .to_vec2::<f32>()
            .unwrap();
        assert_eq!(wa, wb);
        std::fs::remove_file(path(name)).ok();
    }

    #[test]
    fn a_checkpoint_of_another_shape_is_refused_and_the_cell_trains_instead() {
        let name = "test-pretrained-shape";
        save(name, &model(2), &vec![1.0], 5.0).unwrap();
        let other = model(4);
        let before = other.data().lock().unwrap()["fc.weight"]
            .as_tensor()
            .to_vec2::<f32>()
            .unwrap();
        let err = load::<Vec<f64>>(name, &other).unwrap_err().to_string();
        assert!(
            err.contains("fc.bias") || err.contains("fc.weight"),
            "{err}"
        );
        let after = other.data().lock().unwrap()["fc.weight"]
            .as_tensor()
            .to_vec2::<f32>()
            .unwrap();
        assert_eq!(before, after, "nothing half-loaded");
        let mut trained = false;
        let h = load_or_train(name, "05", &other, || {
            trained = true;
            Ok(vec![9.0])
        })
        .unwrap();
        assert!(trained);
        assert_eq!(h, vec![9.0]);
        std::fs::remove_file(path(name)).ok();
    }

    #[test]
    fn a_history_of_another_kind_is_refused() {
        let name = "test-pretrained-kind";
        save(name, &model(2), &vec![1.0, 2.0], 5.0).unwrap();
        let err = load::<ElboHistory>(name, &model(2))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no loss history"), "{err}");
        std::fs::remove_file(path(name)).ok();
    }
}
