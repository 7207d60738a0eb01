#!/usr/bin/env python3
"""Log in and out of a running `gatehouse serve` in a real browser (headless Chromium).

    browser_login.py BASE_URL USERNAME PASSWORD [--screenshot DIR]
    browser_login.py BASE_URL USERNAME PASSWORD --reset EMAIL NEW_PASSWORD --link-file FILE [--screenshot DIR]

BASE_URL is the server's root, e.g. http://127.0.0.1:8000 (a trailing slash or a path such as
/accounts/login/ is ignored). USERNAME must exist with PASSWORD. The steps:

  1. GET /accounts/profile/ anonymously -> the login page, with next=/accounts/profile/
  2. submit a wrong password          -> "Please enter a correct username and password..."
  3. submit the right password        -> the profile page shows #username = USERNAME
  4. click "Log out"                  -> the "Logged out" page
  5. GET /accounts/profile/ again     -> the login page again

With --reset, the password reset journey instead (PASSWORD is the forgotten one):

  R1. the login page's "Forgotten your password?" link -> the "Password reset" form
  R2. submit EMAIL                     -> "Password reset sent"
  R3. open the link from FILE          -> (the server emails it; whoever runs the server writes the
                                          link it printed into FILE: this waits for the file)
                                          the "Enter new password" form at .../set-password/,
                                          the token no longer in the address
  R4. submit NEW_PASSWORD twice        -> "Password reset complete"
  R5. its "Log in" link, the old password -> refused; NEW_PASSWORD -> the profile of USERNAME

With --screenshot DIR, a PNG of each page is saved there (1-login.png, 2-login-error.png,
3-profile.png, 4-logged-out.png; failure.png when a step fails).

Needs selenium 4 (scripts/django/requirements.txt) and Debian's `chromium` and `chromium-driver`.
The paths are given explicitly, so Selenium Manager never runs or downloads anything; override
them with GATEHOUSE_CHROMIUM and GATEHOUSE_CHROMEDRIVER. Every wait is bounded (20 s at most).

Exit status: 0 when every step passed, 1 when a step failed, 2 when the browser could not be
started (missing packages, bad arguments).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

# Never let Selenium Manager reach the network, even if a path below were missing.
os.environ["SE_OFFLINE"] = "true"
os.environ.setdefault("SE_AVOID_STATS", "true")
# The browser and chromedriver are on this machine: never send their traffic through a proxy.
for _name in ("NO_PROXY", "no_proxy"):
    os.environ[_name] = ",".join(filter(None, [os.environ.get(_name, ""), "127.0.0.1", "localhost"]))

CHROMIUM = os.environ.get("GATEHOUSE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GATEHOUSE_CHROMEDRIVER", "/usr/bin/chromedriver")
MAX_WAIT = 20.0  # seconds, for every single wait
INVALID_LOGIN = "Please enter a correct username and password"
PROFILE = "/accounts/profile/"
LOGIN = "/accounts/login/"

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as error:  # pragma: no cover - environment problem
    print(f"error: selenium is not installed for {sys.executable}: {error}\n"
          "hint: use the Django venv (bash scripts/django/venv.sh prints its python)", file=sys.stderr)
    sys.exit(2)


class StepFailed(Exception):
    """A check in the scenario did not hold."""


class Scenario:
    def __init__(self, driver: webdriver.Chrome, base: str, username: str, password: str,
                 screenshots: Path | None, timeout: float) -> None:
        self.driver = driver
        self.base = base
        self.username = username
        self.password = password
        self.screenshots = screenshots
        self.timeout = timeout
        self.current = "starting"
        self.started = time.monotonic()

    # -- helpers --------------------------------------------------------------------------------

    def step(self, description: str) -> None:
        self.current = description
        print(f"[{time.monotonic() - self.started:5.2f}s] {description}", flush=True)

    def wait(self, condition, what: str):
        """Waits (bounded) until `condition(driver)` is truthy; fails the step with `what` otherwise."""
        try:
            return WebDriverWait(self.driver, self.timeout, poll_frequency=0.1).until(condition)
        except TimeoutException:
            raise StepFailed(f"timed out after {self.timeout:g}s waiting for {what}") from None

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def screenshot(self, name: str) -> None:
        if self.screenshots is None:
            return
        target = self.screenshots / name
        if not self.driver.save_screenshot(str(target)):
            raise StepFailed(f"could not save the screenshot {target}")
        print(f"        screenshot: {target}", flush=True)

    def location(self) -> tuple[str, dict[str, list[str]]]:
        parts = urlsplit(self.driver.current_url)
        return parts.path, parse_qs(parts.query)

    def heading(self) -> str:
        headings = self.driver.find_elements(By.TAG_NAME, "h1")
        return headings[0].text.strip() if headings else ""

    def field_by_label(self, label_text: str):
        """The input a <label> points at with its `for` attribute (as a user finds it)."""
        for label in self.driver.find_elements(By.TAG_NAME, "label"):
            if label.text.strip() == label_text:
                target = label.get_attribute("for")
                if not target:
                    raise StepFailed(f"the label {label_text!r} has no `for` attribute")
                fields = self.driver.find_elements(By.ID, target)
                if len(fields) != 1:
                    raise StepFailed(f"the label {label_text!r} points at #{target}, found {len(fields)} such elements")
                return fields[0]
        raise StepFailed(f"no label {label_text!r} on the page")

    def expect_login_page(self, next_path: str) -> None:
        def on_login_page(driver) -> bool:
            path, _ = self.location()
            return path == LOGIN and bool(driver.find_elements(By.ID, "id_username"))
        self.wait(on_login_page, f"the login page at {LOGIN}")
        path, query = self.location()
        if query.get("next") != [next_path]:
            raise StepFailed(f"expected next={next_path} in the login URL, got {self.driver.current_url}")
        if self.heading() != "Log in":
            raise StepFailed(f"expected the heading 'Log in', got {self.heading()!r}")
        hidden = self.driver.find_elements(By.CSS_SELECTOR, "form input[type=hidden][name=next]")
        if not hidden or hidden[0].get_attribute("value") != next_path:
            raise StepFailed(f"the form does not carry next={next_path} in a hidden field")
        username_field = self.field_by_label("Username")
        password_field = self.field_by_label("Password")
        if username_field.get_attribute("id") != "id_username" or password_field.get_attribute("id") != "id_password":
            raise StepFailed("the labels do not point at #id_username and #id_password")
        if password_field.get_attribute("type") != "password":
            raise StepFailed("the password field is not type=password")

    def submit_login(self, password: str) -> None:
        username_field = self.field_by_label("Username")
        password_field = self.field_by_label("Password")
        username_field.clear()
        username_field.send_keys(self.username)
        password_field.clear()
        password_field.send_keys(password)
        button = self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]")
        button.click()
        # The click leaves the current document; wait for it to go so later waits see the new page.
        self.wait(EC.staleness_of(button), "the login form to be submitted")

    # -- the scenario ---------------------------------------------------------------------------

    def run(self) -> None:
        self.step(f"anonymous GET {PROFILE} -> login page with next={PROFILE}")
        self.open(PROFILE)
        self.expect_login_page(PROFILE)
        self.screenshot("1-login.png")

        self.step("log in with a wrong password -> error message")
        self.submit_login(self.password + "-wrong")
        self.wait(
            lambda d: any(INVALID_LOGIN in e.text for e in d.find_elements(By.CSS_SELECTOR, ".errors")),
            f"the error {INVALID_LOGIN!r}",
        )
        path, _ = self.location()
        if path != LOGIN:
            raise StepFailed(f"after a wrong password expected to stay on {LOGIN}, got {self.driver.current_url}")
        if self.field_by_label("Username").get_attribute("value") != self.username:
            raise StepFailed("the username was not kept in the form after a failed login")
        if self.field_by_label("Password").get_attribute("value"):
            raise StepFailed("the password was echoed back into the form after a failed login")
        if self.driver.find_elements(By.ID, "username"):
            raise StepFailed("a wrong password showed the profile")
        self.screenshot("2-login-error.png")

        self.step("log in with the right password -> profile page")
        self.submit_login(self.password)
        self.wait(
            lambda d: self.location()[0] == PROFILE and d.find_elements(By.ID, "username"),
            f"the profile page at {PROFILE}",
        )
        shown = self.driver.find_element(By.ID, "username").text.strip()
        if shown != self.username:
            raise StepFailed(f"the profile shows #username {shown!r}, expected {self.username!r}")
        if self.heading() != "Your account":
            raise StepFailed(f"expected the heading 'Your account', got {self.heading()!r}")
        self.screenshot("3-profile.png")

        self.step("click 'Log out' -> logged-out page")
        buttons = self.driver.find_elements(By.XPATH, "//button[normalize-space()='Log out']")
        if len(buttons) != 1:
            raise StepFailed(f"expected one 'Log out' button, found {len(buttons)}")
        buttons[0].click()
        self.wait(EC.staleness_of(buttons[0]), "the logout form to be submitted")
        self.wait(lambda d: self.heading() == "Logged out", "the heading 'Logged out'")
        links = self.driver.find_elements(By.LINK_TEXT, "Log in again")
        if not links or urlsplit(links[0].get_attribute("href")).path != LOGIN:
            raise StepFailed(f"the logged-out page has no 'Log in again' link to {LOGIN}")
        self.screenshot("4-logged-out.png")

        self.step(f"GET {PROFILE} after logging out -> login page again")
        self.open(PROFILE)
        self.expect_login_page(PROFILE)

        self.step("passed")

    def fill(self, label: str, value: str) -> None:
        field = self.field_by_label(label)
        field.clear()
        field.send_keys(value)

    def submit(self, button_text: str) -> None:
        buttons = self.driver.find_elements(By.XPATH, f"//button[normalize-space()='{button_text}']")
        if len(buttons) != 1:
            raise StepFailed(f"expected one {button_text!r} button, found {len(buttons)}")
        buttons[0].click()
        self.wait(EC.staleness_of(buttons[0]), f"the form to be submitted with {button_text!r}")

    def run_reset(self, email: str, new_password: str, link_file: Path) -> None:
        self.step("the login page links to the password reset form")
        self.open(LOGIN)
        links = self.driver.find_elements(By.LINK_TEXT, "Forgotten your password?")
        if len(links) != 1:
            raise StepFailed(f"expected one 'Forgotten your password?' link on {LOGIN}, found {len(links)}")
        links[0].click()
        self.wait(lambda d: self.heading() == "Password reset", "the heading 'Password reset'")
        if self.field_by_label("Email address").get_attribute("type") != "email":
            raise StepFailed("the email field is not type=email")
        self.screenshot("r1-reset-form.png")

        self.step(f"ask for a link for {email}")
        self.fill("Email address", email)
        self.submit("Reset my password")
        self.wait(lambda d: self.heading() == "Password reset sent", "the heading 'Password reset sent'")
        self.screenshot("r2-reset-sent.png")

        self.step(f"open the emailed link (from {link_file})")
        link = self.wait(
            lambda d: link_file.exists() and link_file.read_text().strip(), f"the link in {link_file}"
        )
        token = link.rstrip("/").rsplit("/", 1)[-1]
        self.driver.get(link)
        self.wait(lambda d: self.heading() == "Enter new password", "the heading 'Enter new password'")
        path, _ = self.location()
        if not path.endswith("/set-password/") or token in self.driver.current_url:
            raise StepFailed(f"expected the form at .../set-password/ without the token, got {self.driver.current_url}")
        self.screenshot("r3-new-password.png")

        self.step("set the new password")
        self.fill("New password", new_password)
        self.fill("Confirm password", new_password)
        self.submit("Change my password")
        self.wait(lambda d: self.heading() == "Password reset complete", "the heading 'Password reset complete'")
        self.screenshot("r4-complete.png")

        self.step("log in: the old password is refused, the new one works")
        links = self.driver.find_elements(By.LINK_TEXT, "Log in")
        if len(links) != 1:
            raise StepFailed(f"expected one 'Log in' link, found {len(links)}")
        links[0].click()
        self.wait(lambda d: self.location()[0] == LOGIN and d.find_elements(By.ID, "id_username"), "the login page")
        self.submit_login(self.password)
        self.wait(
            lambda d: any(INVALID_LOGIN in e.text for e in d.find_elements(By.CSS_SELECTOR, ".errors")),
            "the old password to be refused",
        )
        self.submit_login(new_password)
        self.wait(
            lambda d: self.location()[0] == PROFILE and d.find_elements(By.ID, "username"),
            f"the profile page at {PROFILE}",
        )
        shown = self.driver.find_element(By.ID, "username").text.strip()
        if shown != self.username:
            raise StepFailed(f"the profile shows #username {shown!r}, expected {self.username!r}")
        self.screenshot("r5-profile.png")

        self.step("the link is spent")
        self.driver.get(link)
        self.wait(lambda d: self.heading() == "Password reset unsuccessful", "the heading 'Password reset unsuccessful'")
        self.step("passed")


def main() -> int:
    # On SIGTERM (a test's watchdog), unwind so that `finally` quits chromedriver and Chromium.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="the server's root, e.g. http://127.0.0.1:8000")
    parser.add_argument("username")
    parser.add_argument("password")
    parser.add_argument("--screenshot", metavar="DIR", type=Path, help="save a PNG of each page in DIR")
    parser.add_argument("--timeout", type=float, default=MAX_WAIT,
                        help=f"seconds for each wait (at most {MAX_WAIT:g}, the default)")
    parser.add_argument("--window-size", default="1280,900", help="browser window WIDTH,HEIGHT")
    parser.add_argument("--reset", nargs=2, metavar=("EMAIL", "NEW_PASSWORD"),
                        help="run the password reset journey instead (needs --link-file)")
    parser.add_argument("--link-file", type=Path, help="where the emailed reset link will be written")
    args = parser.parse_args()
    if args.reset and args.link_file is None:
        parser.error("--reset needs --link-file")

    parts = urlsplit(args.base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        parser.error(f"BASE_URL must be an http(s) URL, got {args.base_url!r}")
    base = f"{parts.scheme}://{parts.netloc}"
    timeout = min(max(args.timeout, 1.0), MAX_WAIT)
    if args.screenshot is not None:
        args.screenshot.mkdir(parents=True, exist_ok=True)

    for what, path in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)):
        if not os.access(path, os.X_OK):
            print(f"error: {what} not found at {path}\n"
                  "hint: apt-get install --no-install-recommends chromium chromium-driver", file=sys.stderr)
            return 2

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # we run as root in CI, where Chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-proxy-server",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--password-store=basic",
        "--lang=en-US",
        f"--window-size={args.window_size}",
    ):
        options.add_argument(argument)
    # No password manager: no "save password?" bubble, no leaked-password check after the login.
    options.add_experimental_option("prefs", {
        "credentials_enable_service": False,
        "profile.password_manager_enabled": False,
        "profile.password_manager_leak_detection": False,
    })
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.page_load_strategy = "normal"
    service = Service(executable_path=CHROMEDRIVER)

    try:
        driver = webdriver.Chrome(service=service, options=options)
    except WebDriverException as error:
        print(f"error: could not start headless Chromium ({CHROMIUM}) with {CHROMEDRIVER}:\n{error}", file=sys.stderr)
        return 2
    scenario = Scenario(driver, base, args.username, args.password, args.screenshot, timeout)
    try:
        driver.set_page_load_timeout(timeout)
        driver.set_script_timeout(timeout)
        print(f"browser: {driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')}, "
              f"base URL {base}", flush=True)
        if args.reset:
            scenario.run_reset(args.reset[0], args.reset[1], args.link_file)
        else:
            scenario.run()
        report_console(driver)
        return 0
    except (StepFailed, WebDriverException) as error:
        message = error.msg if isinstance(error, WebDriverException) else str(error)
        print(f"FAILED at step '{scenario.current}': {message}", file=sys.stderr)
        describe_page(driver, args.screenshot)
        return 1
    finally:
        driver.quit()


def describe_page(driver, screenshots: Path | None) -> None:
    """What the browser shows, for the failure message."""
    try:
        print(f"  current URL: {driver.current_url}", file=sys.stderr)
        print(f"  title: {driver.title!r}", file=sys.stderr)
        text = driver.find_element(By.TAG_NAME, "body").text.strip()
        print("  page text:\n    " + "\n    ".join(text[:1500].splitlines()), file=sys.stderr)
        if screenshots is not None and driver.save_screenshot(str(screenshots / "failure.png")):
            print(f"  screenshot: {screenshots / 'failure.png'}", file=sys.stderr)
    except WebDriverException as error:
        print(f"  (could not read the page: {error.msg})", file=sys.stderr)
    report_console(driver)


def report_console(driver) -> None:
    """Prints the browser console's warnings and errors (missing resources, script errors)."""
    try:
        entries = driver.get_log("browser")
    except WebDriverException:
        return
    for entry in entries:
        if entry.get("level") in ("WARNING", "SEVERE"):
            print(f"browser console {entry['level']}: {entry.get('message')}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
