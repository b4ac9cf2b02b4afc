//! Modal dialogs: SQL import, DDL and image export, sharing.

mod export;
mod highlight;
mod image;
mod import;
mod share;

pub use export::ExportDialog;
pub use image::ImageDialog;
pub use import::ImportDialog;
pub use share::ShareDialog;

/// The dialects offered, as `(API name, label)`.
pub const DIALECTS: [(&str, &str); 6] = [
    ("postgresql", "PostgreSQL"),
    ("mysql", "MySQL"),
    ("mariadb", "MariaDB"),
    ("sqlite", "SQLite"),
    ("mssql", "SQL Server"),
    ("oracle", "Oracle"),
];
