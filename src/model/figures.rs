//! The numbers that comparisons are made of, computed once from the observations and
//! shown by the territory, border, indicator and comparison pages: which year several
//! territories can be compared in, what is newer than that, and how two values differ
//! by the indicator's `better`.

use super::{Better, Observation, Site};
use crate::types::TerritoryId;

/// How one value stands against another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Lower,
    Higher,
    Same,
}

/// Whether a difference is good news, by the indicator's `better`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Better,
    Worse,
    /// `better = "neutral"`, or no difference.
    Neither,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Lower => "lower",
            Direction::Higher => "higher",
            Direction::Same => "same",
        }
    }
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Neither => "neither",
        }
    }
}

/// A value as shown with `decimals` decimals, in units of the last decimal (12.06 with
/// one decimal is 121): what comparisons and rankings compare, so that values that show
/// the same are the same.
pub fn as_shown(v: f64, decimals: u8) -> f64 {
    (v * 10f64.powi(i32::from(decimals))).round()
}

/// [`as_shown`] units back to a value: 121 with one decimal is 12.1.
pub fn from_shown(units: f64, decimals: u8) -> f64 {
    units / 10f64.powi(i32::from(decimals))
}

/// `a` against `b`, both as shown with `decimals` decimals: values that show the same
/// are the same (a reader must never see "0.0 points lower").
pub fn difference(a: f64, b: f64, decimals: u8, better: Better) -> (f64, Direction, Verdict) {
    let (ra, rb) = (as_shown(a, decimals), as_shown(b, decimals));
    let amount = from_shown((ra - rb).abs(), decimals);
    let direction = if ra < rb {
        Direction::Lower
    } else if ra > rb {
        Direction::Higher
    } else {
        Direction::Same
    };
    let verdict = match (better, direction) {
        (_, Direction::Same) | (Better::Neutral, _) => Verdict::Neither,
        (Better::Lower, Direction::Lower) | (Better::Higher, Direction::Higher) => Verdict::Better,
        _ => Verdict::Worse,
    };
    (amount, direction, verdict)
}

impl Site {
    /// The observation of one territory, indicator and year.
    pub fn observation(&self, territory: &str, indicator: &str, year: i32) -> Option<&Observation> {
        self.series(territory, indicator).find(|o| o.year == year)
    }

    /// The newest observation with a value.
    pub fn latest_value(&self, territory: &str, indicator: &str) -> Option<&Observation> {
        self.series(territory, indicator)
            .filter(|o| o.value.is_some())
            .last()
    }

    /// Every year any of `territories` has a row for `indicator` (with a value or
    /// not), oldest first.
    pub fn years<'a>(
        &self,
        territories: impl IntoIterator<Item = &'a TerritoryId>,
        indicator: &str,
    ) -> Vec<i32> {
        let mut years: Vec<i32> = territories
            .into_iter()
            .flat_map(|t| self.series(t, indicator).map(|o| o.year))
            .collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The latest year in which every one of `territories` has a value for
    /// `indicator`.
    pub fn common_year(&self, territories: &[&TerritoryId], indicator: &str) -> Option<i32> {
        let (first, rest) = territories.split_first()?;
        self.series(first, indicator)
            .filter(|o| o.value.is_some())
            .map(|o| o.year)
            .filter(|&y| {
                rest.iter().all(|t| {
                    self.observation(t, indicator, y)
                        .is_some_and(|o| o.value.is_some())
                })
            })
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_follow_better() {
        assert_eq!(
            difference(9.0, 12.2, 1, Better::Lower),
            (3.2, Direction::Lower, Verdict::Better)
        );
        assert_eq!(
            difference(9.0, 12.2, 1, Better::Higher),
            (3.2, Direction::Lower, Verdict::Worse)
        );
        assert_eq!(
            difference(12.2, 9.0, 1, Better::Higher),
            (3.2, Direction::Higher, Verdict::Better)
        );
        assert_eq!(
            difference(12.2, 9.0, 1, Better::Lower),
            (3.2, Direction::Higher, Verdict::Worse)
        );
        assert_eq!(
            difference(12.2, 9.0, 1, Better::Neutral),
            (3.2, Direction::Higher, Verdict::Neither)
        );
    }

    #[test]
    fn values_that_show_the_same_are_the_same() {
        assert_eq!(
            difference(12.04, 12.01, 1, Better::Lower),
            (0.0, Direction::Same, Verdict::Neither)
        );
        let (amount, direction, _) = difference(12.06, 12.01, 1, Better::Lower);
        assert_eq!((amount, direction), (0.1, Direction::Higher));
        assert_eq!(difference(1250.0, 1000.0, 0, Better::Higher).0, 250.0);
    }
}
