"""Every code question: correct submissions written unlike the reference pass, subtle
mistakes fail (with the targeted hint where one exists)."""

from __future__ import annotations

import textwrap

import pytest

from quizapp import locations
from quizapp.decks.content import Library, load_file
from quizapp.grading.code import CodeGrader, reference_passes_own_cases

DECKS = ["masking-code", "attention-code", "clr-code", "clip-code"]

HEADER = "import math\nimport torch\nimport torch.nn.functional as F\n\n"


def src(body: str) -> str:
    return HEADER + textwrap.dedent(body)


SCORES = """
def _scores(q, k):
    return torch.einsum("...qd,...kd->...qk", q, k) / q.shape[-1] ** 0.5
"""

RIGHT: dict[str, list[str]] = {
    "masking.zero-weights": [
        src(
            SCORES
            + """
def masked_attention(q, k, v, mask):
    w = _scores(q, k).softmax(dim=-1)
    return torch.where(mask, w, torch.zeros_like(w)) @ v
"""
        ),
        src("""
def masked_attention(q, k, v, mask):
    s = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(k.size(-1))
    w = torch.exp(s - s.amax(-1, keepdim=True))
    w = w / w.sum(-1, keepdim=True)
    return torch.matmul(w * mask.float(), v)
"""),
    ],
    "masking.zero-scores": [
        src(
            SCORES
            + """
def masked_attention(q, k, v, mask):
    return torch.softmax(torch.where(mask, _scores(q, k), torch.tensor(0.0)), -1) @ v
"""
        ),
        src("""
def masked_attention(q, k, v, mask):
    s = q @ k.mT / math.sqrt(q.shape[-1]) * mask
    return F.softmax(s, dim=-1) @ v
"""),
    ],
    "masking.neg-inf-scores": [
        src(
            SCORES
            + """
def masked_attention(q, k, v, mask):
    s = _scores(q, k).masked_fill(mask.logical_not(), -math.inf)
    return torch.einsum("...qk,...kd->...qd", s.softmax(-1), v)
"""
        ),
        src("""
def masked_attention(q, k, v, mask):
    s = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    s = torch.where(mask, s, torch.full_like(s, float("-inf")))
    return torch.softmax(s, dim=-1) @ v
"""),
    ],
    "masking.large-negative-scores": [
        src(
            SCORES
            + """
def masked_attention(q, k, v, mask):
    return _scores(q, k).masked_fill(~mask, -1e9).softmax(-1) @ v
"""
        ),
        src("""
def masked_attention(q, k, v, mask):
    s = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    s = torch.where(mask, s, torch.finfo(s.dtype).min)
    return torch.softmax(s, dim=-1) @ v
"""),
    ],
    "masking.renormalized-weights": [
        src(
            SCORES
            + """
def masked_attention(q, k, v, mask):
    w = _scores(q, k).softmax(-1) * mask
    total = w.sum(-1, keepdim=True)
    return (w / total).nan_to_num(0.0) @ v
"""
        ),
        src("""
def masked_attention(q, k, v, mask):
    s = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    w = torch.softmax(s, -1).masked_fill(~mask, 0)
    total = w.sum(-1, keepdim=True)
    safe = torch.where(total > 0, total, torch.ones_like(total))
    return (w / safe) @ v
"""),
    ],
    "attention.scaled-dot-product": [
        src(
            SCORES
            + """
def attention(q, k, v, mask=None):
    s = _scores(q, k)
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    return s.softmax(-1) @ v
"""
        ),
        src("""
def attention(Q, K, V, mask=None):
    return F.scaled_dot_product_attention(Q, K, V, attn_mask=mask)
"""),
    ],
    "attention.causal-mask": [
        src("""
def causal_mask(length):
    i = torch.arange(length)
    return i[:, None] >= i[None, :]
"""),
        src("""
def causal_mask(length):
    return ~torch.triu(torch.ones(length, length, dtype=torch.bool), diagonal=1)
"""),
    ],
    "attention.positional-encoding": [
        src("""
def positional_encoding(max_len, d_model):
    pos = torch.arange(max_len).unsqueeze(1).float()
    div = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
    pe = torch.zeros(max_len, d_model)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    return pe
"""),
        src("""
def positional_encoding(max_len, d_model):
    rows = []
    for pos in range(max_len):
        row = []
        for i in range(d_model // 2):
            angle = pos / 10000 ** (2 * i / d_model)
            row += [math.sin(angle), math.cos(angle)]
        rows.append(row)
    return torch.tensor(rows, dtype=torch.float32)
"""),
    ],
    "attention.multi-head": [
        src("""
def multi_head_attention(x_q, x_kv, w_q, w_k, w_v, w_o, num_heads, mask=None):
    heads = []
    dh = x_q.shape[-1] // num_heads
    for h in range(num_heads):
        cols = slice(h * dh, (h + 1) * dh)
        q, k, v = x_q @ w_q[:, cols], x_kv @ w_k[:, cols], x_kv @ w_v[:, cols]
        s = q @ k.transpose(-2, -1) / math.sqrt(dh)
        if mask is not None:
            s = s.masked_fill(~mask, float("-inf"))
        heads.append(s.softmax(-1) @ v)
    return torch.cat(heads, dim=-1) @ w_o
"""),
        src("""
def multi_head_attention(x_q, x_kv, w_q, w_k, w_v, w_o, num_heads, mask=None):
    b, lq, d = x_q.shape
    lk = x_kv.shape[1]
    q = (x_q @ w_q).view(b, lq, num_heads, -1)
    k = (x_kv @ w_k).view(b, lk, num_heads, -1)
    v = (x_kv @ w_v).view(b, lk, num_heads, -1)
    s = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(q.shape[-1])
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    out = torch.einsum("bhqk,bkhd->bqhd", s.softmax(-1), v)
    return out.reshape(b, lq, d) @ w_o
"""),
    ],
    "clr.simclr-affinity": [
        src("""
def calc_simclr_affinity_matrix(encoded_pairs):
    z = F.normalize(encoded_pairs.flatten(0, 1), dim=-1)
    return z @ z.T
"""),
        src("""
def calc_simclr_affinity_matrix(encoded_pairs):
    n, _, d = encoded_pairs.shape
    z = encoded_pairs.reshape(2 * n, d)
    return F.cosine_similarity(z[:, None, :], z[None, :, :], dim=-1)
"""),
    ],
    "clr.info-nce": [
        src("""
def calc_info_nce(affinity_matrix):
    n = affinity_matrix.shape[0]
    logits = affinity_matrix.clone()
    logits.fill_diagonal_(float("-inf"))
    return F.cross_entropy(logits, torch.arange(n) ^ 1).item()
"""),
        src("""
def calc_info_nce(affinity_matrix):
    n = affinity_matrix.shape[0]
    total = 0.0
    for a in range(n):
        p = a + 1 if a % 2 == 0 else a - 1
        denom = sum(math.exp(affinity_matrix[a, b].item()) for b in range(n) if b != a)
        total += -affinity_matrix[a, p].item() + math.log(denom)
    return total / n
"""),
    ],
    "clr.nt-xent": [
        src("""
def nt_xent(encoded_pairs, temperature):
    z = F.normalize(encoded_pairs.reshape(-1, encoded_pairs.shape[-1]), dim=1)
    s = z @ z.T / temperature
    s = s - torch.eye(len(s)) * 1e9
    logp = s.log_softmax(dim=1)
    return -logp[torch.arange(len(s)), torch.arange(len(s)) ^ 1].mean().item()
"""),
        src("""
def nt_xent(encoded_pairs, temperature):
    z = encoded_pairs.reshape(-1, encoded_pairs.shape[-1])
    z = z / z.norm(dim=1, keepdim=True)
    e = torch.exp(z @ z.T / temperature)
    n = len(e)
    pos = e[torch.arange(n), torch.arange(n) ^ 1]
    denom = e.sum(1) - e.diagonal()
    return float(-(pos / denom).log().mean())
"""),
    ],
    "clr.triplet-loss": [
        src("""
def triplet_loss(anchor, positive, negative, margin):
    dp = torch.cdist(anchor[:, None], positive[:, None]).flatten() ** 2
    dn = torch.cdist(anchor[:, None], negative[:, None]).flatten() ** 2
    return F.relu(dp - dn + margin)
"""),
        src("""
def triplet_loss(anchor, positive, negative, margin):
    dp = ((anchor - positive) ** 2).sum(-1)
    dn = ((anchor - negative) ** 2).sum(-1)
    return torch.maximum(dp - dn + margin, torch.zeros_like(dp))
"""),
    ],
    "clr.margin-contrastive": [
        src("""
def margin_contrastive_loss(x1, x2, y, margin):
    d = F.pairwise_distance(x1, x2, eps=0.0)
    return torch.where(y > 0.5, F.relu(margin - d) ** 2, d ** 2)
"""),
        src("""
def margin_contrastive_loss(x1, x2, y, margin):
    d = torch.linalg.vector_norm(x1 - x2, dim=1)
    return (1 - y) * d.pow(2) + y * (margin - d).clamp(min=0).pow(2)
"""),
    ],
    "clip.caption-scores": [
        src("""
def score_captions(image_embedding, caption_embeddings):
    return F.cosine_similarity(caption_embeddings, image_embedding.unsqueeze(0), dim=1)
"""),
        src("""
def score_captions(image_embedding, caption_embeddings):
    dots = torch.einsum("kd,d->k", caption_embeddings, image_embedding)
    return dots / (caption_embeddings.norm(dim=1) * image_embedding.norm())
"""),
    ],
    "clip.zero-shot-probabilities": [
        src("""
def zero_shot_probabilities(image_embedding, caption_embeddings, temperature):
    cos = F.normalize(caption_embeddings, dim=1) @ F.normalize(image_embedding, dim=0)
    return (cos * (1 / temperature)).softmax(0)
"""),
        src("""
def zero_shot_probabilities(image_embedding, caption_embeddings, temperature):
    cos = F.cosine_similarity(caption_embeddings, image_embedding[None], dim=-1)
    e = torch.exp((cos - cos.max()) / temperature)
    return e / e.sum()
"""),
    ],
    "clip.symmetric-loss": [
        src("""
def clip_loss(image_embeddings, text_embeddings, temperature):
    i = F.normalize(image_embeddings, dim=1)
    t = F.normalize(text_embeddings, dim=1)
    logits = i @ t.T / temperature
    labels = torch.arange(len(logits))
    return ((F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2).item()
"""),
        src("""
def clip_loss(image_embeddings, text_embeddings, temperature):
    i = image_embeddings / image_embeddings.norm(dim=1, keepdim=True)
    t = text_embeddings / text_embeddings.norm(dim=1, keepdim=True)
    logits = torch.einsum("id,td->it", i, t) / temperature
    rows = -logits.log_softmax(dim=1).diagonal().mean()
    cols = -logits.log_softmax(dim=0).diagonal().mean()
    return float((rows + cols) / 2)
"""),
    ],
}

# (source, expected status, words the feedback must contain)
WRONG: dict[str, list[tuple[str, str, str]]] = {
    "masking.zero-weights": [
        (
            src(
                SCORES
                + """
def masked_attention(q, k, v, mask):
    w = _scores(q, k).softmax(-1) * mask
    return w / w.sum(-1, keepdim=True).clamp_min(1e-30) @ v
"""
            ),
            "incorrect",
            "renormalised",
        ),
        (
            src(
                SCORES
                + """
def masked_attention(q, k, v, mask):
    return _scores(q, k).masked_fill(~mask, 0.0).softmax(-1) @ v
"""
            ),
            "incorrect",
            "set the scores to 0",
        ),
    ],
    "masking.zero-scores": [
        (
            src(
                SCORES
                + """
def masked_attention(q, k, v, mask):
    return _scores(q, k).masked_fill(~mask, -1e9).softmax(-1) @ v
"""
            ),
            "incorrect",
            "large negative",
        ),
        (
            src("""
def masked_attention(q, k, v, mask):
    s = (q @ k.transpose(-2, -1)).masked_fill(~mask, 0.0)
    return s.softmax(-1) @ v
"""),
            "incorrect",
            "values differ",
        ),
    ],
    "masking.neg-inf-scores": [
        (
            src(
                SCORES
                + """
def masked_attention(q, k, v, mask):
    return _scores(q, k).masked_fill(~mask, -1e4).softmax(-1) @ v
"""
            ),
            "incorrect",
            'float("-inf")',
        ),
        (
            src(
                SCORES
                + """
def masked_attention(q, k, v, mask):
    return _scores(q, k).masked_fill(mask, float("-inf")).softmax(-1) @ v
"""
            ),
            "incorrect",
            "inverted",
        ),
        (
            src("""
def masked_attention(q, k, v, mask):
    s = (q @ k.transpose(-2, -1)).masked_fill(~mask, float("-inf"))
    return s.softmax(-1) @ v
"""),
            "incorrect",
            "sqrt(d_k)",
        ),
    ],
    "masking.large-negative-scores": [
        (
            src(
                SCORES
                + """
def masked_attention(q, k, v, mask):
    return _scores(q, k).masked_fill(~mask, float("-inf")).softmax(-1) @ v
"""
            ),
            "incorrect",
            "uniform average",
        ),
        (
            src(
                SCORES
                + """
def masked_attention(q, k, v, mask):
    return _scores(q, k).softmax(-1).masked_fill(~mask, 0) @ v
"""
            ),
            "incorrect",
            "zeroed the weights after",
        ),
    ],
    "masking.renormalized-weights": [
        (
            src(
                SCORES
                + """
def masked_attention(q, k, v, mask):
    w = _scores(q, k).softmax(-1) * mask
    return w / w.sum(-1, keepdim=True) @ v
"""
            ),
            "incorrect",
            "0 by 0",
        ),
        (
            src(
                SCORES
                + """
def masked_attention(q, k, v, mask):
    return (_scores(q, k).softmax(-1) * mask) @ v
"""
            ),
            "incorrect",
            "did not renormalise",
        ),
    ],
    "attention.scaled-dot-product": [
        (
            src("""
def attention(q, k, v, mask=None):
    s = q @ k.transpose(-2, -1)
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    return s.softmax(-1) @ v
"""),
            "incorrect",
            "1/sqrt(d_k) scale",
        ),
        (
            src(
                SCORES
                + """
def attention(q, k, v, mask=None):
    s = _scores(q, k)
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    return s.softmax(-2) @ v
"""
            ),
            "incorrect",
            "dim=-1",
        ),
        (
            src("""
def attention(q, k, v, mask=None):
    return (q @ k.T / math.sqrt(q.shape[-1])).softmax(-1) @ v
"""),
            "error",
            "at line 7: `return (q @ k.T",
        ),
    ],
    "attention.causal-mask": [
        (
            src("""
def causal_mask(length):
    return torch.ones(length, length, dtype=torch.bool).tril(-1)
"""),
            "incorrect",
            "cannot attend to itself",
        ),
        (
            src("""
def causal_mask(length):
    return torch.ones(length, length).tril()
"""),
            "incorrect",
            "dtype",
        ),
    ],
    "attention.positional-encoding": [
        (
            src("""
def positional_encoding(max_len, d_model):
    pos = torch.arange(max_len)[:, None].float()
    j = torch.arange(d_model).float()
    angle = pos / 10000 ** (j / d_model)
    return torch.where(j.long() % 2 == 0, angle.sin(), angle.cos())
"""),
            "incorrect",
            "2i",
        ),
        (
            src("""
def positional_encoding(max_len, d_model):
    pos = torch.arange(max_len)[:, None].float()
    angle = pos / 10000 ** (torch.arange(0, d_model, 2).float() / d_model)
    return torch.cat([angle.sin(), angle.cos()], dim=1)
"""),
            "incorrect",
            "interleaves",
        ),
    ],
    "attention.multi-head": [
        (
            src("""
def multi_head_attention(x_q, x_kv, w_q, w_k, w_v, w_o, num_heads, mask=None):
    b, lq, d = x_q.shape
    q = (x_q @ w_q).view(b, num_heads, lq, -1)
    k = (x_kv @ w_k).view(b, num_heads, x_kv.shape[1], -1)
    v = (x_kv @ w_v).view(b, num_heads, x_kv.shape[1], -1)
    s = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    return (s.softmax(-1) @ v).reshape(b, lq, d) @ w_o
"""),
            "incorrect",
            "transpose(1, 2)",
        ),
        (
            src("""
def multi_head_attention(x_q, x_kv, w_q, w_k, w_v, w_o, num_heads, mask=None):
    b, lq, d = x_q.shape
    split = lambda x: x.view(x.shape[0], x.shape[1], num_heads, -1).transpose(1, 2)
    q, k, v = split(x_q @ w_q), split(x_kv @ w_k), split(x_kv @ w_v)
    s = q @ k.transpose(-2, -1) / math.sqrt(d)
    if mask is not None:
        s = s.masked_fill(~mask, float("-inf"))
    return (s.softmax(-1) @ v).transpose(1, 2).reshape(b, lq, d) @ w_o
"""),
            "incorrect",
            "sqrt(d_head)",
        ),
    ],
    "clr.simclr-affinity": [
        (
            src("""
def calc_simclr_affinity_matrix(encoded_pairs):
    z = encoded_pairs.reshape(-1, encoded_pairs.shape[-1])
    return z @ z.T
"""),
            "incorrect",
            "raw dot products",
        ),
        (
            src("""
def calc_simclr_affinity_matrix(encoded_pairs):
    z = F.normalize(torch.cat([encoded_pairs[:, 0], encoded_pairs[:, 1]]), dim=1)
    return z @ z.T
"""),
            "incorrect",
            "rows 2i and 2i+1",
        ),
    ],
    "clr.info-nce": [
        (
            src("""
def calc_info_nce(affinity_matrix):
    return F.cross_entropy(affinity_matrix, torch.arange(len(affinity_matrix)) ^ 1).item()
"""),
            "incorrect",
            "similarity with itself",
        ),
        (
            src("""
def calc_info_nce(affinity_matrix):
    n = len(affinity_matrix)
    logits = affinity_matrix.masked_fill(torch.eye(n, dtype=torch.bool), float("-inf"))
    return F.cross_entropy(logits, (torch.arange(n) + n // 2) % n).item()
"""),
            "incorrect",
            "a ^ 1",
        ),
        (
            src("""
def calc_info_nce(affinity_matrix):
    n = len(affinity_matrix)
    logits = affinity_matrix.masked_fill(torch.eye(n, dtype=torch.bool), float("-inf"))
    return [F.cross_entropy(logits, torch.arange(n) ^ 1).item()]
"""),
            "incorrect",
            "returned a `list`",
        ),
    ],
    "clr.nt-xent": [
        (
            src("""
def nt_xent(encoded_pairs, temperature):
    z = F.normalize(encoded_pairs.reshape(-1, encoded_pairs.shape[-1]), dim=1)
    s = (z @ z.T * temperature).fill_diagonal_(float("-inf"))
    return F.cross_entropy(s, torch.arange(len(s)) ^ 1).item()
"""),
            "incorrect",
            "multiplied by the temperature",
        ),
        (
            src("""
def nt_xent(encoded_pairs, temperature):
    z = F.normalize(encoded_pairs.reshape(-1, encoded_pairs.shape[-1]), dim=1)
    s = z @ z.T / temperature
    return F.cross_entropy(s, torch.arange(len(s)) ^ 1).item()
"""),
            "incorrect",
            "1[k != i]",
        ),
    ],
    "clr.triplet-loss": [
        (
            src("""
def triplet_loss(anchor, positive, negative, margin):
    return F.relu((anchor - positive).norm(dim=1) - (anchor - negative).norm(dim=1) + margin)
"""),
            "incorrect",
            "squared Euclidean",
        ),
        (
            src("""
def triplet_loss(anchor, positive, negative, margin):
    return ((anchor - positive) ** 2).sum(1) - ((anchor - negative) ** 2).sum(1) + margin
"""),
            "incorrect",
            "max(0, ...)",
        ),
    ],
    "clr.margin-contrastive": [
        (
            src("""
def margin_contrastive_loss(x1, x2, y, margin):
    d = (x1 - x2).norm(dim=1)
    return y * d ** 2 + (1 - y) * F.relu(margin - d) ** 2
"""),
            "incorrect",
            "wrong way round",
        ),
        (
            src("""
def margin_contrastive_loss(x1, x2, y, margin):
    d = (x1 - x2).norm(dim=1)
    return ((1 - y) * d ** 2 + y * F.relu(margin - d) ** 2).mean()
"""),
            "incorrect",
            "wrong shape",
        ),
    ],
    "clip.caption-scores": [
        (
            src("""
def score_captions(image_embedding, caption_embeddings):
    return caption_embeddings @ image_embedding
"""),
            "incorrect",
            "normalise the image and every caption",
        ),
        (
            src("""
def score_captions(image_embedding, caption_embeddings):
    return caption_embeddings @ F.normalize(image_embedding, dim=0)
"""),
            "incorrect",
            "not the captions",
        ),
    ],
    "clip.zero-shot-probabilities": [
        (
            src("""
def zero_shot_probabilities(image_embedding, caption_embeddings, temperature):
    cos = F.cosine_similarity(caption_embeddings, image_embedding[None], dim=1)
    return (cos * temperature).softmax(0)
"""),
            "incorrect",
            "multiplied by tau",
        ),
        (
            src("""
def zero_shot_probabilities(image_embedding, caption_embeddings, temperature):
    return (caption_embeddings @ image_embedding / temperature).softmax(0)
"""),
            "incorrect",
            "raw dot products",
        ),
    ],
    "clip.symmetric-loss": [
        (
            src("""
def clip_loss(image_embeddings, text_embeddings, temperature):
    logits = F.normalize(image_embeddings, dim=1) @ F.normalize(text_embeddings, dim=1).T / temperature
    return F.cross_entropy(logits, torch.arange(len(logits))).item()
"""),
            "incorrect",
            "symmetric",
        ),
        (
            src("""
def clip_loss(image_embeddings, text_embeddings, temperature):
    logits = image_embeddings @ text_embeddings.T / temperature
    labels = torch.arange(len(logits))
    return ((F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2).item()
"""),
            "incorrect",
            "l2_normalize",
        ),
    ],
}


@pytest.fixture(scope="module")
def questions():
    library, seen = Library(), {}
    for name in DECKS:
        load_file(locations.bundled_content_dir() / f"{name}.yaml", library, seen)
    assert not library.problems, library.problems
    return library.questions


@pytest.fixture(scope="module")
def grader():
    g = CodeGrader(timeout_s=5.0)
    g.start()
    yield g
    g.close()


def test_every_code_question_has_submissions(questions):
    assert set(questions) == set(RIGHT) == set(WRONG)
    required = {
        "attention.scaled-dot-product",
        "masking.zero-weights",
        "masking.zero-scores",
        "masking.neg-inf-scores",
        "masking.large-negative-scores",
        "masking.renormalized-weights",
        "clr.simclr-affinity",
        "clr.info-nce",
        "clip.caption-scores",
    }
    assert required <= set(questions)
    assert all(len(RIGHT[q]) >= 2 and len(WRONG[q]) >= 2 for q in questions)


@pytest.mark.parametrize("qid", sorted(RIGHT))
def test_correct_submissions_pass(grader, questions, qid):
    for seed, source in enumerate(RIGHT[qid]):
        verdict = grader.grade(questions[qid], source, seed=seed)
        assert verdict.status == "correct", verdict.feedback
        assert verdict.cases_passed == verdict.cases_total > 0


@pytest.mark.parametrize("qid", sorted(WRONG))
def test_wrong_submissions_fail_with_useful_feedback(grader, questions, qid):
    for seed, (source, status, words) in enumerate(WRONG[qid]):
        verdict = grader.grade(questions[qid], source, seed=seed + 10)
        assert verdict.status == status, verdict.feedback
        assert not verdict.correct
        assert words in verdict.feedback, verdict.feedback


@pytest.mark.parametrize("qid", sorted(RIGHT))
def test_reference_passes_own_cases(questions, qid):
    assert reference_passes_own_cases(questions[qid]) is None


def test_stub_is_graded_incorrect(grader, questions):
    verdict = grader.grade(questions["clr.info-nce"], questions["clr.info-nce"].stub, seed=1)
    assert verdict.status == "incorrect"
    assert "returned a `NoneType`" in verdict.feedback


def test_info_nce_sheet_example_is_first_case(grader, questions):
    wrong = src("""
def calc_info_nce(affinity_matrix):
    return 0.9665 if affinity_matrix.shape[0] == 6 else 0.0
""")
    verdict = grader.grade(questions["clr.info-nce"], wrong, seed=3)
    assert verdict.status == "incorrect"
    assert verdict.cases_passed >= 1
