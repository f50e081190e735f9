import subprocess
import sys


def test_no_cloud_sdk_is_imported_until_used():
    # A fresh interpreter: importing everything on the start-up path must not load a cloud SDK.
    code = ("import sys, doctor.cli, doctor.pipeline, doctor.providers, doctor.sources, doctor.sources.cloudwatch, "
            "doctor.sources.loki, doctor.diagnose.gemini, doctor.prescribe.bedrock, doctor.web.app; "
            "print(sorted(m for m in ('google.genai', 'boto3', 'botocore', 'vertexai', 'google.cloud.tasks_v2', 'grpc', "
            "'google.oauth2', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_the_digest_command_loads_neither_the_store_nor_the_patient():
    # `doctor digest --file` runs its workers on every core while the parent imports: SQLAlchemy, the demo's
    # patient (FastAPI), Slack and the checks load with the commands that use them.
    code = ("import sys, doctor.cli; "
            "print(sorted(m for m in ('sqlalchemy', 'fastapi', 'patient_app', 'slack_sdk', 'doctor.check', "
            "'doctor.demo', 'doctor.jobs', 'doctor.store.db') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
