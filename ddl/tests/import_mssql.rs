//! SQL Server import: GO batches, brackets, IDENTITY, filegroups, WITH NOCHECK, sqlcmd.

mod common;

use common::{col, import_ok, names, rel, table, warned};
use ddl::Dialect;
use model::Cardinality;

const SCRIPT: &str = r#"
:setvar SchemaName "sales"
SET NOCOUNT ON
GO
if exists (select * from sysobjects where id = object_id('dbo.Orders'))
	drop table "dbo"."Orders"
GO
CREATE TABLE [dbo].[Customers] (
	[CustomerID] [int] IDENTITY (1, 1) NOT FOR REPLICATION NOT NULL ,
	[Name] [nvarchar] (40) NOT NULL ,
	[Guid] [uniqueidentifier] ROWGUIDCOL NOT NULL DEFAULT (newid()),
	[Score] [int] DEFAULT ((0)) NULL ,
	[Total] AS ([Score] * 2) ,
	CONSTRAINT [PK_Customers] PRIMARY KEY CLUSTERED ([CustomerID]) ON [PRIMARY]
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]
GO
CREATE TABLE [$(SchemaName)].[Orders] (
	[OrderID] int NOT NULL,
	[CustomerID] int NULL REFERENCES [dbo].[Customers] ([CustomerID]),
	CONSTRAINT [CK_Order] CHECK ([OrderID] > 0)
)GO
ALTER TABLE [sales].[Orders] WITH NOCHECK ADD
	CONSTRAINT [PK_Orders] PRIMARY KEY CLUSTERED
	(
		[OrderID]
	) ON [PRIMARY]
GO
ALTER TABLE [sales].[Orders] NOCHECK CONSTRAINT ALL
GO
CREATE  INDEX [Name] ON [dbo].[Customers]([Name]) ON [PRIMARY]
GO
CREATE PROCEDURE [dbo].[Hello] AS
SELECT 1;
SELECT 2;
GO
CREATE TABLE [Notes] ([NoteID] int NOT NULL PRIMARY KEY)

Insert Into Notes Values (1)
Insert Into Notes Values (2)
GO
"#;

#[test]
fn tsql_batches_import_every_table_with_identity_and_keys() {
    let r = import_ok(SCRIPT, Dialect::Mssql);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(names(&r), ["Customers", "Orders", "Notes"]);
    let customers = table(&r, "Customers");
    assert_eq!(customers.schema, None, "dbo is the default schema");
    let id = col(customers, "CustomerID");
    assert!(id.primary_key && id.auto_increment && !id.nullable);
    assert_eq!(id.data_type, "int");
    assert_eq!(col(customers, "Name").data_type, "nvarchar(40)");
    assert_eq!(col(customers, "Guid").default.as_deref(), Some("newid()"));
    assert_eq!(col(customers, "Score").default.as_deref(), Some("0"));
    assert!(customers.indexes.iter().any(|i| i.name == "Name"));
    let orders = table(&r, "Orders");
    assert_eq!(
        orders.schema.as_deref(),
        Some("sales"),
        "sqlcmd variable substituted"
    );
    assert!(col(orders, "OrderID").primary_key);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
}

#[test]
fn computed_columns_and_checks_are_kept_or_reported() {
    let r = import_ok(SCRIPT, Dialect::Mssql);
    let customers = table(&r, "Customers");
    let order: Vec<&str> = customers.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(order, ["CustomerID", "Name", "Guid", "Score", "Total"]);
    assert_eq!(col(customers, "Total").comment, "AS ([Score] * 2)");
    assert!(warned(&r, &["computed column Total"]));
    let orders = table(&r, "Orders");
    assert_eq!(orders.checks.len(), 1);
    assert_eq!(orders.checks[0].name, "CK_Order");
    assert_eq!(orders.checks[0].sql, "[OrderID] > 0");
    assert!(!warned(&r, &["CHECK"]), "{:?}", r.warnings);
}

#[test]
fn a_foreign_key_across_schemas_resolves_through_the_default_one() {
    let r = import_ok(SCRIPT, Dialect::Mssql);
    let orders = rel(&r, "Orders", "Customers");
    assert_eq!(orders.parent_cardinality, Cardinality::ZeroOrOne);
}

#[test]
fn procedures_and_check_toggles_are_skipped() {
    let r = import_ok(SCRIPT, Dialect::Mssql);
    let kinds: Vec<&str> = r.skipped.iter().map(|s| s.kind.as_str()).collect();
    for kind in [
        "sqlcmd :setvar",
        "SET",
        "IF",
        "ALTER TABLE CHECK CONSTRAINT",
        "CREATE PROCEDURE",
        "INSERT",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(kinds.iter().filter(|k| **k == "INSERT").count(), 2);
}

#[test]
fn ssms_scripts_keep_alias_types_and_every_foreign_key() {
    let sql = "\u{FEFF}:setvar DatabaseName \"AW\"\nUSE [$(DatabaseName)];\nGO\n\
        CREATE TYPE [dbo].[Name] FROM [nvarchar](50) NULL;\nGO\n\
        CREATE TABLE [Person].[Kind] ([KindID] [int] NOT NULL, [Name] [Name] NOT NULL,\n\
          [rowguid] uniqueidentifier ROWGUIDCOL NOT NULL,\n\
          CONSTRAINT [PK_Kind] PRIMARY KEY CLUSTERED ([KindID]) WITH (PAD_INDEX = OFF) ON [PRIMARY],\n) ON [PRIMARY];\nGO\n\
        CREATE TABLE [Person].[Person] ([PersonID] [int] NOT NULL, [KindID] [int] NOT NULL, [Other] [int] NULL,\n\
          [Total] AS ([KindID] * 2)) ON [PRIMARY];\nGO\n\
        ALTER TABLE [Person].[Person] WITH CHECK ADD\n\
          CONSTRAINT [FK_a] FOREIGN KEY ([KindID]) REFERENCES [Person].[Kind] ([KindID]),\n\
          CONSTRAINT [FK_b] FOREIGN KEY ([Other]) REFERENCES [Person].[Kind] ([KindID]),\n\
          CONSTRAINT [DF_Other] DEFAULT (0) FOR [Other];\nGO\n\
        CREATE UNIQUE NONCLUSTERED INDEX [AK_Kind_Name] ON [Person].[Kind] ([Name]) ON [PRIMARY];\nGO\n";
    let r = import_ok(sql, Dialect::Mssql);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let kind = table(&r, "Kind");
    assert_eq!(col(kind, "Name").data_type, "nvarchar(50)");
    assert_eq!(kind.indexes.len(), 1);
    let person = table(&r, "Person");
    assert_eq!(col(person, "Other").default.as_deref(), Some("0"));
    assert_eq!(r.diagram.relationships.len(), 2);
}

#[test]
fn memory_optimized_tables_keep_their_hash_indexes_and_keys() {
    let sql = "CREATE TABLE [Sim].[Reading] (\n\
        \x20   [ReadingID] BIGINT NOT NULL,\n\
        \x20   [SensorNo]  INT    NOT NULL,\n\
        \x20   CONSTRAINT [PK_Reading] PRIMARY KEY NONCLUSTERED HASH ([ReadingID]) WITH (BUCKET_COUNT = 1024),\n\
        \x20   INDEX [IX_Reading_SensorNo]\n\
        \t\tNONCLUSTERED HASH ([SensorNo]) WITH (BUCKET_COUNT=1000)\n\
        \t\t-- a comment before the end\n\
        )\n\
        WITH (MEMORY_OPTIMIZED = ON, DURABILITY=SCHEMA_ONLY);\nGO\n";
    let r = import_ok(sql, Dialect::Mssql);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let t = table(&r, "Reading");
    assert!(col(t, "ReadingID").primary_key);
    assert!(
        t.indexes.iter().any(|i| i.name == "IX_Reading_SensorNo"),
        "{:?}",
        t.indexes
    );
    assert_eq!(t.columns.len(), 2, "an INDEX item is no column");
}

#[test]
fn inline_index_items_are_indexes_not_columns() {
    let sql = "CREATE TABLE [Log] ([A] int NOT NULL, [B] int NULL,
               INDEX [IX_Log_AB] NONCLUSTERED ([A], [B] DESC), INDEX IX_Log_B (B));";
    let r = import_ok(sql, Dialect::Mssql);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let t = table(&r, "Log");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["A", "B"]);
    let ab = t
        .indexes
        .iter()
        .find(|i| i.name == "IX_Log_AB")
        .expect("IX_Log_AB");
    assert_eq!(ab.columns, [col(t, "A").id, col(t, "B").id]);
    assert!(t.indexes.iter().any(|i| i.name == "IX_Log_B"));
}

#[test]
fn sysname_is_nvarchar_128() {
    let r = import_ok(
        "CREATE TABLE [Log] ([Who] [sysname] NOT NULL);",
        Dialect::Mssql,
    );
    assert_eq!(col(table(&r, "Log"), "Who").data_type, "nvarchar(128)");
}

#[test]
fn sp_addtype_alias_types_are_resolved() {
    let sql = "execute sp_addtype code ,'varchar(11)' ,'NOT NULL'\nGO\n\
               EXEC sp_addtype N'pin', N'char(4)'\nGO\n\
               CREATE TABLE person (id code, pin pin NULL)\nGO\n";
    let r = import_ok(sql, Dialect::Mssql);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let t = table(&r, "person");
    assert_eq!(col(t, "id").data_type, "varchar(11)");
    assert_eq!(col(t, "pin").data_type, "char(4)");
}
