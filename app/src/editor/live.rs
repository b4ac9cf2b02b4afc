//! The editor's end of the live channel: a WebSocket to `/api/diagrams/{id}/live`.
//!
//! Others' batches are taken into the replica under the own unconfirmed edits; own batches go
//! out on the same socket and are answered in the server's commit order. The connection comes
//! back by itself (backing off, at once when the browser is online again) and catches up from
//! the last revision it has. Who else is here, what they select and where they point arrive
//! on it too.

use leptos::prelude::*;
use model::Uuid;
use model::api::Role;
use model::api::live;
use model::api::live::{
    ClientMessage, Editing, Focus, MAX_SELECTION, Peer, Point, ServerMessage, close,
};
use model::sync::Replica;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::state::Editor;

/// The state of the connection, as the toolbar shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Live,
    Reconnecting,
    Offline,
    /// The person may no longer see the diagram (or it was deleted): no coming back.
    Closed,
}

impl Connection {
    /// The badge's accessible name.
    pub fn name(self) -> &'static str {
        match self {
            Connection::Connecting => "Connection: connecting",
            Connection::Live => "Connection: live",
            Connection::Reconnecting => "Connection: reconnecting",
            Connection::Offline => "Connection: offline",
            Connection::Closed => "Connection: disconnected",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Connection::Connecting => "Connecting…",
            Connection::Live => "Live",
            Connection::Reconnecting => "Reconnecting…",
            Connection::Offline => "Offline",
            Connection::Closed => "Disconnected",
        }
    }
}

/// Longest wait between two attempts to reconnect, in milliseconds.
const MAX_BACKOFF: f64 = 10_000.0;
/// How often a ping goes out; silence for `DEAD_AFTER` means the connection is gone.
const PING_EVERY: std::time::Duration = std::time::Duration::from_secs(15);
const DEAD_AFTER: f64 = 40_000.0;
/// Pointer positions go out at most this often (milliseconds).
const POINTER_EVERY: f64 = 50.0;

type Handler = Closure<dyn FnMut(web_sys::Event)>;

#[derive(Clone, Copy)]
pub struct Live {
    socket: StoredValue<Option<web_sys::WebSocket>, LocalStorage>,
    /// The current socket's event handlers, dropped only once it is replaced.
    handlers: StoredValue<Vec<Handler>, LocalStorage>,
    pub connection: RwSignal<Connection>,
    /// Everyone connected, this editor included.
    pub people: RwSignal<Vec<Peer>>,
    pub me: RwSignal<Option<u64>>,
    /// Others' pointers on the canvas.
    pub pointers: RwSignal<Vec<(u64, Point)>>,
    /// The field this person is editing in the side panel.
    editing: StoredValue<Option<Editing>>,
    attempts: StoredValue<u32>,
    heard: StoredValue<f64>,
    last_pointer: StoredValue<f64>,
    /// A pointer position waiting for its turn to go out.
    held_pointer: StoredValue<Option<Option<Point>>>,
    /// The replica lost step: the next connection asks for the whole document.
    resync: StoredValue<bool>,
    stopped: StoredValue<bool>,
    on_role: StoredValue<Option<Callback<Role>>>,
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl Live {
    pub fn new() -> Self {
        Self {
            socket: StoredValue::new_local(None),
            handlers: StoredValue::new_local(Vec::new()),
            connection: RwSignal::new(Connection::Connecting),
            people: RwSignal::new(Vec::new()),
            me: RwSignal::new(None),
            pointers: RwSignal::new(Vec::new()),
            editing: StoredValue::new(None),
            attempts: StoredValue::new(0),
            heard: StoredValue::new(0.0),
            last_pointer: StoredValue::new(0.0),
            held_pointer: StoredValue::new(None),
            resync: StoredValue::new(false),
            stopped: StoredValue::new(false),
            on_role: StoredValue::new(None),
        }
    }

    pub fn is_live(&self) -> bool {
        self.connection.try_get_untracked() == Some(Connection::Live)
    }

    /// Opens the channel for `editor` and keeps it open while the editor is mounted;
    /// `on_role` hears of a change of the person's role.
    pub fn start(&self, editor: Editor, on_role: Option<Callback<Role>>) {
        self.on_role.set_value(on_role);
        let live = *self;
        let offline = window_event_listener(leptos::ev::offline, move |_| {
            live.connection.set(Connection::Offline);
            live.forget_socket(editor);
            editor.saver.disconnected(editor);
        });
        let online = window_event_listener(leptos::ev::online, move |_| {
            live.attempts.set_value(0);
            live.connect_soon(editor, 0.0);
        });
        let beat = set_interval_with_handle(move || live.heartbeat(), PING_EVERY).ok();
        on_cleanup(move || {
            offline.remove();
            online.remove();
            if let Some(beat) = beat {
                beat.clear();
            }
            live.stopped.set_value(true);
            live.close_socket();
        });
        self.connect_soon(editor, 0.0);
    }

    /// Connects after `delay` ms, outside any handler of the socket it replaces.
    fn connect_soon(&self, editor: Editor, delay: f64) {
        let live = *self;
        set_timeout(
            move || live.connect(editor),
            std::time::Duration::from_millis(delay as u64),
        );
    }

    fn connect(&self, editor: Editor) {
        if self.stopped.get_value() || self.connection.get_untracked() == Connection::Closed {
            return;
        }
        if self.socket.with_value(Option::is_some) {
            return;
        }
        if !navigator_online() {
            self.connection.set(Connection::Offline);
            return;
        }
        let Some(url) = self.url(editor) else {
            return;
        };
        let protocols = js_sys::Array::of1(&"tablewright".into());
        if let Some(token) = crate::client::link_token() {
            protocols.push(&format!("bearer.{token}").into());
        }
        let Ok(socket) = web_sys::WebSocket::new_with_str_sequence(&url, &protocols) else {
            self.retry(editor);
            return;
        };
        let live = *self;
        let message: Handler = Closure::new(move |event: web_sys::Event| {
            let text = event
                .dyn_ref::<web_sys::MessageEvent>()
                .and_then(|m| m.data().as_string());
            if let Some(text) = text {
                live.heard.set_value(now());
                match serde_json::from_str::<ServerMessage>(&text) {
                    Ok(message) => live.handle(editor, message),
                    Err(_) => live.close_socket(),
                }
            }
        });
        let socket_for_close = socket.clone();
        let closed: Handler = Closure::new(move |event: web_sys::Event| {
            let code = event
                .dyn_ref::<web_sys::CloseEvent>()
                .map_or(1006, web_sys::CloseEvent::code);
            live.closed(editor, &socket_for_close, code);
        });
        socket.set_onmessage(Some(message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(closed.as_ref().unchecked_ref()));
        self.heard.set_value(now());
        self.socket.set_value(Some(socket));
        self.handlers.set_value(vec![message, closed]);
        if self.connection.get_untracked() != Connection::Reconnecting {
            self.connection.set(Connection::Connecting);
        }
    }

    /// The channel's address: from the revision the replica has, naming the batch still
    /// unanswered.
    fn url(&self, editor: Editor) -> Option<String> {
        let location = web_sys::window()?.location();
        let scheme = if location.protocol().ok()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        let host = location.host().ok()?;
        let mut url = format!("{scheme}://{host}/api/diagrams/{}/live", editor.id());
        if !self.resync.get_value() {
            let (revision, pending) =
                editor.replica(|r| (r.revision(), r.sent_key().map(str::to_string)))?;
            url.push_str(&format!("?since={revision}"));
            if let Some(key) = pending {
                url.push_str(&format!("&pending={}", encode(&key)));
            }
        }
        Some(url)
    }

    fn closed(&self, editor: Editor, socket: &web_sys::WebSocket, code: u16) {
        let current = self
            .socket
            .with_value(|s| s.as_ref().is_some_and(|s| s == socket));
        if !current {
            return;
        }
        self.socket.set_value(None);
        self.pointers.set(Vec::new());
        self.people.set(Vec::new());
        editor.clear_selected_by();
        if self.stopped.get_value() {
            return;
        }
        if code == close::GONE {
            self.connection.set(Connection::Closed);
            editor.problem.set(Some(
                "You can no longer open this diagram: your access was removed, or it was deleted."
                    .into(),
            ));
            return;
        }
        editor.saver.disconnected(editor);
        if self.connection.get_untracked() != Connection::Offline {
            self.connection.set(Connection::Reconnecting);
        }
        self.retry(editor);
    }

    /// Tries again later: sooner at first, then every few seconds (with some jitter, so many
    /// clients of a restarted server do not all come back at once).
    fn retry(&self, editor: Editor) {
        let attempt = self.attempts.get_value();
        self.attempts.set_value(attempt + 1);
        let delay = (250.0 * 2f64.powi(attempt.min(6) as i32)).min(MAX_BACKOFF);
        self.connect_soon(editor, delay * (0.75 + js_sys::Math::random() / 2.0));
    }

    /// Closes the socket and stops waiting for it: offline, its close event may come only much
    /// later, and `online` must find no socket to connect a new one at once.
    fn forget_socket(&self, editor: Editor) {
        self.close_socket();
        self.socket.set_value(None);
        self.pointers.set(Vec::new());
        self.people.set(Vec::new());
        editor.clear_selected_by();
    }

    fn close_socket(&self) {
        if let Some(socket) = self.socket.get_value() {
            let _ = socket.close();
        }
    }

    fn heartbeat(&self) {
        if self.socket.with_value(Option::is_none) {
            return;
        }
        if now() - self.heard.get_value() > DEAD_AFTER {
            // Closing ends in `closed`, which reconnects.
            self.close_socket();
            return;
        }
        self.send(&ClientMessage::Ping);
    }

    /// Sends `message` when the socket is open (else it is dropped: edits wait in the replica).
    pub fn send(&self, message: &ClientMessage) {
        let Ok(text) = serde_json::to_string(message) else {
            return;
        };
        self.socket.with_value(|socket| {
            if let Some(socket) = socket
                && socket.ready_state() == web_sys::WebSocket::OPEN
            {
                let _ = socket.send_with_str(&text);
            }
        });
    }

    fn handle(&self, editor: Editor, message: ServerMessage) {
        match message {
            ServerMessage::Welcome(live::Welcome { you, role, people }) => {
                // What was missed comes next: own edits go back once it all has (`Live`).
                editor.with_replica(Replica::hold);
                self.me.set(Some(you.id));
                let mut everyone = people;
                everyone.push(you);
                self.people.set(everyone);
                editor.refresh_selected_by(self.people_tables());
                self.role(editor, role);
                self.focus_changed(editor);
            }
            ServerMessage::Batch(live::Batch {
                revision, key, ops, ..
            }) => match editor.committed(revision, key.as_deref(), &ops) {
                Ok(rebased) => editor.saver.settled(editor, rebased.dropped),
                Err(_) => self.resync(),
            },
            ServerMessage::Ack(live::Ack { revision, key }) => {
                match editor.committed(revision, Some(&key), &[]) {
                    Ok(_) => editor.saver.settled(editor, 0),
                    Err(_) => self.resync(),
                }
            }
            ServerMessage::Refused(live::Refused { key, error }) => {
                let dropped = editor.with_replica(|r| r.refused(&key)).unwrap_or(0);
                // Others' changes are told by the conflict notice; other refusals say why.
                if error.code != "conflict" {
                    editor.problem.set(Some(error.message));
                }
                editor.saver.settled(editor, dropped);
            }
            ServerMessage::Document(live::Document {
                revision, diagram, ..
            }) => {
                self.resync.set_value(false);
                let dropped = editor
                    .with_replica(|r| r.reset(diagram, revision))
                    .unwrap_or(0);
                editor.saver.settled(editor, dropped);
            }
            ServerMessage::Live(live::CaughtUp { .. }) => {
                let dropped = editor.with_replica(Replica::release).unwrap_or(0);
                self.attempts.set_value(0);
                self.connection.set(Connection::Live);
                editor.saver.resume(editor);
                if dropped > 0 {
                    editor.saver.settled(editor, dropped);
                }
            }
            ServerMessage::Joined(live::Joined { peer }) => {
                let tables = peer.focus.selection.clone();
                self.people
                    .update(|people| match people.iter_mut().find(|p| p.id == peer.id) {
                        Some(known) => *known = peer,
                        None => people.push(peer),
                    });
                editor.refresh_selected_by(tables);
            }
            ServerMessage::Left(live::Left { peer }) => {
                let tables = self.take_peer(peer);
                self.pointers.update(|p| p.retain(|(id, _)| *id != peer));
                editor.refresh_selected_by(tables);
            }
            ServerMessage::Focus(live::PeerFocus { peer, focus }) => {
                let mut touched = focus.selection.clone();
                self.people.update(|people| {
                    if let Some(known) = people.iter_mut().find(|p| p.id == peer) {
                        touched.extend(known.focus.selection.iter().copied());
                        known.focus = focus;
                    }
                });
                editor.refresh_selected_by(touched);
            }
            ServerMessage::Pointer(live::PeerPointer { peer, at }) => {
                self.pointers.update(|pointers| {
                    pointers.retain(|(id, _)| *id != peer);
                    if let Some(at) = at {
                        pointers.push((peer, at));
                    }
                })
            }
            ServerMessage::Role(live::RoleChanged { role }) => self.role(editor, role),
            ServerMessage::Pong => {}
        }
    }

    /// A role that no longer matches the editor's (a viewer made an editor, or back): the page
    /// opens the editor again for it.
    fn role(&self, editor: Editor, role: Role) {
        if (role < Role::Editor) != editor.read_only
            && let Some(on_role) = self.on_role.get_value()
        {
            on_role.run(role);
        }
    }

    /// The replica is out of step with the server: start again from the whole document.
    fn resync(&self) {
        self.resync.set_value(true);
        self.close_socket();
    }

    fn take_peer(&self, peer: u64) -> Vec<Uuid> {
        let mut tables = Vec::new();
        self.people.update(|people| {
            if let Some(at) = people.iter().position(|p| p.id == peer) {
                tables = people.remove(at).focus.selection;
            }
        });
        tables
    }

    /// Every table someone selects.
    fn people_tables(&self) -> Vec<Uuid> {
        self.people.with_untracked(|people| {
            people
                .iter()
                .flat_map(|p| p.focus.selection.iter().copied())
                .collect()
        })
    }

    /// Others who select `table`: their colour and name.
    pub fn selecting(&self, table: Uuid) -> Vec<(String, String)> {
        let me = self.me.get_untracked();
        self.people.with_untracked(|people| {
            people
                .iter()
                .filter(|p| Some(p.id) != me && p.focus.selection.contains(&table))
                .map(|p| (p.color.clone(), p.name.clone()))
                .collect()
        })
    }

    /// Others editing a field of `table` (of `column`, or of the table itself): colour, name.
    pub fn editing(&self, table: Uuid, column: Option<Uuid>) -> Vec<(String, String)> {
        let me = self.me.get();
        self.people.with(|people| {
            people
                .iter()
                .filter(|p| Some(p.id) != me)
                .filter(|p| {
                    p.focus
                        .editing
                        .as_ref()
                        .is_some_and(|e| e.table == table && e.column == column)
                })
                .map(|p| (p.color.clone(), p.name.clone()))
                .collect()
        })
    }

    /// Tells the others what this person selects and edits now.
    pub fn focus_changed(&self, editor: Editor) {
        let mut selection = editor.selected();
        selection.truncate(MAX_SELECTION);
        let focus = Focus {
            selection,
            editing: self.editing.get_value(),
        };
        self.send(&ClientMessage::Focus(focus));
    }

    /// The person started (or stopped) editing a field in the side panel.
    pub fn set_editing(&self, editor: Editor, editing: Option<Editing>) {
        if self.editing.get_value() != editing {
            self.editing.set_value(editing);
            self.focus_changed(editor);
        }
    }

    /// The pointer moved on the canvas (`None`: it left it). Sent at most every
    /// `POINTER_EVERY`; a position held back is sent when that time is up, so the last one
    /// always arrives.
    pub fn pointer(&self, at: Option<Point>) {
        let wait = POINTER_EVERY - (now() - self.last_pointer.get_value());
        if wait <= 0.0 {
            self.last_pointer.set_value(now());
            self.send(&ClientMessage::Pointer { at });
            return;
        }
        let already = self.held_pointer.get_value().is_some();
        self.held_pointer.set_value(Some(at));
        if !already {
            let live = *self;
            set_timeout(
                move || {
                    if let Some(at) = live.held_pointer.try_update_value(Option::take).flatten() {
                        live.last_pointer.set_value(now());
                        live.send(&ClientMessage::Pointer { at });
                    }
                },
                std::time::Duration::from_millis(wait.ceil() as u64),
            );
        }
    }
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Percent-encodes a batch key for the query string.
fn encode(key: &str) -> String {
    key.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}
