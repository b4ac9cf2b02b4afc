//! Statements read from their words rather than by sqlparser: `CREATE SCHEMA` with schema
//! elements, and SQL Server alias types.

use super::columns::normalise_type;
use super::tokens::{TokKind, tokenize};

/// The elements of `CREATE SCHEMA s [AUTHORIZATION u] CREATE TABLE … CREATE VIEW …`, each with
/// its byte offset in `text`; tables are qualified with the schema. Empty when there are none.
pub(crate) fn elements(text: &str) -> Vec<(usize, String)> {
    let toks = tokenize(text);
    let word = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.is_word(text, w));
    if !(word(0, "CREATE") && word(1, "SCHEMA")) || toks.len() < 4 {
        return Vec::new();
    }
    let schema = toks[2].unquoted(text);
    let schema = if schema.eq_ignore_ascii_case("authorization") {
        toks.get(3).map(|t| t.unquoted(text)).unwrap_or_default()
    } else {
        schema
    };
    let starts: Vec<usize> = (3..toks.len())
        .filter(|&i| toks[i].depth == 0 && (word(i, "CREATE") || word(i, "GRANT")))
        .collect();
    let mut out = Vec::new();
    for (n, &i) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(text.len(), |&j| toks[j].start);
        let start = toks[i].start;
        let element = text[start..end].trim_end();
        // `CREATE TABLE name` with a one-part name: the table is in this schema.
        let qualified = if word(i + 1, "TABLE")
            && toks.get(i + 2).is_some()
            && !toks
                .get(i + 3)
                .is_some_and(|t| t.kind == TokKind::Punct(b'.'))
        {
            let at = toks[i + 2].start - start;
            format!("{}\"{schema}\".{}", &element[..at], &element[at..])
        } else {
            element.to_string()
        };
        out.push((start, qualified));
    }
    out
}

/// `CREATE TYPE [s].[Name] FROM nvarchar(50) [NOT] NULL`: the alias name and its type.
pub(crate) fn alias_type(text: &str) -> Option<(String, String)> {
    let toks = tokenize(text);
    let word = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.is_word(text, w));
    if !(word(0, "CREATE") && word(1, "TYPE")) {
        return None;
    }
    let from = (2..toks.len()).find(|&i| word(i, "FROM"))?;
    let name = toks[from - 1].unquoted(text);
    let mut end = toks.len();
    while end > from + 1 && (word(end - 1, "NULL") || word(end - 1, "NOT")) {
        end -= 1;
    }
    if end <= from + 1 {
        return None;
    }
    let base: String = toks[from + 1..end]
        .iter()
        .map(|t| t.unquoted(text))
        .collect::<Vec<_>>()
        .join(" ");
    Some((name, normalise_type(&base)))
}

/// `EXEC[UTE] sp_addtype name, 'varchar(11)' [, 'NOT NULL']`, SQL Server's older way to make
/// an alias type: the alias name and its type.
pub(crate) fn sp_addtype(text: &str) -> Option<(String, String)> {
    let toks = tokenize(text);
    let raw = |i: usize| toks.get(i).map_or("", |t| &text[t.start..t.end]);
    if !(raw(0).eq_ignore_ascii_case("EXEC") || raw(0).eq_ignore_ascii_case("EXECUTE")) {
        return None;
    }
    // `sp_addtype`, `dbo.sp_addtype`, `[sp_addtype]`.
    let mut at = 1;
    while raw(at + 1) == "." {
        at += 2;
    }
    if !toks
        .get(at)?
        .unquoted(text)
        .eq_ignore_ascii_case("sp_addtype")
    {
        return None;
    }
    let literal = |s: &str| {
        let s = s.strip_prefix(['N', 'n']).unwrap_or(s);
        s.strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .map(str::to_string)
    };
    // The arguments as written, split at top-level commas.
    let mut args: Vec<String> = vec![String::new()];
    for t in &toks[at + 1..] {
        let piece = &text[t.start..t.end];
        if piece == "," && t.depth == 0 {
            args.push(String::new());
        } else if let Some(last) = args.last_mut() {
            last.push_str(piece);
        }
    }
    let arg = |i: usize| {
        let a: &str = args.get(i).map_or("", |a| a.trim());
        literal(a).unwrap_or_else(|| a.trim_matches(['[', ']']).to_string())
    };
    let (name, base) = (arg(0), normalise_type(&arg(1)));
    (!name.is_empty() && !base.is_empty()).then_some((name, base))
}

/// `CREATE DOMAIN s.name [AS] varchar(50) [DEFAULT …] [NOT NULL] [CHECK …]`: the domain's name
/// and its base type. Its constraints are the columns' business, not their type.
pub(crate) fn domain_type(text: &str) -> Option<(String, String)> {
    const ENDS: [&str; 7] = [
        "DEFAULT",
        "CONSTRAINT",
        "NOT",
        "NULL",
        "CHECK",
        "COLLATE",
        ";",
    ];
    let toks = tokenize(text);
    let word = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.is_word(text, w));
    if !(word(0, "CREATE") && word(1, "DOMAIN")) {
        return None;
    }
    // The name: words joined by dots, the last one counts.
    let mut at = 2;
    while toks
        .get(at + 1)
        .is_some_and(|t| &text[t.start..t.end] == ".")
    {
        at += 2;
    }
    let name = toks.get(at)?.unquoted(text);
    let start = if word(at + 1, "AS") { at + 2 } else { at + 1 };
    let end = (start..toks.len())
        .find(|&i| toks[i].depth == 0 && ENDS.iter().any(|w| word(i, w)))
        .unwrap_or(toks.len());
    if end <= start {
        return None;
    }
    let base: String = toks[start..end]
        .iter()
        .map(|t| t.unquoted(text))
        .collect::<Vec<_>>()
        .join(" ");
    Some((name, normalise_type(&base)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_types_name_their_base_type() {
        assert_eq!(
            alias_type("CREATE TYPE [dbo].[Name] FROM [nvarchar](50) NULL"),
            Some(("Name".into(), "nvarchar(50)".into()))
        );
        assert_eq!(
            alias_type("CREATE TYPE [Flag] FROM bit NOT NULL"),
            Some(("Flag".into(), "bit".into()))
        );
        assert_eq!(alias_type("CREATE TYPE t AS TABLE (a int)"), None);
    }

    #[test]
    fn sp_addtype_names_an_alias_type() {
        assert_eq!(
            sp_addtype("execute sp_addtype id      ,'varchar(11)' ,'NOT NULL'"),
            Some(("id".into(), "varchar(11)".into()))
        );
        assert_eq!(
            sp_addtype("EXEC dbo.sp_addtype N'empid', N'char(9)'"),
            Some(("empid".into(), "char(9)".into()))
        );
        assert_eq!(sp_addtype("EXEC sp_help 'x'"), None);
    }

    #[test]
    fn domains_name_their_base_type() {
        assert_eq!(
            domain_type("CREATE DOMAIN public.\"Name\" varchar(50) NULL"),
            Some(("Name".into(), "varchar(50)".into()))
        );
        assert_eq!(
            domain_type("CREATE DOMAIN pos AS numeric(8, 2) DEFAULT 0 CHECK (VALUE > 0)"),
            Some(("pos".into(), "numeric(8,2)".into()))
        );
        assert_eq!(
            domain_type("CREATE DOMAIN t timestamp with time zone NOT NULL"),
            Some(("t".into(), "timestamp with time zone".into()))
        );
        assert_eq!(domain_type("CREATE TYPE x AS ENUM ('a')"), None);
    }

    #[test]
    fn schema_elements_are_qualified_tables() {
        let sql = "CREATE SCHEMA Person\n  CREATE TABLE BusinessEntity(id int)\n  CREATE TABLE x.y(id int)\n  CREATE VIEW v AS SELECT 1";
        let e = elements(sql);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].1, "CREATE TABLE \"Person\".BusinessEntity(id int)");
        assert_eq!(e[1].1, "CREATE TABLE x.y(id int)");
        assert!(elements("CREATE SCHEMA s").is_empty());
        assert!(elements("CREATE SCHEMA AUTHORIZATION u").is_empty());
    }
}
