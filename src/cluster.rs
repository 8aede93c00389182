//! Cluster: connected components of the pairs at or above the match threshold.

/// Union-find with path halving and union by the smaller root index, so that the root of every
/// component is its lowest record index whatever the order of unions.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> Self {
        Self { parent: (0..n as u32).collect() }
    }

    /// Root of `x`.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Join the components of `a` and `b`.
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[high as usize] = low;
        }
    }
}

/// Cluster assignment for every record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clusters {
    /// Cluster id per record, dense from 0 in order of each cluster's first record.
    pub cluster_id: Vec<u64>,
    /// Size of the record's cluster.
    pub cluster_size: Vec<u32>,
}

impl Clusters {
    /// Number of clusters, singletons included.
    pub fn count(&self) -> usize {
        self.cluster_id.iter().max().map_or(0, |m| *m as usize + 1)
    }

    /// Number of clusters with two or more records.
    pub fn multi_record_clusters(&self) -> usize {
        let mut sizes = vec![0u32; self.count()];
        for id in &self.cluster_id {
            sizes[*id as usize] += 1;
        }
        sizes.iter().filter(|s| **s >= 2).count()
    }

    /// Records in clusters of two or more.
    pub fn records_in_multi_record_clusters(&self) -> usize {
        self.cluster_size.iter().filter(|s| **s >= 2).count()
    }
}

/// Link every pair whose `linked[k]` is true and number the components.
///
/// ```
/// let c = padan::cluster::cluster(4, &[0, 1], &[3, 2], &[true, false]);
/// assert_eq!(c.cluster_id, [0, 1, 2, 0]);
/// assert_eq!(c.cluster_size, [2, 1, 1, 2]);
/// ```
pub fn cluster(n: usize, left: &[u32], right: &[u32], linked: &[bool]) -> Clusters {
    let mut uf = UnionFind::new(n);
    for ((a, b), keep) in left.iter().zip(right).zip(linked) {
        if *keep {
            uf.union(*a, *b);
        }
    }
    let mut dense = vec![u64::MAX; n];
    let mut next = 0u64;
    let mut cluster_id = Vec::with_capacity(n);
    for x in 0..n as u32 {
        let root = uf.find(x) as usize;
        if dense[root] == u64::MAX {
            dense[root] = next;
            next += 1;
        }
        cluster_id.push(dense[root]);
    }
    let mut sizes = vec![0u32; next as usize];
    for id in &cluster_id {
        sizes[*id as usize] += 1;
    }
    let cluster_size = cluster_id.iter().map(|id| sizes[*id as usize]).collect();
    Clusters { cluster_id, cluster_size }
}

/// Like [`cluster`], but a link below `strong_link` may not join two clusters that both already
/// have two or more records: one weak link does not make two people one. Links are applied
/// strongest first (ties by record index), so strong links build clusters and weak links may only
/// attach single records to them. Returns the clusters and how many weak links were refused.
///
/// ```
/// // 0-1 and 2-3 are strong, 1-2 is a weak link between them.
/// let (left, right, probability) = ([0, 2, 1], [1, 3, 2], [0.999, 0.999, 0.92]);
/// let (kept, refused) = padan::cluster::cluster_guarded(4, &left, &right, &[true; 3], &probability, 0.99);
/// assert_eq!(kept.cluster_id, [0, 0, 1, 1]);
/// assert_eq!(refused, 1);
/// // Without the guard the chain makes one cluster.
/// assert_eq!(padan::cluster::cluster(4, &left, &right, &[true; 3]).cluster_id, [0, 0, 0, 0]);
/// ```
pub fn cluster_guarded(
    n: usize,
    left: &[u32],
    right: &[u32],
    linked: &[bool],
    probability: &[f64],
    strong_link: f64,
) -> (Clusters, u64) {
    let mut order: Vec<usize> = (0..left.len()).filter(|k| linked[*k]).collect();
    order.sort_by(|a, b| {
        probability[*b]
            .total_cmp(&probability[*a])
            .then(left[*a].cmp(&left[*b]))
            .then(right[*a].cmp(&right[*b]))
    });
    let mut uf = UnionFind::new(n);
    let mut size = vec![1u32; n];
    let (mut kept_left, mut kept_right, mut refused) = (Vec::new(), Vec::new(), 0u64);
    for k in order {
        let (ra, rb) = (uf.find(left[k]), uf.find(right[k]));
        if ra == rb {
            continue;
        }
        if probability[k] < strong_link && size[ra as usize] >= 2 && size[rb as usize] >= 2 {
            refused += 1;
            continue;
        }
        uf.union(ra, rb);
        let root = uf.find(ra) as usize;
        size[root] = size[ra as usize] + size[rb as usize];
        kept_left.push(left[k]);
        kept_right.push(right[k]);
    }
    let all = vec![true; kept_left.len()];
    (cluster(n, &kept_left, &kept_right, &all), refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_do_not_depend_on_pair_order() {
        let (l, r) = (vec![5, 0, 2, 3], vec![6, 4, 5, 1]);
        let a = cluster(7, &l, &r, &[true; 4]);
        let (lr, rr): (Vec<u32>, Vec<u32>) = l.iter().zip(&r).rev().map(|(x, y)| (*y, *x)).unzip();
        let b = cluster(7, &lr, &rr, &[true; 4]);
        assert_eq!(a, b);
        assert_eq!(a.cluster_id, [0, 1, 2, 1, 0, 2, 2]);
        assert_eq!(a.count(), 3);
        assert_eq!(a.multi_record_clusters(), 3);
    }

    #[test]
    fn the_guard_keeps_weakly_linked_clusters_apart_but_attaches_singles() {
        // Strong pairs 0-1 and 2-3; weak 1-2 (between clusters) and weak 3-4 (attaches a single).
        let (left, right) = ([0, 2, 1, 3], [1, 3, 2, 4]);
        let probability = [0.999, 0.998, 0.95, 0.93];
        let (c, refused) = cluster_guarded(5, &left, &right, &[true; 4], &probability, 0.99);
        assert_eq!(c.cluster_id, [0, 0, 1, 1, 1]);
        assert_eq!(refused, 1);
        // A strong link between two clusters still joins them.
        let (c, refused) = cluster_guarded(5, &left, &right, &[true; 4], &[0.999, 0.998, 0.995, 0.93], 0.99);
        assert_eq!(c.cluster_id, [0, 0, 0, 0, 0]);
        assert_eq!(refused, 0);
        // Unlinked pairs are ignored entirely.
        let (c, _) = cluster_guarded(5, &left, &right, &[true, true, false, false], &probability, 0.99);
        assert_eq!(c.cluster_id, [0, 0, 1, 1, 2]);
    }

    #[test]
    fn chains_join_transitively() {
        let c = cluster(5, &[0, 1, 2], &[1, 2, 3], &[true, true, true]);
        assert_eq!(c.cluster_id, [0, 0, 0, 0, 1]);
        assert_eq!(c.records_in_multi_record_clusters(), 4);
    }
}
