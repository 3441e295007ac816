"""The formula evaluator: every function, null handling (treatNullAsNull), types, precedence and errors."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sfmock.core.formula import FormulaContext, FormulaError, compile_formula
from sfmock.core.schema.registry import registry

LEAD = registry.get("Lead")
CASE = registry.get("Case")
NOW = dt.datetime(2026, 3, 14, 15, 9, 26, tzinfo=dt.UTC)
RECORD: dict[str, Any] = {
    "FirstName": "Ada", "LastName": "Lovelace", "Company": "Acme Corp", "Email": "ada@pgi.com",
    "Country": "US", "LeadSource": "Web", "Industry": None, "AnnualRevenue": 1500.0,
    "NumberOfEmployees": None,
    "DoNotCall": False, "City": None, "OwnerId": "005000000000001AAA", "CreatedDate": NOW,
}
USER = {"Id": "005000000000001AAA", "Email": "owner@acme.example", "FirstName": "Olga",
        "ProfileName": "Sales"}


def ctx(record: dict[str, Any] | None = None, prior: dict[str, Any] | None = None) -> FormulaContext:
    rows = {("User", USER["Id"]): USER}
    globals_ = {"$User": USER, "$Profile": {"Name": "Sales"}, "$Organization": {"Name": "Acme"},
                "$RecordType": None}
    return FormulaContext(record=RECORD | (record or {}), prior=prior,
                          lookup=lambda sobject, rid: rows.get((sobject, rid)),
                          global_row=globals_.get, now=NOW)


def value(text: str, record: dict[str, Any] | None = None, prior: dict[str, Any] | None = None) -> Any:
    return compile_formula(text, LEAD, want=None).evaluate(ctx(record, prior))


VALUES = [
    # literals and operators, with precedence
    ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("2 ^ 3 * 2", 16), ("-2 ^ 2", -4), ("10 / 4", 2.5),
    ("7 - 2 - 1", 4),
    ('"a" & "b" & "c"', "abc"), ('"a" + "b"', "ab"), ("1 + 2 = 3", True), ("1 < 2 && 2 < 1", False),
    ("TRUE || FALSE && FALSE", True), ("!TRUE", False), ("!(1 = 2)", True), ("1 <> 2", True),
    ("1 != 1", False),
    ("1 == 1", True), ("3 >= 3", True), ("2 <= 1", False), ("'b' > 'a'", True), ("true", True),
    ("False", False),
    ("/* a comment */ 1 + 1", 2), ("'it\\'s'", "it's"),
    # logical functions
    ("AND(TRUE, 1 = 1)", True), ("and(TRUE, FALSE)", False), ("OR(FALSE, TRUE)", True), ("Or (FALSE)", False),
    ("NOT(FALSE)", True), ("IF(1 > 2, 'x', 'y')", "y"), ("IF(TRUE, 1, NULL)", 1),
    ("CASE(Country, 'FR', 1, 'US', 2, 0)", 2), ("CASE(Country, 'FR', 1, 0)", 0),
    ("CASE(LeadSource, 'Web', 'w', 'o')", "w"), ("CASE(LeadSource, 'Other', 'w', 'o')", "o"),
    # blank handling: text is never null, numbers are
    ("ISBLANK(City)", True), ("ISBLANK(Country)", False), ("ISNULL(City)", False),
    ("ISNULL(NumberOfEmployees)", True), ("ISBLANK(NumberOfEmployees)", True),
    ("ISNULL(AnnualRevenue)", False),
    ("BLANKVALUE(City, 'none')", "none"), ("BLANKVALUE(Country, 'none')", "US"),
    ("BLANKVALUE(NumberOfEmployees, 5)", 5), ("NULLVALUE(NumberOfEmployees, 5)", 5),
    ("NumberOfEmployees + 1", None), ("NumberOfEmployees <> 100", False), ("NumberOfEmployees = 100", False),
    ("NumberOfEmployees < 100", False), ("ISBLANK(TEXT(Industry))", True), ('ISPICKVAL(Industry, "")', True),
    ("City = ''", True), ("City & 'x'", "x"),
    # picklists and multi-select
    ('ISPICKVAL(LeadSource, "Web")', True), ('ISPICKVAL(LeadSource, "web")', False),
    ("TEXT(LeadSource)", "Web"),
    ("TEXT(Industry)", ""),
    # text functions
    ("LEN(Company)", 9), ("LEN(City)", 0), ("LOWER(Company)", "acme corp"), ("UPPER(Country)", "US"),
    ("TRIM('  a b  ')", "a b"), ("LEFT(Company, 4)", "Acme"), ("LEFT(Company, 0)", ""),
    ("RIGHT(Email, 8)", "@pgi.com"),
    ("MID(Company, 6, 2)", "Co"), ("FIND('Corp', Company)", 6), ("FIND('x', Company)", 0),
    ("FIND('c', Company, 3)", 0),
    ("FIND('', Company)", 0), ("CONTAINS(Company, 'Corp')", True), ("CONTAINS(Company, 'corp')", False),
    ("BEGINS(Company, 'Acme')", True), ("BEGINS(Company, 'acme')", False),
    ("SUBSTITUTE(Company, 'Corp', 'Inc')", "Acme Inc"), ("REGEX(Email, '[a-z]+@pgi\\\\.com')", True),
    ("REGEX(Email, 'pgi')", False), ("TEXT(1.50)", "1.5"), ("TEXT(2)", "2"), ("TEXT(AnnualRevenue)", "1500"),
    ("VALUE('42')", 42), ("VALUE('4.5') * 2", 9.0), ("VALUE('')", None),
    # numbers
    ("ABS(-3)", 3), ("ROUND(2.5, 0)", 3.0), ("ROUND(1.234, 2)", 1.23), ("MOD(7, 3)", 1),
    # dates
    ("TODAY()", dt.date(2026, 3, 14)), ("NOW()", NOW), ("DATEVALUE(CreatedDate)", dt.date(2026, 3, 14)),
    ("DATEVALUE('2024-02-29')", dt.date(2024, 2, 29)), ("DATE(2024, 1, 31) + 1", dt.date(2024, 2, 1)),
    ("DATE(2024, 3, 1) - DATE(2024, 2, 1)", 29), ("YEAR(TODAY())", 2026), ("MONTH(TODAY())", 3),
    ("DAY(TODAY())", 14), ("TEXT(DATE(2024, 1, 2))", "2024-01-02"),
    ("TEXT(CreatedDate)", "2026-03-14 15:09:26Z"),
    ("TIMEVALUE(CreatedDate) < TIMEVALUE('16:00:00.000')", True), ("TODAY() > DATE(2026, 1, 1)", True),
    # globals and parent fields
    ("$User.Email", "owner@acme.example"), ("$Profile.Name", "Sales"), ("$Organization.Name", "Acme"),
    ("$RecordType.DeveloperName", ""), ("Owner:User.Email", "owner@acme.example"),
    ("Owner:User.FirstName & ' ' & LastName", "Olga Lovelace"), ("Owner:User.Email = $User.Email", True),
    ("ISBLANK(Owner:Queue.Email)", True),
    # prior values: a new record (prior None) vs an update
    ("ISNEW()", True), ("ISCHANGED(Country)", False), ("PRIORVALUE(Country)", "US"),
]


@pytest.mark.parametrize(("text", "expected"), VALUES)
def test_value(text: str, expected: Any) -> None:
    assert value(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ISNEW()", False), ("ISCHANGED(Country)", True), ("ISCHANGED(Company)", False),
    ("PRIORVALUE(Country)", "FR"),
    ('ISPICKVAL(PRIORVALUE(LeadSource), "Phone Inquiry")', True),
])
def test_prior_values_on_update(text: str, expected: Any) -> None:
    assert value(text, prior=RECORD | {"Country": "FR", "LeadSource": "Phone Inquiry"}) == expected


def test_includes_on_a_multi_select_picklist() -> None:
    from sfmock.core.schema.model import FieldDef, SObjectDef
    obj = SObjectDef("Thing", "Thing", "Things", "a00",
                     (FieldDef("Id", "id"), FieldDef("Regions__c", "multipicklist")))
    formula = compile_formula("INCLUDES(Regions__c, 'EU') && !ISBLANK(Regions__c)", obj)
    assert formula.matches(FormulaContext({"Regions__c": "US;EU"}))
    assert not formula.matches(FormulaContext({"Regions__c": "US;EUR"}))
    assert not formula.matches(FormulaContext({"Regions__c": None}))


@pytest.mark.parametrize("text", ["1 / 0 = 1", "VALUE('abc') = 1", "MOD(1, 0) = 0", "REGEX(Company, '(')"])
def test_a_formula_that_errors_matches_nothing(text: str) -> None:
    assert compile_formula(text, LEAD).matches(ctx()) is False


def test_if_evaluates_only_the_branch_taken() -> None:
    assert compile_formula("IF(TRUE, TRUE, 1 / 0 = 1)", LEAD).matches(ctx())


ERRORS = [
    ("", "Syntax error. Missing expression"),
    ("AND(TRUE", "Syntax error. Missing ')' (formula line 1, column 9)"),
    ("AND(TRUE,, TRUE)", "Syntax error. Extra ',' (formula line 1, column 10)"),
    ("TRUE)", "Syntax error. Extra ')' (formula line 1, column 5)"),
    ("Company = #", "Syntax error. Found '#' (formula line 1, column 11)"),
    ("FOO(1)", "Unknown function FOO. Check spelling. (formula line 1, column 1)"),
    ("Cmpany = 'x'", "Field Cmpany does not exist. Check spelling. (formula line 1, column 1)"),
    ("Owner.Email = 'x'", "Field Owner.Email does not exist. Check spelling. (formula line 1, column 1)"),
    ("$Nobody.Name = 'x'", "Field $Nobody.Name does not exist. Check spelling. (formula line 1, column 1)"),
    ("PasswordHash = 'x'", "Field PasswordHash does not exist. Check spelling. (formula line 1, column 1)"),
    ("LeadSource = 'Web'",
     "Field LeadSource is a picklist field. Picklist fields are only supported in certain "
     "functions. (formula line 1, column 1)"),
    ("ISBLANK(LeadSource)",
     "Field LeadSource is a picklist field. Picklist fields are only supported in certain "
     "functions. (formula line 1, column 9)"),
    ("LEN(5) > 1", "Incorrect parameter type for function 'LEN()'. Expected Text, received Number "
     "(formula line 1, column 1)"),
    ("LEFT('a') = 'a'", "Incorrect number of parameters for function 'LEFT()'. Expected 2, received 1 "
     "(formula line 1, column 1)"),
    ("FIND('a', 'b', 1, 2) = 1",
     "Incorrect number of parameters for function 'FIND()'. Expected 2 to 3, received 4 "
     "(formula line 1, column 1)"),
    ("CASE(Country, 'US', 1, 'FR', 2)", "Incorrect number of parameters for function 'CASE()'. Expected 6, "
     "received 5 (formula line 1, column 1)"),
    ("ISPICKVAL(LeadSource, Country)", "Incorrect parameter type for function 'ISPICKVAL()'. Expected Text "
     "Literal, received Text (formula line 1, column 1)"),
    ("Company = 1", "Incorrect parameter type for operator '='. Expected Text, received Number "
     "(formula line 1, column 9)"),
    ("IF(TRUE, 1, 'a') = 1", "Incorrect parameter type for function 'IF()'. Expected Number, received Text "
     "(formula line 1, column 1)"),
    ("AND(1, TRUE)", "Incorrect parameter type for function 'AND()'. Expected Boolean, received Number "
     "(formula line 1, column 1)"),
    ("Country = 'x' && 1", "Incorrect parameter type for operator '&&'. Expected Boolean, received Number "
     "(formula line 1, column 1)"),
    ("TRUE ||\n  !5", "Incorrect parameter type for operator '!'. Expected Boolean, received Number "
     "(formula line 2, column 3)"),
    ("-'a' = 1",
     "Incorrect parameter type for operator '-'. Expected Number, received Text (formula line 1, column 1)"),
    ("Company", "Formula result is data type (Text), incompatible with expected data type (true or false)."),
    ("ISCHANGED(Owner:User.Email)", "Incorrect parameter type for function 'ISCHANGED()'. Expected Field, "
     "received Owner:User.Email (formula line 1, column 1)"),
    ("ISCHANGED('x')", "Incorrect parameter type for function 'ISCHANGED()'. Expected Field, received Text "
     "(formula line 1, column 1)"),
    ("x" * 3901, "Formula is too long (3901 characters). Maximum length is 3900 characters."),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_refused(text: str, message: str) -> None:
    with pytest.raises(FormulaError) as caught:
        compile_formula(text, LEAD)
    assert str(caught.value) == message


def test_prior_functions_are_refused_where_the_rule_kind_has_no_prior_record() -> None:
    with pytest.raises(FormulaError, match="Function ISNEW may not be used in this type of formula"):
        compile_formula("ISNEW()", CASE, prior_allowed=False)


def test_real_rule_formulas_compile() -> None:
    # Shapes from real rule files (salesforce-rules-mail-web.md §4), adapted to this schema's fields.
    for text in [
        'OR( RIGHT(Email, 8) = "@pgi.com", RIGHT(Email, 8) = "@powwownow.com", CONTAINS(LOWER(Company), "pgi '
        'test") )',
        "OwnerId = '00Ga000000309O8' || Country = \"Japan\"",
        'Text(Type) = "Problem" && (ISNEW() || ISCHANGED(Priority)) && NOT(BEGINS( Subject, "DP_"))',
        'NOT(CONTAINS( TEXT(Reason) ,"Performance")) && !(SuppliedEmail = "x")',
        "TIMEVALUE(CreatedDate)<TIMEVALUE(\"09:00:00.000\")", "TRUE",
    ]:
        compile_formula(text, CASE if "Subject" in text or "Reason" in text or text == "TRUE" else LEAD)
