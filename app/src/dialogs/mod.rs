//! Modal dialogs: SQL import, DDL, migration and image export, sharing, webhooks.

mod export;
mod highlight;
mod image;
mod import;
mod migration;
mod share;
mod webhooks;

pub use export::ExportDialog;
pub use image::{ImageDialog, download_text};
pub use import::ImportDialog;
pub use migration::MigrationDialog;
pub use share::ShareDialog;
pub use webhooks::WebhooksDialog;
