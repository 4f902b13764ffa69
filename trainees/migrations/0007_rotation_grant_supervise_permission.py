"""The rotation grant's object permission (django-guardian), and for grants
already accepted and not yet ended, the permission their acceptance now gives."""

from django.db import migrations
from django.utils import timezone

from regions import tenancy

CODENAME = "supervise_rotation"
NAME = "Handleda placeringen från annan region"


def give_to_accepted(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    permissions = apps.get_model("auth", "Permission")
    object_permissions = apps.get_model("guardian", "UserObjectPermission")
    grants = apps.get_model("trainees", "RotationAccessGrant")
    content_type, _created = content_types.objects.get_or_create(
        app_label="trainees", model="rotationaccessgrant"
    )
    permission, _created = permissions.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )
    with tenancy.all_regions():
        accepted = grants.objects.filter(status="accepted", valid_until__gte=timezone.localdate())
        for grant in accepted.only("pk", "user_id"):
            object_permissions.objects.get_or_create(
                permission=permission,
                content_type=content_type,
                object_pk=str(grant.pk),
                user_id=grant.user_id,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0006_external_assessor"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="rotationaccessgrant",
            options={
                "permissions": [(CODENAME, NAME)],
                "verbose_name": "åtkomst för placering",
                "verbose_name_plural": "åtkomster för placeringar",
            },
        ),
        migrations.RunPython(give_to_accepted, migrations.RunPython.noop, elidable=False),
    ]
