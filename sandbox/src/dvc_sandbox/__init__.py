"""Simulators of the national systems the provincial one-stop system talks to.

- the national public-service portal (Cổng Dịch vụ công quốc gia) synchronisation API;
- an SMTP sink that keeps every e-mail it receives, readable over HTTP.
"""
