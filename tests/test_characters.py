"""One fictional name, one person, across the whole curriculum.

The curriculum tells many short stories. When the same name is used for a transpuan victim in one
module, a paralegal in another and a trafficker in a quiz, trainees who meet the name again are
confused, and a careless edit can put words in the wrong person's mouth. This registry gives each
recurring character one identity and the files where that person appears.

How to use it:
- Before you give a person a name, grep modules, roleplays and quizzes for it. Pick a name that is
  not used anywhere yet (and never a real volunteer from the source documents, see
  tests/test_curriculum.py::SEED_PEOPLE).
- The same person appears in a new file: add the file to ALLOWED_FILES for that name.
- A different person: give them a fresh name. Do not add the file here.
- A new recurring character: add them to CHARACTERS and ALLOWED_FILES.

Names are matched case-sensitively as whole words, so "Sari" does not match "Karangsari".
"""
import re
import warnings

import pytest

from lms.config import REPO_ROOT

FOLDERS = ("modules", "roleplays", "quizzes")

# Who each recurring character is, in a few English words.
CHARACTERS = {
    # --- role-plays --------------------------------------------------------------------------
    "Tania": "sex worker calling the night hotline, hit by her boyfriend Anton",
    "Anton": "Tania's violent boyfriend",
    "Asih": "coordinator of the rapid-response team (Kak Asih)",
    "Dewi": "sex worker raped by a client, reporting it to the police",
    "Hendra": "police desk officer at the SPKT, Polres Karangsari (Bripka Hendra)",
    "Ratna": "woman investigator, PPA unit, Polres Karangsari (Ipda Ratna)",
    "Darto": "head of enforcement, Satpol PP Kota Karangsari (Pak Darto)",
    "Tuti": "sex worker and mother of a 4-year-old, held after a Satpol PP raid",
    "Ulya": "girl, 16, held in the same Satpol PP raid",
    "Yayuk": "rooming-house owner in Kota Karangsari whose tenants include sex workers (Bu Yayuk)",
    "Tyas": "domestic worker, 19, from Desa Sukamaju, raped by her employer's son",
    "Lina": "Tyas's friend, a factory worker who shares her room",
    "Wening": "intake officer, UPTD PPA Kota Karangsari (Bu Wening)",
    "Putri": "girl, 14, sexually exploited online by 'Kak Bima'",
    "Lestari": "Putri's mother, a market trader (Bu Lestari)",
    "Beni": "Bu Lestari's live-in partner (Om Beni)",
    "Bima": "online groomer who exploited Putri (Kak Bima)",
    "Hana": "psychologist, UPTD PPA Kota Karangsari (Bu Hana)",
    "Nadia": "trafficked girl, 16, discussed at a case conference",
    "Rahma": "case manager, UPTD PPA Kota Karangsari (Bu Rahma)",
    "Yoga": "investigator, PPA unit, Polres Karangsari (Aipda Yoga)",
    "Fajar": "social worker, Dinas Sosial Kota Karangsari (Mas Fajar)",
    "Yohana": "deputy head teacher at Nadia's school (Bu Yohana)",
    "Harun": "village head of Desa Sukamaju (Pak Harun)",
    "Jefri": "informal migrant-work recruiter in Desa Sukamaju (Bang Jefri)",
    "Tika": "girl, 17, in Desa Sukamaju, about to migrate on a falsified ID",
    "Warsih": "returned migrant worker in Desa Sukamaju (Bu Warsih)",
    "Wulan": "transpuan, 26, beaten by her boyfriend Dimas, wants to withdraw her report",
    "Dimas": "Wulan's violent boyfriend",
    "Sumi": "Dimas's mother (Bu Sumi)",
    "Intan": "leader of the local waria group (Kak Intan)",
    # --- modules -----------------------------------------------------------------------------
    "Yuli": "transpuan in Desa Sukamaju, beaten by a mob (SOGIE examples)",
    "Tiara": "Yuli's transpuan friend",
    "Rina": "girl, 14, in Kota Karangsari, victim of online sexual extortion",
    "Sari": "sex worker in Kota Karangsari abused by her boyfriend Rudi",
    "Rudi": "Sari's abusive boyfriend",
    "Ningsih": "village cadre (posyandu, PATBM, village task force) in Desa Sukamaju (Bu Ningsih)",
    "Wiwik": "paralegal of the sex-worker network in Kota Karangsari (hotline, accompaniment)",
    "Vivi": "woman hit by her boyfriend, helped through the hotline",
    "Tasya": "transpuan, 27, extorted by two men in uniform",
    "Yola": "waria slapped and held overnight after a raid",
    "Utami": "young volunteer harassed by a senior activist",
    "Wawan": "senior activist accused of harassment (Pak Wawan)",
    "Widya": "paralegal coordinator in Kota Karangsari (Bu Widya)",
    "Tiwi": "girl, 16, in Desa Sukamaju, recruited with a falsified ID",
    "Zahra": "girl, 15, found with a go-between in a guesthouse",
    "Zulfa": "girl, 16, found with Zahra in the same guesthouse",
    "Vera": "sex worker found dead in her rented room",
    "Ulfa": "tenant in Desa Sukamaju whose ID and phone were held by her landlord",
    "Teguh": "Ulfa's landlord (Pak Teguh)",
    "Yeni": "girl, 17, from Desa Sukamaju, trafficked as a domestic worker",
    "Usman": "sponsor who recruited Yeni (Pak Usman)",
    "Winda": "sex worker, 30, referred to UPTD PPA after violence by her partner",
    "Uci": "sex worker threatened by her ex-partner after reporting him",
    "Umi": "returned trafficking victim from Desa Sukamaju",
    "Wartini": "sex worker, 35, beaten by a client",
    "Yasmin": "girl, 13, from Desa Sukamaju, sexually exploited, taken for PEP",
    "Zaskia": "girl, 12, whose father talks over her",
    "Vina": "girl, 16, caught in a cafe raid and put in an adult shelter",
    "Yudi": "village council (BPD) member in Desa Sukamaju (Pak Yudi)",
    "Zainal": "religious leader on the Desa Sukamaju task force (Pak Zainal)",
    "Tumini": "returned migrant worker on the Desa Sukamaju task force (Bu Tumini)",
}

_RP = "roleplays/"
_M = "modules/"
_Q = "quizzes/"

# The files each character may appear in (the same person every time).
ALLOWED_FILES = {
    "Tania": [_RP + "rp-hotline.md"],
    "Anton": [_RP + "rp-hotline.md"],
    "Asih": [_RP + "rp-hotline.md"],
    "Dewi": [_RP + "rp-pendampingan-lapor-polisi.md", _M + "ham-pekerja-seks.md"],
    "Hendra": [_RP + "rp-pendampingan-lapor-polisi.md"],
    "Ratna": [_RP + "rp-pendampingan-lapor-polisi.md"],
    "Darto": [_RP + "rp-negosiasi-pembebasan-razia.md"],
    "Tuti": [_RP + "rp-negosiasi-pembebasan-razia.md"],
    "Ulya": [_RP + "rp-negosiasi-pembebasan-razia.md"],
    "Yayuk": [_RP + "rp-negosiasi-pembebasan-razia.md", _M + "sistem-hukum-indonesia.md"],
    "Tyas": [_RP + "rp-rujukan-uptd-ppa.md"],
    "Lina": [_RP + "rp-rujukan-uptd-ppa.md"],
    "Wening": [_RP + "rp-rujukan-uptd-ppa.md"],
    "Putri": [_RP + "rp-wawancara-anak.md"],
    "Lestari": [_RP + "rp-wawancara-anak.md"],
    "Beni": [_RP + "rp-wawancara-anak.md"],
    "Bima": [_RP + "rp-wawancara-anak.md"],
    "Hana": [_RP + "rp-wawancara-anak.md"],
    "Nadia": [_RP + "rp-konferensi-kasus.md"],
    "Rahma": [_RP + "rp-konferensi-kasus.md"],
    "Yoga": [_RP + "rp-konferensi-kasus.md"],
    "Fajar": [_RP + "rp-konferensi-kasus.md"],
    "Yohana": [_RP + "rp-konferensi-kasus.md"],
    "Harun": [_RP + "rp-sosialisasi-migrasi-aman.md"],
    "Jefri": [_RP + "rp-sosialisasi-migrasi-aman.md"],
    "Tika": [_RP + "rp-sosialisasi-migrasi-aman.md"],
    "Warsih": [_RP + "rp-sosialisasi-migrasi-aman.md"],
    "Wulan": [_RP + "rp-dukungan-korban-mencabut.md"],
    "Dimas": [_RP + "rp-dukungan-korban-mencabut.md"],
    "Sumi": [_RP + "rp-dukungan-korban-mencabut.md"],
    "Intan": [_RP + "rp-dukungan-korban-mencabut.md"],
    "Yuli": [_M + "sogie.md"],
    "Tiara": [_M + "sogie.md"],
    "Rina": [_M + "mengenal-esa.md", _M + "perlindungan-saksi-korban.md",
             _M + "reintegrasi-pendidikan.md"],
    "Sari": [_M + "hukum-pidana-perdata.md", _M + "sistem-peradilan-indonesia.md"],
    "Rudi": [_M + "hukum-pidana-perdata.md"],
    "Ningsih": [_M + "kelembagaan-pptppo-komunitas.md", _M + "pencegahan-tppo.md",
                _M + "layanan-kesehatan-ramah-anak.md", _M + "penanganan-korban-tppo.md"],
    "Wiwik": [_M + "alur-penanganan-kasus.md", _M + "mekanisme-pengaduan.md",
              _M + "upaya-paksa-kepolisian.md", _M + "p2tp2a-uptd-ppa.md",
              _M + "proses-rujukan.md", _M + "proses-hukum.md"],
    "Vivi": [_M + "alur-penanganan-kasus.md"],
    "Tasya": [_M + "mekanisme-pengaduan.md"],
    "Yola": [_M + "hak-asasi-manusia.md"],
    "Utami": [_M + "advokasi-dasar.md"],
    "Wawan": [_M + "advokasi-dasar.md"],
    "Widya": [_M + "advokasi-dasar.md", _M + "komnas-perempuan.md"],
    "Tiwi": [_M + "pencegahan-tppo.md"],
    "Zahra": [_M + "layanan-hukum-ramah-anak.md"],
    "Zulfa": [_M + "layanan-hukum-ramah-anak.md"],
    "Vera": [_M + "proses-hukum.md"],
    "Ulfa": [_M + "penyelesaian-sengketa-luar-pengadilan.md"],
    "Teguh": [_M + "penyelesaian-sengketa-luar-pengadilan.md"],
    "Yeni": [_M + "pengertian-unsur-tppo.md"],
    "Usman": [_M + "pengertian-unsur-tppo.md"],
    "Winda": [_M + "proses-rujukan.md"],
    "Uci": [_M + "kesepakatan-berjejaring.md"],
    "Umi": [_M + "penanganan-korban-tppo.md", _M + "prinsip-peran-pptppo.md"],
    "Wartini": [_M + "p2tp2a-uptd-ppa.md"],
    "Yasmin": [_M + "layanan-kesehatan-ramah-anak.md"],
    "Zaskia": [_M + "layanan-psikologis-ramah-anak.md"],
    "Vina": [_M + "rehabilitasi-sosial-esa.md"],
    "Yudi": [_M + "prinsip-peran-pptppo.md"],
    "Zainal": [_M + "kelembagaan-pptppo-komunitas.md"],
    "Tumini": [_M + "kelembagaan-pptppo-komunitas.md"],
}

# Temporary: quiz files that, when this registry was written, still used a registered name for a
# DIFFERENT person. The quiz owners are renaming those people. Delete an entry as soon as the quiz
# no longer uses the name (test_pending_quiz_renames_are_still_needed warns about stale ones).
# Never add a module or role-play here, and never add a new quiz: rename the person instead.
PENDING_QUIZ_RENAMES: dict[str, list[str]] = {}


def _files():
    for folder in FOLDERS:
        for path in sorted((REPO_ROOT / folder).glob("*.*")):
            if path.is_file():
                yield path.relative_to(REPO_ROOT).as_posix(), path.read_text(encoding="utf-8")


def _where(name, files):
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    return sorted(path for path, text in files if pattern.search(text))


@pytest.fixture(scope="module")
def files():
    return list(_files())


def test_the_registry_is_consistent():
    assert set(CHARACTERS) == set(ALLOWED_FILES), "every character needs an identity and a file list"
    assert set(PENDING_QUIZ_RENAMES) <= set(CHARACTERS)
    for name, allowed in ALLOWED_FILES.items():
        assert allowed, name
        assert any(not f.startswith(_Q) for f in allowed), \
            f"{name}: a registered character lives in a module or role-play"
        for f in allowed:
            assert (REPO_ROOT / f).is_file(), f"{name}: {f} does not exist"
    for name, pending in PENDING_QUIZ_RENAMES.items():
        assert all(f.startswith(_Q) for f in pending), f"{name}: only quizzes may be pending"
        assert not set(pending) & set(ALLOWED_FILES[name]), name


@pytest.mark.parametrize("name", sorted(CHARACTERS))
def test_each_name_is_one_person(name, files):
    allowed = set(ALLOWED_FILES[name]) | set(PENDING_QUIZ_RENAMES.get(name, ()))
    found = _where(name, files)
    assert found, f"{name} ({CHARACTERS[name]}) appears nowhere: remove it from the registry"
    unexpected = [f for f in found if f not in allowed]
    assert not unexpected, (
        f"{name} is registered as {CHARACTERS[name]!r} (files: {', '.join(ALLOWED_FILES[name])}) "
        f"but also appears in {', '.join(unexpected)}. If it is the same person, add the file to "
        f"ALLOWED_FILES[{name!r}]; if it is someone else, give them a name that is not used yet.")


def test_pending_quiz_renames_are_still_needed(files):
    stale = [f"{name}: {f}" for name, pending in PENDING_QUIZ_RENAMES.items()
             for f in pending if f not in _where(name, files)]
    if stale:
        warnings.warn("PENDING_QUIZ_RENAMES entries no longer needed, delete them: "
                      + "; ".join(stale))
