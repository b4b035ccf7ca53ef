"""xxgk: checked numbers from 政府信息公开工作年度报告. `extract(path_or_text)` is the entry point."""
from extractor.pipeline import extract
from extractor.report import Report

__all__ = ["extract", "Report"]
