import datetime as dt

import pytest

from storage.catalogue.county import county_facts, set_county_facts, set_upload_deadline, upload_deadline
from storage.core.archive import Archive
from storage.kernel.errors import ArchiveError
from storage.readmodels import CountyFacts, GdpYear, Leader

pytestmark = pytest.mark.backends


def test_county_facts_round_trip_after_reopen(archive, tmp_path):
    facts = CountyFacts(name="示例县", population="52.3", area="1,234", gdp=(GdpYear(2024, "310.2"), GdpYear(2023, "296")),
                        leaders=(Leader("县长", "张三"), Leader("", "")), contact_name="李四", contact_phone="0539-1234567")
    with archive.sessions.write() as s:
        stored = set_county_facts(s, facts)
        set_upload_deadline(s, dt.date(2026, 12, 15))
    assert stored.area == "1234" and [g.year for g in stored.gdp] == [2023, 2024]
    path = archive.root
    archive.close()
    again = Archive.open(path)
    try:
        with again.sessions.read() as s:
            got = county_facts(s)
            assert got.name == "示例县" and got.leaders == (Leader("县长", "张三"),)
            assert got.gdp[1] == GdpYear(2024, "310.2") and got.contact_phone == "0539-1234567"
            assert upload_deadline(s) == dt.date(2026, 12, 15)
    finally:
        again.close()


def test_county_facts_reject_non_numbers_and_write_nothing(archive):
    with pytest.raises(ArchiveError) as err:
        with archive.sessions.write() as s:
            set_county_facts(s, CountyFacts(name="示例县", population="约五十万"))
    assert "常住人口" in err.value.zh and "约五十万" in err.value.zh
    with archive.sessions.read() as s:
        assert county_facts(s).is_empty()
