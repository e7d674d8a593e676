"""The portal's pages (routes parse, call one use-case, render)."""

from dvc_portal.api import admin, citizen, officer_auth, officer_work, public

ROUTERS = [public.router, officer_auth.router, officer_work.router, citizen.router, admin.router]
