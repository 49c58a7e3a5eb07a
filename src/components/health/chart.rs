//! Bar charts as numbers: a value axis with "nice" ticks, grouped bars, a legend and an
//! optional dashed target line, laid out in a fixed drawing box (the SVG scales it).
//! Pure, so scales and ticks are unit-tested natively; `bar_chart.rs` draws the layout.

/// What a value means, for axis labels, tooltips and table cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A fraction shown as a percentage (0.125 → "12.5%").
    Share,
    Minutes,
}

impl Unit {
    pub fn format(self, value: f64) -> String {
        match self {
            Unit::Share => percent(value),
            Unit::Minutes => format!("{} min", trim_number(value)),
        }
    }

    /// The cell for a missing value (no working time, no items in the tier).
    pub fn format_opt(self, value: Option<f64>) -> String {
        value
            .map(|v| self.format(v))
            .unwrap_or_else(|| "—".to_string())
    }
}

/// One decimal at most, and none when it is ".0": 12.5, 30, 0.1.
pub fn trim_number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// 0.125 → "12.5%", 1.0 → "100%".
pub fn percent(fraction: f64) -> String {
    format!("{}%", trim_number(fraction * 100.0))
}

/// Axis ticks from 0 to a round number at or above `max`, about `count` steps of
/// 1, 2, 2.5 or 5 × 10ⁿ. An empty or zero range still gets an axis (0 to 1).
pub fn nice_ticks(max: f64, count: usize) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    let steps = (max / step - 1e-9).ceil().max(1.0) as usize;
    (0..=steps)
        // Rounded so 3 × 0.1 reads 0.3, not 0.30000000000000004.
        .map(|i| ((i as f64 * step) * 1e9).round() / 1e9)
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    /// One value per series (None: nothing to show).
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub unit: Unit,
    /// Legend entries, one per value in each group.
    pub series: Vec<String>,
    pub groups: Vec<Group>,
    /// A dashed reference line (the meeting-share target).
    pub target: Option<f64>,
    /// The axis goes at least this high (adherence always to 100 %).
    pub min_max: f64,
}

pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 280.0;
pub const LEFT: f64 = 56.0;
pub const RIGHT: f64 = 12.0;
/// Room for the legend above the plot.
pub const TOP: f64 = 34.0;
/// Room for the group labels under the plot.
pub const BOTTOM: f64 = 40.0;

#[derive(Debug, Clone, PartialEq)]
pub struct BarRect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub series: usize,
    /// The tooltip: "Ana — Critical: 100%".
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AxisTick {
    pub y: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupLabel {
    pub x: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub x: f64,
    pub y: f64,
    /// The series index (its colour); None for the target line.
    pub series: Option<usize>,
    pub label: String,
}

/// Legend entries left to right above the plot, wrapping to a second line (text width
/// is estimated; the SVG is not measured).
pub fn legend(series: &[String], target: Option<&str>) -> Vec<LegendEntry> {
    let mut entries = Vec::new();
    let (mut x, mut y) = (LEFT, 10.0);
    let items = series
        .iter()
        .enumerate()
        .map(|(i, s)| (Some(i), s.clone()))
        .chain(target.map(|t| (None, t.to_string())));
    for (series, label) in items {
        let width = 16.0 + label.chars().count() as f64 * 6.5 + 14.0;
        if x + width > WIDTH && x > LEFT {
            x = LEFT;
            y += 14.0;
        }
        entries.push(LegendEntry {
            x,
            y,
            series,
            label,
        });
        x += width;
    }
    entries
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The drawing's height: taller when the legend wraps.
    pub height: f64,
    pub legend: Vec<LegendEntry>,
    pub bars: Vec<BarRect>,
    pub ticks: Vec<AxisTick>,
    pub labels: Vec<GroupLabel>,
    /// (y, label) of the target line.
    pub target: Option<(f64, String)>,
    pub plot_top: f64,
    pub plot_bottom: f64,
}

/// The plot's own height, whatever the legend takes.
pub const PLOT_HEIGHT: f64 = HEIGHT - TOP - BOTTOM;

/// The value axis: 0 at the plot's bottom, `top_value` at its top.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    pub top_value: f64,
    pub plot_top: f64,
}

impl Axis {
    pub fn bottom(&self) -> f64 {
        self.plot_top + PLOT_HEIGHT
    }

    /// Values beyond the axis are drawn at its ends.
    pub fn y(&self, value: f64) -> f64 {
        let ratio = if self.top_value > 0.0 {
            (value / self.top_value).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.bottom() - ratio * PLOT_HEIGHT
    }
}

pub fn layout(chart: &Chart) -> Layout {
    let highest = chart
        .groups
        .iter()
        .flat_map(|g| g.values.iter().flatten().copied())
        .chain(chart.target)
        .fold(chart.min_max, f64::max);
    let ticks = nice_ticks(highest, 5);
    let target_label = chart
        .target
        .map(|t| format!("Target {}", chart.unit.format(t)));
    let legend = legend(&chart.series, target_label.as_deref());
    let legend_bottom = legend.iter().map(|e| e.y).fold(0.0, f64::max);
    let axis = Axis {
        top_value: ticks.last().copied().unwrap_or(1.0),
        plot_top: (legend_bottom + 24.0).max(TOP),
    };
    let n = chart.groups.len().max(1) as f64;
    let series = chart.series.len().max(1) as f64;
    let slot = (WIDTH - LEFT - RIGHT) / n;
    // Bars fill 80 % of a group's slot, side by side.
    let bar_width = slot * 0.8 / series;
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (gi, group) in chart.groups.iter().enumerate() {
        let slot_x = LEFT + gi as f64 * slot;
        labels.push(GroupLabel {
            x: slot_x + slot / 2.0,
            label: group.label.clone(),
        });
        for (si, value) in group.values.iter().enumerate() {
            let Some(value) = value else { continue };
            let y = axis.y(*value);
            let series_name = chart.series.get(si).cloned().unwrap_or_default();
            let who = if chart.series.len() > 1 {
                format!("{} — {series_name}", group.label)
            } else {
                group.label.clone()
            };
            bars.push(BarRect {
                x: slot_x + slot * 0.1 + si as f64 * bar_width,
                y,
                width: bar_width,
                height: axis.bottom() - y,
                series: si,
                title: format!("{who}: {}", chart.unit.format(*value)),
            });
        }
    }
    Layout {
        height: axis.bottom() + BOTTOM,
        legend,
        bars,
        ticks: ticks
            .iter()
            .map(|t| AxisTick {
                y: axis.y(*t),
                label: chart.unit.format(*t),
            })
            .collect(),
        labels,
        target: chart
            .target
            .zip(target_label)
            .map(|(t, label)| (axis.y(t), label)),
        plot_top: axis.plot_top,
        plot_bottom: axis.bottom(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_numbers_read_like_people_write_them() {
        assert_eq!(percent(0.125), "12.5%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.3), "30%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(2.0 / 3.0), "66.7%");
        assert_eq!(Unit::Minutes.format(42.0), "42 min");
        assert_eq!(Unit::Minutes.format(7.25), "7.3 min");
        assert_eq!(Unit::Share.format_opt(None), "—");
    }

    #[test]
    fn chart_ticks_are_round_and_cover_the_maximum() {
        assert_eq!(nice_ticks(0.3, 5), vec![0.0, 0.1, 0.2, 0.3]);
        assert_eq!(nice_ticks(1.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(nice_ticks(47.0, 5), vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(
            nice_ticks(480.0, 5),
            vec![0.0, 100.0, 200.0, 300.0, 400.0, 500.0]
        );
        assert_eq!(nice_ticks(0.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(f64::NAN, 5), nice_ticks(1.0, 5));
        for max in [0.07, 3.3, 12.0, 999.0, 1234.5] {
            let t = nice_ticks(max, 5);
            assert!(*t.last().unwrap() >= max, "{max}: {t:?}");
            assert!(t.len() <= 11, "{max}: {t:?}");
        }
    }

    #[test]
    fn chart_scale_maps_zero_to_the_base_and_the_top_to_the_top() {
        let axis = Axis {
            top_value: 10.0,
            plot_top: TOP,
        };
        assert_eq!(axis.bottom(), HEIGHT - BOTTOM);
        assert_eq!(axis.y(0.0), axis.bottom());
        assert_eq!(axis.y(10.0), TOP);
        assert_eq!(axis.y(5.0), (axis.bottom() + TOP) / 2.0);
        assert_eq!(axis.y(20.0), TOP);
        assert_eq!(axis.y(-3.0), axis.bottom());
        let flat = Axis {
            top_value: 0.0,
            plot_top: TOP,
        };
        assert_eq!(flat.y(1.0), flat.bottom());
    }

    #[test]
    fn chart_layout_places_grouped_bars_and_the_target() {
        let chart = Chart {
            unit: Unit::Share,
            series: vec!["Share".into()],
            groups: vec![
                Group {
                    label: "Ana".into(),
                    values: vec![Some(0.125)],
                },
                Group {
                    label: "Ben".into(),
                    values: vec![None],
                },
                Group {
                    label: "Team".into(),
                    values: vec![Some(0.0625)],
                },
            ],
            target: Some(0.3),
            min_max: 0.0,
        };
        let l = layout(&chart);
        // The axis reaches the target (0.3): ticks 0, 10, 20, 30 %.
        assert_eq!(
            l.ticks.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
            ["0%", "10%", "20%", "30%"]
        );
        assert_eq!(l.target, Some((TOP, "Target 30%".to_string())));
        assert_eq!(l.bars.len(), 2, "no bar for a missing value");
        let slot = (WIDTH - LEFT - RIGHT) / 3.0;
        assert_eq!(l.bars[0].x, LEFT + slot * 0.1);
        assert_eq!(l.bars[1].x, LEFT + 2.0 * slot + slot * 0.1);
        assert!((l.bars[0].height - PLOT_HEIGHT * 0.125 / 0.3).abs() < 1e-9);
        assert_eq!(l.height, HEIGHT);
        assert_eq!(l.bars[0].title, "Ana: 12.5%");
        assert!((l.labels[2].x - (LEFT + 2.5 * slot)).abs() < 1e-9);

        let two = Chart {
            unit: Unit::Minutes,
            series: vec!["Scheduled".into(), "Kept".into()],
            groups: vec![Group {
                label: "Ana".into(),
                values: vec![Some(120.0), Some(90.0)],
            }],
            target: None,
            min_max: 0.0,
        };
        let l = layout(&two);
        assert!((l.bars[1].x - l.bars[0].x - l.bars[0].width).abs() < 1e-9);
        assert_eq!(l.bars[1].title, "Ana — Kept: 90 min");
        assert_eq!(l.target, None);
        assert_eq!(l.legend.len(), 2);

        // Many people: the legend wraps and the plot moves down, keeping its height.
        let many = Chart {
            series: (0..12).map(|i| format!("Person number {i}")).collect(),
            ..two.clone()
        };
        let l = layout(&many);
        assert!(l.plot_top > TOP);
        assert_eq!(l.plot_bottom - l.plot_top, PLOT_HEIGHT);
        assert_eq!(l.height, l.plot_bottom + BOTTOM);
    }

    #[test]
    fn chart_legend_wraps_and_lists_the_target() {
        let names: Vec<String> = (0..12).map(|i| format!("Person number {i}")).collect();
        let entries = legend(&names, Some("Target 30%"));
        assert_eq!(entries.len(), 13);
        assert_eq!(entries[0].x, LEFT);
        assert_eq!(entries[0].y, 10.0);
        assert!(entries.iter().any(|e| e.y > 10.0), "long legends wrap");
        assert!(entries.iter().all(|e| e.x < WIDTH));
        assert_eq!(entries[12].series, None);
        assert_eq!(entries[12].label, "Target 30%");
    }
}
