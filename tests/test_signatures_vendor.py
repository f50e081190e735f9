"""Each vendor-documented failure message (tests/corpus/vendor_messages.yaml) is named by its category.

These are the messages the vendors' references give, one per line shape, so that a signature written
from one thread's wording is also checked against how the vendor words the same failure elsewhere.
The engine sees each message through the real path (a log file, the file source, the digest).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench.corpus_data import Case, diagnose
from doctor.diagnose.engine import OfflineAnalyzer
from doctor.models import CATEGORIES

MESSAGES = yaml.safe_load((Path(__file__).parent / "corpus" / "vendor_messages.yaml").read_text(encoding="utf-8"))
CASES = [(category, text) for category, texts in MESSAGES.items() for text in texts]


def test_every_category_has_documented_messages():
    assert set(MESSAGES) == set(CATEGORIES)
    assert all(len(texts) >= 5 for texts in MESSAGES.values())


@pytest.fixture(scope="module")
def analyzer():
    return OfflineAnalyzer()


@pytest.mark.parametrize(("category", "text"), CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
def test_documented_message_names_its_category(analyzer, category, text):
    case = Case(id="vendor", system="vendor", source="", category=category, summary="", log=text + "\n")
    assert diagnose(case, analyzer).category == category
