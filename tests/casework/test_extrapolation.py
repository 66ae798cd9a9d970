"""Extrapolation statistics: the t quantile, a published worked example, and coverage by simulation."""

import math

import numpy as np
import pytest

from feijian.casework.extrapolation import (difference, from_summary, mean_per_unit, ratio, stratified, t_cdf, t_ppf)
from feijian.domain.errors import InputError


@pytest.mark.parametrize("p, df, expected", [
    # Student's t table (e.g. NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2)
    (0.95, 1, 6.314), (0.95, 10, 1.812), (0.975, 30, 2.042), (0.995, 3, 5.841), (0.90, 5, 1.476),
    (0.95, 120, 1.658), (0.975, 2, 4.303),
])
def test_t_quantiles_match_the_table(p, df, expected):
    assert t_ppf(p, df) == pytest.approx(expected, abs=6e-4)
    assert t_cdf(t_ppf(p, df), df) == pytest.approx(p, abs=1e-10)
    assert t_ppf(1 - p, df) == pytest.approx(-t_ppf(p, df))


@pytest.mark.parametrize("p", [0.6, 0.9, 0.95, 0.999, 0.99999])
def test_t_quantiles_match_closed_forms(p):
    assert t_ppf(p, 1) == pytest.approx(math.tan(math.pi * (p - 0.5)), rel=1e-9)  # Cauchy
    assert t_ppf(p, 2) == pytest.approx((2 * p - 1) / math.sqrt(2 * p * (1 - p)), rel=1e-9)


def test_t_tends_to_the_normal_quantile():
    assert t_ppf(0.95, 1e7) == pytest.approx(1.6448536, abs=1e-5)


def test_published_worked_example_lohr_agsrs():
    # Lohr, Sampling: Design and Analysis, 2nd ed. (2010), Examples 2.5–2.6: an SRS of n = 300 of the
    # N = 3078 US counties (agsrs), acres92: ybar = 297,897, s = 344,551.9; SE(ybar) = 18,898;
    # estimated total 916,927,110 with SE 58,169,381.
    est = from_summary(297_897.0467, 344_551.9, 300, 3078, confidence=0.95)
    assert est.point == pytest.approx(916_927_110, rel=1e-8)
    assert est.standard_error == pytest.approx(58_169_381, rel=2e-6)
    assert est.standard_error / 3078 == pytest.approx(18_898, abs=1)
    assert est.df == 299


def test_mean_per_unit_by_hand_and_recovery_is_the_lower_limit():
    values = [0, 0, 10, 30, 20, 0, 40]  # n = 7 of N = 70
    est = mean_per_unit(values, 70)
    mean = sum(values) / 7
    s2 = sum((v - mean) ** 2 for v in values) / 6
    se = 70 * math.sqrt((1 - 7 / 70) * s2 / 7)
    assert est.point == pytest.approx(70 * mean)
    assert est.standard_error == pytest.approx(se)
    assert est.t == pytest.approx(1.943, abs=1e-3)  # t(0.95, 6)
    assert est.lower == pytest.approx(est.point - est.t * se)
    assert float(est.recovery) == pytest.approx(max(est.lower, 0), abs=0.005)
    assert mean_per_unit([0, 0, 0, 1000], 1000).recovery >= 0  # never negative


def test_difference_and_ratio_estimators():
    book = [100.0, 200.0, 50.0, 400.0, 120.0]
    audited = [100.0, 150.0, 50.0, 300.0, 120.0]
    d = difference(book, audited, 50)
    assert d.point == pytest.approx(50 * (150 / 5))
    over = [b - a for b, a in zip(book, audited)]
    r = ratio(over, book, 50, 10_000.0)
    assert r.point == pytest.approx(150 / 870 * 10_000)
    # overpayments exactly proportional to book: the ratio estimator has no error at all
    exact = ratio([0.1 * b for b in book], book, 50, 10_000.0)
    assert exact.point == pytest.approx(1000.0) and exact.standard_error == pytest.approx(0, abs=1e-9)


def test_stratified_sums_strata_and_census_strata_have_no_error():
    est = stratified([(100, [1.0, 2.0, 3.0]), (5, [10.0, 10.0, 20.0, 0.0, 5.0])])
    assert est.point == pytest.approx(100 * 2 + 45)
    single = mean_per_unit([1.0, 2.0, 3.0], 100)
    assert est.standard_error == pytest.approx(single.standard_error)
    assert est.df == pytest.approx(2)


def test_bad_inputs_are_refused():
    with pytest.raises(InputError):
        mean_per_unit([1.0], 10)
    with pytest.raises(InputError):
        mean_per_unit([1.0, 2.0, 3.0], 2)
    with pytest.raises(InputError):
        mean_per_unit([1.0, "x"], 10)
    with pytest.raises(InputError):
        ratio([1.0, 2.0], [0.0, 0.0], 10, 5.0)


def _coverage(population, n, sims, rng, estimate):
    truth = population.sum()
    covered = 0
    for _ in range(sims):
        idx = rng.choice(len(population), size=n, replace=False)
        est = estimate(idx)
        covered += est.lower <= truth <= est.upper
    return covered / sims


def test_coverage_simulation_mean_per_unit():
    # 2,000 simulated SRS samples of n = 100 from a population of 4,000 claims where 40 % carry an
    # overpayment (gamma-distributed amounts): the two-sided 90 % interval must cover the true total about
    # 90 % of the time. With 2,000 draws the binomial SD is 0.0067: 0.87–0.93 is ±4.5 SD.
    rng = np.random.default_rng(20260101)
    N = 4000
    population = np.where(rng.random(N) < 0.4, rng.gamma(4.0, 50.0, N), 0.0)
    cov = _coverage(population, 100, 2000, rng, lambda idx: mean_per_unit(population[idx], N))
    assert 0.87 <= cov <= 0.93


def test_coverage_simulation_ratio_and_stratified():
    rng = np.random.default_rng(7)
    N = 3000
    book = rng.gamma(3.0, 300.0, N)
    over = book * np.clip(rng.normal(0.15, 0.05, N), 0, None)
    X = book.sum()
    cov = _coverage(over, 120, 1500, rng, lambda idx: ratio(over[idx], book[idx], N, X))
    assert 0.87 <= cov <= 0.93
    # stratified by book amount: two strata, 60 + 60 units
    order = np.argsort(book)
    low, high = order[: N // 2], order[N // 2:]
    truth = over.sum()
    hits = 0
    for _ in range(1500):
        a = rng.choice(low, 60, replace=False)
        b = rng.choice(high, 60, replace=False)
        est = stratified([(len(low), over[a]), (len(high), over[b])])
        hits += est.lower <= truth <= est.upper
    assert 0.87 <= hits / 1500 <= 0.93
