"""Effective and relative robustness (Taori et al. 2020), in accuracy percentage points.

acc1 is the accuracy on the original test set (ImageNet), acc2 on a distribution-shift
set. beta(acc1) is the acc2 that standard models with that acc1 reach (a fit through
many baseline models; here a straight line beta(x) = slope · x + intercept).

- effective robustness  rho(f)  = acc2(f) - beta(acc1(f))
- relative robustness   tau(f') = acc2(f') - acc2(f), f' = f plus a robustness intervention
"""

from __future__ import annotations

import random


def baseline_shift_accuracy(acc_in: float, slope: float, intercept: float) -> float:
    """beta(acc1): the shifted-set accuracy a standard model with this acc1 is expected to have."""
    return slope * acc_in + intercept


def effective_robustness(acc_in: float, acc_shift: float, slope: float, intercept: float) -> float:
    """rho = acc2 - beta(acc1): how far the model sits above the baseline line.

    Rounded to 9 decimals so that a model exactly on the line shows 0, not 1e-14."""
    return round(acc_shift - baseline_shift_accuracy(acc_in, slope, intercept), 9)


def relative_robustness(shift_before: float, shift_after: float) -> float:
    """tau = acc2(f') - acc2(f): the intervention's gain on the shifted set (9 decimals)."""
    return round(shift_after - shift_before, 9)


def intervention_relative_robustness(
    in_before: float,
    shift_before: float,
    in_after: float,
    shift_after: float,
    slope: float,
    intercept: float,
) -> float:
    """tau for a before/after pair; the ImageNet accuracies and the trend do not enter."""
    return relative_robustness(shift_before, shift_after)


def effective_robustness_gain(
    in_before: float,
    shift_before: float,
    in_after: float,
    shift_after: float,
    slope: float,
    intercept: float,
) -> float:
    """Change of effective robustness caused by an intervention: rho(f') - rho(f)."""
    after = effective_robustness(in_after, shift_after, slope, intercept)
    return round(after - effective_robustness(in_before, shift_before, slope, intercept), 9)


def draw_intervention(rng: random.Random) -> dict:
    """A model before/after an intervention and a baseline line with slope 1.1-1.5."""
    slope = rng.choice([1.1, 1.2, 1.3, 1.4, 1.5])
    intercept = round(-slope * 76 + rng.uniform(55, 65), 1)
    in_before = round(rng.uniform(70, 80), 1)
    in_after = round(in_before + rng.uniform(-2, 3), 1)
    shift_before = round(
        baseline_shift_accuracy(in_before, slope, intercept) + rng.uniform(-2, 2), 1
    )
    shift_after = round(shift_before + rng.uniform(1, 6), 1)
    return {
        "in_before": in_before,
        "shift_before": shift_before,
        "in_after": in_after,
        "shift_after": shift_after,
        "slope": slope,
        "intercept": intercept,
    }


def draw_single_model(rng: random.Random) -> dict:
    """One model's two accuracies and a baseline line."""
    drawn = draw_intervention(rng)
    return {
        "acc_in": drawn["in_after"],
        "acc_shift": drawn["shift_after"],
        "slope": drawn["slope"],
        "intercept": drawn["intercept"],
    }


# --------------------------------------------------- steps shown in the worked explanations
# Rounded to 6 decimals: the inputs have one or two decimals, and a float remainder such as
# 1.4e-14 would otherwise be shown instead of 0.


def baseline_before(in_before: float, slope: float, intercept: float) -> float:
    """beta(acc1) of the model before the intervention."""
    return round(baseline_shift_accuracy(in_before, slope, intercept), 6)


def baseline_after(in_after: float, slope: float, intercept: float) -> float:
    """beta(acc1) of the model after the intervention."""
    return round(baseline_shift_accuracy(in_after, slope, intercept), 6)


def rho_before(in_before: float, shift_before: float, slope: float, intercept: float) -> float:
    """Effective robustness before the intervention."""
    return round(effective_robustness(in_before, shift_before, slope, intercept), 6)


def rho_after(in_after: float, shift_after: float, slope: float, intercept: float) -> float:
    """Effective robustness after the intervention."""
    return round(effective_robustness(in_after, shift_after, slope, intercept), 6)
