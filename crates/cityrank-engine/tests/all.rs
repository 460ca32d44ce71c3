//! The library entry point against the loaders it combines. One binary.

mod entry;
