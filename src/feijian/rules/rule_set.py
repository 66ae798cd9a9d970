"""The rule set: every rule family module, imported so that each registers its rules with
:mod:`feijian.rules.registry`. The families import the registry, the registry imports none of them."""

from __future__ import annotations

from feijian.rules import (aggregate_rules, line_rules, record_rules, statistical, stay_rules,  # noqa: F401
                           stock_rules)
from feijian.rules.registry import RULES, Rule

FAMILIES = (aggregate_rules, line_rules, record_rules, statistical, stay_rules, stock_rules)


def load_rules() -> dict[str, Rule]:
    """The registry, with every family's rules registered (they register on import)."""
    return RULES
