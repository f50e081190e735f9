output "service_url" {
  description = "The doctor's URL: Slack slash commands and interactivity go to <url>/slack/events."
  value       = google_cloud_run_v2_service.doctor.uri
}

output "alert_endpoint" {
  description = "Subscribe the patient's SNS topic here (terraform/patient var doctor_alert_endpoint)."
  value       = "${google_cloud_run_v2_service.doctor.uri}/alerts/sns"
}

output "doctor_service_account" {
  description = "The doctor's runtime identity (and the email its Cloud Tasks OIDC tokens carry)."
  value       = google_service_account.doctor.email
}

output "aws_role_arn" {
  description = "The AWS role the doctor assumes with its Google identity."
  value       = aws_iam_role.doctor.arn
}

output "workload_identity_provider" {
  description = "For google-github-actions/auth: workload_identity_provider."
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "deployer_service_account" {
  description = "For google-github-actions/auth: service_account."
  value       = google_service_account.deployer.email
}
