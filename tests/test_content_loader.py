"""Tests for lms.content.loader: a valid tree, then one broken thing per rule."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from lms.assessment.quiz_source import Question
from lms.content.loader import Problem, load_curriculum

TRACKS = """\
# The tracks, in display order.
- slug: paralegal
  title: Paralegal Komunitas
  description: |
    Jalur dasar untuk **paralegal** komunitas.
  pretest: pretest-paralegal
  posttest: posttest-paralegal
- slug: tppo
  title: Pencegahan TPPO
"""

MODULE_HAM = """\
---
slug: hak-asasi-manusia
title: Hak Asasi Manusia
track: paralegal
order: 1
duration_minutes: 120
methods: [presentasi, tanya-jawab, role-play]
objectives:
  - Menjelaskan prinsip HAM
  - Menyebutkan lembaga HAM
quiz: kuis-hak-asasi-manusia
cases: [kasus-razia]
roleplays: [rp-hotline]
---

## Pengantar

Isi modul.
"""

MODULE_PROSES = """\
---
slug: proses-hukum
title: "Proses Hukum: dari Laporan ke Putusan"
track: paralegal
order: 2
objectives: ["Menjelaskan alur laporan polisi"]
---
## Pengantar
Isi.
"""

QUIZ_HAM = """\
slug: kuis-hak-asasi-manusia
title: "Kuis: Hak Asasi Manusia"
kind: quiz
pass_mark: 80
max_attempts: 3
shuffle: true
questions:
  - type: single
    prompt: Siapa yang menerima pengaduan pelanggaran HAM?
    module: hak-asasi-manusia
    explanation: Komnas HAM menerima pengaduan.
    options:
      - {text: Komnas HAM, correct: true, feedback: Tepat.}
      - {text: KPAI}
  - type: multiple
    prompt: Pilih hak yang tidak dapat dikurangi.
    points: 2
    options:
      - {text: Hak untuk hidup, correct: true}
      - {text: Hak untuk tidak disiksa, correct: true}
      - {text: Hak mogok}
  - type: true_false
    prompt: Paralegal boleh mewakili klien di sidang.
    answer: false
  - type: ordering
    prompt: Urutkan langkah pendampingan.
    items: [Mendengarkan, Mencatat, Merujuk]
  - type: matching
    prompt: Pasangkan lembaga dan tugasnya.
    pairs: [["LPSK", "Perlindungan saksi"], ["KPAI", "Pengawasan perlindungan anak"]]
  - type: short
    prompt: Nomor hotline SAPA?
    answers: [129, "SAPA 129"]
  - type: numeric
    prompt: Berapa jam paling lama?
    value: 24
    tolerance: 0.5
  - type: essay
    prompt: Jelaskan hak korban.
    points: 4
    rubric:
      - {criterion: Menyebut hak korban, points: 3}
      - {criterion: Menyebut rujukan, points: 1}
"""

CASE = """\
slug: kasus-razia
title: "Kasus: Razia Satpol PP"
kind: case
case: |
  Sari dibawa petugas saat razia malam.
questions:
  - type: essay
    prompt: Apa yang dilakukan paralegal lebih dulu?
    points: 2
    rubric:
      - {criterion: Mendampingi Sari, points: 2}
"""

PRETEST = """\
slug: pretest-paralegal
title: Pretest Paralegal
kind: pretest
questions:
  - {type: true_false, prompt: "HAM berlaku bagi semua orang.", answer: true}
"""

POSTTEST = """\
slug: posttest-paralegal
title: Posttest Paralegal
kind: posttest
questions:
  - type: numeric
    prompt: Berapa nomor SAPA?
    value: 129
"""

ROLEPLAY = """\
---
slug: rp-hotline
title: Menerima Telepon Pertama
module: hak-asasi-manusia
duration_minutes: 45
objectives: [Mendengarkan secara aktif]
roles:
  - name: Penelepon
    brief: Perempuan yang ketakutan.
    secret: Ia belum siap melapor.
  - name: Paralegal Hotline
    brief: Relawan hotline.
observer_checklist: [Memperkenalkan diri]
debrief: ["Apa yang dirasakan penelepon?"]
---

## Skenario

Telepon berdering.
"""

VALID = {
    "modules/tracks.yaml": TRACKS,
    "modules/hak-asasi-manusia.md": MODULE_HAM,
    "modules/proses-hukum.md": MODULE_PROSES,
    "modules/README.md": "# Catatan untuk penulis\n\nTidak ada front matter di sini.\n",
    "quizzes/kuis-hak-asasi-manusia.yaml": QUIZ_HAM,
    "quizzes/kasus-razia.yaml": CASE,
    "quizzes/pretest-paralegal.yaml": PRETEST,
    "quizzes/posttest-paralegal.yml": POSTTEST,
    "roleplays/rp-hotline.md": ROLEPLAY,
    "roleplays/README.md": "Peran tanpa front matter.\n",
}

HAM = "modules/hak-asasi-manusia.md"
PROSES = "modules/proses-hukum.md"
KUIS = "quizzes/kuis-hak-asasi-manusia.yaml"
KASUS = "quizzes/kasus-razia.yaml"
RP = "roleplays/rp-hotline.md"
TRACKS_PATH = "modules/tracks.yaml"
PRETEST_PATH = "quizzes/pretest-paralegal.yaml"


# --- helpers ------------------------------------------------------------------------------

@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A content root holding the valid tree."""
    for rel, text in VALID.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` in a file of the tree; `old` must be there."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, rel: str, needle: str, after: str | None = None) -> int:
    """1-based line of the first line containing `needle` (after the line with `after`)."""
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    return next(i + 1 for i, line in enumerate(lines) if i >= start and needle in line)


def assert_problem(root: Path, rel: str, line: int, phrase: str) -> list[Problem]:
    """Load the tree and assert a problem at rel:line whose message contains `phrase`."""
    problems = load_curriculum(root).problems
    found = [p for p in problems if p.path == rel and p.line == line and phrase in p.message]
    listing = "\n".join(map(str, problems)) or "(no problems)"
    assert found, f"no problem at {rel}:{line} containing {phrase!r}; got:\n{listing}"
    return problems


def question(root: Path, number: int) -> Question:
    return load_curriculum(root).quizzes["kuis-hak-asasi-manusia"].questions[number - 1]


# --- the valid tree -----------------------------------------------------------------------

def test_valid_tree_has_no_problems(root):
    curriculum = load_curriculum(root)
    assert curriculum.problems == []
    assert curriculum.ok
    assert sorted(curriculum.tracks) == ["paralegal", "tppo"]
    assert sorted(curriculum.modules) == ["hak-asasi-manusia", "proses-hukum"]   # README skipped
    assert sorted(curriculum.quizzes) == ["kasus-razia", "kuis-hak-asasi-manusia",
                                          "posttest-paralegal", "pretest-paralegal"]
    assert sorted(curriculum.roleplays) == ["rp-hotline"]
    assert curriculum.root == root


def test_tracks_are_parsed_with_position_line_and_defaults(root):
    tracks = load_curriculum(root).tracks
    paralegal, tppo = tracks["paralegal"], tracks["tppo"]
    assert (paralegal.title, paralegal.position, paralegal.line) == ("Paralegal Komunitas", 0, 2)
    assert paralegal.description == "Jalur dasar untuk **paralegal** komunitas.\n"
    assert (paralegal.pretest, paralegal.posttest) == ("pretest-paralegal", "posttest-paralegal")
    assert (tppo.position, tppo.line, tppo.description) == (1, 8, "")
    assert (tppo.pretest, tppo.posttest) == (None, None)
    assert paralegal.path == TRACKS_PATH


def test_track_hash_covers_only_its_own_entry(root):
    before = load_curriculum(root).tracks
    edit(root, TRACKS_PATH, "title: Pencegahan TPPO", "title: Pencegahan dan Penanganan TPPO")
    after = load_curriculum(root).tracks
    assert after["paralegal"].content_hash == before["paralegal"].content_hash
    assert after["tppo"].content_hash != before["tppo"].content_hash
    assert len(after["tppo"].content_hash) == 64


def test_modules_are_parsed_with_defaults(root):
    modules = load_curriculum(root).modules
    ham, proses = modules["hak-asasi-manusia"], modules["proses-hukum"]
    assert (ham.track, ham.order, ham.duration_minutes) == ("paralegal", 1, 120)
    assert ham.methods == ["presentasi", "tanya-jawab", "role-play"]
    assert ham.objectives == ["Menjelaskan prinsip HAM", "Menyebutkan lembaga HAM"]
    assert (ham.quiz, ham.cases, ham.roleplays) == ("kuis-hak-asasi-manusia", ["kasus-razia"],
                                                    ["rp-hotline"])
    assert ham.body == "\n## Pengantar\n\nIsi modul.\n"   # kept as written
    assert ham.path == HAM
    assert ham.content_hash == hashlib.sha256((root / HAM).read_bytes()).hexdigest()
    assert proses.title == "Proses Hukum: dari Laporan ke Putusan"
    assert (proses.duration_minutes, proses.methods, proses.quiz) == (None, [], None)
    assert (proses.cases, proses.roleplays) == ([], [])


def test_quizzes_are_parsed_with_defaults(root):
    quizzes = load_curriculum(root).quizzes
    kuis, pretest = quizzes["kuis-hak-asasi-manusia"], quizzes["pretest-paralegal"]
    assert (kuis.kind, kuis.pass_mark, kuis.max_attempts, kuis.shuffle) == ("quiz", 80, 3, True)
    assert (pretest.kind, pretest.pass_mark, pretest.max_attempts, pretest.shuffle) == (
        "pretest", 70, 0, False)
    assert kuis.case is None
    assert quizzes["kasus-razia"].case == "Sari dibawa petugas saat razia malam.\n"
    assert quizzes["posttest-paralegal"].path == "quizzes/posttest-paralegal.yml"
    assert [q.type for q in kuis.questions] == ["single", "multiple", "true_false", "ordering",
                                                "matching", "short", "numeric", "essay"]


def test_choice_questions(root):
    quiz = load_curriculum(root).quizzes["kuis-hak-asasi-manusia"]
    single, multiple = quiz.questions[0], quiz.questions[1]
    assert single.options == [
        {"text": "Komnas HAM", "correct": True, "feedback": "Tepat."},
        {"text": "KPAI", "correct": False, "feedback": None}]
    assert (single.points, single.module, single.line) == (1, "hak-asasi-manusia", 8)
    assert single.explanation == "Komnas HAM menerima pengaduan."
    assert multiple.points == 2 and multiple.module is None and multiple.explanation is None
    assert [o["correct"] for o in multiple.options] == [True, True, False]


def test_other_question_types(root):
    questions = load_curriculum(root).quizzes["kuis-hak-asasi-manusia"].questions
    true_false, ordering, matching, short, numeric, essay = questions[2:]
    assert true_false.answer is False and true_false.options == []
    assert ordering.items == ["Mendengarkan", "Mencatat", "Merujuk"]
    assert matching.pairs == [("LPSK", "Perlindungan saksi"),
                              ("KPAI", "Pengawasan perlindungan anak")]
    assert short.answers == ["129", "SAPA 129"]            # numbers become text
    assert numeric.value == 24.0 and isinstance(numeric.value, float)
    assert numeric.tolerance == 0.5
    assert essay.points == 4
    assert essay.rubric == [{"criterion": "Menyebut hak korban", "points": 3, "anchors": []},
                            {"criterion": "Menyebut rujukan", "points": 1, "anchors": []}]
    posttest = load_curriculum(root).quizzes["posttest-paralegal"].questions[0]
    assert (posttest.value, posttest.tolerance) == (129.0, 0.0)


def test_roleplay_is_parsed(root):
    roleplay = load_curriculum(root).roleplays["rp-hotline"]
    assert (roleplay.module, roleplay.duration_minutes) == ("hak-asasi-manusia", 45)
    assert [(r.name, r.secret) for r in roleplay.roles] == [
        ("Penelepon", "Ia belum siap melapor."), ("Paralegal Hotline", "")]
    assert roleplay.roles[1].brief == "Relawan hotline."
    assert roleplay.observer_checklist == ["Memperkenalkan diri"]
    assert roleplay.debrief == ["Apa yang dirasakan penelepon?"]
    assert roleplay.objectives == ["Mendengarkan secara aktif"]
    assert roleplay.scenario == "\n## Skenario\n\nTelepon berdering.\n"


def test_problems_are_sorted_and_printable(root):
    edit(root, RP, "title: Menerima", "titel: Menerima")
    edit(root, HAM, "order: 1", "order: satu")
    edit(root, TRACKS_PATH, "title: Pencegahan TPPO", "titl: Pencegahan TPPO")
    edit(root, HAM, "track: paralegal", "track: tidak-ada")
    problems = load_curriculum(root).problems
    assert len(problems) >= 4
    assert problems == sorted(problems, key=lambda p: (p.path, p.line))
    problem = problems[0]
    assert str(problem) == f"{problem.path}:{problem.line}: {problem.message}"
    assert str(Problem("a.md", 3, "fix it")) == "a.md:3: fix it"


def test_empty_root_reports_missing_tracks_file(tmp_path):
    curriculum = load_curriculum(tmp_path)
    assert [str(p) for p in curriculum.problems] == [
        "modules/tracks.yaml:1: file not found: create modules/tracks.yaml"]
    assert not curriculum.ok


# --- file-level problems ------------------------------------------------------------------

@pytest.mark.parametrize("rel, old, new, needle", [
    (KUIS, 'title: "Kuis: Hak Asasi Manusia"', "title: Kuis: Hak Asasi Manusia", "title: Kuis"),
    (HAM, "title: Hak Asasi Manusia", "title: HAM: dasar", "title: HAM"),
    (TRACKS_PATH, "  title: Pencegahan TPPO", "  title: Pencegahan: TPPO", "Pencegahan: TPPO"),
    (RP, "module: hak-asasi-manusia", "module: hak: asasi", "module: hak"),
])
def test_yaml_syntax_error_reports_the_error_line(root, rel, old, new, needle):
    edit(root, rel, old, new)
    assert_problem(root, rel, line_of(root, rel, needle), "mapping values are not allowed here")


def test_yaml_error_in_front_matter_counts_the_fence_line(root):
    edit(root, PROSES, "order: 2", "order: 2: 3")
    assert_problem(root, PROSES, 5, "YAML syntax error: mapping values are not allowed here")


def test_missing_front_matter(root):
    edit(root, HAM, "---\nslug", "slug")
    assert_problem(root, HAM, 1, "front matter missing")


def test_unclosed_front_matter(root):
    (root / RP).write_text("---\nslug: rp-hotline\ntitle: X\n\n## Skenario\n", encoding="utf-8")
    assert_problem(root, RP, 1, "front matter is not closed")


@pytest.mark.parametrize("rel, text, line, phrase", [
    (HAM, "---\n---\n\nIsi.\n", 2, "front matter is empty"),
    (HAM, "---\n- a\n- b\n---\n\nIsi.\n", 2, "front matter is not a set of `key: value`"),
    (KUIS, "- slug: x\n", 1, "a quiz file must be a set of `key: value` lines"),
    (TRACKS_PATH, "slug: paralegal\n", 1, "modules/tracks.yaml is not a list"),
    (TRACKS_PATH, "# nothing yet\n", 1, "modules/tracks.yaml is empty"),
])
def test_top_level_must_have_the_right_shape(root, rel, text, line, phrase):
    (root / rel).write_text(text, encoding="utf-8")
    assert_problem(root, rel, line, phrase)


def test_track_entry_that_is_not_a_mapping(root):
    edit(root, TRACKS_PATH, "- slug: tppo\n  title: Pencegahan TPPO\n", "- tppo\n")
    assert_problem(root, TRACKS_PATH, 8, "track 2 must be a mapping")


def test_non_utf8_file(root):
    (root / RP).write_bytes(ROLEPLAY.replace("Perempuan", "Perempuan caf\xe9").encode("latin-1"))
    problems = assert_problem(root, RP, 9, "not valid UTF-8")   # line 9 holds the bad byte
    message = next(p.message for p in problems if p.path == RP)
    assert "save the file as UTF-8" in message
    assert "rp-hotline" not in load_curriculum(root).roleplays


def test_utf8_bom_is_accepted(root):
    (root / HAM).write_bytes(b"\xef\xbb\xbf" + MODULE_HAM.encode("utf-8"))
    assert load_curriculum(root).ok


def test_readme_and_hidden_files_are_skipped(root):
    (root / "modules/.#draft.md").write_text("garbage", encoding="utf-8")
    (root / "roleplays/Readme.md").write_text("garbage", encoding="utf-8")
    assert load_curriculum(root).ok


# --- keys ---------------------------------------------------------------------------------

@pytest.mark.parametrize("rel, delete, mapping_line_needle, key", [
    (HAM, "title: Hak Asasi Manusia\n", "slug: hak-asasi-manusia", "title"),
    (HAM, "objectives:\n  - Menjelaskan prinsip HAM\n  - Menyebutkan lembaga HAM\n",
     "slug: hak-asasi-manusia", "objectives"),
    (PROSES, "order: 2\n", "slug: proses-hukum", "order"),
    (TRACKS_PATH, "  title: Pencegahan TPPO\n", "- slug: tppo", "title"),
    (KASUS, 'title: "Kasus: Razia Satpol PP"\n', "slug: kasus-razia", "title"),
    (RP, 'debrief: ["Apa yang dirasakan penelepon?"]\n', "slug: rp-hotline", "debrief"),
    (RP, "    brief: Relawan hotline.\n", "- name: Paralegal Hotline", "brief"),
    (KUIS, "    prompt: Berapa jam paling lama?\n", "- type: numeric", "prompt"),
])
def test_missing_required_key(root, rel, delete, mapping_line_needle, key):
    edit(root, rel, delete, "")
    assert_problem(root, rel, line_of(root, rel, mapping_line_needle),
                   f"missing required key `{key}`: add `{key}: ...`")


def test_quiz_without_questions(root):
    edit(root, PRETEST_PATH, "questions:\n", "questions: []\nx_questions:\n")
    assert_problem(root, PRETEST_PATH, 4, "`questions` is an empty list")


@pytest.mark.parametrize("rel, old, new, suggestion", [
    (HAM, "title: Hak", "titel: Hak", "`title`"),
    (TRACKS_PATH, "  description:", "  descripton:", "`description`"),
    (KUIS, "pass_mark: 80", "passmark: 80", "`pass_mark`"),
    (KUIS, "    explanation: Komnas", "    explaination: Komnas", "`explanation`"),
    (KUIS, "correct: true, feedback", "corect: true, feedback", "`correct`"),
    (KUIS, "{criterion: Menyebut rujukan", "{criteria: Menyebut rujukan", "`criterion`"),
    (RP, "    secret: Ia", "    secrets: Ia", "`secret`"),
    (RP, "observer_checklist:", "observers_checklist:", "`observer_checklist`"),
])
def test_unknown_key_suggests_the_closest(root, rel, old, new, suggestion):
    edit(root, rel, old, new)
    bad_key = new.strip().split(":")[0].lstrip("{")
    assert_problem(root, rel, line_of(root, rel, new.strip()),
                   f"unknown key `{bad_key}`: did you mean {suggestion}? (allowed: ")


def test_unknown_key_without_close_match_lists_allowed_keys(root):
    edit(root, PROSES, "order: 2", "order: 2\nwarna: merah")
    assert_problem(root, PROSES, 6, "unknown key `warna`: remove it or correct its name "
                                    "(allowed: slug, title, track, order, duration_minutes")


def test_key_written_twice(root):
    edit(root, PROSES, "order: 2", "order: 2\norder: 3")
    assert_problem(root, PROSES, 6, "key `order` appears twice (first on line 5)")


# --- values -------------------------------------------------------------------------------

@pytest.mark.parametrize("rel, old, new, phrase", [
    (HAM, "slug: hak-asasi-manusia", "slug: Hak_Asasi", "is not a valid slug"),
    (HAM, "order: 1", "order: satu", "`order` must be a whole number, got `satu`"),
    (HAM, "order: 1", "order: true", "`order` must be a whole number, got `true`"),
    (HAM, "duration_minutes: 120", "duration_minutes: 0", "must be a positive whole number"),
    (HAM, "title: Hak Asasi Manusia", "title: ''", "`title` is empty"),
    (HAM, "quiz: kuis-hak-asasi-manusia", "quiz: Kuis HAM", "is not a valid slug"),
    (KUIS, "pass_mark: 80", "pass_mark: 150", "must be a whole number from 0 to 100"),
    (KUIS, "max_attempts: 3", "max_attempts: -1", "must be a whole number of 0 or more"),
    (KUIS, "shuffle: true", "shuffle: acak", "must be `true` or `false`"),
    (KUIS, "kind: quiz", "kind: ujian", "unknown quiz kind `ujian`"),
    (KUIS, "points: 2", "points: 0", "question 2: `points` must be a positive whole number"),
    (KUIS, "tolerance: 0.5", "tolerance: -1", "`tolerance` must be a number of 0 or more"),
    (RP, "objectives: [Mendengarkan secara aktif]", "objectives: []", "empty list"),
    (RP, "debrief: [", "debrief: [''] #", "`debrief` item 1 must be non-empty text"),
])
def test_bad_values(root, rel, old, new, phrase):
    edit(root, rel, old, new)
    assert_problem(root, rel, line_of(root, rel, new), phrase)


def test_file_name_need_not_match_slug(root):
    (root / PROSES).rename(root / "modules" / "09-proses.md")
    curriculum = load_curriculum(root)
    assert curriculum.ok, curriculum.problems
    assert curriculum.modules["proses-hukum"].path == "modules/09-proses.md"


def test_bad_method_word(root):
    edit(root, HAM, "methods: [presentasi, tanya-jawab, role-play]",
         "methods:\n  - presentasi\n  - ceramah\n  - roleplay")
    line = line_of(root, HAM, "- ceramah")
    problems = assert_problem(root, HAM, line, "unknown method `ceramah`: use one of presentasi, "
                                               "tanya-jawab, diskusi-kelompok")
    assert any(p.line == line + 1 and "did you mean `role-play`?" in p.message for p in problems)


@pytest.mark.parametrize("rel, content_line_text", [
    (HAM, "## Pengantar\n\nIsi modul.\n"),
    (RP, "## Skenario\n\nTelepon berdering.\n"),
])
def test_empty_body(root, rel, content_line_text):
    edit(root, rel, content_line_text, "   \n")
    fence = max(i + 1 for i, line in enumerate((root / rel).read_text().split("\n"))
                if line == "---")
    assert_problem(root, rel, fence, "below the front matter is empty")


# --- uniqueness ---------------------------------------------------------------------------

def test_duplicate_module_slug_is_reported_in_both_files(root):
    (root / "modules/ham-lagi.md").write_text(MODULE_HAM.replace("order: 1", "order: 3"),
                                              encoding="utf-8")
    problems = assert_problem(root, HAM, 2, "duplicate module slug `hak-asasi-manusia` also used "
                                            "in modules/ham-lagi.md:2: give each module its own")
    assert_problem(root, "modules/ham-lagi.md", 2, f"also used in {HAM}:2")
    assert len([p for p in problems if "duplicate" in p.message]) == 2


def test_duplicate_quiz_slug_across_yaml_and_yml(root):
    (root / "quizzes/kasus-razia.yml").write_text(CASE, encoding="utf-8")
    assert_problem(root, KASUS, 1, "duplicate quiz slug `kasus-razia` also used in "
                                   "quizzes/kasus-razia.yml:1")
    assert_problem(root, "quizzes/kasus-razia.yml", 1, f"also used in {KASUS}:1")


def test_duplicate_track_slug(root):
    edit(root, TRACKS_PATH, "- slug: tppo", "- slug: paralegal")
    assert_problem(root, TRACKS_PATH, 2, "duplicate track slug `paralegal` also used in "
                                         "modules/tracks.yaml:8")
    assert_problem(root, TRACKS_PATH, 8, "also used in modules/tracks.yaml:2")


def test_duplicate_order_in_a_track(root):
    edit(root, PROSES, "order: 2", "order: 1")
    assert_problem(root, PROSES, 5, f"order 1 in track `paralegal` is also used by {HAM}:5")
    assert_problem(root, HAM, 5, f"also used by {PROSES}:5")


def test_same_order_in_different_tracks_is_fine(root):
    edit(root, PROSES, "track: paralegal\norder: 2", "track: tppo\norder: 1")
    assert load_curriculum(root).ok


# --- cross-references ---------------------------------------------------------------------

@pytest.mark.parametrize("rel, old, new, phrase", [
    (HAM, "track: paralegal", "track: paralegall",
     "track `paralegall` not found: add it to modules/tracks.yaml"),
    (HAM, "quiz: kuis-hak-asasi-manusia", "quiz: kuis-x",
     "module quiz `kuis-x` not found: create quizzes/kuis-x.yaml with kind: quiz or fix the slug"),
    (HAM, "cases: [kasus-razia]", "cases: [kasus-hilang]",
     "case `kasus-hilang` not found: create quizzes/kasus-hilang.yaml with kind: case"),
    (HAM, "roleplays: [rp-hotline]", "roleplays: [rp-lain]",
     "role-play `rp-lain` not found: create roleplays/rp-lain.md"),
    (KUIS, "module: hak-asasi-manusia", "module: ham",
     "question 1: module `ham` not found: create modules/ham.md"),
    (RP, "module: hak-asasi-manusia", "module: ham",
     "module `ham` not found: create modules/ham.md"),
    (TRACKS_PATH, "pretest: pretest-paralegal", "pretest: pretest-x",
     "track pretest `pretest-x` not found: create quizzes/pretest-x.yaml with kind: pretest"),
    (TRACKS_PATH, "posttest: posttest-paralegal", "posttest: posttest-x",
     "track posttest `posttest-x` not found"),
])
def test_dangling_references(root, rel, old, new, phrase):
    edit(root, rel, old, new)
    assert_problem(root, rel, line_of(root, rel, new), phrase)


def test_case_reference_in_a_block_list_points_at_the_item(root):
    edit(root, HAM, "cases: [kasus-razia]", "cases:\n  - kasus-razia\n  - kasus-lain")
    assert_problem(root, HAM, line_of(root, HAM, "- kasus-lain"), "case `kasus-lain` not found")


@pytest.mark.parametrize("rel, old, new, phrase", [
    (HAM, "quiz: kuis-hak-asasi-manusia", "quiz: kasus-razia",
     "`kasus-razia` has kind case but a module quiz must have kind quiz"),
    (HAM, "cases: [kasus-razia]", "cases: [pretest-paralegal]",
     "`pretest-paralegal` has kind pretest but a case must have kind case"),
    (TRACKS_PATH, "pretest: pretest-paralegal", "pretest: posttest-paralegal",
     "`posttest-paralegal` has kind posttest but a track pretest must have kind pretest"),
    (TRACKS_PATH, "posttest: posttest-paralegal", "posttest: kuis-hak-asasi-manusia",
     "`kuis-hak-asasi-manusia` has kind quiz but a track posttest must have kind posttest"),
])
def test_reference_to_a_quiz_of_the_wrong_kind(root, rel, old, new, phrase):
    edit(root, rel, old, new)
    assert_problem(root, rel, line_of(root, rel, new), phrase)


# --- quiz kinds ---------------------------------------------------------------------------

def test_case_quiz_needs_a_case(root):
    edit(root, KASUS, "case: |\n  Sari dibawa petugas saat razia malam.\n", "")
    assert_problem(root, KASUS, 3, "a quiz with kind: case needs `case`: add `case: |`")


def test_only_case_quizzes_have_a_case(root):
    edit(root, KUIS, "shuffle: true", "shuffle: true\ncase: Cerita")
    assert_problem(root, KUIS, 7, "`case` is only used by quizzes with kind: case, this one has "
                                  "kind quiz: remove `case` or set `kind: case`")


# --- questions ----------------------------------------------------------------------------

def test_unknown_question_type(root):
    edit(root, KUIS, "type: short", "type: fill")
    assert_problem(root, KUIS, line_of(root, KUIS, "type: fill"),
                   "question 6: unknown question type `fill`: use one of single, multiple, "
                   "true_false, ordering, matching, short, numeric, essay")


def test_question_with_bad_type_is_left_out(root):
    edit(root, KUIS, "type: short", "type: fill")
    assert len(load_curriculum(root).quizzes["kuis-hak-asasi-manusia"].questions) == 7


def test_single_with_two_correct(root):
    edit(root, KUIS, "{text: KPAI}", "{text: KPAI, correct: true}")
    assert_problem(root, KUIS, line_of(root, KUIS, "options:"),
                   "single-choice question 1 has 2 options marked correct: mark exactly one "
                   "option `correct: true`")


def test_single_with_none_correct(root):
    edit(root, KUIS, "correct: true, feedback", "feedback")
    assert_problem(root, KUIS, line_of(root, KUIS, "options:"),
                   "single-choice question 1 has 0 options marked correct")


def test_multiple_with_none_correct(root):
    edit(root, KUIS, "{text: Hak untuk hidup, correct: true}", "{text: Hak untuk hidup}")
    edit(root, KUIS, "{text: Hak untuk tidak disiksa, correct: true}",
         "{text: Hak untuk tidak disiksa}")
    assert_problem(root, KUIS, line_of(root, KUIS, "options:", after="type: multiple"),
                   "multiple-choice question 2 has no option marked correct: mark at least one")


def test_choice_with_one_option(root):
    edit(root, KUIS, "      - {text: KPAI}\n", "")
    assert_problem(root, KUIS, line_of(root, KUIS, "options:"),
                   "question 1: single questions need at least 2 options, this one has 1")


def test_repeated_option_text(root):
    edit(root, KUIS, "{text: Hak mogok}", "{text: hak untuk  HIDUP}")
    assert_problem(root, KUIS, line_of(root, KUIS, "HIDUP"),
                   "question 2 option 3 has the same text as option 1")


def test_empty_option_text(root):
    edit(root, KUIS, "{text: KPAI}", "{text: ''}")
    assert_problem(root, KUIS, line_of(root, KUIS, "{text: ''}"),
                   "question 1 option 2: `text` is empty")


def test_true_false_needs_a_boolean_answer(root):
    edit(root, KUIS, "answer: false", 'answer: "salah"')
    assert_problem(root, KUIS, line_of(root, KUIS, "answer:"),
                   "question 3: `answer` must be `true` or `false`")


def test_true_false_without_answer(root):
    edit(root, KUIS, "    answer: false\n", "")
    assert_problem(root, KUIS, line_of(root, KUIS, "type: true_false"),
                   "question 3: true_false questions need `answer`")


def test_ordering_with_one_item(root):
    edit(root, KUIS, "items: [Mendengarkan, Mencatat, Merujuk]", "items: [Mendengarkan]")
    assert_problem(root, KUIS, line_of(root, KUIS, "items:"),
                   "question 4: ordering questions need at least 2 `items`, this one has 1")


def test_ordering_with_repeated_item(root):
    edit(root, KUIS, "items: [Mendengarkan, Mencatat, Merujuk]",
         "items:\n      - Mendengarkan\n      - Mencatat\n      - mendengarkan")
    assert_problem(root, KUIS, line_of(root, KUIS, "- mendengarkan"),
                   "question 4 item 3 repeats item 1")


def test_matching_with_one_pair(root):
    edit(root, KUIS, ', ["KPAI", "Pengawasan perlindungan anak"]', "")
    assert_problem(root, KUIS, line_of(root, KUIS, "pairs:"),
                   "question 5: matching questions need at least 2 `pairs`, this one has 1")


@pytest.mark.parametrize("new_pair, side", [
    ('["LPSK", "Pengawasan perlindungan anak"]', "left"),
    ('["KPAI", "Perlindungan saksi"]', "right"),
])
def test_matching_with_a_repeated_side(root, new_pair, side):
    edit(root, KUIS, '["KPAI", "Pengawasan perlindungan anak"]', new_pair)
    assert_problem(root, KUIS, line_of(root, KUIS, "pairs:"),
                   f"question 5 pair 2 has the same {side} side as pair 1")


def test_matching_pair_with_three_parts(root):
    edit(root, KUIS, '["LPSK", "Perlindungan saksi"]', '["LPSK", "Perlindungan", "saksi"]')
    assert_problem(root, KUIS, line_of(root, KUIS, "pairs:"),
                   'question 5 pair 1 must be two non-empty texts `["left", "right"]`')


@pytest.mark.parametrize("old, new, phrase", [
    ('    answers: [129, "SAPA 129"]\n', "", "question 6: short questions need `answers`"),
    ('answers: [129, "SAPA 129"]', "answers: []", "question 6: `answers` is an empty list"),
    ('answers: [129, "SAPA 129"]', "answers: [yes]",
     "question 6 `answers` entry 1 must be non-empty text, got `true`"),
])
def test_short_answers(root, old, new, phrase):
    edit(root, KUIS, old, new)
    line = line_of(root, KUIS, "answers:" if new else "type: short")
    assert_problem(root, KUIS, line, phrase)


def test_numeric_without_value(root):
    edit(root, KUIS, "    value: 24\n", "")
    assert_problem(root, KUIS, line_of(root, KUIS, "type: numeric"),
                   "question 7: numeric questions need `value`")


def test_numeric_value_must_be_a_number(root):
    edit(root, KUIS, "value: 24", 'value: "dua puluh empat"')
    assert_problem(root, KUIS, line_of(root, KUIS, "value:"), "`value` must be a number")


def test_rubric_sum_must_equal_points(root):
    edit(root, KUIS, "points: 4", "points: 5")
    assert_problem(root, KUIS, line_of(root, KUIS, "rubric:"),
                   "question 8: rubric points add up to 4 but the question is worth 5 points: "
                   "set the question's `points: 4` or change the rubric points to add up to 5")


def test_rubric_sum_against_default_points(root):
    edit(root, KASUS, "    points: 2\n", "")
    assert_problem(root, KASUS, line_of(root, KASUS, "rubric:"),
                   "worth 1 point (no `points` key, so the default 1)")


@pytest.mark.parametrize("old, new, phrase", [
    ("{criterion: Menyebut rujukan, points: 1}", "{criterion: Menyebut rujukan, points: 0}",
     "question 8 rubric item 2: `points` must be a positive whole number"),
    ("{criterion: Menyebut rujukan, points: 1}", "{criterion: '', points: 1}",
     "question 8 rubric item 2: `criterion` is empty"),
    ("{criterion: Menyebut rujukan, points: 1}", "{points: 1}",
     "question 8 rubric item 2: missing required key `criterion`"),
])
def test_bad_rubric_items(root, old, new, phrase):
    edit(root, KUIS, old, new)
    assert_problem(root, KUIS, line_of(root, KUIS, new), phrase)


def test_essay_without_rubric(root):
    edit(root, KUIS, "    rubric:\n", "    rubric: []\n    x:\n")
    assert_problem(root, KUIS, line_of(root, KUIS, "rubric: []"), "`rubric` is an empty list")


@pytest.mark.parametrize("after, key_line, phrase", [
    ("    answer: false\n", "    options: [{text: a}]\n",
     "question 3: `options` is not used by true_false questions: remove it"),
    ("    value: 24\n", "    rubric: [{criterion: a, points: 1}]\n",
     "question 7: `rubric` is not used by numeric questions: remove it"),
    ("    items: [Mendengarkan, Mencatat, Merujuk]\n", "    answer: true\n",
     "question 4: `answer` is not used by ordering questions: remove it"),
    ("    answers: [129, \"SAPA 129\"]\n", "    tolerance: 1\n",
     "question 6: `tolerance` is not used by short questions: remove it"),
])
def test_keys_of_another_question_type(root, after, key_line, phrase):
    edit(root, KUIS, after, after + key_line)
    assert_problem(root, KUIS, line_of(root, KUIS, key_line.rstrip("\n")), phrase)


def test_question_that_is_not_a_mapping(root):
    edit(root, PRETEST_PATH, "  - {type: true_false", "  - just text\n  - {type: true_false")
    assert_problem(root, PRETEST_PATH, 5, "question 1 must be a mapping")


# --- role-plays ---------------------------------------------------------------------------

def test_roleplay_needs_two_roles(root):
    edit(root, RP, "  - name: Paralegal Hotline\n    brief: Relawan hotline.\n", "")
    assert_problem(root, RP, line_of(root, RP, "roles:"),
                   "a role-play needs at least 2 roles, this one has 1")


def test_roleplay_role_names_are_unique(root):
    edit(root, RP, "name: Paralegal Hotline", "name: penelepon")
    assert_problem(root, RP, line_of(root, RP, "name: penelepon"),
                   "role 2 has the same name as role 1")


def test_role_brief_must_be_text(root):
    edit(root, RP, "brief: Relawan hotline.", "brief: [a, b]")
    assert_problem(root, RP, line_of(root, RP, "brief: [a, b]"), "role 2: `brief` must be text")


# --- robustness ---------------------------------------------------------------------------

@pytest.mark.parametrize("rel, text", [
    (KUIS, "slug: kuis-hak-asasi-manusia\ntitle: x\nquestions: 5\n"),
    (KUIS, "slug: kuis-hak-asasi-manusia\ntitle: x\nquestions:\n  - type: [single]\n"),
    (KUIS, "slug: kuis-hak-asasi-manusia\ntitle: x\nquestions:\n  - type: single\n"
           "    prompt: p\n    options: {text: a}\n"),
    (KUIS, "? [a, b]\n: 1\n"),
    (KUIS, "slug: !!python/object:os.system x\n"),
    (HAM, "---\nslug: hak-asasi-manusia\n1: 2\nnull: x\n---\nIsi\n"),
    (TRACKS_PATH, "- slug: paralegal\n  title: T\n  1: 2\n- [a]\n- null\n"),
    (RP, "---\nslug: rp-hotline\ntitle: t\nroles: [1, [2], {name: [x]}]\n"
         "observer_checklist: x\ndebrief: {a: 1}\n---\nIsi\n"),
])
def test_odd_content_never_crashes(root, rel, text):
    (root / rel).write_text(text, encoding="utf-8")
    problems = load_curriculum(root).problems
    assert any(p.path == rel for p in problems)
    assert not any("unexpected error" in p.message for p in problems), problems


def test_tab_indentation_gets_its_own_hint(tmp_path):
    import shutil

    from tests.conftest import FIXTURE_CONTENT
    root = tmp_path / "c"
    shutil.copytree(FIXTURE_CONTENT, root)
    (root / "quizzes" / "tab.yaml").write_text("slug: tab\ntitle: T\nquestions:\n\t- type: single\n")
    problems = [p for p in load_curriculum(root).problems if p.path == "quizzes/tab.yaml"]
    assert len(problems) == 1 and problems[0].line == 4
    assert "indent with spaces" in problems[0].message


def test_windows_line_endings_and_bom_load(tmp_path):
    import shutil

    from tests.conftest import FIXTURE_CONTENT
    root = tmp_path / "c"
    shutil.copytree(FIXTURE_CONTENT, root)
    (root / "modules" / "crlf.md").write_bytes(
        b"\xef\xbb\xbf---\r\nslug: modul-crlf\r\ntitle: CRLF\r\ntrack: dasar\r\norder: 7\r\n"
        b"objectives: [x]\r\n---\r\n\r\nIsi modul.\r\n")
    curriculum = load_curriculum(root)
    assert curriculum.ok, curriculum.problems
    assert curriculum.modules["modul-crlf"].body.strip() == "Isi modul."


def test_option_shuffle_is_per_question_and_anchors_match_points(root):
    edit(root, KUIS, "  - type: multiple\n", "  - type: multiple\n    shuffle: false\n")
    questions = load_curriculum(root).quizzes["kuis-hak-asasi-manusia"].questions
    assert questions[0].shuffle is True and questions[1].shuffle is False


def test_anchors_must_cover_every_score(root):
    text = (root / KUIS).read_text()
    text = text.replace('{criterion: Menyebut rujukan, points: 1}',
                        '{criterion: Menyebut rujukan, points: 1, anchors: ["tidak ada"]}')
    (root / KUIS).write_text(text)
    problems = [str(p) for p in load_curriculum(root).problems]
    assert any("1 anchors but is worth 1 points" in p for p in problems), problems


def test_shuffle_is_refused_on_types_without_options(root):
    edit(root, KUIS, "  - type: true_false\n", "  - type: true_false\n    shuffle: false\n")
    problems = [str(p) for p in load_curriculum(root).problems]
    assert any("`shuffle` is not used by true_false questions" in p for p in problems), problems
