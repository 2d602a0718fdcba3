//! What a relay does with a publication: it keeps and passes on only versions newer than any it handed
//! out, even across a restart, so a late publication (they run concurrently, and arrive down different
//! branches of the tree) never takes a viewer back; and it gives its viewers the source's patch only when
//! they hold the patch's base.

/// The highest version a relay has handed its viewers and children: in memory, and as stored (read
/// lazily after a restart).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forwarded {
    pub in_memory: Option<u64>,
    pub stored: Option<u64>,
}

impl Forwarded {
    /// Whether a message at `version` may go on. Equal to what this instance holds is a repeat; equal to
    /// what was stored before a restart is the same state again, which is harmless; older is never
    /// forwarded.
    pub fn accepts(&self, version: u64) -> bool {
        !(self.in_memory.is_some_and(|held| held >= version)
            || self.stored.is_some_and(|held| held > version))
    }
}

/// What a relay sends its viewers of a publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forward {
    /// The source's own update: its patch applies to what the viewers hold (or it is whole anyway).
    Update,
    /// The whole message: the patch was made for a version these viewers do not hold.
    Whole,
}

/// `held` is the version the relay's viewers hold; `patch_base` the version the source's update
/// patches, if it is a patch. Children get the publication as it came and decide for themselves.
pub fn forward(held: Option<u64>, patch_base: Option<u64>) -> Forward {
    match patch_base {
        Some(base) if held != Some(base) => Forward::Whole,
        _ => Forward::Update,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_relay_never_hands_on_an_older_version() {
        let check = |in_memory, stored, version, expected: bool| {
            let forwarded = Forwarded { in_memory, stored };
            assert_eq!(
                forwarded.accepts(version),
                expected,
                "{forwarded:?} v{version}"
            );
        };
        check(None, None, 1, true);
        check(Some(5), None, 6, true);
        check(Some(5), None, 5, false);
        check(Some(5), None, 4, false);
        check(None, Some(5), 5, true);
        check(None, Some(5), 4, false);
        check(Some(7), Some(5), 6, false);
    }

    #[test]
    fn a_patch_goes_on_only_to_viewers_holding_its_base() {
        assert_eq!(forward(Some(4), Some(4)), Forward::Update);
        assert_eq!(forward(Some(3), Some(4)), Forward::Whole);
        assert_eq!(forward(None, Some(4)), Forward::Whole);
        assert_eq!(forward(Some(3), None), Forward::Update);
    }
}
