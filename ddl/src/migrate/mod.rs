//! The ALTER script from one version of a diagram to another, for one dialect.
//!
//! Both versions are planned as the export plans them, so a migrated database has the names,
//! types and keys that exporting the newer version would give. Tables, columns, indexes and
//! relationships are matched by their stable ids: a renamed column is renamed, not dropped and
//! added. Steps run in an order every database accepts: foreign keys and indexes that change go
//! first, then dropped tables, renames, column changes and keys, new tables, and last the new
//! indexes and foreign keys. SQLite rebuilds a table for anything beyond renames and simple added
//! columns (its `ALTER TABLE` can do no more).

mod steps;

use model::Diagram;

use crate::Dialect;

/// Up and down scripts between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// From the older version to the newer one.
    pub up: Script,
    /// Back from the newer version to the older one.
    pub down: Script,
}

/// One direction of a migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The statements, with destructive ones marked by a `-- Destructive:` comment line.
    pub sql: String,
    /// What the script loses or cannot do (dropped tables and columns, narrowed types, steps
    /// the dialect has no statement for), one line each.
    pub warnings: Vec<String>,
}

/// The migration from `from` to `to` on `dialect`. Pure and deterministic.
pub fn migrate(from: &Diagram, to: &Diagram, dialect: Dialect) -> Migration {
    Migration {
        up: steps::script(from, to, dialect),
        down: steps::script(to, from, dialect),
    }
}
