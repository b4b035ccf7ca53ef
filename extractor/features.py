"""Features of a candidate quantity's context: characters around it by distance and the channels
(website, WeChat, Weibo, other) named in its clause, sentence and paragraph. Used by the
logistic-regression candidate classifier (the baseline, and the tagger's second opinion).
"""
from __future__ import annotations

import re

from extractor.numbers import CANDIDATE

_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_CLAUSE_END = re.compile(r"[，,。；;！？!?\n、]")
CHANNELS = {"website": r"网站|门户|网上|网页|专栏|栏目|专区|网络", "wechat": r"微信|公众号", "weibo": r"微博",
            "other": r"头条|抖音|快手|客户端|APP|app|报纸|日报|电视|广播|公报|公开栏|公示栏|视频号|新媒体|媒体|平台|系统|短信"}
_CHANNEL = re.compile("|".join(f"(?P<{k}>{v})" for k, v in CHANNELS.items()))


def candidate_features(text: str, start: int, end: int) -> dict[str, float]:
    """Sparse features (name -> 1.0) of the quantity text[start:end] in its context."""
    feats: dict[str, float] = {}
    m = CANDIDATE.fullmatch(text[start:end]) or CANDIDATE.match(text, start)
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
    sentence_start = max((mm.end() for mm in _SENTENCE_END.finditer(text, 0, start)), default=0)
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
    right = text[end:end + 10]
    for i in range(len(right) - 1):
        feats[f"R2:{right[i:i + 2]}"] = 1
    return feats
