//! Locale data of one language, all from CLDR through ICU4X's compiled data: plural
//! categories, number and date formats, collation, and the names of other languages
//! in this one. Built once per language per build; nothing here is hand-written per
//! language.

use std::cmp::Ordering;

use fixed_decimal::{Decimal, FloatPrecision, SignedRoundingMode, UnsignedRoundingMode};
use icu_calendar::{Date as IcuDate, Gregorian};
use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_decimal::DecimalFormatter;
use icu_decimal::options::GroupingStrategy;
use icu_experimental::dimension::currency::CurrencyType;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_experimental::displaynames::multi::{
    LanguageDisplayNames, LocaleDisplayNamesFormatter, RegionDisplayNames, ScriptDisplayNames,
    VariantDisplayNames,
};
use icu_locale_core::Locale as IcuLocale;
use icu_plurals::{PluralCategory, PluralRules};
use writeable::{Part, PartsWrite, Writeable};

use crate::types::Date;
use crate::types::Lang;

/// Formatting and ordering for one language.
pub struct Locale {
    locale: IcuLocale,
    plurals: PluralRules,
    decimal: DecimalFormatter,
    /// Digits without grouping, for years ("2022", never "2,022").
    plain: DecimalFormatter,
    date: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    collator: CollatorBorrowed<'static>,
    /// CLDR's names of languages in this language; `None` when the compiled data has
    /// none for it.
    names: Option<Names>,
}

/// CLDR display names in one language: of languages, scripts, regions and variants,
/// and the formatter that puts them together (`serbe (latin)`). Only the names of
/// languages are required: CLDR has not every table for every language (Albanian has
/// no names of variants, so no formatter).
struct Names {
    languages: LanguageDisplayNames,
    locales: Option<LocaleDisplayNamesFormatter>,
    scripts: Option<ScriptDisplayNames>,
    regions: Option<RegionDisplayNames>,
    variants: Option<VariantDisplayNames>,
}

impl Names {
    fn new(l: &IcuLocale) -> Option<Names> {
        let prefs = || l.into();
        Some(Names {
            languages: LanguageDisplayNames::try_new(prefs(), Default::default()).ok()?,
            locales: LocaleDisplayNamesFormatter::try_new(prefs(), Default::default()).ok(),
            scripts: ScriptDisplayNames::try_new(prefs(), Default::default()).ok(),
            regions: RegionDisplayNames::try_new(prefs(), Default::default()).ok(),
            variants: VariantDisplayNames::try_new(prefs(), Default::default()).ok(),
        })
    }
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Locale")
    }
}

/// The CLDR name of a plural category, as translators write it in i18n files.
pub fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

pub const CATEGORY_NAMES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

impl Locale {
    /// The locale data of `lang`, its dates formatted as `dates` writes them when given
    /// (a regional variant of the language, like `en-GB` for `en`: observatory.toml's
    /// `date_locale`). A language CLDR does not know falls back to the root locale's
    /// data (ICU4X's own fallback), so this never fails for a valid tag.
    pub fn new(lang: &Lang, dates: Option<&Lang>) -> Locale {
        let loc: IcuLocale = lang.as_str().parse().unwrap_or(IcuLocale::UNKNOWN);
        let date_loc: IcuLocale = dates
            .and_then(|d| d.as_str().parse().ok())
            .unwrap_or_else(|| loc.clone());
        let root = IcuLocale::UNKNOWN;
        let pick = |l: &IcuLocale, dl: &IcuLocale| {
            // CLDR's plural rules are defined per language alone; `sr-Latn` would
            // otherwise fall back to the root locale, whose only category is `other`.
            let language = IcuLocale::from(l.id.language);
            Some(Locale {
                locale: l.clone(),
                plurals: PluralRules::try_new_cardinal((&language).into()).ok()?,
                decimal: DecimalFormatter::try_new(l.into(), Default::default()).ok()?,
                plain: DecimalFormatter::try_new(l.into(), GroupingStrategy::Never.into()).ok()?,
                date: FixedCalendarDateTimeFormatter::try_new(dl.into(), YMD::long()).ok()?,
                collator: Collator::try_new(l.into(), CollatorOptions::default()).ok()?,
                names: Names::new(l),
            })
        };
        pick(&loc, &date_loc)
            .or_else(|| pick(&loc, &loc))
            .or_else(|| pick(&root, &root))
            .expect("ICU4X compiled data has the root locale")
    }

    /// The plural category of a count, by the language's CLDR rules.
    pub fn plural(&self, n: u64) -> &'static str {
        category_name(self.plurals.category_for(n))
    }

    /// The plural category of a number shown with `decimals` decimals ("1,0 point",
    /// "3,2 postotna boda"): CLDR's rules read the visible decimals too.
    pub fn plural_decimal(&self, value: f64, decimals: u8) -> &'static str {
        let Ok(mut d) = Decimal::try_from_f64(value.abs(), FloatPrecision::RoundTrip) else {
            return "other";
        };
        let pos = -i16::from(decimals);
        d.round_with_mode(
            pos,
            SignedRoundingMode::Unsigned(UnsignedRoundingMode::HalfExpand),
        );
        d.pad_end(pos);
        category_name(self.plurals.category_for(&d))
    }

    /// The plural categories the language distinguishes, `other` last.
    pub fn categories(&self) -> Vec<&'static str> {
        let mut c: Vec<&'static str> = self.plurals.categories().map(category_name).collect();
        c.sort_by_key(|n| CATEGORY_NAMES.iter().position(|x| x == n));
        c
    }

    /// A number with exactly `decimals` decimals, in the language's digits, decimal
    /// separator and grouping ("12,3", "1 250 000").
    pub fn decimal(&self, value: f64, decimals: u8) -> String {
        let Ok(mut d) = Decimal::try_from_f64(value, FloatPrecision::RoundTrip) else {
            return value.to_string();
        };
        let pos = -i16::from(decimals);
        // Half away from zero, as statistics offices round: 12.25 → 12.3.
        d.round_with_mode(
            pos,
            SignedRoundingMode::Unsigned(UnsignedRoundingMode::HalfExpand),
        );
        d.pad_end(pos);
        self.decimal.format_to_string(&d)
    }

    /// A year in the language's digits, without grouping.
    pub fn year(&self, year: i32) -> String {
        self.plain.format_to_string(&Decimal::from(year))
    }

    /// A number as given: whole numbers without decimals, others with up to two.
    pub fn number(&self, value: f64) -> String {
        let Ok(mut d) = Decimal::try_from_f64(value, FloatPrecision::RoundTrip) else {
            return value.to_string();
        };
        if value.fract() != 0.0 {
            d.round_with_mode(
                -2,
                SignedRoundingMode::Unsigned(UnsignedRoundingMode::HalfExpand),
            );
            d.trim_end();
        }
        self.decimal.format_to_string(&d)
    }

    /// An amount of money with the currency's symbol where the language puts it
    /// ("1 250 000 €", "€1,250,000"); the ISO code after the number if CLDR has no
    /// data for that currency.
    pub fn money(&self, amount: f64, currency: &str) -> String {
        let formatted = CurrencyType::try_from_str(&currency.to_ascii_lowercase())
            .ok()
            .and_then(|code| {
                let f = CurrencyFormatter::try_new_symbol(
                    (&self.locale).into(),
                    code,
                    Default::default(),
                )
                .ok()?;
                let mut d = Decimal::try_from_f64(amount, FloatPrecision::RoundTrip).ok()?;
                d.round_with_mode(
                    -2,
                    SignedRoundingMode::Unsigned(UnsignedRoundingMode::HalfExpand),
                );
                Some(f.format_fixed_decimal(&d).to_string())
            });
        formatted.unwrap_or_else(|| format!("{}\u{a0}{currency}", self.number(amount)))
    }

    /// A calendar date in the language's long format ("22 novembre 2026"), the day
    /// without a leading zero ("1. julij 2010", where CLDR's Slovenian and Serbian
    /// patterns pad it to "01."), as dates are written in running text: the same
    /// wherever a date is shown, alone or in a period.
    pub fn date(&self, d: Date) -> String {
        let Ok(date) = IcuDate::try_new_gregorian(d.year, d.month, d.day) else {
            return d.to_string();
        };
        let mut sink = DaySink::default();
        if self.date.format(&date).write_to_parts(&mut sink).is_err() {
            return d.to_string();
        }
        let mut out = sink.text;
        // Back to front, so that the ranges before stay right.
        for day in sink.days.into_iter().rev() {
            let digits: Vec<char> = out[day.clone()].chars().collect();
            if digits.len() == 2 && is_zero_digit(digits[0]) && digits[1].is_numeric() {
                out.replace_range(day.start..day.start + digits[0].len_utf8(), "");
            }
        }
        out
    }

    /// The name of a language in this one, as a sentence names it ("Croatian",
    /// "anglais", "serbe (latin)"), from CLDR: the name of the whole tag when CLDR
    /// names each of its parts, else the name of its primary language
    /// (`sr-Latn-XK` with an unknown region → "serbe"); `None` when CLDR does not name
    /// the primary language in this one.
    pub fn language_name(&self, lang: &Lang) -> Option<String> {
        let names = self.names.as_ref()?;
        let tag: IcuLocale = lang.as_str().parse().ok()?;
        let primary = names.languages.of(tag.id.language)?;
        // For each part the tag has, its name if CLDR has one.
        let script = (tag.id.script).map(|s| names.scripts.as_ref().and_then(|n| n.of(s)));
        let region = (tag.id.region).map(|r| names.regions.as_ref().and_then(|n| n.of(r)));
        let variants_named = tag
            .id
            .variants
            .iter()
            .all(|v| names.variants.as_ref().and_then(|n| n.of(*v)).is_some());
        let all_named = script.is_none_or(|s| s.is_some())
            && region.is_none_or(|r| r.is_some())
            && variants_named
            && tag.extensions.is_empty();
        if !all_named {
            return Some(primary.to_string());
        }
        Some(match &names.locales {
            Some(f) => f.of(&tag).into_owned(),
            // CLDR's pattern, as the formatter writes it: "serbe (latin, Kosovo)".
            None => {
                let parts: Vec<&str> = script.into_iter().chain(region).flatten().collect();
                match parts.is_empty() {
                    true => primary.to_string(),
                    false => format!("{primary} ({})", parts.join(", ")),
                }
            }
        })
    }

    /// Orders two texts by the language's collation (Romanian ș after s, Croatian č
    /// after c, Spanish ñ after n).
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b).then_with(|| a.cmp(b))
    }
}

/// Whether `c` is the digit zero of a decimal numbering system CLDR formats dates in
/// (Latin, Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali...).
fn is_zero_digit(c: char) -> bool {
    matches!(
        c,
        '0' | '\u{660}' | '\u{6f0}' | '\u{966}' | '\u{9e6}' | '\u{e50}' | '\u{ff10}'
    )
}

/// A formatted date with where its day of the month is.
#[derive(Default)]
struct DaySink {
    text: String,
    days: Vec<std::ops::Range<usize>>,
}

impl std::fmt::Write for DaySink {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        Ok(())
    }
}

impl PartsWrite for DaySink {
    type SubPartsWrite = DaySink;
    fn with_part(
        &mut self,
        part: Part,
        mut f: impl FnMut(&mut DaySink) -> std::fmt::Result,
    ) -> std::fmt::Result {
        let start = self.text.len();
        f(self)?;
        if part == icu_datetime::parts::DAY {
            self.days.push(start..self.text.len());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(code: &str) -> Locale {
        Locale::new(&Lang::parse(code).unwrap(), None)
    }

    #[test]
    fn plural_categories_follow_cldr() {
        let counts = [1u64, 2, 3, 5, 21, 101];
        let cats = |l: &Locale| counts.iter().map(|&n| l.plural(n)).collect::<Vec<_>>();
        assert_eq!(
            cats(&loc("en")),
            ["one", "other", "other", "other", "other", "other"]
        );
        assert_eq!(
            cats(&loc("sl")),
            ["one", "two", "few", "other", "other", "one"]
        );
        assert_eq!(
            cats(&loc("ro")),
            ["one", "few", "few", "few", "other", "few"]
        );
        assert_eq!(
            cats(&loc("hr")),
            ["one", "few", "few", "other", "one", "one"]
        );
        assert_eq!(
            cats(&loc("sr-Latn")),
            ["one", "few", "few", "other", "one", "one"]
        );
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        assert_eq!(loc("fr").decimal(12.3, 1), "12,3");
        assert_eq!(loc("en").decimal(12.25, 1), "12.3");
        assert_eq!(loc("en").number(1_250_000.0), "1,250,000");
        assert_eq!(loc("fr").number(1_250_000.0), "1\u{202f}250\u{202f}000");
        assert_eq!(loc("hr").decimal(7.0, 1), "7,0");
        // CLDR's standard currency format shows the currency's minor digits.
        assert_eq!(
            loc("fr").money(1_250_000.0, "EUR"),
            "1\u{202f}250\u{202f}000,00\u{a0}€"
        );
        assert_eq!(loc("en").money(1_250_000.0, "EUR"), "€1,250,000.00");
        assert_eq!(loc("ro").money(1_250_000.0, "EUR"), "1.250.000,00\u{a0}€");
        let d = Date {
            year: 2026,
            month: 11,
            day: 22,
        };
        assert_eq!(loc("fr").date(d), "22 novembre 2026");
        assert_eq!(loc("en").date(d), "November 22, 2026");
        assert_eq!(loc("sr-Latn").date(d), "22. novembar 2026.");
        assert_eq!(loc("sl").date(d), "22. november 2026");
        assert_eq!(loc("ro").date(d), "22 noiembrie 2026");
        assert_eq!(loc("hr").date(d), "22. studenoga 2026.");
    }

    #[test]
    fn days_have_no_leading_zero_in_any_language() {
        let d = Date {
            year: 2010,
            month: 7,
            day: 1,
        };
        assert_eq!(loc("sl").date(d), "1. julij 2010");
        assert_eq!(loc("sr-Latn").date(d), "1. jul 2010.");
        assert_eq!(loc("hr").date(d), "1. srpnja 2010.");
        assert_eq!(loc("fr").date(d), "1 juillet 2010");
        assert_eq!(loc("en").date(d), "July 1, 2010");
        // The day-month order and the month names of a regional variant.
        let gb = Locale::new(&Lang::parse("en").unwrap(), Lang::parse("en-GB").as_ref());
        assert_eq!(gb.date(d), "1 July 2010");
        let eu = Locale::new(&Lang::parse("en").unwrap(), Lang::parse("en-150").as_ref());
        assert_eq!(eu.date(d), "1 July 2010");
        // Everything else stays the language's.
        assert_eq!(gb.number(1_250_000.0), "1,250,000");
    }

    #[test]
    fn languages_are_named_in_the_reader_language() {
        let name =
            |reader: &str, named: &str| loc(reader).language_name(&Lang::parse(named).unwrap());
        let cases = [
            ("en", "hr", "Croatian"),
            ("en", "sr-Latn", "Serbian (Latin)"),
            ("fr", "en", "anglais"),
            ("fr", "sq", "albanais"),
            ("fr", "sr-Latn", "serbe (latin)"),
            ("hr", "sl", "slovenski"),
            ("sl", "hr", "hrvaščina"),
            ("es", "ca", "catalán"),
            ("ca", "mk", "macedoni"),
            ("it", "en", "inglese"),
            ("pt", "ro", "romeno"),
            ("ro", "en", "engleză"),
            ("sq", "en", "anglisht"),
            ("sq", "sr-Latn", "serbisht (latin)"),
            ("sr-Latn", "en", "engleski"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(reader, named, want)| name(reader, named).as_deref() != Some(*want))
            .map(|(reader, named, _)| format!("{named} in {reader}: {:?}", name(reader, named)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
        // A region CLDR knows is named; a part it does not know falls back to the
        // primary language; a language it does not know has no name.
        assert_eq!(name("en", "pt-BR").as_deref(), Some("Brazilian Portuguese"));
        assert_eq!(name("fr", "sl-QM").as_deref(), Some("slovène"));
        assert_eq!(
            name("es", "es-419").as_deref(),
            Some("español latinoamericano")
        );
        assert_eq!(name("en", "qaa").as_deref(), None);
        assert_eq!(name("en", "sr-Qaaa").as_deref(), Some("Serbian"));
    }

    #[test]
    fn collation_follows_the_alphabet() {
        let mut ro = vec!["sută", "șase", "tată", "ţintă", "zece"];
        let l = loc("ro");
        ro.sort_by(|a, b| l.compare(a, b));
        assert_eq!(ro, ["sută", "șase", "tată", "ţintă", "zece"]);
        let mut hr = vec!["dan", "čaj", "cesta", "ćup", "zec"];
        let l = loc("hr");
        hr.sort_by(|a, b| l.compare(a, b));
        assert_eq!(hr, ["cesta", "čaj", "ćup", "dan", "zec"]);
        let mut es = vec!["ñu", "nube", "oso"];
        let l = loc("es");
        es.sort_by(|a, b| l.compare(a, b));
        assert_eq!(es, ["nube", "ñu", "oso"]);
    }
}
