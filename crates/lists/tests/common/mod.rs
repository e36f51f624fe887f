//! Shared helpers of the real-data integration tests.
#![allow(dead_code, clippy::unwrap_used)]

pub use dualtrace_testdata::shared_file;

/// Parses shared files in a format, panicking with the parse error on failure.
pub fn parse_shared(
    format: dualtrace_lists::Format,
    rels: &[&str],
) -> Option<dualtrace_lists::ParsedList> {
    let mut inputs = Vec::new();
    for rel in rels {
        let path = shared_file(rel)?;
        inputs.push(dualtrace_lists::Input::read(&path).unwrap());
    }
    Some(
        format
            .parse(&inputs, format.default_list())
            .unwrap_or_else(|e| panic!("{e}")),
    )
}

/// Counts entities by schema name.
pub fn by_schema(list: &dualtrace_lists::ParsedList) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    for e in &list.entities {
        *out.entry(e.schema.to_string()).or_insert(0) += 1;
    }
    out
}
