//! Copy and paste: pasted tables are new (ids, free names), keep their keys, indexes and
//! checks on their own columns, and keep foreign keys to tables the diagram has.

use model::clip::Clip;
use model::{Check, Column, Diagram, Index, Op, Relationship, Table};

/// customers ← orders ← lines, with an index and a check on orders.
fn shop() -> Diagram {
    let mut doc = Diagram::new("shop");
    let customers = Table::new("customers");
    let mut orders = Table::new("orders");
    orders.columns.push(Column::new("customer_id", "bigint"));
    orders.columns.push(Column::new("total", "numeric(10,2)"));
    let (customer_id, total) = (orders.columns[1].id, orders.columns[2].id);
    orders.indexes.push(Index::over(
        model::Uuid::new_v4(),
        "orders_customer",
        vec![customer_id],
        false,
    ));
    orders.checks.push(Check {
        id: model::Uuid::new_v4(),
        name: "orders_total".into(),
        sql: "total >= 0".into(),
        column: Some(total),
        dialect: None,
    });
    let mut lines = Table::new("lines");
    lines.columns.push(Column::new("order_id", "bigint"));
    let rels = [
        Relationship::new(
            (orders.id, vec![customer_id]),
            (customers.id, vec![customers.columns[0].id]),
        ),
        Relationship::new(
            (lines.id, vec![lines.columns[1].id]),
            (orders.id, vec![orders.columns[0].id]),
        ),
    ];
    doc.tables = vec![customers, orders, lines];
    doc.relationships = rels.into();
    doc.validate().unwrap();
    doc
}

fn pasted(doc: &mut Diagram, clip: Clip, offset: (f64, f64)) -> Vec<model::Uuid> {
    let (ops, ids) = clip.paste(doc, offset);
    Op::Batch { ops }.apply(doc).expect("the paste applies");
    doc.validate().unwrap();
    ids
}

#[test]
fn a_duplicate_is_new_and_keeps_its_keys_to_the_same_parents() {
    let mut doc = shop();
    let orders = doc.tables[1].clone();
    let clip = Clip::copy(&doc, &[orders.id], true);
    // Through the clipboard's text and back.
    let clip = Clip::parse(&clip.to_json()).expect("a clip reads back");
    let ids = pasted(&mut doc, clip, (40.0, 40.0));
    let copy = doc.table(ids[0]).unwrap().clone();
    assert_eq!(copy.name, "orders_copy");
    assert_ne!(copy.id, orders.id);
    assert_eq!((copy.x, copy.y), (orders.x + 40.0, orders.y + 40.0));
    let column_ids: Vec<_> = copy.columns.iter().map(|c| c.id).collect();
    assert!(orders.columns.iter().all(|c| !column_ids.contains(&c.id)));
    // Its index and check name its own columns.
    assert_eq!(copy.indexes[0].columns, [copy.columns[1].id]);
    assert_eq!(copy.checks[0].column, Some(copy.columns[2].id));
    // Its key to customers is kept, on its own column; lines keeps its one key, to orders.
    let touching: Vec<_> = doc
        .relationships
        .iter()
        .filter(|r| r.child_table == copy.id || r.parent_table == copy.id)
        .collect();
    assert_eq!(touching.len(), 1);
    assert_eq!(touching[0].parent_table, doc.tables[0].id);
    assert_eq!(touching[0].child_columns, [copy.columns[1].id]);
    // A second duplicate takes the next free name.
    let clip = Clip::copy(&doc, &[orders.id], false);
    let ids = pasted(&mut doc, clip, (80.0, 80.0));
    assert_eq!(doc.table(ids[0]).unwrap().name, "orders_copy_2");
    assert_eq!(
        doc.relationships.len(),
        3,
        "without relationships, none is added"
    );
}

#[test]
fn a_clip_pastes_into_another_diagram_without_what_that_one_lacks() {
    let mut from = shop();
    let area = model::Area::new("Sales");
    from.areas.push(area.clone());
    from.tables[1].area = Some(area.id);
    let clip = Clip::copy(&from, &[from.tables[1].id, from.tables[2].id], true);
    let mut other = Diagram::new("other");
    let ids = pasted(&mut other, clip, (0.0, 0.0));
    assert_eq!(ids.len(), 2);
    let names: Vec<_> = other.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["orders", "lines"], "free names are kept");
    // lines → orders comes along; orders → customers has no parent here.
    assert_eq!(other.relationships.len(), 1);
    assert_eq!(other.relationships[0].parent_table, ids[0]);
    assert_eq!(other.tables[0].area, None, "no such area here");
}

#[test]
fn other_text_is_not_a_clip() {
    assert_eq!(Clip::parse("CREATE TABLE t (id int);"), None);
    assert_eq!(Clip::parse(r#"{"tables": []}"#), None);
    assert_eq!(
        Clip::parse(r#"{"tablewright_clip": 9, "tables": []}"#),
        None
    );
}
