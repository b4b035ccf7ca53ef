"""Stage 2, normalize: one canonical text for every later stage, with a map back to the original.

- traditional -> simplified, character by character with OpenCC's TSCharacters table (so each
  character keeps its place), applied only when the text is written in traditional script;
- full-width digits, letters and punctuation -> half-width (，→, （→( ０→0, ideographic space → space);
- line breaks unified to \\n, runs of spaces folded to one, zero-width characters dropped.
Tabs and newlines are kept: they carry the table layout.

`NormalizedText.to_original(i)` maps an offset of the normalized text back into the loaded text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_TRADITIONAL_SHARE = 0.02  # share of Han characters with a simplified form above which a text is traditional
_DROP = "\u200b\u200c\u200d\u2060\ufeff\r"
_SPACES = "\u00a0\u2002\u2003\u2009\u3000\u202f"
_DELETIONS = re.compile("[" + _DROP + "]+| {2,}")


@dataclass(frozen=True)
class NormalizedText:
    text: str
    original: str
    traditional: bool
    _deleted_at: tuple[int, ...]  # normalized offsets after which original characters were dropped
    _deleted_cum: tuple[int, ...]  # cumulative number of dropped characters at those points

    def to_normalized(self, offset: int) -> int:
        """Normalized offset of original offset `offset` (a dropped character maps to the next kept one)."""
        # original position of the k-th deletion point: deleted_at[k] + deleted_cum[k] is just past it
        lo, hi = 0, len(self._deleted_at)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._deleted_at[mid] + self._deleted_cum[mid] <= offset:
                lo = mid + 1
            else:
                hi = mid
        before = self._deleted_cum[lo - 1] if lo else 0
        if lo < len(self._deleted_at):  # inside the deletion run lo?
            run_start = self._deleted_at[lo] + before
            if offset >= run_start:
                return self._deleted_at[lo]
        return offset - before

    def to_original(self, offset: int) -> int:
        """Offset in the loaded (pre-normalization) text of normalized offset `offset`."""
        k = bisect_right(self._deleted_at, offset)
        return offset + (self._deleted_cum[k - 1] if k else 0)


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    import opencc

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    table: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 1 and len(parts[1]) == 1 and parts[0] != parts[1]:
            table[ord(parts[0])] = parts[1]
    return table


@lru_cache(maxsize=1)
def _width_table() -> dict[int, str]:
    table = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table.update({ord(c): " " for c in _SPACES})
    table[ord("\u3001")] = "\u3001"  # 、 stays: it has no half-width form in Chinese text
    return table


def is_traditional(text: str) -> bool:
    table = _t2s_table()
    han = [c for c in text[:50_000] if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return False
    return sum(1 for c in han if ord(c) in table) / len(han) > _TRADITIONAL_SHARE


def normalize(original: str) -> NormalizedText:
    traditional = is_traditional(original)
    text = original.translate(_t2s_table()) if traditional else original
    text = text.translate(_width_table())
    # Deletions: \r of \r\n (a lone \r becomes \n), zero-width characters, the extra spaces of a run.
    text = text.replace("\r\n", "\x00\n").replace("\r", "\n").replace("\x00", "\r")
    out: list[str] = []
    deleted_at: list[int] = []
    deleted_cum: list[int] = []
    dropped, pos, out_len = 0, 0, 0
    for m in _DELETIONS.finditer(text):
        a, b = (m.start() + 1, m.end()) if m.group().startswith(" ") else (m.start(), m.end())
        out.append(text[pos:a])
        out_len += a - pos
        dropped += b - a
        deleted_at.append(out_len)
        deleted_cum.append(dropped)
        pos = b
    out.append(text[pos:])
    return NormalizedText("".join(out), original, traditional, tuple(deleted_at), tuple(deleted_cum))
