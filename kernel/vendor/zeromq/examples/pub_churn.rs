//! Stress for the PUB socket (gmcourse, PATCHES.md 1): the socket sends without pause on a
//! runtime of `WORKERS` workers (4) while subscribers elsewhere (scripts/tests/test_kernel_zmq.py, libzmq)
//! connect, subscribe and leave. Prints its endpoint, then after `SECS` seconds either
//! `no hang in N s (M sent)` (exit 0) or, as soon as no message was sent for 10 s,
//! `HANG …` (exit 1). The watchdog is a plain thread, so a stopped runtime is seen too.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use zeromq::{Socket, SocketSend, ZmqMessage};

fn main() {
    let secs: u64 = std::env::var("SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let sent = Arc::new(AtomicU64::new(0));
    let watched = sent.clone();
    std::thread::spawn(move || {
        let (mut last, mut still) = (0, 0);
        for sec in 0..secs {
            std::thread::sleep(Duration::from_secs(1));
            let now = watched.load(Ordering::Relaxed);
            still = if now == last { still + 1 } else { 0 };
            if still >= 10 {
                println!("HANG after {sec} s: no message sent for 10 s ({now} sent)");
                std::process::exit(1);
            }
            last = now;
        }
        println!("no hang in {secs} s ({last} sent)");
        std::process::exit(0);
    });
    let workers: usize = std::env::var("WORKERS").ok().and_then(|s| s.parse().ok()).unwrap_or(4);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut publisher = zeromq::PubSocket::new();
        let endpoint = publisher.bind("tcp://127.0.0.1:0").await.unwrap();
        println!("{endpoint}");
        use std::io::Write;
        std::io::stdout().flush().unwrap();
        loop {
            publisher.send(ZmqMessage::from("status")).await.unwrap();
            sent.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
    });
}
