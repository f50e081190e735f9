resource "aws_cloudwatch_log_group" "collector" {
  #checkov:skip=CKV_AWS_158:Encrypted with the service key; a customer key would need a key policy for the logs service
  #checkov:skip=CKV_AWS_338:30 days: these logs serve incident diagnosis, not audit
  name              = "/ecs/${var.name}/collector"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_group" "strategy" {
  #checkov:skip=CKV_AWS_158:Encrypted with the service key; a customer key would need a key policy for the logs service
  #checkov:skip=CKV_AWS_338:30 days: these logs serve incident diagnosis, not audit
  name              = "/ecs/${var.name}/strategy"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_group" "executor" {
  #checkov:skip=CKV_AWS_158:Encrypted with the service key; a customer key would need a key policy for the logs service
  #checkov:skip=CKV_AWS_338:30 days: these logs serve incident diagnosis, not audit
  name              = "/ecs/${var.name}/executor"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_group" "dashboard" {
  #checkov:skip=CKV_AWS_158:Encrypted with the service key; a customer key would need a key policy for the logs service
  #checkov:skip=CKV_AWS_338:30 days: these logs serve incident diagnosis, not audit
  name              = "/ecs/${var.name}/dashboard"
  retention_in_days = var.log_retention_days
}

# Alarms publish here; the doctor's HTTPS endpoint is subscribed and starts an analysis.
resource "aws_sns_topic" "alerts" {
  name              = "${var.name}-alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "doctor" {
  topic_arn              = aws_sns_topic.alerts.arn
  protocol               = "https"
  endpoint               = var.doctor_alert_endpoint
  endpoint_auto_confirms = false
}

resource "aws_cloudwatch_log_metric_filter" "executor_errors" {
  name           = "${var.name}-executor-errors"
  log_group_name = aws_cloudwatch_log_group.executor.name
  pattern        = "{ $.level = \"ERROR\" }"

  metric_transformation {
    name          = "ExecutorErrors"
    namespace     = "Patient"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_metric_alarm" "executor_errors" {
  alarm_name          = "${var.name}-executor-error-rate"
  alarm_description   = "The executor logs errors: orders may not be placed."
  namespace           = "Patient"
  metric_name         = "ExecutorErrors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = 10
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  alarm_name          = "${var.name}-dashboard-5xx"
  alarm_description   = "The dashboard answers with 5xx."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = aws_lb.main.arn_suffix, TargetGroup = aws_lb_target_group.dashboard.arn_suffix }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = 5
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "db_connections" {
  alarm_name          = "${var.name}-db-connections"
  alarm_description   = "PostgreSQL is near max_connections."
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.postgres.identifier }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 80
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "executor_memory" {
  alarm_name          = "${var.name}-executor-memory"
  alarm_description   = "The executor is near its memory limit; an OOM kill follows."
  namespace           = "AWS/ECS"
  metric_name         = "MemoryUtilization"
  dimensions          = { ClusterName = aws_ecs_cluster.main.name, ServiceName = aws_ecs_service.executor.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 90
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

# ECS task stops (with their reason: OutOfMemoryError, CannotPullContainerError, ...) land in
# a log group through EventBridge, so the doctor reads them like any other log ("ecs-events").
resource "aws_cloudwatch_log_group" "ecs_events" {
  #checkov:skip=CKV_AWS_158:Encrypted with the service key; a customer key would need a key policy for the logs service
  #checkov:skip=CKV_AWS_338:30 days: these logs serve incident diagnosis, not audit
  name              = "/aws/events/ecs/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_event_rule" "ecs_task_stopped" {
  name        = "${var.name}-ecs-task-stopped"
  description = "Stopped tasks of the patient cluster, with their stop reason"
  event_pattern = jsonencode({
    source      = ["aws.ecs"]
    detail-type = ["ECS Task State Change"]
    detail = {
      clusterArn = [aws_ecs_cluster.main.arn]
      lastStatus = ["STOPPED"]
    }
  })
}

resource "aws_cloudwatch_event_target" "ecs_task_stopped" {
  rule = aws_cloudwatch_event_rule.ecs_task_stopped.name
  arn  = aws_cloudwatch_log_group.ecs_events.arn
}

data "aws_iam_policy_document" "events_to_logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.ecs_events.arn}:*"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com", "delivery.logs.amazonaws.com"]
    }
  }
}

resource "aws_cloudwatch_log_resource_policy" "events_to_logs" {
  policy_name     = "${var.name}-events-to-logs"
  policy_document = data.aws_iam_policy_document.events_to_logs.json
}

resource "aws_cloudwatch_log_metric_filter" "oom_kills" {
  name           = "${var.name}-oom-kills"
  log_group_name = aws_cloudwatch_log_group.ecs_events.name
  pattern        = "\"OutOfMemoryError\""

  metric_transformation {
    name          = "OOMKills"
    namespace     = "Patient"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_metric_alarm" "oom_kills" {
  alarm_name          = "${var.name}-oom-kills"
  alarm_description   = "ECS killed a patient container for exceeding its memory."
  namespace           = "Patient"
  metric_name         = "OOMKills"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}
