//! The upload form's `multipart/form-data` body (RFC 7578), parsed by axum's
//! `Multipart` (the `multer` crate) within the desk's limits: the whole body,
//! the number of parts, and the size of each text field and each file.

use axum::body::{Body, HttpBody};
use axum::extract::multipart::{Field, Multipart, MultipartError};
use axum::extract::{DefaultBodyLimit, FromRequest, Request};

/// One form field: a text value, or a file with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// What one upload may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormLimits {
    /// The whole body, files included.
    pub body: usize,
    /// Parts (fields and files) in the form.
    pub parts: usize,
    /// One text field (the inquiry, the customer's address...).
    pub field: usize,
    /// One file.
    pub file: usize,
}

/// Parts of the upload form: seven fields, the rest billing files.
pub const MAX_PARTS: usize = 64;
/// One text field: far more than any inquiry typed into a form.
pub const MAX_FIELD_BYTES: usize = 256 * 1024;

impl FormLimits {
    /// The upload form's limits for a whole upload of at most `body` bytes.
    pub fn upload(body: usize) -> FormLimits {
        FormLimits {
            body,
            parts: MAX_PARTS,
            field: MAX_FIELD_BYTES.min(body),
            file: body,
        }
    }
}

/// Why a form body is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("the body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the form has more than {0} parts")]
    TooManyParts(usize),
    #[error("the field `{name}` is larger than {limit} bytes")]
    FieldTooLarge { name: String, limit: usize },
    #[error("the file `{name}` is larger than {limit} bytes")]
    FileTooLarge { name: String, limit: usize },
    #[error("not multipart/form-data: {0}")]
    Malformed(String),
}

fn malformed(e: MultipartError) -> FormError {
    FormError::Malformed(e.body_text())
}

/// The parts of a `multipart/form-data` request, read within `limits`.
pub async fn read(request: Request, limits: &FormLimits) -> Result<Vec<Part>, FormError> {
    let (head, body) = request.into_parts();
    let bytes = read_limited(body, limits.body)
        .await
        .ok_or(FormError::TooLarge(limits.body))?;
    let mut request = Request::from_parts(head, Body::from(bytes));
    // The body is already within our limit; without this, axum's 2 MiB default applies.
    DefaultBodyLimit::max(limits.body).apply(&mut request);
    let mut form = Multipart::from_request(request, &())
        .await
        .map_err(|e| FormError::Malformed(e.body_text()))?;
    let mut parts = Vec::new();
    while let Some(field) = form.next_field().await.map_err(malformed)? {
        if parts.len() == limits.parts {
            return Err(FormError::TooManyParts(limits.parts));
        }
        parts.push(part(field, limits).await?);
    }
    Ok(parts)
}

/// One part, read chunk by chunk so an oversized one stops at its limit.
async fn part(mut field: Field<'_>, limits: &FormLimits) -> Result<Part, FormError> {
    let name = field
        .name()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| FormError::Malformed("a part without a name".into()))?
        .to_owned();
    let filename = field.file_name().map(str::to_owned);
    let content_type = field.content_type().unwrap_or("text/plain").to_owned();
    let limit = if filename.is_some() {
        limits.file
    } else {
        limits.field
    };
    let mut data = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(malformed)? {
        if data.len() + chunk.len() > limit {
            return Err(match filename {
                Some(name) => FormError::FileTooLarge { name, limit },
                None => FormError::FieldTooLarge { name, limit },
            });
        }
        data.extend_from_slice(&chunk);
    }
    Ok(Part {
        name,
        filename,
        content_type,
        data,
    })
}

/// Reads a body of at most `limit` bytes. A larger one is read on to its end
/// (within reason) and dropped, so the browser sees the refusal page rather
/// than a connection reset mid-upload.
async fn read_limited(mut body: Body, limit: usize) -> Option<Vec<u8>> {
    let drain = limit.saturating_mul(4).max(64 << 20);
    let (mut data, mut seen) = (Vec::new(), 0usize);
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let Ok(chunk) = frame.ok()?.into_data() else {
            continue;
        };
        seen = seen.saturating_add(chunk.len());
        if seen <= limit {
            data.extend_from_slice(&chunk);
        } else if seen > drain {
            break;
        }
    }
    (seen <= limit).then_some(data)
}

#[cfg(test)]
mod tests;
