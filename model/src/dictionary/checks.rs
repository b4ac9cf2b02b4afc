//! Where a diagram's names break its dictionary: unknown and forbidden words in logical names,
//! physical names that do not follow from their logical names, one logical name with several
//! types, and columns whose type is not their domain's.

use std::collections::HashMap;

use uuid::Uuid;

use super::naming::{Named, Namer, Piece};
use super::{fold, same_type, type_key};
use crate::diagram::Diagram;

/// One thing to look at, in a table or one of its columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub table: Uuid,
    pub column: Option<Uuid>,
    pub kind: FindingKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FindingKind {
    /// A word of the logical name is not in the dictionary.
    UnknownWord { word: String },
    /// A forbidden synonym is used.
    ForbiddenWord { word: String, instead: String },
    /// The physical name is not the one the logical name gives.
    NameMismatch { expected: String },
    /// Columns of this logical name elsewhere mostly have another type.
    TypeDiffers { usual: String },
    /// The term's domain gives another type.
    NotTheTermsDomain { domain: String, data_type: String },
}

impl FindingKind {
    /// What it says to the person.
    pub fn message(&self) -> String {
        match self {
            Self::UnknownWord { word } => format!("“{word}” is not in the dictionary"),
            Self::ForbiddenWord { word, instead } => format!("use “{instead}”, not “{word}”"),
            Self::NameMismatch { expected } => format!("the dictionary names it {expected}"),
            Self::TypeDiffers { usual } => {
                format!("other columns of this logical name are {usual}")
            }
            Self::NotTheTermsDomain { domain, data_type } => {
                format!("its term's domain is {domain} ({data_type})")
            }
        }
    }
}

/// Every finding in `doc`, table by table in document order. Words are checked only when the
/// dictionary has words or terms; names are compared without regard to case (databases mostly
/// fold it).
pub fn findings(doc: &Diagram) -> Vec<Finding> {
    let dictionary = &doc.dictionary;
    let namer = Namer::new(dictionary);
    let words = dictionary.has_names();
    let mut out = Vec::new();
    let usual = usual_types(doc);
    for table in &doc.tables {
        // The findings of one name, and the domain its term gives.
        let check = |logical: &str, physical: &str| {
            if !words || logical.trim().is_empty() {
                return (Vec::new(), None);
            }
            let named = namer.name(logical);
            (name_findings(&named, physical).collect(), named.domain)
        };
        let mut found = |column: Option<Uuid>, kinds: Vec<FindingKind>| {
            let at = kinds.into_iter().map(|kind| Finding {
                table: table.id,
                column,
                kind,
            });
            out.extend(at);
        };
        found(None, check(&table.logical_name, &table.name).0);
        for c in &table.columns {
            let (mut kinds, domain) = check(&c.logical_name, &c.name);
            if let Some(domain) = domain.and_then(|d| dictionary.domain(d))
                && c.domain != Some(domain.id)
                && !same_type(&c.data_type, &domain.data_type)
            {
                kinds.push(FindingKind::NotTheTermsDomain {
                    domain: domain.name.clone(),
                    data_type: domain.data_type.clone(),
                });
            }
            if let Some(usual) = usual.get(&fold(&c.logical_name))
                && !same_type(&c.data_type, usual)
            {
                kinds.push(FindingKind::TypeDiffers {
                    usual: usual.to_string(),
                });
            }
            found(Some(c.id), kinds);
        }
    }
    out
}

/// What is wrong with a name as the dictionary reads its logical name.
fn name_findings<'a>(
    named: &'a Named,
    physical: &'a str,
) -> impl Iterator<Item = FindingKind> + 'a {
    let pieces = named.pieces.iter().filter_map(|piece| match piece {
        Piece::Word { .. } => None,
        Piece::Unknown { text } => Some(FindingKind::UnknownWord { word: text.clone() }),
        Piece::Forbidden { text, instead, .. } => Some(FindingKind::ForbiddenWord {
            word: text.clone(),
            instead: instead.clone(),
        }),
    });
    let mismatch = named
        .physical
        .as_ref()
        .filter(|expected| !expected.eq_ignore_ascii_case(physical))
        .map(|expected| FindingKind::NameMismatch {
            expected: expected.clone(),
        });
    pieces.chain(mismatch)
}

/// For each logical name that columns give several types, the type most of them have (the
/// first seen of the most common).
fn usual_types(doc: &Diagram) -> HashMap<String, &str> {
    let mut seen: HashMap<String, Vec<(String, &str, usize)>> = HashMap::new();
    for c in doc.tables.iter().flat_map(|t| &t.columns) {
        let key = fold(&c.logical_name);
        if key.is_empty() {
            continue;
        }
        let types = seen.entry(key).or_default();
        let shape = type_key(&c.data_type);
        match types.iter_mut().find(|(k, ..)| *k == shape) {
            Some((.., n)) => *n += 1,
            None => types.push((shape, &c.data_type, 1)),
        }
    }
    seen.into_iter()
        .filter(|(_, types)| types.len() > 1)
        .filter_map(|(key, types)| {
            // `max_by_key` keeps the last of equals; the first seen should win.
            let most = types.iter().rev().max_by_key(|(.., n)| *n)?;
            Some((key, most.1))
        })
        .collect()
}
