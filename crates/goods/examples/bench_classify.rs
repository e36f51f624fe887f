//! Throughput of the streaming classifier on one core.
//!
//! Generates N shipment lines (default 10,000,000; first argument) on the fly, mixing CHPL codes,
//! other codes, misdeclared Russian/English/Chinese descriptions, HS 2017 lines and bad codes,
//! classifies them with `classify_csv` to JSON lines written to a sink, and prints lines/s.
//!
//! Run: `cargo run --release -p dualtrace-goods --example bench_classify -- 10000000`

use std::io::{self, Read};
use std::time::Instant;

use dualtrace_goods::{OutputFormat, classify_csv};

/// Line templates: code, description, HS version.
const LINES: [(&str, &str, &str); 10] = [
    ("8542.31.0015", "Microcontroller STM32F407VGT6 32-bit", ""),
    ("8473.30", "Микроконтроллер STM32F103C8T6", ""),
    ("6109.10", "Cotton T-shirts, knitted, men's", ""),
    (
        "8482 10 900 0",
        "Подшипник шариковый радиальный 6205-2RS",
        "",
    ),
    (
        "3926.90",
        "Plastic enclosure with FPGA XC7A35T and MLCC",
        "",
    ),
    ("852580", "Thermal imaging camera module", "2017"),
    ("8458.11", "数控车床 CK6150", ""),
    ("3912.20.1000", "Nitrocellulose, wetted with alcohol", ""),
    ("ABC", "Steel bolts M8", ""),
    ("9403.20", "Metal office furniture, desks", ""),
];

/// An endless-until-N generator of CSV lines.
struct Generator {
    remaining: u64,
    i: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl Generator {
    fn new(n: u64) -> Self {
        Generator {
            remaining: n,
            i: 0,
            buf: b"hs_code,description,hs_version\n".to_vec(),
            pos: 0,
        }
    }

    fn refill(&mut self) {
        self.buf.clear();
        self.pos = 0;
        while self.remaining > 0 && self.buf.len() < 1 << 16 {
            let (code, desc, version) = LINES[(self.i % LINES.len() as u64) as usize];
            self.buf.extend_from_slice(code.as_bytes());
            self.buf.extend_from_slice(b",\"");
            self.buf.extend_from_slice(desc.as_bytes());
            self.buf.extend_from_slice(b"\",");
            self.buf.extend_from_slice(version.as_bytes());
            self.buf.push(b'\n');
            self.i += 1;
            self.remaining -= 1;
        }
    }
}

impl Read for Generator {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.buf.len() {
            self.refill();
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = match std::env::args().nth(1) {
        Some(a) => a.parse()?,
        None => 10_000_000,
    };
    let start = Instant::now();
    let summary = classify_csv(Generator::new(n), io::sink(), OutputFormat::Jsonl)?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} lines in {:.2} s: {:.0} lines/s (chpl {}, watch {}, misdeclarations {}, errors {})",
        summary.rows,
        secs,
        summary.rows as f64 / secs,
        summary.chpl,
        summary.watch,
        summary.misdeclarations,
        summary.errors
    );
    Ok(())
}
