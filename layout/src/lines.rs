//! The route a relationship line takes between two cards, as the editor draws it: out of the
//! facing sides and turning halfway, or round the right of both when they are above one another.
//! Then [`spread`] moves apart the lines that would run on top of each other. Here so that the
//! layout's benchmark measures the lines a person sees.

use std::collections::HashMap;

use crate::CARD_WIDTH;

/// How far a line runs straight out of a card before turning.
pub const STUB: f64 = 24.0;
/// How far apart [`spread`] puts lines that share an end or a corridor, at most.
pub const SPACING: f64 = 7.0;
/// How near a card's edge a corridor may be moved: clear of the crow's-foot marks (bars at 9–16,
/// the foot to 12).
const MARK_ROOM: f64 = 17.0;
/// How near a card's top or bottom an end may be moved.
const EDGE_ROOM: f64 = 4.0;

/// The four corners of an orthogonal route.
pub type Corners = [(f64, f64); 4];

/// One end of a route: its point on the card's side, and its direction (+1 leaving to the
/// right, -1 to the left).
pub type End = (f64, f64, f64);

/// A route: its corners, and its child's and parent's ends.
pub type Route = (Corners, [End; 2]);

/// The route from the child's side to the parent's: its corners, and each end's point and
/// direction (+1 leaving to the right, -1 to the left).
pub fn route(child: (f64, f64), cy: f64, parent: (f64, f64), py: f64) -> Route {
    let (c_left, c_right) = (child.0, child.0 + CARD_WIDTH);
    let (p_left, p_right) = (parent.0, parent.0 + CARD_WIDTH);
    if c_right + 2.0 * STUB <= p_left || p_right + 2.0 * STUB <= c_left {
        // Side by side: leave from the facing sides, turn halfway.
        let (sx, ex, dir) = if c_right < p_left {
            (c_right, p_left, 1.0)
        } else {
            (c_left, p_right, -1.0)
        };
        let mx = (sx + ex) / 2.0;
        let corners = [(sx, cy), (mx, cy), (mx, py), (ex, py)];
        (corners, [(sx, cy, dir), (ex, py, -dir)])
    } else {
        // Above one another (or the same table): go round the right of both.
        let x = c_right.max(p_right) + STUB;
        let corners = [(c_right, cy), (x, cy), (x, py), (p_right, py)];
        (corners, [(c_right, cy, 1.0), (p_right, py, 1.0)])
    }
}

/// Moves apart routes that would be drawn on top of each other, in place. `spans[i]` is the
/// vertical extent (top, bottom) of route `i`'s child card and parent card.
///
/// Three passes, each a rule for one way lines come to coincide:
/// 1. **Ends at one point** (a hub's key row, or a header when the rows are not shown): spread
///    along the card's side, [`SPACING`] apart or closer to stay on the card, ordered by where
///    each line goes so that they do not cross each other by the card.
/// 2. **Legs at one height** (rows of two cards level with each other, a line passing under a
///    card at a row's height): a leg running along another is moved up or down its card's side
///    to the nearest height where it runs alone.
/// 3. **Shared corridors** (vertical runs at one x whose extents overlap): each gets a track of
///    its own, ordered to cross the others' turns as little as possible; side-by-side routes
///    keep their tracks between the cards, clear of the end marks; routes round the right of
///    their cards take tracks further right.
///
/// Deterministic: groups and orders depend on the routes alone, ties on their order.
pub fn spread(routes: &mut [Route], spans: &[[(f64, f64); 2]]) {
    spread_ends(routes, spans);
    spread_legs(routes, spans);
    spread_corridors(routes);
}

/// Rounds a coordinate to a key: points within a fraction of a pixel are one point.
fn key(v: f64) -> i64 {
    (v * 2.0).round() as i64
}

fn spread_ends(routes: &mut [Route], spans: &[[(f64, f64); 2]]) {
    // End `e` of route `i`: (i, e). Grouped by point and direction.
    let mut at: HashMap<(i64, i64, i64), Vec<(usize, usize)>> = HashMap::new();
    for (i, (_, ends)) in routes.iter().enumerate() {
        for (e, &(x, y, dir)) in ends.iter().enumerate() {
            at.entry((key(x), key(y), key(dir)))
                .or_default()
                .push((i, e));
        }
    }
    let mut groups: Vec<Vec<(usize, usize)>> = at.into_values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    for mut group in groups {
        // The y each line heads for at its other end, then where it turns: lines from above
        // take the upper places. A line round the right of its cards is mirrored about the
        // point, so the farther it goes the further out it starts, and such lines nest.
        let toward = |&(i, e): &(usize, usize)| {
            let (corners, ends) = &routes[i];
            let (here, there) = (ends[e].1, ends[1 - e].1);
            let around = ends[0].2 == ends[1].2;
            let y = if around { 2.0 * here - there } else { there };
            (y, corners[1].0, i)
        };
        group.sort_by(|a, b| {
            let (a, b) = (toward(a), toward(b));
            a.0.total_cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
        let (first_i, first_e) = group[0];
        let y = routes[first_i].1[first_e].1;
        let (top, bottom) = spans[first_i][first_e];
        let (lo, hi) = (top + EDGE_ROOM, (bottom - EDGE_ROOM).max(top + EDGE_ROOM));
        let n = group.len() as f64;
        let step = SPACING.min((hi - lo) / (n - 1.0));
        let width = step * (n - 1.0);
        let start = (y - width / 2.0).clamp(lo, (hi - width).max(lo));
        for (k, &(i, e)) in group.iter().enumerate() {
            let y = start + step * k as f64;
            let (corners, ends) = &mut routes[i];
            ends[e].1 = y;
            // The child's end is corners 0 and 1, the parent's 2 and 3.
            let (a, b) = if e == 0 { (0, 1) } else { (2, 3) };
            corners[a].1 = y;
            corners[b].1 = y;
        }
    }
}

/// Moves the end of each leg (the part from a card's side to the first turn) that runs along an
/// earlier one to the nearest free height on its card, in route order.
fn spread_legs(routes: &mut [Route], spans: &[[(f64, f64); 2]]) {
    // Settled legs by height: their extents across.
    let mut settled: HashMap<i64, Vec<(f64, f64)>> = HashMap::new();
    let leg = |r: &Route, e: usize| {
        let (a, b) = if e == 0 {
            (r.0[0], r.0[1])
        } else {
            (r.0[3], r.0[2])
        };
        (a.0.min(b.0), a.0.max(b.0), a.1)
    };
    let alone = |settled: &HashMap<i64, Vec<(f64, f64)>>, (x0, x1): (f64, f64), y: f64| {
        (key(y) - 2..=key(y) + 2).all(|k| {
            settled
                .get(&k)
                .is_none_or(|legs| legs.iter().all(|&(a, b)| x1.min(b) - x0.max(a) <= 1.0))
        })
    };
    for i in 0..routes.len() {
        for e in 0..2 {
            let (x0, x1, y) = leg(&routes[i], e);
            let mut at = y;
            if !alone(&settled, (x0, x1), y) {
                let (top, bottom) = spans[i][e];
                let (lo, hi) = (top + EDGE_ROOM, bottom - EDGE_ROOM);
                let free = (1..=8)
                    .flat_map(|k| [y + SPACING * k as f64, y - SPACING * k as f64])
                    .find(|&y| (lo..=hi).contains(&y) && alone(&settled, (x0, x1), y));
                if let Some(y) = free {
                    at = y;
                    let (corners, ends) = &mut routes[i];
                    let (a, b) = if e == 0 { (0, 1) } else { (2, 3) };
                    corners[a].1 = y;
                    corners[b].1 = y;
                    ends[e].1 = y;
                }
            }
            settled.entry(key(at)).or_default().push((x0, x1));
        }
    }
}

/// A vertical run between a route's turns, with the legs that leave it.
struct Run {
    route: usize,
    lo: f64,
    hi: f64,
    /// The y of the legs going left of the run and of those going right (both go left when the
    /// route goes round the right of its cards).
    left: Vec<f64>,
    right: Vec<f64>,
}

impl Run {
    fn of(i: usize, corners: &Corners) -> Self {
        let (a, b) = (corners[1].1, corners[2].1);
        let x = corners[1].0;
        let (mut left, mut right) = (Vec::new(), Vec::new());
        for (leg, end) in [(a, corners[0].0), (b, corners[3].0)] {
            if end < x {
                left.push(leg)
            } else {
                right.push(leg)
            }
        }
        Run {
            route: i,
            lo: a.min(b),
            hi: a.max(b),
            left,
            right,
        }
    }

    fn spans(&self, y: f64) -> bool {
        self.lo < y && y < self.hi
    }

    /// How many turns cross when this run is left of `other`: this one's legs to the right
    /// cross the other's run, the other's legs to the left cross this one.
    fn cost_left_of(&self, other: &Run) -> usize {
        self.right.iter().filter(|&&y| other.spans(y)).count()
            + other.left.iter().filter(|&&y| self.spans(y)).count()
    }
}

fn spread_corridors(routes: &mut [Route]) {
    // Runs grouped by their x and kind (between the cards, or round the right of both).
    let mut at: HashMap<(i64, bool), Vec<usize>> = HashMap::new();
    for (i, (corners, ends)) in routes.iter().enumerate() {
        if (corners[1].1 - corners[2].1).abs() < 0.5 {
            continue;
        }
        let around = ends[0].2 == ends[1].2;
        at.entry((key(corners[1].0), around)).or_default().push(i);
    }
    let mut corridors: Vec<((i64, bool), Vec<usize>)> =
        at.into_iter().filter(|(_, g)| g.len() > 1).collect();
    corridors.sort_unstable();
    for ((_, around), members) in corridors {
        let mut runs: Vec<Run> = members.iter().map(|&i| Run::of(i, &routes[i].0)).collect();
        runs.sort_by(|a, b| a.lo.total_cmp(&b.lo).then(a.route.cmp(&b.route)));
        // Runs whose extents overlap, one after another, share the corridor.
        let mut start = 0;
        let mut reach = f64::MIN;
        for k in 0..=runs.len() {
            if k == runs.len() || (k > start && runs[k].lo >= reach) {
                if k - start > 1 {
                    place_tracks(routes, &mut runs[start..k], around);
                }
                start = k;
                reach = f64::MIN;
            }
            if k < runs.len() {
                reach = reach.max(runs[k].hi);
            }
        }
    }
}

/// Orders the runs of one shared corridor (fewest crossed turns, by swapping neighbours while
/// that helps) and moves each route's run to its track.
fn place_tracks(routes: &mut [Route], runs: &mut [Run], around: bool) {
    let n = runs.len();
    // Swapping two neighbours changes only their own crossing: a bubble sort to a local best,
    // bounded so that a corridor of hundreds stays cheap.
    for _ in 0..n.min(64) {
        let mut swapped = false;
        for k in 0..n - 1 {
            if runs[k + 1].cost_left_of(&runs[k]) < runs[k].cost_left_of(&runs[k + 1]) {
                runs.swap(k, k + 1);
                swapped = true;
            }
        }
        if !swapped {
            break;
        }
    }
    let x = routes[runs[0].route].0[1].0;
    let tracks: Vec<f64> = if around {
        (0..n).map(|k| x + SPACING * k as f64).collect()
    } else {
        // Between the cards, clear of the end marks: the narrowest gap of the corridor's routes.
        let room = runs
            .iter()
            .map(|r| {
                let corners = &routes[r.route].0;
                let (a, b) = (corners[0].0, corners[3].0);
                (a.min(b) + MARK_ROOM, a.max(b) - MARK_ROOM)
            })
            .fold((f64::MIN, f64::MAX), |(lo, hi), (a, b)| {
                (lo.max(a), hi.min(b))
            });
        let (lo, hi) = (room.0.min(x), room.1.max(x));
        let step = SPACING.min((hi - lo) / (n as f64 - 1.0));
        let width = step * (n as f64 - 1.0);
        let start = (x - width / 2.0).clamp(lo, (hi - width).max(lo));
        (0..n).map(|k| start + step * k as f64).collect()
    };
    for (run, track) in runs.iter().zip(tracks) {
        let corners = &mut routes[run.route].0;
        corners[1].0 = track;
        corners[2].0 = track;
    }
}
