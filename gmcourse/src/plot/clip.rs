//! Clipping lines to the plotted box (plotters draws whatever it is given, also outside
//! the axes). Liang–Barsky segment clipping (Foley et al., *Computer Graphics*, §3.12).

/// Clips the segment `a → b` to `[x0, x1] × [y0, y1]`; `None` when it lies outside.
pub(crate) fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    Some((at(t0), at(t1)))
}

/// Clips a polyline to the box, splitting it where it leaves and re-enters.
pub(crate) fn clip_polyline(
    points: &[(f64, f64)],
    xr: (f64, f64),
    yr: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    if points.len() == 1 {
        let p = points[0];
        if p.0 >= xr.0 && p.0 <= xr.1 && p.1 >= yr.0 && p.1 <= yr.1 {
            pieces.push(vec![p]);
        }
        return pieces;
    }
    for w in points.windows(2) {
        match clip_segment(w[0], w[1], xr, yr) {
            Some((p, q)) => {
                if current.last() != Some(&p) {
                    if !current.is_empty() {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.push(p);
                }
                current.push(q);
            }
            None => {
                if !current.is_empty() {
                    pieces.push(std::mem::take(&mut current));
                }
            }
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_inside_the_box_is_unchanged() {
        let pts = [(0.0, 0.0), (0.5, 0.5), (1.0, 0.0)];
        assert_eq!(
            clip_polyline(&pts, (0.0, 1.0), (0.0, 1.0)),
            vec![pts.to_vec()]
        );
    }

    #[test]
    fn a_line_leaving_the_top_is_cut_at_the_edge_and_split() {
        // y = 4x(1-x) sampled at 0, 0.5, 1 peaks at 1; the box ends at 0.5.
        let pts = [(0.0, 0.0), (0.5, 1.0), (1.0, 0.0)];
        let pieces = clip_polyline(&pts, (0.0, 1.0), (0.0, 0.5));
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0], vec![(0.0, 0.0), (0.25, 0.5)]);
        assert_eq!(pieces[1], vec![(0.75, 0.5), (1.0, 0.0)]);
    }

    #[test]
    fn a_segment_entirely_outside_is_dropped() {
        assert!(clip_segment((2.0, 2.0), (3.0, 3.0), (0.0, 1.0), (0.0, 1.0)).is_none());
    }
}
