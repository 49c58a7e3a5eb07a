//! File sizes for people: "532 bytes", "14 KB", "2.4 MB".

const KIB: u64 = 1024;
const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];

/// Binary multiples (what file managers show), one decimal below 10 so small files
/// keep useful precision and large ones stay short.
pub fn human_size(bytes: u64) -> String {
    if bytes < KIB {
        return if bytes == 1 {
            "1 byte".to_string()
        } else {
            format!("{bytes} bytes")
        };
    }
    let mut value = bytes as f64 / KIB as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    // Round first, so 9.96 KB shows as "10 KB" rather than "10.0 KB".
    let rounded = (value * 10.0).round() / 10.0;
    if rounded < 10.0 {
        format!("{rounded:.1} {}", UNITS[unit])
    } else {
        format!("{:.0} {}", value, UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(1023), "1023 bytes");
        assert_eq!(human_size(1024), "1.0 KB");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(10_199), "10 KB");
        assert_eq!(human_size(25 * 1024 * 1024), "25 MB");
        assert_eq!(human_size(2_516_582), "2.4 MB");
        assert_eq!(human_size(3 * 1024 * 1024 * 1024), "3.0 GB");
    }
}
