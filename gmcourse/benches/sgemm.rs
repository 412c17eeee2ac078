//! GFLOP/s of the matrix products under the course's dense layers, on every CPU path this
//! machine runs (`models::nn::cpu::sgemm`), next to the `gemm` crate (candle's kernel) and,
//! built with `--features openblas`, OpenBLAS; and the machine's measured peak: the best
//! of them on a large product. `bench/train_speed.sh` uses the peak line.
//!
//! Usage: `cargo bench -p gmcourse --bench sgemm [--features openblas] --
//! [shapes|conv|peak]...` (default all three; `conv`: the products under the DCGAN's
//! convolutions; `RAYON_NUM_THREADS` sets the threads, `ROUNDS` the interleaved rounds,
//! default 5). Prints `PEAK <GFLOP/s> <path>` and `NOMINAL <GFLOP/s> <how>` lines.

use std::time::Instant;

use gmcourse::models::nn::cpu::{Isa, dispatch, sgemm::sgemm_with};

mod common;
use common::peak_rss_mb;

/// A path under test: one of ours, or a peer library.
#[derive(Clone, Copy, PartialEq)]
enum Path {
    Ours(Isa),
    GemmCrate,
    #[cfg(feature = "openblas")]
    OpenBlas,
}

impl Path {
    fn name(self) -> String {
        match self {
            Path::Ours(isa) => isa.name().to_string(),
            Path::GemmCrate => "gemm-crate".into(),
            #[cfg(feature = "openblas")]
            Path::OpenBlas => "openblas".into(),
        }
    }
}

fn paths() -> Vec<Path> {
    let mut p: Vec<Path> = Isa::supported().into_iter().map(Path::Ours).collect();
    p.push(Path::GemmCrate);
    #[cfg(feature = "openblas")]
    p.push(Path::OpenBlas);
    p
}

#[cfg(feature = "openblas")]
#[link(name = "libopenblas.so.0", kind = "dylib", modifiers = "+verbatim")]
unsafe extern "C" {
    fn cblas_sgemm(
        layout: i32,
        ta: i32,
        tb: i32,
        m: i32,
        n: i32,
        k: i32,
        alpha: f32,
        a: *const f32,
        lda: i32,
        b: *const f32,
        ldb: i32,
        beta: f32,
        c: *mut f32,
        ldc: i32,
    );
}

/// One product `c = op(a) op(b)` of the given shape.
struct Product {
    name: String,
    ta: bool,
    tb: bool,
    m: usize,
    n: usize,
    k: usize,
    a: Vec<f32>,
    b: Vec<f32>,
    c: Vec<f32>,
}

impl Product {
    fn new(name: String, ta: bool, tb: bool, m: usize, n: usize, k: usize) -> Self {
        let a = (0..m * k)
            .map(|i| ((i * 7) % 13) as f32 * 0.1 - 0.6)
            .collect();
        let b = (0..k * n)
            .map(|i| ((i * 5) % 11) as f32 * 0.1 - 0.5)
            .collect();
        Self {
            name,
            ta,
            tb,
            m,
            n,
            k,
            a,
            b,
            c: vec![0.0; m * n],
        }
    }

    fn flops(&self) -> f64 {
        2.0 * (self.m * self.n * self.k) as f64
    }

    fn run(&mut self, path: Path) {
        let (ta, tb, m, n, k) = (self.ta, self.tb, self.m, self.n, self.k);
        match path {
            Path::Ours(isa) => {
                sgemm_with(isa, ta, tb, m, n, k, &self.a, &self.b, 0.0, &mut self.c)
                    .expect("sgemm");
            }
            Path::GemmCrate => {
                let (a_rs, a_cs) = if ta { (1, m as isize) } else { (k as isize, 1) };
                let (b_rs, b_cs) = if tb { (1, k as isize) } else { (n as isize, 1) };
                let threads = rayon::current_num_threads();
                let par = if threads > 1 {
                    gemm::Parallelism::Rayon(threads)
                } else {
                    gemm::Parallelism::None
                };
                // SAFETY: the buffers hold the matrices of these shapes and strides.
                unsafe {
                    gemm::gemm(
                        m,
                        n,
                        k,
                        self.c.as_mut_ptr(),
                        1,
                        n as isize,
                        false,
                        self.a.as_ptr(),
                        a_cs,
                        a_rs,
                        self.b.as_ptr(),
                        b_cs,
                        b_rs,
                        0.0,
                        1.0,
                        false,
                        false,
                        false,
                        par,
                    )
                };
            }
            #[cfg(feature = "openblas")]
            Path::OpenBlas => {
                let lda = if ta { m } else { k };
                let ldb = if tb { k } else { n };
                // SAFETY: as above.
                unsafe {
                    cblas_sgemm(
                        101,
                        if ta { 112 } else { 111 },
                        if tb { 112 } else { 111 },
                        m as i32,
                        n as i32,
                        k as i32,
                        1.0,
                        self.a.as_ptr(),
                        lda as i32,
                        self.b.as_ptr(),
                        ldb as i32,
                        0.0,
                        self.c.as_mut_ptr(),
                        n as i32,
                    )
                };
            }
        }
    }

    /// GFLOP/s over about `secs` seconds of repeated runs (of this thread's CPU time with
    /// `CPU_TIME=1`, for tuning a kernel on one thread of a loaded machine).
    fn rate(&mut self, path: Path, secs: f64) -> f64 {
        self.run(path);
        let reps = ((secs * 5e10 / self.flops()) as usize).max(2);
        let cpu = std::env::var("CPU_TIME").is_ok_and(|v| v == "1");
        let clock = || {
            if cpu {
                thread_cpu_secs()
            } else {
                EPOCH.elapsed().as_secs_f64()
            }
        };
        let start = clock();
        let mut done = 0;
        while done < reps || clock() - start < secs * 0.5 {
            self.run(path);
            done += 1;
        }
        self.flops() * done as f64 / (clock() - start) / 1e9
    }
}

static EPOCH: std::sync::LazyLock<Instant> = std::sync::LazyLock::new(Instant::now);

/// Seconds this thread has run on a CPU (`/proc/thread-self/schedstat`, nanoseconds).
fn thread_cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// The products of a dense layer `inp → out` at `batch`: forward, ∂x, ∂W.
fn layer(batch: usize, inp: usize, out: usize) -> Vec<Product> {
    vec![
        Product::new(
            format!("fwd {batch}x{inp}->{out}"),
            false,
            true,
            batch,
            out,
            inp,
        ),
        Product::new(
            format!("dx  {batch}x{inp}->{out}"),
            false,
            false,
            batch,
            inp,
            out,
        ),
        Product::new(
            format!("dW  {batch}x{inp}->{out}"),
            true,
            false,
            out,
            inp,
            batch,
        ),
    ]
}

/// The products under the DCGAN's convolutions (`models::nn::conv`, batch 64, `C = 32`):
/// forward, ∂x and ∂W of each layer, as `conv.rs` calls them.
fn conv_products() -> Vec<Product> {
    let mut v = Vec::new();
    // (layer, large channels, small channels, small side, transposed)
    for (name, big_c, small_c, side, transposed) in [
        ("D1", 1, 32, 14, false),
        ("D2", 32, 64, 7, false),
        ("G1", 32, 64, 7, true),
        ("G2", 1, 32, 14, true),
    ] {
        let (rows, cols, o) = (big_c * 16, 64 * side * side, small_c);
        let mut add = |what: &str, ta, tb, m, n, k| {
            v.push(Product::new(format!("{what} {name}"), ta, tb, m, n, k))
        };
        if transposed {
            add("fwd", true, false, rows, cols, o);
            add("dx ", false, false, o, cols, rows);
        } else {
            add("fwd", false, false, o, cols, rows);
            add("dx ", true, false, rows, cols, o);
        }
        add("dW ", false, true, o, rows, cols);
    }
    v
}

fn table(products: &mut [Product], rounds: usize) {
    let paths = paths();
    print!("{:<22}", "product (GFLOP/s)");
    for p in &paths {
        print!(" {:>10}", p.name());
    }
    println!();
    for prod in products.iter_mut() {
        let mut rates = vec![Vec::new(); paths.len()];
        for _ in 0..rounds {
            for (r, &p) in rates.iter_mut().zip(&paths) {
                r.push(prod.rate(p, 0.05));
            }
        }
        print!("{:<22}", prod.name);
        for r in rates {
            print!(" {:>10.1}", median(r));
        }
        println!();
    }
}

/// The best path on a large square product, and its rate.
fn peak(rounds: usize) -> (f64, String) {
    let mut prod = Product::new("peak".into(), false, false, 1536, 1536, 1536);
    let mut best = (0.0, String::new());
    for p in paths() {
        let rate = median((0..rounds.max(3)).map(|_| prod.rate(p, 0.3)).collect());
        println!("large sgemm 1536³, {}: {rate:.1} GFLOP/s", p.name());
        if rate > best.0 {
            best = (rate, p.name());
        }
    }
    best
}

/// Cores × clock × FLOP per cycle of the detected instruction set (two FMA units of 16,
/// 8 or 4 lanes; for SSE2 an add and a multiply unit of 4 lanes). The clock is the one
/// /proc/cpuinfo reports, which may be below the turbo clock the cores really run at.
fn nominal() -> (f64, String) {
    let mhz = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("cpu MHz"))
                .and_then(|l| l.split(':').nth(1))
                .and_then(|v| v.trim().parse::<f64>().ok())
        })
        .unwrap_or(f64::NAN);
    let cores = rayon::current_num_threads();
    let per_cycle = match Isa::detected() {
        Isa::Avx512 => 64.0,
        Isa::Avx2 => 32.0,
        Isa::Neon => 16.0,
        Isa::Portable => 8.0,
    };
    (
        cores as f64 * mhz / 1000.0 * per_cycle,
        format!(
            "{cores} threads x {:.2} GHz x {per_cycle} FLOP/cycle ({})",
            mhz / 1000.0,
            Isa::detected().name()
        ),
    )
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let want = |w: &str| args.is_empty() || args.iter().any(|a| a == w);
    let rounds = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    println!("{}", dispatch::describe());
    println!(
        "threads {}, load average {}",
        rayon::current_num_threads(),
        std::fs::read_to_string("/proc/loadavg")
            .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    );
    if want("shapes") {
        let mut products = Vec::new();
        for (inp, out) in [(784, 400), (400, 784), (784, 500), (500, 784), (400, 20)] {
            products.extend(layer(100, inp, out));
        }
        for (inp, out) in [(256, 512), (512, 784), (784, 512), (512, 256)] {
            products.extend(layer(100, inp, out));
        }
        table(&mut products, rounds);
    }
    if want("conv") {
        table(&mut conv_products(), rounds);
    }
    if want("peak") {
        let (rate, path) = peak(rounds);
        println!("PEAK {rate:.1} {path}");
        let (nom, how) = nominal();
        println!("NOMINAL {nom:.1} {how}");
    }
    println!("peak RSS {:.0} MB", peak_rss_mb());
}
