//! The five rule families and sets of them (`--only pronouns,names`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Pronouns,
    Names,
    Terms,
    Contact,
    Flags,
}

impl Family {
    pub const ALL: [Family; 5] = [
        Family::Pronouns,
        Family::Names,
        Family::Terms,
        Family::Contact,
        Family::Flags,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Pronouns => "pronouns",
            Family::Names => "names",
            Family::Terms => "terms",
            Family::Contact => "contact",
            Family::Flags => "flags",
        }
    }

    /// The family a rule id belongs to: the part before the first dot.
    pub fn of_rule_id(id: &str) -> Option<Family> {
        id.split_once('.').and_then(|(family, _)| family.parse().ok())
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule family `{0}` (expected one of: pronouns, names, terms, contact, flags)")]
pub struct UnknownFamily(pub String);

impl FromStr for Family {
    type Err = UnknownFamily;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Family::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFamily(s.to_string()))
    }
}

/// A set of families, e.g. the ones a rewriter applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FamilySet(u8);

impl FamilySet {
    pub fn all() -> Self {
        Self::from_iter(Family::ALL)
    }

    pub fn none() -> Self {
        FamilySet(0)
    }

    pub fn only(family: Family) -> Self {
        FamilySet(family.bit())
    }

    pub fn contains(self, family: Family) -> bool {
        self.0 & family.bit() != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Family> {
        Family::ALL.into_iter().filter(move |f| self.contains(*f))
    }

    /// Parses a comma-separated list such as `pronouns,names`.
    pub fn parse_list(list: &str) -> Result<Self, UnknownFamily> {
        list.split(',').map(|part| part.trim().parse::<Family>()).collect()
    }
}

impl FromIterator<Family> for FamilySet {
    fn from_iter<I: IntoIterator<Item = Family>>(iter: I) -> Self {
        FamilySet(iter.into_iter().fold(0, |bits, f| bits | f.bit()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_family_lists() {
        let set = FamilySet::parse_list("pronouns, names").unwrap();
        assert!(set.contains(Family::Pronouns) && set.contains(Family::Names));
        assert!(!set.contains(Family::Terms));
        assert_eq!(
            FamilySet::parse_list("pronoun").unwrap_err().to_string(),
            "unknown rule family `pronoun` (expected one of: pronouns, names, terms, contact, flags)"
        );
    }

    #[test]
    fn rule_ids_name_their_family() {
        assert_eq!(Family::of_rule_id("terms.spouse"), Some(Family::Terms));
        assert_eq!(Family::of_rule_id("spouse"), None);
    }
}
