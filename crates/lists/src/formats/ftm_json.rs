//! FollowTheMoney entity JSON: one entity object per line (OpenSanctions exports, `ftm` tooling),
//! or a JSON array of such objects.
//!
//! Each object is `{"id", "schema", "properties": {name: [values]}, "datasets": [...]}`;
//! OpenSanctions adds `caption`, `referents`, `first_seen`, `last_seen`, `target`, which are not
//! needed for screening and are ignored. A line (or array element) that is not JSON, not an
//! object, or lacks a string `id` or `schema` fails the import with the file, line and field.
//!
//! # Schemata
//!
//! Person, Organization, Company, LegalEntity and Vessel map to themselves, Airplane to Aircraft,
//! PublicBody to Organization. FtM keeps much of what screening needs in *other* entities that
//! point at the subject; where the link is explicit those are folded into their target:
//!
//! * `Sanction` (`entity` → target): `program` (else `programId`) to `program`, `listingDate`
//!   (else `startDate`) to `createdAt`, `sourceUrl`, and `Sanction (authority): reason` to `notes`;
//! * `Passport` / `Identification` (`holder` → target): `number` to `passportNumber` /
//!   `idNumber`;
//! * `Address` (referenced by the subject's `addressEntity`): `full` (else its parts joined) to
//!   `address`, its `country` to `country`.
//!
//! Everything else (Ownership, Directorship, Family, Associate, UnknownLink, Security, Address
//! entities nobody references, links whose target is not in the input, ...) is skipped and
//! counted: `warnings` gets one summary line per schema, not one per entity.
//!
//! # Properties
//!
//! Values go through [`Entity::add_raw`]: properties dualtrace knows are validated (dates,
//! countries), so a bad value is a warning naming file, line and property and is dropped;
//! properties it does not model are kept verbatim, so nothing of the source is lost. Entity ids
//! are kept as given (FtM ids are already globally unique), as are the datasets; the list name
//! is added. Several objects with the same id (FtM entity fragments) are merged into one. An
//! entity without any name gets its `caption`, else its name parts joined; one without either
//! is skipped with a warning, since the store cannot screen a nameless entity.

use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::source::Input;
use dualtrace_model::{Entity, Property, Schema};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

/// Parses FtM entity JSON (lines or an array) from every input into one list.
pub fn parse(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    let mut objects = Vec::new();
    for input in inputs {
        read_objects(input, &mut objects)?;
    }
    let records = objects.len();
    let mut builder = Builder {
        list,
        warnings: Vec::new(),
        skipped: BTreeMap::new(),
    };
    let entities = builder.build(&objects);
    let mut warnings = builder.warnings;
    for (schema, n) in builder.skipped {
        warnings.push(format!(
            "{n} {schema} entities skipped: dualtrace does not model this schema, or the entity \
             they qualify is not in the input"
        ));
    }
    Ok(ParsedList {
        entities,
        records,
        warnings,
    })
}

/// One FtM object of the input, checked for the fields every entity has.
#[derive(Debug)]
struct Object<'a> {
    input: &'a Input,
    line: u64,
    id: String,
    schema: String,
    caption: Option<String>,
    properties: Vec<(String, Vec<String>)>,
    datasets: Vec<String>,
}

impl Object<'_> {
    /// The values of one property.
    fn values(&self, name: &str) -> &[String] {
        self.properties
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    fn first(&self, names: &[&str]) -> Vec<String> {
        names
            .iter()
            .map(|n| self.values(n))
            .find(|v| !v.is_empty())
            .map(<[String]>::to_vec)
            .unwrap_or_default()
    }
}

/// The UTF-8 byte-order mark some tools write at the start of JSON files.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads the objects of one file: JSON lines, or a JSON array when the file starts with `[`.
fn read_objects<'a>(input: &'a Input, out: &mut Vec<Object<'a>>) -> Result<(), ParseError> {
    let data = input.data.strip_prefix(BOM).unwrap_or(&input.data);
    let start = data.iter().position(|b| !b.is_ascii_whitespace());
    if start.is_some_and(|i| data.get(i) == Some(&b'[')) {
        return read_array(input, data, out);
    }
    for (i, line) in data.split(|b| *b == b'\n').enumerate() {
        let n = i as u64 + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let value: Value = serde_json::from_slice(line).map_err(|e| {
            input.error_at_line(n, "json", format!("not a JSON entity object: {e}"))
        })?;
        out.push(object(input, n, value)?);
    }
    Ok(())
}

/// Counts lines up to increasing byte offsets without rescanning from the start.
struct Lines<'d> {
    data: &'d [u8],
    pos: usize,
    line: u64,
}

impl Lines<'_> {
    /// The 1-based line of byte `pos` (offsets must not decrease).
    fn at(&mut self, pos: usize) -> u64 {
        let end = pos.clamp(self.pos, self.data.len().max(self.pos));
        let seen = self.data.get(self.pos..end).unwrap_or_default();
        self.line += seen.iter().filter(|b| **b == b'\n').count() as u64;
        self.pos = end;
        self.line
    }
}

/// Reads a JSON array of entity objects element by element, keeping each element's line.
fn read_array<'a>(
    input: &'a Input,
    data: &[u8],
    out: &mut Vec<Object<'a>>,
) -> Result<(), ParseError> {
    let mut lines = Lines {
        data,
        pos: 0,
        line: 1,
    };
    let skip_ws = |mut pos: usize| {
        while data.get(pos).is_some_and(u8::is_ascii_whitespace) {
            pos += 1;
        }
        pos
    };
    let mut pos = skip_ws(0) + 1; // after '['
    let (mut expect_value, mut elements) = (true, 0usize);
    loop {
        pos = skip_ws(pos);
        let line = lines.at(pos);
        match data.get(pos) {
            None => return Err(input.error_at_line(line, "json", "unterminated JSON array")),
            Some(b']') if elements == 0 || !expect_value => {
                let rest = skip_ws(pos + 1);
                if rest < data.len() {
                    let line = lines.at(rest);
                    return Err(input.error_at_line(line, "json", "text after the JSON array"));
                }
                return Ok(());
            }
            Some(b',') if !expect_value => {
                pos += 1;
                expect_value = true;
            }
            Some(_) if expect_value => {
                let rest = data.get(pos..).unwrap_or_default();
                let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<Value>();
                let value = match stream.next() {
                    Some(Ok(v)) => v,
                    Some(Err(e)) => {
                        let message = format!("not a JSON entity object: {e}");
                        return Err(input.error_at_line(line, "json", message));
                    }
                    None => {
                        return Err(input.error_at_line(line, "json", "unterminated JSON array"));
                    }
                };
                pos += stream.byte_offset();
                out.push(object(input, line, value)?);
                expect_value = false;
                elements += 1;
            }
            Some(_) => {
                let message = "expected ',' or ']' in the JSON array";
                return Err(input.error_at_line(line, "json", message));
            }
        }
    }
}

/// Checks one JSON value for the shape of an FtM entity.
fn object(input: &Input, line: u64, value: Value) -> Result<Object<'_>, ParseError> {
    let Value::Object(mut map) = value else {
        return Err(input.error_at_line(line, "json", "expected a JSON object"));
    };
    let mut text = |field: &str| match map.remove(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(Value::String(_)) | None => Err(input.error_at_line(line, field, "missing or empty")),
        Some(_) => Err(input.error_at_line(line, field, "expected a string")),
    };
    let id = text("id")?;
    let schema = text("schema")?;
    let caption = text("caption").ok();
    let properties = match map.remove("properties") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(props)) => properties(input, line, props)?,
        Some(_) => return Err(input.error_at_line(line, "properties", "expected a JSON object")),
    };
    let datasets = match map.remove("datasets") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => strings(v)
            .ok_or_else(|| input.error_at_line(line, "datasets", "expected an array of strings"))?,
    };
    Ok(Object {
        input,
        line,
        id,
        schema,
        caption,
        properties,
        datasets,
    })
}

/// The property map: each property an array of strings (a single string is accepted).
fn properties(
    input: &Input,
    line: u64,
    props: Map<String, Value>,
) -> Result<Vec<(String, Vec<String>)>, ParseError> {
    props
        .into_iter()
        .map(|(name, v)| match strings(v) {
            Some(values) => Ok((name, values)),
            None => Err(input.error_at_line(
                line,
                &format!("properties.{name}"),
                "expected an array of strings",
            )),
        })
        .collect()
}

fn strings(v: Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s]),
        Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The dualtrace schema of an FtM schema name, for the schemata that become entities.
fn subject_schema(name: &str) -> Option<Schema> {
    match name {
        "Airplane" => Some(Schema::Aircraft),
        "PublicBody" => Some(Schema::Organization),
        other => other.parse().ok(),
    }
}

/// Turns the objects into entities, folding links and counting what is skipped.
struct Builder<'l> {
    list: &'l str,
    warnings: Vec<String>,
    skipped: BTreeMap<String, usize>,
}

impl Builder<'_> {
    fn build(&mut self, objects: &[Object<'_>]) -> Vec<Entity> {
        let addresses: HashMap<&str, &Object<'_>> = objects
            .iter()
            .filter(|o| o.schema == "Address")
            .map(|o| (o.id.as_str(), o))
            .collect();
        let mut entities: Vec<Entity> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut used_addresses = std::collections::HashSet::new();
        for o in objects {
            let Some(schema) = subject_schema(&o.schema) else {
                continue;
            };
            let entity = self.subject(o, schema, &addresses, &mut used_addresses);
            match index.get(&o.id).and_then(|i| entities.get_mut(*i)) {
                Some(existing) => existing.merge(entity),
                None => {
                    index.insert(o.id.clone(), entities.len());
                    entities.push(entity);
                }
            }
        }
        for o in objects {
            if subject_schema(&o.schema).is_some() {
                continue;
            }
            let folded = match o.schema.as_str() {
                "Address" => used_addresses.contains(o.id.as_str()),
                _ => self.fold(o, &index, &mut entities),
            };
            if !folded {
                *self.skipped.entry(o.schema.clone()).or_insert(0) += 1;
            }
        }
        entities.retain(|e| self.named(e));
        entities
    }

    /// A subject entity from its object; `addressEntity` references are resolved.
    fn subject<'o>(
        &mut self,
        o: &Object<'_>,
        schema: Schema,
        addresses: &HashMap<&'o str, &Object<'_>>,
        used: &mut std::collections::HashSet<&'o str>,
    ) -> Entity {
        let mut e = Entity::new(o.id.clone(), schema);
        e.datasets = o.datasets.clone();
        let mut e = e.with_source(self.list, o.id.clone());
        for (name, values) in &o.properties {
            for v in values {
                match (name.as_str(), addresses.get_key_value(v.as_str())) {
                    ("addressEntity", Some((key, addr))) => {
                        used.insert(*key);
                        self.address(&mut e, o, addr);
                    }
                    _ => self.add(&mut e, o, name, v),
                }
            }
        }
        if e.names().next().is_none() {
            let parts: Vec<&str> = ["firstName", "middleName", "fatherName", "lastName"]
                .iter()
                .flat_map(|p| o.values(p).first())
                .map(String::as_str)
                .collect();
            let fallback = o.caption.clone().unwrap_or_else(|| parts.join(" "));
            self.add(&mut e, o, Property::Name.name(), &fallback);
        }
        e
    }

    /// Adds a value through `add_raw`; a rejected value is a warning.
    fn add(&mut self, e: &mut Entity, o: &Object<'_>, prop: &str, value: &str) {
        if let Err(err) = e.add_raw(prop, value) {
            self.warnings.push(format!(
                "{}: line {}: field {prop}: {err}; value dropped",
                o.input.name, o.line
            ));
        }
    }

    /// Copies an Address entity into the subject's `address` and `country`.
    fn address(&mut self, e: &mut Entity, subject: &Object<'_>, addr: &Object<'_>) {
        let full = addr.values("full");
        let text = if full.is_empty() {
            ["street", "postalCode", "city", "region"]
                .iter()
                .flat_map(|p| addr.values(p))
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            full.join("; ")
        };
        self.add(e, subject, Property::Address.name(), &text);
        for c in addr.values("country") {
            self.add(e, addr, Property::Country.name(), c);
        }
    }

    /// Folds a link entity into the subjects it points at; false when none is in the input.
    fn fold(
        &mut self,
        o: &Object<'_>,
        index: &HashMap<String, usize>,
        entities: &mut [Entity],
    ) -> bool {
        let (link, values): (&str, Vec<(Property, String)>) = match o.schema.as_str() {
            "Sanction" => ("entity", sanction_values(o)),
            "Passport" => ("holder", number_values(o, Property::PassportNumber)),
            "Identification" => ("holder", number_values(o, Property::IdNumber)),
            _ => return false,
        };
        let mut folded = false;
        for target in o.values(link) {
            let Some(e) = index.get(target).and_then(|i| entities.get_mut(*i)) else {
                continue;
            };
            folded = true;
            for (prop, v) in &values {
                self.add(e, o, prop.name(), v);
            }
        }
        folded
    }

    /// Whether an entity has a name; a nameless one is reported and dropped.
    fn named(&mut self, e: &Entity) -> bool {
        let named = e.names().next().is_some();
        if !named {
            self.warnings.push(format!(
                "entity {} ({}) has no name, caption or name parts; skipped",
                e.id, e.schema
            ));
        }
        named
    }
}

/// What a Sanction says about its entity.
fn sanction_values(o: &Object<'_>) -> Vec<(Property, String)> {
    let mut out: Vec<(Property, String)> = Vec::new();
    let mut push = |p: Property, vs: Vec<String>| out.extend(vs.into_iter().map(|v| (p, v)));
    push(Property::Program, o.first(&["program", "programId"]));
    push(Property::CreatedAt, o.first(&["listingDate", "startDate"]));
    push(Property::SourceUrl, o.values("sourceUrl").to_vec());
    let authority = o.values("authority").join(", ");
    let reason = o.values("reason").join(" ");
    let note = match (authority.is_empty(), reason.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!("Sanction ({authority})"),
        (true, false) => format!("Sanction: {reason}"),
        (false, false) => format!("Sanction ({authority}): {reason}"),
    };
    push(Property::Notes, vec![note]);
    out
}

/// The document number of a Passport or Identification.
fn number_values(o: &Object<'_>, prop: Property) -> Vec<(Property, String)> {
    o.values("number")
        .iter()
        .map(|n| (prop, n.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = include_str!("../../tests/fixtures/ftm/sample.ftm.json");

    fn run(name: &str, text: &str) -> Result<ParsedList, ParseError> {
        let input = Input {
            name: name.to_string(),
            data: text.as_bytes().to_vec(),
        };
        crate::formats::Format::FtmJson.parse(&[input], "ftm_test")
    }

    fn sample() -> ParsedList {
        run("sample.ftm.json", SAMPLE).unwrap_or_else(|e| panic!("{e}"))
    }

    fn error(name: &str, text: &str) -> String {
        run(name, text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn subjects_keep_ids_datasets_and_properties() {
        let list = sample();
        assert_eq!(list.records, 12);
        let ids: Vec<&str> = list.entities.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["t-p1", "t-a1", "t-b1", "t-c1", "t-v1"]);
        let p = list.entity("t-p1").expect("entity present");
        assert_eq!(p.schema, Schema::Person);
        assert_eq!(p.get(Property::Name), ["Ivan FIKTIVNY", "Иван ФИКТИВНЫЙ"]);
        assert_eq!(p.get(Property::Alias), ["Vanya FIKTIVNY"]);
        assert_eq!(p.get(Property::BirthDate), ["1970-01-02"]);
        assert_eq!(p.get(Property::Nationality), ["ru"]);
        assert_eq!(p.get(Property::Gender), ["male"]);
        assert_eq!(
            p.properties.get("wikidataId"),
            Some(&vec!["Q0".to_string()])
        );
        assert_eq!(p.datasets, ["test_source", "ftm_test", "other_source"]);
        assert_eq!(
            p.provenance.as_ref().map(|p| p.record_id.as_str()),
            Some("t-p1")
        );
        assert_eq!(
            list.entity("t-a1").expect("entity present").schema,
            Schema::Aircraft
        );
        let b = list.entity("t-b1").expect("entity present");
        assert_eq!(b.schema, Schema::Organization);
        assert_eq!(b.get(Property::Name), ["Ministry of Fiction", "虚构部"]);
        let v = list.entity("t-v1").expect("entity present");
        assert_eq!(
            (v.get(Property::ImoNumber), v.get(Property::Flag)),
            (&["9000001".to_string()][..], &["pa".to_string()][..])
        );
        let c = list.entity("t-c1").expect("entity present");
        assert_eq!(c.get(Property::Name), ["Fiktiv LLC"]);
        assert_eq!(c.datasets, ["ftm_test"]);
    }

    #[test]
    fn links_are_folded_into_their_subject() {
        let list = sample();
        let p = list.entity("t-p1").expect("entity present");
        assert_eq!(p.get(Property::Program), ["TEST-PROG"]);
        assert_eq!(p.get(Property::CreatedAt), ["2022-02-24"]);
        assert_eq!(p.get(Property::SourceUrl), ["https://example.org/s1"]);
        assert_eq!(
            p.get(Property::Notes),
            ["Sanction (Test Authority): Fictional reason."]
        );
        assert_eq!(p.get(Property::PassportNumber), ["P123456"]);
        assert_eq!(p.get(Property::IdNumber), ["ID-77"]);
        assert_eq!(p.get(Property::Address), ["1 Fiction Street, Testgrad"]);
        assert_eq!(p.get(Property::Country), ["ru"]);
        // A reference to an address that is not in the input is kept as given.
        assert_eq!(
            p.properties.get("addressEntity"),
            Some(&vec!["t-addr-missing".to_string()])
        );
    }

    #[test]
    fn skipped_entities_are_summarised_and_bad_values_warned() {
        let list = sample();
        assert_eq!(
            list.warnings,
            [
                "sample.ftm.json: line 1: field birthDate: birthDate: not a valid date: \"3017-08-22\" (year out of range 1000-2100); value dropped",
                "sample.ftm.json: line 1: field nationality: nationality: unknown country \"Atlantis\"; value dropped",
                "1 Ownership entities skipped: dualtrace does not model this schema, or the entity they qualify is not in the input",
                "1 Sanction entities skipped: dualtrace does not model this schema, or the entity they qualify is not in the input",
            ]
        );
    }

    #[test]
    fn json_array_files_are_read_with_lines() {
        let text = "[\n  {\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A B\"]}},\n  {\"id\":\"b\",\"schema\":\"Company\",\"properties\":{\"name\":\"C D\",\"incorporationDate\":[\"31.02.2001\"]}}\n]\n";
        let list = run("arr.json", text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.records, 2);
        assert_eq!(
            list.entity("b")
                .expect("entity present")
                .get(Property::Name),
            ["C D"]
        );
        assert!(list.warnings[0].starts_with("arr.json: line 3: field incorporationDate:"));
        assert_eq!(run("empty.json", " [ ] ").map(|l| l.records).ok(), Some(0));
        let bom = format!("\u{feff}{text}");
        assert_eq!(run("bom.json", &bom).map(|l| l.records).ok(), Some(2));
        assert_eq!(
            error("a.json", "[{\"id\":\"a\",\"schema\":\"Person\"} {}]"),
            "a.json: line 1: field json: expected ',' or ']' in the JSON array"
        );
        assert_eq!(
            error("a.json", "[\n{\"id\":\"a\",\"schema\":\"Person\"},"),
            "a.json: line 2: field json: unterminated JSON array"
        );
        assert_eq!(
            error("a.json", "[\n{\"id\":\"a\",\"schema\":\"Person\"}]\nx"),
            "a.json: line 3: field json: text after the JSON array"
        );
        assert!(
            error("a.json", "[\n\n{\"id\":")
                .starts_with("a.json: line 3: field json: not a JSON entity object")
        );
    }

    #[test]
    fn malformed_lines_are_errors_with_line_and_field() {
        let good = r#"{"id":"a","schema":"Person","properties":{"name":["A"]}}"#;
        let cases = [
            (
                "{not json",
                "field json: not a JSON entity object: key must be a string at line 1 column 2",
            ),
            ("[1]", "field json: expected a JSON object"),
            (r#"{"schema":"Person"}"#, "field id: missing or empty"),
            (
                r#"{"id":" ","schema":"Person"}"#,
                "field id: missing or empty",
            ),
            (
                r#"{"id":7,"schema":"Person"}"#,
                "field id: expected a string",
            ),
            (r#"{"id":"a"}"#, "field schema: missing or empty"),
            (
                r#"{"id":"a","schema":"Person","properties":[]}"#,
                "field properties: expected a JSON object",
            ),
            (
                r#"{"id":"a","schema":"Person","properties":{"name":[1]}}"#,
                "field properties.name: expected an array of strings",
            ),
            (
                r#"{"id":"a","schema":"Person","datasets":5}"#,
                "field datasets: expected an array of strings",
            ),
        ];
        for (line, expected) in cases {
            let text = format!("{good}\n\n{line}\n");
            let text = if line == "[1]" {
                format!("{good}\n\n {line}\n")
            } else {
                text
            };
            assert_eq!(
                error("bad.json", &text),
                format!("bad.json: line 3: {expected}"),
                "{line}"
            );
        }
    }

    #[test]
    fn nameless_entities_are_skipped_with_a_warning() {
        let list = run("n.json", "{\"id\":\"x\",\"schema\":\"Company\"}\n{\"id\":\"y\",\"schema\":\"Person\",\"properties\":{\"firstName\":[\"Ivan\"],\"lastName\":[\"Testov\"]}}\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.entities.len(), 1);
        assert_eq!(
            list.entity("y")
                .expect("entity present")
                .get(Property::Name),
            ["Ivan Testov"]
        );
        assert_eq!(
            list.warnings,
            ["entity x (Company) has no name, caption or name parts; skipped"]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// JSON-ish text never panics.
        #[test]
        fn arbitrary_text_never_panics(s in "[\\[\\]{}\":,a-z0-9 \n]{0,200}") {
            let _ = run("fuzz.json", &s);
        }

        /// Mutating bytes of the fixture never panics.
        #[test]
        fn mutated_fixture_never_panics(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
            let mut data = SAMPLE.as_bytes().to_vec();
            for (at, byte) in edits {
                let len = data.len();
                data[at % len] = byte;
            }
            let _ = crate::formats::Format::FtmJson.parse(&[Input { name: "m.json".into(), data }], "x");
        }
    }
}
