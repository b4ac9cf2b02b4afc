//! Lines that would be drawn on top of each other are spread apart (`layout::lines::spread`).

use layout::lines::{Route, SPACING, route, spread};
use layout::{CARD_WIDTH, HEADER_HEIGHT};

type Segment = ((f64, f64), (f64, f64));

fn segments(r: &Route) -> Vec<Segment> {
    r.0.windows(2).map(|w| (w[0], w[1])).collect()
}

/// How long two axis-parallel segments run within a pixel of each other.
fn shared_run((a, b): Segment, (c, d): Segment) -> f64 {
    let overlap = |(p0, p1): (f64, f64), (q0, q1): (f64, f64)| {
        (p0.max(p1).min(q0.max(q1)) - p0.min(p1).max(q0.min(q1))).max(0.0)
    };
    if (a.1 - b.1).abs() < 1e-9 && (c.1 - d.1).abs() < 1e-9 && (a.1 - c.1).abs() < 1.0 {
        overlap((a.0, b.0), (c.0, d.0))
    } else if (a.0 - b.0).abs() < 1e-9 && (c.0 - d.0).abs() < 1e-9 && (a.0 - c.0).abs() < 1.0 {
        overlap((a.1, b.1), (c.1, d.1))
    } else {
        0.0
    }
}

fn crosses((a, b): Segment, (c, d): Segment) -> bool {
    let side = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    side(c, d, a) * side(c, d, b) < 0.0 && side(a, b, c) * side(a, b, d) < 0.0
}

/// The longest run any two routes share, and how many pairs cross.
fn coincide_and_cross(routes: &[Route]) -> (f64, usize) {
    let (mut longest, mut crossings) = (0.0f64, 0);
    for (i, a) in routes.iter().enumerate() {
        for b in &routes[i + 1..] {
            let mut crossed = false;
            for s in segments(a) {
                for t in segments(b) {
                    longest = longest.max(shared_run(s, t));
                    crossed |= crosses(s, t);
                }
            }
            crossings += usize::from(crossed);
        }
    }
    (longest, crossings)
}

/// Cards of 5 rows: top-left corners; the line leaves the child's header and enters the parent's
/// first row, as on a card whose rows are shown.
const HEIGHT: f64 = HEADER_HEIGHT + 5.0 * 22.0 + 8.0;

fn line(child: (f64, f64), parent: (f64, f64)) -> (Route, [(f64, f64); 2]) {
    let cy = child.1 + HEADER_HEIGHT / 2.0;
    let py = parent.1 + HEADER_HEIGHT + 15.0;
    (
        route(child, cy, parent, py),
        [(child.1, child.1 + HEIGHT), (parent.1, parent.1 + HEIGHT)],
    )
}

fn spread_all(lines: Vec<(Route, [(f64, f64); 2])>) -> Vec<Route> {
    let (mut routes, spans): (Vec<Route>, Vec<_>) = lines.into_iter().unzip();
    spread(&mut routes, &spans);
    routes
}

#[test]
fn a_hub_s_children_in_one_column_get_their_own_ends_and_tracks() {
    // Six children stacked left of their parent, which sits level with the third.
    let parent = (600.0, 400.0);
    let lines: Vec<_> = (0..6)
        .map(|k| line((0.0, 100.0 + 200.0 * k as f64), parent))
        .collect();
    let before: Vec<Route> = lines.iter().map(|l| l.0).collect();
    assert!(coincide_and_cross(&before).0 > 100.0, "they did coincide");
    let after = spread_all(lines);
    let (longest, crossings) = coincide_and_cross(&after);
    assert!(longest < 1.0, "two lines share {longest} px");
    assert_eq!(crossings, 0);
    // Every parent end is still on the parent's side and within its card, apart from the others.
    let mut ys: Vec<f64> = after.iter().map(|r| r.1[1].1).collect();
    ys.sort_by(f64::total_cmp);
    assert!(ys.windows(2).all(|w| w[1] - w[0] >= 2.0), "{ys:?}");
    assert!(ys[0] >= parent.1 && ys[5] <= parent.1 + HEIGHT, "{ys:?}");
    for r in &after {
        assert_eq!(r.1[1].0, parent.0);
        // The tracks stay between the cards, clear of the end marks.
        let x = r.0[1].0;
        assert!(x > CARD_WIDTH + 16.0 && x < parent.0 - 16.0, "{x}");
        assert_eq!(r.0[1].0, r.0[2].0, "the run stays upright");
    }
}

#[test]
fn children_above_one_another_going_round_the_right_are_nested_outward() {
    // A parent and three children below it, all in one column: every route goes round the right.
    let lines: Vec<_> = (1..4)
        .map(|k| line((0.0, 200.0 * k as f64), (0.0, 0.0)))
        .collect();
    let after = spread_all(lines);
    let (longest, crossings) = coincide_and_cross(&after);
    assert!(longest < 1.0, "two lines share {longest} px");
    assert_eq!(crossings, 0);
    let tracks: Vec<f64> = after.iter().map(|r| r.0[1].0).collect();
    assert!(tracks.iter().all(|&x| x >= CARD_WIDTH + 24.0), "{tracks:?}");
    // The farthest child's route goes outermost.
    assert!(tracks[2] > tracks[1] && tracks[1] > tracks[0], "{tracks:?}");
    assert!(tracks[2] - tracks[0] <= 2.0 * SPACING + 1e-9);
}

#[test]
fn lines_that_do_not_meet_are_left_as_they_are() {
    let lines = vec![
        line((0.0, 0.0), (600.0, 0.0)),
        line((0.0, 600.0), (600.0, 900.0)),
    ];
    let before: Vec<Route> = lines.iter().map(|l| l.0).collect();
    assert_eq!(spread_all(lines), before);
}

#[test]
fn spreading_is_deterministic_and_keeps_ends_on_short_cards() {
    // Headers only (34 px): twelve lines into one header are squeezed onto it, not past it.
    let parent = (900.0, 0.0);
    let lines: Vec<_> = (0..12)
        .map(|k| {
            let child = (0.0, 80.0 * k as f64);
            let r = route(
                child,
                child.1 + HEADER_HEIGHT / 2.0,
                parent,
                parent.1 + HEADER_HEIGHT / 2.0,
            );
            (
                r,
                [
                    (child.1, child.1 + HEADER_HEIGHT),
                    (parent.1, parent.1 + HEADER_HEIGHT),
                ],
            )
        })
        .collect();
    let once = spread_all(lines.clone());
    assert_eq!(once, spread_all(lines));
    for r in &once {
        let y = r.1[1].1;
        assert!((parent.1..=parent.1 + HEADER_HEIGHT).contains(&y), "{y}");
    }
    assert!(coincide_and_cross(&once).0 < 1.0);
}

#[test]
fn legs_at_one_height_from_different_cards_are_moved_apart() {
    // Two children level with each other, each going left to its own parent: the farther one's
    // leg passes under the nearer card at the same height, on top of the nearer one's leg.
    let lines = vec![
        line((900.0, 0.0), (0.0, 300.0)),
        line((600.0, 0.0), (-300.0, 300.0)),
    ];
    let before: Vec<Route> = lines.iter().map(|l| l.0).collect();
    assert!(coincide_and_cross(&before).0 > 8.0, "they did coincide");
    let after = spread_all(lines);
    assert!(coincide_and_cross(&after).0 < 1.0);
    // Each end stays on its own card.
    for (r, child_top) in after.iter().zip([0.0, 0.0]) {
        assert!((child_top..=child_top + HEIGHT).contains(&r.1[0].1));
    }
}
