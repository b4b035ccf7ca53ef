"""The candidate classifiers: models that label each quantity the rule detector finds
(extractor.numbers.find_quantities) with one of the 22 labels or O, from its context features
(extractor.features). scikit-learn verbs: fit / predict.

- `QuantityBaseline`: logistic regression over each quantity alone, the simple baseline the
  tagger must beat.
- `QuantityCRF`: a linear-chain CRF over each narrative region's quantities in order (python-crfsuite
  through sklearn-crfsuite), with the same features and how each quantity links to the one before;
  its label transitions carry a label along an enumeration (`动态类 1744 条，政务信息 393 条，…`).
  It is the second opinion shipped beside the token classifier.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractor.features import candidate_features
from extractor.numbers import find_quantities
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
        from extractor.tagger import mentions_of

        probs = self.model_.predict_proba(self.vectorizer_.transform([candidate_features(text, a, b) for a, b in spans]))
        return mentions_of(text, [(a, b, str(self.model_.classes_[p.argmax()]), float(p.max())) for (a, b), p in zip(spans, probs)])


@dataclass
class QuantityCRF:
    """Linear-chain CRF over each region's quantities (L-BFGS with elastic-net regularization c1, c2,
    chosen by `make crossval` on train + dev). `predict` labels each quantity by its marginal, as
    the extractor does (extractor.tagger.CandidateClassifier, numpy forward-backward over the
    exported weights)."""

    c1: float = 0.05
    c2: float = 0.02
    max_iterations: int = 300
    features_: list[str] = field(default_factory=list, init=False, repr=False)
    model_: object = field(default=None, init=False, repr=False)
    exported_: object = field(default=None, init=False, repr=False)

    def fit(self, items: list[AnnotatedText]) -> "QuantityCRF":
        import sklearn_crfsuite

        from extractor.features import quantity_sequences, sequence_features

        # crfsuite's model dump cannot hold attribute names with whitespace (features of a context's
        # characters may be one), so it sees each feature by its index in features_
        index: dict[str, int] = {}
        X, y = [], []
        for item in items:
            gold = {(s.start, s.end): s.label for s in item.spans}
            for spans in quantity_sequences(item.text, item.regions):
                X.append([{str(index.setdefault(k, len(index))): float(v) for k, v in f.items()}
                          for f in sequence_features(item.text, spans)])
                y.append([gold.get(span, "O") for span in spans])
        self.features_ = sorted(index, key=index.get)
        self.model_ = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=self.c1, c2=self.c2, max_iterations=self.max_iterations,
                                           all_possible_transitions=True)
        self.model_.fit(X, y)
        self.exported_ = _exported(self)
        return self

    def predict(self, text: str, regions: list[tuple[int, int]] | None = None) -> list[Mention]:
        from extractor.tagger import mentions_of

        regions = regions if regions is not None else [(0, len(text))]
        labeled = [(a, b, max(p, key=p.get), max(p.values())) for (a, b), p in self.exported_.opinions(text, regions)]
        return mentions_of(text, labeled)


def _exported(crf: QuantityCRF):  # noqa: ANN202
    """The fitted CRF as the extractor's numpy CandidateClassifier (state weights and transitions)."""
    import numpy as np

    from extractor.tagger import CandidateClassifier

    classes = [str(c) for c in crf.model_.classes_]
    row = {c: i for i, c in enumerate(classes)}
    # the features with a nonzero weight (L1), by name: the files do not depend on the order features were met
    kept = sorted({int(attr) for attr, _ in crf.model_.state_features_}, key=lambda attr: crf.features_[attr])
    column = {attr: i for i, attr in enumerate(kept)}
    index = {crf.features_[attr]: i for i, attr in enumerate(kept)}
    coef = np.zeros((len(classes), len(kept)), dtype=np.float32)
    for (attr, label), w in crf.model_.state_features_.items():
        coef[row[label], column[int(attr)]] = w
    transitions = np.zeros((len(classes), len(classes)), dtype=np.float32)
    for (a, b), w in crf.model_.transition_features_.items():
        transitions[row[a], row[b]] = w
    return CandidateClassifier(classes, index, coef, np.zeros(len(classes), dtype=np.float32), transitions)


def save_classifier(model: "QuantityBaseline | QuantityCRF", directory) -> None:  # noqa: ANN001
    """Write the fitted classifier next to a tagger model: weights as safetensors, names as JSON."""
    import json
    from pathlib import Path

    import numpy as np
    from safetensors.numpy import save_file

    directory = Path(directory)
    if isinstance(model, QuantityCRF):
        exported = model.exported_
        classes, names = exported.classes, sorted(exported.index, key=exported.index.get)
        arrays = {"coef": exported.coef, "intercept": exported.intercept, "transitions": exported.transitions}
    else:
        classes = [str(c) for c in model.model_.classes_]
        names = model.vectorizer_.get_feature_names_out().tolist()
        arrays = {"coef": model.model_.coef_, "intercept": model.model_.intercept_}
    # coef_ is Fortran-ordered; safetensors wants contiguous float32
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()},
              str(directory / "candidate_classifier.safetensors"))
    (directory / "candidate_classifier.json").write_text(json.dumps(
        {"classes": classes, "features": names, "kind": "crf" if isinstance(model, QuantityCRF) else "logistic"},
        ensure_ascii=False), encoding="utf-8")
