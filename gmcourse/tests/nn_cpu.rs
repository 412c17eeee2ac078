//! Every CPU path this machine runs (`models::nn::cpu`), against the portable path on the
//! same inputs: the matrix product (every transposition, tails of rows, columns and `k`,
//! `beta`, one thread and several), NADE's recursion forward and backward, the vector
//! loops and the AdamW step. The portable path itself is checked against plain f64 sums.

use gmcourse::models::nn::cpu::sgemm::{sgemm_new, sgemm_with};
use gmcourse::models::nn::cpu::{Isa, adamw, bce, dispatch, nade, vector};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn random(rng: &mut StdRng, n: usize) -> Vec<f32> {
    (0..n).map(|_| rng.random_range(-1.0f32..1.0)).collect()
}

/// The paths to compare with the portable one.
fn vector_paths() -> Vec<Isa> {
    Isa::supported()
        .into_iter()
        .filter(|&i| i != Isa::Portable)
        .collect()
}

#[test]
fn cpu_paths_detected() {
    // `./course test` runs this one with --nocapture: CI's log names the CPU and the path.
    println!("{}", dispatch::describe());
    let detected = Isa::detected();
    assert!(detected.is_supported());
    assert!(Isa::supported().contains(&Isa::Portable));
    #[cfg(target_arch = "x86_64")]
    {
        assert_eq!(
            Isa::Avx512.is_supported(),
            std::arch::is_x86_feature_detected!("avx512f")
        );
        assert!(!Isa::Neon.is_supported());
        if std::env::var_os("GMCOURSE_CPU").is_none() {
            assert_eq!(detected, *Isa::supported().last().unwrap());
        }
    }
}

#[test]
fn a_path_this_cpu_cannot_run_is_refused() {
    let unsupported: Vec<Isa> = Isa::ALL.into_iter().filter(|i| !i.is_supported()).collect();
    assert!(!unsupported.is_empty(), "no CPU runs both NEON and AVX");
    for isa in unsupported {
        let mut c = [0f32];
        let err = sgemm_with(isa, false, false, 1, 1, 1, &[1.0], &[1.0], 0.0, &mut c).unwrap_err();
        assert!(err.to_string().contains(isa.name()), "{err}");
        assert!(vector::dot_with(isa, &[1.0], &[1.0]).is_err());
    }
}

/// `op(a)·op(b)` in f64, and `Σ |op(a)||op(b)|` for the tolerance.
#[allow(clippy::too_many_arguments)]
fn reference(
    ta: bool,
    tb: bool,
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
) -> (Vec<f64>, Vec<f64>) {
    let at = |i: usize, p: usize| if ta { a[p * m + i] } else { a[i * k + p] } as f64;
    let bt = |p: usize, j: usize| if tb { b[j * k + p] } else { b[p * n + j] } as f64;
    let mut c = vec![0f64; m * n];
    let mut mag = vec![0f64; m * n];
    for i in 0..m {
        for j in 0..n {
            for p in 0..k {
                c[i * n + j] += at(i, p) * bt(p, j);
                mag[i * n + j] += (at(i, p) * bt(p, j)).abs();
            }
        }
    }
    (c, mag)
}

/// Shapes with every tail: rows around the tiles (4, 6, 12), columns around 8, 16 and 32,
/// `k` around the 16-wide packing blocks and the 256-long `k` blocks; and the course's
/// layer sizes, large enough to run on several threads (the last, few rows and many
/// columns, as under the DCGAN's convolutions: split by columns, `A` copied into panels
/// when transposed).
const SHAPES: &[(usize, usize, usize)] = &[
    (1, 1, 1),
    (1, 17, 3),
    (5, 1, 16),
    (7, 9, 17),
    (12, 32, 15),
    (13, 33, 31),
    (25, 16, 64),
    (6, 48, 257),
    (100, 20, 400),
    (100, 400, 784),
    (784, 400, 100),
    (100, 784, 500),
    (64, 800, 256),
];

fn sgemm_case(
    isa: Isa,
    ta: bool,
    tb: bool,
    (m, n, k): (usize, usize, usize),
    beta: f32,
) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64((m * 1_000_003 + n * 1009 + k) as u64);
    let a = random(&mut rng, m * k);
    let b = random(&mut rng, k * n);
    // with beta = 0 the old C must not be read: NaN would show through
    let mut c = if beta == 0.0 {
        vec![f32::NAN; m * n]
    } else {
        random(&mut rng, m * n)
    };
    sgemm_with(isa, ta, tb, m, n, k, &a, &b, beta, &mut c).unwrap();
    c
}

#[test]
fn sgemm_portable_matches_f64_sums() {
    for &(ta, tb) in &[(false, false), (false, true), (true, false), (true, true)] {
        for &(m, n, k) in SHAPES.iter().filter(|s| s.0 * s.1 * s.2 <= 1 << 20) {
            let mut rng = StdRng::seed_from_u64((m * 1_000_003 + n * 1009 + k) as u64);
            let a = random(&mut rng, m * k);
            let b = random(&mut rng, k * n);
            let c0 = random(&mut rng, m * n);
            let got = sgemm_case(Isa::Portable, ta, tb, (m, n, k), 0.5);
            let (want, mag) = reference(ta, tb, m, n, k, &a, &b);
            for idx in 0..m * n {
                let want = 0.5 * c0[idx] as f64 + want[idx];
                let tol = 1e-5 * (mag[idx] + 1.0);
                assert!(
                    (got[idx] as f64 - want).abs() <= tol,
                    "ta {ta} tb {tb} {m}×{n}×{k} at {idx}: {} vs {want}",
                    got[idx]
                );
            }
        }
    }
}

#[test]
fn sgemm_every_path_matches_portable() {
    let paths = vector_paths();
    for isa in paths {
        for &(ta, tb) in &[(false, false), (false, true), (true, false), (true, true)] {
            for &shape in SHAPES {
                for beta in [0.0, 1.0, 0.5] {
                    let (m, n, k) = shape;
                    let want = sgemm_case(Isa::Portable, ta, tb, shape, beta);
                    let got = sgemm_case(isa, ta, tb, shape, beta);
                    let tol = 1e-5 * (k as f32).sqrt().max(1.0);
                    for (idx, (g, w)) in got.iter().zip(&want).enumerate() {
                        assert!(
                            (g - w).abs() <= tol * (1.0 + w.abs()),
                            "{}: ta {ta} tb {tb} {m}×{n}×{k} beta {beta} at ({}, {}): {g} vs {w}",
                            isa.name(),
                            idx / n,
                            idx % n
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn sgemm_on_one_thread_equals_several() {
    // the split over threads must not change a single bit: each tile sums the same terms
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    for isa in Isa::supported() {
        for shape in [(100, 400, 784), (64, 800, 256)] {
            for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
                let many = sgemm_case(isa, ta, tb, shape, 0.0);
                let one = pool.install(|| sgemm_case(isa, ta, tb, shape, 0.0));
                assert_eq!(one, many, "{} ta {ta} tb {tb} {shape:?}", isa.name());
            }
        }
    }
}

#[test]
fn sgemm_new_writes_every_value() {
    // the buffer is not zeroed first: every value must come from the product
    for &(m, n, k) in SHAPES {
        for &(ta, tb) in &[(false, false), (false, true), (true, false), (true, true)] {
            let mut rng = StdRng::seed_from_u64((m * 1_000_003 + n * 1009 + k) as u64);
            let a = random(&mut rng, m * k);
            let b = random(&mut rng, k * n);
            let want = sgemm_case(Isa::detected(), ta, tb, (m, n, k), 0.0);
            assert_eq!(
                sgemm_new(ta, tb, m, n, k, &a, &b).unwrap(),
                want,
                "{m}×{n}×{k}"
            );
        }
    }
}

#[test]
fn sgemm_rejects_short_buffers() {
    let mut c = [0f32; 3];
    let err = sgemm_with(
        Isa::Portable,
        false,
        false,
        2,
        2,
        1,
        &[1.0; 2],
        &[1.0; 2],
        0.0,
        &mut c,
    )
    .unwrap_err();
    assert!(err.to_string().contains("sgemm c"), "{err}");
}

#[test]
fn vector_loops_match_portable() {
    let mut rng = StdRng::seed_from_u64(7);
    for isa in vector_paths() {
        for n in [0, 1, 7, 15, 16, 17, 31, 33, 100, 500] {
            let a: Vec<f32> = random(&mut rng, n).iter().map(|v| v * 20.0).collect();
            let b = random(&mut rng, n);
            let want = vector::dot_with(Isa::Portable, &a, &b).unwrap();
            let got = vector::dot_with(isa, &a, &b).unwrap();
            assert!(
                (got - want).abs() <= 1e-5 * (1.0 + want.abs()),
                "{} dot n {n}",
                isa.name()
            );
            let (mut s_want, mut s_got) = (vec![0f32; n], vec![0f32; n]);
            vector::sigmoid_with(Isa::Portable, &a, &mut s_want).unwrap();
            vector::sigmoid_with(isa, &a, &mut s_got).unwrap();
            for (k, (g, w)) in s_got.iter().zip(&s_want).enumerate() {
                assert!(
                    (g - w).abs() <= 1e-6,
                    "{} sigmoid n {n} at {k}: {g} vs {w}",
                    isa.name()
                );
            }
        }
    }
}

fn nade_inputs(d: usize, h: usize, seed: u64) -> (Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let x = (0..d)
        .map(|i| {
            if i == 0 || rng.random::<f32>() < 0.3 {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    let w = random(&mut rng, d * h);
    let v = random(&mut rng, d * h);
    let g = random(&mut rng, d);
    (x, w, v, g)
}

#[test]
fn nade_rows_match_portable() {
    // H around the vector widths, D as in the course (784) and small; two images whose
    // gradients add up in the same dw and dv, as over a batch
    for (d, h, seed) in [(5, 3, 1), (40, 17, 2), (64, 33, 3), (784, 500, 4)] {
        let (x, w, v, g) = nade_inputs(d, h, seed);
        let (x2, _, _, g2) = nade_inputs(d, h, seed + 100);
        let mut out_want = vec![0f32; d];
        nade::forward_row(Isa::Portable, &x, &w, &v, &mut out_want).unwrap();
        let backward = |isa: Isa| {
            let (mut dw, mut dv) = (vec![0f32; d * h], vec![0f32; d * h]);
            nade::backward_row(isa, &x, &g, &w, &v, &mut dw, &mut dv).unwrap();
            nade::backward_row(isa, &x2, &g2, &w, &v, &mut dw, &mut dv).unwrap();
            (dw, dv)
        };
        let (dw_want, dv_want) = backward(Isa::Portable);
        assert!(dw_want.iter().any(|&v| v != 0.0) && dv_want.iter().any(|&v| v != 0.0));
        for isa in vector_paths() {
            let mut out = vec![0f32; d];
            nade::forward_row(isa, &x, &w, &v, &mut out).unwrap();
            for (i, (o, want)) in out.iter().zip(&out_want).enumerate() {
                let tol = 1e-4 * (1.0 + want.abs());
                assert!(
                    (o - want).abs() <= tol,
                    "{} forward D {d} H {h} pixel {i}: {o} vs {want}",
                    isa.name()
                );
            }
            let (dw, dv) = backward(isa);
            for (what, got, want) in [("dw", &dw, &dw_want), ("dv", &dv, &dv_want)] {
                for (k, (a, b)) in got.iter().zip(want.iter()).enumerate() {
                    let tol = 1e-4 * (1.0 + b.abs());
                    assert!(
                        (a - b).abs() <= tol,
                        "{} {what} D {d} H {h} at {k}: {a} vs {b}",
                        isa.name()
                    );
                }
            }
        }
    }
}

#[test]
fn nade_row_forward_is_the_recursion() {
    // the portable path against the recursion spelled out in f64
    let (d, h) = (30, 7);
    let (x, w, v, _) = nade_inputs(d, h, 9);
    let mut out = vec![0f32; d];
    nade::forward_row(Isa::Portable, &x, &w, &v, &mut out).unwrap();
    let mut a = vec![0f64; h];
    for i in 0..d {
        for k in 0..h {
            a[k] += (x[i] * w[i * h + k]) as f64;
        }
        let want: f64 = (0..h)
            .map(|k| v[i * h + k] as f64 / (1.0 + (-a[k]).exp()))
            .sum();
        assert!(
            (out[i] as f64 - want).abs() < 1e-5,
            "pixel {i}: {} vs {want}",
            out[i]
        );
    }
}

#[test]
fn adamw_step_matches_portable() {
    let h = adamw::Hyper {
        lr: 1e-2,
        decay: 1.0 - 1e-2 * 1e-2,
        beta1: 0.9,
        beta2: 0.999,
        scale_m: 1.0,
        scale_v: 1.0,
        eps: 1e-8,
    };
    // lengths around the vector widths, and one long enough to be split over threads
    for n in [1, 15, 17, 1000, 100_003] {
        let mut rng = StdRng::seed_from_u64(n as u64);
        let theta0 = random(&mut rng, n);
        let grads: Vec<Vec<f32>> = (0..3).map(|_| random(&mut rng, n)).collect();
        let run = |isa: Isa| {
            let (mut t, mut m, mut v) = (theta0.clone(), vec![0f32; n], vec![0f32; n]);
            for (step, g) in grads.iter().enumerate() {
                let bias = |b: f32| 1.0 / (1.0 - b.powi(step as i32 + 1));
                let h = adamw::Hyper {
                    scale_m: bias(h.beta1),
                    scale_v: bias(h.beta2),
                    ..h
                };
                adamw::step_with(isa, &h, &mut t, &mut m, &mut v, g).unwrap();
            }
            (t, m, v)
        };
        let want = run(Isa::Portable);
        assert!(
            want.0.iter().zip(&theta0).all(|(a, b)| a != b),
            "the step moved nothing"
        );
        for isa in vector_paths() {
            let got = run(isa);
            for (what, g, w) in [
                ("theta", &got.0, &want.0),
                ("m", &got.1, &want.1),
                ("v", &got.2, &want.2),
            ] {
                for (k, (a, b)) in g.iter().zip(w.iter()).enumerate() {
                    assert!(
                        (a - b).abs() <= 1e-6 * (1.0 + b.abs()),
                        "{} {what} n {n} at {k}: {a} vs {b}",
                        isa.name()
                    );
                }
            }
        }
    }
}

fn bce_inputs(rows: usize, cols: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let mut rng = StdRng::seed_from_u64((rows * 1000 + cols) as u64);
    // logits from -100 to 100, with the usual range well covered
    let l = (0..rows * cols)
        .map(|k| match k % 7 {
            0 => rng.random_range(-100.0f32..100.0),
            1 => 0.0,
            _ => rng.random_range(-8.0f32..8.0),
        })
        .collect();
    let x = (0..rows * cols)
        .map(|_| if rng.random::<f32>() < 0.3 { 1.0 } else { 0.0 })
        .collect();
    let g = random(&mut rng, rows);
    (l, x, g)
}

#[test]
fn bce_portable_matches_f64() {
    // rows of 100 pixels, and rows of one pixel (each sum is then one softplus term)
    for (rows, cols) in [(3, 100), (700, 1)] {
        let (l, x, g) = bce_inputs(rows, cols);
        let mut sums = vec![0f32; rows];
        bce::forward_with(Isa::Portable, &l, &x, cols, &mut sums).unwrap();
        let mut dl = vec![0f32; rows * cols];
        bce::backward_with(Isa::Portable, &l, &x, &g, cols, &mut dl).unwrap();
        for r in 0..rows {
            let mut want = 0f64;
            for i in r * cols..(r + 1) * cols {
                let (l, x) = (l[i] as f64, x[i] as f64);
                want += l.max(0.0) + (-l.abs()).exp().ln_1p() - x * l;
                let d = g[r] as f64 * (1.0 / (1.0 + (-l).exp()) - x);
                assert!(
                    (dl[i] as f64 - d).abs() < 1e-6,
                    "dl at {i}: {} vs {d}",
                    dl[i]
                );
            }
            assert!(
                (sums[r] as f64 - want).abs() < 1e-6 * want.abs().max(1.0),
                "{cols} per row, row {r}: {} vs {want}",
                sums[r]
            );
        }
    }
}

#[test]
fn bce_every_path_matches_portable() {
    for (rows, cols) in [(1, 1), (2, 15), (3, 17), (100, 784)] {
        let (l, x, g) = bce_inputs(rows, cols);
        let mut sums_want = vec![0f32; rows];
        bce::forward_with(Isa::Portable, &l, &x, cols, &mut sums_want).unwrap();
        let mut dl_want = vec![0f32; rows * cols];
        bce::backward_with(Isa::Portable, &l, &x, &g, cols, &mut dl_want).unwrap();
        for isa in vector_paths() {
            let mut sums = vec![0f32; rows];
            bce::forward_with(isa, &l, &x, cols, &mut sums).unwrap();
            for (r, (a, b)) in sums.iter().zip(&sums_want).enumerate() {
                assert!(
                    (a - b).abs() <= 1e-5 * b.abs().max(1.0),
                    "{} row {r}: {a} vs {b}",
                    isa.name()
                );
            }
            let mut dl = vec![0f32; rows * cols];
            bce::backward_with(isa, &l, &x, &g, cols, &mut dl).unwrap();
            for (k, (a, b)) in dl.iter().zip(&dl_want).enumerate() {
                assert!(
                    (a - b).abs() <= 1e-6,
                    "{} dl at {k}: {a} vs {b}",
                    isa.name()
                );
            }
        }
    }
}
