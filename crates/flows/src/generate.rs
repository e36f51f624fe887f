//! `dualtrace gen trade`: synthetic BACI- or Comtrade-format trade data of any size, with the
//! structure of the real thing and a story to find in it.
//!
//! About 250 countries (every code ingest reads as a country: ISO 3166 numeric codes plus
//! Comtrade's 490 for Taiwan, so that ingest keeps every generated row), HS-6 codes of real
//! chapters including every CHPL code, years 2017-2024. A small, fixed "story" part carries the
//! patterns analysts look for: CHPL goods to Russia from China, Hong Kong, Türkiye, the UAE and
//! Central Asia rising after 2022 while direct EU exports fall, and EU exports to Kyrgyzstan,
//! Armenia and Kazakhstan surging. The rest is random background trade with unique (year,
//! exporter, importer, product) keys.
//!
//! BACI rows are annual and one-sided (BACI reconciles both reports into one figure). Comtrade
//! rows are monthly and two-sided, as the reporters publish them: the exporter's exports and the
//! importer's imports of the same flow, which differ (imports are valued CIF; from 2022 Russia's
//! neighbours record far less than their suppliers report shipping to them), and Russia reports
//! no imports from 2022. Output is streamed (constant memory) and deterministic per seed; a
//! `README.txt` beside the files says the data is synthetic.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::areas::{Area, EU27_MEMBERS, area_from_numeric};
use crate::error::{FlowsError, Result};
use crate::goods::chpl_codes;

/// The years generated.
pub const YEARS: std::ops::RangeInclusive<i32> = 2017..=2024;

/// Output layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenFormat {
    /// BACI: `t,i,j,k,v,q` (thousand USD, tonnes).
    Baci,
    /// Comtrade bulk CSV, monthly, exporters' and importers' reports (USD, kg).
    ComtradeCsv,
}

impl GenFormat {
    /// Parses `baci` or `comtrade-csv`.
    pub fn parse(raw: &str) -> Result<GenFormat> {
        match raw {
            "baci" => Ok(GenFormat::Baci),
            "comtrade-csv" => Ok(GenFormat::ComtradeCsv),
            _ => Err(FlowsError::argument(
                "--format",
                format!("{raw:?}: expected baci or comtrade-csv"),
            )),
        }
    }
}

/// What was generated.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The data files, one per year.
    pub files: Vec<PathBuf>,
    /// Rows written.
    pub rows: u64,
}

/// splitmix64: a small, fast, seedable generator (no dependency, same stream everywhere).
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Comtrade numeric code and alpha-2 of the countries: every code from 1 to 999 that ingest
/// reads as a country (ISO 3166-1 numeric, Comtrade's 490 for Taiwan), one code per country.
/// Codes that ingest reads as something else are never written, so that every generated row is
/// ingested: Comtrade's own areas (492 "Europe EU, nes" is ISO's Monaco), the former countries and
/// Comtrade's second codes of a country (842 USA beside ISO's 840).
fn countries() -> Vec<(u32, String)> {
    let mut seen = HashSet::new();
    (1..=999u32)
        .filter(|n| *n != 158) // Taiwan is 490 in trade data
        .filter_map(|n| match area_from_numeric(&n.to_string()) {
            Some(Area::Country(alpha2)) => Some((n, alpha2)),
            _ => None,
        })
        .filter(|(_, alpha2)| seen.insert(alpha2.clone()))
        .collect()
}

/// HS-6 codes: every CHPL code plus codes of real chapters (01-97 without 77).
fn products() -> Vec<String> {
    let mut codes: Vec<String> = chpl_codes().iter().map(|(c, _)| c.to_string()).collect();
    let chpl: HashSet<String> = codes.iter().cloned().collect();
    for chapter in (1..=97).filter(|c| *c != 77) {
        for heading in 1..=12 {
            for sub in [10, 20, 30, 90] {
                let code = format!("{chapter:02}{heading:02}{sub:02}");
                if !chpl.contains(&code) {
                    codes.push(code);
                }
            }
        }
    }
    codes
}

/// Russia's neighbours the "Eurasian roundabout" runs through.
const ROUNDABOUT: [&str; 5] = ["KG", "AM", "KZ", "GE", "UZ"];

/// Suppliers of CHPL goods to Russia and their base value (thousand USD per code and year).
const RU_SUPPLIERS: [(&str, f64); 18] = [
    ("CN", 20000.0),
    ("HK", 3000.0),
    ("TR", 1000.0),
    ("AE", 750.0),
    ("KZ", 500.0),
    ("KG", 50.0),
    ("AM", 50.0),
    ("UZ", 100.0),
    ("GE", 50.0),
    ("DE", 15000.0),
    ("FR", 6000.0),
    ("IT", 7500.0),
    ("PL", 4000.0),
    ("NL", 5000.0),
    ("US", 10000.0),
    ("JP", 5000.0),
    ("KR", 4000.0),
    ("TW", 3000.0),
];

/// The 2022 break: a multiplier of flows from `exporter` to `importer` in `year`.
fn break_factor(exporter: &str, importer: &str, year: i32) -> f64 {
    if year < 2022 {
        return 1.0;
    }
    let late = year >= 2023;
    let eu = EU27_MEMBERS.contains(&exporter);
    match importer {
        "RU" => match exporter {
            _ if eu => {
                if late {
                    0.15
                } else {
                    0.4
                }
            }
            "US" | "JP" | "KR" | "TW" | "GB" | "CH" => 0.1,
            "CN" => {
                if late {
                    2.5
                } else {
                    1.8
                }
            }
            "HK" => 3.0,
            "TR" => 3.5,
            "AE" => 4.0,
            "KZ" => 3.5,
            "KG" => 12.0,
            "AM" => 8.0,
            "UZ" => 3.0,
            "GE" => 2.5,
            _ => 1.0,
        },
        "KG" if eu => {
            if late {
                10.0
            } else {
                4.0
            }
        }
        "AM" if eu => {
            if late {
                4.0
            } else {
                2.5
            }
        }
        "KZ" if eu => 2.2,
        "GE" if eu => 1.8,
        "UZ" if eu => 1.7,
        _ => 1.0,
    }
}

/// A country of the generated data: Comtrade numeric code and ISO alpha-2.
type Country = (u32, String);

/// One generated trade flow of a year: what the exporter ships to the importer.
struct Shipment<'a> {
    year: i32,
    exporter: &'a Country,
    importer: &'a Country,
    product: &'a str,
    /// Thousand USD.
    value: f64,
    /// Tonnes.
    tonnes: f64,
}

/// Whether a country reports its imports in a year: Russia stopped publishing its trade
/// statistics in 2022 (analysts use its partners' "mirror" exports since).
fn reports_imports(importer: &str, year: i32) -> bool {
    !(importer == "RU" && year >= 2022)
}

/// The importer's reported imports as a multiple of the exporter's reported exports. Imports are
/// valued CIF (cost, insurance, freight) and exports FOB, so imports are normally a few percent
/// higher; from 2022, Russia's neighbours record far less than their suppliers report shipping
/// to them: goods "lost in transit" on their way on to Russia.
fn mirror_factor(exporter: &str, importer: &str, year: i32) -> f64 {
    let transit = year >= 2022
        && ROUNDABOUT.contains(&importer)
        && !ROUNDABOUT.contains(&exporter)
        && exporter != "RU";
    if transit { 0.45 } else { 1.06 }
}

/// One CSV line: a figure as its reporter publishes it.
struct Line<'a> {
    year: i32,
    /// `None` for an annual figure.
    month: Option<u32>,
    reporter: u32,
    partner: u32,
    /// Comtrade `flowCode`: `X` or `M`.
    flow: char,
    product: &'a str,
    /// Thousand USD.
    value: f64,
    /// Tonnes.
    tonnes: f64,
}

/// Writes one line in the chosen layout.
fn write_line(out: &mut impl Write, format: GenFormat, l: &Line<'_>) -> std::io::Result<()> {
    match format {
        GenFormat::Baci => writeln!(
            out,
            "{},{},{},{},{:.3},{:.3}",
            l.year, l.reporter, l.partner, l.product, l.value, l.tonnes
        ),
        GenFormat::ComtradeCsv => {
            let period = match l.month {
                Some(m) => format!("{}{m:02}", l.year),
                None => l.year.to_string(),
            };
            writeln!(
                out,
                "{period},{},{},{},0,{},C00,0,{:.0},kg,{:.0},{:.0}",
                l.reporter,
                l.flow,
                l.partner,
                l.product,
                l.tonnes * 1000.0,
                l.tonnes * 1000.0,
                l.value * 1000.0
            )
        }
    }
}

/// The lines of one shipment: BACI has one reconciled annual figure; Comtrade has the
/// exporter's monthly exports and, when the importer reports, its monthly imports, which differ
/// from the exports by [`mirror_factor`] and noise.
fn shipment_lines<'a>(format: GenFormat, s: &Shipment<'a>, rng: &mut Rng) -> Vec<Line<'a>> {
    let exported = |month, value, tonnes| Line {
        year: s.year,
        month,
        reporter: s.exporter.0,
        partner: s.importer.0,
        flow: 'X',
        product: s.product,
        value,
        tonnes,
    };
    if format == GenFormat::Baci {
        return vec![exported(None, s.value, s.tonnes)];
    }
    let imports = reports_imports(&s.importer.1, s.year);
    let factor = mirror_factor(&s.exporter.1, &s.importer.1, s.year);
    let mut lines = Vec::with_capacity(24);
    for month in 1..=12 {
        let share = (0.7 + 0.6 * rng.unit()) / 12.0;
        let (value, tonnes) = (s.value * share, s.tonnes * share);
        lines.push(exported(Some(month), value, tonnes));
        if imports {
            let noise = 0.95 + 0.1 * rng.unit();
            lines.push(Line {
                reporter: s.importer.0,
                partner: s.exporter.0,
                flow: 'M',
                value: value * factor * noise,
                tonnes: tonnes * noise,
                ..exported(Some(month), value, tonnes)
            });
        }
    }
    lines
}

/// Lines per shipment at most (for sizing the story part).
fn lines_per_shipment(format: GenFormat) -> u64 {
    match format {
        GenFormat::Baci => 1,
        GenFormat::ComtradeCsv => 24,
    }
}

fn header(format: GenFormat) -> &'static str {
    match format {
        GenFormat::Baci => "t,i,j,k,v,q",
        GenFormat::ComtradeCsv => {
            "period,reporterCode,flowCode,partnerCode,partner2Code,cmdCode,customsCode,motCode,qty,qtyUnitAbbr,netWgt,primaryValue"
        }
    }
}

/// The fixed story shipments of one year (CHPL goods to Russia and to its neighbours).
fn story_shipments<'a>(
    year: i32,
    codes: &'a [String],
    country: &dyn Fn(&str) -> Option<&'a Country>,
    rng: &mut Rng,
) -> Vec<Shipment<'a>> {
    let mut shipments = Vec::new();
    let mut add = |exporter: &str, importer: &str, base: f64, code: &'a String, rng: &mut Rng| {
        let noise = 0.8 + 0.4 * rng.unit();
        let value = base * break_factor(exporter, importer, year) * noise;
        let tonnes = value / (20.0 + 200.0 * rng.unit());
        if let (Some(exporter), Some(importer)) = (country(exporter), country(importer)) {
            shipments.push(Shipment {
                year,
                exporter,
                importer,
                product: code,
                value,
                tonnes,
            });
        }
    };
    for code in codes {
        for (supplier, base) in RU_SUPPLIERS {
            add(supplier, "RU", base, code, rng);
        }
        for member in EU27_MEMBERS {
            for neighbour in ROUNDABOUT {
                add(member, neighbour, 500.0, code, rng);
            }
        }
    }
    shipments
}

/// One year's output file, filled up to its number of rows.
struct YearFile {
    path: PathBuf,
    out: BufWriter<File>,
    format: GenFormat,
    rows: u64,
    target: u64,
}

impl YearFile {
    fn create(path: PathBuf, format: GenFormat, target: u64) -> Result<YearFile> {
        let file = File::create(&path).map_err(|e| FlowsError::io(&path, e))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        writeln!(out, "{}", header(format)).map_err(|e| FlowsError::io(&path, e))?;
        Ok(YearFile {
            path,
            out,
            format,
            rows: 0,
            target,
        })
    }

    fn is_full(&self) -> bool {
        self.rows >= self.target
    }

    /// Writes the lines of a shipment, as many as there is room for.
    fn write(&mut self, shipment: &Shipment<'_>, rng: &mut Rng) -> Result<()> {
        for line in shipment_lines(self.format, shipment, rng) {
            if self.is_full() {
                break;
            }
            write_line(&mut self.out, self.format, &line)
                .map_err(|e| FlowsError::io(&self.path, e))?;
            self.rows += 1;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(PathBuf, u64)> {
        self.out
            .flush()
            .map_err(|e| FlowsError::io(&self.path, e))?;
        Ok((self.path, self.rows))
    }
}

/// Generates `rows` rows into `out_dir` (one file per year) and a README saying it is synthetic.
pub fn generate(out_dir: &Path, rows: u64, seed: u64, format: GenFormat) -> Result<Generated> {
    fs::create_dir_all(out_dir).map_err(|e| FlowsError::io(out_dir, e))?;
    let countries = countries();
    let products = products();
    let chpl: Vec<String> = chpl_codes().iter().map(|(c, _)| c.to_string()).collect();
    let country = |a: &str| countries.iter().find(|(_, c)| c == a);
    let years: Vec<i32> = YEARS.collect();
    let per_year = rows / years.len() as u64;
    let story_per_code = (RU_SUPPLIERS.len() + EU27_MEMBERS.len() * ROUNDABOUT.len()) as u64
        * lines_per_shipment(format);
    let story_codes = ((per_year / 2) / story_per_code).min(chpl.len() as u64) as usize;
    let story_codes = &chpl[..story_codes];
    let story_keys: HashSet<(u32, u32, &str)> =
        story_shipments(2017, story_codes, &country, &mut Rng(0))
            .iter()
            .map(|s| (s.exporter.0, s.importer.0, s.product))
            .collect();
    let mut rng = Rng(seed);
    let mut files = Vec::new();
    let mut written = 0u64;
    for (i, &year) in years.iter().enumerate() {
        let target = if i + 1 == years.len() {
            rows - written
        } else {
            per_year
        };
        let path = out_dir.join(match format {
            GenFormat::Baci => format!("synthetic_baci_Y{year}.csv"),
            GenFormat::ComtradeCsv => format!("synthetic_comtrade_{year}.csv"),
        });
        let mut file = YearFile::create(path, format, target)?;
        for shipment in story_shipments(year, story_codes, &country, &mut rng) {
            if file.is_full() {
                break;
            }
            file.write(&shipment, &mut rng)?;
        }
        let mut keys = KeySpace::new(countries.len(), products.len(), &mut rng);
        while !file.is_full() {
            let Some((e, m, p)) = keys.next() else { break };
            let (exporter, importer) = (&countries[e], &countries[m]);
            let product = products[p].as_str();
            if e == m || story_keys.contains(&(exporter.0, importer.0, product)) {
                continue;
            }
            let size = 1.0 + 30.0 * ((e * 7 + m * 13) % 17) as f64 / 17.0;
            let value =
                10f64.powf(4.0 * rng.unit()) * size * break_factor(&exporter.1, &importer.1, year);
            let shipment = Shipment {
                year,
                exporter,
                importer,
                product,
                value,
                tonnes: value / 10f64.powf(3.0 * rng.unit() - 1.0),
            };
            file.write(&shipment, &mut rng)?;
        }
        let (path, n) = file.finish()?;
        written += n;
        files.push(path);
    }
    write_readme(out_dir, rows, seed, format)?;
    Ok(Generated {
        files,
        rows: written,
    })
}

/// Visits (exporter, importer, product) keys once each in a scrambled order: an affine
/// bijection of 0..M with a multiplier coprime to M.
struct KeySpace {
    countries: u64,
    products: u64,
    size: u64,
    multiplier: u64,
    offset: u64,
    index: u64,
}

impl KeySpace {
    fn new(countries: usize, products: usize, rng: &mut Rng) -> KeySpace {
        let size = (countries as u64) * (countries as u64) * (products as u64);
        let mut multiplier = (rng.next() % size.max(2)) | 1;
        while gcd(multiplier, size) != 1 {
            multiplier += 2;
        }
        KeySpace {
            countries: countries as u64,
            products: products as u64,
            size,
            multiplier,
            offset: rng.next() % size.max(1),
            index: 0,
        }
    }

    fn next(&mut self) -> Option<(usize, usize, usize)> {
        if self.index >= self.size {
            return None;
        }
        let k = ((u128::from(self.index) * u128::from(self.multiplier) + u128::from(self.offset))
            % u128::from(self.size)) as u64;
        self.index += 1;
        let p = k % self.products;
        let rest = k / self.products;
        Some((
            (rest % self.countries) as usize,
            (rest / self.countries) as usize,
            p as usize,
        ))
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn write_readme(out_dir: &Path, rows: u64, seed: u64, format: GenFormat) -> Result<()> {
    let path = out_dir.join("README.txt");
    let layout = match format {
        GenFormat::Baci => "BACI layout: t,i,j,k,v,q (v in thousand USD, q in tonnes)",
        GenFormat::ComtradeCsv => {
            "UN Comtrade bulk CSV layout, monthly (period YYYYMM; primaryValue in USD, netWgt in \
             kg): each flow twice, as its exporter's exports (flowCode X) and as its importer's\n\
             imports (M), which differ as mirror statistics do (imports valued CIF, and from 2022\n\
             less recorded by Russia's neighbours than their suppliers ship); Russia reports no\n\
             imports from 2022"
        }
    };
    let text = format!(
        "SYNTHETIC DATA - NOT REAL TRADE STATISTICS\n\
         Generated by `dualtrace gen trade` ({rows} rows, seed {seed}).\n\
         {layout}; country codes are Comtrade numeric codes (490 = Taiwan).\n\
         The flows are random, except a built-in pattern for demonstrations and benchmarks:\n\
         CHPL goods to Russia from China, Hong Kong, Turkiye, the UAE and Central Asia rise from\n\
         2022 while direct EU exports to Russia fall, and EU exports to Kyrgyzstan, Armenia and\n\
         Kazakhstan surge. Do not cite any figure of these files.\n"
    );
    fs::write(&path, text).map_err(|e| FlowsError::io(&path, e))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    use crate::ingest::{Format, parse_bytes};
    use crate::schema::{Flow, FlowRecord};

    /// Generates twice with one seed, checks the bytes are equal and every key is unique.
    fn same_seed_same_bytes_and_unique_keys(format: GenFormat, rows: u64, key_columns: usize) {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let ga = generate(a.path(), rows, 7, format).unwrap();
        generate(b.path(), rows, 7, format).unwrap();
        assert_eq!(ga.rows, rows);
        assert_eq!(ga.files.len(), 8);
        let mut keys = HashSet::new();
        for f in &ga.files {
            let name = f.file_name().unwrap();
            let text = fs::read_to_string(f).unwrap();
            assert_eq!(text, fs::read_to_string(b.path().join(name)).unwrap());
            for line in text.lines().skip(1) {
                let key: Vec<&str> = line.split(',').take(key_columns).collect();
                assert!(keys.insert(key.join(",")), "duplicate key {line}");
            }
        }
        let readme = fs::read_to_string(a.path().join("README.txt")).unwrap();
        assert!(readme.starts_with("SYNTHETIC DATA"));
    }

    #[test]
    fn baci_same_seed_same_bytes_and_unique_keys() {
        same_seed_same_bytes_and_unique_keys(GenFormat::Baci, 20_000, 4);
    }

    #[test]
    fn comtrade_same_seed_same_bytes_and_unique_keys() {
        // period, reporterCode, flowCode, partnerCode, partner2Code, cmdCode
        same_seed_same_bytes_and_unique_keys(GenFormat::ComtradeCsv, 20_000, 6);
    }

    /// Generates and ingests every file; asserts that ingest kept every row, without a warning.
    fn generated_and_ingested(format: GenFormat, rows: u64) -> Vec<FlowRecord> {
        let dir = tempfile::tempdir().unwrap();
        let generated = generate(dir.path(), rows, 5, format).unwrap();
        let ingest_format = match format {
            GenFormat::Baci => Format::Baci,
            GenFormat::ComtradeCsv => Format::ComtradeCsv,
        };
        let mut records = Vec::new();
        for f in &generated.files {
            let bytes = fs::read(f).unwrap();
            let (r, warnings) = parse_bytes(ingest_format, "gen.csv", &bytes).unwrap();
            assert_eq!(warnings.total(), 0, "{:?}", warnings.examples);
            assert_eq!(warnings.aggregates_skipped, 0);
            records.extend(r);
        }
        assert_eq!(records.len() as u64, rows);
        records
    }

    #[test]
    fn ingest_keeps_every_generated_baci_row() {
        generated_and_ingested(GenFormat::Baci, 50_000);
    }

    #[test]
    fn comtrade_is_monthly_two_sided_with_mirror_gaps_and_no_russian_imports_from_2022() {
        let records = generated_and_ingested(GenFormat::ComtradeCsv, 80_000);
        assert!(records.iter().all(|r| r.month.is_some()));
        let imports_by_ru = |year: i32| {
            records
                .iter()
                .filter(|r| r.reporter == "RU" && r.flow == Flow::Import && r.year == year)
                .count()
        };
        assert!(imports_by_ru(2021) > 0);
        assert_eq!(
            imports_by_ru(2022) + imports_by_ru(2023) + imports_by_ru(2024),
            0
        );
        let sum = |reporter: &str, flow: Flow, partner: &str, year: i32| -> f64 {
            records
                .iter()
                .filter(|r| {
                    r.reporter == reporter
                        && r.flow == flow
                        && r.partner == partner
                        && r.year == year
                })
                .map(|r| r.value)
                .sum()
        };
        let exported = |year| sum("DE", Flow::Export, "KG", year);
        let imported = |year| sum("KG", Flow::Import, "DE", year);
        assert!(exported(2021) > 0.0 && exported(2023) > 0.0);
        // 2021: imports CIF, a few percent above exports; 2023: most "lost in transit".
        assert!(
            imported(2021) > exported(2021),
            "{} {}",
            imported(2021),
            exported(2021)
        );
        assert!(
            imported(2023) < 0.6 * exported(2023),
            "{} {}",
            imported(2023),
            exported(2023)
        );
        // China's monthly exports of CHPL goods to Russia, every month of 2021-2024.
        let months: HashSet<(i32, Option<u8>)> = records
            .iter()
            .filter(|r| r.reporter == "CN" && r.partner == "RU" && r.flow == Flow::Export)
            .map(|r| (r.year, r.month))
            .collect();
        assert_eq!(
            months
                .iter()
                .filter(|(y, _)| (2021..=2024).contains(y))
                .count(),
            48
        );
    }

    #[test]
    fn no_code_that_ingest_does_not_read_as_that_country() {
        for (n, alpha2) in countries() {
            assert_eq!(
                area_from_numeric(&n.to_string()),
                Some(Area::Country(alpha2))
            );
        }
        assert!(
            !countries().iter().any(|(n, _)| *n == 492),
            "492 is Europe EU nes"
        );
    }

    #[test]
    fn about_two_hundred_and_fifty_countries_with_taiwan() {
        let c = countries();
        assert!(c.len() > 200, "{}", c.len());
        assert!(c.iter().any(|(n, a)| *n == 490 && a == "TW"));
        assert!(c.iter().any(|(n, a)| *n == 643 && a == "RU"));
    }
}
