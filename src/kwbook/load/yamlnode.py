"""Safe YAML loading that keeps the line of every top-level key, bounds nesting and aliases, and never raises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic
from ..messages import error, render
from .text import bad_char

# Documented in docs/security.md. A book.yaml or front matter is a few dozen values, a few levels deep.
MAX_DEPTH = 20          # nesting of lists and mappings
MAX_NODES = 10_000      # values after expanding aliases (a "billion laughs" file stops here)


class _Limit(Exception):
    """A YAML document beyond one of the limits above."""

    def __init__(self, msgid: str, mark, **params):
        super().__init__(msgid)
        self.msgid, self.mark, self.params = msgid, mark, params


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader whose composer counts nesting and the size of the document with aliases expanded."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._size: dict[int, tuple[int, int]] = {}  # id(node) → (values with aliases expanded, height)

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None and id(node) not in self._size:
                raise _Limit("yaml-limit/recursive", event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Limit("yaml-limit/depth", self.peek_event().start_mark, limit=MAX_DEPTH)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if id(node) not in self._size:
            if isinstance(node, yaml.SequenceNode):
                children = node.value
            elif isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            else:
                children = []
            sizes = [self._size[id(c)] for c in children]
            size = 1 + sum(s for s, _ in sizes)
            height = 1 + max((h for _, h in sizes), default=0)
            if size > MAX_NODES:
                raise _Limit("yaml-limit/nodes", node.start_mark, limit=MAX_NODES)
            if height > MAX_DEPTH:
                raise _Limit("yaml-limit/depth", node.start_mark, limit=MAX_DEPTH)
            self._size[id(node)] = (size, height)
        return node


def _nodes(root) -> list:
    """Every node of the tree once (aliases are shared nodes), without recursion."""
    seen: set[int] = set()
    out, todo = [], [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        out.append(node)
        if isinstance(node, yaml.SequenceNode):
            todo.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            todo.extend(n for pair in reversed(node.value) for n in reversed(pair))
    return out


def _bad_value(root, path: Path, first_line: int) -> Diagnostic | None:
    """The first scalar a typed tag cannot make (!!int "x", a 30 February), found after construction failed."""
    probe = yaml.SafeLoader("")
    try:
        for node in _nodes(root):
            if not isinstance(node, yaml.ScalarNode):
                continue
            make = probe.yaml_constructors.get(node.tag)
            try:
                if make is not None:
                    make(probe, node)
            except (ValueError, TypeError, AttributeError, OverflowError, yaml.YAMLError):
                mark = node.start_mark
                tag = node.tag.rsplit(":", 1)[-1]
                return error("yaml-value", path, first_line + mark.line, mark.column + 1,
                             msgid="yaml-value/date" if tag == "timestamp" else None, tag=tag, value=node.value[:40])
    finally:
        probe.dispose()
    return None


def _control_chars(root, path: Path, first_line: int) -> list[Diagnostic]:
    """A value holding a control character or a lone surrogate (written as an escape in a quoted string)."""
    out = []
    for node in _nodes(root):
        if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
            found = bad_char(node.value)
            if found is not None:
                mark = node.start_mark
                out.append(error("control-char", path, first_line + mark.line, mark.column + 1, char=f"U+{ord(found):04X}"))
    return out


def load_mapping(text: str, path: Path, first_line: int = 1) -> tuple[dict[str, Any] | None, dict[str, int], list[Diagnostic]]:
    """Parse text as a YAML mapping; returns (data, key → line, diagnostics)."""
    loader = None
    node = None
    try:
        loader = _BoundedLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _Limit as exc:
        mark = exc.mark
        return None, {}, [error("yaml-limit", path, first_line + mark.line, mark.column + 1, msgid=exc.msgid, **exc.params)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or render("yaml-syntax/unknown", "zh")
        return None, {}, [error("yaml-syntax", path, line, col, problem=problem)]
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = first_line + before.count("\n")
        col = exc.position - (before.rfind("\n") + 1) + 1
        return None, {}, [error("control-char", path, line, col, char=f"U+{exc.character:04X}" if isinstance(exc.character, int) else "?")]
    except yaml.YAMLError as exc:
        return None, {}, [error("yaml-syntax", path, first_line, problem=str(exc))]
    except (ValueError, TypeError, AttributeError, OverflowError):
        found = _bad_value(node, path, first_line) if node is not None else None
        return None, {}, [found or error("yaml-value", path, first_line, tag="?", value="")]
    except RecursionError:
        return None, {}, [error("yaml-limit", path, first_line, msgid="yaml-limit/depth", limit=MAX_DEPTH)]
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, {}, [error("yaml-not-mapping", path, first_line)]
    bad = _control_chars(node, path, first_line) if node is not None else []
    if bad:
        return None, {}, bad
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines[str(key_node.value)] = first_line + key_node.start_mark.line
            if isinstance(value_node, yaml.SequenceNode):  # "front[2]": the line of a list's third item
                for i, item in enumerate(value_node.value):
                    lines[f"{key_node.value}[{i}]"] = first_line + item.start_mark.line
    return {str(k): v for k, v in data.items()}, lines, []
