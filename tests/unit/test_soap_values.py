"""Core values as Partner API text (Java-style doubles, millisecond UTC datetimes) and request booleans."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sfmock.soap.faults import SoapFault
from sfmock.soap.values import datetime_text, java_double, parse_boolean, parse_int, text


@pytest.mark.parametrize(("value", "expected"), [
    (20000000.0, "2.0E7"),          # AnnualRevenue 20,000,000 as Salesforce's Partner API writes it
    (80000000.0, "8.0E7"),          # forcedotcom/dataloader#161
    (99213206.0, "9.9213206E7"),    # forcedotcom/dataloader#1204
    (115056052.0, "1.15056052E8"),
    (10000000.0, "1.0E7"),          # the switch to exponent form is at 10^7, as Double.toString
    (9999999.0, "9999999.0"),
    (1234.5, "1234.5"),
    (100.0, "100.0"),
    (0.001, "0.001"),
    (0.0001, "1.0E-4"),
    (-2.5e-5, "-2.5E-5"),
    (0.0, "0.0"),
    (-1.5e10, "-1.5E10"),
    (1.0e21, "1.0E21"),
])
def test_doubles_are_written_like_java(value: float, expected: str) -> None:
    assert java_double(value) == expected


@pytest.mark.parametrize(("value", "field_type", "expected"), [
    (True, None, "true"),
    (False, "boolean", "false"),
    (20000000, "currency", "2.0E7"),   # an int the core holds for a currency field is still a double
    (250, "int", "250"),
    (250.0, "int", "250"),
    (12.5, "percent", "12.5"),
    (date(2024, 1, 31), "date", "2024-01-31"),
    (datetime(2024, 1, 31, 10, 0, tzinfo=UTC), "datetime", "2024-01-31T10:00:00.000Z"),
    ("Acme & Co", "string", "Acme & Co"),
])
def test_text_by_value_and_field_type(value: object, field_type: str | None, expected: str) -> None:
    assert text(value, field_type) == expected


def test_datetimes_are_utc_with_milliseconds() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    assert datetime_text(datetime(2024, 1, 31, 15, 30, 5, 123456, tzinfo=ist)) == "2024-01-31T10:00:05.123Z"


@pytest.mark.parametrize(("raw", "expected"),
                         [("true", True), ("1", True), (" TRUE ", True), ("false", False),
                                               ("0", False)])
def test_booleans_accept_words_and_digits(raw: str, expected: bool) -> None:
    assert parse_boolean(raw, "useDefaultRule") is expected


def test_a_bad_boolean_is_a_client_fault() -> None:
    with pytest.raises(SoapFault) as caught:
        parse_boolean("yes", "useDefaultRule")
    assert caught.value.faultcode == "soapenv:Client" and "useDefaultRule" in caught.value.faultstring


def test_a_bad_int_is_a_client_fault() -> None:
    assert parse_int(" 250 ", "batchSize") == 250
    with pytest.raises(SoapFault):
        parse_int("many", "batchSize")
