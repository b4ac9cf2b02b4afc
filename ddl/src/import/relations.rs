//! Foreign keys to relationships, resolved once every table is known (a script may reference a
//! table it creates later), with cardinality inferred from the child's keys.

use model::{Action, Cardinality, Relationship, Table, Uuid};
use sqlparser::ast::{ForeignKeyConstraint, ReferentialAction};

use super::ids::Ids;
use super::names::{QualifiedName, ident, qualified};
use crate::Dialect;

/// A foreign key read from the script, by names, waiting for its parent table.
#[derive(Debug, Clone)]
pub(crate) struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub parent: QualifiedName,
    /// Empty means the parent's primary key.
    pub parent_columns: Vec<String>,
    pub on_delete: Action,
    pub on_update: Action,
}

/// A foreign key attached to the child table it belongs to.
#[derive(Debug, Clone)]
pub(crate) struct PendingForeignKey {
    pub child: Uuid,
    pub line: usize,
    pub fk: ForeignKey,
}

pub(crate) fn foreign_key(
    fk: &ForeignKeyConstraint,
    columns: Vec<String>,
    dialect: Dialect,
) -> ForeignKey {
    ForeignKey {
        name: fk.name.as_ref().map(ident).unwrap_or_default(),
        columns,
        parent: qualified(&fk.foreign_table, dialect),
        parent_columns: fk.referred_columns.iter().map(ident).collect(),
        on_delete: action(fk.on_delete),
        on_update: action(fk.on_update),
    }
}

fn action(action: Option<ReferentialAction>) -> Action {
    match action {
        None | Some(ReferentialAction::NoAction) => Action::NoAction,
        Some(ReferentialAction::Restrict) => Action::Restrict,
        Some(ReferentialAction::Cascade) => Action::Cascade,
        Some(ReferentialAction::SetNull) => Action::SetNull,
        Some(ReferentialAction::SetDefault) => Action::SetDefault,
    }
}

/// A column of `table` by name: exact first, then ignoring case (unquoted names fold).
pub(crate) fn column_id(table: &Table, name: &str) -> Option<Uuid> {
    table
        .column_named(name)
        .or_else(|| {
            table
                .columns
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
        })
        .map(|c| c.id)
}

/// Builds the relationship between resolved tables, or says why it cannot be drawn.
pub(crate) fn relationship(
    child: &Table,
    parent: &Table,
    fk: &ForeignKey,
    ids: &mut Ids,
) -> Result<Relationship, String> {
    let parent_names: Vec<String> = if fk.parent_columns.is_empty() {
        parent.primary_key().map(|c| c.name.clone()).collect()
    } else {
        fk.parent_columns.clone()
    };
    if parent_names.len() != fk.columns.len() || fk.columns.is_empty() {
        return Err(format!(
            "foreign key {} of {} has {} column(s) but references {} in {}",
            fk.name,
            child.name,
            fk.columns.len(),
            parent_names.len(),
            parent.name
        ));
    }
    let find = |table: &Table, names: &[String]| -> Result<Vec<Uuid>, String> {
        names
            .iter()
            .map(|n| column_id(table, n).ok_or_else(|| format!("no column {n} in {}", table.name)))
            .collect()
    };
    let child_columns = find(child, &fk.columns)?;
    let parent_columns = find(parent, &parent_names)?;
    let mut rel = ids.relationship((child.id, child_columns), (parent.id, parent_columns));
    rel.name = fk.name.clone();
    rel.on_delete = fk.on_delete;
    rel.on_update = fk.on_update;
    infer_cardinality(child, &mut rel);
    Ok(rel)
}

/// One-to-many by default; one-to-one when the child's FK columns are unique (a unique
/// column, a unique index over exactly them, or its whole primary key); identifying when they
/// are part of the child's primary key; an optional parent when any FK column is nullable.
fn infer_cardinality(child: &Table, rel: &mut Relationship) {
    let fk_cols: Vec<&model::Column> = rel
        .child_columns
        .iter()
        .filter_map(|id| child.column(*id))
        .collect();
    let pk: Vec<Uuid> = child.primary_key().map(|c| c.id).collect();
    let same_set = |ids: &[Uuid]| {
        ids.len() == rel.child_columns.len() && ids.iter().all(|id| rel.child_columns.contains(id))
    };
    let unique = (fk_cols.len() == 1 && fk_cols[0].unique)
        || same_set(&pk)
        || child
            .indexes
            .iter()
            .any(|ix| ix.unique && same_set(&ix.columns));
    rel.identifying = !pk.is_empty() && rel.child_columns.iter().all(|id| pk.contains(id));
    rel.child_cardinality = if unique {
        Cardinality::ZeroOrOne
    } else {
        Cardinality::ZeroOrMany
    };
    rel.parent_cardinality = if fk_cols.iter().any(|c| c.nullable) {
        Cardinality::ZeroOrOne
    } else {
        Cardinality::ExactlyOne
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Column, Index};

    fn table(name: &str, cols: &[(&str, bool, bool)]) -> Table {
        let columns = cols
            .iter()
            .map(|(n, pk, nullable)| {
                let mut c = Column::new(*n, "int");
                c.primary_key = *pk;
                c.nullable = *nullable;
                c
            })
            .collect();
        Table::empty(name, columns)
    }

    fn fk(cols: &[&str], parent_cols: &[&str]) -> ForeignKey {
        ForeignKey {
            name: "fk".into(),
            columns: cols.iter().map(|s| s.to_string()).collect(),
            parent: QualifiedName {
                schema: None,
                name: "p".into(),
            },
            parent_columns: parent_cols.iter().map(|s| s.to_string()).collect(),
            on_delete: Action::Cascade,
            on_update: Action::NoAction,
        }
    }

    #[test]
    fn a_plain_foreign_key_is_one_to_many() {
        let parent = table("p", &[("id", true, false)]);
        let child = table("c", &[("id", true, false), ("p_id", false, false)]);
        let rel =
            relationship(&child, &parent, &fk(&["p_id"], &[]), &mut Ids::new()).expect("resolves");
        assert_eq!(rel.child_cardinality, Cardinality::ZeroOrMany);
        assert_eq!(rel.parent_cardinality, Cardinality::ExactlyOne);
        assert!(!rel.identifying);
        assert_eq!(rel.on_delete, Action::Cascade);
    }

    #[test]
    fn a_nullable_foreign_key_has_an_optional_parent() {
        let parent = table("p", &[("id", true, false)]);
        let child = table("c", &[("id", true, false), ("p_id", false, true)]);
        let rel = relationship(&child, &parent, &fk(&["P_ID"], &["ID"]), &mut Ids::new())
            .expect("resolves");
        assert_eq!(rel.parent_cardinality, Cardinality::ZeroOrOne);
    }

    #[test]
    fn a_unique_foreign_key_is_one_to_one() {
        let parent = table("p", &[("id", true, false)]);
        let mut child = table("c", &[("id", true, false), ("p_id", false, false)]);
        child.columns[1].unique = true;
        let rel = relationship(&child, &parent, &fk(&["p_id"], &["id"]), &mut Ids::new())
            .expect("resolves");
        assert_eq!(rel.child_cardinality, Cardinality::ZeroOrOne);
        child.columns[1].unique = false;
        let ids = vec![child.columns[1].id];
        child.indexes.push(Index {
            id: Uuid::new_v4(),
            name: "u".into(),
            columns: ids,
            unique: true,
            ..Default::default()
        });
        let rel = relationship(&child, &parent, &fk(&["p_id"], &["id"]), &mut Ids::new())
            .expect("resolves");
        assert_eq!(rel.child_cardinality, Cardinality::ZeroOrOne);
    }

    #[test]
    fn a_foreign_key_that_is_the_whole_pk_is_identifying_one_to_one() {
        let parent = table("p", &[("id", true, false)]);
        let child = table("c", &[("p_id", true, false), ("x", false, true)]);
        let rel = relationship(&child, &parent, &fk(&["p_id"], &["id"]), &mut Ids::new())
            .expect("resolves");
        assert!(rel.identifying);
        assert_eq!(rel.child_cardinality, Cardinality::ZeroOrOne);
    }

    #[test]
    fn a_foreign_key_inside_a_composite_pk_is_identifying_one_to_many() {
        let parent = table("p", &[("id", true, false)]);
        let child = table("c", &[("p_id", true, false), ("line", true, false)]);
        let rel = relationship(&child, &parent, &fk(&["p_id"], &["id"]), &mut Ids::new())
            .expect("resolves");
        assert!(rel.identifying);
        assert_eq!(rel.child_cardinality, Cardinality::ZeroOrMany);
    }

    #[test]
    fn mismatched_columns_are_reported() {
        let parent = table("p", &[("a", true, false), ("b", true, false)]);
        let child = table("c", &[("x", false, false)]);
        assert!(relationship(&child, &parent, &fk(&["x"], &[]), &mut Ids::new()).is_err());
        assert!(relationship(&child, &parent, &fk(&["nope"], &["a"]), &mut Ids::new()).is_err());
    }
}
