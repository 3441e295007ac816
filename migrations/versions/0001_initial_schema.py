"""initial schema: orgs, sObject tables, rules, sessions, outbox

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 10:14:48.662173
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('global_sequences',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('orgs',
    sa.Column('id', sa.String(length=18), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('settings', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    op.create_table('assignment_rule_entries',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('rule_id', sa.String(length=18), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('rule_id', 'position')
    )
    op.create_table('connected_apps',
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('client_secret', sa.String(length=255), nullable=False),
    sa.Column('run_as_user_id', sa.String(length=18), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id')
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('recipient', sa.String(length=255), nullable=False),
    sa.Column('cc', sa.String(length=1000), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('template_name', sa.String(length=255), nullable=True),
    sa.Column('record_id', sa.String(length=18), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('api', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_org', ['org_id', 'id'], unique=False)

    op.create_table('query_cursors',
    sa.Column('id', sa.String(length=18), nullable=False),
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('soql', sa.Text(), nullable=False),
    sa.Column('include_deleted', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('sequences',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'name')
    )
    op.create_table('sessions',
    sa.Column('token', sa.String(length=128), nullable=False),
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('user_id', sa.String(length=18), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token')
    )
    op.create_table('sobj_assignmentrule',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('Name', sa.String(length=120), nullable=True),
    sa.Column('SobjectType', sa.String(length=40), nullable=True),
    sa.Column('Active', sa.Boolean(), nullable=True),
    sa.Column('IsDeleted', sa.Boolean(), nullable=True),
    sa.Column('CreatedDate', sa.DateTime(), nullable=True),
    sa.Column('CreatedById', sa.String(length=18), nullable=True),
    sa.Column('LastModifiedDate', sa.DateTime(), nullable=True),
    sa.Column('LastModifiedById', sa.String(length=18), nullable=True),
    sa.Column('SystemModstamp', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('Id')
    )
    with op.batch_alter_table('sobj_assignmentrule', schema=None) as batch_op:
        batch_op.create_index('ix_sobj_assignmentrule_org', ['org_id', 'Id'], unique=False)
        batch_op.create_index('ix_sobj_assignmentrule_sobjecttype', ['org_id', 'SobjectType'], unique=False)

    op.create_table('sobj_case',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('CaseNumber', sa.String(length=30), nullable=True),
    sa.Column('Subject', sa.String(length=255), nullable=True),
    sa.Column('Description', sa.Text(), nullable=True),
    sa.Column('Status', sa.String(length=255), nullable=True),
    sa.Column('Priority', sa.String(length=255), nullable=True),
    sa.Column('Origin', sa.String(length=255), nullable=True),
    sa.Column('Reason', sa.String(length=255), nullable=True),
    sa.Column('Type', sa.String(length=255), nullable=True),
    sa.Column('IsEscalated', sa.Boolean(), nullable=True),
    sa.Column('IsClosed', sa.Boolean(), nullable=True),
    sa.Column('SuppliedName', sa.String(length=80), nullable=True),
    sa.Column('SuppliedEmail', sa.String(length=80), nullable=True),
    sa.Column('SuppliedPhone', sa.String(length=40), nullable=True),
    sa.Column('SuppliedCompany', sa.String(length=80), nullable=True),
    sa.Column('ParentId', sa.String(length=18), nullable=True),
    sa.Column('Comments', sa.Text(), nullable=True),
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
    with op.batch_alter_table('sobj_case', schema=None) as batch_op:
        batch_op.create_index('ix_sobj_case_org', ['org_id', 'Id'], unique=False)
        batch_op.create_index('ix_sobj_case_ownerid', ['org_id', 'OwnerId'], unique=False)

    op.create_table('sobj_emailtemplate',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('Name', sa.String(length=80), nullable=True),
    sa.Column('DeveloperName', sa.String(length=80), nullable=True),
    sa.Column('FolderName', sa.String(length=80), nullable=True),
    sa.Column('Subject', sa.String(length=255), nullable=True),
    sa.Column('Body', sa.Text(), nullable=True),
    sa.Column('TemplateType', sa.String(length=40), nullable=True),
    sa.Column('IsActive', sa.Boolean(), nullable=True),
    sa.Column('IsDeleted', sa.Boolean(), nullable=True),
    sa.Column('CreatedDate', sa.DateTime(), nullable=True),
    sa.Column('CreatedById', sa.String(length=18), nullable=True),
    sa.Column('LastModifiedDate', sa.DateTime(), nullable=True),
    sa.Column('LastModifiedById', sa.String(length=18), nullable=True),
    sa.Column('SystemModstamp', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('Id')
    )
    with op.batch_alter_table('sobj_emailtemplate', schema=None) as batch_op:
        batch_op.create_index('ix_sobj_emailtemplate_developername', ['org_id', 'DeveloperName'],
                              unique=False)
        batch_op.create_index('ix_sobj_emailtemplate_org', ['org_id', 'Id'], unique=False)

    op.create_table('sobj_group',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('Name', sa.String(length=40), nullable=True),
    sa.Column('DeveloperName', sa.String(length=80), nullable=True),
    sa.Column('Type', sa.String(length=40), nullable=True),
    sa.Column('Email', sa.String(length=255), nullable=True),
    sa.Column('DoesSendEmailToMembers', sa.Boolean(), nullable=True),
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
    with op.batch_alter_table('sobj_group', schema=None) as batch_op:
        batch_op.create_index('ix_sobj_group_developername', ['org_id', 'DeveloperName'], unique=False)
        batch_op.create_index('ix_sobj_group_email', ['org_id', 'Email'], unique=False)
        batch_op.create_index('ix_sobj_group_org', ['org_id', 'Id'], unique=False)
        batch_op.create_index('ix_sobj_group_ownerid', ['org_id', 'OwnerId'], unique=False)

    op.create_table('sobj_groupmember',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('GroupId', sa.String(length=18), nullable=True),
    sa.Column('UserOrGroupId', sa.String(length=18), nullable=True),
    sa.Column('IsDeleted', sa.Boolean(), nullable=True),
    sa.Column('CreatedDate', sa.DateTime(), nullable=True),
    sa.Column('CreatedById', sa.String(length=18), nullable=True),
    sa.Column('LastModifiedDate', sa.DateTime(), nullable=True),
    sa.Column('LastModifiedById', sa.String(length=18), nullable=True),
    sa.Column('SystemModstamp', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('Id')
    )
    with op.batch_alter_table('sobj_groupmember', schema=None) as batch_op:
        batch_op.create_index('ix_sobj_groupmember_groupid', ['org_id', 'GroupId'], unique=False)
        batch_op.create_index('ix_sobj_groupmember_org', ['org_id', 'Id'], unique=False)

    op.create_table('sobj_lead',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('LastName', sa.String(length=80), nullable=True),
    sa.Column('FirstName', sa.String(length=40), nullable=True),
    sa.Column('Salutation', sa.String(length=40), nullable=True),
    sa.Column('Name', sa.String(length=121), nullable=True),
    sa.Column('Title', sa.String(length=128), nullable=True),
    sa.Column('Company', sa.String(length=255), nullable=True),
    sa.Column('Email', sa.String(length=80), nullable=True),
    sa.Column('Phone', sa.String(length=40), nullable=True),
    sa.Column('MobilePhone', sa.String(length=40), nullable=True),
    sa.Column('Website', sa.String(length=255), nullable=True),
    sa.Column('Street', sa.Text(), nullable=True),
    sa.Column('City', sa.String(length=40), nullable=True),
    sa.Column('State', sa.String(length=80), nullable=True),
    sa.Column('PostalCode', sa.String(length=20), nullable=True),
    sa.Column('Country', sa.String(length=80), nullable=True),
    sa.Column('LeadSource', sa.String(length=255), nullable=True),
    sa.Column('Status', sa.String(length=255), nullable=True),
    sa.Column('Industry', sa.String(length=255), nullable=True),
    sa.Column('Rating', sa.String(length=255), nullable=True),
    sa.Column('AnnualRevenue', sa.Float(), nullable=True),
    sa.Column('NumberOfEmployees', sa.Integer(), nullable=True),
    sa.Column('Description', sa.Text(), nullable=True),
    sa.Column('OwnerId', sa.String(length=18), nullable=True),
    sa.Column('IsConverted', sa.Boolean(), nullable=True),
    sa.Column('IsUnreadByOwner', sa.Boolean(), nullable=True),
    sa.Column('HasOptedOutOfEmail', sa.Boolean(), nullable=True),
    sa.Column('DoNotCall', sa.Boolean(), nullable=True),
    sa.Column('IsDeleted', sa.Boolean(), nullable=True),
    sa.Column('CreatedDate', sa.DateTime(), nullable=True),
    sa.Column('CreatedById', sa.String(length=18), nullable=True),
    sa.Column('LastModifiedDate', sa.DateTime(), nullable=True),
    sa.Column('LastModifiedById', sa.String(length=18), nullable=True),
    sa.Column('SystemModstamp', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('Id')
    )
    with op.batch_alter_table('sobj_lead', schema=None) as batch_op:
        batch_op.create_index('ix_sobj_lead_email', ['org_id', 'Email'], unique=False)
        batch_op.create_index('ix_sobj_lead_org', ['org_id', 'Id'], unique=False)
        batch_op.create_index('ix_sobj_lead_ownerid', ['org_id', 'OwnerId'], unique=False)

    op.create_table('sobj_organization',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('Name', sa.String(length=80), nullable=True),
    sa.Column('OrganizationType', sa.String(length=40), nullable=True),
    sa.Column('IsSandbox', sa.Boolean(), nullable=True),
    sa.Column('InstanceName', sa.String(length=18), nullable=True),
    sa.Column('IsDeleted', sa.Boolean(), nullable=True),
    sa.Column('CreatedDate', sa.DateTime(), nullable=True),
    sa.Column('CreatedById', sa.String(length=18), nullable=True),
    sa.Column('LastModifiedDate', sa.DateTime(), nullable=True),
    sa.Column('LastModifiedById', sa.String(length=18), nullable=True),
    sa.Column('SystemModstamp', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('Id')
    )
    with op.batch_alter_table('sobj_organization', schema=None) as batch_op:
        batch_op.create_index('ix_sobj_organization_org', ['org_id', 'Id'], unique=False)

    op.create_table('sobj_queuesobject',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('QueueId', sa.String(length=18), nullable=True),
    sa.Column('SobjectType', sa.String(length=40), nullable=True),
    sa.Column('IsDeleted', sa.Boolean(), nullable=True),
    sa.Column('CreatedDate', sa.DateTime(), nullable=True),
    sa.Column('CreatedById', sa.String(length=18), nullable=True),
    sa.Column('LastModifiedDate', sa.DateTime(), nullable=True),
    sa.Column('LastModifiedById', sa.String(length=18), nullable=True),
    sa.Column('SystemModstamp', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('Id')
    )
    with op.batch_alter_table('sobj_queuesobject', schema=None) as batch_op:
        batch_op.create_index('ix_sobj_queuesobject_org', ['org_id', 'Id'], unique=False)
        batch_op.create_index('ix_sobj_queuesobject_queueid', ['org_id', 'QueueId'], unique=False)
        batch_op.create_index('ix_sobj_queuesobject_sobjecttype', ['org_id', 'SobjectType'], unique=False)

    op.create_table('sobj_user',
    sa.Column('org_id', sa.String(length=18), nullable=False),
    sa.Column('Id', sa.String(length=18), nullable=False),
    sa.Column('Username', sa.String(length=80), nullable=True),
    sa.Column('LastName', sa.String(length=80), nullable=True),
    sa.Column('FirstName', sa.String(length=40), nullable=True),
    sa.Column('Name', sa.String(length=121), nullable=True),
    sa.Column('Email', sa.String(length=128), nullable=True),
    sa.Column('Alias', sa.String(length=18), nullable=True),
    sa.Column('IsActive', sa.Boolean(), nullable=True),
    sa.Column('ProfileName', sa.String(length=80), nullable=True),
    sa.Column('TimeZoneSidKey', sa.String(length=40), nullable=True),
    sa.Column('LocaleSidKey', sa.String(length=40), nullable=True),
    sa.Column('LanguageLocaleKey', sa.String(length=40), nullable=True),
    sa.Column('UserType', sa.String(length=40), nullable=True),
    sa.Column('PasswordHash', sa.String(length=255), nullable=True),
    sa.Column('SecurityToken', sa.String(length=255), nullable=True),
    sa.Column('IsDeleted', sa.Boolean(), nullable=True),
    sa.Column('CreatedDate', sa.DateTime(), nullable=True),
    sa.Column('CreatedById', sa.String(length=18), nullable=True),
    sa.Column('LastModifiedDate', sa.DateTime(), nullable=True),
    sa.Column('LastModifiedById', sa.String(length=18), nullable=True),
    sa.Column('SystemModstamp', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('Id')
    )
    with op.batch_alter_table('sobj_user', schema=None) as batch_op:
        batch_op.create_index('ix_sobj_user_email', ['org_id', 'Email'], unique=False)
        batch_op.create_index('ix_sobj_user_org', ['org_id', 'Id'], unique=False)
        batch_op.create_index('ix_sobj_user_username', ['org_id', 'Username'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sobj_user', schema=None) as batch_op:
        batch_op.drop_index('ix_sobj_user_username')
        batch_op.drop_index('ix_sobj_user_org')
        batch_op.drop_index('ix_sobj_user_email')

    op.drop_table('sobj_user')
    with op.batch_alter_table('sobj_queuesobject', schema=None) as batch_op:
        batch_op.drop_index('ix_sobj_queuesobject_sobjecttype')
        batch_op.drop_index('ix_sobj_queuesobject_queueid')
        batch_op.drop_index('ix_sobj_queuesobject_org')

    op.drop_table('sobj_queuesobject')
    with op.batch_alter_table('sobj_organization', schema=None) as batch_op:
        batch_op.drop_index('ix_sobj_organization_org')

    op.drop_table('sobj_organization')
    with op.batch_alter_table('sobj_lead', schema=None) as batch_op:
        batch_op.drop_index('ix_sobj_lead_ownerid')
        batch_op.drop_index('ix_sobj_lead_org')
        batch_op.drop_index('ix_sobj_lead_email')

    op.drop_table('sobj_lead')
    with op.batch_alter_table('sobj_groupmember', schema=None) as batch_op:
        batch_op.drop_index('ix_sobj_groupmember_org')
        batch_op.drop_index('ix_sobj_groupmember_groupid')

    op.drop_table('sobj_groupmember')
    with op.batch_alter_table('sobj_group', schema=None) as batch_op:
        batch_op.drop_index('ix_sobj_group_ownerid')
        batch_op.drop_index('ix_sobj_group_org')
        batch_op.drop_index('ix_sobj_group_email')
        batch_op.drop_index('ix_sobj_group_developername')

    op.drop_table('sobj_group')
    with op.batch_alter_table('sobj_emailtemplate', schema=None) as batch_op:
        batch_op.drop_index('ix_sobj_emailtemplate_org')
        batch_op.drop_index('ix_sobj_emailtemplate_developername')

    op.drop_table('sobj_emailtemplate')
    with op.batch_alter_table('sobj_case', schema=None) as batch_op:
        batch_op.drop_index('ix_sobj_case_ownerid')
        batch_op.drop_index('ix_sobj_case_org')

    op.drop_table('sobj_case')
    with op.batch_alter_table('sobj_assignmentrule', schema=None) as batch_op:
        batch_op.drop_index('ix_sobj_assignmentrule_sobjecttype')
        batch_op.drop_index('ix_sobj_assignmentrule_org')

    op.drop_table('sobj_assignmentrule')
    op.drop_table('sessions')
    op.drop_table('sequences')
    op.drop_table('query_cursors')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_org')

    op.drop_table('outbox')
    op.drop_table('connected_apps')
    op.drop_table('assignment_rule_entries')
    op.drop_table('orgs')
    op.drop_table('global_sequences')
