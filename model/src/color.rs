//! CSS colour syntax: what a table or note colour may be, so that only a colour (never a
//! `url(…)` or other CSS) reaches a style attribute or an exported SVG.
//!
//! A syntax check, not a colour parser: hex, the functional forms with numeric arguments, and
//! the named colours. (The `csscolorparser` crate would do it, but it parses every colour space
//! into values nothing here needs, and cost the browser bundle 30 KB gzipped.)

/// The CSS named colours, sorted (for a binary search), with `transparent`.
const NAMED: [&str; 149] = [
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "transparent",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
];

/// The colour functions, each taking three channels and an optional alpha.
const FUNCTIONS: [&str; 9] = [
    "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "rgb", "rgba",
];

/// Whether `value` is a CSS colour: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, a colour function
/// with numeric arguments (`rgb(1 2 3 / 50%)`, `hsl(200, 50%, 40%)` …) or a colour name.
pub fn is_css_color(value: &str) -> bool {
    let value = value.trim();
    if value.len() > 64 {
        return false;
    }
    if let Some(hex) = value.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    let lower = value.to_ascii_lowercase();
    let Some((name, rest)) = lower.split_once('(') else {
        return NAMED.binary_search(&lower.as_str()).is_ok();
    };
    let Some(arguments) = rest.strip_suffix(')') else {
        return false;
    };
    if !FUNCTIONS.contains(&name.trim_end()) {
        return false;
    }
    // Channels separated by commas or spaces, alpha after a slash or a fourth comma.
    let (channels, alpha) = match arguments.split_once('/') {
        Some((channels, alpha)) => (channels, Some(alpha)),
        None => (arguments, None),
    };
    let channels: Vec<&str> = channels
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let count_ok = match alpha {
        Some(_) => channels.len() == 3,
        None => matches!(channels.len(), 3 | 4),
    };
    count_ok && channels.iter().all(|c| number(c)) && alpha.is_none_or(|a| number(a.trim()))
}

/// A CSS number, percentage or angle (`12`, `-0.5`, `40%`, `120deg`, `1.5turn`), or `none`.
fn number(text: &str) -> bool {
    if text == "none" {
        return true;
    }
    let digits = ["%", "deg", "grad", "rad", "turn"]
        .iter()
        .find_map(|unit| text.strip_suffix(unit))
        .unwrap_or(text);
    !digits.is_empty()
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e'))
        && digits.parse::<f64>().is_ok_and(f64::is_finite)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_named_colours_are_sorted_for_the_search() {
        assert!(NAMED.windows(2).all(|w| w[0] < w[1]));
        assert!(is_css_color("RebeccaPurple"));
        assert!(!is_css_color("rebeccapurpl"));
    }

    #[test]
    fn functions_take_numbers_only() {
        for good in [
            "rgb(1, 2, 3)",
            "rgba(1,2,3,0.5)",
            "rgb(1 2 3 / 50%)",
            "hsl(200deg 50% 40%)",
            "oklch(0.7 0.1 200)",
            "#ABCDEF",
        ] {
            assert!(is_css_color(good), "{good}");
        }
        for bad in [
            "rgb(1, 2)",
            "rgb(var(--x), 2, 3)",
            "url(x)",
            "rgb(1 2 3",
            "rgb(1e999, 2, 3)",
            "#abcde",
            "red blue",
            "",
        ] {
            assert!(!is_css_color(bad), "{bad}");
        }
    }
}
