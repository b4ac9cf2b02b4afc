//! Auto-layout keeps parents above children, groups together, and never overlaps cards.

use layout::{CARD_WIDTH, auto_layout, card_height};
use model::{Column, Diagram, Relationship, Table};

/// A diagram of `n` tables where table i references table i / 2 (a tree), plus `loose` tables.
pub fn tree(n: usize, loose: usize) -> Diagram {
    let mut doc = Diagram::new("tree");
    for i in 0..n + loose {
        let mut t = Table::new(format!("t{i}"));
        for c in 0..(i % 7) {
            t.columns.push(Column::new(format!("c{c}"), "int"));
        }
        doc.tables.push(t);
    }
    for i in 1..n {
        let (child, parent) = (&doc.tables[i], &doc.tables[i / 2]);
        doc.relationships.push(Relationship::new(
            (child.id, vec![child.columns[0].id]),
            (parent.id, vec![parent.columns[0].id]),
        ));
    }
    doc
}

fn boxes(doc: &Diagram) -> Vec<(f64, f64, f64, f64)> {
    let moves = auto_layout(doc);
    assert_eq!(moves.len(), doc.tables.len());
    moves
        .iter()
        .zip(&doc.tables)
        .map(|(m, t)| {
            assert_eq!(m.table_id, t.id);
            (m.x, m.y, CARD_WIDTH, card_height(t.columns.len()))
        })
        .collect()
}

fn assert_no_overlap(boxes: &[(f64, f64, f64, f64)]) {
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart =
                a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1;
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
}

#[test]
fn parents_sit_above_their_children_and_nothing_overlaps() {
    let doc = tree(40, 7);
    let b = boxes(&doc);
    assert_no_overlap(&b);
    for rel in &doc.relationships {
        let child = doc.table_position(rel.child_table).unwrap();
        let parent = doc.table_position(rel.parent_table).unwrap();
        assert!(
            b[parent].1 + b[parent].3 <= b[child].1,
            "parent {parent} is not above child {child}"
        );
    }
}

#[test]
fn loose_tables_and_separate_groups_are_packed_apart() {
    let mut doc = tree(6, 5);
    let other = tree(4, 0);
    doc.tables.extend(other.tables);
    doc.relationships.extend(other.relationships);
    assert_no_overlap(&boxes(&doc));
}

#[test]
fn cycles_self_references_and_empty_diagrams_are_handled() {
    assert!(auto_layout(&Diagram::new("empty")).is_empty());
    let mut doc = tree(3, 0);
    let (a, c) = (&doc.tables[0], &doc.tables[2]);
    doc.relationships.push(Relationship::new(
        (a.id, vec![a.columns[0].id]),
        (c.id, vec![c.columns[0].id]),
    ));
    doc.relationships.push(Relationship::new(
        (a.id, vec![a.columns[0].id]),
        (a.id, vec![a.columns[0].id]),
    ));
    assert_no_overlap(&boxes(&doc));
}
