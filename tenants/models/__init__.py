"""The tenants app's models, one module per area.

company: Company, Membership, Invitation
offices: OfficeApplication, ApplicationDocument, RentRate, Residency, ResidencyOffice,
         Attestation
requests: Service, ServiceRequest, RequestEvent, RequestMessage, RequestAttachment,
          AppointmentSlot, AppointmentBooking
kpi: KPIReport
alumni: CompanyExit, AlumniCheckIn, HistoricalBaseline
"""

from tenants.models.alumni import (
    AlumniCheckIn,
    CompanyExit,
    ExitReason,
    HeadcountBand,
    HistoricalBaseline,
    RevenueBand,
)
from tenants.models.company import (
    Company,
    CompanyRole,
    CompanyStatus,
    Invitation,
    LegalForm,
    Membership,
    Program,
    Sector,
    Stage,
)
from tenants.models.kpi import KPIReport
from tenants.models.offices import (
    ApplicationDocument,
    ApplicationStatus,
    Attestation,
    OfficeApplication,
    RentRate,
    RentTier,
    Residency,
    ResidencyOffice,
    ResidencyStatus,
)
from tenants.models.requests import (
    AppointmentBooking,
    AppointmentSlot,
    Partner,
    RequestAttachment,
    RequestEvent,
    RequestMessage,
    RequestStatus,
    Service,
    ServiceCategory,
    ServiceRequest,
)

__all__ = [
    "AlumniCheckIn",
    "CompanyExit",
    "ExitReason",
    "HeadcountBand",
    "HistoricalBaseline",
    "RevenueBand",
    "AppointmentBooking",
    "AppointmentSlot",
    "ApplicationDocument",
    "ApplicationStatus",
    "Attestation",
    "Company",
    "CompanyRole",
    "CompanyStatus",
    "Invitation",
    "KPIReport",
    "LegalForm",
    "Membership",
    "OfficeApplication",
    "Partner",
    "Program",
    "RentRate",
    "RentTier",
    "RequestAttachment",
    "RequestEvent",
    "RequestMessage",
    "RequestStatus",
    "Residency",
    "ResidencyOffice",
    "ResidencyStatus",
    "Sector",
    "Service",
    "ServiceCategory",
    "ServiceRequest",
    "Stage",
]
