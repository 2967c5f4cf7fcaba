#!/usr/bin/env bash
# Print the path of a working Python 3.10 (Rasa 3.6 supports 3.7-3.10 only), or explain what to install.
set -u
candidates=("${PYTHON:-}" python3.10)
# pyenv installs it without putting it on PATH unless selected; look there too.
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin; do
  candidates+=("$dir/python3.10")
done
for candidate in "${candidates[@]}"; do
  [ -n "$candidate" ] || continue
  if version=$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) \
     && [ "$version" = "3.10" ]; then
    command -v "$candidate"
    exit 0
  fi
done
cat >&2 <<'MSG'
Python 3.10 was not found. Rasa Open Source 3.6 needs exactly Python 3.10 (3.11 and newer are not supported).
Install it, for example:
  Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv
  macOS:          brew install python@3.10
  pyenv:          pyenv install 3.10
or point PYTHON at one:  make run PYTHON=/path/to/python3.10
MSG
exit 1
