"""Development and test tooling, kept out of the runtime package and out of service images.

- `dvc_devkit.devstack`: run the whole system on one machine (`dvc dev up`, the end-to-end tests);
- `dvc_devkit.testing`: per-run PostgreSQL databases and RabbitMQ vhosts, an S3 server (SeaweedFS);
- `dvc_devkit.identity`: a stand-in for identity in tests (`KeyRing`: signing keys, JWKS, tokens).
"""
