//! The self-contained HTML report: inline CSS, hand-drawn inline SVG bar charts, no script and
//! no external resource, so it opens offline and can be archived with the case file.
//!
//! Every text that comes from the data (party names, descriptions, list names, reasons) goes
//! through `escape`: a shipments file is outside input, and a party called
//! `<script>alert(1)</script>` must show as exactly that text.

use crate::audit::Audit;
use crate::engine::{Assessment, Level};
use crate::flag::FlagKind;
use crate::report::ranked;
use crate::shipments::Shipment;
use std::collections::BTreeMap;
use std::fmt::Write;

/// How many flagged lines and parties the report lists (the CSV files hold all).
const TOP_LINES: usize = 200;
const TOP_PARTIES: usize = 50;
const TOP_ROUTES: usize = 12;

/// Escapes text for HTML element content and quoted attribute values (`&`, `<`, `>`, `"`, `'`).
fn escape(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde}
.meta{color:#556;font-size:12px}.cards{display:flex;gap:12px;margin:12px 0}
.card{padding:10px 16px;border-radius:6px;background:#f3f4f8;min-width:90px}.card b{display:block;font-size:22px}
.high{color:#b00020}.medium{color:#b35c00}.low{color:#476a00}.none{color:#667}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border-bottom:1px solid #e3e5ee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f4f8;position:sticky;top:0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:flex;flex-wrap:wrap;gap:24px}figure{margin:0;flex:1 1 420px;max-width:620px}figcaption{font-weight:600;margin-bottom:4px}
svg text{font:12px system-ui,sans-serif;fill:#1d2330}ul.reasons{margin:0;padding-left:16px}code{font-size:11.5px}";

/// The whole page.
pub fn render(shipments: &[Shipment], a: &Assessment, audit: &Audit) -> String {
    let mut h = String::with_capacity(64 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    let _ = write!(
        h,
        "<title>dualtrace shipment risk: {}</title><style>{STYLE}</style></head><body>",
        escape(&audit.input.path)
    );
    header(&mut h, audit);
    levels(&mut h, audit);
    charts(&mut h, shipments, a);
    parties_table(&mut h, a);
    lines_table(&mut h, shipments, a);
    provenance(&mut h, audit);
    h.push_str("</body></html>\n");
    h
}

fn header(h: &mut String, audit: &Audit) {
    let _ = write!(
        h,
        "<h1>Shipment risk</h1><p class=\"meta\">input <code>{}</code> (SHA-256 <code>{}</code>), \
         {} lines; run {} to {}; {} {}; CHPL {}</p>",
        escape(&audit.input.path),
        escape(&audit.input.sha256),
        audit.input.rows,
        escape(&audit.started_at),
        escape(&audit.finished_at),
        audit.engine.name,
        audit.engine.version,
        escape(&audit.goods.chpl_version),
    );
}

fn levels(h: &mut String, audit: &Audit) {
    h.push_str("<div class=\"cards\">");
    for level in Level::ALL {
        let n = audit
            .counts
            .by_level
            .get(level.as_str())
            .copied()
            .unwrap_or(0);
        let _ = write!(
            h,
            "<div class=\"card {0}\"><b>{n}</b>{0}</div>",
            level.as_str()
        );
    }
    let _ = write!(
        h,
        "<div class=\"card\"><b>{}</b>parties</div><div class=\"card\"><b>{}</b>suppressed hits</div></div>",
        audit.counts.parties, audit.counts.suppressed_hits
    );
}

/// A horizontal bar chart as inline SVG: one labelled bar per item.
fn bar_chart(h: &mut String, id: &str, title: &str, items: &[(String, f64)], unit: &str) {
    let max = items.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let (label_w, bar_w, row_h) = (230.0, 260.0, 22.0);
    let height = row_h * items.len().max(1) as f64 + 8.0;
    let _ = write!(
        h,
        "<figure id=\"{id}\"><figcaption>{}</figcaption><svg role=\"img\" aria-label=\"{}\" \
         width=\"100%\" viewBox=\"0 0 {} {height}\" preserveAspectRatio=\"xMinYMin meet\">",
        escape(title),
        escape(title),
        label_w + bar_w + 110.0
    );
    if items.is_empty() {
        h.push_str("<text x=\"4\" y=\"16\">nothing to show</text>");
    }
    for (i, (label, value)) in items.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        let w = if max > 0.0 { value / max * bar_w } else { 0.0 };
        let short: String = label.chars().take(34).collect();
        let _ = write!(
            h,
            "<g><title>{}: {}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"#4a6fd1\"></rect>\
             <text x=\"{}\" y=\"{}\">{}{}</text></g>",
            escape(label),
            format_number(*value),
            label_w - 6.0,
            y + 14.0,
            escape(&short),
            label_w,
            row_h - 6.0,
            label_w + w + 6.0,
            y + 14.0,
            format_number(*value),
            escape(unit)
        );
    }
    h.push_str("</svg></figure>");
}

fn charts(h: &mut String, shipments: &[Shipment], a: &Assessment) {
    let mut by_kind: BTreeMap<FlagKind, f64> = FlagKind::ALL.iter().map(|k| (*k, 0.0)).collect();
    let mut by_route: BTreeMap<String, f64> = BTreeMap::new();
    let mut by_tier: BTreeMap<String, f64> = BTreeMap::new();
    for (l, s) in a.lines.iter().zip(shipments) {
        for f in &l.flags {
            *by_kind.entry(f.kind).or_default() += 1.0;
        }
        let value = s.value.unwrap_or(0.0);
        let currency = if s.currency.is_empty() {
            "?"
        } else {
            s.currency.as_str()
        };
        let tier = l
            .tier
            .map_or_else(|| "not CHPL".to_owned(), |t| format!("tier {t}"));
        *by_tier.entry(format!("{tier} ({currency})")).or_default() += value;
        if l.critical {
            *by_route
                .entry(format!("{} ({currency})", s.route_label()))
                .or_default() += value;
        }
    }
    let kinds: Vec<(String, f64)> = by_kind
        .into_iter()
        .map(|(k, n)| (k.as_str().to_owned(), n))
        .collect();
    let mut routes: Vec<(String, f64)> = by_route.into_iter().collect();
    routes.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    routes.truncate(TOP_ROUTES);
    let tiers: Vec<(String, f64)> = by_tier.into_iter().collect();
    h.push_str("<h2>Overview</h2><div class=\"charts\">");
    bar_chart(h, "chart-flags", "Flags by type", &kinds, "");
    bar_chart(
        h,
        "chart-routes",
        "Value of critical goods by route (top 12)",
        &routes,
        "",
    );
    bar_chart(h, "chart-tiers", "Value by CHPL tier", &tiers, "");
    h.push_str("</div>");
}

fn parties_table(h: &mut String, a: &Assessment) {
    h.push_str(
        "<h2>Top parties</h2><table id=\"parties\"><thead><tr><th>#</th><th>party</th><th>country</th>\
         <th>roles</th><th>lines</th><th>flagged</th><th>score</th><th>level</th><th>listed entities</th>\
         <th>reasons</th></tr></thead><tbody>",
    );
    for (i, p) in a
        .parties
        .iter()
        .filter(|p| p.flagged_lines > 0 || !p.findings.is_empty())
        .take(TOP_PARTIES)
        .enumerate()
    {
        let entities: Vec<String> = p
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{} {} <code>{}</code> [{} v{}] {:.2}{}",
                    f.kind.as_str(),
                    escape(&f.caption),
                    escape(&f.entity_id),
                    escape(f.list.as_deref().unwrap_or("?")),
                    escape(f.list_version.as_deref().unwrap_or("?")),
                    f.score,
                    f.suppressed.as_ref().map_or(String::new(), |s| format!(
                        " <em>suppressed: {} ({}, {})</em>",
                        escape(&s.reason),
                        escape(&s.who),
                        escape(&s.when)
                    ))
                )
            })
            .collect();
        let _ = write!(
            h,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"{lvl}\">{lvl}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            escape(&p.name),
            escape(p.country.as_deref().unwrap_or("")),
            escape(&p.roles.join(", ")),
            p.lines,
            p.flagged_lines,
            p.score,
            entities.join("<br>"),
            reasons(p.reasons.iter().take(4).map(String::as_str)),
            lvl = p.level.as_str(),
        );
    }
    h.push_str("</tbody></table>");
}

fn lines_table(h: &mut String, shipments: &[Shipment], a: &Assessment) {
    let _ = write!(
        h,
        "<h2>Flagged lines (top {TOP_LINES}, highest score first; all lines in lines.csv)</h2>\
         <table id=\"lines\"><thead><tr><th>#</th><th>row</th><th>line</th><th>score</th><th>level</th><th>date</th>\
         <th>consignor</th><th>consignee</th><th>route</th><th>HS</th><th>description</th><th>value</th>\
         <th>reasons</th></tr></thead><tbody>"
    );
    for (rank, at) in ranked(&a.lines)
        .into_iter()
        .filter(|at| !a.lines[*at].flags.is_empty())
        .take(TOP_LINES)
        .enumerate()
    {
        let (l, s) = (&a.lines[at], &shipments[at]);
        let _ = write!(
            h,
            "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"{lvl}\">{lvl}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"num\">{} {}</td><td>{}</td></tr>",
            rank + 1,
            l.row,
            s.line,
            l.score,
            escape(&s.date),
            escape(&s.consignor.name),
            escape(&s.consignee.name),
            escape(&s.route_label()),
            escape(&s.hs_code),
            escape(&s.description),
            s.value.map(format_number).unwrap_or_default(),
            escape(&s.currency),
            reasons(l.flags.iter().map(|f| &*f.detail)),
            lvl = l.level.as_str(),
        );
    }
    h.push_str("</tbody></table>");
}

fn provenance(h: &mut String, audit: &Audit) {
    h.push_str(
        "<h2>Lists and settings</h2><table id=\"lists\"><thead><tr><th>list</th><th>version</th>\
         <th>content hash</th><th>entities</th><th>format</th><th>imported</th></tr></thead><tbody>",
    );
    for l in &audit.lists {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&l.name),
            l.version,
            escape(&l.hash),
            l.entities,
            escape(&l.format),
            escape(&l.imported_at)
        );
    }
    let c = &audit.config;
    let _ = write!(
        h,
        "</tbody></table><p class=\"meta\">levels: high &ge; {}, medium &ge; {}; screening threshold {}; \
         {} analysts' false-positive decisions in force; full record in audit.json.</p>",
        c.levels.high, c.levels.medium, c.screen_threshold, audit.decisions.false_positives
    );
}

/// A list of reasons.
fn reasons<'r>(items: impl Iterator<Item = &'r str>) -> String {
    let mut out = String::from("<ul class=\"reasons\">");
    for r in items {
        let _ = write!(out, "<li>{}</li>", escape(r));
    }
    out.push_str("</ul>");
    out
}

/// A number with thousands separators, no decimals for large values.
fn format_number(v: f64) -> String {
    if v.fract() != 0.0 && v.abs() < 1000.0 {
        return format!("{v:.2}");
    }
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert(\"x\")</script> & 'y'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;y&#x27;"
        );
        assert_eq!(format_number(1234567.0), "1,234,567");
        assert_eq!(format_number(12.5), "12.50");
    }
}
