"""Check, before starting Rasa, that the tracker store and lock store of an endpoints file answer.

    python scripts/check_services.py [endpoints.cluster.yml]

Reads the file as Rasa does (same ${ENV} substitution), then connects to each store.
Prints one line per problem on stderr and exits 1, for example:

    error: PostgreSQL tracker store at 127.0.0.1:5432, database 'microneedling' (endpoints.cluster.yml) is not reachable: Connection refused
    error: Redis lock store at 127.0.0.1:6379 (endpoints.cluster.yml) is not reachable: Connection refused

Without this, Rasa waits for an unreachable PostgreSQL forever (a warning every 5 s),
starts happily without Redis and then fails every message, and silently keeps
conversations in memory when the tracker store's `type` names a class it cannot import.
"""

import argparse
import os
import re
import sys
import warnings
from pathlib import Path
from typing import List, Optional

# Only the verdict matters here, not the libraries' deprecation notices (Rasa's imports
# add their own warning filters, so filters alone do not silence them).
warnings.showwarning = lambda *args, **kwargs: None
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
# Import custom store classes from the current folder, as `rasa run` does.
sys.path.insert(1, os.getcwd())

CONNECT_TIMEOUT = 5


def one_line(error: BaseException) -> str:
    """The useful part of a driver error, on one line."""
    error = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    # psycopg2: 'connection to server at "127.0.0.1", port 5 failed: Connection refused'
    first = lines[0] if lines else type(error).__name__
    if " failed: " in first:
        first = first.split(" failed: ", 1)[1]
    first = re.sub(r"^(FATAL|ERROR):\s+", "", first)  # PostgreSQL's severity
    # redis: 'Error 111 connecting to 127.0.0.1:6379. Connection refused.'
    first = re.sub(r"^Error \d+ connecting to \S+?\. ", "", first).rstrip(".")
    return first


def check_tracker_store(config, source: str) -> Optional[str]:
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.utils.common import class_from_module_path

    store_type = (config.type or "").strip()
    if store_type.lower() in ("", "sql", "redis", "mongod", "dynamo"):
        store_class = SQLTrackerStore if store_type.lower() == "sql" else None
    else:
        try:
            store_class = class_from_module_path(store_type)
        except (AttributeError, ImportError) as error:
            # Rasa would fall back to keeping conversations in memory, losing them.
            return f"error: tracker store type '{store_type}' ({source}) cannot be imported: {one_line(error)}"
    if store_class is None or not issubclass(store_class, SQLTrackerStore):
        return None  # not an SQL store: nothing this script knows how to check

    kwargs = config.kwargs
    url = SQLTrackerStore.get_db_url(
        kwargs.get("dialect", "sqlite"),
        config.url,
        kwargs.get("port"),
        kwargs.get("db", "rasa.db"),
        kwargs.get("username"),
        kwargs.get("password"),
        kwargs.get("login_db"),
        kwargs.get("query"),
    )
    url = sa.engine.make_url(url)
    if url.get_backend_name() == "sqlite":
        database = Path(url.database or "rasa.db")
        folder = database.resolve().parent
        if not os.access(folder, os.W_OK):
            return f"error: SQLite tracker store {database} ({source}): cannot write to {folder}"
        return None

    name = "PostgreSQL" if url.get_backend_name() == "postgresql" else url.get_backend_name()
    where = f"{url.host}:{url.port}" if url.port else f"{url.host}"
    connect_args = {"connect_timeout": CONNECT_TIMEOUT} if url.get_backend_name() == "postgresql" else {}
    engine = sa.create_engine(url, connect_args=connect_args, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:
        return f"error: {name} tracker store at {where}, database '{url.database}' ({source}) is not reachable: {one_line(error)}"
    finally:
        engine.dispose()
    return None


def check_lock_store(config, source: str) -> Optional[str]:
    from rasa.core.lock_store import RedisLockStore
    from rasa.shared.utils.common import class_from_module_path

    store_type = (config.type or "").strip()
    if store_type.lower() in ("", "in_memory"):
        return None
    if store_type.lower() != "redis":
        try:
            store_class = class_from_module_path(store_type)
        except (AttributeError, ImportError) as error:
            return f"error: lock store type '{store_type}' ({source}) cannot be imported: {one_line(error)}"
        if not issubclass(store_class, RedisLockStore):
            return None
    import redis

    kwargs = config.kwargs
    host, port = config.url or "localhost", int(kwargs.get("port", 6379))
    client = redis.Redis(
        host=host,
        port=port,
        db=int(kwargs.get("db", 1)),
        username=kwargs.get("username"),
        password=kwargs.get("password"),
        ssl=bool(kwargs.get("use_ssl", False)),
        socket_connect_timeout=CONNECT_TIMEOUT,
        socket_timeout=CONNECT_TIMEOUT,
    )
    try:
        client.ping()
    except Exception as error:
        return f"error: Redis lock store at {host}:{port} ({source}) is not reachable: {one_line(error)}"
    finally:
        client.close()
    return None


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("endpoints", nargs="?", default="endpoints.yml")
    args = parser.parse_args(argv)
    source = args.endpoints

    if not Path(source).is_file():
        print(f"error: endpoints file {source} not found", file=sys.stderr)
        return 1
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import read_endpoint_config

    problems = []
    try:
        tracker_store = read_endpoint_config(source, "tracker_store")
        lock_store = read_endpoint_config(source, "lock_store")
    except RasaException as error:
        missing = re.findall(r"\$\{(\w+)\}", str(error).split("set these environment variables", 1)[-1])
        if "environment variables" in str(error) and missing:
            error = f"environment variable {', '.join(dict.fromkeys(missing))} is not set"
        print(f"error: {source}: {error}", file=sys.stderr)
        return 1
    if tracker_store is not None:
        problems.append(check_tracker_store(tracker_store, source))
    if lock_store is not None:
        problems.append(check_lock_store(lock_store, source))
    problems = [problem for problem in problems if problem]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
