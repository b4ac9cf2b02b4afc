//! Where a webhook may send: `http` or `https` URLs whose every address is public. Loopback,
//! private, link-local (the cloud metadata address among them), shared, multicast and
//! unspecified addresses are refused unless the server allows private targets. The check runs
//! when a webhook is saved and again, on every resolved address, before each delivery, which
//! then connects only to the addresses checked (a name that resolves elsewhere a second time
//! cannot redirect it).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::Url;

/// Why a URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("not a URL: {0}")]
    NotUrl(String),
    #[error("only http and https URLs can receive webhooks")]
    Scheme,
    #[error("the URL may not hold a user name or password")]
    Credentials,
    #[error("{0} does not resolve")]
    Unresolved(String),
    #[error("{0} is a private, loopback or link-local address")]
    Private(IpAddr),
}

/// The URL, checked for its form.
pub fn parse(url: &str) -> Result<Url, Refused> {
    let parsed = Url::parse(url.trim()).map_err(|e| Refused::NotUrl(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Refused::Scheme);
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Refused::Credentials);
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Refused::NotUrl("it has no host".into()));
    }
    Ok(parsed)
}

/// The URL's host and the addresses it resolves to, each checked.
pub async fn resolve(url: &Url, allow_private: bool) -> Result<(String, Vec<SocketAddr>), Refused> {
    let host = url.host_str().unwrap_or_default().to_string();
    let port = url.port_or_known_default().unwrap_or(80);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map_err(|_| Refused::Unresolved(host.clone()))?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(Refused::Unresolved(host));
    }
    if !allow_private && let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
        return Err(Refused::Private(bad.ip()));
    }
    Ok((bare.to_string(), addrs))
}

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => public_v4(v4),
            None => public_v6(v6),
        },
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // Benchmarking, 198.18.0.0/15, and reserved, 240.0.0.0/4.
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local fc00::/7 (cloud metadata services use fd00:ec2::254) and link-local fe80::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        // Documentation, 2001:db8::/32.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.215.14", "2606:4700::1111", "8.8.8.8"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn only_plain_http_urls_are_taken() {
        assert!(parse("https://hooks.example.com/x").is_ok());
        assert_eq!(parse("ftp://example.com/").unwrap_err(), Refused::Scheme);
        assert_eq!(
            parse("https://user:pw@example.com/").unwrap_err(),
            Refused::Credentials
        );
        assert!(matches!(parse("not a url"), Err(Refused::NotUrl(_))));
    }

    #[tokio::test]
    async fn loopback_targets_are_refused_unless_allowed() {
        let url = parse("http://127.0.0.1:9/hook").unwrap();
        assert!(matches!(
            resolve(&url, false).await,
            Err(Refused::Private(_))
        ));
        assert!(resolve(&url, true).await.is_ok());
        let named = parse("http://localhost:9/hook").unwrap();
        assert!(matches!(
            resolve(&named, false).await,
            Err(Refused::Private(_))
        ));
    }
}
