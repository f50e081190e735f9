# The values are added out of band (gcloud secrets versions add ...), never in Terraform state.
resource "google_secret_manager_secret" "slack" {
  for_each = toset(["slack-bot-token", "slack-signing-secret", "doctor-alert-token", "doctor-redaction-key",
  "doctor-deploy-token", "doctor-report-signing-key", "doctor-database-url"])
  secret_id = each.key

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "doctor_reads" {
  for_each  = google_secret_manager_secret.slack
  secret_id = each.value.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.doctor.email}"
}
