"""Opening day: logged-in delegates reading the agenda, their agenda, the .ics and the
agenda booklet, a few seconds apart. Run by `make load` (tests/load/run.py), which
writes the people's session cookies and the addresses to read into LOAD_PLAN.

FastHttpUser (geventhttpclient) rather than HttpUser (requests): the load generator
runs on the same machine as the portal, and requests costs it several times the CPU
per request that the measured server then lacks. LOAD_WAIT ("1,3") is the think time
in seconds between one person's requests."""

import itertools
import json
import os

from locust import FastHttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 - read once at import
_sessions = itertools.cycle(PLAN["sessions"])
WAIT = [float(seconds) for seconds in os.environ.get("LOAD_WAIT", "1,3").split(",")]


class Delegate(FastHttpUser):
    wait_time = between(*WAIT)

    def on_start(self):
        # Already logged in, as delegates are on the morning the agenda is published:
        # the measure is reading, not password hashing.
        self.cookie = {"Cookie": f"sessionid={next(_sessions)}"}

    def _get(self, name, url, expect=200):
        with self.client.get(
            url, name=name, headers=self.cookie, allow_redirects=False, catch_response=True
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
