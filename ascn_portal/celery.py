"""The Celery application. Tasks live in each app's tasks.py and are found by name."""

import logging
import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings")

app = Celery("ascn_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _warm_up_pdf_rendering(**_kwargs: Any) -> None:
    """Parse print.css and load its fonts as each pool process starts (again after it is
    replaced for its size), so the first person whose PDF it renders does not wait for
    it: about 0.07 s, a seventh of a panel brief."""
    from ascn_portal.core.pdf import warm_up

    try:
        warm_up()
    except Exception:
        # A process that cannot render still sends mail; its documents fail with the reason.
        logging.getLogger(__name__).exception("Warming up PDF rendering failed")
