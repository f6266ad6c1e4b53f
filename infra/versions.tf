terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id] # never applied into another account by mistake

  # Cost allocation: every resource has a domain and a layer; the shared ones (buckets, keys,
  # logs, alarms) are "shared"/"platform" unless they say otherwise (the Glue jobs and
  # crawlers their domain and layer, a bucket its layer, a domain's alert topic its domain).
  default_tags {
    tags = {
      project     = var.project
      environment = var.environment
      managed_by  = "terraform"
      domain      = "shared"
      layer       = "platform"
    }
  }
}
