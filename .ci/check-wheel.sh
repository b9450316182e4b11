#!/usr/bin/env bash
# What users install, built the way they build it: from a pristine copy of the source (what
# `git clone` gives: nothing built, no node_modules, no generated files), both
#   - the wheel pip builds for `pip install .` and `pip install git+<repo>`, and
#   - the sdist, then the wheel pip builds from that sdist (`pip install colab-ext-X.tar.gz`, and
#     what a release publishes),
# each checked by twine, installed into a virtual environment holding only JupyterLab with no Node
# on the PATH, and started: both halves enabled, a colab route answering 200, and the Runtime menu
# working in Chromium. Then the same venv with the server half turned off must say so in the page.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A pristine copy: the files git tracks or would track (uncommitted edits included, so this
# checks the tree as it is), and nothing that a build or an earlier install left behind.
pristine() {
  mkdir -p "$1"
  git ls-files -z --cached --others --exclude-standard |
    tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$1"
  [ ! -e "$1/colab_ext/labextension" ] || { echo "pristine copy has a built labextension"; exit 1; }
}

# Runs "$@" with its output in $work/<name>.log, shown only when it fails.
build_log() {
  local name=$1
  shift
  "$@" >"$work/$name.log" 2>&1 || { cat "$work/$name.log"; return 1; }
}

pristine "$work/tree"
pristine "$work/tree-for-sdist"
# The two builds are independent (each its own copy, its own node_modules): side by side, the
# step takes one build's time instead of two.
build_log tree python -m pip wheel --no-deps --wheel-dir "$work/from-tree" "$work/tree" &
from_tree=$!
# `python -m build` with no flags builds the sdist, then the wheel from the unpacked sdist.
build_log sdist python -m build --outdir "$work/from-sdist" "$work/tree-for-sdist" &
from_sdist=$!
wait "$from_tree" || { echo "the wheel from the tree did not build"; exit 1; }
wait "$from_sdist" || { echo "the sdist or its wheel did not build"; exit 1; }
python -m twine check --strict "$work"/from-tree/*.whl "$work"/from-sdist/*

sdist=$(ls "$work"/from-sdist/colab_ext-*.tar.gz)
listing=$(tar -tzf "$sdist")
for member in colab_ext/labextension/package.json package.json yarn.lock CHANGELOG.md; do
  grep -qF "/$member" <<<"$listing" || { echo "the sdist lacks $member"; exit 1; }
done

python3 -m venv "$work/venv"
# Only the venv and a few basic tools on the PATH: node lives in /usr/bin here, so the PATH
# cannot simply include /usr/bin.
mkdir "$work/tools"
for tool in sh env uname cat ls; do ln -s "$(command -v "$tool")" "$work/tools/$tool"; done
clean_path="$work/venv/bin:$work/tools"
env -i PATH="$clean_path" sh -c 'command -v node || command -v jlpm || command -v npm' &&
  { echo "node is on the clean PATH"; exit 1; }
in_venv() { env -i HOME="$work/home" PATH="$clean_path" "$@"; }
in_venv "$work/venv/bin/pip" install -q jupyterlab

check_wheel() {
  local wheel=$1 how=$2 listing labext serverext member
  listing=$(python -m zipfile -l "$wheel")
  for member in share/jupyter/labextensions/colab-ext/package.json \
    etc/jupyter/jupyter_server_config.d/colab_ext.json colab_ext/openapi.yaml \
    colab_ext/kernel_site/google/colab/__init__.py colab_ext/kernel_site/google/colab/drive.py; do
    grep -qF "$member" <<<"$listing" || { echo "the wheel ($how) lacks $member"; exit 1; }
  done
  # google/ must stay a namespace package, or kernels lose google.auth, google.protobuf, ...
  ! grep -qF colab_ext/kernel_site/google/__init__.py <<<"$listing" ||
    { echo "the wheel ($how) has kernel_site/google/__init__.py"; exit 1; }
  in_venv "$work/venv/bin/pip" install -q "$wheel" # with its dependencies
  in_venv "$work/venv/bin/pip" install -q --force-reinstall --no-deps "$wheel" # this very wheel
  labext=$(in_venv jupyter labextension list 2>&1)
  serverext=$(in_venv jupyter server extension list 2>&1)
  echo "$labext" | grep -E 'colab-ext v[0-9.]+.*enabled.*OK' ||
    { echo "$labext"; echo "colab-ext labextension is not enabled and OK ($how)"; exit 1; }
  echo "$serverext" | grep -E 'colab_ext.*OK' ||
    { echo "$serverext"; echo "colab_ext server extension is not OK ($how)"; exit 1; }
  echo "$serverext" | grep -qE 'colab_ext.*enabled' ||
    { echo "$serverext"; echo "colab_ext server extension is not enabled ($how)"; exit 1; }
}

check_wheel "$(ls "$work"/from-tree/colab_ext-*.whl)" "pip wheel of a fresh clone"
python .ci/wheel_smoke.py "$work/venv/bin/jupyter" --route-only
check_wheel "$(ls "$work"/from-sdist/colab_ext-*.whl)" "wheel built from the sdist"
# The browser checks: the Runtime menu works, and with the server half off the page says so.
python .ci/wheel_smoke.py "$work/venv/bin/jupyter"
echo "wheel and sdist OK: $(basename "$sdist")"
