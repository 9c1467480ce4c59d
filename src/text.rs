//! Text as limes accepts it from the editors' files, whatever system wrote them: UTF-8
//! (a byte order mark is allowed), line endings of Windows (CRLF) and old Macs (CR)
//! read as LF, no control characters (they make the pages and feeds invalid), and file
//! names in one Unicode form (NFC), so that a name saved on macOS and on Linux is one
//! name. Every text file of the site is read through [`decode`], so every later stage
//! sees LF only and positions are counted in the text it quotes.

use std::borrow::Cow;

use icu_normalizer::{ComposingNormalizerBorrowed, DecomposingNormalizerBorrowed};

use crate::diagnostics::{Diagnostic, Source};

/// At most this many control characters of one file are reported one by one; the
/// rest are counted in one more diagnostic (a binary file would print thousands).
const CONTROLS_SHOWN: usize = 10;

const NOT_UTF8_HELP: &str = "save the file as UTF-8 (in most editors: Save as… → Encoding: UTF-8)";
const UTF16_HELP: &str = "the file is saved as UTF-16 (\"Unicode\" in some Windows programs): save it as UTF-8 (in most editors: Save as… → Encoding: UTF-8)";

/// The text of the file `rel` from its bytes: UTF-8 checked, a byte order mark blanked
/// (three spaces, so that columns stay those an editor shows), CRLF and lone CR turned
/// into LF (see [`normalise_newlines`]), every control character reported (and
/// blanked, so that the parsers after this one do not report it again). `Err` when the
/// file is not UTF-8 text, pointing at the first byte that is not.
pub fn decode(rel: &str, bytes: Vec<u8>) -> Result<(Source, Vec<Diagnostic>), Diagnostic> {
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            // The position in the text as it would be read: line endings made LF.
            let before = normalise_newlines(String::from_utf8_lossy(&bytes[..at]).into_owned());
            let at = before.len();
            let lossy = Source::new(
                rel,
                normalise_newlines(String::from_utf8_lossy(bytes).into_owned()),
            );
            let help = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
                UTF16_HELP
            } else {
                NOT_UTF8_HELP
            };
            return Err(lossy
                .error(at..at + 1, "the file is not UTF-8 text")
                .help(help));
        }
    };
    // Nearly every file has none: one pass over its bytes says so.
    let controls = has_controls(text.as_bytes());
    // UTF-16 without a byte order mark is valid UTF-8: every other byte a NUL.
    let nuls = if controls {
        text.bytes().filter(|&b| b == 0).count()
    } else {
        0
    };
    if nuls >= 4 && nuls * 4 >= text.len() {
        return Err(Diagnostic::file(rel, "the file is not UTF-8 text").help(UTF16_HELP));
    }
    if text.starts_with('\u{feff}') {
        text.replace_range(..3, "   ");
    }
    let mut src = Source::new(rel, normalise_newlines(text));
    if !controls {
        return Ok((src, Vec::new()));
    }
    let diags = control_characters(&src);
    src.text = blank_controls(std::mem::take(&mut src.text));
    Ok((src, diags))
}

/// Whether the UTF-8 `bytes` hold a control character (see [`control_name`]).
fn has_controls(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7f
            || (b == 0xc2 && matches!(bytes.get(i + 1), Some(0x80..=0x9f)))
    })
}

/// `text` with CRLF and lone CR made LF. Returns `text` itself when it has no CR.
pub fn normalise_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' => {
                out.push(b'\n');
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    // Only ASCII bytes were changed, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether `s` holds a control character (see [`control_name`]).
pub fn has_control(s: &str) -> bool {
    has_controls(s.as_bytes())
}

/// The name of `c` when it is a control character limes refuses: C0 but tab, LF and
/// CR; DEL; C1. No page, feed or sitemap may hold one (HTML and XML forbid them), and
/// none can be seen in an editor.
pub fn control_name(c: char) -> Option<&'static str> {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
        "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
        "ESC", "FS", "GS", "RS", "US",
    ];
    const C1: [&str; 32] = [
        "PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA", "HTS", "HTJ", "VTS", "PLD", "PLU",
        "RI", "SS2", "SS3", "DCS", "PU1", "PU2", "STS", "CCH", "MW", "SPA", "EPA", "SOS", "SGC",
        "SCI", "CSI", "ST", "OSC", "PM", "APC",
    ];
    match c {
        '\t' | '\n' | '\r' => None,
        '\u{0}'..='\u{1f}' => Some(C0[c as usize]),
        '\u{7f}' => Some("DEL"),
        '\u{80}'..='\u{9f}' => Some(C1[c as usize - 0x80]),
        _ => None,
    }
}

/// `U+0007 (BEL)`: how messages name a control character.
pub fn describe(c: char) -> String {
    format!("U+{:04X} ({})", c as u32, control_name(c).unwrap_or("?"))
}

/// The character a C1 control most likely stands for: the Windows-1252 character of
/// the same byte (text copied from a document in that encoding and decoded as
/// Latin-1 keeps `’` as U+0092).
fn windows_1252(c: char) -> Option<char> {
    const MAP: [char; 32] = [
        '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0',
        '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
    ];
    let i = (c as usize).checked_sub(0x80)?;
    MAP.get(i).copied().filter(|&m| m != '\0')
}

/// The help of a control character's error: how to remove it, and what it most
/// likely was.
pub fn control_help(c: char) -> String {
    let base = "remove it: most editors show nothing there, so delete the characters on both sides of it and type them again";
    match windows_1252(c) {
        Some(m) => format!(
            "{base}; it most likely stands for `{m}` (text copied from a Windows-1252 document): type `{m}` instead"
        ),
        None => format!("{base} (it usually comes from text pasted from a PDF or another program)"),
    }
}

/// Every control character of `src` (see [`control_name`]), as errors at its place.
fn control_characters(src: &Source) -> Vec<Diagnostic> {
    let mut found = src
        .text
        .char_indices()
        .filter(|&(_, c)| control_name(c).is_some());
    let mut diags: Vec<Diagnostic> = found
        .by_ref()
        .take(CONTROLS_SHOWN)
        .map(|(at, c)| {
            src.error(
                at..at + c.len_utf8(),
                format!("control character {} in the text", describe(c)),
            )
            .help(control_help(c))
        })
        .collect();
    let rest: Vec<(usize, char)> = found.collect();
    if let Some(&(at, c)) = rest.first() {
        diags.push(
            src.error(
                at..at + c.len_utf8(),
                format!(
                    "{} more control character{} in this file, the first {} here",
                    rest.len(),
                    if rest.len() == 1 { "" } else { "s" },
                    describe(c)
                ),
            )
            .help("is it a text file? save it again as plain UTF-8 text, then remove every control character"),
        );
    }
    diags
}

/// `text` with every control character replaced by characters of the same length in
/// bytes and characters (a space; NO-BREAK SPACE for a C1 control, two bytes as it is),
/// so that offsets and columns stay those of the file.
fn blank_controls(text: String) -> String {
    let mut bytes = text.into_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f {
            bytes[i] = b' ';
        } else if b == 0xc2 && matches!(bytes.get(i + 1), Some(0x80..=0x9f)) {
            bytes[i + 1] = 0xa0;
            i += 1;
        }
        i += 1;
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Where in the TOML string literal `literal` (as written, quotes included) an escape
/// stands for a control character: (byte offset of its `\`, its length, the
/// character). Literal strings ('...') have no escapes.
pub fn control_escapes(literal: &str) -> Vec<(usize, usize, char)> {
    if literal.starts_with('\'') {
        return Vec::new();
    }
    let bytes = literal.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let hex = |n: usize| {
            literal
                .get(i + 2..i + 2 + n)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
                .map(|c| (c, 2 + n))
        };
        let found = match bytes.get(i + 1) {
            Some(b'b') => Some(('\u{8}', 2)),
            Some(b'f') => Some(('\u{c}', 2)),
            Some(b'e') => Some(('\u{1b}', 2)),
            Some(b'x') => hex(2),
            Some(b'u') => hex(4),
            Some(b'U') => hex(8),
            _ => None,
        };
        match found {
            Some((c, len)) => {
                if control_name(c).is_some() {
                    out.push((i, len, c));
                }
                i += len;
            }
            // `\\`, `\"`, `\n`... and a line-ending backslash: two bytes at least.
            None => i += 2,
        }
    }
    out
}

/// `name` in Unicode's composed form (NFC), as file names are compared and published.
pub fn nfc(name: &str) -> Cow<'_, str> {
    ComposingNormalizerBorrowed::new_nfc().normalize(name)
}

/// `s` with the accents of its letters left out (`Été` → `Ete`), for a slug to suggest.
pub fn without_accents(s: &str) -> String {
    DecomposingNormalizerBorrowed::new_nfd()
        .normalize(s)
        .chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (Source, Vec<Diagnostic>) {
        decode("a.md", bytes.to_vec()).unwrap()
    }

    #[test]
    fn line_endings_of_every_system_become_lf() {
        assert_eq!(
            normalise_newlines("a\r\nb\rc\n\r\nd\r".into()),
            "a\nb\nc\n\nd\n"
        );
        assert_eq!(normalise_newlines("no cr\n".into()), "no cr\n");
        // A CR at the end of a line of CRLF, then a lone one: two lines.
        assert_eq!(normalise_newlines("x\r\r\ny".into()), "x\n\ny");
        assert_eq!(normalise_newlines("é\rü".into()), "é\nü");
    }

    #[test]
    fn positions_are_those_of_the_text_read() {
        for text in [
            "+++\rtitle = 1\r+++\rBody\r",
            "+++\r\ntitle = 1\r\n+++\r\nBody\r\n",
        ] {
            let (src, diags) = decoded(text.as_bytes());
            assert!(diags.is_empty());
            assert_eq!(src.text, "+++\ntitle = 1\n+++\nBody\n");
            assert_eq!(src.position(src.text.find("Body").unwrap()), (4, 1));
        }
    }

    #[test]
    fn control_characters_are_named_where_they_are() {
        let (src, diags) = decoded("ok\ttab\na\u{7}b\r\nc\u{1b}[0m \u{92}s\u{7f}".as_bytes());
        let found: Vec<(usize, usize, &str)> = diags
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (2, 2, "control character U+0007 (BEL) in the text"),
                (3, 2, "control character U+001B (ESC) in the text"),
                (3, 7, "control character U+0092 (PU2) in the text"),
                (3, 9, "control character U+007F (DEL) in the text"),
            ]
        );
        assert!(
            diags[2].help.as_deref().unwrap().contains("`’`"),
            "{:?}",
            diags[2].help
        );
        // Blanked in the text handed on, at the same offsets and columns.
        assert_eq!(src.text, "ok\ttab\na b\nc [0m \u{a0}s ");
        assert_eq!(diags[0].snippet.as_ref().unwrap().text, "a\u{7}b");
    }

    #[test]
    fn many_control_characters_are_counted_after_the_first_ten() {
        let text = "\u{1}".repeat(25);
        let (_, diags) = decoded(text.as_bytes());
        assert_eq!(diags.len(), CONTROLS_SHOWN + 1);
        assert_eq!(
            diags[CONTROLS_SHOWN].message,
            "15 more control characters in this file, the first U+0001 (SOH) here"
        );
        assert_eq!(diags[CONTROLS_SHOWN].col, CONTROLS_SHOWN + 1);
    }

    #[test]
    fn files_not_in_utf8_are_refused_where_they_stop_being_it() {
        let d = decode("a.md", b"a\r\nb\rcaf\xe9".to_vec()).unwrap_err();
        assert_eq!((d.line, d.col), (3, 4));
        assert_eq!(d.message, "the file is not UTF-8 text");
        let d = decode("a.md", b"\xff\xfea\0b\0".to_vec()).unwrap_err();
        assert_eq!(d.help.as_deref(), Some(UTF16_HELP));
        let d = decode("a.md", b"a\0b\0c\0\n\0".to_vec()).unwrap_err();
        assert_eq!((d.line, d.help.as_deref()), (0, Some(UTF16_HELP)));
    }

    #[test]
    fn escapes_of_control_characters_are_found() {
        assert_eq!(
            control_escapes(r#""a\u0007b\\u0007\e\n\t\U0000009b\x00\"""#),
            [
                (2, 6, '\u{7}'),
                (16, 2, '\u{1b}'),
                (22, 10, '\u{9b}'),
                (32, 4, '\0')
            ]
        );
        assert!(control_escapes(r"'C:\files\b'").is_empty());
    }

    #[test]
    fn names_are_composed() {
        assert_eq!(nfc("E\u{301}te\u{301}.pdf"), "Été.pdf");
        assert!(matches!(nfc("plain.pdf"), Cow::Borrowed(_)));
        assert_eq!(without_accents("E\u{301}té Ñu"), "Ete Nu");
    }
}
