//! Text modules: short texts an associate inserts into a draft.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::audit::audit_in;
use super::Store;
use crate::{DeskError, User};

#[derive(Debug, Clone, Serialize)]
pub struct TextModule {
    pub id: i64,
    pub name: String,
    pub lang: String,
    pub body: String,
}

/// The text modules a new desk starts with; where they come from is noted in the file.
const SEED: &str = include_str!("../../data/seed/text-modules.toml");

#[derive(Debug, Deserialize)]
pub struct SeedModule {
    pub name: String,
    pub lang: String,
    pub body: String,
}

#[derive(Deserialize)]
struct SeedFile {
    module: Vec<SeedModule>,
}

/// The seed text modules, as the data file holds them.
pub fn seed_text_modules() -> Vec<SeedModule> {
    toml::from_str::<SeedFile>(SEED)
        .expect("the embedded seed file parses; a test reads it")
        .module
}

/// The text modules of the desk's one database.
pub struct TextModules<'s>(pub(super) &'s Store);

impl TextModules<'_> {
    /// Every module, or those of one language; by name, then language.
    pub fn list(&self, lang: Option<&str>) -> Result<Vec<TextModule>, DeskError> {
        let conn = self.0.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, lang, body FROM text_modules WHERE ?1 IS NULL OR lang = ?1 ORDER BY name, lang",
        )?;
        let modules = stmt
            .query_map([lang], |r| {
                Ok(TextModule {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    lang: r.get(2)?,
                    body: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(modules)
    }

    pub fn save(
        &self,
        name: &str,
        lang: &str,
        body: &str,
        user: &User,
        now: i64,
    ) -> Result<(), DeskError> {
        if name.trim().is_empty() || body.trim().is_empty() {
            return Err(DeskError::Invalid(
                "a text module needs a name and a text".into(),
            ));
        }
        if !["en", "ko"].contains(&lang) {
            return Err(DeskError::Invalid(format!(
                "language `{lang}`: expected en or ko"
            )));
        }
        let conn = self.0.conn();
        conn.execute(
            "INSERT INTO text_modules (name, lang, body, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name, lang) DO UPDATE SET body = ?3, updated_at = ?4",
            params![name.trim(), lang, body.replace("\r\n", "\n"), now],
        )?;
        audit_in(
            &conn,
            now,
            Some(user.id),
            "text-module-saved",
            None,
            &format!("{name} ({lang})"),
        )?;
        Ok(())
    }
}

/// Adds the seed modules a desk does not have yet.
pub(super) fn seed(conn: &Connection, now: i64) -> Result<(), DeskError> {
    for module in seed_text_modules() {
        conn.execute(
            "INSERT OR IGNORE INTO text_modules (name, lang, body, updated_at) VALUES (?1, ?2, ?3, ?4)",
            params![module.name, module.lang, module.body, now],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_seed_file_holds_each_module_in_english_and_korean() {
        let seed = super::seed_text_modules();
        let names: Vec<(&str, &str)> = seed
            .iter()
            .map(|m| (m.name.as_str(), m.lang.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("budget-alert", "en"),
                ("budget-alert", "ko"),
                ("closing", "en"),
                ("closing", "ko")
            ]
        );
        assert!(seed[2].body.contains("{case}"), "{}", seed[2].body);
    }
}
