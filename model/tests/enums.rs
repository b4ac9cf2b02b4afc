//! Changing an enum type: one undoable edit that carries a rename into the columns typed with it,
//! described as a change in the history.

use model::history::describe;
use model::{Column, Diagram, EnumType, Table, Uuid, enums};

fn moods() -> (Diagram, Uuid) {
    let mut doc = Diagram::new("moods");
    let mood = EnumType {
        id: Uuid::new_v4(),
        name: "mood".into(),
        schema: None,
        values: vec!["sad".into(), "ok".into()],
    };
    let mut person = Table::new("person");
    person.columns.push(Column::new("now", "mood"));
    person
        .columns
        .push(Column::new("past", "public.\"mood\"[]"));
    person.columns.push(Column::new("moodiness", "int"));
    let id = mood.id;
    doc.enums.push(mood);
    doc.tables.push(person);
    (doc, id)
}

#[test]
fn a_renamed_enum_retypes_its_columns_in_one_undoable_edit() {
    let (doc, id) = moods();
    let mut next = doc.enums[0].clone();
    next.name = "feeling".into();
    next.values.push("happy".into());
    let op = enums::changed(&doc, next.clone()).expect("a change");
    let mut edited = doc.clone();
    let inverse = op.clone().apply(&mut edited).expect("applies");
    edited.validate().expect("valid");
    assert_eq!(edited.enums, vec![next.clone()]);
    let types: Vec<&str> = edited.tables[0]
        .columns
        .iter()
        .map(|c| c.data_type.as_str())
        .collect();
    assert_eq!(types, ["bigint", "feeling", "feeling[]", "int"]);
    assert_eq!(enums::users(&edited, &next), 2);

    let lines = describe(&edited, &[op], std::slice::from_ref(&inverse));
    assert!(
        lines.contains(&"renamed enum mood to feeling".to_string()),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("removed enum")),
        "{lines:?}"
    );

    let mut undone = edited;
    inverse.apply(&mut undone).expect("undo applies");
    assert_eq!(undone, doc, "undo restores the enum and the columns");
    assert_eq!(undone.enums[0].id, id);
}

#[test]
fn new_values_alone_leave_the_columns_and_no_change_is_no_edit() {
    let (doc, _) = moods();
    assert!(enums::changed(&doc, doc.enums[0].clone()).is_none());
    let mut next = doc.enums[0].clone();
    next.values = vec!["ok".into()];
    let op = enums::changed(&doc, next).expect("a change");
    let mut edited = doc.clone();
    let inverse = op.clone().apply(&mut edited).expect("applies");
    assert_eq!(edited.tables, doc.tables);
    let lines = describe(&edited, &[op], std::slice::from_ref(&inverse));
    assert_eq!(lines, ["changed enum mood"]);
}
