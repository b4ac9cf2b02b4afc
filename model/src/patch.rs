//! Partial updates: every field is optional, and applying a patch yields the patch that undoes it.

use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

use crate::Dialect;
use crate::diagram::{
    Action, Area, Cardinality, Check, Column, ColumnClass, Index, KeyExpression, Note,
    Relationship, Table,
};

/// Reads a present JSON field (even `null`) as `Some(..)`, so `"default": null` clears a default
/// while a missing field leaves it alone.
fn present<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// Declares a patch struct over some fields of an entity, and `apply_to`, which swaps the patch's
/// values into the entity and returns the old values as the inverse patch.
macro_rules! patch {
    (
        $(#[$meta:meta])*
        $name:ident for $entity:ty {
            $( $field:ident : $ty:ty ),* $(,)?
        }
        clearable { $( $cfield:ident : $cty:ty ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            $(
                #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
                pub $cfield: Option<Option<$cty>>,
            )*
        }

        impl $name {
            /// Writes the patch into `target`, returning the patch that restores the old values.
            pub(crate) fn apply_to(self, target: &mut $entity) -> Self {
                let mut inverse = Self::default();
                $(
                    if let Some(value) = self.$field {
                        inverse.$field = Some(std::mem::replace(&mut target.$field, value));
                    }
                )*
                $(
                    if let Some(value) = self.$cfield {
                        inverse.$cfield = Some(std::mem::replace(&mut target.$cfield, value));
                    }
                )*
                inverse
            }
        }
    };
}

patch! {
    /// Changes to a table's own fields (columns, indexes and position have their own ops).
    TablePatch for Table {
        name: String,
        logical_name: String,
        comment: String,
        color: String,
    }
    clearable { schema: String, area: Uuid }
}

patch! {
    /// Changes to a subject area (its tables join and leave it by [`TablePatch::area`]).
    AreaPatch for Area {
        name: String,
        color: String,
        comment: String,
    }
    clearable {}
}

patch! {
    /// Changes to one column.
    ColumnPatch for Column {
        name: String,
        logical_name: String,
        data_type: String,
        nullable: bool,
        primary_key: bool,
        unique: bool,
        auto_increment: bool,
        on_update_now: bool,
        comment: String,
    }
    clearable { default: String, domain: Uuid }
}

patch! {
    /// Changes to one index.
    IndexPatch for Index {
        name: String,
        columns: Vec<Uuid>,
        unique: bool,
        descending: Vec<Uuid>,
        expressions: Vec<KeyExpression>,
        include: Vec<Uuid>,
        classes: Vec<ColumnClass>,
    }
    clearable { predicate: String, method: String, dialect: Dialect }
}

patch! {
    /// Changes to one CHECK constraint.
    CheckPatch for Check {
        name: String,
        sql: String,
    }
    clearable { column: Uuid, dialect: Dialect }
}

patch! {
    /// Changes to one relationship (its tables are fixed; its columns may change).
    RelationshipPatch for Relationship {
        name: String,
        child_columns: Vec<Uuid>,
        parent_columns: Vec<Uuid>,
        child_cardinality: Cardinality,
        parent_cardinality: Cardinality,
        identifying: bool,
        on_delete: Action,
        on_update: Action,
    }
    clearable {}
}

patch! {
    /// Changes to a note: text, colour, and its box (move and resize).
    NotePatch for Note {
        text: String,
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        color: String,
    }
    clearable {}
}
