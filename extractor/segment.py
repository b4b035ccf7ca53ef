"""Stage 3, segment: the standard sections, the agency, the report year.

Section headings are found by their title phrase behind a top-level number (一、 二、 …), a
markdown `#`, or alone on a line; whitespace and line breaks inside a title are tolerated
(pdf text breaks them). A report with no headings has no sections and is read whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_TITLES: dict[str, tuple[str, ...]] = {
    "overview": ("总体情况", "概述", "基本情况"),
    "active": ("主动公开政府信息的情况", "主动公开政府信息情况", "主动公开情况", "主动公开政府信息"),
    "applications": ("收到和处理政府信息公开申请的情况", "收到和处理政府信息公开申请情况", "收到的处理政府信息公开申请情况",
                     "收到及处理政府信息公开申请情况", "处理政府信息公开申请情况",
                     "政府信息依申请公开工作情况", "政府信息依申请公开情况", "依申请公开政府信息情况",
                     "依申请公开情况", "依申请公开工作情况"),
    "fees": ("收费及减免情况", "收费和减免情况", "政府信息公开的收费及减免情况"),
    "review_litigation": ("因政府信息公开工作被申请行政复议、提起行政诉讼情况", "政府信息公开行政复议、行政诉讼情况",
                          "因政府信息公开申请行政复议、提起行政诉讼的情况", "行政复议、提起行政诉讼",
                          "行政复议和行政诉讼情况", "行政复议、行政诉讼情况", "复议、诉讼情况"),
    "problems": ("存在的主要问题及改进情况", "存在的主要问题及改进措施", "存在的主要问题和改进措施",
                 "主要问题和改进措施", "主要问题及改进措施", "工作存在的主要问题及改进情况", "存在的问题及改进措施",
                 "存在的问题和改进措施", "存在的主要问题", "存在的问题"),
    "other": ("其他需要报告的事项",),
    "stats_table": ("政府信息公开情况统计表", "政府信息公开工作情况统计表"),
}

_NUMBER = r"(?:[一二三四五六七八九十]{1,3}\s*[、.．]|第[一二三四五六七八九十]{1,3}部分\s*[、:：]?|附(?:件|表)\s*\d*\s*[:：]?)"


def _loose(phrase: str) -> str:
    return r"\s*".join(re.escape(c) for c in phrase)


def _heading_pattern() -> re.Pattern[str]:
    alts = []
    for kind, titles in SECTION_TITLES.items():
        alts.append(f"(?P<{kind}>" + "|".join(_loose(t) for t in sorted(titles, key=len, reverse=True)) + ")")
    titles = "|".join(alts)
    # numbered (anywhere: flattened texts run headings into the prose), markdown, or a bare line
    return re.compile(rf"(?:(?:^|\n)[ \t]*#+[ \t]*{_NUMBER}?|{_NUMBER}[ \t]*(?:[^\n。，,；;、\d|\t]{{0,24}}?)|(?:^|\n)[ \t]*)(?:{titles})"
                      rf"(?P<tail>[^\n]{{0,3}})")


_HEADING = _heading_pattern()
_STATS_TABLE = re.compile(r"(?:附件|附表)\s*\d*\s*[:：]?[^\n。，,]{0,30}?政府信息公开(?:工作)?(?:情况)?统计表(?!\s*[,，。、])"
                          r"|[^\n。，,]{0,30}?政府信息公开(?:工作)?(?:情况)?统计表(?=[^。]{0,20}?(?:指标|单位))")
_REPORT_WORDS = re.compile(r"政\s*府\s*信\s*息\s*公\s*开(?:\s*工\s*作)?\s*(?:年\s*度\s*)?(?:报\s*告|年\s*报)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*度?\s*")
_AGENCY_END = re.compile(r"(人民政府|政府|办公厅|办公室|委员会|管委会|管理委员会|局|厅|委|办|院|部|署|中心|街道|"
                         r"镇|乡|区|县|市|省|所|站|队|馆|会|处|公司)$")
_AGENCY_NOISE = re.compile(r"^(?:#+|\s|现公布|现发布|现将|公布|关于|发布|印发|[0-9０-９]+|[\W_])+")
_PERIOD = re.compile(r"统计期限(?:为|自|是|从)?\s*((?:19|20)\d{2})\s*年|[(（]\s*((?:19|20)\d{2})\s*年度?\s*[)）]|^\s*((?:19|20)\d{2})\s*年"
                     r"|^[^\n]{0,20}\n?[^\n]{0,20}?((?:19|20)\d{2})\s*年(?:度|以来)?[,，]")


@dataclass(frozen=True)
class Section:
    kind: str
    heading_start: int
    start: int  # first character of the body
    end: int

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def find_sections(text: str) -> list[Section]:
    found: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for m in _HEADING.finditer(text):
        kind = next(k for k in SECTION_TITLES if m.group(k))
        if kind in seen or "stats_table" in seen:
            continue
        line_end = text.find("\n", m.end())
        line = text[text.rfind("\n", 0, m.start() + 1) + 1: line_end if line_end >= 0 else len(text)]
        if len([c for c in re.split(r"[|\t]", line) if c.strip()]) > 1:  # a table row: "一、主动公开情况 | —— |"
            continue
        if kind == "stats_table" and not m.group(0).lstrip("\n \t#").startswith(("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "第")) \
                and m.group("tail").strip().startswith(("。", "，", ",")):
            continue
        seen.add(kind)
        heading_start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip("\n")))
        found.append((heading_start, m.end() - len(m.group("tail")), kind))
    if "stats_table" not in seen:  # "附件1:某某2011年政府信息公开情况统计表" runs into the text anywhere
        m = _STATS_TABLE.search(text)
        if m:
            found = [f for f in found if f[0] < m.start()]
            found.append((m.start(), m.end(), "stats_table"))
    found.sort()
    sections = []
    for i, (h, body, kind) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(text)
        sections.append(Section(kind, h, body, end))
    return sections


def _clean_agency(raw: str) -> str | None:
    raw = re.sub(r"\s+", "", raw)
    raw = re.split(r"[。，,；;:：、|]", raw)[-1]
    raw = _AGENCY_NOISE.sub("", raw)
    if len(raw) < 2 or not _AGENCY_END.search(raw):
        return None
    return raw


_SELF = re.compile(r"[我本](局|厅|委|办|院|署|中心|区|县|市|镇|乡|街道)")
_ORG = re.compile(r"(?:(?<=[\s《“\"(（,，。、:：;；年和])|^)[^\W\d_了的和及以在对与为将把被从向等内外各]{2,6}?"
                  r"(?:省|市|县|区|自治州|盟)"
                  r"[\u4e00-\u9fff]{1,14}?(?:局|厅|委员会|办公室|中心)")


def agency_from_self_reference(text: str) -> str | None:
    """No title: the report calls itself 我局/本厅 …; take the most frequent full name of that kind
    of body written in the text ("樟树市自然资源局门户网站" → 樟树市自然资源局)."""
    selves = [m.group(1) for m in _SELF.finditer(text[:20000])]
    if not selves:
        return None
    kind = max(set(selves), key=selves.count)
    suffix = {"委": "委员会", "办": "办公室"}.get(kind, kind)
    names: dict[str, int] = {}
    for m in _ORG.finditer(text[:20000]):
        name = _AGENCY_NOISE.sub("", m.group())
        if name.endswith(suffix) and len(name) >= 4:
            names[name] = names.get(name, 0) + 1
    return max(names, key=lambda n: (names[n], len(n))) if names else None


def find_title(text: str) -> tuple[str | None, int | None]:
    """Agency and report year from the title (or the opening lines when there is no title)."""
    agency, year = _from_title(text)
    return agency or agency_from_self_reference(text), year


def _from_title(text: str) -> tuple[str | None, int | None]:
    head = text[:1500]
    for m in _REPORT_WORDS.finditer(head):
        before = head[max(0, m.start() - 90): m.start()]
        years = list(_YEAR.finditer(before))
        if not years:
            continue
        y = years[-1]
        pre, mid = before[: y.start()], before[y.end():]
        pre = pre[pre.rfind("\n", 0, max(len(pre.rstrip("\n")), 0)) + 1:] if "\n" in pre.rstrip("\n") else pre
        return _clean_agency(pre) or _clean_agency(mid), int(y.group(1))
    m = _PERIOD.search(head)
    if m:
        return None, int(next(g for g in m.groups() if g))
    return None, None
