//! Facts: what every translation of a record shares (a practice's status, dates,
//! countries...), as opposed to its text. Each record kind declares its facts once, in
//! one [`facts!`] table (in `records.rs`): that table is the struct of what one file
//! states and the agreement of all the files of a record, fact by fact. A translation
//! may leave a fact out; the first file that states it sets it; a later file stating
//! another value is an error naming both files.

use std::ops::Range;

use crate::diagnostics::{Diagnostic, Source};
use crate::input::RecordFile;
use crate::spanned::Spanned;
use crate::types::Date;

use super::{Budget, Level, OfficialName, ResultFact, Status};

/// One fact as one file states it, with the span of its value; `None` when the file
/// leaves it to the other translations.
pub(crate) type Stated<T> = Option<Spanned<T>>;

/// A list of ids as a file writes it, each with its span.
pub(crate) type List = Vec<Spanned<String>>;

/// A value a fact can hold: when two statements of it agree, and how a disagreement
/// names it.
pub(crate) trait FactValue: Clone {
    fn same(&self, other: &Self) -> bool;
    fn show(&self) -> String;
    /// Where a statement of the value starts, given the span of the whole value.
    fn start(&self, span: &Range<usize>) -> usize {
        span.start
    }
}

/// The value every translation that states a fact agrees on, with the file and span of
/// its first statement (to point further checks at).
pub(crate) struct Agreed<'f, T> {
    pub value: T,
    pub src: &'f Source,
    pub span: Range<usize>,
}

/// Agreement of one fact across the files of a record.
pub(crate) fn agree<'f, 's, T: FactValue + 's>(
    field: &str,
    stated: impl IntoIterator<Item = (&'f RecordFile, &'s Stated<T>)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Agreed<'f, T>> {
    let mut first: Option<Agreed<'f, T>> = None;
    for (file, value) in stated {
        let Some(v) = value else { continue };
        match &first {
            None => {
                first = Some(Agreed {
                    value: v.value.clone(),
                    src: &file.src,
                    span: v.span.clone(),
                })
            }
            Some(a) if !a.value.same(&v.value) => {
                let (line, col) = a.src.position(a.value.start(&a.span));
                diags.push(
                    file.src
                        .error(
                            v.span.clone(),
                            format!(
                                "`{field}` is {} here but {} in {}:{line}:{col}",
                                v.value.show(),
                                a.value.show(),
                                a.src.rel
                            ),
                        )
                        .help(format!("`{field}` is a fact shared by every translation: make the two files agree, or leave it out of one of them")),
                );
            }
            Some(_) => {}
        }
    }
    first
}

/// Declares the facts of a record kind: `$stated` is what one file states (each fact
/// a [`Stated`]), `$agreed` what the files of one record agree on (each fact an
/// [`Agreed`], `None` when no file states it), and `$stated::agree` makes the second
/// from the first, fact by fact, reporting every disagreement.
macro_rules! facts {
    ($(#[$doc:meta])* $stated:ident => $agreed:ident { $($field:ident: $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        pub(crate) struct $stated {
            $(pub $field: $crate::model::facts::Stated<$ty>,)*
        }

        /// What the translations of one record agree on, fact by fact.
        pub(crate) struct $agreed<'f> {
            $(pub $field: Option<$crate::model::facts::Agreed<'f, $ty>>,)*
        }

        impl $stated {
            pub(crate) fn agree<'f>(
                files: &[(&'f $crate::input::RecordFile, &$stated)],
                diags: &mut Vec<$crate::diagnostics::Diagnostic>,
            ) -> $agreed<'f> {
                $agreed {
                    $($field: $crate::model::facts::agree(
                        stringify!($field),
                        files.iter().map(|(file, facts)| (*file, &facts.$field)),
                        diags,
                    ),)*
                }
            }
        }
    };
}
pub(crate) use facts;

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

impl FactValue for String {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn show(&self) -> String {
        quoted(self)
    }
}

impl FactValue for OfficialName {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn show(&self) -> String {
        format!("{{ {} = {} }}", self.lang, quoted(&self.name))
    }
}

impl FactValue for super::Location {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn show(&self) -> String {
        format!("{{ lat = {}, lon = {} }}", self.lat, self.lon)
    }
}

impl FactValue for Status {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn show(&self) -> String {
        quoted(self.as_str())
    }
}

impl FactValue for Level {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn show(&self) -> String {
        quoted(self.as_str())
    }
}

impl FactValue for Date {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl FactValue for i64 {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl FactValue for Budget {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn show(&self) -> String {
        format!("{} {}", self.amount, self.currency)
    }
}

impl FactValue for Vec<ResultFact> {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
    fn show(&self) -> String {
        let parts: Vec<String> = self
            .iter()
            .map(|x| {
                format!("{} {}", x.value, x.unit.clone().unwrap_or_default())
                    .trim()
                    .to_string()
            })
            .collect();
        format!("[{}]", parts.join("; "))
    }
}

/// Lists agree when they hold the same ids in the same order, wherever they are.
impl FactValue for List {
    fn same(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a.value == b.value)
    }
    fn show(&self) -> String {
        let items: Vec<String> = self.iter().map(|s| quoted(&s.value)).collect();
        format!("[{}]", items.join(", "))
    }
    /// A list is pointed at by its first id.
    fn start(&self, _span: &Range<usize>) -> usize {
        self.first().map(|s| s.span.start).unwrap_or(0)
    }
}
