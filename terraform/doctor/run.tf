locals {
  # Cloud Run's deterministic URL: the service cannot read its own `uri` attribute in its env.
  service_url = "https://cloud-doctor-${data.google_project.this.number}.${var.region}.run.app"
}

resource "google_cloud_run_v2_service" "doctor" {
  name                = "cloud-doctor"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_ALL" # Slack, Alertmanager and SNS call in; every route authenticates itself
  deletion_protection = false

  template {
    service_account                  = google_service_account.doctor.email
    timeout                          = "900s" # a Cloud Tasks job runs inside its request; it has a deadline below this
    max_instance_request_concurrency = 20     # acks are tiny; jobs are CPU-heavy, so not Cloud Run's default 80

    scaling {
      min_instance_count = 0 # scale to zero: no idle cost; the ack path is built for a cold start
      max_instance_count = var.max_instances
    }

    containers {
      image = local.image

      resources {
        limits = {
          cpu    = "1"
          memory = "512Mi"
        }
        # Request-based billing. Written out on purpose: with a resources block present the API
        # needs it explicitly to keep the default. Work runs inside requests (Cloud Tasks), never after them.
        cpu_idle          = true
        startup_cpu_boost = true
      }

      env {
        name  = "DOCTOR_JOB_BACKEND"
        value = "cloudtasks"
      }
      env {
        name  = "DOCTOR_TASKS_QUEUE"
        value = google_cloud_tasks_queue.jobs.id
      }
      env {
        name  = "DOCTOR_TASKS_SERVICE_ACCOUNT"
        value = google_service_account.doctor.email
      }
      env {
        name  = "DOCTOR_ROUNDS_EVERY_MINUTES" # the interval a round reads: the scheduler's (rounds.tf)
        value = tostring(var.rounds_every_minutes)
      }
      env {
        name  = "DOCTOR_RCA_PROVIDER"
        value = "gemini"
      }
      env {
        name  = "DOCTOR_FIX_PROVIDER"
        value = "bedrock"
      }
      env {
        name  = "GOOGLE_CLOUD_PROJECT"
        value = var.project_id
      }
      env {
        name  = "GOOGLE_CLOUD_LOCATION"
        value = var.vertex_location
      }
      env {
        name  = "AWS_REGION"
        value = var.aws_region
      }
      env {
        name  = "AWS_ROLE_ARN"
        value = aws_iam_role.doctor.arn
      }
      env {
        name  = "DOCTOR_BEDROCK_MODEL_ID"
        value = var.bedrock_model_id
      }
      env {
        name = "SLACK_BOT_TOKEN"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.slack["slack-bot-token"].secret_id
            version = "latest"
          }
        }
      }
      env {
        name = "SLACK_SIGNING_SECRET"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.slack["slack-signing-secret"].secret_id
            version = "latest"
          }
        }
      }
      env {
        name = "DOCTOR_ALERT_TOKEN"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.slack["doctor-alert-token"].secret_id
            version = "latest"
          }
        }
      }
      env {
        name  = "DOCTOR_SERVICE_URL" # Cloud Tasks' target and OIDC audience, the base of report links
        value = local.service_url
      }
      dynamic "env" {
        # The store must be shared by every instance (job idempotency, alert dedupe): PostgreSQL.
        # Each comes from the secret named like it: DOCTOR_DEPLOY_TOKEN <- doctor-deploy-token.
        for_each = toset(["DOCTOR_DEPLOY_TOKEN", "DOCTOR_REPORT_SIGNING_KEY", "DOCTOR_DATABASE_URL"])
        content {
          name = env.value
          value_source {
            secret_key_ref {
              secret  = google_secret_manager_secret.slack[lower(replace(env.value, "_", "-"))].secret_id
              version = "latest"
            }
          }
        }
      }
      env {
        name = "DOCTOR_REDACTION_KEY"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.slack["doctor-redaction-key"].secret_id
            version = "latest"
          }
        }
      }

      startup_probe {
        http_get {
          path = "/healthz"
        }
        period_seconds    = 1
        failure_threshold = 10
      }
    }
  }

  depends_on = [google_secret_manager_secret_iam_member.doctor_reads]
}

# Slack and the alert senders cannot present Google identity: the service is public at the
# edge, and the app verifies Slack signatures, bearer tokens, SNS signatures and OIDC itself.
resource "google_cloud_run_v2_service_iam_member" "public" {
  #checkov:skip=CKV_GCP_102:Slack and webhook senders cannot authenticate to IAM; the app verifies every request itself
  name     = google_cloud_run_v2_service.doctor.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "allUsers"
}
