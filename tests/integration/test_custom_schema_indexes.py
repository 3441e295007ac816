"""Custom-field filters stay indexed: every filterable slot column has a partial index shipped by migration,
and SQLite's planner uses it for a SOQL filter on a custom field of an org (text through lower(column))."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from sfmock.orgs.demo import DEMO_ORG_PATH
from sfmock.orgs.metadata import load_org_folder
from sfmock.orgs.schema_spec import checked_schema
from sfmock.persistence.migrate import upgrade
from sfmock.soql.parser import parse
from sfmock.soql.translate import build_plan

ORG = "00D000000000001AAA"


def test_soql_filters_on_custom_fields_use_the_slot_indexes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plan.db'}"
    upgrade(url)
    engine = sa.create_engine(url)
    schema = checked_schema(load_org_folder(DEMO_ORG_PATH).schema_files)
    region, score = (schema.get("Lead").field(n).column for n in ("Region__c", "Score__c"))
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO orgs (id, number, name, settings, created_at) VALUES (:id, 1, 'x', "
                             "'{}', '2026-01-01')"), {"id": ORG})
        conn.execute(sa.text(f'INSERT INTO sobj_lead (org_id, "Id", "IsDeleted", {region}, {score}) '
                             "VALUES (:org, :id, 0, :region, :score)"),
                     [{"org": ORG, "id": f"00Q{n:015d}", "region": f"R{n % 200}", "score": n % 997}
                      for n in range(20_000)])
        conn.exec_driver_sql("ANALYZE")
    for soql, index in (("SELECT Id FROM Lead WHERE Region__c = 'R7'", f"ix_sobj_lead_{region}"),
                        ("SELECT Id FROM Lead WHERE Score__c = 5", f"ix_sobj_lead_{score}")):
        plan = build_plan(parse(soql), ORG, include_deleted=False, now=dt.datetime.now(dt.UTC), schema=schema)
        sql = str(plan.rows.compile(engine, compile_kwargs={"literal_binds": True}))
        with engine.connect() as conn:
            steps = " ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert f"USING INDEX {index}" in steps, steps
            assert len(conn.exec_driver_sql(sql).all()) == (100 if "Region" in soql else 21)
    engine.dispose()
