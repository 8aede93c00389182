//! Indonesian identity rules: names, NIK and KK numbers, addresses and Kemendagri region codes.
//!
//! Facts and sources are in `shared/docs/domain.md`; each module cites the rules it implements.
//! Everything here is usable on its own for cleaning data without deduplicating;
//! [`crate::clean`] runs it over whole Arrow columns.

pub mod address;
pub mod name;
pub mod nik;
pub mod region;
