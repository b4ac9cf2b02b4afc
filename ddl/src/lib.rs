//! SQL DDL import and export for Tablewright diagrams.
//!
//! This is the only crate that knows sqlparser's AST: everything it returns is plain `model` data
//! or the report types below.

mod dialect;
mod dialects;
mod export;
mod import;
mod migrate;

pub use dialect::detect_dialect;
pub use export::{ExportOptions, export};
pub use import::{
    DdlError, ImportReport, Skipped, SqlStatement, StatementError, Warning, import,
    split_statements,
};
pub use migrate::{Migration, Script, migrate};
pub use model::{Dialect, UnknownDialect};
