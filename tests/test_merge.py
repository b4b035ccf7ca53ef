"""Prose against tables on real seed text. The mentions come from a fixed tagger (the seed's own
hand labels, found in the text), so these tests exercise the merge, not the model."""
from __future__ import annotations

from conftest import CORPUS, need_corpus, seed_text
from extractor import extract
from extractor.batch import cross_year_checks
from extractor.contract import MONEY_LABELS, prose_metric
from extractor.numbers import parse_quantity
from extractor.report import Mention


class FixedTagger:
    """Tags the given (characters, label, context) wherever the context occurs in the text."""

    def __init__(self, items: list[tuple[str, str, str]]) -> None:
        self.items = items

    def predict(self, text: str, regions=None) -> list[Mention]:
        out = []
        for chars, label, context in self.items:
            at = text.find(context)
            assert at >= 0, context
            start = at + context.index(chars)
            q = parse_quantity(chars, money=label in MONEY_LABELS)
            out.append(Mention(label, chars, start, start + len(chars), q.value, q.unit, q.approx, 1.0, prose_metric(label)))
        return out


SEED001 = [("8件", "APP_RECEIVED", "共收到政府信息公开申请8件"), ("1件", "APP_CARRIED_OVER", "2019年结转1件"),
           ("2306 条", "PUB_WEBSITE", "信息发布总数 2306 条")]


def checks_of(report):
    return {c.rule: c for c in report.checks}


def test_seed001_prose_agrees_with_table3():
    report = extract(seed_text("001"), model=FixedTagger(SEED001))
    checks = checks_of(report)
    assert checks["prose_vs_table.prose.app_received"].status == "pass"
    assert "applications.new.total = 8" in checks["prose_vs_table.prose.app_received"].detail
    assert checks["prose_vs_table.prose.app_carried_over"].status == "pass"
    assert not report.conflicts
    assert report.metrics["prose.pub_website"].value == 2306 and report.metrics["prose.pub_website"].source == "prose"
    fed = {m.label: m.metric for m in report.mentions}
    assert fed["APP_RECEIVED"] == "applications.new.total" and fed["PUB_WEBSITE"] == "prose.pub_website"
    assert report.metrics["applications.new.total"].source == "table"  # table values win


def test_planted_disagreement_is_a_conflict_with_both_offsets():
    text = seed_text("001").replace("共收到政府信息公开申请8件", "共收到政府信息公开申请9件")
    tagger = FixedTagger([("9件", "APP_RECEIVED", "共收到政府信息公开申请9件")])
    report = extract(text, model=tagger)
    assert checks_of(report)["prose_vs_table.prose.app_received"].status == "fail"
    (conflict,) = report.conflicts
    assert (conflict.metric, conflict.table, conflict.prose) == ("applications.new.total", 8, 9)
    table_ev, prose_ev = conflict.evidence
    assert report.text[table_ev.start:table_ev.end] == "8" and report.text[prose_ev.start:prose_ev.end] == "9件"
    assert table_ev.start == report.metrics["applications.new.total"].evidence.start


def test_approximate_prose_is_consistent_with_the_table():
    base = seed_text("003")  # legacy: 主动公开政府信息数 3531
    for phrase, ok in (("全年主动公开政府信息3500余条", True), ("全年主动公开政府信息约3600条", True),
                       ("全年主动公开政府信息3000条以上", True), ("全年主动公开政府信息3600余条", False)):
        text = base.replace("一、加快完善政府信息公开机制", phrase + "。一、加快完善政府信息公开机制")
        chars = phrase[len("全年主动公开政府信息"):]
        report = extract(text, model=FixedTagger([(chars, "PUB_TOTAL", phrase)]))
        check = checks_of(report)["prose_vs_table.prose.pub_total"]
        assert check.status == ("pass" if ok else "fail"), (phrase, check.detail)


def test_money_in_yuan_agrees_with_wan_yuan_table():
    text = seed_text("001").replace("全年发布", "全年发布", 1)
    text = text.replace("六、其他需要报告的事项", "全年政府集中采购金额108307320元。六、其他需要报告的事项")
    report = extract(text, model=FixedTagger([("108307320元", "PROC_AMOUNT", "采购金额108307320元")]))
    mention = next(m for m in report.mentions if m.label == "PROC_AMOUNT")
    assert mention.value == 10830.732 and mention.unit == "元"
    assert checks_of(report)["prose_vs_table.prose.proc_amount"].status == "pass"


def test_litigation_is_direct_plus_after_review():
    text = seed_text("001").replace("六、其他需要报告的事项", "全年发生行政诉讼0件。六、其他需要报告的事项")
    report = extract(text, model=FixedTagger([("0件", "LITIGATION", "行政诉讼0件")]))
    check = checks_of(report)["prose_vs_table.prose.litigation"]
    assert check.status == "pass" and "litigation_direct.total + litigation_after_review.total" in check.detail


def test_figure_of_another_year_is_not_compared():
    text = seed_text("001").replace("六、其他需要报告的事项", "2019年共收到申请5件。六、其他需要报告的事项")
    report = extract(text, model=FixedTagger([("5件", "APP_RECEIVED", "2019年共收到申请5件")]))
    assert "prose_vs_table.prose.app_received" not in checks_of(report)
    assert "prose.app_received" not in report.metrics
    assert report.mentions[0].metric is None


def test_prose_only_report_gets_metrics_from_mentions():
    need_corpus()
    text = (CORPUS / "pages" / "p004.txt").read_text(encoding="utf-8")
    report = extract(text, model=FixedTagger([("393次", "PRESS_EVENT", "释疑解惑393次")]))
    assert report.template == "none"
    assert report.metrics["prose.press_event"].value == 393 and report.metrics["prose.press_event"].source == "prose"


def test_cross_year_carry_over_on_two_consecutive_reports():
    need_corpus()
    r2019 = extract(CORPUS / "github" / "texts" / "g031.txt")
    r2020 = extract(CORPUS / "github" / "texts" / "g035.txt")
    assert r2019.agency == r2020.agency == "平潭综合实验区" and (r2019.year, r2020.year) == (2019, 2020)
    (check,) = cross_year_checks([r2019, r2020])
    assert check.status == "pass" and "2019年结转下年0 = 2020年上年结转0" in check.detail
    bent = extract(CORPUS / "github" / "texts" / "g035.txt")
    from extractor.report import Evidence, Metric

    bent.metrics["applications.carried_over.total"] = Metric(3, "件", "table", Evidence(0, 1, "3"))
    (check,) = cross_year_checks([r2019, bent])
    assert check.status == "fail"
