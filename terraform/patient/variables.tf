variable "region" {
  description = "AWS region of the patient zone."
  type        = string
  default     = "ap-northeast-2"
}

variable "name" {
  description = "Prefix for every resource name."
  type        = string
  default     = "patient"
}

variable "image_tag" {
  description = "Tag of the patient image in ECR, set by the deploy workflow."
  type        = string
  default     = "latest"
}

variable "vpc_cidr" {
  description = "CIDR block of the patient VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "doctor_alert_endpoint" {
  description = "HTTPS URL of the doctor's SNS alert endpoint (POST /alerts/sns)."
  type        = string
  default     = "https://doctor.example.com/alerts/sns"
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the patient's logs."
  type        = number
  default     = 30
}

variable "github_owner" {
  description = "GitHub owner of the repository whose deploy-patient workflow may deploy (OIDC)."
  type        = string
  default     = "acme"
}

variable "github_repo" {
  description = "GitHub repository whose deploy-patient workflow may deploy (OIDC)."
  type        = string
  default     = "cloud-doctor"
}
