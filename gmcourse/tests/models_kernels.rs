//! The fused kernels agree with the same formulas written with candle operations.
use candle_core::{Device, Tensor, Var};
use gmcourse::models::nn::mlp::{Activation, Mlp};
use gmcourse::models::{nn, train};
use gmcourse::testing::assert_all_close;

fn to_f64(t: &Tensor) -> Vec<f64> {
    t.flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap()
        .iter()
        .map(|&v| v as f64)
        .collect()
}

#[test]
fn fused_bce_and_its_gradient_match_the_softplus_formula() {
    let l0 = (train::randn(&mut train::rng(0), 4, 7).unwrap() * 5.0).unwrap();
    let x0 = train::rand_uniform(&mut train::rng(1), 4, 7).unwrap();
    let (l, x) = (
        Var::from_tensor(&l0).unwrap(),
        Var::from_tensor(&x0).unwrap(),
    );
    let fused = nn::bce_with_logits_sum(l.as_tensor(), x.as_tensor()).unwrap();
    // the same loss from candle operations: softplus(l) - x·l, summed per row
    let composite = (nn::softplus(l.as_tensor()).unwrap()
        - (x.as_tensor() * l.as_tensor()).unwrap())
    .unwrap()
    .sum(1)
    .unwrap();
    assert_all_close(&to_f64(&fused), &to_f64(&composite), 1e-4);
    let w = Tensor::new(&[1f32, 2.0, 3.0, 4.0], &Device::Cpu).unwrap();
    let g_fused = (fused * &w).unwrap().sum_all().unwrap().backward().unwrap();
    let g_comp = (composite * &w)
        .unwrap()
        .sum_all()
        .unwrap()
        .backward()
        .unwrap();
    for v in [&l, &x] {
        assert_all_close(
            &to_f64(g_fused.get(v.as_tensor()).unwrap()),
            &to_f64(g_comp.get(v.as_tensor()).unwrap()),
            1e-5,
        );
    }
}

#[test]
fn fused_bce_is_finite_on_saturated_logits() {
    let l = Tensor::new(&[[1000f32, -1000.0]], &Device::Cpu).unwrap();
    let x = Tensor::new(&[[0f32, 1.0]], &Device::Cpu).unwrap();
    let v = nn::bce_with_logits_sum(&l, &x)
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    assert_all_close(&[v[0] as f64], &[2000.0], 1e-3);
}

#[test]
fn fused_leaky_relu_matches_candle_leaky_relu_and_its_gradient() {
    use candle_nn::{VarBuilder, VarMap};
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &Device::Cpu);
    let mlp = Mlp::new(vb.pp("m"), &[3, 5, 2], Activation::LeakyRelu(0.2)).unwrap();
    train::init_seeded(&varmap, 0).unwrap();
    let x = train::randn(&mut train::rng(3), 6, 3).unwrap();
    let (out, h) = mlp.forward_with_features(&x).unwrap();
    // recompute the hidden layer with candle's own leaky_relu
    let vars = train::sorted_vars(&varmap).unwrap();
    let w0 = &vars.iter().find(|(n, _)| n == "m.fc0.weight").unwrap().1;
    let b0 = &vars.iter().find(|(n, _)| n == "m.fc0.bias").unwrap().1;
    let pre = x
        .matmul(&w0.as_tensor().t().unwrap())
        .unwrap()
        .broadcast_add(b0.as_tensor())
        .unwrap();
    let h_ref = candle_nn::ops::leaky_relu(&pre, 0.2).unwrap();
    assert_all_close(&to_f64(&h), &to_f64(&h_ref), 1e-6);
    let g = out.sum_all().unwrap().backward().unwrap();
    let g_ref = {
        let w1 = &vars.iter().find(|(n, _)| n == "m.fc1.weight").unwrap().1;
        let b1 = &vars.iter().find(|(n, _)| n == "m.fc1.bias").unwrap().1;
        let out_ref = h_ref
            .matmul(&w1.as_tensor().t().unwrap())
            .unwrap()
            .broadcast_add(b1.as_tensor())
            .unwrap();
        out_ref.sum_all().unwrap().backward().unwrap()
    };
    assert_all_close(
        &to_f64(g.get(w0.as_tensor()).unwrap()),
        &to_f64(g_ref.get(w0.as_tensor()).unwrap()),
        1e-5,
    );
}

#[test]
fn dense_layer_and_its_gradients_match_candle_matmul() {
    // holds for both backends (default gemm, and OpenBLAS with --features openblas)
    use candle_nn::{VarBuilder, VarMap};
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, candle_core::DType::F32, &Device::Cpu);
    let fc = gmcourse::models::nn::dense::Dense::new(5, 3, vb.pp("fc")).unwrap();
    train::init_seeded(&varmap, 0).unwrap();
    let vars = train::sorted_vars(&varmap).unwrap();
    let (b, w) = (&vars[0].1, &vars[1].1); // fc.bias, fc.weight
    for v in [b, w] {
        v.set(
            &train::randn(&mut train::rng(9), 1, v.elem_count())
                .unwrap()
                .reshape(v.shape())
                .unwrap(),
        )
        .unwrap();
    }
    let x = Var::from_tensor(&train::randn(&mut train::rng(4), 7, 5).unwrap()).unwrap();
    let y = fc.forward(x.as_tensor()).unwrap();
    let y_ref = x
        .as_tensor()
        .matmul(&w.as_tensor().t().unwrap())
        .unwrap()
        .broadcast_add(b.as_tensor())
        .unwrap();
    assert_all_close(&to_f64(&y), &to_f64(&y_ref), 1e-5);
    let weights = train::randn(&mut train::rng(5), 7, 3).unwrap();
    let g = (y * &weights)
        .unwrap()
        .sum_all()
        .unwrap()
        .backward()
        .unwrap();
    let g_ref = (y_ref * &weights)
        .unwrap()
        .sum_all()
        .unwrap()
        .backward()
        .unwrap();
    for v in [b, w, &x] {
        assert_all_close(
            &to_f64(g.get(v.as_tensor()).unwrap()),
            &to_f64(g_ref.get(v.as_tensor()).unwrap()),
            1e-4,
        );
    }
}
