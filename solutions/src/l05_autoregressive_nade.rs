//! Lesson 05, NADE: p(x) = Π_i p(x_i | x_<i) with
//! p(x_i = 1 | x_<i) = σ(α_i · h_i + b_i) and h_i = σ(W[:, <i] x_<i + c), where the
//! weights W (hidden × D) are shared across i.
//!
//! Source: lecture notes 000, 002, 004; Larochelle & Murray, "The Neural Autoregressive
//! Distribution Estimator", AISTATS 2011. Plain `Vec<f64>` here; the course's candle
//! model is `gmcourse::models::nade`.

/// NADE parameters for D binary inputs and H hidden units.
#[derive(Debug, Clone)]
pub struct NadeParams {
    /// `w[k][j]`: weight from input j to hidden unit k, shape (H, D).
    pub w: Vec<Vec<f64>>,
    /// Hidden bias, length H.
    pub c: Vec<f64>,
    /// `alpha[i][k]`: output weights of conditional i, shape (D, H).
    pub alpha: Vec<Vec<f64>>,
    /// Output bias, length D.
    pub b: Vec<f64>,
}

/// The logistic sigmoid σ(t) = 1 / (1 + e^(−t)).
pub fn sigmoid(t: f64) -> f64 {
    1.0 / (1.0 + (-t).exp())
}

/// Exercise 5.1 — the D conditionals p(x_i = 1 | x_<i) of a NADE, for i = 0..D.
///
/// For each i: h_i[k] = σ(c[k] + Σ_{j<i} w[k][j] x[j]), then
/// p_i = σ(b[i] + Σ_k alpha[i][k] h_i[k]). p_0 uses h_0 = σ(c) (no inputs yet).
///
/// Notebook: `notebooks/05-autoregressive-nade.ipynb`, section "The NADE equations".
pub fn nade_conditionals(params: &NadeParams, x: &[f64]) -> Vec<f64> {
    // BEGIN SOLUTION
    let mut a = params.c.clone();
    let mut p = Vec::with_capacity(x.len());
    for (i, &xi) in x.iter().enumerate() {
        let h: Vec<f64> = a.iter().map(|&ak| sigmoid(ak)).collect();
        let logit = params.b[i]
            + params.alpha[i]
                .iter()
                .zip(&h)
                .map(|(al, hk)| al * hk)
                .sum::<f64>();
        p.push(sigmoid(logit));
        for (k, ak) in a.iter_mut().enumerate() {
            *ak += params.w[k][i] * xi;
        }
    }
    p
    // END SOLUTION
}

/// Exercise 5.2 — the NADE log-likelihood log p(x) = Σ_i [x_i log p_i + (1 − x_i) log(1 − p_i)]
/// in nats, with p_i from [`nade_conditionals`].
///
/// Notebook: `notebooks/05-autoregressive-nade.ipynb`, section "Exact log-likelihoods".
pub fn nade_log_likelihood(params: &NadeParams, x: &[f64]) -> f64 {
    // BEGIN SOLUTION
    nade_conditionals(params, x)
        .iter()
        .zip(x)
        .map(|(p, xi)| xi * p.ln() + (1.0 - xi) * (1.0 - p).ln())
        .sum()
    // END SOLUTION
}
