"""Stage 6, checks: the report's own arithmetic (勾稽关系, contract §4).

Each rule is a small function registered by name that reads the metrics and returns checks; a
rule runs only where every number it needs is present (a blank cell is absent, never zero).
Prose-versus-table agreement checks are made by the merge stage, which has both sides.
"""
from __future__ import annotations

from typing import Callable, Iterable

from extractor.numbers import format_number
from extractor.report import Check, Metric
from extractor.tables.catalogue import TABLE3_COLUMNS

Metrics = dict[str, Metric]
Rule = Callable[[Metrics], Iterable[Check]]
RULES: dict[str, Rule] = {}

COLUMN_NAMES = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
                "social_welfare": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他组织",
                "total": "总计"}
OUTCOME_ROWS = ("granted", "partial", *(f"denied.{x}" for x in ("state_secret", "law_prohibited", "security_stability",
                "third_party", "internal_affairs", "process_info", "enforcement_file", "inquiry_matter")),
                *(f"unable.{x}" for x in ("not_held", "needs_creation", "unclear")),
                *(f"rejected.{x}" for x in ("complaint", "duplicate", "publication", "excessive", "confirmation")))


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn
    return register


def _fmt(value: int | float) -> str:
    return format_number(value)


def _get(metrics: Metrics, *keys: str) -> list[int | float] | None:
    if not all(k in metrics for k in keys):
        return None
    return [metrics[k].value for k in keys]


def _equal(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def _check(name: str, ok: bool, detail: str) -> Check:
    return Check(name, "pass" if ok else "fail", detail)


@rule("applications.balance")
def applications_balance(metrics: Metrics) -> Iterable[Check]:
    """新收 + 上年结转 = 办理总计 + 结转下年, per applicant column and for 总计."""
    for col in TABLE3_COLUMNS:
        got = _get(metrics, *(f"applications.{r}.{col}" for r in ("new", "carried_over", "total", "carried_forward")))
        if got is None:
            continue
        new, over, total, forward = got
        name = "applications.balance" if col == "total" else f"applications.balance.{col}"
        where = "" if col == "total" else f"({COLUMN_NAMES[col]}) "
        ok = _equal(new + over, total + forward)
        yield _check(name, ok, f"{where}新收{_fmt(new)}+结转{_fmt(over)} {'=' if ok else '≠'} "
                               f"办理{_fmt(total)}+结转下年{_fmt(forward)}")


def _rows_with_columns(metrics: Metrics) -> list[str]:
    rows = []
    for key in metrics:
        if key.startswith("applications.") and key.endswith(".total"):
            rows.append(key[len("applications."):-len(".total")])
    return rows


@rule("applications.row_sum")
def applications_row_sum(metrics: Metrics) -> Iterable[Check]:
    """The six applicant columns add up to 总计, for every row of table 3."""
    for row in _rows_with_columns(metrics):
        got = _get(metrics, *(f"applications.{row}.{c}" for c in TABLE3_COLUMNS))
        if got is None:
            continue
        parts, total = got[:-1], got[-1]
        ok = _equal(sum(parts), total)
        yield _check(f"applications.row_sum.{row}", ok,
                     f"{'+'.join(_fmt(p) for p in parts)} {'=' if ok else '≠'} 总计{_fmt(total)} ({row})")


@rule("applications.outcome_sum")
def applications_outcome_sum(metrics: Metrics) -> Iterable[Check]:
    """予以公开 … 其他处理 add up to （七）总计, per column."""
    for col in TABLE3_COLUMNS:
        other = [f"applications.other.{col}"] if f"applications.other.{col}" in metrics else \
            [f"applications.other.{x}.{col}" for x in ("no_correction", "unpaid_fee", "other")]
        keys = [f"applications.{r}.{col}" for r in OUTCOME_ROWS] + other
        got = _get(metrics, *keys, f"applications.total.{col}")
        if got is None:
            continue
        parts, total = got[:-1], got[-1]
        ok = _equal(sum(parts), total)
        name = "applications.outcome_sum" if col == "total" else f"applications.outcome_sum.{col}"
        yield _check(name, ok, f"{'' if col == 'total' else f'({COLUMN_NAMES[col]}) '}办理结果之和{_fmt(sum(parts))} "
                               f"{'=' if ok else '≠'} 总计{_fmt(total)}")


@rule("litigation.block_sum")
def block_sums(metrics: Metrics) -> Iterable[Check]:
    """Table 4: 维持 + 纠正 + 其他 + 尚未审结 = 总计 in each block."""
    names = {"review": "行政复议", "litigation_direct": "未经复议直接起诉", "litigation_after_review": "复议后起诉"}
    for block, name in names.items():
        got = _get(metrics, *(f"{block}.{c}" for c in ("upheld", "corrected", "other", "pending", "total")))
        if got is None:
            continue
        ok = _equal(sum(got[:4]), got[4])
        yield _check(f"{block}.sum", ok, f"{name}: 维持{_fmt(got[0])}+纠正{_fmt(got[1])}+其他{_fmt(got[2])}"
                                         f"+尚未审结{_fmt(got[3])} {'=' if ok else '≠'} 总计{_fmt(got[4])}")


def _sum_rule(name: str, total_key: str, part_keys: tuple[str, ...], label: str, at_most: bool = False,
              optional: tuple[str, ...] = ()) -> None:
    """total = sum of parts (or each part ≤ total); `optional` parts count when the table has them."""
    @rule(name)
    def check(metrics: Metrics) -> Iterable[Check]:
        if total_key not in metrics:
            return
        parts = [(k, metrics[k].value) for k in part_keys if k in metrics]
        if not parts or (not at_most and len(parts) < len(part_keys)):
            return
        total = metrics[total_key].value
        if at_most:
            for key, value in parts:
                ok = value <= total + 1e-6
                yield _check(f"{name}.{key.rsplit('.', 1)[-1]}", ok,
                             f"{key.rsplit('.', 1)[-1]} {_fmt(value)} {'≤' if ok else '>'} {label}{_fmt(total)}")
            return
        parts += [(k, metrics[k].value) for k in optional if k in metrics]
        s = sum(v for _, v in parts)
        ok = _equal(s, total)
        yield _check(name, ok, f"{'+'.join(_fmt(v) for _, v in parts)} {'=' if ok else '≠'} {label}{_fmt(total)}")


_sum_rule("legacy.channels_le_total", "legacy.active.total",
          tuple(f"legacy.channel.{c}" for c in ("gazette", "website", "weibo", "wechat", "platform", "other")),
          "主动公开总数", at_most=True)
_sum_rule("legacy.applications.channel_sum", "legacy.applications.received",
          tuple(f"legacy.applications.{c}" for c in ("in_person", "fax", "online", "letter")), "收到申请数",
          optional=("legacy.applications.email", "legacy.applications.other_form"))
_sum_rule("legacy.applications.completed_sum", "legacy.applications.completed",
          ("legacy.applications.on_time", "legacy.applications.extended"), "申请办结数")
_sum_rule("legacy.applications.reply_sum", "legacy.applications.replied",
          tuple(f"legacy.applications.{c}" for c in ("already_public", "granted", "partial", "denied", "not_this_agency",
                                                     "not_exist", "to_amend", "other_channel")), "申请答复数",
          optional=("legacy.applications.other_reply",))
_sum_rule("legacy.applications.denied_sum", "legacy.applications.denied",
          tuple(f"legacy.applications.denied_{c}" for c in ("state_secret", "commercial_secret", "privacy", "security",
                                                            "not_gov_info", "other_law")), "不同意公开数")
_sum_rule("legacy.review.sum", "legacy.review.total",
          ("legacy.review.upheld", "legacy.review.corrected", "legacy.review.other"), "行政复议数")
_sum_rule("legacy.litigation.sum", "legacy.litigation.total",
          ("legacy.litigation.upheld", "legacy.litigation.corrected", "legacy.litigation.other"), "行政诉讼数")
_sum_rule("legacy.org.staff_sum", "legacy.org.staff",
          ("legacy.org.staff_full_time", "legacy.org.staff_part_time"), "工作人员数")


def run_checks(metrics: Metrics, rules: Iterable[str] | None = None) -> list[Check]:
    checks: list[Check] = []
    for name in rules or RULES:
        checks.extend(RULES[name](metrics))
    return checks
