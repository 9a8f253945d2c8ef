"""CLIP scoring: cosine similarity of an image with captions, zero-shot probabilities, the loss.

`temperature` is the tau that divides the cosine similarities. The paper's pseudocode writes
the same thing as a multiplication by exp(t), a learned logit scale: exp(t) = 1 / tau.
"""

from __future__ import annotations

import random

import torch
import torch.nn.functional as F

# --------------------------------------------------------------------------- references


def score_captions(image_embedding, caption_embeddings):
    """(D,), (K, D) -> (K,) cosine similarity of the image with each caption."""
    image = image_embedding / image_embedding.norm()
    captions = caption_embeddings / caption_embeddings.norm(dim=-1, keepdim=True)
    return captions @ image


def zero_shot_probabilities(image_embedding, caption_embeddings, temperature):
    """softmax over the K captions of cosine similarity / temperature, (K,)."""
    return torch.softmax(score_captions(image_embedding, caption_embeddings) / temperature, dim=-1)


def clip_loss(image_embeddings, text_embeddings, temperature):
    """Symmetric cross-entropy of the pseudocode: pair i is image i with text i.

    logits = normalise(I) normalise(T)^T / tau (n, n); labels = arange(n);
    loss = (CE over texts for each image + CE over images for each text) / 2.
    """
    image = F.normalize(image_embeddings, dim=-1)
    text = F.normalize(text_embeddings, dim=-1)
    logits = image @ text.T / temperature
    labels = torch.arange(logits.shape[0])
    return ((F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2).item()


# ------------------------------------------------------------------------ case generators


def _generator(rng: random.Random) -> torch.Generator:
    return torch.Generator().manual_seed(rng.randrange(2**63))


def sheet_like_example():
    """A 3-caption example in the spirit of the sheet: the longest caption is not the best."""
    image = torch.tensor([0.9, 0.1, 0.4])
    captions = torch.tensor(
        [
            [0.8, 0.2, 0.3],  # "a cat sitting on a windowsill"
            [0.1, 0.9, -0.2],  # "a red sports car on a highway"
            [2.0, -1.5, 1.0],  # "a black dog in a dark room" (long vector, other direction)
        ]
    )
    return image, captions


def caption_cases(rng: random.Random) -> list[dict]:
    """Inputs for `score_captions(image_embedding, caption_embeddings)` with uneven norms."""
    gen = _generator(rng)
    image, captions = sheet_like_example()
    out = [dict(image_embedding=image, caption_embeddings=captions)]
    for k, d in [(rng.randint(2, 6), rng.randint(3, 8)), (rng.randint(5, 12), 32)]:
        image = torch.randn(d, generator=gen) * 3
        scales = torch.rand(k, 1, generator=gen) * 5 + 0.1
        out.append(
            dict(
                image_embedding=image, caption_embeddings=torch.randn(k, d, generator=gen) * scales
            )
        )
    return out


def zero_shot_cases(rng: random.Random) -> list[dict]:
    """`caption_cases` with temperatures from CLIP's range (0.01 learned) up to 1."""
    temps = [0.5, 0.07, rng.choice([0.01, 0.1, 1.0])]
    return [dict(**c, temperature=t) for c, t in zip(caption_cases(rng), temps, strict=True)]


def clip_loss_cases(rng: random.Random) -> list[dict]:
    """Aligned image/text batches with uneven norms and a few temperatures."""
    gen = _generator(rng)
    out = []
    for n, d, temp in [(3, 4, 1.0), (rng.randint(4, 8), rng.randint(4, 16), 0.07), (6, 8, 0.5)]:
        shared = torch.randn(n, d, generator=gen)
        image = (shared + 0.5 * torch.randn(n, d, generator=gen)) * (
            torch.rand(n, 1, generator=gen) * 3 + 0.2
        )
        text = (shared + 0.5 * torch.randn(n, d, generator=gen)) * (
            torch.rand(n, 1, generator=gen) * 3 + 0.2
        )
        out.append(dict(image_embeddings=image, text_embeddings=text, temperature=temp))
    return out


# -------------------------------------------------------------------------- known mistakes


def score_captions_unnormalised(image_embedding, caption_embeddings):
    """Mistake: raw dot products, so long embedding vectors win."""
    return caption_embeddings @ image_embedding


def score_captions_image_only_normalised(image_embedding, caption_embeddings):
    """Mistake: normalises the image but not the captions."""
    return caption_embeddings @ (image_embedding / image_embedding.norm())


def zero_shot_no_temperature(image_embedding, caption_embeddings, temperature):
    """Mistake: softmax of the raw cosine similarities."""
    return torch.softmax(score_captions(image_embedding, caption_embeddings), dim=-1)


def zero_shot_temperature_multiplied(image_embedding, caption_embeddings, temperature):
    """Mistake: multiplies by tau instead of dividing."""
    return torch.softmax(score_captions(image_embedding, caption_embeddings) * temperature, dim=-1)


def zero_shot_unnormalised(image_embedding, caption_embeddings, temperature):
    """Mistake: dot products instead of cosine similarities."""
    return torch.softmax(caption_embeddings @ image_embedding / temperature, dim=-1)


def clip_loss_image_direction_only(image_embeddings, text_embeddings, temperature):
    """Mistake: only the image -> text cross-entropy (not symmetric)."""
    image = F.normalize(image_embeddings, dim=-1)
    text = F.normalize(text_embeddings, dim=-1)
    logits = image @ text.T / temperature
    return F.cross_entropy(logits, torch.arange(logits.shape[0])).item()


def clip_loss_unnormalised(image_embeddings, text_embeddings, temperature):
    """Mistake: skips l2_normalize, so logits are raw dot products."""
    logits = image_embeddings @ text_embeddings.T / temperature
    labels = torch.arange(logits.shape[0])
    return ((F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2).item()


def clip_loss_no_temperature(image_embeddings, text_embeddings, temperature):
    """Mistake: ignores the temperature."""
    return clip_loss(image_embeddings, text_embeddings, 1.0)
