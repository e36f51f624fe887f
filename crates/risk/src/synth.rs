//! Synthetic shipment lines for benchmarks: deterministic (a fixed seed gives the same file),
//! shaped like customs data (many lines per party, a mix of CHPL and benign goods, routes
//! through the diversion hubs), with invented names only.

use std::io::Write;

/// A small deterministic generator (xorshift64*), so the benchmark input is reproducible
/// without a dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced by a fixed constant).
    pub fn new(seed: u64) -> Rng {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// One element of a non-empty slice (the first for an empty one is impossible: callers pass
    /// constant, non-empty tables).
    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> Option<&'t T> {
        items.get(self.below(items.len()))
    }
}

const CITIES: [(&str, &str); 12] = [
    ("CN", "Shenzhen"),
    ("CN", "Guangzhou"),
    ("CN", "Ningbo"),
    ("HK", "Kowloon"),
    ("HK", "Wan Chai"),
    ("TR", "Istanbul"),
    ("AE", "Dubai"),
    ("KZ", "Almaty"),
    ("KG", "Bishkek"),
    ("AM", "Yerevan"),
    ("DE", "Hamburg"),
    ("UZ", "Tashkent"),
];
const WORDS: [&str; 24] = [
    "Bright", "Star", "Ocean", "Golden", "Peak", "Silk", "Road", "Nova", "Delta", "Orion", "Atlas",
    "Vega", "Polar", "Amber", "Crystal", "Summit", "Harbor", "Eagle", "Falcon", "Lotus", "Jade",
    "Titan", "Aurora", "Zenith",
];
const TRADES: [&str; 8] = [
    "Electronics",
    "Trading",
    "Technology",
    "Components",
    "Machinery",
    "Import Export",
    "Logistics",
    "Industrial",
];
const FORMS: [(&str, &str); 8] = [
    ("CN", "Co Ltd"),
    ("HK", "Limited"),
    ("TR", "Dis Ticaret AS"),
    ("AE", "FZE"),
    ("KZ", "TOO"),
    ("KG", "OsOO"),
    ("AM", "LLC"),
    ("UZ", "MChJ"),
];
const RU_CITIES: [&str; 6] = [
    "Moskva",
    "Sankt-Peterburg",
    "Ekaterinburg",
    "Novosibirsk",
    "Kazan",
    "Izhevsk",
];
const GOODS: [(&str, &str); 16] = [
    ("854231", "Microcontroller STM32F{n}"),
    ("854232", "DRAM memory chips"),
    ("854239", "FPGA XC7A{n}T"),
    ("853224", "Multilayer ceramic capacitors 0603"),
    ("852691", "GNSS receiver module"),
    ("847330", "Parts of computers, boards"),
    ("847330", "Микроконтроллер ATmega{n}"),
    ("845811", "CNC horizontal lathe"),
    ("848210", "Ball bearings 6{n}"),
    ("880622", "Unmanned aircraft quadcopter"),
    ("080222", "Shelled hazelnuts"),
    ("620462", "Women's cotton trousers"),
    ("870830", "Brake pads for passenger cars"),
    ("090111", "Green coffee beans"),
    ("940360", "Wooden office furniture"),
    ("392620", "Plastic gloves"),
];

/// The header of generated files.
pub const HEADER: &str = "date,consignor,consignor_country,consignor_id,consignee,consignee_country,consignee_id,origin_country,dispatch_country,destination_country,hs_code,description,value,currency,quantity,unit";

/// Writes `rows` generated lines (plus the header) from `seed`.
pub fn write_shipments(w: &mut dyn Write, rows: usize, seed: u64) -> std::io::Result<()> {
    let mut rng = Rng::new(seed);
    let shippers: Vec<(String, &str)> = (0..4000).map(|i| shipper(&mut rng, i)).collect();
    let consignees: Vec<(String, &str, String)> =
        (0..2500).map(|i| consignee(&mut rng, i)).collect();
    writeln!(w, "{HEADER}")?;
    for _ in 0..rows {
        let Some((shipper, from)) = rng.pick(&shippers) else {
            break;
        };
        let Some((buyer, to, inn)) = rng.pick(&consignees) else {
            break;
        };
        let Some((hs, text)) = rng.pick(&GOODS) else {
            break;
        };
        let description = text.replace("{n}", &(100 + rng.below(900)).to_string());
        let origin = if rng.below(3) == 0 { "US" } else { from };
        writeln!(
            w,
            "2024-{:02}-{:02},{shipper},{from},,{buyer},{to},{inn},{origin},{from},{to},{hs},\"{description}\",{},USD,{},pcs",
            1 + rng.below(12),
            1 + rng.below(28),
            100 + rng.below(200_000),
            1 + rng.below(10_000),
        )?;
    }
    Ok(())
}

fn shipper(rng: &mut Rng, i: usize) -> (String, &'static str) {
    let (country, city) = CITIES[i % CITIES.len()];
    let form = FORMS
        .iter()
        .find(|(c, _)| *c == country)
        .map_or("GmbH", |(_, f)| f);
    let a = rng.pick(&WORDS).copied().unwrap_or("Nova");
    let b = rng.pick(&WORDS).copied().unwrap_or("Star");
    let trade = rng.pick(&TRADES).copied().unwrap_or("Trading");
    (format!("{city} {a} {b} {trade} {form}"), country)
}

fn consignee(rng: &mut Rng, i: usize) -> (String, &'static str, String) {
    let a = rng.pick(&WORDS).copied().unwrap_or("Nova");
    let b = rng.pick(&WORDS).copied().unwrap_or("Star");
    if i % 5 == 4 {
        return (format!("{a} {b} Handels GmbH"), "DE", String::new());
    }
    let city = rng.pick(&RU_CITIES).copied().unwrap_or("Moskva");
    let inn = format!("77{:08}", rng.below(100_000_000));
    (format!("OOO {a} {b} {city}"), "RU", inn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_readable() {
        let mut a = Vec::new();
        write_shipments(&mut a, 50, 7).unwrap_or_default();
        let mut b = Vec::new();
        write_shipments(&mut b, 50, 7).unwrap_or_default();
        assert_eq!(a, b);
        let f = crate::shipments::parse_shipments(std::path::Path::new("g.csv"), &a);
        assert_eq!(f.map(|f| f.shipments.len()).ok(), Some(50));
    }
}
