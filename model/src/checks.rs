//! CHECK constraints: their ops, and how a column's rename or removal carries into the SQL that
//! names it (as the databases do: a rename rewrites the condition, a removal drops it).

use uuid::Uuid;

use crate::diagram::{Check, Diagram, Table};
use crate::error::OpError;
use crate::op::{Op, position};
use crate::patch::CheckPatch;
use crate::validate;

pub(crate) fn add(
    doc: &mut Diagram,
    table_id: Uuid,
    check: Check,
    at: Option<usize>,
) -> Result<Op, OpError> {
    let table = table_mut(doc, table_id)?;
    let at = position(at, table.checks.len())?;
    validate::check_in(table, &check, None)?;
    let check_id = check.id;
    table.checks.insert(at, check);
    Ok(Op::RemoveCheck { table_id, check_id })
}

pub(crate) fn remove(doc: &mut Diagram, table_id: Uuid, check_id: Uuid) -> Result<Op, OpError> {
    let table = table_mut(doc, table_id)?;
    let at = find(table, check_id)?;
    let check = table.checks.remove(at);
    Ok(Op::AddCheck {
        table_id,
        check,
        at: Some(at),
    })
}

pub(crate) fn update(
    doc: &mut Diagram,
    table_id: Uuid,
    check_id: Uuid,
    patch: CheckPatch,
) -> Result<Op, OpError> {
    let table = table_mut(doc, table_id)?;
    let at = find(table, check_id)?;
    let mut next = table.checks[at].clone();
    let inverse = patch.apply_to(&mut next);
    validate::check_in(table, &next, Some(at))?;
    table.checks[at] = next;
    Ok(Op::UpdateCheck {
        table_id,
        check_id,
        patch: inverse,
    })
}

/// Whether `sql` may be a check's condition (one piece of SQL, no control characters), for
/// callers that build documents without ops (the importer leaves out a check that may not).
pub fn condition_allowed(sql: &str) -> Result<(), OpError> {
    validate::sql_piece("check", sql)
}

/// The ops that remove the checks of `table` that go with column `column_id`: those declared on
/// it, and those whose condition names it.
pub(crate) fn removed_with(table: &Table, column_id: Uuid) -> Vec<Op> {
    let Some(column) = table.column(column_id) else {
        return Vec::new();
    };
    table
        .checks
        .iter()
        .filter(|c| c.column == Some(column_id) || names(&c.sql, &column.name))
        .map(|c| Op::RemoveCheck {
            table_id: table.id,
            check_id: c.id,
        })
        .collect()
}

/// The ops that rewrite the conditions of `table` naming column `old` to name `new` instead.
pub(crate) fn renamed(table: &Table, old: &str, new: &str) -> Vec<Op> {
    table
        .checks
        .iter()
        .filter_map(|c| {
            let sql = renamed_sql(&c.sql, old, new)?;
            Some(Op::UpdateCheck {
                table_id: table.id,
                check_id: c.id,
                patch: CheckPatch {
                    sql: Some(sql),
                    ..CheckPatch::default()
                },
            })
        })
        .collect()
}

fn table_mut(doc: &mut Diagram, id: Uuid) -> Result<&mut Table, OpError> {
    let at = doc.table_position(id).ok_or(OpError::UnknownTable(id))?;
    Ok(&mut doc.tables[at])
}

fn find(table: &Table, id: Uuid) -> Result<usize, OpError> {
    table
        .checks
        .iter()
        .position(|c| c.id == id)
        .ok_or(OpError::UnknownCheck {
            table: table.id,
            check: id,
        })
}

/// An identifier of a condition: where it stands and the name it holds (unquoted).
struct Word {
    start: usize,
    end: usize,
    name: String,
    quote: Option<(char, char)>,
}

/// The identifiers of `sql`: bare words and quoted names (`"x"`, `` `x` ``, `[x]`), not what
/// string literals hold nor type names after `::`. Keywords and function names are among them;
/// callers compare with a column's name.
fn words(sql: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let bytes = sql.as_bytes();
    let mut i = 0;
    let mut after_cast = false;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\'' => {
                // A string literal; '' inside it is a quote.
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
                after_cast = false;
            }
            // `[` after a word or a bracket is an array's (`ARRAY[…]`, `a[1]`), not a quote.
            b'[' if i > 0
                && (bytes[i - 1].is_ascii_alphanumeric()
                    || matches!(bytes[i - 1], b'_' | b')' | b']'))
                || out.last().is_some_and(|w: &Word| {
                    w.quote.is_none()
                        && w.name.eq_ignore_ascii_case("array")
                        && sql[w.end..i].trim().is_empty()
                }) =>
            {
                i += 1;
                after_cast = false;
            }
            b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                let start = i;
                let end = sql[i + 1..]
                    .find(close as char)
                    .map_or(bytes.len(), |at| i + 1 + at);
                if !after_cast {
                    out.push(Word {
                        start,
                        end: (end + 1).min(bytes.len()),
                        name: sql[i + 1..end].to_string(),
                        quote: Some((c as char, close as char)),
                    });
                }
                i = end + 1;
                after_cast = false;
            }
            b':' if bytes.get(i + 1) == Some(&b':') => {
                i += 2;
                after_cast = true;
            }
            c if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i] == b'_'
                        || bytes[i] == b'$'
                        || bytes[i].is_ascii_alphanumeric()
                        || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                if !after_cast {
                    out.push(Word {
                        start,
                        end: i,
                        name: sql[start..i].to_string(),
                        quote: None,
                    });
                }
                after_cast = false;
            }
            c if c.is_ascii_digit() => {
                // A number (`1e5` is not a word).
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                    i += 1;
                }
                after_cast = false;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                i += 1;
                after_cast = false;
            }
        }
    }
    out
}

/// Whether `sql` names column `name` (case aside, as the databases compare unquoted names).
pub fn names(sql: &str, name: &str) -> bool {
    words(sql).iter().any(|w| w.name.eq_ignore_ascii_case(name))
}

/// `sql` with column `old` named `new` wherever it stands, in its quotes if it had them; `None`
/// when `sql` does not name it.
pub fn renamed_sql(sql: &str, old: &str, new: &str) -> Option<String> {
    let hits: Vec<Word> = words(sql)
        .into_iter()
        .filter(|w| w.name.eq_ignore_ascii_case(old))
        .collect();
    if hits.is_empty() {
        return None;
    }
    let plain = new
        .chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && new.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    let mut out = String::with_capacity(sql.len() + new.len());
    let mut from = 0;
    for w in hits {
        out.push_str(&sql[from..w.start]);
        match w.quote {
            Some((open, close)) => {
                out.push(open);
                out.push_str(new);
                out.push(close);
            }
            None if plain => out.push_str(new),
            None => {
                out.push('"');
                out.push_str(new);
                out.push('"');
            }
        }
        from = w.end;
    }
    out.push_str(&sql[from..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_skip_literals_and_cast_types() {
        let sql = "(status)::text = ANY (ARRAY['price'::text, \"Price\", [qty] > 0])";
        let found: Vec<String> = words(sql).into_iter().map(|w| w.name).collect();
        assert_eq!(found, ["status", "ANY", "ARRAY", "Price", "qty"]);
    }

    #[test]
    fn a_rename_keeps_quotes_and_leaves_literals() {
        assert_eq!(
            renamed_sql(
                "price > 0 AND \"Price\" < 'price' AND t.price <> 1",
                "price",
                "cost"
            ),
            Some("cost > 0 AND \"cost\" < 'price' AND t.cost <> 1".to_string())
        );
        assert_eq!(
            renamed_sql("[Qty]>(0)", "qty", "order qty"),
            Some("[order qty]>(0)".to_string())
        );
        assert_eq!(
            renamed_sql("qty > 0", "qty", "Order Qty"),
            Some("\"Order Qty\" > 0".to_string())
        );
        assert_eq!(renamed_sql("amount > 0", "price", "cost"), None);
        assert!(names("length(code) = 3", "CODE"));
        assert!(!names("'code' <> ''", "code"));
    }
}
