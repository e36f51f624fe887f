//! The dashboard's Risk page (`/ui/risk`): the data directory's latest `dualtrace risk` run,
//! from its record ([`crate::risk::latest`]): what was assessed against what (input hash, list
//! versions, CHPL version, thresholds, decisions in force), lines by level (a chart), the
//! highest-ranked flagged lines with every reason, and the flagged parties. Without a recorded
//! run the page says how to make one.

use crate::dashboard::{page, render};
use crate::html::Html;
use crate::risk::{NO_RISK_RUN, latest};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use dualtrace_risk::Level;
use dualtrace_risk::audit::Audit;
use dualtrace_risk::latest::{RunSummary, TopLine, TopParty};
use serde_json::json;

/// Lines and parties shown.
const SHOWN: usize = 50;

/// `/ui/risk`.
pub async fn risk_page(State(state): State<AppState>) -> Response {
    render(state.blocking(|state| latest(&state)).await.map(|run| {
        let mut h = Html::default();
        h.raw("<h1>Latest risk run</h1>");
        match run {
            None => {
                h.raw("<section id=\"no-risk-run\"><h2>No risk run yet</h2><p>")
                    .text(NO_RISK_RUN)
                    .raw(".</p><p>For example, on synthetic lines: <code>dualtrace gen shipments --rows 1000 --out shipments.csv</code> then <code>dualtrace --data-dir DATA risk --input shipments.csv --output risk-report</code>. Then reload this page.</p></section>");
            }
            Some(run) => summary(&mut h, &run),
        }
        page("Risk", h)
    }))
}

/// `2 high, 1 medium, 3 low, 6 none`.
pub(crate) fn level_counts(h: &mut Html, audit: &Audit) {
    let parts: Vec<String> = Level::ALL
        .iter()
        .map(|l| {
            let n = audit.counts.by_level.get(l.as_str()).copied().unwrap_or(0);
            format!("{n} {}", l.as_str())
        })
        .collect();
    h.text(&parts.join(", "));
}

fn summary(h: &mut Html, run: &RunSummary) {
    let a = &run.audit;
    h.raw("<section id=\"run\"><h2>The run</h2><table><tbody>");
    let rows = [
        ("input", a.input.path.clone()),
        ("input SHA-256", a.input.sha256.clone()),
        ("lines", a.input.rows.to_string()),
        ("started", a.started_at.clone()),
        ("finished", a.finished_at.clone()),
        ("engine", format!("{} {}", a.engine.name, a.engine.version)),
        (
            "CHPL",
            format!(
                "version {} ({} codes)",
                a.goods.chpl_version, a.goods.chpl_codes
            ),
        ),
        (
            "thresholds",
            format!(
                "high ≥ {}, medium ≥ {}; party matches ≥ {}",
                a.config.levels.high, a.config.levels.medium, a.config.screen_threshold
            ),
        ),
        (
            "analysts' decisions",
            format!("{} false positives in force", a.decisions.false_positives),
        ),
        (
            "report folder",
            run.report_dir.clone().unwrap_or_else(|| "-".to_string()),
        ),
    ];
    for (label, value) in &rows {
        h.raw("<tr>").el("th", label).el("td", value).raw("</tr>");
    }
    h.raw("</tbody></table></section><section id=\"levels\"><h2>Lines by level</h2><p class=\"counts\">");
    level_counts(h, a);
    h.text(&format!(
        "; {} of {} parties on flagged lines; {} suppressed hits; {} unreadable tariff codes",
        a.counts.parties_flagged, a.counts.parties, a.counts.suppressed_hits, a.counts.goods_errors
    ));
    h.raw("</p><div class=\"chart small\"><canvas id=\"chart-levels\" data-chart=\"bar\" aria-label=\"Lines by level\"></canvas></div>");
    let levels: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
    h.json_data(
        "chart-levels-data",
        &json!({
            "labels": levels,
            "datasets": [{
                "label": "lines",
                "data": levels.iter().map(|l| a.counts.by_level.get(*l).copied().unwrap_or(0)).collect::<Vec<_>>(),
            }],
        }),
    );
    let kinds: Vec<String> = a
        .counts
        .flags_by_kind
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    h.el("p", &format!("Flags by kind: {}", kinds.join(", ")));
    h.raw("</section>");
    lines_table(h, &run.top_lines);
    parties_table(h, &run.top_parties);
    lists_table(h, a);
}

fn lines_table(h: &mut Html, lines: &[TopLine]) {
    h.raw("<section id=\"top-lines\"><h2>Highest-ranked flagged lines</h2>");
    if lines.is_empty() {
        h.raw("<p>No line has a flag.</p></section>");
        return;
    }
    h.raw("<table class=\"lines\"><thead><tr><th>rank</th><th>line</th><th>score</th><th>level</th><th>date</th><th>consignor</th><th>consignee</th><th>route</th><th>HS code</th><th>tier</th><th>value</th><th>reasons</th></tr></thead><tbody>");
    for l in lines.iter().take(SHOWN) {
        h.raw("<tr class=\"line\">")
            .el("td class=\"n\"", &l.rank.to_string())
            .el("td class=\"n\"", &l.line.to_string())
            .el("td class=\"n\"", &format!("{:.0}", l.score))
            .el("td", &l.level)
            .el("td", &l.date)
            .el("td", &party(&l.consignor, l.consignor_country.as_deref()))
            .el("td", &party(&l.consignee, l.consignee_country.as_deref()))
            .el("td", &l.route)
            .el("td", &l.hs_code)
            .el("td", l.chpl_tier.as_deref().unwrap_or("-"))
            .el(
                "td class=\"n\"",
                &l.value
                    .map_or_else(String::new, |v| format!("{v} {}", l.currency)),
            );
        h.raw("<td><ul class=\"why\">");
        for f in &l.flags {
            h.raw("<li><strong>")
                .text(&f.kind)
                .raw("</strong> ")
                .text(&format!("+{} {}", f.points, f.detail))
                .raw("</li>");
        }
        h.raw("</ul></td></tr>");
    }
    h.raw("</tbody></table></section>");
}

fn party(name: &str, country: Option<&str>) -> String {
    match country {
        Some(c) => format!("{name} ({c})"),
        None => name.to_string(),
    }
}

fn parties_table(h: &mut Html, parties: &[TopParty]) {
    h.raw("<section id=\"top-parties\"><h2>Flagged parties</h2>");
    if parties.is_empty() {
        h.raw("<p>No party is on a flagged line.</p></section>");
        return;
    }
    h.raw("<table class=\"parties\"><thead><tr><th>rank</th><th>party</th><th>id</th><th>roles</th><th>lines (flagged)</th><th>score</th><th>level</th><th>listed entities</th><th>reasons</th></tr></thead><tbody>");
    for p in parties.iter().take(SHOWN) {
        h.raw("<tr class=\"party\">")
            .el("td class=\"n\"", &p.rank.to_string())
            .el("td", &party(&p.name, p.country.as_deref()))
            .el("td", &p.id)
            .el("td", &p.roles.join(", "))
            .el(
                "td class=\"n\"",
                &format!("{} ({})", p.lines, p.flagged_lines),
            )
            .el("td class=\"n\"", &format!("{:.0}", p.score))
            .el("td", &p.level)
            .el("td", &p.listed_entities.join("; "));
        h.raw("<td><ul class=\"why\">");
        for reason in &p.reasons {
            h.el("li", reason);
        }
        h.raw("</ul></td></tr>");
    }
    h.raw("</tbody></table></section>");
}

fn lists_table(h: &mut Html, a: &Audit) {
    h.raw("<section id=\"run-lists\"><h2>List versions screened against</h2>");
    if let Some(filter) = &a.list_filter {
        h.el("p", &format!("Restricted to: {}", filter.join(", ")));
    }
    h.raw("<table><thead><tr><th>list</th><th>version</th><th>entities</th><th>format</th><th>content hash</th><th>imported</th></tr></thead><tbody>");
    for l in &a.lists {
        h.raw("<tr>")
            .el("td", &l.name)
            .el("td class=\"n\"", &l.version.to_string())
            .el("td class=\"n\"", &l.entities.to_string())
            .el("td", &l.format);
        h.raw("<td><code>")
            .text(l.hash.get(..12).unwrap_or(&l.hash))
            .raw("</code></td>")
            .el("td", &l.imported_at)
            .raw("</tr>");
    }
    h.raw("</tbody></table></section>");
}
