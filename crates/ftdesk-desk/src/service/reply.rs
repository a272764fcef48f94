//! A case's reply: the draft checked against the figures, text modules filled
//! in, the message composed, recorded and handed to the SMTP server.

use ftdesk_core::Clock;

use crate::{
    figures, mail, secret, CaseRecord, DeskError, Direction, Draft, MessageRecord, Outgoing,
    SmtpOut, Store,
};

/// The customer's side of a case: its inbound messages' text.
pub fn inquiry_text(messages: &[MessageRecord]) -> String {
    messages
        .iter()
        .filter(|m| m.direction == Direction::In)
        .map(|m| m.body.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Money figures in the draft that neither the report, the composed draft
/// nor the inquiry states (a typo, or an edit the report does not support).
pub fn unsupported_figures(case: &CaseRecord, draft: &Draft, inquiry: &str) -> Vec<String> {
    figures::unsupported(
        &draft.body,
        &[
            case.report_text.as_deref().unwrap_or(""),
            &draft.composed,
            inquiry,
        ],
    )
}

/// A text module's text for a case: `{customer}`, `{case}` and `{amount}` filled in.
pub fn fill_text_module(body: &str, case: &CaseRecord, amount: &str) -> String {
    body.replace("{customer}", case.customer_name.as_deref().unwrap_or(""))
        .replace("{case}", &format!("#{}", case.id))
        .replace("{amount}", amount)
}

/// The reply to a case as a message to `to`, from `mail_from`, in its thread,
/// dated `now`.
pub fn compose_reply(
    store: &Store,
    mail_from: &str,
    case: &CaseRecord,
    draft: &Draft,
    to: &str,
    author_id: i64,
    now: i64,
) -> Result<Outgoing, DeskError> {
    use mail_builder::headers::address::Address;
    use mail_builder::headers::message_id::MessageId;
    // Every header value again without control characters, whatever the store holds.
    let (in_reply_to, references) = store.messages().thread_headers(case.id)?;
    let in_reply_to = in_reply_to.as_deref().map(mail::header_text);
    let references: Vec<String> = references.iter().map(|r| mail::header_text(r)).collect();
    let message_id = format!("desk-{}-{}@ftdesk.desk", case.id, secret::token(8));
    let from = mail::header_text(mail_from);
    let (to, name) = (
        mail::header_text(to),
        case.customer_name.as_deref().map(mail::header_text),
    );
    let subject = mail::header_text(&draft.subject);
    let mut builder = mail_builder::MessageBuilder::new()
        .from(Address::new_address(Some("Free Tier Desk"), from.as_str()))
        .to(Address::new_address(name.as_deref(), to.as_str()))
        .subject(subject.as_str())
        .message_id(message_id.as_str())
        .date(now)
        .text_body(draft.body.as_str());
    if let Some(parent) = &in_reply_to {
        builder = builder
            .in_reply_to(parent.as_str())
            .references(MessageId::from(
                references.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            ));
    }
    let raw = builder
        .write_to_vec()
        .map_err(|e| DeskError::Invalid(format!("the reply could not be written: {e}")))?;
    Ok(Outgoing {
        case_id: case.id,
        message_id,
        in_reply_to,
        references,
        sender: from,
        recipients: vec![to],
        subject,
        body: draft.body.clone(),
        raw,
        author_id,
    })
}

/// Hands a reply recorded as sending (row `row`) to the SMTP server and
/// records the outcome at the time the server answered; `Some(error)` when
/// the server refused it.
pub fn deliver(
    store: &Store,
    smtp_out: &SmtpOut,
    outgoing: &Outgoing,
    row: i64,
    user_id: i64,
    clock: &dyn Clock,
) -> Result<Option<String>, DeskError> {
    let sent = smtp_out
        .relay()
        .and_then(|relay| relay.send_raw(&outgoing.sender, &outgoing.recipients, &outgoing.raw))
        .map_err(|e| e.to_string());
    let failed = sent.as_ref().err().cloned();
    store
        .messages()
        .finish_send(row, sent, user_id, clock.now().unix())?;
    Ok(failed)
}
