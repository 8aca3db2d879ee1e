//! Gendered pronouns to singular they, with the grammar that follows: verb agreement,
//! inverted questions, contractions, her -> them/their, his -> their/theirs, pairs like
//! "he or she" and declarations like "she/her".

use std::ops::Range;
use std::sync::Arc;

use super::Pending;
use super::case::restore_case;
use super::grammar::{Grammar, with_apostrophe_of};
use super::text::{
    Token, char_at, is_apostrophe, is_word_char, lower, next_token, only_spaces_between, prev_token, sentence_end,
};
use crate::rules::{Family, MAX_WORD_BYTES, VerbKind, class};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pronoun {
    He,
    She,
    Him,
    His,
    Her,
    Hers,
    Himself,
    Herself,
    /// "shes", "hes": "she's" and "he's" as hurried notes write them.
    Contracted,
}

impl Pronoun {
    pub const WORDS: [(&'static str, Pronoun); 10] = [
        ("he", Pronoun::He),
        ("she", Pronoun::She),
        ("him", Pronoun::Him),
        ("his", Pronoun::His),
        ("her", Pronoun::Her),
        ("hers", Pronoun::Hers),
        ("himself", Pronoun::Himself),
        ("herself", Pronoun::Herself),
        ("hes", Pronoun::Contracted),
        ("shes", Pronoun::Contracted),
    ];

    fn from_word(word: &str) -> Option<Pronoun> {
        let mut buf = [0u8; MAX_WORD_BYTES];
        let w = lower(word, &mut buf)?;
        Pronoun::WORDS.iter().find(|(p, _)| *p == w).map(|(_, p)| *p)
    }

    fn is_nominative(self) -> bool {
        matches!(self, Pronoun::He | Pronoun::She)
    }
}

struct Scan<'a, 'r> {
    g: Grammar<'r>,
    text: &'a str,
    out: &'a mut Vec<Pending>,
}

impl Scan<'_, '_> {
    fn push(&mut self, span: Range<usize>, after: String, rule: &Option<Arc<str>>) {
        if let Some(rule) = rule {
            self.out.push(Pending::new(span, after, rule.clone(), Family::Pronouns));
        }
    }
}

/// Rewrite the pronoun at `span` (a whole word) and whatever agrees with it. Returns the end
/// of the text it took: a pair ("he or she") or a contraction reaches past the pronoun.
pub(crate) fn rewrite(
    g: Grammar<'_>,
    text: &str,
    pronoun: Pronoun,
    span: Range<usize>,
    out: &mut Vec<Pending>,
) -> usize {
    let mut scan = Scan { g, text, out };
    let ids = &g.rules.pronouns.ids;
    if ids.pair.is_some() {
        if pronoun == Pronoun::He
            && let Some(start) = s_slash_before(text, span.start)
        {
            let written: String = text[start..span.end].chars().filter(|c| c.is_alphabetic()).collect();
            scan.push(start..span.end, restore_case(&written, "they"), &ids.pair);
            return subject_tail(&mut scan, start, span.end);
        }
        if let Some(end) = pair(&mut scan, pronoun, span.clone()) {
            return end;
        }
    }
    let (word, rule) = match pronoun {
        Pronoun::He | Pronoun::She => return subject(&mut scan, span.start, span.end),
        Pronoun::Contracted => return contracted_without_apostrophe(&mut scan, span),
        Pronoun::Him => ("them", &ids.object),
        Pronoun::Hers => ("theirs", &ids.possessive),
        Pronoun::Himself | Pronoun::Herself => (g.rules.pronouns.reflexive.as_str(), &ids.reflexive),
        Pronoun::His if his_stands_alone(g, text, span.start, span.end) => ("theirs", &ids.possessive),
        Pronoun::His => ("their", &ids.possessive),
        Pronoun::Her if her_is_object(g, text, &span) => ("them", &ids.object),
        Pronoun::Her => ("their", &ids.possessive),
    };
    scan.push(span.clone(), restore_case(&text[span.clone()], word), rule);
    span.end
}

/// Start of "s/" in "s/he", if the pronoun at `start` is written that way.
fn s_slash_before(text: &str, start: usize) -> Option<usize> {
    let before = &text[..start];
    let prefix = ["s/", "S/", "(s)", "(S)"].into_iter().find(|p| before.ends_with(p))?;
    let s_start = start - prefix.len();
    let alone = text[..s_start].chars().next_back().is_none_or(|c| !is_word_char(c));
    alone.then_some(s_start)
}

/// "he or she", "his/her", "she/her/hers": one neutral word (or a neutral declaration).
fn pair(scan: &mut Scan<'_, '_>, first: Pronoun, span: Range<usize>) -> Option<usize> {
    // "shes or hes" is no pair anyone writes.
    if first == Pronoun::Contracted {
        return None;
    }
    let text = scan.text;
    let mut group = vec![(first, span.clone())];
    let mut end = span.end;
    // Slash groups: "he/she", "she/her/hers".
    while text[end..].starts_with('/') {
        match next_token(text, end + 1) {
            Some(Token::Word(r, w)) if r.start == end + 1 && Pronoun::from_word(w).is_some() => {
                group.push((Pronoun::from_word(w)?, r.clone()));
                end = r.end;
            }
            _ => break,
        }
    }
    let slash = group.len() > 1;
    if !slash {
        // "he or she", "his and/or her".
        let Some(Token::Word(or, w)) = next_token(text, end) else {
            return None;
        };
        let mut buf = [0u8; MAX_WORD_BYTES];
        let joiner = lower(w, &mut buf)?;
        let after_joiner = if joiner == "or" {
            or.end
        } else if joiner == "and" && text[or.end..].starts_with("/or") {
            or.end + 3
        } else {
            return None;
        };
        let Some(Token::Word(second, w2)) = next_token(text, after_joiner) else {
            return None;
        };
        let p2 = Pronoun::from_word(w2)?;
        if !same_slot(first, p2) || p2 == first {
            return None;
        }
        group.push((p2, second.clone()));
        end = second.end;
    }
    let declaration = slash && first.is_nominative() && group.iter().any(|(p, _)| !p.is_nominative());
    let any_hers = group.iter().any(|(p, _)| *p == Pronoun::Hers);
    let standalone_his = || his_stands_alone(scan.g, text, span.start, end);
    let object_her = group.iter().any(|(p, _)| *p == Pronoun::Him);
    let reflexive = scan.g.rules.pronouns.reflexive.clone();
    let mut words: Vec<&str> = Vec::new();
    for (p, _) in &group {
        let word = match p {
            Pronoun::He | Pronoun::She | Pronoun::Contracted => "they",
            Pronoun::Him => "them",
            Pronoun::Her if declaration || object_her => "them",
            Pronoun::Her if !slash && group[0].0 == Pronoun::Her && her_is_object(scan.g, text, &(span.start..end)) => {
                "them"
            }
            Pronoun::Her => "their",
            Pronoun::His if declaration || any_hers || standalone_his() => "theirs",
            Pronoun::His => "their",
            Pronoun::Hers => "theirs",
            Pronoun::Himself | Pronoun::Herself => reflexive.as_str(),
        };
        if words.last() != Some(&word) {
            words.push(word);
        }
    }
    let written = &text[span.start..group[0].1.end];
    let neutral = restore_case(written, &words.join("/"));
    let ids = &scan.g.rules.pronouns.ids;
    scan.push(span.start..end, neutral, &ids.pair.clone());
    if words.len() == 1 && first.is_nominative() {
        return Some(subject_tail(scan, span.start, end));
    }
    Some(end)
}

/// Can `a or b` stand for one neutral word? Both subjects, both objects, both possessives...
fn same_slot(a: Pronoun, b: Pronoun) -> bool {
    use Pronoun::*;
    let slots = |p: Pronoun| -> &'static [u8] {
        match p {
            He | She => &[0],
            Him => &[1],
            Her => &[1, 2],
            His => &[2, 3],
            Hers => &[3],
            Himself | Herself => &[4],
            Contracted => &[5],
        }
    };
    slots(a).iter().any(|s| slots(b).contains(s))
}

/// he/she at `start..end`: the pronoun, then its contraction or its verb.
fn subject(scan: &mut Scan<'_, '_>, start: usize, end: usize) -> usize {
    let text = scan.text;
    let ids = &scan.g.rules.pronouns.ids;
    let written = &text[start..end];
    if let Some((apostrophe, suffix, suffix_end)) = contraction_after(text, end) {
        if suffix == "s" && ids.contraction.is_some() {
            contract_s(scan, start..suffix_end, &apostrophe.to_string());
        } else if suffix != "s" {
            let rule = ids.subject.clone();
            scan.push(start..end, restore_case(written, "they"), &rule);
        }
        return suffix_end;
    }
    let rule = ids.subject.clone();
    scan.push(start..end, restore_case(written, "they"), &rule);
    subject_tail(scan, start, end)
}

/// After a subject pronoun (or pair) at `start..end`: invert a question or agree the verb.
fn subject_tail(scan: &mut Scan<'_, '_>, start: usize, end: usize) -> usize {
    if !question(scan, start, end) {
        agree(scan, end);
    }
    end
}

/// "shes strong on sql", "hes been great": "they're" or "they've", without the apostrophe
/// the writer left out.
fn contracted_without_apostrophe(scan: &mut Scan<'_, '_>, span: Range<usize>) -> usize {
    if scan.g.rules.pronouns.ids.contraction.is_some() {
        contract_s(scan, span.clone(), "");
    }
    span.end
}

/// "she's" or "shes" at `span`: "they've" where the 's is "has", "they're" where it is
/// "is", with the writer's `apostrophe`; the verbs that share the subject agree ("She's
/// tired and thinks").
fn contract_s(scan: &mut Scan<'_, '_>, span: Range<usize>, apostrophe: &str) {
    let ids = &scan.g.rules.pronouns.ids;
    let word = if s_means_has(scan.g, scan.text, span.end) {
        "they've"
    } else {
        "they're"
    };
    let after = restore_case(&scan.text[span.clone()], &word.replace('\'', apostrophe));
    let rule = ids.contraction.clone();
    let agreement = ids.agreement.clone();
    scan.push(span.clone(), after, &rule);
    coordinated(
        scan,
        span.end,
        &agreement,
        Some(MainVerb {
            word: "is",
            list: false,
        }),
    );
}

/// `'s`, `'d`, `'ll` after the pronoun: the apostrophe, the lowercase suffix and its end.
fn contraction_after(text: &str, end: usize) -> Option<(char, String, usize)> {
    let apostrophe = char_at(text, end).filter(|c| is_apostrophe(*c))?;
    let from = end + apostrophe.len_utf8();
    let letters: String = text[from..].chars().take_while(|c| c.is_alphabetic()).collect();
    if letters.is_empty() || letters.chars().count() > 2 {
        return None;
    }
    Some((apostrophe, letters.to_lowercase(), from + letters.len()))
}

/// In "he's X", is 's "has"? Yes before "been"/"got" and before participles that take an
/// object ("he's solved it") or are never adjectives ("she's worked at two startups");
/// otherwise it is "is" ("she's tired", "he's engaged to").
fn s_means_has(g: Grammar<'_>, text: &str, after: usize) -> bool {
    let mut pos = after;
    let word = loop {
        match next_token(text, pos) {
            Some(Token::Word(r, w)) if g.is_adverb(w) || w.eq_ignore_ascii_case("not") => pos = r.end,
            Some(Token::Word(r, w)) => break Some((r, w)),
            _ => break None,
        }
    };
    let Some((r, w)) = word else { return false };
    let mut buf = [0u8; MAX_WORD_BYTES];
    let Some(lw) = lower(w, &mut buf) else { return false };
    if g.rules.pronouns.has_after.contains(lw) {
        return true;
    }
    let Some(&adjectival) = g.rules.lexicon.participles.get(lw) else {
        return false;
    };
    let next = next_token(text, r.end);
    let next_word = next.as_ref().and_then(|t| t.word());
    // A passive: "she's seen as a leader", "she's paid by the hour", "she's told to wait"
    // (a verb that takes a person and an infinitive).
    let passive = next_word.is_some_and(|n| {
        n.eq_ignore_ascii_case("as")
            || n.eq_ignore_ascii_case("by")
            || (n.eq_ignore_ascii_case("to") && g.is(w, class::OBJECT_INFINITIVE))
    });
    if passive {
        return false;
    }
    if !adjectival {
        return true;
    }
    // "she's used Terraform": a name after the participle is its object; so is a noun
    // after an adjective ("she's made real progress").
    next_word.is_some_and(|n| {
        g.starts_object(n)
            || (n.starts_with(char::is_uppercase) && g.closed_classes(n) == 0)
            || (g.is_adjective(n)
                && next_token(text, next.as_ref().map_or(r.end, |t| t.end()))
                    .and_then(|t| t.word())
                    .is_some_and(|m| g.closed_classes(m) == 0 && !g.is_adverb(m) && !g.is_adjective(m)))
    })
}

/// "Is she", "does he", ", doesn't she?": an auxiliary right before the pronoun, in a
/// question, agrees with "they". Returns whether it did.
fn question(scan: &mut Scan<'_, '_>, start: usize, end: usize) -> bool {
    let g = scan.g;
    let text = scan.text;
    let ids = &g.rules.pronouns.ids;
    if ids.question.is_none() {
        return false;
    }
    let Some(Token::Word(aux_span, aux)) = prev_token(text, start) else {
        return false;
    };
    if aux_span.end == start || !only_spaces_between(text, aux_span.end, start) {
        return false;
    }
    let mut buf = [0u8; MAX_WORD_BYTES];
    let Some(plural) = lower(aux, &mut buf).and_then(|a| g.rules.pronouns.agreement.get(a)) else {
        return false;
    };
    // "The problem is he never tests": the pronoun has a verb of its own.
    let next = g.skip_adverbs(text, end);
    let next_word = next.as_ref().and_then(|t| t.word());
    if next_word.is_some_and(|w| g.is_surely_finite(w)) {
        return false;
    }
    let past_like = next_word.is_some_and(|w| g.is_past(w));
    let asks = sentence_end(text, end).1 == Some('?');
    let opens_clause = match prev_token(text, aux_span.start) {
        None => true,
        Some(Token::Punct(_, c)) => matches!(
            c,
            '.' | '!' | '?' | '\n' | ',' | ';' | ':' | '"' | '\u{201c}' | '(' | '*' | '-' | '\u{2022}' | '\u{2014}'
        ),
        Some(Token::Word(r, w)) => {
            // "Rarely does he", "Nor has he", "Not only does she": negative inversion.
            g.is(w, class::WH_WORD | class::INVERTER)
                || (g.is(w, class::NOUN_MODIFIER)
                    && prev_token(text, r.start)
                        .and_then(|t| t.word())
                        .is_some_and(|h| h.eq_ignore_ascii_case("how")))
        }
    };
    if !(asks || (opens_clause && !past_like)) {
        return false;
    }
    let after = with_apostrophe_of(aux, restore_case(aux, plural));
    let rule = ids.question.clone();
    scan.push(aux_span, after, &rule);
    true
}

/// The verb after a subject pronoun (past adverbs) agrees with "they"; so do the verbs
/// coordinated with it ("fell behind and is anxious").
fn agree(scan: &mut Scan<'_, '_>, from: usize) {
    let g = scan.g;
    let text = scan.text;
    let rule = g.rules.pronouns.ids.agreement.clone();
    if rule.is_none() {
        return;
    }
    let mut pos = from;
    // "He who has a plan": the relative clause's verb agrees with the pronoun too.
    if let Some(Token::Word(r, w)) = next_token(text, pos)
        && w.eq_ignore_ascii_case("who")
    {
        pos = r.end;
    }
    let verb = loop {
        match next_token(text, pos) {
            Some(Token::Word(r, w)) if g.is_adverb(w) || g.word_in(w, &g.rules.pronouns.reflexives) => pos = r.end,
            // "she, however, is", "He, to his credit, owns": an aside set off by commas,
            // after which only a verb the lexicon knows is taken for the subject's.
            Some(Token::Punct(p, ',')) => match aside_end(g, text, p + 1).and_then(|end| next_token(text, end)) {
                Some(Token::Word(r, w))
                    if g.is_agreement_form(w) || g.third_person_kind(w).is_some_and(|k| k != VerbKind::MostlyNoun) =>
                {
                    break Some((r, w));
                }
                _ => break None,
            },
            // "she very quickly writes", "she kind of knows": no adverbs, but no verb either.
            Some(Token::Word(r, w)) => match hedge_end(g, text, &r, w) {
                Some(end) => pos = end,
                None => break Some((r, w)),
            },
            // "she (the other one) does not": an aside in brackets, on the same line.
            Some(Token::Punct(p, '(')) => match text[p..].find([')', '\n']) {
                Some(close) if text[p + close..].starts_with(')') => pos = p + close + 1,
                _ => break None,
            },
            _ => break None,
        }
    };
    let Some((r, w)) = verb else {
        return coordinated(scan, pos, &rule, None);
    };
    let Some(plural) = g.plural_verb(w, true) else {
        return coordinated(scan, r.end, &rule, None);
    };
    scan.push(r.clone(), plural, &rule);
    // "She designs, implements, and tests": a verb with a comma right after it starts a list.
    let list = next_token(text, r.end).is_some_and(|t| t.is_punct(','));
    coordinated(scan, r.end, &rule, Some(MainVerb { word: w, list }));
}

/// Where a degree word before an adverb ("very quickly") or a hedge of one or two words
/// ("kind of", "not only") that starts with `w` at `r` ends: they stand between a subject
/// and its verb as adverbs do.
fn hedge_end(g: Grammar<'_>, text: &str, r: &Range<usize>, w: &str) -> Option<usize> {
    let cues = &g.rules.pronouns;
    if g.word_in(w, &cues.hedges) {
        return Some(r.end);
    }
    let Some(Token::Word(next, n)) = next_token(text, r.end) else {
        return None;
    };
    if g.word_in(w, &cues.intensifiers) && g.is_adverb(n) {
        return Some(r.end);
    }
    let pair = [w, " ", n].concat().to_ascii_lowercase();
    cues.hedges.contains(pair.as_str()).then_some(next.end)
}

/// The end of an aside that starts at `from` and closes with a comma within a few words
/// ("to his credit,"), without ending the clause first.
fn aside_end(g: Grammar<'_>, text: &str, from: usize) -> Option<usize> {
    let mut pos = from;
    for _ in 0..8 {
        let token = next_token(text, pos)?;
        match token {
            Token::Punct(_, ',') => return Some(token.end()),
            Token::Punct(_, c) if is_clause_end(c) => return None,
            Token::Word(_, w) if g.is(w, class::SUBJECT_PRONOUN) => return None,
            _ => pos = token.end(),
        }
    }
    None
}

/// The present-tense verb a subject pronoun agreed with, which verbs coordinated with it follow.
#[derive(Clone, Copy)]
struct MainVerb<'t> {
    word: &'t str,
    /// It opened a list of verbs: "designs, implements, and tests".
    list: bool,
}

/// Verbs that share the subject through "and", "or", "but", "then" or a comma, up to the end
/// of the clause: "He reads the spec and asks questions".
fn coordinated(scan: &mut Scan<'_, '_>, from: usize, rule: &Option<Arc<str>>, main: Option<MainVerb<'_>>) {
    let g = scan.g;
    let text = scan.text;
    let mut pos = from;
    // Verbs joined by a comma so far: "designs, builds and ships features" is a list of
    // verbs, and its last one is a verb too.
    let mut comma_verbs = 0;
    for _ in 0..40 {
        let Some(token) = next_token(text, pos) else { return };
        // A comma joins verbs only in a present-tense sentence ("gets up, makes lunch"); after
        // a past or modal verb it is more often an aside (", laces out,").
        let join = match &token {
            Token::Punct(_, ',') => main.is_some().then_some(Join::Comma),
            // "(semicolons, a wrong index)", "says \"ship it\" and": an aside or a quote
            // inside the clause.
            Token::Punct(p, open @ ('(' | '"' | '\u{201c}')) => {
                let close: &[char] = match open {
                    '(' => &[')'],
                    _ => &['"', '\u{201d}'],
                };
                let from = p + open.len_utf8();
                match text[from..].char_indices().find(|(_, c)| close.contains(c)) {
                    Some((i, c)) => pos = from + i + c.len_utf8(),
                    None => return,
                }
                continue;
            }
            Token::Punct(_, c) if is_clause_end(*c) => return,
            Token::Punct(..) => None,
            Token::Word(_, w) => {
                // "checks that you follow, and adjusts": a clause with a subject of its own,
                // up to its comma; the pronoun's subject goes on only with ", and".
                let classes = g.classes(w);
                if classes & (class::SUBJECT_PRONOUN | class::CLAUSE_OPENER) != 0 {
                    let resumes = comma_after(text, token.end()).filter(|&after| {
                        next_token(text, after)
                            .and_then(|t| t.word())
                            .is_some_and(|n| g.is(n, class::COORDINATOR))
                    });
                    match resumes {
                        Some(after) => pos = after,
                        None => return,
                    }
                    continue;
                }
                // Every predicate joiner is a coordinator (loading checks), so most words take
                // one lookup.
                if classes & class::COORDINATOR == 0 {
                    None
                } else if g.word_in(w, &g.rules.pronouns.predicate_joiners) {
                    Some(Join::Predicate)
                } else {
                    Some(Join::Word)
                }
            }
        };
        pos = token.end();
        let Some(join) = join else { continue };
        // "and... draws": an ellipsis after the coordinator.
        let mut at = pos;
        while let Some(token @ Token::Punct(_, '.' | '\u{2026}')) = next_token(text, at) {
            at = token.end();
        }
        let Some(Token::Word(r, w)) = g.skip_adverbs(text, at) else {
            continue;
        };
        // "and usually writes.": an adverb that does not also pick out nouns ("and mostly
        // tests") shows a verb.
        let adverb_before = next_token(text, at).is_some_and(|t| t.start() != r.start)
            && prev_token(text, r.start)
                .and_then(|t| t.word())
                .is_some_and(|a| !g.is(a, class::FOCUS_ADVERB));
        // "and has mostly done": what shows a verb comes after its adverbs.
        let next = g.skip_adverbs(text, r.end);
        // "and tests are flaky": a noun, the subject of an auxiliary of its own.
        let next_is_verb = next.as_ref().and_then(|t| t.word()).is_some_and(|n| g.is_auxiliary(n));
        let agrees = match g.third_person_kind(w) {
            _ if next_is_verb => false,
            Some(kind) => {
                let same_as_main = main.is_some_and(|m| m.word.eq_ignore_ascii_case(w));
                let in_list = main.is_some_and(|m| m.list)
                    && next
                        .as_ref()
                        .is_some_and(|t| t.is_punct(',') || t.word().is_some_and(|n| g.is(n, class::COORDINATOR)));
                // After a present-tense verb, "and adjusts." can only be a verb.
                let surely_verb = kind == VerbKind::MostlyVerb && main.is_some();
                let ends_list = join == Join::Word && comma_verbs > 0;
                same_as_main
                    || in_list
                    || ends_list
                    || surely_verb
                    || join == Join::Predicate
                    || (adverb_before && kind != VerbKind::MostlyNoun)
                    || verb_evidence(g, next.as_ref(), kind)
            }
            // is/was/has after a comma are too often another clause's (", is what I meant").
            None => join != Join::Comma && g.is_agreement_form(w),
        };
        if agrees && let Some(plural) = g.plural_verb(w, false) {
            scan.push(r.clone(), plural, rule);
            pos = r.end;
            if join == Join::Comma {
                comma_verbs += 1;
            }
        }
    }
}

/// Does the token after a third-person form show it is a verb? An object ("tests it", "orders
/// a drink") or a particle ("rolls over") does; for a word that is not mostly a noun, so does
/// an -ing form ("loves testing"; "nervous, hands shaking" is a noun's); for a word that is
/// mostly a verb, so does a noun or a name ("skips edge cases", "hates DP") or a preposition
/// ("works on").
fn verb_evidence(g: Grammar<'_>, next: Option<&Token<'_>>, kind: VerbKind) -> bool {
    let Some(Token::Word(_, n)) = next else { return false };
    if g.starts_object(n) || g.is(n, class::PARTICLE) {
        return true;
    }
    if kind == VerbKind::MostlyNoun {
        return false;
    }
    if n.len() > 4 && n.ends_with("ing") {
        return true;
    }
    let classes = g.closed_classes(n);
    let content = classes == 0 && !g.is_adverb(n);
    content || classes & class::PREPOSITION != 0
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    Comma,
    Word,
    /// "then", "but", "yet": they join predicates, not the nouns of a list.
    Predicate,
}

/// The end of the next comma before the clause ends, if there is one within a few words.
fn comma_after(text: &str, from: usize) -> Option<usize> {
    let mut pos = from;
    for _ in 0..20 {
        let token = next_token(text, pos)?;
        match token {
            Token::Punct(_, ',') => return Some(token.end()),
            Token::Punct(_, c) if is_clause_end(c) => return None,
            _ => pos = token.end(),
        }
    }
    None
}

fn is_clause_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ';' | ':' | '\n' | '"' | '\u{201c}' | '\u{201d}' | '(' | ')'
    )
}

/// "the idea was his", "his was cleaner": his without a noun is "theirs". After a verb it is the object's determiner, whatever the next word may
/// also be: "finish his thought", "lost his train of thought".
fn his_stands_alone(g: Grammar<'_>, text: &str, start: usize, end: usize) -> bool {
    let after_verb = matches!(prev_token(text, start), Some(Token::Word(_, v))
        if !g.is_auxiliary(v) && !g.is(v, class::PREPOSITION) && (g.is_past(v) || g.is_base(v)));
    match next_token(text, end) {
        None => true,
        // "on his…": a cut-off noun phrase, not a standalone "his".
        Some(Token::Punct(_, '\u{2026}')) => false,
        Some(Token::Punct(p, '.')) if text[p..].starts_with("..") => false,
        Some(Token::Punct(p, c)) => !opens_quote(text, p, c),
        Some(Token::Word(r, w)) => {
            !w.starts_with(|c: char| c.is_ascii_digit())
                && !starts_compound(text, r.end)
                && !g.is(w, class::PARTICLE)
                && (g.ends_noun_phrase(w) || (g.is_clause_verb(w) && !after_verb))
        }
    }
}

/// Is the word ending at `end` the first part of a hyphenated compound ("by-election")?
fn starts_compound(text: &str, end: usize) -> bool {
    let mut after = text[end..].chars();
    after.next() == Some('-') && after.next().is_some_and(char::is_alphanumeric)
}

/// Is the quote or bracket at `pos` opening something ("her 'type'") rather than closing?
fn opens_quote(text: &str, pos: usize, c: char) -> bool {
    match c {
        '(' | '[' | '{' | '\u{201c}' | '\u{2018}' => true,
        '"' | '\'' | '`' => char_at(text, pos + 1).is_some_and(char::is_alphanumeric),
        _ => false,
    }
}

/// "I asked her", "gave her a hint", "let her finish" (object: them) against
/// "her solution", "Her code" (determiner: their).
fn her_is_object(g: Grammar<'_>, text: &str, span: &Range<usize>) -> bool {
    let prev = prev_token(text, span.start);
    if matches!(&prev, None | Some(Token::Punct(_, '.' | '!' | '?' | '\n'))) {
        // "Her code" is a determiner; "Her?" stands alone, as an object does.
        return matches!(next_token(text, span.end), Some(Token::Punct(p, c)) if !opens_quote(text, p, c));
    }
    let next = match next_token(text, span.end) {
        None => return true,
        Some(Token::Punct(pos, c)) => return !opens_quote(text, pos, c),
        Some(Token::Word(r, w)) => (r, w),
    };
    let (r, w) = next;
    let prev_word = prev.as_ref().and_then(|t| t.word());
    // "I call her PR", "everyone calls her Sam": a name given to her, who is the object
    // ("called her bluff" is her own).
    if prev_word.is_some_and(|v| g.word_in(v, &g.rules.names.naming_verbs)) && w.starts_with(char::is_uppercase) {
        return true;
    }
    // "but her thought process", "because her tests passed": a clause starts at "her", and
    // no verb stands before it to take an object.
    if prev_word.is_some_and(|p| {
        p.eq_ignore_ascii_case("but") || p.eq_ignore_ascii_case("yet") || g.is(p, class::CLAUSE_OPENER)
    }) && !g.is_adverb(w)
        && g.closed_classes(w) & !class::NOUN_MODIFIER == 0
    {
        return false;
    }
    // "caught her cheating", "kept her waiting for ten minutes": an -ing form that begins no
    // noun phrase ("left her coding test" -> their).
    if prev_word.is_some_and(|v| g.word_in(v, &g.rules.pronouns.ing_objects))
        && w.len() >= 5
        && w.ends_with("ing")
        && g.is_verb_form(w)
        && phrase_ends_at(g, text, r.end)
    {
        return true;
    }
    // "paid her 500 dollars", "warned her not to rush", "gave her bad advice": what follows a
    // verb that takes a person.
    if let Some(Token::Word(verb, v)) = &prev {
        let frames = g.classes(v) & class::TAKES_PERSON;
        if frames != 0
            && let Some(object) = after_person_verb(g, text, verb.start, span.end, frames)
        {
            return object;
        }
    }
    if w.starts_with(|c: char| c.is_ascii_digit()) || starts_compound(text, r.end) {
        return false;
    }
    let after_ends_phrase = phrase_ends_at(g, text, r.end);
    if g.is(w, class::NOUN_MODIFIER) {
        // "interviewed her first.", "met her last week": when, after an object. Not after a
        // form of "be": "it was her first."
        let after_verb =
            prev_word.is_some_and(|v| g.is_verb_form(v) && !g.is(v, class::AUXILIARY | class::AGREEMENT) && !is_be(v));
        if after_verb && g.word_in(w, &g.rules.pronouns.ordinal_times) {
            // "her first 10k" counts, as "her 500 dollars" does not.
            let ends_at = |end: usize| {
                phrase_ends_at(g, text, end)
                    && !next_token(text, end)
                        .and_then(|t| t.word())
                        .is_some_and(|a| a.starts_with(|c: char| c.is_ascii_digit()))
            };
            match next_token(text, r.end) {
                Some(Token::Word(t, time)) if g.word_in(time, &g.rules.pronouns.time_nouns) && ends_at(t.end) => {
                    return true;
                }
                _ if ends_at(r.end) => return true,
                _ => {}
            }
        }
        // "love her more than", against "her more complex solution".
        let comparative = g.word_in(w, &g.rules.pronouns.comparatives);
        // "pushed her past the limit", against "her past projects", "her past two roles".
        let preposition = g.is(w, class::PREPOSITION)
            && next_token(text, r.end)
                .and_then(|t| t.word())
                .is_some_and(|a| g.is(a, class::DETERMINER | class::OBJECT_PRONOUN));
        return (comparative && after_ends_phrase) || preposition;
    }
    // "behind her back" against "brought her back".
    let prev_is_preposition = prev
        .as_ref()
        .and_then(|t| t.word())
        .is_some_and(|v| g.is(v, class::PREPOSITION));
    if prev_is_preposition && g.is(w, class::PARTICLE) {
        return false;
    }
    if g.ends_noun_phrase(w) || g.is_clause_verb(w) {
        return true;
    }
    // "found her calm under pressure", "made her happy.": an adjective ending the phrase. After
    // a verb that takes no such complement, or a preposition, it is a noun: "use her mobile".
    let noun_slot =
        prev_word.is_some_and(|v| !g.is(v, class::TAKES_PERSON) && (g.is(v, class::PREPOSITION) || g.is_verb_form(v)));
    if g.is_adjective(w) && after_ends_phrase && !noun_slot {
        return true;
    }
    // "let her finish", "had her fired": a verb after a causative.
    if prev_word.is_some_and(|v| g.is(v, class::CAUSATIVE)) {
        let lex = &g.rules.lexicon;
        let mut buf = [0u8; MAX_WORD_BYTES];
        if lower(w, &mut buf).is_some_and(|lw| lex.bases.contains(lw) || lex.participles.contains_key(lw)) {
            return true;
        }
    }
    // "want her paired with a senior", "found her stuck": a participle after such a verb.
    if prev_word.is_some_and(|v| g.is(v, class::COMPLEMENT)) {
        let mut buf = [0u8; MAX_WORD_BYTES];
        if lower(w, &mut buf).is_some_and(|lw| g.rules.lexicon.participles.contains_key(lw)) {
            return true;
        }
    }
    // "watched her refactor the module", "saw her debugging" against "saw her code".
    if prev_word.is_some_and(|v| g.is(v, class::PERCEPTION)) {
        let object_follows = next_token(text, r.end)
            .and_then(|t| t.word())
            .is_some_and(|n| g.starts_object(n));
        if object_follows || w.ends_with("ing") {
            return true;
        }
    }
    // "told her quickly" against "her extremely clean code".
    if g.is_adverb(w) {
        return match next_token(text, r.end) {
            Some(Token::Word(_, after)) => g.ends_noun_phrase(after),
            _ => true,
        };
    }
    false
}

/// After a verb that takes a person (`frames`: its `class::TAKES_PERSON` lists), what follows
/// "her" (ending at `her_end`) may show it is that person: `Some(true)` for "them",
/// `Some(false)` for "their", `None` where this does not settle it.
fn after_person_verb(g: Grammar<'_>, text: &str, verb_start: usize, her_end: usize, frames: u32) -> Option<bool> {
    let intensifier = |w: &str| g.word_in(w, &g.rules.pronouns.intensifiers);
    // "warned her repeatedly not to", "made her very nervous": adverbs first, but not those
    // that begin a noun phrase ("her first attempt", "her only chance").
    let mut pos = her_end;
    let mut adverbs = false;
    let (r, w) = loop {
        match next_token(text, pos)? {
            Token::Word(r, w) if (g.is_adverb(w) && !g.is(w, class::NOUN_MODIFIER)) || intensifier(w) => {
                pos = r.end;
                adverbs = true;
            }
            Token::Word(r, w) => break (r, w),
            Token::Punct(..) => return None,
        }
    };
    let ends_phrase = |end: usize| phrase_ends_at(g, text, end);
    // "She'd want her on the team": no noun phrase starts with a preposition, whoever the
    // subject is ("her on-call shift" is a compound).
    if g.is(w, class::PREPOSITION) && !g.is(w, class::DETERMINER) && !starts_compound(text, r.end) {
        return Some(true);
    }
    // "warned her not to rush", "asked her politely to", "I'd rank her first.".
    if g.is(w, class::AFTER_OBJECT)
        || (adverbs && g.ends_noun_phrase(w))
        || (g.is(w, class::NOUN_MODIFIER) && ends_phrase(r.end) && !subject_is_she(g, text, verb_start))
    {
        return Some(true);
    }
    // "rated her 3 out of 4", "scored her 4/5": a score, after a verb that grades.
    if frames & class::COMPLEMENT != 0 && w.starts_with(|c: char| c.is_ascii_digit()) && ends_phrase(r.end) {
        return Some(true);
    }
    // "told her Dana would follow up", "gave her Dana's number": another person, the subject
    // of a clause or the owner of what follows.
    if names_another(g, text, &r, w) {
        return Some(true);
    }
    if frames & class::DITRANSITIVE != 0 {
        // "paid her 500 dollars", "showed her two approaches", "gave her more time".
        if w.starts_with(|c: char| c.is_ascii_digit()) || g.is(w, class::QUANTIFIER) {
            return Some(true);
        }
        // The noun, past its adjectives and the names that modify it: "gave her (really
        // good) feedback", "asked her Python questions".
        let (mut nr, mut n) = (r.clone(), w);
        for _ in 0..4 {
            // Mid-sentence, a capitalised word is a name: "Python", "AWS".
            let proper = n.starts_with(char::is_uppercase);
            if !(g.is_adjectival(n) || g.is_adverb(n) || intensifier(n) || proper) {
                break;
            }
            match next_token(text, nr.end) {
                Some(Token::Word(r, w)) => (nr, n) = (r, w),
                _ => return None,
            }
        }
        let plural = looks_plural(g, n);
        if g.closed_classes(n) == 0 && (plural || g.is(n, class::MASS_NOUN)) {
            let after_token = next_token(text, nr.end);
            let after = after_token.as_ref().and_then(|t| t.word());
            // "gave her tests a second look": "her tests" was the first object.
            let second_object = after.is_some_and(|a| g.is(a, class::SECOND_OBJECT));
            // "sent her notes to the team", "handed her notes back": the person comes after.
            let handed_on = plural
                && after.is_some_and(|a| {
                    g.is(a, class::PARTICLE)
                        || (a.eq_ignore_ascii_case("to")
                            && after_token
                                .as_ref()
                                .and_then(|t| next_token(text, t.end()))
                                .is_some_and(|t| {
                                    t.word()
                                        .is_some_and(|o| g.starts_object(o) || o.starts_with(char::is_uppercase))
                                }))
                });
            // "showed her tests failing": a participle describes her noun.
            let described =
                after.is_some_and(|a| g.closed_classes(a) == 0 && (a.ends_with("ing") || g.is_participle(a)));
            // "She showed her tests": her own, or it would be "herself".
            let own = subject_is_she(g, text, verb_start);
            return Some(!(second_object || handed_on || described || own));
        }
    }
    // "took her longer than expected", "pushed her harder than": a comparative ("her number",
    // "her later" look like one too; "than" tells).
    let than = || {
        next_token(text, r.end)
            .and_then(|t| t.word())
            .is_some_and(|t| t.eq_ignore_ascii_case("than"))
    };
    if g.is_comparative(w) && than() {
        return Some(true);
    }
    // "made her very nervous", "kept her really busy": an adjective after adverbs. But "She
    // kept her cool": her own, or it would be "herself".
    let complement = frames & (class::COMPLEMENT | class::CAUSATIVE | class::PERCEPTION) != 0;
    if complement && g.is_adjectival(w) && !g.is(w, class::PREDICATIVE) && ends_phrase(r.end) {
        if subject_is_she(g, text, verb_start) {
            return Some(false);
        }
        if adverbs {
            return Some(true);
        }
    }
    None
}

/// Does what comes at `end` end a noun phrase: the text's end, a mark (not an opening
/// quote), or a word that cannot continue one ("told her that")?
fn phrase_ends_at(g: Grammar<'_>, text: &str, end: usize) -> bool {
    match next_token(text, end) {
        None => true,
        Some(Token::Punct(p, c)) => !opens_quote(text, p, c),
        Some(Token::Word(_, a)) => g.ends_noun_phrase(a),
    }
}

/// A form of "be", after which "her" and an ordinal are hers: "it was her first".
fn is_be(word: &str) -> bool {
    ["be", "been", "being"].iter().any(|b| word.eq_ignore_ascii_case(b))
}

/// Is `w` at `r`, after "her", a capitalised word that is the subject of a verb ("Dana
/// would", "Python was"), or someone's name that owns what follows ("Dana's", not an English
/// word or a thing's name the rules know)?
fn names_another(g: Grammar<'_>, text: &str, r: &Range<usize>, w: &str) -> bool {
    let (stem, possessive) = match w.char_indices().find(|&(_, c)| is_apostrophe(c)) {
        Some((i, c)) if w[i + c.len_utf8()..].eq_ignore_ascii_case("s") => (&w[..i], true),
        Some(_) => return false,
        None => (w, false),
    };
    let mut chars = stem.chars();
    let capitalised = chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase);
    if !capitalised || stem.len() < 2 {
        return false;
    }
    let mut buf = [0u8; MAX_WORD_BYTES];
    let Some(lowered) = lower(stem, &mut buf) else {
        return false;
    };
    // The subject of a clause, whatever the word: "told her Python was fine".
    let clause = next_token(text, r.end)
        .and_then(|t| t.word())
        .is_some_and(|a| g.is_auxiliary(a) || g.is_agreement_form(a) || g.is_clause_verb(a));
    let rules = g.rules;
    clause
        || (possessive && !rules.lexicon.common_words.contains(lowered) && !rules.names.proper_words.contains(lowered))
}

/// A plural noun, by its form: "questions", "notes", "PRs" (not "process", "status", "basis").
fn looks_plural(g: Grammar<'_>, word: &str) -> bool {
    word.len() >= 3
        && word.bytes().all(|b| b.is_ascii_alphabetic())
        && word.ends_with('s')
        && !["ss", "us", "is"]
            .iter()
            .any(|s| word[word.len() - 2..].eq_ignore_ascii_case(s))
        && !g.is_adverb(word)
}

/// Is the subject of the verb at `verb_start` "she" ("She has often shown her tests")?
fn subject_is_she(g: Grammar<'_>, text: &str, verb_start: usize) -> bool {
    let mut pos = verb_start;
    for _ in 0..5 {
        let Some(Token::Word(r, w)) = prev_token(text, pos) else {
            return false;
        };
        // "She'd", "she’s".
        let bare = w.split(is_apostrophe).next().unwrap_or(w);
        if bare.eq_ignore_ascii_case("she") {
            return true;
        }
        if !(g.is_adverb(w) || g.is_auxiliary(w) || w.eq_ignore_ascii_case("not")) {
            return false;
        }
        pos = r.start;
    }
    false
}
