//! Property tests: the parsers of outside input (FtM examples, query strings, key files,
//! `changed_since`, flows report parameters, HTML escaping) never panic, whatever they are
//! given.
#![allow(clippy::unwrap_used)]

use dualtrace_server::auth::ApiKeys;
use dualtrace_server::extract::Params;
use dualtrace_server::flows::{FlowsReport, ReportRequest};
use dualtrace_server::html::{Html, escape};
use dualtrace_server::yente::{
    EntityExample, MatchOptions, MatchRequest, example_query, parse_since,
};
use proptest::prelude::*;
use serde_json::Value;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn examples_never_panic(schema in ".{0,12}", props in prop::collection::btree_map("[a-zA-Z]{1,12}", json_value(), 0..6)) {
        let example = EntityExample { id: None, schema, properties: props };
        let _ = example_query("q", &example);
    }

    #[test]
    fn known_properties_with_any_values_never_panic(
        values in prop::collection::vec(json_value(), 0..4),
        prop in prop::sample::select(vec!["name", "birthDate", "nationality", "country", "passportNumber", "innCode", "imoNumber", "gender", "firstName", "lastName"]),
    ) {
        let example = EntityExample {
            id: None,
            schema: "Person".to_string(),
            properties: [(prop.to_string(), Value::Array(values))].into_iter().collect(),
        };
        let _ = example_query("q", &example);
    }

    #[test]
    fn query_strings_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let params = Params::parse(&bytes);
        let _ = MatchOptions::resolve(&params, &MatchRequest::default(), 500);
    }

    #[test]
    fn flows_parameters_never_panic_and_never_pass_a_bad_code(
        pairs in prop::collection::vec((prop::sample::select(vec![
            "exporter", "importer", "reporter", "partner", "partners", "baseline", "period",
            "goods", "currency", "min_baseline", "min_value", "min_jump", "limit", "no_mirror", "flow",
        ]), "\\PC{0,24}"), 0..8),
        report in prop::sample::select(FlowsReport::ALL.to_vec()),
    ) {
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", dualtrace_server::html::url_part(v)))
            .collect();
        let params = Params::parse(query.join("&").as_bytes());
        if let Ok(ReportRequest::Surge(a)) = ReportRequest::parse(report, &params) {
            let safe = |c: &str| c.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
            prop_assert!(safe(&a.exporter) && a.partners.iter().all(|p| safe(p)));
        }
    }

    #[test]
    fn key_files_and_dates_never_panic(text in "\\PC{0,200}") {
        let _ = ApiKeys::parse(&text);
        let _ = parse_since(&text);
        let keys = ApiKeys::from_digests([dualtrace_server::auth::hash_key("k")]);
        let _ = keys.check(Some(&text));
    }

    #[test]
    fn escaped_text_never_contains_markup(text in "\\PC{0,100}") {
        let escaped = escape(&text);
        prop_assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('"'));
        let mut h = Html::default();
        h.json_data("d", &Value::String(text));
        prop_assert_eq!(h.finish().matches("</script>").count(), 1);
    }
}
