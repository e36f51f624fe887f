//! Report arguments and the SQL pieces every report shares: checked codes, goods selectors,
//! periods, and the value of a flow per year or month that neither double counts annual and
//! monthly rows, nor totals and their HS detail, nor two sources of the same figure.

use dualtrace_goods::{ControlLists, Tier};

use crate::dataset::{RowShape, Slice};
use crate::engine::FLOWS_TABLE;
use crate::error::{FlowsError, Result};
use crate::schema::{ALL_GOODS, AREAS_NES};

/// A country or group code for SQL: upper case `A-Z`, `0-9`, `_`, `-` only (never quoted input).
pub fn code(name: &str, raw: &str) -> Result<String> {
    let c = raw.trim().to_ascii_uppercase();
    let ok = (1..=16).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(c)
    } else {
        Err(FlowsError::argument(
            name,
            format!("not a country or group code: {raw:?}"),
        ))
    }
}

/// A comma-separated list of codes.
pub fn codes(name: &str, raw: &str) -> Result<Vec<String>> {
    raw.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| code(name, s))
        .collect()
}

/// A currency code (three letters).
pub fn currency(raw: &str) -> Result<String> {
    let c = raw.trim().to_ascii_uppercase();
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(c)
    } else {
        Err(FlowsError::argument(
            "--currency",
            format!("not a currency code: {raw:?}"),
        ))
    }
}

/// Which goods a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goods {
    /// All goods (`TOTAL` rows, else the sum of the coarsest detail present).
    All,
    /// Every CHPL code.
    Chpl,
    /// One CHPL tier.
    Tier(Tier),
    /// One watch-list item (`W-...`).
    Watch(String),
    /// An HS chapter, heading or subheading (2, 4 or 6 digits).
    Hs(String),
}

impl Goods {
    /// Parses `all`, `chpl`, a tier (`1`, `3.A`), a watch item (`W-UAV`) or HS digits.
    pub fn parse(raw: &str) -> Result<Goods> {
        let t = raw.trim();
        let err = |m: &str| FlowsError::argument("--goods", format!("{raw:?}: {m}"));
        if t.eq_ignore_ascii_case("all") || t.eq_ignore_ascii_case(ALL_GOODS) {
            return Ok(Goods::All);
        }
        if t.eq_ignore_ascii_case("chpl") {
            return Ok(Goods::Chpl);
        }
        if t.len() <= 3
            && let Some(tier) = Tier::parse(t)
        {
            return Ok(Goods::Tier(tier));
        }
        if t.to_ascii_uppercase().starts_with("W-") {
            let id = t.to_ascii_uppercase();
            return match ControlLists::builtin().watch.get(&id) {
                Some(_) => Ok(Goods::Watch(id)),
                None => Err(err("no such watch-list item")),
            };
        }
        let digits: String = t.chars().filter(|c| *c != '.' && *c != ' ').collect();
        if matches!(digits.len(), 2 | 4 | 6) && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Goods::Hs(digits));
        }
        Err(err(
            "expected all, chpl, a CHPL tier, a watch item W-... or 2/4/6 HS digits",
        ))
    }

    /// The SQL condition on `flows` rows, if any.
    pub fn condition(&self) -> Option<String> {
        match self {
            Goods::All => None,
            Goods::Chpl => Some("chpl_tier IS NOT NULL".to_string()),
            Goods::Tier(t) => Some(format!("chpl_tier = '{}'", t.as_str())),
            Goods::Watch(id) => Some(format!("watch_item = '{id}'")),
            Goods::Hs(digits) => Some(format!("hs_code LIKE '{digits}%'")),
        }
    }
}

/// An inclusive range of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Years {
    /// First year.
    pub from: i32,
    /// Last year.
    pub to: i32,
}

impl Years {
    /// Parses `2021` or `2019-2021`.
    pub fn parse(name: &str, raw: &str) -> Result<Years> {
        match Period::parse(name, raw)? {
            Period::Years(y) => Ok(y),
            Period::Months { .. } => Err(FlowsError::argument(
                name,
                format!("{raw:?}: expected YYYY or YYYY-YYYY"),
            )),
        }
    }

    /// The number of years.
    pub fn count(&self) -> i32 {
        self.to - self.from + 1
    }
}

/// A report period: whole years or months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Whole years (annual figures, else the sum of the months).
    Years(Years),
    /// Months, inclusive, as `year * 100 + month`.
    Months {
        /// First month (`YYYYMM`).
        from: i32,
        /// Last month (`YYYYMM`).
        to: i32,
    },
}

impl Period {
    /// Parses `YYYY`, `YYYY-YYYY`, `YYYY-MM` or `YYYY-MM..YYYY-MM`.
    pub fn parse(name: &str, raw: &str) -> Result<Period> {
        let err = || {
            FlowsError::argument(
                name,
                format!("{raw:?}: expected YYYY, YYYY-YYYY, YYYY-MM or YYYY-MM..YYYY-MM"),
            )
        };
        let t = raw.trim();
        let year = |s: &str| -> Result<i32> {
            s.parse::<i32>()
                .ok()
                .filter(|y| (1900..=2100).contains(y) && s.len() == 4)
                .ok_or_else(err)
        };
        let month = |s: &str| -> Result<i32> {
            let (y, m) = s.split_once('-').ok_or_else(err)?;
            let m: i32 = m
                .parse()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(err)?;
            Ok(year(y)? * 100 + m)
        };
        let period = if let Some((a, b)) = t.split_once("..") {
            Period::Months {
                from: month(a)?,
                to: month(b)?,
            }
        } else {
            match t.split_once('-') {
                None => {
                    let y = year(t)?;
                    Period::Years(Years { from: y, to: y })
                }
                Some((a, b)) if b.len() == 4 => Period::Years(Years {
                    from: year(a)?,
                    to: year(b)?,
                }),
                Some(_) => {
                    let m = month(t)?;
                    Period::Months { from: m, to: m }
                }
            }
        };
        let ordered = match period {
            Period::Years(y) => y.from <= y.to,
            Period::Months { from, to } => from <= to,
        };
        if ordered { Ok(period) } else { Err(err()) }
    }

    /// The period unit of a row in SQL: `year`, or `year * 100 + month`.
    pub fn unit_sql(&self) -> &'static str {
        match self {
            Period::Years(_) => "year",
            Period::Months { .. } => "year * 100 + month",
        }
    }

    /// The SQL condition selecting the period's rows (by year, so that Parquet statistics and
    /// the year directories prune the scan).
    pub fn condition(&self) -> String {
        match self {
            Period::Years(y) => format!("year BETWEEN {} AND {}", y.from, y.to),
            Period::Months { from, to } => format!(
                "year BETWEEN {} AND {} AND month IS NOT NULL AND year * 100 + month BETWEEN {from} AND {to}",
                from / 100,
                to / 100
            ),
        }
    }

    /// Formats a unit value (`2021` or `2021-03`).
    pub fn unit_label(&self, unit: i64) -> String {
        match self {
            Period::Years(_) => unit.to_string(),
            Period::Months { .. } => format!("{}-{:02}", unit / 100, unit % 100),
        }
    }
}

/// SQL: a reporter that is a country (not a group such as `EU27`, not areas nes).
pub fn is_country(column: &str) -> String {
    format!("length({column}) = 2 AND {column} <> '{AREAS_NES}'")
}

/// SQL: one value per reporter, partner, flow, period unit and currency, from the rows
/// matching `conditions`.
///
/// Within a source, an annual row wins over the months of that year, and the coarsest goods
/// level present wins (`TOTAL`, then chapters, headings, subheadings), so that a file holding a
/// total and its detail is not counted twice. Across sources the largest figure is taken, never
/// the sum. Sub-breakdowns (`breakdown`) are never used. With monthly periods only monthly rows
/// count.
pub fn values_sql(period: &Period, conditions: &[String]) -> String {
    values_sql_from(FLOWS_TABLE, period, conditions)
}

/// SQL: `column IN (codes)`.
pub fn in_list(column: &str, codes: &[String]) -> String {
    let quoted: Vec<String> = codes.iter().map(|c| format!("'{c}'")).collect();
    format!("{column} IN ({})", quoted.join(", "))
}

/// SQL selections that together mean `column IN (codes)`, for [`union_of`]: one `IN` list of
/// at most 20 codes each. DataFusion turns an `IN` list into min/max checks for pruning only up
/// to 20 values (a longer one, such as the 27 EU members, reads every page), and its simplifier
/// merges `IN` lists joined by `OR` back into one, so the lists must be separate scans.
pub fn in_lists(column: &str, codes: &[String]) -> Vec<String> {
    codes
        .chunks(PRUNABLE_LIST)
        .map(|chunk| in_list(column, chunk))
        .collect()
}

/// The longest `IN` list DataFusion's pruning rewrites into min/max checks.
const PRUNABLE_LIST: usize = 20;

/// SQL: the rows of `flows` that match any of several disjoint selections (no row matches two),
/// as one relation named `flows`: `UNION ALL` of one scan per selection. Each branch is a plain
/// conjunction, so the page index prunes each with its own column (the importer's own rows by
/// `reporter`, its partners' rows by `partner`); DataFusion prunes pages only with conditions
/// on one column, and an `OR` across `reporter` and `partner` would read every page.
pub fn union_of(selections: &[String]) -> String {
    let branches: Vec<String> = selections
        .iter()
        .map(|s| format!("SELECT * FROM {FLOWS_TABLE} WHERE {s}"))
        .collect();
    format!("({}) AS {FLOWS_TABLE}", branches.join(" UNION ALL "))
}

/// [`values_sql`] over a relation other than the whole dataset (such as [`union_of`]).
pub fn values_sql_from(relation: &str, period: &Period, conditions: &[String]) -> String {
    format!(
        "SELECT reporter, partner, flow, unit, currency, MAX(value) AS value FROM ({}) AS per_source \
         GROUP BY reporter, partner, flow, unit, currency",
        per_source_sql(relation, period, conditions)
    )
}

/// SQL: each source's value of every reporter, partner, flow, period unit and currency, at the
/// coarsest level of goods that source reports (columns `source, reporter, partner, flow,
/// currency, unit, value`). [`values_sql`] takes the largest over the sources; a report that
/// aggregates again can take that largest itself and spare an aggregation.
pub fn per_source_sql(relation: &str, period: &Period, conditions: &[String]) -> String {
    let ranking = Ranking::of(period);
    let all = row_conditions(period, conditions, true);
    ranking.values(relation, &all, None, RowShape::default(), &[])
}

/// [`per_source_sql`] over the whole dataset, one aggregation per [`Slice`] (one year of one
/// source), the slices' results put together: within a slice the year and the source are
/// constant (and often the flow and the currency, [`Slice::constants`]), so the aggregation
/// over the rows, a report's costliest step, groups by two to four keys fewer (DataFusion's
/// hash aggregation pays for every key column of every row: mirror gaps over 100 million rows
/// took 20% less time). A slice whose rows all have one preference rank (their
/// [`RowShape`]) is summed once, with nothing to pick. `slices` must hold every slice of the
/// dataset in the period with rows ([`crate::FlowsEngine::slices`]), or rows are left out;
/// without slices (`None`, or none in the period) it is the plain query.
pub fn per_slice_sql(slices: Option<&[Slice]>, period: &Period, conditions: &[String]) -> String {
    let Some(slices) = slices.filter(|s| !s.is_empty()) else {
        return per_source_sql(FLOWS_TABLE, period, conditions);
    };
    let ranking = Ranking::of(period);
    let branches: Vec<String> = slices
        .iter()
        .map(|slice| {
            let mut all = vec![
                format!("year = {}", slice.year),
                format!("source = '{}'", slice.source.name()),
            ];
            let shape = slice.shape;
            all.extend(row_conditions(period, conditions, !shape.no_breakdowns));
            // A year is one unit, or holds twelve (monthly periods).
            let unit = matches!(period, Period::Years(_)).then_some(slice.year);
            ranking.values(FLOWS_TABLE, &all, unit, shape, &slice.constants)
        })
        .collect();
    branches.join(" UNION ALL ")
}

/// The text columns that identify a reported figure, besides its period unit.
const TEXT_KEYS: [&str; 5] = ["source", "reporter", "partner", "flow", "currency"];

/// SQL: the select list and the `GROUP BY` list of an aggregation by `columns` over the rows
/// matching `conditions`. A column that the conditions fix to one value (`flow = 'export'`),
/// or that `constants` give a value known from the data (a [`Slice`]'s), is selected as that
/// value and not grouped by: DataFusion sees a key that is constant in its input as sorted,
/// and then aggregates "partially sorted", row by row (the EU27 surge's aggregation of 6.2 M
/// rows took 0.78 s of CPU that way, against ~0.25 s hashed).
pub(crate) fn group_keys(
    columns: &[&str],
    conditions: &[String],
    constants: &[(&str, String)],
) -> (Vec<String>, Vec<String>) {
    let mut select = Vec::new();
    let mut group = Vec::new();
    for column in columns {
        let known = constants.iter().find(|(c, _)| c == column);
        match known
            .map(|(_, v)| v.as_str())
            .or_else(|| fixed_value(column, conditions))
        {
            Some(value) => select.push(format!("'{value}' AS {column}")),
            None => {
                select.push(column.to_string());
                group.push(column.to_string());
            }
        }
    }
    (select, group)
}

/// The value a condition `column = 'value'` among `conditions` fixes `column` to.
fn fixed_value<'c>(column: &str, conditions: &'c [String]) -> Option<&'c str> {
    conditions.iter().find_map(|c| {
        let value = c
            .strip_prefix(column)?
            .strip_prefix(" = '")?
            .strip_suffix('\'')?;
        (!value.contains('\'')).then_some(value)
    })
}

/// The conditions on the rows every per-source value starts from.
fn row_conditions(period: &Period, conditions: &[String], breakdowns: bool) -> Vec<String> {
    let mut all = Vec::with_capacity(conditions.len() + 2);
    if breakdowns {
        all.push("NOT breakdown".to_string());
    }
    all.push(period.condition());
    all.extend(conditions.iter().cloned());
    all
}

/// How a source's figures for one unit are preferred. Each row's rank says how much: annual
/// rows (ranks 0-6, the goods level) before monthly ones (8-14), coarse levels before fine.
/// The rows are summed once per rank, with a plain `SUM` (eight conditional sums over every
/// row cost DataFusion half as much again as the grouping itself); the few grouped rows then
/// pick their most preferred rank.
struct Ranking {
    /// SQL: the period unit of a row.
    unit: &'static str,
    /// Whether a monthly row ranks after an annual one (annual periods), or only monthly rows
    /// count (monthly periods).
    annual_first: bool,
    /// The ranks that count, most preferred first.
    ranks: Vec<i32>,
}

impl Ranking {
    /// The ranking for a period: with monthly periods only monthly rows count.
    fn of(period: &Period) -> Ranking {
        let levels = [0, 2, 4, 6];
        match period {
            Period::Years(_) => Ranking {
                unit: "year",
                annual_first: true,
                ranks: levels.into_iter().chain(levels.map(|l| l + 8)).collect(),
            },
            Period::Months { .. } => Ranking {
                unit: "year * 100 + month",
                annual_first: false,
                ranks: levels.to_vec(),
            },
        }
    }

    /// The rank of rows of the given shape: one number when their goods level is one and, for
    /// annual periods, they are all annual or all monthly.
    fn rank(&self, shape: RowShape) -> Rank {
        // Whether the rows rank after the annual ones (monthly rows of an annual period), when
        // that is one answer for all of them.
        let after_annual = if self.annual_first {
            shape.monthly
        } else {
            Some(false)
        };
        match (shape.hs_level, after_annual) {
            (Some(l), Some(after)) => Rank::Fixed(if after { l + 8 } else { l }),
            (Some(l), None) => Rank::Varies(format!(
                "CASE WHEN month IS NULL THEN {l} ELSE {} END",
                l + 8
            )),
            (None, Some(after)) => {
                Rank::Varies(if after { "hs_level + 8" } else { "hs_level" }.into())
            }
            (None, None) => {
                Rank::Varies("CASE WHEN month IS NULL THEN hs_level ELSE hs_level + 8 END".into())
            }
        }
    }

    /// SQL: each source's value of every reporter, partner, flow, currency and unit (columns
    /// in this order, then `value`) over the rows of `relation` matching `conditions`, which
    /// are of the given shape; keys fixed by the conditions or by `constants` are selected as
    /// their value ([`group_keys`]), and the unit is `unit` when all the rows have it. When the
    /// rows all have one rank, that is the plain sum of their values (a BACI slice); otherwise
    /// the rows are summed per rank and the most preferred rank picked.
    fn values(
        &self,
        relation: &str,
        conditions: &[String],
        unit: Option<i32>,
        shape: RowShape,
        constants: &[(&str, String)],
    ) -> String {
        let (select, group) = self.keys(conditions, unit, constants, self.unit);
        let rank = match self.rank(shape) {
            Rank::Fixed(_) => {
                return aggregate_sql(&select, "SUM(value)", relation, conditions, &group);
            }
            Rank::Varies(sql) => sql,
        };
        let sums_select = [select, vec![format!("{rank} AS rank")]].concat();
        let sums_group = [group, vec![rank]].concat();
        let sums = aggregate_sql(
            &sums_select,
            "SUM(value)",
            relation,
            conditions,
            &sums_group,
        );
        // The same keys over the sums, where the unit is a column.
        let (select, group) = self.keys(conditions, unit, constants, "unit");
        let picks: Vec<String> = self
            .ranks
            .iter()
            .map(|r| format!("MAX(CASE WHEN rank = {r} THEN value END)"))
            .collect();
        let pick = format!("COALESCE({})", picks.join(", "));
        aggregate_sql(&select, &pick, &format!("({sums}) AS ranked"), &[], &group)
    }

    /// SQL: the keys of a source's value (see [`Ranking::values`]), selected and grouped by;
    /// the unit, when not `unit` for all, is `unit_sql` (the period unit of a row, or the
    /// `unit` column of sums).
    fn keys(
        &self,
        conditions: &[String],
        unit: Option<i32>,
        constants: &[(&str, String)],
        unit_sql: &str,
    ) -> (Vec<String>, Vec<String>) {
        let (mut select, mut group) = group_keys(&TEXT_KEYS, conditions, constants);
        match unit {
            Some(u) => select.push(format!("{u} AS unit")),
            None => {
                select.push(format!("{unit_sql} AS unit"));
                group.push(unit_sql.to_string());
            }
        }
        (select, group)
    }
}

/// The preference rank of a slice's rows ([`Ranking::rank`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Rank {
    /// Every row has this rank: its values are summed once, with nothing to pick.
    Fixed(i32),
    /// SQL: the rank of a row.
    Varies(String),
}

/// SQL: `select` and `value` (an aggregate, named `value`) over the rows of `relation` matching
/// `conditions`, grouped by `group`. With nothing to group by, one row over all the rows, or
/// none when no row matches (a plain aggregate would give one of nulls).
fn aggregate_sql(
    select: &[String],
    value: &str,
    relation: &str,
    conditions: &[String],
    group: &[String],
) -> String {
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    let grouping = if group.is_empty() {
        "HAVING COUNT(*) > 0".to_string()
    } else {
        format!("GROUP BY {}", group.join(", "))
    };
    format!(
        "SELECT {}, {value} AS value FROM {relation}{filter} {grouping}",
        select.join(", ")
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_slice_shape_fixes_the_rank_and_drops_what_holds_anyway() {
        let years = Ranking::of(&Period::Years(Years {
            from: 2022,
            to: 2022,
        }));
        let months = Ranking::of(&Period::Months {
            from: 202201,
            to: 202212,
        });
        let shape = |monthly, hs_level| RowShape {
            no_breakdowns: false,
            monthly,
            hs_level,
        };
        let fixed = |ranking: &Ranking, s| match ranking.rank(s) {
            Rank::Fixed(r) => Some(r),
            Rank::Varies(_) => None,
        };
        let sql = |ranking: &Ranking, s| match ranking.rank(s) {
            Rank::Fixed(r) => r.to_string(),
            Rank::Varies(sql) => sql,
        };
        assert_eq!(fixed(&years, shape(Some(false), Some(6))), Some(6));
        assert_eq!(fixed(&years, shape(Some(true), Some(6))), Some(14));
        assert_eq!(fixed(&months, shape(None, Some(4))), Some(4));
        assert_eq!(fixed(&years, shape(None, Some(6))), None);
        assert_eq!(
            sql(&years, shape(None, Some(6))),
            "CASE WHEN month IS NULL THEN 6 ELSE 14 END"
        );
        assert_eq!(sql(&years, shape(Some(true), None)), "hs_level + 8");
        assert_eq!(
            sql(&years, RowShape::default()),
            "CASE WHEN month IS NULL THEN hs_level ELSE hs_level + 8 END"
        );
        assert_eq!(sql(&months, RowShape::default()), "hs_level");

        let slice = |no_breakdowns| Slice {
            year: 2022,
            source: crate::ingest::Format::Baci,
            constants: vec![("flow", "export".to_string())],
            shape: RowShape {
                no_breakdowns,
                monthly: Some(false),
                hs_level: Some(6),
            },
        };
        let period = Period::Years(Years {
            from: 2022,
            to: 2022,
        });
        // One rank: the plain sum, no ranks to pick from.
        let sql = per_slice_sql(Some(&[slice(true)]), &period, &[]);
        assert!(!sql.contains("breakdown"), "{sql}");
        assert!(!sql.contains("rank"), "{sql}");
        assert!(
            sql.ends_with("GROUP BY reporter, partner, currency"),
            "{sql}"
        );
        let sql = per_slice_sql(Some(&[slice(false)]), &period, &[]);
        assert!(sql.contains("NOT breakdown"), "{sql}");
        // Every key fixed: no grouping, and no row when none matches.
        let conditions = ["reporter = 'CN'", "partner = 'RU'", "currency = 'USD'"];
        let conditions: Vec<String> = conditions.map(String::from).to_vec();
        let sql = per_slice_sql(Some(&[slice(true)]), &period, &conditions);
        assert!(sql.ends_with("HAVING COUNT(*) > 0"), "{sql}");
        // Mixed ranks: summed per rank, then picked, per slice.
        let mut mixed = slice(true);
        mixed.shape.monthly = None;
        let sql = per_slice_sql(Some(&[mixed]), &period, &[]);
        assert!(sql.contains("COALESCE(MAX(CASE WHEN rank = 0"), "{sql}");
        assert!(
            sql.ends_with("GROUP BY reporter, partner, currency"),
            "{sql}"
        );
    }

    #[test]
    fn periods() {
        assert_eq!(
            Period::parse("p", "2019-2021").ok(),
            Some(Period::Years(Years {
                from: 2019,
                to: 2021
            }))
        );
        assert_eq!(
            Period::parse("p", "2023-05").ok(),
            Some(Period::Months {
                from: 202305,
                to: 202305
            })
        );
        assert_eq!(
            Period::parse("p", "2022-01..2023-06").ok(),
            Some(Period::Months {
                from: 202201,
                to: 202306
            })
        );
        assert!(Period::parse("p", "2021-2019").is_err());
        assert!(Period::parse("p", "2021-13").is_err());
        assert!(Years::parse("p", "2021-03").is_err());
    }

    #[test]
    fn goods_selectors() {
        assert_eq!(Goods::parse("all").ok(), Some(Goods::All));
        assert_eq!(Goods::parse("3.A").ok(), Some(Goods::Tier(Tier::T3A)));
        assert_eq!(
            Goods::parse("8542.31").ok(),
            Some(Goods::Hs("854231".into()))
        );
        assert_eq!(
            Goods::parse("w-uav").ok(),
            Some(Goods::Watch("W-UAV".into()))
        );
        assert!(Goods::parse("W-NOPE").is_err());
        assert!(Goods::parse("854").is_err());
    }

    #[test]
    fn keys_fixed_by_a_condition_are_selected_as_values() {
        let conditions = [
            "flow = 'export'".to_string(),
            "reporter IN ('AM', 'KG')".to_string(),
            "partner = 'RU' OR partner = 'BY'".to_string(),
            "partner2 = 'KZ'".to_string(),
        ];
        let (select, group) = group_keys(&["reporter", "partner", "flow"], &conditions, &[]);
        assert_eq!(select, ["reporter", "partner", "'export' AS flow"]);
        assert_eq!(group, ["reporter", "partner"]);
    }

    #[test]
    fn codes_cannot_inject_sql() {
        assert_eq!(code("c", "eu27").ok().as_deref(), Some("EU27"));
        assert!(code("c", "KG' OR 1=1 --").is_err());
        assert_eq!(codes("p", "am, ge,KZ").ok().map(|v| v.len()), Some(3));
    }

    #[test]
    fn long_code_lists_are_split_into_prunable_lists() {
        let codes: Vec<String> = (0..27).map(|i| format!("C{i}")).collect();
        let lists = in_lists("reporter", &codes);
        assert_eq!(lists.len(), 2);
        assert!(lists[0].starts_with("reporter IN ('C0', "), "{lists:?}");
        assert!(lists[0].ends_with(", 'C19')"), "{lists:?}");
        assert!(lists[1].starts_with("reporter IN ('C20', "), "{lists:?}");
        assert_eq!(
            in_lists("partner", &codes[..2]),
            ["partner IN ('C0', 'C1')"]
        );
        assert!(in_lists("partner", &[]).is_empty());
    }

    #[test]
    fn selections_become_one_relation_named_flows() {
        let sql = union_of(&["reporter = 'RU'".to_string(), "partner = 'RU'".to_string()]);
        assert_eq!(
            sql,
            "(SELECT * FROM flows WHERE reporter = 'RU' UNION ALL \
             SELECT * FROM flows WHERE partner = 'RU') AS flows"
        );
    }
}
