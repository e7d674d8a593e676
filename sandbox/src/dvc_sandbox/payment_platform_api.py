"""HTTP face of the national payment platform simulator, under `/payment-platform`.

- `POST /payment-platform/api/init`, `/api/query`, `/api/get-bill`, `/api/settlement`: the
  server-to-server messages (JSON, each with its `MaXacThuc`); 503 while the platform is down.
- `GET /payment-platform/pay/{MaGiaoDich}`: the bank page the citizen is sent to; with
  `?outcome=...` it finishes the payment and redirects back to the partner's `UrlTraVe`.
- `GET /payment-platform/keys`: the bank's receipt-signing public key (Ed25519).
- `/payment-platform/_control/...`: what a test sets up or inspects (not part of the platform).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from .payment_platform_store import OUTCOMES, PaymentPlatformStore


def get_store(request: Request) -> PaymentPlatformStore:
    store: PaymentPlatformStore = request.app.state.payment_platform
    if not store.base_url:
        store.base_url = str(request.base_url).rstrip("/")
    return store


StoreDep = Annotated[PaymentPlatformStore, Depends(get_store)]
router = APIRouter(prefix="/payment-platform", tags=["payment platform"])
control_router = APIRouter(prefix="/payment-platform/_control", tags=["payment platform control"])

UNAVAILABLE = JSONResponse({"MaLoi": "96", "MoTaLoi": "Hệ thống đang bảo trì"}, status_code=503)


async def _message(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise HTTPException(400, "Thông điệp không hợp lệ")
    return body


@router.post("/api/init", summary="Khởi tạo giao dịch thanh toán (INIT)")
async def init(request: Request, store: StoreDep) -> Any:
    body = await _message(request)
    if not await store.availability():
        return UNAVAILABLE
    return store.init(body)


@router.post("/api/query", summary="Tra cứu trạng thái giao dịch (QUERY)")
async def query(request: Request, store: StoreDep) -> Any:
    body = await _message(request)
    if not await store.availability():
        return UNAVAILABLE
    return store.query(body)


@router.post("/api/get-bill", summary="Lấy chứng từ nộp ngân sách nhà nước (GET_BILL)")
async def get_bill(request: Request, store: StoreDep) -> Any:
    body = await _message(request)
    if not await store.availability():
        return UNAVAILABLE
    return store.bill(body)


@router.post("/api/settlement", summary="Danh sách giao dịch đối soát trong ngày")
async def settlement(request: Request, store: StoreDep) -> Any:
    body = await _message(request)
    if not await store.availability():
        return UNAVAILABLE
    return store.settlement(body)


@router.get("/keys", summary="Khóa công khai ký chứng từ của ngân hàng")
async def keys(store: StoreDep) -> dict[str, str]:
    return {"alg": "Ed25519", "public_key": store.public_key}


@router.get("/pay/{transaction_id}", summary="Trang thanh toán của ngân hàng", response_model=None)
async def pay_page(transaction_id: str, store: StoreDep, outcome: str | None = None) -> Response:
    txn = store.by_transaction_id(transaction_id)
    if txn is None:
        raise HTTPException(404, "Không tìm thấy giao dịch")
    if outcome is None:
        links = "".join(f'<li><a href="?outcome={o}">{o}</a></li>' for o in OUTCOMES)
        return HTMLResponse(
            f"<!doctype html><html lang='vi'><meta charset='utf-8'><title>Thanh toán</title>"
            f"<h1>Thanh toán hồ sơ {txn.dossier_code}</h1><p>Số tiền: {txn.amount:,} VND</p>"
            f"<p>Chọn kết quả (mô phỏng):</p><ul>{links}</ul></html>"
        )
    if outcome not in OUTCOMES:
        raise HTTPException(422, f"outcome phải là một trong {', '.join(OUTCOMES)}")
    result = await store.complete(txn, outcome)
    if result["redirect"]:
        return RedirectResponse(result["redirect"], status_code=303)
    return JSONResponse(result)


class Outcome(BaseModel):
    outcome: str


class Outage(BaseModel):
    down: bool = False
    hang_seconds: float = 0.0


@control_router.post("/transactions/{reference}/complete")
async def complete(reference: str, body: Outcome, store: StoreDep) -> dict[str, Any]:
    """The citizen finishes at the bank with the chosen outcome; the callback(s) go out."""
    txn = store.by_reference(reference)
    if txn is None:
        raise HTTPException(404, "Không tìm thấy giao dịch")
    if body.outcome not in OUTCOMES:
        raise HTTPException(422, f"outcome phải là một trong {', '.join(OUTCOMES)}")
    return await store.complete(txn, body.outcome)


@control_router.post("/transactions/{reference}/callback")
async def resend_callback(reference: str, store: StoreDep) -> dict[str, Any]:
    """Send the transaction's callback again (a replay, as a retrying platform does)."""
    txn = store.by_reference(reference)
    if txn is None:
        raise HTTPException(404, "Không tìm thấy giao dịch")
    callback = store.callback_for(txn)
    return {"callback": callback, "status": await store._send(txn, callback)}


@control_router.get("/transactions")
async def transactions(store: StoreDep) -> list[dict[str, Any]]:
    return [
        {
            "reference": t.reference,
            "transaction_id": t.transaction_id,
            "dossier_code": t.dossier_code,
            "amount": t.amount,
            "paid_amount": t.paid_amount,
            "status": t.status,
            "callbacks": len(t.callbacks),
        }
        for t in store.transactions.values()
    ]


@control_router.get("/deliveries")
async def deliveries(store: StoreDep) -> list[dict[str, Any]]:
    return store.deliveries


@control_router.post("/outage")
async def outage(body: Outage, store: StoreDep) -> dict[str, Any]:
    store.down, store.hang_seconds = body.down, body.hang_seconds
    return {"down": store.down, "hang_seconds": store.hang_seconds}


@control_router.post("/reset")
async def reset(store: StoreDep) -> dict[str, bool]:
    store.reset()
    return {"reset": True}


def install(app: FastAPI) -> None:
    """Mount the simulator on the sandbox app with its own state."""
    app.state.payment_platform = PaymentPlatformStore()
    app.include_router(router)
    app.include_router(control_router)
