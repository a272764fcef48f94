# Quantities with their unit. $n is the formatted number, $count the raw one for plurals.
unit-hours = { $count ->
        [one] { $n } hour
       *[other] { $n } hours
    }
unit-gb-months = { $n } GB-month{ $count ->
        [one] {""}
       *[other] s
    }
unit-gb = { $n } GB
unit-requests = { $count ->
        [one] { $n } request
       *[other] { $n } requests
    }
unit-gb-seconds = { $n } GB-seconds
unit-keys = { $n } key-months
unit-secrets = { $n } secret-months
unit-metrics = { $n } metric-months
unit-alarms = { $n } alarm-months
unit-dashboards = { $n } dashboard-months
unit-objects = { $n } object-months
unit-capacity-hours = { $n } capacity-unit-hours
unit-vcpu-hours = { $n } vCPU-hours
unit-zones = { $n } hosted zone-months
unit-other = { $n } { $unit }
