//! Changing a named enum type as one edit: its name and values, and the columns typed with it.
//!
//! The document's ops only add and remove enums; a change is the two in one batch at the same
//! place, with the columns of the old name retyped when it is renamed, so undo restores all.

use crate::diagram::{Diagram, EnumType};
use crate::op::Op;
use crate::patch::ColumnPatch;

/// Whether a column typed `data_type` uses `e`: its name, quoted or not, schema or not, case
/// aside (as the databases compare unquoted names), an array of it included (`mood[]`).
pub fn uses(e: &EnumType, data_type: &str) -> bool {
    bare(data_type).eq_ignore_ascii_case(&e.name)
}

/// The name a column's type text holds, without quotes, schema and array brackets.
fn bare(data_type: &str) -> String {
    let text: String = data_type
        .trim()
        .trim_end_matches("[]")
        .chars()
        .filter(|c| !matches!(c, '"' | '`' | '[' | ']'))
        .collect();
    text.rsplit('.').next().unwrap_or(&text).trim().to_string()
}

/// The edit that turns the diagram's enum of `next.id` into `next`; `None` when there is no
/// such enum or nothing changes. A rename retypes the columns that used the old name.
pub fn changed(doc: &Diagram, next: EnumType) -> Option<Op> {
    let at = doc.enums.iter().position(|e| e.id == next.id)?;
    let old = &doc.enums[at];
    if *old == next {
        return None;
    }
    let mut ops = vec![
        Op::RemoveEnum { enum_id: old.id },
        Op::AddEnum {
            enum_type: next.clone(),
            at: Some(at),
        },
    ];
    if old.name != next.name {
        for table in &doc.tables {
            for column in table.columns.iter().filter(|c| uses(old, &c.data_type)) {
                let array = if column.data_type.trim_end().ends_with("[]") {
                    "[]"
                } else {
                    ""
                };
                ops.push(Op::UpdateColumn {
                    table_id: table.id,
                    column_id: column.id,
                    patch: ColumnPatch {
                        data_type: Some(format!("{}{array}", next.name)),
                        ..ColumnPatch::default()
                    },
                });
            }
        }
    }
    Some(Op::Batch { ops })
}

/// How many columns of `doc` use `e`.
pub fn users(doc: &Diagram, e: &EnumType) -> usize {
    doc.tables
        .iter()
        .flat_map(|t| &t.columns)
        .filter(|c| uses(e, &c.data_type))
        .count()
}
