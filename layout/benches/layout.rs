//! Auto-layout of a 1,000-table diagram (goal: under 1 s).

use criterion::{Criterion, criterion_group, criterion_main};
use model::{Column, Diagram, Relationship, Table};

fn diagram(n: usize) -> Diagram {
    let mut doc = Diagram::new("bench");
    for i in 0..n {
        let mut t = Table::new(format!("t{i}"));
        for c in 1..10 {
            t.columns.push(Column::new(format!("c{c}"), "int"));
        }
        doc.tables.push(t);
    }
    // Like the editor benchmark: each table after the first references one before it, and every
    // tenth table stands alone.
    for i in 1..n {
        if i % 10 == 0 {
            continue;
        }
        let (child, parent) = (&doc.tables[i], &doc.tables[(i * 7 / 13).min(i - 1)]);
        doc.relationships.push(Relationship::new(
            (child.id, vec![child.columns[1].id]),
            (parent.id, vec![parent.columns[0].id]),
        ));
    }
    doc
}

fn layout(c: &mut Criterion) {
    let mut group = c.benchmark_group("auto_layout");
    group.sample_size(10);
    for n in [100, 1000] {
        let doc = diagram(n);
        group.bench_function(format!("{n} tables"), |b| {
            b.iter(|| layout::auto_layout(&doc))
        });
    }
    group.finish();
}

criterion_group!(benches, layout);
criterion_main!(benches);
