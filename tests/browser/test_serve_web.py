"""scripts/serve_web.py for a deployment: the widget's Rasa address and the page's CSP follow it."""

import http.client
import sys

import pytest
import requests

from tests.harness.processes import Process, answers, free_port


@pytest.fixture
def served(request):
    port = free_port()
    process = Process("serve-web", [sys.executable, "scripts/serve_web.py", "--port", str(port), *request.param])
    process.start()
    try:
        process.wait_for(lambda: answers(f"http://127.0.0.1:{port}/"), "scripts/serve_web.py", timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stop()


@pytest.mark.parametrize("served", [["--socket-url", "https://chat.example-clinic.com"]], indirect=True)
def test_a_public_socket_url_goes_to_the_widget_and_the_csp(served):
    config = requests.get(f"{served}/config.js", timeout=10).text
    assert '"socketUrl": "https://chat.example-clinic.com"' in config
    csp = requests.get(f"{served}/", timeout=10).headers["Content-Security-Policy"]
    assert "connect-src 'self' https://chat.example-clinic.com wss://chat.example-clinic.com;" in csp


@pytest.mark.parametrize("served", [["--rasa-port", "5123"]], indirect=True)
def test_by_default_the_page_host_on_the_rasa_port(served):
    page = requests.get(f"{served}/", headers={"Host": "localhost:8080"}, timeout=10)
    assert "connect-src 'self' http://localhost:5123 ws://localhost:5123;" in page.headers["Content-Security-Policy"]
    # Nothing but the page's files: no directory listings, no files outside web/.
    assert requests.get(f"{served}/vendor/", timeout=10).status_code == 404
    connection = http.client.HTTPConnection(served.removeprefix("http://"), timeout=10)
    connection.request("GET", "/../credentials.yml")  # sent as is, unlike requests
    assert connection.getresponse().status == 404
