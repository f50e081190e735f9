data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# The execution role pulls images, writes logs and reads the secrets injected
# into containers at start-up; nothing else.
resource "aws_iam_role" "execution" {
  name               = "${var.name}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "execution_secrets" {
  name = "read-injected-secrets"
  role = aws_iam_role.execution.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadDatabasePassword"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = [aws_db_instance.postgres.master_user_secret[0].secret_arn]
      },
    ]
  })
}

resource "aws_secretsmanager_secret" "exchange_api_key" {
  #checkov:skip=CKV_AWS_149:Encrypted with the AWS-managed key; no customer key is kept for this stack
  #checkov:skip=CKV2_AWS_57:A paper exchange key, rotated at the exchange by hand; no rotation Lambda
  name        = "${var.name}/exchange-api-key"
  description = "Paper exchange API key of the executor"
}

# Task roles: what each component's code may call.

resource "aws_iam_role" "collector" {
  name               = "${var.name}-collector-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role" "strategy" {
  name               = "${var.name}-strategy-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role" "executor" {
  name               = "${var.name}-executor-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role" "dashboard" {
  name               = "${var.name}-dashboard-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

# Each component ships its own logs to CloudWatch (batched PutLogEvents).
resource "aws_iam_role_policy" "collector" {
  name = "collector"
  role = aws_iam_role.collector.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ShipLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.collector.arn}:*"]
      },
    ]
  })
}

resource "aws_iam_role_policy" "strategy" {
  name = "strategy"
  role = aws_iam_role.strategy.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ShipLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.strategy.arn}:*"]
      },
    ]
  })
}

resource "aws_iam_role_policy" "executor" {
  name = "executor"
  role = aws_iam_role.executor.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ShipLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.executor.arn}:*"]
      },
    ]
  })
}

resource "aws_iam_role_policy" "dashboard" {
  name = "dashboard"
  role = aws_iam_role.dashboard.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ShipLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.dashboard.arn}:*"]
      },
    ]
  })
}
