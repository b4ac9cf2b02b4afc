//! Auto-layout keeps groups together and never overlaps cards; in layers, parents sit above
//! their children.

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
    // Past the size stress majorization is tried on, so the layers are what is placed (a small
    // tree is drawn shorter by stress, which then wins).
    let doc = tree(320, 7);
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

/// `n` tables joined by `edges` (parent, child), each table with a column or two.
pub fn graph(n: usize, edges: impl IntoIterator<Item = (usize, usize)>) -> Diagram {
    let mut doc = Diagram::new("graph");
    for i in 0..n {
        let mut t = Table::new(format!("t{i}"));
        for c in 0..(1 + i % 3) {
            t.columns.push(Column::new(format!("c{c}"), "int"));
        }
        doc.tables.push(t);
    }
    for (parent, child) in edges {
        let (p, c) = (&doc.tables[parent], &doc.tables[child]);
        doc.relationships.push(Relationship::new(
            (c.id, vec![c.columns[0].id]),
            (p.id, vec![p.columns[0].id]),
        ));
    }
    doc
}

/// Shapes whose full layered layout takes minutes (every table referencing every earlier one)
/// or is wide (a star): each lays out and overlaps nothing; those laid out in layers keep
/// parents above children.
#[test]
fn dense_groups_stars_and_long_cycles_lay_out_in_bounded_time() {
    let dense = |n: usize| graph(n, (0..n).flat_map(|c| (0..c).map(move |p| (p, c))));
    let mut x: u64 = 7;
    let mut random = Vec::new();
    for c in 1..1000usize {
        for _ in 0..3 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            random.push(((x >> 33) as usize % c, c));
        }
    }
    // Many mid-sized groups share one stress budget: the largest are spread, the rest layered.
    let mut grouped = Vec::new();
    for c in 1..40 * 120usize {
        if c % 120 != 0 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let base = c - c % 120;
            grouped.push((base + (x >> 33) as usize % (c - base), c));
        }
    }
    // A cycle must break somewhere: one of its edges may point up.
    let shapes = [
        ("dense 300", dense(300), 0),
        // Small enough for the stress layout too, which crosses less here: it keeps no
        // direction.
        ("dense 40", dense(40), usize::MAX),
        ("star 600", graph(600, (1..600).map(|c| (0, c))), 0),
        (
            "cycle 1000",
            graph(1000, (0..1000).map(|c| (c, (c + 1) % 1000))),
            1,
        ),
        ("random 1000 × 3", graph(1000, random), 0),
        ("40 groups of 120", graph(40 * 120, grouped), usize::MAX),
    ];
    for (name, doc, may_point_up) in shapes {
        let b = boxes(&doc);
        assert_no_overlap(&b);
        let upward = doc
            .relationships
            .iter()
            .filter(|rel| {
                let child = doc.table_position(rel.child_table).unwrap();
                let parent = doc.table_position(rel.parent_table).unwrap();
                parent < child && b[parent].1 >= b[child].1
            })
            .count();
        assert!(
            upward <= may_point_up,
            "{name}: {upward} children above their parents"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Any graph, dense or sparse, cyclic or not: every table placed, nothing overlapping, and
    /// (with no time budget in the test) an answer at all, which dense graphs did not give.
    #[test]
    fn any_graph_lays_out_without_overlap(
        n in 2usize..160,
        density in 0u32..100,
        seed in proptest::prelude::any::<u64>(),
    ) {
        let mut x = seed | 1;
        let mut edges = Vec::new();
        for c in 0..n {
            for p in 0..n {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Mostly forward edges, some backward (cycles), thinned by the density.
                if p != c && (x % 1000) < u64::from(density) * (if p < c { 4 } else { 1 }) / 4 {
                    edges.push((p, c));
                }
            }
        }
        let doc = graph(n, edges);
        assert_no_overlap(&boxes(&doc));
    }
}

/// Crossings of the lines as the editor draws them zoomed out (`lines::route` between the
/// cards' middles), pairs that share a table left out.
fn drawn_crossings(doc: &Diagram) -> usize {
    type Seg = ((f64, f64), (f64, f64));
    let b = boxes(doc);
    let ends: Vec<(usize, usize)> = doc
        .relationships
        .iter()
        .map(|r| {
            let at = |id| doc.table_position(id).unwrap();
            (at(r.child_table), at(r.parent_table))
        })
        .collect();
    let drawn: Vec<Vec<Seg>> = ends
        .iter()
        .map(|&(c, p)| {
            let (cx, cy, _, ch) = b[c];
            let (px, py, _, ph) = b[p];
            let (corners, _) =
                layout::lines::route((cx, cy), cy + ch / 2.0, (px, py), py + ph / 2.0);
            corners.windows(2).map(|w| (w[0], w[1])).collect()
        })
        .collect();
    let crosses = |(a, b): Seg, (c, d): Seg| {
        let side = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
            (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
        };
        side(c, d, a) * side(c, d, b) < 0.0 && side(a, b, c) * side(a, b, d) < 0.0
    };
    let mut count = 0;
    for i in 0..ends.len() {
        for j in i + 1..ends.len() {
            let ((a, b), (c, d)) = (ends[i], ends[j]);
            if a == c || a == d || b == c || b == d {
                continue;
            }
            let hit = drawn[i]
                .iter()
                .any(|&s| drawn[j].iter().any(|&t| crosses(s, t)));
            count += usize::from(hit);
        }
    }
    count
}

/// Hubs with their own tables, joined in a chain, some tables referencing two hubs, as an
/// application schema's users, orders and products are: the stress layout alone crosses four
/// lines here; after the local search none cross.
#[test]
fn the_tables_of_chained_hubs_gather_round_them_without_crossings() {
    let hubs = [0, 1, 2, 3];
    let mut edges = vec![(0, 1), (1, 2), (2, 3)];
    let mut n = hubs.len();
    for hub in hubs {
        for k in 0..6 {
            edges.push((hub, n));
            // Every other one also references the next hub, as a line table does.
            if k % 2 == 0 && hub < 3 {
                edges.push((hub + 1, n));
            }
            n += 1;
        }
    }
    let doc = graph(n, edges);
    assert_no_overlap(&boxes(&doc));
    assert_eq!(drawn_crossings(&doc), 0);
}

/// Auto layout of a selection moves only the selection, arranged from where it was; keeping the
/// tables placed by hand leaves them and puts the others beside them, overlapping none.
#[test]
fn a_selection_or_all_but_the_hand_placed_tables_are_arranged_alone() {
    use layout::{Scope, arrange};
    let mut doc = tree(12, 3);
    for (i, t) in doc.tables.iter_mut().enumerate() {
        (t.x, t.y) = (3000.0 + 37.0 * i as f64, 2000.0 - 11.0 * i as f64);
    }
    let chosen: Vec<_> = doc.tables[..6].iter().map(|t| t.id).collect();
    let moves = arrange(&doc, Scope::Only(&chosen));
    assert_eq!(moves.iter().map(|m| m.table_id).collect::<Vec<_>>(), chosen);
    let left = doc.tables[..6].iter().map(|t| t.x).fold(f64::MAX, f64::min);
    let top = doc.tables[..6].iter().map(|t| t.y).fold(f64::MAX, f64::min);
    let placed_left = moves.iter().map(|m| m.x).fold(f64::MAX, f64::min);
    let placed_top = moves.iter().map(|m| m.y).fold(f64::MAX, f64::min);
    assert_eq!((placed_left, placed_top), (left.round(), top.round()));
    assert!(moves.iter().all(|m| !m.by_hand));

    // Two tables placed by hand, far apart: they stay, the rest go beside them.
    doc.tables[0].placed = true;
    doc.tables[0].x = 0.0;
    doc.tables[0].y = 0.0;
    doc.tables[5].placed = true;
    doc.tables[5].x = 900.0;
    doc.tables[5].y = 700.0;
    let moves = arrange(&doc, Scope::KeepPlaced);
    assert_eq!(moves.len(), doc.tables.len() - 2);
    assert!(
        moves
            .iter()
            .all(|m| m.table_id != doc.tables[0].id && m.table_id != doc.tables[5].id)
    );
    let mut placed = doc.clone();
    for m in &moves {
        let t = placed
            .tables
            .iter_mut()
            .find(|t| t.id == m.table_id)
            .unwrap();
        (t.x, t.y) = (m.x, m.y);
    }
    let all: Vec<_> = placed
        .tables
        .iter()
        .map(|t| (t.x, t.y, CARD_WIDTH, card_height(t.columns.len())))
        .collect();
    assert_no_overlap(&all);
    // Arranging everything gives every table a place, in table order.
    assert_eq!(arrange(&doc, Scope::All), auto_layout(&doc));
}

/// A hub of twenty tables with a chain of six hanging off it: clearing the crowded hub by
/// scaling the whole group stretches every line; pushing apart only what overlaps keeps them
/// short.
#[test]
fn a_crowded_hub_does_not_stretch_the_lines_beside_it() {
    let mut edges: Vec<(usize, usize)> = (1..=20).map(|leaf| (0, leaf)).collect();
    edges.push((0, 21));
    edges.extend((21..26).map(|k| (k, k + 1)));
    let doc = graph(27, edges.clone());
    let b = boxes(&doc);
    assert_no_overlap(&b);
    let middle = |i: usize| (b[i].0 + b[i].2 / 2.0, b[i].1 + b[i].3 / 2.0);
    let mean = edges
        .iter()
        .map(|&(p, c)| {
            let ((x0, y0), (x1, y1)) = (middle(p), middle(c));
            (x1 - x0).hypot(y1 - y0) / CARD_WIDTH
        })
        .sum::<f64>()
        / edges.len() as f64;
    // Scaled whole, the mean is 1.97.
    assert!(mean < 1.75, "mean line {mean:.2} card widths");
}

/// Two subject areas cut across one tree: each area's tables come out in a region of their own
/// (its frame with the editor's padding holds no other card), however the foreign keys run.
#[test]
fn the_tables_of_a_subject_area_are_kept_together_in_its_frame() {
    use layout::{AREA_HEADER, AREA_PADDING};
    let mut doc = tree(30, 4);
    let (sales, stock) = (model::Area::new("Sales"), model::Area::new("Stock"));
    for (i, t) in doc.tables.iter_mut().enumerate() {
        // Every third table to Sales, every third to Stock, the rest in none: areas cut the
        // tree's groups, and loose tables are in both.
        t.area = [Some(sales.id), Some(stock.id), None][i % 3];
    }
    doc.areas = vec![sales.clone(), stock.clone()];
    doc.validate().unwrap();
    let b = boxes(&doc);
    assert_no_overlap(&b);
    for area in [&sales, &stock] {
        let inside: Vec<usize> = (0..doc.tables.len())
            .filter(|&i| doc.tables[i].area == Some(area.id))
            .collect();
        let frame = inside.iter().fold(
            (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
            |(x0, y0, x1, y1), &i| {
                let (x, y, w, h) = b[i];
                (x0.min(x), y0.min(y), x1.max(x + w), y1.max(y + h))
            },
        );
        let frame = (
            frame.0 - AREA_PADDING,
            frame.1 - AREA_PADDING - AREA_HEADER,
            frame.2 + AREA_PADDING,
            frame.3 + AREA_PADDING,
        );
        for (i, &(x, y, w, h)) in b.iter().enumerate() {
            if doc.tables[i].area != Some(area.id) {
                let apart = x + w <= frame.0 || frame.2 <= x || y + h <= frame.1 || frame.3 <= y;
                assert!(apart, "table {i} is inside area {}'s frame", area.name);
            }
        }
    }
    // A table naming an area the diagram lacks is laid out as one in no area.
    let mut stray = doc.clone();
    stray.areas.clear();
    assert_no_overlap(&boxes(&stray));
}
