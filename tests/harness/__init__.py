"""The one way tests and the benchmark start servers and talk to them.

- `tests.harness.project`: where the project's files are, the fixed clock, the responses.
- `tests.harness.processes`: programs on free loopback ports (`Process`), the assistant's
  servers (`ActionServer`, `RasaServer`) and the pair `make run` starts (`Assistant`).
- `tests.harness.services`: PostgreSQL, Redis and nginx from Debian's packages.
- `tests.harness.conversations`: sending messages (REST, socket.io) and reading back what
  the tracker store kept.

Nothing here knows a test. The conftest.py files hold fixtures, and what only their own
folder's tests use (the cluster's stack, the channels' credentials).
"""
