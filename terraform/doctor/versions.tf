terraform {
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.10"
    }
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

# The AWS side of the doctor: the role it assumes to read the patient's logs and call Bedrock.
provider "aws" {
  region = var.aws_region
}

data "google_project" "this" {}

data "aws_caller_identity" "current" {}
