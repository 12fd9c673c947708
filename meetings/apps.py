from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        # The app's halves keep their own rules and tasks; the autodiscovery of the
        # rules package and of Celery looks for ``meetings.rules`` and
        # ``meetings.tasks`` only, so every half's are imported here.
        from meetings.agenda import rules as agenda_rules  # noqa: F401
        from meetings.coordination import rules as coordination_rules  # noqa: F401
        from meetings.coordination import tasks  # noqa: F401
        from meetings.register import rules as register_rules  # noqa: F401
        from meetings.register import tasks as register_tasks  # noqa: F401
        from meetings.report import rules as report_rules  # noqa: F401
