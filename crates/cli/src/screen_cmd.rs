//! `dualtrace screen` and `dualtrace match`: screening parties against the loaded lists.

use crate::progress::Spinner;
use crate::table::render;
use anyhow::{Context, Result, bail};
use clap::Args;
use dualtrace_lists::store::{Manifest, Store};
use dualtrace_matching::{
    AllowList, Explanations, Hit, Index, NameCache, PairRecord, Query, Scored, ScreenOptions,
    Suppression, fingerprint, score_records,
};
use dualtrace_model::{Entity, Schema};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The name to screen (any script, any order).
    pub name: Option<String>,
    /// The kind of party: Person, Organization, Company, LegalEntity, Vessel or Any.
    #[arg(long, default_value = "Any")]
    pub schema: String,
    /// Birth date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long)]
    pub birth_date: Option<String>,
    /// Country (ISO code or name).
    #[arg(long)]
    pub country: Option<String>,
    /// An identifier: passport, INN, OGRN, USCC, IMO, ...
    #[arg(long = "id")]
    pub id: Option<String>,
    /// Only screen against these lists (repeat the flag).
    #[arg(long = "list")]
    pub lists: Vec<String>,
    /// Minimum score of a result.
    #[arg(long, default_value_t = dualtrace_matching::DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Maximum results per query.
    #[arg(long, default_value_t = 5)]
    pub limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Screen every row of a CSV file instead (columns by name: id, name|full_name, schema,
    /// birth_date|date_of_birth, country|nationality, id_number).
    #[arg(long, conflicts_with = "name")]
    pub input: Option<PathBuf>,
    /// Where to write batch results (default: stdout).
    #[arg(long, requires = "input")]
    pub output: Option<PathBuf>,
    /// Batch output format: jsonl or csv.
    #[arg(long, default_value = "jsonl")]
    pub format: String,
    /// Allow-list files of analysts' false-positive decisions (CSV with the header
    /// fingerprint,entity_id,reason,who,when, or JSON lines); repeat the flag for several.
    /// Covered hits are shown as suppressed, with the reason, and do not alert.
    #[arg(long = "allow")]
    pub allow: Vec<PathBuf>,
    /// For benchmarks, with --input: after the results are written, screen the parsed rows
    /// this many times more, one query after the other on one thread, and print each pass's
    /// time as a JSON line on stderr.
    #[arg(long, default_value_t = 0)]
    pub passes: usize,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// A JSON array of {"left": FtM entity, "right": FtM entity}, or JSON lines of them.
    #[arg(long)]
    pub input: PathBuf,
    /// Output format (jsonl).
    #[arg(long, default_value = "jsonl")]
    pub format: String,
    /// For benchmarks: after the scored pairs are written, score them this many times more,
    /// each time from the parsed records (names analysed anew, then every pair scored), and
    /// print each pass's times as a JSON line on stderr.
    #[arg(long, default_value_t = 0)]
    pub passes: usize,
}

fn parse_schema(text: &str) -> Result<Option<Schema>> {
    if text.eq_ignore_ascii_case("any") || text.is_empty() {
        return Ok(None);
    }
    Ok(Some(text.parse::<Schema>()?))
}

/// Loads the current version of every list (or of the given ones) into one index.
pub fn load_index(store: &Store, only: &[String]) -> Result<Index> {
    Ok(load_lists(store, only)?.0)
}

/// Loads the current version of every list (or of the given ones) into one index, with the
/// manifests of exactly the versions indexed (what an audit record must name: reading them
/// again later could see a newer version).
pub fn load_lists(store: &Store, only: &[String]) -> Result<(Index, Vec<Manifest>)> {
    let names = if only.is_empty() {
        store.lists()?
    } else {
        only.to_vec()
    };
    if names.is_empty() {
        bail!(
            "no lists in {}: import some first (dualtrace lists import FORMAT PATH)",
            store.root().display()
        );
    }
    let spinner = Spinner::start("loading lists");
    let mut entities: Vec<Entity> = Vec::new();
    let mut manifests = Vec::with_capacity(names.len());
    for name in &names {
        spinner.step(format!("loading {name}"));
        let (manifest, list) = store.load_current(name)?;
        manifests.push(manifest);
        entities.extend(list);
    }
    spinner.step(format!("indexing {} entities", entities.len()));
    Ok((Index::build(entities), manifests))
}

/// One hit as the JSON output shows it: the listed entity, where it comes from, the score and
/// its explanations. Written straight from the hit (no `serde_json::Value` built in between,
/// which was a tenth of a batch's instructions per query), in the order of the issue's
/// output shape.
#[derive(Serialize)]
struct HitOut<'a> {
    id: &'a str,
    caption: Option<&'a str>,
    schema: Option<&'a str>,
    datasets: &'a [String],
    list: Option<&'a str>,
    list_version: Option<&'a str>,
    score: f64,
    #[serde(rename = "match")]
    is_match: bool,
    explanations: &'a Explanations,
    suppressed: Option<&'a Suppression>,
}

impl<'a> HitOut<'a> {
    fn of(index: &'a Index, hit: &'a Hit) -> HitOut<'a> {
        let e = index.entity(hit.index);
        let prov = e.and_then(|e| e.provenance.as_ref());
        HitOut {
            id: &hit.id,
            caption: e.map(Entity::caption),
            schema: e.map(|e| e.schema.as_str()),
            datasets: e.map_or(&[], |e| e.datasets.as_slice()),
            list: prov.map(|p| p.list.as_str()),
            list_version: prov.and_then(|p| p.version.as_deref()),
            score: hit.score,
            is_match: hit.is_match,
            explanations: &hit.explanations,
            suppressed: hit.suppressed.as_ref(),
        }
    }
}

/// The query as the JSON output shows it: the row's `id` (when the input has that column),
/// the query's values, and its allow-list fingerprint (what a decision about it must name).
#[derive(Serialize)]
struct QueryOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(flatten)]
    query: &'a Query,
    fingerprint: String,
}

impl<'a> QueryOut<'a> {
    fn of(query: &'a Query, id: Option<&'a str>) -> QueryOut<'a> {
        QueryOut {
            id,
            query,
            fingerprint: fingerprint(query),
        }
    }
}

/// One query with its hits, best first: the single-query `--json` output, and with `row` one
/// line of a batch's JSON lines.
#[derive(Serialize)]
struct ScreenedOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    query: QueryOut<'a>,
    results: Vec<HitOut<'a>>,
}

impl<'a> ScreenedOut<'a> {
    fn of(
        index: &'a Index,
        (row, id): (Option<usize>, Option<&'a str>),
        query: &'a Query,
        hits: &'a [Hit],
    ) -> Self {
        ScreenedOut {
            row,
            query: QueryOut::of(query, id),
            results: hits.iter().map(|h| HitOut::of(index, h)).collect(),
        }
    }
}

/// Reads and merges the allow-list files (later files win); `None` when none is given.
fn load_allow(paths: &[PathBuf]) -> Result<Option<Arc<AllowList>>> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut all = AllowList::default();
    for path in paths {
        all.extend(AllowList::load(path)?);
    }
    Ok(Some(Arc::new(all)))
}

pub fn run_screen(store: &Store, args: ScreenArgs) -> Result<()> {
    let opts = ScreenOptions {
        threshold: args.threshold,
        limit: args.limit,
        lists: None,
        allow: crate::decisions_cmd::with_logged(store.root(), load_allow(&args.allow)?)?,
        ..ScreenOptions::default()
    };
    if let Some(input) = &args.input {
        let index = load_index(store, &args.lists)?;
        let queries = batch(&index, &opts, input, args.output.as_deref(), &args.format)?;
        for pass in 1..=args.passes {
            timed_screening(&index, &opts, &queries, pass);
        }
        return Ok(());
    }
    if args.passes > 0 {
        bail!("--passes times a batch: give --input FILE.csv");
    }
    let Some(name) = args.name.clone() else {
        bail!("give a NAME to screen, or --input FILE.csv");
    };
    check_birth_date(args.birth_date.as_deref()).with_context(|| "--birth-date")?;
    check_country(args.country.as_deref()).with_context(|| "--country")?;
    let query = Query {
        schema: parse_schema(&args.schema)?,
        names: vec![name],
        birth_dates: args.birth_date.clone().into_iter().collect(),
        countries: args.country.clone().into_iter().collect(),
        identifiers: args.id.clone().into_iter().collect(),
        gender: None,
    };
    let index = load_index(store, &args.lists)?;
    let hits = index.screen(&query, &opts);
    if args.json {
        let out = ScreenedOut::of(&index, (None, None), &query, &hits);
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if hits.is_empty() {
        println!(
            "no listed entity scores {} or more against {} entities",
            args.threshold,
            index.len()
        );
        return Ok(());
    }
    let rows: Vec<Vec<String>> = hits
        .iter()
        .map(|h| {
            let e = index.entity(h.index);
            let prov = e.and_then(|e| e.provenance.as_ref());
            vec![
                format!("{:.3}", h.score),
                h.id.clone(),
                e.map(|e| e.caption().to_string()).unwrap_or_default(),
                e.map(|e| e.schema.to_string()).unwrap_or_default(),
                prov.map(|p| format!("{} v{}", p.list, p.version.as_deref().unwrap_or("?")))
                    .unwrap_or_default(),
                h.suppressed
                    .as_ref()
                    .map(|s| format!("suppressed: {} ({}, {})", s.reason, s.who, s.when))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    print!(
        "{}",
        render(
            &["SCORE", "ID", "NAME", "SCHEMA", "LIST", "DECISION"],
            &rows
        )
    );
    if let Some(top) = hits.first() {
        println!("\nwhy {} scores {:.3}:", top.id, top.score);
        for (feature, f) in &top.explanations {
            println!(
                "  {feature:<14} {:+.3}  {}  [{} | {}]",
                f.weight,
                f.detail,
                f.query.join("; "),
                f.candidate.join("; ")
            );
        }
    }
    Ok(())
}

/// Fails unless the birth date, if any, is a date (the same rule for a query and a batch row).
fn check_birth_date(date: Option<&str>) -> Result<()> {
    if let Some(date) = date {
        date.parse::<dualtrace_model::PartialDate>()
            .context("expected YYYY, YYYY-MM or YYYY-MM-DD")?;
    }
    Ok(())
}

/// Fails unless the country, if any, is a known country (code or name).
fn check_country(country: Option<&str>) -> Result<()> {
    if let Some(country) = country {
        dualtrace_model::country_code(country)?;
    }
    Ok(())
}

/// The input columns of a batch file, found by name.
struct Columns {
    id: Option<usize>,
    name: usize,
    schema: Option<usize>,
    birth_date: Option<usize>,
    country: Option<usize>,
    id_number: Option<usize>,
}

impl Columns {
    fn find(path: &Path, headers: &csv::StringRecord) -> Result<Columns> {
        let names: Vec<String> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
            .collect();
        let find = |alts: &[&str]| alts.iter().find_map(|a| names.iter().position(|n| n == a));
        let name = find(&["name", "full_name"]).with_context(|| {
            format!(
                "{}: line 1: no `name` (or `full_name`) column; found {}",
                path.display(),
                names.join(",")
            )
        })?;
        Ok(Columns {
            id: find(&["id"]),
            name,
            schema: find(&["schema"]),
            birth_date: find(&["birth_date", "date_of_birth"]),
            country: find(&["country", "nationality"]),
            id_number: find(&["id_number"]),
        })
    }

    /// The value of column `at` (named `field`) of the record starting on `line`, as written.
    ///
    /// A value running over a line break is a quote left open: the reader takes every row
    /// after it into this value (to the end of the file), which would screen one party where
    /// the file lists many. It is an error.
    fn raw<'r>(
        path: &Path,
        line: u64,
        rec: &'r csv::StringRecord,
        (field, at): (&str, Option<usize>),
    ) -> Result<Option<&'r str>> {
        let value = at.and_then(|i| rec.get(i));
        if value.is_some_and(|v| v.bytes().any(|b| b == b'\n' || b == b'\r')) {
            bail!(
                "{}: line {line}: field {field}: the value runs over a line break (a quote left \
                 open?)",
                path.display()
            );
        }
        Ok(value)
    }

    fn query(&self, path: &Path, line: u64, rec: &csv::StringRecord) -> Result<Query> {
        let get = |column: (&str, Option<usize>)| -> Result<Option<String>> {
            Ok(Columns::raw(path, line, rec, column)?
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string))
        };
        let schema = match get(("schema", self.schema))? {
            Some(s) => parse_schema(&s)
                .with_context(|| format!("{}: line {line}: field schema", path.display()))?,
            None => None,
        };
        let birth_date = get(("birth_date", self.birth_date))?;
        check_birth_date(birth_date.as_deref())
            .with_context(|| format!("{}: line {line}: field birth_date", path.display()))?;
        let country = get(("country", self.country))?;
        check_country(country.as_deref())
            .with_context(|| format!("{}: line {line}: field country", path.display()))?;
        Ok(Query {
            schema,
            names: get(("name", Some(self.name)))?.into_iter().collect(),
            birth_dates: birth_date.into_iter().collect(),
            countries: country.into_iter().collect(),
            identifiers: get(("id_number", self.id_number))?.into_iter().collect(),
            gender: None,
        })
    }
}

fn batch(
    index: &Index,
    opts: &ScreenOptions,
    input: &Path,
    output: Option<&Path>,
    format: &str,
) -> Result<Vec<Query>> {
    if format != "jsonl" && format != "csv" {
        bail!("unknown output format {format:?} (jsonl or csv)");
    }
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(input)
        .with_context(|| format!("opening {}", input.display()))?;
    let cols = Columns::find(input, rdr.headers()?)?;
    let mut queries = Vec::new();
    let mut ids = Vec::new();
    for rec in rdr.records() {
        let rec = rec.with_context(|| format!("reading {}", input.display()))?;
        let line = rec.position().map_or(0, |p| p.line());
        queries.push(cols.query(input, line, &rec)?);
        ids.push(Columns::raw(input, line, &rec, ("id", cols.id))?.map(str::to_string));
    }
    let mut out: Box<dyn Write> = match output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut csv_out = (format == "csv").then(|| csv::Writer::from_writer(Vec::new()));
    if let Some(w) = csv_out.as_mut() {
        w.write_record([
            "row",
            "id",
            "name",
            "rank",
            "entity_id",
            "caption",
            "score",
            "match",
            "suppressed",
        ])?;
    }
    let bar = progress(queries.len() as u64);
    const CHUNK: usize = 2048;
    for (chunk_no, chunk) in queries.chunks(CHUNK).enumerate() {
        let results = index.screen_batch(chunk, opts);
        for (j, (query, hits)) in chunk.iter().zip(results).enumerate() {
            let row = chunk_no * CHUNK + j;
            match csv_out.as_mut() {
                None => {
                    let id = ids.get(row).and_then(Option::as_deref);
                    let line = ScreenedOut::of(index, (Some(row), id), query, &hits);
                    serde_json::to_writer(&mut out, &line)?;
                    out.write_all(b"\n")?;
                }
                Some(w) => {
                    let id = ids.get(row).cloned().flatten().unwrap_or_default();
                    let name = query.names.first().cloned().unwrap_or_default();
                    for (rank, h) in hits.iter().enumerate() {
                        let caption = index
                            .entity(h.index)
                            .map(|e| e.caption().to_string())
                            .unwrap_or_default();
                        w.write_record([
                            row.to_string(),
                            id.clone(),
                            name.clone(),
                            (rank + 1).to_string(),
                            h.id.clone(),
                            caption,
                            format!("{:.4}", h.score),
                            h.is_match.to_string(),
                            h.suppressed
                                .as_ref()
                                .map(|s| s.reason.clone())
                                .unwrap_or_default(),
                        ])?;
                    }
                }
            }
        }
        if let Some(b) = &bar {
            b.inc(chunk.len() as u64);
        }
    }
    if let Some(w) = csv_out {
        out.write_all(&w.into_inner()?)?;
    }
    out.flush()?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    eprintln!(
        "screened {} rows against {} entities",
        queries.len(),
        index.len()
    );
    Ok(queries)
}

/// One `screen --passes` pass: every parsed query screened in turn on this thread (its
/// names analysed, candidates found and scored, hits explained; no CSV, no JSON), in
/// milliseconds of wall time, as a JSON line on stderr. What nomenklatura's `compare()` calls
/// are timed on in `bench/screening.sh` (which leave out its candidate generation).
#[inline(never)] // its own frame in a profile (`valgrind --toggle-collect=*timed_screening*`)
fn timed_screening(index: &Index, opts: &ScreenOptions, queries: &[Query], pass: usize) {
    let start = std::time::Instant::now();
    let hits: usize = queries.iter().map(|q| index.screen(q, opts).len()).sum();
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    eprintln!(
        "{}",
        json!({"pass": pass, "queries": queries.len(), "hits": hits, "screen_ms": ms})
    );
}

fn progress(len: u64) -> Option<ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} rows {per_sec} {eta}") {
        bar.set_style(style);
    }
    Some(bar)
}

#[derive(Deserialize)]
struct Pair {
    left: Entity,
    right: Entity,
}

/// The records of a pairs file, each prepared once: a record recurring across pairs (same id,
/// same content) has its names analysed once, not once per pair, and a name recurring across
/// records (the same party on several lists) once, not once per record. Every record is
/// gathered ([`PreparedRecords::of_pairs`]) before any pair is scored, so that a name is kept
/// only while a record still to be scored holds it ([`NameCache::expect`]); the names are
/// analysed as scoring needs them ([`score_records`]).
struct PreparedRecords<'a> {
    /// Positions in `records` of the records with a given id.
    by_id: HashMap<&'a str, Vec<usize>>,
    records: Vec<PairRecord<'a>>,
    /// The names analysed so far.
    names: NameCache,
}

impl<'a> PreparedRecords<'a> {
    /// Every record of `pairs` prepared once, and each pair's two positions among them.
    fn of_pairs(pairs: &'a [Pair]) -> (Self, Vec<(usize, usize)>) {
        // Room for every record up front: growing the tables as records come would copy them
        // into fresh memory several times.
        let mut records = PreparedRecords {
            by_id: HashMap::with_capacity(2 * pairs.len()),
            records: Vec::with_capacity(2 * pairs.len()),
            names: NameCache::default(),
        };
        let positions: Vec<(usize, usize)> = pairs
            .iter()
            .map(|p| (records.position(&p.left), records.position(&p.right)))
            .collect();
        records.names.expect_all(&records.records);
        (records, positions)
    }

    /// The position of a record equal to `e`, a new one if no record gathered so far is.
    fn position(&mut self, e: &'a Entity) -> usize {
        let same_id = self.by_id.entry(e.id.as_str()).or_default();
        if let Some(&at) = same_id.iter().find(|&&at| self.records[at].entity() == e) {
            return at;
        }
        same_id.push(self.records.len());
        self.records.push(PairRecord::new(e));
        self.records.len() - 1
    }

    /// The score of pair `i`, whose records are at `left` and `right` (from
    /// [`PreparedRecords::position`]).
    fn score(&mut self, i: usize, (left, right): (usize, usize)) -> Result<Scored> {
        let (Some(l), Some(r)) = (self.records.get(left), self.records.get(right)) else {
            bail!("pair {i}: no record at {left} or {right}");
        };
        Ok(score_records(l, r, &mut self.names))
    }
}

/// One `--passes` pass, in milliseconds of wall time, as a JSON line on stderr: the parsed
/// records prepared anew (`records_ms`), every pair scored (`score_ms`: with the names
/// analysed as the comparisons need them), then every pair scored again (`rescore_ms`: the
/// names analysed already). What nomenklatura's `compare()` is timed on in
/// `bench/screening.sh`: parsed entities in, scores and explanations out, no JSON.
#[inline(never)] // its own frame in a profile (`valgrind --toggle-collect=*timed_pass*`)
fn timed_pass(pairs: &[Pair], pass: usize) -> Result<()> {
    let start = std::time::Instant::now();
    let (mut records, positions) = PreparedRecords::of_pairs(pairs);
    let prepared = start.elapsed();
    let mut matches = [0; 2];
    let mut times = [std::time::Duration::ZERO; 2];
    for (round, time) in times.iter_mut().enumerate() {
        let begin = std::time::Instant::now();
        for (i, at) in positions.iter().enumerate() {
            matches[round] += usize::from(records.score(i, *at)?.is_match);
        }
        *time = begin.elapsed();
    }
    if matches[0] != matches[1] {
        bail!("pass {pass}: scoring again gave other matches");
    }
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    eprintln!(
        "{}",
        json!({"pass": pass, "pairs": pairs.len(), "matches": matches[0],
               "records_ms": ms(prepared), "score_ms": ms(times[0]), "rescore_ms": ms(times[1])})
    );
    Ok(())
}

/// One line of `dualtrace match`: the pair's position in the input, its score and its
/// explanations, written straight from the score.
#[derive(Serialize)]
struct PairOut<'a> {
    index: usize,
    score: f64,
    #[serde(rename = "match")]
    is_match: bool,
    explanations: &'a Explanations,
}

impl<'a> PairOut<'a> {
    fn of(index: usize, s: &'a Scored) -> PairOut<'a> {
        PairOut {
            index,
            score: s.score,
            is_match: s.is_match,
            explanations: &s.explanations,
        }
    }
}

pub fn run_match(args: MatchArgs) -> Result<()> {
    if args.format != "jsonl" {
        bail!("unknown output format {:?} (jsonl)", args.format);
    }
    let text = std::fs::read_to_string(&args.input)
        .with_context(|| format!("reading {}", args.input.display()))?;
    let pairs: Vec<Pair> = if text.trim_start().starts_with('[') {
        serde_json::from_str(&text)
            .with_context(|| format!("{}: not a JSON array of pairs", args.input.display()))?
    } else {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l)
                    .with_context(|| format!("{}: line {}", args.input.display(), i + 1))
            })
            .collect::<Result<_>>()?
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut prepared, positions) = PreparedRecords::of_pairs(&pairs);
    for (i, at) in positions.iter().enumerate() {
        let s = prepared.score(i, *at)?;
        serde_json::to_writer(&mut out, &PairOut::of(i, &s))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    for pass in 1..=args.passes {
        timed_pass(&pairs, pass)?;
    }
    // The command ends here: the parsed and prepared records (every name's renderings and
    // tokens, tens of thousands of small allocations) go with the process, not freed one by
    // one, which was a twentieth of the command's time.
    std::mem::forget(prepared);
    std::mem::forget(pairs);
    Ok(())
}
