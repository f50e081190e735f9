resource "aws_ecs_cluster" "main" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecr_repository" "patient" {
  name                 = "${var.name}/app"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
  }
}

locals {
  image = "${aws_ecr_repository.patient.repository_url}:${var.image_tag}"

  # What every container shares: where the database and Redis are, and how logs leave.
  common_environment = [
    { name = "REDIS_URL", value = "rediss://${aws_elasticache_replication_group.redis.primary_endpoint_address}:6379/0" },
    { name = "DB_HOST", value = aws_db_instance.postgres.address },
    { name = "LOG_FORMAT", value = "json" },
  ]
  db_secret = [
    { name = "DB_PASSWORD", valueFrom = "${aws_db_instance.postgres.master_user_secret[0].secret_arn}:password::" },
  ]
}

# One task definition and one service per trading-stack component, written out
# rather than generated, so that a fix for one component reads as one block.

resource "aws_ecs_task_definition" "collector" {
  family                   = "${var.name}-collector"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.collector.arn

  container_definitions = jsonencode([{
    name         = "collector"
    image        = local.image
    command      = ["patient", "serve", "--component", "collector"]
    essential    = true
    environment  = local.common_environment
    secrets      = local.db_secret
    portMappings = [{ containerPort = 8000 }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.collector.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "collector"
      }
    }
  }])
}

resource "aws_ecs_service" "collector" {
  name            = "collector"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.collector.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.services.id]
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}

resource "aws_ecs_task_definition" "strategy" {
  family                   = "${var.name}-strategy"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.strategy.arn

  container_definitions = jsonencode([{
    name        = "strategy"
    image       = local.image
    command     = ["patient", "serve", "--component", "strategy"]
    essential   = true
    environment = local.common_environment
    secrets     = local.db_secret
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.strategy.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "strategy"
      }
    }
  }])
}

resource "aws_ecs_service" "strategy" {
  name            = "strategy"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.strategy.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.services.id]
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}

# The executor talks to the exchange and holds the order book in memory.
resource "aws_ecs_task_definition" "executor" {
  family                   = "${var.name}-executor"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.executor.arn

  container_definitions = jsonencode([{
    name        = "executor"
    image       = local.image
    command     = ["patient", "serve", "--component", "executor"]
    essential   = true
    environment = local.common_environment
    secrets = concat(local.db_secret, [
      { name = "EXCHANGE_API_KEY", valueFrom = aws_secretsmanager_secret.exchange_api_key.arn },
    ])
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.executor.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "executor"
      }
    }
  }])
}

resource "aws_ecs_service" "executor" {
  name            = "executor"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.executor.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.services.id]
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}

resource "aws_ecs_task_definition" "dashboard" {
  family                   = "${var.name}-dashboard"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.dashboard.arn

  container_definitions = jsonencode([{
    name         = "dashboard"
    image        = local.image
    command      = ["patient", "serve", "--component", "dashboard"]
    essential    = true
    environment  = local.common_environment
    secrets      = local.db_secret
    portMappings = [{ containerPort = 8000 }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.dashboard.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "dashboard"
      }
    }
  }])
}

resource "aws_ecs_service" "dashboard" {
  name                              = "dashboard"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.dashboard.arn
  desired_count                     = 2
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 30

  network_configuration {
    subnets         = aws_subnet.private[*].id
    security_groups = [aws_security_group.services.id]
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.dashboard.arn
    container_name   = "dashboard"
    container_port   = 8000
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}
