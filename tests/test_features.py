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
