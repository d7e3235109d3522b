"""Live preview, end to end in a real browser (Debian's Chromium, driven by chromedriver)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, write

BRIEF = """
---
type: policy-brief
title: "Preview Brief:"
date: 2025-06
---

# Introduction

Belgium decriminalised sex work in 2022 [@gill2022covid].
"""


@pytest.fixture
def server(project: Path):
    write(project, "content/short/en.md", BRIEF)
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "preview", "short", "--port", "0",
                                "--root", str(project)], stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    assert line.startswith("preview: http://127.0.0.1:"), line
    yield line.split()[1]
    process.terminate()
    process.wait(10)


@pytest.fixture
def browser(tmp_path: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    yield driver
    driver.quit()


def wait_for(condition, timeout: float = 15) -> float:
    """Seconds until ``condition()`` holds; fails after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if condition():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001 - the page may be between two versions
            pass
        time.sleep(0.02)
    raise AssertionError("the page did not change in time")


def frame_text(driver) -> str:
    driver.switch_to.default_content()
    driver.switch_to.frame("html")
    text = driver.find_element("tag name", "body").text
    driver.switch_to.default_content()
    return text


def text_of(driver, element_id: str) -> str:
    driver.switch_to.default_content()
    return driver.find_element("id", element_id).text


def test_page_follows_each_save_and_shows_errors(project, server, browser):
    browser.find_element  # noqa: B018 - the driver is up
    browser.get(server)
    wait_for(lambda: "Belgium decriminalised" in frame_text(browser))
    wait_for(lambda: text_of(browser, "pdf-status").startswith("PDF version 1"), timeout=30)

    source = project / "content/short/en.md"
    source.write_text(source.read_text().replace("Belgium decriminalised", "Belgium changed the law on"))
    seconds = wait_for(lambda: "Belgium changed the law on" in frame_text(browser))
    assert seconds < 3, f"the HTML took {seconds:.2f} s to follow the save"
    wait_for(lambda: text_of(browser, "pdf-status").startswith("PDF version 2"), timeout=30)

    source.write_text(source.read_text().replace("policy-brief", "policy-breif"))
    wait_for(lambda: "content/short/en.md:2:" in text_of(browser, "error"))
    assert "did you mean 'policy-brief'?" in text_of(browser, "error")

    source.write_text(source.read_text().replace("policy-breif", "policy-brief"))
    wait_for(lambda: text_of(browser, "error") == "")
    wait_for(lambda: "Belgium changed the law on" in frame_text(browser))  # the frame reloads meanwhile
