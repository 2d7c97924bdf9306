//! Real packages typed as printed (issue 10): `check` flags exactly their true slips.
//!
//! Each fixture in `tests/fixtures/real/` transcribes a published package with every printed
//! total declared, and lists the package's slips in its header comment. These tests pin the
//! exact errors and warnings (info-level tails are left out), so a slip that stops being found,
//! or a new finding, fails here.

use std::path::Path;

use juesuan::diagnostic::Severity;

fn findings(rel: &str) -> Vec<(String, Severity, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    juesuan::check_file(&path)
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| (d.code.to_string(), d.severity, d.message.clone()))
        .collect()
}

fn expected(list: &[(&str, Severity, &str)]) -> Vec<(String, Severity, String)> {
    list.iter()
        .map(|(code, severity, message)| (code.to_string(), *severity, message.to_string()))
        .collect()
}

/// 上海市普陀区财政局 2024 (shared/forms/shanghai-2024/): its tables add up within the 尾差; the
/// one slip is the 说明's 财政拨款收支总计 (0.3 万元, “持平”), which leaves the prior year unknown.
#[test]
fn putuo_caizheng_2024_as_published() {
    assert_eq!(
        findings("tests/fixtures/real/putuo-caizheng-2024.toml"),
        expected(&[
            // true slip: 说明四 prints 财政拨款收入支出总计 0.3 万元 “与2023年度相比……持平”,
            // while 公开04表 prints 2,961.68; the 2023 figure cannot be recovered.
            (
                "R023",
                Severity::Error,
                "缺少上年财政拨款收、支总计（prior_year.appropriation_total）",
            ),
        ]),
    );
}

/// 峨边彝族自治县信访局 2023 (seed 000) with every printed total declared as printed.
#[test]
fn ebian_xinfang_2023_as_published() {
    assert_eq!(
        findings("tests/fixtures/real/ebian-xinfang-2023-as-published.toml"),
        expected(&[
            // “三公”经费决算 printed 0.09; its items are 0 + 0 + 0.9.
            (
                "R011",
                Severity::Error,
                "“三公”经费决算合计 0.09 ≠ 三项之和 0.9（差 -0.81）",
            ),
            // 附件1 打分表 “动态调整（15分）” over 10 + 5 + 5.
            (
                "R024",
                Severity::Error,
                "项目“峨边彝族自治县信访局”二级指标“部门预算项目绩效管理/动态调整”分值 15 ≠ 其下各指标分值之和 20",
            ),
            // 附件1 打分表 “信息公开（5分）” over one indicator of 10.
            (
                "R024",
                Severity::Error,
                "项目“峨边彝族自治县信访局”二级指标“绩效结果应用/信息公开”分值 5 ≠ 其下各指标分值之和 10",
            ),
        ]),
    );
}
