//! Fuzzes the model's value parsers (dates, countries, identifiers) with arbitrary text.
#![no_main]

use dualtrace_model::{Entity, Property, Schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut e = Entity::new("fuzz", Schema::Person);
    for p in [Property::BirthDate, Property::Nationality, Property::Name, Property::ImoNumber] {
        let _ = e.add(p, &text);
    }
    let _ = e.identifiers().map(|i| i.normalized()).count();
    let _ = e.canonical_json();
});
