//! Explanations: what each comparison added to a pair's match weight (a waterfall), as data and
//! as text in Bahasa Indonesia or English.
//!
//! A pair's match weight is the prior weight plus one weight per comparison (its level's
//! `log2(m / u)` plus a term-frequency adjustment), so an [`Explanation`]'s items always sum,
//! with [`Explanation::prior_weight`], to [`Explanation::match_weight`]. A comparison that
//! another comparison's level already includes (the NIK sibling pattern is defined by the names;
//! NIK levels encode the birth date and sex) is *absorbed*: it adds 0, and the text says where
//! it was counted.
//!
//! The text never shows a NIK or KK: only the record ids are printed, and an id that is itself a
//! 16-digit number is masked with [`crate::block::mask_digits`].
//!
//! ```
//! # use std::sync::Arc;
//! # use arrow_array::{ArrayRef, RecordBatch, StringArray};
//! use padan::explain::Language;
//! # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
//! # let batch = RecordBatch::try_from_iter([
//! #     ("id_dtks", col(vec!["a", "b"])),
//! #     ("nik", col(vec!["3273015208850002", "3273015209850002"])),
//! #     ("nama", col(vec!["Dewi Lestari", "DEWI  LESTARI"])),
//! #     ("tanggal_lahir", col(vec!["1985-08-12", "12-08-1985"])),
//! # ]).unwrap();
//! let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
//! let explanation = result.explain_ids("a", "b").expect("a and b were blocked together");
//! let text = explanation.to_text(Language::Indonesian);
//! assert!(text.contains("NIK beda 1 digit") && text.contains("nama sama setelah normalisasi"));
//! assert!(explanation.to_text(Language::English).contains("NIK differs in 1 digit"));
//! # Ok::<(), padan::Error>(())
//! ```

use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray, UInt32Array};
use arrow_schema::DataType;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::block::mask_digits;
use crate::compare::ComparisonKind;
use crate::error::{Error, Result};
use crate::model;
use crate::pipeline::{Decision, DedupeResult};

/// Language of an explanation's text.
///
/// ```
/// use padan::explain::Language;
/// assert_eq!("id".parse::<Language>(), Ok(Language::Indonesian));
/// assert_eq!("en".parse::<Language>(), Ok(Language::English));
/// assert_eq!(Language::English.code(), "en");
/// assert!("fr".parse::<Language>().is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    /// Bahasa Indonesia (`id`), the default.
    #[default]
    #[serde(rename = "id")]
    Indonesian,
    /// English (`en`).
    #[serde(rename = "en")]
    English,
}

impl Language {
    /// The ISO 639-1 code: `id` or `en`.
    ///
    /// ```
    /// assert_eq!(padan::explain::Language::Indonesian.code(), "id");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Language::Indonesian => "id",
            Language::English => "en",
        }
    }

    /// Pick the Indonesian or the English text.
    fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::Indonesian => id,
            Language::English => en,
        }
    }
}

impl FromStr for Language {
    type Err = String;

    /// `id` / `indonesian` / `bahasa` or `en` / `english`, in any case.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "id" | "indonesian" | "bahasa" => Ok(Language::Indonesian),
            "en" | "english" => Ok(Language::English),
            other => Err(format!("unknown language `{other}`: use `id` or `en`")),
        }
    }
}

/// What one comparison added to a pair's match weight.
///
/// ```
/// # use std::sync::Arc;
/// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
/// # let batch = RecordBatch::try_from_iter([
/// #     ("id_dtks", col(vec!["a", "b"])),
/// #     ("nik", col(vec!["3273015208850002", "3273015208850002"])),
/// #     ("nama", col(vec!["Dewi Lestari", "DEWI LESTARI"])),
/// #     ("tanggal_lahir", col(vec!["1985-08-12", "1985-08-12"])),
/// # ]).unwrap();
/// use padan::compare::ComparisonKind;
/// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
/// let explanation = result.explain(0);
/// let name = explanation.item(ComparisonKind::Name).unwrap();
/// assert_eq!((name.level, name.label.as_str()), (1, "exact"));
/// assert_eq!(name.weight, name.level_weight + name.tf_adjustment);
/// // Both NIKs encode the birth date: its agreement was counted in the NIK level.
/// let birth_date = explanation.item(ComparisonKind::BirthDate).unwrap();
/// assert!(birth_date.absorbed && birth_date.weight == 0.0);
/// assert_eq!(birth_date.absorbed_by, Some(ComparisonKind::Nik));
/// # Ok::<(), padan::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplanationItem {
    /// The comparison.
    pub comparison: ComparisonKind,
    /// The pair's level (0 = null: the value is missing in one record).
    pub level: u8,
    /// The level's label, e.g. `one_substitution`.
    pub label: String,
    /// `log2(m / u)` of the level (0 for null or when absorbed).
    pub level_weight: f64,
    /// Term-frequency adjustment: positive for a rare agreeing value, negative for a common one.
    pub tf_adjustment: f64,
    /// The name's tokens, not the whole name, set `tf_adjustment`: the name is rare or common by
    /// its parts (MUHAMMAD RIZKI is made of common tokens however rare the whole name is).
    #[serde(default)]
    pub tf_by_parts: bool,
    /// Another comparison's level already includes this one, so it adds 0.
    pub absorbed: bool,
    /// The comparison whose level absorbed this one.
    pub absorbed_by: Option<ComparisonKind>,
    /// What the comparison added: `level_weight + tf_adjustment`.
    pub weight: f64,
}

/// Why a pair got its score: the prior weight, one item per comparison, the total, the
/// probability and the decision. Serialises to JSON with serde.
///
/// ```
/// # use std::sync::Arc;
/// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
/// # let batch = RecordBatch::try_from_iter([
/// #     ("id_dtks", col(vec!["a", "b"])),
/// #     ("nik", col(vec!["3273015208850002", "3273015209850002"])),
/// #     ("nama", col(vec!["Dewi Lestari", "DEWI LESTARI"])),
/// #     ("tanggal_lahir", col(vec!["1985-08-12", "1985-08-12"])),
/// # ]).unwrap();
/// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
/// let e = result.explain(0);
/// let sum: f64 = e.prior_weight + e.items.iter().map(|item| item.weight).sum::<f64>();
/// assert!((sum - e.match_weight).abs() < 1e-9);
/// let json = serde_json::to_value(&e).unwrap();
/// assert_eq!(json["items"][0]["label"], "one_substitution");
/// # Ok::<(), padan::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Id of the pair's left record, as text.
    pub id_l: String,
    /// Id of the pair's right record, as text.
    pub id_r: String,
    /// The first blocking rule that found the pair.
    pub blocking_rule: String,
    /// `log2(λ / (1 - λ))`: the weight every pair starts from.
    pub prior_weight: f64,
    /// One item per comparison, in the run's comparison order.
    pub items: Vec<ExplanationItem>,
    /// The pair's match weight: `prior_weight` plus every item's `weight`.
    pub match_weight: f64,
    /// `1 / (1 + 2^-match_weight)`.
    pub match_probability: f64,
    /// Match, review or non-match.
    pub decision: Decision,
    /// The deterministic `link` rule that decided the pair a match whatever its score, if any
    /// (see [`crate::rules`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deterministic_rule: Option<String>,
    /// The pair may be one person holding two NIKs: the NIKs differ, the name, birth date and
    /// mother's name agree ([`crate::Config::review_possible_second_nik`]). It is reviewed
    /// whatever its probability, and the text says why.
    #[serde(default)]
    pub possible_second_nik: bool,
}

impl Explanation {
    /// The item of one comparison, if the run has it.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// # let batch = RecordBatch::try_from_iter([
    /// #     ("id_dtks", col(vec!["a", "b"])),
    /// #     ("nik", col(vec!["3273015208850002", "3273015208850002"])),
    /// # ]).unwrap();
    /// use padan::compare::ComparisonKind;
    /// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
    /// assert_eq!(result.explain(0).item(ComparisonKind::Name).unwrap().level, 0); // no names: null
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn item(&self, comparison: ComparisonKind) -> Option<&ExplanationItem> {
        self.items.iter().find(|item| item.comparison == comparison)
    }

    /// A short phrase per comparison, in the items' order (e.g. `NIK beda 1 digit`): what
    /// [`Explanation::to_text`] prints before each weight.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// # let batch = RecordBatch::try_from_iter([
    /// #     ("id_dtks", col(vec!["a", "b"])),
    /// #     ("nik", col(vec!["3273015208850002", "3273015208850002"])),
    /// # ]).unwrap();
    /// use padan::explain::Language;
    /// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
    /// let phrases = result.explain(0).phrases(Language::English);
    /// assert_eq!(phrases[0], "same NIK");
    /// assert_eq!(phrases[1], "name missing in one record");
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn phrases(&self, lang: Language) -> Vec<String> {
        self.items.iter().map(|item| item_phrase(item, lang)).collect()
    }

    /// The explanation as text: a header with the two ids and the blocking rule, the prior
    /// weight, one line per comparison with its phrase and signed weight in bits (and the
    /// term-frequency part when it shows, e.g. `nama jarang: +2.1`), the total, the deterministic
    /// rule that linked the pair when one did, the probability and the decision.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// # let batch = RecordBatch::try_from_iter([
    /// #     ("id_dtks", col(vec!["3273015208850002", "3273015208850003"])),
    /// #     ("nik", col(vec!["3273015208850002", "3273015208850002"])),
    /// # ]).unwrap();
    /// use padan::explain::Language;
    /// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
    /// let text = result.explain(0).to_text(Language::Indonesian);
    /// assert!(text.contains("NIK sama") && text.contains("bobot awal"));
    /// assert!(text.contains("3273 **** **** 0002")); // an id that looks like a NIK is masked
    /// assert!(!text.contains("3273015208850002"));
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn to_text(&self, lang: Language) -> String {
        let l = |id: &'static str, en: &'static str| lang.pick(id, en);
        let mut rows: Vec<(String, f64, String)> = Vec::with_capacity(self.items.len() + 2);
        rows.push((l("bobot awal (prior)", "prior weight").to_string(), self.prior_weight, String::new()));
        for (item, phrase) in self.items.iter().zip(self.phrases(lang)) {
            let mut note = String::new();
            if item.tf_adjustment.abs() >= 0.05 {
                let _ = write!(
                    note,
                    "  ({}: {})",
                    tf_phrase(item.comparison, item.tf_adjustment, item.tf_by_parts, lang),
                    bits(item.tf_adjustment)
                );
            }
            rows.push((phrase, item.weight, note));
        }
        let total = l("jumlah bobot", "total weight").to_string();
        let width =
            rows.iter().map(|r| r.0.chars().count()).chain([total.chars().count()]).max().unwrap_or(0);
        let mut text = String::new();
        let _ = writeln!(
            text,
            "{} {} – {} ({}: {})",
            l("Pasangan", "Pair"),
            shown_id(&self.id_l),
            shown_id(&self.id_r),
            l("aturan blok", "blocking rule"),
            self.blocking_rule
        );
        for (phrase, weight, note) in &rows {
            let _ = writeln!(text, "  {}{} {:>6}{note}", phrase, pad(phrase, width), bits(*weight));
        }
        let _ = writeln!(text, "  {}{} {:>6} bit", total, pad(&total, width), bits(self.match_weight));
        if let Some(rule) = &self.deterministic_rule {
            let _ = writeln!(
                text,
                "  {} `{rule}` {}",
                l("ditautkan oleh aturan pasti", "linked by the deterministic rule"),
                l("(tanpa melihat skor)", "(regardless of the score)")
            );
        }
        let _ = write!(
            text,
            "  {} {}: {}",
            l("peluang cocok", "match probability"),
            percent(self.match_probability),
            decision_text(self.decision, lang)
        );
        if self.possible_second_nik {
            let _ = write!(
                text,
                " ({})",
                l(
                    "NIK berbeda, tetapi nama, tanggal lahir dan nama ibu kandung sama: mungkin satu \
                     orang dengan dua NIK; selalu diperiksa petugas, tidak pernah digabung otomatis",
                    "different NIKs, but the same name, birth date and mother's name: possibly one \
                     person with two NIKs; always reviewed by a person, never linked automatically",
                )
            );
        }
        text
    }
}

impl std::fmt::Display for Explanation {
    /// The Indonesian text ([`Explanation::to_text`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_text(Language::Indonesian))
    }
}

/// Spaces that pad `s` to `width` characters.
fn pad(s: &str, width: usize) -> String {
    " ".repeat(width.saturating_sub(s.chars().count()))
}

/// A weight in bits with its sign, one decimal: `+12.4`, `-1.3`, `0.0`.
fn bits(weight: f64) -> String {
    if weight.abs() < 0.05 { "0.0".to_string() } else { format!("{weight:+.1}") }
}

/// A probability as a percentage that never rounds to a certainty it is not.
fn percent(p: f64) -> String {
    let pct = p * 100.0;
    if pct > 99.99 && p < 1.0 {
        "> 99.99%".to_string()
    } else if pct < 0.01 && p > 0.0 {
        "< 0.01%".to_string()
    } else {
        format!("{pct:.2}%")
    }
}

/// An id for display: a 16-digit number (a NIK or KK used as id) is masked.
pub(crate) fn shown_id(id: &str) -> String {
    if id.len() == 16 && id.bytes().all(|b| b.is_ascii_digit()) {
        mask_digits(id.as_bytes())
    } else {
        id.to_string()
    }
}

fn decision_text(decision: Decision, lang: Language) -> &'static str {
    match decision {
        Decision::Match => lang.pick("cocok", "match"),
        Decision::Review => lang.pick("perlu diperiksa", "review"),
        Decision::NonMatch => lang.pick("tidak cocok", "non-match"),
    }
}

/// What the comparison is about, as the subject of a phrase.
fn subject(kind: ComparisonKind, lang: Language) -> &'static str {
    match kind {
        ComparisonKind::Nik => "NIK",
        ComparisonKind::Name => lang.pick("nama", "name"),
        ComparisonKind::BirthDate => lang.pick("tanggal lahir", "birth date"),
        ComparisonKind::Address => lang.pick("alamat", "address"),
        ComparisonKind::Sex => lang.pick("jenis kelamin", "sex"),
        ComparisonKind::MotherName => lang.pick("nama ibu kandung", "mother's name"),
        ComparisonKind::Household => lang.pick("KK", "household"),
    }
}

/// The term-frequency part's phrase: a rare or common name (as a whole or by its parts), a small
/// or large village.
fn tf_phrase(kind: ComparisonKind, adjustment: f64, by_parts: bool, lang: Language) -> &'static str {
    match (kind, adjustment > 0.0, by_parts) {
        (ComparisonKind::Address, true, _) => lang.pick("desa kecil", "small village"),
        (ComparisonKind::Address, false, _) => lang.pick("desa besar", "large village"),
        (_, true, true) => lang.pick("nama jarang menurut kata-katanya", "name rare by its parts"),
        (_, false, true) => lang.pick("nama umum menurut kata-katanya", "name common by its parts"),
        (_, true, false) => lang.pick("nama jarang", "rare name"),
        (_, false, false) => lang.pick("nama umum", "common name"),
    }
}

/// The phrase of one item, with the reason when it was absorbed.
fn item_phrase(item: &ExplanationItem, lang: Language) -> String {
    let phrase = level_phrase(item.comparison, item.level, &item.label, lang);
    match (item.absorbed, item.absorbed_by) {
        (true, Some(by)) => {
            let by = subject(by, lang);
            match lang {
                Language::Indonesian => format!("{phrase} (sudah dihitung dalam {by})"),
                Language::English => format!("{phrase} (already counted in the {by} level)"),
            }
        }
        (true, None) => format!("{phrase} ({})", lang.pick("sudah dihitung", "already counted")),
        (false, _) => phrase,
    }
}

/// A short human phrase for a comparison at a level.
fn level_phrase(kind: ComparisonKind, level: u8, label: &str, lang: Language) -> String {
    use ComparisonKind::*;
    if level == 0 {
        let what = subject(kind, lang);
        return match lang {
            Language::Indonesian => format!("{what} kosong di salah satu catatan"),
            Language::English => format!("{what} missing in one record"),
        };
    }
    if kind == Name
        && let Some(threshold) = label.strip_prefix("jaro_winkler_")
    {
        return match lang {
            Language::Indonesian => format!("nama mirip (Jaro-Winkler ≥ {threshold})"),
            Language::English => format!("similar name (Jaro-Winkler ≥ {threshold})"),
        };
    }
    let (id, en) = match (kind, label) {
        (Nik, "exact") => ("NIK sama", "same NIK"),
        (Nik, "excel_truncated") => ("digit ke-16 NIK hilang (Excel)", "16th NIK digit lost (Excel)"),
        (Nik, "transposition") => ("dua digit NIK bertukar tempat", "two adjacent NIK digits swapped"),
        (Nik, "one_substitution") => ("NIK beda 1 digit", "NIK differs in 1 digit"),
        (Nik, "one_edit") => ("NIK beda 1 digit atau 2 digit bertukar", "NIK differs by 1 digit or a swap"),
        (Nik, "twin_pattern") => {
            ("NIK satu batch (kembar?), nama sama", "NIKs of one batch (twins?), same name")
        }
        (Nik, "sibling_pattern") => (
            "NIK satu batch, nama beda: kemungkinan saudara kembar",
            "NIKs of one batch, different names: probably twin siblings",
        ),
        (Nik, "region_digit_substitution") => {
            ("NIK beda 1 digit kode wilayah", "NIK differs in 1 region-code digit")
        }
        (Nik, "else") => ("NIK berbeda", "different NIK"),
        (Name, "exact") => ("nama sama setelah normalisasi", "same name after normalisation"),
        (Name, "same_tokens_or_joined") => {
            ("kata nama sama, urutan atau spasi beda", "same name words, reordered or joined")
        }
        (Name, "phonetic") => ("nama sama bunyinya (ejaan beda)", "names sound the same (spelling differs)"),
        (Name, "close_spelling") => ("ejaan nama sedikit beda", "name spelled slightly differently"),
        (Name, "initials") => ("nama dengan inisial/singkatan", "name with initials"),
        (Name, "similar") => ("nama mirip", "similar name"),
        (Name, "nickname") => ("nama panggilan", "nickname"),
        (Name, "birth_order_conflict") => {
            ("nama urutan lahir beda (Bali): saudara", "different Balinese birth-order names: siblings")
        }
        (Name, "else") => ("nama berbeda", "different name"),
        (BirthDate, "exact") => ("tanggal lahir sama", "same birth date"),
        (BirthDate, "exact_placeholder") => (
            "tanggal lahir sama, tetapi tanggal pengganti (1 Jul/31 Des/1 Jan/tgl 15)",
            "same birth date, but a placeholder date (1 Jul/31 Dec/1 Jan/15th)",
        ),
        (BirthDate, "day_month_swapped") => {
            ("tanggal dan bulan lahir tertukar", "day and month of birth swapped")
        }
        (BirthDate, "year_off_by_one") => {
            ("tanggal dan bulan lahir sama, tahun beda 1", "same day and month of birth, year off by one")
        }
        (BirthDate, "one_digit") => ("tanggal lahir beda 1 digit", "birth date differs in one digit"),
        (BirthDate, "default_date") => (
            "satu tanggal lahir tanggal bawaan (1 Jan/1 Jul/31 Des), tahun sama",
            "one birth date is a default (1 Jan/1 Jul/31 Dec), same year",
        ),
        (BirthDate, "two_of_three_parts") => {
            ("2 dari 3 bagian tanggal lahir sama", "2 of 3 parts of the birth date agree")
        }
        (BirthDate, "same_year") => ("tahun lahir sama", "same birth year"),
        (BirthDate, "else") => ("tanggal lahir berbeda", "different birth date"),
        (Address, "same_rt_rw_village") => ("RT/RW dan desa/kelurahan sama", "same RT/RW and village"),
        (Address, "same_street_village") => ("jalan dan desa/kelurahan sama", "same street and village"),
        (Address, "same_village") => ("desa/kelurahan sama", "same village"),
        (Address, "same_district") => ("kecamatan sama", "same district"),
        (Address, "else") => ("alamat berbeda", "different address"),
        (Sex, "same") => ("jenis kelamin sama", "same sex"),
        (Sex, "different") => ("jenis kelamin beda", "different sex"),
        (MotherName, "exact") => ("nama ibu kandung sama", "same mother's name"),
        (MotherName, "similar") => {
            ("nama ibu kandung mirip (ejaan beda)", "similar mother's name (spelling differs)")
        }
        (MotherName, "else") => ("nama ibu kandung berbeda", "different mother's name"),
        (Household, "same_kk_same_role") => {
            ("KK sama, hubungan keluarga sama", "same KK, same relationship to the head")
        }
        (Household, "same_kk") => ("KK sama", "same KK"),
        (Household, "same_kk_other_role") => (
            "KK sama, hubungan keluarga beda: dua anggota keluarga",
            "same KK, different relationships to the head: two family members",
        ),
        (Household, "else") => ("KK berbeda", "different KK"),
        _ => return format!("{}: {label}", subject(kind, lang)),
    };
    lang.pick(id, en).to_string()
}

/// The record ids as text (`""` for a null id), cast once for lookups by row.
pub(crate) fn id_texts(id: &ArrayRef) -> Result<StringArray> {
    let cast = arrow_cast::cast(id, &DataType::Utf8)?;
    cast.as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| Error::Internal(format!("cast of the id column to Utf8 gave {}", cast.data_type())))
}

fn id_text(ids: &StringArray, row: usize) -> String {
    if ids.is_null(row) { String::new() } else { ids.value(row).to_string() }
}

impl DedupeResult {
    /// The explanation of candidate pair `pair` (an index into [`DedupeResult::pairs`]).
    ///
    /// # Panics
    ///
    /// When `pair` is not below the number of candidate pairs.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// # let batch = RecordBatch::try_from_iter([
    /// #     ("id_dtks", col(vec!["a", "b"])),
    /// #     ("nik", col(vec!["3273015208850002", "3273015208850002"])),
    /// # ]).unwrap();
    /// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
    /// let e = result.explain(0);
    /// assert_eq!((e.id_l.as_str(), e.id_r.as_str(), e.blocking_rule.as_str()), ("a", "b", "nik"));
    /// assert_eq!(e.match_weight, result.scores.match_weight[0]);
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn explain(&self, pair: usize) -> Explanation {
        assert!(pair < self.pairs.len(), "pair {pair} out of range ({} candidate pairs)", self.pairs.len());
        let id = |row: u32| {
            let slice = self.prepared.id.slice(row as usize, 1);
            id_texts(&slice).map(|ids| id_text(&ids, 0)).unwrap_or_else(|_| format!("#{row}"))
        };
        let tables = self.scoring_tables();
        self.explain_with(pair, id(self.pairs.left[pair]), id(self.pairs.right[pair]), &tables)
    }

    /// The explanation of the candidate pair of the records with ids `id_l` and `id_r` (in
    /// either order; the explanation keeps the pair's own order), or `None` when the two were
    /// never blocked together (or an id is not in the input). Ids are compared as text, so an
    /// integer id `17` is looked up as `"17"`.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
    /// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// let batch = RecordBatch::try_from_iter([
    ///     ("id_dtks", Arc::new(Int64Array::from(vec![17, 18, 19])) as ArrayRef),
    ///     ("nik", col(vec!["3273015208850002", "3273015208850002", "3578036505900017"])),
    /// ]).unwrap();
    /// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
    /// assert_eq!(result.explain_ids("18", "17").unwrap().id_l, "17");
    /// assert!(result.explain_ids("17", "19").is_none()); // not blocked together
    /// assert!(result.explain_ids("17", "99").is_none()); // no such record
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn explain_ids(&self, id_l: &str, id_r: &str) -> Option<Explanation> {
        let ids = id_texts(&self.prepared.id).ok()?;
        // Bit 0: the record has id_l; bit 1: it has id_r.
        let flags: Vec<u8> = (0..ids.len())
            .map(|row| {
                let text = if ids.is_null(row) { "" } else { ids.value(row) };
                u8::from(text == id_l) | (u8::from(text == id_r) << 1)
            })
            .collect();
        if !flags.iter().any(|f| f & 1 != 0) || !flags.iter().any(|f| f & 2 != 0) {
            return None;
        }
        let pair = (0..self.pairs.len()).find(|k| {
            let (a, b) = (flags[self.pairs.left[*k] as usize], flags[self.pairs.right[*k] as usize]);
            (a & 1 != 0 && b & 2 != 0) || (a & 2 != 0 && b & 1 != 0)
        })?;
        let tables = self.scoring_tables();
        let (l, r) = (self.pairs.left[pair] as usize, self.pairs.right[pair] as usize);
        Some(self.explain_with(pair, id_text(&ids, l), id_text(&ids, r), &tables))
    }

    /// Explanations of the pairs in the pairs output ([`DedupeResult::pairs_table`]'s rows, same
    /// order), as an Arrow table for review lists: `id_l`, `id_r` (the input's id type),
    /// `match_probability`, `decision` and `explanation` (the text of
    /// [`Explanation::to_text`]).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// # let batch = RecordBatch::try_from_iter([
    /// #     ("id_dtks", col(vec!["a", "b"])),
    /// #     ("nik", col(vec!["3273015208850002", "3273015208850002"])),
    /// #     ("nama", col(vec!["Dewi Lestari", "DEWI LESTARI"])),
    /// #     ("tanggal_lahir", col(vec!["1985-08-12", "1985-08-12"])),
    /// # ]).unwrap();
    /// use arrow_array::Array;
    /// use padan::explain::Language;
    /// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
    /// let table = result.explanations_table(Language::English)?;
    /// assert_eq!(table.num_rows(), 1);
    /// assert_eq!(table.num_rows(), result.pairs_table()?.num_rows());
    /// let text = table.column_by_name("explanation").unwrap().as_any().downcast_ref::<StringArray>().unwrap();
    /// assert!(text.value(0).contains("same NIK"));
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn explanations_table(&self, lang: Language) -> Result<RecordBatch> {
        let keep = self.written_pairs();
        let ids = id_texts(&self.prepared.id)?;
        // Built once for every pair, not once per pair.
        let tables = self.scoring_tables();
        let texts: Vec<String> = keep
            .par_iter()
            .map(|k| {
                let (l, r) = (self.pairs.left[*k] as usize, self.pairs.right[*k] as usize);
                self.explain_with(*k, id_text(&ids, l), id_text(&ids, r), &tables).to_text(lang)
            })
            .collect();
        let take = |rows: &[u32]| -> Result<ArrayRef> {
            let indices = UInt32Array::from(keep.iter().map(|k| rows[*k]).collect::<Vec<u32>>());
            Ok(arrow_select::take::take(&self.prepared.id, &indices, None)?)
        };
        Ok(RecordBatch::try_from_iter([
            ("id_l", take(&self.pairs.left)?),
            ("id_r", take(&self.pairs.right)?),
            (
                "match_probability",
                Arc::new(Float64Array::from_iter_values(
                    keep.iter().map(|k| self.scores.match_probability[*k]),
                )) as ArrayRef,
            ),
            (
                "decision",
                Arc::new(StringArray::from_iter_values(keep.iter().map(|k| self.decisions[*k].as_str()))),
            ),
            ("explanation", Arc::new(StringArray::from(texts))),
        ])?)
    }

    /// The term-frequency columns and the model's weight lookup that [`Self::explain_with`]
    /// reads.
    fn scoring_tables(&self) -> (Vec<Vec<Option<&[f32]>>>, model::WeightLookup) {
        (model::tf_columns(&self.comparisons, self.tf.as_ref()), model::WeightLookup::new(&self.model))
    }

    fn explain_with(
        &self,
        pair: usize,
        id_l: String,
        id_r: String,
        (tf, lookup): &(Vec<Vec<Option<&[f32]>>>, model::WeightLookup),
    ) -> Explanation {
        let n = self.comparisons.len();
        let row = &self.levels[pair * n..(pair + 1) * n];
        let (i, j) = (self.pairs.left[pair] as usize, self.pairs.right[pair] as usize);
        let params = &self.model.comparisons;
        let level_params = |c: usize| params.get(c).and_then(|p| p.levels.get(row[c] as usize));
        let absorbed = lookup.absorbed(row);
        let items = self
            .model
            .contributions_with(lookup, row, tf, i, j)
            .enumerate()
            .map(|(c, part)| {
                let kind = self.comparisons.kinds[c];
                let absorbed_by = lookup
                    .absorber(row, absorbed, c)
                    .and_then(|other| self.comparisons.kinds.get(other).copied());
                ExplanationItem {
                    comparison: kind,
                    level: row[c],
                    label: level_params(c).map_or_else(|| format!("level_{}", row[c]), |l| l.label.clone()),
                    level_weight: part.level_weight,
                    tf_adjustment: part.tf_adjustment,
                    tf_by_parts: kind == ComparisonKind::Name
                        && part.tf_adjustment != 0.0
                        && self.tf.as_ref().is_some_and(|tf| tf.name_by_parts(i, j)),
                    absorbed: part.absorbed,
                    absorbed_by,
                    weight: part.level_weight + part.tf_adjustment,
                }
            })
            .collect();
        Explanation {
            id_l,
            id_r,
            blocking_rule: self
                .config()
                .blocking
                .get(self.pairs.rule[pair] as usize)
                .map_or_else(String::new, |rule| rule.name.clone()),
            prior_weight: self.model.prior_weight(),
            items,
            match_weight: self.scores.match_weight[pair],
            match_probability: self.scores.match_probability[pair],
            decision: self.decisions[pair],
            deterministic_rule: self.link_rule(pair).map(str::to_string),
            possible_second_nik: self.config().review_possible_second_nik
                && self.comparisons.possible_second_nik().is_some_and(|rule| rule.applies(row)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Deduper};
    use arrow_array::cast::AsArray;

    fn has_sixteen_digits(text: &str) -> bool {
        let mut run = 0;
        for b in text.bytes() {
            run = if b.is_ascii_digit() { run + 1 } else { 0 };
            if run >= 16 {
                return true;
            }
        }
        false
    }

    fn run(columns: &[(&str, Vec<&str>)]) -> DedupeResult {
        let batch = RecordBatch::try_from_iter(
            columns
                .iter()
                .map(|(name, values)| (*name, Arc::new(StringArray::from(values.clone())) as ArrayRef)),
        )
        .unwrap();
        Deduper::new(Config::default()).unwrap().run_batches(&batch.schema(), &[batch]).unwrap()
    }

    #[test]
    fn every_explanation_of_a_synthetic_run_sums_to_the_score() {
        let data =
            crate::synth::generate(&crate::synth::SynthOptions { rows: 3000, seed: 5, duplicate_rate: 0.15 });
        let result = Deduper::new(Config::default())
            .unwrap()
            .run_batches(&data.records.schema(), std::slice::from_ref(&data.records))
            .unwrap();
        assert!(result.pairs.len() > 300, "{} pairs", result.pairs.len());
        let (mut absorbed, mut adjusted, mut by_parts) = (0, 0, 0);
        let explanations: Vec<Explanation> = (0..result.pairs.len()).map(|k| result.explain(k)).collect();
        for (k, e) in explanations.iter().enumerate() {
            let sum = e.prior_weight + e.items.iter().map(|item| item.weight).sum::<f64>();
            assert!((sum - result.scores.match_weight[k]).abs() < 1e-9, "pair {k}: {sum} vs {e:?}");
            assert_eq!(e.match_probability, result.scores.match_probability[k]);
            assert_eq!(e.decision, result.decisions[k]);
            let indonesian = e.to_text(Language::Indonesian);
            let english = e.to_text(Language::English);
            let absorbed_here = e.items.iter().filter(|item| item.absorbed).count();
            for item in &e.items {
                assert_eq!(item.weight, item.level_weight + item.tf_adjustment);
                if item.absorbed {
                    assert_eq!((item.weight, item.level_weight, item.tf_adjustment), (0.0, 0.0, 0.0));
                    // The NIK absorbs the birth date and sex it encodes; the household the
                    // address and mother its members share. An absorbed level never absorbs.
                    let by = item.absorbed_by.expect("an absorbed item names its absorber");
                    assert!(matches!(by, ComparisonKind::Nik | ComparisonKind::Household), "{e:?}");
                    assert!(!e.items.iter().any(|other| other.comparison == by && other.absorbed), "{e:?}");
                }
                adjusted += usize::from(item.tf_adjustment != 0.0);
                if item.tf_by_parts {
                    by_parts += 1;
                    assert!(item.comparison == ComparisonKind::Name && item.tf_adjustment != 0.0, "{item:?}");
                    if item.tf_adjustment.abs() >= 0.05 {
                        assert!(indonesian.contains("menurut kata-katanya"), "{indonesian}");
                        assert!(english.contains("by its parts"), "{english}");
                    }
                }
            }
            absorbed += absorbed_here;
            let by = |kind| e.items.iter().filter(|item| item.absorbed_by == Some(kind)).count();
            let (by_nik, by_household) = (by(ComparisonKind::Nik), by(ComparisonKind::Household));
            assert_eq!(by_nik + by_household, absorbed_here, "{e:?}");
            assert_eq!(indonesian.matches("sudah dihitung dalam NIK").count(), by_nik, "{indonesian}");
            assert_eq!(indonesian.matches("sudah dihitung dalam KK").count(), by_household, "{indonesian}");
            assert_eq!(english.matches("already counted in the NIK level").count(), by_nik, "{english}");
            assert_eq!(
                english.matches("already counted in the household level").count(),
                by_household,
                "{english}"
            );
            // Header, prior, one line per comparison, total, probability.
            assert_eq!(indonesian.lines().count(), e.items.len() + 4, "{indonesian}");
            for text in [&indonesian, &english] {
                assert!(!has_sixteen_digits(text), "{text}");
            }
        }
        assert!(absorbed > 100 && adjusted > 100, "absorbed {absorbed}, tf-adjusted {adjusted}");
        // Some names are made of tokens common enough to set their adjustment (a few at 3,000
        // rows): the flag reaches the explanation.
        assert!(by_parts > 0, "{by_parts} name adjustments set by the tokens");

        // The pairs table's weight_ columns are the items' weights, row for row.
        let pairs = result.pairs_table().unwrap();
        let written = result.written_pairs();
        assert_eq!(pairs.num_rows(), written.len());
        for (c, kind) in result.comparisons.kinds.iter().enumerate() {
            let column = pairs.column_by_name(&format!("weight_{}", kind.name())).unwrap();
            let weights = column.as_primitive::<arrow_array::types::Float64Type>();
            for (row, k) in written.iter().enumerate() {
                assert_eq!(weights.value(row), explanations[*k].items[c].weight, "pair {k} {kind:?}");
            }
        }

        // The explanations table: the same rows as the pairs table, the texts of explain().
        let table = result.explanations_table(Language::English).unwrap();
        assert_eq!(table.num_rows(), pairs.num_rows());
        for name in ["id_l", "id_r", "match_probability", "decision"] {
            assert_eq!(table.column_by_name(name).unwrap(), pairs.column_by_name(name).unwrap(), "{name}");
        }
        let texts = table.column_by_name("explanation").unwrap().as_string::<i32>();
        for (row, k) in written.iter().enumerate() {
            assert_eq!(texts.value(row), explanations[*k].to_text(Language::English));
        }
        // Ids found by explain_ids are the pair's.
        let e = &explanations[written[0]];
        assert_eq!(result.explain_ids(&e.id_r, &e.id_l).as_ref(), Some(e));
    }

    #[test]
    fn hand_made_pairs_read_as_expected() {
        let result = run(&[
            ("id_dtks", vec!["A", "B", "C", "D", "E"]),
            // A/B differ in digit 10 (the birth month); C/D are one SIAK batch (serial differs).
            ("nik", vec!["3273015208850002", "3273015209850002", "3578030101900003", "3578030101900004", ""]),
            ("nama", vec!["Dewi Lestari", "DEWI  LESTARI", "Hasan Basri", "Rudi Hartono", "Ratna Sari"]),
            ("tanggal_lahir", vec!["1985-08-12", "12-08-1985", "1990-01-01", "1990-01-01", "1970-07-01"]),
        ]);
        let ab = result.explain_ids("A", "B").expect("A and B share name and birth date");
        assert_eq!(ab.item(ComparisonKind::Nik).unwrap().label, "one_substitution");
        let id = ab.to_text(Language::Indonesian);
        let en = ab.to_text(Language::English);
        assert!(id.contains("NIK beda 1 digit") && id.contains("nama sama setelah normalisasi"), "{id}");
        assert!(id.contains("Pasangan A – B") && id.contains("bobot awal (prior)"), "{id}");
        assert!(
            en.contains("NIK differs in 1 digit") && en.contains("same name after normalisation"),
            "{en}"
        );
        assert!(en.contains("total weight") && en.contains("match probability"), "{en}");
        assert_eq!(ab.to_string(), id);
        let decision = decision_text(ab.decision, Language::Indonesian);
        assert!(id.trim_end().ends_with(decision), "{id}");

        let cd = result.explain_ids("D", "C").expect("C and D share the first 12 NIK digits");
        assert_eq!((cd.id_l.as_str(), cd.id_r.as_str()), ("C", "D"));
        assert_eq!(cd.item(ComparisonKind::Nik).unwrap().label, "sibling_pattern");
        let name = cd.item(ComparisonKind::Name).unwrap();
        assert!(name.absorbed && name.weight == 0.0);
        let id = cd.to_text(Language::Indonesian);
        assert!(id.contains("NIK satu batch, nama beda: kemungkinan saudara kembar"), "{id}");
        assert!(id.contains("nama berbeda (sudah dihitung dalam NIK)"), "{id}");
        assert!(cd.to_text(Language::English).contains("different name (already counted in the NIK level)"));

        assert!(result.explain_ids("A", "C").is_none(), "never blocked together");
        assert!(result.explain_ids("A", "Z").is_none(), "no such id");
        assert!(result.explain_ids("A", "A").is_none());
    }

    #[test]
    fn phrases_cover_every_level_in_both_languages() {
        for indonesian in [true, false] {
            let comparisons = crate::compare::Comparisons::person(&[0.95, 0.88], indonesian);
            for kind in &comparisons.kinds {
                for (level, label) in comparisons.level_labels(*kind).iter().enumerate() {
                    let id = level_phrase(*kind, level as u8, label, Language::Indonesian);
                    let en = level_phrase(*kind, level as u8, label, Language::English);
                    // The fallback is `subject: label`: every known level has its own phrase.
                    for (lang, phrase) in [(Language::Indonesian, &id), (Language::English, &en)] {
                        assert_ne!(*phrase, format!("{}: {label}", subject(*kind, lang)), "{kind:?} {label}");
                    }
                    assert_ne!(id, en, "{kind:?} {label}");
                }
            }
        }
        let placeholder =
            level_phrase(ComparisonKind::BirthDate, 2, "exact_placeholder", Language::Indonesian);
        assert_eq!(placeholder, "tanggal lahir sama, tetapi tanggal pengganti (1 Jul/31 Des/1 Jan/tgl 15)");
        assert_eq!(level_phrase(ComparisonKind::Name, 7, "nickname", Language::Indonesian), "nama panggilan");
        assert_eq!(
            level_phrase(ComparisonKind::Nik, 2, "excel_truncated", Language::Indonesian),
            "digit ke-16 NIK hilang (Excel)"
        );
        assert_eq!(
            level_phrase(ComparisonKind::Nik, 5, "twin_pattern", Language::Indonesian),
            "NIK satu batch (kembar?), nama sama"
        );
        assert_eq!(
            level_phrase(ComparisonKind::Address, 0, "null", Language::Indonesian),
            "alamat kosong di salah satu catatan"
        );
    }

    #[test]
    fn numbers_are_signed_bits_and_honest_percentages() {
        assert_eq!(bits(12.44), "+12.4");
        assert_eq!(bits(-1.26), "-1.3");
        assert_eq!(bits(0.01), "0.0");
        assert_eq!(percent(0.5), "50.00%");
        assert_eq!(percent(0.999_999), "> 99.99%");
        assert_eq!(percent(1e-7), "< 0.01%");
        assert_eq!(tf_phrase(ComparisonKind::Name, 2.1, false, Language::Indonesian), "nama jarang");
        assert_eq!(tf_phrase(ComparisonKind::Name, -1.3, false, Language::Indonesian), "nama umum");
        assert_eq!(
            tf_phrase(ComparisonKind::Name, -1.3, true, Language::Indonesian),
            "nama umum menurut kata-katanya"
        );
        assert_eq!(tf_phrase(ComparisonKind::Name, 0.4, true, Language::English), "name rare by its parts");
        assert_eq!(tf_phrase(ComparisonKind::Address, 0.4, true, Language::English), "small village");
        assert_eq!(shown_id("3273015208850002"), "3273 **** **** 0002");
        assert_eq!(shown_id("DTKS0000001"), "DTKS0000001");
    }

    #[test]
    fn tf_part_is_printed_with_its_phrase() {
        let item = |tf: f64, by_parts: bool| ExplanationItem {
            comparison: ComparisonKind::Name,
            level: 1,
            label: "exact".into(),
            level_weight: 5.0,
            tf_adjustment: tf,
            tf_by_parts: by_parts,
            absorbed: false,
            absorbed_by: None,
            weight: 5.0 + tf,
        };
        let explanation = |tf: f64, by_parts: bool| Explanation {
            id_l: "1".into(),
            id_r: "2".into(),
            blocking_rule: "nik".into(),
            prior_weight: -10.0,
            items: vec![item(tf, by_parts)],
            match_weight: -5.0 + tf,
            match_probability: crate::model::probability(-5.0 + tf),
            decision: Decision::NonMatch,
            deterministic_rule: None,
            possible_second_nik: false,
        };
        let rare = explanation(2.1, false).to_text(Language::Indonesian);
        assert!(rare.contains("+7.1  (nama jarang: +2.1)"), "{rare}");
        let common = explanation(-1.3, false).to_text(Language::English);
        assert!(common.contains("+3.7  (common name: -1.3)"), "{common}");
        assert!(common.contains("-6.3 bit") && common.ends_with("non-match"), "{common}");
        let common_parts = explanation(-1.3, true).to_text(Language::Indonesian);
        assert!(common_parts.contains("+3.7  (nama umum menurut kata-katanya: -1.3)"), "{common_parts}");
        let none = explanation(0.0, false).to_text(Language::English);
        assert!(!none.contains("rare name") && !none.contains("common name"), "{none}");
    }
}
