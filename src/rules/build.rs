//! The builder: parse each rule file, check what serde cannot (lowercase words, known ids,
//! notes and examples), and compile the tables. Errors are collected, not returned at the
//! first, so one run reports every problem of a rule set.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::de::DeserializeOwned;

use super::files::RULE_FILES;
use super::load::{self, line_of};
use super::schema::*;
use super::tables::*;
use super::{Family, Pattern, RuleError, RuleErrors, RuleFile, RuleInfo, RuleSet, class};

/// Compile a rule set from the contents of its files (all of [`RULE_FILES`]).
pub(super) fn compile(files: &[RuleFile]) -> Result<RuleSet, RuleErrors> {
    let mut errors = Vec::new();
    for file in files {
        if !RULE_FILES.contains(&file.name.as_str()) {
            errors.push(RuleError {
                file: file.display.clone(),
                line: None,
                rule: None,
                message: format!("not a rule file blindfold reads (expected: {})", RULE_FILES.join(", ")),
            });
        }
    }
    let mut builder = Builder {
        errors,
        rules: Vec::new(),
    };
    let pronouns = builder.file::<PronounsFile>(files, "pronouns.toml");
    let names = builder.file::<NamesFile>(files, "names.toml");
    let terms = builder.file::<TermsFile>(files, "terms.toml");
    let contact = builder.file::<ContactFile>(files, "contact.toml");
    let flags = builder.file::<FlagsFile>(files, "flags.toml");
    let verbs = builder.file::<VerbsFile>(files, "lexicon/verbs.toml");
    let words = builder.file::<WordsFile>(files, "lexicon/words.toml");
    let nicknames = builder.file::<NicknamesFile>(files, "lexicon/nicknames.toml");
    let intl = builder.file::<NicknameGroupsFile>(files, "lexicon/nicknames-intl.toml");
    let proper = builder.file::<ProperNamesFile>(files, "lexicon/proper-names.toml");
    let (
        Some(pronouns),
        Some(names),
        Some(terms),
        Some(contact),
        Some(flags),
        Some(verbs),
        Some(words),
        Some(nicknames),
        Some(intl),
        Some(proper),
    ) = (
        pronouns, names, terms, contact, flags, verbs, words, nicknames, intl, proper,
    )
    else {
        return Err(RuleErrors(builder.errors));
    };

    let pronouns = builder.pronouns(pronouns);
    let names = builder.names(names);
    let terms = builder.terms(terms);
    let contact = builder.contact(contact);
    let flags = builder.flags(flags);
    let mut lexicon = builder.lexicon(verbs, words, nicknames, &pronouns);
    builder.nickname_groups(intl, &mut lexicon);
    lexicon.proper_names = builder.proper_names(proper);
    lexicon.common_words.extend(names.words_too.iter().cloned());
    lexicon.name_words = WordFilter::new(
        lexicon
            .common_words
            .iter()
            .chain(&names.proper_words)
            .chain(&names.months)
            .map(|w| &**w),
    );
    builder.check_rules();
    if !builder.errors.is_empty() {
        return Err(RuleErrors(builder.errors));
    }
    Ok(RuleSet {
        rules: builder.rules,
        pronouns,
        names,
        terms,
        contact,
        flags,
        lexicon,
    })
}

/// The line where `key = ...` is first written, for messages about a whole value.
fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches('"');
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start_matches('"').trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// Collects errors while compiling, so one run reports every problem of a rule set.
struct Builder {
    errors: Vec<RuleError>,
    rules: Vec<RuleInfo>,
}

impl Builder {
    fn file<T: DeserializeOwned>(&mut self, files: &[RuleFile], name: &str) -> Option<(String, String, T)> {
        let Some(file) = files.iter().find(|f| f.name == name) else {
            self.errors.push(RuleError {
                file: name.to_string(),
                line: None,
                rule: None,
                message: "missing from the rule set".to_string(),
            });
            return None;
        };
        match load::parse::<T>(&file.display, &file.text) {
            Ok(parsed) => Some((file.display.clone(), file.text.clone(), parsed)),
            Err(err) => {
                self.errors.push(err);
                None
            }
        }
    }

    fn error(&mut self, file: &str, line: Option<usize>, rule: Option<&str>, message: impl Into<String>) {
        self.errors.push(RuleError {
            file: file.to_string(),
            line,
            rule: rule.map(str::to_string),
            message: message.into(),
        });
    }

    /// Register a rule's metadata; returns its shared id.
    fn rule(
        &mut self,
        family: Family,
        file: &str,
        text: &str,
        span_start: usize,
        meta: RuleMeta,
        default_subjects: &[crate::subject::SubjectSpec],
    ) -> Arc<str> {
        let line = line_of(text, span_start);
        let id: Arc<str> = Arc::from(meta.id.as_str());
        self.rules.push(RuleInfo {
            id: id.clone(),
            family,
            note: meta.note,
            file: file.to_string(),
            line,
            examples: meta.examples,
            unchanged: meta.unchanged,
            default_subjects: default_subjects.to_vec(),
        });
        id
    }

    /// Register the rules of a family whose behaviour is code: each id must be one the code
    /// implements. Returns the ids present, by name.
    #[allow(clippy::too_many_arguments)]
    fn coded_rules(
        &mut self,
        family: Family,
        file: &str,
        text: &str,
        rules: Vec<(usize, RuleMeta)>,
        default_subjects: &[crate::subject::SubjectSpec],
        known: &[&'static str],
        what: &str,
    ) -> FxHashMap<&'static str, Arc<str>> {
        let mut found = FxHashMap::default();
        for (start, meta) in rules {
            let id = self.rule(family, file, text, start, meta, default_subjects);
            match known.iter().find(|k| **k == &*id) {
                Some(k) => {
                    found.insert(*k, id);
                }
                None => {
                    let message = format!("{what} has this id (expected one of: {})", known.join(", "));
                    self.error(file, Some(line_of(text, start)), Some(&id), message);
                }
            }
        }
        found
    }

    /// A word the engine could never look up is refused, not silently ignored. A phrase
    /// ("leap of faith") is looked up a word at a time.
    fn check_length(&mut self, file: &str, line: Option<usize>, what: &str, words: &str) {
        if let Some(long) = words.split(' ').find(|w| w.len() > MAX_WORD_BYTES) {
            let message = format!(
                "{what}: `{long}` is {} bytes long, more than the {MAX_WORD_BYTES} a word may have: it could never match",
                long.len()
            );
            self.error(file, line, None, message);
        }
    }

    fn word_set(&mut self, file: &str, line: Option<usize>, what: &str, words: &[String]) -> WordSet {
        let mut set = WordSet::default();
        for word in words {
            if word.is_empty() || *word != word.to_lowercase() {
                self.error(
                    file,
                    line,
                    None,
                    format!("{what}: `{word}` must be a non-empty lowercase word"),
                );
            }
            self.check_length(file, line, what, word);
            if !set.insert(word.as_str().into()) {
                self.error(file, line, None, format!("{what}: `{word}` is listed twice"));
            }
        }
        set
    }

    fn pronouns(&mut self, (file, text, raw): (String, String, PronounsFile)) -> PronounConfig {
        if raw.reflexive != "themself" && raw.reflexive != "themselves" {
            self.error(
                &file,
                key_line(&text, "reflexive"),
                None,
                format!("reflexive = `{}`: expected `themself` or `themselves`", raw.reflexive),
            );
        }
        let metas: Vec<(usize, RuleMeta)> = raw.rule.iter().map(|r| (r.span().start, r.get_ref().meta())).collect();
        let mut known = self.coded_rules(
            Family::Pronouns,
            &file,
            &text,
            metas,
            &[],
            &PRONOUN_RULES,
            "no pronoun grammar",
        );
        let ids = PronounRuleIds {
            agreement: known.remove("pronouns.agreement"),
            contraction: known.remove("pronouns.contraction"),
            object: known.remove("pronouns.object"),
            pair: known.remove("pronouns.pair"),
            possessive: known.remove("pronouns.possessive"),
            question: known.remove("pronouns.question"),
            reflexive: known.remove("pronouns.reflexive"),
            subject: known.remove("pronouns.subject"),
        };
        let mut agreement = WordMap::default();
        for (from, to) in &raw.agreement {
            if *from != from.to_lowercase() || *to != to.to_lowercase() {
                self.error(
                    &file,
                    key_line(&text, from),
                    None,
                    format!("agreement: `{from}` = `{to}` must be lowercase"),
                );
            }
            self.check_length(&file, key_line(&text, from), "agreement", from);
            agreement.insert(from.as_str().into(), to.as_str().into());
        }
        let mut classes: FxHashMap<Box<str>, u32> = FxHashMap::default();
        for (name, words, bit) in raw.words.lists() {
            for word in self.word_set(&file, key_line(&text, name), &format!("words.{name}"), words) {
                *classes.entry(word).or_default() |= bit;
            }
        }
        for key in agreement.keys() {
            *classes.entry(key.clone()).or_default() |= class::AGREEMENT;
        }
        // A text may write a listed apostrophe as ’, two bytes longer than the list's '.
        let longest = classes
            .keys()
            .map(|w| w.len() + 2 * w.matches('\'').count())
            .max()
            .unwrap_or(0);
        let mut cue =
            |key: &str, words: &[String]| self.word_set(&file, key_line(&text, key), &format!("cues.{key}"), words);
        let has_after = cue("has_after", &raw.cues.has_after);
        let predicate_joiners = cue("predicate_joiners", &raw.cues.predicate_joiners);
        let comparatives = cue("comparatives", &raw.cues.comparatives);
        let reflexives = cue("reflexives", &raw.cues.reflexives);
        let intensifiers = cue("intensifiers", &raw.cues.intensifiers);
        let ing_objects = cue("ing_objects", &raw.cues.ing_objects);
        let ordinal_times = cue("ordinal_times", &raw.cues.ordinal_times);
        let time_nouns = cue("time_nouns", &raw.cues.time_nouns);
        let hedges = cue("hedges", &raw.cues.hedges);
        for word in &predicate_joiners {
            if classes.get(word).is_none_or(|bits| bits & class::COORDINATOR == 0) {
                let message = format!("cues.predicate_joiners: `{word}` must also be in words.coordinators");
                self.error(&file, key_line(&text, "predicate_joiners"), None, message);
            }
        }
        PronounConfig {
            ids,
            reflexive: raw.reflexive.clone(),
            agreement,
            classes,
            longest,
            has_after,
            predicate_joiners,
            comparatives,
            reflexives,
            intensifiers,
            ing_objects,
            ordinal_times,
            time_nouns,
            hedges,
        }
    }

    fn names(&mut self, (file, text, raw): (String, String, NamesFile)) -> NameConfig {
        let metas: Vec<(usize, RuleMeta)> = raw.rule.iter().map(|r| (r.span().start, r.get_ref().meta())).collect();
        let mut known = self.coded_rules(
            Family::Names,
            &file,
            &text,
            metas,
            &raw.example_subjects,
            &NAME_RULES,
            "no name matcher",
        );
        let ids = NameRuleIds {
            ambiguous: known.remove("names.ambiguous"),
            email: known.remove("names.email"),
            full: known.remove("names.full"),
            handle: known.remove("names.handle"),
            nickname: known.remove("names.nickname"),
            part: known.remove("names.part"),
            proper_name: known.remove("names.proper-name"),
            restated: known.remove("names.restated"),
        };
        let mut set = |key: &str, words: &[String]| self.word_set(&file, key_line(&text, key), key, words);
        let months = set("months", &raw.months);
        let date_words = set("date_words", &raw.date_words);
        let range_words = set("range_words", &raw.range_words);
        let range_ends = set("range_ends", &raw.range_ends);
        let date_nouns = set("date_nouns", &raw.date_nouns);
        let tool_cues = set("tool_cues", &raw.tool_cues);
        let skill_words = set("skill_words", &raw.skill_words);
        let skill_prepositions = set("skill_prepositions", &raw.skill_prepositions);
        let tool_nouns = set("tool_nouns", &raw.tool_nouns);
        let tools = set("tools", &raw.tools);
        let restating = set("restating", &raw.restating);
        let absorbed = set("absorbed", &raw.absorbed);
        let greetings = set("greetings", &raw.greetings);
        let naming_nouns = set("naming_nouns", &raw.naming_nouns);
        let before_person = set("before_person", &raw.before_person);
        let imperative_openers = set("imperative_openers", &raw.imperative_openers);
        let quantity_nouns = set("quantity_nouns", &raw.quantity_nouns);
        let words_too = set("words_too", &raw.words_too);
        let clause_verbs = set("clause_verbs", &raw.clause_verbs);
        let naming_verbs = set("naming_verbs", &raw.naming_verbs);
        let nickname_verbs = set("nickname_verbs", &raw.nickname_verbs);
        let mut nickname_verb_list: Vec<Box<str>> = nickname_verbs.iter().cloned().collect();
        nickname_verb_list.sort();
        let cue_filter = ShapeFilter::new(NAME_CUES.iter().copied().chain(nickname_verb_list.iter().map(|v| &**v)));
        let signing_verbs = set("signing_verbs", &raw.signing_verbs);
        let name_kinds = set("name_kinds", &raw.name_kinds);
        let colleague_marks = set("colleague_marks", &raw.colleague_marks);
        let versus_words = set("versus_words", &raw.versus_words);
        let plural_prepositions = set("plural_prepositions", &raw.plural_prepositions);
        let thing_predicates = set("thing_predicates", &raw.thing_predicates);
        let thing_nouns = set("thing_nouns", &raw.thing_nouns);
        let acronyms = set("acronyms", &raw.acronyms);
        let clipped_prefixes = set("clipped_prefixes", &raw.clipped_prefixes);
        let verdicts = set("verdicts", &raw.verdicts);
        let interview_nouns = set("interview_nouns", &raw.interview_nouns);
        let idiom_list = set("idioms", &raw.idioms);
        let mut idioms: FxHashMap<Box<str>, Vec<IdiomPlace>> = FxHashMap::default();
        let mut sorted_idioms: Vec<&Box<str>> = idiom_list.iter().collect();
        sorted_idioms.sort();
        for idiom in sorted_idioms {
            let words: Vec<Box<str>> = idiom.split(' ').filter(|w| !w.is_empty()).map(Box::from).collect();
            for (at, word) in words.iter().enumerate() {
                idioms.entry(word.clone()).or_default().push((words.clone(), at));
            }
        }
        let adverbial_nouns = set("adverbial_nouns", &raw.adverbial_nouns);
        let prefixes = set("split_prefixes", &raw.split_prefixes);
        // Longest first, so "fitz" is tried before "f..." and the result does not depend on
        // the order of a hash set.
        let mut split_prefixes: Vec<Box<str>> = prefixes.into_iter().collect();
        split_prefixes.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        NameConfig {
            ids,
            candidate: raw.replacement.candidate.clone(),
            other_candidate: raw.replacement.other_candidate.clone(),
            email: raw.replacement.email.clone(),
            interviewer: raw.replacement.interviewer.clone(),
            other_interviewer: raw.replacement.other_interviewer.clone(),
            proper_name: raw.replacement.proper_name.clone(),
            nickname: raw.replacement.nickname.clone(),
            months,
            date_words,
            range_words,
            range_ends,
            date_nouns,
            tool_cues,
            skill_words,
            skill_prepositions,
            tool_nouns,
            tools,
            restating,
            absorbed,
            greetings,
            naming_nouns,
            before_person,
            imperative_openers,
            quantity_nouns,
            words_too,
            clause_verbs,
            naming_verbs,
            nickname_verbs,
            nickname_verb_list,
            cue_filter,
            signing_verbs,
            name_kinds,
            colleague_marks,
            versus_words,
            plural_prepositions,
            thing_predicates,
            thing_nouns,
            acronyms,
            clipped_prefixes,
            verdicts,
            interview_nouns,
            idioms,
            adverbial_nouns,
            split_prefixes,
            titles: self.word_set(&file, key_line(&text, "titles"), "titles", &raw.titles),
            particles: self.word_set(&file, key_line(&text, "particles"), "particles", &raw.particles),
            suffixes: self.word_set(&file, key_line(&text, "suffixes"), "suffixes", &raw.suffixes),
            affix_longest: raw
                .titles
                .iter()
                .chain(&raw.particles)
                .chain(&raw.suffixes)
                .map(String::len)
                .max()
                .unwrap_or(0),
            proper_words: self.word_set(
                &file,
                key_line(&text, "proper_words"),
                "proper_words",
                &raw.proper_words,
            ),
        }
    }

    fn terms(&mut self, (file, text, raw): (String, String, TermsFile)) -> TermConfig {
        let mut entries: BTreeMap<String, TermEntry> = BTreeMap::new();
        for rule in &raw.rule {
            let r = rule.get_ref();
            let line = line_of(&text, rule.span().start);
            let id = self.rule(Family::Terms, &file, &text, rule.span().start, r.meta(), &[]);
            if r.words.is_empty() {
                self.error(&file, Some(line), Some(&id), "`words` is empty");
            }
            let not_before = self.word_set(&file, Some(line), &format!("rule {id}: not_before"), &r.not_before);
            let not_after = self.word_set(&file, Some(line), &format!("rule {id}: not_after"), &r.not_after);
            for (word, replacement) in &r.words {
                if word.is_empty() || *word != word.to_lowercase() || word.trim() != word {
                    self.error(
                        &file,
                        Some(line),
                        Some(&id),
                        format!("word `{word}` must be lowercase, without surrounding spaces"),
                    );
                }
                if let Some(previous) = entries.get(word) {
                    let message = format!("word `{word}` is also replaced by rule {}", previous.rule);
                    self.error(&file, Some(line), Some(&id), message);
                    continue;
                }
                entries.insert(
                    word.clone(),
                    TermEntry {
                        rule: id.clone(),
                        replacement: replacement.clone(),
                        not_before: not_before.clone(),
                        not_after: not_after.clone(),
                        before_name: r.before_name,
                        before_word: r.before_word,
                    },
                );
            }
        }
        TermConfig {
            entries: entries.into_iter().collect(),
            an_before: raw.articles.an_before.clone(),
            a_before: raw.articles.a_before.clone(),
        }
    }

    fn contact(&mut self, (file, text, raw): (String, String, ContactFile)) -> ContactConfig {
        let mut config = ContactConfig {
            email: None,
            url: None,
            phone: None,
            handle: None,
            profile_domains: Vec::new(),
            link_tlds: WordSet::default(),
        };
        for rule in &raw.rule {
            let r = rule.get_ref();
            let line = line_of(&text, rule.span().start);
            let id = self.rule(Family::Contact, &file, &text, rule.span().start, r.meta(), &[]);
            let slot = match r.kind {
                ContactKind::Email => &mut config.email,
                ContactKind::Url => &mut config.url,
                ContactKind::Phone => &mut config.phone,
                ContactKind::Handle => &mut config.handle,
            };
            if let Some((other, _)) = slot {
                let message = format!("kind {:?} is already handled by rule {other}", r.kind);
                self.error(&file, Some(line), Some(&id), message);
                continue;
            }
            *slot = Some((id, r.placeholder.clone()));
        }
        let domains = self.word_set(
            &file,
            key_line(&text, "profile_domains"),
            "profile_domains",
            &raw.profile_domains,
        );
        config.profile_domains = domains.into_iter().map(String::from).collect();
        config.profile_domains.sort();
        config.link_tlds = self.word_set(&file, key_line(&text, "link_tlds"), "link_tlds", &raw.link_tlds);
        config
    }

    fn flags(&mut self, (file, text, raw): (String, String, FlagsFile)) -> FlagConfig {
        let mut patterns = Vec::new();
        for rule in &raw.rule {
            let r = rule.get_ref();
            let line = line_of(&text, rule.span().start);
            let id = self.rule(Family::Flags, &file, &text, rule.span().start, r.meta(), &[]);
            if r.words.is_empty() && r.patterns.is_empty() {
                self.error(&file, Some(line), Some(&id), "has neither `words` nor `patterns`");
            }
            for source in r.words.iter().chain(&r.patterns) {
                // A plain word is a pattern of one literal; `{` in a word list is a mistake.
                if r.words.contains(source) && source.contains('{') {
                    self.error(
                        &file,
                        Some(line),
                        Some(&id),
                        format!("word `{source}` holds a placeholder: move it to `patterns`"),
                    );
                    continue;
                }
                match Pattern::parse(source) {
                    Ok(pattern) => patterns.push(FlagPattern {
                        rule: id.clone(),
                        pattern,
                    }),
                    Err(err) => self.error(&file, Some(line), Some(&id), err.0),
                }
            }
        }
        FlagConfig {
            patterns,
            number_words: self.word_set(
                &file,
                key_line(&text, "number_words"),
                "number_words",
                &raw.number_words,
            ),
            decade_words: self.word_set(
                &file,
                key_line(&text, "decade_words"),
                "decade_words",
                &raw.decade_words,
            ),
        }
    }

    fn lexicon(
        &mut self,
        (verbs_file, verbs_text, verbs): (String, String, VerbsFile),
        (words_file, words_text, words): (String, String, WordsFile),
        (nick_file, _, nicknames): (String, String, NicknamesFile),
        pronouns: &PronounConfig,
    ) -> Lexicon {
        let mut lexicon = Lexicon {
            third_person: FxHashMap::default(),
            bases: WordSet::default(),
            past: WordSet::default(),
            participles: FxHashMap::default(),
            common_words: self.word_set(&words_file, key_line(&words_text, "words"), "words", &words.words),
            ly_adverbs: self.word_set(&words_file, key_line(&words_text, "adverbs"), "adverbs", &words.adverbs),
            adjectives: self.word_set(
                &words_file,
                key_line(&words_text, "adjectives"),
                "adjectives",
                &words.adjectives,
            ),
            nicknames: FxHashMap::default(),
            proper_names: ProperNames::default(),
            name_words: WordFilter::default(),
        };
        for form in &verbs.forms {
            let fields: Vec<&str> = form.get_ref().split(' ').collect();
            let (base, third, past, participle, tags) = match fields.as_slice() {
                [b, t, p, pp] => (*b, *t, *p, *pp, ""),
                [b, t, p, pp, tags] if tags.chars().all(|c| matches!(c, 'n' | 'v' | 'a')) => (*b, *t, *p, *pp, *tags),
                _ => {
                    // Counted only here: counting lines for each of thousands of verbs
                    // took most of the start-up time.
                    self.error(
                        &verbs_file,
                        Some(line_of(&verbs_text, form.span().start)),
                        None,
                        format!(
                            "`{}`: expected \"base third-person past participle [tags]\" with tags made of n, v and a",
                            form.get_ref()
                        ),
                    );
                    continue;
                }
            };
            if [base, third, past, participle].iter().any(|w| w.len() > MAX_WORD_BYTES) {
                let line = line_of(&verbs_text, form.span().start);
                self.check_length(&verbs_file, Some(line), "forms", form.get_ref());
            }
            lexicon.third_person.insert(
                third.into(),
                VerbForm {
                    base: base.into(),
                    kind: if tags.contains('n') {
                        VerbKind::MostlyNoun
                    } else if tags.contains('v') {
                        VerbKind::MostlyVerb
                    } else {
                        VerbKind::Either
                    },
                },
            );
            lexicon.bases.insert(base.into());
            lexicon.past.insert(past.into());
            let adjectival = tags.contains('a');
            lexicon
                .participles
                .entry(participle.into())
                .and_modify(|a| *a |= adjectival)
                .or_insert(adjectival);
            for word in [base, third, past, participle] {
                lexicon.common_words.insert(word.into());
            }
        }
        // Closed-class words ("may", "an", "will") are English words too, whatever a name says.
        lexicon.common_words.extend(pronouns.classes.keys().cloned());
        for (formal, nicks) in &nicknames.nicknames {
            for nick in nicks {
                if nick.is_empty() || *nick != nick.to_lowercase() || *formal != formal.to_lowercase() {
                    self.error(
                        &nick_file,
                        None,
                        None,
                        format!("{formal} = {nick}: names must be lowercase"),
                    );
                    continue;
                }
                lexicon
                    .nicknames
                    .entry(formal.as_str().into())
                    .or_default()
                    .push(nick.as_str().into());
                lexicon
                    .nicknames
                    .entry(nick.as_str().into())
                    .or_default()
                    .push(formal.as_str().into());
            }
        }
        lexicon
    }

    /// Add the nickname groups of other languages to the lexicon, both directions.
    fn nickname_groups(&mut self, (file, text, raw): (String, String, NicknameGroupsFile), lexicon: &mut Lexicon) {
        for group in &raw.group {
            let line = key_line(&text, "group");
            if group.language.trim().is_empty() || group.source.trim().is_empty() {
                self.error(&file, line, None, "every group needs a `language` and a `source`");
            }
            for (formal, nicks) in &group.nicknames {
                for nick in nicks {
                    let ok = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
                    if !ok(formal) || !ok(nick) {
                        self.error(
                            &file,
                            line,
                            None,
                            format!("{formal} = {nick}: names must be lowercase ASCII letters"),
                        );
                        continue;
                    }
                    for (from, to) in [(formal, nick), (nick, formal)] {
                        let list = lexicon.nicknames.entry(from.as_str().into()).or_default();
                        if !list.iter().any(|n| **n == **to) {
                            list.push(to.as_str().into());
                        }
                    }
                }
            }
        }
    }

    fn proper_names(&mut self, (file, text, raw): (String, String, ProperNamesFile)) -> ProperNames {
        let mut set = |key: &str, words: &[String]| self.word_set(&file, key_line(&text, key), key, words);
        let famous = set("famous", &raw.famous);
        let organisations = set("organisations", &raw.organisations);
        let regions = set("regions", &raw.regions);
        let institutions = set("institutions", &raw.institutions);
        let mut phrases: FxHashMap<Box<str>, Vec<Vec<Box<str>>>> = FxHashMap::default();
        for phrase in famous.iter().chain(organisations.iter()) {
            let words = crate::fold::name_words(phrase);
            // A single word ("dijkstra") would hide every candidate of that name.
            if words.len() < 2 {
                continue;
            }
            for word in &words {
                phrases.entry(word.clone()).or_default().push(words.clone());
            }
        }
        ProperNames {
            phrases,
            regions,
            institutions,
        }
    }

    /// Checks every rule shares: a well-formed, unique id, a note, and examples.
    fn check_rules(&mut self) {
        let mut seen: FxHashMap<Arc<str>, (String, usize)> = FxHashMap::default();
        let mut problems = Vec::new();
        for rule in &self.rules {
            let located = |message: String| RuleError {
                file: rule.file.clone(),
                line: Some(rule.line),
                rule: Some(rule.id.to_string()),
                message,
            };
            let well_formed = rule.id.split_once('.').is_some_and(|(family, name)| {
                family == rule.family.as_str()
                    && !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            });
            if !well_formed {
                problems.push(located(format!(
                    "id must be `{}.<name>` in lowercase letters, digits and hyphens",
                    rule.family
                )));
            }
            if let Some((file, line)) = seen.get(&rule.id) {
                problems.push(located(format!("id is already used at {file}:{line}")));
            } else {
                seen.insert(rule.id.clone(), (rule.file.clone(), rule.line));
            }
            if rule.note.trim().is_empty() {
                problems.push(located("`note` is empty: say why the rule exists".to_string()));
            }
            if rule.examples.is_empty() {
                problems.push(located("has no examples".to_string()));
            }
            for example in &rule.examples {
                let needs = if rule.family == Family::Flags {
                    "flags"
                } else {
                    "expect"
                };
                let has = if rule.family == Family::Flags {
                    example.flags.is_some()
                } else {
                    example.expect.is_some()
                };
                if !has {
                    problems.push(located(format!("example `{}` has no `{needs}`", example.input)));
                }
            }
        }
        self.errors.extend(problems);
    }
}
