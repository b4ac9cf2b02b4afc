//! Modal dialogs: SQL import and DDL export.

mod export;
mod highlight;
mod image;
mod import;

pub use export::ExportDialog;
pub use image::ImageDialog;
pub use import::ImportDialog;

/// The dialects offered, as `(API name, label)`.
pub const DIALECTS: [(&str, &str); 6] = [
    ("postgresql", "PostgreSQL"),
    ("mysql", "MySQL"),
    ("mariadb", "MariaDB"),
    ("sqlite", "SQLite"),
    ("mssql", "SQL Server"),
    ("oracle", "Oracle"),
];
