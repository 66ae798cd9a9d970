"""normal_text's literal replacements give what the regular expressions gave (records.md's reading)."""

import random

import pyarrow as pa
import pyarrow.compute as pc

from feijian.rules.record_prep import BREAK_RE2, WHITESPACE_RE2, normal_text
from feijian.rules.record_text import SEPARATOR_CHARS, WHITESPACE


def _by_regex(text):
    marked = pc.replace_substring_regex(text, BREAK_RE2, "\n")
    return pc.utf8_lower(pc.replace_substring_regex(pc.utf8_normalize(marked, "NFKC"), WHITESPACE_RE2, ""))


def test_normal_text_equals_the_regular_expressions():
    rnd = random.Random(7)
    alphabet = list(WHITESPACE) + list(SEPARATOR_CHARS) + list("\r\nabcABC中文：（）℃×“”﹔﹖︔ＡＢ①ﬁ\u0301\u00a8") + ["\r\n"]
    values = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30))) for _ in range(5000)] + [None, ""]
    arr = pa.array(values, pa.string())
    for part in (arr, arr.slice(7, 300), pa.array(["无空白，无换行"]), pa.array(["a\r\nb\rc\nd"])):
        assert normal_text(part).equals(_by_regex(part))
    chunked = pa.chunked_array([arr.slice(0, 10), arr.slice(10)])
    assert normal_text(chunked).equals(_by_regex(chunked))
    assert normal_text(pa.array(["Ａ，b\r\n\u3000c"])).to_pylist() == ["a\nb\nc"]
