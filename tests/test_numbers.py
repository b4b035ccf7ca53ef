"""Value parsing for every numeral form the reports use (contract §1)."""
from __future__ import annotations

import pytest

from extractor.numbers import find_quantities, parse_cell, parse_quantity


@pytest.mark.parametrize("text,money,value,unit,approx", [
    ("8件", False, 8, "件", None),
    ("八件", False, 8, "件", None),
    ("两千余条", False, 2000, "条", "more_than"),
    ("二十三次", False, 23, "次", None),
    ("1.2万人次", False, 12000, "人次", None),
    ("120万人次", False, 1200000, "人次", None),
    ("约1.2万人次", False, 12000, "人次", "about"),
    ("5000 余条", False, 5000, "条", "more_than"),
    ("超过 700 条", False, 700, "条", "more_than"),
    ("近3000条", False, 3000, "条", "about"),
    ("3000条以上", False, 3000, "条", "at_least"),
    ("100多篇", False, 100, "篇", "more_than"),
    ("200条左右", False, 200, "条", "about"),
    ("逾13.36万人", False, 133600, "人", "more_than"),
    ("过万", False, 10000, "", "more_than"),
    ("1,234件", False, 1234, "件", None),
    ("0件", False, 0, "件", None),
    ("10,830.732 万元", True, 10830.732, "万元", None),
    ("47888元", True, 4.7888, "元", None),
    ("1.5亿元", True, 15000, "亿元", None),
    ("0元", True, 0, "元", None),
])
def test_parse_quantity(text, money, value, unit, approx):
    q = parse_quantity(text, money=money)
    assert q is not None
    assert q.value == pytest.approx(value) and q.unit == unit and q.approx == approx
    assert isinstance(q.value, int) == isinstance(value, int) or money


@pytest.mark.parametrize("cell,money,expected", [
    ("10,830.732", False, (10830.732, "")), ("47888元", True, (4.7888, "元")), ("+82", False, (82, "")),
    ("-5", False, (-5, "")), ("253.168万元", True, (253.168, "万元")), ("电脑(6台)", False, None), ("—", False, None),
])
def test_parse_cell(cell, money, expected):
    assert parse_cell(cell, money=money) == expected


def test_quantities_leave_out_dates_phones_documents_ordinals_durations_percentages():
    text = ("2020 年度,门户网站信息发布总数 2306 条。2020年1月1日至12月31日,收到申请8件,加上2019年结转1件。"
            "第二十条,一是,八件,办结率100%,20 个工作日内答复,豫政办〔2020〕5 号,两千余条。")
    found = [text[a:b] for a, b in find_quantities(text)]
    assert found == ["2306 条", "8件", "1件", "八件", "两千余条"]
