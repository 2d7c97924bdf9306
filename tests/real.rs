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
            ("R023", Severity::Error, "缺少上年财政拨款收、支总计",),
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
            // 附件1 “财政资金共支出：308.97万元”, while 271.46 + 34.51 = 305.97.
            (
                "R038",
                Severity::Error,
                "部门整体绩效报告所列财政资金支出 308.97 ≠ 财政拨款支出合计 305.97（差 3）",
            ),
            // 附件1 打分表 “动态调整（15分）” over 10 + 5 + 5.
            (
                "R024",
                Severity::Error,
                "部门整体“峨边彝族自治县信访局”二级指标“部门预算项目绩效管理/动态调整”分值 15 ≠ 其下各指标分值之和 20",
            ),
            // 附件1 打分表 “信息公开（5分）” over one indicator of 10.
            (
                "R024",
                Severity::Error,
                "部门整体“峨边彝族自治县信访局”二级指标“绩效结果应用/信息公开”分值 5 ≠ 其下各指标分值之和 10",
            ),
        ]),
    );
}

/// 青龙满族自治县信访局 2023 (seed 001, 河北 预算项目绩效自评表) with the printed 自评总分 declared.
#[test]
fn qinglong_xinfang_2023_as_published() {
    assert_eq!(
        findings("tests/fixtures/real/qinglong-xinfang-2023-as-published.toml"),
        expected(&[
            // 信访维稳经费 自评总分 printed 98; 执行进度 151.2 ÷ 176.45 = 85.69%, 执行率得分 8.57 (printed 8).
            (
                "R027",
                Severity::Error,
                "项目“信访维稳经费”所列自评得分 98 ≠ 按指标计算的得分 98.57",
            ),
            // 群众工作中心运行经费 自评总分 printed “98%”; 执行进度 3.04 ÷ 8.02 = 37.91%, 执行率得分 3.79
            // (printed 10).
            (
                "R027",
                Severity::Error,
                "项目“群众工作中心运行经费”所列自评得分 98 ≠ 按指标计算的得分 91.79",
            ),
            // 特殊疑难信访问题救助资金: the table's weights add up to 10 + 80 = 90.
            (
                "R024",
                Severity::Error,
                "项目“特殊疑难信访问题救助资金”的分值合计为 90，不是 100（预算执行率 10 + 各指标分值）",
            ),
            // Its 自评总分 printed “100%” over row scores adding up to 90.
            (
                "R027",
                Severity::Error,
                "项目“特殊疑难信访问题救助资金”所列自评得分 100 ≠ 按指标计算的得分 90",
            ),
            // “产出指标（70）” over six indicators of 10.
            (
                "R024",
                Severity::Error,
                "项目“特殊疑难信访问题救助资金”一级指标“产出指标”分值 70 ≠ 其下各指标分值之和 60",
            ),
        ]),
    );
}

/// 盐边县信访局 2020 (seed 002, narrative report): nothing it prints that the input checks is wrong;
/// its slips (79.53 ≠ 27.59 + 51.74, the 到省 percentages) are listed in the file as not checkable.
#[test]
fn yanbian_xinfang_2020_as_published() {
    assert_eq!(
        findings("tests/fixtures/real/yanbian-xinfang-2020-as-published.toml"),
        expected(&[]),
    );
}

/// 岳阳市信访局 2024 (seed 003, 湖南 部门整体支出绩效自评表) with the printed 执行率 分值 10 and
/// 总分 98.8.
#[test]
fn yueyang_xinfang_2024_as_published() {
    // The 执行率 (分值 10, 99.94 % → 9.94) is scored beside the indicators' 100 points, as the
    // 湖南 form does; the printed 总分 98.8 and 执行率得分 9.94 both recompute.
    assert_eq!(
        findings("tests/fixtures/real/yueyang-xinfang-2024-as-published.toml"),
        expected(&[]),
    );
}

/// 攀枝花市西区信访局 2021 (seed 004, 四川 2021 unscored 自评 tables): nothing it prints that the input
/// checks is wrong; its slips (cost actuals vs 执行数, 213.61 ≠ Σ类 210.24) are listed in the file as
/// not checkable.
#[test]
fn xiqu_xinfang_2021_as_published() {
    assert_eq!(
        findings("tests/fixtures/real/xiqu-xinfang-2021-as-published.toml"),
        expected(&[]),
    );
}
