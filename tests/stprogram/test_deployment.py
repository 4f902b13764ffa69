"""The compose file: no engine runs here, so its structure is checked instead."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_service():
    services = _compose()["services"]
    expected = {"migrate", "web", "nginx", "worker", "beat", "postgres", "redis", "mailpit"}
    assert set(services) == expected


def test_only_nginx_is_published_and_django_trusts_its_forwarded_proto():
    services = _compose()["services"]
    assert "ports" not in services["web"]
    assert services["nginx"]["ports"] == ["8000:80"]
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in services["nginx"]["volumes"]
    # Started, not healthy: a late scheduler beat must not close the proxy.
    assert services["nginx"]["depends_on"]["web"]["condition"] == "service_started"
    assert services["web"]["environment"]["STPROGRAM_BEHIND_PROXY"] == "true"
    assert "proxy_request_buffering on;" in (ROOT / "deploy/nginx.conf").read_text()


def test_app_services_share_image_and_settings():
    services = _compose()["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    envs = [services[name]["environment"] for name in APP_SERVICES]
    assert images == {"stprogram:latest"}
    assert envs[0] == envs[1] == envs[2]
    assert envs[0]["DATABASE_URL"].startswith("postgres://")
    assert envs[0]["REDIS_URL"].startswith("redis://redis:")
    for name in APP_SERVICES:
        assert set(services[name]["depends_on"]) == {"migrate", "redis"}
    assert set(services["migrate"]["depends_on"]) == {"postgres", "redis"}


def test_migrations_run_as_the_owner_and_the_app_as_a_role_that_owns_nothing():
    services = _compose()["services"]
    app_url = services["web"]["environment"]["DATABASE_URL"]
    owner_url = services["migrate"]["environment"]["DATABASE_URL"]
    assert app_url.startswith("postgres://stprogram_app:")
    assert owner_url.startswith("postgres://stprogram:")
    assert "migrate" in services["migrate"]["command"]
    assert "migrate" not in services["web"]["command"]
    init = (ROOT / "scripts/postgres/init-roles.sql").read_text()
    assert (
        "CREATE ROLE stprogram_app LOGIN PASSWORD 'stprogram_app' NOSUPERUSER NOBYPASSRLS" in init
    )
    assert any(v.endswith("10-roles.sql:ro") for v in services["postgres"]["volumes"])


def test_processes_are_gunicorn_celery_worker_and_beat():
    services = _compose()["services"]
    assert "gunicorn stprogram.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A stprogram worker")
    assert services["beat"]["command"].startswith("celery -A stprogram beat")


def test_dockerfile_installs_the_locked_dependencies():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen" in dockerfile
    assert "FROM python:3.12" in dockerfile
