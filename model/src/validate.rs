//! The rules a valid document keeps. Ops check them before changing anything, and
//! [`Diagram::validate`] checks a whole document (for imports and restores).

use std::hash::Hash;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use uuid::Uuid;

use crate::diagram::{Area, Check, Column, Diagram, EnumType, Index, Note, Relationship, Table};
use crate::dictionary::{Dictionary, Domain, Term, Word, ops};
use crate::error::OpError;
use crate::patch::{ColumnPatch, NotePatch, TablePatch};

/// Longest accepted name (table, column, index, relationship, diagram), in characters. Every target
/// database has a lower limit of its own; this one only keeps documents sane.
pub const MAX_NAME_LEN: usize = 255;

thread_local! {
    static TRUSTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work` with the rules on what fields hold turned off (the document's shape is still
/// checked): for replaying recorded history and applying inverses, which put back values that
/// were stored under earlier rules and must not fail on them now.
pub fn trusted<T>(work: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            TRUSTED.set(self.0);
        }
    }
    let _restore = Restore(TRUSTED.replace(true));
    work()
}

/// Whether field rules apply now (see [`trusted`]).
fn checking_fields() -> bool {
    !TRUSTED.get()
}

pub(crate) fn name(what: &'static str, value: &str) -> Result<(), OpError> {
    if value.chars().all(char::is_whitespace) {
        return Err(OpError::EmptyName(what));
    }
    optional_name(what, value)
}

pub(crate) fn optional_name(what: &'static str, value: &str) -> Result<(), OpError> {
    if checking_fields()
        && let Some(character) = value.chars().find(|&c| is_forbidden_in_name(c))
    {
        return Err(OpError::InvalidName { what, character });
    }
    if value.len() <= MAX_NAME_LEN {
        return Ok(()); // no more characters than bytes
    }
    let len = value.chars().count();
    if len > MAX_NAME_LEN {
        return Err(OpError::NameTooLong {
            what,
            len,
            max: MAX_NAME_LEN,
        });
    }
    Ok(())
}

/// The characters that make text display in another order than it is stored ("Trojan Source"):
/// embeddings, overrides, isolates and the invisible direction marks.
fn is_bidi_control(c: char) -> bool {
    is_bidi_override(c) || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The embeddings, overrides and isolates, which reorder the text around them. (The direction
/// marks are routine in right-to-left prose, so free text keeps them.)
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters a name may not hold: controls, the line and paragraph separators, and the
/// bidirectional controls.
fn is_forbidden_in_name(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_bidi_control(c)
}

/// Free text (comments, note text, defaults): line breaks and tabs are text, other control and
/// bidirectional characters are not. Sizes are the server's to limit.
pub(crate) fn text(what: &'static str, value: &str) -> Result<(), OpError> {
    if !checking_fields() {
        return Ok(());
    }
    let bad = |c: char| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_bidi_override(c);
    match value.chars().find(|&c| bad(c)) {
        Some(character) => Err(OpError::InvalidText { what, character }),
        None => Ok(()),
    }
}

/// A data type is written into DDL as it is, so it must read as one type: no control
/// characters, quotes closed, brackets balanced, and no statement end or comment outside quotes.
/// It may be empty: SQLite columns need no type.
pub(crate) fn data_type(value: &str) -> Result<(), OpError> {
    if !checking_fields() {
        return Ok(());
    }
    if value.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(OpError::InvalidDataType(
            value.to_string(),
            "it holds a control character",
        ));
    }
    one_piece(value).map_err(|why| OpError::InvalidDataType(value.to_string(), why))
}

/// SQL that export writes as it is (an index expression or condition): one piece, as a data
/// type is, though it may span lines.
pub(crate) fn sql_piece(what: &'static str, value: &str) -> Result<(), OpError> {
    if value.trim().is_empty() {
        return Err(OpError::InvalidSql {
            what,
            why: "it is empty",
        });
    }
    text(what, value)?;
    if !checking_fields() {
        return Ok(());
    }
    one_piece(value).map_err(|why| OpError::InvalidSql { what, why })
}

/// Quotes closed, brackets balanced, no statement end or comment outside quotes.
fn one_piece(value: &str) -> Result<(), &'static str> {
    let refuse = Err;
    let mut quote: Option<char> = None;
    let mut depth = 0usize;
    let mut previous = ' ';
    for c in value.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' | '`' => quote = Some(c),
                // SQL Server's [quoted] names and PostgreSQL's arrays (int[], text[3]) alike.
                '[' => quote = Some(']'),
                '(' => depth += 1,
                ')' if depth > 0 => depth -= 1,
                ')' | ']' => return refuse("a bracket closes that was not opened"),
                ';' => return refuse("it holds a statement end (;)"),
                '-' if previous == '-' => return refuse("it holds a comment (--)"),
                '*' if previous == '/' => return refuse("it holds a comment (/*)"),
                _ => {}
            },
        }
        previous = c;
    }
    if quote.is_some() {
        return refuse("a quote is not closed");
    }
    if depth != 0 {
        return refuse("a bracket is not closed");
    }
    Ok(())
}

/// A table or note colour: empty (the default) or a CSS colour, nothing else that CSS or SVG
/// would read (a `url(…)` would make every viewer's browser fetch it).
pub(crate) fn color(what: &'static str, value: &str) -> Result<(), OpError> {
    if value.is_empty() || !checking_fields() || crate::color::is_css_color(value) {
        return Ok(());
    }
    Err(OpError::InvalidColor {
        what,
        value: value.chars().take(64).collect(),
    })
}

/// `value` when it is a colour a style or an SVG may carry, else "" (the default colour): for
/// documents stored before colours were checked.
pub fn shown_color(value: &str) -> &str {
    if color("colour", value).is_ok() {
        value
    } else {
        ""
    }
}

/// How far from the origin a card or note may be placed, in canvas pixels: far beyond any real
/// diagram, near enough that the view and image export still compute with it.
pub const MAX_COORDINATE: f64 = 10_000_000.0;

/// How large a note may be drawn, in canvas pixels.
pub const MAX_NOTE_SIZE: f64 = 100_000.0;

pub(crate) fn finite(what: &'static str, value: f64) -> Result<(), OpError> {
    within(what, value, MAX_COORDINATE)
}

fn within(what: &'static str, value: f64, max: f64) -> Result<(), OpError> {
    if !value.is_finite() {
        return Err(OpError::NotFinite(what));
    }
    if value.abs() > max && checking_fields() {
        return Err(OpError::OutOfRange { what, value, max });
    }
    Ok(())
}

/// A table's own fields (not its columns or indexes).
pub(crate) fn table_fields(table: &Table) -> Result<(), OpError> {
    name("table", &table.name)?;
    optional_name("logical name", &table.logical_name)?;
    if let Some(schema) = &table.schema {
        name("schema", schema)?;
    }
    text("comment", &table.comment)?;
    color("colour", &table.color)?;
    finite("x", table.x)?;
    finite("y", table.y)
}

/// The fields a table patch sets (the others may hold values stored before a rule existed).
pub(crate) fn table_patch(patch: &TablePatch) -> Result<(), OpError> {
    if let Some(name) = &patch.name {
        self::name("table", name)?;
    }
    if let Some(logical) = &patch.logical_name {
        optional_name("logical name", logical)?;
    }
    if let Some(Some(schema)) = &patch.schema {
        name("schema", schema)?;
    }
    if let Some(comment) = &patch.comment {
        text("comment", comment)?;
    }
    if let Some(colour) = &patch.color {
        color("colour", colour)?;
    }
    Ok(())
}

/// The fields a column patch sets.
pub(crate) fn column_patch(patch: &ColumnPatch) -> Result<(), OpError> {
    if let Some(name) = &patch.name {
        self::name("column", name)?;
    }
    if let Some(logical) = &patch.logical_name {
        optional_name("logical name", logical)?;
    }
    if let Some(data_type) = &patch.data_type {
        self::data_type(data_type)?;
    }
    if let Some(Some(default)) = &patch.default {
        text("default", default)?;
    }
    if let Some(comment) = &patch.comment {
        text("comment", comment)?;
    }
    Ok(())
}

/// The fields a note patch sets.
pub(crate) fn note_patch(patch: &NotePatch) -> Result<(), OpError> {
    if let Some(text) = &patch.text {
        self::text("note text", text)?;
    }
    if let Some(colour) = &patch.color {
        color("colour", colour)?;
    }
    for (what, value) in [("x", patch.x), ("y", patch.y)] {
        if let Some(value) = value {
            finite(what, value)?;
        }
    }
    for (what, value) in [("width", patch.width), ("height", patch.height)] {
        if let Some(value) = value {
            within(what, value, MAX_NOTE_SIZE)?;
            if value <= 0.0 {
                return Err(OpError::NotPositive(what));
            }
        }
    }
    Ok(())
}

/// One column on its own.
pub(crate) fn column(column: &Column) -> Result<(), OpError> {
    name("column", &column.name)?;
    optional_name("logical name", &column.logical_name)?;
    data_type(&column.data_type)?;
    if let Some(default) = &column.default {
        text("default", default)?;
    }
    text("comment", &column.comment)
}

/// A table on its own: its fields, unique column names and ids, valid indexes.
pub(crate) fn table(table: &Table) -> Result<(), OpError> {
    table_with(table, Rules::All)
}

/// Which rules a whole-document check holds a document to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rules {
    /// Every rule: for documents that come in whole (imports, replacements).
    All,
    /// The document's shape (ids, references, names present and short), not the rules on what
    /// fields may hold: ops check those on what they touch, so a value stored before a rule
    /// existed does not block edits elsewhere.
    Shape,
}

/// A name in a shape check: present and not too long.
fn name_shape(what: &'static str, value: &str, rules: Rules) -> Result<(), OpError> {
    match rules {
        Rules::All => name(what, value),
        Rules::Shape if value.chars().all(char::is_whitespace) => Err(OpError::EmptyName(what)),
        Rules::Shape if value.chars().count() > MAX_NAME_LEN => Err(OpError::NameTooLong {
            what,
            len: value.chars().count(),
            max: MAX_NAME_LEN,
        }),
        Rules::Shape => Ok(()),
    }
}

fn table_with(table: &Table, rules: Rules) -> Result<(), OpError> {
    match rules {
        Rules::All => {
            table_fields(table)?;
            for column in &table.columns {
                self::column(column)?;
            }
        }
        Rules::Shape => {
            name_shape("table", &table.name, rules)?;
            for column in &table.columns {
                name_shape("column", &column.name, rules)?;
            }
        }
    }
    if let Some(column) = repeated(&table.columns, |c| c.id) {
        return Err(OpError::DuplicateId(column.id));
    }
    if let Some(column) = repeated(&table.columns, |c| c.name.as_str()) {
        return Err(OpError::DuplicateColumnName {
            table: table.id,
            name: column.name.clone(),
        });
    }
    if let Some(index) = repeated(&table.indexes, |i| i.id) {
        return Err(OpError::DuplicateId(index.id));
    }
    if let Some(index) = repeated(&table.indexes, |i| i.name.as_str()) {
        return Err(OpError::DuplicateIndexName {
            table: table.id,
            name: index.name.clone(),
        });
    }
    let columns = ColumnIds::of(table);
    for index in &table.indexes {
        name_shape("index", &index.name, rules)?;
        index_parts(table, index, &columns)?;
    }
    if let Some(check) = repeated(&table.checks, |c| c.id) {
        return Err(OpError::DuplicateId(check.id));
    }
    if let Some(check) = repeated(&table.checks, |c| c.name.to_ascii_lowercase()) {
        return Err(OpError::DuplicateCheckName {
            table: table.id,
            name: check.name.clone(),
        });
    }
    for check in &table.checks {
        name_shape("check", &check.name, rules)?;
        if rules == Rules::All {
            sql_piece("check", &check.sql)?;
        }
        if let Some(column) = check.column {
            columns.check(table, &[column], "check")?;
        }
    }
    Ok(())
}

/// Check `check` of `table` (at `at`, or a new one when `None`): named, one piece of SQL, on a
/// column of the table if on one, its id and name (case aside, as databases compare them) free
/// among the other checks.
pub(crate) fn check_in(table: &Table, check: &Check, at: Option<usize>) -> Result<(), OpError> {
    name("check", &check.name)?;
    sql_piece("check", &check.sql)?;
    if let Some(column) = check.column {
        columns_of(table, &[column], "check")?;
    }
    for (i, other) in table.checks.iter().enumerate() {
        if Some(i) == at {
            continue;
        }
        if other.id == check.id {
            return Err(OpError::DuplicateId(check.id));
        }
        if other.name.eq_ignore_ascii_case(&check.name) {
            return Err(OpError::DuplicateCheckName {
                table: table.id,
                name: check.name.clone(),
            });
        }
    }
    Ok(())
}

/// A new column may join `table`: valid, with an id and a name no column there has.
pub(crate) fn new_column(table: &Table, column: &Column) -> Result<(), OpError> {
    self::column(column)?;
    if table.columns.iter().any(|c| c.id == column.id) {
        return Err(OpError::DuplicateId(column.id));
    }
    unique_column_name(table, column, None)
}

/// No column of `table` but the one at `except` is named like `column`.
pub(crate) fn unique_column_name(
    table: &Table,
    column: &Column,
    except: Option<usize>,
) -> Result<(), OpError> {
    let clash = table
        .columns
        .iter()
        .enumerate()
        .any(|(i, c)| Some(i) != except && c.name == column.name);
    if clash {
        return Err(OpError::DuplicateColumnName {
            table: table.id,
            name: column.name.clone(),
        });
    }
    Ok(())
}

/// Index `index` of `table` (at `at`, or a new one when `None`): named, over its columns, its
/// id and name free among the other indexes.
pub(crate) fn index_in(table: &Table, index: &Index, at: Option<usize>) -> Result<(), OpError> {
    name("index", &index.name)?;
    for (i, other) in table.indexes.iter().enumerate() {
        if Some(i) == at {
            continue;
        }
        if other.id == index.id {
            return Err(OpError::DuplicateId(index.id));
        }
        if other.name == index.name {
            return Err(OpError::DuplicateIndexName {
                table: table.id,
                name: index.name.clone(),
            });
        }
    }
    index_parts(table, index, &ColumnIds::of(table))
}

/// An index's key and the rest: columns of `table`, none twice; expressions in their places;
/// descending columns of the key; included columns of the table outside the key.
fn index_parts(table: &Table, index: &Index, columns: &ColumnIds) -> Result<(), OpError> {
    if index.expressions.is_empty() || !index.columns.is_empty() {
        columns.check(table, &index.columns, "an index")?;
    }
    let len = index.columns.len() + index.expressions.len();
    for e in &index.expressions {
        sql_piece("an index expression", &e.sql)?;
        if e.at >= len {
            return Err(OpError::IndexOutOfRange { index: e.at, len });
        }
    }
    if let Some(e) = repeated(&index.expressions, |e| e.at) {
        return Err(OpError::IndexOutOfRange { index: e.at, len });
    }
    if let Some(&column) = index.descending.iter().find(|c| !index.columns.contains(c)) {
        return Err(OpError::UnknownColumn {
            table: table.id,
            column,
        });
    }
    if !index.include.is_empty() {
        columns.check(table, &index.include, "an index's included columns")?;
        if let Some(&column) = index.include.iter().find(|c| index.columns.contains(c)) {
            return Err(OpError::RepeatedColumn {
                what: "an index (key and included)",
                column,
            });
        }
    }
    if let Some(c) = index
        .classes
        .iter()
        .find(|c| !index.columns.contains(&c.column))
    {
        return Err(OpError::UnknownColumn {
            table: table.id,
            column: c.column,
        });
    }
    for c in &index.classes {
        one_word("an operator class", &c.class)?;
    }
    if let Some(predicate) = &index.predicate {
        sql_piece("an index condition", predicate)?;
    }
    if let Some(method) = &index.method {
        one_word("an index method", method)?;
    }
    Ok(())
}

/// A name written unquoted into DDL (an index method, an operator class): letters, digits and
/// `_`, with a schema before a dot.
fn one_word(what: &'static str, value: &str) -> Result<(), OpError> {
    let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if value.split('.').all(word) {
        Ok(())
    } else {
        Err(OpError::InvalidSql {
            what,
            why: "it is not one word",
        })
    }
}

/// The first item of `items` whose key an earlier one has: compared pairwise in short lists
/// (most tables; no allocation), through a hash set in long ones.
fn repeated<'a, E, K: Eq + Hash>(items: &'a [E], key: impl Fn(&'a E) -> K) -> Option<&'a E> {
    if items.len() <= 24 {
        return items
            .iter()
            .enumerate()
            .find(|(i, item)| items[..*i].iter().any(|other| key(other) == key(item)))
            .map(|(_, item)| item);
    }
    let mut seen = HashSet::with_capacity(items.len());
    items.iter().find(|item| !seen.insert(key(item)))
}

/// Looks up a table's column ids: by scanning a short table, through a set for a long one, so
/// checking an index or relationship costs its own length, not times the table's.
enum ColumnIds {
    Scan,
    Set(HashSet<Uuid>),
}

impl ColumnIds {
    fn of(table: &Table) -> Self {
        if table.columns.len() <= 24 {
            return Self::Scan;
        }
        Self::Set(table.columns.iter().map(|c| c.id).collect())
    }

    fn has(&self, table: &Table, id: Uuid) -> bool {
        match self {
            Self::Scan => table.column(id).is_some(),
            Self::Set(ids) => ids.contains(&id),
        }
    }

    /// `columns` are at least one, all of `table`, none repeated.
    fn check(&self, table: &Table, columns: &[Uuid], what: &'static str) -> Result<(), OpError> {
        if columns.is_empty() {
            return Err(OpError::NoColumns(what));
        }
        if let Some(&column) = columns.iter().find(|&&c| !self.has(table, c)) {
            return Err(OpError::UnknownColumn {
                table: table.id,
                column,
            });
        }
        match repeated(columns, |&c| c) {
            Some(&column) => Err(OpError::RepeatedColumn { what, column }),
            None => Ok(()),
        }
    }
}

fn columns_of(table: &Table, columns: &[Uuid], what: &'static str) -> Result<(), OpError> {
    ColumnIds::of(table).check(table, columns, what)
}

/// No other table in the same schema has this table's name.
pub(crate) fn unique_table_name(doc: &Diagram, table: &Table) -> Result<(), OpError> {
    let clash = doc
        .tables
        .iter()
        .any(|t| t.id != table.id && t.name == table.name && t.schema == table.schema);
    if clash {
        return Err(OpError::DuplicateTableName {
            schema: table.schema.clone(),
            name: table.name.clone(),
        });
    }
    Ok(())
}

/// A relationship joins existing columns of existing tables, pairwise.
pub(crate) fn relationship(doc: &Diagram, rel: &Relationship) -> Result<(), OpError> {
    relationship_among(rel, |id| doc.table(id))
}

/// [`relationship`], with the tables found by `table` (a map when checking them all).
fn relationship_among<'a>(
    rel: &Relationship,
    table: impl Fn(Uuid) -> Option<&'a Table>,
) -> Result<(), OpError> {
    optional_name("relationship", &rel.name)?;
    let child = table(rel.child_table).ok_or(OpError::UnknownTable(rel.child_table))?;
    let parent = table(rel.parent_table).ok_or(OpError::UnknownTable(rel.parent_table))?;
    if rel.child_columns.len() != rel.parent_columns.len() {
        return Err(OpError::ColumnCountMismatch(
            rel.id,
            rel.child_columns.len(),
            rel.parent_columns.len(),
        ));
    }
    columns_of(child, &rel.child_columns, "a relationship")?;
    columns_of(parent, &rel.parent_columns, "a relationship")
}

/// A named enum type whose name is free in its schema.
pub(crate) fn enum_type(doc: &Diagram, e: &EnumType) -> Result<(), OpError> {
    enum_values(e)?;
    if doc
        .enums
        .iter()
        .any(|o| o.id != e.id && o.name == e.name && o.schema == e.schema)
    {
        return Err(OpError::DuplicateEnumName(e.name.clone()));
    }
    Ok(())
}

pub(crate) fn note(note: &Note) -> Result<(), OpError> {
    text("note text", &note.text)?;
    color("colour", &note.color)?;
    finite("x", note.x)?;
    finite("y", note.y)?;
    for (what, size) in [("width", note.width), ("height", note.height)] {
        within(what, size, MAX_NOTE_SIZE)?;
        if size <= 0.0 {
            return Err(OpError::NotPositive(what));
        }
    }
    Ok(())
}

/// A dictionary word: a logical word, and its abbreviation or the word to use instead.
pub(crate) fn word(word: &Word) -> Result<(), OpError> {
    name("word", &word.logical)?;
    optional_name("abbreviation", &word.physical)?;
    match &word.instead {
        Some(instead) => name("word to use instead", instead)?,
        None if word.physical.trim().is_empty() => {
            return Err(OpError::NoAbbreviation(word.logical.clone()));
        }
        None => {}
    }
    text("description", &word.description)
}

pub(crate) fn term(term: &Term) -> Result<(), OpError> {
    name("term", &term.logical)?;
    name("physical name", &term.physical)?;
    text("description", &term.description)
}

pub(crate) fn domain(domain: &Domain) -> Result<(), OpError> {
    name("domain", &domain.name)?;
    data_type(&domain.data_type)?;
    if let Some(default) = &domain.default {
        sql_piece("default", default)?;
    }
    if let Some(check) = &domain.check {
        sql_piece("check", check)?;
    }
    text("description", &domain.description)
}

/// The dictionary on its own: unique ids and names, terms' domains present, and under every
/// rule valid entries. Linear: it runs after every committed batch.
fn dictionary(d: &Dictionary, rules: Rules) -> Result<(), OpError> {
    ops::all_unique(&d.words)?;
    ops::all_unique(&d.terms)?;
    ops::all_unique(&d.domains)?;
    let domains: HashSet<Uuid> = d.domains.iter().map(|x| x.id).collect();
    for t in &d.terms {
        if let Some(id) = t.domain
            && !domains.contains(&id)
        {
            return Err(OpError::UnknownDictionaryEntry { what: "domain", id });
        }
    }
    if rules == Rules::All {
        d.words.iter().try_for_each(word)?;
        d.terms.iter().try_for_each(term)?;
        d.domains.iter().try_for_each(domain)?;
    }
    Ok(())
}

/// A subject area's name, colour and comment.
pub(crate) fn area(a: &Area) -> Result<(), OpError> {
    name("area", &a.name)?;
    color("area colour", &a.color)?;
    text("comment", &a.comment)
}

/// An enum type's name and values.
fn enum_values(e: &EnumType) -> Result<(), OpError> {
    name("enum", &e.name)?;
    if let Some(schema) = &e.schema {
        name("schema", schema)?;
    }
    e.values.iter().try_for_each(|v| text("enum value", v))
}

impl Diagram {
    /// Checks every rule ops keep, for a document that did not come from ops (import, restore).
    /// Ids are unique within each kind of entity (as ops check them); kinds never mix in lookups.
    pub fn validate(&self) -> Result<(), OpError> {
        self.check(Rules::All)
    }

    /// Checks the document's shape after ops: unique ids and names, references that resolve,
    /// names present. Not what fields hold, which each op checks on what it changes: so a
    /// document stored before a field rule existed stays editable.
    pub fn validate_shape(&self) -> Result<(), OpError> {
        self.check(Rules::Shape)
    }

    fn check(&self, rules: Rules) -> Result<(), OpError> {
        name_shape("diagram", &self.name, rules)?;
        let mut tables = HashMap::with_capacity(self.tables.len());
        let mut names = HashSet::new();
        for table in &self.tables {
            if tables.insert(table.id, table).is_some() {
                return Err(OpError::DuplicateId(table.id));
            }
            table_with(table, rules)?;
            if !names.insert((table.schema.as_deref(), table.name.as_str())) {
                return Err(OpError::DuplicateTableName {
                    schema: table.schema.clone(),
                    name: table.name.clone(),
                });
            }
        }
        let mut ids = HashSet::new();
        for rel in &self.relationships {
            if !ids.insert(rel.id) {
                return Err(OpError::DuplicateId(rel.id));
            }
            relationship_among(rel, |id| tables.get(&id).copied())?;
        }
        let mut enum_names = HashSet::new();
        let mut ids = HashSet::new();
        for e in &self.enums {
            if !ids.insert(e.id) {
                return Err(OpError::DuplicateId(e.id));
            }
            match rules {
                Rules::All => enum_values(e)?,
                Rules::Shape => name_shape("enum", &e.name, rules)?,
            }
            if !enum_names.insert((e.schema.as_deref(), e.name.as_str())) {
                return Err(OpError::DuplicateEnumName(e.name.clone()));
            }
        }
        let (mut ids, mut area_names) = (HashSet::new(), HashSet::new());
        for a in &self.areas {
            if !ids.insert(a.id) {
                return Err(OpError::DuplicateId(a.id));
            }
            match rules {
                Rules::All => area(a)?,
                Rules::Shape => name_shape("area", &a.name, rules)?,
            }
            if !area_names.insert(a.name.as_str()) {
                return Err(OpError::DuplicateAreaName(a.name.clone()));
            }
        }
        if let Some(area) = self
            .tables
            .iter()
            .find_map(|t| t.area.filter(|a| !ids.contains(a)))
        {
            return Err(OpError::UnknownArea(area));
        }
        dictionary(&self.dictionary, rules)?;
        for column in self.tables.iter().flat_map(|t| &t.columns) {
            ops::column_domain(self, column)?;
        }
        let mut ids = HashSet::new();
        for n in &self.notes {
            if !ids.insert(n.id) {
                return Err(OpError::DuplicateId(n.id));
            }
            if rules == Rules::All {
                note(n)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_column_names_are_found_in_short_and_long_tables() {
        for count in [3, 24, 25, 60] {
            let columns = (0..count).map(|i| Column::new(format!("c{i}"), "int"));
            let mut t = Table::empty("t", columns.collect());
            assert_eq!(table(&t), Ok(()), "{count} distinct columns");
            t.columns
                .push(Column::new(format!("c{}", count / 2), "int"));
            assert!(
                matches!(table(&t), Err(OpError::DuplicateColumnName { ref name, .. }) if *name == format!("c{}", count / 2)),
                "{count} columns and a repeat"
            );
        }
        assert_eq!(repeated(&[1, 2, 3, 2, 1], |&x| x), Some(&2));
        assert_eq!(
            repeated(&(0..100).chain([7]).collect::<Vec<_>>(), |&x| x),
            Some(&7)
        );
    }
}
