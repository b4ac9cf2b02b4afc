//! Random edits for property tests (feature `testing`): abstract steps that pick among the
//! entities a document has, so most become meaningful ops.

use proptest::prelude::*;

use crate::{Area, Column, ColumnPatch, Diagram, Op, Relationship, Table, TableMove, TablePatch};

/// An abstract edit; `pick` chooses among existing entities, so most ops are meaningful.
#[derive(Debug, Clone)]
pub enum Step {
    AddTable(String),
    RemoveTable(usize),
    RenameTable(usize, String),
    Move(usize, i32, i32),
    AddColumn(usize, String),
    RemoveColumn(usize, usize),
    FlagColumn(usize, usize, bool),
    MoveColumn(usize, usize, usize),
    Link(usize, usize),
    Unlink(usize),
    AddArea(String),
    RemoveArea(usize),
    /// Puts a table in an area (the first number) or, past the areas, in none.
    JoinArea(usize, usize),
}

pub fn step() -> impl Strategy<Value = Step> {
    let name = "[a-c]{1,2}";
    prop_oneof![
        name.prop_map(Step::AddTable),
        any::<usize>().prop_map(Step::RemoveTable),
        (any::<usize>(), name).prop_map(|(i, n)| Step::RenameTable(i, n)),
        (any::<usize>(), -500..500i32, -500..500i32).prop_map(|(i, x, y)| Step::Move(i, x, y)),
        (any::<usize>(), name).prop_map(|(i, n)| Step::AddColumn(i, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, c)| Step::RemoveColumn(i, c)),
        (any::<usize>(), any::<usize>(), any::<bool>())
            .prop_map(|(i, c, b)| Step::FlagColumn(i, c, b)),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(i, c, t)| Step::MoveColumn(i, c, t)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Step::Link(a, b)),
        any::<usize>().prop_map(Step::Unlink),
        name.prop_map(Step::AddArea),
        any::<usize>().prop_map(Step::RemoveArea),
        (any::<usize>(), any::<usize>()).prop_map(|(i, a)| Step::JoinArea(i, a)),
    ]
}

/// Turns a step into an op against the current document (it may still be invalid, on purpose).
pub fn to_op(doc: &Diagram, step: Step) -> Option<Op> {
    let table = |i: usize| doc.tables.get(i % doc.tables.len().max(1));
    Some(match step {
        Step::AddTable(name) => Op::AddTable {
            table: Table::new(name),
            at: None,
        },
        Step::RemoveTable(i) => Op::RemoveTable {
            table_id: table(i)?.id,
        },
        Step::RenameTable(i, name) => Op::UpdateTable {
            table_id: table(i)?.id,
            patch: TablePatch {
                name: Some(name),
                ..Default::default()
            },
        },
        Step::Move(i, x, y) => Op::MoveTables {
            moves: vec![TableMove {
                table_id: table(i)?.id,
                x: x.into(),
                y: y.into(),
                by_hand: false,
            }],
        },
        Step::AddColumn(i, name) => Op::AddColumn {
            table_id: table(i)?.id,
            column: Column::new(name, "int"),
            at: None,
        },
        Step::RemoveColumn(i, c) => {
            let t = table(i)?;
            Op::RemoveColumn {
                table_id: t.id,
                column_id: t.columns.get(c % t.columns.len().max(1))?.id,
            }
        }
        Step::FlagColumn(i, c, on) => {
            let t = table(i)?;
            Op::UpdateColumn {
                table_id: t.id,
                column_id: t.columns.get(c % t.columns.len().max(1))?.id,
                patch: ColumnPatch {
                    primary_key: Some(on),
                    nullable: Some(!on),
                    ..Default::default()
                },
            }
        }
        Step::MoveColumn(i, c, to) => {
            let t = table(i)?;
            let n = t.columns.len().max(1);
            Op::MoveColumn {
                table_id: t.id,
                column_id: t.columns.get(c % n)?.id,
                to: to % n,
            }
        }
        Step::Link(a, b) => {
            let (child, parent) = (table(a)?, table(b)?);
            Op::AddRelationship {
                relationship: Relationship::new(
                    (child.id, vec![child.columns.first()?.id]),
                    (parent.id, vec![parent.columns.first()?.id]),
                ),
                at: None,
            }
        }
        Step::Unlink(r) => Op::RemoveRelationship {
            relationship_id: doc
                .relationships
                .get(r % doc.relationships.len().max(1))?
                .id,
        },
        Step::AddArea(name) => Op::AddArea {
            area: Area::new(name),
            at: None,
        },
        Step::RemoveArea(a) => Op::RemoveArea {
            area_id: doc.areas.get(a % doc.areas.len().max(1))?.id,
        },
        Step::JoinArea(i, a) => Op::UpdateTable {
            table_id: table(i)?.id,
            patch: TablePatch {
                area: Some(doc.areas.get(a % (doc.areas.len() + 1)).map(|a| a.id)),
                ..Default::default()
            },
        },
    })
}
