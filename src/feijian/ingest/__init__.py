"""Import of hospital extracts (../shared/docs/data-contract.md): CSV/XLSX in UTF-8 or GBK/GB18030,
header aliases and user mappings, validation into typed Arrow tables, the reject report and the chain of
custody (SHA-256, size, encoding, row counts per file). See docs/interfaces.md."""

from feijian.ingest.errors import DuplicateImport, EmptyFile, EncodingProblem, MappingProblem, NotATable
from feijian.ingest.folder import FolderRead, ReferentialProblem, read_folder, scan_folder
from feijian.ingest.mapping import (
    MappingProposal,
    load_mapping,
    load_profile,
    propose_mapping,
    recognise_table,
    save_mapping,
    save_profile,
)
from feijian.ingest.reader import FileStream, TableRead, iter_file, open_sources, preview, read_file
from feijian.ingest.report import format_summary, write_report

__all__ = [
    "DuplicateImport", "EmptyFile", "EncodingProblem", "MappingProblem", "NotATable",
    "FolderRead", "ReferentialProblem", "read_folder", "scan_folder",
    "MappingProposal", "load_mapping", "load_profile", "propose_mapping", "recognise_table", "save_mapping",
    "save_profile", "FileStream", "TableRead", "iter_file", "open_sources", "preview", "read_file",
    "format_summary", "write_report",
]
