"""The facts stage: every quantity in a report, categorised by the one taxonomy in ``taxonomy``."""

from fazhi_review.facts.extract import extract_facts
from fazhi_review.facts.taxonomy import CATEGORIES, categorize, label

__all__ = ["CATEGORIES", "categorize", "extract_facts", "label"]
