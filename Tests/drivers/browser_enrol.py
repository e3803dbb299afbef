"""Drives the service's web page in a real browser (Debian's chromium and chromium-driver, selenium):
log in, fill the enrolment form, submit, read the allocation, save a screenshot of it.

    browser_enrol.py BASE_URL USER PASSWORD FIELDS_JSON SCREENSHOT.png

Prints one JSON line: the arm, the record's hash prefix and the page's heading as the page shows them
(the browser asks for Dutch, the pages' first language). Loopback only; every
wait is bounded (page loads 30 s, element look-ups 10 s)."""
import json
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def main():
    base, user, password, fields_json, screenshot = sys.argv[1:6]
    fields = json.loads(fields_json)
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("RCT_CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1000,1300", "--accept-lang=nl", "--no-first-run", "--disable-extensions"]:
        options.add_argument(argument)
    service = Service(executable_path=os.environ.get("RCT_CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(10)
    try:
        driver.get(base + "/login")
        driver.find_element(By.ID, "name").send_keys(user)
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.ID, "submit").click()
        if not driver.current_url.endswith("/enrol"):
            raise SystemExit("after logging in the browser is at %s, not the enrolment form" % driver.current_url)
        for column, value in fields.items():
            element = driver.find_element(By.ID, "f_" + column)
            kind = element.get_attribute("type")
            if element.tag_name == "select":
                Select(element).select_by_value(value)
            elif kind == "checkbox":
                if (value == element.get_attribute("value")) != element.is_selected():
                    element.click()
            elif kind == "date":
                # A date input's typed form depends on the browser's locale; set the ISO value instead.
                driver.execute_script("arguments[0].value = arguments[1]", element, value)
            else:
                element.send_keys(value)
        driver.find_element(By.ID, "submit").click()
        arm = driver.find_element(By.ID, "arm").text
        heading = driver.find_element(By.TAG_NAME, "h1").text
        record = driver.find_element(By.ID, "hash").text
        family = driver.find_element(By.ID, "family").text
        os.makedirs(os.path.dirname(os.path.abspath(screenshot)), exist_ok=True)
        driver.save_screenshot(screenshot)
        print(json.dumps({"arm": arm, "hash": record, "family": family, "heading": heading, "title": driver.title}))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
