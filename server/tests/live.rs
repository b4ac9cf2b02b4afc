//! The live channel over real WebSockets: fan-out in commit order, catching up, presence,
//! slow clients, access, and bad input.

mod support;

use std::time::{Duration, Instant};

use model::api::live;
use model::api::live::{ClientMessage, Focus, Point, ServerMessage, close};
use model::api::{Author, Role};
use model::{Column, Diagram, Op, Table, Uuid};
use reqwest::StatusCode;
use serde_json::json;
use support::ws::{Ended, Ws};
use support::{TestApp, expect_error, spawn_app};
use tokio_tungstenite::tungstenite::Message;

fn rename(name: &str) -> Op {
    Op::RenameDiagram { name: name.into() }
}

fn ops_message(key: &str, base: i64, ops: Vec<Op>) -> ClientMessage {
    ClientMessage::Ops {
        key: key.into(),
        base,
        ops,
    }
}

/// The revision and ops of a `batch`, or panics.
fn batch(message: ServerMessage) -> (i64, Option<String>, Vec<Op>) {
    match message {
        ServerMessage::Batch(live::Batch {
            revision, key, ops, ..
        }) => (revision, key, ops),
        other => panic!("expected a batch, got {other:?}"),
    }
}

/// Opens the channel as `email` (a session cookie) from revision `since`.
async fn open(app: &TestApp, id: Uuid, email: &str, since: i64) -> Ws {
    let cookie = app.cookie(email).await;
    let mut ws = app
        .live(id, &[("cookie", &cookie)], &format!("?since={since}"))
        .await;
    ws.opened().await;
    ws
}

#[tokio::test]
async fn batches_from_the_channel_and_from_http_reach_every_subscriber_in_revision_order() {
    let app = spawn_app().await;
    let id = app.create("Shop").await.diagram.id;
    app.cookie("bo@example.com").await;
    app.share(id, "bo@example.com", "editor").await;
    let mut ann = open(&app, id, support::OWNER, 1).await;
    let mut bo = open(&app, id, "bo@example.com", 1).await;

    ann.send(&ops_message("ann:1", 1, vec![rename("Shop 2")]))
        .await;
    let ack = ann.until(|m| match m {
        ServerMessage::Ack(live::Ack { revision, key }) => Some((revision, key)),
        _ => None,
    });
    assert_eq!(ack.await, (2, "ann:1".to_string()));
    let seen = bo.until(|m| matches!(m, ServerMessage::Batch(live::Batch { .. })).then_some(m));
    let ServerMessage::Batch(live::Batch { author, .. }) = seen.await.clone() else {
        unreachable!()
    };
    assert!(
        matches!(author, Some(Author::Person { ref name, .. }) if name == "owner"),
        "the author is named: {author:?}"
    );

    // An HTTP write and a whole-document replacement reach both, after the first.
    let revision = app.apply(id, 2, &[rename("Shop 3")]).await;
    assert_eq!(revision, 3);
    let mut replacement = Diagram::new("Imported");
    replacement.tables.push(Table::new("users"));
    let replaced = app
        .client
        .put(app.url(&format!("/api/diagrams/{id}")))
        .json(&json!({ "base_revision": 3, "diagram": replacement }))
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.status(), StatusCode::OK);
    for ws in [&mut ann, &mut bo] {
        let third =
            ws.until(|m| matches!(m, ServerMessage::Batch(live::Batch { .. })).then_some(m));
        let (revision, _, ops) = batch(third.await);
        assert_eq!((revision, ops), (3, vec![rename("Shop 3")]));
        let fourth = ws
            .until(|m| match m {
                ServerMessage::Document(live::Document {
                    revision, diagram, ..
                }) => Some((revision, diagram)),
                _ => None,
            })
            .await;
        assert_eq!(fourth.0, 4);
        assert_eq!(fourth.1.tables[0].name, "users");
    }
    // Nothing else comes: each revision once.
    for ws in [&mut ann, &mut bo] {
        ws.send(&ClientMessage::Ping).await;
        let next = ws.until(|m| match m {
            ServerMessage::Pong => Some(None),
            ServerMessage::Batch(live::Batch { .. })
            | ServerMessage::Ack(live::Ack { .. })
            | ServerMessage::Document(live::Document { .. }) => Some(Some(m)),
            _ => None,
        });
        assert_eq!(next.await, None, "no revision twice");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_clients_each_receive_every_batch_once_in_order() {
    let app = spawn_app().await;
    let id = app.create("Busy").await.diagram.id;
    let cookie = app.cookie(support::OWNER).await;
    let mut clients = Vec::new();
    for _ in 0..20 {
        let mut ws = app.live(id, &[("cookie", &cookie)], "?since=1").await;
        ws.opened().await;
        clients.push(ws);
    }
    // Three writers at once over HTTP, ten batches each, on stale bases.
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let client = app.client.clone();
            let url = app.url(&format!("/api/diagrams/{id}/ops"));
            tokio::spawn(async move {
                for i in 0..10 {
                    let body = json!({ "base_revision": 1, "ops": [{ "op": "rename_diagram", "name": format!("w{w} {i}") }] });
                    let response = client.post(&url).json(&body).send().await.unwrap();
                    assert_eq!(response.status(), StatusCode::OK);
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    let last = app.get(id).await;
    assert_eq!(last.revision, 31);
    for ws in &mut clients {
        let mut revisions = Vec::new();
        let mut name = String::new();
        while revisions.len() < 30 {
            if let ServerMessage::Batch(live::Batch { revision, ops, .. }) = ws.next().await {
                revisions.push(revision);
                if let Some(Op::RenameDiagram { name: n }) = ops.into_iter().last() {
                    name = n;
                }
            }
        }
        assert_eq!(revisions, (2..=31).collect::<Vec<_>>());
        assert_eq!(name, last.diagram.name, "the last batch is the one stored");
    }
}

#[tokio::test]
async fn a_client_that_reconnects_is_sent_exactly_what_it_missed() {
    let app = spawn_app().await;
    let id = app.create("Catch up").await.diagram.id;
    let cookie = app.cookie(support::OWNER).await;
    for i in 0..5 {
        app.apply(id, 1, &[rename(&format!("name {i}"))]).await;
    }
    let mut ws = app.live(id, &[("cookie", &cookie)], "?since=3").await;
    let (caught_up, live) = ws.opened().await;
    let revisions: Vec<i64> = caught_up[1..].iter().map(|m| batch(m.clone()).0).collect();
    assert_eq!(revisions, vec![4, 5, 6]);
    assert_eq!(live, 6);

    // From the start: every revision. From the last one: nothing.
    let mut ws = app.live(id, &[("cookie", &cookie)], "?since=6").await;
    let (caught_up, live) = ws.opened().await;
    assert_eq!((caught_up.len(), live), (1, 6));

    // Without a revision, or too far behind a replacement: the whole document.
    let mut ws = app.live(id, &[("cookie", &cookie)], "").await;
    let (caught_up, live) = ws.opened().await;
    assert!(matches!(
        &caught_up[1],
        ServerMessage::Document(live::Document { revision: 6, diagram, .. }) if diagram.name == "name 4"
    ));
    assert_eq!(live, 6);
}

#[tokio::test]
async fn a_batch_sent_again_under_its_key_is_not_applied_twice() {
    let app = spawn_app().await;
    let id = app.create("Keys").await.diagram.id;
    let table = Table::new("once");
    let add = Op::AddTable {
        table: table.clone(),
        at: None,
    };
    // Sent over HTTP, its answer lost: the client reconnects with the key it has no answer for.
    let first = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/ops")))
        .json(&json!({ "base_revision": 1, "ops": [add], "key": "tab:1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let cookie = app.cookie(support::OWNER).await;
    let mut ws = app
        .live(id, &[("cookie", &cookie)], "?since=1&pending=tab:1")
        .await;
    let (caught_up, _) = ws.opened().await;
    assert_eq!(
        batch(caught_up[1].clone()).1.as_deref(),
        Some("tab:1"),
        "the replay names the batch"
    );
    // Sent again on the channel, and once more over HTTP: answered, not applied.
    ws.send(&ops_message("tab:1", 1, vec![add.clone()])).await;
    ws.send(&ClientMessage::Ping).await;
    let answer = ws.until(|m| match m {
        ServerMessage::Pong => Some(None),
        ServerMessage::Refused(live::Refused { .. })
        | ServerMessage::Batch(live::Batch { .. })
        | ServerMessage::Ack(live::Ack { .. }) => Some(Some(m)),
        _ => None,
    });
    assert_eq!(answer.await, None);
    let again = app
        .client
        .post(app.url(&format!("/api/diagrams/{id}/ops")))
        .json(&json!({ "base_revision": 1, "ops": [add], "key": "tab:1" }))
        .send()
        .await
        .unwrap();
    let saved: serde_json::Value = again.json().await.unwrap();
    assert_eq!(saved["revision"], 2);
    let state = app.get(id).await;
    assert_eq!((state.revision, state.diagram.tables.len()), (2, 1));

    // Too far behind to replay, the client still learns that its batch was committed.
    for i in 0..3 {
        app.apply(id, 2, &[rename(&format!("n{i}"))]).await;
    }
    let replace = json!({ "base_revision": 5, "diagram": app.get(id).await.diagram });
    app.client
        .put(app.url(&format!("/api/diagrams/{id}")))
        .json(&replace)
        .send()
        .await
        .unwrap();
    let mut ws = app
        .live(id, &[("cookie", &cookie)], "?since=1&pending=tab:1")
        .await;
    let (caught_up, live) = ws.opened().await;
    assert!(
        matches!(&caught_up[1], ServerMessage::Ack(live::Ack { revision: 2, key }) if key == "tab:1")
    );
    assert!(matches!(
        &caught_up[2],
        ServerMessage::Document(live::Document { revision: 6, .. })
    ));
    assert_eq!(live, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_client_is_dropped_without_delaying_the_others() {
    let app = spawn_app().await;
    let id = app.create("Stall").await.diagram.id;
    let cookie = app.cookie(support::OWNER).await;
    let mut stalled = app.live(id, &[("cookie", &cookie)], "?since=1").await;
    stalled.opened().await;
    let mut active = app.live(id, &[("cookie", &cookie)], "?since=1").await;
    active.opened().await;
    let stalled_peer = {
        let mut probe = app.live(id, &[("cookie", &cookie)], "?since=1").await;
        let ServerMessage::Welcome(live::Welcome { people, .. }) = probe.next().await else {
            panic!("a welcome")
        };
        people.iter().map(|p| p.id).min().expect("two peers here")
    };
    // Large batches fill the stalled client's socket buffers quickly; it reads nothing.
    let mut table = Table::new("wide");
    table.comment = "x".repeat(60_000);
    app.apply(
        id,
        1,
        &[Op::AddTable {
            table: table.clone(),
            at: None,
        }],
    )
    .await;
    let first =
        active.until(|m| matches!(m, ServerMessage::Batch(live::Batch { .. })).then_some(m));
    assert_eq!(batch(first.await).0, 2);
    // Writes go on until the server drops the stalled client (when a send to it has waited 10 s,
    // or it is a whole ring of changes behind); meanwhile the active one gets each at once.
    let mut worst = Duration::ZERO;
    let mut dropped_at = None;
    let mut i = 0;
    while dropped_at.is_none() {
        assert!(i < 5_000, "the stalled client was never dropped");
        let comment = format!("{i}{}", "y".repeat(60_000));
        let patch = json!({ "comment": comment });
        let sent = Instant::now();
        let response = app
            .client
            .post(app.url(&format!("/api/diagrams/{id}/ops")))
            .json(&json!({ "base_revision": 2 + i, "ops": [{ "op": "update_table", "table_id": table.id, "patch": patch }] }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let revision = 3 + i;
        let got = active
            .until(|m| match m {
                ServerMessage::Batch(live::Batch { revision, .. }) => Some(revision),
                ServerMessage::Left(live::Left { peer }) if peer == stalled_peer => {
                    dropped_at.get_or_insert(i);
                    None
                }
                _ => None,
            })
            .await;
        assert_eq!(got, revision);
        worst = worst.max(sent.elapsed());
        i += 1;
    }
    println!("slowest write-to-receive beside a stalled client: {worst:?}");
    // A client held up by the stalled one would wait for the send timeout (10 s) at least.
    assert!(
        worst < Duration::from_secs(5),
        "the others were held up: {worst:?}"
    );
    // It reads what was buffered, then the close (or only the end, when its buffers were too
    // full for the close frame).
    let ended = stalled.ended().await;
    assert!(
        matches!(
            ended,
            Ended::Closed(Some(close::TOO_SLOW), _) | Ended::Broken
        ),
        "{ended:?}"
    );
    let dropped_at = dropped_at.expect("dropped");
    println!("the stalled client was dropped after {dropped_at} batches");
}

#[tokio::test]
async fn viewers_may_not_edit_removed_people_are_disconnected_and_upgrades_apply_at_once() {
    let app = spawn_app().await;
    let id = app.create("Roles").await.diagram.id;
    let vi = app.user_id(&app.person("vi@example.com").await).await;
    app.share(id, "vi@example.com", "viewer").await;
    let cookie = app.cookie("vi@example.com").await;
    let mut ws = app.live(id, &[("cookie", &cookie)], "?since=1").await;
    let (opened, _) = ws.opened().await;
    assert!(matches!(
        opened[0],
        ServerMessage::Welcome(live::Welcome {
            role: Role::Viewer,
            ..
        })
    ));

    ws.send(&ops_message("vi:1", 1, vec![rename("mine now")]))
        .await;
    let refused = ws.until(|m| match m {
        ServerMessage::Refused(live::Refused { key, error }) => Some((key, error.code)),
        _ => None,
    });
    assert_eq!(refused.await, ("vi:1".into(), "forbidden".into()));
    assert_eq!(app.get(id).await.revision, 1);

    // Made an editor: told at once, and the same connection may edit.
    let changed = app
        .client
        .patch(app.url(&format!("/api/diagrams/{id}/members/{vi}")))
        .json(&json!({ "role": "editor" }))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let role = ws.until(|m| match m {
        ServerMessage::Role(live::RoleChanged { role }) => Some(role),
        _ => None,
    });
    assert_eq!(role.await, Role::Editor);
    ws.send(&ops_message("vi:2", 1, vec![rename("ours")])).await;
    let ack = ws.until(|m| match m {
        ServerMessage::Ack(live::Ack { revision, .. }) => Some(revision),
        ServerMessage::Refused(live::Refused { error, .. }) => panic!("refused: {error:?}"),
        _ => None,
    });
    assert_eq!(ack.await, 2);

    // Removed: disconnected, and told why.
    let removed = app
        .client
        .delete(app.url(&format!("/api/diagrams/{id}/members/{vi}")))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        ws.ended().await,
        Ended::Closed(
            Some(close::GONE),
            "your access to this diagram was removed".into()
        )
    );
    // And cannot come back.
    let again = app.try_live(id, &[("cookie", &cookie)], "?since=1").await;
    assert!(again.is_err(), "refused at the handshake");
}

#[tokio::test]
async fn signing_out_and_deleting_the_diagram_end_the_connections() {
    let app = spawn_app().await;
    let id = app.create("Bye").await.diagram.id;
    let cookie = app.cookie(support::OWNER).await;
    let mut ws = app.live(id, &[("cookie", &cookie)], "?since=1").await;
    ws.opened().await;
    let other_cookie = app.cookie(support::OWNER).await;
    let mut other = app.live(id, &[("cookie", &other_cookie)], "?since=1").await;
    other.opened().await;
    let out = reqwest::Client::new()
        .post(app.url("/api/auth/logout"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(matches!(
        ws.ended().await,
        Ended::Closed(Some(close::GONE), _)
    ));

    let deleted = app
        .client
        .delete(app.url(&format!("/api/diagrams/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        other.ended().await,
        Ended::Closed(Some(close::GONE), "the diagram was deleted".into())
    );
}

#[tokio::test]
async fn presence_shows_who_is_here_what_they_select_and_where_they_point() {
    let app = spawn_app().await;
    let id = app.create("Presence").await.diagram.id;
    app.cookie("bo@example.com").await;
    app.share(id, "bo@example.com", "viewer").await;
    let mut ann = open(&app, id, support::OWNER, 1).await;
    let cookie = app.cookie("bo@example.com").await;
    let mut bo = app.live(id, &[("cookie", &cookie)], "?since=1").await;
    let ServerMessage::Welcome(live::Welcome { you, people, .. }) = bo.next().await else {
        panic!("a welcome");
    };
    assert_eq!(you.name, "bo");
    assert_eq!(you.initials, "BO");
    assert!(you.color.starts_with('#') && you.color.len() == 7);
    assert_eq!(
        people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["owner"]
    );
    bo.opened_rest().await;
    let joined = ann.until(|m| match m {
        ServerMessage::Joined(live::Joined { peer }) => Some(peer),
        _ => None,
    });
    assert_eq!(joined.await.name, "bo");

    let table = Uuid::new_v4();
    let focus = Focus {
        selection: vec![table],
        editing: None,
    };
    ann.send(&ClientMessage::Focus(focus.clone())).await;
    ann.send(&ClientMessage::Pointer {
        at: Some(Point { x: 10.0, y: 20.0 }),
    })
    .await;
    let seen_focus = bo.until(|m| match m {
        ServerMessage::Focus(live::PeerFocus { focus, .. }) => Some(focus),
        _ => None,
    });
    assert_eq!(seen_focus.await, focus);
    let pointer = bo.until(|m| match m {
        ServerMessage::Pointer(live::PeerPointer { at, .. }) => Some(at),
        _ => None,
    });
    assert_eq!(pointer.await, Some(Point { x: 10.0, y: 20.0 }));
    // Someone who comes later is told the selection with the people.
    let mut late = app.live(id, &[("cookie", &cookie)], "?since=1").await;
    let ServerMessage::Welcome(live::Welcome { people, .. }) = late.next().await else {
        panic!("a welcome");
    };
    let owner = people
        .iter()
        .find(|p| p.name == "owner")
        .expect("owner here");
    assert_eq!(owner.focus, focus);

    // Presence is never stored.
    assert_eq!(app.get(id).await.revision, 1);
    drop(late);
    drop(bo);
    let mut left = Vec::new();
    while left.len() < 2 {
        if let ServerMessage::Left(live::Left { peer }) = ann.next().await {
            left.push(peer);
        }
    }
    assert!(left.contains(&you.id), "bo's tab went: {left:?}");
}

#[tokio::test]
async fn bad_handshakes_and_bad_messages_get_clear_answers() {
    let app = spawn_app().await;
    let id = app.create("Bad").await.diagram.id;
    // A plain GET: JSON 426.
    let plain = app
        .client
        .get(app.url(&format!("/api/diagrams/{id}/live")))
        .send()
        .await
        .unwrap();
    expect_error(plain, StatusCode::UPGRADE_REQUIRED, "upgrade_required").await;
    // No one, a stranger, and another site's page are refused at the handshake.
    let cookie = app.cookie(support::OWNER).await;
    let stranger = app.cookie("stranger@example.com").await;
    assert!(app.try_live(id, &[], "").await.is_err());
    assert!(
        app.try_live(id, &[("cookie", &stranger)], "")
            .await
            .is_err()
    );
    assert!(
        app.try_live(Uuid::new_v4(), &[("cookie", &cookie)], "")
            .await
            .is_err()
    );
    let cross = app
        .try_live(
            id,
            &[("cookie", &cookie), ("origin", "https://evil.example")],
            "",
        )
        .await;
    assert!(cross.is_err(), "another site's page may not use the cookie");
    let own = format!("http://{}", app.addr);
    let same = app
        .try_live(id, &[("cookie", &cookie), ("origin", &own)], "")
        .await;
    assert!(same.is_ok(), "the app's own pages may");
    let token = app.token("read").await;
    let mut reader = app
        .live(
            id,
            &[("authorization", &format!("Bearer {token}"))],
            "?since=1",
        )
        .await;
    reader.opened().await;
    reader
        .send(&ops_message("t:1", 1, vec![rename("no")]))
        .await;
    let refused = reader.until(|m| match m {
        ServerMessage::Refused(live::Refused { error, .. }) => Some(error.code),
        _ => None,
    });
    assert_eq!(refused.await, "forbidden", "a read-only token reads");

    for (message, code) in [
        (
            Message::Text("{\"type\":\"nope\"}".into()),
            close::BAD_MESSAGE,
        ),
        (Message::Text("not json".into()), close::BAD_MESSAGE),
        (Message::Binary(vec![1, 2, 3].into()), close::BAD_MESSAGE),
        (
            Message::Text(
                format!(
                    "{{\"type\":\"ping\",\"pad\":\"{}\"}}",
                    "x".repeat(1_100_000)
                )
                .into(),
            ),
            close::TOO_MANY,
        ),
    ] {
        let mut ws = app.live(id, &[("cookie", &cookie)], "?since=1").await;
        ws.opened().await;
        ws.send_raw(message).await;
        match ws.ended().await {
            Ended::Closed(got, _) => assert_eq!(got, Some(code)),
            Ended::Broken => panic!("closed without a reason (wanted {code})"),
        }
    }
    // A flood is cut off.
    let mut ws = app.live(id, &[("cookie", &cookie)], "?since=1").await;
    ws.opened().await;
    for _ in 0..1_000 {
        ws.send_raw(Message::Text(
            "{\"type\":\"focus\",\"selection\":[]}".into(),
        ))
        .await;
    }
    assert!(matches!(
        ws.ended().await,
        Ended::Closed(Some(close::TOO_MANY), _)
    ));
    // An edit over the limits is refused, the connection kept.
    let mut ws = app.live(id, &[("cookie", &cookie)], "?since=1").await;
    ws.opened().await;
    let mut table = Table::new("t");
    table.columns.push(Column::new("c", "int"));
    table.comment = "z".repeat(70_000);
    ws.send(&ops_message("k", 1, vec![Op::AddTable { table, at: None }]))
        .await;
    let refused = ws.until(|m| match m {
        ServerMessage::Refused(live::Refused { error, .. }) => Some(error.code),
        _ => None,
    });
    assert_eq!(refused.await, "comment_too_long");
}

#[tokio::test]
async fn stopping_the_server_tells_live_clients_to_reconnect() {
    let app = spawn_app().await;
    let id = app.create("Restart").await.diagram.id;
    let cookie = app.cookie(support::OWNER).await;
    let mut ws = app.live(id, &[("cookie", &cookie)], "?since=1").await;
    ws.opened().await;
    let stopping = tokio::spawn(app.stop());
    assert!(matches!(ws.ended().await, Ended::Closed(Some(1001), _)));
    stopping.await.unwrap();
}
