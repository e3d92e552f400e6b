"""Quiz version definitions decoded once per process: the same as decoding the row, and never a
stale one for another version."""
import sqlalchemy as sa

from lms.assessment.models import QuizVersion
from lms.assessment.versions import definitions, forget_definitions
from lms.extensions import db
from tests.helpers import count_queries


def _version(slug: str, content_hash: str, points: int, version_id: int | None = None) -> QuizVersion:
    version = QuizVersion(id=version_id, quiz_slug=slug, content_hash=content_hash,
                          definition={"pass_mark": 70, "questions": [{"type": "essay", "points": points}]})
    db.session.add(version)
    db.session.commit()
    return version


def _decoded(version_id: int) -> dict:
    return db.session.scalar(sa.select(QuizVersion.definition).where(QuizVersion.id == version_id))


def test_a_definition_is_the_decoded_row_and_is_read_once(app):
    forget_definitions()
    with app.app_context():
        first, second = _version("kuis-a", "h1", 2), _version("kuis-b", "h1", 3)
        keys = {(first.id, "h1"), (second.id, "h1")}
        with count_queries(app) as cold:
            found = definitions(keys)
        with count_queries(app) as warm:
            again = definitions(keys)
        assert found == again == {first.id: _decoded(first.id), second.id: _decoded(second.id)}
        assert found[second.id]["questions"][0]["points"] == 3
        assert (len(cold), len(warm)) == (1, 0)


def test_a_new_version_is_served_its_own_definition(app):
    forget_definitions()
    with app.app_context():
        old = _version("kuis-a", "h1", 2)
        assert definitions({(old.id, "h1")})[old.id]["questions"][0]["points"] == 2
        new = _version("kuis-a", "h2", 5)   # re-synced: a new row, the old one untouched
        found = definitions({(old.id, "h1"), (new.id, "h2")})
        assert [found[v]["questions"][0]["points"] for v in (old.id, new.id)] == [2, 5]


def test_an_id_given_again_to_other_content_is_not_served_the_stale_definition(app):
    """A database emptied or restored behind a running process can reuse an id."""
    forget_definitions()
    with app.app_context():
        old = _version("kuis-a", "h1", 2)
        version_id = old.id
        assert definitions({(version_id, "h1")})[version_id]["questions"][0]["points"] == 2
        db.session.execute(sa.delete(QuizVersion))
        db.session.commit()
        _version("kuis-c", "h9", 7, version_id=version_id)
        # Attempts name their version by id and content hash (read with them): the new pair.
        assert definitions({(version_id, "h9")})[version_id]["questions"][0]["points"] == 7
