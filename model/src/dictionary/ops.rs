//! The dictionary's ops: words, terms and domains are put (added, or replaced by id) and removed;
//! a replaced domain carries its change to the columns that use it, in the same op.

use uuid::Uuid;

use std::collections::HashSet;

use super::{Convention, Domain, Term, Word, fold, folded, same_type};
use crate::diagram::{Column, Diagram};
use crate::error::OpError;
use crate::op::{Op, apply_all};
use crate::patch::ColumnPatch;
use crate::validate;

/// An entry of one of the dictionary's lists.
pub(crate) trait Entry: Clone {
    const WHAT: &'static str;
    fn id(&self) -> Uuid;
    /// What two entries of the list may not share, once folded (see [`fold`]).
    fn name(&self) -> &str;
}

impl Entry for Word {
    const WHAT: &'static str = "word";
    fn id(&self) -> Uuid {
        self.id
    }
    fn name(&self) -> &str {
        &self.logical
    }
}

impl Entry for Term {
    const WHAT: &'static str = "term";
    fn id(&self) -> Uuid {
        self.id
    }
    fn name(&self) -> &str {
        &self.logical
    }
}

impl Entry for Domain {
    const WHAT: &'static str = "domain";
    fn id(&self) -> Uuid {
        self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

/// Where an entry with `id` stands, or that there is none.
fn find<E: Entry>(list: &[E], id: Uuid) -> Result<usize, OpError> {
    list.iter()
        .position(|e| e.id() == id)
        .ok_or(OpError::UnknownDictionaryEntry { what: E::WHAT, id })
}

/// Refuses a second entry of the same folded name. One pass, folding as it compares: an op on
/// a dictionary of thousands allocates nothing per entry.
fn unique<E: Entry>(list: &[E], entry: &E) -> Result<(), OpError> {
    let key = fold(entry.name());
    if list
        .iter()
        .any(|e| e.id() != entry.id() && folded(e.name()).eq(key.chars()))
    {
        return Err(duplicate::<E>(key));
    }
    Ok(())
}

/// Ids and folded names unique across a whole list, in one pass (a document's check).
pub(crate) fn all_unique<E: Entry>(list: &[E]) -> Result<(), OpError> {
    let mut ids = HashSet::with_capacity(list.len());
    let mut keys = HashSet::with_capacity(list.len());
    for e in list {
        if !ids.insert(e.id()) {
            return Err(OpError::DuplicateId(e.id()));
        }
        let key = fold(e.name());
        if keys.contains(&key) {
            return Err(duplicate::<E>(key));
        }
        keys.insert(key);
    }
    Ok(())
}

fn duplicate<E: Entry>(name: String) -> OpError {
    OpError::DuplicateDictionaryEntry {
        what: E::WHAT,
        name,
    }
}

/// Puts `entry` in `list`: replaces the one with its id (moving it to `at` when given), or
/// inserts it at `at` (appends). Returns what it replaced, and its old place.
fn put<E: Entry>(
    list: &mut Vec<E>,
    entry: E,
    at: Option<usize>,
) -> Result<Option<(E, usize)>, OpError> {
    unique(list, &entry)?;
    match list.iter().position(|e| e.id() == entry.id()) {
        Some(old_at) => {
            let len = list.len();
            if at.is_some_and(|at| at >= len) {
                return Err(OpError::IndexOutOfRange {
                    index: at.unwrap_or_default(),
                    len,
                });
            }
            let old = list.remove(old_at);
            list.insert(at.unwrap_or(old_at), entry);
            Ok(Some((old, old_at)))
        }
        None => {
            let at = at.unwrap_or(list.len());
            if at > list.len() {
                return Err(OpError::IndexOutOfRange {
                    index: at,
                    len: list.len(),
                });
            }
            list.insert(at, entry);
            Ok(None)
        }
    }
}

pub(crate) fn put_word(doc: &mut Diagram, word: Word, at: Option<usize>) -> Result<Op, OpError> {
    validate::word(&word)?;
    let id = word.id;
    Ok(match put(&mut doc.dictionary.words, word, at)? {
        Some((word, at)) => Op::PutWord { word, at: Some(at) },
        None => Op::RemoveWord { word_id: id },
    })
}

pub(crate) fn remove_word(doc: &mut Diagram, word_id: Uuid) -> Result<Op, OpError> {
    let at = find(&doc.dictionary.words, word_id)?;
    let word = doc.dictionary.words.remove(at);
    Ok(Op::PutWord { word, at: Some(at) })
}

pub(crate) fn put_term(doc: &mut Diagram, term: Term, at: Option<usize>) -> Result<Op, OpError> {
    validate::term(&term)?;
    if let Some(domain) = term.domain {
        find(&doc.dictionary.domains, domain)?;
    }
    let id = term.id;
    Ok(match put(&mut doc.dictionary.terms, term, at)? {
        Some((term, at)) => Op::PutTerm { term, at: Some(at) },
        None => Op::RemoveTerm { term_id: id },
    })
}

pub(crate) fn remove_term(doc: &mut Diagram, term_id: Uuid) -> Result<Op, OpError> {
    let at = find(&doc.dictionary.terms, term_id)?;
    let term = doc.dictionary.terms.remove(at);
    Ok(Op::PutTerm { term, at: Some(at) })
}

/// Puts a domain. Replacing one gives every column that uses it the new type, and the new NOT
/// NULL and default where the column had the old ones; the inverse puts the old domain back and
/// then each of those columns as it was (which also names their tables as changed).
pub(crate) fn put_domain(
    doc: &mut Diagram,
    domain: Domain,
    at: Option<usize>,
) -> Result<Op, OpError> {
    validate::domain(&domain)?;
    let id = domain.id;
    let new = domain.clone();
    let Some((old, old_at)) = put(&mut doc.dictionary.domains, domain, at)? else {
        return Ok(Op::RemoveDomain { domain_id: id });
    };
    let mut inverse = vec![Op::PutDomain {
        domain: old.clone(),
        at: Some(old_at),
    }];
    for table in &mut doc.tables {
        for column in table.columns.iter_mut().filter(|c| c.domain == Some(id)) {
            let before = column.clone();
            follow(column, &old, &new);
            let mut back = column.clone();
            follow(&mut back, &new, &old);
            inverse.push(Op::UpdateColumn {
                table_id: table.id,
                column_id: column.id,
                patch: restoring(&before, &back),
            });
        }
    }
    Ok(match inverse.len() {
        1 => inverse.remove(0),
        _ => Op::Batch { ops: inverse },
    })
}

/// Removes a domain; its columns and terms keep their types and lose the reference.
pub(crate) fn remove_domain(doc: &mut Diagram, domain_id: Uuid) -> Result<Op, OpError> {
    let at = find(&doc.dictionary.domains, domain_id)?;
    let mut ops: Vec<Op> = doc
        .tables
        .iter()
        .flat_map(|t| {
            let users = t.columns.iter().filter(|c| c.domain == Some(domain_id));
            users.map(|c| Op::UpdateColumn {
                table_id: t.id,
                column_id: c.id,
                patch: ColumnPatch {
                    domain: Some(None),
                    ..ColumnPatch::default()
                },
            })
        })
        .collect();
    let terms = doc.dictionary.terms.iter();
    ops.extend(
        terms
            .filter(|t| t.domain == Some(domain_id))
            .map(|t| Op::PutTerm {
                term: Term {
                    domain: None,
                    ..t.clone()
                },
                at: None,
            }),
    );
    let mut inverse = apply_all(doc, ops)?;
    let domain = doc.dictionary.domains.remove(at);
    inverse.insert(
        0,
        Op::PutDomain {
            domain,
            at: Some(at),
        },
    );
    Ok(match inverse.len() {
        1 => inverse.remove(0),
        _ => Op::Batch { ops: inverse },
    })
}

pub(crate) fn set_convention(doc: &mut Diagram, convention: Convention) -> Op {
    let old = std::mem::replace(&mut doc.dictionary.convention, convention);
    Op::SetConvention { convention: old }
}

/// A column of domain `from` as it is after the domain becomes `to`: the type always; NOT NULL
/// and the default when the column had `from`'s (a primary key stays NOT NULL).
fn follow(column: &mut Column, from: &Domain, to: &Domain) {
    column.data_type = to.data_type.clone();
    if from.not_null != to.not_null && column.nullable != from.not_null && !column.primary_key {
        column.nullable = !to.not_null;
    }
    if from.default != to.default && column.default == from.default {
        column.default = to.default.clone();
    }
}

/// The patch that turns `now` into `was` (always naming the type, so that the op is never
/// empty).
fn restoring(was: &Column, now: &Column) -> ColumnPatch {
    ColumnPatch {
        data_type: Some(was.data_type.clone()),
        nullable: (was.nullable != now.nullable).then_some(was.nullable),
        default: (was.default != now.default).then(|| was.default.clone()),
        ..ColumnPatch::default()
    }
}

/// A column's domain must exist, and the column have its type.
pub(crate) fn column_domain(doc: &Diagram, column: &Column) -> Result<(), OpError> {
    let Some(id) = column.domain else {
        return Ok(());
    };
    let domain = doc
        .dictionary
        .domain(id)
        .ok_or(OpError::UnknownDictionaryEntry { what: "domain", id })?;
    if !same_type(&domain.data_type, &column.data_type) {
        return Err(OpError::DomainTypeMismatch {
            column: column.name.clone(),
            domain: domain.name.clone(),
        });
    }
    Ok(())
}
