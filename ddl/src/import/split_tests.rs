use super::*;

fn texts(sql: &str, dialect: Dialect) -> Vec<String> {
    split_statements(sql, dialect)
        .into_iter()
        .map(|s| s.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn semicolons_inside_quotes_and_comments_end_nothing() {
    let sql = "INSERT INTO t VALUES ('a;b', \"c;d\"); -- x; y\n/* z; */ SELECT 1;";
    assert_eq!(
        texts(sql, Dialect::Postgresql),
        ["INSERT INTO t VALUES ('a;b', \"c;d\")", "SELECT 1"]
    );
}

#[test]
fn statement_positions_point_into_the_original_input() {
    let sql = "-- header\n\n  CREATE TABLE a (id int);\nCREATE TABLE b (\n  id int\n);";
    let st = split_statements(sql, Dialect::Postgresql);
    assert_eq!((st[0].line, st[0].column), (3, 3));
    assert_eq!((st[1].line, st[1].column), (4, 1));
    assert_eq!(st[1].text.lines().count(), 3);
}

#[test]
fn comments_inside_a_statement_keep_its_layout() {
    let sql = "CREATE TABLE a ( /* é; */ id int -- c\n, x int);";
    let st = split_statements(sql, Dialect::Postgresql);
    assert_eq!(st.len(), 1);
    assert_eq!(
        st[0].text.lines().next().map(|l| l.chars().count()),
        Some(37)
    );
    assert!(st[0].text.contains("id int"));
    assert!(!st[0].text.contains('é'));
}

#[test]
fn dollar_quoted_bodies_hold_semicolons() {
    let sql = "CREATE FUNCTION f() RETURNS int AS $_$ BEGIN RETURN 1; END; $_$ LANGUAGE plpgsql;\nSELECT $1;";
    let t = texts(sql, Dialect::Postgresql);
    assert_eq!(t.len(), 2);
    assert!(t[0].ends_with("LANGUAGE plpgsql"));
}

#[test]
fn psql_meta_commands_are_not_statements() {
    let sql = "CREATE DATABASE x;\n\\c x;\nCREATE TABLE a (id int);";
    let split = split(sql, Dialect::Postgresql);
    assert_eq!(split.statements.len(), 2);
    assert_eq!(split.directives[0].line, 2);
    assert_eq!(split.directives[0].kind, "psql \\c");
}

#[test]
fn copy_data_rows_are_skipped_up_to_the_end_marker() {
    let sql = "COPY a (id, t) FROM stdin;\n1\tx;y\n2\t'\n\\.\nCREATE TABLE b (id int);";
    assert_eq!(
        texts(sql, Dialect::Postgresql),
        ["COPY a (id, t) FROM stdin", "CREATE TABLE b (id int)"]
    );
}

#[test]
fn mysql_delimiter_changes_the_terminator() {
    let sql = "DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET x = 1; END;;\nDELIMITER ;\nCREATE TABLE b (id int);";
    let t = texts(sql, Dialect::Mysql);
    assert_eq!(t.len(), 2);
    assert!(t[0].ends_with("SET x = 1; END"), "{t:?}");
    assert_eq!(t[1], "CREATE TABLE b (id int)");
}

#[test]
fn mysql_conditional_comments_keep_their_content() {
    let sql = "/*!40101 SET NAMES utf8 */;\nCREATE TABLE a (id int) /*!50100 ENGINE=InnoDB */;";
    assert_eq!(
        texts(sql, Dialect::Mysql),
        ["SET NAMES utf8", "CREATE TABLE a (id int) ENGINE=InnoDB"]
    );
}

#[test]
fn hash_comments_and_source_lines_are_dropped_in_mysql() {
    let sql =
        "# a; comment\nCREATE TABLE a (id int); # trailing\nsource load.dump ;\nSELECT 'x#y';";
    let split = split(sql, Dialect::Mysql);
    let t: Vec<_> = split.statements.iter().map(|s| s.text.trim()).collect();
    assert_eq!(t, ["CREATE TABLE a (id int)", "SELECT 'x#y'"]);
    assert_eq!(split.directives[0].kind, "SOURCE");
}

#[test]
fn mysql_backslash_escapes_do_not_close_strings() {
    let sql = "INSERT INTO a VALUES ('it\\'s; fine');SELECT 1;";
    assert_eq!(texts(sql, Dialect::Mysql).len(), 2);
}

#[test]
fn tsql_go_separates_batches_even_glued_to_a_parenthesis() {
    let sql =
        "CREATE TABLE [a] (\n [id] [int] NOT NULL\n)GO\n\nCREATE INDEX [i] ON [a]([id])\nGO\ngo\n";
    assert_eq!(
        texts(sql, Dialect::Mssql),
        [
            "CREATE TABLE [a] ( [id] [int] NOT NULL )",
            "CREATE INDEX [i] ON [a]([id])"
        ]
    );
}

#[test]
fn tsql_brackets_may_hold_semicolons() {
    let sql = "CREATE TABLE [a;b] ([c]]d] int);";
    assert_eq!(
        texts(sql, Dialect::Mssql),
        ["CREATE TABLE [a;b] ([c]]d] int)"]
    );
}

#[test]
fn sqlcmd_variables_are_substituted() {
    let sql = ":setvar DatabaseName \"shop\"\nUSE [$(DatabaseName)];\nGO";
    assert_eq!(texts(sql, Dialect::Mssql), ["USE [shop]"]);
}

#[test]
fn tsql_procedure_bodies_run_to_go() {
    let sql = "CREATE PROCEDURE p AS\nSELECT 1;\nSELECT 2;\nGO\nCREATE TABLE a (id int)\nGO";
    let t = texts(sql, Dialect::Mssql);
    assert_eq!(t.len(), 2);
    assert_eq!(t[1], "CREATE TABLE a (id int)");
}

#[test]
fn oracle_slash_lines_and_sqlplus_commands() {
    let sql = "prompt creating;\nREM note\nset define off\nexit;\nCREATE TABLE a (id number)\n/\nCREATE OR REPLACE TRIGGER t BEFORE INSERT ON a FOR EACH ROW\nBEGIN\n  IF :new.id IS NULL THEN\n    SELECT s.nextval INTO :new.id FROM dual;\n  END IF;\nEND;\n/\nCREATE TABLE b (id number);";
    let split = split(sql, Dialect::Oracle);
    let t: Vec<_> = split
        .statements
        .iter()
        .map(|s| s.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(t.len(), 3);
    assert_eq!(t[0], "CREATE TABLE a (id number)");
    assert!(t[1].ends_with("END IF; END"), "{t:?}");
    assert_eq!(t[2], "CREATE TABLE b (id number)");
    let kinds: Vec<_> = split.directives.iter().map(|d| d.kind.as_str()).collect();
    assert_eq!(kinds, ["SQL*Plus PROMPT", "SQL*Plus SET", "SQL*Plus EXIT"]);
}

#[test]
fn sqlite_trigger_bodies_hold_semicolons() {
    let sql = "CREATE TRIGGER t AFTER UPDATE ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 2 END; END;\nCREATE TABLE b (id int);";
    let t = texts(sql, Dialect::Sqlite);
    assert_eq!(t.len(), 2);
    assert_eq!(t[1], "CREATE TABLE b (id int)");
}

#[test]
fn a_last_statement_without_terminator_is_kept() {
    assert_eq!(
        texts("SELECT 1;\nSELECT 2", Dialect::Sqlite),
        ["SELECT 1", "SELECT 2"]
    );
}

#[test]
fn unterminated_quotes_and_comments_do_not_panic() {
    for d in Dialect::ALL {
        for sql in [
            "'abc",
            "/* abc",
            "[abc",
            "$a$ abc",
            "\"abc",
            "é'",
            "$(x",
            "DELIMITER",
        ] {
            let _ = split(sql, d);
        }
    }
}

#[test]
fn begin_transaction_is_not_a_block() {
    let sql = "BEGIN TRANSACTION;\nCREATE TABLE a (id int);\nBEGIN;\nCOMMIT;";
    assert_eq!(texts(sql, Dialect::Sqlite).len(), 4);
}

#[test]
fn tsql_statements_without_semicolons_are_split_at_statement_lines() {
    let sql = "CREATE TABLE [t] (\n [id] int\n) ON [PRIMARY]\n\nInsert Into t Values (1)\nInsert Into t Values (2)\nGo\nif exists (select 1)\n drop table t\nGO";
    let t = texts(sql, Dialect::Mssql);
    assert_eq!(t.len(), 4, "{t:?}");
    assert_eq!(t[0], "CREATE TABLE [t] ( [id] int ) ON [PRIMARY]");
    assert_eq!(t[3], "if exists (select 1) drop table t");
}
