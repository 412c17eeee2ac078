//! Quality of the reference models on the shipped MNIST split (issue 4), one table.
//! Expected (course machine, 2 shared cores, load 10-15, BUDGET_SECS=150, 17 min in all):
//! NADE 149.2 nats after the 206 steps that fit, equal (0.00 %) to the PyTorch twin;
//! VAE NLL 86.7 nats (k = 500, 1000 images), -ELBO 98.0; peak RSS 3.7 GB (the VAE's
//! importance sampling). On a quiet machine (2026-11-29): classifier 97.5 % (shifted
//! training digits), real test digits' MNIST score 9.49, FID(train, test) 6.3; GAN
//! (pack 2, lr 1e-3, averaged G, 12,000 steps: needs BUDGET_SECS=330) MNIST score 7.9,
//! FID 17; cGAN 9.77 with 98.7 % label agreement (scored by the earlier 96.8 % classifier).
//! The conditional DCGAN (2026-12-07, the default cGAN): 9.62, FID 32.3, 98.4 % after 30 s
//! on 2 threads; 9.91, FID 13.0, 99.7 % after 600 s on one thread.
//! See bench/README.md, "Quality" and "Conditional DCGAN".
//!
//! Usage: `bench/quality.sh` (installs the PyTorch twin, then runs this), or
//! `cargo bench -p gmcourse --bench quality -- [classifier nade vae gan cgan dcgan]...`.
//! Environment: `BUDGET_SECS` (training wall-clock per model, default 150),
//! `NADE_STEPS` (default: as many as fit the budget), `IS_K` (importance samples, 500),
//! `IS_IMAGES` (test images for the importance-sampled NLL, 1000), `TORCH_TWIN=0` skips
//! the PyTorch NADE; for experiments `CLASSIFIER_STEPS` (10000), `CLASSIFIER_HIDDEN`
//! (`512,256`), `CLASSIFIER_DROPOUT` (0.5), `CLASSIFIER_SHIFT` (2), `VAE_STEPS`,
//! `GAN_STEPS` (12000), `CGAN_STEPS`, `GAN_LR` (1e-3), `GAN_G_HIDDEN`, `GAN_D_HIDDEN`,
//! `GAN_PACK` (2); for the cGAN `CGAN_SECS` (its budget, `BUDGET_SECS`), `CGAN_LR` (2e-3),
//! `CGAN_BATCH` (64), `CGAN_PLAYERS` (`mlp` for the fully connected players, sized by
//! `GAN_G_HIDDEN` and `GAN_D_HIDDEN`; otherwise the DCGAN's, `CGAN_CH` 32, `CGAN_DHIDDEN`
//! 256, `CGAN_SHIFT` 2), `CGAN_TAG` (suffix of its output files); `GAN_EMA` (generator weight averaging decay, 0.999;
//! 0 = off); for the DCGAN `DCGAN_SECS` (its budget, 600), `DCGAN_AT` (seconds to score
//! at along the run, `30,60,120,300`), `DCGAN_LR` (2e-3), `DCGAN_CH` (32), `DCGAN_PACK`
//! (1), `DCGAN_DBN` (batch norm in D, 0 or 1: 0), `DCGAN_SHIFT` (D's random shifts in
//! pixels: 2), `DCGAN_DHIDDEN` (D's hidden dense width, 0 for none: 256), `DCGAN_BATCH` (64), `DCGAN_SEED` (0), `DCGAN_EMA` (0.995), `DCGAN_CLUSTERS` (60, 0 for none), `DCGAN_TAG` (suffix of its output
//! files, for runs side by side). The classifier, if not named, is
//! loaded from `build/checkpoints/` when there.
//! Writes `build/checkpoints/{classifier,nade,vae,gan,cgan,dcgan}.safetensors` and prints the
//! config of each; the PyTorch twin gets the same binarized data, initial weights and
//! batch indices through `build/quality/*.bin`.

use gmcourse::models::Model;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use candle_core::{Device, Tensor};
use candle_nn::VarMap;
use gmcourse::data::{Mnist, Pixels};
use gmcourse::models::cgan::Players;
use gmcourse::models::nn::Ema;
use gmcourse::models::{
    Cgan, CganConfig, Classifier, ClassifierConfig, Dcgan, DcganConfig, Gan, GanConfig, Nade,
    NadeConfig, TrainConfig, Vae, VaeConfig, cgan, classifier, dcgan, eval, gan, nade, train, vae,
};
use gmcourse::{Error, Result};
use rand::Rng;

mod common;
use common::peak_rss_mb;

/// Hidden sizes from a comma-separated environment variable.
fn env_sizes(name: &str, default: Vec<usize>) -> Vec<usize> {
    match std::env::var(name) {
        Ok(v) => v.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => default,
    }
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// One row of the printed table.
struct Row {
    what: String,
    figure: String,
    target: String,
}

struct Report {
    rows: Vec<Row>,
}

impl Report {
    fn add(&mut self, what: impl Into<String>, figure: impl Into<String>, target: &str) {
        let row = Row {
            what: what.into(),
            figure: figure.into(),
            target: target.into(),
        };
        println!(
            "  => {}: {}   (peak RSS so far {:.0} MB)",
            row.what,
            row.figure,
            peak_rss_mb()
        );
        self.rows.push(row);
    }
}

/// A training config with the time budget; `steps` is an upper bound.
fn train_cfg(
    steps: usize,
    batch_size: usize,
    lr: f64,
    budget: Duration,
    ckpt: &Path,
) -> TrainConfig {
    TrainConfig {
        steps,
        batch_size,
        lr,
        seed: 0,
        log_every: 500,
        time_budget: Some(budget),
        checkpoint: Some(ckpt.to_path_buf()),
        progress: false,
    }
}

/// Runs `f` over row chunks of `x` and concatenates the `(chunk,)` results.
fn chunked(
    x: &Tensor,
    chunk: usize,
    mut f: impl FnMut(&Tensor) -> Result<Tensor>,
) -> Result<Tensor> {
    let n = x.dim(0)?;
    let mut parts = Vec::new();
    let mut start = 0;
    while start < n {
        let len = chunk.min(n - start);
        parts.push(f(&x.narrow(0, start, len)?)?);
        start += len;
    }
    Ok(Tensor::cat(&parts, 0)?)
}

fn mean(t: &Tensor) -> Result<f64> {
    Ok(t.mean_all()?
        .to_dtype(candle_core::DType::F64)?
        .to_scalar::<f64>()?)
}

/// The MNIST score's two factors for `x` ([`eval::mnist_score_parts`]), one line.
fn score_parts(clf: &Classifier, x: &Tensor) -> Result<String> {
    let parts = eval::mnist_score_parts(&clf.probs(x)?)?;
    let hist: Vec<String> = parts
        .p_y
        .iter()
        .map(|p| format!("{:.0}", 100.0 * p))
        .collect();
    Ok(format!(
        "exp H(y) {:.2}, exp E H(y|x) {:.2}, p(y) % [{}]",
        parts.spread,
        parts.ambiguity,
        hist.join(" ")
    ))
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

fn write_f32(path: &Path, t: &Tensor) -> Result<()> {
    let v = t.flatten_all()?.to_vec1::<f32>()?;
    let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
    write_bytes(path, &bytes)
}

/// Writes the first 64 rows of `x` `(n, 784)` in `[0, 1]` as an 8 × 8 PNG grid.
fn save_grid(path: &Path, x: &Tensor) -> Result<()> {
    let n = x.dim(0)?.min(64);
    let (png, _, _) = gmcourse::plot::image_grid(&x.narrow(0, 0, n)?)
        .cols(8)
        .scale(2)
        .png()?;
    write_bytes(path, &png)?;
    println!("  samples: {}", path.display());
    Ok(())
}

/// Loads `path` into `varmap` if `train_it` is false and the file exists; returns whether
/// the model must be trained.
fn must_train(train_it: bool, varmap: &VarMap, path: &Path) -> Result<bool> {
    if train_it {
        return Ok(true);
    }
    if path.exists() {
        train::load_checkpoint(varmap, path)?;
        println!("loaded {}", path.display());
        return Ok(false);
    }
    Ok(true)
}

fn main() -> Result<()> {
    let t_all = Instant::now();
    let budget = Duration::from_secs_f64(env_or("BUDGET_SECS", 150.0));
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let all = ["classifier", "nade", "vae", "gan", "cgan", "dcgan"];
    let wanted: Vec<&str> = if args.is_empty() {
        all.to_vec()
    } else {
        all.iter()
            .copied()
            .filter(|m| args.iter().any(|a| a == m))
            .collect()
    };
    let ckpt_dir = root().join("build/checkpoints");
    let twin_dir = root().join("build/quality");
    for d in [&ckpt_dir, &twin_dir] {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    println!(
        "quality bench: budget {:?} per model, candle threads {}, CANDLE_NUM_THREADS={:?}, load {}",
        budget,
        candle_core::utils::get_num_threads(),
        std::env::var("CANDLE_NUM_THREADS").ok(),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let dev = Device::Cpu;
    let mnist = Mnist::load()?;
    let x_train = mnist.train.x(Pixels::Grey, &dev)?;
    let x_test = mnist.test.x(Pixels::Grey, &dev)?;
    let b_train = mnist.train.x(Pixels::Binarized, &dev)?;
    let b_test = mnist.test.x(Pixels::Binarized, &dev)?;
    let y_train: Vec<u32> = mnist.train.labels.iter().map(|&y| u32::from(y)).collect();
    let y_test: Vec<u32> = mnist.test.labels.iter().map(|&y| u32::from(y)).collect();
    let mut report = Report { rows: Vec::new() };
    let n_samples = 1000;

    // ---- classifier: accuracy, and the real-data ceiling of the scores ----
    let mut clf_cfg = ClassifierConfig::default();
    clf_cfg.hidden = env_sizes("CLASSIFIER_HIDDEN", clf_cfg.hidden);
    clf_cfg.dropout = env_or("CLASSIFIER_DROPOUT", clf_cfg.dropout);
    clf_cfg.max_shift = env_or("CLASSIFIER_SHIFT", 2);
    let (clf, clf_vars) = Classifier::seeded(&clf_cfg, 0)?;
    let clf_path = ckpt_dir.join("classifier.safetensors");
    if must_train(wanted.contains(&"classifier"), &clf_vars, &clf_path)? {
        let tc = train_cfg(
            env_or("CLASSIFIER_STEPS", 10_000),
            100,
            1e-3,
            budget,
            &clf_path,
        );
        println!("\n[classifier] {clf_cfg:?}\n             {tc:?}");
        let t = Instant::now();
        let losses = classifier::train(&clf, &clf_vars, &x_train, &y_train, &tc)?;
        println!(
            "             {} steps in {:.0} s",
            losses.len(),
            t.elapsed().as_secs_f64()
        );
    }
    let acc = clf.accuracy(&x_test, &y_test)?;
    report.add(
        "classifier test accuracy",
        format!("{:.1} %", 100.0 * acc),
        ">= 97 %",
    );
    println!("real test digits: {}", score_parts(&clf, &x_test)?);
    let real_train = x_train.narrow(0, 0, n_samples)?;
    report.add(
        "real test digits: MNIST score",
        format!("{:.2}", eval::mnist_score_of(&clf, &x_test)?),
        "ceiling (9.88 on 60k)",
    );
    report.add(
        "real: FID(1000 train, 1000 test)",
        format!("{:.2}", eval::fid_of(&clf, &real_train, &x_test)?),
        "ceiling",
    );

    // ---- NADE vs the PyTorch twin, fixed binarization ----
    if wanted.contains(&"nade") {
        let cfg = NadeConfig::default();
        let (model, varmap) = Nade::seeded(&cfg, 0)?;
        for (name, var) in train::sorted_vars(&varmap)? {
            write_f32(
                &twin_dir.join(format!("nade_init_{name}.bin")),
                var.as_tensor(),
            )?;
        }
        let path = ckpt_dir.join("nade.safetensors");
        let nade_steps = env_or("NADE_STEPS", 0usize);
        let (steps, nade_budget) = if nade_steps > 0 {
            (nade_steps, Duration::from_secs(1 << 30))
        } else {
            (1_000_000, budget)
        };
        let tc = TrainConfig {
            log_every: 50,
            ..train_cfg(steps, 100, 1e-3, nade_budget, &path)
        };
        println!("\n[nade] {cfg:?}\n       {tc:?}");
        let t = Instant::now();
        let losses = nade::train(&model, &varmap, &b_train, &tc)?;
        let done = losses.len();
        let secs = t.elapsed().as_secs_f64();
        println!("       {done} steps in {secs:.0} s");
        let nll = mean(&chunked(&b_test, 100, |x| Ok(model.log_prob(x)?.neg()?))?)?;
        report.add(
            format!("NADE test NLL, gmcourse ({done} steps, {secs:.0} s)"),
            format!("{nll:.2} nats"),
            "within 3 % of PyTorch",
        );
        // The twin: same binarized data, initial weights and batch indices (the stream
        // `train::random_batch` draws from `rng(seed)`).
        let mut rng = train::rng(tc.seed);
        let n = b_train.dim(0)? as u32;
        let idx: Vec<u8> = (0..done * tc.batch_size)
            .flat_map(|_| rng.random_range(0..n).to_le_bytes())
            .collect();
        write_bytes(&twin_dir.join("nade_batches.bin"), &idx)?;
        write_bytes(&twin_dir.join("nade_train.bin"), &mnist.train.binarized)?;
        write_bytes(&twin_dir.join("nade_test.bin"), &mnist.test.binarized)?;
        if env_or("TORCH_TWIN", 1) == 1 {
            let script = root().join("bench/torch/quality.py");
            let t = Instant::now();
            let out = Command::new("/usr/bin/python3")
                .arg(&script)
                .arg(&twin_dir)
                .arg(done.to_string())
                .output();
            let torch_nll = out.ok().and_then(|o| {
                let text = String::from_utf8_lossy(&o.stdout).to_string();
                print!("{text}");
                eprint!("{}", String::from_utf8_lossy(&o.stderr));
                text.lines()
                    .find(|l| l.starts_with("RESULT nade_torch"))
                    .and_then(|l| l.split_whitespace().nth(2))
                    .and_then(|v| v.parse::<f64>().ok())
            });
            match torch_nll {
                Some(t_nll) => {
                    report.add(
                        format!(
                            "NADE test NLL, PyTorch twin ({done} steps, {:.0} s)",
                            t.elapsed().as_secs_f64()
                        ),
                        format!("{t_nll:.2} nats"),
                        "",
                    );
                    report.add(
                        "NADE gmcourse / PyTorch - 1",
                        format!("{:+.2} %", 100.0 * (nll / t_nll - 1.0)),
                        "within ±3 %",
                    );
                }
                None => report.add(
                    "NADE test NLL, PyTorch twin",
                    "n/a (python3-torch missing? run bench/quality.sh)",
                    "",
                ),
            }
        }
    }

    // ---- VAE: ELBO and importance-sampled NLL, fixed binarization ----
    if wanted.contains(&"vae") {
        let cfg = VaeConfig::default();
        let (model, varmap) = Vae::seeded(&cfg, 0)?;
        let path = ckpt_dir.join("vae.safetensors");
        let tc = train_cfg(env_or("VAE_STEPS", 1_000_000), 100, 1e-3, budget, &path);
        println!("\n[vae] {cfg:?}\n      {tc:?}");
        let t = Instant::now();
        let losses = vae::train(&model, &varmap, &b_train, &tc)?;
        let done = losses.len();
        let secs = t.elapsed().as_secs_f64();
        println!("      {done} steps in {secs:.0} s");
        let mut rng = train::rng(1);
        let elbo = mean(&chunked(&b_test, 100, |x| {
            Ok(model.elbo(x, &mut rng)?.elbo.unsqueeze(0)?)
        })?)?;
        report.add(
            format!("VAE test -ELBO ({done} steps, {secs:.0} s)"),
            format!("{:.2} nats", -elbo),
            "",
        );
        save_grid(
            &twin_dir.join("vae_samples.png"),
            &model.sample(64, &mut train::rng(2))?,
        )?;
        let k = env_or("IS_K", 500usize);
        let n_is = env_or("IS_IMAGES", 1000usize).min(b_test.dim(0)?);
        let t = Instant::now();
        let lp = chunked(&b_test.narrow(0, 0, n_is)?, 50, |x| {
            model.log_prob_importance(x, k, &mut rng)
        })?;
        report.add(
            format!(
                "VAE test NLL, k = {k}, {n_is} images ({:.0} s)",
                t.elapsed().as_secs_f64()
            ),
            format!("{:.2} nats", -mean(&lp)?),
            "<= 95 nats",
        );
    }

    // ---- GAN and cGAN: MNIST score and FID of 1000 samples ----
    if wanted.contains(&"gan") {
        let mut cfg = GanConfig::mnist();
        cfg.g_hidden = env_sizes("GAN_G_HIDDEN", cfg.g_hidden);
        cfg.d_hidden = env_sizes("GAN_D_HIDDEN", cfg.d_hidden);
        cfg.pack = env_or("GAN_PACK", 2);
        let (model, varmap) = Gan::seeded(&cfg, 0)?;
        let path = ckpt_dir.join("gan.safetensors");
        let lr = env_or("GAN_LR", 1e-3);
        let ema_decay = env_or("GAN_EMA", 0.999);
        let tc = train_cfg(env_or("GAN_STEPS", 12_000), 100, lr, budget, &path);
        println!("\n[gan] {cfg:?}\n      {tc:?}\n      generator EMA decay {ema_decay}");
        let t = Instant::now();
        let p_data = |rng: &mut rand::rngs::StdRng, n: usize| train::random_batch(&x_train, n, rng);
        let mut ema = (ema_decay > 0.0)
            .then(|| Ema::new(&varmap, "generator", ema_decay))
            .transpose()?;
        let losses = gan::train(&model, &varmap, p_data, &tc, |_, _| match ema.as_mut() {
            Some(e) => e.update(),
            None => Ok(()),
        })?;
        let done = losses.len();
        let secs = t.elapsed().as_secs_f64();
        if let Some(e) = ema.as_mut() {
            // the raw weights first, for comparison
            let x_raw = model.sample(n_samples, &mut train::rng(2))?;
            println!("      raw-weight samples: {}", score_parts(&clf, &x_raw)?);
            report.add(
                "GAN MNIST score, raw weights",
                format!(
                    "{:.2} (FID {:.2})",
                    eval::mnist_score_of(&clf, &x_raw)?,
                    eval::fid_of(&clf, &x_raw, &x_test)?
                ),
                "",
            );
            e.swap()?;
            train::save_checkpoint(&varmap, &path)?;
            println!(
                "      sampling with the averaged generator (saved to {})",
                path.display()
            );
        }
        let x_fake = model.sample(n_samples, &mut train::rng(2))?;
        save_grid(&twin_dir.join("gan_samples.png"), &x_fake)?;
        let which = if ema.is_some() { ", averaged G" } else { "" };
        println!("      samples: {}", score_parts(&clf, &x_fake)?);
        report.add(
            format!("GAN MNIST score ({done} steps, {secs:.0} s{which})"),
            format!("{:.2}", eval::mnist_score_of(&clf, &x_fake)?),
            ">= 9.0",
        );
        report.add(
            "GAN FID (1000 samples vs test)",
            format!("{:.2}", eval::fid_of(&clf, &x_fake, &x_test)?),
            "",
        );
        // Sampling temperature: z ~ N(0, σ² I) with σ < 1 trades diversity for cleaner,
        // more typical digits (the truncation trick of BigGAN, Brock et al. 2019, in its
        // simplest form). Reported beside the σ = 1 figure, never instead of it.
        for sigma in [0.8, 0.6] {
            let z = (train::randn(&mut train::rng(2), n_samples, cfg.latent)? * sigma)?;
            let x = model.generate(&z)?;
            println!("      samples at σ = {sigma}: {}", score_parts(&clf, &x)?);
            report.add(
                format!("GAN MNIST score, z with σ = {sigma}"),
                format!(
                    "{:.2} (FID {:.2})",
                    eval::mnist_score_of(&clf, &x)?,
                    eval::fid_of(&clf, &x, &x_test)?
                ),
                "",
            );
        }
    }
    if wanted.contains(&"cgan") {
        // CGAN_PLAYERS=mlp: the fully connected players (GAN_G_HIDDEN, GAN_D_HIDDEN);
        // otherwise the DCGAN's (CGAN_CH, CGAN_SHIFT)
        let cfg = if std::env::var("CGAN_PLAYERS").is_ok_and(|p| p == "mlp") {
            let mut cfg = CganConfig::mlp();
            if let Players::Mlp { g_hidden, d_hidden } = &mut cfg.players {
                *g_hidden = env_sizes("GAN_G_HIDDEN", g_hidden.clone());
                *d_hidden = env_sizes("GAN_D_HIDDEN", d_hidden.clone());
            }
            cfg
        } else {
            let dc = DcganConfig::mnist();
            CganConfig {
                players: Players::Conv {
                    channels: env_or("CGAN_CH", dc.channels),
                    d_hidden: env_or("CGAN_DHIDDEN", dc.d_hidden),
                    translate: env_or("CGAN_SHIFT", dc.translate),
                },
                ..CganConfig::default()
            }
        };
        let (model, varmap) = Cgan::seeded(&cfg, 0)?;
        // CGAN_TAG names the outputs of one of several runs side by side
        let tag = std::env::var("CGAN_TAG").unwrap_or_default();
        let path = ckpt_dir.join(format!("cgan{tag}.safetensors"));
        let lr = env_or("CGAN_LR", 2e-3);
        let tc = train_cfg(
            env_or("CGAN_STEPS", 1_000_000),
            env_or("CGAN_BATCH", 64),
            lr,
            Duration::from_secs_f64(env_or("CGAN_SECS", budget.as_secs_f64())),
            &path,
        );
        println!("\n[cgan] {cfg:?}\n       {tc:?}");
        let t = Instant::now();
        let losses = cgan::train(&model, &varmap, &x_train, &y_train, &tc)?;
        let done = losses.len();
        let secs = t.elapsed().as_secs_f64();
        // 100 samples of each digit
        let labels: Vec<u32> = (0..n_samples as u32).map(|i| i % 10).collect();
        let x_fake = model.sample(&labels, &mut train::rng(2))?;
        save_grid(&twin_dir.join(format!("cgan{tag}_samples.png")), &x_fake)?;
        report.add(
            format!("cGAN MNIST score ({done} steps, {secs:.0} s)"),
            format!("{:.2}", eval::mnist_score_of(&clf, &x_fake)?),
            "",
        );
        report.add(
            "cGAN FID (1000 samples vs test)",
            format!("{:.2}", eval::fid_of(&clf, &x_fake, &x_test)?),
            "",
        );
        report.add(
            "cGAN samples classified as their label",
            format!("{:.1} %", 100.0 * clf.accuracy(&x_fake, &labels)?),
            "",
        );
    }

    // ---- DCGAN: MNIST score and FID of 1000 samples along the run ----
    if wanted.contains(&"dcgan") {
        let cfg = DcganConfig {
            channels: env_or("DCGAN_CH", DcganConfig::mnist().channels),
            pack: env_or("DCGAN_PACK", DcganConfig::mnist().pack),
            d_batch_norm: env_or("DCGAN_DBN", DcganConfig::mnist().d_batch_norm as u8) == 1,
            translate: env_or("DCGAN_SHIFT", DcganConfig::mnist().translate),
            d_hidden: env_or("DCGAN_DHIDDEN", DcganConfig::mnist().d_hidden),
            clusters: env_or("DCGAN_CLUSTERS", DcganConfig::mnist().clusters),
            ..DcganConfig::mnist()
        };
        let dcgan_seed = env_or("DCGAN_SEED", 0u64);
        let (model, varmap) = Dcgan::seeded(&cfg, dcgan_seed)?;
        // DCGAN_TAG names the outputs of one of several runs side by side
        let name = format!("dcgan{}", std::env::var("DCGAN_TAG").unwrap_or_default());
        let path = ckpt_dir.join(format!("{name}.safetensors"));
        let secs_budget = Duration::from_secs_f64(env_or("DCGAN_SECS", 600.0));
        let ema_decay = env_or("DCGAN_EMA", cfg.ema_decay);
        let batch = env_or("DCGAN_BATCH", 64);
        let tc = TrainConfig {
            seed: dcgan_seed,
            ..train_cfg(
                env_or("DCGAN_STEPS", 1_000_000),
                batch,
                env_or("DCGAN_LR", 2e-3),
                secs_budget,
                &path,
            )
        };
        // scored along the way at these seconds of training (30 s: lesson 09's live budget)
        let mut at: Vec<f64> = env_sizes("DCGAN_AT", vec![30, 60, 120, 300])
            .into_iter()
            .map(|s| s as f64)
            .collect();
        at.reverse();
        println!(
            "\n[dcgan] {cfg:?}\n        {tc:?}\n        generator EMA decay {ema_decay}, scored at {at:?} s, load {}",
            loadavg()
        );
        let t = Instant::now();
        let p_data = |rng: &mut rand::rngs::StdRng, n: usize| train::random_batch(&x_train, n, rng);
        let mut ema = Ema::new(&varmap, "generator", ema_decay)?.with_warmup();
        // At each scoring time the generator's raw and averaged weights are copied (cheap) and
        // scored after the run, so that scoring does not eat into the training time.
        let g_vars = train::vars_with_prefix(&varmap, "generator")?;
        let copy = |vars: &[candle_core::Var]| -> Result<Vec<Tensor>> {
            vars.iter()
                .map(|v| Ok(v.as_tensor().copy()?.detach()))
                .collect()
        };
        let mut snapshots = Vec::new();
        let losses = dcgan::train(&model, &varmap, p_data, &tc, |step, _| {
            ema.update()?;
            if at.last().is_some_and(|&s| t.elapsed().as_secs_f64() >= s) {
                at.pop();
                let raw = copy(&g_vars)?;
                ema.swap()?;
                let avg = copy(&g_vars)?;
                ema.swap()?;
                snapshots.push((t.elapsed().as_secs_f64(), step + 1, loadavg(), raw, avg));
            }
            Ok(())
        })?;
        let finals = copy(&g_vars)?;
        let set = |values: &[Tensor]| -> Result<()> {
            for (v, x) in g_vars.iter().zip(values) {
                v.set(x)?;
            }
            Ok(())
        };
        for (secs, steps, load, raw, avg) in &snapshots {
            set(raw)?;
            let x_raw = model.sample(n_samples, &mut train::rng(2))?;
            set(avg)?;
            let x_avg = model.sample(n_samples, &mut train::rng(2))?;
            let line = format!(
                "{secs:.0} s, {steps} steps: raw G {:.2} (FID {:.1}), averaged G {:.2} (FID {:.1}), load {load}",
                eval::mnist_score_of(&clf, &x_raw)?,
                eval::fid_of(&clf, &x_raw, &x_test)?,
                eval::mnist_score_of(&clf, &x_avg)?,
                eval::fid_of(&clf, &x_avg, &x_test)?,
            );
            save_grid(
                &twin_dir.join(format!("{name}_samples_{secs:.0}s.png")),
                &x_raw,
            )?;
            report.add("DCGAN along the run", line, "");
        }
        set(&finals)?;
        let done = losses.len();
        let secs = t.elapsed().as_secs_f64();
        let x_raw = model.sample(n_samples, &mut train::rng(2))?;
        println!("        raw-weight samples: {}", score_parts(&clf, &x_raw)?);
        report.add(
            "DCGAN MNIST score, raw weights",
            format!(
                "{:.2} (FID {:.2})",
                eval::mnist_score_of(&clf, &x_raw)?,
                eval::fid_of(&clf, &x_raw, &x_test)?
            ),
            "",
        );
        ema.swap()?;
        train::save_checkpoint(&varmap, &path)?;
        let x_fake = model.sample(n_samples, &mut train::rng(2))?;
        save_grid(&twin_dir.join(format!("{name}_samples.png")), &x_fake)?;
        println!(
            "        averaged G samples: {}",
            score_parts(&clf, &x_fake)?
        );
        report.add(
            format!("DCGAN MNIST score ({done} steps, {secs:.0} s, averaged G)"),
            format!("{:.2}", eval::mnist_score_of(&clf, &x_fake)?),
            ">= 9.0",
        );
        report.add(
            "DCGAN FID (1000 samples vs test)",
            format!("{:.2}", eval::fid_of(&clf, &x_fake, &x_test)?),
            "<= 10",
        );
    }

    println!(
        "\nQUALITY on the shipped split (train 8000 / test 1000), budget {:.0} s per model, total {:.0} s, peak RSS {:.0} MB",
        budget.as_secs_f64(),
        t_all.elapsed().as_secs_f64(),
        peak_rss_mb()
    );
    println!("| measure | figure | target |\n|---|---|---|");
    for r in &report.rows {
        println!("| {} | {} | {} |", r.what, r.figure, r.target);
    }
    Ok(())
}
