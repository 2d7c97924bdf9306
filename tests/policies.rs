//! A form's number style and policies, end to end: a copy of the Sichuan form made at run time
//! with one setting changed, the example built with it, and the sentence that setting governs.

mod common;

use std::path::{Path, PathBuf};

use common::root;

/// A `--templates` folder holding one form, `key`: the Sichuan form's files with `edits`
/// (`(old, new)` text replacements in its `form.toml`) applied.
fn form_folder(key: &str, edits: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-policies-{key}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let folder = dir.join(key);
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(root().join("templates/sichuan")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), folder.join(entry.file_name())).unwrap();
    }
    let manifest = folder.join("form.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    for (old, new) in [("key = \"sichuan\"", format!("key = \"{key}\"").as_str())]
        .into_iter()
        .chain(edits.iter().copied())
    {
        assert!(text.contains(old), "form.toml has no `{old}`");
        text = text.replacen(old, new, 1);
    }
    std::fs::write(&manifest, text).unwrap();
    dir
}

/// The example (峨边县信访局 2023) with `form = key`, its text edited by `edits`.
fn input(dir: &Path, key: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap();
    for (old, new) in [("form = \"sichuan\"", format!("form = \"{key}\"").as_str())]
        .into_iter()
        .chain(edits.iter().copied())
    {
        assert!(text.contains(old), "the example has no `{old}`");
        text = text.replacen(old, new, 1);
    }
    let path = dir.join(format!("{key}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn forms_of(dir: &Path) -> juesuan::form::Forms {
    juesuan::render::templates::TemplateSet::load(Some(dir))
        .unwrap()
        .forms()
        .unwrap()
}

/// The Markdown 说明 of a clean input built with the forms of `dir`.
fn markdown(dir: &Path, input: &Path) -> String {
    let checked = juesuan::check_file_with(input, &forms_of(dir));
    assert!(
        !checked.diagnostics.has_errors(),
        "{:?}",
        checked.diagnostics
    );
    let options = juesuan::render::RenderOptions {
        templates: Some(dir.to_path_buf()),
        ..Default::default()
    };
    let md = juesuan::render::build(
        &checked.bureau.unwrap(),
        &[juesuan::render::Format::Md],
        &options,
        &mut Default::default(),
    )
    .unwrap()
    .remove(0)
    .bytes;
    String::from_utf8(md).unwrap()
}

#[test]
fn growth_and_share_decimals_apart_and_the_bureaus_decimals_over_both() {
    let dir = form_folder(
        "decimals",
        &[(
            "separators_in_text = false",
            "separators_in_text = false\nchange_decimals = 0\nshare_decimals = 2",
        )],
    );
    // The example writes `percent_decimals = 1`, the form's own: the form's growth and share
    // decimals would stand, but a bureau's decimals stand for every percentage.
    let given = markdown(&dir, &input(&dir, "decimals", &[]));
    assert!(
        given.contains("收、支总计各增加74.09万元，增长32.0%"),
        "{given}"
    );
    assert!(given.contains("占本年支出合计的88.7%"));
    let form = markdown(
        &dir,
        &input(
            &dir,
            "decimals",
            &[("percent_decimals = 1 ", "# percent_decimals = 1 ")],
        ),
    );
    // 74.09 ÷ 231.88 = 31.95…% → 32; 271.46 ÷ 305.97 = 88.721…% → 88.72.
    assert!(
        form.contains("收、支总计各增加74.09万元，增长32%"),
        "{form}"
    );
    assert!(form.contains("占本年支出合计的88.72%"), "{form}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_form_may_word_equality_as_basically_flat() {
    let dir = form_folder(
        "flat",
        &[
            ("flat = \"持平\"", "flat = \"基本持平\""),
            ("equal = \"持平\"", "equal = \"基本持平\""),
        ],
    );
    let md = markdown(&dir, &input(&dir, "flat", &[]));
    // 因公出国（境）费 0 → 0, 公务用车 0 → 0: flat against the prior year.
    assert!(
        md.contains("因公出国（境）支出决算比2022年度基本持平。"),
        "{md}"
    );
    assert!(md.contains("公务用车购置及运行维护费支出决算比2022年度基本持平。"));
    // Items spent exactly as budgeted: equal to the budget.
    assert!(md.contains("，决算数与预算数基本持平。"));
    assert!(
        !md.contains("决算数与预算数持平"),
        "every equality in the form's words"
    );
    assert!(!md.contains("年度持平"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The R015 messages naming a “三公” reason, by the key they ask for.
fn three_public_reasons_asked(dir: &Path, input: &Path) -> Vec<&'static str> {
    let checked = juesuan::check_file_with(input, &forms_of(dir));
    let keys = [
        "three_public.reason",
        "three_public.overseas.reason",
        "three_public.vehicle.reason",
        "three_public.reception.reason",
    ];
    let mut asked = Vec::new();
    for d in checked.diagnostics.iter() {
        assert_eq!(d.code.as_str(), "R015", "{d:?}");
        asked.extend(keys.iter().filter(|k| d.fact.as_deref() == Some(**k)));
    }
    asked
}

/// An input's name, its edits of the example, and the reasons asked under `one_or_per_item`,
/// `per_item` and `one`.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], [&'a [&'a str]; 3]);

#[test]
fn three_public_reasons_one_for_all_or_per_item() {
    // The example: 公务接待费 0.9 against a prior of 1.0 (the total too), a reason for the total
    // and one for each category.
    let no_item_reason = [("reason = \"厉行节约、精减支出\"\n", "")];
    let no_total_reason = [("reason = \"厉行节约，精减支出\"\n", "")];
    // The categories change but the total does not: 出国 0.1 → 0, 接待 0.8 → 0.9.
    let items_cancel_out = [
        (
            "actual = 0\nprior = 0\ngroups",
            "actual = 0\nprior = 0.1\ngroups",
        ),
        ("prior = 1.0 ", "prior = 0.8 "),
        ("reason = \"厉行节约，精减支出\"\n", ""),
    ];
    let cases: [Case; 4] = [
        // (input, what is asked under one_or_per_item, per_item, one)
        ("example", &[], [&[], &[], &[]]),
        (
            "no-item-reason",
            &no_item_reason,
            [&[], &["three_public.reception.reason"], &[]],
        ),
        (
            "no-total-reason",
            &no_total_reason,
            [
                &["three_public.reason"],
                &["three_public.reason"],
                &["three_public.reason"],
            ],
        ),
        (
            "items-cancel-out",
            &items_cancel_out,
            [&[], &[], &["three_public.reason"]],
        ),
    ];
    for (n, policy) in ["one_or_per_item", "per_item", "one"]
        .into_iter()
        .enumerate()
    {
        let key = format!("tp-{}", policy.replace('_', "-"));
        let dir = form_folder(
            &key,
            &[(
                "three_public_reasons = \"one_or_per_item\"",
                &format!("three_public_reasons = \"{policy}\""),
            )],
        );
        for (name, edits, asked) in &cases {
            let path = input(&dir, &key, edits);
            assert_eq!(
                three_public_reasons_asked(&dir, &path),
                asked[n],
                "{policy}, {name}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    // The Sichuan form keeps the default: one reason for the whole may stand for its items.
    let sichuan = juesuan::form::Forms::builtin().get("sichuan").unwrap();
    assert_eq!(
        sichuan.policy.three_public_reasons,
        juesuan::form::ThreePublicReasons::OneOrPerItem
    );
}
