//! The order in which a Parquet scan evaluates its filter's conditions.
//!
//! With `pushdown_filters` on, DataFusion evaluates each condition (conjunct) of a scan's
//! filter while decoding, one after the other: the first decodes its column for every row the
//! page index kept, each later one only for the rows the earlier ones let through. So the order
//! decides how many values are decoded, and DataFusion's own order follows neither the query
//! text nor selectivity (its planner rebuilds the conjunction; its optional reordering puts the
//! columns with the fewest compressed bytes first, which in this dataset are the sorted, hence
//! highly compressed, reporter and flow columns that select nothing the page index has not
//! already selected).
//!
//! [`FilterOrder`] is a physical optimizer rule run last: it reorders each Parquet scan's
//! conditions by what they are likely to drop, knowing the dataset's layout:
//! 1. equality and `IN` conditions on the distinctive columns (party, country and goods codes),
//!    those on the file's leading sort columns last (the page index has already pruned on
//!    them, so they drop few of the rows that reach them: `partner = 'RU'` before
//!    `reporter <> 'ZZ'` turned a scan of 31.9 M decoded rows per column into one);
//! 2. other equality and `IN` conditions on one column (`flow = 'export'`);
//! 3. other conditions of columns, literals and operators;
//! 4. everything else (function calls, dynamic filters), last.
//!
//! The conjunction means the same in any order, so results do not change; only work does.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::datasource::physical_plan::{FileScanConfig, FileScanConfigBuilder, ParquetSource};
use datafusion::datasource::source::DataSourceExec;
use datafusion::logical_expr::Operator;
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_expr::expressions::{
    BinaryExpr, Column, InListExpr, IsNotNullExpr, IsNullExpr, Literal, NotExpr,
};
use datafusion::physical_expr::utils::{conjunction, split_conjunction};
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::ExecutionPlan;

use crate::dataset::SORT_KEY;

/// Columns with many distinct values, whose equality conditions drop most rows: the codes of
/// parties, countries and goods.
const DISTINCTIVE: [&str; 11] = [
    "hs_code",
    "tariff_code",
    "consignor",
    "consignee",
    "origin_country",
    "dispatch_country",
    "destination_country",
    "partner2",
    "watch_item",
    "partner",
    "reporter",
];

/// The physical optimizer rule that orders each Parquet scan's filter conditions (module docs).
#[derive(Debug, Default)]
pub struct FilterOrder;

impl PhysicalOptimizerRule for FilterOrder {
    fn optimize(
        &self,
        plan: Arc<dyn ExecutionPlan>,
        _config: &ConfigOptions,
    ) -> datafusion::common::Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| match reordered_scan(&node) {
            Some(scan) => Ok(Transformed::yes(scan)),
            None => Ok(Transformed::no(node)),
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "dualtrace_filter_order"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// The scan with its conditions reordered, when `node` is a Parquet scan whose order changes.
fn reordered_scan(node: &Arc<dyn ExecutionPlan>) -> Option<Arc<dyn ExecutionPlan>> {
    let exec = node.downcast_ref::<DataSourceExec>()?;
    let config = exec.data_source().downcast_ref::<FileScanConfig>()?;
    let source = config.file_source().downcast_ref::<ParquetSource>()?;
    let predicate = datafusion::datasource::physical_plan::FileSource::filter(source)?;
    let ordered = ordered(&predicate)?;
    let source = source.with_predicate(ordered);
    let config = FileScanConfigBuilder::from(config.clone())
        .with_source(Arc::new(source))
        .build();
    Some(DataSourceExec::from_data_source(config))
}

/// The conjunction in the order of [`rank`], or `None` when it is already in that order.
fn ordered(predicate: &Arc<dyn PhysicalExpr>) -> Option<Arc<dyn PhysicalExpr>> {
    let conditions = split_conjunction(predicate);
    let mut ranked: Vec<(u32, usize)> = conditions
        .iter()
        .enumerate()
        .map(|(i, c)| (rank(c.as_ref()), i))
        .collect();
    ranked.sort();
    if ranked.iter().enumerate().all(|(pos, (_, i))| pos == *i) {
        return None;
    }
    Some(conjunction(
        ranked.iter().map(|(_, i)| Arc::clone(conditions[*i])),
    ))
}

/// How early a condition should run: lower first (module docs).
fn rank(condition: &dyn PhysicalExpr) -> u32 {
    match equality_column(condition) {
        // The leading sort columns last among the distinctive ones: the page index has pruned
        // on them already.
        Some(name) if DISTINCTIVE.contains(&name) => match SORT_KEY.iter().position(|k| *k == name)
        {
            Some(key) => 100 - u32::try_from(key).unwrap_or(100),
            None => 0,
        },
        Some(_) => 200,
        None if plain(condition) => 300,
        None => 400,
    }
}

/// The column of `column = literal` (either side) or `column IN (literals)`.
fn equality_column(condition: &dyn PhysicalExpr) -> Option<&str> {
    if let Some(binary) = condition.downcast_ref::<BinaryExpr>() {
        if *binary.op() != Operator::Eq {
            return None;
        }
        let (l, r) = (binary.left().as_ref(), binary.right().as_ref());
        return match (l.downcast_ref::<Column>(), r.downcast_ref::<Column>()) {
            (Some(c), None) if r.is::<Literal>() => Some(c.name()),
            (None, Some(c)) if l.is::<Literal>() => Some(c.name()),
            _ => None,
        };
    }
    let list = condition.downcast_ref::<InListExpr>()?;
    let column = list.expr().downcast_ref::<Column>()?;
    let literals = list.list().iter().all(|e| e.is::<Literal>());
    (!list.negated() && literals).then(|| column.name())
}

/// Whether a condition is made of columns, literals and operators only (no function call, no
/// dynamic filter): cheap to evaluate.
fn plain(condition: &dyn PhysicalExpr) -> bool {
    let node = condition.is::<BinaryExpr>()
        || condition.is::<Column>()
        || condition.is::<Literal>()
        || condition.is::<NotExpr>()
        || condition.is::<IsNullExpr>()
        || condition.is::<IsNotNullExpr>()
        || condition.is::<InListExpr>();
    node && condition
        .children()
        .iter()
        .all(|child| plain(child.as_ref()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::common::ScalarValue;
    use datafusion::physical_expr::expressions::{binary, col, in_list, lit, not};

    fn schema() -> Schema {
        let text = |n: &str| Field::new(n, DataType::Utf8, false);
        Schema::new(vec![
            text("reporter"),
            text("partner"),
            text("flow"),
            text("hs_code"),
            Field::new("breakdown", DataType::Boolean, false),
        ])
    }

    fn eq(name: &str, value: &str) -> Arc<dyn PhysicalExpr> {
        let s = schema();
        binary(col(name, &s).unwrap(), Operator::Eq, lit(value), &s).unwrap()
    }

    fn order_of(conditions: Vec<Arc<dyn PhysicalExpr>>) -> Vec<String> {
        let predicate = conjunction(conditions.clone());
        let result = ordered(&predicate).unwrap_or(predicate);
        split_conjunction(&result)
            .iter()
            .map(|c| c.to_string())
            .collect()
    }

    #[test]
    fn partner_equality_runs_before_conditions_the_page_index_already_served() {
        let s = schema();
        let not_zz = binary(col("reporter", &s).unwrap(), Operator::NotEq, lit("ZZ"), &s).unwrap();
        let not_breakdown = not(col("breakdown", &s).unwrap()).unwrap();
        let order = order_of(vec![
            not_zz,
            not_breakdown,
            eq("flow", "export"),
            eq("partner", "RU"),
        ]);
        assert_eq!(
            order,
            vec![
                "partner@1 = RU",
                "flow@2 = export",
                "reporter@0 != ZZ",
                "NOT breakdown@4"
            ]
        );
    }

    #[test]
    fn goods_before_partner_before_reporter_and_in_lists_count_as_equality() {
        let s = schema();
        let reporters = in_list(
            col("reporter", &s).unwrap(),
            vec![lit("DE"), lit("FR")],
            &false,
            &s,
        )
        .unwrap();
        let order = order_of(vec![
            reporters,
            eq("partner", "RU"),
            eq("hs_code", "854231"),
        ]);
        assert_eq!(
            order,
            vec![
                "hs_code@3 = 854231",
                "partner@1 = RU",
                "reporter@0 IN (SET) ([DE, FR])"
            ]
        );
    }

    #[test]
    fn negated_lists_and_column_comparisons_are_not_equalities() {
        let s = schema();
        let not_in = in_list(col("partner", &s).unwrap(), vec![lit("RU")], &true, &s).unwrap();
        assert_eq!(equality_column(not_in.as_ref()), None);
        let columns = binary(
            col("reporter", &s).unwrap(),
            Operator::Eq,
            col("partner", &s).unwrap(),
            &s,
        )
        .unwrap();
        assert_eq!(equality_column(columns.as_ref()), None);
        assert!(plain(columns.as_ref()));
        let null = Arc::new(Literal::new(ScalarValue::Utf8(None))) as Arc<dyn PhysicalExpr>;
        let reversed = binary(null, Operator::Eq, col("flow", &s).unwrap(), &s).unwrap();
        assert_eq!(equality_column(reversed.as_ref()), Some("flow"));
    }

    #[test]
    fn an_order_already_right_is_left_alone() {
        let predicate = conjunction(vec![eq("partner", "RU"), eq("flow", "export")]);
        assert!(ordered(&predicate).is_none());
    }
}
