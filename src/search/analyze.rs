//! The analyzer of a language: how a text becomes the keys of the search index. The
//! browser runs the same steps on a query (`search.js`), from the same lists
//! (`languages.toml`, written into every manifest); `tests/search/golden.json` holds words
//! and their keys, checked on both sides so that they cannot drift apart.
//!
//! 1. NFC, then lower case.
//! 2. Words are runs of letters, marks and digits (and a middle dot between two letters,
//!    as Catalan writes `l·l`); everything else separates them, hyphens included. An apostrophe (`'`, `’`, `ʼ`) between two letters joins an elided word to
//!    the next one: the elided part (`l'`, `dell'`, `'s`) is dropped when the language lists
//!    it.
//! 3. Stopwords (compared folded) are left out; words longer than [`MAX_WORD`] characters
//!    too, and words that fold to nothing (marks alone, such as a stray accent).
//! 4. The keys of a word: its folded form (diacritics removed, đ → d, æ → ae...), and with
//!    a stemmer, the folded stem of the word and the stem of the folded word (so that a
//!    query typed without diacritics finds the same stem).
//!
//! The browser does not stem: Snowball's algorithms exist in JavaScript only as code of
//! other projects. It reads the stems of every folded word of the content from the index
//! instead (each shard lists them beside the postings), so a word that occurs in the
//! content gets the same keys on both sides; a form that occurs nowhere is looked up by
//! its longest prefix that does.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::LazyLock;

use icu_normalizer::{ComposingNormalizerBorrowed, DecomposingNormalizerBorrowed};
use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
use serde::{Deserialize, Serialize};

use super::stem::Stemmer;
use crate::types::Lang;

/// Longer words are not indexed (identifiers, pasted addresses).
pub const MAX_WORD: usize = 40;

/// The settings of one language, as `languages.toml` gives them.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct LanguageSettings {
    #[serde(default)]
    pub stemmer: String,
    #[serde(default)]
    pub elide_before: Vec<String>,
    #[serde(default)]
    pub elide_after: Vec<String>,
    #[serde(default)]
    pub stopwords: Vec<String>,
}

#[derive(Deserialize)]
struct Settings {
    fold: BTreeMap<String, String>,
    languages: BTreeMap<String, LanguageSettings>,
}

static SETTINGS: LazyLock<Settings> = LazyLock::new(|| {
    toml::from_str(include_str!("languages.toml")).expect("src/search/languages.toml is valid")
});

/// The letters NFD leaves whole, with what they fold to.
pub fn fold_table() -> &'static BTreeMap<String, String> {
    &SETTINGS.fold
}

/// One language's analyzer.
pub struct Analyzer {
    pub settings: LanguageSettings,
    stemmer: Option<Stemmer>,
    stopwords: BTreeSet<String>,
    /// The settings' name in `languages.toml` ("" for none): two analyzers of one name
    /// are the same, so they share the threads' caches of analysed words.
    key: &'static str,
}

/// What an analyzer makes of one word, kept per thread: a site repeats its words
/// thousands of times, and folding and stemming them is most of the work of indexing.
enum Analysed {
    /// A stopword: left out.
    Stop,
    /// Its keys, as [`Analyzer::keys`] gives them.
    Keys(Box<[String]>),
}

/// The most words a thread keeps per analyzer before it starts again.
const CACHED_WORDS: usize = 1 << 20;

thread_local! {
    /// Per analyzer (by its settings' name): each word as [`Analyzer::words`] gives it, analysed.
    static WORDS: RefCell<HashMap<&'static str, HashMap<String, Rc<Analysed>>>> =
        RefCell::new(HashMap::new());
}

impl Analyzer {
    /// The analyzer of `lang`: its own settings, those of its primary language
    /// (`sr-Latn` → `sr`), or none (folding only).
    pub fn new(lang: &Lang) -> Analyzer {
        let primary = lang.as_str().split('-').next().unwrap_or("");
        let (key, settings) = SETTINGS
            .languages
            .get_key_value(lang.as_str())
            .or_else(|| SETTINGS.languages.get_key_value(primary))
            .map(|(k, s)| (k.as_str(), s.clone()))
            .unwrap_or_default();
        let stemmer = Stemmer::new(&settings.stemmer);
        let stopwords = settings.stopwords.iter().map(|w| fold(w)).collect();
        Analyzer {
            settings,
            stemmer,
            stopwords,
            key,
        }
    }

    /// Whether words are reduced to stems; without, every query word matches as a prefix.
    pub fn stems(&self) -> bool {
        self.stemmer.is_some()
    }

    /// The words of `text` that are indexed, lower case, in order.
    pub fn words(&self, text: &str) -> Vec<String> {
        let text = ComposingNormalizerBorrowed::new_nfc()
            .normalize(text)
            .to_lowercase();
        let mut out = Vec::new();
        for (word, before, after) in split(&text) {
            if self.elided(word, before, after) || word.chars().count() > MAX_WORD {
                continue;
            }
            // A word of marks alone (a stray accent) folds to nothing: no key.
            let folded = fold(word);
            if folded.is_empty() || self.stopwords.contains(&folded) {
                continue;
            }
            out.push(word.to_string());
        }
        out
    }

    /// The index keys of one word (as [`Analyzer::words`] gives it), without repeats.
    pub fn keys(&self, word: &str) -> Vec<String> {
        let folded = fold(word);
        let mut keys = vec![folded.clone()];
        if let Some(stemmer) = &self.stemmer {
            for key in [fold(&stemmer.stem(word)), stemmer.stem(&folded)] {
                // A stem may be nothing but marks (a mark, then a plural `s`).
                if !key.is_empty() && !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    /// Every key of `text`, with how often it occurs; `stems` gets the stems of each
    /// word's folded form (when they differ from it). Returns the number of words.
    /// The same as [`Analyzer::words`] then [`Analyzer::keys`] of each word, with each
    /// distinct word analysed once per thread.
    pub fn count_keys(
        &self,
        text: &str,
        counts: &mut HashMap<String, u32>,
        stems: &mut BTreeMap<String, BTreeSet<String>>,
    ) -> u32 {
        let text = ComposingNormalizerBorrowed::new_nfc()
            .normalize(text)
            .to_lowercase();
        let mut words = 0;
        for (word, before, after) in split(&text) {
            if self.elided(word, before, after) || word.chars().count() > MAX_WORD {
                continue;
            }
            let Analysed::Keys(keys) = &*self.analysed(word) else {
                continue;
            };
            words += 1;
            if keys.len() > 1 {
                let set = match stems.get_mut(keys[0].as_str()) {
                    Some(set) => set,
                    None => stems.entry(keys[0].clone()).or_default(),
                };
                for stem in &keys[1..] {
                    if !set.contains(stem) {
                        set.insert(stem.clone());
                    }
                }
            }
            for key in keys {
                match counts.get_mut(key.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        counts.insert(key.clone(), 1);
                    }
                }
            }
        }
        words
    }

    /// Whether `word` is an elided part that the language drops (`l'`, `'s`).
    fn elided(&self, word: &str, before: bool, after: bool) -> bool {
        (after && self.settings.elide_before.iter().any(|e| e == word))
            || (before && self.settings.elide_after.iter().any(|e| e == word))
    }

    /// `word` analysed: from this thread's cache, else analysed and kept.
    fn analysed(&self, word: &str) -> Rc<Analysed> {
        WORDS.with(|cache| {
            let mut cache = cache.borrow_mut();
            let words = cache.entry(self.key).or_default();
            if let Some(hit) = words.get(word) {
                return Rc::clone(hit);
            }
            if words.len() >= CACHED_WORDS {
                words.clear();
            }
            let folded = fold(word);
            let analysed = Rc::new(if folded.is_empty() || self.stopwords.contains(&folded) {
                Analysed::Stop
            } else {
                Analysed::Keys(self.keys(word).into_boxed_slice())
            });
            words.insert(word.to_string(), Rc::clone(&analysed));
            analysed
        })
    }
}

/// The words of a lower-case text with, for each, whether an apostrophe joins it to the
/// word before and to the word after.
fn split(text: &str) -> Vec<(&str, bool, bool)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let letter = |i: usize| chars.get(i).is_some_and(|&(_, c)| is_word_char(c));
    // A middle dot between two letters belongs to the word (Catalan `col·laboració`).
    let is_word = |i: usize| {
        letter(i)
            || (chars.get(i).is_some_and(|&(_, c)| c == '\u{00B7}')
                && i > 0
                && letter(i - 1)
                && letter(i + 1))
    };
    let is_apostrophe = |i: usize| chars.get(i).is_some_and(|&(_, c)| is_apostrophe(c));
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_word(i) {
            i += 1;
            continue;
        }
        let start = i;
        while is_word(i) {
            i += 1;
        }
        let from = chars[start].0;
        let to = chars.get(i).map(|&(b, _)| b).unwrap_or(text.len());
        let before = start >= 2 && is_apostrophe(start - 1) && is_word(start - 2);
        let after = is_apostrophe(i) && is_word(i + 1);
        out.push((&text[from..to], before, after));
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

static CATEGORIES: LazyLock<icu_properties::CodePointMapDataBorrowed<'static, GeneralCategory>> =
    LazyLock::new(CodePointMapData::<GeneralCategory>::new);

/// Letters, marks and digits of any script (`\p{L}`, `\p{M}`, `\p{N}`), but apostrophes.
fn is_word_char(c: char) -> bool {
    if is_apostrophe(c) {
        return false;
    }
    let gc = CATEGORIES.get(c);
    GeneralCategoryGroup::Letter.contains(gc)
        || GeneralCategoryGroup::Mark.contains(gc)
        || GeneralCategoryGroup::Number.contains(gc)
}

/// A word without its diacritics: NFD with the marks (`\p{M}`) left out, then the
/// letters of the fold table replaced (đ → d, æ → ae...).
pub fn fold(word: &str) -> String {
    let decomposed = DecomposingNormalizerBorrowed::new_nfd().normalize(word);
    let mut out = String::with_capacity(word.len());
    for c in decomposed.chars() {
        if GeneralCategoryGroup::Mark.contains(CATEGORIES.get(c)) {
            continue;
        }
        let mut buf = [0u8; 4];
        match SETTINGS.fold.get(c.encode_utf8(&mut buf) as &str) {
            Some(to) => out.push_str(to),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn an(lang: &str) -> Analyzer {
        Analyzer::new(&Lang::parse(lang).unwrap())
    }

    #[test]
    fn folding() {
        assert_eq!(fold("șomajul"), "somajul");
        assert_eq!(fold("protección"), "proteccion");
        assert_eq!(fold("đak"), "dak");
        assert_eq!(fold("łódź"), "lodz");
        assert_eq!(fold("cœur"), "coeur");
        assert_eq!(fold("straße"), "strasse");
        assert_eq!(fold("æble"), "aeble");
        assert_eq!(fold("col·laboració"), "collaboracio");
        assert_eq!(fold("nezaposlenost"), "nezaposlenost");
    }

    #[test]
    fn elisions_hyphens_and_stopwords() {
        assert_eq!(
            an("fr").words("La protection de l'enfance"),
            ["protection", "enfance"]
        );
        assert_eq!(
            an("fr").words("L’enfance socio-économique"),
            ["enfance", "socio", "économique"]
        );
        assert_eq!(
            an("it").words("dell'occupazione e l’inclusione"),
            ["occupazione", "inclusione"]
        );
        assert_eq!(an("ca").words("d'ocupació"), ["ocupació"]);
        assert_eq!(
            an("en").words("The children's rights"),
            ["children", "rights"]
        );
        // Without a listed elision, both parts stay.
        assert_eq!(an("en").words("rock'n'roll"), ["rock", "n", "roll"]);
    }

    #[test]
    fn nfc_and_case() {
        // "Ș" written as S + combining comma below.
        assert_eq!(an("ro").words("S\u{0326}OMAJUL"), ["șomajul"]);
    }

    #[test]
    fn languages_without_a_stemmer_fold_only() {
        let sl = an("sl");
        assert!(!sl.stems());
        assert_eq!(sl.keys("brezposelnih"), ["brezposelnih"]);
        assert_eq!(sl.keys("Čezmejni".to_lowercase().as_str()), ["cezmejni"]);
        let unknown = an("de");
        assert_eq!(unknown.words("Die Arbeit"), ["die", "arbeit"]);
    }
}
