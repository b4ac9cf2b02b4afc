//! Why an op or a document was refused.

use thiserror::Error;
use uuid::Uuid;

/// A validation failure. Applying an op that fails leaves the document unchanged.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OpError {
    #[error("no table with id {0}")]
    UnknownTable(Uuid),
    #[error("table {table} has no column with id {column}")]
    UnknownColumn { table: Uuid, column: Uuid },
    #[error("table {table} has no index with id {index}")]
    UnknownIndex { table: Uuid, index: Uuid },
    #[error("table {table} has no CHECK constraint with id {check}")]
    UnknownCheck { table: Uuid, check: Uuid },
    #[error("no relationship with id {0}")]
    UnknownRelationship(Uuid),
    #[error("no note with id {0}")]
    UnknownNote(Uuid),
    #[error("no enum type with id {0}")]
    UnknownEnum(Uuid),
    #[error("no subject area with id {0}")]
    UnknownArea(Uuid),
    #[error("no {what} with id {id} in the dictionary")]
    UnknownDictionaryEntry { what: &'static str, id: Uuid },
    #[error("the dictionary already has a {what} {name:?}")]
    DuplicateDictionaryEntry { what: &'static str, name: String },
    #[error("column {column:?} uses domain {domain:?}, so it has the domain's type")]
    DomainTypeMismatch { column: String, domain: String },
    #[error("word {0:?} needs an abbreviation, or a word to use instead")]
    NoAbbreviation(String),
    #[error("id {0} is already used")]
    DuplicateId(Uuid),
    #[error("a table named {name:?} already exists{}", schema_suffix(.schema))]
    DuplicateTableName {
        schema: Option<String>,
        name: String,
    },
    #[error("table {table} already has a column named {name:?}")]
    DuplicateColumnName { table: Uuid, name: String },
    #[error("table {table} already has an index named {name:?}")]
    DuplicateIndexName { table: Uuid, name: String },
    #[error("table {table} already has a CHECK constraint named {name:?}")]
    DuplicateCheckName { table: Uuid, name: String },
    #[error("an enum type named {0:?} already exists")]
    DuplicateEnumName(String),
    #[error("a subject area named {0:?} already exists")]
    DuplicateAreaName(String),
    #[error("{0} name must not be empty")]
    EmptyName(&'static str),
    #[error("{what} is {len} characters long; the limit is {max}")]
    NameTooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("relationship {0} has {1} child columns but {2} parent columns")]
    ColumnCountMismatch(Uuid, usize, usize),
    #[error("{0} needs at least one column")]
    NoColumns(&'static str),
    #[error("column {column} is listed twice in {what}")]
    RepeatedColumn { what: &'static str, column: Uuid },
    #[error("position {index} is out of range (length {len})")]
    IndexOutOfRange { index: usize, len: usize },
    #[error("{0} must be a finite number")]
    NotFinite(&'static str),
    #[error("{0} must be positive")]
    NotPositive(&'static str),
    #[error("{what} holds {} ({}), which {what}s may not", unicode(*.character), kind(*.character))]
    InvalidName { what: &'static str, character: char },
    #[error("{what} holds {} ({}), which it may not", unicode(*.character), kind(*.character))]
    InvalidText { what: &'static str, character: char },
    #[error("data type {0:?} is not a type name: {1}")]
    InvalidDataType(String, &'static str),
    #[error("{what} is not one piece of SQL: {why}")]
    InvalidSql {
        what: &'static str,
        why: &'static str,
    },
    #[error("{what} {value:?} is not a CSS colour (hex, rgb(), hsl() or a colour name)")]
    InvalidColor { what: &'static str, value: String },
    #[error("{what} is {value}; it must lie within ±{max}")]
    OutOfRange {
        what: &'static str,
        value: f64,
        max: f64,
    },
}

fn unicode(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

fn kind(c: char) -> &'static str {
    if c.is_control() {
        "a control character"
    } else {
        "a bidirectional-text control"
    }
}

fn schema_suffix(schema: &Option<String>) -> String {
    schema
        .as_ref()
        .map(|s| format!(" in schema {s:?}"))
        .unwrap_or_default()
}

impl OpError {
    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownTable(_) => "unknown_table",
            Self::UnknownColumn { .. } => "unknown_column",
            Self::UnknownIndex { .. } => "unknown_index",
            Self::UnknownCheck { .. } => "unknown_check",
            Self::UnknownRelationship(_) => "unknown_relationship",
            Self::UnknownNote(_) => "unknown_note",
            Self::UnknownEnum(_) => "unknown_enum",
            Self::UnknownArea(_) => "unknown_area",
            Self::UnknownDictionaryEntry { .. } => "unknown_dictionary_entry",
            Self::DuplicateDictionaryEntry { .. } => "duplicate_dictionary_entry",
            Self::DomainTypeMismatch { .. } => "domain_type_mismatch",
            Self::NoAbbreviation(_) => "no_abbreviation",
            Self::DuplicateId(_) => "duplicate_id",
            Self::DuplicateTableName { .. } => "duplicate_table_name",
            Self::DuplicateColumnName { .. } => "duplicate_column_name",
            Self::DuplicateIndexName { .. } => "duplicate_index_name",
            Self::DuplicateCheckName { .. } => "duplicate_check_name",
            Self::DuplicateEnumName(_) => "duplicate_enum_name",
            Self::DuplicateAreaName(_) => "duplicate_area_name",
            Self::EmptyName(_) => "empty_name",
            Self::NameTooLong { .. } => "name_too_long",
            Self::ColumnCountMismatch(..) => "column_count_mismatch",
            Self::NoColumns(_) => "no_columns",
            Self::RepeatedColumn { .. } => "repeated_column",
            Self::IndexOutOfRange { .. } => "index_out_of_range",
            Self::NotFinite(_) => "not_finite",
            Self::NotPositive(_) => "not_positive",
            Self::InvalidName { .. } => "invalid_name",
            Self::InvalidText { .. } => "invalid_text",
            Self::InvalidDataType(..) => "invalid_data_type",
            Self::InvalidSql { .. } => "invalid_sql",
            Self::InvalidColor { .. } => "invalid_color",
            Self::OutOfRange { .. } => "out_of_range",
        }
    }
}
