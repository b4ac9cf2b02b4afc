//! CHECK constraints: their ops undo exactly, bad ones are refused, and a column's rename or
//! removal carries into the conditions that name it.

mod support;

use model::{Check, CheckPatch, ColumnPatch, Diagram, Dialect, Op, OpError, Uuid};
use support::shop;

fn check(name: &str, sql: &str, column: Option<Uuid>) -> Check {
    Check {
        id: Uuid::new_v4(),
        name: name.into(),
        sql: sql.into(),
        column,
        dialect: Some(Dialect::Postgresql),
    }
}

/// `doc` with `checks` added to the table `table_id`.
fn with_checks(doc: &mut Diagram, table_id: Uuid, checks: Vec<Check>) {
    for check in checks {
        Op::AddCheck {
            table_id,
            check,
            at: None,
        }
        .apply(doc)
        .expect("check added");
    }
}

/// Applies `op`, then its inverse, and checks the document came back whole.
fn applied(doc: &mut Diagram, op: Op) -> Op {
    let before = doc.clone();
    let inverse = op.apply(doc).expect("op applies");
    doc.validate().expect("valid after the op");
    let mut undone = doc.clone();
    let redo = inverse.clone().apply(&mut undone).expect("inverse applies");
    assert_eq!(undone, before, "the inverse restores the document");
    let mut again = undone;
    redo.apply(&mut again).expect("redo applies");
    assert_eq!(&again, doc, "redo gives the edit again");
    inverse
}

#[test]
fn checks_are_added_changed_and_removed_with_exact_undo() {
    let s = shop();
    let mut doc = s.doc.clone();
    let total = check("orders_total_check", "total >= 0", Some(s.order_total));
    let total_id = total.id;
    applied(
        &mut doc,
        Op::AddCheck {
            table_id: s.orders,
            check: total,
            at: None,
        },
    );
    applied(
        &mut doc,
        Op::AddCheck {
            table_id: s.orders,
            check: check("orders_first", "user_id IS NOT NULL OR total = 0", None),
            at: Some(0),
        },
    );
    assert_eq!(doc.table(s.orders).unwrap().checks[1].id, total_id);
    applied(
        &mut doc,
        Op::UpdateCheck {
            table_id: s.orders,
            check_id: total_id,
            patch: CheckPatch {
                sql: Some("total BETWEEN 0 AND 1000000".into()),
                column: Some(None),
                ..CheckPatch::default()
            },
        },
    );
    assert_eq!(doc.table(s.orders).unwrap().checks[1].column, None);
    applied(
        &mut doc,
        Op::RemoveCheck {
            table_id: s.orders,
            check_id: total_id,
        },
    );
    assert_eq!(doc.table(s.orders).unwrap().checks.len(), 1);

    // The JSON form reads back as the same document.
    let json = serde_json::to_string(&doc).unwrap();
    assert!(json.contains("\"checks\":[{"), "{json}");
    assert_eq!(serde_json::from_str::<Diagram>(&json).unwrap(), doc);
}

#[test]
fn bad_checks_are_refused_and_change_nothing() {
    let s = shop();
    let mut doc = s.doc.clone();
    let add = |c: Check| Op::AddCheck {
        table_id: s.orders,
        check: c,
        at: None,
    };
    add(check("positive", "total > 0", None))
        .apply(&mut doc)
        .unwrap();
    let before = doc.clone();
    let refusals = [
        (check("POSITIVE", "total < 9", None), "duplicate_check_name"),
        (check(" ", "total < 9", None), "empty_name"),
        (check("c1", "  ", None), "invalid_sql"),
        (
            check("c2", "total > 0); DROP TABLE orders; --", None),
            "invalid_sql",
        ),
        (check("c3", "total > (0", None), "invalid_sql"),
        (check("c4", "note <> 'x", None), "invalid_sql"),
        (check("c5", "total > 0", Some(s.user_id)), "unknown_column"),
    ];
    for (c, code) in refusals {
        let error: OpError = add(c.clone()).apply(&mut doc).unwrap_err();
        assert_eq!(error.code(), code, "{c:?}: {error}");
        assert_eq!(doc, before);
    }
    let unknown = Op::RemoveCheck {
        table_id: s.orders,
        check_id: Uuid::new_v4(),
    };
    assert_eq!(unknown.apply(&mut doc).unwrap_err().code(), "unknown_check");
}

#[test]
fn a_renamed_column_is_renamed_in_the_conditions_as_one_undoable_edit() {
    let s = shop();
    let mut doc = s.doc.clone();
    with_checks(
        &mut doc,
        s.orders,
        vec![
            check("orders_total_check", "(total >= 0)", Some(s.order_total)),
            check(
                "limits",
                "\"total\" < 1000 AND user_id > 0 AND 'total' <> ''",
                None,
            ),
            check("other", "user_id <> 7", None),
        ],
    );
    let inverse = applied(
        &mut doc,
        Op::UpdateColumn {
            table_id: s.orders,
            column_id: s.order_total,
            patch: ColumnPatch {
                name: Some("amount".into()),
                ..ColumnPatch::default()
            },
        },
    );
    let sqls: Vec<&str> = doc
        .table(s.orders)
        .unwrap()
        .checks
        .iter()
        .map(|c| c.sql.as_str())
        .collect();
    assert_eq!(
        sqls,
        [
            "(amount >= 0)",
            "\"amount\" < 1000 AND user_id > 0 AND 'total' <> ''",
            "user_id <> 7"
        ]
    );
    // One undo step: a batch that puts the conditions and the name back.
    assert!(
        matches!(inverse, Op::Batch { ref ops } if ops.len() == 3),
        "{inverse:?}"
    );
}

#[test]
fn a_removed_column_takes_its_checks_and_those_naming_it() {
    let s = shop();
    let mut doc = s.doc.clone();
    with_checks(
        &mut doc,
        s.orders,
        vec![
            check("on_total", "total >= 0", Some(s.order_total)),
            check("names_total", "user_id > 0 OR TOTAL = 0", None),
            check("keeps", "user_id > 0", None),
        ],
    );
    applied(
        &mut doc,
        Op::RemoveColumn {
            table_id: s.orders,
            column_id: s.order_total,
        },
    );
    let names: Vec<&str> = doc
        .table(s.orders)
        .unwrap()
        .checks
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["keeps"]);
}

#[test]
fn a_document_with_a_check_on_a_missing_column_is_refused_whole() {
    let s = shop();
    let mut doc = s.doc.clone();
    let orders = doc.tables.iter_mut().find(|t| t.id == s.orders).unwrap();
    orders
        .checks
        .push(check("c", "total > 0", Some(Uuid::new_v4())));
    assert_eq!(doc.validate().unwrap_err().code(), "unknown_column");
    let orders = doc.tables.iter_mut().find(|t| t.id == s.orders).unwrap();
    orders.checks[0].column = None;
    orders.checks.push(check("C", "total < 5", None));
    assert_eq!(doc.validate().unwrap_err().code(), "duplicate_check_name");
}
