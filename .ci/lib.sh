# Helpers for .ci/run and the feature set-up scripts in .ci/setup.d/ (sourced, not run).

# Install Debian packages that are missing; `apt-get update` at most once per run.
ensure_apt() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "${COLAB_EXT_SKIP_APT:-0}" = 1 ]; then
    echo "missing Debian packages (COLAB_EXT_SKIP_APT=1): ${missing[*]}" >&2
    return 1
  fi
  if [ -z "${_COLAB_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _COLAB_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
