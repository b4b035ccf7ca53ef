"""The simple baseline the model must beat: logistic regression over each candidate quantity.

Candidates are the rule detector's spans (extractor.numbers.find_quantities); each is classified
into one of the 22 labels or O from the characters around it (n-grams of the left context by
distance, of the right context, the unit and the qualifiers). scikit-learn verbs: fit / predict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.contract import MONEY_LABELS, prose_metric
from extractor.numbers import CANDIDATE, find_quantities, parse_quantity
from extractor.report import Mention
from training.data import AnnotatedText

_SENTENCE_END = re.compile(r"[。；;！？!?\n]")


def candidate_features(text: str, start: int, end: int) -> dict[str, float]:
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
    right = text[end:end + 10]
    for i in range(len(right) - 1):
        feats[f"R2:{right[i:i + 2]}"] = 1
    return feats


@dataclass
class QuantityBaseline:
    C: float = 4.0
    max_iter: int = 3000
    vectorizer_: object = field(default=None, init=False, repr=False)
    model_: object = field(default=None, init=False, repr=False)

    @staticmethod
    def candidates(item_text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [span for a, b in regions for span in find_quantities(item_text, a, b)]

    def fit(self, items: list[AnnotatedText]) -> "QuantityBaseline":
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        X, y = [], []
        for item in items:
            gold = {(s.start, s.end): s.label for s in item.spans}
            for a, b in self.candidates(item.text, item.regions):
                X.append(candidate_features(item.text, a, b))
                y.append(gold.get((a, b), "O"))
        self.vectorizer_ = DictVectorizer()
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter)
        self.model_.fit(self.vectorizer_.fit_transform(X), y)
        return self

    def predict(self, text: str, regions: list[tuple[int, int]] | None = None) -> list[Mention]:
        regions = regions if regions is not None else [(0, len(text))]
        spans = self.candidates(text, regions)
        if not spans:
            return []
        probs = self.model_.predict_proba(self.vectorizer_.transform([candidate_features(text, a, b) for a, b in spans]))
        out = []
        for (a, b), p in zip(spans, probs):
            label = self.model_.classes_[p.argmax()]
            if label == "O":
                continue
            q = parse_quantity(text[a:b], money=label in MONEY_LABELS)
            if q is not None:
                out.append(Mention(label, text[a:b], a, b, q.value, q.unit, q.approx, round(float(p.max()), 4),
                                   prose_metric(label)))
        return out
