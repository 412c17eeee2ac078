//! Checkpoints: a model's weights in a safetensors file, loaded only into a model they fit.
//!
//! Two kinds, one check:
//! - [`save_checkpoint`] / [`load_checkpoint`]: the weights alone, at a path
//!   ([`super::TrainConfig::checkpoint`] saves one while training);
//! - [`Checkpoints`]: a folder of named checkpoints that also hold the run's [`History`]
//!   and its training time. `./course train 05` (or `07`, `09`, `10`) trains the lessons'
//!   heavier models for minutes into the course's `build/checkpoints/`; a notebook cell
//!   wraps its training call in [`Checkpoints::load_or_train`], which loads the checkpoint
//!   for exactly this model if there is one and trains as before if not, and says which.
//!
//! A checkpoint that does not fit the model (another architecture or config, a damaged
//! file) is never half-loaded: every tensor is checked before the first is set, and the
//! error names the first that differs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::VarMap;

use super::history::History;
use super::params::sorted_vars;
use crate::{Error, Result};

/// Keys of the entries of a [`Checkpoints`] file that are not weights.
const HISTORY: &str = "__history__.";
const SECONDS: &str = "__seconds__";

/// Saves every variable of `varmap` to a safetensors file.
///
/// ```
/// let varmap = candle_nn::VarMap::new();
/// let path = std::env::temp_dir().join("gmcourse_doc_empty.safetensors");
/// gmcourse::models::train::save_checkpoint(&varmap, &path)?;
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn save_checkpoint(varmap: &VarMap, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    varmap.save(path).map_err(|e| Error::Checkpoint {
        path: path.to_path_buf(),
        problem: format!("cannot write: {e}"),
    })
}

/// Loads a safetensors checkpoint into `varmap`, after checking that the file holds exactly
/// the model's tensors with the model's shapes. A checkpoint of another architecture gives
/// [`Error::Checkpoint`] naming the first tensor that differs.
///
/// ```
/// use candle_nn::{VarBuilder, VarMap};
/// let a = VarMap::new();
/// let _ = candle_nn::linear(4, 2, VarBuilder::from_varmap(&a, candle_core::DType::F32, &candle_core::Device::Cpu).pp("fc"))?;
/// let path = std::env::temp_dir().join("gmcourse_doc_fc.safetensors");
/// gmcourse::models::train::save_checkpoint(&a, &path)?;
/// let b = VarMap::new();
/// let _ = candle_nn::linear(4, 3, VarBuilder::from_varmap(&b, candle_core::DType::F32, &candle_core::Device::Cpu).pp("fc"))?;
/// let err = gmcourse::models::train::load_checkpoint(&b, &path).unwrap_err();
/// assert!(err.to_string().contains("fc.bias"));
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn load_checkpoint(varmap: &VarMap, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    if !path.exists() {
        return Err(Error::Checkpoint {
            path: path.to_path_buf(),
            problem: "file not found; train the model first or check the path".into(),
        });
    }
    let file = read(path)?;
    set_weights(varmap, &file, path)
}

/// Every tensor of a safetensors file.
fn read(path: &Path) -> Result<HashMap<String, Tensor>> {
    candle_core::safetensors::load(path, &Device::Cpu).map_err(|e| Error::Checkpoint {
        path: path.to_path_buf(),
        problem: format!("not a safetensors file: {e}"),
    })
}

/// Sets the weights of `varmap` from `file` after checking that the file's weights (the
/// entries whose name does not start with `__`) are exactly the model's, shape by shape.
fn set_weights(varmap: &VarMap, file: &HashMap<String, Tensor>, path: &Path) -> Result<()> {
    let problem = |p: String| Error::Checkpoint {
        path: path.to_path_buf(),
        problem: p,
    };
    let vars: Vec<(String, Var)> = sorted_vars(varmap)?;
    for (name, var) in &vars {
        let Some(t) = file.get(name) else {
            return Err(problem(format!(
                "tensor `{name}` of the model is missing from the file (a checkpoint of another architecture?)"
            )));
        };
        if t.dims() != var.dims() {
            return Err(problem(format!(
                "tensor `{name}` has shape {:?} in the file but {:?} in the model (another architecture or config)",
                t.dims(),
                var.dims()
            )));
        }
    }
    if let Some(extra) = file
        .keys()
        .filter(|k| !k.starts_with("__") && !vars.iter().any(|(n, _)| n == *k))
        .min()
    {
        return Err(problem(format!(
            "tensor `{extra}` in the file is not part of the model (a checkpoint of another architecture?)"
        )));
    }
    for (name, var) in &vars {
        var.set(&file[name].to_dtype(var.dtype())?)?;
    }
    Ok(())
}

/// A folder of named checkpoints, each `<dir>/<name>.safetensors` with the model's
/// weights, its training [`History`] and the seconds it trained. The caller says where the
/// folder is (a notebook: `course::checkpoint_dir()`).
///
/// ```
/// use candle_nn::{VarBuilder, VarMap};
/// use gmcourse::models::train::{Checkpoints, History};
/// let vm = VarMap::new();
/// let _ = candle_nn::linear(3, 2, VarBuilder::from_varmap(&vm, candle_core::DType::F32, &candle_core::Device::Cpu).pp("fc"))?;
/// let checkpoints = Checkpoints::new(std::env::temp_dir().join("gmcourse-doc-checkpoints"));
/// checkpoints.save("doc-save", &vm, &History::from_losses(vec![3.0, 2.0, 1.0]), 1.5)?;
/// let (history, seconds) = checkpoints.load("doc-save", &vm)?;
/// assert_eq!((history.loss()?, seconds), (&[3.0, 2.0, 1.0][..], 1.5));
/// # std::fs::remove_file(checkpoints.path("doc-save")).ok();
/// # Ok::<(), gmcourse::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoints {
    dir: PathBuf,
}

impl Checkpoints {
    /// The checkpoints in folder `dir` (created at the first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Checkpoints { dir: dir.into() }
    }

    /// The folder.
    ///
    /// ```
    /// let c = gmcourse::models::train::Checkpoints::new("build/checkpoints");
    /// assert_eq!(c.dir(), std::path::Path::new("build/checkpoints"));
    /// ```
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of checkpoint `name`: `<dir>/<name>.safetensors`.
    ///
    /// ```
    /// let c = gmcourse::models::train::Checkpoints::new("build/checkpoints");
    /// assert!(c.path("l09-gan").ends_with("build/checkpoints/l09-gan.safetensors"));
    /// ```
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.safetensors"))
    }

    /// Saves `varmap`, `history` and the training time as checkpoint `name`. The file is
    /// written next to its place and then renamed, so an interrupted save leaves the old
    /// one.
    ///
    /// # Errors
    /// If the folder or the file cannot be written.
    pub fn save(
        &self,
        name: &str,
        varmap: &VarMap,
        history: &History,
        seconds: f64,
    ) -> Result<PathBuf> {
        let path = self.path(name);
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let mut tensors: Vec<(String, Tensor)> = sorted_vars(varmap)?
            .into_iter()
            .map(|(n, v)| (n, v.as_tensor().clone()))
            .collect();
        for (series, values) in history.iter() {
            tensors.push((
                format!("{HISTORY}{series}"),
                Tensor::new(values, &Device::Cpu)?,
            ));
        }
        tensors.push((SECONDS.into(), Tensor::new(&[seconds], &Device::Cpu)?));
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

    /// Loads checkpoint `name` into `varmap`; returns its history and training seconds.
    /// The weights are only set when every tensor of the model is in the file with its
    /// shape.
    ///
    /// # Errors
    /// [`Error::Checkpoint`] naming the problem: no file, another architecture, no history.
    pub fn load(&self, name: &str, varmap: &VarMap) -> Result<(History, f64)> {
        let path = self.path(name);
        if !path.exists() {
            return Err(Error::Checkpoint {
                path,
                problem: NO_CHECKPOINT.into(),
            });
        }
        let file = read(&path)?;
        let mut history = History::new();
        let mut keys: Vec<&String> = file.keys().collect();
        keys.sort();
        for key in keys {
            if let Some(series) = key.strip_prefix(HISTORY) {
                history = history.with(series, file[key].to_dtype(DType::F64)?.to_vec1()?);
            }
        }
        if history.is_empty() {
            return Err(Error::Checkpoint {
                path,
                problem: "the file holds no loss history (not made by `./course train`?)".into(),
            });
        }
        let seconds = file
            .get(SECONDS)
            .map(|t| t.to_dtype(DType::F64)?.to_vec1::<f64>())
            .transpose()?
            .and_then(|v| v.first().copied())
            .unwrap_or(0.0);
        set_weights(varmap, &file, &path)?;
        Ok((history, seconds))
    }

    /// Loads checkpoint `name` (made by `./course train <lesson>`) into `varmap` if it fits,
    /// else runs `train` (the cell's own training within its time budget). Prints one line
    /// saying which happened.
    ///
    /// ```
    /// use candle_nn::{VarBuilder, VarMap};
    /// use gmcourse::models::train::{Checkpoints, History};
    /// let vm = VarMap::new();
    /// let _ = candle_nn::linear(2, 2, VarBuilder::from_varmap(&vm, candle_core::DType::F32, &candle_core::Device::Cpu).pp("fc"))?;
    /// let checkpoints = Checkpoints::new(std::env::temp_dir().join("gmcourse-doc-none"));
    /// let h = checkpoints.load_or_train("missing", "05", &vm, || Ok(History::from_losses(vec![1.0, 0.5])))?;
    /// assert_eq!(h.loss()?, &[1.0, 0.5]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    ///
    /// # Errors
    /// Only those of `train`: a checkpoint that cannot be used is reported and replaced by
    /// training.
    pub fn load_or_train(
        &self,
        name: &str,
        lesson: &str,
        varmap: &VarMap,
        train: impl FnOnce() -> Result<History>,
    ) -> Result<History> {
        match self.load(name, varmap) {
            Ok((history, seconds)) => {
                println!(
                    "loaded checkpoint {}: {} steps, {} of training by `./course train {lesson}`",
                    self.path(name).display(),
                    history.len(),
                    minutes(seconds)
                );
                Ok(history)
            }
            Err(e) => {
                let why = match &e {
                    Error::Checkpoint { problem, .. } if problem == NO_CHECKPOINT => {
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
                    history.len()
                );
                Ok(history)
            }
        }
    }
}

const NO_CHECKPOINT: &str = "no checkpoint yet";

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
    use crate::testing::temp_dir;
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

    fn weight(vm: &VarMap) -> Vec<Vec<f32>> {
        vm.data().lock().unwrap()["fc.weight"]
            .as_tensor()
            .to_vec2::<f32>()
            .unwrap()
    }

    #[test]
    fn a_saved_model_and_its_gan_history_come_back() {
        let dir = temp_dir("checkpoint-roundtrip");
        let checkpoints = Checkpoints::new(&*dir);
        let a = model(2);
        let h = History::new()
            .with("discriminator", vec![1.3, 1.2])
            .with("generator", vec![0.7, 0.9]);
        checkpoints.save("gan", &a, &h, 120.0).unwrap();
        let b = model(2);
        let (back, secs) = checkpoints.load("gan", &b).unwrap();
        assert_eq!(
            (
                back.series("discriminator").unwrap(),
                back.series("generator").unwrap(),
                secs
            ),
            (&[1.3, 1.2][..], &[0.7, 0.9][..], 120.0)
        );
        assert_eq!(weight(&a), weight(&b));
    }

    #[test]
    fn a_checkpoint_of_another_shape_is_refused_and_the_cell_trains_instead() {
        let dir = temp_dir("checkpoint-shape");
        let checkpoints = Checkpoints::new(&*dir);
        checkpoints
            .save("m", &model(2), &History::from_losses(vec![1.0]), 5.0)
            .unwrap();
        let other = model(4);
        let before = weight(&other);
        let err = checkpoints.load("m", &other).unwrap_err().to_string();
        assert!(
            err.contains("fc.bias") || err.contains("fc.weight"),
            "{err}"
        );
        assert_eq!(before, weight(&other), "nothing half-loaded");
        let mut trained = false;
        let h = checkpoints
            .load_or_train("m", "05", &other, || {
                trained = true;
                Ok(History::from_losses(vec![9.0]))
            })
            .unwrap();
        assert!(trained);
        assert_eq!(h.loss().unwrap(), &[9.0]);
    }

    #[test]
    fn a_checkpoint_without_a_history_is_refused() {
        let dir = temp_dir("checkpoint-kind");
        let checkpoints = Checkpoints::new(&*dir);
        save_checkpoint(&model(2), checkpoints.path("weights-only")).unwrap();
        let err = checkpoints
            .load("weights-only", &model(2))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no loss history"), "{err}");
    }
}
