//! End-to-end tests of the `ftdesk` binary.

mod bad_formats;
mod bad_input;
mod check;
mod common;
mod desk;
mod formats;
mod freetier;
mod guard;
mod guard_cache;
mod guard_korean;
mod guard_loop;
mod guard_plan;
mod guard_sources;
mod guard_tls;
mod large;
mod practice;
mod practice_case;
mod practice_live;
mod reply;
mod s3;
mod samples;
mod snapshots;
mod sql;
