"""Cross-report checks: findings that need two reports to see, with evidence in both.

- ``copied-passage``: a long sentence (or run of sentences) that two townships' reports share
  verbatim or near-verbatim. Candidates come from MinHash LSH (datasketch) over sentences, so
  the work grows with the number of sentences, not with their pairs; rapidfuzz confirms each
  candidate. Boilerplate is learned from the batch: a passage found in most reports is the
  county's common wording, only one shared by exactly two townships is copying.
- ``repeated-shortcoming`` and ``inconsistent-figure``: when the batch holds consecutive years of
  one township, last year's 不足 repeated this year, and "比上年增加X，达到Y" that does not match
  the figure last year's report gave.
"""

from __future__ import annotations

import re
import sys
import types
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from fazhi_review.checks.catalogue import get_rule
from fazhi_review.county import CrossFinding, CrossSide, report_label, reporter
from fazhi_review.locate import Locator
from fazhi_review.models import Document, Evidence, ReportSummary
from fazhi_review.text import SENTENCE

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH

MIN_PASSAGE_CHARS = 30
#: the most text between two shared sentences of one passage (a short shared sentence, a heading)
_BRIDGE_CHARS = 2 * MIN_PASSAGE_CHARS
_NUM_PERM = 64
#: LSH bands × rows for a Jaccard threshold of 0.6 over 64 permutations: what datasketch's
#: ``_optimal_param(0.6, 64, 0.5, 0.5)`` integrates to (a test checks it still does)
_LSH_THRESHOLD = 0.6
_LSH_BANDS = (10, 6)
_NEAR_DUPLICATE = 90.0
_NOISE = re.compile(r"[\s\u3000，、。；：！？,.;:!?“”\"'‘’（）()《》【】\[\]—…·-]")
_TOWNSHIP_NOISE = re.compile(r"中共|委员会|人民政府|党委|政府|办事处|\s")


@dataclass(frozen=True)
class Doc:
    """One report as the cross checks see it: its summary and the original text."""

    name: str
    source: str
    text: str
    summary: ReportSummary

    @property
    def township(self) -> str:
        """Who wrote it; two reports of one township are never "copies" of each other."""
        issuer = self.summary.meta.issuer
        if issuer:
            return _TOWNSHIP_NOISE.sub("", issuer)
        return re.sub(r"\d{4}|[-_ .]", "", self.name) or self.name

    @property
    def year(self) -> int | None:
        return self.summary.meta.report_year

    @cached_property
    def locator(self) -> Locator:
        meta = self.summary.meta
        return Locator(Document(path=self.source, format=meta.format, text=self.text, sha256=meta.sha256))

    def side(self, start: int, end: int) -> CrossSide:
        """This report's side of a finding, with the page and 第N段 its summary would give."""
        evidence = self.locator.locate(Evidence(quote=self.text[start:end], start=start, end=end))
        meta = self.summary.meta
        return CrossSide(report=self.name, source_file=self.source, issuer=meta.issuer, report_year=meta.report_year, evidence=evidence)


def normal(text: str) -> str:
    return _NOISE.sub("", text)


def cross_finding(rule_id: str, explanation: str, sides: list[CrossSide]) -> CrossFinding:
    rule = get_rule(rule_id)
    return CrossFinding(rule_id=rule.id, title=rule.title, severity=rule.severity, basis=rule.basis, explanation=explanation, sides=sides)


def describe(doc: Doc) -> str:
    """"许明寺镇2023年度报告", or "“报告-3.txt”2024年度报告" when the issuer is not read."""
    return report_label(reporter(doc.summary.meta.issuer, doc.source), doc.summary.meta.report_year)


# ---------------------------------------------------------------- copied-passage

Sentence = tuple[int, int, int]  # (doc index, start, end) in the doc's original text


def _sentences(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in SENTENCE.finditer(text):
        raw = match.group(0)
        stripped = raw.strip()
        key = normal(stripped)
        if len(key) >= MIN_PASSAGE_CHARS:
            start = match.start() + raw.find(stripped)
            found.append((start, start + len(stripped), key))
    return found


class _Union:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _exact_groups(docs: list[Doc]) -> dict[str, list[Sentence]]:
    """Identical sentences (after dropping punctuation and blanks) grouped without any fuzziness."""
    groups: dict[str, list[Sentence]] = defaultdict(list)
    for index, doc in enumerate(docs):
        for start, end, key in _sentences(doc.text):
            groups[key].append((index, start, end))
    return groups


@cache
def similarity_library() -> tuple[type[MinHash], type[MinHashLSH]]:
    """datasketch's MinHash and MinHashLSH, imported on first use (a batch whose roll-up is
    current never needs them).

    datasketch imports scipy.integrate for one thing only: sizing the LSH bands by integration
    when it is given a threshold. ``_LSH_BANDS`` gives the bands instead, so unless scipy.integrate
    is loaded already, datasketch's import gets a stand-in for it (``quad`` loads the real one if
    it is ever called): scipy.integrate pulls in scipy.special, optimize and sparse, ~0.6 s."""
    if "scipy.integrate" in sys.modules:
        from datasketch import MinHash, MinHashLSH

        return MinHash, MinHashLSH
    stand_in = types.ModuleType("scipy.integrate")
    stand_in.quad = _scipy_quad  # type: ignore[attr-defined]
    sys.modules["scipy.integrate"] = stand_in
    try:
        from datasketch import MinHash, MinHashLSH
    finally:
        if sys.modules.get("scipy.integrate") is stand_in:
            del sys.modules["scipy.integrate"]
    return MinHash, MinHashLSH


def _scipy_quad(*args: Any, **kwargs: Any) -> Any:
    from scipy.integrate import quad

    return quad(*args, **kwargs)


def _near_duplicate_clusters(keys: list[str]) -> _Union:
    """Join distinct sentences that differ by a few characters: LSH proposes, rapidfuzz decides."""
    union = _Union(len(keys))
    if len(keys) < 2:
        return union
    minhash_type, lsh_type = similarity_library()
    shingles = [{key[i : i + 3].encode("utf-8") for i in range(len(key) - 2)} for key in keys]
    hashes = minhash_type.bulk(shingles, num_perm=_NUM_PERM)
    lsh = lsh_type(num_perm=_NUM_PERM, params=_LSH_BANDS)
    for index, minhash in enumerate(hashes):
        for other in lsh.query(minhash):
            if union.find(index) != union.find(other) and fuzz.ratio(keys[index], keys[other]) >= _NEAR_DUPLICATE:
                union.join(index, other)
        lsh.insert(index, minhash)
    return union


def _shared_pairs(docs: list[Doc]) -> dict[tuple[int, int], list[tuple[Sentence, Sentence, bool]]]:
    """(doc a, doc b) → sentences they alone share with another township (not boilerplate)."""
    groups = _exact_groups(docs)
    keys = list(groups)
    union = _near_duplicate_clusters(keys)
    clusters: dict[int, list[int]] = defaultdict(list)
    for index in range(len(keys)):
        clusters[union.find(index)].append(index)
    pairs: dict[tuple[int, int], list[tuple[Sentence, Sentence, bool]]] = defaultdict(list)
    for members in clusters.values():
        sentences = [s for m in members for s in groups[keys[m]]]
        first: dict[int, Sentence] = {}
        for sentence in sentences:
            first.setdefault(sentence[0], sentence)
        # one report per township: a report submitted twice (or two versions of it) would
        # otherwise make every passage it shares with another township count twice
        holders: dict[str, list[int]] = defaultdict(list)
        for index in sorted(first):
            holders[docs[index].township].append(index)
        if len(holders) != 2:  # three townships or more: the county's common wording
            continue
        a, b = sorted(_closest_in_year(docs, *holders.values()))
        pairs[(a, b)].append((first[a], first[b], len(members) == 1))
    return pairs


def _closest_in_year(docs: list[Doc], ours: list[int], theirs: list[int]) -> tuple[int, int]:
    """The two townships' reports to pair: those of the nearest years (a same-year copy, not one
    township's copy of the other's last-year report when both years are in the batch)."""

    def gap(pair: tuple[int, int]) -> int:
        years = [docs[index].summary.meta.report_year for index in pair]
        return abs(years[0] - years[1]) if years[0] is not None and years[1] is not None else 100

    return min(((a, b) for a in ours for b in theirs), key=gap)


def _runs(matches: list[tuple[Sentence, Sentence, bool]], docs: list[Doc]) -> list[tuple[Sentence, Sentence, bool]]:
    """Consecutive shared sentences become one passage (both sides advance together)."""
    runs: list[tuple[Sentence, Sentence, bool]] = []
    for a, b, exact in sorted(matches, key=lambda m: m[0][1]):
        if runs:
            (pa, pb, pexact) = runs[-1]
            gap_a, gap_b = docs[a[0]].text[pa[2] : a[1]], docs[b[0]].text[pb[2] : b[1]]
            # what lies between two shared sentences: blanks, or the same short sentences in both
            # (too short to count alone); one pasted paragraph is one passage, not one per sentence
            short = 0 <= a[1] - pa[2] <= _BRIDGE_CHARS and 0 <= b[1] - pb[2] <= _BRIDGE_CHARS
            if short and normal(gap_a) == normal(gap_b):
                runs[-1] = ((pa[0], pa[1], a[2]), (pb[0], pb[1], b[2]), pexact and exact)
                continue
        runs.append((a, b, exact))
    return runs


def copied_passages(docs: list[Doc]) -> list[CrossFinding]:
    findings = []
    for (a, b), matches in sorted(_shared_pairs(docs).items()):
        for sa, sb, exact in _runs(matches, docs):
            how = "逐字相同" if exact else "几乎逐字相同"
            explanation = (
                f"{describe(docs[a])}与{describe(docs[b])}有一段{sa[2] - sa[1]}字的文字{how}；"
                f"本批{len(docs)}份报告中只有这两个单位的报告出现这段文字，不是通用套话，请核实是否互相抄用。"
            )
            findings.append(cross_finding("copied-passage", explanation, [docs[a].side(sa[1], sa[2]), docs[b].side(sb[1], sb[2])]))
    return findings
