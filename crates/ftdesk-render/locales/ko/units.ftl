# 단위가 붙은 수량. $n은 형식화된 숫자, $count는 원래 숫자입니다.
unit-hours = { $n }시간
unit-gb-months = { $n } GB-월
unit-gb = { $n } GB
unit-requests = { $n }건
unit-gb-seconds = { $n } GB-초
unit-keys = 키 { $n }개월
unit-secrets = 보안 암호 { $n }개월
unit-metrics = 지표 { $n }개월
unit-alarms = 경보 { $n }개월
unit-dashboards = 대시보드 { $n }개월
unit-objects = 객체 { $n }개월
unit-capacity-hours = 용량 단위 { $n }시간
unit-vcpu-hours = vCPU { $n }시간
unit-zones = 호스팅 영역 { $n }개월
unit-other = { $n } { $unit }
