# Google Drive: FUSE (fuse3, libfuse2) comes with .ci/run; the Drive benchmark compares with curl.
ensure_apt curl
if [ ! -e /dev/fuse ]; then
  echo "note: no /dev/fuse here; the Drive mount tests are skipped (run the container with --device /dev/fuse --cap-add SYS_ADMIN)" >&2
fi
