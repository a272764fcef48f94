//! The legacy Cost and Usage Report CSV reader: one record buffer, reused for
//! every row, each row handed to the sink as a borrowed [`LineItem`].

use std::path::{Path, PathBuf};

use csv::{ByteRecord, StringRecord};
use ftdesk_core::{parse_decimal, LineItem, LineItemType, PushError, Timestamp};
use rust_decimal::Decimal;

use crate::columns::{detect_style, glued_cells, Column, ColumnIndex, ColumnStyle};
use crate::error::{ReadError, RowAt, Shown};
use crate::guard::{RowBudget, RowGuard, RowTooLong};
use crate::source::{self, Source};
use crate::{FileSummary, Sink};

/// Longest field accepted. Real descriptions reach a few kilobytes; more
/// than this means a damaged file.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Longest row accepted, so memory stays bounded whatever the input.
pub const MAX_ROW_BYTES: usize = 4 * 1024 * 1024;

type CsvReader = csv::Reader<RowGuard<std::io::BufReader<Box<dyn std::io::Read>>>>;

pub fn read_file(path: &Path, sink: &mut Sink<'_>) -> Result<FileSummary, ReadError> {
    let Source { reader, compressed } = source::open(path)?;
    let budget = RowBudget::default();
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(RowGuard::new(reader, budget.clone(), MAX_ROW_BYTES));
    let mut file = FileReader::from_header(path, compressed, budget, &mut csv)?;
    let rows = match read_rows(&mut file, &mut csv, sink) {
        Err(error) if compressed && error.is_row_error() => {
            return Err(gzip_damage(path, &mut csv).unwrap_or(error))
        }
        result => result?,
    };
    Ok(FileSummary {
        path: path.to_owned(),
        rows,
        style: file.style,
        compressed,
    })
}

fn read_rows(
    file: &mut FileReader,
    csv: &mut CsvReader,
    sink: &mut Sink<'_>,
) -> Result<u64, ReadError> {
    let mut record = ByteRecord::new();
    let mut rows = 0;
    while file.next_record(csv, &mut record, rows + 1)? {
        rows += 1;
        let at = RowAt {
            row: rows,
            line: record.position().map_or(0, |p| p.line()),
        };
        let item = file.line_item(&record, at)?;
        sink(&item).map_err(|source| file.rejected(at, source))?;
    }
    Ok(rows)
}

/// A damaged gzip stream can decompress to garbage rows before the checksum
/// at its end fails; when a row looks wrong, the damage is the real cause.
fn gzip_damage(path: &Path, csv: &mut CsvReader) -> Option<ReadError> {
    let rest = csv.get_mut().inner_mut();
    let error = std::io::copy(rest, &mut std::io::sink()).err()?;
    Some(source::read_error(path, true, error))
}

/// What one file's header told us, plus a little parsing state.
struct FileReader {
    path: PathBuf,
    compressed: bool,
    names: Vec<String>,
    style: ColumnStyle,
    index: ColumnIndex,
    min_fields: usize,
    budget: RowBudget,
    /// Line on which the next row starts, for errors that stop the parser
    /// before it can say.
    next_line: u64,
    timestamps: PerColumn<Timestamp>,
    decimals: PerColumn<Option<Decimal>>,
}

/// The last text parsed in one column, with its value. Rows of one hour
/// come together, rates repeat per SKU and the billing period on every row,
/// so most fields equal the previous row's and need no parsing.
#[derive(Debug)]
struct LastParsed<T> {
    text: String,
    value: Option<T>,
}

impl<T: Copy> LastParsed<T> {
    fn get_or_parse<E>(
        &mut self,
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, E> {
        if let Some(value) = self.value {
            if self.text == text {
                return Ok(value);
            }
        }
        let value = parse(text)?;
        self.text.clear();
        self.text.push_str(text);
        self.value = Some(value);
        Ok(value)
    }
}

/// One [`LastParsed`] per known column.
type PerColumn<T> = [LastParsed<T>; Column::ALL.len()];

fn per_column<T>() -> PerColumn<T> {
    std::array::from_fn(|_| LastParsed {
        text: String::new(),
        value: None,
    })
}

impl FileReader {
    fn from_header(
        path: &Path,
        compressed: bool,
        budget: RowBudget,
        csv: &mut CsvReader,
    ) -> Result<Self, ReadError> {
        let mut header = StringRecord::new();
        let not_billing = |found: String| ReadError::NotBilling {
            path: path.to_owned(),
            found,
        };
        match csv.read_record(&mut header) {
            Ok(true) => budget.row_done(),
            Ok(false) => return Err(not_billing("no header line".to_owned())),
            Err(e) => return Err(header_error(path, compressed, e)),
        }
        let cells: Vec<&str> = header.iter().collect();
        let style = detect_style(&cells).ok_or_else(|| not_billing(describe_header(&cells)))?;
        let index =
            ColumnIndex::resolve(&cells, style).map_err(|missing| ReadError::MissingColumn {
                path: path.to_owned(),
                column: missing.0,
                style,
            })?;
        Ok(FileReader {
            path: path.to_owned(),
            compressed,
            min_fields: cells.len() - glued_cells(&cells),
            names: cells.iter().map(|c| (*c).to_owned()).collect(),
            style,
            index,
            budget,
            next_line: csv.position().line(),
            timestamps: per_column(),
            decimals: per_column(),
        })
    }

    /// Reads the next data row into `record`; `row` is its number if any.
    fn next_record(
        &mut self,
        csv: &mut CsvReader,
        record: &mut ByteRecord,
        row: u64,
    ) -> Result<bool, ReadError> {
        match csv.read_byte_record(record) {
            Ok(more) => {
                self.budget.row_done();
                self.next_line = csv.position().line();
                Ok(more)
            }
            Err(e) => Err(self.csv_error(e, row)),
        }
    }

    fn csv_error(&self, error: csv::Error, row: u64) -> ReadError {
        let line = error.position().map_or(self.next_line, |p| p.line());
        let at = RowAt { row, line };
        match error.into_kind() {
            csv::ErrorKind::Io(io) => {
                if let Some(too_long) = io.get_ref().and_then(|e| e.downcast_ref::<RowTooLong>()) {
                    return ReadError::RowTooLarge {
                        path: self.path.clone(),
                        at,
                        limit: too_long.limit,
                    };
                }
                source::read_error(&self.path, self.compressed, io)
            }
            csv::ErrorKind::Utf8 { err, .. } => ReadError::NotUtf8 {
                path: self.path.clone(),
                at,
                column: self.name_at(err.field()),
            },
            other => ReadError::Csv {
                path: self.path.clone(),
                at,
                detail: format!("{other:?}"),
            },
        }
    }

    fn name_at(&self, field: usize) -> String {
        match self.names.get(field) {
            Some(name) => name.clone(),
            None => format!("#{} (beyond the header)", field + 1),
        }
    }

    fn line_item<'r>(
        &mut self,
        record: &'r ByteRecord,
        at: RowAt,
    ) -> Result<LineItem<'r>, ReadError> {
        self.check_shape(record, at)?;
        let fields = self.known_fields(record, at)?;
        let text = |column: Column| fields[column as usize];
        let start = self.timestamp(text(Column::UsageStart), Column::UsageStart, at)?;
        let end = match text(Column::UsageEnd) {
            "" => start,
            value => self.timestamp(value, Column::UsageEnd, at)?,
        };
        let billing_period = match text(Column::BillingPeriodStart) {
            "" => start.month(),
            value => self
                .timestamp(value, Column::BillingPeriodStart, at)?
                .month(),
        };
        let (payer_account, usage_account) =
            accounts(text(Column::PayerAccount), text(Column::UsageAccount));
        let region = match text(Column::Region) {
            "" => text(Column::RegionCode),
            region => region,
        };
        Ok(LineItem {
            payer_account,
            usage_account,
            billing_period,
            start,
            end,
            line_item_type: LineItemType::parse(text(Column::LineItemType)),
            product_code: text(Column::ProductCode),
            usage_type: text(Column::UsageType),
            operation: text(Column::Operation),
            region,
            resource_id: text(Column::ResourceId),
            usage_amount: self
                .decimal(text(Column::UsageAmount), Column::UsageAmount, at)?
                .unwrap_or(Decimal::ZERO),
            unit: text(Column::Unit),
            rate: self.decimal(text(Column::UnblendedRate), Column::UnblendedRate, at)?,
            cost: self.required_decimal(text(Column::UnblendedCost), Column::UnblendedCost, at)?,
            public_rate: self.decimal(
                text(Column::PublicOnDemandRate),
                Column::PublicOnDemandRate,
                at,
            )?,
            description: text(Column::Description),
            currency: text(Column::Currency),
            billing_entity: text(Column::BillingEntity),
            legal_entity: text(Column::LegalEntity),
            tax_type: text(Column::TaxType),
        })
    }

    fn check_shape(&self, record: &ByteRecord, at: RowAt) -> Result<(), ReadError> {
        let fields = record.len();
        if fields < self.min_fields || fields > self.names.len() {
            return Err(ReadError::FieldCount {
                path: self.path.clone(),
                at,
                found: fields,
                expected: self.names.len(),
            });
        }
        if record.as_slice().len() <= MAX_FIELD_BYTES {
            return Ok(());
        }
        match record.iter().position(|f| f.len() > MAX_FIELD_BYTES) {
            Some(field) => Err(ReadError::FieldTooLarge {
                path: self.path.clone(),
                at,
                column: self.name_at(field),
                size: record[field].len(),
                limit: MAX_FIELD_BYTES,
            }),
            None => Ok(()),
        }
    }

    /// The text of every known column, empty where the column or a trailing
    /// field is absent. Only these fields must be UTF-8; others are not read.
    fn known_fields<'r>(
        &self,
        record: &'r ByteRecord,
        at: RowAt,
    ) -> Result<[&'r str; Column::ALL.len()], ReadError> {
        let mut fields = [""; Column::ALL.len()];
        for (field, column) in fields.iter_mut().zip(Column::ALL) {
            let Some(bytes) = self.index.get(column).and_then(|i| record.get(i)) else {
                continue;
            };
            *field = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8 {
                path: self.path.clone(),
                at,
                column: self.column_name(column),
            })?;
        }
        Ok(fields)
    }

    fn column_name(&self, column: Column) -> String {
        match self.index.get(column) {
            Some(i) => self.name_at(i),
            None => column.name_in(self.style),
        }
    }

    fn decimal(
        &mut self,
        value: &str,
        column: Column,
        at: RowAt,
    ) -> Result<Option<Decimal>, ReadError> {
        self.decimals[column as usize]
            .get_or_parse(value, parse_decimal)
            .map_err(|_| ReadError::BadNumber {
                path: self.path.clone(),
                at,
                column: self.column_name(column),
                value: Shown::new(value),
            })
    }

    fn required_decimal(
        &mut self,
        value: &str,
        column: Column,
        at: RowAt,
    ) -> Result<Decimal, ReadError> {
        self.decimal(value, column, at)?
            .ok_or_else(|| ReadError::EmptyValue {
                path: self.path.clone(),
                at,
                column: self.column_name(column),
            })
    }

    fn timestamp(
        &mut self,
        value: &str,
        column: Column,
        at: RowAt,
    ) -> Result<Timestamp, ReadError> {
        self.timestamps[column as usize]
            .get_or_parse(value, Timestamp::parse)
            .map_err(|_| ReadError::BadDate {
                path: self.path.clone(),
                at,
                column: self.column_name(column),
                value: Shown::new(value),
            })
    }

    fn rejected(&self, at: RowAt, reason: PushError) -> ReadError {
        let column = match reason {
            PushError::MixedCurrency { .. } => Column::Currency,
        };
        ReadError::Rejected {
            path: self.path.clone(),
            at,
            column: self.column_name(column),
            reason,
        }
    }
}

/// Payer and usage account, each standing in for the other when empty.
fn accounts<'r>(payer: &'r str, usage: &'r str) -> (&'r str, &'r str) {
    match (payer, usage) {
        ("", usage) => (usage, usage),
        (payer, "") => (payer, payer),
        both => both,
    }
}

fn header_error(path: &Path, compressed: bool, error: csv::Error) -> ReadError {
    match error.into_kind() {
        csv::ErrorKind::Io(io) => {
            if io.get_ref().is_some_and(|e| e.is::<RowTooLong>()) {
                return ReadError::NotBilling {
                    path: path.to_owned(),
                    found: format!("a first line longer than {MAX_ROW_BYTES} bytes"),
                };
            }
            source::read_error(path, compressed, io)
        }
        csv::ErrorKind::Utf8 { .. } => ReadError::NotBilling {
            path: path.to_owned(),
            found: "a first line that is not UTF-8 text".to_owned(),
        },
        other => ReadError::NotBilling {
            path: path.to_owned(),
            found: format!("a first line that cannot be read as CSV ({other:?})"),
        },
    }
}

/// Says what a header without Cost and Usage Report columns looks like.
fn describe_header(cells: &[&str]) -> String {
    let has = |name: &str| cells.contains(&name);
    if has("BilledCost") || has("ChargeCategory") {
        return "a FOCUS export (not read by this reader yet)".to_owned();
    }
    if has("RecordType") && has("TotalCost") {
        return "an AWS monthly bill CSV (not a Cost and Usage Report)".to_owned();
    }
    let start: Vec<&str> = cells.iter().take(3).copied().collect();
    format!(
        "a header without Cost and Usage Report columns, starting with {}",
        Shown::new(&start.join(","))
    )
}
