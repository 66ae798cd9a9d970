"""The screening engine: the rule catalogue, the knowledge base and the rules of ../shared/docs/rules.md
over Arrow tables with DuckDB in-process (no database file, no spill to disk)."""

from feijian.rules.catalogue import RULESET_VERSION, load_catalogue
from feijian.rules.knowledge_base import KnowledgeBase, KnowledgeBaseError
from feijian.rules.runner import ScreeningResult, case_total, money, screen, write_hits_csv

__all__ = ["RULESET_VERSION", "load_catalogue", "KnowledgeBase", "KnowledgeBaseError", "ScreeningResult",
           "case_total", "money", "screen", "write_hits_csv"]
