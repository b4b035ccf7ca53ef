"""The registered spaCy factory puts mentions in doc.ents with their values."""
from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from test_merge import SEED001, FixedTagger  # noqa: E402


def test_factory_is_registered_and_sets_entities():
    nlp = spacy.blank("zh")
    component = nlp.add_pipe("xxgk_quantities")
    component.tagger_ = FixedTagger(SEED001)  # the shipped model's own test is in test_tagger.py
    from conftest import seed_text

    doc = nlp(seed_text("001"))
    got = {(e.text, e.label_, e._.value, e._.metric) for e in doc.ents}
    assert ("8件", "APP_RECEIVED", 8, "prose.app_received") in got
    assert ("2306 条", "PUB_WEBSITE", 2306, "prose.pub_website") in got


def test_offsets_map_back_to_the_original_text():
    nlp = spacy.blank("zh")
    component = nlp.add_pipe("xxgk_quantities")
    component.tagger_ = FixedTagger([("8件", "APP_RECEIVED", "申请8件")])
    doc = nlp("共收到政府信息公開申請８件，　　结转1件")  # traditional and full-width: normalized inside
    (ent,) = doc.ents
    assert ent.text == "８件" and ent._.value == 8
