"""Scale of the lecture's language models: training compute, weight storage and batch sizes.

From the course material: the Transformer paper trained its big model for 3.5 days on
eight GPUs; GPT-1, GPT-2 and GPT-3 have 117M, 1.5B and 175B parameters and contexts of
512, 1024 and 2048 tokens. The lecture's table gives their batch sizes as 64, 512 and
3.2M: the first two count sequences, GPT-3's counts tokens (as its paper states).
"""

from __future__ import annotations

import random

SIZE_NAMES = {"GPT-1": "117 million", "GPT-2": "1.5 billion", "GPT-3": "175 billion"}

GPT: dict[str, dict[str, float]] = {
    "GPT-1": {"params": 117e6, "context": 512, "batch": 64},
    "GPT-2": {"params": 1.5e9, "context": 1024, "batch": 512},
    "GPT-3": {"params": 175e9, "context": 2048, "batch": 3.2e6},
}

BYTES_PER_PARAM = {"fp32": 4, "fp16": 2, "int8": 1}


def gpu_hours(days: float, gpus: int) -> float:
    """Training compute in GPU-hours: every GPU runs for the whole wall-clock time."""
    return days * 24 * gpus


def weight_bytes(
    params: float, bytes_per_param: int, model: str = "", precision: str = "", size_name: str = ""
) -> float:
    """Bytes to store the weights alone: one number per parameter, `bytes_per_param` each."""
    return params * bytes_per_param


def draw_gpt_storage(rng: random.Random) -> dict:
    """One of the three GPT models stored at one of the usual precisions."""
    model = rng.choice(sorted(GPT))
    precision = rng.choice(sorted(BYTES_PER_PARAM))
    return {
        "model": model,
        "params": GPT[model]["params"],
        "size_name": SIZE_NAMES[model],
        "precision": precision,
        "bytes_per_param": BYTES_PER_PARAM[precision],
    }


def tokens_per_batch(sequences: int, context: int, model: str = "") -> float:
    """Tokens in a batch of full-length sequences: sequences times context length."""
    return float(sequences * context)


def draw_gpt_batch(rng: random.Random) -> dict:
    """GPT-1 or GPT-2, whose batch sizes count sequences, with its context length."""
    model = rng.choice(["GPT-1", "GPT-2"])
    return {
        "model": model,
        "sequences": int(GPT[model]["batch"]),
        "context": int(GPT[model]["context"]),
    }


def sequences_per_batch(tokens: float, context: int) -> float:
    """Full-length sequences that make up a batch counted in tokens."""
    return tokens / context
