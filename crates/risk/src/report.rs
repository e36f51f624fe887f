//! The outputs of a run: `lines.jsonl` (input order), `lines.csv` (ranked), `parties.csv`
//! (ranked), `audit.json` and the self-contained `report.html` ([`crate::html`]).
//!
//! Files are written to a temporary name and renamed into place, so a failed run never leaves
//! a half-written report that looks complete.

use crate::audit::Audit;
use crate::engine::{Assessment, LineRisk};
use crate::shipments::Shipment;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A report file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("writing {}: {source}", file.display())]
pub struct ReportError {
    /// The file.
    pub file: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

/// The files of a report folder.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFiles {
    /// `lines.jsonl`.
    pub lines_jsonl: PathBuf,
    /// `lines.csv`.
    pub lines_csv: PathBuf,
    /// `parties.csv`.
    pub parties_csv: PathBuf,
    /// `audit.json`.
    pub audit: PathBuf,
    /// `report.html`.
    pub html: PathBuf,
}

/// Line positions ranked by score (highest first), ties in input order.
pub fn ranked(lines: &[LineRisk]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|a, b| lines[*b].score.total_cmp(&lines[*a].score).then(a.cmp(b)));
    order
}

/// Writes every report file into `dir` (created if needed).
pub fn write_report(
    dir: &Path,
    shipments: &[Shipment],
    assessment: &Assessment,
    audit: &Audit,
) -> Result<ReportFiles, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError {
        file: dir.to_owned(),
        source,
    })?;
    let files = ReportFiles {
        lines_jsonl: dir.join("lines.jsonl"),
        lines_csv: dir.join("lines.csv"),
        parties_csv: dir.join("parties.csv"),
        audit: dir.join("audit.json"),
        html: dir.join("report.html"),
    };
    write_atomic(&files.lines_jsonl, |w| lines_jsonl(w, &assessment.lines))?;
    write_atomic(&files.lines_csv, |w| {
        lines_csv(w, shipments, &assessment.lines)
    })?;
    write_atomic(&files.parties_csv, |w| parties_csv(w, assessment))?;
    write_atomic(&files.audit, |w| {
        serde_json::to_writer_pretty(&mut *w, audit).map_err(std::io::Error::other)?;
        writeln!(w)
    })?;
    let html = crate::html::render(shipments, assessment, audit);
    write_atomic(&files.html, |w| w.write_all(html.as_bytes()))?;
    Ok(files)
}

/// Writes through a buffered temporary file, then renames it into place.
fn write_atomic(
    path: &Path,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ReportError> {
    let err = |source| ReportError {
        file: path.to_owned(),
        source,
    };
    let tmp = path.with_extension("partial");
    let file = std::fs::File::create(&tmp).map_err(err)?;
    let mut w = std::io::BufWriter::new(file);
    body(&mut w).map_err(err)?;
    w.flush().map_err(err)?;
    drop(w);
    std::fs::rename(&tmp, path).map_err(err)
}

/// One JSON object per input row, in input order.
pub fn lines_jsonl(w: &mut dyn Write, lines: &[LineRisk]) -> std::io::Result<()> {
    for line in lines {
        serde_json::to_writer(&mut *w, line).map_err(std::io::Error::other)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// The ranked lines as CSV.
pub fn lines_csv(
    w: &mut dyn Write,
    shipments: &[Shipment],
    lines: &[LineRisk],
) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "rank",
        "row",
        "line",
        "score",
        "level",
        "date",
        "consignor",
        "consignor_country",
        "consignee",
        "consignee_country",
        "route",
        "hs_code",
        "chpl_tier",
        "value",
        "currency",
        "flags",
        "reasons",
    ])?;
    for (rank, at) in ranked(lines).into_iter().enumerate() {
        let (l, s) = (&lines[at], &shipments[at]);
        let kinds: Vec<&str> = l.flags.iter().map(|f| f.kind.as_str()).collect();
        let reasons: Vec<&str> = l.flags.iter().map(|f| &*f.detail).collect();
        out.write_record([
            (rank + 1).to_string(),
            l.row.to_string(),
            s.line.to_string(),
            l.score.to_string(),
            l.level.as_str().to_owned(),
            s.date.clone(),
            s.consignor.name.clone(),
            s.consignor.country.clone().unwrap_or_default(),
            s.consignee.name.clone(),
            s.consignee.country.clone().unwrap_or_default(),
            s.route_label(),
            s.hs_code.clone(),
            l.tier.map(|t| t.as_str().to_owned()).unwrap_or_default(),
            s.value.map(|v| v.to_string()).unwrap_or_default(),
            s.currency.clone(),
            kinds.join(";"),
            reasons.join(" | "),
        ])?;
    }
    out.flush()
}

/// The ranked parties as CSV.
pub fn parties_csv(w: &mut dyn Write, a: &Assessment) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "rank",
        "name",
        "country",
        "id",
        "roles",
        "lines",
        "flagged_lines",
        "score",
        "level",
        "listed_entities",
        "reasons",
    ])?;
    for (rank, p) in a.parties.iter().enumerate() {
        let entities: Vec<String> = p
            .findings
            .iter()
            .map(|f| {
                format!(
                    "{} {} [{}]{}",
                    f.kind.as_str(),
                    f.entity_id,
                    f.list.as_deref().unwrap_or("?"),
                    if f.suppressed.is_some() {
                        " (suppressed)"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        out.write_record([
            (rank + 1).to_string(),
            p.name.clone(),
            p.country.clone().unwrap_or_default(),
            p.id.clone(),
            p.roles.join(";"),
            p.lines.to_string(),
            p.flagged_lines.to_string(),
            p.score.to_string(),
            p.level.as_str().to_owned(),
            entities.join("; "),
            p.reasons.join(" | "),
        ])?;
    }
    out.flush()
}
