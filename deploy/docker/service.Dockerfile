# syntax=docker/dockerfile:1
# The image of every service, from one Dockerfile. Build from the repository root:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=intake --build-arg PORT=8001 \
#     -t dvc/intake .
# The same image runs the service (default CMD) and its migrations (`dvc migrate <service>`: the
# init container in Kubernetes, migrate-<service> in compose).
# PYTHON_VERSION=3.12 builds on the next base image (deploy/README.md, "Python versions").
ARG PYTHON_VERSION=3.11

# uv installs from requirements.lock; the same release is pinned there (deploy/lock/tools.in).
FROM ghcr.io/astral-sh/uv:0.13.9 AS uv

# ---- build: libs/common and the service as wheels, installed into /opt/dvc exactly as the
# image-install test (tests/images) does it: deploy/docker/install-service.sh.
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ARG SERVICE
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
WORKDIR /src
COPY requirements.lock requirements.lock
COPY deploy/docker/install-service.sh deploy/docker/install-service.sh
COPY libs/common libs/common
COPY services/${SERVICE} services/${SERVICE}
RUN python -m venv --without-pip /opt/dvc \
 && sh deploy/docker/install-service.sh wheels /tmp/wheels "${SERVICE}" \
 && sh deploy/docker/install-service.sh install /tmp/wheels "${SERVICE}" /opt/dvc

# ---- runtime: the virtualenv only (no uv, no sources, no wheels), non-root
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ARG SERVICE
ARG PORT
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/dvc/bin:$PATH \
    DVC_SERVICE=${SERVICE} \
    DVC_PORT=${PORT} \
    DVC_INTAKE_BLOB_DIR=/var/lib/dvc/blobs
# DejaVu Sans: the Vietnamese glyphs of the official forms (dvc_common.pdf: intake's slips,
# workflow's Mẫu 06/07).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 dvc \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin dvc
# Writable state (intake's local blob store, DVC_INTAKE_BLOB_BACKEND=local): mount a volume, or use S3.
RUN mkdir -p /var/lib/dvc/blobs && chown -R 10001:10001 /var/lib/dvc
COPY --from=build /opt/dvc /opt/dvc
WORKDIR /app
USER 10001:10001
EXPOSE ${PORT}
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['DVC_PORT'], timeout=4)"]
# dvc_<service>.app:app on PORT; exec, so uvicorn is PID 1 and gets SIGTERM.
CMD ["/bin/sh", "-c", "exec uvicorn \"dvc_$(echo \"$DVC_SERVICE\" | tr - _).app:app\" --host 0.0.0.0 --port \"$DVC_PORT\""]
