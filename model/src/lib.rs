//! The Tablewright diagram document and the edit operations that change it.
//!
//! Every change to a [`Diagram`] is an [`Op`]; applying one validates it and returns its inverse,
//! which is what undo/redo, autosave batches and the server's history are built on. The crate is pure
//! (no IO) so that the browser and the server run exactly the same code.

pub mod api;
pub mod areas;
mod checks;
pub mod clip;
mod color;
mod diagram;
mod dialect;
pub mod dictionary;
pub mod enums;
mod error;
pub mod history;
mod op;
mod patch;
pub mod sync;
#[cfg(feature = "testing")]
pub mod testing;
mod texts;
mod validate;

pub use checks::{condition_allowed, names as condition_names, renamed_sql as condition_renamed};
pub use diagram::{
    Action, Area, Cardinality, Check, Column, ColumnClass, DEFAULT_NOTE_SIZE, Diagram, EnumType,
    Index, KeyExpression, KeyPart, Note, Relationship, Table,
};
pub use dialect::{Dialect, UnknownDialect};
pub use dictionary::{Convention, Dictionary, Domain, Term, Word};
pub use error::OpError;
pub use op::{Op, TableMove};
pub use patch::{
    AreaPatch, CheckPatch, ColumnPatch, IndexPatch, NotePatch, RelationshipPatch, TablePatch,
};
pub use texts::{TextField, diagram_texts, op_texts};
pub use uuid::Uuid;
pub use validate::{MAX_COORDINATE, MAX_NAME_LEN, MAX_NOTE_SIZE, shown_color, trusted};
