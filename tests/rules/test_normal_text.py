"""normal_text's literal replacements give what the regular expressions gave (records.md's reading)."""

import random

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from feijian.rules.nfkc import nfkc
from feijian.rules.record_prep import BREAK_RE2, WHITESPACE_RE2, normal_text
from feijian.rules.record_text import SEPARATOR_CHARS, WHITESPACE


def _by_regex(text):
    marked = pc.replace_substring_regex(text, BREAK_RE2, "\n")
    return pc.utf8_lower(pc.replace_substring_regex(pc.utf8_normalize(marked, "NFKC"), WHITESPACE_RE2, ""))


def test_normal_text_equals_the_regular_expressions():
    rnd = random.Random(7)
    alphabet = list(WHITESPACE) + list(SEPARATOR_CHARS) + list("\r\nabcABC中文：（）℃×“”﹔﹖︔ＡＢ①ﬁ\u0301\u00a8") + ["\r\n"] \
        + COMPATIBILITY
    values = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(5000)] + [None, ""]
    arr = pa.array(values, pa.string())
    for part in (arr, arr.slice(7, 300), pa.array(["无空白，无换行"]), pa.array(["a\r\nb\rc\nd"])):
        assert normal_text(part).equals(_by_regex(part))
    chunked = pa.chunked_array([arr.slice(0, 10), arr.slice(10)])
    assert normal_text(chunked).equals(_by_regex(chunked))
    assert normal_text(pa.array(["Ａ，b\r\n\u3000c"])).to_pylist() == ["a\nb\nc"]


# what NFKC changes or composes, beside characters it leaves alone: full-width and half-width forms (katakana
# with their voiced marks), circled and parenthesised numbers, ligatures, units, Roman numerals, letters with
# combining marks (composed, decomposed, reordered), Hangul jamo that compose, singletons, characters beyond
# the BMP (a composing pair, an emoji), super- and subscripts, fractions, the no-break and ideographic spaces
COMPATIBILITY = list("：（）％０９ＡＺａｚ～\u3000ｶﾞﾟｱｧ①⑳⑴㈱㍿ﬁﬀﬃ㎎㎡℃℉Ⅱⅻ…‥¼²₃µ\u00a0\u2002ſ"
                     "é\u0065\u0301\u0327\u0323\u0307ÅΩ\u212b\u2126\u0958\u0344\u1100\u1161\u11a8가각"
                     "\U0001d15e\U0001d157\U0001d165\U0001f600\u3099\u309a\u309bか\u302a、。「」〶") + ["e\u0301", "\u1100\u1161"]


def test_nfkc_equals_arrows_nfkc():
    rnd = random.Random(11)
    alphabet = COMPATIBILITY + list("abc中文病历 \n")
    for size in (1, 4, 40):
        values = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, size))) for _ in range(8000)] + [None, ""]
        arr = pa.array(values, pa.string())
        for part in (arr, arr.slice(5, 2000), pa.array(["中文病历，无需改写"]), pa.array([None, "ＡＢ"])):
            expected = pc.utf8_normalize(part, "NFKC")
            assert nfkc(part).equals(expected)
            # padded: the same up to the blanks that fill what a rewritten character left
            assert pc.replace_substring(nfkc(part, pad=" "), " ", "").equals(pc.replace_substring(expected, " ", ""))
    chunked = pa.chunked_array([arr.slice(0, 10), arr.slice(10)])
    assert nfkc(chunked).equals(pc.utf8_normalize(chunked, "NFKC"))
    assert nfkc(pa.array(["体温36.5℃，ＡＢ：Ⅱ"])).to_pylist() == ["体温36.5°C,AB:II"]
    assert nfkc(pa.array(["ｶﾞ\u0065\u0301"])).to_pylist() == ["ガé"]


def test_nfkc_replaces_before_normalizing():
    rnd = random.Random(5)
    alphabet = COMPATIBILITY + list("，。；！？中文 a")
    before = {"，": "\n", "。": "\n", "；": "\n"}
    values = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 20))) for _ in range(5000)] + [None]
    arr = pa.array(values, pa.string())
    replaced = arr
    for old, new in before.items():
        replaced = pc.replace_substring(replaced, old, new)
    expected = pc.utf8_normalize(replaced, "NFKC")
    assert nfkc(arr, before=before).equals(expected)
    assert pc.replace_substring(nfkc(arr, pad=" ", before=before), " ", "").equals(
        pc.replace_substring(expected, " ", ""))
    # "；" before NFKC is a break; "﹔" becomes ";" through NFKC and stays one
    assert nfkc(pa.array(["甲；乙﹔丙"]), before=before).to_pylist() == ["甲\n乙;丙"]
    with pytest.raises(ValueError):
        nfkc(arr, before={"a": "b"})  # ASCII: not a character the byte pass decodes
    with pytest.raises(ValueError):
        nfkc(arr, before={"，": "很长的替换"})  # longer than the character
