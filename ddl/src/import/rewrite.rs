//! Targeted rewrites for clauses sqlparser rejects but that do not change the schema.
//!
//! They only run after a parse failed, so clean input pays nothing. Each one blanks text to
//! spaces (newlines kept) instead of deleting it, so error positions still map to the input;
//! whatever holds schema meaning (a computed column, partitioning) is reported in `notes`.

use crate::Dialect;

use super::classify::Kind;
use super::tokens::{Tok, TokKind, tokenize};

/// The statement after rewriting.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Rewritten {
    pub text: String,
    /// What was dropped on the way, by 1-based line within the statement.
    pub notes: Vec<(usize, String)>,
    /// A column sqlparser cannot read (T-SQL `c AS (a + b)`), kept by name and expression.
    pub computed: Vec<Computed>,
    /// The statement turned out to have nothing for the schema (`ALTER TABLE t NOCHECK …`).
    pub skip: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Computed {
    pub name: String,
    pub expression: String,
    /// The column defined just before it, to keep column order.
    pub after: Option<String>,
}

/// Applies every rewrite that fits `dialect` and `kind`; `None` when nothing changed.
pub(crate) fn rewrite(text: &str, kind: Kind, dialect: Dialect) -> Option<Rewritten> {
    let toks = tokenize(text);
    let mut r = Rewriter {
        text,
        toks: &toks,
        blanks: Vec::new(),
        replacements: Vec::new(),
        out: Rewritten::default(),
    };
    match dialect {
        Dialect::Mssql => {
            if kind == Kind::AlterTable && r.tsql_check_constraint() {
                return Some(r.out);
            }
            let special = |w| (1..4).any(|i| r.word(i, w));
            if kind == Kind::CreateIndex && (special("FULLTEXT") || special("COLUMNSTORE")) {
                r.out.skip = Some("CREATE FULLTEXT INDEX");
                return Some(r.out);
            }
            r.tsql_filegroups();
            if kind == Kind::CreateIndex {
                r.tsql_index_filegroup();
            }
            r.tsql_hash_indexes();
            r.words_anywhere(&["CLUSTERED", "NONCLUSTERED", "HIDDEN"]);
            r.tsql_index_options();
            r.tsql_typed_xml();
            r.tsql_sequence_defaults();
            r.tsql_temporal();
            r.tsql_masked();
            r.tsql_with_check();
            r.words_anywhere(&["ROWGUIDCOL"]);
            r.tsql_not_for_replication();
            if kind == Kind::CreateTable {
                r.tsql_columnstore_items();
                r.trailing_comma();
                r.tsql_computed_columns();
            }
        }
        Dialect::Mysql | Dialect::Mariadb => {
            if kind == Kind::AlterTable && r.mysql_keys_toggle() {
                return Some(r.out);
            }
            r.mysql_binary_attribute();
            r.trailing_clause("PARTITION", "partitioning (PARTITION BY …) is not kept");
            r.words_at_depth0(&["COLLATION"]);
            if kind == Kind::AlterTable && r.only_name_left() {
                r.out.skip = Some("ALTER TABLE PARTITION BY");
                return Some(r.out);
            }
        }
        Dialect::Sqlite => {
            r.sized_text_types();
            r.sub_type();
        }
        Dialect::Oracle => {
            if kind == Kind::CreateTable {
                r.oracle_physical_attributes();
            }
            r.oracle_using_index();
            r.oracle_on_null();
            r.oracle_constraint_states();
            r.oracle_length_semantics();
        }
        Dialect::Postgresql => {
            if kind == Kind::AlterTable && r.pg_cluster_on() {
                return Some(r.out);
            }
        }
    }
    if r.blanks.is_empty() && r.out.computed.is_empty() && r.replacements.is_empty() {
        return super::alter_list::split(text, kind, dialect).map(|text| Rewritten {
            text,
            ..Rewritten::default()
        });
    }
    r.out.text = blank(text, &r.blanks, &r.replacements);
    if let Some(split) = super::alter_list::split(&r.out.text, kind, dialect) {
        r.out.text = split;
    }
    Some(r.out)
}

struct Rewriter<'a> {
    text: &'a str,
    toks: &'a [Tok],
    blanks: Vec<(usize, usize)>,
    /// Text put in place of a range, padded with spaces to its length (never longer).
    replacements: Vec<(usize, usize, &'static str)>,
    out: Rewritten,
}

impl Rewriter<'_> {
    fn word(&self, i: usize, w: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is_word(self.text, w))
    }

    fn punct(&self, i: usize, c: u8) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == TokKind::Punct(c))
    }

    fn blank_toks(&mut self, from: usize, to_inclusive: usize) {
        if let (Some(a), Some(b)) = (self.toks.get(from), self.toks.get(to_inclusive)) {
            self.blanks.push((a.start, b.end));
        }
    }

    fn line_of(&self, tok: usize) -> usize {
        let at = self.toks.get(tok).map_or(0, |t| t.start);
        1 + self.text[..at].bytes().filter(|&b| b == b'\n').count()
    }

    /// The index of the token closing the parenthesis opened at `open`.
    fn close_of(&self, open: usize) -> usize {
        let depth = self.toks[open].depth;
        (open + 1..self.toks.len())
            .find(|&j| self.toks[j].kind == TokKind::Punct(b')') && self.toks[j].depth == depth)
            .unwrap_or(self.toks.len() - 1)
    }

    /// pg_dump's `ALTER TABLE t CLUSTER ON ix` and `SET WITHOUT CLUSTER`: the order rows are
    /// stored in, not schema.
    fn pg_cluster_on(&mut self) -> bool {
        let cluster = (1..self.toks.len()).any(|i| {
            self.toks[i].depth == 0
                && ((self.word(i, "CLUSTER") && self.word(i + 1, "ON"))
                    || (self.word(i - 1, "WITHOUT") && self.word(i, "CLUSTER")))
        });
        if cluster {
            self.out.skip = Some("ALTER TABLE CLUSTER ON");
        }
        cluster
    }

    /// `ALTER TABLE t DISABLE KEYS` / `ENABLE KEYS`, in every mysqldump around its INSERTs: a
    /// loading speed-up, not schema.
    fn mysql_keys_toggle(&mut self) -> bool {
        let n = self.toks.len();
        let toggles = n >= 2
            && (self.word(n - 2, "DISABLE") || self.word(n - 2, "ENABLE"))
            && self.word(n - 1, "KEYS");
        if toggles {
            self.out.skip = Some("ALTER TABLE DISABLE KEYS");
        }
        toggles
    }

    /// `ALTER TABLE t [NO]CHECK CONSTRAINT …` switches checking on or off: not schema.
    fn tsql_check_constraint(&mut self) -> bool {
        let toggles = (0..self.toks.len()).any(|i| {
            self.toks[i].depth == 0
                && (self.word(i, "NOCHECK") || self.word(i, "CHECK"))
                && self.word(i + 1, "CONSTRAINT")
                && !self.word(i.wrapping_sub(1), "WITH")
        });
        if toggles {
            self.out.skip = Some("ALTER TABLE CHECK CONSTRAINT");
        }
        toggles
    }

    /// `) ON [PRIMARY]`, `TEXTIMAGE_ON [PRIMARY]`: the filegroup a table, key or index is stored
    /// on. `) ON DELETE …` after REFERENCES is a referential action and stays.
    fn tsql_filegroups(&mut self) {
        for i in 1..self.toks.len() {
            let action = self.word(i + 1, "DELETE") || self.word(i + 1, "UPDATE");
            let storage = (self.word(i, "ON") && self.punct(i - 1, b')') && !action)
                || self.word(i, "TEXTIMAGE_ON");
            if storage && i + 1 < self.toks.len() {
                self.blank_toks(i, i + 1);
            }
        }
    }

    /// `ALTER TABLE t WITH [NO]CHECK ADD …`: whether existing rows are checked.
    fn tsql_with_check(&mut self) {
        for i in 0..self.toks.len() {
            if self.word(i, "WITH")
                && (self.word(i + 1, "CHECK") || self.word(i + 1, "NOCHECK"))
                && self.word(i + 2, "ADD")
            {
                self.blank_toks(i, i + 1);
            }
        }
    }

    fn tsql_not_for_replication(&mut self) {
        for i in 0..self.toks.len() {
            if self.word(i, "NOT") && self.word(i + 1, "FOR") && self.word(i + 2, "REPLICATION") {
                self.blank_toks(i, i + 2);
            }
        }
    }

    /// `[Total] AS ([a] * [b]) [PERSISTED]`: the column is kept, its expression reported.
    fn tsql_computed_columns(&mut self) {
        let mut last_column: Option<String> = None;
        let mut i = 0;
        while i + 2 < self.toks.len() {
            let starts_item = self.toks[i].depth == 1
                && (self.punct(i.wrapping_sub(1), b'(') || self.punct(i.wrapping_sub(1), b','))
                && i > 0;
            if !starts_item {
                i += 1;
                continue;
            }
            let name = self.toks[i].unquoted(self.text);
            if self.word(i + 1, "AS") {
                let end = self.item_end(i);
                let expr_start = self.toks[i + 2].start;
                let expr_end = self.toks[end].end;
                self.out.computed.push(Computed {
                    name: name.clone(),
                    expression: self.text[expr_start..expr_end].trim().to_string(),
                    after: last_column.clone(),
                });
                // Blank the item and the comma before it (or after it, for the first item).
                let (from, to) = if self.punct(i - 1, b',') {
                    (i - 1, end)
                } else if self.punct(end + 1, b',') {
                    (i, end + 1)
                } else {
                    (i, end)
                };
                self.blank_toks(from, to);
                i = end + 1;
                continue;
            }
            if self.toks[i].kind != TokKind::Word
                || ![
                    "CONSTRAINT",
                    "PRIMARY",
                    "UNIQUE",
                    "FOREIGN",
                    "CHECK",
                    "INDEX",
                ]
                .iter()
                .any(|k| self.word(i, k))
            {
                last_column = Some(name);
            }
            i += 1;
        }
    }

    /// The last token of the table item starting at `i` (before `,` or the closing `)`).
    fn item_end(&self, i: usize) -> usize {
        let mut j = i;
        while j + 1 < self.toks.len() {
            let next = &self.toks[j + 1];
            if next.depth == 1 && next.kind == TokKind::Punct(b',') {
                break;
            }
            if next.depth == 0 {
                break;
            }
            j += 1;
        }
        j
    }

    /// MySQL's `VARCHAR(40) BINARY`: a binary collation, not a type of its own.
    fn mysql_binary_attribute(&mut self) {
        for i in 1..self.toks.len() {
            let after_type = self.punct(i - 1, b')') || self.toks[i - 1].kind == TokKind::Word;
            if self.word(i, "BINARY") && after_type && !self.punct(i + 1, b'(') {
                let first_of_item =
                    self.punct(i.saturating_sub(2), b',') || self.punct(i.saturating_sub(2), b'(');
                if !first_of_item || self.punct(i - 1, b')') {
                    self.blank_toks(i, i);
                }
            }
        }
    }

    /// Blanks everything from `keyword` at depth 0 to the end of the statement.
    fn trailing_clause(&mut self, keyword: &str, note: &str) {
        if let Some(i) =
            (0..self.toks.len()).find(|&i| self.toks[i].depth == 0 && self.word(i, keyword))
        {
            let last = self.toks.len() - 1;
            self.blank_toks(i, last);
            let line = self.line_of(i);
            self.out.notes.push((line, note.to_string()));
        }
    }

    fn words_at_depth0(&mut self, words: &[&str]) {
        for i in 0..self.toks.len() {
            if self.toks[i].depth == 0 && words.iter().any(|w| self.word(i, w)) {
                self.blank_toks(i, i);
            }
        }
    }

    fn words_anywhere(&mut self, words: &[&str]) {
        for i in 0..self.toks.len() {
            if words.iter().any(|w| self.word(i, w)) {
                self.blank_toks(i, i);
            }
        }
    }

    /// After blanking, only `ALTER TABLE name` is left.
    fn only_name_left(&self) -> bool {
        let kept = self
            .toks
            .iter()
            .filter(|t| !self.blanks.iter().any(|&(a, b)| t.start >= a && t.end <= b))
            .count();
        kept <= 3
    }

    /// SQLite accepts `mediumtext(16777215)`; sqlparser does not take a length on text types.
    fn sized_text_types(&mut self) {
        const TEXTS: [&str; 5] = ["TEXT", "MEDIUMTEXT", "LONGTEXT", "TINYTEXT", "BLOB"];
        for i in 0..self.toks.len() {
            if TEXTS.iter().any(|w| self.word(i, w)) && self.punct(i + 1, b'(') {
                let close = self.close_of(i + 1);
                self.blank_toks(i + 1, close);
            }
        }
    }

    /// InterBase's `BLOB SUB_TYPE TEXT`, found in some SQLite ports.
    fn sub_type(&mut self) {
        for i in 0..self.toks.len() {
            if self.word(i, "SUB_TYPE") && i + 1 < self.toks.len() {
                self.blank_toks(i, i + 1);
            }
        }
    }

    /// `) ORGANIZATION INDEX TABLESPACE x STORAGE (…) PCTFREE 10 …`: all physical storage.
    fn oracle_physical_attributes(&mut self) {
        let Some(close) =
            (0..self.toks.len()).find(|&i| self.toks[i].depth == 0 && self.punct(i, b')'))
        else {
            return;
        };
        let next = close + 1;
        if next < self.toks.len() && !self.word(next, "AS") {
            let last = self.toks.len() - 1;
            self.blank_toks(next, last);
        }
    }

    /// `USING INDEX [TABLESPACE x] [(…)]` after a key constraint.
    fn oracle_using_index(&mut self) {
        for i in 0..self.toks.len() {
            if !(self.word(i, "USING") && self.word(i + 1, "INDEX")) {
                continue;
            }
            let depth = self.toks[i].depth;
            let mut end = i + 1;
            while let Some(t) = self.toks.get(end + 1) {
                let closes = t.depth == depth && t.kind == TokKind::Punct(b',');
                if t.depth < depth || closes {
                    break;
                }
                end += 1;
            }
            self.blank_toks(i, end);
        }
    }
}

/// `text` with each character in the blanked ranges replaced by a space (newlines kept), and
/// each replaced range holding its replacement then spaces.
fn blank(text: &str, ranges: &[(usize, usize)], replacements: &[(usize, usize, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if let Some(&(a, _, with)) = replacements.iter().find(|&&(a, b, _)| i >= a && i < b) {
            let k = i - a;
            let put = with.as_bytes().get(k).map_or(' ', |&b| b as char);
            out.push(if c == '\n' { '\n' } else { put });
            continue;
        }
        let hidden = ranges.iter().any(|&(a, b)| i >= a && i < b);
        out.push(if hidden && c != '\n' { ' ' } else { c });
    }
    out
}

#[cfg(test)]
#[path = "rewrite_tests.rs"]
mod tests;

#[path = "rewrite_dialects.rs"]
mod dialects;
