//! Checking the files of `content/static/` that a browser would run as a document of
//! the site. They are published as they are, at the site's own address, so an SVG with
//! a `<script>` or an `onload=`, or an HTML file, would run script in a reader's browser
//! with the site's rights. This module decides, from a file's name and bytes, whether
//! such a file may be published when the editors are not all trusted (`raw_html` is
//! `escape` or `sanitize`): HTML files only when they hold no markup at all, SVG and
//! other XML files only when they hold nothing that runs script, loads another document
//! or hides something from this check; compressed SVG and XSLT never. Every other file
//! (pictures, PDF, CSS, JavaScript...) cannot run unless a page includes it, and no
//! page can then, so it is not read. Loading (`load`) calls [`check`] and turns each
//! [`Problem`] into a diagnostic.

use std::borrow::Cow;
use std::ops::Range;

use quick_xml::XmlVersion;
use quick_xml::escape::EscapeError;
use quick_xml::events::attributes::{AttrError, Attribute};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;

/// At most this many problems are reported for one file, then one more saying how many
/// were left out.
pub const MAX_PROBLEMS: usize = 20;

/// One reason to refuse a static file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Byte range in the file; `None` when the problem concerns the whole file.
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: String,
}

/// How a browser would treat a file, by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Rendered as an HTML page of the site.
    Html,
    /// Parsed as XML; `doc` names it in messages ("SVG", "XML file").
    Xml { doc: &'static str, svg: bool },
    /// Compressed SVG: cannot be read here.
    Svgz,
    /// An XSLT stylesheet: a program.
    Xslt,
}

/// The end of every help line: what the site can do when all its editors are trusted.
const TRUST: &str = "`raw_html = \"trust\"` under [markdown] in observatory.toml publishes such files as they are, when every editor is trusted";

fn kind(name: &str) -> Option<Kind> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (_, ext) = file.rsplit_once('.')?;
    let kind = match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" | "xhtml" | "xht" | "shtml" => Kind::Html,
        "svg" => Kind::Xml {
            doc: "SVG",
            svg: true,
        },
        // XML that browsers render as documents (feeds, maps, MathML, RDF...): each
        // can hold XHTML elements, and so scripts.
        "xml" | "rss" | "atom" | "rdf" | "kml" | "gpx" | "mml" | "mathml" | "xspf" => Kind::Xml {
            doc: "XML file",
            svg: false,
        },
        "svgz" => Kind::Svgz,
        "xsl" | "xslt" => Kind::Xslt,
        _ => return None,
    };
    Some(kind)
}

/// Whether [`check`] looks at files of this name at all; the others need not be read.
pub fn is_checked(name: &str) -> bool {
    kind(name).is_some()
}

/// The reasons not to publish the static file `name` (a path or a file name; only its
/// extension counts) with these contents. Empty when it may be published.
pub fn check(name: &str, bytes: &[u8]) -> Vec<Problem> {
    let mut problems = match kind(name) {
        None => Vec::new(),
        Some(Kind::Html) => check_html(bytes),
        Some(Kind::Svgz) => vec![Problem {
            span: None,
            message: "a compressed SVG (.svgz) cannot be checked for scripts".into(),
            help: format!("publish the uncompressed .svg instead; {TRUST}"),
        }],
        Some(Kind::Xslt) => vec![Problem {
            span: None,
            message: "an XSLT stylesheet is a program that browsers run over the site's XML files"
                .into(),
            help: format!("remove it; {TRUST}"),
        }],
        Some(Kind::Xml { doc, svg }) => match std::str::from_utf8(bytes) {
            Ok(text) => XmlCheck::new(text, doc, svg).run(),
            Err(e) => {
                let at = e.valid_up_to();
                vec![Problem {
                    span: Some(at..at + 1),
                    message: "the file is not UTF-8 text".into(),
                    help: format!(
                        "save it as UTF-8: limes reads every {doc} to check that it runs no script; {TRUST}"
                    ),
                }]
            }
        },
    };
    // Spans stay inside the file, even for a problem found at its very end.
    for p in &mut problems {
        if let Some(span) = &mut p.span {
            let start = span.start.min(bytes.len());
            *span = start..span.end.clamp(start, bytes.len());
        }
    }
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        let span = problems[MAX_PROBLEMS].span.clone();
        problems.truncate(MAX_PROBLEMS);
        problems.push(Problem {
            span,
            message: format!(
                "{more} more problem{} in this file, from here on, are not shown",
                if more == 1 { "" } else { "s" }
            ),
            help: "fix the problems above and build again to see the rest".into(),
        });
    }
    problems
}

/// An HTML file is a page of the site; one without any `<` is plain text (such as the
/// verification files search engines ask for) and cannot run anything.
fn check_html(bytes: &[u8]) -> Vec<Problem> {
    let Some(at) = bytes.iter().position(|&b| b == b'<') else {
        return Vec::new();
    };
    // Underline the tag, when it ends soon on the same line.
    let end = bytes[at..]
        .iter()
        .take(60)
        .position(|&b| b == b'>' || b == b'\n')
        .filter(|&i| bytes[at + i] == b'>')
        .map_or(at + 1, |i| at + i + 1);
    vec![Problem {
        span: Some(at..end),
        message: "this HTML file would be published as a page of the site, where its markup can run scripts".into(),
        help: format!(
            "make it a page of the site (content/pages/), or publish it elsewhere and link to it; a verification file (google….html) passes when it holds plain text, without `<`; {TRUST}"
        ),
    }]
}

/// The part of a qualified name after its prefix (`svg:script` → `script`).
fn local_part(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Where `inner` starts in `outer`, when it is a slice of it.
fn offset_in(outer: &str, inner: &str) -> Option<usize> {
    let o = outer.as_ptr() as usize;
    let i = inner.as_ptr() as usize;
    (i >= o && i + inner.len() <= o + outer.len()).then(|| i - o)
}

/// An attribute value as a browser would read an address: character references
/// decoded, whitespace and control characters dropped, ASCII letters lowercased.
fn compact(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `data:` addresses of raster pictures, which cannot hold scripts.
fn is_raster_data(compact: &str) -> bool {
    ["png", "jpeg", "jpg", "gif", "webp", "avif"]
        .iter()
        .any(|t| match compact.strip_prefix("data:image/") {
            Some(rest) => rest
                .strip_prefix(t)
                .is_some_and(|r| r.starts_with(';') || r.starts_with(',')),
            None => false,
        })
}

struct XmlCheck<'a> {
    /// The whole file.
    text: &'a str,
    /// Byte offset of `body` in `text` (after a byte order mark).
    base: usize,
    body: &'a str,
    doc: &'static str,
    svg: bool,
    problems: Vec<Problem>,
}

impl<'a> XmlCheck<'a> {
    fn new(text: &'a str, doc: &'static str, svg: bool) -> Self {
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        XmlCheck {
            text,
            base: text.len() - body.len(),
            body,
            doc,
            svg,
            problems: Vec::new(),
        }
    }

    fn push(&mut self, span: Range<usize>, message: String, help: String) {
        self.problems.push(Problem {
            span: Some(span),
            message,
            help,
        });
    }

    /// The help line for something to take out of the file.
    fn remove_help(&self, what: &str) -> String {
        if self.svg {
            format!("remove {what}, or save the drawing again as plain SVG or PNG; {TRUST}")
        } else {
            format!("remove {what}; {TRUST}")
        }
    }

    fn malformed(&mut self, span: Range<usize>, reason: &str) {
        let message = format!("this {} is not well-formed XML: {reason}", self.doc);
        let help = if self.svg {
            format!(
                "browsers show nothing for it, and limes cannot check it for scripts: correct it, or save the drawing again as plain SVG or PNG; {TRUST}"
            )
        } else {
            format!(
                "browsers show nothing for it, and limes cannot check it for scripts: correct it; {TRUST}"
            )
        };
        self.push(span, message, help);
    }

    fn run(mut self) -> Vec<Problem> {
        let mut reader = Reader::from_str(self.body);
        reader.config_mut().enable_all_checks(true);
        // Open elements: qualified name and where its start tag is.
        let mut open: Vec<(String, Range<usize>)> = Vec::new();
        loop {
            let start = self.base + reader.buffer_position() as usize;
            let event = reader.read_event();
            let end = (self.base + reader.buffer_position() as usize).max(start);
            match event {
                Err(e) => {
                    let at = (self.base + reader.error_position() as usize).min(self.text.len());
                    let reason = match &e {
                        quick_xml::Error::Syntax(s) => s.to_string(),
                        quick_xml::Error::IllFormed(i) => i.to_string(),
                        other => other.to_string(),
                    };
                    self.malformed(at..at + 1, &reason);
                    break;
                }
                Ok(Event::Eof) => {
                    if let Some((name, span)) = open.pop() {
                        self.malformed(span, &format!("`<{name}>` is never closed"));
                    }
                    break;
                }
                Ok(Event::Start(e)) => {
                    let span = self.element(&e, start);
                    open.push((e.name().0.to_string(), span));
                }
                Ok(Event::Empty(e)) => {
                    self.element(&e, start);
                }
                Ok(Event::End(_)) => {
                    open.pop();
                }
                Ok(Event::DocType(d)) => {
                    if d.contains('[') {
                        let message = "this DOCTYPE declares entities of its own (the part in [ ]): browsers expand them, so they can hide a script from this check".to_string();
                        let help = self.remove_help("the part in [ ]");
                        self.push(start..end, message, help);
                    }
                }
                Ok(Event::PI(pi)) => {
                    if pi.target().eq_ignore_ascii_case("xml-stylesheet") {
                        let message = format!(
                            "`<?xml-stylesheet?>` makes the browser apply a stylesheet to the {}, which can be a program (XSLT)",
                            self.doc
                        );
                        let help = self.remove_help("it (put styles in a <style> element)");
                        let len = 2 + pi.target().len();
                        self.push(start..start + len, message, help);
                    }
                }
                Ok(Event::Decl(d)) => {
                    if let Some(Ok(enc)) = d.encoding() {
                        let label = enc.trim().to_ascii_lowercase();
                        let ascii_alike =
                            ["us-ascii", "ascii", "iso-8859-1", "latin1", "windows-1252"];
                        let fine = label == "utf-8"
                            || label == "utf8"
                            || (self.text.is_ascii() && ascii_alike.contains(&label.as_str()));
                        if !fine {
                            let span = offset_in(self.text, &enc)
                                .map_or(start..end, |at| at..at + enc.len());
                            self.push(
                                span,
                                format!(
                                    "the file says it is written in `{enc}`: a browser would read it otherwise than limes, which checks it as UTF-8"
                                ),
                                format!(
                                    "save it as UTF-8 and write encoding=\"UTF-8\" in its first line; {TRUST}"
                                ),
                            );
                        }
                    }
                }
                Ok(Event::GeneralRef(r)) => self.reference(&r, start..end),
                Ok(_) => {}
            }
        }
        self.problems
    }

    /// `&name;` or `&#n;` in text.
    fn reference(&mut self, r: &BytesRef<'_>, span: Range<usize>) {
        match r.resolve_char_ref() {
            Ok(Some(_)) => {}
            Ok(None) => {
                let name: &str = r;
                if !["lt", "gt", "amp", "apos", "quot"].contains(&name) {
                    self.push(
                        span,
                        format!(
                            "`&{name};` is not an XML entity: browsers refuse the file, and limes cannot check it"
                        ),
                        format!(
                            "write the character itself, or its number (&#160; for a non-breaking space); {TRUST}"
                        ),
                    );
                }
            }
            Err(e) => self.malformed(span, &e.to_string()),
        }
    }

    /// Checks a start (or empty) tag at byte `at` (its `<`); returns the span of `<name`.
    fn element(&mut self, e: &BytesStart<'_>, at: usize) -> Range<usize> {
        let qname = e.name().0;
        let tag = at..at + 1 + qname.len();
        let local = local_part(qname).to_ascii_lowercase();
        let doc = self.doc;
        let what = match local.as_str() {
            "script" | "handler" | "listener" => Some(format!(
                "this {doc} runs a script (`<{qname}>`) when it is opened"
            )),
            "foreignobject" => Some(format!(
                "`<{qname}>` puts HTML inside the {doc}, where it can run scripts"
            )),
            "iframe" | "frame" | "embed" | "object" | "applet" => Some(format!(
                "`<{qname}>` loads another document or program into the {doc}, which can run scripts"
            )),
            "base" => Some(format!(
                "`<{qname}>` changes where every link of the {doc} points"
            )),
            "meta" => Some(format!(
                "`<{qname}>` can send the reader elsewhere or change how the {doc} is read"
            )),
            "form" => Some(format!(
                "`<{qname}>` can send what the reader types to another site"
            )),
            _ => None,
        };
        if let Some(message) = what {
            let help = self.remove_help("the element");
            self.push(tag.clone(), message, help);
        }
        let animates = local == "set" || local.starts_with("animate");
        let mut attributes = e.attributes();
        attributes.with_checks(true);
        for attribute in attributes {
            match attribute {
                Ok(a) => self.attribute(&a, &tag, animates),
                Err(err) => {
                    // Positions are counted from the character after `<`.
                    let (pos, reason) = match err {
                        AttrError::ExpectedEq(p) => (p, "an attribute name is not followed by `=`"),
                        AttrError::ExpectedValue(p) => (p, "`=` is not followed by a value"),
                        AttrError::UnquotedValue(p) => (p, "an attribute value is not in quotes"),
                        AttrError::ExpectedQuote(p, _) => (p, "an attribute value is never closed"),
                        AttrError::Duplicated(p, _) => (p, "this attribute is written twice"),
                    };
                    let at = (at + 1 + pos).min(self.text.len());
                    self.malformed(at..at + 1, reason);
                    break;
                }
            }
        }
        tag
    }

    fn attribute(&mut self, a: &Attribute<'_>, tag: &Range<usize>, animates: bool) {
        let key = a.key.0;
        let key_at = offset_in(self.text, key).unwrap_or(tag.start);
        let key_span = key_at..key_at + key.len();
        // The attribute with its value and closing quote.
        let whole = match &a.value {
            Cow::Borrowed(v) => {
                offset_in(self.text, v).map_or(key_span.clone(), |v_at| key_at..v_at + v.len() + 1)
            }
            Cow::Owned(_) => key_span.clone(),
        };
        let local = local_part(key).to_ascii_lowercase();
        let is_namespace = key == "xmlns" || key.starts_with("xmlns:");
        let doc = self.doc;
        if !is_namespace && local.starts_with("on") {
            let help = self.remove_help("the attribute");
            self.push(
                key_span.clone(),
                format!("the event handler `{key}` runs a script in the reader's browser when the {doc} is opened or used"),
                help,
            );
        }
        let value = match a.normalized_value(XmlVersion::Implicit1_0) {
            Ok(v) => v,
            Err(quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, name))) => {
                self.push(
                    whole,
                    format!(
                        "the value of `{key}` uses `&{name};`, which is not an XML entity: browsers refuse the file, and limes cannot check it"
                    ),
                    format!(
                        "write the character itself, or its number (&#160; for a non-breaking space); {TRUST}"
                    ),
                );
                return;
            }
            Err(e) => {
                let reason = match &e {
                    quick_xml::Error::Escape(esc) => esc.to_string(),
                    other => other.to_string(),
                };
                self.malformed(whole, &format!("the value of `{key}`: {reason}"));
                return;
            }
        };
        let address = compact(&value);
        if let Some(scheme) = ["javascript:", "vbscript:"]
            .into_iter()
            .find(|s| address.contains(s))
        {
            self.push(
                whole.clone(),
                format!(
                    "`{key}` holds a `{scheme}` address, which runs a script when it is followed"
                ),
                format!("link to a web address (https://...) or remove it; {TRUST}"),
            );
        } else if (local == "href" || local == "src")
            && address.starts_with("data:")
            && !is_raster_data(&address)
        {
            let media: String = address["data:".len()..]
                .split([';', ','])
                .next()
                .unwrap_or("")
                .chars()
                .take(40)
                .collect();
            let media = if media.is_empty() {
                "data:".to_string()
            } else {
                format!("data:{media}")
            };
            self.push(
                whole.clone(),
                format!("`{key}` embeds a document (`{media}`) that can hold scripts"),
                format!(
                    "only PNG, JPEG, GIF, WebP and AVIF pictures may be embedded as data:; link to the file instead, or remove it; {TRUST}"
                ),
            );
        }
        if animates && local == "attributename" {
            let target = local_part(&address);
            if target == "href" || target.starts_with("on") {
                let element = &self.text[tag.start + 1..tag.end];
                let message = format!(
                    "`<{element}>` changes `{}` while the {doc} is shown, which can turn it into a script",
                    value.trim()
                );
                let help = self.remove_help("the animation");
                self.push(whole, message, help);
            }
        }
    }
}

#[cfg(test)]
mod tests;
