//! Splits a script into statements the way the database's own client would.
//!
//! Real dumps are client scripts, not bare SQL: psql meta-commands, MySQL `DELIMITER`, sqlcmd `GO`
//! and `:setvar`, SQL*Plus `/` and `prompt` lines. Each is handled here so the parser only ever sees
//! one statement. Comments are blanked to spaces (one per character, newlines kept) rather than
//! removed, so a line:column inside a statement maps straight back to the original input.

use std::collections::HashMap;

use serde::Serialize;

use crate::Dialect;

/// One statement of a script, with client syntax and comments blanked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SqlStatement {
    /// 1-based line and column of the statement's first character in the original input.
    pub line: usize,
    pub column: usize,
    /// The statement without its terminator; comments replaced by spaces, layout kept.
    pub text: String,
}

/// A client command line that is not SQL (psql `\c`, MySQL `source`, SQL*Plus `prompt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Directive {
    pub line: usize,
    pub kind: String,
}

#[derive(Debug, Default)]
pub(crate) struct Split {
    pub statements: Vec<SqlStatement>,
    pub directives: Vec<Directive>,
}

/// Splits `sql` into statements for `dialect`; see [`SqlStatement`].
pub fn split_statements(sql: &str, dialect: Dialect) -> Vec<SqlStatement> {
    split(sql, dialect).statements
}

pub(crate) fn split(sql: &str, dialect: Dialect) -> Split {
    let mut s = Splitter::new(sql, dialect);
    s.run();
    s.flush();
    s.out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

struct Splitter<'a> {
    src: &'a str,
    bytes: &'a [u8],
    dialect: Dialect,
    pos: usize,
    line: usize,
    col: usize,
    /// Only whitespace seen since the last newline: client commands are recognised here.
    at_line_start: bool,
    /// The statement so far, up to `seg`; text from `seg` to `pos` is kept but not yet copied
    /// (copying token by token was a tenth of the import time).
    buf: String,
    seg: usize,
    /// The current statement has begun (something other than whitespace and comments).
    started: bool,
    start: (usize, usize),
    delimiter: String,
    /// `BEGIN`/`CASE` minus `END` inside the current statement, for routine bodies.
    depth: i32,
    seen_begin: bool,
    /// Open parentheses in the current statement.
    parens: i32,
    /// Inside a MySQL `/*! … */` whose content is kept.
    in_conditional: bool,
    vars: HashMap<String, String>,
    out: Split,
}

impl<'a> Splitter<'a> {
    fn new(src: &'a str, dialect: Dialect) -> Self {
        Self {
            src,
            bytes: src.as_bytes(),
            dialect,
            pos: 0,
            line: 1,
            col: 1,
            at_line_start: true,
            buf: String::new(),
            seg: 0,
            started: false,
            start: (1, 1),
            delimiter: ";".to_string(),
            depth: 0,
            seen_begin: false,
            parens: 0,
            in_conditional: false,
            vars: HashMap::new(),
            out: Split::default(),
        }
    }

    fn mysql(&self) -> bool {
        matches!(self.dialect, Dialect::Mysql | Dialect::Mariadb)
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    /// Moves over `n` bytes, keeping them in the statement.
    fn keep(&mut self, n: usize) {
        let end = (self.pos + n).min(self.bytes.len());
        if !self.started {
            self.started = true;
            self.start = (self.line, self.col);
            self.seg = self.pos;
        }
        self.advance_to(end);
    }

    /// Moves over a word of `len` bytes, keeping it: no newline in it, so only the column moves
    /// (by its characters).
    fn keep_word(&mut self, len: usize) {
        if !self.started {
            self.started = true;
            self.start = (self.line, self.col);
            self.seg = self.pos;
        }
        let word = &self.bytes[self.pos..self.pos + len];
        self.col += word.iter().filter(|&&b| !(0x80..0xC0).contains(&b)).count();
        self.at_line_start = false;
        self.pos += len;
    }

    /// Copies the kept text not yet in `buf`.
    fn take_segment(&mut self) {
        if self.started && self.seg < self.pos {
            self.buf.push_str(&self.src[self.seg..self.pos]);
        }
        self.seg = self.pos;
    }

    /// Moves over text that is not part of the statement (terminators, client commands).
    fn skip_to(&mut self, end: usize) {
        self.take_segment();
        self.advance_to(end);
        self.seg = self.pos;
    }

    /// Moves over `n` bytes, replacing each character by a space (newlines kept).
    fn blank(&mut self, n: usize) {
        let end = (self.pos + n).min(self.bytes.len());
        if self.started {
            self.take_segment();
            for &b in &self.bytes[self.pos..end] {
                if !(0x80..0xC0).contains(&b) {
                    self.buf.push(if b == b'\n' { '\n' } else { ' ' });
                }
            }
        }
        self.advance_to(end);
        self.seg = self.pos;
    }

    /// The start of the current statement, enough to read its first words.
    fn head(&self) -> String {
        let mut head = self.buf.chars().take(200).collect::<String>();
        if head.len() < 200 && self.started {
            let pending = &self.src[self.seg..self.pos];
            let mut cut = pending.len().min(200);
            while !pending.is_char_boundary(cut) {
                cut -= 1;
            }
            head.push_str(&pending[..cut]);
        }
        head
    }

    fn advance_to(&mut self, end: usize) {
        let moved = &self.bytes[self.pos..end];
        // Most runs are one line of ASCII: the column moves by their length.
        if moved.iter().all(|&b| b != b'\n' && b < 0x80) {
            self.col += moved.len();
            if moved.iter().any(|b| !b.is_ascii_whitespace()) {
                self.at_line_start = false;
            }
            self.pos = end;
            return;
        }
        for &b in moved {
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
                self.at_line_start = true;
            } else if !(0x80..0xC0).contains(&b) {
                self.col += 1;
                if !b.is_ascii_whitespace() {
                    self.at_line_start = false;
                }
            }
        }
        self.pos = end;
    }

    fn line_end(&self) -> usize {
        self.bytes[self.pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |i| self.pos + i)
    }

    fn flush(&mut self) {
        self.take_segment();
        let text = self.buf.trim_end();
        if !text.is_empty() {
            let (line, column) = self.start;
            let text = self.substitute(text);
            let copy_data = self.dialect == Dialect::Postgresql && is_copy_from_stdin(&text);
            self.out
                .statements
                .push(SqlStatement { line, column, text });
            if copy_data {
                self.skip_copy_data();
            }
        }
        self.buf.clear();
        self.started = false;
        self.depth = 0;
        self.seen_begin = false;
        self.parens = 0;
    }

    /// sqlcmd `$(name)` takes its `:setvar` value, even inside quotes; unknown ones stay.
    fn substitute(&self, text: &str) -> String {
        let mut text = text.to_string();
        if self.dialect == Dialect::Mssql && text.contains("$(") {
            for (name, value) in &self.vars {
                text = text.replace(&format!("$({name})"), value);
            }
        }
        text
    }

    /// pg_dump's `COPY … FROM stdin;` is followed by raw rows up to a `\.` line.
    fn skip_copy_data(&mut self) {
        let end = self.line_end();
        self.advance_to((end + 1).min(self.bytes.len()));
        while self.pos < self.bytes.len() {
            let end = self.line_end();
            let row = self.src[self.pos..end].trim_end();
            self.advance_to((end + 1).min(self.bytes.len()));
            if row == "\\." {
                break;
            }
        }
    }

    fn run(&mut self) {
        // A byte-order mark (SSMS and Visual Studio save scripts with one) is not text.
        if self.src.starts_with('\u{FEFF}') {
            self.advance_to(3);
            self.col = 1;
            self.at_line_start = true;
        }
        while self.pos < self.bytes.len() {
            let b = self.bytes[self.pos];
            // Client commands are recognised at the first non-blank character of a line.
            if self.at_line_start && !b.is_ascii_whitespace() && self.client_line() {
                continue;
            }
            if self.delimiter != ";" && self.src[self.pos..].starts_with(self.delimiter.as_str()) {
                let n = self.delimiter.len();
                self.skip_to(self.pos + n);
                self.flush();
                continue;
            }
            match b {
                b'\n' | b' ' | b'\t' | b'\r' => self.whitespace(),
                b'-' if self.peek(1) == b'-' && self.dash_comment() => {
                    let n = self.line_end() - self.pos;
                    self.blank(n);
                }
                b'#' if self.mysql() || self.dialect == Dialect::Sqlite => {
                    let n = self.line_end() - self.pos;
                    self.blank(n);
                }
                b'/' if self.peek(1) == b'*' => self.block_comment(),
                b'*' if self.peek(1) == b'/' && self.in_conditional => {
                    self.in_conditional = false;
                    self.blank(2);
                }
                b'\'' => self.quoted(b'\'', self.backslash_escapes()),
                b'"' => self.quoted(b'"', self.mysql()),
                b'`' => self.quoted(b'`', false),
                b'[' if matches!(self.dialect, Dialect::Mssql | Dialect::Sqlite) => {
                    self.quoted(b']', false)
                }
                b'$' if self.dialect == Dialect::Postgresql => self.dollar(),
                b';' => self.semicolon(),
                b if is_word_byte(b) => self.word(),
                b'(' => {
                    self.parens += 1;
                    self.keep(1);
                }
                b')' => {
                    self.parens -= 1;
                    self.keep(1);
                }
                _ => self.keep(1),
            }
        }
    }

    /// MySQL needs whitespace after `--` for a comment; elsewhere `--` always starts one.
    fn dash_comment(&self) -> bool {
        !self.mysql() || matches!(self.peek(2), 0 | b' ' | b'\t' | b'\r' | b'\n')
    }

    fn backslash_escapes(&self) -> bool {
        if self.mysql() {
            return true;
        }
        // PostgreSQL E'…' strings.
        self.dialect == Dialect::Postgresql
            && self.pos > 0
            && matches!(self.bytes[self.pos - 1], b'E' | b'e')
            && (self.pos < 2 || !is_word_byte(self.bytes[self.pos - 2]))
    }

    fn quoted(&mut self, close: u8, backslash: bool) {
        let mut i = self.pos + 1;
        while i < self.bytes.len() {
            let b = self.bytes[i];
            if backslash && b == b'\\' {
                i += 2;
                continue;
            }
            if b == close {
                if self.bytes.get(i + 1) == Some(&close) && close != b']' {
                    i += 2;
                    continue;
                }
                if close == b']' && self.bytes.get(i + 1) == Some(&b']') {
                    i += 2;
                    continue;
                }
                i += 1;
                break;
            }
            i += 1;
        }
        self.keep(i - self.pos);
    }

    fn block_comment(&mut self) {
        if self.mysql() && self.peek(2) == b'!' {
            // `/*!40101 … */`: mysqldump's real table options live here; keep the content.
            let mut n = 3;
            while self.peek(n).is_ascii_digit() {
                n += 1;
            }
            self.in_conditional = true;
            self.blank(n);
            return;
        }
        let nests = self.dialect == Dialect::Postgresql;
        let mut depth = 0;
        let mut i = self.pos;
        while i < self.bytes.len() {
            if self.bytes[i] == b'/' && self.bytes.get(i + 1) == Some(&b'*') {
                depth += 1;
                i += 2;
            } else if self.bytes[i] == b'*' && self.bytes.get(i + 1) == Some(&b'/') {
                depth -= 1;
                i += 2;
                if depth == 0 || !nests {
                    break;
                }
            } else {
                i += 1;
            }
        }
        let n = i.min(self.bytes.len()) - self.pos;
        self.blank(n);
    }

    /// PostgreSQL `$tag$ … $tag$` bodies; a `$1` parameter is not one.
    fn dollar(&mut self) {
        let rest = &self.bytes[self.pos + 1..];
        let tag_len = rest.iter().take_while(|&&b| is_word_byte(b)).count();
        let starts_tag = rest.get(tag_len) == Some(&b'$')
            && !rest.first().is_some_and(u8::is_ascii_digit)
            && (self.pos == 0 || !is_word_byte(self.bytes[self.pos - 1]));
        if !starts_tag {
            self.keep(1);
            return;
        }
        let tag = &self.src[self.pos..self.pos + tag_len + 2];
        let body_start = self.pos + tag.len();
        let end = self.src[body_start..]
            .find(tag)
            .map_or(self.bytes.len(), |i| body_start + i + tag.len());
        self.keep(end - self.pos);
    }

    fn semicolon(&mut self) {
        if self.delimiter != ";" || self.in_body() {
            self.keep(1);
            return;
        }
        self.skip_to(self.pos + 1);
        self.flush();
    }

    /// A `;` inside a routine body (trigger, procedure, PL/SQL block) ends nothing.
    fn in_body(&self) -> bool {
        // T-SQL and PL/SQL routines may declare before BEGIN; GO or `/` ends them.
        let open = self.depth > 0
            || (matches!(self.dialect, Dialect::Mssql | Dialect::Oracle) && !self.seen_begin);
        open && self.started && is_routine(&self.head())
    }

    /// A run of whitespace at once: nothing in it ends or starts anything.
    fn whitespace(&mut self) {
        let run = &self.bytes[self.pos..];
        let len = run
            .iter()
            .position(|b| !matches!(b, b'\n' | b' ' | b'\t' | b'\r'))
            .unwrap_or(run.len());
        match run[..len].iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += run[..last].iter().filter(|&&b| b == b'\n').count() + 1;
                self.col = len - last;
                self.at_line_start = true;
            }
            None => self.col += len,
        }
        self.pos += len;
    }

    fn word(&mut self) {
        let run = &self.bytes[self.pos..];
        let len = run
            .iter()
            .position(|&b| !(is_word_byte(b) || b == b'$'))
            .unwrap_or(run.len());
        // Only these words matter here: GO, END, CASE, BEGIN.
        if !(2..=5).contains(&len) {
            self.keep_word(len);
            return;
        }
        let word = &self.src[self.pos..self.pos + len];
        if self.dialect == Dialect::Mssql
            && word.eq_ignore_ascii_case("go")
            && self.pos > 0
            && self.bytes[self.pos - 1] == b')'
            && self.src[self.pos + len..self.line_end()].trim().is_empty()
        {
            // phpBB's generator glues `GO` to the closing parenthesis: `)GO`.
            let end = self.line_end();
            self.skip_to(end);
            self.flush();
            return;
        }
        if word.eq_ignore_ascii_case("begin") || word.eq_ignore_ascii_case("case") {
            self.depth += 1;
            self.seen_begin |= word.eq_ignore_ascii_case("begin");
        } else if word.eq_ignore_ascii_case("end") {
            let next = next_word(&self.src[self.pos + len..]);
            let closes_block = !["if", "loop", "while", "repeat", "for"]
                .iter()
                .any(|k| next.eq_ignore_ascii_case(k));
            if closes_block {
                self.depth = (self.depth - 1).max(0);
            }
            if next.eq_ignore_ascii_case("case") {
                // `END CASE` closes one block; its CASE must not open another.
                self.keep(len);
                let ws = self.src[self.pos..].len() - self.src[self.pos..].trim_start().len();
                self.keep(ws + 4);
                return;
            }
        }
        self.keep_word(len);
    }

    /// Recognises a client command on its own line; consumes it and returns true if it was one.
    fn client_line(&mut self) -> bool {
        let first_byte = self.bytes[self.pos];
        let may_be_command = match self.dialect {
            // `GO`, `:setvar`, and (inside a statement) a keyword that starts the next one.
            Dialect::Mssql => {
                first_byte.is_ascii_alphabetic() || matches!(first_byte, b':' | b'\\')
            }
            // `/`, SQL*Plus commands and `@script`.
            Dialect::Oracle => {
                first_byte.is_ascii_alphabetic() || matches!(first_byte, b'/' | b'@' | b'\\')
            }
            // `DELIMITER`, `SOURCE`, `\.`; and psql's `\` commands, read anywhere.
            Dialect::Mysql | Dialect::Mariadb => {
                matches!(first_byte | 0x20, b'd' | b's') || first_byte == b'\\'
            }
            Dialect::Postgresql | Dialect::Sqlite => first_byte == b'\\',
        };
        if !may_be_command {
            return false;
        }
        let end = self.line_end();
        let line = self.src[self.pos..end].trim();
        let first = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches(';');
        let lower = first.to_ascii_lowercase();
        let empty = !self.started;
        let mut kind: Option<String> = None;
        let mut terminates = false;
        if self.dialect == Dialect::Mssql && !empty && self.tsql_new_statement(&lower) {
            // T-SQL needs no `;`: a batch may hold `CREATE TABLE … ) ON [PRIMARY]` then INSERTs.
            self.flush();
            return false;
        }
        match self.dialect {
            Dialect::Mssql
                if lower == "go" && line[2..].trim().chars().all(|c| c.is_ascii_digit()) =>
            {
                terminates = true;
            }
            Dialect::Mssql if empty && first.starts_with(':') => {
                self.setvar(line);
                kind = Some(format!("sqlcmd {lower}"));
            }
            Dialect::Oracle if line == "/" => terminates = true,
            Dialect::Oracle if empty && is_sqlplus_command(&lower) => {
                kind = Some(format!("SQL*Plus {}", lower.to_ascii_uppercase()));
            }
            Dialect::Mysql | Dialect::Mariadb if lower == "delimiter" => {
                self.flush();
                let new = line[first.len()..].trim();
                self.delimiter = if new.is_empty() {
                    ";".into()
                } else {
                    new.to_string()
                };
                self.skip_to(end);
                return true;
            }
            Dialect::Mysql | Dialect::Mariadb if empty && (lower == "source" || lower == "\\.") => {
                kind = Some("SOURCE".into());
            }
            _ if empty && first.starts_with('\\') => {
                kind = Some(format!("psql {first}"));
            }
            _ => return false,
        }
        let line_no = self.line;
        self.skip_to(end);
        if terminates {
            self.flush();
        }
        // `rem` lines are comments, not commands worth reporting.
        if let Some(kind) = kind.filter(|k| !k.starts_with("SQL*Plus REM")) {
            self.out.directives.push(Directive {
                line: line_no,
                kind,
            });
        }
        true
    }

    /// A line starting with one of these words at parenthesis depth 0 starts a new statement,
    /// unless the current one is a routine or an IF/WHILE whose body it is.
    fn tsql_new_statement(&self, first_word: &str) -> bool {
        const STARTERS: [&str; 9] = [
            "insert", "create", "alter", "drop", "grant", "exec", "execute", "print", "use",
        ];
        if self.parens != 0 || !STARTERS.contains(&first_word) || is_routine(&self.head()) {
            return false;
        }
        let head = next_word(&self.head()).to_ascii_lowercase();
        !matches!(head.as_str(), "if" | "else" | "while" | "begin")
    }

    fn setvar(&mut self, line: &str) {
        let mut parts = line.splitn(3, char::is_whitespace);
        let (Some(cmd), Some(name)) = (parts.next(), parts.next()) else {
            return;
        };
        if cmd.eq_ignore_ascii_case(":setvar") {
            let value = parts.next().unwrap_or("").trim().trim_matches('"');
            self.vars.insert(name.to_string(), value.to_string());
        }
    }
}

fn next_word(rest: &str) -> &str {
    let rest = rest.trim_start();
    let len = rest.bytes().take_while(|&b| is_word_byte(b)).count();
    &rest[..len]
}

fn is_sqlplus_command(word: &str) -> bool {
    const COMMANDS: [&str; 19] = [
        "rem",
        "remark",
        "prompt",
        "set",
        "spool",
        "whenever",
        "exit",
        "quit",
        "define",
        "undefine",
        "show",
        "column",
        "connect",
        "disconnect",
        "host",
        "pause",
        "accept",
        "ttitle",
        "btitle",
    ];
    COMMANDS.contains(&word) || word.starts_with('@')
}

/// The statement creates a routine whose body holds `;` (or is an anonymous PL/SQL block).
pub(crate) fn is_routine(text: &str) -> bool {
    let mut words = text
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase);
    let Some(first) = words.next() else {
        return false;
    };
    if first == "begin" {
        // `BEGIN;`, `BEGIN TRANSACTION` open a transaction; anything else is a PL/SQL block.
        const TRANSACTION: [&str; 7] = [
            "transaction",
            "tran",
            "work",
            "deferred",
            "immediate",
            "exclusive",
            "isolation",
        ];
        return words
            .next()
            .is_some_and(|w| !TRANSACTION.contains(&w.as_str()));
    }
    if first == "declare" {
        return true;
    }
    if first != "create" {
        return false;
    }
    for w in words.take(8) {
        match w.as_str() {
            "trigger" | "function" | "procedure" | "proc" | "package" | "event" => return true,
            "table" | "index" | "view" | "sequence" | "type" => return false,
            _ => {}
        }
    }
    false
}

fn is_copy_from_stdin(text: &str) -> bool {
    text.get(..4)
        .is_some_and(|w| w.eq_ignore_ascii_case("copy"))
        && text.to_ascii_lowercase().contains("from stdin")
}

#[cfg(test)]
#[path = "split_tests.rs"]
mod tests;
