# Free Tier Desk 보고서 메시지, 한국어.
# 숫자·금액·날짜는 미리 형식화되어 들어옵니다($n, $cost). $count는 복수형 선택용 원래 숫자입니다.

report-title = 계정 { $account }의 프리 티어 보고서, { $month }
report-accounts = 이 보고서에 포함된 계정: { $accounts }
month-complete = 마감된 달
month-open = 이번 달 누계, { $as_of }까지의 데이터
rows-read = 결제 데이터 { $rows }행을 읽었습니다
rows-read-explorer = Cost Explorer 그룹 { $groups }개(기간 { $periods }개)를 읽었습니다

plan-legacy = 레거시 프리 티어: 12개월 무료, 상시 무료, 평가판 혜택
plan-free-plan = 무료 요금제: 크레딧 기반이며 요금이 청구되지 않습니다. 크레딧이나 6개월 중 먼저 끝나는 시점에 계정이 종료됩니다
plan-paid-plan = 유료 요금제: 크레딧 기반이며, 크레딧을 먼저 쓰고 이후 온디맨드 요금이 청구됩니다
evidence-given = 입력하신 값
evidence-created = 계정 생성일 { $date }
evidence-credits = “{ $description }” 크레딧 행
evidence-assumed = 추정: 계정 생성일이 없고 데이터에 요금제를 알려 주는 행이 없습니다
evidence-assumed-explorer = 추정: 계정 생성일이 없고 Cost Explorer 수치에 요금제를 알려 주는 것이 없습니다

twelve-active-date = 12개월 무료 혜택: { $ends } 말까지 적용(계정 생성일 { $created })
twelve-expired-date = 12개월 무료 혜택: { JOSA($ended, "으로") } 종료(계정 생성일 { $created })
twelve-active-bill = 12개월 무료 혜택: 적용 중. 청구서에 { $offer } 프리 티어 행이 있습니다
twelve-expired-bill = 12개월 무료 혜택: 청구서상 종료. { $offer } 사용량이 프리 티어 행 없이 과금되었습니다
twelve-active-worked-out = 12개월 무료 혜택: 적용 중. Cost Explorer 수치에서 { $offer }의 일부가 무료였습니다(요금이 단가로 계산한 금액보다 적음)
twelve-expired-worked-out = 12개월 무료 혜택: 데이터상 종료. Cost Explorer 수치에서 { $offer }에 무료 부분이 없고 모두 단가대로 과금되었습니다
twelve-unknown = 12개월 무료 혜택: 이번 달 데이터로는 적용 여부를 알 수 없습니다
twelve-na = 12개월 무료 혜택: 이 요금제에는 없습니다

heading-summary = 요약
heading-offers = 프리 티어 혜택
heading-charges = 청구 항목
heading-credits = 크레딧 및 환불
heading-unknowns = 데이터만으로 알 수 없는 것
heading-notes = 청구서, 프리 티어 API, 카탈로그가 서로 다른 부분
heading-unmatched = 청구서에서는 무료이나 카탈로그에 없는 항목
heading-daily = 원인별 일일 비용

summary-net = 청구 예정 금액: { $net }
summary-parts = 사용 요금 { $gross } + 세금 { $tax } − 크레딧 { $credits } − 환불 { $refunds }
summary-free-value = 프리 티어가 공개 요금 기준 { $value } 상당의 사용량을 무료로 처리했습니다.
summary-no-charges = 이번 달에는 청구된 요금이 없습니다.
summary-net-unknown = 청구 예정 금액: 이 데이터로는 알 수 없음
summary-usage-only = 이 데이터는 프리 티어 API의 것으로, 요금이 아니라 사용량만 알려 줍니다. 청구된 금액은 Cost Explorer(`aws ce get-cost-and-usage`)나 결제 내보내기(Data Export 또는 비용 및 사용 보고서)에서 볼 수 있습니다.
charges-not-in-data = 요금을 보여 드릴 수 없습니다. 프리 티어 API는 사용량만 알려 줍니다. 무엇이 왜 청구되었는지 보려면 Cost Explorer 출력이나 결제 내보내기를 함께 넣어 주세요.
summary-causes = 원인별: { $causes }

col-offer = 혜택
col-used = 사용량 / 한도
col-forecast = 월말 예상
col-status = 상태
col-cost = 비용
col-cause = 원인
col-usage-type = 사용 유형
col-resource = 리소스
col-quantity = 수량
col-explanation = 설명
col-action = 중지 방법
col-credit = 크레딧
col-amount = 금액
col-day = 일

status-ok = 정상
status-near = 한도 근접
status-exceeded = 한도 초과
crossed-at = { $when }에 한도 초과
will-cross-at = { $when } 무렵 한도 초과 예상
offer-kind-12-month = 12개월 무료
offer-kind-always-free = 상시 무료
offer-kind-trial = 평가판
offer-region = { $region } 리전
offer-shared = 리소스 { $count }개가 함께 사용: { $list }
offer-bill-only = 카탈로그 밖에서 청구서가 무료로 처리한 사용량 포함

cause-over-free-limit = 무료 한도 초과
cause-free-tier-expired = 프리 티어 기간 만료
cause-not-eligible = 프리 티어 대상 아님
cause-never-free = 프리 티어 없음
cause-tax = 세금
cause-marketplace = 마켓플레이스
cause-support = 지원 플랜
cause-other = 기타

line-cost = { $quantity } × { $rate } = { $cost }
line-cost-mixed = { $quantity }, 여러 요금 적용 = { $cost }

explain-over-free-limit = { $offer } 혜택은 매달 { $limit }까지 무료이며, { $accounts ->
        [1] 모든 리전의 대상 리소스가
       *[other] 모든 리전의 대상 리소스와 조직(Organization)의 모든 계정이
    } 한도 하나를 함께 씁니다. 이번 달 { $resources ->
        [0] 이 계정의
       *[other] 리소스 { $resources }개의
    } 사용량 합계는 { JOSA($used, "으로") } 한도보다 { $over } 많습니다. 이 항목: { $line }.
explain-bill-granted = 이번 달 청구서가 { $usage_type } 사용량 일부를 무료로 처리했으므로, 카탈로그 기준으로는 대상이 아니지만 이 한도를 함께 쓰는 것으로 봅니다. 청구서를 따릅니다.
explain-free-tier-expired = { $offer } 혜택은 12개월 무료 혜택이며 이미 끝나({ $evidence }), 이 사용량은 모두 온디맨드 요금으로 청구됩니다. 이 항목: { $line }.
explain-not-on-plan = { $offer } 혜택은 2025-07-15 이전에 생성된 계정용입니다. 이 계정의 { $plan }에서는 이 사용량이 유료이며, 크레딧이 남아 있는 동안은 크레딧에서 차감됩니다. 이 항목: { $line }.
explain-rule = { $reason } 이 항목: { $line }.
explain-rule-instead = { $reason } 대신 { $instead } 혜택이 무료로 제공됩니다. 이 항목: { $line }.
explain-tax = 이번 달 요금에 붙은 { $tax_type }: { $cost }. 세금은 요금을 따라가므로, 요금이 멈추면 세금도 멈춥니다.
explain-tax-untyped = 이번 달 요금에 붙은 세금: { $cost }. 세금은 요금을 따라가므로, 요금이 멈추면 세금도 멈춥니다.
explain-marketplace = AWS Marketplace를 통해 { $seller }에서 판매한 상품입니다. 마켓플레이스 상품은 프리 티어에 포함되지 않습니다. 이 항목: { $line }.
explain-commitment = 예약 인스턴스 또는 Savings Plans의 { $kind } 항목으로, 프리 티어 사용량이 아닙니다: { $cost }.
explain-unrecognised = 알 수 없는 사용 유형이라 있는 그대로 보고합니다: { $line }.
charge-no-usage-type = (데이터에 사용 유형 없음: 세금이나 수수료 등입니다. Cost Explorer라면 RECORD_TYPE으로도 묶어 받으면 구분할 수 있습니다)

expired-evidence-date = 계정 생성일 { $created }, 12개월이 { JOSA($ended, "으로") } 끝남
expired-evidence-bill = 추정: 이번 달 12개월 혜택의 프리 티어 행이 하나도 없음
expired-evidence-worked-out = 추정: 이번 달 Cost Explorer 수치에서 12개월 혜택에 무료 부분이 하나도 없음

action-console = 콘솔: { $path }
action-cli = CLI: { $command }
action-needs-id = (이 보고서에는 리소스 ID가 없으니 콘솔에서 ID를 확인하세요)
action-find = 이 데이터에는 리소스 ID가 없습니다. 후보 목록 보기: { $command }

unknown-twelve-inferred = 계정 생성일이 없어 12개월 혜택의 적용 여부를 청구서에서 판단했습니다: { $finding }. --account-created YYYY-MM-DD를 주시면 날짜로 판단합니다.
unknown-twelve-inferred-worked-out = 계정 생성일이 없어 12개월 혜택의 적용 여부를 Cost Explorer 수치에서 판단했습니다: { $finding }. --account-created YYYY-MM-DD를 주시면 날짜로 판단합니다.
unknown-twelve-ends = 12개월 기간이 { $month } 중에 끝납니다(계정 생성일 { $created }). 달 안의 정확한 종료 시점은 데이터에 없으므로, AWS가 실제로 그렇게 처리한 사례에 따라 그달 전체를 무료 기간으로 봅니다.
unknown-plan-assumed = 계정 생성일이 없고 크레딧 기반 프리 티어를 알려 주는 행도 없어 레거시 프리 티어로 가정했습니다. --account-created YYYY-MM-DD(또는 --plan)를 주시면 확정합니다.
unknown-plan-assumed-explorer = 계정 생성일이 없고 Cost Explorer 수치에도 크레딧 기반 프리 티어를 알려 주는 것이 없어 레거시 프리 티어로 가정했습니다. --account-created YYYY-MM-DD(또는 --plan)를 주시면 확정합니다.
unknown-credit-balance = 남은 크레딧 잔액과 요금제 종료일은 결제 파일에 없습니다. `aws freetier get-account-plan-state`로 확인할 수 있습니다.
unknown-no-resource-ids = 이 보고서는 리소스 ID 없이 내보내져 인스턴스·볼륨·주소를 특정할 수 없습니다. 보고서 설정에서 “리소스 ID 포함”을 켜거나 콘솔에서 확인하세요.
unknown-month-open = 아직 진행 중인 달이라 { $as_of }까지의 누계입니다. 예상치는 마지막 하루의 사용 속도가 이어진다고 가정합니다.
unknown-region = 사용 유형 { $usage_type }의 리전을 알 수 없습니다.
unknown-aggregated = 이 데이터는 Cost Explorer({ $granularity }) 데이터로, 사용 유형별 기간 합계(요금과 사용량)만 있고 리소스 ID와 프리 티어 행이 없습니다. 기간마다 무료로 처리된 부분은 사용 유형의 요금 단가로 계산했으므로, 한도를 넘은 시점은 시간이 아니라 기간 단위로만 알 수 있습니다. 요금의 리소스를 찾으려면 해당 리전에서 목록을 보세요: 인스턴스 `aws ec2 describe-instances --region <region>`, NAT 게이트웨이 `aws ec2 describe-nat-gateways --region <region>`, 주소 `aws ec2 describe-addresses --region <region>`, 볼륨 `aws ec2 describe-volumes --region <region>`. 또는 리소스 ID를 포함한 비용 및 사용 보고서를 내보내세요.
unknown-product-assumed = { $usage_type } 사용 유형은 여러 서비스({ $product }, { $others })가 쓰는데 이 데이터로는 어느 서비스인지 알 수 없어 { $product }(으)로 가정했습니다. Cost Explorer를 SERVICE로도 묶어 받으면 정할 수 있습니다: `--group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=SERVICE`.
unknown-operation-assumed = { $usage_type } 사용 유형은 여러 작업({ $operation }, { $others })으로 과금되며 작업마다 가격이 다릅니다(EC2에서는 운영 체제이며, Windows에는 별도의 무료 시간이 있습니다). 이 데이터로는 어느 작업인지 알 수 없어 { $operation }(으)로 가정하고 그 가격과 프리 티어 혜택을 적용했습니다. 다른 작업이 실행되었다면 무료와 과금 사용량의 구분이 정확하지 않습니다. Cost Explorer를 OPERATION으로도 묶어 받으면 정할 수 있습니다: `--group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=OPERATION`.
unknown-rate-from-data = { $usage_type }의 가격이 카탈로그에 없어, 데이터에 나타난 가장 높은 단가({ $rate })로 무료 부분을 계산했습니다. 전액 과금된 기간이 하나라도 있어야 정확합니다.
unknown-rate-above-catalogue = 데이터의 일부 기간에서 { $usage_type }의 단가가 최대 { $rate }로, 카탈로그의 온디맨드 가격({ $catalogue })보다 높아 그 가격으로 청구되었다고 볼 수 없습니다(이 계정이나 리전의 가격이 다르거나, 다른 운영 체제 등 다른 작업이 같은 사용 유형을 씁니다). 무료 부분은 { $rate }로 계산했으며, 전액 과금된 기간이 하나라도 있어야 정확합니다. Cost Explorer를 OPERATION으로도 묶어 받거나 비용 및 사용 보고서를 쓰면 정할 수 있습니다.
unknown-rate-below-catalogue = 데이터 자체(전액 과금된 기간, 또는 무료 한도를 넘은 사용량 대비 비용)로 본 { $usage_type } 단가는 { $rate }로, 카탈로그의 온디맨드 가격({ $catalogue })보다 낮습니다. 청구서가 기준이므로 무료 부분은 모든 기간에서 { $rate }로 계산했습니다({ $catalogue }로 계산하면 사용량이 실제보다 더 많이 무료로 보입니다). 이 계정이나 리전의 가격이 다르거나, 카탈로그 작성일 이후 가격이 바뀌었을 수 있습니다.
unknown-operation-from-price = { $usage_type }: 이 데이터는 OPERATION으로 묶이지 않아 운영 체제가 나와 있지 않습니다. 데이터의 단가가 카탈로그의 가격 “{ $price }”와 같으므로 그 가격의 작업({ $operation })으로 보았습니다. Cost Explorer를 OPERATION으로도 묶어 받으면 확인할 수 있습니다: `--group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=OPERATION`.
unknown-operation-assumed-for-price = { $usage_type }: 작업을 { $operation }(으)로 가정하고 카탈로그의 가격 “{ $price }”를 적용했습니다. 이 데이터는 OPERATION으로 묶이지 않아 운영 체제를 알 수 없고, 데이터의 어느 기간도 그 단가로 전액 과금되지 않았습니다. Cost Explorer를 OPERATION으로도 묶어 받으면 정할 수 있습니다: `--group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=OPERATION`.
unknown-shared-pool-undecided = 정할 수 없음: 다음 사용 유형은 단가가 서로 다른데 하나의 무료 한도({ $offer })를 함께 썼습니다: { $usage_types }. 이 데이터에는 월별 합계만 있어 한도가 이들 사이에 어떻게 나뉘었는지 알 수 없습니다. 각각의 무료 부분은 각자의 단가로 계산했으므로 합쳐도 한도와 맞지 않을 수 있으며, 요금의 합계는 데이터의 합계와 같습니다. 같은 조회를 `--granularity DAILY`로 받거나(전액 과금된 날이 각각의 단가를 보여 줍니다) 비용 및 사용 보고서를 쓰면 정할 수 있습니다.
unknown-mixed-rates = 정할 수 없음: { $periods }개 기간에서 { $usage_type }의 단위당 비용이 하나의 단가로 설명되지 않습니다(단가 하나와 한도 하나라면 일부만 무료인 기간은 한 달에 한도가 소진된 한 기간뿐입니다). 일부는 무료, 일부는 두 가지 이상의 단가로 과금된 것으로, 예를 들어 한 사용 유형에 두 운영 체제가 있는 경우입니다. 이 기간들의 무료와 과금 구분은 정할 수 없어 { $rate }로 계산했으며, 요금의 합계는 데이터의 합계와 같습니다. Cost Explorer를 OPERATION으로도 묶어 받거나(`--group-by Type=DIMENSION,Key=USAGE_TYPE Type=DIMENSION,Key=OPERATION`) 비용 및 사용 보고서를 쓰면 정할 수 있습니다.
unknown-estimated = Cost Explorer는 이 데이터의 { $periods }개 기간을 추정치("Estimated": true)로 표시합니다. AWS가 아직 확정하지 않았으므로 수치가 바뀔 수 있습니다. 해당 월의 청구서가 발행된 뒤 다시 받아 보세요.
unknown-pasted = 이 수치는 메시지에 인용된 청구서 페이지의 { $lines }개 행(각각 한 달 합계)에 근거합니다. 리소스 ID, 시간별 사용량(따라서 한도가 소진된 시점), 인용되지 않은 서비스와 리전은 알 수 없습니다. 비용 및 사용 보고서나 Data Exports(또는 `aws ce get-cost-and-usage`, `ftdesk sources` 참고)가 있으면 이를 알 수 있습니다.
unknown-pasted-usage-type = 인용된 { $line }번째 행({ $description })은 설명과 리전 제목으로 사용 유형을 알 수 없어 기타 요금으로 계산했습니다.

note-bill-granted = 청구서는 { $usage_type } 사용량({ $quantity })을 프리 티어로 처리했습니다. { $offer ->
        [none] 카탈로그에는 이를 포함하는 혜택이 없지만
       *[other] 카탈로그 기준({ $offer })으로는 무료가 아니지만
    } 청구서를 따릅니다.
note-charged-under-limit = 이번 달 합계({ $used })가 한도 { $limit } 이내인데도 { $offer } 사용량이 과금되었습니다. 청구서를 따릅니다. 다른 공유 한도(조직, 다른 요금제)나 카탈로그에 없는 규칙에 속할 수 있습니다.
note-organization = 계정 { $count }개가 프리 티어 한도를 함께 씁니다: { $accounts }.

credit-free-plan = 프리 티어 크레딧
more-charges = 0.5센트 미만 항목 { $count }개: 합계 { $cost }
no-offers = 이번 달에는 프리 티어 사용량이 없습니다.
daily-none = 일별 청구 내역이 없습니다.
minor-offers = 한도의 1% 미만을 쓴 혜택 { $count }개: { $names }

evidence-api = 프리 티어 API: 요금제 { $plan_type }, { $status }
plan-state-credits = 프리 티어 API: 남은 크레딧 { $credits }
plan-state-expires = 요금제 종료일 { $date }
api-source = 프리 티어 API 수치 출처: { $source }
offer-api = 프리 티어 API: 사용 { $actual }, 예상 { $forecast }, 한도 { $limit }({ $type })
offer-api-only = 프리 티어 API에만 나오며, 결제 파일에는 사용량이 없습니다
note-api-differs = { $offer } 혜택의 사용량이 프리 티어 API로는 { $api }, 결제 파일로는 { $bill }입니다. API는 실제 사용량보다 최대 하루 늦게 반영되고 리소스를 알려 주지 않으며, 결제 파일은 모든 리소스를 알려 줍니다. 차이는 한쪽에만 먼저 집계된 사용량입니다.
note-api-limit = { $offer } 혜택의 한도가 프리 티어 API에서는 { $api }, 카탈로그에서는 { $catalog }입니다. AWS가 이 계정에 적용하는 API의 한도를 사용합니다.
note-api-unknown = 프리 티어 API가 카탈로그에 없는 { $usage_type } 사용량을 보고합니다({ $description }). API가 준 그대로 표시합니다.

# 각 수치의 출처 (HTML 보고서는 수치마다 표시합니다).
source-cur = 비용 및 사용 보고서(CUR)
source-data-export = Data Export(CUR 2.0 / FOCUS)
source-cost-explorer = Cost Explorer
source-free-tier-api = 프리 티어 API
source-pasted-lines = 고객이 인용한 청구서 페이지 행
figure-source = 출처: { $source }
report-sources = 수치 출처: { $sources }

charges-largest = 청구 항목 { $count }개 중 금액이 큰 { $shown }개 ({ $total } 중 { $cost }):
charges-all-hint = 금액이 큰 항목만 보여 줍니다. 모든 항목을 보려면 --all 옵션을 붙이세요 (JSON 보고서 --format json에는 항상 모든 항목이 들어 있습니다).
heading-by-account = 계정별
heading-by-usage-type = 사용 유형별
heading-by-cause = 원인별
rollup-count = { $n }개
rollup-more = 나머지 { $count }개: 합계 { $cost }
