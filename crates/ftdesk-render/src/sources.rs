//! `ftdesk sources`: where an account owner gets billing data, what each
//! source gives, costs and needs, and the commands that fetch it. The facts
//! are data (`data/sources.toml`), each with its source.

use serde::Deserialize;

use crate::Lang;

const SOURCES: &str = include_str!("../data/sources.toml");

#[derive(Debug, Deserialize)]
struct File {
    source: Vec<Source>,
}

#[derive(Debug, Deserialize)]
struct Text {
    en: String,
    ko: String,
}

impl Text {
    fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ko => &self.ko,
        }
    }
}

#[derive(Debug, Deserialize)]
struct Source {
    name: Text,
    gives: Text,
    cost: Text,
    history: Text,
    permissions: Vec<String>,
    commands: Vec<String>,
    console: Text,
}

/// The labels of each source's lines.
fn labels(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::En => [
            "Gives",
            "Costs",
            "Goes back",
            "Needs",
            "Console",
            "Commands",
        ],
        Lang::Ko => ["내용", "비용", "기간", "권한", "콘솔", "명령"],
    }
}

/// Every source, as plain text.
pub fn text(lang: Lang) -> String {
    let file: File = toml::from_str(SOURCES).expect("the bundled sources.toml is valid");
    let [gives, costs, back, needs, console, commands] = labels(lang);
    let mut out = String::new();
    for (i, s) in file.source.iter().enumerate() {
        out.push_str(&format!("{}. {}\n", i + 1, s.name.get(lang)));
        out.push_str(&format!("   {gives}: {}\n", s.gives.get(lang)));
        out.push_str(&format!("   {costs}: {}\n", s.cost.get(lang)));
        out.push_str(&format!("   {back}: {}\n", s.history.get(lang)));
        out.push_str(&format!("   {needs}: {}\n", s.permissions.join(", ")));
        out.push_str(&format!("   {console}: {}\n", s.console.get(lang)));
        out.push_str(&format!("   {commands}:\n"));
        for command in &s.commands {
            out.push_str(&format!("     {command}\n"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_has_both_languages_and_a_command() {
        let file: File = toml::from_str(SOURCES).unwrap();
        assert_eq!(file.source.len(), 5);
        for s in &file.source {
            for t in [&s.name, &s.gives, &s.cost, &s.history, &s.console] {
                assert!(!t.en.is_empty() && !t.ko.is_empty());
            }
            assert!(!s.commands.is_empty() && !s.permissions.is_empty());
        }
        assert!(text(Lang::Ko).contains("최근 13개월"));
    }
}
