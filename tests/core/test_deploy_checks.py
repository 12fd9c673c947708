import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SITE_URL": "https://ascn.example.org",
    "SECRET_KEY": "kq3v8-production-like-secret-0b9f7c2d4e6a8c1e3f5a7b9d1c3e5f7a9b",
    "DATABASE_URL": "postgres://ascn@db.internal:5432/ascn",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "EMAIL_HOST": "smtp.ascn.example.org",
    "EMAIL_USE_TLS": "True",
}


def run_check(tmp_path, extra_env):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DATABASE_", "CACHE_", "CELERY_", "EMAIL_", "SITE_", "SECRET_", "DJANGO_")
        )
    }
    env.update({"ASCN_VAR_DIR": str(tmp_path), "DEBUG": "False"})
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run_check(tmp_path, PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_flags_demo_settings(tmp_path):
    result = run_check(tmp_path, {})

    assert result.returncode == 1
    for check_id in ("security.W009", "ascn.W001", "ascn.W002", "ascn.W003", "ascn.W004"):
        assert check_id in result.stderr


def test_malformed_boolean_stops_start_up(tmp_path):
    result = run_check(tmp_path, {"DEBUG": "maybe"})

    assert result.returncode == 1
    assert "DEBUG must be True or False, not 'maybe'" in result.stderr


def test_secret_key_can_come_from_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(PRODUCTION_ENV["SECRET_KEY"] + "\n")
    env = {**PRODUCTION_ENV, "SECRET_KEY_FILE": str(secret_file)}
    del env["SECRET_KEY"]

    result = run_check(tmp_path, env)

    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_its_own_secret_key(tmp_path):
    without = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    demo = {
        **PRODUCTION_ENV,
        "SECRET_KEY": "django-insecure-ascn-portal-demo-key-not-for-production",
    }

    for env in (without, demo):
        result = run_check(tmp_path, env)

        assert result.returncode == 1
        assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in result.stderr


def test_trusted_proxy_count_follows_behind_proxy(tmp_path):
    def proxy_count(extra_env):
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("ASCN_BEHIND_PROXY", "ASCN_TRUSTED_PROXY_COUNT")
        }
        env.update({"ASCN_VAR_DIR": str(tmp_path), **extra_env})
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                "'ascn_portal.settings'); django.setup(); from django.conf import settings; "
                "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
            ],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return int(result.stdout.strip())

    assert proxy_count({"ASCN_BEHIND_PROXY": "False"}) == 0
    assert proxy_count({"ASCN_BEHIND_PROXY": "True"}) == 1
    assert proxy_count({"ASCN_BEHIND_PROXY": "True", "ASCN_TRUSTED_PROXY_COUNT": "2"}) == 2
