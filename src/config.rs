//! Run configuration: column mapping, blocking rules, thresholds, training settings.
//!
//! The same TOML file drives the CLI (`--config`), the Rust API and Python (`config=` as a
//! path or a dict). Every field has a default, so an empty file is a valid configuration.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{ConfigIssue, Error, Result};

/// A logical record field that padan understands.
///
/// ```
/// use padan::config::Field;
/// assert_eq!(Field::Nik.name(), "nik");
/// assert_eq!(Field::ALL.len(), 17);
/// assert_eq!(Field::MotherName.name(), "mother_name");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Record identifier (required).
    Id,
    /// 16-digit national identity number.
    Nik,
    /// 16-digit family-card number.
    Kk,
    /// Full name.
    Name,
    /// Sex (1/L male, 2/P female).
    Sex,
    /// Place of birth.
    BirthPlace,
    /// Date of birth.
    BirthDate,
    /// Relationship to the head of household (code 1-8).
    Relation,
    /// Free-text street address.
    Address,
    /// Rukun Tetangga number.
    Rt,
    /// Rukun Warga number.
    Rw,
    /// Desa / kelurahan.
    Village,
    /// Kecamatan.
    District,
    /// Kabupaten / kota.
    Regency,
    /// Provinsi.
    Province,
    /// Aid programmes received.
    Programs,
    /// Birth mother's name (DTKS `nama ibu kandung`).
    MotherName,
}

impl Field {
    /// Every field, in canonical order.
    pub const ALL: [Field; 17] = [
        Field::Id,
        Field::Nik,
        Field::Kk,
        Field::Name,
        Field::Sex,
        Field::BirthPlace,
        Field::BirthDate,
        Field::Relation,
        Field::Address,
        Field::Rt,
        Field::Rw,
        Field::Village,
        Field::District,
        Field::Regency,
        Field::Province,
        Field::Programs,
        Field::MotherName,
    ];

    /// The logical name used in configs and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Nik => "nik",
            Field::Kk => "kk",
            Field::Name => "name",
            Field::Sex => "sex",
            Field::BirthPlace => "birth_place",
            Field::BirthDate => "birth_date",
            Field::Relation => "relation",
            Field::Address => "address",
            Field::Rt => "rt",
            Field::Rw => "rw",
            Field::Village => "village",
            Field::District => "district",
            Field::Regency => "regency",
            Field::Province => "province",
            Field::Programs => "programs",
            Field::MotherName => "mother_name",
        }
    }

    /// Position in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Maps logical fields to source column names. Defaults are the DTKS export names.
///
/// ```
/// let m = padan::config::ColumnMapping::default();
/// assert_eq!(m.column(padan::config::Field::Kk), "no_kk");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ColumnMapping {
    /// Record id column.
    pub id: String,
    /// NIK column.
    pub nik: String,
    /// KK number column.
    pub kk: String,
    /// Name column.
    pub name: String,
    /// Sex column.
    pub sex: String,
    /// Place-of-birth column.
    pub birth_place: String,
    /// Birth-date column.
    pub birth_date: String,
    /// Relationship-to-head column.
    pub relation: String,
    /// Street-address column.
    pub address: String,
    /// RT column.
    pub rt: String,
    /// RW column.
    pub rw: String,
    /// Village column.
    pub village: String,
    /// District column.
    pub district: String,
    /// Regency column.
    pub regency: String,
    /// Province column.
    pub province: String,
    /// Programme column.
    pub programs: String,
    /// Birth mother's name column (optional, like every field but the id).
    pub mother_name: String,
}

impl Default for ColumnMapping {
    fn default() -> Self {
        Self {
            id: "id_dtks".into(),
            nik: "nik".into(),
            kk: "no_kk".into(),
            name: "nama".into(),
            sex: "jenis_kelamin".into(),
            birth_place: "tempat_lahir".into(),
            birth_date: "tanggal_lahir".into(),
            relation: "hubungan_keluarga".into(),
            address: "alamat".into(),
            rt: "rt".into(),
            rw: "rw".into(),
            village: "kelurahan".into(),
            district: "kecamatan".into(),
            regency: "kabupaten_kota".into(),
            province: "provinsi".into(),
            programs: "program".into(),
            mother_name: "nama_ibu_kandung".into(),
        }
    }
}

impl ColumnMapping {
    /// The source column for a logical field.
    pub fn column(&self, field: Field) -> &str {
        match field {
            Field::Id => &self.id,
            Field::Nik => &self.nik,
            Field::Kk => &self.kk,
            Field::Name => &self.name,
            Field::Sex => &self.sex,
            Field::BirthPlace => &self.birth_place,
            Field::BirthDate => &self.birth_date,
            Field::Relation => &self.relation,
            Field::Address => &self.address,
            Field::Rt => &self.rt,
            Field::Rw => &self.rw,
            Field::Village => &self.village,
            Field::District => &self.district,
            Field::Regency => &self.regency,
            Field::Province => &self.province,
            Field::Programs => &self.programs,
            Field::MotherName => &self.mother_name,
        }
    }
}

/// A component of a blocking key, computed once per prepared record.
///
/// ```
/// use padan::config::BlockingKey;
/// let k: BlockingKey = serde_json::from_str("\"nik_prefix12\"").unwrap();
/// assert_eq!(k, BlockingKey::NikPrefix12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockingKey {
    /// The whole (valid-format) NIK.
    Nik,
    /// First 12 NIK digits: region and encoded birth date.
    NikPrefix12,
    /// The KK number.
    Kk,
    /// The phonetic name key.
    NameKey,
    /// The exact birth date.
    BirthDate,
    /// The birth year.
    BirthYear,
    /// The village inside its district / regency / province.
    Village,
    /// RT + RW + village.
    RtRwVillage,
    /// The district inside its regency / province.
    District,
    /// Sex.
    Sex,
    /// The NIK up to one typo: records whose NIKs differ in one digit, anywhere, or by two
    /// adjacent digits swapped (each NIK is keyed 16 times, once with each digit deleted).
    ///
    /// Alone it is no rule for a registry: people of one district born on dates a digit apart
    /// (02 / 12 / 22 Aug) with the first serial of their batch have NIKs one digit apart, tens
    /// of neighbours per person. Combine it with a key a stranger rarely shares, such as the
    /// birth date or the name key.
    NikOneEdit,
}

/// One blocking rule: records that agree on every key become candidate pairs.
///
/// ```
/// use padan::config::{BlockingKey, BlockingRule};
/// let rule = BlockingRule::new("nik", &[BlockingKey::Nik]);
/// assert_eq!(rule.keys, vec![BlockingKey::Nik]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingRule {
    /// Name shown in outputs and the summary.
    pub name: String,
    /// Keys that must all agree (and be non-null).
    pub keys: Vec<BlockingKey>,
    /// Whether the rule's pairs train m in an EM session of their own (the default). A rule
    /// added to reach rare copies (a NIK typo, a copy in its own KK) proposes pairs that are
    /// mostly strangers or family members: its pairs are scored, but EM over them alone would
    /// learn what those look like, not what a copy looks like.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub em_session: bool,
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

impl BlockingRule {
    /// A rule named `name` over `keys`, with an EM session of its own.
    pub fn new(name: &str, keys: &[BlockingKey]) -> Self {
        Self { name: name.to_string(), keys: keys.to_vec(), em_session: true }
    }

    /// The same rule without an EM session: its pairs are scored, not trained on.
    ///
    /// ```
    /// use padan::config::{BlockingKey, BlockingRule};
    /// let rule = BlockingRule::new("name_kk", &[BlockingKey::NameKey, BlockingKey::Kk]).without_em_session();
    /// assert!(!rule.em_session);
    /// ```
    pub fn without_em_session(self) -> Self {
        Self { em_session: false, ..self }
    }
}

/// The default rules: exact NIK; name key + birth date; birth date + village; first 12 NIK
/// digits; the NIK up to one typo anywhere with the birth date, and with the name key (a person
/// registered again elsewhere with a mistyped NIK shares neither the address nor, often, both
/// the spelling and the date); name key + KK (a copy in its own household with no NIK and a
/// clerical birth-date error shares neither the NIK nor the date).
pub fn default_blocking_rules() -> Vec<BlockingRule> {
    vec![
        BlockingRule::new("nik", &[BlockingKey::Nik]),
        BlockingRule::new("name_birth_date", &[BlockingKey::NameKey, BlockingKey::BirthDate]),
        BlockingRule::new("birth_date_village", &[BlockingKey::BirthDate, BlockingKey::Village]),
        BlockingRule::new("nik_prefix12", &[BlockingKey::NikPrefix12]),
        BlockingRule::new("nik_one_edit_birth_date", &[BlockingKey::NikOneEdit, BlockingKey::BirthDate])
            .without_em_session(),
        BlockingRule::new("nik_one_edit_name", &[BlockingKey::NikOneEdit, BlockingKey::NameKey])
            .without_em_session(),
        BlockingRule::new("name_kk", &[BlockingKey::NameKey, BlockingKey::Kk]).without_em_session(),
    ]
}

/// Settings for estimating the model from the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainingConfig {
    /// Seed for every random choice (u sampling).
    pub seed: u64,
    /// Number of random record pairs sampled to estimate u.
    pub u_sample_pairs: usize,
    /// Prior probability that two random records match; estimated from the data when absent.
    pub prior: Option<f64>,
    /// m or u set by hand for some levels; training leaves them as given.
    pub fixed: Vec<FixedLevel>,
    /// Share of true matches that the `prior` deterministic rules are assumed to find, when they
    /// estimate the prior (see [`crate::rules`]).
    pub rule_recall: f64,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        Self { seed: 42, u_sample_pairs: 500_000, prior: None, fixed: Vec::new(), rule_recall: 0.9 }
    }
}

/// A level whose m and/or u is set by the user instead of estimated.
///
/// ```
/// let cfg = padan::Config::from_toml_str(
///     "[[training.fixed]]\ncomparison = \"name\"\nlevel = \"nickname\"\nm = 0.01\n",
/// ).unwrap();
/// assert_eq!(cfg.training.fixed[0].m, Some(0.01));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedLevel {
    /// The comparison (`nik`, `name`, `birth_date`, `address`, `sex`, `mother_name`).
    pub comparison: crate::compare::ComparisonKind,
    /// The level label, as in the model file (e.g. `one_substitution`).
    pub level: String,
    /// P(level | match), when set.
    pub m: Option<f64>,
    /// P(level | non-match), when set.
    pub u: Option<f64>,
}

/// Comments `padan config` prints above top-level keys (key, comment lines).
const KEY_COMMENTS: &[(&str, &str)] = &[(
    "clusters_only",
    "Person-level deduplication only: scored pairs and clusters, no flags, households or\n\
     review list (faster; what Splink, dedupe and Zingg produce). `padan dedupe --clusters-only`\n\
     sets it for one run.",
)];

/// The full run configuration.
///
/// ```
/// let cfg = padan::Config::from_toml_str("match_threshold = 0.8\n[columns]\nid = \"row_id\"\n").unwrap();
/// assert_eq!(cfg.columns.id, "row_id");
/// assert_eq!(cfg.columns.nik, "nik");
/// assert_eq!(cfg.match_threshold, 0.8);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Logical field → source column.
    pub columns: ColumnMapping,
    /// Blocking rules, applied in order; a pair is tagged with the first rule that finds it.
    pub blocking: Vec<BlockingRule>,
    /// Blocks larger than this are skipped (and named in the summary).
    pub max_block_size: usize,
    /// Jaro-Winkler thresholds for the name comparison, highest first.
    pub name_thresholds: Vec<f64>,
    /// Pairs at or above this match probability are linked into clusters.
    pub match_threshold: f64,
    /// Pairs below this match probability are left out of the pairs output (they are still counted).
    pub pairs_min_probability: f64,
    /// Model training settings.
    pub training: TrainingConfig,
    /// Worker threads; absent or 0 means `PADAN_NUM_THREADS` or all cores.
    pub threads: Option<usize>,
    /// Apply the Indonesian identity rules (names, NIK structure, addresses); `false` gives
    /// generic normalisation and comparisons.
    pub indonesian_rules: bool,
    /// Adjust exact name and village agreements by how common the value is (per province).
    pub term_frequency_adjustments: bool,
    /// How common an agreeing name is: `tokens` (the default) also counts the name's tokens, so
    /// that a name made of common tokens (MUHAMMAD RIZKI) weighs less than a rare one even when
    /// both occur once; `whole` counts the whole normalised name only (see [`crate::tf`]).
    pub name_term_frequency: crate::tf::NameTermFrequency,
    /// Pairs at or above this match probability but below `match_threshold` are marked for
    /// human review.
    pub review_threshold: f64,
    /// When set, a link below this probability may not join two clusters that already have two
    /// or more records each, so that one weak link does not chain two people into one cluster.
    pub strong_link_threshold: Option<f64>,
    /// Deterministic rules on comparison levels: in mode `prior` they estimate the prior, in
    /// mode `link` the pairs they meet are matches whatever their score (see [`crate::rules`]).
    /// None by default.
    pub deterministic_rules: Vec<crate::rules::DeterministicRule>,
    /// Settings of the flags (reference date for ages, age and generation limits).
    pub flags: crate::flags::FlagsConfig,
    /// Settings of the household linkage (duplicate and review thresholds on the household
    /// score).
    pub households: crate::households::HouseholdsConfig,
    /// Send a pair to review, whatever its score, when both records carry a NIK, the NIKs differ
    /// beyond any typo or twin pattern, and the name, the birth date and the mother's name agree:
    /// possibly two NIKs for one person (a second NIK after a move), or two namesakes born on a
    /// placeholder date to mothers with a common name. Either way a person decides; such a pair is
    /// never linked automatically.
    pub review_possible_second_nik: bool,
    /// Person-level deduplication only (`padan dedupe --clusters-only`): the run stops after
    /// scoring and clustering, as Splink, dedupe or Zingg do, and skips the flags, the
    /// household linkage and the review list (their settings, `[flags]` and `[households]`,
    /// are then unused). The pairs and clusters are the same as in a full run; the summary
    /// says the layers were skipped (`flags` and `households` are `null`), and asking for a
    /// skipped table is an error. A run against a reference registry needs the flags, so it
    /// refuses this setting. Used by `padan dedupe` only.
    pub clusters_only: bool,
    /// The reference registry (civil-registry extract) a run is checked against for stale
    /// entries: its column names and the probability of a confident match (see
    /// [`crate::registry`]).
    pub registry: crate::registry::RegistryConfig,
    /// Settings of the comparison of two snapshots (the earlier table's entity-id column, the
    /// prefix of new entity ids; see [`crate::snapshot`]).
    pub snapshot: crate::snapshot::SnapshotConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            columns: ColumnMapping::default(),
            blocking: default_blocking_rules(),
            max_block_size: 500,
            name_thresholds: vec![0.95, 0.88],
            match_threshold: 0.9,
            pairs_min_probability: 0.01,
            training: TrainingConfig::default(),
            threads: None,
            indonesian_rules: true,
            term_frequency_adjustments: true,
            name_term_frequency: crate::tf::NameTermFrequency::Tokens,
            review_threshold: 0.5,
            strong_link_threshold: None,
            deterministic_rules: Vec::new(),
            flags: crate::flags::FlagsConfig::default(),
            households: crate::households::HouseholdsConfig::default(),
            review_possible_second_nik: true,
            clusters_only: false,
            registry: crate::registry::RegistryConfig::default(),
            snapshot: crate::snapshot::SnapshotConfig::default(),
        }
    }
}

impl Config {
    /// Parse a TOML string and validate it.
    pub fn from_toml_str(text: &str) -> Result<Self> {
        let cfg: Config = toml::from_str(text)
            .map_err(|e| Error::InvalidConfig(vec![ConfigIssue::new("<toml>", e.to_string())]))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Read and validate a TOML file.
    pub fn from_path(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_toml_str(&text)
    }

    /// The configuration as TOML (what `padan config` prints), with a comment above the
    /// top-level keys whose effect is not obvious from their name.
    ///
    /// ```
    /// let text = padan::Config::default().to_toml_string();
    /// assert!(text.contains("# Person-level deduplication only"));
    /// assert!(text.contains("\nclusters_only = false\n"));
    /// assert_eq!(padan::Config::from_toml_str(&text)?, padan::Config::default());
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn to_toml_string(&self) -> String {
        // Serialising our own plain structs cannot fail.
        let text = toml::to_string_pretty(self).unwrap_or_default();
        let mut out = String::with_capacity(text.len() + 256);
        let mut top_level = true;
        for line in text.lines() {
            top_level &= !line.starts_with('[');
            if top_level
                && let Some((_, comment)) =
                    KEY_COMMENTS.iter().find(|(key, _)| line.split(" = ").next() == Some(*key))
            {
                for part in comment.lines() {
                    out.push_str("# ");
                    out.push_str(part);
                    out.push('\n');
                }
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// Check every setting and report all problems at once.
    pub fn validate(&self) -> Result<()> {
        let mut issues = Vec::new();
        if self.columns.id.trim().is_empty() {
            issues.push(ConfigIssue::new("columns.id", "the id column name is empty"));
        }
        if self.blocking.is_empty() {
            issues.push(ConfigIssue::new("blocking", "at least one blocking rule is needed"));
        }
        if self.blocking.len() > 255 {
            issues.push(ConfigIssue::new("blocking", "at most 255 blocking rules"));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, rule) in self.blocking.iter().enumerate() {
            if rule.keys.is_empty() {
                issues.push(ConfigIssue::new(format!("blocking[{i}].keys"), "a rule needs at least one key"));
            }
            if !seen.insert(rule.name.as_str()) {
                issues.push(ConfigIssue::new(
                    format!("blocking[{i}].name"),
                    format!("duplicate rule name `{}`", rule.name),
                ));
            }
        }
        if self.max_block_size < 2 {
            issues.push(ConfigIssue::new("max_block_size", "must be at least 2"));
        }
        if self.name_thresholds.is_empty()
            || self.name_thresholds.iter().any(|t| !(0.0..=1.0).contains(t))
            || self.name_thresholds.windows(2).any(|w| w[0] <= w[1])
        {
            issues.push(ConfigIssue::new(
                "name_thresholds",
                "need one or more values in [0, 1], strictly decreasing",
            ));
        }
        for (path, value) in [
            ("match_threshold", self.match_threshold),
            ("review_threshold", self.review_threshold),
            ("pairs_min_probability", self.pairs_min_probability),
        ] {
            if !(0.0..=1.0).contains(&value) {
                issues.push(ConfigIssue::new(path, "must be a probability in [0, 1]"));
            }
        }
        if let Some(strong) = self.strong_link_threshold
            && !(self.match_threshold..=1.0).contains(&strong)
        {
            issues.push(ConfigIssue::new("strong_link_threshold", "must be in [match_threshold, 1]"));
        }
        if self.review_threshold > self.match_threshold {
            issues.push(ConfigIssue::new("review_threshold", "must not exceed match_threshold"));
        }
        if let Some(p) = self.training.prior
            && !(p > 0.0 && p < 1.0)
        {
            issues.push(ConfigIssue::new("training.prior", "must be in (0, 1)"));
        }
        let comparisons = crate::compare::Comparisons::person(&self.name_thresholds, self.indonesian_rules);
        for (k, fixed) in self.training.fixed.iter().enumerate() {
            let path = format!("training.fixed[{k}]");
            if !comparisons.level_labels(fixed.comparison)[1..].contains(&fixed.level) {
                issues.push(ConfigIssue::new(
                    &path,
                    format!(
                        "{} has no level `{}`; its levels are {:?}",
                        fixed.comparison.name(),
                        fixed.level,
                        &comparisons.level_labels(fixed.comparison)[1..]
                    ),
                ));
            }
            if fixed.m.is_none() && fixed.u.is_none() {
                issues.push(ConfigIssue::new(&path, "set m, u or both"));
            }
            if [fixed.m, fixed.u].iter().flatten().any(|p| !(*p > 0.0 && *p < 1.0)) {
                issues.push(ConfigIssue::new(&path, "m and u must be in (0, 1)"));
            }
        }
        issues.extend(crate::rules::validate(&self.deterministic_rules, &comparisons));
        if !(self.training.rule_recall > 0.0 && self.training.rule_recall <= 1.0) {
            issues.push(ConfigIssue::new("training.rule_recall", "must be in (0, 1]"));
        }
        for (path, message) in self.registry.issues(&comparisons) {
            issues.push(ConfigIssue::new(path, message));
        }
        for (path, message) in
            self.flags.issues().into_iter().chain(self.households.issues()).chain(self.snapshot.issues())
        {
            issues.push(ConfigIssue::new(path, message));
        }
        if self.training.u_sample_pairs == 0 {
            issues.push(ConfigIssue::new("training.u_sample_pairs", "must be positive"));
        }
        if issues.is_empty() { Ok(()) } else { Err(Error::InvalidConfig(issues)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_toml_gives_dtks_defaults() {
        let cfg = Config::from_toml_str("").unwrap();
        assert_eq!(cfg, Config::default());
        assert_eq!(cfg.columns.name, "nama");
        assert_eq!(cfg.blocking.len(), 7);
        // The rules added for rare copies are scored, not trained on.
        let trained: Vec<&str> =
            cfg.blocking.iter().filter(|r| r.em_session).map(|r| r.name.as_str()).collect();
        assert_eq!(trained, ["nik", "name_birth_date", "birth_date_village", "nik_prefix12"]);
    }

    #[test]
    fn generic_rules_are_a_valid_configuration() {
        // The registry's default rule names Indonesian levels; a generic run must get its
        // generic form, not an invalid configuration.
        let cfg = Config::from_toml_str("indonesian_rules = false\n").unwrap();
        assert!(!cfg.indonesian_rules);
        let custom = "indonesian_rules = false\n[[registry.rules]]\nname = \"r\"\nmode = \"link\"\nlevels = { nik = [\"twin_pattern\"] }\n";
        let err = Config::from_toml_str(custom).unwrap_err().to_string();
        assert!(err.contains("twin_pattern"), "{err}");
    }

    #[test]
    fn round_trips_through_toml() {
        let mut cfg = Config { max_block_size: 77, ..Config::default() };
        cfg.blocking.push(BlockingRule::new("kk", &[BlockingKey::Kk]));
        let back = Config::from_toml_str(&cfg.to_toml_string()).unwrap();
        assert_eq!(back, cfg);
    }

    #[test]
    fn reports_every_problem_at_once() {
        let text = "max_block_size = 1\nmatch_threshold = 2.0\nname_thresholds = [0.8, 0.9]\n\
                    [[blocking]]\nname = \"a\"\nkeys = []\n[[blocking]]\nname = \"a\"\nkeys = [\"nik\"]\n";
        let Err(Error::InvalidConfig(issues)) = Config::from_toml_str(text) else {
            panic!("expected InvalidConfig");
        };
        let paths: Vec<_> = issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            ["blocking[0].keys", "blocking[1].name", "max_block_size", "name_thresholds", "match_threshold"]
        );
    }

    #[test]
    fn clusters_only_is_off_by_default_and_must_be_a_boolean() {
        assert!(!Config::default().clusters_only);
        assert!(Config::from_toml_str("clusters_only = true\n").unwrap().clusters_only);
        for bad in ["clusters_only = \"yes\"\n", "clusters_only = 1\n"] {
            let err = Config::from_toml_str(bad).unwrap_err().to_string();
            assert!(err.contains("clusters_only") && err.contains("expected a boolean"), "{err}");
        }
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = Config::from_toml_str("treshold = 0.5").unwrap_err();
        assert!(err.to_string().contains("treshold"), "{err}");
        let err = Config::from_toml_str("[[blocking]]\nname=\"x\"\nkeys=[\"shoe_size\"]").unwrap_err();
        assert!(err.to_string().contains("shoe_size"), "{err}");
    }
}
