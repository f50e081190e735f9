"""Root-cause analysis: the `RootCauseAnalyzer` interface and its offline implementation."""

from doctor.diagnose.base import AnalysisContext, CloudAnalyzer, RootCauseAnalyzer
from doctor.diagnose.engine import OfflineAnalyzer

__all__ = ["AnalysisContext", "CloudAnalyzer", "OfflineAnalyzer", "RootCauseAnalyzer"]
