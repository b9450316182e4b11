#!/usr/bin/env bash
# The wheel carries the built frontend and the server config: install it into a new virtual
# environment holding only JupyterLab, with no Node on the PATH, and check both halves are enabled.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python -m build --wheel --outdir "$work/dist" . >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wheel=$(ls "$work"/dist/colab_ext-*.whl)
python -m zipfile -l "$wheel" | grep -q 'share/jupyter/labextensions/colab-ext/package.json'
python -m zipfile -l "$wheel" | grep -q 'etc/jupyter/jupyter_server_config.d/colab_ext.json'
python -m zipfile -l "$wheel" | grep -q 'colab_ext/openapi.yaml'

python3 -m venv "$work/venv"
# Only the venv and the system's basic tools: no node, no jlpm.
clean_path="$work/venv/bin:/usr/bin:/bin"
env -i HOME="$HOME" PATH="$clean_path" sh -c '! command -v node' >/dev/null ||
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
echo "wheel OK: $(basename "$wheel")"
