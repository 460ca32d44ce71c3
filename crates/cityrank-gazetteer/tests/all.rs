//! The crate's one integration-test binary.

mod resolve;
mod table;
