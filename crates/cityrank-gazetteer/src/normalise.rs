//! The key under which spellings are compared.

/// Folds a city string to its comparison key: full-width forms to ASCII, Latin
/// letters to lower case without tone marks (ü as u), and no whitespace or
/// punctuation, so "Xi'an", "XIAN", "Xi An" and "ｘｉ’ａｎ" share the key `xian`
/// and "广东省　深圳市" becomes `广东省深圳市`.
pub fn normalise(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        if c.is_whitespace() || c.is_ascii_punctuation() || is_other_separator(c) {
            continue;
        }
        out.push(fold_latin(c));
    }
    out
}

fn is_other_separator(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{FEFF}' | '’' | '‘' | '“' | '”' | '·' | '・' | '、' | '。' | '—' | '–'
    )
}

fn fold_latin(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'ā' | 'á' | 'ǎ' | 'à' | 'Ā' | 'Á' | 'Ǎ' | 'À' => 'a',
        'ē' | 'é' | 'ě' | 'è' | 'Ē' | 'É' | 'Ě' | 'È' | 'ê' | 'Ê' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' | 'Ī' | 'Í' | 'Ǐ' | 'Ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' | 'Ō' | 'Ó' | 'Ǒ' | 'Ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' | 'Ū' | 'Ú' | 'Ǔ' | 'Ù' => 'u',
        'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'Ü' | 'Ǖ' | 'Ǘ' | 'Ǚ' | 'Ǜ' => 'u',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn folds_width_case_marks_and_separators() {
        assert_eq!(normalise(" Xi'an "), "xian");
        assert_eq!(normalise("XI AN"), "xian");
        assert_eq!(normalise("Xī’ān"), "xian");
        assert_eq!(normalise("ＳＨＥＮＺＨＥＮ"), "shenzhen");
        assert_eq!(normalise("广东省\u{3000}深圳市"), "广东省深圳市");
        assert_eq!(normalise("Taizhou (Zhejiang)"), "taizhouzhejiang");
        assert_eq!(normalise("Lüliang"), "luliang");
        assert_eq!(normalise(" \u{3000} "), "");
    }
}
