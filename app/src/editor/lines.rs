//! Relationship lines: orthogonal routes between the tables' sides, with crow's-foot ends.
//!
//! A line reads the position signals of its two tables only, so dragging a table redraws just the
//! lines attached to it.

use leptos::prelude::*;
use model::{Cardinality, Relationship, Table, Uuid};

use super::card::{CARD_WIDTH, HEADER_HEIGHT, ROW_HEIGHT};
use super::state::Editor;

/// How far a line runs straight out of a card before turning.
const STUB: f64 = 24.0;

/// The y of a column's row (its middle), or of the header when the column is not shown.
pub fn row_y(table: &Table, y: f64, column: Option<&Uuid>, detailed: bool) -> f64 {
    match column.and_then(|c| table.columns.iter().position(|col| col.id == *c)) {
        Some(index) if detailed => y + HEADER_HEIGHT + 4.0 + ROW_HEIGHT * (index as f64 + 0.5),
        _ => y + HEADER_HEIGHT / 2.0,
    }
}

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

/// The SVG path through a route's corners.
pub fn path(corners: &Corners) -> String {
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = *corners;
    format!("M{x0} {y0}L{x1} {y1}L{x2} {y2}L{x3} {y3}")
}

/// The box around a route's corner points, with room for the end marks and the hit stroke.
fn bounds(points: &[(f64, f64)]) -> (f64, f64, f64, f64) {
    const PAD: f64 = 28.0;
    let (x0, y0, x1, y1) = points.iter().fold(
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
        |(a, b, c, d), &(x, y)| (a.min(x), b.min(y), c.max(x), d.max(y)),
    );
    (x0 - PAD, y0 - PAD, x1 - x0 + 2.0 * PAD, y1 - y0 + 2.0 * PAD)
}

/// A crow's-foot end at the card edge `(x, y)`, pointing out along `dir`.
#[component]
fn End(x: f64, y: f64, dir: f64, cardinality: Cardinality) -> impl IntoView {
    let bar = |at: f64| format!("M{at} -6V6");
    let foot = "M0 -7L12 0M0 7L12 0M0 0H12".to_string();
    let circle = || view! { <circle cx="20" cy="0" r="4"></circle> };
    let (paths, ring) = match cardinality {
        Cardinality::ExactlyOne => (vec![bar(9.0), bar(15.0)], None),
        Cardinality::ZeroOrOne => (vec![bar(10.0)], Some(circle())),
        Cardinality::OneOrMany => (vec![foot, bar(16.0)], None),
        Cardinality::ZeroOrMany => (vec![foot], Some(circle())),
    };
    view! {
        <g class="end" transform=format!("translate({x} {y}) scale({dir} 1)")>
            {paths.into_iter().map(|d| view! { <path d=d></path> }).collect_view()}
            {ring}
        </g>
    }
}

#[component]
pub fn RelationshipLine(editor: Editor, id: Uuid, detailed: Memo<bool>) -> impl IntoView {
    let rel = Memo::new(move |_| {
        editor
            .relationships
            .with(|rels| rels.iter().find(|r| r.id == id).cloned())
    });
    let ends = move |rel: &Relationship| {
        Some((
            editor.view(rel.child_table)?,
            editor.view(rel.parent_table)?,
        ))
    };
    let geometry = move || {
        let rel = rel.get()?;
        let (child, parent) = ends(&rel)?;
        let detailed = detailed.get();
        let (cpos, ppos) = (child.pos.get(), parent.pos.get());
        let cy = child
            .table
            .with(|t| row_y(t, cpos.1, rel.child_columns.first(), detailed));
        let py = parent
            .table
            .with(|t| row_y(t, ppos.1, rel.parent_columns.first(), detailed));
        let (corners, [c, p]) = route(cpos, cy, ppos, py);
        Some((rel, corners, c, p))
    };
    let select = move |ev: web_sys::PointerEvent| {
        ev.stop_propagation();
        editor.select([]);
        editor.open_table.set(None);
        editor.selected_rel.set(Some(id));
    };
    move || {
        geometry().map(|(rel, corners, c, p)| {
            // Each line is its own small SVG around its route, so moving one line re-lays out and
            // repaints that box only, not one world-sized SVG holding every line.
            let (x0, y0, w, h) = bounds(&corners);
            let path = path(&corners);
            view! {
                <svg
                    class="line-box"
                    style:left=format!("{x0}px")
                    style:top=format!("{y0}px")
                    width=w
                    height=h
                    viewBox=format!("{x0} {y0} {w} {h}")
                >
                <g
                    class="rel"
                    class:dashed=!rel.identifying
                    class:selected=move || editor.selected_rel.get() == Some(id)
                    data-rel-id=id.to_string()
                    on:pointerenter=move |_| editor.hovered_rel.set(Some(id))
                    on:pointerleave=move |_| editor.hovered_rel.set(None)
                    on:pointerdown=select
                >
                    <path class="hit" d=path.clone()></path>
                    <path class="line" d=path></path>
                    <End x=c.0 y=c.1 dir=c.2 cardinality=rel.child_cardinality />
                    <End x=p.0 y=p.1 dir=p.2 cardinality=rel.parent_cardinality />
                </g>
                </svg>
            }
        })
    }
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
                "{} {{ background: #fff7d6; }}",
                selectors.join(", ")
            ))
        })
    };
    view! { <style>{move || css().unwrap_or_default()}</style> }
}
