//! Two editors on one diagram at once, through the API. The documented outcome (docs/api.md,
//! "How a batch is applied"): batches apply to the current document; edits to different
//! entities are all kept; for the same property the last batch applied wins; a stale batch that
//! no longer validates gets 409 and changes nothing.

mod support;

use std::time::SystemTime;

use model::api::{RevisionInfo, Saved};
use model::{Column, ColumnPatch, Diagram, Op, Table, TableMove, TablePatch, Uuid};
use reqwest::StatusCode;
use serde_json::Value;
use support::{Rng, TestApp, expect_error, spawn_app};

fn rename_column(table: Uuid, column: Uuid, name: String) -> Op {
    Op::UpdateColumn {
        table_id: table,
        column_id: column,
        patch: ColumnPatch {
            name: Some(name),
            ..Default::default()
        },
    }
}

fn comment(table: Uuid, text: &str) -> Op {
    Op::UpdateTable {
        table_id: table,
        patch: TablePatch {
            comment: Some(text.to_string()),
            ..Default::default()
        },
    }
}

/// A diagram with tables `a` and `b`, each with one column; returns (id, revision, a, b).
async fn two_tables(app: &TestApp) -> (Uuid, i64, Table, Table) {
    let id = app.create("shared").await.diagram.id;
    let (a, b) = (Table::new("a"), Table::new("b"));
    let ops = [a.clone(), b.clone()].map(|table| Op::AddTable { table, at: None });
    let revision = app.apply(id, 1, &ops).await;
    (id, revision, a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_to_different_entities_from_two_editors_are_all_kept() {
    let app = spawn_app().await;
    let (id, start, a, b) = two_tables(&app).await;
    let edit = |table: Table, who: &'static str| {
        let app = &app;
        async move {
            let column = table.columns[0].id;
            let mut base = start;
            for i in 0..30 {
                let ops = [
                    rename_column(table.id, column, format!("{who}_{i}")),
                    comment(table.id, &format!("{who} {i}")),
                ];
                base = app.apply(id, base, &ops).await;
            }
        }
    };
    tokio::join!(edit(a.clone(), "one"), edit(b.clone(), "two"));
    let state = app.get(id).await;
    assert_eq!(state.revision, start + 60, "every batch was applied");
    let doc = &state.diagram;
    for (table, who) in [(&a, "one"), (&b, "two")] {
        let stored = doc.table(table.id).unwrap();
        assert_eq!(stored.columns[0].name, format!("{who}_29"));
        assert_eq!(stored.comment, format!("{who} 29"));
    }
}

#[tokio::test]
async fn the_same_property_goes_to_the_last_batch_applied_and_both_writers_learn_the_revision() {
    let app = spawn_app().await;
    let (id, base, a, _) = two_tables(&app).await;
    // Both editors saw `base`; both set the comment of `a`.
    let first = app.apply(id, base, &[comment(a.id, "from one")]).await;
    let second = app.apply(id, base, &[comment(a.id, "from two")]).await;
    assert_eq!((first, second), (base + 1, base + 2));
    // The second writer's answer skips a revision: someone wrote in between, it should reload.
    assert_eq!(
        app.get(id).await.diagram.table(a.id).unwrap().comment,
        "from two"
    );
    let history: Vec<RevisionInfo> = app.get_json(&format!("/api/diagrams/{id}/revisions")).await;
    assert_eq!(
        history.len() as i64,
        second,
        "both writes are in the history"
    );
}

#[tokio::test]
async fn a_stale_batch_that_no_longer_validates_is_409_and_changes_nothing() {
    let app = spawn_app().await;
    let (id, base, a, _) = two_tables(&app).await;
    let column = a.columns[0].id;
    let now = app
        .apply(
            id,
            base,
            &[Op::RemoveColumn {
                table_id: a.id,
                column_id: column,
            }],
        )
        .await;
    let response = app
        .post_ops(
            id,
            base,
            &[
                comment(a.id, "kept?"),
                rename_column(a.id, column, "gone".into()),
            ],
        )
        .await;
    let body = expect_error(response, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(body["error"]["current_revision"], now);
    let state = app.get(id).await;
    assert_eq!(state.revision, now);
    assert_eq!(
        state.diagram.table(a.id).unwrap().comment,
        "",
        "all or nothing"
    );
}

/// A random edit of what the editor last saw: often valid, sometimes stale or clashing.
fn random_op(rng: &mut Rng, seen: &Diagram, who: usize) -> Op {
    let tables = &seen.tables;
    let pick = |rng: &mut Rng| tables.get(rng.below(tables.len())).cloned();
    let name = |rng: &mut Rng| format!("n{}", rng.below(12));
    match (rng.below(8), pick(rng)) {
        (0, _) | (_, None) => Op::AddTable {
            table: Table::new(format!("t{who}_{}", rng.below(1_000_000))),
            at: None,
        },
        (1, Some(t)) => Op::RemoveTable { table_id: t.id },
        (2, Some(t)) => Op::UpdateTable {
            table_id: t.id,
            patch: TablePatch {
                name: Some(name(rng)),
                ..Default::default()
            },
        },
        (3, Some(t)) => Op::AddColumn {
            table_id: t.id,
            column: Column::new(name(rng), "integer"),
            at: None,
        },
        (4, Some(t)) => match t.columns.get(rng.below(t.columns.len())) {
            Some(c) => Op::RemoveColumn {
                table_id: t.id,
                column_id: c.id,
            },
            None => comment(t.id, "empty"),
        },
        (5, Some(t)) => match t.columns.get(rng.below(t.columns.len())) {
            Some(c) => rename_column(t.id, c.id, name(rng)),
            None => comment(t.id, "empty"),
        },
        (6, Some(t)) => Op::MoveTables {
            moves: vec![TableMove {
                table_id: t.id,
                x: rng.below(2000) as f64,
                y: rng.below(2000) as f64,
                by_hand: false,
            }],
        },
        (_, Some(t)) => match (pick(rng), t.columns.first()) {
            (Some(parent), Some(child_column)) if !parent.columns.is_empty() => {
                Op::AddRelationship {
                    relationship: model::Relationship::new(
                        (t.id, vec![child_column.id]),
                        (parent.id, vec![parent.columns[0].id]),
                    ),
                    at: None,
                }
            }
            _ => comment(t.id, &format!("by {who}")),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_random_concurrent_rounds_leave_a_valid_document_equal_to_its_history() {
    let app = spawn_app().await;
    let id = app.create("random").await.diagram.id;
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("seed {seed}");
    const ROUNDS: usize = 60;
    let editor = |who: usize| {
        let app = &app;
        async move {
            let mut rng = Rng(seed.wrapping_mul(who as u64 + 7) | 1);
            let (mut counts, mut state) = ([0usize; 3], app.get(id).await);
            for round in 0..ROUNDS {
                let ops: Vec<Op> = (0..1 + rng.below(4))
                    .map(|_| random_op(&mut rng, &state.diagram, who))
                    .collect();
                let response = app.post_ops(id, state.revision, &ops).await;
                let status = response.status();
                let body: Value = response.json().await.unwrap();
                match status {
                    StatusCode::OK => counts[0] += 1,
                    StatusCode::CONFLICT => counts[1] += 1,
                    StatusCode::UNPROCESSABLE_ENTITY => {
                        assert_eq!(body["error"]["code"], "invalid_op", "{body}");
                        counts[2] += 1;
                    }
                    other => panic!("unexpected {other}: {body}"),
                }
                if status == StatusCode::OK {
                    let saved: Saved = serde_json::from_value(body).unwrap();
                    assert!(saved.revision > state.revision);
                }
                // Editors reload now and then, so most batches are made against a stale view.
                if round % 3 == who || status != StatusCode::OK {
                    state = app.get(id).await;
                }
            }
            counts
        }
    };
    let (one, two) = tokio::join!(editor(0), editor(1));
    println!("editor one: {one:?} (applied, 409, 422); editor two: {two:?}");
    let state = app.get(id).await;
    state.diagram.validate().expect("the document is valid");
    assert_eq!(
        state.revision as usize,
        1 + one[0] + two[0],
        "one revision per applied batch"
    );
    let replayed: Diagram = app
        .get_json(&format!("/api/diagrams/{id}/revisions/{}", state.revision))
        .await;
    assert_eq!(
        replayed, state.diagram,
        "the document equals the replay of its history"
    );
    assert!(
        one[0] + two[0] > ROUNDS / 2,
        "most batches applied: {one:?} {two:?}"
    );
}
