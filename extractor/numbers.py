"""Numbers as reports write them: table cells ("10,830.732", "47888元", "+82", "—") and prose
quantities ("5000 余条", "两千余条", "1.2万人次", "超过700条", "3000条以上").

Contract §1: counts are whole numbers with 万/亿 multiplied out; money is converted to 万元;
`unit` keeps the unit as written; `approx` is null | more_than | about | at_least.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BLANK_MARKS = frozenset({"", "-", "--", "—", "——", "–", "/", "\\", "无", "空", "/ ", "×"})
CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CELL = re.compile(r"^(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<unit>万元|元|亿元)?$")
_APPROX_BEFORE = {"超过": "more_than", "超": "more_than", "突破": "more_than", "逾": "more_than", "过": "more_than",
                  "约": "about", "大约": "about", "近": "about", "将近": "about", "接近": "about"}
_APPROX_AFTER = (("余", "more_than"), ("多", "more_than"), ("左右", "about"), ("以上", "at_least"))
_QUANTITY = re.compile(
    r"(?P<pre>超过|突破|将近|接近|大约|约|近|逾|超|过)?\s*"
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)?\s*"
    r"(?P<mult>万|亿)?\s*(?P<post1>余|多)?\s*(?P<unit>[^\d\s余多左右以上]{0,4}?)\s*(?P<post2>左右|以上)?$")


@dataclass(frozen=True)
class Quantity:
    value: int | float
    unit: str
    approx: str | None


def to_number(text: str) -> int | float:
    text = text.replace(",", "")
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def is_blank(cell: str) -> bool:
    return cell.strip() in BLANK_MARKS


def parse_cell(cell: str, money: bool = False) -> tuple[int | float, str] | None:
    """A table cell -> (value, unit as written); None when it is not a number.

    `money`: the column is money in 万元, so a cell written in 元 (or 亿元) is converted.
    """
    m = _CELL.match(cell.strip().replace(" ", ""))
    if not m:
        return None
    value = to_number(m["num"])
    unit = m["unit"] or ""
    if money and unit == "元":
        value = _round(value / 10000)
    elif money and unit == "亿元":
        value = _round(value * 10000)
    return value, unit


def _round(value: float) -> int | float:
    value = round(value, 6)
    return int(value) if float(value).is_integer() else value


def chinese_to_number(text: str) -> int:
    import cn2an

    return int(cn2an.cn2an(text.replace("两", "二").replace("〇", "零"), "smart"))


def parse_quantity(text: str, money: bool = False) -> Quantity | None:
    """A prose mention's characters -> value, unit and approx; None when it holds no quantity."""
    m = _QUANTITY.search(text.strip())
    if not m:
        return None
    raw = m["num"]
    if raw is None:  # "过万": the multiplier alone
        if not m["mult"]:
            return None
        raw = "1"
    try:
        value: int | float = to_number(raw) if raw[0].isdigit() else chinese_to_number(raw)
    except (ValueError, TypeError):
        return None
    unit = m["unit"] or ""
    if m["mult"] == "万":
        value = value * 10000
    elif m["mult"] == "亿":
        value = value * 100000000
    written_unit = (m["mult"] or "") + unit if unit.endswith("元") else unit
    if money:
        if m["mult"] is None and unit.endswith("万元"):
            pass
        elif m["mult"] is None and unit.endswith("亿元"):
            value = value * 10000
        else:  # 元 or 万/亿 multiplied out above: value is in 元
            value = value / 10000
    value = _round(float(value)) if isinstance(value, float) or money else value
    approx = _APPROX_BEFORE.get(m["pre"]) if m["pre"] else None
    if m["post1"]:
        approx = "more_than"
    if m["post2"]:
        approx = dict(_APPROX_AFTER)[m["post2"]]
    return Quantity(value, written_unit, approx)
