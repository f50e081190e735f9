variable "project_id" {
  description = "GCP project of the doctor zone."
  type        = string
}

variable "region" {
  description = "Region of Cloud Run, Cloud Tasks (same region: tasks call the service) and Artifact Registry."
  type        = string
  default     = "asia-northeast3"
}

variable "vertex_location" {
  description = "Vertex AI location the doctor calls Gemini in (GOOGLE_CLOUD_LOCATION)."
  type        = string
  default     = "us-central1"
}

variable "image_tag" {
  description = "Tag of the doctor image in Artifact Registry, set by the deploy workflow."
  type        = string
  default     = "latest"
}

variable "github_owner" {
  description = "Owner (user or organisation) of the GitHub repository whose workflows may deploy."
  type        = string
}

variable "github_repo" {
  description = "Name of that repository (Workload Identity Federation trusts its main branch only)."
  type        = string
}

variable "aws_region" {
  description = "AWS region of the patient zone and of Bedrock."
  type        = string
  default     = "ap-northeast-2"
}

variable "patient_name" {
  description = "The patient zone's name prefix (its log groups are /ecs/<name>/...)."
  type        = string
  default     = "patient"
}

variable "bedrock_model_id" {
  description = "The Claude inference profile the doctor calls (DOCTOR_BEDROCK_MODEL_ID)."
  type        = string
  default     = "us.anthropic.claude-sonnet-4-6"
}

variable "max_instances" {
  description = "Upper bound of Cloud Run instances; an alert storm must not scale the bill without limit."
  type        = number
  default     = 4
}

variable "rounds_every_minutes" {
  description = "How often the doctor makes its rounds (Cloud Scheduler), and the interval each round reads."
  type        = number
  default     = 15
  validation {
    condition     = var.rounds_every_minutes >= 1 && var.rounds_every_minutes <= 60 && 60 % var.rounds_every_minutes == 0
    error_message = "rounds_every_minutes must divide an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)."
  }
}
