"""Editorial tools around the manuscript: lint, fix, status, new and import (issue 6).

They read the same sources as `load/`, never raise on a problem in them, and report through Diagnostic.
"""
