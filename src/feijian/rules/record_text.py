"""Reading a medical record document's text as ../shared/docs/records.md ("Reading the text") specifies:
clauses, their normal form, the mentions of an item's terms, negation cues and counts written in Arabic or
Chinese numerals. Pure functions over ``str``; this is the reference the rules engine's SQL is tested
against (tests/rules/test_record_rules.py) and what the workbench uses to highlight mentions.

1. Clauses: the text as read is cut at each of ``，。；;！？!?`` and at line breaks (``\\n``, ``\\r\\n``,
   ``\\r``); a match never spans two clauses.
2. Normal form of a clause: NFKC, all whitespace removed, lower case (Latin letters match without case).
   Terms and unit words are normalised the same way. Cutting comes first: NFKC turns ``，`` into ``,``,
   which is not a separator.
3. Mention: an occurrence of one of the item's terms in the normalised clause; an occurrence inside a
   longer one of the same item's terms at the same place counts once (the longer one stands).
4. Negation: a mention is negated when one of :data:`NEGATION_CUES` ends at or before its start in the
   same clause. A negated mention is no mention.
5. Count (R26): the first number after the mention in its clause that is directly followed by one of the
   unit words; Arabic digits or the Chinese numerals ``零一二两三四五六七八九十``; 1 where there is none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Sequence

# records.md, "Reading the text" 1: the clause separators (before normalisation) and the line breaks
SEPARATOR_CHARS = "，。；;！？!?"
CLAUSE_BREAK = re.compile(r"\r\n|[\r\n" + re.escape(SEPARATOR_CHARS) + "]")
NEGATION_CUES = ("未行", "未予", "未做", "未查", "未使用", "未植入", "未置入", "取消", "拒绝", "停用", "放弃")
DEFAULT_UNIT_WORDS = ("枚", "根", "个", "支", "条", "套", "片")
DEFAULT_ABSENCE_TERMS = ("请假离院", "请假外出", "外出未归", "未在病房", "不在病房", "离院未归")
CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                  "九": 9}
CHINESE_NUMERALS = "".join(CHINESE_DIGITS) + "十"
_NUMBER = re.compile(r"[0-9]+|[" + CHINESE_NUMERALS + "]+")
# every character Python counts as whitespace (str.split()): the engine removes the same set
WHITESPACE = "".join(c for c in map(chr, range(0x110000)) if c.isspace())


def clauses(text: Optional[str]) -> list[str]:
    """The clauses of a document's text as read (not normalised), in order; empty clauses included, so
    that clause ``i`` of the text is clause ``i`` of its normal form."""
    return CLAUSE_BREAK.split(text or "")


def clause_spans(text: Optional[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each clause of :func:`clauses` in the original text."""
    text = text or ""
    spans, start = [], 0
    for m in CLAUSE_BREAK.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def normalise(text: str) -> str:
    """A clause (or term) in its normal form: NFKC, whitespace removed, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def split_list(value: Optional[str]) -> list[str]:
    """A ``;``-separated knowledge-base list (a full-width ``；`` separates too), blanks dropped."""
    return [p.strip() for p in (value or "").replace("；", ";").split(";") if p.strip()]


def normal_terms(terms: Iterable[str]) -> tuple[str, ...]:
    """Terms in normal form, empty ones dropped, each once (in order)."""
    return tuple(dict.fromkeys(t for t in (normalise(x) for x in terms) if t))


def chinese_number(run: str) -> Optional[int]:
    """The value of a run of Chinese numerals: ``十二`` = 12, ``二十`` = 20, ``九十九`` = 99, ``两`` = 2;
    digits without ``十`` read one by one (``二零`` = 20). None for a run that is no number (``十十``)."""
    if not run or any(c not in CHINESE_NUMERALS for c in run):
        return None
    if "十" not in run:
        return int("".join(str(CHINESE_DIGITS[c]) for c in run))
    if run.count("十") > 1:
        return None
    tens, _, units = run.partition("十")
    if len(tens) > 1 or len(units) > 1 or tens == "零" or units == "零":
        return None
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[units] if units else 0)


def number_value(run: str) -> Optional[int]:
    return int(run) if run.isdigit() and run.isascii() else chinese_number(run)


@dataclass(frozen=True)
class Mention:
    """One mention in a normalised clause: ``[start, end)`` of the place, the term that stands there."""

    start: int
    end: int
    term: str
    negated: bool


def first_cue_end(clause: str, cues: Sequence[str] = NEGATION_CUES) -> Optional[int]:
    """Where the earliest-ending negation cue of a normalised clause ends, or None."""
    ends = [p + len(c) for c in cues if (p := clause.find(c)) >= 0]
    return min(ends) if ends else None


def mentions(clause: str, terms: Sequence[str]) -> list[Mention]:
    """The mentions of ``terms`` (normal form) in a normalised ``clause``, by start: every occurrence of
    every term, except one that lies inside another occurrence (nested terms count once)."""
    found = []
    for term in terms:
        start = clause.find(term)
        while start >= 0:
            found.append((start, start + len(term), term))
            start = clause.find(term, start + 1)
    if not found:
        return []
    found.sort(key=lambda m: (m[0], -m[1]))
    kept: list[tuple[int, int, str]] = []
    for m in found:
        if any(k[0] <= m[0] and m[1] <= k[1] for k in kept):
            continue
        kept.append(m)
    cue_end = first_cue_end(clause)
    return [Mention(s, e, t, cue_end is not None and cue_end <= s) for s, e, t in kept]


def mentioned(clause: str, terms: Sequence[str]) -> bool:
    """True where the normalised clause has a mention of ``terms`` that is not negated."""
    return any(not m.negated for m in mentions(clause, terms))


def count_match(clause: str, end: int, unit_words: Sequence[str]) -> Optional[tuple[int, int, int]]:
    """Where the count of a mention ending at ``end`` is written: ``(start, end, value)`` of the first
    number after it in the clause directly followed by a unit word (normal form), or None."""
    for m in _NUMBER.finditer(clause, end):
        if any(clause.startswith(u, m.end()) for u in unit_words):
            value = number_value(m.group())
            if value is not None:
                return m.start(), m.end(), value
    return None


def count_after(clause: str, end: int, unit_words: Sequence[str]) -> int:
    """The count of a mention ending at ``end`` (records.md, reading 5): the number of :func:`count_match`,
    else 1."""
    found = count_match(clause, end, unit_words)
    return 1 if found is None else found[2]


def document_count(text: Optional[str], terms: Sequence[str], unit_words: Sequence[str]) -> int:
    """R26's count of one document: the largest count of any non-negated mention (0 where none)."""
    best = 0
    for clause in clauses(text):
        norm = normalise(clause)
        for m in mentions(norm, terms):
            if not m.negated:
                best = max(best, count_after(norm, m.end, unit_words))
    return best


def document_mentions(text: Optional[str], terms: Sequence[str]) -> bool:
    """True where the document's text has a non-negated mention of ``terms`` (normal form)."""
    return any(mentioned(normalise(c), terms) for c in clauses(text))


# --- for people: where the mentions stand in the text as written ------------------------------------

@dataclass(frozen=True)
class TextMention:
    """A mention located in the document's text as written: ``[start, end)`` in the original string,
    its clause's number and span, the term, and whether it is negated."""

    clause_no: int
    start: int
    end: int
    clause_start: int
    clause_end: int
    term: str
    negated: bool
    count: Optional[int] = None
    count_start: Optional[int] = None  # where the count is written in the original text (None: not written)
    count_end: Optional[int] = None


def _normal_map(raw: str) -> tuple[str, list[int]]:
    """The normal form built character by character, with the index in ``raw`` of each normal character.
    Equal to :func:`normalise` except where NFKC composes across characters (then the caller falls back
    to the whole clause)."""
    out, src = [], []
    for i, ch in enumerate(raw):
        for n in normalise(ch):
            out.append(n)
            src.append(i)
    return "".join(out), src


def locate(text: Optional[str], terms: Sequence[str], unit_words: Sequence[str] = ()) -> Iterator[TextMention]:
    """Every mention of ``terms`` (normal form) in ``text``, placed in the original text for highlighting,
    with its count when ``unit_words`` are given."""
    text = text or ""
    for no, (cs, ce) in enumerate(clause_spans(text)):
        raw = text[cs:ce]
        norm = normalise(raw)
        found = mentions(norm, terms)
        if not found:
            continue
        mapped, src = _normal_map(raw)
        exact = mapped == norm
        for m in found:
            count = where = None
            if unit_words:
                match = count_match(norm, m.end, unit_words)
                count = 1 if match is None else match[2]
                if match is not None and exact:
                    where = (cs + src[match[0]], cs + src[match[1] - 1] + 1)
            if exact:
                start, end = cs + src[m.start], cs + src[m.end - 1] + 1
            else:  # composition across characters: the whole clause stands for the place
                start, end = cs, ce
            yield TextMention(no, start, end, cs, ce, m.term, m.negated, count, *(where or (None, None)))
