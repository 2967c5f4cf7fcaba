"""The ports the test harness gives its servers."""

import socket

from tests.harness.processes import _ephemeral_ports, free_port


def test_a_server_port_is_free_and_outside_the_range_of_outgoing_connections():
    ports = {free_port() for _ in range(50)}
    assert not ports & set(_ephemeral_ports())
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
