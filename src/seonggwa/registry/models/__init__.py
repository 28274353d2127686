"""Registry of outsourced services (위탁사무) and the organisations around them.

Thin models: business rules live in :mod:`seonggwa.registry.domain`.
"""

from seonggwa.registry.models.operations import (
    AuditResult,
    CouncilConsent,
    FigureKind,
    InspectionFinding,
    OperatingFigure,
)
from seonggwa.registry.models.organisations import Organisation, OrganisationKind
from seonggwa.registry.models.services import (
    ContractPeriod,
    MatchKind,
    Service,
    ServiceName,
)

__all__ = [
    "AuditResult",
    "ContractPeriod",
    "CouncilConsent",
    "FigureKind",
    "InspectionFinding",
    "MatchKind",
    "OperatingFigure",
    "Organisation",
    "OrganisationKind",
    "Service",
    "ServiceName",
]
