//! Integration tests of the legacy CUR CSV reader: real public samples,
//! a broken-input corpus, folders, property tests and bounded memory.

mod corpus;
mod focus;
mod folders;
mod formats;
mod limits;
mod mapping;
mod memory;
mod parts;
mod props;
mod samples;
mod support;
