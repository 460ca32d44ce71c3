//! `cityrank`: build, check, explain and publish city rankings from one methodology file.
//!
//! This crate only parses flags, calls the library crates and prints; the work lives in the
//! crates it calls, so every command is also usable as a library.

mod args;
mod cmd;
mod console;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match cmd::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
