//! Ids for imported entities without a system call each.
//!
//! `Uuid::new_v4` asks the operating system for randomness every time; a 1,000-table schema
//! needs over ten thousand ids, which cost about a tenth of the import. One random seed per
//! import drives a SplitMix64 stream instead, shaped as version-4 UUIDs.

use model::{Column, Relationship, Table, Uuid};

pub(crate) struct Ids {
    state: u64,
}

impl Ids {
    pub(crate) fn new() -> Self {
        let seed = Uuid::new_v4().as_u128();
        Self {
            state: (seed as u64) ^ ((seed >> 64) as u64),
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn next(&mut self) -> Uuid {
        let bits = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        let version = (bits & !(0xF << 76)) | (0x4 << 76);
        let variant = (version & !(0x3 << 62)) | (0x2 << 62);
        Uuid::from_u128(variant)
    }

    /// `Column::new` with the next id.
    pub(crate) fn column(&mut self, name: String, data_type: String) -> Column {
        Column::with_id(self.next(), name, data_type)
    }

    /// `Table::empty` with the next id and no columns.
    pub(crate) fn table(&mut self, name: String) -> Table {
        Table::empty_with_id(self.next(), name, Vec::new())
    }

    /// `Relationship::new` with the next id: non-identifying one-to-many.
    pub(crate) fn relationship(
        &mut self,
        child: (Uuid, Vec<Uuid>),
        parent: (Uuid, Vec<Uuid>),
    ) -> Relationship {
        Relationship::with_id(self.next(), child, parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_distinct_version_4_uuids() {
        let mut ids = Ids::new();
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            let id = ids.next();
            assert_eq!(id.get_version_num(), 4);
            assert_eq!(id.as_bytes()[8] >> 6, 0b10, "RFC 4122 variant");
            assert!(seen.insert(id));
        }
        assert_ne!(Ids::new().next(), Ids::new().next());
    }
}
