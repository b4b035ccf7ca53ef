"""spaCy component `xxgk_quantities`: the tagger's mentions as `doc.ents`.

    nlp = spacy.blank("zh"); nlp.add_pipe("xxgk_quantities")
    doc = nlp("共收到政府信息公开申请8件。"); [(e.text, e.label_, e._.value) for e in doc.ents]

Each entity carries `._.value`, `._.unit`, `._.approx`, `._.metric` and `._.score`. The factory
is registered through the `spacy_factories` entry point, so no import is needed.
"""
from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

for _name in ("value", "unit", "approx", "metric", "score"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


class QuantityComponent:
    def __init__(self, nlp: Language, name: str, model: str | None) -> None:
        self.name = name
        self.model = model
        self.tagger_ = None

    def __call__(self, doc: Doc) -> Doc:
        from extractor.normalize import normalize
        from extractor.tagger import load_tagger

        if self.tagger_ is None:
            self.tagger_ = load_tagger(Path(self.model) if self.model else None)
        norm = normalize(doc.text)
        spans = []
        for m in self.tagger_.predict(norm.text):
            span = doc.char_span(norm.to_original(m.start), norm.to_original(m.end - 1) + 1, label=m.label,
                                 alignment_mode="expand")
            if span is None:
                continue
            span._.value, span._.unit, span._.approx, span._.metric, span._.score = m.value, m.unit, m.approx, m.metric, m.score
            spans.append(span)
        doc.ents = [s for s in spacy_filter(spans)]
        return doc


def spacy_filter(spans: list[Span]) -> list[Span]:
    from spacy.util import filter_spans

    return filter_spans(spans)


@Language.factory("xxgk_quantities", default_config={"model": None})
def make_component(nlp: Language, name: str, model: str | None) -> QuantityComponent:
    return QuantityComponent(nlp, name, model)
