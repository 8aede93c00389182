//! Aid programmes: the `program` column read in the notations found in DTKS exports.
//!
//! One cell may list several programmes, separated by `;`, `,`, `/`, `+`, `&`, `|` or the word
//! `dan`, in any letter case and with or without hyphens and spaces inside a name: `PKH;BPNT`,
//! `PKH, BPNT`, `pbi jk`, `PBI-JK`, `Sembako` (the programme BPNT was renamed to). Tokens that
//! name no known programme are kept as text so that a run can report them.

use serde::Serialize;

/// A social-assistance programme that the `program` column can name (domain brief §4).
///
/// ```
/// use padan::programs::Programme;
/// assert_eq!(Programme::PbiJk.as_str(), "PBI-JK");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub enum Programme {
    /// Program Keluarga Harapan: conditional cash transfer.
    Pkh,
    /// Bantuan Pangan Non-Tunai, renamed Program Sembako: non-cash food aid.
    Bpnt,
    /// Penerima Bantuan Iuran Jaminan Kesehatan: state-paid health-insurance premium.
    PbiJk,
    /// Bantuan Sosial Tunai: cash transfer (pandemic era).
    Bst,
    /// Bantuan Produktif Usaha Mikro: micro-business grant.
    Bpum,
}

impl Programme {
    /// Every programme, in the canonical order used in outputs.
    pub const ALL: [Programme; 5] =
        [Programme::Pkh, Programme::Bpnt, Programme::PbiJk, Programme::Bst, Programme::Bpum];

    /// The canonical name: `PKH`, `BPNT`, `PBI-JK`, `BST`, `BPUM`.
    pub fn as_str(self) -> &'static str {
        match self {
            Programme::Pkh => "PKH",
            Programme::Bpnt => "BPNT",
            Programme::PbiJk => "PBI-JK",
            Programme::Bst => "BST",
            Programme::Bpum => "BPUM",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// The programme a single token names, compared on its letters and digits only.
    fn from_key(key: &str) -> Option<Programme> {
        Some(match key {
            "PKH" | "PROGRAMKELUARGAHARAPAN" => Programme::Pkh,
            "BPNT"
            | "SEMBAKO"
            | "PROGRAMSEMBAKO"
            | "BANSOSSEMBAKO"
            | "KARTUSEMBAKO"
            | "BANTUANPANGANNONTUNAI" => Programme::Bpnt,
            "PBIJK" | "PBI" | "PBIJKN" | "KISPBI" | "PBIKIS" => Programme::PbiJk,
            "BST" | "BANTUANSOSIALTUNAI" => Programme::Bst,
            "BPUM" | "BANPRESPRODUKTIFUSAHAMIKRO" => Programme::Bpum,
            _ => return None,
        })
    }
}

/// A set of programmes (a bit set, cheap to copy).
///
/// ```
/// use padan::programs::{Programme, ProgrammeSet};
/// let set = ProgrammeSet::from_iter([Programme::Bpnt, Programme::Pkh]);
/// assert_eq!(set.to_string(), "PKH;BPNT");
/// assert!(set.contains(Programme::Pkh) && !set.contains(Programme::PbiJk));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ProgrammeSet(u8);

impl ProgrammeSet {
    /// The empty set.
    pub const EMPTY: ProgrammeSet = ProgrammeSet(0);

    /// Whether `programme` is in the set.
    pub fn contains(self, programme: Programme) -> bool {
        self.0 & programme.bit() != 0
    }

    /// Add `programme`.
    pub fn insert(&mut self, programme: Programme) {
        self.0 |= programme.bit();
    }

    /// True when no programme is in the set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The programmes in both sets.
    pub fn intersection(self, other: ProgrammeSet) -> ProgrammeSet {
        ProgrammeSet(self.0 & other.0)
    }

    /// The programmes in either set.
    pub fn union(self, other: ProgrammeSet) -> ProgrammeSet {
        ProgrammeSet(self.0 | other.0)
    }

    /// The programmes in canonical order.
    pub fn iter(self) -> impl Iterator<Item = Programme> {
        Programme::ALL.into_iter().filter(move |p| self.contains(*p))
    }
}

impl FromIterator<Programme> for ProgrammeSet {
    fn from_iter<I: IntoIterator<Item = Programme>>(iter: I) -> Self {
        let mut set = ProgrammeSet::EMPTY;
        for p in iter {
            set.insert(p);
        }
        set
    }
}

impl std::fmt::Display for ProgrammeSet {
    /// Canonical names joined by `;` in canonical order (empty for the empty set).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.iter().map(Programme::as_str).collect();
        f.write_str(&names.join(";"))
    }
}

/// A `program` cell read into programmes, with the tokens that named none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedProgrammes {
    /// The programmes named.
    pub programmes: ProgrammeSet,
    /// Tokens that name no known programme, upper case with spaces collapsed.
    pub unknown: Vec<String>,
}

/// Words that say "no programme": not a programme, and not unknown either.
fn is_none_word(key: &str) -> bool {
    matches!(key, "" | "TIDAKADA" | "TIDAK" | "NONE" | "NON" | "0" | "BELUMADA" | "NA")
}

/// Read a `program` cell.
///
/// Separators between programmes are `;`, `,`, `/`, `+`, `&`, `|` and the words `dan` / `and`;
/// inside one programme name, case, spaces, hyphens and dots do not matter (`PBI JK`, `pbi-jk`,
/// `P.K.H`). A token of space-separated names is split when every part names a programme
/// (`PKH BPNT`). `Sembako` is BPNT, plain `PBI` is PBI-JK.
///
/// ```
/// use padan::programs::{parse_programmes, Programme};
/// let p = parse_programmes("pkh, Sembako / PBI JK");
/// assert_eq!(p.programmes.to_string(), "PKH;BPNT;PBI-JK");
/// assert!(p.unknown.is_empty());
/// assert_eq!(parse_programmes("PKH;KUR").unknown, vec!["KUR".to_string()]);
/// assert!(parse_programmes("-").programmes.is_empty());
/// ```
pub fn parse_programmes(text: &str) -> ParsedProgrammes {
    let mut out = ParsedProgrammes::default();
    let upper = text.to_uppercase();
    // Word separators become `;` before splitting; padding spaces keep "DANA" intact.
    let padded = format!(" {} ", upper.replace(['\t', '\n'], " "));
    let replaced = padded.replace(" DAN ", ";").replace(" AND ", ";");
    for token in replaced.split([';', ',', '/', '+', '&', '|']) {
        let key: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
        if is_none_word(&key) {
            continue;
        }
        if let Some(p) = Programme::from_key(&key) {
            out.programmes.insert(p);
            continue;
        }
        let words: Vec<Option<Programme>> = token
            .split_whitespace()
            .map(|w| Programme::from_key(&w.chars().filter(|c| c.is_alphanumeric()).collect::<String>()))
            .collect();
        if words.len() > 1 && words.iter().all(Option::is_some) {
            words.into_iter().flatten().for_each(|p| out.programmes.insert(p));
        } else {
            out.unknown.push(token.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> String {
        parse_programmes(text).programmes.to_string()
    }

    #[test]
    fn usual_notations() {
        // Expected values from the notations listed in the brief (issue 5, item 2).
        assert_eq!(names("PKH;BPNT"), "PKH;BPNT");
        assert_eq!(names("PKH, BPNT"), "PKH;BPNT");
        assert_eq!(names("BPNT,PBI-JK"), "BPNT;PBI-JK");
        assert_eq!(names("PBI JK"), "PBI-JK");
        assert_eq!(names("PBI-JK"), "PBI-JK");
        assert_eq!(names("pbi_jk"), "PBI-JK");
        assert_eq!(names("PBI"), "PBI-JK");
        assert_eq!(names("Sembako"), "BPNT");
        assert_eq!(names("SEMBAKO;PKH"), "PKH;BPNT");
        assert_eq!(names("pkh"), "PKH");
        assert_eq!(names("P.K.H. + B.P.N.T."), "PKH;BPNT");
        assert_eq!(names("PKH dan BPNT"), "PKH;BPNT");
        assert_eq!(names("PKH BPNT"), "PKH;BPNT");
        assert_eq!(names("PKH;BPNT;PBI-JK"), "PKH;BPNT;PBI-JK");
        assert_eq!(names("BST/BPUM"), "BST;BPUM");
        // One programme named twice is one programme.
        assert_eq!(names("BPNT; Sembako"), "BPNT");
    }

    #[test]
    fn empty_and_none_words_name_nothing() {
        for text in ["", " ", "-", "Tidak ada", "0", ";;"] {
            let p = parse_programmes(text);
            assert!(p.programmes.is_empty() && p.unknown.is_empty(), "{text:?}: {p:?}");
        }
    }

    #[test]
    fn unknown_tokens_are_kept_and_known_ones_still_read() {
        let p = parse_programmes("PKH; bantuan  desa");
        assert_eq!(p.programmes.to_string(), "PKH");
        assert_eq!(p.unknown, vec!["BANTUAN DESA".to_string()]);
        // "DANA" must not be split on the word "DAN".
        assert_eq!(parse_programmes("DANA DESA").unknown, vec!["DANA DESA".to_string()]);
        // A space-separated token is split only when every word is a programme.
        assert_eq!(parse_programmes("PKH KUR").unknown, vec!["PKH KUR".to_string()]);
    }
}
