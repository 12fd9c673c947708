"""Opening day: logged-in delegates reading the agenda, their agenda, the .ics and the
agenda booklet, a few seconds apart. Run by `make load` (tests/load/run.py), which
writes the people's session cookies and the addresses to read into LOAD_PLAN."""

import itertools
import json
import os

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 - read once at import
_sessions = itertools.cycle(PLAN["sessions"])


class Delegate(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        # Already logged in, as delegates are on the morning the agenda is published:
        # the measure is reading, not password hashing.
        self.client.cookies.set("sessionid", next(_sessions))

    def _get(self, name, url, expect=200):
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} instead of {expect}")

    @task(4)
    def agenda(self):
        self._get("agenda", PLAN["agenda"])

    @task(3)
    def my_agenda(self):
        self._get("my_agenda", PLAN["my_agenda"])

    @task(2)
    def agenda_ics(self):
        self._get("agenda_ics", PLAN["agenda_ics"])

    @task(1)
    def booklet(self):
        # The portal checks the right and redirects to a pre-signed link of the object
        # store; fetching the bytes from there is the store's work, not the portal's.
        self._get("booklet_download", PLAN["booklet"], expect=302)
