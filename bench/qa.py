"""Q&A benchmark: public search queries per second and latency with 100,000 answered questions.

A migrated throwaway database filled with answered questions written from Vietnamese templates
(varied agencies, procedures, places), then the public search endpoint `GET /api/v1/questions`
of qa's own app (in process, over ASGI: the HTTP stack, the repository and PostgreSQL, no network)
under concurrent clients. The query mix has terms with and without diacritics, common and rare
words, filters by agency and field, and plain listing pages. Target: p99 under 100 ms.

    .venv/bin/python bench/qa.py [--questions 100000] [--queries 3000] [--concurrency 4] [--per-shape]
                                 [--workers N]   (N uvicorn processes over real HTTP instead of in process)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
from pydantic import SecretStr

import dvc_qa
from dvc_devkit.testing.infra import postgres_database, rabbitmq_vhost
from dvc_qa.app import build
from dvc_qa.domain.text import fold
from dvc_qa.settings import QaSettings

MIGRATIONS = Path(dvc_qa.__file__).parent / "migrations"

AGENCIES = [
    ("000.00.02.H56", "Sở Nội vụ tỉnh Lai Châu"),
    ("000.00.03.H56", "Sở Tư pháp tỉnh Lai Châu"),
    ("000.00.04.H56", "Sở Tài chính tỉnh Lai Châu"),
    ("000.00.05.H56", "Sở Công Thương tỉnh Lai Châu"),
    ("000.00.06.H56", "Sở Nông nghiệp và Môi trường tỉnh Lai Châu"),
    ("000.00.08.H56", "Sở Giáo dục và Đào tạo tỉnh Lai Châu"),
    ("000.00.09.H56", "Sở Y tế tỉnh Lai Châu"),
    ("000.00.14.H56", "Sở Xây dựng tỉnh Lai Châu"),
]
TOPICS = [
    ("Hộ tịch", "đăng ký khai sinh cho con", "giấy chứng sinh và giấy tờ tùy thân của cha mẹ"),
    ("Hộ tịch", "đăng ký kết hôn", "tờ khai đăng ký kết hôn và giấy xác nhận tình trạng hôn nhân"),
    ("Hộ tịch", "cấp bản sao trích lục hộ tịch", "tờ khai đề nghị cấp bản sao trích lục"),
    ("Cư trú", "đăng ký thường trú và tách hộ khẩu", "tờ khai thay đổi thông tin cư trú"),
    ("Hoạt động xây dựng", "cấp giấy phép xây dựng nhà ở riêng lẻ", "bản vẽ thiết kế và giấy tờ về đất"),
    ("Đất đai", "cấp giấy chứng nhận quyền sử dụng đất lần đầu", "đơn đăng ký đất đai và sơ đồ thửa đất"),
    ("Đất đai", "chuyển mục đích sử dụng đất", "đơn xin chuyển mục đích sử dụng đất"),
    ("Giáo dục", "chuyển trường cho học sinh trung học cơ sở", "đơn xin chuyển trường và học bạ"),
    ("Y tế", "cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "văn bằng chuyên môn và giấy khám sức khỏe"),
    ("Thương mại", "cấp giấy phép bán lẻ rượu", "đơn đề nghị và hợp đồng mua bán rượu"),
    ("Nội vụ", "công nhận ban vận động thành lập hội", "đơn đề nghị và danh sách thành viên"),
    ("Tài chính", "đăng ký mã số đơn vị có quan hệ với ngân sách", "tờ khai đăng ký mã số"),
]
PLACES = [
    "phường Đoàn Kết",
    "phường Tân Phong",
    "xã Bình Lư",
    "xã Mường Than",
    "xã Phong Thổ",
    "xã Sìn Hồ",
    "xã Nậm Nhùn",
    "xã Than Uyên",
    "phường Đông Phong",
    "xã Tam Đường",
]
OPENINGS = ["Xin hỏi", "Cho tôi hỏi", "Tôi muốn hỏi", "Gia đình tôi cần hỏi", "Kính gửi cơ quan, tôi xin hỏi"]
ASKS = [
    "thì cần chuẩn bị những giấy tờ gì",
    "thời gian giải quyết là bao lâu",
    "có nộp hồ sơ trực tuyến được không",
    "lệ phí là bao nhiêu và nộp ở đâu",
    "có phải về nơi đăng ký thường trú không",
]
QUERIES = [
    {"q": "ho khau"},
    {"q": "hộ khẩu"},
    {"q": "giay phep xay dung"},
    {"q": "đăng ký kết hôn"},
    {"q": "khai sinh"},
    {"q": "le phi"},
    {"q": "chuyển trường"},
    {"q": "quyen su dung dat"},
    {"q": "ruou"},
    {"q": "Mường Than"},
    {"q": "chung chi hanh nghe"},
    {"q": "truc tuyen", "agency_id": "000.00.03.H56"},
    {"q": "giấy tờ", "field": "Đất đai"},
    {"agency_id": "000.00.14.H56"},
    {"field": "Hộ tịch"},
    {},
    {"q": "khong co tu nao nhu the nay"},
]


def rows(count: int, seed: int = 7) -> list[tuple[object, ...]]:
    rnd = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    out: list[tuple[object, ...]] = []
    for _ in range(count):
        agency_id, agency_name = rnd.choice(AGENCIES)
        field, subject, papers = rnd.choice(TOPICS)
        place = rnd.choice(PLACES)
        title = f"Hỏi về thủ tục {subject}"
        body = f"{rnd.choice(OPENINGS)}: tôi ở {place}, muốn làm thủ tục {subject} {rnd.choice(ASKS)}?"
        answer = (
            f"Trả lời: hồ sơ {subject} gồm {papers}; nộp tại Trung tâm Phục vụ hành chính công tỉnh "
            f"hoặc trực tuyến trên Cổng dịch vụ công; thời hạn giải quyết theo quy định."
        )
        asked = start + timedelta(minutes=rnd.randrange(0, 60 * 24 * 700))
        answered = asked + timedelta(hours=rnd.randrange(1, 40))
        search = fold(" ".join([title, body, answer, agency_name, field]))
        deadline = {
            "instant": (asked + timedelta(days=2)).isoformat(),
            "rule": "qa.simple",
            "explanation": "",
        }
        out.append(
            (
                uuid.uuid4(),
                f"citizen-{rnd.randrange(20000)}",
                "citizen",
                agency_id,
                None,
                field,
                title,
                body,
                "answered",
                2,
                asked,
                False,
                "[]",
                asked + timedelta(days=2),
                asked + timedelta(days=1),
                json.dumps(deadline),
                False,
                False,
                answer,
                agency_name,
                "Trần Thị Hoa",
                "Chuyên viên Văn phòng",
                "officer-1",
                answered,
                search,
            )
        )
    return out


COLUMNS = [
    "id",
    "asker_subject",
    "asker_kind",
    "agency_id",
    "procedure_code",
    "field_name",
    "title",
    "body",
    "status",
    "version",
    "asked_at",
    "needs_coordination",
    "coordinating_agencies",
    "due_at",
    "due_soon_at",
    "deadline",
    "due_soon_sent",
    "overdue_sent",
    "answer",
    "answer_agency_name",
    "answerer_name",
    "answerer_position",
    "published_by",
    "answered_at",
    "search_text",
]


async def fill(url: str, count: int) -> float:
    started = time.perf_counter()
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        # COPY is binary: a jsonb value is a version byte followed by the JSON text.
        await conn.set_type_codec(
            "jsonb",
            encoder=lambda v: b"\x01" + v.encode(),
            decoder=lambda b: json.loads(b[1:]),
            schema="pg_catalog",
            format="binary",
        )
        batch = 20_000
        for offset in range(0, count, batch):
            await conn.copy_records_to_table(
                "qa_question", records=rows(min(batch, count - offset), seed=offset), columns=COLUMNS
            )
        await conn.execute("VACUUM ANALYZE qa_question")
    finally:
        await conn.close()
    return time.perf_counter() - started


@contextmanager
def served(url: str, workers: int, concurrency: int) -> Iterator[str]:
    """qa as `uvicorn` processes (its own RabbitMQ vhost for the broker it connects at start-up)."""
    with rabbitmq_vhost("dvc-bench-qa") as vhost:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = dict(os.environ)
        env.update(
            DVC_QA_DATABASE_URL=url,
            DVC_QA_AMQP_URL=vhost.url,
            DVC_QA_DB_POOL_SIZE=str(max(2, concurrency // workers)),
            DVC_QA_LOG_LEVEL="WARNING",
        )
        argv = [str(Path(sys.executable).parent / "uvicorn"), "dvc_qa.app:app", "--port", str(port)]
        server = subprocess.Popen(
            [*argv, "--workers", str(workers), "--no-access-log", "--log-level", "warning"], env=env
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            server.wait(15)


async def measure(
    url: str, queries: int, concurrency: int, per_shape: bool = False, base_url: str | None = None
) -> None:
    app = build(QaSettings(database_url=SecretStr(url), log_json=False, db_pool_size=concurrency))
    transport = httpx.ASGITransport(app=app) if base_url is None else None
    latencies: list[float] = []
    found: list[int] = []
    by_shape: dict[str, list[float]] = {}
    plan = [QUERIES[i % len(QUERIES)] for i in range(queries)]
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(
        transport=transport, base_url=base_url or "http://qa", limits=limits
    ) as client:
        for params in QUERIES:  # warm the pool and the cache once per query shape
            (await client.get("/api/v1/questions", params=params)).raise_for_status()

        async def worker(mine: list[dict[str, str]]) -> None:
            for params in mine:
                t0 = time.perf_counter()
                response = await client.get("/api/v1/questions", params=params)
                latencies.append(time.perf_counter() - t0)
                if per_shape:
                    by_shape.setdefault(json.dumps(params, ensure_ascii=False), []).append(latencies[-1])
                response.raise_for_status()
                found.append(len(response.json()["items"]))

        started = time.perf_counter()
        await asyncio.gather(*(worker(plan[i::concurrency]) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
    await app.state.runtime.engine.dispose()
    ordered = sorted(latencies)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    where = "in process (ASGI)" if base_url is None else f"over HTTP to uvicorn at {base_url}"
    print(
        f"public search {where}: {queries} queries, concurrency {concurrency}: {queries / elapsed:.0f} queries/s"
    )
    print(
        f"latency ms: p50 {p(0.50):.1f}  p95 {p(0.95):.1f}  p99 {p(0.99):.1f}  max {ordered[-1] * 1000:.1f}"
        f"  mean {statistics.mean(latencies) * 1000:.1f}"
    )
    print(f"results per page: mean {statistics.mean(found):.1f} (pages of 20)")
    if by_shape:
        for key, values in sorted(by_shape.items(), key=lambda kv: -statistics.mean(kv[1])):
            print(f"  {statistics.mean(values) * 1000:7.1f} ms  {key}")
    print("target p99 < 100 ms:", "met" if p(0.99) < 100 else "MISSED")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--per-shape", action="store_true", help="mean latency of each query shape")
    parser.add_argument(
        "--workers", type=int, default=0, help="serve qa with this many uvicorn processes (0: in process)"
    )
    args = parser.parse_args()
    with postgres_database("dvc_qa_bench", MIGRATIONS) as url:
        seconds = asyncio.run(fill(url, args.questions))
        print(f"{args.questions} answered questions loaded in {seconds:.1f} s")
        if args.workers:
            with served(url, args.workers, args.concurrency) as base_url:
                asyncio.run(measure(url, args.queries, args.concurrency, args.per_shape, base_url))
        else:
            asyncio.run(measure(url, args.queries, args.concurrency, args.per_shape))


if __name__ == "__main__":
    main()
