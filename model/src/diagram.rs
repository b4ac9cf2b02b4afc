//! The document: a diagram of tables, relationships and notes, each keyed by a UUID.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Dialect;
use crate::dictionary::Dictionary;

/// A whole diagram. Entity order is kept (it is the order of export and of the UI's lists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagram {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub tables: Vec<Table>,
    #[serde(default)]
    pub relationships: Vec<Relationship>,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Named enumerated types (PostgreSQL `CREATE TYPE … AS ENUM`); columns use them by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumType>,
    /// Subject areas: named, coloured regions of the canvas that group tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<Area>,
    /// The naming standard: words, terms, domains.
    #[serde(default, skip_serializing_if = "Dictionary::is_empty")]
    pub dictionary: Dictionary,
}

/// A named enumerated type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumType {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub schema: Option<String>,
    pub values: Vec<String>,
}

/// A subject area: a named, coloured region drawn around the tables that belong to it (a table
/// belongs to at most one). It has no place of its own: it is where its tables are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub id: Uuid,
    pub name: String,
    /// CSS colour of the region; empty means the theme's default.
    #[serde(default)]
    pub color: String,
    #[serde(default)]
    pub comment: String,
}

/// A table card: physical and logical names, its columns in order, and its indexes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub id: Uuid,
    /// Physical name, as used in DDL.
    pub name: String,
    #[serde(default)]
    pub logical_name: String,
    /// Optional namespace (`public`, `dbo`); table names are unique per schema.
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub comment: String,
    /// CSS colour of the card header; empty means the theme's default.
    #[serde(default)]
    pub color: String,
    /// The subject area it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Uuid>,
    #[serde(default)]
    pub x: f64,
    #[serde(default)]
    pub y: f64,
    /// Placed by hand (last moved by a person's drag): Auto layout can leave it where it is.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub placed: bool,
    #[serde(default)]
    pub columns: Vec<Column>,
    #[serde(default)]
    pub indexes: Vec<Index>,
    /// CHECK constraints, in the order they are written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub logical_name: String,
    /// The type as written by the person or the source DDL: `varchar(255)`, `numeric(10,2)`.
    pub data_type: String,
    #[serde(default = "yes")]
    pub nullable: bool,
    #[serde(default)]
    pub primary_key: bool,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub auto_increment: bool,
    /// Default as SQL expression text (`0`, `'draft'`, `CURRENT_TIMESTAMP`); `None` for no default.
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub comment: String,
    /// The dictionary's domain the column's type comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Uuid>,
    /// MySQL's `ON UPDATE CURRENT_TIMESTAMP`: the database sets the column to the current time
    /// whenever the row changes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_update_now: bool,
}

fn yes() -> bool {
    true
}

/// A secondary index (unique or not): its key (columns, and expressions where they stand), and
/// what some databases add to it: sort order, a condition, an access method, included columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    pub id: Uuid,
    pub name: String,
    /// The key's columns in key order; `expressions` stand between them at their places.
    #[serde(default)]
    pub columns: Vec<Uuid>,
    #[serde(default)]
    pub unique: bool,
    /// Key columns sorted descending (`DESC`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub descending: Vec<Uuid>,
    /// Key parts that are expressions (`lower(email)`), by place in the key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expressions: Vec<KeyExpression>,
    /// The condition of a partial index (`deleted_at IS NULL`), as SQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// An access method other than the database's default (`gin`, `gist`, `hash`, `brin`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Columns stored in the index beside its key (`INCLUDE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<Uuid>,
    /// Operator classes of key columns (PostgreSQL `inet_ops`, `gin_trgm_ops`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<ColumnClass>,
    /// The dialect the expressions, the condition and the method are written in: exports for
    /// other databases leave them out (and say so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<Dialect>,
}

/// An expression of an index key, at place `at` of the whole key (columns and expressions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyExpression {
    pub at: usize,
    pub sql: String,
    #[serde(default)]
    pub descending: bool,
}

/// A named CHECK constraint: a condition every row must meet, as SQL.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub id: Uuid,
    pub name: String,
    /// The condition (`price >= 0`), without the `CHECK (…)` around it.
    pub sql: String,
    /// The column it was declared on, if it was declared on one; it goes with that column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<Uuid>,
    /// The dialect the condition is written in: exports for other databases translate it, or
    /// leave it out (and say so) when they cannot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<Dialect>,
}

/// The operator class an index uses for one of its key columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnClass {
    pub column: Uuid,
    pub class: String,
}

/// One part of an index key, in key order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeyPart<'a> {
    Column { id: Uuid, descending: bool },
    Expression { sql: &'a str, descending: bool },
}

impl Index {
    /// A plain index over `columns`.
    pub fn over(id: Uuid, name: impl Into<String>, columns: Vec<Uuid>, unique: bool) -> Self {
        Index {
            id,
            name: name.into(),
            columns,
            unique,
            ..Index::default()
        }
    }

    /// The key in order: the columns, with the expressions at their places.
    pub fn key(&self) -> Vec<KeyPart<'_>> {
        let mut expressions = self.expressions.iter().collect::<Vec<_>>();
        expressions.sort_by_key(|e| e.at);
        let mut expressions = expressions.into_iter().peekable();
        let mut columns = self.columns.iter();
        let mut out = Vec::with_capacity(self.columns.len() + self.expressions.len());
        loop {
            if let Some(e) = expressions.next_if(|e| e.at <= out.len()) {
                out.push(KeyPart::Expression {
                    sql: &e.sql,
                    descending: e.descending,
                });
            } else if let Some(&id) = columns.next() {
                out.push(KeyPart::Column {
                    id,
                    descending: self.descending.contains(&id),
                });
            } else if let Some(e) = expressions.next() {
                out.push(KeyPart::Expression {
                    sql: &e.sql,
                    descending: e.descending,
                });
            } else {
                return out;
            }
        }
    }

    /// Whether the index has parts written in one dialect's SQL (expressions, a condition, a
    /// method, operator classes), which another database may not read.
    pub fn has_dialect_sql(&self) -> bool {
        !self.expressions.is_empty()
            || self.predicate.is_some()
            || self.method.is_some()
            || !self.classes.is_empty()
    }
}

/// A foreign key drawn as a line: the child's columns reference the parent's, pairwise in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relationship {
    pub id: Uuid,
    #[serde(default)]
    pub name: String,
    pub child_table: Uuid,
    pub child_columns: Vec<Uuid>,
    pub parent_table: Uuid,
    pub parent_columns: Vec<Uuid>,
    /// How many child rows one parent row has (the crow's foot at the child end).
    #[serde(default = "Cardinality::zero_or_many")]
    pub child_cardinality: Cardinality,
    /// How many parent rows one child row points at (the end at the parent).
    #[serde(default = "Cardinality::exactly_one")]
    pub parent_cardinality: Cardinality,
    /// The FK columns are part of the child's primary key (a solid line).
    #[serde(default)]
    pub identifying: bool,
    #[serde(default)]
    pub on_delete: Action,
    #[serde(default)]
    pub on_update: Action,
}

/// One end of a relationship line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cardinality {
    ExactlyOne,
    ZeroOrOne,
    OneOrMany,
    ZeroOrMany,
}

impl Cardinality {
    fn zero_or_many() -> Self {
        Self::ZeroOrMany
    }
    fn exactly_one() -> Self {
        Self::ExactlyOne
    }
}

/// Referential action of a foreign key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

/// Default width and height of a new sticky note, in canvas units.
pub const DEFAULT_NOTE_SIZE: (f64, f64) = (200.0, 120.0);

/// A sticky note on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: Uuid,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub x: f64,
    #[serde(default)]
    pub y: f64,
    #[serde(default = "note_width")]
    pub width: f64,
    #[serde(default = "note_height")]
    pub height: f64,
    #[serde(default)]
    pub color: String,
}

fn note_width() -> f64 {
    DEFAULT_NOTE_SIZE.0
}
fn note_height() -> f64 {
    DEFAULT_NOTE_SIZE.1
}

impl Diagram {
    /// An empty diagram with a fresh id.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            id: Uuid::new_v4(),
            name: name.into(),
            tables: Vec::new(),
            relationships: Vec::new(),
            notes: Vec::new(),
            enums: Vec::new(),
            areas: Vec::new(),
            dictionary: Dictionary::default(),
        }
    }

    pub fn table(&self, id: Uuid) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    pub fn table_position(&self, id: Uuid) -> Option<usize> {
        self.tables.iter().position(|t| t.id == id)
    }

    pub fn relationship(&self, id: Uuid) -> Option<&Relationship> {
        self.relationships.iter().find(|r| r.id == id)
    }

    pub fn note(&self, id: Uuid) -> Option<&Note> {
        self.notes.iter().find(|n| n.id == id)
    }

    pub fn area(&self, id: Uuid) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }

    /// The table with this physical name in this schema, if any.
    pub fn table_named(&self, schema: Option<&str>, name: &str) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.name == name && t.schema.as_deref() == schema)
    }
}

impl Table {
    /// A table with one `id` primary-key column, as the editor creates it.
    pub fn new(name: impl Into<String>) -> Self {
        let mut id = Column::new("id", "bigint");
        id.primary_key = true;
        id.nullable = false;
        id.auto_increment = true;
        Self::empty(name, vec![id])
    }

    /// A table with exactly the given columns and no indexes.
    pub fn empty(name: impl Into<String>, columns: Vec<Column>) -> Self {
        Self::empty_with_id(Uuid::new_v4(), name, columns)
    }

    /// [`Table::empty`] with a given id.
    pub fn empty_with_id(id: Uuid, name: impl Into<String>, columns: Vec<Column>) -> Self {
        Self {
            id,
            name: name.into(),
            logical_name: String::new(),
            schema: None,
            comment: String::new(),
            color: String::new(),
            area: None,
            x: 0.0,
            y: 0.0,
            placed: false,
            columns,
            indexes: Vec::new(),
            checks: Vec::new(),
        }
    }

    pub fn column(&self, id: Uuid) -> Option<&Column> {
        self.columns.iter().find(|c| c.id == id)
    }

    pub fn column_named(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The primary-key columns, in column order.
    pub fn primary_key(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| c.primary_key)
    }
}

impl Column {
    /// A nullable column with no flags, default or comment.
    pub fn new(name: impl Into<String>, data_type: impl Into<String>) -> Self {
        Self::with_id(Uuid::new_v4(), name, data_type)
    }

    /// [`Column::new`] with a given id.
    pub fn with_id(id: Uuid, name: impl Into<String>, data_type: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            logical_name: String::new(),
            data_type: data_type.into(),
            nullable: true,
            primary_key: false,
            unique: false,
            auto_increment: false,
            default: None,
            comment: String::new(),
            domain: None,
            on_update_now: false,
        }
    }
}

impl Relationship {
    /// A non-identifying one-to-many relationship between the given columns.
    pub fn new(child: (Uuid, Vec<Uuid>), parent: (Uuid, Vec<Uuid>)) -> Self {
        Self::with_id(Uuid::new_v4(), child, parent)
    }

    /// [`Relationship::new`] with a given id.
    pub fn with_id(id: Uuid, child: (Uuid, Vec<Uuid>), parent: (Uuid, Vec<Uuid>)) -> Self {
        Self {
            id,
            name: String::new(),
            child_table: child.0,
            child_columns: child.1,
            parent_table: parent.0,
            parent_columns: parent.1,
            child_cardinality: Cardinality::ZeroOrMany,
            parent_cardinality: Cardinality::ExactlyOne,
            identifying: false,
            on_delete: Action::NoAction,
            on_update: Action::NoAction,
        }
    }
}

impl Area {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            id: Uuid::new_v4(),
            name: name.into(),
            color: String::new(),
            comment: String::new(),
        }
    }
}

impl Note {
    pub fn new(text: impl Into<String>, x: f64, y: f64) -> Self {
        Self {
            id: Uuid::new_v4(),
            text: text.into(),
            x,
            y,
            width: DEFAULT_NOTE_SIZE.0,
            height: DEFAULT_NOTE_SIZE.1,
            color: String::new(),
        }
    }
}
