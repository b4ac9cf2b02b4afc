//! One ALTER TABLE that adds several things at once, in the shapes sqlparser does not read:
//! T-SQL `ADD CONSTRAINT a …, CONSTRAINT b …` (one ADD for a list) with `DEFAULT x FOR col`
//! items, and Oracle `ADD ( CONSTRAINT a …, CONSTRAINT b … )`. Rewritten to one operation per
//! item (`ADD …, ADD …, ALTER COLUMN c SET DEFAULT x`), which it does read.
//!
//! This rewrite changes the text's length; it only runs after the statement failed to parse,
//! and errors are always reported from that first parse, in the input's own positions.

use super::classify::Kind;
use super::tokens::{TokKind, tokenize};
use crate::Dialect;

pub(crate) fn split(text: &str, kind: Kind, dialect: Dialect) -> Option<String> {
    if kind != Kind::AlterTable || !matches!(dialect, Dialect::Mssql | Dialect::Oracle) {
        return None;
    }
    let toks = tokenize(text);
    let word = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.is_word(text, w));
    let punct = |i: usize, c: u8| toks.get(i).is_some_and(|t| t.kind == TokKind::Punct(c));
    if !(word(0, "ALTER") && word(1, "TABLE")) {
        return None;
    }
    // The table name: parts joined by dots.
    let mut add = 3;
    while punct(add, b'.') {
        add += 2;
    }
    if !word(add, "ADD") {
        return None;
    }
    let head = &text[..toks[add - 1].end];
    let (items_from, items_to, depth) = if punct(add + 1, b'(') {
        let open = add + 1;
        let close = (open + 1..toks.len())
            .find(|&j| toks[j].depth == toks[open].depth && punct(j, b')'))?;
        if close + 1 != toks.len() {
            return None;
        }
        (open + 1, close, toks[open].depth + 1)
    } else {
        (add + 1, toks.len(), toks[add].depth)
    };
    let mut items = Vec::new();
    let mut start = items_from;
    for j in items_from..=items_to {
        let ends =
            j == items_to || (toks.get(j).is_some_and(|t| t.depth == depth) && punct(j, b','));
        if ends && j > start {
            items.push((start, j - 1));
            start = j + 1;
        }
    }
    let defaults_for = items.iter().any(|&(a, b)| (a..=b).any(|j| word(j, "FOR")));
    if items.len() < 2 && !defaults_for && !punct(add + 1, b'(') {
        return None;
    }
    let ops: Vec<String> = items
        .iter()
        .map(|&(a, b)| {
            let item = &text[toks[a].start..toks[b].end];
            // `[CONSTRAINT n] DEFAULT expr FOR col`.
            let mut d = a;
            if word(d, "CONSTRAINT") {
                d += 2;
            }
            let for_at = (d..=b)
                .rev()
                .find(|&j| word(j, "FOR") && toks[j].depth == depth);
            match for_at {
                Some(f) if word(d, "DEFAULT") && f < b => {
                    let expr = &text[toks[d + 1].start..toks[f - 1].end];
                    let column = &text[toks[f + 1].start..toks[b].end];
                    format!("ALTER COLUMN {column} SET DEFAULT {expr}")
                }
                _ => format!("ADD {item}"),
            }
        })
        .collect();
    Some(format!("{head} {}", ops.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::parse::parse;

    #[test]
    fn several_tsql_constraints_in_one_add_become_one_add_each() {
        let sql = "ALTER TABLE [s].[t]   ADD\n CONSTRAINT [FK_a] FOREIGN KEY ([a]) REFERENCES [s].[p] ([id]),\n CONSTRAINT [DF_b] DEFAULT (0) FOR [b]";
        let out = split(sql, Kind::AlterTable, Dialect::Mssql).expect("split");
        assert!(out.contains(", ALTER COLUMN [b] SET DEFAULT (0)"), "{out}");
        assert!(parse(&out, Dialect::Mssql).is_ok(), "{out}");
    }

    #[test]
    fn an_oracle_parenthesised_add_list_is_read() {
        let sql = "ALTER TABLE regions\n ADD ( CONSTRAINT reg_id_pk PRIMARY KEY (region_id),\n CONSTRAINT r_fk FOREIGN KEY (x) REFERENCES y (id) )";
        let out = split(sql, Kind::AlterTable, Dialect::Oracle).expect("split");
        assert!(parse(&out, Dialect::Oracle).is_ok(), "{out}");
        assert_eq!(out.matches("ADD ").count(), 2, "{out}");
    }
}
