//! The parameters of a model, held in a [`VarMap`]: seeded initialisation and the
//! variables by name (all of them for checkpoints, one network's for its optimiser).

use candle_core::{Device, Tensor, Var};
use candle_nn::VarMap;
use rand::Rng;

use super::random::rng;
use crate::{Error, Result};

/// Re-initialises every variable of `varmap` from `seed`, in name order, the way PyTorch's
/// `nn.Linear` does: a rank-2 weight `(out, in)` gets U(-1/√in, 1/√in), a rank-4 conv
/// weight U(-1/√fan_in, 1/√fan_in), a rank-1 bias zeros.
///
/// ```
/// use candle_nn::{VarBuilder, VarMap};
/// let varmap = VarMap::new();
/// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
/// let _fc = candle_nn::linear(4, 2, vb.pp("fc"))?;
/// gmcourse::models::train::init_seeded(&varmap, 0)?;
/// let b = varmap.data().lock().unwrap()["fc.bias"].as_tensor().to_vec1::<f32>()?;
/// assert_eq!(b, vec![0.0, 0.0]);
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn init_seeded(varmap: &VarMap, seed: u64) -> Result<()> {
    let mut rng = rng(seed);
    for (_name, var) in sorted_vars(varmap)? {
        let dims = var.dims().to_vec();
        let n: usize = dims.iter().product();
        let values: Vec<f32> = if dims.len() < 2 {
            vec![0.0; n]
        } else {
            let fan_in: usize = dims[1..].iter().product();
            let bound = 1.0 / (fan_in.max(1) as f32).sqrt();
            (0..n).map(|_| rng.random_range(-bound..bound)).collect()
        };
        let t = Tensor::from_vec(values, dims, &Device::Cpu)?;
        var.set(&t)?;
    }
    Ok(())
}

/// The variables of `varmap` sorted by name.
///
/// ```
/// let varmap = candle_nn::VarMap::new();
/// assert!(gmcourse::models::train::sorted_vars(&varmap)?.is_empty());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn sorted_vars(varmap: &VarMap) -> Result<Vec<(String, Var)>> {
    let data = varmap
        .data()
        .lock()
        .map_err(|_| Error::invalid("varmap", "an unpoisoned lock", "a poisoned lock"))?;
    let mut vars: Vec<(String, Var)> = data.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(vars)
}

/// The variables whose name starts with `prefix` (e.g. `"generator"`), sorted by name.
///
/// ```
/// let varmap = candle_nn::VarMap::new();
/// assert!(gmcourse::models::train::vars_with_prefix(&varmap, "generator")?.is_empty());
/// # Ok::<(), gmcourse::Error>(())
/// ```
pub fn vars_with_prefix(varmap: &VarMap, prefix: &str) -> Result<Vec<Var>> {
    Ok(sorted_vars(varmap)?
        .into_iter()
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(_, v)| v)
        .collect())
}
/// The trained variables of `varmap` by name, sorted: what a lesson's trusted `train_for_test` sends
/// back across the grader's process boundary.
///
/// # Errors
/// None in practice (a poisoned lock).
pub fn named_tensors(varmap: &VarMap) -> Result<Vec<(String, Tensor)>> {
    Ok(sorted_vars(varmap)?
        .into_iter()
        .map(|(name, var)| (name, var.as_tensor().clone()))
        .collect())
}

/// A [`VarMap`] holding `tensors` (as [`named_tensors`] returns them), to build a model on.
///
/// # Errors
/// A tensor that candle cannot make a variable of.
pub fn varmap_of(tensors: &[(String, Tensor)]) -> Result<VarMap> {
    let varmap = VarMap::new();
    {
        let mut data = varmap
            .data()
            .lock()
            .map_err(|_| Error::invalid("varmap", "an unpoisoned lock", "poisoned"))?;
        for (name, t) in tensors {
            data.insert(name.clone(), Var::from_tensor(t)?);
        }
    }
    Ok(varmap)
}
