"""The shipped default model (models/xxgk-tagger) on seed 001, and in the stock pipeline."""
from __future__ import annotations

import pytest

from conftest import SAMPLE
from extractor import extract
from extractor.tagger import DEFAULT_MODEL, load_tagger

pytestmark = pytest.mark.skipif(not (DEFAULT_MODEL / "config.json").exists(),
                                reason="the default model is not built (make train)")


@pytest.fixture(scope="module")
def report():
    return extract(SAMPLE, model=load_tagger())


def test_seed_001_quantities(report):
    found = {(m.text, m.label) for m in report.mentions}
    assert ("2306 条", "PUB_WEBSITE") in found
    assert ("8件", "APP_RECEIVED") in found
    assert ("1件", "APP_CARRIED_OVER") in found


def test_nothing_in_the_hotline_number_or_dates(report):
    text = report.text
    hotline = [i for i in range(len(text)) if text.startswith("12369", i)]
    for m in report.mentions:
        assert not any(m.start < h + 5 and h < m.end for h in hotline), m
        assert "年" not in m.text and "月" not in m.text and "日" not in m.text, m


def test_mentions_are_in_narrative_only_and_fill_prose_metrics(report):
    table_start = report.text.index("二、主动公开政府信息情况")
    table_end = report.text.index("五、存在的主要问题及改进情况")
    assert all(not (table_start <= m.start < table_end) or "\t" not in report.text[m.start - 2:m.end + 2]
               for m in report.mentions)
    assert report.metrics["prose.pub_website"].value == 2306
    assert report.metrics["prose.app_received"].value == 8


def test_stock_pipeline_loads_the_shipped_model(report):
    """The directory loads unchanged in the stock pipeline. Its token classifier was trained on windows
    centred on quantities (the context its config records), so it is fed the window the extractor
    reads around seed 001's 8件; on arbitrary text it only has to return valid labels."""
    from transformers import pipeline

    from extractor.contract import LABELS

    tagger = pipeline("token-classification", model=str(DEFAULT_MODEL), aggregation_strategy="simple")
    out = tagger("2020年度,我局门户网站信息发布总数 2306 条。")
    assert out and all(e["entity_group"] in LABELS for e in out)
    shipped = load_tagger()
    received = next(m for m in report.mentions if m.text == "8件")
    lo = max(0, received.start - shipped.left_context)
    out = tagger(report.text[lo:received.start + shipped.right_context])
    assert any(lo + e["start"] <= received.start < lo + e["end"] and e["entity_group"] == "APP_RECEIVED" for e in out), out


def test_quantized_model_gives_the_same_mentions_as_full_precision(report):
    from torch.ao.nn.quantized.dynamic import Linear as QuantizedLinear

    from extractor.tagger import Tagger

    assert any(isinstance(m, QuantizedLinear) for m in load_tagger().model_.modules())

    # every quantity read by the token classifier on both sides, so the comparison covers all of them
    quantized = extract(SAMPLE, model=Tagger(DEFAULT_MODEL, confident=None).load())
    full = extract(SAMPLE, model=Tagger(DEFAULT_MODEL, quantize=False, confident=None).load())
    assert [(m.start, m.end, m.label, m.value) for m in full.mentions] == \
        [(m.start, m.end, m.label, m.value) for m in quantized.mentions]


def test_quantity_windows_share_and_stay_inside_their_region():
    from extractor.tagger import LEFT_CONTEXT, RIGHT_CONTEXT, quantity_windows

    regions = [(0, 400), (400, 500)]
    quantities = [(200, 203), (205, 208), (230, 233), (390, 399), (405, 410)]
    alone = quantity_windows(quantities, regions, share=0)
    assert [(w[2], w[3]) for w in alone] == quantities
    assert alone[0][:2] == (200 - LEFT_CONTEXT, 200 + RIGHT_CONTEXT)
    shared = quantity_windows(quantities, regions, share=16)
    # 200 and 205 share a window (it keeps the full left context of the later one); 390 and 405 sit in
    # different regions, so they never share, and no window leaves its region
    assert [(w[2], w[3]) for w in shared] == [(200, 208), (230, 233), (390, 399), (405, 410)]
    assert shared[0][0] == 205 - LEFT_CONTEXT
    assert shared[2][1] == 400 and shared[3][0] == 400
    # order does not matter; a group ends at its longest quantity; a long quantity widens its window
    assert quantity_windows(list(reversed(quantities)), regions, share=16) == shared
    assert quantity_windows([(150, 170), (155, 160)], regions, share=16) == [(155 - LEFT_CONTEXT, 150 + RIGHT_CONTEXT, 150, 170)]
    long_one = quantity_windows([(300, 360)], regions)
    assert long_one == [(300 - LEFT_CONTEXT, 360, 300, 360)]
    # at a region's start the left context is cut there
    assert quantity_windows([(405, 410)], regions)[0][:2] == (400, 405 + RIGHT_CONTEXT)


def test_confident_quantities_skip_the_token_classifier(monkeypatch):
    """A quantity the candidate classifier is sure of keeps its label and is never put in a window;
    with `confident=None` the token classifier reads every quantity."""
    from extractor.load import LoadedText
    from extractor.numbers import find_quantities
    from extractor.pipeline import run_doc
    from extractor.tagger import Tagger

    tagger = load_tagger()
    read: list[tuple[int, int]] = []
    original = Tagger.centered_probs

    def spy(self, text, regions, quantities):
        read.extend(quantities)
        return original(self, text, regions, quantities)

    monkeypatch.setattr(Tagger, "centered_probs", spy)
    doc = run_doc(LoadedText(str(SAMPLE), SAMPLE.read_text(encoding="utf-8"), "text"), ("normalize", "segment", "tables"))
    text, regions = doc.text, doc.narrative
    mentions = tagger.predict(text, regions)
    quantities = [q for r in regions for q in find_quantities(text, *r)]
    opinions = dict(tagger.classifier_.opinions(text, regions))
    assert list(opinions) == quantities
    sure = [q for q in quantities if max(opinions[q].values()) >= tagger.confident]
    assert sure and len(sure) < len(quantities)  # seed 001 has both kinds
    assert set(read) == set(quantities) - set(sure)
    by_span = {(m.start, m.end): m.label for m in mentions}
    for q in sure:
        opinion = opinions[q]
        best = max(opinion, key=opinion.get)
        assert by_span.get(q, "O") == best
    read.clear()
    Tagger(DEFAULT_MODEL, confident=None).load().predict(text, regions)
    assert set(read) == set(quantities)


def test_label_studio_export_ranks_passages_by_the_tagger_s_least_sure_quantity():
    from extractor.load import LoadedText
    from extractor.pipeline import run_doc
    from training.labelstudio import export_passages, select_uncertain

    tagger = load_tagger()
    doc = run_doc(LoadedText(str(SAMPLE), SAMPLE.read_text(encoding="utf-8"), "text"), ("normalize", "segment", "tables"))
    labeled = tagger.label_quantities(doc.text, doc.narrative)
    a, _, _, p = min(labeled, key=lambda q: q[3])
    assert 0 < p < 1
    passages = export_passages([SAMPLE], tagger, max_chars=400)
    assert len(passages) > 2
    top = select_uncertain(passages, 1)[0]
    assert top.uncertainty == round(1 - p, 4)
    start = doc.norm.to_original(a)
    assert top.task["data"]["offset"] <= start < top.task["data"]["end"]


def test_the_two_mixtures_of_the_classifiers():
    import pytest

    from extractor.tagger import mix

    token = {"O": 0.6, "PUB_TOTAL": 0.4, "PUB_WEBSITE": 0.0}
    candidate = {"O": 0.1, "PUB_TOTAL": 0.3, "PUB_WEBSITE": 0.6}
    linear = mix(token, candidate, 0.5)
    assert linear == pytest.approx({"O": 0.35, "PUB_TOTAL": 0.35, "PUB_WEBSITE": 0.3})
    product = mix(token, candidate, 0.5, "log-linear")
    assert sum(product.values()) == pytest.approx(1.0)
    # a label the token classifier rules out stays out; the one both find plausible wins
    assert max(product, key=product.get) == "PUB_TOTAL" and product["PUB_WEBSITE"] < 1e-3
    assert max(mix(token, candidate, 1.0, "log-linear").items(), key=lambda kv: kv[1])[0] == "PUB_WEBSITE"
    with pytest.raises(ValueError, match="unknown mixture"):
        mix(token, candidate, 0.5, "geometric")


def test_crf_marginals_match_brute_force_enumeration_and_reduce_to_softmax():
    import itertools

    import numpy as np

    from extractor.tagger import _marginals

    rng = np.random.default_rng(7)
    for n in (1, 2, 4):
        scores, transitions = rng.normal(size=(n, 3)) * 3, rng.normal(size=(3, 3)) * 3
        total = np.zeros((n, 3))
        for path in itertools.product(range(3), repeat=n):
            weight = np.exp(sum(scores[t, y] for t, y in enumerate(path)) + sum(transitions[a, b] for a, b in zip(path, path[1:])))
            for t, y in enumerate(path):
                total[t, y] += weight
        assert np.allclose(_marginals(scores, transitions), total / total.sum(axis=1, keepdims=True))
    softmax = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    assert np.allclose(_marginals(scores, None), softmax)  # no transitions: a logistic regression per quantity


def test_candidate_classifier_reads_logistic_regressions_and_crfs_alike():
    import numpy as np
    import pytest

    from extractor.features import sequence_features
    from extractor.tagger import CandidateClassifier

    text = "网站发布信息1744条,政务信息393条。"
    index = {"bias": 0, "link=first": 1}
    coef = np.array([[0.0, 0.0], [1.0, 2.0]], dtype=np.float32)  # O, PUB_WEBSITE
    plain = CandidateClassifier(["O", "PUB_WEBSITE"], index, coef, np.zeros(2, dtype=np.float32))
    first, second = plain.opinions(text, [(0, len(text))])
    assert first[1]["PUB_WEBSITE"] == pytest.approx(np.exp(3) / (1 + np.exp(3)))
    assert second[1]["PUB_WEBSITE"] == pytest.approx(np.exp(1) / (1 + np.exp(1)))
    # a label that tends to follow itself: the CRF lifts the second quantity towards its neighbour's label
    chain = CandidateClassifier(["O", "PUB_WEBSITE"], index, coef, np.zeros(2, dtype=np.float32),
                                np.array([[0.0, -2.0], [-2.0, 2.0]], dtype=np.float32))
    assert chain.opinions(text, [(0, len(text))])[1][1]["PUB_WEBSITE"] > second[1]["PUB_WEBSITE"] + 0.1
    binary = CandidateClassifier(["O", "PUB_WEBSITE"], index, coef[1:], np.zeros(1, dtype=np.float32))
    assert binary.sequence_proba(text, [(6, 11)])[0]["PUB_WEBSITE"] == pytest.approx(1 / (1 + np.exp(-3)))
    assert plain.sequence_proba(text, []) == [] and plain.opinions(text, []) == []
    assert sequence_features(text, [(6, 11)])[0]["link=first"] == 1
