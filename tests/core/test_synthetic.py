"""The synthetic bench accounts' secrets: made by each run, kept outside the repository."""

import io
import json
import stat
from pathlib import Path

import pyotp
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.accounts.models import TOTPDevice, User

ROOT = Path(__file__).resolve().parents[2]


def test_the_secrets_file_may_not_be_inside_the_repository(db):
    with pytest.raises(CommandError, match="inside the repository"):
        call_command("generate_synthetic", cases=1, credentials_file=ROOT / "bench.json")


def test_the_repository_publishes_no_bench_secret():
    text = (ROOT / "loadtest" / "locustfile.py").read_text()
    assert "bench-password" not in text and "JBSWY3DP" not in text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_each_run_gives_the_bench_accounts_new_secrets_in_a_private_file(tmp_path):
    path = tmp_path / "state" / "bench.json"
    call_command(
        "generate_synthetic", cases=20, workers=1, credentials_file=path, stdout=io.StringIO()
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = json.loads(path.read_text())
    admin = User.objects.get(username="bench_admin_1")
    caseworker = User.objects.filter(username__startswith="bench_cw_").first()
    assert admin.check_password(first["password"]) and caseworker.check_password(first["password"])
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed and device.secret == first["totp_secret"]
    assert pyotp.TOTP(device.secret).verify(pyotp.TOTP(first["totp_secret"]).now())
    assert not Path(settings.BASE_DIR, "bench.json").exists()

    call_command(
        "generate_synthetic", cases=20, workers=1, credentials_file=path, stdout=io.StringIO()
    )
    second = json.loads(path.read_text())
    assert second["password"] != first["password"]
    assert second["totp_secret"] != first["totp_secret"]
    admin.refresh_from_db()
    assert admin.check_password(second["password"]) and not admin.check_password(first["password"])
    assert TOTPDevice.objects.get(user=admin).secret == second["totp_secret"]
