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
pub mod sources;
mod text;
mod view;

use std::str::FromStr;

use ftdesk_core::Report;
use thiserror::Error;

pub use escape::escape_html;
pub use json::JSON_VERSION;
pub use l10n::Localizer;

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
}

/// Renders `report` in `format` and `lang`. `color` applies to text only.
pub fn render(
    report: &Report,
    format: Format,
    lang: Lang,
    color: bool,
) -> Result<String, RenderError> {
    let loc = Localizer::new(lang);
    Ok(match format {
        Format::Json => json::render(&loc, report)?,
        Format::Text => text::render(&loc, &view::build(&loc, report), color),
        Format::Markdown => markdown::render(&loc, &view::build(&loc, report)),
        Format::Html => {
            let view = view::build(&loc, report);
            html::render(&loc, report, &view)?
        }
    })
}
