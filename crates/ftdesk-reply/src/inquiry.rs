//! The customer's message: plain text or an RFC 5322 message in any charset.

use ftdesk_core::{Month, Timestamp};
use ftdesk_render::Lang;
use mail_parser::{Message, MessageParser, MimeHeaders};
use rust_decimal::Decimal;

use crate::amount;
use crate::lang;
use crate::month::{self, MonthMention};
use crate::name;
use crate::ReplyError;

/// What a reply needs from the customer's message.
#[derive(Debug, Clone, PartialEq)]
pub struct Inquiry {
    /// The customer's name, from the From header or the signature.
    pub name: Option<String>,
    /// The amount the customer quotes (the largest one in the message).
    pub amount: Option<Decimal>,
    /// Its currency code (`USD`, `KRW`, `EUR`).
    pub currency: Option<String>,
    /// The billing month the customer means, placed in its year where possible.
    pub month: Option<Month>,
    /// The month as written, when it could not be placed (no Date header).
    pub month_mention: Option<MonthMention>,
    /// The language the customer wrote in.
    pub lang: Lang,
    /// Share of Hangul among the letters, the evidence for `lang`.
    pub hangul_share: f64,
    pub subject: Option<String>,
    /// The sender's address.
    pub from: Option<String>,
    pub message_id: Option<String>,
    /// When the message was written (its Date header).
    pub date: Option<Timestamp>,
    pub body: String,
}

impl Inquiry {
    /// Reads a message or plain text. Refuses empty input and input with no readable text.
    pub fn parse(bytes: &[u8]) -> Result<Inquiry, ReplyError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ReplyError::EmptyInquiry);
        }
        if looks_like_message(bytes) {
            Self::from_message(bytes)
        } else {
            Ok(Self::from_text(decode_text(bytes)?))
        }
    }

    /// An inquiry from text alone (no headers).
    pub fn from_text(body: String) -> Inquiry {
        Self::build(body, Headers::default())
    }

    fn from_message(bytes: &[u8]) -> Result<Inquiry, ReplyError> {
        let message = MessageParser::default()
            .parse(bytes)
            .ok_or(ReplyError::Undecodable(
                "it is not a readable e-mail message".into(),
            ))?;
        let body = message_text(&message)?;
        Ok(Self::build(body, Headers::of(&message)))
    }

    fn build(body: String, headers: Headers) -> Inquiry {
        let body = body.replace("\r\n", "\n");
        let searched = format!("{}\n{}", headers.subject.as_deref().unwrap_or(""), body);
        let quoted = amount::find_main(&searched);
        let mention = month::find(&searched);
        let written = headers.date.map(Timestamp::month);
        let month = mention.and_then(|m| m.resolve(written));
        let share = lang::hangul_share(&searched);
        Inquiry {
            name: headers.name.or_else(|| name::from_body(&body)),
            amount: quoted.as_ref().map(|q| q.amount),
            currency: quoted.map(|q| q.currency),
            month,
            month_mention: mention.filter(|_| month.is_none()),
            lang: lang::detect(&searched),
            hangul_share: share,
            subject: headers.subject,
            from: headers.from,
            message_id: headers.message_id,
            date: headers.date,
            body: body.trim().to_owned(),
        }
    }
}

#[derive(Debug, Default)]
struct Headers {
    name: Option<String>,
    from: Option<String>,
    subject: Option<String>,
    message_id: Option<String>,
    date: Option<Timestamp>,
}

impl Headers {
    fn of(message: &Message<'_>) -> Headers {
        let sender = message.from().and_then(|a| a.first());
        Headers {
            name: sender
                .and_then(|a| a.name())
                .map(|n| n.trim().trim_matches('"').trim().to_owned())
                .filter(|n| !n.is_empty() && !n.contains('@')),
            from: sender.and_then(|a| a.address()).map(str::to_owned),
            subject: message.subject().map(|s| s.trim().to_owned()),
            message_id: message.message_id().map(str::to_owned),
            date: message
                .date()
                .map(|d| Timestamp::from_unix(d.to_timestamp())),
        }
    }
}

/// A message starts with header fields: `Name: value` lines, one of them a
/// field every message has.
fn looks_like_message(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]);
    let header_block = head.split("\n\n").next().unwrap_or("").replace("\r", "");
    let first = header_block.lines().next().unwrap_or("");
    let is_field = |line: &str| {
        line.split_once(':').is_some_and(|(name, _)| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
    };
    let known = [
        "from:",
        "subject:",
        "date:",
        "mime-version:",
        "message-id:",
        "received:",
        "to:",
    ];
    is_field(first)
        && header_block
            .lines()
            .any(|l| known.iter().any(|k| l.to_ascii_lowercase().starts_with(k)))
}

/// Plain text in UTF-8, or in EUC-KR/CP949 as older Korean Windows tools save it.
fn decode_text(bytes: &[u8]) -> Result<String, ReplyError> {
    if bytes.contains(&0) {
        return Err(ReplyError::Undecodable(
            "it contains binary data, not text".into(),
        ));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    encoding_rs::EUC_KR
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| t.into_owned())
        .ok_or(ReplyError::Undecodable(
            "it is neither UTF-8 nor EUC-KR text; save it as UTF-8 or as the original .eml".into(),
        ))
}

/// The message's text: its text/plain part, or its HTML part reduced to text.
fn message_text(message: &Message<'_>) -> Result<String, ReplyError> {
    let has_text_part = message
        .text_body
        .iter()
        .chain(&message.html_body)
        .any(|id| {
            message.part(*id).is_some_and(|p| {
                p.is_text() && p.content_type().is_none_or(|ct| ct.ctype() == "text")
            })
        });
    let text = has_text_part
        .then(|| message.body_text(0))
        .flatten()
        .map(|t| t.into_owned())
        .unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ReplyError::Undecodable(
            "the message has no readable text part (only attachments or an empty body)".into(),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn plain_english_text() {
        let inquiry = Inquiry::parse(
            b"Hi, I was charged $19.63 for November 2025 and I thought it was free.\n\nThanks,\nJane Doe\n",
        )
        .unwrap();
        assert_eq!(inquiry.name.as_deref(), Some("Jane Doe"));
        assert_eq!(inquiry.amount, Some(dec("19.63")));
        assert_eq!(inquiry.currency.as_deref(), Some("USD"));
        assert_eq!(inquiry.month, Some("2025-11".parse().unwrap()));
        assert_eq!(inquiry.lang, Lang::En);
        assert!(inquiry.subject.is_none());
    }

    #[test]
    fn quoted_printable_korean_message() {
        let eml = "From: =?UTF-8?B?6rmA66+87IiY?= <minsu@example.com>\r\n\
Subject: =?UTF-8?B?7JqU6riIIOusuOydmA==?=\r\n\
Date: Wed, 3 Dec 2025 09:00:00 +0900\r\n\
Message-ID: <q1@example.com>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
=EC=A7=80=EB=82=9C=EB=8B=AC 19.63=EB=8B=AC=EB=9F=AC=EA=B0=80 =EC=B2=AD=EA=B5=AC=EB=90=98=EC=97=88=EC=8A=B5=EB=8B=88=EB=8B=A4.\r\n";
        let inquiry = Inquiry::parse(eml.as_bytes()).unwrap();
        assert_eq!(inquiry.name.as_deref(), Some("김민수"));
        assert_eq!(inquiry.subject.as_deref(), Some("요금 문의"));
        assert_eq!(inquiry.from.as_deref(), Some("minsu@example.com"));
        assert_eq!(inquiry.body, "지난달 19.63달러가 청구되었습니다.");
        assert_eq!(inquiry.amount, Some(dec("19.63")));
        assert_eq!(inquiry.month, Some("2025-11".parse().unwrap()));
        assert_eq!(inquiry.lang, Lang::Ko);
        assert_eq!(inquiry.message_id.as_deref(), Some("q1@example.com"));
    }

    #[test]
    fn euc_kr_plain_text() {
        let (bytes, _, _) = encoding_rs::EUC_KR.encode("11월 요금이 나왔습니다");
        let inquiry = Inquiry::parse(&bytes).unwrap();
        assert_eq!(inquiry.body, "11월 요금이 나왔습니다");
        assert_eq!(inquiry.month_mention, Some(MonthMention::Named(11)));
        assert_eq!(inquiry.month, None);
    }

    #[test]
    fn html_only_message() {
        let eml = b"From: Jane Doe <jane@example.com>\r\nSubject: bill\r\nMIME-Version: 1.0\r\n\
Content-Type: text/html; charset=iso-8859-1\r\n\r\n<p>Why was I charged 8.56 USD in October 2025?</p>\r\n";
        let inquiry = Inquiry::parse(eml).unwrap();
        assert_eq!(inquiry.name.as_deref(), Some("Jane Doe"));
        assert_eq!(inquiry.amount, Some(dec("8.56")));
        assert_eq!(inquiry.month, Some("2025-10".parse().unwrap()));
        assert!(!inquiry.body.contains("<p>"), "{}", inquiry.body);
    }

    #[test]
    fn refusals() {
        assert!(matches!(
            Inquiry::parse(b" \n\t"),
            Err(ReplyError::EmptyInquiry)
        ));
        assert!(matches!(
            Inquiry::parse(b"\x00\x01\xff\xfe"),
            Err(ReplyError::Undecodable(_))
        ));
        let attachment_only = b"From: a@example.com\r\nSubject: bill\r\nMIME-Version: 1.0\r\n\
Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n";
        assert!(matches!(
            Inquiry::parse(attachment_only),
            Err(ReplyError::Undecodable(_))
        ));
    }
}
