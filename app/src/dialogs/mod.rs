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
