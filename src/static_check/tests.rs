//! Unit tests of the static-file check.

use super::*;

fn svg(body: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">{body}</svg>"
    )
}

/// The messages of the problems of an SVG with this body.
fn refused(body: &str) -> Vec<String> {
    let text = svg(body);
    let problems = check("img/a.svg", text.as_bytes());
    assert!(!problems.is_empty(), "not refused: {body}");
    for p in &problems {
        let span = p.span.clone().expect("a span");
        assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
    }
    problems.into_iter().map(|p| p.message).collect()
}

/// The text a problem points at.
fn pointed(text: &str, p: &Problem) -> String {
    text[p.span.clone().unwrap()].to_string()
}

#[test]
fn a_clean_svg_passes() {
    let text = r##"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with a drawing program -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="100" height="100"
 viewBox="0 0 100 100" inkscape:version="1.3">
  <title>Map &amp; legend &#8211; &lt;draft&gt;</title>
  <style>.a { fill: url(#g); opacity: 0.5 } @media (min-width: 10px) { .a { stroke: red } }</style>
  <defs>
<linearGradient id="g" offset="0"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#000"/></linearGradient>
<path id="x" d="M0 0 L10 10 Z"/>
  </defs>
  <a href="https://example.org/" target="_blank"><text x="1" y="2">Open the report</text></a>
  <a xlink:href="/en/practices/"><rect class="a" width="10" height="10"/></a>
  <image href="data:image/png;base64,iVBORw0KGgo=" width="5" height="5"/>
  <image xlink:href="data:image/jpeg,xyz" width="5" height="5"/>
  <use href="#x"/>
  <animate attributeName="opacity" from="0" to="1" dur="1s"/>
  <![CDATA[ plain text ]]>
</svg>
"##;
    assert_eq!(check("img/map.svg", text.as_bytes()), vec![]);
    // With a byte order mark too.
    let bom = format!("\u{feff}{text}");
    assert_eq!(check("img/map.SVG", bom.as_bytes()), vec![]);
}

#[test]
fn scripts_are_refused_whatever_their_spelling() {
    for body in [
        "<script>alert(1)</script>",
        "<SCRIPT>alert(1)</SCRIPT>",
        "<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">alert(1)</svg:script>",
        "<script href=\"x.js\"/>",
        "<handler type=\"application/ecmascript\">alert(1)</handler>",
    ] {
        let m = refused(body);
        assert!(m[0].contains("runs a script"), "{body}: {m:?}");
    }
}

#[test]
fn event_handlers_are_refused() {
    assert_eq!(
        refused("<rect onload=\"alert(1)\"/>"),
        [
            "the event handler `onload` runs a script in the reader's browser when the SVG is opened or used"
        ]
    );
    refused("<rect ONLOAD=\"alert(1)\"/>");
    refused("<animate onbegin=\"alert(1)\" attributeName=\"x\" dur=\"1s\"/>");
    refused("<rect xlink:onclick=\"alert(1)\"/>");
    // On the root element, too.
    let text = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
    let p = check("a.svg", text.as_bytes());
    assert_eq!(p.len(), 1);
    assert_eq!(pointed(text, &p[0]), "onload");
}

#[test]
fn script_addresses_are_refused_however_written() {
    for body in [
        "<a href=\"javascript:alert(1)\"><text>x</text></a>",
        "<a href=\"&#106;avascript:alert(1)\"><text>x</text></a>",
        "<a href=\"&#x6A;avascript&#58;alert(1)\"><text>x</text></a>",
        "<a href=\" java\tscript:alert(1)\"><text>x</text></a>",
        "<a href=\"java&#10;script:alert(1)\"><text>x</text></a>",
        "<a href=\"JaVaScRiPt:alert(1)\"><text>x</text></a>",
        "<a xlink:href=\"javascript:alert(1)\"><text>x</text></a>",
        "<a href=\"vbscript:msgbox(1)\"><text>x</text></a>",
        "<rect style=\"fill:url(javascript:alert(1))\"/>",
    ] {
        let m = refused(body);
        assert!(
            m.iter().any(|m| m.contains("address, which runs a script")),
            "{body}: {m:?}"
        );
    }
}

#[test]
fn embedded_documents_are_refused() {
    let m = refused(
        "<foreignObject><iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"https://example.org\"/></foreignObject>",
    );
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m[0].contains("`<foreignObject>` puts HTML inside the SVG"));
    assert!(m[1].contains("`<iframe>` loads another document"));
    for name in [
        "frame", "embed", "object", "applet", "base", "meta", "form", "listener",
    ] {
        refused(&format!("<{name}/>"));
    }
}

#[test]
fn animating_a_link_is_refused() {
    let m =
        refused("<a><set attributeName=\"href\" to=\"javascript:alert(1)\"/><text>x</text></a>");
    assert!(
        m.iter().any(|m| m.contains("`<set>` changes `href`")),
        "{m:?}"
    );
    let m =
        refused("<a><animate attributeName=\"xlink:href\" values=\"https://a;https://b\"/></a>");
    assert_eq!(m.len(), 1, "{m:?}");
    refused("<a><animateTransform attributeName=\" HREF \"/></a>");
    refused("<rect><set attributeName=\"onclick\" to=\"alert(1)\"/></rect>");
}

#[test]
fn data_documents_are_refused_but_data_pictures_pass() {
    let m = refused("<a href=\"data:text/html;base64,PHNjcmlwdD4=\"><text>x</text></a>");
    assert_eq!(
        m,
        ["`href` embeds a document (`data:text/html`) that can hold scripts"]
    );
    refused("<image href=\"data:image/svg+xml,&lt;svg/&gt;\"/>");
    refused("<use xlink:href=\"data:image/pngx;base64,AAAA\"/>");
    refused("<a href=\" DATA:text/html,x\"/>");
    for ok in ["png", "jpeg", "gif", "webp", "avif"] {
        let text = svg(&format!("<image href=\"data:image/{ok};base64,AAAA\"/>"));
        assert_eq!(check("a.svg", text.as_bytes()), vec![], "{ok}");
    }
}

#[test]
fn entity_declarations_and_stylesheets_are_refused() {
    let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY x \"javascript:alert(1)\">\n]>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"&x;\"/></svg>";
    let p = check("a.svg", text.as_bytes());
    assert!(p[0].message.contains("DOCTYPE declares entities"), "{p:?}");
    assert!(pointed(text, &p[0]).starts_with("<!DOCTYPE"));
    // The undeclared entity in the value is refused as such.
    assert!(p.iter().any(|p| p.message.contains("`&x;`")), "{p:?}");

    let text = "<?xml-stylesheet type=\"text/xsl\" href=\"a.xsl\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    let p = check("a.svg", text.as_bytes());
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(pointed(text, &p[0]), "<?xml-stylesheet");
    assert!(p[0].message.contains("XSLT"));
}

#[test]
fn unknown_entities_are_refused() {
    let m = refused("<text>a&nbsp;b</text>");
    assert_eq!(m.len(), 1);
    assert!(m[0].contains("`&nbsp;` is not an XML entity"), "{m:?}");
    refused("<text x=\"&nbsp;\">a</text>");
}

#[test]
fn malformed_xml_is_refused_with_the_parsers_reason() {
    for (body, reason) in [
        ("<g><rect></g>", "expected `</rect>`, but `</g>` was found"),
        ("<g>", "`<g>` is never closed"),
        ("", "`<svg>` is never closed"),
        ("<rect x=1/>", "not in quotes"),
        ("<rect x=\"1\" x=\"2\"/>", "written twice"),
        ("<!-- a -- b -->", "`--`"),
        ("<text>a & b</text>", "not closed"),
        ("<rect", "not closed"),
    ] {
        let text = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{body}");
        let p = check("a.svg", text.as_bytes());
        assert!(
            p.iter()
                .any(|p| p.message.contains("is not well-formed XML")
                    && p.message.contains(reason)),
            "{body}: {p:?}"
        );
        for p in &p {
            let span = p.span.clone().unwrap();
            assert!(span.end <= text.len() + 1, "{body}: {span:?}");
        }
    }
    // An attribute error points into the tag.
    let text = svg("<rect x=\"1\" x=\"2\"/>");
    let p = check("a.svg", text.as_bytes());
    assert_eq!(&text[p[0].span.clone().unwrap()], "x");
    assert_eq!(
        p[0].span.clone().unwrap().start,
        text.find("x=\"2").unwrap()
    );
}

#[test]
fn other_encodings_are_refused() {
    let bytes = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><text>caf\xe9</text></svg>";
    let p = check("a.svg", bytes);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].message, "the file is not UTF-8 text");
    let at = bytes.iter().position(|&b| b == 0xe9).unwrap();
    assert_eq!(p[0].span, Some(at..at + 1));
    let text = "<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    let p = check("a.svg", text.as_bytes());
    assert_eq!(pointed(text, &p[0]), "ISO-2022-JP");
    // A legacy label on a file that is plain ASCII reads the same.
    let text = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    assert_eq!(check("a.svg", text.as_bytes()), vec![]);
}

#[test]
fn every_problem_of_a_file_is_reported_up_to_a_limit() {
    let text = svg("<script/><rect onload=\"x\"/><a href=\"javascript:x\"/>");
    let p = check("a.svg", text.as_bytes());
    let at: Vec<String> = p.iter().map(|p| pointed(&text, p)).collect();
    assert_eq!(at, ["<script", "onload", "href=\"javascript:x\""]);

    let text = svg(&"<rect onclick=\"x\"/>\n".repeat(30));
    let p = check("a.svg", text.as_bytes());
    assert_eq!(p.len(), MAX_PROBLEMS + 1);
    assert_eq!(
        p[MAX_PROBLEMS].message,
        "10 more problems in this file, from here on, are not shown"
    );
    assert!(p[MAX_PROBLEMS].span.is_some());
}

#[test]
fn html_files_pass_only_without_markup() {
    assert_eq!(
        check(
            "google1234abcd.html",
            b"google-site-verification: google1234abcd.html"
        ),
        vec![]
    );
    let text = "Hello\n<p>there</p>";
    let p = check("a/b.HTM", text.as_bytes());
    assert_eq!(p.len(), 1);
    assert_eq!(pointed(text, &p[0]), "<p>");
    for name in ["a.xhtml", "a.xht", "a.shtml", "a.html"] {
        assert_eq!(check(name, b"<script>").len(), 1, "{name}");
    }
    // Whatever the encoding.
    assert_eq!(check("a.html", b"\xff\xfe<\x00p\x00>\x00").len(), 1);
}

#[test]
fn compressed_svg_and_xslt_are_refused() {
    let p = check("a.svgz", b"\x1f\x8b\x08\x00");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].span, None);
    assert!(p[0].message.contains(".svgz"));
    assert_eq!(check("style.xsl", b"<x/>").len(), 1);
    assert_eq!(check("style.XSLT", b"").len(), 1);
}

#[test]
fn xml_files_are_checked_like_svg() {
    let text =
        "<feed><x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">alert(1)</x:script></feed>";
    let p = check("feed.xml", text.as_bytes());
    assert_eq!(p.len(), 1);
    assert_eq!(
        p[0].message,
        "this XML file runs a script (`<x:script>`) when it is opened"
    );
    assert_eq!(pointed(text, &p[0]), "<x:script");
    assert!(!p[0].help.contains("drawing"));
    assert_eq!(check("feed.rss", text.as_bytes()).len(), 1);
    assert_eq!(check("feed.atom", text.as_bytes()).len(), 1);
    assert_eq!(
        check(
            "feed.xml",
            b"<?xml version=\"1.0\"?><rss><title>A &amp; B</title></rss>"
        ),
        vec![]
    );
}

#[test]
fn other_files_are_not_checked() {
    let noise: Vec<u8> = (0..=255u8).cycle().take(2000).collect();
    for name in [
        "a.png", "a.pdf", "a.css", "a.js", "a.json", "a.txt", "README", "svg",
    ] {
        assert!(!is_checked(name), "{name}");
        assert_eq!(check(name, &noise), vec![], "{name}");
        assert_eq!(check(name, b"<script>alert(1)</script>"), vec![], "{name}");
    }
    assert!(is_checked("img/A.Svg"));
}

#[test]
fn nothing_panics_on_odd_input() {
    let samples: &[&[u8]] = &[
        b"",
        b"<",
        b"<?",
        b"<!",
        b"<!DOCTYPE",
        b"<![CDATA[",
        b"&",
        b"&#",
        b"&#xFFFFFFFF;",
        b"<a b='&#0;'/>",
        b"<a b=\"",
        b"</a>",
        b"<a:>",
        b"<:a/>",
        b"\xef\xbb\xbf",
        b"\xef\xbb\xbf<a onload='x'>",
        b"\xef\xbb",
        b"<a>\xff</a>",
        b"<?xml version='1.0' encoding='x'?>",
    ];
    for bytes in samples {
        for name in ["a.svg", "a.xml", "a.html"] {
            for p in check(name, bytes) {
                if let Some(span) = p.span {
                    assert!(span.start <= bytes.len() + 1, "{bytes:?}: {span:?}");
                }
            }
        }
    }
}
