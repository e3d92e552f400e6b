"""Checks across files: unique slugs and module orders, and slugs that point at something."""
from __future__ import annotations

from collections import defaultdict

from lms.content import kinds as registry
from lms.content.fields import Claim, Ref
from lms.content.records import Curriculum, Problem

SLUG = "slug"     # Claim namespaces are (SLUG, noun) or (ORDER, track slug)
ORDER = "order"


def check_claims(claims: list[Claim]) -> list[Problem]:
    """Report every value claimed more than once in a namespace, at each place claiming it."""
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[(claim.namespace, claim.value)].append(claim)
    problems = []
    for group in groups.values():
        if len(group) < 2:
            continue
        for claim in group:
            others = ", ".join(f"{other.path}:{other.line}"
                               for other in group if other is not claim)
            problems.append(Problem(claim.path, claim.line, _duplicate_message(claim, others)))
    return problems


def _duplicate_message(claim: Claim, others: str) -> str:
    what, name = claim.namespace
    if what == ORDER:
        return (f"order {claim.value} in track `{name}` is also used by {others}: "
                "give each module of a track its own order")
    return (f"duplicate {name} slug `{claim.value}` also used in {others}: "
            f"give each {name} its own slug")


def check_refs(refs: list[Ref], curriculum: Curriculum, paths: set[str]) -> list[Problem]:
    """Report references to slugs that do not exist or name a quiz of the wrong kind.

    `paths` are the files that were read: a target whose file exists but could not be
    loaded gets "fix that file" rather than "create it".
    """
    problems = []
    for ref in refs:
        kind = registry.by_noun(ref.target)
        target = curriculum.items.get(kind.name, {}).get(ref.slug) if kind else None
        if target is None:
            message = _unloaded_message(ref, paths) or _missing_message(ref)
        elif ref.kind is not None and target.kind != ref.kind:
            message = (f"`{ref.slug}` has kind {target.kind} but a {ref.role} must have "
                       f"kind {ref.kind}: point to a {ref.kind} or change that quiz's kind")
        else:
            continue
        prefix = f"{ref.where}: " if ref.where else ""
        problems.append(Problem(ref.path, ref.line, prefix + message))
    return problems


def _unloaded_message(ref: Ref, paths: set[str]) -> str | None:
    kind = registry.by_noun(ref.target)
    for path in kind.path_for(ref.slug) if kind and not kind.single_file else ():
        if path in paths:
            return (f"{ref.role} `{ref.slug}` could not be loaded: fix the problems reported "
                    f"in {path}")
    return None


def _missing_message(ref: Ref) -> str:
    kind = registry.by_noun(ref.target)
    if kind is None:
        return f"{ref.role} `{ref.slug}` not found: fix the slug"
    if kind.single_file:
        return (f"{kind.label} `{ref.slug}` not found: add it to {kind.single_file} "
                "or fix the slug")
    path = kind.path_for(ref.slug)[0]
    if ref.kind is not None:
        return f"{ref.role} `{ref.slug}` not found: create {path} with kind: {ref.kind} or fix the slug"
    return f"{kind.label} `{ref.slug}` not found: create {path} or fix the slug"
