"""The case-entry page at / in a real headless browser: Debian's chromium driven by selenium,
against the front door on a real socket (port 0). No browser is a failure, never a skip: CI
installs it with `make browser`."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from cdss.auth import Authenticator, Principal
from cdss.evaluator import Evaluator
from cdss.http.app import FrontDoor
from tests.hooks_support import front_door

TOKEN = "web-page-test-token-0123456789"
WAIT = 60  # seconds: a generous bound for a busy machine, not a speed check


def _binary(*names: str) -> str:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    pytest.fail(f"none of {names} is installed: run `make browser` (apt chromium chromium-driver)")


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = _binary("chromium", "chromium-browser")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(_binary("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def site(evaluator: Evaluator) -> Iterator[str]:
    with front_door(FrontDoor(evaluator)) as url:
        yield url


@pytest.fixture(scope="module")
def secured_site(evaluator: Evaluator) -> Iterator[str]:
    auth = Authenticator([Principal("clinic", TOKEN, frozenset({"*"}))])
    with front_door(FrontDoor(evaluator, authenticator=auth)) as url:
        yield url


def _open(driver: WebDriver, url: str) -> None:
    driver.get(url + "/")
    wait = WebDriverWait(driver, WAIT)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "body[data-ready='true']")))


def _field(driver: WebDriver, link: str) -> WebElement:
    return driver.find_element(By.ID, f"f-{link}")


def _type(driver: WebDriver, link: str, value: str) -> None:
    box = _field(driver, link)
    box.clear()
    box.send_keys(value)


def _emergency_case(driver: WebDriver, dorsiflexion: str = "1") -> None:
    Select(_field(driver, "presentation.side")).select_by_value("SIDE_RIGHT")
    Select(_field(driver, "presentation.onset")).select_by_value("ONSET_SUDDEN")
    _type(driver, "presentation.hours_since_onset", "3")
    _type(driver, "exam.right.ankle_dorsiflexion", dorsiflexion)


def _submit_and_wait(driver: WebDriver, shown: str) -> None:
    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, WAIT).until(ec.visibility_of_element_located((By.ID, shown)))


def test_the_form_is_built_from_the_questionnaire(browser: WebDriver, site: str) -> None:
    _open(browser, site)
    onset = Select(_field(browser, "presentation.onset"))
    texts = [o.text for o in onset.options]
    assert texts[0] == "not recorded" and "sudden" in texts
    assert not any("ONSET_" in t for t in texts)  # display names, not codes
    boolean = Select(_field(browser, "history.saddle_anaesthesia"))
    assert [o.text for o in boolean.options] == ["not recorded", "yes", "no"]
    assert boolean.first_selected_option.text == "not recorded"  # unknown is never "no"
    grade = _field(browser, "exam.right.ankle_dorsiflexion")
    assert (grade.get_attribute("type"), grade.get_attribute("min")) == ("number", "0")
    assert grade.get_attribute("max") == "5"
    legends = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "fieldset > legend")]
    assert {"Presentation", "Right leg", "Left leg"} <= set(legends)
    label = browser.find_element(By.CSS_SELECTOR, "label[for='f-exam.right.ankle_dorsiflexion']")
    assert "MRC 0-5" in label.text
    assert not browser.find_element(By.ID, "access").is_displayed()  # no tokens, no token field


def test_an_emergency_is_the_first_thing_shown(browser: WebDriver, site: str) -> None:
    _open(browser, site)
    _emergency_case(browser)
    _submit_and_wait(browser, "answer")
    shown = [e for e in browser.find_elements(By.CSS_SELECTOR, "main > *") if e.is_displayed()]
    assert shown[0].get_attribute("id") == "answer"  # above the form
    first = browser.find_element(By.CSS_SELECTOR, "#answer-body article")
    assert first.get_attribute("data-indicator") == "critical"
    heading = first.find_element(By.TAG_NAME, "h3").text
    assert heading.startswith("EMERGENCY:") and "stroke" in heading.lower()
    parts = [
        e.get_attribute("data-part") for e in browser.find_elements(By.CSS_SELECTOR, "[data-part]")
    ]
    assert parts[0] == "alerts" and {"differential", "tests", "treatments"} <= set(parts)
    text = browser.find_element(By.ID, "answer-body").text
    assert "CT brain" in text and "ankle foot orthosis" in text
    assert "ALERT_KIND_" not in text and "CAUSE_" not in text and "**" not in text
    assert "onset: sudden" in text and "ONSET_SUDDEN" not in text  # findings in clinical words
    assert text.count("This software supports qualified clinicians") == 1  # intended use once


def test_a_bad_value_is_shown_beside_its_field(browser: WebDriver, site: str) -> None:
    _open(browser, site)
    _emergency_case(browser, dorsiflexion="7")
    _submit_and_wait(browser, "err-exam.right.ankle_dorsiflexion")
    error = browser.find_element(By.ID, "err-exam.right.ankle_dorsiflexion")
    assert "MRC grade must be 0-5, not 7" in error.text
    grade = _field(browser, "exam.right.ankle_dorsiflexion")
    assert grade.get_attribute("aria-invalid") == "true"
    assert "exam.right.ankle_dorsiflexion" in browser.find_element(By.ID, "errors").text
    assert not browser.find_element(By.ID, "answer").is_displayed()  # no answer to a bad case


def test_the_token_field_when_the_server_has_tokens(browser: WebDriver, secured_site: str) -> None:
    _open(browser, secured_site)
    assert browser.find_element(By.ID, "access").is_displayed()
    _emergency_case(browser)
    _submit_and_wait(browser, "errors")
    assert "bearer token" in browser.find_element(By.ID, "errors").text.lower()
    browser.find_element(By.ID, "token").send_keys(TOKEN)
    _submit_and_wait(browser, "answer")
    first = browser.find_element(By.CSS_SELECTOR, "#answer-body article h3")
    assert first.text.startswith("EMERGENCY:")


def test_the_page_files_are_local_and_fixed(site: str) -> None:
    page = httpx.get(site + "/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    assert httpx.get(site + "/static/page.js").status_code == 200
    for name in ("app.py", "..%2Fapp.py", "index.html.bak"):
        assert httpx.get(f"{site}/static/{name}").status_code == 404


def test_repeated_medications_and_an_error_in_the_second(browser: WebDriver, site: str) -> None:
    _open(browser, site)
    _type(browser, "medications.name", "amiodarone")
    _type(browser, "medications.days_since_start", "30")
    browser.find_element(By.ID, "add-medications").click()
    _type(browser, "medications.name#1", "vincristine")
    _type(browser, "medications.days_since_start#1", "-2")
    _submit_and_wait(browser, "err-medications.days_since_start#1")
    error = browser.find_element(By.ID, "err-medications.days_since_start#1")
    assert "not -2" in error.text
    assert not browser.find_element(By.ID, "err-medications.days_since_start").is_displayed()
    _type(browser, "medications.days_since_start#1", "10")
    _submit_and_wait(browser, "answer")
    assert not browser.find_element(By.ID, "errors").is_displayed()
