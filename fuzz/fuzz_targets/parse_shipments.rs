//! Fuzzes the shipments CSV reader of the risk engine: any bytes give lines or an error naming
//! file, line and field, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = dualtrace_risk::shipments::parse_shipments(Path::new("fuzz.csv"), data);
});
