"""Fills a running desk with cases through its real intake, for bench/desk.sh.

Every case arrives as an e-mail on the desk's SMTP listener (the same path a
forwarding mail server takes); some get a customer's reply threaded by
In-Reply-To, a few carry a billing CSV (so `check` and `reply` run for them).
Then a lead logs in through the login form and sets statuses and assignees
through the case pages' forms, as a person would. Standard library only.

    python3 bench/desk_seed.py --smtp 127.0.0.1:2525 --web http://127.0.0.1:8080 \
        --lead lead@example.com --password PW --own-password PW2 --assignees a@x,b@x --cases 10000 [--billing f.csv]
"""

import argparse
import http.client
import random
import re
import smtplib
import sys
import threading
import time
import urllib.parse
from email.message import EmailMessage

SERVICES = [
    ("EC2 instance", "EC2 인스턴스"),
    ("NAT gateway", "NAT 게이트웨이"),
    ("Elastic IP address", "탄력적 IP 주소"),
    ("EBS snapshot", "EBS 스냅샷"),
    ("RDS database", "RDS 데이터베이스"),
    ("S3 storage", "S3 스토리지"),
    ("Lambda function", "Lambda 함수"),
    ("CloudWatch logs", "CloudWatch 로그"),
    ("data transfer", "데이터 전송"),
    ("public IPv4 address", "퍼블릭 IPv4 주소"),
    ("load balancer", "로드 밸런서"),
    ("Route 53 hosted zone", "Route 53 호스팅 영역"),
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
NAMES = ["Jane Doe", "Alex Kim", "Sam Lee", "Maria Garcia", "Chen Wei", "Priya Patel",
         "김민수", "이서연", "박지훈", "최유진"]


def inquiry(i, rng):
    """The i-th customer's first message: language, service, amount vary."""
    korean = rng.random() < 0.3
    service = rng.choice(SERVICES)
    month = rng.randrange(12)
    amount = f"{rng.randrange(1, 40000) / 100:.2f}"
    name = rng.choice(NAMES[6:] if korean else NAMES[:6])
    if korean:
        subject = f"{service[1]} 요금 문의 {i}"
        body = (f"안녕하세요. {month + 1}월에 {service[1]} 때문에 {amount}달러가 청구되었습니다. "
                f"프리 티어라고 생각했는데 왜 요금이 나왔는지 알려 주세요.\n\n{name} 드림\n")
    else:
        subject = f"Unexpected {service[0]} charge {i}"
        body = (f"Hello, I was charged ${amount} for {MONTHS[month]} 2025 for my {service[0]} "
                f"and I thought it was in the free tier. Can you explain the charge?\n\n"
                f"Thanks,\n{name}\n")
    if rng.random() < 0.15:
        body = body.replace(amount, "some money").replace("$some", "some")
    return name, subject, body


def message(i, rng, billing):
    name, subject, body = inquiry(i, rng)
    msg = EmailMessage()
    msg["From"] = f"{name} <customer{i}@example.net>"
    msg["To"] = "desk@example.com"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<bench-{i}@example.net>"
    msg.set_content(body)
    if billing is not None and i % 200 == 0:
        msg.add_attachment(billing[1], maintype="text", subtype="csv", filename=billing[0])
    return msg


def follow_up(i, rng):
    msg = EmailMessage()
    msg["From"] = f"customer{i}@example.net"
    msg["To"] = "desk@example.com"
    msg["Subject"] = f"Re: case {i}"
    msg["Message-ID"] = f"<bench-{i}-reply@example.net>"
    msg["In-Reply-To"] = f"<bench-{i}@example.net>"
    msg["References"] = f"<bench-{i}@example.net>"
    msg.set_content(rng.choice([
        "Any news on this? The invoice is due next week.",
        "I found another charge for the same snapshot, please check it too.",
        "혹시 진행 상황이 있나요? 결제일이 다가옵니다.",
    ]))
    return msg


def deliver(smtp_addr, messages, cases, errors):
    host, port = smtp_addr.rsplit(":", 1)
    with smtplib.SMTP(host, int(port), timeout=60) as smtp:
        smtp.ehlo("bench.example")
        for key, msg in messages:
            raw = msg.as_bytes().replace(b"\n", b"\r\n")
            smtp.mail("customer@example.net")
            smtp.rcpt("desk@example.com")
            code, text = smtp.data(raw)
            found = re.search(rb"case (\d+)", text)
            if code != 250 or not found:
                errors.append(f"{key}: {code} {text!r}")
                return
            cases[key] = int(found.group(1))


def send_all(smtp_addr, batch, cases, connections=2):
    errors = []
    threads = [threading.Thread(target=deliver, args=(smtp_addr, batch[k::connections], cases, errors))
               for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit("desk_seed: the SMTP listener refused a message: " + errors[0])


class Web:
    """A logged-in person: one keep-alive connection, the session cookie, the CSRF token."""

    def __init__(self, base):
        url = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, form=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            key, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[key] = value
        return response.status, text

    def login(self, email, password, own_password):
        _, page = self.request("GET", "/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", "/login", {"csrf": token, "email": email, "password": password})
        if status != 303 or "desk_session" not in self.cookies:
            sys.exit(f"desk_seed: logging in as {email} failed (HTTP {status})")
        status, settings = self.request("GET", "/settings")
        csrf = re.search(r'name="csrf" value="([^"]+)"', settings).group(1)
        if "works only once" in settings:  # a first login replaces the one-time password
            form = {"csrf": csrf, "current": password, "new": own_password}
            status, _ = self.request("POST", "/settings/password", form)
            if status != 200:
                sys.exit(f"desk_seed: replacing the one-time password failed (HTTP {status})")
        _, queue = self.request("GET", "/")
        self.csrf = re.search(r'name="csrf" value="([^"]+)"', queue).group(1)

    def post(self, path, form):
        status, text = self.request("POST", path, {"csrf": self.csrf, **form})
        if status != 303:
            sys.exit(f"desk_seed: POST {path} {form}: HTTP {status}\n{text[:500]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smtp", required=True)
    ap.add_argument("--web", required=True)
    ap.add_argument("--lead", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--own-password", required=True, help="replaces a one-time --password")
    ap.add_argument("--assignees", required=True, help="comma-separated e-mail addresses")
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--billing", help="a billing CSV attached to one case in 200")
    ap.add_argument("--seed", type=int, default=9)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    billing = None
    if args.billing:
        with open(args.billing, "rb") as f:
            billing = (args.billing.rsplit("/", 1)[-1], f.read())

    started = time.time()
    cases = {}
    send_all(args.smtp, [(i, message(i, rng, billing)) for i in range(1, args.cases + 1)], cases)
    replied = [i for i in range(1, args.cases + 1) if rng.random() < 0.15]
    send_all(args.smtp, [(("reply", i), follow_up(i, rng)) for i in replied], cases)
    for i in replied:
        if cases[("reply", i)] != cases[i]:
            sys.exit(f"desk_seed: the reply to message {i} opened case {cases[('reply', i)]}, not {cases[i]}")
    print(f"desk_seed: {args.cases} cases and {len(replied)} threaded replies by SMTP "
          f"in {time.time() - started:.0f} s", file=sys.stderr)

    started = time.time()
    web = Web(args.web)
    web.login(args.lead, args.password, args.own_password)
    people = [args.lead] + args.assignees.split(",")
    changed = 0
    for i in range(1, args.cases + 1):
        roll = rng.random()
        case = cases[i]
        if roll < 0.35:
            continue  # stays new and unassigned
        web.post(f"/cases/{case}/assign", {"assignee": rng.choice(people)})  # new -> open
        if roll < 0.6:
            pass
        elif roll < 0.75:
            web.post(f"/cases/{case}/status", {"status": "waiting"})
        else:
            web.post(f"/cases/{case}/status", {"status": "solved"})
        changed += 1
    print(f"desk_seed: {changed} cases assigned, some set waiting or solved, through the web forms "
          f"in {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
