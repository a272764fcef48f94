//! End-to-end tests of the `ftdesk` binary.

mod bad_input;
mod check;
mod reply;
mod common;
mod samples;
mod snapshots;
