"""Request bodies and response shapes of the AI inventory."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import Field

from charter.inventory.domain import (
    AISystem,
    Model,
    ModelVersion,
    OperatorRole,
    RiskTier,
    Vendor,
)
from charter.kernel.web.contract import Ref
from charter.kernel.web.schemas import Body, Name

SUITE = "The validation suite (by name) whose evidence gates judge; empty: any suite."


class SystemIn(Body):
    name: str = Name
    purpose: str = Field(min_length=1, max_length=4000)
    business_unit_id: str
    owner_id: str | None = None
    intended_use: str = Field(default="", max_length=4000)
    operator_role: OperatorRole = OperatorRole.PROVIDER
    risk_tier: RiskTier = RiskTier.UNCLASSIFIED
    deployment_context: str = Field(default="", max_length=4000)
    vendor_id: str | None = None
    tags: list[str] = Field(default_factory=list, max_length=30)
    official_suite: str = Field(default="", max_length=200, description=SUITE)


class SystemPatch(Body):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    purpose: str | None = Field(default=None, min_length=1, max_length=4000)
    business_unit_id: str | None = None
    owner_id: str | None = None
    intended_use: str | None = Field(default=None, max_length=4000)
    operator_role: OperatorRole | None = None
    risk_tier: RiskTier | None = None
    deployment_context: str | None = Field(default=None, max_length=4000)
    vendor_id: str | None = None
    tags: list[str] | None = Field(default=None, max_length=30)
    official_suite: str | None = Field(default=None, max_length=200, description=SUITE)


class VendorIn(Body):
    name: str = Name
    website: str = Field(default="", max_length=500)
    contact: str = Field(default="", max_length=500)
    notes: str = Field(default="", max_length=4000)


class VendorPatch(Body):
    """The fields to change; those left out keep their value."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    website: str | None = Field(default=None, max_length=500)
    contact: str | None = Field(default=None, max_length=500)
    notes: str | None = Field(default=None, max_length=4000)


class DatasetIn(Body):
    name: str = Name
    owner_id: str | None = None
    source: str = Field(default="", max_length=4000)
    contains_personal_data: bool = False
    special_category_data: bool = False
    retention: str = Field(default="", max_length=200)


class DatasetPatch(Body):
    """The fields to change; those left out keep their value (`owner_id: null` clears it)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    owner_id: str | None = None
    source: str | None = Field(default=None, max_length=4000)
    contains_personal_data: bool | None = None
    special_category_data: bool | None = None
    retention: str | None = Field(default=None, max_length=200)


class ModelIn(Body):
    name: str = Name
    system_id: str | None = None
    description: str = Field(default="", max_length=4000)
    vendor_id: str | None = None


class ModelPatch(Body):
    """The fields to change; those left out keep their value (`system_id: null` or
    `vendor_id: null` clears it)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    system_id: str | None = None
    description: str | None = Field(default=None, max_length=4000)
    vendor_id: str | None = None


class ModelVersionIn(Body):
    version: str = Field(min_length=1, max_length=100)
    artifact_uri: str = Field(min_length=1, max_length=2000)
    framework: str = Field(default="", max_length=100)
    training_dataset_id: str | None = None


@dataclass(frozen=True)
class RegisteredSystem(AISystem):
    """A system just registered, and the systems whose names read almost as its does."""

    possible_duplicates: list[Ref] = field(default_factory=list)


@dataclass(frozen=True)
class VendorView(Vendor):
    """A vendor, and the systems it supplies."""

    systems: list[Ref] = field(default_factory=list)


@dataclass(frozen=True)
class ModelView(Model):
    """A model, and its versions in order."""

    versions: list[ModelVersion] = field(default_factory=list)
