//! Sorting the hash and id lists story linking and copy detection keep sorted.
//!
//! A document's content-word hashes, its body's shingle hashes and its word ids are spread
//! evenly over their range, and there are hundreds to thousands of them per document, sorted
//! once each: a comparison sort spends about `log2 n` comparisons on each. [`sort_spread`]
//! instead places each value in one of about `n / 2` buckets by where it falls between the
//! least and the greatest value (its offset from the least, shifted), then sorts each bucket,
//! which holds one to two values on average: linear time on such lists.

/// Buckets per value, as a shift: one bucket for every two values.
const VALUES_PER_BUCKET_SHIFT: u32 = 1;

/// Lists shorter than this are sorted by the standard sort.
const SHORT: usize = 64;

/// Buckets at most this long are sorted by insertion; longer ones (values bunched together,
/// or an adversary's input) by the standard sort, so no input costs more than `n log n`.
const INSERTION_MAX: usize = 16;

/// Sorts `v` ascending: the same result as `sort_unstable`, in linear time when the values
/// are spread over their range (hashes, dense ids), never worse than `n log n`.
pub fn sort_spread<T: Copy + Ord + Into<u64>>(v: &mut Vec<T>) {
    let n = v.len();
    if n < SHORT || u32::try_from(n).is_err() {
        v.sort_unstable();
        return;
    }
    let (lo, hi) = v.iter().fold((u64::MAX, 0u64), |(lo, hi), &x| {
        let x = x.into();
        (lo.min(x), hi.max(x))
    });
    // A value's bucket is its offset from the least value, shifted right so that the offsets
    // fill about n / 2 buckets.
    let span_bits = u64::BITS - (hi - lo).leading_zeros();
    let bucket_bits = (usize::BITS - 1 - (n >> VALUES_PER_BUCKET_SHIFT).leading_zeros()).max(1);
    let shift = span_bits.saturating_sub(bucket_bits);
    let buckets = (((hi - lo) >> shift) + 1) as usize;
    let bucket = |x: T| ((x.into() - lo) >> shift) as usize;
    // Counts, then each bucket's start, then (after placing) each bucket's end.
    let mut bounds = vec![0u32; buckets];
    for &x in v.iter() {
        bounds[bucket(x)] += 1;
    }
    let mut at = 0u32;
    for b in &mut bounds {
        let count = *b;
        *b = at;
        at += count;
    }
    let mut out = vec![v[0]; n];
    for &x in v.iter() {
        let b = &mut bounds[bucket(x)];
        out[*b as usize] = x;
        *b += 1;
    }
    let mut start = 0;
    for &end in &bounds {
        let end = end as usize;
        let part = &mut out[start..end];
        if part.len() > INSERTION_MAX {
            part.sort_unstable();
        } else {
            insertion_sort(part);
        }
        start = end;
    }
    *v = out;
}

fn insertion_sort<T: Copy + Ord>(v: &mut [T]) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Copy + Ord + Into<u64> + std::fmt::Debug>(v: Vec<T>) {
        let mut want = v.clone();
        want.sort_unstable();
        let mut got = v;
        sort_spread(&mut got);
        assert_eq!(got, want);
    }

    #[test]
    fn sorts_as_the_standard_sort_does_whatever_the_values() {
        // A linear congruential generator, its high bits: deterministic and spread.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state ^ (state >> 29)
        };
        for n in [0, 1, 2, 63, 64, 65, 100, 850, 2_000, 10_000] {
            // Hashes over the whole range, with repeats.
            let hashes: Vec<u64> = (0..n).map(|_| next()).collect();
            let mut repeated = hashes.clone();
            repeated.extend(hashes.iter().take(n / 3));
            check(hashes);
            check(repeated);
            // Dense ids, u32.
            check((0..n).map(|_| (next() % (n as u64 + 1)) as u32).collect());
            // Bunched: one value, two values, a few values at the ends of the range.
            check(vec![7u64; n]);
            check(
                (0..n)
                    .map(|i| if i % 2 == 0 { 0 } else { u64::MAX })
                    .collect(),
            );
            check(
                (0..n)
                    .map(|i| {
                        if i % 10 == 0 {
                            next()
                        } else {
                            5 + i as u64 % 3
                        }
                    })
                    .collect(),
            );
            // Already sorted, and reversed.
            check((0..n as u64).collect());
            check((0..n as u64).rev().collect());
        }
    }
}
