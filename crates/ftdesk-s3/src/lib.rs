//! `s3://bucket/prefix` for ftdesk: an [`ftdesk_io::Store`] over the official
//! AWS SDK, so report folders in S3 are read by the same code as folders on
//! disk. Objects are listed page by page and streamed chunk by chunk; Parquet
//! footers and row groups are fetched with ranged GETs.
//!
//! Credentials and endpoints come from the standard AWS chain, including
//! `AWS_ENDPOINT_URL_S3` for S3-compatible servers (then path-style addressing
//! is used, as such servers expect).
//!
//! It only lists and reads objects: what they mean is `ftdesk_io`'s.
//!
//! ```
//! let (bucket, prefix) = ftdesk_s3::parse_url("s3://billing/cur/daily/")?;
//! assert_eq!((bucket.as_str(), prefix.as_str()), ("billing", "cur/daily/"));
//! assert!(ftdesk_s3::parse_url("billing/cur/").is_err());
//! # Ok::<(), ftdesk_s3::S3Error>(())
//! ```

#[cfg(not(feature = "sdk"))]
mod absent;
#[cfg(feature = "sdk")]
mod client;

#[cfg(not(feature = "sdk"))]
pub use absent::S3Store;
#[cfg(feature = "sdk")]
pub use client::S3Store;

use ftdesk_io::ObjectMeta;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum S3Error {
    #[error("`{0}` is not an S3 URL; expected s3://bucket/prefix")]
    NotS3Url(String),
    #[error("could not start the S3 client: {0}")]
    Start(String),
    #[error(transparent)]
    NotBuilt(#[from] ftdesk_aws::NotBuilt),
}

/// Splits `s3://bucket/some/prefix` into bucket and key prefix.
pub fn parse_url(url: &str) -> Result<(String, String), S3Error> {
    let rest = url
        .strip_prefix("s3://")
        .ok_or_else(|| S3Error::NotS3Url(url.to_owned()))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(S3Error::NotS3Url(url.to_owned()));
    }
    Ok((bucket.to_owned(), prefix.to_owned()))
}

/// An object of a listing and its ETag (quotes included, as S3 sends it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedObject {
    pub meta: ObjectMeta,
    pub etag: String,
}

#[cfg(test)]
mod tests {
    use super::parse_url;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("s3://b/exports/cur2/").unwrap(),
            ("b".into(), "exports/cur2/".into())
        );
        assert_eq!(parse_url("s3://b").unwrap(), ("b".into(), String::new()));
        assert!(parse_url("s3:///x").is_err());
        assert!(parse_url("/tmp/x").is_err());
    }
}
