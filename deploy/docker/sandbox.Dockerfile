# syntax=docker/dockerfile:1
# Sandbox of the national systems (national portal, payment platform, VNeID, Zalo, SMTP sink), for
# development and end-to-end tests only. Build from the repository root:
#   docker build -f deploy/docker/sandbox.Dockerfile -t dvc/sandbox .
# Installed like the services (deploy/docker/service.Dockerfile): a wheel, non-editable, every
# third-party package from requirements.lock with its hashes checked.
ARG PYTHON_VERSION=3.11

FROM ghcr.io/astral-sh/uv:0.13.9 AS uv

FROM python:${PYTHON_VERSION}-slim-bookworm AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
WORKDIR /src
COPY requirements.lock requirements.lock
COPY libs/common libs/common
COPY sandbox sandbox
# The sandbox imports dvc_common (its clock) without declaring it yet: both wheels, side by side.
RUN python -m venv --without-pip /opt/dvc \
 && uv build --no-config --wheel --build-constraints requirements.lock --out-dir /tmp/wheels libs/common \
 && uv build --no-config --wheel --build-constraints requirements.lock --out-dir /tmp/wheels sandbox \
 && uv pip install --no-config --python /opt/dvc/bin/python --constraints requirements.lock \
      /tmp/wheels/dvc_common-*.whl /tmp/wheels/dvc_sandbox-*.whl \
 && uv pip check --no-config --python /opt/dvc/bin/python

FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/dvc/bin:$PATH
RUN groupadd --system --gid 10001 dvc \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin dvc
RUN mkdir -p /var/lib/sandbox/mail && chown 10001:10001 /var/lib/sandbox/mail
COPY --from=build /opt/dvc /opt/dvc
WORKDIR /app
USER 10001:10001
EXPOSE 8090 1025
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8090/healthz', timeout=4)"]
# The CLI binds 127.0.0.1 by default; a container must listen on all interfaces.
CMD ["dvc-sandbox", "--http-host", "0.0.0.0", "--http-port", "8090", "--smtp-host", "0.0.0.0", "--smtp-port", "1025", \
     "--mail-dir", "/var/lib/sandbox/mail"]
