//! `cityrank generate`: rewrite the bundled example's illustrative data from its generator settings.

use cityrank_io::Error;
use std::path::Path;

pub fn generate(settings: &Path, out: &Path) -> Result<(), Error> {
    let s = cityrank_example::GeneratorSettings::load(settings).map_err(|e| {
        Error::new(
            format!("cannot read the generator settings: {e}"),
            "pass --settings PATH to a generator.toml",
        )
        .at(settings, None)
    })?;
    let data = cityrank_example::generate(&s).map_err(|e| {
        Error::new(
            format!("the generator failed: {}", e.0),
            "check the settings against the example's generator.toml",
        )
        .at(settings, None)
    })?;
    cityrank_example::write_csvs(&data, out).map_err(|e| {
        Error::new(
            format!("cannot write: {e}"),
            "choose a writable --out folder",
        )
        .at(out, None)
    })?;
    println!(
        "Wrote cities.csv and indicators.csv to {} (seed {}).",
        out.display(),
        s.seed
    );
    println!("*** {} ***", s.label);
    Ok(())
}
