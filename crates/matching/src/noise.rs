//! A seeded, deterministic noise generator for recall tests: the errors real screening input has.
//!
//! Customer records are typed by hand, exported through systems that lose characters and
//! re-imported with other conventions. Each treated query gets exactly one of the
//! [`Treatment`]s, chosen by a small xorshift generator from the seed, so a run is reproducible
//! bit for bit (no dependency on a random-number crate whose streams change across versions).
//! A treatment that does not apply to a name (reordering a one-word name, dropping non-ASCII
//! letters of an ASCII name) falls back to swapping two adjacent letters, so every treated query
//! really differs from the original.

/// One kind of input error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Treatment {
    /// Two adjacent letters swapped ("Ivnao").
    AdjacentSwap,
    /// "SURNAME, Given" order (last word first, comma, upper case).
    SurnameFirst,
    /// One letter doubled ("Ivvan").
    DoubledLetter,
    /// One letter dropped ("Ivn").
    DroppedLetter,
    /// One vowel replaced by another ("Ivon").
    VowelSwap,
    /// Spaces turned into no-break spaces.
    NoBreakSpaces,
    /// Non-ASCII characters dropped (a lossy export).
    NonAsciiDropped,
    /// Non-ASCII characters turned into "?" (a wrong code page).
    NonAsciiQuestion,
    /// Birth year off by one (the name is untouched).
    BirthYearOffByOne,
}

impl Treatment {
    /// Every treatment, in the order the generator picks from.
    pub const ALL: [Treatment; 9] = [
        Treatment::AdjacentSwap,
        Treatment::SurnameFirst,
        Treatment::DoubledLetter,
        Treatment::DroppedLetter,
        Treatment::VowelSwap,
        Treatment::NoBreakSpaces,
        Treatment::NonAsciiDropped,
        Treatment::NonAsciiQuestion,
        Treatment::BirthYearOffByOne,
    ];
}

/// The deterministic generator.
#[derive(Debug, Clone)]
pub struct Noise {
    state: u64,
}

const VOWELS: &[char] = &['a', 'e', 'i', 'o', 'u'];

impl Noise {
    /// A generator for a seed (any seed, 0 included, gives a valid stream).
    pub fn new(seed: u64) -> Noise {
        Noise {
            state: seed ^ 0x9E37_79B9_7F4A_7C15,
        }
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.state.max(1);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// Treats a query: returns the noisy name, the (possibly shifted) birth date and the
    /// treatment applied.
    pub fn treat(&mut self, name: &str, birth_date: &str) -> (String, String, Treatment) {
        let pick = Treatment::ALL[self.below(Treatment::ALL.len())];
        if pick == Treatment::BirthYearOffByOne
            && let Some(date) = shift_year(birth_date, self.below(2) == 0)
        {
            return (name.to_string(), date, pick);
        }
        match self.apply(pick, name) {
            Some(noisy) if noisy != name => (noisy, birth_date.to_string(), pick),
            _ => (
                self.apply(Treatment::AdjacentSwap, name)
                    .unwrap_or_else(|| name.to_string()),
                birth_date.to_string(),
                Treatment::AdjacentSwap,
            ),
        }
    }

    /// Applies one treatment to a name, if it applies.
    pub fn apply(&mut self, t: Treatment, name: &str) -> Option<String> {
        let chars: Vec<char> = name.chars().collect();
        let letters: Vec<usize> = (0..chars.len())
            .filter(|&i| chars[i].is_alphabetic())
            .collect();
        match t {
            Treatment::AdjacentSwap => {
                let pairs: Vec<usize> = letters
                    .iter()
                    .copied()
                    .filter(|&i| {
                        chars
                            .get(i + 1)
                            .is_some_and(|c| c.is_alphabetic() && *c != chars[i])
                    })
                    .collect();
                let i = *pairs.get(self.below(pairs.len()))?;
                let mut out = chars.clone();
                out.swap(i, i + 1);
                Some(out.into_iter().collect())
            }
            Treatment::SurnameFirst => {
                let words: Vec<&str> = name.split_whitespace().collect();
                let (last, rest) = words.split_last()?;
                (!rest.is_empty()).then(|| format!("{}, {}", last.to_uppercase(), rest.join(" ")))
            }
            Treatment::DoubledLetter | Treatment::DroppedLetter => {
                let i = *letters.get(self.below(letters.len()))?;
                let mut out = chars.clone();
                if t == Treatment::DoubledLetter {
                    out.insert(i, chars[i]);
                } else {
                    out.remove(i);
                }
                Some(out.into_iter().collect())
            }
            Treatment::VowelSwap => {
                let vowels: Vec<usize> = letters
                    .iter()
                    .copied()
                    .filter(|&i| VOWELS.contains(&chars[i].to_ascii_lowercase()))
                    .collect();
                let i = *vowels.get(self.below(vowels.len()))?;
                let mut out = chars.clone();
                let old = chars[i].to_ascii_lowercase();
                let mut new = VOWELS[self.below(VOWELS.len())];
                if new == old {
                    new = VOWELS[(VOWELS.iter().position(|v| *v == old).unwrap_or(0) + 1) % 5];
                }
                out[i] = if chars[i].is_uppercase() {
                    new.to_ascii_uppercase()
                } else {
                    new
                };
                Some(out.into_iter().collect())
            }
            Treatment::NoBreakSpaces => name.contains(' ').then(|| name.replace(' ', "\u{a0}")),
            Treatment::NonAsciiDropped => {
                (!name.is_ascii()).then(|| name.chars().filter(char::is_ascii).collect())
            }
            Treatment::NonAsciiQuestion => (!name.is_ascii()).then(|| {
                name.chars()
                    .map(|c| if c.is_ascii() { c } else { '?' })
                    .collect()
            }),
            Treatment::BirthYearOffByOne => None,
        }
    }
}

/// The date with its year moved by one (up or down), if it starts with a four-digit year.
fn shift_year(date: &str, up: bool) -> Option<String> {
    let year: i32 = date.get(..4)?.parse().ok()?;
    let shifted = if up { year + 1 } else { year - 1 };
    Some(format!("{shifted}{}", &date[4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_per_seed() {
        let run = |seed| {
            let mut n = Noise::new(seed);
            (0..50)
                .map(|i| n.treat(&format!("Ivan Petrov {i}"), "1961-05-07"))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn treatments() {
        let mut n = Noise::new(1);
        assert_eq!(
            n.apply(Treatment::SurnameFirst, "Ivan Petrov").as_deref(),
            Some("PETROV, Ivan")
        );
        assert_eq!(n.apply(Treatment::SurnameFirst, "Ivan"), None);
        assert_eq!(
            n.apply(Treatment::NonAsciiQuestion, "Müller").as_deref(),
            Some("M?ller")
        );
        assert_eq!(
            n.apply(Treatment::NonAsciiDropped, "Müller").as_deref(),
            Some("Mller")
        );
        assert_eq!(n.apply(Treatment::NonAsciiDropped, "Muller"), None);
        let doubled = n
            .apply(Treatment::DoubledLetter, "Ivan")
            .unwrap_or_default();
        assert_eq!(doubled.chars().count(), 5);
        let dropped = n
            .apply(Treatment::DroppedLetter, "Ivan")
            .unwrap_or_default();
        assert_eq!(dropped.chars().count(), 3);
        assert_eq!(
            shift_year("1961-05-07", true).as_deref(),
            Some("1962-05-07")
        );
        assert_eq!(shift_year("", true), None);
    }

    #[test]
    fn every_treated_query_differs() {
        let mut n = Noise::new(3);
        for i in 0..200 {
            let name = format!("Abdul Rahman {}", ["Ali", "Müller", "Ng"][i % 3]);
            let (noisy, date, t) = n.treat(&name, "1970");
            assert!(noisy != name || date != "1970", "{t:?}");
        }
    }
}
