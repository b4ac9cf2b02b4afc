//! The route a relationship line takes between two cards, as the editor draws it: out of the
//! facing sides and turning halfway, or round the right of both when they are above one another.
//! Here so that the layout's benchmark measures the lines a person sees.

use crate::CARD_WIDTH;

/// How far a line runs straight out of a card before turning.
pub const STUB: f64 = 24.0;

/// The four corners of an orthogonal route.
pub type Corners = [(f64, f64); 4];

/// The route from the child's side to the parent's: its corners, and each end's point and
/// direction (+1 leaving to the right, -1 to the left).
pub fn route(
    child: (f64, f64),
    cy: f64,
    parent: (f64, f64),
    py: f64,
) -> (Corners, [(f64, f64, f64); 2]) {
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
