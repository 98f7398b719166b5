//! Folding text to the form the index compares: ASCII, lowercase, words separated by one space.
//!
//! The same function runs over the corpus at load and over each query, so "GHARIBABADI",
//! "Gharibabadí", "Al-Khamenei" and "Рябков" meet the data on equal terms. Other scripts are
//! transliterated with deunicode ("Рябков" becomes "riabkov"), so a native-script alias in the data
//! matches the same native-script query exactly, and a transliteration close to a Latin spelling
//! is left to the typo stage.

use deunicode::deunicode_char;

/// Folds `text` to lowercase ASCII words separated by single spaces. Apostrophes join
/// ("O'Brien" is "obrien"); any other punctuation separates.
pub fn fold(text: &str) -> String {
    let folded = fold_chars(text);
    // Most texts have no run of single letters: they are already folded, with no second copy.
    if has_initials(&folded) {
        join_initials(&folded)
    } else {
        folded
    }
}

/// Whether two single letters follow each other in `folded` (words separated by one space,
/// none empty, as `fold_chars` writes them): what [`join_initials`] would join.
fn has_initials(folded: &str) -> bool {
    let mut previous_single = false;
    for word in words(folded) {
        let single = word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic();
        if single && previous_single {
            return true;
        }
        previous_single = single;
    }
    false
}

/// Runs of single letters are one abbreviation: "u s iran" (from "U.S.-Iran") is "us iran", so
/// "US" and "U.S." meet.
fn join_initials(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    let mut previous_single = false;
    for word in words(folded).filter(|w| !w.is_empty()) {
        let single = word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic();
        if !(out.is_empty() || single && previous_single) {
            out.push(' ');
        }
        out.push_str(word);
        previous_single = single;
    }
    out
}

/// The words of folded text, as `folded.split(' ')` gives them (an empty text is one empty
/// word), found by a byte scan: folded words are short, and `split(' ')` calls memchr for each,
/// which cost a tenth of building the index at 10k articles.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(folded);
    std::iter::from_fn(move || {
        let text = rest?;
        match text.bytes().position(|b| b == b' ') {
            Some(at) => {
                rest = Some(&text[at + 1..]);
                Some(&text[..at])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

fn fold_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_ascii() {
            push_ascii(&mut out, &mut space, c);
        } else if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02bc}') {
            // typographic apostrophes join, like "'"
        } else {
            match deunicode_char(c) {
                Some(ascii) => {
                    for a in ascii.chars() {
                        push_ascii(&mut out, &mut space, a);
                    }
                    // Each CJK character is a syllable of its own: "马朝旭" is "ma zhao xu".
                    if is_cjk(c) {
                        space = true;
                    }
                }
                None => space = true,
            }
        }
    }
    out
}

fn push_ascii(out: &mut String, space: &mut bool, c: char) {
    if c.is_ascii_alphanumeric() {
        if *space && !out.is_empty() {
            out.push(' ');
        }
        *space = false;
        out.push(c.to_ascii_lowercase());
    } else if c != '\'' {
        *space = true;
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}')
}

/// Words too common to help find anything, skipped when the query has other words.
pub fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "the"
            | "of"
            | "and"
            | "in"
            | "on"
            | "to"
            | "for"
            | "at"
            | "by"
            | "with"
            | "from"
            | "about"
            | "who"
            | "what"
            | "is"
    )
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_accents_punctuation_and_scripts() {
        assert_eq!(fold("GHARIBABADI"), "gharibabadi");
        assert_eq!(fold("Gharibabadí"), "gharibabadi");
        assert_eq!(fold("Al-Khamenei"), "al khamenei");
        assert_eq!(fold("  U.S.-Iran  mistrust "), "us iran mistrust");
        assert_eq!(fold("a b c d"), "abcd");
        assert_eq!(fold("Kazem A. Gharibabadi"), "kazem a gharibabadi");
        assert_eq!(fold("China’s push"), "chinas push");
        assert_eq!(fold("Рябков"), "riabkov");
        assert_eq!(fold("马朝旭"), "ma zhao xu");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn words_split_as_split_does() {
        for text in ["", " ", "a", "ab cd", " a  b ", "us iran mistrust", "x "] {
            let split: Vec<&str> = text.split(' ').collect();
            assert_eq!(super::words(text).collect::<Vec<_>>(), split, "{text:?}");
        }
    }
}
