import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from actions.settings import (
    AFTERCARE_SCHEDULE_FILE,
    CLINIC_SETTINGS_FILE,
    PROJECT_ROOT,
    ClinicSettings,
    SettingsError,
    load_aftercare_schedule,
    load_clinic_settings,
)

SHIPPED_SCHEDULE = yaml.safe_load(AFTERCARE_SCHEDULE_FILE.read_text(encoding="utf-8"))


def write(tmp_path: Path, content) -> Path:
    path = tmp_path / "settings.yml"
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content), encoding="utf-8")
    return path


def schedule_with(change) -> dict:
    """A copy of the shipped schedule with change(copy) applied."""
    data = copy.deepcopy(SHIPPED_SCHEDULE)
    change(data)
    return data


def assert_error(load, path: Path, *expected_parts: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    for part in expected_parts:
        assert part in message, message


# --- shipped files ------------------------------------------------------------


def test_shipped_schedule_loads():
    schedule = load_aftercare_schedule(AFTERCARE_SCHEDULE_FILE)
    assert [(p.first_day, p.last_day) for p in schedule.phases] == [
        (0, 0),
        (1, 2),
        (3, 6),
        (7, 13),
        (14, 27),
        (28, None),
    ]
    assert schedule.max_days_past == 365 and schedule.max_days_ahead == 365
    assert all(p.now and p.next for p in schedule.phases)
    assert schedule.upcoming and schedule.general


def test_shipped_clinic_settings_are_generic():
    assert load_clinic_settings(CLINIC_SETTINGS_FILE) == ClinicSettings(
        name=None,
        booking_url=None,
        phone=None,
        email=None,
        opening_hours=None,
        timezone="Europe/London",
        suggestion_cooldown_turns=4,
    )


def test_environment_variable_overrides_default_path(tmp_path, monkeypatch):
    path = write(tmp_path, {"name": "Example Skin Clinic"})
    monkeypatch.setenv("CLINIC_SETTINGS_FILE", str(path))
    assert load_clinic_settings().name == "Example Skin Clinic"


# --- file-level problems (both loaders) ---------------------------------------


@pytest.mark.parametrize("load", [load_aftercare_schedule, load_clinic_settings])
def test_missing_file(tmp_path, load):
    assert_error(load, tmp_path / "nope.yml", "(file)", "not found")


@pytest.mark.parametrize("load", [load_aftercare_schedule, load_clinic_settings])
def test_bad_yaml_syntax_names_the_line(tmp_path, load):
    path = write(tmp_path, "name: ok\nphone: [unclosed\nemail: x\n")
    assert_error(load, path, "line 3", "not valid YAML")


@pytest.mark.parametrize("load", [load_aftercare_schedule, load_clinic_settings])
def test_top_level_list(tmp_path, load):
    assert_error(load, write(tmp_path, "- a\n- b\n"), "(top level)", "mapping", "list")


@pytest.mark.parametrize(
    "load, content, field",
    [
        (load_aftercare_schedule, {"phase": []}, "phase"),
        (load_clinic_settings, {"booking_link": "https://example.com"}, "booking_link"),
    ],
)
def test_unknown_key(tmp_path, load, content, field):
    assert_error(load, write(tmp_path, content), f": {field}: ", "unknown field")


# --- aftercare schedule -------------------------------------------------------


def test_empty_schedule_file(tmp_path):
    assert_error(load_aftercare_schedule, write(tmp_path, ""), "(top level)", "empty")


@pytest.mark.parametrize(
    "change, field, problem",
    [
        (lambda d: d.pop("phases"), "phases", "missing required field"),
        (lambda d: d.update(phases=[]), "phases", "non-empty list"),
        (lambda d: d.pop("general"), "general", "missing required field"),
        (lambda d: d["phases"][1].pop("now"), "phases[1].now", "missing required field"),
        (lambda d: d["phases"][2].update(first_day=4), "phases[2].first_day", "gap"),
        (lambda d: d["phases"][2].update(first_day=2), "phases[2].first_day", "overlap"),
        (lambda d: d["phases"][0].update(first_day=1, last_day=1), "phases[0].first_day", "start at day 0"),
        (lambda d: d["phases"][2].update(last_day=None), "phases[2].last_day", "only the last phase"),
        (lambda d: d["phases"][-1].update(last_day=60), "phases[5].last_day", "must be open-ended"),
        (
            lambda d: d["phases"][2].update(last_day="abc"),
            "phases[2].last_day",
            "must be an integer >= first_day (got 'abc')",
        ),
        (lambda d: d["phases"][2].update(last_day=2), "phases[2].last_day", ">= first_day"),
        (lambda d: d["phases"][1].update(first_day=True), "phases[1].first_day", "whole number"),
        (lambda d: d.update(max_days_past=True), "max_days_past", "whole number >= 1"),
        (lambda d: d.update(max_days_ahead=0), "max_days_ahead", "whole number >= 1"),
        (lambda d: d.update(max_days_past="365"), "max_days_past", "whole number >= 1"),
        (lambda d: d["phases"][3].update(now="   "), "phases[3].now", "non-empty text"),
        (lambda d: d.update(upcoming=""), "upcoming", "non-empty text"),
        (lambda d: d["phases"][4].update(next=42), "phases[4].next", "non-empty text"),
        (lambda d: d["phases"][4].update(name="second_week"), "phases[4].name", "duplicate phase name 'second_week'"),
        (lambda d: d["phases"][0].update(notes="x"), "phases[0].notes", "unknown field"),
        (lambda d: d["phases"].__setitem__(1, "days 1-2"), "phases[1]", "mapping"),
    ],
)
def test_broken_schedule(tmp_path, change, field, problem):
    path = write(tmp_path, schedule_with(change))
    assert_error(load_aftercare_schedule, path, f": {field}: ", problem)


def test_last_day_key_must_be_present_even_when_null(tmp_path):
    path = write(tmp_path, schedule_with(lambda d: d["phases"][-1].pop("last_day")))
    assert_error(load_aftercare_schedule, path, ": phases[5].last_day: ", "missing required field")


# --- clinic settings ----------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "",
        "# only comments\n",
        {
            key: None
            for key in (
                "name",
                "booking_url",
                "phone",
                "email",
                "opening_hours",
                "timezone",
                "suggestion_cooldown_turns",
            )
        },
        {"name": "   ", "phone": ""},
    ],
)
def test_empty_clinic_settings_are_generic(tmp_path, content):
    settings = load_clinic_settings(write(tmp_path, content))
    assert settings == ClinicSettings(None, None, None, None, None, "Europe/London", 4)


def test_full_clinic_settings(tmp_path):
    content = {
        "name": " Example Skin Clinic ",
        "booking_url": "https://example.com/book?x=1",
        "phone": "+44 (0)20 7946-0000",
        "email": "hello@example.co.uk",
        "opening_hours": "Mon-Fri 9:00-17:00",
        "timezone": "Pacific/Auckland",
        "suggestion_cooldown_turns": 0,
    }
    settings = load_clinic_settings(write(tmp_path, content))
    assert settings.name == "Example Skin Clinic"
    assert settings.phone == "+44 (0)20 7946-0000"
    assert settings.timezone == "Pacific/Auckland"
    assert settings.suggestion_cooldown_turns == 0


@pytest.mark.parametrize(
    "field, value, problem",
    [
        ("booking_url", "javascript:alert(1)", "http:// or https://"),
        ("booking_url", "www.example.com", "http:// or https://"),
        ("booking_url", "https://", "http:// or https://"),
        ("email", "hello@example", "name@example.com"),
        ("email", "not an email", "name@example.com"),
        ("phone", "call 0207 946 0000", "only digits"),
        ("phone", "12345", "at least 6 digits"),
        ("phone", 2079460000, "must be text"),
        ("timezone", "Mars/Olympus", "IANA timezone"),
        ("timezone", "../etc/passwd", "IANA timezone"),
        ("suggestion_cooldown_turns", -1, "whole number >= 0"),
        ("suggestion_cooldown_turns", True, "whole number >= 0"),
        ("name", ["a", "b"], "must be text"),
    ],
)
def test_broken_clinic_settings(tmp_path, field, value, problem):
    path = write(tmp_path, {field: value})
    assert_error(load_clinic_settings, path, f": {field}: ", problem)


# --- python -m actions.settings -----------------------------------------------


def run_settings_check(**env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("AFTERCARE_SCHEDULE_FILE", "CLINIC_SETTINGS_FILE")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "actions.settings"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_check_passes_on_shipped_files():
    result = run_settings_check()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"settings OK: {AFTERCARE_SCHEDULE_FILE}, {CLINIC_SETTINGS_FILE}"


def test_settings_check_fails_cleanly_on_broken_file(tmp_path):
    broken = write(tmp_path, schedule_with(lambda d: d["phases"][2].update(first_day=5)))
    result = run_settings_check(AFTERCARE_SCHEDULE_FILE=str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"{broken}: phases[2].first_day: gap with the previous phase: must be 3, "
        "the day after phases[1].last_day (got 5)"
    ]
