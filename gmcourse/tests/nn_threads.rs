//! `models::nn::cpu::threads`: the main thread joins rayon's global pool as worker 0,
//! another thread never does (not even one named `main`), and products split over the pool give the same
//! bits from the main thread, from a thread outside the pool, and on one thread. Without
//! a test harness, so that `main` runs on the process's main thread.

use gmcourse::models::nn::cpu::sgemm::sgemm_new;
use gmcourse::models::nn::cpu::threads;

/// A product large enough to be split over the threads.
fn product() -> Vec<f32> {
    let (m, n, k) = (64, 800, 256);
    let a: Vec<f32> = (0..m * k)
        .map(|i| ((i * 7919) % 1000) as f32 / 1000.0 - 0.5)
        .collect();
    let b: Vec<f32> = (0..k * n)
        .map(|i| ((i * 104729) % 997) as f32 / 997.0 - 0.5)
        .collect();
    sgemm_new(true, false, m, n, k, &a, &b).expect("the product")
}

fn main() {
    assert_eq!(std::thread::current().name(), Some("main"));
    // another thread, even one named `main`: it neither joins nor uses up the main
    // thread's turn
    #[cfg(target_os = "linux")]
    let name = "main";
    #[cfg(not(target_os = "linux"))]
    let name = "helper";
    std::thread::Builder::new()
        .name(name.into())
        .spawn(|| {
            threads::join_pool();
            assert_eq!(
                rayon::current_thread_index(),
                None,
                "a helper joined the pool"
            );
        })
        .unwrap()
        .join()
        .unwrap();

    threads::join_pool();
    if rayon::current_num_threads() < 2 {
        // a pool of one: the main thread stays outside it (another thread's jobs would wait)
        assert_eq!(rayon::current_thread_index(), None, "joined a pool of one");
        passed("one thread: the main thread stays outside the pool");
        return;
    }
    assert_eq!(
        rayon::current_thread_index(),
        Some(0),
        "the main thread is not worker 0 of the global pool"
    );
    assert!(threads::in_pool());
    assert_eq!(threads::count(), rayon::current_num_threads());
    threads::join_pool(); // a second call changes nothing
    assert_eq!(rayon::current_thread_index(), Some(0));

    let here = product();
    // from a thread outside the pool: the pool's other workers run it, to the same bits
    let outside = std::thread::spawn(product).join().unwrap();
    assert_eq!(here, outside, "a product from outside the pool differs");
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(product);
    assert_eq!(here, one, "the split product differs from one thread's");
    passed(&format!(
        "the main thread is worker 0 of {} threads",
        threads::count()
    ));
}

/// The closing line libtest prints, which the course's test runner counts.
fn passed(what: &str) {
    println!("nn_threads: {what}");
    println!("test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
}
