//! `/<lang>/feed.xml`: an Atom feed (RFC 4287) of the practices, per language.
//!
//! Every practice is an entry, in the reader's language or, when it is missing there,
//! in the first language of the reader's fallback chain that has it (the entry then
//! says so with `xml:lang`, like the pages do with `lang`); each links to the
//! practice's page in the reader's language. Newest first, at most [`MAX_ENTRIES`].
//!
//! No clock is read, so that two builds of the same content are byte-identical. The
//! entries are the practices in the order of "latest" ([`crate::view::latest_order`]):
//! an entry's `updated` is the practice's end date, else its start date. A practice
//! with neither has no date Atom could give it (an entry must have one, and the feed
//! never makes one up), so it is left out of the feed. The feed's `updated` is its
//! newest entry's, 1970-01-01 when it has none.

use crate::model::Site;
use crate::routes::Route;
use crate::types::{Date, Lang};

use super::context::Shared;
use super::xml_escape;

/// Entries per feed; the oldest are left out.
pub const MAX_ENTRIES: usize = 50;

/// The feed's date when it has no entry.
const NO_DATE: Date = Date {
    year: 1970,
    month: 1,
    day: 1,
};

/// An RFC 3339 date-time for a date: midnight UTC.
fn timestamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// The Atom feed of `lang`.
/// Returns its path in the output and its bytes.
pub(crate) fn feed(site: &Site, shared: &Shared, lang: &Lang) -> (String, Vec<u8>) {
    let urls = &shared.urls;
    let ls = &shared.langs[lang];
    let entries: Vec<(Date, usize)> = ls
        .latest
        .iter()
        .filter_map(|&i| site.practices[i].latest_date().map(|d| (d, i)))
        .take(MAX_ENTRIES)
        .collect();
    let updated = entries.first().map(|e| e.0).unwrap_or(NO_DATE);

    let config = &site.config;
    let title = config
        .pick(&config.title, lang)
        .map_or("", |t| t.1.as_str());
    let description = config
        .pick(&config.description, lang)
        .map_or("", |t| t.1.as_str());
    let self_url = urls.absolute(&urls.url(lang, Route::Feed));
    let listing = urls.absolute(&urls.url(lang, Route::Practices));

    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(lang.as_str())
    ));
    x.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    if !description.is_empty() {
        x.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml_escape(description)
        ));
    }
    x.push_str(&format!("  <id>{}</id>\n", xml_escape(&self_url)));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&self_url)
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&listing)
    ));
    x.push_str(&format!("  <updated>{}</updated>\n", timestamp(updated)));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        xml_escape(title)
    ));
    for (date, i) in entries {
        let card = &ls.cards[i];
        let url = xml_escape(&urls.absolute(&card.url));
        match &card.lang {
            Some(shown) => x.push_str(&format!("  <entry xml:lang=\"{}\">\n", xml_escape(shown))),
            None => x.push_str("  <entry>\n"),
        }
        x.push_str(&format!("    <title>{}</title>\n", xml_escape(&card.title)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n"
        ));
        x.push_str(&format!("    <id>{url}</id>\n"));
        x.push_str(&format!("    <updated>{}</updated>\n", timestamp(date)));
        if let Some(summary) = card.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            x.push_str(&format!("    <summary>{}</summary>\n", xml_escape(summary)));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    (urls.file(lang, Route::Feed), x.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_midnight_utc() {
        let d = Date {
            year: 2017,
            month: 9,
            day: 1,
        };
        assert_eq!(timestamp(d), "2017-09-01T00:00:00Z");
    }

    #[test]
    fn xml_text_is_escaped_and_keeps_no_forbidden_character() {
        assert_eq!(
            xml_escape("<b> & \"q\" 'a'\u{1}\u{ffff}\tok"),
            "&lt;b&gt; &amp; &quot;q&quot; &apos;a&apos;\tok"
        );
    }
}
