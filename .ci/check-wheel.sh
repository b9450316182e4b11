#!/usr/bin/env bash
# The wheel carries the built frontend and the server config: install it into a new virtual
# environment holding only JupyterLab, with no Node on the PATH, and check both halves are enabled.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python -m build --wheel --outdir "$work/dist" . >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wheel=$(ls "$work"/dist/colab_ext-*.whl)
# Capture first: grep -q closing the pipe early would kill the lister with SIGPIPE.
listing=$(python -m zipfile -l "$wheel")
for member in share/jupyter/labextensions/colab-ext/package.json \
  etc/jupyter/jupyter_server_config.d/colab_ext.json colab_ext/openapi.yaml; do
  grep -qF "$member" <<<"$listing" || { echo "the wheel lacks $member"; exit 1; }
done

python3 -m venv "$work/venv"
# Only the venv and a few basic tools on the PATH: node lives in /usr/bin here, so the PATH
# cannot simply include /usr/bin.
mkdir "$work/tools"
for tool in sh env uname cat ls; do ln -s "$(command -v "$tool")" "$work/tools/$tool"; done
clean_path="$work/venv/bin:$work/tools"
env -i PATH="$clean_path" sh -c 'command -v node || command -v jlpm || command -v npm' &&
  { echo "node is on the clean PATH"; exit 1; }
env -i HOME="$work/home" PATH="$clean_path" "$work/venv/bin/pip" install -q jupyterlab "$wheel"

labext=$(env -i HOME="$work/home" PATH="$clean_path" jupyter labextension list 2>&1)
serverext=$(env -i HOME="$work/home" PATH="$clean_path" jupyter server extension list 2>&1)
echo "$labext" | grep -E 'colab-ext v[0-9.]+.*enabled.*OK' ||
  { echo "$labext"; echo "colab-ext labextension is not enabled and OK"; exit 1; }
echo "$serverext" | grep -E 'colab_ext.*OK' ||
  { echo "$serverext"; echo "colab_ext server extension is not OK"; exit 1; }
echo "$serverext" | grep -qE 'colab_ext.*enabled' ||
  { echo "$serverext"; echo "colab_ext server extension is not enabled"; exit 1; }
# And the Runtime menu works in a browser, served from that venv alone.
python .ci/wheel_smoke.py "$work/venv/bin/jupyter"
echo "wheel OK: $(basename "$wheel")"
