//! SQLite import: AUTOINCREMENT, inline REFERENCES, loose types, triggers with bodies.

mod common;

use common::{col, import_ok, rel, table, warned};
use ddl::Dialect;
use model::Cardinality;

const SCHEMA: &str = r#"
PRAGMA foreign_keys = ON;
BEGIN TRANSACTION;
# phpBB writes hash comments
CREATE TABLE [Artist] (
    [ArtistId] INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    [Name] NVARCHAR(120)
);
CREATE TABLE "Album" (
    "AlbumId" INTEGER NOT NULL,
    "Title" NVARCHAR(160) NOT NULL,
    "ArtistId" INTEGER NOT NULL REFERENCES "Artist" ("ArtistId") ON DELETE NO ACTION,
    body mediumtext(16777215) NOT NULL DEFAULT '',
    description BLOB SUB_TYPE TEXT,
    CONSTRAINT "PK_Album" PRIMARY KEY ("AlbumId")
);
CREATE TABLE tag (name TEXT UNIQUE, album INTEGER, FOREIGN KEY (album) REFERENCES Album);
CREATE INDEX "IFK_AlbumArtistId" ON "Album" ("ArtistId");
CREATE TRIGGER album_touch AFTER UPDATE ON Album
BEGIN
  UPDATE Album SET Title = CASE WHEN new.Title = '' THEN 'x' ELSE new.Title END WHERE rowid = new.rowid;
END;
CREATE TEMP TABLE scratch (x);
COMMIT;
"#;

#[test]
fn sqlite_tables_keep_autoincrement_keys_and_quoting_styles() {
    let r = import_ok(SCHEMA, Dialect::Sqlite);
    let artist = table(&r, "Artist");
    let id = col(artist, "ArtistId");
    assert!(id.primary_key && id.auto_increment && !id.nullable);
    assert_eq!(id.data_type, "integer");
    assert_eq!(col(artist, "Name").data_type, "nvarchar(120)");
    let album = table(&r, "Album");
    assert!(col(album, "AlbumId").primary_key);
    assert_eq!(col(album, "body").data_type, "mediumtext");
    assert_eq!(col(album, "body").default.as_deref(), Some("''"));
    assert_eq!(col(album, "description").data_type, "blob");
    assert!(album.indexes.iter().any(|i| i.name == "IFK_AlbumArtistId"));
    assert!(col(table(&r, "tag"), "name").unique);
}

#[test]
fn references_without_columns_point_at_the_parent_key() {
    let r = import_ok(SCHEMA, Dialect::Sqlite);
    let tag = rel(&r, "tag", "Album");
    assert_eq!(tag.parent_cardinality, Cardinality::ZeroOrOne);
    let album = rel(&r, "Album", "Artist");
    assert_eq!(album.parent_cardinality, Cardinality::ExactlyOne);
    assert!(!album.identifying);
}

#[test]
fn triggers_pragmas_transactions_and_temp_tables_are_skipped() {
    let r = import_ok(SCHEMA, Dialect::Sqlite);
    let kinds: Vec<&str> = r.skipped.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "PRAGMA",
            "BEGIN",
            "CREATE TRIGGER",
            "CREATE TEMPORARY TABLE",
            "COMMIT"
        ]
    );
    assert_eq!(r.diagram.tables.len(), 3);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert!(!warned(&r, &["scratch"]));
}
