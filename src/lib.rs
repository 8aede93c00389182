//! # padan
//!
//! Record linkage and deduplication for Indonesia's social-welfare registry (DTKS / DTSEN).
//! *Pemadanan data* is the Indonesian term for data matching.
//!
//! Data flows one way through stages that are each a library function over columnar data:
//!
//! ```text
//! input (CSV | Parquet | Arrow IPC | Arrow batches)
//!   -> prepare   normalise once per record (names, NIK/KK digits, dates, RT/RW, places)
//!   -> block     candidate pairs from several rules, each pair once, tagged with its rule
//!   -> compare   a small integer level per comparison (0 = null)
//!   -> score     Fellegi–Sunter match weight and probability
//!   -> cluster   union-find over pairs above the threshold -> cluster_id per record
//!   -> flags     rows to review: duplicates to drop, double recipients, NIK ganda, stale signals
//!   -> output    pairs, clusters, flags, summary (Arrow tables; Parquet / CSV / JSON writers)
//! ```
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{ArrayRef, RecordBatch, StringArray};
//!
//! let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
//! let batch = RecordBatch::try_from_iter([
//!     ("id_dtks", col(vec!["1", "2", "3"])),
//!     ("nik", col(vec!["3374011403620003", "3374011403620003", "3172034101900001"])),
//!     ("nama", col(vec!["SUKARNO HADI", "Sukarno  Hadi", "Sri Wahyuni"])),
//!     ("tanggal_lahir", col(vec!["1962-03-14", "14/03/1962", "1990-01-01"])),
//! ]).unwrap();
//!
//! // Learn the model from an extract (here a generated one), then score new records with it.
//! let registry = padan::synth::generate(&padan::synth::SynthOptions { rows: 5_000, seed: 1, ..Default::default() });
//! let deduper = padan::Deduper::new(padan::Config::default())?;
//! let model = deduper.train_batches(&registry.records.schema(), &[registry.records])?;
//! let result = deduper.with_model(model)?.run_batches(&batch.schema(), &[batch])?;
//! assert_eq!(result.summary.clusters_of_two_or_more, 1);
//! let pairs = result.pairs_table()?; // id_l, id_r, blocking_rule, gamma_*, weight_*, match_weight, ...
//! assert_eq!(pairs.num_rows(), 1);
//! # Ok::<(), padan::Error>(())
//! ```
//!
//! For cleaning without deduplicating, [`clean`] runs the Indonesian normalisers of [`indo`]
//! (names, NIK and KK numbers, addresses) over whole Arrow columns.

pub mod block;
pub mod clean;
pub mod cluster;
pub mod compare;
pub mod config;
pub mod error;
pub mod evaluate;
pub mod explain;
pub mod flags;
pub mod households;
pub mod indo;
pub mod input;
pub mod labels;
pub mod link;
pub mod model;
pub mod normalize;
pub mod output;
pub mod parallel;
pub mod pipeline;
pub mod prepare;
pub mod programs;
pub mod registry;
pub mod rules;
pub mod snapshot;
pub mod synth;
pub mod tf;

#[cfg(feature = "cli")]
pub mod cli;

#[cfg(feature = "python")]
mod python;

// The README's Rust examples are compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use config::Config;
pub use error::{ConfigIssue, Error, Result};
pub use explain::{Explanation, ExplanationItem, Language};
pub use input::Diagnostic;
pub use model::Model;
pub use pipeline::{DedupeResult, Deduper, Summary};
