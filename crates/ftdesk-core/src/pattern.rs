//! Usage-type names and the glob patterns the catalogue matches them with.

/// Matches `text` against a pattern where `*` stands for any run of characters.
/// Matching is case-sensitive, as AWS usage types are.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        assert!(glob_match("BoxUsage:t2.micro", "BoxUsage:t2.micro"));
        assert!(!glob_match("BoxUsage:t2.micro", "BoxUsage:t2.micro2"));
        assert!(glob_match("BoxUsage:*", "BoxUsage:t3.small"));
        assert!(glob_match("*-AWS-Out-Bytes", "CAN1-AWS-Out-Bytes"));
        assert!(glob_match("EBS:*.gp3", "EBS:VolumeUsage.gp3"));
        assert!(!glob_match("EBS:*.gp3", "EBS:VolumeUsage.gp2"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("a*a", "a"));
        assert!(glob_match("a*b*c", "aXbYc"));
    }
}
