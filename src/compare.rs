//! Compare: for every candidate pair, a small integer level per comparison.
//!
//! Level 0 is always "null" (a value missing on either side); levels 1.. run from the strongest
//! agreement to "else". Levels are stored row-major (`levels[pair * n + c]`), one byte each, so
//! a million pairs with five comparisons take 5 MB and the scorer reads them sequentially.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::block::CandidatePairs;
use crate::normalize::Date;
use crate::prepare::{IdDigits, Prepared};

/// The kinds of comparison padan computes for person records.
///
/// ```
/// use padan::compare::ComparisonKind;
/// assert_eq!(ComparisonKind::Nik.level_labels(&[]), ["null", "exact", "one_edit", "else"]);
/// ```
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
        }
    }

    /// Labels of the levels, index = level value. `name_thresholds` shapes the name levels.
    pub fn level_labels(self, name_thresholds: &[f64]) -> Vec<String> {
        let fixed: &[&str] = match self {
            ComparisonKind::Nik => &["null", "exact", "one_edit", "else"],
            ComparisonKind::BirthDate => &["null", "exact", "day_month_swapped", "same_year", "else"],
            ComparisonKind::Address => &["null", "same_rt_rw_village", "same_village", "else"],
            ComparisonKind::Sex => &["null", "same", "different"],
            ComparisonKind::Name => {
                let mut labels = vec!["null".to_string(), "exact".to_string()];
                labels.extend(name_thresholds.iter().map(|t| format!("jaro_winkler_{t}")));
                labels.push("else".into());
                return labels;
            }
        };
        fixed.iter().map(|s| s.to_string()).collect()
    }
}

/// The comparisons of a run and their settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparisons {
    /// The comparisons, in output order.
    pub kinds: Vec<ComparisonKind>,
    /// Jaro-Winkler thresholds of the name comparison, highest first.
    pub name_thresholds: Vec<f64>,
}

impl Comparisons {
    /// The person comparisons: NIK, name, birth date, address, sex.
    pub fn person(name_thresholds: &[f64]) -> Self {
        Self {
            kinds: vec![
                ComparisonKind::Nik,
                ComparisonKind::Name,
                ComparisonKind::BirthDate,
                ComparisonKind::Address,
                ComparisonKind::Sex,
            ],
            name_thresholds: name_thresholds.to_vec(),
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

    /// Level of one comparison for records `i` and `j`.
    pub fn level(&self, kind: ComparisonKind, p: &Prepared, i: usize, j: usize) -> u8 {
        match kind {
            ComparisonKind::Nik => match (&p.nik[i], &p.nik[j]) {
                (Some(a), Some(b)) => nik_level(a, b),
                _ => 0,
            },
            ComparisonKind::Name => name_level(&p.name[i], &p.name[j], &self.name_thresholds),
            ComparisonKind::BirthDate => match (p.birth_date[i], p.birth_date[j]) {
                (Some(a), Some(b)) => date_level(a, b),
                _ => 0,
            },
            ComparisonKind::Address => {
                let (va, vb) = (p.village[i], p.village[j]);
                if va == 0 || vb == 0 {
                    0
                } else if va != vb {
                    3
                } else if p.rt[i].is_some() && p.rt[i] == p.rt[j] && p.rw[i].is_some() && p.rw[i] == p.rw[j] {
                    1
                } else {
                    2
                }
            }
            ComparisonKind::Sex => match (p.sex[i], p.sex[j]) {
                (0, _) | (_, 0) => 0,
                (a, b) if a == b => 1,
                _ => 2,
            },
        }
    }

    /// Levels for every candidate pair, row-major.
    pub fn compare_all(&self, prepared: &Prepared, pairs: &CandidatePairs) -> Vec<u8> {
        let n = self.len();
        let mut levels = vec![0u8; pairs.len() * n];
        levels.par_chunks_mut(n * 4096).enumerate().for_each(|(chunk, out)| {
            let first = chunk * 4096;
            for (k, row) in out.chunks_mut(n).enumerate() {
                let (i, j) = (pairs.left[first + k] as usize, pairs.right[first + k] as usize);
                for (slot, kind) in row.iter_mut().zip(&self.kinds) {
                    *slot = self.level(*kind, prepared, i, j);
                }
            }
        });
        levels
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
