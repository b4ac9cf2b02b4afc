//! Replicas converge: three clients edit one document at once, their messages delayed, reordered
//! between clients and cut by disconnects; the server applies batches on top as it does for
//! real. In the end every client's document is the server's, and the server's is its history
//! replayed.

mod support;

use std::collections::VecDeque;

use model::sync::Replica;
use model::testing::{Step, step, to_op};
use model::{Diagram, Op};
use proptest::prelude::*;
use support::shop;

/// What the server sends a client, in its commit order.
#[derive(Debug, Clone)]
enum Down {
    Commit {
        revision: i64,
        key: Option<String>,
        ops: Vec<Op>,
    },
    Refused(String),
}

/// The server as the real one behaves: a stale batch is applied on top of the current document,
/// all or none; a batch whose key it has committed before is answered, not applied again.
struct Server {
    doc: Diagram,
    start: Diagram,
    history: Vec<(String, Vec<Op>)>,
}

impl Server {
    fn revision(&self) -> i64 {
        self.history.len() as i64
    }

    /// Applies a batch; the answer for its sender (the commit goes to the others too).
    fn apply(&mut self, key: String, ops: Vec<Op>) -> (Down, bool) {
        if let Some(at) = self.history.iter().position(|(k, _)| *k == key) {
            let revision = at as i64 + 1;
            let ops = self.history[at].1.clone();
            return (
                Down::Commit {
                    revision,
                    key: Some(key),
                    ops,
                },
                false,
            );
        }
        let mut doc = self.doc.clone();
        for op in &ops {
            if op.clone().apply(&mut doc).is_err() {
                return (Down::Refused(key), false);
            }
        }
        self.doc = doc;
        self.history.push((key.clone(), ops.clone()));
        let revision = self.revision();
        (
            Down::Commit {
                revision,
                key: Some(key),
                ops,
            },
            true,
        )
    }

    /// The commits after `since`, as a reconnecting client is sent them.
    fn since(&self, since: i64) -> Vec<Down> {
        self.history
            .iter()
            .enumerate()
            .skip(since as usize)
            .map(|(at, (key, ops))| Down::Commit {
                revision: at as i64 + 1,
                key: Some(key.clone()),
                ops: ops.clone(),
            })
            .collect()
    }

    fn replayed(&self) -> Diagram {
        let mut doc = self.start.clone();
        for (_, ops) in &self.history {
            for op in ops {
                op.clone().apply(&mut doc).expect("history replays");
            }
        }
        doc
    }
}

struct Client {
    name: usize,
    replica: Replica,
    seq: u64,
    connected: bool,
    /// Batches on their way to the server.
    up: VecDeque<(String, Vec<Op>)>,
    /// Messages on their way to this client.
    down: VecDeque<Down>,
}

impl Client {
    fn send(&mut self) {
        if !self.connected {
            return;
        }
        self.seq += 1;
        let key = format!("{}:{}", self.name, self.seq);
        if let Some((_, ops)) = self.replica.send(key.clone()) {
            self.up.push_back((key, ops));
        }
    }

    fn receive(&mut self, message: Down) {
        match message {
            Down::Commit { revision, key, ops } => {
                self.replica
                    .committed(revision, key.as_deref(), &ops)
                    .expect("in order, and applies");
            }
            Down::Refused(key) => {
                self.replica.refused(&key);
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Action {
    Edit(usize, Step),
    Send(usize),
    /// The server handles a client's oldest batch on its way.
    Serve(usize),
    /// A client reads its oldest message.
    Deliver(usize),
    /// The connection drops; the batch on its way is lost or still arrives.
    Drop(usize, bool),
    Reconnect(usize),
}

fn action() -> impl Strategy<Value = Action> {
    let who = 0..3usize;
    prop_oneof![
        4 => (who.clone(), step()).prop_map(|(c, s)| Action::Edit(c, s)),
        2 => who.clone().prop_map(Action::Send),
        3 => who.clone().prop_map(Action::Serve),
        4 => who.clone().prop_map(Action::Deliver),
        1 => (who.clone(), any::<bool>()).prop_map(|(c, lost)| Action::Drop(c, lost)),
        1 => who.prop_map(Action::Reconnect),
    ]
}

fn serve(server: &mut Server, clients: &mut [Client], from: usize) {
    let Some((key, ops)) = clients[from].up.pop_front() else {
        return;
    };
    let (answer, new) = server.apply(key, ops);
    if new {
        for (i, client) in clients.iter_mut().enumerate() {
            if i != from && client.connected {
                client.down.push_back(answer.clone());
            }
        }
    }
    if clients[from].connected {
        clients[from].down.push_back(answer);
    }
}

/// A new connection: the commits missed are replayed, then the batch still unanswered is sent
/// again under its key.
fn reconnect(server: &Server, client: &mut Client) {
    if client.connected {
        return;
    }
    client.connected = true;
    client.down = server.since(client.replica.revision()).into();
    while let Some(message) = client.down.pop_front() {
        client.receive(message);
    }
    if let Some((key, _, ops)) = client.replica.in_flight() {
        client.up.push_back((key.to_string(), ops.to_vec()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn three_clients_converge_on_the_servers_document(actions in prop::collection::vec(action(), 1..120)) {
        let start = shop().doc;
        let mut server = Server { doc: start.clone(), start: start.clone(), history: Vec::new() };
        let mut clients: Vec<Client> = (0..3)
            .map(|name| Client {
                name,
                replica: Replica::new(start.clone(), 0),
                seq: 0,
                connected: true,
                up: VecDeque::new(),
                down: VecDeque::new(),
            })
            .collect();
        for action in actions {
            match action {
                Action::Edit(c, step) => {
                    let replica = &mut clients[c].replica;
                    if let Some(op) = to_op(replica.doc(), step) {
                        let _ = replica.edit(op);
                    }
                }
                Action::Send(c) => clients[c].send(),
                Action::Serve(c) => serve(&mut server, &mut clients, c),
                Action::Deliver(c) => {
                    if let Some(message) = clients[c].down.pop_front() {
                        clients[c].receive(message);
                    }
                }
                Action::Drop(c, lost) => {
                    let client = &mut clients[c];
                    client.connected = false;
                    client.down.clear();
                    if lost {
                        client.up.clear();
                    }
                }
                Action::Reconnect(c) => reconnect(&server, &mut clients[c]),
            }
        }
        // Everyone comes back and works until nothing is left to send or read.
        for client in &mut clients {
            reconnect(&server, client);
        }
        for _ in 0..100 {
            let mut busy = false;
            for c in 0..3 {
                clients[c].send();
                while !clients[c].up.is_empty() {
                    serve(&mut server, &mut clients, c);
                    busy = true;
                }
            }
            for client in &mut clients {
                while let Some(message) = client.down.pop_front() {
                    client.receive(message);
                    busy = true;
                }
            }
            if !busy {
                break;
            }
        }
        for client in &clients {
            prop_assert!(!client.replica.has_unconfirmed(), "client {} still has edits", client.name);
            prop_assert_eq!(client.replica.revision(), server.revision());
            prop_assert_eq!(client.replica.doc(), &server.doc, "client {} differs", client.name);
        }
        prop_assert_eq!(server.replayed(), server.doc.clone());
    }
}

#[test]
fn a_remote_batch_goes_under_own_unsent_edits() {
    let shop = shop();
    let mut mine = Replica::new(shop.doc.clone(), 1);
    let rename = |name: &str| Op::UpdateTable {
        table_id: shop.users,
        patch: model::TablePatch {
            name: Some(name.into()),
            ..Default::default()
        },
    };
    mine.edit(rename("mine")).unwrap();
    let remote = [rename("theirs"), Op::RemoveNote { note_id: shop.note }];
    let rebased = mine.committed(2, Some("other:1"), &remote).unwrap();
    assert_eq!(rebased.dropped, 0);
    assert_eq!(mine.revision(), 2);
    assert_eq!(
        mine.doc().table(shop.users).unwrap().name,
        "mine",
        "own edit on top"
    );
    assert!(mine.doc().notes.is_empty(), "their edit taken in");
    // A revision that skips one is refused: the client must catch up first.
    assert!(mine.committed(4, None, &[]).is_err());
}

#[test]
fn an_own_edit_that_no_longer_applies_is_dropped() {
    let shop = shop();
    let mut mine = Replica::new(shop.doc.clone(), 1);
    mine.edit(Op::UpdateTable {
        table_id: shop.orders,
        patch: model::TablePatch {
            comment: Some("mine".into()),
            ..Default::default()
        },
    })
    .unwrap();
    let (base, ops) = mine.send("me:1".into()).unwrap();
    assert_eq!((base, ops.len()), (1, 1));
    let gone = [Op::RemoveTable {
        table_id: shop.orders,
    }];
    mine.committed(2, Some("other:1"), &gone).unwrap();
    assert!(mine.doc().table(shop.orders).is_none());
    // The server refuses the batch in flight as well; nothing is left to take off.
    assert_eq!(mine.refused("me:1"), 1);
    assert!(!mine.has_unconfirmed());
    assert_eq!(mine.doc().tables.len(), 1);
}

#[test]
fn catching_up_puts_own_edits_back_once_on_the_latest_document() {
    let shop = shop();
    let mut mine = Replica::new(shop.doc.clone(), 1);
    // Offline, I add a table under the default name and rename it.
    let mut table = model::Table::new("table_3");
    table.x = 600.0;
    let my_table = table.id;
    mine.edit(Op::AddTable { table, at: None }).unwrap();
    let rename = |id, name: &str| Op::UpdateTable {
        table_id: id,
        patch: model::TablePatch {
            name: Some(name.into()),
            ..Default::default()
        },
    };
    mine.edit(rename(my_table, "made_by_me")).unwrap();
    // Meanwhile someone added a table under the same default name, then renamed it.
    let theirs = model::Table::new("table_3");
    let their_table = theirs.id;
    // Putting them back after each commit would drop both: the name collides in between.
    let mut eager = mine.clone();
    let first = [Op::AddTable {
        table: theirs.clone(),
        at: None,
    }];
    assert_eq!(
        eager.committed(2, Some("other:1"), &first).unwrap().dropped,
        2
    );
    mine.hold();
    let added = [Op::AddTable {
        table: theirs,
        at: None,
    }];
    assert_eq!(
        mine.committed(2, Some("other:1"), &added).unwrap().dropped,
        0
    );
    let renamed = [rename(their_table, "made_by_them")];
    assert_eq!(
        mine.committed(3, Some("other:2"), &renamed)
            .unwrap()
            .dropped,
        0
    );
    assert_eq!(
        mine.release(),
        0,
        "nothing collides with the latest document"
    );
    let names: Vec<&str> = mine.doc().tables.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names.contains(&"made_by_me") && names.contains(&"made_by_them"),
        "{names:?}"
    );
    assert!(mine.has_unconfirmed());
}
