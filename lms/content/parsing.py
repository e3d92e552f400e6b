"""Helpers every content kind's parser uses: reading YAML and front matter, own slugs, refs."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lms.content.crossref import SLUG
from lms.content.fields import SLUG_RE, Fields, FileReport, item_line
from lms.content.source import FrontMatterFile, LineDict, Unreadable, parse_yaml, split_front_matter


@dataclass
class SourceFile:
    """A content file's decoded text and identity (path, stem, hash of the raw bytes)."""

    path: str           # relative to the content root, POSIX style
    stem: str           # file name without extension
    text: str
    content_hash: str


def read_yaml(text: str, report: FileReport, line_offset: int = 0) -> object:
    """Parse YAML, reporting keys written twice in one mapping."""
    doc = parse_yaml(text, line_offset)
    for line, key, first in doc.duplicates:
        report.problem(line, f"key `{key}` appears twice (first on line {first}): "
                             "keep only one, the last one would silently win")
    return doc.data


def front_matter(source: SourceFile, report: FileReport) -> tuple[FrontMatterFile, LineDict]:
    """Split a Markdown file and parse its front matter, which must be a mapping."""
    split = split_front_matter(source.text)
    data = read_yaml(split.yaml_text, report, split.yaml_offset)
    if not isinstance(data, dict):
        state = "empty" if data is None else "not a set of `key: value` lines"
        raise Unreadable(split.yaml_offset + 1, f"front matter is {state}: write the keys (`slug: "
                                                "...`, `title: ...`) between the `---` lines")
    return split, data


def check_body(split: FrontMatterFile, report: FileReport, what: str) -> None:
    if not split.body.strip():
        report.problem(split.body_line - 1, f"the {what} below the front matter is empty: "
                                            "write the Markdown text after the closing `---`")


def own_slug(fields: Fields, noun: str) -> str | None:
    """The item's `slug`, which must be unique among items of its kind.

    The file name is not required to match: the format names files only by folder, and
    authors number or group their files freely (the shipped curriculum does match).
    """
    slug = fields.slug("slug", required=True)
    if slug is None:
        return None
    fields.report.claim((SLUG, noun), slug, fields.line("slug"))
    return slug


def ref_list(fields: Fields, key: str, target: str, role: str, kind: str | None = None) -> None:
    """Record a reference for each valid slug of the list under `key`."""
    seq = fields.data.get(key)
    for index, slug in enumerate(seq if isinstance(seq, list) else []):
        if isinstance(slug, str) and SLUG_RE.fullmatch(slug):
            fields.report.ref(item_line(seq, index, fields.line(key)), target, slug, role, kind)


def mapping_hash(node: dict) -> str:
    """Hash of one mapping alone, so editing one entry of a file leaves the others' hashes."""
    import yaml  # here, not with the module: web workers import it but never hash content
    dumped = yaml.safe_dump(_plain(node), sort_keys=True, allow_unicode=True)
    return hashlib.sha256(dumped.encode("utf-8")).hexdigest()


def _plain(value: object) -> object:
    # safe_dump refuses dict/list subclasses such as LineDict, and cannot sort mixed key types.
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
