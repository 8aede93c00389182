//! Prepare: normalise every record once, into compact columns that later stages read.
//!
//! This is the only stage that looks at raw text. Blocking and comparison work on the fields
//! below (digits, small integers, interned ids, normalised strings), so nothing is normalised
//! twice. Rows are processed in parallel chunks and reassembled in input order, so the result
//! does not depend on the thread count.

use arrow_array::{Array, ArrayRef, StringArray};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Field;
use crate::input::{Diagnostic, RawRecords};
use crate::normalize::{self, Date};

/// 16 ASCII digits of a NIK or KK number.
pub type IdDigits = [u8; 16];

/// Normalised records, one entry per input row, in input order.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Number of records.
    pub len: usize,
    /// The input's id column, untouched.
    pub id: ArrayRef,
    /// NIK digits when the cell holds a well-formed 16-digit number.
    pub nik: Vec<Option<IdDigits>>,
    /// KK digits when well-formed.
    pub kk: Vec<Option<IdDigits>>,
    /// Normalised name (empty string when missing).
    pub name: Vec<Box<str>>,
    /// Spelling-insensitive name key for blocking (empty when missing).
    pub name_key: Vec<Box<str>>,
    /// Sex: 1 male, 2 female, 0 unknown.
    pub sex: Vec<u8>,
    /// Birth date.
    pub birth_date: Vec<Option<Date>>,
    /// Relationship to the head of household (1-8), 0 unknown.
    pub relation: Vec<u8>,
    /// RT number.
    pub rt: Vec<Option<u16>>,
    /// RW number.
    pub rw: Vec<Option<u16>>,
    /// Interned village id inside its parents (0 unknown); equal ids mean the same village.
    pub village: Vec<u32>,
    /// Interned district id inside its parents (0 unknown).
    pub district: Vec<u32>,
    /// Problems found in the input and while preparing.
    pub diagnostics: Vec<Diagnostic>,
}

impl Prepared {
    /// Bytes held per record by the prepared columns (strings counted by length); tracked in
    /// benchmarks.
    pub fn approx_bytes_per_record(&self) -> f64 {
        if self.len == 0 {
            return 0.0;
        }
        let fixed = std::mem::size_of::<Option<IdDigits>>() * 2
            + std::mem::size_of::<Box<str>>() * 2
            + std::mem::size_of::<Option<Date>>()
            + std::mem::size_of::<Option<u16>>() * 2
            + 4 * 2
            + 2;
        let strings: usize = self.name.iter().chain(&self.name_key).map(|s| s.len()).sum();
        fixed as f64 + strings as f64 / self.len as f64
    }

    /// Number of distinct rows with at least one diagnostic.
    pub fn rows_with_problems(&self) -> usize {
        let mut rows: Vec<u64> = self.diagnostics.iter().map(|d| d.row).collect();
        rows.sort_unstable();
        rows.dedup();
        rows.len()
    }
}

/// One record's normalised values before they are split into columns.
struct Row {
    nik: Option<IdDigits>,
    kk: Option<IdDigits>,
    name: Box<str>,
    name_key: Box<str>,
    sex: u8,
    birth_date: Option<Date>,
    relation: u8,
    rt: Option<u16>,
    rw: Option<u16>,
    village_key: Option<String>,
    district_key: Option<String>,
    diagnostics: Vec<Diagnostic>,
}

fn cell(column: Option<&StringArray>, row: usize) -> Option<&str> {
    let column = column?;
    if column.is_null(row) {
        return None;
    }
    let text = column.value(row).trim();
    (!text.is_empty()).then_some(text)
}

fn prepare_row(raw: &RawRecords, row: usize) -> Row {
    let row_number = row as u64 + 1;
    let mut diagnostics = Vec::new();
    let get = |field: Field| cell(raw.field(field), row);

    let mut id_field = |field: Field, label: &str| -> Option<IdDigits> {
        let text = get(field)?;
        match normalize::id_digits(text) {
            Ok(digits) => Some(digits),
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    row_number,
                    field.name(),
                    &format!("{}_{}", field.name(), e.code()),
                    format!("{label} {}", e.message()),
                ));
                None
            }
        }
    };
    let nik = id_field(Field::Nik, "NIK");
    let kk = id_field(Field::Kk, "KK number");

    let name: Box<str> = get(Field::Name).map(normalize::basic_name).unwrap_or_default().into();
    let name_key: Box<str> = normalize::basic_name_key(&name).into();

    let mut parsed = |field: Field, what: &str, value: Option<&str>, ok: bool| {
        if let (Some(text), false) = (value, ok) {
            let shown: String = text.chars().take(40).collect();
            diagnostics.push(Diagnostic::new(
                row_number,
                field.name(),
                &format!("{}_invalid", field.name()),
                format!("cannot read {what} from `{shown}`"),
            ));
        }
    };
    let sex_text = get(Field::Sex);
    let sex = sex_text.and_then(normalize::parse_sex);
    parsed(Field::Sex, "a sex code", sex_text, sex.is_some());
    let date_text = get(Field::BirthDate);
    let birth_date = date_text.and_then(normalize::parse_date);
    parsed(Field::BirthDate, "a calendar date", date_text, birth_date.is_some());
    let relation_text = get(Field::Relation);
    let relation = relation_text.and_then(normalize::parse_relation);
    parsed(Field::Relation, "a relationship code (1-8)", relation_text, relation.is_some());
    let rt_text = get(Field::Rt);
    let rt = rt_text.and_then(normalize::parse_small_int);
    parsed(Field::Rt, "an RT number", rt_text, rt.is_some());
    let rw_text = get(Field::Rw);
    let rw = rw_text.and_then(normalize::parse_small_int);
    parsed(Field::Rw, "an RW number", rw_text, rw.is_some());

    // A place is identified inside its parents: village names repeat across districts.
    let place = |field: Field| get(field).map(normalize::basic_place).unwrap_or_default();
    let parents = format!("{}|{}", place(Field::Province), place(Field::Regency));
    let district = place(Field::District);
    let village = place(Field::Village);
    let district_key = (!district.is_empty()).then(|| format!("{parents}|{district}"));
    let village_key = (!village.is_empty()).then(|| format!("{parents}|{district}|{village}"));

    Row {
        nik,
        kk,
        name,
        name_key,
        sex: sex.unwrap_or(0),
        birth_date,
        relation: relation.unwrap_or(0),
        rt,
        rw,
        village_key,
        district_key,
        diagnostics,
    }
}

/// Assigns dense ids (from 1) to strings in order of first appearance, so ids are deterministic.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, key: Option<String>) -> u32 {
        let Some(key) = key else { return 0 };
        let next = self.ids.len() as u32 + 1;
        *self.ids.entry(key).or_insert(next)
    }
}

/// Normalise raw records. Problems become diagnostics; every row is kept.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// let batch = RecordBatch::try_from_iter([
///     ("id_dtks", Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef),
///     ("nama", Arc::new(StringArray::from(vec!["Siti  Aminah", "budi"])) as ArrayRef),
///     ("tanggal_lahir", Arc::new(StringArray::from(vec!["05-02-1974", "1974-02-31"])) as ArrayRef),
/// ]).unwrap();
/// let raw = padan::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
/// let prepared = padan::prepare::prepare(&raw);
/// assert_eq!(&*prepared.name[0], "SITI AMINAH");
/// assert_eq!(prepared.birth_date[0].unwrap().to_string(), "1974-02-05");
/// assert_eq!(prepared.diagnostics[0].code, "birth_date_invalid");
/// ```
pub fn prepare(raw: &RawRecords) -> Prepared {
    let rows: Vec<Row> =
        (0..raw.len).into_par_iter().with_min_len(4096).map(|i| prepare_row(raw, i)).collect();
    let len = rows.len();
    let mut prepared = Prepared {
        len,
        id: raw.id.clone(),
        nik: Vec::with_capacity(len),
        kk: Vec::with_capacity(len),
        name: Vec::with_capacity(len),
        name_key: Vec::with_capacity(len),
        sex: Vec::with_capacity(len),
        birth_date: Vec::with_capacity(len),
        relation: Vec::with_capacity(len),
        rt: Vec::with_capacity(len),
        rw: Vec::with_capacity(len),
        village: Vec::with_capacity(len),
        district: Vec::with_capacity(len),
        diagnostics: raw.diagnostics.clone(),
    };
    let mut villages = Interner::default();
    let mut districts = Interner::default();
    for row in rows {
        prepared.nik.push(row.nik);
        prepared.kk.push(row.kk);
        prepared.name.push(row.name);
        prepared.name_key.push(row.name_key);
        prepared.sex.push(row.sex);
        prepared.birth_date.push(row.birth_date);
        prepared.relation.push(row.relation);
        prepared.rt.push(row.rt);
        prepared.rw.push(row.rw);
        prepared.village.push(villages.id(row.village_key));
        prepared.district.push(districts.id(row.district_key));
        prepared.diagnostics.extend(row.diagnostics);
    }
    // Reading problems come first, then per-row problems in row order: stable for outputs.
    prepared.diagnostics.sort_by_key(|d| d.row);
    prepared
}
