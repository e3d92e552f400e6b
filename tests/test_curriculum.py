"""The shipped curriculum: it loads, it covers what the programme needs, and its facts hold.

These tests keep the curriculum from silently shrinking and keep citations and phone
numbers honest. They read the files, not the database.
"""
import re
from collections import Counter

import pytest

from lms.config import REPO_ROOT
from lms.content.loader import load_curriculum
from lms.core.personal_data import PHONE
from tests.helpers import need_shared
from tests.laws import ALLOWED, FACT_SHEET, OFFICIAL_NUMBERS

PARALEGAL_ORDER = [
    "hak-asasi-manusia", "ham-pekerja-seks", "sogie", "sistem-hukum-indonesia",
    "sistem-peradilan-indonesia", "penyelesaian-sengketa-luar-pengadilan", "hukum-pidana-perdata",
    "upaya-paksa-kepolisian", "proses-hukum", "advokasi-dasar", "alur-penanganan-kasus",
    "mekanisme-pengaduan", "proses-rujukan", "komnas-perempuan", "p2tp2a-uptd-ppa",
    "kesepakatan-berjejaring"]
ESA_ORDER = [
    "mengenal-esa", "layanan-hukum-ramah-anak", "layanan-kesehatan-ramah-anak",
    "layanan-psikologis-ramah-anak", "perlindungan-saksi-korban", "rehabilitasi-sosial-esa",
    "reintegrasi-pendidikan", "model-penganggaran-layanan-terpadu"]
CASES = [
    "kasus-razia-satpol-pp", "kasus-kekerasan-ekonomi-pasangan", "kasus-korban-mencabut-laporan",
    "kasus-pembunuhan-pekerja-seks", "kasus-dokumen-palsu-jeratan-utang",
    "kasus-perdagangan-ulang-pmi", "kasus-eksploitasi-seksual-daring-anak", "kasus-pemerasan-waria",
    "kasus-anak-korban-diperlakukan-pelaku", "kasus-pelaku-aktivis"]
ROLEPLAYS = [
    "rp-hotline", "rp-pendampingan-lapor-polisi", "rp-negosiasi-pembebasan-razia",
    "rp-rujukan-uptd-ppa", "rp-wawancara-anak", "rp-konferensi-kasus",
    "rp-sosialisasi-migrasi-aman", "rp-dukungan-korban-mencabut"]
MODULE_SECTIONS = ["## Istilah kunci", "## Dasar hukum", "## Catatan fasilitator",
                   "## Pertanyaan diskusi"]
# Real volunteers named in the source documents: never reused in fictional material.
SEED_PEOPLE = ["Mirna", "Abien", "Tatang", "Irma", "Titin", "Atim", "Retno Ayu", "Enrich Samuel"]

CITATION = re.compile(r"\b(UU|PP|Perpres|Keppres|Perppu|Perma|SEMA|Perpol|Perja|Permenkumham|"
                      r"Permenkum|Permen PPPA|Permendagri|Qanun Aceh)\s+(\d+)/(\d{4})"
                      r"(?:\s+tentang\s+([^,.;:()\"]{3,80}))?")
LONG_CITATION = re.compile(r"\b(?:Nomor|No\.)\s*\d+\s+Tahun\s+\d{4}")
HOTLINE_WORDS = re.compile(r"(?:hotline|telepon|telpon|hubungi|WhatsApp|WA|nomor)\D{0,12}(\d{3,})",
                           re.IGNORECASE)


@pytest.fixture(scope="module")
def curriculum():
    return load_curriculum(REPO_ROOT)


def _texts():
    """Every curriculum file with its text."""
    for folder in ("modules", "quizzes", "roleplays"):
        for path in sorted((REPO_ROOT / folder).glob("*.*")):
            yield path.relative_to(REPO_ROOT).as_posix(), path.read_text(encoding="utf-8")


def _words(markdown: str) -> int:
    return len(re.findall(r"\w+", markdown))


def test_the_shipped_curriculum_passes_the_check(curriculum):
    assert curriculum.problems == []


def test_tracks_and_modules_in_the_programme_order(curriculum):
    def track_modules(slug):
        return [m.slug for m in sorted(curriculum.modules.values(), key=lambda m: m.order)
                if m.track == slug]
    assert list(curriculum.tracks) == ["paralegal", "layanan-terpadu-esa", "tppo-berbasis-komunitas"]
    assert track_modules("paralegal") == PARALEGAL_ORDER
    assert track_modules("layanan-terpadu-esa") == ESA_ORDER
    assert len(track_modules("tppo-berbasis-komunitas")) >= 5


@pytest.mark.parametrize("slug", PARALEGAL_ORDER + ESA_ORDER + [
    "pengertian-unsur-tppo", "pencegahan-tppo", "penanganan-korban-tppo", "prinsip-peran-pptppo",
    "kelembagaan-pptppo-komunitas"])
def test_each_module_is_substantial_and_complete(curriculum, slug):
    module = curriculum.modules[slug]
    assert _words(module.body) >= 800, f"{slug}: {_words(module.body)} words"
    for section in MODULE_SECTIONS:
        assert section in module.body, f"{slug} lacks {section}"
    assert module.objectives and module.methods and module.duration_minutes
    quiz = curriculum.quizzes[module.quiz]
    assert quiz.kind == "quiz" and len(quiz.questions) >= 6
    assert len({q.type for q in quiz.questions}) >= 3
    assert all(q.explanation and q.explanation.strip() for q in quiz.questions)


@pytest.mark.parametrize("track", ["paralegal", "layanan-terpadu-esa", "tppo-berbasis-komunitas"])
def test_pre_and_post_tests_are_parallel_and_cover_every_module(curriculum, track):
    modules = {m.slug for m in curriculum.modules.values() if m.track == track}
    t = curriculum.tracks[track]
    pre, post = curriculum.quizzes[t.pretest], curriculum.quizzes[t.posttest]
    assert (pre.kind, post.kind) == ("pretest", "posttest")
    for test in (pre, post):
        assert len(test.questions) >= 20
        tagged = [q.module for q in test.questions]
        assert set(tagged) == modules, f"{test.slug} misses {modules - set(tagged)}"
        assert all(q.explanation for q in test.questions)
    # Parallel forms: the same topics, different questions.
    assert not {q.prompt for q in pre.questions} & {q.prompt for q in post.questions}
    assert Counter(q.module for q in pre.questions).keys() == Counter(q.module for q in post.questions).keys()


def test_case_analyses(curriculum):
    cases = [q for q in curriculum.quizzes.values() if q.kind == "case"]
    assert len(cases) >= 10
    assert set(CASES) <= {c.slug for c in cases}
    for case in cases:
        assert case.case and _words(case.case) >= 150, case.slug
        essays = [q for q in case.questions if q.type == "essay"]
        assert essays and all(q.rubric for q in essays), case.slug
        assert len(case.questions) >= 5 and all(q.explanation for q in case.questions), case.slug
        # Structured questions: an ordering (the referral path or next steps) and a multiple choice.
        assert {"ordering", "multiple"} <= {q.type for q in case.questions}, case.slug


def test_role_plays(curriculum):
    assert len(curriculum.roleplays) >= 8
    assert set(ROLEPLAYS) <= set(curriculum.roleplays)
    for rp in curriculum.roleplays.values():
        secret_roles = [r for r in rp.roles if r.secret.strip()]
        assert len(secret_roles) >= 3, rp.slug
        assert rp.observer_checklist and rp.debrief and rp.scenario.strip(), rp.slug


def test_every_citation_is_a_known_law_with_the_right_name():
    wrong = []
    for path, text in _texts():
        for m in CITATION.finditer(text):
            key = (m.group(1), int(m.group(2)), int(m.group(3)))
            if key not in ALLOWED:
                wrong.append(f"{path}: {m.group(0)} is not on the fact sheet")
            elif m.group(4):
                names = ALLOWED[key].lower().split("|")
                named = " ".join(m.group(4).lower().split())
                if not any(n in named for n in names):
                    wrong.append(f"{path}: {m.group(0)!r} does not name {ALLOWED[key]!r}")
        for m in LONG_CITATION.finditer(text):
            wrong.append(f"{path}: long-form citation {m.group(0)!r}: use the short form UU N/YYYY")
    assert wrong == [], "\n".join(wrong)


def test_the_seed_error_on_the_human_rights_law_is_not_repeated():
    for path, text in _texts():
        assert "19/1999" not in text, path


def test_law_registry_agrees_with_the_fact_sheet():
    sheet = need_shared("curriculum-facts.md").read_text(encoding="utf-8")
    missing = [f"{form} {n}/{y}" for (form, n, y) in FACT_SHEET if f"{n}/{y}" not in sheet]
    assert missing == []


def test_the_only_phone_numbers_are_official_hotlines():
    found = []
    for path, text in _texts():
        for m in PHONE.finditer(text):
            if m.group(0) not in OFFICIAL_NUMBERS:
                found.append(f"{path}: {m.group(0)}")
        for m in HOTLINE_WORDS.finditer(text):
            if m.group(1) not in {"129", "148", "08111", "0857"} and len(m.group(1)) >= 5:
                found.append(f"{path}: {m.group(0)!r}")
    assert found == []


def test_hotlines_are_given_where_victims_are_referred(curriculum):
    body = " ".join(m.body for m in curriculum.modules.values())
    assert "SAPA 129" in body and "LPSK" in body and "148" in body


def test_people_in_the_material_are_fictional():
    for path, text in _texts():
        for name in SEED_PEOPLE:
            assert not re.search(rf"\b{name}\b", text), f"{path} names {name} from the source documents"


def test_no_stigmatising_terms():
    for path, text in _texts():
        for term in (r"\bPSK\b", r"\bWTS\b", r"\bpelacur\b"):
            assert not re.search(term, text), f"{path}: {term}"


def _choice_items(curriculum, qtype):
    return [(quiz.slug, q) for quiz in curriculum.quizzes.values() for q in quiz.questions
            if q.type == qtype]


def test_the_key_is_not_given_away_by_length_or_position(curriculum):
    """A trainee who picks the longest or the first option must not pass (issue 11)."""
    singles = _choice_items(curriculum, "single")
    longest = [slug for slug, q in singles
               if max(q.options, key=lambda o: len(o["text"]))["correct"]
               and sum(len(o["text"]) == max(len(x["text"]) for x in q.options) for o in q.options) == 1]
    assert len(longest) / len(singles) <= 0.40, (
        f"the correct option is the longest in {len(longest)} of {len(singles)} single-choice items")
    fixed = [(slug, q) for slug, q in singles if not q.shuffle]
    if fixed:
        first = [slug for slug, q in fixed if q.options[0]["correct"]]
        assert len(first) / len(fixed) <= 0.35, (
            f"the correct option is first in {len(first)} of {len(fixed)} unshuffled items")


def test_true_false_keys_are_balanced(curriculum):
    items = _choice_items(curriculum, "true_false")
    true = sum(1 for _slug, q in items if q.answer)
    assert 0.35 <= true / len(items) <= 0.65, f"{true} of {len(items)} true/false items are true"


def test_only_options_whose_order_matters_stay_fixed(curriculum):
    """`shuffle: false` is for lists such as "Semua benar", not a way to keep the key first."""
    for slug, q in _choice_items(curriculum, "single") + _choice_items(curriculum, "multiple"):
        if not q.shuffle:
            texts = " ".join(o["text"].lower() for o in q.options)
            assert re.search(r"semua|tidak ada|kedua|a dan b|b dan c", texts), (slug, q.prompt)


def test_case_rubrics_have_score_anchors(curriculum):
    for quiz in curriculum.quizzes.values():
        if quiz.kind != "case":
            continue
        for q in quiz.questions:
            for item in q.rubric:
                assert len(item["anchors"]) == item["points"] + 1, (quiz.slug, item["criterion"])


def test_every_edition_fact_has_a_status():
    from tests.laws import FACT_STATUSES, FACTS
    assert FACTS
    assert all(status.split(" ")[0] in FACT_STATUSES for status in FACTS.values())


def test_the_unverified_lpsk_deadline_is_never_a_quiz_key(curriculum):
    """UU 31/2014's Pasal 29 could not be read: no item may be keyed on 7 or 30 days."""
    for quiz in curriculum.quizzes.values():
        for q in quiz.questions:
            keyed = [o["text"] for o in q.options if o["correct"]] + list(q.answers)
            if q.type == "numeric":
                keyed.append(str(q.value))
            text = (q.prompt + " " + " ".join(keyed)).lower()
            # PP 29/2025's 30 days for paying unpaid restitution is checked; the deadline for
            # deciding a protection request is not.
            about_a_request = "permohonan" in text and "restitusi" not in text
            if "lpsk" in text and about_a_request and re.search(r"\b(7|30|tujuh|tiga puluh)\s*(hari|\b)", " ".join(keyed).lower()):
                raise AssertionError(f"{quiz.slug}: {q.prompt}")
