//! The grader's wire (`grader/wire/`) with the course's own types, tested here because
//! gmcourse and candle are at hand (the grader itself does not depend on them). The two
//! files are the very ones copied into every judge and exercise server.

#[allow(dead_code)]
#[path = "../../grader/wire/wire.rs"]
mod wire;
#[path = "../../grader/wire/gmcourse_error.rs"]
mod wire_gmcourse;

use candle_core::{DType, Device, Tensor};
use gmcourse::Error;
use wire::{decode, encode};

#[test]
fn errors_cross_the_wire_with_their_variant() {
    let e = Error::invalid("label y", "a class in 0..10", 12);
    let back: Error = decode(&encode(&e)).unwrap();
    assert!(
        matches!(&back, Error::InvalidArgument { got, .. } if got == "12"),
        "{back:?}"
    );
    assert_eq!(back.to_string(), e.to_string());
    let r: gmcourse::Result<Vec<f64>> = Err(Error::shape("x", "(2, 3)", "(3, 2)"));
    let back: gmcourse::Result<Vec<f64>> = decode(&encode(&r)).unwrap();
    assert!(matches!(back, Err(Error::Shape { .. })));
    let d = Error::Diverged {
        step: 7,
        loss: f64::NAN,
        remedy: "lower the rate".into(),
    };
    let back: Error = decode(&encode(&d)).unwrap();
    assert!(matches!(back, Error::Diverged { step: 7, loss, .. } if loss.is_nan()));
}

#[test]
fn tensors_cross_the_wire_exactly_with_dtype_and_shape() {
    let x = Tensor::new(
        &[[1.5f32, f32::NAN, -0.0], [f32::INFINITY, 2.0, 1e-30]],
        &Device::Cpu,
    )
    .unwrap();
    let back: Tensor = decode(&encode(&x)).unwrap();
    assert_eq!(back.dims(), &[2, 3]);
    assert_eq!(back.dtype(), DType::F32);
    let (a, b) = (
        x.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
        back.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
    );
    assert!(
        a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits()),
        "{a:?} {b:?}"
    );
    let labels = Tensor::new(&[3u32, 1, 4], &Device::Cpu).unwrap();
    let back: Tensor = decode(&encode(&labels)).unwrap();
    assert_eq!(back.to_vec1::<u32>().unwrap(), vec![3, 1, 4]);
    let scalar = Tensor::new(2.5f64, &Device::Cpu).unwrap();
    let back: Tensor = decode(&encode(&scalar)).unwrap();
    assert_eq!(
        (back.dims().len(), back.to_scalar::<f64>().unwrap()),
        (0, 2.5)
    );
    // a dtype the wire does not carry does not decode
    let half = x.to_dtype(DType::BF16).unwrap();
    assert!(decode::<Tensor>(&encode(&half)).is_none());
    // nor do elements that do not fill the shape
    let mut bytes = encode(&labels);
    bytes.truncate(bytes.len() - 4);
    assert!(decode::<Tensor>(&bytes).is_none());
}

#[test]
fn a_length_from_the_wire_is_never_trusted() {
    // "a vector of 2^60 numbers" followed by nothing: refused without allocating
    let mut bytes = Vec::new();
    wire::Put::put(&(1u64 << 60), &mut bytes);
    assert!(decode::<Vec<f64>>(&bytes).is_none());
    assert!(decode::<String>(&bytes).is_none());
    // trailing bytes are refused too: a value decodes only if it is all there is
    let mut two = encode(&1.0f64);
    two.push(0);
    assert!(decode::<f64>(&two).is_none());
}

#[test]
fn arrays_cross_the_wire_in_logical_order_whatever_their_layout() {
    use ndarray::{Array1, Array2, array};
    let a: Array2<f64> = array![[1.0, 2.0, 3.0], [4.0, f64::NAN, -0.0]];
    let back: Array2<f64> = decode(&encode(&a)).unwrap();
    assert_eq!(back.dim(), (2, 3));
    assert!(back[[1, 1]].is_nan() && back[[1, 2]].is_sign_negative());
    assert_eq!(back.row(0).to_vec(), vec![1.0, 2.0, 3.0]);
    // a transposed (column-major) array arrives as the matrix it shows, not its memory
    let t = a.t().to_owned();
    let back: Array2<f64> = decode(&encode(&t)).unwrap();
    assert_eq!(back.dim(), (3, 2));
    assert_eq!(back.column(0).to_vec(), vec![1.0, 2.0, 3.0]);
    let v: Array1<usize> = Array1::from_vec(vec![3, 1, 4]);
    assert_eq!(decode::<Array1<usize>>(&encode(&v)).unwrap(), v);
    // a vector does not decode as a matrix, nor does a shape the bytes cannot fill
    assert!(decode::<Array2<f64>>(&encode(&Array1::from_vec(vec![1.0, 2.0]))).is_none());
    let mut lying = encode(&vec![1usize << 40, 1usize << 40]);
    lying.extend_from_slice(&1.0f64.to_le_bytes());
    assert!(decode::<Array2<f64>>(&lying).is_none());
}

#[test]
fn linear_layers_cross_the_wire_with_and_without_bias() {
    let w = Tensor::new(&[[1.0f32, 2.0], [3.0, 4.0], [5.0, 6.0]], &Device::Cpu).unwrap();
    let b = Tensor::new(&[0.5f32, -0.5, 1.5], &Device::Cpu).unwrap();
    for layer in [
        candle_nn::Linear::new(w.clone(), Some(b.clone())),
        candle_nn::Linear::new(w.clone(), None),
    ] {
        let back: candle_nn::Linear = decode(&encode(&layer)).unwrap();
        assert_eq!(
            back.weight().to_vec2::<f32>().unwrap(),
            w.to_vec2::<f32>().unwrap()
        );
        assert_eq!(
            back.bias().map(|b| b.to_vec1::<f32>().unwrap()),
            layer.bias().map(|b| b.to_vec1::<f32>().unwrap())
        );
    }
}

#[test]
fn lesson_09s_networks_cross_the_wire_with_their_configuration_and_weights() {
    use gmcourse::models::gan::{Nets, OutputActivation};
    use gmcourse::models::{GanConfig, GeneratorLoss};
    for loss in [GeneratorLoss::Minimax, GeneratorLoss::NonSaturating] {
        assert_eq!(decode::<GeneratorLoss>(&encode(&loss)).unwrap(), loss);
    }
    let cfg = GanConfig {
        data_dim: 6,
        latent: 3,
        g_hidden: vec![5],
        d_hidden: vec![4, 2],
        output: OutputActivation::Sigmoid,
        loss: GeneratorLoss::Minimax,
        pack: 2,
        real_target: 0.9,
        ..GanConfig::mnist()
    };
    let (nets, _) = Nets::seeded(&cfg, 3).unwrap();
    let back: Nets = decode(&encode(&nets)).unwrap();
    assert_eq!(back.config(), &cfg);
    let z = gmcourse::models::train::randn(&mut gmcourse::models::train::rng(1), 4, 3).unwrap();
    let x = nets.generate(&z).unwrap();
    assert_eq!(
        back.discriminate(&back.generate(&z).unwrap())
            .unwrap()
            .to_vec2::<f32>()
            .unwrap(),
        nets.discriminate(&x).unwrap().to_vec2::<f32>().unwrap()
    );
    // a tensor of the wrong shape does not decode into networks
    let mut tensors = nets.tensors().to_vec();
    tensors[0].1 = Tensor::zeros((1, 1), DType::F32, &Device::Cpu).unwrap();
    let c = back.config();
    let lying = encode(&(
        (c.data_dim, c.latent, &c.g_hidden, &c.d_hidden, 1u8),
        (c.loss, c.d_steps, c.beta1, c.real_target, c.pack),
        tensors,
    ));
    assert!(decode::<Nets>(&lying).is_none());
}
