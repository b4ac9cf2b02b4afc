//! Export image: PNG at 1× or 2×, or SVG, of the whole diagram or the selected tables.

use std::collections::HashSet;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::editor::{Editor, image};

#[component]
pub fn ImageDialog(open: RwSignal<bool>, editor: Editor) -> impl IntoView {
    let format = RwSignal::new("png2");
    let selection = editor.selected();
    let has_selection = !selection.is_empty();
    // What is drawn: "" the whole diagram, "selection", or an area's id.
    let scope = RwSignal::new(String::new());
    let areas = editor.areas.get_untracked();
    let render = move || {
        let only: Option<HashSet<_>> = match scope.get().as_str() {
            "" => None,
            "selection" => Some(editor.selected().into_iter().collect()),
            area => {
                let area = model::Uuid::parse_str(area).ok();
                let members = |d: &model::Diagram| {
                    let inside = d
                        .tables
                        .iter()
                        .filter(|t| t.area.is_some() && t.area == area);
                    inside.map(|t| t.id).collect()
                };
                Some(editor.with_doc(members))
            }
        };
        image::svg(
            &editor.document(),
            only.as_ref(),
            editor.names.get_untracked(),
        )
    };
    let scale = move || match format.get() {
        "png2" => 2.0,
        _ => 1.0,
    };
    let size = move || {
        let (_, w, h) = render();
        format!("{} × {} px", (w * scale()) as u64, (h * scale()) as u64)
    };
    let save = move |_| {
        let (svg, w, h) = render();
        let name = file_stem(&editor.name.get_untracked());
        match format.get_untracked() {
            "svg" => download_text(&svg, "image/svg+xml", &format!("{name}.svg")),
            "png1" => save_png(svg, w, h, 1.0, format!("{name}.png")),
            _ => save_png(svg, w, h, 2.0, format!("{name}@2x.png")),
        }
        open.set(false);
    };
    let choice = move |value: &'static str, label: &'static str| {
        view! {
            <label class="choice">
                <input type="radio" name="image-format" value=value checked=move || format.get() == value on:change=move |_| format.set(value) />
                {label}
            </label>
        }
    };
    view! {
        <div class="dialog-backdrop" on:click=move |ev| {
            if ev.target() == ev.current_target() {
                open.set(false)
            }
        }>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="image-title">
                <div class="dialog-head">
                    <h2 id="image-title">"Export image"</h2>
                    <button class="icon" aria-label="Close" on:click=move |_| open.set(false)>"×"</button>
                </div>
                <fieldset class="choices">
                    <legend>"Format"</legend>
                    {choice("png1", "PNG 1×")}
                    {choice("png2", "PNG 2×")}
                    {choice("svg", "SVG")}
                </fieldset>
                <fieldset class="choices">
                    <legend>"What"</legend>
                    <label class="choice">
                        <input type="radio" name="image-scope" checked=move || scope.with(String::is_empty) on:change=move |_| scope.set(String::new()) />
                        "Whole diagram"
                    </label>
                    <label class="choice">
                        <input type="radio" name="image-scope" disabled=!has_selection checked=move || scope.get() == "selection" on:change=move |_| scope.set("selection".into()) />
                        {format!("Selection ({} tables)", selection.len())}
                    </label>
                    {areas.into_iter().map(|a| {
                        let id = a.id.to_string();
                        let mine = id.clone();
                        view! {
                            <label class="choice">
                                <input type="radio" name="image-scope" checked=move || scope.get() == mine on:change=move |_| scope.set(id.clone()) />
                                {format!("Area {}", a.name)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="dialog-actions">
                    <span class="muted small image-size">{size}</span>
                    <span class="grow"></span>
                    <button class="primary" on:click=save>"Download image"</button>
                </div>
            </div>
        </div>
    }
    .into_any()
}

/// A diagram name made safe as a file name.
pub(super) fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_matches(['_', '.']).to_string();
    if stem.is_empty() {
        "diagram".into()
    } else {
        stem
    }
}

pub fn download_text(text: &str, mime: &str, file: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
        download_blob(&blob, file);
    }
}

fn download_blob(blob: &web_sys::Blob, file: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Some(a) = document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(file);
        a.click();
    }
    // Revoking at once can cancel the download before the browser has read the blob.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
}

/// Draws the SVG onto a canvas at `scale` and downloads it as PNG.
fn save_png(svg: String, width: f64, height: f64, scale: f64, file: String) {
    let Ok(img) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let source = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(&svg)
    );
    let drawn = img.clone();
    let onload = Closure::once(move || {
        let Some(canvas) = document()
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            return;
        };
        canvas.set_width((width * scale) as u32);
        canvas.set_height((height * scale) as u32);
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let _ = ctx.scale(scale, scale);
        let _ = ctx.draw_image_with_html_image_element(&drawn, 0.0, 0.0);
        let saved = Closure::once(move |blob: Option<web_sys::Blob>| {
            if let Some(blob) = blob {
                download_blob(&blob, &file);
            }
        });
        let _ = canvas.to_blob(saved.as_ref().unchecked_ref());
        saved.forget();
    });
    img.set_onload(Some(onload.as_ref().unchecked_ref()));
    onload.forget();
    img.set_src(&source);
}
