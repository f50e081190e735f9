output "alb_dns_name" {
  description = "Public DNS name of the dashboard's load balancer."
  value       = aws_lb.main.dns_name
}

output "log_groups" {
  description = "CloudWatch log group of each component, for the doctor's service map."
  value = {
    collector    = aws_cloudwatch_log_group.collector.name
    strategy     = aws_cloudwatch_log_group.strategy.name
    executor     = aws_cloudwatch_log_group.executor.name
    dashboard    = aws_cloudwatch_log_group.dashboard.name
    "ecs-events" = aws_cloudwatch_log_group.ecs_events.name
  }
}

output "alerts_topic_arn" {
  description = "SNS topic the alarms publish to; configure it in DOCTOR_SNS_TOPIC_ARNS."
  value       = aws_sns_topic.alerts.arn
}

output "deployer_role_arn" {
  description = "Role the deploy-patient workflow assumes with GitHub OIDC (repository variable AWS_DEPLOY_ROLE_ARN)."
  value       = aws_iam_role.deployer.arn
}
