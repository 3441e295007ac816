"""org schema: custom-field slot columns, Account, Contact, RecordType, Case/Lead relationship fields

Custom field values live in typed slot columns (app/core/schema/slots.py, docs/ARCHITECTURE.md "Custom
fields"); this migration freezes their number and kinds as they were when it was written.

Revision ID: 0004_org_schema
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_org_schema"
down_revision = "0003"
branch_labels = None
depends_on = None

# kind -> (count, column type, indexed); frozen copy of app/core/schema/slots.py at this revision.
_SLOTS = {
    "string": (40, lambda: sa.String(length=255), True),
    "text": (10, sa.Text, False),
    "number": (20, sa.Float, True),
    "boolean": (10, sa.Boolean, True),
    "date": (6, sa.Date, True),
    "datetime": (6, sa.DateTime, True),
}
_CUSTOMIZABLE = ("sobj_lead", "sobj_case", "sobj_account", "sobj_contact")
_INDEXES = {
    "sobj_account": ("Id", "OwnerId"),
    "sobj_contact": ("Id", "OwnerId", "AccountId", "Email"),
    "sobj_recordtype": ("Id", "DeveloperName", "SobjectType"),
    "sobj_case": ("AccountId", "ContactId"),
}
_NEW_COLUMNS = {
    "sobj_case": [("AccountId", sa.String(length=18)), ("ContactId", sa.String(length=18)),
                  ("RecordTypeId", sa.String(length=18))],
    "sobj_lead": [("ConvertedDate", sa.Date()), ("ConvertedAccountId", sa.String(length=18)),
                  ("ConvertedContactId", sa.String(length=18)), ("RecordTypeId", sa.String(length=18))],
}


def _slots() -> list[tuple[str, str]]:
    return [(f"cf_{kind}_{n:02d}", kind) for kind,
            (count, _, _) in _SLOTS.items() for n in range(1, count + 1)]


def _index_name(table: str, column: str) -> str:
    return f"ix_{table}_org" if column == "Id" else f"ix_{table}_{column.lower()}"


def upgrade() -> None:
    op.create_table('org_schemas',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id')
    )
    op.create_table('sobj_account',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('Name', sa.String(length=255), nullable=True),
    sa.Column('AccountNumber', sa.String(length=40), nullable=True),
    sa.Column('Type', sa.String(length=255), nullable=True),
    sa.Column('Industry', sa.String(length=255), nullable=True),
    sa.Column('AccountSource', sa.String(length=255), nullable=True),
    sa.Column('Rating', sa.String(length=255), nullable=True),
    sa.Column('Phone', sa.String(length=40), nullable=True),
    sa.Column('Fax', sa.String(length=40), nullable=True),
    sa.Column('Website', sa.String(length=255), nullable=True),
    sa.Column('AnnualRevenue', sa.Float(), nullable=True),
    sa.Column('NumberOfEmployees', sa.Integer(), nullable=True),
    sa.Column('BillingStreet', sa.Text(), nullable=True),
    sa.Column('BillingCity', sa.String(length=40), nullable=True),
    sa.Column('BillingState', sa.String(length=80), nullable=True),
    sa.Column('BillingPostalCode', sa.String(length=20), nullable=True),
    sa.Column('BillingCountry', sa.String(length=80), nullable=True),
    sa.Column('ShippingStreet', sa.Text(), nullable=True),
    sa.Column('ShippingCity', sa.String(length=40), nullable=True),
    sa.Column('ShippingState', sa.String(length=80), nullable=True),
    sa.Column('ShippingPostalCode', sa.String(length=20), nullable=True),
    sa.Column('ShippingCountry', sa.String(length=80), nullable=True),
    sa.Column('Description', sa.Text(), nullable=True),
    sa.Column('ParentId', sa.String(length=18), nullable=True),
    sa.Column('OwnerId', sa.String(length=18), nullable=True),
    sa.Column('IsDeleted', sa.Boolean(), nullable=True),
    sa.Column('CreatedDate', sa.DateTime(), nullable=True),
    sa.Column('CreatedById', sa.String(length=18), nullable=True),
    sa.Column('LastModifiedDate', sa.DateTime(), nullable=True),
    sa.Column('LastModifiedById', sa.String(length=18), nullable=True),
    sa.Column('SystemModstamp', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('Id')
    )
    op.create_table('sobj_contact',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('LastName', sa.String(length=80), nullable=True),
    sa.Column('FirstName', sa.String(length=40), nullable=True),
    sa.Column('Salutation', sa.String(length=40), nullable=True),
    sa.Column('Name', sa.String(length=121), nullable=True),
    sa.Column('AccountId', sa.String(length=18), nullable=True),
    sa.Column('Email', sa.String(length=80), nullable=True),
    sa.Column('Phone', sa.String(length=40), nullable=True),
    sa.Column('MobilePhone', sa.String(length=40), nullable=True),
    sa.Column('Title', sa.String(length=128), nullable=True),
    sa.Column('Department', sa.String(length=80), nullable=True),
    sa.Column('LeadSource', sa.String(length=255), nullable=True),
    sa.Column('MailingStreet', sa.Text(), nullable=True),
    sa.Column('MailingCity', sa.String(length=40), nullable=True),
    sa.Column('MailingState', sa.String(length=80), nullable=True),
    sa.Column('MailingPostalCode', sa.String(length=20), nullable=True),
    sa.Column('MailingCountry', sa.String(length=80), nullable=True),
    sa.Column('Description', sa.Text(), nullable=True),
    sa.Column('OwnerId', sa.String(length=18), nullable=True),
    sa.Column('IsDeleted', sa.Boolean(), nullable=True),
    sa.Column('CreatedDate', sa.DateTime(), nullable=True),
    sa.Column('CreatedById', sa.String(length=18), nullable=True),
    sa.Column('LastModifiedDate', sa.DateTime(), nullable=True),
    sa.Column('LastModifiedById', sa.String(length=18), nullable=True),
    sa.Column('SystemModstamp', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('Id')
    )
    op.create_table('sobj_recordtype',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('Name', sa.String(length=80), nullable=True),
    sa.Column('DeveloperName', sa.String(length=80), nullable=True),
    sa.Column('SobjectType', sa.String(length=40), nullable=True),
    sa.Column('IsActive', sa.Boolean(), nullable=True),
    sa.Column('Description', sa.String(length=255), nullable=True),
    sa.Column('IsDeleted', sa.Boolean(), nullable=True),
    sa.Column('CreatedDate', sa.DateTime(), nullable=True),
    sa.Column('CreatedById', sa.String(length=18), nullable=True),
    sa.Column('LastModifiedDate', sa.DateTime(), nullable=True),
    sa.Column('LastModifiedById', sa.String(length=18), nullable=True),
    sa.Column('SystemModstamp', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('Id')
    )
    for table, columns in _NEW_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, type_ in columns:
                batch.add_column(sa.Column(name, type_, nullable=True))
    for table in _CUSTOMIZABLE:
        with op.batch_alter_table(table) as batch:
            for name, kind in _slots():
                batch.add_column(sa.Column(name, _SLOTS[kind][1](), nullable=True))
        for name, kind in _slots():
            if _SLOTS[kind][2]:
                # Text slots are compared as lower(column) by SOQL: their index is on that expression.
                where = sa.text(f"{name} IS NOT NULL")
                key = sa.text(f"lower({name})") if kind == "string" else name
                op.create_index(f"ix_{table}_{name}", table, ["org_id", key], sqlite_where=where,
                                postgresql_where=where)
    for table, columns in _INDEXES.items():
        for column in columns:
            op.create_index(_index_name(table, column), table, ["org_id", column])


def downgrade() -> None:
    for table in ("sobj_lead", "sobj_case"):
        for name, kind in _slots():
            if _SLOTS[kind][2]:
                op.drop_index(f"ix_{table}_{name}", table_name=table)
    for column in _INDEXES["sobj_case"]:
        op.drop_index(_index_name("sobj_case", column), table_name="sobj_case")
    for table in ("sobj_lead", "sobj_case"):
        with op.batch_alter_table(table) as batch:
            for name, _ in _slots():
                batch.drop_column(name)
            for name, _ in reversed(_NEW_COLUMNS[table]):
                batch.drop_column(name)
    op.drop_table("sobj_recordtype")
    op.drop_table("sobj_contact")
    op.drop_table("sobj_account")
    op.drop_table("org_schemas")
