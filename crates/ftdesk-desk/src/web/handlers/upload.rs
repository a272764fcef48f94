//! A case from the browser: the upload form.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use minijinja::{context, Value};
use serde::Serialize;

use super::{blocking, internal, lang_of, AppState, Page};
use crate::web::multipart::{self, FormError, FormLimits, Part};
use crate::{mail, secret, service, DeskError, Session};

// --- a case from the browser ---------------------------------------------------

/// What the upload form holds, kept to fill it again after a refusal.
#[derive(Default, Serialize)]
struct UploadFields {
    customer: String,
    name: String,
    subject: String,
    inquiry: String,
}

pub async fn upload_page(State(state): State<AppState>, headers: HeaderMap) -> Page {
    blocking(move || {
        let session = state.session(&headers)?;
        upload_form(
            &state,
            &session,
            StatusCode::OK,
            None,
            &UploadFields::default(),
        )
    })
    .await
}

fn upload_form(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    error: Option<String>,
    fields: &UploadFields,
) -> Page {
    let lang = lang_of(&session.user.lang);
    let title = state.words.get(lang, "upload-title");
    let limit = megabytes(state.config.max_upload);
    let ctx = context! {
        fields => Value::from_serialize(fields), error, limit, ..state.base(session, title)
    };
    Ok(state.render(status, "upload.html", lang, ctx))
}

fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u64 * 10).div_ceil(1024 * 1024);
    format!("{}.{} MiB", tenths / 10, tenths % 10)
}

/// Why an upload is refused: the status and the message shown above the form.
struct Refusal {
    status: StatusCode,
    id: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Refusal {
    fn new(status: StatusCode, id: &'static str) -> Refusal {
        Refusal {
            status,
            id,
            args: Vec::new(),
        }
    }

    fn with(mut self, key: &'static str, value: impl Into<String>) -> Refusal {
        self.args.push((key, value.into()));
        self
    }
}

/// Creates a case from the upload form: the inquiry as text or an `.eml`
/// file, plus billing files; analysed before it is stored, like `desk import`.
pub async fn upload(State(state): State<AppState>, request: Request) -> Page {
    let headers = request.headers().clone();
    let session = {
        let (state, headers) = (state.clone(), headers.clone());
        blocking(move || state.session(&headers)).await?
    };
    let refuse = |refusal: Refusal, fields: &UploadFields| {
        let lang = lang_of(&session.user.lang);
        let args: Vec<(&str, &str)> = refusal.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let error = state.words.format(lang, refusal.id, &args);
        upload_form(&state, &session, refusal.status, Some(error), fields)
    };
    let parts = match upload_parts(request, state.config.max_upload).await {
        Ok(parts) => parts,
        Err(refusal) => return refuse(refusal, &UploadFields::default()),
    };
    {
        let (state, session, csrf) = (state.clone(), session.clone(), field(&parts, "csrf"));
        blocking(move || state.check_csrf(&session, &csrf)).await?;
    }
    let fields = UploadFields {
        customer: mail::header_text(&field(&parts, "customer")),
        name: mail::header_text(&field(&parts, "name")),
        subject: mail::header_text(&field(&parts, "subject")),
        inquiry: field(&parts, "inquiry"),
    };
    let prepared = billing_files(&parts)
        .and_then(|billing| Ok((inquiry_raw(&state, &parts, &fields)?, billing)));
    let (raw, billing) = match prepared {
        Ok(prepared) => prepared,
        Err(refusal) => return refuse(refusal, &fields),
    };
    let (store, analyst, clock) = (
        state.store.clone(),
        state.analyst.clone(),
        state.clock.clone(),
    );
    let stored = tokio::task::spawn_blocking(move || {
        service::intake_checked(&store, analyst.as_ref(), &raw, &billing, clock.now().unix())
    })
    .await
    .map_err(internal)?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    match stored {
        Ok(intake) => {
            let (user, case) = (Some(session.user.id), Some(intake.case_id));
            let (store, clock) = (state.store.clone(), state.clock.clone());
            blocking(move || {
                store
                    .audit()
                    .record(user, "case-uploaded", case, "", clock.now().unix())
                    .map_err(internal)
            })
            .await?;
            Ok(Redirect::to(&format!("/cases/{}", intake.case_id)).into_response())
        }
        Err(DeskError::Malformed(why)) => refuse(
            Refusal::new(unprocessable, "upload-bad-eml").with("why", why),
            &fields,
        ),
        Err(DeskError::Invalid(why)) => refuse(
            Refusal::new(unprocessable, "upload-bad-billing").with("why", why),
            &fields,
        ),
        Err(e) => Err(internal(e)),
    }
}

/// The form's parts, within the upload's limits.
async fn upload_parts(request: Request, limit: usize) -> Result<Vec<Part>, Refusal> {
    let too_large = StatusCode::PAYLOAD_TOO_LARGE;
    multipart::read(request, &FormLimits::upload(limit))
        .await
        .map_err(|e| match e {
            FormError::TooLarge(_) => {
                Refusal::new(too_large, "upload-too-large").with("limit", megabytes(limit))
            }
            FormError::TooManyParts(parts) => {
                Refusal::new(too_large, "upload-too-many-parts").with("parts", parts.to_string())
            }
            FormError::FieldTooLarge { name, limit } | FormError::FileTooLarge { name, limit } => {
                Refusal::new(too_large, "upload-part-too-large")
                    .with("part", name)
                    .with("limit", megabytes(limit))
            }
            FormError::Malformed(why) => {
                Refusal::new(StatusCode::BAD_REQUEST, "upload-not-multipart").with("why", why)
            }
        })
}

/// A text field, trimmed, with the browser's CRLF as LF.
fn field(parts: &[Part], name: &str) -> String {
    parts
        .iter()
        .find(|p| p.name == name && p.filename.is_none())
        .map(|p| {
            String::from_utf8_lossy(&p.data)
                .trim()
                .replace("\r\n", "\n")
        })
        .unwrap_or_default()
}

/// The files chosen in a file input (an empty one sends a part with an empty file name).
fn files<'a>(parts: &'a [Part], name: &str) -> Vec<&'a Part> {
    parts
        .iter()
        .filter(|p| p.name == name && p.filename.as_deref().is_some_and(|f| !f.is_empty()))
        .collect()
}

/// The billing files; one that is not billing data by its name refuses the upload.
fn billing_files(parts: &[Part]) -> Result<Vec<mail::Attachment>, Refusal> {
    files(parts, "billing")
        .into_iter()
        .map(|part| {
            let file = mail::Attachment {
                filename: mail::safe_filename(part.filename.as_deref().unwrap_or("")),
                content_type: part.content_type.clone(),
                data: part.data.clone(),
            };
            if file.is_billing_data() {
                Ok(file)
            } else {
                Err(
                    Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "upload-not-billing")
                        .with("file", file.filename),
                )
            }
        })
        .collect()
}

/// The inquiry as a message: the `.eml` file, else the typed text as the customer's e-mail.
fn inquiry_raw(
    state: &AppState,
    parts: &[Part],
    fields: &UploadFields,
) -> Result<Vec<u8>, Refusal> {
    if let Some(eml) = files(parts, "eml").first() {
        return Ok(eml.data.clone());
    }
    if fields.inquiry.is_empty() || fields.customer.is_empty() {
        return Err(Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "upload-no-inquiry",
        ));
    }
    if !mail::is_one_address(&fields.customer) {
        return Err(
            Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, "upload-bad-customer")
                .with("customer", fields.customer.clone()),
        );
    }
    inquiry_message(state, fields).map_err(|e| {
        tracing::error!("desk: the uploaded inquiry could not be written as a message: {e}");
        Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "upload-failed")
    })
}

/// The typed inquiry as the customer's e-mail, so it takes the path every case takes.
fn inquiry_message(state: &AppState, fields: &UploadFields) -> Result<Vec<u8>, std::io::Error> {
    use mail_builder::headers::address::Address;
    let name = Some(fields.name.as_str()).filter(|n| !n.is_empty());
    let subject = Some(fields.subject.as_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("(no subject)");
    mail_builder::MessageBuilder::new()
        .from(Address::new_address(name, fields.customer.as_str()))
        .to(state.config.mail_from.as_str())
        .subject(subject)
        .message_id(format!("upload-{}@ftdesk.desk", secret::token(8)))
        .date(state.now())
        .text_body(fields.inquiry.as_str())
        .write_to_vec()
}
