//! A diagram to DDL for one dialect.
//!
//! The script, in order: optional drops, schemas, enum types (PostgreSQL), one CREATE TABLE per
//! table in diagram order (with its comments), indexes, then foreign keys as `ALTER TABLE … ADD
//! CONSTRAINT`, so that tables may reference each other in any order and in cycles. SQLite cannot
//! add constraints later; its foreign keys are inline, which it allows before the parent exists.
//!
//! Types go through one table ([`mapping`]); identifiers through [`names`]. Where a target cannot
//! express something (an untranslatable default, an action it lacks), the script says so in a
//! comment instead of carrying SQL that would fail.

mod conditions;
pub(crate) mod defaults;
pub(crate) mod literal;
pub(crate) mod mapping;
mod mysql;
pub(crate) mod names;
pub(crate) mod plan;
pub(crate) mod statements;
pub(crate) mod table;
pub(crate) mod types;

use model::Diagram;

use crate::{Dialect, dialects};
use plan::{ForeignKey, Plan};
pub(crate) use table::ColumnSql;

/// Choices that change the exported text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Start with `DROP TABLE IF EXISTS` for every table (children first).
    pub drop_existing: bool,
}

/// DDL that creates `diagram` on `dialect`. Deterministic: the same document gives the same bytes.
pub fn export(diagram: &Diagram, dialect: Dialect, options: &ExportOptions) -> String {
    let plan = Plan::new(diagram, dialect);
    let mut out = String::with_capacity(256 + diagram.tables.len() * 512);
    statements::header(&mut out, &plan);
    if options.drop_existing {
        statements::drops(&mut out, &plan);
    }
    statements::extensions(&mut out, &plan);
    statements::schemas(&mut out, &plan);
    statements::enum_types(&mut out, &plan);
    let mut inline: Vec<Vec<&ForeignKey>> = vec![Vec::new(); plan.tables.len()];
    if dialects::rules(dialect).foreign_keys_inline() {
        for fk in &plan.foreign_keys {
            inline[fk.child].push(fk);
        }
    }
    for (at, fks) in inline.iter().enumerate() {
        table::write(&mut out, &plan, at, fks);
    }
    statements::indexes(&mut out, &plan);
    statements::foreign_keys(&mut out, &plan);
    statements::skipped(&mut out, &plan);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
