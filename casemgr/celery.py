"""The Celery application; configuration comes from Django settings (CELERY_* names).

Redelivery is set in casemgr/settings/base.py: tasks are acknowledged late and handed back
when their worker dies, and Redis hands out a task left unacknowledged after
CELERY_BROKER_VISIBILITY_TIMEOUT (600 s) instead of kombu's hour. Side effects of writes reach
Celery through the outbox (apps.core.outbox), never straight from a request.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casemgr.settings.dev")

app = Celery("casemgr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
