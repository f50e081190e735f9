# The doctor's rounds: Cloud Scheduler posts the rounds job to the service's own /tasks/run, with an
# OIDC token of the doctor's account for the service's URL, which the route verifies as it verifies
# Cloud Tasks' deliveries (the account already invokes the service: iam.tf). The body is the same
# every time; the round's time and idempotency key come from the X-CloudScheduler-ScheduleTime
# header, so a retried delivery is the same round and runs once.
resource "google_project_service" "cloudscheduler" {
  service            = "cloudscheduler.googleapis.com"
  disable_on_destroy = false
}

resource "google_cloud_scheduler_job" "rounds" {
  name        = "doctor-rounds"
  description = "The doctor's rounds: a check-up of every service in the service map"
  region      = var.region
  # Epoch-aligned, as the service floors a round's time to DOCTOR_ROUNDS_EVERY_MINUTES.
  schedule         = var.rounds_every_minutes == 60 ? "0 * * * *" : "*/${var.rounds_every_minutes} * * * *"
  time_zone        = "Etc/UTC"
  attempt_deadline = "900s" # the service's request timeout (run.tf); the round's own deadline is below it

  retry_config {
    retry_count          = 2
    max_retry_duration   = "600s" # a round older than that is the next round's to do
    min_backoff_duration = "30s"
  }

  http_target {
    http_method = "POST"
    uri         = "${local.service_url}/tasks/run"
    headers     = { "Content-Type" = "application/json" }
    body        = base64encode(jsonencode({ kind = "rounds", key = "", args = {} }))

    oidc_token {
      service_account_email = google_service_account.doctor.email
      audience              = local.service_url
    }
  }

  depends_on = [google_project_service.cloudscheduler]
}
