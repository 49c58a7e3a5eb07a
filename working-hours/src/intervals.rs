//! Set arithmetic on lists of half-open intervals `[start, end)`.
//!
//! Every function accepts lists in any order, with overlaps and empty or inverted
//! entries, and returns a *normalised* list: sorted, non-empty, pairwise disjoint and
//! not touching (`a.end < b.start`), because touching intervals are merged. So the
//! output of one function is always a fair input to the next, and a list's length is
//! the number of separate stretches of time in it.
//!
//! Durations are exact milliseconds; [`total_minutes`] rounds down only at the end, so
//! summing the pieces of a split interval never loses time.

use tandem_protocol::working_hours::Interval;
use tandem_protocol::Timestamp;

pub const MS_PER_MINUTE: i64 = 60_000;

/// Sorts, drops empty/inverted entries, and merges overlapping or touching ones.
pub fn normalize(intervals: &[Interval]) -> Vec<Interval> {
    let mut sorted: Vec<Interval> = intervals
        .iter()
        .copied()
        .filter(|i| i.start < i.end)
        .collect();
    sorted.sort_unstable_by_key(|i| (i.start, i.end));
    let mut out: Vec<Interval> = Vec::with_capacity(sorted.len());
    for i in sorted {
        match out.last_mut() {
            Some(last) if i.start <= last.end => last.end = last.end.max(i.end),
            _ => out.push(i),
        }
    }
    out
}

/// Everything in `a` or `b`.
pub fn union(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let all: Vec<Interval> = a.iter().chain(b).copied().collect();
    normalize(&all)
}

/// Everything in both `a` and `b`.
pub fn intersect(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let (a, b) = (normalize(a), normalize(b));
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    // Both lists are sorted and disjoint: walk them together, always advancing the one
    // that ends first (it cannot overlap anything further in the other list).
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        if start < end {
            out.push(Interval { start, end });
        }
        if a[i].end <= b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    // Pieces of two normalised lists are sorted and cannot touch (that would need two
    // touching intervals in one of the inputs), so `out` is already normalised.
    out
}

/// Everything in `a` that is not in `b`.
pub fn subtract(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let (a, b) = (normalize(a), normalize(b));
    let mut out = Vec::new();
    let mut j = 0;
    for piece in a {
        let mut start = piece.start;
        // Skip holes that end before this piece starts; they cannot touch later pieces.
        while j < b.len() && b[j].end <= start {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].start < piece.end {
            if b[k].start > start {
                out.push(Interval {
                    start,
                    end: b[k].start,
                });
            }
            start = start.max(b[k].end);
            k += 1;
        }
        if start < piece.end {
            out.push(Interval {
                start,
                end: piece.end,
            });
        }
    }
    out
}

/// The parts of `intervals` inside `[from, to)`.
pub fn clip(intervals: &[Interval], from: Timestamp, to: Timestamp) -> Vec<Interval> {
    intersect(
        intervals,
        &[Interval {
            start: from,
            end: to,
        }],
    )
}

/// Whether `t` lies in one of the intervals (`start <= t < end`).
pub fn contains(intervals: &[Interval], t: Timestamp) -> bool {
    intervals.iter().any(|i| i.start <= t && t < i.end)
}

/// Total length in milliseconds of the time covered (overlaps counted once).
pub fn total_ms(intervals: &[Interval]) -> i64 {
    normalize(intervals)
        .iter()
        .fold(0i64, |sum, i| sum.saturating_add(i.end - i.start))
}

/// Total length in whole minutes: exact milliseconds, rounded down once at the end.
pub fn total_minutes(intervals: &[Interval]) -> u64 {
    // total_ms is never negative (normalised intervals have start < end).
    (total_ms(intervals) / MS_PER_MINUTE) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(start: i64, end: i64) -> Interval {
        Interval { start, end }
    }

    #[test]
    fn normalize_sorts_merges_touching_and_drops_empty() {
        let got = normalize(&[
            iv(10, 20),
            iv(0, 5),
            iv(5, 7),
            iv(15, 30),
            iv(40, 40),
            iv(50, 45),
        ]);
        assert_eq!(got, vec![iv(0, 7), iv(10, 30)]);
        assert_eq!(
            union(&[iv(0, 1)], &[iv(1, 2), iv(3, 4)]),
            vec![iv(0, 2), iv(3, 4)]
        );
    }

    #[test]
    fn intersect_walks_both_lists() {
        let a = [iv(0, 10), iv(20, 30), iv(40, 50)];
        let b = [iv(5, 25), iv(28, 45)];
        assert_eq!(
            intersect(&a, &b),
            vec![iv(5, 10), iv(20, 25), iv(28, 30), iv(40, 45)]
        );
        assert_eq!(intersect(&a, &[]), vec![]);
        // b is normalised first: its touching entries act as one.
        assert_eq!(
            intersect(&[iv(0, 10)], &[iv(0, 5), iv(5, 8)]),
            vec![iv(0, 8)]
        );
    }

    #[test]
    fn subtract_cuts_holes() {
        let a = [iv(0, 10), iv(20, 30)];
        let b = [iv(2, 4), iv(8, 22), iv(25, 26), iv(29, 100)];
        assert_eq!(
            subtract(&a, &b),
            vec![iv(0, 2), iv(4, 8), iv(22, 25), iv(26, 29)]
        );
        assert_eq!(subtract(&a, &[]), a.to_vec());
        assert_eq!(subtract(&a, &[iv(-5, 50)]), vec![]);
        // A hole touching the start or end removes nothing outside it.
        assert_eq!(
            subtract(&[iv(0, 10)], &[iv(-5, 0), iv(10, 12)]),
            vec![iv(0, 10)]
        );
    }

    #[test]
    fn clip_contains_and_totals() {
        let a = [iv(0, 90_000), iv(100_000, 250_000)];
        assert_eq!(
            clip(&a, 60_000, 120_000),
            vec![iv(60_000, 90_000), iv(100_000, 120_000)]
        );
        assert!(contains(&a, 0) && contains(&a, 89_999) && !contains(&a, 90_000));
        // 90 000 + 150 000 = 240 000 ms = 4 minutes exactly; overlaps count once.
        assert_eq!(
            total_ms(&[iv(0, 90_000), iv(0, 90_000), iv(100_000, 250_000)]),
            240_000
        );
        assert_eq!(total_minutes(&a), 4);
        // Two 30.5 s pieces make 61 s: 1 minute (rounded once, not 0 + 0).
        assert_eq!(total_minutes(&[iv(0, 30_500), iv(40_000, 70_500)]), 1);
    }
}
