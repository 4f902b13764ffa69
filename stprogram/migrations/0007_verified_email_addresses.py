"""Every account's own address becomes a verified allauth address (issue 17, finding 1).

E-mail verification is now mandatory, so an account needs a verified address to
log in. Accounts created before had none: their address is the one the region
enrolled, which it vouches for. An account that has any allauth address row
already went through the e-mail page, where an unconfirmed address could be
made primary; its address is left as it is, and the owner confirms it by mail
at the next login.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("stprogram", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    untouched = (
        # (django-guardian's AnonymousUser carries a name, not an address)
        User.objects.filter(email__contains="@")
        .exclude(pk__in=EmailAddress.objects.values("user_id"))
        .exclude(email__in=EmailAddress.objects.filter(verified=True).values("email"))
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=user_id, email=email.lower(), verified=True, primary=True)
        for user_id, email in untouched.values_list("pk", "email").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        ("stprogram", "0006_region_wall_every_table"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
