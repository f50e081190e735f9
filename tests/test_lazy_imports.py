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
