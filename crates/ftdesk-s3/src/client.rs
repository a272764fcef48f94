//! The S3 store over the official AWS SDK.

use std::io::Read;
use std::sync::Arc;

use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_s3::primitives::ByteStream;
use ftdesk_aws::AwsOptions;
use ftdesk_io::{ObjectMeta, Store, StoreError};
use tokio::runtime::Runtime;

use crate::{S3Error, TaggedObject};

/// One bucket, read through the AWS SDK on a small private runtime.
pub struct S3Store {
    client: aws_sdk_s3::Client,
    bucket: String,
    runtime: Arc<Runtime>,
}

impl S3Store {
    /// Connects with the standard credential chain and region resolution,
    /// under the profile and region `options` choose.
    pub fn connect(bucket: &str, options: &AwsOptions) -> Result<Self, S3Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| S3Error::Start(e.to_string()))?;
        let config = runtime.block_on(options.load(None));
        let custom_endpoint =
            config.endpoint_url().is_some() || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(custom_endpoint)
            .build();
        Ok(S3Store {
            client: aws_sdk_s3::Client::from_conf(s3_config),
            bucket: bucket.to_owned(),
            runtime: Arc::new(runtime),
        })
    }

    fn error<E>(&self, key: &str, err: aws_sdk_s3::error::SdkError<E>) -> StoreError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let name = self.describe(key);
        let status = err.raw_response().map(|r| r.status().as_u16());
        let code = err.as_service_error().and_then(|e| e.code()).unwrap_or("");
        match (status, code) {
            (Some(404), _) | (_, "NoSuchKey" | "NoSuchBucket" | "NotFound") => {
                StoreError::NotFound { name }
            }
            (Some(403), _)
            | (_, "AccessDenied" | "InvalidAccessKeyId" | "SignatureDoesNotMatch") => {
                StoreError::PermissionDenied { name }
            }
            _ => StoreError::Io {
                name,
                source: std::io::Error::other(DisplayErrorContext(&err).to_string()),
            },
        }
    }

    /// Every object under `prefix` with its ETag, which changes whenever the
    /// object is written with other bytes: a fingerprint that costs no download.
    pub fn list_tagged(&self, prefix: &str) -> Result<Vec<TaggedObject>, StoreError> {
        let mut objects = Vec::new();
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix)
            .into_paginator()
            .send();
        while let Some(page) = self.runtime.block_on(pages.next()) {
            let page = page.map_err(|e| self.error(prefix, e))?;
            for object in page.contents() {
                if let Some(key) = object.key() {
                    objects.push(TaggedObject {
                        meta: ObjectMeta {
                            key: key.to_owned(),
                            size: object.size().unwrap_or(0).max(0) as u64,
                        },
                        etag: object.e_tag().unwrap_or_default().to_owned(),
                    });
                }
            }
        }
        tracing::debug!(bucket = %self.bucket, prefix, objects = objects.len(), "listed");
        Ok(objects)
    }

    fn head(
        &self,
        key: &str,
    ) -> Result<aws_sdk_s3::operation::head_object::HeadObjectOutput, StoreError> {
        let call = self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send();
        self.runtime.block_on(call).map_err(|e| self.error(key, e))
    }
}

impl Store for S3Store {
    fn describe(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }

    fn list(&self, prefix: &str) -> Result<Vec<ObjectMeta>, StoreError> {
        let objects = self.list_tagged(prefix)?;
        Ok(objects.into_iter().map(|o| o.meta).collect())
    }

    fn open(&self, key: &str) -> Result<Box<dyn Read + Send>, StoreError> {
        let call = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send();
        let output = self
            .runtime
            .block_on(call)
            .map_err(|e| self.error(key, e))?;
        Ok(Box::new(ObjectReader {
            name: self.describe(key),
            runtime: self.runtime.clone(),
            body: output.body,
            chunk: Vec::new(),
            offset: 0,
        }))
    }

    fn read_range(&self, key: &str, start: u64, len: u64) -> Result<Vec<u8>, StoreError> {
        if len == 0 {
            return Ok(Vec::new());
        }
        let range = format!("bytes={start}-{}", start + len - 1);
        let call = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .range(range)
            .send();
        let output = self
            .runtime
            .block_on(call)
            .map_err(|e| self.error(key, e))?;
        let bytes = self
            .runtime
            .block_on(output.body.collect())
            .map_err(|e| StoreError::Io {
                name: self.describe(key),
                source: std::io::Error::other(e),
            })?;
        Ok(bytes.into_bytes().to_vec())
    }

    fn size(&self, key: &str) -> Result<u64, StoreError> {
        Ok(self.head(key)?.content_length().unwrap_or(0).max(0) as u64)
    }

    fn modified(&self, key: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.head(key)?.last_modified().map(|t| t.secs()))
    }
}

/// Streams an object's body: one network chunk in memory at a time.
struct ObjectReader {
    name: String,
    runtime: Arc<Runtime>,
    body: ByteStream,
    chunk: Vec<u8>,
    offset: usize,
}

impl Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.offset == self.chunk.len() {
            match self.runtime.block_on(self.body.try_next()) {
                Ok(Some(bytes)) => {
                    self.chunk = bytes.to_vec();
                    self.offset = 0;
                }
                Ok(None) => return Ok(0),
                Err(e) => return Err(std::io::Error::other(format!("{}: {e}", self.name))),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.offset);
        buf[..n].copy_from_slice(&self.chunk[self.offset..self.offset + n]);
        self.offset += n;
        Ok(n)
    }
}
