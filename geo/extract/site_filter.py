"""Pass 6b: a small learned check that a candidate is a site, not a class, a count or a fragment.

A logistic regression over features of the candidate (its generic word, the first and last
words of its specific part and their parts of speech, lengths, the word before it) trained by
``bench/train_site_filter.py`` on the labelled reports and shipped as ``site_filter.json``
(feature → weight). A candidate whose probability of being a site falls below the model's
threshold is dropped. Without the file every candidate is kept.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import repeat
from pathlib import Path

from geo.extract.model import SITE, Candidate
from geo.extract.text import SentenceText, core
from geo.text import lexicon

_COMMON = 1000  # dictionary frequency from which a word is a feature by itself
MODEL_PATH = Path(__file__).parent / "site_filter.json"


@cache
def _list_marks() -> frozenset[str]:
    """The one-character marks between a list's items (、 and 和, 及, 与)."""
    r = lexicon.name_rules()
    return frozenset(w for w in (r.list_separator, *r.list_conjunctions) if len(w) == 1)


@dataclass(frozen=True)
class SiteFilter:
    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, feats: list[str]) -> float:
        z = self.bias + sum(map(self.weights.get, feats, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> str:
        body = {"bias": self.bias, "threshold": self.threshold,
                "weights": {k: self.weights[k] for k in sorted(self.weights)}}
        return json.dumps(body, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


@cache
def default_filter() -> SiteFilter | None:
    if not MODEL_PATH.exists():
        return None
    d = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return SiteFilter(dict(d["weights"]), float(d["bias"]), float(d["threshold"]))


def filter_sites(st: SentenceText, candidates: tuple[Candidate, ...],
                 model: SiteFilter | None) -> tuple[Candidate, ...]:
    if model is None:
        return candidates
    return tuple(c for c in candidates
                 if c.shape != SITE or model.probability(features(st, c)) >= model.threshold)


_BUCKETS = ("0", "1", "2", "3", "4", "5", "6+")


def _bucket(n: int) -> str:
    return _BUCKETS[min(n, 6)]


def _freq_bucket(word: str) -> str:
    f = lexicon.freq_of(word)
    return "0" if f <= 0 else str(min(int(math.log10(f)) + 1, 5))


def _max_match(text: str) -> list[str]:
    """Words of ``text`` by forward longest match on the dictionary (up to four characters)."""
    freq = lexicon.word_freq()
    prefix_ids, freqs = freq.prefix_ids, freq.freqs  # type: ignore[attr-defined]
    out, i, size = [], 0, len(text)
    while i < size:
        n = 1  # the longest word of two to four characters starting at i, found in one trie walk
        for w, k in prefix_ids(text[i : i + 4]):
            if len(w) > 1 and freqs[k] > 0:
                n = len(w)
        out.append(text[i : i + n])
        i += n
    return out


@lru_cache(maxsize=4096)
def _word_facts(word: str) -> tuple[str, str]:
    """A word's part of speech ("?" when it has none) and its value as a feature (the word when
    it is common, else "rare"): facts of the dictionary, remembered for the words last asked about."""
    common = word if lexicon.word_freq().get(word, 0) >= _COMMON else "rare"
    return lexicon.word_tags().get(word, "?"), common


def _word_before(t: str, pos: int) -> str:
    """The longest dictionary word (up to four characters) that ends right before ``pos``."""
    for n in (4, 3, 2):
        if pos >= n and lexicon.freq_of(t[pos - n : pos]) > 0:
            return t[pos - n : pos]
    return t[pos - 1 : pos]


def features(st: SentenceText, c: Candidate) -> list[str]:
    """Names of the binary features of a candidate site in its sentence."""
    facts = _word_facts
    word = c.suffix.word
    name = c.name
    specific = name[: len(name) - len(word)] if word and name.endswith(word) else name
    spec_words = _max_match(specific)
    first_tag, first = facts(spec_words[0] if spec_words else "")
    last_tag = facts(spec_words[-1] if spec_words else "")[0]
    prev_tag, prev = facts(_word_before(st.t, c.start))
    first_len, last_len = (len(spec_words[0]), len(spec_words[-1])) if spec_words else (0, 0)
    after = st.t[c.end : c.end + 1]
    out = [
        f"sfx={word}", f"kind={c.suffix.kind}", f"layer={c.suffix.layer}",
        f"len={_bucket(len(specific))}", f"nwords={_bucket(len(spec_words))}",
        f"core={_bucket(len(core(specific)))}",
        f"first_tag={first_tag}", f"last_tag={last_tag}",
        f"first_len={_bucket(first_len)}", f"last_len={_bucket(last_len)}",
        f"first_char={facts(specific[:1])[1]}", f"last_char={facts(specific[-1:])[1]}",
        f"spec_freq={_freq_bucket(specific)}", f"name_freq={_freq_bucket(name)}",
        f"prev_tag={prev_tag}", f"prev_char={st.t[c.start - 1 : c.start] or '^'}",
        f"after_char={after or '$'}", f"first_word={first}",
        f"quoted={'“' in name}", f"digits={any(map(str.isdigit, name))}",
        f"sfx_first_tag={word}|{first_tag}",
        f"tags={'-'.join([facts(w)[0] for w in spec_words[:3]])}",
        f"prev_word={prev}",
    ]
    out += [f"word={facts(w)[1]}" for w in spec_words]
    if c.start > 0 and st.t[c.start - 1] in _list_marks():
        out.append("in_list")
    return out
