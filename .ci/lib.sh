# Helpers for .ci/run and the feature set-up scripts in .ci/setup.d/ (sourced, not run).

# Install Debian packages that are missing; `apt-get update` at most once per run. A package
# counts as present only when dpkg says "install ok installed": `dpkg -s` also succeeds for one
# left half-installed or unpacked by an apt run that was interrupted or still going.
ensure_apt() {
  local missing=() pkg
  for pkg in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "${COLAB_EXT_SKIP_APT:-0}" = 1 ]; then
    echo "missing Debian packages (COLAB_EXT_SKIP_APT=1): ${missing[*]}" >&2
    return 1
  fi
  if [ -z "${_COLAB_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
    _COLAB_APT_UPDATED=1
  fi
  # Another apt run (unattended upgrades, a second CI job) holds the lock: wait for it rather
  # than fail, then let dpkg finish anything it left half-configured.
  DEBIAN_FRONTEND=noninteractive dpkg --configure -a >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}
