//! A local search after the stress layout: two nearby tables trade places, or a table moves to a
//! free spot beside one it is joined to, whenever that makes fewer lines cross (first) and
//! shorter (second), and no cards overlap. Stress majorization minds distances, not crossings;
//! this pass catches what it leaves, above all the leaves of two hubs folded into each other.
//!
//! Bounded: each candidate costs the lines of the tables it moves against all of the group's
//! lines, and the caller gives the most work all candidates may take.

use crate::CARD_WIDTH;
use crate::lines::route;
use crate::stress::length;

/// How many nearest tables each table may trade places with.
const NEAREST: usize = 10;
/// Room kept between cards when a move is checked for overlaps.
const GAP: f64 = 36.0;
/// What a line's length (in card widths) weighs against one crossing.
const LENGTH_WEIGHT: f64 = 0.25;
/// Passes over all candidates at most; most groups settle in two or three.
const PASSES: usize = 6;
/// Only tables with at most this many lines are moved to a spot beside another (leaves and
/// their like, which is where it helps; a hub's spots would cost the most and help the least).
const MOVE_DEGREE: usize = 4;

type Point = (f64, f64);
type Segment = (Point, Point);

/// A line as drawn (`lines::route` between the cards' middles): its three parts and its box.
#[derive(Clone, Copy)]
struct Drawn {
    parts: [Segment; 3],
    lo: Point,
    hi: Point,
    length: f64,
}

impl Drawn {
    fn between(
        child: Point,
        child_size: (f64, f64),
        parent: Point,
        parent_size: (f64, f64),
    ) -> Self {
        let corner = |c: Point, (w, h): (f64, f64)| (c.0 - w / 2.0, c.1 - h / 2.0);
        let (corners, _) = route(
            corner(child, child_size),
            child.1,
            corner(parent, parent_size),
            parent.1,
        );
        let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
        for &(x, y) in &corners {
            lo = (lo.0.min(x), lo.1.min(y));
            hi = (hi.0.max(x), hi.1.max(y));
        }
        Drawn {
            parts: [
                (corners[0], corners[1]),
                (corners[1], corners[2]),
                (corners[2], corners[3]),
            ],
            lo,
            hi,
            length: length(child.0 - parent.0, child.1 - parent.1),
        }
    }

    fn crosses(&self, other: &Drawn) -> bool {
        if self.hi.0 < other.lo.0
            || other.hi.0 < self.lo.0
            || self.hi.1 < other.lo.1
            || other.hi.1 < self.lo.1
        {
            return false;
        }
        self.parts
            .iter()
            .any(|&s| other.parts.iter().any(|&t| crosses(s, t)))
    }
}

struct Graph<'a> {
    /// (child, parent) by group-local number.
    edges: &'a [(u32, u32)],
    incident: Vec<Vec<usize>>,
    sizes: Vec<(f64, f64)>,
    /// Each line as drawn with the current centres.
    drawn: Vec<Drawn>,
}

impl<'a> Graph<'a> {
    fn new(at: &[Point], sizes: &[(f64, f64)], edges: &'a [(u32, u32)]) -> Self {
        let mut incident = vec![Vec::new(); at.len()];
        for (e, &(a, b)) in edges.iter().enumerate() {
            incident[a as usize].push(e);
            incident[b as usize].push(e);
        }
        let mut graph = Graph {
            edges,
            incident,
            sizes: sizes.to_vec(),
            drawn: Vec::new(),
        };
        graph.drawn = (0..edges.len()).map(|e| graph.draw(at, e)).collect();
        graph
    }

    fn draw(&self, at: &[Point], e: usize) -> Drawn {
        let (c, p) = self.edges[e];
        let (c, p) = (c as usize, p as usize);
        Drawn::between(at[c], self.sizes[c], at[p], self.sizes[p])
    }

    /// Redraws the lines of `moved` tables after their centres changed.
    fn redraw(&mut self, at: &[Point], moved: &[usize]) {
        for &v in moved {
            for k in 0..self.incident[v].len() {
                let e = self.incident[v][k];
                self.drawn[e] = self.draw(at, e);
            }
        }
    }

    /// Crossings and weighted length of the lines of `moved` tables, as drawn with centres `at`
    /// (each counted once, against every line).
    fn cost(&self, at: &[Point], moved: &[usize], work: &mut usize) -> f64 {
        let mut lines: Vec<usize> = moved
            .iter()
            .flat_map(|&v| self.incident[v].iter().copied())
            .collect();
        lines.sort_unstable();
        lines.dedup();
        let mine: Vec<Drawn> = lines.iter().map(|&e| self.draw(at, e)).collect();
        let mut cost = 0.0;
        for (k, &e) in lines.iter().enumerate() {
            let (a, b) = self.edges[e];
            let line = &mine[k];
            cost += LENGTH_WEIGHT * line.length / CARD_WIDTH;
            for (f, &(c, d)) in self.edges.iter().enumerate() {
                if a == c || a == d || b == c || b == d {
                    continue;
                }
                // Pairs within the moved lines are counted once, by the first of the two.
                let other = match lines.binary_search(&f) {
                    Ok(j) if j < k => continue,
                    Ok(j) => &mine[j],
                    Err(_) => &self.drawn[f],
                };
                cost += f64::from(u8::from(line.crosses(other)));
            }
            *work += self.edges.len();
        }
        cost
    }

    /// Whether card `v` centred at `p` keeps clear of every card but those in `skip`.
    fn clear(&self, at: &[Point], v: usize, p: Point, skip: &[usize]) -> bool {
        let (w, h) = self.sizes[v];
        at.iter().enumerate().all(|(k, &q)| {
            if k == v || skip.contains(&k) {
                return true;
            }
            let (kw, kh) = self.sizes[k];
            (p.0 - q.0).abs() >= (w + kw) / 2.0 + GAP || (p.1 - q.1).abs() >= (h + kh) / 2.0 + GAP
        })
    }
}

/// How a placement (centres `at`) scores: crossings of its lines as drawn, and their length in
/// card widths. [`Score::cost`] is what the search lowers.
pub fn score(at: &[Point], sizes: &[(f64, f64)], edges: &[(u32, u32)]) -> Score {
    let graph = Graph::new(at, sizes, edges);
    let mut score = Score::default();
    for (e, line) in graph.drawn.iter().enumerate() {
        let (a, b) = edges[e];
        score.length += line.length / CARD_WIDTH;
        for (f, &(c, d)) in edges.iter().enumerate().skip(e + 1) {
            let shared = a == c || a == d || b == c || b == d;
            score.crossings += usize::from(!shared && line.crosses(&graph.drawn[f]));
        }
        score.work += edges.len() - e;
    }
    score
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Score {
    pub crossings: usize,
    pub length: f64,
    /// Line comparisons it took.
    pub work: usize,
}

impl Score {
    pub fn cost(&self) -> f64 {
        self.crossings as f64 + LENGTH_WEIGHT * self.length
    }
}

/// Improves the centres `at` of a group's cards (sizes `sizes`, lines `edges`) in place, taking
/// about `work` line comparisons at most; returns the work it took.
pub fn refine(at: &mut [Point], sizes: &[(f64, f64)], edges: &[(u32, u32)], work: usize) -> usize {
    let n = at.len();
    let mut graph = Graph::new(at, sizes, edges);
    let mut used = 0;
    for _ in 0..PASSES {
        let mut improved = false;
        for v in 0..n {
            if used >= work {
                return used;
            }
            improved |= best_swap(&mut graph, at, v, &mut used);
            improved |= best_move(&mut graph, at, v, &mut used);
        }
        if !improved {
            break;
        }
    }
    used
}

/// Trades `v`'s place with the nearby table that helps most, if any helps.
fn best_swap(graph: &mut Graph, at: &mut [Point], v: usize, used: &mut usize) -> bool {
    let mut near: Vec<(f64, usize)> = (0..at.len())
        .filter(|&u| u != v)
        .map(|u| (length(at[u].0 - at[v].0, at[u].1 - at[v].1), u))
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut best: Option<(f64, usize)> = None;
    for &(_, u) in near.iter().take(NEAREST) {
        let pair = [v, u];
        let before = graph.cost(at, &pair, used);
        at.swap(v, u);
        let fits = graph.clear(at, v, at[v], &pair) && graph.clear(at, u, at[u], &pair);
        let after = if fits {
            graph.cost(at, &pair, used)
        } else {
            f64::MAX
        };
        at.swap(v, u);
        let gain = before - after;
        if gain > 1e-6 && best.is_none_or(|(g, _)| gain > g) {
            best = Some((gain, u));
        }
    }
    if let Some((_, u)) = best {
        at.swap(v, u);
        graph.redraw(at, &[v, u]);
    }
    best.is_some()
}

/// Moves `v` to a free spot beside one of the tables it is joined to, if one helps.
fn best_move(graph: &mut Graph, at: &mut [Point], v: usize, used: &mut usize) -> bool {
    if graph.incident[v].len() > MOVE_DEGREE {
        return false;
    }
    let mut others: Vec<usize> = graph.incident[v]
        .iter()
        .map(|&e| {
            let (a, b) = graph.edges[e];
            if a as usize == v {
                b as usize
            } else {
                a as usize
            }
        })
        .filter(|&u| u != v)
        .collect();
    others.sort_unstable();
    others.dedup();
    let here = at[v];
    let before = graph.cost(at, &[v], used);
    let mut best: Option<(f64, Point)> = None;
    let (w, h) = graph.sizes[v];
    for u in others {
        let (uw, uh) = graph.sizes[u];
        let (dx, dy) = ((w + uw) / 2.0 + GAP * 1.5, (h + uh) / 2.0 + GAP * 1.5);
        let spots = [
            (dx, 0.0),
            (-dx, 0.0),
            (0.0, dy),
            (0.0, -dy),
            (dx, dy),
            (-dx, dy),
            (dx, -dy),
            (-dx, -dy),
        ];
        for (sx, sy) in spots {
            let p = (at[u].0 + sx, at[u].1 + sy);
            if !graph.clear(at, v, p, &[]) {
                continue;
            }
            at[v] = p;
            let gain = before - graph.cost(at, &[v], used);
            at[v] = here;
            if gain > 1e-6 && best.is_none_or(|(g, _)| gain > g) {
                best = Some((gain, p));
            }
        }
    }
    if let Some((_, p)) = best {
        at[v] = p;
        graph.redraw(at, &[v]);
    }
    best.is_some()
}

/// Whether two segments cross at a point inside both.
fn crosses((a, b): Segment, (c, d): Segment) -> bool {
    let side = |p: Point, q: Point, r: Point| (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0);
    side(c, d, a) * side(c, d, b) < 0.0 && side(a, b, c) * side(a, b, d) < 0.0
}
