//! BIS Denied Persons List (DPL), the tab-separated text file of the Bureau of Industry and
//! Security.
//!
//! Every field is double-quoted (quotes inside doubled), fields are separated by tabs, and the
//! header is `"Name" "Street_Address" "City" "State" "Country" "Postal_Code" "Effective_Date"
//! "Expiration_Date" "Standard_Order" "Last_Update" "Action" "FR_Citation"`. Columns are found by
//! name; only `Name` is required.
//!
//! Mapping decisions:
//!
//! * **One entity per name, not per row.** A denial order naming a party at several addresses
//!   gives one row per address, and a party named in several orders repeats too (in the 2022 file
//!   581 rows name 459 parties; rows of one name share orders and addresses, so they are one
//!   party). Rows are grouped by a slug of the name (ASCII letters and digits, lower case,
//!   runs of anything else as one `-`), so `AL-NASER  AIRLINES` and `AL NASER AIRLINES` are one
//!   entity: the first spelling is the name, the others aliases. The id is `bis-dpl-{slug}`
//!   (names that are long or not ASCII get a short hash of the normalised name instead of the
//!   tail, so ids stay unique and stable across list versions). `records` counts rows.
//! * **Schema:** the DPL does not say person or company. A name with a legal-form token (LLC,
//!   LTD, INC, CORP, CO., COMPANY, GMBH, S.A., LIMITED, FZE, ...) is a Company; every other name
//!   is a LegalEntity, which screening treats as compatible with persons and companies (guessing
//!   Person would hide a company that happens to lack a legal form).
//! * A quoted nickname (`IHSAN MEDHAT "SAMMY" ELASHI`) is a weak alias, and the name without it
//!   an alias.
//! * Each row's address parts (street, city, state, postal code, country) form one `address`;
//!   the country code also goes to `country`.
//! * `Effective_Date` (MM/DD/YYYY) → `createdAt`, the earliest of the party's rows;
//!   `Last_Update` (ISO) → `modifiedAt`, the latest. `Expiration_Date`, `Standard_Order`,
//!   `Action` and `FR_Citation` → `notes` with their label. Impossible dates (the real file has
//!   Last_Update values `3017-08-22`, `2922-09-01` and `0222-05-18`) are warnings naming file,
//!   line and field; the value is dropped and the row kept.
//! * Every entity gets program `DPL`, topic `export.control`, sourceList `Denied Persons List`
//!   and the list's page as `sourceUrl`.

use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::formats::table::{Header, Row, ValueSink, csv_error};
use crate::source::Input;
use dualtrace_model::date::DayOrder;
use dualtrace_model::entity::clean_text;
use dualtrace_model::{Entity, PartialDate, Property, Schema};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Prefix of the entity ids of this format.
const ID_PREFIX: &str = "bis-dpl-";

/// The list's page at BIS.
const SOURCE_URL: &str = "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/denied-persons-list";

/// Slugs longer than this are cut and completed with a hash.
const MAX_SLUG: usize = 60;

/// Legal-form tokens that make a name a Company (compared without dots, upper case).
const LEGAL_FORMS: &[&str] = &[
    "LLC",
    "LTD",
    "INC",
    "CORP",
    "CORPORATION",
    "COMPANY",
    "GMBH",
    "LIMITED",
    "PLC",
    "LLP",
    "FZE",
    "FZC",
    "FZCO",
    "FZ-LLC",
    "PTE",
    "PVT",
    "SARL",
    "SRL",
    "SPA",
    "OOO",
    "ZAO",
    "OAO",
    "PJSC",
    "JSC",
    "BV",
    "NV",
    "AG",
    "KG",
    "AB",
    "SDN",
    "BHD",
    "KFT",
    "EURL",
    "SAS",
];

/// Short legal forms that are only recognised with their dots (`CO.`, `S.A.`), since the bare
/// letters are common in names.
const DOTTED_FORMS: &[&str] = &["CO.", "S.A.", "S.A", "S.L.", "A.S.", "S.C.", "C.A."];

/// Parses one or more DPL files into one list.
pub fn parse(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    let mut groups = Groups::default();
    let mut out = ParsedList::default();
    for input in inputs {
        parse_input(input, list, &mut groups, &mut out)?;
    }
    out.entities = groups.finish();
    Ok(out)
}

/// Reads the rows of one file into the groups.
fn parse_input(
    input: &Input,
    list: &str,
    groups: &mut Groups,
    out: &mut ParsedList,
) -> Result<(), ParseError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(true)
        .from_reader(input.data.as_slice());
    let header = Header::read(input, &mut reader, &["Name"])?;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => return Err(csv_error(input, &err, "row")),
        }
        let line = record.position().map_or(0, csv::Position::line);
        let row = Row {
            header: &header,
            record: &record,
        };
        let name = clean_text(row.get("Name"));
        if name.is_empty() {
            return Err(input.error_at_line(line, "Name", "empty name"));
        }
        let mut sink = ValueSink {
            file: &input.name,
            line,
            warnings: &mut out.warnings,
        };
        groups.add_row(list, &name, &row, &mut sink);
        out.records += 1;
    }
    Ok(())
}

/// One party being assembled from its rows.
struct Party {
    /// The entity, without listing and update dates.
    entity: Entity,
    /// The earliest effective date of its rows.
    created: Option<PartialDate>,
    /// The latest update date of its rows.
    modified: Option<PartialDate>,
}

/// The parties read so far, in order of first appearance, with an index by slug.
#[derive(Default)]
struct Groups {
    parties: Vec<Party>,
    index: HashMap<String, usize>,
}

impl Groups {
    /// Adds one row: to the party of the same slug, or as a new party.
    fn add_row(&mut self, list: &str, name: &str, row: &Row<'_>, sink: &mut ValueSink<'_>) {
        let key = slug(name);
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                self.index.insert(key.clone(), self.parties.len());
                self.parties.push(new_party(list, &key, name, sink));
                self.parties.len() - 1
            }
        };
        if let Some(party) = self.parties.get_mut(i) {
            if party.entity.first(Property::Name) != Some(name) {
                add_name(&mut party.entity, Property::Alias, name, sink);
            }
            add_row_facts(party, row, sink);
        }
    }

    /// The entities, with their listing and update dates.
    fn finish(self) -> Vec<Entity> {
        self.parties
            .into_iter()
            .map(|mut p| {
                if let Some(d) = p.created {
                    p.entity.add_date(Property::CreatedAt, d);
                }
                if let Some(d) = p.modified {
                    p.entity.add_date(Property::ModifiedAt, d);
                }
                p.entity
            })
            .collect()
    }
}

/// A new party: id, schema, name and the list-wide facts.
fn new_party(list: &str, key: &str, name: &str, sink: &mut ValueSink<'_>) -> Party {
    let schema = schema_of(name);
    let mut e =
        Entity::new(format!("{ID_PREFIX}{key}"), schema).with_source(list, name.to_uppercase());
    add_name(&mut e, Property::Name, name, sink);
    for (prop, value) in [
        (Property::Program, "DPL"),
        (Property::Topics, "export.control"),
        (Property::SourceList, "Denied Persons List"),
        (Property::SourceUrl, SOURCE_URL),
    ] {
        sink.add(&mut e, prop, "-", value);
    }
    Party {
        entity: e,
        created: None,
        modified: None,
    }
}

/// Adds a name, and for a quoted nickname (`IHSAN "SAMMY" ELASHI`) the nickname as a weak alias
/// and the name without it as an alias.
fn add_name(e: &mut Entity, prop: Property, name: &str, sink: &mut ValueSink<'_>) {
    sink.add(e, prop, "Name", name);
    let parts: Vec<&str> = name.split('"').collect();
    if let [before, nick, after] = parts.as_slice() {
        sink.add(e, Property::WeakAlias, "Name", nick);
        sink.add(e, Property::Alias, "Name", &format!("{before} {after}"));
    }
}

/// Company when the name carries a legal form, else LegalEntity.
fn schema_of(name: &str) -> Schema {
    let upper = name.to_uppercase();
    let is_company = upper
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '/'))
        .filter(|t| !t.is_empty())
        .any(|token| {
            DOTTED_FORMS.contains(&token) || LEGAL_FORMS.contains(&token.replace('.', "").as_str())
        });
    if is_company {
        Schema::Company
    } else {
        Schema::LegalEntity
    }
}

/// The id key of a name: ASCII letters and digits in lower case, other runs as one `-`; names
/// that are long or not ASCII are cut and completed with a hash of the normalised name.
fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    if out.len() > MAX_SLUG || out.is_empty() || !name.is_ascii() {
        out.truncate(MAX_SLUG);
        let digest = Sha256::digest(clean_text(name).to_uppercase().as_bytes());
        let hash = hex::encode(digest);
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(hash.get(..10).unwrap_or(&hash));
    }
    out
}

/// The facts of one row: address, dates, order notes.
fn add_row_facts(party: &mut Party, row: &Row<'_>, sink: &mut ValueSink<'_>) {
    let e = &mut party.entity;
    let parts: Vec<&str> = ["Street_Address", "City", "State", "Postal_Code", "Country"]
        .iter()
        .map(|col| row.get(col))
        .filter(|v| !v.is_empty())
        .collect();
    sink.add(e, Property::Address, "Street_Address", &parts.join(", "));
    let country = row.get("Country");
    if !country.is_empty() {
        sink.add(e, Property::Country, "Country", country);
    }
    if let Some(d) = read_date(row, "Effective_Date", DayOrder::MonthDayYear, sink) {
        party.created = Some(party.created.map_or(d, |c| c.min(d)));
    }
    if let Some(d) = read_date(row, "Last_Update", DayOrder::DayMonthYear, sink) {
        party.modified = Some(party.modified.map_or(d, |m| m.max(d)));
    }
    if let Some(d) = read_date(row, "Expiration_Date", DayOrder::MonthDayYear, sink) {
        sink.note(e, "Expiration date", &d.to_string());
    }
    for (col, label) in [
        ("Standard_Order", "Standard order"),
        ("Action", "Action"),
        ("FR_Citation", "FR citation"),
    ] {
        sink.note(e, label, row.get(col));
    }
}

/// A date column; an impossible date is a warning and gives `None`. `Last_Update` is ISO
/// (ISO is tried first whatever the order), the others MM/DD/YYYY.
fn read_date(
    row: &Row<'_>,
    col: &str,
    order: DayOrder,
    sink: &mut ValueSink<'_>,
) -> Option<PartialDate> {
    let text = row.get(col);
    if text.is_empty() {
        return None;
    }
    PartialDate::parse_with(text, order)
        .map_err(|err| sink.warn(col, format!("{err}; value dropped")))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEADER: &str = "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\
\"Postal_Code\"\t\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t\
\"Action\"\t\"FR_Citation\"\n";

    /// A row of quoted, tab-separated fields.
    fn row(fields: [&str; 12]) -> String {
        let quoted: Vec<String> = fields
            .iter()
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
            .collect();
        format!("{}\n", quoted.join("\t"))
    }

    /// Fictional parties: one person at two addresses (two orders), one company, one nickname.
    fn sample() -> String {
        let mut text = HEADER.to_string();
        for fields in [
            [
                "JOHN Q. SAMPLE",
                "1 FICTION ROAD",
                "EL PASO",
                "TX",
                "US",
                "79905",
                "08/24/2022",
                "01/14/2026",
                "Y",
                "2022-08-29",
                "F.R. NOTICE ADDED",
                "87 F.R. 1 8/29/2022",
            ],
            [
                " JOHN Q.  SAMPLE",
                "2 EXAMPLE AVE",
                "AUSTIN",
                "TX",
                "",
                "78701",
                "03/04/2002",
                "",
                "Y",
                "3017-08-22",
                "50 YEAR DENIAL",
                "67 F.R. 2 3/11/02",
            ],
            [
                "FICTIVE TRADING CO., LTD.",
                "P.O. BOX 1",
                "SHENZHEN",
                "",
                "PRC",
                "",
                "05/13/2022",
                "11/09/2022",
                "Y",
                "2022-05-18",
                "TDO RENEWAL",
                "87 F.R. 3",
            ],
            [
                "FICTIVE-TRADING CO LTD",
                "P.O. BOX 2",
                "DUBAI",
                "",
                "AE",
                "",
                "05/13/2022",
                "13/09/2022",
                "N",
                "2022-05-19",
                "",
                "",
            ],
            [
                "ALI \"BOBBY\" EXAMPLE",
                "",
                "",
                "",
                "",
                "",
                "09/06/2001",
                "",
                "",
                "",
                "",
                "",
            ],
        ] {
            text.push_str(&row(fields));
        }
        text
    }

    fn parse_str(text: &str) -> Result<ParsedList, ParseError> {
        let input = Input::from_bytes("dpl.txt", text.as_bytes().to_vec())?;
        parse(&[input], "bis_dpl")
    }

    fn parsed() -> ParsedList {
        parse_str(&sample()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn rows_of_one_name_are_one_entity() {
        let list = parsed();
        assert_eq!(list.records, 5);
        let ids: Vec<&str> = list.entities.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "bis-dpl-john-q-sample",
                "bis-dpl-fictive-trading-co-ltd",
                "bis-dpl-ali-bobby-example"
            ]
        );
        let john = &list.entities[0];
        assert_eq!(john.schema, Schema::LegalEntity);
        assert_eq!(john.get(Property::Name), ["JOHN Q. SAMPLE"]);
        assert_eq!(
            john.get(Property::Address),
            [
                "1 FICTION ROAD, EL PASO, TX, 79905, US",
                "2 EXAMPLE AVE, AUSTIN, TX, 78701"
            ]
        );
        assert_eq!(john.get(Property::Country), ["us"]);
        assert_eq!(john.get(Property::CreatedAt), ["2002-03-04"]);
        assert_eq!(john.get(Property::ModifiedAt), ["2022-08-29"]);
        assert_eq!(john.get(Property::Program), ["DPL"]);
        assert_eq!(john.get(Property::Topics), ["export.control"]);
        assert_eq!(john.get(Property::SourceList), ["Denied Persons List"]);
        assert!(
            john.get(Property::Notes)
                .contains(&"Expiration date: 2026-01-14".to_string())
        );
        assert!(
            john.get(Property::Notes)
                .contains(&"FR citation: 67 F.R. 2 3/11/02".to_string())
        );
        assert!(
            john.get(Property::Notes)
                .contains(&"Action: 50 YEAR DENIAL".to_string())
        );
    }

    #[test]
    fn spellings_of_one_slug_become_aliases_and_legal_forms_make_companies() {
        let list = parsed();
        let co = &list.entities[1];
        assert_eq!(co.schema, Schema::Company);
        assert_eq!(co.get(Property::Name), ["FICTIVE TRADING CO., LTD."]);
        assert_eq!(co.get(Property::Alias), ["FICTIVE-TRADING CO LTD"]);
        assert_eq!(co.get(Property::Country), ["cn", "ae"]);
        assert_eq!(co.get(Property::ModifiedAt), ["2022-05-19"]);
    }

    #[test]
    fn quoted_nickname_is_a_weak_alias() {
        let list = parsed();
        let ali = &list.entities[2];
        assert_eq!(ali.get(Property::Name), ["ALI \"BOBBY\" EXAMPLE"]);
        assert_eq!(ali.get(Property::WeakAlias), ["BOBBY"]);
        assert_eq!(ali.get(Property::Alias), ["ALI EXAMPLE"]);
        assert_eq!(ali.get(Property::Address), Vec::<String>::new());
    }

    #[test]
    fn impossible_dates_are_warnings_not_failures() {
        let list = parsed();
        assert_eq!(list.warnings.len(), 2, "{:?}", list.warnings);
        assert!(list.warnings[0].starts_with("dpl.txt: line 3: field Last_Update: "));
        assert!(list.warnings[0].contains("3017-08-22"));
        assert!(list.warnings[1].starts_with("dpl.txt: line 5: field Expiration_Date: "));
    }

    #[test]
    fn schema_from_legal_forms() {
        for (name, schema) in [
            ("ACME GMBH", Schema::Company),
            ("EXAMPLE S.A.", Schema::Company),
            ("SAMPLE LIMITED", Schema::Company),
            ("SAMPLE INC.", Schema::Company),
            ("SAMPLE COMPANY", Schema::Company),
            ("SKY BIRD FZC", Schema::Company),
            ("JOHN CO SMITH", Schema::LegalEntity),
            ("MARIA SA LOPEZ", Schema::LegalEntity),
            ("SAMPLE AIRLINES", Schema::LegalEntity),
        ] {
            assert_eq!(schema_of(name), schema, "{name}");
        }
    }

    #[test]
    fn slugs_are_stable_and_bounded() {
        assert_eq!(slug("AL-NASER  AIRLINES"), "al-naser-airlines");
        assert_eq!(slug(" I. ASH"), "i-ash");
        let long = slug(&"VERY LONG NAME ".repeat(10));
        assert_eq!(long.len(), MAX_SLUG + 11);
        assert_ne!(slug("ÖZ TRADING"), slug("Z TRADING"));
        assert_eq!(slug("ÖZ TRADING"), slug("öz trading"));
        assert_eq!(slug("***").len(), 10);
    }

    #[test]
    fn errors_name_line_and_field() {
        let missing = "\"Street_Address\"\t\"City\"\n\"X\"\t\"Y\"\n";
        let err = parse_str(missing)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            err,
            "dpl.txt: line 1: field Name: required column `Name` is missing from the header"
        );
        let csv = "Name,City\nX,Y\n";
        assert!(
            parse_str(csv).is_err(),
            "a comma-separated file is not a DPL"
        );
        let empty_name = format!(
            "{HEADER}{}",
            row(["", "A", "", "", "", "", "", "", "", "", "", ""])
        );
        let err = parse_str(&empty_name)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(err, "dpl.txt: line 2: field Name: empty name");
        let short = format!("{HEADER}\"X\"\t\"Y\"\n");
        let err = parse_str(&short)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(
            err,
            "dpl.txt: line 2: field row: expected 12 fields, found 2"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Mutated DPL text never panics.
        #[test]
        fn mutated_input_never_panics(
            pos in 0usize..1500,
            bytes in proptest::collection::vec(any::<u8>(), 0..16),
        ) {
            let mut data = sample().into_bytes();
            let at = pos.min(data.len());
            data.splice(at..at, bytes);
            if let Ok(input) = Input::from_bytes("fuzz.txt", data) {
                let _ = parse(&[input], "fuzz");
            }
        }

        /// Arbitrary field text never panics, and ids stay unique.
        #[test]
        fn arbitrary_fields_never_panic(names in proptest::collection::vec("\\PC{0,20}", 1..6)) {
            let mut text = HEADER.to_string();
            for name in &names {
                text.push_str(&row([name, "", "", "", "", "", name, name, "", name, "", ""]));
            }
            let input = Input::from_bytes("fuzz.txt", text.into_bytes())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let result = crate::formats::Format::BisDpl.parse(&[input], "fuzz");
            let blank = names.iter().any(|n| clean_text(n).is_empty());
            prop_assert!(blank || result.is_ok(), "{:?}", result.err());
        }
    }
}
