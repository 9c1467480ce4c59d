//! What `limes serve` keeps of a language's search index between rebuilds
//! ([`Analysed`]): each practice's analysis by key number, and the postings updated
//! practice by practice, so that an edit analyses only what it changed.
//! [`build_from`] makes from it the same bytes as [`super::index::build`] makes from
//! the site.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use super::index::{
    DocTerms, Key, LangIndex, Posting, analyse, analyzers, doc_inputs, doc_terms, fingerprint,
    write,
};
use crate::model::Site;
use crate::types::{Lang, Slug};
use crate::view::LangView;

/// The practices of one language's index as analysed, kept between the rebuilds of
/// `limes serve` so that an edit analyses only the practices it changed: every key
/// and word stored once, documents as key numbers, and the postings kept up to date
/// as documents change. [`build_from`] makes the same files from it as [`build`]
/// makes from the site.
#[derive(Default)]
pub struct Analysed {
    /// Every key and word met, by number.
    words: Vec<String>,
    numbers: HashMap<String, u32>,
    /// By practice index (`None`: not analysed), with the practice's slug and the
    /// fingerprint of what was analysed.
    docs: Vec<Option<Analysis>>,
    slugs: Vec<Slug>,
    prints: Vec<u128>,
    /// Whether the analyses are those of the site the next update is given, but for
    /// the practices it names (else every fingerprint is checked).
    trusted: bool,
    /// The postings of the documents in one order of the practices; made again when
    /// the order changes.
    postings: Option<Postings>,
}

/// One document: weighted counts of its keys (by key number), its weighted length, and
/// (word, stem) pairs of its folded words (all by number).
struct Analysis {
    terms: Vec<Posting>,
    len: f64,
    stems: Vec<(u32, u32)>,
}

/// The postings of every key for the documents numbered in `rank`'s order.
struct Postings {
    /// Practice indices in document order.
    rank: Vec<usize>,
    /// By practice index, its document number.
    position: Vec<u32>,
    /// By key number: (document, weighted count), documents ascending.
    lists: Vec<Vec<Posting>>,
    /// By word number: its stems, each with how many documents give it.
    stems: HashMap<u32, BTreeMap<u32, u32>>,
    /// The numbers of the keys that have had postings, in key order.
    order: Vec<u32>,
    ordered: Vec<bool>,
}

impl Analysed {
    /// Analyses the practices `only` (by index) again as a reader of `lang` sees
    /// them. With `None`, or when the site's practices are not those analysed before
    /// (added, removed, renamed), every practice is looked at and those whose texts,
    /// names and labels are as before (same fingerprint) keep their analysis.
    pub fn update(
        &mut self,
        site: &Site,
        view: &LangView,
        lang: &Lang,
        only: Option<&BTreeSet<usize>>,
    ) {
        let analyzers = analyzers(site);
        let same = self.trusted
            && self.slugs.len() == site.practices.len()
            && self
                .slugs
                .iter()
                .zip(&site.practices)
                .all(|(s, p)| *s == p.slug);
        self.trusted = true;
        let fresh: Vec<(usize, u128, Option<DocTerms>)> = match only {
            Some(only) if same => only
                .par_iter()
                .map(|&i| {
                    let inputs = doc_inputs(site, view, lang, &site.practices[i]);
                    (i, fingerprint(&inputs), Some(analyse(&inputs, &analyzers)))
                })
                .collect(),
            _ => {
                // What was analysed, by slug.
                let before: HashMap<&Slug, u128> =
                    self.slugs.iter().zip(self.prints.iter().copied()).collect();
                let fresh = site
                    .practices
                    .par_iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let inputs = doc_inputs(site, view, lang, p);
                        let print = fingerprint(&inputs);
                        let kept = before.get(&p.slug) == Some(&print);
                        (i, print, (!kept).then(|| analyse(&inputs, &analyzers)))
                    })
                    .collect();
                let mut kept: HashMap<Slug, Analysis> = std::mem::take(&mut self.slugs)
                    .into_iter()
                    .zip(std::mem::take(&mut self.docs))
                    .filter_map(|(slug, doc)| Some((slug, doc?)))
                    .collect();
                self.docs = site
                    .practices
                    .iter()
                    .map(|p| kept.remove(&p.slug))
                    .collect();
                self.slugs = site.practices.iter().map(|p| p.slug.clone()).collect();
                self.prints = vec![0; site.practices.len()];
                self.postings = None;
                fresh
            }
        };
        for (i, print, doc) in fresh {
            self.prints[i] = print;
            let doc = match doc {
                Some(doc) => doc,
                None if self.docs[i].is_some() => continue,
                None => doc_terms(site, view, &analyzers, lang, &site.practices[i]),
            };
            let mut terms: Vec<Posting> = doc
                .terms
                .into_iter()
                .map(|(key, tf)| (self.number(key), tf as f32))
                .collect();
            terms.sort_unstable_by_key(|&(k, _)| k);
            let mut stems = Vec::new();
            for (word, set) in doc.stems {
                let word = self.number(word);
                for s in set {
                    stems.push((word, self.number(s)));
                }
            }
            let analysis = Analysis {
                terms,
                len: doc.len,
                stems,
            };
            let old = self.docs[i].replace(analysis);
            if let Some(postings) = &mut self.postings {
                let new = self.docs[i].as_ref().expect("just put");
                postings.change(i, old.as_ref(), new, &self.words);
            }
        }
    }

    /// The analyses may be of another site than the next update's (a build that
    /// failed after analysing): the next update checks every fingerprint.
    pub fn distrust(&mut self) {
        self.trusted = false;
    }

    fn number(&mut self, word: String) -> u32 {
        if let Some(&n) = self.numbers.get(&word) {
            return n;
        }
        let n = self.words.len() as u32;
        self.words.push(word.clone());
        self.numbers.insert(word, n);
        n
    }

    /// The postings for the documents in `rank`'s order, with the words: those kept,
    /// or made again.
    fn postings(&mut self, rank: &[usize]) -> (&Postings, &[String]) {
        if self.postings.as_ref().is_none_or(|p| p.rank != rank) {
            self.postings = Some(Postings::new(rank, &self.docs, &self.words));
        }
        (self.postings.as_ref().expect("just made"), &self.words)
    }
}

impl Postings {
    fn new(rank: &[usize], docs: &[Option<Analysis>], words: &[String]) -> Postings {
        let mut p = Postings {
            rank: rank.to_vec(),
            position: vec![u32::MAX; docs.len()],
            lists: vec![Vec::new(); words.len()],
            stems: HashMap::new(),
            order: Vec::new(),
            ordered: vec![false; words.len()],
        };
        for (id, &i) in rank.iter().enumerate() {
            p.position[i] = id as u32;
            // Every practice is analysed before an index is built from them.
            let Some(doc) = docs.get(i).and_then(Option::as_ref) else {
                continue;
            };
            for &(key, tf) in &doc.terms {
                p.lists[key as usize].push((id as u32, tf));
            }
            p.count_stems(doc, 1);
        }
        p.order = (0..words.len() as u32)
            .filter(|&k| !p.lists[k as usize].is_empty())
            .collect();
        p.order
            .par_sort_unstable_by(|&a, &b| words[a as usize].cmp(&words[b as usize]));
        for &k in &p.order {
            p.ordered[k as usize] = true;
        }
        p
    }

    /// Document `i` was `old` and is now `new`.
    fn change(&mut self, i: usize, old: Option<&Analysis>, new: &Analysis, words: &[String]) {
        let Some(&id) = self.position.get(i).filter(|&&id| id != u32::MAX) else {
            // Not one of the documents: these postings are for another order.
            return;
        };
        if let Some(old) = old {
            for &(key, _) in &old.terms {
                let list = &mut self.lists[key as usize];
                if let Ok(at) = list.binary_search_by_key(&id, |&(d, _)| d) {
                    list.remove(at);
                }
            }
            self.count_stems(old, -1);
        }
        if self.lists.len() < words.len() {
            self.lists.resize_with(words.len(), Vec::new);
            self.ordered.resize(words.len(), false);
        }
        for &(key, tf) in &new.terms {
            let list = &mut self.lists[key as usize];
            match list.binary_search_by_key(&id, |&(d, _)| d) {
                Ok(at) => list[at] = (id, tf),
                Err(at) => list.insert(at, (id, tf)),
            }
            if !self.ordered[key as usize] {
                let word = &words[key as usize];
                let at = self.order.partition_point(|&k| words[k as usize] < *word);
                self.order.insert(at, key);
                self.ordered[key as usize] = true;
            }
        }
        self.count_stems(new, 1);
    }

    fn count_stems(&mut self, doc: &Analysis, by: i32) {
        for &(word, stem) in &doc.stems {
            let counts = self.stems.entry(word).or_default();
            let n = counts.entry(stem).or_default();
            *n = n.saturating_add_signed(by);
            if *n == 0 {
                counts.remove(&stem);
                if counts.is_empty() {
                    self.stems.remove(&word);
                }
            }
        }
    }
}

/// [`build`] from what `analysed` holds of every practice (see [`Analysed::update`]).
pub fn build_from(site: &Site, view: &LangView, lang: &Lang, analysed: &mut Analysed) -> LangIndex {
    let lens: Vec<f64> = view
        .rank
        .iter()
        .map(|&i| {
            analysed
                .docs
                .get(i)
                .and_then(Option::as_ref)
                .map_or(0.0, |d| d.len)
        })
        .collect();
    let (postings, words) = analysed.postings(&view.rank);
    let keys: Vec<Key> = postings
        .order
        .iter()
        .filter(|&&k| !postings.lists[k as usize].is_empty())
        .map(|&k| {
            let stems = postings.stems.get(&k).map(|counts| {
                let mut list: Vec<&str> =
                    counts.keys().map(|&s| words[s as usize].as_str()).collect();
                list.sort_unstable();
                list
            });
            Key {
                key: &words[k as usize],
                list: &postings.lists[k as usize],
                stems,
            }
        })
        .collect();
    let analyzers = analyzers(site);
    write(site, view, lang, &analyzers[lang], &keys, &lens)
}
