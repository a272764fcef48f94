//! The Parquet reader (CUR 2.0, FOCUS, legacy Athena CUR). It reads the
//! footer, then one row group at a time only the column chunks it needs,
//! through [`Store::read_range`], so memory stays at one row group's
//! projected columns whatever the file size.
//!
//! Numbers: CUR 2.0 Parquet stores costs and amounts as IEEE doubles. Each
//! double is turned into the shortest decimal text that reads back as the
//! same double (Rust's `Display` for `f64`), then parsed as an exact decimal:
//! `0.0116` stays `0.0116` instead of `0.01159999999999999920…`, so sums over
//! millions of rows match the CSV export of the same bill to the digit.
//! Decimal128 columns convert exactly; strings parse like CSV text.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Float32Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, MapArray, PrimitiveArray, RecordBatch, StringArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, TimeUnit};
use bytes::{Buf, Bytes};
use ftdesk_core::{Handles, LineItem, Timestamp};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaDataReader};
use parquet::file::reader::{ChunkReader, Length};
use parquet::file::serialized_reader::SerializedPageReader;
use rust_decimal::Decimal;

use crate::error::ReadError;
use crate::format::family;
use crate::mapper::{positions, FieldProblem, FieldSpec, Known, Problem, RowMapper, KNOWN_TEXT};
use crate::parquet_pages::{self, Chunk};
use crate::store::Store;
use crate::{FileSummary, PartSink, ReadLimits, Sink};

pub(crate) const MAGIC: &[u8; 4] = b"PAR1";
const FOOTER_BYTES: u64 = 8;
const BATCH_ROWS: usize = 2048;
/// Decoded batches waiting for the mapping thread.
const DECODED_AHEAD: usize = 4;
/// Most fields a format reads.
const MAX_FIELDS: usize = 32;

/// Reads one Parquet object; `path` names it in messages.
pub fn read(
    store: &dyn Store,
    key: &str,
    path: &Path,
    limits: ReadLimits,
    sink: &mut Sink<'_>,
) -> Result<FileSummary, ReadError> {
    let file = ParquetFile::open(store, key, path)?;
    file.check_limits(limits)?;
    let counts = file.read_row_groups(0..file.row_groups(), sink)?;
    Ok(file.summary(counts))
}

/// Reads one Parquet object in up to `parts` runs of consecutive row groups,
/// each on its own thread: the first into `first`, the others into new parts
/// of `sink`, handed back in row order. An error is the one a single read
/// would have met first.
pub fn read_parts<P: PartSink>(
    store: &dyn Store,
    key: &str,
    path: &Path,
    parts: usize,
    sink: &P,
    first: &mut P::Part,
) -> Result<(FileSummary, Vec<P::Part>), ReadError> {
    let file = ParquetFile::open(store, key, path)?;
    let mut ranges = split(file.row_groups(), parts).into_iter();
    let first_range = ranges.next().unwrap_or(0..0);
    let (first_counts, later) = std::thread::scope(|scope| {
        let file = &file;
        let running: Vec<_> = ranges
            .map(|range| {
                scope.spawn(move || {
                    let mut part = sink.part();
                    let counts =
                        file.read_row_groups(range, &mut |item| sink.push(&mut part, item))?;
                    Ok::<_, ReadError>((part, counts))
                })
            })
            .collect();
        let first_counts = file.read_row_groups(first_range, &mut |item| sink.push(first, item));
        let later: Vec<_> = running
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
            .collect();
        (first_counts, later)
    });
    let mut counts = first_counts?;
    let mut read = Vec::with_capacity(later.len());
    for result in later {
        let (part, (rows, skipped)) = result?;
        counts.0 += rows;
        counts.1 += skipped;
        read.push(part);
    }
    Ok((file.summary(counts), read))
}

/// `count` row groups as at most `parts` runs of consecutive ones.
fn split(count: usize, parts: usize) -> Vec<Range<usize>> {
    let parts = parts.clamp(1, count.max(1));
    (0..parts)
        .map(|i| count * i / parts..count * (i + 1) / parts)
        .collect()
}

struct ParquetFile<'s> {
    store: &'s dyn Store,
    key: &'s str,
    path: PathBuf,
    size: u64,
    metadata: ArrowReaderMetadata,
    format: crate::Format,
    /// Per field, the column name in the file, if present.
    columns: Vec<Option<String>>,
    mask: ProjectionMask,
    /// Root column indices read.
    roots: Vec<usize>,
    optional_map: Option<OptionalMap>,
}

/// Decoding the CUR 2.0 `product` map (every key and value of every row) is
/// a large part of reading a file, yet the ledger uses its region only for
/// `Global-` usage types. A row group whose usage types have no `Global-`
/// one is read without the map: its usage type column is decoded first, alone.
struct OptionalMap {
    /// The projection without the map column.
    lean: ProjectionMask,
    /// The usage type column alone.
    usage_types: ProjectionMask,
}

/// The usage type prefix whose region comes from the row (see `split_usage_type`).
const GLOBAL_PREFIX: &str = "Global-";

impl<'s> ParquetFile<'s> {
    fn open(store: &'s dyn Store, key: &'s str, path: &Path) -> Result<Self, ReadError> {
        let corrupt = |detail: String| ReadError::CorruptParquet {
            path: path.to_owned(),
            detail,
        };
        let size = store.size(key)?;
        let metadata = read_footer(store, key, size).map_err(corrupt)?;
        let metadata = Arc::new(metadata);
        let plain = ArrowReaderMetadata::try_new(metadata.clone(), ArrowReaderOptions::new())
            .map_err(|e| corrupt(e.to_string()))?;
        let with_dictionaries = dictionary_roots(&metadata);
        let options = ArrowReaderOptions::new()
            .with_schema(dictionary_strings(plain.schema(), &with_dictionaries));
        let metadata = ArrowReaderMetadata::try_new(metadata, options).unwrap_or(plain);
        let schema = metadata.schema().clone();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        let format = family(&names)
            .ok_or_else(|| ReadError::NotBilling {
                path: path.to_owned(),
                found: format!(
                    "a Parquet file without Cost and Usage Report or FOCUS columns (first: {})",
                    names.iter().take(3).copied().collect::<Vec<_>>().join(", ")
                ),
            })?
            .parquet_format();
        let mapper = format.mapper();
        let found = positions(mapper.fields(), &names);
        let present: Vec<bool> = found.iter().map(Option::is_some).collect();
        if let Some(column) = mapper.missing(&present) {
            return Err(ReadError::MissingParquetColumn {
                path: path.to_owned(),
                column,
                format,
            });
        }
        let mut roots: Vec<usize> = found.iter().flatten().copied().collect();
        roots.sort_unstable();
        roots.dedup();
        let mask = ProjectionMask::roots(metadata.parquet_schema(), roots.iter().copied());
        check_codecs(&metadata, &roots, path)?;
        let optional_map = optional_map(&metadata, mapper.as_ref(), &found, &roots);
        let columns = found
            .iter()
            .map(|i| i.map(|i| names[i].to_owned()))
            .collect();
        Ok(ParquetFile {
            store,
            key,
            path: path.to_owned(),
            size,
            metadata,
            format,
            columns,
            mask,
            roots,
            optional_map,
        })
    }

    fn row_groups(&self) -> usize {
        self.metadata.metadata().num_row_groups()
    }

    fn summary(&self, (rows, skipped_rows): (u64, u64)) -> FileSummary {
        FileSummary {
            path: self.path.clone(),
            rows,
            style: self.format.style(),
            compressed: false,
            format: self.format,
            skipped_rows,
        }
    }

    /// Reads the row groups in `range` into `sink`; returns the rows read
    /// and skipped. One thread fetches and decodes while this one maps the
    /// rows and feeds the sink; a short queue keeps memory to a few batches.
    fn read_row_groups(
        &self,
        range: Range<usize>,
        sink: &mut Sink<'_>,
    ) -> Result<(u64, u64), ReadError> {
        let before: i64 = (0..range.start)
            .map(|g| self.metadata.metadata().row_group(g).num_rows())
            .sum();
        let mut mapper = self.format.mapper();
        let mut caches = Caches::default();
        let mut counts = (0, 0);
        std::thread::scope(|scope| {
            let (decoded, batches) = sync_channel(DECODED_AHEAD);
            scope.spawn(move || {
                for row_group in range {
                    if !self.decode_row_group(row_group, &decoded) {
                        return;
                    }
                }
            });
            for batch in batches {
                let first = before as u64 + counts.0 + counts.1;
                let batch = batch?;
                self.read_batch(
                    &batch,
                    mapper.as_mut(),
                    &mut caches,
                    first,
                    &mut counts,
                    sink,
                )?;
            }
            Ok::<(), ReadError>(())
        })?;
        Ok(counts)
    }

    /// Refuses a file over `limits` before any page is decompressed.
    fn check_limits(&self, limits: ReadLimits) -> Result<(), ReadError> {
        let rows = self
            .metadata
            .metadata()
            .row_groups()
            .iter()
            .map(|g| u64::try_from(g.num_rows()).unwrap_or(u64::MAX))
            .fold(0u64, u64::saturating_add);
        if let Some(limit) = limits.max_rows.filter(|limit| rows > *limit) {
            return Err(ReadError::ParquetTooManyRows {
                path: self.path.clone(),
                rows,
                limit,
            });
        }
        match limits.max_inflated_bytes {
            Some(limit) => {
                parquet_pages::check(self.store, self.key, &self.path, &self.chunks()?, limit)
            }
            None => Ok(()),
        }
    }

    /// The projected column chunks of every row group.
    fn chunks(&self) -> Result<Vec<Chunk>, ReadError> {
        let mut chunks = Vec::new();
        for row_group in 0..self.row_groups() {
            chunks.extend(self.chunks_of(row_group)?);
        }
        Ok(chunks)
    }

    /// The projected column chunks of one row group, checked to lie in the file.
    fn chunks_of(&self, row_group: usize) -> Result<Vec<Chunk>, ReadError> {
        let schema = self.metadata.parquet_schema();
        let group = self.metadata.metadata().row_group(row_group);
        let mut chunks = Vec::new();
        for (leaf, chunk) in group.columns().iter().enumerate() {
            if !self.roots.contains(&schema.get_column_root_idx(leaf)) {
                continue;
            }
            let (start, len) = chunk.byte_range();
            if start.saturating_add(len) > self.size {
                return Err(self.corrupt(format!(
                    "row group {row_group} points past the end of the {}-byte file",
                    self.size
                )));
            }
            chunks.push(Chunk {
                row_group,
                column: chunk.column_path().string(),
                codec: chunk.compression(),
                start,
                len,
            });
        }
        Ok(chunks)
    }

    fn corrupt(&self, detail: impl ToString) -> ReadError {
        ReadError::CorruptParquet {
            path: self.path.clone(),
            detail: detail.to_string(),
        }
    }

    /// Fetches the projected column chunks of one row group.
    fn fetch(&self, row_group: usize) -> Result<FetchedRanges, ReadError> {
        let mut ranges = Vec::new();
        for chunk in self.chunks_of(row_group)? {
            let bytes = self.store.read_range(self.key, chunk.start, chunk.len)?;
            ranges.push((chunk.start, Bytes::from(bytes)));
        }
        Ok(FetchedRanges {
            len: self.size,
            ranges,
        })
    }

    /// Sends the row group's batches, or the error that stopped it; false
    /// when reading should stop (an error, or nobody is listening).
    fn decode_row_group(
        &self,
        row_group: usize,
        out: &SyncSender<Result<RecordBatch, ReadError>>,
    ) -> bool {
        let reader = self.fetch(row_group).and_then(|fetched| {
            let mask = match &self.optional_map {
                Some(optional) if !self.needs_map(&fetched, row_group, optional) => {
                    optional.lean.clone()
                }
                _ => self.mask.clone(),
            };
            ParquetRecordBatchReaderBuilder::new_with_metadata(fetched, self.metadata.clone())
                .with_projection(mask)
                .with_row_groups(vec![row_group])
                .with_batch_size(BATCH_ROWS)
                .build()
                .map_err(|e| self.corrupt(e))
        });
        let reader = match reader {
            Ok(reader) => reader,
            Err(error) => {
                let _ = out.send(Err(error));
                return false;
            }
        };
        for batch in reader {
            let batch = batch.map_err(|e| self.corrupt(e));
            let failed = batch.is_err();
            if out.send(batch).is_err() || failed {
                return false;
            }
        }
        true
    }

    /// Whether a row of the row group may have a `Global-` usage type. Any
    /// doubt (a decoding error included) reads the map, as without the check.
    fn needs_map(&self, fetched: &FetchedRanges, row_group: usize, optional: &OptionalMap) -> bool {
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(
            fetched.clone(),
            self.metadata.clone(),
        )
        .with_projection(optional.usage_types.clone())
        .with_row_groups(vec![row_group])
        .with_batch_size(BATCH_ROWS)
        .build();
        let Ok(reader) = reader else {
            return true;
        };
        for batch in reader {
            let Ok(batch) = batch else {
                return true;
            };
            if batch.num_columns() != 1 || has_global_usage_type(batch.column(0)) {
                return true;
            }
        }
        false
    }

    /// Maps one batch; `first` is the number of rows of the file before it.
    fn read_batch(
        &self,
        batch: &RecordBatch,
        mapper: &mut dyn RowMapper,
        caches: &mut Caches,
        first: u64,
        counts: &mut (u64, u64),
        sink: &mut Sink<'_>,
    ) -> Result<(), ReadError> {
        let views = self.views(batch, mapper.fields())?;
        let Caches {
            dictionaries,
            known,
        } = caches;
        let handled = dictionaries.of_batch(&views, mapper.handle_slots());
        let currency = mapper.currency_field();
        let mut buffers = vec![String::new(); views.len()];
        let mut formatted = vec![None; views.len()];
        if known.len() < views.len() {
            known.resize_with(views.len(), SlotCache::default);
        }
        for (slot, view) in views.iter().enumerate() {
            mapper.parsers().set_known(slot, Known::Text);
            let numbers = mapper.is_number(slot);
            known[slot].of_batch(view, numbers);
        }
        for row in 0..batch.num_rows() {
            let number = first + row as u64 + 1;
            let fields = views.iter().zip(&mut buffers).zip(&mut formatted);
            for (slot, ((view, buffer), last)) in fields.enumerate() {
                if let Some(value) = view.prepare(row, buffer, last, &mut known[slot]) {
                    mapper.parsers().set_known(slot, value);
                }
            }
            let mut texts = [""; MAX_FIELDS];
            for (slot, view) in views.iter().enumerate() {
                texts[slot] = view.text(row, &buffers[slot]);
            }
            match mapper.line_item(&texts[..views.len()]) {
                Ok(Some(mut item)) => {
                    item.handles = handles(&item, &handled, row);
                    counts.0 += 1;
                    sink(&item)
                        .map_err(|reason| self.value_error(number, currency, reason.to_string()))?;
                }
                Ok(None) => counts.1 += 1,
                Err(problem) => return Err(self.problem(number, problem)),
            }
        }
        Ok(())
    }

    fn views<'b>(
        &self,
        batch: &'b RecordBatch,
        fields: &[FieldSpec],
    ) -> Result<Vec<View<'b>>, ReadError> {
        fields
            .iter()
            .zip(&self.columns)
            .map(|(spec, name)| match name {
                None => Ok(View::Absent),
                Some(name) => match batch.column_by_name(name) {
                    Some(array) => {
                        View::new(array, spec.map_key).ok_or_else(|| ReadError::ParquetType {
                            path: self.path.clone(),
                            column: name.clone(),
                            found: array.data_type().to_string(),
                            expected: expected_type(spec),
                        })
                    }
                    None => Ok(View::Absent),
                },
            })
            .collect()
    }

    fn column_name(&self, field: usize) -> String {
        self.columns[field]
            .clone()
            .unwrap_or_else(|| format!("#{}", field + 1))
    }

    fn value_error(&self, row: u64, field: usize, detail: String) -> ReadError {
        ReadError::ParquetValue {
            path: self.path.clone(),
            row,
            column: self.column_name(field),
            detail,
        }
    }

    fn problem(&self, row: u64, problem: FieldProblem) -> ReadError {
        let detail = match problem.problem {
            Problem::NotANumber(v) => format!("{v:?} is not a number; expected a decimal"),
            Problem::Empty => "the value is null; expected a decimal".to_owned(),
            Problem::NotADate(v) => format!("{v:?} is not a date; expected a UTC timestamp"),
        };
        ReadError::ParquetValue {
            path: self.path.clone(),
            row,
            column: self.column_name(problem.field),
            detail,
        }
    }
}

fn expected_type(spec: &FieldSpec) -> &'static str {
    match spec.map_key {
        Some(_) => "a map<string, string>",
        None => "a string, number or timestamp",
    }
}

/// Refuses a file whose read columns use a codec the parquet crate cannot
/// decompress here, naming the column: the crate itself would only fail in
/// the middle of decoding, with an error that names neither.
fn check_codecs(
    metadata: &ArrowReaderMetadata,
    roots: &[usize],
    path: &Path,
) -> Result<(), ReadError> {
    let schema = metadata.parquet_schema();
    for group in metadata.metadata().row_groups() {
        for (leaf, chunk) in group.columns().iter().enumerate() {
            if roots.contains(&schema.get_column_root_idx(leaf)) && !decompressible(chunk) {
                return Err(ReadError::UnsupportedCodec {
                    path: path.to_owned(),
                    column: chunk.column_path().string(),
                    codec: codec_name(chunk.compression()),
                });
            }
        }
    }
    Ok(())
}

/// Whether the parquet crate can decompress the chunk's pages. It picks the
/// codec when it makes the page reader, before it reads a byte, and fails
/// there (`NYI: The codec type LZO is not supported yet`, or `Disabled
/// feature at compile time: zstd`) when it has none.
fn decompressible(chunk: &ColumnChunkMetaData) -> bool {
    SerializedPageReader::new(Arc::new(Bytes::new()), chunk, 0, None).is_ok()
}

/// `ZSTD` for `ZSTD(ZstdLevel(1))`: the level is the writer's business.
fn codec_name(codec: Compression) -> String {
    let name = codec.to_string();
    match name.split_once('(') {
        Some((head, _)) => head.to_owned(),
        None => name,
    }
}

/// Reads and decodes the footer: `<metadata><u32 length>PAR1`.
fn read_footer(
    store: &dyn Store,
    key: &str,
    size: u64,
) -> Result<parquet::file::metadata::ParquetMetaData, String> {
    if size < FOOTER_BYTES + MAGIC.len() as u64 {
        return Err(format!("only {size} bytes, too short for a Parquet file"));
    }
    let tail = store
        .read_range(key, size - FOOTER_BYTES, FOOTER_BYTES)
        .map_err(|e| e.to_string())?;
    if tail.len() != FOOTER_BYTES as usize || &tail[4..] != MAGIC {
        return Err("the file does not end with PAR1: it is truncated".to_owned());
    }
    let length = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    if length + FOOTER_BYTES + MAGIC.len() as u64 > size {
        return Err(format!(
            "the footer claims {length} bytes of metadata in a {size}-byte file"
        ));
    }
    let metadata = store
        .read_range(key, size - FOOTER_BYTES - length, length)
        .map_err(|e| e.to_string())?;
    ParquetMetaDataReader::decode_metadata(&metadata).map_err(|e| e.to_string())
}

/// The map column that a row group without `Global-` usage types can skip:
/// only when the map is the one field of its column and of the type the
/// reader expects (else the full read reports it, as always), and the usage
/// types are strings.
fn optional_map(
    metadata: &ArrowReaderMetadata,
    mapper: &dyn RowMapper,
    found: &[Option<usize>],
    roots: &[usize],
) -> Option<OptionalMap> {
    let map_field = mapper.fields().iter().position(|f| f.map_key.is_some())?;
    let map_root = found[map_field]?;
    let usage_type_root = found[mapper.handle_slots()[2]?]?;
    let schema = metadata.schema();
    let string_map = match schema.field(map_root).data_type() {
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) => {
                kv.len() == 2 && kv.iter().all(|f| f.data_type() == &DataType::Utf8)
            }
            _ => false,
        },
        _ => false,
    };
    let strings = matches!(
        schema.field(usage_type_root).data_type(),
        DataType::Utf8 | DataType::Dictionary(..)
    );
    let shared = found.iter().filter(|f| **f == Some(map_root)).count() > 1;
    if !string_map || !strings || shared {
        return None;
    }
    let parquet_schema = metadata.parquet_schema();
    let lean = roots.iter().copied().filter(|r| *r != map_root);
    Some(OptionalMap {
        lean: ProjectionMask::roots(parquet_schema, lean),
        usage_types: ProjectionMask::roots(parquet_schema, [usage_type_root]),
    })
}

/// Whether a usage type column may hold a `Global-` one: for a dictionary,
/// any of its values (used or not).
fn has_global_usage_type(column: &ArrayRef) -> bool {
    let strings = match column.data_type() {
        DataType::Dictionary(key, value)
            if **key == DataType::Int32 && **value == DataType::Utf8 =>
        {
            column
                .as_dictionary::<Int32Type>()
                .values()
                .as_string::<i32>()
        }
        DataType::Utf8 => column.as_string::<i32>(),
        _ => return true,
    };
    strings
        .iter()
        .flatten()
        .any(|s| s.starts_with(GLOBAL_PREFIX))
}

/// The column chunks fetched for one row group, served to the decoder.
#[derive(Clone)]
struct FetchedRanges {
    len: u64,
    ranges: Vec<(u64, Bytes)>,
}

impl FetchedRanges {
    fn slice(&self, start: u64, length: Option<usize>) -> parquet::errors::Result<Bytes> {
        for (offset, bytes) in &self.ranges {
            let end = offset + bytes.len() as u64;
            if (*offset..end).contains(&start) {
                let from = (start - offset) as usize;
                let to = length.map_or(bytes.len(), |l| from + l);
                if to <= bytes.len() {
                    return Ok(bytes.slice(from..to));
                }
            }
        }
        Err(ParquetError::EOF(format!(
            "bytes at offset {start} lie outside the column chunks"
        )))
    }
}

impl Length for FetchedRanges {
    fn len(&self) -> u64 {
        self.len
    }
}

impl ChunkReader for FetchedRanges {
    type T = bytes::buf::Reader<Bytes>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(self.slice(start, None)?.reader())
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        self.slice(start, Some(length))
    }
}

/// The file's schema with its string columns read as dictionaries where
/// every row group has a dictionary page for them: billing strings repeat on
/// most rows, and their dictionary pages then decode into small integer keys
/// instead of a copy of every string. A column written without one (a
/// writer's dictionary overflowed: an Organization's resource ids) stays
/// plain strings, which the arrow reader would otherwise hash into a
/// dictionary of its own, batch by batch, for nothing.
fn dictionary_strings(
    schema: &arrow_schema::SchemaRef,
    with_dictionaries: &[bool],
) -> arrow_schema::SchemaRef {
    let fields: Vec<arrow_schema::FieldRef> = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(root, f)| match f.data_type() {
            DataType::Utf8 if with_dictionaries.get(root).copied().unwrap_or(false) => {
                Arc::new(f.as_ref().clone().with_data_type(DataType::Dictionary(
                    Box::new(DataType::Int32),
                    Box::new(DataType::Utf8),
                )))
            }
            _ => f.clone(),
        })
        .collect();
    Arc::new(arrow_schema::Schema::new_with_metadata(
        fields,
        schema.metadata().clone(),
    ))
}

/// Per root column of the file, whether each of its column chunks in every
/// row group starts with a dictionary page.
fn dictionary_roots(metadata: &parquet::file::metadata::ParquetMetaData) -> Vec<bool> {
    let schema = metadata.file_metadata().schema_descr();
    let mut with = vec![true; schema.root_schema().get_fields().len()];
    for group in metadata.row_groups() {
        for (leaf, chunk) in group.columns().iter().enumerate() {
            if chunk.dictionary_page_offset().is_none() {
                if let Some(root) = with.get_mut(schema.get_column_root_idx(leaf)) {
                    *root = false;
                }
            }
        }
    }
    with
}

/// Numbers for the dictionaries of the columns behind [`Handles`]: a batch
/// whose column holds the same dictionary as the previous batch's (the same
/// memory, kept alive here) keeps its number, another gets a new one.
#[derive(Default)]
struct Dictionaries {
    current: [Option<(ArrayRef, u64)>; 6],
}

/// Numbers no two dictionaries share, in any reader of this process.
static NEXT_DICTIONARY: AtomicU64 = AtomicU64::new(1);

/// A handle field's column in one batch: keys, values and the dictionary's number.
type Handled<'b> = [Option<(&'b PrimitiveArray<Int32Type>, &'b StringArray, u64)>; 6];

impl Dictionaries {
    fn of_batch<'b>(&mut self, views: &[View<'b>], slots: [Option<usize>; 6]) -> Handled<'b> {
        std::array::from_fn(|field| {
            let Some(View::Dictionary(keys, values, array)) =
                slots[field].and_then(|s| views.get(s))
            else {
                self.current[field] = None;
                return None;
            };
            let known = self.current[field]
                .as_ref()
                .filter(|(held, _)| same_strings(held.as_string::<i32>(), values));
            let number = match known {
                Some((_, number)) => *number,
                None => {
                    let number = NEXT_DICTIONARY.fetch_add(1, Ordering::Relaxed);
                    self.current[field] = Some(((*array).clone(), number));
                    number
                }
            };
            Some((*keys, *values, number))
        })
    }
}

/// Whether two string arrays are the same memory.
fn same_strings(a: &StringArray, b: &StringArray) -> bool {
    a.len() == b.len()
        && a.offsets().as_ptr() == b.offsets().as_ptr()
        && a.value_data().as_ptr() == b.value_data().as_ptr()
        && a.value_data().len() == b.value_data().len()
}

/// Where the row's strings sit in their dictionaries: a field has a handle
/// only if the mapper took its string from the dictionary itself.
fn handles(item: &LineItem<'_>, handled: &Handled<'_>, row: usize) -> Handles {
    let fields = [
        item.usage_account,
        item.product_code,
        item.usage_type,
        item.operation,
        item.resource_id,
        item.description,
    ];
    let mut handles = Handles::NONE;
    for (field, text) in fields.iter().enumerate() {
        let Some((keys, values, number)) = handled[field] else {
            continue;
        };
        if !keys.is_valid(row) {
            continue;
        }
        let index = keys.value(row);
        let Ok(at) = usize::try_from(index) else {
            continue;
        };
        let value = values.value(at);
        if value.as_ptr() == text.as_ptr() && value.len() == text.len() {
            handles.dictionary[field] = number;
            handles.index[field] = index as u32;
        }
    }
    handles
}

/// One field's column in a batch, read as text.
enum View<'b> {
    Absent,
    Text(&'b StringArray),
    /// A dictionary-encoded string column: keys per row into the values
    /// (also as the array, to hold on to).
    Dictionary(&'b PrimitiveArray<Int32Type>, &'b StringArray, &'b ArrayRef),
    /// Numbers and timestamps, formatted into a buffer per row.
    Formatted(Numbers<'b>),
    /// A map column and the key looked up in it.
    MapKey(&'b MapArray, &'static str),
}

/// A column of numbers or times, its type resolved once per batch.
struct Numbers<'b> {
    nulls: Option<&'b NullBuffer>,
    values: Values<'b>,
}

enum Values<'b> {
    F64(&'b [f64]),
    F32(&'b [f32]),
    I64(&'b [i64]),
    I32(&'b [i32]),
    Decimal(&'b [i128], i8),
    /// Times since the epoch, in units of which a second holds this many.
    Time(&'b [i64], i64),
    LargeText(&'b arrow_array::LargeStringArray),
}
impl<'b> View<'b> {
    fn new(array: &'b ArrayRef, map_key: Option<&'static str>) -> Option<Self> {
        match (array.data_type(), map_key) {
            (DataType::Map(..), Some(key)) => {
                let map = array.as_map();
                (map.keys().as_string_opt::<i32>().is_some()
                    && map.values().as_string_opt::<i32>().is_some())
                .then_some(View::MapKey(map, key))
            }
            (_, Some(_)) => None,
            (DataType::Utf8, None) => Some(View::Text(array.as_string::<i32>())),
            (DataType::Dictionary(key, value), None)
                if **key == DataType::Int32 && **value == DataType::Utf8 =>
            {
                let dictionary = array.as_dictionary::<Int32Type>();
                Some(View::Dictionary(
                    dictionary.keys(),
                    dictionary.values().as_string::<i32>(),
                    dictionary.values(),
                ))
            }
            (_, None) => Numbers::new(array).map(View::Formatted),
        }
    }

    /// Readies a number or time for the mapper, unless it holds the same
    /// value as the previous row's (`last` is that value's raw bits): what
    /// is known of its value, with [`KNOWN_TEXT`] in `buffer`, or its text
    /// in `buffer` to be parsed. A number field's dictionary string is
    /// parsed once per dictionary value (its text stays the string).
    /// `None` when nothing changed.
    fn prepare(
        &self,
        row: usize,
        buffer: &mut String,
        last: &mut Option<u128>,
        cache: &mut SlotCache,
    ) -> Option<Known> {
        let numbers = match self {
            View::Formatted(numbers) => numbers,
            View::Dictionary(keys, values, _) => return cache.dictionary_number(keys, values, row),
            _ => return None,
        };
        let raw = numbers.raw_bits(row);
        if raw.is_some() && raw == *last {
            return None;
        }
        buffer.clear();
        *last = raw;
        let known = numbers.known(row, &mut cache.doubles);
        match known {
            Known::Text => numbers.format(row, buffer),
            Known::Decimal(_) | Known::Time(_) => buffer.push_str(KNOWN_TEXT),
        }
        Some(known)
    }

    fn text<'t>(&self, row: usize, buffer: &'t str) -> &'t str
    where
        'b: 't,
    {
        match self {
            View::Absent => "",
            View::Text(array) if array.is_valid(row) => array.value(row),
            View::Text(_) => "",
            View::Dictionary(keys, values, _) if keys.is_valid(row) => {
                values.value(keys.value(row) as usize)
            }
            View::Dictionary(..) => "",
            View::Formatted(_) => buffer,
            View::MapKey(map, key) => map_value(map, row, key),
        }
    }
}

impl<'b> Numbers<'b> {
    fn new(array: &'b ArrayRef) -> Option<Self> {
        let values = match array.data_type() {
            DataType::Float64 => Values::F64(array.as_primitive::<Float64Type>().values()),
            DataType::Float32 => Values::F32(array.as_primitive::<Float32Type>().values()),
            DataType::Int64 => Values::I64(array.as_primitive::<Int64Type>().values()),
            DataType::Int32 => Values::I32(array.as_primitive::<Int32Type>().values()),
            DataType::Decimal128(_, scale) => {
                Values::Decimal(array.as_primitive::<Decimal128Type>().values(), *scale)
            }
            DataType::Timestamp(TimeUnit::Second, _) => {
                Values::Time(array.as_primitive::<TimestampSecondType>().values(), 1)
            }
            DataType::Timestamp(TimeUnit::Millisecond, _) => Values::Time(
                array.as_primitive::<TimestampMillisecondType>().values(),
                1_000,
            ),
            DataType::Timestamp(TimeUnit::Microsecond, _) => Values::Time(
                array.as_primitive::<TimestampMicrosecondType>().values(),
                1_000_000,
            ),
            DataType::Timestamp(TimeUnit::Nanosecond, _) => Values::Time(
                array.as_primitive::<TimestampNanosecondType>().values(),
                1_000_000_000,
            ),
            DataType::LargeUtf8 => Values::LargeText(array.as_string::<i64>()),
            _ => return None,
        };
        Some(Numbers {
            nulls: array.nulls(),
            values,
        })
    }

    fn is_valid(&self, row: usize) -> bool {
        self.nulls.is_none_or(|n| n.is_valid(row))
    }

    /// The value's bits, to tell a repeated value without formatting it;
    /// `None` for a null or a type that is always formatted.
    fn raw_bits(&self, row: usize) -> Option<u128> {
        if !self.is_valid(row) {
            return None;
        }
        Some(match self.values {
            Values::F64(v) => u128::from(v[row].to_bits()),
            Values::I64(v) | Values::Time(v, _) => v[row] as u64 as u128,
            Values::Decimal(v, _) => v[row] as u128,
            Values::F32(_) | Values::I32(_) | Values::LargeText(_) => return None,
        })
    }

    /// The value as the mapper's parse of its text would read it, when
    /// that is known without the text: a double (through `doubles`), a
    /// Decimal128 that fits, a time whose text reads back as itself.
    fn known(&self, row: usize, doubles: &mut DoubleCache) -> Known {
        if !self.is_valid(row) {
            return Known::Text;
        }
        match self.values {
            Values::F64(v) => doubles.decimal(v[row]).map_or(Known::Text, Known::Decimal),
            Values::Decimal(v, scale) => {
                decimal128(v[row], scale).map_or(Known::Text, Known::Decimal)
            }
            Values::Time(v, per_second) => {
                let seconds = v[row].div_euclid(per_second);
                if KNOWN_SECONDS.contains(&seconds) {
                    Known::Time(Timestamp::from_unix(seconds))
                } else {
                    Known::Text
                }
            }
            Values::F32(_) | Values::I64(_) | Values::I32(_) | Values::LargeText(_) => Known::Text,
        }
    }

    /// Writes the value as text, nothing for a null.
    fn format(&self, row: usize, out: &mut String) {
        use std::fmt::Write;
        if !self.is_valid(row) {
            return;
        }
        let _ = match self.values {
            Values::F64(v) => write!(out, "{}", v[row]),
            Values::Decimal(v, scale) => write_decimal(v[row], scale, out),
            Values::F32(v) => write!(out, "{}", v[row]),
            Values::I64(v) => write!(out, "{}", v[row]),
            Values::I32(v) => write!(out, "{}", v[row]),
            Values::Time(v, per_second) => write!(
                out,
                "{}",
                Timestamp::from_unix(v[row].div_euclid(per_second))
            ),
            Values::LargeText(v) => write!(out, "{}", v.value(row)),
        };
    }
}

/// Times from 1000-01-01 to 9999-12-31 (seconds since the epoch): their
/// text (four-digit years) reads back as the same time.
const KNOWN_SECONDS: std::ops::RangeInclusive<i64> = -30_610_224_000..=253_402_300_799;

/// Slots of a [`DoubleCache`] (a power of two).
const DOUBLE_SLOTS: usize = 1024;

/// The exact decimals of recently seen doubles, direct-mapped by their bit
/// pattern: a column of costs holds far fewer distinct doubles than rows.
#[derive(Default)]
pub(crate) struct DoubleCache {
    slots: Option<Box<[(u64, Decimal); DOUBLE_SLOTS]>>,
}

/// What one run of row groups keeps from batch to batch.
#[derive(Default)]
struct Caches {
    dictionaries: Dictionaries,
    /// Per field slot.
    known: Vec<SlotCache>,
}

/// What a reader keeps per field between rows to know values without text.
#[derive(Default)]
pub(crate) struct SlotCache {
    doubles: DoubleCache,
    /// For a number field in a dictionary string column: the dictionary
    /// (held, so its memory is not reused while it is known by address) and
    /// what each of its values parses as, once met.
    strings: Option<(ArrayRef, Vec<Option<Known>>)>,
}

impl SlotCache {
    /// Readies the cache for a batch's column: a number field's dictionary
    /// keeps its parsed values while the batches share it.
    fn of_batch(&mut self, view: &View<'_>, numbers: bool) {
        let View::Dictionary(_, values, array) = view else {
            self.strings = None;
            return;
        };
        if !numbers {
            self.strings = None;
            return;
        }
        let same = self
            .strings
            .as_ref()
            .is_some_and(|(held, _)| same_strings(held.as_string::<i32>(), values));
        if !same {
            self.strings = Some(((*array).clone(), vec![None; values.len()]));
        }
    }

    /// What the row's dictionary string parses as: a decimal, or the text
    /// path (empty, `NULL`, not a number: the mapper's parse says which).
    fn dictionary_number(
        &mut self,
        keys: &PrimitiveArray<Int32Type>,
        values: &StringArray,
        row: usize,
    ) -> Option<Known> {
        let (_, parsed) = self.strings.as_mut()?;
        if !keys.is_valid(row) {
            return Some(Known::Text);
        }
        let index = usize::try_from(keys.value(row)).ok()?;
        let slot = parsed.get_mut(index)?;
        Some(
            *slot.get_or_insert_with(|| match ftdesk_core::parse_decimal(values.value(index)) {
                Ok(Some(value)) => Known::Decimal(value),
                Ok(None) | Err(_) => Known::Text,
            }),
        )
    }
}

/// A bit pattern never looked up (a NaN: those take the text path).
const EMPTY_SLOT: u64 = u64::MAX;

impl DoubleCache {
    /// The decimal the double's `Display` text parses as; `None` for NaN,
    /// the infinities and doubles whose text does not parse (too large),
    /// which take the text path.
    fn decimal(&mut self, x: f64) -> Option<Decimal> {
        if !x.is_finite() {
            return None;
        }
        let bits = x.to_bits();
        let slots = self
            .slots
            .get_or_insert_with(|| Box::new([(EMPTY_SLOT, Decimal::ZERO); DOUBLE_SLOTS]));
        let slot = &mut slots[slot_of(bits)];
        if slot.0 == bits {
            return Some(slot.1);
        }
        let value = match shortest_decimal(x) {
            Some(value) => value,
            None => ftdesk_core::parse_decimal(&x.to_string()).ok()??,
        };
        *slot = (bits, value);
        Some(value)
    }
}

/// A double's slot: its bits mixed, the top bits kept.
fn slot_of(bits: u64) -> usize {
    let mixed = (bits ^ (bits >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> (64 - DOUBLE_SLOTS.trailing_zeros())) as usize
}

/// A Decimal128 exactly, if `rust_decimal` holds it (28 digits).
fn decimal128(raw: i128, scale: i8) -> Option<Decimal> {
    u32::try_from(scale)
        .ok()
        .and_then(|s| Decimal::try_from_i128_with_scale(raw, s).ok())
}

/// Powers of ten that a double holds exactly.
const EXACT_POWERS: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];
/// Below this many units of the last place, no two decimals of one scale
/// read as the same double (its spacing is under 0.23 of such a unit).
const MAX_EXACT_DIGITS: f64 = 1e15;

/// The decimal `Display` writes for a double (its shortest round trip),
/// found without formatting: at the first scale where the double times the
/// scale's power rounds to an integer whose quotient by that power (one
/// correctly rounded division, as parsing does) is the double again. `None`
/// for zero, non-finite values and those needing over 15 digits, which
/// take the formatting path.
fn shortest_decimal(x: f64) -> Option<Decimal> {
    if x == 0.0 || !x.is_finite() {
        return None;
    }
    for (scale, power) in EXACT_POWERS.iter().enumerate() {
        let units = (x * power).round();
        if units.abs() >= MAX_EXACT_DIGITS {
            return None;
        }
        if units / power == x {
            return Some(Decimal::new(units as i64, scale as u32));
        }
    }
    None
}

/// A Decimal128 exactly; one beyond `rust_decimal`'s 28 digits is written
/// as a marker the decimal parser refuses, so the row reports it.
fn write_decimal(raw: i128, scale: i8, out: &mut String) -> std::fmt::Result {
    use std::fmt::Write;
    match decimal128(raw, scale) {
        Some(d) => write!(out, "{d}"),
        None => write!(out, "decimal {raw}e-{scale} out of range"),
    }
}

fn map_value<'b>(map: &'b MapArray, row: usize, key: &str) -> &'b str {
    if map.is_null(row) {
        return "";
    }
    let offsets = map.value_offsets();
    let range: Range<usize> = offsets[row] as usize..offsets[row + 1] as usize;
    let keys = map.keys().as_string::<i32>();
    let values = map.values().as_string::<i32>();
    range
        .into_iter()
        .find(|&i| keys.value(i) == key)
        .filter(|&i| values.is_valid(i))
        .map_or("", |i| values.value(i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::READABLE_CODECS;

    #[test]
    fn doubles_become_their_shortest_decimal() {
        let mut out = String::new();
        let array: ArrayRef = Arc::new(arrow_array::Float64Array::from(vec![0.0116, 1e-7, 744.0]));
        for (row, want) in [(0, "0.0116"), (1, "0.0000001"), (2, "744")] {
            out.clear();
            Numbers::new(&array).unwrap().format(row, &mut out);
            assert_eq!(out, want);
        }
        out.clear();
        write_decimal(12345, 4, &mut out).unwrap();
        assert_eq!(out, "1.2345");
        assert_eq!(decimal128(12345, 4).unwrap().to_string(), "1.2345");
    }

    /// A repeatable stream of pseudo-random bits (xorshift64) for the tests
    /// that sweep many values.
    fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// The text the reader gives the mapper for `row` when nothing is known.
    fn text_of(numbers: &Numbers<'_>, row: usize) -> String {
        let mut out = String::new();
        numbers.format(row, &mut out);
        out
    }

    /// What the reader knows of a number or time is what the mapper's
    /// parse of its text gives, to the scale: doubles (cache hits, misses,
    /// slot collisions, zeros, huge and tiny ones), Decimal128s and times.
    #[test]
    fn known_values_are_what_their_text_parses_as() {
        let mut next = xorshift(0x2545_f491_4f6c_dd1d_u64);
        let mut doubles: Vec<f64> = vec![
            0.0,
            -0.0,
            1e300,
            -1e300,
            5e-324,
            1e-20,
            0.1 + 0.2,
            744.0,
            0.0116,
            1e28,
            7.9e28,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
        ];
        for i in 0..200_000u64 {
            let digits = next() % 10u64.pow(1 + (i % 16) as u32);
            doubles.push(match i % 5 {
                0 => digits as f64 / 10f64.powi((next() % 16) as i32),
                1 => -((digits % 100_000) as f64) / 1e4 * 0.0116,
                2 => f64::from_bits(next()),
                // repeats, to be found in the cache (or its slot taken)
                _ => doubles[(next() % doubles.len() as u64) as usize],
            });
        }
        let array: ArrayRef = Arc::new(arrow_array::Float64Array::from(doubles.clone()));
        let numbers = Numbers::new(&array).unwrap();
        let mut cache = DoubleCache::default();
        let (mut known, mut text) = (0, 0);
        for (row, x) in doubles.iter().enumerate() {
            let parsed = ftdesk_core::parse_decimal(&text_of(&numbers, row));
            match numbers.known(row, &mut cache) {
                Known::Decimal(value) => {
                    known += 1;
                    let parsed = parsed.unwrap().unwrap();
                    assert_eq!(value.serialize(), parsed.serialize(), "{x:e}");
                }
                Known::Text => {
                    text += 1;
                    assert!(!x.is_finite() || parsed.is_err(), "{x:e} could be known");
                }
                Known::Time(_) => panic!("a double known as a time"),
            }
        }
        assert!(known > text * 2, "{known} known, {text} by text");

        let raws = [
            12345_i128,
            -1,
            0,
            i128::MAX,
            10i128.pow(28) - 1,
            10i128.pow(28),
        ];
        let array: ArrayRef = Arc::new(
            arrow_array::Decimal128Array::from(raws.to_vec())
                .with_precision_and_scale(38, 6)
                .unwrap(),
        );
        let numbers = Numbers::new(&array).unwrap();
        for (row, raw) in raws.iter().enumerate() {
            let parsed = ftdesk_core::parse_decimal(&text_of(&numbers, row));
            match numbers.known(row, &mut cache) {
                Known::Decimal(value) => {
                    assert_eq!(
                        value.serialize(),
                        parsed.unwrap().unwrap().serialize(),
                        "{raw}"
                    )
                }
                _ => assert!(parsed.is_err(), "{raw}"),
            }
        }

        let strings = [
            "0.0116", "", "NULL", "abc", "1E-7", " 5 ", "0.0116", "+2.50",
        ];
        let keys = [0, 1, 2, 3, 4, 5, 6, 7, 0, 7, 3];
        let dictionary: ArrayRef = Arc::new(arrow_array::DictionaryArray::new(
            arrow_array::Int32Array::from(
                keys.iter()
                    .map(|&k| (k != 1).then_some(k))
                    .collect::<Vec<_>>(),
            ),
            Arc::new(arrow_array::StringArray::from(strings.to_vec())),
        ));
        let view = View::new(&dictionary, None).unwrap();
        let mut slot = SlotCache::default();
        slot.of_batch(&view, true);
        let (mut buffer, mut last) = (String::new(), None);
        let mut decimals = 0;
        for row in 0..keys.len() {
            let known = view.prepare(row, &mut buffer, &mut last, &mut slot);
            let text = view.text(row, &buffer);
            match (known, ftdesk_core::parse_decimal(text)) {
                (Some(Known::Decimal(value)), Ok(Some(parsed))) => {
                    decimals += 1;
                    assert_eq!(value.serialize(), parsed.serialize(), "{text}");
                }
                (Some(Known::Text), Ok(None) | Err(_)) => {}
                other => panic!("{text:?}: {other:?}"),
            }
        }
        assert_eq!(decimals, 7);
        // a field that is no number has its text parsed by the mapper, as before
        slot.of_batch(&view, false);
        assert_eq!(view.prepare(0, &mut buffer, &mut last, &mut slot), None);

        let bounds = [*KNOWN_SECONDS.start(), *KNOWN_SECONDS.end()];
        let mut seconds: Vec<i64> = bounds.to_vec();
        seconds.extend([bounds[0] - 1, bounds[1] + 1, 0, -1, 1_790_000_000]);
        seconds.extend((0..10_000).map(|_| (next() % 40_000_000_000) as i64 - 20_000_000_000));
        let array: ArrayRef = Arc::new(arrow_array::TimestampSecondArray::from(seconds.clone()));
        let numbers = Numbers::new(&array).unwrap();
        for (row, s) in seconds.iter().enumerate() {
            match numbers.known(row, &mut cache) {
                Known::Time(time) => {
                    assert_eq!(Timestamp::parse(&text_of(&numbers, row)), Ok(time), "{s}")
                }
                _ => assert!(!KNOWN_SECONDS.contains(s), "{s} could be known"),
            }
        }
        assert_eq!(
            Timestamp::parse(&Timestamp::from_unix(bounds[0]).to_string()),
            Ok(Timestamp::from_civil(1000, 1, 1, 0, 0, 0))
        );
        assert_eq!(
            Timestamp::from_unix(bounds[1]),
            Timestamp::from_civil(9999, 12, 31, 23, 59, 59)
        );
    }

    /// The decimal found without formatting is the one `Display` writes and
    /// the parser reads back, to the scale: on decimals of every length,
    /// products of them (as CUR costs are) and arbitrary bit patterns.
    #[test]
    fn the_shortest_decimal_without_formatting_is_displays() {
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15_u64);
        let (mut found, mut total) = (0, 0);
        for i in 0..300_000u64 {
            let digits = next() % 10u64.pow(1 + (i % 16) as u32);
            let scale = (next() % 16) as i32;
            let x = match i % 4 {
                0 => digits as f64 / 10f64.powi(scale),
                1 => -(digits as f64) / 10f64.powi(scale),
                2 => (digits % 1_000_000) as f64 / 1e4 * 0.0116,
                _ => f64::from_bits(next()),
            };
            total += 1;
            let Some(value) = shortest_decimal(x) else {
                continue;
            };
            found += 1;
            let text = format!("{x}");
            let parsed = ftdesk_core::parse_decimal(&text).unwrap().unwrap();
            assert_eq!(value.to_string(), text, "{x:e}");
            assert_eq!(value.serialize(), parsed.serialize(), "{x:e}");
        }
        assert!(
            found * 2 > total,
            "the fast path is the common one: {found} of {total}"
        );
        for x in [0.0, -0.0, f64::NAN, f64::INFINITY, 1e300, 5e-324, 0.1 + 0.2] {
            assert_eq!(shortest_decimal(x), None, "{x:e}");
        }
    }

    /// A string column without a dictionary page (in some row group) is read
    /// as plain strings; one with them as a dictionary.
    #[test]
    fn only_strings_with_dictionary_pages_are_read_as_dictionaries() {
        use parquet::arrow::ArrowWriter;
        use parquet::file::properties::WriterProperties;
        let batch = RecordBatch::try_from_iter([
            (
                "a",
                Arc::new(StringArray::from(vec!["x", "y", "x"])) as ArrayRef,
            ),
            (
                "b",
                Arc::new(StringArray::from(vec!["p", "q", "r"])) as ArrayRef,
            ),
            (
                "c",
                Arc::new(arrow_array::Float64Array::from(vec![1.0, 2.0, 3.0])) as ArrayRef,
            ),
        ])
        .unwrap();
        let properties = WriterProperties::builder()
            .set_column_dictionary_enabled("b".into(), false)
            .set_max_row_group_row_count(Some(2))
            .build();
        let mut bytes = Vec::new();
        let mut writer =
            ArrowWriter::try_new(&mut bytes, batch.schema(), Some(properties)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        let metadata = ParquetMetaDataReader::new()
            .parse_and_finish(&Bytes::from(bytes))
            .unwrap();
        assert_eq!(metadata.num_row_groups(), 2);
        let roots = dictionary_roots(&metadata);
        assert_eq!(roots[..2], [true, false]);
        let schema = dictionary_strings(&batch.schema(), &roots);
        assert!(matches!(
            schema.field(0).data_type(),
            DataType::Dictionary(..)
        ));
        assert_eq!(schema.field(1).data_type(), &DataType::Utf8);
        assert_eq!(schema.field(2).data_type(), &DataType::Float64);
    }

    /// The codecs the messages name are the ones the crate decompresses.
    #[test]
    fn the_named_codecs_are_the_decompressible_ones() {
        use parquet::basic::{BrotliLevel, GzipLevel, ZstdLevel};
        use parquet::schema::types::{ColumnDescriptor, ColumnPath, Type};
        let leaf = Type::primitive_type_builder("cost", parquet::basic::Type::DOUBLE)
            .build()
            .unwrap();
        let column = Arc::new(ColumnDescriptor::new(
            Arc::new(leaf),
            0,
            0,
            ColumnPath::from("cost"),
        ));
        let every = [
            Compression::UNCOMPRESSED,
            Compression::SNAPPY,
            Compression::GZIP(GzipLevel::default()),
            Compression::LZO,
            Compression::BROTLI(BrotliLevel::default()),
            Compression::LZ4,
            Compression::ZSTD(ZstdLevel::default()),
            Compression::LZ4_RAW,
        ];
        let mut readable: Vec<String> = every
            .into_iter()
            .filter(|&codec| {
                let chunk = ColumnChunkMetaData::builder(column.clone())
                    .set_compression(codec)
                    .build()
                    .unwrap();
                decompressible(&chunk)
            })
            .map(codec_name)
            .collect();
        readable.sort();
        let mut named: Vec<&str> = READABLE_CODECS
            .split([',', ' '])
            .filter(|word| !matches!(*word, "" | "or"))
            .collect();
        named.sort_unstable();
        assert_eq!(readable, named);
    }
}
