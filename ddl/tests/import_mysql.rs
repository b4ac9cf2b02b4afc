//! MySQL / MariaDB import: mysqldump idioms, keys inside CREATE TABLE, comments, enums.

mod common;

use common::{child_columns, col, import_ok, rel, table, warned};
use ddl::Dialect;
use model::{Action, Cardinality};

const DUMP: &str = r#"
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
# a hash comment; with a semicolon
DROP TABLE IF EXISTS `customer`;
CREATE TABLE `customer` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT 'surrogate key',
  `email` varchar(100) NOT NULL,
  `password` VARCHAR(40) BINARY DEFAULT NULL,
  `rating` ENUM('G','PG','PG-13') DEFAULT 'G',
  `created` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_email` (`email`),
  KEY `idx_rating` (`rating`),
  KEY `idx_email_prefix` (`email`(10))
) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COMMENT='Our customers';
CREATE TABLE `address` (
  `customer_id` int(10) unsigned NOT NULL,
  `line` varchar(200) NOT NULL,
  PRIMARY KEY (`customer_id`),
  CONSTRAINT `fk_address_customer` FOREIGN KEY (`customer_id`) REFERENCES `customer` (`id`) ON DELETE CASCADE ON UPDATE CASCADE
) /*!50100 ENGINE=InnoDB */;
CREATE TABLE payment (
  id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
  customer_id int unsigned,
  amount decimal(5, 2) NOT NULL DEFAULT '0.00',
  INDEX (customer_id)
)
PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (1000));
ALTER TABLE payment ADD CONSTRAINT fk_payment_customer FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX uq_payment ON payment (customer_id, amount);
DELIMITER ;;
CREATE TRIGGER customer_bi BEFORE INSERT ON customer FOR EACH ROW BEGIN
  SET NEW.created = NOW();
END ;;
DELIMITER ;
source load_customers.dump ;
INSERT INTO customer VALUES (1,'a@b.c',NULL,'G',NOW());
CREATE TABLE `payment` (`id` bigint NOT NULL, `note` text);
"#;

#[test]
fn mysqldump_tables_keep_keys_comments_and_auto_increment() {
    let r = import_ok(DUMP, Dialect::Mysql);
    let customer = table(&r, "customer");
    assert_eq!(customer.comment, "Our customers");
    let id = col(customer, "id");
    assert!(id.primary_key && id.auto_increment && !id.nullable);
    assert_eq!(id.data_type, "int(10) unsigned");
    assert_eq!(id.comment, "surrogate key");
    assert_eq!(col(customer, "password").data_type, "varchar(40)");
    assert_eq!(col(customer, "password").default, None);
    assert_eq!(col(customer, "rating").data_type, "enum('G','PG','PG-13')");
    assert_eq!(col(customer, "rating").default.as_deref(), Some("'G'"));
    let names: Vec<(&str, bool)> = customer
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.unique))
        .collect();
    assert_eq!(
        names,
        [
            ("uq_email", true),
            ("idx_rating", false),
            ("idx_email_prefix", false)
        ]
    );
    assert!(col(customer, "created").on_update_now);
    assert!(!warned(&r, &["ON UPDATE"]), "{:?}", r.warnings);
    assert!(warned(&r, &["prefix length"]));
}

#[test]
fn foreign_keys_inline_and_altered_become_relationships() {
    let r = import_ok(DUMP, Dialect::Mysql);
    let address = rel(&r, "address", "customer");
    assert_eq!(address.name, "fk_address_customer");
    assert_eq!(
        (address.on_delete, address.on_update),
        (Action::Cascade, Action::Cascade)
    );
    assert_eq!(address.child_cardinality, Cardinality::ZeroOrOne);
    assert!(address.identifying);
    assert_eq!(child_columns(&r, address), ["customer_id"]);
}

#[test]
fn a_table_created_twice_keeps_the_last_definition_and_warns() {
    let r = import_ok(DUMP, Dialect::Mysql);
    let payment = table(&r, "payment");
    let cols: Vec<&str> = payment.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["id", "note"]);
    assert!(warned(&r, &["payment", "created again"]));
    assert_eq!(
        r.diagram
            .tables
            .iter()
            .filter(|t| t.name == "payment")
            .count(),
        1
    );
    // The first definition's foreign key went with it.
    assert_eq!(r.diagram.relationships.len(), 1);
}

#[test]
fn partitioning_is_dropped_with_a_warning_and_client_lines_are_skipped() {
    let r = import_ok(DUMP, Dialect::Mysql);
    assert!(warned(&r, &["partitioning"]));
    let kinds: Vec<&str> = r.skipped.iter().map(|s| s.kind.as_str()).collect();
    for kind in ["SET", "DROP", "CREATE TRIGGER", "SOURCE", "INSERT"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert!(r.errors.is_empty(), "{:?}", r.errors);
}

#[test]
fn mariadb_reads_like_mysql() {
    let r = import_ok(DUMP, Dialect::Mariadb);
    assert_eq!(r.diagram.tables.len(), 3);
}

#[test]
fn composite_unique_indexes_and_unnamed_keys_get_names() {
    let sql = "CREATE TABLE t (a int, b int, KEY (a, b), UNIQUE (a, b));\nCREATE TABLE u (a int, INDEX (a), INDEX (a));";
    let r = import_ok(sql, Dialect::Mysql);
    let names: Vec<&str> = table(&r, "t")
        .indexes
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, ["t_a_b_idx", "t_a_b_key"]);
    let names: Vec<&str> = table(&r, "u")
        .indexes
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, ["u_a_idx", "u_a_idx_2"]);
    assert!(warned(&r, &["u_a_idx", "renamed"]));
}
