//! Renders an ftdesk [`Report`] as a terminal report, JSON, Markdown or one
//! self-contained HTML file, in English or Korean.
//!
//! Renderers return strings and never write files: the binary decides where
//! output goes. The pieces every crate that writes words shares live here
//! too, one of each: the language ([`Lang`]), the HTML escaper
//! ([`escape_html`]) and the date and time formats ([`dates`]).
//!
//! ```
//! use ftdesk_render::{dates, escape_html, Format, Lang};
//! assert_eq!("ko".parse::<Lang>().unwrap(), Lang::Ko);
//! assert_eq!("markdown".parse::<Format>().unwrap(), Format::Markdown);
//! assert_eq!(escape_html("<b>Tom & Jerry</b>"), "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;");
//! assert_eq!(dates::in_zone(1_764_000_000, Some(540)), "2025-11-25 01:00 UTC+09:00");
//! ```

pub mod dates;
mod escape;
pub mod explain;
pub mod format;
mod html;
pub mod josa;
mod json;
pub mod l10n;
mod markdown;
mod parallel;
mod rollup;
pub mod sources;
mod text;
mod view;

use std::str::FromStr;

use ftdesk_core::Report;
use thiserror::Error;

pub use escape::escape_html;
pub use json::JSON_VERSION;
pub use l10n::Localizer;
pub use rollup::{MANY_CHARGES, TOP_CHARGES};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "en-us" | "english" => Ok(Lang::En),
            "ko" | "ko-kr" | "korean" | "한국어" => Ok(Lang::Ko),
            _ => Err(format!("unknown language `{s}`; expected en or ko")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
    Html,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "markdown" | "md" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            _ => Err(format!(
                "unknown format `{s}`; expected text, json, markdown or html"
            )),
        }
    }
}

#[derive(Debug, Error)]
pub enum RenderError {
    #[error("could not write the JSON report: {0}")]
    Json(#[from] serde_json::Error),
    #[error("could not fill the HTML template: {0}")]
    Html(#[from] minijinja::Error),
    #[error("could not write the report: {0}")]
    Io(#[from] std::io::Error),
}

/// How the human layouts show the report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Colour the text layout.
    pub color: bool,
    /// List every charge, even those under half a cent. Without it, over
    /// [`MANY_CHARGES`] charges the text, Markdown and HTML layouts show the
    /// [`TOP_CHARGES`] largest and roll-ups, and below that they sum the
    /// charges under half a cent in one line. The JSON always lists every charge.
    pub all: bool,
}

/// Renders `report` in `format` and `lang`, as [`render_to`] with the
/// default [`Options`]. `color` applies to text only.
pub fn render(
    report: &Report,
    format: Format,
    lang: Lang,
    color: bool,
) -> Result<String, RenderError> {
    let mut out = Vec::new();
    let options = Options { color, all: false };
    render_to(&mut out, report, format, lang, options)?;
    Ok(String::from_utf8(out).expect("the renderers write UTF-8"))
}

/// Writes `report` in `format` and `lang` to `out`; the JSON is streamed,
/// never held whole. Give `out` a buffer: it is written in small pieces.
pub fn render_to(
    out: &mut dyn std::io::Write,
    report: &Report,
    format: Format,
    lang: Lang,
    options: Options,
) -> Result<(), RenderError> {
    let loc = Localizer::new(lang);
    let view = |loc: &Localizer| view::build(loc, report, options.all);
    match format {
        Format::Json => json::write(out, &loc, report)?,
        Format::Text => out.write_all(text::render(&loc, &view(&loc), options.color).as_bytes())?,
        Format::Markdown => out.write_all(markdown::render(&loc, &view(&loc)).as_bytes())?,
        Format::Html => html::write(out, &loc, report, &view(&loc))?,
    }
    Ok(())
}
