//! The client's address for throttling. The TCP peer, unless the peer is a reverse
//! proxy named with `--trusted-proxy`: then the right-most `X-Forwarded-For` entry that
//! is not itself a trusted proxy (entries further left were written by the client and
//! prove nothing). Without a trusted proxy the header is ignored, so a client cannot
//! pick a fresh address per request by writing it.

use std::net::{IpAddr, Ipv6Addr};

use axum::http::HeaderMap;

pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = canonical(peer);
    let trusted = |ip: &IpAddr| trusted_proxies.iter().any(|t| canonical(*t) == *ip);
    if !trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|entry| entry.trim().parse::<IpAddr>().map(canonical))
        .collect::<Result<_, _>>()
        // A malformed list cannot be trusted at all: throttle the proxy itself.
        .unwrap_or_default();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted(ip))
        .unwrap_or(peer)
}

/// The key an address is throttled under: IPv4 as is (also when IPv4-mapped), IPv6 by
/// its /64, since one subscriber usually holds a whole /64.
pub fn throttle_key(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let headers = forwarded("203.0.113.9");
        assert_eq!(client_ip(ip("10.0.0.2"), &headers, &[]), ip("10.0.0.2"));
        assert_eq!(
            client_ip(ip("10.0.0.2"), &headers, &[ip("10.0.0.1")]),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_ip(ip("10.0.0.1"), &headers, &[ip("10.0.0.1")]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn client_written_entries_on_the_left_are_ignored() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.5")];
        let headers = forwarded("1.2.3.4, 198.51.100.7, 10.0.0.5");
        assert_eq!(
            client_ip(ip("10.0.0.1"), &headers, &proxies),
            ip("198.51.100.7")
        );
        let garbage = forwarded("1.2.3.4, not-an-ip");
        assert_eq!(
            client_ip(ip("10.0.0.1"), &garbage, &proxies),
            ip("10.0.0.1")
        );
        assert_eq!(
            client_ip(ip("10.0.0.1"), &HeaderMap::new(), &proxies),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn ipv6_is_throttled_by_its_64() {
        assert_eq!(
            throttle_key(ip("2001:db8:1:2:aaaa::1")),
            throttle_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            throttle_key(ip("2001:db8:1:2::1")),
            throttle_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(throttle_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
