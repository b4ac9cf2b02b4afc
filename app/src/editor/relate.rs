//! Making and changing relationships the way a designer expects: the child gets foreign-key
//! columns matching the parent's primary key, and identifying ones join the child's key.

use leptos::prelude::Set;
use model::{Column, ColumnPatch, Op, Relationship, RelationshipPatch, Table, Uuid};

use super::state::Editor;

/// The type a foreign key to a column of `data_type` takes: the plain integer behind a serial.
fn referencing_type(data_type: &str) -> String {
    match data_type.trim().to_ascii_lowercase().as_str() {
        "serial" | "serial4" => "integer".into(),
        "bigserial" | "serial8" => "bigint".into(),
        "smallserial" | "serial2" => "smallint".into(),
        _ => data_type.to_string(),
    }
}

/// The ops that relate `child` to `parent`: FK columns named `<parent>_<column>` (reusing a child
/// column of that name), then the relationship. `None` when the parent has no primary key.
pub fn link_ops(child: &Table, parent: &Table) -> Result<Vec<Op>, String> {
    let keys: Vec<&Column> = parent.primary_key().collect();
    if keys.is_empty() {
        return Err(format!(
            "Give {} a primary key first: a relationship references it.",
            parent.name
        ));
    }
    let mut ops = Vec::new();
    let mut child_columns = Vec::new();
    for key in &keys {
        let name = format!("{}_{}", parent.name, key.name);
        match child.column_named(&name) {
            Some(existing) => child_columns.push(existing.id),
            None => {
                let mut column = Column::new(name, referencing_type(&key.data_type));
                column.nullable = false;
                column.logical_name =
                    match (parent.logical_name.is_empty(), key.logical_name.is_empty()) {
                        (false, false) => format!("{} {}", parent.logical_name, key.logical_name),
                        _ => String::new(),
                    };
                child_columns.push(column.id);
                ops.push(Op::AddColumn {
                    table_id: child.id,
                    column,
                    at: None,
                });
            }
        }
    }
    let mut rel = Relationship::new(
        (child.id, child_columns),
        (parent.id, keys.iter().map(|k| k.id).collect()),
    );
    rel.name = format!("fk_{}_{}", child.name, parent.name);
    ops.push(Op::AddRelationship {
        relationship: rel,
        at: None,
    });
    Ok(ops)
}

/// Relates two tables in one undoable step, and selects the new line.
pub fn link(editor: Editor, child: Uuid, parent: Uuid) {
    let (Some(child), Some(parent)) = (editor.table(child), editor.table(parent)) else {
        return;
    };
    match link_ops(&child, &parent) {
        Ok(ops) => {
            let id = ops.iter().find_map(|op| match op {
                Op::AddRelationship { relationship, .. } => Some(relationship.id),
                _ => None,
            });
            if editor.try_edit(Op::Batch { ops }) {
                editor.selected_rel.set(id);
            }
        }
        Err(message) => editor.problem.set(Some(message)),
    }
}

/// Makes a relationship identifying (its FK columns join the child's primary key, a solid line)
/// or not, in one step.
pub fn set_identifying(editor: Editor, rel: &Relationship, identifying: bool) {
    let mut ops = vec![Op::UpdateRelationship {
        relationship_id: rel.id,
        patch: RelationshipPatch {
            identifying: Some(identifying),
            ..Default::default()
        },
    }];
    for &column_id in &rel.child_columns {
        ops.push(Op::UpdateColumn {
            table_id: rel.child_table,
            column_id,
            patch: ColumnPatch {
                primary_key: Some(identifying),
                nullable: identifying.then_some(false),
                ..Default::default()
            },
        });
    }
    editor.try_edit(Op::Batch { ops });
}

/// Deletes a relationship, and its FK columns too when `with_columns`.
pub fn delete(editor: Editor, rel: &Relationship, with_columns: bool) {
    let mut ops = vec![Op::RemoveRelationship {
        relationship_id: rel.id,
    }];
    if with_columns {
        ops.extend(rel.child_columns.iter().map(|&column_id| Op::RemoveColumn {
            table_id: rel.child_table,
            column_id,
        }));
    }
    editor.try_edit(Op::Batch { ops });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_keys_copy_the_parent_key_and_reuse_a_same_named_column() {
        let parent = Table::new("users");
        let mut child = Table::new("orders");
        let ops = link_ops(&child, &parent).expect("parent has a key");
        let Op::AddColumn { column, .. } = &ops[0] else {
            panic!("{ops:?}")
        };
        assert_eq!(
            (
                column.name.as_str(),
                column.data_type.as_str(),
                column.nullable
            ),
            ("users_id", "bigint", false)
        );
        assert!(
            matches!(&ops[1], Op::AddRelationship { relationship, .. } if relationship.child_columns == vec![column.id])
        );

        child.columns.push(Column::new("users_id", "bigint"));
        let ops = link_ops(&child, &parent).expect("parent has a key");
        assert_eq!(ops.len(), 1, "the existing users_id is reused");

        let keyless = Table::empty("log", vec![Column::new("line", "text")]);
        assert!(link_ops(&child, &keyless).is_err());
        let mut serial = Table::new("s");
        serial.columns[0].data_type = "serial".into();
        let Op::AddColumn { column, .. } = &link_ops(&child, &serial).expect("key")[0] else {
            panic!()
        };
        assert_eq!(column.data_type, "integer");
    }
}
