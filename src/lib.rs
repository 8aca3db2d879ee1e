//! blindfold: anonymize interview feedback for a hiring committee.
//!
//! The engine ([`rules`] and [`rewrite`]) does no I/O and never prints; [`cli`] wires it to
//! files, standard streams and threads.

pub mod cli;
pub mod files;
pub mod fold;
pub mod listen;
pub mod packet;
pub mod rewrite;
pub mod rules;
pub mod source;
pub mod subject;
mod swar;
pub mod workspace;
