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
use crate::indo::{address, name, nik};
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
    /// Interned province id (0 unknown): the province column, else the NIK's first two digits.
    /// Term frequencies are computed per province.
    pub province: Vec<u32>,
    /// Canonical street of the address (empty when missing).
    pub street: Vec<Box<str>>,
    /// House number of the address (empty when missing).
    pub house_number: Vec<Box<str>>,
    /// Father's name after bin / binti (empty when missing).
    pub father: Vec<Box<str>>,
    /// Normalised birth mother's name, as `name` (empty when missing).
    pub mother_name: Vec<Box<str>>,
    /// Alm. / Almh. in the name: the record may describe a deceased person.
    pub deceased_marker: Vec<bool>,
    /// Balinese birth order 1-4 from the name, 0 when none.
    pub birth_order: Vec<u8>,
    /// Canonical key of each village id (index = id; 0 is the empty key).
    pub village_keys: Vec<Box<str>>,
    /// Canonical key of each district id (index = id; 0 is the empty key).
    pub district_keys: Vec<Box<str>>,
    /// Whether the Indonesian rules prepared these records.
    pub indonesian_rules: bool,
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
    province_key: Option<String>,
    street: Box<str>,
    house_number: Box<str>,
    father: Box<str>,
    mother_name: Box<str>,
    deceased_marker: bool,
    birth_order: u8,
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

fn prepare_row(raw: &RawRecords, row: usize, indonesian: bool) -> Row {
    let row_number = row as u64 + 1;
    let mut diagnostics = Vec::new();
    let get = |field: Field| cell(raw.field(field), row);
    let mut problem = |field: Field, code: String, message: String| {
        diagnostics.push(Diagnostic::new(row_number, field.name(), &code, message));
    };

    // Sex and birth date first: the NIK is cross-checked against them.
    let sex_text = get(Field::Sex);
    let mut sex = sex_text.and_then(normalize::parse_sex);
    if let (Some(text), None) = (sex_text, sex) {
        problem(Field::Sex, "sex_invalid".into(), format!("cannot read a sex code from `{}`", shown(text)));
    }
    let date_text = get(Field::BirthDate);
    let mut birth_date = date_text.and_then(normalize::parse_date);
    if let (Some(text), None) = (date_text, birth_date) {
        problem(
            Field::BirthDate,
            "birth_date_invalid".into(),
            format!("cannot read a calendar date from `{}`", shown(text)),
        );
    }

    let nik = get(Field::Nik).and_then(|text| {
        if !indonesian {
            return match normalize::id_digits(text) {
                Ok(d) => Some(d),
                Err(e) => {
                    problem(Field::Nik, format!("nik_{}", e.code()), format!("NIK {}", e.message()));
                    None
                }
            };
        }
        let parsed = nik::parse_nik(text);
        if let Some(error) = parsed.error {
            let codes = error.codes();
            problem(
                Field::Nik,
                format!("nik_{}", codes.first().copied().unwrap_or("invalid")),
                format!("NIK invalid: {error}"),
            );
        }
        let reported = parsed.warnings & REPORTED_NIK_WARNINGS;
        if !reported.is_empty() {
            problem(
                Field::Nik,
                format!("nik_{}", reported.codes()[0]),
                format!("NIK warning: {}", reported.codes().join(", ")),
            );
        }
        if let (Some(info), true) = (parsed.info, parsed.is_valid()) {
            let record_date = birth_date.map(|d| (i32::from(d.year), d.month, d.day));
            let mismatch = nik::cross_check(&info, record_date, sex);
            if !mismatch.is_empty() {
                problem(
                    Field::Nik,
                    format!("nik_{}", mismatch.codes()[0]),
                    format!("the NIK contradicts the record: {}", mismatch.codes().join(", ")),
                );
            }
            // The NIK's sex digit is the registry's own; it overrides a mistyped JK.
            sex = Some(info.sex);
            if birth_date.is_none() {
                birth_date =
                    info.birth_date(None).and_then(|(y, m, d)| Date::new(y, u32::from(m), u32::from(d)));
            }
        }
        // Keep the digits of an invalid 16-digit NIK: a typo'd copy is still evidence.
        parsed.digits.map(|n| n.0)
    });
    let kk = get(Field::Kk).and_then(|text| match normalize::id_digits(text) {
        Ok(d) => Some(d),
        Err(e) => {
            problem(Field::Kk, format!("kk_{}", e.code()), format!("KK number {}", e.message()));
            None
        }
    });

    let (name, name_key, father, deceased_marker, birth_order) = match get(Field::Name) {
        None => Default::default(),
        Some(text) if indonesian => {
            let n = name::normalize_name(text);
            if sex.is_none() {
                sex = n.sex_hint;
            }
            let key = name::phonetic_key(&n.name);
            (n.name, key, n.father.unwrap_or_default(), n.deceased_marker, n.birth_order.unwrap_or(0))
        }
        Some(text) => {
            let n = normalize::basic_name(text);
            let key = normalize::basic_name_key(&n);
            (n, key, String::new(), false, 0)
        }
    };

    // The mother's name goes through the same normaliser as the name; only the name is kept.
    let mother_name = match get(Field::MotherName) {
        None => String::new(),
        Some(text) if indonesian => name::normalize_name(text).name,
        Some(text) => normalize::basic_name(text),
    };

    let relation_text = get(Field::Relation);
    let relation = relation_text.and_then(normalize::parse_relation);
    if let (Some(text), None) = (relation_text, relation) {
        problem(
            Field::Relation,
            "relation_invalid".into(),
            format!("cannot read a relationship code (1-8) from `{}`", shown(text)),
        );
    }
    let parsed_address = match get(Field::Address) {
        Some(text) if indonesian => address::parse_address(text),
        _ => address::ParsedAddress::default(),
    };
    let small_int = |text: &str| {
        if indonesian { address::parse_rt_rw_cell(text) } else { normalize::parse_small_int(text) }
    };
    let mut unit = |field: Field, what: &str, parsed: Option<u16>| {
        let text = get(field);
        let value = text.and_then(small_int);
        if let (Some(text), None) = (text, value) {
            problem(
                field,
                format!("{}_invalid", field.name()),
                format!("cannot read {what} from `{}`", shown(text)),
            );
        }
        value.or(parsed)
    };
    let rt = unit(Field::Rt, "an RT number", parsed_address.rt);
    let rw = unit(Field::Rw, "an RW number", parsed_address.rw);

    // A place is identified inside its parents: village names repeat across districts.
    let place = |text: Option<&str>| {
        text.map(|t| if indonesian { address::normalize_place_name(t) } else { normalize::basic_place(t) })
            .unwrap_or_default()
    };
    let parents = format!("{}|{}", place(get(Field::Province)), place(get(Field::Regency)));
    let district = place(get(Field::District));
    let mut village = place(get(Field::Village));
    if village.is_empty() {
        village = place(parsed_address.village.as_deref());
    }
    let district_key = (!district.is_empty()).then(|| format!("{parents}|{district}"));
    let province = place(get(Field::Province));
    let province_key = if province.is_empty() {
        nik.map(|digits| format!("nik:{}", String::from_utf8_lossy(&digits[..2])))
    } else {
        Some(province)
    };
    let village_key = (!village.is_empty()).then(|| format!("{parents}|{district}|{village}"));

    Row {
        nik,
        kk,
        name: name.into(),
        name_key: name_key.into(),
        sex: sex.unwrap_or(0),
        birth_date,
        relation: relation.unwrap_or(0),
        rt,
        rw,
        village_key,
        district_key,
        province_key,
        street: parsed_address.street.unwrap_or_default().into(),
        house_number: parsed_address.number.unwrap_or_default().into(),
        father: father.into(),
        mother_name: mother_name.into(),
        deceased_marker,
        birth_order,
        diagnostics,
    }
}

/// NIK warnings worth a diagnostic. Placeholder dates and a final 0 are common in genuine
/// numbers, so they are not reported on their own.
const REPORTED_NIK_WARNINGS: nik::NikIssues = nik::NikIssues::from_bits_truncate(
    nik::NikIssues::REGENCY_UNKNOWN.bits()
        | nik::NikIssues::DISTRICT_UNKNOWN.bits()
        | nik::NikIssues::REGENCY_RETIRED.bits()
        | nik::NikIssues::REPEATED_DIGITS.bits()
        | nik::NikIssues::ASCENDING_RUN.bits(),
);

/// The start of a cell for a message (never a whole long value).
fn shown(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Assigns dense ids (from 1) to strings in order of first appearance, so ids are deterministic.
struct Interner {
    ids: FxHashMap<String, u32>,
    keys: Vec<Box<str>>,
}

impl Interner {
    fn new() -> Self {
        Self { ids: FxHashMap::default(), keys: vec!["".into()] }
    }

    fn id(&mut self, key: Option<String>) -> u32 {
        let Some(key) = key else { return 0 };
        if let Some(id) = self.ids.get(&key) {
            return *id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(key.as_str().into());
        self.ids.insert(key, id);
        id
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
/// let prepared = padan::prepare::prepare(&raw, true);
/// assert_eq!(&*prepared.name[0], "SITI AMINAH");
/// assert_eq!(prepared.birth_date[0].unwrap().to_string(), "1974-02-05");
/// assert_eq!(prepared.diagnostics[0].code, "birth_date_invalid");
/// ```
pub fn prepare(raw: &RawRecords, indonesian_rules: bool) -> Prepared {
    let rows: Vec<Row> = (0..raw.len)
        .into_par_iter()
        .with_min_len(4096)
        .map(|i| prepare_row(raw, i, indonesian_rules))
        .collect();
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
        province: Vec::with_capacity(len),
        street: Vec::with_capacity(len),
        house_number: Vec::with_capacity(len),
        father: Vec::with_capacity(len),
        mother_name: Vec::with_capacity(len),
        deceased_marker: Vec::with_capacity(len),
        birth_order: Vec::with_capacity(len),
        village_keys: Vec::new(),
        district_keys: Vec::new(),
        indonesian_rules,
        diagnostics: raw.diagnostics.clone(),
    };
    let mut villages = Interner::new();
    let mut districts = Interner::new();
    let mut provinces = Interner::new();
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
        prepared.province.push(provinces.id(row.province_key));
        prepared.street.push(row.street);
        prepared.house_number.push(row.house_number);
        prepared.father.push(row.father);
        prepared.mother_name.push(row.mother_name);
        prepared.deceased_marker.push(row.deceased_marker);
        prepared.birth_order.push(row.birth_order);
        prepared.diagnostics.extend(row.diagnostics);
    }
    prepared.village_keys = villages.keys;
    prepared.district_keys = districts.keys;
    // Reading problems come first, then per-row problems in row order: stable for outputs.
    prepared.diagnostics.sort_by_key(|d| d.row);
    prepared
}
