//! A group of tables placed by stress majorization: each pair of tables is drawn about as far
//! apart as the foreign keys between them are long (in hops, plus the cards' own size), so
//! related tables sit together, a table referenced by dozens ends up amid them, and lines stay
//! short. The group is turned to lie wider than tall, as a screen is; then it is scaled up (which
//! keeps every crossing as it is) and what still overlaps is pushed apart.
//!
//! Deterministic: the start is pivot MDS from pivots taken farthest-first, not chance.
//! Why not force-directed like Graphviz's `sfdp`: stress majorization converges to the same kind
//! of picture without a cooling schedule to tune, and its cost (the square of the group, per
//! round) is bounded by `GROUP_WORK` per group, and by the caller's budget per diagram; `sfdp` still crosses less on the largest corpus schema, which a
//! multilevel start could close.

use std::collections::VecDeque;

use crate::CARD_WIDTH;

/// What one foreign key adds to the ideal distance between two tables' centres (beyond their
/// cards' own size).
const HOP: f64 = CARD_WIDTH * 0.35;
/// Room kept between cards once they are pushed apart.
const GAP: f64 = 40.0;
/// Overlaps smaller than this are rounding, not cards on top of each other (a card moved to just
/// past another would otherwise meet it again by a fraction of a pixel, for ever).
const SLACK: f64 = 0.5;
/// The most the group is scaled up to clear overlaps; what still overlaps is pushed apart.
const MAX_SPREAD: f64 = 2.5;
/// Pair updates a group may take in all (a 1,000-table group gets 30 rounds).
pub const GROUP_WORK: usize = 30_000_000;
/// The fewest rounds a group is given: fewer leave it folded.
const MIN_ROUNDS: usize = 15;
/// The most rounds: more no longer move a card by a pixel.
const MAX_ROUNDS: usize = 300;

/// The least work placing a group of `n` tables takes (its fewest rounds), in pair updates.
pub fn least_work(n: usize) -> usize {
    MIN_ROUNDS * n * n
}

/// The work a group's placement may take: pair updates of the stress layout (at least
/// [`least_work`] is taken whatever this says), and line comparisons of the local search after
/// it ([`refine`](crate::refine)).
pub struct Work {
    pub stress: usize,
    pub search: usize,
}

/// Top-left corners of the group's cards, in group-local numbers, within `work`; and the work
/// it took.
pub fn place(
    n: usize,
    edges: &[(u32, u32)],
    size: &impl Fn(u32) -> (f64, f64),
    work: Work,
) -> (Vec<(u32, f64, f64)>, Work) {
    let neighbours = adjacency(n, edges);
    let hops = all_hops(&neighbours);
    let sizes: Vec<(f64, f64)> = (0..n as u32).map(size).collect();
    // Tall cards need more room: each card's half diagonal is added to its pairs' distances.
    let radii: Vec<f64> = sizes.iter().map(|&(w, h)| w.hypot(h) / 2.0).collect();
    let dist = |i: usize, j: usize| {
        if i == j {
            0.0
        } else {
            f64::from(hops[i][j]) * HOP + radii[i] + radii[j]
        }
    };
    let mut at = start(&dist, n);
    // Pivot MDS scales arbitrarily: bring the start to the distances' scale.
    rescale(&mut at, &dist);
    let rounds = (work.stress.min(GROUP_WORK) / (n * n).max(1)).clamp(MIN_ROUNDS, MAX_ROUNDS);
    majorize(&mut at, &dist, rounds);
    widen(&mut at);
    let (at, searched) = spread_and_search(at, &sizes, edges, work.search);
    let corners = at
        .iter()
        .zip(&sizes)
        .enumerate()
        .map(|(k, (&(x, y), &(w, h)))| (k as u32, x - w / 2.0, y - h / 2.0))
        .collect();
    let used = Work {
        stress: rounds * n * n,
        search: searched,
    };
    (corners, used)
}

fn adjacency(n: usize, edges: &[(u32, u32)]) -> Vec<Vec<u32>> {
    let mut neighbours = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b {
            neighbours[a as usize].push(b);
            neighbours[b as usize].push(a);
        }
    }
    for list in &mut neighbours {
        list.sort_unstable();
        list.dedup();
    }
    neighbours
}

/// Hops between every pair (a group is connected), by a breadth-first search from each table.
fn all_hops(neighbours: &[Vec<u32>]) -> Vec<Vec<u16>> {
    let n = neighbours.len();
    let mut hops = vec![vec![u16::MAX; n]; n];
    let mut queue = VecDeque::new();
    for (source, row) in hops.iter_mut().enumerate() {
        row[source] = 0;
        queue.push_back(source as u32);
        while let Some(v) = queue.pop_front() {
            let next = row[v as usize].saturating_add(1);
            for &w in &neighbours[v as usize] {
                if row[w as usize] == u16::MAX {
                    row[w as usize] = next;
                    queue.push_back(w);
                }
            }
        }
    }
    hops
}

/// A start that already spreads the group: pivot MDS (Brandes and Pich), the classical
/// scaling of the distances to a few far-apart tables, which lays out the group's overall
/// shape without local folds. Deterministic: pivots are taken farthest-first from table 0.
fn start(dist: &impl Fn(usize, usize) -> f64, n: usize) -> Vec<(f64, f64)> {
    let k = n.min(50);
    let mut pivots = vec![0usize];
    let mut nearest: Vec<f64> = (0..n).map(|v| dist(0, v)).collect();
    while pivots.len() < k {
        let next = (0..n)
            .max_by(|&a, &b| nearest[a].total_cmp(&nearest[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        pivots.push(next);
        for (v, near) in nearest.iter_mut().enumerate() {
            *near = near.min(dist(next, v));
        }
    }
    // Double-centred squared distances, n × k.
    let mut c = vec![vec![0.0; k]; n];
    for (v, row) in c.iter_mut().enumerate() {
        for (p, &pivot) in pivots.iter().enumerate() {
            let d = dist(pivot, v);
            row[p] = d * d;
        }
    }
    let col_mean: Vec<f64> = (0..k)
        .map(|p| c.iter().map(|r| r[p]).sum::<f64>() / n as f64)
        .collect();
    let total = col_mean.iter().sum::<f64>() / k as f64;
    for row in &mut c {
        let row_mean = row.iter().sum::<f64>() / k as f64;
        for (p, x) in row.iter_mut().enumerate() {
            *x = -0.5 * (*x - row_mean - col_mean[p] + total);
        }
    }
    // The two leading eigenvectors of CᵀC (k × k), by power iteration with deflation.
    let mut ctc = vec![vec![0.0; k]; k];
    for row in &c {
        for a in 0..k {
            for b in 0..k {
                ctc[a][b] += row[a] * row[b];
            }
        }
    }
    let mut axes: Vec<Vec<f64>> = Vec::new();
    for axis in 0..2 {
        let mut v: Vec<f64> = (0..k)
            .map(|i| 1.0 + ((i + axis * 7) as f64 * 0.618).sin())
            .collect();
        for _ in 0..100 {
            let mut w: Vec<f64> = (0..k)
                .map(|a| (0..k).map(|b| ctc[a][b] * v[b]).sum())
                .collect();
            for prev in &axes {
                let dot: f64 = w.iter().zip(prev).map(|(x, y)| x * y).sum();
                for (x, y) in w.iter_mut().zip(prev) {
                    *x -= dot * y;
                }
            }
            let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-12);
            v = w.into_iter().map(|x| x / norm).collect();
        }
        axes.push(v);
    }
    (0..n)
        .map(|v| {
            let x: f64 = c[v].iter().zip(&axes[0]).map(|(a, b)| a * b).sum();
            let y: f64 = c[v].iter().zip(&axes[1]).map(|(a, b)| a * b).sum();
            // Tables at the same place (twins) are nudged apart by their number.
            let jitter = (v as f64 * 2.399_963).sin_cos();
            (x + jitter.0, y + jitter.1)
        })
        .collect()
}

/// Scales the layout so its distances match the ideal ones best (least squares).
fn rescale(at: &mut [(f64, f64)], dist: &impl Fn(usize, usize) -> f64) {
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..at.len() {
        for j in i + 1..at.len() {
            let d = dist(i, j);
            let e = length(at[i].0 - at[j].0, at[i].1 - at[j].1);
            num += e / d;
            den += e * e / (d * d);
        }
    }
    if den > 0.0 {
        let s = num / den;
        for p in at.iter_mut() {
            *p = (p.0 * s, p.1 * s);
        }
    }
}

/// Stress majorization, one table at a time (each move uses the others' newest places), with
/// weights 1/d², the usual choice: near tables matter most.
fn majorize(at: &mut [(f64, f64)], dist: &impl Fn(usize, usize) -> f64, rounds: usize) {
    let n = at.len();
    for _ in 0..rounds {
        let mut moved = 0.0f64;
        for i in 0..n {
            let (mut sx, mut sy, mut sw) = (0.0, 0.0, 0.0);
            let (xi, yi) = at[i];
            for (j, &(xj, yj)) in at.iter().enumerate() {
                if i == j {
                    continue;
                }
                let d = dist(i, j);
                let w = 1.0 / (d * d);
                let (dx, dy) = (xi - xj, yi - yj);
                let dist = length(dx, dy).max(1e-6);
                sx += w * (xj + d * dx / dist);
                sy += w * (yj + d * dy / dist);
                sw += w;
            }
            if sw > 0.0 {
                let next = (sx / sw, sy / sw);
                moved = moved.max((next.0 - xi).abs() + (next.1 - yi).abs());
                at[i] = next;
            }
        }
        if moved < 1.0 {
            break;
        }
    }
}

/// The length of a vector: `hypot` guards against overflow, which card coordinates never come
/// near, and costs several times as much in the innermost loop.
pub fn length(dx: f64, dy: f64) -> f64 {
    (dx * dx + dy * dy).sqrt()
}

/// Turns the group so its long side lies across (by its principal axis), with its centre at 0.
fn widen(at: &mut [(f64, f64)]) {
    let n = at.len() as f64;
    let (cx, cy) = at
        .iter()
        .fold((0.0, 0.0), |(x, y), &(px, py)| (x + px / n, y + py / n));
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for &(x, y) in at.iter() {
        let (dx, dy) = (x - cx, y - cy);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let (sin, cos) = (-angle).sin_cos();
    for p in at.iter_mut() {
        let (dx, dy) = (p.0 - cx, p.1 - cy);
        *p = (dx * cos - dy * sin, dx * sin + dy * cos);
    }
}

/// Scales the whole group up until no two cards overlap (up to a limit), pushes apart what still
/// does, and runs the local search. A uniform scale keeps every crossing and the shape as they
/// are, but one crowded hub then stretches every line; so, where the search's work allows,
/// smaller scales are tried too on small groups (the rest left to the push), each searched with
/// a share of the work, and the one whose lines cross least and run shortest is kept. Answers
/// the centres and the search's work.
fn spread_and_search(
    at: Vec<(f64, f64)>,
    sizes: &[(f64, f64)],
    edges: &[(u32, u32)],
    work: usize,
) -> (Vec<(f64, f64)>, usize) {
    let mut need: f64 = 1.0;
    for i in 0..at.len() {
        for j in i + 1..at.len() {
            let (dx, dy) = ((at[i].0 - at[j].0).abs(), (at[i].1 - at[j].1).abs());
            let need_x = ((sizes[i].0 + sizes[j].0) / 2.0 + GAP) / dx.max(1e-6);
            let need_y = ((sizes[i].1 + sizes[j].1) / 2.0 + GAP) / dy.max(1e-6);
            need = need.max(need_x.min(need_y));
        }
    }
    let need = need.min(MAX_SPREAD);
    let searched = |scale: f64, work: usize| {
        let mut placed: Vec<(f64, f64)> = at.iter().map(|p| (p.0 * scale, p.1 * scale)).collect();
        separate(&mut placed, sizes);
        let used = crate::refine::refine(&mut placed, sizes, edges, work);
        (placed, used)
    };
    if need < 1.05 || at.len() > SCALED_MAX {
        return searched(need, work);
    }
    let share = work / SCALES.len();
    let mut used = 0;
    let mut best: Option<(f64, Vec<(f64, f64)>)> = None;
    for fraction in SCALES {
        let (placed, took) = searched(need.powf(fraction), share);
        let score = crate::refine::score(&placed, sizes, edges);
        used += took + score.work;
        if best.as_ref().is_none_or(|(s, _)| score.cost() < *s) {
            best = Some((score.cost(), placed));
        }
    }
    (best.map(|(_, p)| p).unwrap_or_default(), used)
}

/// The largest group [`spread_and_search`] tries several scales on: each is a whole search, and
/// a search that a share of the work cuts short judges its scale wrongly (a group of 170 tables
/// came out with a third more crossings).
const SCALED_MAX: usize = 60;

/// The scales [`spread_and_search`] tries, as powers of the one that clears every overlap
/// (largest first: it wins ties).
const SCALES: [f64; 4] = [1.0, 0.67, 0.33, 0.0];

/// Pushes overlapping cards apart (centres at `at`, sizes `sizes`) along the axis where they
/// overlap least, a little at a time so the picture keeps its shape; whatever still overlaps
/// after that is moved right past its neighbours, which always ends.
fn separate(at: &mut [(f64, f64)], sizes: &[(f64, f64)]) {
    let n = at.len();
    for _ in 0..200 {
        let mut any = false;
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| left(at, sizes, a).total_cmp(&left(at, sizes, b)));
        for (k, &i) in order.iter().enumerate() {
            for &j in &order[k + 1..] {
                if left(at, sizes, j) >= right(at, sizes, i) + GAP {
                    break;
                }
                let (ox, oy) = overlap(at, sizes, i, j);
                if ox <= SLACK || oy <= SLACK {
                    continue;
                }
                any = true;
                // Half each, along the shallower axis; ties go by number, so it is stable.
                if ox < oy {
                    let push = ox / 2.0 + 0.5;
                    let s = if at[i].0 <= at[j].0 { 1.0 } else { -1.0 };
                    at[i].0 -= s * push;
                    at[j].0 += s * push;
                } else {
                    let push = oy / 2.0 + 0.5;
                    let s = if at[i].1 <= at[j].1 { 1.0 } else { -1.0 };
                    at[i].1 -= s * push;
                    at[j].1 += s * push;
                }
            }
        }
        if !any {
            return;
        }
    }
    // The last resort: left to right, each card moves right of any placed card it meets.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| left(at, sizes, a).total_cmp(&left(at, sizes, b)));
    let mut placed: Vec<usize> = Vec::with_capacity(n);
    for &i in &order {
        loop {
            let hit = placed.iter().copied().find(|&j| {
                let (ox, oy) = overlap(at, sizes, i, j);
                ox > SLACK && oy > SLACK
            });
            let Some(j) = hit else { break };
            at[i].0 = right(at, sizes, j) + GAP + sizes[i].0 / 2.0;
        }
        placed.push(i);
    }
}

fn left(at: &[(f64, f64)], sizes: &[(f64, f64)], i: usize) -> f64 {
    at[i].0 - sizes[i].0 / 2.0
}

fn right(at: &[(f64, f64)], sizes: &[(f64, f64)], i: usize) -> f64 {
    at[i].0 + sizes[i].0 / 2.0
}

/// How far cards `i` and `j`, each with half the gap around it, overlap on each axis.
fn overlap(at: &[(f64, f64)], sizes: &[(f64, f64)], i: usize, j: usize) -> (f64, f64) {
    let ox = (sizes[i].0 + sizes[j].0) / 2.0 + GAP - (at[i].0 - at[j].0).abs();
    let oy = (sizes[i].1 + sizes[j].1) / 2.0 + GAP - (at[i].1 - at[j].1).abs();
    (ox, oy)
}

/// Of two layouts of a group (top-left corners), the one whose lines as drawn cross less, then
/// the clearly shorter (by a fifth); `first` otherwise: the layers, where parents sit above
/// their children, win what is close.
pub fn better(
    first: Vec<(u32, f64, f64)>,
    second: Vec<(u32, f64, f64)>,
    edges: &[(u32, u32)],
    size: &impl Fn(u32) -> (f64, f64),
) -> Vec<(u32, f64, f64)> {
    let sizes: Vec<(f64, f64)> = (0..first.len() as u32).map(size).collect();
    let score = |corners: &[(u32, f64, f64)]| {
        let mut centre = vec![(0.0, 0.0); corners.len()];
        for &(k, x, y) in corners {
            let (w, h) = sizes[k as usize];
            centre[k as usize] = (x + w / 2.0, y + h / 2.0);
        }
        crate::refine::score(&centre, &sizes, edges)
    };
    let (a, b) = (score(&first), score(&second));
    if b.crossings < a.crossings || (b.crossings == a.crossings && b.length < a.length * 0.8) {
        second
    } else {
        first
    }
}
