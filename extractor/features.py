"""Features of a candidate quantity's context: characters around it by distance, the channels
(website, WeChat, Weibo, other) named in its clause, sentence, numbered item and paragraph and after
it in its sentence (the scopes of the annotation guideline's channel rules), and the cue words of
the genre (verbs of receiving or answering applications, nouns of followers, visits, inquiries …)
in its clause, its sentence and right after it (`candidate_features`); and, for a linear-chain model
over a region's quantities, how each links to the one before (`sequence_features`). Used by the
candidate classifiers (training/baseline.py: the logistic-regression baseline and the CRF shipped as
the tagger's second opinion).

The lexicons are data: one regex of alternatives per class; a class name becomes a feature.
"""
from __future__ import annotations

import re

from extractor.numbers import CANDIDATE, find_quantities

_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_CLAUSE_END = re.compile(r"[，,。；;！？!?\n、]")
CHANNELS = {"website": r"网站|门户|网上|网页|专栏|栏目|专区|网络", "wechat": r"微信|公众号", "weibo": r"微博",
            "other": r"头条|抖音|快手|客户端|APP|app|报纸|日报|电视|广播|公报|公开栏|公示栏|视频号|新媒体|媒体|平台|系统|短信"}
_CHANNEL = re.compile("|".join(f"(?P<{k}>{v})" for k, v in CHANNELS.items()))
# cue words: classes of words that decide a label in the annotation guideline (first match wins,
# so longer alternatives come first within a class and more specific classes come first)
CUES = {
    "receive": r"收到|受理|接收|接到|申请共计|新收",
    "complete": r"办结|办理|答复|处理|回复|予以公开|部分公开|不予公开|无法提供|不予处理",
    "carry_over": r"上年结转|上年度结转|结转上年",
    "carry_forward": r"结转下年|转下年|结转至|转入下一年|结转到",
    "apply": r"申请",
    "followers": r"粉丝|关注|订阅|用户",
    "visits": r"访问|浏览|阅读|点击|观看|查阅|访客",
    "inquiry": r"咨询|留言|诉求|热线|来信|来电|提问|问题|网民|答疑",
    "press": r"发布会|访谈|吹风会|新闻发布|开放日|见面会",
    "interp": r"解读",
    "proposal": r"提案|建议",
    "doc": r"规范性文件|政策文件|规章|政策性文件|文件",
    "training": r"培训",
    "review": r"复议",
    "lawsuit": r"诉讼|应诉",
    "report_up": r"上报|报送|采用|转发|转载",
    "publish": r"公开|发布|推送|更新|刊发|发稿",
    "money": r"采购|收费|费用|金额",
    "list": r"其中|包括|分别",
}
_CUE = re.compile("|".join(f"(?P<{k}>{v})" for k, v in CUES.items()))
_RIGHT_END = re.compile(r"[，,。；;、\n]")
# the marker of a numbered item (一是, （1）, 1、, 一、, ①): a channel named in one item does not carry into the next
_ITEM = re.compile(r"[一二三四五六七八九十]是|[（(][0-9一二三四五六七八九十]+[）)]|(?<![0-9])[0-9]+[、.．](?![0-9])"
                   r"|[一二三四五六七八九十]+、|[①②③④⑤⑥⑦⑧⑨⑩]")


def candidate_features(text: str, start: int, end: int) -> dict[str, float]:
    """Sparse features (name -> 1.0) of the quantity text[start:end] in its context."""
    feats: dict[str, float] = {}
    m = _match(text, start, end)
    if m:
        feats[f"unit={m['unit'] or ''}"] = 1
        feats[f"mult={m['mult'] or ''}"] = 1
        feats[f"pre={m['pre'] or ''}"] = 1
        feats[f"chinese={not m['num'][0].isdigit()}"] = 1
    left = text[max(0, start - 40):start]
    for i in range(len(left)):
        dist = len(left) - i
        bucket = "a" if dist <= 4 else "b" if dist <= 12 else "c"
        feats[f"L1{bucket}:{left[i]}"] = 1
        if i + 1 < len(left):
            feats[f"L2{bucket}:{left[i:i + 2]}"] = 1
    # every scope below reaches back at most 200 characters, so the sentence start is looked for there only
    sentence_start = max((mm.end() for mm in _SENTENCE_END.finditer(text, max(0, start - 200), start)),
                         default=max(0, start - 200))
    clause = text[max(sentence_start, start - 80):start]
    for i in range(len(clause) - 1):
        feats[f"S2:{clause[i:i + 2]}"] = 1
    clause_start = max((mm.end() for mm in _CLAUSE_END.finditer(text, max(0, start - 60), start)), default=max(0, start - 60))
    paragraph_start = text.rfind("\n", 0, start) + 1
    for scope, a in (("clause", clause_start), ("sentence", max(sentence_start, start - 120)),
                     ("paragraph", max(paragraph_start, start - 300))):
        kinds = {m.lastgroup for m in _CHANNEL.finditer(text, a, start)}
        for kind in kinds:
            feats[f"ch_{scope}:{kind}"] = 1
        feats[f"ch_{scope}_n:{min(len(kinds), 3)}"] = 1
    nearest = None
    for m in _CHANNEL.finditer(text, max(paragraph_start, start - 300), start):
        nearest = m
    if nearest is not None:
        feats[f"ch_nearest:{nearest.lastgroup}"] = 1
        feats[f"ch_nearest_word:{nearest.group()}"] = 1
    feats.update(_item_and_after_features(text, start, end, max(paragraph_start, start - 300)))
    right = text[end:end + 10]
    for i in range(len(right) - 1):
        feats[f"R2:{right[i:i + 2]}"] = 1
    feats.update(_cue_features(text, start, end, clause_start, sentence_start))
    return feats


def quantity_sequences(text: str, regions: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """What a linear-chain model reads: each region's rule-detected quantities in order (regions
    without any left out)."""
    return [spans for a, b in regions if (spans := find_quantities(text, a, b))]


def sequence_features(text: str, spans: list[tuple[int, int]]) -> list[dict[str, float]]:
    """Features of each quantity of one sequence (a narrative region's quantities, in order): its
    candidate_features, a bias, and how it links to the quantity before it (distance, same unit, same
    sentence, a clause break, the channels and cue words between them): what lets a linear-chain model
    carry a label along a list, or see where it changes."""
    out = []
    units = [_unit(text, start, end) for start, end in spans]
    for i, (start, end) in enumerate(spans):
        feats = candidate_features(text, start, end)
        feats["bias"] = 1
        if i == 0:
            feats["link=first"] = 1
        else:
            gap = text[spans[i - 1][1]:start]
            feats["link_dist=" + ("near" if len(gap) <= 12 else "mid" if len(gap) <= 40 else "far")] = 1
            feats[f"link_same_unit={units[i - 1] == units[i]}"] = 1
            feats[f"link_same_sentence={not _SENTENCE_END.search(gap)}"] = 1
            feats[f"link_clause_break={bool(_CLAUSE_END.search(gap))}"] = 1
            # a channel or cue word between the two: the list may have moved on to another channel or verb
            for kind in {m.lastgroup for m in _CHANNEL.finditer(gap)}:
                feats[f"link_gap_channel:{kind}"] = 1
            for kind in {m.lastgroup for m in _CUE.finditer(gap)}:
                feats[f"link_gap_cue:{kind}"] = 1
        out.append(feats)
    return out


def _match(text: str, start: int, end: int) -> re.Match | None:
    return CANDIDATE.fullmatch(text[start:end]) or CANDIDATE.match(text, start)


def _unit(text: str, start: int, end: int) -> str:
    m = _match(text, start, end)
    return (m["unit"] or "") if m else ""


def _cue_features(text: str, start: int, end: int, clause_start: int, sentence_start: int) -> dict[str, float]:
    feats: dict[str, float] = {}
    clause = [m.lastgroup for m in _CUE.finditer(text, clause_start, start)]
    for kind in clause:
        feats[f"cue_clause:{kind}"] = 1
    if clause:
        feats[f"cue_clause_last:{clause[-1]}"] = 1
    sentence = [m.lastgroup for m in _CUE.finditer(text, sentence_start, start)]
    for kind in sentence:
        feats[f"cue_sentence:{kind}"] = 1
    if sentence:
        feats[f"cue_sentence_first:{sentence[0]}"] = 1
    stop = _RIGHT_END.search(text, end, end + 30)
    for m in _CUE.finditer(text, end, stop.start() if stop else end + 30):
        feats[f"cue_right:{m.lastgroup}"] = 1
    return feats


def _item_and_after_features(text: str, start: int, end: int, scope_start: int) -> dict[str, float]:
    """The channels named since the last numbered item's marker (within the scope), and those named
    after the quantity in the rest of its sentence (`…2645条，主要通过政府网站、…等媒介进行公开`)."""
    feats: dict[str, float] = {}
    item = max((m.end() for m in _ITEM.finditer(text, scope_start, start)), default=scope_start)
    feats[f"item_marker={item > scope_start}"] = 1
    kinds = [m.lastgroup for m in _CHANNEL.finditer(text, item, start)]
    for kind in set(kinds):
        feats[f"ch_item:{kind}"] = 1
    feats[f"ch_item_n:{min(len(set(kinds)), 3)}"] = 1
    if kinds:
        feats[f"ch_item_last:{kinds[-1]}"] = 1
    stop = _SENTENCE_END.search(text, end, end + 150)
    after = {m.lastgroup for m in _CHANNEL.finditer(text, end, stop.start() if stop else end + 150)}
    for kind in after:
        feats[f"ch_after:{kind}"] = 1
    feats[f"ch_after_n:{min(len(after), 3)}"] = 1
    return feats
