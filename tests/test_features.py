"""The candidate classifier's features (extractor/features.py) and the baseline built on them."""
from __future__ import annotations

from conftest import need_corpus
from extractor.features import candidate_features


def _features(sentence: str, quantity: str) -> dict[str, float]:
    start = sentence.index(quantity)
    return candidate_features(sentence, start, start + len(quantity))


def test_the_verb_of_the_clause_is_a_cue():
    received = _features("2023年共收到政府信息公开申请276件,上年结转7件,公开答复274件。", "276件")
    answered = _features("2023年共收到政府信息公开申请276件,上年结转7件,公开答复274件。", "274件")
    carried = _features("2023年共收到政府信息公开申请276件,上年结转7件,公开答复274件。", "7件")
    assert received["cue_clause:receive"] == 1 and received["cue_sentence_first:receive"] == 1
    assert answered["cue_clause_last:complete"] == 1
    assert carried["cue_clause_last:carry_over"] == 1
    assert "cue_clause:receive" not in answered  # the clause ends at the comma


def test_channel_and_audience_cues_reach_across_the_sentence():
    f = _features("河北人社微信公众号粉丝量突破400万,共推送图文消息2000余条。", "突破400万")
    assert f["cue_clause_last:followers"] == 1 and f["ch_clause:wechat"] == 1
    g = _features("政务微博关注量达31847人。", "31847人")
    assert g["cue_clause:followers"] == 1 and g["ch_clause:weibo"] == 1
    h = _features("召开新闻发布会、政策解读会10场。", "10场")
    assert h["cue_sentence:press"] == 1


def test_channels_stay_inside_their_numbered_item_and_are_read_after_the_figure():
    text = "一是在门户网站公开工作动态210条,二是发布基础教育信息30条。"
    first, second = _features(text, "210条"), _features(text, "30条")
    assert first["ch_item:website"] == 1
    assert "ch_item:website" not in second and second["ch_item_n:0"] == 1 and second["item_marker=True"] == 1
    assert second["ch_sentence:website"] == 1  # one sentence: only the item scope ends at 二是
    after = _features("全年主动公开我区各级单位政府信息2645条,主要通过政府网站、政务微信等媒介进行公开。", "2645条")
    assert after["ch_after:website"] == 1 and after["ch_after:wechat"] == 1 and after["ch_after_n:2"] == 1
    assert after["item_marker=False"] == 1


def test_the_baseline_learns_labels_that_carry_to_unseen_texts():
    corpus = need_corpus()
    from training.baseline import QuantityBaseline
    from training.data import load_annotated
    from training.evaluate import score

    items = load_annotated(corpus)
    baseline = QuantityBaseline().fit([i for i in items if i.role == "train"])
    result = score([i for i in items if i.role == "dev"], baseline.predict)["mention"]["micro"]
    assert result["f1"] > 0.6, result  # 0.76 measured; a broken feature or label mix-up falls far below
    text = "2021年共受理政府信息公开申请29件,共办结政府信息公开申请28件。"
    labels = {m.text: m.label for m in baseline.predict(text)}
    assert labels == {"29件": "APP_RECEIVED", "28件": "APP_COMPLETED"}


def test_sequence_features_link_each_quantity_to_the_one_before():
    from extractor.features import sequence_features
    from extractor.numbers import find_quantities

    text = "网站发布动态类信息1744条,政务信息393条。另有微信推送50篇"
    spans = find_quantities(text)
    first, second, third = sequence_features(text, spans)
    assert first["link=first"] == 1 and first["bias"] == 1
    assert second["link_dist=near"] == 1 and second["link_same_unit=True"] == 1
    assert second["link_same_sentence=True"] == 1 and second["link_clause_break=True"] == 1
    assert third["link_same_sentence=False"] == 1 and third["link_same_unit=False"] == 1
    assert {k: v for k, v in first.items() if not k.startswith(("link", "bias"))} == candidate_features(text, *spans[0])


def test_the_crf_s_exported_weights_give_crfsuite_s_marginals_and_beat_chance_on_dev():
    """The extractor reads the CRF with numpy (extractor.tagger.CandidateClassifier): its
    forward-backward must give the marginals python-crfsuite gives, on real texts."""
    corpus = need_corpus()
    from extractor.features import quantity_sequences, sequence_features
    from training.baseline import QuantityCRF
    from training.data import load_annotated
    from training.evaluate import score

    items = load_annotated(corpus)
    crf = QuantityCRF().fit([i for i in items if i.role == "train"])
    dev = [i for i in items if i.role == "dev"]
    index = {f: i for i, f in enumerate(crf.features_)}
    compared = 0
    for item in dev:
        for spans in quantity_sequences(item.text, item.regions):
            X = [{str(index[k]): float(v) for k, v in f.items() if k in index} for f in sequence_features(item.text, spans)]
            for theirs, ours in zip(crf.model_.predict_marginals_single(X), crf.exported_.sequence_proba(item.text, spans)):
                assert max(abs(theirs[k] - ours[k]) for k in theirs) < 1e-4
                compared += 1
    assert compared > 50  # 97 quantities in the dev texts
    result = score(dev, crf.predict)["mention"]["micro"]
    assert result["f1"] > 0.6, result
    labels = {m.text: m.label for m in crf.predict("2021年共受理政府信息公开申请29件,共办结政府信息公开申请28件。")}
    assert labels == {"29件": "APP_RECEIVED", "28件": "APP_COMPLETED"}
