//! The outputs of a run: `lines.jsonl` (input order), `lines.csv` (ranked), `parties.csv`
//! (ranked), `audit.json` and the self-contained `report.html` ([`crate::html`]).
//!
//! Files are written to a temporary name and renamed into place, so a failed run never leaves
//! a half-written report that looks complete.

use crate::audit::Audit;
use crate::engine::{Assessment, LineRisk};
use crate::parties::Finding;
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
    let write = |path: &PathBuf, body: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| {
        write_atomic(path, body).map_err(|source| ReportError {
            file: path.clone(),
            source,
        })
    };
    write(&files.lines_jsonl, &|w| lines_jsonl(w, &assessment.lines))?;
    write(&files.lines_csv, &|w| {
        lines_csv(w, shipments, &assessment.lines)
    })?;
    write(&files.parties_csv, &|w| parties_csv(w, assessment))?;
    write(&files.audit, &|w| {
        serde_json::to_writer_pretty(&mut *w, audit).map_err(std::io::Error::other)?;
        writeln!(w)
    })?;
    let html = crate::html::render(shipments, assessment, audit);
    write(&files.html, &|w| w.write_all(html.as_bytes()))?;
    Ok(files)
}

/// Writes `path` all or nothing: through a buffered temporary file next to it (named after this
/// process, so two runs never share one), synced to disk, then renamed into place; the
/// temporary file is removed when anything fails.
pub(crate) fn write_atomic(
    path: &Path,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".partial-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = (|| {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        body(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
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
        let entities: Vec<String> = p.findings.iter().map(Finding::label).collect();
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
