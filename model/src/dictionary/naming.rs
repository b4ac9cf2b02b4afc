//! Physical names from logical ones: a standard term when the whole name is one, else the longest
//! dictionary words from left to right, joined by the diagram's convention.
//!
//! A logical name is cut into units: English words (at spaces, underscores, hyphens and
//! lower-to-upper case changes) and single characters of scripts written without spaces (Korean,
//! Japanese, Chinese). Words are matched over units, longest first, so `고객명` is `고객` + `명`
//! when both are words, and `Order Date` is one word when the dictionary has it.

use std::collections::HashMap;

use uuid::Uuid;

use super::{Convention, Dictionary, Term, Word, fold};

/// What a logical name comes to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Named {
    /// The physical name; `None` when part of the logical name is an unknown word that cannot be
    /// written in ASCII (a Korean word not in the dictionary), or the name is empty.
    pub physical: Option<String>,
    /// The standard term the whole name is.
    pub term: Option<Uuid>,
    /// The term's domain.
    pub domain: Option<Uuid>,
    /// The words it was read as (empty when it is a term).
    pub pieces: Vec<Piece>,
}

/// One word of a logical name.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Word {
        id: Uuid,
        text: String,
    },
    /// A forbidden synonym, read as the word to use instead.
    Forbidden {
        id: Uuid,
        text: String,
        instead: String,
    },
    Unknown {
        text: String,
    },
}

impl Dictionary {
    /// The physical name, term and domain for `logical` (see [`Namer`] to name many).
    pub fn name(&self, logical: &str) -> Named {
        Namer::new(self).name(logical)
    }

    /// Whether naming has anything to go by.
    pub fn has_names(&self) -> bool {
        !self.words.is_empty() || !self.terms.is_empty()
    }
}

/// The dictionary indexed for naming many names.
pub struct Namer<'a> {
    convention: Convention,
    terms: HashMap<String, &'a Term>,
    words: HashMap<String, &'a Word>,
    /// The most units any word spans.
    longest: usize,
}

impl<'a> Namer<'a> {
    pub fn new(dictionary: &'a Dictionary) -> Self {
        let terms = dictionary.terms.iter().map(|t| (fold(&t.logical), t));
        let words = dictionary.words.iter().map(|w| (fold(&w.logical), w));
        let longest = dictionary
            .words
            .iter()
            .map(|w| units(&w.logical).len())
            .max()
            .unwrap_or(0);
        Self {
            convention: dictionary.convention,
            terms: terms.collect(),
            words: words.collect(),
            longest,
        }
    }

    pub fn name(&self, logical: &str) -> Named {
        let folded = fold(logical);
        if folded.is_empty() {
            return Named::default();
        }
        if let Some(term) = self.terms.get(&folded) {
            return Named {
                physical: Some(term.physical.clone()),
                term: Some(term.id),
                domain: term.domain,
                pieces: Vec::new(),
            };
        }
        let units = units(logical);
        let mut pieces: Vec<Piece> = Vec::new();
        let mut parts: Vec<Option<String>> = Vec::new();
        let mut i = 0;
        while i < units.len() {
            match self.longest_word(&units[i..]) {
                Some((taken, word)) => {
                    let text = units[i..i + taken].iter().map(|u| u.text).collect();
                    parts.push(self.physical_of(word));
                    pieces.push(match &word.instead {
                        Some(instead) => Piece::Forbidden {
                            id: word.id,
                            text,
                            instead: instead.clone(),
                        },
                        None => Piece::Word { id: word.id, text },
                    });
                    i += taken;
                }
                None => {
                    // An unknown English word stands for itself; unknown characters of other
                    // scripts run on until a known word starts.
                    let mut end = i + 1;
                    if !units[i].ascii {
                        while end < units.len()
                            && !units[end].ascii
                            && !units[end].after_break
                            && self.longest_word(&units[end..]).is_none()
                        {
                            end += 1;
                        }
                    }
                    let text: String = units[i..end].iter().map(|u| u.text).collect();
                    parts.push(units[i].ascii.then(|| text.clone()));
                    pieces.push(Piece::Unknown { text });
                    i = end;
                }
            }
        }
        let physical = parts
            .into_iter()
            .collect::<Option<Vec<String>>>()
            .map(|parts| join(self.convention, &parts));
        Named {
            physical,
            term: None,
            domain: None,
            pieces,
        }
    }

    /// The longest word that the units start with, and how many units it spans.
    fn longest_word(&self, units: &[Unit]) -> Option<(usize, &'a Word)> {
        (1..=self.longest.min(units.len())).rev().find_map(|n| {
            let key: String = units[..n].iter().map(|u| u.folded.as_str()).collect();
            self.words.get(&key).map(|w| (n, *w))
        })
    }

    /// A word's abbreviation; a forbidden synonym's is that of the word to use.
    fn physical_of(&self, word: &Word) -> Option<String> {
        let standard = word
            .instead
            .as_deref()
            .and_then(|i| self.words.get(&fold(i)))
            .filter(|w| !w.physical.is_empty());
        let physical = standard.map_or(word.physical.as_str(), |w| w.physical.as_str());
        (!physical.is_empty()).then(|| physical.to_string())
    }
}

/// One unit of a logical name.
struct Unit<'a> {
    text: &'a str,
    folded: String,
    ascii: bool,
    /// A space, underscore or hyphen came before it.
    after_break: bool,
}

fn is_break(c: char) -> bool {
    c.is_whitespace() || c == '_' || c == '-'
}

fn units(name: &str) -> Vec<Unit<'_>> {
    let mut out = Vec::new();
    // Latin letters and digits gather into words; every other letter is a unit of its own.
    let mut word: Option<usize> = None;
    let mut after_break = false;
    let mut previous: Option<char> = None;
    for (at, c) in name.char_indices() {
        let latin = c.is_ascii_alphanumeric();
        if let Some(start) = word {
            let camel = previous.is_some_and(|p| p.is_ascii_lowercase()) && c.is_ascii_uppercase();
            if !latin || camel {
                out.push(unit(&name[start..at], true, after_break));
                after_break = false;
                word = None;
            }
        }
        if is_break(c) {
            after_break = true;
        } else if latin {
            word.get_or_insert(at);
        } else {
            out.push(unit(&name[at..at + c.len_utf8()], false, after_break));
            after_break = false;
        }
        previous = Some(c);
    }
    if let Some(start) = word {
        out.push(unit(&name[start..], true, after_break));
    }
    out
}

fn unit(text: &str, ascii: bool, after_break: bool) -> Unit<'_> {
    Unit {
        text,
        folded: text.to_lowercase(),
        ascii,
        after_break,
    }
}

/// Joins abbreviations by the convention; an abbreviation of several parts (`ORD_DT`) is cut
/// into them first.
fn join(convention: Convention, abbreviations: &[String]) -> String {
    let parts = abbreviations
        .iter()
        .flat_map(|a| a.split(|c: char| is_break(c)))
        .filter(|p| !p.is_empty());
    let capital = |p: &str| {
        let mut chars = p.chars();
        chars.next().map_or(String::new(), |first| {
            first
                .to_uppercase()
                .chain(chars.flat_map(char::to_lowercase))
                .collect()
        })
    };
    match convention {
        Convention::SnakeUpper => parts.map(str::to_uppercase).collect::<Vec<_>>().join("_"),
        Convention::SnakeLower => parts.map(str::to_lowercase).collect::<Vec<_>>().join("_"),
        Convention::Pascal => parts.map(capital).collect(),
        Convention::Camel => parts
            .enumerate()
            .map(|(i, p)| if i == 0 { p.to_lowercase() } else { capital(p) })
            .collect(),
    }
}
