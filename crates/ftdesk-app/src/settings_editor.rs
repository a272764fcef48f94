//! The candidate's editor, for the interview's `:e` and `--editor`: a narrow
//! accessor beside [`Settings`], the variables listed in its `VARIABLES`.

use crate::Settings;

pub const VISUAL: &str = "VISUAL";
pub const EDITOR: &str = "EDITOR";

impl Settings {
    /// The editor command: `VISUAL`, else `EDITOR` (empty counts as unset).
    pub fn editor(&self) -> Option<String> {
        [VISUAL, EDITOR]
            .into_iter()
            .find_map(|name| self.var(name).filter(|v| !v.trim().is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_is_visual_then_editor() {
        let editor = |pairs: &[(&str, &str)]| Settings::from_pairs(pairs).editor();
        assert_eq!(editor(&[]), None);
        assert_eq!(editor(&[(EDITOR, "nano")]), Some("nano".into()));
        let both = [(EDITOR, "nano"), (VISUAL, "code --wait")];
        assert_eq!(editor(&both), Some("code --wait".into()));
        assert_eq!(
            editor(&[(EDITOR, "nano"), (VISUAL, " ")]),
            Some("nano".into())
        );
    }
}
