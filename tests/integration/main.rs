//! padan's integration tests, built as one test binary with a module per file: one binary links
//! the crate and its dependencies once instead of ten times (about 500 MB less build output
//! and less linking in every test run).

mod brief_pairs;
mod cli;
mod flags;
mod households;
mod labels;
mod labels_cli;
mod pipeline;
mod registry;
mod registry_cases;
mod registry_cli;
mod snapshots;
