//! The one place sqlparser is called, and where its error positions are mapped back.

use sqlparser::ast::Statement;
use sqlparser::dialect::{
    Dialect as SqlDialect, GenericDialect, MsSqlDialect, MySqlDialect, OracleDialect,
    PostgreSqlDialect, SQLiteDialect,
};
use sqlparser::parser::{Parser, ParserError};

use crate::Dialect;

/// sqlparser's dialect for ours. MariaDB is MySQL to the parser.
pub(crate) fn sql_dialect(dialect: Dialect) -> &'static dyn SqlDialect {
    match dialect {
        Dialect::Postgresql => &PostgreSqlDialect {},
        Dialect::Mysql | Dialect::Mariadb => &MySqlDialect {},
        Dialect::Sqlite => &SQLiteDialect {},
        Dialect::Mssql => &MsSqlDialect {},
        Dialect::Oracle => &OracleDialect {},
    }
}

/// A parse failure, positioned within the statement text (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseFailure {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses one statement's text.
///
/// The generic dialect is the fallback: it accepts a union of syntaxes (for example T-SQL
/// brackets in a SQLite file), and a schema read that way is still the schema.
pub(crate) fn parse(text: &str, dialect: Dialect) -> Result<Vec<Statement>, ParseFailure> {
    match Parser::parse_sql(sql_dialect(dialect), text) {
        Ok(statements) => Ok(statements),
        Err(first) => Parser::parse_sql(&GenericDialect {}, text).map_err(|_| failure(&first)),
    }
}

fn failure(error: &ParserError) -> ParseFailure {
    let raw = match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => "statement nested too deeply".to_string(),
    };
    let (line, column) = position(&raw).unwrap_or((1, 1));
    let message = match raw.find(" at Line: ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    ParseFailure {
        line,
        column,
        message,
    }
}

/// sqlparser puts the position in its message text: `… at Line: 3, Column: 14`.
fn position(message: &str) -> Option<(usize, usize)> {
    let at = message.rfind("Line: ")?;
    let rest = &message[at + "Line: ".len()..];
    let (line, rest) = rest.split_once(", Column: ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_positions_are_read_from_the_message() {
        let err = parse(
            "CREATE TABLE a (\n  id int,\n  x int foo bar\n)",
            Dialect::Postgresql,
        );
        let err = err.err();
        assert!(matches!(err, Some(ParseFailure { line: 3, .. })), "{err:?}");
    }

    #[test]
    fn position_parsing_tolerates_missing_positions() {
        assert_eq!(
            position("Expected x, found y at Line: 2, Column: 7"),
            Some((2, 7))
        );
        assert_eq!(position("no position"), None);
    }
}
