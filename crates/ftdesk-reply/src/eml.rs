//! The reply as an RFC 5322 message: text and HTML alternatives in UTF-8.

use mail_builder::headers::address::Address;
use mail_builder::MessageBuilder;

use crate::compose::Reply;
use crate::inquiry::Inquiry;
use crate::ReplyError;

/// Who the draft is from, as `Name <address>` parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub name: String,
    pub address: String,
}

impl Default for Sender {
    fn default() -> Self {
        Sender {
            name: "AWS Support".to_owned(),
            address: "support@example.invalid".to_owned(),
        }
    }
}

/// Writes `reply` as a message to the inquiry's sender, threaded under its
/// Message-ID. `date` is the Date header (seconds since the epoch).
pub fn render(
    reply: &Reply,
    inquiry: &Inquiry,
    sender: &Sender,
    date: i64,
) -> Result<Vec<u8>, ReplyError> {
    let mut builder = MessageBuilder::new()
        .from(Address::new_address(
            Some(sender.name.as_str()),
            sender.address.as_str(),
        ))
        .subject(reply.subject.as_str())
        .date(date)
        .message_id(message_id(reply, date))
        .text_body(reply.text.as_str())
        .html_body(reply.html.as_str());
    if let Some(to) = &inquiry.from {
        builder = builder.to(Address::new_address(inquiry.name.as_deref(), to.as_str()));
    }
    if let Some(id) = &inquiry.message_id {
        builder = builder.in_reply_to(id.as_str()).references(id.as_str());
    }
    builder.write_to_vec().map_err(ReplyError::Eml)
}

/// A stable id from the date and the text, so the same draft gets the same id.
fn message_id(reply: &Reply, date: i64) -> String {
    let hash = reply.text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("ftdesk-reply-{date}-{hash:016x}@example.invalid")
}
