//! Security headers on pages and API answers, and markup in names leaving exports inert.

mod support;

use ddl::Dialect;
use model::{Column, Op, Table};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use support::spawn_app;

/// Names a browser or a SQL shell would treat as code if they were pasted in raw.
const HOSTILE: [&str; 5] = [
    "<img src=x onerror=window.__pwned=1>",
    "</script><script>window.__pwned=1</script>",
    "a\"b'c`d]e",
    "x\"); DROP TABLE users; --",
    "<svg onload=alert(1)>&amp;",
];

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
}

/// The directive `name` of a policy, as its list of sources.
fn directive<'a>(policy: &'a str, name: &str) -> Vec<&'a str> {
    policy
        .split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .map(|rest| rest.split_whitespace().collect())
        .unwrap_or_default()
}

fn script_nonces(html: &str) -> Vec<String> {
    html.match_indices("<script")
        .map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>').expect("tag closes")];
            let nonce = tag
                .split_once("nonce=\"")
                .unwrap_or_else(|| panic!("a script without a nonce: {tag}"))
                .1;
            nonce[..nonce.find('"').expect("quoted")].to_string()
        })
        .collect()
}

#[tokio::test]
async fn pages_carry_a_policy_naming_the_nonce_of_each_of_their_scripts() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    for path in ["/", "/", "/no/such/page"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let headers = response.headers().clone();
        let html = response.text().await.unwrap();
        let policy = header(&headers, "content-security-policy");
        let scripts = directive(policy, "script-src");
        assert!(scripts.contains(&"'self'"), "{policy}");
        assert!(scripts.contains(&"'wasm-unsafe-eval'"), "{policy}");
        assert!(!scripts.contains(&"'unsafe-inline'"), "{policy}");
        assert!(!scripts.contains(&"'unsafe-eval'"), "{policy}");
        assert_eq!(directive(policy, "frame-ancestors"), ["'none'"], "{policy}");
        assert_eq!(directive(policy, "object-src"), ["'none'"], "{policy}");
        let nonces = script_nonces(&html);
        assert!(!nonces.is_empty(), "the page has its hydration script");
        for nonce in &nonces {
            assert!(
                scripts.contains(&format!("'nonce-{nonce}'").as_str()),
                "{nonce} not in {policy}"
            );
        }
        assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
        assert_eq!(header(&headers, "referrer-policy"), "no-referrer");
        seen.push(nonces[0].clone());
    }
    assert_ne!(seen[0], seen[1], "each answer gets a fresh nonce");
}

#[tokio::test]
async fn api_answers_and_errors_carry_the_headers_too() {
    let app = spawn_app().await;
    for (path, status) in [
        ("/api/diagrams", StatusCode::OK),
        ("/api/nothing", StatusCode::NOT_FOUND),
        ("/pkg/missing.js", StatusCode::NOT_FOUND),
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), status, "{path}");
        let headers = response.headers();
        assert_eq!(header(headers, "x-content-type-options"), "nosniff");
        assert_eq!(header(headers, "referrer-policy"), "no-referrer");
        let policy = header(headers, "content-security-policy");
        assert_eq!(directive(policy, "frame-ancestors"), ["'none'"], "{policy}");
        assert!(!directive(policy, "script-src").contains(&"'unsafe-inline'"));
    }
}

/// Where the dialect's quoting puts `name`: the quoted form, with the closing quote doubled.
fn quoted(dialect: Dialect, name: &str) -> String {
    let (open, close) = match dialect {
        Dialect::Mysql | Dialect::Mariadb => ('`', '`'),
        Dialect::Mssql => ('[', ']'),
        _ => ('"', '"'),
    };
    let escaped = name.replace(close, &format!("{close}{close}"));
    format!("{open}{escaped}{close}")
}

#[tokio::test]
async fn exported_ddl_quotes_names_holding_markup_and_quotes_and_imports_them_back() {
    let app = spawn_app().await;
    let id = app.create("hostile").await.diagram.id;
    let ops: Vec<Op> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut table = Table::new(*name);
            table.comment = name.to_string();
            let mut column = Column::new(format!("{name}{i}"), "integer");
            column.comment = name.to_string();
            table.columns.push(column);
            Op::AddTable { table, at: None }
        })
        .collect();
    app.apply(id, 1, &ops).await;
    for dialect in Dialect::ALL {
        let response = app
            .client
            .get(app.url(&format!("/api/diagrams/{id}/export?dialect={dialect}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            header(response.headers(), "content-type"),
            "text/plain; charset=utf-8"
        );
        let sql = response.text().await.unwrap();
        for name in HOSTILE {
            assert!(
                sql.contains(&quoted(dialect, name)),
                "{dialect}: {name} is not quoted in\n{sql}"
            );
        }
        let back = ddl::import(&sql, dialect).expect("the export imports");
        assert!(back.errors.is_empty(), "{dialect}: {:?}", back.errors);
        let mut names: Vec<&str> = back
            .diagram
            .tables
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        names.sort_unstable();
        let mut want = HOSTILE.to_vec();
        want.sort_unstable();
        assert_eq!(names, want, "{dialect}: names survive the round trip");
    }
}
