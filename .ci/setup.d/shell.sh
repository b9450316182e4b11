# Set-up for the shell feature's tests: a real R kernel (IRkernel from Debian), registered as the
# `ir` kernelspec in the active virtual environment so the test servers (which look in
# sys.prefix/share/jupyter/kernels) find it. Idempotent. Sourced by .ci/run after the venv is active.
ensure_apt r-base-core r-cran-irkernel
# Debian's package installs the R library but no kernelspec. IRkernel::installspec() would call
# `jupyter kernelspec install`, which may not be on R's PATH; write the spec ourselves instead,
# exactly as installspec() does (its kernelspec folder, with the `R` binary spelled out).
_shell_spec_src=$(Rscript -e 'cat(system.file("kernelspec", package = "IRkernel"))')
_shell_spec_dir="${VIRTUAL_ENV:?activate the venv first}/share/jupyter/kernels/ir"
mkdir -p "$_shell_spec_dir"
cp -f "$_shell_spec_src"/* "$_shell_spec_dir"/
python - "$_shell_spec_dir/kernel.json" "$(command -v R)" <<'PY'
import json, sys
path, r_binary = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
spec["argv"][0] = r_binary
json.dump(spec, open(path, "w"), indent=1)
PY
unset _shell_spec_src _shell_spec_dir
