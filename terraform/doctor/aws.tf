# The doctor reaches AWS as a role it assumes with its Google identity token
# (AssumeRoleWithWebIdentity, issuer accounts.google.com): no static AWS keys.
data "aws_iam_policy_document" "doctor_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["accounts.google.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "accounts.google.com:aud"
      values   = [google_service_account.doctor.unique_id]
    }
  }
}

resource "aws_iam_role" "doctor" {
  name                 = "cloud-doctor"
  assume_role_policy   = data.aws_iam_policy_document.doctor_trust.json
  max_session_duration = 3600
}

locals {
  patient_log_groups = "arn:aws:logs:${var.aws_region}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/${var.patient_name}/*"
  # A cross-region inference profile, and the foundation models it may route to.
  bedrock_resources = [
    "arn:aws:bedrock:${var.aws_region}:${data.aws_caller_identity.current.account_id}:inference-profile/${var.bedrock_model_id}",
    "arn:aws:bedrock:*::foundation-model/${replace(var.bedrock_model_id, "/^[a-z]+\\./", "")}",
  ]
}

data "aws_iam_policy_document" "doctor" {
  statement {
    sid = "ReadPatientLogs"
    actions = [
      "logs:FilterLogEvents",
      "logs:StartQuery",
      "logs:GetQueryResults",
      "logs:StopQuery", # a Logs Insights query is stopped when its deadline passes
    ]
    resources = [local.patient_log_groups, "${local.patient_log_groups}:*"]
  }

  statement {
    sid       = "CallClaude"
    actions   = ["bedrock:InvokeModel"] # Converse is authorised as InvokeModel
    resources = local.bedrock_resources
  }
}

resource "aws_iam_role_policy" "doctor" {
  name   = "read-patient-logs-and-call-claude"
  role   = aws_iam_role.doctor.id
  policy = data.aws_iam_policy_document.doctor.json
}
