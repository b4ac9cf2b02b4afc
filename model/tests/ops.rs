//! Every op undoes exactly, refuses invalid edits without changing anything, and keeps its JSON form.

mod support;

use model::{
    Action, Cardinality, Column, ColumnPatch, Diagram, Index, IndexPatch, Note, NotePatch, Op,
    OpError, Relationship, RelationshipPatch, Table, TableMove, TablePatch, Uuid,
};
use support::shop;

/// Applies `op`, checks the document stays valid and changed, then that the inverse restores it.
fn assert_round_trip(doc: &Diagram, op: Op) -> Diagram {
    let mut edited = doc.clone();
    let inverse = op
        .clone()
        .apply(&mut edited)
        .unwrap_or_else(|e| panic!("{op:?}: {e}"));
    edited.validate().expect("edited document is valid");
    assert_ne!(&edited, doc, "{op:?} changed nothing");
    let mut restored = edited.clone();
    let redo = inverse.apply(&mut restored).expect("inverse applies");
    assert_eq!(
        &restored, doc,
        "inverse of {op:?} did not restore the document"
    );
    let mut again = restored;
    redo.apply(&mut again).expect("redo applies");
    assert_eq!(
        again, edited,
        "inverse of the inverse of {op:?} is not the op"
    );
    edited
}

#[test]
fn every_op_kind_is_undone_by_its_inverse() {
    let s = shop();
    let ops = vec![
        Op::RenameDiagram {
            name: "Store".into(),
        },
        Op::AddTable {
            table: Table::new("products"),
            at: None,
        },
        Op::AddTable {
            table: Table::new("first"),
            at: Some(0),
        },
        Op::RemoveTable { table_id: s.users },
        Op::RemoveTable { table_id: s.orders },
        Op::UpdateTable {
            table_id: s.users,
            patch: TablePatch {
                name: Some("members".into()),
                schema: Some(Some("crm".into())),
                comment: Some("People who buy".into()),
                color: Some("#3b82f6".into()),
                ..Default::default()
            },
        },
        Op::MoveTables {
            moves: vec![
                TableMove {
                    table_id: s.users,
                    x: 40.0,
                    y: 50.0,
                    // A drag: the table becomes placed by hand, and its inverse clears it.
                    by_hand: true,
                },
                TableMove {
                    table_id: s.orders,
                    x: -10.0,
                    y: 8.5,
                    by_hand: false,
                },
            ],
        },
        Op::AddColumn {
            table_id: s.users,
            column: Column::new("name", "text"),
            at: Some(1),
        },
        Op::RemoveColumn {
            table_id: s.orders,
            column_id: s.order_user,
        },
        Op::RemoveColumn {
            table_id: s.orders,
            column_id: s.order_total,
        },
        Op::RemoveColumn {
            table_id: s.users,
            column_id: s.user_id,
        },
        Op::UpdateColumn {
            table_id: s.orders,
            column_id: s.order_total,
            patch: ColumnPatch {
                nullable: Some(false),
                default: Some(Some("0".into())),
                logical_name: Some("Total".into()),
                ..Default::default()
            },
        },
        Op::MoveColumn {
            table_id: s.orders,
            column_id: s.order_total,
            to: 0,
        },
        Op::AddIndex {
            table_id: s.users,
            index: Index {
                id: Uuid::new_v4(),
                name: "users_email".into(),
                columns: vec![s.user_id],
                unique: true,
                ..Default::default()
            },
            at: None,
        },
        Op::RemoveIndex {
            table_id: s.orders,
            index_id: s.index,
        },
        Op::UpdateIndex {
            table_id: s.orders,
            index_id: s.index,
            patch: IndexPatch {
                unique: Some(true),
                columns: Some(vec![s.order_total]),
                ..Default::default()
            },
        },
        Op::AddRelationship {
            relationship: Relationship::new((s.users, vec![s.user_id]), (s.users, vec![s.user_id])),
            at: Some(0),
        },
        Op::RemoveRelationship {
            relationship_id: s.fk,
        },
        Op::UpdateRelationship {
            relationship_id: s.fk,
            patch: RelationshipPatch {
                identifying: Some(true),
                child_cardinality: Some(Cardinality::OneOrMany),
                on_delete: Some(Action::Cascade),
                name: Some("fk_orders_users".into()),
                ..Default::default()
            },
        },
        Op::AddNote {
            note: Note::new("hello", 0.0, 0.0),
            at: None,
        },
        Op::RemoveNote { note_id: s.note },
        Op::UpdateNote {
            note_id: s.note,
            patch: NotePatch {
                text: Some("Amounts in cents".into()),
                width: Some(320.0),
                ..Default::default()
            },
        },
        Op::Batch {
            ops: vec![
                Op::RenameDiagram {
                    name: "Two steps".into(),
                },
                Op::RemoveTable { table_id: s.users },
            ],
        },
    ];
    for op in ops {
        assert_round_trip(&s.doc, op);
    }
}

#[test]
fn enum_types_are_added_and_removed() {
    let s = shop();
    let mood = model::EnumType {
        id: Uuid::new_v4(),
        name: "mood".into(),
        schema: None,
        values: vec!["sad".into(), "ok".into()],
    };
    let edited = assert_round_trip(
        &s.doc,
        Op::AddEnum {
            enum_type: mood.clone(),
            at: None,
        },
    );
    assert_round_trip(&edited, Op::RemoveEnum { enum_id: mood.id });
    let again = model::EnumType {
        id: Uuid::new_v4(),
        ..mood
    };
    assert_refused(
        &edited,
        Op::AddEnum {
            enum_type: again,
            at: None,
        },
        "duplicate_enum_name",
    );
    assert_refused(
        &s.doc,
        Op::RemoveEnum {
            enum_id: Uuid::new_v4(),
        },
        "unknown_enum",
    );
}

#[test]
fn removing_a_table_removes_its_relationships_and_undo_restores_them() {
    let s = shop();
    let edited = assert_round_trip(&s.doc, Op::RemoveTable { table_id: s.users });
    assert!(edited.relationships.is_empty());
    assert_eq!(edited.tables.len(), 1);
}

#[test]
fn removing_a_column_drops_the_relationships_and_index_entries_that_use_it() {
    let s = shop();
    let edited = assert_round_trip(
        &s.doc,
        Op::RemoveColumn {
            table_id: s.orders,
            column_id: s.order_user,
        },
    );
    assert!(edited.relationships.is_empty());
    let orders = edited.table(s.orders).expect("orders kept");
    assert_eq!(orders.indexes[0].columns, vec![s.order_total]);
    let edited = assert_round_trip(
        &edited,
        Op::RemoveColumn {
            table_id: s.orders,
            column_id: s.order_total,
        },
    );
    assert!(
        edited
            .table(s.orders)
            .expect("orders kept")
            .indexes
            .is_empty(),
        "an emptied index goes"
    );
}

#[test]
fn renaming_a_column_renames_it_in_index_expressions_and_conditions() {
    let s = shop();
    let mut doc = s.doc.clone();
    let index = |name: &str, expression: &str, predicate: &str| Index {
        expressions: vec![model::KeyExpression {
            at: 0,
            sql: expression.into(),
            descending: false,
        }],
        predicate: Some(predicate.into()),
        dialect: Some(model::Dialect::Postgresql),
        ..Index::over(Uuid::new_v4(), name, vec![], false)
    };
    for ix in [
        index("orders_big", "abs(total)", "total > 100 AND 'total' <> ''"),
        index("orders_user", "(user_id + 1)", "user_id IS NOT NULL"),
    ] {
        Op::AddIndex {
            table_id: s.orders,
            index: ix,
            at: None,
        }
        .apply(&mut doc)
        .expect("index added");
    }
    let edited = assert_round_trip(
        &doc,
        Op::UpdateColumn {
            table_id: s.orders,
            column_id: s.order_total,
            patch: ColumnPatch {
                name: Some("amount".into()),
                ..ColumnPatch::default()
            },
        },
    );
    let orders = edited.table(s.orders).expect("orders kept");
    let big = orders
        .indexes
        .iter()
        .find(|i| i.name == "orders_big")
        .unwrap();
    assert_eq!(big.expressions[0].sql, "abs(amount)");
    assert_eq!(
        big.predicate.as_deref(),
        Some("amount > 100 AND 'total' <> ''"),
        "a literal is not a name"
    );
    let user = orders
        .indexes
        .iter()
        .find(|i| i.name == "orders_user")
        .unwrap();
    assert_eq!(
        user.expressions[0].sql, "(user_id + 1)",
        "other indexes untouched"
    );
    assert_eq!(user.predicate.as_deref(), Some("user_id IS NOT NULL"));
}

/// Applies an op that must fail and checks the error and that nothing changed.
fn assert_refused(doc: &Diagram, op: Op, expected: &str) {
    let mut edited = doc.clone();
    let err = op
        .clone()
        .apply(&mut edited)
        .expect_err("op must be refused");
    assert_eq!(err.code(), expected, "{op:?} gave {err}");
    assert_eq!(&edited, doc, "a refused op changed the document");
}

#[test]
fn invalid_edits_are_refused_with_typed_errors_and_change_nothing() {
    let s = shop();
    let ghost = Uuid::new_v4();
    assert_refused(&s.doc, Op::RemoveTable { table_id: ghost }, "unknown_table");
    assert_refused(
        &s.doc,
        Op::AddTable {
            table: Table::new("users"),
            at: None,
        },
        "duplicate_table_name",
    );
    let mut other_schema = Table::new("users");
    other_schema.schema = Some("archive".into());
    assert_round_trip(
        &s.doc,
        Op::AddTable {
            table: other_schema,
            at: None,
        },
    );
    assert_refused(
        &s.doc,
        Op::UpdateTable {
            table_id: s.orders,
            patch: TablePatch {
                name: Some("users".into()),
                ..Default::default()
            },
        },
        "duplicate_table_name",
    );
    assert_refused(
        &s.doc,
        Op::UpdateColumn {
            table_id: s.orders,
            column_id: s.order_total,
            patch: ColumnPatch {
                name: Some("user_id".into()),
                ..Default::default()
            },
        },
        "duplicate_column_name",
    );
    assert_refused(
        &s.doc,
        Op::UpdateColumn {
            table_id: s.users,
            column_id: s.order_total,
            patch: ColumnPatch::default(),
        },
        "unknown_column",
    );
    assert_refused(
        &s.doc,
        Op::AddRelationship {
            relationship: Relationship::new(
                (s.orders, vec![s.order_user, s.order_total]),
                (s.users, vec![s.user_id]),
            ),
            at: None,
        },
        "column_count_mismatch",
    );
    assert_refused(
        &s.doc,
        Op::AddRelationship {
            relationship: Relationship::new(
                (s.orders, vec![s.user_id]),
                (s.users, vec![s.user_id]),
            ),
            at: None,
        },
        "unknown_column",
    );
    assert_refused(
        &s.doc,
        Op::RenameDiagram { name: "  ".into() },
        "empty_name",
    );
    assert_refused(
        &s.doc,
        Op::RenameDiagram {
            name: "x".repeat(300),
        },
        "name_too_long",
    );
    assert_refused(
        &s.doc,
        Op::MoveTables {
            moves: vec![TableMove {
                table_id: s.users,
                x: f64::NAN,
                y: 0.0,
                by_hand: false,
            }],
        },
        "not_finite",
    );
    assert_refused(
        &s.doc,
        Op::MoveColumn {
            table_id: s.orders,
            column_id: s.order_total,
            to: 9,
        },
        "index_out_of_range",
    );
    assert_refused(
        &s.doc,
        Op::AddTable {
            table: Table::new("late"),
            at: Some(7),
        },
        "index_out_of_range",
    );
    assert_refused(
        &s.doc,
        Op::UpdateNote {
            note_id: s.note,
            patch: NotePatch {
                height: Some(0.0),
                ..Default::default()
            },
        },
        "not_positive",
    );
    let mut dup = Table::new("copy");
    dup.id = s.users;
    assert_refused(
        &s.doc,
        Op::AddTable {
            table: dup,
            at: None,
        },
        "duplicate_id",
    );
}

#[test]
fn a_batch_with_one_bad_op_applies_none_of_them() {
    let s = shop();
    assert_refused(
        &s.doc,
        Op::Batch {
            ops: vec![
                Op::RenameDiagram {
                    name: "Changed".into(),
                },
                Op::RemoveTable { table_id: s.users },
                Op::RemoveTable { table_id: s.users },
            ],
        },
        "unknown_table",
    );
}

#[test]
fn documents_and_ops_keep_their_json_form() {
    let s = shop();
    let json = serde_json::to_value(&s.doc).expect("serialises");
    assert_eq!(json["tables"][0]["name"], "users");
    assert_eq!(json["tables"][0]["columns"][0]["primary_key"], true);
    assert_eq!(
        json["relationships"][0]["child_cardinality"],
        "zero_or_many"
    );
    assert_eq!(json["relationships"][0]["on_delete"], "no_action");
    assert_eq!(json["tables"][0]["id"], s.users.to_string());
    let back: Diagram = serde_json::from_value(json).expect("deserialises");
    assert_eq!(back, s.doc);

    let op: Op = serde_json::from_str(&format!(
        r#"{{"op":"update_column","table_id":"{}","column_id":"{}","patch":{{"default":null,"nullable":false}}}}"#,
        s.orders, s.order_total
    ))
    .expect("op parses");
    let Op::UpdateColumn { ref patch, .. } = op else {
        panic!("wrong op: {op:?}")
    };
    assert_eq!(
        patch.default,
        Some(None),
        "an explicit null clears the default"
    );
    assert_eq!(patch.nullable, Some(false));
    assert_eq!(patch.name, None);
    let text = serde_json::to_string(&op).expect("serialises");
    assert_eq!(serde_json::from_str::<Op>(&text).expect("parses back"), op);

    let minimal: Op = serde_json::from_str(
        r#"{"op":"add_table","table":{"id":"7f1e9b6e-4a51-4f0e-9c38-0d3c1f0b7a11","name":"t"}}"#,
    )
    .expect("missing optional fields take defaults");
    assert!(matches!(minimal, Op::AddTable { at: None, .. }));
    assert!(serde_json::from_str::<Op>(r#"{"op":"explode"}"#).is_err());
    assert!(serde_json::from_str::<Op>(r#"{"op":"rename_diagram","name":"x","extra":1}"#).is_err());
}

#[test]
fn errors_have_stable_codes() {
    let err = OpError::UnknownTable(Uuid::nil());
    assert_eq!(err.code(), "unknown_table");
    assert!(
        err.to_string()
            .contains("00000000-0000-0000-0000-000000000000")
    );
}
