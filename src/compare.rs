//! Compare: for every candidate pair, a small integer level per comparison.
//!
//! Level 0 is always "null" (a value missing on either side); levels 1.. run from the strongest
//! agreement to "else". Levels are stored row-major (`levels[pair * n + c]`), one byte each, so
//! a million pairs with five comparisons take 5 MB and the scorer reads them sequentially.

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::block::CandidatePairs;
use crate::config::BlockingKey;
use crate::indo::{address, name, nik};
use crate::normalize::Date;
use crate::prepare::{IdDigits, Prepared};

/// The kinds of comparison padan computes for person records.
///
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComparisonKind {
    /// NIK: exact / one substitution or one adjacent transposition / else.
    Nik,
    /// Name: exact after normalisation / Jaro-Winkler at thresholds / else.
    Name,
    /// Birth date: exact / day and month swapped / same year / else.
    BirthDate,
    /// Address: same RT + RW + village / same village / else.
    Address,
    /// Sex: same / different.
    Sex,
    /// Birth mother's name: exact after normalisation / similar / else.
    MotherName,
    /// Household: same KK with the same relationship to the head / same KK with a relationship
    /// unknown / same KK with two different relationships / another KK.
    ///
    /// Everything a household shares (address, KK, mother) says "same family", not "same
    /// person", so the same-KK levels absorb the address comparison and an agreeing mother's
    /// name; two different relationships in one KK are two people (a KK lists each member once),
    /// so that level also absorbs an agreeing NIK: a NIK shared inside one family is NIK ganda.
    Household,
}

impl ComparisonKind {
    /// Column-friendly name (`gamma_<name>` in outputs).
    pub fn name(self) -> &'static str {
        match self {
            ComparisonKind::Nik => "nik",
            ComparisonKind::Name => "name",
            ComparisonKind::BirthDate => "birth_date",
            ComparisonKind::Address => "address",
            ComparisonKind::Sex => "sex",
            ComparisonKind::MotherName => "mother_name",
            ComparisonKind::Household => "household",
        }
    }
}

/// The comparisons of a run and their settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparisons {
    /// The comparisons, in output order.
    pub kinds: Vec<ComparisonKind>,
    /// Jaro-Winkler thresholds of the generic name comparison, highest first.
    pub name_thresholds: Vec<f64>,
    /// Indonesian levels (NIK structure, name rules, placeholder dates, parsed addresses).
    pub indonesian: bool,
}

impl Comparisons {
    /// The person comparisons: NIK, name, birth date, address, sex, mother's name, household.
    ///
    /// ```
    /// use padan::compare::{ComparisonKind, Comparisons};
    /// let generic = Comparisons::person(&[0.9], false);
    /// assert_eq!(generic.level_labels(ComparisonKind::Nik), ["null", "exact", "one_edit", "else"]);
    /// assert_eq!(generic.kinds.last(), Some(&ComparisonKind::Household));
    /// assert_eq!(generic.level_labels(ComparisonKind::MotherName), ["null", "exact", "similar", "else"]);
    /// assert_eq!(
    ///     generic.level_labels(ComparisonKind::Household),
    ///     ["null", "same_kk_same_role", "same_kk", "same_kk_other_role", "else"]
    /// );
    /// let indonesian = Comparisons::person(&[0.9], true);
    /// assert_eq!(indonesian.level_labels(ComparisonKind::Nik)[5], "twin_pattern");
    /// ```
    pub fn person(name_thresholds: &[f64], indonesian: bool) -> Self {
        Self {
            kinds: vec![
                ComparisonKind::Nik,
                ComparisonKind::Name,
                ComparisonKind::BirthDate,
                ComparisonKind::Address,
                ComparisonKind::Sex,
                ComparisonKind::MotherName,
                ComparisonKind::Household,
            ],
            name_thresholds: name_thresholds.to_vec(),
            indonesian,
        }
    }

    /// Number of comparisons.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// Labels of a comparison's levels, index = level value (0 is always `null`).
    pub fn level_labels(&self, kind: ComparisonKind) -> Vec<String> {
        let fixed: &[&str] = match (kind, self.indonesian) {
            (ComparisonKind::Nik, false) => &["exact", "one_edit", "else"],
            (ComparisonKind::Nik, true) => &[
                "exact",
                "excel_truncated",
                "transposition",
                "one_substitution",
                "twin_pattern",
                "sibling_pattern",
                "region_digit_substitution",
                "else",
            ],
            (ComparisonKind::BirthDate, false) => &["exact", "day_month_swapped", "same_year", "else"],
            (ComparisonKind::BirthDate, true) => &[
                "exact",
                "exact_placeholder",
                "day_month_swapped",
                "year_off_by_one",
                "one_digit",
                "default_date",
                "two_of_three_parts",
                "else",
            ],
            (ComparisonKind::Address, false) => &["same_rt_rw_village", "same_village", "else"],
            (ComparisonKind::Address, true) => {
                &["same_rt_rw_village", "same_street_village", "same_village", "same_district", "else"]
            }
            (ComparisonKind::Sex, _) => &["same", "different"],
            (ComparisonKind::MotherName, _) => &["exact", "similar", "else"],
            (ComparisonKind::Household, _) => &["same_kk_same_role", "same_kk", "same_kk_other_role", "else"],
            (ComparisonKind::Name, true) => &[
                "exact",
                "same_tokens_or_joined",
                "phonetic",
                "close_spelling",
                "initials",
                "similar",
                "nickname",
                "birth_order_conflict",
                "else",
            ],
            (ComparisonKind::Name, false) => {
                let mut labels = vec!["null".to_string(), "exact".to_string()];
                labels.extend(self.name_thresholds.iter().map(|t| format!("jaro_winkler_{t}")));
                labels.push("else".into());
                return labels;
            }
        };
        std::iter::once("null").chain(fixed.iter().copied()).map(str::to_string).collect()
    }

    /// Level of one comparison for records `i` and `j`.
    pub fn level(&self, kind: ComparisonKind, p: &Prepared, i: usize, j: usize) -> u8 {
        self.level_of(kind, p, &ComparisonRow::of(p, i), &ComparisonRow::of(p, j))
    }

    /// Level of one comparison for two records' [`ComparisonRow`]s (rows of `p`).
    pub(crate) fn level_of(
        &self,
        kind: ComparisonKind,
        p: &Prepared,
        a: &ComparisonRow,
        b: &ComparisonRow,
    ) -> u8 {
        match kind {
            ComparisonKind::Nik => match (&a.nik, &b.nik) {
                (Some(nik_a), Some(nik_b)) if self.indonesian => indonesian_nik_level(p, a, b, nik_a, nik_b),
                (Some(nik_a), Some(nik_b)) => nik_level(nik_a, nik_b),
                _ => 0,
            },
            ComparisonKind::Name => {
                let (ca, cb) = (a.name, b.name);
                if ca == 0 || cb == 0 {
                    0
                } else if !self.indonesian {
                    name_level(p.name.value(ca), p.name.value(cb), &self.name_thresholds)
                } else if let Some(features) = p.name_features.get() {
                    features.name.compare(ca as usize, cb as usize) as u8
                } else {
                    name::compare_names(p.name.value(ca), p.name.value(cb)) as u8
                }
            }
            ComparisonKind::BirthDate => match (a.birth_date, b.birth_date) {
                (Some(date_a), Some(date_b)) if self.indonesian => indonesian_date_level(date_a, date_b),
                (Some(date_a), Some(date_b)) => date_level(date_a, date_b),
                _ => 0,
            },
            ComparisonKind::Address => {
                let (va, vb) = (a.village, b.village);
                if va == 0 || vb == 0 {
                    0
                } else if self.indonesian {
                    let parts = |r: &ComparisonRow| address::AddressParts {
                        village: Some(&*p.village_keys[r.village as usize]),
                        district: Some(&*p.district_keys[r.district as usize]).filter(|d| !d.is_empty()),
                        rt: r.rt,
                        rw: r.rw,
                        street: Some(p.street.value(r.street)).filter(|s| !s.is_empty()),
                        number: Some(p.house_number.value(r.house_number)).filter(|s| !s.is_empty()),
                    };
                    let (parts_a, parts_b) = (parts(a), parts(b));
                    // Most candidate pairs live in one village: equal ids are equal keys, which
                    // `compare_addresses` would find equal after normalising both.
                    if va == vb
                        && a.district == b.district
                        && address::names_a_place(&p.village_keys[va as usize])
                    {
                        address::compare_within_village(&parts_a, &parts_b) as u8
                    } else {
                        address::compare_addresses(&parts_a, &parts_b) as u8
                    }
                } else if va != vb {
                    3
                } else if a.rt.is_some() && a.rt == b.rt && a.rw.is_some() && a.rw == b.rw {
                    1
                } else {
                    2
                }
            }
            ComparisonKind::Sex => match (a.sex, b.sex) {
                (0, _) | (_, 0) => 0,
                (x, y) if x == y => 1,
                _ => 2,
            },
            ComparisonKind::MotherName => match p.name_features.get() {
                Some(features) if self.indonesian => {
                    let (ca, cb) = (a.mother_name, b.mother_name);
                    if ca == 0 || cb == 0 {
                        0
                    } else {
                        mother_level(features.mother_name.compare_up_to(
                            ca as usize,
                            cb as usize,
                            name::NameLevel::CloseSpelling,
                        ))
                    }
                }
                _ => mother_name_level(
                    p.mother_name.value(a.mother_name),
                    p.mother_name.value(b.mother_name),
                    self.indonesian,
                    &self.name_thresholds,
                ),
            },
            ComparisonKind::Household => household_level(a.household, a.relation, b.household, b.relation),
        }
    }

    /// Builds the per-distinct-name facts that the Indonesian name comparisons read, unless they
    /// are built already (the pipeline builds them while it blocks).
    pub(crate) fn build_name_features(&self, prepared: &Prepared) {
        if self.indonesian
            && self.kinds.iter().any(|k| matches!(k, ComparisonKind::Name | ComparisonKind::MotherName))
        {
            prepared.name_features.build(prepared);
        }
    }

    /// Levels for every candidate pair, row-major.
    ///
    /// With the Indonesian rules, the per-distinct-name facts of the names and mothers' names
    /// are built here first and kept in `prepared`, so later [`Comparisons::level`] calls on
    /// the same records (the u sample of training) use them too.
    pub fn compare_all(&self, prepared: &Prepared, pairs: &CandidatePairs) -> Vec<u8> {
        self.build_name_features(prepared);
        let records = prepared.comparison_rows.get_or_build(prepared);
        let n = self.len();
        let mut levels = vec![0u8; pairs.len() * n];
        levels.par_chunks_mut(n * 4096).enumerate().for_each(|(chunk, out)| {
            let first = chunk * 4096;
            for (k, row) in out.chunks_mut(n).enumerate() {
                let (a, b) =
                    (&records[pairs.left[first + k] as usize], &records[pairs.right[first + k] as usize]);
                for (slot, kind) in row.iter_mut().zip(&self.kinds) {
                    *slot = self.level_of(*kind, prepared, a, b);
                }
            }
        });
        levels
    }
}

/// The comparisons a blocking rule fixes, left out of the rule's EM session: pairs that must
/// agree on a key say nothing about how often matches agree on it.
///
/// The 12-digit NIK prefix encodes the district of registration, the birth date and the sex, so
/// it fixes those three (the address at least to the district); it does not fix the NIK
/// comparison, whose levels (exact, typo, twin, sibling) still vary inside its blocks. Leaving
/// the address or the household in would let EM mistake households (twins share an address
/// and a KK) for persons; the mother's name is left out for the same reason (twins share a
/// mother), and so in KK blocks, where children of one household share her.
///
/// ```
/// use padan::compare::{left_out_by, ComparisonKind};
/// use padan::config::BlockingKey;
/// assert_eq!(
///     left_out_by(&[BlockingKey::NameKey, BlockingKey::BirthDate], true),
///     [ComparisonKind::Name, ComparisonKind::BirthDate]
/// );
/// assert_eq!(
///     left_out_by(&[BlockingKey::NikPrefix12], true),
///     [
///         ComparisonKind::BirthDate,
///         ComparisonKind::Sex,
///         ComparisonKind::Address,
///         ComparisonKind::MotherName,
///         ComparisonKind::Household
///     ]
/// );
/// assert_eq!(left_out_by(&[BlockingKey::Kk], true), [ComparisonKind::MotherName, ComparisonKind::Household]);
/// ```
pub fn left_out_by(keys: &[BlockingKey], indonesian: bool) -> Vec<ComparisonKind> {
    let mut out = Vec::new();
    for key in keys {
        let fixed: &[ComparisonKind] = match key {
            // Every pair of these rules has NIKs one typo (or twin serial) apart.
            BlockingKey::Nik | BlockingKey::NikOneEdit => &[ComparisonKind::Nik],
            BlockingKey::NikPrefix12 if indonesian => &[
                ComparisonKind::BirthDate,
                ComparisonKind::Sex,
                ComparisonKind::Address,
                ComparisonKind::MotherName,
                ComparisonKind::Household,
            ],
            // Without the twin and sibling levels, a NIK that differs only in the serial reads
            // as a typo and EM would learn that households are persons: leave the NIK out too.
            BlockingKey::NikPrefix12 => &[
                ComparisonKind::Nik,
                ComparisonKind::BirthDate,
                ComparisonKind::Sex,
                ComparisonKind::Address,
                ComparisonKind::MotherName,
                ComparisonKind::Household,
            ],
            BlockingKey::NameKey => &[ComparisonKind::Name],
            BlockingKey::BirthDate if indonesian => &[ComparisonKind::BirthDate],
            // Same reason: among people born the same day, a one-digit NIK difference is
            // mostly the serial of a twin, which the generic NIK levels call a typo.
            BlockingKey::BirthDate => &[ComparisonKind::BirthDate, ComparisonKind::Nik],
            // A household lives at one address: pairs of one place share it too often for EM to
            // read it as a person's agreement.
            BlockingKey::Village | BlockingKey::RtRwVillage => {
                &[ComparisonKind::Address, ComparisonKind::Household]
            }
            BlockingKey::Sex => &[ComparisonKind::Sex],
            // Children of one household share their mother: within a KK her name says little.
            BlockingKey::Kk => &[ComparisonKind::MotherName, ComparisonKind::Household],
            // Year and district agreement leave every comparison free to vary.
            BlockingKey::BirthYear | BlockingKey::District => &[],
        };
        for kind in fixed {
            if !out.contains(kind) {
                out.push(*kind);
            }
        }
    }
    out
}

/// Mother's-name level: 1 exact after normalisation, 2 similar, 3 else; 0 when either name is
/// missing.
///
/// With the Indonesian rules, "similar" is a spelling-level agreement of the name comparison
/// (same tokens reordered or joined, the same phonetic key, a close spelling): a mother's name is
/// often written from memory (Painem / Paenem, Sitti / Siti). Looser name levels (initials, one
/// shared token, a nickname) are "else": Siti Aminah and Siti Maryam share a token, not a mother.
/// Without the rules, "similar" is Jaro-Winkler at the first name threshold.
///
/// ```
/// use padan::compare::mother_name_level;
/// assert_eq!(mother_name_level("PAINEM", "PAINEM", true, &[0.95]), 1);
/// assert_eq!(mother_name_level("SITI AMINAH", "AMINAH SITI", true, &[0.95]), 2);
/// assert_eq!(mother_name_level("SITI AMINAH", "SITI MARYAM", true, &[0.95]), 3);
/// assert_eq!(mother_name_level("PAINEM", "SUMARNI", false, &[0.95]), 3);
/// assert_eq!(mother_name_level("", "PAINEM", true, &[0.95]), 0);
/// ```
pub fn mother_name_level(a: &str, b: &str, indonesian: bool, name_thresholds: &[f64]) -> u8 {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if indonesian {
        mother_level(Some(name::compare_names(a, b)).filter(|level| *level <= name::NameLevel::CloseSpelling))
    } else {
        match name_thresholds.first() {
            _ if a == b => 1,
            Some(threshold) if strsim::jaro_winkler(a, b) >= *threshold => 2,
            _ => 3,
        }
    }
}

/// Indonesian mother's-name level from the name level when it is at most
/// [`name::NameLevel::CloseSpelling`] (`None` otherwise).
fn mother_level(spelling: Option<name::NameLevel>) -> u8 {
    match spelling {
        Some(name::NameLevel::Exact) => 1,
        Some(_) => 2,
        None => 3,
    }
}

/// What the comparisons read of one record, gathered into one cache line.
///
/// Candidate pairs, and the random pairs of the u sample above all, meet records in no useful
/// order: read from [`Prepared`]'s columns, a pair's levels cost a cache miss per column and
/// record, about a dozen a record. From this row they cost one.
#[derive(Debug, Clone, Copy)]
#[repr(align(64))]
pub(crate) struct ComparisonRow {
    nik: Option<IdDigits>,
    birth_date: Option<Date>,
    sex: u8,
    rt: Option<u16>,
    rw: Option<u16>,
    /// Codes of [`Prepared`]'s text columns and place ids.
    name: u32,
    mother_name: u32,
    village: u32,
    district: u32,
    street: u32,
    house_number: u32,
    /// Id of the KK number (0 unknown) and the relationship to the head (0 unknown).
    household: u32,
    relation: u8,
    /// The birth date came from the NIK, not from the record.
    birth_date_from_nik: bool,
}

// One cache line: a larger row would straddle two.
const _: () = assert!(std::mem::size_of::<ComparisonRow>() == 64);

impl ComparisonRow {
    /// Record `row` of `p`.
    fn of(p: &Prepared, row: usize) -> Self {
        Self {
            nik: p.nik[row],
            birth_date: p.birth_date[row],
            sex: p.sex[row],
            rt: p.rt[row],
            rw: p.rw[row],
            name: p.name.code(row),
            mother_name: p.mother_name.code(row),
            village: p.village[row],
            district: p.district[row],
            street: p.street.code(row),
            house_number: p.house_number.code(row),
            household: p.household[row],
            relation: p.relation[row],
            birth_date_from_nik: p.birth_date_from_nik[row],
        }
    }
}

/// The [`ComparisonRow`]s of one [`Prepared`], built once by the first
/// [`Comparisons::compare_all`] (the pipeline builds them while it blocks) and read again by
/// the u sample of training.
#[derive(Debug, Clone, Default)]
pub(crate) struct ComparisonRows(OnceLock<Vec<ComparisonRow>>);

impl ComparisonRows {
    /// The rows, built now unless they are there. As with [`NameFeatureCache::build`], the
    /// parallel build runs outside the lock: a racing second build is wasted work, never a
    /// deadlock.
    pub(crate) fn get_or_build(&self, p: &Prepared) -> &[ComparisonRow] {
        if self.0.get().is_none() {
            let rows =
                (0..p.len).into_par_iter().with_min_len(4096).map(|row| ComparisonRow::of(p, row)).collect();
            let _ = self.0.set(rows);
        }
        self.0.get().map(Vec::as_slice).unwrap_or_default()
    }

    /// Frees the rows (64 bytes a record) once no more pairs will be compared.
    pub(crate) fn release(&mut self) {
        self.0.take();
    }
}

/// Per-distinct-name facts ([`name::NameFeatures`]) of the names and mothers' names of one
/// [`Prepared`], indexed by their [`crate::prepare::TextColumn`] codes. Built once, by
/// [`Comparisons::compare_all`]; before that, levels come from the strings (the same values,
/// more slowly).
#[derive(Debug, Clone, Default)]
pub(crate) struct NameFeatureCache(OnceLock<NameFeatureTables>);

#[derive(Debug, Clone)]
pub(crate) struct NameFeatureTables {
    name: name::NameFeatures,
    mother_name: name::NameFeatures,
}

impl NameFeatureCache {
    pub(crate) fn get(&self) -> Option<&NameFeatureTables> {
        self.0.get()
    }

    /// Builds the tables unless they are there. Built outside the `OnceLock` initialiser so
    /// that its parallel work never runs while another thread waits on the lock: a racing
    /// second build is wasted work, never a deadlock, and both give the same tables.
    fn build(&self, p: &Prepared) {
        if self.0.get().is_some() {
            return;
        }
        let table = |column: &crate::prepare::TextColumn| {
            let values: Vec<&str> = (0..column.distinct() as u32).map(|code| column.value(code)).collect();
            name::NameFeatures::new(&values)
        };
        let (name, mother_name) = rayon::join(|| table(&p.name), || table(&p.mother_name));
        let _ = self.0.set(NameFeatureTables { name, mother_name });
    }
}

/// The "possibly two NIKs for one person" rule, located in a run's level rows (see
/// [`Comparisons::possible_second_nik`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PossibleSecondNik {
    /// Positions of the NIK, name, birth-date and mother's-name comparisons in a level row.
    nik: usize,
    name: usize,
    birth_date: usize,
    mother_name: usize,
    /// The NIK level that means "different beyond any typo or twin pattern".
    nik_different: u8,
    /// The weakest name level that still counts as agreement.
    name_agrees_up_to: u8,
    /// The weakest birth-date level that still counts as agreement.
    birth_date_agrees_up_to: u8,
}

impl PossibleSecondNik {
    /// Whether a pair with these levels (one row of [`Comparisons::compare_all`]) has two
    /// different NIKs but agrees on the name, the birth date and the mother's name.
    pub fn applies(&self, row: &[u8]) -> bool {
        let agrees = |position: usize, up_to: u8| (1..=up_to).contains(&row[position]);
        row[self.nik] == self.nik_different
            && agrees(self.name, self.name_agrees_up_to)
            && agrees(self.birth_date, self.birth_date_agrees_up_to)
            && agrees(self.mother_name, MOTHER_NAME_SIMILAR)
    }
}

/// The mother's-name level `similar` (see [`mother_name_level`]).
const MOTHER_NAME_SIMILAR: u8 = 2;

impl Comparisons {
    /// The rule for pairs that may be one person holding two NIKs (brief pair 23: Sutrisno, born
    /// 1 Jul 1970, mother Painem, NIKs from Sleman and Jakarta): both NIKs present and different
    /// (the NIK `else` level: no typo, truncation or twin pattern explains them), while the name
    /// agrees in spelling (exact up to a close spelling), the birth date agrees exactly (a
    /// placeholder date included) and the mother's name is exact or similar. `None` when the run
    /// lacks one of the four comparisons.
    ///
    /// Twins never meet it: their NIKs share a SIAK batch (the twin and sibling NIK levels) and
    /// their names differ. A father and a son with one name differ in birth date and mother.
    ///
    /// ```
    /// use padan::compare::Comparisons;
    /// let comparisons = Comparisons::person(&[0.95, 0.88], true);
    /// let rule = comparisons.possible_second_nik().unwrap();
    /// // nik, name, birth_date, address, sex, mother_name; NIK level 8 is `else`
    /// assert!(rule.applies(&[8, 1, 2, 5, 1, 1])); // other NIK; same name, placeholder date, mother
    /// assert!(!rule.applies(&[8, 1, 2, 5, 1, 3])); // another mother
    /// assert!(!rule.applies(&[8, 1, 2, 5, 1, 0])); // mother unknown
    /// assert!(!rule.applies(&[6, 9, 1, 1, 1, 1])); // twins: sibling NIK pattern, other names
    /// ```
    pub fn possible_second_nik(&self) -> Option<PossibleSecondNik> {
        let position = |kind: ComparisonKind| self.kinds.iter().position(|k| *k == kind);
        Some(PossibleSecondNik {
            nik: position(ComparisonKind::Nik)?,
            name: position(ComparisonKind::Name)?,
            birth_date: position(ComparisonKind::BirthDate)?,
            mother_name: position(ComparisonKind::MotherName)?,
            nik_different: (self.level_labels(ComparisonKind::Nik).len() - 1) as u8,
            name_agrees_up_to: if self.indonesian { name::NameLevel::CloseSpelling as u8 } else { 2 },
            birth_date_agrees_up_to: if self.indonesian { 2 } else { 1 },
        })
    }
}

/// NIK levels of the Indonesian mode, index = level value: the [`nik::NikLevel`] values, with
/// the twin pattern split by the names.
const TWIN_PATTERN: u8 = nik::NikLevel::TwinPattern as u8;
const SIBLING_PATTERN: u8 = TWIN_PATTERN + 1;
const REGION_DIGIT_SUBSTITUTION: u8 = SIBLING_PATTERN + 1;
const NIK_DIFFERENT: u8 = REGION_DIGIT_SUBSTITUTION + 1;

/// The Indonesian NIK level of records `i` and `j`.
///
/// Two NIKs of one SIAK batch (same district, birth date and sex; only the serial differs, or
/// only the sex digit) belong to twins or to one person whose serial was mistyped. Only the
/// names tell which: among such pairs, names that are not equal (up to token order and joining)
/// are almost never one person. Twins are named alike, so even a phonetic agreement is weak
/// (Hasan / Husain, brief pair 25; Rizky / Rizka, pair 26). The level is therefore split into
/// `twin_pattern` (names agree) and `sibling_pattern` (names differ), so that the model weighs the
/// two apart: scored independently, a similar name plus the birth date and address a household
/// shares would outweigh the NIK and merge twins.
///
/// A one-digit substitution is split by position too. In the region digits (1-6) the two NIKs
/// still encode one birth date and sex, which the model must not count a second time through the
/// birth-date comparison: people born the same day in neighbouring districts with the first
/// serial of their batch differ exactly so. In the date digits (7-12) it stays
/// `one_substitution`, unless each NIK encodes its own record's birth date and the two dates
/// differ: then the NIKs differ because the people do, born a digit apart (02 and 12 Aug) in one
/// district and both given the first serial of their batch. That is `else`, not a typo; the
/// same holds for a swap inside the date digits. A copy whose NIK and date were both mistyped
/// (the NIK no longer encodes its record's date), or whose date was blank and read from its
/// own NIK, keeps the typo level.
fn indonesian_nik_level(
    p: &Prepared,
    row_a: &ComparisonRow,
    row_b: &ComparisonRow,
    a: &IdDigits,
    b: &IdDigits,
) -> u8 {
    match nik::compare_nik(&nik::Nik(*a), &nik::Nik(*b)) {
        nik::NikLevel::TwinPattern => {
            let (ca, cb) = (row_a.name, row_b.name);
            let names_agree = || match p.name_features.get() {
                // Most pairs of the NIK-prefix block meet here: the distinct names' facts are
                // read instead of splitting both strings again.
                Some(features) => features
                    .name
                    .compare_up_to(ca as usize, cb as usize, name::NameLevel::SameTokensOrJoined)
                    .is_some(),
                None => {
                    name::compare_names(p.name.value(ca), p.name.value(cb))
                        <= name::NameLevel::SameTokensOrJoined
                }
            };
            if ca == 0 || cb == 0 || names_agree() { TWIN_PATTERN } else { SIBLING_PATTERN }
        }
        // A lost last digit leaves the NIK in its SIAK batch: against a twin's NIK ending in 0
        // it looks like Excel damage. Names that are not even similar say it is the twin.
        nik::NikLevel::ExcelTruncated if names_differ(p, row_a.name, row_b.name) => SIBLING_PATTERN,
        nik::NikLevel::OneSubstitution if a[..6] != b[..6] => REGION_DIGIT_SUBSTITUTION,
        nik::NikLevel::OneSubstitution | nik::NikLevel::Transposition
            if a[12..] == b[12..]
                && matches!(
                    (row_a.birth_date, row_b.birth_date),
                    (Some(x), Some(y)) if x != y
                        && !row_a.birth_date_from_nik
                        && !row_b.birth_date_from_nik
                        && encodes_date(a, x)
                        && encodes_date(b, y)
                ) =>
        {
            NIK_DIFFERENT
        }
        nik::NikLevel::Different => NIK_DIFFERENT,
        level => level as u8,
    }
}

/// Whether two names (codes of `p.name`, 0 missing) are both present and not even similar
/// (a nickname, a Balinese birth-order conflict, or else).
fn names_differ(p: &Prepared, a: u32, b: u32) -> bool {
    if a == 0 || b == 0 {
        return false;
    }
    match p.name_features.get() {
        Some(features) => {
            features.name.compare_up_to(a as usize, b as usize, name::NameLevel::Similar).is_none()
        }
        None => name::compare_names(p.name.value(a), p.name.value(b)) > name::NameLevel::Similar,
    }
}

/// Whether digits 7-12 of a NIK encode this date (the day +40 for women, the year's last two
/// digits).
///
/// ```
/// use padan::compare::encodes_date;
/// use padan::normalize::Date;
/// let date = Date::new(1985, 8, 12).unwrap();
/// assert!(encodes_date(b"3273015208850002", date)); // a woman: day 12 + 40
/// assert!(encodes_date(b"3273011208850002", date));
/// assert!(!encodes_date(b"3273011308850002", date));
/// ```
pub fn encodes_date(nik: &IdDigits, date: Date) -> bool {
    let two = |k: usize| u32::from(nik[k].wrapping_sub(b'0')) * 10 + u32::from(nik[k + 1].wrapping_sub(b'0'));
    let day = match two(6) {
        d @ 41..=71 => d - 40,
        d => d,
    };
    day == u32::from(date.day)
        && two(8) == u32::from(date.month)
        && i32::try_from(two(10)).ok() == Some(i32::from(date.year).rem_euclid(100))
}

/// Birth-date level with the Indonesian placeholder rule and the clerical errors of registry
/// dates: 1 exact, 2 exact on a placeholder date (1 Jul, 31 Dec, 1 Jan, or the 15th: registries'
/// "unknown" dates, so agreement means less), 3 day and month swapped, 4 the same day and month
/// a year apart, 5 one digit of `DDMMYYYY` mistyped, 6 one side a default date (1 Jan, 1 Jul,
/// 31 Dec) in the same year (the real date was not known when one copy was registered), 7 two
/// of year / month / day equal, 8 else.
///
/// ```
/// use padan::compare::indonesian_date_level;
/// use padan::normalize::Date;
/// let d = |y, m, d| Date::new(y, m, d).unwrap();
/// assert_eq!(indonesian_date_level(d(1985, 8, 12), d(1985, 8, 12)), 1);
/// assert_eq!(indonesian_date_level(d(1970, 7, 1), d(1970, 7, 1)), 2);
/// assert_eq!(indonesian_date_level(d(1985, 8, 12), d(1985, 12, 8)), 3);
/// assert_eq!(indonesian_date_level(d(1985, 8, 12), d(1986, 8, 12)), 4);
/// assert_eq!(indonesian_date_level(d(1985, 8, 12), d(1985, 8, 13)), 5);
/// assert_eq!(indonesian_date_level(d(1985, 8, 12), d(1995, 8, 12)), 5);
/// assert_eq!(indonesian_date_level(d(1985, 8, 12), d(1985, 1, 1)), 6);
/// assert_eq!(indonesian_date_level(d(1985, 8, 12), d(1985, 8, 27)), 7);
/// assert_eq!(indonesian_date_level(d(1985, 8, 12), d(1986, 9, 12)), 8);
/// ```
pub fn indonesian_date_level(a: Date, b: Date) -> u8 {
    let same = (a.year == b.year, a.month == b.month, a.day == b.day);
    if a == b {
        if a.is_placeholder() || a.day == 15 { 2 } else { 1 }
    } else if same.0 && a.month == b.day && a.day == b.month {
        3
    } else if same.1 && same.2 && a.year.abs_diff(b.year) == 1 {
        4
    } else if date_digits_differing(a, b) == 1 {
        5
    } else if same.0 && (a.is_placeholder() || b.is_placeholder()) {
        6
    } else if u8::from(same.0) + u8::from(same.1) + u8::from(same.2) == 2 {
        7
    } else {
        8
    }
}

/// How many of the eight digits of `DDMMYYYY` differ between two dates.
fn date_digits_differing(a: Date, b: Date) -> u32 {
    let digits = |d: Date| {
        let (y, m, day) = (u32::from(d.year.unsigned_abs()), u32::from(d.month), u32::from(d.day));
        [day / 10, day % 10, m / 10, m % 10, y / 1000 % 10, y / 100 % 10, y / 10 % 10, y % 10]
    };
    digits(a).iter().zip(digits(b)).filter(|(x, y)| **x != *y).count() as u32
}

/// Household level from two records' KK ids (0 unknown) and relationships to the head (1-8,
/// 0 unknown): 1 same KK and the same relationship, 2 same KK with a relationship unknown, 3 same
/// KK with two different relationships, 4 two different KKs; 0 when a KK is unknown.
///
/// A KK lists each member once, under one relationship: two rows of one KK as head and wife, or
/// wife and child, are two people whatever else they share.
///
/// ```
/// use padan::compare::household_level;
/// assert_eq!(household_level(7, 3, 7, 3), 1); // two rows of one KK, both children
/// assert_eq!(household_level(7, 3, 7, 0), 2);
/// assert_eq!(household_level(7, 1, 7, 2), 3); // head and wife
/// assert_eq!(household_level(7, 1, 9, 1), 4);
/// assert_eq!(household_level(0, 1, 7, 1), 0);
/// ```
pub fn household_level(kk_a: u32, relation_a: u8, kk_b: u32, relation_b: u8) -> u8 {
    match (kk_a, kk_b) {
        (0, _) | (_, 0) => 0,
        (a, b) if a != b => 4,
        _ if relation_a == 0 || relation_b == 0 => 2,
        _ if relation_a == relation_b => 1,
        _ => 3,
    }
}

/// NIK level: 1 exact, 2 one substitution or one adjacent transposition, 3 else.
///
/// ```
/// use padan::compare::nik_level;
/// assert_eq!(nik_level(b"3273015208850002", b"3273015208850002"), 1);
/// assert_eq!(nik_level(b"3273015208850002", b"3273015208850020"), 2); // transposition
/// assert_eq!(nik_level(b"3273015208850002", b"3273015208850009"), 2); // substitution
/// assert_eq!(nik_level(b"3273015208850002", b"3273015208851111"), 3);
/// ```
pub fn nik_level(a: &IdDigits, b: &IdDigits) -> u8 {
    let mut first = usize::MAX;
    let mut count = 0;
    for k in 0..16 {
        if a[k] != b[k] {
            if count == 0 {
                first = k;
            }
            count += 1;
        }
    }
    match count {
        0 => 1,
        1 => 2,
        2 if first + 1 < 16 && a[first] == b[first + 1] && a[first + 1] == b[first] => 2,
        _ => 3,
    }
}

/// Name level: 1 exact, then one level per Jaro-Winkler threshold met, then else; 0 when either
/// name is empty.
///
/// ```
/// use padan::compare::name_level;
/// assert_eq!(name_level("SITI AMINAH", "SITI AMINAH", &[0.95, 0.88]), 1);
/// assert_eq!(name_level("MUHAMMAD RIZKI", "MUHAMAD RIZKI", &[0.95, 0.88]), 2);
/// assert_eq!(name_level("SITI AMINAH", "BUDI SANTOSO", &[0.95, 0.88]), 4);
/// assert_eq!(name_level("", "BUDI", &[0.95, 0.88]), 0);
/// ```
pub fn name_level(a: &str, b: &str, thresholds: &[f64]) -> u8 {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if a == b {
        return 1;
    }
    let similarity = strsim::jaro_winkler(a, b);
    let passed = thresholds.iter().position(|t| similarity >= *t).unwrap_or(thresholds.len());
    (2 + passed) as u8
}

/// Birth-date level: 1 exact, 2 day and month swapped, 3 same year, 4 else.
///
/// ```
/// use padan::compare::date_level;
/// use padan::normalize::Date;
/// let d = |y, m, d| Date::new(y, m, d).unwrap();
/// assert_eq!(date_level(d(1985, 8, 12), d(1985, 8, 12)), 1);
/// assert_eq!(date_level(d(1985, 8, 12), d(1985, 12, 8)), 2);
/// assert_eq!(date_level(d(1985, 8, 12), d(1985, 1, 3)), 3);
/// assert_eq!(date_level(d(1985, 8, 12), d(1986, 8, 12)), 4);
/// ```
pub fn date_level(a: Date, b: Date) -> u8 {
    if a == b {
        1
    } else if a.year == b.year && a.month == b.day && a.day == b.month {
        2
    } else if a.year == b.year {
        3
    } else {
        4
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};

    use super::*;

    /// Records with only an id and a mother's name.
    fn mothers(indonesian: bool) -> Prepared {
        let names = [
            Some("Hj. Sumarni"),
            Some("SUMARNI"),
            Some("Siti Aminah"),
            Some("Aminah Siti"),
            Some("Painem"),
            None,
            Some("painem "),
        ];
        let ids: Vec<String> = (0..names.len()).map(|i| format!("r{i}")).collect();
        let batch = RecordBatch::try_from_iter([
            ("id_dtks", Arc::new(StringArray::from(ids)) as ArrayRef),
            ("nama_ibu_kandung", Arc::new(StringArray::from(names.to_vec())) as ArrayRef),
        ])
        .unwrap();
        let raw = crate::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
        crate::prepare::prepare(&raw, indonesian)
    }

    #[test]
    fn mother_names_are_normalised_once_then_compared() {
        let prepared = mothers(true);
        assert_eq!(&prepared.mother_name[0], "SUMARNI", "the title Hj. is stripped");
        assert_eq!(&prepared.mother_name[5], "", "a missing mother is empty");
        let comparisons = Comparisons::person(&[0.95, 0.88], true);
        let level = |i, j| comparisons.level(ComparisonKind::MotherName, &prepared, i, j);
        assert_eq!(level(0, 1), 1, "exact after normalisation");
        assert_eq!(level(4, 6), 1, "case and spaces");
        assert_eq!(level(2, 3), 2, "same words in another order: similar");
        assert_eq!(level(1, 4), 3, "another mother");
        assert_eq!(level(4, 5), 0, "missing on one side: null");

        let generic = mothers(false);
        let comparisons = Comparisons::person(&[0.95, 0.88], false);
        let level = |i, j| comparisons.level(ComparisonKind::MotherName, &generic, i, j);
        assert_eq!((level(4, 6), level(1, 4), level(4, 5)), (1, 3, 0));
    }

    #[test]
    fn a_nik_one_digit_off_in_its_date_is_a_typo_unless_both_dates_explain_it() {
        // r0: a woman born 12 Aug 1985; r1: her copy with the day typed 13 in the NIK, date
        // kept; r2: another woman born 13 Aug; r3: the copy with a blank date (read from its NIK).
        let niks = ["3273015208850001", "3273015308850001", "3273015308850001", "3273015308850001"];
        let dates = [Some("1985-08-12"), Some("1985-08-12"), Some("1985-08-13"), None];
        let ids: Vec<String> = (0..4).map(|i| format!("r{i}")).collect();
        let batch = RecordBatch::try_from_iter([
            ("id_dtks", Arc::new(StringArray::from(ids)) as ArrayRef),
            ("nik", Arc::new(StringArray::from(niks.to_vec())) as ArrayRef),
            ("tanggal_lahir", Arc::new(StringArray::from(dates.to_vec())) as ArrayRef),
        ])
        .unwrap();
        let raw = crate::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
        let prepared = crate::prepare::prepare(&raw, true);
        assert_eq!(prepared.birth_date_from_nik, [false, false, false, true]);
        let comparisons = Comparisons::person(&[0.9], true);
        let labels = comparisons.level_labels(ComparisonKind::Nik);
        let level = |i, j| labels[comparisons.level(ComparisonKind::Nik, &prepared, i, j) as usize].as_str();
        assert_eq!(level(0, 1), "one_substitution", "the record's date says the NIK was mistyped");
        assert_eq!(level(0, 2), "else", "each NIK encodes its own record's date: two people");
        assert_eq!(level(0, 3), "one_substitution", "a date read from the NIK explains nothing");
    }

    #[test]
    fn the_second_nik_rule_needs_all_four_comparisons_and_reads_each_mode_s_levels() {
        // Generic levels: NIK else 3; name exact 1, JW >= 0.95 2; birth date exact 1 only.
        let rule = Comparisons::person(&[0.95, 0.88], false).possible_second_nik().unwrap();
        // nik, name, birth_date, address, sex, mother_name
        assert!(rule.applies(&[3, 1, 1, 3, 1, 1]));
        assert!(rule.applies(&[3, 2, 1, 0, 0, 2]), "close name, similar mother, address unknown");
        assert!(!rule.applies(&[2, 1, 1, 3, 1, 1]), "a one-digit NIK difference is a typo, not a second NIK");
        assert!(!rule.applies(&[3, 3, 1, 3, 1, 1]), "names only roughly alike");
        assert!(!rule.applies(&[3, 1, 2, 3, 1, 1]), "day and month swapped is not the same date");
        assert!(!rule.applies(&[0, 1, 1, 3, 1, 1]), "one NIK missing");

        let indonesian = Comparisons::person(&[0.95, 0.88], true);
        let rule = indonesian.possible_second_nik().unwrap();
        let sibling =
            indonesian.level_labels(ComparisonKind::Nik).iter().position(|l| l == "sibling_pattern");
        // Twins: one SIAK batch, other names, same birth date, address and mother.
        assert!(!rule.applies(&[sibling.unwrap() as u8, 9, 1, 1, 1, 1]));
        assert!(!rule.applies(&[8, 7, 1, 1, 1, 1]), "a nickname is not a name agreement");
        assert!(rule.applies(&[8, 4, 1, 5, 1, 2]), "close spelling, exact date, similar mother");

        let without_mother = Comparisons {
            kinds: vec![ComparisonKind::Nik, ComparisonKind::Name, ComparisonKind::BirthDate],
            name_thresholds: vec![0.9],
            indonesian: true,
        };
        assert_eq!(without_mother.possible_second_nik(), None);
    }

    /// `padan synth` records mapped to padan's fields.
    fn synth_records(rows: usize, seed: u64) -> crate::input::RawRecords {
        let data = crate::synth::generate(&crate::synth::SynthOptions { rows, seed, ..Default::default() });
        crate::input::map_batches(&data.records.schema(), &[data.records], &Default::default()).unwrap()
    }

    #[test]
    fn compare_all_reads_the_packed_rows_as_level_reads_the_columns() {
        let raw = synth_records(2_000, 5);
        for indonesian in [true, false] {
            let mut prepared = crate::prepare::prepare(&raw, indonesian);
            let comparisons = Comparisons::person(&[0.9, 0.8], indonesian);
            let (left, right): (Vec<u32>, Vec<u32>) = (0..prepared.len as u32)
                .flat_map(|i| (i + 1..(prepared.len as u32).min(i + 20)).map(move |j| (i, j)))
                .unzip();
            let pairs = CandidatePairs {
                rule: vec![0; left.len()],
                rule_mask: vec![1; left.len()],
                left,
                right,
                rules: Vec::new(),
            };
            let packed = comparisons.compare_all(&prepared, &pairs);
            let from_columns: Vec<u8> = (0..pairs.len())
                .flat_map(|k| {
                    let (i, j) = (pairs.left[k] as usize, pairs.right[k] as usize);
                    comparisons.kinds.iter().map(move |kind| (*kind, i, j))
                })
                .map(|(kind, i, j)| comparisons.level(kind, &prepared, i, j))
                .collect();
            assert_eq!(packed, from_columns, "indonesian rules: {indonesian}");
            // Every comparison sees more than one level in these pairs: the rows carry each
            // field, not a constant.
            for (c, kind) in comparisons.kinds.iter().enumerate() {
                let mut seen: Vec<u8> = packed.iter().skip(c).step_by(comparisons.len()).copied().collect();
                seen.sort_unstable();
                seen.dedup();
                assert!(seen.len() >= 2, "{kind:?} levels seen: {seen:?}");
            }
            // Released rows are built again by the next compare_all.
            prepared.comparison_rows.release();
            assert_eq!(comparisons.compare_all(&prepared, &pairs), packed);
        }
    }

    #[test]
    fn name_features_give_the_levels_of_the_strings() {
        let prepared = crate::prepare::prepare(&synth_records(3_000, 11), true);
        let comparisons = Comparisons::person(&[0.9], true);
        // Each row against its next rows (households and injected duplicates sit close) and
        // against a far row: every name level occurs, not only "else".
        let pairs: Vec<(usize, usize)> = (0..prepared.len)
            .flat_map(|i| {
                (i + 1..prepared.len.min(i + 30)).chain([(i * 7919) % prepared.len]).map(move |j| (i, j))
            })
            .collect();
        let levels = |kind: ComparisonKind| -> Vec<u8> {
            pairs.iter().map(|&(i, j)| comparisons.level(kind, &prepared, i, j)).collect()
        };
        assert!(prepared.name_features.get().is_none());
        let (names, mothers) = (levels(ComparisonKind::Name), levels(ComparisonKind::MotherName));
        prepared.name_features.build(&prepared);
        assert!(prepared.name_features.get().is_some());
        assert_eq!(levels(ComparisonKind::Name), names);
        assert_eq!(levels(ComparisonKind::MotherName), mothers);
        let seen = |levels: &[u8]| {
            let mut seen: Vec<u8> = levels.to_vec();
            seen.sort_unstable();
            seen.dedup();
            seen
        };
        assert!(seen(&names).len() >= 6, "name levels seen: {:?}", seen(&names));
        assert_eq!(seen(&mothers), [0, 1, 2, 3]);
    }
}
