"""fazhi-review: read, check and answer township 《法治政府建设情况报告》."""

__version__ = "0.1.0"
