"""Turning a content file's bytes into YAML data that remembers its line numbers.

Every problem the loader reports names a line, so the YAML is loaded with a SafeLoader
subclass whose mappings and sequences record where they (and their keys and items) start.
This is the only place that knows about YAML marks.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml

_STR_TAG = "tag:yaml.org,2002:str"
FENCE = "---"


class Unreadable(Exception):
    """The file cannot be checked any further; carries the line and message to report."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class LineDict(dict):
    """A YAML mapping that knows its own first line and the line of each key."""

    line: int = 1
    key_lines: dict

    def line_of(self, key) -> int:
        """Line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that knows its own first line and the line of each item."""

    line: int = 1
    item_lines: list

    def line_at(self, index: int) -> int:
        """Line of item `index` (0-based)."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _LineLoading:
    """A SafeLoader mix-in that builds LineDict/LineList and notes duplicate keys."""

    def __init__(self, text: str, line_offset: int):
        super().__init__(text)
        self.line_offset = line_offset
        self.duplicates: list[tuple[int, str, int]] = []

    def node_line(self, node) -> int:
        return node.start_mark.line + 1 + self.line_offset

    def construct_line_dict(self, node):
        data = LineDict()
        data.line, data.key_lines = self.node_line(node), {}
        yield data
        self._note_duplicates(node)
        data.update(self.construct_mapping(node))
        for key_node, _ in node.value:
            key = self.construct_object(key_node)
            data.key_lines[key] = self.node_line(key_node)   # the last one wins, as in the data

    def construct_line_list(self, node):
        data = LineList()
        data.line = self.node_line(node)
        data.item_lines = [self.node_line(item) for item in node.value]
        yield data
        data.extend(self.construct_sequence(node))

    def _note_duplicates(self, node) -> None:
        # PyYAML silently keeps the last of two equal keys; a writer who typed
        # `explanation:` twice would lose text without noticing.
        from yaml.nodes import ScalarNode
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _STR_TAG:
                if key_node.value in seen:
                    self.duplicates.append((self.node_line(key_node), key_node.value,
                                            seen[key_node.value]))
                seen.setdefault(key_node.value, self.node_line(key_node))


@functools.cache
def _loaders() -> tuple[type, type]:
    """The fast loader, then the pure Python one. Made (and PyYAML imported) on the first
    parse: a web worker imports this module with the content kinds but seldom parses.

    The Python loader is slower, but its error messages name the character at fault;
    libyaml parses about ten times faster (the whole curriculum's sync is mostly YAML) and
    its nodes carry the same marks. Without libyaml the Python loader does all."""
    import yaml
    line_loader = type("_LineLoader", (_LineLoading, yaml.SafeLoader), {})
    fast_loader = type("_FastLineLoader", (_LineLoading, getattr(yaml, "CSafeLoader", yaml.SafeLoader)), {})
    for loader in {line_loader, fast_loader}:
        loader.add_constructor("tag:yaml.org,2002:map", _LineLoading.construct_line_dict)
        loader.add_constructor("tag:yaml.org,2002:seq", _LineLoading.construct_line_list)
    return fast_loader, line_loader


@dataclass
class YamlDoc:
    """Parsed YAML plus the duplicate keys found while parsing: (line, key, first line)."""

    data: object
    duplicates: list[tuple[int, str, int]]


def decode_utf8(raw: bytes) -> str:
    """Decode file bytes as UTF-8 (a leading BOM is allowed) or raise Unreadable."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        byte = raw[error.start:error.start + 1].hex()
        raise Unreadable(line, f"file is not valid UTF-8 text (byte 0x{byte} cannot be decoded): "
                               "save the file as UTF-8") from None


def parse_yaml(text: str, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document; lines are 1-based and shifted by `line_offset`.

    A file that does not parse is parsed again by the Python loader, whose messages (and
    hints, such as the one about tabs) are the ones authors are shown."""
    import yaml
    fast_loader, line_loader = _loaders()
    for loader_class in (fast_loader, line_loader):
        try:
            # The reader refuses some characters (a NUL byte) as soon as it is made.
            loader = loader_class(text, line_offset)
        except yaml.YAMLError as error:
            if loader_class is line_loader:
                raise Unreadable(*_yaml_error(error, line_offset)) from None
            continue
        try:
            return YamlDoc(loader.get_single_data(), loader.duplicates)
        except yaml.YAMLError as error:
            if loader_class is line_loader:
                raise Unreadable(*_yaml_error(error, line_offset)) from None
        finally:
            loader.dispose()
    raise AssertionError("unreachable")


def _yaml_error(error: yaml.YAMLError, line_offset: int) -> tuple[int, str]:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = (mark.line + 1 if mark else 1) + line_offset
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    detail = f"{problem} ({context})" if context else problem
    if "'\\t'" in detail:
        return line, (f"YAML syntax error: {detail}: YAML does not allow tab characters for "
                      "indentation; indent with spaces")
    return line, (f"YAML syntax error: {detail}: check the indentation and put quotes around "
                  "text that contains `: ` or starts with a special character such as "
                  "`!`, `&`, `*`, `[`, `{` or `#`")


@dataclass
class FrontMatterFile:
    """A Markdown file split at its front matter fences."""

    yaml_text: str
    yaml_offset: int   # lines before the YAML text, i.e. the opening fence
    body: str
    body_line: int     # line where the body starts


def split_front_matter(text: str) -> FrontMatterFile:
    """Split `---` front matter from the Markdown body or raise Unreadable."""
    # Split on "\n" only: str.splitlines also breaks on characters YAML does not
    # count as line breaks, which would shift every reported line.
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raise Unreadable(1, "front matter missing: the file must start with a line `---`, then "
                            "the YAML keys, then a closing line `---`, then the text")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FENCE:
            return FrontMatterFile("\n".join(lines[1:index]), 1, "\n".join(lines[index + 1:]),
                                   index + 2)
    raise Unreadable(1, "front matter is not closed: add a line `---` after the last "
                        "front matter key, before the text")
