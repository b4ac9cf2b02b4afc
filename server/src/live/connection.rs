//! One live connection: what it is sent (catching up, then changes as they are committed, and
//! the others' presence) and what it sends (op batches, its focus and pointer).
//!
//! Two loops share the socket, one writing and one reading; when either ends, so does the
//! connection, with a close frame that says why.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use axum::http::HeaderMap;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use model::Uuid;
use model::api::Role;
use model::api::live;
use model::api::live::{
    ClientMessage, Focus, MAX_KEY_LEN, MAX_SELECTION, Peer, ServerMessage, close,
};
use tokio::sync::{broadcast, mpsc, watch};

use super::hub::{Change, Event, Feeds, Membership, render};
use crate::auth::Caller;
use crate::db::{self, Author};
use crate::error::ApiError;
use crate::limits::Deadline;
use crate::state::AppState;

/// How often the server pings; a connection silent for three of these is dead.
const PING_EVERY: Duration = Duration::from_secs(15);
/// How often a connection checks its access again by itself (a session may expire).
const RECHECK_EVERY: Duration = Duration::from_secs(300);
/// Longest one message may take to go out: a client that reads nothing for this long is dropped.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// The most revisions a catch-up sends one by one; past it, the whole document.
const MAX_REPLAY: i64 = 1_000;
/// Messages a client may send: a burst of this many, refilled at `RATE` a second.
const BURST: f64 = 200.0;
const RATE: f64 = 100.0;
/// Pointer positions shown to others at most this often per connection; more are skipped.
const POINTER_EVERY: Duration = Duration::from_millis(40);

/// What a connection knows of its caller, from the request that opened it.
pub struct Context {
    pub state: AppState,
    pub diagram: Uuid,
    pub credentials: HeaderMap,
    pub author: Author,
    pub peer: Peer,
    pub role: Role,
    /// The caller's token is not read-only (their role decides the rest).
    pub may_write: bool,
    pub since: Option<i64>,
    pub pending: Option<String>,
}

/// Why a connection ended, and the close frame that says so.
#[derive(Debug)]
enum End {
    /// The client closed it, or the connection broke: nothing to say.
    Closed,
    Gone(&'static str),
    TooSlow,
    TooMany(&'static str),
    BadMessage(String),
    Dead,
    Shutdown,
    Failed,
}

impl End {
    fn frame(&self) -> Option<CloseFrame> {
        let (code, reason) = match self {
            End::Closed => return None,
            End::Gone(why) => (close::GONE, (*why).to_string()),
            End::TooSlow => (
                close::TOO_SLOW,
                "fell behind the changes; reconnect to catch up".into(),
            ),
            End::TooMany(why) => (close::TOO_MANY, (*why).to_string()),
            End::BadMessage(why) => (close::BAD_MESSAGE, why.clone()),
            End::Dead => (1001, "no answer to pings".into()),
            End::Shutdown => (1001, "the server is restarting; reconnect".into()),
            End::Failed => (1011, "the server could not read the diagram".into()),
        };
        // A close reason holds at most 123 bytes.
        let mut reason = reason;
        while reason.len() > 123 {
            reason.pop();
        }
        Some(CloseFrame {
            code,
            reason: reason.into(),
        })
    }
}

/// What both loops share.
struct Shared {
    cx: Context,
    /// The last revision sent to the client.
    sent: AtomicI64,
    /// Keys of this connection's batches not answered yet: their commits are sent as `ack`.
    own: Mutex<HashSet<String>>,
    role: watch::Sender<Role>,
    heard: Mutex<Instant>,
}

pub async fn run(socket: WebSocket, cx: Context) {
    let (mut sink, mut stream) = socket.split();
    let hub = cx.state.db.hub().clone();
    let (membership, mut feeds, you, people) = hub.join(cx.diagram, cx.peer.clone());
    let shared = Shared {
        sent: AtomicI64::new(0),
        role: watch::channel(cx.role).0,
        cx,
        own: Mutex::default(),
        heard: Mutex::new(Instant::now()),
    };
    let (direct, mut inbox) = mpsc::channel(64);
    let end = tokio::select! {
        end = write(&mut sink, &shared, &membership, &mut feeds, &mut inbox, (you, people)) => end,
        end = read(&mut stream, &shared, &membership, &direct) => end,
    };
    tracing::debug!(diagram = %shared.cx.diagram, peer = membership.peer, ?end, "live channel closed");
    if let Some(frame) = end.frame() {
        let _ = tokio::time::timeout(
            Duration::from_secs(1),
            sink.send(Message::Close(Some(frame))),
        )
        .await;
    }
}

type Sink = SplitSink<WebSocket, Message>;

async fn send(sink: &mut Sink, text: Utf8Bytes) -> Result<(), End> {
    match tokio::time::timeout(SEND_TIMEOUT, sink.send(Message::Text(text))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(End::Closed),
        Err(_) => Err(End::TooSlow),
    }
}

async fn send_message(sink: &mut Sink, message: &ServerMessage) -> Result<(), End> {
    let json = serde_json::to_string(message).map_err(|_| End::Failed)?;
    send(sink, json.into()).await
}

/// The writing loop: the welcome, the catch-up, then commits, presence and answers as they come.
async fn write(
    sink: &mut Sink,
    shared: &Shared,
    membership: &Membership,
    feeds: &mut Feeds,
    inbox: &mut mpsc::Receiver<ServerMessage>,
    welcome: (Peer, Vec<Peer>),
) -> End {
    match write_all(sink, shared, membership, feeds, inbox, welcome).await {
        Ok(()) => End::Closed,
        Err(end) => end,
    }
}

async fn write_all(
    sink: &mut Sink,
    shared: &Shared,
    membership: &Membership,
    feeds: &mut Feeds,
    inbox: &mut mpsc::Receiver<ServerMessage>,
    (you, people): (Peer, Vec<Peer>),
) -> Result<(), End> {
    let cx = &shared.cx;
    let role = *shared.role.borrow();
    send_message(
        sink,
        &ServerMessage::Welcome(live::Welcome { you, role, people }),
    )
    .await?;
    let mut last = catch_up(sink, shared, cx.since, cx.pending.as_deref()).await?;
    shared.sent.store(last, Ordering::Release);
    send_message(
        sink,
        &ServerMessage::Live(live::CaughtUp { revision: last }),
    )
    .await?;
    let mut closing = cx.state.db.hub().closing();
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    let mut recheck_at = Instant::now() + RECHECK_EVERY;
    loop {
        tokio::select! {
            event = feeds.events.recv() => match event {
                Ok(Event::Commit(commit)) => {
                    if commit.revision <= last {
                        continue;
                    }
                    if commit.revision > last + 1 {
                        // Missed (another process wrote it): history has it.
                        last = catch_up(sink, shared, Some(last), None).await?;
                        shared.sent.store(last, Ordering::Release);
                        if commit.revision <= last {
                            continue;
                        }
                    }
                    let own = commit.key.as_ref().filter(|k| take_own(shared, k));
                    match own {
                        Some(key) => {
                            let ack = ServerMessage::Ack(live::Ack { revision: commit.revision, key: key.clone() });
                            send_message(sink, &ack).await?;
                        }
                        None => send(sink, commit.message()).await?,
                    }
                    last = commit.revision;
                    shared.sent.store(last, Ordering::Release);
                }
                Ok(Event::Recheck) => recheck(sink, shared, membership).await?,
                Ok(Event::Gone) => return Err(End::Gone("the diagram was deleted")),
                Err(broadcast::error::RecvError::Lagged(_)) => return Err(End::TooSlow),
                Err(broadcast::error::RecvError::Closed) => return Err(End::Shutdown),
            },
            presence = feeds.presence.recv() => match presence {
                Ok(p) if p.from != membership.peer => send(sink, p.message).await?,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return Err(End::Shutdown),
            },
            answer = inbox.recv() => match answer {
                Some(message) => send_message(sink, &message).await?,
                None => return Ok(()),
            },
            _ = ping.tick() => {
                let heard = *shared.heard.lock().unwrap_or_else(|e| e.into_inner());
                if heard.elapsed() > PING_EVERY * 3 {
                    return Err(End::Dead);
                }
                match tokio::time::timeout(SEND_TIMEOUT, sink.send(Message::Ping(Default::default()))).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => return Err(End::Closed),
                    Err(_) => return Err(End::TooSlow),
                }
                if Instant::now() >= recheck_at {
                    recheck_at = Instant::now() + RECHECK_EVERY;
                    recheck(sink, shared, membership).await?;
                }
            },
            () = async { drop(closing.wait_for(|closing| *closing).await) } => {
                return Err(End::Shutdown);
            }
        }
    }
}

/// Removes `key` from the connection's unanswered batches; true when it was one of them.
fn take_own(shared: &Shared, key: &str) -> bool {
    shared
        .own
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(key)
}

/// Sends what was committed after `since` and returns the revision the client now has: the
/// revisions one by one when they are few op batches, else the whole document (with an `ack`
/// first for the client's `pending` batch, if it is in it).
async fn catch_up(
    sink: &mut Sink,
    shared: &Shared,
    since: Option<i64>,
    pending: Option<&str>,
) -> Result<i64, End> {
    let cx = &shared.cx;
    let db = &cx.state.db;
    let gone = |e: db::StoreError| match e {
        db::StoreError::NotFound => End::Gone("the diagram was deleted"),
        _ => End::Failed,
    };
    if let Some(since) = since {
        let recorded = db::commits_after(db, cx.diagram, since, MAX_REPLAY)
            .await
            .map_err(gone)?;
        if let Some(recorded) = recorded {
            let mut last = since;
            for commit in recorded {
                let own = commit.key.as_ref().filter(|k| take_own(shared, k));
                let text = match own {
                    Some(key) => serde_json::to_string(&ServerMessage::Ack(live::Ack {
                        revision: commit.revision,
                        key: key.clone(),
                    }))
                    .map_err(|_| End::Failed)?,
                    None => render(
                        commit.revision,
                        &commit.author,
                        &commit.key,
                        &Change::Ops(commit.body.into()),
                    ),
                };
                send(sink, text.into()).await?;
                last = commit.revision;
            }
            return Ok(last);
        }
    }
    let (diagram, revision) = db::get(db, cx.diagram).await.map_err(gone)?;
    if let (Some(key), Some(since)) = (pending, since)
        && let Some(at) = db::key_revision(db, cx.diagram, key).await.map_err(gone)?
        && at > since
    {
        let ack = ServerMessage::Ack(live::Ack {
            revision: at,
            key: key.to_string(),
        });
        send_message(sink, &ack).await?;
    }
    let document = ServerMessage::Document(live::Document {
        revision,
        author: None,
        diagram,
    });
    send_message(sink, &document).await?;
    Ok(revision)
}

/// Checks the caller's access again: gone, the connection ends; changed, the client is told.
async fn recheck(sink: &mut Sink, shared: &Shared, membership: &Membership) -> Result<(), End> {
    let cx = &shared.cx;
    let role = match Caller::resolve(&cx.state, &cx.credentials).await {
        Ok(Caller::Anonymous) | Err(ApiError::Unauthenticated) => None,
        Ok(caller) => crate::auth::access::diagram_role(&cx.state, &caller, cx.diagram)
            .await
            .map_err(|_| End::Failed)?,
        Err(_) => return Err(End::Failed),
    };
    let Some(role) = role else {
        // A deletion also takes the access away; its own notice may still be on the way.
        let exists = db::access::diagram_exists(&cx.state.db, cx.diagram).await;
        return Err(End::Gone(if exists.is_ok_and(|e| !e) {
            "the diagram was deleted"
        } else {
            "your access to this diagram was removed"
        }));
    };
    if shared
        .role
        .send_if_modified(|now| std::mem::replace(now, role) != role)
    {
        membership.set_role(role);
        send_message(sink, &ServerMessage::Role(live::RoleChanged { role })).await?;
    }
    Ok(())
}

/// The reading loop: op batches are applied one at a time, in the order sent.
async fn read(
    stream: &mut SplitStream<WebSocket>,
    shared: &Shared,
    membership: &Membership,
    direct: &mpsc::Sender<ServerMessage>,
) -> End {
    let mut budget = BURST;
    let mut refilled = Instant::now();
    let mut last_pointer: Option<Instant> = None;
    while let Some(message) = stream.next().await {
        let message = match message {
            Ok(message) => message,
            // tungstenite's words for a message over `max_message_size`.
            Err(error) if error.to_string().contains("limit exceeded") => {
                return End::TooMany("a message over the size limit");
            }
            Err(_) => return End::Closed,
        };
        *shared.heard.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
        let text = match message {
            Message::Text(text) => text,
            Message::Binary(_) => return End::BadMessage("messages are JSON text".into()),
            Message::Close(_) => return End::Closed,
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        let now = Instant::now();
        budget = (budget + now.duration_since(refilled).as_secs_f64() * RATE).min(BURST);
        refilled = now;
        if budget < 1.0 {
            return End::TooMany("too many messages; slow down");
        }
        budget -= 1.0;
        let message: ClientMessage = match serde_json::from_str(&text) {
            Ok(message) => message,
            Err(error) => {
                return End::BadMessage(format!("not a message of this channel: {error}"));
            }
        };
        let answer = match message {
            ClientMessage::Ops { key, base, ops } => edit(shared, key, base, ops).await,
            ClientMessage::Focus(focus) => {
                membership.focus(trimmed(focus));
                None
            }
            ClientMessage::Pointer { at } => {
                let valid = at.is_none_or(|p| {
                    p.x.abs() <= model::MAX_COORDINATE && p.y.abs() <= model::MAX_COORDINATE
                });
                if valid && last_pointer.is_none_or(|t| now.duration_since(t) >= POINTER_EVERY) {
                    last_pointer = Some(now);
                    let peer = membership.peer;
                    membership.room.tell(
                        peer,
                        &ServerMessage::Pointer(live::PeerPointer { peer, at }),
                    );
                }
                None
            }
            ClientMessage::Ping => Some(ServerMessage::Pong),
        };
        if let Some(answer) = answer
            && direct.try_send(answer).is_err()
        {
            return End::TooSlow;
        }
    }
    End::Closed
}

/// Applies a batch sent on the channel; the answer to send at once (a refusal), if any. Its
/// commit is answered in the stream of commits, in order.
async fn edit(
    shared: &Shared,
    key: String,
    base: i64,
    ops: Vec<model::Op>,
) -> Option<ServerMessage> {
    let cx = &shared.cx;
    let refused = |key: String, error: ApiError| {
        ServerMessage::Refused(live::Refused {
            key,
            error: error.detail(),
        })
    };
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        let error = ApiError::InvalidBody(format!("a batch key has 1 to {MAX_KEY_LEN} bytes"));
        return Some(refused(key, error));
    }
    if !cx.may_write || *shared.role.borrow() < Role::Editor {
        let error = ApiError::Forbidden("you may view this diagram, not change it".into());
        return Some(refused(key, error));
    }
    if let Err(error) = cx.state.limits.check_batch(&ops) {
        return Some(refused(key, error));
    }
    shared
        .own
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key.clone());
    let deadline = Deadline::after(cx.state.limits.request_timeout);
    let limits = cx.state.limits.document();
    let written = db::apply_ops(
        &cx.state.db,
        cx.diagram,
        base,
        ops,
        &limits,
        cx.author.clone(),
        &deadline,
        Some(key.clone()),
    )
    .await;
    match written {
        // Answered in the stream of commits, unless that has passed it already: a batch sent
        // again whose first commit went out (with its key) before this one arrived.
        Ok(revision) => {
            if revision <= shared.sent.load(Ordering::Acquire) {
                take_own(shared, &key);
            }
            None
        }
        Err(error) => {
            take_own(shared, &key);
            Some(refused(key, error.into()))
        }
    }
}

/// A focus within the limits: so many tables selected, a short field name.
fn trimmed(mut focus: Focus) -> Focus {
    focus.selection.truncate(MAX_SELECTION);
    if let Some(editing) = &mut focus.editing
        && editing.field.len() > 64
    {
        focus.editing = None;
    }
    focus
}

#[cfg(test)]
mod tests {
    use super::End;

    #[test]
    fn close_reasons_fit_a_close_frame() {
        let long = End::BadMessage("é".repeat(200));
        let frame = long.frame().expect("a frame");
        assert!(frame.reason.len() <= 123);
        assert!(End::Closed.frame().is_none());
    }
}
