//! Layers by longest path, and what laying a group out in layers would cost.
//!
//! The Sugiyama steps (network-simplex ranking, crossing reduction, coordinates) work on the
//! graph with a dummy vertex wherever an edge crosses a layer, and crossing reduction compares
//! the cards of neighbouring layers pairwise: a group where every table references every earlier
//! one has n³/6 dummies and far more pairs. Counting the pairs first, in linear time, lets the
//! caller choose a cheaper placement before it is too late.

/// The layer of each vertex of a group (parents above children, 0 at the top) and the work a
/// full layered layout of it would take.
pub struct Ranks {
    pub layer: Vec<u32>,
    /// Pairs of cards (dummies included) on neighbouring layers, plus vertices and edges: what
    /// the layered layout's time grows with (`cargo run -p layout --example` figures in the
    /// bench's doc).
    pub work: u64,
}

/// Ranks the `n` vertices of a group joined by `edges` (parent, child), parents above children.
/// Cycles are broken by ignoring the edges a depth-first search finds going back up.
pub fn rank(n: usize, edges: &[(u32, u32)]) -> Ranks {
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(parent, child) in edges {
        children[parent as usize].push(child);
    }
    // Iterative DFS: the post-order, reversed, is a topological order of the forward edges.
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; n];
    let mut order: Vec<u32> = Vec::with_capacity(n);
    let mut stack: Vec<(u32, usize)> = Vec::new();
    for root in 0..n as u32 {
        if state[root as usize] != NEW {
            continue;
        }
        state[root as usize] = OPEN;
        stack.push((root, 0));
        while let Some((v, next)) = stack.last_mut() {
            let v = *v;
            if let Some(&child) = children[v as usize].get(*next) {
                *next += 1;
                if state[child as usize] == NEW {
                    state[child as usize] = OPEN;
                    stack.push((child, 0));
                }
            } else {
                state[v as usize] = DONE;
                order.push(v);
                stack.pop();
            }
        }
    }
    let mut position = vec![0usize; n];
    for (p, &v) in order.iter().rev().enumerate() {
        position[v as usize] = p;
    }
    let mut layer = vec![0u32; n];
    for &v in order.iter().rev() {
        for &child in &children[v as usize] {
            // Only edges that go forward in the order; the others close a cycle.
            if position[child as usize] > position[v as usize] {
                layer[child as usize] = layer[child as usize].max(layer[v as usize] + 1);
            }
        }
    }
    // How wide each layer is with its dummies (a difference array over the edges' spans), and
    // from that the crossing-reduction work: every pair of cards on neighbouring layers.
    let depth = layer.iter().max().map_or(0, |&l| l as usize + 1);
    let mut change = vec![0i64; depth + 1];
    for &l in &layer {
        change[l as usize] += 1;
        change[l as usize + 1] -= 1;
    }
    for &(p, c) in edges {
        let (a, b) = (layer[p as usize], layer[c as usize]);
        let (top, bottom) = (a.min(b) as usize, a.max(b) as usize);
        if bottom > top + 1 {
            change[top + 1] += 1;
            change[bottom] -= 1;
        }
    }
    let mut width = Vec::with_capacity(depth);
    let mut running = 0i64;
    for d in &change[..depth] {
        running += d;
        width.push(running as u64);
    }
    let pairs: u64 = width.windows(2).map(|w| w[0] * w[1]).sum();
    Ranks {
        layer,
        work: pairs + n as u64 + edges.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_rank_above_children_and_cycles_still_rank() {
        let r = rank(4, &[(0, 1), (1, 2), (0, 2), (2, 3)]);
        assert_eq!(r.layer, vec![0, 1, 2, 3]);
        // 0→2 spans two layers: a dummy beside 1, so layers are 1, 2, 1, 1 wide.
        assert_eq!(r.work, (2 + 2 + 1) + 4 + 4);
        let cycle = rank(3, &[(0, 1), (1, 2), (2, 0)]);
        assert_eq!(cycle.layer.iter().filter(|&&l| l == 0).count(), 1);
    }

    #[test]
    fn a_dense_group_costs_cubically() {
        let n = 60u32;
        let edges: Vec<(u32, u32)> = (0..n).flat_map(|c| (0..c).map(move |p| (p, c))).collect();
        let r = rank(n as usize, &edges);
        assert_eq!(r.layer[59], 59);
        assert!(r.work > 10_000_000, "{}", r.work);
    }
}
