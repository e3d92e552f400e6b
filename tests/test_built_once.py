"""Statements built once per process and shape, within a bound."""
from lms.core.built_once import BuiltOnce


def test_a_shape_is_built_once_and_the_cache_starts_again_past_its_limit():
    built = []
    cache = BuiltOnce(limit=2)

    def build(name):
        built.append(name)
        return f"statement {name}"
    assert cache.get("a", lambda: build("a")) == "statement a"
    assert cache.get("a", lambda: build("a")) == "statement a"
    assert built == ["a"]
    cache.get("b", lambda: build("b"))
    cache.get("c", lambda: build("c"))       # past the limit: the cache starts again
    cache.get("a", lambda: build("a"))
    assert built == ["a", "b", "c", "a"]
