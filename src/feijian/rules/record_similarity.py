"""Finding the words (records.md, "Beyond the rules"): the clauses of an encounter's documents most similar
to a billed item's name and terms, by character n-grams, computed locally (no network, no model). It helps
the inspector find a mention the knowledge base has no term for (``经皮冠脉介入`` for ``PCI``), or one a
recogniser misread (``烧动脉`` for ``桡动脉``). It decides no hit.

Score: cosine similarity of the clause's and the query's character uni- and bigram vectors (normal form of
records.md, so width, case and blanks do not matter), each n-gram weighted by its inverse document frequency
over the clauses ranked, so that what every clause says (患者, 今日) counts little.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Hashable, Iterable, Sequence

from feijian.rules.record_text import normalise

NGRAMS = (1, 2)


def ngrams(text: str, sizes: Sequence[int] = NGRAMS) -> Counter:
    """Character n-grams of a text's normal form."""
    norm = normalise(text)
    out: Counter = Counter()
    for n in sizes:
        out.update(norm[i:i + n] for i in range(len(norm) - n + 1))
    return out


@dataclass(frozen=True)
class Similar:
    score: float  # 0 … 1
    key: Hashable  # the caller's key of the clause (e.g. document id and clause number)
    clause: str


def _weighted(grams: Counter, idf: dict[str, float]) -> dict[str, float]:
    return {g: c * idf.get(g, 0.0) for g, c in grams.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(w * b.get(g, 0.0) for g, w in a.items())
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def rank_clauses(query: Iterable[str], clauses: Iterable[tuple[Hashable, str]], *, top: int = 10,
                 minimum: float = 0.05) -> list[Similar]:
    """The ``top`` clauses most similar to ``query`` (the item's name and terms), best first; ties by the
    order given. Clauses scoring below ``minimum`` are left out."""
    items = [(k, c, ngrams(c)) for k, c in clauses if normalise(c)]
    if not items:
        return []
    df: Counter = Counter()
    for _, _, grams in items:
        df.update(grams.keys())
    total = len(items)
    idf = {g: math.log((1 + total) / (1 + n)) + 1.0 for g, n in df.items()}
    q: Counter = Counter()
    for text in query:
        q.update(ngrams(text))
    qv = _weighted(q, idf)
    scored = [Similar(round(_cosine(qv, _weighted(grams, idf)), 6), k, c) for k, c, grams in items]
    ranked = sorted((s for s in scored if s.score >= minimum), key=lambda s: -s.score)
    return ranked[:top]
