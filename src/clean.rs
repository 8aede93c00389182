//! Cleaning without deduplicating: the Indonesian normalisers of [`crate::indo`] over whole Arrow
//! columns, for researchers who only want clean names, NIKs, KK numbers or addresses.
//!
//! Each function takes one text column (`Utf8`, `LargeUtf8`, `Utf8View`, a dictionary of
//! those, or an all-null column) and returns a [`RecordBatch`] with one output row per input row,
//! in input order. A null input row gives a row of nulls; any other type is an
//! [`Error::Schema`]. Rows are processed in parallel on the current rayon pool (wrap the call
//! in [`crate::parallel::pool`]`(..)?.install(..)` to bound the threads); the output does not
//! depend on the number of threads.
//!
//! | function | single value | output columns |
//! |---|---|---|
//! | [`normalize_names`] | [`normalize_name`] | [`NAME_COLUMNS`] |
//! | [`parse_niks`] | [`parse_nik`] | [`NIK_COLUMNS`] |
//! | [`parse_kks`] | [`parse_kk`] | [`KK_COLUMNS`] |
//! | [`parse_addresses`] | [`parse_address`] | [`ADDRESS_COLUMNS`] |
//!
//! ```
//! use arrow_array::{Array, StringArray, cast::AsArray};
//!
//! let names = StringArray::from(vec![Some("Hj. Siti Aminah, S.Pd."), None, Some("Moch. Ridwan")]);
//! let out = padan::clean::normalize_names(&names)?;
//! let normalized = out.column_by_name("normalized").unwrap().as_string::<i32>();
//! assert_eq!(normalized.value(0), "SITI AMINAH");
//! assert!(normalized.is_null(1)); // null in, null out
//! assert_eq!(normalized.value(2), "MUHAMMAD RIDWAN");
//! # Ok::<(), padan::Error>(())
//! ```
//!
//! Privacy: the `digits` column of [`parse_niks`] / [`parse_kks`] holds the full number, because
//! that is the cleaned value asked for; `masked` holds the display form (`3273 **** **** 0002`).
//! Print `masked`, never `digits`.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, ListBuilder, StringBuilder, UInt8Builder, UInt16Builder,
};
use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, LargeStringArray, RecordBatch, StringArray, StringViewArray, new_null_array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::indo::address::{ParsedAddress, parse_address};
use crate::indo::name::{normalize_name, phonetic_key, phonetic_key_joined};
use crate::indo::nik::{
    NikError, NikFormatError, NikIssues, ParsedKk, ParsedNik, mask_id, parse_kk, parse_nik,
};
use crate::indo::region::{regions, retired_regency_parts};
use crate::normalize::Date;

/// Rows per parallel task. Small enough to spread a few thousand rows over the cores, large
/// enough that task overhead stays negligible next to parsing.
const CHUNK: usize = 2048;

/// Output columns of [`normalize_names`], in order:
///
/// | column | type | meaning |
/// |---|---|---|
/// | `normalized` | Utf8 | canonical upper-case name, titles, degrees and markers removed ([`NormalizedName::name`](crate::indo::name::NormalizedName::name)); `""` when the input has no letters |
/// | `father` | Utf8 | the name after `bin`/`binti`/`br.`…, normalised the same way |
/// | `sex_hint` | UInt8 | 1 male, 2 female, from titles and markers (H./Hj., I/Ni, bin/binti…); null when none or conflicting |
/// | `deceased_marker` | Boolean | `Alm.`/`Almh.`/`Almarhum(ah)` was present |
/// | `birth_order` | UInt8 | Balinese birth order 1–4 (Wayan/Putu/Gede, Made/Kadek, Nyoman/Komang, Ketut) |
/// | `phonetic_key` | Utf8 | token-order-free phonetic key ([`phonetic_key`]) |
/// | `phonetic_key_joined` | Utf8 | key of the name with spaces removed ([`phonetic_key_joined`]) |
///
/// ```
/// assert_eq!(padan::clean::NAME_COLUMNS[0], "normalized");
/// ```
pub const NAME_COLUMNS: [&str; 7] = [
    "normalized",
    "father",
    "sex_hint",
    "deceased_marker",
    "birth_order",
    "phonetic_key",
    "phonetic_key_joined",
];

/// Output columns of [`parse_niks`], in order:
///
/// | column | type | meaning |
/// |---|---|---|
/// | `digits` | Utf8 | the 16 digits when the value has exactly 16 (even if invalid) — **the full NIK** |
/// | `masked` | Utf8 | display form of the value's digits ([`mask_id`]), `3273 **** **** 0002` |
/// | `valid` | Boolean | 16 digits that pass every check (warnings allowed) |
/// | `errors` | List(Utf8) | why it is invalid: one format code (`too_short`, `scientific_notation`…) or one code per failed check (`month_invalid`, `serial_zero`…) |
/// | `warnings` | List(Utf8) | suspicious but not invalid: `regency_retired`, `regency_unknown`, `district_unknown`, `placeholder_date`, `repeated_digits`, `ascending_run`, `ends_in_zero` |
/// | `excel_truncated` | Boolean | the value shows spreadsheet damage: scientific notation, a float rendering (`…0002.0`) or 15 digits (the 16th lost). A 16-digit NIK ending in 0 only gets the `ends_in_zero` warning: one genuine NIK in ten ends in 0 |
/// | `province_code` | Utf8 | digits 1-2, `"32"` |
/// | `regency_code` | Utf8 | digits 1-4, dotted, `"32.73"` |
/// | `district_code` | Utf8 | digits 1-6, dotted, `"32.73.01"` |
/// | `province` | Utf8 | province name from the vendored Kemendagri list ([`REGION_DATA_VERSION`](crate::indo::region::REGION_DATA_VERSION)) |
/// | `regency` | Utf8 | regency name; for a retired code, the name under its successor |
/// | `district` | Utf8 | district (kecamatan) name, looked up under the successor for a retired regency |
/// | `regency_successor_code` | Utf8 | the current code of a retired regency (`91.01` → `"93.01"`), else null |
/// | `birth_date` | Date32 | the encoded birth date; the century is the latest that is not in the future (the NIK does not encode it); null when not a real date |
/// | `sex` | UInt8 | 1 male, 2 female (day + 40); null when the day field is invalid |
/// | `serial` | UInt16 | digits 13-16 |
///
/// Every column but `masked`, `valid`, `errors`, `warnings` and `excel_truncated` is null
/// unless the value has 16 digits. Region names are null when the code is not in the list.
///
/// ```
/// assert!(padan::clean::NIK_COLUMNS.contains(&"birth_date"));
/// ```
pub const NIK_COLUMNS: [&str; 16] = [
    "digits",
    "masked",
    "valid",
    "errors",
    "warnings",
    "excel_truncated",
    "province_code",
    "regency_code",
    "district_code",
    "province",
    "regency",
    "district",
    "regency_successor_code",
    "birth_date",
    "sex",
    "serial",
];

/// Output columns of [`parse_kks`]: those of [`NIK_COLUMNS`] with `recording_date` (the date
/// the family card was recorded, the century being the latest not in the future) for
/// `birth_date`, and no `sex`. A recording day stored with +40 is tolerated with the
/// `kk_day_offset` warning.
///
/// ```
/// assert!(padan::clean::KK_COLUMNS.contains(&"recording_date"));
/// assert!(!padan::clean::KK_COLUMNS.contains(&"sex"));
/// ```
pub const KK_COLUMNS: [&str; 15] = [
    "digits",
    "masked",
    "valid",
    "errors",
    "warnings",
    "excel_truncated",
    "province_code",
    "regency_code",
    "district_code",
    "province",
    "regency",
    "district",
    "regency_successor_code",
    "recording_date",
    "serial",
];

/// Output columns of [`parse_addresses`], the fields of
/// [`ParsedAddress`]: `street`, `number`, `gang`, `blok`, `dusun` (the sub-village unit:
/// dusun, dukuh, lingkungan, kampung, banjar, jorong…), `village` and `normalized` (Utf8), and
/// `rt`, `rw` (UInt16, 1–999). Values are upper case; a field not found is null. The district,
/// regency and province named in the text are kept in `normalized` only.
///
/// ```
/// assert_eq!(padan::clean::ADDRESS_COLUMNS.len(), 9);
/// ```
pub const ADDRESS_COLUMNS: [&str; 9] =
    ["street", "number", "gang", "blok", "dusun", "rt", "rw", "village", "normalized"];

fn utf8() -> DataType {
    DataType::Utf8
}

fn code_list() -> DataType {
    DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true)))
}

fn schema_of(columns: &[&str], types: &[DataType]) -> SchemaRef {
    Arc::new(Schema::new(
        columns.iter().zip(types).map(|(name, t)| Field::new(*name, t.clone(), true)).collect::<Vec<_>>(),
    ))
}

/// The schema of [`normalize_names`]' output (every field nullable).
///
/// ```
/// let schema = padan::clean::name_schema();
/// assert_eq!(schema.field(2).data_type(), &arrow_schema::DataType::UInt8);
/// ```
pub fn name_schema() -> SchemaRef {
    static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
        use DataType::{Boolean, UInt8};
        schema_of(&NAME_COLUMNS, &[utf8(), utf8(), UInt8, Boolean, UInt8, utf8(), utf8()])
    });
    SCHEMA.clone()
}

fn id_types(kind: IdKind) -> Vec<DataType> {
    use DataType::{Boolean, Date32, UInt8, UInt16};
    let mut types = vec![
        utf8(),
        utf8(),
        Boolean,
        code_list(),
        code_list(),
        Boolean,
        utf8(),
        utf8(),
        utf8(),
        utf8(),
        utf8(),
        utf8(),
        utf8(),
        Date32,
    ];
    if kind == IdKind::Nik {
        types.push(UInt8);
    }
    types.push(UInt16);
    types
}

/// The schema of [`parse_niks`]' output (every field nullable).
///
/// ```
/// let schema = padan::clean::nik_schema();
/// assert_eq!(schema.field_with_name("birth_date").unwrap().data_type(), &arrow_schema::DataType::Date32);
/// ```
pub fn nik_schema() -> SchemaRef {
    static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| schema_of(&NIK_COLUMNS, &id_types(IdKind::Nik)));
    SCHEMA.clone()
}

/// The schema of [`parse_kks`]' output (every field nullable).
///
/// ```
/// let schema = padan::clean::kk_schema();
/// assert_eq!(schema.fields().len(), padan::clean::KK_COLUMNS.len());
/// ```
pub fn kk_schema() -> SchemaRef {
    static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| schema_of(&KK_COLUMNS, &id_types(IdKind::Kk)));
    SCHEMA.clone()
}

/// The schema of [`parse_addresses`]' output (every field nullable).
///
/// ```
/// let schema = padan::clean::address_schema();
/// assert_eq!(schema.field_with_name("rt").unwrap().data_type(), &arrow_schema::DataType::UInt16);
/// ```
pub fn address_schema() -> SchemaRef {
    static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
        use DataType::UInt16;
        schema_of(&ADDRESS_COLUMNS, &[utf8(), utf8(), utf8(), utf8(), utf8(), UInt16, UInt16, utf8(), utf8()])
    });
    SCHEMA.clone()
}

// ---------------------------------------------------------------------------------------------
// Public vectorised functions.

/// Normalises every name of a text column with [`normalize_name`]; columns in [`NAME_COLUMNS`].
///
/// # Errors
/// [`Error::Schema`] when `values` is not a text column.
///
/// ```
/// use arrow_array::{StringArray, cast::AsArray, types::UInt8Type};
///
/// let raw = StringArray::from(vec!["Alm. I Made Sudjana bin Ketut", "Djoko Prasetyo"]);
/// let out = padan::clean::normalize_names(&raw)?;
/// assert_eq!(out.num_rows(), 2);
/// let col = |name: &str| out.column_by_name(name).unwrap().clone();
/// assert_eq!(col("normalized").as_string::<i32>().value(0), "MADE SUJANA");
/// assert_eq!(col("father").as_string::<i32>().value(0), "KETUT");
/// assert!(col("deceased_marker").as_boolean().value(0));
/// assert_eq!(col("birth_order").as_primitive::<UInt8Type>().value(0), 2);
/// assert_eq!(col("normalized").as_string::<i32>().value(1), "JOKO PRASETYO");
/// # Ok::<(), padan::Error>(())
/// ```
pub fn normalize_names(values: &dyn Array) -> Result<RecordBatch> {
    clean_column(Cleaner::Names, values, "normalize_names")
}

/// Parses and validates every NIK of a text column with [`parse_nik`]; columns in
/// [`NIK_COLUMNS`].
///
/// # Errors
/// [`Error::Schema`] when `values` is not a text column (a NIK column read as numbers has to be
/// cast to text first; one read as floats has already lost digits).
///
/// ```
/// use arrow_array::{Array, StringArray, cast::AsArray, types::{Date32Type, UInt8Type}};
///
/// let raw = StringArray::from(vec![Some("'3273-0152-0885-0002"), Some("3.57811E+15"), None]);
/// let out = padan::clean::parse_niks(&raw)?;
/// let col = |name: &str| out.column_by_name(name).unwrap().clone();
/// assert_eq!(col("digits").as_string::<i32>().value(0), "3273015208850002");
/// assert_eq!(col("masked").as_string::<i32>().value(0), "3273 **** **** 0002");
/// assert!(col("valid").as_boolean().value(0));
/// assert_eq!(col("regency").as_string::<i32>().value(0), "Kota Bandung");
/// let born = col("birth_date").as_primitive::<Date32Type>().value_as_date(0).unwrap();
/// assert_eq!(born.to_string(), "1985-08-12");
/// assert_eq!(col("sex").as_primitive::<UInt8Type>().value(0), 2);
/// // Spreadsheet damage: invalid, with the reason.
/// assert!(!col("valid").as_boolean().value(1));
/// assert!(col("excel_truncated").as_boolean().value(1));
/// let errors = col("errors");
/// let errors = errors.as_list::<i32>().value(1);
/// assert_eq!(errors.as_string::<i32>().value(0), "scientific_notation");
/// assert!(col("valid").is_null(2));
/// # Ok::<(), padan::Error>(())
/// ```
pub fn parse_niks(values: &dyn Array) -> Result<RecordBatch> {
    clean_column(Cleaner::Niks, values, "parse_niks")
}

/// Parses and validates every KK (family card) number of a text column with [`parse_kk`];
/// columns in [`KK_COLUMNS`].
///
/// # Errors
/// [`Error::Schema`] when `values` is not a text column.
///
/// ```
/// use arrow_array::{StringArray, cast::AsArray, types::Date32Type};
///
/// let out = padan::clean::parse_kks(&StringArray::from(vec!["3273031203100002"]))?;
/// let date = out.column_by_name("recording_date").unwrap().as_primitive::<Date32Type>();
/// assert_eq!(date.value_as_date(0).unwrap().to_string(), "2010-03-12");
/// # Ok::<(), padan::Error>(())
/// ```
pub fn parse_kks(values: &dyn Array) -> Result<RecordBatch> {
    clean_column(Cleaner::Kks, values, "parse_kks")
}

/// Parses every free-text address of a text column with [`parse_address`]; columns in
/// [`ADDRESS_COLUMNS`].
///
/// # Errors
/// [`Error::Schema`] when `values` is not a text column.
///
/// ```
/// use arrow_array::{StringArray, cast::AsArray, types::UInt16Type};
///
/// let raw = StringArray::from(vec!["Jl. Melati Gg. III No. 12 RT 003/RW 005 Gegerkalong"]);
/// let out = padan::clean::parse_addresses(&raw)?;
/// let col = |name: &str| out.column_by_name(name).unwrap().clone();
/// assert_eq!(col("street").as_string::<i32>().value(0), "JALAN MELATI");
/// assert_eq!(col("gang").as_string::<i32>().value(0), "3");
/// assert_eq!(col("rt").as_primitive::<UInt16Type>().value(0), 3);
/// assert_eq!(col("village").as_string::<i32>().value(0), "GEGERKALONG");
/// # Ok::<(), padan::Error>(())
/// ```
pub fn parse_addresses(values: &dyn Array) -> Result<RecordBatch> {
    clean_column(Cleaner::Addresses, values, "parse_addresses")
}

/// Which of the four functions, for callers that choose at run time (the Python bindings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cleaner {
    Names,
    Niks,
    Kks,
    Addresses,
}

/// One of the four functions, naming `function` in its errors.
pub(crate) fn clean_column(cleaner: Cleaner, values: &dyn Array, function: &str) -> Result<RecordBatch> {
    match cleaner {
        Cleaner::Names => run::<NameColumns>(values, function),
        Cleaner::Niks => run::<IdColumns<NikKind>>(values, function),
        Cleaner::Kks => run::<IdColumns<KkKind>>(values, function),
        Cleaner::Addresses => run::<AddressColumns>(values, function),
    }
}

// ---------------------------------------------------------------------------------------------
// Input: one text column.

/// A text column of any of Arrow's three string layouts.
enum Text {
    Utf8(StringArray),
    Large(LargeStringArray),
    View(StringViewArray),
}

impl Text {
    fn of(values: &dyn Array, function: &str) -> Result<Text> {
        let text = match values.data_type() {
            DataType::Utf8 => values.as_string_opt::<i32>().cloned().map(Text::Utf8),
            DataType::LargeUtf8 => values.as_string_opt::<i64>().cloned().map(Text::Large),
            DataType::Utf8View => values.as_string_view_opt().cloned().map(Text::View),
            DataType::Null => {
                Some(Text::Utf8(new_null_array(&DataType::Utf8, values.len()).as_string::<i32>().clone()))
            }
            DataType::Dictionary(_, value)
                if matches!(value.as_ref(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) =>
            {
                let cast = arrow_cast::cast(values, &DataType::Utf8)?;
                cast.as_string_opt::<i32>().cloned().map(Text::Utf8)
            }
            other => {
                return Err(Error::Schema(format!(
                    "{function} needs a text column (Arrow Utf8, LargeUtf8 or Utf8View); got {other}. \
                     Cast the column to text first (identifiers such as NIK and KK numbers are best \
                     read as text from the start: a float column has already lost digits)"
                )));
            }
        };
        text.ok_or_else(|| {
            Error::Internal(format!("{function}: {} array of another layout", values.data_type()))
        })
    }

    fn len(&self) -> usize {
        match self {
            Text::Utf8(a) => a.len(),
            Text::Large(a) => a.len(),
            Text::View(a) => a.len(),
        }
    }

    fn get(&self, i: usize) -> Option<&str> {
        match self {
            Text::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Text::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Text::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}

/// Builders of one output table; `push` takes one input row.
trait Columns: Sized {
    fn schema() -> SchemaRef;
    fn with_capacity(rows: usize) -> Self;
    fn push(&mut self, raw: Option<&str>);
    fn finish(self) -> Vec<ArrayRef>;
}

/// Splits the rows into chunks, builds each chunk's batch in parallel and concatenates them in
/// input order (rayon's indexed `collect` keeps order), so the result is the same for any pool.
fn run<C: Columns>(values: &dyn Array, function: &str) -> Result<RecordBatch> {
    let text = Text::of(values, function)?;
    let schema = C::schema();
    let build = |rows: Range<usize>| -> Result<RecordBatch> {
        let mut columns = C::with_capacity(rows.len());
        for i in rows {
            columns.push(text.get(i));
        }
        Ok(RecordBatch::try_new(schema.clone(), columns.finish())?)
    };
    let n = text.len();
    if n <= CHUNK {
        return build(0..n);
    }
    let batches = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|k| build(k * CHUNK..((k + 1) * CHUNK).min(n)))
        .collect::<Result<Vec<_>>>()?;
    Ok(arrow_select::concat::concat_batches(&schema, &batches)?)
}

// ---------------------------------------------------------------------------------------------
// Names.

/// One row of [`normalize_names`]' output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameRecord {
    pub normalized: String,
    pub father: Option<String>,
    pub sex_hint: Option<u8>,
    pub deceased_marker: bool,
    pub birth_order: Option<u8>,
    pub phonetic_key: String,
    pub phonetic_key_joined: String,
}

pub(crate) fn name_record(raw: &str) -> NameRecord {
    let n = normalize_name(raw);
    NameRecord {
        phonetic_key: phonetic_key(&n.name),
        phonetic_key_joined: phonetic_key_joined(&n.name),
        normalized: n.name,
        father: n.father,
        sex_hint: n.sex_hint,
        deceased_marker: n.deceased_marker,
        birth_order: n.birth_order,
    }
}

struct NameColumns {
    normalized: StringBuilder,
    father: StringBuilder,
    sex_hint: UInt8Builder,
    deceased_marker: BooleanBuilder,
    birth_order: UInt8Builder,
    phonetic_key: StringBuilder,
    phonetic_key_joined: StringBuilder,
}

impl Columns for NameColumns {
    fn schema() -> SchemaRef {
        name_schema()
    }

    fn with_capacity(rows: usize) -> Self {
        let text = || StringBuilder::with_capacity(rows, rows * 16);
        NameColumns {
            normalized: text(),
            father: StringBuilder::with_capacity(rows, 0),
            sex_hint: UInt8Builder::with_capacity(rows),
            deceased_marker: BooleanBuilder::with_capacity(rows),
            birth_order: UInt8Builder::with_capacity(rows),
            phonetic_key: text(),
            phonetic_key_joined: text(),
        }
    }

    fn push(&mut self, raw: Option<&str>) {
        let Some(raw) = raw else {
            self.normalized.append_null();
            self.father.append_null();
            self.sex_hint.append_null();
            self.deceased_marker.append_null();
            self.birth_order.append_null();
            self.phonetic_key.append_null();
            self.phonetic_key_joined.append_null();
            return;
        };
        let r = name_record(raw);
        self.normalized.append_value(&r.normalized);
        self.father.append_option(r.father);
        self.sex_hint.append_option(r.sex_hint);
        self.deceased_marker.append_value(r.deceased_marker);
        self.birth_order.append_option(r.birth_order);
        self.phonetic_key.append_value(&r.phonetic_key);
        self.phonetic_key_joined.append_value(&r.phonetic_key_joined);
    }

    fn finish(mut self) -> Vec<ArrayRef> {
        vec![
            Arc::new(self.normalized.finish()),
            Arc::new(self.father.finish()),
            Arc::new(self.sex_hint.finish()),
            Arc::new(self.deceased_marker.finish()),
            Arc::new(self.birth_order.finish()),
            Arc::new(self.phonetic_key.finish()),
            Arc::new(self.phonetic_key_joined.finish()),
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// NIK and KK.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdKind {
    Nik,
    Kk,
}

/// One row of [`parse_niks`] / [`parse_kks`]' output. `sex` is always `None` for a KK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdRecord {
    pub digits: Option<String>,
    pub masked: String,
    pub valid: bool,
    pub errors: Vec<&'static str>,
    pub warnings: Vec<&'static str>,
    pub excel_truncated: bool,
    pub province_code: Option<String>,
    pub regency_code: Option<String>,
    pub district_code: Option<String>,
    pub province: Option<&'static str>,
    pub regency: Option<&'static str>,
    pub district: Option<&'static str>,
    pub regency_successor_code: Option<&'static str>,
    /// Birth date (NIK) or recording date (KK).
    pub date: Option<Date>,
    pub sex: Option<u8>,
    pub serial: Option<u16>,
}

/// The fields both parsers share, taken from their results.
struct Decoded {
    digits: Option<[u8; 16]>,
    error: Option<NikError>,
    warnings: NikIssues,
    /// (province, regency, district, serial) when 16 digits.
    region: Option<(u8, u8, u8, u16)>,
    date: Option<(i32, u8, u8)>,
    sex: Option<u8>,
}

impl From<ParsedNik> for Decoded {
    fn from(p: ParsedNik) -> Self {
        Decoded {
            digits: p.digits.map(|d| d.0),
            error: p.error,
            warnings: p.warnings,
            region: p.info.map(|i| (i.province, i.regency, i.district, i.serial)),
            date: p.info.and_then(|i| i.birth_date(None)),
            // The sex is read from the day field; an invalid day says nothing about it.
            sex: p.info.filter(|i| !i.issues.contains(NikIssues::DAY_INVALID)).map(|i| i.sex),
        }
    }
}

impl From<ParsedKk> for Decoded {
    fn from(p: ParsedKk) -> Self {
        Decoded {
            digits: p.digits.map(|d| d.0),
            error: p.error,
            warnings: p.warnings,
            region: p.info.map(|i| (i.province, i.regency, i.district, i.serial)),
            date: p.info.and_then(|i| i.recording_date_as_of(crate::indo::nik::current_year())),
            sex: None,
        }
    }
}

pub(crate) fn id_record(raw: &str, kind: IdKind) -> IdRecord {
    let d: Decoded = match kind {
        IdKind::Nik => parse_nik(raw).into(),
        IdKind::Kk => parse_kk(raw).into(),
    };
    let excel_truncated = matches!(
        d.error,
        Some(NikError::Format(
            NikFormatError::ScientificNotation
                | NikFormatError::FloatArtefact
                | NikFormatError::TooShort { len: 15 }
        ))
    );
    let mut record = IdRecord {
        digits: d.digits.map(|b| b.iter().map(|&c| char::from(c)).collect()),
        masked: mask_id(raw),
        valid: d.digits.is_some() && d.error.is_none(),
        errors: d.error.map(|e| e.codes()).unwrap_or_default(),
        warnings: d.warnings.codes(),
        excel_truncated,
        province_code: None,
        regency_code: None,
        district_code: None,
        province: None,
        regency: None,
        district: None,
        regency_successor_code: None,
        date: d.date.and_then(|(y, m, day)| Date::new(y, u32::from(m), u32::from(day))),
        sex: d.sex,
        serial: None,
    };
    if let Some((p, r, k, serial)) = d.region {
        let idx = regions();
        record.province_code = Some(format!("{p:02}"));
        record.regency_code = Some(format!("{p:02}.{r:02}"));
        record.district_code = Some(format!("{p:02}.{r:02}.{k:02}"));
        record.serial = Some(serial);
        record.province = idx.province_name(&format!("{p:02}"));
        // A retired regency (flagged by the parser) is named, with its districts, under its
        // successor: district numbers were kept when regencies moved.
        let successor = if d.warnings.contains(NikIssues::REGENCY_RETIRED) {
            retired_regency_parts(p, r).map(|x| x.successor)
        } else {
            None
        };
        record.regency_successor_code = successor;
        let parent = successor.map_or_else(|| format!("{p:02}.{r:02}"), str::to_string);
        record.regency = idx.regency_name(&parent);
        record.district = idx.district_name(&format!("{parent}.{k:02}"));
    }
    record
}

/// Marker types choosing the parser of [`IdColumns`].
trait IdKindMarker {
    const KIND: IdKind;
}
struct NikKind;
struct KkKind;
impl IdKindMarker for NikKind {
    const KIND: IdKind = IdKind::Nik;
}
impl IdKindMarker for KkKind {
    const KIND: IdKind = IdKind::Kk;
}

struct IdColumns<K> {
    digits: StringBuilder,
    masked: StringBuilder,
    valid: BooleanBuilder,
    errors: ListBuilder<StringBuilder>,
    warnings: ListBuilder<StringBuilder>,
    excel_truncated: BooleanBuilder,
    province_code: StringBuilder,
    regency_code: StringBuilder,
    district_code: StringBuilder,
    province: StringBuilder,
    regency: StringBuilder,
    district: StringBuilder,
    regency_successor_code: StringBuilder,
    date: Date32Builder,
    sex: UInt8Builder,
    serial: UInt16Builder,
    kind: std::marker::PhantomData<K>,
}

fn append_codes(list: &mut ListBuilder<StringBuilder>, codes: &[&str]) {
    for code in codes {
        list.values().append_value(code);
    }
    list.append(true);
}

impl<K: IdKindMarker> Columns for IdColumns<K> {
    fn schema() -> SchemaRef {
        match K::KIND {
            IdKind::Nik => nik_schema(),
            IdKind::Kk => kk_schema(),
        }
    }

    fn with_capacity(rows: usize) -> Self {
        let text = |bytes: usize| StringBuilder::with_capacity(rows, rows * bytes);
        IdColumns {
            digits: text(16),
            masked: text(19),
            valid: BooleanBuilder::with_capacity(rows),
            errors: ListBuilder::with_capacity(StringBuilder::new(), rows),
            warnings: ListBuilder::with_capacity(StringBuilder::new(), rows),
            excel_truncated: BooleanBuilder::with_capacity(rows),
            province_code: text(2),
            regency_code: text(5),
            district_code: text(8),
            province: text(12),
            regency: text(16),
            district: text(12),
            regency_successor_code: StringBuilder::new(),
            date: Date32Builder::with_capacity(rows),
            sex: UInt8Builder::with_capacity(rows),
            serial: UInt16Builder::with_capacity(rows),
            kind: std::marker::PhantomData,
        }
    }

    fn push(&mut self, raw: Option<&str>) {
        let Some(raw) = raw else {
            self.digits.append_null();
            self.masked.append_null();
            self.valid.append_null();
            self.errors.append_null();
            self.warnings.append_null();
            self.excel_truncated.append_null();
            self.province_code.append_null();
            self.regency_code.append_null();
            self.district_code.append_null();
            self.province.append_null();
            self.regency.append_null();
            self.district.append_null();
            self.regency_successor_code.append_null();
            self.date.append_null();
            self.sex.append_null();
            self.serial.append_null();
            return;
        };
        let r = id_record(raw, K::KIND);
        self.digits.append_option(r.digits);
        self.masked.append_value(&r.masked);
        self.valid.append_value(r.valid);
        append_codes(&mut self.errors, &r.errors);
        append_codes(&mut self.warnings, &r.warnings);
        self.excel_truncated.append_value(r.excel_truncated);
        self.province_code.append_option(r.province_code);
        self.regency_code.append_option(r.regency_code);
        self.district_code.append_option(r.district_code);
        self.province.append_option(r.province);
        self.regency.append_option(r.regency);
        self.district.append_option(r.district);
        self.regency_successor_code.append_option(r.regency_successor_code);
        self.date.append_option(r.date.map(Date::days_since_epoch));
        self.sex.append_option(r.sex);
        self.serial.append_option(r.serial);
    }

    fn finish(mut self) -> Vec<ArrayRef> {
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(self.digits.finish()),
            Arc::new(self.masked.finish()),
            Arc::new(self.valid.finish()),
            Arc::new(self.errors.finish()),
            Arc::new(self.warnings.finish()),
            Arc::new(self.excel_truncated.finish()),
            Arc::new(self.province_code.finish()),
            Arc::new(self.regency_code.finish()),
            Arc::new(self.district_code.finish()),
            Arc::new(self.province.finish()),
            Arc::new(self.regency.finish()),
            Arc::new(self.district.finish()),
            Arc::new(self.regency_successor_code.finish()),
            Arc::new(self.date.finish()),
        ];
        if K::KIND == IdKind::Nik {
            columns.push(Arc::new(self.sex.finish()));
        }
        columns.push(Arc::new(self.serial.finish()));
        columns
    }
}

// ---------------------------------------------------------------------------------------------
// Addresses.

struct AddressColumns {
    street: StringBuilder,
    number: StringBuilder,
    gang: StringBuilder,
    blok: StringBuilder,
    dusun: StringBuilder,
    rt: UInt16Builder,
    rw: UInt16Builder,
    village: StringBuilder,
    normalized: StringBuilder,
}

impl Columns for AddressColumns {
    fn schema() -> SchemaRef {
        address_schema()
    }

    fn with_capacity(rows: usize) -> Self {
        let text = |bytes: usize| StringBuilder::with_capacity(rows, rows * bytes);
        AddressColumns {
            street: text(16),
            number: text(2),
            gang: text(2),
            blok: text(1),
            dusun: text(2),
            rt: UInt16Builder::with_capacity(rows),
            rw: UInt16Builder::with_capacity(rows),
            village: text(8),
            normalized: text(48),
        }
    }

    fn push(&mut self, raw: Option<&str>) {
        let Some(raw) = raw else {
            self.street.append_null();
            self.number.append_null();
            self.gang.append_null();
            self.blok.append_null();
            self.dusun.append_null();
            self.rt.append_null();
            self.rw.append_null();
            self.village.append_null();
            self.normalized.append_null();
            return;
        };
        let ParsedAddress { street, number, gang, blok, dusun, rt, rw, village, normalized } =
            parse_address(raw);
        self.street.append_option(street);
        self.number.append_option(number);
        self.gang.append_option(gang);
        self.blok.append_option(blok);
        self.dusun.append_option(dusun);
        self.rt.append_option(rt);
        self.rw.append_option(rw);
        self.village.append_option(village);
        self.normalized.append_value(normalized);
    }

    fn finish(mut self) -> Vec<ArrayRef> {
        vec![
            Arc::new(self.street.finish()),
            Arc::new(self.number.finish()),
            Arc::new(self.gang.finish()),
            Arc::new(self.blok.finish()),
            Arc::new(self.dusun.finish()),
            Arc::new(self.rt.finish()),
            Arc::new(self.rw.finish()),
            Arc::new(self.village.finish()),
            Arc::new(self.normalized.finish()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::types::{Date32Type, UInt8Type, UInt16Type};
    use arrow_array::{DictionaryArray, Int64Array, types::Int32Type};
    use proptest::prelude::*;

    /// A golden table as rows of (column -> cell).
    fn golden(text: &str) -> Vec<std::collections::HashMap<String, String>> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        reader
            .records()
            .map(|r| headers.iter().map(str::to_string).zip(r.unwrap().iter().map(str::to_string)).collect())
            .collect()
    }

    /// Cell `row` of `column` as text, `None` for null; lists as `;`-joined codes, dates as ISO.
    fn cell(batch: &RecordBatch, column: &str, row: usize) -> Option<String> {
        let a = batch.column_by_name(column).unwrap_or_else(|| panic!("no column {column}"));
        if a.is_null(row) {
            return None;
        }
        Some(match a.data_type() {
            DataType::Utf8 => a.as_string::<i32>().value(row).to_string(),
            DataType::Boolean => a.as_boolean().value(row).to_string(),
            DataType::UInt8 => a.as_primitive::<UInt8Type>().value(row).to_string(),
            DataType::UInt16 => a.as_primitive::<UInt16Type>().value(row).to_string(),
            DataType::Date32 => a.as_primitive::<Date32Type>().value_as_date(row).unwrap().to_string(),
            DataType::List(_) => {
                let v = a.as_list::<i32>().value(row);
                let v = v.as_string::<i32>();
                (0..v.len()).map(|i| v.value(i)).collect::<Vec<_>>().join(";")
            }
            other => panic!("unexpected type {other}"),
        })
    }

    /// Checks each golden column against the batch; `never_null` columns read an empty cell as
    /// `""`, every other column as null (lists as empty).
    fn check_golden(
        rows: &[std::collections::HashMap<String, String>],
        batch: &RecordBatch,
        columns: &[(&str, &str)],
        never_null: &[&str],
    ) -> Vec<String> {
        let mut failures = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            for &(golden_col, out_col) in columns {
                let want = &row[golden_col];
                let got = cell(batch, out_col, i);
                let is_list = matches!(batch.column_by_name(out_col).unwrap().data_type(), DataType::List(_));
                let want = if want.is_empty() && !never_null.contains(&out_col) && !is_list {
                    None
                } else {
                    Some(want.clone())
                };
                if got != want {
                    failures.push(format!(
                        "row {} {:?}: {out_col} got {got:?}, want {want:?}",
                        i + 2,
                        row["raw"]
                    ));
                }
            }
        }
        failures
    }

    const NIK_GOLDEN: &str = include_str!("../tests/fixtures/niks.csv");

    #[test]
    fn nik_and_kk_golden_table() {
        let rows = golden(NIK_GOLDEN);
        assert!(rows.len() >= 60, "only {} rows", rows.len());
        let mut failures = Vec::new();
        for kind in ["nik", "kk"] {
            let subset: Vec<_> = rows.iter().filter(|r| r["kind"] == kind).cloned().collect();
            let raw = StringArray::from_iter_values(subset.iter().map(|r| r["raw"].clone()));
            let (batch, date) = if kind == "nik" {
                (parse_niks(&raw).unwrap(), "birth_date")
            } else {
                (parse_kks(&raw).unwrap(), "recording_date")
            };
            let mut columns: Vec<(&str, &str)> = NIK_COLUMNS
                .iter()
                .filter(|c| !matches!(**c, "birth_date" | "sex"))
                .map(|c| (*c, *c))
                .collect();
            columns.push(("date", date));
            if kind == "nik" {
                columns.push(("sex", "sex"));
            } else {
                assert!(subset.iter().all(|r| r["sex"].is_empty()), "a KK has no sex");
            }
            failures.extend(check_golden(&subset, &batch, &columns, &["masked"]));
        }
        assert!(failures.is_empty(), "{} golden failures:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn names_golden_table_vectorised() {
        let rows = golden(include_str!("../tests/fixtures/names.csv"));
        let raw = StringArray::from_iter_values(rows.iter().map(|r| r["raw"].clone()));
        let batch = normalize_names(&raw).unwrap();
        let columns = [
            ("normalized", "normalized"),
            ("father", "father"),
            ("sex_hint", "sex_hint"),
            ("deceased", "deceased_marker"),
            ("birth_order", "birth_order"),
        ];
        let failures = check_golden(&rows, &batch, &columns, &["normalized"]);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn addresses_golden_table_vectorised() {
        let rows = golden(include_str!("../tests/fixtures/addresses.csv"));
        let raw = StringArray::from_iter_values(rows.iter().map(|r| r["raw"].clone()));
        let batch = parse_addresses(&raw).unwrap();
        let columns: Vec<_> = ADDRESS_COLUMNS[..8].iter().map(|c| (*c, *c)).collect();
        let failures = check_golden(&rows, &batch, &columns, &[]);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn phonetic_keys_of_known_variants() {
        let raw =
            StringArray::from(vec!["Slamet Riyadi", "Selamet Riyadi", "Siti Nurhaliza", "Sitinurhaliza"]);
        let b = normalize_names(&raw).unwrap();
        let key = |c: &str, i| cell(&b, c, i).unwrap();
        assert_eq!(key("phonetic_key", 0), key("phonetic_key", 1)); // pair 20
        assert_ne!(key("phonetic_key", 2), key("phonetic_key", 3));
        assert_eq!(key("phonetic_key_joined", 2), key("phonetic_key_joined", 3)); // pair 14
        assert_ne!(key("phonetic_key_joined", 0), key("phonetic_key_joined", 2));
    }

    #[test]
    fn nulls_stay_nulls_in_every_column() {
        let raw = StringArray::from(vec![None, Some(""), None]);
        for batch in [
            normalize_names(&raw).unwrap(),
            parse_niks(&raw).unwrap(),
            parse_kks(&raw).unwrap(),
            parse_addresses(&raw).unwrap(),
        ] {
            assert_eq!(batch.num_rows(), 3);
            for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
                assert!(column.is_null(0) && column.is_null(2), "{}", field.name());
            }
        }
        // An empty string is a value, not a null.
        assert_eq!(cell(&normalize_names(&raw).unwrap(), "normalized", 1).as_deref(), Some(""));
        assert_eq!(cell(&parse_niks(&raw).unwrap(), "errors", 1).as_deref(), Some("empty"));
        assert_eq!(cell(&parse_addresses(&raw).unwrap(), "normalized", 1).as_deref(), Some(""));
    }

    #[test]
    fn every_text_layout_gives_the_same_table() {
        let values = vec![Some("3273015208850002"), None, Some("3.57811E+15"), Some("9101010404880009")];
        let want = parse_niks(&StringArray::from(values.clone())).unwrap();
        let large = LargeStringArray::from(values.clone());
        let view = StringViewArray::from(values.clone());
        let dict: DictionaryArray<Int32Type> = values.iter().copied().collect();
        for got in [parse_niks(&large), parse_niks(&view), parse_niks(&dict)] {
            assert_eq!(got.unwrap(), want);
        }
        let nulls = parse_niks(&arrow_array::NullArray::new(2)).unwrap();
        assert_eq!(nulls.num_rows(), 2);
        assert!(nulls.column(0).is_null(1));
        assert_eq!(want.schema(), nik_schema());
    }

    #[test]
    fn other_types_are_schema_errors() {
        let ints = Int64Array::from(vec![3273015208850002]);
        for result in [normalize_names(&ints), parse_niks(&ints), parse_kks(&ints), parse_addresses(&ints)] {
            let err = result.unwrap_err();
            assert!(matches!(err, Error::Schema(_)), "{err}");
            assert!(err.to_string().contains("Int64") && err.to_string().contains("text"), "{err}");
        }
    }

    #[test]
    fn empty_input_gives_empty_tables_with_the_schema() {
        let empty = StringArray::from(Vec::<&str>::new());
        let b = parse_kks(&empty).unwrap();
        assert_eq!((b.num_rows(), b.schema()), (0, kk_schema()));
        assert_eq!(address_schema().fields().len(), ADDRESS_COLUMNS.len());
        assert_eq!(name_schema().fields().len(), NAME_COLUMNS.len());
    }

    #[test]
    fn long_columns_keep_row_order_across_chunks_and_pools() {
        // Rows that differ in every chunk, so a reordering of chunks would show.
        let n = CHUNK * 3 + 17;
        let raw: Vec<Option<String>> = (0..n)
            .map(|i| (i % 11 != 0).then(|| format!("Jl. Mawar No. {} RT {}/RW {}", i + 1, i % 999 + 1, 5)))
            .collect();
        let array = StringArray::from(raw.clone());
        let one = crate::parallel::pool(Some(1)).unwrap().install(|| parse_addresses(&array)).unwrap();
        let three = crate::parallel::pool(Some(3)).unwrap().install(|| parse_addresses(&array)).unwrap();
        assert_eq!(one, three);
        assert_eq!(one.num_rows(), n);
        for (i, r) in raw.iter().enumerate() {
            let number = cell(&one, "number", i);
            assert_eq!(number, r.as_ref().map(|_| (i + 1).to_string()), "row {i}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any string at all (control characters included, which the per-module properties
        /// leave out): no single-value parser panics and name normalisation is idempotent.
        #[test]
        fn single_values_never_panic_and_names_are_idempotent(s in any::<String>()) {
            let n = normalize_name(&s);
            prop_assert_eq!(normalize_name(&n.name).name, n.name.clone());
            let basic = crate::indo::name::normalize_basic(&s);
            prop_assert_eq!(crate::indo::name::normalize_basic(&basic), basic);
            let _ = (parse_nik(&s).codes(), parse_kk(&s).codes(), mask_id(&s));
            let _ = (parse_address(&s), crate::indo::address::parse_rt_rw_cell(&s));
            let _ = (id_record(&s, IdKind::Nik), id_record(&s, IdKind::Kk), name_record(&s));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Arbitrary text (any Unicode) and nulls: no panic, one row per input, nulls where the
        /// input is null, and every row equal to the single-value functions.
        #[test]
        fn vectorised_never_panics_and_matches_single_values(
            values in proptest::collection::vec(proptest::option::of(any::<String>()), 0..40),
        ) {
            let array = StringArray::from(values.clone());
            let names = normalize_names(&array).unwrap();
            let niks = parse_niks(&array).unwrap();
            let kks = parse_kks(&array).unwrap();
            let addresses = parse_addresses(&array).unwrap();
            for batch in [&names, &niks, &kks, &addresses] {
                prop_assert_eq!(batch.num_rows(), values.len());
            }
            for (i, v) in values.iter().enumerate() {
                prop_assert_eq!(names.column(0).is_null(i), v.is_none());
                prop_assert_eq!(niks.column(2).is_null(i), v.is_none());
                let Some(v) = v else { continue };
                prop_assert_eq!(cell(&names, "normalized", i), Some(normalize_name(v).name));
                let nik = parse_nik(v);
                prop_assert_eq!(cell(&niks, "valid", i), Some(nik.is_valid().to_string()));
                prop_assert_eq!(cell(&niks, "digits", i), nik.digits.map(|d| d.to_unmasked_string()));
                prop_assert_eq!(cell(&kks, "valid", i), Some(parse_kk(v).is_valid().to_string()));
                let address = parse_address(v);
                prop_assert_eq!(cell(&addresses, "normalized", i), Some(address.normalized));
                prop_assert_eq!(cell(&addresses, "rt", i), address.rt.map(|x| x.to_string()));
            }
        }

        /// NIK-shaped input, so the decoded columns are exercised: they agree with the parser.
        #[test]
        fn decoded_nik_columns_agree_with_the_parser(digits in "[0-9]{16}") {
            let out = parse_niks(&StringArray::from(vec![digits.as_str()])).unwrap();
            let info = parse_nik(&digits).info.unwrap();
            prop_assert_eq!(cell(&out, "serial", 0), Some(info.serial.to_string()));
            prop_assert_eq!(cell(&out, "province_code", 0), Some(digits[..2].to_string()));
            prop_assert_eq!(cell(&out, "district_code", 0), Some(format!("{}.{}.{}", &digits[..2], &digits[2..4], &digits[4..6])));
            let date = info.birth_date(None).map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
            prop_assert_eq!(cell(&out, "birth_date", 0), date);
        }
    }
}
