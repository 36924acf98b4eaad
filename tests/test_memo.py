"""Keys of remembered results: the digests of the values, and of each unchanging array only once."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from grader.checks import memo
from grader.checks.memo import Memo, array_digest, unchanging, values_key


def frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@pytest.fixture
def digests(monkeypatch: pytest.MonkeyPatch) -> list[np.ndarray]:
    """The arrays hashed from now on, in order (each time one is hashed, not looked up)."""
    hashed: list[np.ndarray] = []
    digest = memo._digest

    def counting(array: np.ndarray) -> bytes:
        hashed.append(array)
        return digest(array)

    monkeypatch.setattr(memo, "_digest", counting)
    return hashed


def test_equal_values_give_equal_keys_and_any_difference_another() -> None:
    values = {"X": np.arange(6.0).reshape(2, 3), "w": np.ones((3, 1)), "steps": 3, "rate": 0.5}
    names = ("X", "w", "steps", "rate")
    key = values_key(values, names)
    same = {name: (v.copy() if isinstance(v, np.ndarray) else v) for name, v in values.items()}
    assert values_key(same, names) == key
    # A transposed copy holds the same elements in another order: not the same value.
    assert values_key({**values, "X": np.asfortranarray(values["X"])}, names) == key
    different = [
        {**values, "X": values["X"].reshape(3, 2)},
        {**values, "X": values["X"].astype(np.float32)},
        {**values, "X": values["X"] + 1e-12},
        {**values, "steps": 3.0},
        {**values, "rate": None},
        {**values, "X": values["w"], "w": values["X"]},
    ]
    assert len({key, *(values_key(v, names) for v in different)}) == len(different) + 1
    assert values_key(values, ("w", "X", "steps", "rate")) != key


def test_an_unchanging_array_is_hashed_once(digests: list[np.ndarray]) -> None:
    case = {"X": frozen(np.arange(6.0)), "y": frozen(np.ones(4))}
    first = values_key(case, ("X", "y"))
    # Fresh dicts around the same arrays, as the checks build them for each call.
    assert all(values_key({**case, "steps": 1}, ("X", "y")) == first for _ in range(5))
    assert [id(a) for a in digests] == [id(case["X"]), id(case["y"])]


def test_a_writable_array_is_hashed_each_time_and_its_changes_are_seen(digests: list[np.ndarray]) -> None:
    values = {"w": np.zeros(3)}
    before = values_key(values, ("w",))
    values["w"][1] = 2.0
    assert values_key(values, ("w",)) != before
    assert len(digests) == 2


def test_a_read_only_view_of_writable_memory_is_not_remembered(digests: list[np.ndarray]) -> None:
    base = np.zeros(4)
    view = frozen(base[:2])
    assert not unchanging(view)
    before = array_digest(view)
    base[0] = 1.0
    assert array_digest(view) != before
    assert len(digests) == 2
    # Once the memory it views is frozen too, it cannot change.
    frozen(base)
    assert unchanging(view)
    assert array_digest(view) == array_digest(view)
    assert len(digests) == 3


def test_an_array_found_writable_again_is_hashed_again_and_forgotten(digests: list[np.ndarray]) -> None:
    array = frozen(np.zeros(3))
    before = array_digest(array)
    array.flags.writeable = True
    array[0] = 5.0
    assert array_digest(array) != before
    array.flags.writeable = False
    assert array_digest(array) == array_digest(np.array([5.0, 0.0, 0.0]))


def test_an_arrays_digest_goes_with_it() -> None:
    array = frozen(np.arange(3.0))
    array_digest(array)
    key = id(array)
    assert key in memo._DIGESTS
    del array
    gc.collect()
    assert key not in memo._DIGESTS


def test_a_reused_identity_does_not_find_the_freed_arrays_digest() -> None:
    array = frozen(np.zeros(2))
    array_digest(array)
    key = id(array)
    # As if the array had been freed without its entry going: another array with the identity.
    other = frozen(np.ones(2))
    ref, digest = memo._DIGESTS[key]
    memo._DIGESTS[id(other)] = (ref, digest)
    assert array_digest(other) == array_digest(np.ones(2))
    assert array_digest(other) != digest


def test_remembered_results_are_frozen() -> None:
    remembered = Memo().get("k", lambda: (np.zeros(2), [np.ones(1)], {"a": np.ones(3)}))
    with pytest.raises(ValueError, match="read-only"):
        remembered[0][0] = 1.0
    assert unchanging(remembered[1][0]) and unchanging(remembered[2]["a"])
