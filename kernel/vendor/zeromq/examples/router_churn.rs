//! Stress for the ROUTER and REP sockets (gmcourse, PATCHES.md 2), the kernel's shell,
//! control and heartbeat: on a runtime of `WORKERS` workers (4, as the kernel), a ROUTER
//! answers every request to its sender's identity and a REP answers every ping, while
//! clients elsewhere (scripts/tests/test_kernel_zmq.py, libzmq DEALER and REQ) connect,
//! ask, often leave before the answer, and come back. Prints both endpoints on one line,
//! then after `SECS` seconds either `no hang in N s (R router, P rep answers)` (exit 0) or,
//! as soon as either socket answered nothing for 10 s, `HANG …` (exit 1). The watchdog is
//! a plain thread, so a stopped runtime is seen too.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use zeromq::{Socket, SocketRecv, SocketSend};

fn main() {
    let secs: u64 = std::env::var("SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let routed = Arc::new(AtomicU64::new(0));
    let replied = Arc::new(AtomicU64::new(0));
    let (watch_r, watch_p) = (routed.clone(), replied.clone());
    std::thread::spawn(move || {
        let (mut last, mut still) = ((0, 0), (0, 0));
        for sec in 0..secs {
            std::thread::sleep(Duration::from_secs(1));
            let now = (watch_r.load(Ordering::Relaxed), watch_p.load(Ordering::Relaxed));
            still.0 = if now.0 == last.0 { still.0 + 1 } else { 0 };
            still.1 = if now.1 == last.1 { still.1 + 1 } else { 0 };
            if still.0 >= 10 || still.1 >= 10 {
                let which = if still.0 >= 10 { "ROUTER" } else { "REP" };
                println!("HANG after {sec} s: the {which} answered nothing for 10 s ({} router, {} rep answers)", now.0, now.1);
                std::process::exit(1);
            }
            last = now;
        }
        println!("no hang in {secs} s ({} router, {} rep answers)", last.0, last.1);
        std::process::exit(0);
    });
    let workers: usize = std::env::var("WORKERS").ok().and_then(|s| s.parse().ok()).unwrap_or(4);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut router = zeromq::RouterSocket::new();
        let router_at = router.bind("tcp://127.0.0.1:0").await.unwrap();
        let mut rep = zeromq::RepSocket::new();
        let rep_at = rep.bind("tcp://127.0.0.1:0").await.unwrap();
        println!("{router_at} {rep_at}");
        use std::io::Write;
        std::io::stdout().flush().unwrap();
        tokio::spawn(async move {
            loop {
                // A departed client's ping is answered into the void; errors are expected.
                if rep.recv().await.is_ok() && rep.send("pong".into()).await.is_ok() {
                    replied.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        loop {
            // The request comes back to its sender with the identity frame in front, as
            // the kernel answers on shell; a sender already gone is not an error here.
            if let Ok(request) = router.recv().await {
                if router.send(request).await.is_ok() {
                    routed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    });
}
