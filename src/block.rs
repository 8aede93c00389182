//! Block: candidate pairs from several blocking rules in one run.
//!
//! Each rule hashes its key components once per record; records are sorted by (key, row) and
//! every block yields its pairs `i < j`. A pair found by rule `k` is kept only when no earlier
//! rule would have produced it (same non-null key there, in a block that was not capped), so
//! every pair is emitted once and tagged with the first rule that finds it, with no global
//! hash set. Blocks larger than `max_block_size` are skipped and reported.
//!
//! Design notes: keys are 64-bit FxHash values of the components. A hash collision can only add
//! a candidate pair (which is then scored like any other), never lose one. Final pairs are sorted
//! by `(i, j)`, so output order depends on neither the hash nor the thread count.

use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use rustc_hash::{FxHashSet, FxHasher};
use serde::Serialize;

use crate::config::{BlockingKey, BlockingRule};
use crate::indo::nik;
use crate::prepare::Prepared;

/// Candidate pairs, sorted by `(left, right)` with `left < right`.
#[derive(Debug, Clone, Default)]
pub struct CandidatePairs {
    /// Left record index of each pair.
    pub left: Vec<u32>,
    /// Right record index of each pair.
    pub right: Vec<u32>,
    /// Index of the first blocking rule that produced each pair.
    pub rule: Vec<u8>,
    /// Every rule (of the first 64) that covers each pair, as a bit set: bit `r` is rule `r`.
    /// Training uses it to run one session per rule over all the pairs that rule covers.
    pub rule_mask: Vec<u64>,
    /// Statistics per rule, in rule order.
    pub rules: Vec<RuleStats>,
}

impl CandidatePairs {
    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.left.len()
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.left.is_empty()
    }
}

/// What one blocking rule did.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RuleStats {
    /// Rule name.
    pub name: String,
    /// Pairs this rule emitted that no earlier rule had.
    pub pairs: u64,
    /// Pairs inside this rule's (uncapped) blocks, before removing those of earlier rules.
    pub pairs_before_dedup: u64,
    /// Records that had a non-null key for this rule.
    pub records_with_key: u64,
    /// Blocks skipped because they exceeded the cap.
    pub capped_blocks: Vec<CappedBlock>,
}

/// A block that was too large to compare.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CappedBlock {
    /// Records in the block.
    pub size: u64,
    /// Description of the key, with identifiers masked.
    pub key: String,
}

/// Null key marker; real hashes are remapped away from it.
const NO_KEY: u64 = 0;

fn hash_components(prepared: &Prepared, row: usize, keys: &[BlockingKey]) -> u64 {
    let mut hasher = FxHasher::default();
    for key in keys {
        // Each arm hashes the component and says whether it was present.
        let present = match key {
            BlockingKey::Nik => hash_some(&mut hasher, prepared.nik[row].as_ref()),
            BlockingKey::NikPrefix12 => hash_some(&mut hasher, prepared.nik[row].as_ref().map(|d| &d[..12])),
            BlockingKey::Kk => hash_some(&mut hasher, prepared.kk[row].as_ref()),
            BlockingKey::NameKey => {
                // Equal codes mean equal keys; code 0 is the empty key.
                let code = prepared.name_key.code(row);
                hash_some(&mut hasher, (code != 0).then_some(&code))
            }
            BlockingKey::BirthDate => hash_some(&mut hasher, prepared.birth_date[row].as_ref()),
            BlockingKey::BirthYear => {
                hash_some(&mut hasher, prepared.birth_date[row].map(|d| d.year).as_ref())
            }
            BlockingKey::Village => hash_some(&mut hasher, nonzero(prepared.village[row]).as_ref()),
            BlockingKey::RtRwVillage => {
                let village = nonzero(prepared.village[row]);
                let key = match (prepared.rt[row], prepared.rw[row], village) {
                    (Some(rt), Some(rw), Some(v)) => Some((rt, rw, v)),
                    _ => None,
                };
                hash_some(&mut hasher, key.as_ref())
            }
            BlockingKey::District => hash_some(&mut hasher, nonzero(prepared.district[row]).as_ref()),
            BlockingKey::Sex => hash_some(&mut hasher, nonzero(u32::from(prepared.sex[row])).as_ref()),
            // A rule with this key reads the prepared NIK typo pairs; only its other keys are
            // hashed, so this arm is never reached.
            BlockingKey::NikOneEdit => hash_some(&mut hasher, prepared.nik[row].as_ref()),
        };
        if !present {
            return NO_KEY;
        }
        // Separate components so that ("AB", "C") and ("A", "BC") differ.
        hasher.write_u8(0xff);
    }
    match hasher.finish() {
        NO_KEY => 1,
        h => h,
    }
}

fn hash_some<T: Hash + ?Sized>(hasher: &mut FxHasher, value: Option<&T>) -> bool {
    match value {
        Some(v) => {
            v.hash(hasher);
            true
        }
        None => false,
    }
}

fn nonzero(id: u32) -> Option<u32> {
    (id != 0).then_some(id)
}

/// A readable, masked description of one record's key for a rule (for capped-block reports).
fn describe_key(prepared: &Prepared, row: usize, keys: &[BlockingKey]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|key| match key {
            BlockingKey::Nik => format!("nik={}", mask_digits(&prepared.nik[row].unwrap_or([b'0'; 16]))),
            BlockingKey::NikPrefix12 => {
                let digits = prepared.nik[row].unwrap_or([b'0'; 16]);
                format!("nik_prefix12={}****", String::from_utf8_lossy(&digits[..4]))
            }
            BlockingKey::Kk => format!("kk={}", mask_digits(&prepared.kk[row].unwrap_or([b'0'; 16]))),
            BlockingKey::NameKey => format!("name_key={}", &prepared.name_key[row]),
            BlockingKey::BirthDate => {
                format!("birth_date={}", prepared.birth_date[row].map(|d| d.to_string()).unwrap_or_default())
            }
            BlockingKey::BirthYear => {
                format!("birth_year={}", prepared.birth_date[row].map(|d| d.year).unwrap_or_default())
            }
            BlockingKey::Village => format!("village#{}", prepared.village[row]),
            BlockingKey::RtRwVillage => format!(
                "rt={} rw={} village#{}",
                prepared.rt[row].unwrap_or_default(),
                prepared.rw[row].unwrap_or_default(),
                prepared.village[row]
            ),
            BlockingKey::District => format!("district#{}", prepared.district[row]),
            BlockingKey::Sex => format!("sex={}", prepared.sex[row]),
            BlockingKey::NikOneEdit => {
                let digits = prepared.nik[row].unwrap_or([b'0'; 16]);
                format!("nik_one_edit={}************", String::from_utf8_lossy(&digits[..4]))
            }
        })
        .collect();
    parts.join(", ")
}

/// Mask a 16-digit identifier for display: first 4 and last 4 digits shown.
///
/// ```
/// assert_eq!(padan::block::mask_digits(b"3273015208850002"), "3273 **** **** 0002");
/// ```
pub fn mask_digits(digits: &[u8]) -> String {
    if digits.len() < 8 {
        return "*".repeat(digits.len());
    }
    let head = String::from_utf8_lossy(&digits[..4]);
    let tail = String::from_utf8_lossy(&digits[digits.len() - 4..]);
    format!("{head} **** **** {tail}")
}

/// What an earlier rule remembers to tell whether it produced a pair.
enum RuleKeys {
    /// One key per record: a pair is covered when both keys are equal and the block not capped.
    Single { keys: Vec<u64>, capped: FxHashSet<u64> },
    /// [`BlockingKey::NikOneEdit`]: a pair is covered when its NIKs are one typo apart and the
    /// rule's other keys (`others`, one hash per record) agree.
    NikOneEdit { others: Vec<u64> },
}

impl RuleKeys {
    /// Whether this rule put rows `i` and `j` in one compared block.
    fn covers(&self, prepared: &Prepared, i: usize, j: usize) -> bool {
        match self {
            RuleKeys::Single { keys, capped } => {
                let k = keys[i];
                k != NO_KEY && k == keys[j] && !capped.contains(&k)
            }
            RuleKeys::NikOneEdit { others } => match (&prepared.nik[i], &prepared.nik[j]) {
                (Some(a), Some(b)) => {
                    others[i] != NO_KEY && others[i] == others[j] && nik::typo_apart(a, b).is_some()
                }
                _ => false,
            },
        }
    }
}

/// Generate candidate pairs for all rules.
///
/// ```
/// # use std::sync::Arc;
/// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// use padan::config::default_blocking_rules;
/// let batch = RecordBatch::try_from_iter([
///     ("id_dtks", Arc::new(StringArray::from(vec!["a", "b", "c"])) as ArrayRef),
///     ("nik", Arc::new(StringArray::from(vec!["3273015208850002", "3273015208850002", "3273015208850003"])) as ArrayRef),
/// ]).unwrap();
/// let raw = padan::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
/// let prepared = padan::prepare::prepare(&raw, true);
/// let pairs = padan::block::block(&prepared, &default_blocking_rules(), 100);
/// // (a, b) by exact NIK; (a, c) and (b, c) by the 12-digit prefix only.
/// assert_eq!(pairs.left, [0, 0, 1]);
/// assert_eq!(pairs.right, [1, 2, 2]);
/// assert_eq!(pairs.rule, [0, 3, 3]);
/// // (a, b) also shares the 12-digit prefix: rules 0 and 3 cover it. The other two pairs are
/// // one digit apart with the birth date their NIKs give: rule 4 (`nik_one_edit_birth_date`).
/// assert_eq!(pairs.rule_mask, [0b1001, 0b11000, 0b11000]);
/// assert_eq!(pairs.rules[3].pairs_before_dedup, 3);
/// ```
pub fn block(prepared: &Prepared, rules: &[BlockingRule], max_block_size: usize) -> CandidatePairs {
    block_pairs(prepared, rules, max_block_size, None)
}

/// Candidate pairs between two datasets prepared together: rows `0..left_len` are the left
/// dataset, the rest the right one, and only left–right pairs are emitted (`left < left_len <=
/// right`). Blocks, caps, rule tags and masks work as in [`block`]; `pairs_before_dedup` counts
/// the left–right pairs of each block.
///
/// ```
/// # use std::sync::Arc;
/// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// use padan::config::default_blocking_rules;
/// let batch = RecordBatch::try_from_iter([
///     ("id_dtks", Arc::new(StringArray::from(vec!["l0", "l1", "r0"])) as ArrayRef),
///     ("nik", Arc::new(StringArray::from(vec!["3273015208850002", "3273015208850002", "3273015208850002"])) as ArrayRef),
/// ]).unwrap();
/// let raw = padan::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
/// let prepared = padan::prepare::prepare(&raw, true);
/// // Rows 0 and 1 are the left dataset: their own pair (0, 1) is not emitted.
/// let pairs = padan::block::block_between(&prepared, &default_blocking_rules(), 100, 2);
/// assert_eq!((pairs.left, pairs.right), (vec![0, 1], vec![2, 2]));
/// ```
pub fn block_between(
    prepared: &Prepared,
    rules: &[BlockingRule],
    max_block_size: usize,
    left_len: usize,
) -> CandidatePairs {
    block_pairs(prepared, rules, max_block_size, Some(left_len))
}

/// What blocking one rule gave: its pairs that no earlier rule covers (`i << 32 | j`), the
/// counts of its statistics, and what later rules need to tell which pairs it covered.
struct RuleOutcome {
    new_pairs: Vec<u64>,
    before: u64,
    records_with_key: u64,
    capped_blocks: Vec<CappedBlock>,
    keys: RuleKeys,
}

/// A rule of ordinary keys: records sorted by the hash of their keys, every block of two or
/// more (up to the cap) gives its pairs.
fn keyed_rule(
    prepared: &Prepared,
    rule: &BlockingRule,
    max_block_size: usize,
    split: Option<usize>,
    earlier: &[RuleKeys],
) -> RuleOutcome {
    let keys: Vec<u64> =
        (0..prepared.len).into_par_iter().map(|row| hash_components(prepared, row, &rule.keys)).collect();
    let mut order: Vec<(u64, u32)> =
        keys.iter().enumerate().filter(|(_, k)| **k != NO_KEY).map(|(row, k)| (*k, row as u32)).collect();
    order.par_sort_unstable();

    // Block boundaries [start, end) over the sorted keys.
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=order.len() {
        if i == order.len() || order[i].0 != order[start].0 {
            if i - start >= 2 {
                blocks.push((start, i));
            }
            start = i;
        }
    }
    let mut capped = FxHashSet::default();
    let mut capped_blocks = Vec::new();
    blocks.retain(|&(s, e)| {
        if e - s > max_block_size {
            capped.insert(order[s].0);
            capped_blocks.push(CappedBlock {
                size: (e - s) as u64,
                key: describe_key(prepared, order[s].1 as usize, &rule.keys),
            });
            false
        } else {
            true
        }
    });
    capped_blocks.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.key.cmp(&b.key)));
    // Members of a block are sorted by row, so its left rows come first.
    let left_members = |s: usize, e: usize| match split {
        Some(left_len) => order[s..e].partition_point(|(_, row)| (*row as usize) < left_len),
        None => e - s,
    };
    let block_pairs_count = |s: usize, e: usize| -> u64 {
        match split {
            Some(_) => {
                let left = left_members(s, e);
                (left * (e - s - left)) as u64
            }
            None => ((e - s) * (e - s - 1) / 2) as u64,
        }
    };
    let before: u64 = blocks.iter().map(|&(s, e)| block_pairs_count(s, e)).sum();

    let new_pairs: Vec<u64> = blocks
        .par_iter()
        .flat_map_iter(|&(s, e)| {
            let members = &order[s..e];
            // In a link, a left row pairs with the right rows only.
            let (firsts, seconds_from) = match split {
                Some(_) => {
                    let left = left_members(s, e);
                    (&members[..left], Some(left))
                }
                None => (members, None),
            };
            let mut out = Vec::new();
            for (a, &(_, i)) in firsts.iter().enumerate() {
                for &(_, j) in &members[seconds_from.unwrap_or(a + 1)..] {
                    let (i, j) = (i as usize, j as usize);
                    if !earlier.iter().any(|r| r.covers(prepared, i, j)) {
                        out.push(((i as u64) << 32) | j as u64);
                    }
                }
            }
            out
        })
        .collect();
    RuleOutcome {
        new_pairs,
        before,
        records_with_key: order.len() as u64,
        capped_blocks,
        keys: RuleKeys::Single { keys, capped },
    }
}

/// A rule with [`BlockingKey::NikOneEdit`]: the prepared records' NIK typo pairs
/// ([`Prepared::nik_typo_pairs`]) that agree on the rule's other keys.
fn nik_typo_rule(
    prepared: &Prepared,
    rule: &BlockingRule,
    split: Option<usize>,
    earlier: &[RuleKeys],
) -> RuleOutcome {
    let others: Vec<BlockingKey> =
        rule.keys.iter().copied().filter(|k| *k != BlockingKey::NikOneEdit).collect();
    let keys: Vec<u64> =
        (0..prepared.len).into_par_iter().map(|row| hash_components(prepared, row, &others)).collect();
    let candidates: Vec<u64> = prepared
        .nik_typo_pairs()
        .par_iter()
        .map(|&(i, j)| (i as usize, j as usize))
        // In a link, a left row pairs with the right rows only.
        .filter(|&(i, j)| {
            keys[i] != NO_KEY && keys[i] == keys[j] && split.is_none_or(|left| i < left && j >= left)
        })
        .map(|(i, j)| ((i as u64) << 32) | j as u64)
        .collect();
    let before = candidates.len() as u64;
    let new_pairs = candidates
        .into_par_iter()
        .filter(|p| {
            let (i, j) = ((p >> 32) as usize, (*p as u32) as usize);
            !earlier.iter().any(|r| r.covers(prepared, i, j))
        })
        .collect();
    RuleOutcome {
        new_pairs,
        before,
        records_with_key: (0..prepared.len)
            .filter(|row| keys[*row] != NO_KEY && prepared.nik[*row].is_some())
            .count() as u64,
        capped_blocks: Vec::new(),
        keys: RuleKeys::NikOneEdit { others: keys },
    }
}

/// [`block`] over every pair, or over left–right pairs only when `split` gives the left length.
fn block_pairs(
    prepared: &Prepared,
    rules: &[BlockingRule],
    max_block_size: usize,
    split: Option<usize>,
) -> CandidatePairs {
    let mut done: Vec<RuleKeys> = Vec::with_capacity(rules.len());
    let mut packed: Vec<(u64, u8)> = Vec::new();
    let mut stats = Vec::with_capacity(rules.len());

    for (rule_index, rule) in rules.iter().enumerate() {
        let outcome = if rule.keys.contains(&BlockingKey::NikOneEdit) {
            nik_typo_rule(prepared, rule, split, &done)
        } else {
            keyed_rule(prepared, rule, max_block_size, split, &done)
        };
        stats.push(RuleStats {
            name: rule.name.clone(),
            pairs: outcome.new_pairs.len() as u64,
            pairs_before_dedup: outcome.before,
            records_with_key: outcome.records_with_key,
            capped_blocks: outcome.capped_blocks,
        });
        // Rule indices fit in u8: the config allows at most 255 rules.
        packed.extend(outcome.new_pairs.into_iter().map(|p| (p, rule_index as u8)));
        done.push(outcome.keys);
    }

    packed.par_sort_unstable();
    let mut pairs = CandidatePairs {
        left: Vec::with_capacity(packed.len()),
        right: Vec::with_capacity(packed.len()),
        rule: Vec::with_capacity(packed.len()),
        rule_mask: Vec::new(),
        rules: stats,
    };
    for (p, r) in packed {
        pairs.left.push((p >> 32) as u32);
        pairs.right.push(p as u32);
        pairs.rule.push(r);
    }
    pairs.rule_mask = pairs
        .left
        .par_iter()
        .zip(&pairs.right)
        .map(|(&i, &j)| {
            done.iter()
                .take(64)
                .enumerate()
                .filter(|(_, keys)| keys.covers(prepared, i as usize, j as usize))
                .fold(0u64, |mask, (r, _)| mask | 1 << r)
        })
        .collect();
    pairs
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, RecordBatch, StringArray};

    use super::*;

    fn prepared(niks: &[&str], names: &[&str], dates: &[&str]) -> Prepared {
        let ids: Vec<String> = (0..niks.len()).map(|i| format!("r{i}")).collect();
        let batch = RecordBatch::try_from_iter([
            ("id_dtks", Arc::new(StringArray::from(ids)) as ArrayRef),
            ("nik", Arc::new(StringArray::from(niks.to_vec())) as ArrayRef),
            ("nama", Arc::new(StringArray::from(names.to_vec())) as ArrayRef),
            ("tanggal_lahir", Arc::new(StringArray::from(dates.to_vec())) as ArrayRef),
        ])
        .unwrap();
        let raw = crate::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
        crate::prepare::prepare(&raw, true)
    }

    #[test]
    fn one_edit_keys_pair_a_substitution_and_a_swap_anywhere_and_nothing_else() {
        let niks = [
            "3603022507830002", // r0
            "3603022508730002", // r1: digits 10 and 11 of r0 swapped
            "3603022507830009", // r2: r0 with the last digit replaced
            "3613022507830002", // r3: r0 with digit 3 replaced
            "3603022571830002", // r4: r0 with two digits changed, not a swap
        ];
        let p = prepared(&niks, &["TATANG"; 5], &["1983-07-25"; 5]);
        let rule = BlockingRule::new("nik_one_edit_name", &[BlockingKey::NikOneEdit, BlockingKey::NameKey]);
        let pairs = block(&p, &[rule], 100);
        let found: Vec<(u32, u32)> = pairs.left.iter().copied().zip(pairs.right.iter().copied()).collect();
        // r1, r2 and r3 are two typos from each other; r4 is two digits from everyone.
        assert_eq!(found, [(0, 1), (0, 2), (0, 3)]);
        assert_eq!(pairs.rules[0].pairs_before_dedup, 3, "each pair counted once, not per shared key");
    }

    #[test]
    fn one_edit_pairs_need_the_rule_s_other_keys_and_later_rules_see_them_covered() {
        let niks = ["3603022507830002", "3603022508730002", "3603022508730002"];
        let p = prepared(&niks, &["TATANG", "TATANG", "SUHENDAR"], &["1983-07-25"; 3]);
        let rules = [
            BlockingRule::new("nik_one_edit_name", &[BlockingKey::NikOneEdit, BlockingKey::NameKey]),
            BlockingRule::new("birth_date", &[BlockingKey::BirthDate]),
        ];
        let pairs = block(&p, &rules, 100);
        // (0, 1) by the first rule (same name); (0, 2) and (1, 2) only by the birth date.
        assert_eq!(pairs.left, [0, 0, 1]);
        assert_eq!(pairs.right, [1, 2, 2]);
        assert_eq!(pairs.rule, [0, 1, 1]);
        assert_eq!(pairs.rule_mask, [0b11, 0b10, 0b10]);
    }
}
