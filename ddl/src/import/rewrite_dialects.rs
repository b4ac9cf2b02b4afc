//! Rewrites for SQL Server and Oracle clauses that carry no schema, or carry it in a shape the
//! model already has (a sequence default is an auto-increment). Part of [`super`].

use super::Rewriter;
use crate::import::tokens::TokKind;

impl Rewriter<'_> {
    fn is_punct(&self, i: usize) -> bool {
        matches!(self.toks.get(i).map(|t| t.kind), Some(TokKind::Punct(_)))
    }

    /// The word (bare or bracketed) at `i`, unquoted.
    fn name_is(&self, i: usize, w: &str) -> bool {
        self.toks.get(i).is_some_and(|t| {
            t.kind != TokKind::Punct(b'(') && t.unquoted(self.text).eq_ignore_ascii_case(w)
        })
    }

    /// `CREATE INDEX … ON t (…) [WHERE …] ON [filegroup]`: the second ON names storage.
    pub(super) fn tsql_index_filegroup(&mut self) {
        let Some(first_close) =
            (0..self.toks.len()).find(|&i| self.toks[i].depth == 0 && self.punct(i, b')'))
        else {
            return;
        };
        for i in first_close + 1..self.toks.len() {
            if self.toks[i].depth == 0 && self.word(i, "ON") && i + 1 < self.toks.len() {
                // A partition scheme takes its column: `ON [PS_date] ([date])`.
                let end = if self.punct(i + 2, b'(') {
                    self.close_of(i + 2)
                } else {
                    i + 1
                };
                self.blank_toks(i, end);
            }
        }
    }

    /// `) WITH (PAD_INDEX = OFF, …)` and `WITH (SYSTEM_VERSIONING = ON (…))`: storage options.
    pub(super) fn tsql_index_options(&mut self) {
        for i in 1..self.toks.len() {
            if self.word(i, "WITH") && self.punct(i + 1, b'(') && self.punct(i - 1, b')') {
                let close = self.close_of(i + 1);
                let has_option = (i + 2..close).any(|j| self.punct(j, b'='));
                if has_option {
                    self.blank_toks(i, close);
                }
            }
        }
    }

    /// `[XML]([Schema].[Collection])`: typed XML is XML.
    pub(super) fn tsql_typed_xml(&mut self) {
        for i in 0..self.toks.len() {
            if self.name_is(i, "XML") && self.punct(i + 1, b'(') {
                let close = self.close_of(i + 1);
                self.blank_toks(i + 1, close);
            }
        }
    }

    /// `[CONSTRAINT n] DEFAULT (NEXT VALUE FOR seq)`: numbered by a sequence, read as
    /// auto-increment (as PostgreSQL's `nextval` defaults are).
    pub(super) fn tsql_sequence_defaults(&mut self) {
        for i in 2..self.toks.len() {
            if !(self.word(i, "NEXT") && self.word(i + 1, "VALUE") && self.word(i + 2, "FOR")) {
                continue;
            }
            let (mut start, end) = if self.punct(i - 1, b'(') && self.word(i - 2, "DEFAULT") {
                (i - 2, self.close_of(i - 1))
            } else if self.word(i - 1, "DEFAULT") {
                let mut end = i + 3;
                while self.punct(end + 1, b'.') {
                    end += 2;
                }
                (i - 1, end.min(self.toks.len() - 1))
            } else {
                continue;
            };
            if start >= 2 && self.word(start - 2, "CONSTRAINT") {
                start -= 2;
            }
            let (a, b) = (self.toks[start].start, self.toks[end].end);
            self.replacements.push((a, b, "IDENTITY"));
        }
    }

    /// System-versioned tables: `GENERATED ALWAYS AS ROW START`, `PERIOD FOR SYSTEM_TIME (…)`.
    pub(super) fn tsql_temporal(&mut self) {
        for i in 0..self.toks.len() {
            if self.word(i, "GENERATED")
                && self.word(i + 1, "ALWAYS")
                && self.word(i + 2, "AS")
                && self.word(i + 3, "ROW")
            {
                self.blank_toks(i, (i + 4).min(self.toks.len() - 1));
            }
            if self.word(i, "PERIOD") && self.word(i + 1, "FOR") && self.punct(i + 3, b'(') {
                let close = self.close_of(i + 3);
                let from = if i > 0 && self.punct(i - 1, b',') {
                    i - 1
                } else {
                    i
                };
                self.blank_toks(from, close);
            }
        }
    }

    /// Dynamic data masking: `MASKED WITH (FUNCTION = 'default()')`.
    pub(super) fn tsql_masked(&mut self) {
        for i in 0..self.toks.len() {
            if self.word(i, "MASKED") && self.word(i + 1, "WITH") && self.punct(i + 2, b'(') {
                let close = self.close_of(i + 2);
                self.blank_toks(i, close);
            }
        }
    }

    /// An inline `INDEX name [CLUSTERED] COLUMNSTORE [(…)]`: a storage choice, not a key.
    pub(super) fn tsql_columnstore_items(&mut self) {
        for i in 1..self.toks.len() {
            let starts_item =
                self.toks[i].depth == 1 && (self.punct(i - 1, b'(') || self.punct(i - 1, b','));
            if !(starts_item && self.word(i, "INDEX")) {
                continue;
            }
            let end = self.item_end(i);
            if (i..=end).any(|j| self.word(j, "COLUMNSTORE")) {
                let from = if self.punct(i - 1, b',') { i - 1 } else { i };
                self.blank_toks(from, end);
            }
        }
    }

    /// `INDEX ix NONCLUSTERED HASH (c) WITH (BUCKET_COUNT = …)`, `PRIMARY KEY NONCLUSTERED HASH
    /// (c)`: memory-optimized tables' hash indexes are indexes over the same columns.
    pub(super) fn tsql_hash_indexes(&mut self) {
        for i in 2..self.toks.len() {
            let after_key = ["NONCLUSTERED", "CLUSTERED", "KEY", "UNIQUE"]
                .iter()
                .any(|w| self.word(i - 1, w))
                || self.word(i - 2, "INDEX");
            if self.word(i, "HASH") && self.punct(i + 1, b'(') && after_key {
                self.blank_toks(i, i);
            }
        }
    }

    /// `…,\n) ON [PRIMARY]`: T-SQL accepts a comma after the last item.
    pub(super) fn trailing_comma(&mut self) {
        for i in 0..self.toks.len() {
            if self.toks[i].depth == 1
                && self.punct(i, b',')
                && self.punct(i + 1, b')')
                && self.toks[i + 1].depth == 0
            {
                self.blank_toks(i, i);
            }
        }
    }

    /// `GENERATED BY DEFAULT ON NULL AS IDENTITY`, `DEFAULT ON NULL 0`.
    pub(super) fn oracle_on_null(&mut self) {
        for i in 1..self.toks.len() {
            if self.word(i, "ON") && self.word(i + 1, "NULL") && self.word(i - 1, "DEFAULT") {
                self.blank_toks(i, i + 1);
            }
        }
    }

    /// `… REFERENCES d (id) ENABLE NOVALIDATE`, `NOT NULL ENABLE`: whether Oracle enforces a
    /// constraint now, not what it is.
    pub(super) fn oracle_constraint_states(&mut self) {
        const STATES: [&str; 6] = [
            "ENABLE",
            "DISABLE",
            "VALIDATE",
            "NOVALIDATE",
            "RELY",
            "NORELY",
        ];
        let is_state = |r: &Self, i: usize| STATES.iter().any(|w| r.word(i, w));
        for i in 1..self.toks.len() {
            if !is_state(self, i) || self.punct(i - 1, b'(') || self.punct(i - 1, b',') {
                continue;
            }
            let next_ok = i + 1 >= self.toks.len()
                || self.punct(i + 1, b',')
                || self.punct(i + 1, b')')
                || is_state(self, i + 1)
                || self.word(i + 1, "USING");
            if next_ok {
                self.blank_toks(i, i);
            }
        }
    }

    /// `VARCHAR2(100 CHAR)`, `VARCHAR(20 BYTE)`: how the length is counted.
    pub(super) fn oracle_length_semantics(&mut self) {
        for i in 1..self.toks.len() {
            let after_number = self.toks.get(i - 1).is_some_and(|t| {
                !self.is_punct(i - 1)
                    && self.text[t.start..t.end]
                        .bytes()
                        .all(|b| b.is_ascii_digit())
            });
            if (self.word(i, "CHAR") || self.word(i, "BYTE"))
                && after_number
                && self.punct(i + 1, b')')
            {
                self.blank_toks(i, i);
            }
        }
    }
}
