//! A small tokenizer for the pre-parse rewrites: words, quoted names and strings, punctuation,
//! each with its parenthesis depth. Comments are already blanked by the splitter.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokKind {
    Word,
    /// `'…'`, `"…"`, `` `…` ``, `[…]`: the opening character.
    Quoted(u8),
    Punct(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
    /// Parentheses open around the token; a `(` and its `)` share the outer depth.
    pub depth: usize,
}

impl Tok {
    pub(crate) fn is_word(&self, text: &str, word: &str) -> bool {
        self.kind == TokKind::Word && text[self.start..self.end].eq_ignore_ascii_case(word)
    }

    /// The token's text with identifier quotes removed.
    pub(crate) fn unquoted(&self, text: &str) -> String {
        let raw = &text[self.start..self.end];
        match self.kind {
            TokKind::Quoted(b'[') | TokKind::Quoted(b'"') | TokKind::Quoted(b'`')
                if raw.len() >= 2 =>
            {
                raw[1..raw.len() - 1].to_string()
            }
            _ => raw.to_string(),
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'@' || b == b'#' || b >= 0x80
}

pub(crate) fn tokenize(text: &str) -> Vec<Tok> {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind = if is_word_byte(b) {
            while i < bytes.len() && is_word_byte(bytes[i]) {
                i += 1;
            }
            TokKind::Word
        } else if matches!(b, b'\'' | b'"' | b'`' | b'[') {
            let close = if b == b'[' { b']' } else { b };
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'\\' && b == b'\'' {
                    i += 2;
                    continue;
                }
                if bytes[i] == close {
                    if bytes.get(i + 1) == Some(&close) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i = (i + 1).min(bytes.len());
            TokKind::Quoted(b)
        } else {
            i += 1;
            TokKind::Punct(b)
        };
        let tok_depth = match kind {
            TokKind::Punct(b'(') => {
                depth += 1;
                depth - 1
            }
            TokKind::Punct(b')') => {
                depth = depth.saturating_sub(1);
                depth
            }
            _ => depth,
        };
        toks.push(Tok {
            kind,
            start,
            end: i,
            depth: tok_depth,
        });
    }
    toks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parentheses_share_the_outer_depth() {
        let text = "t (a [b c], 'x''y')";
        let toks = tokenize(text);
        let kinds: Vec<_> = toks.iter().map(|t| (t.kind, t.depth)).collect();
        assert_eq!(
            kinds,
            [
                (TokKind::Word, 0),
                (TokKind::Punct(b'('), 0),
                (TokKind::Word, 1),
                (TokKind::Quoted(b'['), 1),
                (TokKind::Punct(b','), 1),
                (TokKind::Quoted(b'\''), 1),
                (TokKind::Punct(b')'), 0),
            ]
        );
        assert_eq!(toks[3].unquoted(text), "b c");
    }
}
