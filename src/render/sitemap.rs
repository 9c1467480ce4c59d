//! The sitemap: every original page with its language alternates, in one file while
//! it stays within the sitemap protocol's limits, else in numbered parts with
//! `/sitemap.xml` the index of them (robots.txt names `/sitemap.xml` either way).

use super::{SitemapUrl, xml_escape};

/// The URLs of one sitemap file at most. The protocol allows 50,000; each `<url>`
/// carries its hreflang alternates (about 0.2 kB per language), so a part of 10,000
/// stays a few MB at three languages and under 30 MB at a dozen: the byte limit below
/// is a backstop that real sites do not reach, and a crawler fetches, parses and
/// retries a part of that size cheaply (one failed fetch loses 10,000 URLs, not
/// 50,000).
pub const MAX_URLS: usize = 10_000;

/// The bytes of one sitemap file at most: 50 MB read the smaller way (the protocol
/// says "50MB (52,428,800 bytes)"; 50,000,000 is within it however a crawler reads it).
pub const MAX_BYTES: usize = 50_000_000;

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// The sitemap's files, `(part, bytes)`: `(0, the sitemap)` alone when the URLs fit one
/// file of [`MAX_URLS`] and [`MAX_BYTES`], else `(0, the index)` then `(1, part 1)`,
/// `(2, part 2)`... `part_url(n)` is the absolute address of part `n`. The URLs keep
/// their order, each in exactly one part.
#[cfg(test)]
pub fn files(urls: &[SitemapUrl], part_url: impl Fn(usize) -> String) -> Vec<(usize, String)> {
    files_within(urls, part_url, MAX_URLS, MAX_BYTES)
}

/// [`files`] with the limits as parameters.
#[cfg(test)]
pub(super) fn files_within(
    urls: &[SitemapUrl],
    part_url: impl Fn(usize) -> String,
    max_urls: usize,
    max_bytes: usize,
) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    each_file(urls, part_url, max_urls, max_bytes, |n, xml| {
        out.push((n, xml))
    });
    out.sort_by_key(|(n, _)| *n);
    out
}

/// The files of [`files`] handed to `file` one at a time as each is made (the parts in
/// order, then the index), so that one part at a time is held.
pub(super) fn each_file(
    urls: &[SitemapUrl],
    part_url: impl Fn(usize) -> String,
    max_urls: usize,
    max_bytes: usize,
    mut file: impl FnMut(usize, String),
) {
    let max_urls = max_urls.max(1);
    // The first part is held until a second one starts: alone, it is the sitemap.
    let mut first: Option<String> = None;
    let mut parts = 0;
    let mut current = String::from(URLSET_OPEN);
    let mut count = 0;
    let mut entry = String::new();
    for u in urls {
        entry.clear();
        url_entry(&mut entry, u);
        // A part is closed before the entry that would take it over either limit
        // (an entry too large for any part still gets one of its own).
        let full = count == max_urls
            || (count > 0 && current.len() + entry.len() + URLSET_CLOSE.len() > max_bytes);
        if full {
            current.push_str(URLSET_CLOSE);
            let done = std::mem::replace(&mut current, String::from(URLSET_OPEN));
            parts += 1;
            match parts {
                1 => first = Some(done),
                n => {
                    if let Some(one) = first.take() {
                        file(1, one);
                    }
                    file(n, done);
                }
            }
            count = 0;
        }
        current.push_str(&entry);
        count += 1;
    }
    current.push_str(URLSET_CLOSE);
    if parts == 0 {
        return file(0, current);
    }
    if let Some(one) = first.take() {
        file(1, one);
    }
    parts += 1;
    file(parts, current);
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        index.push_str("  <sitemap>\n    <loc>");
        index.push_str(&xml_escape(&part_url(n)));
        index.push_str("</loc>\n  </sitemap>\n");
    }
    index.push_str("</sitemapindex>\n");
    file(0, index);
}

/// One `<url>` with its language alternates as `xhtml:link` elements.
fn url_entry(s: &mut String, u: &SitemapUrl) {
    s.push_str("  <url>\n    <loc>");
    s.push_str(&xml_escape(&u.loc));
    s.push_str("</loc>\n");
    for (hreflang, href) in &u.alternates {
        s.push_str("    <xhtml:link rel=\"alternate\" hreflang=\"");
        s.push_str(&xml_escape(hreflang));
        s.push_str("\" href=\"");
        s.push_str(&xml_escape(href));
        s.push_str("\"/>\n");
    }
    s.push_str("  </url>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(i: usize) -> SitemapUrl {
        SitemapUrl {
            loc: format!("https://example.org/en/practices/p{i:03}/"),
            alternates: vec![
                (
                    "en".into(),
                    format!("https://example.org/en/practices/p{i:03}/"),
                ),
                (
                    "fr".into(),
                    format!("https://example.org/fr/practices/p{i:03}/"),
                ),
                (
                    "x-default".into(),
                    format!("https://example.org/en/practices/p{i:03}/"),
                ),
            ],
        }
    }

    fn part_url(n: usize) -> String {
        format!("https://example.org/sitemap-{n}.xml")
    }

    /// The text between each `open` and the next `close`.
    fn between<'a>(s: &'a str, open: &str, close: &str) -> Vec<&'a str> {
        s.split(open)
            .skip(1)
            .map(|rest| rest.split(close).next().unwrap_or(""))
            .collect()
    }

    fn assert_urlset(xml: &str) {
        assert!(xml.starts_with(URLSET_OPEN), "{xml}");
        assert!(xml.ends_with(URLSET_CLOSE), "{xml}");
        assert_eq!(xml.matches("<urlset").count(), 1);
        assert_eq!(xml.matches("<url>").count(), xml.matches("</url>").count());
        assert!(!xml.contains("sitemapindex"));
    }

    #[test]
    fn a_small_site_has_one_urlset() {
        let urls: Vec<SitemapUrl> = (0..30).map(url).collect();
        let files = files(&urls, part_url);
        assert_eq!(files.len(), 1);
        let (n, xml) = &files[0];
        assert_eq!(*n, 0);
        assert_urlset(xml);
        let locs = between(xml, "<loc>", "</loc>");
        assert_eq!(locs.len(), 30);
        assert_eq!(locs[0], "https://example.org/en/practices/p000/");
        assert!(xml.contains("<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/fr/practices/p029/\"/>"));
        // No URL at all is still a valid sitemap.
        let empty = files_within(&[], part_url, 2, 1000);
        assert_eq!(empty.len(), 1);
        assert_urlset(&empty[0].1);
    }

    /// Splits `urls` under the limits and checks that the index names every part in
    /// order, that each part is a urlset within both limits, and that the parts hold
    /// every URL exactly once in order. Returns the number of parts.
    fn check_split(urls: &[SitemapUrl], max_urls: usize, max_bytes: usize) -> usize {
        let files = files_within(urls, part_url, max_urls, max_bytes);
        assert!(files.len() > 2, "expected an index and parts");
        let (zero, index) = &files[0];
        assert_eq!(*zero, 0);
        assert!(index.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"));
        assert!(index.ends_with("</sitemapindex>\n"));
        assert!(!index.contains("<url>"));
        let named = between(index, "<sitemap>\n    <loc>", "</loc>\n  </sitemap>");
        let expected: Vec<String> = (1..files.len()).map(part_url).collect();
        assert_eq!(named, expected);
        let mut seen = Vec::new();
        for (i, (n, xml)) in files[1..].iter().enumerate() {
            assert_eq!(*n, i + 1);
            assert_urlset(xml);
            assert!(xml.len() <= max_bytes, "part {n}: {} bytes", xml.len());
            let locs = between(xml, "<url>\n    <loc>", "</loc>");
            assert!(!locs.is_empty() && locs.len() <= max_urls, "part {n}");
            seen.extend(locs.into_iter().map(str::to_string));
        }
        let all: Vec<String> = urls.iter().map(|u| u.loc.clone()).collect();
        assert_eq!(seen, all, "every URL exactly once, in order");
        files.len() - 1
    }

    #[test]
    fn too_many_urls_make_an_index_of_parts() {
        let urls: Vec<SitemapUrl> = (0..25).map(url).collect();
        // By count: 10 + 10 + 5.
        assert_eq!(check_split(&urls, 10, MAX_BYTES), 3);
        // Exactly at the count: one file.
        assert_eq!(files_within(&urls[..10], part_url, 10, MAX_BYTES).len(), 1);
    }

    #[test]
    fn too_many_bytes_make_an_index_of_parts() {
        let urls: Vec<SitemapUrl> = (0..25).map(url).collect();
        let mut one = String::new();
        url_entry(&mut one, &urls[0]);
        // Room for four entries a part, not five.
        let max_bytes = URLSET_OPEN.len() + URLSET_CLOSE.len() + 4 * one.len() + one.len() / 2;
        let parts = check_split(&urls, 1000, max_bytes);
        assert_eq!(parts, 7);
        // Exactly at the byte limit: one file.
        let exact = URLSET_OPEN.len() + URLSET_CLOSE.len() + 4 * one.len();
        let single = files_within(&urls[..4], part_url, 1000, exact);
        assert_eq!(single.len(), 1);
        assert_eq!(single[0].1.len(), exact);
    }
}
