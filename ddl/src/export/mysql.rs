//! MySQL and MariaDB size limits that other databases do not have.
//!
//! InnoDB refuses a row whose fixed part exceeds 65,535 bytes and an index key over 3,072 bytes,
//! counting four bytes per character under utf8mb4. Schemas from PostgreSQL or Oracle hit both
//! (a table of forty `varchar(2048)` columns; an index over `varchar(2048)`). Export keeps such
//! tables runnable: the largest non-key VARCHARs of an oversized row become TEXT (stored off the
//! row), and index columns get a prefix length so that the key fits.

use super::plan::ColumnPlan;
use super::types::{Size, SqlType};

const MAX_ROW_BYTES: usize = 65_535;
/// Room kept for row overhead (null bitmap, lengths) that the estimate does not count.
const ROW_SLACK: usize = 1_024;
const MAX_KEY_BYTES: usize = 3_072;
/// utf8mb4.
const BYTES_PER_CHAR: usize = 4;

/// Bytes a column takes in the row, roughly as InnoDB counts them.
fn row_bytes(c: &ColumnPlan) -> usize {
    match &c.parsed.ty {
        SqlType::Varchar { len: Some(n) } => *n as usize * BYTES_PER_CHAR + 2,
        SqlType::Char { len } => *len as usize * BYTES_PER_CHAR,
        SqlType::Varchar { len: None } | SqlType::Text(_) if c.in_key => 255 * BYTES_PER_CHAR + 2,
        SqlType::Binary { len } | SqlType::Varbinary { len } => *len as usize + 2,
        SqlType::Uuid => 36 * BYTES_PER_CHAR,
        SqlType::Decimal { .. } => 16,
        _ => 12,
    }
}

/// Turns the widest non-key VARCHARs of an oversized table into TEXT until the row fits.
pub(crate) fn fit_row(columns: &mut [ColumnPlan]) {
    let mut total: usize = columns.iter().map(row_bytes).sum();
    while total > MAX_ROW_BYTES - ROW_SLACK {
        let widest = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.in_key && matches!(c.parsed.ty, SqlType::Varchar { len: Some(_) }))
            .max_by_key(|(i, c)| (row_bytes(c), std::cmp::Reverse(*i)));
        let Some((at, _)) = widest else {
            return;
        };
        let before = row_bytes(&columns[at]);
        // TEXT holds 65,535 bytes; longer VARCHARs need MEDIUMTEXT.
        let size = if before > MAX_ROW_BYTES {
            Size::Medium
        } else {
            Size::Regular
        };
        columns[at].parsed.ty = SqlType::Text(size);
        total = total - before + row_bytes(&columns[at]);
    }
}

/// Bytes a column takes in an index key.
fn key_bytes(ty: &SqlType) -> usize {
    match ty {
        SqlType::Varchar { len: Some(n) } | SqlType::Char { len: n } => {
            *n as usize * BYTES_PER_CHAR
        }
        SqlType::Varchar { len: None } | SqlType::Text(_) | SqlType::Json { .. } => {
            255 * BYTES_PER_CHAR
        }
        SqlType::Binary { len } | SqlType::Varbinary { len } => *len as usize,
        SqlType::Blob(_) => 255,
        SqlType::Uuid => 36 * BYTES_PER_CHAR,
        SqlType::Decimal { .. } => 16,
        _ => 8,
    }
}

/// Prefix lengths (in characters) for the columns of one index, `None` for a whole column: the
/// string columns share what the others leave of the key limit.
pub(crate) fn key_prefixes(columns: &[&ColumnPlan]) -> Vec<Option<usize>> {
    let total: usize = columns.iter().map(|c| key_bytes(&c.parsed.ty)).sum();
    if total <= MAX_KEY_BYTES {
        return vec![None; columns.len()];
    }
    let is_string = |c: &ColumnPlan| {
        matches!(
            c.parsed.ty,
            SqlType::Varchar { len: Some(_) } | SqlType::Char { .. }
        )
    };
    let fixed: usize = columns
        .iter()
        .filter(|c| !is_string(c))
        .map(|c| key_bytes(&c.parsed.ty))
        .sum();
    let strings = columns.iter().filter(|c| is_string(c)).count().max(1);
    let share = (MAX_KEY_BYTES.saturating_sub(fixed) / strings / BYTES_PER_CHAR).max(1);
    columns
        .iter()
        .map(|c| match c.parsed.ty {
            SqlType::Varchar { len: Some(n) } | SqlType::Char { len: n } if n as usize > share => {
                Some(share)
            }
            _ => None,
        })
        .collect()
}
