"""The codec of a table's chunks: the medical record documents in LZ4 (read whole by every screening with
R24–R29), the other tables in zstd; whatever the codec, a chunk reads back the same."""

import pyarrow as pa

from feijian.store import columnar

DOCS = pa.table({"doc_id": ["d1", "d2"] * 500, "text": ["术中置入支架2枚。", "患者请假外出，当日返院。"] * 500})
FEES = pa.table({"feedetl_sn": [str(i) for i in range(1000)], "cnt": [1.0, 2.0] * 500})


def test_documents_are_written_lz4_the_other_tables_zstd():
    for table, data, codec, other in (("emr_docs", DOCS, "lz4", "zstd"), ("fees", FEES, "zstd", "lz4")):
        blob = columnar.encode(data, columnar.compression_for(table)).to_pybytes()
        assert blob == columnar.encode(data, codec).to_pybytes()
        assert blob != columnar.encode(data, other).to_pybytes()


def test_a_chunk_of_either_codec_reads_back_whole_or_by_column():
    for codec in ("lz4", "zstd", None):
        blob = columnar.encode(DOCS, codec)
        assert columnar.decode(blob).equals(DOCS)
        assert columnar.decode(blob, ["text", "absent"]).equals(DOCS.select(["text"]))
