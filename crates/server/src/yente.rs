//! The yente-compatible API: `/match/{dataset}`, `/search/{dataset}`, `/entities/{id}`,
//! `/catalog`, `/algorithms`.
//!
//! Request and response shapes follow OpenSanctions yente (`yente/data/common.py`,
//! `yente/routers/match.py`) so that clients written for it work unchanged: FtM entity examples
//! in `queries`, results with `score`, `match`, `features` (feature to contribution) and
//! `explanations` (dualtrace's full account of every feature compared), `total` as
//! `{"value", "relation"}`. Options come from the query string as in yente and, as a
//! convenience, from the body (the query string wins). A `dataset` is a list name of the store
//! or `default` (every list).
//!
//! Differences, by design: the only algorithm is dualtrace's (`dualtrace-v1`; `best` and
//! `default` name it too, anything else is refused rather than silently substituted); `weights`
//! and `config` are accepted and ignored; a batch over the limit is `422 batch_too_large`
//! instead of yente's 400; entity dates are the import times of the list versions in the store.

use crate::engine::{Engine, EntityDates};
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::extract::{JsonBody, Params};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use dualtrace_matching::{Explanations, Hit, Query, ScreenOptions, Suppression};
use dualtrace_model::{Entity, Property, Schema};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The name of dualtrace's matching algorithm.
pub const ALGORITHM: &str = "dualtrace-v1";
/// Names accepted for [`ALGORITHM`].
pub const ALGORITHM_ALIASES: [&str; 3] = [ALGORITHM, "best", "default"];
/// The dataset name that means every list.
pub const DEFAULT_DATASET: &str = "default";
/// Results per query when `limit` is not given (yente's `MATCH_PAGE`).
pub const DEFAULT_LIMIT: usize = 5;

/// The routes of this module.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(match_entities))
        .routes(routes!(search))
        .routes(routes!(get_entity))
        .routes(routes!(catalog))
        .routes(routes!(algorithms))
}

/// An FtM entity example: what to match.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EntityExample {
    /// The caller's id for the example (echoed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The FtM schema: Person, Organization, Company, LegalEntity, Vessel, Aircraft or Thing.
    pub schema: String,
    /// FtM properties: a value or a list of values each (`name`, `birthDate`, `nationality`,
    /// `country`, `registrationNumber`, `innCode`, `imoNumber`, ...).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub properties: BTreeMap<String, Value>,
}

/// A `/match` request body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MatchRequest {
    /// The examples, by the caller's key (echoed in `responses`).
    #[serde(default)]
    pub queries: BTreeMap<String, EntityExample>,
    /// Accepted for yente compatibility; ignored.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub weights: BTreeMap<String, f64>,
    /// Accepted for yente compatibility; ignored.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub config: BTreeMap<String, Value>,
    /// Score from which a result is a match (default 0.7); the query string wins.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// Lowest score returned at all (default: the threshold).
    #[serde(default)]
    pub cutoff: Option<f64>,
    /// Results per query (default 5).
    #[serde(default)]
    pub limit: Option<usize>,
    /// The algorithm (`dualtrace-v1`, `best`, `default`).
    #[serde(default)]
    pub algorithm: Option<String>,
    /// Only these lists.
    #[serde(default)]
    pub include_dataset: Vec<String>,
    /// Not these lists.
    #[serde(default)]
    pub exclude_dataset: Vec<String>,
    /// Not these schemata.
    #[serde(default)]
    pub exclude_schema: Vec<String>,
    /// Not these entities (e.g. decided false positives).
    #[serde(default)]
    pub exclude_entity_ids: Vec<String>,
    /// Only entities changed since this date or time (`YYYY-MM-DD[THH:MM[:SS]]`, UTC).
    #[serde(default)]
    pub changed_since: Option<String>,
}

/// `{"value", "relation"}`, as yente counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotalSpec {
    /// The count.
    pub value: usize,
    /// `eq`: the count is exact.
    pub relation: String,
}

impl TotalSpec {
    fn exact(value: usize) -> TotalSpec {
        TotalSpec {
            value,
            relation: "eq".to_string(),
        }
    }
}

/// A listed entity, as yente returns it, plus its list and list version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityResponse {
    /// The entity id.
    pub id: String,
    /// Its display name.
    pub caption: String,
    /// Its FtM schema.
    pub schema: String,
    /// FtM properties (lists of strings).
    #[schema(value_type = Object)]
    pub properties: BTreeMap<String, Vec<String>>,
    /// The datasets (lists) it is on.
    pub datasets: Vec<String>,
    /// Other ids of the same entity (none: dualtrace does not merge lists).
    pub referents: Vec<String>,
    /// Whether it is a sanctions or export-control target (every listed entity is).
    pub target: bool,
    /// Import time of the earliest list version that has it.
    pub first_seen: Option<String>,
    /// Import time of the current list version.
    pub last_seen: Option<String>,
    /// Import time of the earliest list version with its current content.
    pub last_change: Option<String>,
    /// The store list it came from.
    pub list: Option<String>,
    /// The version of that list.
    pub list_version: Option<String>,
}

impl EntityResponse {
    /// The response form of an entity of the engine.
    pub fn of(entity: &Entity, dates: Option<&EntityDates>) -> EntityResponse {
        let prov = entity.provenance.as_ref();
        EntityResponse {
            id: entity.id.clone(),
            caption: entity.caption().to_string(),
            schema: entity.schema.as_str().to_string(),
            properties: entity.properties.clone(),
            datasets: entity.datasets.clone(),
            referents: Vec::new(),
            target: true,
            first_seen: dates.map(|d| d.first_seen.clone()),
            last_seen: dates.map(|d| d.last_seen.clone()),
            last_change: dates.map(|d| d.last_change.clone()),
            list: prov.map(|p| p.list.clone()),
            list_version: prov.and_then(|p| p.version.clone()),
        }
    }
}

/// A scored result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoredEntity {
    /// The entity.
    #[serde(flatten)]
    pub entity: EntityResponse,
    /// The score, 0..1.
    pub score: f64,
    /// Each feature's contribution to the score (yente's `features`).
    #[schema(value_type = Object)]
    pub features: BTreeMap<String, f64>,
    /// Whether the score reaches the threshold (and no analyst decision suppresses it).
    #[serde(rename = "match")]
    pub is_match: bool,
    /// Every feature compared: score, contribution, detail, the values compared.
    #[schema(value_type = Object)]
    pub explanations: Explanations,
    /// An analyst decision marking the hit a false positive, if any.
    #[schema(value_type = Option<Object>)]
    pub suppressed: Option<Suppression>,
}

impl ScoredEntity {
    fn of(engine: &Engine, hit: &Hit, threshold: f64) -> Option<ScoredEntity> {
        let entity = engine.index.entity(hit.index)?;
        Some(ScoredEntity {
            entity: EntityResponse::of(entity, engine.dates(&entity.id)),
            score: hit.score,
            features: hit
                .explanations
                .iter()
                .map(|(k, f)| (k.to_string(), f.weight))
                .collect(),
            is_match: hit.score >= threshold && hit.suppressed.is_none(),
            explanations: hit.explanations.clone(),
            suppressed: hit.suppressed.clone(),
        })
    }
}

/// The results for one example.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityMatches {
    /// 200.
    pub status: u16,
    /// The results, best first.
    pub results: Vec<ScoredEntity>,
    /// How many results passed the cutoff and the filters (before `limit`).
    pub total: TotalSpec,
    /// The example as understood (values as lists).
    pub query: EntityExample,
    /// Values of the example that were not used (dualtrace addition).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A feature of the algorithm.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeatureDoc {
    /// What the feature compares.
    pub description: String,
    /// How it enters the score.
    pub coefficient: String,
}

/// The algorithm and its features.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Algorithm {
    /// The name.
    pub name: String,
    /// A description.
    pub description: String,
    /// Its features.
    pub features: BTreeMap<String, FeatureDoc>,
}

/// The `/match` response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchResponse {
    /// The results by the caller's key.
    pub responses: BTreeMap<String, EntityMatches>,
    /// The algorithm that scored them.
    pub matcher: Algorithm,
    /// The limit applied.
    pub limit: usize,
}

/// The `/algorithms` response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlgorithmResponse {
    /// The algorithms.
    pub algorithms: Vec<Algorithm>,
    /// The default one.
    pub default: String,
    /// The best one.
    pub best: String,
}

/// The `/search` response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The limit applied.
    pub limit: usize,
    /// The offset applied.
    pub offset: usize,
    /// How many results there are.
    pub total: TotalSpec,
    /// The results (with their scores).
    pub results: Vec<ScoredEntity>,
    /// Facets (none).
    #[schema(value_type = Object)]
    pub facets: BTreeMap<String, Value>,
}

/// One dataset of the catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetModel {
    /// The name.
    pub name: String,
    /// A title.
    pub title: String,
    /// Whether it is loaded.
    pub load: bool,
    /// The loaded list version.
    pub version: String,
    /// The same version (yente's index version).
    pub index_version: Option<String>,
    /// Whether the index holds the current version.
    pub index_current: bool,
    /// Member datasets (for `default`: every list).
    pub children: Vec<String>,
    /// The version's content hash.
    pub hash: Option<String>,
    /// Entities.
    pub entity_count: usize,
    /// When the version was imported.
    pub last_change: Option<String>,
}

/// The `/catalog` response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogResponse {
    /// The datasets.
    pub datasets: Vec<DatasetModel>,
    /// Dataset names whose current version is loaded.
    pub current: Vec<String>,
    /// Dataset names with a newer version not loaded yet.
    pub outdated: Vec<String>,
    /// Whether any dataset is outdated.
    pub index_stale: bool,
}

/// The features of dualtrace's scorer, documented.
pub fn algorithm() -> Algorithm {
    let doc = |d: &str, c: &str| FeatureDoc {
        description: d.to_string(),
        coefficient: c.to_string(),
    };
    let features = BTreeMap::from([
        (
            "name".to_string(),
            doc(
                "Name tokens aligned across Latin renderings (transliteration, name order, legal forms weighed low)",
                "base score",
            ),
        ),
        (
            "identifier".to_string(),
            doc(
                "Identifiers (passport, INN, OGRN, IMO, ...) compared in canonical form",
                "base score when shared",
            ),
        ),
        (
            "birth_date".to_string(),
            doc(
                "Birth dates at their precision",
                "adjustment, negative when disjoint",
            ),
        ),
        (
            "country".to_string(),
            doc(
                "Countries of nationality, citizenship, jurisdiction, address",
                "adjustment, negative when disjoint",
            ),
        ),
        (
            "gender".to_string(),
            doc("Gender", "adjustment, negative when different"),
        ),
        (
            "schema".to_string(),
            doc(
                "Schema compatibility (a person is not a company)",
                "adjustment",
            ),
        ),
    ]);
    Algorithm {
        name: ALGORITHM.to_string(),
        description: "dualtrace's explainable matcher: candidate generation over name tokens, phonetic keys, trigrams and identifiers, then a scored feature model".to_string(),
        features,
    }
}

/// Resolves the `dataset` path segment to the lists it covers.
pub fn dataset_lists(engine: &Engine, dataset: &str) -> Result<Vec<String>, ApiError> {
    if dataset == DEFAULT_DATASET {
        return Ok(engine.lists.iter().map(|l| l.name.clone()).collect());
    }
    engine
        .list(dataset)
        .map(|l| vec![l.name.clone()])
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownDataset,
                format!(
                    "no dataset {dataset:?}: use `default` or one of {}",
                    engine
                        .lists
                        .iter()
                        .map(|l| l.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

/// The options of a match, from the query string (first) and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchOptions {
    /// Score from which a result is a match.
    pub threshold: f64,
    /// Lowest score returned.
    pub cutoff: f64,
    /// Results per query.
    pub limit: usize,
    /// Only these lists (when not empty).
    pub include_dataset: Vec<String>,
    /// Not these lists.
    pub exclude_dataset: Vec<String>,
    /// Not these schemata.
    pub exclude_schema: Vec<Schema>,
    /// Not these entities.
    pub exclude_entity_ids: HashSet<String>,
    /// Only entities changed at or after this time.
    pub changed_since: Option<jiff::Timestamp>,
}

fn either<T>(query: Option<T>, body: Option<T>) -> Option<T> {
    query.or(body)
}

fn either_list(query: Vec<String>, body: &[String]) -> Vec<String> {
    if query.is_empty() {
        body.to_vec()
    } else {
        query
    }
}

/// Parses `YYYY-MM-DD[THH:MM[:SS]]` (UTC) or an RFC 3339 timestamp.
pub fn parse_since(text: &str) -> Result<jiff::Timestamp, ApiError> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(ts);
    }
    let civil = text.parse::<jiff::civil::DateTime>().or_else(|_| {
        text.parse::<jiff::civil::Date>()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    });
    civil
        .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC))
        .map(|z| z.timestamp())
        .map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidQuery,
                format!(
                    "changed_since: {text:?} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
                ),
            )
        })
}

fn parse_schema(text: &str, what: &str) -> Result<Option<Schema>, ApiError> {
    let text = match text {
        "Thing" | "thing" => return Ok(None),
        "Airplane" => "Aircraft",
        "PublicBody" => "Organization",
        other => other,
    };
    text.parse::<Schema>().map(Some).map_err(|_| {
        ApiError::new(
            ErrorCode::InvalidQuery,
            format!(
                "{what}: unknown schema {text:?} (Person, Organization, Company, LegalEntity, Vessel, Aircraft or Thing)"
            ),
        )
    })
}

impl MatchOptions {
    /// Reads the options; bad values are `invalid_query` errors naming the parameter.
    pub fn resolve(
        params: &Params,
        body: &MatchRequest,
        max_results: usize,
    ) -> Result<MatchOptions, ApiError> {
        let threshold = either(params.number::<f64>("threshold")?, body.threshold)
            .unwrap_or(dualtrace_matching::DEFAULT_THRESHOLD);
        let cutoff = either(params.number::<f64>("cutoff")?, body.cutoff).unwrap_or(threshold);
        for (name, v) in [("threshold", threshold), ("cutoff", cutoff)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(ApiError::new(
                    ErrorCode::InvalidQuery,
                    format!("{name}: {v} is not between 0 and 1"),
                ));
            }
        }
        let limit = either(params.number::<usize>("limit")?, body.limit).unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > max_results {
            return Err(ApiError::new(
                ErrorCode::InvalidQuery,
                format!("limit: {limit} is not between 1 and {max_results}"),
            ));
        }
        let algorithm = either(
            params.get("algorithm").map(str::to_string),
            body.algorithm.clone(),
        )
        .unwrap_or_else(|| ALGORITHM.to_string());
        if !ALGORITHM_ALIASES.contains(&algorithm.as_str()) {
            return Err(ApiError::new(
                ErrorCode::InvalidQuery,
                format!(
                    "algorithm: {algorithm:?} is not available (use {})",
                    ALGORITHM_ALIASES.join(", ")
                ),
            ));
        }
        let exclude_schema = either_list(params.all("exclude_schema"), &body.exclude_schema)
            .iter()
            .filter_map(|s| parse_schema(s, "exclude_schema").transpose())
            .collect::<Result<Vec<_>, _>>()?;
        let changed_since = either(
            params.get("changed_since").map(str::to_string),
            body.changed_since.clone(),
        )
        .map(|s| parse_since(&s))
        .transpose()?;
        Ok(MatchOptions {
            threshold,
            cutoff: cutoff.min(threshold),
            limit,
            include_dataset: either_list(params.all("include_dataset"), &body.include_dataset),
            exclude_dataset: either_list(params.all("exclude_dataset"), &body.exclude_dataset),
            exclude_schema,
            exclude_entity_ids: either_list(
                params.all("exclude_entity_ids"),
                &body.exclude_entity_ids,
            )
            .into_iter()
            .collect(),
            changed_since,
        })
    }

    /// The lists to screen: the dataset's, narrowed by `include_dataset`, minus `exclude_dataset`.
    pub fn lists(&self, dataset_lists: Vec<String>) -> Vec<String> {
        dataset_lists
            .into_iter()
            .filter(|l| self.include_dataset.is_empty() || self.include_dataset.contains(l))
            .filter(|l| !self.exclude_dataset.contains(l))
            .collect()
    }

    /// Whether a hit passes the entity filters.
    fn keeps(&self, engine: &Engine, entity: &Entity) -> bool {
        if self.exclude_entity_ids.contains(&entity.id)
            || self.exclude_schema.contains(&entity.schema)
        {
            return false;
        }
        match self.changed_since {
            None => true,
            Some(since) => engine
                .dates(&entity.id)
                .and_then(|d| d.last_change.parse::<jiff::Timestamp>().ok())
                .is_some_and(|changed| changed >= since),
        }
    }
}

/// The values of a property in an example, as strings.
fn example_values(key: &str, prop: &str, value: &Value) -> Result<Vec<String>, ApiError> {
    let bad = || {
        ApiError::new(
            ErrorCode::InvalidQuery,
            format!("queries.{key}.properties.{prop}: expected a string or a list of strings"),
        )
    };
    let one = |v: &Value| match v {
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Null => Ok(None),
        _ => Err(bad()),
    };
    match value {
        Value::Array(items) => items.iter().filter_map(|v| one(v).transpose()).collect(),
        other => Ok(one(other)?.into_iter().collect()),
    }
}

/// The parts of a name FtM splits, in the order a full name is written.
const NAME_PARTS: [Property; 4] = [
    Property::FirstName,
    Property::MiddleName,
    Property::FatherName,
    Property::LastName,
];

/// An example turned into a screening query.
#[derive(Debug, Clone)]
pub struct ParsedExample {
    /// The query.
    pub query: Query,
    /// The example as understood (values as lists), for the echo.
    pub echo: EntityExample,
    /// Values that could not be used (a date that is not a date, ...), dropped from the query.
    pub warnings: Vec<String>,
}

/// Turns an example into a screening query. An unknown schema, a value that is not a string
/// and an example without a name or identifier are errors naming the query and property; a
/// value that cannot be understood (a bad date) is dropped with a warning, as yente does.
pub fn example_query(key: &str, example: &EntityExample) -> Result<ParsedExample, ApiError> {
    let schema = parse_schema(&example.schema, &format!("queries.{key}.schema"))?;
    let mut entity = Entity::new("query", schema.unwrap_or(Schema::LegalEntity));
    let mut echoed = BTreeMap::new();
    let mut warnings = Vec::new();
    for (prop, value) in &example.properties {
        let values = example_values(key, prop, value)?;
        for v in &values {
            if let Err(e) = entity.add_raw(prop, v) {
                warnings.push(format!("properties.{prop}: {v:?} not used: {e}"));
            }
        }
        echoed.insert(prop.clone(), Value::from(values));
    }
    if entity.names().next().is_none() {
        let full: Vec<&str> = NAME_PARTS
            .iter()
            .flat_map(|p| entity.get(*p).first())
            .map(String::as_str)
            .collect();
        if !full.is_empty() {
            let name = full.join(" ");
            entity.add(Property::Name, &name).map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidQuery,
                    format!("queries.{key}.properties: {e}"),
                )
            })?;
        }
    }
    let mut query = Query::from_entity(&entity);
    query.schema = schema;
    if query.names.is_empty() && query.identifiers.is_empty() {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            format!(
                "queries.{key}: give at least a name (name, alias, firstName/lastName) or an identifier"
            ),
        ));
    }
    let echo = EntityExample {
        id: example.id.clone(),
        schema: example.schema.clone(),
        properties: echoed,
    };
    Ok(ParsedExample {
        query,
        echo,
        warnings,
    })
}

/// Screens queries against an engine with the match options (blocking, CPU-bound).
pub fn screen(
    engine: &Engine,
    queries: &[Query],
    lists: Vec<String>,
    opts: &MatchOptions,
    max_results: usize,
) -> Vec<(usize, Vec<ScoredEntity>)> {
    let screen_opts = ScreenOptions {
        threshold: opts.cutoff,
        limit: max_results,
        lists: Some(lists),
        ..ScreenOptions::default()
    };
    let batches = if queries.len() == 1 {
        queries
            .iter()
            .map(|q| engine.index.screen(q, &screen_opts))
            .collect()
    } else {
        engine.index.screen_batch(queries, &screen_opts)
    };
    batches
        .into_iter()
        .map(|hits| {
            let kept: Vec<ScoredEntity> = hits
                .iter()
                .filter(|h| {
                    engine
                        .index
                        .entity(h.index)
                        .is_some_and(|e| opts.keeps(engine, e))
                })
                .filter_map(|h| ScoredEntity::of(engine, h, opts.threshold))
                .collect();
            let total = kept.len();
            (total, kept.into_iter().take(opts.limit).collect())
        })
        .collect()
}

fn ensure_ready(state: &AppState) -> Result<std::sync::Arc<Engine>, ApiError> {
    if !state.engine.is_ready() {
        return Err(ApiError::new(
            ErrorCode::NotReady,
            "the lists are still loading",
        ));
    }
    Ok(state.engine.snapshot())
}

/// Query by example: score FtM examples against the lists.
#[utoipa::path(
    post,
    path = "/match/{dataset}",
    tag = "yente",
    params(
        ("dataset" = String, Path, description = "A list name or `default` (every list)"),
        ("threshold" = Option<f64>, Query, description = "Score from which a result is a match (default 0.7)"),
        ("cutoff" = Option<f64>, Query, description = "Lowest score returned (default: threshold)"),
        ("limit" = Option<usize>, Query, description = "Results per query (default 5, at most 500)"),
        ("algorithm" = Option<String>, Query, description = "dualtrace-v1 (also: best, default)"),
        ("include_dataset" = Option<Vec<String>>, Query, description = "Only these lists (repeatable)"),
        ("exclude_dataset" = Option<Vec<String>>, Query, description = "Not these lists (repeatable)"),
        ("exclude_schema" = Option<Vec<String>>, Query, description = "Not these schemata (repeatable)"),
        ("exclude_entity_ids" = Option<Vec<String>>, Query, description = "Not these entities (repeatable)"),
        ("changed_since" = Option<String>, Query, description = "Only entities changed since (YYYY-MM-DD[THH:MM:SS], UTC)"),
    ),
    request_body = MatchRequest,
    responses(
        (status = 200, description = "Results by query key", body = MatchResponse),
        (status = 400, description = "malformed_json or invalid_query", body = ErrorBody),
        (status = 401, description = "missing_api_key or invalid_api_key", body = ErrorBody),
        (status = 404, description = "unknown_dataset", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 422, description = "batch_too_large", body = ErrorBody),
        (status = 503, description = "not_ready", body = ErrorBody),
    )
)]
pub async fn match_entities(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    params: Params,
    JsonBody(body): JsonBody<MatchRequest>,
) -> Result<Json<MatchResponse>, ApiError> {
    let engine = ensure_ready(&state)?;
    let lists = dataset_lists(&engine, &dataset)?;
    if body.queries.len() > state.limits.batch {
        return Err(ApiError::new(
            ErrorCode::BatchTooLarge,
            format!(
                "{} queries in one batch; the limit is {}",
                body.queries.len(),
                state.limits.batch
            ),
        ));
    }
    if body.queries.is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidQuery, "no queries given"));
    }
    let opts = MatchOptions::resolve(&params, &body, state.limits.results)?;
    let mut keys = Vec::new();
    let mut queries = Vec::new();
    let mut echoes = Vec::new();
    for (key, example) in &body.queries {
        let parsed = example_query(key, example)?;
        keys.push(key.clone());
        queries.push(parsed.query);
        echoes.push((parsed.echo, parsed.warnings));
    }
    let lists = opts.lists(lists);
    let max = state.limits.results;
    let limit = opts.limit;
    let screened = state
        .blocking(move |_| Ok(screen(&engine, &queries, lists, &opts, max)))
        .await?;
    let responses = keys
        .into_iter()
        .zip(echoes)
        .zip(screened)
        .map(|((key, (query, warnings)), (total, results))| {
            (
                key,
                EntityMatches {
                    status: 200,
                    results,
                    total: TotalSpec::exact(total),
                    query,
                    warnings,
                },
            )
        })
        .collect();
    Ok(Json(MatchResponse {
        responses,
        matcher: algorithm(),
        limit,
    }))
}

/// Searches the lists by name (the same index as `/match`, with a lower default cutoff).
#[utoipa::path(
    get,
    path = "/search/{dataset}",
    tag = "yente",
    params(
        ("dataset" = String, Path, description = "A list name or `default`"),
        ("q" = Option<String>, Query, description = "A name or identifier; empty lists entities"),
        ("schema" = Option<String>, Query, description = "Person, Organization, Company, LegalEntity, Vessel, Aircraft"),
        ("limit" = Option<usize>, Query, description = "Results (default 10, at most 500)"),
        ("offset" = Option<usize>, Query, description = "Results to skip"),
        ("cutoff" = Option<f64>, Query, description = "Lowest score returned (default 0.5)"),
        ("include_dataset" = Option<Vec<String>>, Query, description = "Only these lists"),
        ("exclude_dataset" = Option<Vec<String>>, Query, description = "Not these lists"),
    ),
    responses(
        (status = 200, description = "Results", body = SearchResponse),
        (status = 400, description = "invalid_query", body = ErrorBody),
        (status = 404, description = "unknown_dataset", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    params: Params,
) -> Result<Json<SearchResponse>, ApiError> {
    let engine = ensure_ready(&state)?;
    let lists = dataset_lists(&engine, &dataset)?;
    let limit = params.number::<usize>("limit")?.unwrap_or(10);
    let offset = params.number::<usize>("offset")?.unwrap_or(0);
    let cutoff = params.number::<f64>("cutoff")?.unwrap_or(0.5);
    if limit == 0 || limit > state.limits.results || !(0.0..=1.0).contains(&cutoff) {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            format!("limit must be 1..{} and cutoff 0..1", state.limits.results),
        ));
    }
    let schema = params
        .get("schema")
        .map(|s| parse_schema(s, "schema"))
        .transpose()?
        .flatten();
    let body = MatchRequest {
        include_dataset: params.all("include_dataset"),
        exclude_dataset: params.all("exclude_dataset"),
        ..MatchRequest::default()
    };
    let opts = MatchOptions {
        threshold: dualtrace_matching::DEFAULT_THRESHOLD,
        cutoff: cutoff.min(dualtrace_matching::DEFAULT_THRESHOLD),
        limit: offset.saturating_add(limit).min(state.limits.results),
        ..MatchOptions::resolve(&Params::default(), &body, state.limits.results)?
    };
    let lists = opts.lists(lists);
    let q = params.get("q").unwrap_or_default().trim().to_string();
    let max = state.limits.results;
    let (total, results) = state
        .blocking(move |_| {
            if q.is_empty() {
                return Ok(browse(&engine, &lists, schema, offset, limit));
            }
            let query = Query {
                schema,
                names: vec![q.clone()],
                identifiers: vec![q],
                ..Query::default()
            };
            let (total, hits) = screen(&engine, &[query], lists, &opts, max)
                .pop()
                .unwrap_or_default();
            Ok((total, hits.into_iter().skip(offset).collect()))
        })
        .await?;
    Ok(Json(SearchResponse {
        limit,
        offset,
        total: TotalSpec::exact(total),
        results,
        facets: BTreeMap::new(),
    }))
}

/// Entities of the lists in index order (a search without `q`).
fn browse(
    engine: &Engine,
    lists: &[String],
    schema: Option<Schema>,
    offset: usize,
    limit: usize,
) -> (usize, Vec<ScoredEntity>) {
    let matching = engine.index.entities().iter().filter(|e| {
        engine
            .source_list(e)
            .is_some_and(|l| lists.iter().any(|x| x == l))
            && schema.is_none_or(|s| e.schema == s)
    });
    let mut total = 0;
    let mut page = Vec::new();
    for e in matching {
        if total >= offset && page.len() < limit {
            page.push(ScoredEntity {
                entity: EntityResponse::of(e, engine.dates(&e.id)),
                score: 0.0,
                features: BTreeMap::new(),
                is_match: false,
                explanations: Explanations::new(),
                suppressed: None,
            });
        }
        total += 1;
    }
    (total, page)
}

/// One entity by id.
#[utoipa::path(
    get,
    path = "/entities/{id}",
    tag = "yente",
    params(("id" = String, Path, description = "The entity id")),
    responses(
        (status = 200, description = "The entity", body = EntityResponse),
        (status = 404, description = "unknown_entity", body = ErrorBody),
    )
)]
pub async fn get_entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EntityResponse>, ApiError> {
    let engine = ensure_ready(&state)?;
    let (_, entity) = engine.entity(&id).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnknownEntity,
            format!("no entity {id:?} in the loaded lists"),
        )
    })?;
    Ok(Json(EntityResponse::of(entity, engine.dates(&entity.id))))
}

/// The datasets: every loaded list and `default`.
#[utoipa::path(
    get,
    path = "/catalog",
    tag = "yente",
    responses((status = 200, description = "The datasets", body = CatalogResponse))
)]
pub async fn catalog(State(state): State<AppState>) -> Json<CatalogResponse> {
    let engine = state.engine.snapshot();
    let store = state.store.clone();
    let stored = tokio::task::spawn_blocking(move || crate::engine::current_fingerprint(&store))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let loaded = engine.fingerprint();
    let outdated: Vec<String> = stored
        .iter()
        .filter(|s| !loaded.contains(s))
        .map(|(name, _, _)| name.clone())
        .collect();
    let mut datasets: Vec<DatasetModel> = engine
        .lists
        .iter()
        .map(|l| DatasetModel {
            name: l.name.clone(),
            title: l.name.clone(),
            load: true,
            version: l.version.to_string(),
            index_version: Some(l.version.to_string()),
            index_current: !outdated.contains(&l.name),
            children: Vec::new(),
            hash: Some(l.hash.clone()),
            entity_count: l.entities,
            last_change: Some(l.imported_at.clone()),
        })
        .collect();
    datasets.push(DatasetModel {
        name: DEFAULT_DATASET.to_string(),
        title: "Every loaded list".to_string(),
        load: true,
        version: engine.built_at.clone(),
        index_version: Some(engine.built_at.clone()),
        index_current: outdated.is_empty(),
        children: engine.lists.iter().map(|l| l.name.clone()).collect(),
        hash: None,
        entity_count: engine.index.len(),
        last_change: Some(engine.built_at.clone()),
    });
    Json(CatalogResponse {
        current: engine
            .lists
            .iter()
            .filter(|l| !outdated.contains(&l.name))
            .map(|l| l.name.clone())
            .collect(),
        index_stale: !outdated.is_empty(),
        outdated,
        datasets,
    })
}

/// The matching algorithms.
#[utoipa::path(
    get,
    path = "/algorithms",
    tag = "yente",
    responses((status = 200, description = "The algorithms", body = AlgorithmResponse))
)]
pub async fn algorithms() -> Json<AlgorithmResponse> {
    Json(AlgorithmResponse {
        algorithms: vec![algorithm()],
        default: ALGORITHM.to_string(),
        best: ALGORITHM.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn example(value: Value) -> EntityExample {
        serde_json::from_value(value).expect("example")
    }

    #[test]
    fn an_example_becomes_a_query_with_name_parts_and_identifiers() {
        let ex = example(json!({"schema": "Person", "properties": {
            "firstName": ["Ivan"], "lastName": "Petrovsky", "birthDate": ["1961-05-07"],
            "nationality": ["ru"], "passportNumber": [12345678]
        }}));
        let parsed = example_query("q1", &ex).expect("query");
        let (q, echo) = (parsed.query, parsed.echo);
        assert_eq!(q.schema, Some(Schema::Person));
        assert_eq!(q.names, ["Ivan Petrovsky"]);
        assert_eq!(q.birth_dates, ["1961-05-07"]);
        assert_eq!(q.identifiers, ["12345678"]);
        assert_eq!(echo.properties["lastName"], json!(["Petrovsky"]));
    }

    #[test]
    fn bad_examples_name_the_query_and_property() {
        let err = example_query(
            "a",
            &example(json!({"schema": "Spaceship", "properties": {"name": "X"}})),
        )
        .expect_err("schema");
        assert!(err.message.contains("queries.a.schema"), "{}", err.message);
        let err = example_query(
            "b",
            &example(json!({"schema": "Person", "properties": {"name": {"x": 1}}})),
        )
        .expect_err("object value");
        assert!(
            err.message.contains("queries.b.properties.name"),
            "{}",
            err.message
        );
        let err = example_query(
            "c",
            &example(json!({"schema": "Thing", "properties": {"notes": "x"}})),
        )
        .expect_err("no name");
        assert_eq!(err.code, ErrorCode::InvalidQuery);
        let lenient = example_query("d", &example(json!({"schema": "Person", "properties": {"name": "Ivan Petrov", "birthDate": "around 1960"}})))
            .expect("a bad date is dropped, not fatal");
        assert_eq!(lenient.query.birth_dates, Vec::<String>::new());
        assert_eq!(lenient.warnings.len(), 1, "{:?}", lenient.warnings);
    }

    #[test]
    fn options_come_from_the_query_string_first_then_the_body() {
        let params = Params::parse(b"threshold=0.8&include_dataset=a&include_dataset=b");
        let body = MatchRequest {
            threshold: Some(0.5),
            limit: Some(7),
            exclude_dataset: vec!["b".into()],
            changed_since: Some("2026-01-02".into()),
            ..MatchRequest::default()
        };
        let o = MatchOptions::resolve(&params, &body, 500).expect("options");
        assert_eq!((o.threshold, o.cutoff, o.limit), (0.8, 0.8, 7));
        assert_eq!(o.lists(vec!["a".into(), "b".into(), "c".into()]), ["a"]);
        assert_eq!(
            o.changed_since.map(|t| t.to_string()).as_deref(),
            Some("2026-01-02T00:00:00Z")
        );
        let bad = MatchOptions::resolve(&Params::parse(b"algorithm=logic-v9"), &body, 500)
            .expect_err("algorithm");
        assert_eq!(bad.code, ErrorCode::InvalidQuery);
        let bad =
            MatchOptions::resolve(&Params::parse(b"limit=501"), &body, 500).expect_err("limit");
        assert_eq!(bad.code, ErrorCode::InvalidQuery);
    }
}
