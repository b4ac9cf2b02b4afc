//! Automatic placement of tables: each group of tables joined by foreign keys is laid out in layers
//! (parents above their children) by `rust-sugiyama`, and also by stress majorization (`stress`:
//! related tables together, hubs amid their tables) followed by a local search (`refine`: tables
//! trade places or move beside a neighbour while the lines as drawn cross less); the layout whose
//! lines as drawn cross less (or run clearly shorter) is kept, the layers when it is close. Then
//! the groups and the loose tables are packed in rows, tallest first, the smaller ones stacked
//! beside the big ones, in the width that best fills a 16:10 screen; nothing overlaps.
//!
//! `rust-sugiyama` implements the whole Sugiyama pipeline (cycle removal, network-simplex ranking,
//! crossing reduction, Brandes–Köpf coordinates) on petgraph in pure Rust, so it runs in the browser
//! as well as on the server. Its cost grows much faster than the graph on dense groups, so each
//! group's cost is measured first (`rank`) and a group over budget is placed by `bands`, the same
//! layers in linear time.

mod bands;
pub mod lines;
mod pack;
mod rank;
mod refine;
mod stress;

use std::collections::HashMap;

use model::{Diagram, TableMove, Uuid};
use rust_sugiyama::configure::{Config, RankingType};

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

/// The most work ([`rank::Ranks::work`]) a group may take to get the full layered layout; a
/// costlier group gets [`bands`] instead. Measured on the shapes of `cargo bench -p layout`, the
/// layered layout takes 0.2–0.45 µs per unit of work, so a group at the budget takes under half
/// a second (a dense group of 50 tables was 9.4 million units: 2 s).
pub const LAYERED_BUDGET: u64 = 1_000_000;

/// The most work all of a diagram's groups may take together: many groups each just under the
/// group budget would otherwise add up to minutes.
pub const DIAGRAM_BUDGET: u64 = 3 * LAYERED_BUDGET;

/// The largest group also placed by [`stress`] (its cost grows with the square of the group);
/// the layout with fewer crossing lines is kept, the layers when they tie.
const STRESS_MAX: usize = 300;
const STRESS_MAX_EDGES: usize = 1_500;

/// Pair updates the stress layouts of all of a diagram's groups may take together (about half a
/// second), comparisons of crossings included: a diagram of many mid-sized groups would
/// otherwise take each one's full share (5,000 tables in groups of 250: seconds). Groups are
/// served largest first; one the budget cannot serve is layered only.
const DIAGRAM_STRESS_WORK: usize = 2 * stress::GROUP_WORK;

/// Line comparisons the local search after a stress layout (`refine`) may take per group
/// (about 100 ms: a comparison is a box test, and up to nine segment tests), and for all groups
/// of a diagram together.
const GROUP_REFINE_WORK: usize = 5_000_000;
const DIAGRAM_REFINE_WORK: usize = 2 * GROUP_REFINE_WORK;

/// Space between a subject area's frame and its tables, and the height of its name band above
/// them: the editor draws the frame so, and Auto layout keeps that room around each area.
pub const AREA_PADDING: f64 = 24.0;
pub const AREA_HEADER: f64 = 30.0;

/// New positions for every table of `diagram`, in table order.
///
/// Bounded whatever the graph: each group of tables joined by foreign keys costs at most the
/// layered budget, and all of them together the diagram budget; a group that would cost more
/// takes linear time in its edges.
///
/// The tables of a subject area are laid out among themselves and kept together in one block
/// with room for the area's frame; foreign keys between areas do not pull them apart.
pub fn auto_layout(diagram: &Diagram) -> Vec<TableMove> {
    let mut budget = Budget::default();
    let area_of = |t: &model::Table| t.area.filter(|a| diagram.area(*a).is_some());
    let mut blocks = Vec::new();
    for area in &diagram.areas {
        let members: Vec<u32> = (0..diagram.tables.len() as u32)
            .filter(|&i| area_of(&diagram.tables[i as usize]) == Some(area.id))
            .collect();
        if members.is_empty() {
            continue;
        }
        let mut inner = layout_blocks(diagram, &members, &mut budget);
        let size = |i: u32| card_size(&diagram.tables[i as usize]);
        let cards = pack::rows(&mut inner, GAP)
            .into_iter()
            .flat_map(|(block, (ox, oy))| {
                block
                    .cards
                    .iter()
                    .map(move |&(i, x, y)| (i, ox + x, oy + y))
            })
            .collect::<Vec<_>>();
        let mut block = pack::Block::new(cards, size);
        // The frame's room on every side (`Block::new` moved the cards to the corner).
        for card in &mut block.cards {
            card.1 += AREA_PADDING;
            card.2 += AREA_PADDING + AREA_HEADER;
        }
        block.width += 2.0 * AREA_PADDING;
        block.height += 2.0 * AREA_PADDING + AREA_HEADER;
        blocks.push(block);
    }
    let loose: Vec<u32> = (0..diagram.tables.len() as u32)
        .filter(|&i| area_of(&diagram.tables[i as usize]).is_none())
        .collect();
    blocks.extend(layout_blocks(diagram, &loose, &mut budget));

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
            by_hand: false,
        })
        .collect()
}

fn card_size(table: &model::Table) -> (f64, f64) {
    (CARD_WIDTH, card_height(table.columns.len()))
}

/// What all of a diagram's groups may spend together (see the budgets above).
struct Budget {
    layered: u64,
    stress: usize,
    refine: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            layered: DIAGRAM_BUDGET,
            stress: DIAGRAM_STRESS_WORK,
            refine: DIAGRAM_REFINE_WORK,
        }
    }
}

/// The tables `chosen` of `diagram` laid out: one block per group joined by foreign keys among
/// them, and one per loose table; cards are numbered by their place in `diagram.tables`.
fn layout_blocks(diagram: &Diagram, chosen: &[u32], budget: &mut Budget) -> Vec<pack::Block> {
    let index: HashMap<Uuid, u32> = chosen
        .iter()
        .enumerate()
        .map(|(k, &i)| (diagram.tables[i as usize].id, k as u32))
        .collect();
    let size = |k: u32| card_size(&diagram.tables[chosen[k as usize] as usize]);
    let mut edges: Vec<(u32, u32)> = diagram
        .relationships
        .iter()
        .filter_map(|r| Some((*index.get(&r.parent_table)?, *index.get(&r.child_table)?)))
        .filter(|(parent, child)| parent != child)
        .collect();
    edges.sort_unstable();
    edges.dedup();

    let mut blocks: Vec<pack::Block> = Vec::new();
    let mut grouped = vec![false; chosen.len()];
    let mut groups = groups(chosen.len(), &edges);
    groups.sort_by_key(|(members, _)| std::cmp::Reverse(members.len()));
    for (members, local_edges) in groups {
        let local_size = |k: u32| size(members[k as usize]);
        let ranks = rank::rank(members.len(), &local_edges);
        // Comparing the two counts crossings, pair by pair of lines: only for groups that allow it.
        let compare = local_edges.len() * local_edges.len();
        let small = members.len() <= STRESS_MAX
            && local_edges.len() <= STRESS_MAX_EDGES
            && budget.stress >= stress::least_work(members.len()) + compare;
        let spread = |budget: &mut Budget| {
            let work = stress::Work {
                stress: budget.stress - compare,
                search: GROUP_REFINE_WORK.min(budget.refine),
            };
            let (corners, used) = stress::place(members.len(), &local_edges, &local_size, work);
            budget.stress -= used.stress + compare;
            budget.refine = budget.refine.saturating_sub(used.search);
            corners
        };
        let corners = if ranks.work <= LAYERED_BUDGET.min(budget.layered) {
            budget.layered -= ranks.work;
            let layers = layered(members.len(), &local_edges, &local_size);
            if small {
                let spread = spread(budget);
                stress::better(layers, spread, &local_edges, &local_size)
            } else {
                layers
            }
        } else if small {
            spread(budget)
        } else {
            bands::place(&ranks.layer, &local_edges, local_size)
        };
        let cards = corners
            .into_iter()
            .map(|(k, x, y)| (members[k as usize], x, y))
            .collect();
        for &k in &members {
            grouped[k as usize] = true;
        }
        blocks.push(pack::Block::new(cards, size));
    }
    blocks.extend(
        (0..chosen.len() as u32)
            .filter(|&k| !grouped[k as usize])
            .map(|k| pack::Block::new(vec![(k, 0.0, 0.0)], size)),
    );
    // From places in `chosen` to places in the diagram.
    for block in &mut blocks {
        for card in &mut block.cards {
            card.0 = chosen[card.0 as usize];
        }
    }
    blocks
}

/// Which tables Auto layout arranges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scope<'a> {
    /// Every table.
    All,
    /// These tables (the selection), arranged where they were: the block they make starts at
    /// their top-left corner.
    Only(&'a [Uuid]),
    /// Every table but those placed by hand, which stay; the others are arranged beside them.
    KeepPlaced,
}

/// New positions for the tables of `diagram` that `scope` arranges (the others do not move),
/// laid out among themselves as [`auto_layout`] lays out a whole diagram.
pub fn arrange(diagram: &Diagram, scope: Scope) -> Vec<TableMove> {
    let chosen: std::collections::HashSet<Uuid> = match scope {
        Scope::All => return auto_layout(diagram),
        Scope::Only(ids) => ids.iter().copied().collect(),
        Scope::KeepPlaced => diagram
            .tables
            .iter()
            .filter(|t| !t.placed)
            .map(|t| t.id)
            .collect(),
    };
    let mut part = Diagram::new(&diagram.name);
    part.areas = diagram.areas.clone();
    part.tables = diagram
        .tables
        .iter()
        .filter(|t| chosen.contains(&t.id))
        .cloned()
        .collect();
    part.relationships = diagram
        .relationships
        .iter()
        .filter(|r| chosen.contains(&r.child_table) && chosen.contains(&r.parent_table))
        .cloned()
        .collect();
    let mut moves = auto_layout(&part);
    let bounds = |tables: &mut dyn Iterator<Item = &model::Table>| {
        tables.fold(None, |b: Option<(f64, f64, f64, f64)>, t| {
            let (x1, y1) = (t.x + CARD_WIDTH, t.y + card_height(t.columns.len()));
            Some(b.map_or((t.x, t.y, x1, y1), |(a, b, c, d)| {
                (a.min(t.x), b.min(t.y), c.max(x1), d.max(y1))
            }))
        })
    };
    let offset = match scope {
        Scope::Only(_) => bounds(&mut part.tables.iter()).map(|(x, y, ..)| (x, y)),
        _ => {
            let kept = bounds(&mut diagram.tables.iter().filter(|t| !chosen.contains(&t.id)));
            let size = part
                .tables
                .iter()
                .zip(&moves)
                .fold((0.0f64, 0.0f64), |(w, h), (t, m)| {
                    (
                        w.max(m.x + CARD_WIDTH),
                        h.max(m.y + card_height(t.columns.len())),
                    )
                });
            kept.map(|kept| beside(kept, size))
        }
    };
    if let Some((ox, oy)) = offset {
        for m in &mut moves {
            m.x = (m.x + ox).round();
            m.y = (m.y + oy).round();
        }
    }
    moves
}

/// Where a block of `size` goes beside the tables kept in `kept` (their bounds): right of them
/// or below, whichever keeps the whole nearer a screen's shape (16:10).
fn beside((x0, y0, x1, y1): (f64, f64, f64, f64), (w, h): (f64, f64)) -> (f64, f64) {
    let gap = 2.0 * GAP;
    let misfit = |width: f64, height: f64| ((width / height.max(1.0)) / 1.6).ln().abs();
    let right = misfit(x1 - x0 + gap + w, (y1 - y0).max(h));
    let below = misfit((x1 - x0).max(w), y1 - y0 + gap + h);
    if right <= below {
        (x1 + gap, y0)
    } else {
        (x0, y1 + gap)
    }
}

/// A group of tables joined by foreign keys: its tables, and its edges numbered by their place in
/// that list.
type Group = (Vec<u32>, Vec<(u32, u32)>);

/// The groups of tables joined by `edges` (two tables or more).
fn groups(n: usize, edges: &[(u32, u32)]) -> Vec<Group> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn root(parent: &mut [u32], mut v: u32) -> u32 {
        while parent[v as usize] != v {
            parent[v as usize] = parent[parent[v as usize] as usize];
            v = parent[v as usize];
        }
        v
    }
    for &(a, b) in edges {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb) as usize] = ra.min(rb);
        }
    }
    let mut group_of: HashMap<u32, usize> = HashMap::new();
    let mut local = vec![0u32; n];
    let mut groups: Vec<Group> = Vec::new();
    let mut linked = vec![false; n];
    for &(a, b) in edges {
        linked[a as usize] = true;
        linked[b as usize] = true;
    }
    for v in (0..n as u32).filter(|&v| linked[v as usize]) {
        let r = root(&mut parent, v);
        let g = *group_of.entry(r).or_insert_with(|| {
            groups.push((Vec::new(), Vec::new()));
            groups.len() - 1
        });
        local[v as usize] = groups[g].0.len() as u32;
        groups[g].0.push(v);
    }
    for &(a, b) in edges {
        let g = group_of[&root(&mut parent, a)];
        groups[g].1.push((local[a as usize], local[b as usize]));
    }
    groups
}

/// The full layered (Sugiyama) layout of one group: top-left corners of its cards, in
/// group-local numbers.
fn layered(
    n: usize,
    edges: &[(u32, u32)],
    size: &impl Fn(u32) -> (f64, f64),
) -> Vec<(u32, f64, f64)> {
    let vertices: Vec<(u32, (f64, f64))> = (0..n as u32).map(|k| (k, size(k))).collect();
    // Layers by longest path, up then down: linear, and the layering the budget (`rank`) is
    // measured on. The library's default, network simplex, has no bound on its pivots: a graph
    // of 82 tables and about 230 foreign keys kept it busy for minutes (it may cycle).
    let config = Config {
        vertex_spacing: GAP,
        ranking_type: RankingType::Original,
        ..Config::default()
    };
    let mut corners = Vec::with_capacity(n);
    for (positions, _, _) in rust_sugiyama::from_vertices_and_edges(&vertices, edges, &config) {
        // The library gives centres; turn them into top-left corners.
        corners.extend(positions.iter().map(|&(k, (cx, cy))| {
            let (w, h) = size(k as u32);
            (k as u32, cx - w / 2.0, cy - h / 2.0)
        }));
    }
    separate(corners)
}
