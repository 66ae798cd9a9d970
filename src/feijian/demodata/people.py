"""Synthetic but well-formed people: Chinese names, 18-digit resident ID numbers with their
ISO 7064 MOD 11-2 check digit (GB 11643), insured-person numbers, doctor codes."""

from __future__ import annotations

import datetime as dt
import random

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """The 18th character of a resident ID number (GB 11643-1999)."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need 17 digits")
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def certno(area: str, birth: dt.date, seq: int, gend: str) -> str:
    """An ID number: area code, birth date, 3-digit sequence (odd = male, even = female), check digit."""
    s = seq % 499 * 2 + (1 if gend == "1" else 2)
    body = f"{area}{birth:%Y%m%d}{s:03d}"
    return body + check_digit(body)


def person_name(rng: random.Random, names: dict, gend: str) -> str:
    pool = names["given_female"] if gend == "2" else names["given_male"]
    surname = rng.choice(names["surnames"])
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return surname + given


def birth_date(rng: random.Random, age: int, ref: dt.date) -> dt.date:
    """A birth date such that the person is ``age`` whole years old on ``ref``."""
    offset = rng.randint(1, 364)
    d = ref - dt.timedelta(days=offset)
    try:
        return d.replace(year=d.year - age)
    except ValueError:  # 29 February
        return d.replace(year=d.year - age, day=28)


def age_on(brdy: dt.date, day: dt.date) -> int:
    return day.year - brdy.year - ((day.month, day.day) < (brdy.month, brdy.day))
