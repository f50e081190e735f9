resource "google_cloud_tasks_queue" "jobs" {
  name     = "doctor-jobs"
  location = var.region # the same region as the service it calls

  rate_limits {
    max_dispatches_per_second = 5
    max_concurrent_dispatches = 8 # with max_instances and concurrency: CPU for each running job
  }

  retry_config {
    max_attempts       = 4
    max_retry_duration = "1800s" # a job older than half an hour is no longer worth answering
    min_backoff        = "10s"
    max_backoff        = "300s"
    max_doublings      = 4
  }

  stackdriver_logging_config {
    sampling_ratio = 1.0
  }
}
