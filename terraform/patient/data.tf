resource "aws_db_subnet_group" "main" {
  name       = "${var.name}-db"
  subnet_ids = aws_subnet.private[*].id
}

# max_connections is set explicitly: the services' pools (pool_size + max_overflow
# per replica) must fit under it, and the doctor raises it here when they do not.
resource "aws_db_parameter_group" "postgres" {
  name   = "${var.name}-postgres16"
  family = "postgres16"

  parameter {
    name         = "max_connections"
    value        = "100"
    apply_method = "pending-reboot"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_instance" "postgres" {
  #checkov:skip=CKV_AWS_157:Single-AZ: a paper-trading stack does not pay for a standby; backups cover loss
  #checkov:skip=CKV_AWS_118:Enhanced monitoring needs its own role; Performance Insights and RDS metrics suffice here
  #checkov:skip=CKV_AWS_354:Performance Insights use the AWS-managed key; no customer key is kept for this stack
  identifier                          = "${var.name}-postgres"
  engine                              = "postgres"
  engine_version                      = "16.4"
  instance_class                      = "db.t4g.small"
  allocated_storage                   = 20
  max_allocated_storage               = 50
  storage_type                        = "gp3"
  storage_encrypted                   = true
  db_name                             = "trading"
  username                            = "trader"
  manage_master_user_password         = true
  parameter_group_name                = aws_db_parameter_group.postgres.name
  db_subnet_group_name                = aws_db_subnet_group.main.name
  vpc_security_group_ids              = [aws_security_group.data.id]
  backup_retention_period             = 7
  deletion_protection                 = true
  skip_final_snapshot                 = false
  final_snapshot_identifier           = "${var.name}-postgres-final"
  auto_minor_version_upgrade          = true
  performance_insights_enabled        = true
  monitoring_interval                 = 0
  enabled_cloudwatch_logs_exports     = ["postgresql"]
  iam_database_authentication_enabled = true
  copy_tags_to_snapshot               = true
}

resource "aws_elasticache_subnet_group" "main" {
  name       = "${var.name}-redis"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_elasticache_replication_group" "redis" {
  #checkov:skip=CKV_AWS_31:TLS is on; an AUTH token would be one more secret, and only the services' security group reaches it
  #checkov:skip=CKV_AWS_191:Encrypted at rest with the AWS-managed key; no customer key is kept for this stack
  #checkov:skip=CKV2_AWS_50:One node: the cache holds reloadable ticks and a queue the services rebuild on restart
  replication_group_id       = "${var.name}-redis"
  description                = "Ticks cache and order queue of the trading stack"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = "cache.t4g.micro"
  num_cache_clusters         = 1
  port                       = 6379
  subnet_group_name          = aws_elasticache_subnet_group.main.name
  security_group_ids         = [aws_security_group.data.id]
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  snapshot_retention_limit   = 1
}

data "aws_caller_identity" "current" {}
