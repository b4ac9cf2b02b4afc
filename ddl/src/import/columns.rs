//! One column definition to a model column, plus the constraints written inline on it.

use model::Column;
use sqlparser::ast::{ColumnDef, ColumnOption, DataType, Expr, ObjectNamePart};
use sqlparser::tokenizer::Token;

use super::ids::Ids;
use super::names::ident;
use super::relations::{ForeignKey, foreign_key};
use crate::Dialect;

/// A column and what its inline options said beyond the column itself.
pub(crate) struct ColumnRead {
    pub column: Column,
    pub foreign_keys: Vec<ForeignKey>,
    /// Its CHECK constraints: name (if written) and condition.
    pub checks: Vec<(Option<String>, String)>,
    /// Options the model cannot hold (ON UPDATE, a generation expression).
    pub dropped: Vec<String>,
}

pub(crate) fn column(def: &ColumnDef, dialect: Dialect, ids: &mut Ids) -> ColumnRead {
    let mut column = ids.column(ident(&def.name), type_text(&def.data_type));
    const SERIALS: [&str; 6] = [
        "serial",
        "bigserial",
        "smallserial",
        "serial4",
        "serial8",
        "serial2",
    ];
    if SERIALS
        .iter()
        .any(|s| column.data_type.eq_ignore_ascii_case(s))
    {
        column.auto_increment = true;
        column.nullable = false;
    }
    let mut read = ColumnRead {
        column,
        foreign_keys: Vec::new(),
        checks: Vec::new(),
        dropped: Vec::new(),
    };
    for def in &def.options {
        apply_option(
            &mut read,
            &def.option,
            def.name.as_ref().map(ident),
            dialect,
        );
    }
    read
}

/// Applies one option; also used for MySQL `MODIFY`/`CHANGE` and `ALTER COLUMN`.
pub(crate) fn apply_option(
    read: &mut ColumnRead,
    option: &ColumnOption,
    constraint_name: Option<String>,
    dialect: Dialect,
) {
    let col = &mut read.column;
    match option {
        ColumnOption::Null => col.nullable = true,
        ColumnOption::NotNull => col.nullable = false,
        ColumnOption::Default(expr) => set_default(col, expr),
        ColumnOption::PrimaryKey(_) => {
            col.primary_key = true;
            col.nullable = false;
        }
        ColumnOption::Unique(_) => col.unique = true,
        ColumnOption::ForeignKey(fk) => {
            let mut fk = foreign_key(fk, vec![col.name.clone()], dialect);
            if fk.name.is_empty() {
                fk.name = constraint_name.unwrap_or_default();
            }
            read.foreign_keys.push(fk);
        }
        ColumnOption::Check(check) => {
            let name = check.name.as_ref().map(ident).or(constraint_name);
            read.checks.push((name, check.expr.to_string()));
        }
        ColumnOption::DialectSpecific(tokens) => {
            let auto = tokens.iter().any(|t| match t {
                Token::Word(w) => {
                    w.value.eq_ignore_ascii_case("AUTO_INCREMENT")
                        || w.value.eq_ignore_ascii_case("AUTOINCREMENT")
                }
                _ => false,
            });
            col.auto_increment |= auto;
        }
        ColumnOption::Comment(text) => col.comment = text.clone(),
        ColumnOption::Identity(_) => col.auto_increment = true,
        ColumnOption::Generated {
            generation_expr, ..
        } => match generation_expr {
            None => col.auto_increment = true,
            Some(expr) => read.dropped.push(format!(
                "generation expression of column {} ({expr})",
                col.name
            )),
        },
        ColumnOption::OnUpdate(expr) => {
            let now = crate::export::defaults::parse(&expr.to_string()).value
                == crate::export::defaults::Value::Now;
            match now {
                true => col.on_update_now = true,
                false => read
                    .dropped
                    .push(format!("ON UPDATE {expr} of column {}", col.name)),
            }
        }
        _ => {}
    }
}

/// PostgreSQL's serial columns come back from pg_dump as `DEFAULT nextval('…_seq'::regclass)`.
fn set_default(col: &mut Column, expr: &Expr) {
    let text = default_text(expr);
    if text
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("nextval("))
    {
        col.auto_increment = true;
        col.default = None;
    } else if text.eq_ignore_ascii_case("null") {
        // `DEFAULT NULL` is what a nullable column has anyway.
        col.default = None;
    } else {
        col.default = Some(text);
    }
}

/// The default as SQL text, without the redundant parentheses T-SQL scripts wrap it in.
pub(crate) fn default_text(expr: &Expr) -> String {
    let mut expr = expr;
    while let Expr::Nested(inner) = expr {
        expr = inner;
    }
    expr.to_string()
}

/// Built-in type names that sqlparser leaves as "custom" (T-SQL quotes them as `[int]`, Oracle's
/// NUMBER, …); they are lowercased like the types sqlparser knows.
const BUILTIN: [&str; 48] = [
    "int",
    "integer",
    "bigint",
    "smallint",
    "tinyint",
    "mediumint",
    "bit",
    "varchar",
    "nvarchar",
    "char",
    "nchar",
    "text",
    "ntext",
    "image",
    "datetime",
    "datetime2",
    "smalldatetime",
    "date",
    "time",
    "money",
    "smallmoney",
    "decimal",
    "numeric",
    "float",
    "real",
    "uniqueidentifier",
    "varbinary",
    "binary",
    "xml",
    "sql_variant",
    "timestamp",
    "serial",
    "bigserial",
    "number",
    "varchar2",
    "nvarchar2",
    "clob",
    "nclob",
    "blob",
    "raw",
    "long",
    "mediumtext",
    "longtext",
    "tinytext",
    "year",
    "uuid",
    "bytea",
    "sysname",
];

/// The type as text: built-in names lowercase, spacing normalised (`varchar(255)`,
/// `numeric(10,2)`); user-defined names (enums, domains) kept as written, unquoted.
pub(crate) fn type_text(data_type: &DataType) -> String {
    if let DataType::Custom(name, modifiers) = data_type {
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|p| match p {
                ObjectNamePart::Identifier(i) => i.value.clone(),
                ObjectNamePart::Function(f) => f.to_string(),
            })
            .collect();
        // `public.mood` names the same type as `mood`; the default schema is dropped as for tables.
        let parts = match parts.as_slice() {
            [schema, _] if schema == "public" || schema.eq_ignore_ascii_case("dbo") => &parts[1..],
            _ => &parts[..],
        };
        let mut text = parts.join(".");
        let lower = text.to_ascii_lowercase();
        if BUILTIN.contains(&lower.as_str()) {
            text = lower;
        }
        // Oracle's length semantics (`VARCHAR2(20 CHAR)`, `CHAR(1 BYTE)`) do not change the type.
        let args: Vec<String> = modifiers
            .iter()
            .map(ToString::to_string)
            .filter(|m| !m.eq_ignore_ascii_case("CHAR") && !m.eq_ignore_ascii_case("BYTE"))
            .collect();
        if !args.is_empty() {
            text = format!("{text}({})", args.join(","));
        }
        return text;
    }
    if let Some(text) = common_type(data_type) {
        return text;
    }
    let mut text = data_type.to_string();
    if text.contains(['\'', '"']) {
        return normalise_type(&text);
    }
    // The common case in place: one allocation per column matters on 1,000-table schemas.
    text.make_ascii_lowercase();
    if text.contains(", ") || text.contains(" (") || text.contains("  ") {
        text = normalise_type(&text);
    }
    text
}

/// The text of the commonest types, as the general path below writes it, without formatting
/// machinery: eight columns a table on a 1,000-table schema.
fn common_type(data_type: &DataType) -> Option<String> {
    use sqlparser::ast::{CharacterLength, ExactNumberInfo, TimezoneInfo};
    let plain = match data_type {
        DataType::Int(None) => "int",
        DataType::Integer(None) => "integer",
        DataType::BigInt(None) => "bigint",
        DataType::SmallInt(None) => "smallint",
        DataType::Text => "text",
        DataType::Boolean => "boolean",
        DataType::Bool => "bool",
        DataType::Date => "date",
        DataType::Uuid => "uuid",
        DataType::Real => "real",
        DataType::JSONB => "jsonb",
        DataType::Bytea => "bytea",
        DataType::Timestamp(None, TimezoneInfo::None) => "timestamp",
        DataType::Varchar(Some(CharacterLength::IntegerLength { length, unit: None })) => {
            return Some(format!("varchar({length})"));
        }
        DataType::Char(Some(CharacterLength::IntegerLength { length, unit: None })) => {
            return Some(format!("char({length})"));
        }
        DataType::Numeric(ExactNumberInfo::PrecisionAndScale(p, s)) => {
            return Some(format!("numeric({p},{s})"));
        }
        DataType::Decimal(ExactNumberInfo::PrecisionAndScale(p, s)) => {
            return Some(format!("decimal({p},{s})"));
        }
        _ => return None,
    };
    Some(plain.to_string())
}

/// Lowercase outside quotes, no space before `(` or after `,`, single spaces elsewhere.
pub(crate) fn normalise_type(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut quote: Option<char> = None;
    let mut pending_space = false;
    for c in raw.chars() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space
            && !out.is_empty()
            && c != '('
            && c != ')'
            && c != ','
            && !out.ends_with(['(', ','])
        {
            out.push(' ');
        }
        pending_space = false;
        if c == '\'' || c == '"' {
            quote = Some(c);
            out.push(c);
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsed_types_come_out_lowercase_and_compact() {
        let cases = [
            ("NUMERIC(10, 2)", "numeric(10,2)"),
            ("character varying(45)", "character varying(45)"),
            ("ENUM('a', 'B')", "enum('a','B')"),
            ("Int", "int"),
        ];
        for (sql, want) in cases {
            let statements =
                crate::import::parse::parse(&format!("CREATE TABLE t (c {sql})"), Dialect::Mysql)
                    .unwrap_or_default();
            let Some(sqlparser::ast::Statement::CreateTable(ct)) = statements.first() else {
                panic!("{sql} did not parse");
            };
            assert_eq!(type_text(&ct.columns[0].data_type), want);
        }
    }

    #[test]
    fn the_common_types_read_as_the_general_path_reads_them() {
        let sql = "CREATE TABLE t (a int, b integer, c bigint, d smallint, e text, f boolean, \
                   g bool, h date, i uuid, j real, k jsonb, l bytea, m timestamp, \
                   n varchar(40), o char(8), p numeric(10,2), q decimal(12, 4))";
        let statements =
            sqlparser::parser::Parser::parse_sql(&sqlparser::dialect::PostgreSqlDialect {}, sql)
                .unwrap();
        let sqlparser::ast::Statement::CreateTable(ct) = &statements[0] else {
            panic!("not a table");
        };
        for c in &ct.columns {
            let fast = common_type(&c.data_type).expect("a common type");
            let mut general = c.data_type.to_string().to_ascii_lowercase();
            if general.contains(", ") {
                general = normalise_type(&general);
            }
            assert_eq!(fast, general, "column {}", c.name);
        }
    }

    #[test]
    fn type_text_is_normalised_but_enum_values_keep_their_case() {
        assert_eq!(normalise_type("NUMERIC(10, 2)"), "numeric(10,2)");
        assert_eq!(normalise_type("VARCHAR (255)"), "varchar(255)");
        assert_eq!(normalise_type("ENUM('G', 'PG-13')"), "enum('G','PG-13')");
        assert_eq!(normalise_type("INTEGER  UNSIGNED"), "integer unsigned");
        assert_eq!(
            normalise_type("TIMESTAMP WITHOUT TIME ZONE"),
            "timestamp without time zone"
        );
    }
}
