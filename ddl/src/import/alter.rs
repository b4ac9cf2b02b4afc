//! Statements that change tables already read: ALTER TABLE, CREATE INDEX, COMMENT ON, and
//! PostgreSQL enum types.

use model::EnumType;
use sqlparser::ast::{
    AlterColumnOperation, AlterTable, AlterTableOperation, ColumnOption, CommentObject,
    CreateIndex, DataType, ObjectName, RenameTableNameKind, Statement,
    UserDefinedTypeRepresentation,
};

use super::build::{Builder, IndexRead};
use super::columns::{ColumnRead, apply_option, column, type_text};
use super::names::{ident, last, qualified};
use super::rewrite::Computed;

impl Builder {
    /// Applies one parsed schema statement that started at `line`.
    pub(crate) fn apply(&mut self, statement: &Statement, line: usize, computed: &[Computed]) {
        match statement {
            Statement::CreateTable(ct) if ct.temporary => self.skip(line, "CREATE TEMPORARY TABLE"),
            Statement::CreateTable(ct) => self.create_table(ct, line, computed),
            Statement::AlterTable(at) => self.alter_table(at, line),
            Statement::CreateIndex(ci) => self.create_index(ci, line),
            Statement::CreateType {
                name,
                representation: Some(UserDefinedTypeRepresentation::Enum { labels }),
            } => {
                let q = qualified(name, self.dialect);
                let values = labels.iter().map(ident).collect();
                if let Some(i) = self
                    .diagram
                    .enums
                    .iter()
                    .position(|e| e.name == q.name && e.schema == q.schema)
                {
                    self.warn(
                        line,
                        format!("type {q} is created again; the last definition is kept"),
                    );
                    self.diagram.enums.remove(i);
                }
                let id = self.ids.next();
                self.diagram.enums.push(EnumType {
                    id,
                    name: q.name,
                    schema: q.schema,
                    values,
                });
            }
            Statement::CreateType { .. } => self.skip(line, "CREATE TYPE"),
            Statement::Comment {
                object_type,
                object_name,
                comment,
                ..
            } => self.comment(
                *object_type,
                object_name,
                comment.clone().unwrap_or_default(),
                line,
            ),
            _ => self.skip(line, "other"),
        }
    }

    fn table_or_warn(&mut self, name: &ObjectName, line: usize, what: &str) -> Option<usize> {
        let q = qualified(name, self.dialect);
        let found = self.find_table(&q);
        if found.is_none() {
            self.warn(line, format!("{what} on unknown table {q}; not applied"));
        }
        found
    }

    fn alter_table(&mut self, at: &AlterTable, line: usize) {
        let Some(index) = self.table_or_warn(&at.name, line, "ALTER TABLE") else {
            return;
        };
        for op in &at.operations {
            self.alter_operation(index, op, line);
        }
    }

    fn alter_operation(&mut self, index: usize, op: &AlterTableOperation, line: usize) {
        let table_name = self.diagram.tables[index].name.clone();
        match op {
            AlterTableOperation::AddConstraint { constraint, .. } => {
                self.constraint(index, constraint, line)
            }
            AlterTableOperation::AddColumn { column_def, .. } => {
                let read = column(column_def, self.dialect, &mut self.ids);
                self.add_column(index, read, line);
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                let name = ident(column_name);
                let Some(mut read) = self.take_column(index, &name, line) else {
                    return;
                };
                let col = &mut read.column;
                match op {
                    AlterColumnOperation::SetNotNull => col.nullable = false,
                    AlterColumnOperation::DropNotNull => col.nullable = true,
                    AlterColumnOperation::SetDefault { value } => apply_option(
                        &mut read,
                        &ColumnOption::Default(value.clone()),
                        None,
                        self.dialect,
                    ),
                    AlterColumnOperation::DropDefault => col.default = None,
                    AlterColumnOperation::SetDataType { data_type, .. } => {
                        col.data_type = type_text(data_type)
                    }
                    AlterColumnOperation::AddGenerated { .. } => col.auto_increment = true,
                    other => self.warn(
                        line,
                        format!("{table_name}: ALTER COLUMN {name} {other} not applied"),
                    ),
                }
                self.put_column(index, read, line);
            }
            AlterTableOperation::ModifyColumn {
                col_name,
                data_type,
                options,
                ..
            } => {
                self.redefine(
                    index,
                    &ident(col_name),
                    &ident(col_name),
                    data_type,
                    options,
                    line,
                );
            }
            AlterTableOperation::ChangeColumn {
                old_name,
                new_name,
                data_type,
                options,
                ..
            } => {
                self.redefine(
                    index,
                    &ident(old_name),
                    &ident(new_name),
                    data_type,
                    options,
                    line,
                );
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                for name in column_names.iter().map(ident) {
                    let table = &mut self.diagram.tables[index];
                    if let Some(pos) = table
                        .columns
                        .iter()
                        .position(|c| c.name.eq_ignore_ascii_case(&name))
                    {
                        let id = table.columns.remove(pos).id;
                        table.indexes.retain(|ix| !ix.columns.contains(&id));
                    }
                }
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } => {
                let (old, new) = (ident(old_column_name), ident(new_column_name));
                let table = &mut self.diagram.tables[index];
                let id = table.id;
                if let Some(col) = table
                    .columns
                    .iter_mut()
                    .find(|c| c.name.eq_ignore_ascii_case(&old))
                {
                    col.name = new.clone();
                }
                for p in self.pending.iter_mut().filter(|p| p.child == id) {
                    for c in
                        p.fk.columns
                            .iter_mut()
                            .filter(|c| c.eq_ignore_ascii_case(&old))
                    {
                        c.clone_from(&new);
                    }
                }
            }
            AlterTableOperation::RenameTable { table_name } => {
                let (RenameTableNameKind::As(to) | RenameTableNameKind::To(to)) = table_name;
                let to = qualified(to, self.dialect);
                self.rename_table(index, to);
            }
            AlterTableOperation::DropPrimaryKey { .. } => {
                for col in &mut self.diagram.tables[index].columns {
                    col.primary_key = false;
                }
            }
            AlterTableOperation::DropConstraint { name, .. }
            | AlterTableOperation::DropForeignKey { name, .. }
            | AlterTableOperation::DropIndex { name } => {
                let name = ident(name);
                let id = self.diagram.tables[index].id;
                self.pending
                    .retain(|p| !(p.child == id && p.fk.name == name));
                self.diagram.tables[index]
                    .indexes
                    .retain(|ix| ix.name != name);
            }
            AlterTableOperation::OwnerTo { .. }
            | AlterTableOperation::EnableTrigger { .. }
            | AlterTableOperation::DisableTrigger { .. }
            | AlterTableOperation::EnableRowLevelSecurity
            | AlterTableOperation::DisableRowLevelSecurity
            | AlterTableOperation::Algorithm { .. } => {}
            other => self.warn(
                line,
                format!("{table_name}: ALTER TABLE … {other} not applied"),
            ),
        }
    }

    /// MySQL `MODIFY`/`CHANGE`: the column is defined anew (its key flags stay).
    fn redefine(
        &mut self,
        index: usize,
        old: &str,
        new: &str,
        data_type: &DataType,
        options: &[ColumnOption],
        line: usize,
    ) {
        let Some(mut read) = self.take_column(index, old, line) else {
            return;
        };
        read.column.name = new.to_string();
        read.column.data_type = type_text(data_type);
        read.column.nullable = !read.column.primary_key;
        read.column.default = None;
        for option in options {
            apply_option(&mut read, option, None, self.dialect);
        }
        self.put_column(index, read, line);
    }

    /// A copy of a column to change, with its position kept by `put_column`.
    fn take_column(&mut self, index: usize, name: &str, line: usize) -> Option<ColumnRead> {
        let table = &self.diagram.tables[index];
        match table
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
        {
            Some(c) => Some(ColumnRead {
                column: c.clone(),
                foreign_keys: Vec::new(),
                checks: Vec::new(),
                dropped: Vec::new(),
            }),
            None => {
                let t = table.name.clone();
                self.warn(
                    line,
                    format!("{t}: column {name} does not exist; change not applied"),
                );
                None
            }
        }
    }

    fn put_column(&mut self, index: usize, read: ColumnRead, line: usize) {
        let table = &mut self.diagram.tables[index];
        if let Some(col) = table.columns.iter_mut().find(|c| c.id == read.column.id) {
            *col = read.column.clone();
        }
        self.after_column(index, read, line);
    }

    fn add_column(&mut self, index: usize, read: ColumnRead, line: usize) {
        let table = &mut self.diagram.tables[index];
        if table.column_named(&read.column.name).is_some() {
            let t = table.name.clone();
            self.warn(
                line,
                format!(
                    "{t}: column {} already exists; not added again",
                    read.column.name
                ),
            );
            return;
        }
        table.columns.push(read.column.clone());
        self.after_column(index, read, line);
    }

    fn after_column(&mut self, index: usize, read: ColumnRead, line: usize) {
        let table = &self.diagram.tables[index];
        let (id, name) = (table.id, table.name.clone());
        for (check, sql) in read.checks {
            self.add_check(index, check, sql, Some(read.column.id), line);
        }
        for fk in read.foreign_keys {
            self.pending.push(super::relations::PendingForeignKey {
                child: id,
                line,
                fk,
            });
        }
        for d in read.dropped {
            self.warn(line, format!("{name}: {d} not kept"));
        }
    }

    fn create_index(&mut self, ci: &CreateIndex, line: usize) {
        let Some(index) = self.table_or_warn(&ci.table_name, line, "CREATE INDEX") else {
            return;
        };
        let parts = self.key_parts(index, &ci.columns, line);
        // B-tree is every database's default; another method is written where it was read.
        let method = ci
            .using
            .as_ref()
            .map(|m| m.to_string().to_ascii_lowercase())
            .filter(|m| m != "btree");
        let read = IndexRead {
            name: ci.name.as_ref().map(last),
            parts,
            unique: ci.unique,
            predicate: ci.predicate.as_ref().map(|p| p.to_string()),
            method,
            include: ci.include.iter().map(ident).collect(),
        };
        self.add_index(index, read, line);
    }

    fn comment(&mut self, object: CommentObject, name: &ObjectName, text: String, line: usize) {
        match object {
            CommentObject::Table => {
                if let Some(i) = self.table_or_warn(name, line, "COMMENT") {
                    self.diagram.tables[i].comment = text;
                }
            }
            CommentObject::Column => {
                let Some((column, table)) = name.0.split_last() else {
                    return;
                };
                let table = ObjectName(table.to_vec());
                let column = last(&ObjectName(vec![column.clone()]));
                let Some(i) = self.table_or_warn(&table, line, "COMMENT") else {
                    return;
                };
                let t = &mut self.diagram.tables[i];
                match t
                    .columns
                    .iter_mut()
                    .find(|c| c.name.eq_ignore_ascii_case(&column))
                {
                    Some(col) => col.comment = text,
                    None => {
                        let t = t.name.clone();
                        self.warn(line, format!("COMMENT on unknown column {t}.{column}"));
                    }
                }
            }
            other => self.skip(
                line,
                format!("COMMENT ON {}", format!("{other:?}").to_uppercase()),
            ),
        }
    }
}
