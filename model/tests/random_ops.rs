//! Random op sequences keep the document valid, and undoing them all gives back the start.

mod support;

use model::testing::{step, to_op};
use proptest::prelude::*;
use support::shop;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_edits_keep_the_document_valid_and_undo_to_the_start(steps in prop::collection::vec(step(), 1..40)) {
        let start = shop().doc;
        let mut doc = start.clone();
        let mut undo = Vec::new();
        for step in steps {
            let Some(op) = to_op(&doc, step) else { continue };
            let before = doc.clone();
            match op.apply(&mut doc) {
                Ok(inverse) => undo.push(inverse),
                Err(_) => prop_assert_eq!(&doc, &before, "a refused op changed the document"),
            }
            prop_assert!(doc.validate().is_ok(), "invalid after an op: {:?}", doc.validate());
        }
        while let Some(inverse) = undo.pop() {
            prop_assert!(inverse.apply(&mut doc).is_ok());
        }
        prop_assert_eq!(doc, start);
    }
}

/// Every entity an op changes, cascades included, is named by the op or its inverse: what the
/// server's rendering goes by to reuse the JSON of everything else.
fn changed_entities(before: &model::Diagram, after: &model::Diagram) -> Vec<model::Uuid> {
    fn changed<T: PartialEq>(
        before: &[T],
        after: &[T],
        id: impl Fn(&T) -> model::Uuid,
        into: &mut Vec<model::Uuid>,
    ) {
        for item in after {
            if !before.iter().any(|b| b == item) {
                into.push(id(item));
            }
        }
        for item in before {
            if !after.iter().any(|a| a == item) {
                into.push(id(item));
            }
        }
    }
    let mut ids = Vec::new();
    changed(&before.tables, &after.tables, |t| t.id, &mut ids);
    changed(
        &before.relationships,
        &after.relationships,
        |r| r.id,
        &mut ids,
    );
    changed(&before.notes, &after.notes, |n| n.id, &mut ids);
    changed(&before.enums, &after.enums, |e| e.id, &mut ids);
    ids
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn an_op_and_its_inverse_name_every_entity_that_changed(steps in prop::collection::vec(step(), 1..40)) {
        let mut doc = shop().doc;
        for step in steps {
            let Some(op) = to_op(&doc, step) else { continue };
            let before = doc.clone();
            let mut named = op.touched_ids();
            let Ok(inverse) = op.apply(&mut doc) else { continue };
            named.extend(inverse.touched_ids());
            for id in changed_entities(&before, &doc) {
                prop_assert!(named.contains(&id), "{id} changed but was not named");
            }
        }
    }
}
