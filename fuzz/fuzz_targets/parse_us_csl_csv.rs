//! Fuzzes the `us-csl-csv` list parser: any bytes give a list or an error, never a panic.
#![no_main]

use dualtrace_lists::{Format, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(input) = Input::from_bytes("fuzz-input", data.to_vec()) {
        let _ = Format::UsCslCsv.parse(&[input], "fuzz");
    }
});
