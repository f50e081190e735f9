resource "google_artifact_registry_repository" "doctor" {
  #checkov:skip=CKV_GCP_84:Images hold no secrets; the Google-managed key is enough for this registry
  location      = var.region
  repository_id = "cloud-doctor"
  format        = "DOCKER"
  description   = "Cloud Doctor images, pushed by the deploy-doctor workflow"

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"

    most_recent_versions {
      keep_count = 20
    }
  }
}

locals {
  image = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.doctor.repository_id}/doctor:${var.image_tag}"
}
