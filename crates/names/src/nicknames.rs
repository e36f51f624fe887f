//! Given names and their familiar forms: "Ted" is Theodore or Edward, "Volodya" is Vladimir.
//!
//! Customer records and press reports use the familiar form; lists use the full one (and list
//! the familiar one, at best, as a weak alias). No spelling rule bridges "Bill" and "William",
//! so this is a table: each group is a full given name (first, in the folded Latin form the
//! matcher compares) followed by its common familiar forms. A form may belong to several
//! groups ("ted": Edward and Theodore). Written by hand from common English, Russian and
//! German usage; not exhaustive.

use crate::hash::FastMap;
use std::sync::OnceLock;

/// Groups: a full given name, then its familiar forms.
const GROUPS: &[&[&str]] = &[
    &["alexander", "alex", "sandy", "sasha", "sanya", "shura"],
    &["aleksandr", "sasha", "sanya", "shura", "alexandr"],
    &["alexandra", "sasha", "sandra", "alex"],
    &["aleksei", "alyosha", "lyosha", "lesha"],
    &["alexey", "alyosha", "lyosha"],
    &["anatoly", "tolya", "tolik"],
    &["andrew", "andy", "drew"],
    &["anthony", "tony"],
    &["benjamin", "ben", "benny"],
    &["charles", "charlie", "chuck"],
    &["christopher", "chris", "kit"],
    &["daniel", "dan", "danny"],
    &["david", "dave", "davy"],
    &["dmitry", "dima", "mitya"],
    &["dmitri", "dima", "mitya"],
    &["donald", "don", "donnie"],
    &["edward", "ed", "eddie", "ted", "teddy", "ned"],
    &["elizabeth", "liz", "beth", "betty", "lisa", "eliza"],
    &["ekaterina", "katya", "katia"],
    &["yekaterina", "katya", "katia"],
    &["evgeny", "zhenya"],
    &["yevgeny", "zhenya"],
    &["francis", "frank"],
    &["frederick", "fred", "freddie"],
    &["gennady", "gena"],
    &["gregory", "greg"],
    &["grigory", "grisha"],
    &["henry", "hank", "harry"],
    &["ivan", "vanya"],
    &["jacob", "jake"],
    &["james", "jim", "jimmy", "jamie"],
    &["john", "jack", "johnny"],
    &["jonathan", "jon"],
    &["joseph", "joe", "joey"],
    &["konstantin", "kostya"],
    &["leonid", "lenya"],
    &["margaret", "maggie", "peggy", "meg"],
    &["maria", "masha"],
    &["matthew", "matt"],
    &["michael", "mike", "mick", "mickey"],
    &["mikhail", "misha"],
    &["nicholas", "nick", "nicky"],
    &["nikolai", "kolya"],
    &["patrick", "pat", "paddy"],
    &["pavel", "pasha"],
    &["peter", "pete"],
    &["pyotr", "petya"],
    &["richard", "rick", "dick", "rich", "ricky"],
    &["robert", "bob", "bobby", "rob", "robbie", "bert"],
    &["ronald", "ron", "ronnie"],
    &["samuel", "sam", "sammy"],
    &["sergei", "seryozha", "serezha"],
    &["sergey", "seryozha", "serezha"],
    &["stanislav", "stas"],
    &["stephen", "steve", "stevie"],
    &["steven", "steve"],
    &["svetlana", "sveta"],
    &["theodore", "ted", "teddy", "theo"],
    &["thomas", "tom", "tommy"],
    &["timothy", "tim"],
    &["valentin", "valya"],
    &["vladimir", "volodya", "vova"],
    &["vyacheslav", "slava"],
    &["william", "bill", "billy", "will", "willy", "liam"],
    &["wilhelm", "willi", "willy"],
    &["yuri", "yura"],
    &["johann", "hans"],
    &["johannes", "hans"],
];

fn table() -> &'static FastMap<&'static str, Vec<u16>> {
    static TABLE: OnceLock<FastMap<&'static str, Vec<u16>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map: FastMap<&'static str, Vec<u16>> = FastMap::default();
        for (g, group) in GROUPS.iter().enumerate() {
            for name in group.iter() {
                let ids = map.entry(name).or_default();
                let g = g as u16;
                if !ids.contains(&g) {
                    ids.push(g);
                }
            }
        }
        map
    })
}

/// The given-name groups a folded token belongs to (empty for most tokens).
///
/// ```
/// use dualtrace_names::given_name_groups;
/// let ted = given_name_groups("ted");
/// assert!(ted.iter().any(|g| given_name_groups("theodore").contains(g)));
/// assert!(given_name_groups("putin").is_empty());
/// ```
pub fn given_name_groups(token: &str) -> &'static [u16] {
    table().get(token).map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        given_name_groups(a)
            .iter()
            .any(|g| given_name_groups(b).contains(g))
    }

    #[test]
    fn familiar_forms_meet_their_full_names() {
        assert!(same("ted", "theodore"));
        assert!(same("ted", "edward"));
        assert!(same("bill", "william"));
        assert!(same("volodya", "vladimir"));
        assert!(same("sasha", "aleksandr"));
        assert!(!same("ted", "william"));
        assert!(!same("bill", "robert"));
    }

    #[test]
    fn groups_are_folded_lowercase_words() {
        for group in GROUPS {
            for name in group.iter() {
                assert!(
                    name.chars().all(|c| c.is_ascii_lowercase()),
                    "{name} is not folded"
                );
            }
        }
    }
}
