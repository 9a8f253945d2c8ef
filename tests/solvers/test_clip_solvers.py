"""CLIP solvers: cosine scoring, zero-shot softmax and the symmetric loss."""

import torch
import torch.nn.functional as F

from quizapp.solvers import clip


def test_score_captions_is_cosine_and_picks_by_direction_not_length():
    image, captions = clip.sheet_like_example()
    scores = clip.score_captions(image, captions)
    assert scores.shape == (3,)
    assert torch.allclose(scores, F.cosine_similarity(captions, image[None], dim=1))
    assert scores.argmax() == 0
    assert clip.score_captions_unnormalised(image, captions).argmax() == 2


def test_zero_shot_probabilities_sum_to_one_and_sharpen_with_low_temperature():
    image, captions = clip.sheet_like_example()
    warm = clip.zero_shot_probabilities(image, captions, 1.0)
    cold = clip.zero_shot_probabilities(image, captions, 0.01)
    assert torch.allclose(warm.sum(), torch.tensor(1.0))
    assert cold.max() > warm.max()


def test_clip_loss_symmetric_and_low_for_aligned_pairs():
    x = torch.randn(4, 8)
    aligned = clip.clip_loss(x, x * 3, 0.05)
    shuffled = clip.clip_loss(x, x.roll(1, 0), 0.05)
    assert aligned < 0.1 < shuffled
    i, t = torch.randn(5, 3), torch.randn(5, 3)
    assert abs(clip.clip_loss(i, t, 0.5) - clip.clip_loss(t, i, 0.5)) < 1e-6
    assert clip.clip_loss(i, t, 0.5) != clip.clip_loss_image_direction_only(i, t, 0.5)
