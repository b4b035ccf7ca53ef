"""The simple baseline the model must beat: logistic regression over each candidate quantity.

Candidates are the rule detector's spans (extractor.numbers.find_quantities); each is classified
into one of the 22 labels or O from the characters around it (n-grams of the left context by
distance, of the right context, the unit and the qualifiers). scikit-learn verbs: fit / predict.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractor.contract import MONEY_LABELS, prose_metric
from extractor.features import candidate_features
from extractor.numbers import find_quantities, parse_quantity
from extractor.report import Mention
from training.data import AnnotatedText

@dataclass
class QuantityBaseline:
    C: float = 8.0  # chosen by 5-fold cross-validation on train+dev (training.crossval)
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


def save_classifier(baseline: QuantityBaseline, directory) -> None:  # noqa: ANN001
    """Write the fitted classifier next to a tagger model: weights as safetensors, names as JSON."""
    import json
    from pathlib import Path

    import numpy as np
    from safetensors.numpy import save_file

    directory = Path(directory)
    names = baseline.vectorizer_.get_feature_names_out().tolist()
    save_file({"coef": np.ascontiguousarray(baseline.model_.coef_, dtype=np.float32),  # coef_ is Fortran-ordered
               "intercept": np.ascontiguousarray(baseline.model_.intercept_, dtype=np.float32)},
              str(directory / "candidate_classifier.safetensors"))
    (directory / "candidate_classifier.json").write_text(json.dumps(
        {"classes": [str(c) for c in baseline.model_.classes_], "features": names}, ensure_ascii=False), encoding="utf-8")
