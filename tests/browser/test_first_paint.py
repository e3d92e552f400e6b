"""A module page on a throttled slow-3G phone paints after one round trip, like a bare page."""
import statistics

import pytest

from bench.first_paint import CRITICAL_BYTES, bare_app, first_paint, serve, throttle
from lms.config import REPO_ROOT
from tests.browser.conftest import DEMO_PASSWORD, sign_in

pytestmark = pytest.mark.browser


def test_a_module_paints_on_slow_3g_without_waiting_for_a_stylesheet(live_server, phone, demo):
    bare_url, server = serve(bare_app((REPO_ROOT / "static" / "site.css").read_text()))
    try:
        sign_in(phone, live_server, "trainee2", DEMO_PASSWORD)
        throttle(phone)
        module, bare, linked = [], [], []
        for _run in range(3):
            module.append(first_paint(phone, f"{live_server}/learn/modules/modul-1"))
            assert phone.locator("h1").inner_text() == "Modul Uji 1"   # signed in, the module
            bare.append(first_paint(phone, f"{bare_url}/"))
            linked.append(first_paint(phone, f"{bare_url}/linked"))
    finally:
        server.shutdown()
    assert all(m["blocking"] == [] for m in module)          # nothing to fetch before painting
    assert all(m["bytes"] < CRITICAL_BYTES for m in module)   # the first flights carry it all
    fcp = statistics.median(m["fcp"] for m in module)
    base = statistics.median(b["fcp"] for b in bare)
    # The emulated round trip is 400 ms: a linked stylesheet costs one more (about 2x), the
    # target is 1.2x; the margin here absorbs a busy shared machine, not a second round trip.
    assert statistics.median(x["fcp"] for x in linked) > base + 300
    assert fcp < base * 1.5, (fcp, base)
