# The doctor's own identity: only what it needs.
resource "google_service_account" "doctor" {
  account_id   = "cloud-doctor"
  display_name = "Cloud Doctor (Cloud Run service)"
}

resource "google_project_iam_member" "doctor_vertex" {
  project = var.project_id
  role    = "roles/aiplatform.user" # Gemini calls
  member  = "serviceAccount:${google_service_account.doctor.email}"
}

resource "google_project_iam_member" "doctor_tasks" {
  project = var.project_id
  role    = "roles/cloudtasks.enqueuer" # create tasks on the jobs queue
  member  = "serviceAccount:${google_service_account.doctor.email}"
}

# Tasks carry an OIDC token of the doctor's own account, so it must be allowed to act as itself ...
resource "google_service_account_iam_member" "doctor_acts_as_itself" {
  service_account_id = google_service_account.doctor.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.doctor.email}"
}

# ... and to invoke its own service (the /tasks/run route also verifies the token itself).
resource "google_cloud_run_v2_service_iam_member" "doctor_invokes_itself" {
  name     = google_cloud_run_v2_service.doctor.name
  location = var.region
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.doctor.email}"
}

# GitHub Actions deploys through Workload Identity Federation: no JSON keys anywhere.
resource "google_iam_workload_identity_pool" "github" {
  workload_identity_pool_id = "github"
  display_name              = "GitHub Actions"
}

resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "github-oidc"
  display_name                       = "GitHub OIDC"
  # Only workflows of this repository, on its main branch, may deploy.
  attribute_condition = "assertion.repository == '${var.github_owner}/${var.github_repo}' && assertion.sub == 'repo:${var.github_owner}/${var.github_repo}:ref:refs/heads/main'"
  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repository" = "assertion.repository"
    "attribute.ref"        = "assertion.ref"
  }

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account" "deployer" {
  account_id   = "cloud-doctor-deployer"
  display_name = "Cloud Doctor deploys (GitHub Actions)"
}

resource "google_service_account_iam_member" "github_impersonates_deployer" {
  service_account_id = google_service_account.deployer.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.repository/${var.github_owner}/${var.github_repo}"
}

resource "google_artifact_registry_repository_iam_member" "deployer_pushes" {
  location   = var.region
  repository = google_artifact_registry_repository.doctor.name
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_cloud_run_v2_service_iam_member" "deployer_deploys" {
  name     = google_cloud_run_v2_service.doctor.name
  location = var.region
  role     = "roles/run.developer"
  member   = "serviceAccount:${google_service_account.deployer.email}"
}

resource "google_service_account_iam_member" "deployer_sets_runtime_account" {
  service_account_id = google_service_account.doctor.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.deployer.email}"
}
