"""Serializers whose fields are worked out once per class still give each use its own fields."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from heard.cases.serializers import CaseSerializer, CaseSummarySerializer
from heard.testing import make_case

pytestmark = pytest.mark.django_db


def test_each_serializer_has_its_own_bound_fields():
    first, second = CaseSerializer(), CaseSerializer()

    assert first.fields["customer"] is not second.fields["customer"]
    assert first.fields["customer"].parent is first
    assert second.fields["customer"].parent is second
    customer = first.fields["customer"]
    assert isinstance(customer, serializers.Serializer)
    assert customer.fields["name"].root is first


def test_a_field_holding_another_is_copied_whole_and_bound_to_its_own_serializer():
    first, second = CaseSerializer(), CaseSerializer()
    became, other = first.fields["became"], second.fields["became"]

    assert isinstance(became, serializers.ManyRelatedField)
    assert isinstance(other, serializers.ManyRelatedField)
    assert became.child_relation is not other.child_relation
    assert became.child_relation.parent is became and became.parent is first
    assert first.fields["subject"] is not second.fields["subject"]
    assert first.fields["subject"].parent is first and second.fields["subject"].parent is second


def test_the_model_is_inspected_once_per_class(monkeypatch):
    CaseSerializer().fields  # noqa: B018  # built and kept
    CaseSummarySerializer().fields  # noqa: B018

    def inspect_again(*args, **kwargs):
        raise AssertionError("built the fields from the model again")

    monkeypatch.setattr(serializers.ModelSerializer, "get_fields", inspect_again)

    assert "events" in CaseSerializer().fields
    assert "events" not in CaseSummarySerializer().fields  # a subclass keeps its own


def test_two_cases_are_written_out_each_as_itself():
    one, other = make_case(subject="Bins"), make_case(subject="Potholes")

    assert CaseSerializer(one).data["subject"] == "Bins"
    assert CaseSerializer(other).data["subject"] == "Potholes"
    assert CaseSerializer(one).data["reference"] != CaseSerializer(other).data["reference"]
