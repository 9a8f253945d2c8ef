"""Wrong answers students typically give to the calculations in `quizapp.solvers.lm_scale`.

Each function takes exactly the parameters of the question's own solver and returns the
value one particular slip produces; questions name them in `known_mistakes`.
"""

from __future__ import annotations

from .lm_scale import GPT, weight_bytes

# ------------------------------------------------------------------------------ GPU-hours


def gpu_days(days: float, gpus: int) -> float:
    """Days times GPUs: GPU-days, the conversion to hours left out."""
    return days * gpus


def hours_of_one_gpu(days: float, gpus: int) -> float:
    """The wall-clock hours, as if one GPU had done the work."""
    return days * 24


# ------------------------------------------------------------------------- weight storage


def storage_in_bits(
    params: float, bytes_per_param: int, model: str = "", precision: str = "", size_name: str = ""
) -> float:
    """Bits counted as bytes: 8 times too many."""
    return weight_bytes(params, bytes_per_param) * 8


def storage_one_byte_per_param(
    params: float, bytes_per_param: int, model: str = "", precision: str = "", size_name: str = ""
) -> float:
    """The parameter count taken as the size: bytes per parameter forgotten."""
    return params


def storage_gib_as_gb(
    params: float, bytes_per_param: int, model: str = "", precision: str = "", size_name: str = ""
) -> float:
    """Divided by 2^30 but called GB: the number that, read in GB, is the size in GiB."""
    return weight_bytes(params, bytes_per_param) / 2**30 * 1e9


# ----------------------------------------------------------------------------- batch sizes


def tokens_sequences_only(sequences: int, context: int, model: str = "") -> float:
    """The batch size in sequences given as tokens: the context length left out."""
    return float(sequences)


def tokens_with_gpt3_context(sequences: int, context: int, model: str = "") -> float:
    """GPT-3's 2048-token context used for a model with a shorter one."""
    return float(sequences * GPT["GPT-3"]["context"])


def sequences_tokens_taken_as_sequences(tokens: float, context: int) -> float:
    """GPT-3's 3.2M read as a number of sequences, like GPT-1's 64 and GPT-2's 512."""
    return tokens


def sequences_with_gpt2_context(tokens: float, context: int) -> float:
    """Divided by GPT-2's 1024-token context instead of GPT-3's 2048."""
    return tokens / GPT["GPT-2"]["context"]
