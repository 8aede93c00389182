//! Text normalisation used by the prepare stage.
//!
//! This module holds the generic rules (case, punctuation, digits, dates, small codes). The
//! Indonesian identity rules (titles, old spellings, the Muhammad family, NIK structure, RT/RW
//! notations) live in [`crate::indo`]; [`crate::prepare`] chooses between them with
//! [`crate::config::Config`]'s `indonesian_rules` switch, so this is the one place to extend.

/// Upper-case a name, drop apostrophes, turn other punctuation into spaces, collapse spaces.
///
/// ```
/// assert_eq!(padan::normalize::basic_name("  Ma'ruf   amin-Jaya. "), "MARUF AMIN JAYA");
/// ```
pub fn basic_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for ch in raw.chars() {
        if ch == '\'' || ch == '`' || ch == '\u{2019}' {
            continue; // Ma'ruf and Maruf are one name
        }
        if ch.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            if ch.is_ascii() {
                out.push(ch.to_ascii_uppercase());
            } else {
                out.extend(ch.to_uppercase());
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// A crude spelling-insensitive key for blocking: per token, vowels after the first letter and
/// doubled letters dropped; tokens sorted so that word order does not matter.
///
/// ```
/// use padan::normalize::basic_name_key;
/// assert_eq!(basic_name_key("MUHAMMAD RIZKI"), basic_name_key("RIZKI MUHAMAD"));
/// ```
pub fn basic_name_key(normalized: &str) -> String {
    let mut tokens: Vec<String> = normalized
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(|token| {
            let mut key = String::with_capacity(token.len());
            let mut last = '\0';
            for (i, ch) in token.chars().enumerate() {
                let vowel = matches!(ch, 'A' | 'E' | 'I' | 'O' | 'U' | 'Y');
                if (i > 0 && vowel) || ch == last {
                    continue;
                }
                key.push(ch);
                last = ch;
            }
            key
        })
        .collect();
    tokens.sort_unstable();
    tokens.join(" ")
}

/// Why an identifier cell could not be read as 16 digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdDigitsError {
    /// Written in scientific notation (the value went through a spreadsheet as a number).
    ScientificNotation,
    /// A float artefact such as a trailing `.0`.
    FloatArtefact,
    /// Characters other than digits and separators.
    NonDigit,
    /// Wrong number of digits.
    Length(usize),
}

impl IdDigitsError {
    /// Stable code for diagnostics.
    pub fn code(self) -> &'static str {
        match self {
            IdDigitsError::ScientificNotation => "scientific_notation",
            IdDigitsError::FloatArtefact => "float_artefact",
            IdDigitsError::NonDigit => "non_digit",
            IdDigitsError::Length(_) => "length",
        }
    }

    /// Human-readable message (contains no digits of the identifier).
    pub fn message(self) -> String {
        match self {
            IdDigitsError::ScientificNotation => "written in scientific notation; the digits are lost".into(),
            IdDigitsError::FloatArtefact => "carries a decimal part (a float artefact)".into(),
            IdDigitsError::NonDigit => "contains characters other than digits".into(),
            IdDigitsError::Length(n) => format!("has {n} digits, expected 16"),
        }
    }
}

/// Reduce a NIK or KK cell to its 16 ASCII digits: spaces, dots, hyphens and a leading apostrophe
/// are removed; scientific notation and float artefacts are refused.
///
/// ```
/// use padan::normalize::{id_digits, IdDigitsError};
/// assert_eq!(&id_digits("'3273.0152-0885 0002").unwrap(), b"3273015208850002");
/// assert_eq!(id_digits("3.27302E+15"), Err(IdDigitsError::ScientificNotation));
/// assert_eq!(id_digits("327301520885000"), Err(IdDigitsError::Length(15)));
/// ```
pub fn id_digits(raw: &str) -> Result<[u8; 16], IdDigitsError> {
    let trimmed = raw.trim().trim_start_matches('\'');
    if trimmed.contains(['E', 'e']) && trimmed.chars().any(|c| c.is_ascii_digit()) {
        return Err(IdDigitsError::ScientificNotation);
    }
    if let Some((_, frac)) = trimmed.rsplit_once('.')
        && !frac.is_empty()
        && frac.len() <= 2
        && frac.bytes().all(|b| b == b'0')
        && trimmed.len() > 16
    {
        return Err(IdDigitsError::FloatArtefact);
    }
    let mut out = [0u8; 16];
    let mut n = 0usize;
    for b in trimmed.bytes() {
        match b {
            b'0'..=b'9' => {
                if n < 16 {
                    out[n] = b;
                }
                n += 1;
            }
            b' ' | b'.' | b'-' => {}
            _ => return Err(IdDigitsError::NonDigit),
        }
    }
    if n == 16 { Ok(out) } else { Err(IdDigitsError::Length(n)) }
}

/// A calendar date.
///
/// ```
/// let d = padan::normalize::Date::new(1984, 2, 29).unwrap();
/// assert_eq!(d.to_string(), "1984-02-29");
/// assert!(padan::normalize::Date::new(1985, 2, 29).is_none());
/// assert_eq!(padan::normalize::Date::new(1970, 1, 2).unwrap().days_since_epoch(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year (e.g. 1985).
    pub year: i16,
    /// Month 1-12.
    pub month: u8,
    /// Day 1-31.
    pub day: u8,
}

impl Date {
    /// A valid calendar date, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        if !(1800..=2200).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        (day <= days_in_month(year, month)).then_some(Date {
            year: year as i16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Days since 1970-01-01 (negative before), for Arrow `Date32`.
    pub fn days_since_epoch(self) -> i32 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (i32::from(self.year), i32::from(self.month), i32::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (before it when negative): the inverse of
    /// [`Date::days_since_epoch`]. `None` outside the years [`Date::new`] accepts.
    ///
    /// ```
    /// use padan::normalize::Date;
    /// let date = Date::new(2025, 6, 30).unwrap();
    /// assert_eq!(Date::from_days_since_epoch(i64::from(date.days_since_epoch())), Some(date));
    /// assert_eq!(Date::from_days_since_epoch(0), Date::new(1970, 1, 1));
    /// ```
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, month, day)
    }

    /// Whether the date is one that registries use when the true date is unknown
    /// (1 Jul, 31 Dec, 1 Jan).
    pub fn is_placeholder(self) -> bool {
        matches!((self.month, self.day), (7, 1) | (12, 31) | (1, 1))
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parse a birth date written as ISO `YYYY-MM-DD` (optionally with a time part), `YYYY/MM/DD`,
/// `DD-MM-YYYY` or `DD/MM/YYYY`.
///
/// ```
/// use padan::normalize::{parse_date, Date};
/// let d = Date::new(1985, 8, 12);
/// assert_eq!(parse_date("1985-08-12"), d);
/// assert_eq!(parse_date("12-08-1985"), d);
/// assert_eq!(parse_date("12/8/1985"), d);
/// assert_eq!(parse_date("1985-08-12T00:00:00"), d);
/// assert_eq!(parse_date("31/02/1985"), None);
/// ```
pub fn parse_date(raw: &str) -> Option<Date> {
    let text = raw.trim();
    let text = text.split(['T', ' ']).next().unwrap_or(text);
    let mut parts = text.split(['-', '/', '.']);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 {
        (num(c)?, num(b)?, num(a)?)
    } else {
        return None;
    };
    Date::new(y as i32, m, d)
}

/// Parse a sex cell: `1`/`L`/`LAKI-LAKI`/`M` → 1, `2`/`P`/`PEREMPUAN`/`F` → 2.
///
/// ```
/// assert_eq!(padan::normalize::parse_sex("Laki-laki"), Some(1));
/// assert_eq!(padan::normalize::parse_sex("p"), Some(2));
/// assert_eq!(padan::normalize::parse_sex("x"), None);
/// ```
pub fn parse_sex(raw: &str) -> Option<u8> {
    let t = raw.trim().to_ascii_uppercase();
    match t.as_str() {
        "1" | "L" | "LK" | "LAKI-LAKI" | "LAKI LAKI" | "LAKI" | "M" | "MALE" | "PRIA" => Some(1),
        "2" | "P" | "PR" | "PEREMPUAN" | "F" | "FEMALE" | "WANITA" => Some(2),
        _ => None,
    }
}

/// Parse a small positive integer cell such as RT `003`, `RT 03` or relation `1`.
///
/// ```
/// assert_eq!(padan::normalize::parse_small_int("003"), Some(3));
/// assert_eq!(padan::normalize::parse_small_int("RT.05"), Some(5));
/// assert_eq!(padan::normalize::parse_small_int("abc"), None);
/// ```
pub fn parse_small_int(raw: &str) -> Option<u16> {
    let digits: String =
        raw.chars().skip_while(|c| !c.is_ascii_digit()).take_while(char::is_ascii_digit).collect();
    let rest_ok = raw.trim().chars().rev().take_while(|c| !c.is_ascii_digit()).count() == 0;
    if digits.is_empty() || !rest_ok || digits.len() > 4 {
        return None;
    }
    digits.parse().ok()
}

/// Parse a relationship-to-head cell: the DTKS code 1-8, or the Indonesian word for it.
///
/// ```
/// assert_eq!(padan::normalize::parse_relation("1"), Some(1));
/// assert_eq!(padan::normalize::parse_relation("Kepala Keluarga"), Some(1));
/// assert_eq!(padan::normalize::parse_relation("ANAK"), Some(3));
/// ```
pub fn parse_relation(raw: &str) -> Option<u8> {
    let t = basic_name(raw);
    if let Ok(code) = t.parse::<u8>() {
        return (1..=8).contains(&code).then_some(code);
    }
    let code = match t.as_str() {
        "KEPALA KELUARGA" | "KEPALA RUMAH TANGGA" | "KK" | "KRT" => 1,
        "ISTRI" | "SUAMI" | "ISTRI SUAMI" | "SUAMI ISTRI" => 2,
        "ANAK" => 3,
        "MENANTU" => 4,
        "CUCU" => 5,
        "ORANG TUA" | "MERTUA" | "ORANG TUA MERTUA" => 6,
        "PEMBANTU" | "PEMBANTU RUMAH TANGGA" | "SOPIR" => 7,
        "LAINNYA" | "FAMILI LAIN" => 8,
        _ => return None,
    };
    Some(code)
}

/// Canonical form of a place name for equality: upper case, punctuation and spaces removed, and
/// administrative prefixes (DESA, KELURAHAN, KEL, KEC, KAB, KOTA ADM) dropped.
///
/// ```
/// use padan::normalize::basic_place;
/// assert_eq!(basic_place("Kel. Mekar Jaya"), basic_place("MEKARJAYA"));
/// ```
pub fn basic_place(raw: &str) -> String {
    let name = basic_name(raw);
    let mut tokens: Vec<&str> = name.split(' ').collect();
    while tokens.len() > 1
        && matches!(
            tokens[0],
            "DESA"
                | "DS"
                | "KELURAHAN"
                | "KEL"
                | "KEC"
                | "KECAMATAN"
                | "KAB"
                | "KABUPATEN"
                | "PROV"
                | "PROVINSI"
                | "ADM"
        )
    {
        tokens.remove(0);
    }
    tokens.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_name_is_idempotent_on_examples() {
        for raw in ["Hj. Siti  Aminah, S.Pd.", "ma'ruf", "  ", "Ñoño-Pérez"] {
            let once = basic_name(raw);
            assert_eq!(basic_name(&once), once);
        }
        assert_eq!(basic_name("Hj. Siti  Aminah, S.Pd."), "HJ SITI AMINAH S PD");
    }

    #[test]
    fn id_digits_rejects_damaged_identifiers() {
        assert_eq!(id_digits("3273015208850002.0"), Err(IdDigitsError::FloatArtefact));
        assert_eq!(id_digits("32730152088500O2"), Err(IdDigitsError::NonDigit));
        assert_eq!(id_digits("32730152088500021"), Err(IdDigitsError::Length(17)));
        assert_eq!(&id_digits(" 3273 0152 0885 0002 ").unwrap(), b"3273015208850002");
    }

    #[test]
    fn dates_match_a_known_epoch_table() {
        // Values from the proleptic Gregorian calendar (e.g. `date -d 2000-03-01 +%s` / 86400).
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
        assert_eq!(Date::new(1969, 12, 31).unwrap().days_since_epoch(), -1);
        assert_eq!(Date::new(1900, 3, 1).unwrap().days_since_epoch(), -25_508);
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
    }

    #[test]
    fn small_ints_refuse_trailing_text() {
        assert_eq!(parse_small_int("12A"), None);
        assert_eq!(parse_small_int("0"), Some(0));
        assert_eq!(parse_small_int("RW 010"), Some(10));
    }
}
