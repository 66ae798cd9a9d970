"""Encodings: detected and reported, never a lossy decode; mixed or wrongly declared files refused clearly."""

import pytest

from feijian.ingest import EncodingProblem, read_file

CONTENT = "mdtrt_id,psn_no,psn_name,med_type,begntime,adm_dept_name\nM001,P1,张三,11,2024-01-05 08:00,妇科\nM002,P2,李四,11,2024-01-06 08:00,内科\n"


@pytest.mark.parametrize("encoding,reported", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"),
                                                ("gb18030", "gbk")])
def test_encodings_detected_and_text_intact(write, encoding, reported):
    r = read_file(write("visits.csv", CONTENT, encoding))
    assert r.file.encoding == reported
    assert r.data.column("adm_dept_name").to_pylist() == ["妇科", "内科"]
    assert r.data.column("psn_name").to_pylist() == ["张三", "李四"]


def test_gb18030_only_characters_reported_as_gb18030(write):
    # 㐀 (U+3400) is outside GBK but in GB18030
    text = CONTENT.replace("张三", "张㐀")
    r = read_file(write("visits.csv", text, "gb18030"))
    assert r.file.encoding == "gb18030"
    assert r.data.column("psn_name").to_pylist()[0] == "张㐀"


def test_ascii_file_is_utf8(write):
    r = read_file(write("visits.csv", "mdtrt_id,psn_no,med_type,begntime\nM1,P1,11,2024-01-05\n"))
    assert r.file.encoding == "utf-8" and r.file.read == 1


def test_mixed_encodings_refused(write):
    data = CONTENT.split("\n")
    raw = (data[0] + "\n" + data[1] + "\n").encode("utf-8") + (data[2] + "\n").encode("gbk")
    with pytest.raises(EncodingProblem, match="混用编码|mixed"):
        read_file(write("visits.csv", raw))


def test_mixed_encodings_gbk_first(write):
    data = CONTENT.split("\n")
    raw = (data[0] + "\n" + data[1] + "\n").encode("gbk") + (data[2] + "\n").encode("utf-8")
    with pytest.raises(EncodingProblem, match="mixed"):
        read_file(write("visits.csv", raw))


def test_mixed_encodings_across_chunks(write):
    rows = [f"M{i:04d},P1,王五,11,2024-01-05 08:00,外科" for i in range(400)]
    header = CONTENT.split("\n")[0]
    raw = (header + "\n" + "\n".join(rows[:200]) + "\n").encode("utf-8") + ("\n".join(rows[200:]) + "\n").encode("gbk")
    with pytest.raises(EncodingProblem, match="mixed"):
        read_file(write("visits.csv", raw), chunk_bytes=2048)


def test_utf8_bom_but_gbk_body_refused(write):
    raw = b"\xef\xbb\xbf" + CONTENT.encode("gbk")
    with pytest.raises(EncodingProblem, match="line 2"):
        read_file(write("visits.csv", raw))


def test_declared_encoding_wrong(write):
    with pytest.raises(EncodingProblem, match="declared utf-8|declared UTF-8"):
        read_file(write("visits.csv", CONTENT, "gbk"), encoding="utf-8")
    r = read_file(write("v2/visits.csv", CONTENT, "gbk"), encoding="gbk")
    assert r.data.column("adm_dept_name").to_pylist() == ["妇科", "内科"]


def test_bytes_in_no_encoding(write):
    raw = CONTENT.encode("utf-8").replace("妇科".encode(), b"\xff\xfe\xff")
    with pytest.raises(EncodingProblem, match="line 2"):
        read_file(write("visits.csv", raw))


def test_utf16_named_clearly(write):
    with pytest.raises(EncodingProblem, match="UTF-16"):
        read_file(write("visits.csv", CONTENT, "utf-16"))


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
@pytest.mark.parametrize("piece", [1, 7, 64, 1 << 20])
def test_gb_transcoding_in_pieces_equals_decoding_at_once(encoding, piece):
    from feijian.ingest.encoding import gb_to_utf8

    text = "".join(f"M{i:04d},张三{i},妇科门诊，内科\r\n" if i % 3 else f"M{i:04d},㐀{i},\n" for i in range(400))
    if encoding == "gbk":
        text = text.replace("㐀", "李")
    block = text.encode(encoding)
    assert gb_to_utf8(block, encoding, piece) == text.encode("utf-8")


def test_gb_transcoding_error_offset_is_in_the_whole_block():
    from feijian.ingest.encoding import gb_to_utf8

    good = "张三,妇科\n".encode("gbk") * 50
    block = good + b"\x81\xff,bad\n" + good
    with pytest.raises(UnicodeDecodeError) as exc:
        gb_to_utf8(block, "gbk", piece=16)
    assert exc.value.start == len(good)
