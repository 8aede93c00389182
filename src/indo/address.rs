//! Indonesian free-text addresses: parsing, RT/RW cells, place names and a comparison level.
//!
//! ```
//! use padan::indo::address::parse_address;
//!
//! let p = parse_address("Jl. Melati Gg. III No. 12 RT 003/RW 005 Gegerkalong");
//! assert_eq!(p.street.as_deref(), Some("JALAN MELATI"));
//! assert_eq!(p.gang.as_deref(), Some("3"));
//! assert_eq!(p.number.as_deref(), Some("12"));
//! assert_eq!((p.rt, p.rw), (Some(3), Some(5)));
//! assert_eq!(p.village.as_deref(), Some("GEGERKALONG"));
//! assert_eq!(p.normalized, "JALAN MELATI GANG 3 NO 12 RT 3 RW 5 GEGERKALONG");
//! ```
//!
//! # Parsing rules (decisions the domain brief leaves open, §6.1)
//!
//! - Text is upper-cased; `.`, `:`, `-`, spaces and other punctuation separate tokens; `/` and
//!   `,` (also `;`, `|`, newline, rendered as `,`) are kept because they carry structure.
//!   An apostrophe inside a word is dropped (`Ma'ruf` → `MARUF`). A hyphen right after a digit
//!   stays inside the token (`52-53`), so `Kav. 52-53` keeps its range.
//! - Labels glued to digits are split: `RT03`, `NO12`, `GG3`, `KM5`, `RT001RW002`.
//! - **Roman numerals** (canonical forms 1–39 from I, V, X) of two or more letters are folded
//!   everywhere (`Jl. Melati II` → `JALAN MELATI 2`); no Indonesian word is spelt only with
//!   I, V, X. A single `I`, `V` or `X` is folded only as the value of RT and RW (`RT I`), and of
//!   Gang/Lorong and the sub-village units when no plain word follows (`Gg. V`, `Lingk. I`, but
//!   `Gg. I Gusti` keeps the Balinese name); elsewhere it is a letter (`Blok C`,
//!   `Jl. I Gusti Ngurah Rai`).
//! - A name value (street, gang name, dusun, village) runs until the next label, comma, slash or
//!   a number of five or more digits (a postcode). The *first* word of a name may itself be a
//!   unit or region word, so `Jl. Kampung Melayu` and `Kel. Kota Baru` keep their names.
//! - An unlabelled number after a street name stays in `street` (`Jl. Merdeka 12` →
//!   `JALAN MERDEKA 12`): it cannot be told apart from `Jl. Melati 2`, the second Melati street.
//!   [`compare_addresses`] compares street and number joined, so `Jl. Merdeka No. 12` still meets it.
//! - Several street phrases are joined: `Komp. Griya Asri Jl. Mawar` → `KOMPLEK GRIYA ASRI JALAN MAWAR`.
//! - Unlabelled words at the very start become the street only when a `No.` follows them
//!   (`Melati No. 5`); otherwise (`Krajan RT 1/2`) they are left in `normalized` only.
//! - `Lorong` fills `gang`; `Kav.` fills `number` when no `No.` is given; `KM n` after a street
//!   becomes part of it (`JALAN RAYA BOGOR KM 5`).
//! - RT/RW values are 1–999. `0`/`000` is rendered but parsed as `None` (a placeholder, not an RT).
//!   A bare `a/b` is read as RT/RW only after a street, gang, blok or house number, with at most
//!   three significant digits on each side and no further `/` (so dates stay text).
//!   `No. 12/3` is house number `12/3`, not RT 12 RW 3; `No. 12 001/002` gives RT 1 RW 2.
//! - **Village**: `Kel.`/`Kelurahan`/`Desa`/`Ds.` (also Gampong, Nagari, Pekon, Tiyuh) label it.
//!   Otherwise the first run of unlabelled words after an RT/RW group (up to a comma, label or
//!   number) is taken as the village, following the usual order street, RT/RW, village, district
//!   (brief §6.1). A labelled village wins over that candidate. `Kec.`, `Kab.`, `Kota`, `Prov.`
//!   and `Distrik` end the street and their names are kept in `normalized` only.
//! - Where a field occurs twice the first occurrence wins (except street phrases, joined).
//!   `RW 5 RT 3` and `RW 5/RT 3` render as `RT 3 RW 5`; `Banjar Dinas X` and `Banjar Adat X` give
//!   dusun `X`.
//!
//! `normalized` renders the tokens in order with abbreviations expanded (`JALAN`, `GANG`,
//! `LORONG`, `KOMPLEK`, `PERUMAHAN`, `BLOK`, `KAVLING`, `NO`, `KM`, `DUSUN`, `LINGKUNGAN`,
//! `KAMPUNG`, `BANJAR`, `KELURAHAN`, `DESA`, `KECAMATAN`, `KABUPATEN`, `PROVINSI`), values
//! canonicalised (`No. 012` → `NO 12`, `Blok A-12` → `BLOK A12`), RT/RW as `RT 3 RW 5`, single
//! spaces, `,` kept as a separator and `/` kept outside RT/RW groups. It is a fixed point:
//! parsing it again gives the same fields and the same `normalized`.
//!
//! # Design notes
//!
//! - Two steps. The lexer upper-cases a copy of the input and records tokens as index ranges
//!   into it (plain words are never copied again); a state machine with at most four tokens of
//!   lookahead then fills the fields and renders `normalized` in one pass. The buffer and token
//!   vector live in a thread-local and are reused. There is no regex: the rules depend on
//!   context (what came before a bare `a/b`, the first word of a name), which a state machine
//!   states directly, and the crate has no regex dependency.
//! - Label lookup is a compile-time hash table over words packed into `u128`. Measured with
//!   valgrind on 100k typical addresses, classifying and storing one word cost ~236
//!   instructions with a 60-arm string `match`, ~120 with a binary search over `&str`, and ~90
//!   with the table.
//! - Cost now: about 5.1k instructions per typical 45-byte address including dropping the
//!   result (valgrind). Lexing and label lookup are ~40%, the state machine ~30%, and the
//!   output strings' allocation and release ~15%; the `Option<String>` fields make the last one
//!   unavoidable.
//! - [`compare_addresses`] does not allocate: place names are compared through a filtering
//!   iterator (a byte path for ASCII), and Jaro–Winkler runs on stack buffers. It is the same
//!   algorithm, with the same result, as `strsim::jaro_winkler`, which allocates its match
//!   flags on the heap.

use serde::Serialize;

/// Fields extracted from one free-text address (`alamat`).
///
/// Every value is upper case. `None` means the field was not found.
///
/// ```
/// use padan::indo::address::{parse_address, ParsedAddress};
///
/// let p: ParsedAddress = parse_address("Dsn. Krajan RT 01 RW 02, Desa Sidomulyo");
/// assert_eq!(p.dusun.as_deref(), Some("KRAJAN"));
/// assert_eq!(p.village.as_deref(), Some("SIDOMULYO"));
/// assert_eq!(p.street, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParsedAddress {
    /// Street with its kind expanded, e.g. `"JALAN MELATI"`, `"PERUMAHAN GRIYA INDAH"`.
    pub street: Option<String>,
    /// House number, e.g. `"12"`, `"12A"`, `"52-53"` (leading zeros dropped).
    pub number: Option<String>,
    /// Gang or Lorong: a number (`Gg. III` → `"3"`) or a name (`"MAWAR"`).
    pub gang: Option<String>,
    /// Blok, e.g. `"C"`, `"A12"` (`Blok A-12`, `Blok A 12` and `Blok A12` agree).
    pub blok: Option<String>,
    /// Sub-village unit value (Dusun, Dukuh, Padukuhan, Lingkungan, Jorong, Banjar, Kampung),
    /// kind folded away: `Kp. Cibeureum` → `"CIBEUREUM"`.
    pub dusun: Option<String>,
    /// RT number, 1–999.
    pub rt: Option<u16>,
    /// RW number, 1–999.
    pub rw: Option<u16>,
    /// Village from `Kel. X` / `Desa X`, or the unlabelled words right after RT/RW.
    pub village: Option<String>,
    /// The whole address canonicalised; see the module docs.
    pub normalized: String,
}

impl ParsedAddress {
    /// Borrow this address as [`AddressParts`] for [`compare_addresses`], with the district
    /// supplied by the caller (the free text rarely names it reliably).
    ///
    /// Override the village with a register column when there is one:
    /// ```
    /// use padan::indo::address::{parse_address, AddressParts};
    ///
    /// let p = parse_address("Jl. Mawar No. 5 RT 1/2");
    /// let parts = AddressParts { village: Some("SUKAJADI"), ..p.to_parts(Some("COBLONG")) };
    /// assert_eq!(parts.rt, Some(1));
    /// ```
    #[must_use]
    pub fn to_parts<'a>(&'a self, district: Option<&'a str>) -> AddressParts<'a> {
        AddressParts {
            village: self.village.as_deref(),
            district,
            rt: self.rt,
            rw: self.rw,
            street: self.street.as_deref(),
            number: self.number.as_deref(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Word,
    Num,
    Slash,
    Comma,
    Street,
    Gang,
    Blok,
    Kav,
    No,
    Km,
    Rt,
    Rw,
    Unit,
    Village,
    Region,
}

/// A token as the parser sees it.
#[derive(Clone, Copy, Debug)]
struct Tok<'a> {
    text: &'a str,
    kind: Kind,
}

/// A stored token: a slice `start..end` of the upper-cased buffer, or a canonical spelling.
/// Indices rather than `&str` so the token vector can be reused across calls.
#[derive(Clone, Copy, Debug)]
struct RawTok {
    start: usize,
    end: usize,
    canon: Option<&'static str>,
    kind: Kind,
}

impl RawTok {
    fn fixed(canon: &'static str, kind: Kind) -> Self {
        RawTok { start: 0, end: 0, canon: Some(canon), kind }
    }
    #[inline]
    fn view<'a>(&self, buf: &'a str) -> Tok<'a> {
        Tok {
            text: self.canon.unwrap_or_else(|| buf.get(self.start..self.end).unwrap_or("")),
            kind: self.kind,
        }
    }
}

/// Byte classes for the lexer's ASCII fast path.
const ALNUM: u8 = 1;
const DIGIT: u8 = 2;
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_digit() {
            t[b] = ALNUM | DIGIT;
        } else if c.is_ascii_alphabetic() {
            t[b] = ALNUM;
        }
        b += 1;
    }
    t
};

/// Upper-cases `raw` into `buf` and appends the tokens to `toks`.
///
/// `buf` starts as an upper-cased copy of `raw` (one `memcpy` plus a vectorised pass), and a
/// plain word (ASCII letters and digits, `52-53`) is a range of that copy. Only words holding an
/// apostrophe or a non-ASCII letter are rewritten, compacted, after it. `buf` stays valid UTF-8.
fn lex(raw: &str, buf: &mut Vec<u8>, toks: &mut Vec<RawTok>) {
    let n = raw.len();
    buf.extend_from_slice(raw.as_bytes());
    buf.make_ascii_uppercase();
    let mut i = 0;
    while i < n {
        let b = buf[i];
        if CLASS[usize::from(b)] & ALNUM != 0 {
            i = lex_word(raw, i, buf, toks);
            continue;
        }
        if b >= 0x80 {
            let c = char_at(raw, i);
            if c.is_some_and(char::is_alphanumeric) {
                i = lex_word(raw, i, buf, toks);
            } else {
                i += c.map_or(1, char::len_utf8);
            }
            continue;
        }
        match b {
            b'/' | b'\\' => toks.push(RawTok::fixed("/", Kind::Slash)),
            b',' | b';' | b'|' | b'\n' | b'\r' => toks.push(RawTok::fixed(",", Kind::Comma)),
            _ => {}
        }
        i += 1;
    }
}

#[inline]
fn char_at(raw: &str, i: usize) -> Option<char> {
    raw.get(i..)?.chars().next()
}

/// Scans the word starting at `start` (an alphanumeric character); returns the index after it.
#[inline]
fn lex_word(raw: &str, start: usize, buf: &mut Vec<u8>, toks: &mut Vec<RawTok>) -> usize {
    let n = raw.len();
    let mut j = start;
    // ASCII letters, digits and kept hyphens only: usable in place.
    let mut plain = true;
    while j < n {
        j += buf[j..n].iter().position(|&b| CLASS[usize::from(b)] & ALNUM == 0).unwrap_or(n - j);
        let Some(&b) = buf[..n].get(j) else { break };
        // Number ranges and suffixes (52-53, 12-A) stay one token.
        if b == b'-' && buf[j - 1].is_ascii_digit() && j + 1 < n && buf[j + 1].is_ascii_alphanumeric() {
            j += 1;
            continue;
        }
        if b < 0x80 && !matches!(b, b'\'' | b'`') {
            break;
        }
        let Some(c) = char_at(raw, j) else { break };
        let after = j + c.len_utf8();
        let joins = if c.is_alphanumeric() {
            true
        } else {
            // Apostrophe inside a word: Ma'ruf = MARUF.
            matches!(c, '\'' | '`' | '\u{2019}') && char_at(raw, after).is_some_and(char::is_alphanumeric)
        };
        if !joins {
            break;
        }
        plain = false;
        j = after;
    }
    if plain {
        push_word(buf, start, j, toks);
    } else {
        let at = buf.len();
        for c in raw[start..j].chars() {
            if c.is_ascii_alphanumeric() || c == '-' {
                buf.push(c.to_ascii_uppercase() as u8);
            } else if c.is_alphanumeric() {
                // Upper-casing can emit combining marks (e.g. 'ΐ'); keep only alphanumerics so
                // a second pass over `normalized` sees the same word.
                for u in c.to_uppercase().filter(|u| u.is_alphanumeric()) {
                    buf.extend_from_slice(u.encode_utf8(&mut [0; 4]).as_bytes());
                }
            }
        }
        if buf.len() > at {
            push_word(buf, at, buf.len(), toks);
        }
    }
    j
}

/// Canonical Roman numerals 1..=39 (I, V, X only).
const ROMAN: [&str; 39] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
    "XVII", "XVIII", "XIX", "XX", "XXI", "XXII", "XXIII", "XXIV", "XXV", "XXVI", "XXVII", "XXVIII", "XXIX",
    "XXX", "XXXI", "XXXII", "XXXIII", "XXXIV", "XXXV", "XXXVI", "XXXVII", "XXXVIII", "XXXIX",
];
const DECIMAL: [&str; 39] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19",
    "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35", "36",
    "37", "38", "39",
];

/// Index into [`ROMAN`] of an upper-case canonical Roman numeral.
fn roman_index(w: &[u8]) -> Option<usize> {
    if w.is_empty() || w.len() > 7 || !w.iter().all(|b| matches!(b, b'I' | b'V' | b'X')) {
        return None;
    }
    ROMAN.iter().position(|r| r.as_bytes() == w)
}

/// Every label spelling with its canonical form and kind, sorted by spelling for binary search
/// (a string `match` with this many arms compiles to a linear chain of comparisons).
/// `JEND`/`JEN` is the one title abbreviation frequent enough in street names to fold
/// (`Jl. Jend. Sudirman`).
const LABELS: [(&str, &str, Kind); 60] = {
    use Kind::{Blok, Gang, Kav, Km, No, Region, Rt, Rw, Street, Unit, Village, Word};
    [
        ("BANJAR", "BANJAR", Unit),
        ("BLK", "BLOK", Blok),
        ("BLOK", "BLOK", Blok),
        ("BR", "BANJAR", Unit),
        ("DESA", "DESA", Village),
        ("DISTRIK", "DISTRIK", Region),
        ("DS", "DESA", Village),
        ("DSN", "DUSUN", Unit),
        ("DUKUH", "DUKUH", Unit),
        ("DUSUN", "DUSUN", Unit),
        ("GAMPONG", "GAMPONG", Village),
        ("GANG", "GANG", Gang),
        ("GG", "GANG", Gang),
        ("JALAN", "JALAN", Street),
        ("JEN", "JENDERAL", Word),
        ("JEND", "JENDERAL", Word),
        ("JL", "JALAN", Street),
        ("JLN", "JALAN", Street),
        ("JORONG", "JORONG", Unit),
        ("KAB", "KABUPATEN", Region),
        ("KABUPATEN", "KABUPATEN", Region),
        ("KAMP", "KAMPUNG", Unit),
        ("KAMPUNG", "KAMPUNG", Unit),
        ("KAPLING", "KAVLING", Kav),
        ("KAV", "KAVLING", Kav),
        ("KAVLING", "KAVLING", Kav),
        ("KEC", "KECAMATAN", Region),
        ("KECAMATAN", "KECAMATAN", Region),
        ("KEL", "KELURAHAN", Village),
        ("KELURAHAN", "KELURAHAN", Village),
        ("KM", "KM", Km),
        ("KOMP", "KOMPLEK", Street),
        ("KOMPL", "KOMPLEK", Street),
        ("KOMPLEK", "KOMPLEK", Street),
        ("KOMPLEKS", "KOMPLEK", Street),
        ("KOTA", "KOTA", Region),
        ("KOTAMADYA", "KOTA", Region),
        ("KP", "KAMPUNG", Unit),
        ("LINGK", "LINGKUNGAN", Unit),
        ("LINGKUNGAN", "LINGKUNGAN", Unit),
        ("LK", "LINGKUNGAN", Unit),
        ("LORONG", "LORONG", Gang),
        ("LR", "LORONG", Gang),
        ("LRG", "LORONG", Gang),
        ("NAGARI", "NAGARI", Village),
        ("NMR", "NO", No),
        ("NO", "NO", No),
        ("NOMER", "NO", No),
        ("NOMOR", "NO", No),
        ("PADUKUHAN", "PADUKUHAN", Unit),
        ("PEKON", "PEKON", Village),
        ("PERUM", "PERUMAHAN", Street),
        ("PERUMAHAN", "PERUMAHAN", Street),
        ("PERUMNAS", "PERUMNAS", Street),
        ("PROPINSI", "PROVINSI", Region),
        ("PROV", "PROVINSI", Region),
        ("PROVINSI", "PROVINSI", Region),
        ("RT", "RT", Rt),
        ("RW", "RW", Rw),
        ("TIYUH", "TIYUH", Village),
    ]
};

/// A word of up to 16 bytes packed big-endian into an integer, zero-padded: comparing two
/// keys is one instruction instead of a `memcmp` call (label lookup was the largest single
/// cost of parsing).
const fn word_key(w: &[u8]) -> u128 {
    let mut key = 0u128;
    let mut i = 0;
    while i < 16 {
        key = (key << 8) | if i < w.len() { w[i] as u128 } else { 0 };
        i += 1;
    }
    key
}

/// `word_key` of every entry of [`LABELS`], same order.
const LABEL_KEYS: [u128; LABELS.len()] = {
    let mut keys = [0u128; LABELS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = word_key(LABELS[i].0.as_bytes());
        i += 1;
    }
    keys
};

const LABEL_SLOTS: usize = 128;

const fn label_slot(key: u128) -> usize {
    let x = (key as u64) ^ ((key >> 64) as u64);
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 57) as usize
}

/// Open-addressing hash table over [`LABELS`] (index + 1; 0 = empty), built at compile time.
/// Less than half full, so a lookup takes one or two probes.
const LABEL_TABLE: [u8; LABEL_SLOTS] = {
    let mut table = [0u8; LABEL_SLOTS];
    let mut i = 0;
    while i < LABELS.len() {
        let mut slot = label_slot(LABEL_KEYS[i]);
        while table[slot] != 0 {
            slot = (slot + 1) % LABEL_SLOTS;
        }
        table[slot] = (i + 1) as u8;
        i += 1;
    }
    table
};

/// Bit `c - b'A'` is set when some label starts with letter `c`: most words skip the lookup.
const LABEL_INITIALS: u32 = {
    let mut bits = 0u32;
    let mut i = 0;
    while i < LABELS.len() {
        bits |= 1 << (LABELS[i].0.as_bytes()[0] - b'A');
        i += 1;
    }
    bits
};

#[inline]
fn lookup_label(w: &[u8]) -> Option<(Kind, &'static str)> {
    if w.is_empty() || w.len() > 10 || !w[0].is_ascii_uppercase() {
        return None;
    }
    if LABEL_INITIALS & (1 << (w[0] - b'A')) == 0 {
        return None;
    }
    let key = w.iter().fold(0u128, |k, &c| (k << 8) | u128::from(c)) << (8 * (16 - w.len()));
    let mut slot = label_slot(key);
    loop {
        // An empty slot (entry 0) ends the probe sequence.
        let entry = usize::from(LABEL_TABLE[slot]).checked_sub(1)?;
        if LABEL_KEYS[entry] == key {
            let (_, canon, kind) = LABELS[entry];
            return Some((kind, canon));
        }
        slot = (slot + 1) % LABEL_SLOTS;
    }
}

/// Kind of a word and its canonical spelling (`None`: the word itself).
#[inline]
fn classify(w: &[u8]) -> (Kind, Option<&'static str>) {
    if w.first().is_some_and(u8::is_ascii_digit) {
        return (Kind::Num, None);
    }
    if let Some((kind, canon)) = lookup_label(w) {
        return (kind, Some(canon));
    }
    match roman_index(w) {
        Some(i) if w.len() >= 2 => (Kind::Num, Some(DECIMAL[i])),
        _ => (Kind::Word, None),
    }
}

/// Labels that are split off when digits follow directly (`RT03`). Longer spellings first.
const GLUED_LABELS: [&str; 10] = ["RTRW", "RT", "RW", "NOMOR", "NO", "KM", "GG", "BLOK", "BLK", "KAV"];

fn split_glued(w: &[u8]) -> Option<usize> {
    // Cheap rejects first: this runs on every word, and a glued label needs a digit.
    if !matches!(w.first(), Some(b'R' | b'N' | b'K' | b'G' | b'B')) || !w.iter().any(u8::is_ascii_digit) {
        return None;
    }
    GLUED_LABELS.iter().find_map(|l| {
        let tail = w.strip_prefix(l.as_bytes())?;
        tail.first().is_some_and(u8::is_ascii_digit).then_some(l.len())
    })
}

/// Classifies the word `buf[start..end]`, splitting labels glued to digits (`RT03`).
#[inline]
fn push_word(buf: &[u8], mut start: usize, end: usize, toks: &mut Vec<RawTok>) {
    let push = |start: usize, end: usize, toks: &mut Vec<RawTok>| {
        let w = &buf[start..end];
        if w == b"RTRW" {
            toks.push(RawTok::fixed("RT", Kind::Rt));
            toks.push(RawTok::fixed("/", Kind::Slash));
            toks.push(RawTok::fixed("RW", Kind::Rw));
        } else {
            let (kind, canon) = classify(w);
            toks.push(RawTok { start, end, canon, kind });
        }
    };
    while let Some(label_len) = split_glued(&buf[start..end]) {
        push(start, start + label_len, toks);
        let tail = start + label_len;
        let digits = buf[tail..end].iter().take_while(|b| b.is_ascii_digit()).count();
        if split_glued(&buf[tail + digits..end]).is_some() {
            toks.push(RawTok { start: tail, end: tail + digits, canon: None, kind: Kind::Num });
            start = tail + digits;
        } else {
            toks.push(RawTok { start: tail, end, canon: None, kind: Kind::Num });
            return;
        }
    }
    push(start, end, toks);
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

fn is_long_number(t: Tok<'_>) -> bool {
    t.kind == Kind::Num && t.text.len() >= 5 && t.text.bytes().all(|b| b.is_ascii_digit())
}

/// House/gang/blok number: leading zeros of the first digit run dropped, `12-A` → `12A`.
fn canon_number(t: &str) -> String {
    let b = t.as_bytes();
    if b.first().is_some_and(|&c| c != b'0') && b.iter().all(u8::is_ascii_digit) {
        return t.to_owned();
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let zeros = b.iter().take_while(|&&c| c == b'0').count().min(digits.saturating_sub(1));
    let rest = &t[zeros..];
    let mut s = String::with_capacity(rest.len());
    let mut it = rest.chars().peekable();
    while let Some(c) = it.next() {
        if c == '-' && it.peek().is_some_and(|n| n.is_alphabetic()) {
            continue;
        }
        s.push(c);
    }
    s
}

/// Numeric value of an RT/RW token: 1–3 significant digits, a folded Roman numeral, or a single
/// I/V/X. `Some(0)` is a present-but-placeholder value.
fn rtrw_value(t: Option<Tok<'_>>) -> Option<u16> {
    let t = t?;
    match t.kind {
        Kind::Num => digits_value(t.text),
        Kind::Word => single_roman(t.text).map(|i| i as u16 + 1),
        _ => None,
    }
}

fn digits_value(s: &str) -> Option<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sig = s.trim_start_matches('0');
    if sig.len() > 3 {
        return None;
    }
    Some(sig.bytes().fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0')))
}

fn single_roman(w: &str) -> Option<usize> {
    match w {
        "I" => Some(0),
        "V" => Some(4),
        "X" => Some(9),
        _ => None,
    }
}

/// Value of a Gang / unit number slot: a number, or a single Roman letter not followed by a
/// word (`Gg. I Gusti` is a Balinese name, `Gg. I No. 3` is Gang 1).
fn small_value(t: Option<Tok<'_>>, next: Option<Tok<'_>>) -> Option<String> {
    let t = t?;
    match t.kind {
        Kind::Num if !is_long_number(t) => Some(canon_number(t.text)),
        Kind::Word if next.is_none_or(|n| n.kind != Kind::Word) => {
            single_roman(t.text).map(|i| DECIMAL[i].to_owned())
        }
        _ => None,
    }
}

fn has_digit(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Slot {
    None,
    Lead,
    Street,
    Gang,
    Unit,
    Village,
    Candidate,
    /// Words that go to `normalized` only (region names, a second village label, ...).
    Skip,
}

/// `normalized` under construction: single spaces, `/` glued to both neighbours.
struct Out {
    s: String,
    glue: bool,
}

impl Out {
    #[inline]
    fn word(&mut self, w: &str) {
        if w.is_empty() {
            return;
        }
        if !self.s.is_empty() && !self.glue {
            self.s.push(' ');
        }
        self.s.push_str(w);
        self.glue = false;
    }
    fn slash(&mut self) {
        self.s.push('/');
        self.glue = true;
    }
    fn comma(&mut self) {
        if !self.s.is_empty() && !self.s.ends_with(',') {
            self.s.push(',');
        }
        self.glue = false;
    }
    fn u16(&mut self, v: u16) {
        if !self.s.is_empty() && !self.glue {
            self.s.push(' ');
        }
        self.glue = false;
        // At most five digits, pushed most significant first.
        let mut div = 10_000;
        while div > 1 && v < div {
            div /= 10;
        }
        while div > 0 {
            self.s.push(char::from(b'0' + ((v / div) % 10) as u8));
            div /= 10;
        }
    }
    fn finish(mut self) -> String {
        while self.s.ends_with(',') {
            self.s.pop();
        }
        self.s
    }
}

fn append(field: &mut Option<String>, w: &str) {
    match field {
        Some(s) => {
            s.push(' ');
            s.push_str(w);
        }
        None => {
            // Room for a few more words without reallocating.
            let mut s = String::with_capacity(w.len().max(24));
            s.push_str(w);
            *field = Some(s);
        }
    }
}

struct Parser<'t, 'a> {
    buf: &'a str,
    toks: &'t [RawTok],
    out: Out,
    street: Option<String>,
    street_label: &'static str,
    number: Option<String>,
    kav: Option<String>,
    gang: Option<String>,
    blok: Option<String>,
    dusun: Option<String>,
    rt: Option<u16>,
    rw: Option<u16>,
    village: Option<String>,
    candidate: Option<String>,
    lead: Option<String>,
    slot: Slot,
    slot_words: usize,
    after_rtrw: bool,
    candidate_done: bool,
}

impl<'t, 'a> Parser<'t, 'a> {
    fn new(buf: &'a str, toks: &'t [RawTok], cap: usize) -> Self {
        Parser {
            buf,
            toks,
            // Expansions (JL → JALAN, KEL → KELURAHAN) lengthen the text; avoid a regrowth.
            out: Out { s: String::with_capacity(cap + cap / 2 + 16), glue: false },
            street: None,
            street_label: "",
            number: None,
            kav: None,
            gang: None,
            blok: None,
            dusun: None,
            rt: None,
            rw: None,
            village: None,
            candidate: None,
            lead: None,
            slot: Slot::None,
            slot_words: 0,
            after_rtrw: false,
            candidate_done: false,
        }
    }

    #[inline]
    fn tok(&self, i: usize) -> Option<Tok<'a>> {
        self.toks.get(i).map(|t| t.view(self.buf))
    }

    #[inline]
    fn is(&self, i: usize, kind: Kind) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == kind)
    }

    fn close(&mut self) {
        match self.slot {
            Slot::Candidate => self.candidate_done = true,
            Slot::Lead => self.lead = None,
            _ => {}
        }
        self.slot = Slot::None;
        self.slot_words = 0;
    }

    fn open(&mut self, slot: Slot) {
        self.slot = slot;
        self.slot_words = 0;
    }

    /// Adds a word to the open name slot (rendering is the caller's job).
    fn add_to_slot(&mut self, w: &str) {
        match self.slot {
            Slot::Street => {
                if self.slot_words == 0 {
                    append(&mut self.street, self.street_label);
                }
                append(&mut self.street, w);
            }
            Slot::Gang => append(&mut self.gang, w),
            Slot::Unit => append(&mut self.dusun, w),
            Slot::Village => append(&mut self.village, w),
            Slot::Candidate => append(&mut self.candidate, w),
            Slot::Lead => append(&mut self.lead, w),
            Slot::Skip | Slot::None => {}
        }
        self.slot_words += 1;
    }

    /// A bare `a/b` at `i` that may be read as RT/RW.
    fn bare_pair(&self, i: usize) -> Option<(u16, u16)> {
        let follows_street = self.street.is_some()
            || self.number.is_some()
            || self.gang.is_some()
            || self.blok.is_some()
            || self.kav.is_some();
        if !follows_street || self.rt.is_some() || self.rw.is_some() {
            return None;
        }
        if !self.is(i + 1, Kind::Slash)
            || self.is(i + 3, Kind::Slash)
            || (i > 0 && self.is(i - 1, Kind::Slash))
            || !self.is(i + 2, Kind::Num)
        {
            return None;
        }
        Some((digits_value(self.tok(i)?.text)?, digits_value(self.tok(i + 2)?.text)?))
    }

    fn set_rtrw(&mut self, rt: Option<u16>, rw: Option<u16>) {
        if let Some(v) = rt {
            self.out.word("RT");
            self.out.u16(v);
            self.rt.get_or_insert(v);
        }
        if let Some(v) = rw {
            self.out.word("RW");
            self.out.u16(v);
            self.rw.get_or_insert(v);
        }
        self.after_rtrw = true;
    }

    /// `RT ...` at `i`; returns the next index.
    fn rt_group(&mut self, i: usize) -> usize {
        let mut j = i + 1;
        let combined = if self.is(j, Kind::Slash) && self.is(j + 1, Kind::Rw) {
            j += 2;
            true
        } else if self.is(j, Kind::Rw) {
            j += 1;
            true
        } else {
            false
        };
        if combined && self.is(j, Kind::Slash) && rtrw_value(self.tok(j + 1)).is_some() {
            // RT/RW/001/002
            j += 1;
        }
        let Some(rt) = rtrw_value(self.tok(j)) else {
            // Label without a value: render it as written.
            for k in i..j {
                let Some(t) = self.tok(k) else { continue };
                if t.kind == Kind::Slash {
                    self.out.slash();
                } else {
                    self.out.word(t.text);
                }
            }
            return j.max(i + 1);
        };
        j += 1;
        // RW value and tokens used: RT a/b, RT a/RW b, RT a RW b, RT/RW a b.
        let tail = if self.is(j, Kind::Slash) {
            match rtrw_value(self.tok(j + 1)) {
                Some(v) => Some((v, 2)),
                None if !combined && self.is(j + 1, Kind::Rw) => rtrw_value(self.tok(j + 2)).map(|v| (v, 3)),
                None => None,
            }
        } else if combined {
            rtrw_value(self.tok(j)).map(|v| (v, 1))
        } else if self.is(j, Kind::Rw) {
            rtrw_value(self.tok(j + 1)).map(|v| (v, 2))
        } else {
            None
        };
        let rw = tail.map(|(v, used)| {
            j += used;
            v
        });
        self.set_rtrw(Some(rt), rw);
        j
    }

    fn run(mut self) -> ParsedAddress {
        let mut i = 0;
        while let Some(t) = self.tok(i) {
            i += 1;
            match t.kind {
                Kind::Comma => {
                    self.close();
                    self.out.comma();
                }
                Kind::Slash => {
                    self.close();
                    self.out.slash();
                }
                Kind::Rt => {
                    self.close();
                    i = self.rt_group(i - 1);
                }
                Kind::Rw => {
                    self.close();
                    if let Some(v) = rtrw_value(self.tok(i)) {
                        i += 1;
                        // RW 5 RT 3, RW 5/RT 3 and RW 5 RT/RW 3 (nothing more attached to the
                        // RT) render as RT 3 RW 5, as the RT group would read them again.
                        let k = if self.is(i, Kind::Slash) { i + 1 } else { i };
                        let (value_at, combined) = if self.is(k + 1, Kind::Slash) && self.is(k + 2, Kind::Rw)
                        {
                            (k + 3, true)
                        } else if self.is(k + 1, Kind::Rw) {
                            (k + 2, true)
                        } else {
                            (k + 1, false)
                        };
                        match rtrw_value(self.tok(value_at)) {
                            Some(rt)
                                if self.is(k, Kind::Rt)
                                    && !self.is(value_at + 1, Kind::Slash)
                                    && !self.is(value_at + 1, Kind::Rw)
                                    && (!combined || rtrw_value(self.tok(value_at + 1)).is_none()) =>
                            {
                                self.set_rtrw(Some(rt), Some(v));
                                i = value_at + 1;
                            }
                            _ => self.set_rtrw(None, Some(v)),
                        }
                    } else {
                        self.out.word("RW");
                    }
                }
                Kind::No => {
                    let lead = if self.slot == Slot::Lead { self.lead.take() } else { None };
                    self.close();
                    self.out.word("NO");
                    if let Some(next) = self.tok(i).filter(|n| {
                        (n.kind == Kind::Num && !is_long_number(*n))
                            || (n.kind == Kind::Word && has_digit(n.text))
                    }) {
                        let mut v = canon_number(next.text);
                        i += 1;
                        // No. 12/3 is one house number; No. 5/001/002 is left alone.
                        if let Some(n) = self.tok(i + 1).filter(|n| {
                            n.kind == Kind::Num && self.is(i, Kind::Slash) && !self.is(i + 2, Kind::Slash)
                        }) {
                            v.push('/');
                            v.push_str(&canon_number(n.text));
                            i += 2;
                        }
                        self.out.word(&v);
                        if self.street.is_none() {
                            self.street = lead;
                        }
                        self.number.get_or_insert(v);
                    }
                }
                Kind::Street => {
                    self.close();
                    self.out.word(t.text);
                    self.street_label = match t.text {
                        "KOMPLEK" => "KOMPLEK",
                        "PERUMAHAN" => "PERUMAHAN",
                        "PERUMNAS" => "PERUMNAS",
                        _ => "JALAN",
                    };
                    self.open(Slot::Street);
                }
                Kind::Gang => {
                    self.close();
                    self.out.word(t.text);
                    if let Some(v) = small_value(self.tok(i), self.tok(i + 1)) {
                        self.out.word(&v);
                        self.gang.get_or_insert(v);
                        i += 1;
                    } else {
                        self.open(if self.gang.is_none() { Slot::Gang } else { Slot::Skip });
                    }
                }
                Kind::Blok => {
                    self.close();
                    self.out.word("BLOK");
                    let value = match self.tok(i) {
                        Some(v) if v.kind == Kind::Num && !is_long_number(v) => {
                            i += 1;
                            Some(canon_number(v.text))
                        }
                        Some(v) if v.kind == Kind::Word => {
                            i += 1;
                            let mut s = v.text.to_owned();
                            // Blok A 12 / Blok A-12 = Blok A12.
                            if v.text.len() <= 2
                                && !has_digit(v.text)
                                && let Some(n) =
                                    self.tok(i).filter(|n| n.kind == Kind::Num && !is_long_number(*n))
                            {
                                s.push_str(&canon_number(n.text));
                                i += 1;
                            }
                            Some(s)
                        }
                        _ => None,
                    };
                    if let Some(v) = value {
                        self.out.word(&v);
                        self.blok.get_or_insert(v);
                    }
                }
                Kind::Kav => {
                    self.close();
                    self.out.word("KAVLING");
                    if let Some(n) = self.tok(i).filter(|n| {
                        (n.kind == Kind::Num && !is_long_number(*n))
                            || (n.kind == Kind::Word && has_digit(n.text))
                    }) {
                        let v = canon_number(n.text);
                        i += 1;
                        self.out.word(&v);
                        self.kav.get_or_insert(v);
                    }
                }
                Kind::Km => {
                    let in_street = self.slot == Slot::Street;
                    if in_street {
                        self.add_to_slot("KM");
                    } else {
                        self.close();
                    }
                    self.out.word("KM");
                    if let Some(n) = self.tok(i).filter(|n| n.kind == Kind::Num && !is_long_number(*n)) {
                        let v = canon_number(n.text);
                        i += 1;
                        if in_street {
                            self.add_to_slot(&v);
                        }
                        self.out.word(&v);
                    }
                }
                Kind::Unit | Kind::Village | Kind::Region => {
                    if self.slot != Slot::None && self.slot_words == 0 {
                        // First word of a name: Jl. Kampung Melayu, Kel. Kota Baru.
                        self.add_to_slot(t.text);
                        self.out.word(t.text);
                        continue;
                    }
                    self.close();
                    self.out.word(t.text);
                    match t.kind {
                        Kind::Unit => {
                            if let Some(n) = self
                                .tok(i)
                                .filter(|n| t.text == "BANJAR" && matches!(n.text, "DINAS" | "ADAT"))
                            {
                                self.out.word(n.text);
                                i += 1;
                            }
                            if let Some(v) = small_value(self.tok(i), self.tok(i + 1)) {
                                self.out.word(&v);
                                self.dusun.get_or_insert(v);
                                i += 1;
                            } else {
                                self.open(if self.dusun.is_none() { Slot::Unit } else { Slot::Skip });
                            }
                        }
                        Kind::Village => {
                            self.open(if self.village.is_none() { Slot::Village } else { Slot::Skip })
                        }
                        _ => self.open(Slot::Skip),
                    }
                }
                Kind::Num => {
                    if let Some((a, b)) = self.bare_pair(i - 1) {
                        self.close();
                        self.set_rtrw(Some(a), Some(b));
                        i += 2;
                    } else if is_long_number(t) || self.slot == Slot::Candidate {
                        self.close();
                        self.out.word(t.text);
                    } else {
                        self.add_to_slot(t.text);
                        self.out.word(t.text);
                    }
                }
                Kind::Word => {
                    if self.slot == Slot::None {
                        if self.out.s.is_empty() {
                            self.open(Slot::Lead);
                        } else if self.after_rtrw && !self.candidate_done {
                            self.open(Slot::Candidate);
                        }
                    }
                    self.add_to_slot(t.text);
                    self.out.word(t.text);
                }
            }
        }
        self.close();
        ParsedAddress {
            street: self.street,
            number: self.number.or(self.kav),
            gang: self.gang,
            blok: self.blok,
            dusun: self.dusun,
            rt: self.rt.filter(|&v| v != 0),
            rw: self.rw.filter(|&v| v != 0),
            village: self.village.or(self.candidate),
            normalized: self.out.finish(),
        }
    }
}

/// Parses one free-text Indonesian address. Never panics; unknown text is kept in `normalized`.
///
/// Accepts every RT/RW notation in the domain brief (§6.1): `RT 001/RW 002`, `RT.01/RW.02`,
/// `RT 01 RW 02`, `RT/RW 001/002`, `RT 01/001`, `RT 3/5`, `RT.003 RW.005`, `RT:3 RW:5`,
/// `RW 5 RT 3`, `RT IV`, and a bare `001/002` after a street or house number.
///
/// ```
/// use padan::indo::address::parse_address;
///
/// let a = parse_address("RT 02/RW 04 Wonocolo");
/// let b = parse_address("RT.02/RW.04 Wonocolo");
/// assert_eq!((a.rt, a.rw, a.village.as_deref()), (Some(2), Some(4), Some("WONOCOLO")));
/// assert_eq!(a, b);
///
/// let c = parse_address("Perum. Griya Indah Blok A-12 No.5 001/002, Kec. Sukajadi");
/// assert_eq!(c.street.as_deref(), Some("PERUMAHAN GRIYA INDAH"));
/// assert_eq!((c.blok.as_deref(), c.number.as_deref()), (Some("A12"), Some("5")));
/// assert_eq!((c.rt, c.rw, c.village), (Some(1), Some(2), None));
/// ```
#[must_use]
pub fn parse_address(raw: &str) -> ParsedAddress {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let Scratch { buf, toks } = &mut *scratch;
            parse_with(raw, buf, toks)
        }
        // Only reachable through re-entrance, which parse_address does not do.
        Err(_) => parse_with(raw, &mut Vec::new(), &mut Vec::new()),
    })
}

/// Buffers reused across calls on one thread: saves two allocations per address.
struct Scratch {
    buf: Vec<u8>,
    toks: Vec<RawTok>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> =
        const { std::cell::RefCell::new(Scratch { buf: Vec::new(), toks: Vec::new() }) };
}

fn parse_with(raw: &str, buf: &mut Vec<u8>, toks: &mut Vec<RawTok>) -> ParsedAddress {
    buf.clear();
    toks.clear();
    lex(raw, buf, toks);
    // `lex` writes whole characters only, so this always succeeds; one check here is cheaper
    // than building a `String` byte by byte.
    let parsed = match std::str::from_utf8(buf) {
        Ok(text) => Parser::new(text, toks, raw.len()).run(),
        Err(_) => ParsedAddress::default(),
    };
    // Do not let one huge input pin its buffers for the life of the thread.
    if buf.capacity() > 1 << 16 {
        *buf = Vec::new();
        *toks = Vec::new();
    }
    parsed
}

/// Reads one RT or RW cell on its own (the separate `rt` / `rw` columns).
///
/// Accepts an optional `RT`/`RW` label with `.`/`:`/space, then 1–3 significant digits
/// (`"003"`, `"3"`), a spreadsheet float (`"3.0"`, `"3,00"`) or a Roman numeral 1–39 (`"IV"`).
/// Returns `None` for empty cells, `0`/`000` (placeholders), values above 999, and cells that
/// hold anything else, including both numbers (`"003/005"`: use [`parse_address`] on those).
///
/// ```
/// use padan::indo::address::parse_rt_rw_cell;
///
/// assert_eq!(parse_rt_rw_cell("003"), Some(3));
/// assert_eq!(parse_rt_rw_cell("RT 03"), Some(3));
/// assert_eq!(parse_rt_rw_cell(" rw.5 "), Some(5));
/// assert_eq!(parse_rt_rw_cell("3.0"), Some(3));
/// assert_eq!(parse_rt_rw_cell("III"), Some(3));
/// assert_eq!(parse_rt_rw_cell("000"), None);
/// assert_eq!(parse_rt_rw_cell("003/005"), None);
/// ```
#[must_use]
pub fn parse_rt_rw_cell(raw: &str) -> Option<u16> {
    let s = raw.trim();
    let s = match s.get(..2) {
        Some(l) if l.eq_ignore_ascii_case("RT") || l.eq_ignore_ascii_case("RW") => &s[2..],
        _ => s,
    };
    let s = s.trim_start_matches(|c: char| c == '.' || c == ':' || c.is_whitespace());
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let value = if digits > 0 {
        let (num, tail) = s.split_at(digits);
        // Spreadsheet float artefacts: 3.0, 3,00.
        let frac_ok = tail.is_empty()
            || ((tail.starts_with('.') || tail.starts_with(','))
                && tail.len() > 1
                && tail[1..].bytes().all(|b| b == b'0'));
        if !frac_ok {
            return None;
        }
        digits_value(num)?
    } else {
        let upper = s.to_ascii_uppercase();
        u16::try_from(roman_index(upper.as_bytes())? + 1).ok()?
    };
    (value != 0).then_some(value)
}

/// Prefixes dropped from village and district names; longer spellings first is not needed
/// because a prefix is matched as a whole word.
const PLACE_PREFIXES: [&str; 11] =
    ["DESA", "DS", "KELURAHAN", "KEL", "GAMPONG", "NAGARI", "PEKON", "TIYUH", "KECAMATAN", "KEC", "DISTRIK"];

/// The part of `raw` after a leading `Desa`/`Kel.`/... word, if a name follows it.
fn strip_place_prefix(raw: &str) -> &str {
    let s = raw.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = s.find(|c: char| !c.is_alphanumeric()).unwrap_or(s.len());
    let (first, rest) = s.split_at(end);
    let is_prefix = PLACE_PREFIXES.iter().any(|p| first.eq_ignore_ascii_case(p));
    if is_prefix && rest.chars().any(char::is_alphanumeric) { rest } else { s }
}

/// Characters of the comparison key of a place name; see [`normalize_place_name`].
fn place_chars(raw: &str) -> impl Iterator<Item = char> + '_ {
    let keep = |c: &char| c.is_alphanumeric() || *c == '|';
    strip_place_prefix(raw).chars().filter(keep).flat_map(char::to_uppercase).filter(keep)
}

/// Canonical village or district name for comparison.
///
/// Upper case; a leading `Desa`, `Ds.`, `Kelurahan`, `Kel.`, `Gampong`, `Nagari`, `Pekon`,
/// `Tiyuh`, `Kecamatan`, `Kec.` or `Distrik` word is dropped when a name follows it; then every
/// space and punctuation mark is **removed** (not collapsed), so spacing variants meet:
/// `"Mekar Jaya"` = `"MEKARJAYA"`. Digits are kept, so region codes pass through without dots.
/// `|` is kept too: keys qualified by their parents (`"JAWABARAT|KOTABANDUNG|SUKASARI"`) stay
/// unambiguous when compared in [`compare_addresses`].
///
/// ```
/// use padan::indo::address::normalize_place_name;
///
/// assert_eq!(normalize_place_name("Kel. Mekar Jaya"), "MEKARJAYA");
/// assert_eq!(normalize_place_name("DESA MEKARJAYA"), "MEKARJAYA");
/// assert_eq!(normalize_place_name("Kec. Coblong"), "COBLONG");
/// assert_eq!(normalize_place_name("32.73.01.1001"), "3273011001");
/// assert_eq!(normalize_place_name("Desa"), "DESA");
/// ```
#[must_use]
pub fn normalize_place_name(raw: &str) -> String {
    place_chars(raw).collect()
}

/// How close two addresses are, from tightest (1) to none (5). Converts with `as u8`.
///
/// Level 0 is reserved by the caller for null.
///
/// ```
/// use padan::indo::address::AddressLevel;
///
/// assert_eq!(AddressLevel::SameRtRwVillage as u8, 1);
/// assert!(AddressLevel::SameVillage < AddressLevel::Different);
/// ```
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum AddressLevel {
    /// Same village (inside the same district), same RT and same RW.
    SameRtRwVillage = 1,
    /// Same village, street and number alike (Jaro–Winkler ≥ 0.9), RT/RW not equal or missing.
    SameStreetVillage = 2,
    /// Same village only.
    SameVillage = 3,
    /// Same district, different or missing village.
    SameDistrict = 4,
    /// Different district, or the village cannot be placed in a district.
    Different = 5,
}

/// Already-normalised address fields of one record, borrowed for [`compare_addresses`].
///
/// `village` and `district` are names (compared as [`normalize_place_name`] keys) or region
/// codes; use one form per column. Empty strings count as missing.
///
/// ```
/// use padan::indo::address::AddressParts;
///
/// let p = AddressParts { village: Some("SIDOMULYO"), district: Some("GODEAN"), rt: Some(3), ..Default::default() };
/// assert_eq!(p.rw, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AddressParts<'a> {
    /// Village (desa/kelurahan) name or code.
    pub village: Option<&'a str>,
    /// District (kecamatan) name or code.
    pub district: Option<&'a str>,
    /// RT number; `Some(0)` counts as missing.
    pub rt: Option<u16>,
    /// RW number; `Some(0)` counts as missing.
    pub rw: Option<u16>,
    /// Normalised street, e.g. [`ParsedAddress::street`].
    pub street: Option<&'a str>,
    /// House number, e.g. [`ParsedAddress::number`].
    pub number: Option<&'a str>,
}

/// Whether a place key names a place (has a letter or digit): [`compare_addresses`] treats
/// one that does not as missing.
pub(crate) fn names_a_place(key: &str) -> bool {
    non_empty(Some(key)).is_some()
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| s.bytes().any(|b| b.is_ascii_alphanumeric()) || s.chars().any(char::is_alphanumeric))
}

/// `normalize_place_name(a) == normalize_place_name(b)` without allocating.
fn place_eq(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        // Same key as `place_chars`, byte-wise: the common case by far.
        let key = |s| {
            strip_place_prefix(s)
                .bytes()
                .filter(|b| b.is_ascii_alphanumeric() || *b == b'|')
                .map(|b| b.to_ascii_uppercase())
        };
        return key(a).eq(key(b));
    }
    place_chars(a).eq(place_chars(b))
}

/// A village code (Kemendagri `PP.KK.CC.DDDD` or any 10+ digit code): digits, dots, spaces.
fn is_village_code(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b' ')
        && s.bytes().filter(u8::is_ascii_digit).count() >= 10
}

fn code_district(code: &str) -> impl Iterator<Item = u8> + '_ {
    code.bytes().filter(u8::is_ascii_digit).take(6)
}

/// How two records' districts relate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Districts {
    Same,
    Differ,
    /// Neither record has one: the caller's village values must place themselves.
    BothUnknown,
    /// Only one record has one: the other's village cannot be placed in it.
    OneUnknown,
}

fn districts(a: &AddressParts<'_>, b: &AddressParts<'_>) -> Districts {
    let verdict = |same: bool| {
        if same { Districts::Same } else { Districts::Differ }
    };
    match (non_empty(a.district), non_empty(b.district)) {
        (Some(x), Some(y)) => verdict(place_eq(x, y)),
        (x, y) => match (non_empty(a.village), non_empty(b.village)) {
            // A village code carries its district in the first six digits.
            (Some(va), Some(vb)) if is_village_code(va) && is_village_code(vb) => {
                verdict(code_district(va).eq(code_district(vb)))
            }
            _ if x.is_none() && y.is_none() => Districts::BothUnknown,
            _ => Districts::OneUnknown,
        },
    }
}

const JW_MAX: usize = 128;

/// Street comparison key as chars on the stack: street without a leading `JALAN ` (shared by
/// nearly every street, it lifts Jaro–Winkler: MERDEKA/MERPATI 0.80 → 0.91 with it), a space,
/// then the number. `None` when it does not fit.
fn street_key(street: &str, number: Option<&str>, buf: &mut [char; JW_MAX]) -> Option<usize> {
    let street = street.strip_prefix("JALAN ").unwrap_or(street);
    let number = non_empty(number);
    let sep = number.map(|_| " ");
    let mut n = 0;
    for c in street.chars().chain(sep.unwrap_or("").chars()).chain(number.unwrap_or("").chars()) {
        *buf.get_mut(n)? = c;
        n += 1;
    }
    Some(n)
}

/// Jaro–Winkler exactly as `strsim::jaro_winkler` computes it, on short slices without heap use.
fn jaro_winkler_chars(a: &[char], b: &[char]) -> f64 {
    let (la, lb) = (a.len(), b.len());
    if la == 0 && lb == 0 {
        return 1.0;
    }
    if la == 0 || lb == 0 {
        return 0.0;
    }
    let range = (la.max(lb) / 2).saturating_sub(1);
    let mut a_flags = [false; JW_MAX];
    let mut b_flags = [false; JW_MAX];
    let mut matches = 0usize;
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = lb.min(i + range + 1);
        for j in lo..hi {
            if !b_flags[j] && *ca == b[j] {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0;
    for (i, ca) in a.iter().enumerate() {
        if a_flags[i] {
            while !b_flags[k] {
                k += 1;
            }
            if *ca != b[k] {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    let t = (transpositions / 2) as f64;
    let sim = (m / la as f64 + m / lb as f64 + (m - t) / m) / 3.0;
    if sim > 0.7 {
        let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

fn same_street(a: &AddressParts<'_>, b: &AddressParts<'_>) -> bool {
    let (Some(sa), Some(sb)) = (non_empty(a.street), non_empty(b.street)) else {
        return false;
    };
    let mut ba = ['\0'; JW_MAX];
    let mut bb = ['\0'; JW_MAX];
    let sim = match (street_key(sa, a.number, &mut ba), street_key(sb, b.number, &mut bb)) {
        (Some(na), Some(nb)) => jaro_winkler_chars(&ba[..na], &bb[..nb]),
        // Longer than any real street: allocate rather than truncate.
        _ => {
            let key = |s: &str, n: Option<&str>| {
                let s = s.strip_prefix("JALAN ").unwrap_or(s);
                match non_empty(n) {
                    Some(n) => format!("{s} {n}"),
                    None => s.to_owned(),
                }
            };
            strsim::jaro_winkler(&key(sa, a.number), &key(sb, b.number))
        }
    };
    sim >= 0.9
}

/// Compares two records' address fields; see [`AddressLevel`]. Does not allocate for streets
/// up to 128 characters.
///
/// Villages are compared only inside their district: the same village name under two
/// districts is [`AddressLevel::Different`] (Sidomulyo occurs 98 times). When only one record
/// has a district the other's village cannot be placed, so the result is `Different`. When
/// neither has one, the villages are compared as given: pass names qualified by their parents
/// (`"…|KOTA BANDUNG|GEGERKALONG"`) or codes, never bare names. Full region codes (10+
/// digits) carry their district and need none. RT and RW must both be
/// present and equal for level 1. The street test joins street and number and drops a leading
/// `JALAN ` first: shared by nearly every street, it lifts unrelated names over 0.9
/// (`JALAN MERDEKA`/`JALAN MERPATI` 0.91, `MERDEKA`/`MERPATI` 0.80).
///
/// ```
/// use padan::indo::address::{compare_addresses, AddressLevel, AddressParts};
///
/// let a = AddressParts { village: Some("GEGERKALONG"), district: Some("SUKASARI"),
///     rt: Some(3), rw: Some(5), street: Some("JALAN MELATI"), number: Some("12") };
/// let b = AddressParts { rt: Some(4), number: Some("12A"), ..a };
/// let c = AddressParts { district: Some("GODEAN"), ..a };
/// assert_eq!(compare_addresses(&a, &a), AddressLevel::SameRtRwVillage);
/// assert_eq!(compare_addresses(&a, &b), AddressLevel::SameStreetVillage);
/// assert_eq!(compare_addresses(&a, &c), AddressLevel::Different);
/// ```
#[must_use]
pub fn compare_addresses(a: &AddressParts<'_>, b: &AddressParts<'_>) -> AddressLevel {
    let districts = districts(a, b);
    if matches!(districts, Districts::Differ | Districts::OneUnknown) {
        return AddressLevel::Different;
    }
    let same_village = match (non_empty(a.village), non_empty(b.village)) {
        (Some(x), Some(y)) => place_eq(x, y),
        _ => false,
    };
    if !same_village {
        return if districts == Districts::Same {
            AddressLevel::SameDistrict
        } else {
            AddressLevel::Different
        };
    }
    compare_within_village(a, b)
}

/// [`compare_addresses`] of two records already known to be in one village (equal village
/// and district keys): only RT/RW and the street are left to compare.
///
/// ```
/// use padan::indo::address::{compare_within_village, AddressLevel, AddressParts};
/// let a = AddressParts { rt: Some(3), rw: Some(5), street: Some("MAWAR"), ..Default::default() };
/// let b = AddressParts { rt: Some(3), rw: Some(5), ..Default::default() };
/// assert_eq!(compare_within_village(&a, &b), AddressLevel::SameRtRwVillage);
/// let c = AddressParts { street: Some("MAWAR"), ..Default::default() };
/// assert_eq!(compare_within_village(&a, &c), AddressLevel::SameStreetVillage);
/// assert_eq!(compare_within_village(&b, &c), AddressLevel::SameVillage);
/// ```
pub fn compare_within_village(a: &AddressParts<'_>, b: &AddressParts<'_>) -> AddressLevel {
    let present = |v: Option<u16>| v.filter(|&v| v != 0);
    if present(a.rt).is_some()
        && present(a.rw).is_some()
        && present(a.rt) == present(b.rt)
        && present(a.rw) == present(b.rw)
    {
        return AddressLevel::SameRtRwVillage;
    }
    if same_street(a, b) {
        return AddressLevel::SameStreetVillage;
    }
    AddressLevel::SameVillage
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const GOLDEN: &str = include_str!("../../tests/fixtures/addresses.csv");

    /// Minimal RFC 4180 reader: quoted fields with `""` escapes, one record per line.
    fn csv_fields(line: &str) -> Vec<String> {
        let mut fields = vec![String::new()];
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    chars.next();
                    fields.last_mut().unwrap().push('"');
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(String::new()),
                _ => fields.last_mut().unwrap().push(c),
            }
        }
        fields
    }

    fn opt(s: &str) -> Option<String> {
        (!s.is_empty()).then(|| s.to_owned())
    }

    #[test]
    fn golden_table() {
        let mut lines = GOLDEN.lines();
        assert_eq!(lines.next(), Some("raw,street,number,gang,blok,dusun,rt,rw,village"));
        let mut failures = Vec::new();
        let mut rows = 0;
        for line in lines {
            let f = csv_fields(line);
            assert_eq!(f.len(), 9, "bad fixture row: {line}");
            rows += 1;
            let p = parse_address(&f[0]);
            let want = (
                opt(&f[1]),
                opt(&f[2]),
                opt(&f[3]),
                opt(&f[4]),
                opt(&f[5]),
                opt(&f[6]).map(|v| v.parse::<u16>().unwrap()),
                opt(&f[7]).map(|v| v.parse::<u16>().unwrap()),
                opt(&f[8]),
            );
            let got = (
                p.street.clone(),
                p.number.clone(),
                p.gang.clone(),
                p.blok.clone(),
                p.dusun.clone(),
                p.rt,
                p.rw,
                p.village.clone(),
            );
            if got != want {
                failures.push(format!("{:?}\n   want {want:?}\n    got {got:?}", f[0]));
            }
        }
        assert!(rows >= 40, "golden table has only {rows} rows");
        assert!(failures.is_empty(), "{} golden rows differ:\n{}", failures.len(), failures.join("\n"));
    }

    fn rtrw(raw: &str) -> (Option<u16>, Option<u16>) {
        let p = parse_address(raw);
        (p.rt, p.rw)
    }

    #[test]
    fn every_rt_rw_notation() {
        for raw in [
            "RT 001/RW 002",
            "RT.01/RW.02",
            "RT 01 RW 02",
            "RT/RW 001/002",
            "RT 01/002",
            "RT 1/2",
            "RT.001 RW.002",
            "RT:1 RW:2",
            "rt 1 rw 2",
            "RT/RW: 01/02",
            "RT/RW/001/002",
            "RTRW 001/002",
            "RT001RW002",
            "RW 2 RT 1",
            "RW.02/RT.01",
            "RT I RW II",
            "Jl. Mawar 001/002",
            "Jl. Mawar No. 5 001/002",
        ] {
            assert_eq!(rtrw(raw), (Some(1), Some(2)), "{raw}");
            assert!(parse_address(raw).normalized.contains("RT 1 RW 2"), "{raw}");
        }
        assert_eq!(rtrw("RT 3/5"), (Some(3), Some(5)));
        assert_eq!(rtrw("RT 01/001"), (Some(1), Some(1)));
        // A bare pair needs a street (or a label) in front of it.
        assert_eq!(rtrw("001/002"), (None, None));
        assert_eq!(rtrw("Dusun Krajan 001/002"), (None, None));
        // Dates are not RT/RW.
        assert_eq!(rtrw("Jl. Mawar 12/05/2020"), (None, None));
        // Placeholder zeros and four significant digits are not RT numbers.
        assert_eq!(rtrw("RT 000 RW 000"), (None, None));
        assert_eq!(rtrw("RT 1234"), (None, None));
    }

    #[test]
    fn street_tokens_and_units() {
        let p = parse_address("Jl. Melati Gg. III No. 12");
        assert_eq!(p.normalized, "JALAN MELATI GANG 3 NO 12");
        for (raw, street) in [
            ("Jl. Mawar", "JALAN MAWAR"),
            ("Jln. Mawar", "JALAN MAWAR"),
            ("Jl Mawar", "JALAN MAWAR"),
            ("Jalan Mawar", "JALAN MAWAR"),
            ("Komp. Mawar", "KOMPLEK MAWAR"),
            ("Kompleks Mawar", "KOMPLEK MAWAR"),
            ("Perum. Mawar", "PERUMAHAN MAWAR"),
            ("Perumnas Mawar", "PERUMNAS MAWAR"),
        ] {
            assert_eq!(parse_address(raw).street.as_deref(), Some(street), "{raw}");
        }
        assert_eq!(parse_address("Gg. I Gusti").gang.as_deref(), Some("I GUSTI"));
        assert_eq!(parse_address("Gg. I No. 4").gang.as_deref(), Some("1"));
        for raw in ["Gg. III", "Gang 3", "Gg 03", "GG3", "Lorong III", "Lr. 3"] {
            assert_eq!(parse_address(raw).gang.as_deref(), Some("3"), "{raw}");
        }
        for raw in ["Blok C3", "Blk. C-3", "Blok C 3"] {
            assert_eq!(parse_address(raw).blok.as_deref(), Some("C3"), "{raw}");
        }
        for raw in ["No. 12", "Nomor 12", "No 012", "NO12", "Kav. 12"] {
            assert_eq!(parse_address(raw).number.as_deref(), Some("12"), "{raw}");
        }
        for raw in [
            "Dusun Krajan",
            "Dsn. Krajan",
            "Dukuh Krajan",
            "Padukuhan Krajan",
            "Lingkungan Krajan",
            "Lingk. Krajan",
            "Lk. Krajan",
            "Jorong Krajan",
            "Banjar Krajan",
            "Kampung Krajan",
            "Kp. Krajan",
        ] {
            let p = parse_address(raw);
            assert_eq!(p.dusun.as_deref(), Some("KRAJAN"), "{raw}");
            assert_eq!(p.village, None, "{raw}");
        }
        for raw in ["Kel. Karet", "Kelurahan Karet", "Desa Karet", "Ds. Karet", "KEL.KARET"] {
            assert_eq!(parse_address(raw).village.as_deref(), Some("KARET"), "{raw}");
        }
        for label in ["Kec.", "Kecamatan", "Kab.", "Kabupaten", "Kota", "Prov.", "Provinsi"] {
            let p = parse_address(&format!("Jl. Mawar {label} Sukasari"));
            assert_eq!(p.street.as_deref(), Some("JALAN MAWAR"), "{label}");
            assert_eq!(p.village, None, "{label}");
        }
    }

    #[test]
    fn normalized_form() {
        assert_eq!(
            parse_address("  Jl.Melati,, Gg.III  No.012 RT.003/RW.005 ; Kel. Geger-Kalong ").normalized,
            "JALAN MELATI, GANG 3 NO 12 RT 3 RW 5, KELURAHAN GEGER KALONG"
        );
        assert_eq!(parse_address("").normalized, "");
        // Found by the fixed-point property test: an RW, then an RT written with the RT/RW label.
        assert_eq!(parse_address("RW0 RT/RW0").normalized, "RT 0 RW 0");
        assert_eq!(
            parse_address("RW 496 RT/RW  233 Jln.RTRW.1108").normalized,
            "RT 233 RW 496 JALAN RT/RW 1108"
        );
        assert_eq!(parse_address(" ,./ ").normalized, "/");
    }

    fn sukasari<'a>(p: &'a ParsedAddress) -> AddressParts<'a> {
        p.to_parts(Some("SUKASARI"))
    }

    #[test]
    fn test_pair_20() {
        let a = parse_address("Jl. Melati Gg. III No. 12 RT 003/RW 005 Gegerkalong");
        let b = parse_address("Jalan Melati Gang 3 No 12 RT.03 RW.05, Kel. Gegerkalong");
        assert_eq!(
            (&a.street, &a.gang, &a.number, a.rt, a.rw, &a.village),
            (&b.street, &b.gang, &b.number, b.rt, b.rw, &b.village)
        );
        assert_eq!(a.street.as_deref(), Some("JALAN MELATI"));
        let village = Some("GEGERKALONG");
        let pa = AddressParts { village, ..sukasari(&a) };
        let pb = AddressParts { village, ..sukasari(&b) };
        assert_eq!(compare_addresses(&pa, &pb), AddressLevel::SameRtRwVillage);
        // Without RT/RW agreement the street still places them together.
        let pc = AddressParts { rw: Some(6), ..pb };
        assert_eq!(compare_addresses(&pa, &pc), AddressLevel::SameStreetVillage);
    }

    #[test]
    fn test_pair_2() {
        let a = parse_address("RT 02/RW 04 Wonocolo");
        let b = parse_address("RT.02/RW.04 Wonocolo");
        assert_eq!(a, b);
        assert_eq!((a.rt, a.rw, a.village.as_deref()), (Some(2), Some(4), Some("WONOCOLO")));
        let d = Some("JAMBANGAN");
        assert_eq!(compare_addresses(&a.to_parts(d), &b.to_parts(d)), AddressLevel::SameRtRwVillage);
    }

    #[test]
    fn sidomulyo_in_two_districts() {
        let a = AddressParts {
            village: Some("SIDOMULYO"),
            district: Some("GODEAN"),
            rt: Some(1),
            rw: Some(2),
            street: Some("JALAN MAWAR"),
            number: Some("5"),
        };
        let b = AddressParts { district: Some("Kec. Wates"), ..a };
        assert_eq!(compare_addresses(&a, &b), AddressLevel::Different);
        let c = AddressParts { district: Some("Kec. Godean"), village: Some("Desa Sido Mulyo"), ..a };
        assert_eq!(compare_addresses(&a, &c), AddressLevel::SameRtRwVillage);
        // With one district missing the village cannot be placed.
        let d = AddressParts { district: None, ..a };
        assert_eq!(compare_addresses(&a, &d), AddressLevel::Different);
        assert_eq!(compare_addresses(&d, &a), AddressLevel::Different);
        // With none, villages are taken as qualified by the caller (as `prepare` does).
        let q = |v| AddressParts { district: None, village: Some(v), ..a };
        assert_eq!(
            compare_addresses(&q("DIY|SLEMAN||SIDOMULYO"), &q("DIY|SLEMAN||SIDOMULYO")),
            AddressLevel::SameRtRwVillage
        );
        assert_eq!(
            compare_addresses(&q("DIY|SLEMAN||SIDOMULYO"), &q("DIY|BANTUL||SIDOMULYO")),
            AddressLevel::Different
        );
        // Region codes carry their district.
        let e = AddressParts { district: None, village: Some("34.04.01.2001"), ..a };
        let f = AddressParts { district: None, village: Some("3404012001"), ..a };
        let g = AddressParts { district: None, village: Some("3401012001"), ..a };
        let h = AddressParts { district: None, village: Some("3404012002"), ..a };
        assert_eq!(compare_addresses(&e, &f), AddressLevel::SameRtRwVillage);
        assert_eq!(compare_addresses(&e, &g), AddressLevel::Different);
        assert_eq!(compare_addresses(&e, &h), AddressLevel::SameDistrict);
    }

    #[test]
    fn every_level() {
        let a = AddressParts {
            village: Some("GEGERKALONG"),
            district: Some("SUKASARI"),
            rt: Some(3),
            rw: Some(5),
            street: Some("JALAN MELATI"),
            number: Some("12"),
        };
        let level = |b: AddressParts<'_>| compare_addresses(&a, &b);
        assert_eq!(level(a), AddressLevel::SameRtRwVillage);
        assert_eq!(level(AddressParts { rt: Some(4), ..a }), AddressLevel::SameStreetVillage);
        assert_eq!(
            level(AddressParts { rt: None, rw: None, street: Some("JALAN MELATI 12"), number: None, ..a }),
            AddressLevel::SameStreetVillage
        );
        assert_eq!(
            level(AddressParts { rt: Some(4), street: Some("JALAN MERPATI"), number: Some("3"), ..a }),
            AddressLevel::SameVillage
        );
        // Known limit of JW on street+number: a shared house number lifts MELATI/MERPATI over 0.9.
        assert_eq!(
            level(AddressParts { rt: Some(4), street: Some("JALAN MERPATI"), ..a }),
            AddressLevel::SameStreetVillage
        );
        assert_eq!(level(AddressParts { rt: Some(4), street: None, ..a }), AddressLevel::SameVillage);
        assert_eq!(level(AddressParts { village: Some("ISOLA"), ..a }), AddressLevel::SameDistrict);
        assert_eq!(level(AddressParts { village: None, ..a }), AddressLevel::SameDistrict);
        assert_eq!(level(AddressParts { village: Some(""), ..a }), AddressLevel::SameDistrict);
        assert_eq!(level(AddressParts { district: Some("COBLONG"), ..a }), AddressLevel::Different);
        // Zero RT/RW is a placeholder, not agreement.
        let z = AddressParts { rt: Some(0), rw: Some(0), street: None, ..a };
        assert_eq!(compare_addresses(&z, &z), AddressLevel::SameVillage);
        // Spacing variants of a village name agree.
        assert_eq!(level(AddressParts { village: Some("Geger Kalong"), ..a }), AddressLevel::SameRtRwVillage);
        let levels = [1u8, 2, 3, 4, 5];
        assert_eq!(
            [
                AddressLevel::SameRtRwVillage,
                AddressLevel::SameStreetVillage,
                AddressLevel::SameVillage,
                AddressLevel::SameDistrict,
                AddressLevel::Different
            ]
            .map(|l| l as u8),
            levels
        );
    }

    #[test]
    fn long_streets_fall_back_to_strsim() {
        let long = "JALAN ".to_owned() + &"MELATI ".repeat(40);
        let a = AddressParts {
            village: Some("X"),
            district: Some("Y"),
            street: Some(&long),
            ..Default::default()
        };
        assert_eq!(compare_addresses(&a, &a), AddressLevel::SameStreetVillage);
    }

    #[test]
    fn label_table_is_sorted_and_unique() {
        assert!(LABELS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(LABELS.iter().all(|(k, _, _)| k.len() <= 10));
        assert_eq!(classify(b"KEL"), (Kind::Village, Some("KELURAHAN")));
        assert_eq!(classify(b"MELATI"), (Kind::Word, None));
        assert_eq!(classify(b"XIV"), (Kind::Num, Some("14")));
        assert_eq!(classify(b"KELURAHANX"), (Kind::Word, None));
        for (i, (spelling, canon, kind)) in LABELS.iter().enumerate() {
            assert_eq!(lookup_label(spelling.as_bytes()), Some((*kind, *canon)), "{spelling}");
            assert_eq!(LABEL_TABLE.iter().filter(|&&e| usize::from(e) == i + 1).count(), 1);
        }
    }

    #[test]
    fn rt_rw_cells() {
        for (raw, want) in [
            ("003", Some(3)),
            ("3", Some(3)),
            ("RT 03", Some(3)),
            ("rt.3", Some(3)),
            ("RW:05", Some(5)),
            ("3.0", Some(3)),
            ("03,00", Some(3)),
            ("III", Some(3)),
            ("iv", Some(4)),
            ("RT IV", Some(4)),
            ("999", Some(999)),
            ("0999", Some(999)),
            ("1000", None),
            ("0", None),
            ("000", None),
            ("", None),
            ("-", None),
            ("3.5", None),
            ("3A", None),
            ("003/005", None),
            ("RT", None),
            ("IIII", None),
        ] {
            assert_eq!(parse_rt_rw_cell(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn place_names() {
        for raw in ["Mekar Jaya", "MEKARJAYA", "Desa Mekar Jaya", "Kel. Mekar-Jaya", "ds mekarjaya"] {
            assert_eq!(normalize_place_name(raw), "MEKARJAYA", "{raw}");
        }
        assert_eq!(normalize_place_name("Kecamatan Coblong"), "COBLONG");
        assert_eq!(normalize_place_name("Desa"), "DESA");
        assert_eq!(normalize_place_name("Desaku"), "DESAKU");
        assert_ne!(normalize_place_name("Mekarsari"), normalize_place_name("Mekar Jaya"));
        assert_eq!(normalize_place_name(""), "");
        assert_eq!(normalize_place_name("Jawa Barat|Kota Bandung"), "JAWABARAT|KOTABANDUNG");
        assert!(!place_eq("X|SUKA|MAJU", "X|SUKAMA|JU"));
        assert!(place_eq("X|Suka Maju", "X|SUKAMAJU"));
    }

    #[test]
    fn jaro_winkler_known_values() {
        let jw = |a: &str, b: &str| {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            jaro_winkler_chars(&a, &b)
        };
        assert!((jw("cheeseburger", "cheese fries") - 0.866).abs() < 0.001);
        assert_eq!(jw("", ""), 1.0);
        assert_eq!(jw("a", ""), 0.0);
        assert_eq!(jw("MARTHA", "MARHTA"), strsim::jaro_winkler("MARTHA", "MARHTA"));
    }

    /// Address-like text: labels, numbers, Roman numerals, separators and names.
    fn address_soup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            prop::sample::select(vec![
                "Jl.", "Jln", "Jalan", "Gg.", "Gang", "Lr.", "Komp.", "Perum", "Perumnas", "Blok", "Blk.",
                "Kav.", "No.", "Nomor", "KM", "RT", "RW", "RT/RW", "RTRW", "Dusun", "Dsn.", "Dukuh",
                "Lingk.", "Lk.", "Jorong", "Banjar", "Br.", "Dinas", "Kp.", "Kampung", "Kel.", "Desa", "Ds.",
                "Kec.", "Kab.", "Kota", "Prov.", "Nagari", "I", "V", "X", "II", "IV", "XII", "Melati",
                "Mawar", "A", "C", "Raya", "/", ",", ".", ":", "-", ";", "'", "ß", "ΐ", "001", "002", "05",
                "0", "000", "12A", "12-A", "52-53", "40153", "1234",
            ])
            .prop_map(str::to_owned),
            (0u16..1200).prop_map(|n| n.to_string()),
            "[a-zA-Z0-9./,:\\- ]{1,6}",
        ];
        prop::collection::vec((piece, prop::sample::select(vec!["", " ", " ", "."])), 0..14)
            .prop_map(|v| v.into_iter().map(|(p, sep)| p + sep).collect())
    }

    fn assert_fixed_point(raw: &str) {
        let p = parse_address(raw);
        let q = parse_address(&p.normalized);
        assert_eq!(q, p, "raw {raw:?}");
    }

    // The parser's own invariants get many cases; the rest fewer, to keep `cargo test` quick.
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn never_panics_any_text(s in "\\PC*") {
            let p = parse_address(&s);
            let _ = parse_rt_rw_cell(&s);
            let _ = normalize_place_name(&s);
            let parts = p.to_parts(Some(&s));
            let _ = compare_addresses(&parts, &AddressParts { village: Some(&s), ..parts });
        }

        #[test]
        fn never_panics_any_chars(s in any::<String>()) {
            let _ = parse_address(&s);
            let _ = parse_rt_rw_cell(&s);
        }

        #[test]
        fn normalized_is_a_fixed_point_any_text(s in "\\PC{0,40}") {
            assert_fixed_point(&s);
        }

        #[test]
        fn normalized_is_a_fixed_point_address_soup(s in address_soup()) {
            assert_fixed_point(&s);
        }

    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn rt_rw_values_in_range(s in address_soup()) {
            let p = parse_address(&s);
            prop_assert!(p.rt.is_none_or(|v| (1..=999).contains(&v)));
            prop_assert!(p.rw.is_none_or(|v| (1..=999).contains(&v)));
        }

        /// The pipeline's shortcut for two records with one village and district key.
        #[test]
        fn within_village_equals_the_full_comparison(
            village in "[A-Z|.]{1,8}|32\\.73\\.01\\.100[0-9]",
            district in "[A-Z|]{0,6}",
            rts in (proptest::option::of(0u16..4), proptest::option::of(0u16..4)),
            rws in (proptest::option::of(0u16..4), proptest::option::of(0u16..4)),
            streets in ("(JALAN )?[A-C]{0,4}", "(JALAN )?[A-C]{0,4}"),
            numbers in ("[0-9]{0,2}", "[0-9]{0,2}"),
        ) {
            let part = |rt, rw, street, number| AddressParts {
                village: Some(village.as_str()),
                district: Some(district.as_str()).filter(|d| !d.is_empty()),
                rt,
                rw,
                street: Some(street).filter(|s: &&str| !s.is_empty()),
                number: Some(number).filter(|s: &&str| !s.is_empty()),
            };
            let a = part(rts.0, rws.0, streets.0.as_str(), numbers.0.as_str());
            let b = part(rts.1, rws.1, streets.1.as_str(), numbers.1.as_str());
            prop_assume!(names_a_place(&village));
            prop_assert_eq!(compare_within_village(&a, &b), compare_addresses(&a, &b));
        }

        #[test]
        fn jaro_winkler_matches_strsim(a in "[A-D ]{0,12}", b in "[A-D ]{0,12}") {
            let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            prop_assert_eq!(jaro_winkler_chars(&ca, &cb), strsim::jaro_winkler(&a, &b));
        }

        #[test]
        fn jaro_winkler_matches_strsim_unicode(a in "\\PC{0,20}", b in "\\PC{0,20}") {
            let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            prop_assert_eq!(jaro_winkler_chars(&ca, &cb), strsim::jaro_winkler(&a, &b));
        }

        #[test]
        fn place_names_normalize_idempotently(s in "\\PC{0,30}") {
            let n = normalize_place_name(&s);
            prop_assert_eq!(normalize_place_name(&n), n.clone());
            prop_assert!(n.is_empty() || place_eq(&s, &n));
        }

        #[test]
        fn rt_rw_cell_round_trip(v in 1u16..=999, pad in 0usize..3, label in prop::sample::select(vec!["", "RT ", "RW.", "rt:"])) {
            let cell = format!("{label}{v:0width$}", width = pad + v.to_string().len());
            prop_assert_eq!(parse_rt_rw_cell(&cell), Some(v));
        }
    }
}
