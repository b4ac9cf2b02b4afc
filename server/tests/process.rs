//! The real binary: a clear message when the port is taken, a clean stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tablewright");

#[test]
fn a_taken_port_is_reported_in_one_line_naming_the_address_and_the_option() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(BIN)
        .args(["--bind", &addr.to_string()])
        .args([
            "--database-url",
            &format!("sqlite://{}/db.sqlite", dir.path().display()),
        ])
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains(&addr.to_string()) && lines[0].contains("--bind"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

/// The binary on a free port over a database in `dir` (at `database`, relative), with
/// `extra` options, once it says it is listening; with its port and the rest of its log.
fn start(
    dir: &tempfile::TempDir,
    database: &str,
    extra: &[&str],
) -> (Child, u16, impl Iterator<Item = String>) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(BIN)
        .args(["--bind", &format!("127.0.0.1:{port}")])
        .args([
            "--database-url",
            &format!("sqlite://{}/{database}", dir.path().display()),
        ])
        .args(extra)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok);
    let ready = lines.by_ref().any(|l| l.contains("listening on"));
    assert!(ready, "the server never said it was listening");
    (child, port, lines)
}

/// Sends SIGTERM to `child` and waits (up to 10 s) for it to exit; returns its status and how
/// long that took.
fn terminate(child: &mut Child) -> (ExitStatus, Duration) {
    let signalled = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, signalled.elapsed());
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, _, lines) = start(&dir, "nested/db.sqlite", &[]);
    assert!(
        dir.path().join("nested/db.sqlite").exists(),
        "the database folder was created"
    );
    let (status, _) = terminate(&mut child);
    assert!(status.success(), "{status:?}");
    let rest: Vec<String> = lines.collect();
    assert!(
        rest.iter().any(|l| l.contains("stopped cleanly")),
        "{rest:?}"
    );
}

/// Starts the binary on `database_url` and expects it to stop at once with a message, creating
/// nothing in its working folder; returns the message.
fn refused(database_url: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(BIN)
        .args(["--bind", "127.0.0.1:0", "--database-url", database_url])
        .current_dir(dir.path())
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "nothing is created: {left:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_database_url_of_another_engine_stops_the_server_with_a_clear_message() {
    let stderr = refused("mysql://tablewright@localhost/tablewright");
    assert!(
        stderr.contains("\"mysql\"")
            && stderr.contains("sqlite://")
            && stderr.contains("postgres://"),
        "{stderr}"
    );
}

/// A PostgreSQL server that does not answer is a startup error naming the database, not a
/// folder named `postgres:` full of SQLite files (as it once was).
#[test]
fn a_postgres_url_is_a_postgres_database() {
    // A port nothing listens on.
    let stderr = refused("postgres://tablewright@127.0.0.1:9/tablewright");
    assert!(stderr.contains("cannot open the database"), "{stderr}");
}

/// A request that never finishes (its body never comes) must not keep the server up past its
/// shutdown grace, and the port is free the moment it has exited.
#[test]
fn sigterm_ends_the_process_within_the_grace_even_with_a_request_in_flight() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port, _lines) = start(
        &dir,
        "db.sqlite",
        &["--shutdown-grace", "1", "--request-timeout", "120"],
    );
    let mut stalled = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stalled,
        "POST /api/auth/signup HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"email\": \""
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let (status, took) = terminate(&mut child);
    assert!(status.success(), "{status:?}");
    assert!(
        took < Duration::from_secs(2),
        "took {took:?}; the grace is 1 s"
    );
    TcpListener::bind(("127.0.0.1", port)).expect("the port is free at once");
    drop(stalled);
}

/// The status line of `GET /healthz`, asked as a load balancer asks: by address, with a host
/// name the server does not serve.
fn health(port: u16) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 10.0.0.7:3000\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.lines().next().map(str::to_string)
}

/// The health check answers 200 while serving and 503 once SIGTERM came, for the drain time,
/// during which new connections are still taken; then the server stops cleanly.
#[test]
fn the_health_check_says_503_while_the_server_drains() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, port, _lines) = start(&dir, "db.sqlite", &["--shutdown-drain", "2"]);
    assert_eq!(health(port).as_deref(), Some("HTTP/1.1 200 OK"));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        health(port).as_deref(),
        Some("HTTP/1.1 503 Service Unavailable"),
        "draining"
    );
    let (status, took) = terminate(&mut child);
    assert!(status.success(), "{status:?}");
    assert!(took < Duration::from_secs(8), "{took:?}");
}
