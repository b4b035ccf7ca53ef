"""Each table layout, made from real seed text, gives the same cells."""
from __future__ import annotations

import re

import pytest

from conftest import CORPUS, need_corpus, seed_text
from extractor import extract
from extractor.tables.catalogue import TABLE4_KEYS

TABLE_PREFIXES = ("active.", "applications.", "review.", "litigation_direct.", "litigation_after_review.")


def table_values(text: str) -> dict[str, float]:
    report = extract(text)
    return {k: m.value for k, m in report.metrics.items() if k.startswith(TABLE_PREFIXES)}


@pytest.fixture(scope="module")
def seed001() -> str:
    return seed_text("001")


@pytest.fixture(scope="module")
def tab_values(seed001: str) -> dict[str, float]:
    return table_values(seed001)


def test_tab_layout_reads_all_three_tables(tab_values):
    assert tab_values["applications.new.total"] == 8
    assert tab_values["active.procurement.amount"] == 10830.732
    assert tab_values["litigation_after_review.total"] == 0
    assert len(tab_values) == 193


def test_markdown_pipes_give_the_same_cells(seed001, tab_values):
    piped = "\n".join(("| " + " | ".join(line.split("\t")) + " |") if "\t" in line else line
                      for line in seed001.split("\n"))
    assert table_values(piped) == tab_values


def test_one_cell_per_line_with_filler_rows(seed001, tab_values):
    lines = []
    for line in seed001.split("\n"):
        if "\t" in line:
            lines.extend(f"{cell} |" for cell in line.split("\t") if cell.strip())
            lines.append("|||||||||||||")
        else:
            lines.append(line)
    got = table_values("\n".join(lines))
    # blank cells vanish in this layout, so table 4 (blank review block) cannot be placed; all else can
    assert {k: v for k, v in got.items()} == {k: v for k, v in tab_values.items() if not k.startswith(("review.", "litigation"))}


def test_flattened_rows_split_only_when_certain(seed001, tab_values):
    flat = re.sub(r"\t+", "", seed001)  # labels and numbers run together, cell boundaries lost
    got = table_values(flat)
    for key in ("applications.new.natural_person", "applications.new.total", "applications.granted.total",
                "applications.total.total", "applications.carried_forward.total"):
        assert got[key] == tab_values[key], key
    # "51430" (licensing 5 | 0 | 143) splits several ways: left unplaced, never guessed
    assert "active.licensing.decisions" not in got
    report = extract(flat)
    assert any("more than one split" in u["reason"] for u in report.unparsed)
    assert any("exactly one split" in n for n in report.notes)


def test_space_separated_numbers(seed001, tab_values):
    mixed = "\n".join(re.sub(r"(?<=\d)\t(?=\d)", " ", line) for line in seed001.split("\n"))
    assert table_values(mixed) == tab_values
    spaced = re.sub(r"\t+", " ", seed001)  # no tabs at all: table 4's blank review cells cannot survive
    assert table_values(spaced) == {k: v for k, v in tab_values.items() if not k.startswith("litigation")}


def test_table4_as_fifteen_numbers_on_one_line():
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计\n"
            "1 2 0 0 3 0 0 1 0 1 0 0 0 0 0\n五、存在的主要问题及改进情况\n无。")
    got = table_values(text)
    assert [got[k] for k in TABLE4_KEYS] == [1, 2, 0, 0, 3, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]
    checks = {c.rule: c.status for c in extract(text).checks}
    assert checks == {"review.sum": "pass", "litigation_direct.sum": "pass", "litigation_after_review.sum": "pass"}


def test_table3_row_as_seven_numbers_run_together():
    text = ("三、收到和处理政府信息公开申请情况\n申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n"
            "一、本年新收政府信息公开申请数量230 000023\n四、政府信息公开行政复议、行政诉讼情况\n无。")
    got = table_values(text)
    assert got["applications.new.natural_person"] == 23 and got["applications.new.total"] == 23
    assert [got[f"applications.new.{c}"] for c in ("commercial", "research", "social_welfare", "legal_service", "other_org")] == [0] * 5


def test_legacy_pipes_units_and_groups():
    got = {k: m for k, m in extract(seed_text("003")).metrics.items()}
    assert got["legacy.active.total"].value == 3531 and got["legacy.active.total"].unit == "条"
    assert got["legacy.review.upheld"].value == 6 and got["legacy.litigation.upheld"].value == 5
    assert got["legacy.fees"].value == 0 and got["legacy.fees"].unit == "万元"


def test_money_in_yuan_becomes_wan_yuan_and_text_cells_are_reported():
    report = extract(seed_text("004"))
    amount = report.metrics["active.procurement.amount"]
    assert amount.value == 4.7888 and amount.evidence.text == "47888元"
    assert "active.procurement.items" not in report.metrics
    assert any("active.procurement.items" in u["reason"] for u in report.unparsed)


def test_dashes_and_blanks_are_absent_not_zero(seed001):
    text = seed001.replace("行政强制\t0\t0\t0", "行政强制\t—\t\t0")
    got = table_values(text)
    assert "active.coercion.previous" not in got and "active.coercion.change" not in got
    assert got["active.coercion.decisions"] == 0


def test_thousands_separators_and_signs():
    text = ("二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
            "行政许可\t1,204\t-5\t12,345\n三、收到和处理政府信息公开申请情况\n")
    got = table_values(text)
    assert (got["active.licensing.previous"], got["active.licensing.change"], got["active.licensing.decisions"]) == (1204, -5, 12345)


def test_truncated_table_keeps_what_it_read_and_invents_nothing(seed001, tab_values):
    cut = seed001[: seed001.index("(四) 无法提供")]
    got = table_values(cut)
    assert got["applications.new.total"] == 8
    assert "applications.total.total" not in got and "review.total" not in got
    assert all(tab_values[k] == v for k, v in got.items())


def test_traditional_one_cell_per_line_seed():
    got = table_values(seed_text("004"))
    assert got["active.fees.previous"] == 3
    assert len([k for k in got if k.startswith("applications.")]) == 161
    assert [got[k] for k in TABLE4_KEYS] == [0] * 15


def test_spaced_cells_with_blank_cells_from_html_export():
    need_corpus()
    report = extract(CORPUS / "github" / "texts" / "g029.txt")
    got = {k: m.value for k, m in report.metrics.items()}
    # table 4 of this export has only the three 总计 cells filled; the other twelve are blank
    assert got["review.total"] == 0 and got["litigation_direct.total"] == 0 and got["litigation_after_review.total"] == 0
    assert "review.upheld" not in got


def test_v2021_template_columns():
    need_corpus()
    report = extract(CORPUS / "github" / "texts" / "g037.txt")
    assert report.template == "v2021"
    got = {k: m.value for k, m in report.metrics.items()}
    assert (got["active.normative_documents.issued"], got["active.normative_documents.repealed"],
            got["active.normative_documents.in_force"]) == (7, 25, 181)
    assert got["active.fees.amount"] == 1163.54
    assert got["applications.new.total"] == 37
    assert got["applications.other.no_correction.total"] == 0


def test_flattened_rows_pinned_by_the_tables_column_sums():
    """g039: '270020130' splits two ways that both add up across the row (27+0+0+2+0+1 = 30 and
    2+7+0+0+20+1 = 30); only one keeps every column's balance and outcome sum."""
    need_corpus()
    report = extract(CORPUS / "github" / "texts" / "g039.txt")
    got = {k: m.value for k, m in report.metrics.items()}
    assert [got[f"applications.granted.{c}"] for c in ("natural_person", "commercial", "research", "social_welfare",
                                                       "legal_service", "other_org", "total")] == [27, 0, 0, 2, 0, 1, 30]
    assert any("column sums hold" in n for n in report.notes)
    assert not [u for u in report.unparsed if u["table"] == "table3"]


def test_missing_table3_heading_falls_back_to_the_text_after_table2(seed001, tab_values):
    text = seed001.replace("三、收到和处理政府信息公开申请情况", "")
    got = table_values(text)
    assert {k: v for k, v in got.items() if k.startswith("applications.")} == \
        {k: v for k, v in tab_values.items() if k.startswith("applications.")}
    report = extract(text)
    assert not [u for u in report.unparsed if u["table"] == "table2"]  # table 3 rows are not table 2 noise
