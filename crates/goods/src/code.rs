//! HS codes as written on customs declarations, and HS versions.
//!
//! A declared code is a national tariff code whose first six digits are the Harmonized System
//! subheading: US HTS (10 digits, written `8542.31.0015`), EU CN (8, `8542 31 00`) and TARIC (10),
//! Russia/EAEU TN VED (10, often `8542 31 900 0`), China (10). [`HsCode::parse`] accepts any of
//! these with dots, spaces or hyphens as separators, keeps the digits, and exposes the chapter
//! (HS-2), heading (HS-4) and subheading (HS-6). Shorter codes (a chapter `85` or a heading `8542`)
//! are accepted too: they name a group of subheadings.
//!
//! Rejected, with an error saying why: empty input, any other character (letters), odd digit
//! counts (3, 5, 7, 9: usually a leading zero lost by a spreadsheet, which we do not guess back),
//! more than 10 digits, and chapters that are not HS chapters (00, 77 reserved, 98-99 which are
//! national special provisions, not goods).

use std::fmt;

use serde::Serialize;

use crate::error::HsError;

/// Separators tolerated between digits.
const SEPARATORS: [char; 4] = ['.', ' ', '-', '\u{a0}'];

/// A parsed, normalised HS or national tariff code (2 to 10 digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HsCode {
    digits: String,
}

impl HsCode {
    /// Parses a code as written, e.g. `"8542.31.0015"`, `"8542 31 00"`, `"85423100"`, `"854231"`.
    pub fn parse(input: &str) -> Result<HsCode, HsError> {
        let mut digits = String::with_capacity(10);
        for (i, ch) in input.trim().chars().enumerate() {
            if ch.is_ascii_digit() {
                digits.push(ch);
            } else if !SEPARATORS.contains(&ch) {
                return Err(HsError::InvalidCharacter {
                    input: input.to_string(),
                    ch,
                    position: i + 1,
                });
            }
        }
        Self::check_length(input, &digits)?;
        let chapter = &digits[..2];
        if matches!(chapter, "00" | "77" | "98" | "99") {
            return Err(HsError::UnknownChapter {
                input: input.to_string(),
                chapter: chapter.to_string(),
            });
        }
        Ok(HsCode { digits })
    }

    fn check_length(input: &str, digits: &str) -> Result<(), HsError> {
        let n = digits.len();
        if n == 0 {
            return Err(HsError::Empty);
        }
        if n.is_multiple_of(2) && n <= 10 {
            return Ok(());
        }
        let hint = if n > 10 {
            " (too long for any tariff code)"
        } else {
            " (a leading zero may have been dropped, e.g. by a spreadsheet)"
        };
        Err(HsError::BadLength {
            input: input.to_string(),
            digits: n,
            hint,
        })
    }

    /// All digits, without separators.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The chapter (first 2 digits).
    pub fn chapter(&self) -> &str {
        &self.digits[..2]
    }

    /// The heading (first 4 digits), if the code has them.
    pub fn hs4(&self) -> Option<&str> {
        self.digits.get(..4)
    }

    /// The subheading (first 6 digits), if the code has them.
    pub fn hs6(&self) -> Option<&str> {
        self.digits.get(..6)
    }

    /// The national digits beyond the HS-6 subheading (empty for HS-6 or shorter codes).
    pub fn national(&self) -> &str {
        self.digits.get(6..).unwrap_or("")
    }

    /// The most precise HS part of the code: the HS-6 subheading, else the heading or chapter.
    pub fn hs_part(&self) -> &str {
        self.digits.get(..6).unwrap_or(&self.digits)
    }
}

impl fmt::Display for HsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

/// An edition of the Harmonized System nomenclature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub enum HsVersion {
    /// HS 2017 (UN Comtrade `H5`): trade data of 2017 to 2021.
    #[serde(rename = "2017")]
    Hs2017,
    /// HS 2022 (UN Comtrade `H6`), the edition of the CHPL codes; the default.
    #[default]
    #[serde(rename = "2022")]
    Hs2022,
}

impl HsVersion {
    /// Parses `2017`, `HS2017`, `HS 2017`, `17`, `H5` (and the same for 2022 / `H6`);
    /// an empty value means the default, HS 2022.
    pub fn parse(input: &str) -> Result<HsVersion, HsError> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let bare = cleaned.strip_prefix("HS").unwrap_or(&cleaned);
        match bare {
            "" | "2022" | "22" | "H6" => Ok(HsVersion::Hs2022),
            "2017" | "17" | "H5" => Ok(HsVersion::Hs2017),
            _ => Err(HsError::UnknownVersion(input.to_string())),
        }
    }

    /// The year, e.g. `"2022"`.
    pub fn as_str(self) -> &'static str {
        match self {
            HsVersion::Hs2017 => "2017",
            HsVersion::Hs2022 => "2022",
        }
    }
}

impl fmt::Display for HsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn national_formats_normalise_to_hs6() {
        for (input, digits) in [
            ("8542.31.0015", "8542310015"), // US HTS
            ("8542 31 00", "85423100"),     // EU CN
            ("85423100", "85423100"),
            ("854231", "854231"),
            ("8542 31 900 0", "8542319000"), // TN VED
            ("8542319000", "8542319000"),    // China, TARIC
            ("  8542-31  ", "854231"),
        ] {
            let code = HsCode::parse(input).unwrap();
            assert_eq!(code.digits(), digits, "{input}");
            assert_eq!(code.hs6(), Some("854231"));
            assert_eq!(code.hs4(), Some("8542"));
            assert_eq!(code.chapter(), "85");
        }
        assert_eq!(HsCode::parse("8542.31.0015").unwrap().national(), "0015");
    }

    #[test]
    fn headings_and_chapters_have_no_hs6() {
        let h = HsCode::parse("8806").unwrap();
        assert_eq!(
            (h.hs6(), h.hs4(), h.hs_part()),
            (None, Some("8806"), "8806")
        );
        let c = HsCode::parse("85").unwrap();
        assert_eq!((c.hs4(), c.hs_part()), (None, "85"));
    }

    #[test]
    fn bad_codes_say_why() {
        assert_eq!(HsCode::parse(""), Err(HsError::Empty));
        assert_eq!(HsCode::parse(" . "), Err(HsError::Empty));
        let letters = HsCode::parse("8542.AB").unwrap_err().to_string();
        assert!(letters.contains("'A' at position 6"), "{letters}");
        let three = HsCode::parse("854").unwrap_err().to_string();
        assert!(
            three.contains("has 3 digits") && three.contains("leading zero"),
            "{three}"
        );
        let fourteen = HsCode::parse("85423100150000").unwrap_err().to_string();
        assert!(
            fourteen.contains("has 14 digits") && fourteen.contains("too long"),
            "{fourteen}"
        );
        let chapter = HsCode::parse("9903.88.03").unwrap_err().to_string();
        assert!(chapter.contains("99 is not an HS chapter"), "{chapter}");
    }

    #[test]
    fn versions() {
        for (s, v) in [
            ("", HsVersion::Hs2022),
            ("HS 2017", HsVersion::Hs2017),
            ("h5", HsVersion::Hs2017),
            ("2022", HsVersion::Hs2022),
            ("hs22", HsVersion::Hs2022),
        ] {
            assert_eq!(HsVersion::parse(s).unwrap(), v, "{s}");
        }
        assert_eq!(
            HsVersion::parse("2012").unwrap_err().to_string(),
            "unknown HS version \"2012\" (expected 2017 or 2022)"
        );
    }

    proptest! {
        #[test]
        fn arbitrary_strings_never_panic(s in any::<String>()) {
            let _ = HsCode::parse(&s);
            let _ = HsVersion::parse(&s);
        }

        #[test]
        fn digit_strings_parse_by_length(s in "[0-9 .]{0,16}") {
            let n = s.chars().filter(char::is_ascii_digit).count();
            let ok = HsCode::parse(&s).is_ok();
            if ok {
                prop_assert!(n % 2 == 0 && (2..=10).contains(&n));
            }
        }
    }
}
