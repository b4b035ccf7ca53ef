"""Stage 4b, tagger: the fine-tuned token classifier finds prose mentions in the narrative text.

Only narrative ranges are read (never table regions). With the shipped model every quantity the
rule detector finds is labeled (`label_quantities`): the candidate classifier alone settles those it
is sure of (probability >= `confident`); the rest are read in a window centred on each
(`quantity_windows`, the geometry the model was trained on), in length-sorted batches, and labeled by
the token classifier and the candidate classifier together. Models without a candidate classifier are read in
overlapping sliding windows, each character taking the tag of the window where it sits most
centrally. A labeled span becomes a mention only when its characters hold a quantity
(numbers.parse_quantity gives the value, unit and approx; money in 万元).
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from extractor.contract import MONEY_LABELS, prose_metric
from extractor.numbers import find_quantities, parse_quantity
from extractor.report import Mention

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = REPO / "models" / "xxgk-tagger"
LEFT_CONTEXT, RIGHT_CONTEXT = 110, 50  # characters of a centred window before a quantity's start and after it
_NUMERAL = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿]")


@dataclass
class Tagger:
    """`Tagger(model_dir).load()`; `predict(text, regions)` -> mentions. Learned state ends in `_`."""

    model: str | Path = DEFAULT_MODEL
    window: int = 160
    stride: int = 144  # 16 characters of overlap; each character is tagged from the window where it is most central
    batch_size: int = 64
    snap: bool = True  # move a tagged span onto the rule detector's quantity it overlaps
    classifier_weight: float = 0.5  # share of the candidate classifier in the label of a quantity (when shipped)
    mixture: str = "linear"  # how the two classifiers' probabilities combine: "linear" or "log-linear" (model config)
    centered: bool = False  # read each quantity from a window centred on it (set by the model's config)
    share: int = 0  # centred windows: quantities starting within this many characters share one (faster, less exact)
    left_context: int = LEFT_CONTEXT  # centred windows: characters before a quantity, after it (model config)
    right_context: int = RIGHT_CONTEXT
    quantize: bool = True  # int8 dynamic quantization of the linear layers on CPU (same labels, ~1.8x faster)
    confident: float | None = 0.99  # centred windows: the candidate classifier alone labels quantities it gives
    # at least this probability, the token classifier reads the rest (None: it reads every quantity)
    model_: object = field(default=None, init=False, repr=False)
    tokenizer_: object = field(default=None, init=False, repr=False)
    id2label_: dict[int, str] = field(default_factory=dict, init=False, repr=False)
    label_ids_: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False)
    classifier_: object = field(default=None, init=False, repr=False)

    def load(self) -> "Tagger":
        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()

        torch.set_num_threads(max(1, min(torch.get_num_threads(), os.cpu_count() or 1)))
        self.tokenizer_ = AutoTokenizer.from_pretrained(str(self.model))
        self.model_ = AutoModelForTokenClassification.from_pretrained(str(self.model), dtype=torch.float32)
        self.model_.eval()
        if self.quantize:
            import warnings

            with warnings.catch_warnings():  # torch.ao's eager quantization is deprecated in favour of torchao
                warnings.simplefilter("ignore")
                self.model_ = torch.ao.quantization.quantize_dynamic(self.model_, {torch.nn.Linear}, dtype=torch.qint8)
        self.id2label_ = {int(k): v for k, v in self.model_.config.id2label.items()}
        self.label_ids_ = {}  # "O" and each entity label -> the ids of its tags (B- and I-)
        for i, tag in sorted(self.id2label_.items()):
            self.label_ids_.setdefault(tag.split("-", 1)[-1], []).append(i)
        self.classifier_ = CandidateClassifier.load(Path(self.model))
        self.centered = bool(getattr(self.model_.config, "xxgk_centered_windows", False))
        self.left_context = int(getattr(self.model_.config, "xxgk_left_context", LEFT_CONTEXT))
        self.right_context = int(getattr(self.model_.config, "xxgk_right_context", RIGHT_CONTEXT))
        weight = getattr(self.model_.config, "xxgk_classifier_weight", None)
        if weight is not None:
            self.classifier_weight = float(weight)
        mixture = getattr(self.model_.config, "xxgk_mixture", None)
        if mixture is not None:
            self.mixture = str(mixture)
        if self.mixture not in MIXTURES:
            raise ValueError(f"{self.model}: unknown mixture {self.mixture!r}: one of {MIXTURES}")
        return self

    def windows(self, text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out = []
        for a, b in regions:
            pos = a
            while pos < b:
                end = min(b, pos + self.window)
                if _NUMERAL.search(text, pos, end):
                    out.append((pos, end))
                if end >= b:
                    break
                pos += self.stride
        return out

    def char_tags(self, text: str, regions: list[tuple[int, int]], keep_probs: bool = False) -> dict[int, tuple]:
        """Per character: (tag, probability, centrality[, all tag probabilities]) from the best-placed window."""
        import torch

        best: dict[int, tuple] = {}
        spans = self.windows(text, regions)
        for i in range(0, len(spans), self.batch_size):
            batch = spans[i:i + self.batch_size]
            enc = self.tokenizer_([text[a:b] for a, b in batch], return_offsets_mapping=True, truncation=True,
                                  max_length=self.window + 2, padding=True, return_tensors="pt")
            offsets = enc.pop("offset_mapping").tolist()
            with torch.no_grad():
                probs = torch.softmax(self.model_(**enc).logits, dim=-1)
            top_p, top_i = probs.max(dim=-1)
            for row, (a, b) in enumerate(batch):
                for t, (x, y) in enumerate(offsets[row]):
                    if x == y:
                        continue
                    centrality = min(x, (b - a) - y)
                    tag = self.id2label_[int(top_i[row, t])]
                    entry = (tag, float(top_p[row, t]), centrality) + ((probs[row, t].numpy(),) if keep_probs else ())
                    for c in range(a + x, a + y):
                        if c not in best or centrality > best[c][2]:
                            best[c] = entry
        return best

    def predict(self, text: str, regions: list[tuple[int, int]] | None = None) -> list[Mention]:
        if self.model_ is None:
            self.load()
        regions = regions if regions is not None else [(0, len(text))]
        if self.classifier_ is not None and self.snap:
            return self.predict_candidates(text, regions)
        tags = self.char_tags(text, regions)
        mentions: list[Mention] = []
        current: list[int] = []
        label = None

        candidates = [c for a, b in regions for c in find_quantities(text, a, b)] if self.snap else []

        def close() -> None:
            if current and label:
                start, end = current[0], current[-1] + 1
                overlapping = [c for c in candidates if c[0] < end and start < c[1]]
                if len(overlapping) == 1:
                    start, end = overlapping[0]
                mention = make_mention(text, start, end, label, sum(tags[c][1] for c in current) / len(current))
                if mention is not None and not any(m.start < mention.end and mention.start < m.end for m in mentions):
                    mentions.append(mention)

        for c in sorted(tags):
            tag = tags[c][0]
            if tag == "O":
                close()
                current, label = [], None
                continue
            kind, lab = tag.split("-", 1)
            contiguous = current and all(text[k].isspace() for k in range(current[-1] + 1, c))
            if kind == "I" and lab == label and contiguous:
                current.append(c)
            else:
                close()
                current, label = [c], lab
        close()
        return mentions


    def centered_probs(self, text: str, regions: list[tuple[int, int]], quantities: list[tuple[int, int]]) -> dict[int, object]:
        """Tag probabilities (an array over id2label) of each quantity's characters, read from a window
        centred on the quantity."""
        import torch

        out: dict[int, object] = {}
        windows = quantity_windows(quantities, regions, self.share, len(text), self.left_context, self.right_context)
        enc = self.tokenizer_([text[lo:hi] for lo, hi, _, _ in windows], return_offsets_mapping=True, truncation=True,
                              max_length=self.window + 2) if windows else {"input_ids": []}
        # windows of equal token length share a batch: no padding, so attention needs no mask (the fast path)
        order = sorted(range(len(windows)), key=lambda k: len(enc["input_ids"][k]))
        for i in range(0, len(order), self.batch_size):
            rows = order[i:i + self.batch_size]
            width = max(len(enc["input_ids"][k]) for k in rows)
            ids = torch.zeros((len(rows), width), dtype=torch.long)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for r, k in enumerate(rows):
                ids[r, :len(enc["input_ids"][k])] = torch.tensor(enc["input_ids"][k])
                mask[r, :len(enc["input_ids"][k])] = 1
            with torch.inference_mode():
                logits = self.model_(input_ids=ids, attention_mask=None if bool(mask.all()) else mask).logits
                probs = torch.softmax(logits.float(), dim=-1).numpy()
            for r, k in enumerate(rows):
                lo, hi, a, b = windows[k]
                for t, (x, y) in enumerate(enc["offset_mapping"][k]):
                    if x != y and a <= lo + x < b:
                        for c in range(lo + x, lo + y):
                            out[c] = probs[r, t]
        return out

    def label_quantities(self, text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int, str, float]]:
        """Every quantity the rule detector finds, with the label ("O" included) that the token
        classifier (its tags over the quantity's characters) and the candidate classifier (its
        context) agree on most (`mix` at `classifier_weight`), and that label's probability. A
        quantity the candidate classifier settles alone (see read_quantities) keeps its label and
        probability."""
        return labeled(self.read_quantities(text, regions), self.classifier_weight, self.mixture)

    def read_quantities(self, text: str, regions: list[tuple[int, int]]) -> list[tuple[tuple[int, int], dict | None, dict]]:
        """Every quantity the rule detector finds, in order: (span, the token classifier's label
        probabilities or None, the candidate classifier's). With centred windows, a quantity the
        candidate classifier labels with probability >= `confident` is not read by the token
        classifier (the costly part): its token probabilities are None."""
        import numpy as np

        if self.model_ is None:
            self.load()
        if self.classifier_ is None:
            raise ValueError(f"{self.model}: no candidate classifier beside the model (candidate_classifier.*): "
                             "label_quantities needs one; predict() reads such a model in sliding windows")
        found = self.classifier_.opinions(text, regions)
        if not found:
            return []
        settled = [self.centered and self.confident is not None and max(o.values()) >= self.confident for _, o in found]
        if self.centered:
            probs = self.centered_probs(text, regions, [q for (q, _), done in zip(found, settled) if not done])
        else:
            probs = {c: tag[3] for c, tag in self.char_tags(text, regions, keep_probs=True).items()}
        out = []
        for ((a, b), other), done in zip(found, settled):
            chars = [] if done else [probs[c] for c in range(a, b) if c in probs and not text[c].isspace()]
            token = None
            if chars:  # else settled, or (never seen on the corpus) no token of the quantity survived tokenization
                mean = np.mean(chars, axis=0)
                token = {label: float(sum(mean[i] for i in ids)) for label, ids in self.label_ids_.items()}
            out.append(((a, b), token, other))
        return out

    def predict_candidates(self, text: str, regions: list[tuple[int, int]]) -> list[Mention]:
        return mentions_of(text, self.label_quantities(text, regions))


@dataclass
class CandidateClassifier:
    """The second opinion shipped beside the token classifier (numpy only): a linear model over each
    quantity's context features (extractor.features.sequence_features), and, for a linear-chain CRF,
    label-to-label transition weights between consecutive quantities of a region. Without transitions
    (a logistic regression) each quantity's probabilities are its own softmax; with them, they are
    the CRF's marginals over the region's sequence (forward-backward)."""

    classes: list[str]
    index: dict[str, int]
    coef: object  # (labels, features)
    intercept: object  # (labels,)
    transitions: object = None  # (labels, labels): weight of label i followed by label j

    @classmethod
    def load(cls, directory: Path) -> "CandidateClassifier | None":
        import json

        meta, weights = directory / "candidate_classifier.json", directory / "candidate_classifier.safetensors"
        if not (meta.exists() and weights.exists()):
            return None
        from safetensors.numpy import load_file

        data = json.loads(meta.read_text(encoding="utf-8"))
        arrays = load_file(str(weights))
        return cls(data["classes"], {f: i for i, f in enumerate(data["features"])}, arrays["coef"], arrays["intercept"],
                   arrays.get("transitions"))

    def opinions(self, text: str, regions: list[tuple[int, int]]) -> list[tuple[tuple[int, int], dict[str, float]]]:
        """Every quantity the rule detector finds in the regions, in order, with its label probabilities."""
        from extractor.features import quantity_sequences

        return [pair for spans in quantity_sequences(text, regions) for pair in zip(spans, self.sequence_proba(text, spans))]

    def sequence_proba(self, text: str, spans: list[tuple[int, int]]) -> list[dict[str, float]]:
        """Label probabilities of each quantity of one sequence (a region's quantities, in order)."""
        import numpy as np

        from extractor.features import sequence_features

        if not spans:
            return []
        scores = np.stack([self.coef[:, [self.index[f] for f in feats if f in self.index]].sum(axis=1) + self.intercept
                           for feats in sequence_features(text, spans)]).astype(np.float64)
        if len(self.classes) == 2 and self.coef.shape[0] == 1:  # binary logistic regression: one logit
            p = 1 / (1 + np.exp(-scores[:, 0]))
            return [{self.classes[0]: float(1 - x), self.classes[1]: float(x)} for x in p]
        marginals = _marginals(scores, self.transitions)
        return [dict(zip(self.classes, row.tolist())) for row in marginals]


def _marginals(scores, transitions):  # noqa: ANN001, ANN202  (numpy arrays)
    """Per-position label marginals of a linear-chain CRF (forward-backward in log space); with no
    transitions, the row-wise softmax."""
    import numpy as np

    def logsumexp(x, axis):  # noqa: ANN001, ANN202
        top = x.max(axis=axis, keepdims=True)
        return (top + np.log(np.exp(x - top).sum(axis=axis, keepdims=True))).squeeze(axis)

    if transitions is not None and len(scores) > 1:
        transitions = transitions.astype(np.float64)
        alpha, beta = np.empty_like(scores), np.zeros_like(scores)
        alpha[0] = scores[0]
        for t in range(1, len(scores)):
            alpha[t] = scores[t] + logsumexp(alpha[t - 1][:, None] + transitions, axis=0)
        for t in range(len(scores) - 2, -1, -1):
            beta[t] = logsumexp(transitions + (scores[t + 1] + beta[t + 1])[None, :], axis=1)
        scores = alpha + beta
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


MIXTURES = ("linear", "log-linear")


def labeled(read: list[tuple[tuple[int, int], dict | None, dict]], weight: float,
            mixture: str = "linear") -> list[tuple[int, int, str, float]]:
    """(start, end, label, probability) of each quantity read by Tagger.read_quantities: its two
    opinions mixed (`mix`), or the candidate classifier's alone where the token classifier did not read it."""
    out = []
    for (a, b), token, candidate in read:
        combined = candidate if token is None else mix(token, candidate, weight, mixture)
        label = max(combined, key=combined.get)
        out.append((a, b, label, combined[label]))
    return out


def mix(token: dict[str, float], candidate: dict[str, float], weight: float, mixture: str = "linear") -> dict[str, float]:
    """The label probabilities of a quantity from the token classifier's and the candidate classifier's,
    `weight` being the candidate classifier's share: "linear" averages them, "log-linear" multiplies
    them (p_candidate^weight * p_token^(1 - weight), renormalized), so a label either classifier
    finds unlikely stays unlikely."""
    import math

    labels = set(token) | set(candidate)
    if mixture == "linear":
        return {k: (1 - weight) * token.get(k, 0.0) + weight * candidate.get(k, 0.0) for k in labels}
    if mixture != "log-linear":
        raise ValueError(f"unknown mixture {mixture!r}: one of {MIXTURES}")
    floor = 1e-9  # a label one classifier does not know is not ruled out at once
    logs = {k: weight * math.log(candidate.get(k, 0.0) + floor) + (1 - weight) * math.log(token.get(k, 0.0) + floor)
            for k in labels}
    top = max(logs.values())
    unnormalized = {k: math.exp(v - top) for k, v in logs.items()}
    total = sum(unnormalized.values())
    return {k: v / total for k, v in unnormalized.items()}


def quantity_windows(quantities: list[tuple[int, int]], regions: list[tuple[int, int]], share: int = 0,
                     length: int | None = None, left: int = LEFT_CONTEXT,
                     right: int = RIGHT_CONTEXT) -> list[tuple[int, int, int, int]]:
    """The centred windows that read `quantities` ((start, end) pairs, in any order): (lo, hi, first
    start, largest end) each. A window holds `left` characters before its last quantity's start
    and `right` after its first one's start (widened to the end of its longest quantity), inside
    the quantity's region (`length`, the text's, bounds a quantity outside every region); quantities
    starting within `share` characters after the group's first one share its window. Training
    (training.finetune) and inference use this one geometry."""
    windows: list[tuple[int, int, int, int]] = []
    last_region = None
    text_end = length if length is not None else max((b for _, b in quantities), default=0)
    for a, b in sorted(quantities):
        region = next(((x, y) for x, y in regions if x <= a < y), (0, text_end))
        if windows and region == last_region and 0 <= a - windows[-1][2] <= share:
            _, hi, first, end = windows[-1]
            windows[-1] = (max(region[0], a - left), max(hi, b), first, max(end, b))
        else:
            windows.append((max(region[0], a - left), max(b, min(region[1], a + right)), a, b))
        last_region = region
    return windows


def mentions_of(text: str, labeled: list[tuple[int, int, str, float]]) -> list[Mention]:
    """The labeled quantities (Tagger.label_quantities) that are mentions: not O, with a parsable value."""
    mentions = [make_mention(text, a, b, label, p) for a, b, label, p in labeled if label != "O"]
    return [m for m in mentions if m is not None]


def make_mention(text: str, start: int, end: int, label: str, score: float) -> Mention | None:
    span = text[start:end]
    q = parse_quantity(span, money=label in MONEY_LABELS)
    if q is None or not _NUMERAL.search(span):
        return None
    return Mention(label, span, start, end, q.value, q.unit, q.approx, round(score, 4), prose_metric(label))


def load_tagger(model: str | Path | None = None) -> Tagger:
    """The tagger at `model` (a local directory or a Hugging Face model name), else $XXGK_MODEL, else the
    shipped default. FileNotFoundError when a local directory holds no model."""
    chosen = model or os.environ.get("XXGK_MODEL") or DEFAULT_MODEL
    path = Path(chosen)
    if path.exists():
        if not (path / "config.json").exists():
            raise FileNotFoundError(f"{path}: not a model directory (no config.json)")
    elif chosen == DEFAULT_MODEL:
        raise FileNotFoundError(f"{path}: the default model is not built (make train)")
    elif path.is_absolute() or str(chosen).startswith((".", "~")) or str(chosen).count("/") > 1:
        raise FileNotFoundError(f"{path}: model directory not found")
    # otherwise a hub name such as "org/model": transformers resolves it (needs network)
    return Tagger(chosen).load()


def bench(corpus: Path) -> None:
    """Load time, narrative characters/s and peak RSS of extraction with the default model (int8, as
    shipped), and characters/s of the same model reading every quantity, and in full precision.
    Speeds are given over all corpus reports and over the held-out ones (dev and benchmark in
    annotations/split.json): the candidate classifier is surer of the texts it was fit on, so it
    settles more of their quantities alone, and the held-out figure is the one to expect on new reports."""
    import json
    import resource
    from collections import Counter

    import torch

    from extractor.load import LoadedText
    from extractor.pipeline import extract, run_doc

    if not (DEFAULT_MODEL / "config.json").exists():
        print(f"tagger: no model at {DEFAULT_MODEL}: skipped")
        return
    start = time.perf_counter()
    import transformers.models.bert.modeling_bert  # noqa: F401  (the library import, paid once per process)
    import_s = time.perf_counter() - start
    start = time.perf_counter()
    tagger = load_tagger()
    load_s = time.perf_counter() - start
    files = sorted((corpus / "github" / "texts").glob("*.txt")) + sorted((corpus / "pages").glob("*.txt"))
    docs = [run_doc(LoadedText(str(f), f.read_text(encoding="utf-8"), "text"), ("normalize", "segment", "tables"))
            for f in files]
    split = REPO / "annotations" / "split.json"
    roles = json.loads(split.read_text(encoding="utf-8"))["roles"] if split.exists() else {}
    held_out = [i for i, f in enumerate(files) if roles.get(f.relative_to(corpus).as_posix()) in ("dev", "benchmark")]
    extract(docs[0].text, model=tagger)  # warm-up
    print(f"tagger: import of torch/transformers' BERT {import_s:.2f} s (once per process), model load {load_s:.2f} s "
          f"(torch threads: {torch.get_num_threads()})")
    if tagger.confident is not None:
        for subset, chosen in (("all", range(len(docs))), ("held-out", held_out)):
            quantities = [o for i in chosen for _, o in tagger.classifier_.opinions(docs[i].text, docs[i].narrative)]
            sure = sum(max(o.values()) >= tagger.confident for o in quantities)
            print(f"  {subset} reports: {sure:,} of {len(quantities):,} quantities settled by the candidate classifier "
                  f"(p >= {tagger.confident})")
    every = Tagger(DEFAULT_MODEL, confident=None)
    # (name, tagger, the variant whose mentions it is compared with)
    variants = (("int8, as shipped", tagger, None),
                ("int8, token classifier on every quantity", every, "int8, as shipped"),
                ("full precision, token classifier on every quantity", Tagger(DEFAULT_MODEL, quantize=False, confident=None),
                 "int8, token classifier on every quantity"))
    found_by: dict[str, list] = {}
    for name, model, reference in variants:
        if model.model_ is None:
            model.load()
        speeds = []
        for subset, chosen, rounds in (("all", range(len(docs)), 2), ("held-out", held_out, 3)):
            if not chosen:
                continue
            chars = sum(b - a for i in chosen for a, b in docs[i].narrative)
            best = float("inf")
            for _ in range(rounds):
                start = time.perf_counter()
                mentions = [(i, m.start, m.end, m.label) for i in chosen for m in model.predict(docs[i].text, docs[i].narrative)]
                best = min(best, time.perf_counter() - start)
            found_by.setdefault(name, mentions)  # the first subset's (all reports)
            speeds.append(f"{subset} {len(chosen)} reports {chars:,} chars in {best:.2f} s = {chars / best:,.0f} chars/s")
        same = ""
        if reference is not None:
            mine, theirs = Counter(found_by[name]), Counter(found_by[reference])
            same = f"; mentions (all reports) shared with {reference}: {sum((mine & theirs).values())} " \
                   f"(it {sum(theirs.values())}, this {sum(mine.values())})"
        print(f"  {name}: " + "; ".join(speeds) + f" (best of 2 / 3){same}")
        if model is tagger:
            print(f"  peak RSS so far (extraction with the shipped model): "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
