//! Subject areas: tables join and leave them, removing one keeps its tables (and undo puts them
//! back in), names are unique, and history reads what happened.

use model::history::{compare, describe, restore};
use model::{Area, AreaPatch, Diagram, Op, OpError, Table, TablePatch, Uuid};

fn shop() -> (Diagram, Area, [Uuid; 3]) {
    let mut doc = Diagram::new("shop");
    let tables = ["customer", "order", "product"].map(Table::new);
    let ids = [tables[0].id, tables[1].id, tables[2].id];
    doc.tables = tables.into();
    let sales = Area::new("Sales");
    let op = Op::AddArea {
        area: sales.clone(),
        at: None,
    };
    op.apply(&mut doc).unwrap();
    (doc, sales, ids)
}

fn join(table_id: Uuid, area: Option<Uuid>) -> Op {
    Op::UpdateTable {
        table_id,
        patch: TablePatch {
            area: Some(area),
            ..TablePatch::default()
        },
    }
}

fn described(doc: &mut Diagram, op: Op) -> Vec<String> {
    let inverse = op.clone().apply(doc).expect("applies");
    describe(doc, &[op], &[inverse])
}

#[test]
fn removing_an_area_keeps_its_tables_and_undo_puts_them_back_in() {
    let (mut doc, sales, [customer, order, product]) = shop();
    let batch = Op::Batch {
        ops: vec![join(customer, Some(sales.id)), join(order, Some(sales.id))],
    };
    batch.apply(&mut doc).unwrap();
    let before = doc.clone();
    let inverse = Op::RemoveArea { area_id: sales.id }
        .apply(&mut doc)
        .unwrap();
    assert!(doc.areas.is_empty());
    assert_eq!(doc.tables.len(), 3, "the tables stay");
    assert!(doc.tables.iter().all(|t| t.area.is_none()));
    doc.validate().unwrap();
    inverse.apply(&mut doc).unwrap();
    assert_eq!(doc, before);
    assert_eq!(doc.table(product).unwrap().area, None);
}

#[test]
fn a_table_may_only_name_an_area_the_diagram_has_and_names_are_unique() {
    let (mut doc, sales, [customer, ..]) = shop();
    let before = doc.clone();
    let stranger = Uuid::new_v4();
    assert_eq!(
        join(customer, Some(stranger)).apply(&mut doc),
        Err(OpError::UnknownArea(stranger))
    );
    let mut table = Table::new("stray");
    table.area = Some(stranger);
    let add = Op::AddTable { table, at: None };
    assert_eq!(add.apply(&mut doc), Err(OpError::UnknownArea(stranger)));
    let again = Op::AddArea {
        area: Area::new("Sales"),
        at: None,
    };
    assert_eq!(
        again.apply(&mut doc).unwrap_err().code(),
        "duplicate_area_name"
    );
    let mut bad = Area::new("Stock");
    bad.color = "url(javascript:x)".into();
    let add = Op::AddArea {
        area: bad,
        at: None,
    };
    assert_eq!(add.apply(&mut doc).unwrap_err().code(), "invalid_color");
    let rename = Op::UpdateArea {
        area_id: sales.id,
        patch: AreaPatch {
            name: Some(" ".into()),
            ..AreaPatch::default()
        },
    };
    assert_eq!(rename.apply(&mut doc).unwrap_err().code(), "empty_name");
    assert_eq!(doc, before, "refused edits change nothing");

    // A stored document is held to the same rules.
    let mut stored = doc.clone();
    stored.tables[0].area = Some(stranger);
    assert_eq!(stored.validate(), Err(OpError::UnknownArea(stranger)));
    let mut twice = doc.clone();
    let mut other = Area::new("Sales");
    other.id = Uuid::new_v4();
    twice.areas.push(other);
    assert_eq!(
        twice.validate(),
        Err(OpError::DuplicateAreaName("Sales".into()))
    );
}

#[test]
fn history_reads_areas_by_name() {
    let (mut doc, sales, [customer, order, product]) = shop();
    let lines = described(
        &mut doc,
        Op::Batch {
            ops: vec![join(customer, Some(sales.id)), join(order, Some(sales.id))],
        },
    );
    assert_eq!(lines, ["put 2 tables in area Sales"]);
    let lines = described(&mut doc, join(product, Some(sales.id)));
    assert_eq!(lines, ["put table product in area Sales"]);
    let lines = described(&mut doc, join(product, None));
    assert_eq!(lines, ["took table product out of its area"]);
    let old = doc.clone();
    let rename = Op::UpdateArea {
        area_id: sales.id,
        patch: AreaPatch {
            name: Some("Orders".into()),
            color: Some("#fde68a".into()),
            ..AreaPatch::default()
        },
    };
    assert_eq!(
        described(&mut doc, rename),
        ["renamed area Sales to Orders"]
    );
    assert_eq!(compare(&old, &doc).lines, ["renamed area Sales to Orders"]);
    let lines = described(&mut doc, Op::RemoveArea { area_id: sales.id });
    assert_eq!(lines, ["removed area Orders"]);
    let lines = compare(&old, &doc).lines;
    assert!(
        lines.contains(&"removed area Sales".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"took table customer out of its area".to_string()),
        "{lines:?}"
    );

    // Restoring the old version brings the area back with its tables in it.
    let ops = restore(&doc, &old);
    Op::Batch { ops }.apply(&mut doc).unwrap();
    assert_eq!(doc, old);
}
