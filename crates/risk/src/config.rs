//! Risk configuration: the points each red flag adds, the level thresholds and the screening
//! threshold, from a TOML file or defaults.
//!
//! Every number that turns evidence into a decision lives here, is written into the audit record
//! of each run, and can be changed without a rebuild: a compliance team sets its own appetite.
//! Unknown keys are an error (a misspelt key would silently keep a default).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A bad configuration file.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", file.display())]
pub struct ConfigError {
    /// The file read.
    pub file: PathBuf,
    /// What is wrong.
    pub message: String,
}

/// Points added by each red flag (a line's score is their sum, capped at 100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// A party's name matches a listed entity.
    pub party: f64,
    /// A party's identifier matches a listed entity whose name does not match.
    pub identifier: f64,
    /// A party's address matches a listed entity's address.
    pub address: f64,
    /// CHPL tier 1 goods.
    pub tier1: f64,
    /// CHPL tier 2 goods.
    pub tier2: f64,
    /// CHPL tier 3.A / 3.B goods.
    pub tier3: f64,
    /// CHPL tier 4.A / 4.B goods.
    pub tier4: f64,
    /// Watch-list goods.
    pub watch: f64,
    /// The description points to CHPL goods the declared code is not.
    pub misdeclaration: f64,
    /// Critical goods whose route ends in Russia or Belarus.
    pub destination: f64,
    /// Critical goods passing a diversion hub.
    pub hub: f64,
    /// A consignee receiving critical goods from many unrelated shippers.
    pub many_shippers: f64,
    /// A freight forwarder or logistics company as consignee of critical goods to a hub.
    pub forwarder: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            party: 70.0,
            identifier: 70.0,
            address: 40.0,
            tier1: 30.0,
            tier2: 25.0,
            tier3: 20.0,
            tier4: 20.0,
            watch: 15.0,
            misdeclaration: 30.0,
            destination: 20.0,
            hub: 10.0,
            many_shippers: 10.0,
            forwarder: 10.0,
        }
    }
}

/// Level thresholds: a score at or above `high` is high, at or above `medium` medium, above
/// zero low, zero none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Levels {
    /// Stop the line.
    pub high: f64,
    /// Investigate.
    pub medium: f64,
}

impl Default for Levels {
    fn default() -> Self {
        Levels {
            high: 75.0,
            medium: 40.0,
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RiskConfig {
    /// Minimum screening score of a party match (0..1).
    pub screen_threshold: f64,
    /// Minimum name similarity (0..1) for a hit to count as a *name* match; below it, a hit
    /// carried by a shared identifier is an `identifier` flag.
    pub name_match: f64,
    /// Minimum share of address tokens in common for an address match (0..1).
    pub address_similarity: f64,
    /// How many unrelated shippers of critical goods to one consignee make a pattern.
    pub many_shippers: usize,
    /// Points per flag.
    pub weights: Weights,
    /// Level thresholds.
    pub levels: Levels,
}

impl Default for RiskConfig {
    fn default() -> Self {
        RiskConfig {
            screen_threshold: dualtrace_matching::DEFAULT_THRESHOLD,
            name_match: 0.7,
            address_similarity: 0.85,
            many_shippers: 3,
            weights: Weights::default(),
            levels: Levels::default(),
        }
    }
}

impl RiskConfig {
    /// Reads a TOML file (missing keys keep their defaults) and checks it.
    pub fn load(path: &Path) -> Result<RiskConfig, ConfigError> {
        let err = |message: String| ConfigError {
            file: path.to_owned(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let config: RiskConfig = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
        config.check().map_err(err)?;
        Ok(config)
    }

    /// Checks the ranges: scores and similarities in 0..1, non-negative points, high >= medium > 0.
    pub fn check(&self) -> Result<(), String> {
        let unit = [
            ("screen_threshold", self.screen_threshold),
            ("name_match", self.name_match),
            ("address_similarity", self.address_similarity),
        ];
        for (key, v) in unit {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("`{key}` = {v} is not between 0 and 1"));
            }
        }
        let w = &self.weights;
        for (key, v) in [
            ("party", w.party),
            ("identifier", w.identifier),
            ("address", w.address),
            ("tier1", w.tier1),
            ("tier2", w.tier2),
            ("tier3", w.tier3),
            ("tier4", w.tier4),
            ("watch", w.watch),
            ("misdeclaration", w.misdeclaration),
            ("destination", w.destination),
            ("hub", w.hub),
            ("many_shippers", w.many_shippers),
            ("forwarder", w.forwarder),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!(
                    "`weights.{key}` = {v} is not a non-negative number"
                ));
            }
        }
        let l = &self.levels;
        if !(l.medium > 0.0 && l.high >= l.medium && l.high.is_finite()) {
            return Err(format!(
                "levels must satisfy high >= medium > 0 (high {}, medium {})",
                l.high, l.medium
            ));
        }
        if self.many_shippers < 2 {
            return Err("`many_shippers` must be at least 2".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("risk.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn partial_file_keeps_defaults() {
        let (_d, p) = write("many_shippers = 5\n[levels]\nhigh = 80\n");
        let c = RiskConfig::load(&p).unwrap();
        assert_eq!(c.many_shippers, 5);
        assert_eq!(c.levels.high, 80.0);
        assert_eq!(c.levels.medium, 40.0);
        assert_eq!(Levels::default().high, 75.0);
        assert_eq!(c.weights, Weights::default());
    }

    #[test]
    fn unknown_keys_and_bad_ranges_are_errors() {
        let (_d, p) = write("[weights]\nparty_match = 3\n");
        assert!(
            RiskConfig::load(&p)
                .unwrap_err()
                .message
                .contains("party_match")
        );
        let (_d, p) = write("screen_threshold = 1.5\n");
        assert!(
            RiskConfig::load(&p)
                .unwrap_err()
                .message
                .contains("screen_threshold")
        );
        let (_d, p) = write("[levels]\nhigh = 10\nmedium = 20\n");
        assert!(
            RiskConfig::load(&p)
                .unwrap_err()
                .message
                .contains("high >= medium")
        );
    }
}
