//! End-to-end tests of the `ftdesk` binary.

mod bad_formats;
mod bad_input;
mod check;
mod common;
mod formats;
mod freetier;
mod guard;
mod large;
mod practice;
mod reply;
mod s3;
mod samples;
mod snapshots;
