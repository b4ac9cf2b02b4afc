//! Image export: the diagram (or the selected tables) drawn as SVG, and as PNG through a canvas.
//!
//! The SVG is built from the document, not copied from the page, so it has a light background,
//! no selection or hover marks, and every name is XML-escaped.

use std::collections::HashSet;
use std::fmt::Write;

use model::{Cardinality, Diagram, Uuid};

use super::areas::{self, AREA_HEADER, AREA_PADDING};
use super::card::{CARD_WIDTH, HEADER_HEIGHT, ROW_HEIGHT, card_height};
use super::lines::{Route, card_span, path, route, row_y, spread};
use super::state::Names;

const MARGIN: f64 = 40.0;

/// Left, top, width, height.
type Rect = (f64, f64, f64, f64);
const FONT: &str = "Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";
const MONO: &str = "SFMono-Regular, Menlo, Consolas, monospace";

/// The name a card or row shows, escaped; in both names the logical one follows in `muted`.
fn names_text(names: Names, physical: &str, logical: &str, muted: &str) -> String {
    match names.pick(physical, logical) {
        (first, None) => xml(first),
        (first, Some(second)) => format!(
            r#"{} <tspan fill="{muted}" font-weight="400">{}</tspan>"#,
            xml(first),
            xml(second)
        ),
    }
}

/// Escapes text for XML content and attribute values.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// An SVG of the tables in `only` (all when `None`) with the lines between them, and its size.
pub fn svg(doc: &Diagram, only: Option<&HashSet<Uuid>>, names: Names) -> (String, f64, f64) {
    let shown = |id: Uuid| only.is_none_or(|s| s.contains(&id));
    let tables: Vec<_> = doc.tables.iter().filter(|t| shown(t.id)).collect();
    let notes: Vec<_> = if only.is_none() {
        doc.notes.iter().collect()
    } else {
        Vec::new()
    };
    // Each area round its tables drawn here, as the editor frames it.
    let frames: Vec<(String, String, Rect)> = doc
        .areas
        .iter()
        .enumerate()
        .filter_map(|(at, area)| {
            let (x0, y0, x1, y1) = tables
                .iter()
                .filter(|t| t.area == Some(area.id))
                .map(|t| {
                    (
                        t.x,
                        t.y,
                        t.x + CARD_WIDTH,
                        t.y + card_height(t.columns.len()),
                    )
                })
                .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))?;
            let frame = (
                x0 - AREA_PADDING,
                y0 - AREA_PADDING - AREA_HEADER,
                x1 - x0 + 2.0 * AREA_PADDING,
                y1 - y0 + 2.0 * AREA_PADDING + AREA_HEADER,
            );
            Some((area.name.clone(), areas::shown_color(area, at), frame))
        })
        .collect();
    let boxes = tables
        .iter()
        .map(|t| (t.x, t.y, CARD_WIDTH, card_height(t.columns.len())))
        .chain(notes.iter().map(|n| (n.x, n.y, n.width, n.height)))
        .chain(frames.iter().map(|(.., frame)| *frame));
    let (x0, y0, x1, y1) = boxes.fold(
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN),
        |(a, b, c, d), (x, y, w, h)| (a.min(x), b.min(y), c.max(x + w), d.max(y + h)),
    );
    let (x0, y0, x1, y1) = if x0 > x1 {
        (0.0, 0.0, 200.0, 100.0)
    } else {
        (x0, y0, x1, y1)
    };
    let (ox, oy) = (MARGIN - x0, MARGIN - y0);
    let (width, height) = (
        (x1 - x0 + 2.0 * MARGIN).ceil(),
        (y1 - y0 + 2.0 * MARGIN).ceil(),
    );
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12.5"><rect width="100%" height="100%" fill="#ffffff"/><g transform="translate({ox} {oy})">"##
    );
    for (name, color, (x, y, w, h)) in &frames {
        let (name, color) = (xml(name), xml(color));
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="12" fill="{color}" fill-opacity="0.06" stroke="{color}" stroke-opacity="0.55" stroke-width="2"/><text x="{}" y="{}" fill="{color}" font-weight="650" font-size="14">{name}</text>"##,
            x + 16.0,
            y + 21.0,
        );
    }
    // The lines as the editor draws them with rows shown, spread apart where they would meet.
    let rels: Vec<_> = doc
        .relationships
        .iter()
        .filter(|r| shown(r.child_table) && shown(r.parent_table))
        .filter_map(|rel| {
            Some((
                rel,
                doc.table(rel.child_table)?,
                doc.table(rel.parent_table)?,
            ))
        })
        .collect();
    let mut routes: Vec<Route> = rels
        .iter()
        .map(|(rel, child, parent)| {
            let cy = row_y(child, child.y, rel.child_columns.first(), true);
            let py = row_y(parent, parent.y, rel.parent_columns.first(), true);
            route((child.x, child.y), cy, (parent.x, parent.y), py)
        })
        .collect();
    let spans: Vec<_> = rels
        .iter()
        .map(|(_, child, parent)| [card_span(child, child.y), card_span(parent, parent.y)])
        .collect();
    spread(&mut routes, &spans);
    for ((rel, ..), (corners, ends)) in rels.iter().zip(routes) {
        let path = path(&corners);
        let dash = if rel.identifying {
            ""
        } else {
            r#" stroke-dasharray="6 4""#
        };
        let _ = write!(
            s,
            r##"<g stroke="#64748b" stroke-width="1.6" fill="none"><path d="{path}"{dash}/>"##
        );
        for ((x, y, dir), cardinality) in ends
            .into_iter()
            .zip([rel.child_cardinality, rel.parent_cardinality])
        {
            let _ = write!(
                s,
                r#"<g transform="translate({x} {y}) scale({dir} 1)">{}</g>"#,
                end_marks(cardinality)
            );
        }
        s.push_str("</g>");
    }
    for t in &tables {
        let fks: HashSet<Uuid> = doc
            .relationships
            .iter()
            .filter(|r| r.child_table == t.id)
            .flat_map(|r| r.child_columns.iter().copied())
            .collect();
        let h = card_height(t.columns.len());
        let color = match model::shown_color(&t.color) {
            "" => "#2563eb",
            color => color,
        };
        let title = names_text(names, &t.name, &t.logical_name, "#dbeafe");
        let _ = write!(
            s,
            r##"<g transform="translate({} {})"><rect width="{CARD_WIDTH}" height="{h}" rx="8" fill="#ffffff" stroke="#d5dae1"/><path d="M0 8a8 8 0 0 1 8-8h{}a8 8 0 0 1 8 8v{}h-{CARD_WIDTH}z" fill="{}"/><text x="12" y="22" fill="#ffffff" font-weight="650" font-size="13">{}</text>"##,
            t.x,
            t.y,
            CARD_WIDTH - 16.0,
            HEADER_HEIGHT - 8.0,
            xml(color),
            title
        );
        for (i, c) in t.columns.iter().enumerate() {
            let y = HEADER_HEIGHT + 4.0 + ROW_HEIGHT * i as f64 + 15.0;
            let keys: Vec<&str> = [
                (c.primary_key, "PK"),
                (fks.contains(&c.id), "FK"),
                (c.unique && !c.primary_key, "UQ"),
            ]
            .into_iter()
            .filter_map(|(on, k)| on.then_some(k))
            .collect();
            let name = names_text(names, &c.name, &c.logical_name, "#6b7280");
            let weight = if c.primary_key {
                r#" font-weight="600""#
            } else {
                ""
            };
            let _ = write!(
                s,
                r##"<text x="8" y="{y}" font-size="9" font-weight="700" fill="#92400e">{}</text><text x="50" y="{y}" fill="#1f2937"{weight}>{}</text><text x="{}" y="{y}" text-anchor="end" font-family="{MONO}" font-size="11" fill="#6b7280">{}</text>"##,
                keys.join(" "),
                name,
                CARD_WIDTH - 30.0,
                xml(&c.data_type)
            );
            if !c.nullable {
                let _ = write!(
                    s,
                    r##"<text x="{}" y="{y}" text-anchor="end" font-size="9" font-weight="700" fill="#9ca3af">NN</text>"##,
                    CARD_WIDTH - 8.0
                );
            }
        }
        s.push_str("</g>");
    }
    for n in &notes {
        let fill = match model::shown_color(&n.color) {
            "" => "#fef3c7",
            color => color,
        };
        let _ = write!(
            s,
            r##"<g transform="translate({} {})"><rect width="{}" height="{}" rx="6" fill="{}" stroke="#e5e7eb"/>"##,
            n.x,
            n.y,
            n.width,
            n.height,
            xml(fill)
        );
        for (i, line) in n.text.lines().enumerate() {
            let _ = write!(
                s,
                r##"<text x="10" y="{}" font-size="13" fill="#1f2937">{}</text>"##,
                40.0 + 19.0 * i as f64,
                xml(line)
            );
        }
        s.push_str("</g>");
    }
    s.push_str("</g></svg>");
    (s, width, height)
}

/// The crow's-foot marks of one end, drawn pointing out along +x from the card edge.
fn end_marks(cardinality: Cardinality) -> String {
    let bar = |x: f64| format!(r#"<path d="M{x} -6V6"/>"#);
    let foot = r#"<path d="M0 -7L12 0M0 7L12 0M0 0H12"/>"#.to_string();
    let ring = r##"<circle cx="20" cy="0" r="4" fill="#ffffff"/>"##.to_string();
    match cardinality {
        Cardinality::ExactlyOne => bar(9.0) + &bar(15.0),
        Cardinality::ZeroOrOne => bar(10.0) + &ring,
        Cardinality::OneOrMany => foot + &bar(16.0),
        Cardinality::ZeroOrMany => foot + &ring,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Column, Note, Table};

    #[test]
    fn names_are_escaped_and_the_size_covers_every_table() {
        let mut doc = Diagram::new("x");
        let mut t = Table::new("<img src=x onerror=alert(1)>");
        t.columns.push(Column::new("a&b", "varchar(\"1\")"));
        t.x = 100.0;
        let mut u = Table::new("u");
        u.x = 500.0;
        u.y = 300.0;
        doc.tables.extend([t, u]);
        doc.notes.push(Note::new("</svg><script>", 0.0, 0.0));
        let (text, w, h) = svg(&doc, None, Names::Physical);
        assert!(!text.contains("<img") && !text.contains("<script") && !text.contains("</svg><"));
        assert!(text.contains("&lt;img src=x onerror=alert(1)&gt;") && text.contains("a&amp;b"));
        assert_eq!(
            (w, h),
            (
                500.0 + CARD_WIDTH + 2.0 * MARGIN,
                300.0 + card_height(1) + 2.0 * MARGIN
            )
        );
        let only: HashSet<Uuid> = [doc.tables[1].id].into();
        let (part, w, _) = svg(&doc, Some(&only), Names::Physical);
        assert!(!part.contains("a&amp;b"));
        assert_eq!(w, CARD_WIDTH + 2.0 * MARGIN);
        // Both names: the logical one, escaped too, beside the physical one.
        doc.tables[1].logical_name = "<b>Users</b>".into();
        let (both, ..) = svg(&doc, Some(&only), Names::Both);
        assert!(both.contains(
            r##"u <tspan fill="#dbeafe" font-weight="400">&lt;b&gt;Users&lt;/b&gt;</tspan>"##
        ));
    }

    #[test]
    fn an_area_is_framed_round_its_tables_drawn_and_named_escaped() {
        let mut doc = Diagram::new("x");
        let area = model::Area::new("<Sales>");
        let mut t = Table::new("t");
        (t.x, t.y, t.area) = (100.0, 200.0, Some(area.id));
        doc.tables.push(t);
        doc.areas.push(area);
        let (text, w, h) = svg(&doc, None, Names::Physical);
        assert!(text.contains("&lt;Sales&gt;") && !text.contains("<Sales>"));
        // The frame's room is in the picture.
        assert_eq!(w, CARD_WIDTH + 2.0 * AREA_PADDING + 2.0 * MARGIN);
        assert_eq!(
            h,
            card_height(1) + 2.0 * AREA_PADDING + AREA_HEADER + 2.0 * MARGIN
        );
    }
}
