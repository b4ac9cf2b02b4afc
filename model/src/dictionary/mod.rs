//! A diagram's naming standard: words (logical word → physical abbreviation), terms (a logical
//! name made of words, with its physical name and domain) and domains (named types), and the
//! convention that joins words into physical names.
//!
//! Logical names are in the business's words (`고객명`, `Customer Name`); physical names follow
//! from them (`CUST_NM`), and types from domains, so that a whole team names things one way.

mod checks;
pub mod exchange;
mod naming;
pub(crate) mod ops;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use checks::{Finding, FindingKind, findings};
pub use naming::{Named, Namer, Piece};

/// How words become a physical name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    /// `CUST_NM`
    #[default]
    SnakeUpper,
    /// `cust_nm`
    SnakeLower,
    /// `custNm`
    Camel,
    /// `CustNm`
    Pascal,
}

impl Convention {
    pub const ALL: [Convention; 4] = [
        Convention::SnakeUpper,
        Convention::SnakeLower,
        Convention::Camel,
        Convention::Pascal,
    ];

    /// Its name in the API and in files (`snake_upper`).
    pub fn key(self) -> &'static str {
        match self {
            Convention::SnakeUpper => "snake_upper",
            Convention::SnakeLower => "snake_lower",
            Convention::Camel => "camel",
            Convention::Pascal => "pascal",
        }
    }

    /// An example of it, for the person choosing one.
    pub fn example(self) -> &'static str {
        match self {
            Convention::SnakeUpper => "CUST_NM",
            Convention::SnakeLower => "cust_nm",
            Convention::Camel => "custNm",
            Convention::Pascal => "CustNm",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// The diagram's dictionary. Empty in a diagram that has none; then nothing is derived or checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dictionary {
    #[serde(default)]
    pub convention: Convention,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Word>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<Term>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
}

/// A logical word and its physical abbreviation (`고객` → `CUST`). A forbidden synonym names the
/// word to use instead (`손님`: use `고객`) and takes that word's abbreviation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Word {
    pub id: Uuid,
    pub logical: String,
    #[serde(default)]
    pub physical: String,
    /// Set on a forbidden synonym: the logical word to use instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instead: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A standard term: a whole logical name with its physical name and, optionally, its domain
/// (`고객명` → `CUST_NM`, domain `Name`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub id: Uuid,
    pub logical: String,
    pub physical: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Uuid>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A named type (`Amount` → `numeric(15,2)`), with what columns of it share: NOT NULL, a default,
/// a CHECK. Columns that use it take its type; changing it changes them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: Uuid,
    pub name: String,
    pub data_type: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// A condition on the value, as SQL over `VALUE` (PostgreSQL's domain form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl Dictionary {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.terms.is_empty()
            && self.domains.is_empty()
            && self.convention == Convention::default()
    }

    pub fn domain(&self, id: Uuid) -> Option<&Domain> {
        self.domains.iter().find(|d| d.id == id)
    }

    /// The domain of this name, folded as logical names are (`Short Name` is `short_name`).
    pub fn domain_named(&self, name: &str) -> Option<&Domain> {
        let key = fold(name);
        self.domains
            .iter()
            .find(|d| folded(&d.name).eq(key.chars()))
    }

    pub fn word(&self, id: Uuid) -> Option<&Word> {
        self.words.iter().find(|w| w.id == id)
    }

    pub fn term(&self, id: Uuid) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }
}

impl Word {
    pub fn new(logical: impl Into<String>, physical: impl Into<String>) -> Self {
        Self {
            id: Uuid::new_v4(),
            logical: logical.into(),
            physical: physical.into(),
            ..Self::default()
        }
    }

    /// A forbidden synonym of `instead`.
    pub fn forbidden(logical: impl Into<String>, instead: impl Into<String>) -> Self {
        Self {
            instead: Some(instead.into()),
            ..Self::new(logical, "")
        }
    }
}

impl Term {
    pub fn new(logical: impl Into<String>, physical: impl Into<String>) -> Self {
        Self {
            id: Uuid::new_v4(),
            logical: logical.into(),
            physical: physical.into(),
            ..Self::default()
        }
    }
}

impl Domain {
    pub fn new(name: impl Into<String>, data_type: impl Into<String>) -> Self {
        Self {
            id: Uuid::new_v4(),
            name: name.into(),
            data_type: data_type.into(),
            ..Self::default()
        }
    }
}

/// Whether two type texts are the same type as written (case and spaces aside).
pub(crate) fn same_type(a: &str, b: &str) -> bool {
    type_key(a) == type_key(b)
}

pub(crate) fn type_key(data_type: &str) -> String {
    data_type
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The key logical names are compared by: case folded, spaces and underscores dropped, so that
/// `Customer Name`, `customer_name` and `CustomerName` are one name, as are `고객 명` and `고객명`.
pub(crate) fn fold(name: &str) -> String {
    folded(name).collect()
}

/// The characters of [`fold`], without gathering them.
pub(crate) fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
}
