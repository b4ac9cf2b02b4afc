//! Subject areas: their ops. A table names its area (`Table::area`), so an area's tables are
//! found from the tables, and removing an area takes it out of them first.

use uuid::Uuid;

use crate::diagram::{Area, Diagram};
use crate::error::OpError;
use crate::op::{Op, apply_all, position};
use crate::patch::{AreaPatch, TablePatch};
use crate::validate;

pub(crate) fn add(doc: &mut Diagram, area: Area, at: Option<usize>) -> Result<Op, OpError> {
    let at = position(at, doc.areas.len())?;
    if doc.area(area.id).is_some() {
        return Err(OpError::DuplicateId(area.id));
    }
    validate::area(&area)?;
    unique_name(doc, &area)?;
    let area_id = area.id;
    doc.areas.insert(at, area);
    Ok(Op::RemoveArea { area_id })
}

/// Removes an area; its tables stay where they are, in no area. The inverse puts them back in.
pub(crate) fn remove(doc: &mut Diagram, area_id: Uuid) -> Result<Op, OpError> {
    let at = find(doc, area_id)?;
    let leave: Vec<Op> = doc
        .tables
        .iter()
        .filter(|t| t.area == Some(area_id))
        .map(|t| Op::UpdateTable {
            table_id: t.id,
            patch: TablePatch {
                area: Some(None),
                ..TablePatch::default()
            },
        })
        .collect();
    let mut inverse = apply_all(doc, leave)?;
    let area = doc.areas.remove(at);
    inverse.insert(0, Op::AddArea { area, at: Some(at) });
    Ok(Op::Batch { ops: inverse })
}

pub(crate) fn update(doc: &mut Diagram, area_id: Uuid, patch: AreaPatch) -> Result<Op, OpError> {
    let at = find(doc, area_id)?;
    let mut next = doc.areas[at].clone();
    let inverse = patch.apply_to(&mut next);
    validate::area(&next)?;
    unique_name(doc, &next)?;
    doc.areas[at] = next;
    Ok(Op::UpdateArea {
        area_id,
        patch: inverse,
    })
}

/// The part of `doc` in area `area`: its tables, the relationships between them, and what they
/// may use (enums, the dictionary), for exporting one area. `None` when there is no such area.
pub fn part(doc: &Diagram, area: Uuid) -> Option<Diagram> {
    let chosen = doc.area(area)?.clone();
    let mut part = Diagram::new(&doc.name);
    part.id = doc.id;
    part.tables = doc
        .tables
        .iter()
        .filter(|t| t.area == Some(area))
        .cloned()
        .collect();
    let inside: std::collections::HashSet<Uuid> = part.tables.iter().map(|t| t.id).collect();
    part.relationships = doc
        .relationships
        .iter()
        .filter(|r| inside.contains(&r.child_table) && inside.contains(&r.parent_table))
        .cloned()
        .collect();
    part.enums = doc.enums.clone();
    part.dictionary = doc.dictionary.clone();
    part.areas = vec![chosen];
    Some(part)
}

/// A table may only name an area the diagram has.
pub(crate) fn exists(doc: &Diagram, area: Option<Uuid>) -> Result<(), OpError> {
    match area {
        Some(id) if doc.area(id).is_none() => Err(OpError::UnknownArea(id)),
        _ => Ok(()),
    }
}

/// Area names are unique within a diagram (they are what the filter and the export list show).
pub(crate) fn unique_name(doc: &Diagram, area: &Area) -> Result<(), OpError> {
    let taken = doc
        .areas
        .iter()
        .any(|a| a.id != area.id && a.name == area.name);
    match taken {
        true => Err(OpError::DuplicateAreaName(area.name.clone())),
        false => Ok(()),
    }
}

fn find(doc: &Diagram, id: Uuid) -> Result<usize, OpError> {
    doc.areas
        .iter()
        .position(|a| a.id == id)
        .ok_or(OpError::UnknownArea(id))
}
