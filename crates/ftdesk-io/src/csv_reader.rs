//! The CSV reader for every CSV export (legacy CUR, CUR 2.0, FOCUS): one
//! record buffer, reused for every row, each row handed to the sink as a
//! borrowed [`LineItem`].

use std::path::{Path, PathBuf};

use csv::{ByteRecord, StringRecord};
use ftdesk_core::PushError;

use crate::columns::glued_cells;
use crate::error::{ReadError, RowAt, Shown};
use crate::format::{family, Format};
use crate::guard::{RowBudget, RowGuard, RowTooLong};
use crate::mapper::{positions, FieldProblem, Problem, RowMapper};
use crate::source::{self, Source};
use crate::{FileSummary, Sink};

/// Longest field accepted. Real descriptions reach a few kilobytes; more
/// than this means a damaged file.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Longest row accepted, so memory stays bounded whatever the input.
pub const MAX_ROW_BYTES: usize = 4 * 1024 * 1024;
/// Most fields a format reads.
const MAX_FIELDS: usize = 32;

type CsvReader = csv::Reader<RowGuard<std::io::BufReader<Box<dyn std::io::Read + Send>>>>;

/// Reads one opened CSV object; `path` names it in messages.
/// More than `max_rows` rows is an error at the first row past it.
pub fn read(
    source: Source,
    path: &Path,
    max_rows: Option<u64>,
    sink: &mut Sink<'_>,
) -> Result<FileSummary, ReadError> {
    let Source { reader, compressed } = source;
    let budget = RowBudget::default();
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(RowGuard::new(reader, budget.clone(), MAX_ROW_BYTES));
    let mut file = FileReader::from_header(path, compressed, budget, &mut csv)?;
    let (rows, skipped_rows) = match read_rows(&mut file, &mut csv, max_rows, sink) {
        Err(error) if compressed && error.is_row_error() => {
            return Err(gzip_damage(path, &mut csv).unwrap_or(error))
        }
        result => result?,
    };
    Ok(FileSummary {
        path: path.to_owned(),
        rows,
        style: file.format.style(),
        compressed,
        format: file.format,
        skipped_rows,
    })
}

/// Reads every row; returns the rows handed to the sink and those skipped.
fn read_rows(
    file: &mut FileReader,
    csv: &mut CsvReader,
    max_rows: Option<u64>,
    sink: &mut Sink<'_>,
) -> Result<(u64, u64), ReadError> {
    let mut record = ByteRecord::new();
    let mut map_values = vec![String::new(); file.positions.len()];
    let (mut rows, mut skipped) = (0, 0);
    while file.next_record(csv, &mut record, rows + skipped + 1)? {
        let at = RowAt {
            row: rows + skipped + 1,
            line: record.position().map_or(0, |p| p.line()),
        };
        if let Some(limit) = max_rows.filter(|limit| at.row > *limit) {
            return Err(ReadError::TooManyRows {
                path: file.path.clone(),
                at,
                limit,
            });
        }
        file.check_shape(&record, at)?;
        file.map_values(&record, &mut map_values);
        let texts = file.known_fields(&record, &map_values, at)?;
        let count = file.positions.len();
        match file.mapper.line_item(&texts[..count]) {
            Ok(Some(item)) => {
                rows += 1;
                sink(&item).map_err(|reason| file.rejected(at, reason))?;
            }
            Ok(None) => skipped += 1,
            Err(problem) => return Err(file.problem(at, problem)),
        }
    }
    Ok((rows, skipped))
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
    format: Format,
    mapper: Box<dyn RowMapper>,
    positions: Vec<Option<usize>>,
    min_fields: usize,
    budget: RowBudget,
    /// Line on which the next row starts, for errors that stop the parser
    /// before it can say.
    next_line: u64,
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
        let format = family(&cells)
            .ok_or_else(|| not_billing(describe_header(&cells)))?
            .csv_format();
        let mapper = format.mapper();
        let positions = positions(mapper.fields(), &cells);
        let present: Vec<bool> = positions.iter().map(Option::is_some).collect();
        if let Some(column) = mapper.missing(&present) {
            return Err(ReadError::MissingColumn {
                path: path.to_owned(),
                column,
                style: format.style(),
            });
        }
        Ok(FileReader {
            path: path.to_owned(),
            compressed,
            min_fields: cells.len() - glued_cells(&cells),
            names: cells.iter().map(|c| (*c).to_owned()).collect(),
            format,
            mapper,
            positions,
            budget,
            next_line: csv.position().line(),
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

    /// Looks up the map-key fields (CUR 2.0 `product['region']`): in CSV
    /// exports a map column holds a JSON object; anything else reads as empty.
    fn map_values(&self, record: &ByteRecord, values: &mut [String]) {
        for ((spec, position), value) in self
            .mapper
            .fields()
            .iter()
            .zip(&self.positions)
            .zip(values.iter_mut())
        {
            let (Some(key), Some(cell)) = (spec.map_key, position.and_then(|i| record.get(i)))
            else {
                continue;
            };
            value.clear();
            if let Some(text) = json_map_value(cell, key) {
                value.push_str(&text);
            }
        }
    }

    /// The text of every field, empty where the column or a trailing field
    /// is absent. Only these fields must be UTF-8; others are not read.
    fn known_fields<'r>(
        &self,
        record: &'r ByteRecord,
        map_values: &'r [String],
        at: RowAt,
    ) -> Result<[&'r str; MAX_FIELDS], ReadError> {
        let mut fields = [""; MAX_FIELDS];
        let specs = self.mapper.fields();
        for (slot, field) in fields.iter_mut().enumerate().take(specs.len()) {
            if specs[slot].map_key.is_some() {
                *field = &map_values[slot];
                continue;
            }
            let Some(bytes) = self.positions[slot].and_then(|i| record.get(i)) else {
                continue;
            };
            *field = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8 {
                path: self.path.clone(),
                at,
                column: self.field_name(slot),
            })?;
        }
        Ok(fields)
    }

    fn field_name(&self, field: usize) -> String {
        match self.positions[field] {
            Some(i) if self.mapper.fields()[field].map_key.is_none() => self.name_at(i),
            _ => self.mapper.label(field),
        }
    }

    fn problem(&self, at: RowAt, problem: FieldProblem) -> ReadError {
        let path = self.path.clone();
        let column = self.field_name(problem.field);
        match problem.problem {
            Problem::NotANumber(value) => ReadError::BadNumber {
                path,
                at,
                column,
                value: Shown::new(&value),
            },
            Problem::Empty => ReadError::EmptyValue { path, at, column },
            Problem::NotADate(value) => ReadError::BadDate {
                path,
                at,
                column,
                value: Shown::new(&value),
            },
        }
    }

    fn rejected(&self, at: RowAt, reason: PushError) -> ReadError {
        ReadError::Rejected {
            path: self.path.clone(),
            at,
            column: self.field_name(self.mapper.currency_field()),
            reason,
        }
    }
}

/// The value under `key` of a JSON object cell, as text.
fn json_map_value(cell: &[u8], key: &str) -> Option<String> {
    let cell = std::str::from_utf8(cell).ok()?.trim();
    if !cell.starts_with('{') {
        return None;
    }
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(cell).ok()?;
    match map.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
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

/// Says what a header without billing columns looks like.
fn describe_header(cells: &[&str]) -> String {
    let has = |name: &str| cells.contains(&name);
    if has("RecordType") && has("TotalCost") {
        return "an AWS monthly bill CSV (not a Cost and Usage Report)".to_owned();
    }
    let start: Vec<&str> = cells.iter().take(3).copied().collect();
    format!(
        "a header without Cost and Usage Report or FOCUS columns, starting with {}",
        Shown::new(&start.join(","))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_cells_are_json_objects() {
        let cell = br#"{"region":"us-east-1","product_name":"Amazon EC2"}"#;
        assert_eq!(json_map_value(cell, "region").as_deref(), Some("us-east-1"));
        assert_eq!(json_map_value(b"{}", "region"), None);
        assert_eq!(json_map_value(b"", "region"), None);
        assert_eq!(json_map_value(b"{broken", "region"), None);
    }
}
