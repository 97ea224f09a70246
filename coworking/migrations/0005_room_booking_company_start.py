# A company's bookings by start, for its month's free minutes.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coworking', '0004_document_retention'),
        ('sites', '0008_content_copied_to_french'),
        ('tenants', '0006_catalogue_copied_to_french'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='roombooking',
            index=models.Index(models.F('company'), models.Func(models.F('during'), function='lower'), name='room_booking_company_start'),
        ),
    ]
