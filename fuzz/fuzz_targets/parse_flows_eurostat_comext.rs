//! Fuzzes the `eurostat-comext` trade-flow parser: any bytes give rows or an error, never a panic.
#![no_main]

use dualtrace_flows::{Format, parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_bytes(Format::EurostatComext, "fuzz-input", data);
});
