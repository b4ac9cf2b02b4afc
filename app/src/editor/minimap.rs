//! The minimap: every table as a block, the viewport as a frame; a click moves the view there.

use leptos::prelude::*;

use super::state::Editor;
use super::toolbar::canvas_size;

const WIDTH: f64 = 200.0;
const HEIGHT: f64 = 130.0;
const MARGIN: f64 = 400.0;

/// The tables scaled into the minimap: rects, and the world origin and scale used.
#[derive(Clone, PartialEq)]
struct Map {
    rects: Vec<(f64, f64, f64, f64)>,
    origin: (f64, f64),
    scale: f64,
}

#[component]
pub fn Minimap(editor: Editor) -> impl IntoView {
    // Recomputed when the document changes, never while panning or zooming.
    let map = Memo::new(move |_| {
        editor.edits.track();
        editor.area_filter.track();
        let boxes = editor.boxes();
        let (x0, y0, x1, y1) = boxes.iter().fold(
            (0.0f64, 0.0f64, 1000.0f64, 700.0f64),
            |(x0, y0, x1, y1), (_, x, y, w, h)| {
                (x0.min(*x), y0.min(*y), x1.max(x + w), y1.max(y + h))
            },
        );
        let (x0, y0, x1, y1) = (x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN);
        let scale = (WIDTH / (x1 - x0)).min(HEIGHT / (y1 - y0));
        Map {
            rects: boxes
                .iter()
                .map(|(_, x, y, w, h)| ((x - x0) * scale, (y - y0) * scale, w * scale, h * scale))
                .collect(),
            origin: (x0, y0),
            scale,
        }
    });
    let frame = move || {
        let v = editor.viewport.get();
        let (w, h) = canvas_size();
        map.with(|m| {
            let (vx, vy) = v.to_world(0.0, 0.0);
            let x0 = ((vx - m.origin.0) * m.scale).clamp(0.0, WIDTH);
            let y0 = ((vy - m.origin.1) * m.scale).clamp(0.0, HEIGHT);
            let x1 = ((vx - m.origin.0 + w / v.zoom) * m.scale).clamp(0.0, WIDTH);
            let y1 = ((vy - m.origin.1 + h / v.zoom) * m.scale).clamp(0.0, HEIGHT);
            (x0, y0, x1 - x0, y1 - y0)
        })
    };
    let click = move |ev: web_sys::PointerEvent| {
        let (origin, scale) = map.with_untracked(|m| (m.origin, m.scale));
        let wx = origin.0 + f64::from(ev.offset_x()) / scale;
        let wy = origin.1 + f64::from(ev.offset_y()) / scale;
        let (w, h) = canvas_size();
        editor.viewport.update(|v| {
            v.x = w / 2.0 - wx * v.zoom;
            v.y = h / 2.0 - wy * v.zoom;
        });
    };
    view! {
        <svg class="minimap" role="img" aria-label="Minimap" width=WIDTH height=HEIGHT on:pointerdown=click>
            {move || {
                map.with(|m| {
                    m.rects
                        .iter()
                        .map(|(x, y, w, h)| view! { <rect class="mini-table" x=*x y=*y width=*w height=*h></rect> })
                        .collect_view()
                })
            }}
            {move || {
                let (x, y, w, h) = frame();
                view! { <rect class="mini-view" x=x y=y width=w height=h></rect> }
            }}
        </svg>
    }
    .into_any()
}
