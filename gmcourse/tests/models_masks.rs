use gmcourse::models::nn::masks::{Cell, Context, receptive_field};

fn count(grid: &[Vec<Cell>]) -> usize {
    grid.iter()
        .flatten()
        .filter(|&&c| c == Cell::Context)
        .count()
}

#[test]
fn chain_rule_context_of_a_pixel_is_every_earlier_pixel_in_raster_order() {
    // pixel (3, 4) of a 7×7 image comes after 3·7 + 4 = 25 pixels
    let g = receptive_field(Context::ChainRule, 7, 7, 3, 4).unwrap();
    assert_eq!(count(&g), 25);
}

#[test]
fn row_lstm_sees_a_triangle_and_misses_part_of_the_context() {
    let g = receptive_field(Context::RowLstm, 10, 10, 5, 5).unwrap();
    assert_eq!(g[5][4], Cell::Context); // left neighbour, via the input-to-state conv
    assert_eq!(g[5][3], Cell::Context); // two left, through the first masked layer
    assert_eq!(g[5][2], Cell::Unseen); // further left in the same row: missed
    assert_eq!(g[4][4], Cell::Context);
    assert_eq!(g[4][8], Cell::Unseen); // upper right, outside the triangle
    assert_eq!(g[0][9], Cell::Context); // five rows up, the triangle reaches the edge
    assert_eq!(g[3][0], Cell::Unseen); // but not the far left two rows up
    assert_eq!(g[2][9], Cell::Unseen); // nor the far right three rows up
    let full = receptive_field(Context::ChainRule, 10, 10, 5, 5).unwrap();
    assert!(count(&g) < count(&full));
    // nothing outside the chain-rule context is ever used
    for r in 0..10 {
        for c in 0..10 {
            if g[r][c] == Cell::Context {
                assert_eq!(full[r][c], Cell::Context, "({r}, {c})");
            }
        }
    }
}

#[test]
fn pixelcnn_has_a_blind_spot_however_many_layers() {
    for layers in [1, 3, 8] {
        let g = receptive_field(Context::PixelCnn { layers }, 20, 20, 10, 10).unwrap();
        assert_eq!(g[9][12], Cell::Unseen, "layers = {layers}"); // one row up, two right
        assert_eq!(g[10][9], Cell::Context);
        assert_eq!(g[10][11], Cell::Unseen); // the future is never seen
    }
    // a deeper stack sees further
    let g3 = receptive_field(Context::PixelCnn { layers: 3 }, 20, 20, 10, 10).unwrap();
    let g8 = receptive_field(Context::PixelCnn { layers: 8 }, 20, 20, 10, 10).unwrap();
    assert!(count(&g8) > count(&g3));
    assert_eq!(g8[5][15], Cell::Context);
}

#[test]
fn a_pixel_outside_the_image_is_refused() {
    let err = receptive_field(Context::RowLstm, 4, 4, 4, 0).unwrap_err();
    assert!(err.to_string().contains("row < 4"), "{err}");
}

#[test]
fn every_computed_field_is_causal_and_the_diagonal_bilstm_misses_only_the_last_pixel_above() {
    let (h, w) = (6, 7);
    for r in 0..h {
        for c in 0..w {
            let full = receptive_field(Context::ChainRule, h, w, r, c).unwrap();
            // One layer over a 3×3 mask-A first layer: the left scan reaches the row above
            // up to column c + 1, the right scan (shifted down a row) up to w − 2, so only
            // x(r − 1, w − 1) is out of reach, when it lies beyond c + 1.
            let mut expected = full.clone();
            if r > 0 && c + 2 < w {
                expected[r - 1][w - 1] = Cell::Unseen;
            }
            assert_eq!(
                receptive_field(Context::DiagonalBiLstm, h, w, r, c).unwrap(),
                expected,
                "Diagonal BiLSTM at ({r}, {c})"
            );
            for ctx in [Context::RowLstm, Context::PixelCnn { layers: 4 }] {
                let g = receptive_field(ctx, h, w, r, c).unwrap();
                for (i, (a, b)) in g.iter().flatten().zip(full.iter().flatten()).enumerate() {
                    if *a == Cell::Context {
                        assert_eq!(*b, Cell::Context, "{ctx:?} at ({r}, {c}) uses pixel {i}");
                    }
                }
            }
        }
    }
}
