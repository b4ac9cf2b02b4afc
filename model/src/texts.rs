//! The free-text fields of documents and ops, which the server holds to its size limits (names
//! have a fixed limit of their own; colours are short by syntax).

use crate::diagram::{Column, Diagram, Table};
use crate::dictionary::Domain;
use crate::op::Op;

/// A kind of free-text field; each has its own size limit error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Comment,
    NoteText,
    Default,
    DataType,
    EnumValue,
    Check,
}

impl TextField {
    /// What the field is called in messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Comment => "comment",
            Self::NoteText => "note text",
            Self::Default => "default",
            Self::DataType => "data type",
            Self::EnumValue => "enum value",
            Self::Check => "check",
        }
    }

    /// The stable error code of a field over its limit.
    pub fn too_long_code(self) -> &'static str {
        match self {
            Self::Comment => "comment_too_long",
            Self::NoteText => "note_too_long",
            Self::Default => "default_too_long",
            Self::DataType => "data_type_too_long",
            Self::EnumValue => "enum_value_too_long",
            Self::Check => "check_too_long",
        }
    }
}

/// Calls `f` with each free-text field of `doc`.
pub fn diagram_texts(doc: &Diagram, f: &mut impl FnMut(TextField, &str)) {
    doc.tables.iter().for_each(|t| table_texts(t, f));
    for note in &doc.notes {
        f(TextField::NoteText, &note.text);
    }
    for e in &doc.enums {
        e.values.iter().for_each(|v| f(TextField::EnumValue, v));
    }
    for a in &doc.areas {
        f(TextField::Comment, &a.comment);
    }
    let d = &doc.dictionary;
    d.words
        .iter()
        .for_each(|w| f(TextField::Comment, &w.description));
    d.terms
        .iter()
        .for_each(|t| f(TextField::Comment, &t.description));
    d.domains.iter().for_each(|x| domain_texts(x, f));
}

fn domain_texts(domain: &Domain, f: &mut impl FnMut(TextField, &str)) {
    f(TextField::DataType, &domain.data_type);
    f(TextField::Comment, &domain.description);
    if let Some(default) = &domain.default {
        f(TextField::Default, default);
    }
    if let Some(check) = &domain.check {
        f(TextField::Check, check);
    }
}

/// Calls `f` with each free-text field that `ops` write (the only way text enters a stored
/// document after it was created), nested batches included.
pub fn op_texts(ops: &[Op], f: &mut impl FnMut(TextField, &str)) {
    let mut pending: Vec<&[Op]> = vec![ops];
    while let Some(list) = pending.pop() {
        for op in list {
            match op {
                Op::AddTable { table, .. } => table_texts(table, f),
                Op::UpdateTable { patch, .. } => {
                    if let Some(comment) = &patch.comment {
                        f(TextField::Comment, comment);
                    }
                }
                Op::AddColumn { column, .. } => column_texts(column, f),
                Op::UpdateColumn { patch, .. } => {
                    if let Some(comment) = &patch.comment {
                        f(TextField::Comment, comment);
                    }
                    if let Some(data_type) = &patch.data_type {
                        f(TextField::DataType, data_type);
                    }
                    if let Some(Some(default)) = &patch.default {
                        f(TextField::Default, default);
                    }
                }
                Op::AddNote { note, .. } => f(TextField::NoteText, &note.text),
                Op::UpdateNote { patch, .. } => {
                    if let Some(text) = &patch.text {
                        f(TextField::NoteText, text);
                    }
                }
                Op::AddEnum { enum_type, .. } => {
                    enum_type
                        .values
                        .iter()
                        .for_each(|v| f(TextField::EnumValue, v));
                }
                Op::AddArea { area, .. } => f(TextField::Comment, &area.comment),
                Op::UpdateArea { patch, .. } => {
                    if let Some(comment) = &patch.comment {
                        f(TextField::Comment, comment);
                    }
                }
                Op::PutWord { word, .. } => f(TextField::Comment, &word.description),
                Op::PutTerm { term, .. } => f(TextField::Comment, &term.description),
                Op::PutDomain { domain, .. } => domain_texts(domain, f),
                Op::AddCheck { check, .. } => f(TextField::Check, &check.sql),
                Op::UpdateCheck { patch, .. } => {
                    if let Some(sql) = &patch.sql {
                        f(TextField::Check, sql);
                    }
                }
                Op::Batch { ops } => pending.push(ops),
                _ => {}
            }
        }
    }
}

fn table_texts(table: &Table, f: &mut impl FnMut(TextField, &str)) {
    f(TextField::Comment, &table.comment);
    table.columns.iter().for_each(|c| column_texts(c, f));
    table
        .checks
        .iter()
        .for_each(|c| f(TextField::Check, &c.sql));
}

fn column_texts(column: &Column, f: &mut impl FnMut(TextField, &str)) {
    f(TextField::DataType, &column.data_type);
    f(TextField::Comment, &column.comment);
    if let Some(default) = &column.default {
        f(TextField::Default, default);
    }
}
