//! The search index of one language, as files the browser fetches one by one: a small
//! manifest (fixed name), the keys cut into shards in key order with the first key of
//! each shard in the manifest, the facet values of every document, and a card per
//! document. Every file but the manifest is named by a hash of its content (the shards
//! and the cards by one hash for all of them), so it can be cached forever.
//!
//! Documents are the practices, numbered in the order the language lists them (by title),
//! each in the reader's language or its fallback, analysed in the language it is shown
//! in. Scores are BM25 over fields of different weights, computed here and stored as
//! integers: the browser only adds them up.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::analyze::{Analyzer, LanguageSettings, fold_table};
use crate::markdown;
use crate::model::{Practice, Site, pick};
use crate::routes::Facet;
use crate::types::Lang;
use crate::view::{LangView, term_label};

/// About this many bytes of keys and postings per shard, before compression.
pub const SHARD_BYTES: usize = 16 * 1024;

/// BM25's saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Field weights: a word of the title counts as eight of the body.
const TITLE: f64 = 8.0;
const SUMMARY: f64 = 4.0;
const NAMES: f64 = 3.0;
const LABELS: f64 = 2.0;
const BODY: f64 = 1.0;

/// The manifest of a language's index: everything the browser needs to read the rest.
#[derive(Serialize)]
pub struct Manifest {
    pub version: u32,
    pub lang: String,
    /// Number of documents; ids run from 0.
    pub docs: usize,
    pub analyzer: AnalyzerData,
    /// The first key of each shard and the shard's file.
    pub shards: Vec<(String, String)>,
    pub facets: String,
    /// The folder of the cards: document `i` is `<cards>/<i>.json`.
    pub cards: String,
}

/// The analyzer's lists, so that the browser analyses queries with the same ones.
#[derive(Serialize)]
pub struct AnalyzerData {
    #[serde(flatten)]
    pub settings: LanguageSettings,
    pub fold: BTreeMap<String, String>,
    /// Without a stemmer, every query word matches as a prefix.
    pub prefix_all: bool,
}

impl AnalyzerData {
    /// What the browser needs of `analyzer`: its lists, the fold table, and whether
    /// words match as prefixes.
    pub fn of(analyzer: &Analyzer) -> AnalyzerData {
        AnalyzerData {
            settings: analyzer.settings.clone(),
            fold: fold_table().clone(),
            prefix_all: !analyzer.stems(),
        }
    }
}

/// One language's index files: (name under `/<lang>/search/`, bytes).
pub struct LangIndex {
    pub files: Vec<(String, Vec<u8>)>,
}

/// Weighted key counts of one document, its weighted length, and the stems of its
/// folded words.
pub(super) struct DocTerms {
    pub(super) terms: HashMap<String, f64>,
    pub(super) len: f64,
    pub(super) stems: BTreeMap<String, BTreeSet<String>>,
}

/// Practices analysed at once (enough for both threads to share): their analyses are merged into the postings and
/// dropped before the next are analysed, so that memory holds the index, not every
/// practice's analysis.
const CHUNK: usize = 256;

/// Builds the index of `lang`.
pub fn build(site: &Site, view: &LangView, lang: &Lang) -> LangIndex {
    let analyzers = analyzers(site);
    // Postings: key → (document, weighted count), documents ascending; and the stems
    // of every folded word. Hashed while gathering (millions of insertions), sorted
    // once (each key once).
    let mut gathered: HashMap<String, Vec<Posting>> = HashMap::new();
    let mut stems: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut lens: Vec<f64> = Vec::with_capacity(view.rank.len());
    for chunk in view.rank.chunks(CHUNK) {
        let terms: Vec<DocTerms> = chunk
            .par_iter()
            .map(|&i| doc_terms(site, view, &analyzers, lang, &site.practices[i]))
            .collect();
        for doc in terms {
            let id = lens.len() as u32;
            lens.push(doc.len);
            for (key, tf) in doc.terms {
                let posting = (id, tf as f32);
                match gathered.get_mut(key.as_str()) {
                    Some(list) => list.push(posting),
                    None => {
                        gathered.insert(key, vec![posting]);
                    }
                }
            }
            for (word, set) in doc.stems {
                match stems.get_mut(word.as_str()) {
                    Some(all) => all.extend(set),
                    None => {
                        stems.insert(word, set);
                    }
                }
            }
        }
    }
    let mut postings: Vec<(&str, &[Posting])> = gathered
        .iter()
        .map(|(k, list)| (k.as_str(), list.as_slice()))
        .collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let keys: Vec<Key> = postings
        .iter()
        .map(|&(key, list)| Key {
            key,
            list,
            stems: stems
                .get(key)
                .map(|s| s.iter().map(String::as_str).collect()),
        })
        .collect();
    write(site, view, lang, &analyzers[lang], &keys, &lens)
}

/// A document's position and the weighted count of a key in it. The counts are whole
/// numbers (the field weights are), so `f32` holds them exactly at half the memory of
/// `f64`: a language's postings are the largest thing a build holds.
pub(super) type Posting = (u32, f32);

/// One key of the index: its documents (position, weighted count) in document
/// order, and the stems of the folded word it is, in order.
pub(super) struct Key<'a> {
    pub(super) key: &'a str,
    pub(super) list: &'a [Posting],
    pub(super) stems: Option<Vec<&'a str>>,
}

/// The analyzer of every language of the site.
pub(super) fn analyzers(site: &Site) -> BTreeMap<&Lang, Analyzer> {
    site.config
        .languages
        .iter()
        .map(|l| (l, Analyzer::new(l)))
        .collect()
}

/// The files of the index from its keys (in key order) and the weighted length of
/// every document.
pub(super) fn write(
    site: &Site,
    view: &LangView,
    lang: &Lang,
    analyzer: &Analyzer,
    keys: &[Key],
    lens: &[f64],
) -> LangIndex {
    let docs: Vec<&Practice> = view.rank.iter().map(|&i| &site.practices[i]).collect();
    let n = docs.len().max(1) as f64;
    let avg = (lens.iter().sum::<f64>() / n).max(1.0);
    // Each key's part of its shard, formatted in parallel; then cut into shards in
    // key order.
    let parts: Vec<(String, Option<String>)> = keys
        .par_iter()
        .map(|k| {
            let df = k.list.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let key_json = serde_json::to_string(k.key).expect("a string");
            let mut flat = String::with_capacity(key_json.len() + 3 + 8 * k.list.len());
            flat.push_str(&key_json);
            flat.push_str(":[");
            let mut last = 0u32;
            // Lists are in document order.
            for (i, &(doc, tf)) in k.list.iter().enumerate() {
                let tf = f64::from(tf);
                let dl = lens[doc as usize];
                let score = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * dl / avg));
                let score = (score * 100.0).round().max(1.0) as u32;
                if i > 0 {
                    flat.push(',');
                }
                let _ = write!(flat, "{},{score}", doc - last);
                last = doc;
            }
            flat.push(']');
            let stems = k.stems.as_ref().map(|list| {
                format!(
                    "{key_json}:{}",
                    serde_json::to_string(list).expect("strings")
                )
            });
            (flat, stems)
        })
        .collect();
    // (first key, body) of each shard.
    let mut bodies: Vec<(String, String)> = Vec::new();
    let mut shard = Shard::default();
    for (k, (postings, stems)) in keys.iter().zip(&parts) {
        shard.push(k.key, postings, stems.as_deref());
        if shard.bytes >= SHARD_BYTES {
            shard.flush(&mut bodies);
        }
    }
    shard.flush(&mut bodies);
    drop(parts);
    // One hash for all the shards of the index keeps the manifest small: an edit moves
    // documents (they are numbered in title order) and so changes most shards anyway.
    let mut all = Fnv::new();
    for (_, body) in &bodies {
        all.update(body.as_bytes());
    }
    let stem = all.name("s", "");
    let mut shards: Vec<(String, String)> = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (n, (first, body)) in bodies.into_iter().enumerate() {
        let name = format!("{stem}-{n}.json");
        shards.push((first, name.clone()));
        files.push((name, body.into_bytes()));
    }

    let facets = facets(site, lang, &docs);
    let facets_name = hashed("f", &facets, "json");
    files.push((facets_name.clone(), facets));

    let cards: Vec<Vec<u8>> = view
        .rank
        .iter()
        .map(|&i| card_json(&view.cards[i]))
        .collect();
    let mut all = Fnv::new();
    for c in &cards {
        all.update(c);
        all.update(b"\n");
    }
    let folder = all.name("c", "");
    for (id, c) in cards.into_iter().enumerate() {
        files.push((format!("{folder}/{id}.json"), c));
    }

    let manifest = Manifest {
        version: 1,
        lang: lang.to_string(),
        docs: docs.len(),
        analyzer: AnalyzerData::of(analyzer),
        shards,
        facets: facets_name,
        cards: folder,
    };
    files.push((
        MANIFEST.to_string(),
        serde_json::to_vec(&manifest).expect("serialisable"),
    ));
    LangIndex { files }
}

/// A shard being written: `{"p":{key:[postings]},"s":{word:[stems]}}`.
#[derive(Default)]
struct Shard {
    first: String,
    postings: String,
    stems: String,
    bytes: usize,
}

impl Shard {
    /// Adds a key: `"key":[postings]` and, when it has stems, `"key":[stems]`.
    fn push(&mut self, key: &str, postings: &str, stems: Option<&str>) {
        if self.postings.is_empty() {
            self.first = key.to_string();
        } else {
            self.postings.push(',');
        }
        self.postings.push_str(postings);
        if let Some(stems) = stems {
            if !self.stems.is_empty() {
                self.stems.push(',');
            }
            self.stems.push_str(stems);
        }
        self.bytes = self.postings.len() + self.stems.len();
    }

    fn flush(&mut self, bodies: &mut Vec<(String, String)>) {
        if self.postings.is_empty() {
            return;
        }
        let body = format!("{{\"p\":{{{}}},\"s\":{{{}}}}}", self.postings, self.stems);
        bodies.push((std::mem::take(&mut self.first), body));
        *self = Shard::default();
    }
}

/// The manifest's name, the one file of the index that is not content-hashed.
pub const MANIFEST: &str = "index.json";

/// One text of a practice as the index reads it: the text (Markdown or plain), the
/// language it is analysed in and its weight.
pub(super) struct Input<'a> {
    text: std::borrow::Cow<'a, str>,
    markdown: bool,
    lang: &'a Lang,
    weight: f64,
}

/// What the index reads of one practice as a reader of `lang` sees it.
pub(super) fn doc_inputs<'a>(
    site: &'a Site,
    view: &'a LangView,
    lang: &'a Lang,
    p: &'a Practice,
) -> Vec<Input<'a>> {
    let mut out = Vec::new();
    if let Some((shown, text)) = pick(&site.config, &p.texts, lang) {
        let mut put = |text: &'a str, markdown: bool, weight: f64| {
            out.push(Input {
                text: text.into(),
                markdown,
                lang: shown,
                weight,
            });
        };
        put(&text.title, false, TITLE);
        if let Some(s) = &text.summary {
            put(s, false, SUMMARY);
        }
        put(&text.body, true, BODY);
    }
    let mut add = |text: std::borrow::Cow<'a, str>, in_lang: &'a Lang, weight: f64| {
        out.push(Input {
            text,
            markdown: false,
            lang: in_lang,
            weight,
        });
    };
    for slug in &p.partners {
        let Some(partner) = site.partner(slug) else {
            continue;
        };
        if let Some((shown, t)) = pick(&site.config, &partner.texts, lang) {
            add(t.name.as_str().into(), shown, NAMES);
            if let Some(short) = &t.short_name {
                add(short.as_str().into(), shown, NAMES);
            }
            // The official name, which pages show, is found too: analysed in its
            // language when the site has one for it, else in the reader's.
            if let Some(o) = partner.official_name.as_ref().filter(|o| o.name != t.name) {
                let in_lang = site
                    .config
                    .languages
                    .iter()
                    .find(|l| **l == o.lang)
                    .unwrap_or(lang);
                add(o.name.as_str().into(), in_lang, NAMES);
            }
        }
    }
    for id in &p.territories {
        if let Some((l, name)) = site
            .territory(id)
            .and_then(|t| site.config.pick(&t.name, lang))
        {
            add(name.as_str().into(), l, NAMES);
        }
    }
    if let Some((l, name)) = p
        .border
        .as_ref()
        .and_then(|b| site.border(b))
        .and_then(|b| site.config.pick(&b.name, lang))
    {
        add(name.as_str().into(), l, NAMES);
    }
    for (facet, ids) in [
        (Facet::Theme, &p.themes),
        (Facet::TargetGroup, &p.target_groups),
        (Facet::Country, &p.countries),
    ] {
        for id in ids {
            let (text, shown) = term_label(site, &view.strings, lang, facet, id);
            let in_lang = shown
                .and_then(|s| Lang::parse(&s))
                .and_then(|s| site.config.languages.iter().find(|l| **l == s))
                .unwrap_or(lang);
            add(text.into(), in_lang, LABELS);
        }
    }
    out
}

/// The weighted keys of texts as [`doc_inputs`] gives them.
pub(super) fn analyse(inputs: &[Input], analyzers: &BTreeMap<&Lang, Analyzer>) -> DocTerms {
    let mut doc = DocTerms {
        terms: HashMap::new(),
        len: 0.0,
        stems: BTreeMap::new(),
    };
    for input in inputs {
        let plain;
        let text: &str = if input.markdown {
            plain = markdown::plain_text(&input.text);
            &plain
        } else {
            &input.text
        };
        let analyzer = &analyzers[input.lang];
        let mut counts = HashMap::new();
        let words = analyzer.count_keys(text, &mut counts, &mut doc.stems);
        doc.len += input.weight * f64::from(words);
        for (key, count) in counts {
            *doc.terms.entry(key).or_default() += input.weight * f64::from(count);
        }
    }
    doc
}

/// A fingerprint of what the index reads of a practice: two documents with the same
/// are analysed the same (128 bits of SipHash over every text, language and weight).
pub(super) fn fingerprint(inputs: &[Input]) -> u128 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut halves = [DefaultHasher::new(), DefaultHasher::new()];
    halves[1].write_u8(1);
    for h in &mut halves {
        for input in inputs {
            input.text.hash(h);
            input.markdown.hash(h);
            input.lang.as_str().hash(h);
            input.weight.to_bits().hash(h);
        }
    }
    (u128::from(halves[0].finish()) << 64) | u128::from(halves[1].finish())
}

/// The weighted keys of one practice as a reader of `lang` sees it.
pub(super) fn doc_terms(
    site: &Site,
    view: &LangView,
    analyzers: &BTreeMap<&Lang, Analyzer>,
    lang: &Lang,
    p: &Practice,
) -> DocTerms {
    analyse(&doc_inputs(site, view, lang, p), analyzers)
}

/// The facet values of every document: per facet (and `language`, the language each is
/// shown in), per value as the content writes it, the ids of its documents, each as
/// the difference from the previous one.
fn facets(site: &Site, lang: &Lang, docs: &[&Practice]) -> Vec<u8> {
    let mut out: BTreeMap<&str, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for (id, p) in docs.iter().enumerate() {
        let id = id as u32;
        let mut put = |facet: &'static str, value: &str| {
            out.entry(facet)
                .or_default()
                .entry(value.to_string())
                .or_default()
                .push(id);
        };
        for t in &p.themes {
            put("theme", t);
        }
        for t in &p.target_groups {
            put("target_group", t);
        }
        for c in &p.countries {
            put("country", c);
        }
        if let Some(b) = &p.border {
            put("border", b);
        }
        put("status", p.status.as_str());
        // The language the document is shown in: a search in every language keeps each
        // record from the index of its own language.
        if let Some((shown, _)) = pick(&site.config, &p.texts, lang) {
            put("language", shown.as_str());
        }
    }
    let deltas: BTreeMap<&str, BTreeMap<String, Vec<u32>>> = out
        .into_iter()
        .map(|(facet, values)| {
            let values = values
                .into_iter()
                .map(|(v, ids)| {
                    let mut last = 0;
                    let d = ids
                        .into_iter()
                        .map(|i| {
                            let x = i - last;
                            last = i;
                            x
                        })
                        .collect();
                    (v, d)
                })
                .collect();
            (facet, values)
        })
        .collect();
    serde_json::to_vec(&deltas).expect("serialisable")
}

/// The card of a result: what the result list shows.
fn card_json(card: &crate::view::Card) -> Vec<u8> {
    let v = json!({
        "t": card.title,
        "s": card.summary,
        "u": card.url,
        "l": card.lang,
        "st": card.status_label,
        "p": card.period,
    });
    serde_json::to_vec(&v).expect("serialisable")
}

/// `<prefix>-<hash>.<ext>` (or `<prefix>-<hash>` without an extension): the name of a
/// file that never changes (FNV-1a, 64 bits, over its bytes).
pub fn hashed(prefix: &str, bytes: &[u8], ext: &str) -> String {
    let mut h = Fnv::new();
    h.update(bytes);
    h.name(prefix, ext)
}

/// FNV-1a over bytes given in pieces: the same hash as over their concatenation.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// `<prefix>-<hash>`, and `.<ext>` when `ext` is not empty.
    fn name(&self, prefix: &str, ext: &str) -> String {
        let h = self.0;
        if ext.is_empty() {
            format!("{prefix}-{h:016x}")
        } else {
            format!("{prefix}-{h:016x}.{ext}")
        }
    }
}
