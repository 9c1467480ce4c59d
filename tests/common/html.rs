//! HTML read as a browser's tokenizer reads it, and what no tag that came from content
//! may be: shared by tests/hostile.rs (every page of a hostile site) and tests/fuzz.rs
//! (Markdown bodies).

/// A tag of an HTML page as a browser's tokenizer reads it.
#[derive(Debug)]
pub struct Tag {
    pub name: String,
    pub end: bool,
    /// Names in lower case, values with their character references decoded.
    pub attrs: Vec<(String, String)>,
    /// For an element whose content is raw text (`script`, `style`...): that text.
    pub raw: Option<String>,
    pub at: usize,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The tag as a problem names it.
    pub fn shown(&self) -> String {
        format!("<{} {:?}> at byte {}", self.name, self.attrs, self.at)
    }
}

/// Decodes the character references an attribute value or a text may hold.
pub fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e < 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .map(|h| u32::from_str_radix(h, 16))
                    .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Elements whose content a browser reads as text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// The tags of a page, in order, read the way HTML's tokenizer reads them (comments
/// skipped, the content of raw text elements kept whole).
pub fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        i = at + 1;
        if html[at..].starts_with("<!--") {
            i = html[at + 4..]
                .find("-->")
                .map_or(b.len(), |e| at + 4 + e + 3);
            continue;
        }
        if html[at..].starts_with("<!") || html[at..].starts_with("<?") {
            i = html[at..].find('>').map_or(b.len(), |e| at + e + 1);
            continue;
        }
        let end = b.get(at + 1) == Some(&b'/');
        let name_start = if end { at + 2 } else { at + 1 };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let mut j = name_start;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'/' && b[j] != b'>' {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        // Attributes (an end tag's are read and dropped, as a browser does).
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                j += 1;
                break;
            }
            let n0 = j;
            j += 1;
            while j < b.len() && !b[j].is_ascii_whitespace() && !b"/>=".contains(&b[j]) {
                j += 1;
            }
            let attr = html[n0..j].to_ascii_lowercase();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        let close = html[j + 1..].find(q as char).map_or(b.len(), |e| j + 1 + e);
                        value = decode(&html[j + 1..close.min(b.len())]);
                        j = close + 1;
                    }
                    _ => {
                        let v0 = j;
                        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                            j += 1;
                        }
                        value = decode(&html[v0..j]);
                    }
                }
            }
            attrs.push((attr, value));
        }
        i = j.min(b.len());
        let mut raw = None;
        if !end && RAW_TEXT.contains(&name.as_str()) {
            let close = format!("</{name}");
            let rest = &html[i..];
            let e = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
            raw = Some(rest[..e].to_string());
            i += e;
        }
        out.push(Tag {
            name,
            end,
            attrs,
            raw,
            at,
        });
    }
    out
}

/// Attributes that hold an address a browser would follow or load.
pub const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "ping",
    "srcset",
    "codebase",
    "manifest",
];

/// Elements that no page of the site may hold.
pub const FORBIDDEN: &[&str] = &[
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "portal",
    "style",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "math",
    "template",
];

/// What a start tag may not hold whatever an editor typed: an event handler, a style,
/// a script or data address, an element that embeds or restyles the page.
pub fn tag_problems(tag: &Tag) -> Vec<String> {
    let mut problems = Vec::new();
    let shown = format!("<{} {:?}> at byte {}", tag.name, tag.attrs, tag.at);
    for (name, value) in &tag.attrs {
        // The address as a browser reads it (WHATWG URL): C0 controls and spaces
        // around it dropped, tabs and line breaks anywhere in it too (`java\tscript:`
        // is `javascript:`), but not spaces inside (`j avascript:` is a relative path).
        let compact: String = value
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .to_ascii_lowercase();
        if name.starts_with("on") {
            problems.push(format!("event handler {name}: {shown}"));
        }
        if ["style", "srcdoc", "autofocus", "formaction", "popover"].contains(&name.as_str()) {
            problems.push(format!("attribute {name}: {shown}"));
        }
        if URL_ATTRIBUTES.contains(&name.as_str())
            && (compact.starts_with("javascript:")
                || compact.starts_with("vbscript:")
                || (compact.starts_with("data:")
                    && !(tag.name == "img" && compact.starts_with("data:image/"))))
        {
            problems.push(format!("{name} with a script or data address: {shown}"));
        }
    }
    if FORBIDDEN.contains(&tag.name.as_str()) {
        problems.push(format!("element <{}>: {shown}", tag.name));
    }
    problems
}
