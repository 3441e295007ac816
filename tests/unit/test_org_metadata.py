"""Reading org folders (app/orgs/metadata.py): the demo org, Salesforce's samples, and every refusal."""

from __future__ import annotations

import io
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from sfmock.orgs import archive
from sfmock.orgs.bundle import OrgBundle, OrgDefinitionError
from sfmock.orgs.demo import DEMO_ORG_PATH
from sfmock.orgs.metadata import load_org_folder, load_org_zip

# Salesforce's "Declarative Metadata Sample Definition" for AssignmentRules, verbatim
# (Metadata API Developer Guide, meta_assignmentrule.htm).
CASE_SAMPLE = """\
<AssignmentRules xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
    <assignmentRule>
        <fullName>samplerule</fullName>
        <active>false</active>
        <ruleEntry>
            <assignedTo>testUser@org.com</assignedTo>
            <assignedToType>User</assignedToType>
            <criteriaItems>
                <field>Case.IsEscalated</field>
                <operation>equals</operation>
                <value>True</value>
            </criteriaItems>
            <template>emailtemplate</template>
        </ruleEntry>
    </assignmentRule>
    <assignmentRule>
        <fullName>Another samplerule</fullName>
        <active>false</active>
        <ruleEntry>
            <assignedTo>otherUser@org.com</assignedTo>
            <assignedToType>User</assignedToType>
            <criteriaItems>
                <field>Case.IsEscalated</field>
                <operation>equals</operation>
                <value>False</value>
            </criteriaItems>
            <template>emailtemplate</template>
        </ruleEntry>
    </assignmentRule>
</AssignmentRules>
"""

TOML = """\
[org]
name = "Tiny"

[case_settings]
default_owner = "testUser@org.com"
default_owner_type = "User"

[[users]]
username = "testUser@org.com"
last_name = "User"
email = "testUser@org.com"

[[users]]
username = "otherUser@org.com"
last_name = "Other"
email = "otherUser@org.com"
"""

TEMPLATE_META = """\
<?xml version="1.0" encoding="UTF-8"?>
<EmailTemplate xmlns="http://soap.sforce.com/2006/04/metadata">
    <available>true</available>
    <encodingKey>UTF-8</encodingKey>
    <name>emailtemplate</name>
    <style>none</style>
    <subject>Case # {!Case.CaseNumber} assigned</subject>
    <type>text</type>
</EmailTemplate>
"""

QUEUE = """\
<?xml version="1.0" encoding="UTF-8"?>
<Queue xmlns="http://soap.sforce.com/2006/04/metadata">
    <name>Lead Queue</name>
    <queueMembers>
        <users>
            <user>testUser@org.com</user>
        </users>
    </queueMembers>
    <queueSobject>
        <sobjectType>Lead</sobjectType>
    </queueSobject>
</Queue>
"""

LEAD_RULES = """\
<?xml version="1.0" encoding="UTF-8"?>
<AssignmentRules xmlns="http://soap.sforce.com/2006/04/metadata">
    <assignmentRule>
        <fullName>Routing</fullName>
        <active>true</active>
        <ruleEntry>
            <assignedTo>Lead_Queue</assignedTo>
            <assignedToType>Queue</assignedToType>
            <criteriaItems>
                <field>Lead.Country</field>
                <operation>equals</operation>
                <value>India</value>
            </criteriaItems>
        </ruleEntry>
    </assignmentRule>
</AssignmentRules>
"""

SFDX = "force-app/main/default"
CASE_RULES = f"{SFDX}/assignmentRules/Case.assignmentRules-meta.xml"
LEAD_RULES_FILE = f"{SFDX}/assignmentRules/Lead.assignmentRules-meta.xml"
QUEUE_FILE = f"{SFDX}/queues/Lead_Queue.queue-meta.xml"
TEMPLATE_FILE = f"{SFDX}/email/unfiled$public/emailtemplate.email-meta.xml"


def good_org() -> dict[str, str]:
    """A small valid org in SFDX source format: {relative path: text}."""
    return {
        "sfmock-org.toml": TOML,
        CASE_RULES: CASE_SAMPLE,
        LEAD_RULES_FILE: LEAD_RULES,
        QUEUE_FILE: QUEUE,
        TEMPLATE_FILE: TEMPLATE_META,
        f"{SFDX}/email/unfiled$public/emailtemplate.email": "Case {!Case.CaseNumber} is yours.\n",
    }


def write(root: Path, files: dict[str, str | None]) -> Path:
    for rel, text in files.items():
        if text is not None:
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return root


def failure(root: Path) -> OrgDefinitionError:
    with pytest.raises(OrgDefinitionError) as info:
        load_org_folder(root)
    return info.value


# ---- the demo org --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> OrgBundle:
    return load_org_folder(DEMO_ORG_PATH)


def test_demo_settings(demo: OrgBundle) -> None:
    s = demo.settings
    assert (s.name, s.require_security_token, s.lead_default_status) == (
        "Acme Demo",
        True,
        "Open - Not Contacted",
    )
    assert (s.lead.default_owner, s.lead.default_owner_type, s.lead.notify_default_owner) == (
        "Unassigned_Leads_Queue", "Queue", False)  # fmt: skip
    assert (s.case.default_owner, s.case.default_owner_type, s.case.notify_default_owner) == (
        "admin@acme.example", "User", True)  # fmt: skip
    assert s.case.notification_template == "unfiled$public/emailtemplate"


def test_demo_users_and_app(demo: OrgBundle) -> None:
    names = {u.username for u in demo.users}
    assert {"admin@acme.example", "testUser@org.com", "otherUser@org.com", "priya.rep@acme.example",
            "raj.rep@acme.example"} <= names  # fmt: skip
    admin = demo.user("ADMIN@acme.example")
    assert admin is not None
    assert (admin.name, admin.email, admin.profile, admin.password, admin.security_token) == (
        "Ada Admin", "admin@acme.example", "System Administrator", "sfmock-password", "SFMOCKTOKEN",
    )  # fmt: skip
    assert all(u.password == "sfmock-password" and u.security_token == "SFMOCKTOKEN" for u in demo.users)
    # Only the admin may run Bulk hardDelete jobs (the "Bulk API Hard Delete" permission).
    assert [u.username for u in demo.users if "BulkApiHardDelete" in u.permissions] == ["admin@acme.example"]
    assert all(u.email and u.active for u in demo.users)
    [app] = demo.connected_apps
    assert (app.client_id, app.client_secret, app.run_as) == ("sfmock-demo-client", "sfmock-demo-secret",
                                                              "admin@acme.example")  # fmt: skip


@pytest.mark.parametrize(
    "name, email, sends, sobject, members",
    [
        ("Enterprise_India_Queue", "enterprise-india@acme.example", True, "Lead", 2),
        ("India_SMB_Queue", "india-smb@acme.example", False, "Lead", 1),
        ("Healthcare_AE_Round_Robin", None, False, "Lead", 2),
        ("Unassigned_Leads_Queue", "unassigned@acme.example", False, "Lead", 1),
        ("Support_Queue", "support@acme.example", False, "Case", 1),
    ],
)
def test_demo_queues(
    demo: OrgBundle, name: str, email: str | None, sends: bool, sobject: str, members: int
) -> None:
    queue = demo.queue(name)
    assert queue is not None
    assert (queue.email, queue.does_send_email_to_members, queue.sobject_types) == (email, sends, (sobject,))
    assert len(queue.members) == members and all(demo.user(m) for m in queue.members)


def test_demo_lead_rule(demo: OrgBundle) -> None:
    rule = demo.active_rule("Lead")
    assert rule is not None and rule.full_name == "Standard Routing"
    assert [(e.order, e.assigned_to, e.assigned_to_type) for e in rule.entries] == [
        (1, "Enterprise_India_Queue", "Queue"), (2, "India_SMB_Queue", "Queue"),
        (3, "Healthcare_AE_Round_Robin", "Queue"), (4, "EMEA_Leads_Queue", "Queue"),
        (5, "Unassigned_Leads_Queue", "Queue")]  # fmt: skip
    first = rule.entries[0]
    assert [(c.field, c.operation, c.value) for c in first.criteria] == [
        ("Lead.Country", "equals", "India"), ("Lead.AnnualRevenue", "greaterThan", "10000000")]  # fmt: skip
    assert first.template == "unfiled$public/New_enterprise_lead"
    assert rule.entries[4].criteria == () and rule.entries[4].template is None
    assert all(e.assignee_id is None and e.template_id is None for e in rule.entries)
    assert rule.source.file == "force-app/main/default/assignmentRules/Lead.assignmentRules-meta.xml"
    assert len(rule.entry_sources) == 5 and rule.entry_sources[0].line < rule.entry_sources[1].line


def test_demo_case_rules(demo: OrgBundle) -> None:
    case_rules = [r for r in demo.rules if r.object == "Case"]
    assert [(r.full_name, r.active) for r in case_rules] == [
        ("samplerule", False), ("Another samplerule", False), ("Support Routing", True)]  # fmt: skip
    routing = case_rules[2]
    assert [(e.assigned_to, e.criteria[0].value) for e in routing.entries] == [
        ("testUser@org.com", "True"), ("otherUser@org.com", "False")]  # fmt: skip
    # The sample's bare <template>emailtemplate</template> comes back as folder/DevName.
    assert {e.template for r in case_rules for e in r.entries} == {"unfiled$public/emailtemplate"}


def test_demo_templates(demo: OrgBundle) -> None:
    enterprise = demo.template("unfiled$public/New_enterprise_lead")
    assert enterprise is not None and enterprise.name == "New enterprise lead" and enterprise.type == "text"
    assert enterprise.subject == "New enterprise lead assigned to you: {!Lead.Name} from {!Lead.Company}"
    for merge in ("Name", "Company", "Country", "AnnualRevenue", "OwnerFullName", "Link"):
        assert f"{{!Lead.{merge}}}" in enterprise.body
    case = demo.template("emailtemplate")
    assert case is not None and case.reference == "unfiled$public/emailtemplate"
    assert case.subject == "Case # {!Case.CaseNumber}: {!Case.Subject} has been assigned to you."
    for merge in ("CaseNumber", "Subject", "Description", "OwnerFullName", "Link"):
        assert f"{{!Case.{merge}}}" in case.body
    sample = demo.template("unfiled$public/LeadsNewassignmentnotificationSAMPLE")
    assert sample is not None and sample.encoding_key == "ISO-8859-1" and sample.available


# ---- Salesforce's sample, both formats -----------------------------------------------------------


@pytest.mark.parametrize(
    "rules, template_dir",
    [
        (CASE_RULES, f"{SFDX}/email/unfiled$public"),  # SFDX source format
        ("src/assignmentRules/Case.assignmentRules", "src/email/unfiled$public"),  # Metadata API format
    ],
)
def test_case_sample_loads_as_is(tmp_path: Path, rules: str, template_dir: str) -> None:
    write(tmp_path, {
        "sfmock-org.toml": TOML,
        rules: CASE_SAMPLE,
        f"{template_dir}/emailtemplate.email-meta.xml": TEMPLATE_META,
        f"{template_dir}/emailtemplate.email": "Case {!Case.CaseNumber}\n",
        "src/package.xml": "<Package/>",
    })  # fmt: skip
    bundle = load_org_folder(tmp_path)
    assert [(r.object, r.full_name, r.active) for r in bundle.rules] == [
        ("Case", "samplerule", False), ("Case", "Another samplerule", False)]  # fmt: skip
    entry = bundle.rules[0].entries[0]
    assert (entry.assigned_to, entry.assigned_to_type, entry.template) == (
        "testUser@org.com", "User", "unfiled$public/emailtemplate")  # fmt: skip
    assert entry.criteria[0].field == "Case.IsEscalated" and entry.criteria[0].value == "True"
    assert bundle.rules[0].source.file == rules and bundle.rules[0].source.line == 2


def test_package_directory_elsewhere(tmp_path: Path) -> None:
    files = {k.replace("force-app/main/default", "packages/core/main"): v for k, v in good_org().items()}
    files["sfdx-project.json"] = '{"packageDirectories": [{"path": "packages/core", "default": true}]}'
    bundle = load_org_folder(write(tmp_path, files))
    assert {r.object for r in bundle.rules} == {"Lead", "Case"} and bundle.queue("Lead_Queue") is not None


def test_time_zones(tmp_path: Path) -> None:
    """[org] time_zone is the org's Default Time Zone (GMT when left out); a user without one gets it, as
    Setup fills in a new user's time zone from the org's."""
    files = good_org()
    assert load_org_folder(write(tmp_path / "default", files)).settings.time_zone == "GMT"
    _sub("sfmock-org.toml", 'name = "Tiny"', 'name = "Tiny"\ntime_zone = "Asia/Tokyo"')(files)
    bundle = load_org_folder(write(tmp_path / "tokyo", files))
    assert bundle.settings.time_zone == "Asia/Tokyo"
    assert {u.time_zone for u in bundle.users} == {None}  # the org's, at install


def test_good_org_and_comments(tmp_path: Path) -> None:
    files = good_org()
    files[QUEUE_FILE] = files[QUEUE_FILE].replace("<name>", "<!-- a comment --><name>")
    bundle = load_org_folder(write(tmp_path, files))
    assert bundle.queue("Lead_Queue").members == ("testUser@org.com",)


# ---- refusals ------------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Queue xmlns="http://soap.sforce.com/2006/04/metadata"><name>&lol3;</name></Queue>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE q [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Queue xmlns="http://soap.sforce.com/2006/04/metadata"><name>&xxe;</name></Queue>
"""


def _sub(rel: str, old: str, new: str) -> Callable[[dict[str, str | None]], None]:
    def change(files: dict[str, str | None]) -> None:
        assert old in files[rel], f"{old!r} not in {rel}"
        files[rel] = files[rel].replace(old, new, 1)

    return change


def _set(rel: str, text: str | None, **more: str) -> Callable[[dict[str, str | None]], None]:
    """Writes (or, with None, removes) `rel`; `more` maps further paths, relative to rel's folder, to
    texts."""

    def change(files: dict[str, str | None]) -> None:
        files[rel] = text
        for name, other in more.items():
            files[str(Path(rel).parent / name)] = other

    return change


def _formula(text: str) -> Callable[[dict[str, str | None]], None]:
    """The Lead rule's criteria item replaced by a <formula>."""
    item = "<criteriaItems>\n" + "".join(f"                <{tag}>{value}</{tag}>\n" for tag, value in (
        ("field", "Lead.Country"), ("operation", "equals"),
        ("value", "India"))) + "            </criteriaItems>"
    return _sub(LEAD_RULES_FILE, item, f"<formula>{text}</formula>")


# (id, change to the good org, file named, line named (None: no line), words of the message)
BAD = [
    (
        "malformed xml",
        _sub(LEAD_RULES_FILE, "</criteriaItems>", "</criteria>"),
        LEAD_RULES_FILE,
        13,
        "malformed XML",
    ),
    (
        "wrong root",
        _set(QUEUE_FILE, LEAD_RULES),
        QUEUE_FILE,
        2,
        "root element is <AssignmentRules>, expected <Queue",
    ),
    (
        "root without namespace",
        _sub(CASE_RULES, ' xmlns="http://soap.sforce.com/2006/04/metadata"', ""),
        CASE_RULES,
        1,
        "expected <AssignmentRules",
    ),
    (
        "unknown RuleEntry element",
        _sub(LEAD_RULES_FILE, "<assignedToType>Queue</assignedToType>", "<assignToType>Queue</assignToType>"),
        LEAD_RULES_FILE,
        8,
        "unknown element <assignToType> in <ruleEntry>",
    ),
    (
        "unknown FilterItem element",
        _sub(LEAD_RULES_FILE, "<value>India</value>", "<values>India</values>"),
        LEAD_RULES_FILE,
        12,
        "unknown element <values> in <criteriaItems>",
    ),
    (
        "unknown operation",
        _sub(LEAD_RULES_FILE, ">equals<", ">equal<"),
        LEAD_RULES_FILE,
        11,
        "'equal' is not one of",
    ),
    (
        "bad assignedToType",
        _sub(LEAD_RULES_FILE, ">Queue</assignedToType>", ">Group</assignedToType>"),
        LEAD_RULES_FILE,
        8,
        "'Group' is not one of: User, Queue",
    ),
    (
        "assignedTo names no user",
        _sub(CASE_RULES, "testUser@org.com", "nobody@org.com"),
        CASE_RULES,
        5,
        "user 'nobody@org.com' does not exist",
    ),
    (
        "assignedTo names no queue",
        _sub(LEAD_RULES_FILE, ">Lead_Queue<", ">Missing_Queue<"),
        LEAD_RULES_FILE,
        6,
        "queue 'Missing_Queue' does not exist",
    ),
    (
        "a user named as a queue",
        _sub(CASE_RULES, "<assignedToType>User", "<assignedToType>Queue"),
        CASE_RULES,
        5,
        "queue 'testUser@org.com' does not exist",
    ),
    (
        "a queue named as a user",
        _sub(LEAD_RULES_FILE, ">Queue</assignedToType>", ">User</assignedToType>"),
        LEAD_RULES_FILE,
        6,
        "user 'Lead_Queue' does not exist",
    ),
    (
        "queue without the object",
        _sub(QUEUE_FILE, "<sobjectType>Lead", "<sobjectType>Case"),
        LEAD_RULES_FILE,
        6,
        "does not accept Lead records",
    ),
    (
        "two active rules",
        _set(CASE_RULES, CASE_SAMPLE.replace("<active>false", "<active>true")),
        CASE_RULES,
        16,
        "both active",
    ),
    (
        "formula and criteria",
        _sub(LEAD_RULES_FILE, "</criteriaItems>", "</criteriaItems><formula>TRUE</formula>"),
        LEAD_RULES_FILE,
        6,
        "both <formula> and <criteriaItems>",
    ),
    (
        "formula that does not type-check",
        _formula("AND(Country = 'India', LeadSource = 'Web')"),
        LEAD_RULES_FILE,
        6,
        "Field LeadSource is a picklist field. Picklist fields are only supported in certain functions. "
        "(formula line 1, column 24) (entry 1 of rule Routing)",
    ),
    (
        "formula that does not parse",
        _formula("OR(Country = 'India'"),
        LEAD_RULES_FILE,
        6,
        "Syntax error. Missing ')' (formula line 1, column 21)",
    ),
    (
        "template names no file",
        _sub(CASE_RULES, "<template>emailtemplate", "<template>unfiled$public/Nope"),
        CASE_RULES,
        5,
        "template 'unfiled$public/Nope' does not exist",
    ),
    (
        "queue member names no user",
        _sub(QUEUE_FILE, "<user>testUser@org.com", "<user>ghost@org.com"),
        QUEUE_FILE,
        6,
        "member 'ghost@org.com' names no user",
    ),
    (
        "user without last_name",
        _sub("sfmock-org.toml", 'last_name = "Other"\n', ""),
        "sfmock-org.toml",
        13,
        "[[users]] #2 has no last_name",
    ),
    (
        "rule names an inactive user",
        _sub("sfmock-org.toml", 'email = "otherUser@org.com"\n',
             'email = "otherUser@org.com"\nactive = false\n'),
        CASE_RULES,
        19,
        "user 'otherUser@org.com' is inactive (active = false in sfmock-org.toml)",
    ),
    (
        "user without email",
        _sub("sfmock-org.toml", 'email = "testUser@org.com"\n', ""),
        "sfmock-org.toml",
        8,
        "[[users]] #1 has no email",
    ),
    (
        "user without username",
        _sub("sfmock-org.toml", 'username = "otherUser@org.com"\n', ""),
        "sfmock-org.toml",
        13,
        "has no username",
    ),
    (
        "unknown permission",
        _sub("sfmock-org.toml", 'email = "testUser@org.com"\n', 'email = "testUser@org.com"\n'
             'permissions = ["ModifyAllData"]\n'),
        "sfmock-org.toml",
        12,
        "unknown permission 'ModifyAllData' of user testUser@org.com (known: BulkApiHardDelete)",
    ),
    (
        "unknown toml key",
        _sub("sfmock-org.toml", 'last_name = "User"', 'lastname = "User"'),
        "sfmock-org.toml",
        10,
        "unknown key 'lastname'",
    ),
    (
        "malformed toml",
        _sub("sfmock-org.toml", 'name = "Tiny"', "name = Tiny"),
        "sfmock-org.toml",
        2,
        "malformed TOML",
    ),
    (
        "no [org]",
        _sub("sfmock-org.toml", '[org]\nname = "Tiny"\n', ""),
        "sfmock-org.toml",
        None,
        "no [org] table",
    ),
    ("no sfmock-org.toml", _set("sfmock-org.toml", None), "sfmock-org.toml", None, "no sfmock-org.toml"),
    (
        "default owner names no user",
        _sub("sfmock-org.toml", 'default_owner = "testUser', 'default_owner = "x'),
        "sfmock-org.toml",
        5,
        "[case_settings] default_owner: user 'x@org.com' does not exist",
    ),
    (
        "bad trusted network",
        _sub("sfmock-org.toml", 'name = "Tiny"', 'name = "Tiny"\ntrusted_networks = ["10.0.0.1/8"]'),
        "sfmock-org.toml",
        3,
        "host bits set",
    ),
    (
        "unknown org time zone",
        _sub("sfmock-org.toml", 'name = "Tiny"', 'name = "Tiny"\ntime_zone = "Mars/Olympus"'),
        "sfmock-org.toml",
        3,
        "time_zone: unknown time zone 'Mars/Olympus'",
    ),
    (
        "unknown user time zone",
        _sub("sfmock-org.toml", 'last_name = "Other"', 'last_name = "Other"\ntime_zone = "PST"'),
        "sfmock-org.toml",
        16,
        "time_zone: unknown time zone 'PST'",
    ),
    (
        "template without body",
        _set(f"{SFDX}/email/unfiled$public/emailtemplate.email", None),
        TEMPLATE_FILE,
        None,
        "no body file",
    ),
    ("template without type", _sub(TEMPLATE_FILE, "<type>text</type>", ""), TEMPLATE_FILE, 2, "no <type>"),
    (
        "rules for another object",
        _set(f"{SFDX}/assignmentRules/Account.assignmentRules-meta.xml", CASE_SAMPLE),
        f"{SFDX}/assignmentRules/Account.assignmentRules-meta.xml",
        None,
        "'Account' are not supported",
    ),
    (
        "rules in both formats",
        _set("src/assignmentRules/Case.assignmentRules", CASE_SAMPLE),
        "src/assignmentRules/Case.assignmentRules",
        None,
        "defined twice",
    ),
    (
        "stray file in queues",
        _set(f"{SFDX}/queues/notes.txt", "hi"),
        f"{SFDX}/queues/notes.txt",
        None,
        "unexpected file",
    ),
    (
        "bare template name in two folders",
        _set(
            f"{SFDX}/email/other/emailtemplate.email-meta.xml", TEMPLATE_META, **{"emailtemplate.email": "x"}
        ),
        CASE_RULES,
        5,
        "template 'emailtemplate' is ambiguous",
    ),
    ("billion laughs", _set(QUEUE_FILE, BILLION_LAUGHS), QUEUE_FILE, 2, "DOCTYPE"),
    ("external entity", _set(QUEUE_FILE, EXTERNAL_ENTITY), QUEUE_FILE, 2, "DOCTYPE"),
    # Checked by the rules engine (app/core/rules/engine.py), reported at the entry's line.
    (
        "unknown criteria field",
        _sub(LEAD_RULES_FILE, "Lead.Country", "Lead.Nope"),
        LEAD_RULES_FILE,
        6,
        "Lead.Nope",
    ),
    (
        "bad booleanFilter",
        _sub(LEAD_RULES_FILE, "<criteriaItems>", "<booleanFilter>1 AND 7</booleanFilter><criteriaItems>"),
        LEAD_RULES_FILE,
        6,
        "1 AND 7",
    ),
]


@pytest.mark.parametrize(
    "change, file, line, words", [case[1:] for case in BAD], ids=[case[0] for case in BAD]
)
def test_bad_org(tmp_path: Path, change: Callable, file: str, line: int | None, words: str) -> None:
    files: dict[str, str | None] = dict(good_org())
    change(files)
    error = failure(write(tmp_path, files))
    assert error.file == file
    assert words in error.problem
    if line is not None:
        assert error.line == line
        assert str(error) == f"{file}, line {line}: {error.problem}"
    else:
        assert str(error).startswith(file)


def test_entity_is_never_expanded(tmp_path: Path) -> None:
    files = dict(good_org())
    files[QUEUE_FILE] = EXTERNAL_ENTITY
    error = failure(write(tmp_path, files))
    assert "root:" not in str(error)  # nothing of /etc/passwd leaks into the message


# ---- zip archives --------------------------------------------------------------------------------


def _zip(entries: dict[str, str], symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in entries.items():
            info = zipfile.ZipInfo(name)
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, text)
    return buffer.getvalue()


@pytest.mark.parametrize("prefix", ["", "acme-org/"])
def test_zip_loads(prefix: str) -> None:
    bundle = load_org_zip(_zip({prefix + rel: text for rel, text in good_org().items()}))
    assert {r.full_name for r in bundle.rules} == {"samplerule", "Another samplerule", "Routing"}
    assert bundle.rules[0].source.file.startswith(SFDX)  # relative to the org root, not the temp dir


def test_demo_zip_loads(tmp_path: Path) -> None:
    shutil.make_archive(str(tmp_path / "demo"), "zip", DEMO_ORG_PATH)
    bundle = load_org_zip((tmp_path / "demo.zip").read_bytes())
    assert bundle.settings.name == "Acme Demo" and bundle.active_rule("Lead").full_name == "Standard Routing"


@pytest.mark.parametrize(
    "entries, symlinks, words",
    [
        ({"../evil.txt": "x"}, (), "outside the archive"),
        ({"org/../../evil.txt": "x"}, (), "outside the archive"),
        ({"..\\evil.txt": "x"}, (), "outside the archive"),
        ({"/etc/evil.txt": "x"}, (), "absolute path"),
        ({"C:/evil.txt": "x"}, (), "absolute path"),
        ({"link": "/etc/passwd"}, ("link",), "symbolic link"),
    ],
)
def test_zip_slip_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    entries: dict[str, str],
    symlinks: tuple[str, ...],
    words: str,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # extraction happens in tmp_path/sfmock-org-*
    with pytest.raises(OrgDefinitionError, match=words):
        load_org_zip(_zip(good_org() | entries, symlinks))
    assert list(tmp_path.iterdir()) == []  # nothing written beside it, and its temporary folder removed


def test_zip_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_FILES", 3)
    with pytest.raises(OrgDefinitionError, match="at most 3"):
        load_org_zip(_zip(good_org()))
    monkeypatch.setattr(archive, "MAX_FILES", 2000)
    monkeypatch.setattr(archive, "MAX_BYTES", 100)
    with pytest.raises(OrgDefinitionError, match="at most 100 are accepted"):
        load_org_zip(_zip(good_org()))


def test_zip_lying_about_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    # A central directory understating a size must not let more through (zipfile stops at the stated size and
    # then fails its CRC check; the extraction also counts what decompression really yields).
    monkeypatch.setattr(archive, "MAX_BYTES", 2000)
    data = bytearray(_zip({"sfmock-org.toml": TOML, "big.txt": "x" * 5000}))
    infos = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()
    big = next(i for i in infos if i.filename == "big.txt")
    # Patch the uncompressed size in the central directory entry (offset 24 from its signature).
    central = bytes(data).rfind(b"PK\x01\x02", 0, len(data))
    assert bytes(data[central + 46 : central + 46 + len(big.filename)]) == b"big.txt"
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(OrgDefinitionError, match=r"big\.txt|more than 2000 bytes"):
        load_org_zip(bytes(data))


def test_not_a_zip() -> None:
    with pytest.raises(OrgDefinitionError, match="not a zip archive"):
        load_org_zip(b"not a zip")


def test_zip_without_toml() -> None:
    with pytest.raises(OrgDefinitionError, match=r"no sfmock-org\.toml"):
        load_org_zip(_zip({"a/b.txt": "x", "c/d.txt": "y"}))
