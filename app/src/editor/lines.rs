//! Relationship lines: orthogonal routes between the tables' sides, with crow's-foot ends.
//!
//! All lines near the view are drawn on one canvas (`LineLayer`), redrawn at most once a frame.

use leptos::prelude::*;
use std::collections::HashSet;

use model::{Cardinality, Relationship, Table, Uuid};

pub use layout::lines::{Corners, Route, route, spread};

use super::card::{FAR_BAND, HEADER_HEIGHT, ROW_HEIGHT, card_height};
use super::state::Editor;

/// The y of a column's row (its middle); of the header when the column is not found; of the
/// card's middle when rows are not shown (zoomed far out the card is a box with its name).
pub fn row_y(table: &Table, y: f64, column: Option<&Uuid>, detailed: bool) -> f64 {
    if !detailed {
        return y + card_height(table.columns.len()) / 2.0;
    }
    match column.and_then(|c| table.columns.iter().position(|col| col.id == *c)) {
        Some(index) => y + HEADER_HEIGHT + 4.0 + ROW_HEIGHT * (index as f64 + 0.5),
        None => y + HEADER_HEIGHT / 2.0,
    }
}

/// The vertical extent of a table's card: where a line's end may be moved to.
pub fn card_span(table: &Table, y: f64) -> (f64, f64) {
    (y, y + card_height(table.columns.len()))
}

/// The SVG path through a route's corners.
pub fn path(corners: &Corners) -> String {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = *corners;
    format!("M{x0} {y0}L{x1} {y1}L{x2} {y2}L{x3} {y3}")
}

/// A line as drawn: its relationship, route, ends and style.
#[derive(Clone, PartialEq)]
pub struct Drawn {
    pub id: Uuid,
    /// The child and parent tables.
    ends_at: [Uuid; 2],
    corners: Corners,
    ends: [(f64, f64, f64, Cardinality); 2],
    dashed: bool,
}

/// The relationships whose lines may show (those with a table near the view), as drawn now:
/// reads the position and table signals of their ends, so it changes as a table is dragged.
/// Lines that would run on top of each other are spread apart (`layout::lines::spread`).
pub fn geometry(editor: Editor, near: &[Relationship], detailed: bool) -> Vec<Drawn> {
    let mut routes: Vec<Route> = Vec::with_capacity(near.len());
    let mut spans = Vec::with_capacity(near.len());
    let rels: Vec<&Relationship> = near
        .iter()
        .filter(|rel| {
            let (Some(child), Some(parent)) =
                (editor.view(rel.child_table), editor.view(rel.parent_table))
            else {
                return false;
            };
            let (cpos, ppos) = (child.pos.get(), parent.pos.get());
            let (cy, child_span) = child.table.with(|t| {
                let y = row_y(t, cpos.1, rel.child_columns.first(), detailed);
                (y, card_span(t, cpos.1))
            });
            let (py, parent_span) = parent.table.with(|t| {
                let y = row_y(t, ppos.1, rel.parent_columns.first(), detailed);
                (y, card_span(t, ppos.1))
            });
            routes.push(route(cpos, cy, ppos, py));
            spans.push([child_span, parent_span]);
            true
        })
        .collect();
    spread(&mut routes, &spans);
    rels.into_iter()
        .zip(routes)
        .map(|(rel, (corners, [c, p]))| Drawn {
            id: rel.id,
            ends_at: [rel.child_table, rel.parent_table],
            corners,
            ends: [
                (c.0, c.1, c.2, rel.child_cardinality),
                (p.0, p.1, p.2, rel.parent_cardinality),
            ],
            dashed: !rel.identifying,
        })
        .collect()
}

/// The line within `tolerance` of the world point `(x, y)`, the nearest one first.
pub fn line_at(lines: &[Drawn], x: f64, y: f64, tolerance: f64) -> Option<Uuid> {
    let distance = |line: &Drawn| {
        line.corners
            .windows(2)
            .map(|seg| segment_distance(seg[0], seg[1], (x, y)))
            .fold(f64::MAX, f64::min)
    };
    lines
        .iter()
        .map(|line| (distance(line), line.id))
        .filter(|(d, _)| *d <= tolerance)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
}

fn segment_distance(a: (f64, f64), b: (f64, f64), p: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length2).clamp(0.0, 1.0)
    };
    ((a.0 + t * dx - p.0).powi(2) + (a.1 + t * dy - p.1).powi(2)).sqrt()
}

/// SVG path data for a crow's-foot end at the card edge `(x, y)` pointing out along `dir`: the
/// strokes, and the circle (for "zero or …") drawn filled.
pub fn end_marks(x: f64, y: f64, dir: f64, cardinality: Cardinality) -> (String, Option<String>) {
    use std::fmt::Write;
    let at = |dx: f64| x + dir * dx;
    let mut d = String::new();
    let mut bar = |dx: f64| {
        let _ = write!(d, "M{} {}V{}", at(dx), y - 6.0, y + 6.0);
    };
    let (bars, foot, ring): (&[f64], bool, bool) = match cardinality {
        Cardinality::ExactlyOne => (&[9.0, 15.0], false, false),
        Cardinality::ZeroOrOne => (&[10.0], false, true),
        Cardinality::OneOrMany => (&[16.0], true, false),
        Cardinality::ZeroOrMany => (&[], true, true),
    };
    for &dx in bars {
        bar(dx);
    }
    if foot {
        let (x0, x1) = (at(0.0), at(12.0));
        let _ = write!(
            d,
            "M{x0} {}L{x1} {y}M{x0} {}L{x1} {y}M{x0} {y}L{x1} {y}",
            y - 7.0,
            y + 7.0
        );
    }
    let ring = ring.then(|| {
        let (cx, r) = (at(20.0), 4.0);
        format!(
            "M{} {y}A{r} {r} 0 1 0 {} {y}A{r} {r} 0 1 0 {} {y}Z",
            cx + r,
            cx - r,
            cx + r
        )
    });
    (d, ring)
}

const LINE: &str = "#64748b";
/// Lines other than the focused table's, while one is in focus.
const FADED: &str = "#d3d9e1";
const ACCENT: &str = "#2563eb";
const PAPER: &str = "#f8f9fb";
/// A card's border colour (as in the stylesheet), for the boxes that stand in for cards.
const GHOST_BORDER: &str = "#d5dae1";

/// How far beyond the view (in screen pixels, each side) the line canvas reaches, so panning
/// only moves it; the view leaving that margin repaints it.
const MARGIN: f64 = 300.0;

/// The part of the world the line canvas covers, and the zoom it was painted at.
#[derive(Clone, Copy, PartialEq)]
struct Region {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    zoom: f64,
}

impl Region {
    /// The view `v` of a canvas `w` × `h` screen pixels, with the margin around it.
    fn around(v: super::viewport::Viewport, (w, h): (f64, f64)) -> Self {
        let (x0, y0) = v.to_world(-MARGIN, -MARGIN);
        let (x1, y1) = v.to_world(w + MARGIN, h + MARGIN);
        Self {
            x0,
            y0,
            x1,
            y1,
            zoom: v.zoom,
        }
    }

    /// The part of this region around `lines` (with room for their end marks); empty when there
    /// are none.
    fn around_lines(&self, lines: &[Drawn]) -> Self {
        const ROOM: f64 = 30.0;
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in lines.iter().flat_map(|l| &l.corners) {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        if lines.is_empty() {
            return Self {
                x1: self.x0,
                y1: self.y0,
                ..*self
            };
        }
        Self {
            x0: (x0 - ROOM).max(self.x0),
            y0: (y0 - ROOM).max(self.y0),
            x1: (x1 + ROOM).min(self.x1).max((x0 - ROOM).max(self.x0)),
            y1: (y1 + ROOM).min(self.y1).max((y0 - ROOM).max(self.y0)),
            zoom: self.zoom,
        }
    }

    /// Whether this region can still show view `v`: the view inside it, and a zoom close
    /// enough to the painted one for the scaled bitmap to pass until it is painted again.
    fn serves(&self, v: super::viewport::Viewport, (w, h): (f64, f64)) -> bool {
        let (x0, y0) = v.to_world(0.0, 0.0);
        let (x1, y1) = v.to_world(w, h);
        let scale = v.zoom / self.zoom;
        (0.5..=2.0).contains(&scale)
            && x0 >= self.x0
            && y0 >= self.y0
            && x1 <= self.x1
            && y1 <= self.y1
    }
}

/// Every relationship line near the view, drawn on one canvas.
///
/// One canvas instead of an SVG per line: moving a table redraws a few hundred short paths
/// (well under a millisecond), where the browser would re-record and repaint a layer holding
/// hundreds of SVG elements. The canvas lies in the world under the cards and covers the view
/// and a margin around it, so panning moves it without repainting; a drag, a zoom, or the view
/// leaving the margin repaints it. Hit-testing is geometric (`line_at`), from the lines as
/// last laid out.
#[component]
pub fn LineLayer(
    editor: Editor,
    routes: Memo<Vec<Drawn>>,
    moving: RwSignal<HashSet<Uuid>>,
    zooming: RwSignal<bool>,
    mounted: RwSignal<Vec<Uuid>>,
    all_mounted: Memo<bool>,
    detailed: Memo<bool>,
) -> impl IntoView {
    let still_canvas = NodeRef::<leptos::html::Canvas>::new();
    let moving_canvas = NodeRef::<leptos::html::Canvas>::new();
    // What the next frame repaints: the still lines, the moving ones.
    let pending = StoredValue::new((false, false));
    let region = StoredValue::new(None::<Region>);
    // Lines drawn, dashed, and highlighted as the focused table's.
    let count = RwSignal::new((0usize, 0usize, 0usize));
    // The table whose lines stand out: the one under the pointer, else the one selected alone.
    let focus = Memo::new(move |_| editor.hovered_table.get().or(editor.selected_alone.get()));
    // Boxes painted for tables whose cards were not mounted yet.
    let ghosts = RwSignal::new(0usize);
    // During a drag the lines of the dragged tables are kept apart, so only their small canvas
    // repaints each frame.
    let split = move |want_moving: bool| {
        moving.with(|m| {
            routes.with(|all| {
                all.iter()
                    .filter(|l| {
                        (m.contains(&l.ends_at[0]) || m.contains(&l.ends_at[1])) == want_moving
                    })
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let still = Memo::new(move |_| split(false));
    let in_motion = Memo::new(move |_| split(true));
    let draw = move || {
        let (paint_still, paint_moving) = pending.get_value();
        pending.set_value((false, false));
        let (Some(still_el), Some(moving_el)) =
            (still_canvas.get_untracked(), moving_canvas.get_untracked())
        else {
            return;
        };
        let area = match region.get_value() {
            Some(area) if !paint_still => area,
            _ => Region::around(
                editor.viewport.get_untracked(),
                super::toolbar::canvas_size(),
            ),
        };
        region.set_value(Some(area));
        let highlight = Highlight {
            selected: editor.selected_rel.get_untracked(),
            hovered: editor.hovered_rel.get_untracked(),
            table: focus.get_untracked(),
        };
        let mut counted = count.get_untracked();
        if paint_still {
            // Only while cards are still to come: a table outside the visible set gets none.
            let boxes = if all_mounted.get_untracked() {
                Vec::new()
            } else {
                unmounted(editor, mounted, area, detailed.get_untracked())
            };
            if ghosts.get_untracked() != boxes.len() {
                ghosts.set(boxes.len());
            }
            counted =
                still.with_untracked(|lines| paint(&still_el, lines, &boxes, area, highlight));
        }
        if paint_still || paint_moving {
            in_motion.with_untracked(|lines| {
                let (n, d, lit) =
                    paint(&moving_el, lines, &[], area.around_lines(lines), highlight);
                if paint_still {
                    counted = (counted.0 + n, counted.1 + d, counted.2 + lit);
                }
            });
        }
        if count.get_untracked() != counted {
            count.set(counted);
        }
    };
    let repaint = move |still: bool, moving: bool| {
        let (a, b) = pending.get_value();
        pending.set_value((a || still, b || moving));
        if !(a || b) {
            request_animation_frame(draw);
        }
    };
    Effect::new(move |_| {
        still.track();
        editor.selected_rel.track();
        editor.hovered_rel.track();
        focus.track();
        repaint(true, true);
    });
    Effect::new(move |_| {
        in_motion.track();
        repaint(false, true);
    });
    // The canvas lies in the world, so the view's transform pans and scales it. A zoom repaints
    // it once the zoom rests, or at once when the view outgrows it.
    Effect::new(move |_| {
        let view = editor.viewport.get();
        if !region
            .get_value()
            .is_some_and(|r| r.serves(view, super::toolbar::canvas_size()))
        {
            repaint(true, true);
        }
    });
    Effect::new(move |was_zooming: Option<bool>| {
        let now = zooming.get();
        if was_zooming == Some(true) && !now {
            repaint(true, true);
        }
        now
    });
    // Once every visible card is mounted, the boxes standing in for them go.
    Effect::new(move |_| {
        if all_mounted.get() && ghosts.get_untracked() > 0 {
            repaint(true, true);
        }
    });
    let on_resize = window_event_listener(leptos::ev::resize, move |_| repaint(true, true));
    on_cleanup(move || on_resize.remove());
    view! {
        <canvas
            class="lines"
            aria-hidden="true"
            node_ref=still_canvas
            data-lines=move || count.get().0
            data-dashed=move || count.get().1
            data-lit=move || count.get().2
            data-ghosts=move || ghosts.get()
        ></canvas>
        <canvas class="lines-moving" aria-hidden="true" node_ref=moving_canvas></canvas>
    }
}

/// A plain box standing in for a table whose card is not mounted: its place, size and colour.
struct Ghost {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    head: f64,
    color: String,
}

/// Boxes for the tables in `area` whose cards are not mounted, as tall as their cards would be.
fn unmounted(
    editor: Editor,
    mounted: RwSignal<Vec<Uuid>>,
    area: Region,
    detailed: bool,
) -> Vec<Ghost> {
    let mounted: HashSet<Uuid> = mounted.with_untracked(|m| m.iter().copied().collect());
    editor
        .boxes()
        .into_iter()
        .filter(|(id, x, y, w, h)| {
            !mounted.contains(id)
                && *x < area.x1
                && x + w > area.x0
                && *y < area.y1
                && y + h > area.y0
        })
        .filter_map(|(id, x, y, width, height)| {
            let color = editor
                .view(id)?
                .table
                .with_untracked(|t| model::shown_color(&t.color).to_string());
            Some(Ghost {
                x,
                y,
                width,
                height,
                // Zoomed far out a card's header is a thin band (see the stylesheet).
                head: if detailed { HEADER_HEIGHT } else { FAR_BAND },
                color: if color.is_empty() {
                    ACCENT.into()
                } else {
                    color
                },
            })
        })
        .collect()
}

/// Paints the `lines` that cross `area`, and over them the `ghosts`, onto `canvas`, which it
/// places over that area of the world; returns how many lines (and dashed ones) it drew.
fn paint(
    canvas: &web_sys::HtmlCanvasElement,
    lines: &[Drawn],
    ghosts: &[Ghost],
    area: Region,
    highlight: Highlight,
) -> (usize, usize, usize) {
    let Highlight {
        selected,
        hovered,
        table,
    } = highlight;
    use wasm_bindgen::JsCast;
    let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let k = ratio * area.zoom;
    let (css_w, css_h) = (area.x1 - area.x0, area.y1 - area.y0);
    // Rounded, not ceiled: the same view size must give the same bitmap at any zoom, or the
    // canvas is reallocated at every repaint.
    let (w, h) = (
        (css_w * k).round().max(1.0) as u32,
        (css_h * k).round().max(1.0) as u32,
    );
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let _ = canvas.set_attribute(
        "style",
        &format!(
            "left:{}px;top:{}px;width:{css_w}px;height:{css_h}px",
            area.x0, area.y0
        ),
    );
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return (0, 0, 0);
    };
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, f64::from(w), f64::from(h));
    let _ = ctx.set_transform(k, 0.0, 0.0, k, -area.x0 * k, -area.y0 * k);
    // Room for the end marks beyond a route's corners.
    let margin = 30.0;
    let in_area = |line: &&Drawn| {
        let (mut a, mut b, mut c, mut d) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in &line.corners {
            (a, b, c, d) = (a.min(x), b.min(y), c.max(x), d.max(y));
        }
        a - margin < area.x1 && c + margin > area.x0 && b - margin < area.y1 && d + margin > area.y0
    };
    let mut solid = String::new();
    // Dashed routes as thin rectangles, across and down, filled with a dash pattern: Skia's
    // dashed strokes cost about ten times as much in software raster (35 against 4 ms for the
    // lines of a 1,000-table view at 47 %).
    let mut dashes = [String::new(), String::new()];
    let (mut marks, mut rings) = (String::new(), String::new());
    let mut accent = Vec::new();
    let (mut shown, mut dashed, mut lit) = (0, 0, 0);
    // With a table in focus, its lines are drawn in the accent and the others faded.
    let ink = if table.is_some() { FADED } else { LINE };
    for line in lines.iter().filter(in_area) {
        shown += 1;
        dashed += usize::from(line.dashed);
        let focused = table.is_some_and(|t| line.ends_at.contains(&t));
        lit += usize::from(focused);
        if focused || Some(line.id) == selected || Some(line.id) == hovered {
            accent.push(line);
            continue;
        }
        if line.dashed {
            dash_rects(&line.corners, &mut dashes);
        } else {
            solid.push_str(&path(&line.corners));
        }
        for &(x, y, dir, cardinality) in &line.ends {
            let (d, ring) = end_marks(x, y, dir, cardinality);
            marks.push_str(&d);
            rings.extend(ring);
        }
    }
    let stroke = |d: &str, color: &str, width: f64, dash: bool| {
        if d.is_empty() {
            return;
        }
        let Ok(path) = web_sys::Path2d::new_with_path_string(d) else {
            return;
        };
        ctx.set_stroke_style_str(color);
        ctx.set_line_width(width);
        let pattern = js_sys::Array::new();
        if dash {
            pattern.push(&6.0.into());
            pattern.push(&4.0.into());
        }
        let _ = ctx.set_line_dash(&pattern);
        ctx.stroke_with_path(&path);
    };
    let fill_rings = |d: &str, color: &str, width: f64| {
        if let Ok(path) = web_sys::Path2d::new_with_path_string(d) {
            ctx.set_fill_style_str(PAPER);
            ctx.fill_with_path_2d(&path);
            ctx.set_stroke_style_str(color);
            ctx.set_line_width(width);
            let _ = ctx.set_line_dash(&js_sys::Array::new());
            ctx.stroke_with_path(&path);
        }
    };
    stroke(&solid, ink, 1.6, false);
    for (rects, across) in dashes.iter().zip([true, false]) {
        if rects.is_empty() {
            continue;
        }
        if let (Some(pattern), Ok(path)) = (
            dash_pattern(&ctx, across, ink),
            web_sys::Path2d::new_with_path_string(rects),
        ) {
            // Nearest sampling keeps the dashes' ends crisp at any zoom.
            ctx.set_image_smoothing_enabled(false);
            ctx.set_fill_style_canvas_pattern(&pattern);
            ctx.fill_with_path_2d(&path);
        }
    }
    stroke(&marks, ink, 1.6, false);
    if !rings.is_empty() {
        fill_rings(&rings, ink, 1.6);
    }
    for line in accent {
        let width = if Some(line.id) == selected { 2.4 } else { 1.6 };
        stroke(&path(&line.corners), ACCENT, width, line.dashed);
        for &(x, y, dir, cardinality) in &line.ends {
            let (d, ring) = end_marks(x, y, dir, cardinality);
            stroke(&d, ACCENT, width, false);
            if let Some(ring) = ring {
                fill_rings(&ring, ACCENT, width);
            }
        }
    }
    paint_ghosts(&ctx, ghosts);
    (shown, dashed, lit)
}

/// What stands out among the lines: the selected line, the hovered one, and a table's lines.
#[derive(Clone, Copy)]
struct Highlight {
    selected: Option<Uuid>,
    hovered: Option<Uuid>,
    table: Option<Uuid>,
}

/// Paints each ghost as a card's outline: a white body and a header in the table's colour.
fn paint_ghosts(ctx: &web_sys::CanvasRenderingContext2d, ghosts: &[Ghost]) {
    use std::fmt::Write;
    if ghosts.is_empty() {
        return;
    }
    let mut bodies = String::new();
    let mut heads: std::collections::HashMap<&str, String> = Default::default();
    for g in ghosts {
        let _ = write!(
            bodies,
            "M{} {}h{}v{}h{}Z",
            g.x, g.y, g.width, g.height, -g.width
        );
        let head = heads.entry(g.color.as_str()).or_default();
        let _ = write!(
            head,
            "M{} {}h{}v{}h{}Z",
            g.x, g.y, g.width, g.head, -g.width
        );
    }
    if let Ok(path) = web_sys::Path2d::new_with_path_string(&bodies) {
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_with_path_2d(&path);
        ctx.set_stroke_style_str(GHOST_BORDER);
        ctx.set_line_width(1.0);
        let _ = ctx.set_line_dash(&js_sys::Array::new());
        ctx.stroke_with_path(&path);
    }
    for (color, d) in heads {
        if let Ok(path) = web_sys::Path2d::new_with_path_string(&d) {
            // A colour the canvas cannot read leaves the accent, not the previous fill.
            ctx.set_fill_style_str(ACCENT);
            ctx.set_fill_style_str(color);
            ctx.fill_with_path_2d(&path);
        }
    }
}

/// Half the width of a line, in world units.
const HALF_WIDTH: f64 = 0.8;
/// The dash and the whole period of a dashed line, in world units.
const DASH: (u32, u32) = (6, 10);

/// Appends, as path data, the rectangles covering an orthogonal route's segments: those across
/// to `rects[0]`, those down to `rects[1]`.
fn dash_rects(corners: &Corners, rects: &mut [String; 2]) {
    use std::fmt::Write;
    for pair in corners.windows(2) {
        let [(x0, y0), (x1, y1)] = [pair[0], pair[1]];
        let (left, top) = (x0.min(x1), y0.min(y1));
        let (width, height) = ((x1 - x0).abs(), (y1 - y0).abs());
        if width > 0.0 {
            let _ = write!(
                rects[0],
                "M{left} {}h{width}v{}h{}Z",
                top - HALF_WIDTH,
                2.0 * HALF_WIDTH,
                -width
            );
        } else if height > 0.0 {
            let _ = write!(
                rects[1],
                "M{} {top}h{}v{height}h{}Z",
                left - HALF_WIDTH,
                2.0 * HALF_WIDTH,
                -2.0 * HALF_WIDTH
            );
        }
    }
}

/// A one-period dash tile in `color`, across or down, as a repeating pattern of `ctx`.
fn dash_pattern(
    ctx: &web_sys::CanvasRenderingContext2d,
    across: bool,
    color: &str,
) -> Option<web_sys::CanvasPattern> {
    use wasm_bindgen::JsCast;
    let tile: web_sys::HtmlCanvasElement =
        document().create_element("canvas").ok()?.dyn_into().ok()?;
    let (dash, period) = DASH;
    let (w, h) = if across { (period, 1) } else { (1, period) };
    tile.set_width(w);
    tile.set_height(h);
    let tile_ctx: web_sys::CanvasRenderingContext2d =
        tile.get_context("2d").ok()??.dyn_into().ok()?;
    tile_ctx.set_fill_style_str(color);
    let (dw, dh) = if across { (dash, 1) } else { (1, dash) };
    tile_ctx.fill_rect(0.0, 0.0, f64::from(dw), f64::from(dh));
    ctx.create_pattern_with_html_canvas_element(&tile, "repeat")
        .ok()
        .flatten()
}

/// A style rule that highlights the columns joined by the hovered (or selected) line.
#[component]
pub fn JoinHighlight(editor: Editor) -> impl IntoView {
    let css = move || {
        let id = editor.hovered_rel.get().or(editor.selected_rel.get())?;
        editor.relationships.with(|rels| {
            let rel = rels.iter().find(|r| r.id == id)?;
            let selectors: Vec<String> = rel
                .child_columns
                .iter()
                .chain(&rel.parent_columns)
                .map(|c| format!(".card-column[data-column-id=\"{c}\"]"))
                .collect();
            Some(format!(
                "{} {{ background: rgb(255 247 214 / 99.6%); }}",
                selectors.join(", ")
            ))
        })
    };
    view! { <style>{move || css().unwrap_or_default()}</style> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dashed_route_is_covered_by_rectangles_across_and_down() {
        // Across, down, across; the middle of a side-by-side route.
        let corners = [(0.0, 10.0), (50.0, 10.0), (50.0, 90.0), (120.0, 90.0)];
        let mut rects = [String::new(), String::new()];
        dash_rects(&corners, &mut rects);
        assert_eq!(rects[0], "M0 9.2h50v1.6h-50ZM50 89.2h70v1.6h-70Z");
        assert_eq!(rects[1], "M49.2 10h1.6v80h-1.6Z");
        // Right to left and bottom to top give the same rectangles; a zero-length part none.
        let mut back = [String::new(), String::new()];
        dash_rects(
            &[(120.0, 90.0), (50.0, 90.0), (50.0, 90.0), (50.0, 10.0)],
            &mut back,
        );
        assert_eq!(back[0], "M50 89.2h70v1.6h-70Z");
        assert_eq!(back[1], "M49.2 10h1.6v80h-1.6Z");
    }
}
