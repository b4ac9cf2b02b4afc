//! First positions for imported tables: FK-connected groups, each a small grid, packed in rows.
//!
//! Good enough until the editor's auto-layout runs; what matters is that no two cards overlap
//! and related tables start near each other.

use std::collections::HashMap;

use model::{Diagram, Table};

/// Card width on the canvas, and the height of its header and of each column row.
pub(crate) const CARD_WIDTH: f64 = 220.0;
const HEADER: f64 = 28.0;
const ROW: f64 = 22.0;
const GAP_X: f64 = 60.0;
const GAP_Y: f64 = 40.0;
/// Rows of groups wrap past this width.
const MAX_ROW_WIDTH: f64 = 4000.0;

pub(crate) fn card_height(table: &Table) -> f64 {
    HEADER + ROW * table.columns.len() as f64
}

/// Sets every table's x/y.
pub(crate) fn layout(diagram: &mut Diagram) {
    let groups = groups(diagram);
    let (mut x, mut y, mut row_height) = (0.0, 0.0, 0.0f64);
    for group in groups {
        let per_row = (group.len() as f64).sqrt().ceil().max(1.0) as usize;
        // Lay the group out at the origin, then move it into place.
        let mut placed = Vec::with_capacity(group.len());
        let (mut gy, mut width, mut height) = (0.0, 0.0f64, 0.0f64);
        for chunk in group.chunks(per_row) {
            let mut tallest = 0.0f64;
            for (col, &t) in chunk.iter().enumerate() {
                let gx = col as f64 * (CARD_WIDTH + GAP_X);
                placed.push((t, gx, gy));
                tallest = tallest.max(card_height(&diagram.tables[t]));
                width = width.max(gx + CARD_WIDTH);
            }
            gy += tallest + GAP_Y;
            height = gy - GAP_Y;
        }
        if x > 0.0 && x + width > MAX_ROW_WIDTH {
            x = 0.0;
            y += row_height + GAP_Y * 2.0;
            row_height = 0.0;
        }
        for (t, gx, gy) in placed {
            diagram.tables[t].x = x + gx;
            diagram.tables[t].y = y + gy;
        }
        x += width + GAP_X * 2.0;
        row_height = row_height.max(height);
    }
}

/// Table positions grouped by FK connection, biggest group first, each in document order.
fn groups(diagram: &Diagram) -> Vec<Vec<usize>> {
    let index: HashMap<_, _> = diagram.tables.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let mut parent: Vec<usize> = (0..diagram.tables.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for rel in &diagram.relationships {
        if let (Some(&a), Some(&b)) = (index.get(&rel.child_table), index.get(&rel.parent_table)) {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for i in 0..diagram.tables.len() {
        let r = root(&mut parent, i);
        let entry = by_root.entry(r).or_default();
        if entry.is_empty() {
            order.push(r);
        }
        entry.push(i);
    }
    let mut groups: Vec<Vec<usize>> = order.into_iter().filter_map(|r| by_root.remove(&r)).collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Column, Relationship};

    fn overlaps(a: &Table, b: &Table) -> bool {
        a.x < b.x + CARD_WIDTH
            && b.x < a.x + CARD_WIDTH
            && a.y < b.y + card_height(b)
            && b.y < a.y + card_height(a)
    }

    #[test]
    fn no_two_cards_overlap_and_related_tables_are_near() {
        let mut d = Diagram::new("t");
        for i in 0..40 {
            let cols = (0..(i % 7 + 1)).map(|c| Column::new(format!("c{c}"), "int")).collect();
            d.tables.push(Table::empty(format!("t{i}"), cols));
        }
        let (a, b) = (d.tables[3].clone(), d.tables[37].clone());
        d.relationships.push(Relationship::new(
            (a.id, vec![a.columns[0].id]),
            (b.id, vec![b.columns[0].id]),
        ));
        layout(&mut d);
        for (i, a) in d.tables.iter().enumerate() {
            for b in &d.tables[i + 1..] {
                assert!(!overlaps(a, b), "{} overlaps {}", a.name, b.name);
            }
        }
        let (a, b) = (&d.tables[3], &d.tables[37]);
        assert!((a.x - b.x).abs() + (a.y - b.y).abs() < 600.0);
    }
}
