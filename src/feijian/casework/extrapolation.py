"""Extrapolation of a reviewed sample to its population (RAT-STATS-style variable appraisal).

Estimators (Cochran, *Sampling Techniques*, 3rd ed., ch. 2, 5, 6; Lohr, *Sampling: Design and Analysis*):
- mean-per-unit: total = N·ȳ, SE = N·√((1 − n/N)·s²/n);
- difference: the overpayment per unit is ``book − audited``; its total is the mean-per-unit estimate of the
  differences, and the corrected (audited) population total is ``X − that``;
- ratio: R = Σ overpayment / Σ book, total = R·X, SE = N·√((1 − n/N)·s_e²/n) with e = o − R·b;
- stratified: Σ_h of the per-stratum totals, variance the sum of the strata's, degrees of freedom by
  Satterthwaite's approximation.
The two-sided interval uses Student's t with n − 1 degrees of freedom (finite-population correction
included); the recovery amount is the lower limit of the two-sided 90 % interval (OIG practice, RAT-STATS),
never below zero. The t quantile is computed here (regularised incomplete beta + bisection/Newton), so
no SciPy is needed.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, Sequence

from feijian.domain.errors import InputError

DEFAULT_CONFIDENCE = 0.90


# --------------------------------------------------------------------------- Student's t
def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    ln = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(ln)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with ``df`` degrees of freedom."""
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    x = df / (df + t * t)
    tail = 0.5 * betainc(df / 2.0, 0.5, x)
    return 1.0 - tail if t > 0 else tail


def t_pdf(t: float, df: float) -> float:
    ln = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(ln - (df + 1) / 2 * math.log1p(t * t / df))


@lru_cache(maxsize=4096)
def t_ppf(p: float, df: float) -> float:
    """The quantile of Student's t: the t with P(T ≤ t) = p (safeguarded Newton from the Cornish–Fisher
    expansion of the normal quantile, falling back to bisection inside a bracket)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be in (0, 1)")
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_ppf(1.0 - p, df)
    z = NormalDist().inv_cdf(p)
    t = z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df)
    lo, hi = 0.0, max(2.0 * t, 1.0)
    while t_cdf(hi, df) < p:
        lo, hi = hi, hi * 2.0
        if hi > 1e15:
            return math.inf
    t = min(max(t, lo), hi)
    for _ in range(100):
        f = t_cdf(t, df) - p
        if f < 0:
            lo = t
        else:
            hi = t
        step = f / t_pdf(t, df)
        nxt = t - step
        if not lo < nxt < hi:  # Newton left the bracket: bisect
            nxt = 0.5 * (lo + hi)
        if abs(nxt - t) <= 1e-12 * max(1.0, abs(nxt)):
            return nxt
        t = nxt
    return t


# --------------------------------------------------------------------------- estimates
@dataclass(frozen=True)
class Estimate:
    method: str  # mean-per-unit / difference / ratio / stratified
    population_size: int
    sample_size: int
    point: float  # estimated total overpayment
    standard_error: float
    df: float
    confidence: float
    t: float
    lower: float
    upper: float
    strata: tuple = field(default=())  # per-stratum Estimates for a stratified appraisal

    @property
    def precision(self) -> float:
        """Half the interval's width relative to the point estimate (RAT-STATS 'precision')."""
        return (self.upper - self.point) / abs(self.point) if self.point else math.inf

    @property
    def recovery(self) -> Decimal:
        """The amount to recover: the lower limit, not below zero, in yuan to the fen."""
        return Decimal(str(max(self.lower, 0.0))).quantize(Decimal("0.01"))

    def as_dict(self) -> dict:
        return {
            "method": self.method, "population_size": self.population_size, "sample_size": self.sample_size,
            "point": round(self.point, 2), "standard_error": round(self.standard_error, 2), "df": self.df,
            "confidence": self.confidence, "t": self.t, "lower": round(self.lower, 2), "upper": round(self.upper, 2),
            "recovery": str(self.recovery),
        }


def _floats(values: Iterable, what: str) -> list[float]:
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise InputError(f"{what}含非数字 / {what} holds a non-number: {v!r}") from None
        if not math.isfinite(f):
            raise InputError(f"{what}含非有限数 / {what} holds a non-finite value: {v!r}")
        out.append(f)
    return out


def _check_sizes(n: int, N: int) -> None:
    if n < 2:
        raise InputError("样本至少需要 2 个单位才能外推 / extrapolation needs a sample of at least 2 units")
    if N < n:
        raise InputError(f"总体 {N} 小于样本 {n} / the population ({N}) is smaller than the sample ({n})")


def _interval(method: str, N: int, n: int, point: float, se: float, df: float, confidence: float) -> Estimate:
    if not 0.0 < confidence < 1.0:
        raise InputError(f"置信水平须在 0 与 1 之间 / bad confidence level: {confidence}")
    t = t_ppf(0.5 + confidence / 2.0, df) if se > 0 else 0.0
    return Estimate(method, N, n, point, se, df, confidence, t, point - t * se, point + t * se)


def from_summary(mean: float, sd: float, n: int, N: int, *, confidence: float = DEFAULT_CONFIDENCE,
                 method: str = "mean-per-unit") -> Estimate:
    """Mean-per-unit appraisal from a sample's mean and standard deviation (n − 1 divisor)."""
    _check_sizes(n, N)
    se = N * math.sqrt(max(0.0, 1.0 - n / N) * sd * sd / n)
    return _interval(method, N, n, N * mean, se, n - 1, confidence)


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    n = len(values)
    mean = math.fsum(values) / n
    var = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(var)


def mean_per_unit(values: Iterable, population_size: int, *, confidence: float = DEFAULT_CONFIDENCE) -> Estimate:
    """Total overpayment from the overpayment found in each sampled unit (zeros included)."""
    ys = _floats(values, "样本值 / sample values")
    _check_sizes(len(ys), population_size)
    mean, sd = _mean_sd(ys)
    return from_summary(mean, sd, len(ys), population_size, confidence=confidence)


def difference(book: Iterable, audited: Iterable, population_size: int, *, confidence: float = DEFAULT_CONFIDENCE) -> Estimate:
    """Total overpayment as the mean-per-unit estimate of ``book − audited`` (RAT-STATS 'difference')."""
    b = _floats(book, "账面金额 / book amounts")
    a = _floats(audited, "核定金额 / audited amounts")
    if len(a) != len(b):
        raise InputError("账面金额与核定金额个数不同 / book and audited amounts differ in length")
    est = mean_per_unit([x - y for x, y in zip(b, a)], population_size, confidence=confidence)
    return Estimate("difference", *[getattr(est, f) for f in ("population_size", "sample_size", "point", "standard_error",
                                                                "df", "confidence", "t", "lower", "upper")])


def ratio(overpayments: Iterable, book: Iterable, population_size: int, population_book_total: float, *,
          confidence: float = DEFAULT_CONFIDENCE) -> Estimate:
    """Total overpayment as R·X, R = Σ overpayment / Σ book over the sample, X the population's book total."""
    o = _floats(overpayments, "样本值 / sample values")
    b = _floats(book, "账面金额 / book amounts")
    if len(o) != len(b):
        raise InputError("样本值与账面金额个数不同 / sample values and book amounts differ in length")
    n, N = len(o), population_size
    _check_sizes(n, N)
    sb = math.fsum(b)
    if sb == 0:
        raise InputError("样本账面金额合计为零，无法用比率估计 / the sample's book total is zero: no ratio estimate")
    r = math.fsum(o) / sb
    resid = [oi - r * bi for oi, bi in zip(o, b)]
    s2 = math.fsum(e * e for e in resid) / (n - 1)
    se = N * math.sqrt(max(0.0, 1.0 - n / N) * s2 / n)
    return _interval("ratio", N, n, r * float(population_book_total), se, n - 1, confidence)


def stratified(strata: Sequence[tuple[int, Iterable]], *, confidence: float = DEFAULT_CONFIDENCE) -> Estimate:
    """Stratified mean-per-unit appraisal: ``strata`` is ``[(N_h, sample values of stratum h), ...]``.
    A stratum sampled completely (n_h = N_h) contributes its exact total and no variance."""
    parts, point, var, dfden = [], 0.0, 0.0, 0.0
    n_all = N_all = 0
    for N_h, values in strata:
        ys = _floats(values, "样本值 / sample values")
        n_h = len(ys)
        if n_h == 0:
            raise InputError("某一层没有样本 / a stratum has no sample")
        if N_h < n_h:
            raise InputError(f"某层总体 {N_h} 小于样本 {n_h} / a stratum's population is smaller than its sample")
        mean = math.fsum(ys) / n_h
        if n_h == N_h:
            v = 0.0
            sd = 0.0
        else:
            if n_h < 2:
                raise InputError("未全查的层至少需要 2 个样本 / a stratum not reviewed in full needs at least 2 units")
            mean, sd = _mean_sd(ys)
            v = N_h * N_h * (1.0 - n_h / N_h) * sd * sd / n_h
        point += N_h * mean
        var += v
        if v > 0:
            dfden += v * v / (n_h - 1)
        n_all += n_h
        N_all += N_h
        parts.append(from_summary(mean, sd, n_h, N_h, confidence=confidence) if n_h >= 2 and n_h < N_h
                     else Estimate("census", N_h, n_h, N_h * mean, 0.0, 0.0, confidence, 0.0, N_h * mean, N_h * mean))
    df = (var * var / dfden) if dfden > 0 else max(1, n_all - len(parts))
    est = _interval("stratified", N_all, n_all, point, math.sqrt(var), df, confidence)
    return Estimate(**{**est.__dict__, "strata": tuple(parts)})
