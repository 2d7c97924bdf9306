//! 绩效评价：执行率、指标得分、总分与等级的计算（财预〔2020〕10号 及各省自评表的通行算法）。
//!
//! This module holds the scoring engine only; the 绩效 facts in the input, the rules over them and
//! the 自评表 forms build on it (issue 4). Every score is computed here, 四舍五入 to 2 decimals per
//! indicator, and the total is the sum of the printed indicator scores, so a reader can add up the
//! table.

pub mod scoring;
