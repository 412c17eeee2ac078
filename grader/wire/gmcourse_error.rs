//! The course's own types on the wire (see `wire.rs`):
//!
//! - `gmcourse::Error`, so that `gmcourse::Result<T>` crosses it: a test can tell
//!   `Error::InvalidArgument` from `Error::Shape`. Variants that carry foreign types (an
//!   I/O error, a candle error) keep their message;
//! - `candle_core::Tensor` (CPU, of dtype f32, f64, u8, u32 or i64): its dtype, shape and
//!   elements, exactly. Another dtype does not decode, and the judge reports the call as a
//!   protocol error;
//! - `candle_nn::Linear`: its weight and optional bias;
//! - `ndarray::Array1` and `Array2` of any element on the wire: the shape, then the
//!   elements in logical (row-major) order, whatever the memory layout.
//!
//! Copied into every generated judge and server crate as `src/wire_gmcourse.rs`; tested
//! in `gmcourse/tests/wire.rs`, where gmcourse and candle are at hand.

use crate::wire::{Get, Put};
use gmcourse::Error;
use std::path::PathBuf;

fn path_text(p: &std::path::Path) -> String {
    p.display().to_string()
}

impl Put for Error {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Error::InvalidArgument {
                what,
                expected,
                got,
            } => (0u8, what, expected, got).put(out),
            Error::Shape {
                what,
                expected,
                got,
            } => (1u8, what, expected, got).put(out),
            Error::Data {
                path,
                problem,
                remedy,
            } => (2u8, path_text(path), problem, remedy).put(out),
            Error::Checkpoint { path, problem } => (3u8, path_text(path), problem).put(out),
            Error::Diverged { step, loss, remedy } => (4u8, step, loss, remedy).put(out),
            Error::Io { path, source } => (5u8, path_text(path), source.to_string()).put(out),
            Error::Plot(m) => (6u8, m).put(out),
            other => (7u8, other.to_string()).put(out),
        }
    }
}

impl Get for Error {
    fn get(input: &mut &[u8]) -> Option<Self> {
        let s = |input: &mut &[u8]| String::get(input);
        Some(match u8::get(input)? {
            0 => Error::InvalidArgument {
                what: s(input)?,
                expected: s(input)?,
                got: s(input)?,
            },
            1 => Error::Shape {
                what: s(input)?,
                expected: s(input)?,
                got: s(input)?,
            },
            2 => Error::Data {
                path: PathBuf::from(s(input)?),
                problem: s(input)?,
                remedy: s(input)?,
            },
            3 => Error::Checkpoint {
                path: PathBuf::from(s(input)?),
                problem: s(input)?,
            },
            4 => Error::Diverged {
                step: usize::get(input)?,
                loss: f64::get(input)?,
                remedy: s(input)?,
            },
            5 => Error::Io {
                path: PathBuf::from(s(input)?),
                source: std::io::Error::other(s(input)?),
            },
            6 => Error::Plot(s(input)?),
            7 => Error::Candle(candle_core::Error::Msg(s(input)?)),
            _ => return None,
        })
    }
}

impl Put for candle_core::Tensor {
    fn put(&self, out: &mut Vec<u8>) {
        use candle_core::DType;
        let shape = self.dims().to_vec();
        let flat = self.flatten_all();
        let ok = match (self.dtype(), flat) {
            (DType::F32, Ok(t)) => t.to_vec1::<f32>().map(|v| (0u8, shape, v).put(out)),
            (DType::F64, Ok(t)) => t.to_vec1::<f64>().map(|v| (1u8, shape, v).put(out)),
            (DType::U8, Ok(t)) => t.to_vec1::<u8>().map(|v| (2u8, shape, v).put(out)),
            (DType::U32, Ok(t)) => t.to_vec1::<u32>().map(|v| (3u8, shape, v).put(out)),
            (DType::I64, Ok(t)) => t.to_vec1::<i64>().map(|v| (4u8, shape, v).put(out)),
            _ => Err(candle_core::Error::Msg("dtype not on the wire".into())),
        };
        if ok.is_err() {
            // a tag no decoder accepts
            255u8.put(out);
        }
    }
}

impl Get for candle_core::Tensor {
    fn get(input: &mut &[u8]) -> Option<Self> {
        use candle_core::{Device, Tensor};
        let tag = u8::get(input)?;
        let shape = Vec::<usize>::get(input)?;
        let t = match tag {
            0 => Tensor::from_vec(Vec::<f32>::get(input)?, shape, &Device::Cpu),
            1 => Tensor::from_vec(Vec::<f64>::get(input)?, shape, &Device::Cpu),
            2 => Tensor::from_vec(Vec::<u8>::get(input)?, shape, &Device::Cpu),
            3 => Tensor::from_vec(Vec::<u32>::get(input)?, shape, &Device::Cpu),
            4 => Tensor::from_vec(Vec::<i64>::get(input)?, shape, &Device::Cpu),
            _ => return None,
        };
        t.ok()
    }
}

impl Put for candle_nn::Linear {
    fn put(&self, out: &mut Vec<u8>) {
        (self.weight(), self.bias()).put(out)
    }
}

impl Get for candle_nn::Linear {
    fn get(input: &mut &[u8]) -> Option<Self> {
        let (w, b) = <(candle_core::Tensor, Option<candle_core::Tensor>)>::get(input)?;
        Some(candle_nn::Linear::new(w, b))
    }
}

impl<A: Put, D: ndarray::Dimension> Put for ndarray::Array<A, D> {
    fn put(&self, out: &mut Vec<u8>) {
        self.shape().put(out);
        for x in self.iter() {
            x.put(out);
        }
    }
}

/// Elements of an array of `shape`, if the bytes hold that many.
fn elements<A: Get>(input: &mut &[u8], shape: &[usize]) -> Option<Vec<A>> {
    let n = shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d))?;
    // every element takes at least one byte: never trust `n`
    let mut v = Vec::with_capacity(n.min(input.len()));
    for _ in 0..n {
        v.push(A::get(input)?);
    }
    Some(v)
}

impl<A: Get> Get for ndarray::Array1<A> {
    fn get(input: &mut &[u8]) -> Option<Self> {
        let shape = Vec::<usize>::get(input)?;
        let [n] = shape[..] else { return None };
        Some(ndarray::Array1::from_vec(elements(input, &[n])?))
    }
}

impl<A: Get> Get for ndarray::Array2<A> {
    fn get(input: &mut &[u8]) -> Option<Self> {
        let shape = Vec::<usize>::get(input)?;
        let [r, c] = shape[..] else { return None };
        ndarray::Array2::from_shape_vec((r, c), elements(input, &[r, c])?).ok()
    }
}

/// Lesson 07's layers (`gmcourse::models::vae::Layers`): its five `Linear`s in order.
impl Put for gmcourse::models::vae::Layers {
    fn put(&self, out: &mut Vec<u8>) {
        (
            &self.encoder_fc,
            &self.encoder_mu,
            &self.encoder_log_var,
            &self.decoder_fc,
            &self.decoder_out,
        )
            .put(out)
    }
}

impl Get for gmcourse::models::vae::Layers {
    fn get(input: &mut &[u8]) -> Option<Self> {
        use candle_nn::Linear;
        let (encoder_fc, encoder_mu, encoder_log_var, decoder_fc, decoder_out) =
            <(Linear, Linear, Linear, Linear, Linear)>::get(input)?;
        Some(Self {
            encoder_fc,
            encoder_mu,
            encoder_log_var,
            decoder_fc,
            decoder_out,
        })
    }
}

/// The model lessons' `Fns` (05, 07, 09, 10) are function pointers into the exercise
/// server: they do not cross the wire. The notebook calls `vae_fns()` (`nade_fns()`,
/// `gan_fns()`, `cgan_fns()`)
/// in its own process; over the wire the value is a tag no decoder accepts, so a judge
/// that asked for one gets a protocol error.
macro_rules! never_crosses {
    ($($t:ty),*) => {$(
        impl Put for $t {
            fn put(&self, out: &mut Vec<u8>) {
                255u8.put(out);
            }
        }

        impl Get for $t {
            fn get(_input: &mut &[u8]) -> Option<Self> {
                None
            }
        }
    )*};
}

never_crosses!(
    gmcourse::models::nade::Fns,
    gmcourse::models::vae::Fns,
    gmcourse::models::gan::Fns,
    gmcourse::models::cgan::Fns
);

/// Lesson 09's generator loss (`gmcourse::models::GeneratorLoss`): a tag.
impl Put for gmcourse::models::GeneratorLoss {
    fn put(&self, out: &mut Vec<u8>) {
        use gmcourse::models::GeneratorLoss;
        match self {
            GeneratorLoss::Minimax => 0u8,
            GeneratorLoss::NonSaturating => 1u8,
        }
        .put(out)
    }
}

impl Get for gmcourse::models::GeneratorLoss {
    fn get(input: &mut &[u8]) -> Option<Self> {
        use gmcourse::models::GeneratorLoss;
        match u8::get(input)? {
            0 => Some(GeneratorLoss::Minimax),
            1 => Some(GeneratorLoss::NonSaturating),
            _ => None,
        }
    }
}

/// Lesson 09's networks (`gmcourse::models::gan::Nets`): their configuration, field by
/// field, then every tensor by name. Decoded into fresh variables, so a step in the
/// exercise server trains them.
impl Put for gmcourse::models::gan::Nets {
    fn put(&self, out: &mut Vec<u8>) {
        use gmcourse::models::gan::OutputActivation;
        let c = self.config();
        let output = match c.output {
            OutputActivation::Linear => 0u8,
            OutputActivation::Sigmoid => 1u8,
        };
        (
            (c.data_dim, c.latent, &c.g_hidden, &c.d_hidden, output),
            (c.loss, c.d_steps, c.beta1, c.real_target, c.pack),
            self.tensors().to_vec(),
        )
            .put(out)
    }
}

impl Get for gmcourse::models::gan::Nets {
    fn get(input: &mut &[u8]) -> Option<Self> {
        use gmcourse::models::gan::OutputActivation;
        use gmcourse::models::{GanConfig, GeneratorLoss};
        let (
            (data_dim, latent, g_hidden, d_hidden, output),
            (loss, d_steps, beta1, real_target, pack),
            tensors,
        ) = <(
            (usize, usize, Vec<usize>, Vec<usize>, u8),
            (GeneratorLoss, usize, f64, f64, usize),
            Vec<(String, candle_core::Tensor)>,
        )>::get(input)?;
        let output = match output {
            0 => OutputActivation::Linear,
            1 => OutputActivation::Sigmoid,
            _ => return None,
        };
        let cfg = GanConfig {
            data_dim,
            latent,
            g_hidden,
            d_hidden,
            output,
            loss,
            d_steps,
            beta1,
            real_target,
            pack,
        };
        gmcourse::models::gan::Nets::from_tensors(&cfg, &tensors)
            .ok()
            .map(|(nets, _)| nets)
    }
}

/// Lesson 05's parameters (`gmcourse::models::nade::Params`): `w`, `c`, `v`, `b` in order.
impl Put for gmcourse::models::nade::Params {
    fn put(&self, out: &mut Vec<u8>) {
        (&self.w, &self.c, &self.v, &self.b).put(out)
    }
}

impl Get for gmcourse::models::nade::Params {
    fn get(input: &mut &[u8]) -> Option<Self> {
        use candle_core::Tensor;
        let (w, c, v, b) = <(Tensor, Tensor, Tensor, Tensor)>::get(input)?;
        Some(Self { w, c, v, b })
    }
}
