"""State of the Zalo Official Account simulator: tokens, followers, approved ZNS templates, sent messages.

It answers the way the real Zalo APIs do (HTTP 200 with a non-zero `error` and a message), so a
client written against it works against Zalo: access tokens expire and are renewed with a refresh
token that is valid once; ZNS messages need an approved template, complete template data, a phone
in international form (84…) and, for this province's OA, a citizen who follows the OA.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from dvc_common import clock

DEFAULT_APP_ID = "sandbox-zalo-app"
DEFAULT_SECRET_KEY = "dev-zalo-secret"
DEFAULT_REFRESH_TOKEN = "dev-zalo-refresh-token"
DEFAULT_TOKEN_TTL = 90_000  # seconds, as Zalo's OA access tokens (25 hours)

# Templates the province's OA has had approved (id → the parameters their data must carry).
APPROVED_TEMPLATES: dict[str, tuple[str, ...]] = {
    "310201": ("ten_nguoi_nop", "ma_ho_so", "trang_thai", "thoi_gian", "tra_cuu"),
    # Payment of fees: requested, received, failed.
    "310211": ("ten_nguoi_nop", "ma_ho_so", "so_tien", "tra_cuu"),
    "310212": ("ten_nguoi_nop", "ma_ho_so", "so_tien", "tra_cuu"),
    "310213": ("ten_nguoi_nop", "ma_ho_so", "so_tien", "tra_cuu"),
    # Money taken that will be refunded (wrong amount, paid twice, paid after withdrawal).
    "310214": ("ten_nguoi_nop", "ma_ho_so", "so_tien", "tra_cuu"),
    # Questions of the Q&A section: received, answered, declined.
    "310221": ("ten_nguoi_hoi", "co_quan", "han_tra_loi"),
    "310222": ("ten_nguoi_hoi", "co_quan", "nguoi_tra_loi"),
    "310223": ("ten_nguoi_hoi", "ly_do"),
}
# Submitted for review but not approved yet: sending with it fails.
PENDING_TEMPLATES: dict[str, tuple[str, ...]] = {"310299": ("ma_ho_so",)}

PHONE = re.compile(r"^84[0-9]{9,10}$")

# Error answers (code, message), as Zalo returns them.
TOKEN_INVALID = (-124, "Access token is invalid or has expired")
PHONE_INVALID = (-108, "Phone number is invalid")
NOT_FOLLOWING = (-213, "User has not followed the Official Account")
TEMPLATE_NOT_APPROVED = (-117, "Template has not been approved or OA has no permission to use it")
TEMPLATE_DATA_INVALID = (-112, "Template data is invalid")
RATE_LIMITED = (-32, "Request exceeds the rate limit, please try again later")
REFRESH_INVALID = (-14014, "Invalid refresh token")
APP_INVALID = (-14002, "Invalid app_id or secret_key")


@dataclass
class ZaloStore:
    app_id: str = DEFAULT_APP_ID
    secret_key: str = DEFAULT_SECRET_KEY
    seed_refresh_token: str = DEFAULT_REFRESH_TOKEN
    token_ttl: int = DEFAULT_TOKEN_TTL
    refresh_tokens: set[str] = field(default_factory=set)
    access_tokens: dict[str, float] = field(default_factory=dict)  # token → expiry (system clock)
    not_following: set[str] = field(default_factory=set)
    templates: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(APPROVED_TEMPLATES))
    pending_templates: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(PENDING_TEMPLATES))
    per_second: int | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)
    by_tracking_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    refreshes: int = 0
    rejected: dict[int, int] = field(default_factory=dict)
    _window: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_env(cls) -> ZaloStore:
        return cls(
            app_id=os.environ.get("SANDBOX_ZALO_APP_ID", DEFAULT_APP_ID),
            secret_key=os.environ.get("SANDBOX_ZALO_SECRET_KEY", DEFAULT_SECRET_KEY),
            seed_refresh_token=os.environ.get("SANDBOX_ZALO_REFRESH_TOKEN", DEFAULT_REFRESH_TOKEN),
            token_ttl=int(os.environ.get("SANDBOX_ZALO_TOKEN_TTL", DEFAULT_TOKEN_TTL)),
        )

    def reset(self) -> None:
        with self._lock:
            self.refresh_tokens.clear()
            self.access_tokens.clear()
            self.not_following.clear()
            self.templates = dict(APPROVED_TEMPLATES)
            self.pending_templates = dict(PENDING_TEMPLATES)
            self.per_second = None
            self.messages.clear()
            self.by_tracking_id.clear()
            self.refreshes = 0
            self.rejected.clear()
            self._window.clear()

    # ------------------------------------------------------------------ OAuth v4

    def refresh(self, app_id: str, secret_key: str, refresh_token: str) -> dict[str, Any]:
        with self._lock:
            if app_id != self.app_id or secret_key != self.secret_key:
                return self._oauth_error(APP_INVALID)
            # The seed token (pasted by the operator) stays usable; issued ones are valid once.
            if refresh_token in self.refresh_tokens:
                self.refresh_tokens.discard(refresh_token)
            elif refresh_token != self.seed_refresh_token:
                return self._oauth_error(REFRESH_INVALID)
            access = "zat-" + secrets.token_urlsafe(16)
            renewed = "zrt-" + secrets.token_urlsafe(16)
            self.access_tokens[access] = clock.timestamp() + self.token_ttl
            self.refresh_tokens.add(renewed)
            self.refreshes += 1
            return {"access_token": access, "refresh_token": renewed, "expires_in": str(self.token_ttl)}

    @staticmethod
    def _oauth_error(error: tuple[int, str]) -> dict[str, Any]:
        return {"error": error[0], "error_name": error[1], "error_description": error[1]}

    def expire_tokens(self) -> int:
        with self._lock:
            count = len(self.access_tokens)
            self.access_tokens.clear()
            return count

    # ------------------------------------------------------------------ ZNS

    def send(self, access_token: str | None, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            error = self._check(access_token, body)
            if error is not None:
                self.rejected[error[0]] = self.rejected.get(error[0], 0) + 1
                return {"error": error[0], "message": error[1]}
            tracking_id = body.get("tracking_id")
            if isinstance(tracking_id, str) and tracking_id in self.by_tracking_id:
                return self._success(self.by_tracking_id[tracking_id])  # the same request again: one message
            message = {
                "msg_id": secrets.token_hex(16),
                "sent_time": str(int(clock.timestamp() * 1000)),
                "phone": body["phone"],
                "template_id": body["template_id"],
                "template_data": body["template_data"],
                "tracking_id": tracking_id,
            }
            self.messages.append(message)
            if isinstance(tracking_id, str):
                self.by_tracking_id[tracking_id] = message
            return self._success(message)

    def _success(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "error": 0,
            "message": "Success",
            "data": {
                "msg_id": message["msg_id"],
                "sent_time": message["sent_time"],
                "quota": {"dailyQuota": "500000", "remainingQuota": str(500000 - len(self.messages))},
            },
        }

    def _check(self, access_token: str | None, body: dict[str, Any]) -> tuple[int, str] | None:
        expiry = self.access_tokens.get(access_token or "")
        if expiry is None or expiry <= clock.timestamp():
            return TOKEN_INVALID
        if self._over_rate():
            return RATE_LIMITED
        phone = body.get("phone")
        if not isinstance(phone, str) or not PHONE.fullmatch(phone):
            return PHONE_INVALID
        template_id = str(body.get("template_id", ""))
        if template_id not in self.templates:
            return TEMPLATE_NOT_APPROVED
        data = body.get("template_data")
        if not isinstance(data, dict) or any(
            not isinstance(data.get(p), str | int | float) or data.get(p) == ""
            for p in self.templates[template_id]
        ):
            return TEMPLATE_DATA_INVALID
        if phone in self.not_following:
            return NOT_FOLLOWING
        return None

    def _over_rate(self) -> bool:
        if self.per_second is None:
            return False
        now = time.monotonic()
        self._window = [t for t in self._window if t > now - 1.0]
        if len(self._window) >= self.per_second:
            return True
        self._window.append(now)
        return False

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "messages": len(self.messages),
                "refreshes": self.refreshes,
                "rejected": {str(code): count for code, count in self.rejected.items()},
                "not_following": sorted(self.not_following),
                "approved_templates": sorted(self.templates),
                "per_second": self.per_second,
            }
