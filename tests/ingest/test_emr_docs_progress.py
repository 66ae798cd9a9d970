"""An emr_docs index naming many files reports progress as its documents are read (not when its few bytes
of index are), monotonically up to the total, and a cancel stops the reading."""

import pytest

from feijian.domain.errors import Cancelled
from feijian.ingest import read_file, read_folder

from document_samples import many_files_index

N = 3000


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return many_files_index(tmp_path_factory.mktemp("many"), N)


def _recorder():
    seen = []
    return seen, lambda done, total, message="": seen.append((done, total, message))


def test_progress_advances_with_the_documents_monotonically_to_the_total(index):
    seen, progress = _recorder()
    r = read_file(index, progress=progress)
    assert r.data.num_rows == N and not r.rejected
    done = [d for d, _, _ in seen]
    assert done == sorted(done), "monotonic"
    assert {t for _, t, _ in seen} == {index.stat().st_size}
    assert done[-1] == index.stat().st_size
    assert len(set(done)) >= N // 64 // 2, "one report every few dozen documents"
    assert done[0] < index.stat().st_size // 10, "the first report comes early, not once the index is parsed"
    assert "document files" in seen[-2][2]


def test_progress_through_the_folder_is_monotonic_too(index):
    seen, progress = _recorder()
    r = read_folder(index.parent, progress=progress)
    assert r.tables["emr_docs"].num_rows == N
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and done[-1] == seen[-1][1]


def test_cancel_stops_the_reading_of_the_documents(index):
    seen, progress = _recorder()
    size = index.stat().st_size
    with pytest.raises(Cancelled):
        read_file(index, progress=progress, cancelled=lambda: bool(seen) and seen[-1][0] > size // 3)
    read_docs = int(seen[-1][2].split(": ")[1].split(" ")[0])
    assert 0 < read_docs < N // 2, "stopped soon after the cancel, not at the end"
