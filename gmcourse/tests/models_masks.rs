use gmcourse::models::masks::{Cell, Context, receptive_field};

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
    assert_eq!(
        g,
        receptive_field(Context::DiagonalBiLstm, 7, 7, 3, 4).unwrap()
    );
}

#[test]
fn row_lstm_sees_a_triangle_and_misses_part_of_the_context() {
    let g = receptive_field(Context::RowLstm, 10, 10, 5, 5).unwrap();
    assert_eq!(g[5][4], Cell::Context); // left neighbour, via the input-to-state conv
    assert_eq!(g[5][3], Cell::Unseen); // further left in the same row: missed
    assert_eq!(g[4][4], Cell::Context);
    assert_eq!(g[4][8], Cell::Unseen); // upper right, outside the triangle
    assert_eq!(g[0][9], Cell::Context); // five rows up, the triangle spans c - 6 ..= c + 4
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
