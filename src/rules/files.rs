//! The files a rule set is made of, and the default set compiled into the binary. One list
//! names them: the embedded texts are read from the same names, so the two cannot drift.

use super::RuleFile;

/// Lists the rule files once, as [`RULE_FILES`] and as the texts `include_str!` embeds.
macro_rules! rule_files {
    ($($name:literal),* $(,)?) => {
        /// The files a rule set is made of, relative to its directory.
        pub const RULE_FILES: [&str; <[&str]>::len(&[$($name),*])] = [$($name),*];

        const EMBEDDED: [(&str, &str); RULE_FILES.len()] =
            [$(($name, include_str!(concat!("../../rules/", $name)))),*];
    };
}

rule_files!(
    "pronouns.toml",
    "names.toml",
    "terms.toml",
    "contact.toml",
    "flags.toml",
    "lexicon/verbs.toml",
    "lexicon/words.toml",
    "lexicon/nicknames.toml",
    "lexicon/nicknames-intl.toml",
    "lexicon/proper-names.toml",
);

/// The default rule files, as compiled into the binary from `rules/`.
pub(super) fn embedded() -> Vec<RuleFile> {
    EMBEDDED
        .iter()
        .map(|(name, text)| RuleFile {
            name: name.to_string(),
            display: format!("rules/{name}"),
            text: text.to_string(),
        })
        .collect()
}
