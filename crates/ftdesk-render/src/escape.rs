//! The one HTML escaper for HTML the program builds by hand (the report's
//! HTML goes through minijinja's auto-escaping instead).

/// `s` safe inside an HTML element or a double-quoted attribute value.
pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_become_entities() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/a&gt;"
        );
    }

    #[test]
    fn an_entity_is_escaped_once_more_not_kept() {
        assert_eq!(escape_html("&amp;"), "&amp;amp;");
    }
}
