//! The curated word lists the drafter reads names by: titles and honorifics, the words of roles,
//! the words that make a capitalized phrase an organization or a place rather than a person,
//! countries and their adjectives, and the verbs of speech.
//!
//! No model: a name is a person because a title stands before it ("Vice Foreign Minister Ma
//! Zhaoxu", "spokeswoman Mao Ning", "Ayatollah Ali Khamenei"), a role follows it ("Majed
//! Al-Ansari, spokesman of the ministry"), or it says something ("Trump said"). Adding a word
//! here is the way to teach the drafter a new kind of official.

/// Words that, standing right before a name, make it a person's name. Lowercase, no dots.
#[rustfmt::skip]
pub const TITLES: &[&str] = &[
    "minister", "spokesperson", "spokeswoman", "spokesman", "president", "leader", "diplomat",
    "ambassador", "envoy", "secretary", "professor", "prof", "director", "director-general",
    "secretary-general", "chairman", "chairwoman", "chair", "king", "queen", "prince", "emir",
    "sheikh", "sheikha", "ayatollah", "dr", "mr", "mrs", "ms", "he", "hm", "excellency", "lecturer",
    "analyst", "official", "adviser", "advisor", "chief", "premier", "chancellor", "counterpart",
    "representative", "governor", "senator", "commander", "councilor", "councillor", "mayor",
    "general", "colonel", "judge", "pope", "cleric", "negotiator", "researcher", "fellow",
    "economist", "scholar", "head", "vice-minister", "vice-president", "imam", "sir", "lord",
    "congressman", "counterparts", "member", "minister's", "congresswoman", "lawmaker", "mp",
    "speaker", "spokespeople", "cardinal",
];

/// Honorifics: kept in an alias ("Ayatollah Ali Khamenei") but not in the name.
#[rustfmt::skip]
pub const HONORIFICS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "prof", "sheikh", "sheikha", "ayatollah", "he", "hm", "his", "her",
    "excellency", "sir", "lord", "imam", "seyyed", "sayyid", "hajj",
];

/// Words that build a role with a title ("deputy foreign minister").
#[rustfmt::skip]
pub const ROLE_WORDS: &[&str] = &[
    "vice", "deputy", "foreign", "prime", "supreme", "top", "senior", "official", "state",
    "general", "permanent", "former", "acting", "defence", "defense", "interior", "finance",
    "economy", "trade", "assistant", "executive", "national", "security", "special", "ministry",
    "affairs", "associate", "political", "military", "intelligence", "first", "chief", "lead",
    "ministry's", "foreign-", "external", "health", "justice", "energy", "oil", "atomic",
];

/// Words that make a capitalized phrase an organization, a place, a document or an event.
#[rustfmt::skip]
pub const NOT_A_NAME: &[&str] = &[
    "ministry", "council", "republic", "kingdom", "state", "states", "united", "nations", "nation",
    "university", "institute", "agency", "press", "news", "times", "post", "conference", "treaty",
    "agreement", "plan", "action", "program", "programme", "security", "strip", "gulf", "house",
    "court", "committee", "organization", "organisation", "union", "party", "bureau", "central",
    "international", "national", "government", "office", "mission", "foundation", "commission",
    "federation", "assembly", "parliament", "army", "forces", "force", "guard", "corps", "bank",
    "fund", "group", "company", "corporation", "tv", "radio", "television", "daily", "herald",
    "tribune", "journal", "network", "media", "channel", "summit", "meeting", "talks", "statement",
    "resolution", "deal", "accord", "charter", "declaration", "protocol", "convention", "war",
    "crisis", "movement", "resistance", "islamic", "relief", "works", "refugees", "east", "west",
    "north", "south", "middle", "central", "asia", "europe", "africa", "america", "world", "global",
    "region", "city", "province", "island", "sea", "ocean", "canal", "port", "airport", "street",
    "square", "palace", "hall", "building", "board", "governors", "atomic", "energy", "nuclear",
    "safeguard", "safeguards", "comprehensive", "joint", "belt", "road", "initiative", "affairs",
    "foreign", "sanctions", "federal", "department", "service", "police", "reuters", "afp", "ap",
    "xinhua", "cctv", "cgtn", "tass", "irna", "qna", "menafn", "trend", "bbc", "cnn", "fox",
    "business", "bloomberg", "sputnik", "peninsula", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "the", "this", "that", "these",
    "those", "he", "she", "it", "they", "we", "i", "you", "in", "on", "at", "but", "and", "as",
    "if", "while", "after", "before", "during", "since", "under", "according", "some", "both",
    "all", "many", "most", "more", "there", "their", "his", "her", "its", "our", "what", "when",
    "where", "why", "how", "with", "without", "for", "from", "to", "of", "by", "about", "against",
    "also", "however", "meanwhile", "earlier", "later", "today", "yesterday", "tomorrow", "last",
    "next", "speaking", "addressing", "asked", "responding", "following", "despite", "although",
    "though", "because", "so", "yet", "not", "no", "an", "a", "one", "two", "three", "four", "five",
    "each", "every", "such", "other", "another", "regarding", "highlighting", "just", "only",
    "even", "still", "holy", "month", "ramadan", "eid", "al-fitr", "fitr", "christmas", "covid-19",
    "covid", "brics", "sco", "nato", "iaea", "npt", "jcpoa", "unsc", "un", "u.n", "us", "u.s", "uk",
    "eu", "uae", "opec", "who", "g20", "g7", "hamas", "hezbollah", "taliban", "houthis",
    "politburo", "cpc", "communist", "political", "week", "weekly", "daily", "image", "photo",
    "video", "read", "related", "updated", "published", "created", "source", "web", "editor",
    "reporting", "writing", "editing", "copyright", "skip", "content", "menu", "sites", "more",
    "home", "politics", "world", "opinion", "white", "senate", "congress", "kremlin", "pentagon",
    "capitol", "downing", "elysee", "diaoyutai", "great", "hall", "people", "people's", "national",
    "security", "belt-2025", "oman", "gargash's", "unrwa", "palestinian", "palestinians", "arab",
    "arabs", "muslim", "christian", "jewish", "sunni", "shia", "western", "eastern", "southern",
    "northern",
];

/// Particles inside names, not distinctive on their own: "Mohammed bin Abdulrahman Al Thani".
#[rustfmt::skip]
pub const PARTICLES: &[&str] = &[
    "bin", "bint", "ibn", "al", "el", "de", "da", "van", "von", "der", "ben", "abu", "la", "le",
    "di", "du",
];

/// Places, countries and their adjectives: (word, country). A possessive ("Russia's") counts.
#[rustfmt::skip]
pub const COUNTRIES: &[(&str, &str)] = &[
    ("china", "China"), ("chinese", "China"), ("beijing", "China"), ("russia", "Russia"),
    ("russian", "Russia"), ("moscow", "Russia"), ("iran", "Iran"), ("iranian", "Iran"),
    ("tehran", "Iran"), ("qatar", "Qatar"), ("qatari", "Qatar"), ("doha", "Qatar"),
    ("egypt", "Egypt"), ("egyptian", "Egypt"), ("cairo", "Egypt"), ("israel", "Israel"),
    ("israeli", "Israel"), ("us", "United States"), ("u.s", "United States"),
    ("u.s.", "United States"), ("american", "United States"), ("america", "United States"),
    ("washington", "United States"), ("britain", "United Kingdom"), ("british", "United Kingdom"),
    ("uk", "United Kingdom"), ("london", "United Kingdom"), ("france", "France"),
    ("french", "France"), ("paris", "France"), ("germany", "Germany"), ("german", "Germany"),
    ("berlin", "Germany"), ("saudi", "Saudi Arabia"), ("arabia", "Saudi Arabia"),
    ("riyadh", "Saudi Arabia"), ("jordan", "Jordan"), ("jordanian", "Jordan"), ("kuwait", "Kuwait"),
    ("kuwaiti", "Kuwait"), ("uae", "United Arab Emirates"), ("emirati", "United Arab Emirates"),
    ("turkey", "Turkey"), ("turkish", "Turkey"), ("turkiye", "Turkey"), ("ankara", "Turkey"),
    ("india", "India"), ("indian", "India"), ("pakistan", "Pakistan"), ("pakistani", "Pakistan"),
    ("japan", "Japan"), ("japanese", "Japan"), ("ukraine", "Ukraine"), ("ukrainian", "Ukraine"),
    ("kyiv", "Ukraine"), ("azerbaijan", "Azerbaijan"), ("azerbaijani", "Azerbaijan"),
    ("baku", "Azerbaijan"), ("palestine", "Palestine"), ("lebanon", "Lebanon"),
    ("lebanese", "Lebanon"), ("syria", "Syria"), ("syrian", "Syria"), ("iraq", "Iraq"),
    ("iraqi", "Iraq"), ("oman", "Oman"), ("omani", "Oman"), ("namibia", "Namibia"),
    ("namibian", "Namibia"), ("greece", "Greece"), ("greek", "Greece"), ("panama", "Panama"),
    ("korea", "South Korea"), ("korean", "South Korea"), ("italy", "Italy"), ("italian", "Italy"),
    ("spain", "Spain"), ("spanish", "Spain"), ("canada", "Canada"), ("canadian", "Canada"),
    ("brazil", "Brazil"), ("brazilian", "Brazil"), ("afghanistan", "Afghanistan"),
    ("afghan", "Afghanistan"), ("yemen", "Yemen"), ("yemeni", "Yemen"), ("bahrain", "Bahrain"),
    ("bahraini", "Bahrain"), ("kazakhstan", "Kazakhstan"), ("kazakh", "Kazakhstan"),
    ("belarus", "Belarus"), ("gaza", "Palestine"), ("fiji", "Fiji"), ("fijian", "Fiji"),
    ("indonesia", "Indonesia"), ("indonesian", "Indonesia"), ("malaysia", "Malaysia"),
    ("malaysian", "Malaysia"), ("vietnam", "Vietnam"), ("vietnamese", "Vietnam"),
    ("taiwan", "Taiwan"), ("australia", "Australia"), ("australian", "Australia"),
    ("mexico", "Mexico"), ("mexican", "Mexico"), ("nigeria", "Nigeria"), ("nigerian", "Nigeria"),
    ("kenya", "Kenya"), ("kenyan", "Kenya"), ("ethiopia", "Ethiopia"), ("sudan", "Sudan"),
    ("libya", "Libya"), ("algeria", "Algeria"), ("morocco", "Morocco"), ("tunisia", "Tunisia"),
    ("armenia", "Armenia"), ("georgia", "Georgia"), ("uzbekistan", "Uzbekistan"),
    ("serbia", "Serbia"), ("poland", "Poland"), ("polish", "Poland"), ("hungary", "Hungary"),
    ("netherlands", "Netherlands"), ("dutch", "Netherlands"), ("sweden", "Sweden"),
    ("norway", "Norway"), ("switzerland", "Switzerland"), ("swiss", "Switzerland"),
    ("austria", "Austria"), ("vienna", "Austria"), ("geneva", "Switzerland"), ("munich", "Germany"),
];

/// Verbs of speech, as they follow a speaker ("Mao said", "the Leader emphasized").
#[rustfmt::skip]
pub const SPEECH_VERBS: &[&str] = &[
    "said", "says", "stated", "states", "added", "adds", "emphasized", "emphasised", "emphasizes",
    "stressed", "stresses", "noted", "notes", "warned", "warns", "affirmed", "affirms", "told",
    "tells", "explained", "pointed out", "points out", "underscored", "underlined", "indicated",
    "highlighted", "announced", "confirmed", "reiterated", "urged", "insisted", "mentioned",
    "remarked", "argued", "claimed", "declared", "asserted", "wrote", "tweeted", "posted",
    "elaborated", "clarified", "expressed", "called", "proposed", "opposed", "voiced", "revealed",
    "acknowledged", "admitted", "denied", "suggested", "observed", "commented", "replied",
    "responded", "answered", "spoke", "read", "saying", "reported", "reports",
];

/// Subjects that are a source without a person: "the statement said", "diplomats said".
#[rustfmt::skip]
pub const SOURCE_NOUNS: &[&str] = &[
    "statement", "ministry", "spokesperson", "spokesman", "spokeswoman", "analyst", "analysts",
    "expert", "experts", "diplomat", "diplomats", "official", "officials", "media", "source",
    "sources", "presidency", "mission", "agency", "report", "reports", "broadcaster", "government",
    "office", "embassy", "council", "observers", "commentators", "leaders", "ministers",
    "delegates", "delegation", "authorities", "military", "army", "white house", "kremlin",
    "website", "newspaper", "channel", "outlet", "readout", "communique", "document",
];

pub fn is_in(list: &[&str], word: &str) -> bool {
    let word = word.trim_matches(|c: char| c == '.' || c == ',');
    let lower = word.to_lowercase();
    list.contains(&lower.as_str())
}

/// The country a word names ("Russia's", "Iranian", "U.S."), if any.
pub fn country_of(word: &str) -> Option<&'static str> {
    let word = word
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_matches(|c: char| c == ',' || c == ':');
    let lower = word.to_lowercase();
    let lower = lower.trim_end_matches('.');
    COUNTRIES
        .iter()
        .find(|(w, _)| *w == lower)
        .map(|(_, country)| *country)
}
