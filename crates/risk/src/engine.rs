//! The risk engine: shipment lines x parties x goods x routes into scored, explained lines and
//! parties.
//!
//! Rules (each raises a [`Flag`] with its evidence; the points come from [`RiskConfig`]):
//!
//! * **party / identifier / address**: a shipper, consignee or notify party is (or shares an
//!   identifier or an address with) a listed entity, see [`crate::parties`];
//! * **goods**: the declared code is CHPL tier 1 to 4 (half the points when the code covers
//!   CHPL goods only in part) or on the watch list;
//! * **misdeclaration**: the description points to CHPL goods while the declared code is not a
//!   CHPL code (a microcontroller declared as "parts of computers");
//! * **route**, for critical goods (CHPL, watch list or misdeclared): the destination is Russia
//!   or Belarus; the goods pass a diversion hub named in the allies' guidance (Hong Kong, China,
//!   the UAE, Türkiye, Armenia, Kazakhstan, Kyrgyzstan, Uzbekistan, Georgia) on their way to
//!   Russia or Belarus, or go into one of those hubs from elsewhere (re-export risk). A hub on
//!   the way to anywhere else (Türkiye to Germany) is not a diversion route. Benign goods to
//!   Russia raise nothing: most of that trade is lawful, and flagging it would bury the real
//!   signals;
//! * **pattern**: one consignee receives critical goods from `many_shippers` or more unrelated
//!   shippers (different names and identifiers); a freight forwarder or logistics company is
//!   the consignee of critical goods bound for a hub, Russia or Belarus (G7 and BIS guidance).
//!
//! A line's score is the sum of its flags' points, capped at 100 (a party found on several
//! lists counts once per line: its further listings are shown with 0 points); its level comes
//! from the configured thresholds. A party's score is the highest score of the lines it appears on, with
//! the reasons of those lines. Parties are screened once each (deduplicated), goods are
//! classified once per distinct code and description.

use crate::config::RiskConfig;
use crate::flag::{Flag, FlagKind};
use crate::parties::{Finding, PartyKey, PartyScreener, PartyScreening, party_key};
use crate::shipments::{Party, Shipment};
use dualtrace_goods::{Classification, Classifier, ControlLists, ShipmentLine, Tier};
use dualtrace_matching::{AllowList, Index};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Countries named as diversion hubs for battlefield-critical goods in the allies' guidance.
pub const DIVERSION_HUBS: [&str; 9] = ["HK", "CN", "AE", "TR", "AM", "KZ", "KG", "UZ", "GE"];

/// The destinations the export bans are about.
pub const BANNED_DESTINATIONS: [&str; 2] = ["RU", "BY"];

/// Words (folded, lower case) that mark a freight forwarder or logistics company.
const FORWARDER_WORDS: [&str; 22] = [
    "logistic",
    "logistik",
    "lojistik",
    "forwarding",
    "forwarder",
    "freight",
    "shipping",
    "cargo",
    "transport",
    "courier",
    "express delivery",
    "supply chain",
    "ekspedi",
    "логист",
    "экспеди",
    "транспорт",
    "карго",
    "перевоз",
    "物流",
    "货运",
    "货代",
    "运输",
];

/// Risk level of a line or a party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// At or above the high threshold: stop.
    High,
    /// At or above the medium threshold: investigate.
    Medium,
    /// Some flag, below medium.
    Low,
    /// No flag.
    None,
}

impl Level {
    /// All levels, highest first.
    pub const ALL: [Level; 4] = [Level::High, Level::Medium, Level::Low, Level::None];

    /// The level as written in the output.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::High => "high",
            Level::Medium => "medium",
            Level::Low => "low",
            Level::None => "none",
        }
    }

    /// The level of a score under a configuration.
    pub fn of(score: f64, config: &RiskConfig) -> Level {
        if score >= config.levels.high {
            Level::High
        } else if score >= config.levels.medium {
            Level::Medium
        } else if score > 0.0 {
            Level::Low
        } else {
            Level::None
        }
    }
}

/// The risk of one line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineRisk {
    /// 0-based data row of the input.
    pub row: usize,
    /// 0..100.
    pub score: f64,
    /// The level of the score.
    pub level: Level,
    /// Every reason, strongest first.
    pub flags: Vec<Flag>,
    /// Party hits that analysts marked as false positives: no flag, kept for the record.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "crate::flag::shared_values"
    )]
    pub suppressed: Vec<Arc<Value>>,
    /// The best CHPL tier of the goods (declared or pointed to by the description).
    #[serde(skip)]
    pub tier: Option<Tier>,
    /// Whether the goods are critical (CHPL, watch list or misdeclared).
    #[serde(skip)]
    pub critical: bool,
}

/// The risk of one party across the lines it appears on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyRisk {
    /// The name as written.
    pub name: String,
    /// Its country.
    pub country: Option<String>,
    /// Its identifier.
    pub id: String,
    /// Roles it appears in (`consignor`, `consignee`, `notify_party`).
    pub roles: Vec<String>,
    /// Lines it appears on.
    pub lines: usize,
    /// Lines of it with a flag.
    pub flagged_lines: usize,
    /// The highest score of its lines.
    pub score: f64,
    /// The level of that score.
    pub level: Level,
    /// Distinct reasons (flag details) of its flagged lines, strongest first.
    pub reasons: Vec<String>,
    /// Listed entities it was found to be (or resemble), including suppressed ones.
    pub findings: Vec<Finding>,
}

/// The result of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assessment {
    /// One per input line, in input order.
    pub lines: Vec<LineRisk>,
    /// One per distinct party, highest score first.
    pub parties: Vec<PartyRisk>,
    /// Lines whose tariff code could not be read (`line N: message`).
    pub goods_errors: Vec<String>,
}

/// The risk engine over a screening index.
#[derive(Debug)]
pub struct Engine<'a> {
    screener: PartyScreener<'a>,
    classifier: Classifier,
    config: RiskConfig,
}

/// A line's parties, as positions in the distinct-party table.
struct LineParties {
    roles: Vec<(&'static str, usize)>,
}

impl LineParties {
    /// The party in a role, if named.
    fn role(&self, role: &str) -> Option<(&'static str, usize)> {
        self.roles.iter().find(|(r, _)| *r == role).copied()
    }
}

impl<'a> Engine<'a> {
    /// An engine over `index` with a configuration, the analysts' allow-list and an optional
    /// filter of lists (store names).
    pub fn new(
        index: &'a Index,
        config: RiskConfig,
        allow: Option<Arc<AllowList>>,
        lists: Option<Vec<String>>,
    ) -> Engine<'a> {
        Engine {
            screener: PartyScreener::new(index, &config, allow, lists),
            classifier: Classifier::new(),
            config,
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &RiskConfig {
        &self.config
    }

    /// Assesses every line (see the module docs).
    pub fn assess(&self, shipments: &[Shipment]) -> Assessment {
        let notify: Vec<Party> = shipments
            .iter()
            .map(|s| Party {
                name: s.notify_party.clone(),
                ..Party::default()
            })
            .collect();
        let (parties, line_parties) = distinct_parties(shipments, &notify);
        let screenings = self.screener.screen(&parties);
        let groups = party_groups(&parties);
        let (classes, goods_of) = self.classify(shipments);
        let critical: Vec<bool> = goods_of.iter().map(|g| is_critical(&classes[*g])).collect();
        let many = self.many_shippers(&parties, &groups, &line_parties, &critical);
        let mut cache = FlagCache::default();
        let mut goods_errors = Vec::new();
        let mut lines = Vec::with_capacity(shipments.len());
        for (i, s) in shipments.iter().enumerate() {
            let g = &classes[goods_of[i]];
            if let Some(e) = &g.error {
                goods_errors.push(format!("line {}: hs_code {:?}: {e}", s.line, s.hs_code));
            }
            let mut flags = Vec::new();
            let mut suppressed = Vec::new();
            for (role, p) in &line_parties[i].roles {
                let (f, sup) = cache.party.entry((*p, role)).or_insert_with(|| {
                    party_flags(role, parties[*p], &screenings[*p], &self.config)
                });
                flags.extend(f.iter().cloned());
                suppressed.extend(sup.iter().cloned());
            }
            flags.extend(
                cache
                    .goods
                    .entry(goods_of[i])
                    .or_insert_with(|| self.goods_flags(g))
                    .iter()
                    .cloned(),
            );
            if critical[i] {
                let route = s.route_label();
                let key = (route, s.destination().map(str::to_owned));
                flags.extend(
                    cache
                        .route
                        .entry(key)
                        .or_insert_with(|| self.route_flags(s))
                        .iter()
                        .cloned(),
                );
                if let Some((_, consignee)) = line_parties[i].role("consignee") {
                    let key = (consignee, s.destination().map(str::to_owned));
                    flags.extend(
                        cache
                            .forwarder
                            .entry(key)
                            .or_insert_with(|| self.forwarder_flag(s))
                            .iter()
                            .cloned(),
                    );
                    if let Some(f) = many.get(&groups[consignee]) {
                        flags.push(f.clone());
                    }
                }
            }
            flags.sort_by(|a, b| b.points.total_cmp(&a.points).then(a.kind.cmp(&b.kind)));
            let score = round1(flags.iter().fold(0.0, |sum, f| sum + f.points).min(100.0));
            lines.push(LineRisk {
                row: s.row,
                score,
                level: Level::of(score, &self.config),
                flags,
                suppressed,
                tier: g
                    .chpl_tier
                    .or(g.misdeclaration.as_ref().map(|m| m.chpl_tier)),
                critical: critical[i],
            });
        }
        let parties = party_risks(&parties, &screenings, &line_parties, &lines, &self.config);
        Assessment {
            lines,
            parties,
            goods_errors,
        }
    }

    /// Classifies each distinct (code, description) once: the classifications and, per line,
    /// the position of its own.
    fn classify(&self, shipments: &[Shipment]) -> (Vec<Classification>, Vec<usize>) {
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        let mut classes = Vec::new();
        let mut of_line = Vec::with_capacity(shipments.len());
        for s in shipments {
            let key = (s.hs_code.as_str(), s.description.as_str());
            let at = *seen.entry(key).or_insert_with(|| {
                classes.push(self.classifier.classify(&ShipmentLine {
                    hs_code: key.0,
                    description: key.1,
                    hs_version: None,
                }));
                classes.len() - 1
            });
            of_line.push(at);
        }
        (classes, of_line)
    }

    /// The goods and misdeclaration flags of a classification.
    fn goods_flags(&self, g: &Classification) -> Vec<Flag> {
        let mut flags = Vec::new();
        let w = &self.config.weights;
        let lists = ControlLists::builtin();
        let chpl_version = lists.chpl.current_version();
        let described: Vec<&str> = g.evidence.iter().map(|e| e.text.as_str()).collect();
        if let Some(tier) = g.chpl_tier {
            let full = tier_points(tier, &self.config);
            let points = if g.partial { full / 2.0 } else { full };
            let hs6 = g.hs6.as_deref().unwrap_or("?");
            flags.push(Flag::new(
                FlagKind::Goods,
                format!(
                    "CHPL tier {tier} goods (HS {hs6}{}): {}",
                    if g.partial { ", code partly CHPL" } else { "" },
                    tier.meaning()
                ),
                points,
                json!({
                    "hs6": g.hs6, "tier": tier.as_str(), "tier_meaning": tier.meaning(),
                    "partial": g.partial, "chpl_version": chpl_version,
                    "description_evidence": described,
                }),
            ));
        } else if let Some(id) = g.watch {
            let item = lists.watch.get(id);
            flags.push(Flag::new(
                FlagKind::Goods,
                format!(
                    "watch-list goods {id}: {}",
                    item.map_or("", |i| i.name.as_str())
                ),
                w.watch,
                json!({
                    "hs6": g.hs6, "watch": id,
                    "reason": item.map(|i| i.reason.as_str()),
                    "source": item.map(|i| i.source.as_str()),
                }),
            ));
        }
        if let Some(m) = &g.misdeclaration {
            flags.push(Flag::new(
                FlagKind::Misdeclaration,
                format!(
                    "declared HS {} (not CHPL) but the description points to CHPL {} (tier {}): {}",
                    g.hs6.as_deref().unwrap_or("?"),
                    m.suggested_hs6,
                    m.chpl_tier,
                    m.evidence.join(", ")
                ),
                w.misdeclaration,
                json!({
                    "declared_hs6": g.hs6, "suggested_hs6": m.suggested_hs6,
                    "tier": m.chpl_tier.as_str(), "matched": m.evidence,
                    "chpl_version": chpl_version,
                }),
            ));
        }
        flags
    }

    /// Route flags of a line with critical goods.
    fn route_flags(&self, s: &Shipment) -> Vec<Flag> {
        let mut flags = Vec::new();
        let w = &self.config.weights;
        let route = s.route_label();
        let dest = s.destination();
        if let Some(d) = dest.filter(|d| BANNED_DESTINATIONS.contains(d)) {
            flags.push(Flag::new(
                FlagKind::Route,
                format!("critical goods bound for {d} ({route})"),
                w.destination,
                json!({"route": route, "destination": d}),
            ));
        }
        let before = s.route_before_destination();
        let passed: Vec<&str> = before
            .iter()
            .copied()
            .filter(|c| DIVERSION_HUBS.contains(c) && Some(*c) != dest)
            .collect();
        let into_hub = dest
            .filter(|d| DIVERSION_HUBS.contains(d))
            .filter(|d| before.iter().any(|c| c != d));
        let to_banned = dest.is_some_and(|d| BANNED_DESTINATIONS.contains(&d));
        if to_banned && !passed.is_empty() {
            flags.push(Flag::new(
                FlagKind::Route,
                format!(
                    "critical goods pass diversion hub {} ({route})",
                    passed.join(", ")
                ),
                w.hub,
                json!({"route": route, "hubs": passed}),
            ));
        } else if let Some(d) = into_hub {
            flags.push(Flag::new(
                FlagKind::Route,
                format!("critical goods shipped into diversion hub {d} ({route})"),
                w.hub,
                json!({"route": route, "hubs": [d]}),
            ));
        }
        flags
    }

    /// A freight forwarder or logistics company as consignee of critical goods to a hub,
    /// Russia or Belarus.
    fn forwarder_flag(&self, s: &Shipment) -> Option<Flag> {
        let dest = s.destination()?;
        if !(DIVERSION_HUBS.contains(&dest) || BANNED_DESTINATIONS.contains(&dest)) {
            return None;
        }
        forwarder_word(&s.consignee.name).map(|word| {
            Flag::new(
                FlagKind::Pattern,
                format!(
                    "a freight forwarder or logistics company ({}) is the consignee of critical goods to {dest}",
                    s.consignee.name
                ),
                self.config.weights.forwarder,
                json!({"consignee": s.consignee.name, "matched_word": word, "destination": dest}),
            )
        })
    }

    /// Consignees receiving critical goods from many unrelated shippers: their pattern flag,
    /// by consignee group.
    fn many_shippers(
        &self,
        parties: &[&Party],
        groups: &[usize],
        line_parties: &[LineParties],
        critical: &[bool],
    ) -> HashMap<usize, Flag> {
        // consignee group -> (shipper group -> first party of it)
        let mut shippers: HashMap<usize, BTreeMap<usize, usize>> = HashMap::new();
        let mut first_consignee: HashMap<usize, usize> = HashMap::new();
        for (lp, crit) in line_parties.iter().zip(critical) {
            let (Some((_, consignee)), Some((_, consignor))) =
                (lp.role("consignee"), lp.role("consignor"))
            else {
                continue;
            };
            if !crit {
                continue;
            }
            first_consignee
                .entry(groups[consignee])
                .or_insert(consignee);
            shippers
                .entry(groups[consignee])
                .or_default()
                .entry(groups[consignor])
                .or_insert(consignor);
        }
        let mut out = HashMap::new();
        for (group, by) in shippers {
            if by.len() < self.config.many_shippers {
                continue;
            }
            let mut names: Vec<&str> = by.values().map(|p| parties[*p].name.as_str()).collect();
            names.sort_unstable();
            let name = first_consignee
                .get(&group)
                .map_or("", |p| parties[*p].name.as_str());
            let flag = Flag::new(
                FlagKind::Pattern,
                format!(
                    "consignee {name} receives critical goods from {} unrelated shippers",
                    names.len()
                ),
                self.config.weights.many_shippers,
                json!({"consignee": name, "shippers": names.iter().take(25).collect::<Vec<_>>(),
                       "count": names.len(), "threshold": self.config.many_shippers}),
            );
            out.insert(group, flag);
        }
        out
    }
}

/// The flags and suppressed hits of one party in one role.
type PartyFlags = (Vec<Flag>, Vec<Arc<Value>>);

/// Flags already worked out, by what they depend on (a large file repeats the same parties,
/// goods and routes on many lines).
#[derive(Default)]
struct FlagCache<'r> {
    party: HashMap<(usize, &'r str), PartyFlags>,
    goods: HashMap<usize, Vec<Flag>>,
    route: HashMap<(String, Option<String>), Vec<Flag>>,
    forwarder: HashMap<(usize, Option<String>), Option<Flag>>,
}

/// The many-shippers group of each distinct party (see [`party_group_key`]).
fn party_groups(parties: &[&Party]) -> Vec<usize> {
    let mut ids: HashMap<String, usize> = HashMap::new();
    parties
        .iter()
        .map(|p| {
            let next = ids.len();
            *ids.entry(party_group_key(p)).or_insert(next)
        })
        .collect()
}

/// Whether a line's goods are critical: CHPL, watch list or pointed to CHPL by the description.
fn is_critical(g: &Classification) -> bool {
    g.chpl_tier.is_some() || g.watch.is_some() || g.misdeclaration.is_some()
}

/// The points of a tier.
fn tier_points(tier: Tier, config: &RiskConfig) -> f64 {
    let w = &config.weights;
    match tier {
        Tier::T1 => w.tier1,
        Tier::T2 => w.tier2,
        Tier::T3A | Tier::T3B => w.tier3,
        Tier::T4A | Tier::T4B => w.tier4,
    }
}

/// The forwarder word in a name, if any.
fn forwarder_word(name: &str) -> Option<&'static str> {
    let folded = dualtrace_names::fold(name).to_lowercase();
    FORWARDER_WORDS.into_iter().find(|w| folded.contains(w))
}

/// Who a party is for the many-shippers pattern: its identifier when it has one, else its
/// folded name tokens in order (so "OOO Zarya" and "ooo  ZARYA" are one party).
fn party_group_key(p: &Party) -> String {
    let id = dualtrace_model::identifier::normalize_id(&p.id);
    if id.len() >= 5 {
        return format!("id:{id}");
    }
    let folded = dualtrace_names::fold(&p.name);
    let tokens: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    format!("name:{}", tokens.join(" "))
}

/// Distinct parties of all lines and, per line, its (role, party) pairs.
fn distinct_parties<'s>(
    shipments: &'s [Shipment],
    notify: &'s [Party],
) -> (Vec<&'s Party>, Vec<LineParties>) {
    let mut seen: HashMap<PartyKey, usize> = HashMap::new();
    let mut parties: Vec<&Party> = Vec::new();
    let mut lines = Vec::with_capacity(shipments.len());
    for (s, n) in shipments.iter().zip(notify) {
        let mut roles = Vec::new();
        for (role, p) in [
            ("consignor", &s.consignor),
            ("consignee", &s.consignee),
            ("notify_party", n),
        ] {
            if !p.is_named() {
                continue;
            }
            let at = *seen.entry(party_key(p)).or_insert_with(|| {
                parties.push(p);
                parties.len() - 1
            });
            roles.push((role, at));
        }
        lines.push(LineParties { roles });
    }
    (parties, lines)
}

/// The party flags (and suppressed hits) of one party on one line.
fn party_flags(
    role: &str,
    party: &Party,
    screening: &PartyScreening,
    config: &RiskConfig,
) -> PartyFlags {
    let mut flags = Vec::new();
    let mut suppressed = Vec::new();
    // One party counts once per line: further listings of it are shown with 0 points.
    let mut counted = false;
    for f in &screening.findings {
        let evidence = json!({
            "role": role, "party": party.name, "party_id": party.id,
            "party_address": party.address, "fingerprint": screening.fingerprint,
            "entity_id": f.entity_id, "caption": f.caption, "schema": f.schema,
            "list": f.list, "list_version": f.list_version, "score": f.score,
            "explanation": f.explanation, "listed_address": f.listed_address,
            "suppressed": f.suppressed,
        });
        if f.suppressed.is_some() {
            suppressed.push(Arc::new(evidence));
            continue;
        }
        let list = format!(
            "{} v{}",
            f.list.as_deref().unwrap_or("?"),
            f.list_version.as_deref().unwrap_or("?")
        );
        let (detail, points) = match f.kind {
            FlagKind::Identifier => (
                format!(
                    "{role} {} shares an identifier with listed {} [{list}] under another name",
                    party.name, f.caption
                ),
                config.weights.identifier,
            ),
            FlagKind::Address => (
                format!(
                    "{role} {} has the address of listed {} [{list}] ({:.2})",
                    party.name, f.caption, f.score
                ),
                config.weights.address,
            ),
            _ => (
                format!(
                    "{role} {} matches listed {} [{list}] (score {:.2})",
                    party.name, f.caption, f.score
                ),
                config.weights.party,
            ),
        };
        let points = if counted { 0.0 } else { points };
        counted = true;
        flags.push(Flag::new(f.kind, detail, points, evidence));
    }
    (flags, suppressed)
}

/// Party risks from the line risks, highest score first.
fn party_risks(
    parties: &[&Party],
    screenings: &[PartyScreening],
    line_parties: &[LineParties],
    lines: &[LineRisk],
    config: &RiskConfig,
) -> Vec<PartyRisk> {
    let mut out: Vec<PartyRisk> = parties
        .iter()
        .zip(screenings)
        .map(|(p, s)| PartyRisk {
            name: p.name.clone(),
            country: p.country.clone(),
            id: p.id.clone(),
            roles: Vec::new(),
            lines: 0,
            flagged_lines: 0,
            score: 0.0,
            level: Level::None,
            reasons: Vec::new(),
            findings: s.findings.clone(),
        })
        .collect();
    let mut reasons: Vec<BTreeSet<(i64, Arc<str>)>> = vec![BTreeSet::new(); parties.len()];
    for (lp, line) in line_parties.iter().zip(lines) {
        for (role, at) in &lp.roles {
            let Some(p) = out.get_mut(*at) else { continue };
            if !p.roles.iter().any(|r| r == role) {
                p.roles.push((*role).to_owned());
            }
            p.lines += 1;
            if !line.flags.is_empty() {
                p.flagged_lines += 1;
            }
            p.score = p.score.max(line.score);
            for f in &line.flags {
                // Sorted by points (descending) then text: strongest reasons first.
                reasons[*at].insert((-(f.points * 10.0).round() as i64, Arc::clone(&f.detail)));
            }
        }
    }
    for (p, r) in out.iter_mut().zip(reasons) {
        p.level = Level::of(p.score, config);
        p.reasons = r.into_iter().map(|(_, d)| d.to_string()).take(20).collect();
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.flagged_lines.cmp(&a.flagged_lines))
            .then(a.name.cmp(&b.name))
    });
    out
}

/// Rounds to one decimal.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
