"""Stamps that change whenever something a person's pages show may have changed.

Every flush that writes a row changes a stamp in the same transaction: the person's own stamp
(a column of their account) when the row belongs to one person's pages, otherwise the site's
stamp (one row here). A page kept in `page_cache` is filed under both stamps as they were
read with the person's account, so a page is never served after a change it shows has been
committed: the next request reads a new stamp and renders afresh. The stamps live in the
database, so every app server sees a change made through any of them.

A model says whose pages its rows show on with a class attribute:

    __page_owner__ = "user_id"   the person that attribute names (their attempts, reading...)
    __page_owner__ = None        no cached page (sign-in sessions, throttles, the audit log)
    (no attribute)               anyone's: the site's stamp changes (cohorts, content, ...)

Leaving it out is always safe; naming an owner or None is a promise that no other person's
cached page shows the row. A bulk UPDATE or DELETE through the session changes the site's
stamp unless its model is None or the statement names its owners with the execution option
`page_owners=(user_id, ...)`.

New stamps are random, never counted up: a restored backup, or a test that empties the
tables, cannot bring back a stamp some process still keeps a page under.
"""
from __future__ import annotations

import functools
import secrets

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.extensions import db

OWNERS_OPTION = "page_owners"
STAMPS = "_lms_page_stamps"   # g's (person id, person's stamp, site's stamp), set at sign-in check
_SITE = object()   # a model without __page_owner__: anyone's pages may show its rows


class SiteStamp(db.Model):
    """The site's stamp: one row, replaced by any change that may show on anyone's page."""

    __tablename__ = "site_stamps"
    __page_owner__ = None

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp: Mapped[int] = mapped_column(sa.BigInteger)


def new_stamp() -> int:
    return secrets.randbits(62)


# The table and columns of the people's stamps, registered by the accounts domain (core
# cannot import it): (table, id column, stamp column).
_PEOPLE: list[tuple[sa.Table, sa.Column, sa.Column]] = []


def stamp_people_in(table: sa.Table, id_column: sa.Column, stamp_column: sa.Column) -> None:
    _PEOPLE[:] = [(table, id_column, stamp_column)]


# Upsert: the row is made by the first change after the tables were emptied.
_BUMP_SITE = sa.text("INSERT INTO site_stamps (id, stamp) VALUES (1, :stamp) "
                     "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp")

SITE_STAMP = sa.select(SiteStamp.stamp).where(SiteStamp.id == 1).scalar_subquery()


def owner_attribute(cls) -> object:
    """The attribute naming a row's person, None for rows no cached page shows, or _SITE."""
    return getattr(cls, "__page_owner__", _SITE)


WROTE = "_lms_wrote_rows"   # g: this request changed rows (the page cache's check reads it)


def changed(session: Session, people: set[int], site: bool) -> None:
    """New stamps for these people's pages and, if `site`, for everyone's."""
    if not (people or site):
        return
    if has_request_context():
        setattr(g, WROTE, True)
    connection = session.connection()   # around the session's events: this is no model change
    stamp = new_stamp()
    if people and _PEOPLE:
        table, id_column, stamp_column = _PEOPLE[0]
        connection.execute(sa.update(table).where(id_column.in_(sorted(people))).values({stamp_column: stamp}))
    if site:
        connection.execute(_BUMP_SITE, {"stamp": stamp})


def _owners_of(obj, attribute: str, deleted: bool) -> set[int] | None:
    """The people whose pages show this row (and showed it, if it moved); None if that is
    not known without reading the row (a deleted row's owner that was never loaded)."""
    state = sa.inspect(obj).attrs[attribute]
    owner = state.loaded_value
    if owner is sa.orm.base.NO_VALUE:
        if deleted:
            return None
        owner = getattr(obj, attribute)
    owners = {owner, *(state.history.deleted or ())}
    owners.discard(None)
    return owners


@sa.event.listens_for(Session, "after_flush")
def _stamp_flushed(session: Session, _context) -> None:
    people: set[int] = set()
    site = False
    dirty, deleted = session.dirty, session.deleted
    for obj in (*session.new, *dirty, *deleted):
        owner = owner_attribute(type(obj))
        if owner is None:
            continue
        if obj in dirty and not session.is_modified(obj, include_collections=False):
            continue
        owners = None if owner is _SITE else _owners_of(obj, owner, obj in deleted)
        if owners is None:
            site = True
        else:
            people |= owners
    changed(session, people, site)


@sa.event.listens_for(Session, "do_orm_execute")
def _stamp_bulk_write(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    owners = state.execution_options.get(OWNERS_OPTION)
    if owners is not None:
        changed(state.session, set(owners), False)
        return
    if _owner_of_table(getattr(state.statement, "table", None)) is not None:
        changed(state.session, set(), True)


@functools.cache   # per table, once the models are all mapped (a statement runs only then)
def _owner_of_table(table) -> object:
    """What `owner_attribute` says of the model mapped to this table (_SITE if none is)."""
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return owner_attribute(mapper.class_)
    return _SITE


def site_memo(fn=None, *, maxsize: int = 128):
    """Remember what `fn(*args)` returns under the site's stamp read with this request's person:
    for values made of site-wide rows only (the curriculum: tracks, modules, quizzes), which
    any change to them gives a new stamp. Without a signed-in person (no stamp read) every
    call computes. The value is shared by later requests: return tuples, never lists."""
    # Keyed by the stamp alone, not by the person's: unlike a page, nothing here is theirs.
    if fn is None:
        return functools.partial(site_memo, maxsize=maxsize)

    @functools.lru_cache(maxsize=maxsize)
    def under(_site_stamp, *args):
        return fn(*args)

    @functools.wraps(fn)
    def remembered(*args):
        stamps = g.get(STAMPS) if has_request_context() else None
        # 0: no site row yet, so no stamp to tell states apart. A request that has written
        # reads its own changes, which would be kept under the stamp from before them.
        if not (stamps and stamps[2]) or g.get(WROTE):
            return fn(*args)
        return under(stamps[2], *args)
    return remembered
