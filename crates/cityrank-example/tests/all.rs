//! The crate's one integration-test binary.

mod blockchain_2020;
mod records;
