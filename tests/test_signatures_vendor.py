"""Each vendor-documented failure message (tests/corpus/vendor_messages.yaml) is named by its category.

These are the messages the vendors' references give, one per line shape, so that a signature written
from one thread's wording is also checked against how the vendor words the same failure elsewhere.
The engine sees each message through the real path (a log file, the file source, the digest).
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench.corpus_data import diagnose, vendor_case, vendor_messages
from doctor.diagnose.engine import OfflineAnalyzer
from doctor.models import CATEGORIES

CASES = vendor_messages()


def test_every_category_has_documented_messages():
    per_category = Counter(category for category, _ in CASES)
    assert set(per_category) == set(CATEGORIES)
    assert all(n >= 5 for n in per_category.values())


@pytest.fixture(scope="module")
def analyzer():
    return OfflineAnalyzer()


@pytest.mark.parametrize(("category", "text"), CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_documented_message_names_its_category(analyzer, category, text):
    assert diagnose(vendor_case(category, text), analyzer).category == category
