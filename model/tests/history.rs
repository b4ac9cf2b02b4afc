//! Reading history: summaries of batches, comparisons of versions, and restoring an old one.

use model::history::{Mark, compare, describe, merged, restore};
use model::testing::{step, to_op};
use model::{Column, ColumnPatch, Diagram, Op, Relationship, Table, TableMove, TablePatch};
use proptest::prelude::*;

fn shop() -> Diagram {
    let mut d = Diagram::new("shop");
    let mut customer = Table::new("customer");
    customer.columns.push(Column::new("nm", "text"));
    let mut order = Table::new("order");
    order.columns.push(Column::new("customer_id", "bigint"));
    let rel = Relationship::new(
        (order.id, vec![order.columns[1].id]),
        (customer.id, vec![customer.columns[0].id]),
    );
    d.tables = vec![customer, order];
    d.relationships = vec![rel];
    d
}

/// Applies `ops` as one batch and describes it.
fn described(doc: &mut Diagram, ops: Vec<Op>) -> Vec<String> {
    let inverse = Op::Batch { ops: ops.clone() }.apply(doc).expect("applies");
    describe(doc, &ops, &[inverse])
}

#[test]
fn a_batch_is_described_by_name_even_what_it_removed() {
    let mut doc = shop();
    let (customer, order) = (doc.tables[0].clone(), doc.tables[1].clone());
    let lines = described(
        &mut doc,
        vec![
            Op::UpdateColumn {
                table_id: customer.id,
                column_id: customer.columns[1].id,
                patch: ColumnPatch {
                    name: Some("name".into()),
                    ..Default::default()
                },
            },
            Op::AddTable {
                table: Table::new("order_item"),
                at: None,
            },
            Op::UpdateTable {
                table_id: order.id,
                patch: TablePatch {
                    name: Some("orders".into()),
                    ..Default::default()
                },
            },
            Op::MoveTables {
                moves: vec![
                    TableMove {
                        table_id: customer.id,
                        x: 10.0,
                        y: 0.0,
                        by_hand: false,
                    },
                    TableMove {
                        table_id: order.id,
                        x: 10.0,
                        y: 0.0,
                        by_hand: false,
                    },
                ],
            },
        ],
    );
    assert_eq!(
        lines,
        [
            "renamed column customer.nm to name",
            "added table order_item",
            "renamed table order to orders",
            "moved 2 tables"
        ]
    );
    let lines = described(
        &mut doc,
        vec![Op::RemoveTable {
            table_id: customer.id,
        }],
    );
    // The relationship went with the table: its inverse names both.
    assert_eq!(lines, ["removed table customer"]);
}

#[test]
fn a_table_added_and_removed_in_one_batch_is_not_mentioned() {
    let mut doc = shop();
    let t = Table::new("scratch");
    let id = t.id;
    let lines = described(
        &mut doc,
        vec![
            Op::AddTable { table: t, at: None },
            Op::AddColumn {
                table_id: id,
                column: Column::new("x", "int"),
                at: None,
            },
            Op::RemoveTable { table_id: id },
        ],
    );
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn long_summaries_are_cut_with_a_count() {
    let mut doc = Diagram::new("d");
    let ops = (0..30)
        .map(|i| Op::AddTable {
            table: Table::new(format!("t{i}")),
            at: None,
        })
        .collect();
    let lines = described(&mut doc, ops);
    assert_eq!(lines.len(), 12);
    assert_eq!(lines.last().unwrap(), "and 19 more changes");
}

#[test]
fn a_comparison_marks_tables_columns_and_relationships() {
    let from = shop();
    let mut to = from.clone();
    to.tables[0].columns[1].data_type = "varchar(100)".into();
    to.tables[0].x = 500.0; // a move is no change
    let removed = to.tables[1].columns.remove(1);
    to.relationships.clear();
    let added = Table::new("order_item");
    to.tables.push(added.clone());
    let c = compare(&from, &to);
    assert_eq!(c.tables[&from.tables[0].id], Mark::Changed);
    assert_eq!(c.tables[&from.tables[1].id], Mark::Changed);
    assert_eq!(c.tables[&added.id], Mark::Added);
    assert_eq!(c.columns[&from.tables[0].columns[1].id], Mark::Changed);
    assert_eq!(c.columns[&removed.id], Mark::Removed);
    assert_eq!(c.relationships[&from.relationships[0].id], Mark::Removed);
    assert!(!c.columns.contains_key(&from.tables[0].columns[0].id));
    assert!(
        c.lines
            .contains(&"changed customer.nm from text to varchar(100)".to_string())
    );
    assert!(
        c.lines
            .contains(&"removed relationship order → customer".to_string())
    );
    // Shown together: the removed column and relationship are back, in their places.
    let both = merged(&from, &to);
    assert_eq!(both.tables[1].columns[1].id, removed.id);
    assert_eq!(both.relationships.len(), 1);
    assert_eq!(both.tables.len(), 3);
    assert!(compare(&to, &to).is_empty());
}

#[test]
fn restoring_reads_as_changes_not_removals() {
    let old = shop();
    let mut now = old.clone();
    now.tables[0].columns[1].name = "name".into();
    now.tables[1].x = 300.0;
    let ops = restore(&now, &old);
    let mut doc = now.clone();
    let inverse = Op::Batch { ops: ops.clone() }
        .apply(&mut doc)
        .expect("applies");
    assert_eq!(doc, old);
    assert_eq!(
        describe(&doc, &ops, &[inverse]),
        ["changed table customer", "moved order"]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// From any version to any other of the same history, the restore ops apply and give
    /// exactly the target, and undoing them gives the current version back.
    #[test]
    fn restore_gives_exactly_the_target(
        first in proptest::collection::vec(step(), 0..25),
        then in proptest::collection::vec(step(), 0..25),
    ) {
        let mut old = shop();
        for s in first {
            if let Some(op) = to_op(&old, s) {
                let _ = op.apply(&mut old);
            }
        }
        let mut now = old.clone();
        for s in then {
            if let Some(op) = to_op(&now, s) {
                let _ = op.apply(&mut now);
            }
        }
        let ops = restore(&now, &old);
        let mut doc = now.clone();
        let inverse = Op::Batch { ops }.apply(&mut doc).expect("restore applies");
        prop_assert_eq!(&doc, &old);
        inverse.apply(&mut doc).expect("undo applies");
        prop_assert_eq!(&doc, &now);
        prop_assert!(compare(&old, &old).is_empty());
    }
}

#[test]
fn a_reordering_of_kept_columns_is_a_change_and_an_added_column_is_not_one() {
    let from = shop();
    let mut to = from.clone();
    to.tables[0].columns.swap(0, 1);
    assert!(
        compare(&from, &to)
            .lines
            .contains(&"reordered the columns of customer".to_string())
    );
    let mut grown = from.clone();
    grown.tables[0]
        .columns
        .insert(0, Column::new("first", "int"));
    assert_eq!(
        compare(&from, &grown).lines,
        ["added column customer.first"]
    );
}
