use axum::http::header;

use super::*;

const BODY: &[u8] = b"--XyZ\r\n\
Content-Disposition: form-data; name=\"csrf\"\r\n\r\n\
token\r\n\
--XyZ\r\n\
Content-Disposition: form-data; name=\"billing\"; filename=\"a b.csv\"\r\n\
Content-Type: text/csv\r\n\r\n\
x,y\r\n1,2\r\n\
--XyZ\r\n\
Content-Disposition: form-data; name=\"eml\"; filename=\"\"\r\n\
Content-Type: application/octet-stream\r\n\r\n\
\r\n\
--XyZ--\r\n";

const LIMITS: FormLimits = FormLimits {
    body: 1 << 20,
    parts: 8,
    field: 64,
    file: 1024,
};

fn request(content_type: &str, body: impl Into<Vec<u8>>) -> Request {
    Request::post("/upload")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.into()))
        .unwrap()
}

async fn parse(body: impl Into<Vec<u8>>, limits: &FormLimits) -> Result<Vec<Part>, FormError> {
    read(request("multipart/form-data; boundary=XyZ", body), limits).await
}

/// A body of `fields` text parts and `files` file parts, the given sizes.
fn form(fields: &[(&str, usize)], files: &[(&str, usize)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, size) in fields {
        body.extend_from_slice(
            format!("--XyZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
        );
        body.extend(std::iter::repeat_n(b'a', *size));
        body.extend_from_slice(b"\r\n");
    }
    for (name, size) in files {
        body.extend_from_slice(
            format!(
                "--XyZ\r\nContent-Disposition: form-data; name=\"billing\"; filename=\"{name}\"\r\n\
                 Content-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(std::iter::repeat_n(b'1', *size));
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--XyZ--\r\n");
    body
}

#[tokio::test]
async fn reads_fields_and_files() {
    let parts = parse(BODY, &LIMITS).await.unwrap();
    assert_eq!(parts.len(), 3);
    assert_eq!(parts[0].name, "csrf");
    assert_eq!(parts[0].data, b"token");
    assert_eq!(parts[0].filename, None);
    assert_eq!(parts[0].content_type, "text/plain");
    assert_eq!(parts[1].name, "billing");
    assert_eq!(parts[1].content_type, "text/csv");
    assert_eq!(parts[1].filename.as_deref(), Some("a b.csv"));
    assert_eq!(parts[1].data, b"x,y\r\n1,2");
    assert_eq!(parts[2].filename.as_deref(), Some(""));
    assert!(parts[2].data.is_empty());
}

#[tokio::test]
async fn refuses_what_is_not_multipart() {
    let urlencoded = request("application/x-www-form-urlencoded", "a=b");
    let no_boundary = request("multipart/form-data", BODY);
    for refused in [urlencoded, no_boundary] {
        let error = read(refused, &LIMITS).await.unwrap_err();
        assert!(matches!(error, FormError::Malformed(_)), "{error}");
    }
    let unterminated = b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated";
    for body in [&b"no boundary here"[..], unterminated] {
        let error = parse(body, &LIMITS).await.unwrap_err();
        assert!(matches!(error, FormError::Malformed(_)), "{error}");
    }
    let nameless = b"--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--\r\n";
    assert_eq!(
        parse(&nameless[..], &LIMITS).await,
        Err(FormError::Malformed("a part without a name".into()))
    );
}

#[tokio::test]
async fn each_limit_refuses_one_byte_or_one_part_over_it() {
    let at = form(&[("inquiry", 64)], &[("bill.csv", 1024)]);
    assert_eq!(parse(at, &LIMITS).await.unwrap().len(), 2, "at the limits");

    let field = form(&[("inquiry", 65)], &[]);
    assert_eq!(
        parse(field, &LIMITS).await,
        Err(FormError::FieldTooLarge {
            name: "inquiry".into(),
            limit: 64
        })
    );
    let file = form(&[], &[("bill.csv", 1025)]);
    assert_eq!(
        parse(file, &LIMITS).await,
        Err(FormError::FileTooLarge {
            name: "bill.csv".into(),
            limit: 1024
        })
    );
    let nine: Vec<(&str, usize)> = vec![("f", 1); 9];
    assert_eq!(
        parse(form(&nine, &[]), &LIMITS).await,
        Err(FormError::TooManyParts(8))
    );
    let body = form(&[], &[("bill.csv", 1000)]);
    let small = FormLimits {
        body: body.len() - 1,
        ..LIMITS
    };
    assert_eq!(
        parse(body.clone(), &small).await,
        Err(FormError::TooLarge(body.len() - 1))
    );
    let exact = FormLimits {
        body: body.len(),
        ..LIMITS
    };
    assert!(parse(body, &exact).await.is_ok());
}

#[tokio::test]
async fn a_body_past_axums_default_limit_is_read_within_ours() {
    let limits = FormLimits::upload(8 << 20);
    let parts = parse(form(&[], &[("big.csv", 3 << 20)]), &limits)
        .await
        .unwrap();
    assert_eq!(parts[0].data.len(), 3 << 20);
    assert_eq!(limits.field, MAX_FIELD_BYTES);
    assert_eq!(FormLimits::upload(1000).field, 1000, "never above the body");
}

#[tokio::test]
async fn hostile_bodies_are_refused_without_a_panic() {
    let long_header = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\nx\r\n--XyZ--\r\n",
        "n".repeat(100_000)
    );
    let many_headers = format!(
        "--XyZ\r\n{}Content-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--\r\n",
        "X-A: b\r\n".repeat(1000)
    );
    let bodies: Vec<Vec<u8>> = vec![
        long_header.into_bytes(),
        many_headers.into_bytes(),
        b"--XyZ\r\n\r\n\r\n--XyZ--".to_vec(),
        b"--XyZ--\r\n".to_vec(),
        b"--XyZ\r\nContent-Disposition: form-data; name=\"a\xff\"\r\n\r\nx\r\n--XyZ--\r\n".to_vec(),
        (0..=255u8).cycle().take(10_000).collect(),
    ];
    for body in bodies {
        if let Ok(parts) = parse(body, &LIMITS).await {
            assert!(parts.len() <= LIMITS.parts);
            assert!(parts.iter().all(|p| p.data.len() <= LIMITS.file));
        }
    }
}
