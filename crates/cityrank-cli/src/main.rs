//! `cityrank`: build, check, explain and publish city rankings from one methodology file.
//!
//! This crate only parses flags, calls the library crates and prints; the work lives in the
//! crates it calls, so every command is also usable as a library.

/// Every line the command prints passes through [`console::clean`], so that a control
/// character in the data (a city name holding ESC can clear the screen or retitle the window)
/// never reaches the terminal raw. Shadowing the std macros here covers every print of the
/// crate, including ones written later.
macro_rules! println {
    () => { std::println!() };
    ($($t:tt)*) => { std::println!("{}", $crate::console::clean(&format!($($t)*))) };
}
macro_rules! eprintln {
    () => { std::eprintln!() };
    ($($t:tt)*) => { std::eprintln!("{}", $crate::console::clean(&format!($($t)*))) };
}

mod args;
mod cmd;
mod console;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let outcome = cmd::dispatch(cli);
    // A developer's check that a command builds the index once (tested).
    if std::env::var_os("CITYRANK_LOG_BUILDS").is_some() {
        eprintln!("index built {} time(s)", cityrank_core::plan::builds());
    }
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
