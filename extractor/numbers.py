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


# ---- candidate quantities in running text (the baseline's candidates; a check for tagged spans) -----
_UNITS = ("万元|亿元|元|人次|条次|篇次|个次|场次|件次|条|件|次|篇|个|人|期|场|份|项|家|名|批|宗|起|部|套|户|封|张|册|通|只|余")
CANDIDATE = re.compile(
    r"(?P<pre>超过|突破|将近|接近|大约|约|近|逾|超|过)?\s?"
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[零〇一二两三四五六七八九十百千]{1,8})\s?"
    r"(?P<mult>万|亿)?\s?(?P<post1>余|多)?\s?(?P<unit>" + _UNITS + r")?(?P<post2>左右|以上)?")
_NOT_QUANTITY_AFTER = re.compile(r"\s?(?:年|月|日|号|%|％|时|分|秒|小时|个工作日|工作日|个月|天|周|倍|部分|届|次会|点)")


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans in text[start:end] that read as quantities: a numeral with its unit (and qualifiers);
    years, dates, durations, percentages, ordinals and document numbers are left out."""
    end = len(text) if end is None else end
    out = []
    for m in CANDIDATE.finditer(text, start, end):
        num = m["num"]
        chinese = not num[0].isdigit()
        if chinese and not m["unit"]:
            continue  # a Chinese numeral is a quantity only with its unit ("八件"), never alone ("一是")
        if m.start("num") > 0 and text[m.start("num") - 1] in "第〔[（(" and not m["pre"]:
            continue
        if m.start("num") > 0 and (text[m.start("num") - 1].isdigit() or text[m.start("num") - 1] in ".-"):
            continue
        if _NOT_QUANTITY_AFTER.match(text, m.end("num")) and not m["unit"]:
            continue
        if not m["unit"] and not m["mult"] and re.match(r"\s?号", text[m.end():m.end() + 2]):
            continue
        if _NOT_QUANTITY_AFTER.match(text, m.start("unit") if m["unit"] else m.end()):
            continue  # "20 个工作日", "3 天"
        a, b = m.span()
        b = a + len(m.group().rstrip())
        a = b - len(m.group().strip())
        if chinese and m["unit"] == "余":
            continue
        out.append((a, b))
    return out


def format_number(value: int | float) -> str:
    """A value as people write it: no float noise, no lost digits (10830.732, not 10830.7)."""
    if isinstance(value, float):
        return f"{value:.12g}"
    return str(value)
