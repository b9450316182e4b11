# Runtime type: a real Jupyter Enterprise Gateway for the gateway tests (tests/runtime/test_gateway*.py).
# Enterprise Gateway 3.3.0 pins jupyter_server < 2 and jupyter_client < 7, so it lives in a virtual
# environment of its own, never in the test venv. The tests find it through COLAB_EXT_JEG_VENV
# (default: ~/.cache/colab-ext/jeg-venv, outside the repository so linters never walk it).
# test_gateway_ssh.py also runs its remote kernels with this venv's python (over SSH to this machine's
# sshd; openssh-server comes from .ci/run's apt line): the gateway's paramiko and the launcher's
# ipykernel and pycryptodomex come with Enterprise Gateway.
# Idempotent: an existing, working venv is kept.
# (sourced by .ci/run, after the test venv is active)
COLAB_EXT_JEG_VENV=${COLAB_EXT_JEG_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/colab-ext/jeg-venv}
export COLAB_EXT_JEG_VENV
if ! { "$COLAB_EXT_JEG_VENV/bin/jupyter-enterprisegateway" --version &&
  "$COLAB_EXT_JEG_VENV/bin/python" -c "import paramiko, Cryptodome, ipykernel"; } >/dev/null 2>&1; then
  python3 -m venv --clear "$COLAB_EXT_JEG_VENV"
  "$COLAB_EXT_JEG_VENV/bin/pip" install -q --upgrade pip
  "$COLAB_EXT_JEG_VENV/bin/pip" install -q "jupyter_enterprise_gateway==3.3.0" ipykernel
fi
"$COLAB_EXT_JEG_VENV/bin/jupyter-enterprisegateway" --version
