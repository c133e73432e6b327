"""Which 整改措施 address which 不足: shared content words (Chinese character bigrams).

Chinese has no spaces, so words are approximated by character bigrams; bigrams every report
uses (法治, 政府, 建设, 进一步 …) carry no signal and are dropped.
"""

from __future__ import annotations

import math
import re

from fazhi_review.text import CJK

_STOP_BIGRAMS = frozenset(
    ["法治", "治政", "政府", "府建", "建设", "进一", "一步", "工作", "我镇", "全镇", "加强", "推进", "提升", "提高", "完善", "不断", "持续", "深入", "开展", "落实", "问题", "存在", "不足", "有待", "仍需", "还需", "需要", "进行", "部分", "方面", "过程", "形成", "相关", "各项", "依法", "法律", "全面", "坚持"]
)
_MIN_SHARED = 3
#: cosine similarity of the two bigram sets; tuned on the four sample reports, where it links
#: every plan point that names its 不足 and none that only shares boilerplate
_MIN_SIMILARITY = 0.095


def content_bigrams(text: str) -> set[str]:
    runs = re.findall(f"[{CJK}]+", text)
    return {run[i : i + 2] for run in runs for i in range(len(run) - 1)} - _STOP_BIGRAMS


def link_measures(measures: list[str], shortcomings: list[str]) -> list[list[int]]:
    """For each measure, the indexes of the shortcomings whose words it shares enough of."""
    # identical texts (copied passages, merged files) are compared once: the work grows with the
    # distinct texts, not with the product of the two lists
    copies: dict[str, list[int]] = {}
    for index, shortcoming in enumerate(shortcomings):
        copies.setdefault(shortcoming, []).append(index)
    targets = [(content_bigrams(text), indexes) for text, indexes in copies.items()]
    linked: dict[str, list[int]] = {}
    links = []
    for measure in measures:
        if measure not in linked:
            words = content_bigrams(measure)
            linked[measure] = sorted(index for target, indexes in targets if _similar(words, target) for index in indexes)
        links.append(list(linked[measure]))
    return links


def _similar(words: set[str], target: set[str]) -> bool:
    shared = len(words & target)
    return shared >= _MIN_SHARED and shared / math.sqrt(len(words) * len(target)) >= _MIN_SIMILARITY
