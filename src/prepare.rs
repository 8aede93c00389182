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
use crate::flags::NikCheck;
use crate::indo::{address, name, nik};
use crate::input::{Diagnostic, RawRecords};
use crate::normalize::{self, Date};

/// 16 ASCII digits of a NIK or KK number.
pub type IdDigits = [u8; 16];

/// A text column that stores each distinct value once; every row holds a code into the values.
///
/// Names, name keys and streets repeat across a registry (SITI AMINAH, a household's street),
/// so one copy per value saves memory, and equal codes mean equal text, which blocking and term
/// frequencies use instead of hashing strings. Code 0 is always the empty text (missing).
///
/// ```
/// use padan::prepare::TextColumn;
/// let column: TextColumn = ["SITI", "", "SITI", "BUDI"].into_iter().collect();
/// assert_eq!(&column[2], "SITI");
/// assert_eq!(column.code(0), column.code(2));
/// assert_eq!(column.code(1), 0);
/// assert_eq!(column.distinct(), 3); // "", "SITI", "BUDI"
/// assert_eq!(column.value(column.code(3)), "BUDI");
/// assert_eq!(column.iter().collect::<Vec<_>>(), ["SITI", "", "SITI", "BUDI"]);
/// ```
#[derive(Debug, Clone)]
pub struct TextColumn {
    codes: Vec<u32>,
    values: Vec<Box<str>>,
}

impl Default for TextColumn {
    fn default() -> Self {
        Self { codes: Vec::new(), values: vec!["".into()] }
    }
}

impl TextColumn {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The code of a row's text: equal codes mean equal text; 0 is the empty text.
    #[inline]
    pub fn code(&self, row: usize) -> u32 {
        self.codes[row]
    }

    /// Number of distinct values, the empty text included.
    pub fn distinct(&self) -> usize {
        self.values.len()
    }

    /// The text of a code (`0..distinct()`); code 0 is the empty text.
    pub fn value(&self, code: u32) -> &str {
        &self.values[code as usize]
    }

    /// The rows' texts in row order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.codes.iter().map(|&code| &*self.values[code as usize])
    }

    /// Bytes held: four per row plus each distinct value once.
    pub fn heap_bytes(&self) -> usize {
        self.codes.len() * 4
            + self.values.iter().map(|v| v.len() + std::mem::size_of::<Box<str>>()).sum::<usize>()
    }
}

impl std::ops::Index<usize> for TextColumn {
    type Output = str;

    #[inline]
    fn index(&self, row: usize) -> &str {
        &self.values[self.codes[row] as usize]
    }
}

impl<'a> FromIterator<&'a str> for TextColumn {
    fn from_iter<I: IntoIterator<Item = &'a str>>(texts: I) -> Self {
        let mut interner = TextInterner::default();
        let codes = texts.into_iter().map(|text| interner.code(text)).collect();
        Self { codes, values: interner.values }
    }
}

/// Assigns dense codes (from 1; 0 is the empty text) in order of first appearance, so codes are
/// deterministic.
struct TextInterner {
    codes: FxHashMap<Box<str>, u32>,
    values: Vec<Box<str>>,
}

impl Default for TextInterner {
    fn default() -> Self {
        Self { codes: FxHashMap::default(), values: vec!["".into()] }
    }
}

impl TextInterner {
    fn code(&mut self, text: &str) -> u32 {
        if text.is_empty() {
            return 0;
        }
        if let Some(&code) = self.codes.get(text) {
            return code;
        }
        let code = self.values.len() as u32;
        self.values.push(text.into());
        self.codes.insert(text.into(), code);
        code
    }
}

/// Normalised records, one entry per input row, in input order.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Number of records.
    pub len: usize,
    /// The input's id column, untouched.
    pub id: ArrayRef,
    /// NIK digits when the cell holds a well-formed 16-digit number.
    pub nik: Vec<Option<IdDigits>>,
    /// What each NIK cell holds: missing, malformed, or 16 digits with every issue found
    /// (structure, the record's birth date and sex, equal to the KK).
    pub nik_check: Vec<NikCheck>,
    /// KK digits when well-formed.
    pub kk: Vec<Option<IdDigits>>,
    /// Id of each record's KK number (from 1, in order of first appearance; 0 when the KK is
    /// missing or malformed): equal ids mean one household.
    pub household: Vec<u32>,
    /// Normalised name (empty when missing).
    pub name: TextColumn,
    /// Spelling-insensitive name key for blocking (empty when missing).
    pub name_key: TextColumn,
    /// Sex: 1 male, 2 female, 0 unknown.
    pub sex: Vec<u8>,
    /// Birth date.
    pub birth_date: Vec<Option<Date>>,
    /// Whether the birth date was read from the NIK because the record had none: such a date
    /// agrees with the NIK by construction, and says nothing about whether the NIK was typed
    /// right.
    pub birth_date_from_nik: Vec<bool>,
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
    pub street: TextColumn,
    /// House number of the address (empty when missing).
    pub house_number: TextColumn,
    /// Father's name after bin / binti (empty when missing).
    pub father: TextColumn,
    /// Normalised birth mother's name, as `name` (empty when missing).
    pub mother_name: TextColumn,
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
    /// Per-distinct-name facts of `name` and `mother_name` for the Indonesian name levels, built
    /// once before pairs are compared (the pipeline builds them while it blocks, else the first
    /// [`crate::compare::Comparisons::compare_all`] does).
    pub(crate) name_features: crate::compare::NameFeatureCache,
    /// Each record's comparison inputs in one cache line, built with the name facts.
    pub(crate) comparison_rows: crate::compare::ComparisonRows,
    /// Every pair of records whose NIKs are one typo apart, found once (see
    /// [`Prepared::nik_typo_pairs`]).
    pub(crate) nik_typo_pairs: NikTypoPairs,
}

/// The pairs of [`Prepared::nik_typo_pairs`], found by the first stage that asks: the NIK typo
/// blocking rules and the training of the NIK typo levels read the same pairs.
#[derive(Debug, Clone, Default)]
pub(crate) struct NikTypoPairs(std::sync::OnceLock<Vec<(u32, u32)>>);

/// A block of records sharing a NIK with one digit deleted holds at most this many records
/// before it is skipped: only a NIK repeated thousands of times (a placeholder that passed every
/// check) makes one, and its pairs would be quadratic.
const NIK_TYPO_BLOCK_MAX: usize = 5_000;

impl Prepared {
    /// Every pair `(i, j)`, `i < j`, of records whose NIKs are one typo apart: one digit
    /// substituted anywhere, or two neighbours swapped ([`nik::typo_apart`]). Sorted, each pair
    /// once.
    ///
    /// Each NIK is keyed 16 times, once with each digit deleted: a substitution shares the key
    /// that deletes it, a swap the two keys that delete either swapped digit. The keys are
    /// sorted as one `u64` with the record (the key's high 32 bits: a collision only adds pairs
    /// to check, and every pair is checked).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// let niks = ["3603022507830002", "3603022508730002", "3603022507830009", "3603022507830002"];
    /// let batch = RecordBatch::try_from_iter([
    ///     ("id_dtks", Arc::new(StringArray::from(vec!["a", "b", "c", "d"])) as ArrayRef),
    ///     ("nik", Arc::new(StringArray::from(niks.to_vec())) as ArrayRef),
    /// ]).unwrap();
    /// let raw = padan::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
    /// let prepared = padan::prepare::prepare(&raw, true);
    /// // a-b swap, a-c one digit, b-d swap, c-d one digit; a and d are equal, b and c two typos apart.
    /// assert_eq!(prepared.nik_typo_pairs(), [(0, 1), (0, 2), (1, 3), (2, 3)]);
    /// ```
    pub fn nik_typo_pairs(&self) -> &[(u32, u32)] {
        if self.nik_typo_pairs.0.get().is_none() {
            let _ = self.nik_typo_pairs.0.set(find_nik_typo_pairs(&self.nik));
        }
        self.nik_typo_pairs.0.get().map(Vec::as_slice).unwrap_or_default()
    }
}

fn find_nik_typo_pairs(niks: &[Option<IdDigits>]) -> Vec<(u32, u32)> {
    const KEY: u64 = 0xffff_ffff_0000_0000;
    let mut keyed: Vec<u64> = (0..niks.len())
        .into_par_iter()
        .flat_map_iter(|row| {
            let mut keys: Vec<u64> = match &niks[row] {
                Some(nik) => (0..16)
                    .map(|deleted| {
                        let mut shortened = [0u8; 15];
                        shortened[..deleted].copy_from_slice(&nik[..deleted]);
                        shortened[deleted..].copy_from_slice(&nik[deleted + 1..]);
                        let mut hasher = rustc_hash::FxHasher::default();
                        std::hash::Hasher::write(&mut hasher, &shortened);
                        std::hash::Hasher::finish(&hasher) & KEY
                    })
                    .collect(),
                None => Vec::new(),
            };
            keys.sort_unstable();
            keys.dedup();
            keys.into_iter().map(move |k| k | row as u64)
        })
        .collect();
    keyed.par_sort_unstable();
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=keyed.len() {
        if i == keyed.len() || keyed[i] & KEY != keyed[start] & KEY {
            if (2..=NIK_TYPO_BLOCK_MAX).contains(&(i - start)) {
                blocks.push((start, i));
            }
            start = i;
        }
    }
    let mut pairs: Vec<u64> = blocks
        .par_iter()
        .flat_map_iter(|&(s, e)| {
            let members = &keyed[s..e];
            let mut out = Vec::new();
            for (x, &i) in members.iter().enumerate() {
                for &j in &members[x + 1..] {
                    let (i, j) = (i & !KEY, j & !KEY);
                    if let (Some(a), Some(b)) = (&niks[i as usize], &niks[j as usize])
                        && nik::typo_apart(a, b).is_some()
                    {
                        // Members are sorted by key, then record: i < j.
                        out.push(i << 32 | j);
                    }
                }
            }
            out
        })
        .collect();
    // A swap is found in two blocks.
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs.into_iter().map(|p| ((p >> 32) as u32, p as u32)).collect()
}

impl Prepared {
    /// Bytes held per record by the prepared columns (distinct strings counted once); tracked
    /// in benchmarks.
    pub fn approx_bytes_per_record(&self) -> f64 {
        if self.len == 0 {
            return 0.0;
        }
        let fixed = std::mem::size_of::<Option<IdDigits>>() * 2
            + std::mem::size_of::<Option<Date>>()
            + std::mem::size_of::<Option<u16>>() * 2
            + 4 * 3
            + 4;
        let text: usize =
            [&self.name, &self.name_key, &self.street, &self.house_number, &self.father, &self.mother_name]
                .iter()
                .map(|column| column.heap_bytes())
                .sum();
        fixed as f64 + text as f64 / self.len as f64
    }

    /// Number of distinct rows with at least one diagnostic.
    pub fn rows_with_problems(&self) -> usize {
        let mut rows: Vec<u64> = self.diagnostics.iter().map(|d| d.row).collect();
        rows.sort_unstable();
        rows.dedup();
        rows.len()
    }
}

/// Marks a row whose cell is missing in [`DistinctCells::codes`].
const MISSING: u32 = u32::MAX;

/// The distinct non-empty cells of a column in order of first appearance, and each row's index
/// into them. Names, addresses and place names repeat, so each distinct text is normalised once.
pub(crate) struct DistinctCells<'a> {
    codes: Vec<u32>,
    values: Vec<&'a str>,
}

impl<'a> DistinctCells<'a> {
    pub(crate) fn of(column: Option<&'a StringArray>, len: usize) -> Self {
        let Some(column) = column else { return Self { codes: vec![MISSING; len], values: Vec::new() } };
        let mut seen: FxHashMap<&'a str, u32> = FxHashMap::default();
        let mut values = Vec::new();
        // Exports are sorted by region, so place cells repeat row after row: comparing with the
        // previous cell is cheaper than hashing it.
        let mut previous: Option<(&'a str, u32)> = None;
        let codes = (0..len)
            .map(|row| match cell(Some(column), row) {
                None => MISSING,
                Some(text) => match previous {
                    Some((last, code)) if last == text => code,
                    _ => {
                        let code = *seen.entry(text).or_insert_with(|| {
                            values.push(text);
                            (values.len() - 1) as u32
                        });
                        previous = Some((text, code));
                        code
                    }
                },
            })
            .collect();
        Self { codes, values }
    }

    /// Normalise each distinct value once, in parallel.
    pub(crate) fn map<T: Send>(&self, f: impl Fn(&str) -> T + Sync) -> Vec<T> {
        self.values.par_iter().with_min_len(256).map(|text| f(text)).collect()
    }

    /// The value computed for a row's cell, if it has one.
    pub(crate) fn of_row<'t, T>(&self, computed: &'t [T], row: usize) -> Option<&'t T> {
        let code = self.codes[row];
        (code != MISSING).then(|| &computed[code as usize])
    }

    /// A row-order [`TextColumn`] of one text computed per distinct cell.
    fn text_column<T>(&self, computed: &[T], text: impl Fn(&T) -> &str) -> TextColumn {
        // Codes in order of first appearance among the distinct cells, as `TextInterner` gives;
        // the map borrows the computed texts, so each distinct text is copied once.
        let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
        let mut values: Vec<Box<str>> = vec!["".into()];
        let code_of: Vec<u32> = computed
            .iter()
            .map(|value| {
                let text = text(value);
                if text.is_empty() {
                    return 0;
                }
                *seen.entry(text).or_insert_with(|| {
                    values.push(text.into());
                    (values.len() - 1) as u32
                })
            })
            .collect();
        let codes = self
            .codes
            .par_iter()
            .map(|&code| if code == MISSING { 0 } else { code_of[code as usize] })
            .collect();
        TextColumn { codes, values }
    }
}

/// What a name tells, computed once per distinct name.
#[derive(Default)]
struct NameForm {
    name: String,
    key: String,
    father: String,
    deceased_marker: bool,
    birth_order: u8,
    sex_hint: Option<u8>,
}

impl NameForm {
    fn new(text: &str, indonesian: bool) -> Self {
        if indonesian {
            let n = name::normalize_name(text);
            let key = name::phonetic_key(&n.name);
            Self {
                name: n.name,
                key,
                father: n.father.unwrap_or_default(),
                deceased_marker: n.deceased_marker,
                birth_order: n.birth_order.unwrap_or(0),
                sex_hint: n.sex_hint,
            }
        } else {
            let name = normalize::basic_name(text);
            let key = normalize::basic_name_key(&name);
            Self { name, key, ..Self::default() }
        }
    }
}

/// One record's values that need the row itself (cross-checks, diagnostics with row numbers).
struct RowFacts {
    nik: Option<IdDigits>,
    nik_check: NikCheck,
    kk: Option<IdDigits>,
    sex: u8,
    birth_date: Option<Date>,
    birth_date_from_nik: bool,
    relation: u8,
    rt: Option<u16>,
    rw: Option<u16>,
    diagnostics: Vec<Diagnostic>,
}

/// A cell's text without surrounding white space; `None` when null or blank.
pub(crate) fn cell(column: Option<&StringArray>, row: usize) -> Option<&str> {
    let column = column?;
    if column.is_null(row) {
        return None;
    }
    let text = trim(column.value(row));
    (!text.is_empty()).then_some(text)
}

/// `str::trim`, with a shortcut for the usual cell that starts and ends in a visible ASCII
/// character: a byte below 0x80 is a whole character, so the check is the same as `trim`'s.
#[inline]
fn trim(text: &str) -> &str {
    let visible = |byte: Option<&u8>| byte.is_some_and(|b| b.is_ascii() && !char::from(*b).is_whitespace());
    let bytes = text.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) { text } else { text.trim() }
}

/// Dense ids of the rows' KK numbers, in order of first appearance (0 for none), so that a
/// household is one small integer in the comparison rows.
fn household_ids(facts: &[RowFacts]) -> Vec<u32> {
    let mut ids: FxHashMap<IdDigits, u32> = FxHashMap::default();
    facts
        .iter()
        .map(|fact| match fact.kk {
            Some(kk) => {
                let next = ids.len() as u32 + 1;
                *ids.entry(kk).or_insert(next)
            }
            None => 0,
        })
        .collect()
}

/// The parts of a row that do not depend on its text alone. `name_sex_hint` and `address` come
/// from the per-distinct-value normalisation.
fn row_facts(
    raw: &RawRecords,
    row: usize,
    indonesian: bool,
    name_sex_hint: Option<u8>,
    address: Option<&address::ParsedAddress>,
) -> RowFacts {
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

    // The NIK is parsed in both modes: the flags read its structure checks whatever the rules.
    let nik_text = get(Field::Nik);
    let parsed = nik_text.map(nik::parse_nik);
    let mut birth_date_from_nik = false;
    let raw_date = birth_date.map(|d| (i32::from(d.year), d.month, d.day));
    let raw_sex = sex;
    let nik = nik_text.zip(parsed.as_ref()).and_then(|(text, parsed)| {
        if !indonesian {
            return match normalize::id_digits(text) {
                Ok(d) => Some(d),
                Err(e) => {
                    problem(Field::Nik, format!("nik_{}", e.code()), format!("NIK {}", e.message()));
                    None
                }
            };
        }
        if let Some(error) = &parsed.error {
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
        if let (Some(info), true) = (&parsed.info, parsed.is_valid()) {
            let mismatch = nik::cross_check(info, raw_date, raw_sex);
            if !mismatch.is_empty() {
                problem(
                    Field::Nik,
                    format!("nik_{}", mismatch.codes()[0]),
                    format!("the NIK contradicts the record: {}", mismatch.codes().join(", ")),
                );
            }
            // The row's own sex column is compared: a copy of someone else's NIK (NIK ganda in
            // one family) must not hide that the two rows are a man and a woman. The mismatch
            // is reported above; the NIK's sex digit only fills a missing column.
            sex = sex.or(Some(info.sex));
            if birth_date.is_none() {
                birth_date =
                    info.birth_date(None).and_then(|(y, m, d)| Date::new(y, u32::from(m), u32::from(d)));
                birth_date_from_nik = birth_date.is_some();
            }
        }
        // Keep the digits of an invalid 16-digit NIK: a typo'd copy is still evidence. A made-up
        // number (`0000000000000000`, `1234567890123456`) is not: every row that got it would
        // "agree" on it, and disagree with the row's real NIK. It is compared as missing; the
        // flags still see it.
        let made_up = nik::NikIssues::REPEATED_DIGITS | nik::NikIssues::ASCENDING_RUN;
        parsed.digits.filter(|_| !parsed.warnings.intersects(made_up)).map(|n| n.0)
    });
    let kk = get(Field::Kk).and_then(|text| match normalize::id_digits(text) {
        Ok(d) => Some(d),
        Err(e) => {
            problem(Field::Kk, format!("kk_{}", e.code()), format!("KK number {}", e.message()));
            None
        }
    });
    let nik_check = match parsed {
        None => NikCheck::Missing,
        Some(parsed) => nik_check(&parsed, raw_date, raw_sex, kk),
    };
    if sex.is_none() {
        sex = name_sex_hint;
    }

    let relation_text = get(Field::Relation);
    let relation = relation_text.and_then(normalize::parse_relation);
    if let (Some(text), None) = (relation_text, relation) {
        problem(
            Field::Relation,
            "relation_invalid".into(),
            format!("cannot read a relationship code (1-8) from `{}`", shown(text)),
        );
    }
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
    let rt = unit(Field::Rt, "an RT number", address.and_then(|a| a.rt));
    let rw = unit(Field::Rw, "an RW number", address.and_then(|a| a.rw));

    RowFacts {
        nik,
        nik_check,
        kk,
        sex: sex.unwrap_or(0),
        birth_date,
        birth_date_from_nik,
        relation: relation.unwrap_or(0),
        rt,
        rw,
        diagnostics,
    }
}

/// The flags' view of a NIK cell: its structure checks, then (when the structure holds) the
/// record's own birth date and sex as written, and the KK number.
fn nik_check(
    parsed: &nik::ParsedNik,
    date: Option<(i32, u8, u8)>,
    sex: Option<u8>,
    kk: Option<IdDigits>,
) -> NikCheck {
    match (&parsed.error, &parsed.info, &parsed.digits) {
        (Some(nik::NikError::Format(e)), _, _) => NikCheck::Malformed(*e),
        (_, Some(info), Some(digits)) => {
            let mut issues = info.issues;
            if !issues.has_errors() {
                issues |= nik::cross_check(info, date, sex);
            }
            if let Some(kk) = kk {
                issues |= nik::cross_check_kk(digits, &nik::Kk(kk));
            }
            NikCheck::Digits(issues)
        }
        // parse_nik gives info with every 16-digit value.
        _ => NikCheck::Missing,
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

/// A province as records name it: the province column, else the NIK's first two digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum ProvinceKey {
    Named(u32),
    NikPrefix([u8; 2]),
}

/// Dense ids (from 1; 0 is unknown) for keys in order of first appearance.
struct KeyIds<K> {
    ids: FxHashMap<K, u32>,
}

impl<K: std::hash::Hash + Eq> KeyIds<K> {
    fn new() -> Self {
        Self { ids: FxHashMap::default() }
    }

    /// The key's id, and whether it is new.
    fn id(&mut self, key: K) -> (u32, bool) {
        let next = self.ids.len() as u32 + 1;
        let id = *self.ids.entry(key).or_insert(next);
        (id, id == next)
    }
}

/// Each row's place ids: the province name's id, and the district and village ids inside
/// their parents, with the canonical key of each district and village id.
struct PlaceIds {
    province_of_row: Vec<u32>,
    district: Vec<u32>,
    village: Vec<u32>,
    district_keys: Vec<Box<str>>,
    village_keys: Vec<Box<str>>,
}

/// [`PlaceIds`] of every row from the province, regency, district and village cells (in that
/// order), the village falling back on the one the address names.
fn place_ids_of_rows(
    [province_cells, regency_cells, district_cells, village_cells]: [&DistinctCells; 4],
    address_cells: &DistinctCells,
    addresses: &[address::ParsedAddress],
    place: &(impl Fn(&str) -> String + Sync),
) -> PlaceIds {
    let len = province_cells.codes.len();
    // Each distinct cell normalised once, then equal names share one id per field.
    let place_ids = |cells: &DistinctCells, interner: &mut TextInterner| -> Vec<u32> {
        cells.map(place).iter().map(|p| interner.code(p)).collect()
    };
    let mut province_names = TextInterner::default();
    let mut regency_names = TextInterner::default();
    let mut district_names = TextInterner::default();
    let mut village_names = TextInterner::default();
    let province_of = place_ids(province_cells, &mut province_names);
    let regency_of = place_ids(regency_cells, &mut regency_names);
    let district_of = place_ids(district_cells, &mut district_names);
    let village_of = place_ids(village_cells, &mut village_names);
    let address_village_of: Vec<u32> =
        addresses.iter().map(|a| a.village.as_deref().map_or(0, |v| village_names.code(&place(v)))).collect();
    let place_of_row =
        |cells: &DistinctCells, ids: &[u32], row: usize| cells.of_row(ids, row).copied().unwrap_or(0);

    // A place is identified inside its parents: village names repeat across districts. Ids
    // follow the first row that names a place, so they do not depend on the thread count.
    let mut village_ids = KeyIds::new();
    let mut district_ids = KeyIds::new();
    let mut out = PlaceIds {
        province_of_row: Vec::with_capacity(len),
        district: Vec::with_capacity(len),
        village: Vec::with_capacity(len),
        district_keys: vec!["".into()],
        village_keys: vec!["".into()],
    };
    for row in 0..len {
        let p = place_of_row(province_cells, &province_of, row);
        let r = place_of_row(regency_cells, &regency_of, row);
        let d = place_of_row(district_cells, &district_of, row);
        let mut v = place_of_row(village_cells, &village_of, row);
        if v == 0 {
            v = place_of_row(address_cells, &address_village_of, row);
        }
        let (pn, rn, dn) = (
            &province_names.values[p as usize],
            &regency_names.values[r as usize],
            &district_names.values[d as usize],
        );
        out.district.push(if d == 0 {
            0
        } else {
            let (id, new) = district_ids.id((p, r, d));
            if new {
                out.district_keys.push(format!("{pn}|{rn}|{dn}").into());
            }
            id
        });
        out.village.push(if v == 0 {
            0
        } else {
            let (id, new) = village_ids.id((p, r, d, v));
            if new {
                out.village_keys.push(format!("{pn}|{rn}|{dn}|{}", village_names.values[v as usize]).into());
            }
            id
        });
        out.province_of_row.push(p);
    }
    out
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
/// assert_eq!(&prepared.name[0], "SITI AMINAH");
/// assert_eq!(prepared.birth_date[0].unwrap().to_string(), "1974-02-05");
/// assert_eq!(prepared.diagnostics[0].code, "birth_date_invalid");
/// ```
pub fn prepare(raw: &RawRecords, indonesian_rules: bool) -> Prepared {
    let len = raw.len;
    let indonesian = indonesian_rules;
    // Text that is normalised from the cell alone is normalised once per distinct value. Each
    // text column is found distinct and normalised as one chain; the chains run side by side,
    // so a thread that finishes a short column goes on with another's normalisation.
    let distinct = |field: Field| DistinctCells::of(raw.field(field), len);
    let name_chain = || {
        let cells = distinct(Field::Name);
        let names = cells.map(|text| NameForm::new(text, indonesian));
        (cells, names)
    };
    // The mother's name goes through the same normaliser as the name; only the name is kept.
    let mother_chain = || {
        let cells = distinct(Field::MotherName);
        let mothers =
            cells.map(
                |text| if indonesian { name::normalize_name(text).name } else { normalize::basic_name(text) },
            );
        (cells, mothers)
    };
    let address_chain = || {
        let cells = distinct(Field::Address);
        let addresses = if indonesian {
            cells.map(address::parse_address)
        } else {
            vec![address::ParsedAddress::default(); cells.values.len()]
        };
        (cells, addresses)
    };
    let place_cells = || {
        let [p, r, d, v] = [Field::Province, Field::Regency, Field::District, Field::Village];
        let ((p, r), (d, v)) = rayon::join(
            || rayon::join(|| distinct(p), || distinct(r)),
            || rayon::join(|| distinct(d), || distinct(v)),
        );
        [p, r, d, v]
    };
    let (((name_cells, names), (mother_cells, mothers)), ((address_cells, addresses), place_cells)) =
        rayon::join(|| rayon::join(name_chain, mother_chain), || rayon::join(address_chain, place_cells));
    let [province_cells, regency_cells, district_cells, village_cells] = place_cells;
    let place = |text: &str| {
        if indonesian { address::normalize_place_name(text) } else { normalize::basic_place(text) }
    };

    let row_facts_of_all = || -> Vec<RowFacts> {
        (0..len)
            .into_par_iter()
            .with_min_len(4096)
            .map(|row| {
                let sex_hint = name_cells.of_row(&names, row).and_then(|n| n.sex_hint);
                row_facts(raw, row, indonesian, sex_hint, address_cells.of_row(&addresses, row))
            })
            .collect()
    };
    // Each text column interns its distinct values on one thread: the columns are built side by side.
    type TextTask<'t> = Box<dyn Fn() -> TextColumn + Sync + 't>;
    let text_tasks: [TextTask; 6] = [
        Box::new(|| name_cells.text_column(&names, |n| &n.name)),
        Box::new(|| name_cells.text_column(&names, |n| &n.key)),
        Box::new(|| address_cells.text_column(&addresses, |a| a.street.as_deref().unwrap_or_default())),
        Box::new(|| address_cells.text_column(&addresses, |a| a.number.as_deref().unwrap_or_default())),
        Box::new(|| name_cells.text_column(&names, |n| &n.father)),
        Box::new(|| mother_cells.text_column(&mothers, String::as_str)),
    ];
    let text_columns = || text_tasks.par_iter().map(|task| task()).collect::<Vec<_>>();
    let places = || {
        place_ids_of_rows(
            [&province_cells, &regency_cells, &district_cells, &village_cells],
            &address_cells,
            &addresses,
            &place,
        )
    };
    // The place ids are one sequential pass (ids follow the first row that names a place): it
    // runs while the other thread works through the row facts and the text columns.
    let ((facts, text_columns), places) = rayon::join(|| rayon::join(row_facts_of_all, text_columns), places);
    let PlaceIds { province_of_row, district, village, district_keys, village_keys } = places;
    let mut province_ids = KeyIds::new();
    let province: Vec<u32> = province_of_row
        .iter()
        .zip(&facts)
        .map(|(&p, fact)| {
            let key = if p != 0 {
                Some(ProvinceKey::Named(p))
            } else {
                fact.nik.map(|digits| ProvinceKey::NikPrefix([digits[0], digits[1]]))
            };
            key.map_or(0, |key| province_ids.id(key).0)
        })
        .collect();

    let mut diagnostics = raw.diagnostics.clone();
    diagnostics.extend(facts.iter().flat_map(|f| f.diagnostics.iter().cloned()));
    // Reading problems come first, then per-row problems in row order: stable for outputs.
    diagnostics.sort_by_key(|d| d.row);
    let name_of_row = |row: usize| name_cells.of_row(&names, row);
    let mut text_columns = text_columns.into_iter();
    let mut next_text = || text_columns.next().expect("one per text task");
    let (name, name_key, street, house_number, father, mother_name) =
        (next_text(), next_text(), next_text(), next_text(), next_text(), next_text());
    // Each column is one pass over a million rows: the passes run in parallel.
    let household = household_ids(&facts);
    Prepared {
        len,
        id: raw.id.clone(),
        household,
        nik: facts.par_iter().map(|f| f.nik).collect(),
        nik_check: facts.par_iter().map(|f| f.nik_check).collect(),
        kk: facts.par_iter().map(|f| f.kk).collect(),
        name,
        name_key,
        sex: facts.par_iter().map(|f| f.sex).collect(),
        birth_date: facts.par_iter().map(|f| f.birth_date).collect(),
        birth_date_from_nik: facts.par_iter().map(|f| f.birth_date_from_nik).collect(),
        relation: facts.par_iter().map(|f| f.relation).collect(),
        rt: facts.par_iter().map(|f| f.rt).collect(),
        rw: facts.par_iter().map(|f| f.rw).collect(),
        village,
        district,
        province,
        street,
        house_number,
        father,
        mother_name,
        deceased_marker: (0..len)
            .into_par_iter()
            .map(|row| name_of_row(row).is_some_and(|n| n.deceased_marker))
            .collect(),
        birth_order: (0..len)
            .into_par_iter()
            .map(|row| name_of_row(row).map_or(0, |n| n.birth_order))
            .collect(),
        village_keys,
        district_keys,
        indonesian_rules,
        diagnostics,
        name_features: Default::default(),
        comparison_rows: Default::default(),
        nik_typo_pairs: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};

    proptest::proptest! {
        /// The ASCII shortcut gives what `str::trim` gives, Unicode white space included.
        #[test]
        fn trim_equals_str_trim(text in "[ \\t\\n\\x0b\\x0c\\r\\u{a0}\\u{2003}\\u{3000}aZ.1-]{0,8}") {
            proptest::prop_assert_eq!(trim(&text), text.trim());
        }
    }

    use super::*;

    fn prepared(columns: &[(&str, Vec<Option<&str>>)]) -> Prepared {
        prepared_with(columns, true)
    }

    fn prepared_with(columns: &[(&str, Vec<Option<&str>>)], indonesian: bool) -> Prepared {
        let rows = columns[0].1.len();
        let ids: Vec<String> = (0..rows).map(|i| i.to_string()).collect();
        let mut arrays = vec![("id_dtks", Arc::new(StringArray::from(ids)) as ArrayRef)];
        for (name, values) in columns {
            arrays.push((name, Arc::new(StringArray::from(values.clone())) as ArrayRef));
        }
        let batch = RecordBatch::try_from_iter(arrays).unwrap();
        let raw = crate::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
        prepare(&raw, indonesian)
    }

    #[test]
    fn repeated_cells_give_every_row_its_value_and_its_diagnostics() {
        // A household's rows repeat KK, dates and RT/RW: each row gets its own value and its
        // own diagnostic, also when a bad text repeats or a good one follows it.
        let kk = Some("3273011203090001");
        let p = prepared(&[
            ("no_kk", vec![kk, kk, Some("12"), Some("12"), kk]),
            (
                "tanggal_lahir",
                vec![Some("1980-02-30"), Some("1980-02-30"), Some("1980-02-29"), None, Some("x")],
            ),
            ("jenis_kelamin", vec![Some("P"), Some("P"), Some("?"), Some("?"), Some("L")]),
            ("rt", vec![Some("003"), Some("003"), Some("003"), Some("RT"), Some("RT")]),
        ]);
        let kk_digits = normalize::id_digits("3273011203090001").unwrap();
        assert_eq!(p.kk, [Some(kk_digits), Some(kk_digits), None, None, Some(kk_digits)]);
        assert_eq!(p.birth_date[2].map(|d| d.to_string()).as_deref(), Some("1980-02-29"));
        assert!(p.birth_date.iter().enumerate().all(|(row, d)| d.is_some() == (row == 2)));
        assert_eq!(p.sex, [2, 2, 0, 0, 1]);
        assert_eq!(p.rt, [Some(3), Some(3), Some(3), None, None]);
        let rows_with = |code: &str| -> Vec<u64> {
            p.diagnostics.iter().filter(|d| d.code == code).map(|d| d.row).collect()
        };
        assert_eq!(rows_with("birth_date_invalid"), [1, 2, 5]);
        assert_eq!(rows_with("sex_invalid"), [3, 4]);
        assert_eq!(rows_with("rt_invalid"), [4, 5]);
        assert_eq!(p.diagnostics.iter().filter(|d| d.code.starts_with("kk_")).count(), 2);
    }

    #[test]
    fn the_nik_check_reads_the_record_as_typed_and_the_kk() {
        // 3273015208850002: day 52 = a woman born 12 Aug 1985.
        let p = prepared(&[
            ("nik", vec![Some("3273015208850002"), Some("3273015208850002"), Some("12345"), None]),
            ("jenis_kelamin", vec![Some("P"), Some("L"), None, None]),
            ("tanggal_lahir", vec![Some("1985-08-12"), Some("1985-08-12"), None, None]),
            ("no_kk", vec![None, Some("3273015208850002"), None, None]),
        ]);
        let NikCheck::Digits(clean) = p.nik_check[0] else { panic!("16 digits: {:?}", p.nik_check[0]) };
        assert!(!clean.intersects(nik::NikIssues::SEX_MISMATCH | nik::NikIssues::EQUALS_KK));
        // The prepared sex is the JK as typed (L, male), not the NIK's; the check reports the clash.
        assert_eq!(p.sex[1], 1);
        let NikCheck::Digits(issues) = p.nik_check[1] else { panic!("16 digits: {:?}", p.nik_check[1]) };
        assert!(issues.contains(nik::NikIssues::SEX_MISMATCH), "{issues:?}");
        assert!(issues.contains(nik::NikIssues::EQUALS_KK), "{issues:?}");
        assert!(matches!(p.nik_check[2], NikCheck::Malformed(_)));
        assert_eq!(p.nik_check[3], NikCheck::Missing);
        // The generic rules check the NIK the same way: the flags do not depend on the mode.
        let generic = prepared_with(
            &[("nik", vec![Some("3273015208850002")]), ("jenis_kelamin", vec![Some("L")])],
            false,
        );
        assert!(
            matches!(generic.nik_check[0], NikCheck::Digits(i) if i.contains(nik::NikIssues::SEX_MISMATCH))
        );
    }

    #[test]
    fn made_up_niks_are_compared_as_missing_and_the_sex_column_wins() {
        let p = prepared(&[
            ("nik", vec![Some("0000000000000000"), Some("1234567890123456"), Some("3273015208850002")]),
            ("jenis_kelamin", vec![None, None, Some("L")]),
        ]);
        assert_eq!(p.nik[..2], [None, None], "placeholders agree with nothing");
        assert!(matches!(p.nik_check[0], NikCheck::Digits(_)), "the flags still see the digits");
        assert!(p.nik[2].is_some());
        // The NIK says a woman (day 52); the row says a man: the row's own column is compared.
        assert_eq!(p.sex[2], 1);
    }

    #[test]
    fn names_that_normalise_alike_share_a_code_and_missing_is_zero() {
        let p =
            prepared(&[("nama", vec![Some("Soekarno"), Some("SUKARNO"), None, Some("  "), Some("Hatta")])]);
        assert_eq!(&p.name[0], "SUKARNO");
        assert_eq!(p.name.code(0), p.name.code(1));
        assert_eq!((p.name.code(2), p.name.code(3)), (0, 0));
        assert_eq!((&p.name[2], &p.name[3]), ("", ""));
        assert_ne!(p.name.code(4), p.name.code(0));
        assert_eq!(p.name.iter().collect::<Vec<_>>(), ["SUKARNO", "SUKARNO", "", "", "HATTA"]);
    }

    #[test]
    fn a_village_is_identified_inside_its_district() {
        // "Sukamaju" in two districts is two villages; "Kel. Sukamaju" in the address counts
        // when the village column is empty.
        let p = prepared(&[
            ("kecamatan", vec![Some("Cibinong"), Some("CIBINONG"), Some("Depok"), Some("Cibinong")]),
            ("kelurahan", vec![Some("Sukamaju"), Some("SUKAMAJU"), Some("Sukamaju"), None]),
            ("alamat", vec![None, None, None, Some("Jl. Mawar 3 RT 1/2 Kel. Sukamaju")]),
        ]);
        assert_eq!(p.village[0], p.village[1]);
        assert_ne!(p.village[0], p.village[2]);
        assert_eq!(p.village[3], p.village[0]);
        assert_eq!((p.rt[3], p.rw[3]), (Some(1), Some(2)));
        // Ids follow the first row that names a place.
        assert_eq!((p.village[0], p.village[2]), (1, 2));
        assert_eq!((p.district[0], p.district[2]), (1, 2));
        assert!(p.village_keys[1].ends_with("|CIBINONG|SUKAMAJU"), "{}", p.village_keys[1]);
    }

    #[test]
    fn without_a_province_column_the_nik_prefix_names_the_province() {
        let p = prepared(&[(
            "nik",
            vec![Some("3374011403620003"), Some("3374015505800001"), Some("3578010101900001"), None],
        )]);
        assert_eq!(p.province[0], p.province[1]);
        assert_ne!(p.province[0], p.province[2]);
        assert_eq!(p.province[3], 0);
    }
}
