"""A real, small pretraining and fine-tuning run (CI runs it): the loss falls and the saved model
loads unchanged in the stock transformers pipeline and in the extractor."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import need_corpus

pytest.importorskip("datasets")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    corpus = need_corpus()
    from training.finetune import FinetuneArgs, finetune
    from training.pretrain import EncoderConfig, PretrainArgs, pretrain

    root = tmp_path_factory.mktemp("train")
    tiny = EncoderConfig(hidden_size=64, num_hidden_layers=2, num_attention_heads=2, intermediate_size=128,
                         max_position_embeddings=256)
    pre = pretrain(PretrainArgs(corpus=corpus, output_dir=root / "encoder", max_steps=40, batch_size=16,
                                max_texts=12, encoder=tiny))
    fine = finetune(FinetuneArgs(base_model=str(root / "encoder"), output_dir=root / "tagger", corpus=corpus,
                                 epochs=3, max_texts=12, batch_size=16, learning_rate=2e-3))
    return root, pre, fine


def test_pretraining_lowers_the_masked_lm_loss(small_run):
    root, pre, _ = small_run
    assert pre["eval_loss_after"] < pre["eval_loss_before"]
    assert (root / "encoder" / "model.safetensors").exists()
    assert json.loads((root / "encoder" / "pretraining.json").read_text())["windows"] > 0


def test_fine_tuning_lowers_the_loss_and_saves_labels(small_run):
    root, _, fine = small_run
    assert fine["loss_after"] < fine["loss_before"]
    config = json.loads((root / "tagger" / "config.json").read_text())
    assert set(config["id2label"].values()) >= {"O", "B-PUB_WEBSITE", "I-APP_RECEIVED"}


def test_stock_pipeline_and_extractor_load_the_saved_model(small_run):
    from transformers import pipeline

    from extractor import extract
    from extractor.tagger import Tagger

    root, _, _ = small_run
    tagger = pipeline("token-classification", model=str(root / "tagger"), aggregation_strategy="simple")
    assert isinstance(tagger("门户网站信息发布总数 2306 条"), list)
    report = extract("共收到政府信息公开申请8件。", model=Tagger(root / "tagger").load())
    assert report.template == "none"


def test_the_whole_tagger_cross_validates_by_fold(small_run, tmp_path, monkeypatch):
    """crossval --tagger: one real fine-tuning per fold, each fold's texts scored by the model that never saw them."""
    corpus = need_corpus()
    from training.crossval import crossval_tagger, folds
    from training.data import load_annotated
    from training.finetune import FinetuneArgs

    root, _, _ = small_run
    args = FinetuneArgs(base_model=str(root / "encoder"), corpus=corpus, epochs=1, batch_size=16, learning_rate=2e-3)
    result = crossval_tagger(args, k=2, out_root=tmp_path, max_texts=8)
    items = [i for i in load_annotated(corpus) if i.role in ("train", "dev")][:8]
    assert result["texts"] == 8
    assert result["as shipped"]["support"] == result["token classifier alone"]["support"] == sum(len(i.spans) for i in items)
    for n, (train, _) in enumerate(folds(items, 2, corpus)):
        info = json.loads((tmp_path / f"fold-{n}" / "training.json").read_text())
        assert info["texts"] == len(train) and info["classifier"]["weight"] == FinetuneArgs.classifier_weight
    assert set(result["f1_by_weight"]) == {"linear", "log-linear"}
    # weight 1.0 is the CRF alone, read through the tagger: the same score as the CRF fit and scored by fold
    from training.baseline import QuantityCRF
    from training.evaluate import score

    model_of = {}
    for train, test in folds(items, 2, corpus):
        crf = QuantityCRF().fit(train)
        model_of.update({item.text: crf for item in test})
    alone = score(items, lambda text, regions: model_of[text].predict(text, regions))["mention"]["micro"]["f1"]
    assert result["f1_by_weight"]["log-linear"][1.0] == result["f1_by_weight"]["linear"][1.0] == round(alone, 4)
    # reuse: the fold token classifiers stay (no fine-tuning), the candidate classifiers are refit
    import training.finetune

    def no_finetuning(*args, **kwargs):
        raise AssertionError("reuse fine-tuned a fold")

    monkeypatch.setattr(training.finetune, "finetune", no_finetuning)
    again = crossval_tagger(args, k=2, out_root=tmp_path, max_texts=8, reuse=True)
    assert again["f1_by_weight"] == result["f1_by_weight"]
    with pytest.raises(ValueError, match="not trained on this fold's texts"):
        crossval_tagger(args, k=2, out_root=tmp_path, max_texts=7, reuse=True)  # other folds: never reused


def test_base_model_can_be_any_local_checkpoint(tmp_path):
    """--base-model takes a Hugging Face checkpoint directory: here a tiny BERT saved by the test."""
    corpus = need_corpus()
    from transformers import BertConfig, BertModel

    from training.finetune import FinetuneArgs, finetune
    from training.tokenizer import build_tokenizer

    base = tmp_path / "tiny-bert"
    tokenizer = build_tokenizer([(corpus / "seeds" / "001_3e2edf5fa8293980.txt").read_text(encoding="utf-8")], min_count=1)
    tokenizer.save_pretrained(base)
    BertModel(BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=256)).save_pretrained(base)
    info = finetune(FinetuneArgs(base_model=str(base), output_dir=tmp_path / "out", corpus=corpus, epochs=1,
                                 max_texts=3, batch_size=16))
    assert info["base_model"] == str(base)
    assert (tmp_path / "out" / "model.safetensors").exists()


def test_windows_never_cut_a_span():
    """Both window schemes keep every labeled span whole, and centred windows hold their quantity."""
    need_corpus()
    from training.data import load_annotated
    from training.finetune import centered_windows, region_windows

    items = [i for i in load_annotated() if i.role == "train"][:30]
    for item in items:
        for w in region_windows(item, 160, 120) + centered_windows(item) + centered_windows(item, share=16):
            for s in w.spans:
                assert w.text[s.start:s.end] == s.text
            inside = {(w.start + s.start, w.start + s.end) for s in w.spans}
            for s in item.spans:  # a span overlapping the window lies wholly inside it
                if s.start < w.start + len(w.text) and w.start < s.end:
                    assert (s.start, s.end) in inside, (item.path, s.text)


def test_cross_validation_folds_never_split_an_agency():
    corpus = need_corpus()
    from training.crossval import folds
    from training.data import load_annotated
    from training.split import agencies

    items = [i for i in load_annotated(corpus) if i.role in ("train", "dev")]
    owner = agencies(corpus)
    assert sum(i.path in owner for i in items) > 0.9 * len(items)  # agencies known for all but the seeds
    seen = []
    for train, test in folds(items, 5, corpus):
        assert not {owner.get(i.path, i.path) for i in train} & {owner.get(i.path, i.path) for i in test}
        seen += [i.path for i in test]
    assert sorted(seen) == sorted(i.path for i in items)  # every text is held out exactly once


def test_a_learning_curve_point_fits_each_fold_on_a_reproducible_share_of_its_texts():
    corpus = need_corpus()
    from training.baseline import QuantityCRF
    from training.crossval import crossval, learning_curve

    quick = QuantityCRF(max_iterations=20)
    curve = learning_curve(quick, fractions=(0.1, 1.0), repeats=2, k=2, corpus=corpus)
    tenth, full = curve
    assert len(tenth["f1_by_seed"]) == 2 and len(full["f1_by_seed"]) == 1  # the whole of each fold is one draw, not two
    assert tenth["f1_by_seed"][0] != tenth["f1_by_seed"][1]  # each repeat draws other texts
    again = crossval(quick, k=2, corpus=corpus, fraction=0.1, seed=0)
    assert again["f1"] == tenth["f1_by_seed"][0]  # the draw is seeded
    # each fold learned from about a tenth of its mentions, and learned less
    assert 0.03 * full["train_mentions_per_fold"] < again["train_mentions_per_fold"] < 0.3 * full["train_mentions_per_fold"]
    assert full["f1_mean"] > tenth["f1_mean"]
    with pytest.raises(ValueError, match="fraction"):
        crossval(quick, k=2, corpus=corpus, fraction=0.0)
