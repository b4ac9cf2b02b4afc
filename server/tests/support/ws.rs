//! WebSocket clients of the live channel, signed in as real people.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use model::Uuid;
use model::api::live;
use model::api::live::{ClientMessage, ServerMessage};
use serde_json::json;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{PASSWORD, TestApp};

/// How long a test waits for a message that should come.
pub const WAIT: Duration = Duration::from_secs(10);

pub struct Ws {
    pub stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// What a connection ended with.
#[derive(Debug, PartialEq)]
pub enum Ended {
    Closed(Option<u16>, String),
    Broken,
}

impl TestApp {
    /// The session cookie (`name=value`) of `email`'s account, signed up (or in) for it.
    pub async fn cookie(&self, email: &str) -> String {
        let client = reqwest::Client::new();
        let mut response = client
            .post(self.url("/api/auth/signup"))
            .json(&json!({ "email": email, "name": email.split('@').next(), "password": PASSWORD }))
            .send()
            .await
            .expect("request");
        if response.status() == reqwest::StatusCode::CONFLICT {
            response = client
                .post(self.url("/api/auth/login"))
                .json(&json!({ "email": email, "password": PASSWORD }))
                .send()
                .await
                .expect("request");
        }
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("a session cookie");
        cookie.split(';').next().expect("name=value").to_string()
    }

    /// Opens diagram `id`'s live channel with `headers` (a `Cookie` or `Authorization` …).
    pub async fn live(&self, id: Uuid, headers: &[(&str, &str)], query: &str) -> Ws {
        self.try_live(id, headers, query)
            .await
            .expect("the live channel opens")
    }

    pub async fn try_live(
        &self,
        id: Uuid,
        headers: &[(&str, &str)],
        query: &str,
    ) -> Result<Ws, tungstenite::Error> {
        let url = format!("ws://{}/api/diagrams/{id}/live{query}", self.addr);
        let mut request = url.into_client_request().expect("a request");
        for (header, value) in headers {
            let name =
                tungstenite::http::HeaderName::from_bytes(header.as_bytes()).expect("a name");
            request
                .headers_mut()
                .append(name, HeaderValue::from_str(value).expect("a header"));
        }
        let (stream, _) = tokio_tungstenite::connect_async(request).await?;
        Ok(Ws { stream })
    }
}

impl Ws {
    /// The next message of the channel (pings skipped); panics after [`WAIT`].
    pub async fn next(&mut self) -> ServerMessage {
        match self.next_within(WAIT).await {
            Some(message) => message,
            None => panic!("no message within {WAIT:?}"),
        }
    }

    /// The next message, if one comes within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<ServerMessage> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()?;
            match frame {
                Some(Ok(Message::Text(text))) => {
                    return Some(serde_json::from_str(&text).unwrap_or_else(|e| {
                        panic!("not a server message ({e}): {text}");
                    }));
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                other => panic!("expected a message, got {other:?}"),
            }
        }
    }

    /// Skips messages until one `pick` takes (presence and the like in between are skipped).
    pub async fn until<T>(&mut self, mut pick: impl FnMut(ServerMessage) -> Option<T>) -> T {
        loop {
            if let Some(found) = pick(self.next().await) {
                return found;
            }
        }
    }

    /// Reads the welcome and the catch-up: the messages up to `live`, and its revision.
    pub async fn opened(&mut self) -> (Vec<ServerMessage>, i64) {
        let first = self.next().await;
        assert!(
            matches!(first, ServerMessage::Welcome(live::Welcome { .. })),
            "first a welcome: {first:?}"
        );
        let mut caught_up = vec![first];
        loop {
            match self.next().await {
                ServerMessage::Live(live::CaughtUp { revision }) => return (caught_up, revision),
                other => caught_up.push(other),
            }
        }
    }

    /// Reads the rest of the opening (after the welcome, read by the caller) up to `live`.
    pub async fn opened_rest(&mut self) -> i64 {
        self.until(|m| match m {
            ServerMessage::Live(live::CaughtUp { revision }) => Some(revision),
            _ => None,
        })
        .await
    }

    pub async fn send(&mut self, message: &ClientMessage) {
        let text = serde_json::to_string(message).expect("JSON");
        self.stream
            .send(Message::Text(text.into()))
            .await
            .expect("sent");
    }

    pub async fn send_raw(&mut self, message: Message) {
        let _ = self.stream.send(message).await;
    }

    /// Reads until the connection ends; messages before the end are skipped.
    pub async fn ended(&mut self) -> Ended {
        loop {
            match tokio::time::timeout(WAIT, self.stream.next()).await {
                Err(_) => panic!("still open after {WAIT:?}"),
                Ok(Some(Ok(Message::Close(frame)))) => {
                    let (code, reason) = frame
                        .map(|CloseFrame { code, reason }| {
                            (Some(u16::from(code)), reason.to_string())
                        })
                        .unwrap_or((None, String::new()));
                    return Ended::Closed(code, reason);
                }
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_)) | None) => return Ended::Broken,
            }
        }
    }
}
