//! The S3 store of a build without the AWS SDK: it cannot be connected, so
//! an `s3://` path is refused with [`ftdesk_aws::NotBuilt`] before anything
//! is read.

use std::convert::Infallible;
use std::io::Read;

use ftdesk_aws::{AwsOptions, NotBuilt};
use ftdesk_io::{ObjectMeta, Store, StoreError};

use crate::{S3Error, TaggedObject};

/// Never made: [`S3Store::connect`] always refuses.
pub struct S3Store {
    never: Infallible,
}

impl S3Store {
    pub fn connect(bucket: &str, _options: &AwsOptions) -> Result<Self, S3Error> {
        Err(NotBuilt(format!("s3://{bucket}/")).into())
    }

    pub fn list_tagged(&self, _prefix: &str) -> Result<Vec<TaggedObject>, StoreError> {
        match self.never {}
    }
}

impl Store for S3Store {
    fn describe(&self, _key: &str) -> String {
        match self.never {}
    }

    fn list(&self, _prefix: &str) -> Result<Vec<ObjectMeta>, StoreError> {
        match self.never {}
    }

    fn open(&self, _key: &str) -> Result<Box<dyn Read + Send>, StoreError> {
        match self.never {}
    }

    fn read_range(&self, _key: &str, _start: u64, _len: u64) -> Result<Vec<u8>, StoreError> {
        match self.never {}
    }

    fn size(&self, _key: &str) -> Result<u64, StoreError> {
        match self.never {}
    }

    fn modified(&self, _key: &str) -> Result<Option<i64>, StoreError> {
        match self.never {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connecting_names_the_bucket_and_the_missing_feature() {
        let Err(error) = S3Store::connect("billing", &AwsOptions::default());
        let text = error.to_string();
        assert!(text.contains("s3://billing/"), "{text}");
        assert!(text.contains("`aws` feature"), "{text}");
    }
}
