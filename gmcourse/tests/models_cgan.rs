use gmcourse::Error;
use gmcourse::data::RingConfig;
use gmcourse::models::Model;
use gmcourse::models::gan::OutputActivation;
use gmcourse::models::{Cgan, CganConfig, TrainConfig, cgan, train};

#[test]
fn cgan_on_the_ring_puts_each_label_at_its_own_mode() {
    let modes = 4;
    let ring = RingConfig {
        modes,
        radius: 2.0,
        sigma: 0.05,
    };
    let (x, y) = ring.draw_labelled(&mut train::rng(0), 2000).unwrap();
    let x = x.to_tensor().unwrap();
    let cfg = CganConfig::toy_2d(modes);
    assert_eq!(cfg.output, OutputActivation::Linear);
    let (c, varmap) = Cgan::seeded(&cfg, 0).unwrap();
    let tc = TrainConfig {
        steps: 800,
        batch_size: 128,
        lr: 1e-3,
        log_every: 400,
        ..Default::default()
    };
    cgan::train(&c, &varmap, &x, &y, &tc).unwrap();
    let centers = ring.centers();
    let mut rng = train::rng(5);
    for k in 0..modes as u32 {
        let s = c
            .sample(&vec![k; 200], &mut rng)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        let [cx, cy] = centers[k as usize];
        let near = s
            .iter()
            .filter(|p| ((p[0] as f64 - cx).powi(2) + (p[1] as f64 - cy).powi(2)).sqrt() < 0.5)
            .count();
        println!("label {k}: {near}/200 samples near its mode");
        assert!(
            near > 120,
            "label {k}: only {near}/200 samples near ({cx}, {cy})"
        );
    }
}

#[test]
fn a_label_beyond_the_class_count_is_refused() {
    let (c, _) = Cgan::seeded(&CganConfig::default(), 0).unwrap();
    let err = c.sample(&[1, 10], &mut train::rng(0)).unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err}");
    assert!(err.to_string().contains("class indices below 10"), "{err}");
}
