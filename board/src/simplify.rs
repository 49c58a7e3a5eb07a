//! Freehand stroke simplification (Ramer–Douglas–Peucker), in one go or while drawing.
//!
//! The guarantee both give: every point that went in lies within `tolerance` of the
//! polyline that comes out, and the first and last points are kept.

use tandem_protocol::boards::Point;

/// The default tolerance, in board units: at 100 % zoom, a pixel.
pub const DEFAULT_TOLERANCE: f64 = 1.0;

/// Distances to one segment, with its direction worked out once for a whole range.
struct Segment {
    a: Point,
    dx: f64,
    dy: f64,
    len2: f64,
}

impl Segment {
    fn new(a: Point, b: Point) -> Self {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        Segment {
            a,
            dx,
            dy,
            len2: dx * dx + dy * dy,
        }
    }

    fn distance(&self, p: Point) -> f64 {
        let (px, py) = (p.x - self.a.x, p.y - self.a.y);
        let t = if self.len2 > 0.0 {
            ((px * self.dx + py * self.dy) / self.len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        (px - t * self.dx).hypot(py - t * self.dy)
    }
}

/// The indices RDP keeps, ascending. An explicit stack instead of recursion, so a
/// 10,000-point stroke cannot overflow the (small, in wasm) call stack.
fn keep(points: &[Point], tolerance: f64) -> Vec<usize> {
    let n = points.len();
    if n <= 2 {
        return (0..n).collect();
    }
    let mut kept = vec![false; n];
    kept[0] = true;
    kept[n - 1] = true;
    let mut stack = vec![(0, n - 1)];
    while let Some((first, last)) = stack.pop() {
        let (mut farthest, mut distance) = (first, -1.0);
        let segment = Segment::new(points[first], points[last]);
        for (i, p) in points.iter().enumerate().take(last).skip(first + 1) {
            let d = segment.distance(*p);
            if d > distance {
                (farthest, distance) = (i, d);
            }
        }
        if distance > tolerance {
            kept[farthest] = true;
            stack.push((first, farthest));
            stack.push((farthest, last));
        }
    }
    (0..n).filter(|&i| kept[i]).collect()
}

/// The points RDP keeps: first and last always, and any point farther than
/// `tolerance` from the segment between its kept neighbours.
pub fn simplify(points: &[Point], tolerance: f64) -> Vec<Point> {
    keep(points, tolerance.max(0.0))
        .into_iter()
        .map(|i| points[i])
        .collect()
}

/// Raw points at most this many accumulate before the settled prefix is extended, so a
/// push costs O(WINDOW) at worst however long the stroke gets.
const WINDOW: usize = 64;

/// Simplifies a stroke while it is drawn.
///
/// Points closer than a quarter of the tolerance to the previous accepted point are
/// ignored (pointer jitter); the rest are simplified with the remaining three
/// quarters, so every pushed point, ignored or not, is within `tolerance` of the
/// output. The output is `settled` (simplified for good) followed by the simplified
/// `tail` of recent raw points; when the tail fills up, RDP runs on it and all its
/// vertices but the last become settled, that last one anchoring the new tail.
#[derive(Debug, Clone)]
pub struct StrokeBuilder {
    min_step: f64,
    tolerance: f64,
    /// Final vertices; the last one is the anchor the tail starts from.
    settled: Vec<Point>,
    /// Raw accepted points after the anchor.
    tail: Vec<Point>,
    /// The last pushed point, even if ignored, so the stroke ends where the pen did.
    last_pushed: Option<Point>,
}

impl StrokeBuilder {
    pub fn new(tolerance: f64) -> Self {
        let tolerance = if tolerance.is_finite() {
            tolerance.max(0.0)
        } else {
            DEFAULT_TOLERANCE
        };
        StrokeBuilder {
            min_step: tolerance / 4.0,
            tolerance: tolerance * 0.75,
            settled: Vec::new(),
            tail: Vec::new(),
            last_pushed: None,
        }
    }

    pub fn push(&mut self, p: Point) {
        if !(p.x.is_finite() && p.y.is_finite()) {
            return;
        }
        self.last_pushed = Some(p);
        let Some(&last) = self.tail.last().or(self.settled.last()) else {
            self.settled.push(p);
            return;
        };
        if (p.x - last.x).hypot(p.y - last.y) < self.min_step {
            return;
        }
        self.tail.push(p);
        if self.tail.len() >= WINDOW {
            self.settle();
        }
    }

    /// RDP over anchor + tail; every vertex before the last kept one is final, since
    /// later points can only add vertices after it.
    fn settle(&mut self) {
        let anchor = *self
            .settled
            .last()
            .expect("the first point is settled on push");
        let window: Vec<Point> = std::iter::once(anchor)
            .chain(self.tail.iter().copied())
            .collect();
        let kept = keep(&window, self.tolerance);
        let second_last = kept[kept.len() - 2];
        if second_last == 0 || window.len() - second_last > WINDOW / 2 {
            // A long nearly straight run: settle all of it (its end becomes a vertex),
            // or the tail would never shrink and every push would rerun RDP.
            self.settled.extend(kept[1..].iter().map(|&i| window[i]));
            self.tail.clear();
        } else {
            self.settled
                .extend(kept[1..kept.len() - 1].iter().map(|&i| window[i]));
            self.tail.drain(..second_last);
        }
    }

    /// The current shape, for the live preview: settled vertices plus the simplified
    /// tail.
    pub fn points(&self) -> Vec<Point> {
        let Some(&anchor) = self.settled.last() else {
            return Vec::new();
        };
        let mut out = self.settled.clone();
        if !self.tail.is_empty() {
            let window: Vec<Point> = std::iter::once(anchor)
                .chain(self.tail.iter().copied())
                .collect();
            out.extend(
                keep(&window, self.tolerance)
                    .into_iter()
                    .skip(1)
                    .map(|i| window[i]),
            );
        }
        out
    }

    /// The finished stroke; it ends exactly at the last point pushed.
    pub fn finish(self) -> Vec<Point> {
        let mut out = self.points();
        if let Some(end) = self.last_pushed {
            // The end is within min_step of the last vertex, so moving that vertex
            // there keeps the bound; a one-point stroke keeps its start and gains it.
            match out.len() {
                0 => {}
                1 if out[0] != end => out.push(end),
                1 => {}
                n => out[n - 1] = end,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::distance_to_polyline;

    /// A dense wobbly spiral: many points, every one a little off a smooth curve.
    fn dense_curve(n: usize) -> Vec<Point> {
        (0..n)
            .map(|i| {
                // About one point every 0.15 units, as a pointer sends them.
                let t = i as f64 / 400.0;
                let r = 50.0 + 10.0 * t;
                Point {
                    x: r * t.cos() + 0.2 * (i as f64 * 1.7).sin(),
                    y: r * t.sin(),
                }
            })
            .collect()
    }

    fn assert_within(raw: &[Point], simplified: &[Point], tolerance: f64) {
        for (i, p) in raw.iter().enumerate() {
            let d = distance_to_polyline(*p, simplified);
            assert!(
                d <= tolerance + 1e-9,
                "raw point {i} is {d} from the simplified stroke"
            );
        }
    }

    #[test]
    fn keeps_the_shape_within_the_tolerance_and_drops_points() {
        let raw = dense_curve(2_000);
        for tolerance in [0.5, DEFAULT_TOLERANCE, 3.0] {
            let out = simplify(&raw, tolerance);
            assert_eq!(out.first(), raw.first());
            assert_eq!(out.last(), raw.last());
            assert_within(&raw, &out, tolerance);
            assert!(
                out.len() * 3 < raw.len(),
                "{} of {} points kept",
                out.len(),
                raw.len()
            );
        }
        // A bigger tolerance never keeps more.
        assert!(simplify(&raw, 3.0).len() < simplify(&raw, 0.5).len());
    }

    #[test]
    fn corners_survive_and_straight_runs_collapse() {
        let line: Vec<Point> = (0..=100)
            .map(|i| Point {
                x: i as f64,
                y: 0.0,
            })
            .collect();
        assert_eq!(simplify(&line, 0.1), vec![line[0], line[100]]);
        let mut corner = line.clone();
        corner.extend((1..=100).map(|i| Point {
            x: 100.0,
            y: i as f64,
        }));
        assert_eq!(
            simplify(&corner, 0.1),
            vec![corner[0], corner[100], corner[200]]
        );
        assert!(simplify(&[], 1.0).is_empty());
        let one = [Point { x: 1.0, y: 2.0 }];
        assert_eq!(simplify(&one, 1.0), one.to_vec());
    }

    #[test]
    fn ten_thousand_points_do_not_recurse() {
        // A zigzag keeps every point and splits each range one point from its start:
        // 10,000 levels deep for a recursive RDP, which would overflow this small stack.
        let out = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(|| {
                let raw: Vec<Point> = (0..10_000)
                    .map(|i| Point {
                        x: i as f64,
                        y: (i % 2) as f64 * 10.0,
                    })
                    .collect();
                simplify(&raw, 1.0).len()
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(out, 10_000);
    }

    #[test]
    fn the_builder_obeys_the_same_bound() {
        let raw = dense_curve(3_000);
        for tolerance in [0.5, DEFAULT_TOLERANCE, 4.0] {
            let mut builder = StrokeBuilder::new(tolerance);
            for (i, p) in raw.iter().enumerate() {
                builder.push(*p);
                if i % 97 == 0 {
                    // The live preview obeys the bound for what has been drawn so far.
                    assert_within(&raw[..=i], &builder.points(), tolerance);
                }
            }
            let out = builder.finish();
            assert_eq!(out.first(), raw.first());
            assert_eq!(out.last(), raw.last());
            assert_within(&raw, &out, tolerance);
            assert!(
                out.len() * 3 < raw.len(),
                "{} of {} points kept",
                out.len(),
                raw.len()
            );
        }
    }

    #[test]
    fn the_builder_ignores_jitter_and_settles_long_lines() {
        let mut builder = StrokeBuilder::new(1.0);
        builder.push(Point { x: 0.0, y: 0.0 });
        builder.push(Point { x: 0.1, y: 0.0 });
        assert_eq!(builder.points(), vec![Point { x: 0.0, y: 0.0 }]);
        for i in 1..=10_000 {
            builder.push(Point {
                x: i as f64,
                y: 0.0,
            });
        }
        assert!(builder.tail.len() < WINDOW);
        let out = builder.finish();
        assert_eq!(
            out.last(),
            Some(&Point {
                x: 10_000.0,
                y: 0.0
            })
        );
        // Forced settles add a vertex per window at most.
        assert!(
            out.len() <= 2 + 10_000 / (WINDOW / 2),
            "{} points",
            out.len()
        );
        assert!(StrokeBuilder::new(1.0).finish().is_empty());
    }
}
