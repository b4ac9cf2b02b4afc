//! CHECK conditions for another database: read in the dialect they were written in, then written
//! for the target, one rule per construct. What has the same meaning everywhere (comparisons,
//! `AND`/`OR`/`NOT`, `IN`, `BETWEEN`, `LIKE`, `IS NULL`, arithmetic, literals, a few functions)
//! is translated: names quoted as the target quotes them, PostgreSQL's casts and
//! `= ANY (ARRAY[…])` made plain, functions renamed where the target spells them otherwise.
//! Anything else is refused with the construct named, and the export leaves the check out and
//! says so, rather than write SQL the target would refuse or read differently.

use model::{Column, Dialect, Table};
use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, ExactNumberInfo, Expr, FunctionArg, FunctionArgExpr,
    FunctionArguments, Ident, InTarget, ObjectName, ObjectNamePart, UnaryOperator, Value,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::names::quote;
use super::plan::same_family;
use crate::dialects;
use crate::import::parse::sql_dialect;

/// `sql`, a condition of `table` written in `source` (none: written in the editor), as `target`
/// reads it; `Err` names what `target` cannot be given. Columns in `as_numeric` are read as
/// numbers (PostgreSQL's `money` compares only with money).
pub(crate) fn translate(
    sql: &str,
    source: Option<Dialect>,
    target: Dialect,
    table: &Table,
    as_numeric: &[&str],
) -> Result<String, String> {
    if source.is_some_and(|s| same_family(s, target)) {
        return Ok(sql.to_string());
    }
    let parsed = match source {
        Some(d) => parse(sql, sql_dialect(d)),
        None => parse(sql, &GenericDialect {}),
    };
    let mut expr = match parsed {
        Some(expr) => expr,
        // Written by a person in no dialect in particular: theirs to answer for.
        None if source.is_none() => return Ok(sql.to_string()),
        None => return Err("it could not be read".into()),
    };
    let rewrite = Rewrite {
        target,
        table,
        as_numeric,
    };
    match (rewrite.expr(&mut expr), source) {
        (Ok(()), _) => Ok(expr.to_string()),
        (Err(_), None) => Ok(sql.to_string()),
        (Err(why), Some(_)) => Err(why),
    }
}

fn parse(sql: &str, dialect: &dyn sqlparser::dialect::Dialect) -> Option<Expr> {
    let mut parser = Parser::new(dialect).try_with_sql(sql).ok()?;
    let expr = parser.parse_expr().ok()?;
    (parser.peek_token().token == Token::EOF).then_some(expr)
}

struct Rewrite<'a> {
    target: Dialect,
    table: &'a Table,
    as_numeric: &'a [&'a str],
}

type Step = Result<(), String>;

impl Rewrite<'_> {
    fn expr(&self, e: &mut Expr) -> Step {
        match e {
            Expr::Identifier(ident) => {
                *e = self.column(ident)?;
                Ok(())
            }
            // `t.price`: the table's own column.
            Expr::CompoundIdentifier(parts) => {
                let last = parts.last().cloned().ok_or("an empty name")?;
                *e = self.column(&last)?;
                Ok(())
            }
            Expr::Nested(inner) => self.expr(inner),
            // MySQL's character set introducer (`_utf8mb4'G'`) says how to read a literal.
            Expr::Prefixed { prefix, value } if prefix.value.starts_with('_') => {
                let mut inner = e_take(value);
                self.expr(&mut inner)?;
                *e = inner;
                Ok(())
            }
            Expr::Value(v) => self.value(&mut v.value),
            Expr::IsNull(inner) | Expr::IsNotNull(inner) => self.expr(inner),
            Expr::UnaryOp { op, expr } => match op {
                UnaryOperator::Not | UnaryOperator::Minus | UnaryOperator::Plus => self.expr(expr),
                other => Err(format!("the operator {other}")),
            },
            Expr::BinaryOp { left, op, right } => {
                self.operator(op)?;
                self.expr(left)?;
                self.expr(right)
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                self.expr(expr)?;
                self.expr(low)?;
                self.expr(high)
            }
            Expr::In {
                expr,
                target: InTarget::List(list),
                ..
            } => {
                self.expr(expr)?;
                list.iter_mut().try_for_each(|x| self.expr(x))
            }
            Expr::Like {
                expr,
                pattern,
                escape_char,
                any: false,
                ..
            } => {
                self.expr(expr)?;
                self.expr(pattern)?;
                escape_char.as_deref_mut().map_or(Ok(()), |x| self.expr(x))
            }
            // pg_dump's `(status)::text = ANY ((ARRAY['a'::text, …])::text[])` is an IN list.
            Expr::AnyOp {
                left,
                compare_op: BinaryOperator::Eq,
                right,
                ..
            } => self
                .in_list(e_take(left), e_take(right), false)
                .map(|x| *e = x),
            Expr::AllOp {
                left,
                compare_op: BinaryOperator::NotEq,
                right,
            } => self
                .in_list(e_take(left), e_take(right), true)
                .map(|x| *e = x),
            Expr::Cast {
                kind: CastKind::DoubleColon | CastKind::Cast,
                expr,
                data_type,
                ..
            } => {
                if !plain_type(data_type) {
                    return Err(format!("the cast to {data_type}"));
                }
                // Comparisons take the literal as the column's type in every target.
                let mut inner = e_take(expr);
                self.expr(&mut inner)?;
                // `(status)::text` was bracketed only for the cast.
                while let Expr::Nested(x) = &mut inner
                    && matches!(**x, Expr::Identifier(_) | Expr::Value(_))
                {
                    inner = e_take(x);
                }
                *e = inner;
                Ok(())
            }
            Expr::Function(f) => {
                let name = f.name.to_string().to_ascii_lowercase();
                let renamed = self.function(&name, &f.args)?;
                f.name = ObjectName(vec![ObjectNamePart::Identifier(Ident::new(renamed))]);
                if let FunctionArguments::List(list) = &mut f.args {
                    if list.duplicate_treatment.is_some() || !list.clauses.is_empty() {
                        return Err(format!("the call of {name}"));
                    }
                    for arg in &mut list.args {
                        match arg {
                            FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => self.expr(x)?,
                            _ => return Err(format!("the call of {name}")),
                        }
                    }
                }
                Ok(())
            }
            other => Err(shown(other)),
        }
    }

    /// A column of the table, quoted as the export writes it.
    fn column(&self, ident: &Ident) -> Result<Expr, String> {
        let column: &Column = self
            .table
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&ident.value))
            .ok_or_else(|| format!("the name {ident}, which is not a column of the table"))?;
        let written = quote(self.target, &column.name);
        let (open, _) = dialects::rules(self.target).quotes();
        let ident = if written.starts_with(open) {
            Ident::with_quote(open, column.name.clone())
        } else {
            Ident::new(column.name.clone())
        };
        if !self.as_numeric.contains(&column.name.as_str()) {
            return Ok(Expr::Identifier(ident));
        }
        Ok(Expr::Cast {
            kind: CastKind::DoubleColon,
            expr: Box::new(Expr::Identifier(ident)),
            data_type: DataType::Numeric(ExactNumberInfo::None),
            format: None,
        })
    }

    fn value(&self, v: &mut Value) -> Step {
        let t = self.target;
        match v {
            Value::Number(..) | Value::Null => Ok(()),
            Value::SingleQuotedString(s) if matches!(t, Dialect::Mysql | Dialect::Mariadb) => {
                // MySQL reads a backslash in a string as an escape.
                match s.contains('\\') {
                    true => Err("a string with a backslash".into()),
                    false => Ok(()),
                }
            }
            Value::SingleQuotedString(_) => Ok(()),
            Value::NationalStringLiteral(s) | Value::DoubleQuotedString(s) => {
                *v = Value::SingleQuotedString(std::mem::take(s));
                self.value(v)
            }
            Value::Boolean(b) if matches!(t, Dialect::Mssql | Dialect::Oracle) => {
                *v = Value::Number((*b as u8).to_string(), false);
                Ok(())
            }
            Value::Boolean(_) => Ok(()),
            other => Err(format!("the literal {other}")),
        }
    }

    fn operator(&self, op: &BinaryOperator) -> Step {
        use BinaryOperator as B;
        let t = self.target;
        match op {
            B::Eq | B::NotEq | B::Lt | B::LtEq | B::Gt | B::GtEq | B::And | B::Or => Ok(()),
            B::Plus | B::Minus | B::Multiply | B::Divide => Ok(()),
            B::Modulo if t != Dialect::Oracle => Ok(()),
            // MySQL reads `||` as OR, SQL Server concatenates with `+`.
            B::StringConcat if !matches!(t, Dialect::Mysql | Dialect::Mariadb | Dialect::Mssql) => {
                Ok(())
            }
            other => Err(format!("the operator {other}")),
        }
    }

    /// The target's name for a function whose meaning every target shares.
    fn function(&self, name: &str, args: &FunctionArguments) -> Result<String, String> {
        let t = self.target;
        if !matches!(args, FunctionArguments::List(_)) {
            return Err(format!(
                "{name}, which has no meaning fixed across databases"
            ));
        }
        let same = [
            "lower", "upper", "trim", "ltrim", "rtrim", "abs", "coalesce", "nullif", "round",
        ];
        if same.contains(&name) {
            return Ok(name.to_string());
        }
        if matches!(name, "length" | "char_length" | "character_length" | "len") {
            return Ok(match t {
                Dialect::Postgresql | Dialect::Mysql | Dialect::Mariadb => "char_length",
                Dialect::Mssql => "len",
                Dialect::Sqlite | Dialect::Oracle => "length",
            }
            .to_string());
        }
        Err(format!("the function {name}"))
    }

    /// `left = ANY (array)` as `left IN (…)`, `left <> ALL (array)` as `NOT IN`.
    fn in_list(&self, mut left: Expr, right: Expr, negated: bool) -> Result<Expr, String> {
        let mut right = right;
        loop {
            right = match right {
                Expr::Nested(inner) => *inner,
                Expr::Cast { expr, .. } => *expr,
                Expr::Array(array) => {
                    let mut list = array.elem;
                    self.expr(&mut left)?;
                    list.iter_mut().try_for_each(|x| self.expr(x))?;
                    return Ok(Expr::In {
                        expr: Box::new(left),
                        target: InTarget::List(list),
                        negated,
                        global: false,
                    });
                }
                other => return Err(format!("ANY/ALL over {}", shown(&other))),
            };
        }
    }
}

fn e_take(b: &mut Box<Expr>) -> Expr {
    std::mem::replace(&mut **b, Expr::Value(Value::Null.into()))
}

/// Types whose casts only say how a literal is read: text, numbers, dates and times, and
/// arrays of them.
fn plain_type(ty: &DataType) -> bool {
    let text = ty.to_string().to_ascii_lowercase();
    let base = text.split(['(', '[', ' ']).next().unwrap_or("");
    matches!(
        base,
        "text"
            | "varchar"
            | "character"
            | "char"
            | "bpchar"
            | "nvarchar"
            | "nchar"
            | "string"
            | "numeric"
            | "decimal"
            | "int"
            | "integer"
            | "int2"
            | "int4"
            | "int8"
            | "bigint"
            | "smallint"
            | "real"
            | "double"
            | "float"
            | "float4"
            | "float8"
            | "date"
            | "time"
            | "timestamp"
            | "timestamptz"
    )
}

/// A construct named for a note: its SQL, cut short.
fn shown(e: &Expr) -> String {
    let text = e.to_string();
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Column;

    fn table() -> Table {
        let mut t = Table::new("film");
        for (name, ty) in [
            ("rating", "varchar(10)"),
            ("Price", "numeric(5,2)"),
            ("code", "text"),
        ] {
            t.columns.push(Column::new(name, ty));
        }
        t
    }

    fn to(target: Dialect, source: Dialect, sql: &str) -> Result<String, String> {
        translate(sql, Some(source), target, &table(), &[])
    }

    #[test]
    fn pg_dump_forms_become_plain_sql() {
        let sql = "((rating)::text = ANY ((ARRAY['G'::character varying, 'PG'::character varying])::text[]))";
        assert_eq!(
            to(Dialect::Mysql, Dialect::Postgresql, sql).unwrap(),
            "(rating IN ('G', 'PG'))"
        );
        assert_eq!(
            to(
                Dialect::Mssql,
                Dialect::Postgresql,
                "(\"Price\" >= (0)::numeric)"
            )
            .unwrap(),
            "(Price >= 0)"
        );
        assert_eq!(
            to(
                Dialect::Sqlite,
                Dialect::Postgresql,
                "(rating <> ALL (ARRAY['X'::text]))"
            )
            .unwrap(),
            "(rating NOT IN ('X'))"
        );
        // Its own family gets it as written.
        assert_eq!(
            to(Dialect::Postgresql, Dialect::Postgresql, sql).unwrap(),
            sql
        );
    }

    #[test]
    fn names_and_functions_follow_the_target() {
        assert_eq!(
            to(
                Dialect::Postgresql,
                Dialect::Mssql,
                "(len([code])>(0) AND [price]>=(0))"
            )
            .unwrap(),
            "(char_length(code) > (0) AND \"Price\" >= (0))"
        );
        assert_eq!(
            to(
                Dialect::Mysql,
                Dialect::Sqlite,
                "length(code) BETWEEN 1 AND 3"
            )
            .unwrap(),
            "char_length(code) BETWEEN 1 AND 3"
        );
        assert_eq!(
            to(
                Dialect::Oracle,
                Dialect::Postgresql,
                "code IS NOT NULL OR true"
            )
            .unwrap(),
            "code IS NOT NULL OR 1"
        );
    }

    #[test]
    fn what_a_target_cannot_read_is_refused_with_the_reason() {
        let refused = |target, source, sql| to(target, source, sql).unwrap_err();
        assert!(refused(Dialect::Mysql, Dialect::Mssql, "code < getdate()").contains("getdate"));
        assert!(
            refused(Dialect::Mysql, Dialect::Postgresql, "code ~ '^[a-z]+$'").contains("operator")
        );
        assert!(
            refused(Dialect::Mysql, Dialect::Postgresql, "(code || 'x') <> 'y'").contains("||")
        );
        assert!(
            refused(Dialect::Sqlite, Dialect::Postgresql, "other > 0").contains("not a column")
        );
        assert!(
            refused(Dialect::Mysql, Dialect::Postgresql, "code <> 'a\\b'").contains("backslash")
        );
        // A person's own condition, in no dialect, is written as they wrote it.
        let t = table();
        assert_eq!(
            translate("code ~ 'x'", None, Dialect::Mysql, &t, &[]).unwrap(),
            "code ~ 'x'"
        );
        assert_eq!(
            translate("\"Price\" > 0", None, Dialect::Mysql, &t, &[]).unwrap(),
            "Price > 0"
        );
    }
}
