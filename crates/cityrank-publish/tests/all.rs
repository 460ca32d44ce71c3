//! Integration tests of cityrank-publish: one binary, one module per subject.

mod api;
mod common;
mod edition_2021;
mod report;
mod server_limits;
mod sheet;
mod site;
mod whatif;
