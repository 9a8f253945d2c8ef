"""Wrong answers students typically give to the effective/relative robustness calculations,
computed like the right ones in `quizapp.solvers.robustness`.

Each function takes exactly the parameters of the question's own solver and returns the
value one particular slip produces; questions name them in `known_mistakes`.
"""

from __future__ import annotations

from .robustness import effective_robustness, effective_robustness_gain

# ------------------------------------------------------------- effective robustness (one model)


def rho_against_imagenet_accuracy(
    acc_in: float, acc_shift: float, slope: float, intercept: float
) -> float:
    """acc2 - acc1: the drop from ImageNet, compared with the model's own ImageNet accuracy
    instead of the trend's prediction beta(acc1)."""
    return round(acc_shift - acc_in, 9)


def rho_sign_flipped(acc_in: float, acc_shift: float, slope: float, intercept: float) -> float:
    """beta(acc1) - acc2: the difference taken the wrong way round."""
    return -effective_robustness(acc_in, acc_shift, slope, intercept)


def rho_without_intercept(acc_in: float, acc_shift: float, slope: float, intercept: float) -> float:
    """acc2 - slope · acc1: the intercept of the trend left out."""
    return round(acc_shift - slope * acc_in, 9)


# ------------------------------------------------------------ relative robustness and its gain


def tau_imagenet_gain(
    in_before: float,
    shift_before: float,
    in_after: float,
    shift_after: float,
    slope: float,
    intercept: float,
) -> float:
    """acc1(f') - acc1(f): the gain on ImageNet instead of the shifted set."""
    return round(in_after - in_before, 9)


def tau_as_effective_gain(
    in_before: float,
    shift_before: float,
    in_after: float,
    shift_after: float,
    slope: float,
    intercept: float,
) -> float:
    """rho(f') - rho(f): the change of effective robustness, not the relative robustness."""
    return effective_robustness_gain(
        in_before, shift_before, in_after, shift_after, slope, intercept
    )


def effective_gain_as_tau(
    in_before: float,
    shift_before: float,
    in_after: float,
    shift_after: float,
    slope: float,
    intercept: float,
) -> float:
    """acc2(f') - acc2(f): the relative robustness, without subtracting what the trend predicts."""
    return round(shift_after - shift_before, 9)


def effective_gain_without_slope(
    in_before: float,
    shift_before: float,
    in_after: float,
    shift_after: float,
    slope: float,
    intercept: float,
) -> float:
    """Shifted gain minus the ImageNet gain itself, instead of slope × the ImageNet gain."""
    return round((shift_after - shift_before) - (in_after - in_before), 9)
