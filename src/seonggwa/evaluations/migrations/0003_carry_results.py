"""Carry every existing result into the evaluation core.

Results stored before the core were one published total per service and round, decided
by the outsourcing threshold policies. Each becomes what the core stores for a published
total: the service's subject, the direct-points rating of the evaluation institution under
the ``seoul-outsourcing@published-total`` framework version, and the outcomes the engine
gives for it (the total itself: one indicator, one area, no rounding change). Scores,
decisions, policies, statuses and the audit trail are unchanged.
"""

import json
from decimal import Decimal

from django.db import migrations

PRESET = "seoul-outsourcing-published-total"
INSTITUTION = "평가기관"


def _version(apps):
    from seonggwa import engine

    FrameworkVersion = apps.get_model("evaluations", "FrameworkVersion")
    framework = engine.load_preset(PRESET)
    document = json.loads(json.dumps(framework.document, default=str, ensure_ascii=False))
    checksum = engine.framework_from_dict(document, source=f"preset {PRESET}").fingerprint
    version = FrameworkVersion.objects.filter(framework_id=framework.id,
                                              version=framework.version).first()
    if version is None:
        version = FrameworkVersion.objects.create(
            framework_id=framework.id, version=framework.version, title=framework.title,
            title_en=framework.title_en or "", checksum=checksum, document=document,
            source=f"preset {PRESET}")
    return framework, version


def carry(apps, schema_editor):
    Result = apps.get_model("evaluations", "Result")
    if not Result.objects.exists():
        return
    Subject = apps.get_model("evaluations", "Subject")
    Rating = apps.get_model("evaluations", "Rating")
    Round = apps.get_model("evaluations", "Round")
    AreaOutcome = apps.get_model("evaluations", "AreaOutcome")
    IndicatorOutcome = apps.get_model("evaluations", "IndicatorOutcome")
    Service = apps.get_model("registry", "Service")
    ContentType = apps.get_model("contenttypes", "ContentType")

    framework, version = _version(apps)
    (indicator,) = framework.indicators
    (area,) = framework.areas
    scale = Decimal(str(framework.total))
    ctype, _ = ContentType.objects.get_or_create(app_label="registry", model="service")

    service_ids = set(Result.objects.values_list("service_id", flat=True))
    subjects = {}
    for svc in Service.objects.filter(pk__in=service_ids):
        subjects[svc.pk], _ = Subject.objects.get_or_create(
            kind="service", key=svc.key,
            defaults={"name": svc.name, "content_type": ctype, "object_id": str(svc.pk)})

    ratings, areas, indicators = [], [], []
    for res in Result.objects.all().iterator():
        res.subject = subjects[res.service_id]
        res.framework_version = version
        res.raw_total = res.score
        res.scale_max = scale
        res.counted_max = scale
        res.band_code = ""
        res.save(update_fields=["subject", "framework_version", "raw_total", "scale_max",
                                "counted_max", "band_code"])
        ratings.append(Rating(round_id=res.round_id, subject=res.subject,
                              indicator=indicator.code, evaluator_label=INSTITUTION,
                              value=res.score, version=1, entered_label="migration"))
        areas.append(AreaOutcome(result=res, area=area.code, points=res.score,
                                 max_points=scale))
        indicators.append(IndicatorOutcome(
            result=res, indicator=indicator.code, points=res.score,
            max_points=Decimal(str(indicator.points)), sd=Decimal(0), panel_count=1,
            status="scored"))
    Rating.objects.bulk_create(ratings, batch_size=2000)
    AreaOutcome.objects.bulk_create(areas, batch_size=2000)
    IndicatorOutcome.objects.bulk_create(indicators, batch_size=2000)
    round_ids = set(Result.objects.values_list("round_id", flat=True))
    Round.objects.filter(pk__in=round_ids, framework_version__isnull=True).update(
        framework_version=version)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("evaluations", "0002_core_schema"),
    ]

    operations = [
        migrations.RunPython(carry, migrations.RunPython.noop),
    ]
