//! User Timing around redraws: `performance.measure` entries named
//! "board-base-full", "board-base-dirty", "board-base-pan" and "board-overlay", which
//! the redraw benchmark (end2end/bench/board-redraw.bench.ts) reads. Cheap enough to
//! keep on.

use std::cell::Cell;

pub const BASE_FULL: &str = "board-base-full";
pub const BASE_DIRTY: &str = "board-base-dirty";
/// A pan: the cached base shifted, plus the strips that scrolled into view.
pub const BASE_PAN: &str = "board-base-pan";
pub const OVERLAY: &str = "board-overlay";

/// Entries per name kept before the oldest are dropped, so a long session does not
/// grow the performance timeline without bound.
const KEEP: u32 = 10_000;

thread_local! {
    static COUNT: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f` between a mark and a measure named `name`.
pub fn measure<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let performance = web_sys::window().and_then(|w| w.performance());
    let start = format!("{name}-start");
    if let Some(p) = &performance {
        let _ = p.mark(&start);
    }
    let out = f();
    if let Some(p) = &performance {
        let _ = p.measure_with_start_mark(name, &start);
        p.clear_marks_with_mark_name(&start);
        let n = COUNT.with(|c| {
            c.set(c.get() + 1);
            c.get()
        });
        if n.is_multiple_of(KEEP) {
            p.clear_measures_with_measure_name(name);
        }
    }
    out
}
