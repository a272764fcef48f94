//! `multipart/form-data` (RFC 7578) as browsers send it: the upload form's
//! fields and files, read from a body whose size was already limited.

/// One form field: a text value, or a file with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// The boundary of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim().trim_matches('"').to_owned())
        .filter(|b| !b.is_empty() && b.len() <= 200)
}

/// The parts of a body; `None` when it is not well-formed multipart data.
pub fn parse(body: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let mut rest = &body[find(body, delimiter.as_bytes())? + delimiter.len()..];
    let next = format!("\r\n--{boundary}");
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let end = find(rest, next.as_bytes())?;
        parts.push(part(&rest[..end])?);
        rest = &rest[end + next.len()..];
    }
}

fn part(raw: &[u8]) -> Option<Part> {
    let split = find(raw, b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut part = Part {
        name: String::new(),
        filename: None,
        content_type: "text/plain".to_owned(),
        data: raw[split + 4..].to_vec(),
    };
    for line in head.split("\r\n") {
        let (key, value) = line.split_once(':')?;
        if key.trim().eq_ignore_ascii_case("content-type") {
            part.content_type = value.trim().to_owned();
        } else if key.trim().eq_ignore_ascii_case("content-disposition") {
            part.name = parameter(value, "name")?;
            part.filename = parameter(value, "filename");
        }
    }
    (!part.name.is_empty()).then_some(part)
}

/// A quoted (or bare) parameter of a header value; browsers escape `"` as `%22`.
fn parameter(value: &str, key: &str) -> Option<String> {
    let mut rest = value;
    while let Some(at) = rest.find(key) {
        let before = rest[..at].trim_end();
        let after = &rest[at + key.len()..];
        rest = after;
        if !(before.is_empty() || before.ends_with(';')) {
            continue;
        }
        let Some(after) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        let after = after.trim_start();
        let found = match after.strip_prefix('"') {
            Some(quoted) => &quoted[..quoted.find('"')?],
            None => after.split(';').next().unwrap_or("").trim(),
        };
        return Some(found.replace("%22", "\""));
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\n\
Content-Disposition: form-data; name=\"csrf\"\r\n\r\n\
token\r\n\
--XyZ\r\n\
Content-Disposition: form-data; name=\"billing\"; filename=\"a%22b.csv\"\r\n\
Content-Type: text/csv\r\n\r\n\
x,y\r\n1,2\r\n\
--XyZ\r\n\
Content-Disposition: form-data; name=\"eml\"; filename=\"\"\r\n\
Content-Type: application/octet-stream\r\n\r\n\
\r\n\
--XyZ--\r\n";

    #[test]
    fn reads_fields_and_files() {
        let b = boundary("multipart/form-data; boundary=XyZ").unwrap();
        let parts = parse(BODY, &b).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].name, "csrf");
        assert_eq!(parts[0].data, b"token");
        assert_eq!(parts[0].filename, None);
        assert_eq!(parts[1].name, "billing");
        assert_eq!(parts[1].content_type, "text/csv");
        assert_eq!(parts[1].filename.as_deref(), Some("a\"b.csv"));
        assert_eq!(parts[1].data, b"x,y\r\n1,2");
        assert_eq!(parts[2].filename.as_deref(), Some(""));
        assert!(parts[2].data.is_empty());
    }

    #[test]
    fn refuses_what_is_not_multipart() {
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert_eq!(boundary("multipart/form-data"), None);
        assert_eq!(parse(b"no boundary here", "XyZ"), None);
        assert_eq!(
            parse(
                b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
                "XyZ"
            ),
            None
        );
    }
}
