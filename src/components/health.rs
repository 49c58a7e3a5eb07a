//! The communication-health dashboard: charts drawn by the app (`chart` lays them out,
//! `bar_chart` draws SVG), the same numbers as tables, and the CSV export.

pub mod bar_chart;
pub mod chart;
pub mod csv;
pub mod download;
pub mod figures;
pub mod period;
