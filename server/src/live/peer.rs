//! How a connection is shown to the others: a name, initials and a colour.

use model::api::Role;
use model::api::live::{Focus, Peer};

use crate::auth::Caller;

/// Colours for people, told apart on white and on the cards' headers (and by people with the
/// common colour-vision deficiencies, as far as eight colours can be).
const COLORS: [&str; 8] = [
    "#d9480f", "#1971c2", "#2f9e44", "#ae3ec9", "#e8590c", "#0c8599", "#c2255c", "#5c940d",
];

/// The peer a caller appears as (its `id` is given when it joins).
pub fn of(caller: &Caller, role: Role) -> Peer {
    let (user, name, seed) = match caller {
        Caller::Person { person, .. } => (
            Some(person.user.id),
            person.user.name.clone(),
            person.user.id.as_u128(),
        ),
        Caller::Link(link) => (None, "Guest".to_string(), link.id.as_u128()),
        Caller::Anonymous => (None, "Guest".to_string(), 0),
    };
    Peer {
        id: 0,
        user,
        initials: initials(&name),
        name,
        color: COLORS[(seed % COLORS.len() as u128) as usize].to_string(),
        role,
        focus: Focus::default(),
    }
}

/// The first letters of the first two words ("Ann Lee" → "AL"), or the first two letters of a
/// single word ("김민수" → "김민").
fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let letters: String = match words.as_slice() {
        [] => "?".into(),
        [one] => one.chars().take(2).collect(),
        [first, second, ..] => first
            .chars()
            .take(1)
            .chain(second.chars().take(1))
            .collect(),
    };
    letters.to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_two_letters() {
        assert_eq!(initials("Ann Lee"), "AL");
        assert_eq!(initials("ann"), "AN");
        assert_eq!(initials("김민수"), "김민");
        assert_eq!(initials("  "), "?");
        assert_eq!(initials("Mary Ann Smith"), "MA");
    }
}
