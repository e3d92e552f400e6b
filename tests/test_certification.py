"""Certification: issuing (idempotent, exceptions), revocation, the audit chain, the PDF and its
QR code, the Open Badges 3.0 credential, the public pages and the commands."""
import datetime as dt
import io
import json
import re
import zipfile

import pytest
import sqlalchemy as sa

from lms.accounts.models import LoginThrottle, User
from lms.certification import credential, service
from lms.certification.models import Certificate, CertificationRules
from lms.cohorts.models import Cohort
from lms.core import audit
from lms.extensions import db
from lms.practice.models import PracticeEntry
from lms.records.privacy import erase_person, export_person
from tests.conftest import PASSWORD, csrf_token
from tests.factories import make_person, world
from tests.helpers import count_queries, need_shared
from tests.test_cohorts import sign_in, token_of

SCHEMA = "interop/ob3/achievementcredential.schema.2024-07-30.json"
ALL_OFF = {"modules": False, "post_test_min": 0, "attendance_min": 0, "roleplays_min": 0, "rtl": False,
           "practice_min": 0}
BASE = "https://lms.example.org"


@pytest.fixture
def ids(app, synced):
    return world(app)


@pytest.fixture
def base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_BASE_URL", BASE)
    return BASE


def issue(app, ids, user_key="ta1", reason=None, rules=ALL_OFF):
    """Issue a certificate in cohort A (all rules off unless given); returns (id, code)."""
    with app.test_request_context():
        cohort = db.session.get(Cohort, ids["cohort_a"])
        if rules:
            service.change_rules(cohort, rules, ids["coord_a"])
        cert, _new = service.issue_one(cohort, db.session.get(User, ids[user_key]), ids["coord_a"], reason)
        db.session.commit()
        return cert.id, cert.code


def test_issuing_twice_makes_one_certificate_that_keeps_what_was_true(app, ids):
    first = issue(app, ids)
    second = issue(app, ids, rules=None)
    assert first == second
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1
        cert = db.session.get(Certificate, first[0])
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", cert.code)   # 24 random bytes = 192 bits
        assert (cert.printed_name, cert.cohort_name, cert.organisation_name) == ("Trainee-A1", "Angkatan A", "Org A")
        assert cert.track_slug == "dasar" and cert.modules == ["Modul Uji 1", "Modul Uji 2", "Modul Uji 3"]
        assert cert.rules_version == 2 and cert.rules == ALL_OFF and cert.issued_by == ids["coord_a"]
        assert {f["key"] for f in cert.facts} == set(ALL_OFF) and cert.exception_reason is None
        actions = [e.action for e in db.session.scalars(sa.select(audit.AuditEntry).order_by(audit.AuditEntry.seq))]
        assert actions == ["certification.rules_changed", "certification.issued"]


def test_a_trainee_who_misses_a_rule_is_certified_only_with_a_written_reason(app, ids):
    with app.test_request_context():
        cohort = db.session.get(Cohort, ids["cohort_a"])
        trainee = db.session.get(User, ids["ta1"])
        with pytest.raises(service.CertificationError, match="tulis alasan pengecualiannya"):
            service.issue_one(cohort, trainee, ids["coord_a"], reason="   ")
        cert, new = service.issue_one(cohort, trainee, ids["coord_a"], reason="Sakit dua minggu, tugas pengganti selesai.")
        assert new and cert.exception_reason == "Sakit dua minggu, tugas pengganti selesai."
        assert {f["key"] for f in cert.facts if f["on"] and not f["met"]} == set(ALL_OFF)
        entry = audit.entries_for(f"certificate:{cert.id}")[-1]
        assert entry.action == "certification.exception"
        assert entry.data["reason"] == cert.exception_reason and "attendance_min" in entry.data["unmet"]


def test_all_eligible_certifies_only_those_who_meet_the_rules(app, ids):
    with app.test_request_context():
        cohort = db.session.get(Cohort, ids["cohort_a"])
        service.change_rules(cohort, {**ALL_OFF, "practice_min": 1}, ids["coord_a"])
        db.session.add(PracticeEntry(cohort_id=cohort.id, user_id=ids["ta1"], done_on=dt.date(2026, 11, 2),
                                     kind="hotline", description="Piket.", signed_off_at=dt.datetime(2026, 11, 3)))
        issued = service.issue_all_eligible(cohort, ids["coord_a"])
        assert [c.user_id for c in issued] == [ids["ta1"]]
        assert service.issue_all_eligible(cohort, ids["coord_a"]) == []


def test_a_rules_change_makes_a_new_version_and_is_logged(app, ids):
    with app.app_context():
        cohort = db.session.get(Cohort, ids["cohort_a"])
        assert service.rules_for(cohort.id).version == 1
        rules = service.change_rules(cohort, {"attendance_min": 75, "post_test_min": None}, ids["coord_a"])
        assert rules.version == 2 and rules.attendance_min == 75 and rules.post_test_min == 70
        assert service.change_rules(cohort, {"attendance_min": 75}, ids["coord_a"]).version == 2  # no change
        entry = audit.entries_for(f"cohort:{cohort.id}")[0]
        assert entry.data["before"]["attendance_min"] == 80 and entry.data["after"]["attendance_min"] == 75
        with pytest.raises(ValueError):
            service.change_rules(cohort, {"attendance_min": 101}, ids["coord_a"])


def test_the_audit_chain_names_the_first_changed_or_removed_entry(app, ids):
    cert_id, _code = issue(app, ids)
    with app.app_context():
        service.revoke(db.session.get(Certificate, cert_id), "Salah terbit", ids["coord_a"])
        db.session.commit()
        assert audit.verify_chain().ok and audit.verify_chain().entries == 3
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    with app.app_context():
        # Someone edits the issue entry in the database: that entry is named.
        db.session.execute(sa.text("UPDATE audit_log SET target = 'certificate:999' WHERE seq = 2"))
        db.session.commit()
        report = audit.verify_chain()
        assert (report.ok, report.bad_seq) == (False, 2)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "entry 2" in result.output
    with app.app_context():
        db.session.execute(sa.text("UPDATE audit_log SET target = :t WHERE seq = 2"), {"t": f"certificate:{cert_id}"})
        db.session.commit()
        assert audit.verify_chain().ok
        # Removing an entry breaks the chain at the gap.
        db.session.execute(sa.text("DELETE FROM audit_log WHERE seq = 2"))
        db.session.commit()
        assert audit.verify_chain().bad_seq == 2
        # Recomputing the removed entry's successor to hide the gap does not help either.
        db.session.execute(sa.text("UPDATE audit_log SET seq = 2 WHERE seq = 3"))
        db.session.commit()
        assert audit.verify_chain().bad_seq == 2


def _qr_codes(pdf_bytes: bytes) -> list[str]:
    import pypdfium2
    import zxingcpp
    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        image = document[0].render(scale=2).to_pil()
        text = document[0].get_textpage().get_text_range()
        width, height = document[0].get_size()
    finally:
        document.close()
    assert width > height   # landscape
    return [r.text for r in zxingcpp.read_barcodes(image)], text


def test_the_pdf_is_a4_landscape_in_indonesian_and_its_qr_opens_the_verify_page(app, client, ids, base_url):
    cert_id, code = issue(app, ids)
    sign_in(client, "trainee-a1")
    response = client.get(f"/certificates/{cert_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    codes, text = _qr_codes(response.data)
    assert codes == [f"{BASE}/verify/{code}"]
    for expected in ("SERTIFIKAT", "Trainee-A1", "Org A", "Angkatan A", "Modul Uji 1", "Modul Uji 3",
                     "Koordinator Program", "Pimpinan Organisasi", "Diterbitkan"):
        assert expected in text
    assert "trainee-a1" not in text   # the username is not printed


def test_a_name_outside_latin_1_is_printed_with_the_embedded_font(app, ids):
    with app.test_request_context():
        service.set_printed_name(db.session.get(User, ids["ta1"]), "Nguyễn Thị Hằng", ids["coord_a"])
        db.session.commit()
    _cert_id, code = issue(app, ids)
    result = app.test_cli_runner().invoke(args=["cert", "pdf", code, "--out", str(app.instance_path) + "/c.pdf"])
    assert result.exit_code == 0
    with open(str(app.instance_path) + "/c.pdf", "rb") as f:
        data = f.read()
    codes, text = _qr_codes(data)
    assert "Nguyễn Thị Hằng" in text and codes[0].endswith(f"/verify/{code}")
    assert b"Roboto" in data


def test_the_credential_validates_against_the_schema_and_its_proof_verifies(app, client, ids, base_url, tmp_path):
    schema = need_shared(SCHEMA)
    _cert_id, code = issue(app, ids)
    response = client.get(f"/verify/{code}.json")
    assert response.status_code == 200 and response.headers["X-Robots-Tag"].startswith("noindex")
    document = response.get_json(force=True)
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["@context"][:2] == list(credential.CONTEXTS) and "issuanceDate" not in document
    assert document["id"] == f"{BASE}/verify/{code}.json" and document["issuer"]["id"] == f"{BASE}/issuers/{ids['org_a']}"
    assert document["credentialSubject"]["identifier"][0]["identityHash"] == "Trainee-A1"
    assert "trainee-a1" not in json.dumps(document)
    proof = document["proof"][0]
    assert (proof["type"], proof["cryptosuite"]) == ("DataIntegrityProof", "eddsa-rdfc-2022")
    assert credential.schema_errors(document, schema) == []

    # The issuer profile served by the site holds the key the proof names.
    profile = client.get(f"/issuers/{ids['org_a']}").get_json(force=True)
    method = profile["verificationMethod"][0]
    assert method["type"] == "Multikey" and method["id"] == proof["verificationMethod"]
    assert method["controller"] == document["issuer"]["id"]
    from openbadgeslib.ob3 import resolve_did
    public = resolve_did(f"did:key:{method['publicKeyMultibase']}")
    credential.verify(document, public, schema)

    changed = json.loads(json.dumps(document))
    changed["credentialSubject"]["identifier"][0]["identityHash"] = "Orang Lain"
    with pytest.raises(credential.CredentialInvalid, match="proof"):
        credential.verify(changed, public, schema)
    # The same certificate gives the same document every time (deterministic Ed25519).
    assert client.get(f"/verify/{code}.json").get_json(force=True) == document

    # Offline, from the command line.
    good, bad, broken = tmp_path / "good.json", tmp_path / "bad.json", tmp_path / "broken.json"
    good.write_text(json.dumps(document))
    bad.write_text(json.dumps(changed))
    broken_doc = json.loads(json.dumps(document))
    broken_doc["proof"][0]["proofValue"] = "z" + "1" * 87
    broken.write_text(json.dumps(broken_doc))
    key_file = tmp_path / "key.txt"
    key_file.write_text(method["publicKeyMultibase"])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cert", "verify", str(good), "--key", str(key_file), "--schema", str(schema)])
    assert result.exit_code == 0 and result.output.strip().endswith("valid")
    result = runner.invoke(args=["cert", "verify", str(bad), "--schema", str(schema)])
    assert result.exit_code != 0 and "proof" in result.output
    result = runner.invoke(args=["cert", "verify", str(broken), "--schema", str(schema)])
    assert result.exit_code != 0 and "proof" in result.output
    other = tmp_path / "other.pem"
    other.write_bytes(_other_public_key())
    result = runner.invoke(args=["cert", "verify", str(good), "--key", str(other), "--schema", str(schema)])
    assert result.exit_code != 0 and "key" in result.output
    no_schema = json.loads(json.dumps(document))
    del no_schema["validFrom"]
    (tmp_path / "no_schema.json").write_text(json.dumps(no_schema))
    result = runner.invoke(args=["cert", "verify", str(tmp_path / "no_schema.json"), "--schema", str(schema)])
    assert result.exit_code != 0 and "schema" in result.output


def _other_public_key() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    return Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_revocation_is_published_in_the_status_list(app, client, ids, base_url):
    from openbadgeslib.ob3 import decode_encoded_list, set_indices
    cert_id, code = issue(app, ids)
    document = client.get(f"/verify/{code}.json").get_json(force=True)
    entry = document["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    assert entry["statusListCredential"] == f"{BASE}/verify/status/{ids['org_a']}"
    path = entry["statusListCredential"][len(BASE):]

    def revoked_bits():
        listed = client.get(path).get_json(force=True)
        assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert listed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        return set_indices(decode_encoded_list(listed["credentialSubject"]["encodedList"]))

    assert int(entry["statusListIndex"]) not in revoked_bits()
    with app.app_context():
        service.revoke(db.session.get(Certificate, cert_id), "Data palsu", ids["coord_a"])
        db.session.commit()
    assert int(entry["statusListIndex"]) in revoked_bits()


def test_the_public_page_says_valid_revoked_or_unknown_and_nothing_more(app, client, ids):
    cert_id, code = issue(app, ids)
    page = client.get(f"/verify/{code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "SAH" in html
    for shown in ("Trainee-A1", "Org A", "Angkatan A", "Dasar Paralegal"):
        assert shown in html
    assert '<meta name="robots" content="noindex' in html and page.headers["X-Robots-Tag"].startswith("noindex")
    assert "trainee-a1" not in html and "Keluar" not in html   # no username, nobody signed in

    with app.app_context():
        service.revoke(db.session.get(Certificate, cert_id), "Data palsu", ids["coord_a"])
        db.session.commit()
        revoked_on = db.session.get(Certificate, cert_id).revoked_at
    html = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "DICABUT" in html and str(revoked_on.year) in html and "SAH." not in html

    unknown = client.get("/verify/" + "x" * 32)
    text = unknown.get_data(as_text=True)
    assert unknown.status_code == 404 and "Sertifikat tidak ditemukan" in text
    assert "Trainee" not in text and "Org A" not in text
    assert client.get("/verify/" + "x" * 500).status_code == 404
    assert client.get("/verify/x.json").status_code == 404

    form = client.get("/verify")
    assert form.status_code == 200 and 'name="code"' in form.get_data(as_text=True)
    typed = client.get("/verify", query_string={"code": f"  https://lms.example.org/verify/{code} "})
    assert typed.status_code == 302 and typed.headers["Location"].endswith(f"/verify/{code}")
    assert client.get("/verify", query_string={"code": " / "}).status_code == 200   # nothing typed: the form again


def test_the_public_pages_are_rate_limited_per_address_in_the_database(app, client, ids, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_MAX_PER_ADDRESS", 3)
    _cert_id, code = issue(app, ids)
    statuses = [client.get(f"/verify/{code}").status_code, client.get("/verify/wrong").status_code,
                client.get(f"/verify/{code}.json").status_code, client.get(f"/verify/{code}").status_code,
                client.get(f"/verify/{code}.json").status_code]
    assert statuses == [200, 404, 200, 429, 429]
    assert "Terlalu banyak" in client.get(f"/verify/{code}").get_data(as_text=True)
    with app.app_context():
        row = db.session.get(LoginThrottle, "verify:127.0.0.1")
        assert row is not None and row.failures == 6   # every lookup counted, refused ones too
    other = app.test_client()
    assert other.get(f"/verify/{code}", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200


def test_coordinator_sets_rules_sees_why_and_certifies_through_the_pages(app, client, ids):
    sign_in(client, "coord-a")
    page = client.get(f"/cohorts/{ids['cohort_a']}/certification")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "belum ada sesi yang diabsen, kehadiran minimal 80%" in html
    token = csrf_token(html)
    bad = client.post(f"/cohorts/{ids['cohort_a']}/certification/rules",
                      data={"csrf_token": token, "attendance_min": "150", "modules": "y"})
    assert bad.status_code == 400
    saved = client.post(f"/cohorts/{ids['cohort_a']}/certification/rules", data={
        "csrf_token": token, "modules": "", "post_test_min": "0", "attendance_min": "0", "roleplays_min": "0",
        "practice_min": "0"})
    assert saved.status_code == 302
    with app.app_context():
        rules = db.session.get(CertificationRules, ids["cohort_a"])
        assert rules.as_dict() == ALL_OFF and rules.version == 2
    html = client.get(f"/cohorts/{ids['cohort_a']}/certification").get_data(as_text=True)
    assert "Terbitkan sertifikat untuk 2 peserta yang memenuhi syarat" in html
    person = f"/cohorts/{ids['cohort_a']}/certification/{ids['ta1']}"
    token = token_of(client, person)
    assert client.post(f"{person}/name", data={"csrf_token": token, "printed_name": "  Siti   Aminah "}).status_code == 302
    assert client.post(f"{person}/issue", data={"csrf_token": token}).status_code == 302
    assert client.post(f"{person}/issue", data={"csrf_token": token}).status_code == 302   # twice: one certificate
    with app.app_context():
        certs = db.session.scalars(sa.select(Certificate)).all()
        assert [(c.user_id, c.printed_name) for c in certs] == [(ids["ta1"], "Siti Aminah")]
    missing_reason = client.post(f"{person}/revoke", data={"csrf_token": token, "reason": " "})
    assert missing_reason.status_code == 400 and "Kolom ini wajib diisi." in missing_reason.get_data(as_text=True)
    assert client.post(f"{person}/revoke", data={"csrf_token": token, "reason": "Salah nama"}).status_code == 302
    with app.app_context():
        assert db.session.scalars(sa.select(Certificate)).one().revoked_reason == "Salah nama"

    # Back to the defaults: the other trainee now needs a reason.
    client.post(f"/cohorts/{ids['cohort_a']}/certification/rules", data={
        "csrf_token": token, "modules": "y", "post_test_min": "70", "attendance_min": "80", "roleplays_min": "1",
        "rtl": "y", "practice_min": "3"})
    other = f"/cohorts/{ids['cohort_a']}/certification/{ids['ta2']}"
    refused = client.post(f"{other}/issue", data={"csrf_token": token})
    assert refused.status_code == 400 and "tulis alasan pengecualiannya" in refused.get_data(as_text=True)
    assert client.post(f"{other}/issue", data={"csrf_token": token, "reason": "Keputusan rapat"}).status_code == 302
    archive = client.get(f"/cohorts/{ids['cohort_a']}/certification/certificates.zip")
    with zipfile.ZipFile(io.BytesIO(archive.data)) as z:
        names = z.namelist()
        assert len(names) == 2 and all(n.endswith(".pdf") and "trainee" not in n.lower() for n in names)
        assert z.read(names[0]).startswith(b"%PDF")


def test_the_trainee_home_says_what_is_left_then_offers_the_downloads(app, client, ids):
    sign_in(client, "trainee-a1")
    html = client.get("/learn/").get_data(as_text=True)
    assert "Yang masih perlu untuk sertifikat" in html and "praktik lapangan disahkan: 0, minimal 3" in html
    token = csrf_token(client.get("/learn/certificate-name").get_data(as_text=True))
    assert client.post("/learn/certificate-name", data={"csrf_token": token, "printed_name": "Melati Sari"}).status_code == 302
    assert "Melati Sari" in client.get("/learn/").get_data(as_text=True)
    cert_id, _code = issue(app, ids)
    html = client.get("/learn/").get_data(as_text=True)
    assert f"/certificates/{cert_id}.pdf" in html and f"/certificates/{cert_id}.json" in html
    assert "Yang masih perlu" not in html
    download = client.get(f"/certificates/{cert_id}.json")
    assert download.status_code == 200 and download.get_json(force=True)["credentialSubject"]["identifier"][0][
        "identityHash"] == "Melati Sari"
    # Another trainee cannot download it.
    other = app.test_client()
    sign_in(other, "trainee-a2")
    assert other.get(f"/certificates/{cert_id}.pdf").status_code == 404


def test_the_cohort_status_costs_the_same_queries_for_more_trainees(app, ids):
    def queries():
        with app.app_context(), count_queries(app) as statements:
            service.cohort_status(db.session.get(Cohort, ids["cohort_a"]))
        return len(statements)
    few = queries()
    with app.app_context():
        from lms.accounts.models import Organisation
        from lms.cohorts.models import Enrollment
        org = db.session.get(Organisation, ids["org_a"])
        for i in range(6):
            db.session.add(Enrollment(cohort_id=ids["cohort_a"], user_id=make_person(f"extra{i}", org=org).id))
        db.session.commit()
    assert queries() == few


def test_commands_show_and_change_rules_list_eligibility_issue_and_revoke(app, ids, base_url, tmp_path):
    runner = app.test_cli_runner()
    cohort = str(ids["cohort_a"])
    shown = runner.invoke(args=["cert", "rules", cohort])
    assert shown.exit_code == 0 and "attendance_min: 80" in shown.output and "version 1" in shown.output
    changed = runner.invoke(args=["cert", "rules", cohort, "--no-modules", "--post-test-min", "0",
                                  "--attendance-min", "0", "--roleplays-min", "0", "--no-rtl",
                                  "--practice-min", "0"])
    assert changed.exit_code == 0 and "version 2" in changed.output and "attendance_min: off" in changed.output
    runner.invoke(args=["cert", "rules", cohort, "--practice-min", "1"])
    rows = runner.invoke(args=["cert", "eligibility", cohort]).output.strip().splitlines()
    assert sorted(rows) == ["trainee-a1,no,praktik lapangan disahkan: 0, minimal 1",
                            "trainee-a2,no,praktik lapangan disahkan: 0, minimal 1"]
    assert runner.invoke(args=["cert", "issue", cohort, "--all-eligible"]).output == ""
    refused = runner.invoke(args=["cert", "issue", cohort, "--user", "trainee-a1"])
    assert refused.exit_code != 0 and "alasan" in refused.output
    issued = runner.invoke(args=["cert", "issue", cohort, "--user", "trainee-a1", "--reason", "Rapat 1 Des"])
    username, code, url = issued.output.strip().split(",")
    assert issued.exit_code == 0 and username == "trainee-a1" and url == f"{BASE}/verify/{code}"
    again = runner.invoke(args=["cert", "issue", cohort, "--user", "trainee-a1"])
    assert again.exit_code == 0 and again.stdout == "" and "already has a certificate" in again.stderr
    assert runner.invoke(args=["cert", "issue", cohort, "--user", "trainee-b1"]).exit_code != 0
    assert runner.invoke(args=["cert", "issue", cohort]).exit_code != 0
    out = tmp_path / "c.pdf"
    assert runner.invoke(args=["cert", "pdf", code, "--out", str(out)]).exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert runner.invoke(args=["cert", "revoke", code]).exit_code != 0   # a reason is required
    assert runner.invoke(args=["cert", "revoke", code, "--reason", "Uji"]).exit_code == 0
    assert runner.invoke(args=["cert", "pdf", code, "--out", str(out)]).exit_code == 0
    assert "DICABUT pada" in _qr_codes(out.read_bytes())[1]   # the PDF of a revoked certificate says so
    assert runner.invoke(args=["cert", "revoke", "nope", "--reason", "Uji"]).exit_code != 0
    with app.app_context():
        assert db.session.scalar(sa.select(Certificate.revoked_reason)) == "Uji"
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_export_and_erasure_cover_certificates(app, ids):
    cert_id, code = issue(app, ids)
    with app.test_request_context():
        user = db.session.get(User, ids["ta1"])
        service.set_printed_name(user, "Siti Aminah", ids["coord_a"])
        data = export_person(user)
        assert data["certification"]["certificates"][0]["code"] == code
        assert data["certification"]["printed_name"][0]["name"] == "Siti Aminah"
        erase_person(user)
        db.session.commit()
        cert = db.session.get(Certificate, cert_id)
        assert cert.printed_name == "[dihapus]" and cert.revoked_at is not None
        assert service.printed_name(user) == user.display_name
        assert audit.verify_chain().ok


def test_without_a_signing_key_the_credential_says_so_and_the_page_still_works(app, client, ids, monkeypatch):
    _cert_id, code = issue(app, ids)
    monkeypatch.setitem(app.config, "LMS_SIGNING_KEY", None)
    assert client.get(f"/verify/{code}.json").status_code == 503
    assert client.get(f"/verify/{code}").status_code == 200


def test_the_demo_has_an_eligible_and_a_not_yet_eligible_trainee_over_the_shipped_curriculum(app, client):
    from lms.config import REPO_ROOT
    from lms.content.loader import load_curriculum
    from lms.content.sync import sync_curriculum
    from lms.demo import create_demo_data
    from tests.helpers import compressed_page_weight
    with app.app_context():
        sync_curriculum(load_curriculum(REPO_ROOT))
        create_demo_data(PASSWORD)
        db.session.commit()
        create_demo_data(PASSWORD)   # idempotent
        db.session.commit()
        from lms.assessment.models import Attempt
        attempts = db.session.scalar(sa.select(sa.func.count()).select_from(Attempt))
    rows = app.test_cli_runner().invoke(args=["cert", "eligibility", "1"]).output.strip().splitlines()
    by_user = {row.split(",")[0]: row for row in rows}
    assert by_user["trainee1"] == "trainee1,yes,"
    assert by_user["trainee2"].startswith("trainee2,no,") and "kehadiran 3 dari 5 sesi = 60%" in by_user["trainee2"]
    # trainee1 took part in the demo's ended hotline role-play; trainee2 did not.
    assert "ikut bermain peran: 0 kali, minimal 1" in by_user["trainee2"]
    with app.app_context():
        create_demo_data(PASSWORD)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == attempts
    sign_in(client, "trainee2")
    assert "Yang masih perlu untuk sertifikat" in client.get("/learn/").get_data(as_text=True)
    assert compressed_page_weight(client, "/learn/") < 30 * 1024


def test_concurrent_writers_keep_one_unbroken_chain(app, ids):
    import threading
    writers = 6
    barrier = threading.Barrier(writers)
    errors = []

    def write(n):
        with app.app_context():
            try:
                barrier.wait()
                audit.record("test.concurrent", f"writer:{n}", None, {"n": n})
                db.session.commit()
            except Exception as exc:   # noqa: BLE001  (collected and asserted below)
                errors.append(exc)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        report = audit.verify_chain()
        assert report.ok and report.entries == writers
