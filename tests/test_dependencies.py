"""The lock file that `make setup` installs from covers pyproject.toml, with hashes."""
import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO_ROOT


def _locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes), from requirements.lock."""
    text = (REPO_ROOT / "requirements.lock").read_text()
    entries = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9._-]+)==([^\s\\;]+)", block)
        if match:
            entries[canonicalize_name(match[1])] = (match[2], block.count("--hash=sha256:"))
    return entries


def test_every_dependency_is_locked_with_hashes_at_an_allowed_version():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    wanted = project["project"]["dependencies"] + project["project"]["optional-dependencies"]["test"]
    wanted += project["build-system"]["requires"]
    locked = _locked()
    assert len(locked) > 50
    for line in wanted:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in requirements.lock: run `make lock`"
        version, hashes = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), \
            f"requirements.lock has {name} {version}, pyproject.toml wants {requirement.specifier}: run `make lock`"
    assert all(hashes for _version, hashes in locked.values())


def test_setup_installs_from_the_lock_with_hashes_required():
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements.lock" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
