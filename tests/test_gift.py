"""GIFT import and export (lms.assessment.gift): every supported feature, what is skipped or
reported, malformed input, Moodle's own fixture, and the round trip through our format."""
from pathlib import Path

import pytest
import yaml

from lms.assessment.gift import (
    GiftImport,
    GiftIssue,
    GiftSyntaxError,
    export_gift,
    parse_gift,
    quiz_yaml_from_gift,
)
from lms.assessment.gift_parse import html_to_markdown
from lms.content.loader import load_curriculum
from tests.helpers import need_shared

FIXTURES = Path(__file__).parent / "fixtures" / "gift"
MOODLE_FIXTURE = "interop/moodle-questions.gift.txt"  # in ../shared
ROUND_TRIP_KEYS = ("type", "prompt", "answer", "pairs", "answers", "value", "tolerance",
                   "explanation")


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


def find(result: GiftImport, prompt_start: str) -> dict:
    matches = [q for q in result.questions if q["prompt"].startswith(prompt_start)]
    assert len(matches) == 1, f"{len(matches)} questions start with {prompt_start!r}"
    return matches[0]


def messages(issues: list[GiftIssue], line: int) -> list[str]:
    return [issue.message for issue in issues if issue.line == line]


@pytest.fixture(scope="module")
def text() -> str:
    return read("all-features.gift")


@pytest.fixture(scope="module")
def result(text: str) -> GiftImport:
    return parse_gift(text)


# ---------------------------------------------------------------- the all-features file


def test_every_question_of_the_features_file_is_mapped(result):
    assert len(result.questions) == 21
    assert result.skipped == []


def test_single_choice_with_answer_feedback_and_general_feedback(result):
    assert find(result, "Undang-undang pokok") == {
        "type": "single",
        "prompt": "Undang-undang pokok tentang HAM di Indonesia adalah ...",
        "points": 1,
        "options": [{"text": "UU 39/1999", "correct": True, "feedback": "Benar."},
                    {"text": "UU 19/1999", "feedback": "Nomor ini sering salah dikutip."},
                    {"text": "UU 26/2000"}],
        "explanation": "UU 39/1999 tentang Hak Asasi Manusia.",
    }


def test_title_is_dropped_with_a_warning(result, text):
    line = line_of(text, "::HAM-1::")
    assert messages(result.warnings, line) == ["title 'HAM-1' dropped: our questions have no "
                                               "title"]
    assert all("HAM-1" not in q["prompt"] for q in result.questions)


def test_category_is_ignored_with_a_warning_on_its_line(result, text):
    line = line_of(text, "$CATEGORY:")
    assert messages(result.warnings, line) == [
        "category '$course$/top/Hak Asasi Manusia' ignored: our quizzes have no question "
        "categories"]


def test_comments_are_dropped(result):
    assert all("//" not in q["prompt"] for q in result.questions)
    assert parse_gift("// only a comment\n// and another\n") == GiftImport()


def test_issues_point_at_the_line_where_their_question_starts(result, text):
    lines = text.splitlines()
    # A question starts at its first line that is not a comment, after a blank line.
    starts, after_blank = [], True
    for number, line in enumerate(lines, 1):
        if not line.strip():
            after_blank = True
        elif not line.startswith("//") and after_blank:
            starts.append(number)
            after_blank = False
    assert len(starts) == 1 + len(result.questions)  # the category block, then the questions
    assert {issue.line for issue in result.warnings} <= set(starts)
    assert line_of(text, "Tulis rumus") in starts


def test_multiple_response_with_our_weights_has_no_warning(result, text):
    question = find(result, "Pilih lembaga negara")
    assert question["type"] == "multiple"
    assert question["options"] == [
        {"text": "Komnas HAM", "correct": True}, {"text": "Ombudsman RI", "correct": True},
        {"text": "Satpol PP", "feedback": "Bukan lembaga pengaduan."}, {"text": "Arisan RT"}]
    assert messages(result.warnings, line_of(text, "Pilih lembaga negara")) == []


def test_unequal_weights_are_approximated_with_a_warning(result, text):
    question = find(result, "Pilih hak yang tidak")
    assert question["type"] == "multiple"
    assert [bool(o.get("correct")) for o in question["options"]] == [True, True, False]
    [warning] = messages(result.warnings, line_of(text, "Pilih hak yang tidak"))
    assert warning.startswith("weights approximated by our partial-credit rule")
    assert "70%, 30%, -100%" in warning


def test_equals_with_weights_counts_positive_weights_as_correct(result, text):
    question = find(result, "Mana yang termasuk alat bukti")
    assert question["type"] == "multiple"
    assert question["options"] == [{"text": "Keterangan saksi", "correct": True},
                                   {"text": "Surat", "correct": True}, {"text": "Rumor"}]
    warnings = messages(result.warnings, line_of(text, "Mana yang termasuk alat bukti"))
    assert any("2 answers earn credit in a one-answer (=) question" in w for w in warnings)


@pytest.mark.parametrize("prompt, answer, explanation", [
    ("Paralegal boleh", False, None),
    ("Komnas HAM adalah", True, None),
    ("Satpol PP berwenang", False, "Satpol PP tidak berwenang menahan."),
    ("Korban berhak", True, "Pasal 5 UU 13/2006."),
])
def test_true_false_forms(result, prompt, answer, explanation):
    question = find(result, prompt)
    assert question["type"] == "true_false"
    assert question["answer"] is answer
    assert question.get("explanation") == explanation


def test_true_false_feedback_loss_is_reported(result, text):
    assert messages(result.warnings, line_of(text, "Satpol PP berwenang")) == [
        "right-answer feedback dropped: the explanation is the wrong-answer feedback"]
    assert messages(result.warnings, line_of(text, "Korban berhak")) == [
        "wrong-answer feedback dropped: the explanation is the general feedback"]


def test_short_answer_keeps_every_accepted_answer(result):
    question = find(result, "Nomor layanan SAPA")
    assert question == {"type": "short", "prompt": "Nomor layanan SAPA?", "points": 1,
                        "answers": ["129", "SAPA 129"]}


def test_short_answer_drops_partial_credit_wildcards_and_feedback(result, text):
    question = find(result, "Singkatan dari")
    # `\*` is Moodle's literal asterisk, so that answer is kept.
    assert question["answers"] == ["LPSK", "Tanda * bintang"]
    warnings = messages(result.warnings, line_of(text, "::Singkatan::"))
    assert "answers without full credit dropped (ours are right or wrong): LPS (50%)" in warnings
    assert ("answers with the wildcard * dropped (it cannot be matched exactly): L*K"
            in warnings)
    assert "answer feedback dropped: our short answers have no per-answer feedback" in warnings


def test_matching_drops_the_distractor_with_a_warning(result, text):
    question = find(result, "Pasangkan lembaga")
    assert question["pairs"] == [["LPSK", "Perlindungan saksi dan korban"],
                                 ["KPAI", "Pengawasan perlindungan anak"]]
    assert question["explanation"] == "Setiap lembaga punya mandat sendiri."
    assert messages(result.warnings, line_of(text, "Pasangkan lembaga")) == [
        "distractor dropped (our matching has no extra right-hand answers): Pengelolaan pajak"]


@pytest.mark.parametrize("prompt, value, tolerance", [
    ("Paling lama berapa jam", 24, 0),          # {#24}
    ("Berapa persen ambang", 2.5, 0.5),         # {#2.5:0.5}
    ("Sebutkan angka antara", 1.5, 0.5),        # {#1..2}: midpoint, half the range
    ("Berapa tahun masa daluwarsa", 12, 0),     # the 100% answer of several
])
def test_numeric_forms(result, prompt, value, tolerance):
    question = find(result, prompt)
    assert question["type"] == "numeric"
    assert (question["value"], question["tolerance"]) == (value, tolerance)


def test_numeric_with_several_answers_reports_what_was_dropped(result, text):
    warnings = messages(result.warnings, line_of(text, "Berapa tahun masa daluwarsa"))
    assert "other numeric answers dropped (we keep one full-credit answer): 12:2 (50%)" in warnings
    assert "wrong-answer feedback dropped: our numeric questions have no feedback" in warnings
    assert "answer feedback dropped: our numeric questions have no feedback" in warnings


def test_essay_gets_a_one_point_rubric(result, text):
    question = find(result, "Jelaskan langkah pertama")
    assert question == {
        "type": "essay", "prompt": "Jelaskan langkah pertama Anda menerima pengaduan.",
        "points": 1, "rubric": [{"criterion": "Jawaban sesuai pertanyaan", "points": 1}],
        "explanation": "Utamakan keamanan korban."}
    assert messages(result.warnings, line_of(text, "Jelaskan langkah pertama")) == [
        "rubric added: one criterion 'Jawaban sesuai pertanyaan' worth 1 point"]


def test_escapes(result):
    question = find(result, "Tulis rumus")
    assert question["prompt"] == "Tulis rumus {a} = b: c ~ d # e.\nBaris kedua."
    assert question["type"] == "short"
    assert question["answers"] == ["Jawab~an", "x \\ y"]


def test_text_formats_in_answers_and_feedback(result, text):
    question = find(result, "Pilih yang **benar**.")
    assert question["options"] == [{"text": "Ya", "correct": True}, {"text": "Tidak"},
                                   {"text": "*Mungkin*", "feedback": "Bukan\njawaban"}]
    assert any(w.startswith("HTML converted to Markdown") for w in
               messages(result.warnings, line_of(text, "Pilih yang **benar**.")))


def test_html_prompt_becomes_markdown_and_answers_inherit_its_format(result, text):
    question = find(result, "Pilih yang **benar**:")
    assert question["prompt"] == "Pilih yang **benar**:\n\nsatu & dua"
    assert question["options"] == [{"text": "**Satu**", "correct": True}, {"text": "Dua & tiga"},
                                   {"text": "<i>Empat</i>"}]  # [plain] overrides the default
    assert messages(result.warnings, line_of(text, "[html]<p>")) == [
        "HTML converted to Markdown (bold, italics and line breaks kept, other tags removed): "
        "check the text"]


def test_plain_format_keeps_the_text_as_it_is(result, text):
    assert find(result, "Sebutkan 2 * 3")["value"] == 6
    assert messages(result.warnings, line_of(text, "Sebutkan 2 * 3")) == []


def test_multi_line_prompt_and_stray_text_on_the_next_line(result, text):
    question = find(result, "Baris pertama")
    assert question["prompt"] == "Baris pertama\nbaris kedua?"
    assert question["answer"] is True
    assert messages(result.warnings, line_of(text, "Baris pertama")) == [
        "stray text after the answer block ignored: '\";'"]


def test_html_to_markdown():
    assert html_to_markdown("<p>A <b>b</b>\n<em>c</em></p><p>d<br/>e &lt;f&gt;</p>") == \
        "A **b** *c*\n\nd\ne <f>"


# ---------------------------------------------------------------- skipped questions


def test_unmappable_questions_are_skipped_and_reported_with_their_line():
    source = read("skipped.gift")
    result = parse_gift(source)
    expected = {
        "Moodle costs": "missing-word (cloze) question",
        "Bagian ini hanya": "description (text without an answer block)",
        "Sebut apa saja": "short answer has no full-credit answer without a wildcard",
        "Pasangkan.": "matching needs at least 2 pairs, this one has 1",
        "Kira-kira berapa": "numeric question has no full-credit answer",
        "Pilih.": "two options have the same text 'Ya'",
        "::Hanya judul::": "the question has no text",
    }
    assert len(result.skipped) == len(expected)
    for needle, reason in expected.items():
        [message] = messages(result.skipped, line_of(source, needle))
        assert message.startswith("skipped: ") and reason in message
    assert result.questions == [{"type": "true_false", "prompt": "Benar?", "points": 1,
                                 "answer": True}]
    assert result.warnings == []  # warnings about skipped questions are not kept


def test_stray_punctuation_on_the_closing_line_is_not_a_missing_word():
    result = parse_gift("Q?{=a ~b}.\n")
    assert result.questions[0]["type"] == "single"
    assert result.warnings == [GiftIssue(1, "stray text after the answer block ignored: '.'")]


# ---------------------------------------------------------------- malformed input


@pytest.mark.parametrize("name, line, message", [
    ("unclosed-brace.gift", 4, "unclosed `{`"),
    ("no-correct-answer.gift", 4, "multiple-choice answer block has no correct answer"),
])
def test_malformed_files(name, line, message):
    with pytest.raises(GiftSyntaxError) as caught:
        parse_gift(read(name))
    assert caught.value.line == line
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize("source, line, message", [
    ("Q1 {T}\n\nQ2 {=a ~b", 3, "unclosed `{`"),
    ("Q1 {T}\n\n// c\nQ2 {=a {~b}", 4, "unclosed `{`"),
    ("Q =a ~b}", 1, "`}` without an opening `{`"),
    ("Q {~a ~%0%b ~%-50%c}", 1, "multiple-choice answer block has no correct answer"),
    ("Q1 {T}\n\nQ2 {\n=a -> b\n~c\n}", 3, "`->` (matching) mixed with `~`"),
    ("Q {foo}", 1, "unknown answer block structure"),
    ("Q {=a ~b} {T}", 1, "more than one answer block"),
    ("::Judul Q {T}", 1, "question title starts with `::` but has no closing `::`"),
    ("Q {=a =b -> c}", 1, "a matching answer has no `->`"),
    ("Q {#abc}", 1, "numeric answer 'abc' is not a number"),
    ("Q {#5..1}", 1, "numeric range '5..1' has its minimum above its maximum"),
    ("Q {#}", 1, "numeric answer block `{#...}` has no number"),
    ("Q {~%100%a}", 1, "a multiple-choice question needs at least 2 answers"),
    ("Q {=a ~}", 1, "a multiple-choice answer has no text"),
])
def test_malformed_input_raises_with_the_question_line(source, line, message):
    with pytest.raises(GiftSyntaxError) as caught:
        parse_gift(source)
    assert caught.value.line == line
    assert caught.value.message.startswith(message)
    assert str(caught.value) == f"line {line}: {caught.value.message}"


def test_issue_and_error_text():
    assert str(GiftIssue(3, "skipped: x")) == "line 3: skipped: x"
    assert isinstance(GiftSyntaxError(1, "m"), ValueError)


# ---------------------------------------------------------------- Moodle's own fixture


@pytest.fixture(scope="module")
def moodle() -> tuple[str, GiftImport]:
    source = need_shared(MOODLE_FIXTURE).read_text(encoding="utf-8")
    return source, parse_gift(source)


def test_moodle_fixture_maps_or_reports_all_nine_questions(moodle):
    _, result = moodle
    assert len(result.questions) + len(result.skipped) == 9
    assert [q["type"] for q in result.questions] == [
        "essay", "matching", "single", "multiple", "numeric", "short", "true_false",
        "true_false", "true_false"]


def test_moodle_fixture_details(moodle):
    source, result = moodle
    matching = find(result, "Match the **activity**")
    assert [pair[1] for pair in matching["pairs"]] == ["Forum", "Choice", "Database", "Wiki"]
    assert find(result, "What is a number")["value"] == 3
    assert find(result, "What is a number")["tolerance"] == 2
    assert find(result, "Which is the best animal")["answers"] == ["Frog"]
    false = find(result, "42 is the Absolute")
    assert false["answer"] is False
    assert false["explanation"] == ("This is, of course, a Hitchiker's Guide to the Galaxy "
                                    "reference.")
    [single] = [q for q in result.questions if q["type"] == "single"]
    assert single["options"][1] == {"text": "red", "feedback": "wrong, it's yellow"}
    warnings = [str(issue) for issue in result.warnings]
    distractor = line_of(source, "Moodle activities::")
    assert (f"line {distractor}: distractor dropped (our matching has no extra right-hand "
            "answers): Chat") in warnings
    for needle in ("::Q5::", "::Q1::"):  # the two blocks followed by `";`
        assert (f"line {line_of(source, needle)}: stray text after the answer block "
                "ignored: '\";'") in warnings


# ---------------------------------------------------------------- YAML


def test_quiz_yaml_loads_back_to_the_same_questions(text, result):
    dumped, report = quiz_yaml_from_gift(text, "kuis-impor", "Kuis Impor", kind="pretest")
    data = yaml.safe_load(dumped)
    assert list(data) == ["slug", "title", "kind", "questions"]
    assert (data["slug"], data["title"], data["kind"]) == ("kuis-impor", "Kuis Impor", "pretest")
    assert data["questions"] == report.questions == result.questions
    assert list(data["questions"][0]) == ["type", "prompt", "points", "options", "explanation"]
    assert "Undang-undang pokok tentang HAM" in dumped  # allow_unicode, no escapes
    assert yaml.safe_dump(report.questions)  # plain data, safe to dump as is


def test_quiz_yaml_passes_the_content_checker(tmp_path, text):
    dumped, _ = quiz_yaml_from_gift(text, "kuis-impor", "Kuis: Impor")
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "kuis-impor.yaml").write_text(dumped, encoding="utf-8")
    curriculum = load_curriculum(tmp_path)
    assert [p for p in curriculum.problems if p.path.startswith("quizzes/")] == []
    assert len(curriculum.quizzes["kuis-impor"].questions) == 21


# ---------------------------------------------------------------- export and round trip

EVERY_TYPE = {
    "slug": "kuis-semua-tipe",
    "title": "Kuis: Semua Tipe",
    "questions": [
        {"type": "single", "prompt": "Nomor layanan LPSK?", "module": "modul-1",
         "explanation": "LPSK 148.",
         "options": [{"text": "129", "feedback": "Itu SAPA."},
                     {"text": "148", "correct": True, "feedback": "Benar, LPSK."},
                     {"text": "112", "correct": False}]},
        {"type": "multiple", "prompt": "Lembaga mana yang menerima pengaduan?",
         "options": [{"text": "Komnas HAM", "correct": True},
                     {"text": "Ombudsman RI", "correct": True},
                     {"text": "LBH", "correct": True},
                     {"text": "Satpol PP", "feedback": "Bukan lembaga pengaduan."}]},
        {"type": "true_false", "prompt": "Paralegal boleh bersidang sendirian.", "answer": False,
         "explanation": "Paralegal tidak beracara di pengadilan."},
        {"type": "ordering", "prompt": "Urutkan langkah penanganan.",
         "items": ["Menerima pengaduan", "Menilai keamanan", "Merujuk"]},
        {"type": "matching", "prompt": "Pasangkan lembaga dan perannya.",
         "pairs": [["LPSK", "Perlindungan saksi: dan korban"],
                   ["KPAI", "Pengawasan perlindungan anak"]]},
        {"type": "short", "prompt": "Layanan SAPA berapa?", "answers": ["129", "SAPA 129", "1*2"]},
        {"type": "numeric", "prompt": "Berapa jam paling lama penangkapan?", "value": 24,
         "tolerance": 0, "explanation": "1x24 jam."},
        {"type": "numeric", "prompt": "Berapa persen?", "value": 2.5, "tolerance": 0.25},
        {"type": "essay", "prompt": "Apa langkah pertama Anda?", "points": 4,
         "explanation": "Keamanan dan persetujuan.",
         "rubric": [{"criterion": "Menilai keamanan", "points": 2},
                    {"criterion": "Meminta persetujuan", "points": 2}]},
        {"type": "single", "prompt": "Rumus {a} = b: c ~ d # e \\ f?\n\n**Pilih** satu.",
         "options": [{"text": "x = {y}", "correct": True, "feedback": "Ya # itu\nbenar"},
                     {"text": "~z: w"}]},
    ],
}


def comparable(question: dict) -> dict:
    """The keys a round trip must keep, with our format's defaults filled in."""
    kept = {key: question[key] for key in ROUND_TRIP_KEYS if question.get(key) is not None}
    if question["type"] == "numeric":
        kept.setdefault("tolerance", 0)
    if "options" in question:
        kept["options"] = [{"text": o["text"], "correct": bool(o.get("correct")),
                            "feedback": o.get("feedback")} for o in question["options"]]
    return kept


def test_export_then_import_gives_back_the_same_questions():
    gift, notes = export_gift(EVERY_TYPE)
    result = parse_gift(gift)
    expected = [comparable(q) for q in EVERY_TYPE["questions"] if q["type"] != "ordering"]
    assert [comparable(q) for q in result.questions] == expected
    assert result.skipped == []
    # Our export uses our own partial-credit weights, so nothing is approximated on the way back.
    assert all(w.message.startswith("rubric added") for w in result.warnings)


def test_export_reports_what_gift_cannot_hold():
    gift, notes = export_gift(EVERY_TYPE)
    assert notes == [
        "question 4 (ordering) not exported: GIFT has no ordering question type",
        "question 9 (essay): points (4) not exported, GIFT has no points; set the question's "
        "default mark in Moodle",
        "question 9 (essay): rubric not exported (GIFT essays have no rubric); it is written "
        "as a `// rubric:` comment",
    ]
    assert "Urutkan" not in gift
    lines = gift.splitlines()
    essay = next(i for i, line in enumerate(lines) if "Apa langkah pertama" in line)
    assert lines[essay - 1] == "// rubric: Menilai keamanan (2); Meminta persetujuan (2)"
    assert lines[essay - 2] == "// points: 4"


def test_export_layout():
    gift, _ = export_gift(EVERY_TYPE)
    assert gift.startswith("// Kuis: Semua Tipe (kuis-semua-tipe): exported from Paralegal LMS")
    assert "// module: modul-1\n[markdown]Nomor layanan LPSK?{\n\t~129#Itu SAPA.\n" \
           "\t=148#Benar, LPSK.\n\t~112\n\t####LPSK 148.\n}" in gift
    # Three correct options: +1/3 each, a wrong one -1/3, as our grading counts them.
    assert "\t~%33.33333%Komnas HAM\n" in gift and "\t~%-33.33333%Satpol PP#" in gift
    assert "{FALSE####Paralegal tidak beracara di pengadilan.}" in gift
    assert "{#24####1x24 jam.}" in gift and "{#2.5:0.25}" in gift
    assert "\t=1\\*2\n" in gift  # a literal asterisk, not Moodle's wildcard
    assert "[markdown]Rumus \\{a\\} \\= b\\: c \\~ d \\# e \\\\ f?\\n\\n**Pilih** satu.{" in gift


def test_export_refuses_text_gift_would_misread():
    quiz = {"slug": "q", "title": "Q", "questions": [
        {"type": "single", "prompt": "Arah?", "options": [{"text": "A -> B", "correct": True},
                                                          {"text": "B"}]},
        {"type": "short", "prompt": "Bobot?", "answers": ["%50%"]},
        {"type": "true_false", "prompt": "Benar?", "answer": True},
        # General feedback is read apart from the answers: an arrow or a weight there is fine.
        {"type": "short", "prompt": "Panah?", "answers": ["a"], "explanation": "%5% a -> b"},
    ]}
    gift, notes = export_gift(quiz)
    assert len(notes) == 2
    assert notes[0].startswith("question 1 (single) not exported: the text 'A -> B' would be "
                               "read as GIFT syntax")
    assert notes[1].startswith("question 2 (short) not exported")
    imported = parse_gift(gift).questions
    assert [q["prompt"] for q in imported] == ["Benar?", "Panah?"]
    assert imported[1]["explanation"] == "%5% a -> b"


def test_moodle_fixture_survives_a_round_trip(moodle):
    _, result = moodle
    gift, notes = export_gift({"slug": "moodle", "title": "Moodle", "questions":
                               result.questions})
    assert notes == ["question 1 (essay): rubric not exported (GIFT essays have no rubric); "
                     "it is written as a `// rubric:` comment"]
    again = parse_gift(gift)
    assert [comparable(q) for q in again.questions] == [comparable(q) for q in result.questions]
