//! Property tests: every ingest parser returns rows or an error for any input, never a panic.

use dualtrace_flows::{Format, parse_bytes};
use proptest::prelude::*;

/// Headers that get past the column checks, so that the row code is exercised too.
const HEADERS: [(Format, &str); 6] = [
    (
        Format::ComtradeCsv,
        "period,reporterCode,flowCode,partnerCode,partner2Code,cmdCode,customsCode,motCode,qty,netWgt,primaryValue\n",
    ),
    (Format::ComtradeJson, "{\"data\":["),
    (Format::Baci, "t,i,j,k,v,q\n"),
    (
        Format::EurostatComext,
        "reporter,partner,flow,freq,period,value_eur\n",
    ),
    (
        Format::ImfImts,
        "COUNTRY.ID,COUNTERPART_COUNTRY.ID,INDICATOR.ID,SCALE.ID,TRADE_FLOW.ID,2021,2021-M01\n",
    ),
    (
        Format::CustomsCsv,
        "date,origin_country,dispatch_country,destination_country,hs_code,value,currency,quantity,net_weight_kg\n",
    ),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        for format in Format::ALL {
            let _ = parse_bytes(format, "fuzz", &bytes);
        }
    }

    #[test]
    fn plausible_rows(rows in proptest::collection::vec(
        "[0-9A-Za-z .,\"'\\-:{}\\[\\]]{0,12}(,[0-9A-Za-z .\\-:]{0,10}){0,10}", 0..8)) {
        for (format, header) in HEADERS {
            let text = format!("{header}{}", rows.join("\n"));
            let _ = parse_bytes(format, "fuzz", text.as_bytes());
        }
    }

    #[test]
    fn valid_baci_rows_always_parse(
        year in 1995i32..2030,
        i in prop::sample::select(vec![156u32, 490, 643, 842, 276, 417]),
        j in prop::sample::select(vec![156u32, 490, 643, 842, 276, 417]),
        k in 10_000u32..999_999,
        v in 0.0f64..1e9,
    ) {
        let text = format!("t,i,j,k,v,q\n{year},{i},{j},{k},{v},NA\n");
        let (rows, _) = parse_bytes(Format::Baci, "b.csv", text.as_bytes()).unwrap_or_default();
        prop_assert_eq!(rows.len(), 1);
        prop_assert_eq!(rows[0].hs_code.len(), 6);
        prop_assert!((rows[0].value - v * 1000.0).abs() <= 1e-6 * v.max(1.0) * 1000.0);
    }
}
