use super::*;
use crate::import::parse::parse;

/// Rewrites `sql`, checks sqlparser rejected it before and accepts it after, returns the result.
fn fixed(sql: &str, kind: Kind, dialect: Dialect) -> Rewritten {
    assert!(
        parse(sql, dialect).is_err(),
        "sqlparser already accepts: {sql}"
    );
    let r = rewrite(sql, kind, dialect).expect("a rewrite applies");
    assert_eq!(r.text.len(), sql.len(), "layout kept");
    assert_eq!(r.text.lines().count(), sql.lines().count());
    if let Err(e) = parse(&r.text, dialect) {
        panic!("still rejected: {e:?}\n{}", r.text);
    }
    r
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn tsql_filegroup_clauses_are_blanked() {
    let sql = "CREATE TABLE [a] (\n [id] [int] NOT NULL,\n [t] [ntext] NULL\n) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]";
    let r = fixed(sql, Kind::CreateTable, Dialect::Mssql);
    assert!(squeeze(&r.text).ends_with("[t] [ntext] NULL )"));
    let keyed = "CREATE TABLE [b] (\n [id] int,\n [a] int REFERENCES [a] ([id]) ON DELETE CASCADE,\n CONSTRAINT [PK_b] PRIMARY KEY CLUSTERED ([id]) ON [PRIMARY]\n) ON [PRIMARY]";
    let r = fixed(keyed, Kind::CreateTable, Dialect::Mssql);
    assert!(squeeze(&r.text).contains("([id]) ON DELETE CASCADE"));
    assert!(squeeze(&r.text).ends_with("PRIMARY KEY ([id]) )"));
    let idx = "CREATE INDEX [i] ON [a]([id]) ON [PRIMARY]";
    let r = fixed(idx, Kind::CreateIndex, Dialect::Mssql);
    assert_eq!(squeeze(&r.text), "CREATE INDEX [i] ON [a]([id])");
}

#[test]
fn tsql_with_nocheck_add_keeps_the_constraint() {
    let sql = "ALTER TABLE [a] WITH NOCHECK ADD\n CONSTRAINT [PK_a] PRIMARY KEY CLUSTERED ([id]) ON [PRIMARY]";
    let r = fixed(sql, Kind::AlterTable, Dialect::Mssql);
    assert_eq!(
        squeeze(&r.text),
        "ALTER TABLE [a] ADD CONSTRAINT [PK_a] PRIMARY KEY ([id])"
    );
    let check =
        "ALTER TABLE [a] WITH CHECK ADD CONSTRAINT [FK] FOREIGN KEY ([b]) REFERENCES [b] ([id])";
    assert!(
        squeeze(&fixed(check, Kind::AlterTable, Dialect::Mssql).text)
            .starts_with("ALTER TABLE [a] ADD")
    );
}

#[test]
fn tsql_check_constraint_toggles_are_skipped() {
    for sql in [
        "ALTER TABLE \"a\" NOCHECK CONSTRAINT ALL",
        "ALTER TABLE [s].[a] CHECK CONSTRAINT [FK_x]",
    ] {
        let r = rewrite(sql, Kind::AlterTable, Dialect::Mssql);
        assert_eq!(
            r.and_then(|r| r.skip),
            Some("ALTER TABLE CHECK CONSTRAINT"),
            "{sql}"
        );
    }
}

#[test]
fn tsql_rowguidcol_and_not_for_replication_are_blanked() {
    let sql = "CREATE TABLE t (\n id int IDENTITY(1,1) NOT FOR REPLICATION NOT NULL,\n g uniqueidentifier ROWGUIDCOL NOT NULL\n)";
    let r = fixed(sql, Kind::CreateTable, Dialect::Mssql);
    assert!(squeeze(&r.text).contains("IDENTITY(1,1) NOT NULL"));
    assert!(squeeze(&r.text).contains("g uniqueidentifier NOT NULL"));
}

#[test]
fn tsql_computed_columns_are_reported_not_lost() {
    let sql = "CREATE TABLE t (\n a int,\n [Total] AS ([a] * 2) PERSISTED,\n b int\n)";
    let r = fixed(sql, Kind::CreateTable, Dialect::Mssql);
    assert_eq!(
        r.computed,
        [Computed {
            name: "Total".into(),
            expression: "([a] * 2) PERSISTED".into(),
            after: Some("a".into()),
        }]
    );
    assert_eq!(squeeze(&r.text), "CREATE TABLE t ( a int , b int )");
}

#[test]
fn mysql_binary_after_a_type_is_blanked_but_binary_types_stay() {
    let sql = "CREATE TABLE s (\n password VARCHAR(40) BINARY DEFAULT NULL,\n h BINARY(16)\n)";
    let r = fixed(sql, Kind::CreateTable, Dialect::Mysql);
    assert!(squeeze(&r.text).contains("password VARCHAR(40) DEFAULT NULL"));
    assert!(squeeze(&r.text).contains("h BINARY(16)"));
}

#[test]
fn mysql_partitioning_is_dropped_with_a_note() {
    let sql = "ALTER TABLE salaries\npartition by range COLUMNS (from_date)\n(partition p01 values less than ('1985-12-31'))";
    let r = rewrite(sql, Kind::AlterTable, Dialect::Mysql);
    let r = r.expect("rewritten");
    assert_eq!(r.skip, Some("ALTER TABLE PARTITION BY"));
    let create = "CREATE TABLE t (id int)\nPARTITION BY range COLUMNS (id) (PARTITION p0 VALUES LESS THAN (10))";
    let r = fixed(create, Kind::CreateTable, Dialect::Mysql);
    assert_eq!(
        r.notes,
        [(2, "partitioning (PARTITION BY …) is not kept".to_string())]
    );
}

#[test]
fn mysql_bare_collation_placeholder_is_blanked() {
    let sql =
        "CREATE TABLE `PREFIX_a` (`id` int) ENGINE=ENGINE_TYPE DEFAULT CHARSET=utf8mb4 COLLATION";
    let r = fixed(sql, Kind::CreateTable, Dialect::Mysql);
    assert!(squeeze(&r.text).ends_with("CHARSET=utf8mb4"));
}

#[test]
fn sqlite_sized_text_types_lose_their_size() {
    let sql = "CREATE TABLE t (\n a mediumtext(16777215) NOT NULL DEFAULT '',\n b text(65535)\n)";
    let r = fixed(sql, Kind::CreateTable, Dialect::Sqlite);
    assert!(squeeze(&r.text).contains("a mediumtext NOT NULL"));
}

#[test]
fn sqlite_interbase_sub_type_is_blanked() {
    let sql = "CREATE TABLE film (\n description BLOB SUB_TYPE TEXT DEFAULT NULL\n)";
    let r = fixed(sql, Kind::CreateTable, Dialect::Sqlite);
    assert!(squeeze(&r.text).contains("description BLOB DEFAULT NULL"));
}

#[test]
fn oracle_organization_index_and_storage_are_blanked() {
    let sql = "CREATE TABLE t (\n id NUMBER(10) NOT NULL,\n CONSTRAINT pk_t PRIMARY KEY (id)\n) ORGANIZATION INDEX TABLESPACE users STORAGE (INITIAL 64K NEXT 1M) PCTFREE 10";
    let r = fixed(sql, Kind::CreateTable, Dialect::Oracle);
    assert!(squeeze(&r.text).ends_with("PRIMARY KEY (id) )"));
}

#[test]
fn oracle_using_index_tablespace_is_blanked() {
    let sql = "CREATE TABLE t (\n id NUMBER(10),\n CONSTRAINT pk_t PRIMARY KEY (id) USING INDEX TABLESPACE idx STORAGE (INITIAL 1M),\n x NUMBER\n)";
    let r = fixed(sql, Kind::CreateTable, Dialect::Oracle);
    assert!(
        squeeze(&r.text).contains("PRIMARY KEY (id) , x NUMBER"),
        "{}",
        r.text
    );
}

#[test]
fn clean_statements_are_left_alone() {
    assert_eq!(
        rewrite("CREATE TABLE t (id int)", Kind::CreateTable, Dialect::Mssql),
        None
    );
    assert_eq!(
        rewrite(
            "CREATE TABLE t (id int)",
            Kind::CreateTable,
            Dialect::Postgresql
        ),
        None
    );
}

#[test]
fn tsql_storage_words_and_options_are_blanked() {
    let sql = "CREATE TABLE [t] (\n [id] int NOT NULL,\n [x] xml([s].[c]) NULL,\n CONSTRAINT [PK] PRIMARY KEY CLUSTERED ([id]) WITH (PAD_INDEX = OFF) ON [PRIMARY],\n) ON [PRIMARY]";
    let r = fixed(sql, Kind::CreateTable, Dialect::Mssql);
    assert_eq!(
        squeeze(&r.text),
        "CREATE TABLE [t] ( [id] int NOT NULL, [x] xml NULL, CONSTRAINT [PK] PRIMARY KEY ([id]) )"
    );
    let idx = "CREATE NONCLUSTERED INDEX [i] ON [s].[t]([d] ASC) ON [PS_d] ([d])";
    let r = fixed(idx, Kind::CreateIndex, Dialect::Mssql);
    assert_eq!(squeeze(&r.text), "CREATE INDEX [i] ON [s].[t]([d] ASC)");
}

#[test]
fn tsql_sequence_defaults_become_identity() {
    let sql = "CREATE TABLE [t] (\n [id] int CONSTRAINT [DF_id] DEFAULT (NEXT VALUE FOR [Sequences].[ID]) NOT NULL\n)";
    let r = fixed(sql, Kind::CreateTable, Dialect::Mssql);
    assert_eq!(
        squeeze(&r.text),
        "CREATE TABLE [t] ( [id] int IDENTITY NOT NULL )"
    );
}

#[test]
fn oracle_constraint_states_and_length_semantics_are_blanked() {
    let sql = "CREATE TABLE t (\n id NUMBER GENERATED BY DEFAULT ON NULL AS IDENTITY,\n d NUMBER REFERENCES d (id) ENABLE NOVALIDATE,\n n VARCHAR2(20 CHAR)\n)";
    let r = fixed(sql, Kind::CreateTable, Dialect::Oracle);
    assert_eq!(
        squeeze(&r.text),
        "CREATE TABLE t ( id NUMBER GENERATED BY DEFAULT AS IDENTITY, d NUMBER REFERENCES d (id) , n VARCHAR2(20 ) )"
    );
}
