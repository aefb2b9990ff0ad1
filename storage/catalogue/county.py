"""The county's basic facts for the application form (申报表) and the upload deadline.

Both are archive-wide settings (table `setting`, JSON values) so they travel with the archive.
The settings dialog writes them; the Word documents read them.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.kernel.errors import ArchiveError
from storage.models import Setting
from storage.readmodels import CountyFacts, GdpYear, Leader

COUNTY_KEY = "county_facts"
DEADLINE_KEY = "upload_deadline"


def _number_text(label: str, text: str) -> str:
    text = (text or "").strip().replace(",", "").replace("，", "")
    if not text:
        return ""
    try:
        Decimal(text)
    except InvalidOperation:
        raise ArchiveError(f"{label}应为数字，实际为“{text}”",
                           f"{label} must be a number, got '{text}'") from None
    return text


def _get(session: Session, key: str) -> object:
    raw = session.scalar(select(Setting.value).where(Setting.key == key))
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _put(session: Session, key: str, value: object) -> None:
    text = json.dumps(value, ensure_ascii=False)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text
    session.flush()


def county_facts(session: Session) -> CountyFacts:
    raw = _get(session, COUNTY_KEY)
    if not isinstance(raw, dict):
        return CountyFacts()
    return CountyFacts(
        name=str(raw.get("name", "")), population=str(raw.get("population", "")),
        area=str(raw.get("area", "")),
        gdp=tuple(GdpYear(int(g["year"]), str(g["value"])) for g in raw.get("gdp", ())
                  if isinstance(g, dict) and str(g.get("year", "")).isdigit()),
        leaders=tuple(Leader(str(x.get("role", "")), str(x.get("name", "")))
                      for x in raw.get("leaders", ()) if isinstance(x, dict)),
        contact_name=str(raw.get("contact_name", "")),
        contact_phone=str(raw.get("contact_phone", "")),
        contact_unit=str(raw.get("contact_unit", "")),
        extra=tuple((str(a), str(b)) for a, b in raw.get("extra", ()) or ()),
    )


def set_county_facts(session: Session, facts: CountyFacts) -> CountyFacts:
    """Validate and store; numbers are checked (Chinese + English message), text kept."""
    clean = CountyFacts(
        name=facts.name.strip(),
        population=_number_text("常住人口", facts.population),
        area=_number_text("面积", facts.area),
        gdp=tuple(sorted((GdpYear(int(g.year), _number_text(f"{g.year}年地区生产总值", g.value))
                          for g in facts.gdp), key=lambda g: g.year)),
        leaders=tuple(Leader(x.role.strip(), x.name.strip()) for x in facts.leaders
                      if x.role.strip() or x.name.strip()),
        contact_name=facts.contact_name.strip(), contact_phone=facts.contact_phone.strip(),
        contact_unit=facts.contact_unit.strip(),
        extra=tuple((a.strip(), b.strip()) for a, b in facts.extra if a.strip()),
    )
    _put(session, COUNTY_KEY, asdict(clean))
    return clean


def set_upload_deadline(session: Session, day: dt.date | None) -> None:
    """The date the clerk must upload by (shown as days left on the dashboard)."""
    _put(session, DEADLINE_KEY, day.isoformat() if day else "")


__all__ = ["CountyFacts", "GdpYear", "Leader", "county_facts", "set_county_facts",
           "set_upload_deadline"]


def upload_deadline(session: Session) -> dt.date | None:
    raw = session.scalar(select(Setting.value).where(Setting.key == DEADLINE_KEY))
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
