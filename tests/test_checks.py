"""Each arithmetic rule on metrics that hold and that do not."""
from __future__ import annotations

from extractor.checks import run_checks
from extractor.report import Evidence, Metric
from extractor.tables.catalogue import TABLE3_COLUMNS


def metrics(values: dict[str, float]) -> dict[str, Metric]:
    return {k: Metric(v, "件", "table", Evidence(0, 1, str(v))) for k, v in values.items()}


def by_rule(values):
    return {c.rule: c for c in run_checks(metrics(values))}


def test_balance_passes_and_fails_with_the_numbers_in_the_detail():
    ok = by_rule({"applications.new.total": 8, "applications.carried_over.total": 1,
                  "applications.total.total": 9, "applications.carried_forward.total": 0})
    assert ok["applications.balance"].status == "pass"
    assert ok["applications.balance"].detail == "新收8+结转1 = 办理9+结转下年0"
    bad = by_rule({"applications.new.total": 8, "applications.carried_over.total": 1,
                   "applications.total.total": 7, "applications.carried_forward.total": 0})
    assert bad["applications.balance"].status == "fail" and "≠" in bad["applications.balance"].detail


def test_row_sum_and_missing_operands():
    row = {f"applications.new.{c}": v for c, v in zip(TABLE3_COLUMNS, [5, 1, 0, 0, 2, 0, 9])}
    assert by_rule(row)["applications.row_sum.new"].status == "fail"
    del row["applications.new.research"]  # a blank cell: the rule does not run, it does not guess a zero
    assert "applications.row_sum.new" not in by_rule(row)


def test_table4_block_sums():
    values = {"review.upheld": 10, "review.corrected": 1, "review.other": 0, "review.pending": 0, "review.total": 11,
              "litigation_direct.upheld": 1, "litigation_direct.corrected": 0, "litigation_direct.other": 0,
              "litigation_direct.pending": 0, "litigation_direct.total": 2}
    checks = by_rule(values)
    assert checks["review.sum"].status == "pass" and checks["litigation_direct.sum"].status == "fail"


def test_legacy_channels_and_sums():
    values = {"legacy.active.total": 100, "legacy.channel.website": 90, "legacy.channel.weibo": 120,
              "legacy.applications.received": 7, "legacy.applications.in_person": 0, "legacy.applications.fax": 0,
              "legacy.applications.online": 4, "legacy.applications.letter": 0, "legacy.applications.email": 3}
    checks = by_rule(values)
    assert checks["legacy.channels_le_total.website"].status == "pass"
    assert checks["legacy.channels_le_total.weibo"].status == "fail"
    assert checks["legacy.applications.channel_sum"].status == "pass"  # e-mail counts when the table has it
