"""Browser tests wait for the page a click loads before they read it.

`page.click` returns once the navigation it starts has committed: the document may still be
loading and its deferred scripts not yet run. `content()`, `evaluate()`, `is_visible()` and
`is_hidden()` read the page at once, so an assert on them straight after a click passes or
fails by timing (a CI run read the quiz result page's storage before its script had cleared
it). Use `expect(...)` (it retries) or `wait_for_url(...)` (it waits for the load event) first.
"""
import re
from pathlib import Path

BROWSER_TESTS = Path(__file__).parent / "browser"
READS_AT_ONCE = re.compile(r"^\s*assert\b.*(\.content\(\)|\.evaluate\(|\.is_visible\(\)|\.is_hidden\(\))")


def _reads_right_after_a_click(source: str) -> list[int]:
    """Line numbers of asserts that read the page among those straight after a click (comments
    and other asserts, such as on the URL, in between count as straight after)."""
    lines, found = source.splitlines(), []
    for n, line in enumerate(lines):
        if ".click(" not in line:
            continue
        for m in range(n + 1, len(lines)):
            text = lines[m].strip()
            if not text or text.startswith("#"):
                continue
            if not text.startswith("assert"):
                break
            if READS_AT_ONCE.match(lines[m]):
                found.append(m + 1)
    return found


def test_no_browser_test_reads_the_page_at_once_after_a_click():
    found = {path.name: lines for path in sorted(BROWSER_TESTS.glob("test_*.py"))
             if (lines := _reads_right_after_a_click(path.read_text()))}
    assert found == {}, f"wait for the page first (expect or wait_for_url): {found}"


def test_the_check_finds_the_pattern_it_forbids():
    assert _reads_right_after_a_click('page.click("a")\nassert "x" in page.content()\n') == [2]
    assert _reads_right_after_a_click('page.click("a")\nassert page.locator("p").is_hidden()\n') == [2]
    assert _reads_right_after_a_click('page.click("a")\nexpect(page.locator("p")).to_be_hidden()\n') == []
    # The CI failure's shape: an assert on the URL and a comment before the read.
    assert _reads_right_after_a_click('page.click("b")\nassert "/r" in page.url\n# done\n'
                                      'assert page.evaluate("1") == 1\n') == [4]
