//! How readable the auto-layout is (a benchmark, not a test): for every shared-corpus schema
//! with foreign keys, the layout's fit zoom in a 1440 × 900 view, crossings of the FK lines as
//! the editor draws them and as straight lines, mean and max FK length in card widths, cards
//! overlapping, line segments drawn on top of each other, and time; beside it, Graphviz `dot`
//! and `sfdp` on the same graph with the same card sizes (Debian's `graphviz`, installed by
//! `scripts/layout-quality.sh`; without it only Tablewright's figures are printed).
//!
//! Corpus at `TABLEWRIGHT_CORPUS`, else `../shared/corpus` beside the checkout. With
//! `TABLEWRIGHT_QUALITY_SVG=dir`, each placement is also drawn there (cards and straight lines),
//! to look at.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use ddl::{Dialect, import};
use layout::lines::{Route, route, spread};
use layout::{CARD_WIDTH, auto_layout, card_height};
use model::Diagram;

/// The view the fit zoom is taken in, and the editor's margin around the diagram.
const VIEW: (f64, f64) = (1440.0, 900.0);
const MARGIN: f64 = 40.0;
/// Overlapping segments shorter than this are corners meeting, not lines on top of each other.
const SHARED_RUN: f64 = 8.0;

/// Cards as placed: top-left corner and size, in table order.
struct Placement {
    cards: Vec<(f64, f64, f64, f64)>,
    millis: f64,
}

/// A graph to place: card sizes and FK edges (child, parent) by table index.
struct Graph {
    sizes: Vec<(f64, f64)>,
    edges: Vec<(usize, usize)>,
}

impl Graph {
    fn of(diagram: &Diagram) -> Self {
        let index: HashMap<_, _> = diagram
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id, i))
            .collect();
        let sizes = diagram
            .tables
            .iter()
            .map(|t| (CARD_WIDTH, card_height(t.columns.len())))
            .collect();
        let edges = diagram
            .relationships
            .iter()
            .filter_map(|r| Some((*index.get(&r.child_table)?, *index.get(&r.parent_table)?)))
            .filter(|(c, p)| c != p)
            .collect();
        Graph { sizes, edges }
    }
}

fn tablewright(diagram: &Diagram, graph: &Graph) -> Placement {
    let start = Instant::now();
    let moves = auto_layout(diagram);
    let millis = start.elapsed().as_secs_f64() * 1000.0;
    let cards = moves
        .iter()
        .zip(&graph.sizes)
        .map(|(m, &(w, h))| (m.x, m.y, w, h))
        .collect();
    Placement { cards, millis }
}

/// Places the graph with a Graphviz engine (`dot`, `sfdp`); `None` when it is not installed.
fn graphviz(engine: &str, graph: &Graph) -> Option<Placement> {
    let mut dot = String::from("digraph g {\n  node [shape=box, fixedsize=true];\n");
    if engine == "sfdp" {
        dot.push_str("  graph [overlap=prism, overlap_scaling=-2];\n");
    }
    for (i, (w, h)) in graph.sizes.iter().enumerate() {
        let _ = writeln!(dot, "  n{i} [width={}, height={}];", w / 72.0, h / 72.0);
    }
    for (child, parent) in &graph.edges {
        // Parents above their children, as in the editor's layout.
        let _ = writeln!(dot, "  n{parent} -> n{child};");
    }
    dot.push_str("}\n");
    let start = Instant::now();
    let mut child = Command::new(engine)
        .arg("-Tplain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    {
        use std::io::Write;
        child.stdin.take()?.write_all(dot.as_bytes()).ok()?;
    }
    let out = child.wait_with_output().ok()?;
    let millis = start.elapsed().as_secs_f64() * 1000.0;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut centres = vec![(0.0, 0.0); graph.sizes.len()];
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first() == Some(&"node") && words.len() >= 4 {
            let i: usize = words[1].trim_start_matches('n').parse().ok()?;
            let x: f64 = words[2].parse().ok()?;
            let y: f64 = words[3].parse().ok()?;
            // Points are 1/72 inch; Graphviz's y grows upwards.
            centres[i] = (x * 72.0, -y * 72.0);
        }
    }
    let cards = centres
        .iter()
        .zip(&graph.sizes)
        .map(|(&(cx, cy), &(w, h))| (cx - w / 2.0, cy - h / 2.0, w, h))
        .collect();
    Some(Placement { cards, millis })
}

/// The figures of one placement.
struct Figures {
    fit_percent: f64,
    straight_crossings: usize,
    drawn_crossings: usize,
    mean_length: f64,
    max_length: f64,
    overlapping_cards: usize,
    shared_segments: usize,
    millis: f64,
}

type Segment = ((f64, f64), (f64, f64));

fn measure(graph: &Graph, placed: &Placement) -> Figures {
    let cards = &placed.cards;
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y, w, h) in cards {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + w), y1.max(y + h));
    }
    let fit = ((VIEW.0 - 2.0 * MARGIN) / (x1 - x0).max(1.0))
        .min((VIEW.1 - 2.0 * MARGIN) / (y1 - y0).max(1.0))
        .min(1.0);
    let centre = |i: usize| {
        let (x, y, w, h) = cards[i];
        (x + w / 2.0, y + h / 2.0)
    };
    let straight: Vec<Segment> = graph
        .edges
        .iter()
        .map(|&(c, p)| (centre(c), centre(p)))
        .collect();
    let lengths: Vec<f64> = straight
        .iter()
        .map(|(a, b)| ((a.0 - b.0).hypot(a.1 - b.1)) / CARD_WIDTH)
        .collect();
    // As the editor draws them zoomed out: out of the cards' middles, then spread apart.
    let (mut routes, spans): (Vec<Route>, Vec<_>) = graph
        .edges
        .iter()
        .map(|&(c, p)| {
            let (cx, cy, _, ch) = cards[c];
            let (px, py, _, ph) = cards[p];
            let route = route((cx, cy), cy + ch / 2.0, (px, py), py + ph / 2.0);
            (route, [(cy, cy + ch), (py, py + ph)])
        })
        .unzip();
    spread(&mut routes, &spans);
    let drawn: Vec<Vec<Segment>> = routes
        .iter()
        .map(|(corners, _)| corners.windows(2).map(|w| (w[0], w[1])).collect())
        .collect();
    let mut straight_crossings = 0;
    let mut drawn_crossings = 0;
    let mut shared_segments = 0;
    for i in 0..graph.edges.len() {
        for j in i + 1..graph.edges.len() {
            let (a, b) = (graph.edges[i], graph.edges[j]);
            let share_a_table = a.0 == b.0 || a.0 == b.1 || a.1 == b.0 || a.1 == b.1;
            if !share_a_table && crosses(straight[i], straight[j]) {
                straight_crossings += 1;
            }
            let mut crossed = false;
            for &s in &drawn[i] {
                for &t in &drawn[j] {
                    crossed |= !share_a_table && crosses(s, t);
                    if shared_run(s, t) > SHARED_RUN {
                        shared_segments += 1;
                    }
                }
            }
            drawn_crossings += usize::from(crossed);
        }
    }
    let mut overlapping_cards = 0;
    for i in 0..cards.len() {
        for j in i + 1..cards.len() {
            let (a, b) = (cards[i], cards[j]);
            if a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3 {
                overlapping_cards += 1;
            }
        }
    }
    Figures {
        fit_percent: fit * 100.0,
        straight_crossings,
        drawn_crossings,
        mean_length: lengths.iter().sum::<f64>() / lengths.len().max(1) as f64,
        max_length: lengths.iter().copied().fold(0.0, f64::max),
        overlapping_cards,
        shared_segments,
        millis: placed.millis,
    }
}

/// Whether two segments cross at a point inside both (touching ends do not count).
fn crosses((a, b): Segment, (c, d): Segment) -> bool {
    let side = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    let (d1, d2) = (side(c, d, a), side(c, d, b));
    let (d3, d4) = (side(a, b, c), side(a, b, d));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// How long two axis-parallel segments run on top of each other (0 when they do not).
fn shared_run((a, b): Segment, (c, d): Segment) -> f64 {
    let overlap = |(p0, p1): (f64, f64), (q0, q1): (f64, f64)| {
        (p0.max(p1).min(q0.max(q1)) - p0.min(p1).max(q0.min(q1))).max(0.0)
    };
    if a.1 == b.1 && c.1 == d.1 && (a.1 - c.1).abs() < 1.0 {
        overlap((a.0, b.0), (c.0, d.0))
    } else if a.0 == b.0 && c.0 == d.0 && (a.0 - c.0).abs() < 1.0 {
        overlap((a.1, b.1), (c.1, d.1))
    } else {
        0.0
    }
}

/// Cards and straight FK lines of one placement, for a person to look at.
fn svg(graph: &Graph, placed: &Placement) -> String {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y, w, h) in &placed.cards {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + w), y1.max(y + h));
    }
    let mut out = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='{} {} {} {}'><rect x='{x0}' y='{y0}' width='100%' height='100%' fill='white'/>\n",
        x0 - 20.0,
        y0 - 20.0,
        x1 - x0 + 40.0,
        y1 - y0 + 40.0
    );
    for (i, &(x, y, w, h)) in placed.cards.iter().enumerate() {
        let _ = writeln!(
            out,
            "<rect x='{x}' y='{y}' width='{w}' height='{h}' fill='#eef2f7' stroke='#4a6fa5'/><text x='{}' y='{}' font-size='20'>{i}</text>",
            x + 6.0,
            y + 22.0
        );
    }
    let centre = |i: usize| {
        let (x, y, w, h) = placed.cards[i];
        (x + w / 2.0, y + h / 2.0)
    };
    for &(c, p) in &graph.edges {
        let (a, b) = (centre(c), centre(p));
        let _ = writeln!(
            out,
            "<line x1='{}' y1='{}' x2='{}' y2='{}' stroke='#c0392b' stroke-width='2'/>",
            a.0, a.1, b.0, b.1
        );
    }
    out.push_str("</svg>\n");
    out
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("TABLEWRIGHT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    }
}

/// The corpus's schema files (data-free cuts preferred) with their dialects.
fn files(dir: &Path) -> Vec<(String, Dialect)> {
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        return Vec::new();
    };
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let file = fields.next()?.to_string();
            let dialect = fields.next()?.parse().ok()?;
            Some((file, dialect))
        })
        .collect()
}

/// The project a corpus file is of: `mysql/sakila_mysql.sql` → `sakila`.
fn project(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.split(['_', '.']).next().unwrap_or(name).to_string()
}

fn row(label: &str, f: &Figures) -> String {
    format!(
        "| {label} | {:.0} % | {} | {} | {:.1} | {:.1} | {} | {} | {:.0} ms |",
        f.fit_percent,
        f.drawn_crossings,
        f.straight_crossings,
        f.mean_length,
        f.max_length,
        f.overlapping_cards,
        f.shared_segments,
        f.millis
    )
}

fn main() {
    let dir = corpus_dir();
    let files = files(&dir);
    if files.is_empty() {
        println!("no corpus at {} (set TABLEWRIGHT_CORPUS)", dir.display());
        return;
    }
    println!(
        "| schema (tables, FKs) | layout | fit zoom | crossings drawn | crossings straight | mean FK length (card widths) | max | overlapping cards | shared segments | time |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut totals: HashMap<&str, (usize, usize, f64, usize, usize)> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    let drawings = std::env::var_os("TABLEWRIGHT_QUALITY_SVG").map(PathBuf::from);
    for (file, dialect) in files {
        let Ok(sql) = std::fs::read_to_string(dir.join(&file)) else {
            continue;
        };
        let Ok(report) = import(&sql, dialect) else {
            continue;
        };
        let diagram = report.diagram;
        let graph = Graph::of(&diagram);
        // The same schema in several dialects (or with and without data) counts once.
        let shape = (diagram.tables.len(), graph.edges.len());
        if graph.edges.len() < 5 || !seen.insert((project(&file), shape)) {
            continue;
        }
        let label = format!("{file} ({}, {})", shape.0, shape.1);
        let mut placements = vec![("Tablewright", tablewright(&diagram, &graph))];
        for engine in ["dot", "sfdp"] {
            if let Some(placed) = graphviz(engine, &graph) {
                placements.push((engine, placed));
            }
        }
        for (i, (name, placed)) in placements.iter().enumerate() {
            let figures = measure(&graph, placed);
            if let Some(dir) = &drawings {
                let name = format!("{}-{name}.svg", file.replace('/', "-"));
                let _ = std::fs::write(dir.join(name), svg(&graph, placed));
            }
            let first = if i == 0 { label.as_str() } else { "" };
            println!("{}", row(&format!("{first} | {name}"), &figures));
            let total = totals.entry(name).or_default();
            total.0 += figures.drawn_crossings;
            total.1 += figures.straight_crossings;
            total.2 += figures.mean_length;
            total.3 += 1;
            total.4 += figures.shared_segments;
        }
    }
    for name in ["Tablewright", "dot", "sfdp"] {
        if let Some((drawn, straight, length, n, shared)) = totals.get(name) {
            println!(
                "{name}: crossings drawn {drawn}, straight {straight}; mean FK length {:.2} card widths; shared segments {shared}; over {n} schemas",
                length / *n as f64
            );
        }
    }
}
