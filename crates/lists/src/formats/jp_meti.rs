//! Japan's export-ban lists (METI / MOFA notices): the text extracted from the published PDFs.
//!
//! # Format
//!
//! Japan publishes three lists of parties to which exports are banned: entities of Russia
//! (`..._russia_tokutei.pdf`), of third countries (`..._daisangoku_tokutei.pdf`) and of Belarus
//! (`..._belarus_tokutei.pdf`). Each is a MOFA notice: a title and the designation dates, then
//! numbered entries. An entry reads
//!
//! ```text
//! 12 国際量子光学・量子技術センター（別称、ロシア量子センター及び RQC）
//! International Center for Quantum Optics ..., a.k.a. the
//! following two aliases:
//! -Russian Quantum Center; and
//! -RQC
//! 所在地：Business-center "Ural," 100 Novaya Street, ... Russia; and 30 Bolshoy Blvd, ...
//! ```
//!
//! — a number, the Japanese name (with `（別称、...）` aliases and Chinese names in brackets), the
//! English name (with `a.k.a., the following N aliases:` and a dashed list) and after `所在地：`
//! one or more addresses separated by `;`. Newer entries give the aliases on their own
//! `別称：` lines (Japanese, then English, `;`-separated) instead.
//!
//! The PDF text extraction is rough, and the parser is written for it: entries and the address
//! marker may start in the middle of a line (`..., Russia.36 公開株式会社...`), the English name
//! may follow the Japanese one on the same line (`...「プログレス」JSC Rocket and Space ...`),
//! names and addresses wrap anywhere, numbers may be full-width (`１`), and the marker may be
//! spaced out (`所 在 地 ：`). Entries are therefore found by their *expected* number: the next
//! entry is the next number (a jump of up to [`MAX_NUMBER_GAP`] is accepted with a warning),
//! either at the start of a line or, once the current entry's address has begun, glued to the
//! end of it, and always followed by Japanese text on the same line. Numbers inside addresses
//! (`Yasenevo 11 Kolpachny`) are preceded by a space and followed by Latin text, so they never
//! qualify.
//!
//! # Mapping decisions
//!
//! * One entity per entry, id `jp-meti-{list}-{number}` (`russia`, `third` or `belarus`, told
//!   by the file name, else by the notice's title), schema `LegalEntity`: the lists name
//!   organisations only. The same company listed twice at two addresses (third countries 2 and 3)
//!   stays two entities, as the source numbers them.
//! * The English name is `name`; the Japanese name, Japanese and English aliases and Chinese
//!   names in brackets are `alias`. A long description (Ministry of Defence: "..., including the
//!   Armed Forces ...") is cut to the name before `, including` (Japanese: before `。` or the
//!   bracket that says `含む`), the whole English text is kept in `notes`.
//! * Each address is an `address`; its country is read from the address (the last comma part
//!   that is a country, `Hong Kong` as `hk`, Japanese country names through a small table here),
//!   else the list's own country (Russia, Belarus); an address of the third-country list without
//!   a recognisable country is a warning.
//! * `program` is `METI export ban (Russia|third countries|Belarus)`, `topics` `export.control`.
//!
//! Several files (the three lists) can be imported together as one list.

use crate::error::ParseError;
use crate::formats::ParsedList;
use crate::source::Input;
use dualtrace_model::entity::clean_text;
use dualtrace_model::{Entity, Property, Schema, country_code};

/// The largest jump between consecutive entry numbers that is still read as the next entry.
pub const MAX_NUMBER_GAP: u32 = 5;

/// Which of the three METI lists a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetiList {
    /// Entities of the Russian Federation.
    Russia,
    /// Entities of countries other than Russia and Belarus.
    Third,
    /// Entities of Belarus.
    Belarus,
}

impl MetiList {
    /// The id part: `russia`, `third` or `belarus`.
    pub fn slug(self) -> &'static str {
        match self {
            MetiList::Russia => "russia",
            MetiList::Third => "third",
            MetiList::Belarus => "belarus",
        }
    }

    /// The `program` value.
    pub fn program(self) -> &'static str {
        match self {
            MetiList::Russia => "METI export ban (Russia)",
            MetiList::Third => "METI export ban (third countries)",
            MetiList::Belarus => "METI export ban (Belarus)",
        }
    }

    /// The country every entity of the list belongs to, if the list is about one country.
    fn country(self) -> Option<&'static str> {
        match self {
            MetiList::Russia => Some("ru"),
            MetiList::Third => None,
            MetiList::Belarus => Some("by"),
        }
    }

    /// The list of a file, by its name (`russia`, `daisangoku`/`third`, `belarus`), else by the
    /// title of the notice in its first lines.
    pub fn detect(file_name: &str, header: &str) -> Option<MetiList> {
        let name = file_name.to_lowercase();
        if name.contains("daisangoku") || name.contains("third") {
            Some(MetiList::Third)
        } else if name.contains("belarus") {
            Some(MetiList::Belarus)
        } else if name.contains("russia") {
            Some(MetiList::Russia)
        } else if header.contains("以外の国") {
            Some(MetiList::Third)
        } else if header.contains("ベラルーシ共和国の団体") {
            Some(MetiList::Belarus)
        } else if header.contains("ロシア連邦の団体") {
            Some(MetiList::Russia)
        } else {
            None
        }
    }
}

/// Japanese country names (as METI writes them) and their ISO codes, longest first where one
/// contains another.
const JP_COUNTRIES: &[(&str, &str)] = &[
    ("アラブ首長国連邦", "ae"),
    ("ロシア連邦", "ru"),
    ("ロシア", "ru"),
    ("ベラルーシ", "by"),
    ("香港", "hk"),
    ("マカオ", "mo"),
    ("台湾", "tw"),
    ("中華人民共和国", "cn"),
    ("中国", "cn"),
    ("トルコ", "tr"),
    ("アルメニア", "am"),
    ("ウズベキスタン", "uz"),
    ("カザフスタン", "kz"),
    ("キルギス", "kg"),
    ("タジキスタン", "tj"),
    ("アゼルバイジャン", "az"),
    ("ジョージア", "ge"),
    ("インド", "in"),
    ("イラン", "ir"),
    ("シリア", "sy"),
    ("北朝鮮", "kp"),
    ("セルビア", "rs"),
    ("タイ", "th"),
    ("マレーシア", "my"),
    ("シンガポール", "sg"),
    ("キプロス", "cy"),
    ("スイス", "ch"),
];

/// Places whose name inside an address decides the country over a following `China`.
const TERRITORIES: &[(&str, &str)] = &[("hong kong", "hk"), ("macau", "mo"), ("macao", "mo")];

/// Parses one or more METI list texts into one list.
pub fn parse(inputs: &[Input], list: &str) -> Result<ParsedList, ParseError> {
    let mut out = ParsedList::default();
    for input in inputs {
        parse_file(input, list, &mut out)?;
    }
    Ok(out)
}

/// One numbered entry: its number, first line and text lines (the number removed).
#[derive(Debug)]
struct RawEntry {
    number: u32,
    line: u64,
    lines: Vec<String>,
}

/// Parses one file's entries into `out`.
fn parse_file(input: &Input, list: &str, out: &mut ParsedList) -> Result<(), ParseError> {
    let text = std::str::from_utf8(&input.data)
        .map_err(|e| input.error("-", format!("not UTF-8 text: {e}")))?;
    let (header, entries) = split_entries(text);
    if entries.is_empty() {
        return Err(input.error(
            "entry",
            "no METI list entries found (expected numbered entries with Japanese and English \
             names and a 所在地 address)",
        ));
    }
    let kind = MetiList::detect(&input.file_name(), &header).ok_or_else(|| {
        input.error(
            "list",
            "cannot tell which METI list this is (file name should contain russia, \
             daisangoku or belarus)",
        )
    })?;
    let mut previous = 0;
    for raw in &entries {
        if raw.number != previous + 1 {
            out.warnings.push(format!(
                "{}: line {}: field number: entry numbers jump from {previous} to {}",
                input.name, raw.line, raw.number
            ));
        }
        previous = raw.number;
        let entity = build_entity(input, raw, kind, list, &mut out.warnings)?;
        out.entities.push(entity);
        out.records += 1;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Characters

/// Hiragana, katakana (full and half width) and the katakana middle dot / long vowel mark.
fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{ff65}'..='\u{ff9f}' | '\u{31f0}'..='\u{31ff}')
}

/// Han ideographs.
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Any character of Japanese/Chinese text: kana, Han, CJK punctuation, full-width forms.
fn is_cjk(c: char) -> bool {
    is_kana(c) || is_han(c) || matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

/// Full-width digits to ASCII (entry numbers and names use both).
fn normalize_digits(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - 0xff10 + u32::from('0')).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Japanese punctuation that never occurs in the English text of the lists.
const JAPANESE_PUNCTUATION: &[char] = &['（', '）', '、', '。', '「', '」', '『', '』', '､'];

/// Whether the text holds Japanese: kana, Han or Japanese punctuation outside the bracketed
/// Chinese names that English names also carry (`Ele Technology Co LTD（深圳市易络电子有限公司）`).
fn has_japanese(text: &str) -> bool {
    let (outside, groups) = bracket_groups(text);
    let japanese = |c: char| is_kana(c) || is_han(c) || JAPANESE_PUNCTUATION.contains(&c);
    outside.chars().any(japanese)
        || groups
            .iter()
            .any(|g| !is_chinese_name(g) && g.chars().any(japanese))
}

/// Whether a line (not an entry's first) continues Japanese text rather than starting English.
fn is_japanese_line(line: &str) -> bool {
    line.trim_start().chars().next().is_some_and(is_cjk) || has_japanese(line)
}

// ---------------------------------------------------------------------------------------------
// Entries

/// If `rest` (what follows a candidate number) can begin an entry: optional spaces, then a
/// character that is not a digit or separator, and Japanese text somewhere on the line.
fn begins_entry_text(rest: &str) -> Option<usize> {
    let trimmed = rest.trim_start_matches([' ', '\t', '\u{3000}']);
    let first = trimmed.chars().next()?;
    if first.is_ascii_digit() || matches!(first, '.' | ',' | ')' | '）' | ':' | '：' | '/' | '-')
    {
        return None;
    }
    trimmed
        .chars()
        .any(|c| is_kana(c) || is_han(c))
        .then_some(rest.len() - trimmed.len())
}

/// An entry number in `expected..=expected + MAX_NUMBER_GAP` starting at byte `at` of `line`,
/// with the byte offset where the entry's text begins.
fn entry_number_at(line: &str, at: usize, expected: u32) -> Option<(u32, usize)> {
    let tail = line.get(at..)?;
    let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let number: u32 = tail.get(..digits)?.parse().ok()?;
    if !(expected..=expected + MAX_NUMBER_GAP).contains(&number) {
        return None;
    }
    let skip = begins_entry_text(tail.get(digits..)?)?;
    Some((number, at + digits + skip))
}

/// An entry start glued inside a line (after an address), at or after byte `from`: a number
/// preceded by a character that is neither a digit nor white space. Returns the byte where the
/// number begins, the number and the byte where the entry's text begins.
fn mid_line_entry(line: &str, from: usize, expected: u32) -> Option<(usize, u32, usize)> {
    let mut prev: Option<char> = None;
    for (i, c) in line.char_indices() {
        if i < from {
            prev = Some(c);
            continue;
        }
        if c.is_ascii_digit()
            && prev.is_some_and(|p| !p.is_ascii_digit() && !p.is_whitespace())
            && let Some((n, text)) = entry_number_at(line, i, expected)
        {
            return Some((i, n, text));
        }
        prev = Some(c);
    }
    None
}

/// Finds a marker such as `所在地：` in the text, allowing spaces between its characters
/// (`所 在 地 ：`) and an ASCII colon; returns the byte range it covers.
fn find_marker(text: &str, marker: &str) -> Option<(usize, usize)> {
    let chars: Vec<char> = marker.chars().collect();
    for (start, _) in text.char_indices() {
        let mut pos = start;
        let mut ok = true;
        for (k, want) in chars.iter().enumerate() {
            let rest = text.get(pos..).unwrap_or("");
            let skipped = if k == 0 {
                rest
            } else {
                rest.trim_start_matches([' ', '\u{3000}'])
            };
            pos += rest.len() - skipped.len();
            match skipped.chars().next() {
                Some(c) if c == *want || (*want == '：' && c == ':') => pos += c.len_utf8(),
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            return Some((start, pos));
        }
    }
    None
}

/// Splits the text into the header (lines before the first entry) and the numbered entries.
fn split_entries(text: &str) -> (String, Vec<RawEntry>) {
    let mut header = String::new();
    let mut entries: Vec<RawEntry> = Vec::new();
    let mut in_address = false;
    for (n, raw_line) in text.lines().enumerate() {
        let line_no = n as u64 + 1;
        let mut line = normalize_digits(raw_line);
        loop {
            let expected = entries.last().map_or(1, |e| e.number + 1);
            if let Some((number, start)) = entry_number_at(&line, 0, expected) {
                let rest = line.get(start..).unwrap_or("").to_string();
                in_address = find_marker(&rest, "所在地：").is_some();
                entries.push(RawEntry {
                    number,
                    line: line_no,
                    lines: vec![rest],
                });
                break;
            }
            // A glued entry can only follow an address: one begun on an earlier line, or the
            // marker earlier on this one.
            let search_from = if in_address {
                Some(0)
            } else {
                find_marker(&line, "所在地：").map(|(_, end)| end)
            };
            let glued = search_from.and_then(|from| mid_line_entry(&line, from, expected));
            match (glued, entries.last_mut()) {
                (Some((at, _, _)), Some(current)) => {
                    current.lines.push(line.get(..at).unwrap_or("").to_string());
                    line = line.get(at..).unwrap_or("").to_string();
                }
                (_, Some(current)) => {
                    in_address |= find_marker(&line, "所在地：").is_some();
                    current.lines.push(line);
                    break;
                }
                (_, None) => {
                    header.push_str(&line);
                    header.push('\n');
                    break;
                }
            }
        }
    }
    (header, entries)
}

// ---------------------------------------------------------------------------------------------
// Names

/// The names of an entry, as read.
#[derive(Debug, Default, PartialEq)]
struct Names {
    english: String,
    english_aliases: Vec<String>,
    japanese: String,
    japanese_aliases: Vec<String>,
    description: Option<String>,
}

/// Joins wrapped lines: Japanese without a separator (except between two Latin characters),
/// English with a space.
fn join_lines<S: AsRef<str>>(lines: &[S], japanese: bool) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.as_ref().trim();
        if line.is_empty() {
            continue;
        }
        let latin_seam = out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && line
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if !out.is_empty() && (!japanese || latin_seam) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// How many of the last Japanese lines are searched for English glued to them.
const GLUED_ENGLISH_LINES: usize = 3;

/// Where English starts inside Japanese text: right after a CJK character, a Latin word that
/// begins text with no Japanese in it (bracketed Chinese names aside) and at least two words.
fn english_tail(text: &str) -> Option<usize> {
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if (c.is_ascii_alphanumeric() || c == '“')
            && prev.is_some_and(is_cjk)
            && let Some(rest) = text.get(i..)
            && rest.trim().contains(' ')
            && !has_japanese(rest)
        {
            return Some(i);
        }
        prev = Some(c);
    }
    None
}

/// Splits the name lines of an entry into Japanese and English lines. English starts at the
/// first later line without Japanese, or glued to the end of the Japanese text
/// (`...「プログレス」JSC Rocket and Space Centre – Progress`).
fn split_languages(lines: &[String]) -> (Vec<String>, Vec<String>) {
    let english_start = lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| !l.trim().is_empty() && !is_japanese_line(l))
        .map_or(lines.len(), |(i, _)| i);
    let glued_from = english_start.saturating_sub(GLUED_ENGLISH_LINES);
    let mut japanese: Vec<String> = lines.get(..glued_from).unwrap_or(&[]).to_vec();
    let tail = lines
        .get(glued_from..english_start)
        .unwrap_or(&[])
        .join("\n");
    let mut english: Vec<String> = Vec::new();
    match english_tail(&tail) {
        Some(at) => {
            japanese.extend(tail.get(..at).unwrap_or("").lines().map(str::to_string));
            english.extend(tail.get(at..).unwrap_or("").lines().map(str::to_string));
        }
        None => japanese.extend(tail.lines().map(str::to_string)),
    }
    english.extend(lines.get(english_start..).unwrap_or(&[]).iter().cloned());
    (japanese, english)
}

/// Bracket groups at the top level of a text (`（...）` or `(...)`, nested allowed): the text
/// outside them and each group's content.
fn bracket_groups(text: &str) -> (String, Vec<String>) {
    let mut outside = String::new();
    let mut groups = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '（' | '(' => {
                if depth > 0 {
                    current.push(c);
                }
                depth += 1;
            }
            '）' | ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    groups.push(std::mem::take(&mut current));
                    outside.push('\u{0}');
                } else {
                    current.push(c);
                }
            }
            _ if depth > 0 => current.push(c),
            _ => outside.push(c),
        }
    }
    if depth > 0 {
        outside.push_str(&current);
    }
    (outside, groups)
}

/// A bracket group that is a Chinese name (or a `、`-separated list of them): Han only (no
/// kana, no Latin letters), 4+ characters, not a `別称` alias list.
fn is_chinese_name(group: &str) -> bool {
    !group.starts_with("別称")
        && group.chars().filter(|c| is_han(*c)).count() >= 4
        && !group.chars().any(|c| is_kana(c) || c.is_ascii_alphabetic())
}

/// Splits an alias list (`A、B及びC`, `A; B`) at its top level, keeping nested brackets whole.
fn split_alias_list(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let is_and = c == '及' && chars.peek() == Some(&'び');
        if depth == 0 && (matches!(c, '、' | ';' | '；') || is_and) {
            if is_and {
                chars.next();
            }
            items.push(std::mem::take(&mut current));
            continue;
        }
        current.push(c);
    }
    items.push(current);
    items
        .into_iter()
        .map(|s| clean_name(&s))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Trims white space and list punctuation from a name.
fn clean_name(text: &str) -> String {
    let cleaned = clean_text(text);
    let mut s = cleaned.as_str();
    loop {
        let before = s.len();
        s = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ';' | ',' | '；' | '、'));
        for suffix in ["; and", " and"] {
            s = s.strip_suffix(suffix).unwrap_or(s);
        }
        if s.len() == before {
            break;
        }
    }
    s.trim_end_matches('.').trim().to_string()
}

/// Reads the Japanese name: aliases from `（別称、...）`, Chinese names from their brackets,
/// descriptions (`。`, `（...含む）`) cut off.
fn read_japanese(text: &str, names: &mut Names) {
    let text = text.split('。').next().unwrap_or(text);
    let (outside, groups) = bracket_groups(text);
    let mut kept = groups.into_iter();
    let mut base = String::new();
    for part in outside.split_inclusive('\u{0}') {
        let Some(head) = part.strip_suffix('\u{0}') else {
            base.push_str(part);
            continue;
        };
        base.push_str(head);
        let Some(group) = kept.next() else { continue };
        if let Some(list) = group.strip_prefix("別称") {
            for alias in split_alias_list(list.trim_start_matches(['、', '：', ':'])) {
                let (own, nested) = bracket_groups(&alias);
                names
                    .japanese_aliases
                    .push(clean_name(&own.replace('\u{0}', "")));
                names
                    .japanese_aliases
                    .extend(nested.iter().map(|n| clean_name(n)));
            }
        } else if is_chinese_name(&group) {
            names.japanese_aliases.extend(split_alias_list(&group));
        } else if !group.contains("含む") {
            base.push('（');
            base.push_str(&group);
            base.push('）');
        }
    }
    names.japanese = clean_name(&base);
}

/// Reads the English name: the name before `a.k.a.` (or a bare `the following N aliases:`),
/// the dashed alias list after it, Chinese
/// names in brackets as aliases, a description cut at `, including`.
fn read_english(lines: &[String], names: &mut Names) {
    let joined = lines.join("\n");
    let lower = joined.to_lowercase();
    // One entry drops the "a.k.a." and goes straight to "the following two aliases:".
    let aka = lower.find("a.k.a").or_else(|| lower.find("the following"));
    let (head, tail) = match aka {
        Some(at) => (
            joined.get(..at).unwrap_or(""),
            joined.get(at..).unwrap_or(""),
        ),
        None => (joined.as_str(), ""),
    };
    let mut name = clean_name(&head.replace('\n', " "));
    if let Some(at) = name.find(", including ") {
        names.description = Some(name.clone());
        name.truncate(at);
    }
    let (outside, groups) = bracket_groups(&name);
    if groups.iter().any(|g| is_chinese_name(g)) {
        for group in groups.iter().filter(|g| is_chinese_name(g)) {
            names.japanese_aliases.extend(split_alias_list(group));
        }
        let rebuilt = rebuild_without(&outside, &groups, is_chinese_name);
        name = clean_name(&rebuilt);
    }
    names.english = name;
    names.english_aliases.extend(aka_items(tail));
}

/// The text with the bracket groups that match `drop` removed (others put back).
fn rebuild_without(outside: &str, groups: &[String], drop: fn(&str) -> bool) -> String {
    let mut out = String::new();
    let mut groups = groups.iter();
    for c in outside.chars() {
        if c != '\u{0}' {
            out.push(c);
        } else if let Some(g) = groups.next().filter(|g| !drop(g)) {
            out.push('(');
            out.push_str(g);
            out.push(')');
        }
    }
    out
}

/// The dashes that start an item of an alias list.
const BULLETS: [char; 5] = ['-', '—', '–', '−', '‐'];

/// The aliases after `a.k.a., the following N aliases:`: one per dashed line (wrapped lines
/// continue the previous item), or the rest of the text when there are no dashes.
fn aka_items(tail: &str) -> Vec<String> {
    let Some(colon) = tail.find(':') else {
        let rest = tail.trim_start_matches(|c: char| c.is_alphabetic() || matches!(c, '.' | ','));
        return split_alias_list(rest);
    };
    // A bullet can follow the previous item on the same line (`...Tikhomirova；-JSC NIIP;`).
    let mut list = tail.get(colon + 1..).unwrap_or("").replace('；', ";");
    for dash in BULLETS {
        list = list.replace(&format!("; {dash}"), &format!(";\n{dash}"));
        list = list.replace(&format!(";{dash}"), &format!(";\n{dash}"));
    }
    let mut items: Vec<String> = Vec::new();
    for line in list.lines() {
        let trimmed = line.trim();
        let bullet = trimmed.trim_start_matches(BULLETS);
        match items.last_mut() {
            Some(last) if bullet.len() == trimmed.len() => {
                last.push(' ');
                last.push_str(trimmed);
            }
            _ => items.push(bullet.to_string()),
        }
    }
    items
        .iter()
        .map(|i| clean_name(i))
        .filter(|i| !i.is_empty())
        .collect()
}

/// Reads the `別称：` lines of the newer layout: Japanese lines, then English lines.
fn read_alias_block(lines: &[String], names: &mut Names) {
    let (japanese, english): (Vec<&String>, Vec<&String>) = lines
        .iter()
        .partition(|l| l.chars().any(|c| is_kana(c) || is_han(c)));
    names
        .japanese_aliases
        .extend(split_alias_list(&join_lines(&japanese, true)));
    let english = join_lines(&english, false);
    names.english_aliases.extend(
        english
            .split([';', '；'])
            .map(clean_name)
            .filter(|s| !s.is_empty()),
    );
}

/// Reads all names of an entry from the text before its address.
fn read_names(text: &str) -> Names {
    let mut names = Names::default();
    let (name_text, alias_text) = match find_marker(text, "別称：") {
        Some((start, end)) => (text.get(..start).unwrap_or(""), text.get(end..)),
        None => (text, None),
    };
    let lines: Vec<String> = name_text.lines().map(str::to_string).collect();
    let (japanese, english) = split_languages(&lines);
    read_japanese(&join_lines(&japanese, true), &mut names);
    read_english(&english, &mut names);
    if let Some(alias_text) = alias_text {
        let alias_lines: Vec<String> = alias_text.lines().map(str::to_string).collect();
        read_alias_block(&alias_lines, &mut names);
    }
    names
}

// ---------------------------------------------------------------------------------------------
// Addresses

/// The addresses after `所在地：`, split at `;` (a leading `and` dropped).
fn read_addresses(text: &str) -> Vec<String> {
    clean_text(text)
        .split([';', '；'])
        .map(|a| {
            let a = a.trim();
            let a = a.strip_prefix("and ").unwrap_or(a);
            a.trim().trim_end_matches('.').trim().to_string()
        })
        .filter(|a| !a.is_empty())
        .collect()
}

/// The country of an address: a territory name, a Japanese country name, or the last comma part
/// (digits removed) that is a country, else the last words of the last part.
fn address_country(address: &str) -> Option<String> {
    let lower = address.to_lowercase();
    if let Some((_, code)) = TERRITORIES.iter().find(|(name, _)| lower.contains(name)) {
        return Some((*code).to_string());
    }
    if address.chars().any(is_cjk)
        && let Some((_, code)) = JP_COUNTRIES.iter().find(|(name, _)| address.contains(name))
    {
        return Some((*code).to_string());
    }
    let parts: Vec<String> = address
        .split(',')
        .map(|p| {
            p.chars()
                .filter(|c| !c.is_ascii_digit())
                .collect::<String>()
        })
        .map(|p| p.trim().trim_end_matches('.').trim().to_string())
        .collect();
    if let Some(code) = parts
        .iter()
        .rev()
        .filter(|p| !p.is_empty())
        .find_map(|p| country_code(p).ok())
    {
        return Some(code);
    }
    let last = parts.iter().rev().find(|p| !p.is_empty())?;
    let words: Vec<&str> = last.split_whitespace().collect();
    (1..=3.min(words.len())).find_map(|n| {
        let tail = words.get(words.len() - n..)?.join(" ");
        let plausible = tail.len() > 3 || tail.chars().all(|c| c.is_ascii_uppercase());
        plausible.then(|| country_code(&tail).ok()).flatten()
    })
}

// ---------------------------------------------------------------------------------------------
// Entities

/// Builds the entity of one entry.
fn build_entity(
    input: &Input,
    raw: &RawEntry,
    kind: MetiList,
    list: &str,
    warnings: &mut Vec<String>,
) -> Result<Entity, ParseError> {
    let text = raw.lines.join("\n");
    let (name_text, address_text) = match find_marker(&text, "所在地：") {
        Some((start, end)) => (
            text.get(..start).unwrap_or(""),
            text.get(end..).unwrap_or(""),
        ),
        None => (text.as_str(), ""),
    };
    let names = read_names(name_text);
    let id = format!("jp-meti-{}-{}", kind.slug(), raw.number);
    let mut entity = Entity::new(id, Schema::LegalEntity).with_source(list, raw.number.to_string());
    let primary = if names.english.is_empty() {
        &names.japanese
    } else {
        &names.english
    };
    if primary.is_empty() {
        return Err(input.error_at_line(
            raw.line,
            "name",
            format!(
                "entry {} has neither a Japanese nor an English name",
                raw.number
            ),
        ));
    }
    entity.add(Property::Name, primary).ok();
    for alias in std::iter::once(&names.japanese)
        .chain(&names.japanese_aliases)
        .chain(&names.english_aliases)
    {
        if alias != primary {
            entity.add(Property::Alias, alias).ok();
        }
    }
    if let Some(description) = &names.description {
        entity.add(Property::Notes, description).ok();
    }
    add_addresses(&mut entity, input, raw, kind, address_text, warnings);
    entity.add(Property::Program, kind.program()).ok();
    entity.add(Property::Topics, "export.control").ok();
    Ok(entity)
}

/// Adds the addresses and their countries (the list's country when none is recognised).
fn add_addresses(
    entity: &mut Entity,
    input: &Input,
    raw: &RawEntry,
    kind: MetiList,
    text: &str,
    warnings: &mut Vec<String>,
) {
    for address in read_addresses(text) {
        entity.add(Property::Address, &address).ok();
        match address_country(&address).or_else(|| kind.country().map(str::to_string)) {
            Some(code) => {
                entity.add(Property::Country, &code).ok();
            }
            None => warnings.push(format!(
                "{}: line {}: field 所在地: no country recognised in address {address:?} of entry {}",
                input.name, raw.line, raw.number
            )),
        }
    }
    if entity.get(Property::Country).is_empty()
        && let Some(code) = kind.country()
    {
        entity.add(Property::Country, code).ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;
    use proptest::prelude::*;

    const THIRD: &str = include_str!("../../tests/fixtures/jp_meti/sample_daisangoku.txt");

    fn parse_text(name: &str, text: &str) -> Result<ParsedList, ParseError> {
        let input = Input::from_bytes(name, text.as_bytes().to_vec())?;
        parse(&[input], "jp_meti")
    }

    #[test]
    fn reads_every_entry_of_the_fixture() {
        let list = parse_text("x_list_daisangoku_tokutei.pdf.txt", THIRD).expect("parses");
        let ids: Vec<&str> = list.entities.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "jp-meti-third-1",
                "jp-meti-third-2",
                "jp-meti-third-3",
                "jp-meti-third-4",
                "jp-meti-third-5",
                "jp-meti-third-6",
                "jp-meti-third-7",
                "jp-meti-third-9",
                "jp-meti-third-10",
            ]
        );
        assert_eq!(list.records, 9);
        assert!(list.warnings.iter().any(|w| w.contains("jump from 7 to 9")));
    }

    #[test]
    fn maps_names_aliases_and_addresses() {
        let list = parse_text("x_daisangoku.txt", THIRD).expect("parses");
        let e = list.entity("jp-meti-third-1").expect("entity present");
        assert_eq!(e.schema, Schema::LegalEntity);
        assert_eq!(e.get(Property::Name), ["Sakura Test Trading LLC"]);
        assert_eq!(
            e.get(Property::Alias),
            [
                "有限会社さくらテスト商事",
                "さくら商事",
                "STT",
                "Sakura Trading",
                "STT LLC"
            ]
        );
        assert_eq!(
            e.get(Property::Address),
            [
                "1 Example Street, Yerevan, 0001, Armenia",
                "2 Sample Avenue, Dubai, United Arab Emirates"
            ]
        );
        assert_eq!(e.get(Property::Country), ["am", "ae"]);
        assert_eq!(
            e.get(Property::Program),
            ["METI export ban (third countries)"]
        );
        assert_eq!(e.get(Property::Topics), ["export.control"]);
        assert_eq!(
            e.provenance.as_ref().map(|p| p.record_id.as_str()),
            Some("1")
        );
    }

    #[test]
    fn glued_entries_and_inline_english_are_split() {
        let list = parse_text("x_daisangoku.txt", THIRD).expect("parses");
        // Entry 3 starts glued to the address of entry 2, with its English on the same line.
        let e2 = list.entity("jp-meti-third-2").expect("entity present");
        assert_eq!(
            e2.get(Property::Address),
            ["9 Harbour Road, Wan Chai, Hong Kong, China"]
        );
        assert_eq!(e2.get(Property::Country), ["hk"]);
        assert!(
            e2.get(Property::Alias)
                .contains(&"深圳市测试电子有限公司".to_string())
        );
        // "the following one alias:" without "a.k.a.".
        assert_eq!(e2.get(Property::Name), ["Test Electronics Limited"]);
        assert!(
            e2.get(Property::Alias)
                .contains(&"Test Elec Ltd".to_string())
        );
        let e3 = list.entity("jp-meti-third-3").expect("entity present");
        assert_eq!(e3.get(Property::Name), ["Kite Example Systems Ltd"]);
        assert_eq!(
            e3.get(Property::Alias),
            ["カイト・サンプル・システムズ", "Kite Systems", "KES"]
        );
        assert_eq!(e3.get(Property::Country), ["tr"]);
        // A Japanese line that starts with Latin letters still continues the Japanese name.
        let e9 = list.entity("jp-meti-third-9").expect("entity present");
        assert_eq!(e9.get(Property::Name), ["Last Test Corporation"]);
        assert_eq!(
            e9.get(Property::Alias),
            ["最後のテスト株式会社", "Last Test Kabushiki Kaisha"]
        );
        // English glued to wrapped Japanese, with a wrapped list of Chinese names.
        let e10 = list.entity("jp-meti-third-10").expect("entity present");
        assert_eq!(e10.get(Property::Name), ["Test Qisu Technology Co Ltd"]);
        assert_eq!(
            e10.get(Property::Alias),
            [
                "テスト・チースー・テクノロジー・リミテッド",
                "测试旗速电子有限公司",
                "测试旗速科技有限公司"
            ]
        );
        assert_eq!(e10.get(Property::Country), ["hk"]);
    }

    #[test]
    fn newer_alias_layout_and_japanese_countries() {
        let list = parse_text("x_daisangoku.txt", THIRD).expect("parses");
        let e = list.entity("jp-meti-third-4").expect("entity present");
        assert_eq!(e.get(Property::Name), ["Lotus Sample Company Limited"]);
        assert_eq!(
            e.get(Property::Alias),
            [
                "ロータス・サンプル・カンパニー・リミテッド",
                "蓮花样本有限公司",
                "ロータス・サンプル",
                "ロータス",
                "Lotus Sample Co Ltd",
                "Lotus Sample"
            ]
        );
        // Spaced-out marker, full-width number, Japanese country name.
        let e5 = list.entity("jp-meti-third-5").expect("entity present");
        assert_eq!(e5.get(Property::Country), ["kz"]);
        let e6 = list.entity("jp-meti-third-6").expect("entity present");
        assert_eq!(e6.get(Property::Country), ["cn"]);
    }

    #[test]
    fn description_is_cut_and_kept_in_notes() {
        let list = parse_text("x_daisangoku.txt", THIRD).expect("parses");
        let e = list.entity("jp-meti-third-7").expect("entity present");
        assert_eq!(e.get(Property::Name), ["Example Defence Agency"]);
        assert_eq!(e.get(Property::Alias), ["例示防衛庁"]);
        assert!(e.get(Property::Notes)[0].contains("including all units"));
        // An address without a country in the third-country list is a warning.
        assert!(
            list.warnings
                .iter()
                .any(|w| w.contains("entry 7") && w.contains("no country"))
        );
    }

    #[test]
    fn russia_list_defaults_the_country() {
        let text = "○ ロシア連邦の団体\n１ 株式会社テスト\nTest JSC\n所在地：Somewhere 5\n";
        let list = parse_text("notes.txt", text).expect("parses");
        let e = list.entity("jp-meti-russia-1").expect("entity present");
        assert_eq!(e.get(Property::Country), ["ru"]);
        assert_eq!(e.get(Property::Program), ["METI export ban (Russia)"]);
        assert!(list.warnings.is_empty());
    }

    #[test]
    fn country_from_address_forms() {
        let c = |a: &str| address_country(a);
        assert_eq!(
            c("22, Sushchevskaya UI, Moscow 127055RU").as_deref(),
            Some("ru")
        );
        assert_eq!(c("Snezhnogorsk, Russia, 184682").as_deref(), Some("ru"));
        assert_eq!(c("All addresses located in Belarus").as_deref(), Some("by"));
        assert_eq!(
            c("Komsomolsk, Khabarovsky Krai, Russia 618018").as_deref(),
            Some("ru")
        );
        assert_eq!(
            c("Unit 1, Kowloon, Hong Kong, China").as_deref(),
            Some("hk")
        );
        assert_eq!(c("Gorkiy St").as_deref(), None);
    }

    #[test]
    fn text_without_entries_is_an_error() {
        let err = parse_text("russia.txt", "Hello\nworld\n").expect_err("must fail");
        assert_eq!(err.location, Location::File);
        assert!(err.message.contains("no METI list entries"));
        let err = parse_text("russia.txt", "").expect_err("must fail");
        assert_eq!(err.field, "entry");
    }

    #[test]
    fn unknown_list_is_an_error() {
        let err = parse_text(
            "list.txt",
            "1 株式会社テスト\nTest JSC\n所在地：Moscow, Russia\n",
        )
        .expect_err("must fail");
        assert_eq!(err.field, "list");
    }

    #[test]
    fn not_utf8_is_an_error() {
        let input = Input::from_bytes("russia.txt", vec![b'1', b' ', 0xff, 0xfe]).expect("input");
        assert!(parse(&[input], "jp").is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        /// Arbitrary text never panics.
        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
            let _ = parse_text("russia.txt", &s);
        }

        /// The fixture with a character replaced or cut short never panics.
        #[test]
        fn mutated_fixture_never_panics(pos in 0usize..4000, c in any::<char>(), cut in any::<bool>()) {
            let chars: Vec<char> = THIRD.chars().collect();
            let pos = pos % chars.len();
            let mut mutated: Vec<char> = chars.clone();
            if cut { mutated.truncate(pos) } else { mutated[pos] = c }
            let text: String = mutated.into_iter().collect();
            let _ = parse_text("x_daisangoku.txt", &text);
        }
    }
}
