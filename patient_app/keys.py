"""The executor's exchange API key: from the environment, or from Secrets Manager with the task role."""

from __future__ import annotations

from patient_app.config import PatientSettings


class ApiKeyProvider:
    def __init__(self, settings: PatientSettings, *, client=None) -> None:
        self.settings = settings
        self._client = client
        self._key: str | None = settings.exchange_api_key.get_secret_value() if settings.exchange_api_key else None

    def client(self):
        if self._client is None:
            import boto3

            self._client = boto3.client("secretsmanager", region_name=self.settings.aws_region)
        return self._client

    def key(self) -> str:
        if self._key is None:
            self.refresh()
        return self._key or ""

    def refresh(self) -> str:
        """Read the key again (after a rotation); raises botocore's ClientError as AWS words it."""
        if not self.settings.exchange_key_secret_id:
            self._key = self._key or "paper-key"
            return self._key
        value = self.client().get_secret_value(SecretId=self.settings.exchange_key_secret_id)
        self._key = value["SecretString"]
        return self._key

    def forget(self) -> None:
        self._key = None


def denied_client(*, region: str, account: str, role: str, secret_arn: str, session: str):
    """A real botocore Secrets Manager client whose GetSecretValue is answered the way AWS answers a
    task role without the permission (chaos; botocore formats the error itself)."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client("secretsmanager", region_name=region, aws_access_key_id="chaos",
                          aws_secret_access_key="chaos")
    stubber = Stubber(client)
    message = (f"User: arn:aws:sts::{account}:assumed-role/{role}/{session} is not authorized to perform: "
               f"secretsmanager:GetSecretValue on resource: {secret_arn} because no identity-based policy allows "
               "the secretsmanager:GetSecretValue action")
    for _ in range(10_000):
        stubber.add_client_error("get_secret_value", service_error_code="AccessDeniedException",
                                 service_message=message, http_status_code=400)
    stubber.activate()
    return client
