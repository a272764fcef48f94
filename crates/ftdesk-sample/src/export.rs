//! Writing generated rows in every format AWS delivers, as a single file or
//! as the folder layout of a Data Exports (or legacy CUR) delivery.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::builder::{MapBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, Decimal128Array, Float64Array, RecordBatch, StringArray, TimestampMillisecondArray,
};
use arrow_schema::{Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rust_decimal::Decimal;

use crate::row::{aws_number, aws_time, CurRow};
use crate::table::{Cell, ColumnDef, Kind, CUR2, FOCUS};

/// A billing export format `ftdesk sample` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Legacy Cost and Usage Report CSV (the default).
    CurCsv,
    Cur2Csv,
    Cur2Parquet,
    FocusCsv,
    FocusParquet,
}

impl OutputFormat {
    pub const ALL: [OutputFormat; 5] = [
        Self::CurCsv,
        Self::Cur2Csv,
        Self::Cur2Parquet,
        Self::FocusCsv,
        Self::FocusParquet,
    ];

    pub fn is_parquet(self) -> bool {
        matches!(self, Self::Cur2Parquet | Self::FocusParquet)
    }

    /// The file extension, before any `.gz`.
    pub fn extension(self) -> &'static str {
        if self.is_parquet() {
            "snappy.parquet"
        } else {
            "csv"
        }
    }
}

/// Decimal places of the Decimal128 columns of FOCUS Parquet.
const FOCUS_SCALE: u32 = 16;
/// Rows per Parquet row group: small, so samples have several.
const ROW_GROUP_ROWS: usize = 1024;

/// Writes `rows` in `format` (gzip applies to CSV only).
pub(crate) fn write_rows(
    rows: &[CurRow],
    format: OutputFormat,
    out: &mut (dyn Write + Send),
) -> io::Result<()> {
    let mut writer = ChunkWriter::new(format, out, ROW_GROUP_ROWS)?;
    writer.write(rows)?;
    writer.finish()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Cur2,
    Focus,
}

/// Writes rows chunk by chunk, so a file of any size never has to be in
/// memory: the header once, then each chunk (a Parquet row group holds up to
/// `row_group_rows`).
pub(crate) struct ChunkWriter<'w> {
    inner: Inner<'w>,
}

enum Inner<'w> {
    CurCsv(csv::Writer<&'w mut (dyn Write + Send)>),
    Csv {
        writer: csv::Writer<&'w mut (dyn Write + Send)>,
        columns: &'static [ColumnDef],
        flavour: Flavour,
    },
    Parquet {
        out: Option<&'w mut (dyn Write + Send)>,
        writer: Option<ArrowWriter<&'w mut (dyn Write + Send)>>,
        columns: &'static [ColumnDef],
        flavour: Flavour,
        row_group_rows: usize,
    },
}

impl<'w> ChunkWriter<'w> {
    pub(crate) fn new(
        format: OutputFormat,
        out: &'w mut (dyn Write + Send),
        row_group_rows: usize,
    ) -> io::Result<Self> {
        let csv_writer = |out| {
            csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(out)
        };
        let inner = match format {
            OutputFormat::CurCsv => {
                let mut writer = csv_writer(out);
                writer.write_record(crate::row::HEADER)?;
                Inner::CurCsv(writer)
            }
            OutputFormat::Cur2Csv | OutputFormat::FocusCsv => {
                let (columns, flavour) = table_of(format);
                let mut writer = csv_writer(out);
                writer.write_record(columns.iter().map(|c| c.name))?;
                Inner::Csv {
                    writer,
                    columns,
                    flavour,
                }
            }
            OutputFormat::Cur2Parquet | OutputFormat::FocusParquet => {
                let (columns, flavour) = table_of(format);
                Inner::Parquet {
                    out: Some(out),
                    writer: None,
                    columns,
                    flavour,
                    row_group_rows,
                }
            }
        };
        Ok(ChunkWriter { inner })
    }

    pub(crate) fn write(&mut self, rows: &[CurRow]) -> io::Result<()> {
        match &mut self.inner {
            Inner::CurCsv(writer) => {
                for row in rows {
                    writer.write_record(
                        crate::row::HEADER
                            .iter()
                            .map(|c| row.cell(c))
                            .map(|c| c.into_owned()),
                    )?;
                }
                Ok(())
            }
            Inner::Csv {
                writer,
                columns,
                flavour,
            } => {
                for row in rows {
                    writer
                        .write_record(columns.iter().map(|c| csv_text((c.get)(row), *flavour)))?;
                }
                Ok(())
            }
            Inner::Parquet {
                out,
                writer,
                columns,
                flavour,
                row_group_rows,
            } => {
                let batch = record_batch(rows, columns, *flavour)?;
                if writer.is_none() {
                    let properties = WriterProperties::builder()
                        .set_compression(Compression::SNAPPY)
                        .set_max_row_group_row_count(Some(*row_group_rows))
                        .build();
                    let Some(out) = out.take() else {
                        return Err(io::Error::other("parquet output already taken"));
                    };
                    *writer = Some(
                        ArrowWriter::try_new(out, batch.schema(), Some(properties))
                            .map_err(io::Error::other)?,
                    );
                }
                match writer {
                    Some(writer) => writer.write(&batch).map_err(io::Error::other),
                    None => Ok(()),
                }
            }
        }
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        if let Inner::Parquet { writer: None, .. } = &self.inner {
            // An empty file still gets its schema.
            self.write(&[])?;
        }
        match self.inner {
            Inner::CurCsv(mut writer) | Inner::Csv { mut writer, .. } => writer.flush(),
            Inner::Parquet { writer, .. } => {
                if let Some(writer) = writer {
                    writer.close().map_err(io::Error::other)?;
                }
                Ok(())
            }
        }
    }
}

fn table_of(format: OutputFormat) -> (&'static [ColumnDef], Flavour) {
    match format {
        OutputFormat::FocusCsv | OutputFormat::FocusParquet => (FOCUS, Flavour::Focus),
        _ => (CUR2, Flavour::Cur2),
    }
}

fn csv_text(cell: Cell<'_>, flavour: Flavour) -> String {
    match (cell, flavour) {
        (Cell::Text(t), _) => t.into_owned(),
        (Cell::Number(None), Flavour::Cur2) => String::new(),
        (Cell::Number(None), Flavour::Focus) => "NULL".to_owned(),
        (Cell::Number(Some(d)), Flavour::Cur2) => aws_number(d),
        (Cell::Number(Some(d)), Flavour::Focus) => d.normalize().to_string(),
        (Cell::Time(t), Flavour::Cur2) => aws_time(t),
        (Cell::Time(t), Flavour::Focus) => t.to_string(),
        (Cell::Map(entries), _) => json_object(&entries),
    }
}

/// A map as the JSON object text CUR 2.0 CSV exports are assumed to hold.
fn json_object(entries: &[(&'static str, Cow<'_, str>)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.to_string())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

fn record_batch(
    rows: &[CurRow],
    columns: &[ColumnDef],
    flavour: Flavour,
) -> io::Result<RecordBatch> {
    let arrays: Vec<ArrayRef> = columns.iter().map(|c| array(rows, c, flavour)).collect();
    let fields: Vec<Field> = columns
        .iter()
        .zip(&arrays)
        .map(|(c, a)| Field::new(c.name, a.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(io::Error::other)
}

fn array(rows: &[CurRow], column: &ColumnDef, flavour: Flavour) -> ArrayRef {
    let cells = rows.iter().map(|r| (column.get)(r));
    match column.kind {
        Kind::Text => Arc::new(
            cells
                .map(|c| match c {
                    Cell::Text(t) if t != "NULL" && !t.is_empty() => Some(t.into_owned()),
                    _ => None,
                })
                .collect::<StringArray>(),
        ),
        Kind::Time => Arc::new(
            cells
                .map(|c| match c {
                    Cell::Time(t) => Some(t.unix() * 1000),
                    _ => None,
                })
                .collect::<TimestampMillisecondArray>(),
        ),
        Kind::Number => number_array(
            cells.map(|c| match c {
                Cell::Number(d) => d,
                _ => None,
            }),
            flavour,
        ),
        Kind::Map => map_array(cells),
    }
}

/// CUR 2.0 stores numbers as doubles; FOCUS Parquet here as exact Decimal128.
fn number_array(values: impl Iterator<Item = Option<Decimal>>, flavour: Flavour) -> ArrayRef {
    match flavour {
        Flavour::Cur2 => Arc::new(
            values
                .map(|d| d.and_then(|d| d.to_string().parse::<f64>().ok()))
                .collect::<Float64Array>(),
        ),
        Flavour::Focus => {
            let scaled = values.map(|d| {
                d.map(|mut d| {
                    d.rescale(FOCUS_SCALE);
                    d.mantissa()
                })
            });
            let array = scaled
                .collect::<Decimal128Array>()
                .with_precision_and_scale(38, FOCUS_SCALE as i8);
            match array {
                Ok(array) => Arc::new(array),
                Err(_) => Arc::new(Decimal128Array::from(Vec::<Option<i128>>::new())),
            }
        }
    }
}

fn map_array<'r>(cells: impl Iterator<Item = Cell<'r>>) -> ArrayRef {
    let mut builder = MapBuilder::new(None, StringBuilder::new(), StringBuilder::new());
    for cell in cells {
        if let Cell::Map(entries) = cell {
            for (key, value) in entries {
                builder.keys().append_value(key);
                builder.values().append_value(value);
            }
        }
        // Appending a map entry to the builder cannot fail for string keys.
        let _ = builder.append(true);
    }
    Arc::new(builder.finish())
}
