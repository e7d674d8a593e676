"""Actions while the dossier is handled: assign, forward, send back, transfer (liên thông), extend."""

from __future__ import annotations

import re

from dvc_common.events import (
    DOSSIER_EXTENDED,
    DOSSIER_RESULT_READY,
    DossierExtended,
    DossierMilestone,
)
from dvc_common.worktime import Duration, Outcome, Unit, add_duration
from dvc_workflow import errors
from dvc_workflow.domain import lifecycle as lc
from dvc_workflow.domain.process import ProcessStep
from dvc_workflow.service.deadlines import classify
from dvc_workflow.service.steps import move_to
from dvc_workflow.service.transition import Change, Transition


async def assign(t: Transition) -> Change:
    request = t.request
    if not (request.assignee_subject or request.department):
        raise errors.assignee_required()
    await _assign_from_request(t)
    d = t.dossier
    who = d.assignee_name or d.assignee_department or ""
    if d.assignee_name and d.assignee_department:
        who = f"{d.assignee_name} ({d.assignee_department})"
    return Change(d.status, note=f"Phân công: {who}", step_content=f"Phân công xử lý: {who}")


async def forward(t: Transition) -> Change:
    if t.process is None or t.step is None:
        raise errors.no_process()
    if t.step.kind == "result":  # a one-step process: the received dossier is decided at once
        return await forward_to(t, t.step)
    target_id = t.request.next_step or (t.step.next[0] if t.step.next else None)
    if target_id is None or target_id not in t.step.next:
        raise errors.illegal_next_step(t.step)
    return await forward_to(t, t.process.step(target_id))


async def forward_to(t: Transition, target: ProcessStep) -> Change:
    """Hand the dossier on to `target`: a payment step waits for the fee, a result step decides it."""
    await move_to(t, target)
    if t.request.assignee_subject or t.request.department:
        await _assign_from_request(t)
    if target.kind == "payment":
        note = "Chờ thực hiện nghĩa vụ tài chính"
        if t.clock is not None and not t.clock.awaiting_obligation:
            # The wait for the applicant does not count against the agency (Điện Biên Điều 13.5).
            t.clock = t.store(t.clock.await_obligation(t.now))
            note += "; tạm dừng tính thời gian giải quyết cho đến khi người nộp thực hiện xong"
        return Change(lc.AWAITING_PAYMENT, note=note, step_content=target.name)
    if target.kind == "result":
        timeliness = None
        if t.clock is not None:
            timeliness = classify(t.dossier, t.store(t.clock.stop(t.now, Outcome.RESULT)))
        return Change(
            lc.RESULT_READY,
            note=t.dossier.timeliness_explanation,
            step_content="Đã có kết quả giải quyết",
            events=[(DOSSIER_RESULT_READY, DossierMilestone(**t.milestone, at=t.now, timeliness=timeliness))],
        )
    return Change(lc.PROCESSING, note=t.request.reason, step_content=f"Chuyển bước «{target.name}»")


async def send_back(t: Transition) -> Change:
    to_step = t.request.to_step
    if t.process is None or t.step is None or not to_step:
        raise errors.to_step_required()
    index = {s.id: i for i, s in enumerate(t.process.steps)}
    if to_step not in index or index[to_step] >= index[t.step.id]:
        raise errors.illegal_earlier_step(t.step)
    target = t.process.step(to_step)
    await move_to(t, target)
    return Change(lc.PROCESSING, note=t.request.reason, step_content=f"Trả lại bước «{target.name}»")


async def transfer(t: Transition) -> Change:
    reason = t.reason()
    agency_id = t.request.agency_id
    if not agency_id or agency_id == t.dossier.agency_id:
        raise errors.agency_required()
    t.dossier.step_agency_id = agency_id
    t.dossier.assignee_subject = t.dossier.assignee_name = t.dossier.assignee_department = None
    return Change(
        lc.PROCESSING,
        note=f"Chuyển liên thông tới {agency_id}: {reason}",
        step_content="Chuyển liên thông",
    )


async def extend(t: Transition) -> Change:
    reason = t.reason()
    extension = t.request.extension
    if t.clock is None or extension is None:
        raise errors.extension_required()
    extra = Duration(int(extension.value), Unit(extension.unit))
    previous_appointment = t.clock.deadline.instant
    new = add_duration(t.ctx.calendar, previous_appointment, extra, label="hẹn trả kết quả mới").instant
    t.store(t.clock.extend(t.now, new, reason))
    t.dossier.overdue_sent = t.dossier.due_soon_sent = False
    return Change(
        t.dossier.status,
        note=f"Gia hạn: {reason}",
        step_content="Gia hạn, xin lỗi và hẹn lại ngày trả kết quả",
        events=[
            (
                DOSSIER_EXTENDED,
                DossierExtended(
                    **t.milestone,
                    extended_at=t.now,
                    previous_appointment_at=previous_appointment,
                    appointment_at=new,
                    reason=reason,
                ),
            )
        ],
    )


async def _assign_from_request(t: Transition) -> None:
    """Assign to a real officer of the handling agency (workflow's copy of identity's officers), or to
    one of its departments; the name and department stored are the officer record's, never free text.
    A department head (not the agency's leader) assigns within their own department only."""
    request, d = t.request, t.dossier
    if request.assignee_name and MARKUP.search(request.assignee_name):
        raise errors.markup_in_name()
    agency = d.step_agency_id or d.agency_id
    departments = await t.repo.departments(agency)
    own_department = await _restricted_to(t)
    if request.assignee_subject:
        officer = await t.repo.officer(request.assignee_subject)
        if officer is None:
            raise errors.assignee_unknown(request.assignee_subject)
        if officer.agency_id != agency:
            raise errors.assignee_not_assignable(
                officer.name, f"không thuộc cơ quan đang xử lý hồ sơ ({agency})"
            )
        if not officer.active:
            raise errors.assignee_not_assignable(officer.name, "đang bị khóa tài khoản")
        if request.department and request.department not in (officer.department, officer.department_name):
            raise errors.assignee_not_assignable(
                officer.name, f"không thuộc phòng «{request.department[:100]}»"
            )
        if own_department is not None and officer.department != own_department:
            raise errors.assignee_not_assignable(officer.name, "không thuộc phòng của trưởng phòng phân công")
        d.assignee_subject, d.assignee_name = officer.id, officer.name
        d.assignee_department = officer.department_name or officer.department
        return
    assert request.department is not None
    code = next((c for c, n in departments.items() if request.department in (c, n)), None)
    if code is None or (own_department is not None and code != own_department):
        allowed = [n for c, n in departments.items() if own_department is None or c == own_department]
        raise errors.department_unknown(request.department, allowed)
    d.assignee_subject = d.assignee_name = None
    d.assignee_department = departments[code]


MARKUP = re.compile(r"[<>]")


async def _restricted_to(t: Transition) -> str | None:
    """The department a department head assigns within (None: the agency's leader, anywhere)."""
    roles = t.actor.roles
    if "agency_leader" in roles or "provincial_operator" in roles or "department_head" not in roles:
        return None
    me = await t.repo.officer(t.actor.subject)
    return me.department if me is not None and me.department else ""
