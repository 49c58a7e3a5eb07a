//! IANA time-zone names, checked against the tz database bundled into the binary (so
//! the answer does not depend on the host's /usr/share/zoneinfo).

/// Whether `name` is a time zone the server knows.
pub fn is_known(name: &str) -> bool {
    !name.is_empty() && jiff::tz::db().get(name).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn knows_real_zones_only() {
        assert!(super::is_known("Europe/Lisbon"));
        assert!(super::is_known("UTC"));
        assert!(!super::is_known("Mars/Olympus_Mons"));
        assert!(!super::is_known(""));
    }
}
