//! Reading a column type as written in any dialect into one neutral description.
//!
//! Diagrams are imported from every dialect and edited by hand, so `Column::data_type` may hold
//! `int(11) unsigned`, `nvarchar(max)`, `varchar2(255 char)`, `character varying(255)` or
//! `timestamp without time zone`. Export first reads it into [`SqlType`]; [`super::mapping`] then
//! writes that for the target. Reading never fails: what is not recognised is kept as written.

use model::EnumType;

use super::literal;

/// Storage size class of unbounded text and binary types (MySQL distinguishes four).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Size {
    Tiny,
    Regular,
    Medium,
    Long,
}

/// Width of an integer type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum IntWidth {
    Tiny,
    Small,
    Medium,
    Regular,
    Big,
}

/// A column type independent of dialect.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SqlType {
    Boolean,
    Int {
        width: IntWidth,
        unsigned: bool,
    },
    Decimal {
        precision: Option<u32>,
        scale: Option<u32>,
    },
    Money,
    /// Four-byte float.
    Real,
    /// Eight-byte float.
    Double,
    /// `float` without a precision: four bytes in MySQL, eight elsewhere.
    Float,
    Char {
        len: u32,
    },
    /// `len: None` is a varchar without length (PostgreSQL's unbounded varchar).
    Varchar {
        len: Option<u32>,
    },
    Text(Size),
    Date,
    Time {
        precision: Option<u32>,
        tz: bool,
    },
    Timestamp {
        precision: Option<u32>,
        tz: bool,
    },
    Year,
    /// A span of time; which fields it holds, as far as it says.
    Interval(IntervalFields),
    Json {
        binary: bool,
    },
    Uuid,
    Binary {
        len: u32,
    },
    Varbinary {
        len: u32,
    },
    Blob(Size),
    Bits {
        len: u32,
    },
    Xml,
    /// Inline value list (MySQL `ENUM('a','b')`).
    Enum(Vec<String>),
    /// MySQL `SET('a','b')`.
    Set(Vec<String>),
    /// A type of `Diagram::enums`, by position.
    NamedEnum(usize),
    /// A PostgreSQL array of the element type.
    Array(Box<SqlType>),
    /// A PostgreSQL built-in with no counterpart elsewhere (`inet`, `tsvector`); lowercase text.
    PgNative(String),
    /// Not recognised; the cleaned text as written.
    Unknown(String),
}

/// A read type and whether its name implied auto-increment (`serial`, `bigserial`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub ty: SqlType,
    pub serial: bool,
}

/// PostgreSQL built-in types passed through to PostgreSQL as written.
const PG_NATIVE: &[&str] = &[
    "box",
    "cidr",
    "circle",
    "daterange",
    "hstore",
    "inet",
    "int4range",
    "int8range",
    "line",
    "lseg",
    "macaddr",
    "macaddr8",
    "numrange",
    "oid",
    "path",
    "pg_lsn",
    "point",
    "polygon",
    "tsquery",
    "tsrange",
    "tstzrange",
    "tsvector",
    "txid_snapshot",
];

/// The fields of an interval type: the two families the SQL standard (and Oracle) keep apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntervalFields {
    /// Any span (PostgreSQL's plain `interval`).
    Any,
    /// `YEAR TO MONTH`, `YEAR`, `MONTH`.
    YearMonth,
    /// `DAY TO SECOND` and its parts.
    DaySecond,
}

impl IntervalFields {
    fn of(data_type: &str) -> Self {
        let lowered = data_type.to_ascii_lowercase();
        if lowered.contains("year") || lowered.contains("month") {
            IntervalFields::YearMonth
        } else if ["day", "hour", "minute", "second"]
            .iter()
            .any(|field| lowered.contains(field))
        {
            IntervalFields::DaySecond
        } else {
            IntervalFields::Any
        }
    }
}

/// Reads `data_type`; `enums` are the diagram's named types, which columns use by name.
pub(crate) fn parse(data_type: &str, enums: &[EnumType]) -> Parsed {
    let text = data_type.trim();
    if let Some(element) = strip_array(text) {
        let inner = parse(element, enums);
        return Parsed {
            ty: SqlType::Array(Box::new(inner.ty)),
            serial: false,
        };
    }
    let (head, args, tail) = split_args(text);
    if let Some(index) = named_enum(head, enums) {
        return plain(SqlType::NamedEnum(index));
    }
    let mut words: Vec<String> = head
        .split_whitespace()
        .chain(tail.split_whitespace())
        .map(|w| {
            w.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']'))
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let unsigned = take_word(&mut words, "unsigned");
    take_word(&mut words, "signed");
    take_word(&mut words, "zerofill");
    let tz = take_phrase(&mut words, &["with", "time", "zone"])
        || take_phrase(&mut words, &["with", "local", "time", "zone"]);
    take_phrase(&mut words, &["without", "time", "zone"]);
    strip_charset(&mut words);
    if words.first().is_some_and(|w| w == "national") {
        words.remove(0);
    }
    let key = words.join(" ");
    let lowered_args = args.map(str::to_ascii_lowercase);
    let nums = numbers(lowered_args.as_deref());
    let max = lowered_args.as_deref().is_some_and(|a| a.trim() == "max");
    let first = nums.first().copied().flatten();
    let second = nums.get(1).copied().flatten();
    let int = |width| SqlType::Int { width, unsigned };
    let serial = matches!(
        key.as_str(),
        "serial" | "serial2" | "serial4" | "serial8" | "smallserial" | "bigserial"
    );
    let ty = match key.as_str() {
        "bool" | "boolean" => SqlType::Boolean,
        "bit" if first.unwrap_or(1) == 1 => SqlType::Boolean,
        "bit" | "bit varying" | "varbit" => SqlType::Bits {
            len: first.unwrap_or(1),
        },
        "tinyint" | "int1" if first == Some(1) => SqlType::Boolean,
        "tinyint" | "int1" => int(IntWidth::Tiny),
        "smallint" | "int2" | "smallserial" | "serial2" => int(IntWidth::Small),
        "mediumint" | "int3" | "middleint" => int(IntWidth::Medium),
        "int" | "integer" | "int4" | "serial" | "serial4" | "pls_integer" => int(IntWidth::Regular),
        "bigint" | "int8" | "big int" | "bigserial" | "serial8" => int(IntWidth::Big),
        "number" => number(first, second, lowered_args.as_deref()),
        "numeric" | "decimal" | "dec" | "fixed" => SqlType::Decimal {
            precision: first,
            scale: second,
        },
        "money" | "smallmoney" => SqlType::Money,
        "real" | "float4" | "binary_float" => SqlType::Real,
        "double" | "double precision" | "float8" | "binary_double" => SqlType::Double,
        "float" => match first {
            Some(p) if p <= 24 => SqlType::Real,
            Some(_) => SqlType::Double,
            None => SqlType::Float,
        },
        "char" | "character" | "nchar" | "bpchar" => SqlType::Char {
            len: first.unwrap_or(1),
        },
        "varchar" | "character varying" | "char varying" | "nvarchar" | "varchar2"
        | "nvarchar2" | "nchar varying" | "varying character" | "string" => {
            if max {
                SqlType::Text(Size::Long)
            } else {
                SqlType::Varchar { len: first }
            }
        }
        "tinytext" => SqlType::Text(Size::Tiny),
        "text" | "citext" | "ntext" | "long varchar" => SqlType::Text(Size::Regular),
        "mediumtext" => SqlType::Text(Size::Medium),
        "longtext" | "clob" | "nclob" | "long" | "dbclob" => SqlType::Text(Size::Long),
        "date" => SqlType::Date,
        "time" => SqlType::Time {
            precision: first,
            tz,
        },
        "timetz" => SqlType::Time {
            precision: first,
            tz: true,
        },
        "timestamp" | "datetime" | "datetime2" | "smalldatetime" => SqlType::Timestamp {
            precision: first,
            tz,
        },
        "timestamptz" | "datetimeoffset" => SqlType::Timestamp {
            precision: first,
            tz: true,
        },
        "year" => SqlType::Year,
        "json" => SqlType::Json { binary: false },
        "jsonb" => SqlType::Json { binary: true },
        "uuid" | "uniqueidentifier" => SqlType::Uuid,
        "binary" => SqlType::Binary {
            len: first.unwrap_or(1),
        },
        "varbinary" | "binary varying" | "raw" if !max => match first {
            Some(len) => SqlType::Varbinary { len },
            None => SqlType::Blob(Size::Regular),
        },
        "varbinary" | "binary varying" => SqlType::Blob(Size::Long),
        "tinyblob" => SqlType::Blob(Size::Tiny),
        "blob" | "bytea" | "image" => SqlType::Blob(Size::Regular),
        "mediumblob" => SqlType::Blob(Size::Medium),
        "longblob" | "long raw" => SqlType::Blob(Size::Long),
        "xml" | "xmltype" => SqlType::Xml,
        "enum" => SqlType::Enum(literal::list(args.unwrap_or(""))),
        "set" => SqlType::Set(literal::list(args.unwrap_or(""))),
        k if k.starts_with("interval") => SqlType::Interval(IntervalFields::of(text)),
        k if PG_NATIVE.contains(&k) => SqlType::PgNative(with_args(k, args)),
        _ => SqlType::Unknown(with_args(&cleaned(head, tail), args)),
    };
    Parsed { ty, serial }
}

/// MySQL writes booleans as `tinyint(1)`, but some schemas keep small numbers there; this is the
/// integer reading of such a type, for when its default shows it is not a boolean.
pub(crate) fn not_boolean(data_type: &str) -> Option<SqlType> {
    let lower = data_type.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("tinyint")
        .or_else(|| lower.strip_prefix("int1"))?;
    Some(SqlType::Int {
        width: IntWidth::Tiny,
        unsigned: rest.contains("unsigned"),
    })
}

fn plain(ty: SqlType) -> Parsed {
    Parsed { ty, serial: false }
}

/// Oracle `NUMBER(p[,0])` is how Oracle spells integers; other precisions stay exact decimals.
fn number(precision: Option<u32>, scale: Option<u32>, args: Option<&str>) -> SqlType {
    let star = args.is_some_and(|a| a.trim_start().starts_with('*'));
    let int = |width| SqlType::Int {
        width,
        unsigned: false,
    };
    match (precision, scale) {
        (Some(p), None | Some(0)) if !star => match p {
            0..=4 => int(IntWidth::Small),
            5..=9 => int(IntWidth::Regular),
            10..=19 => int(IntWidth::Big),
            _ => SqlType::Decimal {
                precision: Some(p),
                scale: Some(0),
            },
        },
        (None, Some(0)) if star => SqlType::Decimal {
            precision: Some(38),
            scale: Some(0),
        },
        _ => SqlType::Decimal { precision, scale },
    }
}

/// `int[]`, `text[][]`, `integer ARRAY`: the element type.
fn strip_array(text: &str) -> Option<&str> {
    let trimmed = text.trim_end();
    if let Some(rest) = trimmed.strip_suffix(']') {
        let open = rest.rfind('[')?;
        let inner = &rest[open + 1..];
        if inner.chars().all(|c| c.is_ascii_digit()) {
            let element = rest[..open].trim_end();
            return (!element.is_empty()).then(|| strip_array(element).unwrap_or(element));
        }
        return None;
    }
    let lower_tail = trimmed
        .len()
        .checked_sub(6)
        .and_then(|at| trimmed.get(at..))?;
    if lower_tail.eq_ignore_ascii_case(" array") {
        let element = trimmed[..trimmed.len() - 6].trim_end();
        return (!element.is_empty()).then_some(element);
    }
    None
}

/// Splits `head(args) tail`; quotes inside the parentheses are respected.
fn split_args(text: &str) -> (&str, Option<&str>, &str) {
    let Some(open) = text.find('(') else {
        return (text, None, "");
    };
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text[open..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    let close = open + i;
                    return (
                        &text[..open],
                        Some(&text[open + 1..close]),
                        &text[close + 1..],
                    );
                }
            }
            _ => {}
        }
    }
    (&text[..open], Some(&text[open + 1..]), "")
}

/// The position of the diagram enum named by `head` (quotes and a schema prefix ignored).
fn named_enum(head: &str, enums: &[EnumType]) -> Option<usize> {
    enums.iter().position(|e| model::enums::uses(e, head))
}

fn take_word(words: &mut Vec<String>, word: &str) -> bool {
    let before = words.len();
    words.retain(|w| w != word);
    words.len() != before
}

fn take_phrase(words: &mut Vec<String>, phrase: &[&str]) -> bool {
    let found = words
        .windows(phrase.len())
        .position(|window| window.iter().zip(phrase).all(|(w, p)| w == p));
    if let Some(at) = found {
        words.drain(at..at + phrase.len());
    }
    found.is_some()
}

/// Drops MySQL `CHARACTER SET x`, `CHARSET x`, `COLLATE x` and a `BINARY` collation flag.
fn strip_charset(words: &mut Vec<String>) {
    let mut i = 0;
    while i < words.len() {
        let skip = match words[i].as_str() {
            "character" if words.get(i + 1).is_some_and(|w| w == "set") => 3,
            "charset" | "collate" => 2,
            "binary" if i > 0 => 1,
            _ => 0,
        };
        if skip == 0 {
            i += 1;
        } else {
            let end = (i + skip).min(words.len());
            words.drain(i..end);
        }
    }
}

/// The leading integer of each comma-separated argument (`255 char` → 255, `max` → none).
fn numbers(args: Option<&str>) -> Vec<Option<u32>> {
    let Some(args) = args else {
        return Vec::new();
    };
    args.split(',')
        .map(|a| {
            let digits: String = a.trim().chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

fn cleaned(head: &str, tail: &str) -> String {
    let text = format!("{head} {tail}");
    text.split_whitespace()
        .map(|w| w.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']')))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

fn with_args(base: &str, args: Option<&str>) -> String {
    match args {
        Some(a) => format!("{base}({})", a.trim()),
        None => base.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> SqlType {
        parse(text, &[]).ty
    }

    #[test]
    fn reads_types_as_every_dialect_writes_them() {
        let int = |width, unsigned| SqlType::Int { width, unsigned };
        assert_eq!(ty("int(11) unsigned"), int(IntWidth::Regular, true));
        assert_eq!(ty("nvarchar(max)"), SqlType::Text(Size::Long));
        assert_eq!(
            ty("varchar2(255 char)"),
            SqlType::Varchar { len: Some(255) }
        );
        assert_eq!(ty("NUMBER(10,0)"), int(IntWidth::Big, false));
        assert_eq!(ty("number(8)"), int(IntWidth::Regular, false));
        assert_eq!(ty("mediumtext"), SqlType::Text(Size::Medium));
        assert_eq!(ty("tinyint(1)"), SqlType::Boolean);
        assert_eq!(ty("tinyint(4)"), int(IntWidth::Tiny, false));
        assert_eq!(
            ty("character varying(255)"),
            SqlType::Varchar { len: Some(255) }
        );
        assert_eq!(
            ty("timestamp(6) without time zone"),
            SqlType::Timestamp {
                precision: Some(6),
                tz: false
            }
        );
        assert_eq!(
            ty("TIMESTAMP WITH TIME ZONE"),
            SqlType::Timestamp {
                precision: None,
                tz: true
            }
        );
        assert_eq!(ty("[nvarchar](40)"), SqlType::Varchar { len: Some(40) });
        assert_eq!(
            ty("varchar(20) CHARACTER SET utf8mb4"),
            SqlType::Varchar { len: Some(20) }
        );
        assert_eq!(
            ty("decimal(10, 2)"),
            SqlType::Decimal {
                precision: Some(10),
                scale: Some(2)
            }
        );
        assert_eq!(ty("mediumtext(16777215)"), SqlType::Text(Size::Medium));
        assert_eq!(ty("unsigned big int"), int(IntWidth::Big, true));
        assert_eq!(ty("double precision"), SqlType::Double);
        assert_eq!(ty("bit"), SqlType::Boolean);
        assert_eq!(
            ty("int[]"),
            SqlType::Array(Box::new(int(IntWidth::Regular, false)))
        );
        assert_eq!(ty("tsvector"), SqlType::PgNative("tsvector".into()));
        assert_eq!(
            ty("geometry(Point, 4326)"),
            SqlType::Unknown("geometry(Point, 4326)".into())
        );
    }

    #[test]
    fn serial_names_imply_auto_increment() {
        let parsed = parse("bigserial", &[]);
        assert!(parsed.serial);
        assert_eq!(
            parsed.ty,
            SqlType::Int {
                width: IntWidth::Big,
                unsigned: false
            }
        );
        assert!(!parse("bigint", &[]).serial);
    }

    #[test]
    fn enum_values_keep_their_case_and_quotes() {
        assert_eq!(
            ty("enum('G','PG-13','it''s')"),
            SqlType::Enum(vec!["G".into(), "PG-13".into(), "it's".into()])
        );
    }

    #[test]
    fn diagram_enums_are_found_by_name() {
        let e = EnumType {
            id: model::Uuid::nil(),
            name: "mpaa_rating".into(),
            schema: Some("public".into()),
            values: vec!["G".into()],
        };
        assert_eq!(
            parse("public.\"mpaa_rating\"", &[e]).ty,
            SqlType::NamedEnum(0)
        );
    }
}
