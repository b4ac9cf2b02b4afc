use crate::{import, Dialect};

#[test]
#[ignore]
fn probe() {
    let root = "/work/shared/corpus";
    let manifest = std::fs::read_to_string(format!("{root}/MANIFEST.tsv")).unwrap();
    let only = std::env::var("PROBE").unwrap_or_default();
    for line in manifest.lines().skip(1) {
        let cols: Vec<_> = line.split('\t').collect();
        if !cols[0].contains(&only) { continue; }
        let d: Dialect = cols[1].parse().unwrap();
        let sql = std::fs::read_to_string(format!("{root}/{}", cols[0])).unwrap();
        let r = import(&sql, d).unwrap();
        println!("== {}", cols[0]);
        for w in &r.warnings { println!("  W {}: {}", w.line, w.message); }
        for e in &r.errors { println!("  E {}:{} {} {} | {}", e.line, e.column, e.kind, e.message, e.snippet); }
        if std::env::var("PROBE_TABLES").is_ok() {
            for t in &r.diagram.tables {
                println!("  T {:?}.{} ({},{}) {}", t.schema, t.name, t.x, t.y, t.comment);
                for c in &t.columns { println!("     {} {} null={} pk={} uq={} ai={} def={:?} {}", c.name, c.data_type, c.nullable, c.primary_key, c.unique, c.auto_increment, c.default, c.comment); }
                for i in &t.indexes { println!("     IX {} uq={} {:?}", i.name, i.unique, i.columns.iter().map(|c| t.column(*c).map(|c| c.name.clone()).unwrap_or_default()).collect::<Vec<_>>()); }
            }
            for rel in &r.diagram.relationships { println!("  R {} {:?} {:?} id={}", rel.name, rel.child_cardinality, rel.parent_cardinality, rel.identifying); }
            for s in &r.skipped { println!("  S {} {}", s.line, s.kind); }
        }
    }
}
