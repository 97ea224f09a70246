"""Demo one-stop shop: a catalogue per operating site, requests in every status, appointments.

For each operating site that hosts companies: eight services (French names),
a one-stop-shop agent (``guichet-<site>@technopark.test``), a few requests per
company, backdated around ``ctx.today`` with their events and messages (some
overdue), and slots at the partner desks over the next two weeks, some booked.
A company that already has requests, and a slot that already exists, are left
alone, so a second run creates nothing. Slots are published through the real
service (``slot_publish_series``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sites.models import Site, SiteStatus, StaffAssignment, StaffRole
from sites.selectors import add_working_days, closed_days, is_working_day
from technopark import access
from technopark.clock import local_datetime, local_zone
from technopark.demo import DemoContext
from technopark.models import User
from tenants.models import (
    AppointmentBooking,
    Company,
    Membership,
    Partner,
    RequestEvent,
    RequestMessage,
    RequestStatus,
    Service,
    ServiceCategory,
    ServiceRequest,
)
from tenants.services import appointments
from tenants.services import requests as services

S = RequestStatus

#: name, category, partner desk, target working days, by appointment, description.
CATALOGUE = [
    (
        "Création d'entreprise (OMPIC)",
        ServiceCategory.COMPANY_CREATION,
        Partner.OMPIC,
        10,
        True,
        "Certificat négatif, dépôt des statuts et immatriculation au registre de commerce, "
        "avec le guichet OMPIC présent sur le site.",
    ),
    (
        "Attestation de domiciliation",
        ServiceCategory.DOMICILIATION,
        Partner.NONE,
        2,
        False,
        "Attestation de domiciliation ou de résidence au Technopark, pour la banque, "
        "l'administration ou un client.",
    ),
    (
        "Lettre d'invitation pour un fondateur étranger",
        ServiceCategory.INVITATION_LETTER,
        Partner.NONE,
        5,
        False,
        "Lettre d'invitation à joindre à une demande de visa pour un associé ou un fondateur "
        "venant de l'étranger.",
    ),
    (
        "Badge d'accès",
        ServiceCategory.BADGE,
        Partner.NONE,
        2,
        False,
        "Badge nominatif pour un nouveau collaborateur, remplacement d'un badge perdu ou "
        "extension des horaires d'accès.",
    ),
    (
        "Maintenance",
        ServiceCategory.MAINTENANCE,
        Partner.NONE,
        3,
        False,
        "Climatisation, électricité, réseau, mobilier : signalez une panne dans vos bureaux.",
    ),
    (
        "Légalisation de documents",
        ServiceCategory.LEGALISATION,
        Partner.NONE,
        3,
        True,
        "Légalisation de signatures et copies certifiées conformes, sur rendez-vous.",
    ),
    (
        "Affiliation CNSS",
        ServiceCategory.SOCIAL,
        Partner.CNSS,
        7,
        True,
        "Affiliation de l'entreprise et immatriculation des salariés à la CNSS.",
    ),
    (
        "Recrutement (ANAPEC)",
        ServiceCategory.SOCIAL,
        Partner.ANAPEC,
        10,
        True,
        "Publication d'offres, présélection de candidats et contrats Idmaj avec l'ANAPEC.",
    ),
]

#: French service name: {language: (name, description, documents needed)}, and the
#: French documents needed; the demo fills the texts staff have left empty.
DOCUMENTS_FR = {
    "Création d'entreprise (OMPIC)": (
        "Certificat négatif\nStatuts signés\nCopie des CIN des associés"
    ),
    "Attestation de domiciliation": "Contrat de résidence en cours",
    "Lettre d'invitation pour un fondateur étranger": "Copie du passeport\nDates du séjour",
    "Badge d'accès": "Copie de la CIN du collaborateur\nPhoto d'identité",
    "Maintenance": "",
    "Légalisation de documents": "Documents originaux\nCIN du signataire",
    "Affiliation CNSS": "Registre de commerce (modèle J)\nListe des salariés avec leur CIN",
    "Recrutement (ANAPEC)": "Fiche de poste\nAttestation d'affiliation CNSS",
}
TRANSLATED = {
    "Création d'entreprise (OMPIC)": {
        "ar": (
            "إحداث مقاولة (المكتب المغربي للملكية الصناعية والتجارية)",
            "الشهادة السلبية وإيداع النظام الأساسي والتسجيل في السجل التجاري، "
            "مع شباك المكتب الحاضر في الموقع.",
            "الشهادة السلبية\nالنظام الأساسي موقّعًا\nنسخ من البطائق الوطنية للشركاء",
        ),
        "en": (
            "Company creation (OMPIC)",
            "Negative certificate, filing of the articles and registration in the trade "
            "register, with the OMPIC desk on site.",
            "Negative certificate\nSigned articles of association\n"
            "Copies of the partners' ID cards",
        ),
    },
    "Attestation de domiciliation": {
        "ar": (
            "شهادة التوطين",
            "شهادة التوطين أو الإقامة بالتكنوبارك، للبنك أو الإدارة أو لزبون.",
            "عقد الإقامة الجاري",
        ),
        "en": (
            "Domiciliation certificate",
            "Certificate of domiciliation or residence at the Technopark, for the bank, "
            "the administration or a client.",
            "Current residency contract",
        ),
    },
    "Lettre d'invitation pour un fondateur étranger": {
        "ar": (
            "رسالة دعوة لمؤسس أجنبي",
            "رسالة دعوة تُرفق بطلب التأشيرة لشريك أو مؤسس قادم من الخارج.",
            "نسخة من جواز السفر\nتواريخ الإقامة",
        ),
        "en": (
            "Invitation letter for a foreign founder",
            "An invitation letter to attach to a visa application for a partner or founder "
            "coming from abroad.",
            "Copy of the passport\nDates of the stay",
        ),
    },
    "Badge d'accès": {
        "ar": (
            "شارة الدخول",
            "شارة اسمية لمتعاون جديد، أو تعويض شارة ضائعة، أو تمديد ساعات الدخول.",
            "نسخة من البطاقة الوطنية للمتعاون\nصورة شمسية",
        ),
        "en": (
            "Access badge",
            "A named badge for a new team member, a replacement for a lost one, or longer "
            "access hours.",
            "Copy of the team member's ID card\nID photo",
        ),
    },
    "Maintenance": {
        "ar": ("الصيانة", "التكييف والكهرباء والشبكة والأثاث: أبلغوا عن عطب في مكاتبكم.", ""),
        "en": (
            "Maintenance",
            "Air conditioning, electricity, network, furniture: report a fault in your offices.",
            "",
        ),
    },
    "Légalisation de documents": {
        "ar": (
            "تصحيح الإمضاء والمصادقة على الوثائق",
            "تصحيح الإمضاءات والنسخ المطابقة للأصل، بموعد مسبق.",
            "الوثائق الأصلية\nالبطاقة الوطنية للموقّع",
        ),
        "en": (
            "Legalisation of documents",
            "Legalised signatures and certified true copies, by appointment.",
            "Original documents\nSignatory's ID card",
        ),
    },
    "Affiliation CNSS": {
        "ar": (
            "الانخراط في الصندوق الوطني للضمان الاجتماعي",
            "انخراط المقاولة وتسجيل الأجراء في الصندوق الوطني للضمان الاجتماعي.",
            "السجل التجاري (النموذج ج)\nلائحة الأجراء مع أرقام بطائقهم الوطنية",
        ),
        "en": (
            "CNSS registration",
            "Registering the company and its employees with the CNSS.",
            "Trade register extract (model J)\nList of employees with their ID cards",
        ),
    },
    "Recrutement (ANAPEC)": {
        "ar": (
            "التوظيف (الوكالة الوطنية لإنعاش التشغيل والكفاءات)",
            "نشر عروض الشغل والانتقاء الأولي للمترشحين وعقود إدماج مع الوكالة.",
            "بطاقة المنصب\nشهادة الانخراط في الضمان الاجتماعي",
        ),
        "en": (
            "Recruitment (ANAPEC)",
            "Job offers, shortlisting of candidates and Idmaj contracts with ANAPEC.",
            "Job description\nCNSS registration certificate",
        ),
    },
}

#: What companies write, per category.
ASKS = {
    ServiceCategory.COMPANY_CREATION: [
        "Nous souhaitons créer une SARL AU pour notre nouvelle activité ; pouvez-vous nous "
        "accompagner pour le certificat négatif et l'immatriculation ?",
        "Dépôt des statuts modifiés après l'entrée d'un nouvel associé.",
    ],
    ServiceCategory.DOMICILIATION: [
        "Merci de nous établir une attestation de domiciliation pour l'ouverture d'un compte "
        "bancaire.",
        "Attestation de résidence au Technopark demandée par un client pour un appel d'offres.",
    ],
    ServiceCategory.INVITATION_LETTER: [
        "Notre cofondateur, de nationalité française, vient en mars pour deux semaines : "
        "pouvez-vous préparer une lettre d'invitation pour son visa ?",
        "Lettre d'invitation pour un investisseur sénégalais qui visite nos bureaux.",
    ],
    ServiceCategory.BADGE: [
        "Deux nouveaux développeurs arrivent lundi ; il leur faut un badge d'accès.",
        "Badge perdu par une stagiaire, merci de le désactiver et d'en faire un nouveau.",
    ],
    ServiceCategory.MAINTENANCE: [
        "La climatisation de notre bureau ne fonctionne plus depuis ce matin.",
        "Prise réseau hors service dans la salle de réunion du deuxième étage.",
    ],
    ServiceCategory.LEGALISATION: [
        "Légalisation de signatures sur un contrat de partenariat (trois exemplaires).",
        "Copies certifiées conformes des statuts pour un dossier de financement.",
    ],
    ServiceCategory.SOCIAL: [
        "Affiliation de l'entreprise et immatriculation de nos quatre premiers salariés.",
        "Nous recrutons deux profils juniors dans le cadre du programme Idmaj.",
    ],
}

QUESTIONS = [
    "Pouvez-vous nous transmettre une copie de la pièce d'identité du gérant ?",
    "Il nous manque le procès-verbal signé ; merci de l'ajouter à la demande.",
    "Pouvez-vous confirmer les noms complets et les fonctions des personnes concernées ?",
]
ANSWERS = [
    "Voici le document demandé, merci.",
    "C'est envoyé, dites-nous s'il manque quelque chose.",
    "Nous avons ajouté les informations, bonne journée.",
]
DONE = [
    "C'est prêt : le document est à retirer à l'accueil du guichet unique.",
    "Intervention faite ce matin, tout fonctionne.",
    "Dossier déposé et validé par notre partenaire.",
]
REASONS = [
    "Cette démarche relève directement du tribunal de commerce ; nous vous avons indiqué la "
    "marche à suivre par message.",
    "Demande en double : elle est déjà traitée dans une autre demande.",
]

#: Each site's requests go through these outcomes in turn, so every status appears.
PLAN = [
    (S.SUBMITTED, False),
    (S.IN_PROGRESS, False),
    (S.WAITING_FOR_TENANT, False),
    (S.RESOLVED, False),
    (S.IN_PROGRESS, True),
    (S.REJECTED, False),
    (S.RESOLVED, False),
    (S.SUBMITTED, True),
    (S.WAITING_FOR_TENANT, False),
    (S.RESOLVED, False),
]

#: When the partner desks receive, by service: weekdays (Monday 0), from, to, minutes.
DESKS = {
    "Création d'entreprise (OMPIC)": ((1, 3), dt.time(9, 30), dt.time(12, 0), 30),
    "Légalisation de documents": ((0, 2, 4), dt.time(10, 0), dt.time(12, 0), 20),
    "Affiliation CNSS": ((0, 2), dt.time(14, 0), dt.time(16, 0), 30),
    "Recrutement (ANAPEC)": ((3,), dt.time(9, 0), dt.time(11, 0), 30),
}
AGENT_NAMES = ["Rachid Ouahbi", "Loubna Cherkaoui", "Hassan Mouline", "Siham Zerouali"]


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    """The one-stop shop of every operating site that hosts companies."""
    sites = Site.objects.filter(status=SiteStatus.OPERATING).order_by("name")
    for number, site in enumerate(sites):
        companies = list(Company.objects.filter(home_site=site).order_by("pk"))
        if not companies:
            ctx.say(f"One-stop shop at {site.name}: no company, skipped.")
            continue
        catalogue, new_services = _catalogue(site)
        agent, agents = _agents(ctx, site, AGENT_NAMES[number % len(AGENT_NAMES)])
        requests = _requests(ctx, site, companies, catalogue, agents)
        slots, bookings = _appointments(ctx, site, companies, catalogue, agent)
        ctx.say(
            f"One-stop shop at {site.name}: {new_services} services, {requests} requests, "
            f"{slots} slots ({bookings} booked) created."
        )


def _catalogue(site: Site) -> tuple[list[Service], int]:
    offered, created = [], 0
    for name, category, partner, days, appointment, description in CATALOGUE:
        service, made = Service.objects.get_or_create(
            site=site,
            name=name,
            defaults={
                "category": category,
                "partner": partner,
                "target_days": days,
                "needs_appointment": appointment,
                "description": description,
            },
        )
        _translate(service, name)
        offered.append(service)
        created += made
    return offered, created


def _translate(service: Service, french: str) -> None:
    """Give the service its documents and Arabic and English texts where staff left them empty."""
    values = {"documents_needed_fr": DOCUMENTS_FR.get(french, "")}
    for language, texts in TRANSLATED.get(french, {}).items():
        for field, text in zip(("name", "description", "documents_needed"), texts, strict=True):
            values[f"{field}_{language}"] = text
    fields = [field for field, text in values.items() if text and not getattr(service, field)]
    for field in fields:
        setattr(service, field, values[field])
    if fields:
        service.save(update_fields=fields)


def _agents(ctx: DemoContext, site: Site, name: str) -> tuple[User, list[User]]:
    """The site's one-stop-shop agent (created once), and everyone who works requests there."""
    agent = ctx.accounts.get(
        f"guichet-{site.slug}@technopark.test",
        name,
        describe=f"one-stop-shop agent at {site.name}: /admin/",
    )
    StaffAssignment.objects.get_or_create(
        site=site, user=agent, defaults={"role": StaffRole.ONE_STOP_SHOP_AGENT}
    )
    return agent, list(access.staff_with(services.CHANGE_REQUEST, site).order_by("pk"))


class _Timeline:
    """Instants between a request's filing and an end, in order, never in the future."""

    def __init__(self, ctx: DemoContext, start: dt.datetime, end: dt.datetime):
        self.ctx, self.moment, self.end = ctx, start, max(start, end)

    def next(self) -> dt.datetime:
        room = (self.end - self.moment).total_seconds()
        moment = self.moment + dt.timedelta(seconds=room * self.ctx.rng.uniform(0.1, 0.5))
        # Agents work office hours: move a night-time instant into the day when that keeps order.
        local = moment.astimezone(local_zone())
        if not 8 <= local.hour < 18:
            hour = 8 if local.hour < 8 else 17
            daytime = local.replace(hour=hour, minute=self.ctx.rng.randint(0, 59))
            if self.moment < daytime <= self.end:
                moment = daytime
        self.moment = moment
        return moment


def _requests(ctx, site, companies, catalogue, agents) -> int:
    now = timezone.now()
    created = 0
    step = 0
    # Enough requests at a site with few companies for every outcome of the plan to appear.
    at_least = -(-len(PLAN) // len(companies))
    for company in companies:
        if ServiceRequest.objects.filter(company=company).exists():
            continue
        people = [
            membership.user
            for membership in Membership.objects.filter(company=company)
            .select_related("user")
            .order_by("pk")
        ]
        if not people:
            continue
        for _ in range(max(at_least, ctx.rng.choice([1, 2, 2, 3]))):
            status, late = PLAN[step % len(PLAN)]
            step += 1
            service = ctx.rng.choice(catalogue)
            _one_request(ctx, site, company, service, people, agents, status, late, now)
            created += 1
    return created


def _one_request(ctx, site, company, service, people, agents, status, late, now):
    rng = ctx.rng
    if late:
        days_ago = service.target_days * 2 + rng.randint(3, 10)
    elif status in (S.RESOLVED, S.REJECTED):
        days_ago = rng.randint(service.target_days, 60)
    else:
        days_ago = rng.randint(0, max(0, service.target_days - 1))
    filed_on = ctx.today - dt.timedelta(days=days_ago)
    filed_at = min(local_datetime(filed_on, dt.time(rng.randint(8, 16), rng.randint(0, 59))), now)
    deadline = add_working_days(site=site, start=filed_on, days=service.target_days)
    closing = now if late else min(now, local_datetime(deadline, dt.time(17)))
    filer, agent = rng.choice(people), rng.choice(agents)
    service_request = ServiceRequest(
        company=company,
        service=service,
        description=rng.choice(ASKS[service.category]),
        created_by=filer,
        deadline=deadline,
    )
    events = [(filer, "", S.SUBMITTED, "", filed_at)]
    messages = []
    time = _Timeline(ctx, filed_at, closing)

    def move(actor, to, note=""):
        events.append((actor, events[-1][2], to, note, time.next()))

    if status != S.SUBMITTED and not (status == S.REJECTED and rng.random() < 0.5):
        move(agent, S.IN_PROGRESS, agent.get_full_name())
        service_request.assigned_to = agent
    if status == S.WAITING_FOR_TENANT or (status == S.RESOLVED and rng.random() < 0.5):
        question = rng.choice(QUESTIONS)
        move(agent, S.WAITING_FOR_TENANT, question)
        messages.append((agent, question, events[-1][4]))
        if status == S.RESOLVED:
            messages.append((filer, rng.choice(ANSWERS), time.next()))
            move(filer, S.IN_PROGRESS)
    if status == S.RESOLVED:
        done = rng.choice(DONE)
        messages.append((agent, done, time.next()))
        move(agent, S.RESOLVED, done)
    if status == S.REJECTED:
        reason = rng.choice(REASONS)
        move(agent, S.REJECTED, reason)
        service_request.rejection_reason = reason
    service_request.status = status
    if status in (S.RESOLVED, S.REJECTED):
        service_request.closed_at = events[-1][4]
    service_request.save()
    # The filing date is in the past: auto_now_add set it to now on insert.
    service_request.created_at = filed_at
    ServiceRequest.objects.bulk_update([service_request], ["created_at"])
    saved_events = RequestEvent.objects.bulk_create(
        RequestEvent(
            request=service_request, actor=actor, from_status=old, to_status=new, note=note
        )
        for actor, old, new, note, _ in events
    )
    for event, (*_, moment) in zip(saved_events, events, strict=True):
        event.at = moment
    RequestEvent.objects.bulk_update(saved_events, ["at"])
    saved_messages = RequestMessage.objects.bulk_create(
        RequestMessage(request=service_request, author=author, body=body)
        for author, body, _ in messages
    )
    for message, (*_, moment) in zip(saved_messages, messages, strict=True):
        message.created_at = moment
    RequestMessage.objects.bulk_update(saved_messages, ["created_at"])


def _appointments(ctx, site, companies, catalogue, agent) -> tuple[int, int]:
    """Slots at the partner desks over the next two weeks; about a third of the new ones booked.

    The site's agent publishes them through the one-stop shop's own service, so
    the demo's slots follow the same rules (real-time steps, no overlap, no
    second copy on a second run).
    """
    start, end = ctx.today + dt.timedelta(days=1), ctx.today + dt.timedelta(days=14)
    closed = closed_days(site=site, start=start, end=end)
    now = timezone.now()
    by_name = {service.name: service for service in catalogue}
    new_slots = []
    for name, (weekdays, first, last, minutes) in DESKS.items():
        day = start
        while day <= end:
            if day.weekday() in weekdays and is_working_day(day, closed):
                if local_datetime(day, first) > now:
                    new_slots += appointments.slot_publish_series(
                        actor=agent,
                        service=by_name[name],
                        day=day,
                        start=first,
                        end=last,
                        minutes=minutes,
                    )
            day += dt.timedelta(days=1)
    members = {}
    for membership in Membership.objects.filter(company__in=companies).order_by("pk"):
        members.setdefault(membership.company_id, membership.user_id)
    bookable = [company for company in companies if company.pk in members]
    bookings = []
    for slot in new_slots:
        if not bookable or ctx.rng.random() >= 0.35:
            continue
        company = ctx.rng.choice(bookable)
        open_request = (
            ServiceRequest.objects.filter(
                company=company, service=slot.service, status__in=[S.IN_PROGRESS, S.SUBMITTED]
            )
            .order_by("pk")
            .first()
        )
        bookings.append(
            AppointmentBooking(
                slot=slot,
                company=company,
                request=open_request,
                booked_by_id=members[company.pk],
            )
        )
    AppointmentBooking.objects.bulk_create(bookings)
    return len(new_slots), len(bookings)
