//! `dualtrace eval`: the screening engine's quality on the labelled data of the shared folder.
//!
//! Every figure is measured here, on the files in `DUALTRACE_SHARED_DATA` (default
//! `../shared/data`), next to its target and the figure OpenSanctions' nomenklatura logic-v2
//! reached on the same files (FIELD.md), so a change to the matcher shows its effect at once.

use crate::progress::Spinner;
use crate::table::render;
use anyhow::{Context, Result, bail};
use clap::Args;
use dualtrace_lists::{Format, Input};
use dualtrace_matching::{Index, eval};
use dualtrace_model::Entity;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// How many rows of negatives_global.csv to screen (all 50,000 by default).
    #[arg(long, default_value_t = 50_000)]
    negatives: usize,
    /// The shared data folder.
    #[arg(long, env = "DUALTRACE_SHARED_DATA", default_value = "../shared/data")]
    data: PathBuf,
}

/// Parses shared list files in a format.
fn load(data: &Path, format: Format, rels: &[&str]) -> Result<Vec<Entity>> {
    let mut inputs = Vec::new();
    for rel in rels {
        inputs.push(Input::read(&data.join(rel))?);
    }
    Ok(format.parse(&inputs, format.default_list())?.entities)
}

/// Every list of the shared folder, loaded together (the negatives suite screens against all).
fn all_lists(data: &Path) -> Result<Vec<Entity>> {
    let mut all = load(data, Format::OfacSdnCsv, &["lists/ofac/sdn_2024-05-03.csv"])?;
    all.extend(load(
        data,
        Format::OfacConsCsv,
        &[
            "lists/ofac/cons_2025-12/cons_prim.csv",
            "lists/ofac/cons_2025-12/cons_add.csv",
            "lists/ofac/cons_2025-12/cons_alt.csv",
            "lists/ofac/cons_2025-12/cons_comments.csv",
        ],
    )?);
    all.extend(load(
        data,
        Format::UsCslCsv,
        &["lists/us_csl/consolidated_2022-05.csv.gz"],
    )?);
    all.extend(load(
        data,
        Format::UnXml,
        &["lists/un/UN_consolidated_2026-02-27.xml"],
    )?);
    all.extend(load(
        data,
        Format::UkCsv,
        &["lists/uk/UK_Sanctions_List_2025-08-11.csv"],
    )?);
    let eu_dir = data.join("lists/eu_annexes");
    let mut eu: Vec<String> = std::fs::read_dir(&eu_dir)
        .with_context(|| format!("reading {}", eu_dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".csv"))
        .map(|n| format!("lists/eu_annexes/{n}"))
        .collect();
    eu.sort();
    let eu: Vec<&str> = eu.iter().map(String::as_str).collect();
    all.extend(load(data, Format::EuAnnexCsv, &eu)?);
    all.extend(load(
        data,
        Format::JpMetiTxt,
        &[
            "lists/jp_meti/meti_ru_250912_list_russia_tokutei.pdf.txt",
            "lists/jp_meti/meti_ru_250912_list_daisangoku_tokutei.pdf.txt",
            "lists/jp_meti/meti_ru_list_belarus_tokutei.pdf.txt",
        ],
    )?);
    Ok(all)
}

/// One line of the result table.
struct Line {
    suite: &'static str,
    figure: String,
    target: &'static str,
    reference: &'static str,
    met: bool,
    detail: Value,
}

pub fn run(args: EvalArgs) -> Result<()> {
    let data = args.data.as_path();
    if !data.join("eval").is_dir() {
        bail!(
            "{}: no eval/ folder: set DUALTRACE_SHARED_DATA or --data to the shared data folder",
            data.display()
        );
    }
    let spinner = Spinner::start("pairs");
    let mut lines = Vec::new();

    let p = eval::pairs(
        &data.join("eval/pairs_dev.json"),
        dualtrace_matching::DEFAULT_THRESHOLD,
    )?;
    lines.push(Line {
        suite: "pairs_dev F1 / accuracy / negatives right @0.7",
        figure: format!("{:.3} / {:.3} / {:.3}", p.f1, p.accuracy, p.negatives_right),
        target: ">= 0.975 / >= 0.96",
        reference: "F1 0.971",
        met: p.f1 >= 0.975 && p.accuracy >= 0.96,
        detail: serde_json::to_value(&p)?,
    });

    spinner.step("logic-v2 cases");
    let c = eval::logic_cases(&data.join("eval/logic_v2_cases.json"))?;
    lines.push(Line {
        suite: "logic_v2_cases right",
        figure: format!("{} / {}", c.right, c.total),
        target: ">= 28",
        reference: "27 / 29",
        met: c.right >= 28,
        detail: serde_json::to_value(&c)?,
    });

    spinner.step("cross-script pairs");
    let x = eval::cross_script(&data.join("eval/cross_script_pairs.csv"))?;
    lines.push(Line {
        suite: "cross_script_pairs at their min score",
        figure: format!("{} / {}", x.right, x.total),
        target: ">= 18",
        reference: "-",
        met: x.right >= 18,
        detail: serde_json::to_value(&x)?,
    });

    spinner.step("Putin aliases against the SDN");
    let sdn = Index::build(load(
        data,
        Format::OfacSdnCsv,
        &["lists/ofac/sdn_2024-05-03.csv"],
    )?);
    let a = eval::aliases_first(&sdn, &data.join("eval/putin_names.txt"), "ofac-sdn-35096")?;
    lines.push(Line {
        suite: "putin_names: SDN entry first",
        figure: format!("{} / {}", a.right, a.total),
        target: ">= 76 of 80",
        reference: "-",
        met: a.right >= 76,
        detail: serde_json::to_value(&a)?,
    });

    spinner.step("UN positives");
    let un = Index::build(load(
        data,
        Format::UnXml,
        &["lists/un/UN_consolidated_2026-02-27.xml"],
    )?);
    let plain = eval::un_recall(&un, &data.join("eval/un_positives.csv"), None)?;
    lines.push(Line {
        suite: "un_positives recall (name + birth date)",
        figure: format!(
            "{:.2}% ({} / {}; candidates {:.2}%; {} no longer listed)",
            plain.recall * 100.0,
            plain.found,
            plain.total,
            plain.candidate_recall * 100.0,
            plain.not_listed.len()
        ),
        target: ">= 99.7%",
        reference: "99.7%",
        met: plain.recall >= 0.997,
        detail: serde_json::to_value(&plain)?,
    });
    let noisy = eval::un_recall(&un, &data.join("eval/un_positives.csv"), Some(42))?;
    lines.push(Line {
        suite: "un_positives recall with noise (seed 42)",
        figure: format!(
            "{:.2}% ({} / {}; candidates {:.2}%)",
            noisy.recall * 100.0,
            noisy.found,
            noisy.total,
            noisy.candidate_recall * 100.0
        ),
        target: ">= 98.5%",
        reference: "96.1%",
        met: noisy.recall >= 0.985,
        detail: serde_json::to_value(&noisy)?,
    });

    spinner.step("loading every list for the negatives");
    let all = Index::build(all_lists(data)?);
    spinner.step(format!(
        "screening negatives against {} entities",
        all.len()
    ));
    let n = eval::negatives(
        &all,
        &data.join("eval/negatives_global.csv"),
        args.negatives,
    )?;
    lines.push(Line {
        suite: "negatives_global alert rate (all lists)",
        figure: format!("{:.3}% ({} / {})", n.rate * 100.0, n.alerts, n.total),
        target: "<= 0.5%",
        reference: "0.02% (UN list only)",
        met: n.rate <= 0.005,
        detail: serde_json::to_value(&n)?,
    });
    drop(spinner);

    if args.json {
        let out: Vec<Value> = lines
            .iter()
            .map(|l| {
                json!({"suite": l.suite, "figure": l.figure, "target": l.target,
                       "logic_v2": l.reference, "met": l.met, "detail": l.detail})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        let rows: Vec<Vec<String>> = lines
            .iter()
            .map(|l| {
                vec![
                    l.suite.to_string(),
                    l.figure.clone(),
                    l.target.to_string(),
                    l.reference.to_string(),
                    if l.met { "yes" } else { "NO" }.to_string(),
                ]
            })
            .collect();
        print!(
            "{}",
            render(&["SUITE", "DUALTRACE", "TARGET", "LOGIC-V2", "MET"], &rows)
        );
    }
    Ok(())
}
