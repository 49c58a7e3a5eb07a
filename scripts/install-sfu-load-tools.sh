#!/usr/bin/env bash
# Installs the synthetic SFU load tools' Python packages (tools/sfu-load/requirements.txt:
# aiortc for WebRTC, aiohttp for REST and WebSockets) into .tools/venv-sfu (Janus itself:
# scripts/janus/install.sh), skipping whatever is already there. Quiet when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.tools/venv-sfu
requirements=tools/sfu-load/requirements.txt
stamp=$venv/.requirements

missing=()
command -v ip >/dev/null || missing+=(iproute2)
command -v unshare >/dev/null || missing+=(util-linux)
/usr/bin/python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}"
fi

# The stamp holds the requirements the venv was built from: a changed pin reinstalls.
if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$stamp"; then
  exit 0
fi
echo "==> installing the SFU load tools (aiortc) into $venv"
# Debian's interpreter, not whatever a version manager puts first on PATH.
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
cp "$requirements" "$stamp"
