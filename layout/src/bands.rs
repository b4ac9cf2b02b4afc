//! The placement used when a group is too costly for the full layered layout: the same layers
//! (parents above children), each ordered by where its cards' parents sit, and wrapped into
//! several rows when it is wide. Linear in the group's edges, whatever its shape.

use crate::GAP;

/// How many cards a row of one layer holds before it wraps.
const ROW_CARDS: usize = 12;

/// Top-left corners, relative to the group, of cards `vertices` (group-local numbers) with
/// layers `layer`, edges `edges` (parent, child) and card sizes `size`.
pub fn place(
    layer: &[u32],
    edges: &[(u32, u32)],
    size: impl Fn(u32) -> (f64, f64),
) -> Vec<(u32, f64, f64)> {
    let n = layer.len();
    let depth = layer.iter().max().map_or(0, |&l| l as usize + 1);
    let mut layers: Vec<Vec<u32>> = vec![Vec::new(); depth];
    for v in 0..n as u32 {
        layers[layer[v as usize] as usize].push(v);
    }
    let mut parents: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(p, c) in edges {
        if layer[p as usize] < layer[c as usize] {
            parents[c as usize].push(p);
        }
    }
    // One sweep down: each card goes under the average slot of its parents (barycentre).
    let mut slot = vec![0.0f64; n];
    for cards in &mut layers {
        let key = |v: u32| {
            let ps = &parents[v as usize];
            if ps.is_empty() {
                f64::from(v)
            } else {
                ps.iter().map(|&p| slot[p as usize]).sum::<f64>() / ps.len() as f64
            }
        };
        let mut keyed: Vec<(f64, u32)> = cards.iter().map(|&v| (key(v), v)).collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        *cards = keyed.into_iter().map(|(_, v)| v).collect();
        for (k, &v) in cards.iter().enumerate() {
            slot[v as usize] = k as f64;
        }
    }
    let mut corners = Vec::with_capacity(n);
    let mut y = 0.0;
    for cards in &layers {
        for row in cards.chunks(ROW_CARDS) {
            let mut x = 0.0;
            let mut height = 0.0f64;
            for &v in row {
                let (w, h) = size(v);
                corners.push((v, x, y));
                x += w + GAP;
                height = height.max(h);
            }
            y += height + GAP;
        }
    }
    corners
}
