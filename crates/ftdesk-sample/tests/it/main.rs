//! Integration tests of ftdesk-sample: every scenario's bill, read by the
//! ftdesk-core accounting, must give the scenario's hand-worked truth; the
//! committed fixtures must match what the generator writes.

mod files;
mod fixtures;
mod truth;
