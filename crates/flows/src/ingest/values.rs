//! Value parsers shared by the ingest formats: goods codes, periods and flow directions as the
//! publishers write them.

use crate::schema::{ALL_GOODS, Flow};

/// A goods code as written (`TOTAL`, `8542`, `854231`, `85423100`, BACI's `10121` for 010121)
/// to the dataset's HS code: `TOTAL` or 2, 4 or 6 digits (longer national codes are cut to HS-6;
/// a code that lost its leading zero gets it back).
pub fn hs_code(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    if ["total", "tot", "all"]
        .iter()
        .any(|t| raw.eq_ignore_ascii_case(t))
    {
        return Ok(ALL_GOODS.to_string());
    }
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '-'))
        .collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("not an HS code: {raw:?}"));
    }
    if digits.len() > 10 {
        return Err(format!("HS code longer than 10 digits: {raw:?}"));
    }
    let mut code = if digits.len() % 2 == 1 && digits.len() < 6 {
        format!("0{digits}")
    } else {
        digits
    };
    code.truncate(6);
    if code.len() % 2 == 1 {
        code.truncate(4);
    }
    Ok(code)
}

/// A reference period: year and optional month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefPeriod {
    /// The year.
    pub year: i32,
    /// The month (1..12), `None` for a year.
    pub month: Option<u8>,
}

/// A period as statistics write it: `2021`, `Y2021`, `2021-03`, `202103`, `2021M03`, `M202103`,
/// `2021-M03`.
pub fn period(raw: &str) -> Result<RefPeriod, String> {
    let t = raw.trim();
    let bad = || format!("not a period (YYYY or YYYY-MM): {raw:?}");
    let t = t
        .strip_prefix('Y')
        .or_else(|| t.strip_prefix('M'))
        .unwrap_or(t);
    let digits: String = t.chars().filter(|c| !matches!(c, '-' | 'M')).collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let year = |s: &str| -> Result<i32, String> {
        s.parse::<i32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
            .ok_or_else(bad)
    };
    match digits.len() {
        4 => Ok(RefPeriod {
            year: year(&digits)?,
            month: None,
        }),
        6 => {
            let month: u8 = digits[4..].parse().map_err(|_| bad())?;
            if !(1..=12).contains(&month) {
                return Err(format!("month out of range in {raw:?}"));
            }
            Ok(RefPeriod {
                year: year(&digits[..4])?,
                month: Some(month),
            })
        }
        _ => Err(bad()),
    }
}

/// A flow direction: `import`/`export`, `M`/`X`, Comext's `1`/`2`.
pub fn flow(raw: &str) -> Option<Flow> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "import" | "imports" | "m" | "1" | "mg" => Some(Flow::Import),
        "export" | "exports" | "x" | "2" | "xg" => Some(Flow::Export),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn hs_codes_normalise() {
        assert_eq!(hs_code("TOTAL").as_deref(), Ok("TOTAL"));
        assert_eq!(hs_code("8542.31").as_deref(), Ok("854231"));
        assert_eq!(hs_code("85423100").as_deref(), Ok("854231"));
        assert_eq!(hs_code("10121").as_deref(), Ok("010121"));
        assert_eq!(hs_code("847").as_deref(), Ok("0847"));
        assert_eq!(hs_code("85").as_deref(), Ok("85"));
        assert!(hs_code("85x").is_err());
        assert!(hs_code("").is_err());
    }

    #[test]
    fn periods_in_every_spelling() {
        let y = RefPeriod {
            year: 2021,
            month: None,
        };
        let m = RefPeriod {
            year: 2021,
            month: Some(3),
        };
        assert_eq!(period("2021"), Ok(y));
        assert_eq!(period("Y2021"), Ok(y));
        assert_eq!(period("2021-03"), Ok(m));
        assert_eq!(period("202103"), Ok(m));
        assert_eq!(period("2021M03"), Ok(m));
        assert_eq!(period("2021-M03"), Ok(m));
        assert!(period("2021-13").is_err());
        assert!(period("21").is_err());
    }

    #[test]
    fn flows() {
        assert_eq!(flow("EXPORT"), Some(Flow::Export));
        assert_eq!(flow("M"), Some(Flow::Import));
        assert_eq!(flow("RX"), None);
    }
}
