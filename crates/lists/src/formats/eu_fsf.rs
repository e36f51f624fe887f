//! EU Financial Sanctions File (FSF): the consolidated list as XML 1.1 and CSV 1.1.
//!
//! # Format
//!
//! XML 1.1: `<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate=...>` holds one
//! `sanctionEntity` per listing (attributes `logicalId`, `euReferenceNumber`, `unitedNationId`,
//! `designationDate`, `designationDetails`). Its children are `remark` (text), `regulation`
//! (attributes `regulationType`, `programme`, `publicationDate`, `entryIntoForceDate`,
//! `numberTitle`; child `publicationUrl`), `subjectType` (`code` person/enterprise,
//! `classificationCode` P/E), and the repeated components `nameAlias` (`firstName`,
//! `middleName`, `lastName`, `wholeName`, `function`, `gender`, `title`, `nameLanguage`,
//! `strong`), `citizenship` (`countryIso2Code`, `countryDescription`), `birthdate`
//! (`birthdate`, `dayOfMonth`, `monthOfYear`, `year`, `yearRangeFrom`, `yearRangeTo`, `city`,
//! `zipCode`, `region`, `place`, country), `identification` (`identificationTypeCode`,
//! `identificationTypeDescription`, `number`, `latinNumber`, `issuedBy`, `nameOnDocument`,
//! flags such as `diplomatic` and `knownFalse`, country) and `address` (`street`, `poBox`,
//! `zipCode`, `city`, `region`, `place`, country; children `contactInfo key= value=` and
//! `remark`). Components may carry `remark` and `regulationSummary` children. Country `00`
//! / `UNKNOWN` means "not known".
//!
//! CSV 1.1: `;`-separated, one header row of `Entity_*`, `NameAlias_*`, `Address_*`,
//! `BirthDate_*`, `Identification_*` and `Citizenship_*` columns (`Entity_LogicalId`,
//! `NameAlias_WholeName`, `BirthDate_YearRangeFrom`, ...). Each row repeats the entity's and
//! its regulation's columns and fills the columns of one component, so an entity spreads over
//! one row per name, address, birth date, identification and citizenship. Rows are grouped by
//! `Entity_LogicalId` (they need not be adjacent) and merged into one entity; `records` counts
//! rows.
//!
//! An XML `logicalId` listed twice is merged the same way, with a warning.
//!
//! Both formats feed the same component mappers through the `Fields` view (an XML attribute
//! or child name and a CSV column name per field), so the two files of one list version give
//! identical entities.
//!
//! # Mapping decisions
//!
//! * Ids are `eu-fsf-{logicalId}`: the logical id is the FSF's own stable key and is present in
//!   both formats. The provenance record id is the public `euReferenceNumber` (`EU.27.28`),
//!   or the logical id when there is none. A listing without logical id is an error.
//! * `person` → `Person`; `enterprise` → `LegalEntity`. The FSF's "enterprise" covers
//!   companies, banks, ministries, militias and parties alike, so FtM's parent schema is the
//!   faithful choice (the UN parser does the same for `ENTITY`). An unknown subject type is a
//!   warning and gives `LegalEntity`.
//! * Names: the first strong `wholeName` is the `name`, later strong ones `alias`, and
//!   `strong="false"` ones (or those whose remark calls them "low quality") `weakAlias`. The
//!   CSV 1.1 column list has no strength flag: an optional `NameAlias_Strong` column is read
//!   when present, and the "low quality" remark convention works in both formats. Name parts
//!   go to `firstName`/`middleName`/`lastName`, `function` to `position` (persons) or `notes`,
//!   `title` → `title`, `gender` M/F → `gender`. The name language is not kept (the model has
//!   no per-value language).
//! * `citizenship` → `citizenship`. Birth dates: a full `birthdate`, else the day/month/year
//!   parts, plus every year of `yearRangeFrom..yearRangeTo` (bounded like the UN ranges); the
//!   birth place and country → `birthPlace`, `birthCountry`. `circa` needs no flag: the
//!   precision of the date says it.
//! * Identifications are typed from their code and description together: `passport` →
//!   `passportNumber`; named codes anywhere in the label win (INN, OGRN, KPP, LEI, SWIFT/BIC,
//!   IMO...); `fiscalcode` or a "tax" label → `taxNumber`, which for a Russian (`RU`) number is
//!   the INN → `innCode`; `regnumber` → `registrationNumber`; other identity papers →
//!   `idNumber` for persons, `registrationNumber` for enterprises. `latinNumber` is added
//!   beside `number`; the issuing country goes to `country`; issuer, flags (diplomatic, known
//!   false...) and remarks to `notes`.
//! * Addresses → `address` (and `country`); `contactInfo` PHONE/FAX → `phone`, EMAIL →
//!   `email`, WEB → `website` (the CSV's untyped `Address_ContactInfo` goes to `notes`).
//! * `programme` → `program`, `publicationUrl` → `sourceUrl`, `designationDate` → `createdAt`
//!   (else the earliest regulation publication date), the latest later regulation date →
//!   `modifiedAt`, the legal act (`numberTitle`) and every `remark`, `designationDetails` and
//!   `unitedNationId` → `notes`.
//!
//! Bad values inside a well-formed listing become warnings naming file, place and field.

use super::values::{
    Warn, id_property, join_parts, parse_date, prefixed, put, put_country, put_date, put_gender,
    put_note, put_years,
};
use super::xml::{XmlNode, XmlRecords};
use crate::error::{Location, ParseError};
use crate::formats::ParsedList;
use crate::source::Input;
use dualtrace_model::entity::clean_text;
use dualtrace_model::{Entity, PartialDate, Property, Schema, country_code};
use std::collections::HashMap;

/// Parses EU FSF XML 1.1.
pub fn parse_xml(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    let mut out = ParsedList::default();
    let mut entries = Entries::default();
    for input in inputs {
        let mut records = XmlRecords::new(input, "export");
        while let Some(node) = records.next_record(&["sanctionEntity"])? {
            out.records += 1;
            read_xml_entity(&node, input, list, &mut entries, &mut out.warnings)?;
        }
    }
    out.entities = entries.into_entities()?;
    Ok(out)
}

/// Reads one `sanctionEntity` element into its entry.
fn read_xml_entity(
    node: &XmlNode,
    input: &Input,
    list: &str,
    entries: &mut Entries,
    warnings: &mut Vec<String>,
) -> Result<(), ParseError> {
    let logical_id = clean_text(node.attr("logicalId"));
    if logical_id.is_empty() {
        let msg = "sanctionEntity without logicalId";
        return Err(input.error_at_byte(node.byte, "sanctionEntity/@logicalId", msg));
    }
    let mut w = Warn::at_byte(input, node.byte, warnings);
    if entries.index.contains_key(&logical_id) {
        let msg = format!("logicalId {logical_id} is listed twice: the two elements are merged");
        w.push("sanctionEntity/@logicalId", msg);
    }
    let fields = XmlFields(node);
    let subject = node
        .children_named("subjectType")
        .next()
        .map_or(("", ""), |s| (s.attr("code"), s.attr("classificationCode")));
    // Names are checked below, at this element's position, so the entry needs no origin of
    // its own (computing an XML line for every entry would read the file once per entry).
    let origin = || ParseError::new(&input.name, Location::File, "nameAlias", "");
    let entry = entries.entry(&logical_id, &fields, subject, list, origin, &mut w);
    entry.head(&fields, &mut w);
    for child in &node.children {
        let f = XmlFields(child);
        match child.name.as_str() {
            "regulation" => entry.regulation(&f, &mut w),
            "nameAlias" => entry.name_alias(&f, &mut w),
            "citizenship" => entry.citizenship(&f, &mut w),
            "birthdate" => entry.birth(&f, &mut w),
            "identification" => entry.identification(&f, &mut w),
            "address" => entry.address(&f, &mut w),
            _ => {}
        }
    }
    if entry.entity.names().next().is_none() {
        let msg = format!("listing {} has no name", entry.entity.id);
        return Err(input.error_at_byte(node.byte, "nameAlias", msg));
    }
    Ok(())
}

/// The byte-order mark some exports start with.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses EU FSF CSV 1.1.
pub fn parse_csv(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    let mut out = ParsedList::default();
    let mut entries = Entries::default();
    for input in inputs {
        read_csv_file(input, list, &mut entries, &mut out)?;
    }
    out.entities = entries.into_entities()?;
    Ok(out)
}

/// Reads the rows of one CSV file into their entries.
fn read_csv_file(
    input: &Input,
    list: &str,
    entries: &mut Entries,
    out: &mut ParsedList,
) -> Result<(), ParseError> {
    let data = input.data.strip_prefix(BOM).unwrap_or(&input.data);
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(data);
    let headers = reader.headers().map_err(|e| csv_error(input, &e))?;
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_string(), i))
        .collect();
    if !columns.contains_key("Entity_LogicalId") {
        let msg = "no Entity_LogicalId column: empty file or not an EU FSF CSV 1.1 file";
        return Err(input.error_at_line(1, "Entity_LogicalId", msg));
    }
    let mut row = csv::StringRecord::new();
    while reader
        .read_record(&mut row)
        .map_err(|e| csv_error(input, &e))?
    {
        out.records += 1;
        let line = row.position().map_or(0, csv::Position::line);
        let f = CsvFields {
            row: &row,
            columns: &columns,
        };
        let logical_id = clean_text(f.get("", "Entity_LogicalId"));
        if logical_id.is_empty() {
            let msg = "row without Entity_LogicalId";
            return Err(input.error_at_line(line, "Entity_LogicalId", msg));
        }
        let mut w = Warn::new(input, Location::Line(line), &mut out.warnings);
        let subject = (
            f.get("", "Entity_SubjectType"),
            f.get("", "Entity_SubjectType_ClassificationCode"),
        );
        let origin = || input.error_at_line(line, "NameAlias_WholeName", "");
        let entry = entries.entry(&logical_id, &f, subject, list, origin, &mut w);
        entry.head(&f, &mut w);
        entry.regulation(&f, &mut w);
        entry.name_alias(&f, &mut w);
        entry.citizenship(&f, &mut w);
        entry.birth(&f, &mut w);
        entry.identification(&f, &mut w);
        entry.address(&f, &mut w);
    }
    Ok(())
}

/// A CSV reading error (bad quoting, a row of the wrong width, bad UTF-8) at its line.
fn csv_error(input: &Input, err: &csv::Error) -> ParseError {
    let line = err.position().map_or(1, csv::Position::line);
    input.error_at_line(line, "row", format!("malformed CSV: {err}"))
}

/// The fields of one FSF component, whichever file it was read from.
trait Fields {
    /// The value of a field: the XML attribute (or child element) `xml`, or the CSV column
    /// `csv`; `""` when absent.
    fn get(&self, xml: &str, csv: &str) -> &str;

    /// The remarks of the component (XML `remark` children, or the CSV column `csv`).
    fn remarks(&self, csv: &str) -> Vec<&str>;

    /// Contact details of an address as (kind, value); the kind is empty when not typed.
    fn contacts(&self) -> Vec<(&str, &str)>;
}

/// An XML element as [`Fields`].
struct XmlFields<'n>(&'n XmlNode);

impl Fields for XmlFields<'_> {
    fn get(&self, xml: &str, _csv: &str) -> &str {
        if self.0.has_attr(xml) {
            self.0.attr(xml)
        } else {
            self.0.child_text(xml)
        }
    }

    fn remarks(&self, _csv: &str) -> Vec<&str> {
        self.0.children_named("remark").map(XmlNode::text).collect()
    }

    fn contacts(&self) -> Vec<(&str, &str)> {
        self.0
            .children_named("contactInfo")
            .map(|c| (c.attr("key"), c.attr("value")))
            .collect()
    }
}

/// A CSV row as [`Fields`].
struct CsvFields<'r> {
    row: &'r csv::StringRecord,
    columns: &'r HashMap<String, usize>,
}

impl Fields for CsvFields<'_> {
    fn get(&self, _xml: &str, csv: &str) -> &str {
        self.columns
            .get(csv)
            .and_then(|&i| self.row.get(i))
            .unwrap_or("")
    }

    fn remarks(&self, csv: &str) -> Vec<&str> {
        vec![self.get("", csv)]
    }

    fn contacts(&self) -> Vec<(&str, &str)> {
        vec![("", self.get("", "Address_ContactInfo"))]
    }
}

/// The entries read so far, in first-seen order, by logical id.
#[derive(Default)]
struct Entries {
    list: Vec<Entry>,
    index: HashMap<String, usize>,
}

impl Entries {
    /// The entry of `logical_id`, created from `f` on first sight.
    fn entry(
        &mut self,
        logical_id: &str,
        f: &dyn Fields,
        subject: (&str, &str),
        list: &str,
        origin: impl FnOnce() -> ParseError,
        w: &mut Warn,
    ) -> &mut Entry {
        let at = match self.index.get(logical_id) {
            Some(&at) => at,
            None => {
                let entry = Entry::new(logical_id, f, subject, list, origin(), w);
                self.list.push(entry);
                self.index
                    .insert(logical_id.to_string(), self.list.len() - 1);
                self.list.len() - 1
            }
        };
        &mut self.list[at]
    }

    /// The finished entities; an entry without any name is an error at its first record.
    fn into_entities(self) -> Result<Vec<Entity>, ParseError> {
        self.list.into_iter().map(Entry::finish).collect()
    }
}

/// One FSF listing being assembled from its components.
struct Entry {
    entity: Entity,
    person: bool,
    has_name: bool,
    designated: Option<PartialDate>,
    regulation_dates: Vec<PartialDate>,
    /// Where the listing was first seen (file, place, name field), to report a missing name.
    origin: ParseError,
}

impl Entry {
    fn new(
        logical_id: &str,
        f: &dyn Fields,
        (code, class): (&str, &str),
        list: &str,
        origin: ParseError,
        w: &mut Warn,
    ) -> Entry {
        let reference = clean_text(f.get("euReferenceNumber", "Entity_EU_ReferenceNumber"));
        let record_id = if reference.is_empty() {
            logical_id.to_string()
        } else {
            reference
        };
        let kind = if code.trim().is_empty() { class } else { code };
        let person = match kind.trim().to_lowercase().as_str() {
            "person" | "p" => true,
            "enterprise" | "e" => false,
            other => {
                w.push(
                    "subjectType",
                    format!("unknown subject type {other:?}, taken as LegalEntity"),
                );
                false
            }
        };
        let schema = if person {
            Schema::Person
        } else {
            Schema::LegalEntity
        };
        Entry {
            entity: Entity::new(format!("eu-fsf-{logical_id}"), schema)
                .with_source(list, record_id),
            person,
            has_name: false,
            designated: None,
            regulation_dates: Vec::new(),
            origin,
        }
    }

    /// The listing's own fields: remarks, designation date and details, UN reference.
    fn head(&mut self, f: &dyn Fields, w: &mut Warn) {
        let e = &mut self.entity;
        for remark in f.remarks("Entity_Remark") {
            put(e, w, Property::Notes, remark, "Entity_Remark");
        }
        let details = f.get("designationDetails", "Entity_DesignationDetails");
        put_note(e, "Designation", details);
        put_note(
            e,
            "UN reference",
            f.get("unitedNationId", "Entity_UnitedNationId"),
        );
        match parse_date(f.get("designationDate", "Entity_DesignationDate")) {
            Ok(Some(d)) => self.designated = Some(self.designated.map_or(d, |old| old.min(d))),
            Ok(None) => {}
            Err(msg) => w.push("designationDate", msg),
        }
    }

    /// A regulation: programme, legal act, publication date and URL.
    fn regulation(&mut self, f: &dyn Fields, w: &mut Warn) {
        let e = &mut self.entity;
        put(
            e,
            w,
            Property::Program,
            f.get("programme", "Entity_Regulation_Programme"),
            "programme",
        );
        let url = f.get("publicationUrl", "Entity_Regulation_PublicationUrl");
        put(e, w, Property::SourceUrl, url, "publicationUrl");
        let published = f.get("publicationDate", "Entity_Regulation_PublicationDate");
        match parse_date(published) {
            Ok(Some(d)) => self.regulation_dates.push(d),
            Ok(None) => {}
            Err(msg) => w.push("regulation/publicationDate", msg),
        }
        let act = f.get("numberTitle", "Entity_Regulation_NumberTitle");
        if !act.trim().is_empty() {
            let kind = f.get("regulationType", "Entity_Regulation_Type");
            let text = join_parts(&[act, kind, &prefixed("published ", published)], ", ");
            put_note(e, "Legal basis", &text);
        }
    }

    /// A name: primary, strong or weak alias, with its parts, function, title and gender.
    fn name_alias(&mut self, f: &dyn Fields, w: &mut Warn) {
        let parts = [
            (
                f.get("firstName", "NameAlias_FirstName"),
                Property::FirstName,
            ),
            (
                f.get("middleName", "NameAlias_MiddleName"),
                Property::MiddleName,
            ),
            (f.get("lastName", "NameAlias_LastName"), Property::LastName),
        ];
        let whole = clean_text(f.get("wholeName", "NameAlias_WholeName"));
        let whole = if whole.is_empty() {
            join_parts(&parts.map(|p| p.0), " ")
        } else {
            whole
        };
        if whole.is_empty() {
            return;
        }
        let remarks = f.remarks("NameAlias_Remark");
        let low_quality = |r: &&str| r.to_lowercase().contains("low quality");
        let weak = f
            .get("strong", "NameAlias_Strong")
            .trim()
            .eq_ignore_ascii_case("false")
            || remarks.iter().any(low_quality);
        let prop = match (weak, self.has_name) {
            (true, _) => Property::WeakAlias,
            (false, false) => Property::Name,
            (false, true) => Property::Alias,
        };
        self.has_name |= prop == Property::Name;
        let e = &mut self.entity;
        put(e, w, prop, &whole, "wholeName");
        for (value, part) in parts {
            put(e, w, part, value, "nameAlias");
        }
        let function = f.get("function", "NameAlias_Function");
        if self.person {
            put(e, w, Property::Position, function, "function");
        } else {
            put_note(e, "Function", function);
        }
        put(
            e,
            w,
            Property::Title,
            f.get("title", "NameAlias_Title"),
            "title",
        );
        put_gender(e, w, f.get("gender", "NameAlias_Gender"), "gender");
        for remark in remarks.iter().filter(|r| !low_quality(r)) {
            put_note(e, &format!("Name {whole}"), remark);
        }
    }

    /// A citizenship.
    fn citizenship(&mut self, f: &dyn Fields, w: &mut Warn) {
        let e = &mut self.entity;
        put_fsf_country(e, w, Property::Citizenship, f, "Citizenship");
        for remark in f.remarks("Citizenship_Remark") {
            put_note(e, "Citizenship", remark);
        }
    }

    /// A birth date (full, in parts, or a year range) and the place of birth.
    fn birth(&mut self, f: &dyn Fields, w: &mut Warn) {
        let e = &mut self.entity;
        let full = f.get("birthdate", "BirthDate_BirthDate");
        if full.trim().is_empty() {
            let day = f.get("dayOfMonth", "BirthDate_Day");
            let month = f.get("monthOfYear", "BirthDate_Month");
            let year = f.get("year", "BirthDate_Year");
            put_date_parts(e, w, year, month, day);
        } else {
            put_date(e, w, Property::BirthDate, full, "birthdate");
        }
        let from = f.get("yearRangeFrom", "BirthDate_YearRangeFrom");
        put_years(
            e,
            w,
            from,
            f.get("yearRangeTo", "BirthDate_YearRangeTo"),
            "yearRangeFrom",
        );
        let place = [
            f.get("place", "BirthDate_Place"),
            f.get("city", "BirthDate_City"),
            f.get("zipCode", "BirthDate_ZipCode"),
            f.get("region", "BirthDate_Region"),
            known(f.get("countryDescription", "BirthDate_CountryDescription")),
        ];
        put(
            e,
            w,
            Property::BirthPlace,
            &join_parts(&place, ", "),
            "birthdate/city",
        );
        put_fsf_country(e, w, Property::BirthCountry, f, "BirthDate");
        for remark in f.remarks("BirthDate_Remark") {
            put_note(e, "Birth", remark);
        }
    }

    /// An identification: the number typed by code and label, the country, and a note with
    /// the document's details.
    fn identification(&mut self, f: &dyn Fields, w: &mut Warn) {
        let number = f.get("number", "Identification_Number");
        let latin = f.get("latinNumber", "Identification_LatinNumber");
        let remarks = f.remarks("Identification_Remark");
        if number.trim().is_empty() && latin.trim().is_empty() {
            return;
        }
        let code = f.get("identificationTypeCode", "Identification_TypeCode");
        let label = f.get(
            "identificationTypeDescription",
            "Identification_TypeDescription",
        );
        let iso2 = f.get("countryIso2Code", "Identification_CountryIso2Code");
        let prop = fsf_id_property(
            code,
            &join_parts(&[label, &remarks.join(" ")], " "),
            iso2,
            self.person,
        );
        let e = &mut self.entity;
        put(e, w, prop, number, "identification/number");
        put(e, w, prop, latin, "identification/latinNumber");
        put_fsf_country(e, w, Property::Country, f, "Identification");
        let mut details = vec![
            prefixed("issued by ", f.get("issuedBy", "Identification_IssuedBy")),
            known(f.get("countryDescription", "Identification_CountryDescription")).to_string(),
            prefixed(
                "issued on ",
                f.get("issueDate", "Identification_IssuedDate"),
            ),
            prefixed(
                "valid from ",
                f.get("validFrom", "Identification_ValidFrom"),
            ),
            prefixed("valid to ", f.get("validTo", "Identification_ValidTo")),
            prefixed(
                "name on document: ",
                f.get("nameOnDocument", "Identification_NameOnDocument"),
            ),
        ];
        for (xml, csv, text) in ID_FLAGS {
            if is_true(f.get(xml, csv)) {
                details.push(text.to_string());
            }
        }
        details.extend(remarks.iter().map(|r| clean_text(r)));
        let subject = join_parts(
            &[if label.trim().is_empty() { code } else { label }, number],
            " ",
        );
        let details: Vec<&str> = details.iter().map(String::as_str).collect();
        put_note(e, &subject, &join_parts(&details, "; "));
    }

    /// An address, its country, contact details and remarks.
    fn address(&mut self, f: &dyn Fields, w: &mut Warn) {
        let e = &mut self.entity;
        let local = join_parts(
            &[
                f.get("street", "Address_Street"),
                &prefixed("PO Box ", f.get("poBox", "Address_PoBox")),
                f.get("zipCode", "Address_ZipCode"),
                f.get("city", "Address_City"),
                f.get("region", "Address_Region"),
                f.get("place", "Address_Place"),
            ],
            ", ",
        );
        let country = known(f.get("countryDescription", "Address_CountryDescription"));
        let full = join_parts(&[&local, country], ", ");
        if !local.is_empty() {
            put(e, w, Property::Address, &full, "address");
        }
        put_fsf_country(e, w, Property::Country, f, "Address");
        for (kind, value) in f.contacts() {
            let prop = match kind.trim().to_uppercase().as_str() {
                "PHONE" | "FAX" => Property::Phone,
                "EMAIL" => Property::Email,
                "WEB" | "WEBSITE" => Property::Website,
                _ => {
                    put_note(e, "Contact", value);
                    continue;
                }
            };
            put(e, w, prop, value, "address/contactInfo");
        }
        for remark in f.remarks("Address_Remark") {
            put_note(e, &format!("Address {full}"), remark);
        }
    }

    /// The entity, with its listing and modification dates; an error when it got no name.
    fn finish(mut self) -> Result<Entity, ParseError> {
        if self.entity.names().next().is_none() {
            let msg = format!("listing {} has no name", self.entity.id);
            return Err(ParseError {
                message: msg,
                ..self.origin
            });
        }
        let first = self.regulation_dates.iter().min().copied();
        let created = self.designated.or(first);
        if let Some(d) = created {
            self.entity.add_date(Property::CreatedAt, d);
        }
        let latest = self.regulation_dates.iter().max().copied();
        if let Some(d) = latest.filter(|d| created.is_none_or(|c| d > &c)) {
            self.entity.add_date(Property::ModifiedAt, d);
        }
        Ok(self.entity)
    }
}

/// Identification flags worth a note: XML attribute, CSV column, text.
const ID_FLAGS: [(&str, &str, &str); 5] = [
    ("diplomatic", "Identification_Diplomatic", "diplomatic"),
    (
        "knownExpired",
        "Identification_KnownExpired",
        "known expired",
    ),
    ("knownFalse", "Identification_KnownFalse", "known false"),
    (
        "reportedLost",
        "Identification_ReportedLost",
        "reported lost",
    ),
    (
        "revokedByIssuer",
        "Identification_RevokedByIssuer",
        "revoked by issuer",
    ),
];

fn is_true(value: &str) -> bool {
    matches!(value.trim().to_lowercase().as_str(), "true" | "1" | "yes")
}

/// A country description, or `""` for the FSF's `UNKNOWN` placeholder.
fn known(description: &str) -> &str {
    if description.trim().eq_ignore_ascii_case("unknown") {
        ""
    } else {
        description
    }
}

/// The property an FSF identification goes to (see the module documentation).
fn fsf_id_property(code: &str, label: &str, iso2: &str, person: bool) -> Property {
    let prop = match code.trim().to_lowercase().as_str() {
        "passport" => Property::PassportNumber,
        "swiftbic" => Property::SwiftBic,
        "imo" => Property::ImoNumber,
        kind => id_property(&format!("{kind} {label}"), person),
    };
    let russian = iso2.trim().eq_ignore_ascii_case("ru");
    match prop {
        Property::TaxNumber if russian => Property::InnCode,
        other => other,
    }
}

/// Adds the country of a component (ISO code, else the description); `00`/`UNKNOWN` is
/// skipped, an unmappable country is a warning.
fn put_fsf_country(e: &mut Entity, w: &mut Warn, prop: Property, f: &dyn Fields, part: &str) {
    let iso2 = f
        .get("countryIso2Code", &format!("{part}_CountryIso2Code"))
        .trim();
    let description = f.get("countryDescription", &format!("{part}_CountryDescription"));
    let field = format!("{part}/countryIso2Code");
    if !iso2.is_empty() && iso2 != "00" {
        if let Ok(code) = country_code(iso2) {
            return put(e, w, prop, &code, &field);
        }
        if known(description).trim().is_empty() {
            return w.push(&field, format!("unknown country code {iso2:?}"));
        }
    }
    put_country(e, w, prop, known(description), &field);
}

/// Adds a birth date given as year, month and day parts (month and day optional; `0` means
/// unknown).
fn put_date_parts(e: &mut Entity, w: &mut Warn, year: &str, month: &str, day: &str) {
    let num = |v: &str| v.trim().parse::<u16>().ok().filter(|n| *n > 0);
    let small = |v: &str| num(v).and_then(|n| u8::try_from(n).ok());
    if year.trim().is_empty() {
        return;
    }
    let date = num(year)
        .ok_or("bad year")
        .and_then(|y| PartialDate::new(y, small(month), small(month).and(small(day))));
    match date {
        Ok(d) => {
            e.add_date(Property::BirthDate, d);
        }
        Err(why) => w.push(
            "birthdate/year",
            format!("not a valid date: {year}-{month}-{day} ({why})"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::Format;
    use proptest::prelude::*;

    const XML: &str = include_str!("../../tests/fixtures/eu_fsf/export_sample.xml");
    const CSV: &str = include_str!("../../tests/fixtures/eu_fsf/export_sample.csv");

    fn input(name: &str, text: &str) -> Input {
        Input {
            name: name.into(),
            data: text.as_bytes().to_vec(),
        }
    }

    fn xml(text: &str) -> Result<ParsedList, ParseError> {
        parse_xml(&[input("fsf.xml", text)], "eu_fsf")
    }

    fn csv(text: &str) -> Result<ParsedList, ParseError> {
        parse_csv(&[input("fsf.csv", text)], "eu_fsf")
    }

    #[test]
    fn xml_and_csv_give_the_same_entities() {
        let from_xml = xml(XML).expect("xml parses");
        let from_csv = csv(CSV).expect("csv parses");
        assert_eq!(from_xml.entities.len(), 4);
        assert_eq!(from_xml.records, 4);
        assert_eq!(from_csv.records, 28);
        for (a, b) in from_xml.entities.iter().zip(&from_csv.entities) {
            assert_eq!(a, b, "{} differs between XML and CSV", a.id);
        }
        assert_eq!(from_xml.entities, from_csv.entities);
        assert_eq!(from_xml.warnings, Vec::<String>::new());
        assert_eq!(from_csv.warnings, Vec::<String>::new());
    }

    #[test]
    fn person_mapping() {
        let list = xml(XML).expect("parses");
        let p = list.entity("eu-fsf-900101").expect("entity present");
        assert_eq!(p.schema, Schema::Person);
        let prov = p.provenance.as_ref().expect("provenance");
        assert_eq!(prov.record_id, "EU.9001.01");
        assert_eq!(p.get(Property::Name), ["Lev Arkadyevich ZEMLYANOV"]);
        assert_eq!(
            p.get(Property::Alias),
            [
                "Лев Аркадьевич ЗЕМЛЯНОВ",
                "Lev Arkadievitch ZEMLIANOV",
                "Lew Arkadjewitsch SEMLJANOW"
            ]
        );
        assert_eq!(p.get(Property::WeakAlias), ["Lyova"]);
        assert_eq!(p.get(Property::FirstName), ["Lev", "Лев"]);
        assert_eq!(p.get(Property::LastName), ["ZEMLYANOV", "ЗЕМЛЯНОВ"]);
        assert_eq!(p.get(Property::Gender), ["male"]);
        assert_eq!(
            p.get(Property::Position),
            ["Deputy Director of JSC Severny Mekhanik"]
        );
        assert_eq!(p.get(Property::Citizenship), ["ru"]);
        assert_eq!(p.get(Property::BirthDate), ["1968-03-14"]);
        assert_eq!(p.get(Property::BirthPlace), ["Tula, RUSSIAN FEDERATION"]);
        assert_eq!(p.get(Property::BirthCountry), ["ru"]);
        assert_eq!(p.get(Property::PassportNumber), ["7512345678"]);
        assert_eq!(p.get(Property::InnCode), ["771234567890"]);
        assert_eq!(
            p.get(Property::Address),
            ["Ulitsa Vymyshlennaya 7, 101000, Moscow, RUSSIAN FEDERATION"]
        );
        assert_eq!(p.get(Property::Country), ["ru"]);
        assert_eq!(p.get(Property::Program), ["RUS"]);
        assert_eq!(p.get(Property::CreatedAt), ["2022-03-15"]);
        assert!(p.get(Property::ModifiedAt).is_empty());
        assert_eq!(p.get(Property::SourceUrl).len(), 1);
        let notes = p.get(Property::Notes);
        assert!(
            notes.contains(&"Fictional person for tests.".to_string()),
            "{notes:?}"
        );
        assert!(
            notes.contains(
                &"Legal basis: 2022/9901 (OJ L 901), regulation, published 2022-03-15".to_string()
            ),
            "{notes:?}"
        );
        assert!(
            notes.contains(
                &"National passport 7512345678: RUSSIAN FEDERATION; diplomatic".to_string()
            ),
            "{notes:?}"
        );
    }

    #[test]
    fn year_only_birth_dates_ranges_and_fallback_listing_date() {
        let list = xml(XML).expect("parses");
        let p = list.entity("eu-fsf-900102").expect("entity present");
        assert_eq!(p.get(Property::BirthDate), ["1975", "1970", "1971", "1972"]);
        assert_eq!(p.get(Property::Title), ["Colonel"]);
        assert_eq!(p.get(Property::WeakAlias), ["Sasha Hryb"]);
        assert_eq!(p.get(Property::IdNumber), ["3140275A001PB5"]);
        assert_eq!(p.get(Property::Citizenship), ["by"]);
        // No designationDate: the regulation's publication date is the listing date.
        assert_eq!(p.get(Property::CreatedAt), ["2021-06-24"]);
        assert_eq!(p.get(Property::Program), ["BLR"]);
    }

    #[test]
    fn enterprise_mapping() {
        let list = xml(XML).expect("parses");
        let c = list.entity("eu-fsf-900103").expect("entity present");
        assert_eq!(c.schema, Schema::LegalEntity);
        assert_eq!(
            c.get(Property::Name),
            ["Joint Stock Company Severny Mekhanik"]
        );
        assert_eq!(
            c.get(Property::Alias),
            ["АО «Северный механик»", "JSC Severny Mekhanik"]
        );
        assert_eq!(c.get(Property::OgrnCode), ["1027700000013"]);
        assert_eq!(c.get(Property::InnCode), ["7701000013"]);
        assert!(c.get(Property::FirstName).is_empty());
        assert!(c.get(Property::Notes).contains(&"Address Promyshlennaya ulitsa 1, 300000, Tula, RUSSIAN FEDERATION: Registered office".to_string()));
        let t = list.entity("eu-fsf-900104").expect("entity present");
        assert_eq!(t.get(Property::RegistrationNumber), ["DMCC-123456"]);
        assert_eq!(
            t.get(Property::Address),
            ["Office 12, Fictional Tower, PO Box 12345, Dubai, UNITED ARAB EMIRATES"]
        );
        assert_eq!(t.get(Property::Country), ["ae"]);
        assert_eq!(t.get(Property::ModifiedAt), ["2023-02-25"]);
        assert_eq!(t.get(Property::CreatedAt), ["2022-10-06"]);
        assert!(
            t.get(Property::Notes)
                .contains(&"UN reference: XXe.001".to_string())
        );
    }

    #[test]
    fn weak_flag_contacts_and_bad_values() {
        let doc = r#"<export xmlns="http://eu.europa.ec/fpi/fsd/export">
          <sanctionEntity logicalId="7" euReferenceNumber="EU.7.7" designationDate="2099-13-01">
            <subjectType code="enterprise" classificationCode="E"/>
            <nameAlias wholeName="Example Fict Ltd" strong="true"/>
            <nameAlias wholeName="EFL" strong="false"/>
            <address city="Nowhere" countryIso2Code="XX" countryDescription="ATLANTIS">
              <contactInfo key="PHONE" value="+000 111"/>
              <contactInfo key="EMAIL" value="info@example.invalid"/>
              <contactInfo key="WEB" value="https://example.invalid"/>
            </address>
            <birthdate year="1890" monthOfYear="2" dayOfMonth="30"/>
          </sanctionEntity></export>"#;
        let list = xml(doc).expect("parses");
        let e = &list.entities[0];
        assert_eq!(e.get(Property::WeakAlias), ["EFL"]);
        assert_eq!(e.get(Property::Phone), ["+000 111"]);
        assert_eq!(e.get(Property::Email), ["info@example.invalid"]);
        assert_eq!(e.get(Property::Website), ["https://example.invalid"]);
        assert!(e.get(Property::BirthDate).is_empty());
        let w = list.warnings.join("\n");
        assert!(w.contains("fsf.xml: line 2"), "{w}");
        assert!(w.contains("field designationDate: not a valid date"), "{w}");
        assert!(
            w.contains("field Address/countryIso2Code: unknown country \"ATLANTIS\""),
            "{w}"
        );
        assert!(
            w.contains("field birthdate/year: not a valid date: 1890-2-30"),
            "{w}"
        );
        assert_eq!(list.warnings.len(), 3, "{w}");
    }

    #[test]
    fn csv_strength_column_and_scattered_rows() {
        let text = "Entity_LogicalId;Entity_SubjectType;NameAlias_WholeName;NameAlias_Strong;Citizenship_CountryIso2Code\n\
                    5;person;Anna Fiktiva;true;\n\
                    6;enterprise;Other Fict;;\n\
                    5;person;Anja;false;\n\
                    5;person;;;DE\n";
        let list = csv(text).expect("parses");
        assert_eq!(list.records, 4);
        assert_eq!(list.entities.len(), 2);
        let p = &list.entities[0];
        assert_eq!(p.id, "eu-fsf-5");
        assert_eq!(p.get(Property::Name), ["Anna Fiktiva"]);
        assert_eq!(p.get(Property::WeakAlias), ["Anja"]);
        assert_eq!(p.get(Property::Citizenship), ["de"]);
    }

    #[test]
    fn csv_row_without_logical_id_is_an_error() {
        let text = "Entity_LogicalId;NameAlias_WholeName\n1;A\n;B\n";
        let err = csv(text).expect_err("missing id");
        assert_eq!(err.field, "Entity_LogicalId");
        assert_eq!(err.location, Location::Line(3));
        assert_eq!(
            err.to_string(),
            "fsf.csv: line 3: field Entity_LogicalId: row without Entity_LogicalId"
        );
    }

    #[test]
    fn csv_structure_errors() {
        let err = csv("").expect_err("empty");
        assert_eq!(err.field, "Entity_LogicalId");
        assert!(err.message.contains("not an EU FSF CSV"));
        let err = csv("a;b\n1;2\n").expect_err("wrong header");
        assert_eq!(err.location, Location::Line(1));
        let err =
            csv("Entity_LogicalId;NameAlias_WholeName\n1;A\n2;B;extra\n").expect_err("ragged");
        assert_eq!(
            (err.field.as_str(), &err.location),
            ("row", &Location::Line(3))
        );
        assert!(err.message.starts_with("malformed CSV"), "{err}");
        let err = csv("Entity_LogicalId;NameAlias_WholeName\n1;\n").expect_err("no name");
        assert_eq!(
            (err.field.as_str(), &err.location),
            ("NameAlias_WholeName", &Location::Line(2))
        );
        assert!(err.message.contains("listing eu-fsf-1 has no name"));
    }

    #[test]
    fn xml_errors() {
        let err = xml("<export>\n<sanctionEntity euReferenceNumber=\"EU.1\"><nameAlias wholeName=\"A\"/></sanctionEntity></export>")
            .expect_err("no logicalId");
        assert_eq!(err.field, "sanctionEntity/@logicalId");
        assert!(
            matches!(err.location, Location::Xml { line: 2, .. }),
            "{err}"
        );
        let err = xml("<export>\n<sanctionEntity logicalId=\"1\">\n<nameAlias wholeName=\"A\">\n</sanctionEntity></export>")
            .expect_err("malformed");
        assert!(err.message.starts_with("malformed XML"), "{err}");
        assert!(
            matches!(err.location, Location::Xml { line: 4, .. }),
            "{err}"
        );
        let err = xml("<export><sanctionEntity logicalId=\"1\" x=\"&nope;\"/></export>")
            .expect_err("bad attr");
        assert_eq!(err.field, "sanctionEntity/@x");
        let err = xml("<CONSOLIDATED_LIST/>").expect_err("wrong file");
        assert!(err.message.contains("expected <export>"), "{err}");
        let twice = "<export><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"A\"/></sanctionEntity>\n<sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"B\"/></sanctionEntity></export>";
        let list = xml(twice).expect("merged");
        assert_eq!(list.entities.len(), 1);
        assert_eq!(list.entities[0].get(Property::Alias), ["B"]);
        let twice_warning = list.warnings.iter().find(|w| w.contains("listed twice"));
        assert!(
            twice_warning.is_some_and(|w| w.contains("line 2")),
            "{:?}",
            list.warnings
        );
        let err = xml("<export><sanctionEntity logicalId=\"1\"/></export>").expect_err("no name");
        assert_eq!(err.field, "nameAlias");
        assert!(err.message.contains("listing eu-fsf-1 has no name"));
    }

    #[test]
    fn identification_types() {
        assert_eq!(
            fsf_id_property("passport", "National passport", "RU", true),
            Property::PassportNumber
        );
        assert_eq!(
            fsf_id_property("fiscalcode", "Tax identification number", "RU", true),
            Property::InnCode
        );
        assert_eq!(
            fsf_id_property("fiscalcode", "Tax identification number", "UA", true),
            Property::TaxNumber
        );
        assert_eq!(
            fsf_id_property(
                "regnumber",
                "Primary State Registration Number (OGRN)",
                "RU",
                false
            ),
            Property::OgrnCode
        );
        assert_eq!(
            fsf_id_property("regnumber", "Registration Number", "AE", false),
            Property::RegistrationNumber
        );
        assert_eq!(
            fsf_id_property("other", "INN", "", false),
            Property::InnCode
        );
        assert_eq!(
            fsf_id_property("swiftbic", "", "", false),
            Property::SwiftBic
        );
        assert_eq!(fsf_id_property("imo", "", "", false), Property::ImoNumber);
        assert_eq!(
            fsf_id_property("id", "National identification card", "", true),
            Property::IdNumber
        );
        assert_eq!(
            fsf_id_property("other", "", "", false),
            Property::RegistrationNumber
        );
    }

    #[test]
    fn registry_dispatch() {
        let x = Format::EuFsfXml
            .parse(&[input("fsf.xml", XML)], "eu_fsf")
            .expect("xml");
        let c = Format::EuFsfCsv
            .parse(&[input("fsf.csv", CSV)], "eu_fsf")
            .expect("csv");
        assert_eq!(x.entities.len(), c.entities.len());
    }

    fn mutate(base: &str, edits: Vec<(prop::sample::Index, u8)>) -> Vec<u8> {
        let mut data = base.as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at.index(data.len());
            data[i] = byte;
        }
        data
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn mutated_xml_never_panics(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
            let data = mutate(XML, edits);
            let _ = parse_xml(&[Input { name: "m.xml".into(), data }], "eu_fsf");
        }

        #[test]
        fn mutated_csv_never_panics(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
            let data = mutate(CSV, edits);
            let _ = parse_csv(&[Input { name: "m.csv".into(), data }], "eu_fsf");
        }

        #[test]
        fn arbitrary_csv_never_panics(text in "[0-9A-Za-z;\"\n_ ]{0,300}") {
            let with_header = format!("Entity_LogicalId;NameAlias_WholeName;BirthDate_Year;BirthDate_Month\n{text}");
            let _ = csv(&with_header);
        }
    }
}
