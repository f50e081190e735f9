"""Incident report pages: signed links, the page's content, and the page in headless Chromium."""

import os
import shutil
from contextlib import contextmanager

import httpx
import pytest

from doctor import pipeline
from doctor.config import Settings
from doctor.deliver.links import ReportLinks
from doctor.deliver.pages import error_chart
from doctor.demo.scenarios import SCENARIOS, write_window
from doctor.web.app import create_app

from .conftest import REPO, Served

ARTIFACTS = REPO / "reports" / "test-artifacts"


@pytest.fixture
def site(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}", terraform_dir=REPO / "terraform",
                        report_signing_key="k" * 32, report_token="report-token-1", service_url="http://x")
    served = Served(create_app(settings))
    logs = write_window(SCENARIOS["memory_leak_oom"], tmp_path / "logs")
    digest = pipeline.build_from_files(logs, settings=settings)
    result = pipeline.diagnose(digest, settings=settings)
    assert result.fix is not None and result.diagnosis.category == "oom"
    incident_id = pipeline.save_incident(result, settings=settings, store=served.app.state.store())
    yield served, settings, incident_id
    served.close()


def test_links_are_signed_expiring_and_bound_to_their_page():
    links = ReportLinks(Settings(report_signing_key="s" * 32, report_token="tok"))
    link = links.sign("/incidents/abc")
    path, query = link.split("?")
    params = dict(p.split("=") for p in query.split("&"))
    assert links.allows(path, exp=params["exp"], sig=params["sig"])
    assert not links.allows("/incidents/other", exp=params["exp"], sig=params["sig"])  # not another page
    assert not links.allows(path, exp=str(int(params["exp"]) + 1), sig=params["sig"])  # expiry is signed
    assert not links.allows(path, exp=params["exp"], sig="0" * 64)
    old = links.sign("/incidents/abc", ttl_seconds=-1).split("?")[1]
    old_params = dict(p.split("=") for p in old.split("&"))
    assert not links.allows(path, exp=old_params["exp"], sig=old_params["sig"])  # expired
    assert links.allows(path, exp=None, sig=None, authorization="Bearer tok")
    assert not links.allows(path, exp=None, sig=None, authorization="Bearer nope")
    other_key = ReportLinks(Settings(report_signing_key="t" * 32))
    assert not other_key.allows(path, exp=params["exp"], sig=params["sig"])


def test_the_page_needs_a_valid_link_or_the_token(site):
    served, settings, incident_id = site
    path = f"/incidents/{incident_id}"
    assert httpx.get(served.url + path).status_code == 403
    assert httpx.get(served.url + path + "?exp=9999999999&sig=" + "0" * 64).status_code == 403
    expired = ReportLinks(settings).sign(path, ttl_seconds=-5)
    assert httpx.get(served.url + expired).status_code == 403
    page = httpx.get(served.url + ReportLinks(settings).sign(path))
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    html = page.text
    assert 'id="error-chart"' in html and 'class="errors"' in html  # the chart, with error bars
    assert "aws_ecs_task_definition" in html and 'class="diff"' in html  # the highlighted diff
    assert "OutOfMemory" in html or "OOM" in html
    assert "<script" not in html  # server-rendered, no JavaScript
    listing = httpx.get(served.url + "/incidents", headers={"Authorization": "Bearer report-token-1"})
    assert listing.status_code == 200 and f"/incidents/{incident_id}?exp=" in listing.text
    assert httpx.get(served.url + "/incidents").status_code == 403
    missing = httpx.get(served.url + "/incidents/nope", headers={"Authorization": "Bearer report-token-1"})
    assert missing.status_code == 404


def test_the_page_lists_similar_incidents_as_history(site, tmp_path):
    """Incident memory on the report page: a second occurrence (another seed: other numbers) lists the
    first as seen before, linked; the first lists the second as after; another cause lists neither."""
    served, settings, first = site
    store = served.app.state.store()
    logs = write_window(SCENARIOS["memory_leak_oom"], tmp_path / "again", seed=8)
    second_result = pipeline.diagnose(pipeline.build_from_files(logs, settings=settings), settings=settings)
    second = pipeline.save_incident(second_result, settings=settings, store=store)
    other_logs = write_window(SCENARIOS["tls_expired"], tmp_path / "tls")
    other = pipeline.save_incident(pipeline.diagnose(pipeline.build_from_files(other_logs, settings=settings),
                                                     settings=settings), settings=settings, store=store)
    auth = {"Authorization": "Bearer report-token-1"}
    html = httpx.get(f"{served.url}/incidents/{second}", headers=auth).text
    history = html[html.index('id="history"'):html.index("</table>", html.index('id="history"'))]
    assert f"/incidents/{first}?exp=" in history and "(before)" in history and "oom" in history
    assert "Seen 1 time before." in html and "memory" in history and "no (the Terraform tree still has" in history
    assert other not in history
    first_html = httpx.get(f"{served.url}/incidents/{first}", headers=auth).text
    assert f"/incidents/{second}?exp=" in first_html and "(after)" in first_html and "Seen 1 time since." in first_html
    tls_html = httpx.get(f"{served.url}/incidents/{other}", headers=auth).text
    assert 'id="history-none"' in tls_html and first not in tls_html


def test_the_chart_marks_errors_and_the_incident_start():
    timeline = [["2026-11-20T09:00:00+00:00", 10, 0], ["2026-11-20T09:01:00+00:00", 12, 0],
                ["2026-11-20T09:02:00+00:00", 40, 30]]
    svg = error_chart(timeline, "2026-11-20T09:02:00+00:00")
    assert svg.count('class="errors"') == 1 and "incident starts" in svg and "09:00" in svg
    assert "No timeline" in error_chart([], None)


def chromium() -> str | None:
    return os.environ.get("DOCTOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def browser_page(height: int):
    """A page of Debian's headless Chromium (driven by Playwright), 1000 px wide; closed after."""
    exe = chromium()
    assert exe, "Debian's chromium is needed (make test installs it)"
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            yield browser.new_page(viewport={"width": 1000, "height": height})
        finally:
            browser.close()


def test_the_report_page_in_headless_chromium(site):
    served, settings, incident_id = site
    url = served.url + ReportLinks(settings).sign(f"/incidents/{incident_id}")
    with browser_page(1400) as page:
        response = page.goto(url)
        assert response.status == 200
        assert page.locator("#summary").inner_text().startswith(
            page.evaluate("document.title").split(" · ")[0][:20])
        assert page.locator("#category").inner_text() == "oom"
        chart = page.locator("#error-chart")
        assert chart.is_visible() and chart.bounding_box()["width"] > 300
        assert page.locator("#error-chart rect.errors").count() > 0
        diff = page.locator("#diff")
        assert diff.is_visible() and "memory" in diff.inner_text()
        # Pygments' colours reached the browser: inserted lines are styled, not plain text.
        inserted = page.locator("#diff .gi").first
        assert inserted.is_visible() and inserted.evaluate("e => getComputedStyle(e).color") != "rgb(0, 0, 0)"
        assert page.locator("#checks").is_visible()
        assert page.locator("#history-heading").is_visible()  # incident memory: nothing similar yet
        assert "No similar incident" in page.locator("#history-none").inner_text()
        shot = ARTIFACTS / "incident.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        bad = page.goto(url.replace("sig=", "sig=0"))
        assert bad.status == 403 and "invalid or has expired" in page.inner_text("body")


# -- the on-call's verdict: /incidents/stats ----------------------------------------------------------

def test_the_stats_page_needs_a_link_or_the_token_and_shows_the_verdicts(site):
    served, settings, incident_id = site
    store = served.app.state.store()
    empty = httpx.get(served.url + "/incidents/stats", headers={"Authorization": "Bearer report-token-1"})
    assert empty.status_code == 200 and 'id="no-verdicts"' in empty.text and "No verdict yet: nothing to chart" in empty.text
    store.record_verdict(incident_id=incident_id, user="U1", verdict="right")
    other = store.save_incident(title="t", category="tls", diagnosis={"provider": "gemini:gemini-3.5-flash"},
                                fix=None, digest={})
    store.record_verdict(incident_id=other, user="U1", verdict="wrong", category="dns")
    assert httpx.get(served.url + "/incidents/stats").status_code == 403
    expired = ReportLinks(settings).sign("/incidents/stats", ttl_seconds=-5)
    assert httpx.get(served.url + expired).status_code == 403
    page = httpx.get(served.url + ReportLinks(settings).sign("/incidents/stats"))
    assert page.status_code == 200 and "<script" not in page.text
    html = page.text
    assert 'id="verdict-chart"' in html and html.count('class="share"') == 6  # 2 categories × 3 windows
    assert "1/1 100% [1]" in html and "0/1 0% [1]" in html and ">gemini<" in html and ">offline<" in html
    listing = httpx.get(served.url + "/incidents", headers={"Authorization": "Bearer report-token-1"})
    assert "/incidents/stats?exp=" in listing.text  # the list links to it, signed
    # The incident's own page says how it was judged.
    judged = httpx.get(served.url + ReportLinks(settings).sign(f"/incidents/{incident_id}")).text
    assert '<p id="verdict">The on-call&#39;s verdict: 1 right, 0 wrong;' in judged


def test_the_stats_page_in_headless_chromium(site):
    served, settings, incident_id = site
    served.app.state.store().record_verdict(incident_id=incident_id, user="U1", verdict="right")
    url = served.url + ReportLinks(settings).sign("/incidents/stats")
    with browser_page(900) as page:
        assert page.goto(url).status == 200
        chart = page.locator("#verdict-chart")
        assert chart.is_visible() and chart.bounding_box()["width"] > 300
        bars = page.locator("#verdict-chart rect.share")
        assert bars.count() == 3 and all(bars.nth(i).bounding_box()["width"] > 300 for i in range(3))  # 100%
        rows = page.locator("#stats tr.category")
        assert rows.count() == 1 and rows.first.inner_text().split("\t")[0] == "oom"
        page.screenshot(path=str(ARTIFACTS / "stats.png"), full_page=True)
