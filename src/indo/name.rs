//! Indonesian personal names: normalisation, blocking keys and pairwise comparison.
//!
//! The rules follow the domain brief, §5 (`shared/docs/domain.md`): the 1947/1972 spelling
//! reforms (§5.1), informal variants (§5.2), titles and honorifics (§5.3) and the structure
//! rules (§5.4). Rules the brief tags `[H]` (engineering judgement, no public source) are
//! defaults to test, and are marked `[H]` here too.
//!
//! * [`normalize_name`] turns a name as typed by an operator into one canonical upper-case
//!   form, plus side signals: the father's name after `bin`/`binti`, a sex hint, a
//!   possible-deceased marker and the Balinese birth order.
//! * [`phonetic_key`] and [`phonetic_key_joined`] are blocking keys.
//! * [`compare_names`] grades a pair of normalised names into a [`NameLevel`].
//!
//! Everything works on bytes of upper-case ASCII. Non-ASCII letters are upper-cased, common
//! Latin accents are folded (`É` → `E`), anything else is kept as it is; nothing panics.
//!
//! Decisions beyond the brief (`[H]`), so they can be revisited:
//! * `ch` → `h` between a vowel and a consonant (Bachri → BAHRI, Achmad → AHMAD), else `kh`
//!   (Chairul → KHAIRUL); Chandra, Christina, Michael and Chinese surnames keep `ch`.
//! * A medial `nj` becomes `ny` only in a token with another old marker: modern names such
//!   as Panji and Anjani (old "Pandji") have a real `nj`. A word-initial `nj` always does.
//! * The reform rewrites run to a fixed point per token (so "DDJ" cannot leave a "DJ"
//!   behind), which is what makes normalisation idempotent.
//! * `T`, `R` and `B` are titles / `bin` only with a dot ("T.", "R.", "b."); undotted they
//!   may be initials. `H` and `I` are stripped either way (stripping must not depend on a dot
//!   that the output no longer carries, or the result would not be idempotent).
//! * Sex hints that disagree ("Bapak Hj.") give `None`. Almh./Almarhumah, Dra., R.A., Rr.
//!   and Ustadzah hint female; KH/Kyai, Ustadz, R.M., Tubagus and Bapak/Tn./Sdr. male.
//! * Andi, Daeng, Gusti, Dewa, Desak, Ngurah, Ratu, Tengku, Wan, Datuk, Sutan, Puti, Marah,
//!   Sidi stay in the name and are optional only in [`compare_names`].
//! * Names of more than 12 tokens (never real names) are compared on whole strings only.
//!
//! ```
//! use padan::indo::name::{compare_names, normalize_name, NameLevel};
//!
//! let a = normalize_name("Hj. Siti Aminah, S.Pd.");
//! let b = normalize_name("SITI AMINAH");
//! assert_eq!(a.name, "SITI AMINAH");
//! assert_eq!(a.sex_hint, Some(2));
//! assert_eq!(compare_names(&a.name, &b.name), NameLevel::Exact);
//! ```

/// Result of normalising one raw name with [`normalize_name`].
///
/// ```
/// use padan::indo::name::normalize_name;
///
/// let n = normalize_name("Alm. I Made Sudjana bin Ketut");
/// assert_eq!(n.name, "MADE SUJANA");
/// assert_eq!(n.father.as_deref(), Some("KETUT"));
/// assert_eq!(n.sex_hint, Some(1));
/// assert!(n.deceased_marker);
/// assert_eq!(n.birth_order, Some(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NormalizedName {
    /// Canonical tokens separated by one space, upper case.
    pub name: String,
    /// The part after `bin`/`binti`/`bn`/`b.`/`bt.`/`bte`, normalised the same way.
    pub father: Option<String>,
    /// 1 male, 2 female, from titles and markers (H./Hj., I/Ni, Teuku/Cut, bin/binti,
    /// boru/br., Bapak/Ibu, ...). `None` when there is no hint or the hints disagree.
    pub sex_hint: Option<u8>,
    /// `Alm.`/`Almh.`/`Almarhum`/`Almarhumah` ("the late") was present.
    pub deceased_marker: bool,
    /// Balinese birth order 1..=4 (Wayan/Putu/Gede/Luh = 1, Made/Kadek/Nengah = 2,
    /// Nyoman/Komang = 3, Ketut = 4), from the first three tokens of `name`.
    pub birth_order: Option<u8>,
}

/// Comparison levels of [`compare_names`], best first.
///
/// The `as u8` values are stored per pair; 0 is reserved by the caller for "null".
///
/// ```
/// use padan::indo::name::NameLevel;
///
/// assert_eq!(NameLevel::Exact as u8, 1);
/// assert_eq!(NameLevel::from_u8(8), Some(NameLevel::BirthOrderConflict));
/// assert!(NameLevel::Exact < NameLevel::Different);
/// ```
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameLevel {
    /// The strings are equal.
    Exact = 1,
    /// Same tokens in another order, equal once spaces are removed (also across the
    /// `Abdul Rahman`/`Abdurrahman` assimilation), or equal once an optional leading
    /// title-like token (Andi, Daeng, Gusti, Tengku, ...) is removed.
    SameTokensOrJoined = 2,
    /// Equal [`phonetic_key`] (or [`phonetic_key_joined`] when the token counts differ).
    PhoneticMatch = 3,
    /// Jaro-Winkler of the full strings >= 0.92, or every token >= 0.90.
    CloseSpelling = 4,
    /// One name's tokens are initials of the other's (`M IQBAL` / `MUHAMMAD IQBAL`).
    InitialsCompatible = 5,
    /// Jaro-Winkler >= 0.80, or one token set contains the other / shares most tokens.
    Similar = 6,
    /// A nickname of the other (`WAWAN` / `HERMAWAN`); review tier only.
    Nickname = 7,
    /// Both carry a Balinese birth-order token and they differ: siblings, not one person.
    BirthOrderConflict = 8,
    /// None of the above.
    Different = 9,
}

impl NameLevel {
    /// The stored value (same as `as u8`).
    ///
    /// ```
    /// use padan::indo::name::NameLevel;
    /// assert_eq!(NameLevel::Nickname.as_u8(), 7);
    /// ```
    pub fn as_u8(self) -> u8 {
        self as u8
    }

    /// Inverse of [`NameLevel::as_u8`]; `None` for 0 (null) and values above 9.
    ///
    /// ```
    /// use padan::indo::name::NameLevel;
    /// assert_eq!(NameLevel::from_u8(1), Some(NameLevel::Exact));
    /// assert_eq!(NameLevel::from_u8(0), None);
    /// ```
    pub fn from_u8(v: u8) -> Option<Self> {
        use NameLevel::*;
        Some(match v {
            1 => Exact,
            2 => SameTokensOrJoined,
            3 => PhoneticMatch,
            4 => CloseSpelling,
            5 => InitialsCompatible,
            6 => Similar,
            7 => Nickname,
            8 => BirthOrderConflict,
            9 => Different,
            _ => return None,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Character pass
// ---------------------------------------------------------------------------------------

/// Apostrophes are removed without a space (Ma'ruf → MARUF, Syafi'i → SYAFII) [S26].
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '`' | '\u{00B4}' | '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{02BB}' | '\u{2032}')
}

/// Combining diacritics (decomposed accents) are dropped so `e\u{301}` reads as `E`.
fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// ASCII spelling of common upper-case Latin letters with diacritics.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'Æ' => "AE",
        'Ç' | 'Ć' | 'Ĉ' | 'Ċ' | 'Č' => "C",
        'Ð' | 'Ď' | 'Đ' => "D",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
        'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
        'Ł' | 'Ĺ' | 'Ļ' | 'Ľ' => "L",
        'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "N",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
        'Œ' => "OE",
        'Ŕ' | 'Ř' => "R",
        'Ś' | 'Ŝ' | 'Ş' | 'Š' => "S",
        'ẞ' => "SS",
        'Ţ' | 'Ť' => "T",
        'Þ' => "TH",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
        'Ý' | 'Ÿ' | 'Ŷ' => "Y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        _ => return None,
    })
}

/// What one input character contributes.
enum CharOut {
    /// Append these letters to the current token.
    Letters,
    /// Drop silently (apostrophes, combining marks).
    Skip,
    /// Ends the current token.
    Sep,
}

/// Upper-cases and folds `c`, appending the letters to `cur`. Shared by [`normalize_name`]
/// and [`normalize_basic`] so both read characters the same way.
fn push_char(c: char, cur: &mut String) -> CharOut {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_uppercase());
            CharOut::Letters
        } else if is_apostrophe(c) {
            CharOut::Skip
        } else {
            CharOut::Sep
        };
    }
    if is_apostrophe(c) || is_combining(c) {
        return CharOut::Skip;
    }
    if !c.is_alphanumeric() {
        return CharOut::Sep;
    }
    // Upper-casing can yield several chars (ß → SS, ŉ → ʼN); classify each one again so
    // a second pass over the output reads it the same way (idempotence).
    let mut any = false;
    for u in c.to_uppercase() {
        if let Some(f) = fold_latin(u) {
            cur.push_str(f);
            any = true;
        } else if u.is_ascii_alphanumeric() {
            cur.push(u);
            any = true;
        } else if is_apostrophe(u) || is_combining(u) || !u.is_alphanumeric() || u.is_ascii() {
            // dropped: nothing a name needs
        } else {
            cur.push(u);
            any = true;
        }
    }
    if any { CharOut::Letters } else { CharOut::Skip }
}

/// Plain (generic, non-Indonesian) normalisation: upper case, apostrophes dropped, other
/// punctuation to a space, spaces collapsed. Used when the Indonesian rules are off.
/// Common Latin accents are folded as in [`normalize_name`].
///
/// ```
/// use padan::indo::name::normalize_basic;
///
/// assert_eq!(normalize_basic("  Ma'ruf   Amin, S.H. "), "MARUF AMIN S H");
/// assert_eq!(normalize_basic("José-María"), "JOSE MARIA");
/// ```
pub fn normalize_basic(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut tok = String::new();
    let flush = |tok: &mut String, out: &mut String| {
        if !tok.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(tok);
            tok.clear();
        }
    };
    for c in raw.chars() {
        if let CharOut::Sep = push_char(c, &mut tok) {
            flush(&mut tok, &mut out);
        }
    }
    flush(&mut tok, &mut out);
    out
}

// ---------------------------------------------------------------------------------------
// Token canonicalisation: old spelling (§5.1) and the Muhammad family (§5.2)
// ---------------------------------------------------------------------------------------

fn is_vowel(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U')
}

fn is_consonant(b: u8) -> bool {
    b.is_ascii_uppercase() && !is_vowel(b)
}

/// Tokens where `oe` is two vowels, not the Dutch spelling of `u`.
fn is_oe_exception(t: &[u8]) -> bool {
    matches!(t, b"NOEL" | b"YOEL" | b"JOEL" | b"JOE" | b"ZOE" | b"ZOEY" | b"CHLOE" | b"NOE")
}

/// Tokens where `ch` is not the Dutch spelling of `kh` (Chandra, Christina, Michael) [H],
/// plus Chinese-Indonesian surnames. Kept as written.
fn is_ch_exception(t: &[u8]) -> bool {
    const PREFIXES: &[&[u8]] = &[
        b"CHR", b"CHANDR", b"CHINT", b"CHYNT", b"CHELS", b"CHERR", b"CHERYL", b"CHARL", b"MICHA", b"MICHE",
        b"RICHA", b"RACHEL", b"CHIK", b"CHACHA", b"CHICI", b"CHES",
    ];
    const WHOLE: &[&[u8]] = &[
        b"CHAN", b"CHEN", b"CHENG", b"CHANG", b"CHONG", b"CHUNG", b"CHIN", b"CHING", b"CHIANG", b"CHOU",
        b"CHOW", b"CHUA", b"CHIA", b"CHEW", b"CHOI",
    ];
    PREFIXES.iter().any(|p| t.starts_with(p)) || WHOLE.contains(&t)
}

/// A quick test for any old-spelling digraph, so most tokens skip the rewrite.
fn has_old_digraph(t: &[u8]) -> bool {
    let mut prev = 0u8;
    for &c in t {
        let hit = match c {
            b'E' => prev == b'O',
            b'J' => matches!(prev, b'D' | b'T' | b'N' | b'S'),
            b'H' => prev == b'C',
            _ => false,
        };
        if hit {
            return true;
        }
        prev = c;
    }
    false
}

/// True when the token shows a pre-1972 marker (oe, dj, tj, sj, word-initial nj): only then
/// is a bare `j` read as `y` (Tjahjono → Cahyono, Widjaja → Wijaya, but Joko stays Joko).
/// `ch` does not count: Arabic names mix it with a real j (Chadijah).
fn has_old_marker(t: &[u8]) -> bool {
    let oe = !is_oe_exception(t);
    t.starts_with(b"NJ")
        || t.windows(2).any(|w| matches!(w, [b'D' | b'T' | b'S', b'J']) || (oe && w == [b'O', b'E']))
}

/// One left-to-right pass of the spelling-reform rewrites over the *original* letters, so
/// stacked spellings resolve together (Widjaja: the j of dj is not turned into y).
fn fold_once(t: &[u8], out: &mut Vec<u8>) {
    let oe_ok = !is_oe_exception(t);
    let ch_ok = !is_ch_exception(t);
    let marker = has_old_marker(t);
    let n = t.len();
    let mut i = 0;
    while i < n {
        let c = t[i];
        let d = if i + 1 < n { t[i + 1] } else { 0 };
        match (c, d) {
            (b'O', b'E') if oe_ok => {
                out.push(b'U');
                i += 2;
            }
            (b'D', b'J') => {
                out.push(b'J');
                i += 2;
            }
            (b'T', b'J') => {
                out.push(b'C');
                i += 2;
            }
            (b'S', b'J') => {
                out.extend_from_slice(b"SY");
                i += 2;
            }
            // Modern `nj` exists (Panji, Anjani: old "ndj"), so a medial nj is old spelling
            // only in a token with another marker; a word-initial nj is always old (Njoman).
            (b'N', b'J') if i == 0 || marker => {
                out.extend_from_slice(b"NY");
                i += 2;
            }
            // ch → kh, but → h between a vowel and a consonant, which is how those names are
            // written today (Bachri → Bahri, Achmad → Ahmad, Rachmat → Rahmat).
            (b'C', b'H') if ch_ok => {
                let prev_vowel = i > 0 && is_vowel(t[i - 1]);
                let next_cons = i + 2 < n && is_consonant(t[i + 2]);
                if prev_vowel && next_cons {
                    out.push(b'H');
                } else {
                    out.extend_from_slice(b"KH");
                }
                i += 2;
            }
            (b'J', _) if marker => {
                out.push(b'Y');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// Canonical spelling of the Muhammad family and its siblings (§5.2), after the reform
/// rewrites (so Moch → MOKH, Mochammad → MOKHAMMAD are listed in folded form).
fn canonical_token(t: &[u8]) -> Option<&'static str> {
    // First-letter dispatch: most tokens leave after one comparison.
    match t.first() {
        Some(b'M') => match t {
            b"MUHAMMAD" | b"MUHAMAD" | b"MUHAMMED" | b"MUHAMED" | b"MOHAMMAD" | b"MOHAMAD" | b"MOHAMMED"
            | b"MOHAMED" | b"MOKHAMMAD" | b"MOKHAMAD" | b"MUKHAMMAD" | b"MUKHAMAD" | b"MUHAMMAT"
            | b"MUHAMAT" | b"MOHAMMAT" | b"MOHAMAT" | b"MOKHAMMAT" | b"MOKHAMAT" | b"MUKHAMAT" | b"MUH"
            | b"MOH" | b"MOKH" | b"MUKH" | b"MHD" | b"MD" | b"MOHD" | b"MUHD" | b"MHMD" => Some("MUHAMMAD"),
            _ => None,
        },
        Some(b'A') => match t {
            b"ABD" => Some("ABDUL"),
            b"AKHMAD" => Some("AHMAD"),
            _ => None,
        },
        Some(b'N') if t == b"NOOR" => Some("NUR"),
        Some(b'S') => match t {
            b"SITTI" => Some("SITI"),
            b"SERI" => Some("SRI"),
            _ => None,
        },
        _ => None,
    }
}

/// Canonical form of one token, or `None` when it is already canonical (the common case,
/// which then costs no copy). `scratch` holds the working bytes of the rewrite.
fn canonicalize_token<'s>(tok: &str, scratch: &'s mut (Vec<u8>, Vec<u8>)) -> Option<&'s [u8]> {
    let (cur, next) = scratch;
    cur.clear();
    if has_old_digraph(tok.as_bytes()) {
        // Iterate to a fixed point so the output never holds a digraph that a second
        // normalisation would rewrite (e.g. "DDJ" → "DJ"); each pass shortens the token or
        // removes a J/C, so this terminates.
        cur.extend_from_slice(tok.as_bytes());
        loop {
            next.clear();
            fold_once(cur, next);
            if next == cur {
                break;
            }
            std::mem::swap(cur, next);
        }
    }
    let folded: &[u8] = if cur.is_empty() { tok.as_bytes() } else { cur };
    match canonical_token(folded) {
        Some(c) if c.as_bytes() == tok.as_bytes() => None,
        Some(c) => {
            cur.clear();
            cur.extend_from_slice(c.as_bytes());
            Some(cur.as_slice())
        }
        None if !cur.is_empty() && cur.as_slice() != tok.as_bytes() => Some(cur.as_slice()),
        None => None,
    }
}

// ---------------------------------------------------------------------------------------
// Token tables: titles (§5.3)
// ---------------------------------------------------------------------------------------

/// Sex hint of a title: 0 none, 1 male, 2 female.
type Hint = u8;

/// Single leading titles, honorifics and address forms; `Some(hint)` when `t` is one.
fn leading_title(t: &str, dotted: bool) -> Option<Hint> {
    Some(match t {
        // Hajj (man), religious teachers, address forms for men, Acehnese and Banten
        // nobility, the Balinese male marker `I` [S26][S31][S29][S33].
        "H" | "HAJI" | "KH" | "KYAI" | "KIAI" | "KJAI" | "UST" | "USTADZ" | "USTAD" | "USTAZ" | "BPK"
        | "BAPAK" | "PAK" | "SDR" | "TN" | "TUAN" | "TEUKU" | "TUBAGUS" | "TB" | "RM" | "I" | "IB" => 1,
        // Hajj (woman), address forms for women, Acehnese `Cut`, Balinese `Ni`, Dra.,
        // Javanese R.A./Rr.
        "HJ" | "HJH" | "HAJJAH" | "HAJAH" | "USTADZAH" | "USTAZAH" | "USTADAH" | "IBU" | "BU" | "NY"
        | "NYONYA" | "SDRI" | "CUT" | "NI" | "DRA" | "RA" | "RR" => 2,
        "TGK" | "TEUNGKU" | "PROF" | "DR" | "DRG" | "DRS" | "DRH" | "IR" | "NS" | "RADEN" | "COKORDA"
        | "COK" => 0,
        // An undotted T or R is as likely an initial as a title, so only "T." and "R.".
        "T" if dotted => 1,
        "R" if dotted => 0,
        _ => return None,
    })
}

/// Two-token leading titles: K.H., R.M., R.A., A.A. (Anak Agung), Ida Bagus, Ida Ayu,
/// Anak Agung, I Gusti.
fn leading_pair(a: &str, a_dot: bool, b: &str, b_dot: bool) -> Option<Hint> {
    Some(match (a, b) {
        ("K", "H") if a_dot => 1,
        ("R", "M") if a_dot && b_dot => 1,
        ("R", "A") if a_dot && b_dot => 2,
        ("A", "A") if a_dot && b_dot => 0,
        ("IDA", "BAGUS") => 1,
        ("IDA", "AYU") => 2,
        ("ANAK", "AGUNG") | ("I", "GUSTI") | ("I", "GST") => 0,
        _ => return None,
    })
}

fn is_deceased_marker(t: &str) -> bool {
    t.starts_with("ALM")
        && matches!(t, "ALM" | "ALMH" | "ALMARHUM" | "ALMARHUMAH" | "ALMRH" | "ALMRHM" | "ALMHM")
}

/// Batak "boru"/"br." before the marga: removed, female hint [S30].
fn is_boru(t: &str) -> bool {
    matches!(t, "BR" | "BORU")
}

/// `bin`-type separators: `Some(hint)` for the person on the left.
fn bin_marker(t: &str, dotted: bool) -> Option<Hint> {
    match t {
        "BIN" | "BN" => Some(1),
        "B" if dotted => Some(1),
        "BINTI" | "BINT" | "BT" | "BTE" => Some(2),
        _ => None,
    }
}

/// Balinese birth-order names [S29]; `Luh` follows `Ni` for a first daughter.
fn birth_order_token(t: &str) -> Option<u8> {
    if !(3..=6).contains(&t.len()) {
        return None;
    }
    match t {
        "WAYAN" | "PUTU" | "GEDE" | "LUH" => Some(1),
        "MADE" | "KADEK" | "NENGAH" => Some(2),
        "NYOMAN" | "KOMANG" => Some(3),
        "KETUT" => Some(4),
        _ => None,
    }
}

/// Birth order of a name: the first birth-order token among its first three tokens (caste
/// titles such as Gusti or Dewa may precede it).
fn birth_order_of<'a>(tokens: impl IntoIterator<Item = &'a str>) -> Option<u8> {
    tokens.into_iter().take(3).find_map(birth_order_token)
}

/// Degree pieces as they appear after splitting on dots (S.Pd.I → S, PD, I) [S34].
fn is_degree_piece(t: &str) -> bool {
    matches!(
        t,
        "S" | "PD"
            | "PDI"
            | "I"
            | "E"
            | "EI"
            | "H"
            | "HI"
            | "KOM"
            | "IKOM"
            | "T"
            | "ST"
            | "SOS"
            | "AG"
            | "KEP"
            | "KEB"
            | "SI"
            | "A"
            | "MD"
            | "AMD"
            | "MA"
            | "P"
            | "TR"
            | "M"
            | "MM"
            | "KES"
            | "PH"
            | "D"
            | "AK"
            | "FARM"
            | "GZ"
            | "IP"
            | "HUM"
            | "PSI"
            | "KED"
            | "SP"
            | "SPOG"
            | "PT"
            | "HUT"
            | "KM"
            | "SKM"
            | "SE"
            | "SH"
            | "MH"
            | "MT"
            | "MBA"
            | "APT"
            | "SPD"
            | "SPDI"
            | "SKOM"
            | "SSOS"
            | "SAG"
            | "SKEP"
            | "SSI"
            | "SST"
            | "STR"
            | "MPD"
            | "MSI"
            | "MKES"
            | "MKOM"
            | "MAG"
            | "LC"
            | "BA"
            | "BSC"
            | "MSC"
            | "SHI"
            | "SEI"
            | "STP"
            | "SIKOM"
            | "SKG"
            | "SPSI"
            | "SFARM"
            | "KG"
            | "PHD"
            | "AMK"
            | "AMKEP"
            | "AMKEB"
            | "AMA"
            | "SHUT"
            | "SPT"
            | "PAR"
            | "SIP"
            | "TP"
            | "MHUM"
            | "MAK"
            | "AKT"
            | "SAK"
            | "NS"
            | "NERS"
            | "GIZI"
            | "SKEB"
            | "SPAR"
            | "SSTP"
            | "MAP"
            | "MKN"
            | "MKM"
            | "MSN"
            | "SKED"
            | "SPSIK"
            | "SHUM"
    )
}

// ---------------------------------------------------------------------------------------
// normalize_name
// ---------------------------------------------------------------------------------------

/// One token: where its canonical and typed text sit in `Lexed::buf`, and how it was written.
#[derive(Clone, Copy, Debug)]
struct Tok {
    /// Canonical text; the same range as the typed text when canonicalisation changed nothing.
    start: usize,
    end: usize,
    /// The token as typed (upper-cased, before canonicalisation), for degree parsing:
    /// "A.Md." must not read as "A MUHAMMAD".
    raw_start: usize,
    raw_end: usize,
    /// A '.' immediately followed the token ("M." is an initial, "T." is Teuku).
    dotted: bool,
    /// The next token started right after that dot ("S.Pd": S is glued to PD).
    glued: bool,
}

/// Tokens of a raw name after the character pass and per-token canonicalisation.
struct Lexed {
    buf: String,
    toks: Vec<Tok>,
    /// Number of tokens before the first comma.
    comma: Option<usize>,
}

impl Lexed {
    fn raw(&self, i: usize) -> &str {
        let t = self.toks[i];
        &self.buf[t.raw_start..t.raw_end]
    }
}

/// Closes the token whose typed text is `buf[raw_start..]`, appending its canonical form
/// after it when that differs.
fn close_token(
    buf: &mut String,
    raw_start: usize,
    dotted: bool,
    toks: &mut Vec<Tok>,
    scratch: &mut (Vec<u8>, Vec<u8>),
) {
    let raw_end = buf.len();
    let (start, end) = match canonicalize_token(&buf[raw_start..raw_end], scratch) {
        // Only ASCII sequences were rewritten, so the bytes are still UTF-8.
        Some(c) => match std::str::from_utf8(c) {
            Ok(c) => {
                buf.push_str(c);
                (raw_end, buf.len())
            }
            Err(_) => (raw_start, raw_end),
        },
        None => (raw_start, raw_end),
    };
    toks.push(Tok { start, end, raw_start, raw_end, dotted, glued: false });
}

fn lex(raw: &str) -> Lexed {
    let mut buf = String::with_capacity(raw.len() + raw.len() / 2 + 8);
    let mut toks: Vec<Tok> = Vec::with_capacity(8);
    let mut comma = None;
    let mut scratch = (Vec::new(), Vec::new());
    let mut tok_start = 0;
    // Set after a token ended with '.', cleared by any other separator.
    let mut after_dot = false;
    for c in raw.chars() {
        // ASCII letters and digits are the bulk of the input: skip the general path.
        if c.is_ascii_alphanumeric() {
            buf.push(c.to_ascii_uppercase());
            continue;
        }
        if let CharOut::Sep = push_char(c, &mut buf) {
            let dot = c == '.';
            if buf.len() > tok_start {
                if after_dot && let Some(prev) = toks.last_mut() {
                    prev.glued = true;
                }
                close_token(&mut buf, tok_start, dot, &mut toks, &mut scratch);
                tok_start = buf.len();
                after_dot = dot;
            } else {
                after_dot = false;
            }
            if c == ',' && comma.is_none() {
                comma = Some(toks.len());
            }
        }
    }
    if buf.len() > tok_start {
        if after_dot && let Some(prev) = toks.last_mut() {
            prev.glued = true;
        }
        close_token(&mut buf, tok_start, false, &mut toks, &mut scratch);
    }
    Lexed { buf, toks, comma }
}

/// Accumulates sex hints; disagreeing hints cancel out.
#[derive(Default)]
struct Hints {
    male: bool,
    female: bool,
}

impl Hints {
    fn add(&mut self, h: Hint) {
        match h {
            1 => self.male = true,
            2 => self.female = true,
            _ => {}
        }
    }
    fn get(&self) -> Option<u8> {
        match (self.male, self.female) {
            (true, false) => Some(1),
            (false, true) => Some(2),
            _ => None,
        }
    }
}

/// Applies the person-level rules to `toks` in place, keeping the name's tokens. Every
/// rule leaves at least one token, and the output is a fixed point of the rules when read
/// back without dots (so `normalize_name` is idempotent).
fn person_rules(buf: &str, toks: &mut Vec<Tok>, hints: &mut Hints, dead: &mut bool) {
    let text = |t: &Tok| &buf[t.start..t.end];
    // "Alm."/"Almh." may stand anywhere; it is not part of the name [H].
    if toks.iter().any(|t| is_deceased_marker(text(t))) {
        *dead = true;
        // Almarhumah/Almh. is the feminine form [H]; Almarhum is used for anyone.
        if toks.iter().any(|t| matches!(text(t), "ALMH" | "ALMARHUMAH")) {
            hints.add(2);
        }
        let last = toks[toks.len() - 1];
        toks.retain(|t| !is_deceased_marker(text(t)));
        if toks.is_empty() {
            toks.push(last);
        }
    }
    // boru/br. sits between the given name and the marga.
    if toks.len() > 2 {
        let n = toks.len();
        let mut w = 0;
        for p in 0..n {
            let t = toks[p];
            if w > 0 && p + 1 < n && is_boru(text(&t)) {
                hints.add(2);
                continue;
            }
            toks[w] = t;
            w += 1;
        }
        toks.truncate(w);
    }
    // Leading titles, repeatedly ("Drs. H.", "Prof. Dr. Ir."), never the last token.
    let mut s = 0;
    loop {
        let left = toks.len() - s;
        if left < 2 {
            break;
        }
        let ta = toks[s];
        if left >= 3 {
            let tb = toks[s + 1];
            if let Some(h) = leading_pair(text(&ta), ta.dotted, text(&tb), tb.dotted) {
                hints.add(h);
                s += 2;
                continue;
            }
        }
        if let Some(h) = leading_title(text(&ta), ta.dotted) {
            hints.add(h);
            s += 1;
            continue;
        }
        break;
    }
    toks.drain(..s);
}

fn join_tokens(buf: &str, toks: &[Tok]) -> String {
    let cap = toks.iter().map(|t| t.end - t.start + 1).sum();
    let mut out = String::with_capacity(cap);
    for t in toks {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&buf[t.start..t.end]);
    }
    out
}

/// Normalises one raw name following §5 of the domain brief.
///
/// * upper case; apostrophes removed without a space, other punctuation to a space;
/// * titles, honorifics and address forms stripped from the front (H., Hj., Drs., Bpk.,
///   Ibu, Teuku/T., Cut, Balinese I/Ni, R./Raden, ...), with a sex hint where they carry one;
///   degrees stripped after the first comma (or when written glued, `S.Pd`, at the end);
/// * `Alm.`/`Almh.` stripped, setting `deceased_marker`; Batak `br.`/`boru` stripped;
/// * split at `bin`/`binti`/`bn`/`b.`/`bt.`/`bte`: left is the person, right the father;
/// * old spelling folded in one pass per token (oe→u, dj→j, tj→c, nj→ny, sj→sy, ch→kh or
///   h, and j→y only in tokens that show another old marker);
/// * the Muhammad family → `MUHAMMAD` (a bare `M`/`M.` stays the initial `M`), Abd → ABDUL,
///   Achmad/Akhmad → AHMAD, Noor → NUR, Sitti → SITI, Seri → SRI;
/// * Balinese birth-order names are kept and reported in `birth_order`;
/// * Andi/Daeng are *not* stripped (Andi is an ordinary name elsewhere): [`compare_names`]
///   treats them as optional.
///
/// The name is idempotent: `normalize_name(&normalize_name(x).name).name` equals
/// `normalize_name(x).name`.
///
/// ```
/// use padan::indo::name::normalize_name;
///
/// assert_eq!(normalize_name("Tjahjono Widodo").name, "CAHYONO WIDODO");
/// assert_eq!(normalize_name("Sjamsul Bachri").name, "SYAMSUL BAHRI");
/// assert_eq!(normalize_name("Drs. H. Bambang Sutrisno, M.M.").name, "BAMBANG SUTRISNO");
/// assert_eq!(normalize_name("Moch. Ridwan").name, "MUHAMMAD RIDWAN");
/// assert_eq!(normalize_name("T. M. Iqbal").name, "M IQBAL");
/// let n = normalize_name("Rosmawati br. Sitompul");
/// assert_eq!((n.name.as_str(), n.sex_hint), ("ROSMAWATI SITOMPUL", Some(2)));
/// ```
pub fn normalize_name(raw: &str) -> NormalizedName {
    let lx = lex(raw);
    let mut end = lx.toks.len();
    if end == 0 {
        return NormalizedName::default();
    }
    // Degrees after the first comma, only when everything there parses as degrees
    // ("SUTRISNO, BAMBANG" keeps both parts).
    if let Some(k) = lx.comma
        && k > 0
        && k < end
        && (k..end).all(|i| is_degree_piece(lx.raw(i)))
        && (end - k >= 2 || lx.raw(k).len() >= 2)
    {
        end = k;
    }
    // Degrees without a comma, only in the glued form "S.Pd" / "M.M." so that trailing
    // initials ("Ahmad M. S.") survive.
    loop {
        let mut j = end;
        while j > 1 && is_degree_piece(lx.raw(j - 1)) && (j == end || lx.toks[j - 1].glued) {
            j -= 1;
        }
        // j..end is a maximal glued run of degree pieces; the piece before it must not be
        // glued to it (else it was a longer run we could not parse).
        if end - j >= 2 && j >= 1 && !lx.toks[j - 1].glued {
            end = j;
        } else {
            break;
        }
    }

    let mut hints = Hints::default();
    let mut dead = false;
    let Lexed { buf, mut toks, .. } = lx;
    toks.truncate(end);
    let marker = |t: &Tok| bin_marker(&buf[t.start..t.end], t.dotted);
    // bin/binti: the first one with a name on both sides.
    let split = (1..end.saturating_sub(1)).find_map(|i| marker(&toks[i]).map(|h| (i, h)));
    let mut father = None;
    if let Some((i, h)) = split {
        hints.add(h);
        // The father runs up to the next bin marker (his own father is dropped).
        let f_end = (i + 2..end).find(|&j| marker(&toks[j]).is_some()).unwrap_or(end);
        let mut ftoks = toks[i + 1..f_end].to_vec();
        // The father's titles and "Alm." describe him, not the person.
        person_rules(&buf, &mut ftoks, &mut Hints::default(), &mut false);
        let f = join_tokens(&buf, &ftoks);
        father = (!f.is_empty()).then_some(f);
        toks.truncate(i);
    }
    person_rules(&buf, &mut toks, &mut hints, &mut dead);
    let birth_order = birth_order_of(toks.iter().map(|t| &buf[t.start..t.end]));
    NormalizedName {
        name: join_tokens(&buf, &toks),
        father,
        sex_hint: hints.get(),
        deceased_marker: dead,
        birth_order,
    }
}

// ---------------------------------------------------------------------------------------
// Phonetic keys (§5.2)
// ---------------------------------------------------------------------------------------

/// Writes the phonetic symbols of `t` into `out` (at least `t.len()` long) and returns how
/// many were written; never more than `t.len()`.
///
/// Classes: f/p/v → P; z/j/s → S; q → K; kh/h dropped except word-initially (so kh ~ h ~
/// nothing: Ikhsan/Ihsan, Ahmad/Amad, Shinta/Sinta, Aisyah/Aisha); dh, th, sh → d, t, s by
/// the same h rule; ts → S, dz → S, sy → S; a/o → A (Mustofa/Mustafa, Sutrisno/Sutrisna);
/// a medial e is dropped (Slamet/Selamet); y → I except word-initially before a vowel;
/// repeated symbols collapsed (Muhamad, Abdulah). Non-ASCII bytes pass through.
fn token_key(t: &[u8], out: &mut [u8]) -> usize {
    let n = t.len();
    let mut w = 0usize;
    let mut i = 0usize;
    while i < n {
        let c = t[i];
        let next = if i + 1 < n { t[i + 1] } else { 0 };
        let first = i == 0;
        let (sym, step) = match c {
            b'K' if next == b'H' => (if first { b'H' } else { 0 }, 2),
            b'H' => (if first { b'H' } else { 0 }, 1),
            b'T' if next == b'S' => (b'S', 2),
            b'D' if next == b'Z' => (b'S', 2),
            b'S' if next == b'Y' => (b'S', 2),
            b'Q' => (b'K', 1),
            b'F' | b'V' | b'P' => (b'P', 1),
            b'Z' | b'J' | b'S' => (b'S', 1),
            b'A' | b'O' => (b'A', 1),
            b'E' => (if first || i + 1 == n { b'E' } else { 0 }, 1),
            b'Y' => (if first && is_vowel(next) { b'Y' } else { b'I' }, 1),
            _ => (c, 1),
        };
        i += step;
        if sym == 0 {
            continue;
        }
        // Non-ASCII bytes are never collapsed, so multi-byte characters stay whole.
        if sym >= 0x80 || w == 0 || out[w - 1] != sym {
            out[w] = sym;
            w += 1;
        }
    }
    w
}

/// Appends `bytes` to `out` folding the Arabic article assimilation after ABDU:
/// ABDUL RAHMAN, ABDURRAHMAN and ABDURAHMAN all become ABDURAHMAN (L dropped, the next
/// consonant single). Returns `false` when `out` is too small.
fn abdul_fold(bytes: impl Iterator<Item = u8>, out: &mut [u8], len: &mut usize) -> bool {
    #[derive(Clone, Copy)]
    enum St {
        Normal,
        SkipL,
        SkipRep(u8),
    }
    let mut st = St::Normal;
    for b in bytes {
        match st {
            St::SkipL if b == b'L' => continue,
            St::SkipL => {
                st = if is_consonant(b) { St::SkipRep(b) } else { St::Normal };
            }
            St::SkipRep(c) if b == c => continue,
            St::SkipRep(_) => st = St::Normal,
            St::Normal => {}
        }
        if *len >= out.len() {
            return false;
        }
        out[*len] = b;
        *len += 1;
        if matches!(st, St::Normal) && *len >= 4 && &out[*len - 4..*len] == b"ABDU" {
            st = St::SkipL;
        }
    }
    true
}

/// Indonesian phonetic key of a *normalised* name, for blocking: spelling variants of one
/// name share it, and it ignores token order (tokens are keyed, sorted and joined by one
/// space). Different people may share a key; it is a blocking key, not a verdict.
///
/// Joined and split forms (`SITI NURHALIZA` / `SITINURHALIZA`) do not share this key,
/// because sorting tokens and joining them cannot agree for both; add a second blocking
/// pass on [`phonetic_key_joined`] to catch them.
///
/// ```
/// use padan::indo::name::phonetic_key;
///
/// assert_eq!(phonetic_key("RIZKY RAMADHAN"), phonetic_key("RAMADAN RIZKI"));
/// assert_eq!(phonetic_key("SLAMET"), phonetic_key("SELAMET"));
/// assert_eq!(phonetic_key("MUSTOFA"), phonetic_key("MUSTAFA"));
/// assert_ne!(phonetic_key("HASAN"), phonetic_key("HUSAIN"));
/// ```
pub fn phonetic_key(normalized: &str) -> String {
    let mut keys: Vec<String> = normalized
        .split_ascii_whitespace()
        .map(|t| {
            let mut buf = vec![0u8; t.len()];
            let n = token_key(t.as_bytes(), &mut buf);
            buf.truncate(n);
            String::from_utf8(buf).unwrap_or_default()
        })
        .collect();
    keys.sort_unstable();
    keys.join(" ")
}

/// Phonetic key of the name with its spaces removed (in written order, with the Abdul
/// assimilation folded): the blocking key that makes joined and split forms meet.
///
/// ```
/// use padan::indo::name::phonetic_key_joined;
///
/// assert_eq!(phonetic_key_joined("SITI NURHALIZA"), phonetic_key_joined("SITINURHALIZA"));
/// assert_eq!(phonetic_key_joined("ABDUL RAHMAN"), phonetic_key_joined("ABDURRAHMAN"));
/// assert_eq!(phonetic_key_joined("NUR HAYATI"), phonetic_key_joined("NURHAYATI"));
/// ```
pub fn phonetic_key_joined(normalized: &str) -> String {
    let joined: Vec<u8> = normalized.split_ascii_whitespace().flat_map(str::bytes).collect();
    let mut folded = vec![0u8; joined.len()];
    let mut len = 0;
    // abdul_fold never grows its input, so the buffer is big enough.
    abdul_fold(joined.iter().copied(), &mut folded, &mut len);
    let mut key = vec![0u8; len];
    let n = token_key(&folded[..len], &mut key);
    key.truncate(n);
    String::from_utf8(key).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// compare_names
// ---------------------------------------------------------------------------------------

/// Token count up to which comparisons run on the stack; longer inputs take a simpler path.
const MAX_TOKENS: usize = 12;
/// Byte budget for stack-held keys and joined strings.
const BUF: usize = 256;

#[derive(Clone, Copy)]
struct Toks<'a> {
    t: [&'a str; MAX_TOKENS],
    n: usize,
}

impl<'a> Toks<'a> {
    fn parse(s: &'a str) -> Option<Self> {
        let mut t = [""; MAX_TOKENS];
        let mut n = 0;
        for tok in s.split_ascii_whitespace() {
            if n == MAX_TOKENS {
                return None;
            }
            t[n] = tok;
            n += 1;
        }
        Some(Toks { t, n })
    }

    fn s(&self) -> &[&'a str] {
        &self.t[..self.n]
    }
}

/// Leading tokens that may be present or absent for one person: Bugis-Makassar Andi/Daeng
/// [S32], Balinese caste titles [S29], Javanese/Malay/Minang titles [H]. Not stripped in
/// normalisation because Andi (and Ratu, Dewa) are ordinary names elsewhere.
fn is_optional_token(t: &str) -> bool {
    matches!(
        t,
        "ANDI"
            | "DAENG"
            | "DG"
            | "GUSTI"
            | "GST"
            | "NGURAH"
            | "DEWA"
            | "DESAK"
            | "RATU"
            | "TENGKU"
            | "WAN"
            | "DATUK"
            | "DT"
            | "SUTAN"
            | "PUTI"
            | "MARAH"
            | "SIDI"
            | "RADEN"
    )
}

/// Drops optional leading tokens, keeping at least one.
fn strip_optional<'a, 'b>(t: &'b [&'a str]) -> &'b [&'a str] {
    let mut s = 0;
    while t.len() - s > 1 && is_optional_token(t[s]) {
        s += 1;
    }
    &t[s..]
}

fn joined_bytes<'a>(t: &'a [&'a str]) -> impl Iterator<Item = u8> + 'a {
    t.iter().flat_map(|x| x.bytes())
}

fn same_multiset(x: &[&str], y: &[&str]) -> bool {
    if x.len() != y.len() || x.len() > MAX_TOKENS {
        return false;
    }
    let mut a = [""; MAX_TOKENS];
    let mut b = [""; MAX_TOKENS];
    a[..x.len()].copy_from_slice(x);
    b[..y.len()].copy_from_slice(y);
    a[..x.len()].sort_unstable();
    b[..y.len()].sort_unstable();
    a[..x.len()] == b[..y.len()]
}

fn contains_abdu(t: &[&str]) -> bool {
    t.iter().any(|x| x.contains("ABDU"))
}

fn same_tokens_or_joined(x: &[&str], y: &[&str]) -> bool {
    if same_multiset(x, y) || joined_bytes(x).eq(joined_bytes(y)) {
        return true;
    }
    if contains_abdu(x) && contains_abdu(y) {
        let (mut bx, mut by) = ([0u8; BUF], [0u8; BUF]);
        let (mut lx, mut ly) = (0, 0);
        if abdul_fold(joined_bytes(x), &mut bx, &mut lx) && abdul_fold(joined_bytes(y), &mut by, &mut ly) {
            return bx[..lx] == by[..ly];
        }
    }
    false
}

/// Per-token phonetic keys held on the stack.
struct KeyBuf {
    b: [u8; BUF],
    spans: [(usize, usize); MAX_TOKENS],
    n: usize,
}

impl KeyBuf {
    fn of(t: &[&str]) -> Option<Self> {
        let total: usize = t.iter().map(|x| x.len()).sum();
        if total > BUF || t.len() > MAX_TOKENS {
            return None;
        }
        let mut k = KeyBuf { b: [0; BUF], spans: [(0, 0); MAX_TOKENS], n: 0 };
        let mut w = 0;
        for x in t {
            let len = token_key(x.as_bytes(), &mut k.b[w..]);
            k.spans[k.n] = (w, w + len);
            k.n += 1;
            w += len;
        }
        Some(k)
    }

    fn key(&self, i: usize) -> &[u8] {
        let (s, e) = self.spans[i];
        &self.b[s..e]
    }

    fn sorted_eq(&self, other: &KeyBuf) -> bool {
        if self.n != other.n {
            return false;
        }
        let mut a = [&[][..]; MAX_TOKENS];
        let mut b = [&[][..]; MAX_TOKENS];
        for i in 0..self.n {
            a[i] = self.key(i);
            b[i] = other.key(i);
        }
        a[..self.n].sort_unstable();
        b[..self.n].sort_unstable();
        a[..self.n] == b[..self.n]
    }
}

/// Key of the joined name (see [`phonetic_key_joined`]) on the stack.
fn joined_key(t: &[&str], out: &mut [u8; BUF]) -> Option<usize> {
    let mut folded = [0u8; BUF];
    let mut len = 0;
    if !abdul_fold(joined_bytes(t), &mut folded, &mut len) {
        return None;
    }
    Some(token_key(&folded[..len], out))
}

/// First symbol of a token's phonetic key (it depends on the first two bytes only): equal
/// keys need equal first symbols, a cheap test that rejects most pairs before any key is
/// built.
fn first_class(t: &str) -> u8 {
    let b = t.as_bytes();
    let mut out = [0u8; 2];
    let n = token_key(&b[..b.len().min(2)], &mut out);
    if n == 0 { 0 } else { out[0] }
}

/// The sorted first symbols of both names agree (necessary for equal sorted keys).
fn first_classes_agree(x: &[&str], y: &[&str]) -> bool {
    if x.len() != y.len() || x.len() > MAX_TOKENS {
        return false;
    }
    let (mut a, mut b) = ([0u8; MAX_TOKENS], [0u8; MAX_TOKENS]);
    for (i, t) in x.iter().enumerate() {
        a[i] = first_class(t);
    }
    for (i, t) in y.iter().enumerate() {
        b[i] = first_class(t);
    }
    a[..x.len()].sort_unstable();
    b[..y.len()].sort_unstable();
    a[..x.len()] == b[..y.len()]
}

fn phonetic_eq(x: &[&str], y: &[&str]) -> bool {
    if x.len() == y.len() {
        if !first_classes_agree(x, y) {
            return false;
        }
        return match (KeyBuf::of(x), KeyBuf::of(y)) {
            (Some(kx), Some(ky)) => kx.sorted_eq(&ky),
            // Too long for the stack: the allocating path, same definition.
            _ => phonetic_key(&x.join(" ")) == phonetic_key(&y.join(" ")),
        };
    }
    // Different token counts: only the joined forms can meet (Nur Hayati / Nurhayati).
    if x.is_empty() || y.is_empty() || first_class(x[0]) != first_class(y[0]) {
        return false;
    }
    let (mut ka, mut kb) = ([0u8; BUF], [0u8; BUF]);
    match (joined_key(x, &mut ka), joined_key(y, &mut kb)) {
        (Some(la), Some(lb)) => ka[..la] == kb[..lb],
        _ => phonetic_key_joined(&x.join(" ")) == phonetic_key_joined(&y.join(" ")),
    }
}

fn token_phonetic_eq(x: &str, y: &str) -> bool {
    if x.len() > 64 || y.len() > 64 || first_class(x) != first_class(y) {
        return false;
    }
    let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
    let la = token_key(x.as_bytes(), &mut a);
    let lb = token_key(y.as_bytes(), &mut b);
    a[..la] == b[..lb]
}

/// Jaro-Winkler with the exact semantics of `strsim::jaro_winkler`, without its heap
/// allocation for short ASCII strings (the common case); other inputs go to strsim.
fn jaro_winkler(a: &str, b: &str) -> f64 {
    // Greedy Jaro matching is not exactly symmetric; a fixed argument order makes every
    // level symmetric.
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.len() > 64 || y.len() > 64 || !a.is_ascii() || !b.is_ascii() {
        return strsim::jaro_winkler(a, b);
    }
    let sim = jaro_ascii(x, y);
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// Whether Jaro-Winkler can reach `threshold` at all, from the lengths alone: at most
/// min(len) characters match, and the prefix bonus adds at most 0.4 of the gap.
fn jw_can_reach(a: &str, b: &str, threshold: f64) -> bool {
    let (la, lb) = (a.chars().count().max(1) as f64, b.chars().count().max(1) as f64);
    let m = la.min(lb);
    let sim = (m / la + m / lb + 1.0) / 3.0;
    sim + 0.4 * (1.0 - sim) >= threshold
}

/// `jaro_winkler(a, b) >= threshold`, skipping the computation when lengths rule it out.
fn jw_at_least(a: &str, b: &str, threshold: f64) -> bool {
    jw_can_reach(a, b, threshold) && jaro_winkler(a, b) >= threshold
}

/// Bucket of a byte for the position masks; distinct bytes may share a bucket, so a hit is
/// re-checked against the byte itself.
fn jw_bucket(c: u8) -> usize {
    (c & 31) as usize
}

/// Jaro similarity of two ASCII strings of at most 64 bytes. Same matching order as strsim
/// (for each a[i], the lowest free j in the window), but the candidates come from a bitmask
/// of b's positions per letter, so the cost is linear rather than length x window.
fn jaro_ascii(a: &[u8], b: &[u8]) -> f64 {
    let (al, bl) = (a.len(), b.len());
    if al == 0 && bl == 0 {
        return 1.0;
    }
    if al == 0 || bl == 0 {
        return 0.0;
    }
    let range = (al.max(bl) / 2).saturating_sub(1);
    let mut pos = [0u64; 32];
    for (j, &c) in b.iter().enumerate() {
        pos[jw_bucket(c)] |= 1 << j;
    }
    let (mut af, mut bf) = (0u64, 0u64);
    let mut m = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = bl.min(i + range + 1);
        if lo >= hi {
            continue;
        }
        // Bits lo..hi set.
        let window = (u64::MAX >> (64 - (hi - lo))) << lo;
        let mut cand = pos[jw_bucket(ca)] & window & !bf;
        while cand != 0 {
            let j = cand.trailing_zeros() as usize;
            if b[j] == ca {
                af |= 1 << i;
                bf |= 1 << j;
                m += 1;
                break;
            }
            cand &= cand - 1;
        }
    }
    if m == 0 {
        return 0.0;
    }
    let mut t = 0usize;
    let mut rest_b = bf;
    let mut rest_a = af;
    while rest_a != 0 {
        let i = rest_a.trailing_zeros() as usize;
        let k = rest_b.trailing_zeros() as usize;
        if a[i] != b[k] {
            t += 1;
        }
        rest_a &= rest_a - 1;
        rest_b &= rest_b - 1;
    }
    t /= 2;
    let m = m as f64;
    ((m / al as f64) + (m / bl as f64) + ((m - t as f64) / m)) / 3.0
}

/// Every aligned token pair has Jaro-Winkler >= 0.90, in written or in sorted order.
fn tokenwise_close(x: &[&str], y: &[&str]) -> bool {
    if x.len() != y.len() || x.len() < 2 {
        return false;
    }
    let close = |p: &[&str], q: &[&str]| p.iter().zip(q).all(|(s, t)| jw_at_least(s, t, 0.90));
    if close(x, y) {
        return true;
    }
    if x.is_sorted() && y.is_sorted() {
        return false;
    }
    let mut a = [""; MAX_TOKENS];
    let mut b = [""; MAX_TOKENS];
    a[..x.len()].copy_from_slice(x);
    b[..y.len()].copy_from_slice(y);
    a[..x.len()].sort_unstable();
    b[..y.len()].sort_unstable();
    close(&a[..x.len()], &b[..y.len()])
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TokMatch {
    No,
    Initial,
    Full,
}

fn token_match(x: &str, y: &str) -> TokMatch {
    let (lx, ly) = (x.len(), y.len());
    if lx == 1 || ly == 1 {
        let (short, long) = if lx == 1 { (x, y) } else { (y, x) };
        return if long.as_bytes().first() == short.as_bytes().first() {
            TokMatch::Initial
        } else {
            TokMatch::No
        };
    }
    if x == y || token_phonetic_eq(x, y) || jw_at_least(x, y, 0.90) { TokMatch::Full } else { TokMatch::No }
}

/// The shorter name's tokens match the longer's in order, at least one through an initial
/// and at least one in full; the longer may have extra initials or optional tokens
/// (`T M IQBAL` / `MUHAMMAD IQBAL`).
fn initials_compatible(x: &[&str], y: &[&str]) -> bool {
    let has_initial = |t: &[&str]| t.iter().any(|s| s.len() == 1);
    if !has_initial(x) && !has_initial(y) {
        return false;
    }
    match x.len().cmp(&y.len()) {
        std::cmp::Ordering::Less => initials_into(x, y),
        std::cmp::Ordering::Greater => initials_into(y, x),
        std::cmp::Ordering::Equal => initials_into(x, y) || initials_into(y, x),
    }
}

/// [`initials_compatible`] with `s` the name matched into `l`.
fn initials_into(s: &[&str], l: &[&str]) -> bool {
    let skippable = |t: &str| t.len() == 1 || is_optional_token(t);
    let (mut initials, mut full) = (0, 0);
    let mut j = 0;
    for &a in s {
        loop {
            let Some(&b) = l.get(j) else { return false };
            j += 1;
            match token_match(a, b) {
                TokMatch::Initial => {
                    initials += 1;
                    break;
                }
                TokMatch::Full => {
                    full += 1;
                    break;
                }
                TokMatch::No if skippable(b) => continue,
                TokMatch::No => return false,
            }
        }
    }
    l[j..].iter().all(|t| skippable(t)) && initials > 0 && full > 0
}

/// The shorter token set is inside the longer one, or more than half of the longer name's
/// tokens are shared (the token-set half of [`NameLevel::Similar`]).
fn token_overlap(x: &[&str], y: &[&str]) -> bool {
    let (s, l) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    // Multiset intersection, so repeated tokens count once each way (symmetric).
    let mut used = [false; MAX_TOKENS];
    let mut shared = 0;
    for t in s {
        // Wayan/Putu/Gede all say "first-born": shared for overlap, never for equality.
        let same = |u: &str| u == *t || birth_order_token(u).is_some_and(|o| birth_order_token(t) == Some(o));
        if let Some(j) = (0..l.len()).find(|&j| !used[j] && same(l[j])) {
            used[j] = true;
            shared += 1;
        }
    }
    shared > 0 && (shared == s.len() || 2 * shared > l.len())
}

/// `nick` is a known short form of `full` [S12] (Wawan ← Hermawan, Aa ← Asep); the rest of
/// the table is [H]: common Javanese/Sundanese short forms built from a name's last part.
fn is_nickname_of(nick: &str, full: &str) -> bool {
    if nick.len() >= full.len() {
        return false;
    }
    match nick {
        "WAWAN" | "IWAN" => full.ends_with("WAN"),
        "AA" | "UJANG" => full == "ASEP",
        "UDIN" => full.ends_with("UDIN") || full.ends_with("UDDIN"),
        "YANTI" => full.ends_with("YANTI"),
        "YATI" => full.ends_with("YATI"),
        "MAMAT" => matches!(full, "AHMAD" | "RAHMAT" | "MUHAMMAD"),
        "MAMAN" => matches!(full, "RAHMAN" | "SULAIMAN" | "ABDURRAHMAN" | "ABDURAHMAN"),
        "IPUL" => matches!(full, "SAIFUL" | "SYAIFUL" | "SAEPUL" | "SAIFULLAH" | "SYAIFULLAH"),
        _ => false,
    }
}

/// The short forms [`is_nickname_of`] knows.
fn is_nickname_key(t: &str) -> bool {
    matches!(t, "WAWAN" | "IWAN" | "AA" | "UJANG" | "UDIN" | "YANTI" | "YATI" | "MAMAT" | "MAMAN" | "IPUL")
}

/// One token pair is nickname-related and every other token of the shorter name appears in
/// the longer one.
fn nickname(x: &[&str], y: &[&str]) -> bool {
    let is_key = |t: &&str| is_nickname_key(t);
    if !x.iter().any(is_key) && !y.iter().any(is_key) {
        return false;
    }
    match x.len().cmp(&y.len()) {
        std::cmp::Ordering::Less => nickname_into(x, y),
        std::cmp::Ordering::Greater => nickname_into(y, x),
        std::cmp::Ordering::Equal => nickname_into(x, y) || nickname_into(y, x),
    }
}

/// [`nickname`] with `s` the shorter name.
fn nickname_into(s: &[&str], l: &[&str]) -> bool {
    for (i, &a) in s.iter().enumerate() {
        for (j, &b) in l.iter().enumerate() {
            if is_nickname_of(a, b) || is_nickname_of(b, a) {
                let rest_ok = s
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| k != i)
                    .all(|(_, t)| l.iter().enumerate().any(|(m, u)| m != j && u == t));
                if rest_ok {
                    return true;
                }
            }
        }
    }
    false
}

/// Compares two *normalised* names (outputs of [`normalize_name`]`(..).name`) and returns
/// the best [`NameLevel`] that holds. Token order never matters.
///
/// [`NameLevel::BirthOrderConflict`] is checked first: Ni Made Sri Wahyuni and Ni Ketut Sri
/// Wahyuni are sisters however alike the rest is. Names are not re-normalised here; the
/// common path allocates nothing. Two empty names compare `Exact` and an empty name against
/// a non-empty one `Different`: map missing names to the caller's null (0) before calling.
///
/// ```
/// use padan::indo::name::{compare_names, NameLevel};
///
/// assert_eq!(compare_names("SITI NURHALIZA", "SITINURHALIZA"), NameLevel::SameTokensOrJoined);
/// assert_eq!(compare_names("ANDI NURHALIZAH", "NURHALIZAH"), NameLevel::SameTokensOrJoined);
/// assert_eq!(compare_names("BAMBANG SUTRISNO", "BAMBANG SUTRISNA"), NameLevel::PhoneticMatch);
/// assert_eq!(compare_names("M IQBAL", "MUHAMMAD IQBAL"), NameLevel::InitialsCompatible);
/// assert_eq!(compare_names("WAWAN", "HERMAWAN"), NameLevel::Nickname);
/// assert_eq!(compare_names("MADE SRI WAHYUNI", "KETUT SRI WAHYUNI"), NameLevel::BirthOrderConflict);
/// assert_eq!(compare_names("SUTRISNO", "PAINEM"), NameLevel::Different);
/// ```
pub fn compare_names(a: &str, b: &str) -> NameLevel {
    use NameLevel::*;
    if a == b {
        return Exact;
    }
    let (Some(ta), Some(tb)) = (Toks::parse(a), Toks::parse(b)) else {
        return compare_long(a, b);
    };
    let (x, y) = (ta.s(), tb.s());
    if x.is_empty() || y.is_empty() {
        return if x.is_empty() && y.is_empty() { Exact } else { Different };
    }
    if let (Some(p), Some(q)) = (birth_order_of(x.iter().copied()), birth_order_of(y.iter().copied()))
        && p != q
    {
        return BirthOrderConflict;
    }
    if same_tokens_or_joined(x, y) {
        return SameTokensOrJoined;
    }
    let (ox, oy) = (strip_optional(x), strip_optional(y));
    let stripped = ox.len() != x.len() || oy.len() != y.len();
    if stripped && same_tokens_or_joined(ox, oy) {
        return SameTokensOrJoined;
    }
    if phonetic_eq(x, y) || (stripped && phonetic_eq(ox, oy)) {
        return PhoneticMatch;
    }
    let jw = if jw_can_reach(a, b, 0.80) { jaro_winkler(a, b) } else { 0.0 };
    if jw >= 0.92 || tokenwise_close(x, y) {
        return CloseSpelling;
    }
    if initials_compatible(x, y) {
        return InitialsCompatible;
    }
    if jw >= 0.80 || token_overlap(x, y) {
        return Similar;
    }
    if nickname(x, y) {
        return Nickname;
    }
    Different
}

/// Names with more than [`MAX_TOKENS`] tokens (not real names): string-level checks only.
fn compare_long(a: &str, b: &str) -> NameLevel {
    let ja = a.split_ascii_whitespace().flat_map(str::bytes);
    let jb = b.split_ascii_whitespace().flat_map(str::bytes);
    if ja.eq(jb) {
        return NameLevel::SameTokensOrJoined;
    }
    let s = jaro_winkler(a, b);
    if s >= 0.92 {
        NameLevel::CloseSpelling
    } else if s >= 0.80 {
        NameLevel::Similar
    } else {
        NameLevel::Different
    }
}

// ---------------------------------------------------------------------------------------
// compare_names on precomputed features
// ---------------------------------------------------------------------------------------

/// Letter counts of a short ASCII string, by `byte & 31` (letters are distinct; space and a
/// few punctuation marks share buckets with letters, which only loosens the bound below).
type Histogram = [u8; 32];

/// Longest string (bytes) given a [`Histogram`]: the one the stack Jaro-Winkler handles.
const HISTOGRAM_MAX: usize = 64;

/// Margin that keeps [`jw_surely_below`] exact despite floating-point rounding (both the
/// bound and Jaro-Winkler are a few operations away from exact, errors ~1e-16).
const JW_MARGIN: f64 = 1e-9;

fn histogram(s: &str) -> Option<Histogram> {
    if s.len() > HISTOGRAM_MAX || !s.is_ascii() {
        return None;
    }
    let mut h = [0u8; 32];
    for b in s.bytes() {
        h[usize::from(b & 31)] += 1;
    }
    Some(h)
}

/// Proves `jaro_winkler(a, b) < threshold` from letter counts: Jaro matches pairs of equal
/// bytes, so there are at most the shared counts; no transpositions and the real common prefix
/// give the highest score those matches could reach. `false` means "maybe not".
fn jw_surely_below(a: &str, b: &str, ha: &Histogram, hb: &Histogram, threshold: f64) -> bool {
    let shared: u32 = ha.iter().zip(hb).map(|(x, y)| u32::from(*x.min(y))).sum();
    if shared == 0 {
        return true;
    }
    let m = f64::from(shared);
    let sim = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    let prefix = a.bytes().take(4).zip(b.bytes()).take_while(|(p, q)| p == q).count();
    sim + 0.1 * prefix as f64 * (1.0 - sim) < threshold - JW_MARGIN
}

/// [`jw_can_reach`] from character counts.
fn jw_can_reach_counts(la: usize, lb: usize, threshold: f64) -> bool {
    let (la, lb) = (la.max(1) as f64, lb.max(1) as f64);
    let m = la.min(lb);
    let sim = (m / la + m / lb + 1.0) / 3.0;
    sim + 0.4 * (1.0 - sim) >= threshold
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// One distinct token of a [`NameFeatures`] table.
#[derive(Clone, Copy)]
struct TokenFacts {
    /// Where the token's text sits in [`NameFeatures::text`].
    start: u32,
    len: u32,
    chars: u32,
    /// Interned phonetic key ([`token_key`]).
    key: u32,
    /// [`birth_order_token`], 0 when none.
    birth_order: u8,
    histogram: Option<Histogram>,
}

/// Facts of a name's token list (the whole name, or the name without its optional leading
/// tokens): what [`same_tokens_or_joined`] and [`phonetic_eq`] look at.
#[derive(Clone, Copy, Default)]
struct TokenView {
    /// Offset in [`NameFeatures::ids`] of the token ids in string order (`n` of them), then of
    /// the phonetic key ids in numeric order (`n` more).
    sorted: u32,
    n: u8,
    /// [`first_class`] of the first token.
    first_class: u8,
    /// Some token holds ABDU and the folded joined form fits the stack buffer.
    abdu: bool,
    /// Hashes of the joined bytes, of their Abdul-folded form and of the joined phonetic key:
    /// different hashes prove inequality, equal hashes are checked on the strings.
    joined: u64,
    folded: u64,
    joined_key: u64,
}

const LONG: u8 = 1;
const HAS_INITIAL: u8 = 2;
const HAS_NICKNAME_KEY: u8 = 4;
const SORTED: u8 = 8;

/// One distinct name of a [`NameFeatures`] table.
#[derive(Clone, Copy)]
struct NameFacts {
    /// Where the name sits in [`NameFeatures::text`].
    start: u32,
    len: u32,
    chars: u32,
    /// Offset in [`NameFeatures::ids`] of the token ids in written order.
    written: u32,
    /// Index in [`NameFeatures::stripped`] of the view without optional leading tokens, or
    /// `u32::MAX` when there are none.
    stripped: u32,
    /// [`birth_order_of`], 0 when none.
    birth_order: u8,
    flags: u8,
    full: TokenView,
    histogram: Option<Histogram>,
}

/// Per-distinct-name facts for [`compare_names`]: tokens, phonetic keys, birth order, the
/// form without optional tokens, letter counts. A table of them, built once, grades a pair of
/// names by index with exactly the [`NameLevel`] that [`compare_names`] gives their strings,
/// doing the per-name work once instead of on every pair, and proving most unrelated pairs
/// [`NameLevel::Different`] from integers and letter counts alone.
///
/// ```
/// use padan::indo::name::{compare_names, NameFeatures, NameLevel};
///
/// let names = ["SITI NURHALIZA", "SITINURHALIZA", "BAMBANG SUTRISNO", "BAMBANG SUTRISNA", "PAINEM"];
/// let features = NameFeatures::new(&names);
/// assert_eq!(features.compare(0, 1), NameLevel::SameTokensOrJoined);
/// assert_eq!(features.compare(2, 3), NameLevel::PhoneticMatch);
/// assert_eq!(features.compare(2, 4), NameLevel::Different);
/// for a in 0..names.len() {
///     for b in 0..names.len() {
///         assert_eq!(features.compare(a, b), compare_names(names[a], names[b]));
///     }
/// }
/// // Only the levels up to a given one, for comparisons that need no looser level.
/// assert_eq!(features.compare_up_to(2, 3, NameLevel::CloseSpelling), Some(NameLevel::PhoneticMatch));
/// assert_eq!(features.compare_up_to(2, 4, NameLevel::CloseSpelling), None);
/// ```
#[derive(Clone, Default)]
pub struct NameFeatures {
    text: String,
    names: Vec<NameFacts>,
    stripped: Vec<TokenView>,
    ids: Vec<u32>,
    tokens: Vec<TokenFacts>,
}

impl std::fmt::Debug for NameFeatures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameFeatures")
            .field("names", &self.names.len())
            .field("tokens", &self.tokens.len())
            .finish_non_exhaustive()
    }
}

/// A chunk of names' facts built in parallel, with offsets local to the chunk.
struct FactsChunk {
    names: Vec<NameFacts>,
    stripped: Vec<TokenView>,
    ids: Vec<u32>,
}

impl NameFeatures {
    /// Builds the facts of `names` (normalised names, as given to [`compare_names`]); the
    /// names are then referred to by their index in `names`.
    pub fn new(names: &[&str]) -> Self {
        use rayon::prelude::*;
        // Text and token ids first, in order, so ids do not depend on the thread count (the
        // levels never depend on id values, only on their equality).
        let mut text = String::with_capacity(names.iter().map(|n| n.len()).sum());
        let mut tokens: Vec<TokenFacts> = Vec::new();
        let mut token_ids: rustc_hash::FxHashMap<&str, u32> = Default::default();
        let mut key_ids: rustc_hash::FxHashMap<Vec<u8>, u32> = Default::default();
        let mut written: Vec<u32> = Vec::new();
        // Per name: text start and the range of its written token ids (empty when long).
        let mut spans: Vec<(u32, u32, u32, bool)> = Vec::with_capacity(names.len());
        let mut key = Vec::new();
        for name in names {
            let start = text.len() as u32;
            text.push_str(name);
            let first = written.len() as u32;
            let long = name.split_ascii_whitespace().nth(MAX_TOKENS).is_some();
            if !long {
                for tok in name.split_ascii_whitespace() {
                    let next = tokens.len() as u32;
                    let id = *token_ids.entry(tok).or_insert_with(|| {
                        key.clear();
                        key.resize(tok.len(), 0);
                        let n = token_key(tok.as_bytes(), &mut key);
                        key.truncate(n);
                        let next_key = key_ids.len() as u32;
                        let key = *key_ids.entry(key.clone()).or_insert(next_key);
                        let offset = tok.as_ptr() as usize - name.as_ptr() as usize;
                        tokens.push(TokenFacts {
                            start: start + offset as u32,
                            len: tok.len() as u32,
                            chars: tok.chars().count() as u32,
                            key,
                            birth_order: birth_order_token(tok).unwrap_or(0),
                            histogram: histogram(tok),
                        });
                        next
                    });
                    written.push(id);
                }
            }
            spans.push((start, first, written.len() as u32, long));
        }
        drop(token_ids);
        drop(key_ids);

        let mut table =
            NameFeatures { text, names: Vec::new(), stripped: Vec::new(), ids: Vec::new(), tokens };
        let chunks: Vec<FactsChunk> = spans
            .par_chunks(4096)
            .zip(names.par_chunks(4096))
            .map(|(spans, names)| table.facts_chunk(spans, names, &written))
            .collect();
        let mut ids = Vec::with_capacity(chunks.iter().map(|c| c.ids.len()).sum());
        let mut all = Vec::with_capacity(names.len());
        let mut stripped = Vec::new();
        for chunk in chunks {
            let (id_base, stripped_base) = (ids.len() as u32, stripped.len() as u32);
            ids.extend_from_slice(&chunk.ids);
            stripped.extend(chunk.stripped.into_iter().map(|mut v| {
                v.sorted += id_base;
                v
            }));
            all.extend(chunk.names.into_iter().map(|mut f| {
                f.written += id_base;
                f.full.sorted += id_base;
                if f.stripped != u32::MAX {
                    f.stripped += stripped_base;
                }
                f
            }));
        }
        table.names = all;
        table.stripped = stripped;
        table.ids = ids;
        table
    }

    fn facts_chunk(&self, spans: &[(u32, u32, u32, bool)], names: &[&str], written: &[u32]) -> FactsChunk {
        let mut out =
            FactsChunk { names: Vec::with_capacity(spans.len()), stripped: Vec::new(), ids: Vec::new() };
        for (&(start, first, end, long), name) in spans.iter().zip(names) {
            let toks = &written[first as usize..end as usize];
            let local = out.ids.len() as u32;
            out.ids.extend_from_slice(toks);
            let full = self.view(name, toks, &mut out.ids);
            let strip = {
                let mut s = 0;
                while toks.len() - s > 1 && is_optional_token(self.token(toks[s])) {
                    s += 1;
                }
                s
            };
            let stripped = if strip > 0 {
                let first = name.split_ascii_whitespace().nth(strip).unwrap_or_default();
                let rest = &name[first.as_ptr() as usize - name.as_ptr() as usize..];
                out.stripped.push(self.view(rest, &toks[strip..], &mut out.ids));
                (out.stripped.len() - 1) as u32
            } else {
                u32::MAX
            };
            let mut flags = 0;
            if long {
                flags |= LONG;
            }
            if toks.iter().any(|&t| self.tokens[t as usize].len == 1) {
                flags |= HAS_INITIAL;
            }
            if toks.iter().any(|&t| is_nickname_key(self.token(t))) {
                flags |= HAS_NICKNAME_KEY;
            }
            if toks.is_sorted_by_key(|&t| self.token(t)) {
                flags |= SORTED;
            }
            out.names.push(NameFacts {
                start,
                len: name.len() as u32,
                chars: name.chars().count() as u32,
                written: local,
                stripped,
                birth_order: birth_order_of(toks.iter().map(|&t| self.token(t))).unwrap_or(0),
                flags,
                full,
                histogram: histogram(name),
            });
        }
        out
    }

    /// The view of tokens `toks` whose text (from the first token on) is `text`, appending
    /// its sorted lists to `ids`.
    fn view(&self, text: &str, toks: &[u32], ids: &mut Vec<u32>) -> TokenView {
        let sorted = ids.len() as u32;
        let first = ids.len();
        ids.extend_from_slice(toks);
        ids[first..].sort_unstable_by_key(|&t| self.token(t));
        let keys = ids.len();
        ids.extend(toks.iter().map(|&t| self.tokens[t as usize].key));
        ids[keys..].sort_unstable();
        let strs: Vec<&str> = toks.iter().map(|&t| self.token(t)).collect();
        let joined: Vec<u8> = joined_bytes(&strs).collect();
        let mut folded = [0u8; BUF];
        let mut folded_len = 0;
        let abdu = contains_abdu(&strs) && abdul_fold(joined.iter().copied(), &mut folded, &mut folded_len);
        TokenView {
            sorted,
            n: toks.len() as u8,
            first_class: strs.first().map_or(0, |t| first_class(t)),
            abdu,
            joined: hash_bytes(&joined),
            folded: if abdu { hash_bytes(&folded[..folded_len]) } else { 0 },
            joined_key: hash_bytes(phonetic_key_joined(text).as_bytes()),
        }
    }

    fn token(&self, id: u32) -> &str {
        let t = &self.tokens[id as usize];
        &self.text[t.start as usize..(t.start + t.len) as usize]
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the table holds no name.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The name at `index`.
    pub fn name(&self, index: usize) -> &str {
        let f = &self.names[index];
        &self.text[f.start as usize..(f.start + f.len) as usize]
    }

    /// [`compare_names`] of the names at indexes `a` and `b`.
    pub fn compare(&self, a: usize, b: usize) -> NameLevel {
        self.level(a, b, NameLevel::Different)
    }

    /// [`NameFeatures::compare`] when its level is `loosest` or stricter (a lower value), else
    /// `None`; the checks for looser levels are skipped.
    pub fn compare_up_to(&self, a: usize, b: usize, loosest: NameLevel) -> Option<NameLevel> {
        Some(self.level(a, b, loosest)).filter(|level| *level <= loosest)
    }

    fn ids(&self, at: u32, n: u8) -> &[u32] {
        &self.ids[at as usize..at as usize + usize::from(n)]
    }

    fn sorted_tokens(&self, v: &TokenView) -> &[u32] {
        self.ids(v.sorted, v.n)
    }

    fn sorted_keys(&self, v: &TokenView) -> &[u32] {
        self.ids(v.sorted + u32::from(v.n), v.n)
    }

    fn written(&self, f: &NameFacts) -> &[u32] {
        self.ids(f.written, f.full.n)
    }

    fn stripped_view<'s>(&'s self, f: &'s NameFacts) -> &'s TokenView {
        if f.stripped == u32::MAX { &f.full } else { &self.stripped[f.stripped as usize] }
    }

    /// The token strings of a view (its last `n` written tokens), for the checks that run on
    /// strings.
    fn strs(&self, f: &NameFacts, v: &TokenView) -> Toks<'_> {
        let written = self.written(f);
        let mut t = Toks { t: [""; MAX_TOKENS], n: usize::from(v.n) };
        for (slot, &id) in t.t.iter_mut().zip(&written[written.len() - t.n..]) {
            *slot = self.token(id);
        }
        t
    }

    /// [`same_tokens_or_joined`] on two views.
    fn same_tokens_or_joined(&self, fa: &NameFacts, va: &TokenView, fb: &NameFacts, vb: &TokenView) -> bool {
        if va.n == vb.n && self.sorted_tokens(va) == self.sorted_tokens(vb) {
            return true;
        }
        if va.joined == vb.joined || (va.abdu && vb.abdu && va.folded == vb.folded) {
            return same_tokens_or_joined(self.strs(fa, va).s(), self.strs(fb, vb).s());
        }
        false
    }

    /// [`phonetic_eq`] on two views.
    fn phonetic_eq(&self, fa: &NameFacts, va: &TokenView, fb: &NameFacts, vb: &TokenView) -> bool {
        if va.n == vb.n {
            return self.sorted_keys(va) == self.sorted_keys(vb);
        }
        va.first_class == vb.first_class
            && va.joined_key == vb.joined_key
            && phonetic_eq(self.strs(fa, va).s(), self.strs(fb, vb).s())
    }

    /// [`jw_at_least`] of two tokens.
    fn tokens_close(&self, x: u32, y: u32) -> bool {
        if x == y {
            return true;
        }
        let (tx, ty) = (&self.tokens[x as usize], &self.tokens[y as usize]);
        if !jw_can_reach_counts(tx.chars as usize, ty.chars as usize, 0.90) {
            return false;
        }
        let (sx, sy) = (self.token(x), self.token(y));
        if let (Some(hx), Some(hy)) = (&tx.histogram, &ty.histogram)
            && jw_surely_below(sx, sy, hx, hy, 0.90)
        {
            return false;
        }
        jaro_winkler(sx, sy) >= 0.90
    }

    /// [`tokenwise_close`] of two names.
    fn tokenwise_close(&self, fa: &NameFacts, fb: &NameFacts) -> bool {
        if fa.full.n != fb.full.n || fa.full.n < 2 {
            return false;
        }
        let close = |p: &[u32], q: &[u32]| p.iter().zip(q).all(|(&s, &t)| self.tokens_close(s, t));
        if close(self.written(fa), self.written(fb)) {
            return true;
        }
        if fa.flags & fb.flags & SORTED != 0 {
            return false;
        }
        close(self.sorted_tokens(&fa.full), self.sorted_tokens(&fb.full))
    }

    /// [`token_overlap`] of two names.
    fn token_overlap(&self, fa: &NameFacts, fb: &NameFacts) -> bool {
        let (x, y) = (self.written(fa), self.written(fb));
        let (s, l) = if x.len() <= y.len() { (x, y) } else { (y, x) };
        let mut used = [false; MAX_TOKENS];
        let mut shared = 0;
        for &t in s {
            let order = self.tokens[t as usize].birth_order;
            let same = |u: u32| u == t || (order != 0 && self.tokens[u as usize].birth_order == order);
            if let Some(j) = (0..l.len()).find(|&j| !used[j] && same(l[j])) {
                used[j] = true;
                shared += 1;
            }
        }
        shared > 0 && (shared == s.len() || 2 * shared > l.len())
    }

    /// [`compare_names`], skipping the checks of levels looser than `loosest` (their pairs come
    /// out [`NameLevel::Different`]).
    fn level(&self, a: usize, b: usize, loosest: NameLevel) -> NameLevel {
        use NameLevel::*;
        let (fa, fb) = (&self.names[a], &self.names[b]);
        // Equal indexes are equal names without reading either.
        if a == b {
            return Exact;
        }
        let (sa, sb) = (self.name(a), self.name(b));
        if sa == sb {
            return Exact;
        }
        if (fa.flags | fb.flags) & LONG != 0 {
            return compare_names(sa, sb);
        }
        if fa.full.n == 0 || fb.full.n == 0 {
            return if fa.full.n == 0 && fb.full.n == 0 { Exact } else { Different };
        }
        if fa.birth_order != 0 && fb.birth_order != 0 && fa.birth_order != fb.birth_order {
            return BirthOrderConflict;
        }
        if self.same_tokens_or_joined(fa, &fa.full, fb, &fb.full) {
            return SameTokensOrJoined;
        }
        let (oa, ob) = (self.stripped_view(fa), self.stripped_view(fb));
        let stripped = fa.stripped != u32::MAX || fb.stripped != u32::MAX;
        if stripped && self.same_tokens_or_joined(fa, oa, fb, ob) {
            return SameTokensOrJoined;
        }
        if loosest < PhoneticMatch {
            return Different;
        }
        if self.phonetic_eq(fa, &fa.full, fb, &fb.full) || (stripped && self.phonetic_eq(fa, oa, fb, ob)) {
            return PhoneticMatch;
        }
        if loosest < CloseSpelling {
            return Different;
        }
        let reachable = jw_can_reach_counts(fa.chars as usize, fb.chars as usize, 0.80)
            && !matches!((&fa.histogram, &fb.histogram), (Some(ha), Some(hb)) if jw_surely_below(sa, sb, ha, hb, 0.80));
        let jw = if reachable { jaro_winkler(sa, sb) } else { 0.0 };
        if jw >= 0.92 || self.tokenwise_close(fa, fb) {
            return CloseSpelling;
        }
        if loosest < InitialsCompatible {
            return Different;
        }
        if (fa.flags | fb.flags) & HAS_INITIAL != 0
            && initials_compatible(self.strs(fa, &fa.full).s(), self.strs(fb, &fb.full).s())
        {
            return InitialsCompatible;
        }
        if jw >= 0.80 || self.token_overlap(fa, fb) {
            return Similar;
        }
        if (fa.flags | fb.flags) & HAS_NICKNAME_KEY != 0
            && nickname(self.strs(fa, &fa.full).s(), self.strs(fb, &fb.full).s())
        {
            return Nickname;
        }
        Different
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Golden table: expected values are derived by hand from domain.md §5.
    const GOLDEN: &str = include_str!("../../tests/fixtures/names.csv");

    /// Splits one CSV line with RFC 4180 quoting (fields may hold commas).
    fn csv_fields(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => out.push(std::mem::take(&mut cur)),
                _ => cur.push(c),
            }
        }
        out.push(cur);
        out
    }

    #[test]
    fn golden_table() {
        let mut lines = GOLDEN.lines();
        assert_eq!(lines.next(), Some("raw,normalized,father,sex_hint,deceased,birth_order"));
        let mut rows = 0;
        let mut failures = Vec::new();
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let f = csv_fields(line);
            assert_eq!(f.len(), 6, "bad row: {line}");
            let got = normalize_name(&f[0]);
            let want = NormalizedName {
                name: f[1].clone(),
                father: (!f[2].is_empty()).then(|| f[2].clone()),
                sex_hint: (!f[3].is_empty()).then(|| f[3].parse().unwrap()),
                deceased_marker: f[4].parse().unwrap(),
                birth_order: (!f[5].is_empty()).then(|| f[5].parse().unwrap()),
            };
            if got != want {
                failures.push(format!("{:?}\n   got  {got:?}\n   want {want:?}", f[0]));
            }
            // Golden names must themselves be fixed points.
            assert_eq!(normalize_name(&want.name).name, want.name, "not idempotent: {line}");
            rows += 1;
        }
        assert!(rows >= 60, "only {rows} golden rows");
        assert!(failures.is_empty(), "{} golden failures:\n{}", failures.len(), failures.join("\n"));
    }

    /// Test pairs of domain.md §8 at the name level: (pair, A, B, expected level).
    const PAIRS: &[(u8, &str, &str, NameLevel)] = {
        use NameLevel::*;
        &[
            (1, "SOEKARNO HADI", "Sukarno Hadi", Exact),
            (2, "Djoko Prasetyo", "Joko Prasetyo", Exact),
            (3, "Tjahjono Widodo", "Cahyono Widodo", Exact),
            (4, "I Njoman Sudjana", "Nyoman Sujana", Exact),
            (5, "Sjamsul Bachri", "Syamsul Bahri", Exact),
            (6, "Moch. Ridwan", "Muhammad Ridwan", Exact),
            (7, "M. Iqbal Saputra", "Muhamad Ikbal Saputra", InitialsCompatible),
            (8, "Hj. Siti Aminah, S.Pd.", "SITI AMINAH", Exact),
            (9, "Drs. H. Bambang Sutrisno, M.M.", "Bambang Sutrisna", PhoneticMatch),
            (10, "I Wayan Sudarsana", "Wayan Sudarsana", Exact),
            (11, "Rosmawati br. Sitompul", "Rosmawati Boru Sitompul", Exact),
            (12, "Teuku Muhammad Iqbal", "T. M. Iqbal", InitialsCompatible),
            (13, "Andi Nurhalizah", "Nurhalizah", SameTokensOrJoined),
            (14, "Siti Nurhaliza", "Sitinurhaliza", SameTokensOrJoined),
            (15, "Abdul Rahman bin Usman", "Abdurrahman", SameTokensOrJoined),
            (16, "Dewi Lestari", "Dewi Lestari", Exact),
            (17, "Ratna Sari", "Ratna Sari", Exact),
            (18, "Yohanes Gebze", "Yohanes Gebze", Exact),
            (19, "Sri Wahyuni", "Sri Wahyuni", Exact),
            (20, "Slamet Riyadi", "Selamet Riyadi", PhoneticMatch),
            (21, "Sumarni", "Sumarni", Exact),
            (22, "Hermawan", "Wawan", Nickname),
            (23, "Sutrisno", "Sutrisno", Exact),
            (24, "Slamet", "Slamet", Exact),
            (25, "Hasan Basri", "Husain Basri", Similar),
            (26, "Rizky Ramadhan", "Rizka Ramadhani", CloseSpelling),
            (27, "Ni Made Sri Wahyuni", "Ni Ketut Sri Wahyuni", BirthOrderConflict),
            (28, "Muhammad Rizki", "Muhammad Rizki", Exact),
            (29, "H. Nur Hidayat", "Hj. Nur Hidayati", CloseSpelling),
            (30, "Asep Saepudin", "Ujang Supriatna", Different),
        ]
    };

    #[test]
    fn test_pairs_levels() {
        let mut bad = Vec::new();
        for &(no, a, b, want) in PAIRS {
            let (na, nb) = (normalize_name(a).name, normalize_name(b).name);
            let got = compare_names(&na, &nb);
            // Symmetry: the level must not depend on argument order.
            assert_eq!(got, compare_names(&nb, &na), "pair {no} asymmetric");
            if got != want {
                bad.push(format!("pair {no}: {na:?} vs {nb:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn match_pairs_at_match_levels_and_twins_not_same() {
        use NameLevel::*;
        for &(no, a, b, _) in PAIRS {
            let lvl = compare_names(&normalize_name(a).name, &normalize_name(b).name);
            if (1..=21).contains(&no) {
                assert!(lvl <= InitialsCompatible, "M pair {no} at {lvl:?}");
            }
            if no == 25 || no == 29 {
                assert!(lvl > SameTokensOrJoined, "pair {no} at {lvl:?}");
            }
        }
    }

    #[test]
    fn pair_signals() {
        // Pair 8: Hj. is a female hint; 29: H./Hj. differ; 15: father from bin.
        assert_eq!(normalize_name("Hj. Siti Aminah, S.Pd.").sex_hint, Some(2));
        assert_eq!(normalize_name("H. Nur Hidayat").sex_hint, Some(1));
        assert_eq!(normalize_name("Hj. Nur Hidayati").sex_hint, Some(2));
        let n = normalize_name("Abdul Rahman bin Usman");
        assert_eq!(
            (n.name.as_str(), n.father.as_deref(), n.sex_hint),
            ("ABDUL RAHMAN", Some("USMAN"), Some(1))
        );
        assert_eq!(normalize_name("Ni Made Sri Wahyuni").birth_order, Some(2));
        assert_eq!(normalize_name("Ni Ketut Sri Wahyuni").birth_order, Some(4));
    }

    #[test]
    fn jaro_winkler_matches_strsim() {
        for (a, b) in [
            ("", ""),
            ("A", ""),
            ("MARTHA", "MARHTA"),
            ("HASAN BASRI", "HUSAIN BASRI"),
            ("DIXON", "DICKSONX"),
            ("M IQBAL", "MUHAMMAD IQBAL"),
        ] {
            assert_eq!(jaro_winkler(a, b), strsim::jaro_winkler(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn levels_round_trip() {
        for v in 0..=10u8 {
            if let Some(l) = NameLevel::from_u8(v) {
                assert_eq!(l.as_u8(), v);
            } else {
                assert!(v == 0 || v > 9);
            }
        }
    }

    /// Name-like inputs: real tokens, titles, markers and punctuation, so the rules fire.
    fn name_like() -> impl Strategy<Value = String> {
        let words = prop::sample::select(vec![
            "H.", "Hj", "Drs.", "I", "Ni", "T.", "M.", "R.", "K.", "bin", "binti", "B.", "br.", "boru",
            "Alm.", "Almh", "Moch", "Muh.", "Soekarno", "Tjahjono", "Widjaja", "Djoko", "Njoman", "Sjamsul",
            "Bachri", "Chandra", "Pandji", "Noel", "Ma'ruf", "S.Pd", "M.M.", ",", ", S.E.", "Wayan", "Made",
            "Ketut", "Andi", "Siti", "Nur", "Abd", "DDJ", "Ida", "Bagus", "Teuku", "Cut", "É", "ß", "ŉ", "-",
            "Ibu", "Bapak", "Ir.", "S.", "A.", "A", "Md", "Noor", "Seri", "Oe", "nj", "ch", "x",
        ]);
        prop::collection::vec(words, 0..8).prop_map(|v| v.join(" "))
    }

    /// Tokens that make every check of [`compare_names`] fire: optional titles, Abdul forms,
    /// joined forms, birth-order names, initials, nickname pairs, phonetic and spelling
    /// variants, non-ASCII and over-long tokens.
    fn tricky_token() -> impl Strategy<Value = String> {
        let fixed = prop::sample::select(vec![
            "ANDI",
            "DAENG",
            "GUSTI",
            "RADEN",
            "TENGKU",
            "ABDUL",
            "ABDU",
            "RAHMAN",
            "ABDURRAHMAN",
            "ABDURAHMAN",
            "SITI",
            "NUR",
            "NURHALIZA",
            "SITINURHALIZA",
            "HAYATI",
            "NURHAYATI",
            "WAYAN",
            "PUTU",
            "GEDE",
            "LUH",
            "MADE",
            "KADEK",
            "NYOMAN",
            "KETUT",
            "M",
            "T",
            "A",
            "S",
            "MUHAMMAD",
            "MUHAMAD",
            "IQBAL",
            "IKBAL",
            "WAWAN",
            "HERMAWAN",
            "IWAN",
            "UDIN",
            "SAIFUDDIN",
            "AA",
            "ASEP",
            "UJANG",
            "YANTI",
            "SUPRIYANTI",
            "MAMAT",
            "AHMAD",
            "IPUL",
            "SAIFUL",
            "SLAMET",
            "SELAMET",
            "MUSTOFA",
            "MUSTAFA",
            "RIZKY",
            "RIZKI",
            "RIZKA",
            "RAMADHAN",
            "RAMADAN",
            "RAMADHANI",
            "SUTRISNO",
            "SUTRISNA",
            "HASAN",
            "HUSAIN",
            "BASRI",
            "KHAIRUL",
            "HAIRUL",
            "AISYAH",
            "AISHA",
            "ÉDI",
            "ß",
            "SRI",
            "WAHYUNI",
            "WAHYUNINGSIH",
        ])
        .prop_map(str::to_string);
        prop_oneof![
            6 => fixed,
            1 => "[A-Z]{1,9}",
            1 => "[A-Z]{60,70}",
        ]
    }

    /// Names of 0-14 tricky tokens (more than [`MAX_TOKENS`] now and then), sometimes with
    /// odd spacing.
    fn tricky_name() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => prop::collection::vec(tricky_token(), 0..5).prop_map(|t| t.join(" ")),
            1 => prop::collection::vec(tricky_token(), 11..15).prop_map(|t| t.join(" ")),
            1 => "[A-Z ]{0,20}",
            1 => ".{0,30}",
        ]
    }

    /// The levels of [`NameFeatures`] over a set of names equal [`compare_names`] on every
    /// pair, and `compare_up_to` keeps exactly the levels up to its bound.
    fn assert_features_agree(names: &[String]) -> Result<(), TestCaseError> {
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let features = NameFeatures::new(&refs);
        prop_assert_eq!(features.len(), names.len());
        for (a, x) in refs.iter().enumerate() {
            prop_assert_eq!(features.name(a), *x);
            for (b, y) in refs.iter().enumerate() {
                let want = compare_names(x, y);
                prop_assert_eq!(features.compare(a, b), want, "{:?} / {:?}", x, y);
                for loosest in [
                    NameLevel::Exact,
                    NameLevel::PhoneticMatch,
                    NameLevel::CloseSpelling,
                    NameLevel::Nickname,
                ] {
                    prop_assert_eq!(
                        features.compare_up_to(a, b, loosest),
                        Some(want).filter(|l| *l <= loosest)
                    );
                }
            }
        }
        Ok(())
    }

    #[test]
    fn features_agree_on_the_test_pairs() {
        let names: Vec<String> =
            PAIRS.iter().flat_map(|(_, a, b, _)| [a, b]).map(|n| normalize_name(n).name).collect();
        assert_features_agree(&names).unwrap();
        // The test pairs' expected levels, through the table.
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let features = NameFeatures::new(&refs);
        for (k, &(no, _, _, want)) in PAIRS.iter().enumerate() {
            assert_eq!(features.compare(2 * k, 2 * k + 1), want, "pair {no}");
        }
    }

    #[test]
    fn features_of_no_names_and_of_empty_names() {
        assert!(NameFeatures::new(&[]).is_empty());
        let features = NameFeatures::new(&["", " ", "SITI"]);
        assert_eq!(features.compare(0, 1), NameLevel::Exact, "two names without tokens");
        assert_eq!(features.compare(0, 2), NameLevel::Different);
    }

    proptest! {
        #[test]
        fn features_agree_with_compare_names_on_tricky_names(names in prop::collection::vec(tricky_name(), 1..8)) {
            assert_features_agree(&names)?;
        }

        #[test]
        fn features_agree_with_compare_names_on_normalised_names(raw in prop::collection::vec(name_like(), 1..8)) {
            let names: Vec<String> = raw.iter().map(|r| normalize_name(r).name).collect();
            assert_features_agree(&names)?;
        }

        #[test]
        fn features_agree_with_compare_names_on_random_letters(names in prop::collection::vec("[A-Z]{1,8}( [A-Z]{1,8}){0,3}", 1..10)) {
            assert_features_agree(&names)?;
        }

        #[test]
        fn idempotent_arbitrary(s in ".{0,40}") {
            let once = normalize_name(&s).name;
            prop_assert_eq!(normalize_name(&once).name, once);
        }

        #[test]
        fn idempotent_name_like(s in name_like()) {
            let once = normalize_name(&s).name;
            prop_assert_eq!(normalize_name(&once).name, once.clone());
            prop_assert!(!once.contains("  ") && once.trim() == once);
        }

        #[test]
        fn basic_idempotent(s in ".{0,40}") {
            let once = normalize_basic(&s);
            prop_assert_eq!(normalize_basic(&once), once);
        }

        #[test]
        fn no_panic_anywhere(a in ".{0,60}", b in ".{0,60}") {
            let _ = normalize_name(&a);
            let _ = phonetic_key(&a);
            let _ = phonetic_key_joined(&a);
            let l = compare_names(&a, &b);
            prop_assert!((1..=9).contains(&(l as u8)));
        }

        #[test]
        fn compare_symmetric_and_reflexive(a in name_like(), b in name_like()) {
            let (na, nb) = (normalize_name(&a).name, normalize_name(&b).name);
            prop_assert_eq!(compare_names(&na, &na), NameLevel::Exact);
            prop_assert_eq!(compare_names(&na, &nb), compare_names(&nb, &na));
        }

        #[test]
        fn key_order_insensitive(a in name_like(), b in name_like()) {
            let na = normalize_name(&format!("{a} {b}")).name;
            let mut toks: Vec<&str> = na.split(' ').collect();
            toks.reverse();
            prop_assert_eq!(phonetic_key(&na), phonetic_key(&toks.join(" ")));
        }

        #[test]
        fn jw_same_as_strsim(a in "[A-Z ]{0,20}", b in "[A-Z ]{0,20}") {
            prop_assert_eq!(jaro_winkler(&a, &b), strsim::jaro_winkler(&a, &b));
        }
    }
}
