"""The portal's pages (routes parse, call one use-case, render)."""

from dvc_portal.api import (
    admin,
    citizen,
    counter,
    data_store,
    notifications,
    officer_auth,
    officer_work,
    operator,
    payment_pages,
    public,
    qa_pages,
    submission,
)

ROUTERS = [
    public.router,
    officer_auth.router,
    officer_work.router,
    citizen.router,
    submission.router,
    data_store.router,
    payment_pages.router,
    notifications.router,
    qa_pages.router,
    counter.router,
    admin.router,
    operator.router,
]
