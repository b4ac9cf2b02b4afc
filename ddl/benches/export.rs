//! Export of a generated 1,000-table diagram (10 columns each, a foreign key per table, an index
//! per table) to every dialect. Goal: under 10 ms per dialect.

use criterion::{Criterion, criterion_group, criterion_main};
use ddl::{Dialect, ExportOptions, export};
use model::{Column, Diagram, Index, Relationship, Table, Uuid};

const TABLES: usize = 1_000;

fn diagram() -> Diagram {
    let types = [
        "varchar(255)",
        "int",
        "timestamp",
        "numeric(10,2)",
        "text",
        "boolean",
        "bigint",
        "date",
    ];
    let mut d = Diagram::new("bench");
    for t in 0..TABLES {
        let mut columns = vec![{
            let mut id = Column::new("id", "bigint");
            id.primary_key = true;
            id.nullable = false;
            id.auto_increment = true;
            id
        }];
        columns.push(Column::new("parent_id", "bigint"));
        for c in 0..8 {
            let mut column = Column::new(format!("column_{c}"), types[(t + c) % types.len()]);
            column.nullable = c % 2 == 0;
            if c == 3 {
                column.default = Some("0".into());
            }
            columns.push(column);
        }
        let mut table = Table::empty(format!("table_{t}"), columns);
        table.indexes.push(Index {
            id: Uuid::new_v4(),
            name: format!("ix_table_{t}_column_1"),
            columns: vec![table.columns[3].id],
            unique: false,
            ..Default::default()
        });
        d.tables.push(table);
    }
    for t in 1..TABLES {
        let child = &d.tables[t];
        let parent = &d.tables[t / 2];
        let rel = Relationship::new(
            (child.id, vec![child.columns[1].id]),
            (parent.id, vec![parent.columns[0].id]),
        );
        d.relationships.push(rel);
    }
    d
}

fn bench(c: &mut Criterion) {
    let d = diagram();
    let options = ExportOptions::default();
    let mut group = c.benchmark_group("export_1000_tables");
    for dialect in Dialect::ALL {
        group.bench_function(dialect.name(), |b| b.iter(|| export(&d, dialect, &options)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
