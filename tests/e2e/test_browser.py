"""The widget and the advisor console in a real browser (Debian's Chromium driven by Playwright):
residents in Finnish and Swedish get tickets, an advisor works a ticket to done and takes a live
chat, and axe-core finds no serious or critical accessibility violation.

Screenshots are kept in var/artifacts/browser/; with NEUVO_DOCS_SCREENSHOTS=1 (make screenshots)
the ones the docs show are also copied to docs/screenshots/.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.conftest import System

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "artifacts" / "browser"
DOCS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("NEUVO_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "browser-test-password"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def advisor_account(system: System) -> str:
    tasks = ",".join(
        [
            "general_advice",
            "elderly_central",
            "elderly_western",
            "elderly_eastern",
            "working_age_central",
            "lanupe_central",
            "feedback",
        ]
    )
    system.cli("create-team", "Selainneuvonta", "--tasks", tasks)
    system.cli(
        "create-advisor",
        "ville",
        "--name",
        "Ville",
        "--team",
        "Selainneuvonta",
        "--password-stdin",
        password=PASSWORD,
    )
    return "ville"


def shot(page: Page, name: str, *, docs: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    if docs and os.environ.get("NEUVO_DOCS_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS / path.name)


def no_serious_axe_violations(page: Page, where: str) -> None:
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"axe on {where}:\n" + "\n".join(serious)


# --- the resident's side ---


def open_widget(context: BrowserContext, system: System, path: str) -> Page:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(system.url + path)
    page.click("#neuvo-launcher")
    expect(page.locator("#neuvo-panel")).to_be_visible()
    return page


def wait_reply(page: Page, before: int) -> None:
    """Wait for the resident's message and at least one reply after `before` messages."""
    page.wait_for_function(
        "n => document.querySelectorAll('#neuvo-log .neuvo-msg').length >= n", arg=before + 2
    )
    expect(page.locator("#neuvo-typing .neuvo-typing__inner")).to_be_hidden()


def count(page: Page) -> int:
    return page.locator("#neuvo-log .neuvo-msg").count()


def write(page: Page, text: str) -> None:
    before = count(page)
    page.fill("#neuvo-input", text)
    page.press("#neuvo-input", "Enter")
    wait_reply(page, before)


def choose(page: Page, payload: str) -> None:
    before = count(page)
    page.locator(f"button.neuvo-choice[data-payload='{payload}']").last.click()
    wait_reply(page, before)


def last_payloads(page: Page) -> list[str]:
    last = page.locator("#neuvo-log .neuvo-msg").last
    return [b.get_attribute("data-payload") or "" for b in last.locator("button").all()]


def hand_off_in_widget(page: Page, first: str) -> str:
    """A resident's hand-off through the widget's buttons and input; returns the reference."""
    write(page, first)
    choose(page, "/affirm")
    write(page, "040 123 4567")
    choose(page, '/inform{"contact_time": "morning"}')
    if "/skip" in last_payloads(page):
        choose(page, "/skip")
    card = page.locator(".neuvo-ticket").last
    expect(card).to_be_visible()
    reference = card.get_attribute("data-reference")
    assert reference
    return reference


def test_resident_in_finnish_gets_a_ticket_and_resumes_after_reload(
    browser: Browser, system: System
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = open_widget(context, system, "/")
    assert page.locator("html").get_attribute("lang") == "fi"
    reference = hand_off_in_widget(
        page, "Äitini on 86-vuotias eikä hän enää pärjää kotona Loviisassa"
    )
    card = page.locator(f'.neuvo-ticket[data-reference="{reference}"]')
    expect(card).to_contain_text("Ikääntyneiden")  # the team: elderly services, east
    expect(card.locator(".neuvo-ticket__status")).to_have_attribute("data-status", "new")
    # Nobody is online in the console yet: the resident is told that live chat is not available.
    expect(page.locator('.neuvo-msg[data-sender="system"]').last).to_contain_text(
        "eivät ole juuri nyt tavoitettavissa"
    )
    no_serious_axe_violations(page, "the widget with a ticket (fi)")
    shot(page, "widget-fi-desktop", docs=True)

    messages = count(page)
    page.reload()
    expect(page.locator("#neuvo-panel")).to_be_visible()
    expect(page.locator(f'.neuvo-ticket[data-reference="{reference}"]')).to_be_visible()
    assert count(page) == messages
    context.close()


def test_resident_in_swedish_on_a_phone(browser: Browser, system: System) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = open_widget(context, system, "/sv/")
    expect(page.locator("#neuvo-input")).to_have_attribute(
        "placeholder", "Skriv ditt meddelande här"
    )
    reference = hand_off_in_widget(
        page, "Min pappa är 90 år och klarar sig inte längre hemma i Borgå"
    )
    expect(page.locator(f'.neuvo-ticket[data-reference="{reference}"]')).to_contain_text(
        "Äldrekundhandledning"  # the team in Swedish
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at 360 px ({width} px wide)"
    no_serious_axe_violations(page, "the widget on a phone (sv)")
    shot(page, "widget-sv-phone", docs=True)
    context.close()


def test_emergency_is_impossible_to_miss_and_markup_stays_text(
    browser: Browser, system: System
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = open_widget(context, system, "/")
    write(page, '<img src=x onerror="window.__xss=1">hei')
    assert page.evaluate("window.__xss") is None
    write(page, "isäni ei hengitä")
    emergency = page.locator('.neuvo-msg[data-kind="emergency"]').first
    expect(emergency).to_be_visible()
    expect(emergency).to_have_attribute("role", "alert")
    expect(emergency.locator('a[href="tel:112"]')).to_be_visible()
    shot(page, "widget-fi-phone-emergency", docs=True)
    context.close()


def test_an_emergency_in_the_middle_of_the_form_leaves_112_last_in_view(
    browser: Browser, system: System
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = open_widget(context, system, "/")
    write(page, "tarvitsisin apua isän asioissa, hän ei enää pärjää kotona")
    expect(page.locator(".neuvo-msg").last).to_have_attribute("data-kind", "question")
    write(page, "isä ei hengitä")
    last = page.locator(".neuvo-msg").last
    expect(last).to_have_attribute("data-kind", "emergency")
    expect(last.locator('a[href="tel:112"]')).to_be_in_viewport()
    # "what do I do?" keeps 112 in front, never "please choose from the buttons"
    write(page, "mitä mä teen?")
    last = page.locator(".neuvo-msg").last
    expect(last).to_have_attribute("data-kind", "emergency")
    expect(last.locator('a[href="tel:112"]')).to_be_in_viewport()
    shot(page, "widget-fi-phone-emergency-in-form")
    context.close()


def test_ui_follows_the_language_the_resident_writes_in(browser: Browser, system: System) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = open_widget(context, system, "/")
    write(page, "Hej, hur bokar jag en tid till tandläkaren?")
    expect(page.locator("#neuvo-input")).to_have_attribute(
        "placeholder", "Skriv ditt meddelande här"
    )
    shot(page, "widget-sv-desktop", docs=True)
    context.close()


# --- the advisor's side ---


def log_in(context: BrowserContext, system: System, username: str) -> Page:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{system.url}/console/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Työjonot")
    return page


def test_advisor_finds_claims_and_closes_a_ticket(
    browser: Browser, system: System, advisor_account: str
) -> None:
    resident = browser.new_context(viewport=DESKTOP)
    widget = open_widget(resident, system, "/")
    reference = hand_off_in_widget(
        widget, "Isäni on 88 ja hän ei enää pärjää yksin kotona Porvoossa"
    )
    resident.close()

    context = browser.new_context(viewport=DESKTOP)
    console = log_in(context, system, advisor_account)
    row = console.locator('tr[data-task="elderly_central"]')
    expect(row.locator('[data-count="new"]')).not_to_have_text("0")
    no_serious_axe_violations(console, "the console's worklists")
    row.locator("a").click()
    expect(console.locator(f'tr[data-reference="{reference}"]')).to_be_visible()
    shot(console, "console-worklist", docs=True)
    console.click(f'a:text("{reference}")')
    expect(console.locator("#need-summary")).to_contain_text("Isäni on 88")
    expect(console.locator(".facts")).to_contain_text("0401234567")  # the contact field
    expect(console.locator("#transcript")).to_contain_text("[phone]")  # masked in the transcript
    no_serious_axe_violations(console, "the console's ticket view")
    shot(console, "console-ticket", docs=True)
    console.click("#claim")
    expect(console.locator("#ticket-status")).to_have_attribute("data-status", "in_progress")
    expect(console.locator("#ticket-assignee")).to_have_text(advisor_account)
    console.fill("#note", "Soitin, sovittu kotikäynti.")
    console.click("#add-note")
    console.click("#mark-done")
    expect(console.locator("#ticket-status")).to_have_attribute("data-status", "done")
    expect(console.locator("#history")).to_contain_text("Soitin, sovittu kotikäynti.")
    context.close()


def test_live_chat_messages_flow_both_ways(
    browser: Browser, system: System, advisor_account: str
) -> None:
    advisor_context = browser.new_context(viewport=DESKTOP)
    console = log_in(advisor_context, system, advisor_account)  # online from now on

    resident = browser.new_context(viewport=DESKTOP)
    widget = open_widget(resident, system, "/sv/")
    hand_off_in_widget(widget, "Min mamma är 80 år och klarar sig inte hemma i Lovisa")
    offer: Any = widget.locator('button.neuvo-choice[data-payload="/live_chat"]').last
    expect(offer).to_be_visible()
    offer.click()
    expect(widget.locator("#neuvo-live")).to_have_attribute("data-mode", "queued")

    console.goto(f"{system.url}/console/chats")
    console.locator("#queue li").last.locator("button").click()
    expect(console.locator("#chat-mode")).to_have_attribute("data-mode", "advisor")
    expect(widget.locator("#neuvo-live")).to_have_attribute("data-mode", "advisor")

    console.fill("#chat-input", "Hej, jag heter Ville. Hur mår din mamma i dag?")
    console.click("#chat-send")
    advisor_message = widget.locator('.neuvo-msg[data-sender="advisor"]').last
    expect(advisor_message).to_contain_text("Hur mår din mamma i dag?")

    widget.fill("#neuvo-input", "Hon är trött men okej, tack")
    widget.press("#neuvo-input", "Enter")
    expect(console.locator("#transcript li.msg-resident").last).to_contain_text(
        "Hon är trött men okej"
    )
    no_serious_axe_violations(widget, "the widget in a live chat")
    shot(widget, "widget-sv-live-chat", docs=True)
    shot(console, "console-live-chat", docs=True)

    console.click("#close-chat")
    feedback = widget.locator("#neuvo-feedback")
    expect(feedback).to_be_visible()
    widget.locator('label[for="neuvo-rating-5"]').click()
    widget.click("#neuvo-fb-send")
    expect(widget.locator(".neuvo-feedback-done")).to_contain_text("Tack för din respons")
    resident.close()
    advisor_context.close()
