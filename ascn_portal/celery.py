"""The Celery application. Tasks live in each app's tasks.py and are found by name."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ascn_portal.settings")

app = Celery("ascn_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
