//! Partial dates: a year, a year and month, or a full day, as sanctions lists give them.
//!
//! Lists print dates of birth as `1961`, `May 1961`, `07 May 1961`, `07.05.1961`, `1961-05-07`
//! or `circa 1961`; FtM stores them as the ISO prefix that is known (`1961`, `1961-05`,
//! `1961-05-07`). Keeping the precision matters for matching: a query born `1961-05-07` agrees
//! with a listing of `1961`, but not with one of `1962`. Impossible dates (month 13, 30 February,
//! the year 3017 of a real BIS record) are rejected, never guessed.

use std::fmt;
use std::str::FromStr;

/// The earliest year dualtrace accepts in a date.
pub const MIN_YEAR: u16 = 1000;
/// The latest year dualtrace accepts in a date.
pub const MAX_YEAR: u16 = 2100;

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid date: {text:?} ({reason})")]
pub struct DateError {
    /// The text that was given.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// How to read an all-numeric date with separators (`07/05/1961`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    /// Day, month, year (Europe, the UN, most lists).
    DayMonthYear,
    /// Month, day, year (US agencies).
    MonthDayYear,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            let leap =
                (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
            if leap { 29 } else { 28 }
        }
    }
}

impl PartialDate {
    /// A date checked for range: year 1000..=2100, month 1..=12, a day that exists.
    pub fn new(year: u16, month: Option<u8>, day: Option<u8>) -> Result<Self, &'static str> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err("year out of range 1000-2100");
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err("month out of range");
            }
            if let Some(d) = day
                && (d == 0 || d > days_in_month(year, m))
            {
                return Err("day does not exist in that month");
            }
        } else if day.is_some() {
            return Err("day without month");
        }
        Ok(PartialDate { year, month, day })
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, when known.
    pub fn month(&self) -> Option<u8> {
        self.month
    }

    /// The day, when known.
    pub fn day(&self) -> Option<u8> {
        self.day
    }

    /// Parses a strict ISO prefix: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a time part is ignored).
    pub fn parse_iso(text: &str) -> Result<Self, DateError> {
        // The shapes the lists and the store write ("1961-02-29", "1975-07", "1958"), read
        // digit by digit: the general reading gives the same, at several times the cost
        // (every record of a pair file reads its birth dates), and says what is wrong with a
        // date that does not exist.
        if let Some((year, month, day)) = iso_digits(text)
            && let Ok(date) = PartialDate::new(year, month, day)
        {
            return Ok(date);
        }
        PartialDate::read_iso(text)
    }

    /// [`PartialDate::parse_iso`]'s general reading: spaces and a time part allowed, months
    /// and days of one digit.
    fn read_iso(text: &str) -> Result<Self, DateError> {
        let err = |reason| DateError {
            text: text.to_string(),
            reason,
        };
        let t = text.trim();
        // A time part ("2003-06-19T00:00:00", "2003-06-19 00:00") is ignored; any other text
        // after the date is not (so "1965 or 1966" is no date, not 1965).
        let t = match t.find(['T', 't', ' ']) {
            Some(i)
                if t[i + 1..]
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit())
                    && t[i + 1..].contains(':') =>
            {
                &t[..i]
            }
            _ => t,
        };
        let mut parts = t.split('-');
        let year = parts
            .next()
            .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|y| y.parse::<u16>().ok())
            .ok_or_else(|| err("expected a four-digit year"))?;
        let mut num = |what: &'static str| -> Result<Option<u8>, DateError> {
            match parts.next() {
                None => Ok(None),
                Some(p) if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse::<u8>().map(Some).map_err(|_| err(what))
                }
                Some(_) => Err(err(what)),
            }
        };
        let month = num("bad month")?;
        let day = num("bad day")?;
        if parts.next().is_some() {
            return Err(err("trailing text"));
        }
        PartialDate::new(year, month, day).map_err(err)
    }

    /// Parses the forms lists print: ISO, `07 May 1961`, `May 1961`, `May 07, 1961`,
    /// `07.05.1961`, `07/05/1961` (read with `order`), with an optional `circa`/`c.`/`approx.`.
    pub fn parse_with(text: &str, order: DayOrder) -> Result<Self, DateError> {
        let err = |reason| DateError {
            text: text.to_string(),
            reason,
        };
        let lower = text.trim().to_ascii_lowercase();
        let mut t = lower.as_str();
        for prefix in [
            "circa",
            "approximately",
            "approx.",
            "approx",
            "ca.",
            "c.",
            "about",
        ] {
            if let Some(rest) = t.strip_prefix(prefix) {
                t = rest.trim_start();
                break;
            }
        }
        if t.is_empty() {
            return Err(err("empty"));
        }
        match PartialDate::parse_iso(t) {
            Ok(d) => return Ok(d),
            // ISO-shaped but impossible (year 3017, month 13): say so, don't guess further.
            Err(e)
                if t.len() >= 7
                    && t.as_bytes().get(4) == Some(&b'-')
                    && e.reason != "trailing text"
                    && t[..4].bytes().all(|b| b.is_ascii_digit()) =>
            {
                return Err(DateError {
                    text: text.to_string(),
                    reason: e.reason,
                });
            }
            Err(_) => {}
        }
        // All-numeric with separators.
        if t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'/' | b'-'))
        {
            let nums: Vec<&str> = t.split(['.', '/', '-']).collect();
            let parse = |s: &str| s.parse::<u16>().map_err(|_| err("bad number"));
            return match nums.as_slice() {
                [a, b, y] if y.len() == 4 => {
                    let (a, b, y) = (parse(a)?, parse(b)?, parse(y)?);
                    let (d, m) = match order {
                        DayOrder::DayMonthYear => (a, b),
                        DayOrder::MonthDayYear => (b, a),
                    };
                    let (d, m) = (u8::try_from(d), u8::try_from(m));
                    match (d, m) {
                        (Ok(d), Ok(m)) => PartialDate::new(y, Some(m), Some(d)).map_err(err),
                        _ => Err(err("bad day or month")),
                    }
                }
                [m, y] if y.len() == 4 => {
                    let m = u8::try_from(parse(m)?).map_err(|_| err("bad month"))?;
                    PartialDate::new(parse(y)?, Some(m), None).map_err(err)
                }
                _ => Err(err("unrecognised numeric date")),
            };
        }
        // Words: day? month-name day? ,? year
        let tokens: Vec<&str> = t
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .collect();
        let mut year = None;
        let mut month = None;
        let mut day = None;
        for tok in tokens {
            if tok.bytes().all(|b| b.is_ascii_digit()) {
                if tok.len() == 4 {
                    if year
                        .replace(tok.parse::<u16>().map_err(|_| err("bad year"))?)
                        .is_some()
                    {
                        return Err(err("two years"));
                    }
                } else if tok.len() <= 2 {
                    if day
                        .replace(tok.parse::<u8>().map_err(|_| err("bad day"))?)
                        .is_some()
                    {
                        return Err(err("two days"));
                    }
                } else {
                    return Err(err("bad number"));
                }
            } else {
                let stem: String = tok.chars().take(3).collect();
                let idx = MONTHS
                    .iter()
                    .position(|m| *m == stem)
                    .ok_or_else(|| err("unrecognised word"))?;
                let idx = u8::try_from(idx + 1).map_err(|_| err("bad month"))?;
                if month.replace(idx).is_some() {
                    return Err(err("two months"));
                }
            }
        }
        let year = year.ok_or_else(|| err("no year"))?;
        PartialDate::new(year, month, day).map_err(err)
    }

    /// Whether two partial dates can be the same day (agree on every part both know).
    pub fn compatible(&self, other: &PartialDate) -> bool {
        self.year == other.year
            && match (self.month, other.month) {
                (Some(a), Some(b)) => {
                    a == b
                        && match (self.day, other.day) {
                            (Some(x), Some(y)) => x == y,
                            _ => true,
                        }
                }
                _ => true,
            }
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartialDate::parse_with(s, DayOrder::DayMonthYear)
    }
}

impl PartialDate {
    /// The date as its [`Display`](fmt::Display) text, built in one allocation rather than
    /// through the formatting machinery: explanations show every birth date of both records
    /// compared, a few thousand a pass over the benchmark's pairs.
    pub fn to_text(&self) -> String {
        self.digits(&mut [0; 11]).to_owned()
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a year over 9999 in five digits) written into
    /// `buf`, the digits by hand.
    fn digits<'b>(&self, buf: &'b mut [u8; 11]) -> &'b str {
        let digit = |n: u16| b'0' + (n % 10) as u8;
        let y = self.year;
        let mut len = 0;
        for scale in [10_000, 1000, 100, 10, 1] {
            if scale < 10_000 || y >= 10_000 {
                buf[len] = digit(y / scale);
                len += 1;
            }
        }
        for part in [self.month, self.month.and(self.day)].into_iter().flatten() {
            let n = u16::from(part);
            buf[len..len + 3].copy_from_slice(&[b'-', digit(n / 10), digit(n)]);
            len += 3;
        }
        // Only ASCII digits and dashes were written.
        std::str::from_utf8(&buf[..len]).unwrap_or_default()
    }
}

impl fmt::Display for PartialDate {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (`PartialDate::digits`): padded `write!`s go
    /// through the formatting machinery three times a date.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.digits(&mut [0; 11]))
    }
}

/// The year, month and day of text that is exactly `YYYY`, `YYYY-MM` or `YYYY-MM-DD` in ASCII
/// digits; `None` for anything else (left to [`PartialDate::parse_iso`]'s general reading).
fn iso_digits(text: &str) -> Option<(u16, Option<u8>, Option<u8>)> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| c - b'0');
    let two = |i: usize| Some(digit(i)? * 10 + digit(i + 1)?);
    let year = u16::from(two(0)?) * 100 + u16::from(two(2)?);
    match b.len() {
        4 => Some((year, None, None)),
        7 if b[4] == b'-' => Some((year, Some(two(5)?), None)),
        10 if b[4] == b'-' && b[7] == b'-' => Some((year, Some(two(5)?), Some(two(8)?))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> String {
        s.parse::<PartialDate>()
            .map(|d| d.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn list_forms() {
        assert_eq!(p("1961"), "1961");
        assert_eq!(p("1961-05"), "1961-05");
        assert_eq!(p("1961-05-07"), "1961-05-07");
        assert_eq!(p("07 May 1961"), "1961-05-07");
        assert_eq!(p("May 1961"), "1961-05");
        assert_eq!(p("circa 1961"), "1961");
        assert_eq!(p("07.05.1961"), "1961-05-07");
        assert_eq!(p("2003-06-19T00:00:00"), "2003-06-19");
        assert_eq!(
            PartialDate::parse_with("06/19/2003", DayOrder::MonthDayYear).map(|d| d.to_string()),
            Ok("2003-06-19".to_string())
        );
    }

    #[test]
    fn impossible_dates_are_errors() {
        for bad in [
            "3017-08-22",
            "1961-13",
            "1961-02-30",
            "",
            "abc",
            "19610",
            "May",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad} accepted");
        }
        assert_eq!(p("2000-02-29"), "2000-02-29");
        assert!("1900-02-29".parse::<PartialDate>().is_err());
        assert!(
            p("3017-08-22").contains("year out of range"),
            "{}",
            p("3017-08-22")
        );
        assert_eq!(p("2003-06-19 10:00"), "2003-06-19");
    }

    #[test]
    fn compatibility_respects_precision() {
        let d = |s: &str| s.parse::<PartialDate>().ok();
        let (a, b, c) = (d("1961"), d("1961-05-07"), d("1962-05-07"));
        assert!(a.zip(b).is_some_and(|(a, b)| a.compatible(&b)));
        assert!(!b.zip(c).is_some_and(|(b, c)| b.compatible(&c)));
    }

    proptest! {
        #[test]
        fn dates_display_as_padded_iso(
            year in prop_oneof![0u16..=9999, any::<u16>()],
            month in proptest::option::of(1u8..=12),
            day in proptest::option::of(1u8..=31),
        ) {
            let date = PartialDate { year, month, day: month.and(day) };
            let mut expected = format!("{year:04}");
            if let Some(m) = month {
                expected += &format!("-{m:02}");
                if let Some(d) = day {
                    expected += &format!("-{d:02}");
                }
            }
            prop_assert_eq!(date.to_text(), expected.clone());
            prop_assert_eq!(date.to_string(), expected);
        }
    }

    proptest! {
        #[test]
        fn digits_in_place_read_as_the_general_reading(
            s in prop_oneof![
                // Dates in every shape, months 00 to 13 and days 00 to 32 among them.
                (900u16..=2200, 0u8..=13, 0u8..=32, 0usize..4).prop_map(|(y, m, d, shape)| {
                    match shape {
                        0 => format!("{y}"),
                        1 => format!("{y}-{m:02}"),
                        2 => format!("{y}-{m:02}-{d:02}"),
                        _ => format!("{y}-{m}-{d}"),
                    }
                }),
                "[0-9]{4}(-[0-9]{1,3}){0,3}|[0-9-]{0,11}|[0-9]{4}-[0-9]{2}-[0-9]{2}[ T0-9:]{0,6}",
            ]
        ) {
            prop_assert_eq!(PartialDate::parse_iso(&s), PartialDate::read_iso(&s));
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = s.parse::<PartialDate>();
        }

        #[test]
        fn display_round_trips(y in 1000u16..=2100, m in 1u8..=12, d in 1u8..=28) {
            let date = PartialDate::new(y, Some(m), Some(d)).map_err(TestCaseError::fail)?;
            prop_assert_eq!(PartialDate::parse_iso(&date.to_string()), Ok(date));
        }
    }
}
