//! Automatic placement of tables: each group of tables joined by foreign keys is laid out in layers
//! (parents above their children) by `rust-sugiyama`, then the groups and the loose tables are
//! packed in rows, largest first, so nothing overlaps.
//!
//! `rust-sugiyama` implements the whole Sugiyama pipeline (cycle removal, network-simplex ranking,
//! crossing reduction, Brandes–Köpf coordinates) on petgraph in pure Rust, so it runs in the browser
//! as well as on the server.

mod pack;

use std::collections::HashMap;

use model::{Diagram, TableMove, Uuid};
use rust_sugiyama::configure::Config;

/// Width of a table card on the canvas.
pub const CARD_WIDTH: f64 = 240.0;
/// Height of a card's header.
pub const HEADER_HEIGHT: f64 = 34.0;
/// Height of one column row.
pub const ROW_HEIGHT: f64 = 22.0;
/// Space kept between cards.
const GAP: f64 = 60.0;

/// Height of a card with `columns` rows.
pub fn card_height(columns: usize) -> f64 {
    HEADER_HEIGHT + ROW_HEIGHT * columns.max(1) as f64 + 8.0
}

/// Keeps each layer's order but pushes its cards apart to at least the card width plus the gap:
/// the library's coordinate pass can leave wide cards of one layer overlapping.
fn separate(mut cards: Vec<(u32, f64, f64)>) -> Vec<(u32, f64, f64)> {
    cards.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.1.total_cmp(&b.1)));
    let mut previous: Option<(f64, f64)> = None;
    for card in &mut cards {
        if let Some((y, x)) = previous
            && (card.2 - y).abs() < 1.0
        {
            card.1 = card.1.max(x + CARD_WIDTH + GAP);
        }
        previous = Some((card.2, card.1));
    }
    cards
}

/// New positions for every table of `diagram`, in table order.
pub fn auto_layout(diagram: &Diagram) -> Vec<TableMove> {
    let index: HashMap<Uuid, u32> = diagram
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id, i as u32))
        .collect();
    let size = |i: u32| {
        let columns = diagram.tables[i as usize].columns.len();
        (CARD_WIDTH, card_height(columns))
    };
    let mut edges: Vec<(u32, u32)> = diagram
        .relationships
        .iter()
        .filter_map(|r| Some((*index.get(&r.parent_table)?, *index.get(&r.child_table)?)))
        .filter(|(parent, child)| parent != child)
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let mut linked: Vec<u32> = edges.iter().flat_map(|&(a, b)| [a, b]).collect();
    linked.sort_unstable();
    linked.dedup();

    let mut blocks: Vec<pack::Block> = Vec::new();
    if !edges.is_empty() {
        // The library names vertices by their place in this list: number them so, and map back.
        let local: HashMap<u32, u32> = linked
            .iter()
            .enumerate()
            .map(|(k, &i)| (i, k as u32))
            .collect();
        let vertices: Vec<(u32, (f64, f64))> = linked
            .iter()
            .enumerate()
            .map(|(k, &i)| (k as u32, size(i)))
            .collect();
        let local_edges: Vec<(u32, u32)> =
            edges.iter().map(|(a, b)| (local[a], local[b])).collect();
        let config = Config {
            vertex_spacing: GAP,
            ..Config::default()
        };
        for (positions, _, _) in
            rust_sugiyama::from_vertices_and_edges(&vertices, &local_edges, &config)
        {
            // The library gives centres; turn them into top-left corners of a block at the origin.
            let corners: Vec<(u32, f64, f64)> = positions
                .iter()
                .filter_map(|&(k, (cx, cy))| {
                    let i = *linked.get(k)?;
                    let (w, h) = size(i);
                    Some((i, cx - w / 2.0, cy - h / 2.0))
                })
                .collect();
            blocks.push(pack::Block::new(separate(corners), size));
        }
    }
    let mut is_linked = vec![false; diagram.tables.len()];
    for &i in &linked {
        is_linked[i as usize] = true;
    }
    blocks.extend(
        (0..diagram.tables.len() as u32)
            .filter(|&i| !is_linked[i as usize])
            .map(|i| pack::Block::new(vec![(i, 0.0, 0.0)], size)),
    );

    let mut placed = vec![(0.0, 0.0); diagram.tables.len()];
    for (block, (ox, oy)) in pack::rows(&mut blocks, GAP) {
        for &(i, x, y) in &block.cards {
            placed[i as usize] = (ox + x, oy + y);
        }
    }
    diagram
        .tables
        .iter()
        .zip(placed)
        .map(|(t, (x, y))| TableMove {
            table_id: t.id,
            x: x.round(),
            y: y.round(),
        })
        .collect()
}
