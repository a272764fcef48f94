# The AWS-side safety net for `ftdesk guard`, printed by `ftdesk guard plan --format terraform`.
#
{% if emails %}
#   terraform init && terraform apply
{% else %}
#   terraform init && terraform apply -var notification_email=you@example.com
{% endif %}
#
# Then confirm the subscription in the email AWS SNS sends to each address.
#
# Sources:
# - aws_budgets_budget (cost_types, notification):
#   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/budgets_budget
# - CostTypes.IncludeCredit defaults to true, so credits would hide spend;
#   here it is false: https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_CostTypes.html
# - The console's "Zero spend budget" template alerts once spend passes $0.01
#   (AWS Cost Management user guide, "Managing your costs with AWS Budgets");
#   here: a $0.01 budget alerting above 100% of it (a threshold's minimum is 0.1).
# - Budgets publish to an SNS topic only when its policy lets the service
#   principal budgets.amazonaws.com call sns:Publish (AWS Cost Management user
#   guide, "Creating an Amazon SNS topic for budget notifications").

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

{% if emails %}
variable "notification_emails" {
  description = "Addresses the SNS topic emails (each must confirm its subscription)"
  type        = list(string)
  default     = [{% for email in emails %}{{ email.json }}{% if not loop.last %}, {% endif %}{% endfor %}]
}
{% else %}
variable "notification_email" {
  description = "The address the SNS topic emails (it must confirm its subscription)"
  type        = string

  validation {
    condition     = can(regex({{ email_pattern }}, var.notification_email))
    error_message = "The notification email must be an address like name@example.com."
  }
}
{% endif %}

data "aws_caller_identity" "current" {}

resource "aws_sns_topic" "alerts" {
  name         = "{{ prefix }}-alerts"
  display_name = "ftdesk guard"
}

resource "aws_sns_topic_policy" "budgets_publish" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowBudgetsToPublish"
      Effect    = "Allow"
      Principal = { Service = "budgets.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.alerts.arn
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}

resource "aws_sns_topic_subscription" "email" {
{% if emails %}
  for_each  = toset(var.notification_emails)
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
{% else %}
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = var.notification_email
{% endif %}
}

resource "aws_budgets_budget" "zero_spend" {
  name         = "{{ prefix }}-zero-spend"
  budget_type  = "COST"
  limit_amount = "0.01"
  limit_unit   = "{{ currency }}"
  time_unit    = "MONTHLY"

  cost_types {
    include_credit = false
  }

  notification {
    notification_type         = "ACTUAL"
    comparison_operator       = "GREATER_THAN"
    threshold                 = 100
    threshold_type            = "PERCENTAGE"
    subscriber_sns_topic_arns = [aws_sns_topic.alerts.arn]
  }

  depends_on = [aws_sns_topic_policy.budgets_publish]
}

resource "aws_budgets_budget" "monthly" {
  name         = "{{ prefix }}-monthly"
  budget_type  = "COST"
  limit_amount = "{{ budget }}"
  limit_unit   = "{{ currency }}"
  time_unit    = "MONTHLY"

  cost_types {
    include_credit = false
  }
{% for percent in forecast_percents %}
  notification {
    notification_type         = "FORECASTED"
    comparison_operator       = "GREATER_THAN"
    threshold                 = {{ percent }}
    threshold_type            = "PERCENTAGE"
    subscriber_sns_topic_arns = [aws_sns_topic.alerts.arn]
  }
{% endfor %}
  notification {
    notification_type         = "ACTUAL"
    comparison_operator       = "GREATER_THAN"
    threshold                 = 100
    threshold_type            = "PERCENTAGE"
    subscriber_sns_topic_arns = [aws_sns_topic.alerts.arn]
  }

  depends_on = [aws_sns_topic_policy.budgets_publish]
}

output "alert_topic_arn" {
  description = "The SNS topic the budgets publish to"
  value       = aws_sns_topic.alerts.arn
}
