//! The analyst dashboard: server-rendered pages over the same engine as the API.
//!
//! Pages: `/` (search box, list status, a chart of the lists by schema, goods lookup, where the
//! trade flows and the latest risk run are), `/ui/search?q=` (results with their
//! explanations), `/ui/entities/{id}` (names, identifiers, programmes, source list and version,
//! history across the stored versions), `/ui/lists/{name}` (versions, sizes chart, a diff),
//! `/ui/goods?code=`, `/ui/flows` ([`crate::flows_page`]) and `/ui/risk`
//! ([`crate::risk_page`]). Every value from the data is escaped by [`crate::html::Html`]; scripts are
//! files under `/assets/` embedded in the binary (Chart.js 4, vendored with its licence), and
//! the pages' Content-Security-Policy allows nothing else: no CDN, no inline script.

use crate::api::store_error;
use crate::engine::Engine;
use crate::error::{ApiError, ErrorCode};
use crate::extract::Params;
use crate::html::{Html, url_part};
use crate::state::AppState;
use crate::yente::{MatchOptions, MatchRequest, ScoredEntity, screen};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dualtrace_goods::HsVersion;
use dualtrace_matching::Query;
use dualtrace_model::{Entity, NameKind};
use rust_embed::RustEmbed;
use serde_json::json;
use std::collections::BTreeSet;

/// The files served under `/assets/`, embedded at build time.
#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

/// The policy of every dashboard page: scripts and styles from this server only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// How many versions the entity history and the list page show.
const HISTORY_SHOWN: usize = 20;
/// How many ids of each kind a diff shows.
const DIFF_SHOWN: usize = 200;

/// The dashboard routes (not part of the OpenAPI document).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/ui/search", get(search_page))
        .route("/ui/entities/{id}", get(entity_page))
        .route("/ui/lists/{name}", get(list_page))
        .route("/ui/goods", get(goods_page))
        .route("/ui/flows", get(crate::flows_page::flows_page))
        .route("/ui/risk", get(crate::risk_page::risk_page))
        .route("/assets/{*file}", get(asset))
}

/// A complete page with the layout around the body.
pub(crate) fn page(title: &str, body: Html) -> Response {
    let mut h = Html::default();
    h.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .text(title)
        .raw(" · dualtrace</title><meta name=\"viewport\" content=\"width=device-width\"><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/assets/dashboard.css\"></head><body><header><strong>dualtrace</strong><a href=\"/\">Overview</a><a href=\"/ui/search\">Search</a><a href=\"/ui/goods\">Goods</a><a href=\"/ui/flows\">Flows</a><a href=\"/ui/risk\">Risk</a><a href=\"/openapi.json\">API</a></header><main>")
        .append(body)
        .raw("</main><script src=\"/assets/chart.umd.min.js\"></script><script src=\"/assets/dashboard.js\"></script></body></html>");
    let out = h.finish();
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        out,
    )
        .into_response()
}

/// An error page with the API error's status.
fn error_page(err: &ApiError) -> Response {
    let mut body = Html::default();
    body.raw("<section><h1>")
        .text(err.code.as_str())
        .raw("</h1><p>")
        .text(&err.message)
        .raw("</p></section>");
    let mut response = page("error", body);
    *response.status_mut() = err.code.status();
    response
}

/// The page, or the error page of the error.
pub(crate) fn render(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(|e| error_page(&e))
}

fn search_form(h: &mut Html, q: &str) {
    h.raw("<form method=\"get\" action=\"/ui/search\" role=\"search\">")
        .input("q", q, "a name or an identifier, any script")
        .raw("<select name=\"schema\"><option value=\"\">any party</option><option>Person</option><option>Organization</option><option>Company</option><option>Vessel</option><option>Aircraft</option></select><button type=\"submit\">Screen</button></form>");
}

fn goods_form(h: &mut Html, code: &str) {
    h.raw("<form method=\"get\" action=\"/ui/goods\">")
        .input("code", code, "a tariff code, e.g. 8542.31")
        .raw("<button type=\"submit\">Look up</button></form>");
}

/// `/`: the overview.
async fn home(State(state): State<AppState>) -> Response {
    let engine = state.engine.snapshot();
    let mut h = Html::default();
    h.raw("<h1>Overview</h1><section id=\"search\"><h2>Screen a party</h2>");
    search_form(&mut h, "");
    h.raw("</section><section id=\"lists\"><h2>Lists</h2>");
    lists_table(&mut h, &engine);
    if !state.engine.is_ready() {
        h.raw("<p class=\"muted\">The lists are loading.</p>");
    }
    h.raw("<div class=\"chart\"><canvas id=\"chart-lists\" data-chart=\"bar\" data-stacked=\"true\" aria-label=\"Entities by list and schema\"></canvas></div>");
    h.json_data("chart-lists-data", &lists_chart(&engine));
    h.raw("</section><section id=\"goods\"><h2>Goods lookup</h2>");
    goods_form(&mut h, "");
    h.raw("</section>");
    let (flows, risk) = state
        .blocking(|state| {
            Ok((
                crate::flows::has_dataset(&state),
                crate::risk::latest(&state),
            ))
        })
        .await
        .unwrap_or_else(|e| (false, Err(e)));
    h.raw("<section id=\"flows\"><h2>Trade flows</h2><p>");
    if flows {
        h.raw("<a href=\"/ui/flows\">Supplier shares of Russia's CHPL imports and the surge ranking</a>");
    } else {
        h.raw("No trade flows dataset yet: <code>dualtrace flows ingest FORMAT FILE...</code> creates one (<a href=\"/ui/flows\">more</a>).");
    }
    h.raw("</p></section><section id=\"risk\"><h2>Latest risk run</h2><p>");
    match risk {
        Ok(Some(run)) => {
            crate::risk_page::level_counts(&mut h, &run.audit);
            h.text(&format!(
                " of {} lines, finished {} · ",
                run.audit.counts.lines, run.audit.finished_at
            ))
            .link("/ui/risk", "details");
        }
        Ok(None) => {
            h.raw("No risk run yet: <code>dualtrace risk --input SHIPMENTS.csv --output REPORT_DIR</code> records one (<a href=\"/ui/risk\">more</a>).");
        }
        Err(e) => {
            h.text(&e.message);
        }
    }
    h.raw("</p></section>");
    page("Overview", h)
}

fn lists_table(h: &mut Html, engine: &Engine) {
    h.raw("<table><thead><tr><th>list</th><th>version</th><th>entities</th><th>by schema</th><th>content hash</th><th>imported</th></tr></thead><tbody>");
    for l in &engine.lists {
        h.raw("<tr><td>")
            .link(&format!("/ui/lists/{}", url_part(&l.name)), &l.name)
            .raw("</td>");
        h.el("td class=\"n\"", &l.version.to_string())
            .el("td class=\"n\"", &l.entities.to_string());
        let schemas: Vec<String> = l
            .by_schema
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        h.el("td", &schemas.join(", "));
        h.raw("<td><code>")
            .text(l.hash.get(..12).unwrap_or(&l.hash))
            .raw("</code></td>");
        h.el("td", &l.imported_at).raw("</tr>");
    }
    h.raw("</tbody></table>");
}

/// Entities by list (bars) and schema (stacks).
fn lists_chart(engine: &Engine) -> serde_json::Value {
    let schemas: BTreeSet<&String> = engine
        .lists
        .iter()
        .flat_map(|l| l.by_schema.keys())
        .collect();
    let datasets: Vec<serde_json::Value> = schemas
        .iter()
        .map(|s| {
            json!({
                "label": s,
                "data": engine.lists.iter().map(|l| l.by_schema.get(*s).copied().unwrap_or(0)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"labels": engine.lists.iter().map(|l| &l.name).collect::<Vec<_>>(), "datasets": datasets})
}

/// `/ui/search?q=`: screening results with their explanations.
async fn search_page(State(state): State<AppState>, params: Params) -> Response {
    render(search_results(state, params).await)
}

async fn search_results(state: AppState, params: Params) -> Result<Response, ApiError> {
    let q = params.get("q").unwrap_or_default().trim().to_string();
    let schema = params
        .get("schema")
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse().map_err(|_| {
                ApiError::new(ErrorCode::InvalidQuery, format!("unknown schema {s:?}"))
            })
        })
        .transpose()?;
    let mut h = Html::default();
    h.raw("<h1>Screen a party</h1><section>");
    search_form(&mut h, &q);
    h.raw("</section>");
    if q.is_empty() {
        return Ok(page("Search", h));
    }
    let engine = state.engine.snapshot();
    let lists: Vec<String> = engine.lists.iter().map(|l| l.name.clone()).collect();
    let opts = MatchOptions {
        cutoff: 0.5,
        limit: 20,
        ..MatchOptions::resolve(
            &Params::default(),
            &MatchRequest::default(),
            state.limits.results,
        )?
    };
    let query = Query {
        schema,
        names: vec![q.clone()],
        identifiers: vec![q.clone()],
        ..Query::default()
    };
    let max = state.limits.results;
    let snapshot = engine.clone();
    let (total, results) = state
        .blocking(move |_| {
            Ok(screen(&snapshot, &[query], lists, &opts, max)
                .pop()
                .unwrap_or_default())
        })
        .await?;
    h.raw("<section id=\"results\"><h2>Results for ")
        .text(&q)
        .raw("</h2><p class=\"muted\">");
    h.text(&format!(
        "{total} results of 0.5 or more against {} entities; a match is 0.7 or more.",
        engine.index.len()
    ));
    h.raw("</p><table class=\"hits\"><thead><tr><th>score</th><th>name</th><th>schema</th><th>list</th><th>why</th></tr></thead><tbody>");
    for r in &results {
        result_row(&mut h, r);
    }
    h.raw("</tbody></table></section>");
    Ok(page(&format!("Search: {q}"), h))
}

fn result_row(h: &mut Html, r: &ScoredEntity) {
    let e = &r.entity;
    h.raw("<tr class=\"hit\">");
    if r.is_match {
        h.el("td class=\"n match\"", &format!("{:.3}", r.score));
    } else {
        h.el("td class=\"n\"", &format!("{:.3}", r.score));
    }
    h.raw("<td><span class=\"caption\">")
        .link(&format!("/ui/entities/{}", url_part(&e.id)), &e.caption)
        .raw("</span><br><code>")
        .text(&e.id)
        .raw("</code></td>");
    h.el("td", &e.schema);
    h.el(
        "td",
        &format!(
            "{} v{}",
            e.list.as_deref().unwrap_or("?"),
            e.list_version.as_deref().unwrap_or("?")
        ),
    );
    h.raw("<td><ul class=\"why\">");
    for (feature, f) in &r.explanations {
        h.raw("<li><strong>").text(feature).raw("</strong> ");
        h.text(&format!("{:+.3} {}", f.weight, f.detail));
        if !f.query.is_empty() || !f.candidate.is_empty() {
            h.raw(" <span class=\"muted\">[")
                .text(&f.query.join("; "))
                .raw(" | ")
                .text(&f.candidate.join("; "))
                .raw("]</span>");
        }
        h.raw("</li>");
    }
    h.raw("</ul></td></tr>");
}

/// `/ui/entities/{id}`: one entity with its history across list versions.
async fn entity_page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    render(state.blocking(move |state| entity_view(&state, &id)).await)
}

fn entity_view(state: &AppState, id: &str) -> Result<Response, ApiError> {
    let engine = state.engine.snapshot();
    let (_, entity) = engine.entity(id).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnknownEntity,
            format!("no entity {id:?} in the loaded lists"),
        )
    })?;
    let mut h = Html::default();
    h.raw("<h1 class=\"caption\">")
        .text(entity.caption())
        .raw("</h1><section id=\"entity\"><table><tbody>");
    h.raw("<tr><th>id</th><td><code>")
        .text(&entity.id)
        .raw("</code></td></tr>");
    h.raw("<tr><th>schema</th>")
        .el("td", entity.schema.as_str())
        .raw("</tr>");
    h.raw("<tr><th>names</th><td><ul>");
    for (kind, name) in entity.names() {
        h.raw("<li class=\"name\">")
            .text(name)
            .raw(" <span class=\"muted\">")
            .text(name_kind(kind))
            .raw("</span></li>");
    }
    h.raw("</ul></td></tr><tr><th>identifiers</th><td><ul>");
    for ident in entity.identifiers() {
        h.raw("<li>")
            .text(&format!("{:?}: {}", ident.kind, ident.value))
            .raw("</li>");
    }
    h.raw("</ul></td></tr>");
    for (label, prop) in [
        ("programmes", "program"),
        ("topics", "topics"),
        ("countries", "country"),
        ("nationality", "nationality"),
        ("birth date", "birthDate"),
    ] {
        if let Some(values) = entity.properties.get(prop) {
            h.raw("<tr>")
                .el("th", label)
                .el("td", &values.join("; "))
                .raw("</tr>");
        }
    }
    let prov = entity.provenance.as_ref();
    let list = engine.source_list(entity).unwrap_or_default().to_string();
    h.raw("<tr><th>source</th><td>")
        .link(&format!("/ui/lists/{}", url_part(&list)), &list);
    h.text(&format!(
        " version {} · record {}",
        prov.and_then(|p| p.version.as_deref()).unwrap_or("?"),
        prov.map(|p| p.record_id.as_str()).unwrap_or("?")
    ));
    h.raw("</td></tr>");
    if let Some(d) = engine.dates(&entity.id) {
        h.raw("<tr><th>first seen</th>")
            .el("td", &d.first_seen)
            .raw("</tr><tr><th>last change</th>")
            .el("td", &d.last_change)
            .raw("</tr>");
    }
    h.raw("</tbody></table></section><section id=\"properties\"><h2>All properties</h2><table><tbody>");
    for (prop, values) in &entity.properties {
        h.raw("<tr>")
            .el("th", prop)
            .el("td", &values.join("; "))
            .raw("</tr>");
    }
    h.raw("</tbody></table></section><section id=\"history\"><h2>History across versions of ")
        .text(&list)
        .raw("</h2>");
    entity_history(&mut h, state, &list, entity)?;
    h.raw("</section>");
    Ok(page(entity.caption(), h))
}

fn name_kind(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Primary => "name",
        NameKind::Alias => "alias",
        NameKind::Weak => "weak alias",
        NameKind::Previous => "former name",
    }
}

/// The entity in each stored version of its list, newest first: absent, added, changed
/// (which fields) or unchanged.
fn entity_history(
    h: &mut Html,
    state: &AppState,
    list: &str,
    entity: &Entity,
) -> Result<(), ApiError> {
    let mut versions = state.store.versions(list).map_err(store_error)?;
    versions.sort_unstable();
    let shown: Vec<u64> = versions
        .iter()
        .rev()
        .take(HISTORY_SHOWN + 1)
        .rev()
        .copied()
        .collect();
    let mut rows = Vec::new();
    let mut previous: Option<Option<Entity>> = None;
    for v in shown {
        let manifest = state.store.manifest(list, v).map_err(store_error)?;
        let record = state
            .store
            .load(list, v)
            .map_err(store_error)?
            .into_iter()
            .find(|e| e.id == entity.id);
        let status = match (&previous, &record) {
            (_, None) => "absent".to_string(),
            (None, Some(_)) => "present".to_string(),
            (Some(None), Some(_)) => "added".to_string(),
            (Some(Some(old)), Some(new)) => {
                let fields = changed_fields(old, new);
                if fields.is_empty() {
                    "unchanged".to_string()
                } else {
                    format!("changed: {}", fields.join(", "))
                }
            }
        };
        rows.push((v, manifest.imported_at, status));
        previous = Some(record);
    }
    h.raw("<table><thead><tr><th>version</th><th>imported</th><th>this entity</th></tr></thead><tbody>");
    for (v, at, status) in rows.iter().rev().take(HISTORY_SHOWN) {
        h.raw("<tr>")
            .el("td class=\"n\"", &v.to_string())
            .el("td", at)
            .el("td", status)
            .raw("</tr>");
    }
    h.raw("</tbody></table>");
    Ok(())
}

/// The properties (and schema, datasets) in which two records differ.
fn changed_fields(old: &Entity, new: &Entity) -> Vec<String> {
    let mut fields: Vec<String> = old
        .properties
        .keys()
        .chain(new.properties.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|k| old.properties.get(*k) != new.properties.get(*k))
        .cloned()
        .collect();
    if old.schema != new.schema {
        fields.insert(0, "schema".to_string());
    }
    fields
}

/// `/ui/lists/{name}`: versions, sizes chart and a diff (`?from=&to=`, default previous to current).
async fn list_page(
    State(state): State<AppState>,
    Path(name): Path<String>,
    params: Params,
) -> Response {
    render(
        state
            .blocking(move |state| list_view(&state, &name, &params))
            .await,
    )
}

fn list_view(state: &AppState, name: &str, params: &Params) -> Result<Response, ApiError> {
    let mut versions = state.store.versions(name).map_err(store_error)?;
    if versions.is_empty() {
        return Err(ApiError::new(
            ErrorCode::UnknownList,
            format!("no list {name:?} in the store"),
        ));
    }
    versions.sort_unstable();
    let manifests = versions
        .iter()
        .rev()
        .take(HISTORY_SHOWN)
        .rev()
        .map(|v| state.store.manifest(name, *v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(store_error)?;
    let current = state.store.current_version(name).map_err(store_error)?;
    let mut h = Html::default();
    h.raw("<h1>").text(name).raw("</h1><section id=\"versions\"><h2>Versions</h2><table><thead><tr><th>version</th><th>imported</th><th>entities</th><th>format</th><th>content hash</th><th></th></tr></thead><tbody>");
    for m in manifests.iter().rev() {
        h.raw("<tr>")
            .el("td class=\"n\"", &m.version.to_string())
            .el("td", &m.imported_at)
            .el("td class=\"n\"", &m.entities.to_string())
            .el("td", &m.format);
        h.raw("<td><code>")
            .text(m.hash.get(..12).unwrap_or(&m.hash))
            .raw("</code></td><td>");
        if Some(m.version) == current {
            h.raw("current");
        }
        h.raw("</td></tr>");
    }
    h.raw("</tbody></table><div class=\"chart\"><canvas id=\"chart-versions\" data-chart=\"line\" aria-label=\"Entities by version\"></canvas></div>");
    h.json_data(
        "chart-versions-data",
        &json!({
            "labels": manifests.iter().map(|m| format!("v{}", m.version)).collect::<Vec<_>>(),
            "datasets": [{"label": "entities", "data": manifests.iter().map(|m| m.entities).collect::<Vec<_>>()}],
        }),
    );
    h.raw("</section><section id=\"diff\"><h2>Diff</h2>");
    let from = params.number::<u64>("from")?;
    let to = params.number::<u64>("to")?;
    if versions.len() < 2 && from.is_none() {
        h.raw("<p class=\"muted\">Only one version: nothing to compare.</p>");
    } else {
        let diff = state.store.diff(name, from, to).map_err(store_error)?;
        h.el(
            "p",
            &format!(
                "version {} to {}: {} added, {} removed, {} changed",
                diff.from,
                diff.to,
                diff.added.len(),
                diff.removed.len(),
                diff.changed.len()
            ),
        );
        let changed: Vec<String> = diff.changed.iter().map(|c| c.id.clone()).collect();
        for (title, ids) in [
            ("added", &diff.added),
            ("removed", &diff.removed),
            ("changed", &changed),
        ] {
            h.el("h3", title).raw("<ul class=\"ids\">");
            for id in ids.iter().take(DIFF_SHOWN) {
                h.raw("<li>")
                    .link(&format!("/ui/entities/{}", url_part(id)), id)
                    .raw("</li>");
            }
            h.raw("</ul>");
        }
    }
    h.raw("</section>");
    Ok(page(name, h))
}

/// `/ui/goods?code=`: a tariff code on the CHPL and the watch list.
async fn goods_page(State(state): State<AppState>, params: Params) -> Response {
    let code = params.get("code").unwrap_or_default().trim().to_string();
    let mut h = Html::default();
    h.raw("<h1>Goods lookup</h1><section>");
    goods_form(&mut h, &code);
    h.raw("</section>");
    if !code.is_empty() {
        h.raw("<section id=\"lookup\">");
        match state.goods.lookup(&code, HsVersion::Hs2022) {
            Err(e) => {
                h.raw("<p class=\"match\">")
                    .text(&e.to_string())
                    .raw("</p>");
            }
            Ok(l) => {
                h.raw("<table><tbody><tr><th>code</th>")
                    .el("td", &l.code)
                    .raw("</tr><tr><th>HS-6</th>")
                    .el("td", l.hs6.as_deref().unwrap_or("-"))
                    .raw("</tr>");
                h.raw("<tr><th>CHPL tier</th>").el(
                    "td",
                    &match l.chpl_tier {
                        Some(t) => format!(
                            "{t}{} — {}",
                            if l.partial { " (partly)" } else { "" },
                            l.tier_meaning.unwrap_or("")
                        ),
                        None => "not on the CHPL".to_string(),
                    },
                );
                h.raw("</tr><tr><th>CHPL version</th>")
                    .el("td", l.chpl_version)
                    .raw("</tr>");
                if let Some(w) = &l.watch {
                    h.raw("<tr><th>watch list</th>")
                        .el("td", &format!("{} — {}: {}", w.id, w.name, w.reason))
                        .raw("</tr>");
                }
                h.raw("</tbody></table>");
            }
        }
        h.raw("</section>");
    }
    page("Goods", h)
}

/// `/assets/{file}`: an embedded file.
async fn asset(Path(file): Path<String>) -> Response {
    match Assets::get(&file) {
        Some(content) => (
            [
                (
                    header::CONTENT_TYPE,
                    content.metadata.mimetype().to_string(),
                ),
                (header::CACHE_CONTROL, "public, max-age=3600".to_string()),
            ],
            content.data.into_owned(),
        )
            .into_response(),
        None => ApiError::new(ErrorCode::NotFound, "no such asset").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_library_and_its_licence_are_embedded() {
        let chart = Assets::get("chart.umd.min.js").expect("chart.js");
        assert!(chart.data.starts_with(b"/*!\n * Chart.js v4"));
        assert!(Assets::get("chart.js.LICENSE.md").is_some());
        assert_eq!(
            Assets::get("dashboard.js").expect("js").metadata.mimetype(),
            "text/javascript"
        );
    }
}
