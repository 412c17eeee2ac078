use candle_core::{Device, Tensor, Var};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use gmcourse::models::nn::optim::FusedAdamW;
use gmcourse::models::train;
use gmcourse::testing::assert_all_close;

#[test]
fn fused_adamw_takes_the_same_steps_as_candle_adamw() {
    // reference: candle_nn::AdamW, itself a port of torch.optim.AdamW
    let x = train::randn(&mut train::rng(0), 16, 5).unwrap();
    let y = train::randn(&mut train::rng(1), 16, 3).unwrap();
    let w0 = train::randn(&mut train::rng(2), 5, 3).unwrap();
    let params = ParamsAdamW {
        lr: 0.05,
        weight_decay: 0.1,
        ..Default::default()
    };
    let w_ref = Var::from_tensor(&w0).unwrap();
    let w_fused = Var::from_tensor(&w0.copy().unwrap()).unwrap();
    let mut reference = AdamW::new(vec![w_ref.clone()], params.clone()).unwrap();
    let mut fused = FusedAdamW::new(vec![w_fused.clone()], params).unwrap();
    let loss = |w: &Var| -> Tensor {
        (x.matmul(w.as_tensor()).unwrap() - &y)
            .unwrap()
            .sqr()
            .unwrap()
            .mean_all()
            .unwrap()
    };
    for _ in 0..20 {
        reference.backward_step(&loss(&w_ref)).unwrap();
        fused.backward_step(&loss(&w_fused)).unwrap();
    }
    let a: Vec<f64> = w_ref
        .as_tensor()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap()
        .iter()
        .map(|&v| v as f64)
        .collect();
    let b: Vec<f64> = w_fused
        .as_tensor()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap()
        .iter()
        .map(|&v| v as f64)
        .collect();
    assert_all_close(&b, &a, 1e-5);
    assert!(
        a.iter()
            .zip(w0.flatten_all().unwrap().to_vec1::<f32>().unwrap())
            .any(|(a, b)| (a - b as f64).abs() > 0.1),
        "weights did not move"
    );
}

#[test]
fn fused_adamw_refuses_a_non_f32_variable() {
    let w = Var::zeros(3, candle_core::DType::F64, &Device::Cpu).unwrap();
    let err = FusedAdamW::new(vec![w], Default::default()).unwrap_err();
    assert!(err.to_string().contains("an f32 CPU variable"), "{err}");
}
