//! Auto-layout: a 1,000-table diagram (goal: under 1 s), and the shapes that made the layered
//! layout blow up (every table referencing every earlier one, a random 1,000 × 3), which the
//! work budget now bounds, and 5,000 tables in mid-sized groups (goal: with the import, under
//! 3 s), which the diagram-wide stress budget bounds.

use criterion::{Criterion, criterion_group, criterion_main};
use model::{Column, Diagram, Relationship, Table};

fn diagram(n: usize, edges: impl IntoIterator<Item = (usize, usize)>) -> Diagram {
    let mut doc = Diagram::new("bench");
    for i in 0..n {
        let mut t = Table::new(format!("t{i}"));
        for c in 1..10 {
            t.columns.push(Column::new(format!("c{c}"), "int"));
        }
        doc.tables.push(t);
    }
    for (parent, child) in edges {
        let (child, parent) = (&doc.tables[child], &doc.tables[parent]);
        doc.relationships.push(Relationship::new(
            (child.id, vec![child.columns[1].id]),
            (parent.id, vec![parent.columns[0].id]),
        ));
    }
    doc
}

/// Like the editor benchmark: each table after the first references one before it, and every
/// tenth table stands alone.
fn editor_like(n: usize) -> Diagram {
    diagram(
        n,
        (1..n)
            .filter(|i| i % 10 != 0)
            .map(|i| ((i * 7 / 13).min(i - 1), i)),
    )
}

fn dense(n: usize) -> Diagram {
    diagram(n, (0..n).flat_map(|c| (0..c).map(move |p| (p, c))))
}

fn random(n: usize, per_table: usize) -> Diagram {
    let mut x: u64 = 12345;
    let mut edges = Vec::new();
    for c in 1..n {
        for _ in 0..per_table {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            edges.push(((x >> 33) as usize % c, c));
        }
    }
    diagram(n, edges)
}

/// `n` tables in groups of `size`, each table after a group's first referencing one before it
/// in its group (about 7,400 foreign keys at 5,000 tables).
fn in_groups(n: usize, size: usize) -> Diagram {
    let mut x: u64 = 12345;
    let mut edges = Vec::new();
    for c in (1..n).filter(|c| c % size != 0) {
        let base = c - c % size;
        for _ in 0..1 + c % 2 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            edges.push((base + (x >> 33) as usize % (c - base), c));
        }
    }
    diagram(n, edges)
}

fn layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("auto_layout");
    group.sample_size(10);
    let shapes = [
        ("100 tables".to_string(), editor_like(100)),
        ("1000 tables".to_string(), editor_like(1000)),
        ("dense 30 (under budget)".to_string(), dense(30)),
        ("dense 75".to_string(), dense(75)),
        ("dense 300".to_string(), dense(300)),
        ("random 1000 x 3".to_string(), random(1000, 3)),
        (
            "5000 tables in groups of 250".to_string(),
            in_groups(5000, 250),
        ),
        (
            "star 2000".to_string(),
            diagram(2000, (1..2000).map(|c| (0, c))),
        ),
    ];
    for (name, doc) in shapes {
        group.bench_function(name, |b| b.iter(|| layout::auto_layout(&doc)));
    }
    group.finish();
}

criterion_group!(benches, layout);
criterion_main!(benches);
