//! 有名称的内置事实：表式的计算数（`[[figures]]`）与模板（`extra.<名称>`）按名称取用的事实，
//! 连同它的上年数、预算数和来源表所印的合计。
//!
//! A fact here is either an input fact (its value at a key of [`super::scalars`]) or one the
//! model computes (a total: 三公经费, 本年收入合计); each companion likewise. A fact with a prior
//! or a budget gets its change and completion by name in every form (`figures::extra`).

use super::Kind;

/// Where a value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// An input fact, at this scalar key.
    Key(&'static str),
    /// Computed by the model from other facts (a sum of rows or of parts).
    Computed,
}

/// Which value of a named fact a key holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Value,
    Prior,
    Budget,
    InitialBudget,
    /// A total the source prints for the value, only checked against its parts.
    DeclaredValue,
    /// The printed total of the prior.
    DeclaredPrior,
    /// The printed total of the budget.
    DeclaredBudget,
    /// Why it changed (against the prior, or the budget): a text the 说明 prints.
    Reason,
}

impl Role {
    /// The role in the user's words (the generated reference).
    pub fn name(self) -> &'static str {
        match self {
            Role::Value => "本年数",
            Role::Prior => "上年数",
            Role::Budget => "预算数",
            Role::InitialBudget => "年初预算数",
            Role::DeclaredValue => "来源表所印合计",
            Role::DeclaredPrior => "来源表所印上年合计",
            Role::DeclaredBudget => "来源表所印预算合计",
            Role::Reason => "变动原因",
        }
    }
}

/// A fact a figure or a template may name.
#[derive(Clone, Copy, Debug)]
pub struct Named {
    /// Its name in `[[figures]]` and in the template context (`extra.<name>`).
    pub name: &'static str,
    /// What it is, in Chinese (the ledger, messages).
    pub label: &'static str,
    /// [`Kind::Money`] or [`Kind::Int`].
    pub kind: Kind,
    pub value: Source,
    pub prior: Option<Source>,
    pub budget: Option<Source>,
    pub initial_budget: Option<Source>,
    /// The totals the source prints for it (checked against the parts, never printed instead
    /// of them here): value, prior and budget.
    pub declared: [Option<&'static str>; 3],
    /// The key of the text that says why it changed.
    pub reason: Option<&'static str>,
}

impl Named {
    const fn new(name: &'static str, label: &'static str, kind: Kind, value: Source) -> Named {
        Named {
            name,
            label,
            kind,
            value,
            prior: None,
            budget: None,
            initial_budget: None,
            declared: [None; 3],
            reason: None,
        }
    }

    /// An amount whose value is typed at `key`.
    const fn amount(name: &'static str, label: &'static str, key: &'static str) -> Named {
        Named::new(name, label, Kind::Money, Source::Key(key))
    }

    /// An amount the model computes.
    const fn total(name: &'static str, label: &'static str) -> Named {
        Named::new(name, label, Kind::Money, Source::Computed)
    }

    /// A count typed at `key`.
    const fn count(name: &'static str, label: &'static str, key: &'static str) -> Named {
        Named::new(name, label, Kind::Int, Source::Key(key))
    }

    /// A count the model computes (a sum of rows).
    const fn counted(name: &'static str, label: &'static str) -> Named {
        Named::new(name, label, Kind::Int, Source::Computed)
    }

    const fn prior(mut self, key: &'static str) -> Named {
        self.prior = Some(Source::Key(key));
        self
    }

    const fn budget(mut self, key: &'static str) -> Named {
        self.budget = Some(Source::Key(key));
        self
    }

    /// Prior and budget both computed by the model.
    const fn computed_companions(mut self) -> Named {
        self.prior = Some(Source::Computed);
        self.budget = Some(Source::Computed);
        self
    }

    /// The printed totals of value, prior and budget, where the source prints them.
    const fn declared(
        mut self,
        value: Option<&'static str>,
        prior: Option<&'static str>,
        budget: Option<&'static str>,
    ) -> Named {
        self.declared = [value, prior, budget];
        self
    }

    const fn reason(mut self, key: &'static str) -> Named {
        self.reason = Some(key);
        self
    }

    /// Every input key it is read from, with its role.
    pub fn keys(&self) -> Vec<(Role, &'static str)> {
        let key = |s: Option<Source>| match s {
            Some(Source::Key(k)) => Some(k),
            _ => None,
        };
        [
            (Role::Value, key(Some(self.value))),
            (Role::Prior, key(self.prior)),
            (Role::Budget, key(self.budget)),
            (Role::InitialBudget, key(self.initial_budget)),
            (Role::DeclaredValue, self.declared[0]),
            (Role::DeclaredPrior, self.declared[1]),
            (Role::DeclaredBudget, self.declared[2]),
            (Role::Reason, self.reason),
        ]
        .into_iter()
        .filter_map(|(r, k)| Some((r, k?)))
        .collect()
    }

    /// The role of an input key in this fact, when it is one of its keys.
    pub fn role_of(&self, key: &str) -> Option<Role> {
        self.keys()
            .into_iter()
            .find_map(|(r, k)| (k == key).then_some(r))
    }

    /// How messages name one of its values: “机关运行经费”, “上年机关运行经费”, “公务接待费预算数”.
    pub fn label_for(&self, role: Role) -> String {
        let l = self.label;
        match role {
            Role::Value => l.to_string(),
            Role::Prior => format!("上年{l}"),
            Role::Budget => format!("{l}预算数"),
            Role::InitialBudget => format!("{l}年初预算数"),
            Role::DeclaredValue => format!("来源表所印{l}"),
            Role::DeclaredPrior => format!("来源表所印上年{l}"),
            Role::DeclaredBudget => format!("来源表所印{l}预算数"),
            Role::Reason => format!("{l}变动原因"),
        }
    }
}

/// The named built-in facts. The order is the order of the reference and of `extra` in the
/// ledger; append new ones.
pub const NAMED: &[Named] = &[
    Named::total("three_public", "“三公”经费财政拨款支出")
        .computed_companions()
        .declared(
            Some("three_public.declared_actual"),
            Some("three_public.declared_prior"),
            Some("three_public.declared_budget"),
        )
        .reason("three_public.reason"),
    Named::amount(
        "overseas",
        "因公出国（境）费",
        "three_public.overseas.actual",
    )
    .prior("three_public.overseas.prior")
    .budget("three_public.overseas.budget")
    .reason("three_public.overseas.reason"),
    Named::total("vehicle", "公务用车购置及运行维护费")
        .computed_companions()
        .declared(Some("three_public.vehicle.declared_actual"), None, None)
        .reason("three_public.vehicle.reason"),
    // Its value is the sum of the 公务用车购置 rows.
    Named::total("vehicle_purchase", "公务用车购置费")
        .prior("three_public.vehicle.purchase_prior")
        .budget("three_public.vehicle.purchase_budget"),
    Named::amount(
        "vehicle_running",
        "公务用车运行维护费",
        "three_public.vehicle.running_actual",
    )
    .prior("three_public.vehicle.running_prior")
    .budget("three_public.vehicle.running_budget"),
    // Its value is 国内公务接待 + 外事接待.
    Named::total("reception", "公务接待费")
        .prior("three_public.reception.prior")
        .budget("three_public.reception.budget")
        .reason("three_public.reception.reason"),
    Named::amount("running_costs", "机关运行经费", "running_costs.actual")
        .prior("running_costs.prior")
        .reason("running_costs.reason"),
    Named::total("general_budget", "一般公共预算财政拨款支出")
        .prior("prior_year.general_budget")
        .declared(
            Some("general_budget.declared_total"),
            None,
            Some("general_budget.declared_budget"),
        )
        .reason("prior_year.general_budget_reason"),
    Named::total("grand_total", "收、支总计")
        .prior("prior_year.total")
        .declared(Some("income.declared_grand_total"), None, None)
        .reason("prior_year.total_reason"),
    Named::total("appropriation_grand", "财政拨款收、支总计")
        .prior("prior_year.appropriation_total")
        .declared(Some("appropriation.declared_grand_total"), None, None)
        .reason("prior_year.appropriation_reason"),
    // `prior_year.income_total` (重庆格式) is not linked as its prior yet: linking it would give
    // every form `extra.income_total.change`. Likewise spending_total and closing_balance.
    Named::total("income_total", "本年收入合计").declared(
        Some("income.declared_total"),
        None,
        None,
    ),
    Named::total("spending_total", "本年支出合计").declared(
        Some("spending.declared_total"),
        None,
        None,
    ),
    Named::amount("basic", "基本支出", "spending.basic"),
    Named::amount("project", "项目支出", "spending.project"),
    Named::amount(
        "opening_balance",
        "年初结转和结余",
        "income.opening_balance",
    ),
    Named::amount(
        "closing_balance",
        "年末结转和结余",
        "spending.closing_balance",
    ),
    Named::total("procurement", "政府采购支出总额").declared(
        Some("procurement.declared_total"),
        None,
        None,
    ),
    Named::count(
        "overseas_groups",
        "因公出国（境）团组数",
        "three_public.overseas.groups",
    ),
    Named::count(
        "overseas_people",
        "因公出国（境）人次",
        "three_public.overseas.people",
    ),
    Named::count(
        "domestic_batches",
        "国内公务接待批次",
        "three_public.reception.domestic.batches",
    ),
    Named::count(
        "domestic_people",
        "国内公务接待人次",
        "three_public.reception.domestic.people",
    ),
    // Sums of the 公务用车购置 and 公务用车保有 rows.
    Named::counted("vehicles_purchased", "购置公务用车辆数"),
    Named::counted("vehicle_fleet", "公务用车保有量"),
];
