//! `dualtrace gen trade`: synthetic BACI- or Comtrade-format trade data of any size, with the
//! structure of the real thing and a story to find in it.
//!
//! About 250 countries (every ISO 3166 numeric code plus Comtrade's 490 for Taiwan), HS-6 codes
//! of real chapters including every CHPL code, years 2017-2024. A small, fixed "story" part
//! carries the patterns analysts look for: CHPL goods to Russia from China, Hong Kong, Türkiye,
//! the UAE and Central Asia rising after 2022 while direct EU exports fall, and EU exports to
//! Kyrgyzstan, Armenia and Kazakhstan surging. The rest is random background trade with unique
//! (year, exporter, importer, product) keys. Output is streamed (constant memory) and
//! deterministic per seed; a `README.txt` beside the files says the data is synthetic.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::areas::EU27_MEMBERS;
use crate::error::{FlowsError, Result};
use crate::goods::chpl_codes;

/// The years generated.
pub const YEARS: std::ops::RangeInclusive<i32> = 2017..=2024;

/// Output layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenFormat {
    /// BACI: `t,i,j,k,v,q` (thousand USD, tonnes).
    Baci,
    /// Comtrade bulk CSV (USD, kg).
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

/// ISO numeric code and alpha-2 of the countries.
fn countries() -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = (1..=999u32)
        .filter(|n| *n != 158) // Taiwan is 490 in trade data
        .filter_map(|n| {
            dualtrace_model::country_code(&format!("{n:03}"))
                .ok()
                .map(|c| (n, c.to_ascii_uppercase()))
        })
        .collect();
    out.push((490, "TW".to_string()));
    out
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

/// One generated flow.
struct Row<'a> {
    year: i32,
    exporter: u32,
    importer: u32,
    product: &'a str,
    /// Thousand USD.
    value: f64,
    /// Tonnes.
    tonnes: f64,
}

/// Writes one row in the chosen layout.
fn write_row(out: &mut impl Write, format: GenFormat, r: &Row<'_>) -> std::io::Result<()> {
    match format {
        GenFormat::Baci => writeln!(
            out,
            "{},{},{},{},{:.3},{:.3}",
            r.year, r.exporter, r.importer, r.product, r.value, r.tonnes
        ),
        GenFormat::ComtradeCsv => writeln!(
            out,
            "{},{},X,{},0,{},C00,0,{:.0},kg,{:.0},{:.0}",
            r.year,
            r.exporter,
            r.importer,
            r.product,
            r.tonnes * 1000.0,
            r.tonnes * 1000.0,
            r.value * 1000.0
        ),
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

/// The fixed story rows of one year (CHPL goods to Russia and to its neighbours).
fn story_rows<'a>(
    year: i32,
    codes: &'a [String],
    numeric: &dyn Fn(&str) -> u32,
    rng: &mut Rng,
) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    let mut add = |exporter: &str, importer: &str, base: f64, code: &'a String, rng: &mut Rng| {
        let noise = 0.8 + 0.4 * rng.unit();
        let value = base * break_factor(exporter, importer, year) * noise;
        rows.push(Row {
            year,
            exporter: numeric(exporter),
            importer: numeric(importer),
            product: code,
            value,
            tonnes: value / (20.0 + 200.0 * rng.unit()),
        });
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
    rows
}

/// Generates `rows` rows into `out_dir` (one file per year) and a README saying it is synthetic.
pub fn generate(out_dir: &Path, rows: u64, seed: u64, format: GenFormat) -> Result<Generated> {
    fs::create_dir_all(out_dir).map_err(|e| FlowsError::io(out_dir, e))?;
    let countries = countries();
    let products = products();
    let chpl: Vec<String> = chpl_codes().iter().map(|(c, _)| c.to_string()).collect();
    let alpha_to_numeric = |a: &str| -> u32 {
        countries
            .iter()
            .find(|(_, c)| c == a)
            .map_or(0, |(n, _)| *n)
    };
    let years: Vec<i32> = YEARS.collect();
    let per_year = rows / years.len() as u64;
    let story_per_code = (RU_SUPPLIERS.len() + EU27_MEMBERS.len() * ROUNDABOUT.len()) as u64;
    let story_codes = ((per_year / 2) / story_per_code).min(chpl.len() as u64) as usize;
    let story_codes = &chpl[..story_codes];
    let story_keys: HashSet<(u32, u32, &str)> =
        story_rows(2017, story_codes, &alpha_to_numeric, &mut Rng(0))
            .iter()
            .map(|r| (r.exporter, r.importer, r.product))
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
        let file = File::create(&path).map_err(|e| FlowsError::io(&path, e))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let io = |e| FlowsError::io(&path, e);
        writeln!(out, "{}", header(format)).map_err(io)?;
        let mut n = 0u64;
        for row in story_rows(year, story_codes, &alpha_to_numeric, &mut rng) {
            if n == target {
                break;
            }
            write_row(&mut out, format, &row).map_err(io)?;
            n += 1;
        }
        let mut keys = KeySpace::new(countries.len(), products.len(), &mut rng);
        while n < target {
            let Some((e, m, p)) = keys.next() else { break };
            let (exporter, importer) = (&countries[e], &countries[m]);
            let product = products[p].as_str();
            if e == m || story_keys.contains(&(exporter.0, importer.0, product)) {
                continue;
            }
            let size = 1.0 + 30.0 * ((e * 7 + m * 13) % 17) as f64 / 17.0;
            let value =
                10f64.powf(4.0 * rng.unit()) * size * break_factor(&exporter.1, &importer.1, year);
            let row = Row {
                year,
                exporter: exporter.0,
                importer: importer.0,
                product,
                value,
                tonnes: value / 10f64.powf(3.0 * rng.unit() - 1.0),
            };
            write_row(&mut out, format, &row).map_err(io)?;
            n += 1;
        }
        out.flush().map_err(io)?;
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
        GenFormat::ComtradeCsv => "UN Comtrade bulk CSV layout (primaryValue in USD, netWgt in kg)",
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

    #[test]
    fn same_seed_same_bytes_and_unique_keys() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let ga = generate(a.path(), 20_000, 7, GenFormat::Baci).unwrap();
        generate(b.path(), 20_000, 7, GenFormat::Baci).unwrap();
        assert_eq!(ga.rows, 20_000);
        assert_eq!(ga.files.len(), 8);
        let mut keys = HashSet::new();
        for f in &ga.files {
            let name = f.file_name().unwrap();
            let text = fs::read_to_string(f).unwrap();
            assert_eq!(text, fs::read_to_string(b.path().join(name)).unwrap());
            for line in text.lines().skip(1) {
                let key: Vec<&str> = line.split(',').take(4).collect();
                assert!(keys.insert(key.join(",")), "duplicate key {line}");
            }
        }
        let readme = fs::read_to_string(a.path().join("README.txt")).unwrap();
        assert!(readme.starts_with("SYNTHETIC DATA"));
    }

    #[test]
    fn about_two_hundred_and_fifty_countries_with_taiwan() {
        let c = countries();
        assert!(c.len() > 200, "{}", c.len());
        assert!(c.iter().any(|(n, a)| *n == 490 && a == "TW"));
        assert!(c.iter().any(|(n, a)| *n == 643 && a == "RU"));
    }
}
