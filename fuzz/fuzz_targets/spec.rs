//! The methodology file: TOML text through the spec's parser and every check of the framework
//! (as `cityrank build` loads a spec), then the plan and the records part it describes.
#![no_main]

use cityrank_io::LoadedSpec;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // Bytes that are not UTF-8 are refused before parsing, by `load_spec`.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(spec) = LoadedSpec::from_text(Path::new("spec.toml"), text.to_string()) {
        let _ = spec.plan();
        let _ = spec.spec.records();
    }
});
