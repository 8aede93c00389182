//! NIK (Nomor Induk Kependudukan) and KK (Kartu Keluarga) numbers: cleaning, validation,
//! decoding, masking and pairwise comparison.
//!
//! Layout of both numbers (domain brief §2-3): `PP KK CC DDMMYY SSSS`, a region of first
//! registration (province, regency, district), a date and a serial. In a NIK the date is the
//! birth date with 40 added to the day for women; in a KK it is the recording date.
//!
//! ```
//! use padan::indo::nik::{compare_nik, parse_nik, NikLevel};
//!
//! let a = parse_nik("3273015208850002");
//! let info = a.info.unwrap();
//! assert!(a.is_valid());
//! assert_eq!((info.birth_day, info.birth_month, info.sex), (12, 8, 2)); // 12 Aug, female
//! assert_eq!(a.digits.unwrap().to_string(), "3273 **** **** 0002"); // Display masks
//!
//! let b = parse_nik("3273015208850020").digits.unwrap();
//! assert_eq!(compare_nik(&a.digits.unwrap(), &b), NikLevel::Transposition);
//! ```
//!
//! Errors and warnings: anything that makes a number structurally impossible (a province outside
//! the 38 codes, regency 00 or 70, district 00, an impossible date, serial 0000) is an error.
//! Everything that is merely suspicious (a code missing from the current list, a retired code,
//! placeholder birth dates, digit runs, a final 0) is a warning and never invalidates the number.
//! Both are bits of one [`NikIssues`] set, with stable `snake_case` codes for reports.
//!
//! Privacy: [`Nik`] and [`Kk`] print masked through `Debug` and `Display`; use [`mask_id`] for
//! raw strings. Unmasked digits are only available through the public field or
//! [`Nik::to_unmasked_string`], so they cannot end up in a log by accident.

use std::fmt;
use std::ops::{BitAnd, BitOr, BitOrAssign};

use crate::indo::region::{is_province_code, regions, retired_regency_parts};

/// A NIK as 16 ASCII digits. `Debug` and `Display` print it masked (`3273 **** **** 0002`).
///
/// ```
/// use padan::indo::nik::Nik;
/// let nik = Nik::parse("3273-0152-0885-0002").unwrap();
/// assert_eq!(format!("{nik:?}"), "Nik(3273 **** **** 0002)");
/// assert_eq!(nik.to_unmasked_string(), "3273015208850002");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nik(pub [u8; 16]);

/// A KK (family card) number as 16 ASCII digits. Prints masked, like [`Nik`].
///
/// ```
/// use padan::indo::nik::Kk;
/// let kk = Kk::parse("3273031203100002").unwrap();
/// assert_eq!(kk.to_string(), "3273 **** **** 0002");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kk(pub [u8; 16]);

macro_rules! id_common {
    ($t:ident) => {
        impl $t {
            /// Cleans `raw` with [`clean_id_digits`] (format only; no validation).
            ///
            /// # Errors
            /// The [`NikFormatError`] of the cleaning step.
            ///
            #[doc = concat!("```\nuse padan::indo::nik::", stringify!($t), ";")]
            #[doc = concat!("assert!(", stringify!($t), "::parse(\"'3273 0152 0885 0002\").is_ok());")]
            #[doc = concat!("assert!(", stringify!($t), "::parse(\"3.27302E+15\").is_err());\n```")]
            pub fn parse(raw: &str) -> Result<Self, NikFormatError> {
                clean_id_digits(raw).map(Self)
            }

            /// Wraps 16 bytes if all are ASCII digits.
            ///
            #[doc = concat!("```\nuse padan::indo::nik::", stringify!($t), ";")]
            #[doc = concat!("assert!(", stringify!($t), "::new(*b\"3273015208850002\").is_some());")]
            #[doc = concat!("assert!(", stringify!($t), "::new(*b\"3273O15208850002\").is_none());\n```")]
            #[must_use]
            pub fn new(digits: [u8; 16]) -> Option<Self> {
                digits.iter().all(u8::is_ascii_digit).then_some(Self(digits))
            }

            /// The masked form, `"3273 **** **** 0002"` (what `Display` prints).
            ///
            #[doc = concat!("```\nuse padan::indo::nik::", stringify!($t), ";")]
            #[doc = concat!("let x = ", stringify!($t), "(*b\"3273015208850002\");")]
            #[doc = "assert_eq!(x.masked(), \"3273 **** **** 0002\");\n```"]
            #[must_use]
            pub fn masked(&self) -> String {
                mask_bytes(&self.0)
            }

            /// The full number. Only for matching or hashing code that needs it: never log it.
            ///
            #[doc = concat!("```\nuse padan::indo::nik::", stringify!($t), ";")]
            #[doc = concat!("let x = ", stringify!($t), "(*b\"3273015208850002\");")]
            #[doc = "assert_eq!(x.to_unmasked_string(), \"3273015208850002\");\n```"]
            #[must_use]
            pub fn to_unmasked_string(&self) -> String {
                self.0.iter().map(|&b| char::from(b)).collect()
            }
        }

        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // Masked on purpose: a derived Debug would leak the number into logs and panics.
                write!(f, concat!(stringify!($t), "({})"), self.masked())
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.masked())
            }
        }
    };
}
id_common!(Nik);
id_common!(Kk);

/// Why a raw value is not 16 digits (checklist step 1).
///
/// ```
/// use padan::indo::nik::{clean_id_digits, NikFormatError};
/// assert_eq!(clean_id_digits("3.27302E+15"), Err(NikFormatError::ScientificNotation));
/// assert_eq!(clean_id_digits("327301520885000"), Err(NikFormatError::TooShort { len: 15 }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NikFormatError {
    /// Nothing but whitespace and separators.
    Empty,
    /// A spreadsheet rendered the number in scientific notation (`3.27302E+15`): the digits are
    /// gone.
    ScientificNotation,
    /// A float rendering (`3273015208850002.0`): the value went through a float column, and
    /// NIKs above 2^53 (provinces 91-96) may have lost their last digits.
    FloatArtefact,
    /// A character other than digits, whitespace, dots, hyphens and a leading apostrophe.
    InvalidCharacter,
    /// Fewer than 16 digits. `len == 15` is the typical lost or truncated last digit.
    TooShort {
        /// Digits found.
        len: usize,
    },
    /// More than 16 digits.
    TooLong {
        /// Digits found.
        len: usize,
    },
}

impl NikFormatError {
    /// Stable `snake_case` code for reports.
    ///
    /// ```
    /// use padan::indo::nik::NikFormatError;
    /// assert_eq!(NikFormatError::TooShort { len: 15 }.code(), "too_short");
    /// ```
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::ScientificNotation => "scientific_notation",
            Self::FloatArtefact => "float_artefact",
            Self::InvalidCharacter => "invalid_character",
            Self::TooShort { .. } => "too_short",
            Self::TooLong { .. } => "too_long",
        }
    }

    /// True for exactly 15 digits: a lost last digit (Excel or manual migration, brief §2).
    ///
    /// ```
    /// use padan::indo::nik::NikFormatError;
    /// assert!(NikFormatError::TooShort { len: 15 }.is_possible_truncation());
    /// assert!(!NikFormatError::TooShort { len: 12 }.is_possible_truncation());
    /// ```
    #[must_use]
    pub const fn is_possible_truncation(&self) -> bool {
        matches!(self, Self::TooShort { len: 15 })
    }
}

impl fmt::Display for NikFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooShort { len } | Self::TooLong { len } => {
                write!(f, "{} ({len} digits)", self.code())
            }
            _ => f.write_str(self.code()),
        }
    }
}

impl std::error::Error for NikFormatError {}

/// A set of validation issues (errors and warnings) for a NIK or KK, as bits.
///
/// Error bits are the low 16, warning bits the high 16; [`NikIssues::errors`] and
/// [`NikIssues::warnings`] split them. [`NikIssues::codes`] gives stable `snake_case` codes in bit
/// order.
///
/// ```
/// use padan::indo::nik::{parse_nik, NikIssues};
/// let p = parse_nik("3273016013850001"); // month 13
/// let errors = p.info.unwrap().issues.errors();
/// assert!(errors.contains(NikIssues::MONTH_INVALID));
/// assert_eq!(errors.codes(), vec!["month_invalid"]);
/// let both = NikIssues::SERIAL_ZERO | NikIssues::ENDS_IN_ZERO;
/// assert_eq!(both.warnings(), NikIssues::ENDS_IN_ZERO);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NikIssues(u32);

impl NikIssues {
    /// No issue.
    pub const NONE: Self = Self(0);
    /// Error: province code not one of the 38 current codes.
    pub const PROVINCE_INVALID: Self = Self(1 << 0);
    /// Error: regency code 00.
    pub const REGENCY_ZERO: Self = Self(1 << 1);
    /// Error: regency code 70 (kabupaten are 01-69, kota 71-99).
    pub const REGENCY_OUT_OF_RANGE: Self = Self(1 << 2);
    /// Error: district (kecamatan) code 00.
    pub const DISTRICT_ZERO: Self = Self(1 << 3);
    /// Error: day field not in 01-31 or 41-71.
    pub const DAY_INVALID: Self = Self(1 << 4);
    /// Error: month not in 01-12.
    pub const MONTH_INVALID: Self = Self(1 << 5);
    /// Error: no such day in that month (31 Apr, 30 Feb).
    pub const DATE_INVALID: Self = Self(1 << 6);
    /// Error: 29 Feb in a year that is not a leap year in either century (19xx/20xx).
    pub const FEB29_NOT_LEAP: Self = Self(1 << 7);
    /// Error: serial 0000 (serials start at 0001).
    pub const SERIAL_ZERO: Self = Self(1 << 8);
    /// Warning: regency not in the current list and not a known retired code.
    pub const REGENCY_UNKNOWN: Self = Self(1 << 16);
    /// Warning: district not in the current list under its regency (or the regency's successor).
    pub const DISTRICT_UNKNOWN: Self = Self(1 << 17);
    /// Warning: regency code retired by a province split (e.g. 91.01 Merauke, now 93.01).
    pub const REGENCY_RETIRED: Self = Self(1 << 18);
    /// Warning: a Dukcapil placeholder birth date: 1 Jul, 31 Dec, 1 Jan or the 15th.
    pub const PLACEHOLDER_DATE: Self = Self(1 << 19);
    /// Warning: 7 or more equal digits in a row. Genuine numbers reach 6 (`10 00 0001`: Oct 2000,
    /// serial 1); longer runs need made-up fields such as `1111111111111111`.
    pub const REPEATED_DIGITS: Self = Self(1 << 20);
    /// Warning: 8 or more ascending digits in a row, 9 wrapping to 0 (`1234567890...`).
    pub const ASCENDING_RUN: Self = Self(1 << 21);
    /// Warning: last digit 0, a possible Excel truncation. About one genuine number in ten ends
    /// in 0, so this only means something next to a near-equal number
    /// ([`NikLevel::ExcelTruncated`]).
    pub const ENDS_IN_ZERO: Self = Self(1 << 22);
    /// Warning (KK only): recording day stored with +40, tolerated.
    pub const KK_DAY_OFFSET: Self = Self(1 << 23);
    /// Warning ([`cross_check`]): the record's sex differs from the NIK's.
    pub const SEX_MISMATCH: Self = Self(1 << 24);
    /// Warning ([`cross_check`]): the record's birth year differs from the NIK's (two digits).
    pub const BIRTH_YEAR_MISMATCH: Self = Self(1 << 25);
    /// Warning ([`cross_check`]): same year, but day/month differ and no placeholder explains it.
    pub const BIRTH_DATE_MISMATCH: Self = Self(1 << 26);
    /// Warning ([`cross_check_kk`]): the NIK equals the household's KK number.
    pub const EQUALS_KK: Self = Self(1 << 27);

    /// Mask of all error bits.
    pub const ERRORS: Self = Self(0xFFFF);

    /// Every flag with its code, in bit order.
    const TABLE: [(Self, &'static str); 21] = [
        (Self::PROVINCE_INVALID, "province_invalid"),
        (Self::REGENCY_ZERO, "regency_zero"),
        (Self::REGENCY_OUT_OF_RANGE, "regency_out_of_range"),
        (Self::DISTRICT_ZERO, "district_zero"),
        (Self::DAY_INVALID, "day_invalid"),
        (Self::MONTH_INVALID, "month_invalid"),
        (Self::DATE_INVALID, "date_invalid"),
        (Self::FEB29_NOT_LEAP, "feb29_not_leap"),
        (Self::SERIAL_ZERO, "serial_zero"),
        (Self::REGENCY_UNKNOWN, "regency_unknown"),
        (Self::DISTRICT_UNKNOWN, "district_unknown"),
        (Self::REGENCY_RETIRED, "regency_retired"),
        (Self::PLACEHOLDER_DATE, "placeholder_date"),
        (Self::REPEATED_DIGITS, "repeated_digits"),
        (Self::ASCENDING_RUN, "ascending_run"),
        (Self::ENDS_IN_ZERO, "ends_in_zero"),
        (Self::KK_DAY_OFFSET, "kk_day_offset"),
        (Self::SEX_MISMATCH, "sex_mismatch"),
        (Self::BIRTH_YEAR_MISMATCH, "birth_year_mismatch"),
        (Self::BIRTH_DATE_MISMATCH, "birth_date_mismatch"),
        (Self::EQUALS_KK, "equals_kk"),
    ];

    /// The raw bits (stable: new flags only take unused bits).
    ///
    /// ```
    /// assert_eq!(padan::indo::nik::NikIssues::SERIAL_ZERO.bits(), 1 << 8);
    /// ```
    #[must_use]
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Builds a set from raw bits, dropping unknown ones.
    ///
    /// ```
    /// use padan::indo::nik::NikIssues;
    /// assert_eq!(NikIssues::from_bits_truncate(1 << 8 | 1 << 15), NikIssues::SERIAL_ZERO);
    /// ```
    #[must_use]
    pub const fn from_bits_truncate(bits: u32) -> Self {
        let mut all = 0;
        let mut i = 0;
        while i < Self::TABLE.len() {
            all |= Self::TABLE[i].0.0;
            i += 1;
        }
        Self(bits & all)
    }

    /// True when no bit is set.
    ///
    /// ```
    /// assert!(padan::indo::nik::NikIssues::NONE.is_empty());
    /// ```
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True when every bit of `other` is set.
    ///
    /// ```
    /// use padan::indo::nik::NikIssues;
    /// let s = NikIssues::DAY_INVALID | NikIssues::MONTH_INVALID;
    /// assert!(s.contains(NikIssues::DAY_INVALID));
    /// ```
    #[must_use]
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when any bit of `other` is set.
    ///
    /// ```
    /// use padan::indo::nik::NikIssues;
    /// assert!(NikIssues::DAY_INVALID.intersects(NikIssues::ERRORS));
    /// ```
    #[must_use]
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// Sets the bits of `other`.
    ///
    /// ```
    /// use padan::indo::nik::NikIssues;
    /// let mut s = NikIssues::NONE;
    /// s.insert(NikIssues::ENDS_IN_ZERO);
    /// assert_eq!(s, NikIssues::ENDS_IN_ZERO);
    /// ```
    pub fn insert(&mut self, other: Self) {
        self.0 |= other.0;
    }

    /// Only the error bits.
    ///
    /// ```
    /// use padan::indo::nik::NikIssues;
    /// let s = NikIssues::SERIAL_ZERO | NikIssues::ENDS_IN_ZERO;
    /// assert_eq!(s.errors(), NikIssues::SERIAL_ZERO);
    /// ```
    #[must_use]
    pub const fn errors(self) -> Self {
        Self(self.0 & Self::ERRORS.0)
    }

    /// Only the warning bits.
    ///
    /// ```
    /// use padan::indo::nik::NikIssues;
    /// let s = NikIssues::SERIAL_ZERO | NikIssues::ENDS_IN_ZERO;
    /// assert_eq!(s.warnings(), NikIssues::ENDS_IN_ZERO);
    /// ```
    #[must_use]
    pub const fn warnings(self) -> Self {
        Self(self.0 & !Self::ERRORS.0)
    }

    /// True when any error bit is set.
    ///
    /// ```
    /// use padan::indo::nik::NikIssues;
    /// assert!(NikIssues::SERIAL_ZERO.has_errors());
    /// assert!(!NikIssues::ENDS_IN_ZERO.has_errors());
    /// ```
    #[must_use]
    pub const fn has_errors(self) -> bool {
        self.0 & Self::ERRORS.0 != 0
    }

    /// The `snake_case` codes of the set bits, in bit order (errors first).
    ///
    /// ```
    /// use padan::indo::nik::NikIssues;
    /// let s = NikIssues::ENDS_IN_ZERO | NikIssues::SERIAL_ZERO;
    /// assert_eq!(s.codes(), vec!["serial_zero", "ends_in_zero"]);
    /// ```
    #[must_use]
    pub fn codes(&self) -> Vec<&'static str> {
        Self::TABLE.iter().filter(|(flag, _)| self.contains(*flag)).map(|&(_, code)| code).collect()
    }

    /// The flag for a code, the inverse of [`NikIssues::codes`].
    ///
    /// ```
    /// use padan::indo::nik::NikIssues;
    /// assert_eq!(NikIssues::from_code("regency_retired"), Some(NikIssues::REGENCY_RETIRED));
    /// assert_eq!(NikIssues::from_code("nope"), None);
    /// ```
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::TABLE.iter().find(|(_, c)| *c == code).map(|&(f, _)| f)
    }
}

impl fmt::Debug for NikIssues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NikIssues({:?})", self.codes())
    }
}

impl BitOr for NikIssues {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

impl BitOrAssign for NikIssues {
    fn bitor_assign(&mut self, rhs: Self) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for NikIssues {
    type Output = Self;
    fn bitand(self, rhs: Self) -> Self {
        Self(self.0 & rhs.0)
    }
}

impl serde::Serialize for NikIssues {
    /// Serialises as the list of codes, the form reports use.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.codes())
    }
}

/// Why a NIK or KK is invalid: a format error, or the error bits of a 16-digit number.
///
/// ```
/// use padan::indo::nik::{parse_nik, NikError, NikIssues};
/// let p = parse_nik("3200015208850002");
/// assert_eq!(p.error, Some(NikError::Invalid(NikIssues::REGENCY_ZERO)));
/// assert_eq!(p.error.unwrap().codes(), vec!["regency_zero"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NikError {
    /// The value is not 16 digits.
    Format(NikFormatError),
    /// 16 digits, with these error bits (never empty, never warning bits).
    Invalid(NikIssues),
}

impl NikError {
    /// Stable `snake_case` codes: one for a format error, one per error bit otherwise.
    ///
    /// ```
    /// use padan::indo::nik::parse_nik;
    /// assert_eq!(parse_nik("12").error.unwrap().codes(), vec!["too_short"]);
    /// ```
    #[must_use]
    pub fn codes(&self) -> Vec<&'static str> {
        match self {
            Self::Format(e) => vec![e.code()],
            Self::Invalid(i) => i.codes(),
        }
    }
}

impl fmt::Display for NikError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Format(e) => e.fmt(f),
            Self::Invalid(i) => f.write_str(&i.codes().join(", ")),
        }
    }
}

impl std::error::Error for NikError {}

/// Cleans a raw NIK or KK value into 16 ASCII digits (checklist step 1).
///
/// Strips surrounding and inner whitespace, dots, hyphens (ASCII and Unicode dashes) and one
/// leading apostrophe (`'`, `‘`, `’` or `` ` ``, the spreadsheet text marker). Scientific notation
/// (`3.27302E+15`, `3,27302e15`) and float renderings (`…0002.0`, `…0002,00`) are rejected with
/// their own errors because their digits cannot be trusted; 15 digits give
/// `TooShort { len: 15 }`. Commas and any other character are invalid.
///
/// ```
/// use padan::indo::nik::{clean_id_digits, NikFormatError};
/// assert_eq!(&clean_id_digits("'3273 0152.0885-0002").unwrap(), b"3273015208850002");
/// assert_eq!(clean_id_digits("3273015208850002.0"), Err(NikFormatError::FloatArtefact));
/// assert_eq!(clean_id_digits("  "), Err(NikFormatError::Empty));
/// ```
///
/// # Errors
/// A [`NikFormatError`] saying why the value is not 16 digits.
pub fn clean_id_digits(raw: &str) -> Result<[u8; 16], NikFormatError> {
    let mut s = raw.trim();
    if let Some(rest) = s.strip_prefix(['\'', '\u{2018}', '\u{2019}', '`']) {
        s = rest.trim_start();
    }
    if is_scientific(s) {
        return Err(NikFormatError::ScientificNotation);
    }
    if is_float_artefact(s) {
        return Err(NikFormatError::FloatArtefact);
    }
    let mut out = [0u8; 16];
    let mut n = 0usize;
    for c in s.chars() {
        match c {
            '0'..='9' => {
                if let Some(slot) = out.get_mut(n) {
                    *slot = c as u8; // ASCII digit, fits in a byte
                }
                n += 1;
            }
            '.' | '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' => {}
            c if c.is_whitespace() => {}
            _ => return Err(NikFormatError::InvalidCharacter),
        }
    }
    match n {
        0 => Err(NikFormatError::Empty),
        16 => Ok(out),
        len if len < 16 => Err(NikFormatError::TooShort { len }),
        len => Err(NikFormatError::TooLong { len }),
    }
}

/// `[+-]digits[(.|,)digits]e[+-]digits`, the shape spreadsheets give long numbers.
fn is_scientific(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if matches!(b.get(i), Some(b'.' | b',')) {
        i += 1;
        digits(&mut i);
    }
    if !matches!(b.get(i), Some(b'e' | b'E')) {
        return false;
    }
    i += 1;
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    digits(&mut i) && i == b.len()
}

/// 15+ bare digits, then `.` or `,` and one to three zeros: a number that went through a float
/// column. Dotted group notation (`…885.0000`) has a four-digit last group, so it is not caught.
fn is_float_artefact(s: &str) -> bool {
    let Some(dot) = s.rfind(['.', ',']) else {
        return false;
    };
    let (head, tail) = (&s[..dot], &s[dot + 1..]);
    (1..=3).contains(&tail.len())
        && tail.bytes().all(|b| b == b'0')
        && head.len() >= 15
        && head.bytes().all(|b| b.is_ascii_digit())
}

/// Decoded NIK fields plus every issue found (errors and warnings).
///
/// Present whenever the value had 16 digits, even when invalid: check [`ParsedNik::error`] (or
/// `issues.has_errors()`) before trusting the fields.
///
/// ```
/// use padan::indo::nik::parse_nik;
/// let info = parse_nik("3507014502740001").info.unwrap(); // test pair 8
/// assert_eq!((info.province, info.regency, info.district), (35, 7, 1));
/// assert_eq!((info.birth_day, info.birth_month, info.birth_year_2d), (5, 2, 74));
/// assert_eq!((info.sex, info.serial), (2, 1)); // day 45 = female
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NikInfo {
    /// Digits 1-2.
    pub province: u8,
    /// Digits 3-4.
    pub regency: u8,
    /// Digits 5-6.
    pub district: u8,
    /// Day of birth with the +40 female offset removed (1..31 when valid).
    pub birth_day: u8,
    /// Month of birth (1..12 when valid).
    pub birth_month: u8,
    /// Last two digits of the birth year; the century is not encoded.
    pub birth_year_2d: u8,
    /// 1 male, 2 female (day field above 40).
    pub sex: u8,
    /// Digits 13-16.
    pub serial: u16,
    /// All issues: errors and warnings.
    pub issues: NikIssues,
}

/// Age above which a century choice is flagged as ambiguous (checklist step 5).
pub const AMBIGUOUS_AGE: i32 = 95;

impl NikInfo {
    /// Decodes and validates a NIK; `None` if some byte is not an ASCII digit.
    ///
    /// ```
    /// use padan::indo::nik::{Nik, NikInfo};
    /// let info = NikInfo::decode(&Nik(*b"3374011403620003")).unwrap();
    /// assert_eq!((info.birth_day, info.birth_month, info.sex), (14, 3, 1));
    /// assert!(NikInfo::decode(&Nik(*b"33740114036200x3")).is_none());
    /// ```
    #[must_use]
    pub fn decode(nik: &Nik) -> Option<NikInfo> {
        let f = decode_fields(&nik.0, DateKind::Birth)?;
        Some(NikInfo {
            province: f.province,
            regency: f.regency,
            district: f.district,
            birth_day: f.day,
            birth_month: f.month,
            birth_year_2d: f.year_2d,
            sex: if f.raw_day > 40 { 2 } else { 1 },
            serial: f.serial,
            issues: f.issues,
        })
    }

    /// The birth date `(year, month, day)`, or `None` if the date is not a real one under the
    /// chosen century (checklist steps 4-5).
    ///
    /// `century_hint` anchors the century:
    /// - a full year (≥ 1000), normally the record's own birth year: the reading nearest to it
    ///   wins, so a record saying 1975 reads NIK year 80 as 1980;
    /// - two leading digits (10..=99): `Some(19)` reads year 80 as 1980, `Some(20)` as 2080;
    /// - `None` (or any other value): the latest year that is not in the future, by the system
    ///   clock. See [`NikInfo::birth_date_as_of`] for a fixed reference year and
    ///   [`NikInfo::century_ambiguous`] for the >95-years flag.
    ///
    /// 29 Feb: [`parse_nik`] accepts it when either century makes a leap year (only year 00
    /// differs: 1900 is not a leap year, 2000 is); this function then decides by the chosen
    /// century, so `290200` gives `None` with a 1900 hint.
    ///
    /// ```
    /// use padan::indo::nik::parse_nik;
    /// let info = parse_nik("3273016902840001").info.unwrap(); // 29 Feb 84, female
    /// assert_eq!(info.birth_date(Some(1984)), Some((1984, 2, 29)));
    /// assert_eq!(info.birth_date(Some(19)), Some((1984, 2, 29)));
    /// ```
    #[must_use]
    pub fn birth_date(&self, century_hint: Option<i32>) -> Option<(i32, u8, u8)> {
        match century_hint {
            Some(h) if h >= 1000 || (10..=99).contains(&h) => {
                // The reference year is not used when a valid hint is given.
                self.birth_date_as_of(century_hint, 0)
            }
            _ => self.birth_date_as_of(None, current_year()),
        }
    }

    /// [`NikInfo::birth_date`] with an explicit reference year for the no-hint rule (pure:
    /// tests and batch runs pin the "current" year).
    ///
    /// ```
    /// use padan::indo::nik::parse_nik;
    /// let info = parse_nik("3201011211030001").info.unwrap(); // 12 Nov 03
    /// assert_eq!(info.birth_date_as_of(None, 2026), Some((2003, 11, 12)));
    /// assert_eq!(info.birth_date_as_of(None, 2002), Some((1903, 11, 12)));
    /// ```
    #[must_use]
    pub fn birth_date_as_of(&self, century_hint: Option<i32>, reference_year: i32) -> Option<(i32, u8, u8)> {
        let year = resolve_year(self.birth_year_2d, century_hint, reference_year);
        is_real_date(year, self.birth_month, self.birth_day).then_some((
            year,
            self.birth_month,
            self.birth_day,
        ))
    }

    /// True when the no-hint reading of the birth year gives an age above [`AMBIGUOUS_AGE`] at
    /// `reference_year`: the century is then a guess worth reviewing.
    ///
    /// ```
    /// use padan::indo::nik::parse_nik;
    /// let old = parse_nik("3273011203280001").info.unwrap(); // year 28
    /// assert!(old.century_ambiguous(2026)); // 1928: 98 years
    /// let young = parse_nik("3273011203500001").info.unwrap(); // year 50
    /// assert!(!young.century_ambiguous(2026)); // 1950: 76 years
    /// ```
    #[must_use]
    pub fn century_ambiguous(&self, reference_year: i32) -> bool {
        reference_year - resolve_year(self.birth_year_2d, None, reference_year) > AMBIGUOUS_AGE
    }

    /// True for a placeholder birth date: 1 Jul, 31 Dec, 1 Jan or the 15th of a month.
    ///
    /// ```
    /// use padan::indo::nik::parse_nik;
    /// assert!(parse_nik("3404010107700005").info.unwrap().is_placeholder_date()); // 1 Jul 70
    /// ```
    #[must_use]
    pub fn is_placeholder_date(&self) -> bool {
        is_placeholder(self.birth_day, self.birth_month)
    }
}

/// The result of [`parse_nik`]: digits, decoded fields, the error if invalid, and warnings.
///
/// ```
/// use padan::indo::nik::parse_nik;
/// let p = parse_nik("9101010404880009"); // test pair 18: retired prefix 91.01
/// assert!(p.is_valid());
/// assert_eq!(p.warnings.codes(), vec!["regency_retired"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParsedNik {
    /// The 16 digits, when the value had exactly 16 (even if invalid).
    pub digits: Option<Nik>,
    /// Decoded fields and all issues, when `digits` is present.
    pub info: Option<NikInfo>,
    /// Why the NIK is invalid; `None` for a valid NIK.
    pub error: Option<NikError>,
    /// Warning bits only (also for invalid NIKs).
    pub warnings: NikIssues,
}

impl ParsedNik {
    /// True when 16 digits passed every check (warnings allowed).
    ///
    /// ```
    /// assert!(padan::indo::nik::parse_nik("3374011403620003").is_valid());
    /// assert!(!padan::indo::nik::parse_nik("3273015208850000").is_valid());
    /// ```
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.error.is_none() && self.digits.is_some()
    }

    /// The NIK if valid.
    ///
    /// ```
    /// assert!(padan::indo::nik::parse_nik("3273015208850000").valid_nik().is_none());
    /// ```
    #[must_use]
    pub fn valid_nik(&self) -> Option<Nik> {
        if self.is_valid() { self.digits } else { None }
    }

    /// All codes: the error codes, then the warning codes.
    ///
    /// ```
    /// let p = padan::indo::nik::parse_nik("3273015208850000");
    /// assert_eq!(p.codes(), vec!["serial_zero", "ends_in_zero"]);
    /// ```
    #[must_use]
    pub fn codes(&self) -> Vec<&'static str> {
        let mut out = self.error.map(|e| e.codes()).unwrap_or_default();
        out.extend(self.warnings.codes());
        out
    }
}

/// Parses and validates a NIK per the domain brief's checklist (steps 1-4, 6 and the warnings of
/// steps 3 and 8-9). Never panics; allocation-free apart from the first call, which loads the
/// region list.
///
/// ```
/// use padan::indo::nik::{parse_nik, NikError, NikFormatError};
/// assert!(parse_nik("3374011403620003").is_valid());
/// assert_eq!(parse_nik("3.57811E+15").error,
///            Some(NikError::Format(NikFormatError::ScientificNotation)));
/// assert_eq!(parse_nik("3273017102850001").codes(), vec!["date_invalid"]); // 31 Feb
/// ```
#[must_use]
pub fn parse_nik(raw: &str) -> ParsedNik {
    let digits = match clean_id_digits(raw) {
        Ok(d) => Nik(d),
        Err(e) => {
            return ParsedNik {
                digits: None,
                info: None,
                error: Some(NikError::Format(e)),
                warnings: NikIssues::NONE,
            };
        }
    };
    // clean_id_digits only yields ASCII digits, so decoding succeeds.
    let info = NikInfo::decode(&digits);
    let issues = info.map_or(NikIssues::NONE, |i| i.issues);
    ParsedNik {
        digits: Some(digits),
        info,
        error: issues.has_errors().then_some(NikError::Invalid(issues.errors())),
        warnings: issues.warnings(),
    }
}

/// Cross-checks a decoded NIK against the record's own fields (checklist step 7); warnings only.
///
/// - `sex`: 1 male, 2 female (DTKS `jenis_kelamin`); other values are ignored. A difference sets
///   [`NikIssues::SEX_MISMATCH`].
/// - `birth_date`: `(year, month, day)` from `tanggal_lahir`. A different two-digit year sets
///   [`NikIssues::BIRTH_YEAR_MISMATCH`]. With the same year, a different day/month sets
///   [`NikIssues::BIRTH_DATE_MISMATCH`] unless a placeholder explains it: either date is 1 Jul,
///   31 Dec or 1 Jan, or either day is the 15th of the same month. (A NIK is not re-issued after
///   a birth-date correction, so even a mismatch is only a warning.)
///
/// ```
/// use padan::indo::nik::{cross_check, parse_nik, NikIssues};
/// // Pair 19: the NIK says female, the record says JK L (1).
/// let info = parse_nik("3471025508820006").info.unwrap();
/// assert_eq!(cross_check(&info, None, Some(1)), NikIssues::SEX_MISMATCH);
/// // Pair 30, record B: born 1975-06-02, the NIK says 15 Mar 80.
/// let info = parse_nik("3204061503800002").info.unwrap();
/// assert_eq!(cross_check(&info, Some((1975, 6, 2)), None), NikIssues::BIRTH_YEAR_MISMATCH);
/// assert!(cross_check(&info, Some((1980, 3, 15)), Some(1)).is_empty());
/// ```
#[must_use]
pub fn cross_check(info: &NikInfo, birth_date: Option<(i32, u8, u8)>, sex: Option<u8>) -> NikIssues {
    let mut out = NikIssues::NONE;
    if let Some(s) = sex
        && matches!(s, 1 | 2)
        && s != info.sex
    {
        out |= NikIssues::SEX_MISMATCH;
    }
    if let Some((year, month, day)) = birth_date {
        if year.rem_euclid(100) != i32::from(info.birth_year_2d) {
            out |= NikIssues::BIRTH_YEAR_MISMATCH;
        } else if (month, day) != (info.birth_month, info.birth_day) {
            let explained = is_full_placeholder(info.birth_day, info.birth_month)
                || is_full_placeholder(day, month)
                || (month == info.birth_month && (day == 15 || info.birth_day == 15));
            if !explained {
                out |= NikIssues::BIRTH_DATE_MISMATCH;
            }
        }
    }
    out
}

/// Flags a NIK equal to the household's KK number (checklist step 8): a typing slip that makes
/// the NIK useless as a key.
///
/// ```
/// use padan::indo::nik::{cross_check_kk, Kk, Nik, NikIssues};
/// let nik = Nik(*b"3273031203100002");
/// assert_eq!(cross_check_kk(&nik, &Kk(*b"3273031203100002")), NikIssues::EQUALS_KK);
/// assert!(cross_check_kk(&nik, &Kk(*b"3273031203100003")).is_empty());
/// ```
#[must_use]
pub fn cross_check_kk(nik: &Nik, kk: &Kk) -> NikIssues {
    if nik.0 == kk.0 { NikIssues::EQUALS_KK } else { NikIssues::NONE }
}

/// Masks a NIK or KK for display: the first 4 digits (province + regency) and the last 4 (the
/// serial) stay, the rest becomes `*` (brief §7, `3273 **** **** 0002`). Separators in the input
/// are ignored. Values with fewer than 12 digits are fully masked: they are no NIK/KK, so there is
/// no telling which of their digits are region and serial. Never panics.
///
/// ```
/// use padan::indo::nik::mask_id;
/// assert_eq!(mask_id("3273015208850002"), "3273 **** **** 0002");
/// assert_eq!(mask_id("3273.0152.0885.0002"), "3273 **** **** 0002");
/// assert_eq!(mask_id("327301520885000"), "3273 ******* 5000");
/// assert_eq!(mask_id("3.27302E+15"), "********");
/// ```
#[must_use]
pub fn mask_id(digits: &str) -> String {
    let d: Vec<u8> = digits.bytes().filter(u8::is_ascii_digit).collect();
    mask_bytes(&d)
}

fn mask_bytes(d: &[u8]) -> String {
    let n = d.len();
    if n < 12 {
        return "*".repeat(n);
    }
    let head: String = d[..4].iter().map(|&b| char::from(b)).collect();
    let tail: String = d[n - 4..].iter().map(|&b| char::from(b)).collect();
    if n == 16 { format!("{head} **** **** {tail}") } else { format!("{head} {} {tail}", "*".repeat(n - 8)) }
}

/// How two NIKs relate, for a comparison column. 0 is left to the caller for "null".
///
/// ```
/// use padan::indo::nik::NikLevel;
/// assert_eq!(NikLevel::Exact as u8, 1);
/// assert_eq!(NikLevel::TwinPattern.code(), "twin_pattern");
/// ```
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NikLevel {
    /// All 16 digits equal.
    Exact = 1,
    /// The first 15 equal and one of the two ends in 0 (the 16th digit lost in Excel).
    ExcelTruncated = 2,
    /// Two adjacent digits swapped.
    Transposition = 3,
    /// One digit differs, outside the serial (digits 1-12).
    OneSubstitution = 4,
    /// The first 12 equal and only the serial differs, or only digit 7 differs and by exactly 4
    /// (the sex code): the signature of twins, not of a typo.
    TwinPattern = 5,
    /// Anything else.
    Different = 6,
}

impl NikLevel {
    /// Stable `snake_case` code.
    ///
    /// ```
    /// assert_eq!(padan::indo::nik::NikLevel::ExcelTruncated.code(), "excel_truncated");
    /// ```
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::ExcelTruncated => "excel_truncated",
            Self::Transposition => "transposition",
            Self::OneSubstitution => "one_substitution",
            Self::TwinPattern => "twin_pattern",
            Self::Different => "different",
        }
    }
}

impl From<NikLevel> for u8 {
    fn from(level: NikLevel) -> u8 {
        level as u8
    }
}

/// Compares two NIKs digit by digit. Allocation-free and branch-light: one 16-lane comparison
/// (vectorised by the compiler) builds a bit mask of differing positions, and every level is a
/// test on that mask plus at most two byte comparisons.
///
/// The checks run in this order, first hit wins:
/// 1. `Exact`.
/// 2. `ExcelTruncated`: only the last digit differs and one side ends in 0. It goes before
///    `TwinPattern`, which would also match (the serial differs), because a trailing 0 against
///    an otherwise equal NIK is the Excel signature.
/// 3. `Transposition`: an adjacent swap (pair 16). Before `TwinPattern` so that a swap inside the
///    serial counts as a typo; SIAK serials are consecutive, so twins differ by one step, not by
///    a swap.
/// 4. `TwinPattern`: the first 12 equal and any serial difference, or only digit 7 off by 4. It
///    goes before `OneSubstitution` because SIAK gives consecutive serials to people with the same
///    first 12 digits (same district, birth date and sex), so a one-digit serial change is far
///    more often a twin (pair 25) than a typo, and a digit-7 change by 4 flips the sex code
///    (pair 26).
/// 5. `OneSubstitution`: one digit differs in digits 1-12 (a digit-7 change by 4 never gets
///    here).
/// 6. `Different`.
///
/// ```
/// use padan::indo::nik::{compare_nik, Nik, NikLevel};
/// let n = |s: &str| Nik::parse(s).unwrap();
/// assert_eq!(compare_nik(&n("3578036505900017"), &n("3578036505900010")), NikLevel::ExcelTruncated);
/// assert_eq!(compare_nik(&n("7371032010100003"), &n("7371032010100004")), NikLevel::TwinPattern);
/// assert_eq!(compare_nik(&n("3201011211030001"), &n("3201015211030001")), NikLevel::TwinPattern);
/// assert_eq!(compare_nik(&n("3273015208850002"), &n("3273025208850002")), NikLevel::OneSubstitution);
/// ```
#[must_use]
#[inline]
pub fn compare_nik(a: &Nik, b: &Nik) -> NikLevel {
    let (a, b) = (&a.0, &b.0);
    let mask = diff_mask(a, b);
    if mask == 0 {
        return NikLevel::Exact;
    }
    if mask == 1 << 15 && (a[15] == b'0' || b[15] == b'0') {
        return NikLevel::ExcelTruncated;
    }
    let first = mask.trailing_zeros() as usize; // < 16 because mask != 0
    if mask >> first == 0b11 && a[first] == b[first + 1] && a[first + 1] == b[first] {
        // mask >> first == 0b11 means bits first and first+1 only, so first + 1 <= 15.
        return NikLevel::Transposition;
    }
    if mask.trailing_zeros() >= 12 || (mask == 1 << 6 && a[6].abs_diff(b[6]) == 4) {
        return NikLevel::TwinPattern;
    }
    if mask.is_power_of_two() {
        // One differing digit, and not in the serial (that case returned above).
        return NikLevel::OneSubstitution;
    }
    NikLevel::Different
}

/// How many digits one typo changed between two NIKs: 1 for one digit, 2 for two neighbours
/// swapped; `None` when they are equal or more than one typo apart. No allocation: it runs for
/// every pair of records that share a NIK with one digit deleted.
///
/// ```
/// use padan::indo::nik::typo_apart;
/// assert_eq!(typo_apart(b"3273015208850002", b"3273015208850009"), Some(1));
/// assert_eq!(typo_apart(b"3273015208850002", b"3273015208850020"), Some(2));
/// assert_eq!(typo_apart(b"3273015208850002", b"3273015208850002"), None);
/// assert_eq!(typo_apart(b"3273015208850002", b"3273015208851111"), None);
/// ```
#[must_use]
pub fn typo_apart(a: &[u8; 16], b: &[u8; 16]) -> Option<u8> {
    let mask = diff_mask(a, b);
    let first = mask.trailing_zeros() as usize;
    match mask.count_ones() {
        1 => Some(1),
        2 if mask >> first == 0b11 && a[first] == b[first + 1] && a[first + 1] == b[first] => Some(2),
        _ => None,
    }
}

/// Bit `i` set when `a[i] != b[i]`, computed SWAR-style on two u64 halves: no loop and no
/// branch. (A plain 16-step loop compiled to ~40 partly vectorised instructions; SSE2 `pmovmskb`
/// would need `unsafe` intrinsics, which the crate forbids.)
#[inline]
fn diff_mask(a: &[u8; 16], b: &[u8; 16]) -> u16 {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // Multiplying bytes that hold 0 or 1 by this moves byte i's bit to bit 56 + i, with no
    // carries (every partial product lands on a distinct bit).
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let half = |off: usize| -> u16 {
        let mut wa = [0u8; 8];
        let mut wb = [0u8; 8];
        wa.copy_from_slice(&a[off..off + 8]);
        wb.copy_from_slice(&b[off..off + 8]);
        let x = u64::from_le_bytes(wa) ^ u64::from_le_bytes(wb);
        // High bit of each byte set iff the byte is nonzero: adding 0x7f to the low 7 bits
        // carries into bit 7 unless they are all 0, and `| x` covers bit 7 itself.
        let nonzero = (((x & LO7) + LO7) | x) & !LO7;
        ((nonzero >> 7).wrapping_mul(GATHER) >> 56) as u16
    };
    half(0) | half(8) << 8
}

/// Decoded KK fields plus every issue found.
///
/// ```
/// use padan::indo::nik::parse_kk;
/// let info = parse_kk("3273031203100002").info.unwrap(); // pair 22's KK
/// assert_eq!((info.day, info.month, info.year_2d, info.serial), (12, 3, 10, 2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KkInfo {
    /// Digits 1-2.
    pub province: u8,
    /// Digits 3-4.
    pub regency: u8,
    /// Digits 5-6.
    pub district: u8,
    /// Recording day, with a tolerated +40 removed (1..31 when valid).
    pub day: u8,
    /// Recording month (1..12 when valid).
    pub month: u8,
    /// Last two digits of the recording year.
    pub year_2d: u8,
    /// Family serial, digits 13-16.
    pub serial: u16,
    /// All issues: errors and warnings.
    pub issues: NikIssues,
}

impl KkInfo {
    /// Decodes and validates a KK number; `None` if some byte is not an ASCII digit.
    ///
    /// ```
    /// use padan::indo::nik::{Kk, KkInfo};
    /// assert_eq!(KkInfo::decode(&Kk(*b"3372031503100004")).unwrap().day, 15);
    /// ```
    #[must_use]
    pub fn decode(kk: &Kk) -> Option<KkInfo> {
        let f = decode_fields(&kk.0, DateKind::Recording)?;
        Some(KkInfo {
            province: f.province,
            regency: f.regency,
            district: f.district,
            day: f.day,
            month: f.month,
            year_2d: f.year_2d,
            serial: f.serial,
            issues: f.issues,
        })
    }

    /// The recording date: the latest year not after `reference_year`, or `None` if not a real
    /// date.
    ///
    /// ```
    /// use padan::indo::nik::parse_kk;
    /// let info = parse_kk("3273031203100002").info.unwrap();
    /// assert_eq!(info.recording_date_as_of(2026), Some((2010, 3, 12)));
    /// ```
    #[must_use]
    pub fn recording_date_as_of(&self, reference_year: i32) -> Option<(i32, u8, u8)> {
        let year = resolve_year(self.year_2d, None, reference_year);
        is_real_date(year, self.month, self.day).then_some((year, self.month, self.day))
    }
}

/// The result of [`parse_kk`], shaped like [`ParsedNik`].
///
/// ```
/// use padan::indo::nik::parse_kk;
/// let p = parse_kk("3273035203100002"); // day 52: +40 tolerated
/// assert!(p.is_valid());
/// assert_eq!(p.warnings.codes(), vec!["kk_day_offset"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParsedKk {
    /// The 16 digits, when the value had exactly 16 (even if invalid).
    pub digits: Option<Kk>,
    /// Decoded fields and all issues, when `digits` is present.
    pub info: Option<KkInfo>,
    /// Why the number is invalid; `None` for a valid one.
    pub error: Option<NikError>,
    /// Warning bits only.
    pub warnings: NikIssues,
}

impl ParsedKk {
    /// True when 16 digits passed every check (warnings allowed).
    ///
    /// ```
    /// assert!(padan::indo::nik::parse_kk("3372031503100004").is_valid());
    /// ```
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.error.is_none() && self.digits.is_some()
    }

    /// All codes: the error codes, then the warning codes.
    ///
    /// ```
    /// assert_eq!(padan::indo::nik::parse_kk("3273031203100000").codes(),
    ///            vec!["serial_zero", "ends_in_zero"]);
    /// ```
    #[must_use]
    pub fn codes(&self) -> Vec<&'static str> {
        let mut out = self.error.map(|e| e.codes()).unwrap_or_default();
        out.extend(self.warnings.codes());
        out
    }
}

/// Parses and validates a KK number: 16 digits, the region checked like a NIK's, a DDMMYY
/// recording date (a +40 day is tolerated with [`NikIssues::KK_DAY_OFFSET`]) and a serial that
/// is not 0000. Placeholder-date checks do not apply. Never panics.
///
/// ```
/// use padan::indo::nik::parse_kk;
/// assert!(parse_kk("3273031203100002").is_valid());
/// assert_eq!(parse_kk("3273033102100002").codes(), vec!["date_invalid"]); // 31 Feb
/// ```
#[must_use]
pub fn parse_kk(raw: &str) -> ParsedKk {
    let digits = match clean_id_digits(raw) {
        Ok(d) => Kk(d),
        Err(e) => {
            return ParsedKk {
                digits: None,
                info: None,
                error: Some(NikError::Format(e)),
                warnings: NikIssues::NONE,
            };
        }
    };
    let info = KkInfo::decode(&digits);
    let issues = info.map_or(NikIssues::NONE, |i| i.issues);
    ParsedKk {
        digits: Some(digits),
        info,
        error: issues.has_errors().then_some(NikError::Invalid(issues.errors())),
        warnings: issues.warnings(),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared decoding.

#[derive(Clone, Copy, PartialEq, Eq)]
enum DateKind {
    /// NIK: +40 is the female marker, not an anomaly; placeholder dates are flagged.
    Birth,
    /// KK: no sex offset expected; +40 tolerated with a warning.
    Recording,
}

struct Fields {
    province: u8,
    regency: u8,
    district: u8,
    raw_day: u8,
    day: u8,
    month: u8,
    year_2d: u8,
    serial: u16,
    issues: NikIssues,
}

/// A run of 6 equal digits occurs in genuine NIKs (`MM=10, YY=00, serial 000x`); 7 or more needs
/// repeated region and date fields (`1111111111111111`), which is what made-up numbers look like.
const REPEAT_RUN_MIN: usize = 7;
/// 8 ascending digits need an implausible serial (e.g. `01 23 4567`) in a valid NIK.
const ASCENDING_RUN_MIN: usize = 8;

fn decode_fields(d: &[u8; 16], kind: DateKind) -> Option<Fields> {
    if !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let two = |i: usize| (d[i] - b'0') * 10 + (d[i + 1] - b'0');
    let (province, regency, district) = (two(0), two(2), two(4));
    let (raw_day, month, year_2d) = (two(6), two(8), two(10));
    let serial = u16::from(two(12)) * 100 + u16::from(two(14));
    let day = if raw_day > 40 { raw_day - 40 } else { raw_day };

    let mut issues = check_region(province, regency, district);

    // Checklist step 4.
    let day_ok = matches!(raw_day, 1..=31 | 41..=71);
    let month_ok = (1..=12).contains(&month);
    if !day_ok {
        issues |= NikIssues::DAY_INVALID;
    } else if kind == DateKind::Recording && raw_day > 40 {
        issues |= NikIssues::KK_DAY_OFFSET;
    }
    if !month_ok {
        issues |= NikIssues::MONTH_INVALID;
    }
    if day_ok && month_ok {
        if month == 2 && day == 29 {
            // 20yy is a leap year whenever yy % 4 == 0 (2000 included), and 19yy never is
            // otherwise, so "some century makes it a leap year" reduces to yy % 4 == 0.
            if !year_2d.is_multiple_of(4) {
                issues |= NikIssues::FEB29_NOT_LEAP;
            }
        } else if day > days_in_month(month, true) {
            issues |= NikIssues::DATE_INVALID;
        } else if kind == DateKind::Birth && is_placeholder(day, month) {
            issues |= NikIssues::PLACEHOLDER_DATE;
        }
    }
    // Checklist step 6.
    if serial == 0 {
        issues |= NikIssues::SERIAL_ZERO;
    }
    // Checklist steps 8-9: suspicious shapes, warnings only.
    let (repeat, ascending) = runs(d);
    if repeat >= REPEAT_RUN_MIN {
        issues |= NikIssues::REPEATED_DIGITS;
    }
    if ascending >= ASCENDING_RUN_MIN {
        issues |= NikIssues::ASCENDING_RUN;
    }
    if d[15] == b'0' {
        issues |= NikIssues::ENDS_IN_ZERO;
    }
    Some(Fields { province, regency, district, raw_day, day, month, year_2d, serial, issues })
}

/// Checklist steps 2-3: structural errors, then list membership as warnings. Each level is
/// looked up only when its own code and its parents' are structurally valid.
fn check_region(province: u8, regency: u8, district: u8) -> NikIssues {
    let mut issues = NikIssues::NONE;
    if !is_province_code(province) {
        issues |= NikIssues::PROVINCE_INVALID;
    }
    if regency == 0 {
        issues |= NikIssues::REGENCY_ZERO;
    } else if regency == 70 {
        issues |= NikIssues::REGENCY_OUT_OF_RANGE;
    }
    if district == 0 {
        issues |= NikIssues::DISTRICT_ZERO;
    }
    if issues
        .intersects(NikIssues::PROVINCE_INVALID | NikIssues::REGENCY_ZERO | NikIssues::REGENCY_OUT_OF_RANGE)
    {
        return issues;
    }
    let idx = regions();
    // The regency to look the district up in: itself, or the successor of a retired code
    // (district numbers were kept when regencies moved, e.g. 91.01.01 -> 93.01.01 Merauke).
    let parent = if idx.has_regency(province, regency) {
        Some((province, regency))
    } else if let Some(r) = retired_regency_parts(province, regency) {
        issues |= NikIssues::REGENCY_RETIRED;
        let s = r.successor.as_bytes(); // "PP.KK", ASCII digits (checked by region tests)
        Some(((s[0] - b'0') * 10 + (s[1] - b'0'), (s[3] - b'0') * 10 + (s[4] - b'0')))
    } else {
        // An unknown regency makes its district unknown too; one warning says it.
        issues |= NikIssues::REGENCY_UNKNOWN;
        None
    };
    if let Some((p, r)) = parent
        && district != 0
        && !idx.has_district(p, r, district)
    {
        issues |= NikIssues::DISTRICT_UNKNOWN;
    }
    issues
}

/// Longest run of equal digits and longest ascending run (9 wraps to 0).
fn runs(d: &[u8; 16]) -> (usize, usize) {
    let (mut rep, mut asc, mut best_rep, mut best_asc) = (1, 1, 1, 1);
    for w in d.windows(2) {
        rep = if w[1] == w[0] { rep + 1 } else { 1 };
        asc = if (w[0] - b'0' + 1) % 10 == w[1] - b'0' { asc + 1 } else { 1 };
        best_rep = best_rep.max(rep);
        best_asc = best_asc.max(asc);
    }
    (best_rep, best_asc)
}

/// 1 Jul (SIAK), 31 Dec (pre-SIAK) and 1 Jan: placeholders that replace the whole date.
fn is_full_placeholder(day: u8, month: u8) -> bool {
    matches!((day, month), (1, 7 | 1) | (31, 12))
}

/// Full placeholders plus the 15th of the remembered month.
fn is_placeholder(day: u8, month: u8) -> bool {
    is_full_placeholder(day, month) || day == 15
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(month: u8, leap: bool) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

fn is_real_date(year: i32, month: u8, day: u8) -> bool {
    day >= 1 && day <= days_in_month(month, is_leap(year))
}

/// Chooses the century for a two-digit year (see [`NikInfo::birth_date`]).
fn resolve_year(yy: u8, hint: Option<i32>, reference_year: i32) -> i32 {
    let yy = i32::from(yy);
    match hint {
        Some(h) if h >= 1000 => {
            // Candidates in the hint's century and its neighbours; the nearest wins, ties go to
            // the earlier year.
            let base = h.div_euclid(100) * 100 + yy;
            [base - 100, base, base + 100].into_iter().min_by_key(|y| (y - h).abs()).unwrap_or(base)
        }
        Some(h) if (10..=99).contains(&h) => h * 100 + yy,
        _ => {
            let recent = 2000 + yy;
            if recent > reference_year { 1900 + yy } else { recent }
        }
    }
}

/// The current calendar year (UTC) from the system clock; 1970 if the clock is before 1970.
pub(crate) fn current_year() -> i32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    year_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// Civil year of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn year_from_days(days: i64) -> i32 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let year = yoe + era * 400 + i64::from(mp >= 10); // months Jan-Feb belong to the next year
    i32::try_from(year).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn nik(s: &str) -> Nik {
        Nik::parse(s).unwrap()
    }

    fn errors(raw: &str) -> Vec<&'static str> {
        parse_nik(raw).error.map(|e| e.codes()).unwrap_or_default()
    }

    /// Every NIK in the brief's 30 test pairs (§8).
    const PAIR_NIKS: [&str; 39] = [
        "3374011403620003",
        "3578020211580001",
        "3372010906710002",
        "5171022101660001",
        "1671013009600004",
        "3273021804790005",
        "3603012512010007",
        "3507014502740001",
        "3374031708610001",
        "5171030705830002",
        "1202015010770003",
        "1171010303900001",
        "7308026207950002",
        "3204055101990004",
        "1271010606680001",
        "3273015208850002",
        "3273015208850020",
        "3578036505900017",
        "3578036505900010",
        "9101010404880009",
        "3471025508820006",
        "3273010909750003",
        "3374034411560001",
        "3273032902800003",
        "3404010107700005",
        "3173010107700021",
        "3372033112550001",
        "3372030107850002",
        "7371032010100003",
        "7371032010100004",
        "3201011211030001",
        "3201015211030001",
        "5171034403950002",
        "5171036109990003",
        "3273020107010011",
        "3201030107010008",
        "3578031002700005",
        "3578035806720004",
        "3204061503800002",
    ];

    // --- Negative validator cases (brief §8) -------------------------------------------------

    #[test]
    fn negative_scientific_notation() {
        let p = parse_nik("3.57811E+15");
        assert_eq!(p.error, Some(NikError::Format(NikFormatError::ScientificNotation)));
        assert_eq!(p.codes(), vec!["scientific_notation"]);
        assert!(p.digits.is_none() && p.info.is_none());
    }

    #[test]
    fn negative_day_00() {
        // 3273010000000001: day 00 (month 00 too).
        let e = errors("3273010000000001");
        assert!(e.contains(&"day_invalid"), "{e:?}");
        assert!(e.contains(&"month_invalid"), "{e:?}");
    }

    #[test]
    fn negative_month_13() {
        assert_eq!(errors("3273016013850001"), vec!["month_invalid"]);
    }

    #[test]
    fn negative_regency_00() {
        assert_eq!(errors("3200015208850002"), vec!["regency_zero"]);
        // Regency 70 is the other structural hole.
        assert_eq!(errors("3270015208850002"), vec!["regency_out_of_range"]);
    }

    #[test]
    fn negative_serial_0000() {
        let p = parse_nik("3273015208850000");
        assert_eq!(p.error, Some(NikError::Invalid(NikIssues::SERIAL_ZERO)));
        assert!(p.warnings.contains(NikIssues::ENDS_IN_ZERO));
    }

    #[test]
    fn negative_31_feb_female() {
        assert_eq!(errors("3273017102850001"), vec!["date_invalid"]);
    }

    #[test]
    fn negative_29_feb_1985() {
        assert_eq!(errors("3273016902850001"), vec!["feb29_not_leap"]);
    }

    #[test]
    fn other_structural_errors() {
        assert_eq!(errors("2073015208850002"), vec!["province_invalid"]);
        assert_eq!(errors("3273005208850002"), vec!["district_zero"]);
        assert_eq!(errors("3273013508850002"), vec!["day_invalid"]); // day 35
        assert_eq!(errors("3273017208850002"), vec!["day_invalid"]); // day 72
        assert_eq!(errors("3273013104850002"), vec!["date_invalid"]); // 31 Apr
        // Several errors are reported together.
        assert_eq!(
            errors("0000000000000000"),
            vec![
                "province_invalid",
                "regency_zero",
                "district_zero",
                "day_invalid",
                "month_invalid",
                "serial_zero"
            ]
        );
    }

    // --- Positive edge cases -------------------------------------------------------------------

    #[test]
    fn positive_29_feb_1984_female() {
        let p = parse_nik("3273016902840001");
        assert!(p.is_valid(), "{:?}", p.codes());
        let info = p.info.unwrap();
        assert_eq!((info.birth_day, info.birth_month, info.sex), (29, 2, 2));
        assert_eq!(info.birth_date(Some(1984)), Some((1984, 2, 29)));
        assert_eq!(info.birth_date_as_of(None, 2026), Some((1984, 2, 29)));
    }

    #[test]
    fn positive_retired_prefix_is_a_warning() {
        let p = parse_nik("9101010404880009");
        assert!(p.is_valid());
        assert_eq!(p.warnings, NikIssues::REGENCY_RETIRED);
        assert_eq!(p.codes(), vec!["regency_retired"]);
    }

    #[test]
    fn feb29_year_00_depends_on_century() {
        let p = parse_nik("3273012902000001");
        assert!(p.is_valid(), "{:?}", p.codes());
        let info = p.info.unwrap();
        assert_eq!(info.birth_date(Some(2000)), Some((2000, 2, 29)));
        assert_eq!(info.birth_date(Some(1900)), None);
        assert_eq!(info.birth_date(Some(19)), None);
        assert_eq!(info.birth_date_as_of(None, 2026), Some((2000, 2, 29)));
    }

    // --- The 30 test pairs -------------------------------------------------------------------

    #[test]
    fn every_pair_nik_is_valid() {
        for raw in PAIR_NIKS {
            let p = parse_nik(raw);
            assert!(p.is_valid(), "{}: {:?}", mask_id(raw), p.codes());
            // Only pair 18's retired prefix is missing from the current list.
            let missing = p.warnings.intersects(
                NikIssues::REGENCY_UNKNOWN | NikIssues::DISTRICT_UNKNOWN | NikIssues::REGENCY_RETIRED,
            );
            assert_eq!(missing, raw.starts_with("9101"), "{}: {:?}", mask_id(raw), p.codes());
        }
    }

    #[test]
    fn pair_kks_are_valid() {
        for raw in ["3273031203100002", "3372031503100004"] {
            let p = parse_kk(raw);
            assert!(p.is_valid(), "{:?}", p.codes());
            assert!(p.warnings.is_empty(), "{:?}", p.codes());
        }
    }

    #[test]
    fn pair_levels() {
        let cmp = |a, b| compare_nik(&nik(a), &nik(b));
        assert_eq!(cmp("3374011403620003", "3374011403620003"), NikLevel::Exact); // 1
        assert_eq!(cmp("3273015208850002", "3273015208850020"), NikLevel::Transposition); // 16
        assert_eq!(cmp("3578036505900017", "3578036505900010"), NikLevel::ExcelTruncated); // 17
        assert_eq!(cmp("3404010107700005", "3173010107700021"), NikLevel::Different); // 23
        assert_eq!(cmp("7371032010100003", "7371032010100004"), NikLevel::TwinPattern); // 25
        assert_eq!(cmp("3201011211030001", "3201015211030001"), NikLevel::TwinPattern); // 26
        assert_eq!(cmp("3204061503800002", "3204061503800002"), NikLevel::Exact); // 30
    }

    #[test]
    fn pair_details() {
        // Pair 8: day 45 = female, 05 Feb.
        let i = parse_nik("3507014502740001").info.unwrap();
        assert_eq!((i.birth_day, i.birth_month, i.sex), (5, 2, 2));
        // Pair 17: B ends in 0 (flagged), still valid.
        let b = parse_nik("3578036505900010");
        assert!(b.is_valid() && b.warnings.contains(NikIssues::ENDS_IN_ZERO));
        // Pair 22: 29 Feb 1980, valid.
        let h = parse_nik("3273032902800003").info.unwrap();
        assert_eq!(h.birth_date(Some(1980)), Some((1980, 2, 29)));
        // Pairs 23, 24, 28: placeholder dates.
        for raw in ["3404010107700005", "3372033112550001", "3372030107850002", "3273020107010011"] {
            let p = parse_nik(raw);
            assert!(p.warnings.contains(NikIssues::PLACEHOLDER_DATE), "{}", mask_id(raw));
        }
        // Pair 30: the NIK itself carries the 15th placeholder.
        assert!(parse_nik("3204061503800002").warnings.contains(NikIssues::PLACEHOLDER_DATE));
        // Pair 1: not a placeholder.
        assert!(parse_nik("3374011403620003").warnings.is_empty());
    }

    #[test]
    fn cross_checks_of_the_pairs() {
        let info = |s| parse_nik(s).info.unwrap();
        // 19: NIK female, record JK L.
        assert_eq!(cross_check(&info("3471025508820006"), None, Some(1)), NikIssues::SEX_MISMATCH);
        assert!(cross_check(&info("3471025508820006"), None, Some(2)).is_empty());
        // 30: B's DOB contradicts the NIK (year).
        assert_eq!(
            cross_check(&info("3204061503800002"), Some((1975, 6, 2)), None),
            NikIssues::BIRTH_YEAR_MISMATCH
        );
        assert!(cross_check(&info("3204061503800002"), Some((1980, 3, 15)), Some(1)).is_empty());
        // 2, 16, 17: record dates agree with the NIK.
        assert!(cross_check(&info("3578020211580001"), Some((1958, 11, 2)), Some(1)).is_empty());
        assert!(cross_check(&info("3273015208850002"), Some((1985, 8, 12)), Some(2)).is_empty());
        assert!(cross_check(&info("3578036505900017"), Some((1990, 5, 25)), Some(2)).is_empty());
        // Unknown sex codes are ignored.
        assert!(cross_check(&info("3578036505900017"), None, Some(9)).is_empty());
    }

    #[test]
    fn cross_check_tolerates_placeholders() {
        let jul1 = parse_nik("3404010107700005").info.unwrap(); // 1 Jul 70
        assert!(cross_check(&jul1, Some((1970, 3, 12)), None).is_empty());
        let real = parse_nik("3273011203700001").info.unwrap(); // 12 Mar 70
        assert!(cross_check(&real, Some((1970, 7, 1)), None).is_empty()); // record placeholder
        assert!(cross_check(&real, Some((1970, 12, 31)), None).is_empty());
        assert!(cross_check(&real, Some((1970, 3, 15)), None).is_empty()); // 15th, same month
        assert_eq!(cross_check(&real, Some((1970, 4, 15)), None), NikIssues::BIRTH_DATE_MISMATCH);
        assert_eq!(cross_check(&real, Some((1970, 3, 13)), None), NikIssues::BIRTH_DATE_MISMATCH);
        // A placeholder never hides a different year.
        assert_eq!(cross_check(&jul1, Some((1971, 7, 1)), None), NikIssues::BIRTH_YEAR_MISMATCH);
    }

    // --- Cleaning ------------------------------------------------------------------------------

    #[test]
    fn cleaning() {
        use NikFormatError as E;
        let ok = Ok(*b"3273015208850002");
        assert_eq!(clean_id_digits("3273015208850002"), ok);
        assert_eq!(clean_id_digits(" '3273015208850002 "), ok);
        assert_eq!(clean_id_digits("\u{2019}3273015208850002"), ok);
        assert_eq!(clean_id_digits("3273 0152 0885 0002"), ok);
        assert_eq!(clean_id_digits("32.73.01.520885.0002"), ok);
        assert_eq!(clean_id_digits("3273-0152-0885-0002"), ok);
        assert_eq!(clean_id_digits("3273\u{a0}0152\t0885\u{2013}0002"), ok);
        assert_eq!(clean_id_digits("3.27302E+15"), Err(E::ScientificNotation));
        assert_eq!(clean_id_digits("3,27302E+15"), Err(E::ScientificNotation));
        assert_eq!(clean_id_digits("3.27302e15"), Err(E::ScientificNotation));
        assert_eq!(clean_id_digits("3273015208850002.0"), Err(E::FloatArtefact));
        assert_eq!(clean_id_digits("3273015208850002,00"), Err(E::FloatArtefact));
        assert_eq!(clean_id_digits("327301520885000.0"), Err(E::FloatArtefact));
        // Dotted notation ending in a 0000 group is digits (and then serial 0000).
        assert_eq!(clean_id_digits("32.73.01.520885.0000"), Ok(*b"3273015208850000"));
        assert_eq!(clean_id_digits("327301520885000"), Err(E::TooShort { len: 15 }));
        assert!(E::TooShort { len: 15 }.is_possible_truncation());
        assert_eq!(clean_id_digits("32730152088500021"), Err(E::TooLong { len: 17 }));
        assert_eq!(clean_id_digits(""), Err(E::Empty));
        assert_eq!(clean_id_digits(" - . "), Err(E::Empty));
        assert_eq!(clean_id_digits("'"), Err(E::Empty));
        assert_eq!(clean_id_digits("NIK 3273015208850002"), Err(E::InvalidCharacter));
        assert_eq!(clean_id_digits("3273,0152,0885,0002"), Err(E::InvalidCharacter));
        assert_eq!(clean_id_digits("３２７３０１５２０８８５０００２"), Err(E::InvalidCharacter));
        assert_eq!(clean_id_digits("''3273015208850002"), Err(E::InvalidCharacter));
    }

    #[test]
    fn format_error_codes_are_distinct() {
        use NikFormatError as E;
        let all = [
            E::Empty,
            E::ScientificNotation,
            E::FloatArtefact,
            E::InvalidCharacter,
            E::TooShort { len: 15 },
            E::TooLong { len: 17 },
        ];
        let codes: std::collections::BTreeSet<_> = all.iter().map(E::code).collect();
        assert_eq!(codes.len(), all.len());
        assert_eq!(E::TooShort { len: 15 }.to_string(), "too_short (15 digits)");
    }

    // --- Warnings --------------------------------------------------------------------------------

    #[test]
    fn digit_shape_warnings() {
        // 11.11.11 exists, 11 Nov 11, serial 1111: structurally valid but made up.
        let p = parse_nik("1111111111111111");
        assert!(p.is_valid(), "{:?}", p.codes());
        assert!(p.warnings.contains(NikIssues::REPEATED_DIGITS));
        // 19 Jan 23, serial 4567: "901234567" ascends.
        let p = parse_nik("3273011901234567");
        assert!(p.is_valid(), "{:?}", p.codes());
        assert_eq!(p.warnings, NikIssues::ASCENDING_RUN);
        let p = parse_nik("1234567890123456");
        assert!(p.warnings.contains(NikIssues::ASCENDING_RUN));
        assert!(!p.is_valid());
        // The longest zero run of a valid NIK (Oct 2000, serial 0001) is not flagged.
        let p = parse_nik("3273011210000001");
        assert!(p.is_valid() && !p.warnings.contains(NikIssues::REPEATED_DIGITS));
    }

    #[test]
    fn region_warnings() {
        // 32.99 is not a regency of Jawa Barat.
        assert_eq!(parse_nik("3299015208850002").warnings, NikIssues::REGENCY_UNKNOWN);
        // 32.73.99 is not a district of Kota Bandung.
        assert_eq!(parse_nik("3273995208850002").warnings, NikIssues::DISTRICT_UNKNOWN);
        // Retired regency with a district missing under its successor.
        assert_eq!(
            parse_nik("9101995208850002").warnings,
            NikIssues::REGENCY_RETIRED | NikIssues::DISTRICT_UNKNOWN
        );
        // Warnings never make a NIK invalid.
        assert!(parse_nik("3299015208850002").is_valid());
    }

    #[test]
    fn placeholder_dates() {
        for (raw, placeholder) in [
            ("3273010107850002", true),  // 1 Jul, male
            ("3273014107850002", true),  // 1 Jul, female
            ("3273013112850002", true),  // 31 Dec
            ("3273017112850002", true),  // 31 Dec, female
            ("3273010101850002", true),  // 1 Jan
            ("3273014101850002", true),  // 1 Jan, female
            ("3273011503850002", true),  // 15th
            ("3273015503850002", true),  // 15th, female
            ("3273010207850002", false), // 2 Jul
            ("3273011403850002", false), // 14th
        ] {
            let p = parse_nik(raw);
            assert!(p.is_valid(), "{raw}");
            assert_eq!(p.warnings.contains(NikIssues::PLACEHOLDER_DATE), placeholder, "{raw}");
        }
    }

    #[test]
    fn issue_codes_are_unique_snake_case_and_classified() {
        let mut seen = std::collections::BTreeSet::new();
        for (flag, code) in NikIssues::TABLE {
            assert_eq!(flag.bits().count_ones(), 1, "{code}");
            assert!(seen.insert(code), "duplicate {code}");
            assert!(code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()));
            assert_eq!(NikIssues::from_code(code), Some(flag));
            assert_eq!(flag.codes(), vec![code]);
        }
        let errors = NikIssues::from_bits_truncate(u32::MAX).errors().codes();
        assert_eq!(
            errors,
            vec![
                "province_invalid",
                "regency_zero",
                "regency_out_of_range",
                "district_zero",
                "day_invalid",
                "month_invalid",
                "date_invalid",
                "feb29_not_leap",
                "serial_zero"
            ]
        );
        assert_eq!(
            format!("{:?}", NikIssues::SERIAL_ZERO | NikIssues::ENDS_IN_ZERO),
            r#"NikIssues(["serial_zero", "ends_in_zero"])"#
        );
        let json = serde_json::to_string(&(NikIssues::SEX_MISMATCH | NikIssues::DAY_INVALID)).unwrap();
        assert_eq!(json, r#"["day_invalid","sex_mismatch"]"#);
    }

    // --- Dates -----------------------------------------------------------------------------------

    #[test]
    fn century_rules() {
        let at = |raw: &str, hint, year| parse_nik(raw).info.unwrap().birth_date_as_of(hint, year);
        assert_eq!(at("3273011203850001", None, 2026), Some((1985, 3, 12)));
        assert_eq!(at("3273011203100001", None, 2026), Some((2010, 3, 12)));
        assert_eq!(at("3273011203260001", None, 2026), Some((2026, 3, 12))); // not in the future
        assert_eq!(at("3273011203270001", None, 2026), Some((1927, 3, 12)));
        assert_eq!(at("3273011203100001", Some(19), 2026), Some((1910, 3, 12)));
        assert_eq!(at("3273011203800001", Some(1975), 2026), Some((1980, 3, 12)));
        assert_eq!(at("3273011203990001", Some(2001), 2026), Some((1999, 3, 12)));
        assert_eq!(at("3273011203010001", Some(1998), 2026), Some((2001, 3, 12)));
        let info = parse_nik("3273011203270001").info.unwrap();
        assert!(info.century_ambiguous(2026)); // 1927: 99 years
        assert!(!parse_nik("3273011203310001").info.unwrap().century_ambiguous(2026)); // 95
        assert!(parse_nik("3273011203300001").info.unwrap().century_ambiguous(2026)); // 96
        // birth_date with a hint does not depend on the clock.
        assert_eq!(info.birth_date(Some(1927)), Some((1927, 3, 12)));
        // An invalid date yields None whatever the century.
        assert_eq!(parse_nik("3273017102850001").info.unwrap().birth_date(Some(1985)), None);
    }

    #[test]
    fn year_from_days_matches_known_dates() {
        assert_eq!(year_from_days(0), 1970);
        assert_eq!(year_from_days(-1), 1969);
        assert_eq!(year_from_days(11_016), 2000); // 2000-02-29
        assert_eq!(year_from_days(10_956), 1999); // 1999-12-31
        assert_eq!(year_from_days(10_957), 2000); // 2000-01-01
        assert_eq!(year_from_days(20_453), 2025); // 2025-12-31
        assert_eq!(year_from_days(20_454), 2026); // 2026-01-01
        assert!(current_year() >= 2025);
    }

    // --- Masking ---------------------------------------------------------------------------------

    #[test]
    fn masking() {
        assert_eq!(mask_id("3273015208850002"), "3273 **** **** 0002");
        assert_eq!(mask_id("'3273 0152 0885 0002"), "3273 **** **** 0002");
        assert_eq!(mask_id("327301520885000"), "3273 ******* 5000");
        assert_eq!(mask_id("12345"), "*****");
        assert_eq!(mask_id(""), "");
        let n = nik("3273015208850002");
        for shown in [format!("{n:?}"), n.to_string(), format!("{:?}", parse_nik("3273015208850002"))] {
            assert!(!shown.contains("5208850"), "{shown}");
            assert!(shown.contains("3273 **** **** 0002"), "{shown}");
        }
        let kk = Kk::parse("3273031203100002").unwrap();
        assert_eq!(format!("{kk:?}"), "Kk(3273 **** **** 0002)");
        assert!(!format!("{:?}", parse_kk("3273031203100002")).contains("120310"));
    }

    // --- Comparison ------------------------------------------------------------------------------

    #[test]
    fn comparison_levels() {
        let cmp = |a, b| compare_nik(&nik(a), &nik(b));
        let base = "3273015208850002";
        assert_eq!(cmp(base, "2373015208850002"), NikLevel::Transposition); // digits 1-2
        assert_eq!(cmp(base, "3273015208850020"), NikLevel::Transposition); // digits 15-16
        assert_eq!(cmp(base, "3273015208850003"), NikLevel::TwinPattern); // serial step
        assert_eq!(cmp(base, "3273015208859999"), NikLevel::TwinPattern); // any serial
        assert_eq!(cmp(base, "3273011208850002"), NikLevel::TwinPattern); // digit 7: 5 -> 1
        assert_eq!(cmp(base, "3273014208850002"), NikLevel::OneSubstitution); // digit 7: 5 -> 4
        assert_eq!(cmp(base, "3273015208860002"), NikLevel::OneSubstitution); // year digit
        assert_eq!(cmp(base, "4273015208850002"), NikLevel::OneSubstitution); // province digit
        assert_eq!(cmp(base, "3273015208850000"), NikLevel::ExcelTruncated);
        assert_eq!(cmp("3273015208850010", "3273015208850011"), NikLevel::ExcelTruncated);
        assert_eq!(cmp(base, "3273025208850003"), NikLevel::Different); // region + serial
        assert_eq!(cmp(base, "3273015208850202"), NikLevel::TwinPattern); // serial, not adjacent
        assert_eq!(cmp(base, "3372015208850002"), NikLevel::Different); // two substitutions
        assert_eq!(cmp(base, "2733015208850002"), NikLevel::Different); // 3 digits rotated
        // Twins and sex code beat a plain substitution; a swapped pair of equal digits is Exact.
        assert_eq!(cmp("3273015508850002", "3273015508850002"), NikLevel::Exact);
        assert_eq!(u8::from(NikLevel::Different), 6);
    }

    fn digits16() -> impl Strategy<Value = [u8; 16]> {
        proptest::array::uniform16(b'0'..=b'9')
    }

    /// A NIK and a near variant: one of the edit kinds `compare_nik` distinguishes.
    fn near_pair() -> impl Strategy<Value = ([u8; 16], [u8; 16])> {
        (digits16(), 0usize..16, b'0'..=b'9', 0u8..4).prop_map(|(a, i, d, kind)| {
            let mut b = a;
            match kind {
                0 => b[i] = d,
                1 => b.swap(i, (i + 1).min(15)),
                2 => b[15] = b'0',
                _ => {
                    b[6] = if a[6] >= b'4' { a[6] - 4 } else { a[6] + 4 };
                }
            }
            (a, b)
        })
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = clean_id_digits(&s);
            let p = parse_nik(&s);
            let k = parse_kk(&s);
            let _ = (p.codes(), k.codes(), mask_id(&s));
        }

        #[test]
        fn parsers_never_panic_on_digit_soup(s in "[0-9 .,eE+'\\-]{0,24}") {
            let p = parse_nik(&s);
            if let Some(info) = p.info {
                let _ = info.birth_date(Some(1980));
                let _ = info.birth_date_as_of(None, 2026);
                let _ = cross_check(&info, Some((1980, 2, 29)), Some(2));
            }
            let k = parse_kk(&s);
            if let Some(info) = k.info {
                let _ = info.recording_date_as_of(2026);
            }
        }

        #[test]
        fn any_16_digits_decode(d in digits16()) {
            let raw: String = d.iter().map(|&b| char::from(b)).collect();
            let p = parse_nik(&raw);
            prop_assert_eq!(p.digits, Some(Nik(d)));
            prop_assert!(p.info.is_some());
            // Errors and warnings are split consistently.
            let issues = p.info.unwrap().issues;
            prop_assert_eq!(p.error.is_some(), issues.has_errors());
            prop_assert_eq!(p.warnings, issues.warnings());
            prop_assert!(parse_kk(&raw).info.is_some());
        }

        #[test]
        fn separators_do_not_change_digits(d in digits16(), seps in proptest::collection::vec(prop_oneof![Just(""), Just(" "), Just("."), Just("-")], 16)) {
            let mut raw = String::from("'");
            for (b, sep) in d.iter().zip(&seps) {
                raw.push(char::from(*b));
                raw.push_str(sep);
            }
            prop_assert_eq!(clean_id_digits(&raw), Ok(d));
        }

        #[test]
        fn diff_mask_matches_naive(a in proptest::array::uniform16(any::<u8>()), flips in any::<u16>()) {
            // Make b equal to a except where `flips` has a bit, so sparse masks get tested too.
            let mut b = a;
            for (i, x) in b.iter_mut().enumerate() {
                if flips >> i & 1 == 1 {
                    *x = x.wrapping_add(1);
                }
            }
            let naive = a.iter().zip(&b).enumerate().fold(0u16, |m, (i, (x, y))| m | u16::from(x != y) << i);
            prop_assert_eq!(diff_mask(&a, &b), naive);
            prop_assert_eq!(naive, flips);
        }

        #[test]
        fn compare_is_symmetric_and_exact_iff_equal(a in digits16(), b in digits16()) {
            let (a, b) = (Nik(a), Nik(b));
            prop_assert_eq!(compare_nik(&a, &b), compare_nik(&b, &a));
            prop_assert_eq!(compare_nik(&a, &b) == NikLevel::Exact, a == b);
            prop_assert_eq!(compare_nik(&a, &a), NikLevel::Exact);
        }

        #[test]
        fn compare_near_pairs_symmetric(pair in near_pair()) {
            let (a, b) = (Nik(pair.0), Nik(pair.1));
            let level = compare_nik(&a, &b);
            prop_assert_eq!(level, compare_nik(&b, &a));
            prop_assert_eq!(level == NikLevel::Exact, a == b);
            // One edit never yields Different.
            prop_assert_ne!(level, NikLevel::Different);
        }
    }
}
