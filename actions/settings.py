"""Load and validate the clinic-editable YAML settings.

Clinic staff edit these files by hand, so every problem is reported as
"<file>: <field>: <what is wrong>" instead of failing somewhere later.
"""

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Union
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The shipped defaults; the environment variables of the same name override them.
AFTERCARE_SCHEDULE_FILE = PROJECT_ROOT / "settings" / "aftercare_phases.yml"
CLINIC_SETTINGS_FILE = PROJECT_ROOT / "settings" / "clinic.yml"

DEFAULT_TIMEZONE = "Europe/London"
DEFAULT_SUGGESTION_COOLDOWN_TURNS = 4

PathLike = Union[Path, str]


class SettingsError(Exception):
    """A settings file is missing or wrong; the message says where and what."""

    def __init__(self, path: PathLike, field: str, problem: str):
        super().__init__(f"{path}: {field}: {problem}")


@dataclass(frozen=True)
class Phase:
    name: str
    first_day: int  # day 0 = the treatment day
    last_day: Optional[int]  # inclusive; None = open-ended (only the last phase)
    now: str  # what applies now
    next: str  # what comes next


@dataclass(frozen=True)
class AftercareSchedule:
    phases: Tuple[Phase, ...]
    upcoming: str  # for a future treatment: what to expect on the day and afterwards
    general: str  # general aftercare when the date is unknown
    max_days_past: int  # older than this = not a plausible recent treatment
    max_days_ahead: int  # further ahead than this = not plausible


@dataclass(frozen=True)
class CallbackRequestSettings:
    """Where a visitor's request to be contacted goes; with neither, requests are not offered."""

    email_to: Optional[str]
    webhook_url: Optional[str]
    country: str  # ISO 3166 code: phone numbers without a country code are read as from here
    retention_days: int  # delivered requests are removed after this many days

    @property
    def enabled(self) -> bool:
        return bool(self.email_to or self.webhook_url)


NO_CALLBACK_REQUESTS = CallbackRequestSettings(email_to=None, webhook_url=None, country="GB", retention_days=30)


@dataclass(frozen=True)
class ClinicSettings:
    name: Optional[str]
    booking_url: Optional[str]
    phone: Optional[str]
    email: Optional[str]
    opening_hours: Optional[str]
    timezone: str
    suggestion_cooldown_turns: int
    callback_requests: CallbackRequestSettings = field(default_factory=lambda: NO_CALLBACK_REQUESTS)


def _resolve_path(path: Optional[PathLike], env_var: str, default: Path) -> Path:
    if path is not None:
        return Path(path)
    return Path(os.environ.get(env_var) or default)


def _read_mapping(path: Path) -> Optional[Dict[str, Any]]:
    """The file's top-level mapping, or None for an empty file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(path, "(file)", "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(path, "(file)", f"cannot read file ({error})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(error, "problem", None) or str(error)
        raise SettingsError(path, where, f"not valid YAML ({problem})") from None
    if data is not None and not isinstance(data, dict):
        raise SettingsError(
            path, "(top level)", f"must be a mapping of 'field: value' lines (got {type(data).__name__})"
        )
    return data


def _reject_unknown_keys(path: Path, data: Dict[str, Any], allowed: Tuple[str, ...], prefix: str = "") -> None:
    for key in data:
        if key not in allowed:
            raise SettingsError(path, f"{prefix}{key}", f"unknown field (allowed: {', '.join(allowed)})")


def _require(path: Path, data: Dict[str, Any], key: str, field: str) -> Any:
    if key not in data or data[key] is None:
        raise SettingsError(path, field, "missing required field")
    return data[key]


def _is_int(value: Any) -> bool:
    # YAML true/false load as bool, which Python counts as an int.
    return isinstance(value, int) and not isinstance(value, bool)


def _wording(path: Path, value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(path, field, f"must be non-empty text (got {value!r})")
    return value.strip()


def _positive_int(path: Path, value: Any, field: str) -> int:
    if not _is_int(value) or value < 1:
        raise SettingsError(path, field, f"must be a whole number >= 1 (got {value!r})")
    return value


# --- aftercare schedule -----------------------------------------------------

_SCHEDULE_KEYS = ("phases", "upcoming", "general", "max_days_past", "max_days_ahead")
_PHASE_KEYS = ("name", "first_day", "last_day", "now", "next")


def load_aftercare_schedule(path: Optional[PathLike] = None) -> AftercareSchedule:
    path = _resolve_path(path, "AFTERCARE_SCHEDULE_FILE", AFTERCARE_SCHEDULE_FILE)
    data = _read_mapping(path)
    if data is None:
        raise SettingsError(path, "(top level)", "file is empty")
    _reject_unknown_keys(path, data, _SCHEDULE_KEYS)
    for key in _SCHEDULE_KEYS:
        _require(path, data, key, key)
    return AftercareSchedule(
        phases=_phases(path, data["phases"]),
        upcoming=_wording(path, data["upcoming"], "upcoming"),
        general=_wording(path, data["general"], "general"),
        max_days_past=_positive_int(path, data["max_days_past"], "max_days_past"),
        max_days_ahead=_positive_int(path, data["max_days_ahead"], "max_days_ahead"),
    )


def _phases(path: Path, raw_phases: Any) -> Tuple[Phase, ...]:
    if not isinstance(raw_phases, list) or not raw_phases:
        raise SettingsError(path, "phases", "must be a non-empty list of phases")
    phases = []
    for index, raw in enumerate(raw_phases):
        phases.append(_phase(path, raw, index, is_last=index == len(raw_phases) - 1))
    _check_day_ranges(path, phases)
    seen_names = set()
    for index, phase in enumerate(phases):
        if phase.name in seen_names:
            raise SettingsError(path, f"phases[{index}].name", f"duplicate phase name {phase.name!r}")
        seen_names.add(phase.name)
    return tuple(phases)


def _phase(path: Path, raw: Any, index: int, is_last: bool) -> Phase:
    prefix = f"phases[{index}]"
    if not isinstance(raw, dict):
        raise SettingsError(path, prefix, f"must be a mapping of field: value (got {raw!r})")
    _reject_unknown_keys(path, raw, _PHASE_KEYS, prefix=f"{prefix}.")
    for key in ("name", "first_day", "now", "next"):
        _require(path, raw, key, f"{prefix}.{key}")
    if "last_day" not in raw:
        raise SettingsError(
            path, f"{prefix}.last_day", "missing required field (use null for the open-ended last phase)"
        )

    first_day = raw["first_day"]
    if not _is_int(first_day) or first_day < 0:
        raise SettingsError(path, f"{prefix}.first_day", f"must be a whole number >= 0 (got {first_day!r})")
    last_day = raw["last_day"]
    if last_day is None and not is_last:
        raise SettingsError(path, f"{prefix}.last_day", "only the last phase may be open-ended (null)")
    if last_day is not None:
        if is_last:
            raise SettingsError(
                path,
                f"{prefix}.last_day",
                f"the last phase must be open-ended (null) so every later day is covered (got {last_day!r})",
            )
        if not _is_int(last_day) or last_day < first_day:
            raise SettingsError(path, f"{prefix}.last_day", f"must be an integer >= first_day (got {last_day!r})")
    return Phase(
        name=_wording(path, raw["name"], f"{prefix}.name"),
        first_day=first_day,
        last_day=last_day,
        now=_wording(path, raw["now"], f"{prefix}.now"),
        next=_wording(path, raw["next"], f"{prefix}.next"),
    )


def _check_day_ranges(path: Path, phases: list) -> None:
    """Every day from 0 onwards must belong to exactly one phase."""
    if phases[0].first_day != 0:
        raise SettingsError(
            path, "phases[0].first_day", f"the first phase must start at day 0 (got {phases[0].first_day})"
        )
    for index in range(1, len(phases)):
        expected = phases[index - 1].last_day + 1
        actual = phases[index].first_day
        if actual != expected:
            kind = "gap" if actual > expected else "overlap"
            raise SettingsError(
                path,
                f"phases[{index}].first_day",
                f"{kind} with the previous phase: must be {expected}, the day after "
                f"phases[{index - 1}].last_day (got {actual})",
            )


# --- clinic settings --------------------------------------------------------

_CLINIC_TEXT_KEYS = ("name", "booking_url", "phone", "email", "opening_hours", "timezone")
_CLINIC_KEYS = _CLINIC_TEXT_KEYS + ("suggestion_cooldown_turns", "callback_requests")
_CALLBACK_KEYS = ("email_to", "webhook_url", "country", "retention_days")
_EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_PHONE_PATTERN = re.compile(r"[0-9 +\-()]+")


def load_clinic_settings(path: Optional[PathLike] = None) -> ClinicSettings:
    path = _resolve_path(path, "CLINIC_SETTINGS_FILE", CLINIC_SETTINGS_FILE)
    data = _read_mapping(path) or {}
    _reject_unknown_keys(path, data, _CLINIC_KEYS)
    text = {key: _optional_text(path, data.get(key), key) for key in _CLINIC_TEXT_KEYS}

    if text["booking_url"] is not None:
        parts = urlsplit(text["booking_url"])
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in text["booking_url"]:
            raise SettingsError(
                path,
                "booking_url",
                f"must be a web address starting with http:// or https:// (got {text['booking_url']!r})",
            )
    if text["email"] is not None and not _EMAIL_PATTERN.fullmatch(text["email"]):
        raise SettingsError(path, "email", f"must look like name@example.com (got {text['email']!r})")
    if text["phone"] is not None and (
        not _PHONE_PATTERN.fullmatch(text["phone"]) or sum(c.isdigit() for c in text["phone"]) < 6
    ):
        raise SettingsError(
            path,
            "phone",
            f"must contain only digits, spaces, +, -, ( and ), with at least 6 digits (got {text['phone']!r})",
        )

    timezone = text["timezone"] or DEFAULT_TIMEZONE
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            path, "timezone", f"must be an IANA timezone name such as Europe/London (got {timezone!r})"
        ) from None

    cooldown = data.get("suggestion_cooldown_turns")
    if cooldown is None:
        cooldown = DEFAULT_SUGGESTION_COOLDOWN_TURNS
    elif not _is_int(cooldown) or cooldown < 0:
        raise SettingsError(path, "suggestion_cooldown_turns", f"must be a whole number >= 0 (got {cooldown!r})")

    return ClinicSettings(
        name=text["name"],
        booking_url=text["booking_url"],
        phone=text["phone"],
        email=text["email"],
        opening_hours=text["opening_hours"],
        timezone=timezone,
        suggestion_cooldown_turns=cooldown,
        callback_requests=_callback_requests(path, data.get("callback_requests")),
    )


def _callback_requests(path: Path, raw: Any) -> CallbackRequestSettings:
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise SettingsError(path, "callback_requests", f"must be a mapping of field: value (got {raw!r})")
    _reject_unknown_keys(path, raw, _CALLBACK_KEYS, prefix="callback_requests.")
    email_to = _optional_text(path, raw.get("email_to"), "callback_requests.email_to")
    if email_to is not None and not _EMAIL_PATTERN.fullmatch(email_to):
        raise SettingsError(path, "callback_requests.email_to", f"must look like name@example.com (got {email_to!r})")
    webhook_url = _optional_text(path, raw.get("webhook_url"), "callback_requests.webhook_url")
    if webhook_url is not None:
        parts = urlsplit(webhook_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SettingsError(
                path, "callback_requests.webhook_url", f"must start with https:// or http:// (got {webhook_url!r})"
            )
    country = (_optional_text(path, raw.get("country"), "callback_requests.country") or "GB").upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise SettingsError(
            path, "callback_requests.country", f"must be a two-letter country code such as GB (got {country!r})"
        )
    retention = raw.get("retention_days", NO_CALLBACK_REQUESTS.retention_days)
    retention = _positive_int(path, retention, "callback_requests.retention_days")
    return CallbackRequestSettings(
        email_to=email_to, webhook_url=webhook_url, country=country, retention_days=retention
    )


def _optional_text(path: Path, value: Any, field: str) -> Optional[str]:
    """Text or None; blank text counts as not set."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise SettingsError(path, field, f"must be text, in quotes if needed (got {value!r})")
    return value.strip() or None


def main() -> int:
    schedule_path = _resolve_path(None, "AFTERCARE_SCHEDULE_FILE", AFTERCARE_SCHEDULE_FILE)
    clinic_path = _resolve_path(None, "CLINIC_SETTINGS_FILE", CLINIC_SETTINGS_FILE)
    try:
        load_aftercare_schedule(schedule_path)
        load_clinic_settings(clinic_path)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"settings OK: {schedule_path}, {clinic_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
