//! Three clients edit one diagram at once through the real live channel, with random delays
//! and dropped connections, each keeping its copy as the editor does (`model::sync::Replica`).
//! In the end every client's document equals the server's, which equals its history replayed.

mod support;

use std::time::Duration;

use model::api::live;
use model::api::live::{ClientMessage, ServerMessage};
use model::sync::Replica;
use model::testing::{Step, step, to_op};
use model::{Column, Diagram, Table, Uuid};
use proptest::prelude::*;
use support::ws::Ws;
use support::{TestApp, spawn_app};

struct Client {
    name: usize,
    ws: Option<Ws>,
    replica: Replica,
    seq: u64,
    cookie: String,
}

impl Client {
    /// Takes in one message of the channel; false when the connection ended.
    fn take(&mut self, message: ServerMessage) {
        match message {
            ServerMessage::Batch(live::Batch {
                revision, key, ops, ..
            }) => {
                self.replica
                    .committed(revision, key.as_deref(), &ops)
                    .expect("commits arrive in order and apply");
            }
            ServerMessage::Ack(live::Ack { revision, key }) => {
                self.replica
                    .committed(revision, Some(&key), &[])
                    .expect("an ack in order");
            }
            ServerMessage::Refused(live::Refused { key, .. }) => {
                self.replica.refused(&key);
            }
            ServerMessage::Document(live::Document {
                revision, diagram, ..
            }) => {
                self.replica.reset(diagram, revision);
            }
            _ => {}
        }
    }

    /// Reads what has arrived within `wait`.
    async fn read(&mut self, wait: Duration) -> bool {
        let mut any = false;
        while let Some(ws) = &mut self.ws {
            let Some(message) = ws.next_within(wait).await else {
                break;
            };
            any = true;
            self.take(message);
        }
        any
    }

    async fn send(&mut self) {
        let Some(ws) = &mut self.ws else { return };
        self.seq += 1;
        let key = format!("c{}:{}", self.name, self.seq);
        if let Some((base, ops)) = self.replica.send(key.clone()) {
            ws.send(&ClientMessage::Ops { key, base, ops }).await;
        }
    }

    /// Connects again from the revision it has, catches up, and sends its unanswered batch
    /// again under its key.
    async fn connect(&mut self, app: &TestApp, id: Uuid) {
        if self.ws.is_some() {
            return;
        }
        let mut query = format!("?since={}", self.replica.revision());
        if let Some(key) = self.replica.sent_key() {
            query.push_str(&format!("&pending={key}"));
        }
        let mut ws = app.live(id, &[("cookie", &self.cookie)], &query).await;
        let (caught_up, _) = ws.opened().await;
        for message in caught_up {
            self.take(message);
        }
        if let Some((key, base, ops)) = self.replica.in_flight() {
            let message = ClientMessage::Ops {
                key: key.to_string(),
                base,
                ops: ops.to_vec(),
            };
            ws.send(&message).await;
        }
        self.ws = Some(ws);
    }
}

#[derive(Debug, Clone)]
enum Action {
    Edit(usize, Step),
    Send(usize),
    Read(usize, u64),
    Drop(usize),
    Reconnect(usize),
}

fn action() -> impl Strategy<Value = Action> {
    let who = 0..3usize;
    prop_oneof![
        5 => (who.clone(), step()).prop_map(|(c, s)| Action::Edit(c, s)),
        3 => who.clone().prop_map(Action::Send),
        3 => (who.clone(), 0..20u64).prop_map(|(c, ms)| Action::Read(c, ms)),
        1 => who.clone().prop_map(Action::Drop),
        1 => who.prop_map(Action::Reconnect),
    ]
}

fn start() -> Diagram {
    let mut doc = Diagram::new("Shared");
    for (i, name) in ["users", "orders", "items"].into_iter().enumerate() {
        let mut table = Table::new(name);
        table.x = i as f64 * 300.0;
        table.columns.push(Column::new("name", "text"));
        doc.tables.push(table);
    }
    doc
}

async fn run(actions: Vec<Action>) {
    let app = spawn_app().await;
    let id = app.create("Shared").await.diagram.id;
    let mut doc = start();
    doc.id = id;
    let put = app
        .client
        .put(app.url(&format!("/api/diagrams/{id}")))
        .json(&serde_json::json!({ "base_revision": 1, "diagram": doc }))
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success(), "{:?}", put.text().await);
    let state = app.get(id).await;
    let cookie = app.cookie(support::OWNER).await;
    let mut clients = Vec::new();
    for name in 0..3 {
        let mut client = Client {
            name,
            ws: None,
            replica: Replica::new(state.diagram.clone(), state.revision),
            seq: 0,
            cookie: cookie.clone(),
        };
        client.connect(&app, id).await;
        clients.push(client);
    }
    for action in actions {
        match action {
            Action::Edit(c, step) => {
                let replica = &mut clients[c].replica;
                if let Some(op) = to_op(replica.doc(), step) {
                    let _ = replica.edit(op);
                }
            }
            Action::Send(c) => clients[c].send().await,
            Action::Read(c, ms) => {
                clients[c].read(Duration::from_millis(ms)).await;
            }
            Action::Drop(c) => clients[c].ws = None,
            Action::Reconnect(c) => clients[c].connect(&app, id).await,
        }
    }
    // Everyone comes back and works until nothing is left to send or read.
    for client in &mut clients {
        client.connect(&app, id).await;
    }
    for _ in 0..200 {
        for client in &mut clients {
            client.send().await;
            client.read(Duration::from_millis(30)).await;
        }
        let settled = clients.iter().all(|c| !c.replica.has_unconfirmed());
        let current = app.get(id).await.revision;
        if settled && clients.iter().all(|c| c.replica.revision() == current) {
            break;
        }
    }
    let stored = app.get(id).await;
    let replayed: Diagram = app
        .client
        .get(app.url(&format!("/api/diagrams/{id}/revisions/{}", stored.revision)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for client in &clients {
        assert!(
            !client.replica.has_unconfirmed(),
            "client {} has unsent edits",
            client.name
        );
        assert_eq!(
            client.replica.revision(),
            stored.revision,
            "client {}",
            client.name
        );
        assert_eq!(
            client.replica.doc(),
            &stored.diagram,
            "client {} differs",
            client.name
        );
    }
    assert_eq!(replayed, stored.diagram, "history replays to the document");
    // Something happened: the clients did edit together.
    assert!(stored.revision > state.revision || clients.iter().all(|c| c.seq == 0));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn three_live_clients_converge_on_the_servers_document(actions in prop::collection::vec(action(), 10..80)) {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(actions));
    }
}

#[test]
fn concurrent_edits_of_one_field_end_with_one_value_everywhere() {
    let actions: Vec<Action> = (0..3)
        .flat_map(|c| {
            [
                Action::Edit(c, Step::RenameTable(0, format!("t{c}"))),
                Action::Send(c),
            ]
        })
        .collect();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(run(actions));
}
