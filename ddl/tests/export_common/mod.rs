//! Shared by the export tests: a hand-built diagram that uses every construct export knows, the
//! corpus location, and a coarse type-family reading for comparing diagrams across dialects.

#![allow(dead_code)]

pub mod catalog;
pub mod live;

use std::path::PathBuf;

use model::{Action, Column, Diagram, EnumType, Index, Relationship, Table, Uuid};

pub fn col(name: &str, data_type: &str) -> Column {
    Column::new(name, data_type)
}

pub fn pk(mut c: Column) -> Column {
    c.primary_key = true;
    c.nullable = false;
    c
}

pub fn not_null(mut c: Column) -> Column {
    c.nullable = false;
    c
}

pub fn auto(mut c: Column) -> Column {
    c.auto_increment = true;
    c
}

pub fn default(mut c: Column, value: &str) -> Column {
    c.default = Some(value.to_string());
    c
}

pub fn unique(mut c: Column) -> Column {
    c.unique = true;
    c
}

pub fn commented(mut c: Column, comment: &str) -> Column {
    c.comment = comment.to_string();
    c
}

pub fn index(table: &Table, name: &str, columns: &[&str], unique: bool) -> Index {
    Index {
        id: Uuid::new_v4(),
        name: name.to_string(),
        columns: columns.iter().map(|c| column_id(table, c)).collect(),
        unique,
        ..Default::default()
    }
}

pub fn column_id(table: &Table, name: &str) -> Uuid {
    table
        .column_named(name)
        .unwrap_or_else(|| panic!("{} has no column {name}", table.name))
        .id
}

pub fn fk(child: &Table, cols: &[&str], parent: &Table, parent_cols: &[&str]) -> Relationship {
    Relationship::new(
        (child.id, cols.iter().map(|c| column_id(child, c)).collect()),
        (
            parent.id,
            parent_cols.iter().map(|c| column_id(parent, c)).collect(),
        ),
    )
}

/// A small shop that uses every construct: auto-increment, composite and natural keys, a reserved
/// word, mixed case, spaces, a schema, a named and an inline enum, defaults of every kind,
/// comments, indexes, a self-reference and a foreign key to a column that is not yet unique.
pub fn shop() -> Diagram {
    let mut d = Diagram::new("Shop");
    d.enums.push(EnumType {
        id: Uuid::new_v4(),
        name: "user_role".into(),
        schema: None,
        values: vec!["admin".into(), "member".into(), "it's".into()],
    });
    let mut users = Table::empty(
        "users",
        vec![
            auto(pk(col("id", "bigint"))),
            unique(not_null(col("email", "varchar(255)"))),
            commented(
                col("Display Name", "nvarchar(100)"),
                "shown to others; it's public",
            ),
            not_null(default(col("created_at", "timestamp"), "now()")),
            default(col("is_active", "tinyint(1)"), "'1'"),
            default(col("balance", "numeric(10,2)"), "0"),
            default(col("role", "user_role"), "'member'"),
            default(col("bio", "text"), "''"),
        ],
    );
    users.comment = "People who buy things".into();
    let order = Table::empty(
        "order",
        vec![
            pk(col("id", "serial")),
            not_null(col("user_id", "bigint")),
            default(col("status", "enum('new','paid')"), "'new'"),
            col("total", "decimal(12,2)"),
            col("note", "text"),
            default(col("placed_on", "date"), "CURRENT_DATE"),
            col("data", "jsonb"),
            default(col("uid", "uuid"), "gen_random_uuid()"),
            default(col("weird", "varchar(10)"), "lower('X')"),
        ],
    );
    let mut product = Table::empty(
        "product",
        vec![
            auto(pk(col("id", "int(11) unsigned"))),
            not_null(col("code", "varchar(20)")),
            not_null(col("name", "varchar(100)")),
            col("parent_id", "int(11) unsigned"),
            col("price", "double precision"),
            col("photo", "bytea"),
        ],
    );
    product
        .indexes
        .push(index(&product, "ix_product_code", &["code"], false));
    product
        .indexes
        .push(index(&product, "ux_product_name", &["name"], true));
    let item = Table::empty(
        "order_item",
        vec![
            pk(col("order_id", "integer")),
            pk(col("line_no", "smallint")),
            not_null(col("product_code", "varchar(20)")),
            default(col("qty", "int"), "1"),
        ],
    );
    let mut camel = Table::empty(
        "CamelCase",
        vec![pk(col("Id", "int")), col("ValueAt", "datetime2(7)")],
    );
    camel.schema = Some("sales".into());
    let mut rels = vec![
        fk(&order, &["user_id"], &users, &["id"]),
        fk(&item, &["order_id"], &order, &["id"]),
        fk(&item, &["product_code"], &product, &["code"]),
        fk(&product, &["parent_id"], &product, &["id"]),
    ];
    rels[0].on_delete = Action::Cascade;
    rels[1].on_delete = Action::Cascade;
    rels[1].on_update = Action::Cascade;
    rels[1].identifying = true;
    rels[3].on_delete = Action::SetNull;
    rels[3].name = "fk_product_parent".into();
    d.tables = vec![users, order, product, item, camel];
    d.relationships = rels;
    d
}

/// The shared corpus, or `None` (with a message) where it is absent.
pub fn corpus() -> Option<Vec<(String, ddl::Dialect, String)>> {
    let dir = match std::env::var_os("TABLEWRIGHT_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
    };
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        println!("skipped: no corpus at {}", dir.display());
        return None;
    };
    let mut files = Vec::new();
    for line in manifest.lines().skip(1) {
        let mut fields = line.split('\t');
        let (Some(file), Some(dialect)) = (fields.next(), fields.next()) else {
            continue;
        };
        let dialect: ddl::Dialect = dialect.parse().expect("dialect in MANIFEST.tsv");
        let sql = std::fs::read(dir.join(file)).expect("corpus file");
        files.push((
            file.to_string(),
            dialect,
            String::from_utf8_lossy(&sql).into_owned(),
        ));
    }
    Some(files)
}

/// A type's family, read independently of the exporter: what a round trip must preserve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Boolean,
    Integer,
    /// Exact decimal with a fractional part (scale 0 counts as integer).
    Decimal,
    Float,
    String,
    Date,
    Time,
    /// A span of time (`interval`), which MySQL, MariaDB, SQLite and SQL Server lack.
    Interval,
    Timestamp,
    Binary,
    Json,
    Uuid,
    Array,
    Other,
}

/// The family of a column: MySQL's `tinyint(1)` is a boolean unless its default is no 0 or 1.
pub fn column_family(c: &Column, enums: &[EnumType]) -> Family {
    let f = family(&c.data_type, enums);
    let default = c
        .default
        .as_deref()
        .unwrap_or("")
        .trim_matches(|ch| ch == '\'' || ch == '(' || ch == ')');
    if f == Family::Boolean
        && c.data_type.to_ascii_lowercase().starts_with("tinyint")
        && !default.is_empty()
        && !["0", "1"].contains(&default)
    {
        return Family::Integer;
    }
    f
}

pub fn family(data_type: &str, enums: &[EnumType]) -> Family {
    let t = data_type.trim().to_ascii_lowercase();
    if t.ends_with(']') || t.ends_with(" array") {
        return Family::Array;
    }
    let t: String = t
        .chars()
        .filter(|c| !matches!(c, '"' | '`' | '[' | ']'))
        .collect();
    let base = t.split('(').next().unwrap_or("").trim();
    let base = base.strip_suffix(" unsigned").unwrap_or(base).trim();
    let args: Vec<u32> = t
        .split_once('(')
        .map(|(_, a)| {
            a.trim_end_matches(|c| c != ')')
                .trim_end_matches(')')
                .split(',')
                .filter_map(|x| x.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let bare = base.rsplit('.').next().unwrap_or(base);
    if enums.iter().any(|e| e.name.eq_ignore_ascii_case(bare)) || base == "enum" || base == "set" {
        return Family::String;
    }
    match base {
        "bool" | "boolean" | "bit" => Family::Boolean,
        "tinyint" if args.first() == Some(&1) => Family::Boolean,
        "number" if args.len() <= 1 || args.get(1) == Some(&0) => {
            if args.is_empty() {
                Family::Decimal
            } else {
                Family::Integer
            }
        }
        "number" | "numeric" | "decimal" | "dec" | "money" | "smallmoney" => {
            if args.get(1).copied().unwrap_or(0) == 0 && !args.is_empty() {
                Family::Integer
            } else {
                Family::Decimal
            }
        }
        // Oracle's time of day is `INTERVAL DAY(0) TO SECOND(p)` (the export's mapping).
        b if b.starts_with("interval") && t.contains("day(0)") => Family::Time,
        b if b.starts_with("interval") => Family::Interval,
        b if b.contains("int") || b.contains("serial") || b == "year" => Family::Integer,
        "real" | "float" | "double" | "double precision" | "float4" | "float8" | "binary_float"
        | "binary_double" => Family::Float,
        "date" => Family::Date,
        b if b.starts_with("timestamp") || b.starts_with("datetime") || b == "smalldatetime" => {
            Family::Timestamp
        }
        b if b.starts_with("time") || b.starts_with("interval") => Family::Time,
        "json" | "jsonb" => Family::Json,
        "uuid" | "uniqueidentifier" => Family::Uuid,
        b if b.contains("blob")
            || b.contains("binary")
            || b == "bytea"
            || b == "image"
            || b.contains("raw") =>
        {
            Family::Binary
        }
        b if b.contains("char")
            || b.contains("text")
            || b.contains("clob")
            || b == "string"
            || b == "xml" =>
        {
            Family::String
        }
        _ => Family::Other,
    }
}

/// The family a value of `family` has after export to `dialect` and import back: the mapping
/// table's documented losses (no boolean in Oracle, no uuid or JSON type in some dialects …).
pub fn family_in(family: Family, dialect: ddl::Dialect) -> Family {
    use ddl::Dialect::*;
    match (family, dialect) {
        (Family::Boolean, Oracle) => Family::Integer,
        (Family::Uuid, Mysql | Sqlite | Oracle) => Family::String,
        (Family::Json, Mssql | Oracle) => Family::String,
        (Family::Time, Oracle) => Family::Time,
        (Family::Interval, Mysql | Mariadb | Sqlite | Mssql) => Family::String,
        (Family::Array, Mysql | Mariadb | Sqlite) => Family::Json,
        (Family::Array, Mssql | Oracle) => Family::String,
        (Family::Other, Postgresql | Sqlite) => Family::Other,
        (Family::Other, _) => Family::String,
        (f, _) => f,
    }
}
