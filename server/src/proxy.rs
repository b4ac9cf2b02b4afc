//! Who the client is when the server sits behind a TLS-terminating proxy.
//!
//! `X-Forwarded-For` and `X-Forwarded-Proto` are plain request headers anyone can send, so they
//! are believed only when the connection comes from a proxy named in `--trusted-proxies`.
//! Otherwise the client is the peer address and the scheme is `http`.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// An IP address range: `10.0.0.0/8`, `fd00::/8`, or a single address (`127.0.0.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                masked(u32::from(net).into(), self.prefix, 32)
                    == masked(u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                masked(u128::from(net), self.prefix, 128)
                    == masked(u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

/// The top `prefix` bits of a `width`-bit address.
fn masked(bits: u128, prefix: u8, width: u8) -> u128 {
    if prefix == 0 {
        return 0;
    }
    let drop = u32::from(width - prefix.min(width));
    bits.checked_shr(drop).unwrap_or(0)
}

/// Why a `--trusted-proxies` entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an IP address or CIDR range (such as 10.0.0.0/8 or ::1)")]
pub struct BadIpNet(String);

impl FromStr for IpNet {
    type Err = BadIpNet;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadIpNet(text.to_string());
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr = IpAddr::from_str(addr).map_err(|_| bad())?.to_canonical();
        let width = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(bad)?,
            None => width,
        };
        Ok(Self { addr, prefix })
    }
}

impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(nets: Vec<IpNet>) -> Self {
        Self(nets)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }

    /// The client behind `peer`, reading the forwarding headers only when `peer` is trusted.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> ClientInfo {
        let Some(peer) = peer.map(|p| p.to_canonical()) else {
            return ClientInfo::default();
        };
        if !self.trusts(peer) {
            return ClientInfo {
                ip: Some(peer),
                https: false,
            };
        }
        // Right to left: each trusted hop appended the address it saw; the first untrusted one
        // is the client. An unreadable entry stops the walk (nothing left of it can be believed).
        let mut ip = peer;
        for entry in forwarded_for(headers).into_iter().rev() {
            match parse_forwarded_ip(entry) {
                Some(hop) if self.trusts(ip) => ip = hop,
                _ => break,
            }
        }
        // The nearest proxy sets or appends the scheme it received: take the last value.
        let https = headers
            .get_all("x-forwarded-proto")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .next_back()
            .is_some_and(|proto| proto.eq_ignore_ascii_case("https"));
        ClientInfo {
            ip: Some(ip),
            https,
        }
    }
}

fn forwarded_for(headers: &HeaderMap) -> Vec<&str> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect()
}

/// `203.0.113.7`, `2001:db8::1`, or with a port: `203.0.113.7:4711`, `[2001:db8::1]:4711`.
fn parse_forwarded_ip(entry: &str) -> Option<IpAddr> {
    IpAddr::from_str(entry)
        .ok()
        .or_else(|| SocketAddr::from_str(entry).ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

/// The client of a request as far as the server can tell: set on every request by
/// [`client_info`], read by the access log and by handlers that build absolute URLs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientInfo {
    /// None when the connection's peer is unknown (requests not from a socket, as in tests).
    pub ip: Option<IpAddr>,
    /// The client reached the proxy over HTTPS.
    pub https: bool,
}

impl ClientInfo {
    pub fn scheme(&self) -> &'static str {
        if self.https { "https" } else { "http" }
    }
}

impl fmt::Display for ClientInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ip {
            Some(ip) => write!(f, "{ip}"),
            None => f.write_str("-"),
        }
    }
}

/// Works out the [`ClientInfo`] of each request and puts it in the request's extensions.
pub async fn client_info(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let info = state.proxies.client(peer, request.headers());
    request.extensions_mut().insert(info);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ranges_parse_and_match() {
        let net: IpNet = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(
            net.contains(ip("::ffff:10.1.0.9")),
            "IPv4-mapped peers match"
        );
        let single: IpNet = "::1".parse().unwrap();
        assert!(single.contains(ip("::1")) && !single.contains(ip("::2")));
        let all: IpNet = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("192.0.2.1")) && !all.contains(ip("::1")));
        for bad in ["", "10.0.0.0/33", "example.com", "10.0.0.0/x", "::/129"] {
            assert!(bad.parse::<IpNet>().is_err(), "{bad}");
        }
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let proxies = TrustedProxies::new(vec!["10.0.0.1".parse().unwrap()]);
        let spoofed = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-proto", "https"),
        ]);
        let info = proxies.client(Some(ip("192.0.2.9")), &spoofed);
        assert_eq!(info.ip, Some(ip("192.0.2.9")));
        assert!(!info.https);
        assert_eq!(
            TrustedProxies::default().client(Some(ip("10.0.0.1")), &spoofed),
            ClientInfo {
                ip: Some(ip("10.0.0.1")),
                https: false
            }
        );
    }

    #[test]
    fn a_trusted_chain_is_walked_from_the_right() {
        let proxies = TrustedProxies::new(vec!["10.0.0.0/8".parse().unwrap()]);
        // The client forged the first entry; the proxies appended the real ones.
        let chain = headers(&[
            ("x-forwarded-for", "6.6.6.6, 203.0.113.7"),
            ("x-forwarded-for", "10.0.0.5"),
            ("x-forwarded-proto", "https"),
        ]);
        let info = proxies.client(Some(ip("10.0.0.1")), &chain);
        assert_eq!(info.ip, Some(ip("203.0.113.7")));
        assert!(info.https);
        let with_port = headers(&[("x-forwarded-for", "[2001:db8::7]:4711")]);
        let info = proxies.client(Some(ip("10.0.0.1")), &with_port);
        assert_eq!(info.ip, Some(ip("2001:db8::7")));
        let garbage = headers(&[("x-forwarded-for", "not-an-ip, 203.0.113.8")]);
        let info = proxies.client(Some(ip("10.0.0.1")), &garbage);
        assert_eq!(info.ip, Some(ip("203.0.113.8")));
    }
}
