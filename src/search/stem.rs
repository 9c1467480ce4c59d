//! The stemmers of the languages Snowball has an algorithm for (frostem: Snowball's own
//! algorithms, generated from its sources, pinned to one release so that a key never
//! changes under a site without its noticing).

/// A Snowball stemmer.
#[derive(Clone, Copy)]
pub struct Stemmer(frostem::Stemmer);

impl Stemmer {
    /// The stemmer called `name` (`french`, `serbian`...), if there is one.
    pub fn new(name: &str) -> Option<Stemmer> {
        if name.is_empty() {
            return None;
        }
        frostem::Stemmer::try_from_name(name).ok().map(Stemmer)
    }

    /// The stem of a lower-case word.
    pub fn stem(&self, word: &str) -> String {
        self.0.stem(word).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(name: &str, word: &str) -> String {
        Stemmer::new(name).unwrap().stem(word)
    }

    #[test]
    fn real_words() {
        assert_eq!(stem("english", "unemployment"), "unemploy");
        assert_eq!(stem("french", "protection"), "protect");
        assert_eq!(stem("spanish", "desempleados"), "desempl");
        assert_eq!(stem("catalan", "ocupació"), "ocup");
        assert_eq!(stem("italian", "disoccupati"), "disoccup");
        assert_eq!(stem("portuguese", "desempregados"), "desempreg");
        assert_eq!(stem("romanian", "șomajul"), "șomaj");
        assert_eq!(stem("romanian", "șomerilor"), "șomer");
        // Serbian's algorithm, for Croatian and Serbian in Latin script.
        assert_eq!(stem("serbian", "nezaposlenih"), "nezaposlen");
        assert_eq!(stem("serbian", "nezaposlenost"), "nezaposlen");
        assert_eq!(stem("serbian", "socijalne"), "socijaln");
        assert!(Stemmer::new("").is_none());
        assert!(Stemmer::new("klingon").is_none());
    }
}
