"""One trainee in several cohorts: `trainee_status` reads their facts in every cohort at once and
decides exactly as `cohort_status` does one cohort at a time."""
import datetime as dt

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment.models import Quiz
from lms.assessment.reports import track_gains
from lms.certification.demo import graded_attempt
from lms.certification.service import change_rules, cohort_status, trainee_status
from lms.cohorts.access import trainee_cohorts
from lms.cohorts.models import Cohort
from lms.extensions import db
from lms.learning import progress
from lms.learning.models import Module, Track
from lms.timeutil import utcnow
from tests.factories import (
    certify,
    log_practice,
    make_cohort,
    make_person,
    make_plan,
    make_session,
    read_modules,
    run_roleplay,
    world,
)
from tests.helpers import count_queries

DAY = dt.date(2026, 9, 1)


def _retired_track() -> None:
    """A track no longer offered, with an active and a retired module (the fixture's quizzes)."""
    db.session.add(Track(slug="lama", title="Jalur lama", pretest_slug="pretest-dasar", posttest_slug="posttest-dasar",
                         position=9, source_path="x", content_hash="x", retired_at=utcnow()))
    for i, retired in ((1, None), (2, utcnow())):
        db.session.add(Module(slug=f"lama-{i}", title=f"Modul lama {i}", track_slug="lama", order=i,
                              quiz_slug="kuis-modul-1", case_slugs=[], source_path="x", content_hash="x",
                              retired_at=retired))
    db.session.flush()


@pytest.fixture
def four(app, synced):
    """trainee-a1 in four cohorts that differ in rules and facts, beside a cohort mate whose
    rows must not count: all modules (default rules), a choice of modules (own rules, certified),
    a retired track, and a track that is gone (every rule off but the RTL)."""
    ids = world(app)
    with app.test_request_context():
        me, mate = db.session.get(User, ids["ta1"]), db.session.get(User, ids["ta2"])
        org, coord = me.organisation, ids["coord_a"]
        _retired_track()
        everything = db.session.get(Cohort, ids["cohort_a"])
        chosen = make_cohort(org, "Angkatan Pilihan", trainees=[me, mate])
        chosen.required_module_slugs = ["modul-1"]
        retired = make_cohort(org, "Angkatan Lama", track="lama", trainees=[me])
        gone = make_cohort(org, "Angkatan Hilang", track="sudah-tidak-ada", trainees=[me])
        read_modules(me.id, ["modul-1", "modul-2", "lama-1"])
        for slug, score in (("pretest-dasar", 0.5), ("posttest-dasar", 1.0), ("kuis-modul-1", 1.0)):
            graded_attempt(me, db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug)), score)
        graded_attempt(mate, db.session.scalar(sa.select(Quiz).where(Quiz.slug == "posttest-dasar")), 1.0)
        # Attendance: in A present once, excused once, one session taken without them; in the
        # chosen cohort present twice; the mate's attendance everywhere.
        make_session(everything.id, DAY, {me.id: "present", mate.id: "present"})
        make_session(everything.id, DAY + dt.timedelta(days=1), {me.id: "excused", mate.id: "absent"})
        make_session(everything.id, DAY + dt.timedelta(days=2), {mate.id: "present"})
        make_session(everything.id, DAY + dt.timedelta(days=3))       # attendance not taken
        for n in range(2):
            make_session(chosen.id, DAY + dt.timedelta(days=n), {me.id: "present", mate.id: "absent"})
        make_session(retired.id, DAY, {me.id: "absent"})
        make_plan(everything.id, me.id, "submitted")
        make_plan(chosen.id, me.id, "approved")
        make_plan(chosen.id, mate.id, "returned")
        make_plan(gone.id, me.id, "approved")
        for entry in [*log_practice(everything.id, me.id, DAY, count=2, signed_off_by=coord),
                      *log_practice(chosen.id, me.id, DAY, count=3, signed_off_by=coord),
                      *log_practice(chosen.id, mate.id, DAY, count=4, signed_off_by=coord)]:
            entry.signed_off_at = utcnow()
        log_practice(everything.id, me.id, DAY, count=1)
        run_roleplay(everything.id, [me.id, mate.id])
        run_roleplay(everything.id, [me.id], live=False)                # still being set up: not counted
        run_roleplay(chosen.id, [mate.id])
        change_rules(chosen, {"post_test_min": 50, "attendance_min": 100, "roleplays_min": 0, "practice_min": 3}, coord)
        change_rules(gone, {"modules": False, "post_test_min": 0, "attendance_min": 0, "roleplays_min": 0,
                            "practice_min": 0}, coord)
        certify(chosen.id, me.id, coord)
        db.session.commit()
        return ids, [everything.id, chosen.id, retired.id, gone.id]


def _per_cohort(user, cohort_ids):
    """What `cohort_status` says of the trainee in each cohort on its own."""
    out = {}
    for cohort_id in cohort_ids:
        facts, [status] = cohort_status(db.session.get(Cohort, cohort_id), [user])
        out[cohort_id] = (facts.track.slug if facts.track else None, [m.slug for m in facts.modules], status)
    return out


def _same(together, alone) -> None:
    assert sorted(together) == sorted(alone)
    for cohort_id, (track, modules, status) in alone.items():
        found = together[cohort_id]
        assert found.facts == status.facts, cohort_id
        assert found.eligibility.results == status.eligibility.results, cohort_id
        assert (found.certificate.id if found.certificate else None) == \
               (status.certificate.id if status.certificate else None), cohort_id


def test_a_trainee_in_four_cohorts_is_decided_as_each_cohort_decides_alone(app, four):
    ids, cohort_ids = four
    with app.test_request_context():
        me = db.session.get(User, ids["ta1"])
        alone = _per_cohort(me, cohort_ids)
        together, name = trainee_status(me, [db.session.get(Cohort, c) for c in cohort_ids])
        _same(together, alone)
        assert name == me.display_name
    # The cohorts differ, so the comparison compares something: modules, attendance, plans,
    # practice, role-plays, rules and certificate each tell some cohort from another.
    everything, chosen, retired, gone = (alone[c] for c in cohort_ids)
    assert (everything[0], chosen[0], retired[0], gone[0]) == ("dasar", "dasar", "lama", None)
    assert (everything[1], chosen[1], retired[1], gone[1]) == (["modul-1", "modul-2", "modul-3"], ["modul-1"],
                                                               ["lama-1"], [])
    e, c = everything[2].facts, chosen[2].facts
    assert (e.attendance.present, e.attendance.excused, e.attendance.taken) == (1, 1, 3)
    assert (c.attendance.present, c.attendance.taken) == (2, 2)
    assert (e.rtl, c.rtl, retired[2].facts.rtl, gone[2].facts.rtl) == ("submitted", "approved", "none", "approved")
    assert (e.practice_signed, e.practice_total, c.practice_signed) == (2, 3, 3)
    assert (e.roleplays_taken, c.roleplays_taken) == (1, 0)
    assert e.post == 100.0 and e.pre == 50.0 and retired[2].facts.post == 100.0 and gone[2].facts.post is None
    assert chosen[2].certificate is not None and everything[2].certificate is None
    assert not everything[2].eligibility.eligible and gone[2].eligibility.eligible
    assert [r.on for r in chosen[2].eligibility.results] == [True, True, True, False, True, True]


def test_what_the_home_hands_over_is_not_read_again_and_decides_the_same(app, four):
    """The home's outline of the active tracks, its module states and gains: only the retired
    and the gone track are read."""
    ids, cohort_ids = four
    with app.test_request_context():
        me = db.session.get(User, ids["ta1"])
        alone = _per_cohort(me, cohort_ids)
        outlines = progress.tracks_with_modules()
        gains = track_gains([me.id], [t for t, _ms in outlines])
        cohorts = trainee_cohorts(me.id)
        assert [c.id for c in cohorts] == sorted(cohort_ids)
        together, _name = trainee_status(me, cohorts, outlines=outlines, gains=gains)
        _same(together, alone)


def test_the_queries_do_not_grow_with_cohorts(app, four):
    ids, cohort_ids = four
    everything, chosen, retired, gone = cohort_ids
    with app.test_request_context():
        me = db.session.get(User, ids["ta1"])
        counted = []
        for some in ([everything, retired], cohort_ids):
            cohorts = [db.session.get(Cohort, c) for c in some]
            with count_queries(app) as statements:
                trainee_status(me, cohorts)
            counted.append(len(statements))
        assert counted[0] == counted[1]


def test_a_printed_name_is_the_one_consented_to(app, four):
    from lms.certification.service import set_printed_name
    ids, cohort_ids = four
    with app.test_request_context():
        me = db.session.get(User, ids["ta1"])
        set_printed_name(me, "Nama Lengkap Sesuai KTP", me.id)
        db.session.commit()
        _statuses, name = trainee_status(me, [db.session.get(Cohort, cohort_ids[0])])
        assert name == "Nama Lengkap Sesuai KTP"
        assert trainee_status(make_person("sendiri"), []) == ({}, "Sendiri")
