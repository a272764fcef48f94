//! Reading an inbound e-mail: its threading headers, text and attachments.

use mail_parser::{MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use crate::DeskError;

/// What the desk keeps of an inbound message.
#[derive(Debug, Clone)]
pub struct Inbound {
    /// Without angle brackets; made from the content's hash when the message has none.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    /// Oldest first, as in the References header.
    pub references: Vec<String>,
    pub from: Option<String>,
    pub from_name: Option<String>,
    /// The addresses in `Cc`.
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

impl Attachment {
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(&self.data))
    }

    /// Whether the desk hands this file to the accounting: billing exports and
    /// Free Tier API JSON, recognised by name.
    pub fn is_billing_data(&self) -> bool {
        let name = self.filename.to_ascii_lowercase();
        [".csv", ".csv.gz", ".parquet", ".json", ".gz"]
            .iter()
            .any(|ext| name.ends_with(ext))
    }
}

/// A header value as the desk keeps and writes it: control characters (CR and
/// LF above all, which could start a header of their own) become spaces.
pub fn header_text(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Whether `value` is one bare e-mail address (`jane@example.com`): no
/// spaces, no display name, no list, exactly one `@` with text either side.
pub fn is_one_address(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let allowed = |c: char| !c.is_whitespace() && !c.is_control() && !"<>,;:\"()[]\\@".contains(c);
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && local.chars().all(allowed)
        && domain.chars().all(allowed)
}

/// Parses a message; refuses what is not one (no header block, or no sender).
/// Every header value kept is [`header_text`]: an encoded word may hold CR/LF.
pub fn parse(raw: &[u8]) -> Result<Inbound, DeskError> {
    let malformed = |why: &str| DeskError::Malformed(why.to_owned());
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or_else(|| malformed("it is not an RFC 5322 message (no header block)"))?;
    let from = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(header_text);
    if from.is_none() {
        return Err(malformed("it has no From address"));
    }
    let from_name = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.name())
        .map(header_text);
    let cc = message
        .cc()
        .map(|list| {
            list.iter()
                .filter_map(|a| a.address())
                .map(header_text)
                .collect()
        })
        .unwrap_or_default();
    let message_id = message
        .message_id()
        .map(header_text)
        .unwrap_or_else(|| format!("{}@ftdesk.desk", &hex::encode(Sha256::digest(raw))[..32]));
    let in_reply_to = message.in_reply_to().as_text().map(header_text);
    let references = message
        .references()
        .as_text_list()
        .map(|list| list.iter().map(|s| header_text(s)).collect())
        .unwrap_or_default();
    let body = message
        .body_text(0)
        .map(|b| b.replace("\r\n", "\n"))
        .unwrap_or_default();
    let attachments = message
        .attachments()
        .enumerate()
        .map(|(index, part)| Attachment {
            filename: part
                .attachment_name()
                .map(safe_filename)
                .unwrap_or_else(|| format!("attachment-{}", index + 1)),
            content_type: part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub),
                    None => ct.ctype().to_owned(),
                })
                .unwrap_or_else(|| "application/octet-stream".to_owned()),
            data: part.contents().to_vec(),
        })
        .collect();
    Ok(Inbound {
        message_id,
        in_reply_to,
        references,
        from,
        from_name,
        cc,
        subject: header_text(message.subject().unwrap_or("")),
        body,
        attachments,
    })
}

/// The last path component, without characters that could leave a folder.
pub fn safe_filename(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && *c != ':')
        .collect();
    match cleaned.trim_matches('.') {
        "" => "attachment".to_owned(),
        _ => cleaned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIL: &str = "From: Jane Doe <jane@example.com>\r\nTo: desk@example.com\r\n\
Subject: My bill\r\nMessage-ID: <abc@example.com>\r\nIn-Reply-To: <prev@example.com>\r\n\
References: <first@example.com> <prev@example.com>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\
Why was I charged?\r\n--b\r\nContent-Type: text/csv\r\n\
Content-Disposition: attachment; filename=\"../../etc/bill.csv\"\r\n\r\na,b\r\n1,2\r\n--b--\r\n";

    #[test]
    fn reads_threading_headers_text_and_attachments() {
        let mail = parse(MAIL.as_bytes()).unwrap();
        assert_eq!(mail.message_id, "abc@example.com");
        assert_eq!(mail.in_reply_to.as_deref(), Some("prev@example.com"));
        assert_eq!(mail.references, ["first@example.com", "prev@example.com"]);
        assert_eq!(mail.from.as_deref(), Some("jane@example.com"));
        assert_eq!(mail.from_name.as_deref(), Some("Jane Doe"));
        assert!(mail.body.contains("Why was I charged?"));
        assert_eq!(mail.attachments.len(), 1);
        let file = &mail.attachments[0];
        assert_eq!(file.filename, "bill.csv", "no path leaves the name");
        assert!(file.is_billing_data());
        assert_eq!(file.data, b"a,b\r\n1,2");
        assert_eq!(file.sha256().len(), 64);
    }

    #[test]
    fn refuses_what_is_not_a_message() {
        let err = parse(b"just some words\n").unwrap_err();
        assert!(matches!(err, DeskError::Malformed(_)), "{err}");
        let err = parse(b"Subject: no sender\r\n\r\nbody\r\n").unwrap_err();
        assert!(err.to_string().contains("no From address"), "{err}");
        let err = parse(b"").unwrap_err();
        assert!(err.to_string().contains("not an RFC 5322"), "{err}");
    }

    #[test]
    fn one_address_is_one_bare_address() {
        assert!(is_one_address("jane@example.com"));
        assert!(is_one_address("j.doe+bill@mail.example.co.kr"));
        for bad in [
            "",
            "jane",
            "jane@",
            "@example.com",
            "jane@localhost",
            "jane@example.com  Bcc: x@evil.example",
            "Jane <jane@example.com>",
            "jane@example.com,x@evil.example",
            "jane@@example.com",
        ] {
            assert!(!is_one_address(bad), "{bad}");
        }
    }

    #[test]
    fn header_values_lose_their_control_characters() {
        let raw = "From: =?us-ascii?Q?Eve=0D=0ABcc:_x@evil.example?= <eve@example.com>\r\n\
Cc: Bob <bob@example.com>\r\nSubject: =?us-ascii?Q?Invoice=0D=0AReply-To:_x@evil.example?=\r\n\r\nbody\r\n";
        let mail = parse(raw.as_bytes()).unwrap();
        assert_eq!(mail.subject, "Invoice  Reply-To: x@evil.example");
        assert_eq!(mail.from_name.as_deref(), Some("Eve  Bcc: x@evil.example"));
        assert_eq!(mail.cc, ["bob@example.com"]);
        assert_eq!(header_text("\ta\u{7f}b\u{85}\r\n"), "a b");
    }

    #[test]
    fn a_message_without_id_gets_a_stable_one() {
        let raw = b"From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n";
        let one = parse(raw).unwrap().message_id;
        assert_eq!(one, parse(raw).unwrap().message_id);
        assert!(one.ends_with("@ftdesk.desk"));
    }
}
