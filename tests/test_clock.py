"""The hybrid logical clock orders changes even when wall clocks disagree."""

from __future__ import annotations

from models.clock import HybridClock, decode
from models.paths import redact_address, resolve_db


def test_monotonic_when_wall_clock_goes_back():
    # Wall times in the valid range (issue 11: a 1970 clock is lifted to 2000-01-01).
    base = 1_800_000_000.0
    times = iter([base + 100.0, base + 100.0, base + 99.0, base + 101.0])
    clock = HybridClock("dev-a", wall=lambda: next(times))
    stamps = [clock.now() for _ in range(4)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    assert decode(stamps[2])[0] == int((base + 100.0) * 1000)


def test_observe_moves_past_a_remote_clock():
    local = HybridClock("dev-a", wall=lambda: 1_800_000_010.0)
    remote = HybridClock("dev-b", wall=lambda: 1_800_000_050.0).now()
    local.observe(remote)
    assert local.now() > remote


def test_text_order_is_time_order_across_magnitudes():
    a = HybridClock("x", wall=lambda: 999_999_999.999).now()
    b = HybridClock("x", wall=lambda: 1_000_000_000.0).now()
    assert a < b


def test_database_target_resolution_and_redaction():
    assert resolve_db("a.db", {"UDVIKLINGSDAG_DB": "b.db"}) == "a.db"
    assert resolve_db(None, {"UDVIKLINGSDAG_DB": "b.db"}) == "b.db"
    assert resolve_db(None, {}).endswith("udviklingsdag.db")
    shown = redact_address("postgresql://tov:hemmelig@db.example/udv")
    assert "hemmelig" not in shown and "tov" in shown
