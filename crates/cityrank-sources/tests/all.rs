//! The crate's one integration-test binary.

#[path = "suite/common.rs"]
mod common;
#[path = "suite/definition.rs"]
mod definition;
#[cfg(feature = "ballista")]
#[path = "suite/distributed.rs"]
mod distributed;
#[path = "suite/errors.rs"]
mod errors;
#[path = "suite/local.rs"]
mod local;
