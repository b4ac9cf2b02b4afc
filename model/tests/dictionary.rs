//! The dictionary: physical names from logical ones (Korean and English, longest match, each
//! convention), domains carried to their columns as one undoable op, and the checks.

use model::dictionary::{FindingKind, Piece, exchange, findings};
use model::history::{describe, restore};
use model::{
    Column, ColumnPatch, Convention, Diagram, Dictionary, Domain, Op, OpError, Table, Term, Word,
};

fn korean() -> Dictionary {
    let name = Domain::new("Name", "varchar(100)");
    let mut term = Term::new("고객명", "CUST_NM");
    term.domain = Some(name.id);
    Dictionary {
        words: vec![
            Word::new("고객", "CUST"),
            Word::new("이름", "NM"),
            Word::new("명", "NM"),
            Word::new("주문", "ORD"),
            Word::new("일", "DAY"),
            Word::new("일자", "DT"),
            Word::forbidden("손님", "고객"),
        ],
        terms: vec![term],
        domains: vec![name],
        ..Dictionary::default()
    }
}

fn english(convention: Convention) -> Dictionary {
    Dictionary {
        convention,
        words: vec![
            Word::new("Customer", "CUST"),
            Word::new("Name", "NM"),
            Word::new("Order Date", "ORD_DT"),
            Word::new("Order", "ORD"),
        ],
        ..Dictionary::default()
    }
}

#[test]
fn a_whole_term_gives_its_physical_name_and_domain() {
    let d = korean();
    for logical in ["고객명", "고객 명", " 고객명 "] {
        let named = d.name(logical);
        assert_eq!(named.physical.as_deref(), Some("CUST_NM"), "{logical}");
        assert_eq!(named.domain, Some(d.domains[0].id));
        assert_eq!(named.term, Some(d.terms[0].id));
    }
}

#[test]
fn korean_names_without_spaces_take_the_longest_words() {
    let d = korean();
    // 일자 is longer than 일: the date, not the day and an unknown 자.
    assert_eq!(d.name("주문일자").physical.as_deref(), Some("ORD_DT"));
    assert_eq!(d.name("고객이름").physical.as_deref(), Some("CUST_NM"));
    assert_eq!(d.name("주문일").physical.as_deref(), Some("ORD_DAY"));
    // A forbidden synonym is read as the word to use, and said to be forbidden.
    let named = d.name("손님이름");
    assert_eq!(named.physical.as_deref(), Some("CUST_NM"));
    assert!(
        matches!(&named.pieces[0], Piece::Forbidden { text, instead, .. } if text == "손님" && instead == "고객")
    );
    // An unknown Korean word cannot be written in ASCII: no physical name, and the word named.
    let named = d.name("고객주소");
    assert_eq!(named.physical, None);
    assert_eq!(
        named.pieces.last(),
        Some(&Piece::Unknown {
            text: "주소".into()
        })
    );
}

#[test]
fn english_names_follow_each_convention() {
    let cases = [
        (Convention::SnakeUpper, "CUST_NM", "ORD_DT"),
        (Convention::SnakeLower, "cust_nm", "ord_dt"),
        (Convention::Camel, "custNm", "ordDt"),
        (Convention::Pascal, "CustNm", "OrdDt"),
    ];
    for (convention, customer_name, order_date) in cases {
        let d = english(convention);
        for logical in [
            "Customer Name",
            "customer_name",
            "customerName",
            "CUSTOMER NAME",
        ] {
            assert_eq!(
                d.name(logical).physical.as_deref(),
                Some(customer_name),
                "{logical} in {convention:?}"
            );
        }
        // A word of two English words is matched whole, before its first word alone.
        assert_eq!(d.name("Order Date").physical.as_deref(), Some(order_date));
    }
    // Unknown English words stand for themselves, and are reported.
    let d = english(Convention::SnakeUpper);
    let named = d.name("Customer Created At");
    assert_eq!(named.physical.as_deref(), Some("CUST_CREATED_AT"));
    let unknown: Vec<_> = named
        .pieces
        .iter()
        .filter(|p| matches!(p, Piece::Unknown { .. }))
        .collect();
    assert_eq!(unknown.len(), 2);
    // "Customers" is not "Customer" and an "s".
    assert_eq!(d.name("Customers").physical.as_deref(), Some("CUSTOMERS"));
    assert_eq!(d.name("").physical, None);
}

/// A diagram whose `customer` table has two columns of domain `Name`: one that follows the
/// domain's NOT NULL and default, one (a key) that does not.
fn with_domain() -> (Diagram, Domain, [model::Uuid; 3]) {
    let mut doc = Diagram::new("Dictionary");
    let mut domain = Domain::new("Name", "varchar(50)");
    domain.default = Some("''".into());
    doc.dictionary.domains.push(domain.clone());
    let mut first = Column::new("first_nm", "varchar(50)");
    first.domain = Some(domain.id);
    first.default = Some("''".into());
    let mut code = Column::new("code", "varchar(50)");
    code.domain = Some(domain.id);
    code.primary_key = true;
    code.nullable = false;
    let other = Column::new("note", "text");
    let table = Table::empty("customer", vec![code.clone(), first.clone(), other]);
    let ids = [table.id, first.id, code.id];
    doc.tables.push(table);
    doc.validate().expect("fixture is valid");
    (doc, domain, ids)
}

#[test]
fn changing_a_domain_changes_its_columns_in_one_op_that_undoes_exactly() {
    let (doc, domain, [table, first, code]) = with_domain();
    let mut changed = domain.clone();
    changed.data_type = "varchar(100)".into();
    changed.not_null = true;
    changed.default = None;
    let mut edited = doc.clone();
    let op = Op::PutDomain {
        domain: changed,
        at: None,
    };
    let inverse = op.clone().apply(&mut edited).expect("domain changes");
    edited.validate().expect("still valid");
    let t = edited.table(table).unwrap();
    let (f, c) = (t.column(first).unwrap(), t.column(code).unwrap());
    assert_eq!(
        (f.data_type.as_str(), c.data_type.as_str()),
        ("varchar(100)", "varchar(100)")
    );
    assert!(!f.nullable, "the following column took NOT NULL");
    assert_eq!(
        f.default, None,
        "and lost the old domain default with the domain"
    );
    assert!(!c.nullable && c.primary_key);
    assert_eq!(t.column_named("note").unwrap().data_type, "text");
    // The inverse names the table, so a cache of rendered tables knows it changed.
    assert!(inverse.touched_ids().contains(&table));
    let lines = describe(&edited, &[op], std::slice::from_ref(&inverse));
    assert!(
        lines
            .iter()
            .any(|l| l == "changed domain Name in the dictionary"),
        "{lines:?}"
    );
    let mut undone = edited.clone();
    let redo = inverse.apply(&mut undone).expect("undo applies");
    assert_eq!(undone, doc);
    redo.apply(&mut undone).expect("redo applies");
    assert_eq!(undone, edited);
}

#[test]
fn a_column_of_a_domain_keeps_its_type_and_removing_the_domain_frees_it() {
    let (doc, domain, [table, first, _]) = with_domain();
    let mut edited = doc.clone();
    let refused = Op::UpdateColumn {
        table_id: table,
        column_id: first,
        patch: ColumnPatch {
            data_type: Some("text".into()),
            ..ColumnPatch::default()
        },
    }
    .apply(&mut edited);
    assert!(
        matches!(refused, Err(OpError::DomainTypeMismatch { .. })),
        "{refused:?}"
    );
    assert_eq!(edited, doc, "a refused op changes nothing");
    // Leaving the domain and changing the type together is fine.
    let mut freed = doc.clone();
    Op::UpdateColumn {
        table_id: table,
        column_id: first,
        patch: ColumnPatch {
            data_type: Some("text".into()),
            domain: Some(None),
            ..ColumnPatch::default()
        },
    }
    .apply(&mut freed)
    .expect("type and domain change together");
    // Removing the domain takes it off its columns and terms; undo puts all back.
    let mut doc = doc;
    let mut term = Term::new("이름", "NM");
    term.domain = Some(domain.id);
    doc.dictionary.terms.push(term);
    let mut removed = doc.clone();
    let inverse = Op::RemoveDomain {
        domain_id: domain.id,
    }
    .apply(&mut removed)
    .expect("removes");
    removed.validate().expect("valid without the domain");
    assert!(removed.tables[0].columns.iter().all(|c| c.domain.is_none()));
    assert_eq!(removed.dictionary.terms[0].domain, None);
    assert_eq!(removed.tables[0].columns[1].data_type, "varchar(50)");
    inverse.apply(&mut removed).expect("undo");
    assert_eq!(removed, doc);
}

#[test]
fn dictionary_entries_are_put_replaced_and_removed_by_ops_that_undo() {
    let mut doc = Diagram::new("Words");
    let word = Word::new("고객", "CUST");
    let mut steps = vec![
        Op::PutWord {
            word: word.clone(),
            at: None,
        },
        Op::PutWord {
            word: Word {
                physical: "CSTMR".into(),
                ..word.clone()
            },
            at: None,
        },
        Op::PutTerm {
            term: Term::new("고객명", "CUST_NM"),
            at: Some(0),
        },
        Op::SetConvention {
            convention: Convention::Camel,
        },
        Op::RemoveWord { word_id: word.id },
    ];
    let mut history = Vec::new();
    for op in steps.drain(..) {
        let before = doc.clone();
        let inverse = op
            .clone()
            .apply(&mut doc)
            .unwrap_or_else(|e| panic!("{op:?}: {e}"));
        doc.validate().expect("valid");
        assert_ne!(doc, before, "{op:?} changed nothing");
        history.push((before, inverse));
    }
    for (before, inverse) in history.into_iter().rev() {
        inverse.apply(&mut doc).expect("undo");
        assert_eq!(doc, before);
    }
    // Two words of one logical name (as folded), or a word with nothing to write, are refused;
    // so is a document holding either.
    let mut twice = Diagram::new("Twice");
    twice.dictionary.words = vec![
        Word::new("Order Date", "ORD_DT"),
        Word::new("order_date", "OD"),
    ];
    assert!(matches!(
        twice.validate_shape(),
        Err(OpError::DuplicateDictionaryEntry { .. })
    ));
    twice.dictionary.words[1].logical = "Order".into();
    twice.validate().expect("distinct words");
    twice.dictionary.domains = vec![
        Domain::new("Short Name", "varchar(20)"),
        Domain::new("short_name", "text"),
    ];
    assert!(matches!(
        twice.validate(),
        Err(OpError::DuplicateDictionaryEntry { .. })
    ));
    let mut doc = Diagram::new("Words");
    Op::PutWord {
        word: word.clone(),
        at: None,
    }
    .apply(&mut doc)
    .unwrap();
    let twice = Op::PutWord {
        word: Word::new("고객", "CS"),
        at: None,
    };
    assert!(matches!(
        twice.apply(&mut doc),
        Err(OpError::DuplicateDictionaryEntry { .. })
    ));
    let empty = Op::PutWord {
        word: Word::new("이름", ""),
        at: None,
    };
    assert!(matches!(
        empty.apply(&mut doc),
        Err(OpError::NoAbbreviation(_))
    ));
    let unknown_domain = Op::PutTerm {
        term: Term {
            domain: Some(model::Uuid::new_v4()),
            ..Term::new("고객명", "CUST_NM")
        },
        at: None,
    };
    assert!(matches!(
        unknown_domain.apply(&mut doc),
        Err(OpError::UnknownDictionaryEntry { .. })
    ));
}

#[test]
fn checks_find_what_breaks_the_dictionary() {
    let mut doc = Diagram::new("Checks");
    doc.dictionary = korean();
    let name = doc.dictionary.domains[0].clone();
    let mut customer = Table::empty("CUSTOMER", Vec::new());
    customer.logical_name = "고객".into();
    let mut good = Column::new("CUST_NM", "varchar(100)");
    good.logical_name = "고객명".into();
    good.domain = Some(name.id);
    let mut forbidden = Column::new("CUST_NM2", "varchar(100)");
    forbidden.logical_name = "손님이름".into();
    let mut unknown = Column::new("ADDR", "text");
    unknown.logical_name = "고객주소".into();
    customer.columns = vec![good, forbidden, unknown];
    let mut order = Table::empty("ORD", Vec::new());
    order.logical_name = "주문".into();
    let mut short = Column::new("CUST_NM", "varchar(20)");
    short.logical_name = "고객명".into();
    let mut other = Column::new("NM", "varchar(100)");
    other.logical_name = "고객명".into();
    order.columns = vec![short, other];
    doc.tables = vec![customer, order];
    doc.validate().expect("valid");
    let found = findings(&doc);
    let kinds: Vec<(&str, String)> = found
        .iter()
        .map(|f| {
            let t = doc.table(f.table).unwrap();
            let at = f
                .column
                .and_then(|c| t.column(c))
                .map_or(t.name.as_str(), |c| c.name.as_str());
            (at, f.kind.message())
        })
        .collect();
    let has = |at: &str, kind: &dyn Fn(&FindingKind) -> bool| {
        found.iter().any(|f| {
            let t = doc.table(f.table).unwrap();
            let name = f
                .column
                .and_then(|c| t.column(c))
                .map_or(t.name.as_str(), |c| c.name.as_str());
            name == at && kind(&f.kind)
        })
    };
    assert!(
        has(
            "CUSTOMER",
            &|k| matches!(k, FindingKind::NameMismatch { expected } if expected == "CUST")
        ),
        "{kinds:?}"
    );
    assert!(
        has(
            "CUST_NM2",
            &|k| matches!(k, FindingKind::ForbiddenWord { word, .. } if word == "손님")
        ),
        "{kinds:?}"
    );
    assert!(
        has(
            "CUST_NM2",
            &|k| matches!(k, FindingKind::NameMismatch { expected } if expected == "CUST_NM")
        ),
        "{kinds:?}"
    );
    assert!(
        has(
            "ADDR",
            &|k| matches!(k, FindingKind::UnknownWord { word } if word == "주소")
        ),
        "{kinds:?}"
    );
    assert!(
        has(
            "CUST_NM",
            &|k| matches!(k, FindingKind::TypeDiffers { usual } if usual == "varchar(100)")
        ),
        "{kinds:?}"
    );
    assert!(
        has(
            "CUST_NM",
            &|k| matches!(k, FindingKind::NotTheTermsDomain { domain, .. } if domain == "Name")
        ),
        "{kinds:?}"
    );
    assert!(
        has(
            "NM",
            &|k| matches!(k, FindingKind::NameMismatch { expected } if expected == "CUST_NM")
        ),
        "{kinds:?}"
    );
    // The first column follows the dictionary in every way: nothing is said of it.
    let first = doc.tables[0].columns[0].id;
    assert!(found.iter().all(|f| f.column != Some(first)), "{kinds:?}");
    // Without words or terms, names are not checked (types still are).
    doc.dictionary = Dictionary::default();
    let found = findings(&doc);
    assert!(
        found
            .iter()
            .all(|f| matches!(f.kind, FindingKind::TypeDiffers { .. })),
        "{found:?}"
    );
    assert!(!found.is_empty());
}

#[test]
fn restoring_an_earlier_version_brings_its_dictionary_back() {
    let (old, domain, [table, first, _]) = with_domain();
    let mut now = old.clone();
    let mut wider = domain.clone();
    wider.data_type = "varchar(200)".into();
    let ops = vec![
        Op::PutWord {
            word: Word::new("고객", "CUST"),
            at: None,
        },
        Op::PutDomain {
            domain: wider,
            at: None,
        },
        Op::UpdateColumn {
            table_id: table,
            column_id: first,
            patch: ColumnPatch {
                domain: Some(None),
                data_type: Some("text".into()),
                ..ColumnPatch::default()
            },
        },
        Op::SetConvention {
            convention: Convention::SnakeLower,
        },
    ];
    Op::Batch { ops }.apply(&mut now).expect("edits");
    let back = restore(&now, &old);
    let mut restored = now.clone();
    Op::Batch { ops: back }
        .apply(&mut restored)
        .expect("restore applies");
    assert_eq!(restored, old);
}

#[test]
fn the_dictionary_keeps_its_json_form() {
    let mut doc = Diagram::new("Json");
    doc.dictionary = korean();
    let json = serde_json::to_string(&doc).unwrap();
    assert!(json.contains("\"dictionary\""));
    let back: Diagram = serde_json::from_str(&json).unwrap();
    assert_eq!(back, doc);
    // A diagram without one writes none.
    let plain = serde_json::to_string(&Diagram::new("Plain")).unwrap();
    assert!(!plain.contains("dictionary"), "{plain}");
}

#[test]
fn a_dictionary_goes_through_csv_and_merges_into_another() {
    let mut d = korean();
    d.convention = Convention::SnakeLower;
    d.domains[0].not_null = true;
    d.domains[0].check = Some("length(VALUE) > 0".into());
    d.words[0].description = "고객, \"customer\"\nwho buys".into();
    let csv = exchange::to_csv(&d);
    let (read, problems) = exchange::from_csv(&csv, &Dictionary::default());
    assert!(problems.is_empty(), "{problems:?}");
    // The same entries, with new ids: terms find their domain by name.
    let strip = |d: &Dictionary| {
        let domain_name = |t: &Term| t.domain.and_then(|id| d.domain(id)).map(|x| x.name.clone());
        (
            d.convention,
            d.words
                .iter()
                .map(|w| {
                    (
                        w.logical.clone(),
                        w.physical.clone(),
                        w.instead.clone(),
                        w.description.clone(),
                    )
                })
                .collect::<Vec<_>>(),
            d.terms
                .iter()
                .map(|t| (t.logical.clone(), t.physical.clone(), domain_name(t)))
                .collect::<Vec<_>>(),
            d.domains
                .iter()
                .map(|x| {
                    (
                        x.name.clone(),
                        x.data_type.clone(),
                        x.not_null,
                        x.default.clone(),
                        x.check.clone(),
                    )
                })
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(strip(&read), strip(&d));

    // Merged into a diagram that has some of it: same names are replaced (keeping their ids),
    // the rest added, and applying the ops gives the file's entries.
    let mut doc = Diagram::new("Merge");
    let mut old_word = Word::new("고객", "CSTMR");
    old_word.description = "old".into();
    let kept_id = old_word.id;
    doc.dictionary.words.push(old_word);
    doc.dictionary.words.push(Word::new("Extra", "EXT"));
    let (ops, refused) = exchange::merge(&doc.dictionary, &read);
    assert!(refused.is_empty(), "{refused:?}");
    Op::Batch { ops }.apply(&mut doc).expect("merge applies");
    doc.validate().expect("valid");
    let customer = doc
        .dictionary
        .words
        .iter()
        .find(|w| w.logical == "고객")
        .unwrap();
    assert_eq!((customer.id, customer.physical.as_str()), (kept_id, "CUST"));
    assert_eq!(doc.dictionary.words.len(), d.words.len() + 1, "Extra stays");
    assert_eq!(
        doc.dictionary.name("고객명").domain,
        Some(doc.dictionary.domains[0].id)
    );
    // Merging the same again changes nothing.
    let (again, _) = exchange::merge(&doc.dictionary, &read);
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn csv_from_a_spreadsheet_is_read_row_by_row() {
    let current = Dictionary {
        domains: vec![Domain::new("Amount", "numeric(15,2)")],
        ..Dictionary::default()
    };
    let text = "\u{feff}Kind,Logical,Physical,Domain\n\
        word,금액,AMT,\n\
        term,주문금액,ORD_AMT,amount\n\
        term,배송비,DLV_FEE,Weight\n\
        thing,x,y,\n\
        ,,,\n\
        word,,NM,\n";
    let (read, problems) = exchange::from_csv(text, &current);
    assert_eq!(read.words.len(), 1);
    assert_eq!(read.terms.len(), 2);
    assert_eq!(
        read.terms[0].domain,
        Some(current.domains[0].id),
        "found in the diagram's"
    );
    assert_eq!(read.terms[1].domain, None);
    let mut lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
    lines.sort_unstable();
    // The term with an unknown domain (4), the unknown kind (5), the row without a name (7).
    assert_eq!(lines, [4, 5, 7], "{problems:?}");
    assert!(
        problems.iter().any(|p| p.message.contains("Weight")),
        "{problems:?}"
    );
    // Without a header naming kind and logical, nothing is read.
    let (_, problems) = exchange::from_csv("a,b\n1,2\n", &current);
    assert_eq!(problems.len(), 1);
    // A word the model refuses is left out of the merge, with the reason.
    let (read, _) = exchange::from_csv("kind,logical\nword,이름\n", &current);
    let (ops, refused) = exchange::merge(&current, &read);
    assert!(ops.is_empty());
    assert_eq!(refused.len(), 1, "{refused:?}");
}
