//! Accounts and sessions: sign-up rules, the session cookie, CSRF and host checks, throttling,
//! sessions ending, and no secret stored in clear.

mod support;

use std::time::Duration;

use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};
use server::auth::{AuthSettings, Signup};
use server::proxy::TrustedProxies;
use support::{OWNER, PASSWORD, browser, expect_error, spawn_app, spawn_app_with};

async fn signup(app: &support::TestApp, client: &Client, body: Value) -> reqwest::Response {
    client
        .post(app.url("/api/auth/signup"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn login(
    app: &support::TestApp,
    client: &Client,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

async fn me(app: &support::TestApp, client: &Client) -> StatusCode {
    client
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn the_first_account_is_the_administrator_and_emails_compare_without_case() {
    let app = spawn_app().await;
    let first: Value = app
        .client
        .get(app.url("/api/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["user"]["email"], OWNER);
    assert_eq!(first["admin"], true);

    let second = browser();
    let answer = signup(
        &app,
        &second,
        json!({ "email": "Ann@Example.com", "name": "Ann", "password": PASSWORD }),
    )
    .await;
    assert_eq!(answer.status(), StatusCode::CREATED);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["user"]["email"], "Ann@Example.com");
    assert_eq!(body["user"]["name"], "Ann");
    assert_eq!(body["admin"], false);
    assert!(body["user"]["id"].as_str().is_some());

    let taken = signup(
        &app,
        &browser(),
        json!({ "email": "ann@EXAMPLE.com", "name": "Other", "password": PASSWORD }),
    )
    .await;
    expect_error(taken, StatusCode::CONFLICT, "email_taken").await;
    assert_eq!(
        login(&app, &browser(), "ANN@example.COM", PASSWORD)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_sign_ups_get_clear_errors() {
    let app = spawn_app().await;
    let client = browser();
    for (email, name, password, code) in [
        ("a@b.c", "A", "short", "weak_password"),
        ("nobody", "A", PASSWORD, "invalid_email"),
        ("a@b.c", "  ", PASSWORD, "invalid_name"),
    ] {
        let body = json!({ "email": email, "name": name, "password": password });
        let refused = signup(&app, &client, body).await;
        expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, code).await;
    }
    let shape = signup(&app, &client, json!(["a@b.c"])).await;
    expect_error(shape, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    assert_eq!(
        me(&app, &client).await,
        StatusCode::UNAUTHORIZED,
        "no session from a refused sign-up"
    );
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_refused_and_creates_nothing() {
    let app = spawn_app().await;
    for body in ["[]", "\"x\"", "1", "null"] {
        let response = app
            .client
            .post(app.url("/api/diagrams"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    }
    let list: Vec<Value> = app.get_json("/api/diagrams").await;
    assert!(list.is_empty(), "{list:?}");
}

#[tokio::test]
async fn wrong_credentials_answer_alike_for_unknown_emails_and_wrong_passwords() {
    let app = spawn_app().await;
    let wrong = login(&app, &browser(), OWNER, "not the password").await;
    let wrong = expect_error(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let unknown = login(&app, &browser(), "nobody@example.com", "not the password").await;
    let unknown = expect_error(unknown, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(wrong, unknown);
}

/// A failed sign-in for an unknown email checks a decoy hash, so it costs about as long as a
/// wrong password for a real account. Without the decoy it would answer in a small fraction of
/// that (no hash at all); the bounds are wide because other tests share the cores meanwhile.
#[tokio::test]
async fn a_failed_sign_in_takes_as_long_for_an_unknown_email_as_for_a_known_one() {
    let proxies = TrustedProxies::new(vec!["127.0.0.1".parse().unwrap()]);
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |s| {
        s.with_trusted_proxies(proxies)
    })
    .await;
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    // Interleaved, so both see the same load; each try from its own address, and fewer than
    // the account's ten.
    for n in 0..7 {
        for (email, times) in [(OWNER, &mut known), ("nobody@example.com", &mut unknown)] {
            let started = std::time::Instant::now();
            let answer = Client::new()
                .post(app.url("/api/auth/login"))
                .header(
                    "x-forwarded-for",
                    format!("203.0.113.{}", times.len() * 2 + n),
                )
                .json(&json!({ "email": email, "password": "not the password" }))
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
            times.push(started.elapsed());
        }
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (known, unknown) = (median(&mut known), median(&mut unknown));
    let ratio = unknown.as_secs_f64() / known.as_secs_f64();
    assert!(
        (0.25..4.0).contains(&ratio),
        "known {known:?}, unknown {unknown:?}"
    );
}

fn set_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a Set-Cookie header")
        .to_string()
}

#[tokio::test]
async fn the_session_cookie_is_httponly_lax_and_secure_only_behind_https() {
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |s| {
        s.with_trusted_proxies(TrustedProxies::new(vec!["127.0.0.1".parse().unwrap()]))
    })
    .await;
    let plain = set_cookie(&login(&app, &Client::new(), OWNER, PASSWORD).await);
    for part in [
        "tw_session=",
        "HttpOnly",
        "SameSite=Lax",
        "Path=/",
        "Max-Age=2592000",
    ] {
        assert!(plain.contains(part), "{part} in {plain}");
    }
    assert!(!plain.contains("Secure"), "{plain}");
    let token = plain
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("tw_session=");
    assert!(token.len() >= 43, "256 bits: {token}");

    let https = Client::new()
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-proto", "https")
        .json(&json!({ "email": OWNER, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let secure = set_cookie(&https);
    assert!(
        secure.contains("Secure") && secure.contains("HttpOnly"),
        "{secure}"
    );
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    let app = spawn_app().await;
    let client = browser();
    login(&app, &client, OWNER, PASSWORD).await;
    let cookie = {
        let response = login(&app, &Client::new(), OWNER, PASSWORD).await;
        set_cookie(&response).split(';').next().unwrap().to_string()
    };
    let out = Client::new()
        .post(app.url("/api/auth/logout"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(set_cookie(&out).contains("Max-Age=0"));
    let after = Client::new()
        .get(app.url("/api/auth/me"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        StatusCode::UNAUTHORIZED,
        "the old cookie is dead on the server"
    );
    assert_eq!(
        me(&app, &client).await,
        StatusCode::OK,
        "another session goes on"
    );
}

#[tokio::test]
async fn a_password_change_ends_every_session_and_keeps_the_changer_signed_in() {
    let app = spawn_app().await;
    let other = browser();
    login(&app, &other, OWNER, PASSWORD).await;
    let change = |current: &str, new: &str| {
        app.client
            .post(app.url("/api/auth/password"))
            .json(&json!({ "current_password": current, "new_password": new }))
            .send()
    };
    let wrong = change("not it at all", "a new long password")
        .await
        .unwrap();
    expect_error(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let weak = change(PASSWORD, "short").await.unwrap();
    expect_error(weak, StatusCode::UNPROCESSABLE_ENTITY, "weak_password").await;
    let done = change(PASSWORD, "a new long password").await.unwrap();
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        me(&app, &other).await,
        StatusCode::UNAUTHORIZED,
        "the other session ended"
    );
    assert_eq!(
        me(&app, &app.client).await,
        StatusCode::OK,
        "the changer has a new session"
    );
    expect_error(
        login(&app, &browser(), OWNER, PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        login(&app, &browser(), OWNER, "a new long password")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_idle_session_expires() {
    let auth = AuthSettings {
        session_idle: Duration::from_secs(2),
        ..AuthSettings::default()
    };
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |s| s.with_auth(auth)).await;
    // A session of its own, made just before it is used: the app's sign-up session may already
    // have idled out on a loaded machine (Argon2 in a debug build, many tests at once).
    let client = browser();
    let signed_in = login(&app, &client, OWNER, PASSWORD).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert_eq!(me(&app, &client).await, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(3000)).await;
    assert_eq!(me(&app, &client).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_in_is_throttled_per_account_and_per_address() {
    let app = spawn_app().await;
    for _ in 0..10 {
        let failed = login(&app, &browser(), OWNER, "wrong password!").await;
        assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    }
    let throttled = login(&app, &browser(), OWNER, PASSWORD).await;
    let retry: u64 = throttled.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    expect_error(
        throttled,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    // The address has failed ten times too: another account from it waits as well.
    let other = login(&app, &browser(), "someone@example.com", PASSWORD).await;
    expect_error(other, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    // Sessions already open are not touched.
    assert_eq!(me(&app, &app.client).await, StatusCode::OK);
}

#[tokio::test]
async fn state_changes_from_another_site_are_refused_whatever_the_body() {
    let app = spawn_app().await;
    async fn list_len(app: &support::TestApp) -> usize {
        app.get_json::<Vec<Value>>("/api/diagrams").await.len()
    }
    let before = list_len(&app).await;
    for (content_type, body) in [
        ("application/x-www-form-urlencoded", "name=evil"),
        ("text/plain", "{\"name\":\"evil\"}"),
        (
            "multipart/form-data; boundary=x",
            "--x\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nevil\r\n--x--\r\n",
        ),
        ("application/json", "{\"name\":\"evil\"}"),
    ] {
        for (header_name, value) in [
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://evil.example"),
            ("origin", "null"),
        ] {
            let response = app
                .client
                .post(app.url("/api/diagrams"))
                .header("content-type", content_type)
                .header(header_name, value)
                .body(body)
                .send()
                .await
                .unwrap();
            expect_error(response, StatusCode::FORBIDDEN, "csrf").await;
        }
    }
    let import = app
        .client
        .post(app.url("/api/ddl/import"))
        .header("sec-fetch-site", "same-site")
        .header("content-type", "text/plain")
        .body("CREATE TABLE t (id int);")
        .send()
        .await
        .unwrap();
    expect_error(import, StatusCode::FORBIDDEN, "csrf").await;
    assert_eq!(list_len(&app).await, before, "nothing was created");

    let same = app
        .client
        .post(app.url("/api/diagrams"))
        .header("sec-fetch-site", "same-origin")
        .header("origin", app.url(""))
        .json(&json!({ "name": "mine" }))
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::CREATED);
    let origin_only = app
        .client
        .post(app.url("/api/diagrams"))
        .header("origin", app.url(""))
        .json(&json!({ "name": "mine" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        origin_only.status(),
        StatusCode::CREATED,
        "an older browser on the page"
    );
    // A bearer token cannot be sent by another site's page: no origin check for it.
    let token = app.token("write").await;
    let scripted = Client::new()
        .post(app.url("/api/diagrams"))
        .bearer_auth(&token)
        .header("origin", "http://ci.example")
        .json(&json!({ "name": "from ci" }))
        .send()
        .await
        .unwrap();
    assert_eq!(scripted.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_loopback_server_answers_only_loopback_host_names() {
    let app = spawn_app().await;
    for host in ["evil.example", "evil.example:80", "10.0.0.1"] {
        let response = Client::new()
            .get(app.url("/api/auth/me"))
            .header("host", host)
            .send()
            .await
            .unwrap();
        expect_error(response, StatusCode::MISDIRECTED_REQUEST, "wrong_host").await;
        let page = Client::new()
            .get(app.url("/signin"))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::MISDIRECTED_REQUEST);
    }
    let local = Client::new()
        .get(app.url("/api/auth/me"))
        .header("host", format!("localhost:{}", app.addr.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        local.status(),
        StatusCode::UNAUTHORIZED,
        "answered, just not signed in"
    );
}

#[tokio::test]
async fn with_a_public_url_only_its_host_is_answered_and_links_use_it() {
    let auth = AuthSettings {
        public_url: Some("https://erd.example.com".into()),
        host: Some(server::auth::HostPolicy::Exact("erd.example.com".into())),
        ..AuthSettings::default()
    };
    let dir = tempfile::tempdir().unwrap();
    // The helper signs in over 127.0.0.1, which this server refuses: sign up with the host.
    let db = server::db::connect(&support::store(&dir).await)
        .await
        .unwrap();
    let state =
        server::AppState::new(db, std::path::Path::new("target/site"), 1 << 20).with_auth(auth);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(server::serve(listener, state, std::future::pending()));
    let url = |path: &str| format!("http://{addr}{path}");
    let client = browser();
    let refused = client.get(url("/api/auth/me")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::MISDIRECTED_REQUEST);
    let created = client
        .post(url("/api/auth/signup"))
        .header("host", "erd.example.com")
        .json(&json!({ "email": OWNER, "name": "Owner", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let cookie = set_cookie(&created).split(';').next().unwrap().to_string();
    let diagram: Value = client
        .post(url("/api/diagrams"))
        .header("host", "erd.example.com")
        .header(header::COOKIE, &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = diagram["diagram"]["id"].as_str().unwrap();
    let link: Value = client
        .post(url(&format!("/api/diagrams/{id}/links")))
        .header("host", "erd.example.com")
        .header(header::COOKIE, &cookie)
        .json(&json!({ "role": "viewer" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = link["token"].as_str().unwrap();
    assert_eq!(link["url"], format!("https://erd.example.com/s/{token}"));
}

#[tokio::test]
async fn with_invite_only_sign_up_an_invite_is_needed_and_used_once() {
    let auth = AuthSettings {
        signup: Signup::Invite,
        ..AuthSettings::default()
    };
    // The first account may always be made (the helper's).
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |s| s.with_auth(auth)).await;
    let body = |email: &str, invite: Option<&str>| json!({ "email": email, "name": "New", "password": PASSWORD, "invite": invite });
    let uninvited = signup(&app, &browser(), body("new@example.com", None)).await;
    expect_error(uninvited, StatusCode::FORBIDDEN, "invite_required").await;
    let bogus = signup(&app, &browser(), body("new@example.com", Some("twi_bogus"))).await;
    expect_error(bogus, StatusCode::FORBIDDEN, "invite_required").await;

    let not_an_email = app
        .client
        .post(app.url("/api/invites"))
        .json(&json!({ "email": "nobody" }))
        .send()
        .await
        .unwrap();
    expect_error(
        not_an_email,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_email",
    )
    .await;
    let invite: Value = app
        .client
        .post(app.url("/api/invites"))
        .json(&json!({ "email": "New@example.com" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = invite["token"].as_str().unwrap();
    assert!(
        invite["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/signup?invite={token}"))
    );
    let wrong_person = signup(&app, &browser(), body("else@example.com", Some(token))).await;
    expect_error(wrong_person, StatusCode::FORBIDDEN, "invite_required").await;
    let newcomer = browser();
    let invited = signup(&app, &newcomer, body("new@example.com", Some(token))).await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let again = signup(&app, &browser(), body("new2@example.com", Some(token))).await;
    expect_error(again, StatusCode::FORBIDDEN, "invite_required").await;

    // A person who owns no diagram (and is not the administrator) may not invite; an owner may.
    let invite = || {
        newcomer
            .post(app.url("/api/invites"))
            .json(&json!({}))
            .send()
    };
    expect_error(invite().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    let made = newcomer
        .post(app.url("/api/diagrams"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::CREATED);
    assert_eq!(invite().await.unwrap().status(), StatusCode::CREATED);
}

/// Reads every text and blob of the database file (WAL included) and looks for the secrets.
#[tokio::test]
async fn the_database_holds_no_password_or_token_in_clear() {
    if support::skip_on_postgres("it reads and writes the SQLite file directly") {
        return;
    }
    let app = spawn_app().await;
    let token = app.token("write").await;
    let id = app.create("secret keeper").await.diagram.id;
    let link: Value = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/links")))
        .json(&json!({ "role": "viewer" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = link["token"].as_str().unwrap().to_string();
    let invite: Value = app
        .client
        .post(app.url("/api/invites"))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let invite = invite["token"].as_str().unwrap().to_string();
    let session = set_cookie(&login(&app, &Client::new(), OWNER, PASSWORD).await);
    let session = session
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("tw_session=")
        .to_string();
    let dir = app.stop().await;
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path().join("data")).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(bytes.len() > 4096, "the database was read");
    let holds = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(holds("owner@example.com"), "the search works on this file");
    for (what, secret) in [
        ("password", PASSWORD),
        ("API token", &token),
        ("link", &link),
        ("invite", &invite),
        ("session", &session),
    ] {
        assert!(!holds(secret), "the {what} is stored in clear");
    }
}

/// Attempts are charged before the password is checked, so parallel ones cannot all slip under
/// the limit while the first are still hashing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_get_ten_tries_not_more() {
    let app = spawn_app().await;
    let tries: Vec<_> = (0..30)
        .map(|_| {
            let url = app.url("/api/auth/login");
            tokio::spawn(async move {
                Client::new()
                    .post(url)
                    .json(&json!({ "email": OWNER, "password": "not the password" }))
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for attempt in tries {
        statuses.push(attempt.await.unwrap());
    }
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, refused), (10, 20), "{statuses:?}");
}

/// Two sign-ups racing with one invite: one account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_makes_one_account_even_when_two_race_for_it() {
    let auth = AuthSettings {
        signup: Signup::Invite,
        ..AuthSettings::default()
    };
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |s| s.with_auth(auth)).await;
    let invite: Value = app
        .client
        .post(app.url("/api/invites"))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = invite["token"].as_str().unwrap().to_string();
    let racers: Vec<_> = (0..4)
        .map(|n| {
            let (url, token) = (app.url("/api/auth/signup"), token.clone());
            tokio::spawn(async move {
                Client::new()
                    .post(url)
                    .json(&json!({ "email": format!("racer{n}@example.com"), "name": "R", "password": PASSWORD, "invite": token }))
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    let mut created = 0;
    for racer in racers {
        let status = racer.await.unwrap();
        assert!(
            matches!(status, StatusCode::CREATED | StatusCode::FORBIDDEN),
            "{status}"
        );
        created += usize::from(status == StatusCode::CREATED);
    }
    assert_eq!(created, 1);
}

/// The account's limit holds whatever address the guesses come from (as a trusted proxy names
/// them), and the address's limit whatever account they are for.
#[tokio::test]
async fn each_limit_holds_on_its_own() {
    let proxies = TrustedProxies::new(vec!["127.0.0.1".parse().unwrap()]);
    let app = spawn_app_with(tempfile::tempdir().unwrap(), |s| {
        s.with_trusted_proxies(proxies)
    })
    .await;
    let from = |ip: String, email: &str| {
        Client::new()
            .post(app.url("/api/auth/login"))
            .header("x-forwarded-for", ip)
            .json(&json!({ "email": email, "password": "not the password" }))
            .send()
    };
    for n in 0..10 {
        let status = from(format!("203.0.113.{n}"), OWNER)
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let account = from("198.51.100.1".into(), OWNER).await.unwrap();
    expect_error(account, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    for n in 0..10 {
        let email = format!("guess{n}@example.com");
        let status = from("198.51.100.2".into(), &email).await.unwrap().status();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let address = from("198.51.100.2".into(), "fresh@example.com")
        .await
        .unwrap();
    expect_error(address, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    // IPv6 clients count by their /64.
    for n in 0..10 {
        let status = from(
            format!("2001:db8:1:2::{n:x}"),
            &format!("v6{n}@example.com"),
        )
        .await
        .unwrap()
        .status();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let same_64 = from("2001:db8:1:2::ffff".into(), "v6x@example.com")
        .await
        .unwrap();
    expect_error(same_64, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
}
