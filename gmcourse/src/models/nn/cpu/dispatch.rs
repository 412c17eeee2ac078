//! The instruction set the CPU kernels use, detected once when the program runs.
//!
//! ```
//! use gmcourse::models::nn::cpu::Isa;
//! let isa = Isa::detected();
//! assert!(isa.is_supported());
//! assert!(Isa::Portable.is_supported());
//! println!("{}", gmcourse::models::nn::cpu::dispatch::describe());
//! ```

use std::sync::OnceLock;

use crate::{Error, Result};

/// One family of code paths. Ordered from the most portable to the widest vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Isa {
    /// Plain Rust compiled for the target's baseline: SSE2 on x86-64, NEON on aarch64,
    /// without fused multiply-adds. The reference the other paths are tested against.
    Portable,
    /// aarch64 (NEON is always there): the portable loops with fused multiply-adds, and the
    /// `gemm` crate's NEON kernels for the matrix products.
    Neon,
    /// x86-64 with AVX2 and FMA: 8 lanes of f32, fused multiply-add.
    Avx2,
    /// x86-64 with AVX-512 F: 16 lanes of f32, 32 vector registers, mask registers.
    Avx512,
}

impl Isa {
    /// Every path, most portable first.
    pub const ALL: [Isa; 4] = [Isa::Portable, Isa::Neon, Isa::Avx2, Isa::Avx512];

    /// The lower-case name used by `GMCOURSE_CPU` and in benchmark output.
    ///
    /// ```
    /// assert_eq!(gmcourse::models::nn::cpu::Isa::Avx512.name(), "avx512");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Isa::Portable => "portable",
            Isa::Neon => "neon",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    /// Whether this CPU can run the path (checked when the program runs).
    pub fn is_supported(self) -> bool {
        match self {
            Isa::Portable => true,
            Isa::Neon => cfg!(target_arch = "aarch64"),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            Isa::Avx2 | Isa::Avx512 => false,
        }
    }

    /// The paths this CPU can run, most portable first.
    ///
    /// ```
    /// let paths = gmcourse::models::nn::cpu::Isa::supported();
    /// assert_eq!(paths[0], gmcourse::models::nn::cpu::Isa::Portable);
    /// ```
    pub fn supported() -> Vec<Isa> {
        Isa::ALL.into_iter().filter(|i| i.is_supported()).collect()
    }

    /// The widest path this CPU runs, capped by `GMCOURSE_CPU` if it is set; detected once
    /// per process.
    pub fn detected() -> Isa {
        static DETECTED: OnceLock<Isa> = OnceLock::new();
        *DETECTED.get_or_init(|| {
            let best = Isa::supported().into_iter().max().unwrap_or(Isa::Portable);
            match std::env::var("GMCOURSE_CPU") {
                Ok(cap) => match Isa::parse(&cap) {
                    Ok(cap) => best.min(cap),
                    Err(e) => {
                        eprintln!("warning: {e}; using {}", best.name());
                        best
                    }
                },
                Err(_) => best,
            }
        })
    }

    /// Parses a name of [`Isa::name`].
    ///
    /// ```
    /// use gmcourse::models::nn::cpu::Isa;
    /// assert_eq!(Isa::parse("AVX2")?, Isa::Avx2);
    /// assert!(Isa::parse("sse4").is_err());
    /// # Ok::<(), gmcourse::Error>(())
    /// ```
    pub fn parse(name: &str) -> Result<Isa> {
        let name = name.trim().to_ascii_lowercase();
        Isa::ALL
            .into_iter()
            .find(|i| i.name() == name)
            .ok_or_else(|| Error::invalid("GMCOURSE_CPU", "portable, neon, avx2 or avx512", name))
    }

    /// An error unless this CPU can run the path: the guard in front of every `*_with`.
    pub(crate) fn check(self) -> Result<()> {
        if self.is_supported() {
            Ok(())
        } else {
            Err(Error::invalid(
                "CPU kernel path",
                format!("one this CPU runs ({})", names(&Isa::supported())),
                self.name(),
            ))
        }
    }
}

fn names(isas: &[Isa]) -> String {
    isas.iter().map(|i| i.name()).collect::<Vec<_>>().join(", ")
}

/// The CPU's vector features that matter here, as `/proc/cpuinfo` spells them.
pub fn cpu_flags() -> Vec<&'static str> {
    #[allow(unused_mut)]
    let mut flags = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        macro_rules! probe {
            ($($f:tt),*) => {$(
                if std::arch::is_x86_feature_detected!($f) {
                    flags.push($f);
                }
            )*};
        }
        probe!(
            "sse2",
            "avx",
            "avx2",
            "fma",
            "avx512f",
            "avx512bw",
            "avx512dq",
            "avx512vl",
            "avx512ifma",
            "avx512vbmi"
        );
    }
    #[cfg(target_arch = "aarch64")]
    flags.push("neon");
    flags
}

/// One line naming the CPU, its vector features and the chosen paths, e.g. `cpu: Intel(R)
/// Xeon(R) Processor; flags sse2 avx avx2 fma avx512f …; kernels avx512 (supported:
/// portable, avx2, avx512)`.
pub fn describe() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    format!(
        "cpu: {model}; flags {}; kernels {} (supported: {})",
        cpu_flags().join(" "),
        Isa::detected().name(),
        names(&Isa::supported())
    )
}
