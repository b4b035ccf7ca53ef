"""The names fixed by ../shared/spec/CONTRACT.md: mention labels, the metrics they feed, approx values.

Everything here is data copied verbatim from the contract; code elsewhere imports it instead of
spelling the names again.
"""
from __future__ import annotations

LABELS: tuple[str, ...] = (
    "PUB_TOTAL", "PUB_WEBSITE", "PUB_WECHAT", "PUB_WEIBO", "PUB_OTHER", "POLICY_INTERP", "DOC_ISSUED",
    "APP_RECEIVED", "APP_CARRIED_OVER", "APP_COMPLETED", "APP_CARRIED_FORWARD", "REVIEW", "LITIGATION",
    "PROC_ITEMS", "PROC_AMOUNT", "FEE_AMOUNT", "VISITS", "FOLLOWERS", "INQUIRY", "PROPOSAL", "TRAINING",
    "PRESS_EVENT",
)

# Labels whose value is money, always converted to 万元.
MONEY_LABELS: frozenset[str] = frozenset({"PROC_AMOUNT", "FEE_AMOUNT"})

APPROX_VALUES: tuple[str | None, ...] = (None, "more_than", "about", "at_least")

TEMPLATES: tuple[str, ...] = ("legacy", "v2019", "v2021", "none")

# Contract §3, third column: the table metric a mention feeds, per template family.
# `prose.*` metrics are filled for every label; these are the table keys a mention is compared with.
LABEL_TABLE_METRICS: dict[str, dict[str, tuple[str, ...]]] = {
    "PUB_TOTAL": {"legacy": ("legacy.active.total",)},
    "PUB_WEBSITE": {"legacy": ("legacy.channel.website",)},
    "PUB_WECHAT": {"legacy": ("legacy.channel.wechat",)},
    "PUB_WEIBO": {"legacy": ("legacy.channel.weibo",)},
    "POLICY_INTERP": {"legacy": ("legacy.response.interpretations",)},
    "APP_RECEIVED": {"legacy": ("legacy.applications.received",), "v2019": ("applications.new.total",),
                     "v2021": ("applications.new.total",)},
    "APP_CARRIED_OVER": {"v2019": ("applications.carried_over.total",), "v2021": ("applications.carried_over.total",)},
    "APP_COMPLETED": {"legacy": ("legacy.applications.completed",), "v2019": ("applications.total.total",),
                      "v2021": ("applications.total.total",)},
    "APP_CARRIED_FORWARD": {"v2019": ("applications.carried_forward.total",),
                            "v2021": ("applications.carried_forward.total",)},
    "REVIEW": {"legacy": ("legacy.review.total",), "v2019": ("review.total",), "v2021": ("review.total",)},
    "LITIGATION": {"legacy": ("legacy.litigation.total",),
                   "v2019": ("litigation_direct.total", "litigation_after_review.total"),
                   "v2021": ("litigation_direct.total", "litigation_after_review.total")},
    "PROC_ITEMS": {"v2019": ("active.procurement.items",)},
    "PROC_AMOUNT": {"v2019": ("active.procurement.amount",)},
    "FEE_AMOUNT": {"legacy": ("legacy.fees",)},
}


def prose_metric(label: str) -> str:
    """The `prose.*` metric key a label fills (contract §3)."""
    return "prose." + label.lower()
