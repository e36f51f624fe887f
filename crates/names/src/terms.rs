//! Tables of legal forms, generic organisation words, honorifics and vessel prefixes, in many
//! languages and scripts, and the matcher that finds them in a token stream.
//!
//! Legal forms are *classified*, not dropped: "Gazprom PAO" and "Gazprom JSC" must still match
//! (the form weighs little), but the form is evidence too (an "OOO" is not an "AO", and a
//! company reduced to nothing but its form must not vanish). Every form maps to a canonical
//! [`LegalForm`] so that "ООО", "OOO", "LLC", "L.L.C.", "Ltd", "GmbH", "Sp. z o.o." and
//! "有限公司" compare equal. Generic words ("trading", "group", "технологии", "贸易") are
//! tagged so a matcher can down-weight them: they are the main source of false positives in
//! screening engines ("EMMA LLC" vs "Emma Daniels").
//!
//! Table entries are written as they appear in real names, in any script; at first use each
//! entry is passed through the same transliteration and folding as names (so "ООО" becomes
//! "ooo", "有限公司" becomes "you xian gong si" and "общество с ограниченной ответственностью"
//! every romanisation of it) and stored as a folded token sequence. Matching is greedy,
//! longest sequence first. Two-letter forms (SA, AG, AO, IP...) and forms made only of single
//! letters ("s a", "l l c") are accepted only at either end of a name or next to another legal
//! form, because inside a name they are usually initials or words.

use crate::hash::FastMap;
use std::sync::LazyLock;

/// Canonical legal-form classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegalForm {
    /// Limited liability company: ООО, LLC, Ltd, GmbH, SARL, S.R.L., Sp. z o.o., 有限公司, TOO, MChJ.
    Llc,
    /// Joint-stock company or corporation: АО, JSC, ЗАО, ОАО, AG, S.A., SpA, A.Ş., PLC, Inc, Corp, 株式会社.
    Jsc,
    /// Public joint-stock company: ПАО, PJSC, ПАТ.
    Pjsc,
    /// Free-zone entity: FZE, FZCO, FZ-LLC, DMCC.
    FreeZone,
    /// (Federal) state or municipal unitary enterprise: ГУП, ФГУП, МУП, ДП.
    StateEnterprise,
    /// State institution or autonomous non-profit: ФГБУ, ФКУ, ФГБОУ, АНО.
    Institution,
    /// Sole trader: ИП, ФОП, e.K.
    SoleTrader,
    /// Partnership: LP, LLP, KG, OHG, SNC.
    Partnership,
    /// Cooperative: eG, кооператив, 合作社.
    Cooperative,
}

impl LegalForm {
    /// The canonical lowercase code, e.g. `"llc"`, `"jsc"`, `"pjsc"`, `"fze"`, `"gup"`.
    pub fn as_str(self) -> &'static str {
        match self {
            LegalForm::Llc => "llc",
            LegalForm::Jsc => "jsc",
            LegalForm::Pjsc => "pjsc",
            LegalForm::FreeZone => "fze",
            LegalForm::StateEnterprise => "gup",
            LegalForm::Institution => "institution",
            LegalForm::SoleTrader => "ip",
            LegalForm::Partnership => "partnership",
            LegalForm::Cooperative => "coop",
        }
    }
}

/// What a table entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Term {
    Legal(LegalForm),
    Generic,
    Honorific,
    VesselPrefix,
}

use LegalForm::*;

const LEGAL: &[(&str, LegalForm)] = &[
    ("ООО", Llc),
    ("OOO", Llc),
    ("LLC", Llc),
    ("L.L.C.", Llc),
    ("Limited Liability Company", Llc),
    ("Limited Liability Co", Llc),
    ("Общество с ограниченной ответственностью", Llc),
    ("ТОО", Llc),
    ("TOO", Llc),
    ("Товарищество с ограниченной ответственностью", Llc),
    ("MChJ", Llc),
    ("МЧЖ", Llc),
    ("Mas'uliyati cheklangan jamiyat", Llc),
    ("ОсОО", Llc),
    ("OsOO", Llc),
    ("ТОВ", Llc),
    ("Товариство з обмеженою відповідальністю", Llc),
    ("Ltd", Llc),
    ("Limited", Llc),
    ("Co. Ltd", Llc),
    ("Company Limited", Llc),
    ("Pty Ltd", Llc),
    ("Pvt Ltd", Llc),
    ("Private Limited", Llc),
    ("Ltd. Şti.", Llc),
    ("Limited Şirketi", Llc),
    ("Sdn Bhd", Llc),
    ("有限公司", Llc),
    ("有限责任公司", Llc),
    ("有限責任公司", Llc),
    ("有限会社", Llc),
    ("合同会社", Llc),
    ("Yugen Kaisha", Llc),
    ("Godo Kaisha", Llc),
    ("유한회사", Llc),
    ("GmbH", Llc),
    ("Gesellschaft mit beschränkter Haftung", Llc),
    ("SARL", Llc),
    ("S.A.R.L.", Llc),
    ("SRL", Llc),
    ("S.R.L.", Llc),
    ("Sp. z o.o.", Llc),
    ("Spółka z ograniczoną odpowiedzialnością", Llc),
    ("s.r.o.", Llc),
    ("spol. s r.o.", Llc),
    ("d.o.o.", Llc),
    ("Kft", Llc),
    ("BV", Llc),
    ("B.V.", Llc),
    ("EOOD", Llc),
    ("ЕООД", Llc),
    ("OOD", Llc),
    ("ООД", Llc),
    ("Ltda", Llc),
    ("АО", Jsc),
    ("AO", Jsc),
    ("JSC", Jsc),
    ("Joint Stock Company", Jsc),
    ("Joint-Stock Company", Jsc),
    ("Акционерное общество", Jsc),
    ("ЗАО", Jsc),
    ("ZAO", Jsc),
    ("Закрытое акционерное общество", Jsc),
    ("CJSC", Jsc),
    ("Closed Joint Stock Company", Jsc),
    ("ОАО", Jsc),
    ("OAO", Jsc),
    ("Открытое акционерное общество", Jsc),
    ("OJSC", Jsc),
    ("Open Joint Stock Company", Jsc),
    ("НАО", Jsc),
    ("NAO", Jsc),
    ("Непубличное акционерное общество", Jsc),
    ("АТ", Jsc),
    ("ПрАТ", Jsc),
    ("PrAT", Jsc),
    ("ПрАО", Jsc),
    ("Акціонерне товариство", Jsc),
    ("АҚ", Jsc),
    ("Акционерлік қоғам", Jsc),
    ("AG", Jsc),
    ("Aktiengesellschaft", Jsc),
    ("SA", Jsc),
    ("S.A.", Jsc),
    ("Société Anonyme", Jsc),
    ("Sociedad Anónima", Jsc),
    ("SpA", Jsc),
    ("S.p.A.", Jsc),
    ("Società per azioni", Jsc),
    ("AS", Jsc),
    ("A.S.", Jsc),
    ("A.Ş.", Jsc),
    ("Anonim Şirketi", Jsc),
    ("PLC", Jsc),
    ("Public Limited Company", Jsc),
    ("Inc", Jsc),
    ("Incorporated", Jsc),
    ("Corp", Jsc),
    ("Corporation", Jsc),
    ("NV", Jsc),
    ("N.V.", Jsc),
    ("AB", Jsc),
    ("ASA", Jsc),
    ("Oyj", Jsc),
    ("KK", Jsc),
    ("K.K.", Jsc),
    ("株式会社", Jsc),
    ("Kabushiki Kaisha", Jsc),
    ("股份有限公司", Jsc),
    ("주식회사", Jsc),
    ("SE", Jsc),
    ("SAS", Jsc),
    ("S.A.S.", Jsc),
    ("SAE", Jsc),
    ("Bhd", Jsc),
    ("Berhad", Jsc),
    ("Tbk", Jsc),
    ("SAOG", Jsc),
    ("QSC", Jsc),
    ("KSC", Jsc),
    ("BSC", Jsc),
    ("ПАО", Pjsc),
    ("PAO", Pjsc),
    ("PJSC", Pjsc),
    ("Public Joint Stock Company", Pjsc),
    ("Public Joint-Stock Company", Pjsc),
    ("Публичное акционерное общество", Pjsc),
    ("ПАТ", Pjsc),
    ("Публічне акціонерне товариство", Pjsc),
    ("FZE", FreeZone),
    ("FZCO", FreeZone),
    ("FZC", FreeZone),
    ("FZ-LLC", FreeZone),
    ("LLC-FZ", FreeZone),
    ("FZ", FreeZone),
    ("Free Zone Establishment", FreeZone),
    ("Free Zone Company", FreeZone),
    ("DMCC", FreeZone),
    ("ГУП", StateEnterprise),
    ("GUP", StateEnterprise),
    ("ФГУП", StateEnterprise),
    ("FGUP", StateEnterprise),
    ("МУП", StateEnterprise),
    ("MUP", StateEnterprise),
    ("Государственное унитарное предприятие", StateEnterprise),
    (
        "Федеральное государственное унитарное предприятие",
        StateEnterprise,
    ),
    ("Federal State Unitary Enterprise", StateEnterprise),
    ("State Unitary Enterprise", StateEnterprise),
    ("ДП", StateEnterprise),
    ("Державне підприємство", StateEnterprise),
    ("ФГБУ", Institution),
    ("FGBU", Institution),
    ("ФГУ", Institution),
    ("ФКУ", Institution),
    ("FKU", Institution),
    ("ГБУ", Institution),
    ("ФГБОУ", Institution),
    ("FGBOU", Institution),
    ("ФГАОУ", Institution),
    ("ФГБНУ", Institution),
    (
        "Федеральное государственное бюджетное учреждение",
        Institution,
    ),
    ("АНО", Institution),
    ("ANO", Institution),
    ("Автономная некоммерческая организация", Institution),
    ("ИП", SoleTrader),
    ("IP", SoleTrader),
    ("Индивидуальный предприниматель", SoleTrader),
    ("ФОП", SoleTrader),
    ("FOP", SoleTrader),
    ("Sole Proprietor", SoleTrader),
    ("e.K.", SoleTrader),
    ("LP", Partnership),
    ("L.P.", Partnership),
    ("LLP", Partnership),
    ("L.L.P.", Partnership),
    ("Limited Partnership", Partnership),
    ("Limited Liability Partnership", Partnership),
    ("KG", Partnership),
    ("GmbH & Co. KG", Partnership),
    ("OHG", Partnership),
    ("SNC", Partnership),
    ("Kommanditgesellschaft", Partnership),
    ("eG", Cooperative),
    ("Cooperative", Cooperative),
    ("Co-operative", Cooperative),
    ("Кооператив", Cooperative),
    ("Производственный кооператив", Cooperative),
    ("合作社", Cooperative),
];

const GENERIC: &[&str] = &[
    "trading",
    "trade",
    "traders",
    "group",
    "groups",
    "international",
    "intl",
    "holding",
    "holdings",
    "company",
    "co",
    "companies",
    "industrial",
    "industries",
    "industry",
    "technology",
    "technologies",
    "tech",
    "engineering",
    "electronics",
    "electronic",
    "import",
    "export",
    "imp",
    "exp",
    "import export",
    "logistics",
    "development",
    "investment",
    "investments",
    "enterprise",
    "enterprises",
    "services",
    "service",
    "solutions",
    "systems",
    "global",
    "general",
    "commercial",
    "manufacturing",
    "products",
    "production",
    "resources",
    "partners",
    "ventures",
    "consulting",
    "management",
    "equipment",
    "supply",
    "supplies",
    "materials",
    "machinery",
    "shipping",
    "transport",
    "the",
    "of",
    "and",
    "for",
    "de",
    "la",
    "del",
    "des",
    "du",
    "und",
    "et",
    "handels",
    "handel",
    "gruppe",
    "technik",
    "commerce",
    "comercial",
    "trading house",
    "торговый",
    "торговая",
    "торговое",
    "торгового",
    "торговой",
    "торговый дом",
    "торгово",
    "тд",
    "группа",
    "группа компаний",
    "компания",
    "холдинг",
    "промышленный",
    "промышленная",
    "промышленное",
    "технологии",
    "технология",
    "инжиниринг",
    "электроника",
    "импорт",
    "экспорт",
    "логистика",
    "предприятие",
    "производственное",
    "производственная",
    "производственный",
    "объединение",
    "научно",
    "международный",
    "международная",
    "завод",
    "концерн",
    "фирма",
    "нпо",
    "нпп",
    "нпф",
    "и",
    "贸易",
    "貿易",
    "科技",
    "电子",
    "電子",
    "集团",
    "集團",
    "国际",
    "國際",
    "实业",
    "實業",
    "技术",
    "技術",
    "发展",
    "發展",
    "进出口",
    "進出口",
    "控股",
    "工业",
    "工業",
    "投资",
    "投資",
    "物流",
    "商贸",
    "供应链",
    "机械",
    "设备",
    "公司",
];

const HONORIFIC: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mister",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "sheikh",
    "shaikh",
    "shaykh",
    "sheik",
    "cheikh",
    "haji",
    "hajji",
    "hadji",
    "mullah",
    "mulla",
    "maulana",
    "imam",
    "ayatollah",
    "hojatoleslam",
    "general",
    "gen",
    "colonel",
    "col",
    "major",
    "maj",
    "captain",
    "capt",
    "lieutenant",
    "lt",
    "admiral",
    "adm",
    "brigadier",
    "commander",
    "president",
    "presidente",
    "präsident",
    "praesident",
    "predsjednik",
    "președintele",
    "presiden",
    "prezident",
    "elnök",
    "his excellency",
    "minister",
    "senator",
    "sen",
    "hon",
    "honourable",
    "honorable",
    "rev",
    "reverend",
    "господин",
    "г-н",
    "президент",
    "генерал",
    "полковник",
    "министр",
    "майор",
    "капитан",
    "الشيخ",
    "شيخ",
    "先生",
    "主席",
    "总统",
    "總統",
];

const VESSEL_PREFIX: &[&str] = &[
    "M/V",
    "MV",
    "M.V.",
    "MT",
    "M/T",
    "M.T.",
    "SS",
    "S.S.",
    "FV",
    "F/V",
    "MY",
    "M/Y",
    "Motor Vessel",
    "Motor Tanker",
    "Tanker",
    "Vessel",
];

/// The term tables, folded (see the module docs), built on first use.
struct Tables {
    /// Folded token sequence (joined by single spaces) → terms.
    by_key: FastMap<String, Vec<Term>>,
    /// First token of a sequence → the most tokens of a sequence starting with it, so that a
    /// token that starts none costs one lookup.
    longest_from: FastMap<String, usize>,
    /// By first byte, the lengths in bytes (bit `min(len, 63)`) of the first tokens in
    /// `longest_from`: most name words fail this test and skip the hash lookup.
    shapes: Vec<u64>,
}

/// The bit of a token's length in [`Tables::shapes`].
fn length_bit(token: &str) -> u64 {
    1 << token.len().min(63)
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let by_key = build_table();
    let mut longest_from: FastMap<String, usize> = FastMap::default();
    for key in by_key.keys() {
        let len = key.split(' ').count();
        let first = key.split(' ').next().unwrap_or_default();
        let longest = longest_from.entry(first.to_string()).or_default();
        *longest = (*longest).max(len);
    }
    let mut shapes = vec![0u64; 256];
    for first in longest_from.keys() {
        if let Some(&b) = first.as_bytes().first() {
            shapes[usize::from(b)] |= length_bit(first);
        }
    }
    Tables {
        by_key,
        longest_from,
        shapes,
    }
});

fn build_table() -> FastMap<String, Vec<Term>> {
    let mut map: FastMap<String, Vec<Term>> = FastMap::default();
    let entries = LEGAL
        .iter()
        .map(|(s, f)| (*s, Term::Legal(*f)))
        .chain(GENERIC.iter().map(|s| (*s, Term::Generic)))
        .chain(HONORIFIC.iter().map(|s| (*s, Term::Honorific)))
        .chain(VESSEL_PREFIX.iter().map(|s| (*s, Term::VesselPrefix)));
    for (text, term) in entries {
        let joined = crate::token::join_dotted(text);
        for form in [text, joined.as_ref()] {
            for v in crate::translit::variants(form, false) {
                let terms = map.entry(v).or_default();
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
        }
    }
    map
}

/// The terms spelled by the folded token sequence `key` (tokens joined by single spaces), in
/// table order (legal forms, generic words, honorifics, vessel prefixes); empty if none.
pub(crate) fn lookup(key: &str) -> &'static [Term] {
    TABLES.by_key.get(key).map(Vec::as_slice).unwrap_or(&[])
}

/// The most tokens of a term sequence whose first token is `token`; 0 when none starts with it
/// (then no sequence starting there can be a term).
pub(crate) fn longest_from(token: &str) -> usize {
    let tables = &*TABLES;
    let possible = match token.as_bytes().first() {
        Some(&b) => tables.shapes[usize::from(b)] & length_bit(token) != 0,
        None => true,
    };
    if possible {
        tables.longest_from.get(token).copied().unwrap_or(0)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_folded_and_transliterated() {
        assert_eq!(lookup("ooo").first(), Some(&Term::Legal(Llc)));
        assert_eq!(lookup("you xian gong si").first(), Some(&Term::Legal(Llc)));
        assert_eq!(lookup("zhu shi hui she").first(), Some(&Term::Legal(Jsc)));
        assert_eq!(lookup("sp z oo").first(), Some(&Term::Legal(Llc)));
        assert_eq!(lookup("sp z o o").first(), Some(&Term::Legal(Llc)));
        assert_eq!(lookup("l l c").first(), Some(&Term::Legal(Llc)));
        assert_eq!(lookup("llc").first(), Some(&Term::Legal(Llc)));
        assert_eq!(lookup("as").first(), Some(&Term::Legal(Jsc)));
        assert_eq!(lookup("pao").first(), Some(&Term::Legal(Pjsc)));
        assert_eq!(
            lookup("obshchestvo s ogranichennoy otvetstvennostyu").first(),
            Some(&Term::Legal(Llc))
        );
        assert_eq!(
            lookup("obshchestvo s ogranichennoi otvetstvennostiu").first(),
            Some(&Term::Legal(Llc))
        );
        assert_eq!(lookup("gmbh").first(), Some(&Term::Legal(Llc)));
        assert_eq!(lookup("mao yi").first(), Some(&Term::Generic));
        assert_eq!(lookup("torgovyy").first(), Some(&Term::Generic));
        assert_eq!(lookup("trading").first(), Some(&Term::Generic));
        assert_eq!(lookup("prezident").first(), Some(&Term::Honorific));
        assert_eq!(lookup("elnok").first(), Some(&Term::Honorific));
        assert_eq!(lookup("m v").first(), Some(&Term::VesselPrefix));
        assert!(lookup("putin").is_empty());
        assert_eq!(lookup("general"), [Term::Generic, Term::Honorific]);
        assert!(TABLES.longest_from.values().copied().max() >= Some(5));
        assert_eq!(longest_from("putin"), 0);
        assert_eq!(longest_from("open"), 4);
        assert_eq!(longest_from("gmbh"), 3);
        for key in TABLES.by_key.keys() {
            let first = key.split(' ').next().unwrap_or_default();
            assert!(longest_from(first) >= key.split(' ').count(), "{key}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_shape_filter_only_skips_tokens_that_start_no_term(token in "[a-z]{0,70}|\\PC{0,8}") {
            let looked_up = TABLES.longest_from.get(&token).copied().unwrap_or(0);
            proptest::prop_assert_eq!(longest_from(&token), looked_up);
        }
    }

    #[test]
    fn canonical_codes() {
        assert_eq!(Llc.as_str(), "llc");
        assert_eq!(Pjsc.as_str(), "pjsc");
        assert_eq!(StateEnterprise.as_str(), "gup");
    }
}
