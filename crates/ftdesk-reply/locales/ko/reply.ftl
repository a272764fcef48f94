# Free Tier Desk 답장 메시지, 한국어(합쇼체).
# 금액·날짜는 미리 형식화되어 들어옵니다($net, $cost, $when). $count는 복수형 선택용 숫자입니다.
# 조사는 JOSA 함수로 붙입니다: { JOSA($net, "을") } → "$19.63를", "3시간을".
# 폴더에서 메시지 ID별로 바꿀 수 있습니다: ftdesk reply --templates DIR (DIR/ko/*.ftl).

subject-reply = Re: { $subject }
subject-new = { $month } AWS 요금 { $net } 안내

greeting-name = 안녕하세요, { $name } 고객님.
greeting-anonymous = 안녕하세요, 고객님.

acknowledge-charged = { $month } 청구서의 요금에 대해 문의해 주셔서 감사합니다. 무료로 쓰신다고 생각한 계정에 요금이 나와 많이 놀라셨을 것 같아, 고객님의 결제 데이터를 항목별로 모두 확인했습니다. 아래에 요금이 어디에서 발생했는지, 어떻게 멈출 수 있는지, 그리고 요금 조정은 어떻게 요청하시는지 정리해 드립니다.
acknowledge-free = { $month } 청구서에 대해 문의해 주셔서 감사합니다. 고객님의 결제 데이터를 항목별로 모두 확인했으며, 가장 궁금해하실 부분부터 말씀드리겠습니다.

period-complete = { $month }
period-open = { $month }({ $as_of }까지의 데이터 기준)

finding-net = { $period } 청구 금액은 { $net }입니다. 사용 요금 { $gross } 중 { $causes }입니다.
finding-net-single = { $period } 청구 금액은 { $net }입니다. 사용 요금 { JOSA($gross, "은") } 모두 { $cause }입니다.
cause-all-over-free-limit = 월 무료 한도를 넘은 사용량
cause-all-free-tier-expired = 12개월 무료 혜택이 끝난 뒤의 사용량
cause-all-not-eligible = 프리 티어가 적용되지 않는 유형이나 옵션의 사용량
cause-all-never-free = 프리 티어가 아예 없는 서비스의 사용량
cause-all-marketplace = AWS Marketplace 상품 요금
cause-all-support = 지원 플랜 요금
cause-all-other = 기타 사용량
finding-none = { $period }에는 청구된 요금이 없습니다. 프리 티어가 모든 사용량을 무료로 처리했습니다{ $value ->
        [none] .
       *[other] {""}(공개 요금 기준 { $value } 상당).
    }
finding-credits = { $period } 사용량은 온디맨드 요금 기준 { $gross }였고, 이 중 { JOSA($credits, "은") } 크레딧으로 처리되어 청구 금액은 { $net }입니다.
finding-tax = 여기에 세금 { JOSA($tax, "이") } 더해집니다.
finding-credited = 크레딧 { JOSA($credits, "이") } 적용되었습니다.
finding-refunded = 환불 { JOSA($refunds, "이") } 적용되었습니다.
basis-pasted = 이 답변은 메시지에 인용해 주신 청구서 페이지의 { $count }개 행(각각 한 달 합계)에 근거합니다. 전체 청구 데이터(비용 및 사용 보고서나 Data Exports, 또는 Cost Explorer의 일별 수치)가 있으면 요금마다 리소스 ID, 사용한 시간대, 청구서의 다른 서비스와 리전까지 확인할 수 있습니다. 보내 주시면 각 요금을 다시 확인해 드리겠습니다.

cause-share-over-free-limit = { JOSA($cost, "은") } 월 무료 한도를 넘은 사용량
cause-share-free-tier-expired = { JOSA($cost, "은") } 12개월 무료 혜택이 끝난 뒤의 사용량
cause-share-not-eligible = { JOSA($cost, "은") } 프리 티어가 적용되지 않는 유형이나 옵션의 사용량
cause-share-never-free = { JOSA($cost, "은") } 프리 티어가 아예 없는 서비스의 사용량
cause-share-marketplace = { JOSA($cost, "은") } AWS Marketplace 상품 요금
cause-share-support = { JOSA($cost, "은") } 지원 플랜 요금
cause-share-other = { JOSA($cost, "은") } 기타 사용량
list-two = { $first }, { $second }
list-more = { $head }, { $last }

quote-matches = 말씀하신 { JOSA($quoted, "와") } 일치합니다.
quote-is-gross = 말씀하신 { JOSA($quoted, "은") } 세금과 크레딧을 반영하기 전의 사용 요금이며, 반영한 뒤의 청구 금액은 { $net }입니다.
quote-is-gross-with-tax = 말씀하신 { JOSA($quoted, "은") } 세금을 포함한 금액이며, 사용 요금만은 { $gross }입니다.
quote-other-currency = 말씀하신 금액은 { $quoted }입니다. 청구서는 { JOSA($bill_currency, "으로") } 작성되므로, 카드 명세서의 원화 금액은 결제일의 카드사 환율에 따라 달라집니다. 청구서 통화로는 { $net }입니다.
quote-open-month = 말씀하신 금액은 { $quoted }이고, 제가 확인한 { $month } 데이터는 { $as_of }까지 { $net }입니다. 아직 진행 중인 달이라 그 이후 사용량이 더해지므로, 청구서 페이지나 예상 금액에서 보신 숫자라면 이 차이로 설명됩니다.
quote-differs = 말씀하신 금액은 { $quoted }이지만, { $month } 데이터의 청구 금액은 { $net }입니다(사용 요금 { $gross }, 세금 { $tax }, 크레딧 { $credits }). 다른 달의 청구서이거나, 세금 또는 청구서 발행 후 적용된 크레딧 때문에 차이가 날 수 있습니다. 청구서 번호를 알려 주시면 어느 청구서의 금액인지 확인해 드리겠습니다.

heading-causes = 요금이 발생한 원인
cause-what = { $usage_type } ({ $resource }, { $region })
cause-what-no-resource = { $usage_type } ({ $region })
small-charges = 반 센트 미만의 항목 { $count }개는 합계 { $cost }입니다.

# 혜택별(혜택이 없으면 사용 유형별) 항목 하나, 그 아래에 리소스별 금액.
group-lead = { $n }. { $title }: { $cost }
group-lead-allowance = { $n }. { $title }: { $used } 사용, 무료 한도 { JOSA($limit, "을") } { $over } 초과: { $cost }
group-title-offer = { $offer } 혜택
group-title-rule = { $rule }, 사용 유형 { $usage_type }
group-over-limit = 매달 { $limit } 한도 하나를 모든 리전의 대상 리소스가 함께 쓰며, 이번 달에는 { $count ->
        [0] 이 계정의 사용량이 이 한도에서 차감되었습니다
       *[other] 리소스 { $count }개가 이 한도를 썼습니다
    }.
group-over-limit-organization = 매달 { $limit } 한도 하나를 모든 리전의 대상 리소스와 조직(Organization)의 모든 계정이 함께 쓰며, 이번 달에는 { $count ->
        [0] 계정들의 사용량이 이 한도에서 차감되었습니다
       *[other] 리소스 { $count }개가 이 한도를 썼습니다
    }.
cause-crossed = { $when }에 무료 한도를 모두 사용했고, 그 이후 사용량이 과금되었습니다.
group-expired = { $offer } 혜택은 12개월 무료 혜택이며 이미 끝나({ $evidence }), 이 사용량은 모두 온디맨드 요금으로 청구됩니다.
group-not-on-plan = { $offer } 혜택은 2025-07-15 이전에 생성된 계정용입니다. 이 계정의 { $plan }에서는 이 사용량이 유료이며, 크레딧이 남아 있는 동안은 크레딧에서 차감됩니다.
group-rule = { $reason }
group-rule-instead = { $reason } 대신 { $instead } 혜택이 무료로 제공됩니다.
group-marketplace = AWS Marketplace를 통해 { $seller }에서 판매한 상품입니다. 마켓플레이스 상품은 프리 티어에 포함되지 않습니다.
group-other = 모두 { $cause }입니다.
group-rounding = 아래 금액은 각각 센트 단위로 반올림한 값이며, 반올림 전 합계는 { $exact }(반올림하면 { $rounded })입니다.
group-resource = { $cost }: { $what }
group-resource-line = { $line } (과금 기간: { $first } ~ { $last }).

heading-actions = 지금 하실 일
actions-intro = 요금이 더 나오지 않도록 다음 리소스를 중지하거나 삭제해 주십시오.
actions-intro-credits = 고객님께 청구되는 금액은 없지만, 다음 리소스가 크레딧을 소진하고 있습니다. 크레딧을 아끼시려면 중지하거나 삭제해 주십시오.
action-item = - { $what }
action-console = 콘솔: { $path }
action-cli = AWS CLI: { $command }
action-needs-id = 결제 데이터에 이 항목의 리소스 ID가 없으므로, 먼저 콘솔에서 ID를 확인해 주십시오.
action-find = 결제 데이터에 이 항목의 리소스 ID가 없습니다. 다음 명령으로 해당될 수 있는 리소스를 확인하실 수 있습니다: { $command }
actions-none = 위 요금은 중지할 수 있는 리소스에서 나온 것이 아니라 다른 사용량에 따라 붙는 요금입니다.
actions-after = 각 리소스를 중지하거나 삭제한 시간부터 요금이 멈추며, 이미 { $month } 청구서에 반영된 금액은 그대로 남습니다. 중지한 인스턴스도 EBS 스토리지 요금은 계속 발생하고, 스냅샷과 탄력적 IP 주소는 삭제하거나 해제할 때까지 과금되므로, 여기 나온 리전뿐 아니라 사용하신 모든 리전을 확인해 주십시오.
actions-free = 중지하실 리소스는 없습니다. 지금처럼 사용하시되, 월중에 프리 티어 사용량 페이지를 가끔 확인해 주십시오.
actions-usage-only = 데이터에 요금이 없고 사용량만 있어, 무엇을 멈추셔야 하는지는 아직 말씀드릴 수 없습니다. 그동안 프리 티어 페이지(결제 및 비용 관리 콘솔 > 프리 티어)에서 어떤 혜택이 월 한도에 가깝거나 넘었는지 확인하실 수 있습니다.

heading-prevention = 다시 발생하지 않도록 하는 방법
prevent-budget = 제로 지출 예산을 만들어 두십시오: Billing and Cost Management 콘솔 > 예산(Budgets) > 예산 생성 > 템플릿 사용(간소화) > 제로 지출 예산. 요금이 조금이라도 발생하면 AWS가 바로 이메일로 알려 드립니다.
prevent-alerts = 프리 티어 사용량 알림을 켜 두십시오: Billing and Cost Management 콘솔 > 결제 기본 설정 > 알림 기본 설정 > AWS 프리 티어 알림 수신. 혜택 사용량이 월 한도에 가까워지면 이메일이 발송됩니다.
prevent-monthly = 한 달에 한 번 Billing and Cost Management > 프리 티어 페이지에서 혜택별 사용량과 예상치를 보시고, 청구서 페이지에서 요금이 나온 서비스가 모두 예상하신 것인지 확인해 주십시오.
prevent-shared-pool = 무료 한도는 리소스마다 따로 있는 것이 아니라 모든 리전의 대상 리소스 전체에 함께 적용된다는 점을 기억해 주십시오. { $allowances }까지 무료입니다. 대상 리소스는 한 번에 하나만 실행하시거나, 쓰지 않을 때는 나머지를 중지해 주십시오.
prevent-shared-allowance = { $offer } 혜택은 매달 { $limit }
prevent-expired = 이 계정의 12개월 무료 혜택은 끝났으므로, 앞으로 실행해 두시는 리소스는 모두 과금됩니다. 더 이상 필요 없는 리소스는 삭제해 주십시오.
prevent-not-eligible = 리소스를 만들기 전에 콘솔에서 해당 유형이나 옵션에 "프리 티어 사용 가능" 표시가 있는지 확인해 주십시오.
prevent-never-free = NAT 게이트웨이, 사용하지 않는 퍼블릭 IPv4 주소처럼 프리 티어가 아예 없는 리소스도 있습니다. 마법사나 튜토리얼이 만들어 주는 경우가 많으니 실습이 끝나면 바로 삭제해 주십시오.

heading-adjustment = 요금 조정 요청 안내
adjustment = 실수로 발생한 요금이라면 1회성 요금 조정을 요청하실 수 있습니다. 먼저 모든 리전에서 위 리소스를 중지하거나 삭제하신 뒤, 이 케이스에 회신하시거나 Support Center의 "계정 및 결제" 항목으로 케이스를 열어 어떤 일이 있었는지, 그리고 설정하신 예산처럼 무엇을 바꾸셨는지 알려 주십시오. 요청은 결제 팀이 건별로 검토하므로 결과를 미리 약속드릴 수는 없지만, 위 내용을 정리해 함께 전달해 드리겠습니다.

closing = 콘솔에서 보시는 내용과 다른 부분이 있으면 이 메일에 회신해 주십시오. 다시 확인해 드리겠습니다.
closing-thanks = AWS를 이용해 주셔서 감사합니다.
signature = 감사합니다.
    AWS Support 드림

# 담당자 메모 (--with-notes)
notes-heading = 담당자 메모 (고객에게 보내지 않음)
notes-inquiry = 문의 내용: 이름 { $name }, 금액 { $amount }, 월 { $month }, 언어 { $lang } (한글 비율 { $share }).
notes-unknown-value = 없음
notes-month-unplaced = 고객이 쓴 월을 연도에 배치할 수 없어(메일에 Date 헤더 없음) 보고서의 월을 사용했습니다.
notes-evidence-heading = 각 수치의 근거
notes-totals = 합계: 사용 요금 { $gross }, 세금 { $tax }, 크레딧 { $credits }, 환불 { $refunds }, 청구 금액 { $net }. 결제 데이터 { $rows }행, { $as_of }까지.
notes-totals-explorer = 합계: 사용 요금 { $gross }, 세금 { $tax }, 크레딧 { $credits }, 환불 { $refunds }, 청구 금액 { $net }. Cost Explorer 그룹 { $groups }개(기간 { $periods }개), { $as_of }까지.
notes-charge = 항목 { $n }: { $usage_type } · 리소스 { $resource } · { $region } · { $quantity } · 단가 { $rate } · 금액 { $cost } · 원인 { $cause } · { $rows }, { $first } ~ { $last }.
notes-rows = { $rows }행
notes-periods = Cost Explorer 기간 { $rows }개
notes-offer = 혜택 { $offer }: { $limit } 중 { $used } 사용({ $percent }), 월말 예상 { $forecast }, 상태 { $status }.
notes-unknowns-heading = 데이터만으로 판단할 수 없는 것
notes-nothing = 없음.
notes-proposal-heading = 개선 제안
notes-impact = 영향: { $month } { $net }, 원인: { $causes }.
notes-impact-unknown = 영향: { $month } 금액은 알 수 없음. 데이터에 요금 없이 사용량만 있습니다.
notes-customer = 고객 측:
notes-product = 제품 측:
proposal-customer-shared = 대상 인스턴스는 한 번에 하나만 실행하거나 두 번째 인스턴스에 중지 일정을 거십시오. { $limit } 한도는 모든 리소스와 리전이 함께 씁니다.
proposal-product-shared = { $offer }({ $limit }) 사용량이 80%에 이르면 월말 예상치와 함께 경고하고, 두 번째 대상 리소스가 시작될 때 공유 한도와 현재 사용 중인 리소스를 보여 줍니다(이번 달 리소스 { $resources }개가 공유).
proposal-customer-expired = 12개월이 끝나기 전에 실행 중인 리소스를 점검하고 필요 없는 것은 삭제합니다.
proposal-product-expired = 12개월 종료 한 달 전에 아직 실행 중인 리소스와 각각의 월 예상 요금을 알려 주는 안내를 보냅니다.
proposal-customer-not-eligible = "프리 티어 사용 가능" 표시가 있는 유형과 옵션만 사용하고, { JOSA($usage_type, "을") } 대상 유형으로 바꿉니다.
proposal-product-not-eligible = 인스턴스 생성 화면에서 계정의 프리 티어가 적용되지 않는 유형(이번에는 { $usage_type }) 옆에 시간당 요금을 보여 줍니다.
proposal-customer-never-free = 실습이 끝날 때마다 프리 티어가 없는 리소스를 삭제합니다(이번에는 { $usage_type }).
proposal-product-never-free = 프리 티어 계정이 프리 티어가 없는 리소스를 만들 때 시간당 요금과 "프리 티어 미적용" 표시를 보여 줍니다(이번에는 { $usage_type }).
proposal-product-nat-wizard = 프리 티어 계정에서는 VPC 마법사의 NAT 게이트웨이 기본값을 "없음"으로 하고, NAT 게이트웨이를 고르면 시간당 요금을 보여 줍니다.
proposal-customer-budget = 제로 지출 예산을 만들고 프리 티어 알림을 켜 둡니다.
proposal-product-budget = 새 프리 티어 계정에 제로 지출 예산을 기본으로 만들어 둡니다.

# A report from the Free Tier API alone: usage, no charges.
subject-usage-only = { $month } AWS 프리 티어 사용량 안내
acknowledge-usage-only = { $month } 청구서에 대해 문의해 주셔서 감사합니다. 보내 주신 프리 티어 사용량을 혜택별로 모두 확인했습니다.
finding-usage-only = 보내 주신 데이터는 프리 티어 API의 것으로, 혜택별 사용량과 한도는 보여 주지만 청구된 금액은 담고 있지 않습니다. 그래서 { $period } 청구 금액이 얼마인지, 왜 청구되었는지는 아직 말씀드릴 수 없습니다. 청구 내역은 Cost Explorer(결제 및 비용 관리 콘솔 > Cost Explorer, 또는 `aws ce get-cost-and-usage`)나 청구서 페이지에서 볼 수 있으니, 둘 중 하나를 보내 주시면 요금마다 수치와 함께 설명해 드리겠습니다.
notes-usage-only = 합계: 데이터에 없음. 프리 티어 API 출력만 받았습니다({ $as_of }까지의 사용량). 요금이 들어 있지 않으므로 이 건의 금액은 하나도 검증되지 않았습니다. 고객에게 Cost Explorer 출력이나 결제 내보내기를 요청하세요.
