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
