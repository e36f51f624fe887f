//! The allies' official sanctions and export-control lists: read, validated, versioned.
//!
//! This crate owns the path from a publisher's file to a stored, immutable list version:
//!
//! * [`source`]: the bytes of one input file (gzip is undone here, once for all formats);
//! * [`formats`]: one streaming parser per official format (OFAC, US CSL, BIS DPL, UN, UK, EU,
//!   Japan, FtM JSON), each mapping what the source says into [`dualtrace_model::Entity`] values
//!   and reporting bad input as a [`ParseError`] that names file, line and field;
//! * [`store`]: the versioned store on disk: content-hashed immutable versions, an atomically
//!   switched current version, history, rollback, diffs, and the guard that refuses a version
//!   that lost too many entities;
//! * [`update`]: downloads from the publishers' URLs through the same validation.
//!
//! Parsers never touch the store and the store never parses: an import is "parse everything,
//! then commit one version", so a broken file changes nothing.

pub mod error;
pub mod formats;
pub mod source;
pub mod store;
pub mod update;

pub use error::{Location, ParseError};
pub use formats::{Format, ParsedList};
pub use source::Input;
