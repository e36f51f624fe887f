//! Runs of rows with equal group keys, summed before the hash aggregation.
//!
//! Each year's file of the dataset is sorted by reporter, partner, flow and goods code
//! ([`crate::dataset`]), and the reports group a scan's rows by some of those columns, so the
//! rows of one group mostly arrive one after the other. DataFusion's hash aggregation does not
//! know that: it hashes and compares the keys of every row. For mirror gaps over the benchmark's
//! 100 million rows, the aggregations of the two BACI years (11.25 M rows each into 62 K groups,
//! some 180 rows per group) were about 60% of the query's CPU (`EXPLAIN ANALYZE`,
//! BENCHMARKS.md).
//!
//! [`RunSums`] is a physical optimizer rule that puts a [`RunSumExec`] between a scan and each
//! aggregation that reads it raw and only sums float columns. [`RunSumExec`] collapses each run
//! of consecutive rows equal in every column the groups depend on (its keys) into one row that
//! holds the run's sums, so the aggregation hashes one row per run instead of one per row.
//! (ClickHouse calls the idea "aggregation in order"; DataFusion has a sorted mode, but it
//! still interns every row.)
//!
//! The results are DataFusion's own. A sum is a sum of its runs' sums, and a null run (every
//! value null) stays null. Each run is summed in row order starting from 0.0, as DataFusion's
//! `SUM` does, and a run is carried over from one batch to the next, so where each group is one
//! run within a partition (sorted input) every figure is bit for bit the one the aggregation
//! alone would give; where a group is split into several runs the float additions are grouped
//! differently, as they are between DataFusion's own plans of one query. A batch whose runs are
//! short (rows not sorted by the keys) passes through as it is, and so do the next few batches
//! unchecked.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, RecordBatch, UInt64Array};
use datafusion::arrow::compute::kernels::cmp::distinct;
use datafusion::arrow::compute::{concat_batches, partition, take_record_batch};
use datafusion::arrow::datatypes::{DataType, Float64Type, SchemaRef};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::datasource::source::DataSourceExec;
use datafusion::execution::{RecordBatchStream, SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_expr::expressions::Column;
use datafusion::physical_expr::utils::collect_columns;
use datafusion::physical_expr_common::physical_expr::is_volatile;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::aggregates::{AggregateExec, AggregateMode};
use datafusion::physical_plan::filter::FilterExec;
use datafusion::physical_plan::metrics::{BaselineMetrics, ExecutionPlanMetricsSet, MetricsSet};
use datafusion::physical_plan::projection::ProjectionExec;
use datafusion::physical_plan::union::UnionExec;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties, replace_children_if_necessary,
};
use futures::{Stream, StreamExt};

/// The shortest average run worth collapsing: a batch with shorter runs passes through as it is.
const MIN_AVERAGE_RUN: usize = 4;

/// The fewest rows of a batch that may pass through: a shorter one is collapsed whatever its
/// runs (too few rows to judge them by, too few to cost much).
const MIN_CHECKED_ROWS: usize = 1024;

/// Batches passed through unchecked after one whose runs were too short (checking a batch for
/// runs costs a comparison of its keys row by row), before the next is checked again.
const UNCHECKED_BATCHES: u32 = 15;

/// The physical optimizer rule that sums runs of equal keys before an aggregation (module docs).
#[derive(Debug, Default)]
pub struct RunSums;

impl PhysicalOptimizerRule for RunSums {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| match with_run_sums(&node)? {
            Some(node) => Ok(Transformed::yes(node)),
            None => Ok(Transformed::no(node)),
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "dualtrace_run_sums"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// `node` with a [`RunSumExec`] under it, when it is an aggregation of raw scanned rows by plain
/// columns whose every aggregate is a plain `SUM` of a float column.
fn with_run_sums(
    node: &Arc<dyn ExecutionPlan>,
) -> datafusion::common::Result<Option<Arc<dyn ExecutionPlan>>> {
    let Some(aggregation) = node.downcast_ref::<AggregateExec>() else {
        return Ok(None);
    };
    let input = aggregation.input();
    let raw_input = matches!(
        aggregation.mode(),
        AggregateMode::Partial | AggregateMode::Single | AggregateMode::SinglePartitioned
    );
    if !raw_input || !reads_scan(input) {
        return Ok(None);
    }
    let Some((keys, sums)) = keys_and_sums(aggregation) else {
        return Ok(None);
    };
    let runs: Arc<dyn ExecutionPlan> = Arc::new(RunSumExec::new(Arc::clone(input), keys, sums));
    replace_children_if_necessary(Arc::clone(node), vec![runs]).map(Some)
}

/// Whether `plan` is a scan, possibly under filters, projections and unions of scans (which
/// keep the order of the rows within a partition).
fn reads_scan(plan: &Arc<dyn ExecutionPlan>) -> bool {
    if plan.is::<DataSourceExec>() {
        return true;
    }
    if plan.is::<UnionExec>() {
        return plan.children().into_iter().all(reads_scan);
    }
    let passes_rows = plan.is::<FilterExec>() || plan.is::<ProjectionExec>();
    match plan.children().as_slice() {
        [child] if passes_rows => reads_scan(child),
        _ => false,
    }
}

/// The input columns an aggregation's groups depend on (rows equal in them are in one group)
/// and the columns it sums, when every aggregate is a plain `SUM` of a `Float64` column that no
/// group depends on, and no group expression is volatile (`random()`).
fn keys_and_sums(aggregation: &AggregateExec) -> Option<(Vec<usize>, Vec<usize>)> {
    let group_by = aggregation.group_expr();
    if !group_by.is_single() || group_by.expr().iter().any(|(e, _)| is_volatile(e)) {
        return None;
    }
    let mut keys: Vec<usize> = group_by
        .expr()
        .iter()
        .flat_map(|(expr, _)| collect_columns(expr))
        .map(|column| column.index())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return None;
    }
    if aggregation.filter_expr().iter().any(Option::is_some) {
        return None;
    }
    let schema = aggregation.input().schema();
    let mut sums = Vec::new();
    for aggregate in aggregation.aggr_expr() {
        let plain_sum = aggregate.fun().name() == "sum"
            && !aggregate.is_distinct()
            && aggregate.order_bys().is_empty();
        let [argument] = aggregate.expressions().try_into().ok()?;
        let column = column_index(&argument)?;
        let float = schema.field(column).data_type() == &DataType::Float64;
        if !plain_sum || !float || keys.contains(&column) {
            return None;
        }
        if !sums.contains(&column) {
            sums.push(column);
        }
    }
    (!sums.is_empty()).then_some((keys, sums))
}

/// The index of a column expression.
fn column_index(expr: &Arc<dyn PhysicalExpr>) -> Option<usize> {
    expr.downcast_ref::<Column>().map(Column::index)
}

/// Collapses each run of consecutive rows with equal `keys` into one row holding the run's sums
/// of the `sums` columns (module docs). Its output has the input's schema; the other columns
/// hold a run's first value, which the aggregation above does not read.
#[derive(Debug)]
pub struct RunSumExec {
    input: Arc<dyn ExecutionPlan>,
    keys: Vec<usize>,
    sums: Vec<usize>,
    properties: Arc<PlanProperties>,
    metrics: ExecutionPlanMetricsSet,
}

impl RunSumExec {
    /// Sums the `sums` columns of `input` over runs of equal `keys` (column indexes of the
    /// input; each `sums` column must be `Float64`).
    pub fn new(input: Arc<dyn ExecutionPlan>, keys: Vec<usize>, sums: Vec<usize>) -> RunSumExec {
        // Rows keep their order, partitions their rows: the input's properties hold as they are.
        let properties = Arc::clone(input.properties());
        RunSumExec {
            input,
            keys,
            sums,
            properties,
            metrics: ExecutionPlanMetricsSet::new(),
        }
    }
}

impl DisplayAs for RunSumExec {
    fn fmt_as(&self, _format: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        let schema = self.input.schema();
        let names = |columns: &[usize]| {
            columns
                .iter()
                .map(|&c| schema.field(c).name().as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(
            f,
            "RunSumExec: keys=[{}], sums=[{}]",
            names(&self.keys),
            names(&self.sums)
        )
    }
}

impl ExecutionPlan for RunSumExec {
    fn name(&self) -> &str {
        "RunSumExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn maintains_input_order(&self) -> Vec<bool> {
        vec![true]
    }

    fn benefits_from_input_partitioning(&self) -> Vec<bool> {
        vec![false]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> datafusion::common::Result<TreeNodeRecursion>,
    ) -> datafusion::common::Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        let [input] = <[_; 1]>::try_from(children).map_err(|c| {
            datafusion::common::DataFusionError::Internal(format!(
                "RunSumExec takes one input, not {}",
                c.len()
            ))
        })?;
        Ok(Arc::new(RunSumExec::new(
            input,
            self.keys.clone(),
            self.sums.clone(),
        )))
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> datafusion::common::Result<SendableRecordBatchStream> {
        let input = self.input.execute(partition, context)?;
        Ok(Box::pin(RunSumStream {
            collapser: Collapser::new(self.keys.clone(), self.sums.clone()),
            input,
            pending: VecDeque::new(),
            done: false,
            metrics: BaselineMetrics::new(&self.metrics, partition),
        }))
    }

    fn metrics(&self) -> Option<MetricsSet> {
        Some(self.metrics.clone_inner())
    }
}

/// The batches of one partition, their runs collapsed.
struct RunSumStream {
    input: SendableRecordBatchStream,
    collapser: Collapser,
    /// Collapsed batches not yet handed on.
    pending: VecDeque<RecordBatch>,
    /// Whether the input has ended.
    done: bool,
    metrics: BaselineMetrics,
}

impl Stream for RunSumStream {
    type Item = datafusion::common::Result<RecordBatch>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(batch) = this.pending.pop_front() {
                this.metrics.record_output(batch.num_rows());
                return Poll::Ready(Some(Ok(batch)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let next = match this.input.poll_next_unpin(cx) {
                Poll::Ready(next) => next,
                Poll::Pending => return Poll::Pending,
            };
            let elapsed = this.metrics.elapsed_compute().clone();
            let timer = elapsed.timer();
            match next {
                Some(Ok(batch)) => match this.collapser.push(&batch) {
                    Ok(out) => this.pending.extend(out),
                    Err(e) => return Poll::Ready(Some(Err(e.into()))),
                },
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => {
                    this.done = true;
                    this.pending.extend(this.collapser.finish());
                }
            }
            timer.done();
        }
    }
}

impl RecordBatchStream for RunSumStream {
    fn schema(&self) -> SchemaRef {
        self.input.schema()
    }
}

/// The state of one partition's collapsing: the run still open at the end of the last batch,
/// and whether collapsing pays.
struct Collapser {
    keys: Vec<usize>,
    sums: Vec<usize>,
    /// The last run seen, as one row whose `sums` columns hold its sums so far: the next batch
    /// may continue it.
    open: Option<RecordBatch>,
    /// Batches to pass through as they are before checking one for runs again.
    unchecked: u32,
    /// Batches passed through so far.
    passed: usize,
}

/// An error of the arrow kernels, which only fail on malformed batches.
type ArrowResult<T> = std::result::Result<T, datafusion::arrow::error::ArrowError>;

impl Collapser {
    fn new(keys: Vec<usize>, sums: Vec<usize>) -> Collapser {
        Collapser {
            keys,
            sums,
            open: None,
            unchecked: 0,
            passed: 0,
        }
    }

    /// The batches to hand on after `batch`: its runs but the last, which stays open.
    fn push(&mut self, batch: &RecordBatch) -> ArrowResult<Vec<RecordBatch>> {
        if batch.num_rows() == 0 {
            return Ok(Vec::new());
        }
        if self.unchecked > 0 {
            self.unchecked -= 1;
            return Ok(self.pass(batch));
        }
        let keys: Vec<ArrayRef> = self
            .keys
            .iter()
            .map(|&k| Arc::clone(batch.column(k)))
            .collect();
        let runs = partition(&keys)?.ranges();
        let rows = batch.num_rows();
        if rows >= MIN_CHECKED_ROWS && runs.len() * MIN_AVERAGE_RUN > rows {
            self.unchecked = UNCHECKED_BATCHES;
            return Ok(self.pass(batch));
        }
        // The run left open by the last batch, and whether this one continues it.
        let open = self.open.take();
        let continued = match &open {
            Some(open) => self.same_keys(open, batch)?,
            None => false,
        };
        // One row per run (its first), then the runs' sums in place of the summed columns.
        let starts = UInt64Array::from_iter_values(runs.iter().map(|r| r.start as u64));
        let firsts = take_record_batch(batch, &starts)?;
        let mut columns = firsts.columns().to_vec();
        for &c in &self.sums {
            let start = open
                .as_ref()
                .filter(|_| continued)
                .and_then(|open| float_at(open.column(c), 0));
            let values = batch.column(c).as_primitive::<Float64Type>();
            columns[c] = Arc::new(run_sums(values, &runs, start));
        }
        let collapsed = RecordBatch::try_new(firsts.schema(), columns)?;
        let last = collapsed.num_rows() - 1;
        self.open = Some(collapsed.slice(last, 1));
        let done = collapsed.slice(0, last);
        let out = match open {
            Some(open) if !continued => concat_batches(&batch.schema(), [&open, &done])?,
            _ => done,
        };
        Ok(if out.num_rows() > 0 {
            vec![out]
        } else {
            Vec::new()
        })
    }

    /// `batch` as it is, after the open run.
    fn pass(&mut self, batch: &RecordBatch) -> Vec<RecordBatch> {
        self.passed += 1;
        self.open
            .take()
            .into_iter()
            .chain([batch.clone()])
            .collect()
    }

    /// The run still open at the end of the input.
    fn finish(&mut self) -> Option<RecordBatch> {
        self.open.take()
    }

    /// Whether the one-row `open` has the same keys as the first row of `batch`.
    fn same_keys(&self, open: &RecordBatch, batch: &RecordBatch) -> ArrowResult<bool> {
        for &k in &self.keys {
            if distinct(open.column(k), &batch.column(k).slice(0, 1))?.value(0) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// The value at `row` of a `Float64` column, `None` when null.
fn float_at(column: &ArrayRef, row: usize) -> Option<f64> {
    let values = column.as_primitive::<Float64Type>();
    values.is_valid(row).then(|| values.value(row))
}

/// The sum of `values` over each of `runs`, in row order from 0.0 (as DataFusion's `SUM`),
/// the first run continuing from `start`; null where a run has no value (and `start` is none).
fn run_sums(
    values: &Float64Array,
    runs: &[std::ops::Range<usize>],
    start: Option<f64>,
) -> Float64Array {
    let mut first = start;
    runs.iter()
        .map(|run| {
            let mut sum = first.take();
            if values.null_count() == 0 {
                let run_values = &values.values()[run.clone()];
                sum = Some(run_values.iter().fold(sum.unwrap_or(0.0), |s, v| s + v));
            } else {
                for i in run.clone() {
                    if values.is_valid(i) {
                        sum = Some(sum.unwrap_or(0.0) + values.value(i));
                    }
                }
            }
            sum
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use datafusion::arrow::array::StringArray;
    use datafusion::arrow::datatypes::{Field, Schema};
    use datafusion::datasource::MemTable;
    use datafusion::execution::SessionStateBuilder;
    use datafusion::physical_plan::displayable;
    use datafusion::prelude::{SessionConfig, SessionContext};
    use proptest::prelude::*;

    use super::*;

    /// Totals per key of `(key, value)` rows, summed in row order; values are small integers,
    /// so sums are exact in any grouping.
    type Totals = BTreeMap<(String, String), Option<f64>>;

    fn schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("reporter", DataType::Utf8, true),
            Field::new("partner", DataType::Utf8, true),
            Field::new("note", DataType::Utf8, true),
            Field::new("value", DataType::Float64, true),
        ]))
    }

    /// A batch of rows `(reporter, partner, value)`.
    fn batch(rows: &[(&str, &str, Option<f64>)]) -> RecordBatch {
        RecordBatch::try_new(
            schema(),
            vec![
                Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.0))),
                Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.1))),
                Arc::new(StringArray::from_iter_values(rows.iter().map(|_| "first"))),
                Arc::new(Float64Array::from_iter(rows.iter().map(|r| r.2))),
            ],
        )
        .expect("valid batch")
    }

    /// The rows of batches as `(reporter, partner, value)`.
    fn rows_of(batches: &[RecordBatch]) -> Vec<(String, String, Option<f64>)> {
        let mut rows = Vec::new();
        for b in batches {
            let reporter = b.column(0).as_string::<i32>();
            let partner = b.column(1).as_string::<i32>();
            let value = b.column(3).as_primitive::<Float64Type>();
            for i in 0..b.num_rows() {
                let v = value.is_valid(i).then(|| value.value(i));
                rows.push((reporter.value(i).into(), partner.value(i).into(), v));
            }
        }
        rows
    }

    fn totals(rows: &[(String, String, Option<f64>)]) -> Totals {
        let mut totals = Totals::new();
        for (r, p, v) in rows {
            let total = totals.entry((r.clone(), p.clone())).or_insert(None);
            if let Some(v) = v {
                *total = Some(total.unwrap_or(0.0) + v);
            }
        }
        totals
    }

    /// All batches through a collapser on the keys reporter and partner, summing value.
    fn collapse(batches: &[RecordBatch]) -> (Vec<RecordBatch>, usize) {
        let mut collapser = Collapser::new(vec![0, 1], vec![3]);
        let mut out = Vec::new();
        for b in batches {
            out.extend(collapser.push(b).expect("collapses"));
        }
        out.extend(collapser.finish());
        (out, collapser.passed)
    }

    #[test]
    fn runs_are_summed_across_batches_and_nulls_stay_null() {
        let batches = [
            batch(&[
                ("CN", "RU", Some(1.0)),
                ("CN", "RU", Some(2.0)),
                ("CN", "KZ", None),
            ]),
            batch(&[
                ("CN", "KZ", None),
                ("CN", "KZ", Some(4.0)),
                ("TR", "RU", None),
            ]),
            batch(&[("TR", "RU", None)]),
            batch(&[]),
            batch(&[("TR", "RU", None), ("TR", "AM", Some(8.0))]),
        ];
        let (out, passed) = collapse(&batches);
        assert_eq!(passed, 0);
        let row = |r: &str, p: &str, v: Option<f64>| (r.to_string(), p.to_string(), v);
        assert_eq!(
            rows_of(&out),
            vec![
                row("CN", "RU", Some(3.0)),
                row("CN", "KZ", Some(4.0)),
                row("TR", "RU", None),
                row("TR", "AM", Some(8.0)),
            ]
        );
        // The other columns hold a run's first value; the schema is the input's.
        assert!(out.iter().all(|b| b.schema() == schema()));
        assert_eq!(out[0].column(2).as_string::<i32>().value(0), "first");
    }

    #[test]
    fn batches_of_short_runs_pass_through() {
        // Keys that change on every row: no run is worth collapsing.
        let names: Vec<String> = (0..MIN_CHECKED_ROWS).map(|i| format!("P{i}")).collect();
        let short: Vec<(&str, &str, Option<f64>)> = names
            .iter()
            .map(|p| ("CN", p.as_str(), Some(1.0)))
            .collect();
        let long = [("TR", "RU", Some(1.0)); MIN_CHECKED_ROWS];
        let mut batches = vec![batch(&long), batch(&short)];
        // The batches after a short-run one pass unchecked, then the next is collapsed again.
        let unchecked = usize::try_from(UNCHECKED_BATCHES).expect("small");
        batches.extend((0..unchecked).map(|_| batch(&long)));
        batches.push(batch(&long));
        let (out, passed) = collapse(&batches);
        assert_eq!(passed, 1 + unchecked);
        let sizes: Vec<usize> = out.iter().map(RecordBatch::num_rows).collect();
        // The open TR-RU run before the short batch, the short batch, the unchecked ones, and
        // the last one collapsed to the run left open at the end.
        let mut expected = vec![1, MIN_CHECKED_ROWS];
        expected.extend(std::iter::repeat_n(MIN_CHECKED_ROWS, unchecked));
        expected.push(1);
        assert_eq!(sizes, expected);
    }

    /// A batch of owned rows.
    fn owned_batch(rows: &[(String, String, Option<f64>)]) -> RecordBatch {
        let borrowed: Vec<(&str, &str, Option<f64>)> = rows
            .iter()
            .map(|(r, p, v)| (r.as_str(), p.as_str(), *v))
            .collect();
        batch(&borrowed)
    }

    proptest! {
        /// Whatever the order of the rows, the split into batches and the nulls, the totals per
        /// key of the collapsed rows are those of the rows.
        #[test]
        fn collapsed_rows_have_the_same_totals(
            rows in proptest::collection::vec(
                (0..3u8, 0..3u8, proptest::option::of(-50i32..50)), 0..200),
            sorted in any::<bool>(),
            cuts in proptest::collection::vec(0..200usize, 0..6),
        ) {
            let mut rows: Vec<(String, String, Option<f64>)> = rows
                .into_iter()
                .map(|(r, p, v)| (format!("R{r}"), format!("P{p}"), v.map(f64::from)))
                .collect();
            if sorted {
                rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
            }
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(rows.len())).collect();
            cuts.extend([0, rows.len()]);
            cuts.sort_unstable();
            let batches: Vec<RecordBatch> =
                cuts.windows(2).map(|w| owned_batch(&rows[w[0]..w[1]])).collect();
            let (out, _) = collapse(&batches);
            let collapsed = rows_of(&out);
            prop_assert_eq!(totals(&collapsed), totals(&rows));
            if sorted {
                // One row per group.
                prop_assert_eq!(collapsed.len(), totals(&rows).len());
            }
        }
    }

    /// A session with or without the rule, over one table of `rows`.
    async fn session(rows: &[(String, String, Option<f64>)], run_sums: bool) -> SessionContext {
        let mut builder = SessionStateBuilder::new()
            .with_config(SessionConfig::new().with_target_partitions(2))
            .with_default_features();
        if run_sums {
            builder = builder.with_physical_optimizer_rule(Arc::new(RunSums));
        }
        let ctx = SessionContext::new_with_state(builder.build());
        // Two partitions of 80 rows (two groups each), in batches of 7 rows.
        let parts = rows
            .chunks(80)
            .map(|part| part.chunks(7).map(owned_batch).collect())
            .collect();
        let table = MemTable::try_new(schema(), parts).expect("table");
        ctx.register_table("flows", Arc::new(table))
            .expect("registered");
        ctx
    }

    async fn plan_of(ctx: &SessionContext, sql: &str) -> datafusion::common::Result<String> {
        let physical = ctx.sql(sql).await?.create_physical_plan().await?;
        Ok(displayable(physical.as_ref()).indent(false).to_string())
    }

    async fn rows_of_sql(
        ctx: &SessionContext,
        sql: &str,
    ) -> datafusion::common::Result<Vec<RecordBatch>> {
        ctx.sql(sql).await?.collect().await
    }

    #[tokio::test]
    async fn sums_by_key_are_the_aggregations_own() {
        // Sorted rows with fractions, so that a different grouping of the additions would show.
        let mut rows = Vec::new();
        for (i, (r, p)) in [("CN", "KZ"), ("CN", "RU"), ("HK", "RU"), ("TR", "RU")]
            .into_iter()
            .enumerate()
        {
            for j in 0..40 {
                let value = (j % 5 != 3).then(|| 0.1 * f64::from(j) + 1e-3 * (i as f64));
                rows.push((r.to_string(), p.to_string(), value));
            }
        }
        let sql = "SELECT reporter, partner, SUM(value) AS value, MIN(note) AS note FROM flows \
                   GROUP BY reporter, partner ORDER BY reporter, partner";
        let summed = "SELECT reporter, partner, SUM(value) AS value FROM flows \
                      GROUP BY reporter, partner ORDER BY reporter, partner";
        let plain = session(&rows, false).await;
        let runs = session(&rows, true).await;
        // MIN is not a sum: that aggregation is left alone.
        assert!(
            !plan_of(&runs, sql)
                .await
                .expect("plan")
                .contains("RunSumExec")
        );
        let shown = plan_of(&runs, summed).await.expect("plan");
        assert!(
            shown.contains("RunSumExec: keys=[reporter, partner], sums=[value]"),
            "{shown}"
        );
        let expected = rows_of_sql(&plain, summed).await.expect("rows");
        let got = rows_of_sql(&runs, summed).await.expect("rows");
        assert_eq!(
            datafusion::arrow::util::pretty::pretty_format_batches(&got)
                .expect("shown")
                .to_string(),
            datafusion::arrow::util::pretty::pretty_format_batches(&expected)
                .expect("shown")
                .to_string()
        );
        // Bit for bit: every total equals the one summed in row order.
        let by_key = totals(&rows);
        let value = got[0].column(2).as_primitive::<Float64Type>();
        for (i, total) in by_key.values().enumerate() {
            assert_eq!(value.is_valid(i).then(|| value.value(i)), *total);
        }
    }
}
