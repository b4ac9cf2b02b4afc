//! The SQL dialects Tablewright reads and writes: one list for the server, the exporter and the UI.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A database family. MariaDB shares MySQL's syntax but is named for its users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgresql,
    Mysql,
    Mariadb,
    Sqlite,
    Mssql,
    Oracle,
}

impl Dialect {
    /// Every dialect, in the order the UI lists them.
    pub const ALL: [Dialect; 6] = [
        Dialect::Postgresql,
        Dialect::Mysql,
        Dialect::Mariadb,
        Dialect::Sqlite,
        Dialect::Mssql,
        Dialect::Oracle,
    ];

    /// The lowercase name used in the API and in file names.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgresql => "postgresql",
            Dialect::Mysql => "mysql",
            Dialect::Mariadb => "mariadb",
            Dialect::Sqlite => "sqlite",
            Dialect::Mssql => "mssql",
            Dialect::Oracle => "oracle",
        }
    }

    /// The name people write.
    pub fn label(self) -> &'static str {
        match self {
            Dialect::Postgresql => "PostgreSQL",
            Dialect::Mysql => "MySQL",
            Dialect::Mariadb => "MariaDB",
            Dialect::Sqlite => "SQLite",
            Dialect::Mssql => "SQL Server",
            Dialect::Oracle => "Oracle",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A dialect name that is not one of [`Dialect::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown dialect {0:?}; expected one of postgresql, mysql, mariadb, sqlite, mssql, oracle")]
pub struct UnknownDialect(pub String);

impl FromStr for Dialect {
    type Err = UnknownDialect;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownDialect(s.to_string()))
    }
}
