#!/bin/sh
# Install services the way their images do: libs/common and the service, as wheels (never
# editable), nothing else (no dev requirements), every third-party version from requirements.lock
# with its hashes checked. deploy/docker/service.Dockerfile and the image-install test
# (tests/images) both run this script, so what the test imports is exactly what an image ships.
# Run it from the root of a copy of the build context (the repository root, minus .dockerignore).
#
#   sh deploy/docker/install-service.sh wheels OUTDIR SERVICE...   # build the wheels
#   sh deploy/docker/install-service.sh install OUTDIR SERVICE VENV # install one service into VENV
#
# VENV must exist (`python -m venv --without-pip VENV`). UV names the uv binary (default: uv).
set -eu
uv=${UV:-uv}
action=$1
out=$2
shift 2
case "$action" in
  wheels)
    # The build backend (setuptools) comes from the lock too.
    "$uv" build --no-config --wheel --build-constraints requirements.lock --out-dir "$out" libs/common
    for service in "$@"; do
      "$uv" build --no-config --wheel --build-constraints requirements.lock --out-dir "$out" "services/$service"
    done
    ;;
  install)
    service=$1
    venv=$2
    dist=$(echo "dvc-$service" | tr - _)
    # Wheel files by path: the dvc-* names are never looked up on an index.
    "$uv" pip install --no-config --python "$venv/bin/python" --constraints requirements.lock \
      "$out"/dvc_common-*.whl "$out/$dist"-*.whl
    "$uv" pip check --no-config --python "$venv/bin/python"
    ;;
  *)
    echo "usage: $0 wheels OUTDIR SERVICE... | install OUTDIR SERVICE VENV" >&2
    exit 2
    ;;
esac
