"""Registration rush: invitees, each already logged in, open their registration form and
send it once, as everyone does in the hour registration opens. A request that fails
(an error page, a dropped connection) is tried again, as a person would, up to three
times. Run by `make load` (tests/load/run.py): LOAD_PLAN names each invitee's session
and form; what each invitee was told is written to LOAD_OUTCOMES when the run stops."""

import itertools
import json
import os
import re
from pathlib import Path

from locust import HttpUser, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 - read once at import
_invitees = itertools.chain(PLAN["invitees"])
OUTCOMES: dict[str, list[int]] = {"accepted": [], "refused": [], "failed": []}
ATTEMPTS = 3
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The form's answer when the delegation's seats are all taken (in English: the
# invitees' accounts are in English).
_FULL = "seats of the delegation are taken"
# A new connection per request, as gunicorn's sync workers gave: with gthread workers a
# kept-alive connection is closed after 2 s idle, and a starved client process (300
# people in one Locust process on a busy machine) could send its POST on a connection
# the server had just closed, which requests does not retry for a POST.
_CLOSE = {"Connection": "close"}


class Invitee(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.me = next(_invitees, None)
        if self.me is None:
            raise StopUser
        self.client.cookies.set("sessionid", self.me["session"])

    @task
    def register(self):
        url = self.me["registration"]
        outcome = "failed"
        for _attempt in range(ATTEMPTS):
            outcome = self._try(url)
            if outcome != "failed":
                break
        OUTCOMES[outcome].append(self.me["participant"])
        raise StopUser

    def _try(self, url):
        with self.client.get(
            url, name="registration_form", headers=_CLOSE, catch_response=True
        ) as page:
            token = _TOKEN.search(page.text or "")
            if page.status_code != 200 or token is None:
                page.failure(f"{page.status_code}: no form")
                return "failed"
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "arrival_date": "2024-07-28",
            "arrival_flight": "QV 512",
            "departure_date": "2024-08-03",
            "departure_flight": "QV 513",
            "accommodation": "Hotel near the venue",
            "emergency_contact": "+62 812 0000 0000",
            "consent_data_processing": "on",
        }
        with self.client.post(
            url,
            data=data,
            headers={"Referer": self.host + url, **_CLOSE},
            name="register",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                return "accepted"
            if response.status_code == 200 and _FULL in response.text:
                response.success()  # a clear answer in the page, not an error
                return "refused"
            response.failure(f"{response.status_code} instead of a saved registration")
            return "failed"


@events.test_stop.add_listener
def _write_outcomes(environment, **kwargs):
    Path(os.environ["LOAD_OUTCOMES"]).write_text(json.dumps(OUTCOMES))
