"""rules and mail: outbox sender and reply-to, auto-response rules, Web-to-Lead/Case submissions, case teams

Revision ID: 0004_rules_mail
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_rules_mail"
down_revision = "0004_bulk"
branch_labels = None
depends_on = None


# The case-team sObjects (app/core/schema/sobjects.toml), each with the system fields every sObject table has.
_CASE_TEAM_TABLES = {
    "sobj_caseteamrole": [("Name", sa.String(length=80)), ("AccessLevel", sa.String(length=40)),
                          ("PreferencesVisibleInCSP", sa.Boolean())],
    "sobj_caseteamtemplate": [("Name", sa.String(length=80)), ("Description", sa.Text())],
    "sobj_caseteamtemplatemember": [("TeamTemplateId", sa.String(length=18)),
                                    ("MemberId", sa.String(length=18)),
                                    ("TeamRoleId", sa.String(length=18))],
    "sobj_caseteamtemplaterecord": [("ParentId", sa.String(length=18)),
                                    ("TeamTemplateId", sa.String(length=18))],
    "sobj_caseteammember": [("ParentId", sa.String(length=18)), ("MemberId", sa.String(length=18)),
                            ("TeamRoleId", sa.String(length=18)), ("TeamTemplateId", sa.String(length=18)),
                            ("TeamTemplateMemberId", sa.String(length=18))],
}


def _case_team_table(name: str, own: list[tuple[str, sa.types.TypeEngine]]) -> None:
    op.create_table(
        name,
        sa.Column("org_id", sa.String(length=18), sa.ForeignKey("orgs.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("Id", sa.String(length=18), nullable=False),
        *(sa.Column(column, kind, nullable=True) for column, kind in own),
        sa.Column("IsDeleted", sa.Boolean(), nullable=True),
        sa.Column("CreatedDate", sa.DateTime(), nullable=True),
        sa.Column("CreatedById", sa.String(length=18), nullable=True),
        sa.Column("LastModifiedDate", sa.DateTime(), nullable=True),
        sa.Column("LastModifiedById", sa.String(length=18), nullable=True),
        sa.Column("SystemModstamp", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("Id"),
    )
    op.create_index(f"ix_{name}_org", name, ["org_id", "Id"])


def upgrade() -> None:
    for name, own in _CASE_TEAM_TABLES.items():
        _case_team_table(name, own)
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("sender_name", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("sender_email", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("reply_to", sa.String(length=255), nullable=True))
    op.create_table(
        "auto_response_rules",
        sa.Column("org_id", sa.String(length=18), sa.ForeignKey("orgs.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("sobject_type", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("entries", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("org_id", "sobject_type", "name"),
    )
    op.create_table(
        "web_submissions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=18), sa.ForeignKey("orgs.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("sobject", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("form", sa.Text(), nullable=False),
        sa.Column("record_id", sa.String(length=18), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_web_submissions_org", "web_submissions", ["org_id", "status", "at"])


def downgrade() -> None:
    for name in reversed(_CASE_TEAM_TABLES):
        op.drop_index(f"ix_{name}_org", table_name=name)
        op.drop_table(name)
    op.drop_index("ix_web_submissions_org", table_name="web_submissions")
    op.drop_table("web_submissions")
    op.drop_table("auto_response_rules")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("reply_to")
        batch.drop_column("sender_email")
        batch.drop_column("sender_name")
