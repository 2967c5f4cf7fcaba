"""The clinic's settings as the actions use them, read once when the action server starts.

actions/settings.py reads and checks settings/clinic.yml (or CLINIC_SETTINGS_FILE) and
settings/aftercare_phases.yml; a file that fails its checks stops the action server with a
message that names the file and the field. Every action reads the settings from here at
the time it runs (`clinic.SETTINGS`, `clinic.AFTERCARE`), so a test that needs other
settings patches this module and nothing else. What is set up once at start stays as
started: whether callback requests are taken at all (actions/callback_request.py starts
their store and courier on import).
"""

from actions.settings import AftercareSchedule, ClinicSettings, load_aftercare_schedule, load_clinic_settings

SETTINGS: ClinicSettings = load_clinic_settings()
AFTERCARE: AftercareSchedule = load_aftercare_schedule()
