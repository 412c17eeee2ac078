//! The multilayer perceptron every MLP model here is made of:
//! `h_0 = x,  h_{k+1} = act(W_k h_k + b_k),  out = W_L h_L + b_L` (no activation after the
//! last layer). Layers are named `fc0, fc1, …` under the builder's prefix.

use candle_core::Tensor;
use candle_nn::VarBuilder;

use super::Dense;

use crate::{Error, Result};

/// The non-linearity between layers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activation {
    /// `max(x, 0)`.
    Relu,
    /// `max(x, slope·x)`, the usual GAN choice with slope 0.2.
    LeakyRelu(f64),
}

/// A stack of linear layers with an [`Activation`] between them.
#[derive(Debug, Clone)]
pub struct Mlp {
    layers: Vec<Dense>,
    activation: Activation,
}

impl Mlp {
    /// The layer sizes `[input, hidden…, output]` of an MLP from `input` to `output`.
    ///
    /// ```
    /// assert_eq!(gmcourse::models::nn::Mlp::sizes(784, &[256, 128], 1), vec![784, 256, 128, 1]);
    /// ```
    pub fn sizes(input: usize, hidden: &[usize], output: usize) -> Vec<usize> {
        let mut s = vec![input];
        s.extend_from_slice(hidden);
        s.push(output);
        s
    }

    /// Builds layers of sizes `sizes[0] → sizes[1] → … → sizes[n-1]` under `vb`.
    ///
    /// ```
    /// use candle_nn::{VarBuilder, VarMap};
    /// use gmcourse::models::nn::mlp::{Activation, Mlp};
    /// let varmap = VarMap::new();
    /// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
    /// let mlp = Mlp::new(vb, &[3, 8, 2], Activation::Relu)?;
    /// let x = candle_core::Tensor::zeros((5, 3), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(mlp.forward(&x)?.dims(), &[5, 2]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn new(vb: VarBuilder, sizes: &[usize], activation: Activation) -> Result<Self> {
        if sizes.len() < 2 || sizes.contains(&0) {
            return Err(Error::invalid(
                "MLP sizes",
                "at least an input and an output size, all >= 1",
                format!("{sizes:?}"),
            ));
        }
        let mut layers = Vec::with_capacity(sizes.len() - 1);
        for (k, pair) in sizes.windows(2).enumerate() {
            layers.push(Dense::new(pair[0], pair[1], vb.pp(format!("fc{k}")))?);
        }
        Ok(Self { layers, activation })
    }

    /// The same network with every weight detached (see [`Dense::frozen`]): used for the
    /// discriminator during a generator step, so that its weight gradients, which that
    /// step throws away, are never computed.
    ///
    /// ```
    /// use candle_nn::{VarBuilder, VarMap};
    /// use gmcourse::models::nn::mlp::{Activation, Mlp};
    /// let varmap = VarMap::new();
    /// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
    /// let mlp = Mlp::new(vb, &[2, 3, 1], Activation::Relu)?;
    /// let x = candle_core::Tensor::ones((1, 2), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(mlp.frozen().forward(&x)?.to_vec2::<f32>()?, mlp.forward(&x)?.to_vec2::<f32>()?);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn frozen(&self) -> Self {
        Self {
            layers: self.layers.iter().map(Dense::frozen).collect(),
            activation: self.activation,
        }
    }

    /// The output of the last layer (no activation), `(batch, sizes[n-1])`.
    ///
    /// ```
    /// use candle_nn::{VarBuilder, VarMap};
    /// use gmcourse::models::nn::mlp::{Activation, Mlp};
    /// let varmap = VarMap::new();
    /// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
    /// let mlp = Mlp::new(vb, &[2, 1], Activation::Relu)?;
    /// let x = candle_core::Tensor::zeros((1, 2), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(mlp.forward(&x)?.dims(), &[1, 1]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(self.forward_with_features(x)?.0)
    }

    /// The training-mode output with inverted dropout (Srivastava et al., JMLR 2014): each
    /// hidden activation is zeroed with probability `p_drop` and the survivors scaled by
    /// `1 / (1 - p_drop)`, so that [`Mlp::forward`] needs no rescaling at test time. The
    /// masks come from `rng`. `p_drop = 0` gives [`Mlp::forward`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] unless `0 <= p_drop < 1`.
    ///
    /// ```
    /// use candle_nn::{VarBuilder, VarMap};
    /// use gmcourse::models::nn::mlp::{Activation, Mlp};
    /// let varmap = VarMap::new();
    /// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
    /// let mlp = Mlp::new(vb, &[2, 6, 1], Activation::Relu)?;
    /// let x = candle_core::Tensor::ones((3, 2), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// let mut rng = gmcourse::models::train::rng(0);
    /// assert_eq!(mlp.forward_dropout(&x, 0.5, &mut rng)?.dims(), &[3, 1]);
    /// assert!(mlp.forward_dropout(&x, 1.0, &mut rng).is_err());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn forward_dropout(
        &self,
        x: &Tensor,
        p_drop: f64,
        rng: &mut rand::rngs::StdRng,
    ) -> Result<Tensor> {
        if !(0.0..1.0).contains(&p_drop) {
            return Err(Error::invalid("dropout probability", "0 <= p < 1", p_drop));
        }
        let mut h = x.clone();
        let n = self.layers.len();
        for layer in &self.layers[..n - 1] {
            h = self.hidden(layer, &h)?;
            if p_drop > 0.0 {
                let (rows, cols) = h.dims2()?;
                let keep = crate::models::train::rand_uniform(rng, rows, cols)?
                    .ge(p_drop)?
                    .to_dtype(h.dtype())?;
                h = ((h * keep)? * (1.0 / (1.0 - p_drop)))?;
            }
        }
        self.layers[n - 1].forward(&h)
    }

    /// `(output, penultimate activations)`: the input of the last layer is the feature
    /// vector FID uses.
    ///
    /// ```
    /// use candle_nn::{VarBuilder, VarMap};
    /// use gmcourse::models::nn::mlp::{Activation, Mlp};
    /// let varmap = VarMap::new();
    /// let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &candle_core::Device::Cpu);
    /// let mlp = Mlp::new(vb, &[2, 6, 1], Activation::Relu)?;
    /// let x = candle_core::Tensor::zeros((1, 2), candle_core::DType::F32, &candle_core::Device::Cpu)?;
    /// assert_eq!(mlp.forward_with_features(&x)?.1.dims(), &[1, 6]);
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn forward_with_features(&self, x: &Tensor) -> Result<(Tensor, Tensor)> {
        let mut h = x.clone();
        let n = self.layers.len();
        for layer in &self.layers[..n - 1] {
            h = self.hidden(layer, &h)?;
        }
        let out = self.layers[n - 1].forward(&h)?;
        Ok((out, h))
    }

    /// A hidden layer: `layer(h)` then the activation.
    fn hidden(&self, layer: &Dense, h: &Tensor) -> Result<Tensor> {
        let pre = layer.forward(h)?;
        Ok(match self.activation {
            Activation::Relu => pre.relu()?,
            Activation::LeakyRelu(slope) => leaky_relu(&pre, slope)?,
        })
    }
}

/// `max(x, slope·x)` element-wise, any shape, in one pass ([`LeakyRelu`]).
pub(crate) fn leaky_relu(x: &Tensor, slope: f64) -> Result<Tensor> {
    Ok(x.contiguous()?.apply_op1(LeakyRelu(slope as f32))?)
}

/// `max(x, slope·x)` in one pass, with the backward pass `g·(x > 0 ? 1 : slope)`.
#[derive(Debug, Clone, Copy)]
struct LeakyRelu(f32);

impl candle_core::CustomOp1 for LeakyRelu {
    fn name(&self) -> &'static str {
        "leaky-relu"
    }

    fn cpu_fwd(
        &self,
        s: &candle_core::CpuStorage,
        l: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        let Some((a, b)) = l.contiguous_offsets() else {
            candle_core::bail!("leaky-relu: input must be contiguous");
        };
        let x = &s.as_slice::<f32>()?[a..b];
        let slope = self.0;
        let out: Vec<f32> = x
            .iter()
            .map(|&v| if v > 0.0 { v } else { slope * v })
            .collect();
        Ok((candle_core::CpuStorage::F32(out), l.shape().clone()))
    }

    fn bwd(
        &self,
        arg: &Tensor,
        _res: &Tensor,
        grad_res: &Tensor,
    ) -> candle_core::Result<Option<Tensor>> {
        // read in place, no copies of x and the gradient
        let dx = arg
            .contiguous()?
            .apply_op2_no_bwd(&grad_res.contiguous()?, &LeakyReluGrad(self.0))?;
        Ok(Some(dx))
    }
}

/// `∂x = g` where `x > 0`, `slope·g` elsewhere, from `x` and the gradient `g` of the output.
#[derive(Debug, Clone, Copy)]
struct LeakyReluGrad(f32);

impl candle_core::CustomOp2 for LeakyReluGrad {
    fn name(&self) -> &'static str {
        "leaky-relu-grad"
    }

    fn cpu_fwd(
        &self,
        s1: &candle_core::CpuStorage,
        l1: &candle_core::Layout,
        s2: &candle_core::CpuStorage,
        l2: &candle_core::Layout,
    ) -> candle_core::Result<(candle_core::CpuStorage, candle_core::Shape)> {
        if l1.shape() != l2.shape() {
            candle_core::bail!("leaky-relu-grad: x {:?}, grad {:?}", l1.shape(), l2.shape());
        }
        let x = super::dense::slice(s1, l1, "leaky-relu-grad: x")?;
        let g = super::dense::slice(s2, l2, "leaky-relu-grad: grad")?;
        let slope = self.0;
        let dx: Vec<f32> = x
            .iter()
            .zip(g)
            .map(|(&v, &g)| if v > 0.0 { g } else { slope * g })
            .collect();
        Ok((candle_core::CpuStorage::F32(dx), l1.shape().clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::train;
    use candle_core::{DType, Device};
    use candle_nn::VarMap;

    #[test]
    fn relu_hidden_units_are_never_negative_and_dropout_zero_is_forward() {
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let mlp = Mlp::new(vb, &[3, 16, 2], Activation::Relu).unwrap();
        train::init_seeded(&varmap, 0).unwrap();
        let x = train::randn(&mut train::rng(1), 8, 3).unwrap();
        let (out, h) = mlp.forward_with_features(&x).unwrap();
        let h = h.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        assert!(h.iter().all(|&v| v >= 0.0) && h.contains(&0.0), "{h:?}");
        let dropped = mlp.forward_dropout(&x, 0.0, &mut train::rng(2)).unwrap();
        assert_eq!(
            dropped.to_vec2::<f32>().unwrap(),
            out.to_vec2::<f32>().unwrap()
        );
    }
}
