//! Dictionaries in files, so that a team reuses its standard across diagrams: CSV (one row per
//! entry, a `kind` column saying which) beside the JSON of [`Dictionary`], and the merge of a
//! read dictionary into a diagram's as ops.

use std::collections::HashMap;

use uuid::Uuid;

use super::{Convention, Dictionary, Domain, Term, Word, fold};
use crate::diagram::Diagram;
use crate::op::Op;

/// The CSV columns, in the order they are written; reading takes them in any order.
pub const CSV_COLUMNS: [&str; 10] = [
    "kind",
    "logical",
    "physical",
    "data_type",
    "domain",
    "not_null",
    "default",
    "check",
    "instead",
    "description",
];

/// A row that could not be read, by line.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub line: u64,
    pub message: String,
}

/// The dictionary as CSV: the convention, then domains, words and terms (terms name their
/// domain).
pub fn to_csv(d: &Dictionary) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut row = |cells: [&str; 10]| {
        // Writing to memory cannot fail.
        let _ = out.write_record(cells);
    };
    row(CSV_COLUMNS);
    row([
        "convention",
        d.convention.key(),
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ]);
    for x in &d.domains {
        row([
            "domain",
            &x.name,
            "",
            &x.data_type,
            "",
            if x.not_null { "true" } else { "" },
            x.default.as_deref().unwrap_or(""),
            x.check.as_deref().unwrap_or(""),
            "",
            &x.description,
        ]);
    }
    for w in &d.words {
        let instead = w.instead.as_deref().unwrap_or("");
        row([
            "word",
            &w.logical,
            &w.physical,
            "",
            "",
            "",
            "",
            "",
            instead,
            &w.description,
        ]);
    }
    for t in &d.terms {
        let domain = t.domain.and_then(|id| d.domain(id)).map_or("", |x| &x.name);
        row([
            "term",
            &t.logical,
            &t.physical,
            "",
            domain,
            "",
            "",
            "",
            "",
            &t.description,
        ]);
    }
    let bytes = out.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Reads CSV written by [`to_csv`] or by hand (a spreadsheet's export): a header row naming
/// some of [`CSV_COLUMNS`], then one entry a row. A term's domain is looked for among the file's
/// domains, then `current`'s. Rows that cannot be read are reported and skipped.
pub fn from_csv(text: &str, current: &Dictionary) -> (Dictionary, Vec<Problem>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut out = Dictionary::default();
    let mut problems = Vec::new();
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|c| c.to_lowercase().replace(' ', "_"))
            .collect(),
        Err(e) => {
            problems.push(Problem {
                line: 1,
                message: e.to_string(),
            });
            return (out, problems);
        }
    };
    if !header.iter().any(|h| h == "kind") || !header.iter().any(|h| h == "logical") {
        problems.push(Problem {
            line: 1,
            message: "the first row must name the columns, kind and logical among them".into(),
        });
        return (out, problems);
    }
    // Terms whose domain is looked up once every domain is read: (term, domain name, line).
    let mut term_domains: Vec<(usize, String, u64)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(Problem {
                    line,
                    message: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| -> String {
            let at = header.iter().position(|h| h == name);
            at.and_then(|i| record.get(i)).unwrap_or("").to_string()
        };
        let optional = |name: &str| Some(cell(name)).filter(|v| !v.is_empty());
        let logical = cell("logical");
        let mut problem = |message: String| problems.push(Problem { line, message });
        if logical.is_empty() && record.iter().any(|c| !c.is_empty()) {
            problem("the logical column is empty".into());
            continue;
        }
        match cell("kind").to_lowercase().as_str() {
            "" if logical.is_empty() => {}
            "convention" => match Convention::from_key(&logical.to_lowercase()) {
                Some(c) => out.convention = c,
                None => problem(format!(
                    "{logical:?} is not a convention (snake_upper, snake_lower, camel, pascal)"
                )),
            },
            "word" => out.words.push(Word {
                physical: cell("physical"),
                instead: optional("instead"),
                description: cell("description"),
                ..Word::new(logical, "")
            }),
            "term" => {
                if let Some(domain) = optional("domain") {
                    term_domains.push((out.terms.len(), domain, line));
                }
                out.terms.push(Term {
                    description: cell("description"),
                    ..Term::new(logical, cell("physical"))
                });
            }
            "domain" => {
                let not_null = cell("not_null").to_lowercase();
                out.domains.push(Domain {
                    not_null: matches!(not_null.as_str(), "true" | "yes" | "y" | "1" | "x"),
                    default: optional("default"),
                    check: optional("check"),
                    description: cell("description"),
                    ..Domain::new(logical, cell("data_type"))
                });
            }
            other => problem(format!("{other:?} is not a kind (word, term, domain)")),
        }
    }
    for (at, name, line) in term_domains {
        let found = out
            .domain_named(&name)
            .or_else(|| current.domain_named(&name));
        match found {
            Some(domain) => out.terms[at].domain = Some(domain.id),
            None => problems.push(Problem {
                line,
                message: format!("term {:?}: no domain {name:?}", out.terms[at].logical),
            }),
        }
    }
    (out, problems)
}

/// The ops that merge `incoming` into `current`: an entry of the same logical name (a domain of
/// the same name) is replaced, keeping its id; the others are added. Terms' domains follow the
/// merge. Entries already as `incoming` has them are left alone; an entry the model refuses (a
/// word with no abbreviation) is left out, and said why.
pub fn merge(current: &Dictionary, incoming: &Dictionary) -> (Vec<Op>, Vec<String>) {
    // Tried on the dictionary alone: no entry's validity depends on the tables.
    let mut scratch = Diagram {
        dictionary: current.clone(),
        ..Diagram::new("merge")
    };
    let mut kept = Vec::new();
    let mut refused = Vec::new();
    for op in merge_ops(current, incoming) {
        match op.clone().apply(&mut scratch) {
            Ok(_) => kept.push(op),
            Err(e) => refused.push(e.to_string()),
        }
    }
    (kept, refused)
}

fn merge_ops(current: &Dictionary, incoming: &Dictionary) -> Vec<Op> {
    let mut ops = Vec::new();
    if incoming.convention != current.convention {
        ops.push(Op::SetConvention {
            convention: incoming.convention,
        });
    }
    // The id each incoming domain ends up with.
    let mut domain_ids: HashMap<Uuid, Uuid> = HashMap::new();
    for d in &incoming.domains {
        let existing = current.domain_named(&d.name);
        let id = existing.map_or_else(|| fresh(d.id, |id| current.domain(id).is_some()), |e| e.id);
        domain_ids.insert(d.id, id);
        let domain = Domain { id, ..d.clone() };
        if existing != Some(&domain) {
            ops.push(Op::PutDomain { domain, at: None });
        }
    }
    let by_key = |list: &[Word]| -> HashMap<String, Uuid> {
        list.iter().map(|w| (fold(&w.logical), w.id)).collect()
    };
    let words = by_key(&current.words);
    for w in &incoming.words {
        let id = words
            .get(&fold(&w.logical))
            .copied()
            .unwrap_or_else(|| fresh(w.id, |id| current.word(id).is_some()));
        let word = Word { id, ..w.clone() };
        if current.word(id) != Some(&word) {
            ops.push(Op::PutWord { word, at: None });
        }
    }
    let terms: HashMap<String, Uuid> = current
        .terms
        .iter()
        .map(|t| (fold(&t.logical), t.id))
        .collect();
    for t in &incoming.terms {
        let id = terms
            .get(&fold(&t.logical))
            .copied()
            .unwrap_or_else(|| fresh(t.id, |id| current.term(id).is_some()));
        let domain = t.domain.and_then(|d| {
            domain_ids
                .get(&d)
                .copied()
                .or_else(|| current.domain(d).map(|x| x.id))
        });
        let term = Term {
            id,
            domain,
            ..t.clone()
        };
        if current.term(id) != Some(&term) {
            ops.push(Op::PutTerm { term, at: None });
        }
    }
    ops
}

/// `id`, unless the diagram already uses it for another entry.
fn fresh(id: Uuid, taken: impl Fn(Uuid) -> bool) -> Uuid {
    if taken(id) { Uuid::new_v4() } else { id }
}
