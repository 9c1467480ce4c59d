//! What loading hands to the model: the files of the site read and pre-parsed, not
//! yet checked against each other. Plain data; no I/O here, so that the model and the
//! renderers depend on these types and never on `load`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use crate::diagnostics::Source;
use crate::spanned::Table;
use crate::types::{Lang, Slug};

/// The three kinds of Markdown records, named by their folder under `content/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordKind {
    Practice,
    Partner,
    Page,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [RecordKind::Practice, RecordKind::Partner, RecordKind::Page];

    pub fn folder(self) -> &'static str {
        match self {
            RecordKind::Practice => "practices",
            RecordKind::Partner => "partners",
            RecordKind::Page => "pages",
        }
    }
}

/// One Markdown file of a record, in one language, with its front matter parsed.
#[derive(Debug)]
pub struct RecordFile {
    pub kind: RecordKind,
    pub slug: Slug,
    pub lang: Lang,
    pub src: Source,
    pub front: Table,
    /// Byte range of the Markdown body in `src.text`.
    pub body: Range<usize>,
}

impl RecordFile {
    pub fn body(&self) -> &str {
        &self.src.text[self.body.clone()]
    }
}

/// A file copied as it is into the output.
#[derive(Clone, Debug)]
pub struct StaticFile {
    pub from: PathBuf,
    /// `from` relative to the site root, for messages.
    pub rel: String,
    /// Where it goes, relative to the output root, with `/` separators.
    pub to: String,
}

/// Everything read from `content/`, not yet checked against each other.
#[derive(Debug, Default)]
pub struct Loaded {
    pub records: Vec<RecordFile>,
    pub vocabularies: Option<Source>,
    pub territories: Option<Source>,
    pub indicators: Option<Source>,
    pub borders: Option<Source>,
    pub observations: Vec<Source>,
    /// `content/diagnostics/*.geojson`: the shapes of territories.
    pub shapes: Vec<Source>,
    /// `content/diagnostics/background.geojson`: what every map draws in grey beneath.
    pub background: Option<Source>,
    pub statics: Vec<StaticFile>,
    pub theme: Theme,
}

/// A template of the theme, or of the site's own `templates/`.
#[derive(Clone, Debug)]
pub struct Template {
    pub text: String,
    /// The file, relative to the site root, for messages.
    pub rel: String,
}

/// The theme as rendering uses it: every template by name (`practice.html`,
/// `partials/x.html`), the site's own over the theme's, and the theme's static files.
#[derive(Clone, Debug, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, Template>,
    pub statics: Vec<StaticFile>,
}
