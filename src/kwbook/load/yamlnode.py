"""Safe YAML loading that keeps the line of every top-level key and never raises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic
from ..messages import error, render


def load_mapping(text: str, path: Path, first_line: int = 1) -> tuple[dict[str, Any] | None, dict[str, int], list[Diagnostic]]:
    """Parse text as a YAML mapping; returns (data, key → line, diagnostics)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or render("yaml-syntax/unknown", "zh")
        return None, {}, [error("yaml-syntax", path, line, col, problem=problem)]
    except yaml.YAMLError as exc:
        return None, {}, [error("yaml-syntax", path, first_line, problem=str(exc))]
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, {}, [error("yaml-not-mapping", path, first_line)]
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = first_line + key_node.start_mark.line
    return {str(k): v for k, v in data.items()}, lines, []
